"""Gold stance labels: from our own inputs, from a separate labels table, or from corpus adapters.

Three ways in, one result (:class:`GoldSet`: comment inputs, cue decisions, model samples,
labels per target and fold groups):

* **Any input ``analyse`` accepts** (``analyse(..., stages="quotes")`` gives the own texts).
  Tables (CSV/TSV/JSONL/Parquet) may carry ``stance_article`` and/or ``stance_parent``
  columns: the table reader maps only canonical columns, so the label columns are read here
  from the raw file with polars and joined on (article id, comment id).
* **A separate labels table** (``--labels FILE``: CSV with ``article_id, comment_id,
  stance_parent, stance_article``), for licensed corpora whose text must not be copied into
  the project: the text is read from the user's copy at evaluation time.
* **Adapters** for two JSONL corpora, converted on the fly (never copied): RumourEval 2017
  (English tweets; the source tweet plays the article, labels toward it; folds by ``event``)
  and DAST (Danish Reddit; the submission plays the article; labels toward the submission
  and the parent; folds by ``topic``).

Label spellings are normalised: "Supporting", "support", "SUPPORT" -> support, and so on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core import schemas
from analyzer.core.errors import FormatError, UsageError
from analyzer.stages.stance.cuemodel import CueDecision
from analyzer.stages.stance.inputs import CommentInput, build_inputs
from analyzer.stages.stance.inventory import Inventory, load_inventories
from analyzer.tree.forest import Forest, build_forest

TARGETS = ("article", "parent")
_LABELS = {
    "support": "support", "supporting": "support", "supports": "support", "s": "support", "agree": "support",
    "deny": "deny", "denying": "deny", "denies": "deny", "d": "deny", "disagree": "deny",
    "query": "query", "querying": "query", "queries": "query", "q": "query", "question": "query",
    "comment": "comment", "commenting": "comment", "comments": "comment", "c": "comment",
}
_TABLE_SUFFIXES = {".csv", ".tsv", ".tab", ".jsonl", ".ndjson", ".parquet", ".pq"}
_NORMALISE_NAME = re.compile(r"[^a-z0-9]")
_COMMENT_ID_NAMES = ("commentid", "id", "idpost", "replyid")
_ARTICLE_ID_NAMES = ("articleid", "article", "idarticle", "threadid", "postid", "post", "linkid", "storyid", "submissionid")


def normalise_label(value: Any) -> str | None:
    """A canonical SDQC label, None for empty; raises ValueError for anything else.

    Example:
        >>> [normalise_label(v) for v in ("Supporting", "SUPPORT", "Denying", "querying", " comment ", "")]
        ['support', 'support', 'deny', 'query', 'comment', None]
    """
    if value is None:
        return None
    text = str(value).strip().lower()
    if not text or text in ("none", "null", "nan", "-", "n/a"):
        return None
    if text not in _LABELS:
        raise ValueError(f"unknown stance label {value!r}")
    return _LABELS[text]


@dataclass(slots=True)
class GoldSet:
    """Labelled comments with everything a model needs."""

    inputs: list[CommentInput] = field(default_factory=list)
    decisions: list[CueDecision] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    labels: dict[str, list[str | None]] = field(default_factory=lambda: {t: [] for t in TARGETS})
    groups: dict[str, list[str]] = field(default_factory=lambda: {"article": [], "event": [], "topic": []})
    thread_hashes: list[str] = field(default_factory=list)  # one per comment: the hash of its thread
    sources: list[dict[str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.inputs)

    def extend(self, other: GoldSet) -> None:
        self.inputs += other.inputs
        self.decisions += other.decisions
        self.samples += other.samples
        for t in TARGETS:
            self.labels[t] += other.labels[t]
        for g in self.groups:
            self.groups[g] += other.groups[g]
        self.thread_hashes += other.thread_hashes
        self.sources += other.sources

    def subset(self, keep: Sequence[int]) -> GoldSet:
        out = GoldSet(
            [self.inputs[i] for i in keep], [self.decisions[i] for i in keep], [self.samples[i] for i in keep],
            {t: [v[i] for i in keep] for t, v in self.labels.items()}, {g: [v[i] for i in keep] for g, v in self.groups.items()},
            [self.thread_hashes[i] for i in keep], list(self.sources),
        )
        return out


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_gold(
    paths: Sequence[str | Path],
    *,
    labels_file: str | Path | None = None,
    mapping: Mapping[str, str] | None = None,
    inventories: dict[str, Inventory] | None = None,
    stage_settings: dict[str, Any] | None = None,
) -> GoldSet:
    """Read gold inputs into one :class:`GoldSet` (comments without any label are dropped).

    Args:
        paths: inputs (files or folders ``analyse`` accepts, or RumourEval/DAST JSONL files).
        labels_file: a separate labels table keyed by (article_id, comment_id).
        mapping: ``--map`` pairs for the readers; ``stance_article=COL`` / ``stance_parent=COL``
            name label columns of a table.
        inventories: cue inventories (default: the packaged ones).
        stage_settings: settings for the nlp stage (default: offline).
    """
    inventories = inventories if inventories is not None else load_inventories()
    mapping = dict(mapping or {})
    label_columns = {t: mapping.pop(f"stance_{t}", None) for t in TARGETS}
    extra = _read_labels_file(Path(labels_file)) if labels_file else {}
    gold = GoldSet()
    generic: list[Path] = []
    for raw in paths:
        path = Path(raw)
        kind = _corpus_kind(path)
        if kind == "rumoureval":
            gold.extend(_from_forest(*_rumoureval(path), inventories=inventories, extra=extra, path=path))
        elif kind == "dast":
            gold.extend(_from_forest(*_dast(path), inventories=inventories, extra=extra, path=path))
        else:
            generic.append(path)
    if generic:
        gold.extend(_generic(generic, mapping, label_columns, extra, inventories, stage_settings))
    if not len(gold):
        raise UsageError("no labelled comments found in the gold inputs (need stance_article / stance_parent labels)")
    return gold


# --- Adapters -----------------------------------------------------------------------------


def _first_record(path: Path) -> dict[str, Any] | None:
    if path.suffix.lower() not in (".jsonl", ".ndjson") or not path.is_file():
        return None
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                try:
                    record = json.loads(line)
                except ValueError:
                    return None
                return record if isinstance(record, dict) else None
    return None


def _corpus_kind(path: Path) -> str:
    record = _first_record(path)
    if not record or not isinstance(record.get("nodes"), list):
        return "generic"
    nodes = record["nodes"]
    if "event" in record and any(isinstance(n, dict) and "stance" in n for n in nodes):
        return "rumoureval"
    if any(isinstance(n, dict) and "stance_vs_submission" in n for n in nodes):
        return "dast"
    return "generic"


def _records(path: Path) -> list[tuple[int, dict[str, Any]]]:
    out = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                raise FormatError(path, "one JSON object per line", line=number, found="invalid JSON") from None
            if not isinstance(record, dict) or not isinstance(record.get("nodes"), list):
                raise FormatError(path, "a thread object with a 'nodes' list", line=number)
            out.append((number, record))
    return out


_Adapted = tuple[pl.DataFrame, pl.DataFrame, dict[tuple[str, str], dict[str, str | None]], dict[str, dict[str, str]]]


def _rumoureval(path: Path) -> _Adapted:
    """RumourEval 2017: first node = source tweet = the article; reply labels toward it."""
    comments: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    labels: dict[tuple[str, str], dict[str, str | None]] = {}
    groups: dict[str, dict[str, str]] = {}
    for number, record in _records(path):
        nodes = [n for n in record["nodes"] if isinstance(n, dict) and n.get("id") is not None]
        if not nodes:
            continue
        source = nodes[0]
        aid = str(record.get("thread_id") or source["id"])
        articles.append({"article_id": aid, "body": source.get("text") or "", "language": "en", "source_path": str(path)})
        groups[aid] = {"event": str(record.get("event") or ""), "topic": str(record.get("event") or "")}
        for order, node in enumerate(nodes[1:]):
            parent = node.get("parent")
            cid = str(node["id"])
            comments.append({
                "article_id": aid, "comment_id": cid,
                "parent_id": None if parent is None or str(parent) == str(source["id"]) else str(parent),
                "text": node.get("text") or "", "kind": "comment", "source_path": str(path), "source_line": number,
                "src_order": len(comments) + order, "edge_confidence": 1.0,
            })
            labels[(aid, cid)] = {"article": _label(node.get("stance"), path, number), "parent": None}
    return _frames(comments, articles, labels, groups)


def _dast(path: Path) -> _Adapted:
    """DAST: the submission (title + text) = the article; labels toward it and the parent."""
    comments: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    labels: dict[tuple[str, str], dict[str, str | None]] = {}
    groups: dict[str, dict[str, str]] = {}
    for number, record in _records(path):
        aid = str(record.get("submission_id") or f"line{number}")
        body = "\n\n".join(x for x in (record.get("title"), record.get("text")) if x)
        articles.append({"article_id": aid, "title": record.get("title"), "body": body, "language": "da",
                         "url": record.get("article_url"), "source_path": str(path)})
        groups[aid] = {"event": str(record.get("topic") or ""), "topic": str(record.get("topic") or "")}
        for node in record["nodes"]:
            if not isinstance(node, dict) or node.get("id") is None:
                continue
            cid = str(node["id"])
            deleted = bool(node.get("is_deleted"))
            comments.append({
                "article_id": aid, "comment_id": cid, "parent_id": None if node.get("parent") is None else str(node["parent"]),
                "text": node.get("text") or "", "kind": "deleted" if deleted else "comment", "source_path": str(path),
                "source_line": number, "src_order": len(comments), "edge_confidence": 1.0,
            })
            labels[(aid, cid)] = {
                "article": _label(node.get("stance_vs_submission"), path, number),
                "parent": _label(node.get("stance_vs_parent"), path, number),
            }
    return _frames(comments, articles, labels, groups)


def _label(value: Any, path: Path, line: int | None) -> str | None:
    try:
        return normalise_label(value)
    except ValueError as exc:
        raise FormatError(path, "stance labels support/deny/query/comment (any spelling)", line=line, found=str(exc)) from None


def _frames(
    comments: list[dict[str, Any]], articles: list[dict[str, Any]],
    labels: dict[tuple[str, str], dict[str, str | None]], groups: dict[str, dict[str, str]],
) -> _Adapted:
    raw_comments = schemas.conform(pl.DataFrame(comments, infer_schema_length=None), schemas.RAW_COMMENTS) if comments \
        else schemas.empty(schemas.RAW_COMMENTS)
    raw_articles = schemas.conform(pl.DataFrame(articles, infer_schema_length=None), schemas.RAW_ARTICLES)
    return raw_comments, raw_articles, labels, groups


def _from_forest(
    raw_comments: pl.DataFrame, raw_articles: pl.DataFrame, labels: dict[tuple[str, str], dict[str, str | None]],
    groups: dict[str, dict[str, str]], *, inventories: dict[str, Inventory], extra: Mapping[tuple[str, str], dict[str, str | None]],
    path: Path,
) -> GoldSet:
    from analyzer.stages.framing.quotes import compute_quotes

    forest = build_forest(raw_comments, raw_articles)
    quotes, own, _, _, _ = compute_quotes(forest, None)
    frames = {"quotes.parquet": quotes, "own_texts.parquet": own}
    merged = dict(labels)
    for key, value in extra.items():
        merged[key] = {t: value.get(t) or merged.get(key, {}).get(t) for t in TARGETS}
    gold = _assemble(forest, frames, merged, groups, inventories)
    gold.sources.append({"path": str(path), "sha256": sha256_file(path)})
    return gold


def _assemble(
    forest: Forest, frames: Mapping[str, pl.DataFrame], labels: Mapping[tuple[str, str], dict[str, str | None]],
    groups: Mapping[str, dict[str, str]], inventories: dict[str, Inventory],
) -> GoldSet:
    from analyzer.stages.stance.stage import cue_decisions, samples_for

    inputs = build_inputs(forest, frames)
    decisions = cue_decisions(inputs, inventories)
    samples = samples_for(inputs, decisions)
    hashes = _thread_hashes(forest)
    gold = GoldSet()
    for item, decision, s in zip(inputs, decisions, samples, strict=True):
        found = labels.get((item.article_id, item.comment_id)) or labels.get(("", item.comment_id))
        if not found or not any(found.get(t) for t in TARGETS):
            continue
        gold.inputs.append(item)
        gold.decisions.append(decision)
        gold.samples.append(s)
        for t in TARGETS:
            value = found.get(t)
            if t == "parent" and value is None and item.top_level:
                value = found.get("article")  # a top-level comment's parent is the article
            gold.labels[t].append(value)
        group = groups.get(item.article_id, {})
        gold.groups["article"].append(item.article_id)
        gold.groups["event"].append(group.get("event") or item.article_id)
        gold.groups["topic"].append(group.get("topic") or item.article_id)
        gold.thread_hashes.append(hashes.get(item.article_id, ""))
    return gold


def _thread_hashes(forest: Forest) -> dict[str, str]:
    """sha256 of each thread's comment ids and texts: recognises training threads later."""
    out: dict[str, Any] = {}
    for aid, cid, text in forest.comments.select("article_id", "comment_id", "text").iter_rows():
        digest = out.setdefault(aid, hashlib.sha256(aid.encode("utf-8", "replace")))
        digest.update(f"\x00{cid}\x00{text or ''}".encode("utf-8", "replace"))
    return {aid: d.hexdigest()[:16] for aid, d in out.items()}


