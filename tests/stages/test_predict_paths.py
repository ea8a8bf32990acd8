"""Both packaged models predict the same without scikit-learn, and without scipy.sparse.

On real One Million Posts dev comments (skipped when ../shared/data is absent):

* our MurmurHash3 hashers give the same hashed columns (bucket, sign, count of every entry) as
  scikit-learn's ``HashingVectorizer``/``FeatureHasher``, and the probabilities agree within 1e-9
  (they are in fact equal);
* the numpy-only prediction path (:mod:`analyzer.stages.sparse_rows`, used for small inputs)
  gives bit for bit the probabilities of the scipy.sparse path (used for large ones).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import scipy.sparse as sp

from analyzer.stages import hashed_ngrams, sparse_rows

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


def assert_same(a: Any, b: Any) -> None:
    """The same stored entries (bucket and signed value) in the same order."""
    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


# --- real comments: both packaged models, our path against scikit-learn's ---------------------

OMP_MAP = ("comment_id=ID_Post,parent_id=ID_Parent_Post,article_id=ID_Article,author=ID_User,created_at=CreatedAt,"
           "text=Headline+Body,deleted=Status")


def sklearn_paths(patch: pytest.MonkeyPatch) -> None:
    """Put scikit-learn's hashers back where the models call ours."""
    from analyzer.stages.stance import hashed

    def counts(texts: Any, *, analyzer: str, ngram_range: tuple[int, int], n_features: int, lowercase: bool = True) -> Any:
        return hashed_ngrams._sklearn_counts(texts, analyzer, ngram_range, n_features, lowercase)

    patch.setattr(hashed_ngrams, "hashed_counts", counts)
    patch.setattr(hashed, "_key_counts", lambda keys: hashed._key_hasher().transform(keys).tocsr())


@pytest.fixture(scope="module")
def omp_replies(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Stance model inputs (own text and named features) of the OMP dev replies of every fifth article."""
    from analyzer.ingest import ReadOptions
    from analyzer.pipeline import analyse
    from analyzer.stages.stance.inputs import build_inputs
    from analyzer.stages.stance.inventory import load_inventories
    from analyzer.stages.stance.stage import cue_decisions, samples_for
    from tests.conftest import SHARED

    if not (SHARED / "data").is_dir():
        pytest.skip(f"shared data folder {SHARED} is absent")
    frame = pl.read_csv(SHARED / "data" / "omp_derstandard" / "omp_posts_dev.csv", infer_schema_length=0)
    path = tmp_path_factory.mktemp("omp") / "omp_part.csv"
    frame.filter(pl.col("ID_Article").cast(pl.Int64) % 5 == 0).write_csv(path)
    mapping = dict(item.split("=", 1) for item in OMP_MAP.split(","))
    forest = analyse([str(path)], options=ReadOptions(mapping=mapping), stages="structure").forest
    inputs = build_inputs(forest, {})
    replies = [i for i, item in enumerate(inputs) if not item.top_level and item.lang == "de"]
    samples = samples_for(inputs, cue_decisions(inputs, load_inventories()), set(replies))
    return [samples[i] for i in replies]


def test_stance_model_same_columns_and_probabilities(omp_replies: list[dict[str, Any]],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.stages.stance import german, hashed, trained

    model = trained.load(german.PACKAGED_MODEL).pipelines["parent"]
    assert isinstance(model, hashed.HashedStance) and len(omp_replies) > 500
    assert any(hashed.split_features(s["features"])[1] for s in omp_replies)  # the keys block is exercised
    new_raw = hashed.raw_blocks(omp_replies)
    new = model.predict_proba(omp_replies)
    with monkeypatch.context() as patch:
        sklearn_paths(patch)
        old_raw = hashed.raw_blocks(omp_replies)
        old = model.predict_proba(omp_replies)
    for name in ("words", "chars", "keys"):
        assert_same(new_raw[name], old_raw[name])
    assert new.shape == old.shape and np.max(np.abs(new - old)) <= 1e-9


def test_label_model_same_columns_and_probabilities(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.stages.labels import model as label_model

    frame = pl.read_csv(shared_dir / "data" / "omp_derstandard" / "omp_posts_dev.csv", infer_schema_length=0)
    texts = frame.get_column("Body").fill_null("").to_list()[::4]
    is_reply = frame.get_column("ID_Parent_Post").is_not_null().to_list()[::4]
    model = label_model.load(label_model.PACKAGED_MODEL)
    new_counts = {kind: label_model.count_matrix(kind, texts) for kind in ("word", "char")}
    new = model.predict_proba(texts, is_reply)
    with monkeypatch.context() as patch:
        sklearn_paths(patch)
        old_counts = {kind: label_model.count_matrix(kind, texts) for kind in ("word", "char")}
        old = model.predict_proba(texts, is_reply)
    for kind in ("word", "char"):
        assert_same(new_counts[kind], old_counts[kind])
    assert new.shape == old.shape == (len(texts), len(model.labels)) and np.max(np.abs(new - old)) <= 1e-9


def test_stance_rows_path_equals_scipy_path(omp_replies: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.stages.stance import german, hashed, trained

    model = trained.load(german.PACKAGED_MODEL).pipelines["parent"]
    batches = [omp_replies[i:i + 400] for i in range(0, len(omp_replies), 400)]
    assert len(batches) > 1 and model._rows_path(400)
    rows = [model.predict_proba(b) for b in batches]
    with monkeypatch.context() as patch:
        patch.setattr(sparse_rows, "ROWS_PATH_MAX", 0)
        assert not model._rows_path(400)
        scipy_path = [model.predict_proba(b) for b in batches]
    for a, b in zip(rows, scipy_path, strict=True):
        assert np.array_equal(a, b)
    assert isinstance(model, hashed.HashedStance)


def test_label_rows_path_equals_scipy_path(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.stages.labels import model as label_model

    frame = pl.read_csv(shared_dir / "data" / "omp_derstandard" / "omp_posts_dev.csv", infer_schema_length=0)
    texts = frame.get_column("Body").fill_null("").to_list()
    is_reply = frame.get_column("ID_Parent_Post").is_not_null().to_list()
    model = label_model.load(label_model.PACKAGED_MODEL)
    spans = [(i, i + 450) for i in range(0, len(texts), 450)]
    rows = [model.predict_proba(texts[a:b], is_reply[a:b]) for a, b in spans]
    with monkeypatch.context() as patch:
        patch.setattr(sparse_rows, "ROWS_PATH_MAX", 0)
        scipy_path = [model.predict_proba(texts[a:b], is_reply[a:b]) for a, b in spans]
    for a, b in zip(rows, scipy_path, strict=True):
        assert np.array_equal(a, b)
