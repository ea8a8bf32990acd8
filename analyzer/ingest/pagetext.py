"""Reader for article pages captured as plain text (the reference format).

A capture of a WordPress article page looks like this (``fixtures/de_sample_page``)::

    Kategorie                      <- category line
    Titel des Beitrags             <- title
    Vorspann …                     <- lead
    Absätze …                      <- body (embedded "Beginn der Übersetzung:" … blocks too)
    In meinem neuen Buch …         <- promotion, "Werbung", "Autor: NAME" + bio
    12 Antworten                   <- comment header (announced count)
      1. erster Kommentar          <- list items; nesting shown by indentation,
          1. Antwort auf Ebene 3      ordinals restarting in every nested list
    Schreibe einen Kommentar       <- trailer: the reply form, end of the comments

The reader splits the page into article blocks, then reads the comment list in one linear
pass: each ``N.`` item at a list indentation opens a comment whose declared depth is
``(indent - base) / step + 1``; its parent is the nearest preceding comment with a smaller
declared depth.  Ghost nodes for depth gaps are left to :mod:`analyzer.tree.forest`.

Example:
    >>> from pathlib import Path
    >>> from analyzer.ingest.base import ReadOptions, Source
    >>> out = read(Source(Path("fixtures/de_sample_page/input.txt")), ReadOptions())  # doctest: +SKIP
    >>> out.threads[0].article.n_announced  # doctest: +SKIP
    34
"""

from __future__ import annotations

import functools
import gc
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

from analyzer.core.errors import FormatError
from analyzer.core.records import Article, Block, ParsedThread, ParseIssue, RawComment
from analyzer.ingest import (
    capturelist,
    commentheader,
    forumposts,
    forumsigns,
    learntchrome,
    listevidence,
    patterns,
    textshapes,
    textsigns,
    threadlinks,
)
from analyzer.ingest.base import COMMENTS_NOT_RECOGNISED, ReaderOutput, ReadOptions, Source
from analyzer.ingest.paragraphs import paragraphs

FORMAT = "pagetext"

# Tabs in indentation are expanded to this width.  Tab-indented captures use one tab per level,
# so any width gives the same depths; 4 matches what editors and browsers' "copy as text" use.
TAB_WIDTH = 4
# Indent step assumed when the capture shows only one list indentation (nothing to infer from):
# 2 spaces is what the reference page uses; tab captures expand to TAB_WIDTH.
DEFAULT_STEP = 2
# Edge confidence of a comment whose indentation is not on the inferred grid and was rounded.
ROUNDED_EDGE_CONFIDENCE = 0.5
# Share of indented item lines that must sit on a candidate grid when the exact gcd fails
# (a few hand-edited or odd indentations must not collapse the step to 1).
GRID_TOLERANCE = 0.5
# A paragraph is prose (evidence that the file is an article page) with this many words.
MIN_PROSE_WORDS = 2
# Non-blank lines allowed between the count header and the first item (sort buttons, notices).
HEADER_LOOKAHEAD = 4
# Item lines whose next line is sampled for the body offset (a hint for the step; the most
# common value settles within a few hundred items).
BODY_OFFSET_SAMPLE = 5000
# Characters of the page used for the language guess: function words saturate quickly.
LANGUAGE_SAMPLE_CHARS = 50_000

# _build_comments passes RawComment's fields by position (speed); a reordered record must fail
# here, at import, not shift values between columns.
_RAW_COMMENT_FIELDS = ("comment_id", "parent_id", "declared_depth", "author", "created_at", "text", "source_line",
                       "kind", "n_hidden", "url", "edge_confidence")
if tuple(f.name for f in fields(RawComment))[:len(_RAW_COMMENT_FIELDS)] != _RAW_COMMENT_FIELDS:
    raise ImportError("analyzer.core.records.RawComment changed its field order: update pagetext._build_comments")

_WORD = re.compile(r"[^\W\d_]{2,}")
_WS = " \t\u00a0"  # NBSP appears in indentation of browser copies


# --- small helpers -----------------------------------------------------------------------


# Text-level patterns of the list reader (mechanics, not page vocabulary: that is in patterns.py).
_TAB_INDENT = re.compile(r"^[ \u00a0]*\t", re.MULTILINE)
_ODD_INDENT = re.compile(r"^[ \t\u00a0]*[\t\u00a0][ \t\u00a0]*", re.MULTILINE)  # tabs or NBSP in it
_NEXT_LINE = re.compile(r"\n+( *)(\S)")  # the next non-blank line and its indentation
# The indentation of every non-blank line that follows a newline (patterns.LIST_ITEM_AFTER_NEWLINE says why:
# a leading literal is found without trying every position).
_NL_INDENTS = re.compile(r"\n( *)\S")
_BLANK_RUN = re.compile(r"\n{3,}")
# A line ending in a blank, found by its newline (one scan for the three blanks: a third of the
# time of three substring tests, which stop at every newline; page-text throughput).
_BLANK_BEFORE_NEWLINE = re.compile(r"\n(?<=[ \t\u00a0]\n)")


def _expand_indent(match: re.Match[str]) -> str:
    return " " * len(match.group().replace("\u00a0", " ").expandtabs(TAB_WIDTH))


@functools.cache
def _shallow_lines(max_indent: int | None) -> re.Pattern[str]:
    """Non-blank lines indented at most ``max_indent`` (any indentation for None)."""
    indent = " *" if max_indent is None else f" {{0,{max_indent}}}"
    return re.compile(rf"^({indent})(\S[^\n]*)$", re.MULTILINE)


@functools.cache
def _shallow_after_newline(max_indent: int | None) -> re.Pattern[str]:
    """:func:`_shallow_lines` found by the newline before the line (the line starts at ``start(1)``)."""
    indent = " *" if max_indent is None else f" {{0,{max_indent}}}"
    return re.compile(rf"\n({indent})(\S[^\n]*)$", re.MULTILINE)


def _shallow_line_matches(text: str, max_indent: int | None, pos: int) -> Iterator[re.Match[str]]:
    """The lines :func:`_shallow_lines` finds from ``pos`` on, as ``finditer`` would, faster.

    Each line starts at ``match.start(1)``; group 1 is its indentation and group 2 its text.
    (A chain, not a generator: no Python frame per line.)
    """
    first = _shallow_lines(max_indent).match(text, 0) if pos == 0 else None
    rest = _shallow_after_newline(max_indent).finditer(text, max(pos - 1, 0))
    return itertools.chain((first,), rest) if first is not None else rest


def _list_item_matches(text: str, end: int) -> Iterator[re.Match[str]]:
    """Every item-looking line of ``text[:end]`` (:data:`patterns.LIST_ITEM_LINES`), in order;
    each line starts at ``match.start(1)``."""
    first = patterns.LIST_ITEM_LINES.match(text, 0, end)
    rest = patterns.LIST_ITEM_AFTER_NEWLINE.finditer(text, 0, end)
    return itertools.chain((first,), rest) if first is not None else rest


@functools.cache
def _deeper_line(indent: int) -> re.Pattern[str]:
    """The indentation of a line indented deeper than ``indent``, found by the newline before it
    (a leading literal: the engine skips to each newline instead of trying every position);
    search from the newline ending the line before, the indentation is one less than the match."""
    return re.compile(rf"\n {{{indent + 1},}}(?=\S)")


def _first_item(text: str, start: int, end: int) -> re.Match[str] | None:
    return patterns.LIST_ITEM_LINES.search(text, start, end)


def _is_item_line(content: str) -> re.Match[str] | None:
    """Match a list-item line ("12. text", no indentation) that is not a date line."""
    if not content or not content[0].isdigit():
        return None
    return patterns.LIST_ITEM.match(content)


def _is_terminator(content: str) -> bool:
    return bool(patterns.TRAILER.match(content) or patterns.COMMENTS_CLOSED.match(content))


def _guess_language(text: str) -> str | None:
    """'de' or 'en' by counting function words; None when neither occurs."""
    counts = dict.fromkeys(patterns.FUNCTION_WORDS, 0)
    for word in _WORD.findall(text[:LANGUAGE_SAMPLE_CHARS].lower()):
        for lang, words in patterns.FUNCTION_WORDS.items():
            if word in words:
                counts[lang] += 1
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] > 0 else None


# A markdown converter (pandoc -t markdown) passes a page's <div>/<span> wrappers through as raw
# HTML, so its output can open with tags; the text between them is markdown: "-   [Abo](/abo)"
# list items, "# Title" headings, "[text](url)" links.  Markup saved as HTML has none of these
# lines and opens with a document head.  19 of 103 pandoc captures of the held-out batches 3 and 4
# opened like that and were refused as markup.
_MARKDOWN_LINE = re.compile(r"^(?:-   \S|\*   \S|\d{1,4}\.  ?\S|#{1,6} \S|\[[^\]\n]{1,300}\]\([^)\s]{1,2000}\))", re.MULTILINE)
_DOCUMENT_HEAD = re.compile(r"<(?:!doctype|html|head|body|\?xml)\b", re.IGNORECASE)
MARKDOWN_MIN_LINES = 5


