"""Comments held as JSON in a script of the saved page (a "JSON island").

Why: pages of script-driven comment systems often carry the comment list as data for the
browser (``window.comments.__STATE__ = {...}``, ``<script type="application/json">``), and a
page saved before the script rendered it shows no comment markup at all.  The data states
ids, parents, authors and dates outright, so a reading of it is exact: every edge has
confidence 1.

Only the last resort of the fallbacks (see :mod:`analyzer.ingest.html_comments`): when the
page's markup shows comments, the markup is what the reader saw and is read instead.  JSON-LD
is schema.org's (:mod:`schema_org`), not read here.

What is a comment list: a JSON array of at least two objects of which most carry an id, a text
and an author under keys named so, in any naming style ("id", "com_id", "commentId"; "text",
"com_final_text", "body"; "author", "user": {"name": …}).  Replies: under a key of the object
naming replies ("replies", "children", "comments") or by a parent key ("parent_id",
"com_parent_id", "parentId", "in_reply_to").  The largest list wins.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from typing import Any

import lxml.html

from analyzer.ingest.dates import parse_date
from analyzer.ingest.html_comments.common import Element, Extraction, Found, line_of

# Scripts worth decoding: a key naming comments, replies or posts with a list after it.
_LIST_KEY = re.compile(
    r'"[A-Za-z_]{0,30}(?:comment|Comment|repl|Repl|post|Post)[A-Za-z_]{0,30}"\s*:\s*\['
)
# "window.x.__STATE__ = {" / "var data = [": where an assignment's value starts.
_ASSIGNED = re.compile(r"=\s*(?=[\[{])")
_MAX_SCRIPT = 20_000_000
_MAX_NODES = 2_000_000

_TEXT_WORDS = ("text", "body", "content", "message", "html", "cooked", "comment", "msg")
_AUTHOR_WORDS = ("author", "user", "username", "nick", "nickname", "poster", "name", "by")
_DATE_WORDS = ("date", "time", "created", "published", "timestamp", "posted", "at")
_LATER = ("final", "edit", "edited", "update", "updated", "modified", "last", "changed")
_REPLY_KEYS = (
    "replies",
    "children",
    "comments",
    "answers",
    "responses",
    "subcomments",
    "child_comments",
)
_ID_OWNERS = frozenset(
    {"com", "comment", "c", "post", "reply", "msg", "message", "item", "node", "entry"}
)


def _parts(key: str) -> list[str]:
    """A key's words: "com_final_text" → [com, final, text], "commentId" → [comment, id]."""
    return [p.lower() for p in re.split(r"[_\-\s]+|(?<=[a-z])(?=[A-Z])", key) if p]


def extract(root: Element) -> Extraction | None:
    """The largest comment list held in a script's JSON, or None."""
    best: tuple[list[dict[str, Any]], Element, dict[str, str]] | None = None
    best_size = 1
    for script in root.iter("script"):
        kind = (script.get("type") or "").lower()
        if "ld+json" in kind:
            continue
        source = script.text or ""
        if len(source) > _MAX_SCRIPT or not _LIST_KEY.search(source):
            continue
        for data in _decoded(source):
            for items, keys in _comment_lists(data):
                size = _count(items, keys)
                if size > best_size:
                    best, best_size = (items, script, keys), size
    if best is None:
        return None
    items, script, keys = best
    out = Extraction("json-island")
    _emit(items, keys, None, 1, line_of(script), out)
    ids = [c.comment_id for c in out.comments]
    if len(set(ids)) != len(ids):
        return None  # ids that repeat identify nothing: not a comment list after all
    known = set(ids)
    for comment in out.comments:
        if comment.parent_id is not None and comment.parent_id not in known:
            out.notes.append(
                f"comment {comment.comment_id} answers {comment.parent_id}, which is not in the page's data;"
                " read as a top-level comment"
            )
            comment.parent_id, comment.depth = None, 1
    _depths(out.comments)
    out.notes.insert(
        0,
        f"no comment markup read: {len(out.comments)} comments from the JSON data in a <script> of the page"
        f" (keys {', '.join(f'{k}={v}' for k, v in sorted(keys.items()))})",
    )
    return out


def _decoded(source: str) -> list[Any]:
    """The JSON values a script holds: the whole text, else each assigned object or array."""
    text = source.strip()
    decoder = json.JSONDecoder()
    if text[:1] in "[{":
        try:
            return [json.loads(text)]
        except ValueError:
            pass
    values: list[Any] = []
    for match in _ASSIGNED.finditer(source):
        try:
            value, _ = decoder.raw_decode(source, match.end())
        except ValueError:
            continue
        values.append(value)
    return values


