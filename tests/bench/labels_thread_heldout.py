"""Held-out checks of the shipped thread-words block (SentimentNegative, negative vs rest).

    python -m tests.bench.labels_thread_heldout OMP_CSV [--splits N] [--nested] [--inner 5]

Uses the package's own code (``Featurizer``, ``features.thread_counts`` for training rows,
``ThreadBlock.logits`` for held-out rows, as ``analyse`` scores them), on folds grouped by
article: no article has comments on both sides, and a held-out comment's discussion is the
other annotated comments of its article, all held out with it.

* Default: the 10 article folds of ``analyzer labels eval``, with and without the block
  (weight 0 = the model before), broken down by how many comments the comment's article has in
  the file (1 = the comment is alone: its block is empty), and each held-out comment also scored
  alone (its block left empty on purpose: what a user who passes single comments gets).
* ``--splits N``: N more partitions of the articles into 10 folds (seeded shuffles), with and
  without the block: how much the gain depends on the partition.
* ``--nested``: in each outer fold the weight (0 = no block, 0.5, 1.0) is chosen by ``--inner``
  article folds of the training part only, then fitted there and scored on the held-out fold:
  a figure that includes choosing whether to use the block at all.

docs/sentiment-and-labels.md quotes the results (this project's 2-core machine).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import scipy.sparse as sp

from analyzer.stages.labels import evaluate
from analyzer.stages.labels import model as label_model
from analyzer.stages.labels.features import THREAD_WEIGHT, ThreadBlock, thread_counts
from analyzer.stages.labels.train import read_labelled, targets, thread_matrix

WEIGHTS = (0.0, 0.5, 1.0)


class Data:
    """Hashed texts, article ids and gold labels of the annotated comments, computed once."""

    def __init__(self, path: str) -> None:
        self.items = [c for c in read_labelled(path) if any(v is not None for v in c.labels.values())]
        texts = [c.text for c in self.items]
        self.pre = label_model.precompute(texts, [c.is_reply for c in self.items])
        self.articles = np.asarray([c.article_id for c in self.items])
        self.y = targets(self.items, "sentiment_negative")
        self.labelled = np.flatnonzero(self.y >= 0)
        _, where, sizes = np.unique(self.articles, return_inverse=True, return_counts=True)
        self.article_size = sizes[where.ravel()]


def fit_predict(data: Data, fit_rows: np.ndarray, test_rows: np.ndarray, weights: tuple[float, ...]
                ) -> dict[float, tuple[np.ndarray, np.ndarray]]:
    """Per weight: held-out probabilities with the block and with the block left empty (alone)."""
    featurizer = label_model.Featurizer.fit([""] * fit_rows.size, [False] * fit_rows.size,
                                            {k: v[fit_rows] for k, v in data.pre.items()})
    x_own, x_test = featurizer.rows(data.pre, fit_rows), featurizer.rows(data.pre, test_rows)
    pooled = thread_counts(data.pre["word"], data.articles, fit_rows) if any(weights) else None
    out: dict[float, tuple[np.ndarray, np.ndarray]] = {}
    for weight in weights:
        if weight == 0.0:
            coef, intercept = label_model.fit_label(x_own, data.y[fit_rows])
            own = np.asarray(x_test @ coef).ravel() + intercept
            p = 1.0 / (1.0 + np.exp(-own))
            out[weight] = (p, p)
            continue
        block = ThreadBlock.fit(pooled, 1, weight=weight)
        x = sp.hstack([x_own, thread_matrix(block, pooled)]).tocsr()
        coef, intercept = label_model.fit_label(x, data.y[fit_rows])
        block.coef = coef[x_own.shape[1]:].reshape(1, -1)
        own = np.asarray(x_test @ coef[:x_own.shape[1]]).ravel() + intercept
        offsets = block.logits(data.pre["word"], data.articles)[test_rows, 0]
        out[weight] = (1.0 / (1.0 + np.exp(-(own + offsets))), 1.0 / (1.0 + np.exp(-own)))
    return out


def macro(data: Data, rows: np.ndarray, probs: np.ndarray) -> evaluate.LabelScores:
    return evaluate.binary_scores("sentiment_negative", data.y[rows], (probs[rows] >= label_model.THRESHOLD).astype(np.int64))


def cross(data: Data, folds: list[tuple[np.ndarray, np.ndarray]], weights: tuple[float, ...]) -> dict[float, tuple[np.ndarray, np.ndarray]]:
    probs = {w: (np.full(len(data.items), np.nan), np.full(len(data.items), np.nan)) for w in weights}
    for train, test in folds:
        fit_rows, test_rows = np.intersect1d(train, data.labelled), np.intersect1d(test, data.labelled)
        for w, (p, p_alone) in fit_predict(data, fit_rows, test_rows, weights).items():
            probs[w][0][test_rows], probs[w][1][test_rows] = p, p_alone
    return probs


def shuffled_folds(data: Data, seed: int, n_folds: int = evaluate.DEFAULT_FOLDS) -> list[tuple[np.ndarray, np.ndarray]]:
    keys = np.unique(data.articles)
    fold_of = dict(zip(keys, np.random.default_rng(seed).permutation(keys.size) % n_folds, strict=True))
    assigned = np.asarray([fold_of[a] for a in data.articles])
    return [(np.flatnonzero(assigned != k), np.flatnonzero(assigned == k)) for k in range(n_folds)]


def _line(name: str, s: evaluate.LabelScores) -> str:
    return (f"{name}: macro-F1 {s.macro_f1:.4f} (F1 {s.f1:.3f}, P {s.precision:.3f}, R {s.recall:.3f}, "
            f"accuracy {s.accuracy:.3f}, n {s.n}; constant {s.constant_macro_f1:.3f})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("omp")
    parser.add_argument("--splits", type=int, default=0)
    parser.add_argument("--nested", action="store_true")
    parser.add_argument("--inner", type=int, default=5)
    parser.add_argument("--skip-default", action="store_true")
    args = parser.parse_args(argv)
    started = time.process_time()
    data = Data(args.omp)
    folds = evaluate.article_folds(data.items, evaluate.DEFAULT_FOLDS)
    rows = data.labelled
    if not args.skip_default:
        probs = cross(data, folds, (0.0, THREAD_WEIGHT))
        print("the 10 article folds of `analyzer labels eval`:")
        print(_line("  without the block", macro(data, rows, probs[0.0][0])))
        print(_line(f"  with the block (weight {THREAD_WEIGHT:g})", macro(data, rows, probs[THREAD_WEIGHT][0])))
        print(_line("  with the block, each comment scored alone", macro(data, rows, probs[THREAD_WEIGHT][1])))
        for name, low, high in (("only comment of its article", 1, 1), ("article with 2-32 comments", 2, 32),
                                ("whole discussions (83-387 comments)", 33, 10**9)):
            part = rows[(data.article_size[rows] >= low) & (data.article_size[rows] <= high)]
            print(f"  {name}:")
            print(_line("    without", macro(data, part, probs[0.0][0])))
            print(_line("    with", macro(data, part, probs[THREAD_WEIGHT][0])))
        print(f"CPU {time.process_time() - started:.0f} s", flush=True)
    for seed in range(1, args.splits + 1):
        probs = cross(data, shuffled_folds(data, seed), (0.0, THREAD_WEIGHT))
        print(f"shuffled article split {seed}: without {macro(data, rows, probs[0.0][0]).macro_f1:.4f}, "
              f"with {macro(data, rows, probs[THREAD_WEIGHT][0]).macro_f1:.4f}, "
              f"alone {macro(data, rows, probs[THREAD_WEIGHT][1]).macro_f1:.4f}  (CPU {time.process_time() - started:.0f} s)",
              flush=True)
    if args.nested:
        from sklearn.model_selection import GroupKFold

        held = np.full(len(data.items), np.nan)
        for number, (train, test) in enumerate(folds, start=1):
            fit_all = np.intersect1d(train, data.labelled)
            inner = GroupKFold(n_splits=args.inner).split(fit_all, groups=data.articles[fit_all])
            inner_probs = {w: np.full(len(data.items), np.nan) for w in WEIGHTS}
            for inner_train, inner_test in inner:
                for w, (p, _) in fit_predict(data, fit_all[inner_train], fit_all[inner_test], WEIGHTS).items():
                    inner_probs[w][fit_all[inner_test]] = p
            scores = {w: macro(data, fit_all, inner_probs[w]).macro_f1 for w in WEIGHTS}
            chosen = max(WEIGHTS, key=lambda w: (round(scores[w], 6), -w))
            test_rows = np.intersect1d(test, data.labelled)
            held[test_rows] = fit_predict(data, fit_all, test_rows, (chosen,))[chosen][0]
            print(f"outer fold {number}: inner macro-F1 " + ", ".join(f"{w:g}: {s:.4f}" for w, s in scores.items())
                  + f" -> weight {chosen:g}  (CPU {time.process_time() - started:.0f} s)", flush=True)
        print(_line("nested (weight 0 / 0.5 / 1 chosen per outer fold)", macro(data, rows, held)))
    print(f"CPU {time.process_time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
