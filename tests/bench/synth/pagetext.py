"""Render an article and its comments as a captured page text (the reference layout).

The output is what :mod:`analyzer.ingest.pagetext` reads: category, title, lead, body
paragraphs, author box, the count header, the comment list and the reply-form trailer.
Nesting follows the reference page: a comment at depth d has its marker indented
``d * indent_step`` columns; its further lines sit one step deeper, which is exactly where its
replies' markers go.  Ordinals restart at 1 in every nested list.

Example:
    >>> from analyzer.core.records import Article, RawComment
    >>> page = render_pagetext(
    ...     Article("a", title="Titel"),
    ...     [RawComment("c1", declared_depth=1, text="Erster"), RawComment("c2", declared_depth=2, text="Zweiter")],
    ... )
    >>> print(page)
    Titel
    <BLANKLINE>
    2 Antworten
    <BLANKLINE>
      1. Erster
    <BLANKLINE>
        1. Zweiter
    <BLANKLINE>
    Schreibe einen Kommentar
    <BLANKLINE>
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from analyzer.core.records import Article, RawComment

_DE_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
    "November", "Dezember",
)
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)


def format_comment_date(when: datetime, *, english: bool) -> str:
    """A WordPress comment date line ("17. Januar 2022 um 10:15 Uhr" / "January 17, 2022 at 10:15 am").

    Aware datetimes are shown in UTC (the reader reads page times as UTC); seconds are dropped.
    """
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    if english:
        hour12 = when.hour % 12 or 12
        ampm = "am" if when.hour < 12 else "pm"
        return f"{_EN_MONTHS[when.month - 1]} {when.day}, {when.year} at {hour12}:{when.minute:02d} {ampm}"
    return f"{when.day}. {_DE_MONTHS[when.month - 1]} {when.year} um {when.hour:02d}:{when.minute:02d} Uhr"


def comment_header(n: int, *, english: bool) -> str:
    """The count header WordPress prints above the list."""
    if english:
        return "One Reply" if n == 1 else f"{n} Comments"
    return "Eine Antwort" if n == 1 else f"{n} Antworten"


def render_pagetext(
    article: Article,
    comments: Sequence[RawComment],
    *,
    indent_step: int = 2,
    with_meta: bool = False,
    trailer: str = "Schreibe einen Kommentar",
) -> str:
    """Render ``comments`` (pre-order, ``declared_depth`` set) under ``article`` as page text.

    Args:
        article: title, category, lead, body (paragraphs separated by blank lines), author
            and n_announced are used; English is used for header, meta and reply links when
            ``article.language == "en"``, German otherwise.
        comments: in pre-order; each comment's parent is the nearest preceding comment with
            a smaller declared depth (missing depths become ghosts when read back).
        indent_step: columns per nesting level (at least 2, so text lines never look like
            a one-column-deeper list).
        with_meta: print "NAME sagt:"/"NAME says:" and date lines, and a reply link under
            each comment, as WordPress does.
        trailer: the line that closes the list (the reply form's heading).

    Returns:
        The page text, lines separated by "\\n", ending with a newline.
    """
    if indent_step < 2:
        raise ValueError("indent_step must be at least 2")
    english = article.language == "en"
    out: list[str] = []
    for part in (article.category, article.title, article.lead):
        if part:
            out += [part, ""]
    if article.body:
        for paragraph in article.body.split("\n\n"):
            if paragraph.strip():
                out += [paragraph, ""]
    if article.author:
        out += [f"{'Author' if english else 'Autor'}: {article.author}", ""]
    announced = article.n_announced if article.n_announced is not None else len(comments)
    out += [comment_header(announced, english=english), ""]

    ordinals: dict[tuple[int, int], int] = {}  # (parent position or -1, depth) -> last ordinal
    stack: list[tuple[int, int]] = []  # (depth, position) of open ancestors
    for position, comment in enumerate(comments):
        depth = max(1, comment.declared_depth or 1)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        key = (stack[-1][1] if stack else -1, depth)
        ordinal = ordinals.get(key, 0) + 1
        ordinals[key] = ordinal
        stack.append((depth, position))

        lines: list[str] = []
        if with_meta and comment.author:
            lines.append(f"{comment.author} {'says' if english else 'sagt'}:")
        if with_meta and comment.created_at is not None:
            lines.append(format_comment_date(comment.created_at, english=english))
        text_lines = comment.text.split("\n") if comment.text else []
        if lines and text_lines:
            lines.append("")
        lines += text_lines
        if with_meta and lines:
            lines += ["", "Reply" if english else "Antworten"]

        marker = " " * (indent_step * depth) + f"{ordinal}."
        text_indent = " " * (indent_step * (depth + 1))
        out.append(f"{marker} {lines[0]}" if lines and lines[0] else marker)
        out.extend(f"{text_indent}{line}" if line else "" for line in lines[1:])
        out.append("")
    out.append(trailer)
    return "\n".join(out) + "\n"
