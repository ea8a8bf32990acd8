"""SPIP forums (``ul.forum`` of ``li.forum-fil``) as saved.

SPIP prints the comment text before author and date; the forum message id is in class
tokens ``forum-texte-N`` / ``forum-qui-N`` (editable-field markers), and the date as
``abbr.date[title]`` in ISO 8601 (UTC).  Replies sit in a ``ul`` inside the parent's ``li``.
"""

from __future__ import annotations

import re

from analyzer.ingest.dates import parse_date
from analyzer.ingest.html_comments.common import (
    Element,
    Extraction,
    Found,
    block_text,
    classes,
    enclosing,
    line_of,
    text_of,
)
from analyzer.ingest.html_comments.generic import date_like

_ID_CLASS = re.compile(r"^forum-(?:texte|qui|titre)-(\d{1,20})$")


# Squelettes that mark only the editable field: "crayon forum-qui-226838" (a real SPIP blog).
_AUTHOR_FIELD = re.compile(r"^forum-qui(?:-\d{1,20})?$")


def _bracketed_date(own: list[Element]) -> str | None:
    """A date printed in brackets in the message's header ("(22 juin 2018 @11h41)" in a
    ``div.forum-nav``, a real SPIP blog; session 7): the first short own text of that shape."""
    for element in own:
        text = (element.text or "").strip().strip("()\u00a0 :").strip()
        if 6 <= len(text) <= 40 and any(ch.isdigit() for ch in text) and date_like(text):
            return text
    return None


def _own_descendants(element: Element, members: set[Element]) -> list[Element]:
    own: list[Element] = []
    stack = list(element)
    while stack:
        node = stack.pop(0)
        if not isinstance(node.tag, str) or node in members:
            continue
        own.append(node)
        stack[:0] = list(node)
    return own


def extract(root: Element) -> Extraction | None:
    """SPIP forum messages, or None when the page has no ``li.forum-fil``."""
    elements = [
        e for e in root.iter("li") if "forum-fil" in classes(e) or "forum-message" in classes(e)
    ]
    if not elements:
        return None
    members = set(elements)
    out = Extraction("spip")
    ids: dict[Element, str] = {}
    for index, element in enumerate(elements):
        own = _own_descendants(element, members)
        comment_id = next(
            (m.group(1) for e in own for c in classes(e) if (m := _ID_CLASS.match(c))), None
        )
        generated = comment_id is None
        if comment_id is None:
            comment_id = f"spip-{index + 1}"
        ids[element] = comment_id
        parent = enclosing(element, members)
        text_el = next(
            (e for e in own if classes(e) & {"forum-texte", "comment-texte", "comment-content"}),
            None,
        )
        author_el = next(
            (e for e in own if classes(e) & {"fn", "comment-author", "forum-qui"}), None
        )
        if author_el is None:
            author_el = next(
                (e for e in own if any(_AUTHOR_FIELD.match(c) for c in classes(e))), None
            )
        date_el = next((e for e in own if e.tag == "abbr" and "date" in classes(e)), None)
        if date_el is None:
            date_el = next((e for e in own if classes(e) & {"date", "forum-date"}), None)
        date_text = text_of(date_el)
        if date_el is None:
            date_text = _bracketed_date(own)
        created = (
            parse_date(date_el.get("title"))
            if date_el is not None and date_el.get("title")
            else None
        )
        out.comments.append(
            Found(
                comment_id=comment_id,
                parent_id=ids.get(parent) if parent is not None else None,
                depth=1 + sum(1 for a in element.iterancestors() if a in members),
                author=text_of(author_el),
                text=block_text(text_el) if text_el is not None else "",
                line=line_of(element),
                created_at=created,
                date_text=date_text,
                id_generated=generated,
            )
        )
    return out
