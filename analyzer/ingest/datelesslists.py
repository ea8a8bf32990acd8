"""Comment lists that print no date per comment, read under the page's comment header.

Some themes (Thesis-style "{ 167 comments }") print each comment as an avatar and the author's
name over the text, with no date line and no reply button, so the date-anchored shape reader
finds nothing.  Under a found comment header this reader anchors comments on a recurring short
name line that is marked as a comment's head in one of two ways:

* an avatar stand-in before the name ("[b008f] Anna Berg", "[IMG] Anna Berg", a markdown image
  on the line or alone on the line above), or
* the text under the name indented deeper than the name (text browsers keep the theme's
  indentation), which is also where the nesting is read from.

A list of names over prose can be many other things (a team page, a related-posts box), so the
reading needs strong evidence: a comment header above it, at least ``MIN_ANCHORS`` anchors each
followed by prose, names that vary like a conversation, and not more anchors than the header
announces.  Nothing here knows a site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzer.ingest import capturelist, patterns, signedlists
from analyzer.ingest.nameditem import NamedItem

__all__ = ["DatelessList", "read_dateless_list", "text_of"]

MIN_ANCHORS = 3
# Distinct authors among the anchors: a conversation has several voices.
MIN_DISTINCT_NAMES = 2
# Non-blank lines between the header and the first anchor (a "read them below" note, a form link).
MAX_LEAD_LINES = 8
# Non-blank lines of one comment without a new anchor: more is something other than a comment.
MAX_BODY_LINES = 120
# Anchors read beyond the announced count (a count printed before late comments).
COUNT_SLACK = 1.2

_PROSE_WORDS = 4
_WORD = re.compile(r"[^\W\d_]{2,}")
# A heading's marks: a section title ("### Categories"), never an author's name.
_HEADING = re.compile(r"^\s*(?:[*+-]\s+)?#{1,6}\s")
_DEFINITION = re.compile(r"^:\s{1,4}(?=\S)")


@dataclass(slots=True)
class DatelessList:
    items: list[NamedItem]
    header_line: int
    announced: int | None
    marked_by: str  # "avatar" or "indentation"


def _indent(line: str) -> int:
    """Indentation; a definition-list mark (":   text", markdown converters) counts as one
    more level, since it is how they print a text under its name."""
    line = line.expandtabs(8)
    stripped = line.lstrip()
    return len(line) - len(stripped) + (4 if _DEFINITION.match(stripped) else 0)


def _next_content(lines: list[str], idx: int, limit: int = 4) -> int | None:
    """The next non-blank line after ``idx`` (within ``limit`` lines), or None."""
    for j in range(idx + 1, min(len(lines), idx + 1 + limit)):
        if lines[j].strip():
            return j
    return None


def _is_prose(content: str) -> bool:
    """Words, not a bullet list of link titles with counts ("* * Books (54)")."""
    return len(_WORD.findall(content)) >= _PROSE_WORDS or (bool(_WORD.search(content))
                                                            and bool(re.search(r"[.!?…]$", content)))


def _text_follows(lines: list[str], start: int) -> bool:
    """Whether prose opens a comment's text at ``start``: a salutation ("Hello Sir,") may come
    first, so the first few lines count."""
    idx: int | None = start
    for _ in range(3):
        if idx is None or _avatar_end(lines[idx]) is not None:
            return False
        if _is_prose(signedlists._plain(_DEFINITION.sub("", lines[idx].strip()))):
            return True
        idx = _next_content(lines, idx)
    return False


def _anchor(lines: list[str], idx: int) -> tuple[str, str] | None:
    """(author, how it is marked) when line ``idx`` is a comment's head, else None."""
    line = lines[idx]
    end = _avatar_end(line)
    rest = line[end:] if end is not None else line
    # An avatar printed alone on the line above the name (html2text) marks it too.
    avatar = end is not None or (idx > 0 and _lone_avatar(lines[idx - 1]))
    content = signedlists._plain(rest)
    if not content or _HEADING.match(rest) or capturelist.section_header(content)[0] or (
            len(content) <= capturelist.WIDGET_HEADING_MAX and patterns.WIDGET_HEADING.match(content)):
        return None  # a heading ("### Categories", "Newsletter"), not an author
    name = signedlists._name(content)
    if name is None:
        return None
    nxt = _next_content(lines, idx)
    if nxt is None or _avatar_end(lines[nxt]) is not None:
        return None
    if avatar:  # the avatar marks the head: any text under it (":-D") is a comment
        return name, "avatar"
    if not _text_follows(lines, nxt):
        return None
    if _indent(lines[nxt]) > _indent(line):
        return name, "indentation"
    return None


def _headers(lines: list[str]) -> list[tuple[int, int | None]]:
    out = []
    for idx, line in enumerate(lines):
        content = line.strip()
        if content and len(content) <= 120:
            found, count = capturelist.section_header(content)
            if found:
                out.append((idx, count))
    return out


