"""Which header-like line of a page text opens its comment section, and where that section ends,
for the ``comments-not-recognised`` warning (issue 12, "a page without comments is no page with
unread comments").

The warning's evidence is a comment-section header and comment lines after it (dates, reply
buttons, author lines).  On pages without comments that evidence came from lines that only look
like it (held-out batches aside3 to aside6, 41 of 267 control captures warned):

* header-like words that are no section's heading: a navigation menu's "Diskussion" or
  "Opiniones" above the article, a paragraph's last word the tool wrapped onto its own line
  ("réponses"), the reply form's own heading or field label ("Your Comment", "Publier un
  commentaire", which the header grammar reads as announcing one comment);
* dates after the header that belong to the sidebar: a "Recent posts" widget's teasers (a
  headline over its date), an archive or "Recent comments" list ("NAME on POST TITLE").

The reading itself (:mod:`analyzer.ingest.capturelist`) already refuses those headers; this
module applies the same tests to the warning, and bounds the section at the first widget heading.
"""

from __future__ import annotations

import re

from analyzer.core.records import RawComment
from analyzer.ingest import capturelist, textsigns

# Count lines beside a date ("14.06.2022" / "3 Kommentare") on a page that make them a teaser
# list's counts rather than its comment section's header.
TEASER_COUNTS_MIN = 3
# Non-blank lines under a comment's date searched for its text (name, buttons, a quote's heading
# may stand between).
TEXT_BELOW = 6
# Non-blank lines above a header-like word searched for the reply form it belongs to ("Leave a
# Reply" / Name / E-mail / URL / "Your Comment" over the text box).
FORM_ABOVE = 4


def form_line(content: str) -> bool:
    """A line of the reply form: its heading or notice ("Leave a Reply", "Publier un commentaire",
    "Required fields are marked")."""
    return capturelist.is_trailer(content) or textsigns.form_line(content)


def opens_section(lines: list[str], idx: int, count: int | None, prose_from: int = 0) -> bool:
    """Whether the header-like line ``idx`` (announcing ``count`` comments, or None) opens a
    comment section: not a menu entry, not a wrapped last word, not the reply form's heading or
    a field label under it; and a header without a count only after the page's first sentence
    (``prose_from``, :func:`first_prose`): a comment section follows the article, a bare
    "Opiniones" above it is the site's menu even where a date line stands under it."""
    content = lines[idx].strip()
    if form_line(content):
        return False  # "Publier un commentaire": the form's heading ("un" read as one comment)
    if count is None and idx < prose_from:
        return False
    if count is not None and _dated_count(lines, idx) and sum(
            _dated_count(lines, pos) for pos in range(len(lines))) >= TEASER_COUNTS_MIN:
        return False  # "14.06.2022" / "3 Kommentare" under each of several headlines: teasers' counts
    if capturelist.menu_entry(lines, idx, count) or capturelist.wrapped_tail(lines, idx, count):
        return False
    if count is None:
        seen = 0
        for above in range(idx - 1, -1, -1):
            text = lines[above].strip()
            if not text:
                continue
            if form_line(text):
                return False  # "Your Comment" under "Leave a Reply" / Name / E-mail: a field label
            seen += 1
            if seen >= FORM_ABOVE:
                break
    return True


def section_end(lines: list[str], header: int) -> int:
    """The line the comment section opened at ``header`` ends before: the first sidebar or footer
    widget heading ("Recent posts", "Neueste Kommentare", "Archives"), else the page's end."""
    widget = capturelist.widget_heading_after(lines, header + 1, len(lines))
    return widget if widget is not None else len(lines)


def teaser_date(lines: list[str], idx: int) -> bool:
    """Whether the date line ``idx`` is a teaser's or a widget item's, not a comment's: a
    headline stands right above it ("Game Night, or, Settlers of Catan" / "December 19, 2025"),
    or it is an item "NAME on POST TITLE" / "NAME bei TITEL" of a recent-comments list."""
    content = lines[idx].strip()
    if capturelist.widget_item(content):
        return True
    for above in range(idx - 1, max(-1, idx - 4), -1):
        text = textsigns.visible(lines[above])
        if text:
            return textsigns.headline(text.lstrip("*•-+# ").strip())
    return False


# Raw tags a converter kept (pandoc): a long "<img …>" line is markup, not somebody's sentence.
_RAW_TAG = re.compile(r"<[^<>\n]{0,2000}>")


def _prose(content: str) -> bool:
    if "<" in content:
        content = _RAW_TAG.sub(" ", content).strip()
    # A long line is somebody's paragraph when it has words ("![](data:image/svg…)" has none).
    return (len(content) > textsigns.META_MAX_CHARS and len(content.split()) >= textsigns.PROSE_MIN_WORDS
            ) or textsigns.prose_line(content)


def first_prose(lines: list[str]) -> int:
    """The page's first line of somebody's sentences (the article's first paragraph), or the
    page's length when there is none."""
    return next((idx for idx, line in enumerate(lines) if _prose(textsigns.visible(line))), len(lines))


def text_below(lines: list[str], idx: int) -> bool:
    """Whether somebody's sentence follows the date line ``idx`` before the next date: a comment
    has text under its date; a teaser list ("Cobalamina" / "22 abril, 2022" / "[image]" / next
    title) and an archive list go from date to date."""
    seen = 0
    for pos in range(idx + 1, len(lines)):
        content = textsigns.visible(lines[pos])
        if "<" in content:
            content = _RAW_TAG.sub(" ", content).strip()  # pandoc's "</div>" lines show nothing
        if not content:
            continue
        if _prose(content):
            return True
        if capturelist.date_in_line(content) is not None:
            return False
        seen += 1
        if seen >= TEXT_BELOW:
            return False
    return False


# Lines a teaser's comment count may take ("12 Kommentare", "1 Kommentar" and the footer's link row).
COUNT_TEXT_MAX_LINES = 3


def _count_text(text: str) -> bool:
    """A comment's text that is only a comment count ("12 Kommentare"), maybe over a link row."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines or len(lines) > COUNT_TEXT_MAX_LINES:
        return False
    return capturelist.section_header(lines[0])[1] is not None


def teaser_counts(comments: list[RawComment]) -> bool:
    """Whether a reading's comments are a teaser list's entries: headline as the author, date,
    and a comment count as the "text" ("Neuer Spielplatz eröffnet" / "14.06.2022" /
    "3 Kommentare").  Such counts are never somebody's comment; at least half of them read so
    make the whole reading a teaser list."""
    return bool(comments) and 2 * sum(_count_text(c.text or "") for c in comments) >= len(comments)


def _dated_count(lines: list[str], idx: int) -> bool:
    """A comment count ("3 Kommentare") with a date on one of the two non-blank lines above or below it."""
    content = lines[idx].strip()
    if not content or len(content) > textsigns.META_MAX_CHARS or capturelist.section_header(content)[1] is None:
        return False
    near: list[str] = []
    for step in (-1, 1):
        pos, seen = idx + step, 0
        while 0 <= pos < len(lines) and seen < 2:
            if lines[pos].strip():
                near.append(lines[pos].strip())
                seen += 1
            pos += step
    return any(capturelist.date_in_line(text) is not None for text in near)
