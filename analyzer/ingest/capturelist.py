"""Comment sections of real text captures: text-browser dumps, markdown, a browser's copied text.

The reference layout (``pagetext``) numbers every comment and shows nothing else.  Real pages
captured with ``w3m``/``lynx``/``elinks``/``links2``, converted with ``html2text`` or copied from
a browser (innerText) look different (``../shared/data/captures``, 13 pages x 6 tools):

* every comment carries **meta**: an author line and a date line ("Max sagt:" / "19. Juni
  2019 um 6:16"), often with an avatar placeholder ("[4bde]", "Avatar", "![](…)"), and buttons
  after its text ("Antworten", "Reply", "LikenLiken");
* replies are nested lists whose markers vary by tool: right-aligned ordinals (" 1." … "10."),
  bullets ("□", "•", "+", "*", "o"), a marker alone on its line (lynx), steps of 4 or 5 columns;
* markdown converters leave the text unindented and links as ``[text](url)`` over several lines;
* a browser's copied text has no markers and no indentation: only the order survives.

So this reader anchors comments on their **date lines**, which comment bodies rarely contain in
that short form.  With list markers (a marker whose lines, up to the next marker, start with
meta) the markers open comments and their columns give the nesting; markers not followed by
meta are lists inside a comment's text.  Without markers each date line (with the author line
above it) opens a comment, all top level with a low edge confidence and a ``nesting-lost``
issue: the capture does not show who replied to whom.
"""

from __future__ import annotations

import functools
import re
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from datetime import datetime

from analyzer.core.records import ParseIssue, RawComment
from analyzer.ingest import dates, listevidence, patterns

# Non-blank lines after a marker within which its date line must appear for the marker to open
# a comment (marker, avatar, author, date: lynx puts each on its own line).  Tuned on the shared
# captures (w3m/lynx/elinks/links2/html2text of the list-based pages): 4 covers every comment.
META_WINDOW = 4
# Edge confidence of a comment whose parent comes from list markers and their columns.
MARKER_EDGE_CONFIDENCE = 0.9
# Edge confidence in a capture without nesting (browser copy, divs without indentation): every
# comment is read as top level, which is only right for the top-level ones.
FLAT_EDGE_CONFIDENCE = 0.2
# Columns two markers may differ by and still be siblings (right-aligned ordinals " 9." / "10.",
# bullets one column off their ordinal siblings).
COLUMN_SLACK = 1
# An author line above a date line is short.
AUTHOR_MAX_CHARS = 80
AUTHOR_MAX_WORDS = 8
# Share of the date lines of a section that confirmed markers must claim for the markers to be
# trusted as the comment list (else the capture is read as flat).
MARKER_SHARE = 0.5
# Confirmed markers (the first after the header) that decide whether meta comes before or
# after the text: 10 is more than the longest run of body-list items seen in the captures.
LAYOUT_SAMPLE = 10
# Lines above a date searched for the "Name dijo:" line that opens a meta-after comment.
FLAT_AFTER_LOOKBACK = 80

_INDENT = re.compile(r"^[ ]*")
_MD_IMAGE_MULTI = re.compile(r"!\[[^\]]{0,300}\]\([^)]{0,800}\)")
# html2text wraps long URLs: up to four newlines inside the target are allowed (a comment's
# permalink under a long post slug wraps two or three times).
_MD_LINK_MULTI = re.compile(
    r"\[([^\]\[]{0,300})\]\(([^)\s]{0,800}(?:\n[^)\s]{0,800}){0,4}(?:\s+\"[^\"]{0,200}\")?)\)"
)
_WORDS = re.compile(r"\S+")
# A line that is only an empty emphasis ("__", "** **"): html2text's rendering of an icon element
# (wpDiscuz prints one between the name block and the text; round 6).  Emptied, the line stays.
# (Tokens apart: "____________" is a form field or a rule, and stays.)
_EMPTY_EMPHASIS_LINE = re.compile(r"^[ \t]*(?:__|\*\*)(?:[ \t]+(?:__|\*\*))*[ \t]*$", re.MULTILINE)
# "__" opening a word with no closing "__" on its line: an icon before a label or a date
# ("__Daumen hoch 4 __Daumen runter", " __1 Monat her"), not emphasis.
_EMPHASIS_OPEN = re.compile(r"(?:(?<=\s)|^)__(?=[^\s_])")
_EMPHASIS_CLOSE = re.compile(r"(?<=[^\s_])__(?=[\s.,;:!?)]|$)")


def _drop_icon_emphasis(text: str) -> str:
    """Remove html2text's empty emphasis before words (icon elements), line by line."""
    if "__" not in text:
        return text
    rows = text.split("\n")
    for idx, row in enumerate(rows):
        if "__" in row and _EMPHASIS_OPEN.search(row) and not _EMPHASIS_CLOSE.search(row):
            rows[idx] = _EMPHASIS_OPEN.sub("", row)
    return "\n".join(rows)


_MD_ESCAPE = re.compile(r"\\([.\-*_#\[\]()!+`<>])")
_AUTHOR_TRIM_CHARS = " \t|,:;/–—*_·•@-"  # str.strip: linear, unlike a "[…]+$" scan
# An empty list item (w3m "□", "☆") or a separator printed alone between the date and the buttons
# (markdownify: "[2 décembre 2017](…)" / "|" / "[Reply](…)"): no text.
_LONE_BULLETS = frozenset("□•●○◦▪■‣·☆★◇◆∙⁃*+-|/")
# "By Jane Doe, August 14, 2020", "Von Anna Muster, 3. Mai 2020": an article's byline (of this
# page or of a related article in a widget), never how a comment is signed on the held-out or
# shared captures (32 such lines, all bylines).
_BYLINE_START = re.compile(r"^\s*(?:By|Von|Par|Por|Door)\s+\S", re.IGNORECASE)
# "06.11.23 - 14:00 von Anna zu" / "Title of another post": WordPress's "Recent comments" widget
# ("%1$s on %2$s" in every translation) lists comments of other posts; its date line ends with the
# preposition.  No comment of the shared or held-out pages signs so (1,350 such lines, all on one
# widget page without comments).
_WIDGET_ITEM = re.compile(r"\s(?:zu|on|bei|to|sur|su|en|in|auf|op|bij|w|к|на)\s*$", re.IGNORECASE)


def widget_item(line: str) -> bool:
    """A recent-comments widget's date line ending with its preposition ("… von Anna zu")."""
    return bool(_WIDGET_ITEM.search(line))
_RELATIVE_MAX_CHARS = 60  # "50 Minuten 46 Sekunden her" with room for bullets
_URLISH = re.compile(r"https?://|www\.|\.(?:com|de|org|net)/")


@dataclass(slots=True)
class CaptureResult:
    """What the capture reader found in a page's lines."""

    comments: list[RawComment]
    header: int | None  # 0-based line of the section header
    announced: int | None
    start: int  # first line of the section (the header, or the first comment)
    end: int  # line after the section (trailer, closed notice, or end of page)
    term: int | None  # line of the reply form / "comments closed", when found
    closed: bool
    flat: bool
    n_pingbacks: int
    issues: list[ParseIssue] = field(default_factory=list)
    n_buttoned: int = 0  # comments followed by a reply/like/permalink line
    used_lines: set[int] = field(default_factory=set)  # lines that went into comments (meta included)
    undated: bool = False  # read as a counted list without names or dates (_counted_list)


@dataclass(slots=True)
class _Marker:
    line: int
    col: int  # column after the marker token (right edge): robust to right-aligned ordinals
    start_col: int
    rest: str  # text after the marker(s) on the line
    ordinal: int | None = None  # the number of an ordinal marker ("12." -> 12)


# Markdown converters that may not drop markup (pandoc -t gfm) pass the page's <div>/<span>
# through as raw HTML, a tag per line: with this many tag-only lines the capture is read with
# its tags removed (their text kept, each line in place).  Pages of prose quote a tag or two.
RAW_HTML_MIN_LINES = 10
_RAW_TAG_LINE = re.compile(
    r"^[ \t]*(?:<(?:/?(?:div|span|section|article|p|ul|ol|li|a|footer|header|nav|aside|figure|form|time|img|"
    r"br|input|label|button|noscript|cite|em|strong|b|i|table|tr|td|th|tbody|h[1-6])\b[^<>\n]{0,2000}|!--.{0,2000}?--)>[ \t]*)+$",
    re.MULTILINE | re.IGNORECASE,
)
# pandoc escapes a "<" the page shows as text ("\<a href=…\>" typed in a comment): not a tag.
_RAW_TAG = re.compile(r"(?<!\\)<(?:/?[a-zA-Z][a-zA-Z0-9-]{0,20}(?:\s[^<>\n]{0,2000})?/?|!--[^\n]{0,2000}?--)>")
_MD_BOLD = re.compile(r"\*\*([^*\n]{1,300})\*\*")


# Text browsers number their links unless told not to: ``lynx -dump`` and ``elinks -dump`` print
# "[224]Reply to this post" and list the targets under a closing "References" heading ("Visible
# links" / "Hidden links"); ``lynx -list_inline`` prints the target itself ("[https://…]Reply").
# Found on re-captures of the seen pages with those defaults (round 6, tests/bench/make_captures.py
# ``lynx_list``): the numbers hid every button line and the comment header of three pages.
_REFERENCES_HEAD = re.compile(r"^References[ \t]*$", re.MULTILINE)
_REFERENCE_ROW = re.compile(r"^[ \t]*(?:(?:Visible|Hidden) links:?[ \t]*|\d{1,6}\.[ \t]+\S[^\n]{0,3000})$")
_LINK_NUMBER = re.compile(r"\[\d{1,6}\]")
_INLINE_TARGET = re.compile(r"\[(?:https?|file|ftp|mailto|javascript):[^\]\s]{0,3000}\]")
# Share of the lines under "References" that must be the list's rows (the rest: targets with a newline).
REFERENCE_ROW_SHARE = 0.8
# At least this many inline targets before they are taken for the tool's and removed.
LINK_MARK_MIN = 3


def strip_link_references(text: str) -> str:
    """Remove a text browser's link numbers and its closing list of link targets.

    Only when the capture ends with that list (so a "[1]" footnote in a page without it stays),
    or, for inline targets, when several are printed.  The list's lines become blank lines: line
    numbers in issues stay those of the file.
    """
    if "References" in text:
        heads = list(_REFERENCES_HEAD.finditer(text))
        if heads:
            head = heads[-1]
            rows = text[head.end():].split("\n")
            filled = [row for row in rows if row.strip()]
            # (a target may itself hold a newline: most rows, and the first, are the list's)
            n_rows = sum(1 for row in filled if _REFERENCE_ROW.match(row))
            if filled and _REFERENCE_ROW.match(filled[0]) and n_rows >= REFERENCE_ROW_SHARE * len(filled):
                text = _LINK_NUMBER.sub("", text[:head.start()]) + "\n" * (len(rows) - 1)
    if "[" in text and ":" in text:
        marks = _INLINE_TARGET.findall(text)
        if len(marks) >= LINK_MARK_MIN:
            text = _INLINE_TARGET.sub("", text)
    return text


def strip_raw_html(text: str) -> str:
    """Remove raw HTML tags that a markdown converter left in, keeping their text and the lines."""
    n = 0
    for _ in _RAW_TAG_LINE.finditer(text):
        n += 1
        if n >= RAW_HTML_MIN_LINES:
            return _RAW_TAG.sub("", text)
    return text


# Debian's html2text prints a link as its text with underscores for spaces between two
# underscores ("_23._Juni_2016_um_17:21 Uhr_"); html2text (PyPI) writes emphasis as "_word_".
_UNDERSCORED = re.compile(r"(?<![\w_])_(?=[^\s_])([^\n]{1,200}?)(?<=[^\s_])_(?![\w_])")


def _underscored(match: re.Match[str]) -> str:
    return match.group(1).replace("_", " ")


# A line with underscored links ("16._March,_2023_at_16:59", "Zum_Antworten_anmelden Zitieren #",
# "… En réponse à : Didier_Porte_souhaite", Debian's html2text without the enclosing underscores):
# spaces come back when the line is then a date line or a button line.
_UNDERSCORED_LINE = re.compile(r"^[^\n_]{0,200}[^\s_]_[^\s_][^\n]{0,300}$", re.MULTILINE)


def _underscored_date(match: re.Match[str]) -> str:
    line = match.group(0)
    spaced = line.replace("_", " ")
    content = spaced.strip()
    if date_in_line(content) is not None or _furniture(content):
        return spaced.rstrip()
    return line


def normalise_markdown(text: str) -> str:
    """Unwrap markdown images and links that html2text spreads over several lines.

    Images go; links keep their text.  Newlines inside a link are moved after it so the line
    count of the page does not change (line numbers in issues stay right).  Raw HTML that a
    converter passed through goes first (:func:`strip_raw_html`); bold marks around words
    ("**Name** sagt:") go last.
    """
    text = strip_link_references(text)
    if "__" in text or "**" in text:
        text = _drop_icon_emphasis(_EMPTY_EMPHASIS_LINE.sub("", text))
    if "<" in text:
        text = strip_raw_html(text)
    if "_" in text:
        text = _UNDERSCORED.sub(_underscored, text)
        text = _UNDERSCORED_LINE.sub(_underscored_date, text)
    if "](" not in text:
        return _MD_BOLD.sub(r"\1", text) if "**" in text else text

    def image(match: re.Match[str]) -> str:
        return "\n" * match.group(0).count("\n")

    def link(match: re.Match[str]) -> str:
        inner = match.group(1)
        n = match.group(0).count("\n")
        return inner.replace("\n", " ") + "\n" * (n - inner.count("\n"))

    text = _MD_LINK_MULTI.sub(link, _MD_IMAGE_MULTI.sub(image, text))
    if "**" in text:
        text = _MD_BOLD.sub(r"\1", text)
    # Backslash escapes ("11\\. Dezember", "\\- item").
    return _MD_ESCAPE.sub(r"\1", text)


def _strip_lead(content: str) -> str:
    """Drop avatar placeholders and bullets in front of a meta line."""
    prev = None
    while prev != content:
        prev = content
        content = patterns.AVATAR.sub("", content, count=1).lstrip(" \t[(|*•□●")
    return content


def date_in_line(line: str) -> re.Match[str] | None:
    """The date of a meta line ("Max sagt: 19. Juni 2019 um 6:16 | Reply"), or None for prose.

    Kept per (line, the page's settings it depends on: month-year dates, the page's learnt
    furniture lines): the readers ask about the same lines again and again (a 2 MB board
    archive: 230,000 questions about 36,000 lines, a third of its reading time).  A match
    object is immutable, so one can be handed out twice."""
    content = line.strip()
    if not content or len(content) > patterns.DATE_LINE_MAX_CHARS:
        return None
    return _date_in_content(content, _MONTH_YEAR_POSTS.get(), _PAGE_FURNITURE.get())