_NAMED_LIST = re.compile(r"comment|kommentar|repl|answer|antwort|post", re.IGNORECASE)


def _comment_lists(data: Any) -> list[tuple[list[dict[str, Any]], dict[str, str]]]:
    """Every list in the data whose objects look like comments, with the keys they use."""
    found: list[tuple[list[dict[str, Any]], dict[str, str]]] = []
    stack: list[tuple[Any, str]] = [(data, "")]
    seen = 0
    while stack and seen < _MAX_NODES:
        node, key = stack.pop()
        seen += 1
        if isinstance(node, dict):
            stack.extend((v, str(k)) for k, v in node.items() if isinstance(v, dict | list))
        elif isinstance(node, list):
            objects = [x for x in node if isinstance(x, dict)]
            if len(objects) >= 2:
                keys = _keys(objects, named=bool(_NAMED_LIST.search(key)))
                if keys is not None:
                    found.append((objects, keys))
                    continue  # its replies are read with it
            stack.extend((x, key) for x in node if isinstance(x, dict | list))
    return found


def _keys(objects: list[dict[str, Any]], named: bool = False) -> dict[str, str] | None:
    """The keys of id, text, author (and parent, date, replies) the objects share, when most
    objects carry an id, a text and an author, or an id and a text in a list whose key names
    comments (anonymous comments have no author: "owner": null); else None."""
    sample = objects[:50]
    names: dict[str, int] = {}
    for obj in sample:
        for key in obj:
            names[key] = names.get(key, 0) + 1
    common = [k for k, n in names.items() if n * 2 >= len(sample)]
    keys: dict[str, str] = {}
    id_key = _pick(common, sample, _is_id_key)
    text_key = _pick(common, sample, _is_text_key, longest=True)
    author_key = _pick(common, sample, _is_author_key)
    if id_key is None or text_key is None or (author_key is None and not named):
        return None
    keys.update(id=id_key, text=text_key)
    if author_key is not None:
        keys["author"] = author_key
    for role, test in (("parent", _is_parent_key), ("date", _is_date_key)):
        chosen = _pick(common, sample, test)
        if chosen is not None:
            keys[role] = chosen
    replies = next((k for k in names if k.lower() in _REPLY_KEYS and k != text_key), None)
    if replies is not None:
        keys["replies"] = replies
    return keys


def _pick(
    keys: list[str], sample: list[dict[str, Any]], test: Any, longest: bool = False
) -> str | None:
    """The best key for a role (the test ranks it, lower is better; None is not fit); ties by
    the longer values for texts."""
    ranked = [(rank, k) for k in keys if (rank := test(k, [o.get(k) for o in sample])) is not None]
    if not ranked:
        return None
    if longest:
        return min(ranked, key=lambda r: (r[0], -sum(len(str(o.get(r[1]) or "")) for o in sample)))[
            1
        ]
    return min(ranked)[1]


def _is_id_key(key: str, values: list[Any]) -> int | None:
    parts = _parts(key)
    if not parts or parts[-1] not in ("id", "uuid", "key", "pid") or "parent" in parts:
        return None
    if not all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in values if v is not None
    ):
        return None
    present = [v for v in values if v is not None]
    if len(set(map(str, present))) != len(present):
        return None  # a document's or thread's id, the same on every comment
    if len(parts) == 1:
        return 0
    return 1 if set(parts[:-1]) <= _ID_OWNERS else None


def _is_text_key(key: str, values: list[Any]) -> int | None:
    parts = _parts(key)
    if not parts or parts[-1] not in _TEXT_WORDS or "count" in parts:
        return None
    strings = [v for v in values if isinstance(v, str)]
    if len(strings) * 2 < len(values) or not any(len(s) >= 2 for s in strings):
        return None
    return 0


def _is_author_key(key: str, values: list[Any]) -> int | None:
    parts = _parts(key)
    if not parts or not set(parts) & set(_AUTHOR_WORDS) or "id" in parts[-1:] or "count" in parts:
        return None
    if not any(_author_of(v) for v in values):
        return None
    return 0 if set(parts) & {"author", "user", "username", "nick", "poster"} else 1


