"""Article-grouped cross-validation of the label model against baselines and published figures.

Comments of one article never sit on both sides of a split (``GroupKFold`` over article ids):
the same discussion shares topic words and users, and a random split would reward
remembering them.  For each fold and annotation set the whole featurizer (kept hash buckets,
IDF, scales) is fitted on that set's comments of the training articles only.

Per label: precision, recall and F1 of the label, macro-F1 over {label, rest}, accuracy, and
two baselines: the majority class (macro-F1 and accuracy) and "always the label" (the best F1
a constant answer can reach for the label).  A label is **reliable** when its macro-F1 beats the
better constant answer by :data:`MIN_MARGIN_MACRO` and its F1 reaches :data:`MIN_F1`; an unreliable label is still written per
comment but is flagged in the metrics and the manifest and must not be reported as a finding.

Sentiment as three classes (negative / neutral / positive, as the stage derives it) is scored
too, with accuracy beside macro-F1, against the majority class and against the polarity
lexicon alone (the sign of :func:`analyzer.stages.labels.features.named_features`' lexicon score).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from analyzer.stages.labels import model as label_model
from analyzer.stages.labels.features import (
    THREAD_LABELS,
    ThreadBlock,
    named_features,
    thread_counts,
)
from analyzer.stages.labels.model import THRESHOLD, sentiment_label
from analyzer.stages.labels.schemas import CATEGORIES, SENTIMENTS
from analyzer.stages.labels.train import (
    LabelledComment,
    annotation_groups,
    fit_alone,
    fit_label_with_thread,
    targets,
    thread_matrix,
)

# A label counts as a finding when its held-out macro-F1 over {label, rest} exceeds the better
# constant answer's by 0.10 and the label's own F1 reaches 0.30 (below that, most comments
# counted as carrying the label do not).  Fixed as "clearly better than a constant answer"
# before the full evaluation; not tuned on it.  ("Always the label" is shown too: for a label
# near half of the comments its F1 is high, but it says nothing about which comments.)
MIN_MARGIN_MACRO = 0.10
MIN_F1 = 0.30
DEFAULT_FOLDS = 10


@dataclass(slots=True)
class LabelScores:
    """Held-out figures of one label."""

    label: str
    n: int
    n_positive: int
    precision: float
    recall: float
    f1: float
    macro_f1: float
    accuracy: float
    majority_macro_f1: float
    majority_accuracy: float
    always_f1: float
    published_bow_f1: float | None = None
    published_best_f1: float | None = None
    published_best_method: str | None = None

    @property
    def constant_macro_f1(self) -> float:
        """The better macro-F1 of the two constant answers (majority class, always the label)."""
        return max(self.majority_macro_f1, self.always_f1 / 2)

    @property
    def reliable(self) -> bool:
        return (self.macro_f1 >= self.constant_macro_f1 + MIN_MARGIN_MACRO
                and self.f1 >= MIN_F1)

    def as_dict(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__slots__}
        out["constant_macro_f1"] = self.constant_macro_f1
        out["reliable"] = self.reliable
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in out.items()}


@dataclass(slots=True)
class Evaluation:
    """Everything :func:`cross_validate` measured."""

    n_comments: int
    n_articles: int
    n_folds: int
    labels: list[LabelScores] = field(default_factory=list)
    sentiment: dict[str, Any] = field(default_factory=dict)
    # Labels with a thread block, scored as if each held-out comment were the only one of its
    # article in the input (empty thread block): what a user of single comments gets.
    alone: list[LabelScores] = field(default_factory=list)
    # The same labels on the held-out comments that have no other comment of their article in
    # the data (their thread block is empty in the main figures too).
    single: list[LabelScores] = field(default_factory=list)

    def by_label(self) -> dict[str, LabelScores]:
        return {s.label: s for s in self.labels}

    def as_dict(self) -> dict[str, Any]:
        return {
            "folds": f"{self.n_folds}-fold, grouped by article",
            "n_comments": self.n_comments,
            "n_articles": self.n_articles,
            "labels": {s.label: s.as_dict() for s in self.labels},
            "sentiment_3class": self.sentiment,
            "alone": {"what": "each held-out comment scored without the other comments of its article",
                      "labels": {s.label: s.as_dict() for s in self.alone}},
            "single_comment_articles": {"what": "held-out comments that are the only comment of their article",
                                        "labels": {s.label: s.as_dict() for s in self.single}},
            "reliable_if": {"macro_f1_above_best_constant_by": MIN_MARGIN_MACRO, "min_f1": MIN_F1},
        }


def published() -> dict[str, dict[str, Any]]:
    """Published per-category F1 (``data/published_omp.toml``, with its source)."""
    text = resources.files("analyzer.stages.labels").joinpath("data", "published_omp.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _f1(y: npt.NDArray[np.int64], p: npt.NDArray[np.int64], positive: int) -> tuple[float, float, float]:
    tp = int(((p == positive) & (y == positive)).sum())
    fp = int(((p == positive) & (y != positive)).sum())
    fn = int(((p != positive) & (y == positive)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def binary_scores(label: str, y: npt.NDArray[np.int64], p: npt.NDArray[np.int64]) -> LabelScores:
    """Figures of one label from gold ``y`` and predictions ``p`` (both 0/1)."""
    precision, recall, f1 = _f1(y, p, 1)
    _, _, f1_rest = _f1(y, p, 0)
    majority = 1 if y.mean() > 0.5 else 0
    const = np.full_like(y, majority)
    _, _, maj_1 = _f1(y, const, 1)
    _, _, maj_0 = _f1(y, const, 0)
    _, _, always = _f1(y, np.ones_like(y), 1)
    ref = published().get(label, {})
    return LabelScores(
        label, int(y.size), int(y.sum()), precision, recall, f1, (f1 + f1_rest) / 2, float((p == y).mean()),
        (maj_1 + maj_0) / 2, float((const == y).mean()), always,
        ref.get("bow"), ref.get("best"), ref.get("best_method"),
    )


def _multiclass(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    g, p = np.asarray(gold), np.asarray(predicted)
    f1s = {}
    for cls in SENTIMENTS:
        tp = int(((p == cls) & (g == cls)).sum())
        fp = int(((p == cls) & (g != cls)).sum())
        fn = int(((p != cls) & (g == cls)).sum())
        f1s[cls] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"accuracy": round(float((g == p).mean()), 4), "macro_f1": round(sum(f1s.values()) / len(f1s), 4),
            **{f"f1_{k}": round(v, 4) for k, v in f1s.items()}}


def _gold_sentiment(item: LabelledComment) -> str | None:
    neg, pos = item.labels.get("sentiment_negative"), item.labels.get("sentiment_positive")
    if neg is None and pos is None:
        return None
    if neg == 1:
        return "negative"
    if pos == 1:
        return "positive"
    return "neutral"


def _lexicon_sentiment(text: str, is_reply: bool) -> str:
    score = named_features(text, is_reply=is_reply)[0]
    return "negative" if score < -0.1 else "positive" if score > 0.1 else "neutral"


def article_folds(items: Sequence[LabelledComment], n_folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test row indices, grouped by article (deterministic)."""
    from sklearn.model_selection import GroupKFold

    groups = [c.article_id for c in items]
    n_groups = len(set(groups))
    if n_groups < 2:
        raise ValueError("cross-validation needs comments from at least two articles")
    splitter = GroupKFold(n_splits=min(n_folds, n_groups))
    return list(splitter.split(np.zeros(len(items)), groups=groups))


