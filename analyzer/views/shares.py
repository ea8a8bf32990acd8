"""Shares with the counts behind them and a 95 % Wilson score interval.

A share of 57 % from 8 of 14 comments and one from 300 of 521 are different findings; every
share the views produce therefore carries ``k`` and ``n``, the interval, and ``too_few`` when
``n`` is below :data:`MIN_N`, so that pages and reports can say "too few comments" instead
of printing a percentage.

References:
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. JASA 22(158), 209-212.  Brown, Cai & DasGupta (2001), Interval estimation for
    a binomial proportion, Statistical Science 16(2) (recommend Wilson over Wald for small n).
"""

from __future__ import annotations

import math

import polars as pl

Z_95 = 1.959963984540054
# Below this many comments a share is marked "too few": with n = 10 the Wilson interval of
# a 50 % share is 24-76 %, too wide to print a percentage as a finding.
MIN_N = 10


def wilson_interval(k: int, n: int, *, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of ``k`` successes in ``n`` trials; None when ``n`` is 0.

    Example:
        >>> low, high = wilson_interval(8, 14)
        >>> round(low, 3), round(high, 3)
        (0.326, 0.786)
    """
    if n <= 0:
        return None
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def with_shares(counts: pl.DataFrame, *, count: str = "n", by: list[str] | None = None,
                total: pl.Expr | None = None, min_n: int = MIN_N) -> pl.DataFrame:
    """Add ``n_total``, ``share``, ``ci_low``, ``ci_high`` and ``too_few`` to a frame of counts.

    Args:
        counts: one row per category with its count in column ``count``.
        by: columns that group rows into separate totals (e.g. ``["depth"]``); None = one total.
        total: an expression for the denominator instead of the sum of the counts.
        min_n: totals below this are marked ``too_few``.
    """
    k = pl.col(count)
    n_total = (total if total is not None else k.sum().over(by) if by else k.sum()).cast(pl.Int64)
    out = counts.with_columns(n_total.alias("n_total"))
    p = pl.col(count) / pl.col("n_total")
    z2 = Z_95 * Z_95
    n = pl.col("n_total").cast(pl.Float64)
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = Z_95 * ((p * (1 - p) / n + z2 / (4 * n * n)).sqrt()) / denominator
    valid = pl.col("n_total") > 0
    return out.with_columns(
        pl.when(valid).then(p).otherwise(None).alias("share"),
        pl.when(valid).then((centre - half).clip(0.0, 1.0)).otherwise(None).alias("ci_low"),
        pl.when(valid).then((centre + half).clip(0.0, 1.0)).otherwise(None).alias("ci_high"),
        (pl.col("n_total") < min_n).alias("too_few"),
    )