def read_dateless_list(lines: list[str]) -> DatelessList | None:
    """The dateless comment list under the page's comment header, or None without strong evidence."""
    for header, count in _headers(lines):
        found = _read_under(lines, header, count)
        if found is not None:
            return found
    return None


def _read_under(lines: list[str], header: int, count: int | None) -> DatelessList | None:
    first: int | None = None
    seen = 0
    for idx in range(header + 1, len(lines)):
        if not lines[idx].strip():
            continue
        if _anchor(lines, idx) is not None and _own_text(lines, idx):
            first = idx
            break
        seen += 1
        if seen > MAX_LEAD_LINES:
            return None
    if first is None:
        return None
    kind = _anchor(lines, first)[1]  # type: ignore[index]  # found above
    anchors: list[tuple[int, str]] = []
    base = _indent(lines[first])
    # Texts indented under their names: the list ends where a line comes back to the names' column.
    text_line = lines[first + 1] if lines[first + 1].strip() else lines[_next_content(lines, first) or first]
    indented = kind == "indentation" or _indent(text_line) > base
    idx = first
    since = 0
    while idx < len(lines):
        line = lines[idx]
        if line.strip():
            found = _anchor(lines, idx)
            if found is not None and _indent(line) >= base:
                anchors.append((idx, found[0]))
                since = 0
            elif anchors and _ends_list(line, indented, base):
                break
            else:
                since += 1
                if since > MAX_BODY_LINES:
                    break
        idx += 1
    end = idx
    anchors = _with_text(lines, anchors, end)
    # Without a count to check against, more voices are needed: a sidebar's widget headings over
    # their texts ("Search …", "ADVERTISE WITH US" twice) are names over text too.
    distinct = MIN_DISTINCT_NAMES if count is not None else MIN_ANCHORS
    if len(anchors) < MIN_ANCHORS or len({a for _, a in anchors}) < distinct:
        return None
    if count is not None and len(anchors) > count * COUNT_SLACK + 2:
        return None  # more "comments" than the header announces: not this list
    items: list[NamedItem] = []
    for n, (line_no, author) in enumerate(anchors):
        body_stop = anchors[n + 1][0] if n + 1 < len(anchors) else end
        # An avatar printed alone on the line above the next name belongs to the next comment.
        while body_stop - 1 > line_no and (not lines[body_stop - 1].strip() or _lone_avatar(lines[body_stop - 1])):
            body_stop -= 1
        items.append(NamedItem(line_no, line_no + 1, body_stop, author, text_of(lines, line_no + 1, body_stop),
                               _indent(lines[line_no])))
    return DatelessList(items=items, header_line=header, announced=count, marked_by=kind)


def _own_text(lines: list[str], idx: int) -> bool:
    """Whether words follow the name line at ``idx`` before the next name line."""
    for j in range(idx + 1, min(len(lines), idx + 1 + MAX_BODY_LINES)):
        if _anchor(lines, j) is not None:
            return False
        if _WORD.search(signedlists._plain(lines[j])) and _avatar_end(lines[j]) is None:
            return True
    return False


def _with_text(lines: list[str], anchors: list[tuple[int, str]], end: int) -> list[tuple[int, str]]:
    """The anchors with words of their own before the next one: a short line right over the next
    name (a form's "Post a Comment", a line of a text over a quoted name) is no comment's head."""
    kept: list[tuple[int, str]] = []
    stop = end
    for line_no, author in reversed(anchors):
        if any(_WORD.search(signedlists._plain(lines[j])) and _avatar_end(lines[j]) is None for j in range(line_no + 1, stop)):
            kept.append((line_no, author))
            stop = line_no
        # else: the line stays in the text of the comment above
    kept.reverse()
    return kept


def _avatar_end(line: str) -> int | None:
    """Where an avatar stand-in at the start of ``line`` ends ("[b008f] Anna", "[IMG] Anna", a
    markdown image), after the line's indentation, or None without one."""
    content = line.lstrip()
    found = patterns.AVATAR.match(content)
    return None if found is None else len(line) - len(content) + found.end()


def _lone_avatar(line: str) -> bool:
    end = _avatar_end(line)
    return end is not None and not line[end:].strip()


def _ends_list(line: str, indented: bool, base: int) -> bool:
    """Whether a non-anchor line closes the list: back at (or left of) the list's indentation
    when the texts are indented under their names, or a heading-like short line otherwise."""
    content = signedlists._plain(line)
    if indented:
        return _indent(line) <= base
    # Flat capture: the text sits at the name's indentation; the list ends at a short line
    # that is no prose (a form heading "Leave a Comment", a navigation line).
    return not _is_prose(content) and len(content.split()) <= 6 and _avatar_end(line) is None


def text_of(lines: list[str], start: int, end: int) -> str:
    """A comment's text: its lines without the indentation they share, markup and definition marks."""
    body = [lines[i].rstrip().expandtabs(8) for i in range(start, end)]
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    base = min((len(x) - len(x.lstrip()) for x in body if x.strip()), default=0)
    return "\n".join(signedlists._plain(_DEFINITION.sub("", x[base:].lstrip())) if x.strip() else "" for x in body)
