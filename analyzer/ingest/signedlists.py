"""Comment lists that show only each comment's author and text, read where the page names the
comment system that printed them.

A comment system's no-script fallback, as saved, prints each comment as a list item holding the
author's name (sometimes after the author's web address) and the text below it: no date, no
buttons, no vote counts.  Such a list looks like any other list of names with paragraphs (a team
page, a sidebar), so it is read only right above a line in which the page says that the list
above is its comments ("blog comments powered by Disqus", "comments powered by …").  Nothing
here knows a site: the list is read backwards from that line, item by item, for as long as each
item is a name over prose.

* **Bulleted** captures (text browsers, markdown converters): an item is a bullet line whose
  content is a name, up to the next bullet at the same indentation.
* **Unbulleted** captures (Chromium's innerText): an item is a one-line paragraph that is a
  name, followed by the paragraphs of its text.  A one-line paragraph right under another one
  (a signature "Jeremy" over the next author's name) is text of the comment above.

The list starts where an item's text has no prose (a sidebar's "Related Topics" over
"Advertisement"), or where too many paragraphs pile up without a name (the article).  Each
comment is top level: the list shows no replies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzer.ingest.nameditem import NamedItem

__all__ = ["SignedList", "read_signed_list"]

# Least items for a list (one or two names over texts are any captioned paragraphs).
MIN_ITEMS = 3
# A name: at most this many words and characters, no sentence end.
NAME_MAX_WORDS = 5
NAME_MAX_CHARS = 50
# In a bulleted list the bullet marks the item: a pingback's linking title may stand there.
BULLET_NAME_MAX_WORDS = 14
BULLET_NAME_MAX_CHARS = 120
# Non-blank lines right above the system line in which a bullet makes the list a bulleted one.
BULLET_LOOKBACK = 12
# A prose line: this many words, or a sentence end.
PROSE_WORDS = 4
# Paragraphs of one comment's text in an unbulleted list; more without a name is the article.
MAX_ITEM_PARAGRAPHS = 8
# Non-blank lines between the list's last item and the comment system's line.
MAX_TAIL_LINES = 2
# Lines above the comment system's line searched for the list.
MAX_LIST_LINES = 4000

# The page's own line naming its comment list ("blog comments powered by Disqus"); a
# "Please enable JavaScript to view the comments powered by Disqus." notice has no list above.
_SYSTEM_LINE = re.compile(r"^(?:\[)?(?:blog\s+)?comments\s+powered\s+by\s+\S.{0,40}$", re.IGNORECASE)
_SYSTEM_WORDS = re.compile(r"comments[\s_]+powered", re.IGNORECASE)
_TAG = re.compile(r"<[^>\n]{1,300}>")
_MD_LINK = re.compile(r"\[([^\]\n]{1,200})\]\([^)\n]{0,500}\)")
_BULLET = re.compile(r"^(\s*)(?:[•*+·◦▪■‣○□-]|\d{1,3}[.)])(?:\s+(?:[•*+·◦▪■‣○□-](?=\s)))*\s+(\S.*)$")
_URL = re.compile(r"^(?:<)?(?:https?://|www\.)\S+(?:>)?\s+")
_SENTENCE_END = re.compile(r"[.!?…:;\"“”)]$")
_PROSE_END = re.compile(r"[.!?…\"“”)]$")
_INITIAL = re.compile(r"(?<![^\s])[^\W\d_]\.$")  # "Travis R."
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(slots=True)
class SignedList:
    items: list[NamedItem]
    system_line: int
    system: str
    bulleted: bool


def _plain(line: str) -> str:
    """A line without markup a converter kept (tags, link targets) and without edge spaces."""
    return _MD_LINK.sub(r"\1", _TAG.sub("", line)).strip()


def _name(content: str, bulleted: bool = False) -> str | None:
    """The author's name in an item's first line ("http://example.org Anna Berg"), or None."""
    content = _URL.sub("", content.strip()).strip(" *_")
    max_chars, max_words = (BULLET_NAME_MAX_CHARS, BULLET_NAME_MAX_WORDS) if bulleted else (NAME_MAX_CHARS, NAME_MAX_WORDS)
    if not content or len(content) > max_chars or len(content.split()) > max_words:
        return None
    if content[0] in "•*+·◦▪■‣○□-" or not _LETTER.search(content) or content.startswith(("http", "www.")):
        return None
    if _SENTENCE_END.search(content) and not (_INITIAL.search(content) or (bulleted and content.endswith("]"))):
        return None
    return content


def _prose(lines: list[str]) -> bool:
    return any(len(x.split()) >= PROSE_WORDS or (_PROSE_END.search(x) and _LETTER.search(x)) for x in lines if x)


def read_signed_list(lines: list[str]) -> SignedList | None:
    """The comments listed above the page's comment-system line, or None when there are none."""
    # Most pages have no such line: a plain substring test first keeps this linear and cheap.
    marks = [m for m, line in enumerate(lines) if "owered" in line and _SYSTEM_WORDS.search(line)]
    if not marks:
        return None
    plain = [_plain(line) for line in lines]
    for m in reversed(marks):
        if plain[m] and len(plain[m]) <= 80 and _SYSTEM_LINE.match(plain[m].replace("_", " ").strip("[]() ")):
            found = _bulleted(lines, plain, m) if _bullets_above(lines, m) else _unbulleted(plain, m)
            if found is not None:
                items, bulleted = found
                return SignedList(items=items, system_line=m, system=plain[m], bulleted=bulleted)
    return None


