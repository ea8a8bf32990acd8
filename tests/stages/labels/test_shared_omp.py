"""On the real One Million Posts dev CSV (skipped when ../shared/data is absent).

A slice (every third article) keeps the test short; the full figures come from
``analyzer labels eval`` and are in docs/sentiment-and-labels.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.stages.labels import evaluate
from analyzer.stages.labels.train import read_labelled

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


def test_negative_vs_rest_beats_the_constant_answers_on_held_out_articles(shared_dir: Path) -> None:
    items = read_labelled(shared_dir / "data" / "omp_derstandard" / "omp_posts_dev.csv")
    part = [c for c in items if int(c.article_id) % 3 == 0 and c.labels.get("sentiment_negative") is not None]
    assert len(part) > 600
    evaluation = evaluate.cross_validate(part, n_folds=5, labels=["sentiment_negative"])
    scores = evaluation.by_label()["sentiment_negative"]
    # Held-out articles only; on a third of the data the model is weaker than on all of it
    # (measured with the thread words: macro-F1 0.615, accuracy 0.615, against 0.365 for the better
    # constant answer; 0.572 before them; scored alone 0.510).  In this slice
    # negative is the majority (57.5 %), and accuracy only ties with "always negative" (0.575):
    # accuracy is not the measure that separates a model from a constant here, macro-F1 is.
    assert scores.macro_f1 >= scores.constant_macro_f1 + 0.10
    assert scores.macro_f1 > 0.55 and scores.accuracy >= scores.majority_accuracy - 0.02
    assert evaluation.n_articles > 100 and scores.n == len(part)
