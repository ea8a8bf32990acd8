"""ConvoKit corpus directories (Chang et al. 2020, "ConvoKit: A Toolkit for the Analysis of
Conversations", SIGDIAL) as input: one folder is one corpus, read as a whole.

A ConvoKit corpus directory holds ``utterances.jsonl`` (one utterance per line: ``id``,
``conversation_id``, ``reply-to``, ``speaker``, ``timestamp``, ``text``, ``meta``),
``speakers.json``, ``conversations.json`` (``{id: {"meta": ..., "vectors": ...}}``; corpora
dumped by ConvoKit before 2.3 store the metadata directly, ``{id: {...}}``), ``corpus.json``
(corpus metadata) and ``index.json`` (metadata types).  Older corpora say ``user`` for
``speaker`` and ``root`` for ``conversation_id``; both are accepted.

Mapping (why: ConvoKit's conversation root is the post the comments answer, our article):

* each **conversation** becomes an article whose id is the conversation id; its **root
  utterance** (the one without ``reply-to``) gives the article's body (its text), author
  (its speaker), ``published_at`` (its timestamp) and, from its or the conversation's
  metadata, ``title``, ``url``, ``site`` (``site``/``domain``/``subreddit``) and ``category``;
* every other utterance becomes a comment with its own id; ``reply-to`` the root becomes a
  top-level comment (parent null), ``reply-to`` another utterance keeps that parent (one missing
  from the corpus becomes an ``unknown-parent`` issue in the tree builder, as for every format);
* Reddit placeholders (text ``[deleted]`` / ``[removed]``) become deleted / removed comments,
  and the speaker ``[deleted]`` an unknown author;
* ``timestamp`` is Unix seconds (int, float or numeric string);
* **metadata travels**: corpus, conversation, speaker and utterance metadata are kept as rows
  of ``source_meta.parquet`` (kind, article id, id, key, JSON value), so nothing is lost and
  ``analyzer export --to convokit`` writes it back.

Anomalies become issues: a line that is not a JSON object (``convokit-bad-line``), an
utterance without id (``convokit-no-id``), a conversation with several roots (the first is the
article, the others become top-level comments: ``convokit-several-roots``), one without a root
(an article without body: ``convokit-no-root``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core import schemas
from analyzer.core.errors import FormatError, UnreadableInputError
from analyzer.core.records import ParseIssue
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source
from analyzer.ingest.source import read_bytes

FORMAT = "convokit"
UTTERANCES = "utterances.jsonl"
SIDE_FILES = ("speakers.json", "conversations.json", "corpus.json", "index.json", "users.json")
PLACEHOLDERS = {"[deleted]": "deleted", "[removed]": "removed"}
DELETED_SPEAKER = "[deleted]"
_SITE_KEYS = ("site", "domain", "subreddit")

SOURCE_META_KINDS = ("corpus", "conversation", "speaker", "utterance")


def is_corpus_dir(path: Path) -> bool:
    """True for a folder with ``utterances.jsonl`` and at least one other ConvoKit file."""
    return path.is_dir() and (path / UTTERANCES).is_file() and any((path / name).is_file() for name in SIDE_FILES)


def looks_like(path: Path, head: str) -> bool:  # noqa: ARG001 - the reader contract
    return is_corpus_dir(path)


def _load_json(path: Path, max_bytes: int) -> Any:
    data = read_bytes(path, max_bytes=max_bytes)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormatError(path, "a JSON document (ConvoKit corpus file)", found=f"invalid JSON ({exc})") from None


def _meta_of(entry: Any) -> dict[str, Any]:
    """The metadata of a speakers/conversations entry, in the new or the pre-2.3 layout."""
    if not isinstance(entry, dict):
        return {}
    if "meta" in entry and set(entry) <= {"meta", "vectors"}:
        meta = entry.get("meta")
        return meta if isinstance(meta, dict) else {}
    return entry


def _timestamp(value: Any) -> int | None:
    """Unix seconds (int, float, numeric string) as microseconds; None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if not -62_135_596_800 <= seconds <= 253_402_300_799:  # years 1..9999
        return None
    return int(round(seconds * 1_000_000))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _string(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def read(source: Source, options: ReadOptions) -> ReaderOutput:  # noqa: ARG001 - the reader contract
    """Read a whole ConvoKit corpus directory (see the module docstring)."""
    folder = source.path
    if not is_corpus_dir(folder):
        raise FormatError(folder, "a ConvoKit corpus folder (utterances.jsonl with speakers.json or conversations.json)",
                          found="a folder without them")
    path_text = str(folder)
    issues: list[ParseIssue] = []
    meta_rows: list[tuple[str, str | None, str, str, str]] = []

    def add_meta(kind: str, article_id: str | None, owner: str, meta: dict[str, Any]) -> None:
        for key, value in meta.items():
            meta_rows.append((kind, article_id, owner, str(key), json.dumps(value, ensure_ascii=False, default=str)))

    utterance_file = folder / UTTERANCES
    data = read_bytes(utterance_file, max_bytes=source.max_bytes)
    try:
        lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise UnreadableInputError(utterance_file, "UTF-8 JSON lines", found=f"undecodable bytes ({exc.reason})") from None
    utterances: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            issues.append(ParseIssue("convokit-bad-line", f"not JSON ({exc}); line skipped", "error", str(utterance_file), number))
            continue
        if not isinstance(record, dict):
            issues.append(ParseIssue("convokit-bad-line", "expected a JSON object per line; line skipped", "error",
                                     str(utterance_file), number))
            continue
        if record.get("id") is None:
            issues.append(ParseIssue("convokit-no-id", "utterance without id; skipped", "error", str(utterance_file), number))
            continue
        utterances.append((number, record))
    if not utterances and not any(i.code.startswith("convokit") for i in issues):
        raise FormatError(utterance_file, "at least one utterance", found="an empty utterances.jsonl")

    conversations_raw = _load_json(folder / "conversations.json", source.max_bytes) if (folder / "conversations.json").is_file() else {}
    speakers_file = folder / "speakers.json" if (folder / "speakers.json").is_file() else folder / "users.json"
    speakers_raw = _load_json(speakers_file, source.max_bytes) if speakers_file.is_file() else {}
    corpus_meta = _load_json(folder / "corpus.json", source.max_bytes) if (folder / "corpus.json").is_file() else {}
    conversation_meta = {str(k): _meta_of(v) for k, v in (conversations_raw.items() if isinstance(conversations_raw, dict) else [])}
    if isinstance(corpus_meta, dict):
        add_meta("corpus", None, "corpus", corpus_meta)
    if isinstance(speakers_raw, dict):
        for speaker_id, entry in speakers_raw.items():
            add_meta("speaker", None, str(speaker_id), _meta_of(entry))

    # Group utterances by conversation, keeping file order.
    by_conversation: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, record in utterances:
        conversation = record.get("conversation_id", record.get("root"))
        conversation_id = str(conversation) if conversation is not None else str(record["id"])
        by_conversation.setdefault(conversation_id, []).append((number, record))

    comments: dict[str, list[Any]] = {name: [] for name in (
        "article_id", "comment_id", "parent_id", "author", "created_at", "text", "source_line", "kind", "source_path")}
    articles: dict[str, list[Any]] = {name: [] for name in (
        "article_id", "title", "url", "site", "author", "published_at", "category", "body", "source_path")}
    for conversation_id, members in by_conversation.items():
        roots = [(n, r) for n, r in members if r.get("reply-to", r.get("reply_to")) is None]
        root_number, root = roots[0] if roots else (None, None)
        if len(roots) > 1:
            issues.append(ParseIssue("convokit-several-roots",
                                     f"conversation {conversation_id} has {len(roots)} utterances without reply-to; "
                                     f"{root['id'] if root else '?'} is the article, the others top-level comments",
                                     "warning", str(utterance_file), roots[1][0], article_id=conversation_id))
        if root is None:
            issues.append(ParseIssue("convokit-no-root", f"conversation {conversation_id} has no root utterance; "
                                     "its article has no body", "warning", str(utterance_file), members[0][0],
                                     article_id=conversation_id))
        root_id = str(root["id"]) if root is not None else None
        meta = dict(conversation_meta.get(conversation_id, {}))
        root_meta: dict[str, Any] = {}
        if root is not None and isinstance(root.get("meta"), dict):
            root_meta = root["meta"]
        merged = {**root_meta, **meta}
        site = next((merged[k] for k in _SITE_KEYS if merged.get(k) is not None), None)
        speaker = _string(root.get("speaker", root.get("user"))) if root is not None else None
        articles["article_id"].append(conversation_id)
        articles["title"].append(_text(merged.get("title")))
        articles["url"].append(_text(merged.get("url") or merged.get("permalink")))
        articles["site"].append(_text(site))
        articles["author"].append(None if speaker == DELETED_SPEAKER else speaker)
        articles["published_at"].append(_timestamp(root.get("timestamp")) if root is not None else None)
        articles["category"].append(_text(merged.get("category")))
        articles["body"].append(_text(root.get("text")) if root is not None else None)
        articles["source_path"].append(path_text)
        add_meta("conversation", conversation_id, conversation_id, meta)
        if root is not None:
            add_meta("utterance", conversation_id, root_id or "", root_meta)
        for number, record in members:
            if record is root:
                continue
            utterance_id = str(record["id"])
            reply_to = record.get("reply-to", record.get("reply_to"))
            parent = None if reply_to is None or str(reply_to) == root_id else str(reply_to)
            text = _text(record.get("text"))
            kind = PLACEHOLDERS.get((text or "").strip(), "comment")
            author = _string(record.get("speaker", record.get("user")))
            comments["article_id"].append(conversation_id)
            comments["comment_id"].append(utterance_id)
            comments["parent_id"].append(parent)
            comments["author"].append(None if author == DELETED_SPEAKER else author)
            comments["created_at"].append(_timestamp(record.get("timestamp")))
            comments["text"].append(None if kind != "comment" else text)
            comments["source_line"].append(number)
            comments["kind"].append(kind)
            comments["source_path"].append(path_text)
            utt_meta = record.get("meta")
            if isinstance(utt_meta, dict):
                add_meta("utterance", conversation_id, utterance_id, utt_meta)
    comment_frame = pl.DataFrame(comments, schema={
        "article_id": pl.String, "comment_id": pl.String, "parent_id": pl.String, "author": pl.String,
        "created_at": pl.Int64, "text": pl.String, "source_line": pl.Int64, "kind": pl.String, "source_path": pl.String,
    }).with_columns(pl.col("created_at").cast(schemas.UTC_TIME))
    article_frame = pl.DataFrame(articles, schema={
        "article_id": pl.String, "title": pl.String, "url": pl.String, "site": pl.String, "author": pl.String,
        "published_at": pl.Int64, "category": pl.String, "body": pl.String, "source_path": pl.String,
    }).with_columns(pl.col("published_at").cast(schemas.UTC_TIME))
    meta_frame = pl.DataFrame(meta_rows, schema=schemas.SOURCE_META, orient="row")
    return ReaderOutput(
        issues=issues,
        n_comments_in=comment_frame.height,
        comments=comment_frame,
        articles=schemas.conform(article_frame, schemas.RAW_ARTICLES),
        meta=meta_frame,
    )