# --- Our own inputs and labels tables --------------------------------------------------------


def _read_table(path: Path) -> pl.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            return pl.read_parquet(path).cast(pl.String)
        if suffix in (".jsonl", ".ndjson"):
            return pl.read_ndjson(path, infer_schema_length=None).select(pl.all().cast(pl.String))
        separator = "\t" if suffix in (".tsv", ".tab") else ","
        return pl.read_csv(path, separator=separator, infer_schema_length=0, encoding="utf8-lossy")
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        raise FormatError(path, "a readable labels table", found=f"{type(exc).__name__}: {str(exc)[:200]}") from None


def _column(frame: pl.DataFrame, wanted: str | None, names: Sequence[str]) -> str | None:
    if wanted:
        return wanted if wanted in frame.columns else None
    by_norm = {_NORMALISE_NAME.sub("", c.lower()): c for c in frame.columns}
    return next((by_norm[n] for n in names if n in by_norm), None)


def _labels_from_table(
    path: Path, frame: pl.DataFrame, mapping: Mapping[str, str], label_columns: Mapping[str, str | None],
) -> dict[tuple[str, str], dict[str, str | None]]:
    cid_col = _column(frame, mapping.get("comment_id"), _COMMENT_ID_NAMES)
    aid_col = _column(frame, mapping.get("article_id"), _ARTICLE_ID_NAMES)
    cols = {t: _column(frame, label_columns.get(t), (f"stance{t}", f"stancevs{t}")) for t in TARGETS}
    if cid_col is None or not any(cols.values()):
        return {}
    out: dict[tuple[str, str], dict[str, str | None]] = {}
    for line, row in enumerate(frame.iter_rows(named=True), start=2):
        cid = row.get(cid_col)
        if cid is None:
            continue
        key = (str(row[aid_col]) if aid_col and row.get(aid_col) is not None else "", str(cid))
        out[key] = {t: _label(row.get(c), path, line) if c else None for t, c in cols.items()}
    return out