@functools.lru_cache(maxsize=1 << 16)
def _date_in_content(
    content: str, month_year_posts: bool, furniture: frozenset[str]
) -> re.Match[str] | None:
    # ``furniture`` is read by _buttoned_relative (through _furniture) from the context; it
    # is part of the key so that one page's learnt furniture never answers for another's.
    del furniture
    digits = any(c.isdigit() for c in content)
    match = patterns.DATE_IN_LINE.search(content) if digits else None
    if match is None and digits and month_year_posts:  # "March 2018 edited March 2018"
        match = patterns.MONTH_YEAR_START.match(content)
    if match is None:
        # "1 Monat her", "vor 3 Stunden": a relative date alone on its line (wpDiscuz, Disqus).
        if len(content) <= _RELATIVE_MAX_CHARS and patterns.relative_date_line(content):
            return patterns.RELATIVE_DATE_LINE.match(content)
        return _signed_relative(content) or _buttoned_relative(content)
    tail = content[match.end():]
    if "n" in tail:  # "En réponse à : …", "In reply to …"
        tail = patterns.REPLY_TO_TAIL.sub("", tail)
    other = content[: match.start()] + " " + tail
    words = [w for w in _WORDS.findall(other) if not _URLISH.search(w)]
    if len(words) > patterns.DATE_LINE_MAX_OTHER_WORDS:
        # The list marker and avatar placeholders before the date are no words of the line
        # ('10. [1482c53] November 2, 2016 at 11:27 pm Robert " gold pirate "'; session 7).
        lead = content[: match.start()]
        mark = patterns.CAPTURE_MARKER.match(lead)
        lead = _strip_lead(lead[mark.end():] if mark is not None else lead)
        other = lead + " " + tail
        words = [w for w in _WORDS.findall(other) if not _URLISH.search(w)]
    if len(words) > patterns.DATE_LINE_MAX_OTHER_WORDS and not _button_tailed(tail, words):
        return None
    if other.rstrip().endswith((".", "!", "?")) and len(words) > 4:
        return None
    return match


# Whether this page dates its posts by month and year only (:func:`month_year_posts`); set by
# the page-text reader around its capture readers, off elsewhere.
_MONTH_YEAR_POSTS: ContextVar[bool] = ContextVar("month_year_posts", default=False)
# Month-year lines a page needs, each on its own between other lines (not in a run of them), to
# date its posts so: a thread of two posts has two.  A calendar widget's caption ("Februar 2020"
# over the day grid) is one; a monthly archive list is a run of adjacent ones.
MONTH_YEAR_MIN_POSTS = 2


def month_year_posts(lines: list[str]) -> bool:
    """Whether the page's month-year lines ("April 2019", "April 2019 edited April 2019") are
    post dates: at least :data:`MONTH_YEAR_MIN_POSTS` of them, none next to another."""
    found = [i for i, line in enumerate(lines)
             if patterns.MONTH_YEAR_START.match(line.strip()) and len(line.strip()) <= patterns.DATE_LINE_MAX_CHARS]
    alone = 0
    for k, i in enumerate(found):
        before = next((j for j in range(i - 1, -1, -1) if lines[j].strip()), None)
        after = next((j for j in range(i + 1, len(lines)) if lines[j].strip()), None)
        if (k == 0 or found[k - 1] != before) and (k + 1 == len(found) or found[k + 1] != after):
            alone += 1
    return alone >= MONTH_YEAR_MIN_POSTS


def dating_by_month(lines: list[str]) -> Token[bool]:
    """Let :func:`date_in_line` read month-year post dates on this page when it has them; give the
    token back to :func:`reset_dating` when the page is read."""
    return _MONTH_YEAR_POSTS.set(month_year_posts(lines))


def reset_dating(token: Token[bool]) -> None:
    _MONTH_YEAR_POSTS.reset(token)


_SIGNED_RELATIVE_MAX_CHARS = 100
_SIGNED_RELATIVE_NAME_WORDS = 5
_REL_DIRECTION_END = (" ago", " her", " fa", " geleden", " zuvor", " atrás")
_REL_DIRECTION_START = ("vor ", "il y a ", "hace ", "há ")


def _signed_relative(content: str) -> re.Match[str] | None:
    """The relative date of a name-and-age line ("MA Sullivan • 2 weeks ago"), or None.

    What precedes the separator must be a short name (at most five words, no sentence end):
    "Wir waren dort - vor 3 Jahren" in a comment's text is not meta."""
    if len(content) > _SIGNED_RELATIVE_MAX_CHARS:
        return None
    low = content.lower()
    if not low.endswith(_REL_DIRECTION_END) and not any(w in low for w in _REL_DIRECTION_START):
        return None
    match = patterns.SIGNED_RELATIVE_DATE.search(content)
    if match is None or not patterns.relative_date_line(match.group(0)):
        return None
    name = content[: match.start()]
    mark = patterns.CAPTURE_MARKER.match(name)  # "1. MA Sullivan • 2 weeks ago" (lynx, elinks)
    if mark is not None:
        name = name[mark.end():]
    name = _strip_lead(name).strip(" ·•|–—-")
    words = name.split()
    if not words or len(words) > _SIGNED_RELATIVE_NAME_WORDS or not name[:1].isalpha():
        return None
    initials = name.endswith(".") and words[-1].replace(".", "").isupper() and len(words[-1]) <= 6  # "Y.M."
    if _ends_sentence(name) and not initials:
        return None
    return match


def _buttoned_relative(content: str) -> re.Match[str] | None:
    """The relative date of a line that is the date and the comment's buttons ("1 ano atrás Link
    permanente", "2 days ago | Reply"), or None."""
    if len(content) > _SIGNED_RELATIVE_MAX_CHARS or not content[:1].isdigit() and not any(
            w in content.lower() for w in _REL_DIRECTION_START):
        return None
    match = patterns.RELATIVE_DATE_START.match(content)
    if match is None or not patterns.relative_date_line(match.group(0)):
        return None
    rest = content[match.end():].strip(" |/·•-–")
    return match if rest and _furniture(rest) else None


# A pingback's meta line carries the linking post's whole title before the date; with the
# reply button right after the date it is still a meta line ("Nach Urteil gegen X: Es
# herrscht große Verunsicherung 27. Juni 2018 um 7:11 Uhr - Antworten").  Titles of the
# tuning pages: at most 22 words.
_TAILED_MAX_OTHER_WORDS = 30


def _button_tailed(tail: str, words: list[str]) -> bool:
    """Whether a long line ends with its date and a reply button, nothing else after them."""
    rest = tail.strip(" |/·-–")
    return bool(rest) and len(words) <= _TAILED_MAX_OTHER_WORDS and _reply_button(rest) is not None


# A name after the date and a separator ("Posted on 3rd November 2023 | Anna Muster").
_SEPARATED_NAME = re.compile(r"^\s*[|·–—]\s*([^\s|·–—][^|·–—]{0,58}?)\s*$")
_SIGNATURE_SEPARATOR = re.compile(r"(?:\s[|·•–—-]|,|\s(?:am|on|le|el|il|op|um|at))\s*$", re.IGNORECASE)
_SIGNATURE_MAX_WORDS = 5
_BYLINE_WORDS = frozenset({
    "veröffentlicht", "publiziert", "posted", "published", "updated", "aktualisiert", "erstellt", "geschrieben",
    "written", "publié", "publicado", "pubblicato", "gepubliceerd", "opublikowano", "stand", "datum", "date",
})


def signed_date_line(line: str) -> bool:
    """Whether a line is a name and a date ("Anna Muster | Di, 21. April 2020 - 16:40", "Tom · March 10,
    2017 at 12:20 AM", "Ana am 3. Mai 2020"): how comments are signed, rarely anything else."""
    match = date_in_line(line)
    if match is None:
        return False
    content = line.strip()
    before = content[: match.start()]
    # A weekday before the date belongs to it ("Di, 21. April"): drop it and its separator.
    sep = _SIGNATURE_SEPARATOR.search(before)
    if sep is None:
        return False
    name = before[: sep.start()].strip(" |·•–—-,")
    words = name.split()
    if not words or len(words) > _SIGNATURE_MAX_WORDS or name.endswith((".", "!", "?", ":")):
        return False
    if words[0].lower() in _BYLINE_WORDS:
        return False  # "Veröffentlicht am …", "Posted on …": the article's or a widget's date
    if len(words) == 1 and len(name) <= 3:  # "Di," / "Mo": a weekday, no name
        inner = _SIGNATURE_SEPARATOR.search(name)
        return inner is not None and bool(name[: inner.start()].strip())
    return True


_DEEP_BULLETS = ("#", "@")


def _marker(line: str) -> _Marker | None:
    indent = len(line) - len(line.lstrip(" "))
    match = patterns.CAPTURE_MARKER.match(line, indent)
    if match is None:
        if line.endswith(_DEEP_BULLETS) and len(line) == indent + 1:
            # lynx and Debian html2text bullet deeper levels with "#" and "@"; alone on its line
            # (the comment's blocks follow) it is a marker, never a markdown heading (session 7).
            return _Marker(0, indent + 1, indent, "", None)
        return None
    end = match.end("marker")
    rest_start = match.end()
    # "□ ● Name": a second bullet is part of the marker run.
    second = patterns.CAPTURE_MARKER.match(line, rest_start)
    while second is not None and second.group("marker") in "□•●○◦▪■*+-☆★◇◆∙⁃":
        rest_start = second.end()
        second = patterns.CAPTURE_MARKER.match(line, rest_start)
    token = match.group("marker")
    ordinal = int(token[:-1]) if token[0].isdigit() else None
    return _Marker(0, end, indent, line[rest_start:].strip(), ordinal)


# Header candidates tried (those most date lines follow): pages have the count in the byline,
# the section header, and sidebar widgets.
MAX_HEADER_TRIALS = 4


def _header_candidates(lines: list[str], date_lines: list[int]) -> list[tuple[int, int | None]]:
    """Comment-section headers that date lines follow, most dates first."""
    candidates: list[tuple[int, int | None]] = []
    for idx, line in enumerate(lines):
        if len(line) > 300 or not line.strip():
            continue
        is_header, count = section_header(line)
        # "0 Comments" / "Keine Kommentare" says there are none: what follows is not a list.
        # A bare "Kommentar" right under the reply form's heading is the form's field label (the
        # dated "more about" box under the form was read as comments; session 8).
        if is_header and count is None and zero_below(lines, idx):
            continue  # "Replies" / "0" / "Voices" / "1": a statistics table saying there are none
        if (is_header and count != 0 and date_in_line(line) is None and not menu_entry(lines, idx, count)
                and not wrapped_tail(lines, idx, count) and not (count is None and _in_reply_form(lines, idx))):
            candidates.append((idx, count))
    scored: list[tuple[int, int, int | None]] = []
    for pos, (idx, count) in enumerate(candidates):
        nxt = candidates[pos + 1][0] if pos + 1 < len(candidates) else len(lines)
        n = sum(1 for d in date_lines if idx < d < nxt)
        if n:
            scored.append((n, idx, count))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [(idx, count) for _, idx, count in scored[:MAX_HEADER_TRIALS]]


def zero_below(lines: list[str], idx: int) -> bool:
    """Whether the header-like word is a field of a statistics table whose value, the next
    non-blank line, is "0" ("Replies" / "0" / "Voices" / "1" over a forum topic without
    replies): what follows is the topic's own post, not a comment (session 10)."""
    nxt = _nonblank_near(lines, idx, 1)
    return nxt is not None and nxt - idx <= 2 and lines[nxt].strip() == "0"


# A menu is a run of short undated lines: this many non-blank lines on each side of a header-like
# word, each at most MENU_MAX_WORDS words and MENU_MAX_CHARS characters.
MENU_NEIGHBOURS = 3
MENU_MAX_WORDS = 6
MENU_MAX_CHARS = 40
MENU_DATE_AHEAD = 6  # non-blank lines under a header searched for a comment's date


def menu_entry(lines: list[str], idx: int, count: int | None) -> bool:
    """Whether a header-like word without a count is an entry of a navigation menu ("Sport" /
    "Stadtrat" / "Diskussion" / "Kontakt" at the top of a page): a bulleted entry between short
    bulleted entries, or a word amid short undated lines on both sides with no date under it.
    A real comment header is followed by a name with a date, or by text; read from a menu entry,
    the whole article and its "related posts" box became comments (session 8: a page without
    comments, every tool)."""
    if count is not None:
        return False

    def short(content: str) -> bool:
        # A menu entry has a letter and no sentence end; a count ("224"), a heading's underline
        # ("=====") or a sentence ("Dieser Artikel hat 32 Kommentare.") is no menu entry.
        content = _strip_lead(content)
        return (len(content) <= MENU_MAX_CHARS and len(content.split()) <= MENU_MAX_WORDS
                and any(ch.isalpha() for ch in content) and not content.endswith((":", ".", "!", "?"))
                and date_in_line(content) is None)

    # A bulleted entry between two short bulleted entries, one of them at its own column
    # ("* De Asombro" / "* Opiniones" / "* Todas"): a text browser's menu.
    mark = _marker(lines[idx])
    if mark is not None and mark.ordinal is None:
        near = [pos for pos in (_nonblank_near(lines, idx, -1), _nonblank_near(lines, idx, 1)) if pos is not None]
        marks = [_marker(lines[pos]) for pos in near]
        if (len(near) == 2 and all(m is not None and m.ordinal is None and short(m.rest) for m in marks)
                and any(m is not None and m.start_col == mark.start_col for m in marks)):
            return True
    # A comment header is followed by the first comment's date within a few lines ("Kommentare" /
    # "Neueste zuerst" / "Anna" / "#1 — vor 8 Stunden"): not a menu (session 8).
    below = [pos for pos in range(idx + 1, min(len(lines), idx + 4 * MENU_DATE_AHEAD)) if lines[pos].strip()]
    if any(date_in_line(lines[pos]) is not None or patterns.SIGNED_RELATIVE_DATE.search(" ".join(lines[pos].split()))
           for pos in below[:MENU_DATE_AHEAD]):
        return False
    for step in (-1, 1):
        seen = 0
        pos = idx + step
        while 0 <= pos < len(lines) and seen < MENU_NEIGHBOURS:
            content = lines[pos].strip()
            if content:
                if not short(content):
                    return False
                seen += 1
            pos += step
        if seen < MENU_NEIGHBOURS:
            return False
    return True


def _nonblank_near(lines: list[str], idx: int, step: int) -> int | None:
    pos = idx + step
    while 0 <= pos < len(lines):
        if lines[pos].strip():
            return pos
        pos += step
    return None


# A line above a header-like word at least this long makes the word its wrapped last word.
WRAPPED_ABOVE_MIN = 40


def wrapped_tail(lines: list[str], idx: int, count: int | None) -> bool:
    """Whether a header-like word without a count is the last word of a paragraph the tool wrapped
    ("… Voir le questionnaire ou la synthèse des" / "réponses"): it starts lower-case and a long
    line stands right above it.  A heading starts with a capital letter or stands apart."""
    if count is not None or idx == 0:
        return False
    content = _strip_lead(lines[idx].strip()).lstrip("#*_ ")
    above = lines[idx - 1].strip()
    return bool(content[:1].islower() and len(above) >= WRAPPED_ABOVE_MIN)


