"""Comment lists printed as definition lists: the meta in ``dt``, the text in the ``dd`` after it.

Some WordPress themes (Thesis and its descendants) print ``<dl id="comment_list">`` with, per
comment, ``<dt class="comment depth-N" id="comment-N">`` holding author and date and a
following ``<dd class="comment depth-N">`` holding the text.  WordPress core's rules look for
``li``/``div``/``article`` comments and the generic fallback for one block holding author,
date and text, so neither sees these: one comment is two sibling elements.

Parents: the ``depth-N`` classes, where every comment has one (WordPress prints pre-order, so
the parent at depth N is the latest comment at depth N−1 before it); else a reply list nested
in a ``dd`` belongs to that ``dd``'s comment.
"""

from __future__ import annotations

import re

from analyzer.ingest.html_comments.common import (
    Element,
    Extraction,
    Found,
    block_text,
    classes,
    first,
    line_of,
    name_text,
    text_of,
)

_ID = re.compile(r"^comment-(\d{1,20})$")
_DEPTH = re.compile(r"^depth-(\d{1,3})$")
_AUTHOR = (
    ".//*[contains(@class, 'comment_author') or contains(@class, 'comment-author') or contains(concat(' ', @class, ' '), ' fn ')]"
    " | .//cite"
)
_DATE = ".//time | .//*[contains(@class, 'comment_time') or contains(@class, 'comment-date') or contains(@class, 'comment-time')]"
_CHROME = re.compile(r"reply|edit|meta|avatar|report", re.IGNORECASE)


def _depth(element: Element) -> int | None:
    for token in classes(element):
        match = _DEPTH.match(token)
        if match:
            return int(match.group(1))
    return None


def _text_element(dt: Element) -> Element | None:
    """The ``dd`` right after the ``dt`` (comments and whitespace in between are skipped)."""
    sibling = dt.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getnext()
    return sibling if sibling is not None and sibling.tag == "dd" else None


def extract(root: Element) -> Extraction | None:
    """Definition-list comments, or None when the page has no ``dt#comment-N`` followed by a ``dd``."""
    terms = [
        e
        for e in root.iter("dt")
        if _ID.match(e.get("id") or "") and "comment" in classes(e) and _text_element(e) is not None
    ]
    if len(terms) < 1:
        return None
    ids = {e: _ID.match(e.get("id") or "").group(1) for e in terms}  # type: ignore[union-attr]
    depths = {e: _depth(e) for e in terms}
    by_class = all(d is not None for d in depths.values())
    owner_of_dd = {_text_element(e): e for e in terms}
    out = Extraction("deflist")
    last_at: dict[int, Element] = {}
    for term in terms:
        parent: Element | None = None
        depth = depths[term]
        if by_class and depth is not None:
            parent = last_at.get(depth - 1) if depth > 1 else None
            last_at[depth] = term
            for deeper in [d for d in last_at if d > depth]:
                del last_at[deeper]
        else:
            for ancestor in term.iterancestors():
                if ancestor in owner_of_dd:
                    parent = owner_of_dd[ancestor]
                    break
        dd = _text_element(term)
        assert dd is not None  # selected above

        def exclude(node: Element) -> bool:
            return node.tag in ("dl", "button") or bool(_CHROME.search(node.get("class") or ""))

        author_el = first(term, _AUTHOR)
        out.comments.append(
            Found(
                comment_id=ids[term],
                parent_id=ids[parent] if parent is not None else None,
                depth=depth,
                author=name_text(author_el) if author_el is not None else None,
                text=block_text(dd, exclude),
                line=line_of(term),
                date_text=text_of(first(term, _DATE)),
            )
        )
    return out
