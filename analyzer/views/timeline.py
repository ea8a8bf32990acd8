"""Comments over time: volume, stance and deletions per hour or day.

Bins are calendar hours or days in UTC (the run stores UTC times).  The bin width is chosen
from the span of the comments so a thread of one evening is shown by the hour and a corpus
of a year by the day (:func:`choose_bin`); a caller may force either.  Comments without a
timestamp are counted apart (``n_undated``), never put in a bin.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

import polars as pl

from analyzer.core import schemas

Bin = Literal["1h", "1d"]
# A span up to this long is shown by the hour: 72 one-hour bars still read as a day-night
# pattern; longer spans by the day.
HOURLY_UP_TO = timedelta(days=3)
BINS = pl.Schema({  # type: ignore[arg-type]  # a dict literal of dtypes
    "bin_start": pl.Datetime("us", "UTC"), "n_comments": pl.UInt32, "n_deleted": pl.UInt32,
                  **{f"n_{label}": pl.UInt32 for label in schemas.STANCE_LABELS}})


def choose_bin(comments: pl.DataFrame) -> Bin:
    """"1h" when the dated comments span at most :data:`HOURLY_UP_TO`, else "1d"."""
    times = comments["created_at"].drop_nulls()
    if times.is_empty():
        return "1h"
    span = times.max() - times.min()  # type: ignore[operator]
    return "1h" if isinstance(span, timedelta) and span <= HOURLY_UP_TO else "1d"


def time_bins(comments: pl.DataFrame, stance: pl.DataFrame | None = None, *, every: Bin | None = None,
              column: str = "stance_article") -> tuple[pl.DataFrame, Bin, int]:
    """Counts per time bin: visible comments, deleted or removed ones, and each stance label.

    Returns ``(bins, width, n_undated)``; empty bins inside the span are included with zeros
    (a quiet night is a finding, not a gap).
    """
    width: Bin = every or choose_bin(comments)
    nodes = comments.filter(~pl.col("is_ghost") & (pl.col("kind") != "more"))
    undated = int(nodes["created_at"].null_count())
    dated = nodes.drop_nulls("created_at")
    if dated.is_empty():
        return pl.DataFrame(schema=BINS), width, undated
    if stance is not None and not stance.is_empty():
        dated = dated.join(stance.select("article_id", "comment_id", pl.col(column).alias("label")),
                           on=["article_id", "comment_id"], how="left")
    else:
        dated = dated.with_columns(pl.lit(None, pl.String).alias("label"))
    visible = pl.col("kind") == "comment"
    counted = dated.with_columns(pl.col("created_at").dt.truncate(width).alias("bin_start")).group_by("bin_start").agg(
        visible.sum().cast(pl.UInt32).alias("n_comments"),
        pl.col("kind").is_in(["deleted", "removed"]).sum().cast(pl.UInt32).alias("n_deleted"),
        *[(visible & (pl.col("label") == label)).sum().cast(pl.UInt32).alias(f"n_{label}")
          for label in schemas.STANCE_LABELS],
    )
    first, last = counted["bin_start"].min(), counted["bin_start"].max()
    grid = pl.DataFrame({"bin_start": pl.datetime_range(first, last, interval=width, eager=True,  # type: ignore[arg-type]
                                                        time_zone="UTC")})
    full = grid.with_columns(pl.col("bin_start").cast(BINS["bin_start"])).join(
        counted, on="bin_start", how="left").fill_null(0)
    return full.select(list(BINS)).cast(dict(BINS)), width, undated  # type: ignore[arg-type]
