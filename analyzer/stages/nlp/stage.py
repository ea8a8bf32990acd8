"""The ``nlp`` stage: sentences.parquet, tokens.parquet, language and tone metrics.

Settings (declared in :class:`analyzer.stages.declarations.nlp.NlpStageSettings`; the CLI's
``--nlp`` and ``--models``):

* ``nlp``: ``auto`` (default) | ``stanza`` | ``offline``.  ``auto`` uses stanza models for
  a language when they are installed completely, else the offline pipeline; ``stanza``
  insists on models (a clear error names the download command); ``offline`` never loads a
  model file.
* ``models_dir``: the models folder (else ``STANZA_RESOURCES_DIR``, else our cache folder).
* ``nlp_ner`` (bool, default False): add stanza's NER processor in stanza mode.
* ``nlp_max_chars`` (int): characters per document analysed (default 100,000).
* ``nlp_gpu`` (bool | None): None = a GPU when present.
* ``nlp_tokenizer``: ``regex`` (default) | ``somajo``: the offline direct runner's tokenizer
  and sentence splitter (:mod:`analyzer.stages.nlp.regex_tokenizer`, measured against SoMaJo
  in docs/performance-language.md; ``somajo`` gives the earlier output exactly).
* ``engine`` and the ``ray_*`` keys: where the annotation runs (:mod:`analyzer.engines`).

The per-document work (:func:`analyzer.stages.nlp.annotate.annotate`) runs in batches through the
engine: :class:`NlpBatchWorker` builds the pipelines once per worker and packs each batch's
two frames, in Arrow IPC bytes, into one output row (sentences and tokens differ in shape,
and an engine's output is one table; IPC keeps every dtype exact, so the frames put back
together on the driver equal a run in one piece).  Inside a batch, documents are named by
their position in the whole run, so sentence and token order never depends on where the
batches were cut.

The manifest records which mode produced the numbers: ``mode`` (``stanza`` | ``offline`` |
``mixed``), the pipeline of each language, the models folder and component versions.
"""

from __future__ import annotations

import functools
import io
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core import defaults, schemas
from analyzer.core.records import ParseIssue
from analyzer.core.settings import build
from analyzer.core.textkinds import ANALYSED_KINDS, is_analysed
from analyzer.engines import Engine, make_engine
from analyzer.engines.options import ExecutionSettings
from analyzer.stages.context import StageContext, StageResult
from analyzer.stages.declarations.nlp import NlpStageSettings
from analyzer.stages.nlp import models
from analyzer.stages.nlp.annotate import (
    DEFAULT_MAX_CHARS,
    Annotation,
    DocInput,
    Runner,
    annotate,
    stanza_runner,
)
from analyzer.stages.nlp.cache import KEY_COL, AnnotationCache, config_key, doc_key
from analyzer.stages.nlp.fast import offline_runner
from analyzer.stages.nlp.langid import UNKNOWN, document_language, document_languages
from analyzer.stages.nlp.metrics import compute_metrics
from analyzer.stages.nlp.offline import OFFLINE_LANGUAGES

