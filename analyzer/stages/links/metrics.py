"""Link metrics: shares, concentration, domains, country codes, list coverage (methods.md section 5)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import polars as pl

from analyzer.core import schemas
from analyzer.stages.links.extraction import extract_links
from analyzer.stages.links.frames import visible_comments
from analyzer.stages.links.hosts import cctld
from analyzer.stages.metric_registry import MetricInfo, lookup

_T = ("thread",)
_REGISTRY: tuple[MetricInfo, ...] = (
    MetricInfo("n_links", ("thread", "comment", "domain", "cctld"), "links in visible comments (per scope subject)"),
    MetricInfo("n_article_links", _T, "links in the article body"),
    MetricInfo("n_text_comments", _T, "visible comments with text (the denominator N of the shares)"),
    MetricInfo("link_comment_share", _T, "comments with at least one link / N", "higher = more link sharing"),
    MetricInfo("links_per_comment", _T, "links / N"),
    MetricInfo("n_domains", _T, "distinct registered domains (host when there is none) among the links"),
    MetricInfo("n_sources", _T, "distinct sources: platform path (t.me/<channel> ...) else registered domain"),
    MetricInfo(
        "domain_hhi", _T, "Herfindahl-Hirschman index Σ s_d² of domain shares s_d (link counts); 1/n_domains .. 1",
        "higher = links concentrated on few domains", "Herfindahl 1950; Hirschman 1945",
    ),
    MetricInfo(
        "domain_entropy", _T, "Shannon entropy -Σ s_d log2 s_d of domain shares, in bits",
        "higher = more diverse sources", "Shannon 1948",
    ),
    MetricInfo("domain_entropy_norm", _T, "domain_entropy / log2(n_domains); null for fewer than 2 domains"),
    MetricInfo("cctld_link_share", _T, "share of links whose public suffix ends in a country code"),
    MetricInfo(
        "link_share", ("domain", "cctld"), "links of the subject (domain, or country code / 'generic') / all links",
    ),
    MetricInfo("n_linking_comments", ("domain",), "visible comments linking the domain at least once"),
    MetricInfo(
        "self_citation_share", _T, "links to the article's own site (registered domain of articles.url, else "
        "articles.site when it is a host) / links; null when the site is unknown",
    ),
    MetricInfo("mean_link_depth", _T, "mean depth (ghosts counted, top level = 1) of comments with a link"),
    MetricInfo("first_link_seq", _T, "seq (pre-order position, ghosts counted) of the first comment with a link"),
    MetricInfo(
        "first_link_position", _T, "k / N: k = 0-based rank, among visible comments in pre-order, of the first "
        "comment with a link; 0 = the first comment links",
    ),
    MetricInfo("obfuscated_share", _T, "share of links written obfuscated or defanged (hxxp, _____://, [.] ...)"),
    MetricInfo("in_quote_share", _T, "share of links inside quoted material (> lines, Zitat: blocks)"),
    MetricInfo(
        "rating_coverage", ("list",), "share of the thread's comment links whose domain has a rating in the list "
        "(subject_id = list name); always read ratings beside it",
    ),
    MetricInfo("n_rated", ("list",), "comment links with a rating in the list"),
    MetricInfo("mean_rating", ("list",), "mean numeric rating over rated links (lists with numeric ratings)"),
    MetricInfo("stale_list", ("list",), "1 when the list is older than the stale limit (stale_years), else 0"),
    MetricInfo("imputed_share", ("list",), "share of rated links whose rating the list marks as imputed"),
)
METRICS: dict[str, MetricInfo] = {m.name: m for m in _REGISTRY}


def describe(name: str) -> MetricInfo:
    """Look a link metric up by name, with a suggestion for near misses."""
    return lookup(METRICS, name, kind="link")


def hhi(counts: Sequence[int]) -> float | None:
    """Herfindahl-Hirschman index of counts: Σ s_i², s_i = c_i / Σ c; None when empty.

    References:
        Hirschman (1945), National Power and the Structure of Foreign Trade; Herfindahl (1950).
    """
    total = sum(counts)
    if total <= 0:
        return None
    return sum((c / total) ** 2 for c in counts)


def entropy_bits(counts: Sequence[int]) -> float | None:
    """Shannon entropy of the distribution given by counts, in bits; None when empty.

    References:
        Shannon (1948), A Mathematical Theory of Communication.
    """
    total = sum(counts)
    if total <= 0:
        return None
    return -sum((c / total) * math.log2(c / total) for c in counts if c > 0)


def site_domain(url: str | None, site: str | None) -> str | None:
    """Registered domain of the article's own site: from ``url``, else ``site`` if it is a host."""
    for candidate in (url, site):
        if not candidate:
            continue
        found = extract_links(candidate.strip()).links
        if found and found[0].registered_domain:
            return found[0].registered_domain
    return None


