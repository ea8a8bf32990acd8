"""A run as a ConvoKit corpus directory that ``convokit.Corpus(filename=PATH)`` loads.

Mapping (the inverse of :mod:`analyzer.ingest.convokit`):

* **conversations**: one per article, id = article id; metadata ``title``, ``url``, ``site``,
  ``category``, ``published_at`` (ISO), the thread counts (``n_visible``, ``n_ghost``,
  ``n_deleted``, ``n_more_stubs``, ``n_hidden``) and the conversation metadata the input had;
* **root utterance**: the article itself, id = article id, ``reply-to`` null, text = body
  (empty when the input had none), speaker = the article's author or ``[article]``,
  timestamp = ``published_at``; metadata ``title``, ``url``, ``is_article: true``;
* **comments** reply to their parent, top-level comments to the root.  Utterance ids are the
  comment ids when they are unique across the run and distinct from every article id (always
  true for ConvoKit input); otherwise every comment becomes ``ARTICLE_ID/COMMENT_ID`` (ConvoKit
  needs ids unique in the corpus).  Metadata: ``article_id``, ``comment_id`` (ours), ``depth``,
  ``kind``, ``is_deleted``, the stance labels when the stance stage ran, and the utterance
  metadata of the input;
* **ghosts** (comments missing in a visible branch, inserted by the tree builder to keep the
  depth of their replies) are written as utterances with empty text, speaker ``[missing]`` and
  ``kind: "ghost"``, so their replies keep their place and ConvoKit's reply tree has the same
  shape as ours; **deleted / removed placeholders** have text ``[deleted]`` / ``[removed]`` and,
  without a known author, speaker ``[deleted]`` (Reddit's convention, which our reader maps
  back); comments without an author get speaker ``[anonymous]``.  Platform "load more" stubs
  are not tree nodes and are not written (their counts are in the conversation metadata);
* **speakers**: every speaker used, with the ``authors.parquet`` row as metadata when the
  coordination stage ran, and the speaker metadata of the input;
* **corpus.json**: the input's corpus metadata plus ``analyzer_version`` and ``analyzer_run``;
  **index.json**: metadata types per key, as ConvoKit writes them.

Timestamps are Unix seconds (int when whole, else float); a missing time is null.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core.run import Run

GHOST_SPEAKER = "[missing]"
DELETED_SPEAKER = "[deleted]"
ANONYMOUS_SPEAKER = "[anonymous]"
ARTICLE_SPEAKER = "[article]"


def _seconds(value: datetime | None) -> int | float | None:
    if value is None:
        return None
    seconds = value.timestamp()
    return int(seconds) if seconds == int(seconds) else seconds


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _source_meta(run: Run) -> dict[tuple[str, str], dict[str, Any]]:
    """``(kind, id) -> {key: value}`` from ``source_meta.parquet`` (empty without one)."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    if not run.has("source_meta.parquet"):
        return out
    for kind, _article, owner, key, value in run.frame("source_meta").iter_rows():
        out.setdefault((kind, owner), {})[key] = json.loads(value)
    return out


