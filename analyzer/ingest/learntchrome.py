"""Post chrome learnt from the comments themselves, cut from the start and end of their texts.

A forum post printed as text carries its member card above or below the words (name, rank,
"View Profile", "Join Date" / "Jan 2000", "Posts: 782", "Top", a rule), and each system prints
other labels in other languages.  Instead of a vocabulary per system, the card is learnt from
the page: the lines that open or close the texts of at least half of the comments (digits aside;
for a "Label: value" line its label) are chrome; so is the line naming the comment's own author
("Jakob", "Jakob is offline", "Jakob's Avatar"), the value right under a chrome label, a rule,
and the few short lines (a rank, "Thinker") between such lines.  The cut stops at the first
line that is none of these, and never takes a whole text.

Used by :mod:`analyzer.ingest.pagetext` on every reading of a real capture (session 11): on
a WordPress list nothing recurs at the texts' edges and nothing changes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from analyzer.core.records import RawComment

__all__ = ["strip_learnt_chrome"]

# Comments needed to learn anything (two texts opening alike may be chance).
MIN_COMMENTS = 3
# A line is chrome when it opens or closes (within the window) this share of the texts.
CHROME_SHARE = 0.5
# Non-blank lines at each end of a text searched for chrome.
WINDOW = 16
# Short lines between chrome lines (a rank, a status) taken with them, at most this many in a row.
MAX_LOOSE = 2
LOOSE_MAX_CHARS = 30
LOOSE_MAX_WORDS = 4
VALUE_MAX_CHARS = 40
# A line ending like a sentence with this many words is prose: the edge of a text's words.
PROSE_WORDS = 4
CHROME_MAX_CHARS = 80
# Share of the comments whose texts must show a chrome run for any cut to be made.
RUN_SHARE = 0.5

_DIGITS = re.compile(r"\d+")
_BULLETS = " \t•*·□●○◦▪■‣☆★+>|-–"
_RULE = re.compile(r"^[\s━─═_\-–—=*·.~]{3,}$")
_LABEL_VALUE = re.compile(r"^([^\W\d_][^\W\d_'’.-]*(?:\s[^\W\d_][^\W\d_'’.-]*){0,2})\s?:\s*\S")
_LABEL = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:\s[^\W\d_][^\W\d_'’.-]*){0,2}:?$")
_SENTENCE_END = re.compile(r"[.!?…]$")


def _key(content: str) -> str:
    match = _LABEL_VALUE.match(content)
    if match is not None and len(content) <= CHROME_MAX_CHARS:
        return match.group(1).casefold() + ":"
    return _DIGITS.sub("9", content.casefold())


def _edge(lines: list[str], from_end: bool) -> list[str]:
    """The non-blank lines at one end of a text, up to its first line of prose: a card stands
    outside the words, so buttons under a short text do not count as opening it."""
    out: list[str] = []
    for line in reversed(lines) if from_end else lines:
        row = line.strip().strip(_BULLETS)
        if not row or _RULE.match(row):
            continue
        if len(row) > CHROME_MAX_CHARS or (_SENTENCE_END.search(row) and len(row.split()) >= PROSE_WORDS):
            break
        out.append(row)
        if len(out) == WINDOW:
            break
    return out


def _names(comment: RawComment, first: str | None) -> list[str]:
    out: list[str] = []
    if comment.author:
        out.extend(w for w in re.split(r"[\s»«|·,]+", comment.author) if len(w) >= 3)
    if first:
        out.append(first)
    return [n.casefold() for n in out]


def _run(lines: list[str], from_end: bool, chrome: frozenset[str], names: list[str]) -> int:
    """How many lines at one end of a text are chrome (blank lines included), 0 when none is."""
    order = range(len(lines) - 1, -1, -1) if from_end else range(len(lines))
    taken = 0  # lines (from the end walked) confirmed as chrome
    loose = 0
    seen_chrome = False
    after_label = False
    for n, idx in enumerate(order):
        content = lines[idx].strip().strip(_BULLETS)
        if not content:
            continue
        folded = content.casefold()
        if _RULE.match(content) or (len(content) <= CHROME_MAX_CHARS and _key(content) in chrome):
            seen_chrome = True
            loose = 0
            taken = n + 1
            after_label = bool(_LABEL.match(content)) and not any(ch.isdigit() for ch in content)
            continue
        if len(content) <= CHROME_MAX_CHARS and not _SENTENCE_END.search(content) and any(
                re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", folded) for name in names):
            loose = 0
            taken = n + 1
            after_label = False
            continue
        if after_label and not from_end and len(content) <= VALUE_MAX_CHARS and not _SENTENCE_END.search(content):
            after_label = False  # the value under a bare label ("Join Date" / "Jan 2000")
            taken = n + 1
            continue
        after_label = False
        if (loose < MAX_LOOSE and len(content) <= LOOSE_MAX_CHARS and len(content.split()) <= LOOSE_MAX_WORDS
                and not _SENTENCE_END.search(content)):
            loose += 1
            continue
        break
    return taken if seen_chrome else 0


def strip_learnt_chrome(comments: Sequence[RawComment], page: Sequence[str] = ()) -> int:
    """Cut the learnt post chrome off the start and end of every comment's text; returns how
    many texts changed.  Authors that are no name (an ordinal "2.") take the card's name line.

    ``page`` (the capture's lines) lets a line count as often as the list shows it, not only as
    often as it is left at a text's edge (a reader may have cut some cards already).
    """
    if len(comments) < MIN_COMMENTS:
        return 0
    heads: Counter[str] = Counter()
    tails: Counter[str] = Counter()
    for comment in comments:
        lines = comment.text.split("\n")
        heads.update({_key(r) for r in _edge(lines, False) if len(r) <= CHROME_MAX_CHARS})
        tails.update({_key(r) for r in _edge(lines, True) if len(r) <= CHROME_MAX_CHARS})
    need = max(MIN_COMMENTS, CHROME_SHARE * len(comments))
    shown: Counter[str] = Counter()
    starts = [c.source_line - 1 for c in comments if c.source_line is not None]
    if page and starts:
        for row in page[min(starts):]:
            content = row.strip().strip(_BULLETS)
            if content and len(content) <= CHROME_MAX_CHARS:
                shown[_key(content)] += 1
    # Below the texts the page's count confirms a line one text ends with (the last post's
    # buttons); above them only the texts count: the buttons under a short text ("Loose*") open
    # the next comment's text where a reader ran two comments together, and the page shows them
    # under every comment.
    # A numbered line opening the texts ("Episode 1", "Episode 2": a title the posters give) is
    # their words; a card's numbers sit in its labelled fields ("Posts: 2,964") or stand alone
    # (a vote count "+3").
    chrome_head = frozenset(k for k, n in heads.items() if n >= need and (
        "9" not in k or k.endswith(":") or not any(ch.isalpha() for ch in k)))
    chrome_tail = frozenset(k for k, n in tails.items() if n >= need or (n and shown[k] >= need))
    if not chrome_head and not chrome_tail:
        return 0
    cuts: list[tuple[int, int]] = []
    for comment in comments:
        lines = comment.text.split("\n")
        edge = _edge(lines, False)
        first = edge[0] if edge and len(edge[0]) <= LOOSE_MAX_CHARS and len(edge[0].split()) <= LOOSE_MAX_WORDS else None
        names = _names(comment, first)
        head = _run(lines, False, chrome_head, names) if chrome_head else 0
        tail = _run(lines, True, chrome_tail, _names(comment, None)) if chrome_tail else 0
        if head + tail >= len(lines) or not "".join(lines[head: len(lines) - tail]).strip():
            head = tail = 0  # never the whole text
        cuts.append((head, tail))
    # Chrome the page shows under half of the comments is systematic; learnt from the texts alone
    # it must show at an edge of half of them.
    if not shown and sum(1 for h, t in cuts if h or t) < RUN_SHARE * len(comments):
        return 0
    changed = 0
    for comment, (head, tail) in zip(comments, cuts, strict=True):
        if not head and not tail:
            continue
        lines = comment.text.split("\n")
        if head and (comment.author is None or not any(ch.isalpha() for ch in comment.author)):
            name = next((r for r in _edge(lines[:head], False) if len(r) <= LOOSE_MAX_CHARS), None)
            comment.author = name or comment.author
        kept = lines[head: len(lines) - tail]
        base = min((len(x) - len(x.lstrip(" ")) for x in kept if x.strip()), default=0)
        comment.text = "\n".join(x[base:] if len(x) - len(x.lstrip(" ")) >= base else x.strip() for x in kept).strip("\n")
        changed += 1
    return changed