MODES = ("auto", "stanza", "offline")
OFFLINE_RUNNERS = ("direct", "stanza")
TOKENIZERS = ("regex", "somajo")
DEFAULT_LANGUAGE = "de"  # German first: the language of an article that says nothing
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NlpSettings:
    mode: str = defaults.NLP_MODE
    models_dir: Path = Path()
    ner: bool = defaults.NLP_NER
    max_chars: int = DEFAULT_MAX_CHARS
    use_gpu: bool | None = None
    # "direct": the offline components called without stanza's Document objects (same
    # output, measured: docs/performance-language.md); "stanza": through stanza's Pipeline.
    offline_runner: str = defaults.NLP_OFFLINE_RUNNER
    # Worker processes of the local engine for the annotation (None = one per core).
    workers: int | None = None
    # Folder of the annotation cache (:mod:`analyzer.stages.nlp.cache`); None = no cache.
    cache_dir: Path | None = None
    # The direct offline runner's tokenizer: "regex" (column-wise, measured against SoMaJo)
    # or "somajo" (SoMaJo itself; the stanza-hosted runner always uses SoMaJo).
    tokenizer: str = defaults.NLP_TOKENIZER

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> NlpSettings:
        """From flat settings (tools and tests); the stage itself uses :meth:`from_typed`."""
        return cls.from_typed(build(NlpStageSettings, settings), build(ExecutionSettings, settings))

    @classmethod
    def from_typed(cls, stage: NlpStageSettings, execution: ExecutionSettings) -> NlpSettings:
        """The resolved options from the declared settings (checked when they were built)."""
        return cls(
            tokenizer=stage.nlp_tokenizer,
            cache_dir=stage.nlp_cache,
            offline_runner=stage.nlp_offline_runner,
            workers=stage.nlp_workers,
            mode=stage.nlp,
            models_dir=models.resolve_models_dir(stage.models_dir),
            ner=stage.nlp_ner,
            max_chars=stage.nlp_max_chars,
            use_gpu=execution.nlp_gpu,
        )


class _Planner:
    """Decides the pipeline of each language and builds it on first use."""

    def __init__(self, settings: NlpSettings) -> None:
        self.settings = settings
        self.used: dict[str, str] = {}  # lang -> "stanza" | "offline"
        self.devices: dict[str, str] = {}
        self.issues: list[ParseIssue] = []
        languages = set(OFFLINE_LANGUAGES)
        if settings.mode != "offline":
            languages |= set(models.installed_languages(settings.models_dir))
        self.planned: dict[str, str] = {}
        for lang in sorted(languages):
            if settings.mode == "offline":
                self.planned[lang] = "offline"
            elif settings.mode == "stanza":
                self.planned[lang] = "stanza"
            elif models.language_status(lang, settings.models_dir, ner=settings.ner).complete:
                self.planned[lang] = "stanza"
            elif lang in OFFLINE_LANGUAGES:
                self.planned[lang] = "offline"

    def runners(self) -> dict[str, Runner]:
        return {lang: self._lazy(lang) for lang in self.planned}

    def _lazy(self, lang: str) -> Runner:
        def run(texts: Sequence[str]) -> Sequence[Any]:
            if self.planned[lang] == "offline" and self.settings.offline_runner == "direct":
                self.used[lang] = "offline"
                self.devices[lang] = "cpu"
                return offline_runner(lang, tokenizer=self.settings.tokenizer)(texts)
            return stanza_runner(self._pipeline(lang))(texts)

        return run

    def _pipeline(self, lang: str) -> Any:
        s = self.settings
        mode = self.planned[lang]
        try:
            pipeline = models.load_pipeline(lang, mode=mode, models_dir=s.models_dir, ner=s.ner, use_gpu=s.use_gpu)
        except models.ModelsMissingError as exc:
            if s.mode != "auto" or lang not in OFFLINE_LANGUAGES:
                raise
            # Installed but broken (a partial download): say so, and carry on offline.
            self.issues.append(ParseIssue(code="nlp-models-unusable", severity="warning", detail=f"{exc}; used the offline pipeline for {lang!r}"))
            mode = "offline"
            pipeline = models.load_pipeline(lang, mode=mode, models_dir=s.models_dir)
        self.used[lang] = mode
        self.devices[lang] = models.pipeline_device(pipeline)
        return pipeline


# Columns of the engine's input (one row per document) and output (one row per batch).
_BATCH_INPUT = {"doc": pl.Int64, "article_id": pl.String, "text": pl.String, "default_lang": pl.String, "lang_is_own": pl.Boolean}
_BATCH_OUTPUT = {"sentences": pl.Binary, "tokens": pl.Binary, "meta": pl.String}


def _ipc(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer)
    return buffer.getvalue()