def _markdown_with_raw_tags(head: str) -> bool:
    """Markdown a converter wrote with the page's wrappers left in as raw tags (not a saved page)."""
    if _DOCUMENT_HEAD.search(head[:4096]):
        return False
    n = 0
    for _ in _MARKDOWN_LINE.finditer(head):
        n += 1
        if n >= MARKDOWN_MIN_LINES:
            return True
    return False


def _non_page_shape(text: str) -> str | None:
    """Describe the text when it is clearly another format (markup, JSON, a table), else None."""
    stripped = text.lstrip("\ufeff \t\n")
    if stripped.startswith("<") and ("</" in stripped[:65536] or "/>" in stripped[:65536]):
        if not _markdown_with_raw_tags(stripped[:65536]):
            return "HTML or XML markup"
    if stripped[:1] == "{" or stripped[:2] in ("[{", '["', "[]") or stripped[:2] == "[\n":
        return "JSON"
    lines = [line for line in stripped[:65536].split("\n") if line.strip()][:20]
    if len(lines) >= 3:
        for delimiter in (",", ";", "\t", "|"):
            counts = Counter(line.count(delimiter) for line in lines)
            modal, n_modal = counts.most_common(1)[0]
            if modal >= (1 if delimiter == "\t" else 2) and n_modal >= 0.8 * len(lines):
                return "a delimited table"
    return None


# --- reader contract ---------------------------------------------------------------------


def looks_like(path: Path, head: str) -> bool:
    """True for plain-text captures: a comment header or reply-form trailer, or a .txt file.

    Args:
        path: the file (its suffix is a hint).
        head: the first 64 KiB, decoded.
    """
    if path.suffix.lower() in {".html", ".htm", ".json", ".csv", ".tsv", ".xml", ".jsonl"}:
        return False
    if not head.strip() or _non_page_shape(head) is not None:
        return False
    for line in head.split("\n"):
        if len(line) < 400 and (
            patterns.parse_comment_header(line) is not None or _is_terminator(line.strip())
        ):
            return True
    return path.suffix.lower() in {".txt", ".text", ""}


def _gc_paused(reader: Callable[[Source, ReadOptions], ReaderOutput]) -> Callable[[Source, ReadOptions], ReaderOutput]:
    """Run ``reader`` with the cyclic garbage collector paused (and restored after).

    A long page makes three small objects per comment (candidate, item, comment) and frees
    none of them while reading: the collector's repeated passes over that growing heap found
    nothing and took about 15 % of the reading time of a 20 MB page (page-text throughput,
    docs/performance-language.md).
    Reference counting still frees everything as usual; cycles wait for the next collection.
    """

    @functools.wraps(reader)
    def paused(source: Source, options: ReadOptions) -> ReaderOutput:
        if not gc.isenabled():
            return reader(source, options)
        gc.disable()
        try:
            return reader(source, options)
        finally:
            gc.enable()

    return paused


@_gc_paused
def read(source: Source, options: ReadOptions) -> ReaderOutput:
    """Read one captured page into one :class:`ParsedThread`.

    Raises:
        FormatError: the file is empty, or has neither an article nor comments (markup,
            JSON, a table, or no prose at all).
    """
    del options  # no page-text specific options yet
    text = source.text
    path = str(source.path)
    if not text or text.isspace():  # (not a stripped copy of the whole page)
        raise FormatError(path, "a page with an article or comments", found="an empty file")
    page = _PageParser(text.split("\n"), path, source.article_id, text)
    thread, n_in = page.parse()
    issues_extra: list[ParseIssue] = []
    n_after_header = 0
    if _doubtful(thread, page.issues):
        capture_lines = _capture_lines(text)
        dating = capturelist.dating_by_month(capture_lines)
        try:
            thread, n_in, n_after_header = _read_capture_layouts(
                thread, n_in, page, capture_lines, text, path, source.article_id, issues_extra)
        finally:
            capturelist.reset_dating(dating)
    plausible = any(
        b.kind in ("title", "lead", "body", "embedded") and len(_WORD.findall(b.text)) >= MIN_PROSE_WORDS
        for b in thread.article.blocks
    )
    if not thread.comments:
        shape = _non_page_shape(text)
        if shape is not None:
            raise FormatError(path, "page text (an article page captured as plain text)", line=1, found=shape)
        if not plausible:
            raise FormatError(
                path, "a page with an article or comments", line=1, found="no prose paragraph and no comment list"
            )
    thread.article.source_path = path
    issues = list(source.decode_issues) + page.issues + issues_extra
    return ReaderOutput(threads=[thread], issues=issues, n_comments_in=n_in, n_chars_after_header=n_after_header)


def _read_capture_layouts(thread: ParsedThread, n_in: int, page: _PageParser, capture_lines: list[str], text: str,
                          path: str, article_id: str,
                          issues_extra: list[ParseIssue]) -> tuple[ParsedThread, int, int]:
    """The real-capture readers in turn (capture list, forum posts, the page's own shapes, parent
    links, learnt chrome), then the listing check and the evidence of a list not read.  Returns
    the thread, the comments in and the characters after a header; issues go to ``page.issues``
    and ``issues_extra``."""
    n_after_header = 0
    capture = capturelist.read_capture(capture_lines, path, article_id)
    confirmed = False
    if capture is not None and commentheader.teaser_counts(capture.comments):
        capture = None  # a teaser list's "12 Kommentare" under each headline: no comment at all
    if capture is not None and _prefer_capture(capture, _list_comments_in(thread, capture)):
        thread, n_in, page.issues = _capture_thread(capture, capture_lines, article_id, path)
        for comment in thread.comments:
            comment.text = forumsigns.strip_lead_header(comment.text)
        _as_forum_posts(thread, page.issues, capture_lines, path, article_id)
        n_in = len(thread.comments)
        confirmed = _count_confirmed(capture, thread)
    # Forum threads: posts split by their recurring post headers (forumposts.py; s6-forumtext).
    thread, n_in, page.issues = forumposts.apply(thread, n_in, page.issues, capture_lines, path,
                                                 article_id, _classify_article)
    # Other comment systems: comments split by the page's own recurring shape (textshapes.py; s7).
    # A capture reading that its header's count and its reply buttons confirm is kept: a shape
    # reading with more comments took in items outside that list (session 8: a "related posts"
    # box's bylines above "4 Antworten" read as three more comments in every tool).
    before_shapes = (thread, n_in, page.issues)
    thread, n_in, page.issues = textshapes.apply(thread, n_in, page.issues, capture_lines, path,
                                                 article_id, _classify_article)
    if confirmed and len(thread.comments) > len(before_shapes[0].comments):
        thread, n_in, page.issues = before_shapes
    # A flat reading whose comments carry "Parent" links (markdown keeps their targets):
    # the tree from the links (threadlinks.py; session 10).
    threadlinks.apply(thread.comments, text, page.issues, path, article_id)
    # Member cards and post chrome at the edges of the texts, learnt from the texts (session 11).
    learntchrome.strip_learnt_chrome(thread.comments, capture_lines)
    listing = _drop_listing(thread, page.issues, path, article_id)
    if listing:
        n_in = 0
    elif not thread.comments:
        not_recognised, n_after_header = _not_recognised(capture_lines, path, article_id, thread)
        if not not_recognised:  # no heading, no forum header: the repeated block shape (textsigns.py; s8)
            not_recognised, n_after_header = textsigns.not_recognised(capture_lines, text, path,
                                                                      article_id, thread)
        if not not_recognised:  # a whole thread in one markdown table row (session 11)
            not_recognised, n_after_header = _not_recognised_in_cells(capture_lines, text, path,
                                                                      article_id, thread)
        issues_extra.extend(not_recognised)
    elif not any(i.code == "count-mismatch" for i in page.issues):  # an announced count says it already
        issues_extra.extend(textsigns.shortfall(capture_lines, text, path, article_id,
                                                len(thread.comments)))
    return thread, n_in, n_after_header


