"""Hacker News items from the official Firebase API (``/v0/item/<id>.json``), flat with ``kids``.

Why apart from :mod:`analyzer.ingest.hn`: Algolia nests a whole thread in one object, while
Firebase gives one item per id, so a thread is assembled from items: within one file (a list
of items) and across the item files of one folder (a crawler's dump).  See the reader's
docstring in :mod:`analyzer.ingest.hn` for the rules; this module implements them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analyzer.core.records import Article, ParsedThread, ParseIssue, RawComment
from analyzer.ingest.base import ReaderOutput, Source
from analyzer.ingest.htmltext import html_to_text

ITEM_TYPES = frozenset({"story", "comment", "job", "poll", "pollopt"})
ARTICLE_TYPES = frozenset({"story", "job", "poll"})
SITE = "news.ycombinator.com"
ITEM_URL = "https://news.ycombinator.com/item?id={id}"
# Item files larger than this are not single items (a story with 500 kids is ~5 KB).
MAX_ITEM_FILE = 1 << 20
# Longest parent chain followed (HN threads are rarely deeper than 100; a cycle stops earlier).
MAX_CHAIN = 100_000


def _is_item(value: object) -> bool:
    return (
        isinstance(value, dict) and "children" not in value and value.get("type") in ITEM_TYPES
        and not isinstance(value.get("id"), bool) and isinstance(value.get("id"), int | str)
    )


def is_firebase(data: object) -> bool:
    """One Firebase item, or a non-empty list whose entries are all Firebase items."""
    if _is_item(data):
        return True
    return isinstance(data, list) and bool(data) and all(_is_item(x) or x is None for x in data) and any(
        _is_item(x) for x in data
    )


@dataclass(slots=True)
class _FolderIndex:
    signature: tuple[tuple[str, int, int], ...]
    items: dict[str, dict[str, Any]]


_FOLDERS: dict[Path, _FolderIndex] = {}


def _folder_items(folder: Path) -> dict[str, dict[str, Any]]:
    """Single-item JSON files of a folder by id; rebuilt when the folder's files change."""
    files = sorted(p for p in folder.glob("*.json") if p.is_file())
    signature = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    cached = _FOLDERS.get(folder)
    if cached is not None and cached.signature == signature:
        return cached.items
    items: dict[str, dict[str, Any]] = {}
    for path in files:
        if path.stat().st_size > MAX_ITEM_FILE:
            continue
        try:
            data = json.loads(path.read_bytes())
        except (ValueError, UnicodeDecodeError):
            continue  # the reader of that file reports it
        if _is_item(data):
            items[str(data["id"])] = data
    _FOLDERS[folder] = _FolderIndex(signature, items)
    return items


def _utc(value: object) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def read_items(data: Any, source: Source, issues: list[ParseIssue]) -> ReaderOutput:
    """Threads from Firebase items: stories become articles, comments hang under their parents."""
    path = str(source.path)
    own = [data] if isinstance(data, dict) else [x for x in data if _is_item(x)]
    known: dict[str, dict[str, Any]] = {str(i["id"]): i for i in own}
    folder = _folder_items(source.path.parent) if isinstance(data, dict) else {}

    def lookup(item_id: str) -> dict[str, Any] | None:
        return known.get(item_id) or folder.get(item_id)

    articles: dict[str, Article] = {}
    comments: dict[str, list[RawComment]] = {}
    order = _kid_order(list(known.values()) + list(folder.values()))
    n_in = 0
    for item in own:
        item_id = str(item["id"])
        kind = item.get("type")
        if kind in ARTICLE_TYPES:
            articles[item_id] = _article(item, path)
            comments.setdefault(item_id, [])
            continue
        if kind == "pollopt":
            issues.append(ParseIssue("skipped-entries", f"poll option {item_id} is not a comment; skipped", "info", path))
            continue
        n_in += 1
        story, top, broken = _story_of(item, lookup)
        if broken:
            issues.append(
                ParseIssue(
                    "partial-thread",
                    f"comment {item_id}: its parent chain ends at item {top} which is not in the input;"
                    f" read under story {story}" + (" as top level" if str(item.get("parent")) == top else ""),
                    "info", path, None, story, item_id,
                )
            )
        parent = _str_id(item.get("parent"))
        parent_id = None if parent is None or parent == story or (broken and parent == top) else parent
        comments.setdefault(story, []).append(_comment(item, parent_id))
        if story not in articles and lookup(story) is not None and lookup(story) is not item:
            articles[story] = _article(lookup(story) or {}, path, stub=True)
    threads: list[ParsedThread] = []
    for story, found in comments.items():
        article = articles.get(story) or Article(article_id=story, site=SITE, source_path=path)
        found.sort(key=lambda c: order.get(c.comment_id, (len(order), c.comment_id)))
        threads.append(ParsedThread(article=article, comments=found))
    return ReaderOutput(threads=threads, issues=issues, n_comments_in=n_in)


