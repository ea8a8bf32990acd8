"""Counts behind shares: the Wilson score interval.

A share printed without its count misleads ("57 %" of 14 comments); every share the labels
stage writes carries ``n`` and a 95 % Wilson interval, which stays inside [0, 1] and behaves at
0 and n (unlike the normal approximation).

References:
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. JASA 22(158). Brown, Cai & DasGupta (2001), Interval estimation for a binomial
    proportion, Statistical Science 16(2) (why Wilson rather than Wald).
"""

from __future__ import annotations

import math

Z95 = 1.959963984540054


def wilson(k: int, n: int, z: float = Z95) -> tuple[float | None, float | None]:
    """95 % Wilson interval of ``k`` successes in ``n`` trials; ``(None, None)`` when n = 0.

    Example:
        >>> low, high = wilson(8, 14)
        >>> round(low, 3), round(high, 3)
        (0.326, 0.786)
    """
    if n <= 0:
        return None, None
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return low, high