def _read_labels_file(path: Path) -> dict[tuple[str, str], dict[str, str | None]]:
    if not path.is_file():
        raise UsageError(f"labels file {path} not found")
    frame = _read_table(path)
    missing = [c for c in ("article_id", "comment_id") if c not in frame.columns]
    if missing or not any(f"stance_{t}" in frame.columns for t in TARGETS):
        raise FormatError(path, "columns article_id, comment_id and stance_parent and/or stance_article",
                          line=1, found=f"columns {frame.columns}")
    return _labels_from_table(path, frame, {"comment_id": "comment_id", "article_id": "article_id"},
                              {t: f"stance_{t}" if f"stance_{t}" in frame.columns else None for t in TARGETS})


def _generic(
    paths: list[Path], mapping: dict[str, str], label_columns: Mapping[str, str | None],
    extra: Mapping[tuple[str, str], dict[str, str | None]], inventories: dict[str, Inventory],
    stage_settings: dict[str, Any] | None,
) -> GoldSet:
    from analyzer.ingest import read
    from analyzer.ingest.base import ReadOptions
    from analyzer.stages import select
    from analyzer.stages.context import StageContext
    from analyzer.stages.settings import check_settings
    from analyzer.tree.limits import build_limited_forest

    # The stages up to quotes, as analyse() runs them (same reader, same forest, same stages),
    # without its accounting and run folder: a gold set needs the ids and the own texts only,
    # and the stage layer must not import the pipeline above it.
    settings = stage_settings if stage_settings is not None else {"nlp": "offline"}
    check_settings(settings)
    ingested = read(list(paths), options=ReadOptions(mapping=mapping))
    forest, _ = build_limited_forest(ingested.comments, ingested.articles, reader_issues=ingested.issues)
    context = StageContext(forest=forest, ingested=ingested, settings=settings)
    for stage in select("quotes")[0]:
        context.frames.update(stage.load()(context).frames)
    labels: dict[tuple[str, str], dict[str, str | None]] = {}
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() in _TABLE_SUFFIXES:
                labels.update(_labels_from_table(file, _read_table(file), mapping, label_columns))
    # Keys without an article id (a table without one) match any article: resolve them.
    for key, value in extra.items():
        labels[key] = {t: value.get(t) or labels.get(key, {}).get(t) for t in TARGETS}
    gold = _assemble(forest, context.frames, labels, {}, inventories)
    gold.sources += [{"path": r.path, "sha256": r.sha256} for r in ingested.inputs]
    return gold
