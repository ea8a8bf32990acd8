"""Own-text classifiers for SentimentNegative (a comment scored without its discussion), held out.

    python -m tests.bench.labels_alone OMP_CSV [--variants base c ens nblr svc aux self thresholds]

Session 7 of issue 13: what a comment with no other comment of its article gets.  Every variant
is scored on the 10 article folds of ``analyzer labels eval`` (folds over all annotated dev
comments, scored on the sentiment-annotated ones; buckets, IDF and scales fitted on the
training articles only), negative-vs-rest macro-F1 at the model's threshold 0.5:

* ``base``: the shipped own-text classifier (``model.Featurizer`` + balanced logistic
  regression, C 1): what ``LabelGroup.alone_coef`` holds;
* ``c``: C 0.5 and 2;
* ``ens``: mean probability of three logistic regressions (all blocks; words + named features;
  characters + named features);
* ``nblr``: half the base model, half one over Naive-Bayes log-count-ratio scaled n-grams
  (Wang & Manning 2012);
* ``svc``: a balanced linear SVM (hinge) instead of the logistic loss, C 0.05 and 0.2;
* ``aux``: the logits of personal-stories and feedback classifiers, trained on the comments
  annotated for those labels but not for sentiment in the training articles (3,831 + 2,437
  more posts), as two more features: transfer from larger annotated samples;
* ``self``: self-training: training-article comments without a sentiment annotation that the
  base model scores below 0.25 or above 0.75 join the training data at weight 0.3 with that
  answer;
* ``thresholds``: macro-F1 of ``base`` at thresholds 0.35-0.65 (the shape only: not nested).

docs/sentiment-and-labels.md (section "Issue 13, session 7") quotes the results.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp

from analyzer.stages.labels import evaluate
from analyzer.stages.labels import model as label_model
from analyzer.stages.labels.train import read_labelled, targets


def _floats(values: Any) -> np.ndarray:
    """The probabilities as a float array (scikit-learn's results are typed Any)."""
    return np.asarray(values, dtype=float)


Predict = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


class Data:
    """Hashed texts, folds and gold labels of the annotated comments, computed once."""

    def __init__(self, path: str) -> None:
        self.items = [c for c in read_labelled(path) if any(v is not None for v in c.labels.values())]
        self.pre = label_model.precompute([c.text for c in self.items], [c.is_reply for c in self.items])
        self.y = targets(self.items, "sentiment_negative")
        self.labelled = np.flatnonzero(self.y >= 0)
        self.folds = evaluate.article_folds(self.items, evaluate.DEFAULT_FOLDS)

    def featurizer(self, rows: np.ndarray) -> label_model.Featurizer:
        return label_model.Featurizer.fit([""] * rows.size, [False] * rows.size, {k: v[rows] for k, v in self.pre.items()})


def _lr(x: Any, y: np.ndarray, c: float = 1.0, sample_weight: np.ndarray | None = None) -> Any:
    from sklearn.linear_model import LogisticRegression

    weights = "balanced" if sample_weight is None else None
    return LogisticRegression(C=c, class_weight=weights, max_iter=2000, solver="liblinear").fit(x, y, sample_weight=sample_weight)


def base(data: Data, c: float = 1.0) -> Predict:
    def predict(fit: np.ndarray, test: np.ndarray, _train: np.ndarray) -> np.ndarray:
        f = data.featurizer(fit)
        return _floats(_lr(f.rows(data.pre, fit), data.y[fit], c).predict_proba(f.rows(data.pre, test))[:, 1])
    return predict


def _blocks(data: Data, f: label_model.Featurizer, rows: np.ndarray) -> tuple[Any, Any, Any]:
    word = label_model.tfidf(data.pre["word"][rows][:, f.word.buckets], f.word.idf)
    char = label_model.tfidf(data.pre["char"][rows][:, f.char.buckets], f.char.idf)
    return word, char, sp.csr_matrix(data.pre["named"][rows] / f.scale * label_model.FEATURE_WEIGHT)


def ensemble(data: Data) -> Predict:
    def predict(fit: np.ndarray, test: np.ndarray, _train: np.ndarray) -> np.ndarray:
        f = data.featurizer(fit)
        (w, c, n), (wt, ct, nt) = _blocks(data, f, fit), _blocks(data, f, test)
        views = (((w, c, n), (wt, ct, nt)), ((w, n), (wt, nt)), ((c, n), (ct, nt)))
        return _floats(np.mean([_lr(sp.hstack(a).tocsr(), data.y[fit]).predict_proba(sp.hstack(b).tocsr())[:, 1]
                        for a, b in views], axis=0))
    return predict


def nb_mix(data: Data, alpha: float = 1.0) -> Predict:
    def predict(fit: np.ndarray, test: np.ndarray, _train: np.ndarray) -> np.ndarray:
        f = data.featurizer(fit)
        (w, c, n), (wt, ct, nt) = _blocks(data, f, fit), _blocks(data, f, test)
        y = data.y[fit]
        x, xt = sp.hstack([w, c]).tocsr(), sp.hstack([wt, ct]).tocsr()
        present = abs(x).sign()
        pos = alpha + np.asarray(present[y == 1].sum(axis=0)).ravel()
        neg = alpha + np.asarray(present[y == 0].sum(axis=0)).ravel()
        ratio = np.log((pos / pos.sum()) / (neg / neg.sum())).reshape(1, -1)
        scaled = _lr(sp.hstack([x.multiply(ratio), n]).tocsr(), y).predict_proba(sp.hstack([xt.multiply(ratio), nt]).tocsr())[:, 1]
        plain = _lr(sp.hstack([x, n]).tocsr(), y).predict_proba(sp.hstack([xt, nt]).tocsr())[:, 1]
        return _floats(0.5 * scaled + 0.5 * plain)
    return predict


def svm(data: Data, c: float) -> Predict:
    def predict(fit: np.ndarray, test: np.ndarray, _train: np.ndarray) -> np.ndarray:
        from sklearn.svm import LinearSVC

        f = data.featurizer(fit)
        model = LinearSVC(C=c, class_weight="balanced").fit(f.rows(data.pre, fit), data.y[fit])
        return _floats(1.0 / (1.0 + np.exp(-2.0 * model.decision_function(f.rows(data.pre, test)))))
    return predict


def auxiliary(data: Data, stems: tuple[str, ...] = ("personal_stories", "possibly_feedback")) -> Predict:
    aux = {s: targets(data.items, s) for s in stems}

    def predict(fit: np.ndarray, test: np.ndarray, train: np.ndarray) -> np.ndarray:
        f = data.featurizer(fit)
        x, xt = f.rows(data.pre, fit), f.rows(data.pre, test)
        extra, extra_t = [], []
        for stem in stems:
            rows = np.intersect1d(train, np.flatnonzero((aux[stem] >= 0) & (data.y < 0)))
            model = _lr(f.rows(data.pre, rows), aux[stem][rows])
            extra.append(model.decision_function(x))
            extra_t.append(model.decision_function(xt))
        final = _lr(sp.hstack([x, sp.csr_matrix(np.column_stack(extra))]).tocsr(), data.y[fit])
        return _floats(final.predict_proba(sp.hstack([xt, sp.csr_matrix(np.column_stack(extra_t))]).tocsr())[:, 1])
    return predict


def self_training(data: Data, confident: float = 0.75, weight: float = 0.3) -> Predict:
    def predict(fit: np.ndarray, test: np.ndarray, train: np.ndarray) -> np.ndarray:
        f = data.featurizer(fit)
        x, y = f.rows(data.pre, fit), data.y[fit]
        unlabelled = np.setdiff1d(train, data.labelled)
        p = _lr(x, y).predict_proba(f.rows(data.pre, unlabelled))[:, 1]
        chosen = (p >= confident) | (p <= 1 - confident)
        xx = sp.vstack([x, f.rows(data.pre, unlabelled[chosen])]).tocsr()
        yy = np.concatenate([y, (p[chosen] >= 0.5).astype(np.int64)])
        balance = {k: 0.5 * y.size / (y == k).sum() for k in (0, 1)}
        sw = np.concatenate([np.ones(y.size), np.full(int(chosen.sum()), weight)]) * np.asarray([balance[v] for v in yy])
        return _floats(_lr(xx, yy, sample_weight=sw).predict_proba(f.rows(data.pre, test))[:, 1])
    return predict


def cross(data: Data, predict: Predict) -> np.ndarray:
    probs = np.full(len(data.items), np.nan)
    for train, test in data.folds:
        fit, held = np.intersect1d(train, data.labelled), np.intersect1d(test, data.labelled)
        probs[held] = predict(fit, held, train)
    return probs


def scores(data: Data, probs: np.ndarray, threshold: float = label_model.THRESHOLD) -> evaluate.LabelScores:
    rows = data.labelled
    return evaluate.binary_scores("sentiment_negative", data.y[rows], (probs[rows] >= threshold).astype(np.int64))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("omp")
    parser.add_argument("--variants", nargs="+", default=["base", "c", "ens", "nblr", "svc", "aux", "self", "thresholds"])
    args = parser.parse_args(argv)
    data = Data(args.omp)
    runs: dict[str, Callable[[], Predict]] = {
        "base": lambda: base(data), "c 0.5": lambda: base(data, 0.5), "c 2": lambda: base(data, 2.0),
        "ens": lambda: ensemble(data), "nblr": lambda: nb_mix(data), "svc 0.05": lambda: svm(data, 0.05),
        "svc 0.2": lambda: svm(data, 0.2), "aux": lambda: auxiliary(data), "self": lambda: self_training(data),
    }
    base_probs = None
    for name, make in runs.items():
        if name.split()[0] not in args.variants and not (name == "base" and "thresholds" in args.variants):
            continue
        started = time.process_time()
        probs = cross(data, make())
        base_probs = probs if name == "base" else base_probs
        s = scores(data, probs)
        print(f"{name:10s} macro-F1 {s.macro_f1:.4f}  F1 {s.f1:.3f}  P {s.precision:.3f}  R {s.recall:.3f}  "
              f"accuracy {s.accuracy:.3f} (majority {s.majority_accuracy:.3f})  CPU {time.process_time() - started:.0f} s",
              flush=True)
    if "thresholds" in args.variants and base_probs is not None:
        print("base by threshold: " + "  ".join(f"{t:.3f}: {scores(data, base_probs, t).macro_f1:.4f}"
                                                for t in np.arange(0.35, 0.651, 0.025)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
