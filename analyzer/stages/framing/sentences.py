"""A fallback sentence splitter for article bodies (when the nlp stage gave no sentences).

Handles German ordinals ("6. Januar"), abbreviations and closing quote marks before a
sentence end.  Offsets index the text given.
"""

from __future__ import annotations

import re

from analyzer.stages.framing.quote_markup import QUOTE_PAIRS

_WHITESPACE = re.compile(r"\s+")
# Characters before a sentence end that do not hide it ('... verhaftet.“ Dann').
SENTENCE_CLOSERS = "\"'”“’‘»«)]"
# Abbreviations after which "." does not end a sentence (fallback splitter), lowercase, dots
# removed.  German and English newspaper usage.
ABBREVIATIONS = frozenset(
    "bzw ca dr etc evtl ggf hr fr inkl mio mrd nr prof sog st str usw vgl zb ua uä zt dh "
    "mr mrs ms jr sr vs eg ie approx no fig jan feb mar apr aug sep sept oct okt nov dec dez".split()
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``: the fallback when the nlp stage is absent.

    A sentence ends at a blank line, or at ".", "!", "?" or "…" (closing quotes and brackets
    may follow) before whitespace and a capital letter, digit or opening quote - unless the
    word before a "." is a known abbreviation, a single letter (an initial) or a number of
    one or two digits (German ordinals: "Am 6. Januar").  Spans are stripped of whitespace.

    Example:
        >>> text = "Am 6. Januar kam er. „Nein“, sagte sie. Dr. Who ging."
        >>> [text[s:e] for s, e in split_sentences(text)]
        ['Am 6. Januar kam er.', '„Nein“, sagte sie.', 'Dr. Who ging.']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for match in _WHITESPACE.finditer(text):
        ws_start, ws_end = match.span()
        if ws_end >= n or ws_start <= start:
            continue
        paragraph = text.count("\n", ws_start, ws_end) >= 2
        if paragraph or _ends_sentence(text, start, ws_start, ws_end):
            spans.append((start, ws_start))
            start = ws_end
    if start < n:
        spans.append((start, n))
    out = []
    for s, e in spans:
        seg = text[s:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if e - trail > s + lead:
            out.append((s + lead, e - trail))
    return out


def _ends_sentence(text: str, seg_start: int, ws_start: int, ws_end: int) -> bool:
    k = ws_start
    while k > seg_start and ws_start - k < 3 and text[k - 1] in SENTENCE_CLOSERS:
        k -= 1
    if k <= seg_start or text[k - 1] not in ".!?…":
        return False
    nxt = text[ws_end]
    if not (nxt.isupper() or nxt.isdigit() or nxt in QUOTE_PAIRS or nxt in "(["):
        return False
    if text[k - 1] == ".":
        w_start = k - 1
        while w_start > seg_start and k - w_start < 20 and not text[w_start - 1].isspace():
            w_start -= 1
        word = text[w_start : k - 1].lower().replace(".", "").lstrip("(\"'„“»«")
        if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or (word.isdigit() and len(word) <= 2):
            return False
    return True
