"""Blogger (blogspot) threaded comments as saved.

``li.comment#c<ID>`` elements; replies sit in ``div.comment-replies`` inside the parent's
``li`` (one level deep on Blogger), so the nearest enclosing comment is the parent.  Author
``cite.user``, date ``span.datetime`` (a link whose text is the localised date), text
``.comment-content``.
"""

from __future__ import annotations

import re

from analyzer.ingest.html_comments.common import (
    Element,
    Extraction,
    Found,
    block_text,
    classes,
    enclosing,
    first,
    line_of,
    text_of,
)

_ID = re.compile(r"^c(\d{6,25})$")


def extract(root: Element) -> Extraction | None:
    """Blogger comments, or None when the page has no ``li.comment#cN``."""
    elements = [
        e for e in root.iter("li") if "comment" in classes(e) and _ID.match(e.get("id") or "")
    ]
    if not elements:
        return None
    members = set(elements)
    ids = {e: _ID.match(e.get("id") or "").group(1) for e in elements}  # type: ignore[union-attr]
    out = Extraction("blogger")
    for element in elements:
        block = first(element, "./div[contains(@class, 'comment-block')]")
        block = element if block is None else block
        parent = enclosing(element, members)
        depth = 1 + sum(1 for a in element.iterancestors() if a in members)
        text_el = first(block, ".//*[contains(concat(' ', @class, ' '), ' comment-content ')]")
        out.comments.append(
            Found(
                comment_id=ids[element],
                parent_id=ids[parent] if parent is not None else None,
                depth=depth,
                author=text_of(first(block, ".//cite[contains(@class, 'user')]")),
                text=block_text(text_el) if text_el is not None else "",
                line=line_of(element),
                date_text=text_of(first(block, ".//*[contains(@class, 'datetime')]")),
            )
        )
    return out
