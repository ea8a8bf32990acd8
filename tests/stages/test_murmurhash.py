"""Our MurmurHash3 and hashers give scikit-learn's buckets, signs and model probabilities.

``analyzer.stages.hashed_ngrams`` hashes n-grams without scikit-learn (whose import was most of
one page's run).  Checked here: the hash against MurmurHash3_x86_32 values published with
implementations of Appleby's algorithm and against ``sklearn.utils.murmurhash3_32``, and the dict
hasher against ``FeatureHasher``.  The models on real comments: tests/stages/test_predict_paths.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np
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


def test_long_spans_hashed_alike() -> None:
    """Spans over 1,024 bytes take the one-by-one path; the hashes are the same."""
    buffer = ("straße " * 800).encode()
    starts = np.asarray([0, 5, 3, 2000, 0])
    lengths = np.asarray([len(buffer), 1025, 1024, 7, 3])
    got = murmurhash3_spans(buffer, starts, lengths)
    assert [int(h) for h in got] == [murmurhash3_32(buffer[s:s + n]) for s, n in zip(starts, lengths, strict=True)]
    text = "a" * 5000 + " bb cc"  # a huge token and its bigram
    counts = hashed_ngrams.hashed_counts([text], analyzer="word", ngram_range=(1, 2), n_features=2**20)
    grams = ["a" * 5000, "bb", "cc", "a" * 5000 + " bb", "bb cc"]
    expected = {abs(murmurhash3_32(g)) % 2**20: 1.0 if murmurhash3_32(g) >= 0 else -1.0 for g in grams}
    assert dict(zip(counts.indices.tolist(), counts.data.tolist(), strict=True)) == expected
