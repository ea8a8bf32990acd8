"""bbPress topics (the WordPress forum plugin) as saved.

Why a reader of its own: bbPress prints each post as two sibling blocks, a header
(``div#post-N.bbp-reply-header`` with the date and a ``#N`` permalink) and the post itself
(``div.post-N.reply`` / ``.topic`` with ``.bbp-reply-author`` and ``.bbp-reply-content``).  The
date sits outside the post, so the generic readers find posts without dates and headers
without text, and read nothing (issue 12: a real bbPress topic read 0 comments, with the
warning).  The plugin's templates are a published convention, so its classes are read directly:

* a post: an element whose class tokens hold ``post-N`` and ``reply`` or ``topic`` and that
  holds ``.bbp-reply-content`` or ``.bbp-topic-content`` (the text);
* its author: ``.bbp-author-name`` in ``.bbp-reply-author`` / ``.bbp-topic-author``;
* its date: ``.bbp-reply-post-date`` / ``.bbp-topic-post-date`` in the header with the same
  ``post-N`` id (before the post), else inside the post;
* threaded replies (an option of the plugin): a post inside ``ul.bbp-threaded-replies`` replies
  to the post of the ``li`` that holds that list.  Otherwise every post is top level, with full
  confidence: a forum topic is a flat list.
"""

from __future__ import annotations

import re

from analyzer.ingest.html_comments import forum_thread
from analyzer.ingest.html_comments.common import (
    Element,
    Extraction,
    Found,
    block_text,
    classes,
    line_of,
    set_depths,
    text_of,
)

_POST_TOKEN = re.compile(r"^post-(\d{1,20})$")
_CONTENT = ("bbp-reply-content", "bbp-topic-content")
_DATE = ("bbp-reply-post-date", "bbp-topic-post-date")


def _post_number(element: Element) -> str | None:
    tokens = classes(element)
    if not tokens & {"reply", "topic"}:
        return None
    return next((m.group(1) for t in tokens if (m := _POST_TOKEN.match(t))), None)


def _first_with(scope: Element, names: tuple[str, ...]) -> Element | None:
    return next(
        (e for e in scope.iterdescendants() if isinstance(e.tag, str) and classes(e) & set(names)),
        None,
    )


def _date(post: Element, headers: dict[str, Element], number: str) -> Element | None:
    header = headers.get(number)
    for scope in (header, post):
        if scope is not None:
            found = _first_with(scope, _DATE)
            if found is not None:
                return found
    return None


def _parent(post: Element, posts: dict[Element, str]) -> str | None:
    """The post of the ``li`` whose ``ul.bbp-threaded-replies`` holds this post."""
    for ancestor in post.iterancestors():
        if ancestor.tag == "ul" and "bbp-threaded-replies" in classes(ancestor):
            holder = ancestor.getparent()
            if holder is None:
                return None
            for child in holder:
                if child in posts:
                    return posts[child]
            return None
    return None


def extract(root: Element) -> Extraction | None:
    """The posts of a bbPress topic, or None when the page shows none."""
    posts: dict[Element, str] = {}
    for element in root.iter("div", "li", "article"):
        number = _post_number(element)
        if number is not None and _first_with(element, _CONTENT) is not None:
            posts[element] = number
    if not posts:
        return None
    headers = {
        m.group(1): e
        for e in root.iter("div")
        if classes(e) & {"bbp-reply-header", "bbp-topic-header"}
        and (m := _POST_TOKEN.match(e.get("id") or ""))
    }
    out = Extraction("bbpress")
    nested = 0
    for element, number in posts.items():
        content = _first_with(element, _CONTENT)
        name = _first_with(element, ("bbp-author-name",))
        date = _date(element, headers, number)
        date_text = (text_of(date) or "").strip() if date is not None else None
        parent = _parent(element, posts)
        nested += parent is not None
        out.comments.append(
            Found(
                comment_id=number,
                parent_id=parent,
                depth=1,
                author=((text_of(name) or "").strip() or None) if name is not None else None,
                text=block_text(content) if content is not None else "",
                line=line_of(element),
                date_text=date_text or None,
            )
        )
    set_depths(out.comments)
    out.notes.append(
        f"bbPress: {len(out.comments)} posts"
        + (
            f", {nested} in threaded replies"
            if nested
            else ", all top level (a forum topic has no reply tree)"
        )
    )
    first = next(iter(posts))
    out.opening_post = _opening(root, first)
    return out


def _opening(root: Element, first: Element) -> tuple[bool, str] | None:
    """The topic's own post (``type-topic``, or reply position 1) opens the thread."""
    tokens = classes(first)
    if "topic" in tokens or "type-topic" in tokens or "bbp-reply-position-1" in tokens:
        return True, "the first post is the topic's post (bbPress)"
    position = next((t for t in tokens if t.startswith("bbp-reply-position-")), None)
    if position is not None:
        return (
            False,
            f"the first post on this page is at {position.rsplit('-', 1)[1]} of the topic (bbPress)",
        )
    return forum_thread.opening(root, first)