# Thread-scope metrics in the order they are written (one block of rows per thread).
_THREAD_METRICS = (
    "n_links", "n_article_links", "n_text_comments", "link_comment_share", "links_per_comment", "n_domains",
    "n_sources", "domain_hhi", "domain_entropy", "domain_entropy_norm", "cctld_link_share",
    "self_citation_share", "mean_link_depth", "first_link_seq", "first_link_position", "obfuscated_share",
    "in_quote_share",
)
_DOMAIN_METRICS = ("n_links", "link_share", "n_linking_comments")
_CCTLD_METRICS = ("n_links", "link_share")
_LIST_METRICS = ("rating_coverage", "n_rated", "mean_rating", "stale_list", "imputed_share")
# Row order of the thread-level scopes: per article, its thread block, then domains, country
# codes and lists (domains and codes sorted by subject, lists in the order given).
_ORDER = ("_a", "_b", "_i", "_s", "_m")
_F = pl.Float64


def _python_floats(values: pl.Series, fn: Any) -> pl.Series:
    """``fn`` applied by Python to each distinct value, so results match the scalar formulas bit for bit.

    Polars computes ``x ** 2`` and ``log2`` with other routines than Python's ``math``, which
    differ in the last bit now and then; the distinct shares and counts are few, so this is cheap.
    """
    distinct = values.drop_nulls().unique().to_list()
    return values.replace_strict(distinct, [fn(v) for v in distinct], default=None, return_dtype=_F)


_SCOPES = ("thread", "domain", "cctld", "list")  # by block number


def _long(frame: pl.DataFrame, block: int, subject: str, metrics: Sequence[str], index: int = 0) -> pl.DataFrame:
    """Wide per-subject values as long rows with the sort keys of :data:`_ORDER`."""
    wide = frame.select(
        "_a", "article_id", pl.col(subject).alias("subject_id"), *(pl.col(m).cast(_F) for m in metrics)
    )
    return wide.unpivot(index=["_a", "article_id", "subject_id"], on=list(metrics), variable_name="metric").select(
        "_a",
        pl.lit(block, dtype=pl.Int32).alias("_b"),
        pl.lit(index, dtype=pl.Int32).alias("_i"),
        pl.col("subject_id").alias("_s") if block in (1, 2) else pl.lit("").alias("_s"),
        pl.col("metric").replace_strict(list(metrics), list(range(len(metrics))), return_dtype=pl.Int32).alias("_m"),
        "article_id",
        pl.lit(_SCOPES[block]).alias("scope"),
        "subject_id",
        "metric",
        "value",
    )


def _per_link(comment_links: pl.DataFrame) -> pl.DataFrame:
    """One row per comment link with its domain key, source key and country code."""
    suffixes = comment_links.get_column("suffix").drop_nulls().unique().to_list()
    return comment_links.select(
        "article_id",
        "comment_id",
        "registered_domain",
        pl.coalesce("registered_domain", "host").alias("key"),
        pl.coalesce("platform_path", "registered_domain", "host").alias("source"),
        pl.col("suffix").replace_strict(suffixes, [cctld(s) for s in suffixes], default=None, return_dtype=pl.String)
        .alias("code"),
        pl.col("obfuscation").is_not_null().cast(_F).alias("obfuscated"),
        pl.col("in_quote").cast(_F),
    )