def cross_validate(items: Sequence[LabelledComment], *, n_folds: int = DEFAULT_FOLDS,
                   c: float = label_model.DEFAULT_C, labels: Sequence[str] | None = None,
                   progress: Callable[[str], None] | None = None) -> Evaluation:
    """Held-out predictions for every annotated comment, folds grouped by article.

    ``progress`` is called with a short message as each fold starts (the CLI prints it).
    """
    say = progress or (lambda _msg: None)
    stems = list(labels or CATEGORIES.values())
    annotated = [c_ for c_ in items if any(c_.labels.get(s) is not None for s in stems)]
    folds = article_folds(annotated, n_folds)
    probs = np.full((len(annotated), len(stems)), np.nan)
    probs_alone = np.full((len(annotated), len(stems)), np.nan)
    texts = [c_.text for c_ in annotated]
    replies = [c_.is_reply for c_ in annotated]
    gold = {s: targets(annotated, s) for s in stems}
    # Hashing is stateless, so the texts are hashed once; each fold and annotation set selects
    # buckets, IDF and scales from its own training rows only (what fitting the featurizer on
    # them does; tests/stages/labels/test_model.py checks this).
    pre = label_model.precompute(texts, replies)
    articles = np.asarray([c_.article_id for c_ in annotated])
    # Training rows see their discussion through the explicit matrix; held-out rows are scored
    # through ThreadBlock.logits over all annotated comments, the path `analyse` takes (a test
    # article's comments are all in the test fold, so no training comment enters its thread).
    groups = [[stems.index(s) for s in g] for g in annotation_groups(annotated, stems)]
    # Explicit discussions only for the annotated rows of groups with a thread block.
    pooled: dict[int, tuple[np.ndarray, Any]] = {}
    for group in groups:
        if {stems[j] for j in group} & THREAD_LABELS:
            group_rows = np.flatnonzero(gold[stems[group[0]]] >= 0)
            pooled[group[0]] = (group_rows, thread_counts(pre["word"], articles, group_rows))
    _, where, sizes = np.unique(articles, return_inverse=True, return_counts=True)
    alone_in_article = sizes[where.ravel()] == 1
    for number, (train_rows, test_rows) in enumerate(folds, start=1):
        say(f"fold {number}/{len(folds)}: {len(train_rows)} training, {len(test_rows)} held-out comments")
        for group in groups:
            annotated_rows = np.flatnonzero(gold[stems[group[0]]] >= 0)
            fit_rows = np.intersect1d(train_rows, annotated_rows)
            score_rows = np.intersect1d(test_rows, annotated_rows)
            if fit_rows.size == 0 or score_rows.size == 0:
                continue
            featurizer = label_model.Featurizer.fit([texts[i] for i in fit_rows], [replies[i] for i in fit_rows],
                                                    {k: v[fit_rows] for k, v in pre.items()})
            x_train = featurizer.rows(pre, fit_rows)
            x_test = featurizer.rows(pre, score_rows)
            thread = x_thread = None
            if group[0] in pooled:
                group_rows, discussions = pooled[group[0]]
                fit_pooled = discussions[np.searchsorted(group_rows, fit_rows)]
                thread = ThreadBlock.fit(fit_pooled, len(group))
                x_thread = thread_matrix(thread, fit_pooled)
            own_scores: dict[int, np.ndarray] = {}
            alone_scores: dict[int, np.ndarray] = {}
            for k, j in enumerate(group):
                y = gold[stems[j]][fit_rows]
                if len(set(y.tolist())) < 2:
                    continue  # this fold's training part lacks a class: its test rows stay unscored
                coef, coef_thread, intercept = fit_label_with_thread(x_train, x_thread, stems[j], y, c=c)
                if thread is not None and coef_thread is not None:
                    thread.coef[k] = coef_thread
                own_scores[k] = np.asarray(x_test @ coef).ravel() + intercept
                alone_coef, alone_intercept = fit_alone(x_train, x_thread, stems[j], y, coef, intercept, c=c)
                alone_scores[k] = np.asarray(x_test @ alone_coef).ravel() + alone_intercept
            offsets = np.zeros((score_rows.size, len(group)))
            if thread is not None and own_scores:
                offsets = thread.logits(pre["word"], articles)[score_rows]
            # A held-out comment with no other comment of its article in the data is scored by the
            # own-text classifier, as `analyse` scores it (stage.thread_offsets marks it NaN).
            without = alone_in_article[score_rows]
            for k, scores in own_scores.items():
                probs_alone[score_rows, group[k]] = 1.0 / (1.0 + np.exp(-alone_scores[k]))
                joint = np.where(without, alone_scores[k], scores + offsets[:, k])
                probs[score_rows, group[k]] = 1.0 / (1.0 + np.exp(-joint))
    evaluation = Evaluation(len(annotated), len({c_.article_id for c_ in annotated}), len(folds))
    for j, stem in enumerate(stems):
        y = gold[stem]
        mask = (y >= 0) & ~np.isnan(probs[:, j])
        if mask.sum() == 0 or len(set(y[mask].tolist())) < 2:
            continue
        predicted = (probs[mask, j] >= THRESHOLD).astype(np.int64)
        evaluation.labels.append(binary_scores(stem, y[mask], predicted))
        if stem in THREAD_LABELS:
            evaluation.alone.append(binary_scores(stem, y[mask], (probs_alone[mask, j] >= THRESHOLD).astype(np.int64)))
            single = mask & alone_in_article
            if single.sum() and len(set(y[single].tolist())) == 2:
                evaluation.single.append(binary_scores(stem, y[single], (probs[single, j] >= THRESHOLD).astype(np.int64)))
    if "sentiment_negative" in stems and "sentiment_positive" in stems:
        jn, jp = stems.index("sentiment_negative"), stems.index("sentiment_positive")
        rows = [i for i, c_ in enumerate(annotated)
                if _gold_sentiment(c_) is not None and not np.isnan(probs[i, jn]) and not np.isnan(probs[i, jp])]
        if rows:
            gold3 = [str(_gold_sentiment(annotated[i])) for i in rows]
            model3 = [sentiment_label(float(probs[i, jn]), float(probs[i, jp])) for i in rows]
            lex3 = [_lexicon_sentiment(texts[i], replies[i]) for i in rows]
            values, freq = np.unique(np.asarray(gold3), return_counts=True)
            majority = str(values[int(freq.argmax())])
            evaluation.sentiment = {
                "n": len(rows),
                "counts": {str(v): int(k) for v, k in zip(values, freq, strict=True)},
                "model": _multiclass(gold3, model3),
                "lexicon": _multiclass(gold3, lex3),
                "majority": {"label": majority, **_multiclass(gold3, [majority] * len(rows))},
            }
    return evaluation