def read_capture(lines: list[str], path: str, article_id: str) -> CaptureResult | None:
    """Read the comment section of a real capture, or None when there is no dated comment list.

    ``lines`` are the page's lines with tabs expanded and no-break spaces as spaces.  Every
    header candidate that date lines follow is tried; the reading with most comments wins.
    Lines the page repeats beside most of its date lines (a share button, a plugin's label)
    are buttons for this page (:func:`repeated_furniture`).
    """
    signed = _signed_comment_lines(lines)
    date_lines = [
        i for i, line in enumerate(lines)
        if date_in_line(line) is not None and (not _BYLINE_START.match(line) or i in signed)
        and not _WIDGET_ITEM.search(line) and not _CITATION.match(line) and not _dated_title(line)
        and not patterns.profile_value(lines, i)  # "Mitglied seit" / "12. Juni 2017": not a post's date
        and not _count_dated(line) and not _EDIT_NOTE.match(line)
    ]
    token = _PAGE_FURNITURE.set(repeated_furniture(lines, date_lines))
    try:
        return _read_capture(lines, path, article_id, date_lines)
    finally:
        _PAGE_FURNITURE.reset(token)


def _signed_comment_lines(lines: list[str]) -> frozenset[int]:
    """Dated byline-shaped lines that are a comment list's meta ("Par Anna Muster, le mercredi
    15 mai 2019 à 08h07" under "6 commentaires": Drupal news sites sign comments like articles).

    They count only under a header that announces a count, when at least
    :data:`NAMED_LIST_MIN` of them follow it and they are not more than twice the count
    (a "latest" widget under a "2 Comments" header prints many dated bylines).
    """
    if not any(_BYLINE_START.match(line) for line in lines):
        return frozenset()
    for idx, line in enumerate(lines):
        content = line.strip()
        if not content or len(content) > 60 or not content[:1].isdigit() and not content[:1].isalpha():
            continue
        is_header, count = section_header(content)
        if not is_header or not count:
            continue
        found = [i for i in range(idx + 1, len(lines))
                 if _BYLINE_START.match(lines[i]) and date_in_line(lines[i]) is not None]
        if NAMED_LIST_MIN <= len(found) <= 2 * count:
            return frozenset(found)
    return frozenset()


def _count_dated(line: str) -> bool:
    """A teaser's comment-count line ("• Kommentare — 3. August 2018", "12 Comments | March 3, 2019"):
    a comment word where a comment's meta line has the author's name.  Article lists beside and
    under the comments print one per teaser (session 7: 23 comments invented on one page)."""
    match = date_in_line(line)
    if match is None:
        return False
    content = line.strip()
    before = _strip_lead(content[: content.find(match.group(0))]).strip(" —–-|·•,:/")
    return bool(before) and len(before) <= _COUNT_LABEL_MAX and section_header(before)[0]


_COUNT_LABEL_MAX = 30


# "https://example.org/some/page 20.05.2019": a source cited in a comment with the day it was
# read, not the comment's meta line.
_CITATION = re.compile(r"^\s*(?:[-*•]\s*)?(?:https?://|www\.)\S+\s")
_TITLE_AFTER_DATE_WORDS = 3


def _dated_title(line: str) -> bool:
    """A headline that starts with a date ("8. November 1923: Vor 100 Jahren der Putsch"), as
    teasers and widgets print them: a colon right after the date and words after it."""
    match = date_in_line(line)
    if match is None:
        return False
    content = line.strip()
    rest = content[content.find(match.group(0)) + len(match.group(0)):]
    return rest.startswith(":") and len(rest[1:].split()) >= _TITLE_AFTER_DATE_WORDS


# A comment's edit note ("Edited at 2024-05-13 08:44 am (UTC)", "Zuletzt bearbeitet: 3. Mai"):
# a date inside the comment, not the meta of a new one (session 10: each opened a comment
# named "Edited" on a threaded blog).
_EDIT_NOTE = re.compile(
    r"^[\s*_(\[]*(?:(?:last|zuletzt)\s+)?(?:edited|bearbeitet|geändert|modifié|editado|modificato|modified|updated)"
    r"(?:\s+(?:at|on|am|um|le|el|il|by\s+\S+(?:\s+\S+)?\s+(?:at|on)))?(?:[ \t]*:[ \t]*|[ \t]+)(?=\S)",
    re.IGNORECASE,
)


# Lines around each date line searched for repeated furniture, and how often a line must recur
# there: beside at least REPEATED_SHARE of the date lines, and at least REPEATED_MIN times.
# On the held-out tuning pages: wpDiscuz's "Diesen Kommentar auf Twitter teilen?" share line
# (every comment of one page); no comment text recurs so.
REPEATED_WINDOW = 4
REPEATED_MIN = 3
REPEATED_SHARE = 0.6
_REPEATED_MIN_CHARS = 10
_REPEATED_MAX_CHARS = 120
_PAGE_FURNITURE: ContextVar[frozenset[str]] = ContextVar("page_furniture", default=frozenset())


def _phrase(content: str) -> bool:
    """A button's wording: two words or more, mostly letters (not a name, a count, emoji)."""
    letters = sum(1 for c in content if c.isalpha())
    return len(content.split()) >= 2 and letters >= 0.6 * len(content.replace(" ", ""))


def repeated_furniture(lines: list[str], date_lines: list[int]) -> frozenset[str]:
    """Lines printed verbatim beside most date lines of the page: a comment's buttons or labels
    in a wording the vocabulary does not know ("Diesen Kommentar auf Twitter teilen?")."""
    if len(date_lines) < REPEATED_MIN:
        return frozenset()
    seen: dict[str, int] = {}
    for date in date_lines:
        near: set[str] = set()
        for idx in range(max(0, date - REPEATED_WINDOW), min(len(lines), date + REPEATED_WINDOW + 1)):
            content = lines[idx].strip()
            if (idx != date and _REPEATED_MIN_CHARS <= len(content) <= _REPEATED_MAX_CHARS and _phrase(content)
                    and not (idx and _WIDGET_ITEM.search(lines[idx - 1]))):  # a widget's post title
                near.add(content)
        for content in near:
            seen[content] = seen.get(content, 0) + 1
    need = max(REPEATED_MIN, REPEATED_SHARE * len(date_lines))
    # A name printed right above many date lines is an author (the site owner answering every
    # comment: "Pamela Wilson" / date / reply), not a button (session 7).
    above: dict[str, int] = {}
    for date in date_lines:
        idx = date - 1
        while idx >= 0 and not lines[idx].strip():
            idx -= 1
        if idx >= 0:
            content = lines[idx].strip()
            above[content] = above.get(content, 0) + 1
    near_most = {c for c, n in seen.items()
                 if n >= need and date_in_line(c) is None and 2 * above.get(c, 0) < n}
    if not near_most:
        return frozenset()
    # Printed once per comment, so as often on the page as the dates it sits by (a widget's
    # titles are near many dates of a dense list, but each is printed once or twice).
    total = dict.fromkeys(near_most, 0)
    for line in lines:
        content = line.strip()
        if content in total:
            total[content] += 1
    return frozenset(c for c, n in total.items() if n >= need)


def _read_capture(lines: list[str], path: str, article_id: str, date_lines: list[int]) -> CaptureResult | None:
    if not date_lines:
        return _counted_list(lines, path, article_id) or _named_list(lines, path, article_id)
    best: CaptureResult | None = None
    for header_idx, announced in _header_candidates(lines, date_lines):
        result = _read_section(lines, path, article_id, header_idx, announced, date_lines)
        if result is not None and (best is None or _rank(result) > _rank(best)):
            best = result
    if best is None:
        best = _headerless(lines, path, article_id, date_lines)
    if best is None:
        best = _counted_list(lines, path, article_id)
    if best is None or best.n_buttoned < NAMED_LIST_MIN:
        named = _named_list(lines, path, article_id)
        # A dated list with buttons closed by the reply form is the page's comment list: names
        # and lines further down (category menus, "recent comments" widgets in a browser copy)
        # are not a second one (session 7).
        below_form = (best is not None and best.n_buttoned > 0 and best.term is not None
                      and named is not None and named.start > best.term)
        if named is not None and not below_form and (best is None or len(named.comments) >= 2 * len(best.comments)):
            best = named
    return best


# A list without meta is read as the comments only when the header's count announces it:
# at least this share of the announced comments must be items (the rest may be on other pages).
COUNTED_LIST_SHARE = 0.8
COUNTED_LIST_MIN = 2


def _counted_list(lines: list[str], path: str, article_id: str) -> CaptureResult | None:
    """A comment list with neither names nor dates ("27 Comments" and 27 bulleted texts, a
    forum widget): read when a header's announced count matches the items of the list right
    under it (their columns give the nesting, as in marker mode)."""
    for header_idx, line in enumerate(lines):
        if len(line) > 300 or not line.strip():
            continue
        is_header, announced = section_header(line)
        if not is_header or announced is None or announced < COUNTED_LIST_MIN:
            continue
        items = _list_items(lines, header_idx + 1)
        if not items or not COUNTED_LIST_SHARE * announced <= len(items) <= announced:
            continue
        comments: list[RawComment] = []
        stack: list[tuple[int, int]] = []  # (column, comment index)
        used: set[int] = set()
        for n, (first, last, col, text) in enumerate(items):
            while stack and stack[-1][0] >= col - COLUMN_SLACK:
                stack.pop()
            parent = stack[-1][1] if stack else None
            stack.append((col, n))
            used.update(range(first, last))
            comments.append(RawComment(
                comment_id=f"c{n + 1}", parent_id=f"c{parent + 1}" if parent is not None else None,
                declared_depth=len(stack), text=text, source_line=first + 1,
                edge_confidence=1.0 if parent is None else MARKER_EDGE_CONFIDENCE,
            ))
        end = items[-1][1]
        issue = ParseIssue("undated-comments", f"{len(comments)} comments read as the list under the header "
                           f"(which announces {announced}); the capture shows no names or dates", "info", path,
                           header_idx + 1, article_id)
        return CaptureResult(comments, header_idx, announced, header_idx, end, None, False, False, 0, [issue],
                             0, used, undated=True)
    return None


def _list_items(lines: list[str], start: int) -> list[tuple[int, int, int, str]]:
    """(first line, line after, marker column, text) of the list starting within a few lines
    of ``start``: items at or right of the first marker's column, their text the lines
    indented deeper; the list ends at a shallower line that is not an item."""
    first: int | None = None
    for idx in range(start, min(len(lines), start + META_WINDOW + 1)):
        if lines[idx].strip() and _marker(lines[idx]) is not None:
            first = idx
            break
    if first is None:
        return []
    base = len(lines[first]) - len(lines[first].lstrip(" "))
    items: list[tuple[int, int, int, list[str]]] = []
    after_blank = False
    for idx in range(first, len(lines)):
        line = lines[idx]
        if not line.strip():
            after_blank = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        mark = _marker(line)
        if mark is not None and indent >= base:
            items.append((idx, idx + 1, mark.start_col, [mark.rest] if mark.rest else []))
        elif items and (indent > items[-1][2] or not after_blank):
            # Deeper lines, or markdown's lazy continuation: an unindented line right under the
            # item's text, no blank line between (html2text prints a <br> so).
            items[-1] = (items[-1][0], idx + 1, items[-1][2], [*items[-1][3], " " * (items[-1][2] + 2) + line.strip()])
        else:
            break
        after_blank = False
    return [(a, b, col, _dedent(body)) for a, b, col, body in items if _dedent(body)]


def widget_heading_after(lines: list[str], start: int, end: int, *, pingbacks: bool = False) -> int | None:
    """The first line in ``start:end`` that is a sidebar or footer widget's heading
    (:data:`patterns.WIDGET_HEADING`), or with ``pingbacks`` the heading of a separate pingback
    list (:data:`patterns.PINGBACK_HEADING`): a comment list ends above it."""
    for idx in range(start, end):
        content = lines[idx]
        if content and len(content) <= WIDGET_HEADING_MAX and (
                patterns.WIDGET_HEADING.match(content) or (pingbacks and patterns.PINGBACK_HEADING.match(content))):
            return idx
    return None


# A widget heading is a short line; longer ones are not looked at (the pattern is anchored at both ends).
WIDGET_HEADING_MAX = 80


def is_trailer(content: str) -> bool:
    """The reply form's line (:data:`patterns.CAPTURE_TRAILER`, :data:`patterns.CAPTURE_TRAILER_MORE`)."""
    return bool(patterns.CAPTURE_TRAILER.match(content) or patterns.CAPTURE_TRAILER_MORE.match(content))


def section_header(line: str) -> tuple[bool, int | None]:
    """:func:`patterns.parse_section_header`, also for headings between decorations
    ("***** Comments *****", Debian's html2text; "=== Kommentare ===")."""
    found = patterns.parse_section_header(line)
    if found[0]:
        return found
    quantified = patterns.HEADER_QUANTIFIER.match(line)
    if quantified is not None:
        found = patterns.parse_section_header(line[quantified.end():])
        if found[0]:
            return found
    deco = patterns.HEADING_DECORATION.match(line) if line[:1] in "*=#~- " else None
    if deco is not None:
        return patterns.parse_section_header(deco.group(2))
    glued = _GLUED_COUNT.match(line)
    if glued is not None:
        # "52Comments", "12Kommentare": the count and the noun in two elements without a space
        # between them (pandoc -t plain, round 6); only with the count it announces.
        spaced = patterns.parse_section_header(line[:glued.end(1)] + " " + line[glued.end(1):])
        if spaced[0] and spaced[1] is not None:
            return spaced
    icon = _HEADING_ICON.match(line)
    if icon is not None:  # "± 6 Kommentare zu „…“": an icon font's glyph before the heading
        behind = patterns.parse_section_header(line[icon.end():])
        if behind[0] and behind[1] is not None:  # with its count: a list item "• Comments" is a menu entry
            return behind
    total = patterns.paged_total(line.strip())
    if total is not None:
        # "Posting 1 bis 25 von 779": a news forum's paging line heads its list; the total is the
        # thread's, the page shows the range (session 9).
        return True, total
    return found


# A count glued to the word after it ("52Comments").
_GLUED_COUNT = re.compile(r"^[\s#*]{0,6}(\d{1,5})(?=[^\W\d_])")
# One symbol character before a heading (an icon font's glyph), not a list bullet or ASCII mark.
_HEADING_ICON = re.compile(r"^\s*[^\w\s\x00-\x7f•□●○◦▪■‣·„“”«»‹›]\s+")


# A list of names and texts without dates (Disqus's noscript list, forum widgets) is read when
# it shows at least this many comments; fewer are as likely a related-posts box under "Comments".
NAMED_LIST_MIN = 3
# A list without dates is looked for only under headers after this share of the page's text:
# a comment section follows the article (a "Comments" link in the navigation above an article
# with subheadings would read the article as names and texts).
NAMED_HEADER_FROM = 1 / 3
# Odd blocks (not prose, code, repeated texts) in a row that still go back into the comment above
# when a comment follows them: a comment's code or list split into paragraphs by a converter
# (markdownify); more in a row end the list (a menu, a footer).
NAMED_ODD_RUN = 8
_CODE_STARTS = (">>> ", "... ", "$ ", "</")
# A commenter's name as printed on its own line: at most this many words and characters
# (Disqus and forum names on the held-out tuning pages: 1-3 words, at most 24 characters).
NAME_MAX_WORDS = 3
NAME_MAX_CHARS = 40
# Lines longer than this in a section mean the tool wrapped its text at a fixed width (w3m,
# lynx, elinks, links2, html2text wrap at 70-120 columns by default and at 40-60 when told so;
# innerText and markdownify do not).  Was 60: a 60-column w3m capture (tests/bench/make_captures.py
# variant ``w3m_c60``, round 6) then had no width, every wrapped line "started a paragraph" and a
# Disqus list lost 57 of 85 comments.
_WRAP_MIN = 36
_WRAP_MAX = 250
_WRAP_NEAR = 12  # a wrapped line ends within this many columns of the width
_WRAP_NEAR_SHARE = 0.25
_WRAP_MIN_LINES = 3
_NAME_END = (".", "!", "?", ",", ";", ":", ")", "]", "}", "…", '"', "”", "»")