def _drop_listing(thread: ParsedThread, issues: list[ParseIssue], path: str, article_id: str) -> bool:
    """Drop a reading whose "comments" are a listing's items (a board's thread list: titles,
    names, dates and counts, no prose; :func:`listevidence.listing_reading`).  An info issue
    names what was dropped; no warning: a thread list has no comments to miss (session 12)."""
    if not listevidence.listing_reading([c.text for c in thread.comments]):
        return False
    first = thread.comments[0].source_line
    issues[:] = [i for i in issues if i.comment_id is None and i.code not in _LISTING_DROPS]
    issues.append(ParseIssue(
        "listing-not-comments",
        f"{len(thread.comments)} items read as comments are a listing (a thread list's titles, names and "
        "counts, almost none of them prose): no comments read",
        "info", path, first, article_id,
    ))
    thread.article.blocks.extend(Block("navigation", c.text, c.source_line) for c in thread.comments)
    thread.comments = []
    return True


# Issues of a reading that a listing replaces: about comments that are none.
_LISTING_DROPS = frozenset({"nesting-lost", "count-mismatch", "undated-comments", "comment-shape",
                            "missing-comment-header", "forum-quotes", "forum-opening-post", "unparsed-date"})


# --- the comment list ----------------------------------------------------------------------


@dataclass(slots=True)
class _Grid:
    """List indentations: ``base`` is depth 1, each ``step`` more is one level deeper."""

    base: int
    step: int

    def on_grid(self, indent: int) -> bool:
        return indent >= self.base and (indent - self.base) % self.step == 0

    def depth(self, indent: int) -> tuple[int, bool]:
        """(declared depth, exact) for an item indentation; inexact ones are rounded."""
        if indent < self.base:
            return 1, False
        levels, rest = divmod(indent - self.base, self.step)
        if rest == 0:
            return levels + 1, True
        return levels + 1 + (1 if 2 * rest >= self.step else 0), False


@dataclass(slots=True)
class _Item:
    """A comment while the list is read; its further lines are ``section[text_start:text_end]``."""

    line: int  # 1-based page line of the item marker
    indent: int
    depth: int
    ordinal: int
    first: str  # text on the marker line
    exact: bool  # indentation on the grid
    text_start: int
    text_col: int  # column where the text after the marker starts
    text_end: int = -1
    parent: _Item | None = None
    index: int = 0
    body_col: int | None = None  # indentation of its first line deeper than the marker
    # indent -> last ordinal of its own numbered lines; made when the first one is seen (most
    # comments have none: one dict less per comment, page-text throughput)
    numbered: dict[int, int] | None = None


# An item-looking line of the list (a comment, or a numbered line of a comment's text), as a tuple
# (one per comment: a tuple is built and unpacked several times faster than a dataclass instance;
# page-text throughput, session 10):
#   start      offset of the line in the section text
#   end        offset of its end (the newline, or the end of the text)
#   indent     columns of indentation
#   ordinal    the item's number
#   text       text on the marker line ("" for a marker alone)
#   prev_blank the line before it is blank (or it opens the list)
#   text_col   column where the text after the marker starts
_Candidate = tuple[int, int, int, int, str, bool, int]


@dataclass(slots=True)
class _Section:
    """The comment list as one text, indentation as spaces and no trailing blanks on lines."""

    text: str
    first_line: int  # 0-based page line index of the text's first line
    end: int  # offset where the list ends (trailer, footer or end of the text)
    term: int | None  # page line index of the trailer / "comments closed" line
    tabs: bool = False  # indentation used tabs (expanded to TAB_WIDTH)

    def line_index(self, offset: int) -> int:
        """0-based page line index of an offset in the text."""
        return self.first_line + self.text.count("\n", 0, offset)


def infer_step(item_indents: Counter[int], base: int, body_offsets: Counter[int], *, tabs: bool) -> tuple[int, bool]:
    """Infer the indent step of the comment list from the indentations of its item lines.

    The step is the gcd of the item indentations above ``base``.  When odd indentations make
    the gcd 1, the step is the value in 2..12 that puts the largest share of item lines on the
    grid (ties: the larger step), if that share reaches GRID_TOLERANCE.  When the gcd is a
    multiple of the usual body offset (continuation lines sit one step under their item in
    the reference layout), the offset is the step: a page showing only depths 1 and 3 has
    item indents 2 and 6 (gcd 4) and body lines at item + 2.

    Returns:
        (step, certain): ``certain`` is False when the evidence was thin (a single
        indentation difference and no body offset agreeing), so a caller can report it.
    """
    above = {indent - base: n for indent, n in item_indents.items() if indent > base}
    offset = body_offsets.most_common(1)[0][0] if body_offsets else None
    if not above:
        return (TAB_WIDTH if tabs else DEFAULT_STEP), True
    gcd = 0
    for diff in above:
        gcd = math.gcd(gcd, diff)
    if gcd >= 2:
        if offset is not None and 2 <= offset < gcd and gcd % offset == 0:
            return offset, True
        # One indentation difference of the usual size (2 spaces, or one tab) is ordinary for
        # a page with two levels; a single larger one could be several levels.
        usual = gcd == (TAB_WIDTH if tabs else DEFAULT_STEP)
        return gcd, len(above) > 1 or offset == gcd or usual
    total = sum(above.values())
    best, best_share = 1, 0.0
    for step in range(2, 13):
        share = sum(n for diff, n in above.items() if diff % step == 0) / total
        if share >= best_share:
            best, best_share = step, share
    if best_share >= GRID_TOLERANCE:
        return best, False
    return 1, False