def format_table(evaluation: Evaluation) -> str:
    """The figures as a plain-text table (what ``analyzer labels eval`` prints)."""
    lines = [
        f"{evaluation.n_comments} annotated comments, {evaluation.n_articles} articles, "
        f"{evaluation.n_folds} folds grouped by article",
        f"{'label':<20}{'n':>6}{'pos':>6}{'P':>7}{'R':>7}{'F1':>7}{'always':>8}{'macro':>7}{'const.':>7}"
        f"{'acc':>7}{'pub.BOW':>8}{'pub.best':>9}  reliable (macro-F1 vs best constant)",
    ]
    for s in evaluation.labels:
        pub_bow = f"{s.published_bow_f1:.3f}" if s.published_bow_f1 is not None else "-"
        pub_best = f"{s.published_best_f1:.3f}" if s.published_best_f1 is not None else "-"
        lines.append(
            f"{s.label:<20}{s.n:>6}{s.n_positive:>6}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.always_f1:>8.3f}"
            f"{s.macro_f1:>7.3f}{s.constant_macro_f1:>7.3f}{s.accuracy:>7.3f}{pub_bow:>8}{pub_best:>9}  "
            f"{'yes' if s.reliable else 'NO (not a finding)'}"
        )
    for name, rows in (("each comment alone (no thread words)", evaluation.alone),
                       ("only comment of its article", evaluation.single)):
        for s in rows:
            lines.append(f"  {s.label}, {name}: n {s.n}, F1 {s.f1:.3f}, macro-F1 {s.macro_f1:.3f} "
                         f"(constant {s.constant_macro_f1:.3f}), accuracy {s.accuracy:.3f}")
    if evaluation.sentiment:
        sent = evaluation.sentiment
        lines.append(f"sentiment, 3 classes (n={sent['n']}, {sent['counts']}):")
        for name in ("model", "lexicon", "majority"):
            row = sent[name]
            lines.append(f"  {name:<9} accuracy {row['accuracy']:.3f}  macro-F1 {row['macro_f1']:.3f}  "
                         f"F1 neg/neu/pos {row['f1_negative']:.3f}/{row['f1_neutral']:.3f}/{row['f1_positive']:.3f}")
    return "\n".join(lines)