# A line of program code: an assignment or comparison, a call ("bar(int(1))", "bad()"),
# brackets or braces, a statement keyword first.  Disqus keeps a comment's code as plain
# paragraphs (markdownify prints each as its own line under the name), so "import sys" /
# "def bar(i):" looked like a name with its text (disqusnoscript_toptal_en: 9 invented).
_CODE_LINE = re.compile(
    r"=|[A-Za-z_0-9]\(|[\[\]{}<>;\\]|^#!|"
    r"^(?:import|from|def|return|class|for|while|if|elif|else|try|except|print|raise|pass)\b(?![ ]?[A-Z])"
)


def _name_like(content: str) -> bool:
    """A commenter's name alone on its line: short, a letter in it, no sentence end, no meta,
    not a line of code."""
    if not content or len(content) > NAME_MAX_CHARS or content.endswith(_NAME_END):
        return False
    if _CODE_LINE.search(content):
        return False
    words = content.split()
    if len(words) > NAME_MAX_WORDS or not any(c.isalpha() for c in content) or _URLISH.search(content):
        return False
    if not (content[0].isalnum() or content[0] == "@") or _furniture(content) or date_in_line(content) is not None:
        return False
    if listevidence.form_heading(content) or all(w.strip(":").lower() in _BYLINE_LEADS for w in words):
        # "Verify your Comment", "another comment", "Posted by": a comment form's headings
        # (session 10: Typepad's preview box under "Comments" read as three comments in lynx)
        # and a byline's lead with no name after it, never a name.
        return False
    return not (is_trailer(content) or patterns.COMMENT_SYSTEM_NOTICE.match(content)
                or section_header(content)[0])


_BYLINE_LEADS = frozenset({"posted", "by", "written", "von", "geschrieben", "par", "por", "door", "on", "am"})


def _prose_text(text: str) -> bool:
    """Whether a text read under a name is a comment: some words or a sentence, and not mostly
    list items, headings or links (a sidebar, a menu, a footer under the comment heading)."""
    rows = [t.strip() for t in text.split("\n") if t.strip()]
    if not rows or (len(rows) > 1 and rows[0].isdigit()):
        return False  # a count above a teaser ("15" / "Letter to the editor – …")
    listed = sum(1 for t in rows if t.startswith(("# ", "##", "|")) or _marker(t) is not None)
    if listed >= 2 and 2 * listed >= len(rows):
        return False
    return len(text.split()) >= NAME_MAX_WORDS or text.rstrip().endswith((".", "!", "?", ")", "…"))


# Short first line without a sentence end, more text under it: a title with its teaser.
_TITLE_MAX_CHARS = 80


def _teaser(text: str, width: int | None, blankless: bool) -> bool:
    """Whether a text read under a name is a title and a teaser (related posts, category
    boxes: "Nature" / "Why the first animals sang" / "No, it was …"): its first line is short,
    ends without a sentence mark and stands as a paragraph of its own (a blank line under it,
    or every line is a paragraph), and more text follows.  A comment's first paragraph is a
    sentence or was wrapped by the tool."""
    rows = text.split("\n")
    if len([t for t in rows if t.strip()]) < 2:
        return False
    first = rows[0].strip()
    if first.startswith(("# ", "## ", "### ", "##  ")):
        return True  # a markdown heading over a teaser: a comment's text does not open so
    if not (blankless or not rows[1].strip()):
        return False
    limit = min(_TITLE_MAX_CHARS, int(0.7 * width)) if width is not None else _TITLE_MAX_CHARS
    return len(first) < limit and not first.endswith((".", "!", "?", ":", ")", "…", ",", ";", '"', "”"))


def _wrap_width(lines: list[str], start: int, end: int) -> int | None:
    """The column at which the tool wrapped the section's text, or None (one line per paragraph).

    The third-longest line with a space in it: an unbreakable URL or one long line of code
    may pass the width, but a wrapped text has many lines near it."""
    lengths = sorted((len(lines[i].rstrip()) for i in range(start, end) if " " in lines[i].strip()), reverse=True)
    if len(lengths) < _WRAP_MIN_LINES:
        return None
    width = lengths[_WRAP_MIN_LINES - 1]
    if not _WRAP_MIN <= width <= _WRAP_MAX:
        return None
    # Wrapped text fills its lines: many end within a word's length of the width.
    near = sum(1 for n in lengths if width - _WRAP_NEAR <= n <= width)
    return width if near >= max(_WRAP_MIN_LINES, _WRAP_NEAR_SHARE * len(lengths)) else None


def _named_list(lines: list[str], path: str, article_id: str) -> CaptureResult | None:
    """A comment list that shows each commenter's name on its own line above the text and no
    date (Disqus's noscript list, forum widgets): read under a comment-section header.

    A line opens a comment when it looks like a name (:func:`_name_like`), starts a paragraph
    (a blank line or a short line above it: the first word would have fit on a wrapped line
    above, so the tool did not carry it over) and the line after it is text.  Two name-like
    lines in a row followed by prose are a sign-off and the next name ("Cheers," / "Jo" /
    "Anna" / text).  The list ends at the reply form, a "comments closed" line, a comment
    system's notice ("Please enable JavaScript to view the comments"), or where the texts
    stop being prose (a menu).  All comments are top level with a low edge confidence: such
    lists do not show who replied to whom.
    """
    best: CaptureResult | None = None
    before = [0]  # characters of the page before each line
    for line in lines:
        before.append(before[-1] + len(line.strip()))
    for header_idx, line in enumerate(lines):
        if len(line) > 300 or not line.strip() or before[header_idx] < NAMED_HEADER_FROM * before[-1]:
            continue
        is_header, announced = section_header(line)
        if not is_header or announced == 0 or _in_reply_form(lines, header_idx) or menu_entry(
                lines, header_idx, announced) or wrapped_tail(lines, header_idx, announced) or (
                announced is None and patterns.WEAK_BARE_HEADER.match(line)) or _field_label(line, announced) or (
                announced is None and zero_below(lines, header_idx)):
            continue
        trial = _read_named(lines, path, article_id, header_idx, announced)
        if trial is not None and (best is None or len(trial.comments) > len(best.comments)):
            best = trial
    return best


def _field_label(line: str, announced: int | None) -> bool:
    """The reply form's field label ("Comment:", "Kommentar:" over the text box): the singular
    noun with a colon and no count.  Under it come the form and the page's footer, whose widget
    titles over their link lists read as names over texts (session 10: Typepad's sidebar under
    "Comment:" read as seven comments in a browser copy)."""
    return announced is None and line.rstrip().rstrip("*_# ").endswith(":") and bool(
        patterns.BARE_SINGULAR_HEADER.match(line))


def _in_reply_form(lines: list[str], idx: int) -> bool:
    """Whether a header-like line is the reply form's field label ("Schreibe einen Kommentar" /
    notice / "Kommentar" over the text box): a reply-form line among the few lines above it.
    What follows it is the form and the page's footer, not a list (session 7)."""
    seen = 0
    for above in range(idx - 1, -1, -1):
        content = lines[above].strip()
        if not content:
            continue
        if is_trailer(content):
            return True
        seen += 1
        if seen >= META_WINDOW:
            return False
    return False


def _read_named(lines: list[str], path: str, article_id: str, header_idx: int,
                announced: int | None) -> CaptureResult | None:
    end = len(lines)
    term: int | None = None
    closed = False
    for idx in range(header_idx + 1, len(lines)):
        content = lines[idx].strip()
        if content and (is_trailer(content) or patterns.CAPTURE_CLOSED.match(content)
                        or patterns.COMMENT_SYSTEM_NOTICE.match(content)):
            end, term = idx, idx
            closed = bool(patterns.CAPTURE_CLOSED.match(content))
            break
        if content and idx > header_idx + 1 and section_header(content)[0]:
            end = idx  # the next comment-section candidate starts its own list
            break
        if content and len(content) <= WIDGET_HEADING_MAX and patterns.WIDGET_HEADING.match(content):
            end = idx  # a sidebar or footer widget ("Últimas noticias"): the list ended above (session 8)
            break
    width = _wrap_width(lines, header_idx + 1, end)
    rows = [i for i in range(header_idx + 1, end) if lines[i].strip() and set(lines[i].strip()) - set("-=_*")]
    heads: list[int] = []
    prev: int | None = None
    expect_text = False
    for pos, idx in enumerate(rows):
        content = _strip_lead(lines[idx].strip())
        if expect_text:
            expect_text = False
            prev = idx
            continue
        prev_len = len(lines[prev].rstrip()) if prev is not None else 0
        starts_paragraph = prev is None or prev + 1 < idx or width is None or prev_len > width or (
            prev_len + 1 + len(content.split()[0] if content.split() else "") <= width
        )
        nxt = rows[pos + 1] if pos + 1 < len(rows) else None
        if starts_paragraph and _name_like(content) and nxt is not None and not _name_like(
                _strip_lead(lines[nxt].strip())):
            heads.append(idx)
            expect_text = True
        elif (starts_paragraph and _name_like(content) and nxt is not None and pos + 2 < len(rows)
              and not _name_like(_strip_lead(lines[rows[pos + 2]].strip())) and heads):
            pass  # a sign-off line of the text above; the next line is the name
        elif starts_paragraph and _name_like(content) and not heads and nxt is not None:
            heads.append(idx)  # the first comment's text may itself be short
            expect_text = True
        prev = idx
    if not heads or len([r for r in rows if r < heads[0]]) > META_WINDOW:
        return None  # the list starts right under its header
    # One line per paragraph and no blank lines (a browser's innerText): a title sits right
    # above its teaser.
    blankless = sum(1 for a, b in zip(rows, rows[1:], strict=False) if b == a + 1) >= 0.9 * max(1, len(rows) - 1)
    groups: list[tuple[int, int, str, bool]] = []  # head, line after, text, reads as a comment
    for n, head in enumerate(heads):
        nxt_head = heads[n + 1] if n + 1 < len(heads) else end
        body = [lines[i] for i in range(head + 1, nxt_head)
                if not _furniture(lines[i].strip()) and lines[i].strip() not in _LONE_BULLETS]
        text = _dedent(body)
        ok = (_prose_text(text) and not _teaser(text, width, blankless) and not text.startswith(_CODE_STARTS)
              and not listevidence.menu_text(text))
        if groups and text == groups[-1][2]:
            ok = False  # the same text under another "name": lines of code or a list, split by blank lines
        groups.append((head, nxt_head, text, ok))
    comments: list[RawComment] = []
    used: set[int] = set()
    for n, (head, nxt_head, text, ok) in enumerate(groups):
        if not ok or (announced is not None and len(comments) >= announced):
            following_ok = any(g[3] for g in groups[n + 1: n + 1 + NAMED_ODD_RUN])
            if comments and following_ok and (announced is None or len(comments) < announced):
                # Odd groups between comments: short lines of the text above taken for names
                # ("for mistake #1" / code under it); they go back to that text.
                last = comments[-1]
                last.text = _dedent([*last.text.split("\n"), "", lines[head].strip(), "", *text.split("\n")])
                used.update(range(head, nxt_head))
                continue
            end = head  # a menu, a sidebar list, a heading: the comment list ended above
            break
        used.update(range(head, nxt_head))
        comments.append(RawComment(
            comment_id=f"c{len(comments) + 1}", parent_id=None, declared_depth=1,
            author=_clean_author(lines[head]), text=text, source_line=head + 1,
            edge_confidence=FLAT_EDGE_CONFIDENCE,
        ))
    if len(comments) < NAMED_LIST_MIN:
        return None
    issues = [
        ParseIssue("undated-comments", f"{len(comments)} comments read as names with texts under the header; the "
                   "capture shows no dates", "info", path, header_idx + 1, article_id),
        ParseIssue("nesting-lost", f"{len(comments)} comments found by their name lines, but the capture shows no "
                   "list markers or indentation: all read as top level; who replied to whom is not in this text",
                   "warning", path, comments[0].source_line, article_id),
    ]
    return CaptureResult(comments, header_idx, announced, header_idx, end, term, closed, True, 0, issues,
                         0, used, undated=True)


# Read from the top of a page without a header, unbuttoned dated items before the first
# buttoned comment are dropped when at least this share of the rest carry buttons.
HEADERLESS_LEAD_SHARE = 0.8
# A comment list read without a header must show this many comments with a button line, and
# buttons on at least half of them: dated items without buttons are widgets and archives.
HEADERLESS_MIN_BUTTONED = 2


# A count alone on its line, maybe with a status dot ("3", "4 ●", "0●"): a badge printed between
# a commenter's name and the date (followers, posts; a news forum's saved page, session 9).
_BADGE_COUNT = re.compile(r"^\s*\d{1,6}\s*[●•○◦★☆]?\s*$")


def _headerless(lines: list[str], path: str, article_id: str, date_lines: list[int]) -> CaptureResult | None:
    """The comment list of a page whose header is not recognised ("RSSKommentare (34)", a
    heading in an unknown language), read from the top or from a reply-form line above the
    list ("Kommentar schreiben", "Hinterlasse einen Kommentar"): only kept when its comments
    carry reply/like/permalink buttons, which articles and dated widgets do not."""
    starts = [-1] + [
        idx for idx, line in enumerate(lines)
        if len(line) <= 300 and line.strip() and is_trailer(line.strip())
        and any(d > idx for d in date_lines)
    ][:MAX_HEADER_TRIALS]
    # Also from the first signed meta ("Karl sagt:" with a date under it): dated widgets above
    # it (a news list of dated items) would otherwise be read as the list (session 7).
    date_set = set(date_lines)
    first_signed = next((idx for idx, line in enumerate(lines)
                         if (idx + 1 in date_set or idx + 2 in date_set) and len(line) <= AUTHOR_MAX_CHARS
                         and patterns.AUTHOR_VERB.search(line.strip())), None)
    if first_signed is not None and first_signed - 1 not in starts:
        starts.append(first_signed - 1)
    result: CaptureResult | None = None
    for start in starts:
        trial = _read_section(lines, path, article_id, start, None, date_lines)
        if trial is not None and (result is None or _rank(trial) > _rank(result)):
            result = trial
    if result is None:
        return None
    # Comments signed "Name sagt:" / "Name says:" above their date are as telling as buttons (the
    # deepest reply has no reply button; a page with two comments shows one button; session 7).
    signed = [n for n, c in enumerate(result.comments) if _signed_comment(lines, c)]
    if len(signed) > result.n_buttoned and signed[0] > 0:
        # Signed comments qualify the list: unsigned dated items above the first of them are the
        # article's byline and widgets (their lines go back to the page's blocks).
        kept = result.comments[signed[0]:]
        dropped = {c.comment_id for c in result.comments[:signed[0]]}
        if not any(c.parent_id in dropped for c in kept):
            cut = (kept[0].source_line or 1) - 1
            result.comments = kept
            result.used_lines = {u for u in result.used_lines if u >= cut}
            result.issues = [i for i in result.issues if i.comment_id not in dropped]
    evidence = max(result.n_buttoned, len(signed))
    if evidence < HEADERLESS_MIN_BUTTONED or 2 * evidence < len(result.comments):
        return None
    first = min(c.source_line or 1 for c in result.comments) - 1
    result.header = None
    result.start = first
    result.issues.append(ParseIssue(
        "missing-comment-header", f"{len(result.comments)} comments read without a recognised comment-section "
        "header (found by their date and button lines)", "info", path, first + 1, article_id,
    ))
    return result


