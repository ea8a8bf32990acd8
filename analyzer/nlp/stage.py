"""The ``nlp`` stage: sentences.parquet, tokens.parquet, language and tone metrics.

Settings (``StageContext.settings``; the CLI's ``--nlp`` and ``--models``):

* ``nlp``: ``auto`` (default) | ``stanza`` | ``offline``.  ``auto`` uses stanza models for
  a language when they are installed completely, else the offline pipeline; ``stanza``
  insists on models (a clear error names the download command); ``offline`` never loads a
  model file.
* ``models_dir``: the models folder (else ``STANZA_RESOURCES_DIR``, else our cache folder).
* ``nlp_ner`` (bool, default False): add stanza's NER processor in stanza mode.
* ``nlp_max_chars`` (int): characters per document analysed (default 100,000).
* ``nlp_gpu`` (bool | None): None = a GPU when present.

The manifest records which mode produced the numbers: ``mode`` (``stanza`` | ``offline`` |
``mixed``), the pipeline of each language, the models folder and component versions.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import polars as pl

from analyzer import schemas
from analyzer.errors import UsageError
from analyzer.model import ParseIssue
from analyzer.nlp import models
from analyzer.nlp.annotate import DEFAULT_MAX_CHARS, DocInput, Runner, annotate, stanza_runner
from analyzer.nlp.langid import UNKNOWN, document_language
from analyzer.nlp.metrics import compute_metrics
from analyzer.nlp.offline import OFFLINE_LANGUAGES
from analyzer.stages import StageContext, StageResult

MODES = ("auto", "stanza", "offline")
DEFAULT_LANGUAGE = "de"  # German first: the language of an article that says nothing
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NlpSettings:
    mode: str = "auto"
    models_dir: Path = Path()
    ner: bool = False
    max_chars: int = DEFAULT_MAX_CHARS
    use_gpu: bool | None = None

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> NlpSettings:
        mode = str(settings.get("nlp") or "auto").lower()
        if mode not in MODES:
            raise UsageError(f"--nlp must be one of {', '.join(MODES)}, got {mode!r}")
        max_chars = int(settings.get("nlp_max_chars") or DEFAULT_MAX_CHARS)
        if max_chars < 1:
            raise UsageError(f"nlp_max_chars must be positive, got {max_chars}")
        return cls(
            mode=mode,
            models_dir=models.resolve_models_dir(settings.get("models_dir")),
            ner=bool(settings.get("nlp_ner", False)),
            max_chars=max_chars,
            use_gpu=settings.get("nlp_gpu"),
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
    visible = forest.comments.filter(pl.col("kind") == "comment").select(
        "article_id", "comment_id", "text", "source_path", "source_line"
    )
    kept_ids: list[tuple[str, str]] = []
    for row in visible.iter_rows(named=True):
        text = row["text"] or ""
        if not text.strip():
            issues.append(
                ParseIssue(
                    code="nlp-empty-text", severity="info", detail="visible comment without text; not analysed",
                    path=row["source_path"], line=row["source_line"], article_id=row["article_id"], comment_id=row["comment_id"],
                )
            )
            continue
        default = article_lang.get(row["article_id"], DEFAULT_LANGUAGE)
        docs.append(DocInput(row["article_id"], row["comment_id"], text, document_language(text, default=default)))
        kept_ids.append((row["article_id"], row["comment_id"]))
    analysed = pl.DataFrame(
        {"article_id": [a for a, _ in kept_ids], "comment_id": [c for _, c in kept_ids]},
        schema={"article_id": pl.String, "comment_id": pl.String},
    )
    return docs, analysed, issues


def run_stage(ctx: StageContext) -> StageResult:
    """Annotate the article bodies and visible comments of a run.

    Returns frames ``sentences.parquet`` and ``tokens.parquet``, thread and comment
    metrics (:mod:`analyzer.nlp.metrics`), issues for texts not (fully) analysed, and the
    manifest entry naming the mode.
    """
    settings = NlpSettings.from_settings(ctx.settings)
    docs, analysed, issues = _documents(ctx)
    planner = _Planner(settings)
    annotation = annotate(docs, planner.runners(), max_chars=settings.max_chars)
    issues.extend(planner.issues)
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
    used = dict(planner.used)
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
        "device": sorted(set(planner.devices.values())) or ["cpu"],
        "ner": settings.ner and "stanza" in kinds,
        "components": components(used),
        "n_documents": len(docs),
        "n_sentences": annotation.sentences.height,
        "n_tokens": annotation.tokens.height,
    }
    return StageResult(
        frames={"sentences.parquet": annotation.sentences, "tokens.parquet": annotation.tokens},
        metrics=metrics,
        issues=issues,
        manifest=manifest,
    )
