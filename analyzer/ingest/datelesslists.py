"""Comment lists that print no date per comment, read under the page's comment header.

Some themes (Thesis-style "{ 167 comments }") print each comment as an avatar and the author's
name over the text, with no date line and no reply button, so the date-anchored shape reader
finds nothing.  Under a found comment header this reader anchors comments on a recurring short
name line that is marked as a comment's head in one of two ways:

* an avatar stand-in before the name ("[b008f] Anna Berg", "[IMG] Anna Berg", a markdown image
  on the line or alone on the line above), or
* the text under the name indented deeper than the name (text browsers keep the theme's
  indentation), which is also where the nesting is read from.

Where neither shows (a browser's copied text, converters that drop images), the shape that
sets the name lines apart is learnt under a header that counts its comments: the space the
avatar left before the name, or the blank lines it left around it (:func:`_learn_shape`).
Such a list, and a flat avatar list, are read flat; in a flat avatar list a bare name between
avatar heads (a commenter without a linked avatar) is a head too.

A list of names over prose can be many other things (a team page, a related-posts box), so the
reading needs strong evidence: a comment header above it, at least ``MIN_ANCHORS`` anchors each
followed by prose, names that vary like a conversation, and not more anchors than the header
announces.  Nothing here knows a site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzer.ingest import capturelist, listevidence, patterns, signedlists
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
# Lines under the header in which the bare name lines' shape is learnt.
SHAPE_REGION_LINES = 4000
# Heads known by a learnt shape alone under a header without a count: a longer list is needed.
SHAPE_MIN_ANCHORS_UNCOUNTED = 5
# Non-blank lines after a short line of a flat list in which the next head must come for the
# line to be read as text ("Additionally:") rather than as the end of the list.
ANCHOR_SOON_LINES = 20

_PROSE_WORDS = 4
_WORD = re.compile(r"[^\W\d_]{2,}")
# A heading's marks: a section title ("### Categories"), never an author's name.
_HEADING = re.compile(r"^\s*(?:[*+-]\s+)?#{1,6}\s")
_DEFINITION = re.compile(r"^:\s{1,4}(?=\S)")


@dataclass(frozen=True, slots=True)
class Shape:
    """How a page's bare name lines differ from its text: ``mark`` = (the name sits deeper than
    the text under it, more blank lines between name and text than between the text's
    paragraphs); ``gap`` = the blank lines between the text's paragraphs."""

    mark: tuple[bool, bool]
    gap: int


# Asks :func:`_anchor` for any bare name line over text, whatever its shape.
_PROBE = Shape(mark=(False, False), gap=-1)


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


def _anchor(lines: list[str], idx: int, shape: Shape | None = None) -> tuple[str, str] | None:
    """(author, how it is marked) when line ``idx`` is a comment's head, else None.

    ``shape``: the line shape the page's bare name lines were learnt to have (:func:`_learn_shape`),
    which marks a head too."""
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
    if name is None or listevidence.form_heading(name):
        return None  # "Previewing your Comment", "Post a comment": the reply form's headings
    # Converters that drop the avatar leave up to five blank lines between name and text.
    nxt = _next_content(lines, idx, 4 if shape is None else 6)
    if nxt is None or _avatar_end(lines[nxt]) is not None:
        return None
    if avatar:  # the avatar marks the head: any text under it (":-D") is a comment
        return name, "avatar"
    if not _text_follows(lines, nxt):
        return None
    if shape is None:
        return (name, "indentation") if _indent(lines[nxt]) > _indent(line) else None
    if shape is _PROBE:
        return name, "bare"  # any name line over text: its shape is being learnt
    # The capture showed no indentation marks (the reading without a shape failed): a deeper
    # line under a name here is a stray (" ." after a line of text), so only the shape counts.
    found = _shape_of(lines, idx, nxt, shape.gap)
    if found is not None and all(have or not need for have, need in zip(found, shape.mark, strict=True)):
        return name, "line shape"
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
    headers = _headers(lines)
    for header, count in headers:
        found = _read_under(lines, header, count)
        if found is not None:
            return found
    # Names with no mark of their own (a browser's copied text, converters that drop images):
    # the line shape that sets them apart from the text, learnt under the header.
    # Only under headers that count their comments (a learnt shape is weak evidence, and a
    # page of teasers has a "Comments (3)" under every one); the line probes are shared.
    probes: dict[int, bool] = {}
    for header, count in headers:
        if count is None or count < MIN_ANCHORS:
            continue
        shape = _learn_shape(lines, header, probes)
        if shape is not None:
            found = _read_under(lines, header, count, shape)
            if found is not None:
                return found
    return None


