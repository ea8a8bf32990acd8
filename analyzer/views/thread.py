"""Pure functions from one thread's frames to the small frames that figures and tables take.

Every function takes frames of one article (as :class:`~analyzer.views.RunView` slices them,
or as a notebook has them) and returns a new frame; none reads files or caches.
"""

from __future__ import annotations

import polars as pl

from analyzer.core import schemas
from analyzer.domains.ratings import with_rating_text
from analyzer.views.shares import with_shares

ARTICLE = schemas.ARTICLE_DOC_ID
VISIBLE = pl.col("kind").eq("comment") & pl.col("text").is_not_null() & pl.col("text").str.len_chars().gt(0)

LEVELS = pl.Schema({"depth": pl.Int32, "n_all": pl.UInt32, "n_visible": pl.UInt32})
STANCE_COUNTS = pl.Schema({"label": pl.String, "n": pl.UInt32, "n_total": pl.Int64, "share": pl.Float64,
                           "ci_low": pl.Float64, "ci_high": pl.Float64, "too_few": pl.Boolean})
FRAME_PROFILE = pl.Schema({"frame": pl.String, "p_article": pl.Float64, "p_comments": pl.Float64,
                           "dominant_article": pl.Boolean, "dominant_comments": pl.Boolean})
DOMAINS = pl.Schema({"domain": pl.String, "n_links": pl.UInt32, "n_comments": pl.UInt32, "n_articles": pl.UInt32,
                     "n_obfuscated": pl.UInt32, "n_redirected": pl.UInt32, "redirects": pl.String})
LINK_DEPTHS = pl.Schema({"depth": pl.Int32, "n_links": pl.UInt32})


def levels(nodes: pl.DataFrame) -> pl.DataFrame:
    """``depth``, ``n_all`` (ghosts counted), ``n_visible`` of one thread's nodes (L_k)."""
    if nodes.is_empty():
        return pl.DataFrame(schema=LEVELS)
    return (nodes.group_by("depth")
            .agg(pl.len().alias("n_all"), (~pl.col("is_ghost")).sum().cast(pl.UInt32).alias("n_visible"))
            .sort("depth"))


def latencies(nodes: pl.DataFrame) -> list[float]:
    """Reply latency τ = t(v) − t(parent) in seconds, for replies with both timestamps.

    References:
        Kaltenbrunner et al. (2007); methods.md section 2 (reply latency).
    """
    slim = nodes.select("comment_id", "parent_id", "created_at")
    if slim.is_empty() or slim["created_at"].null_count() == slim.height:
        return []
    joined = slim.join(slim.select(pl.col("comment_id").alias("parent_id"), pl.col("created_at").alias("t_parent")),
                       on="parent_id", how="inner")
    seconds = (joined["created_at"] - joined["t_parent"]).dt.total_milliseconds() / 1000
    return [s for s in seconds.to_list() if s is not None and s >= 0]


def stance_counts(stance: pl.DataFrame, column: str = "stance_article") -> pl.DataFrame:
    """``label``, ``n`` and its share of the labelled comments with a Wilson interval.

    Labels with no comment are listed with ``n = 0`` so that a missing "deny" reads as
    "0 of 40", not as a gap.
    """
    labelled = stance.drop_nulls(column)
    counts = labelled.group_by(pl.col(column).alias("label")).len("n")
    full = pl.DataFrame({"label": list(schemas.STANCE_LABELS)}).join(counts, on="label", how="left").with_columns(
        pl.col("n").fill_null(0).cast(pl.UInt32))
    if labelled.is_empty():
        return pl.DataFrame(schema=STANCE_COUNTS)
    return with_shares(full).select(list(STANCE_COUNTS))


def stance_depth_counts(stance: pl.DataFrame, column: str = "stance_article") -> pl.DataFrame:
    """``depth``, ``label``, ``n`` with shares per depth; ``stance`` must carry ``depth``."""
    rows = stance.drop_nulls([column, "depth"])
    counts = rows.group_by("depth", pl.col(column).alias("label")).len("n").sort("depth", "label")
    return with_shares(counts, by=["depth"])


def frame_profile(frame_metrics: pl.DataFrame) -> pl.DataFrame | None:
    """The framing stage's own per-frame numbers (scope ``frame``) of one article as a profile.

    Nothing is recomputed: p_f and the dominant flags are the stage's (methods.md section 4),
    so the dashboard, the report and a notebook show the same profile.  None when the stage
    wrote none for this article.
    """
    if frame_metrics.is_empty():
        return None
    wide = frame_metrics.pivot(on="metric", index="subject_id", values="value", aggregate_function="first")
    if not {"p_article", "p_comments"} <= set(wide.columns):
        return None
    flags = [pl.col(c).fill_null(0).gt(0).alias(c) if c in wide.columns else pl.lit(False).alias(c)
             for c in ("dominant_article", "dominant_comments")]
    return wide.select(pl.col("subject_id").alias("frame"), "p_article", "p_comments", *flags).sort("frame")


def domain_table(links: pl.DataFrame) -> pl.DataFrame:
    """One row per domain of comment links: links, comments, articles, obfuscated links.

    ``links`` needs ``domain`` (registered domain, else host) and the link columns.
    """
    links = links.filter(pl.col("comment_id").is_not_null())
    if links.is_empty():
        return pl.DataFrame(schema=DOMAINS)
    # ``redirect`` (links stage): the wrapper a link was unwrapped from (l.facebook.com/l.php,
    # google.com/url …); the domain is the target's, the wrappers are named beside it.
    redirect = pl.col("redirect") if "redirect" in links.columns else pl.lit(None, dtype=pl.String)
    return links.with_columns(redirect.alias("_redirect")).group_by("domain").agg(
        pl.len().cast(pl.UInt32).alias("n_links"),
        pl.struct("article_id", "comment_id").n_unique().cast(pl.UInt32).alias("n_comments"),
        pl.col("article_id").n_unique().cast(pl.UInt32).alias("n_articles"),
        pl.col("obfuscation").is_not_null().sum().cast(pl.UInt32).alias("n_obfuscated"),
        pl.col("_redirect").is_not_null().sum().cast(pl.UInt32).alias("n_redirected"),
        pl.col("_redirect").drop_nulls().unique().sort().str.join(", ").alias("redirects"),
    ).with_columns(pl.when(pl.col("redirects") == "").then(None).otherwise(pl.col("redirects")).alias("redirects")
                   ).sort(["n_links", "domain"], descending=[True, False])


def rated_domain_table(links: pl.DataFrame, ratings: pl.DataFrame | None) -> pl.DataFrame:
    """:func:`domain_table` with the credibility ratings as text, stale lists marked, in every output."""
    return with_rating_text(domain_table(links), ratings, mark_stale=True)


def link_depth_counts(links: pl.DataFrame) -> pl.DataFrame:
    """``depth``, ``n_links``: where in the thread links appear (``links`` carries ``depth``)."""
    rows = links.filter(pl.col("comment_id").is_not_null()).drop_nulls("depth")
    if rows.is_empty():
        return pl.DataFrame(schema=LINK_DEPTHS)
    return rows.group_by("depth").len("n_links").with_columns(pl.col("n_links").cast(pl.UInt32)).sort("depth")
