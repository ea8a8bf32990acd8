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

from analyzer.ingest.html_comments import drupal_plain, generic
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
_BODY = ".//*[contains(@class, 'field-name-comment-body') or contains(@class, 'field--name-comment-body')]"
_CHROME = frozenset(
    {"links", "submitted", "permalink", "expanding-formatter-trigger", "element-hidden"}
)


def _is_comment(element: Element) -> bool:
    """Drupal comment markup: RDFa ``sioct:Comment``, ``about="/comment/N"``, Drupal 8's
    ``js-comment`` class, or Drupal 6/7's ``<a id="comment-N">`` right before it.

    ``id="comment-N"`` alone is not enough: WordPress themes (Twenty Twelve, wordpress.com)
    put ``<article id="comment-N" class="comment">`` inside their ``li.comment``.  A Drupal 6
    theme may rename the block's class (``div.non_toggle_area``) but then repeats the anchor's
    ``comment-N`` as the block's own id: anchor and id together are the template's mark.
    """
    if element.tag not in ("article", "div"):
        return False
    if "comment" not in classes(element) and not _id_repeats_anchor(element):
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


def _id_repeats_anchor(element: Element) -> bool:
    """``<a id="comment-N"></a><div id="comment-N">``: the block repeats the anchor's id."""
    anchor = _anchor_before(element)
    return anchor is not None and element.get("id") == f"comment-{anchor}"


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
                parent = _comment_before(container, members)
        node = container
    return parent, depth


def _comment_before(indented: Element, members: set[Element]) -> Element | None:
    """The comment a ``div.indented`` answers: the nearest earlier sibling that is a comment,
    or holds one outside its own ``indented`` lists (themes wrap each comment in cards,
    ``div.portlet > … > article.comment``: a held-out news page)."""
    sibling = indented.getprevious()
    while sibling is not None:
        if sibling in members:
            return sibling
        if isinstance(sibling.tag, str) and "indented" not in classes(sibling):
            inside = [
                e
                for e in sibling.iterdescendants()
                if e in members and not any("indented" in classes(a) for a in _between(e, sibling))
            ]
            if inside:
                return inside[-1]
        sibling = sibling.getprevious()
    return None


def _between(element: Element, top: Element) -> list[Element]:
    """Ancestors of ``element`` below ``top``."""
    out: list[Element] = []
    node = element.getparent()
    while node is not None and node is not top:
        out.append(node)
        node = node.getparent()
    return out


# RDFa the comment itself carries (Drupal 8+ prints schema.org, Drupal 7 dc:/sioc:/foaf:).
_RDFA_DATE = (
    ".//*[@content][contains(@property, 'dateCreated') or contains(@property, 'dc:date')"
    " or contains(@property, 'dc:created') or contains(@property, 'datePublished')]"
)
_RDFA_TEXT = ".//*[contains(@property, 'schema:text') or contains(@property, 'content:encoded')]"
_RDFA_AUTHOR = ".//*[contains(@property, 'schema:author') or contains(@property, 'foaf:name')]"
# "Name | Di, 21. April 2020 - 17:07": a header line of name and date with a separator.
# Possessive blanks and bounded parts: linear on long blank runs (tests/test_regex_bounds.py).
_NAME_DATE_LINE = re.compile(
    r"^\s*+(?P<name>[^|·•\s][^|·•\n]{0,79}?)\s*+[|·•]\s*+(?P<date>[^\n]{0,80}?\d[^\n]{0,80})$"
)


# Drupal 6/7 themes that print the date as plain text in the links list or a "submitted"
# line: <li class="date">April 5, 2018</li> (a held-out page).
_DATE_ITEM = (
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' date ') or contains(@class, 'comment-date')"
    " or contains(@class, 'submitted')]"
)


def _body(element: Element) -> Element | None:
    """The comment's text field: the one RDFa calls the text, else the longest body field
    (Drupal 8 themes print the comment's subject in a body-classed field before the text)."""
    rdfa = first(element, _RDFA_TEXT)
    if rdfa is not None:
        return rdfa
    fields: list[Element] = list(element.xpath(_BODY)) or list(element.xpath(_PLAIN_BODY))
    if not fields:
        return None
    return max(fields, key=lambda e: len(text_of(e) or ""))


# A Drupal 7 theme without the body field's classes prints the text in a plain "content" div
# (a real French news site: every text came out empty before; session 6).
_PLAIN_BODY = (
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' content ') or contains(@class, 'comment-content')"
    " or contains(@class, 'comment-text')]"
)


def _author_and_date_line(element: Element) -> tuple[str | None, str | None]:
    """Author and date from a header line ``Name | date`` (no username element)."""
    for line_el in element.xpath(
        "./footer//*[self::h3 or self::h4 or self::h5 or self::h6 or self::p or self::span]"
        " | ./header//*[self::h3 or self::h4 or self::h5 or self::h6 or self::p or self::span]"
    ):
        match = _NAME_DATE_LINE.match(text_of(line_el) or "")
        if match:
            return match.group("name").strip(), match.group("date").strip()
    return None, None


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
            rdfa = first(element, _RDFA_DATE)
            date_attr = rdfa.get("content") if rdfa is not None else None
        body = _body(element)
        author = text_of(first(element, ".//*[contains(@class, 'username')]")) or text_of(
            first(element, _RDFA_AUTHOR)
        )
        line_date: str | None = None
        if author is None:
            author, line_date = _author_and_date_line(element)
        if author is None:
            # "Par NAME, le mercredi 15 mai 2019 à 08h07" in a metas line (session 6).
            _, author, line_date = generic.byline(element, members)
        if author is None or (line_date is None and date_attr is None):
            # Drupal 6: "DATE — NAME" or "DATE | N" and a profile link (a news site, aside6).
            plain_author, plain_date = drupal_plain.submitted(element, body)
            author = author or plain_author or drupal_plain.profile_name(element, body)
            line_date = line_date or plain_date

        def exclude(node: Element) -> bool:
            # The picture's link to the profile printed "/users/NAME" before the text (Drupal 6).
            return (
                bool(classes(node) & _CHROME) or node.tag == "button" or generic.profile_link(node)
            )

        out.comments.append(
            Found(
                comment_id=ids[element],
                parent_id=ids.get(parent) if parent is not None else None,
                depth=depth,
                author=author,
                text=block_text(body, exclude)
                if body is not None
                else drupal_plain.text(element, members),
                line=line_of(element),
                date_text=date_attr
                or text_of(time_el)
                or line_date
                or text_of(first(element, _DATE_ITEM)),
                id_generated=generated,
            )
        )
    return out
