"""Activity over time: comments, deletions and stance shares per time bin, per thread and overall.

**How bins are chosen.**  A bin width is chosen for the corpus and separately for every
thread, from that scope's own timestamps: the Freedman–Diaconis width ``2 · IQR · n^(-1/3)``
(Freedman & Diaconis 1981), snapped to the nearest "nice" width on a log scale (1, 5, 15, 30
minutes; 1, 3, 6, 12 hours; 1 day; 1 week) so that bins read as clock units and start on
UTC boundaries (``bin_start`` = time floored to a multiple of the width since the epoch);
then widened along the same ladder until the scope has at most :data:`MAX_BINS` bins.  A scope
whose timestamps have no spread (IQR 0) takes the smallest width that keeps it under the cap.
Comment sections are bursty (most comments in the first hours, stragglers for days), which
is why a robust spread (IQR) is used and not the standard deviation.

Rows are written for bins with at least one dated comment or deletion in thread scope (most
threads are short bursts: filling their empty bins would multiply the rows); the corpus
scope has every bin from the first to the last, empty ones with zero counts.

``n_comments`` counts dated visible comments and dated deleted placeholders, ``n_deleted`` the
latter; ``share_*`` are shares of ``stance_parent`` labels among the bin's comments with a
stance (null without the stance stage or without labelled comments).  Undated comments are
counted in the manifest, not binned.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from analyzer.core import schemas

NICE_WIDTHS_S: tuple[int, ...] = (60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400)
MAX_BINS = 500
_STANCES = ("support", "deny", "query", "comment")


def choose_widths(n: np.ndarray, iqr_s: np.ndarray, span_s: np.ndarray) -> np.ndarray:
    """Bin width in seconds per scope from counts, interquartile ranges and spans (vectorised).

    Example:
        >>> choose_widths(np.array([1000]), np.array([7200.0]), np.array([86400.0])).tolist()
        [900]
    """
    ladder = np.asarray(NICE_WIDTHS_S, dtype=np.float64)
    fd = 2.0 * iqr_s * np.power(np.maximum(n, 1), -1.0 / 3.0)
    fd = np.where(fd > 0, fd, ladder[0])
    nearest = np.abs(np.log(fd)[:, None] - np.log(ladder)[None, :]).argmin(axis=1)
    # Widen until the span fits in MAX_BINS bins (the largest width is the limit).
    fits = (span_s[:, None] / ladder[None, :]) <= MAX_BINS
    first_fit = np.where(fits.any(axis=1), fits.argmax(axis=1), len(ladder) - 1)
    index = np.maximum(nearest, first_fit)
    widths: np.ndarray = ladder[index].astype(np.int64)
    return widths


def _events(comments: pl.DataFrame, stance: pl.DataFrame | None) -> pl.DataFrame:
    rows = comments.filter(pl.col("kind").is_in(["comment", "deleted", "removed"])).select(
        "article_id", "comment_id", "is_deleted", "created_at"
    )
    if stance is not None:
        rows = rows.join(stance.select("article_id", "comment_id", "stance_parent"), on=["article_id", "comment_id"], how="left")
    else:
        rows = rows.with_columns(stance_parent=pl.lit(None, dtype=pl.String))
    return rows


def _bin_counts(events: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    labelled = pl.col("stance_parent").is_not_null().sum()
    return events.group_by([*keys, "bin_start", "bin_seconds"]).agg(
        n_comments=pl.len(),
        n_deleted=pl.col("is_deleted").sum(),
        **{
            f"share_{s}": pl.when(labelled > 0).then((pl.col("stance_parent") == s).sum() / labelled)
            for s in _STANCES
        },
    )


def _with_bins(events: pl.DataFrame, widths: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    joined = events.join(widths, on=keys, how="left") if keys else events.join(widths, how="cross")
    micro = pl.col("created_at").dt.epoch("us")
    width_us = pl.col("bin_seconds") * 1_000_000
    return joined.with_columns(bin_start=((micro // width_us) * width_us).cast(schemas.UTC_TIME))


def _widths(stats: pl.DataFrame) -> pl.Series:
    return pl.Series(
        "bin_seconds",
        choose_widths(
            stats.get_column("n").to_numpy(),
            stats.get_column("iqr").fill_null(0.0).to_numpy(),
            stats.get_column("span").fill_null(0.0).to_numpy(),
        ),
    )


def compute_timeseries(comments: pl.DataFrame, stance: pl.DataFrame | None) -> tuple[pl.DataFrame, dict[str, int]]:
    """``timeseries.parquet`` rows and counts for the manifest (dated, undated)."""
    events = _events(comments, stance)
    dated = events.filter(pl.col("created_at").is_not_null())
    info = {"n_dated": dated.height, "n_undated": events.height - dated.height}
    if dated.height == 0:
        return schemas.empty(schemas.TIMESERIES), info
    seconds = pl.col("created_at").dt.epoch("us") / 1e6
    spread = [
        pl.len().alias("n"),
        (seconds.quantile(0.75, "linear") - seconds.quantile(0.25, "linear")).alias("iqr"),
        (seconds.max() - seconds.min()).alias("span"),
    ]
    thread_stats = dated.group_by("article_id").agg(spread)
    thread_widths = thread_stats.select("article_id").with_columns(_widths(thread_stats))
    corpus_stats = dated.select(spread)
    corpus_width = pl.DataFrame({"bin_seconds": _widths(corpus_stats)})
    threads = _bin_counts(_with_bins(dated, thread_widths, ["article_id"]), ["article_id"]).with_columns(
        scope=pl.lit("thread")
    )
    corpus = _bin_counts(_with_bins(dated, corpus_width, []), []).with_columns(
        scope=pl.lit("corpus"), article_id=pl.lit(None, dtype=pl.String)
    )
    width = int(corpus_width.item())
    first, last = corpus.get_column("bin_start").min(), corpus.get_column("bin_start").max()
    grid = pl.DataFrame(
        {"bin_start": pl.datetime_range(first, last, interval=f"{width}s", eager=True)}  # type: ignore[arg-type]
    ).with_columns(pl.col("bin_start").cast(schemas.UTC_TIME))
    corpus = (
        grid.join(corpus, on="bin_start", how="left")
        .with_columns(
            scope=pl.lit("corpus"),
            bin_seconds=pl.lit(width, dtype=pl.Int64),
            n_comments=pl.col("n_comments").fill_null(0),
            n_deleted=pl.col("n_deleted").fill_null(0),
        )
    )
    out = pl.concat(
        [schemas.conform(corpus, schemas.TIMESERIES), schemas.conform(threads.sort("article_id", "bin_start"), schemas.TIMESERIES)],
        how="vertical",
    )
    return out, info