class NlpBatchWorker:
    """The nlp stage's batch function: one per engine worker, pipelines built once.

    Args:
        settings: the stage settings (the models folder must exist where the worker runs).
    """

    def __init__(self, settings: NlpSettings) -> None:
        self.settings = settings
        self.planner = _Planner(settings)
        self.runners = self.planner.runners()
        self._issues_sent = 0

    def __call__(self, batch: pl.DataFrame) -> pl.DataFrame:
        """Documents (columns of ``_BATCH_INPUT``) in, one packed row out."""
        docs = [
            # doc_id = the document's position in the whole run: the driver sorts on it.
            DocInput(article_id, str(doc), text, lang, own)
            for doc, article_id, text, lang, own in batch.select(*_BATCH_INPUT).iter_rows()
        ]
        annotation = annotate(docs, self.runners, max_chars=self.settings.max_chars)
        new_issues = self.planner.issues[self._issues_sent :]
        self._issues_sent = len(self.planner.issues)
        meta = {
            "truncated": [int(docs[i].doc_id) for i in annotation.truncated],
            "lines_by_lang": annotation.lines_by_lang,
            "lines_per_doc": {docs[i].doc_id: n for i, n in enumerate(annotation.lines_per_doc)},
            "used": self.planner.used,
            "devices": self.planner.devices,
            "issues": [asdict(issue) for issue in new_issues],
        }
        return pl.DataFrame(
            {"sentences": [_ipc(annotation.sentences)], "tokens": [_ipc(annotation.tokens)], "meta": [json.dumps(meta)]},
            schema=_BATCH_OUTPUT,
        )


@dataclass(slots=True)
class _Merged:
    annotation: Annotation
    used: dict[str, str]
    devices: dict[str, str]
    issues: list[ParseIssue]


def _restore(frame: pl.DataFrame, doc_ids: pl.Series, keys: Sequence[str], schema: pl.Schema) -> pl.DataFrame:
    """Batch-local names back to the run's (``doc_id`` held the run-wide position)."""
    ordered = frame.with_columns(_pos=pl.col("doc_id").cast(pl.Int64)).sort("_pos", *keys, maintain_order=True)
    restored = ordered.with_columns(doc_id=doc_ids.gather(ordered.get_column("_pos")))
    return schemas.check(restored.select(schema.names()), schema, "nlp batches")


def annotate_with(engine: Engine, docs: Sequence[DocInput], settings: NlpSettings) -> _Merged:
    """:func:`annotate` over ``docs`` through ``engine``, merged as if run in one piece."""
    table = pl.DataFrame(
        {
            "doc": range(len(docs)),
            "article_id": [d.article_id for d in docs],
            "text": [d.text for d in docs],
            "default_lang": [d.default_lang for d in docs],
            "lang_is_own": [d.lang_is_own for d in docs],
        },
        schema=_BATCH_INPUT,
    )
    packed = engine.map_batches(functools.partial(NlpBatchWorker, settings), table, use_gpu=settings.use_gpu is not False)
    sentences = [pl.read_ipc(io.BytesIO(b)) for b in packed.get_column("sentences").to_list()]
    tokens = [pl.read_ipc(io.BytesIO(b)) for b in packed.get_column("tokens").to_list()]
    doc_ids = pl.Series("doc_id", [d.doc_id for d in docs], dtype=pl.String)
    merged = _Merged(
        Annotation(
            _restore(pl.concat(sentences, how="vertical"), doc_ids, ["sent_idx"], schemas.SENTENCES),
            _restore(pl.concat(tokens, how="vertical"), doc_ids, ["sent_idx", "tok_idx"], schemas.TOKENS),
        ),
        used={},
        devices={},
        issues=[],
    )
    seen: set[tuple[str, str | None]] = set()
    lines_per_doc: dict[int, dict[str, int]] = {}
    for text in packed.get_column("meta").to_list():
        meta = json.loads(text)
        merged.annotation.truncated.extend(meta["truncated"])
        for lang, n in meta["lines_by_lang"].items():
            merged.annotation.lines_by_lang[lang] = merged.annotation.lines_by_lang.get(lang, 0) + n
        for pos, n in meta.get("lines_per_doc", {}).items():
            lines_per_doc[int(pos)] = n
        merged.used.update(meta["used"])
        merged.devices.update(meta["devices"])
        for fields in meta["issues"]:
            issue = ParseIssue(**fields)
            if (issue.code, issue.detail) not in seen:  # every worker says it once
                seen.add((issue.code, issue.detail))
                merged.issues.append(issue)
    merged.annotation.truncated.sort()
    merged.annotation.lines_per_doc = [lines_per_doc.get(i, {}) for i in range(len(docs))]
    return merged


