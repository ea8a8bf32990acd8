"""Ready-to-draw frames from a run folder: the inputs of the :mod:`analyzer.figures` builders.

The report and notebooks draw the same figures as the dashboard from the same run; this
module turns a :class:`~analyzer.run.Run` into the small frames those builders take.  Results
of stages that did not run come back as ``None`` (the report says "stage not run" instead of
drawing an empty chart that looks like a finding).
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from analyzer import schemas
from analyzer.domains.ratings import with_rating_text
from analyzer.run import Run
from analyzer.thread import VISIBLE

ARTICLE = schemas.ARTICLE_DOC_ID
# Smoothing of frame profiles built from frames.parquet (methods.md section 4: α = 0.5).
FRAME_ALPHA = 0.5
DOMINANT_MASS = 0.5  # Dom(X): the fewest top frames covering half the mass (methods.md section 4)

# Headline numbers per article: (column, label, metric names that may carry it, first wins).
# Stance and framing stages were written in parallel; their metric names are the ones in
# analyzer/stance/aggregates.py and analyzer/framing/compare.py.
HEADLINE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("max_depth", "max depth", ("max_depth",)),
    ("structural_virality", "structural virality", ("structural_virality",)),
    ("visibility", "coverage", ("visibility",)),
    ("n_authors", "authors", ("n_authors",)),
    ("link_comment_share", "comments with links", ("link_comment_share",)),
    ("obfuscated_share", "obfuscated links", ("obfuscated_share",)),
    ("support_ratio", "support ratio", ("article_support_ratio", "support_ratio")),
    ("frame_jsd_bits", "frame JSD (bits)", ("frame_jsd_bits", "frame_jsd")),
    ("tone_gap", "tone gap", ("tone_gap",)),
)
SHARE_COLUMNS = frozenset({"visibility", "link_comment_share", "obfuscated_share", "support_ratio"})


def _finite(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_value(column: str, value: Any) -> str:
    """A headline number as text: shares as percent, counts as integers, "–" when absent."""
    number = _finite(value)
    if number is None:
        return "–"
    if column in SHARE_COLUMNS:
        return f"{100 * number:.0f} %"
    if number.is_integer():
        return f"{int(number):,}".replace(",", " ")
    return f"{number:.2f}"


def headline_table(run: Run) -> pl.DataFrame:
    """One row per article: title, counts, the :data:`HEADLINE` metrics and the parse-issue count."""
    articles = run.articles.select("article_id", "title", "n_announced", "n_visible", "n_ghost", "n_deleted")
    thread = run.metrics.filter(pl.col("scope") == "thread")
    wanted = {name for _, _, names in HEADLINE for name in names}
    thread = thread.filter(pl.col("metric").is_in(list(wanted)))
    if thread.is_empty():
        wide = articles.select("article_id")
    else:
        wide = thread.pivot(on="metric", index="article_id", values="value", aggregate_function="first")
    columns = []
    for column, _, names in HEADLINE:
        present = [pl.col(n) for n in names if n in wide.columns]
        columns.append((pl.coalesce(present) if present else pl.lit(None, dtype=pl.Float64)).alias(column))
    wide = wide.select("article_id", *columns)
    issues = run.parse_issues.group_by("article_id").agg(pl.len().cast(pl.Int64).alias("n_issues"))
    return (articles.join(wide, on="article_id", how="left", maintain_order="left")
            .join(issues, on="article_id", how="left", maintain_order="left")
            .with_columns(pl.col("n_issues").fill_null(0))
            .sort(["n_visible", "article_id"], descending=[True, False], nulls_last=True))


def run_totals(run: Run) -> dict[str, int]:
    """Counts of the whole run for the report header."""
    comments = run.comments
    return {
        "articles": run.articles.height,
        "comments": comments.filter(VISIBLE).height,
        "ghosts": int(comments["is_ghost"].sum()),
        "deleted": int(comments["kind"].is_in(["deleted", "removed"]).sum()),
        "parse_issues": run.parse_issues.height,
        "links": run.frame("links").filter(pl.col("comment_id").is_not_null()).height if run.has("links") else 0,
    }


def levels(nodes: pl.DataFrame) -> pl.DataFrame:
    """``depth``, ``n_all`` (ghosts counted), ``n_visible`` of one thread's nodes (L_k)."""
    if nodes.is_empty():
        return pl.DataFrame(schema={"depth": pl.Int32, "n_all": pl.UInt32, "n_visible": pl.UInt32})
    return (nodes.group_by("depth")
            .agg(pl.len().alias("n_all"), (~pl.col("is_ghost")).sum().cast(pl.UInt32).alias("n_visible"))
            .sort("depth"))


