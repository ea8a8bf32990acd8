"""Moderation as a subject: how often comments were removed, by depth, stance, label, domain and time.

A comment is **removed** when the source marks it so (``kind`` deleted or removed: One Million
Posts ``Status = deleted`` with ``--map deleted=Status``, Reddit's "[removed]").  The
population is every written comment (ghosts and "more" stubs are not comments).  Each row of
``moderation.parquet`` is one group of one breakdown in one article, with the count behind the
rate and its 95 % Wilson interval (:func:`pooled` adds the articles up for the whole run):

* ``all``: the run;
* ``depth``: reply depth (1 = top level; 10 and deeper pooled as ``10+``);
* ``stance_parent``: the stance toward the parent (needs the stance stage; comments with text);
* ``sentiment`` and ``label``: the labels stage's decisions (a comment counts in every label it
  carries; needs the label model);
* ``domain``: comments linking to a registered domain (needs the links stage);
* ``hours_since_first``: time after the thread's first comment (``unknown`` without times).

Groupings that need a stage that did not run are left out, not written empty.  Per thread the
same rate is a metric (``n_removed``, ``removal_rate`` with ``_ci_low``/``_ci_high``).

A removal rate describes what moderators did, not what comments deserved: a group with a high
rate may be moderated more strictly, or written worse.  Removal in One Million Posts is the
newspaper's own decision (Schabus et al. 2017).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from analyzer.core.textkinds import ANALYSED_KINDS, REMOVED_KINDS
from analyzer.stages.labels.schemas import LABEL_COLUMNS, MODERATION
from analyzer.stages.labels.stats import wilson

DEPTH_POOL = 10  # depths from here on are pooled: few comments, wide intervals
HOUR_BUCKETS: tuple[tuple[float, str], ...] = ((1, "0-1h"), (3, "1-3h"), (6, "3-6h"), (24, "6-24h"))


def written(comments: pl.DataFrame) -> pl.DataFrame:
    """Comments a reader wrote (visible or removed, with or without text), with ``removed``."""
    return comments.filter(pl.col("kind").is_in(ANALYSED_KINDS)).with_columns(
        removed=pl.col("kind").is_in(REMOVED_KINDS)
    )


def _rows(by: str, grouped: pl.DataFrame) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for article, group, n, k in grouped.select("article_id", "group", "n", "k").iter_rows():
        low, high = wilson(int(k), int(n))
        out.append({"article_id": article, "by": by, "group": str(group), "n_comments": int(n), "n_removed": int(k),
                    "removal_rate": k / n if n else None, "ci_low": low, "ci_high": high})
    return out


def _count(frame: pl.DataFrame, group: pl.Expr) -> pl.DataFrame:
    return (frame.group_by("article_id", group.alias("group")).agg(n=pl.len(), k=pl.col("removed").sum())
            .sort("article_id", "group"))


def pooled(rates: pl.DataFrame) -> pl.DataFrame:
    """``moderation.parquet`` summed over articles: one row per grouping and group (article_id null)."""
    if rates.is_empty():
        return rates
    summed = rates.group_by("by", "group", maintain_order=True).agg(
        n=pl.col("n_comments").sum(), k=pl.col("n_removed").sum()
    ).with_columns(article_id=pl.lit(None, dtype=pl.String))
    return pl.DataFrame(_rows_keep(summed), schema=MODERATION)


def _rows_keep(summed: pl.DataFrame) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for by, group, n, k in summed.select("by", "group", "n", "k").iter_rows():
        low, high = wilson(int(k), int(n))
        out.append({"article_id": None, "by": by, "group": group, "n_comments": int(n), "n_removed": int(k),
                    "removal_rate": k / n if n else None, "ci_low": low, "ci_high": high})
    return out


def removal_rates(
    comments: pl.DataFrame,
    *,
    stance: pl.DataFrame | None = None,
    labels: pl.DataFrame | None = None,
    links: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """``moderation.parquet`` (:data:`analyzer.stages.labels.schemas.MODERATION`) for one run."""
    base = written(comments)
    keys = ["article_id", "comment_id"]
    rows: list[dict[str, object]] = []
    rows += _rows("all", _count(base, pl.lit("all")))
    depth = pl.when(pl.col("depth") >= DEPTH_POOL).then(pl.lit(f"{DEPTH_POOL}+")).otherwise(
        pl.col("depth").cast(pl.String).str.zfill(2))
    rows += _rows("depth", _count(base, depth).with_columns(pl.col("group").str.strip_chars_start("0")))
    if stance is not None and not stance.is_empty():
        joined = base.join(stance.select(*keys, "stance_parent"), on=keys, how="inner")
        rows += _rows("stance_parent", _count(joined.drop_nulls("stance_parent"), pl.col("stance_parent")))
    if labels is not None and not labels.is_empty() and labels.get_column("model").is_not_null().any():
        joined = base.join(labels.drop("is_deleted"), on=keys, how="inner").filter(pl.col("model").is_not_null())
        rows += _rows("sentiment", _count(joined.drop_nulls("sentiment"), pl.col("sentiment")))
        parts = [joined.filter(pl.col(stem).fill_null(False)).with_columns(group=pl.lit(stem)) for stem in LABEL_COLUMNS]
        stacked = pl.concat([p.select("article_id", "group", "removed") for p in parts], how="vertical")
        rows += _rows("label", stacked.group_by("article_id", "group").agg(n=pl.len(), k=pl.col("removed").sum())
                      .sort("article_id", "group"))
    if links is not None and not links.is_empty():
        linked = (links.filter(pl.col("comment_id").is_not_null())
                  .select(*keys, domain=pl.coalesce("registered_domain", "host")).drop_nulls("domain").unique())
        joined = base.join(linked, on=keys, how="inner")
        rows += _rows("domain", _count(joined, pl.col("domain")))
    first = pl.col("created_at").min().over("article_id")
    hours = (pl.col("created_at") - first).dt.total_seconds() / 3600.0
    bucket: Any = pl.when(pl.col("created_at").is_null()).then(pl.lit("unknown"))
    for limit, name in HOUR_BUCKETS:
        bucket = bucket.when(hours < limit).then(pl.lit(name))
    order = [name for _, name in HOUR_BUCKETS] + ["24h+", "unknown"]
    timed = _count(base, bucket.otherwise(pl.lit("24h+"))).sort(
        "article_id", pl.col("group").replace_strict(order, list(range(len(order))), return_dtype=pl.Int64))
    rows += _rows("hours_since_first", timed)
    if not rows:
        return pl.DataFrame(schema=MODERATION)
    return pl.DataFrame(rows, schema=MODERATION)


def thread_metrics(comments: pl.DataFrame, article_ids: Iterable[str]) -> pl.DataFrame:
    """Per thread: ``n_written``, ``n_removed``, ``removal_rate`` and its Wilson interval (long)."""
    base = written(comments)
    counts = {a: (int(n), int(k)) for a, n, k in
              base.group_by("article_id").agg(n=pl.len(), k=pl.col("removed").sum()).iter_rows()}
    rows: list[tuple[str, str, str, str, float | None]] = []
    for article in article_ids:
        n, k = counts.get(article, (0, 0))
        low, high = wilson(k, n)
        for metric, value in (("n_written", float(n)), ("n_removed", float(k)),
                              ("removal_rate", k / n if n else None),
                              ("removal_rate_ci_low", low), ("removal_rate_ci_high", high)):
            rows.append((article, "thread", article, metric, value))
    return pl.DataFrame(rows, schema=["article_id", "scope", "subject_id", "metric", "value"], orient="row")