def _self_signed(line: str, *, verb: bool = False) -> bool:
    """A date line that names its author ("Anna on May 3, 2018 at 4:47 pm said:", "Anna sagt: 3. Mai
    2018", "Anna Muster | 21. April 2020"); with ``verb``, only with the author verb (a caption's
    "Inc. on Wednesday, Aug. 24, 2011 said …" has the shape of a signature)."""
    content = line.strip()
    if patterns.AUTHOR_VERB.search(content) or (not verb and signed_date_line(line)):
        return True
    match = date_in_line(line)
    return match is not None and bool(patterns.AUTHOR_VERB.search(content[: match.start()].rstrip()))


def _signed_comment(lines: list[str], comment: RawComment) -> bool:
    """Whether a comment's head line, or one of the two non-blank lines under it (a lone list
    marker, an avatar first), is an author line ("Karl sagt:")."""
    if comment.source_line is None:
        return False
    seen = 0
    for idx in range(comment.source_line - 1, min(len(lines), comment.source_line + META_WINDOW)):
        content = lines[idx].strip()
        if not content:
            continue
        if patterns.AUTHOR_VERB.search(content):
            return True
        seen += 1
        if seen > 2:
            break
    return False


def _rank(result: CaptureResult) -> tuple[int, int, int, int, int]:
    """Which header's reading to keep: no more comments than its header announces, then most
    comments with a button line, then list markers,
    then fewest comments without one (dated widget items and dated article lines have no
    buttons: a count in the byline "Kommentare: 10" above the article must lose to the
    section's own heading when both read the same buttoned comments)."""
    # More comments than the header announces: that header's reading took in something else (a
    # byline's "2 Kommentare" above the article reads the article as a comment; session 7).
    within = result.announced is None or len(result.comments) <= result.announced
    # Among readings with as many buttons, one with exactly the comments its header announces wins
    # ("2 Antworten" over two comments, one of them a reply without a button, against a byline's
    # "2 Kommentare" over the article; session 8).
    exact = result.announced is not None and len(result.comments) == result.announced
    return (int(within), result.n_buttoned, int(exact), int(not result.flat),
            result.n_buttoned - len(result.comments))


def _read_section(lines: list[str], path: str, article_id: str, header_idx: int, announced: int | None,
                  date_lines: list[int]) -> CaptureResult | None:
    first_date = next(d for d in date_lines if d > header_idx)
    end = len(lines)
    term: int | None = None
    closed = False
    for idx in range(first_date + 1, len(lines)):
        content = lines[idx].strip()
        if content and (is_trailer(content) or patterns.CAPTURE_CLOSED.match(content)):
            end, term = idx, idx
            closed = bool(patterns.CAPTURE_CLOSED.match(content))
            break
    # A widget's heading ("Recent posts") ends the section; under a comment header also above the
    # first date: an empty comment section's reply form followed by a dated "Recent posts" box has
    # no comment (session 8).  A reading from the top of the page or from the reply form (no
    # header) is cut only after its first comment: the article's own boxes ("More articles from
    # Anna", an author box) come before the list.
    real_header = header_idx >= 0 and section_header(lines[header_idx])[0]
    widget = widget_heading_after(lines, header_idx + 1, end) if real_header else None
    if widget is not None:
        end = widget
        if term is not None and term >= end:
            term, closed = None, False
    sec_dates = [d for d in date_lines if header_idx < d < end]
    reader = _Reader(lines, path, article_id, header_idx + 1, end, sec_dates)
    reader.run()
    if reader.comments:
        # After the first comment, a widget heading or the heading of a separate pingback list
        # ("Trackbacks/Pingbacks": its items carry the linking post's date) ends the list.
        first = min(c.source_line or end for c in reader.comments)
        widget = widget_heading_after(lines, first, end, pingbacks=True)
        if widget is not None:
            end = widget
            if term is not None and term >= end:
                term, closed = None, False
            reader = _Reader(lines, path, article_id, header_idx + 1, end, [d for d in sec_dates if d < end])
            reader.run()
    if announced is not None:
        end = _drop_widget_tail(reader, announced, end)
    if not reader.comments:
        return None
    if announced is None and reader.n_buttoned == 0 and (
            _widget_texts(reader.comments)
            or (header_idx >= 0 and (patterns.BARE_SINGULAR_HEADER.match(lines[header_idx])
                                     or patterns.WEAK_BARE_HEADER.match(lines[header_idx])))):
        # A bare heading over dated titles ("OPINIONES" / title / date), or a lone "COMMENT" (a
        # share bar's button) over a dated video box, with no reply button anywhere: a widget.
        return None
    return CaptureResult(
        reader.comments, header_idx, announced, header_idx, end, term, closed, reader.flat,
        reader.n_pingbacks, reader.issues, reader.n_buttoned, reader.used,
    )


# A line of reader text: at least this many words, and two and this share of them starting with
# a lower-case letter (verbs, articles, particles), or a sentence end; field lists ("Release: TBA Genre: MMORPG",
# "Plattform: PC, PS5 Release: 10.11.2023"), headlines and image placeholders have none.
_PROSE_MIN_WORDS = 4
_PROSE_LOWER_SHARE = 0.25
_PROSE_LOWER_MIN = 2  # "The Division Heartland packshot" has one
_PROSE_FIRST_LINES = 4
_PLACEHOLDER = re.compile(r"^(?:!?\[[^\]]{0,200}\](?:\([^)]{0,800}\))?|[#*=_-]+)$")


def reader_text(text: str) -> bool:
    """Whether a comment's text reads like something a person wrote: one of its first lines
    has a few words with some lower-case words among them.  A dated widget item (a release
    calendar, a news list) starts with titles, field lists and image placeholders only (and
    when it is the last item, its "text" runs on into the page's footer: only the start counts)."""
    seen = 0
    for row in text.split("\n"):
        content = row.strip().strip("#*_ ")
        if not content or _PLACEHOLDER.match(content):
            continue
        seen += 1
        if seen > _PROSE_FIRST_LINES:
            break
        words = [w for w in content.split() if w[:1].isalpha()]
        if len(words) >= 2 and content.endswith((".", "!", "?")):
            return True  # "Toller Beitrag, danke!"
        lower = sum(1 for w in words if w[0].islower())
        if len(words) >= _PROSE_MIN_WORDS and lower >= _PROSE_LOWER_MIN and lower >= _PROSE_LOWER_SHARE * len(words):
            return True
    return False


# Lines above an item's meta searched for its headline (headline, section label, date).
_HEADLINE_ABOVE = 4


def _repeated_headline(lines: list[str], comment: RawComment) -> bool:
    """Whether an item's text opens with a line the page printed right above its meta: a video or
    news widget prints each headline twice (link, then caption); a comment never repeats its
    first line above its own name and date."""
    first = comment.text.lstrip().split("\n", 1)[0].strip()
    if len(first) < 12 or comment.source_line is None:
        return False
    meta = comment.source_line - 1
    return any(line.strip() == first for line in lines[max(0, meta - _HEADLINE_ABOVE):meta + 1])


# Share of a reading's comments whose texts are not reader text (titles, image placeholders) that
# makes a bare heading's unbuttoned reading a widget.
WIDGET_TEXT_SHARE = 2 / 3
WIDGET_MIN_ITEMS = 2


def _widget_texts(comments: list[RawComment]) -> bool:
    """Whether the items read under a heading without a count and without any button are a
    widget's titles rather than comments: most of their texts are no reader text (a news box
    "OPINIONES" / "[IMG]" / "Otros haitianos" / "22 abril, 2022"; session 8, a page without
    comments read as five in every tool)."""
    if len(comments) < WIDGET_MIN_ITEMS:
        return False  # one short comment ("Venus!") under a bare heading is no box of titles
    widgety = sum(1 for c in comments if not reader_text(c.text))
    return widgety >= WIDGET_TEXT_SHARE * len(comments)


def _drop_widget_tail(reader: _Reader, announced: int, end: int) -> int:
    """Cut dated widget items read after as many comments as the header announces.

    A header's count ("1 Kommentar") is a ceiling the page itself sets; top-level items past it
    at the end of the reading whose texts are not reader text (:func:`reader_text`) are the
    widget under the list (wpDiscuz pages with a games calendar: "Cyber Week 2023" /
    "Release: 20.11.2023").  Returns the section's new end line."""
    comments = reader.comments
    cut = len(comments)
    while cut > announced and comments[cut - 1].parent_id is None and (
            not reader_text(comments[cut - 1].text) or _repeated_headline(reader.lines, comments[cut - 1])):
        cut -= 1
    if cut == len(comments) or any(c.parent_id in {d.comment_id for d in comments[cut:]} for c in comments[:cut]):
        return end
    dropped = {c.comment_id for c in comments[cut:]}
    first_line = (comments[cut].source_line or end + 1) - 1
    reader.comments = comments[:cut]
    reader.issues = [i for i in reader.issues if i.comment_id not in dropped]
    reader.used = {u for u in reader.used if u < first_line}
    return min(end, first_line)


# Words of a list item of a comment's text (a marker's rest "1 [avatar]" is a position number).
_ITEM_MIN_WORDS = 3

# A pinned item is dropped only when at least this many other top-level comments show buttons.
PINNED_MIN_OTHERS = 3

# Date lines of one comment list share their shape: with at least this many date lines and
# this share of them carrying the reply button on the line, one without it is not meta.
CONSISTENT_MIN = 5
CONSISTENT_SHARE = 0.8


