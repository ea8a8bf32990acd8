"""Explicit quotation markup in comments: "Zitat:" blocks, "> " lines, inline „…“ quotes.

Patterns are data, each with the comment section or convention that motivated it; one
definition of a quote block serves the quotes stage (own text) and link extraction
(``in_quote``).  Regexes are bounded and free of nested quantifiers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# Longest inline quotation looked for (characters between the marks): bounds the regex work.
MAX_INLINE_CHARS = 2000
# Intro lines are matched on their first characters only.
MAX_INTRO_CHARS = 200

# --- Data: quotation markup -------------------------------------------------------------
# Each entry: (regex matched case-insensitively at the start of a stripped line, provenance).
# An intro may carry quoted text after its colon on the same line.
QUOTE_INTROS: tuple[tuple[str, str], ...] = (
    (
        r"zitat(?:[ \t]+(?:aus|von|vom|zum|zur|des|der)\b[^:\n]{0,60})?[ \t]*:",
        "German comment sections: 'Zitat:' on its own line, then '-' lines (reference page, "
        "comment B); 'Zitat aus dem Artikel:', 'Zitat von X:'",
    ),
    (
        r"(?:quote|quoting)\b[^:\n]{0,60}:",
        "English forum text exports: 'Quote:', 'Quoting Jane:', 'Quote from the article:'",
    ),
)
# Reply intros count only when the colon ends the line: "Er schreibt: ..." mid-line is
# reported speech, not a quotation block.
REPLY_INTROS: tuple[tuple[str, str], ...] = (
    (
        r"[^:\n]{0,60}\b(?:schrieb|schreibt|schreiben|schrieben)[ \t]*:",
        "German reply convention: 'Max schrieb:', 'Sie schreiben:' before the quoted lines",
    ),
    (
        r"[^:\n]{0,60}\b(?:wrote|writes)[ \t]*:",
        "English mail and forum replies: 'Jane wrote:', 'On Monday, Jane wrote:'",
    ),
)
# Lines that close a quotation block (removed with it).  Matched on the whole stripped line.
QUOTE_END_MARKERS: tuple[tuple[str, str], ...] = (
    (
        r"(?:zitat[ \t]*ende|ende[ \t]+(?:des[ \t]+)?zitat(?:e?s)?|/zitat)[.:!]?",
        "German: 'Zitat Ende', 'Zitatende', 'Ende des Zitats'",
    ),
    (r"(?:end[ \t]+(?:of[ \t]+)?quote|unquote|/quote)[.:!]?", "English: 'End quote', 'Unquote'"),
)
# Characters that mark quoted lines inside a block ("-" on the reference page, comment B).
LINE_MARKERS = "-–—>•*"
# Opening quote mark -> closing marks accepted (German „…“ and „…”, English “…”, ASCII "…",
# guillemets in both directions as German and Swiss/French typography use them).
QUOTE_PAIRS: dict[str, str] = {"„": "“”\"", "“": "”\"", '"': '"', "»": "«", "«": "»"}

_INTROS = tuple(re.compile(p, re.IGNORECASE) for p, _ in QUOTE_INTROS)
_REPLY_INTROS = tuple(re.compile(p, re.IGNORECASE) for p, _ in REPLY_INTROS)
_END_MARKERS = tuple(re.compile(p, re.IGNORECASE) for p, _ in QUOTE_END_MARKERS)
# One pattern per opening mark: bounded, one quantifier, no newline inside a quotation.
_INLINE = tuple(
    re.compile(re.escape(o) + r"([^\n" + re.escape(o + c) + r"]{1," + str(MAX_INLINE_CHARS) + r"})[" + re.escape(c) + "]")
    for o, c in QUOTE_PAIRS.items()
)
# Word parts every intro or end marker above contains: comments without them skip block detection.
_MARKUP_HINTS = ("zitat", "quot", "schrieb", "schreib", "wrote", "writes")


@dataclass(slots=True)
class _Block:
    region_start: int
    region_end: int
    content: list[tuple[int, int]] = field(default_factory=list)


def quote_block_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of explicit quotation blocks ("Zitat:" + marked lines, "> " lines).

    The one definition of a quote block, shared with link extraction (``in_quote``).

    Example:
        >>> text = "Zitat:\n-der Satz\n\nmeine Antwort"
        >>> [text[a:b] for a, b in quote_block_spans(text)]
        ['-der Satz']
    """
    return [span for block in _find_blocks(text) for span in block.content]


def _line_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each line, line break excluded (all of str.splitlines' breaks)."""
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        yield pos, pos + len(body)
        pos += len(line)


def _strip_span(text: str, start: int, end: int, chars: str | None = None) -> tuple[int, int]:
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip(chars))
    trail = len(seg) - len(seg.rstrip(chars))
    return (start + lead, end - trail) if end - trail > start + lead else (start, start)