def _read_under(lines: list[str], header: int, count: int | None, shape: Shape | None = None) -> DatelessList | None:
    first: int | None = None
    seen = 0
    for idx in range(header + 1, len(lines)):
        if not lines[idx].strip():
            continue
        if _anchor(lines, idx, shape) is not None and _own_text(lines, idx, shape):
            first = idx
            break
        seen += 1
        if seen > MAX_LEAD_LINES:
            return None
    if first is None:
        return None
    kind = _anchor(lines, first, shape)[1]  # type: ignore[index]  # found above
    anchors: list[tuple[int, str]] = []
    base = _indent(lines[first])
    # Texts indented under their names: the list ends where a line comes back to the names' column.
    text_line = lines[first + 1] if lines[first + 1].strip() else lines[_next_content(lines, first) or first]
    indented = kind == "indentation" or _indent(text_line) > base
    # A flat list whose heads carry avatars: a commenter without a linked avatar is printed as
    # the bare name (elinks shows "[IMG]" for linked images only).
    bare = kind == "avatar" and not indented
    bare_lines: set[int] = set()
    idx = first
    since = 0
    while idx < len(lines):
        line = lines[idx]
        if line.strip():
            found = _anchor(lines, idx, shape) or (_bare_head(lines, idx) if bare and anchors else None)
            if found is not None and _indent(line) >= base:
                anchors.append((idx, found[0]))
                if found[1] == "bare name":
                    bare_lines.add(idx)
                since = 0
            elif anchors and _ends_list(line, indented, base) and (
                    indented or not _anchor_soon(lines, idx, shape, bare)):
                break
            else:
                since += 1
                if since > MAX_BODY_LINES:
                    break
        idx += 1
    end = idx
    # Bare names count only between marked heads: after the last avatar a name-like line over
    # text is a sidebar's box ("Get Email Updates" over its blurb), so the list ends there.
    while bare and anchors and anchors[-1][0] in bare_lines:
        end = anchors.pop()[0]
    anchors = _with_text(lines, anchors, end)
    if (shape is not None or bare_lines) and count is not None and count < len(anchors) <= count * COUNT_SLACK + 2:
        # Heads read by their shape or a bare name: those past the announced count are the
        # sidebar's boxes under the list ("Get Email Updates" over its blurb); their lines stay
        # on the page as navigation.
        end = anchors[count][0]
        anchors = anchors[:count]
    # Without a count to check against, more voices are needed: a sidebar's widget headings over
    # their texts ("Search …", "ADVERTISE WITH US" twice) are names over text too.
    distinct = MIN_DISTINCT_NAMES if count is not None else MIN_ANCHORS
    least = MIN_ANCHORS
    if shape is not None and count is None:
        # Heads known only by a learnt line shape and no count to check them against.
        least, distinct = SHAPE_MIN_ANCHORS_UNCOUNTED, MIN_ANCHORS
    if len(anchors) < least or len({a for _, a in anchors}) < distinct:
        return None
    if count is not None and len(anchors) > count * COUNT_SLACK + 2:
        return None  # more "comments" than the header announces: not this list
    items: list[NamedItem] = []
    for n, (line_no, author) in enumerate(anchors):
        body_stop = anchors[n + 1][0] if n + 1 < len(anchors) else end
        # An avatar printed alone on the line above the next name belongs to the next comment.
        while body_stop - 1 > line_no and (not lines[body_stop - 1].strip() or _lone_avatar(lines[body_stop - 1])):
            body_stop -= 1
        # Heads known by a learnt shape show no nesting: a stray space before one name is no reply.
        indent = 0 if shape is not None else _indent(lines[line_no])
        items.append(NamedItem(line_no, line_no + 1, body_stop, author, text_of(lines, line_no + 1, body_stop),
                               indent))
    if listevidence.mostly_menus([it.text for it in items]):
        return None  # a footer's or sidebar's titles over their links ("Popular Topics" / "Latest News …")
    return DatelessList(items=items, header_line=header, announced=count, marked_by=kind)


# Words that open a one-line paragraph of a comment's text ("Hi Derek", "Update"), not a name.
_OPENERS = frozenset({
    "hi", "hello", "hey", "dear", "thanks", "thank", "cheers", "regards", "update", "updated", "edit",
    "yes", "no", "wow", "great", "nice", "good", "well", "ok", "okay", "ps", "p.s.", "note", "also", "and",
    "but", "so", "oh", "ah", "lol", "agreed", "exactly", "example", "question", "answer", "best",
})


