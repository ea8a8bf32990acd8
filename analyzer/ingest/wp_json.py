"""Reader for WordPress REST API JSON: comments, posts, and a post-with-comments bundle.

Accepted shapes (``FORMAT = "wp_json"``):

1. A ``/wp-json/wp/v2/comments`` response: a JSON list of comment objects with ``id``,
   ``post``, ``parent`` (0 = top level), ``author_name``, ``date_gmt`` (no zone: it *is* UTC),
   ``date`` (site-local time), ``content.rendered`` (HTML), ``link``, ``status``, ``type``.
   Comments of several posts may share one list: they are grouped by ``post`` and each post
   becomes one thread with ``article_id = str(post)``.  A single comment object
   (``/wp/v2/comments/<id>``) is read as a list of one.
2. A ``/wp-json/wp/v2/posts/<id>`` object (or a list of them): articles without comments,
   from ``title.rendered``, ``content.rendered`` (body), ``excerpt.rendered`` (lead), ``link``,
   ``date_gmt``, ``author`` (a user id, kept as a string unless ``_embedded.author`` names
   the user), ``comment_status`` and, with ``?_embed``, the category names.
3. A bundle, the shape to save when fetching a post and its comments together::

       {"post": {... a /wp/v2/posts/<id> object ...},
        "comments": [... the /wp/v2/comments?post=<id> list, all pages concatenated ...]}

   ``"post"`` may be omitted; ``"comments"`` may not.

Every recoverable anomaly (missing or mistyped field, unknown status, pingbacks) becomes a
:class:`ParseIssue`; a comment without an id is kept under a synthetic id.  JSON that does
not parse, or that has none of these shapes, raises :class:`FormatError`.

Issue codes emitted here: ``missing-field``, ``invalid-field``, ``missing-comment-id``,
``rejected-comment``, ``pingback-skipped``, ``comment-status``, ``local-time-assumed-utc``,
``empty-response``.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from json.decoder import scanstring  # type: ignore[attr-defined]  # public but not in typeshed
from pathlib import Path
from typing import Any

from analyzer.core.errors import FormatError
from analyzer.core.records import Article, Block, ParsedThread, ParseIssue, RawComment
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source
from analyzer.ingest.htmltext import html_to_blocks, html_to_text

FORMAT = "wp_json"

# --- Data --------------------------------------------------------------------------------
# Comment types that are not reader comments (WordPress core comment_type values).
PING_TYPES = frozenset({"pingback", "trackback"})
# The only status the public API returns; others appear with ?context=edit and are not public.
PUBLIC_STATUS = "approved"
# A comment's link is the post permalink plus "#comment-N", with "/comment-page-N/" when the
# site paginates comments; stripping both gives the article URL (fixtures/de_wp_json_multi).
_COMMENT_LINK_SUFFIX = re.compile(r"(?:comment-page-\d{1,6}/?)?#comment-\d{1,20}$")
_WS = re.compile(r"[ \t\n\r]*")
_EXPECTED = (
    "a WordPress REST API response: a list of comment objects (with 'post' and 'content'),"
    " a post object (with 'title' and 'content'), or {\"post\": {...}, \"comments\": [...]}"
)

# --- Sniffing ----------------------------------------------------------------------------
_HEAD_COMMENT = re.compile(r'"post"\s*:\s*\d')
_HEAD_RENDERED = re.compile(r'"content"\s*:\s*\{\s*"rendered"')
_HEAD_TITLE = re.compile(r'"title"\s*:\s*\{\s*"rendered"')
_HEAD_BUNDLE = re.compile(r'"comments"\s*:\s*\[')


def looks_like(path: Path, head: str) -> bool:
    """JSON whose first object has WordPress comment or post keys, or a bundle.

    ``head`` may be cut mid-document, so the first object is decoded on its own when it
    is complete and the keys are looked for textually otherwise.
    """
    stripped = head.lstrip("\ufeff \t\r\n")
    if not stripped.startswith(("[", "{")):
        return False
    first: object = None
    try:
        if stripped.startswith("["):
            inner = _WS.match(stripped, 1)
            start = inner.end() if inner else 1
            first, _ = json.JSONDecoder().raw_decode(stripped, start)
        else:
            first, _ = json.JSONDecoder().raw_decode(stripped)
    except (ValueError, RecursionError):
        first = None
    if isinstance(first, dict):
        return _is_comment(first) or _is_post(first) or _is_bundle(first)
    if stripped.startswith("[") and _HEAD_COMMENT.search(stripped) and _HEAD_RENDERED.search(stripped):
        return True
    if stripped.startswith("{"):
        if _HEAD_BUNDLE.search(stripped) and (_HEAD_RENDERED.search(stripped) or '"post"' in stripped):
            return True
        return bool(_HEAD_TITLE.search(stripped) and _HEAD_RENDERED.search(stripped))
    return False


def _is_comment(obj: dict[str, Any]) -> bool:
    return "post" in obj and "content" in obj


def _is_post(obj: dict[str, Any]) -> bool:
    return (
        isinstance(obj.get("title"), dict)
        and isinstance(obj.get("content"), dict)
        and ("type" in obj or "link" in obj)
    )


def _is_bundle(obj: dict[str, Any]) -> bool:
    return isinstance(obj.get("comments"), list) and (
        "post" not in obj or isinstance(obj.get("post"), dict)
    )


# --- JSON positions ----------------------------------------------------------------------


class _Lines:
    """Offset → 1-based line number."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)