def _intro(line: str) -> int | None:
    """End (in ``line``) of a quotation intro at the line's start, or None."""
    head = line[:MAX_INTRO_CHARS]
    for pattern in _INTROS:
        m = pattern.match(head)
        if m:
            return m.end()
    if line.rstrip().endswith(":"):
        for pattern in _REPLY_INTROS:
            m = pattern.match(head)
            if m and not line[m.end() :].strip():
                return m.end()
    return None


def _is_end_marker(line: str) -> bool:
    s = line.strip()
    return len(s) <= 40 and any(p.fullmatch(s) for p in _END_MARKERS)


def _find_blocks(text: str) -> list[_Block]:
    """Explicit quotation blocks: intro + marked lines or paragraph, and ">" lines."""
    blocks: list[_Block] = []
    mode = ""  # "" outside a block, "pending" after a bare intro, "marked", "para"
    marker = ""
    current: _Block | None = None
    last_gt_end = -2  # end of the previous line if it was a ">" line, to merge runs
    prev_end = -1

    def close() -> None:
        nonlocal current, mode
        if current is not None:
            if current.content:
                current.region_end = max(current.region_end, current.content[-1][1])
            blocks.append(current)
        current, mode = None, ""

    for start, end in _line_spans(text):
        line = text[start:end]
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        blank = not stripped.strip()
        if current is not None and mode:
            if _is_end_marker(line):
                current.region_end = end
                close()
                prev_end = end
                continue
            if mode == "pending":
                if blank:
                    prev_end = end
                    continue
                if stripped[0] in LINE_MARKERS:
                    mode, marker = "marked", stripped[0]
                else:
                    mode = "para"
            if mode == "marked":
                if blank:
                    prev_end = end
                    continue
                if stripped[0] == marker:
                    current.content.append(_strip_span(text, start + indent + 1, end, None))
                    prev_end = end
                    continue
                close()
            elif mode == "para":
                if blank:
                    close()
                    prev_end = end
                    continue
                current.content.append(_strip_span(text, start, end))
                prev_end = end
                continue
        if blank:
            prev_end = end
            continue
        if stripped.startswith(">"):
            content = _strip_span(text, start + indent, end, None)
            content = _strip_span(text, *_strip_gt(text, *content))
            if blocks and last_gt_end == prev_end and blocks[-1].region_end == prev_end:
                blocks[-1].content.append(content)
                blocks[-1].region_end = end
            else:
                blocks.append(_Block(start, end, [content]))
            last_gt_end = end
            prev_end = end
            continue
        intro_end = _intro(stripped)
        if intro_end is not None:
            rest_start, rest_end = _strip_span(text, start + indent + intro_end, end)
            current = _Block(start, end)
            if rest_end <= rest_start:
                mode = "pending"
            else:
                first = text[rest_start]
                closing = QUOTE_PAIRS.get(first)
                close_at = _find_any(text, closing, rest_start + 1, rest_end) if closing else -1
                if close_at >= 0:
                    # 'Zitat: „…“ own words': the quotation ends at its closing mark.
                    current.content.append((rest_start + 1, close_at))
                    current.region_end = close_at + 1
                    close()
                elif first in LINE_MARKERS:
                    mode, marker = "marked", first
                    current.content.append(_strip_span(text, rest_start + 1, rest_end))
                else:
                    mode = "para"
                    current.content.append((rest_start, rest_end))
        prev_end = end
    close()
    return [b for b in blocks if b.region_end > b.region_start]


def _strip_gt(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop nested '>' markers ('>> text') from the start of a quoted line."""
    while start < end and text[start] in "> \t":
        start += 1
    return start, end


def _find_any(text: str, chars: str, start: int, end: int) -> int:
    found = [i for i in (text.find(c, start, end) for c in chars) if i >= 0]
    return min(found) if found else -1


def _inline_quotes(text: str) -> list[tuple[int, int, int, int]]:
    """``(outer_start, outer_end, inner_start, inner_end)`` of „…“-style quotations, by start."""
    found = []
    for pattern in _INLINE:
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), m.start(1), m.end(1)))
    found.sort()
    # Keep the outermost of overlapping quotations ('"' inside „…“ and the like).
    out: list[tuple[int, int, int, int]] = []
    for q in found:
        if out and q[0] < out[-1][1]:
            continue
        out.append(q)
    return out


def _has_markup(text: str, lowered_tokens: str) -> bool:
    """Cheap test whether block detection can find anything (most comments have no markup).

    ``lowered_tokens`` is the comment's lowercased tokens joined by spaces: every intro and
    end marker contains one of the hint words.
    """
    return ">" in text or any(hint in lowered_tokens for hint in _MARKUP_HINTS)
