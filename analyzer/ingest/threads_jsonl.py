"""One thread per line JSONL: an article (or source post) with its comment tree as nodes.

Why: the corpora ``analyzer stance eval`` reads (RumourEval 2017, DAST, One Million Posts
thread files) carry whole threads per line, and ``analyse`` refused them (issue 12).  The
shapes accepted, all recognised by their keys rather than by corpus name:

* flat ``nodes`` with ``parent`` ids (RumourEval: ``{"thread_id", "nodes": [{"id",
  "parent", "created_at", "user", "text"}]}``; DAST: ``{"submission_id", "title", "text",
  "nodes": [{"id", "parent", "created", "is_deleted", ...}]}``);
* nested ``roots`` / ``children`` / ``comments`` / ``replies`` lists (One Million Posts:
  ``{"article_id", "roots": [{"id", "parent", "user", "created", "status", "headline",
  "body", "children": [...]}]}``).

The article is the line's own fields (id from ``article_id`` / ``thread_id`` /
``submission_id`` / ``story_id`` / ``id``; ``title``; ``text`` or ``body``; ``article_url`` or
``url``).  When the line names no article text of its own and its first node is the thread's
source (its id is the thread id, as in RumourEval), that node is the article and its replies
are the top-level comments.  A node whose ``parent`` is the article id is top level.

Dates go through :mod:`analyzer.ingest.dates` (ISO, epoch and Twitter API forms are fast
paths); each date that stays unparsed is an ``unparsed-date`` issue.  ``source_line`` is the
line of the thread in the file.  Walks use explicit stacks (threads can be deep).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from analyzer.core.errors import FormatError
from analyzer.core.records import Article, ParsedThread, ParseIssue, RawComment
from analyzer.ingest import dates
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source

FORMAT = "threads"

# --- Data: key spellings ---------------------------------------------------------------------
ARTICLE_ID_KEYS = ("article_id", "thread_id", "submission_id", "story_id", "post_id", "id")
ARTICLE_TITLE_KEYS = ("title", "headline")
ARTICLE_TEXT_KEYS = ("text", "body", "selftext")
ARTICLE_URL_KEYS = ("article_url", "url", "link")
FLAT_KEYS = ("nodes", "posts")
NESTED_KEYS = ("roots", "comments", "children", "replies")
NODE_CHILD_KEYS = ("children", "replies", "comments")
ID_KEYS = ("id", "comment_id", "post_id")
PARENT_KEYS = ("parent", "parent_id", "in_reply_to_status_id", "in_reply_to")
AUTHOR_KEYS = ("user", "author", "by", "username", "name")
TIME_KEYS = ("created_at", "created", "time", "timestamp", "date", "created_utc")
TEXT_KEYS = ("text", "body", "content", "message")
# Reader votes: One Million Posts threads (pos_votes, neg_votes), DAST (upvotes: Reddit's score).
VOTES_UP_KEYS = ("votes_up", "pos_votes", "positive_votes", "upvotes", "ups", "likes", "score", "points")
VOTES_DOWN_KEYS = ("votes_down", "neg_votes", "negative_votes", "downvotes", "downs", "dislikes")
# Sniffing: a JSON object line that holds a list of objects under one of the thread keys.
_THREAD_LIST = re.compile(r'"(?:' + "|".join(FLAT_KEYS + NESTED_KEYS) + r')"\s*:\s*\[\s*(?:\{|\])')


def looks_like(path: Path, head: str) -> bool:
    """A JSONL file whose first line is an object holding a list of comment nodes."""
    first = head.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
    return first.startswith("{") and bool(_THREAD_LIST.search(first))


def _first(node: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = node.get(key)
        if value is not None and value != "":
            return value
    return None


def _votes(value: object) -> int | None:
    """A vote count: a whole number (or its text), else None (unknown)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d{1,18}", value.strip()):
        return int(value.strip())
    return None


def _id(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | str) and str(value).strip():
        return str(value).strip()
    return None


def _text(node: dict[str, Any]) -> str:
    """Headline and body joined (One Million Posts posts have both), else the text field."""
    headline = node.get("headline")
    body = _first(node, TEXT_KEYS)
    parts = [p for p in (headline, body) if isinstance(p, str) and p.strip()]
    return "\n\n".join(p.strip() for p in parts)


def _deleted(node: dict[str, Any]) -> bool:
    """Deleted, or a placeholder whose content the corpus does not have (RumourEval marks
    tweets it could not retrieve ``"missing": true``; their replies are still there)."""
    status = node.get("status")
    return (
        bool(node.get("is_deleted")) or bool(node.get("deleted")) or node.get("missing") is True
        or (isinstance(status, str) and status.lower() in ("deleted", "removed"))
    )


class _Line:
    """State for one thread line: issues with the file's path and the line number."""

    def __init__(self, source: Source, number: int, issues: list[ParseIssue]) -> None:
        self.path = str(source.path)
        self.number = number
        self.issues = issues

    def date(self, node: dict[str, Any], article_id: str, comment_id: str | None) -> Any:
        raw = _first(node, TIME_KEYS)
        if raw is None:
            return None
        parsed = dates.parse_date(str(raw))
        if parsed is None:
            self.issues.append(
                dates.unparsed_issue(
                    str(raw), path=self.path, line=self.number, article_id=article_id, comment_id=comment_id
                )
            )
        return parsed