def _type_index(entries: list[dict[str, Any]]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for meta in entries:
        for key, value in meta.items():
            name = f"<class '{type(value).__name__}'>"
            if name not in index.setdefault(key, []):
                index[key].append(name)
    return index


def write_corpus(run: Run, out: Path) -> list[Path]:
    """Write the ConvoKit corpus folder ``out`` (see the module docstring)."""
    from analyzer import __version__

    out.mkdir(parents=True, exist_ok=True)
    comments = run.comments.filter(pl.col("kind") != "more")
    articles = run.articles
    extra = _source_meta(run)
    article_ids = set(articles.get_column("article_id").to_list())
    comment_ids = comments.get_column("comment_id")
    keep_ids = comment_ids.is_unique().all() and not (set(comment_ids.to_list()) & article_ids)
    stance: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    if run.has("stance.parquet"):
        for a, c, sp, sa in run.frame("stance").select("article_id", "comment_id", "stance_parent", "stance_article").iter_rows():
            stance[(a, c)] = (sp, sa)

    def uid(article_id: str, comment_id: str) -> str:
        return comment_id if keep_ids else f"{article_id}/{comment_id}"

    speakers: dict[str, dict[str, Any]] = {}
    utterance_metas: list[dict[str, Any]] = []
    conversation_metas: dict[str, dict[str, Any]] = {}
    with (out / "utterances.jsonl").open("w", encoding="utf-8") as handle:

        def emit(record: dict[str, Any]) -> None:
            speakers.setdefault(record["speaker"], {})
            utterance_metas.append(record["meta"])
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")

        by_article = {key[0]: group for key, group in comments.group_by(["article_id"], maintain_order=True)}
        for art in articles.iter_rows(named=True):
            article_id = art["article_id"]
            conv_meta: dict[str, Any] = {
                key: _jsonable(art[key]) for key in ("title", "url", "site", "category", "published_at",
                                                     "n_visible", "n_ghost", "n_deleted", "n_more_stubs", "n_hidden")
                if art.get(key) is not None
            }
            conv_meta.update(extra.get(("conversation", article_id), {}))
            conversation_metas[article_id] = conv_meta
            root_meta = {"is_article": True, **{k: art[k] for k in ("title", "url") if art.get(k) is not None}}
            root_meta.update(extra.get(("utterance", article_id), {}))
            emit({"id": article_id, "conversation_id": article_id, "text": art.get("body") or "",
                  "speaker": art.get("author") or ARTICLE_SPEAKER, "meta": root_meta, "reply-to": None,
                  "timestamp": _seconds(art.get("published_at")), "vectors": []})
            group = by_article.get(article_id)
            if group is None:
                continue
            for row in group.iter_rows(named=True):
                kind = row["kind"]
                if kind == "ghost":
                    speaker, text = GHOST_SPEAKER, ""
                elif kind in ("deleted", "removed"):
                    speaker, text = row["author"] or DELETED_SPEAKER, f"[{kind}]"
                else:
                    speaker, text = row["author"] or ANONYMOUS_SPEAKER, row["text"] or ""
                meta: dict[str, Any] = {"article_id": article_id, "comment_id": row["comment_id"],
                                        "depth": row["depth"], "kind": kind, "is_deleted": row["is_deleted"]}
                labels = stance.get((article_id, row["comment_id"]))
                if labels is not None:
                    meta["stance_parent"], meta["stance_article"] = labels
                meta.update(extra.get(("utterance", row["comment_id"]), {}))
                parent = row["parent_id"]
                emit({"id": uid(article_id, row["comment_id"]), "conversation_id": article_id, "text": text,
                      "speaker": speaker, "meta": meta,
                      "reply-to": article_id if parent is None else uid(article_id, parent),
                      "timestamp": _seconds(row["created_at"]), "vectors": []})
    if run.has("authors.parquet"):
        for row in run.frame("authors").iter_rows(named=True):
            if row["author"] in speakers:
                speakers[row["author"]] = {k: _jsonable(v) for k, v in row.items() if k != "author" and v is not None}
    for speaker_id in speakers:
        speakers[speaker_id].update(extra.get(("speaker", speaker_id), {}))
    corpus_meta = {**extra.get(("corpus", "corpus"), {}), "analyzer_version": __version__, "analyzer_run": str(run.path)}
    files = {
        "speakers.json": {s: {"meta": m, "vectors": []} for s, m in speakers.items()},
        "conversations.json": {c: {"meta": m, "vectors": []} for c, m in conversation_metas.items()},
        "corpus.json": corpus_meta,
        "index.json": {
            "utterances-index": _type_index(utterance_metas),
            "speakers-index": _type_index(list(speakers.values())),
            "conversations-index": _type_index(list(conversation_metas.values())),
            "overall-index": _type_index([corpus_meta]),
            "version": 1,
            "vectors": [],
        },
    }
    written = [out / "utterances.jsonl"]
    for name, content in files.items():
        (out / name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        written.append(out / name)
    return written
