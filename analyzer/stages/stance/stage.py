"""The ``stance`` stage: stance.parquet (toward the parent and the article) and stance metrics.

Settings (declared in :class:`analyzer.stages.declarations.stance.StanceSettings`):

* ``stance_model``: path of a model trained with ``analyzer stance train``, used for every
  comment; ``"cues"`` forces the cue model everywhere.  Without it, German comments get the
  default German model (:mod:`analyzer.stages.stance.german`, ``~/.local/share/analyzer/stance/
  stance-de-omp.json`` or ``$ANALYZER_STANCE_MODELS``) for their stance toward the parent
  comment (replies; it was trained on replies) when it is there and its card shows it beat
  the cue model under leave-one-article-out; top-level comments, other languages, and German without that
  file, get the cue model, and the manifest (``model_note``) and a parse issue say which.
  A model trained for one target only labels that target; the other comes from the cue
  model (parent) or from propagation (article).
* ``stance_model_de``: another path for the default German model.
* ``stance_cues``: ``{language: path}`` of edited cue inventories replacing the packaged ones.
* ``engine`` and the ``ray_*`` keys: where the per-comment cue reading runs
  (:mod:`analyzer.engines`); propagation, the trained model and the aggregates stay here.

Through an engine, comments and decisions travel pickled, one per row: both are nested
dataclasses (quote blocks, cue hits with spans) read only by this run's own processes, and
pickling keeps them exact without a second schema to maintain.  Each batch row carries the
comment's position, and decisions come back in that order whatever the batch boundaries.

Only comments with text get a row (removed ones that kept their text too:
:mod:`analyzer.core.textkinds`).  ``evidence`` is JSON: the cues that fired with their character spans (``span_base`` says whether they index the comment's
``text`` or its own text), the vote sums, the propagation path toward the article, and a
``reason`` when the text gave nothing to judge.
"""

from __future__ import annotations

import functools
import json
import pickle
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core import schemas
from analyzer.core.records import ParseIssue
from analyzer.engines import Engine, make_engine
from analyzer.engines.base import split_rows
from analyzer.engines.local import LocalEngine
from analyzer.engines.options import ExecutionSettings
from analyzer.stages.context import StageContext, StageResult
from analyzer.stages.declarations.stance import StanceSettings
from analyzer.stages.stance import aggregates
from analyzer.stages.stance.cuemodel import CueDecision, analyse_comment
from analyzer.stages.stance.cues import MAX_CHARS
from analyzer.stages.stance.disagreement import (
    Found,
    ReplyFeatures,
    companion,
    packaged_lists,
    reply_features,
    reply_hits,
)
from analyzer.stages.stance.features import sample
from analyzer.stages.stance.inputs import CommentInput, build_inputs
from analyzer.stages.stance.inventory import Inventory, load_inventories
from analyzer.stages.stance.propagation import Node, propagate
from analyzer.tree.forest import Forest

METRICS = aggregates.METRICS


def cue_decisions(inputs: Sequence[CommentInput], inventories: dict[str, Inventory], *,
                  share_walk: bool = False) -> list[CueDecision]:
    """The cue model's reading of every comment.

    ``share_walk``: also match the comment's disagreement lists in the cue model's walk over its
    words (``CueDecision.cues.companion_matches``, read by :func:`samples_for` in this process:
    one walk per comment instead of two).  Not for decisions that travel (the matches are
    ``re.Match`` objects).
    """
    if not share_walk:
        return [analyse_comment(item, inventories) for item in inputs]
    out = []
    for item in inputs:
        lists = packaged_lists(item.lang)
        out.append(analyse_comment(item, inventories, companion=companion(lists) if lists is not None else None))
    return out


Decider = Callable[[Sequence[CommentInput]], list[CueDecision]]
_BATCH_INPUT = {"pos": pl.Int64, "item": pl.Binary}
_BATCH_OUTPUT = {"pos": pl.Int64, "decision": pl.Binary}


class StanceBatchWorker:
    """The stance stage's batch function: cue inventories loaded once per engine worker.

    Args:
        cue_paths: ``{language: path}`` replacing packaged inventories (the files must exist
            where the worker runs).
    """

    def __init__(self, cue_paths: Mapping[str, str | Path] | None = None) -> None:
        self.inventories = load_inventories(dict(cue_paths) if cue_paths else None)

    def __call__(self, batch: pl.DataFrame) -> pl.DataFrame:
        """Pickled comments in, pickled decisions out, with their positions."""
        items = [pickle.loads(b) for b in batch.get_column("item").to_list()]
        decisions = cue_decisions(items, self.inventories)
        return pl.DataFrame(
            {"pos": batch.get_column("pos"), "decision": [pickle.dumps(d) for d in decisions]},
            schema=_BATCH_OUTPUT,
        )


