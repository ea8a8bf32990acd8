"""Train and evaluate stance models on a :class:`~analyzer.stages.stance.gold.GoldSet`.

``train_model`` fits one pipeline per target and writes the model card (features, classes,
training data hashes, thread hashes, leave-one-group-out scores).  ``evaluate_gold`` reports
the cue model, the trainable model under leave-one-group-out cross-validation (or a given
model on threads it was not trained on) and the majority baseline, all with per-class
P/R/F1 and macro-F1.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from analyzer import __version__
from analyzer.core.errors import UsageError
from analyzer.stages.stance import trained
from analyzer.stages.stance.evaluate import leave_one_group_out, majority_baseline, scores
from analyzer.stages.stance.gold import GoldSet
from analyzer.stages.stance.propagation import Node, propagate

FOLD_KINDS = ("event", "topic", "article")


def _labelled(gold: GoldSet, target: str) -> list[int]:
    return [i for i, v in enumerate(gold.labels[target]) if v is not None]


def _fit(c: float):  # type: ignore[no-untyped-def]
    return lambda samples, labels: trained.fit(samples, labels, c=c)


def _predict(model: Any, samples: list[Any]) -> list[str]:
    return [str(p) for p in model.predict(samples)]


def train_model(
    gold: GoldSet, *, targets: tuple[str, ...] = ("article",), folds: str = "article", c: float = trained.DEFAULT_C,
    name: str = "stance-lr", cross_validate: bool = True,
) -> trained.StanceModel:
    """Fit one pipeline per target with labels; the card records how and on what."""
    if folds not in FOLD_KINDS:
        raise UsageError(f"--folds must be one of {', '.join(FOLD_KINDS)}")
    pipelines: dict[str, Any] = {}
    card: dict[str, Any] = {
        "name": name, "analyzer_version": __version__, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "algorithm": f"LogisticRegression(class_weight='balanced', C={c:g}, solver='newton-cg') over word 1-2-grams, "
                     "char 2-4-grams (TF-IDF) and named cue/structure features",
        "feature_groups": ["words: TF-IDF word 1-2-grams", "chars: TF-IDF char_wb 2-4-grams",
                           "cues: cue family counts, vote sums, question kinds, cue labels, punctuation, links, "
                           "depth, similarity to parent and article, quote share, language"],
        "training_data": gold.sources, "thread_hashes": sorted(set(gold.thread_hashes)), "folds": folds, "targets": {},
    }
    for target in targets:
        keep = _labelled(gold, target)
        if not keep:
            raise UsageError(f"no {target} labels in the gold data")
        samples = [gold.samples[i] for i in keep]
        labels = [str(gold.labels[target][i]) for i in keep]
        groups = [gold.groups[folds][i] for i in keep]
        info: dict[str, Any] = {"n": len(keep), "classes": dict(sorted(Counter(labels).items()))}
        if cross_validate and len(set(groups)) > 1:
            predicted, per_fold = leave_one_group_out(samples, labels, groups, _fit(c), _predict)
            result = scores(labels, predicted)
            info["cv"] = {"folds": per_fold, "macro_f1": result["macro_f1"], "accuracy": result["accuracy"],
                          "per_class": result["per_class"]}
        pipeline = trained.fit(samples, labels, c=c)
        info["n_features"], info["named_features"] = _feature_summary(pipeline)
        pipelines[target] = pipeline
        card["targets"][target] = info
    return trained.StanceModel(pipelines, card)


def _feature_summary(pipeline: Any) -> tuple[dict[str, int], list[str]]:
    """Feature counts per group and the names of the cue/structure features."""
    counts: dict[str, int] = {}
    names: list[str] = []
    for group, part in pipeline.named_steps["features"].transformer_list:
        last = part.steps[1][1]
        if hasattr(last, "vocabulary_"):
            counts[group] = len(last.vocabulary_)
        else:
            names = [str(n) for n in last.feature_names_]
            counts[group] = len(names)
    return counts, names


def cue_predictions(gold: GoldSet, target: str) -> list[str]:
    """The cue model's labels (for the article: with propagation inside each gold thread)."""
    if target == "parent":
        return [d.stance_parent for d in gold.decisions]
    pos = {(item.article_id, item.row): i for i, item in enumerate(gold.inputs)}
    nodes = [
        Node(item.comment_id, pos.get((item.article_id, item.parent_row), -1) if item.parent_visible else -1,
             item.top_level, d.stance_parent, d.conf_parent, d.article_label, d.conf_article)
        for item, d in zip(gold.inputs, gold.decisions, strict=True)
    ]
    return [a.label for a in propagate(nodes)]


def evaluate_gold(
    gold: GoldSet, *, target: str = "article", folds: str = "article", model: trained.StanceModel | None = None,
    c: float = trained.DEFAULT_C,
) -> dict[str, Any]:
    """Cue model, trainable model (cross-validated, or ``model`` on unseen threads), baseline."""
    if target not in ("article", "parent"):
        raise UsageError("--target must be article or parent")
    if folds not in FOLD_KINDS:
        raise UsageError(f"--folds must be one of {', '.join(FOLD_KINDS)}")
    keep = _labelled(gold, target)
    if not keep:
        raise UsageError(f"no {target} labels in the gold data")
    labels = [str(gold.labels[target][i]) for i in keep]
    cues = cue_predictions(gold, target)
    out: dict[str, Any] = {"target": target, "folds": folds, "n": len(keep), "classes": dict(sorted(Counter(labels).items()))}
    results: dict[str, Any] = {"cue model": scores(labels, [cues[i] for i in keep])}
    if model is not None:
        if target not in model.pipelines:
            raise UsageError(f"the model has no {target} pipeline (trained for {', '.join(model.pipelines)})")
        seen = set(model.card.get("thread_hashes") or [])
        unseen = [i for i in keep if gold.thread_hashes[i] not in seen]
        out["excluded_training_comments"] = len(keep) - len(unseen)
        if unseen:
            predicted, _ = model.predict(target, [gold.samples[i] for i in unseen])
            results[f"{model.name} (unseen threads)"] = scores([str(gold.labels[target][i]) for i in unseen], predicted)
    else:
        groups = [gold.groups[folds][i] for i in keep]
        if len(set(groups)) < 2:
            out["note"] = f"one {folds} only: no cross-validation of the trainable model"
        else:
            predicted, per_fold = leave_one_group_out([gold.samples[i] for i in keep], labels, groups, _fit(c), _predict)
            results[f"logistic regression (leave-one-{folds}-out)"] = scores(labels, predicted)
            out["folds_detail"] = per_fold
    baseline = majority_baseline(labels)
    results[f"majority baseline ({baseline['label']})"] = baseline
    out["results"] = results
    return out