def _skip_ws(text: str, index: int) -> int:
    match = _WS.match(text, index)
    return match.end() if match else index


def _array_item_offsets(text: str, index: int) -> list[int]:
    """Offsets of the items of the (already validated) JSON array starting at ``index``."""
    decoder = json.JSONDecoder()
    offsets: list[int] = []
    index = _skip_ws(text, index + 1)
    if text[index] == "]":
        return offsets
    while True:
        offsets.append(index)
        _, index = decoder.raw_decode(text, index)
        index = _skip_ws(text, index)
        if text[index] != ",":
            return offsets
        index = _skip_ws(text, index + 1)


def _object_member_offsets(text: str, index: int) -> dict[str, int]:
    """Offsets of the member values of the (already validated) JSON object at ``index``."""
    decoder = json.JSONDecoder()
    offsets: dict[str, int] = {}
    index = _skip_ws(text, index + 1)
    if text[index] == "}":
        return offsets
    while True:
        key, index = scanstring(text, index + 1)
        index = _skip_ws(text, _skip_ws(text, index) + 1)  # past ':'
        offsets[key] = index
        _, index = decoder.raw_decode(text, index)
        index = _skip_ws(text, index)
        if text[index] != ",":
            return offsets
        index = _skip_ws(text, index + 1)


# --- Field coercion ----------------------------------------------------------------------