def _is_parent_key(key: str, values: list[Any]) -> int | None:
    parts = _parts(key)
    if "parent" in parts or parts[-3:] == ["in", "reply", "to"] or parts[-2:] == ["reply", "to"]:
        if all(v is None or isinstance(v, str | int | dict) for v in values):
            return 0 if parts[-1] == "id" else 1
    return None


def _is_date_key(key: str, values: list[Any]) -> int | None:
    parts = _parts(key)
    if not set(parts) & set(_DATE_WORDS) or not any(
        isinstance(v, str | int | float) for v in values
    ):
        return None
    return 1 if set(parts) & set(_LATER) else 0


def _author_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in (
            "name",
            "username",
            "display_name",
            "displayName",
            "nick",
            "nickname",
            "login",
            "title",
        ):
            if isinstance(value.get(key), str) and value[key].strip():
                return str(value[key]).strip()
    return None


def _count(items: list[dict[str, Any]], keys: dict[str, str]) -> int:
    total = 0
    stack = [items]
    while stack:
        level = stack.pop()
        for obj in level:
            if not isinstance(obj, dict):
                continue
            total += 1
            children = obj.get(keys.get("replies", ""))
            if isinstance(children, list):
                stack.append(children)
    return total


def _emit(
    items: list[dict[str, Any]],
    keys: dict[str, str],
    parent: str | None,
    depth: int,
    line: int | None,
    out: Extraction,
) -> None:
    """Comments in the data's order, each reply right after its parent's subtree start."""
    stack: list[tuple[dict[str, Any], str | None, int]] = [
        (o, parent, depth) for o in reversed(items) if isinstance(o, dict)
    ]
    while stack:
        obj, above, level = stack.pop()
        raw_id = obj.get(keys["id"])
        if raw_id is None:
            continue
        comment_id = str(raw_id)
        stated = obj.get(keys["parent"]) if "parent" in keys else None
        if isinstance(stated, dict):
            stated = stated.get(keys["id"]) or stated.get("id")
        parent_id = str(stated) if stated not in (None, "", 0, "0") else above
        created, date_text = _date(obj.get(keys["date"]) if "date" in keys else None)
        out.comments.append(
            Found(
                comment_id=comment_id,
                parent_id=parent_id,
                depth=level,
                author=_author_of(obj.get(keys["author"])) if "author" in keys else None,
                text=_plain(obj.get(keys["text"])),
                line=line,
                created_at=created,
                date_text=date_text,
                edge_confidence=1.0,
            )
        )
        children = obj.get(keys.get("replies", ""))
        if isinstance(children, list):
            stack.extend(
                (c, comment_id, level + 1) for c in reversed(children) if isinstance(c, dict)
            )


def _plain(value: Any) -> str:
    """The text of a comment: markup ("<p>…</p>") read as text, entities resolved."""
    if not isinstance(value, str):
        return ""
    if "<" in value and ">" in value:
        try:
            fragment = lxml.html.fragment_fromstring(value, create_parent="div")
        except (ValueError, lxml.etree.ParserError):
            return html.unescape(value).strip()
        for br in fragment.iter("br"):
            br.tail = "\n" + (br.tail or "")
        blocks = [" ".join((p.text_content() or "").split()) for p in fragment.iter("p")]
        text = "\n\n".join(b for b in blocks if b) if blocks else fragment.text_content()
        return text.strip()
    return html.unescape(value).strip()


def _date(value: Any) -> tuple[datetime | None, str | None]:
    """A date value: epoch seconds or milliseconds, or a text for the date parser."""
    if isinstance(value, bool) or value is None:
        return None, None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10**11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC), None
        except (OverflowError, OSError, ValueError):
            return None, None
    if isinstance(value, str) and value.strip():
        return parse_date(value.strip()), value.strip()
    return None, None


def _depths(comments: list[Found]) -> None:
    """Depths from the parents (a parent key states the tree; a flat list may name a parent
    printed after its reply)."""
    parent_of = {c.comment_id: c.parent_id for c in comments}
    depth_of: dict[str, int] = {}
    for comment in comments:
        chain: list[str] = []
        node: str | None = comment.comment_id
        while node is not None and node not in depth_of and node not in chain:
            chain.append(node)
            node = parent_of.get(node)
        base = depth_of.get(node, 0) if node is not None and node not in chain else 0
        for offset, name in enumerate(reversed(chain), start=1):
            depth_of[name] = base + offset
        comment.depth = depth_of[comment.comment_id]
