"""Drupal 6 comment templates without fields: text, author and date from the block itself.

Drupal 7+ wraps a comment's text in a body field and its author in ``.username``.  Drupal 6's
``comment.tpl.php`` (and themes built on it) prints the picture, a "submitted" line, the text
and the links side by side in the comment block, and the author as ``theme_username``'s link
to ``/user/N`` or ``/users/NAME``.  The submitted line reads "Submitted by NAME on DATE", or a
theme's "DATE — NAME" / "DATE | N"; a byline reader for the first order already exists
(:func:`generic.byline`), so this module handles the rest.
"""

from __future__ import annotations

import re

from analyzer.ingest.html_comments import generic
from analyzer.ingest.html_comments.common import Element, block_text, classes, text_of

# What frames a Drupal 6 comment's text in the block: picture, submitted line, links, the
# replies that follow (``div.indented``) and the subject heading (Drupal 6 fills an empty
# subject with the text's first words: printed, it doubled them).
_FRAME = frozenset(
    {"user-picture", "picture", "links", "submitted", "permalink", "indented", "author"}
)
_SUBJECT_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6", "button", "form", "script", "style"})
# "Fri, 2012-11-09 17:18 — Caroline Crampton", "Thu, 08/09/2012 - 13:04 | 2691543": the parts
# of a submitted line.  A plain hyphen is no separator: "08/09/2012 - 13:04" is one date.
_INLINE = frozenset({"a", "abbr", "b", "strong", "em", "i", "time", "small", "br"})
# (?<!\s): a match starts where a whitespace run starts (linear on long runs; test_regex_bounds).
_SEPARATOR = re.compile(r"(?<!\s)\s+[—–|·•]\s+")


def text(element: Element, members: set[Element]) -> str:
    """The block's text without its frame and without other comments inside it."""

    def exclude(node: Element) -> bool:
        return (
            (node in members and node is not element)
            or node.tag in _SUBJECT_TAGS
            or bool(classes(node) & _FRAME)
            or generic.profile_link(node)
        )

    return block_text(element, exclude)


def submitted(element: Element, body: Element | None) -> tuple[str | None, str | None]:
    """Author and date from the block's first short line outside the text that holds a date,
    split at its separators: the part that reads as a date is the date, a part that is not a
    number is the name (a permalink's bare number is neither)."""
    for node in element.iterdescendants():
        if not isinstance(node.tag, str) or node.tag in ("a", "script", "style", "p"):
            continue
        if body is not None and (node is body or body in node.iterancestors()):
            continue
        if "indented" in classes(node):
            break  # the replies: their lines are theirs
        if any(isinstance(c.tag, str) and c.tag not in _INLINE for c in node):
            continue  # a box of lines: its own lines are read one by one
        line = text_of(node) or ""
        if not 6 <= len(line) <= 120 or "\n" in line:
            continue
        parts = [part.strip() for part in _SEPARATOR.split(line) if part.strip()]
        dates = [part for part in parts if generic.date_like(part)]
        if not dates:
            continue
        names = [part for part in parts if part not in dates and not part.isdigit()]
        return (names[0] if len(names) == 1 else None), dates[0]
    return None, None


def profile_name(element: Element, body: Element | None) -> str | None:
    """The text of the block's first link to a user profile outside the text
    (``<a href="/users/malikai" title="View user profile.">malikai</a>``)."""
    for anchor in element.iterdescendants("a"):
        if body is not None and body in anchor.iterancestors():
            continue
        if any("indented" in classes(a) for a in _below(anchor, element)):
            continue  # a reply's name
        name = text_of(anchor)
        if name and generic.profile_link(anchor):
            return name
    return None


def _below(node: Element, top: Element) -> list[Element]:
    """Ancestors of ``node`` below ``top``."""
    out: list[Element] = []
    parent = node.getparent()
    while parent is not None and parent is not top:
        out.append(parent)
        parent = parent.getparent()
    return out