def annotate_cached(
    engine: Engine, docs: Sequence[DocInput], settings: NlpSettings, cache: AnnotationCache, planned: Mapping[str, str]
) -> tuple[_Merged, int]:
    """:func:`annotate_with`, annotating only texts not in ``cache`` (and each distinct text once).

    Returns the merged annotation, equal to :func:`annotate_with` over all ``docs``, and the
    number of documents taken from the cache.
    """
    keys = [doc_key(d.text, d.default_lang) for d in docs]
    cached = cache.lookup(keys)
    hits = set(cached.docs.get_column(KEY_COL).to_list()) if cached is not None else set()
    first_of: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key not in hits:
            first_of.setdefault(key, i)
    # Each distinct missing text once, named by its key (the rows are stored under it).
    missing = [DocInput(docs[i].article_id, key, docs[i].text, docs[i].default_lang, docs[i].lang_is_own) for key, i in first_of.items()]
    merged = annotate_with(engine, missing, settings) if missing else _Merged(Annotation(
        schemas.SENTENCES.to_frame(), schemas.TOKENS.to_frame()), {}, {}, [])
    new = merged.annotation
    new_sent = new.sentences.drop("article_id").rename({"doc_id": KEY_COL})
    new_tok = new.tokens.drop("article_id").rename({"doc_id": KEY_COL})
    new_docs = pl.DataFrame(
        {KEY_COL: [d.doc_id for d in missing], "lines_by_lang": [json.dumps(n, sort_keys=True) for n in new.lines_per_doc]},
        schema={KEY_COL: pl.String, "lines_by_lang": pl.String},
    )
    cache.store(new_sent, new_tok, new_docs)
    if cached is not None:
        new_sent = pl.concat([cached.sentences.select(new_sent.columns), new_sent], how="vertical")
        new_tok = pl.concat([cached.tokens.select(new_tok.columns), new_tok], how="vertical")
        new_docs = pl.concat([cached.docs.select(new_docs.columns), new_docs], how="vertical")
    run_docs = pl.DataFrame(
        {"_pos": range(len(docs)), KEY_COL: keys, "article_id": [d.article_id for d in docs], "doc_id": [d.doc_id for d in docs]},
        schema={"_pos": pl.Int64, KEY_COL: pl.String, "article_id": pl.String, "doc_id": pl.String},
    )
    sentences = run_docs.join(new_sent, on=KEY_COL, how="inner").sort("_pos", "sent_idx")
    tokens = run_docs.join(new_tok, on=KEY_COL, how="inner").sort("_pos", "sent_idx", "tok_idx")
    lines_of = {k: json.loads(v) for k, v in new_docs.iter_rows()}
    lines_per_doc = [lines_of.get(k, {}) for k in keys]
    lines_by_lang: dict[str, int] = {}
    for counts in lines_per_doc:
        for lang, n in counts.items():
            lines_by_lang[lang] = lines_by_lang.get(lang, 0) + n
    annotation = Annotation(
        schemas.check(sentences.select(schemas.SENTENCES.names()), schemas.SENTENCES, "cached sentences"),
        schemas.check(tokens.select(schemas.TOKENS.names()), schemas.TOKENS, "cached tokens"),
        truncated=[i for i, d in enumerate(docs) if len(d.text) > settings.max_chars],
        lines_by_lang=lines_by_lang,
        lines_per_doc=lines_per_doc,
    )
    used, devices = dict(merged.used), dict(merged.devices)
    for lang in lines_by_lang:
        if lang in planned and lang not in used:  # read from the cache: what would have run
            used[lang] = planned[lang]
            devices[lang] = "cpu" if planned[lang] == "offline" else models.device_for(settings.use_gpu)
    return _Merged(annotation, used, devices, merged.issues), len(docs) - sum(1 for k in keys if k in first_of)


