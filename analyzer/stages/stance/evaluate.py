"""Evaluation of stance labels: per-class P/R/F1, macro-F1, accuracy, majority baseline.

Every evaluation reports per-class precision, recall and F1 and the macro-F1 over the four
SDQC classes: accuracy alone rewards labelling everything "comment" (Scarton et al. 2020).
The majority-class baseline is printed beside every result.  Trained models are scored with
leave-one-group-out cross-validation (groups: events, topics or articles), so a model never
sees a thread it is scored on.

References:
    Scarton, Silva, Bontcheva (2020), Measuring what counts: the case of rumour stance
    classification, AACL-IJCNLP.
    Derczynski et al. (2017), SemEval-2017 Task 8: RumourEval (macro-F1 of the SDQC task).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from analyzer.core.schemas import STANCE_LABELS


def scores(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = STANCE_LABELS) -> dict[str, Any]:
    """Per-class precision, recall, F1 and support; macro-F1 over ``labels``; accuracy.

    Example:
        >>> s = scores(["support", "deny", "comment", "comment"], ["support", "comment", "comment", "deny"])
        >>> s["per_class"]["support"]["f1"], round(s["macro_f1"], 3), s["accuracy"]
        (1.0, 0.375, 0.5)
    """
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    per_class: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        n_pred = sum(1 for p in predicted if p == label)
        n_gold = sum(1 for g in gold if g == label)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": precision, "recall": recall, "f1": f1, "support": float(n_gold)}
    n = len(gold)
    return {
        "n": n,
        "per_class": per_class,
        "macro_f1": sum(c["f1"] for c in per_class.values()) / len(labels) if labels else 0.0,
        "accuracy": sum(1 for g, p in zip(gold, predicted, strict=True) if g == p) / n if n else 0.0,
    }


def confusion(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = STANCE_LABELS) -> dict[str, dict[str, int]]:
    """Counts ``{gold label: {predicted label: n}}``.

    Example:
        >>> confusion(["deny", "deny"], ["deny", "comment"])["deny"]
        {'support': 0, 'deny': 1, 'query': 0, 'comment': 1}
    """
    out = {g: dict.fromkeys(labels, 0) for g in labels}
    for g, p in zip(gold, predicted, strict=True):
        if g in out and p in out[g]:
            out[g][p] += 1
    return out


def confusion_table(matrix: dict[str, dict[str, int]]) -> str:
    """Markdown confusion table (rows gold, columns predicted)."""
    labels = list(matrix)
    lines = ["| gold \\ predicted | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    lines += [f"| {g} | " + " | ".join(str(matrix[g][p]) for p in labels) + " |" for g in labels]
    return "\n".join(lines)


def majority_baseline(gold: Sequence[str]) -> dict[str, Any]:
    """Scores of always predicting the most frequent gold class."""
    if not gold:
        return scores([], [])
    majority = Counter(gold).most_common(1)[0][0]
    result = scores(gold, [majority] * len(gold))
    result["label"] = majority
    return result


def leave_one_group_out(
    samples: Sequence[Any],
    labels: Sequence[str],
    groups: Sequence[str],
    fit: Callable[[list[Any], list[str]], Any],
    predict: Callable[[Any, list[Any]], list[str]],
) -> tuple[list[str], list[dict[str, Any]]]:
    """Predictions for every sample from a model trained without its group.

    Returns ``(predictions in sample order, per-fold results)``.  A fold whose training part
    has a single class predicts that class.
    """
    predicted: list[str | None] = [None] * len(samples)
    folds: list[dict[str, Any]] = []
    for group in sorted(set(groups)):
        test = [i for i, g in enumerate(groups) if g == group]
        train = [i for i, g in enumerate(groups) if g != group]
        train_labels = [labels[i] for i in train]
        if len(set(train_labels)) < 2:
            fallback = train_labels[0] if train_labels else "comment"
            out = [fallback] * len(test)
        else:
            model = fit([samples[i] for i in train], train_labels)
            out = predict(model, [samples[i] for i in test])
        for i, p in zip(test, out, strict=True):
            predicted[i] = p
        fold = scores([labels[i] for i in test], out)
        folds.append({"group": group, "n": len(test), "macro_f1": fold["macro_f1"], "accuracy": fold["accuracy"]})
    return [p if p is not None else "comment" for p in predicted], folds


def markdown_table(results: dict[str, dict[str, Any]], labels: Sequence[str] = STANCE_LABELS) -> str:
    """Rows = systems; columns = per-class F1, macro-F1, accuracy (P/R in the JSON)."""
    head = "| system | n | " + " | ".join(f"F1 {label}" for label in labels) + " | macro-F1 | accuracy |"
    rule = "|" + "---|" * (len(labels) + 4)
    lines = [head, rule]
    for name, r in results.items():
        cells = " | ".join(f"{r['per_class'][label]['f1']:.3f}" for label in labels)
        lines.append(f"| {name} | {r['n']} | {cells} | {r['macro_f1']:.3f} | {r['accuracy']:.3f} |")
    return "\n".join(lines)


def per_class_table(result: dict[str, Any], labels: Sequence[str] = STANCE_LABELS) -> str:
    """Precision / recall / F1 / support per class of one result."""
    lines = [f"{'class':<10} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}"]
    for label in labels:
        c = result["per_class"][label]
        lines.append(f"{label:<10} {c['precision']:6.3f} {c['recall']:6.3f} {c['f1']:6.3f} {int(c['support']):6d}")
    lines.append(f"macro-F1 {result['macro_f1']:.3f}  accuracy {result['accuracy']:.3f}  n {result['n']}")
    return "\n".join(lines)
