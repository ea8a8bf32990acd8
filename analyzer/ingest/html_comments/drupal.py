"""Drupal comments (Drupal 7 and 8+) as saved.

Drupal 7 prints ``<a id="comment-N"></a>`` followed by ``article.comment`` (or
``div.comment``); Drupal 8+ puts ``id="comment-N"`` on the comment itself.  Replies are not
inside their parent: they sit in a ``div.indented`` that FOLLOWS the parent as a sibling.  So
the parent of a comment inside ``div.indented`` is the last comment before that ``div`` at
the same level.  Author ``.username``, date ``time[datetime]`` or RDFa ``content``, text the
comment body field (``field-name-comment-body`` / ``field--name-comment-body``).
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
    text_of,
)

_ANCHOR_ID = re.compile(r"^comment-(\d{1,20})$")
_ABOUT = re.compile(r"/comment/(\d{1,20})")
_BODY = (
    ".//*[contains(@class, 'field-name-comment-body') or contains(@class, 'field--name-comment-body')]"
)
_CHROME = frozenset({"links", "submitted", "permalink", "expanding-formatter-trigger", "element-hidden"})


def _is_comment(element: Element) -> bool:
    """Drupal comment markup: RDFa ``sioct:Comment``, ``about="/comment/N"``, Drupal 8's
    ``js-comment`` class, or Drupal 7's ``<a id="comment-N">`` right before it.

    ``id="comment-N"`` alone is not enough: WordPress themes (Twenty Twelve, wordpress.com)
    put ``<article id="comment-N" class="comment">`` inside their ``li.comment``.
    """
    if element.tag not in ("article", "div") or "comment" not in classes(element):
        return False
    if any(a.tag == "li" and "comment" in classes(a) for a in element.iterancestors()):
        return False
    return (
        "sioct:Comment" in (element.get("typeof") or "")
        or bool(_ABOUT.search(element.get("about") or ""))
        or "js-comment" in classes(element)
        or _anchor_before(element) is not None
    )


def _anchor_before(element: Element) -> str | None:
    previous = element.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()
    if previous is not None and previous.tag == "a" and not (previous.text or "").strip():
        anchor = _ANCHOR_ID.match(previous.get("id") or "")
        if anchor:
            return anchor.group(1)
    return None


def _comment_id(element: Element) -> str | None:
    match = _ANCHOR_ID.match(element.get("id") or "") or _ABOUT.search(element.get("about") or "")
    if match:
        return match.group(1)
    return _anchor_before(element)


def _parent(element: Element, members: set[Element]) -> tuple[Element | None, int]:
    """The comment before the enclosing ``div.indented``, and the depth (number of indents + 1)."""
    depth = 1
    parent: Element | None = None
    node = element
    while (container := node.getparent()) is not None:
        if "indented" in classes(container):
            depth += 1
            if parent is None:
                sibling = container.getprevious()
                while sibling is not None and sibling not in members:
                    sibling = sibling.getprevious()
                parent = sibling
        node = container
    return parent, depth


def extract(root: Element) -> Extraction | None:
    """Drupal comments, or None when the page has none."""
    elements = [e for e in root.iter("article", "div") if _is_comment(e)]
    if not elements or not any(_comment_id(e) for e in elements):
        return None
    members = set(elements)
    out = Extraction("drupal")
    ids: dict[Element, str] = {}
    for index, element in enumerate(elements):
        comment_id = _comment_id(element)
        generated = comment_id is None
        ids[element] = comment_id or f"drupal-{index + 1}"
        parent, depth = _parent(element, members)
        time_el = first(element, ".//time[@datetime]")
        date_attr = time_el.get("datetime") if time_el is not None else None
        if date_attr is None:
            rdfa = first(element, ".//*[contains(@property, 'dc:date')][@content]")
            date_attr = rdfa.get("content") if rdfa is not None else None
        body = first(element, _BODY)

        def exclude(node: Element) -> bool:
            return bool(classes(node) & _CHROME) or node.tag == "button"

        out.comments.append(
            Found(
                comment_id=ids[element],
                parent_id=ids.get(parent) if parent is not None else None,
                depth=depth,
                author=text_of(first(element, ".//*[contains(@class, 'username')]")),
                text=block_text(body, exclude) if body is not None else "",
                line=line_of(element),
                date_text=date_attr or text_of(time_el),
                id_generated=generated,
            )
        )
    return out
