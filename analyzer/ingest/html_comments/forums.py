"""XenForo forum threads (versions 1 and 2) as saved: flat posts, whatever the markup nests.

Why a family of its own: a forum thread is a flat list of posts (a reply quotes, it does not
nest), but themes and add-ons often leave a ``div`` unclosed inside each post, so the parser
puts every post inside the previous one.  The generic readers then read a chain of replies
from that nesting and take the post number ("#2") for the author (issue 12: a held-out
XenForo thread, 1 of 9 posts right).  XenForo's own markup states everything exactly:

* XenForo 2: ``article.message--post`` (or ``.js-post``) with ``data-content="post-N"`` /
  ``id="js-post-N"`` and ``data-author``; the date is ``time.u-dt[datetime]`` in the post's
  attribution; the text is ``.message-body .bbWrapper``.
* XenForo 1: ``li.message#post-N[data-author]``; the date is ``abbr.DateTime[data-time]``
  (Unix seconds) or ``span.DateTime[title]``; the text is ``.messageText``.

Every post is read at top level with full edge confidence (the forum has no reply tree);
where the parsed DOM nested posts inside each other, a note says how many were lifted.
Quick-reply boxes and hidden templates carry no post id and are never read.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from datetime import UTC, datetime

from analyzer.ingest.dates import parse_date
from analyzer.ingest.html_comments import forum_thread
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

_POST_ID = re.compile(r"^(?:js-)?post-(\d{1,20})$")


def _post_id(element: Element) -> str | None:
    """The post number of a XenForo post element, or None when it is not one."""
    tokens = classes(element)
    for value in (element.get("data-content") or "", element.get("id") or ""):
        match = _POST_ID.match(value.strip())
        if match is None:
            continue
        if "message--post" in tokens or "js-post" in tokens:
            return match.group(1)  # XenForo 2
        if element.tag == "li" and "message" in tokens and element.get("data-author") is not None:
            return match.group(1)  # XenForo 1
    return None


def _own(post: Element, members: set[Element]) -> Iterator[Element]:
    """Descendants of a post that are not inside another post (the next post may sit inside
    this one when a div was left unclosed)."""
    stack = list(reversed([c for c in post if isinstance(c.tag, str)]))
    while stack:
        node = stack.pop()
        if node in members:
            continue
        yield node
        stack.extend(reversed([c for c in node if isinstance(c.tag, str)]))


def _date(own: list[Element]) -> tuple[datetime | None, str | None]:
    """The post's date: XenForo 2's ``time.u-dt``, XenForo 1's ``DateTime`` abbr or span."""
    for node in own:
        tokens = classes(node)
        if node.tag == "time" and ("u-dt" in tokens or node.get("datetime")):
            value = node.get("datetime") or ""
            created = parse_date(value) if value else None
            if created is not None:
                return created, value
            return None, text_of(node) or node.get("title")
        if "DateTime" in tokens:
            stamp = (node.get("data-time") or "").strip()
            if stamp.isdigit():
                return datetime.fromtimestamp(int(stamp), tz=UTC), stamp
            shown = node.get("title") or text_of(node)
            return None, shown
    return None, None


def _text(own: list[Element]) -> str:
    for node in own:
        tokens = classes(node)
        if "bbWrapper" in tokens or "messageText" in tokens:
            if node.tag == "blockquote":
                # XenForo 1's text container is itself a blockquote: its text, not a quote.
                node = copy.deepcopy(node)
                node.tag = "div"
            return block_text(node)
    return ""


def _author(post: Element, own: list[Element]) -> str | None:
    name = (post.get("data-author") or "").strip()
    if name:
        return name
    for node in own:
        if "username" in classes(node):
            return text_of(node)
    return None


def extract(root: Element) -> Extraction | None:
    """The posts of a XenForo thread, or None when the page holds none."""
    posts = [
        (e, pid) for e in root.iter("article", "li", "div") if (pid := _post_id(e)) is not None
    ]
    if not posts:
        return None
    members = {e for e, _ in posts}
    out = Extraction("xenforo")
    seen: set[str] = set()
    lifted = 0
    for element, pid in posts:
        if pid in seen:
            continue  # the same post printed twice (a quoted preview): the first is the post
        seen.add(pid)
        own = list(_own(element, members))
        if enclosing(element, members) is not None:
            lifted += 1
        created, date_text = _date(own)
        out.comments.append(
            Found(
                comment_id=pid,
                parent_id=None,
                depth=1,
                author=_author(element, own),
                text=_text(own),
                line=line_of(element),
                created_at=created,
                date_text=date_text,
                url=None,
            )
        )
    out.notes.append(
        f"{len(out.comments)} forum posts, all top level (a forum thread has no reply tree)"
    )
    out.opening_post = forum_thread.opening(root, posts[0][0])
    if lifted:
        out.notes.append(
            f"{lifted} post(s) sat inside the previous post in the parsed page (markup left unclosed);"
            " read at top level like the others"
        )
    return out