class _PageParser:
    """One pass over the page: locate the comment section, read the list, classify the rest."""

    def __init__(self, lines: list[str], path: str, article_id: str, text: str | None = None) -> None:
        self.lines = lines
        self.text = text  # "\n".join(lines), when the caller has it
        self.path = path
        self.article_id = article_id
        self.issues: list[ParseIssue] = []

    def issue(self, code: str, detail: str, severity: str = "warning", line: int | None = None,
              comment_id: str | None = None) -> None:
        self.issues.append(
            ParseIssue(code, detail, severity, self.path, line, self.article_id, comment_id)  # type: ignore[arg-type]
        )

    # -- layout of the page --

    def _find_header(self) -> tuple[int, int] | None:
        """(line index, announced count) of the comment header.

        The header is the first line that parses as one and is followed, within a few
        non-blank lines (sort buttons, notices), by a list item, the reply-form trailer, a
        "comments are closed" line or the end of the page: a sentence such as "Zwei
        Antworten" inside the article is not followed by a list.
        """
        lines = self.lines
        for idx, raw in enumerate(lines):
            if len(raw) > 400:
                continue
            count = patterns.parse_comment_header(raw)
            if count is None:
                continue
            seen = 0
            for nxt in range(idx + 1, len(lines)):
                content = lines[nxt].strip()
                if not content:
                    continue
                if _is_item_line(content) or _is_terminator(content):
                    return idx, count
                seen += 1
                if seen >= HEADER_LOOKAHEAD:
                    break
            else:
                return idx, count
        return None

    def _last_terminator(self) -> int | None:
        """Index of the last unindented trailer or "comments closed" line of the page."""
        for idx in range(len(self.lines) - 1, -1, -1):
            raw = self.lines[idx]
            if raw[:1] not in _WS and _is_terminator(raw.strip()):
                return idx
        return None

    def _headerless_section(self) -> tuple[int, int] | None:
        """(start, terminator) of a comment list shown without a header, if any.

        Without a header a list is only taken as comments when it is indented and runs into
        the reply-form trailer: numbered lists in the article itself sit at column 0.
        """
        lines = self.lines
        term = self._last_terminator()
        if term is None:
            return None
        start = term
        while start > 0:
            raw = lines[start - 1]
            if raw.strip() and raw[:1] not in _WS:
                break
            start -= 1
        for idx in range(start, term):
            if lines[idx].strip():
                return (idx, term) if _is_item_line(lines[idx].strip()) else None
        return None

    # -- the comment list --

    def _joined(self, start: int, limit: int) -> str:
        """``"\n".join(self.lines[start:limit])``: a slice of the page text when the parser has it
        (a copy instead of a join of every line: a quarter of the time on a long list)."""
        lines = self.lines
        if self.text is None or start >= limit:
            return "\n".join(lines[start:limit])
        begin = sum(map(len, lines[:start])) + start
        if limit >= len(lines):
            return self.text[begin:]
        return self.text[begin:begin + sum(map(len, lines[start:limit])) + limit - start - 1]

    def _section(self, start: int, term: int | None) -> _Section:
        """Normalise the list text once and find where the list ends.

        The list ends at ``term`` when the caller already knows the terminator (a page
        without header), else at the first trailer or "comments closed" line after the first
        item that is not indented deeper than it (comment text quoting "Schreibe einen
        Kommentar" sits deeper and does not end the list; a reply form printed above the
        list does not end it either).  Without a terminator the list ends at the first
        non-item line indented less than the first item (footer, sidebar); with one, such
        lines are kept as comment text.
        """
        lines = self.lines
        limit = term if term is not None else len(lines)
        # Trailing blanks go first, line by line (four times faster than a multiline regex, and
        # three times faster than searching the joined text for a blank before a newline).
        text = self._joined(start, limit)
        if _BLANK_BEFORE_NEWLINE.search(text) is not None or text.endswith((" ", "\t", "\u00a0")):
            # Only when some line has them: a substring test is far cheaper than a strip per line.
            text = "\n".join([line.rstrip(_WS) for line in lines[start:limit]])
        tab = None
        if "\t" in text or "\u00a0" in text:
            tab = _TAB_INDENT.search(text)
            if tab is not None:
                self.issue(
                    "tab-indentation",
                    f"the comment list is indented with tabs; expanded to {TAB_WIDTH} columns",
                    "info",
                    start + 1 + text.count("\n", 0, tab.start()),
                )
            text = _ODD_INDENT.sub(_expand_indent, text)
        section = _Section(text, start, len(text), term, tabs=tab is not None)
        if term is not None:
            return section
        first = _first_item(text, 0, len(text))
        first_indent = len(first.group("indent")) if first is not None else None
        dedent_at: int | None = None
        for match in _shallow_line_matches(text, first_indent, first.start() if first is not None else 0):
            content = match.group(2)
            if _is_item_line(content):
                continue
            line_start = match.start(1)
            if _is_terminator(content):
                section.end = line_start
                section.term = section.line_index(line_start)
                return section
            if dedent_at is None and first_indent is not None and len(match.group(1)) < first_indent:
                dedent_at = line_start
        if dedent_at is not None:
            section.end = dedent_at
        return section

    def _candidates(self, section: _Section) -> tuple[list[_Candidate], _Grid, bool]:
        """All item-looking lines of the list, and the grid inferred from them.

        Grid evidence comes from item-looking lines preceded by a blank line (items are
        separated by blank lines in captures; numbered lines inside a paragraph are text),
        and from how far the line after such an item is indented (the body offset).
        """
        text = section.text
        candidates: list[_Candidate] = []
        all_indents: Counter[int] = Counter()
        item_indents: Counter[int] = Counter()  # without lines aligned under an item's text
        body_offsets: Counter[int] = Counter()
        shallower: list[tuple[int, int]] = []  # (indent, text column) of open candidates
        n_sampled = 0
        append = candidates.append
        # Group numbers of LIST_ITEM_LINES (indent, ordinal, text): positional access is
        # measurably faster than names in this loop, which runs once per comment.
        for match in _list_item_matches(text, section.end):
            start, indent = match.span(1)
            indent -= start
            prev_blank = start <= 1 or text[start - 2] == "\n"
            item_text = match.group(3)
            text_col = match.start(3) - start if item_text else match.end(2) - start + 2
            append((start, match.end(), indent, int(match.group(2)), item_text or "", prev_blank, text_col))
            while shallower and shallower[-1][0] >= indent:
                shallower.pop()
            # A numbered paragraph aligned under the previous item's first text column is that
            # comment's text in captures that align text so (fixtures/de_list_in_body); it
            # may have to be left out of the grid evidence (below).
            aligned = bool(shallower) and shallower[-1][1] == indent
            shallower.append((indent, text_col))
            if not prev_blank:
                continue
            all_indents[indent] += 1
            if not aligned:
                item_indents[indent] += 1
            if n_sampled < BODY_OFFSET_SAMPLE:
                n_sampled += 1
                nxt = _NEXT_LINE.match(text, match.end())
                # The next line is text when it follows directly (whatever it looks like) or
                # does not look like an item.
                if nxt is not None and nxt.start(2) < section.end and len(nxt.group(1)) > indent:
                    directly = nxt.end(0) - nxt.start(0) == len(nxt.group(1)) + 2
                    if directly or patterns.LIST_ITEM_LINES.match(text, nxt.start(1)) is None:
                        body_offsets[len(nxt.group(1)) - indent] += 1
        base = min(all_indents) if all_indents else (candidates[0][2] if candidates else 0)
        exact = math.gcd(*(indent - base for indent in all_indents))
        if exact != 1 or not any(indent > base for indent in item_indents):
            # All lines agree on a grid (a 3-space layout puts every reply under its
            # parent's text column, so aligned lines are items there): use them all.  Only
            # when they do not, text-aligned numbered paragraphs are the likely culprits.
            item_indents = all_indents
        step, certain = infer_step(item_indents, base, body_offsets, tabs=section.tabs)
        return candidates, _Grid(base, step), certain

    def _read_items(self, section: _Section, candidates: list[_Candidate], grid: _Grid) -> tuple[list[_Item], int]:
        """Decide which candidates open comments; give each comment its depth and parent."""
        text = section.text
        items: list[_Item] = []
        stack: list[_Item] = []
        last_ordinal: dict[tuple[int, int], int] = {}  # (parent index or -1, depth) -> ordinal
        depth_of: dict[int, tuple[int, bool]] = {}
        opens_comment = self._opens_comment
        cur: _Item | None = None
        line_no, line_pos = section.first_line + 1, 0
        n_in = 0
        for start, end, indent, ordinal, first, prev_blank, text_col in candidates:
            # A line no deeper than the current comment's marker always opens a comment
            # (_opens_comment's first test): the current comment's text column is then never
            # needed, so it is looked for only under a deeper line (half the searches of a
            # page of short replies; page-text throughput).
            if cur is not None and indent > cur.indent:
                if cur.body_col is None and cur.text_start < start:
                    deeper = _deeper_line(cur.indent).search(text, cur.text_start - 1, start)
                    if deeper is not None:
                        cur.body_col = deeper.end() - deeper.start() - 1
                if not opens_comment(cur, indent, ordinal, prev_blank, grid):
                    if cur.numbered is None:
                        cur.numbered = {}
                    cur.numbered[indent] = ordinal
                    if cur.body_col is None:
                        cur.body_col = indent
                    continue
            n_in += 1  # counted here, independently of the RawComment objects built later
            if cur is not None:
                cur.text_end = start
            line_no += text.count("\n", line_pos, start)
            line_pos = start
            if indent not in depth_of:
                depth_of[indent] = grid.depth(indent)
            depth, exact = depth_of[indent]
            while stack and stack[-1].depth >= depth:
                stack.pop()
            cur = _Item(line_no, indent, depth, ordinal, first, exact, end + 1, text_col, -1,
                        stack[-1] if stack else None, len(items))
            stack.append(cur)
            items.append(cur)
            if not exact:
                self.issue(
                    "ambiguous-indent",
                    f"item indented {indent} columns is off the list grid (base {grid.base}, "
                    f"step {grid.step}); rounded to depth {depth}",
                    "warning",
                    line_no,
                    f"c{cur.index + 1}",
                )
            # Ordinals of lists directly under their visible parent (_report_ordinal), checked
            # inline: a method call per comment is measurable.
            parent = cur.parent
            if parent is None:
                key = (-1, depth) if depth == 1 else None
            else:
                key = (parent.index, depth) if parent.depth == depth - 1 else None
            if key is not None:
                last = last_ordinal.get(key)
                last_ordinal[key] = ordinal
                if last is None and ordinal > 1 or last is not None and ordinal != last + 1:
                    self._report_ordinal(cur, last)
        if cur is not None:
            cur.text_end = section.end
        return items, n_in

    @staticmethod
    def _opens_comment(cur: _Item, indent: int, ordinal: int, prev_blank: bool, grid: _Grid) -> bool:
        """Decide whether an item-looking line opens a new comment or is a line of ``cur``'s text.

        A reply never sits shallower than the text of the comment before it, so such a line
        is always an item.  At or below that text it is ambiguous (a numbered list in the
        comment, or a reply): items are preceded by a blank line; a line continuing a
        numbered list of the comment ("2." after its "1.") is text; and a line at the text
        column is text when that column is off the list grid (captures that align text under
        the item's first text column, fixtures/de_list_in_body).  The text column is the
        indentation of the comment's first continuation line, or before one is seen, the
        column where the text after its marker starts.
        """
        if indent <= cur.indent:
            return True
        body_col = cur.body_col
        if body_col is not None and indent < body_col:
            return True
        if not prev_blank:
            return False
        if cur.numbered is not None and cur.numbered.get(indent) == ordinal - 1:
            return False
        text_col = body_col if body_col is not None else cur.text_col
        return not (indent == text_col and not grid.on_grid(indent))

    def _report_ordinal(self, item: _Item, last: int | None) -> None:
        """Report missing siblings shown by the ordinals of a list (``last``: the previous ordinal).

        Only lists directly under a visible parent (or the top-level list) are checked (by
        :meth:`_read_items`, inline).  There the first visible item should be 1 and siblings
        count up by one, so a start above 1 or a jump means hidden siblings.  Under a ghost (the
        item sits more than one level below its visible ancestor) the list belongs to a hidden
        comment: the capture may renumber or keep the numbering of hidden items (the reference
        page restarts at 1), so its ordinals prove nothing, and the depth gap is already
        reported as ghosts.
        """
        cid = f"c{item.index + 1}"
        if last is None:
            if item.ordinal > 1:
                self.issue(
                    "ordinal-gap",
                    f"first visible item of its list is numbered {item.ordinal}: "
                    f"{item.ordinal - 1} earlier sibling(s) missing",
                    "warning",
                    item.line,
                    cid,
                )
        elif item.ordinal > last + 1:
            self.issue(
                "ordinal-gap",
                f"ordinal jumps from {last} to {item.ordinal}: {item.ordinal - last - 1} sibling(s) missing",
                "warning",
                item.line,
                cid,
            )
        elif item.ordinal <= last:
            self.issue(
                "ordinal-restart",
                f"ordinal {item.ordinal} follows {last} in the same list (a second page or capture appended?)",
                "info",
                item.line,
                cid,
            )

    # -- comment text --

    def _build_comments(self, section: _Section, items: list[_Item]) -> list[RawComment]:
        text = section.text
        # Author lines ("Max Muster sagt:") are trusted when a date line follows, or when at
        # least half the comments of the page start with one: a lone "Mein Vater sagt:"
        # opening an ordinary comment on a page without comment meta is text.
        # _author_of reads an author line exactly as patterns.AUTHOR_LINE does, faster; each
        # name is kept for _take_meta (one reading per comment).
        # Names repeat (regulars, "Gast", "Anonym"): each distinct marker-line text is read once.
        name_of: dict[str, str | None] = {}
        names = [
            name_of[first] if first in name_of
            else name_of.setdefault(first, _author_of(first) if first.rstrip().endswith(":") else None)
            for first in [item.first for item in items]
        ]
        n_author_lines = len(items) - names.count(None)
        page_has_meta = n_author_lines > 0 and 2 * n_author_lines >= len(items)
        n_dedented = 0
        first_dedented: int | None = None
        comments: list[RawComment] = []
        append = comments.append
        ids = [f"c{n + 1}" for n in range(len(items))]
        find_indents = _NL_INDENTS.findall
        take_meta = _take_meta
        pads: dict[int, tuple[str, str]] = {}  # common indentation -> (it, it after a newline)
        # items[n].index == n, so each comment's id comes with it from the zip.
        for item, name, cid in zip(items, names, ids, strict=True):
            start, end = item.text_start, item.text_end
            if start < end:
                chunk = text[start:end]
                # The chunk's lines follow the newline that ends the item line (start - 1).
                indents = find_indents(text, start - 1, end)
            else:
                chunk = ""
                indents = None
            if indents:
                common = len(min(indents))  # strings of spaces only: the least is the shortest
                if common <= item.indent:
                    n_dedented += sum(1 for lead in indents if len(lead) <= item.indent)
                    if first_dedented is None:
                        hit = _shallow_lines(item.indent).search(text, start, end)
                        first_dedented = section.line_index(hit.start()) + 1 if hit else None
                if common:
                    # Every non-blank line has at least ``common`` leading spaces and blank lines
                    # are empty, so a plain replace after each newline removes exactly that (the
                    # first line's by a slice: no copies of the chunk to add and drop a newline).
                    pad = pads.get(common)
                    if pad is None:
                        pad = pads[common] = (" " * common, "\n" + " " * common)
                    chunk = (chunk[common:] if chunk.startswith(pad[0]) else chunk).replace(pad[1], "\n")
            author, created_at, body = take_meta(item.first, chunk, page_has_meta, name)
            parent = item.parent
            # Positional fields (checked against RawComment's order at import, below): keyword
            # arguments cost twice the construction, once per comment.
            append(RawComment(cid, None if parent is None else ids[parent.index], item.depth, author, created_at,
                              body, item.line, "comment", None, None,
                              1.0 if item.exact else ROUNDED_EDGE_CONFIDENCE))
        if n_dedented:
            self.issue(
                "dedented-line",
                f"{n_dedented} line(s) in the comment list are indented no deeper than their comment's "
                "marker; kept as that comment's text",
                "info",
                first_dedented,
            )
        return comments

    # -- the whole page --

    def parse(self) -> tuple[ParsedThread, int]:
        lines = self.lines
        header = self._find_header()
        n_announced: int | None = None
        header_line: int | None = None
        term: int | None = None
        if header is not None:
            header_idx, n_announced = header
            header_line = header_idx + 1
            start = header_idx + 1
            article_end = header_idx
        else:
            headerless = self._headerless_section()
            if headerless is not None:
                start, term = headerless
                article_end = start
            else:
                term = self._last_terminator()
                start = article_end = term if term is not None else len(lines)
        section = self._section(start, term)
        term = section.term
        candidates, grid, certain = self._candidates(section)
        items, n_in = self._read_items(section, candidates, grid)
        if items and not certain:
            self.issue(
                "indent-step-uncertain",
                f"indent step {grid.step} inferred from little evidence (one indentation difference)",
                "info",
                items[0].line,
            )
        if items and header is None:
            self.issue("missing-comment-header", "comment list without a count header", "info", items[0].line)
        comments = self._build_comments(section, items)
        if section.end < len(section.text):
            list_end = section.line_index(section.end)
        else:
            list_end = term if term is not None else len(lines)
        # Lines between the header and the first item (sort buttons, notices) are furniture.
        furniture_end = items[0].line - 1 if items else list_end
        furniture = [Block("navigation", t, n) for n, t in paragraphs(lines, start, furniture_end, strip_chars=_WS)]

        blocks, fields = _classify_article(lines, 0, article_end)
        blocks.extend(furniture)
        tail_start = term if term is not None else list_end
        blocks.extend(Block("navigation", text, line) for line, text in paragraphs(lines, tail_start, strip_chars=_WS))
        comments_closed: bool | None = None
        if term is not None:
            comments_closed = bool(patterns.COMMENTS_CLOSED.match(lines[term].strip()))
        body_parts = [b.text for b in blocks if b.kind in ("body", "embedded")]
        sample = "\n".join(b.text for b in blocks if b.kind in ("title", "lead", "body", "embedded"))
        if len(sample) < 200:
            sample += "\n" + "\n".join(c.text for c in comments[:50])
        article = Article(
            article_id=self.article_id,
            title=fields.get("title"),
            author=fields.get("author"),
            category=fields.get("category"),
            lead=fields.get("lead"),
            body="\n\n".join(body_parts) if body_parts else None,
            n_announced=n_announced,
            comments_closed=comments_closed,
            language=_guess_language(sample),
            blocks=blocks,
        )
        if n_announced is not None and n_announced != len(comments):
            self.issue(
                "count-mismatch",
                f"the header announces {n_announced} comments but {len(comments)} are visible",
                "warning",
                header_line,
            )
        return ParsedThread(article=article, comments=comments), n_in