def latencies(nodes: pl.DataFrame) -> list[float]:
    """Reply latency τ = t(v) − t(parent) in seconds, for replies with both timestamps."""
    slim = nodes.select("comment_id", "parent_id", "created_at")
    if slim.is_empty() or slim["created_at"].null_count() == slim.height:
        return []
    joined = slim.join(slim.select(pl.col("comment_id").alias("parent_id"), pl.col("created_at").alias("t_parent")),
                       on="parent_id", how="inner")
    seconds = (joined["created_at"] - joined["t_parent"]).dt.total_milliseconds() / 1000
    return [s for s in seconds.to_list() if s is not None and s >= 0]


def stance_counts(stance: pl.DataFrame, column: str = "stance_article") -> pl.DataFrame:
    """``label``, ``n`` of one article's stance rows."""
    return stance.group_by(pl.col(column).alias("label")).len("n").drop_nulls("label").sort("label")


def stance_depth_counts(stance: pl.DataFrame, nodes: pl.DataFrame, column: str = "stance_article") -> pl.DataFrame:
    """``depth``, ``label``, ``n``: stance labels per reply depth."""
    rows = stance.join(nodes.select("comment_id", "depth"), on="comment_id", how="left")
    return rows.drop_nulls([column, "depth"]).group_by("depth", pl.col(column).alias("label")).len("n").sort(
        "depth", "label")


def _dominant(shares: dict[str, float]) -> set[str]:
    """The fewest frames, largest first, whose shares reach :data:`DOMINANT_MASS`."""
    out: set[str] = set()
    mass = 0.0
    for name, share in sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])):
        if mass >= DOMINANT_MASS - 1e-12:
            break
        out.add(name)
        mass += share
    return out


def frame_profile(frames: pl.DataFrame, visible_ids: list[str], inventory: list[str]) -> pl.DataFrame:
    """``frame``, ``p_article``, ``p_comments``, ``dominant_article``, ``dominant_comments`` of one article.

    c_f counts sentences with a hit of frame f (a sentence counts once per frame); comment
    sentences count for visible comments only.  p_f = (c_f + α) / Σ_g (c_g + α) over the
    frames seen anywhere in the run.

    References:
        Semetko & Valkenburg (2000), Framing European politics, Journal of Communication
        50(2); methods.md section 4 (smoothing, dominant frames).
    """
    if not inventory:
        return pl.DataFrame(schema={"frame": pl.String, "p_article": pl.Float64, "p_comments": pl.Float64,
                                    "dominant_article": pl.Boolean, "dominant_comments": pl.Boolean})
    hits = frames.unique(["doc_id", "sent_idx", "frame"])
    article = hits.filter(pl.col("doc_id") == ARTICLE).group_by("frame").len("c")
    comments = hits.filter(pl.col("doc_id").is_in(visible_ids)).group_by("frame").len("c")

    def shares(counts: pl.DataFrame) -> dict[str, float]:
        by_frame = dict(zip(counts["frame"].to_list(), counts["c"].to_list(), strict=True))
        total = sum(by_frame.get(f, 0) + FRAME_ALPHA for f in inventory)
        return {f: (by_frame.get(f, 0) + FRAME_ALPHA) / total for f in inventory}

    p_article, p_comments = shares(article), shares(comments)
    dom_a = _dominant(p_article) if not article.is_empty() else set()
    dom_c = _dominant(p_comments) if not comments.is_empty() else set()
    return pl.DataFrame({
        "frame": inventory,
        "p_article": [p_article[f] for f in inventory],
        "p_comments": [p_comments[f] for f in inventory],
        "dominant_article": [f in dom_a for f in inventory],
        "dominant_comments": [f in dom_c for f in inventory],
    })


def domain_table(links: pl.DataFrame, ratings: pl.DataFrame | None) -> pl.DataFrame:
    """``domain``, ``n_links``, ``n_obfuscated``, ``rated``, ``rating_text`` of comment links."""
    links = links.filter(pl.col("comment_id").is_not_null())
    if links.is_empty():
        return pl.DataFrame(schema={"domain": pl.String, "n_links": pl.UInt32, "n_obfuscated": pl.UInt32,
                                    "rated": pl.Boolean, "rating_text": pl.String})
    table = links.with_columns(pl.coalesce("registered_domain", "host").alias("domain")).group_by("domain").agg(
        pl.len().alias("n_links"), pl.col("obfuscation").is_not_null().sum().cast(pl.UInt32).alias("n_obfuscated"))
    return with_rating_text(table, ratings, mark_stale=False)


def link_depth_counts(links: pl.DataFrame, nodes: pl.DataFrame) -> pl.DataFrame:
    """``depth``, ``n_links``: where in the thread links appear."""
    rows = links.filter(pl.col("comment_id").is_not_null()).join(
        nodes.select("comment_id", "depth"), on="comment_id", how="left")
    if rows.is_empty():
        return pl.DataFrame(schema={"depth": pl.Int32, "n_links": pl.UInt32})
    return rows.drop_nulls("depth").group_by("depth").len("n_links").sort("depth")