def engine_decisions(engine: Engine, cue_paths: Mapping[str, str | Path] | None, inputs: Sequence[CommentInput]) -> list[CueDecision]:
    """:func:`cue_decisions` through ``engine``, in the order of ``inputs``."""
    if isinstance(engine, LocalEngine):
        # In this process nothing travels: the same worker over the same batches, without
        # pickling every comment and decision there and back (a tenth of the stage's CPU).
        worker = StanceBatchWorker(cue_paths)
        spans = split_rows(len(inputs), engine.batch_rows)
        engine.n_batches = len(spans)
        return [d for offset, length in spans
                for d in cue_decisions(inputs[offset:offset + length], worker.inventories, share_walk=True)]
    table = pl.DataFrame(
        {"pos": range(len(inputs)), "item": [pickle.dumps(item) for item in inputs]}, schema=_BATCH_INPUT
    )
    out = engine.map_batches(functools.partial(StanceBatchWorker, cue_paths), table).sort("pos")
    if out.get_column("pos").to_list() != list(range(len(inputs))):
        raise RuntimeError(f"engine {engine.name!r} returned {out.height} decisions for {len(inputs)} comments")
    return [pickle.loads(b) for b in out.get_column("decision").to_list()]


def samples_for(inputs: Sequence[CommentInput], decisions: Sequence[CueDecision],
                wanted: set[int] | None = None) -> list[dict[str, Any]]:
    """Model inputs of every comment (the parent's cue label is a feature).

    ``wanted``: positions the model will read; the others get only their ``reply_hits`` (the
    evidence every row carries), not the features no model reads.
    """
    by_row = {item.row: d for item, d in zip(inputs, decisions, strict=True)}
    item_by_row = {item.row: item for item in inputs}
    out = []
    for i, (item, d) in enumerate(zip(inputs, decisions, strict=True)):
        found = _found_of(d)
        if wanted is None or i in wanted:
            parent = item_by_row.get(item.parent_row) if item.parent_visible else None
            reply = reply_features_of(item, parent, found)
            s = sample(item, d, by_row.get(item.parent_row) if item.parent_visible else None)
            s["features"].update(reply.features)
        else:  # no model reads its features: only the spans its evidence shows
            s = {}
            reply = reply_hits_of(item, found)
        s["reply_hits"] = reply.evidence()
        out.append(s)
    return out


def _found_of(decision: CueDecision) -> Found | None:
    """The disagreement lists' matches made in the cue model's walk (then released), if any."""
    cues = decision.cues
    if cues.companion_matches is None or cues.companion_text is None:
        return None
    found = (cues.companion_text, cues.companion_matches)
    cues.companion_matches = cues.companion_text = None  # read once: not kept for the rest of the stage
    return found


def reply_features_hits(s: dict[str, Any]) -> list[dict[str, Any]]:
    """The disagreement-list spans of one sample (for the evidence column)."""
    hits = s.get("reply_hits")
    return list(hits) if isinstance(hits, list) else []


def reply_hits_of(item: CommentInput, found: Found | None = None) -> ReplyFeatures:
    """The disagreement-list hits of one comment without its features (what its evidence shows)."""
    lists = packaged_lists(item.lang)
    return ReplyFeatures() if lists is None else reply_hits(item.own, lists, found=found)


def reply_features_of(item: CommentInput, parent: CommentInput | None, found: Found | None = None) -> ReplyFeatures:
    """The disagreement features of one comment (empty when its language has no lists).

    ``found``: the lists' matches from the cue model's walk (:func:`cue_decisions` with
    ``share_walk``), used only when made in the same text.
    """
    lists = packaged_lists(item.lang)
    if lists is None:
        return ReplyFeatures()
    quotes_parent = any(b.target == "parent" for b in item.quote_blocks)
    return reply_features(item.own, parent.own if parent is not None else None, lists, quotes_parent=quotes_parent,
                          found=found)