# Date lines are short; longer first lines are not even tried.
_MAX_DATE_LINE = 60
# The longest reply link in patterns.REPLY_LINK ("Auf diesen Kommentar antworten") with room
# for indentation and an arrow.
_MAX_REPLY_LINK = 60


def _may_be_date(line: str) -> bool:
    """Cheap filter before the date patterns: German dates start with the day, English with the month."""
    return line[:1].isdigit() or line.split(None, 1)[0].lower() in patterns.EN_MONTH_NAMES


_AUTHOR_VERBS = frozenset({"sagt", "says", "schreibt", "writes"})  # as in patterns.AUTHOR_LINE


def _author_of(head: str) -> str | None:
    """The name of an author line ("Max Muster sagt:"), as :data:`patterns.AUTHOR_LINE` reads it.

    String operations for the usual form (a known verb as the last word before the colon),
    the pattern for the rest: this runs once per comment (page-text throughput).
    """
    body = head.strip()[:-1].rstrip()
    name, _, verb = body.rpartition(" ")
    name = name.strip()
    if verb.lower() in _AUTHOR_VERBS and name and len(name) <= 81 and "\t" not in body:
        return name
    match = patterns.AUTHOR_LINE.match(head)
    return match.group("author").strip() if match is not None else None


def _take_meta(first: str, chunk: str, trust_author: bool, name: str | None) -> tuple[str | None, datetime | None, str]:
    """Split WordPress comment meta (author line, date line) and trailing reply links off a text.

    Args:
        first: the text on the item's marker line ("" for a marker alone on its line).
        chunk: the item's further lines, dedented.
        trust_author: take an author line even without a date line under it.
        name: ``_author_of(first)`` (None when ``first`` is no author line); read here from the
            chunk's first line when ``first`` is empty.

    Returns:
        (author, created_at, text) of the text ``first + "\n" + chunk``, with runs of blank
        lines collapsed to one paragraph break.  (The two parts come separately so the
        common case needs no joining and re-splitting: this runs once per comment, with
        positional arguments: keywords cost a tenth of its time.)
    """
    author: str | None = None
    created_at: datetime | None = None
    if first:
        head, rest = first, chunk
    else:
        head, _, rest = chunk.lstrip("\n").partition("\n")
        # Author lines end with a colon ("… sagt:"): checked before the regex, which most
        # first lines would otherwise run through.
        name = _author_of(head) if head.rstrip().endswith(":") else None
    text: str | None = None  # the text without meta, once known
    if name is not None:
        line2, _, rest2 = rest.lstrip("\n").partition("\n")
        date = (parse_date_line(line2)
                if line2 and len(line2) <= _MAX_DATE_LINE and (line2[0].isdigit() or _may_be_date(line2)) else None)
        if date is not None or trust_author:
            author = name
            created_at = date
            text = rest2 if date is not None else rest
    elif head and len(head) <= _MAX_DATE_LINE and _may_be_date(head):
        created_at = parse_date_line(head)
        if created_at is not None:
            text = rest
    if text is None:
        text = head + "\n" + rest
    text = text.rstrip("\n")
    has_meta = author is not None or created_at is not None
    while text:
        cut = text.rfind("\n")
        # A lone "Antwort" is the comment itself; a reply link follows text or meta.
        last = text[cut + 1:]
        if (cut < 0 and not has_meta) or len(last) > _MAX_REPLY_LINK or (
                last not in _REPLY_LINK_FORMS and not _is_reply_link(last)):
            break
        text = text[:cut].rstrip("\n") if cut > 0 else ""
    if "\n\n\n" in text:
        text = _BLANK_RUN.sub("\n\n", text)
    return author, created_at, text.strip("\n")


