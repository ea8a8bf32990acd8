"""Repeated comments are scored once and get exactly the numbers each would get row by row."""

from __future__ import annotations

import numpy as np
import polars as pl

from analyzer.stages.labels import model as label_model
from analyzer.stages.labels import stage


def test_repeated_texts_get_the_numbers_of_a_row_by_row_run() -> None:
    model = label_model.load(label_model.PACKAGED_MODEL)
    texts = ["Danke!", "Das ist völliger Unsinn, lesen Sie den Artikel.", "Danke!", "Super Beitrag 👍",
             "Das ist völliger Unsinn, lesen Sie den Artikel.", "Danke!", "Nein."]
    parents = [None, "c0", None, "c1", None, "c4", "c2"]
    comments = pl.DataFrame({
        "article_id": ["a"] * len(texts), "comment_id": [f"c{i}" for i in range(len(texts))], "text": texts,
        "parent_id": parents, "kind": ["comment"] * len(texts),
    })
    frame = stage.label_comments(comments, model, article_lang={"a": "de"})
    # Row by row, each with its own share of the thread block (the other comments of article a).
    offsets = stage.thread_offsets(model, texts, ["a"] * len(texts))
    alone = np.vstack([model.predict_proba([t], [p is not None], None if offsets is None else offsets[i:i + 1])
                       for i, (t, p) in enumerate(zip(texts, parents, strict=True))])
    for j, stem in enumerate(model.labels):
        assert frame.get_column(f"p_{stem}").to_list() == alone[:, j].tolist()
    # a repeated text that is a reply in one place and not in another is two inputs
    assert frame.get_column("p_sentiment_negative")[1] != frame.get_column("p_sentiment_negative")[4] or \
        model.predict_proba([texts[1]], [True]).tolist() == model.predict_proba([texts[1]], [False]).tolist()