def _as_int(value: object) -> int | None:
    """An integer id: ints (not bools) and digit strings; anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _describe(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    if isinstance(value, bool) or value is None:
        return names[type(value)]
    if isinstance(value, int | float):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _parse_gmt(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    # date_gmt carries no zone because it is UTC by definition.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _rendered(value: object) -> str | None:
    """``{"rendered": "<p>…</p>"}`` → the HTML string; a bare string is accepted as HTML."""
    if isinstance(value, dict):
        rendered = value.get("rendered")
        return rendered if isinstance(rendered, str) else None
    if isinstance(value, str):
        return value
    return None


@dataclass(slots=True)
class _Context:
    path: str
    lines: _Lines
    issues: list[ParseIssue] = field(default_factory=list)

    def issue(
        self, code: str, detail: str, severity: str = "warning", *, line: int | None = None,
        article_id: str | None = None, comment_id: str | None = None,
    ) -> None:
        self.issues.append(
            ParseIssue(code, detail, severity, self.path, line, article_id, comment_id)  # type: ignore[arg-type]
        )


# --- Posts -------------------------------------------------------------------------------


def _embedded_author(post: dict[str, Any]) -> str | None:
    embedded = post.get("_embedded")
    if not isinstance(embedded, dict):
        return None
    authors = embedded.get("author")
    if isinstance(authors, list) and authors and isinstance(authors[0], dict):
        name = authors[0].get("name")
        if isinstance(name, str) and name.strip():
            return name.strip()
    return None


def _embedded_categories(post: dict[str, Any]) -> str | None:
    embedded = post.get("_embedded")
    terms = embedded.get("wp:term") if isinstance(embedded, dict) else None
    if not isinstance(terms, list):
        return None
    names: list[str] = []
    for group in terms:
        for term in group if isinstance(group, list) else []:
            if isinstance(term, dict) and term.get("taxonomy") == "category":
                name = html_to_text(str(term.get("name") or ""))
                if name and name not in names:
                    names.append(name)
    return ", ".join(names) or None


def _read_post(post: dict[str, Any], ctx: _Context, source: Source, line: int | None) -> Article:
    post_id = _as_int(post.get("id"))
    article_id = str(post_id) if post_id is not None else source.article_id
    if post_id is None:
        ctx.issue(
            "missing-field", f"post object without an integer 'id'; using {article_id!r}",
            line=line, article_id=article_id,
        )
    title_html = _rendered(post.get("title"))
    title = html_to_text(title_html).replace("\n", " ") if title_html else None
    body_html = _rendered(post.get("content"))
    if body_html is None:
        ctx.issue("missing-field", "post object without 'content.rendered'", line=line, article_id=article_id)
    excerpt_html = _rendered(post.get("excerpt"))
    lead = html_to_text(excerpt_html) if excerpt_html else None
    published = _parse_gmt(post.get("date_gmt"))
    if published is None and post.get("date") is not None:
        published = _parse_gmt(post.get("date"))
        if published is not None:
            ctx.issue(
                "local-time-assumed-utc", "post has no 'date_gmt'; its site-local 'date' was read as UTC",
                "info", line=line, article_id=article_id,
            )
    author = _embedded_author(post)
    if author is None and post.get("author") is not None:
        author = str(post.get("author"))
    status = post.get("comment_status")
    blocks: list[Block] = []
    if title:
        blocks.append(Block("title", title, line))
    if lead:
        blocks.append(Block("lead", lead, None))
    # Lines inside content.rendered are relative to the HTML string, not the file: dropped.
    blocks.extend(Block("body", tb.text, None) for tb in html_to_blocks(body_html or ""))
    link = post.get("link")
    return Article(
        article_id=article_id,
        title=title or None,
        url=link if isinstance(link, str) and link else None,
        author=author,
        published_at=published,
        category=_embedded_categories(post),
        lead=lead or None,
        body=html_to_text(body_html) if body_html else None,
        comments_closed={"closed": True, "open": False}.get(status) if isinstance(status, str) else None,
        source_path=str(source.path),
        blocks=blocks,
    )


# --- Comments ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Sortable:
    key: tuple[bool, datetime, int, int]
    comment: RawComment


def _read_comment(
    item: dict[str, Any], index: int, line: int | None, ctx: _Context, default_article: str
) -> tuple[str, RawComment]:
    raw_id = _as_int(item.get("id"))
    comment_id = str(raw_id) if raw_id is not None else f"wp-json-{index + 1}"
    post = _as_int(item.get("post"))
    article_id = str(post) if post is not None else default_article

    def issue(code: str, detail: str, severity: str = "warning") -> None:
        ctx.issue(code, detail, severity, line=line, article_id=article_id, comment_id=comment_id)

    if raw_id is None:
        issue("missing-comment-id", f"comment item {index + 1} has no integer 'id'; given the id {comment_id}")
    if post is None:
        what = "no 'post'" if "post" not in item else f"'post' is {_describe(item.get('post'))}"
        issue("missing-field", f"comment {comment_id}: {what}; assigned to article {article_id}")

    parent_raw = item.get("parent")
    parent = _as_int(parent_raw)
    if "parent" not in item:
        issue("missing-field", f"comment {comment_id}: no 'parent'; read as top level")
    elif parent is None:
        issue("invalid-field", f"comment {comment_id}: 'parent' is {_describe(parent_raw)}; read as top level")

    author_raw = item.get("author_name")
    author = (author_raw.strip() or None) if isinstance(author_raw, str) else None
    if author_raw is not None and not isinstance(author_raw, str):
        issue("invalid-field", f"comment {comment_id}: 'author_name' is {_describe(author_raw)}")

    created = _parse_gmt(item.get("date_gmt"))
    if created is None and item.get("date_gmt") is not None:
        issue("invalid-field", f"comment {comment_id}: 'date_gmt' {str(item.get('date_gmt'))[:40]!r} is not ISO 8601")
    if created is None:
        created = _parse_gmt(item.get("date"))
        if created is not None:
            issue(
                "local-time-assumed-utc",
                f"comment {comment_id}: no usable 'date_gmt'; its site-local 'date' was read as UTC", "info",
            )
        elif item.get("date") is not None:
            issue("invalid-field", f"comment {comment_id}: 'date' {str(item.get('date'))[:40]!r} is not ISO 8601")
        elif item.get("date_gmt") is None:
            issue("missing-field", f"comment {comment_id}: no 'date_gmt' or 'date'", "info")

    content = item.get("content")
    html = _rendered(content)
    if html is None:
        issue("missing-field", f"comment {comment_id}: no 'content.rendered'; its text is empty")
    elif isinstance(content, str):
        issue("invalid-field", f"comment {comment_id}: 'content' is a string, not {{'rendered': ...}}", "info")

    status = item.get("status")
    if status is not None and status != PUBLIC_STATUS:
        issue("comment-status", f"comment {comment_id} has status {status!r}: not public on the site", "info")

    link = item.get("link")
    return article_id, RawComment(
        comment_id=comment_id,
        parent_id=str(parent) if parent else None,
        author=author,
        created_at=created,
        text=html_to_text(html) if html else "",
        source_line=line,
        url=link if isinstance(link, str) and link else None,
    )


def _read_comments(
    items: list[Any], offsets: list[int], ctx: _Context, default_article: str
) -> tuple[dict[str, list[_Sortable]], dict[str, str], int]:
    """Comments grouped by article (in first-seen order), article URLs from comment links, n seen."""
    groups: dict[str, list[_Sortable]] = {}
    urls: dict[str, str] = {}
    n_seen = 0
    for index, item in enumerate(items):
        line = ctx.lines.at(offsets[index]) if index < len(offsets) else None
        # A non-string "type" (list, object) is not a ping; hashing it would raise.
        if isinstance(item, dict) and isinstance(item.get("type"), str) and item["type"] in PING_TYPES:
            ctx.issue(
                "pingback-skipped",
                f"{item.get('type')} {item.get('id', '?')} from {item.get('author_name') or 'an unnamed site'}"
                " is not a reader comment and was not emitted",
                "info", line=line, article_id=str(item.get("post", default_article)),
                comment_id=str(item["id"]) if "id" in item else None,
            )
            continue
        n_seen += 1
        if not isinstance(item, dict):
            # "rejected-comment" is the code the run's accounting counts as seen-but-not-kept.
            ctx.issue(
                "rejected-comment",
                f"item {index + 1} of the comment list is {_describe(item)}, not a comment object; skipped",
                "error", line=line, article_id=default_article,
            )
            continue
        article_id, comment = _read_comment(item, index, line, ctx, default_article)
        if comment.url and article_id not in urls:
            urls[article_id] = _COMMENT_LINK_SUFFIX.sub("", comment.url)
        numeric = int(comment.comment_id) if comment.comment_id.isdigit() else 2**63
        created = comment.created_at or datetime.max.replace(tzinfo=UTC)
        groups.setdefault(article_id, []).append(
            _Sortable((comment.created_at is None, created, numeric, index), comment)
        )
    return groups, urls, n_seen


# --- Entry point -------------------------------------------------------------------------


def _load(text: str, path: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(path, "valid JSON", line=exc.lineno, found=f"{exc.msg} at column {exc.colno}") from None
    except RecursionError:
        raise FormatError(path, "JSON nested at most a few hundred levels deep", found="deeper nesting") from None


def _shape_error(path: str, found: str, line: int | None = 1) -> FormatError:
    return FormatError(path, _EXPECTED, line=line, found=found)


def read(source: Source, options: ReadOptions) -> ReaderOutput:
    """Read a WordPress REST API response (comments, post, or bundle) into threads.

    Raises:
        FormatError: invalid JSON, or JSON of none of the accepted shapes.
    """
    text = source.text
    path = str(source.path)
    data = _load(text, path)
    ctx = _Context(path, _Lines(text))
    ctx.issues.extend(source.decode_issues)
    start = _skip_ws(text, 0)

    post: dict[str, Any] | None = None
    post_line: int | None = None
    items: list[Any] = []
    offsets: list[int] = []
    posts_only: list[tuple[dict[str, Any], int]] = []
    if isinstance(data, list):
        offsets = _array_item_offsets(text, start)
        dicts = [item for item in data if isinstance(item, dict)]
        if data and not any(_is_comment(d) or "parent" in d or "author_name" in d for d in dicts):
            if dicts and all(_is_post(d) for d in dicts) and len(dicts) == len(data):
                posts_only = [(d, ctx.lines.at(o)) for d, o in zip(data, offsets, strict=True)]
            else:
                kinds = ", ".join(sorted({_describe(item) for item in data}))
                raise _shape_error(
                    path, f"a list of {len(data)} item(s) ({kinds}) without comment keys ('post', 'content')"
                )
        items = data
    elif isinstance(data, dict):
        members = _object_member_offsets(text, start)
        if "comments" in data:
            if not isinstance(data["comments"], list):
                raise _shape_error(
                    path, f"'comments' is {_describe(data['comments'])}", ctx.lines.at(members["comments"])
                )
            items = data["comments"]
            offsets = _array_item_offsets(text, members["comments"])
            if isinstance(data.get("post"), dict):
                post, post_line = data["post"], ctx.lines.at(members["post"])
            elif "post" in data:
                ctx.issue(
                    "invalid-field", f"the bundle's 'post' is {_describe(data['post'])}, not a post object",
                    line=ctx.lines.at(members["post"]),
                )
        elif _is_post(data):
            post, post_line = data, ctx.lines.at(start)
        elif _is_comment(data):
            items, offsets = [data], [start]
        elif isinstance(data.get("code"), str) and "message" in data:
            raise _shape_error(path, f"a REST API error response ({data['code']}: {data.get('message')})")
        else:
            keys = ", ".join(sorted(map(str, data))[:8]) or "no keys"
            raise _shape_error(path, f"an object with keys {keys}")
    else:
        raise _shape_error(path, _describe(data))

    articles: dict[str, Article] = {}
    if post is not None:
        article = _read_post(post, ctx, source, post_line)
        articles[article.article_id] = article
    for post_obj, line in posts_only:
        article = _read_post(post_obj, ctx, source, line)
        articles.setdefault(article.article_id, article)
    # A comment without 'post' belongs to the bundle's post, or to the only post the other
    # comments name; failing both, to the id the file name gives.
    named_posts = {_as_int(item.get("post")) for item in items if isinstance(item, dict)} - {None}
    default_article = next(
        iter(articles), str(named_posts.pop()) if len(named_posts) == 1 else source.article_id
    )
    groups, urls, n_seen = ({}, {}, 0) if posts_only else _read_comments(items, offsets, ctx, default_article)

    threads: list[ParsedThread] = []
    for article_id in dict.fromkeys([*articles, *groups]):
        article = articles.get(article_id) or Article(
            article_id=article_id, url=urls.get(article_id), source_path=str(source.path)
        )
        # The API lists newest first, pages show oldest first (WordPress orders by
        # comment_date_gmt, then comment_ID): sibling order must match the page.
        ordered = sorted(groups.get(article_id, []), key=lambda s: s.key)
        threads.append(ParsedThread(article=article, comments=[s.comment for s in ordered]))
    if not threads:
        ctx.issue("empty-response", "the response holds no comments and no post", "info", line=1)
        threads.append(ParsedThread(article=Article(article_id=source.article_id, source_path=str(source.path))))
    return ReaderOutput(threads=threads, issues=ctx.issues, n_comments_in=n_seen)
