"""sparse_rows: each operation equals the scipy.sparse expression the models use, bit for bit."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.stages import sparse_rows as sr


def as_rows(matrix: Any) -> sr.Rows:
    m = sp.csr_matrix(matrix)
    return sr.Rows(m.indptr.astype(np.int64), m.indices.astype(np.int64), m.data.astype(np.float64), m.shape)


def assert_same(rows: sr.Rows, matrix: Any) -> None:
    m = sp.csr_matrix(matrix)
    assert rows.shape == m.shape
    assert np.array_equal(rows.indptr, m.indptr)
    assert np.array_equal(rows.indices, m.indices)
    assert np.array_equal(rows.data, m.data)


def random_csr(seed: int, n_rows: int, n_cols: int, density: float) -> Any:
    """Values of very different sizes (sums depend on their order), some rows empty."""
    rng = np.random.default_rng(seed)
    m = sp.random(n_rows, n_cols, density=density, format="csr", random_state=rng)
    m.data = rng.normal(size=m.nnz) * 10.0 ** rng.integers(-6, 6, size=m.nnz)
    m.sort_indices()
    return m


@pytest.mark.parametrize("seed", range(5))
def test_tfidf_steps_and_product_equal_scipy(seed: int) -> None:
    m = random_csr(seed, 60, 400, 0.08)
    columns = np.sort(np.random.default_rng(seed).choice(400, size=150, replace=False)).astype(np.int64)
    idf = np.random.default_rng(seed + 1).uniform(1, 9, size=150)
    coef = np.random.default_rng(seed + 2).normal(size=(3, 150 + 7))

    kept = sr.select_columns(as_rows(m), columns)
    assert_same(kept, m[:, columns])
    scaled = kept.with_data(kept.data * idf[kept.indices])
    expected = sp.csr_matrix(m[:, columns].multiply(idf.reshape(1, -1)))
    assert_same(scaled, expected)
    norms = np.sqrt(np.asarray(expected.multiply(expected).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    expected = sp.csr_matrix(expected.multiply((1.0 / norms).reshape(-1, 1)))
    normalised = sr.normalise_rows(scaled)
    assert_same(normalised, expected)

    dense = np.random.default_rng(seed + 3).normal(size=(60, 7))
    dense[dense < 0.5] = 0.0
    assert_same(sr.from_dense(dense), sp.csr_matrix(dense))
    stacked = sr.hstack([normalised, sr.from_dense(dense)])
    expected_stack = sp.hstack([expected, sp.csr_matrix(dense)]).tocsr()
    assert_same(stacked, expected_stack)
    assert np.array_equal(sr.matmul(stacked, coef.T), np.asarray(expected_stack @ coef.T))
    assert np.array_equal(sr.matmul(stacked, coef[:1].T), np.asarray(expected_stack @ coef[:1].T))


def test_stored_zeros_and_empty_rows() -> None:
    m = sp.csr_matrix((np.asarray([0.0, 2.0, 0.0, -3.0]), np.asarray([1, 4, 0, 2]), np.asarray([0, 2, 2, 4, 4])),
                      shape=(4, 6))
    assert m.nnz == 4  # two stored zeros, two empty rows
    rows = as_rows(m)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    assert_same(sr.normalise_rows(rows), sp.csr_matrix(m.multiply((1.0 / norms).reshape(-1, 1))))
    assert_same(sr.select_columns(rows, np.asarray([0, 4, 5])), m[:, [0, 4, 5]])
    assert_same(sr.select_columns(sr.empty(3, 6), np.asarray([1, 2])), sp.csr_matrix((3, 2)))
    assert sr.matmul(sr.empty(2, 6), np.ones((6, 2))).tolist() == [[0.0, 0.0], [0.0, 0.0]]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 9), st.integers(-3, 3)), max_size=40), st.booleans())
def test_from_entries_sums_like_coo_to_csr(entries: list[tuple[int, int, int]], drop: bool) -> None:
    rows = np.asarray([e[0] for e in entries], dtype=np.int64)
    cols = np.asarray([e[1] for e in entries], dtype=np.int64)
    vals = np.asarray([e[2] for e in entries], dtype=np.float64)
    expected = sp.coo_matrix((vals, (rows, cols)), shape=(6, 10)).tocsr()
    expected.sum_duplicates()
    if drop:
        expected.eliminate_zeros()
    assert_same(sr.from_entries(rows, cols, vals, (6, 10), drop_zeros=drop), expected)


def test_sorted_unique() -> None:
    assert sr.is_sorted_unique(np.asarray([1, 3, 8])) and sr.is_sorted_unique(np.asarray([], dtype=np.int64))
    assert not sr.is_sorted_unique(np.asarray([1, 3, 3])) and not sr.is_sorted_unique(np.asarray([3, 1]))


def _scipy_weighted_l2(matrix: Any, weights: Any) -> Any:
    """The hashed models' scipy expression (labels ``tfidf`` after its sublinear step, stance ``_weighted_l2``)."""
    weighted = sp.csr_matrix(matrix.multiply(weights.reshape(1, -1)))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(weighted.multiply((1.0 / norms).reshape(-1, 1)))


def _bit_equal(a: Any, b: Any) -> bool:
    return (a.shape == b.shape and np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
            and np.array_equal(a.data.view(np.uint64), b.data.view(np.uint64)))


@pytest.mark.parametrize("seed", range(8))
def test_weighted_l2_on_csr_arrays_equals_scipy(seed: int) -> None:
    m = random_csr(seed, 80, 300, 0.1)
    weights = np.random.default_rng(seed + 5).uniform(0.5, 9, size=300)
    fast = sr.weighted_l2_csr(m, weights)
    assert fast is not None and _bit_equal(fast, _scipy_weighted_l2(m, weights))
    empty = sp.csr_matrix((4, 300), dtype=np.float64)
    fast_empty = sr.weighted_l2_csr(empty, weights)
    assert fast_empty is not None and _bit_equal(fast_empty, _scipy_weighted_l2(empty, weights))


def test_weighted_l2_declines_what_it_does_not_compute_alike() -> None:
    m = random_csr(1, 20, 50, 0.2)
    weights = np.ones(50)
    zeros = m.copy()
    zeros.data[0] = 0.0  # a stored zero: scipy keeps it through the COO product
    assert sr.weighted_l2_csr(zeros, weights) is None
    unsorted = sp.csr_matrix((m.data[::-1].copy(), m.indices[::-1].copy(), np.array([0, m.nnz] + [m.nnz] * 19)),
                             shape=m.shape)
    assert sr.weighted_l2_csr(unsorted, weights) is None
    assert sr.weighted_l2_csr(m.astype(np.float32), weights) is None


def test_label_tfidf_equals_its_scipy_expression_on_hashed_counts() -> None:
    """``labels.model.tfidf`` (arrays) against the expression it had: signed integer counts."""
    from analyzer.stages.labels import model as label_model

    rng = np.random.default_rng(7)
    m = sp.random(120, 500, density=0.05, format="csr", random_state=rng)
    m.data = rng.integers(1, 6, size=m.nnz) * rng.choice([-1.0, 1.0], size=m.nnz)
    m.sort_indices()
    idf = rng.uniform(1, 8, size=500)
    reference = sp.csr_matrix(m, dtype=np.float64, copy=True)
    reference.eliminate_zeros()
    reference.data = np.sign(reference.data) * (1.0 + np.log(np.abs(reference.data)))
    assert _bit_equal(label_model.tfidf(m, idf), _scipy_weighted_l2(reference, idf))
