"""Across threads: campaigns, coordinated link sharing, the author network, activity over time.

Reads the ``coordination`` stage's frames (``near_duplicates``, ``near_duplicate_clusters``,
``colinks``, ``colink_components``, ``authors``, ``author_edges``, ``timeseries``) by the
column names of their declared schemas (:mod:`analyzer.core.schemas`) and its corpus metrics by
metric name, and turns them into small frames to draw or print.  Every number leads back to
comments: :func:`cluster_comment_ids` and :func:`colink_comment_ids` give the (article, comment)
pairs behind a campaign or a co-sharing pair, for the comment table.

Functions take a :class:`~analyzer.views.RunView` and memoise on it (once per run); None
means the stage did not run, so a page can say so instead of drawing an empty chart.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from analyzer.views import participants as pv
from analyzer.views.numbers import finite
from analyzer.views.run_view import RunView

STAGE = "coordination"
FILES = ("near_duplicates", "near_duplicate_clusters", "colinks", "colink_components", "authors",
         "author_edges", "timeseries")
# Corpus metrics of the stage, in the order a page lists them (definitions: `analyzer metrics`).
CORPUS_METRICS = ("n_near_duplicate_clusters", "near_duplicate_share", "n_colink_pairs", "n_colink_components",
                  "coordination_interval_s", "n_authors", "author_gini", "top1pct_author_share",
                  "anonymous_share", "reciprocal_edge_share")


def has_stage(view: RunView) -> bool:
    """True when the run folder has the coordination stage's frames."""
    return all(view.has(name) for name in FILES)


def skipped_reason(view: RunView) -> str | None:
    """Why the stage wrote empty frames (one thread without authors), from the manifest."""
    info = view.manifest.get("stage_info", {}).get(STAGE)
    reason = info.get("skipped") if isinstance(info, dict) else None
    return str(reason) if reason else None


def corpus_numbers(view: RunView) -> dict[str, float | None]:
    """The stage's corpus metrics by metric name (None where not computed)."""

    def build() -> dict[str, float | None]:
        rows = view.run.metrics.filter((pl.col("scope") == "corpus") & pl.col("metric").is_in(list(CORPUS_METRICS)))
        found = {m: finite(v) for m, v in rows.select("metric", "value").iter_rows()}
        return {name: found.get(name) for name in CORPUS_METRICS}

    return view._cached(("coord", "numbers"), build)


def interval_info(view: RunView) -> dict[str, Any]:
    """How co-sharing was judged: the interval in seconds, where it came from (``option`` or
    estimated as CooRnet does, with its ``q`` and ``p``), the repeat minimum of a component."""
    info = view.manifest.get("stage_info", {}).get(STAGE)
    colinks = info.get("colinks") if isinstance(info, dict) else None
    return dict(colinks) if isinstance(colinks, dict) else {}


def interval_text(info: dict[str, Any]) -> str:
    """The coordination interval in words ("within 45 s, estimated from the data as CooRnet does").

    Example:
        >>> interval_text({"interval_s": 42.0, "interval_source": "option"})
        'within 42 s (set by --colink-interval)'
    """
    seconds = info.get("interval_s")
    if not isinstance(seconds, int | float):
        reason = info.get("skipped")
        return f"no interval ({reason})" if reason else "no URL was shared twice: no interval"
    span = f"{seconds:.0f} s" if seconds < 120 else (f"{seconds / 60:.1f} min" if seconds < 7200
                                                     else f"{seconds / 3600:.1f} h")
    if info.get("interval_source") == "option":
        return f"within {span} (set by --colink-interval)"
    q, p = info.get("q"), info.get("p")
    detail = f"; q = {q}, p = {p}" if q is not None and p is not None else ""
    return f"within {span}, estimated from the data as CooRnet does (Giglietto et al. 2020{detail})"


# --- campaigns (near-duplicates) -----------------------------------------------------------
def clusters(view: RunView) -> pl.DataFrame | None:
    """Near-duplicate clusters, largest first (``near_duplicate_clusters.parquet``)."""
    if not has_stage(view):
        return None
    return view._cached(("coord", "clusters"), lambda: view.run.frame("near_duplicate_clusters").sort(
        ["size", "cluster_id"], descending=[True, False]))


def cluster_members(view: RunView, cluster_id: int) -> pl.DataFrame | None:
    """One cluster's comments with their text, author, time, article and similarity, by time."""
    if not has_stage(view):
        return None

    def build() -> pl.DataFrame:
        members = view.run.frame("near_duplicates").filter(pl.col("cluster_id") == cluster_id)
        texts = view.run.comments.select("article_id", "comment_id", "text", "depth")
        titles = view.run.articles.select("article_id", "title")
        return (members.join(texts, on=["article_id", "comment_id"], how="left")
                .join(titles, on="article_id", how="left")
                .sort(["created_at", "article_id", "comment_id"], nulls_last=True))

    return view._cached(("coord", "members", cluster_id), build)


def cluster_comment_ids(view: RunView, cluster_id: int) -> frozenset[tuple[str, str]]:
    """(article, comment) pairs of a cluster (for the comment table)."""
    members = cluster_members(view, cluster_id)
    return frozenset() if members is None else frozenset(members.select("article_id", "comment_id").iter_rows())


