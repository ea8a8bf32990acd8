"""schema.org ``Comment`` items: microdata in the markup, or JSON-LD in script elements.

Microdata: an element with ``itemscope`` and ``itemtype`` ending in ``/Comment``; replies are
Comment items nested inside it (``itemprop="comment"``).  Properties: ``text``, ``author``
(a Person with ``name``, or text), ``datePublished``/``dateCreated`` (``content`` or
``datetime`` attribute, else text), ``url``.  The id is the ``itemid``, the element id, or
the fragment of ``url``.

JSON-LD: ``<script type="application/ld+json">`` objects of ``@type`` Comment, found anywhere
in the graph; a Comment inside another Comment's ``comment`` list is its reply, and
``parentItem`` names a parent explicitly.  Ids come from ``@id`` / ``identifier`` / ``url``.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from analyzer.ingest.dates import parse_date
from analyzer.ingest.html_comments import forum_thread
from analyzer.ingest.html_comments.common import (
    Element,
    Extraction,
    Found,
    block_text,
    enclosing,
    id_from_name,
    line_of,
    text_of,
)

_COMMENT_TYPE = re.compile(r"(?:^|[/#])(?:Comment|Answer)$")
# "#comment-12", "/12", "#c12"; a forum's "?p=106414#post106414" (a board's microdata posts
# had every id generated; batch 9b).
# Post forms only after "#": a path's "/p2" is a page.
_FRAGMENT_ID = re.compile(
    r"(?:#(?:comment[-_]?|c|post[-_]?|p)?|/(?:comment[-_]?|c)?)(\d{1,25})/?$", re.IGNORECASE
)
_ELEMENT_ID = re.compile(r"^(?:li-|div-)?comment[-_]?(\d{1,25})$", re.IGNORECASE)


def extract(root: Element) -> Extraction | None:
    """Comments from microdata, else from JSON-LD; None when the page has neither."""
    micro = _microdata(root)
    if micro is not None and micro.comments:
        return micro
    return _json_ld(root)


# --- Microdata ----------------------------------------------------------------------------


def _is_comment_item(element: Element) -> bool:
    if element.get("itemscope") is None:
        return False
    return any(_COMMENT_TYPE.search(t) for t in (element.get("itemtype") or "").split())


def _props(item: Element, name: str, items: set[Element]) -> list[Element]:
    """Elements carrying ``itemprop=name`` that belong to ``item`` (not to a nested item)."""
    out: list[Element] = []
    for element in item.iterdescendants():
        if not isinstance(element.tag, str) or name not in (element.get("itemprop") or "").split():
            continue
        owner = next((a for a in element.iterancestors() if a.get("itemscope") is not None), None)
        if owner is item:
            out.append(element)
    del items
    return out


def _prop_value(element: Element) -> str | None:
    for attribute in ("content", "datetime", "href", "src"):
        value = element.get(attribute)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return text_of(element)


def _post_outside(first: Element, members: set[Element]) -> bool:
    """Whether the item around the comments shows a text of its own outside them (Discourse's
    ``DiscussionForumPosting`` prints the opening post there): then the opening post is the
    article already and the first comment is a reply.  A ``meta`` summary (NodeBB) is no post."""
    owner = next((a for a in first.iterancestors() if a.get("itemscope") is not None), None)
    if owner is None:
        return False
    for node in owner.iterdescendants():
        if not isinstance(node.tag, str) or node.tag == "meta":
            continue
        if set((node.get("itemprop") or "").split()) & {"text", "articleBody"} and not any(
            a in members for a in node.iterancestors()
        ):
            return True
    return False


def _microdata(root: Element) -> Extraction | None:
    read = microdata(root)
    if read is None:
        return None
    out = Extraction("microdata")
    out.comments = [found for _, found in read]
    if not _post_outside(read[0][0], {element for element, _ in read}):
        out.opening_post = forum_thread.opening(root, read[0][0])
    return out


def microdata(root: Element) -> list[tuple[Element, Found]] | None:
    """Each Comment or Answer item with its reading, in document order; None when none."""
    elements = [e for e in root.iter() if isinstance(e.tag, str) and _is_comment_item(e)]
    if not elements:
        return None
    members = set(elements)
    out: list[tuple[Element, Found]] = []
    ids: dict[Element, str] = {}
    for index, element in enumerate(elements):
        comment_id, generated = _micro_id(element, members, index)
        ids[element] = comment_id
        parent = enclosing(element, members)
        texts = _props(element, "text", members) or _props(element, "commentText", members)
        authors = _props(element, "author", members) or _props(element, "creator", members)
        author: str | None = None
        if authors:
            name = next(
                (
                    n
                    for n in authors[0].iterdescendants()
                    if "name" in (n.get("itemprop") or "").split()
                ),
                None,
            )
            author = _prop_value(name) if name is not None else text_of(authors[0])
        dates = _props(element, "datePublished", members) or _props(element, "dateCreated", members)
        date_value = _prop_value(dates[0]) if dates else None
        visible_date = text_of(dates[0]) if dates else None
        created = parse_date(date_value) if date_value else None
        out.append(
            (
                element,
                Found(
                    comment_id=comment_id,
                    parent_id=ids.get(parent) if parent is not None else None,
                    depth=1 + sum(1 for a in element.iterancestors() if a in members),
                    author=author,
                    text="\n\n".join(block_text(t) for t in texts).strip(),
                    line=line_of(element),
                    created_at=created,
                    date_text=visible_date if created is None else date_value,
                    id_generated=generated,
                ),
            )
        )
    return out


def _micro_id(element: Element, members: set[Element], index: int) -> tuple[str, bool]:
    for value in (element.get("itemid"), element.get("id")):
        if value:
            match = _ELEMENT_ID.match(value) or _FRAGMENT_ID.search(value)
            if match:
                return match.group(1), False
            if value.startswith("#"):
                # "#opinion:102540612": the fragment names the comment (a real news site).
                return id_from_name(value[1:]) or value, False
            return value, False
    for url in _props(element, "url", members):
        match = _FRAGMENT_ID.search(_prop_value(url) or "")
        if match:
            return match.group(1), False
    # An enclosing element often carries the id (WordPress puts it on the li around the item).
    parent = element.getparent()
    if parent is not None:
        match = _ELEMENT_ID.match(parent.get("id") or "")
        if match:
            return match.group(1), False
    # Or the item's first inner wrapper (``<div itemscope …><div id="207290" class="…container">``,
    # a real server-rendered page; session 7), when it holds no other item.
    inner = next((c for c in element if isinstance(c.tag, str)), None)
    if (
        inner is not None
        and inner.get("id")
        and not any(d in members for d in inner.iterdescendants())
    ):
        key = id_from_name(inner.get("id"))
        if key:
            return key, False
    return f"microdata-{index + 1}", True


# --- JSON-LD ------------------------------------------------------------------------------


def _types(node: dict[str, Any]) -> list[str]:
    value = node.get("@type")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _json_ld(root: Element) -> Extraction | None:
    scripts = root.xpath("//script[@type='application/ld+json']")
    if not scripts:
        return None
    out = Extraction("json-ld")
    for script in scripts:
        try:
            data = json.loads(script.text or "")
        except ValueError:
            out.warnings.append(
                f"a JSON-LD script (line {line_of(script)}) is not valid JSON; skipped"
            )
            continue
        _walk(data, None, 1, script, out)
    _depths_from_parents(out.comments)
    return out if out.comments else None


def _depths_from_parents(comments: list[Found]) -> None:
    """Depth from the parent chain (a ``parentItem`` reply is not nested in the graph)."""
    by_id = {c.comment_id: c for c in comments}
    for comment in comments:
        depth, node, seen = 1, comment, {comment.comment_id}
        while node.parent_id is not None and node.parent_id in by_id and node.parent_id not in seen:
            node = by_id[node.parent_id]
            seen.add(node.comment_id)
            depth += 1
        comment.depth = depth


def _node_id(node: dict[str, Any], fallback: str) -> tuple[str, bool]:
    """``identifier``, else the fragment of ``@id``/``url`` ("…/88#post-2" → "post-2"), else
    the whole value; the same rule for a comment and for the parent a ``parentItem`` names."""
    for key in ("identifier", "@id", "url"):
        value = node.get(key)
        if isinstance(value, int | str) and str(value).strip():
            text = str(value).strip()
            if key != "identifier" and "#" in text and text.rsplit("#", 1)[1]:
                return text.rsplit("#", 1)[1], False
            return text, False
    return fallback, True


def _author_name(value: object) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        name = value.get("name")
        return name.strip() if isinstance(name, str) and name.strip() else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _walk(
    data: object, parent_id: str | None, depth: int, script: Element, out: Extraction
) -> None:
    """Depth-first over the JSON-LD graph with an explicit stack (graphs can be deep)."""
    stack: list[tuple[object, str | None, int]] = [(data, parent_id, depth)]
    while stack:
        node, parent, level = stack.pop()
        if isinstance(node, list):
            stack.extend((item, parent, level) for item in reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        is_comment = any(_COMMENT_TYPE.search(t) for t in _types(node))
        child_parent, child_level = parent, level
        if is_comment:
            comment_id, generated = _node_id(node, f"json-ld-{len(out.comments) + 1}")
            explicit = node.get("parentItem")
            own_parent = parent
            if isinstance(explicit, dict):
                own_parent = _node_id(explicit, "")[0] or parent
            elif isinstance(explicit, str) and explicit.strip():
                own_parent = _node_id({"@id": explicit}, "")[0]
            text = node.get("text") or node.get("commentText") or ""
            date_raw = node.get("datePublished") or node.get("dateCreated")
            date_text = date_raw if isinstance(date_raw, str) else None
            out.comments.append(
                Found(
                    comment_id=comment_id,
                    parent_id=own_parent,
                    depth=level,
                    author=_author_name(node.get("author") or node.get("creator")),
                    # Forum software escapes the text twice ("delta t &gt; hbar" in the JSON):
                    # the entities are the page's, not the commenter's (a real forum; session 10).
                    text=" ".join(html.unescape(text).split()) if isinstance(text, str) else "",
                    line=line_of(script),
                    created_at=parse_date(date_text) if date_text else None,
                    date_text=date_text,
                    url=node.get("url") if isinstance(node.get("url"), str) else None,
                    id_generated=generated,
                )
            )
            child_parent, child_level = comment_id, level + 1
        children = [v for k, v in node.items() if k not in ("author", "creator", "parentItem")]
        for child in reversed(children):
            key_is_comment = isinstance(child, dict | list)
            if key_is_comment:
                stack.append((child, child_parent, child_level))
