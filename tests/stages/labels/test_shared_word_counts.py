"""The hashed word counts are made once per run for the thread block and the prediction batches.

Before, ``thread_offsets`` and every prediction batch counted the word n-grams of their texts
themselves.  A text's row does not depend on the other texts, so the shared counts must give
bit-equal probabilities: checked here against the two counts made apart, above the size where
both take the scipy path, with repeated texts, replies and empty texts, and batches that split
the input.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from analyzer.stages import sparse_rows
from analyzer.stages.labels import model as label_model
from analyzer.stages.labels import stage

WORDS = ["Regierung", "Bahn", "gut", "schlecht", "nein", "ja", "völlig", "Unsinn", "danke", "Artikel", "👍", "!", "?"]


def _comments(n: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    texts = [" ".join(rng.choice(WORDS, size=int(rng.integers(0, 12)))) for _ in range(n)]
    texts[5] = texts[9] = texts[17]  # repeated texts, in one article and across articles
    articles = [f"a{int(x)}" for x in rng.integers(0, 9, size=n)]
    parents = [None if i == 0 or rng.random() < 0.3 else f"c{int(rng.integers(0, i))}" for i in range(n)]
    return pl.DataFrame({"article_id": articles, "comment_id": [f"c{i}" for i in range(n)], "text": texts,
                         "parent_id": parents, "kind": ["comment"] * n})


def _apart(model: label_model.LabelModel, comments: pl.DataFrame) -> np.ndarray:
    """The probabilities as the stage made them before: each part counts its own words."""
    comments = comments.filter(pl.col("text").str.strip_chars() != "")  # the rows the stage labels
    texts = comments.get_column("text").to_list()
    articles = comments.get_column("article_id").to_list()
    replies = comments.get_column("parent_id").is_not_null().to_list()
    offsets = stage.thread_offsets(model, texts, articles)
    return np.vstack([model.predict_proba([t], [r], None if offsets is None else offsets[i:i + 1])
                      for i, (t, r) in enumerate(zip(texts, replies, strict=True))])


@pytest.mark.parametrize("batch", [stage.BATCH, 97])
def test_shared_word_counts_give_the_same_probabilities(batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    if not label_model.PACKAGED_MODEL.is_file():
        pytest.skip("the packaged label model is absent")
    model = label_model.load(label_model.PACKAGED_MODEL)
    comments = _comments(sparse_rows.ROWS_PATH_MAX + 150, seed=batch)
    monkeypatch.setattr(stage, "BATCH", batch)
    counted = []
    real = label_model.count_matrix

    def counting(kind: str, texts: list[str]) -> object:
        counted.append((kind, len(texts)))
        return real(kind, texts)

    monkeypatch.setattr(label_model, "count_matrix", counting)
    shared = stage.label_probabilities(comments, model)
    words = [n for kind, n in counted if kind == "word"]
    assert len(words) == 1  # once for the whole input, not per batch and again for the thread block
    monkeypatch.setattr(label_model, "count_matrix", real)
    monkeypatch.setattr(sparse_rows, "ROWS_PATH_MAX", -1)  # the row-by-row reference on the scipy path too
    reference = _apart(model, comments)
    assert shared is not None and shared.shape == reference.shape
    assert np.array_equal(shared.view(np.uint64), reference.view(np.uint64))


def test_precompute_checks_the_shape_of_given_counts() -> None:
    texts = ["eins zwei", "drei"]
    counts = label_model.count_matrix("word", texts)
    pre = label_model.precompute(texts, [False, True], word_counts=counts)
    assert pre["word"] is counts
    with pytest.raises(ValueError, match="word counts of shape"):
        label_model.precompute(texts[:1], [False], word_counts=counts)
