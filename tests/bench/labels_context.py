"""Does the thread lift comment sentiment? A nested held-out test of a thread-context second stage.

    python -m tests.bench.labels_context OMP_CSV [--inner 5] [--articles-mod K]

Why: on the 2,684 sentiment-annotated dev comments of One Million Posts, a comment's
SentimentNegative label correlates 0.43 with the share of negative labels among the *other*
labelled comments of its article (1,835 comments have such neighbours): the moderators' label
goes with the tone of the discussion. This script asks whether that survives when the tone has
to be estimated from the texts, as ``analyse`` would have to at run time.

Design (fixed before scoring): first stage = the shipped sentiment model (hashed word and
character n-grams + named features, C 1, weight 3, featurizer fitted on the sentiment-annotated
training comments). Its logit ``z`` is computed for every comment of the file (all 8,954,
labelled or not: they are the threads). Second stage = a balanced logistic regression over six
features of a comment: its own ``z``; the mean ``z`` of the other comments of its article, whether
there are any, and how many (log); its parent's ``z`` and whether the parent is present. No
label, vote or moderation status is used.

Held out and nested: the 10 article folds of ``analyzer labels eval``; in each, the held-out
articles' comments are scored by a first stage fitted on the training articles, and the second
stage is learnt from *out-of-fold* first-stage logits of the training articles (``--inner``
article folds inside the training part), never from the held-out fold.

Result (docs/sentiment-and-labels.md, this project's 2-core machine, about 4 CPU minutes):
first stage alone 0.596, with the thread stage 0.598 negative-vs-rest macro-F1 held out; the
thread-mean weight changes sign across folds (-0.79 to 1.75). Not shipped.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from analyzer.stages.labels import evaluate
from analyzer.stages.labels import model as label_model
from analyzer.stages.labels.train import read_labelled, targets

FEATURES = ("own_logit", "thread_mean_others", "thread_has_others", "thread_n_others_log", "parent_logit", "has_parent")


def _first_stage(pre: dict[str, Any], y: np.ndarray, fit_rows: np.ndarray, score_rows: np.ndarray) -> np.ndarray:
    featurizer = label_model.Featurizer.fit([""] * len(fit_rows), [False] * len(fit_rows),
                                            {k: v[fit_rows] for k, v in pre.items()})
    coef, intercept = label_model.fit_label(featurizer.rows(pre, fit_rows), y[fit_rows])
    return np.asarray(featurizer.rows(pre, score_rows) @ coef).ravel() + intercept


def context_features(z: np.ndarray, articles: np.ndarray, parents: np.ndarray) -> np.ndarray:
    """The six features of every comment; NaN in ``z`` = not scored (neither neighbour nor parent)."""
    scored = ~np.isnan(z)
    values = np.where(scored, z, 0.0)
    keys, inverse = np.unique(articles, return_inverse=True)
    sums = np.bincount(inverse, weights=values, minlength=keys.size)
    counts = np.bincount(inverse, weights=scored.astype(float), minlength=keys.size)
    others = np.maximum(counts[inverse] - scored, 0.0)
    mean_others = np.where(others > 0, (sums[inverse] - values) / np.maximum(others, 1.0), 0.0)
    has_parent = (parents >= 0) & scored[np.clip(parents, 0, None)]
    parent_z = np.where(has_parent, values[np.clip(parents, 0, None)], 0.0)
    return np.column_stack([values, mean_others, (others > 0).astype(float), np.log1p(others), parent_z,
                            has_parent.astype(float)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("omp", help="One Million Posts CSV (omp_posts_dev.csv)")
    parser.add_argument("--inner", type=int, default=5)
    parser.add_argument("--articles-mod", type=int, default=1, help="keep every K-th article (a quick run)")
    args = parser.parse_args(argv)
    started = time.process_time()
    items = [c for c in read_labelled(args.omp) if any(v is not None for v in c.labels.values())]
    if args.articles_mod > 1:
        items = [c for c in items if int(c.article_id) % args.articles_mod == 0]
    folds = evaluate.article_folds(items, evaluate.DEFAULT_FOLDS)  # the folds of `analyzer labels eval`
    pre = label_model.precompute([c.text for c in items], [c.is_reply for c in items])
    y = targets(items, "sentiment_negative")
    labelled = y >= 0
    articles = np.asarray([c.article_id for c in items])
    parent_of = _parents(args.omp)
    where = {(c.article_id, c.post_id): i for i, c in enumerate(items)}
    parents = np.asarray([where.get((c.article_id, parent_of.get(c.post_id) or ""), -1) for c in items])
    first = np.full(len(items), np.nan)
    second = np.full(len(items), np.nan)
    for number, (train, test) in enumerate(folds, start=1):
        fit_rows = train[labelled[train]]
        scored = test[labelled[test]]
        if scored.size == 0:
            continue  # a quick run's fold without labelled comments
        z_test = np.full(len(items), np.nan)
        z_test[test] = _first_stage(pre, y, fit_rows, test)
        z_train = np.full(len(items), np.nan)
        for inner_fit, inner_score in GroupKFold(n_splits=args.inner).split(train, groups=articles[train]):
            rows = train[inner_fit][labelled[train[inner_fit]]]
            if rows.size and len(set(y[rows].tolist())) == 2:
                z_train[train[inner_score]] = _first_stage(pre, y, rows, train[inner_score])
        fit_rows = fit_rows[~np.isnan(z_train[fit_rows])]
        if len(set(y[fit_rows].tolist())) < 2:
            continue  # a quick run's training part without both classes
        x_train = context_features(z_train, articles, parents)[fit_rows]
        stage = LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear").fit(x_train, y[fit_rows])
        first[scored] = z_test[scored]
        second[scored] = stage.predict_proba(context_features(z_test, articles, parents)[scored])[:, 1]
        weights = ", ".join(f"{n} {w:+.2f}" for n, w in zip(FEATURES, stage.coef_[0], strict=True))
        print(f"fold {number}: {weights}", flush=True)
    done = labelled & ~np.isnan(second)
    gold = y[done]
    one = evaluate.binary_scores("sentiment_negative", gold, (first[done] >= 0).astype(np.int64))
    two = evaluate.binary_scores("sentiment_negative", gold, (second[done] >= 0.5).astype(np.int64))
    for name, s in (("first stage (words alone)", one), ("with the thread stage", two)):
        print(f"{name}: negative-vs-rest macro-F1 {s.macro_f1:.4f} (F1 {s.f1:.3f}, accuracy {s.accuracy:.3f}, n {s.n})")
    print(f"CPU {time.process_time() - started:.0f} s")
    return 0


def _parents(path: str) -> dict[str, str]:
    import csv
    import sys

    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["ID_Post"]: row["ID_Parent_Post"] for row in csv.DictReader(handle) if row.get("ID_Parent_Post")}


if __name__ == "__main__":
    raise SystemExit(main())