def label_comments(
    forest: Forest,
    frames: Mapping[str, pl.DataFrame],
    *,
    model: Any = None,
    inventories: dict[str, Inventory] | None = None,
    decide: Decider | None = None,
    model_languages: frozenset[str] | None = None,
    model_replies_only: bool = False,
) -> tuple[pl.DataFrame, list[CommentInput], list[ParseIssue]]:
    """stance.parquet rows for the visible comments of ``forest``.

    Args:
        forest: the reply forest.
        frames: earlier stages' frames (own texts, quotes, links, tokens, sentences).
        model: a :class:`analyzer.stages.stance.trained.StanceModel`, or None for the cue model.
        inventories: cue inventories by language (default: the packaged ones).
        decide: reads the cues of all comments (default: :func:`cue_decisions` here, with
            ``inventories``); :func:`run_stage` passes one that runs through an engine.
        model_languages: apply ``model`` only to comments of these languages (None: all).
        model_replies_only: apply ``model`` only to replies (the German default: it learned
            stance toward a parent comment; top-level comments keep the cue model's reading,
            which also looks at the article).
    """
    inputs = build_inputs(forest, frames)
    if decide is None:
        inventories = inventories if inventories is not None else load_inventories()
        decisions = cue_decisions(inputs, inventories, share_walk=True)
    else:
        decisions = decide(inputs)
    issues: list[ParseIssue] = []
    for item, d in zip(inputs, decisions, strict=True):
        if d.cues.truncated:
            issues.append(ParseIssue(
                code="stance-text-truncated", severity="info", article_id=item.article_id, comment_id=item.comment_id,
                detail=f"stance cues read the first {MAX_CHARS} characters of a {len(item.own)}-character own text",
            ))
    parent_labels = [d.stance_parent for d in decisions]
    parent_conf = [d.conf_parent for d in decisions]
    article_cue_labels = [d.article_label for d in decisions]
    article_cue_conf = [d.conf_article for d in decisions]
    model_probs: dict[str, dict[int, dict[str, float]]] = {}
    model_name = None
    trained_article: dict[int, str] = {}
    modelled = [i for i, item in enumerate(inputs)
                if (model_languages is None or item.lang in model_languages) and not (model_replies_only and item.top_level)]
    if model is not None and modelled:
        samples = samples_for(inputs, decisions, set(modelled))
        hits = [reply_features_hits(x) for x in samples]
    else:  # no model to feed: only the spans of the disagreement lists, for the evidence
        hits = [reply_hits_of(item, _found_of(d)).evidence() for item, d in zip(inputs, decisions, strict=True)]
    if model is not None and modelled:
        chosen = [samples[i] for i in modelled]
        model_name = model.name
        if "parent" in model.pipelines:
            labels, probs = model.predict("parent", chosen)
            for i, label, p in zip(modelled, labels, probs, strict=True):
                parent_labels[i] = label
                parent_conf[i] = max(p.values())
            model_probs["parent"] = dict(zip(modelled, probs, strict=True))
        if "article" in model.pipelines:
            labels, probs = model.predict("article", chosen)
            trained_article = dict(zip(modelled, labels, strict=True))
            model_probs["article"] = dict(zip(modelled, probs, strict=True))
    in_model = set(modelled) if model is not None else set()
    row_to_pos = {item.row: i for i, item in enumerate(inputs)}
    nodes = [
        Node(
            comment_id=item.comment_id,
            parent=row_to_pos.get(item.parent_row, -1) if item.parent_visible else -1,
            top_level=item.top_level,
            stance_parent=parent_labels[i],
            conf_parent=parent_conf[i],
            article_label=article_cue_labels[i],
            conf_article=article_cue_conf[i],
        )
        for i, item in enumerate(inputs)
    ]
    propagated = propagate(nodes)
    rows: dict[str, list[Any]] = {c: [] for c in schemas.STANCE.names()}
    for i, (item, d, art) in enumerate(zip(inputs, decisions, propagated, strict=True)):
        evidence: dict[str, Any] = {"lang": item.lang, "span_base": item.span_base, **d.evidence()}
        evidence["article"] = {"source": art.source, "path": art.path, "path_length": art.path_length}
        if hits[i]:
            evidence["reply_features"] = hits[i]
        if not item.top_level and not item.parent_visible:
            evidence["parent_unknown"] = True
        if item.sim_parent is not None:
            evidence["sim_parent"] = round(item.sim_parent, 4)
        if item.sim_article is not None:
            evidence["sim_article"] = round(item.sim_article, 4)
        article_label, article_conf = art.label, art.conf
        if i in trained_article:
            article_label = trained_article[i]
            article_conf = max(model_probs["article"][i].values())
            evidence["article"]["source"] = "model"
            evidence["article"]["propagated"] = art.label
        if i in in_model and model_probs:
            evidence["model_proba"] = {t: p[i] for t, p in model_probs.items()}
            evidence["cue_labels"] = {"parent": d.stance_parent, "article": art.label}
        rows["article_id"].append(item.article_id)
        rows["comment_id"].append(item.comment_id)
        rows["stance_parent"].append(parent_labels[i])
        rows["stance_parent_conf"].append(round(float(parent_conf[i]), 4))
        rows["stance_article"].append(article_label)
        rows["stance_article_conf"].append(round(float(article_conf), 4))
        rows["evidence"].append(json.dumps(evidence, ensure_ascii=False, sort_keys=True))
        rows["model"].append(model_name if i in in_model and model_name else d.model)
    frame = schemas.check(pl.DataFrame(rows, schema=schemas.STANCE), schemas.STANCE, "stance")
    return frame, inputs, issues