def _tokenizer_used(settings: NlpSettings) -> str:
    """What tokenizes offline lines: the setting for the direct runner, SoMaJo through stanza."""
    return settings.tokenizer if settings.offline_runner == "direct" else "somajo"


def _engine_for(execution: ExecutionSettings, settings: NlpSettings, docs: Sequence[DocInput]) -> Engine:
    """The run's engine; the local one becomes a process pool when the text is worth it.

    Only the local engine with its default single batch is replaced: an explicit
    ``engine_batch_rows`` or Ray keeps what was asked for.  The pool's output equals the
    single process's (documents carry their run-wide position; :func:`annotate_with`).
    """
    from analyzer.engines.local import LocalEngine
    from analyzer.engines.pool import PoolEngine, default_workers, spawn_is_safe, worth_a_pool

    engine = make_engine(execution)
    if not isinstance(engine, LocalEngine) or engine.batch_rows is not None:
        return engine
    if settings.workers is None and not spawn_is_safe():
        return engine  # an unguarded script: workers would run it again (see spawn_is_safe)
    workers = settings.workers or default_workers()
    n_chars = sum(min(len(d.text), settings.max_chars) for d in docs)
    return PoolEngine(workers) if worth_a_pool(n_chars, workers) else engine


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def components(used: Mapping[str, str]) -> dict[str, str | None]:
    """Versions of the components that produced the frames."""
    out: dict[str, str | None] = {"stanza": _version("stanza"), "py3langid": _version("py3langid"), "simplemma": _version("simplemma")}
    if "stanza" in used.values():
        out["torch"] = _version("torch")
    if "offline" in used.values():
        out.update(
            SoMaJo=_version("SoMaJo"),
            HanTa=_version("HanTa"),
            **{"textblob-de (de lexicon)": _version("textblob-de"), "textblob (en lexicon)": _version("textblob")},
        )
    return out


def _normalise_lang(value: str | None) -> str | None:
    """``de-DE`` / ``de_AT`` / ``DE`` -> ``de``; None or junk -> None."""
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def _documents(ctx: StageContext) -> tuple[list[DocInput], pl.DataFrame, list[ParseIssue]]:
    forest = ctx.forest
    issues: list[ParseIssue] = []
    docs: list[DocInput] = []
    article_lang: dict[str, str] = {}
    for row in forest.articles.select("article_id", "body", "language").iter_rows(named=True):
        body = row["body"] or ""
        lang = _normalise_lang(row["language"]) or (
            document_language(body, default=DEFAULT_LANGUAGE) if body.strip() else DEFAULT_LANGUAGE
        )
        article_lang[row["article_id"]] = lang
        if body.strip():
            docs.append(DocInput(row["article_id"], schemas.ARTICLE_DOC_ID, body, lang))
    # Removed comments that kept their text are analysed too (analyzer.core.textkinds); a removed
    # placeholder without text is not an anomaly, a visible comment without text is.
    visible = forest.comments.filter(pl.col("kind").is_in(ANALYSED_KINDS)).select(
        "article_id", "comment_id", "kind", "text", "source_path", "source_line"
    )
    kept_ids: list[tuple[str, str]] = []
    pending: list[tuple[str, str, str]] = []  # (article_id, comment_id, text): languages found together
    for row in visible.iter_rows(named=True):
        text = row["text"] or ""
        if row["kind"] != "comment" and not is_analysed(row["kind"], text):
            continue
        if not text.strip():
            issues.append(
                ParseIssue(
                    code="nlp-empty-text", severity="info", detail="visible comment without text; not analysed",
                    path=row["source_path"], line=row["source_line"], article_id=row["article_id"], comment_id=row["comment_id"],
                )
            )
            continue
        pending.append((row["article_id"], row["comment_id"], text))
        kept_ids.append((row["article_id"], row["comment_id"]))
    languages = document_languages(
        [text for _, _, text in pending], [article_lang.get(article, DEFAULT_LANGUAGE) for article, _, _ in pending],
        remember=True,  # the labels stage asks again for these comments (langid.document_languages)
    )
    docs.extend(
        DocInput(article, comment, text, lang, lang_is_own=True)  # lang = document_language(text, default=...)
        for (article, comment, text), lang in zip(pending, languages, strict=True)
    )
    analysed = pl.DataFrame(
        {"article_id": [a for a, _ in kept_ids], "comment_id": [c for _, c in kept_ids]},
        schema={"article_id": pl.String, "comment_id": pl.String},
    )
    return docs, analysed, issues


