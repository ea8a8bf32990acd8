"""Train and evaluate stance models on a :class:`~analyzer.stages.stance.gold.GoldSet`.

``train_model`` fits one pipeline per target and writes the model card (features, classes,
training data hashes, thread hashes, leave-one-group-out scores).  ``evaluate_gold`` reports
the cue model, the trainable model under leave-one-group-out cross-validation (or a given
model on threads it was not trained on) and the majority baseline, all with per-class
P/R/F1 and macro-F1.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from analyzer import __version__
from analyzer.core.errors import UsageError
from analyzer.stages.stance import calibration, trained
from analyzer.stages.stance.evaluate import confusion, majority_baseline, scores
from analyzer.stages.stance.gold import GoldSet
from analyzer.stages.stance.propagation import Node, propagate

FOLD_KINDS = ("event", "topic", "article")


def _labelled(gold: GoldSet, target: str) -> list[int]:
    return [i for i, v in enumerate(gold.labels[target]) if v is not None]


def cross_validated_logits(
    samples: list[dict[str, Any]], labels: list[str], groups: list[str], *, c: float = trained.DEFAULT_C,
    cue_weight: float = trained.DEFAULT_CUE_WEIGHT, hashed: bool = False,
) -> tuple[list[str], Any, list[dict[str, Any]]]:
    """Leave-one-group-out: every sample's decision values from a model trained without its group.

    Returns ``(classes, logits n x classes, per-fold results)``; a class a fold never saw gets
    a logit of -1e9 there (never predicted).  ``hashed``: the model of
    :mod:`analyzer.stages.stance.hashed` (its hashing is stateless, so the texts are hashed once
    and every fold selects buckets, IDF and scales from its own training rows only).
    """
    import numpy as np

    from analyzer.stages.stance import hashed as hashed_model

    raw = hashed_model.raw_blocks(samples) if hashed else None
    classes = sorted(set(labels))
    logits = np.full((len(samples), len(classes)), -1e9)
    folds: list[dict[str, Any]] = []
    for group in sorted(set(groups)):
        test = [i for i, g in enumerate(groups) if g == group]
        train = [i for i, g in enumerate(groups) if g != group]
        train_labels = [labels[i] for i in train]
        if len(set(train_labels)) < 2:
            fallback = Counter(train_labels).most_common(1)[0][0] if train_labels else classes[0]
            for i in test:
                logits[i, classes.index(fallback)] = 0.0
        elif raw is not None:
            model = hashed_model.fit([samples[i] for i in train], train_labels, c=c, cue_weight=cue_weight,
                                     raw={k: v[train] for k, v in raw.items()})
            fold_logits = model.logits([samples[i] for i in test], {k: v[test] for k, v in raw.items()})
            for j, cls in enumerate(model.classes_):
                logits[test, classes.index(cls)] = fold_logits[:, j]
        else:
            predictor = trained.LinearStance.from_pipeline(trained.fit([samples[i] for i in train], train_labels,
                                                                       c=c, cue_weight=cue_weight))
            fold_logits = predictor.logits([samples[i] for i in test])
            for j, cls in enumerate(predictor.classes_):
                logits[test, classes.index(cls)] = fold_logits[:, j]
        out = [classes[int(k)] for k in logits[test].argmax(axis=1)]
        fold = scores([labels[i] for i in test], out)
        folds.append({"group": group, "n": len(test), "macro_f1": fold["macro_f1"], "accuracy": fold["accuracy"]})
    return classes, logits, folds


def calibration_report(
    classes: list[str], logits: Any, labels: list[str], groups: list[str],
) -> dict[str, Any]:
    """Temperature for the final model and an honest reliability table.

    The table's probabilities use, for each group, a temperature fitted on the out-of-fold
    logits of the *other* groups (so no figure is calibrated on the group it describes).
    """
    import numpy as np

    temperature = trained.fit_temperature(logits, labels, classes)
    probabilities = np.zeros_like(logits)
    for group in sorted(set(groups)):
        test = [i for i, g in enumerate(groups) if g == group]
        rest = [i for i, g in enumerate(groups) if g != group]
        t = trained.fit_temperature(logits[rest], [labels[i] for i in rest], classes) if rest else temperature
        probabilities[test] = calibration.softmax(logits[test], t)
    predicted = [classes[int(k)] for k in probabilities.argmax(axis=1)]
    confidence = [float(row.max()) for row in probabilities]
    correct = [p == g for p, g in zip(predicted, labels, strict=True)]
    raw = calibration.softmax(logits, 1.0)
    raw_table = trained.reliability([float(r.max()) for r in raw], correct)
    table = trained.reliability(confidence, correct)
    return {"temperature": temperature, "reliability": table, "ece": round(trained.expected_calibration_error(table), 4),
            "reliability_uncalibrated": raw_table,
            "ece_uncalibrated": round(trained.expected_calibration_error(raw_table), 4)}


def train_model(
    gold: GoldSet, *, targets: tuple[str, ...] = ("article",), folds: str = "article", c: float = trained.DEFAULT_C,
    name: str = "stance-lr", cross_validate: bool = True, cue_weight: float = trained.DEFAULT_CUE_WEIGHT,
    hashed: bool = False,
) -> trained.StanceModel:
    """Fit one pipeline per target with labels; the card records how and on what.

    With ``cross_validate``, the leave-one-group-out predictions give the card's scores, the
    softmax temperature of the saved model and its reliability table.
    """
    if folds not in FOLD_KINDS:
        raise UsageError(f"--folds must be one of {', '.join(FOLD_KINDS)}")
    from analyzer.stages.stance import hashed as hashed_model

    pipelines: dict[str, Any] = {}
    ngrams = "signed hashed (2^18 buckets)" if hashed else "TF-IDF"
    # No timestamp: the same inputs give the same file (the data hashes say what it was trained on).
    card: dict[str, Any] = {
        "name": name, "analyzer_version": __version__,
        "algorithm": f"LogisticRegression(class_weight='balanced', C={c:g}, solver='newton-cg') over word 1-2-grams, "
                     f"char 2-4-grams ({ngrams}) and named cue/structure features (block weight {cue_weight:g}); "
                     "softmax temperature fitted on the cross-validated logits",
        "feature_groups": [f"words: {ngrams} word 1-2-grams", f"chars: {ngrams} char_wb 2-4-grams",
                           "cues: cue family counts, vote sums, question kinds, cue labels, punctuation, links, "
                           "depth, similarity to parent and article, quote share, language; disagreement lists "
                           "(contrast, concession, negated agreement, rhetorical/genuine questions, sarcasm, address, "
                           "quotation of the parent) where the language has them"],
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
        temperature = 1.0
        if cross_validate and len(set(groups)) > 1:
            classes, logits, per_fold = cross_validated_logits(samples, labels, groups, c=c, cue_weight=cue_weight,
                                                               hashed=hashed)
            predicted = [classes[int(k)] for k in logits.argmax(axis=1)]
            result = scores(labels, predicted)
            calibration = calibration_report(classes, logits, labels, groups)
            temperature = calibration["temperature"]
            info["cv"] = {"folds": per_fold, "macro_f1": result["macro_f1"], "accuracy": result["accuracy"],
                          "per_class": result["per_class"], "confusion": confusion(labels, predicted),
                          "majority_baseline": majority_baseline(labels)["macro_f1"], **calibration}
        info["temperature"] = temperature
        if hashed:
            fitted = hashed_model.fit(samples, labels, c=c, cue_weight=cue_weight).with_temperature(temperature)
            info["n_features"], info["named_features"] = hashed_model.describe(fitted), list(fitted.named)
            pipelines[target] = fitted
        else:
            pipeline = trained.fit(samples, labels, c=c, cue_weight=cue_weight)
            info["n_features"], info["named_features"] = _feature_summary(pipeline)
            pipelines[target] = trained.LinearStance.from_pipeline(pipeline, temperature)
        card["targets"][target] = info
    return trained.StanceModel(pipelines, card)


def _feature_summary(pipeline: Any) -> tuple[dict[str, int], list[str]]:
    """Feature counts per group and the names of the cue/structure features."""
    counts: dict[str, int] = {}
    names: list[str] = []
    for group, part in pipeline.named_steps["features"].transformer_list:
        last = part.steps[1][1]
        if hasattr(last, "feature_names_"):  # the DictVectorizer of the named features
            names = [str(n) for n in last.feature_names_]
            counts[group] = len(names)
        else:
            counts[group] = len(last.vocabulary_)
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
    c: float = trained.DEFAULT_C, cue_weight: float = trained.DEFAULT_CUE_WEIGHT, hashed: bool = False,
) -> dict[str, Any]:
    """Cue model, trainable model (cross-validated, or ``model`` on unseen threads), baseline.

    Every result carries its confusion matrix; the cue model's and the cross-validated
    model's results also carry a reliability table (confidence bins vs observed accuracy).
    """
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
    cue_result = scores(labels, [cues[i] for i in keep])
    cue_result["confusion"] = confusion(labels, [cues[i] for i in keep])
    if target == "parent":
        cue_conf = [float(gold.decisions[i].conf_parent) for i in keep]
        cue_table = trained.reliability(cue_conf, [cues[i] == g for i, g in zip(keep, labels, strict=True)])
        cue_result["reliability"] = cue_table
        cue_result["ece"] = round(trained.expected_calibration_error(cue_table), 4)
    results: dict[str, Any] = {"cue model": cue_result}
    if model is not None:
        if target not in model.pipelines:
            raise UsageError(f"the model has no {target} pipeline (trained for {', '.join(model.pipelines)})")
        seen = set(model.card.get("thread_hashes") or [])
        unseen = [i for i in keep if gold.thread_hashes[i] not in seen]
        out["excluded_training_comments"] = len(keep) - len(unseen)
        if unseen:
            predicted, _ = model.predict(target, [gold.samples[i] for i in unseen])
            wanted = [str(gold.labels[target][i]) for i in unseen]
            result = scores(wanted, predicted)
            result["confusion"] = confusion(wanted, predicted)
            results[f"{model.name} (unseen threads)"] = result
    else:
        groups = [gold.groups[folds][i] for i in keep]
        if len(set(groups)) < 2:
            out["note"] = f"one {folds} only: no cross-validation of the trainable model"
        else:
            classes, logits, per_fold = cross_validated_logits([gold.samples[i] for i in keep], labels, groups, c=c,
                                                               cue_weight=cue_weight, hashed=hashed)
            predicted = [classes[int(k)] for k in logits.argmax(axis=1)]
            result = scores(labels, predicted)
            result["confusion"] = confusion(labels, predicted)
            result.update(calibration_report(classes, logits, labels, groups))
            results[f"logistic regression (leave-one-{folds}-out)"] = result
            out["folds_detail"] = per_fold
    baseline = majority_baseline(labels)
    baseline["confusion"] = confusion(labels, [baseline["label"]] * len(labels))
    results[f"majority baseline ({baseline['label']})"] = baseline
    out["results"] = results
    return out