def stance_metrics(frame: pl.DataFrame, forest: Forest) -> pl.DataFrame:
    """Aggregates of stance.parquet per thread, top-level subtree and depth."""
    if frame.is_empty():
        return schemas.empty(schemas.METRICS)
    comments = forest.comments
    ids = comments.get_column("comment_id").to_list()
    articles = comments.get_column("article_id").to_list()
    depths = comments.get_column("depth").to_list()
    parents = forest.parent_index.tolist() if len(forest.parent_index) == len(ids) else [-1] * len(ids)
    root_of: list[int] = []
    for row, parent in enumerate(parents):  # pre-order: the parent's root is known already
        root_of.append(row if parent < 0 or parent >= row else root_of[parent])
    pos = {(a, c): i for i, (a, c) in enumerate(zip(articles, ids, strict=True))}
    rows = [pos[(a, c)] for a, c in frame.select("article_id", "comment_id").iter_rows()]
    return aggregates.aggregate_metrics(
        [articles[r] for r in rows],
        [ids[root_of[r]] for r in rows],
        [int(depths[r] or 0) for r in rows],
        {
            "article": frame.get_column("stance_article").to_list(),
            "parent": frame.get_column("stance_parent").to_list(),
        },
    )


def _choose_model(settings: StanceSettings) -> tuple[Any, frozenset[str] | None, str]:
    """The trained model to use, the languages it applies to, and a sentence for the manifest."""
    from analyzer.stages.stance import german, trained

    path = settings.stance_model
    if path == "cues":
        return None, None, "cue model for every language (stance_model = cues)"
    if path:
        return trained.load(path), None, f"trained model {path} for every language"
    model, note = german.load_default(settings.stance_model_de)
    return model, frozenset({german.LANGUAGE}), note


def run_stage(ctx: StageContext) -> StageResult:
    """The ``stance`` stage (requires ``quotes``)."""
    settings = ctx.settings_of(StanceSettings)
    model, languages, note = _choose_model(settings)
    cue_paths: dict[str, str | Path] | None = None
    if settings.stance_cues is not None:
        cue_paths = {lang: path for lang, path in settings.stance_cues.items()}
    inventories = load_inventories(cue_paths)
    engine = make_engine(ctx.settings_of(ExecutionSettings))
    decide = functools.partial(engine_decisions, engine, cue_paths)
    frame, inputs, issues = label_comments(ctx.forest, ctx.frames, model=model, decide=decide, model_languages=languages,
                                           model_replies_only=languages is not None)
    if model is None and languages is not None and any(item.lang in languages for item in inputs):
        issues.append(ParseIssue(code="stance-model-absent", severity="info", detail=note))
    metrics = stance_metrics(frame, ctx.forest)
    counts = {
        target: {k: int(v) for k, v in zip(*_counts(frame, f"stance_{target}"), strict=True)}
        for target in ("parent", "article")
    }
    by_model = {str(k): int(v) for k, v in frame.group_by("model").len().iter_rows()} if frame.height else {}
    manifest = {
        "model": model.name if model is not None else "cues",
        "model_note": note,
        "models_used": by_model,
        "inventories": {lang: inv.model_name for lang, inv in inventories.items()},
        "n_comments": frame.height,
        "labels": counts,
        "n_unjudged": sum(1 for e in frame.get_column("evidence").to_list() if '"reason"' in e),
        "engine": engine.describe(),
    }
    return StageResult(frames={"stance.parquet": frame}, metrics=metrics, issues=issues, manifest=manifest)


def _counts(frame: pl.DataFrame, column: str) -> tuple[list[str], list[int]]:
    counted = frame.group_by(column).len().sort(column)
    return counted.get_column(column).to_list(), counted.get_column("len").to_list()
