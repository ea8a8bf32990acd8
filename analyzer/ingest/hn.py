"""Hacker News reader: Algolia ``/api/v1/items/<id>`` JSON with nested ``children``.

Shapes accepted:

* one item object (a story, poll or comment) with its ``children``;
* a JSON list of such items -> one thread per item;
* a recorded list of API calls ``[{"url": "/api/v1/items/17", "reply": {...}}, ...]`` (how
  API fixtures are often stored): the replies of ``/items/`` calls are read as items, other
  calls (search, users) are skipped with one info issue saying how many.

Root kinds:

* a story (or poll/job): it is the article (``title``, ``url``, ``author``, ``created_at``,
  ``text`` -> ``body``); its children are the top-level comments.
* a comment: the file holds only a subtree of story ``story_id``.  The article is that
  story with every field null (the item does not carry the story's title), and the root
  comment is read as TOP LEVEL even when its ``parent_id`` names another comment: its
  ancestors are not in the file and how many there are is unknown, so no ghost chain can
  be built; an info issue ``partial-thread`` records the real parent.  This keeps the
  subtree one connected thread instead of an orphan the tree builder would have to guess
  about.

Comment text is HTML (``<p>`` separated paragraphs, ``<a href>`` links); it is turned
into plain text with paragraphs separated by a blank line and links as "text (href)".
Deleted comments (null ``author`` and ``text``) become kind ``deleted`` with empty text.

Walks use an explicit stack: threads can be very deep.  ``source_line`` stays null (the
JSON decoder gives no positions).

The official Firebase API (``/v0/item/<id>.json``) gives flat items instead:
``{"id", "by", "time", "kids", "parent", "text", "type", "deleted", "dead", "title", "url",
"descendants"}``.  Accepted as one item per file (a folder of item files, as a crawler saves
them), or a list of items in one file.  The story is the article (``descendants`` is its
announced count); comments hang under their ``parent``.  A comment's story is found by
following ``parent`` through the items of the same file and, for single-item files, through
the other item files of the same folder (indexed once per folder); a comment whose chain
breaks is read as top level of the story id ``hn-<topmost parent>`` with a ``partial-thread``
issue.  Within a list file, comments come in the order of the parents' ``kids`` lists; a
folder of item files gives them in file order (each file is read on its own).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analyzer.core.errors import FormatError
from analyzer.core.records import Article, ParsedThread, ParseIssue, RawComment
from analyzer.ingest import hn_firebase as firebase
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source
from analyzer.ingest.htmltext import html_to_text
from analyzer.ingest.reddit import load_json

FORMAT = "hn"

# --- Data ------------------------------------------------------------------------------
SITE = "news.ycombinator.com"
ITEM_URL = "https://news.ycombinator.com/item?id={id}"
ARTICLE_TYPES = frozenset({"story", "poll", "job"})
# Bodies HN shows in place of a comment (fixtures/en_hn: "[flagged]"); null author and
# text is the Algolia form of a deleted comment (fixtures/en_hn, item 9105).
PLACEHOLDER_TEXTS = {"[deleted]": "deleted", "[dead]": "removed", "[flagged]": "removed"}
# Recorded API calls: the URL path of an item call.
_ITEM_CALL = re.compile(r"/items/\d+")
# Sniffing: Algolia item keys near the start of the file; Reddit listings excluded.
_HN_KEYS = re.compile(r'"(?:story_id|points|created_at_i)"\s*:')
_CHILDREN = re.compile(r'"children"\s*:\s*\[')
_LISTING = re.compile(r'"kind"\s*:\s*"Listing"')


_FIREBASE_TYPE = re.compile(r'"type"\s*:\s*"(?:story|comment|job|poll|pollopt)"')
_FIREBASE_KEYS = re.compile(r'"(?:kids|parent|descendants)"\s*:')
_FIREBASE_BY = re.compile(r'"by"\s*:')
_FIREBASE_TIME = re.compile(r'"time"\s*:\s*\d')
_WP_REST_KEYS = re.compile(r'"(?:author_name|date_gmt|post)"\s*:')


def looks_like(path: Path, head: str) -> bool:
    """A JSON object or list with Algolia item keys (``children`` plus ``story_id``/``points``),
    or Firebase API items (``type`` story/comment with ``kids``/``parent`` and ``by``/``time``)."""
    if head.lstrip()[:1] not in ("{", "["):
        return False
    if _LISTING.search(head[:4096]):
        return False
    if _CHILDREN.search(head) and _HN_KEYS.search(head):
        return True
    # Firebase: an item type, Unix "time", and "by" or "kids"/"parent"; never WordPress REST
    # comments, which also say "type": "comment" and "parent" but carry "date"/"author_name".
    return bool(
        _FIREBASE_TYPE.search(head) and _FIREBASE_TIME.search(head)
        and (_FIREBASE_KEYS.search(head) or _FIREBASE_BY.search(head))
        and not _WP_REST_KEYS.search(head)
    )


def _utc(item: dict[str, Any]) -> datetime | None:
    seconds = item.get("created_at_i")
    if isinstance(seconds, (int, float)) and not isinstance(seconds, bool):
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            pass
    stamp = item.get("created_at")
    if isinstance(stamp, str):
        try:
            parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _id(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, str)) and str(value) != "":
        return str(value)
    return None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def read(source: Source, options: ReadOptions) -> ReaderOutput:
    """Read Algolia HN items into one ParsedThread per root item.

    Raises:
        FormatError: invalid JSON, or JSON that holds no HN item.
    """
    data = load_json(source)
    issues = list(source.decode_issues)
    if firebase.is_firebase(data):
        return firebase.read_items(data, source, issues)
    items = _items(data, source, issues)
    threads = [_read_item(item, source, issues) for item in items]
    n_in = sum(_count_comments(item) for item in items)
    return ReaderOutput(threads=threads, issues=issues, n_comments_in=n_in)


def _is_item(value: object) -> bool:
    return isinstance(value, dict) and "children" in value and ("id" in value or "type" in value)


def _items(data: Any, source: Source, issues: list[ParseIssue]) -> list[dict[str, Any]]:
    expected = "an Algolia HN item {id, type, children, ...}, a list of items, or recorded API calls"
    if _is_item(data):
        return [data]
    if not isinstance(data, list):
        raise FormatError(source.path, expected, found=f"a JSON {type(data).__name__}")
    items: list[dict[str, Any]] = []
    skipped = 0
    for entry in data:
        if _is_item(entry):
            items.append(entry)
        elif isinstance(entry, dict) and "reply" in entry and isinstance(entry.get("url"), str):
            if _ITEM_CALL.search(entry["url"]) and _is_item(entry["reply"]):
                items.append(entry["reply"])
            else:
                skipped += 1
        else:
            skipped += 1
    if not items:
        raise FormatError(source.path, expected, found=f"a list of {len(data)} entries without items")
    if skipped:
        issues.append(ParseIssue(
            "skipped-entries",
            f"{skipped} list entries are not HN items (search or user responses); skipped",
            "info", str(source.path), None, None,
        ))
    return items


def _count_comments(root: dict[str, Any]) -> int:
    """Comment nodes under (and including a comment) root, counted by a separate walk."""
    n = 0
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            n += 1  # malformed child: counted, so its absence in the output shows
            continue
        # _str: a non-string "type" (list, object) is no article type, and is unhashable.
        if node is not root or _str(node.get("type")) not in ARTICLE_TYPES:
            n += 1
        children = node.get("children")
        if isinstance(children, list):
            stack.extend(children)
    return n


def _read_item(root: dict[str, Any], source: Source, issues: list[ParseIssue]) -> ParsedThread:
    path = str(source.path)
    root_id = _id(root.get("id"))
    if _str(root.get("type")) in ARTICLE_TYPES:
        article = Article(
            article_id=root_id or source.article_id,
            title=_str(root.get("title")),
            url=_str(root.get("url")) or (ITEM_URL.format(id=root_id) if root_id else None),
            site=SITE,
            author=_str(root.get("author")),
            published_at=_utc(root),
            body=html_to_text(root["text"]) if _str(root.get("text")) else None,
            source_path=path,
        )
        children = root.get("children")
        # Only a list holds children; any other value (a number, fuzz finding) holds none.
        tops: list[Any] = list(children) if isinstance(children, list) else []
        return ParsedThread(article=article, comments=_walk(tops, article.article_id, source, issues))
    story_id = _id(root.get("story_id")) or source.article_id
    article = Article(article_id=story_id, site=SITE, source_path=path)
    parent = _id(root.get("parent_id"))
    if parent is not None and parent != story_id:
        issues.append(ParseIssue(
            "partial-thread",
            f"the file holds the subtree of comment {root_id} (parent {parent}) of story {story_id}; "
            "it is read as a top-level comment",
            "info", path, None, story_id, root_id,
        ))
    return ParsedThread(article=article, comments=_walk([root], story_id, source, issues))


def _walk(tops: list[Any], article_id: str, source: Source, issues: list[ParseIssue]) -> list[RawComment]:
    """Pre-order walk with an explicit stack; children keep their order in the file."""
    out: list[RawComment] = []
    stack: list[tuple[Any, str | None]] = [(c, None) for c in reversed(tops)]
    while stack:
        node, parent = stack.pop()
        if not isinstance(node, dict):
            # Counted in n_comments_in by _count_comments: a rejected comment, with reason.
            issues.append(ParseIssue(
                "rejected-comment", "a child is not a JSON object; skipped", "error",
                str(source.path), None, article_id,
            ))
            continue
        comment_id = _id(node.get("id"))
        if comment_id is None:
            # Keep the comment and its replies under a synthetic id rather than lose them.
            comment_id = f"_noid{len(out)}"
            issues.append(ParseIssue(
                "missing-comment-id", f"an item without id; it is kept as {comment_id}", "warning",
                str(source.path), None, article_id, comment_id,
            ))
        author = _str(node.get("author"))
        raw_text = node.get("text")
        text = html_to_text(raw_text) if isinstance(raw_text, str) else ""
        if author is None and raw_text is None:
            kind = "deleted"
        else:
            kind = PLACEHOLDER_TEXTS.get(text.strip(), "comment")
        out.append(RawComment(
            comment_id=comment_id,
            parent_id=parent,
            author=author,
            created_at=_utc(node),
            text=text if kind == "comment" else "",
            kind=kind,
            url=ITEM_URL.format(id=comment_id),
        ))
        children = node.get("children")
        if isinstance(children, list):
            stack.extend((c, comment_id) for c in reversed(children))
    return out
