"""Disqus threads as saved from the browser (the rendered ``#disqus_thread`` frame).

Disqus renders ``li.post#post-<ID>`` items with ``div.post-message`` (text), ``.author``
(name), ``a.time-ago[title]`` (full date) and replies in a nested ``ul.children``.  Only
items inside a Disqus container (``#disqus_thread``, ``#posts``, ``#post-list``) count, so
blog templates that call their articles ``post-N`` are never read as comments.
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

_ID = re.compile(r"^post-(\d{1,20})$")
_CONTAINERS = frozenset({"disqus_thread", "posts", "post-list"})


def extract(root: Element) -> Extraction | None:
    """Disqus posts, or None when the page has no rendered Disqus thread."""
    elements = [
        e
        for e in root.iter("li")
        if "post" in classes(e)
        and _ID.match(e.get("id") or "")
        and any((a.get("id") or "") in _CONTAINERS for a in e.iterancestors())
    ]
    if not elements:
        return None
    members = set(elements)
    ids = {e: _ID.match(e.get("id") or "").group(1) for e in elements}  # type: ignore[union-attr]
    out = Extraction("disqus")
    for element in elements:
        own = first(element, "./div[contains(@class, 'post-content')]")
        own = element if own is None else own
        parent = enclosing(element, members)
        message = first(own, ".//*[contains(@class, 'post-message')]")
        time_el = first(
            own, ".//a[contains(@class, 'time-ago')] | .//*[@data-role='relative-time']"
        )
        out.comments.append(
            Found(
                comment_id=ids[element],
                parent_id=ids[parent] if parent is not None else None,
                depth=1 + sum(1 for a in element.iterancestors() if a in members),
                author=text_of(first(own, ".//*[contains(@class, 'author')]")),
                text=block_text(message) if message is not None else "",
                line=line_of(element),
                date_text=(time_el.get("title") or text_of(time_el))
                if time_el is not None
                else None,
                kind="comment",
            )
        )
    if any("deleted" in classes(e) for e in elements):
        out.notes.append("deleted Disqus posts are kept as comments with their placeholder text")
    return out