def _bullets_above(lines: list[str], m: int) -> bool:
    """Whether the capture marks list items with bullets right above the system line."""
    seen = 0
    for idx in range(m - 1, -1, -1):
        if lines[idx].strip():
            if _BULLET.match(lines[idx]):
                return True
            seen += 1
            if seen >= BULLET_LOOKBACK:
                return False
    return False


def _tail_start(plain: list[str], m: int) -> int | None:
    """The line after the list's last text: at most a few lines above the system line."""
    idx = m
    seen = 0
    while idx > 0:
        if plain[idx - 1]:
            if seen == MAX_TAIL_LINES or _prose([plain[idx - 1]]):
                return idx
            seen += 1
        idx -= 1
    return None


def _text(lines: list[str], start: int, end: int) -> str:
    body = [lines[i].rstrip() for i in range(start, end)]
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    base = min((len(x) - len(x.lstrip()) for x in body if x.strip()), default=0)
    return "\n".join(_plain(x) if x[:base].strip() else _MD_LINK.sub(r"\1", _TAG.sub("", x[base:])) for x in body)


def _bulleted(lines: list[str], plain: list[str], m: int) -> tuple[list[NamedItem], bool] | None:
    """Items that are bullet lines at one indentation, read upwards from the system line."""
    end = _tail_start(plain, m)
    if end is None:
        return None
    # The last item's bullet: the nearest bullet line above whose content is a name.
    bullets: dict[int, tuple[int, str]] = {}  # line -> (indentation, content)
    for i in range(max(0, m - MAX_LIST_LINES), m):
        match = _BULLET.match(lines[i])
        if match is not None:
            bullets[i] = (len(match.group(1).expandtabs(8)), _plain(match.group(2)))
    last = next((i for i in sorted(bullets, reverse=True) if i < end and _name(bullets[i][1], True)), None)
    if last is None:
        return None
    indent = bullets[last][0]
    level = [i for i in sorted(bullets) if bullets[i][0] == indent]
    items: list[NamedItem] = []
    stop = end
    nested_text: bool | None = None  # whether the texts are indented under their bullets
    for i in reversed([b for b in level if b <= last]):
        name = _name(bullets[i][1], True)
        body = [plain[j] for j in range(i + 1, stop)]
        if name is None or not _prose(body):
            break
        first = next(lines[j] for j in range(i + 1, stop) if plain[j])
        under = len(first) - len(first.lstrip()) > indent
        if nested_text is not None and under != nested_text:
            break  # a sidebar's bullet over unindented headings: not one of the list's items
        nested_text = under
        items.append(NamedItem(i, i + 1, stop, name, _text(lines, i + 1, stop)))
        stop = i
    items.reverse()
    return (items, True) if len(items) >= MIN_ITEMS else None


def _paragraphs(plain: list[str], end: int) -> list[tuple[int, int]]:
    """Paragraphs (first line, line after the last) above ``end``, the lowest first."""
    out: list[tuple[int, int]] = []
    idx = end
    while idx > 0 and len(out) < MAX_LIST_LINES:
        while idx > 0 and not plain[idx - 1]:
            idx -= 1
        if idx == 0:
            break
        stop = idx
        while idx > 0 and plain[idx - 1]:
            idx -= 1
        out.append((idx, stop))
    return out


def _unbulleted(plain: list[str], m: int) -> tuple[list[NamedItem], bool] | None:
    """Items that are one-line name paragraphs over text paragraphs, read upwards."""
    end = _tail_start(plain, m)
    if end is None:
        return None
    items: list[NamedItem] = []
    pending: list[tuple[int, int]] = []  # text paragraphs below, not yet claimed by a name
    names_only = 0
    for start, stop in _paragraphs(plain, end):
        one_name = stop - start == 1 and _name(plain[start]) is not None
        body = [plain[j] for p in pending for j in range(*p)]
        if one_name and pending and _prose(body):
            items.append(NamedItem(start, start + 1, pending[0][1], _name(plain[start]) or "",
                                    "\n".join(plain[pending[-1][0]: pending[0][1]]).strip()))
            pending = []
            names_only = 0
            continue
        if not one_name and not _prose(plain[start:stop]) and stop - start >= 3:
            # Navigation (short lines, no sentence): the list starts below it, unless its last
            # line is the first comment's name.
            last = _name(plain[stop - 1])
            if last is not None and pending and _prose(body):
                items.append(NamedItem(stop - 1, stop, pending[0][1], last,
                                        "\n".join(plain[pending[-1][0]: pending[0][1]]).strip()))
            break
        names_only = names_only + 1 if one_name else 0
        if names_only > 1 or len(pending) >= MAX_ITEM_PARAGRAPHS:
            break
        pending.append((start, stop))
    items.reverse()
    return (items, False) if len(items) >= MIN_ITEMS else None