parse_date_line = patterns.parse_date_line  # module globals: one lookup less per comment
_REPLY_LINK_FORMS = patterns.REPLY_LINK_FORMS


def _is_reply_link(line: str) -> bool:
    """:data:`patterns.REPLY_LINK`, with its plain forms ("Antworten", "Reply") looked up first."""
    stripped = line.strip()
    if stripped in patterns.REPLY_LINK_FORMS:
        return True
    return stripped[:1].lower() in patterns.REPLY_LINK_FIRST and patterns.REPLY_LINK.match(line) is not None


# --- article blocks ------------------------------------------------------------------------


def _is_short_line(text: str, max_chars: int, max_words: int) -> bool:
    return "\n" not in text and len(text) <= max_chars and len(text.split()) <= max_words


def _is_navigation(text: str) -> bool:
    return len(text) <= patterns.NAVIGATION_MAX_CHARS and bool(patterns.NAVIGATION.match(text))


def _classify_article(lines: list[str], start: int, end: int) -> tuple[list[Block], dict[str, str]]:
    """Give every paragraph before the comment section its role.

    Order on a page: navigation, category, title, byline, lead, body with embedded blocks,
    promotion, advertising, author box, furniture.  Category and title are recognised by
    shape (short single lines without a final full stop); the rest by the phrase patterns.
    """
    paras = paragraphs(lines, start, end, strip_chars=_WS)
    blocks: list[Block] = []
    fields: dict[str, str] = {}
    pos = 0
    while pos < len(paras) and _is_navigation(paras[pos][1]):
        blocks.append(Block("navigation", paras[pos][1], paras[pos][0]))
        pos += 1

    def title_like(text: str) -> bool:
        return _is_short_line(text, 200, 30) and not text.endswith((".", ":", ",", ";"))

    if pos < len(paras):
        first = paras[pos][1]
        second = paras[pos + 1][1] if pos + 1 < len(paras) else None
        if (
            second is not None
            and _is_short_line(first, 40, 4)
            and not first.endswith((".", ":", "!", "?"))
            and title_like(second)
        ):
            blocks.append(Block("category", first, paras[pos][0]))
            fields["category"] = first
            pos += 1
        if title_like(paras[pos][1]) and not _is_special(paras[pos][1]):
            blocks.append(Block("title", paras[pos][1], paras[pos][0]))
            fields["title"] = paras[pos][1]
            pos += 1
            # Byline and date under the title.
            while pos < len(paras):
                line, text = paras[pos]
                byline = patterns.BYLINE.match(text) if _is_short_line(text, 120, 20) else None
                if byline is not None:
                    fields.setdefault("author", byline.group("author").strip())
                    blocks.append(Block("author_box", text, line))
                elif patterns.parse_date_line(text) is not None:
                    blocks.append(Block("navigation", text, line))
                else:
                    break
                pos += 1
            if pos < len(paras) and not _is_special(paras[pos][1]):
                blocks.append(Block("lead", paras[pos][1], paras[pos][0]))
                fields["lead"] = paras[pos][1]
                pos += 1

    state = "body"  # body | embedded | promotion | author | after_author
    for line, text in paras[pos:]:
        first_line = text.split("\n", 1)[0]
        if state == "embedded":
            if patterns.EMBED_END.match(first_line):
                blocks.append(Block("body", text, line))
                state = "body"
            else:
                blocks.append(Block("embedded", text, line))
            continue
        if patterns.EMBED_START.match(first_line) and state in ("body", "promotion"):
            blocks.append(Block("body", text, line))
            state = "embedded"
        elif patterns.ADVERTISING.match(text):
            blocks.append(Block("advertising", text, line))
            if state == "promotion":
                state = "body"
        elif (box := patterns.AUTHOR_BOX.match(first_line)) is not None or patterns.ABOUT_AUTHOR.match(first_line):
            if box is not None:
                fields["author"] = box.group("author")
            blocks.append(Block("author_box", text, line))
            state = "author" if "\n" not in text else "after_author"
        elif state == "author":
            blocks.append(Block("author_box", text, line))  # the bio under "Autor: NAME"
            state = "after_author"
        elif state == "after_author" or _is_navigation(text):
            blocks.append(Block("navigation", text, line))
        elif patterns.PROMOTION_START.match(first_line):
            blocks.append(Block("promotion", text, line))
            state = "promotion"
        elif state == "promotion" and (
            patterns.PROMOTION_WORDS.search(text) or (_is_short_line(text, 80, 8) and not text.endswith("."))
        ):
            blocks.append(Block("promotion", text, line))
        else:
            blocks.append(Block("body", text, line))
            state = "body"
    return blocks, fields


def _is_special(text: str) -> bool:
    """Paragraphs with a fixed role that can never be title or lead."""
    first_line = text.split("\n", 1)[0]
    return bool(
        patterns.EMBED_START.match(first_line)
        or patterns.ADVERTISING.match(text)
        or patterns.AUTHOR_BOX.match(first_line)
        or patterns.PROMOTION_START.match(first_line)
    )


# --- real captures (issue 12) ----------------------------------------------------------------

# Lines of the capture reader: no-break spaces as spaces (browsers and w3m put them around list
# numbers), tabs expanded, markdown links unwrapped (html2text).
_NBSP = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})


def _capture_lines(text: str) -> list[str]:
    text = capturelist.normalise_markdown(text.translate(_NBSP))
    if "\t" in text:
        text = text.expandtabs(TAB_WIDTH)
    return [line.rstrip() for line in text.split("\n")]


# Issues of the numbered-list reading that say the layout was not the reference one.
_DOUBT_CODES = frozenset({
    "ambiguous-indent", "indent-step-uncertain", "dedented-line", "missing-comment-header", "count-mismatch",
    "ordinal-gap", "ordinal-restart",
})
# Comments sampled for leftovers of a real capture (button lines, avatars) in their text.
DOUBT_SAMPLE = 200
# Share of sampled comments with such leftovers that sends the page to the capture reader.
DOUBT_SHARE = 0.1


def _doubtful(thread: ParsedThread, issues: list[ParseIssue]) -> bool:
    """Whether the numbered-list reading may have missed a real capture's layout.

    Clean readings of the reference layout (and of the synthetic pages the throughput
    benchmark renders) skip the capture reader: it would find the same comments, slower.
    """
    if not thread.comments or any(i.code in _DOUBT_CODES for i in issues):
        return True
    sample = thread.comments[:DOUBT_SAMPLE]
    leftovers = 0
    for comment in sample:
        lines = comment.text.split("\n")
        # A date line in the text of a comment whose author line ("… sagt:") was read is the
        # commenter's own words: the meta right after that line was taken already.
        dated = comment.author is None and any(capturelist.date_in_line(line) for line in lines[:2])
        # A pingback read as a comment, or an avatar placeholder read into the author ("[] Anna"
        # from pandoc -t plain, round 6): the meta of a real capture, not the reference layout.
        if dated or any(len(line) < 60 and (patterns.COMMENT_FURNITURE.match(line) or patterns.AVATAR.match(line))
                        for line in lines[:1] + lines[-2:]) or (
                comment.author is not None and patterns.AVATAR.match(comment.author)) or (
                "ingback" in lines[0] or "rackback" in lines[0]) and patterns.PINGBACK.match(lines[0]):
            leftovers += 1  # button lines, avatars, or an author/date line left in the text
    return leftovers > DOUBT_SHARE * len(sample)