class _Reader:
    """Cut the section into comments (marker mode or flat mode) and build their records."""

    def __init__(self, lines: list[str], path: str, article_id: str, start: int, end: int,
                 sec_dates: list[int]) -> None:
        self.lines = lines
        self.path = path
        self.article_id = article_id
        self.start = start
        self.end = end
        self.dates = sec_dates
        self.date_set = set(sec_dates)
        self.comments: list[RawComment] = []
        self.issues: list[ParseIssue] = []
        self.used: set[int] = set()
        self.flat = False
        self.n_pingbacks = 0
        self.n_buttoned = 0
        self.pingback_lines: set[int] = set()
        self.flat_after = False  # flat capture with the meta under each text
        self.first_from_start = False  # the first comment starts right after the header

    def issue(self, code: str, detail: str, severity: str, line: int | None, cid: str | None = None) -> None:
        self.issues.append(ParseIssue(code, detail, severity, self.path, line, self.article_id, cid))  # type: ignore[arg-type]

    def _next_nonblank(self, idx: int, limit: int, n: int) -> list[int]:
        out: list[int] = []
        while idx < limit and len(out) < n:
            if self.lines[idx].strip():
                out.append(idx)
            idx += 1
        return out

    def run(self) -> None:
        lines = self.lines
        markers: list[_Marker] = []
        for idx in range(self.start, self.end):
            line = lines[idx]
            if not line.strip():
                continue
            mark = _marker(line)
            if mark is not None and mark.rest and len(mark.rest) < 40 and (
                    _furniture(mark.rest) or mark.rest.strip().lower() in _THREAD_LINKS):
                mark = None  # "• Reply", "□ Antworten": a button printed as a list item, not a comment
            if mark is not None and not mark.rest and mark.ordinal is None and self._after_date(idx):
                # "□ 9. April 2019 @ 00:14" / "□": the empty last item of a meta list (w3m), not
                # a comment opener (an ordinal there opens the next comment: meta after text) (it took the next dated line, "@ Anna" / her date, as meta).
                mark = None
            if mark is not None:
                # "19. Juni 2019 um 6:16" is a date, not item 19.
                if idx in self.date_set and line[mark.start_col].isdigit():
                    match = date_in_line(line)
                    if match is not None and line.strip().startswith(match.group(0)[:3]):
                        continue
                mark.line = idx
                markers.append(mark)
        confirmed: list[tuple[_Marker, int]] = []  # marker, its date line
        before: list[tuple[_Marker, int]] = []
        for pos, mark in enumerate(markers):
            limit = markers[pos + 1].line if pos + 1 < len(markers) else self.end
            date, meta_before = self._marker_date(mark, limit)
            if date is not None:
                confirmed.append((mark, date))
                if meta_before:
                    before.append((mark, date))
        # One layout per page: where most comments show their meta before the text, a marker
        # confirmed only by a date further down is a list item of a comment's text.  Judged
        # on the first markers after the header (the list starts there; widgets come later).
        head = confirmed[:LAYOUT_SAMPLE]
        head_before = {id(m) for m, _ in before}
        if 2 * sum(1 for m, _ in head if id(m) in head_before) >= len(head):
            confirmed = before
        confirmed = self._unmarked_parents(confirmed)
        keep = self._marker_prefix(confirmed)
        if keep:
            if keep < len(confirmed):
                self.end = min(self.end, confirmed[keep][0].line)
            self._marker_mode(confirmed[:keep])
        else:
            self._flat_mode()
        self._undated_pingbacks()

    def _unmarked_parents(self, confirmed: list[tuple[_Marker, int]]) -> list[tuple[_Marker, int]]:
        """Add the comments a theme prints without a list marker when only its replies are list
        items (top-level comments in plain blocks, replies in a bulleted "children" list): each
        date line no marker claims, signed by the author line above it ("Karl sagt:"), becomes a
        marker at that line's column.  Only when every marked comment is signed too and sits
        right of every unmarked one, and every other date line is one of them (session 7);
        related posts and a forum's user-info bullets are not signed so."""
        if not confirmed:
            return confirmed
        claimed = {d for _, d in confirmed}
        unmarked: list[tuple[_Marker, int]] = []
        for date in self.dates:
            if date in claimed:
                continue
            above = self._previous_nonblank(date)
            if above is None or not patterns.AUTHOR_VERB.search(self.lines[above].strip()):
                return confirmed  # a dated line neither marked nor signed: not this layout
            head = above
            if _marker(self.lines[head]) is not None:
                return confirmed  # a marked line no date claims: not this layout
            indent = len(self.lines[head]) - len(self.lines[head].lstrip(" "))
            unmarked.append((_Marker(head, indent, indent, self.lines[head].strip(), None), date))
        # The marked comments are signed too ("• Anna sagt:"): a forum's user-info bullets above
        # each post's date ("• Messages: 57") are no replies.
        if not unmarked or not all(any(patterns.AUTHOR_VERB.search(self.lines[i].strip())
                                        for i in range(m.line, d + 1)) for m, d in confirmed):
            return confirmed
        if min(m.start_col for m, _ in confirmed) <= max(m.start_col for m, _ in unmarked):
            return confirmed
        if unmarked[0][0].line > confirmed[0][0].line:
            return confirmed  # the first comment of the list must be an unmarked parent
        return sorted(confirmed + unmarked, key=lambda pair: pair[0].line)

    def _previous_nonblank(self, idx: int) -> int | None:
        idx -= 1
        while idx >= self.start and not self.lines[idx].strip():
            idx -= 1
        return idx if idx >= self.start else None

    def _undated_pingbacks(self) -> None:
        """Pingbacks printed without a date ("2. Pingback: Title | Site") are no comment either:
        each gets the same ``pingback-skipped`` note as the dated ones."""
        for idx in range(self.start, self.end):
            if idx in self.pingback_lines:
                continue
            content = self.lines[idx].strip()
            if not content or "ingback" not in content and "rackback" not in content:
                continue
            mark = _marker(self.lines[idx])
            rest = mark.rest if mark is not None else content
            if patterns.PINGBACK.match(_strip_lead(rest)):
                self.n_pingbacks += 1
                self.issue("pingback-skipped", "pingback/trackback in the comment list, kept apart (not a comment)",
                           "info", idx + 1)

    def _marker_prefix(self, confirmed: list[tuple[_Marker, int]]) -> int:
        """How many confirmed markers form the comment list (0: read the capture as flat).

        The list is the longest run of confirmed markers, from the first, whose dates are at
        least MARKER_SHARE of the comment-like date lines of the section up to there (claimed
        by a marker, or followed by a button line): other dated lines are comments without
        markers (a flat capture with a few stray list lines), unless they are dated widget
        items.  Comment-like dates after the run count against it too.
        """
        if not confirmed:
            return 0
        claimed_set = {d for _, d in confirmed}
        # Buttoned dates outside the markers outnumber those the markers claim: the comments
        # are the flat ones; the dated list items are a related-posts list further down.
        first_marker = confirmed[0][0].line
        unclaimed_buttoned = sum(1 for d in self.dates
                                 if d < first_marker and d not in claimed_set and self._buttoned(d))
        if unclaimed_buttoned >= NAMED_LIST_MIN and unclaimed_buttoned > sum(
                1 for d in claimed_set if self._buttoned(d)):
            return 0
        best = 0
        n_dates = 0
        pos = 0
        dates = self.dates
        for k, (_, date) in enumerate(confirmed):
            while pos < len(dates) and dates[pos] <= date:
                if dates[pos] in claimed_set or self._comment_like(dates[pos]):
                    n_dates += 1
                pos += 1
            if k + 1 >= MARKER_SHARE * n_dates:
                best = k + 1
        rest = sum(1 for d in dates[pos:] if self._comment_like(d))
        if best < MARKER_SHARE * (n_dates + rest) and (best < len(confirmed) or rest > best):
            return 0  # (a lone confirmed marker above many buttoned comments is a stray list line)
        return best

    def _after_date(self, idx: int) -> bool:
        """Whether the nearest non-blank line above ``idx`` in the section is a date line."""
        idx -= 1
        while idx >= self.start and not self.lines[idx].strip():
            idx -= 1
        return idx >= self.start and idx in self.date_set

    def _comment_like(self, date: int) -> bool:
        """A date line of a comment: with a button line, or under an author line ("Max sagt:")."""
        if self._buttoned(date):
            return True
        idx = date - 1
        while idx >= self.start and not self.lines[idx].strip():
            idx -= 1
        return idx >= self.start and bool(patterns.AUTHOR_VERB.search(self.lines[idx].strip()))

    def _buttoned(self, date: int) -> bool:
        """A button line (reply, like, permalink) on the date line or within the next lines."""
        match = date_in_line(self.lines[date])
        tail = self.lines[date].strip()[match.end():].strip(" |/·-") if match is not None else ""
        if tail and _furniture(tail):
            return True
        for idx in range(date + 1, min(date + 40, self.end)):
            content = self.lines[idx].strip().lstrip("/ ")
            if content and _furniture(content):
                return True
            if idx in self.date_set:
                return False
        return False

    def _marker_date(self, mark: _Marker, limit: int) -> tuple[int | None, bool]:
        """(date line, meta before the text) of the comment a marker opens; None: a text list item.

        Meta before the text (most themes): the date is among the first META_WINDOW non-blank
        lines.  Meta after the text ("Ramón dijo:" … "26 abril 2022 a las 14:02 / Responder",
        SPIP's signature line): the first date line of the marker's lines, when a reply button
        or text precedes it.  Lists of dated links (related posts) have a date but neither
        text nor a reply button, and are not comments.
        """
        # Image placeholders do not count against the window: Debian html2text prints an
        # avatar's alt text ("[anna@example.org']"), twice and on two lines at 60 columns (round 6).
        window = [i for i in self._next_nonblank(mark.line, limit, META_WINDOW + IMAGE_LINES_MAX)
                  if not _image_only(self.lines[i])][:META_WINDOW]
        date = next((i for i in window if i in self.date_set), None)
        if date is not None and mark.rest and not _placeholder(mark.rest) and any(
                patterns.AUTHOR_VERB.search(self.lines[i].strip())
                and len(self.lines[i]) - len(self.lines[i].lstrip(" ")) < mark.start_col
                for i in window if i < date):
            # "  • Windows" / "Karl sagt:" / date: an author line left of the marker opens a
            # comment of its own; the marker is the last item of a tag list above it (session 7).
            return None, False
        after = [i for i in window if i != mark.line]
        if not mark.rest and mark.ordinal is None and after and self._button_item(after[0]):
            # "  •" / "  • Link" / "[IMG]anna" / date: an empty item of the previous comment's
            # button list (elinks prints the Like widget's empty item there), not the marker of
            # the comment whose meta follows (session 10: LiveJournal, every comment misread).
            return None, False
        has_text = False
        has_reply = False
        first_date: int | None = None
        for idx in range(mark.line + 1, limit):
            content = self.lines[idx].strip()
            if not content:
                continue
            if idx in self.date_set:
                if first_date is None:
                    first_date = idx
                continue
            if _reply_button(content) or content.startswith("/ ") and _reply_button(content[2:]):
                has_reply = True
            elif not _author_like(content) or (first_date is not None and idx > first_date):
                has_text = True
        if date is not None:
            # Meta before the text: anything after the date line is the text; a button on the
            # date line itself ("Chris February 23, 2017 at 12:33 pm Reply") counts too.
            after_date = any(
                self.lines[i].strip() and not _furniture(self.lines[i].strip())
                for i in range(date + 1, limit)
            )
            # Text signed below it (SPIP replies have no button): the marker line or the
            # lines before the date are prose, not an author line.
            text_before = (bool(mark.rest) and not _author_like(mark.rest) and date_in_line(mark.rest) is None) or any(
                self.lines[i].strip() and not _author_like(self.lines[i]) for i in range(mark.line + 1, date)
            )
            ok = after_date or has_reply or text_before or self._buttoned(date)
            if text_before and not after_date and not has_reply and mark.rest and not _author_like(mark.rest):
                # Text on the marker line and under it, the date line last: a signature under a
                # short text ("31. Bei den hier …" / "Comment by Anna — 18.07, 2011 @ 10:44"; round 6),
                # the page's meta-after layout, not meta before an empty text.
                return date, False
            if (text_before and not after_date and not has_reply and (not mark.rest or _placeholder(mark.rest))
                    and _self_signed(self.lines[date])):
                # "2. [avatar]" / a short text / "Kommentar von Anna — 2019-01-01 @ 00:45 | Antworten":
                # the text signed below it, as the longer comments of the same list (session 7).
                return date, False
            if (date > mark.line and after_date and len(_strip_lead(mark.rest).split()) >= _ITEM_MIN_WORDS
                    and not _name_like(_strip_lead(mark.rest)) and not patterns.AUTHOR_VERB.search(mark.rest)
                    and _self_signed(self.lines[date], verb=True)):
                # "* A source, with link" / "Anna on May 3, 2018 at 4:47 pm said:" / text: the date
                # line names its own author, so the item above is the last line of the text before
                # it (a list in the previous comment), not this comment's opener (session 7).
                return None, True
            return (date if ok else None), True
        if first_date is not None and (has_text or has_reply):
            before = [i for i in range(mark.line + 1, first_date) if self.lines[i].strip()]
            if before:
                return first_date, False
        return None, False

    def _button_item(self, idx: int) -> bool:
        """A list item whose text is a comment's button ("• Reply", "• Link", "* Parent")."""
        mark = _marker(self.lines[idx])
        return mark is not None and bool(mark.rest) and (
            _furniture(mark.rest.strip()) or mark.rest.strip().lower() in _THREAD_LINKS)

    # -- heads --

    def _marker_mode(self, confirmed: list[tuple[_Marker, int]]) -> None:
        stack: list[tuple[int, int]] = []  # (column, comment index)
        heads: list[tuple[int, int, int | None, int]] = []  # head line, date line, parent, depth
        # Ordinals are right-aligned by w3m/elinks (" 9." / "10.": same right edge) and
        # left-aligned by others ("9." / "10." at the same column): the edge with fewer
        # distinct columns is the list's alignment.
        right = len({m.col for m, _ in confirmed}) <= len({m.start_col for m, _ in confirmed})
        for n, (mark, date) in enumerate(confirmed):
            col = mark.col if right else mark.start_col
            while stack and stack[-1][0] >= col - COLUMN_SLACK:
                stack.pop()
            parent = stack[-1][1] if stack else None
            heads.append((mark.line, date, parent, len(stack) + 1))
            stack.append((col, n))
        self._build(heads, [m.start_col for m, _ in confirmed], MARKER_EDGE_CONFIDENCE)

    def _after_votes(self) -> bool:
        """Whether a flat capture prints the meta after the text: a reply button right under
        most date lines ("26 abril 2022 a las 14:02" / "/ Responder") rather than text."""
        after = before = 0
        for date in self.dates:
            nxt = self._next_nonblank(date + 1, self.end, 1)
            if not nxt or not self._buttoned(date):  # dated widget items do not vote
                continue
            content = self.lines[nxt[0]].strip()
            if _reply_button(content.lstrip("/ ")):
                # Under the text ("…text" / date / "Responder"), or a theme that prints the
                # button between the meta and the text ("3" / "Ana on 16/08/2020" / "Reply" /
                # text): the line above the date tells them apart.
                above = date - 1
                while above > self.start and not self.lines[above].strip():
                    above -= 1
                prev = self.lines[above].strip() if above >= self.start else ""
                if prev.isdigit() or (prev and _author_like(prev) and len(prev) <= _NAME_LINE_MAX) or (
                        # "Anna schreibt:" / date / "Antworten" / text (a browser copy; session 7):
                        # meta signed after the text never has its author line above the date.
                        patterns.AUTHOR_VERB.search(prev) and len(prev) <= AUTHOR_MAX_CHARS):
                    before += 1
                else:
                    after += 1
            elif len(content) > AUTHOR_MAX_CHARS or content.endswith((".", "!", "?")):
                before += 1  # the date is followed by the comment's text
        return after > before

    def _flat_after(self) -> list[tuple[int, int, int | None, int]]:
        """Heads of a flat meta-after capture: each comment runs from the line after the
        previous comment's date and button (or its "Name dijo:" line) to its own date."""
        heads: list[tuple[int, int, int | None, int]] = []
        prev_end = self.start
        for date in self.dates:
            head: int | None = None
            for idx in range(date - 1, max(prev_end, date - FLAT_AFTER_LOOKBACK) - 1, -1):
                if patterns.AUTHOR_VERB.search(self.lines[idx].strip()):
                    head = idx
                    break
            if head is None:
                # "Anna" / a share or report line / text / votes / date: the name above a button line.
                head = next((idx for idx in range(max(prev_end, date - FLAT_AFTER_LOOKBACK), date)
                             if self._name_head(idx)), None)
            if head is None and not heads and self.first_from_start:
                # The first comment starts at its name block ("AnnaAnna" / "Gast" / "Anna"),
                # not at whatever follows the header (the form, a sort bar).
                head = next((idx for idx in range(date - 1, max(prev_end, date - FLAT_AFTER_LOOKBACK) - 1, -1)
                             if _name_block(self.lines, idx)), None)
            if head is None:
                nonblank = self._next_nonblank(prev_end, date, 1)
                head = nonblank[0] if nonblank and (heads or self.first_from_start) else date
            heads.append((head, date, None, 1))
            prev_end = date + 1
            nxt = self._next_nonblank(date + 1, self.end, 1)
            if nxt and _reply_button(self.lines[nxt[0]].strip().lstrip("/ ")):
                prev_end = nxt[0] + 1
        return heads

    def _dates_close_comments(self) -> bool:
        """Whether each date line closes its comment, printed under the comment's buttons
        (wpDiscuz in text browsers: name block, text, "Daumen hoch", "1 Monat her").

        Told from the layout with the date before the name ("15. Februar 2017 09:49" /
        "AlexandraAlexandra"), where a date also follows the previous comment's buttons, by
        the first date: here the first comment's name and text come before it.
        """
        closing = 0
        counted = 0
        prev_end = self.start
        for date in self.dates:
            idx = date - 1
            votes = False
            # Blank lines and a vote count ("4") between the buttons and the date; a vote count
            # alone closes the text too (wpDiscuz without button labels: name, share line,
            # text, "4", "50 Minuten her").
            while idx >= self.start and (not self.lines[idx].strip() or self.lines[idx].strip().isdigit()):
                votes = votes or self.lines[idx].strip().isdigit()
                idx -= 1
            under_buttons = idx >= self.start and bool(_furniture(self.lines[idx].strip()))
            if votes and not under_buttons and idx >= self.start:
                # A count above the date closes the text unless buttons follow the date (then it
                # is the comment's position number: "2" / "Ben on 11/08/2020" / "Reply" / text)
                # or a name stands right above the count (then it is the name's badge, a
                # follower or post count: "Anna" / "3" / date / text, a news forum; session 9).
                nxt = self._next_nonblank(date + 1, self.end, 1)
                above = self.lines[idx].strip()
                badge = _author_like(above) and len(above) <= _NAME_LINE_MAX and sum(
                    1 for i in range(idx + 1, date) if self.lines[i].strip()) == 1
                under_buttons = not badge and not (nxt and _furniture(self.lines[nxt[0]].strip()))
            if not counted:
                text_before = under_buttons and any(
                    not _author_like(self.lines[i]) for i in range(prev_end, idx) if self.lines[i].strip())
                if not text_before:
                    if self.start != 0 or self._buttoned(date):
                        return False
                    prev_end = date + 1  # read from the top: dated lines above the list (a byline)
                    continue
            counted += 1
            closing += under_buttons
        return counted > 0 and 2 * closing > counted

    def _signed_below(self) -> bool:
        """Whether a flat list signs each comment under its text: every date line names its author,
        text stands between the header and the first one, and nothing but buttons follows the
        last ("text" / "Kommentar von Anna — 2019-01-01 @ 00:45 | Antworten"; session 7)."""
        if len(self.dates) < 2 or not all(_self_signed(self.lines[d]) for d in self.dates):
            return False
        if any(self.lines[i].strip() and not _furniture(self.lines[i].strip())
               for i in range(self.dates[-1] + 1, self.end)):
            return False
        return any(self.lines[i].strip() and not _author_like(self.lines[i]) for i in range(self.start, self.dates[0]))

    def _flat_mode(self) -> None:
        self.flat = True
        if self._after_votes() or self._dates_close_comments() or self._signed_below():
            self.flat_after = True
            self.first_from_start = not self._after_votes()
            self._build(self._flat_after(), [None] * len(self.dates), FLAT_EDGE_CONFIDENCE)
            self._nesting_lost()
            return
        heads: list[tuple[int, int, int | None, int]] = []
        prev_end = self.start
        for date in self._consistent_dates():
            if self._byline_above(date):
                continue  # "Von Tomas Spahn" / "[IMG]" / "Fr, 18. Oktober 2019": the article's meta
            head = date
            match = date_in_line(self.lines[date])
            before = self.lines[date].strip()[: match.start()] if match is not None else ""
            if not _strip_lead(before).strip():
                # The author line above ("Max sagt:", " Kristine says:"), blank line allowed.
                idx = date - 1
                skipped = 0
                while idx >= prev_end and not self.lines[idx].strip() and skipped < 1:
                    idx -= 1
                    skipped += 1
                if idx > prev_end and _BADGE_COUNT.match(self.lines[idx]):
                    idx -= 1  # "Anna" / "3 ●" / date: a follower or post count under the name
                    while idx >= prev_end and not self.lines[idx].strip() and skipped < 2:
                        idx -= 1
                        skipped += 1
                if idx >= prev_end and (_author_like(self.lines[idx]) or self._nick_under_avatar(idx, prev_end)):
                    head = idx
            if heads and head > heads[-1][1] and all(not self.lines[i].strip() for i in range(heads[-1][1] + 1, head)):
                # Nothing but blank lines since the previous comment's meta: this dated line is
                # the first line of that comment's text ("@ Anna" / "8. April 2019 @ 11:38", the
                # comment it answers; "News vom 31.10.2018:"), not a comment without text.
                continue
            heads.append((head, date, None, 1))
            prev_end = date + 1
        self._build(heads, [None] * len(heads), FLAT_EDGE_CONFIDENCE)
        self._nesting_lost()

    def _byline_above(self, date: int) -> bool:
        """Whether the line above a date line (blank lines and avatar or image placeholders
        skipped, at most two lines) is a byline ("Von Anna Muster", "By Jane Doe")."""
        idx, seen = date - 1, 0
        while idx >= self.start and seen < 2:
            content = self.lines[idx].strip()
            if content and not _strip_lead(content).strip():
                idx -= 1  # "[IMG]", "[4bde]": a placeholder
                continue
            if content:
                return bool(_BYLINE_START.match(content)) and len(content.split()) <= NAME_MAX_WORDS + 1
            idx -= 1
            seen += 1
        return False

    def _tailed(self, date: int) -> bool:
        """A button printed on the date line itself ("Anna 20. Juni 2018 um 10:29 Uhr - Antworten")."""
        match = date_in_line(self.lines[date])
        tail = self.lines[date].strip()[match.end():].strip(" |/·-") if match is not None else ""
        return bool(tail) and _furniture(tail)

    def _consistent_dates(self) -> list[int]:
        """The section's date lines that have the shape of its comments' meta lines.

        Where nearly every date line carries its reply button on the same line, a date line
        without one between the first and the last of them, and with no button under it
        either, is a date inside a comment's text ("KG Berlin, Beschluss vom 11.10.2017, 5 W
        221/17" cited in a comment): it stays that comment's text.  Tuned on
        wp_moritzmeyer_de in chromium (3 invented comments, no comment lost on the tuning part)."""
        dates = self.dates
        tailed = [d for d in dates if self._tailed(d)]
        if len(dates) < CONSISTENT_MIN or len(tailed) < CONSISTENT_SHARE * len(dates):
            return dates
        first, last = tailed[0], tailed[-1]
        return [d for d in dates if not first < d < last or d in tailed or self._buttoned(d)]

    def _nesting_lost(self) -> None:
        if self.comments:
            self.issue(
                "nesting-lost",
                f"{len(self.comments)} comments found by their author/date lines, but the capture shows no "
                "list markers or indentation: all read as top level; who replied to whom is not in this text",
                "warning",
                self.comments[0].source_line,
            )

    # -- records --

    def _build(self, heads: list[tuple[int, int, int | None, int]], cols: list[int | None],
               confidence: float) -> None:
        lines = self.lines
        heads = self._drop_trailing_unbuttoned(heads)
        index_to_id: dict[int, str] = {}
        pingback_parents: set[int] = set()
        for n, (head, date, parent, depth) in enumerate(heads):
            nxt = heads[n + 1][0] if n + 1 < len(heads) else self.end
            meta_end = max(head, date) + 1
            body: list[str] = []
            col = cols[n]
            indented_body: bool | None = None
            after = date > head and (self.flat_after or self._meta_after(head, date, nxt))
            body_range = range(head + 1, date) if after else range(meta_end, nxt)
            if after:
                mark = _marker(lines[head])
                rest = mark.rest if mark is not None else lines[head].strip()
                if rest and not patterns.AUTHOR_VERB.search(rest) and not self._name_head(head) and not _placeholder(rest):
                    body.append(" " * (len(lines[head]) - len(rest)) + rest)
            for idx in body_range:
                line = lines[idx]
                content = line.strip()
                if not content:
                    body.append("")
                    continue
                if _reply_button(content):
                    if not any(b.strip() for b in body):
                        continue  # a button between the meta and the text (themes that print it first)
                    if all(_COUNTER.match(b) for b in body if b.strip()) and self._text_after(idx, nxt):
                        # "Report" / "2" / "0" / "Reply" / text: the vote counts of a list that prints
                        # its buttons between the meta and the text, not the text (session 10: a
                        # news list read every comment as "2").
                        body = []
                        continue
                    break  # the reply button closes the text; the rest up to the next comment is furniture
                if col is not None and n + 1 == len(heads):
                    indent = len(line) - len(line.lstrip(" "))
                    if indented_body is None:
                        indented_body = indent > col
                    elif indented_body and indent <= col:
                        break  # the list ended (footer, sidebar)
                if (_furniture(content) or patterns.PINGBACK_HEADER.match(content)
                        or content in _LONE_BULLETS):
                    continue
                body.append(line)
            # Meta before the date: author line(s) between the head and the date line.
            author = self._author_after(head, date) if after else self._author(head, date)
            match = date_in_line(lines[date])
            created_at: datetime | None = None
            if match is not None:
                created_at = dates.parse_date(match.group(0).strip())
                if created_at is None:
                    self.issues.append(dates.unparsed_issue(
                        match.group(0).strip(), path=self.path, line=date + 1, article_id=self.article_id,
                        comment_id=f"c{len(self.comments) + 1}",
                    ))
            while body and (not body[-1].strip() or (_placeholder(body[-1]) and not _strip_lead(body[-1].strip()))):
                body.pop()  # the next comment's avatar placeholder ("avatar", "[IMG]") above its name
            text = _drop_position_number(_dedent(body))
            text, repeated = _drop_name_lines(text)
            if author is None and repeated is not None:
                author = repeated
            if after and author is None:
                text, author = _lead_name(text)
            first = lines[head].strip()
            if patterns.PINGBACK.match(first) or patterns.PINGBACK.match(_strip_lead(first)) or (
                author is not None and patterns.PINGBACK.match(author)
            ) or patterns.PINGBACK.match(text) or _pingback_excerpt(text) or (
                # Meta after the text: a pingback prints the linking post's title where the text
                # would be and its "[…] … […]" excerpt under the date line.
                after and _pingback_excerpt(_dedent([ln for ln in lines[meta_end:nxt] if ln.strip() not in _LONE_BULLETS]))
            ):
                self.n_pingbacks += 1
                pingback_parents.add(n)
                self.pingback_lines.update(range(head, nxt))
                self.issue("pingback-skipped", "pingback/trackback in the comment list, kept apart (not a comment)",
                           "info", head + 1)
                continue
            if _teaser_byline(text):
                continue  # a news teaser (headline, then "By Jane Doe March 17, 2024"), not a comment
            cid = f"c{len(self.comments) + 1}"
            index_to_id[n] = cid
            parent_id = index_to_id.get(parent) if parent is not None else None
            self.used.update(range(head, nxt))
            self.comments.append(
                RawComment(
                    comment_id=cid,
                    parent_id=parent_id,
                    declared_depth=depth if parent_id is not None or depth == 1 else None,
                    author=author,
                    created_at=created_at,
                    text=text,
                    source_line=head + 1,
                    edge_confidence=1.0 if parent is None and not self.flat else confidence,
                )
            )
        _drop_next_name_blocks(self.comments)

    def _nick_under_avatar(self, idx: int, floor: int) -> bool:
        """A one-word nickname ending with a full stop ("Lopek.") right under an avatar
        placeholder: alone, such a line reads as a one-word sentence ("Agreed."); under the
        avatar that every comment of the list starts with it is the commenter's name."""
        content = self.lines[idx].strip()
        if not content.endswith(".") or " " in content or len(content) > _NAME_LINE_MAX:
            return False
        above = idx - 1
        while above >= floor and not self.lines[above].strip():
            above -= 1
        return above >= floor and _placeholder(self.lines[above]) and bool(_strip_lead(content).strip())

    def _text_after(self, button: int, nxt: int) -> bool:
        """Whether a line of text (not a button, not a count) follows a button before the next comment."""
        return any(
            (content := self.lines[idx].strip()) and not _reply_button(content) and not _furniture(content)
            and not _COUNTER.match(content)
            for idx in range(button + 1, nxt)
        )

    def _drop_trailing_unbuttoned(
        self, heads: list[tuple[int, int, int | None, int]]
    ) -> list[tuple[int, int, int | None, int]]:
        """Cut dated items after the comment list (related posts, "most read" widgets).

        When most comments carry a button line (reply, like, permalink), the list ends with the
        last item that has one: dated sidebar items that follow have none (and may outnumber
        the comments).  Measured on the
        shared captures: removes the news widgets of two pages, no comment.
        """
        flags: list[bool] = []
        for n, (head, date, _, _) in enumerate(heads):
            nxt = heads[n + 1][0] if n + 1 < len(heads) else self.end
            flag = False
            # Meta under the text: the buttons sit between the text and the date.
            for idx in range(head if self.flat_after else max(head, date), nxt):
                content = self.lines[idx].strip()
                if idx == date:
                    match = date_in_line(content)
                    content = content[match.end():].strip(" |/·-") if match is not None else ""
                if content and (_furniture(content) or
                                (content.startswith("/") and _furniture(content[1:]))):
                    flag = True
                    break
            flags.append(flag)
        self.n_buttoned = sum(flags)
        if self.start == 0 and flags and not flags[0] and sum(flags) >= HEADERLESS_LEAD_SHARE * (len(flags) - 1) > 0:
            # Read from the top of the page (no header): dated lines above the first buttoned
            # comment are the article's byline and widgets, not comments.
            first = flags.index(True)
            self.start = heads[first][0]
            heads = [(h, d, p - first if p is not None and p >= first else None, dp) for h, d, p, dp in heads[first:]]
            flags = flags[first:]
        heads, flags = self._drop_pinned_lead(heads, flags)
        if not any(flags) or flags[-1]:
            return heads
        last = max(i for i, f in enumerate(flags) if f)
        if 2 * sum(flags) < last + 1:
            return heads  # buttons are rare on this page: they do not mark the list's end
        # Replies at the theme's deepest level have no reply button: an unbuttoned item signed
        # "Name sagt:" still belongs to the list (a widget's dated items are not signed so; being
        # nested is no sign: related posts printed as a deeper list are; session 7).
        while last + 1 < len(heads) and self._signed_head(heads[last + 1][0], heads[last + 1][1]):
            last += 1
        if last + 1 == len(heads):
            return heads
        self.end = min(self.end, heads[last + 1][0])
        return heads[: last + 1]

    def _drop_pinned_lead(
        self, heads: list[tuple[int, int, int | None, int]], flags: list[bool]
    ) -> tuple[list[tuple[int, int, int | None, int]], list[bool]]:
        """Drop an unbuttoned top-level item at the head of a list whose other top-level comments
        all carry a reply button: a notice the theme pins above the comments (the site owner's
        promotion, dated and signed like a comment but never answerable).  WordPress prints the
        reply button under every top-level comment while replies are open.  Kept as an info issue."""
        top = [i for i, (_, _, parent, _) in enumerate(heads) if parent is None]
        if (self.start == 0 or len(top) <= PINNED_MIN_OTHERS or flags[0] or len(heads) < 2
                or heads[1][2] is not None or not all(flags[i] for i in top[1:])):
            return heads, flags
        # Pinned, it breaks the list's order: dated after every other comment of a list that runs
        # oldest first (a first comment whose button the capture lost keeps its place, and so
        # does the newest comment heading a newest-first list).
        stamps = [t for t in (self._stamp(heads[i][1]) for i in top) if t is not None]
        if len(stamps) < len(top):
            return heads, flags
        rest = stamps[1:]
        rising = sum(1 for a, b in zip(rest, rest[1:], strict=False) if a < b)
        falling = sum(1 for a, b in zip(rest, rest[1:], strict=False) if a > b)
        if not stamps[0] > max(rest) or rising <= falling:
            return heads, flags
        self.issue("pinned-item-skipped", "an item above the comment list without a reply button, while every other "
                   "top-level comment has one: read as a pinned notice, not a comment", "info", heads[0][0] + 1)
        self.start = heads[1][0]
        return [(h, d, p - 1 if p is not None else None, dp) for h, d, p, dp in heads[1:]], flags[1:]

    def _stamp(self, date: int) -> datetime | None:
        match = date_in_line(self.lines[date])
        return dates.parse_date(match.group(0).strip()) if match is not None else None

    def _signed_head(self, head: int, date: int) -> bool:
        """Whether an author line ("Tobi sagt:", "Anna says:") sits between a comment's head and its date."""
        return any(patterns.AUTHOR_VERB.search(self.lines[i].strip()) for i in range(head, date))

    def _meta_after(self, head: int, date: int, nxt: int) -> bool:
        """Whether the comment's text sits between its head and its date line (meta after the text).

        True when lines between are text rather than an author line, or when the marker line
        carries the text ("• très bien vos infos." / "gabriel Le 11 septembre 2018 à 12:57" /
        "Répondre": SPIP signs under the text) and nothing but buttons follows the date.
        """
        between = [i for i in range(head + 1, date) if self.lines[i].strip()]
        if len(between) >= META_WINDOW:
            return True
        if any(not _author_like(self.lines[i]) and not _placeholder(self.lines[i]) for i in between):
            return True
        mark = _marker(self.lines[head])
        rest = mark.rest if mark is not None else ""
        if not rest or _placeholder(rest) or patterns.AUTHOR_VERB.search(rest) or date_in_line(rest) is not None:
            return False
        if (_ends_sentence(rest) and len(rest.split()) >= _SIGNED_TEXT_MIN_WORDS and date - head <= META_WINDOW
                and not _author_like(rest)):
            return True  # a sentence on the marker line and the date under it: signed below (round 6)
        for idx in range(date + 1, nxt):
            content = self.lines[idx].strip().lstrip("/ ")
            if content and not _furniture(content):
                return False
        return True

    def _name_head(self, idx: int) -> bool:
        """A name line with a button line right under it and text under that (the share or
        report buttons of a comment whose date follows its text); not the text's last line
        above the buttons that close the comment."""
        content = self.lines[idx].strip()
        if not content or not _name_like(content):
            return False
        nxt = self._next_nonblank(idx + 1, min(len(self.lines), idx + 3), 1)
        if not nxt or not _furniture(self.lines[nxt[0]].strip()):
            return False
        for later in range(nxt[0] + 1, min(len(self.lines), nxt[0] + META_WINDOW + 2)):
            text = self.lines[later].strip()
            if later in self.date_set:
                return False
            if text and not _furniture(text) and not text.isdigit():
                return True
        return False

    def _author_after(self, head: int, date: int) -> str | None:
        """Author of a meta-after comment: "Name dijo:" on the head line, or the name before the date."""
        mark = _marker(self.lines[head])
        rest = mark.rest if mark is not None else self.lines[head].strip()
        if patterns.AUTHOR_VERB.search(rest) or self._name_head(head):
            return _clean_author(rest)
        match = date_in_line(self.lines[date])
        if match is not None:
            before = self.lines[date].strip()[: match.start()]
            if before.strip():
                return _clean_author(before)
        return None

    def _author(self, head: int, date: int) -> str | None:
        lines = self.lines
        match = date_in_line(lines[date])
        parts: list[str] = []
        for idx in range(head, date):
            content = lines[idx].strip()
            if content:
                parts.append(content)
        if match is not None:
            before = lines[date].strip()[: match.start()]
            if before.strip():
                parts.append(before)
        for raw in reversed(parts):
            mark = _marker(raw)
            cleaned = mark.rest if mark is not None else raw
            cleaned = _strip_lead(cleaned)
            cleaned = patterns.AUTHOR_VERB.sub("", cleaned)
            cleaned = patterns.AUTHOR_JOINER.sub("", cleaned)
            cleaned = cleaned.strip(_AUTHOR_TRIM_CHARS)
            if cleaned.lower() in _BYLINE_WORDS:
                continue  # "Posted on 3rd November 2023 | Anna": the name follows the date
            if cleaned and len(cleaned) <= AUTHOR_MAX_CHARS and any(c.isalpha() for c in cleaned):
                return cleaned
        if match is not None:  # "# Le 3 juillet à 16:55, par voltaire En réponse à : …"
            after = patterns.REPLY_TO_TAIL.sub("", lines[date].strip()[match.end():])
            named = patterns.AUTHOR_AFTER_DATE.match(after)
            if named is not None:
                return named.group("name").strip()
            signed = _SEPARATED_NAME.match(after)
            if signed is not None and _name_like(signed.group(1)):  # "… 2023 | Anna Muster"
                return signed.group(1)
        return None


