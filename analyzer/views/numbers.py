"""The thread numbers people see, each under the one metric name its stage writes.

A page, a report column and a summary cell name the metric itself (``visibility``,
``article_support_ratio``, ``frame_jsd_bits``); the human label lives here once.  There are
no alternative spellings: a number a stage does not write is not shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["share", "count", "number"]


@dataclass(frozen=True, slots=True)
class Number:
    """A thread-level number as shown: metric name, label, kind, and the stage writing it."""

    metric: str
    label: str
    kind: Kind
    stage: str
    # The count that stands behind a share (a metric of the same thread), shown beside it.
    base: str = ""


# The headline numbers of a thread, in display order (report table, corpus grid, summary).
HEADLINE: tuple[Number, ...] = (
    Number("max_depth", "max depth", "count", "structure"),
    Number("structural_virality", "structural virality", "number", "structure"),
    Number("h_index", "h-index", "count", "structure"),
    Number("visibility", "coverage", "share", "structure", base="n_announced"),
    Number("n_authors", "authors", "count", "structure"),
    Number("link_comment_share", "comments with links", "share", "links", base="n_text_comments"),
    Number("obfuscated_share", "obfuscated links", "share", "links", base="n_links"),
    Number("article_support_ratio", "support ratio S/(S+D)", "share", "stance", base="n_stance_comments"),
    Number("frame_jsd_bits", "frame divergence JSD (bits)", "number", "framing"),
    Number("tone_gap", "tone gap", "number", "nlp"),
)
BY_METRIC: dict[str, Number] = {n.metric: n for n in HEADLINE}
# Counts that are formatted as integers wherever they appear.
COUNT_COLUMNS = frozenset({"n", "n_visible", "n_announced", "n_ghost", "n_deleted", "n_issues", "n_total"})


def finite(value: Any) -> float | None:
    """``value`` as a float, or None for missing, NaN, infinite and non-numeric values."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_value(metric: str, value: Any) -> str:
    """A number as text: shares as percent, counts as integers, "–" when absent.

    Example:
        >>> format_value("visibility", 0.756), format_value("max_depth", 7.0), format_value("n", None)
        ('76 %', '7', '–')
    """
    number = finite(value)
    if number is None:
        return "–"
    known = BY_METRIC.get(metric)
    if known is not None and known.kind == "share":
        return f"{100 * number:.0f} %"
    if number.is_integer() and (metric in COUNT_COLUMNS or known is None or known.kind == "count"):
        return f"{int(number):,}".replace(",", " ")
    return f"{number:.2f}"


def format_share(k: int, n: int, *, low: float | None = None, high: float | None = None) -> str:
    """``"57 % (8 of 14; 95 % CI 33–79 %)"``: a share always with the counts behind it.

    Example:
        >>> format_share(8, 14, low=0.326, high=0.786)
        '57 % (8 of 14; 95 % CI 33–79 %)'
        >>> format_share(0, 0)
        '– (0 of 0)'
    """
    if n <= 0:
        return "– (0 of 0)"
    text = f"{100 * k / n:.0f} % ({k} of {n}"
    if low is not None and high is not None:
        text += f"; 95 % CI {100 * low:.0f}–{100 * high:.0f} %"
    return text + ")"
