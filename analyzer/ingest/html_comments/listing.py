"""Items of a listing (a forum's thread list, a blog's article list), told from comments.

A forum index or a section front page repeats blocks with an author and a date, like a
comment list, but each block stands for another page: its main text is the title of a link
to that page ("Recipe app recommendations?" → /threads/recipe-app.123/), and what is left
beside it is furniture ("Sticky", "Replies 12", "Views 345", a last-poster line). A comment's
main text is its own prose, not a link. Held-out batch 9b (session 11): three forum thread
lists read as 21–28 comments each by the generic reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from analyzer.ingest import patterns
from analyzer.ingest.html_comments.common import Element, text_of

# A title: at least this many characters and words (shorter labels are buttons, counts, names).
MIN_TITLE_CHARS = 15
MIN_TITLE_WORDS = 3
# Prose at least this long anywhere outside links makes the block a comment, whatever its links.
PROSE_CHARS = 40
# Links that act on the comment rather than lead to another page's content.
_ACTION_HREF = re.compile(
    r"reply|respond|replytocom|quote|report|vote|like|share|login|register|signin|sign-in|javascript:|mailto:",
    re.IGNORECASE,
)
_URL_LIKE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*://|www\.)\S*\s*$", re.IGNORECASE)
_SKIPPED = frozenset({"script", "style", "noscript", "template"})


def _title_length(anchor: Element, person_link: re.Pattern[str]) -> int:
    """Length of ``anchor``'s label if it reads as a title of another page, else 0."""
    href = anchor.get("href") or ""
    if person_link.search(f"{anchor.get('class') or ''} {href}") or _ACTION_HREF.search(href):
        return 0
    label = text_of(anchor) or ""
    label = " ".join(label.split())
    if len(label) < MIN_TITLE_CHARS or len(label.split()) < MIN_TITLE_WORDS or _URL_LIKE.match(label):
        return 0
    if (
        patterns.DATE_IN_LINE.search(label)
        or patterns.RELATIVE_DATE_LINE.match(label)
        or patterns.REPLY_BUTTON.match(label)
        or patterns.REPLY_PHRASE.match(label)
    ):
        return 0
    return len(label)


def title_item(
    block: Element, members: set[Element], elsewhere: Callable[[Element], bool], person_link: re.Pattern[str]
) -> bool:
    """Whether ``block``'s main text is the title of a link to another page.

    ``elsewhere`` tells a link to another page from a permalink of the block itself, and
    ``person_link`` a link to a profile (a name, not a title); blocks in ``members`` nested in
    ``block`` (replies) are not looked into.  True when the longest such title is longer than
    every run of text outside links, and no run outside links is prose (``PROSE_CHARS``).
    """
    longest_title = 0
    longest_plain = 0

    def plain(text: str | None) -> None:
        nonlocal longest_plain
        if text:
            longest_plain = max(longest_plain, len(" ".join(text.split())))

    def walk(element: Element, in_link: bool) -> None:
        nonlocal longest_title
        for child in element:
            if not isinstance(child.tag, str):
                if not in_link:
                    plain(child.tail)
                continue
            if child in members or child.tag in _SKIPPED:
                if not in_link:
                    plain(child.tail)
                continue
            link = child.tag == "a" and elsewhere(child)
            if link and not in_link:
                longest_title = max(longest_title, _title_length(child, person_link))
            if not (in_link or link or child.tag == "a"):
                plain(child.text)
            walk(child, in_link or child.tag == "a")
            if not in_link:
                plain(child.tail)

    if not in_link_free(block):
        return False
    plain(block.text)
    walk(block, False)
    return longest_title >= MIN_TITLE_CHARS and longest_plain < min(longest_title, PROSE_CHARS)


def in_link_free(block: Element) -> bool:
    """A block that is itself a link (or inside one) is one clickable card, not a title beside furniture."""
    return block.tag != "a" and not any(a.tag == "a" for a in block.iterancestors())
