"""Reddit reader: thread JSON (``/comments/<id>.json``) and ``/api/morechildren`` responses.

Shapes accepted:

* a thread: ``[submission Listing, comment Listing]``; comments nest through ``replies``
  (a Listing, or ``""`` when there are none);
* a ``/api/morechildren`` response: ``{"json": {"data": {"things": [...]}}}``, a flat list of
  comments and stubs that carry ``parent_id`` and ``link_id``.

Placeholders keep their place in the tree: body ``"[deleted]"`` -> kind ``deleted``, body
``"[removed]"`` -> kind ``removed`` (their replies stay attached); text is emptied and an
author of ``"[deleted]"`` becomes null so placeholders do not count as one prolific user.
``kind: "more"`` stubs become comments of kind ``more`` with ``n_hidden`` = ``data.count``
(or the number of listed children, in old responses without ``count``).

Stub ids: Reddit gives a stub the id of the first comment it hides (``{"id": "abc",
"children": ["abc", ...]}``), so a thread and the morechildren response that expands it
would both contain ``abc``.  Stub ids are therefore prefixed ``more_`` (``more_abc``).  A
"continue this thread" stub has id ``"_"`` and count 0; it becomes ``more__<parent>`` with
``n_hidden`` null (it hides at least one reply, but Reddit does not say how many).

The tree is walked with an explicit stack: threads can be thousands of levels deep.
JSON has lines, but :mod:`json` gives no positions, so ``source_line`` stays null.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analyzer.core.errors import FormatError
from analyzer.core.records import Article, ParsedThread, ParseIssue, RawComment
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source
from analyzer.ingest.source import decode, read_bytes

FORMAT = "reddit"

# --- Data ------------------------------------------------------------------------------
# Placeholder bodies (Reddit API; fixtures/en_reddit, comment "k3del").
PLACEHOLDER_BODIES = {"[deleted]": "deleted", "[removed]": "removed"}
DELETED_AUTHOR = "[deleted]"
_FULLNAME = re.compile(r"^t(?P<type>[1-6])_(?P<id>[0-9a-z]+)$")
# Sniffing: a thread starts with a Listing; a morechildren response wraps json.data.things.
_LISTING = re.compile(r'"kind"\s*:\s*"Listing"')
_THINGS = re.compile(r'"json"\s*:\s*\{.{0,200}?"things"\s*:', re.DOTALL)
# Counting things independently of the walk: kind markers in the raw text (a comment body
# cannot contain the unescaped sequence, JSON escapes its quotes).
_THING_MARKER = re.compile(r'"kind"\s*:\s*"(?:t1|more)"')
SITE = "reddit.com"
PERMALINK_BASE = "https://www.reddit.com"
# U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR in UTF-8.
_UTF8_LS = "\u2028".encode()
_UTF8_PS = "\u2029".encode()
# Deep JSON: the C decoder recurses once per nesting level (a Reddit level is 5 nestings).
_DEEP_JSON_RECURSION_LIMIT = 200_000
_DEEP_JSON_STACK_BYTES = 512 * 1024 * 1024


def looks_like(path: Path, head: str) -> bool:
    """A JSON list whose first element is a Listing, or a morechildren ``json.data.things`` object."""
    start = head.lstrip()[:1]
    if start == "[":
        return bool(_LISTING.search(head[:4096]))
    if start == "{":
        return bool(_THINGS.search(head[:4096]))
    return False


def json_text(source: Source) -> str:
    """The decoded text of a JSON source with U+2028/U+2029 left as they are.

    ``Source.text`` turns the Unicode line and paragraph separators into "\n", which is
    right for page text but corrupts JSON: both may stand unescaped inside JSON strings
    (writers with ``ensure_ascii=False`` emit them), where a raw newline is invalid.  So
    JSON readers decode the bytes again without that step; ``source.decoded()`` still runs
    once so the encoding and its issues are recorded as for every input.
    """
    decoded = source.decoded()
    raw = read_bytes(source.path, max_bytes=source.max_bytes)
    if decoded.encoding == "utf-8" and _UTF8_LS not in raw and _UTF8_PS not in raw:
        return decoded.text  # nothing was turned into a newline
    text, _, _ = decode(raw, str(source.path))
    # CR is whitespace between JSON tokens and invalid inside strings: normalising it is safe.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_json(source: Source) -> Any:
    """Parse the source as JSON; invalid JSON raises FormatError naming the line.

    Very deep documents exceed Python's recursion limit inside the C decoder; they are
    parsed again in a worker thread with a large stack and a raised limit.
    """
    text = json_text(source)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(source.path, "valid JSON", line=exc.lineno, found=exc.msg) from None
    except RecursionError:
        pass
    result: list[Any] = []
    errors: list[BaseException] = []

    def work() -> None:
        old = sys.getrecursionlimit()
        sys.setrecursionlimit(_DEEP_JSON_RECURSION_LIMIT)
        try:
            result.append(json.loads(text))
        except (json.JSONDecodeError, RecursionError) as exc:
            errors.append(exc)
        finally:
            sys.setrecursionlimit(old)

    old_size = threading.stack_size(_DEEP_JSON_STACK_BYTES)
    try:
        worker = threading.Thread(target=work, name="deep-json")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(old_size)
    if errors:
        error = errors[0]
        if isinstance(error, json.JSONDecodeError):
            raise FormatError(source.path, "valid JSON", line=error.lineno, found=error.msg) from None
        raise FormatError(source.path, "JSON nested less deeply", found="nesting too deep to parse")
    return result[0]


def _bare_id(fullname: object) -> tuple[str | None, str | None]:
    """("1", "abc") for "t1_abc"; (None, value) for a bare id; (None, None) for nothing."""
    if not isinstance(fullname, str) or not fullname:
        return None, None
    match = _FULLNAME.match(fullname)
    if match:
        return match.group("type"), match.group("id")
    return None, fullname


def _utc(value: object) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def read(source: Source, options: ReadOptions) -> ReaderOutput:
    """Read a Reddit thread JSON or a morechildren response into ParsedThreads.

    Raises:
        FormatError: invalid JSON, or JSON of another shape.
    """
    data = load_json(source)
    issues = list(source.decode_issues)
    n_in = len(_THING_MARKER.findall(source.text))  # separators do not affect the markers
    if isinstance(data, list) and len(data) >= 1 and all(_is_listing(x) for x in data[:2]):
        threads = [_read_thread(data, source, issues)]
    elif isinstance(data, dict) and isinstance(_things(data), list):
        threads = _read_morechildren(_things(data) or [], source, issues)
    else:
        raise FormatError(
            source.path,
            "a Reddit thread [submission Listing, comment Listing] or a /api/morechildren "
            'response {"json": {"data": {"things": [...]}}}',
            found=f"a JSON {type(data).__name__} of another shape",
        )
    return ReaderOutput(threads=threads, issues=issues, n_comments_in=n_in)


def _is_listing(value: object) -> bool:
    return isinstance(value, dict) and value.get("kind") == "Listing" and isinstance(value.get("data"), dict)


def _things(data: dict[str, Any]) -> list[Any] | None:
    inner = data.get("json")
    if isinstance(inner, dict) and isinstance(inner.get("data"), dict):
        things = inner["data"].get("things")
        return things if isinstance(things, list) else None
    return None


def _children(listing: object) -> list[Any]:
    if isinstance(listing, dict) and isinstance(listing.get("data"), dict):
        children = listing["data"].get("children")
        if isinstance(children, list):
            return children
    return []


def _read_thread(data: list[Any], source: Source, issues: list[ParseIssue]) -> ParsedThread:
    submissions = [c for c in _children(data[0]) if isinstance(c, dict) and c.get("kind") == "t3"]
    if submissions:
        payload = submissions[0].get("data")
        # A submission whose "data" is no object (fuzz finding) gives an article of defaults.
        article = _article(payload if isinstance(payload, dict) else {}, source)
    else:
        article = Article(article_id=source.article_id, source_path=str(source.path))
        issues.append(ParseIssue(
            "missing-submission", "the first Listing holds no submission (t3); article fields are empty",
            "warning", str(source.path), None, article.article_id,
        ))
    comment_listing = data[1] if len(data) > 1 else None
    comments = _walk(_children(comment_listing), article.article_id, source, issues)
    return ParsedThread(article=article, comments=comments)


def _article(d: dict[str, Any], source: Source) -> Article:
    _, article_id = _bare_id(d.get("name"))
    article_id = _str_or_none(d.get("id")) or article_id or source.article_id
    subreddit = _str_or_none(d.get("subreddit"))
    num_comments = d.get("num_comments")
    author = _str_or_none(d.get("author"))
    return Article(
        article_id=article_id,
        title=_str_or_none(d.get("title")),
        url=_str_or_none(d.get("url")),
        site=f"{SITE}/r/{subreddit}" if subreddit else SITE,
        author=None if author == DELETED_AUTHOR else author,
        published_at=_utc(d.get("created_utc")),
        body=_str_or_none(d.get("selftext")),
        n_announced=num_comments if isinstance(num_comments, int) and not isinstance(num_comments, bool) else None,
        source_path=str(source.path),
    )


def _walk(
    roots: list[Any], article_id: str, source: Source, issues: list[ParseIssue]
) -> list[RawComment]:
    """Pre-order walk with an explicit stack; siblings keep their order in the file."""
    out: list[RawComment] = []
    # (thing, parent id from the nesting: None = top level)
    stack: list[tuple[Any, str | None]] = [(t, None) for t in reversed(roots)]
    while stack:
        thing, nest_parent = stack.pop()
        comment, replies = _convert(thing, nest_parent, article_id, source, issues)
        if comment is None:
            continue
        out.append(comment)
        stack.extend((r, comment.comment_id) for r in reversed(replies))
    return out


def _convert(
    thing: Any, nest_parent: str | None, article_id: str, source: Source, issues: list[ParseIssue]
) -> tuple[RawComment | None, list[Any]]:
    path = str(source.path)
    if not isinstance(thing, dict) or not isinstance(thing.get("data"), dict):
        # A t1/more marker was counted in n_comments_in: report it as a rejected comment.
        counted = isinstance(thing, dict) and thing.get("kind") in ("t1", "more")
        issues.append(ParseIssue(
            "rejected-comment" if counted else "malformed-thing",
            "a listing child is not a {kind, data} object; skipped",
            "error", path, None, article_id,
        ))
        return None, []
    kind = thing.get("kind")
    d = thing["data"]
    parent = _parent(d.get("parent_id"), nest_parent, article_id, d, source, issues)
    if kind == "more":
        raw_id = _str_or_none(d.get("id")) or "_"
        count = d.get("count")
        listed = d.get("children") if isinstance(d.get("children"), list) else []
        if raw_id == "_":
            stub_id = f"more__{parent or article_id}"
            n_hidden = None  # "continue this thread": hides replies, count not given
        else:
            stub_id = f"more_{raw_id}"
            n_hidden = count if isinstance(count, int) and not isinstance(count, bool) else len(listed)
        return RawComment(comment_id=stub_id, parent_id=parent, kind="more", n_hidden=n_hidden), []
    if kind != "t1":
        issues.append(ParseIssue(
            "unexpected-thing", f"a listing child of kind {kind!r} (expected t1 or more); skipped",
            "warning", path, None, article_id,
        ))
        return None, []
    comment_id = _str_or_none(d.get("id")) or _bare_id(d.get("name"))[1]
    if comment_id is None:
        # Keep the comment and its replies under a synthetic id rather than lose them.
        comment_id = f"_noid{len(issues)}_{nest_parent or article_id}"
        issues.append(ParseIssue(
            "missing-comment-id", f"a comment without id or name; it is kept as {comment_id}",
            "warning", path, None, article_id, comment_id,
        ))
    body = d.get("body") if isinstance(d.get("body"), str) else ""
    comment_kind = PLACEHOLDER_BODIES.get(body.strip(), "comment")
    author = _str_or_none(d.get("author"))
    permalink = _str_or_none(d.get("permalink"))
    up, down = _votes(d)
    return RawComment(
        comment_id=comment_id,
        parent_id=parent,
        author=None if author == DELETED_AUTHOR else author,
        created_at=_utc(d.get("created_utc")),
        text="" if comment_kind != "comment" else body,
        kind=comment_kind,
        url=PERMALINK_BASE + permalink if permalink and permalink.startswith("/") else permalink,
        votes_up=up,
        votes_down=down,
    ), _children(d.get("replies"))


def _votes(d: dict[str, Any]) -> tuple[int | None, int | None]:
    """(up, down) votes of a comment.  Today's API gives ``score`` (up minus down, fuzzed) and
    hides down-votes (``downs`` is always 0): the score, no down-votes.  Older captures have no
    ``score`` but ``ups`` and ``downs`` apart: both.  ``likes`` is the viewer's own vote, not a count."""

    def count(key: str) -> int | None:
        value = d.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    if count("score") is not None:
        return count("score"), None
    return count("ups"), count("downs") if count("ups") is not None else None


