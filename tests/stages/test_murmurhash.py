"""Our MurmurHash3 and hashers give scikit-learn's buckets, signs and model probabilities.

``analyzer.stages.hashed_ngrams`` hashes n-grams without scikit-learn (whose import was most of
one page's run).  Checked here: the hash against MurmurHash3_x86_32 values published with
implementations of Appleby's algorithm and against ``sklearn.utils.murmurhash3_32``; the dict
hasher against ``FeatureHasher``; and, on real One Million Posts comments, the hashed columns of
both packaged models and their probabilities against the scikit-learn path (skipped when
../shared/data is absent).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.stages import hashed_ngrams
from analyzer.stages.hashed_ngrams import (
    hash_dicts,
    hash_strings,
    murmurhash3_32,
    murmurhash3_spans,
)

# (key, seed, unsigned MurmurHash3_x86_32): values listed with public implementations of the
# algorithm (SMHasher's verification keys and widely quoted examples).
KNOWN = [
    (b"", 0, 0x00000000),
    (b"", 1, 0x514E28B7),
    (b"", 0xFFFFFFFF, 0x81F16F39),
    (b"\x00\x00\x00\x00", 0, 0x2362F9DE),
    (b"aaaa", 0x9747B28C, 0x5A97808A),
    (b"aaa", 0x9747B28C, 0x283E0130),
    (b"aa", 0x9747B28C, 0x5D211726),
    (b"a", 0x9747B28C, 0x7FA09EA6),
    (b"Hello, world!", 0x9747B28C, 0x24884CBA),
    (b"The quick brown fox jumps over the lazy dog", 0x9747B28C, 0x2FA826CD),
]


def signed(value: int) -> int:
    return value - (1 << 32) if value >= 1 << 31 else value


@pytest.mark.parametrize(("key", "seed", "expected"), KNOWN)
def test_known_values(key: bytes, seed: int, expected: int) -> None:
    assert murmurhash3_32(key, seed) == signed(expected)
    spans = murmurhash3_spans(key, np.asarray([0]), np.asarray([len(key)]), seed)
    assert int(spans[0]) == signed(expected)


def test_spans_of_one_buffer_in_any_order() -> None:
    buffer = "straße😀 abcdefghijklmnop".encode()
    starts = np.asarray([0, 3, 7, 0, 12, 5, 9])
    lengths = np.asarray([len(buffer), 5, 0, 1, 13, 4, 8])
    got = murmurhash3_spans(buffer, starts, lengths)
    assert [int(h) for h in got] == [murmurhash3_32(buffer[s:s + n]) for s, n in zip(starts, lengths, strict=True)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.characters(codec="utf-8"), max_size=60), max_size=30))
def test_equals_scikit_learn_murmurhash(keys: list[str]) -> None:
    from sklearn.utils import murmurhash3_32 as reference

    expected = [int(reference(k, seed=0)) for k in keys]
    assert [murmurhash3_32(k) for k in keys] == expected
    assert [int(h) for h in hash_strings(keys)] == expected


def feature_hasher(rows: list[dict[str, Any]], n_features: int) -> Any:
    from sklearn.feature_extraction import FeatureHasher

    return FeatureHasher(n_features=n_features, input_type="dict", alternate_sign=True,
                         dtype=np.float64).transform(rows).tocsr()


def assert_same(a: Any, b: Any) -> None:
    """The same stored entries (bucket and signed value) in the same order."""
    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


def test_dict_hasher_equals_feature_hasher() -> None:
    rows: list[dict[str, Any]] = [
        {"de:first=aber": 1.0, "de:first=nein": 0.0, "x": -2.5, "lang": "de"},
        {},
        {"de:first=straße": 3, "de:first=😀": 1.0, "flag": True},
        {f"k{i}": float(i % 3) for i in range(50)},  # collisions in 8 buckets, cancelling signs
    ]
    for n_features in (8, 2**12):
        assert_same(hash_dicts(rows, n_features), feature_hasher(rows, n_features))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.text(st.characters(codec="utf-8"), max_size=12),
                                st.one_of(st.floats(-5, 5), st.integers(-3, 3), st.sampled_from(["a", "ß"])),
                                max_size=6), min_size=1, max_size=6))
def test_dict_hasher_equals_feature_hasher_on_random_rows(rows: list[dict[str, Any]]) -> None:
    assert_same(hash_dicts(rows, 64), feature_hasher(rows, 64))


def test_word_ngrams_of_empty_input_and_tokenless_texts() -> None:
    out = hashed_ngrams.hashed_counts([], analyzer="word", ngram_range=(1, 2), n_features=16)
    assert out.shape == (0, 16)
    out = hashed_ngrams.hashed_counts(["", "a", "!!"], analyzer="word", ngram_range=(1, 2), n_features=16)
    assert out.shape == (3, 16) and out.nnz == 0


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


@pytest.mark.shared_data
@pytest.mark.slow
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


@pytest.mark.shared_data
@pytest.mark.slow
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