def _str_id(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | str) or str(value) == "":
        return None
    return str(value)


def _story_of(item: dict[str, Any], lookup: Any) -> tuple[str, str, bool]:
    """(story id, topmost id reached, chain broken) by following ``parent`` links."""
    node = item
    seen: set[str] = set()
    for _ in range(MAX_CHAIN):
        parent = _str_id(node.get("parent"))
        if parent is None or parent in seen:
            top = str(node["id"])
            return f"hn-{top}", top, True
        seen.add(parent)
        found = lookup(parent)
        if found is None:
            return f"hn-{parent}", parent, True
        if found.get("type") in ARTICLE_TYPES:
            return parent, parent, False
        node = found
    top = str(node["id"])
    return f"hn-{top}", top, True


def _kid_order(items: list[dict[str, Any]]) -> dict[str, tuple[int, str]]:
    """Display order of every comment from its parents' ``kids`` lists (pre-order positions)."""
    kids = {str(i["id"]): [str(k) for k in i.get("kids") or [] if _str_id(k)] for i in items}
    roots = [str(i["id"]) for i in items if i.get("type") in ARTICLE_TYPES]
    position: dict[str, tuple[int, str]] = {}
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        if node in position:
            continue
        position[node] = (len(position), node)
        stack.extend(reversed(kids.get(node, [])))
    return position


def _article(item: dict[str, Any], path: str, *, stub: bool = False) -> Article:
    item_id = str(item.get("id"))
    text = item.get("text")
    descendants = item.get("descendants")
    return Article(
        article_id=item_id,
        title=item.get("title") if isinstance(item.get("title"), str) else None,
        url=item.get("url") if isinstance(item.get("url"), str) else ITEM_URL.format(id=item_id),
        site=SITE,
        author=item.get("by") if isinstance(item.get("by"), str) else None,
        published_at=_utc(item.get("time")),
        body=html_to_text(text) if isinstance(text, str) and text else None,
        # A story file read beside its comments announces how many there are; a story seen
        # only as another file's parent announces nothing here (its own file does).
        n_announced=descendants if isinstance(descendants, int) and not isinstance(descendants, bool) and not stub else None,
        source_path=path,
    )


def _comment(item: dict[str, Any], parent_id: str | None) -> RawComment:
    item_id = str(item["id"])
    text = item.get("text")
    if item.get("deleted") is True:
        kind = "deleted"
    elif item.get("dead") is True:
        kind = "removed"
    else:
        kind = "comment"
    return RawComment(
        comment_id=item_id,
        parent_id=parent_id,
        author=item.get("by") if isinstance(item.get("by"), str) else None,
        created_at=_utc(item.get("time")),
        text=html_to_text(text) if kind == "comment" and isinstance(text, str) else "",
        kind=kind,
        url=ITEM_URL.format(id=item_id),
    )