def _list_comments_in(thread: ParsedThread, capture: capturelist.CaptureResult) -> int:
    """How many comments of the numbered-list reading the capture reader's section could hold.

    Where the capture reader found the reply form or a "comments closed" line after its list,
    numbered items under that line are no comments of the list ("2. Februar 2022" over each
    headline of a news widget below the reply form: round 6, pandoc -t plain); they do not count
    against the capture's reading.  Without such a line every numbered comment counts."""
    # Pingbacks the numbered-list reader took for comments ("2. Pingback: Title | Site") are what
    # the capture reader kept apart: they do not count against its reading (a wordpress.com page
    # with one comment and 28 pingbacks, session 7).
    # Where the capture reader's section has its header and its end (the reply form or "comments
    # closed"), numbered items above that header are the article's own numbered list ("1." … "7."
    # under a byline's "1 Comment on …"), not comments (session 7).
    # The same where the capture reader's header announces exactly the comments it read ("4
    # comments" above four signed comments and a "You may also like" box): the numbered items
    # above it are the article's list ("1. Write about what they ask", session 8).
    first = capture.start if capture.header is not None and capture.term is not None else -1
    counted = bool(capture.header is not None and capture.announced and capture.announced == len(capture.comments))
    return sum(1 for c in thread.comments
               if (capture.term is None or c.source_line is None or first < c.source_line - 1 < capture.term)
               and not (counted and c.source_line is not None and c.source_line - 1 < capture.start)
               and not (capture.n_pingbacks and patterns.PINGBACK.match(c.text)))


def _prefer_capture(capture: capturelist.CaptureResult, n_list: int) -> bool:
    """Whether the dated comments of the capture reader beat the numbered-list reading.

    The reference layout has no author/date lines, so the capture reader finds nothing there.
    Where both read something, the dated reading wins when its markers confirm the comments
    (it also strips meta and handles bullets); a flat reading only when it finds more.
    """
    n = len(capture.comments)
    if n == 0:
        return False
    if n_list == 0:
        return True
    if capture.undated:
        return False  # a list without meta is what the numbered-list reader reads best
    return (not capture.flat and 2 * n >= n_list) or n > n_list


def _count_confirmed(capture: capturelist.CaptureResult, thread: ParsedThread) -> bool:
    """Whether the capture reader's list is exactly what the page announces: its header's count
    (not zero) equals the comments read, and every top-level comment carries a reply button."""
    n = len(thread.comments)
    top = sum(1 for c in thread.comments if c.parent_id is None)
    return bool(capture.announced) and capture.announced == n and capture.n_buttoned >= top


def _capture_thread(capture: capturelist.CaptureResult, lines: list[str], article_id: str,
                    path: str) -> tuple[ParsedThread, int, list[ParseIssue]]:
    """A thread from the capture reader: article blocks before the header, the rest furniture."""
    issues = list(capture.issues)
    blocks, fields = _classify_article(lines, 0, capture.start)
    leftovers = [
        (line, text)
        for line, text in paragraphs(lines, capture.start + 1, capture.end, strip_chars=_WS)
        if line - 1 not in capture.used_lines
    ]
    blocks.extend(Block("navigation", text, line) for line, text in leftovers)
    blocks.extend(Block("navigation", text, line) for line, text in paragraphs(lines, capture.end, strip_chars=_WS))
    comments = capture.comments
    body_parts = [b.text for b in blocks if b.kind in ("body", "embedded")]
    sample = "\n".join(b.text for b in blocks if b.kind in ("title", "lead", "body", "embedded"))
    sample += "\n" + "\n".join(c.text for c in comments[:50])
    article = Article(
        article_id=article_id,
        title=fields.get("title"),
        author=fields.get("author"),
        category=fields.get("category"),
        lead=fields.get("lead"),
        body="\n\n".join(body_parts) if body_parts else None,
        n_announced=capture.announced,
        comments_closed=capture.closed if capture.term is not None else None,
        language=_guess_language(sample),
        blocks=blocks,
    )
    header_line = capture.header + 1 if capture.header is not None else None
    if capture.announced is not None and capture.announced != len(comments):
        extra = f" (and {capture.n_pingbacks} pingback(s)/trackback(s))" if capture.n_pingbacks else ""
        issues.append(ParseIssue(
            "count-mismatch",
            f"the header announces {capture.announced} comments but {len(comments)} are visible{extra}",
            "warning", path, header_line, article_id,
        ))
    return ParsedThread(article=article, comments=comments), len(comments), issues


def _as_forum_posts(thread: ParsedThread, issues: list[ParseIssue], lines: list[str], path: str,
                   article_id: str) -> None:
    """Read a forum thread's posts as flat top-level comments, their post headers out of the text.

    The capture reader finds forum posts by their date lines but leaves the post header (profile
    lines, "#2", "Zitieren", the next poster's name) in the text and may take the bullets of the
    header for list nesting.  A board shows replies as quotes, not nesting: every post is top
    level, with a low edge confidence and a ``nesting-lost`` warning.
    """
    signs = forumsigns.collect(lines)
    if not thread.comments or not signs.is_thread():
        return
    # Dated items far from every post header are a widget beside the thread, not posts.
    dropped = {c.comment_id for c in thread.comments
               if c.source_line is not None and not forumsigns.near_post_header(signs, c.source_line - 1)}
    if dropped:
        thread.comments = [c for c in thread.comments if c.comment_id not in dropped]
        issues[:] = [i for i in issues if i.comment_id not in dropped and i.code != "count-mismatch"]
        if not thread.comments:
            return
    for comment in thread.comments:
        comment.text = forumsigns.clean_post(comment.text)
        comment.parent_id = None
        comment.declared_depth = 1
        comment.edge_confidence = min(comment.edge_confidence, forumsigns.FORUM_EDGE_CONFIDENCE)
    if not any(i.code == "nesting-lost" for i in issues):
        issues.append(ParseIssue(
            "nesting-lost",
            f"{len(thread.comments)} posts of a forum thread (member-profile lines, post ordinals): all read as "
            "top level; the board shows replies as quotes, so who replied to whom is not in this text",
            "warning", path, thread.comments[0].source_line, article_id,
        ))


# A markdown table row this long with this many cells holds a page section, not a table (a
# converter's rendering of a table layout: a whole Hacker News thread in one 76,000-character row).
TABLE_ROW_MIN_CHARS = 2000
TABLE_ROW_MIN_CELLS = 20
_CELL_BLOCKS = re.compile(r"\s{2,}")


def _not_recognised_in_cells(lines: list[str], text: str, path: str, article_id: str,
                             thread: ParsedThread) -> tuple[list[ParseIssue], int]:
    """The repeated-block evidence looked for in the cells of overlong table rows, one cell a
    line; the warning names the row's line."""
    cells: list[str] = []
    origin: list[int] = []
    for idx, line in enumerate(lines):
        if len(line) >= TABLE_ROW_MIN_CHARS and line.count("|") >= TABLE_ROW_MIN_CELLS:
            # A cell's blocks (name and date, text, buttons) are joined by runs of spaces.
            parts = [p.strip() for cell in line.split("|") for p in _CELL_BLOCKS.split(cell)]
            parts = [p for p in parts if p and p.strip("-: ")]
            cells.extend(parts)
            origin.extend([idx] * len(parts))
    if not cells:
        return [], 0
    found, _ = textsigns.not_recognised(cells, text, path, article_id, thread)
    if not found:
        return [], 0
    issue = found[0]
    row = origin[(issue.line or 1) - 1]
    after = sum(len(b.text) for b in thread.article.blocks if b.source_line is not None and b.source_line > row)
    issue.detail = issue.detail.split("; ")[0].replace("(lines ", "(cells ") + f" in the table row at line {row + 1}; " \
        f"{after} characters from there went to the article blocks"
    issue.line = row + 1
    return [issue], after


# A heading with its count after the noun ("Kommentare 1", Plone's comment viewlet; "Kommentare ( 56 )",
# a theme that brackets it: its menu's "Meinungen" entry was the only header found before, session 9).
_TRAILING_COUNT = re.compile(r"^(\w{4,20})\s*(?:\s|\(\s*)(\d{1,5})(?:\s*\))?$")
# Markdown heading marks and emphasis runs around it ("###  Kommentare  __ 1", html2text).
_HEADING_MARKS = re.compile(r"[#*_\s]+")


