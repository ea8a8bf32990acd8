"""Mark up the article body: quote heat per sentence and frame terms, as plain-text segments.

The output is a list of :class:`Segment` (text + marks), turned into ``html.Span`` elements by
the page: text stays text (Dash escapes it), so an article containing markup shows the markup
instead of running it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Longest body drawn with marks; beyond it the page shows the rest unmarked (a 1 MB body
# would otherwise become tens of thousands of DOM nodes).
MAX_MARKED_CHARS = 60_000
HEAT_LEVELS = 4


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of body text with the marks that apply to all of it."""

    text: str
    heat: int = 0  # 0 = not quoted, 1..HEAT_LEVELS = share of the most-quoted sentence
    n_quoting: int = 0
    frame: str | None = None


def heat_level(n: int, n_max: int) -> int:
    """Bucket a quote count into 1..HEAT_LEVELS relative to the most quoted sentence (0 for none)."""
    if n <= 0:
        return 0
    # The scale never stretches below HEAT_LEVELS comments, so one quoting comment stays pale.
    scale = max(n_max, HEAT_LEVELS)
    return max(1, min(HEAT_LEVELS, math.ceil(HEAT_LEVELS * n / scale)))


def heat_ranges(n_max: int) -> list[str]:
    """Legend text of each heat level ("1", "2", "3-4" ...), for the scale of :func:`heat_level`."""
    scale = max(n_max, HEAT_LEVELS)
    ranges = []
    low = 1
    for level in range(1, HEAT_LEVELS + 1):
        high = scale * level // HEAT_LEVELS
        ranges.append(str(low) if high <= low else f"{low}–{high}")
        low = max(high + 1, low + 1)
    return ranges


def body_segments(
    body: str,
    sentences: Iterable[tuple[int, int, int]],
    quote_counts: Mapping[int, int],
    term_spans: Iterable[tuple[int, int, str]],
    *,
    limit: int = MAX_MARKED_CHARS,
) -> list[Segment]:
    """Split ``body`` at sentence and term boundaries and attach marks.

    Args:
        body: the article body.
        sentences: ``(sent_idx, start_char, end_char)`` of the article's sentences.
        quote_counts: sentence index -> comments quoting it.
        term_spans: ``(start_char, end_char, frame)`` of frame terms; overlapping spans keep the first.
        limit: characters marked; the rest comes as one unmarked segment.

    Example:
        >>> [s.text for s in body_segments("Ab. Cd.", [(0, 0, 3), (1, 4, 7)], {1: 2}, [(4, 6, "x")])]
        ['Ab.', ' ', 'Cd', '.']
    """
    n = min(len(body), limit)
    spans = sorted((max(0, s), min(n, e), i) for i, s, e in sentences if e > s and s < n)
    terms: list[tuple[int, int, str]] = []
    for start, end, name in sorted(term_spans):
        start, end = max(0, start), min(n, end)
        if end > start and (not terms or start >= terms[-1][1]):
            terms.append((start, end, name))
    cuts = {0, n}
    for start, end, _ in spans:
        cuts.update((start, end))
    for start, end, _ in terms:
        cuts.update((start, end))
    points = sorted(cuts)
    n_max = max(quote_counts.values(), default=0)
    segments: list[Segment] = []
    s_ptr = t_ptr = 0
    for left, right in zip(points, points[1:], strict=False):
        while s_ptr < len(spans) and spans[s_ptr][1] <= left:
            s_ptr += 1
        while t_ptr < len(terms) and terms[t_ptr][1] <= left:
            t_ptr += 1
        n_quoting = 0
        if s_ptr < len(spans) and spans[s_ptr][0] <= left:
            n_quoting = int(quote_counts.get(spans[s_ptr][2], 0))
        frame = terms[t_ptr][2] if t_ptr < len(terms) and terms[t_ptr][0] <= left else None
        text = body[left:right]
        if not text:
            continue
        if segments and segments[-1].n_quoting == n_quoting and segments[-1].frame is None and frame is None:
            last = segments.pop()  # merge plain neighbours: fewer DOM nodes
            text = last.text + text
        segments.append(Segment(text, heat_level(n_quoting, n_max), n_quoting, frame))
    if len(body) > n:
        segments.append(Segment(body[n:]))
    return segments