def read(source: Source, options: ReadOptions) -> ReaderOutput:
    """Read every line as one thread.

    Raises:
        FormatError: a line that is not a JSON object, or a file without any thread.
    """
    del options
    issues = list(source.decode_issues)
    threads: list[ParsedThread] = []
    n_in = 0
    for number, raw in enumerate(source.text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except ValueError as exc:
            raise FormatError(source.path, "one JSON thread object per line", line=number, found=f"invalid JSON ({exc})") from None
        if not isinstance(record, dict):
            raise FormatError(source.path, "one JSON thread object per line", line=number, found=f"a JSON {type(record).__name__}")
        thread, counted = _read_line(record, _Line(source, number, issues), source, len(threads))
        threads.append(thread)
        n_in += counted
    if not threads:
        raise FormatError(source.path, "one JSON thread object per line", found="no thread lines")
    return ReaderOutput(threads=threads, issues=issues, n_comments_in=n_in)


def _read_line(record: dict[str, Any], line: _Line, source: Source, index: int) -> tuple[ParsedThread, int]:
    flat_key = next((k for k in FLAT_KEYS if isinstance(record.get(k), list)), None)
    nested_key = next((k for k in NESTED_KEYS if isinstance(record.get(k), list)), None)
    article_id = _id(_first(record, ARTICLE_ID_KEYS)) or f"{source.article_id}-line{line.number}"
    title = _first(record, ARTICLE_TITLE_KEYS)
    text = _first(record, ARTICLE_TEXT_KEYS)
    nodes: list[Any] = list(record[flat_key]) if flat_key else []
    source_node: dict[str, Any] | None = None
    if (
        flat_key and nodes and isinstance(nodes[0], dict) and title is None and text is None
        and _id(nodes[0].get("id")) == article_id and _id(_first(nodes[0], PARENT_KEYS)) is None
    ):
        source_node = nodes[0]  # RumourEval: the source tweet is the thread's "article"
        nodes = nodes[1:]
    body_source = source_node if source_node is not None else record
    body = _text(body_source) if source_node is not None else (text.strip() if isinstance(text, str) else None)
    article = Article(
        article_id=article_id,
        title=title.strip() if isinstance(title, str) else None,
        url=_first(record, ARTICLE_URL_KEYS) if isinstance(_first(record, ARTICLE_URL_KEYS), str) else None,
        author=_id(_first(body_source, AUTHOR_KEYS)),
        published_at=line.date(body_source, article_id, None) if _first(body_source, TIME_KEYS) is not None else None,
        body=body or None,
        language=record.get("lang") if isinstance(record.get("lang"), str) else (
            source_node.get("lang") if source_node is not None and isinstance(source_node.get("lang"), str) else None
        ),
        source_path=str(source.path),
    )
    roots = {article_id} | ({_id(source_node.get("id")) or article_id} if source_node is not None else set())
    comments: list[RawComment] = []
    counted = 0
    if flat_key:
        counted += len(nodes)
        _walk(nodes, None, roots, article_id, line, comments)
    if nested_key and nested_key != flat_key:
        tops = list(record[nested_key])
        counted += _count(tops)
        _walk(tops, None, roots, article_id, line, comments)
    if flat_key is None and nested_key is None:
        line.issues.append(
            ParseIssue(
                "no-comment-nodes", f"thread {article_id} has no nodes/roots/children list", "warning",
                line.path, line.number, article_id,
            )
        )
    del index
    return ParsedThread(article=article, comments=comments), counted


def _count(tops: list[Any]) -> int:
    """Nodes in a nested list, counted by a walk separate from the reading one."""
    n = 0
    stack = list(tops)
    while stack:
        node = stack.pop()
        n += 1
        if isinstance(node, dict):
            for key in NODE_CHILD_KEYS:
                children = node.get(key)
                if isinstance(children, list):
                    stack.extend(children)
                    break
    return n


def _walk(
    tops: list[Any], parent: str | None, roots: set[str], article_id: str, line: _Line, out: list[RawComment]
) -> None:
    """Pre-order over nodes; a node's own ``parent`` wins over the nesting when it names one."""
    stack: list[tuple[Any, str | None]] = [(node, parent) for node in reversed(tops)]
    while stack:
        node, nested_parent = stack.pop()
        if not isinstance(node, dict):
            line.issues.append(
                ParseIssue(
                    "rejected-comment", "a node is not a JSON object; skipped", "error",
                    line.path, line.number, article_id,
                )
            )
            continue
        comment_id = _id(_first(node, ID_KEYS))
        if comment_id is None:
            comment_id = f"{article_id}-n{len(out) + 1}"
            line.issues.append(
                ParseIssue(
                    "missing-comment-id", f"a node without id; kept as {comment_id}", "warning",
                    line.path, line.number, article_id, comment_id,
                )
            )
        stated = _id(_first(node, PARENT_KEYS))
        parent_id = stated if stated is not None else nested_parent
        if parent_id in roots:
            parent_id = None
        deleted = _deleted(node)
        if node.get("missing") is True:
            line.issues.append(
                ParseIssue(
                    "missing-node", f"node {comment_id} is a placeholder without content (\"missing\": true);"
                    " kept as a deleted comment so its replies keep their place", "info",
                    line.path, line.number, article_id, comment_id,
                )
            )
        author = _first(node, AUTHOR_KEYS)
        out.append(
            RawComment(
                comment_id=comment_id,
                parent_id=parent_id,
                author=str(author) if isinstance(author, int | str) and not isinstance(author, bool) else None,
                created_at=line.date(node, article_id, comment_id),
                text="" if deleted else _text(node),
                source_line=line.number,
                kind="deleted" if deleted else "comment",
                votes_up=_votes(_first(node, VOTES_UP_KEYS)),
                votes_down=_votes(_first(node, VOTES_DOWN_KEYS)),
            )
        )
        for key in NODE_CHILD_KEYS:
            children = node.get(key)
            if isinstance(children, list):
                stack.extend((child, comment_id) for child in reversed(children))
                break