_TITLE_MAX = 120  # the linking post's title above a pingback excerpt


def _pingback_excerpt(text: str) -> bool:
    """A pingback's text: an excerpt cut at both ends ("[…] … […]"), possibly under the linking
    post's title (one short line per paragraph before it)."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    if not paragraphs or not patterns.PINGBACK_EXCERPT.match(paragraphs[-1]):
        return False
    if all("\n" not in p and len(p) <= _TITLE_MAX for p in paragraphs[:-1]) and len(paragraphs) <= 3:
        return True
    # Several pingbacks run together (their meta lines too long for date lines): excerpts,
    # each under its linking post's title line ending with the reply button.
    # A text browser wraps them: the rest of a wrapped meta line may come first ("Uhr - Antworten").
    return all(patterns.PINGBACK_EXCERPT.match(p) or _titled_meta(p) for p in paragraphs[:-1])


_TITLED_META_MAX = 300
_TITLED_META_LINES = 3
_BUTTON_TAIL = re.compile(r"(?:^|\s[-|–]\s)([^-|–]{1,40})$")


def _titled_meta(paragraph: str) -> bool:
    """A pingback's meta: the linking post's title (wrapped over at most three lines, maybe
    after a list marker) ending with a reply button after " - " or " | "."""
    if paragraph.count("\n") >= _TITLED_META_LINES or len(paragraph) > _TITLED_META_MAX:
        return False
    tail = _BUTTON_TAIL.search(paragraph.rsplit("\n", 1)[-1].strip())
    return tail is not None and _reply_button(tail.group(1).strip()) is not None


def byline(line: str) -> bool:
    """An article's or teaser's byline ("By Jane Doe, March 17, 2024", "Von Anna Muster"): never
    a comment's meta line, nor evidence of a comment section."""
    return bool(_BYLINE_START.match(line))


