"""hashed_ngrams.hashed_counts equals scikit-learn's HashingVectorizer (the models' old code path)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.stages.hashed_ngrams import hashed_counts

CONFIGS = [("char_wb", (2, 4), 2**18), ("char_wb", (2, 5), 2**20), ("word", (1, 2), 2**18), ("word", (1, 2), 2**20)]
EDGE_TEXTS = [
    "", "   ", "a", "I", "ab", "a b", "Ja, aber das stimmt so nicht.", "ab  cd\t\nef  ",
    "İstanbul ΣΟΦΟΣ straße STRASSE Maß", "x\u0345y ﬁne ǅemal", "😀👍 +1 :-) /s", "Nur dass… „Zitat“ — nein!",
    "ÄÖÜ äöü " * 40, "wort " * 300, "\u00a0geschützt\u2009schmal\u3000breit", "a\x00b c\x1fd",
]


def reference(texts: list[str], analyzer: str, ngrams: tuple[int, int], n_features: int) -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    out = sp.csr_matrix(HashingVectorizer(analyzer=analyzer, ngram_range=ngrams, n_features=n_features, lowercase=True,
                                          alternate_sign=True, norm=None, dtype=np.float64).transform(texts))
    out.eliminate_zeros()
    return out


def assert_same(a: Any, b: Any) -> None:
    """Equal values and the same stored entries in the same order (later float sums depend on it)."""
    assert a.shape == b.shape
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)


@pytest.mark.parametrize(("analyzer", "ngrams", "n_features"), CONFIGS)
def test_equals_hashing_vectorizer_on_edge_cases(analyzer: str, ngrams: tuple[int, int], n_features: int) -> None:
    new = hashed_counts(EDGE_TEXTS, analyzer=analyzer, ngram_range=ngrams, n_features=n_features)
    assert new.has_sorted_indices and not np.any(new.data == 0)
    assert_same(new, reference(EDGE_TEXTS, analyzer, ngrams, n_features))


def test_only_empty_texts_give_empty_rows() -> None:
    out = hashed_counts(["", "  "], analyzer="char_wb", ngram_range=(2, 4), n_features=2**18)
    assert out.shape == (2, 2**18) and out.nnz == 0


def test_unknown_analyzer_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported analyzer"):
        hashed_counts(["a"], analyzer="char", ngram_range=(2, 4), n_features=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("abAB äÄßẞİıſΣσς \t\n.,!?😀\u0345-'")), max_size=40),
                min_size=1, max_size=8))
def test_equals_hashing_vectorizer_on_random_texts(texts: list[str]) -> None:
    for analyzer, ngrams, n_features in CONFIGS[:3]:
        assert_same(hashed_counts(texts, analyzer=analyzer, ngram_range=ngrams, n_features=n_features),
                    reference(texts, analyzer, ngrams, n_features))


@pytest.mark.shared_data
@pytest.mark.slow
def test_equals_hashing_vectorizer_on_real_comments(shared_dir: Path) -> None:
    csv = shared_dir / "data" / "omp_derstandard" / "omp_posts_dev.csv"
    texts = pl.read_csv(csv, infer_schema_length=0).get_column("Body").fill_null("").to_list()[:1500]
    for analyzer, ngrams, n_features in CONFIGS[:2]:
        assert_same(hashed_counts(texts, analyzer=analyzer, ngram_range=ngrams, n_features=n_features),
                    reference(texts, analyzer, ngrams, n_features))