def _bare_head(lines: list[str], idx: int) -> tuple[str, str] | None:
    """(author, "bare name") when line ``idx`` of a flat avatar-marked list is a name printed
    without its avatar: a paragraph of its own whose words are capitalised like a name, over prose."""
    if idx > 0 and lines[idx - 1].strip():
        return None
    found = _anchor(lines, idx, _PROBE)
    if found is None:
        return None
    words = found[0].split()
    if len(words) > 4 or words[0].lower().strip(",.!") in _OPENERS:
        return None
    if not all(w[0].isupper() or w.lower() in _PARTICLES for w in words) or (len(found[0]) > 3 and found[0].isupper()):
        return None  # a line of text ("more to come") or a shouted heading ("ADVERTISE")
    return found[0], "bare name"


# Lower-case words inside names ("Anna van Dijk", "Luis de la Cruz").
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "dos", "bin", "al"})


def _shape_of(lines: list[str], idx: int, nxt: int, gap: int) -> tuple[bool, bool] | None:
    """The shape of the name line ``idx`` over its text at ``nxt`` (see :class:`Shape`), or None
    when it is no paragraph of its own (a line of a text)."""
    if idx > 0 and lines[idx - 1].strip():
        return None
    return _indent(lines[idx]) > _indent(lines[nxt]), nxt - idx - 1 > gap


def _prose_like(line: str) -> bool:
    words = line.split()
    return len(words) >= _PROSE_WORDS or (bool(words) and words[-1][-1] in ".!?…")


def _paragraph_gap(lines: list[str], start: int, stop: int) -> int:
    """The commonest run of blank lines between two prose paragraphs in ``[start, stop)``: what
    separates the paragraphs of one text (runs around name lines are what is being learnt)."""
    runs: dict[int, int] = {}
    blank = 0
    last = ""
    for idx in range(start, stop):
        content = lines[idx]
        if content.strip():
            # Only the lines on either side of a blank run are tested (a cheap prose test: this
            # runs over the whole page under every counted header).
            if blank and _prose_like(last) and _prose_like(content):
                runs[blank] = runs.get(blank, 0) + 1
            blank = 0
            last = content
        else:
            blank += 1
    return max(runs, key=lambda n: (runs[n], -n)) if runs else 0


def _learn_shape(lines: list[str], header: int, probes: dict[int, bool]) -> Shape | None:
    """The shape that sets the bare name lines under ``header`` apart from their texts, or None.

    A browser's copied text drops the avatar but keeps the space after it (" Anna Berg" over
    text at the margin); a converter that drops images leaves the blank lines around them
    (the name, three blank lines, the text).  The candidates are the one-line paragraphs that
    are names over prose; the shape is kept when at least ``MIN_ANCHORS`` of them share one
    that ordinary paragraphs do not have.  ``probes`` keeps what was found per line across the
    page's headers."""
    stop = min(len(lines), header + 1 + SHAPE_REGION_LINES)
    gap = _paragraph_gap(lines, header + 1, stop)
    marks: dict[tuple[bool, bool], int] = {}
    for idx in range(header + 1, stop):
        content = lines[idx].strip()
        if not content or len(content) > signedlists.NAME_MAX_CHARS + 20 or lines[idx - 1].strip():
            continue
        nxt = _next_content(lines, idx, 6)
        mark = _shape_of(lines, idx, nxt, gap) if nxt is not None else None
        if mark is None or not any(mark):
            continue  # shaped like any paragraph: checked no further (the name test is the costly part)
        if idx not in probes:
            probes[idx] = _anchor(lines, idx, _PROBE) is not None  # a bare name over prose
        if probes[idx]:
            marks[mark] = marks.get(mark, 0) + 1
    if not marks:
        return None
    best = max(marks, key=lambda m: marks[m])
    return Shape(mark=best, gap=gap) if marks[best] >= MIN_ANCHORS else None


def _anchor_soon(lines: list[str], idx: int, shape: Shape | None, bare: bool) -> bool:
    """Whether another head follows within a few lines of ``idx`` with nothing that closes a
    list in between: a short line there ("Additionally:") is a line of a comment's text."""
    seen = 0
    for j in range(idx + 1, len(lines)):
        content = lines[j].strip()
        if not content:
            continue
        if capturelist.is_trailer(content) or patterns.CAPTURE_CLOSED.match(content) or (
                len(content) <= 120 and capturelist.section_header(content)[0]) or (
                len(content) <= capturelist.WIDGET_HEADING_MAX and patterns.WIDGET_HEADING.match(content)):
            return False
        if _anchor(lines, j, shape) is not None or (bare and _bare_head(lines, j) is not None):
            return True
        seen += 1
        if seen > ANCHOR_SOON_LINES:
            return False
    return False


def _own_text(lines: list[str], idx: int, shape: Shape | None = None) -> bool:
    """Whether words follow the name line at ``idx`` before the next name line."""
    for j in range(idx + 1, min(len(lines), idx + 1 + MAX_BODY_LINES)):
        if _anchor(lines, j, shape) is not None:
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