def campaign_timeline(view: RunView, top: int = 15) -> pl.DataFrame | None:
    """The members of the ``top`` largest clusters, one row per comment: ``cluster_id``,
    ``created_at``, ``author``, ``article_id``, ``comment_id`` (undated members left out)."""
    table = clusters(view)
    if table is None:
        return None
    wanted = table.head(top)["cluster_id"]
    return view._cached(("coord", "timeline", top), lambda: view.run.frame("near_duplicates").filter(
        pl.col("cluster_id").is_in(wanted.implode()) & pl.col("created_at").is_not_null()).sort("cluster_id", "created_at"))


# --- coordinated link sharing --------------------------------------------------------------
def colink_pairs(view: RunView) -> pl.DataFrame | None:
    """Account pairs that shared the same URLs within the interval, most shared URLs first."""
    if not has_stage(view):
        return None
    return view._cached(("coord", "pairs"), lambda: view.run.frame("colinks").sort(
        ["n_shared", "author_a", "author_b"], descending=[True, False, False]))


def colink_components(view: RunView) -> pl.DataFrame | None:
    """Coordinated components (pairs with repeated co-shares, joined), largest first."""
    if not has_stage(view):
        return None
    return view._cached(("coord", "components"), lambda: view.run.frame("colink_components").sort("component_id"))


def colink_comment_ids(view: RunView, accounts: tuple[str, ...], urls: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    """(article, comment) pairs in which one of ``accounts`` shared one of ``urls``.

    ``urls`` are the stage's comparison keys (``colinks.urls``); links are keyed the same way
    (:func:`analyzer.stages.coordination.colinks.url_keys`: redirect wrappers unwrapped,
    tracking parameters and fragments dropped), so a link written ``l.facebook.com/l.php?u=…``
    counts for the URL it leads to.
    """
    if not view.has("links") or not accounts or not urls:
        return frozenset()
    from analyzer.stages.coordination.colinks import url_keys

    def keyed() -> pl.DataFrame:
        links = view.run.frame("links").filter(pl.col("comment_id").is_not_null()).select(
            "article_id", "comment_id", "url_normalised")
        authors = view.run.comments.select("article_id", "comment_id", "author")
        joined = links.join(authors, on=["article_id", "comment_id"], how="inner").drop_nulls("author")
        return joined.with_columns(url_keys(joined.get_column("url_normalised")).alias("key"))

    table = view._cached(("coord", "link_keys"), keyed)
    hits = table.filter(pl.col("author").is_in(list(accounts)) & pl.col("key").is_in(list(urls)))
    return frozenset(hits.select("article_id", "comment_id").unique().iter_rows())


# --- authors ---------------------------------------------------------------------------------
def authors(view: RunView) -> pl.DataFrame | None:
    """One row per author across the run, most comments first (``authors.parquet``)."""
    if not has_stage(view):
        return None
    return view._cached(("coord", "authors"), lambda: view.run.frame("authors").sort(
        ["n_comments", "author"], descending=[True, False]))


def author_network(view: RunView, top: int = 40) -> tuple[pl.DataFrame, pl.DataFrame, int] | None:
    """Nodes and edges of the run's author reply network, capped at the ``top`` most connected
    authors (:func:`analyzer.views.participants.network_layout`), and the number of authors
    with any reply edge (so a page can say how many were left out)."""
    if not has_stage(view):
        return None

    def build() -> tuple[pl.DataFrame, pl.DataFrame, int]:
        edges = view.run.frame("author_edges")
        pairs = edges.select(pl.col("replier").alias("author"), "replied_to", pl.col("n_replies").alias("n"),
                             pl.col("n_deny").fill_null(0).alias("n_deny"))
        everyone = pl.concat([pairs["author"], pairs["replied_to"]]).n_unique() if pairs.height else 0
        nodes, drawn = pv.network_layout(pairs, top=top)
        return nodes, drawn, int(everyone)

    return view._cached(("coord", "network", top), build)


def author_edges(view: RunView) -> pl.DataFrame | None:
    """Who replies to whom across the run, most replies first (``author_edges.parquet``)."""
    if not has_stage(view):
        return None
    return view._cached(("coord", "edges"), lambda: view.run.frame("author_edges").sort(
        ["n_replies", "replier", "replied_to"], descending=[True, False, False]))


# --- activity over time ----------------------------------------------------------------------
def activity(view: RunView) -> tuple[pl.DataFrame, int] | None:
    """The run's activity per bin (``timeseries.parquet``, scope ``corpus``): ``bin_start``,
    ``n_comments``, ``n_deleted`` and the stance shares, and the bin width in seconds (chosen
    by the stage from the data)."""
    if not has_stage(view):
        return None

    def build() -> tuple[pl.DataFrame, int]:
        series = view.run.frame("timeseries").filter(pl.col("scope") == "corpus").sort("bin_start")
        width = int(series["bin_seconds"][0]) if series.height else 0
        return series, width

    return view._cached(("coord", "activity"), build)