def run_stage(ctx: StageContext) -> StageResult:
    """Annotate the article bodies and visible comments of a run.

    Returns frames ``sentences.parquet`` and ``tokens.parquet``, thread and comment
    metrics (:mod:`analyzer.stages.nlp.metrics`), issues for texts not (fully) analysed, and the
    manifest entry naming the mode.
    """
    execution = ctx.settings_of(ExecutionSettings)
    settings = NlpSettings.from_typed(ctx.settings_of(NlpStageSettings), execution)
    docs, analysed, issues = _documents(ctx)
    planner = _Planner(settings)  # what would run, for a run without text
    engine = _engine_for(execution, settings, docs)
    n_cached: int | None = None
    if settings.cache_dir is not None:
        cache = AnnotationCache(
            settings.cache_dir,
            config_key(planner.planned, max_chars=settings.max_chars, models_dir=settings.models_dir,
                       extra={"ner": settings.ner, "tokenizer": _tokenizer_used(settings)}),
        )
        merged, n_cached = annotate_cached(engine, docs, settings, cache, planner.planned)
    else:
        merged = annotate_with(engine, docs, settings)
    annotation = merged.annotation
    issues.extend(merged.issues)
    sources = ctx.forest.comments.select("article_id", "comment_id", "source_path", "source_line")
    source_of = {(r[0], r[1]): (r[2], r[3]) for r in sources.iter_rows()} if annotation.truncated else {}
    for index in annotation.truncated:
        doc = docs[index]
        path, line = source_of.get((doc.article_id, doc.doc_id), (None, None))
        issues.append(
            ParseIssue(
                code="nlp-text-truncated", severity="warning",
                detail=f"{len(doc.text)} characters; only the first {settings.max_chars} were analysed",
                path=path, line=line, article_id=doc.article_id,
                comment_id=None if doc.doc_id == schemas.ARTICLE_DOC_ID else doc.doc_id,
            )
        )
    metrics = compute_metrics(
        annotation.sentences, annotation.tokens, analysed, ctx.forest.articles.get_column("article_id")
    )
    used = merged.used
    kinds = set(used.values())
    if kinds == {"stanza"}:
        mode = "stanza"
    elif kinds == {"offline"}:
        mode = "offline"
    elif kinds:
        mode = "mixed"
    else:  # no text at all: report what would have run for German
        mode = planner.planned.get(DEFAULT_LANGUAGE, "offline")
    languages: dict[str, Any] = {
        lang: {"pipeline": used.get(lang, "fallback"), "lines": n}
        for lang, n in sorted(annotation.lines_by_lang.items())
        if lang != UNKNOWN or n
    }
    manifest = {
        "mode": mode,
        "requested": settings.mode,
        "languages": languages,
        "models_dir": str(settings.models_dir),
        "device": sorted(set(merged.devices.values())) or ["cpu"],
        "ner": settings.ner and "stanza" in kinds,
        "components": components(used),
        "n_documents": len(docs),
        "n_sentences": annotation.sentences.height,
        "n_tokens": annotation.tokens.height,
        "engine": engine.describe(),
        # What cut the offline lines into tokens and sentences (docs/performance-language.md 8.3).
        "tokenizer": _tokenizer_used(settings) if "offline" in kinds or not kinds else None,
    }
    if n_cached is not None:
        manifest["n_documents_from_cache"] = n_cached
    return StageResult(
        frames={"sentences.parquet": annotation.sentences, "tokens.parquet": annotation.tokens},
        metrics=metrics,
        issues=issues,
        manifest=manifest,
    )