def _parent(
    declared: object,
    nest_parent: str | None,
    article_id: str,
    d: dict[str, Any],
    source: Source,
    issues: list[ParseIssue],
) -> str | None:
    """The parent comment id: ``parent_id`` when present ("t3_" = top level), else the nesting."""
    type_, bare = _bare_id(declared)
    if bare is None:
        return nest_parent
    parent = None if type_ == "3" else bare
    if nest_parent is not None and parent != nest_parent:
        # parent_id and nesting disagree (never seen in real responses): trust parent_id,
        # which is what Reddit stores, and say so.
        issues.append(ParseIssue(
            "parent-mismatch",
            f"parent_id {declared!r} differs from the enclosing comment {nest_parent!r}; parent_id is used",
            "warning", str(source.path), None, article_id, _str_or_none(d.get("id")),
        ))
    return parent


def _read_morechildren(things: list[Any], source: Source, issues: list[ParseIssue]) -> list[ParsedThread]:
    """A flat list of things; articles come from ``link_id`` (stubs have none: they join
    the article of their parent, else the first article)."""
    by_article: dict[str, list[Any]] = {}
    article_of: dict[str, str] = {}
    pending_stubs: list[Any] = []
    for thing in things:
        d = thing.get("data") if isinstance(thing, dict) else None
        link = _bare_id(d.get("link_id"))[1] if isinstance(d, dict) else None
        if link is None:
            pending_stubs.append(thing)
            continue
        by_article.setdefault(link, []).append(thing)
        if isinstance(d, dict) and isinstance(d.get("id"), str):
            article_of[d["id"]] = link
    fallback = next(iter(by_article), source.article_id)
    for thing in pending_stubs:
        d = thing.get("data") if isinstance(thing, dict) else None
        parent = _bare_id(d.get("parent_id"))[1] if isinstance(d, dict) else None
        by_article.setdefault(article_of.get(parent or "", fallback), []).append(thing)
    if not by_article:
        by_article[source.article_id] = []
    # Restore file order inside each article (stubs were set aside above).
    position = {id(t): i for i, t in enumerate(things)}
    threads = []
    for article_id, members in by_article.items():
        members.sort(key=lambda t: position.get(id(t), 0))
        subreddit = next((t["data"].get("subreddit") for t in members
                          if isinstance(t, dict) and isinstance(t.get("data"), dict)
                          and isinstance(t["data"].get("subreddit"), str)), None)
        site = f"{SITE}/r/{subreddit}" if subreddit else SITE
        article = Article(article_id=article_id, site=site, source_path=str(source.path))
        threads.append(ParsedThread(article=article, comments=_walk(members, article_id, source, issues)))
    return threads