def _teaser_byline(text: str) -> bool:
    """A text that starts with a dated byline ("By Shaun Doe March 17, 2024", "Von Anna Muster,
    3. Mai 2021"): what a "most popular" or "latest" widget prints under each headline (the
    headline's own date line anchored it).  Comments never open with their own byline; the
    comment's meta was already cut from the text."""
    first = text.lstrip().split("\n", 1)[0]
    return bool(_BYLINE_START.match(first)) and date_in_line(first) is not None and not first.rstrip().endswith(
        (".", "!", "?"))


# Words of a sentence on a marker line that make the date line under it a signature.
_SIGNED_TEXT_MIN_WORDS = 3
# A signature line's lead before the name ("Comment by Anna — 18.07, 2011", "Kommentar von Anna").
_SIGNATURE_LEAD = re.compile(r"^(?:Comment|Kommentar|Commentaire|Comentario|Commento|Reactie) (?:by|von|de|di|van|par) ",
                             re.IGNORECASE)


def _clean_author(raw: str) -> str | None:
    cleaned = _strip_lead(raw.strip())
    cleaned = _SIGNATURE_LEAD.sub("", cleaned)  # "Comment by Anna —" (round 6)
    cleaned = patterns.AUTHOR_VERB.sub("", cleaned)
    cleaned = patterns.AUTHOR_JOINER.sub("", cleaned)
    cleaned = cleaned.strip(_AUTHOR_TRIM_CHARS)
    return cleaned if cleaned and len(cleaned) <= AUTHOR_MAX_CHARS else None


_NAME_LINE_MAX = 60
_ROLE_MAX = 20  # a one-word role label under a name ("Gast", "Autor", "Moderator")


def _drop_name_lines(text: str) -> tuple[str, str | None]:
    """Drop author lines printed after the date (wpDiscuz: "15. Februar 2017 09:49" /
    "AlexandraAlexandra" / "Alexandra"): short lines at the start of the text that are one
    name, doubled or alone, as the next line confirms.  Returns (text, the name or None).

    The lines are the text's first non-blank ones: markdown converters put a blank line
    between the name block's lines ("Gast" / "" / "Lotte", html2text; round 6).
    """
    lines = text.split("\n")
    filled = [i for i, row in enumerate(lines[:12]) if row.strip()][:3]
    if len(filled) < 2:
        return text, None
    first, second = lines[filled[0]].strip(), lines[filled[1]].strip()
    if len(first) > _NAME_LINE_MAX or len(second) > _NAME_LINE_MAX:
        return text, None

    def after(pos: int) -> str:
        rest = lines[filled[pos] + 1:]
        while rest and not rest[0].strip():
            rest.pop(0)
        return "\n".join(rest)

    squashed = first.replace(" ", "")
    if squashed == 2 * second.replace(" ", "") or first == second:
        return after(1), second
    # "BenBen" / "Gast" / "Ben": a role label ("Gast", "Autor", "Guest") between the two.
    third = lines[filled[2]].strip() if len(filled) > 2 else ""
    if third and len(second) <= _ROLE_MAX and second.isalpha() and any(c.isalpha() for c in third) and (
            squashed == 2 * third.replace(" ", "") or first == third):
        return after(2), third
    # "Gast" / "Ben": the label above the name (a browser's copy, where the avatar's text is gone).
    if first.lower() in patterns.ROLE_LABELS and any(c.isalpha() for c in second) and not _ends_sentence(second):
        return after(1), second
    return text, None


def _lead_name(text: str) -> tuple[str, str | None]:
    """The commenter's name heading the text of a comment signed with its date below it
    ("[avatar]" / "### Marius" / text / "18. 05. 2014 22:38"): a name-like line, after avatar
    placeholders, with more text under it.  Returns (text without them, the name or None)."""
    rows = text.split("\n")
    pos = 0
    while pos < len(rows) and (not rows[pos].strip() or _placeholder(rows[pos])):
        pos += 1
    if pos >= len(rows):
        return text, None
    name = rows[pos].strip().strip("#*_ ").strip()
    rest = "\n".join(rows[pos + 1:]).strip("\n")
    if not rest.strip() or not _name_like(name):
        return text, None
    return rest, name


def _ends_sentence(line: str) -> bool:
    return line.endswith((".", "!", "?", ",", ";", ":"))


def _name_block(lines: list[str], idx: int) -> bool:
    """Whether a comment's name block starts at ``idx``: a name printed twice (avatar alt text
    and link, "AnnaAnna" / "Anna") or a name, a role label and the name again ("Anna" / "Gast"
    / "Anna"), as :func:`_drop_name_lines` removes them."""
    first = lines[idx].strip()
    if not first or len(first) > _NAME_LINE_MAX:
        return False
    following = [line.strip() for line in lines[idx + 1: idx + 4] if line.strip()][:2]
    if not following:
        return False
    _, name = _drop_name_lines("\n".join([first, *following]))
    return name is not None


# A name block is short: avatar text, the name, a points or post count.
_NAME_BLOCK_LINE_MAX = 60


_POSITION_NUMBER = re.compile(r"\n\n?[0-9]{1,4}$")


def _drop_position_number(text: str) -> str:
    """Drop the next comment's position number from the end of a text: a browser's copy of a
    theme that numbers its comments prints the number alone on the line above the next
    comment's author line ("…Grüße" / "" / "4" / "Luna on 11/08/2020 at 9:58")."""
    match = _POSITION_NUMBER.search(text) if text[-1:].isdigit() else None
    return text[: match.start()].rstrip() if match is not None and match.start() > 0 else text


def _drop_next_name_blocks(comments: list[RawComment]) -> None:
    """Cut the next comment's name block from the end of each text.

    Themes that print the avatar, the name and a points count above the list marker of a
    comment ("Profilbild von Anna" / "Anna" / "1955" / "● Anna" / date) leave those lines at the
    end of the comment before it (the marker opens the next comment).  The tail is dropped from
    its first paragraph naming the next comment's author, when every line of it is short and
    some text stays.
    """
    for comment, nxt in zip(comments, comments[1:], strict=False):
        name = nxt.author
        if not name or len(name) < 2 or name not in comment.text:
            continue
        lines = comment.text.split("\n")
        for j in range(1, len(lines)):
            if name in lines[j] and not lines[j - 1].strip():
                tail = lines[j:]
                if all(len(t.strip()) <= _NAME_BLOCK_LINE_MAX for t in tail) and any(t.strip() for t in lines[:j]):
                    comment.text = _dedent(lines[:j])
                break


def _reply_button(content: str) -> re.Match[str] | None:
    """A reply button line (:data:`patterns.REPLY_BUTTON`, or a phrase: "Répondre à ce message")."""
    return patterns.REPLY_BUTTON.match(content) or patterns.REPLY_PHRASE.match(content)


def _furniture(content: str) -> bool:
    """A button line of a comment (:data:`patterns.COMMENT_FURNITURE`), also with the permalink
    anchor some themes print after the buttons ("17.10.2019, 14:14 Zum Antworten anmelden Zitieren #"),
    or a line this page repeats beside its dates (:func:`repeated_furniture`)."""
    if patterns.COMMENT_FURNITURE.match(content) or content in _PAGE_FURNITURE.get():
        return True
    if patterns.REPLY_PHRASE.match(content):
        return True
    trimmed = content.rstrip()
    return trimmed.endswith(_PERMALINK_ANCHORS) and bool(patterns.COMMENT_FURNITURE.match(trimmed[:-1]))


_PERMALINK_ANCHORS = ("#", "¶")
# A vote or like count alone on its line ("12", "+3", "-1", "−2").
_COUNTER = re.compile(r"^[ \t]*[+\-−]?\d{1,6}[ \t]*$")

# One-word links a threaded comment system prints under each comment to walk its tree
# (LiveJournal and Dreamwidth: "Reply" / "Parent" / "Thread" / "Link"): in a text browser they
# are list items ("  • Link") that a date follows within a few lines (the next comment's meta),
# so read as markers they opened a comment named "Link" whose text was the next commenter's
# name (session 10: 76 invented comments on one page).  Only as list markers' items, and not
# as a comment's button evidence: "* Link" is also a share menu's copy-link entry, and a bare
# "Expand" under a quoted post is the quote's button.
_THREAD_LINKS = frozenset({"link", "parent", "thread", "permalink"})



# Lines of image placeholders skipped between a marker and its meta, at most.
IMAGE_LINES_MAX = 2
_IMAGE_ONLY = re.compile(r"^\s*(?:\[[^\]\n]{0,120}\]\s*){1,4}$")


def _image_only(line: str) -> bool:
    """A line of bracketed image placeholders only ("[IMG]", "[]", "[anna@example.org']")."""
    return line.lstrip()[:1] == "[" and _IMAGE_ONLY.match(line) is not None


def _placeholder(line: str) -> bool:
    """A line that holds no text: an image or avatar placeholder alone ("[]" from pandoc -t plain,
    "[IMG]", "Avatar") or a comment's position number ("1", "#12").  Between a comment's marker and
    its date line it is meta, not text signed below (round 6: "1.  1" / "[]" / "Julia on …")."""
    content = line.strip()
    return not _strip_lead(content) or (len(content) <= 5 and content.lstrip("#").isdigit()) or _image_only(content)


def _author_like(line: str) -> bool:
    content = _strip_lead(line.strip())
    if not content or len(content) > AUTHOR_MAX_CHARS:
        return False
    if patterns.AUTHOR_VERB.search(content):
        return True  # "Mutti, warum bist du nicht so? sagt:": a nickname of any shape (session 7)
    if len(content.split()) > AUTHOR_MAX_WORDS:
        return False
    if _furniture(content) or _reply_button(content):
        return False
    if _INITIAL_END.search(content):
        return True  # "Astrid S.", "J. R. Miller Jr.": a name ending with an initial, no sentence
    return not content.endswith((".", "!", "?", ",", ";"))


# A name's last word as an initial or suffix ("Astrid S.", "Miller Jr."): one capital letter,
# or "Jr"/"Sr", then the full stop; at most three words before it.
_INITIAL_END = re.compile(r"^(?:\S+\s){1,3}(?:[A-ZÄÖÜ]|Jr|Sr)\.$")


def _dedent(body: list[str]) -> str:
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    indents = [len(_INDENT.match(line).group(0)) for line in body if line.strip()]  # type: ignore[union-attr]
    common = min(indents) if indents else 0
    out: list[str] = []
    blank = False
    for line in body:
        if not line.strip():
            if not blank and out:
                out.append("")
            blank = True
            continue
        blank = False
        out.append(line[common:].rstrip())
    return "\n".join(out)
