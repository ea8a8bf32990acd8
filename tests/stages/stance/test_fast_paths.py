"""The stance and labels stages give the same rows through their fast paths as through the old ones.

The old code paths are still in the package and are put back here with ``monkeypatch``: n-gram
counts by scikit-learn's ``HashingVectorizer`` (``hashed_ngrams._sklearn_counts``) and its
``FeatureHasher`` for the stance model's word-valued keys, one
``finditer`` per cue and feature pattern, and the stance cue reading through the local engine with
every comment and decision pickled.  Real replies: One Million Posts dev comments of every third
article (skipped when ../shared/data is absent), with the packaged German stance model and the
packaged label model.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analyzer.engines.local import LocalEngine
from analyzer.stages import hashed_ngrams
from analyzer.stages.labels import model as label_model
from analyzer.stages.labels import stage as labels_stage
from analyzer.stages.stance import german, hashed, trained
from analyzer.stages.stance import stage as stance_stage
from analyzer.stages.stance.inputs import build_inputs
from analyzer.stages.stance.inventory import load_inventories
from analyzer.stages.stance.patternset import PatternSet

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]
OMP_MAP = ("comment_id=ID_Post,parent_id=ID_Parent_Post,article_id=ID_Article,author=ID_User,created_at=CreatedAt,"
           "text=Headline+Body,deleted=Status")


@pytest.fixture(scope="module")
def forest(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from analyzer.ingest import ReadOptions
    from analyzer.pipeline import analyse
    from tests.conftest import SHARED

    if not (SHARED / "data").is_dir():
        pytest.skip(f"shared data folder {SHARED} is absent")
    frame = pl.read_csv(SHARED / "data" / "omp_derstandard" / "omp_posts_dev.csv", infer_schema_length=0)
    part = frame.filter(pl.col("ID_Article").cast(pl.Int64) % 3 == 0)
    path = tmp_path_factory.mktemp("omp") / "omp_part.csv"
    part.write_csv(path)
    mapping = dict(item.split("=", 1) for item in OMP_MAP.split(","))
    return analyse([str(path)], options=ReadOptions(mapping=mapping), stages="structure").forest


def _old_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    def counts(texts: Any, *, analyzer: str, ngram_range: tuple[int, int], n_features: int, lowercase: bool = True) -> Any:
        return hashed_ngrams._sklearn_counts(texts, analyzer, ngram_range, n_features, lowercase)

    def finditer_all(self: PatternSet, text: str, skip: Any = None) -> list[list[re.Match[str]]]:
        return [[] if p is None or (skip is not None and skip[k]) else list(p.finditer(text))
                for k, p in enumerate(self.patterns)]

    monkeypatch.setattr(hashed_ngrams, "hashed_counts", counts)
    monkeypatch.setattr(hashed, "_key_counts", lambda keys: hashed._key_hasher().transform(keys).tocsr())
    monkeypatch.setattr(PatternSet, "finditer_all", finditer_all)


def _stance(forest: Any) -> pl.DataFrame:
    model = trained.load(german.PACKAGED_MODEL)
    frame, _, _ = stance_stage.label_comments(forest, {}, model=model, inventories=load_inventories(),
                                              model_languages=frozenset({"de"}), model_replies_only=True)
    return frame


def test_stance_rows_equal_through_old_and_new_paths(forest: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    new = _stance(forest)
    assert new.height > 2000 and (new.get_column("model") == "stance-de-omp").sum() > 1000
    with monkeypatch.context() as patch:
        _old_paths(patch)
        old = _stance(forest)
    assert_frame_equal(new, old)  # labels, confidences and the evidence JSON (spans, probabilities)


def test_labels_rows_equal_through_old_and_new_paths(forest: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    model = label_model.load(label_model.PACKAGED_MODEL)
    new = labels_stage.label_comments(forest.comments, model)
    assert new.get_column("p_sentiment_negative").is_not_null().sum() > 2000
    with monkeypatch.context() as patch:
        _old_paths(patch)
        old = labels_stage.label_comments(forest.comments, model)
    assert_frame_equal(new, old)


def test_local_engine_without_pickling_gives_the_same_decisions(forest: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = build_inputs(forest, {})[:1500]
    engine = LocalEngine(batch_rows=400)
    new = stance_stage.engine_decisions(engine, None, inputs)
    described = engine.describe()
    with monkeypatch.context() as patch:
        patch.setattr(stance_stage, "LocalEngine", type("NotLocal", (), {}))  # the pickling path
        old = stance_stage.engine_decisions(engine, None, inputs)
    assert new == old and described == engine.describe() == {"name": "local", "batch_rows": 400, "n_batches": 4}