def _domain_counts(lk: pl.DataFrame) -> pl.DataFrame:
    """Per (article, domain key): links, linking comments, share, and the HHI / entropy terms.

    Domains keep the order of their first link, and the per-thread sums below run in that
    order (``cum_sum`` is a sequential scan), as the scalar :func:`hhi` and :func:`entropy_bits` sum.
    """
    dom = (
        lk.group_by("article_id", "key", maintain_order=True)
        .agg(n_links=pl.len(), n_linking_comments=pl.col("comment_id").n_unique())
        .with_columns(link_share=pl.col("n_links") / pl.col("n_links").sum().over("article_id"))
    )
    return dom.with_columns(
        _sq=_python_floats(dom.get_column("link_share"), lambda s: s**2),
        _term=_python_floats(dom.get_column("link_share"), lambda s: s * math.log2(s)),
    )


def _thread_frame(
    arts: pl.DataFrame, visible: pl.DataFrame, lk: pl.DataFrame, dom: pl.DataFrame, links: pl.DataFrame
) -> pl.DataFrame:
    """One row per article with every thread-scope metric (columns :data:`_THREAD_METRICS`)."""
    n_text = visible.group_by("article_id").agg(n_text_comments=pl.len())
    n_article = links.filter(pl.col("comment_id").is_null()).group_by("article_id").agg(n_article_links=pl.len())
    linked = lk.select("article_id", "comment_id").unique()
    linking = visible.join(linked, on=["article_id", "comment_id"], how="semi")
    first = linking.group_by("article_id").agg(
        n_linking=pl.len(), mean_link_depth=pl.col("depth").cast(_F).mean(), first_link_seq=pl.col("seq").min()
    )
    # 0-based rank of the first linking comment among the thread's visible comments by seq.
    rank = (
        visible.join(first.select("article_id", "first_link_seq"), on="article_id")
        .filter(pl.col("seq") < pl.col("first_link_seq"))
        .group_by("article_id")
        .agg(rank=pl.len())
    )
    per_links = lk.group_by("article_id").agg(
        n_links=pl.len(),
        n_sources=pl.col("source").n_unique(),
        n_known=pl.col("code").is_not_null().sum(),
        n_country=(pl.col("code") != "generic").sum(),
        obfuscated_share=pl.col("obfuscated").mean(),
        in_quote_share=pl.col("in_quote").mean(),
    )
    concentration = dom.group_by("article_id", maintain_order=True).agg(
        n_domains=pl.len(),
        domain_hhi=pl.col("_sq").cum_sum().last(),
        domain_entropy=-pl.col("_term").cum_sum().last(),
    )
    # The site's own domain matters only where there are links; it costs a URL parse per thread.
    with_links = arts.join(per_links.select("article_id"), on="article_id", how="semi")
    own = pl.DataFrame(
        {
            "article_id": with_links.get_column("article_id"),
            "own": [site_domain(u, s) for u, s in with_links.select("url", "site").iter_rows()],
        },
        schema={"article_id": pl.String, "own": pl.String},
    )
    self_share = (
        lk.join(own, on="article_id")
        .group_by("article_id")
        .agg(self_citation_share=(pl.col("registered_domain") == pl.col("own")).cast(_F).mean())
    )
    wide = arts.select("_a", "article_id")
    for part in (n_text, n_article, first, rank, per_links, concentration, self_share):
        wide = wide.join(part, on="article_id", how="left")
    wide = wide.with_columns(
        pl.col("n_links", "n_article_links", "n_text_comments", "n_domains", "n_sources", "n_linking", "rank")
        .fill_null(0)
    )
    has_text = pl.col("n_text_comments") > 0
    wide = wide.with_columns(
        _log2_domains=_python_floats(wide.get_column("n_domains"), lambda n: math.log2(n) if n >= 2 else None)
    )
    return wide.with_columns(
        link_comment_share=pl.when(has_text).then(pl.col("n_linking") / pl.col("n_text_comments")),
        links_per_comment=pl.when(has_text).then(pl.col("n_links") / pl.col("n_text_comments")),
        domain_entropy_norm=pl.when(pl.col("n_domains") >= 2).then(pl.col("domain_entropy") / pl.col("_log2_domains")),
        cctld_link_share=pl.when(pl.col("n_known") > 0).then(pl.col("n_country") / pl.col("n_known")),
        first_link_position=pl.when(pl.col("first_link_seq").is_not_null()).then(
            pl.col("rank") / pl.col("n_text_comments")
        ),
    )