def _forum_not_recognised(lines: list[str], path: str, article_id: str,
                          thread: ParsedThread) -> tuple[list[ParseIssue], int]:
    """The warning for a page without comment heading whose lines show a forum thread's post headers.

    Forum threads (XenForo, vBulletin, Forumotion) have no "12 Comments" heading; their posts
    repeat member-profile lines, post ordinals, quote buttons and dates (:mod:`forumsigns`).
    """
    signs = forumsigns.collect(lines)
    if not signs.is_thread() or signs.first_line is None:
        return [], 0
    start = signs.first_line
    after = sum(len(b.text) for b in thread.article.blocks if b.source_line is not None and b.source_line > start)
    return [ParseIssue(
        COMMENTS_NOT_RECOGNISED,
        "the page shows the post headers of a forum thread but no comment was read: " + "; ".join(signs.kinds())
        + f"; first post header at line {start + 1}; {after} characters from there went to the article blocks",
        "warning", path, start + 1, article_id,
    )], after


# Lines after an author line ("Anna sagt:") within which its date line must come.
AUTHOR_DATE_WINDOW = 2


# Verbs of "On DATE, NAME wrote:" lines, beyond patterns.AUTHOR_VERB (which the readers use):
# here only evidence for the warning, never a reading.
_WROTE = re.compile(r"(?<=\s)(?:wrote|schrieb|hat geschrieben|a écrit|ha escrito|heeft geschreven|"
                    r"escreveu|disse|diz)\s*:\s*$", re.IGNORECASE)


def _headerless_not_recognised(lines: list[str], path: str, article_id: str,
                               thread: ParsedThread) -> tuple[list[ParseIssue], int]:
    """The warning for a page with no comment heading at all whose lines still show comments.

    Evidence: author lines ("Anna sagt:", "On 3 May 2021, Ben wrote:") with a date on them or
    under them, and reply buttons after them; or name-and-date lines ("Anna vom 04.06.2022.")
    each followed by reply buttons.  Themes and sites that print no "N Kommentare" heading
    gave 0 comments and no word (held-out batch aside4, session 6: five pages in every tool).
    A sentence ending in "sagt:" in an article has no date with it; a "latest comments"
    widget's name-and-date lines have no reply buttons.
    """
    n_verb = n_signed = n_buttons = 0
    first: int | None = None
    contents = [line.strip() for line in lines]
    for idx, content in enumerate(contents):
        if not content or len(content) > 300:
            continue
        if patterns.REPLY_BUTTON.match(content):
            n_buttons += 1 if first is not None else 0  # a button counts only below a comment
            continue
        if patterns.AUTHOR_VERB.search(content) or _WROTE.search(content):
            following = [c for c in contents[idx + 1: idx + 1 + 2 * AUTHOR_DATE_WINDOW] if c][:AUTHOR_DATE_WINDOW]
            if capturelist.date_in_line(content) is not None or any(
                    capturelist.date_in_line(c) is not None and not capturelist.byline(c) for c in following):
                n_verb += 1
                first = idx if first is None else first
        elif capturelist.signed_date_line(content):
            n_signed += 1
            first = idx if first is None else first
    if first is None or not (n_verb >= 2 or (n_verb and n_buttons) or (n_signed >= 2 and n_buttons >= 2)):
        return [], 0
    after = sum(len(b.text) for b in thread.article.blocks if b.source_line is not None and b.source_line > first)
    return [ParseIssue(
        COMMENTS_NOT_RECOGNISED,
        f"the page has no comment heading but shows comments: {n_verb + n_signed} author line(s) with a date "
        f"(first {contents[first][:60]!r} at line {first + 1}), {n_buttons} reply-button line(s) below; "
        f"{after} characters from there went to the article blocks",
        "warning", path, first + 1, article_id,
    )], after


# Evidence of a comment section: reply buttons, author lines ("… sagt:"), comment headers.
NOT_RECOGNISED_MIN_EVIDENCE = 2
# Name-and-date lines ("Anna Muster | Di, 21. April 2020 - 16:40") that count as evidence
# wherever they are: a byline has one, a comment list several.
NOT_RECOGNISED_MIN_SIGNED = 3


def _not_recognised(lines: list[str], path: str, article_id: str,
                    thread: ParsedThread) -> tuple[list[ParseIssue], int]:
    """A ``comments-not-recognised`` warning when the page shows a comment section but none was read.

    Evidence: a comment-section header, reply-button lines, author lines and date lines after
    it.  A header alone is not enough when the page says comments are closed and nothing
    follows; two pieces of evidence are.  The detail names the lines, so a user can look.

    Returns:
        the issue (or none), and the characters of article blocks after the header when the
        issue is raised (the accounting's ``article_text_after_comment_header``), else 0.
    """
    header: int | None = None
    end = len(lines)
    prose_from = commentheader.first_prose(lines)
    says_none = False
    evidence: list[str] = []
    n_buttons = n_author = n_dates = n_signed = 0
    for idx, line in enumerate(lines):
        content = line.strip()
        if not content or len(content) > 300:
            continue
        if "_" in content and " " not in content:  # a link as Debian html2text prints it: "3_replies"
            content = content.replace("_", " ")
        if capturelist.signed_date_line(content):
            n_signed += 1  # anywhere: some themes print the list above its heading
        if header is None:
            is_header, count = capturelist.section_header(content)
            if not is_header and content[0] in "*=#~" and content[-1] in "*=#~":
                # "* Kommentare: *": a decorated heading ("*** Kommentare: ***") after the
                # capture's emphasis was undone, no longer decorated enough for the header test.
                is_header, count = capturelist.section_header(content.strip(" *=#~"))
            trailing = _TRAILING_COUNT.match(_HEADING_MARKS.sub(" ", content).strip())
            if not is_header and trailing is not None:  # "Kommentare 1" (Plone): the count after the noun
                is_header = capturelist.section_header(trailing.group(1))[0]
                count = int(trailing.group(2)) if is_header else None
            if not is_header:
                count = patterns.parse_comment_header(content)
                is_header = count is not None
            # Menu entries, wrapped words and the reply form's heading are no section's header
            # (commentheader.py; session 9: 41 control captures warned from them).
            if is_header and commentheader.opens_section(lines, idx, count, prose_from):
                header = idx
                end = commentheader.section_end(lines, idx)
                # "0 Responses", or "Replies" / "0" in a forum topic's statistics table: dates
                # under it are the sidebar's or the topic's own (session 10).
                says_none = count == 0 or (count is None and capturelist.zero_below(lines, idx))
                evidence.append(f"header {content[:60]!r} at line {idx + 1}")
                if count:  # "27 Comments" and none read: the page says there are some
                    evidence.append(f"the header announces {count} comment(s)")
            continue
        if idx >= end:
            continue  # under a "Recent posts" or "Archives" widget heading: the sidebar, not the section
        if "(BUTTON)" in content:  # lynx marks each button so: "(BUTTON) Ответить" is a reply button
            content = content.replace("(BUTTON)", " ").strip()
        if patterns.REPLY_BUTTON.match(content):
            n_buttons += 1
        elif patterns.AUTHOR_VERB.search(content):
            n_author += 1
        elif (not says_none and capturelist.date_in_line(content) is not None and not capturelist.byline(content)
              and not commentheader.teaser_date(lines, idx) and commentheader.text_below(lines, idx)):
            n_dates += 1  # bylines and teasers of a "latest" widget under the header are not comment dates
    if n_buttons:
        evidence.append(f"{n_buttons} reply-button line(s)")
    if n_author:
        evidence.append(f"{n_author} author line(s)")
    if n_dates:
        evidence.append(f"{n_dates} date line(s)")
    if n_signed >= NOT_RECOGNISED_MIN_SIGNED and not n_author:
        evidence.append(f"{n_signed} name-and-date line(s) on the page")
    if header is None:
        forum = _forum_not_recognised(lines, path, article_id, thread)
        return forum if forum[0] else _headerless_not_recognised(lines, path, article_id, thread)
    if len(evidence) < NOT_RECOGNISED_MIN_EVIDENCE:
        return [], 0
    after = sum(len(b.text) for b in thread.article.blocks if b.source_line is not None and b.source_line > header + 1)
    return [ParseIssue(
        COMMENTS_NOT_RECOGNISED,
        "the page shows signs of a comment section but no comment was read: " + "; ".join(evidence)
        + f"; {after} characters after the header went to the article blocks",
        "warning", path, header + 1, article_id,
    )], after
