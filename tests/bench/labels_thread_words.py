"""Sentiment with the words of the comment's discussion: a held-out test of a "thread words" block.

    python -m tests.bench.labels_thread_words OMP_CSV [--weight 0.5 ...]

Why: a comment's SentimentNegative label goes with its discussion (correlation 0.43 with the
negative share of the other labelled comments of its article), and what a discussion is about
is in the words of *all* its comments, labelled or not. The thread-context stage of
``tests.bench.labels_context`` summarised the neighbours by one number (their mean predicted
logit) and gained nothing; this block gives the linear model the neighbours' words themselves.

Features: the shipped model's (hashed word 1-2-grams and char_wb 2-5-grams TF-IDF, 16 named
features x 3) plus one block per comment: the hashed word 1-2-grams present in the *other*
comments of the same article (every comment of the file counts, labelled or not; each comment
adds each n-gram once), TF-IDF with IDF from the training comments' blocks, buckets kept where
at least 5 training comments have them, L2-normalised, times ``--weight``. Only texts and the
article id are used, which ``analyse`` has for every thread. Balanced logistic regression,
C 1, threshold 0.5, as shipped.

Held out: the 10 article folds of ``analyzer labels eval`` (a discussion is never on both sides,
so its neighbours' words are never seen with its labels in training); block buckets and IDF are
fitted on the training rows. The weight is *not* selected here: each given weight is scored.

Result (docs/sentiment-and-labels.md; this project's 2-core machine): 0.607 at weight 0.5 and
0.607 at 1.0 against 0.596 shipped; about 2 CPU minutes per weight. Built into the package in
session 6 (``features.ThreadBlock``); the shipped model's checks are ``tests.bench.labels_thread_heldout``.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np
import scipy.sparse as sp

from analyzer.stages.labels import evaluate
from analyzer.stages.labels import model as label_model
from analyzer.stages.labels.train import read_labelled, targets

MIN_DF_THREAD = 5
NAMED_WEIGHT = label_model.FEATURE_WEIGHT


def thread_words(texts: list[str], articles: np.ndarray) -> Any:
    """Per comment: the word n-grams present in the other comments of its article (counts of comments)."""
    words = label_model.count_matrix("word", texts)
    words.data = np.sign(words.data)
    keys, inverse = np.unique(articles, return_inverse=True)
    member = sp.csr_matrix((np.ones(inverse.size), (inverse, np.arange(inverse.size))), shape=(keys.size, inverse.size))
    pooled = sp.csr_matrix((member @ words)[inverse] - words)
    pooled.eliminate_zeros()
    return pooled


def _matrix(pre: dict[str, Any], pooled: Any, fit_rows: np.ndarray, rows: np.ndarray, weight: float) -> Any:
    featurizer = label_model.Featurizer.fit([""] * len(fit_rows), [False] * len(fit_rows),
                                            {k: v[fit_rows] for k, v in pre.items()})
    df = np.bincount(pooled[fit_rows].indices, minlength=pooled.shape[1])
    keep = np.flatnonzero(df >= MIN_DF_THREAD)
    idf = np.log((1.0 + fit_rows.size) / (1.0 + df[keep])) + 1.0
    return sp.hstack([
        label_model.tfidf(pre["word"][rows][:, featurizer.word.buckets], featurizer.word.idf),
        label_model.tfidf(pre["char"][rows][:, featurizer.char.buckets], featurizer.char.idf),
        sp.csr_matrix(pre["named"][rows] / featurizer.scale * NAMED_WEIGHT),
        label_model.tfidf(pooled[rows][:, keep], idf) * weight,
    ]).tocsr()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("omp", help="One Million Posts CSV (omp_posts_dev.csv)")
    parser.add_argument("--weight", type=float, nargs="+", default=[0.5, 1.0])
    args = parser.parse_args(argv)
    started = time.process_time()
    items = [c for c in read_labelled(args.omp) if any(v is not None for v in c.labels.values())]
    folds = evaluate.article_folds(items, evaluate.DEFAULT_FOLDS)  # the folds of `analyzer labels eval`
    texts = [c.text for c in items]
    pre = label_model.precompute(texts, [c.is_reply for c in items])
    pooled = thread_words(texts, np.asarray([c.article_id for c in items]))
    y = targets(items, "sentiment_negative")
    labelled = y >= 0
    print(f"{int(labelled.sum())} sentiment comments; {float((abs(pooled[labelled]).sum(axis=1) > 0).mean()):.2f} "
          "have words of other comments of their article")
    for weight in [0.0, *args.weight]:
        probs = np.full(len(items), np.nan)
        for train, test in folds:
            fit_rows, score_rows = train[labelled[train]], test[labelled[test]]
            coef, intercept = label_model.fit_label(_matrix(pre, pooled, fit_rows, fit_rows, weight), y[fit_rows])
            scores = np.asarray(_matrix(pre, pooled, fit_rows, score_rows, weight) @ coef).ravel() + intercept
            probs[score_rows] = 1.0 / (1.0 + np.exp(-scores))
        s = evaluate.binary_scores("sentiment_negative", y[labelled],
                                   (probs[labelled] >= label_model.THRESHOLD).astype(np.int64))
        name = "shipped features" if weight == 0.0 else f"+ thread words, weight {weight:g}"
        print(f"{name}: negative-vs-rest macro-F1 {s.macro_f1:.4f} (F1 {s.f1:.3f}, P {s.precision:.3f}, "
              f"R {s.recall:.3f}, accuracy {s.accuracy:.3f}, n {s.n})", flush=True)
    print(f"CPU {time.process_time() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
