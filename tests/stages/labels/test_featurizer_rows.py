"""``Featurizer.rows`` over all rows reads the precomputed counts without copying them first: the same matrix."""

from __future__ import annotations

import random

import numpy as np

from analyzer.stages.labels import model as label_model


def test_all_rows_equal_the_rows_taken_one_by_one() -> None:
    rng = random.Random(5)
    words = ["Das", "ist", "doch", "Unsinn", "gut", "!!", "„so“", "Regierung", "nicht", "SUPER", ":)", "www.x.at"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 30))) for _ in range(600)]
    replies = [rng.random() < 0.5 for _ in texts]
    pre = label_model.precompute(texts, replies)
    featurizer = label_model.Featurizer.fit(texts, replies, pre)
    every = featurizer.rows(pre, slice(None))
    taken = featurizer.rows(pre, np.arange(len(texts)))
    assert every.shape == taken.shape
    assert np.array_equal(every.indptr, taken.indptr) and np.array_equal(every.indices, taken.indices)
    assert np.array_equal(every.data.view(np.uint64), taken.data.view(np.uint64))
    assert pre["word"].nnz and pre["char"].nnz  # the counts are still there, untouched
