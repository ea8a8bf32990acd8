"""wpDiscuz (WordPress comment plugin), versions 5 and 7 as saved.

wpDiscuz 5 prints ``div.wc-comment#wc-comm-<ID>_<PARENT>`` with ``wc_comment_level-N``;
version 7 ``div.wpd-comment#wpd-comm-<ID>_<PARENT>`` with ``wpd_comment_level-N``.  The
element id carries the parent id (0 = top level): exact, and checked against the DOM nesting
(a disagreement is reported).  The counter above the list counts all comments, while the
saved page holds only those loaded before saving (the rest come on demand): the reader's
count-mismatch says so.
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

_ID = re.compile(r"^(?:wc|wpd)-comm-(\d{1,20})_(\d{1,20})$")
_LEVEL = re.compile(r"^(?:wc|wpd)_comment_level-(\d{1,4})$")
_COMMENT_CLASSES = frozenset({"wc-comment", "wpd-comment"})


def extract(root: Element) -> Extraction | None:
    """wpDiscuz comments, or None when the page has none of its comment elements."""
    elements = [
        e
        for e in root.iter("div")
        if classes(e) & _COMMENT_CLASSES and _ID.match(e.get("id") or "")
    ]
    if not elements:
        return None
    members = set(elements)
    out = Extraction("wpdiscuz")
    counter = first(root, "//*[contains(@class, 'wpd-cc-value')] | //*[@data-comments-count]")
    if counter is not None:
        raw = counter.get("data-comments-count") or text_of(counter) or ""
        if raw.strip().isdigit():
            out.announced, out.announced_line = int(raw.strip()), line_of(counter)
            out.count_note = "wpDiscuz counts all comments but puts only the first ones into the page; the rest load on demand"
    for element in elements:
        match = _ID.match(element.get("id") or "")
        assert match is not None  # filtered above
        comment_id, parent_raw = match.group(1), match.group(2)
        parent_id = None if parent_raw == "0" else parent_raw
        dom_parent = enclosing(element, members)
        dom_parent_id = None
        if dom_parent is not None:
            dom_match = _ID.match(dom_parent.get("id") or "")
            dom_parent_id = dom_match.group(1) if dom_match else None
        if dom_parent_id != parent_id:
            out.warnings.append(
                f"comment {comment_id}: its id names parent {parent_id or 'none'} but it is nested under"
                f" {dom_parent_id or 'no comment'}; the id was followed"
            )
        level = next((int(m.group(1)) for c in classes(element) if (m := _LEVEL.match(c))), None)
        own = _own(element, members)
        author = text_of(first(own, ".//*[contains(@class, 'comment-author')]"))
        date_el = first(own, ".//*[contains(@class, 'comment-date')]")
        date_text = (date_el.get("title") or text_of(date_el)) if date_el is not None else None
        text_el = first(own, ".//*[contains(@class, 'comment-text')]")
        out.comments.append(
            Found(
                comment_id=comment_id,
                parent_id=parent_id,
                depth=level,
                author=author,
                text=block_text(text_el) if text_el is not None else "",
                line=line_of(element),
                date_text=date_text,
            )
        )
    return out


def _own(element: Element, members: set[Element]) -> Element:
    """The part of a wpDiscuz comment that is its own: the right column (replies are outside it)."""
    right = first(element, "./*[contains(@class, 'comment-right')]")
    if right is not None:
        return right
    # Fall back to the element itself; nested replies are other members, skipped by callers.
    del members
    return element