def _list_frames(
    arts: pl.DataFrame, thread: pl.DataFrame, ratings: pl.DataFrame | None, list_info: Sequence[dict[str, Any]]
) -> list[pl.DataFrame]:
    """Long rows of the ``list`` scope: every article once per list, coverage 0 included."""
    if not list_info:
        return []
    if ratings is None:
        ratings = pl.DataFrame(schema=schemas.LINK_RATINGS)
    rated = (
        ratings.filter(pl.col("comment_id").is_not_null())
        .group_by("article_id", "list_name")
        .agg(
            n_rated=pl.len(),
            mean_rating=pl.col("rating").cast(_F).mean(),
            imputed_share=pl.col("imputed").cast(_F).mean(),
        )
    )
    base = arts.select("_a", "article_id").join(thread.select("article_id", "n_links"), on="article_id", how="left")
    out = []
    for index, info in enumerate(list_info):
        mine = rated.filter(pl.col("list_name") == info["name"]).drop("list_name")
        stale = None if info.get("stale") is None else float(bool(info["stale"]))
        wide = (
            base.join(mine, on="article_id", how="left")
            .with_columns(pl.col("n_rated").fill_null(0), subject=pl.lit(info["name"], dtype=pl.String))
            .with_columns(
                rating_coverage=pl.when(pl.col("n_links") > 0).then(pl.col("n_rated") / pl.col("n_links")),
                stale_list=pl.lit(stale, dtype=_F),
            )
        )
        out.append(_long(wide, 3, "subject", _LIST_METRICS, index))
    return out


def compute_link_metrics(
    links: pl.DataFrame,
    comments: pl.DataFrame,
    articles: pl.DataFrame,
    ratings: pl.DataFrame | None = None,
    list_info: Sequence[dict[str, Any]] = (),
) -> pl.DataFrame:
    """Link metrics of every thread as a long METRICS frame (scopes in the module docstring).

    Only links of visible comments count (the article's own links are ``n_article_links``).
    Every scope is computed with whole-frame group-bys (no per-thread frame filtering), so the
    cost grows with the number of links and comments, not with threads times anything.

    Args:
        links: LINKS rows (comment and article links).
        comments: the forest's COMMENTS frame.
        articles: the forest's ARTICLES frame.
        ratings: LINK_RATINGS rows (:mod:`analyzer.domains.ratings`), if any lists are used.
        list_info: one dict per list used (``name``, ``stale``), so a coverage of 0 is reported too.
    """
    visible = visible_comments(comments).select("article_id", "comment_id", "seq", "depth")
    comment_links = links.filter(pl.col("comment_id").is_not_null())
    arts = articles.select("article_id", "url", "site").with_row_index("_a")
    lk = _per_link(comment_links)
    dom = _domain_counts(lk)
    thread = _thread_frame(arts, visible, lk, dom, links)
    known = lk.filter(pl.col("code").is_not_null())
    codes = (
        known.group_by("article_id", "code")
        .agg(n_links=pl.len())
        .with_columns(link_share=pl.col("n_links") / pl.col("n_links").sum().over("article_id"))
    )
    on_articles = arts.select("_a", "article_id")
    parts = [
        _long(thread.with_columns(pl.col("article_id").alias("subject")), 0, "subject", _THREAD_METRICS),
        _long(on_articles.join(dom, on="article_id"), 1, "key", _DOMAIN_METRICS),
        _long(on_articles.join(codes, on="article_id"), 2, "code", _CCTLD_METRICS),
        *_list_frames(arts, thread, ratings, list_info),
    ]
    thread_rows = pl.concat(parts, how="vertical").sort(_ORDER).select(schemas.METRICS.names())
    # Comment scope: one row per visible comment (0 when it has no link).
    per_comment = (
        visible.select("article_id", "comment_id")
        .join(comment_links.group_by("article_id", "comment_id").agg(n=pl.len()), on=["article_id", "comment_id"], how="left")
        .select(
            "article_id",
            pl.lit("comment").alias("scope"),
            pl.col("comment_id").alias("subject_id"),
            pl.lit("n_links").alias("metric"),
            pl.col("n").fill_null(0).cast(pl.Float64).alias("value"),
        )
    )
    return pl.concat([schemas.conform(thread_rows, schemas.METRICS), schemas.conform(per_comment, schemas.METRICS)], how="vertical")
