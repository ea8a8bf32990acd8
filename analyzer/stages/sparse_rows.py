"""Sparse rows as plain numpy arrays: what the hashed models need to predict, without scipy.sparse.

Why: importing ``scipy.sparse`` costs about 0.15 CPU seconds (it pulls in scipy's array-API
layer, ``numpy.polynomial``, ``numpy.f2py`` ...), a tenth of one captured page's whole run
(docs/performance-language.md, "Session 6: one page").  The stance and label models only
select columns, transform values, normalise rows and multiply by a dense coefficient matrix:
a few numpy operations on the compressed-row arrays.

**The same numbers, bit for bit.**  Every operation here does the arithmetic scipy.sparse does
for the models' expressions, on the same entries in the same order, so predictions do not
depend on which path computed them (tests/stages/test_sparse_rows.py compares them on real
comments with ``np.array_equal``):

* entries of a row stay sorted by column, as scipy leaves them after each of the models' steps
  (column selection of a canonical matrix, element-wise products, COO-to-CSR conversion);
* a row's sum of squares is ``np.add.reduceat`` over the row's entries, which is what
  ``csr_matrix.sum(axis=1)`` calls (``_minor_reduce``);
* ``rows @ dense`` accumulates ``y += a * x`` entry by entry from 0.0, in stored order, as
  scipy's ``csr_matvec(s)`` loop does; ``np.bincount`` with weights is that same sequential loop.

Only the operations the models use are here; training keeps scipy.sparse and scikit-learn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Inputs of at most this many texts are predicted through these arrays, larger ones through
# scipy.sparse (its sparse product cuts character n-grams faster).  On OMP dev comments
# (2026-12-07, load ~15): 300 texts 28 ms here vs 25 ms scipy (character 2-5-grams),
# 1,000 texts 140 vs 67 ms; scipy's import is ~0.1-0.15 s, so below ~500 texts this path is the
# cheaper one for the whole process.  Either path gives the same numbers.
ROWS_PATH_MAX = 500


@dataclass(frozen=True, slots=True)
class Rows:
    """A sparse matrix in compressed-row layout (scipy's CSR arrays): row ``i``'s entries are
    ``indices[indptr[i]:indptr[i + 1]]`` (columns, sorted) and the same slice of ``data``."""

    indptr: IntArray
    indices: IntArray
    data: FloatArray
    shape: tuple[int, int]

    @property
    def row_of_entry(self) -> IntArray:
        """The row of every stored entry."""
        return np.repeat(np.arange(self.shape[0], dtype=np.int64), np.diff(self.indptr))

    def with_data(self, data: FloatArray) -> Rows:
        return Rows(self.indptr, self.indices, data, self.shape)

    def to_csr(self) -> Any:
        """The same matrix as ``scipy.sparse.csr_matrix`` (tests, training, large inputs)."""
        import scipy.sparse as sp

        return sp.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


def empty(n_rows: int, n_cols: int) -> Rows:
    return Rows(np.zeros(n_rows + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64),
                (n_rows, n_cols))


def from_entries(rows: IntArray, cols: IntArray, values: FloatArray, shape: tuple[int, int], *,
                 drop_zeros: bool) -> Rows:
    """Entries summed per (row, column), rows' columns sorted; with ``drop_zeros``, sums of 0 removed.

    Entries of one (row, column) are summed in their given order (``np.add.reduceat``): exact for
    the integer counts of n-grams; for float values the hashed keys of one comment, where two
    entries in one bucket (a collision) add the same in either order.
    """
    n_rows, n_cols = shape
    if len(rows) == 0:
        return empty(n_rows, n_cols)
    key = np.asarray(rows, dtype=np.int64) * n_cols + np.asarray(cols, dtype=np.int64)
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = np.concatenate(([0], np.flatnonzero(key[1:] != key[:-1]) + 1))
    sums = np.add.reduceat(np.asarray(values, dtype=np.float64)[order], starts)
    key = key[starts]
    if drop_zeros:
        keep = sums != 0
        key, sums = key[keep], sums[keep]
    row = key // n_cols
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=n_rows), out=indptr[1:])
    return Rows(indptr, key % n_cols, sums, (n_rows, n_cols))


def from_dense(matrix: FloatArray) -> Rows:
    """The nonzero entries of a dense matrix (``csr_matrix(dense)``: zeros are not stored)."""
    row, col = np.nonzero(matrix)
    indptr = np.zeros(matrix.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=matrix.shape[0]), out=indptr[1:])
    return Rows(indptr, col.astype(np.int64), np.asarray(matrix[row, col], dtype=np.float64),
                (matrix.shape[0], matrix.shape[1]))


def take_rows(rows: Rows, which: IntArray) -> Rows:
    """``csr[which]``: the rows ``which`` (repeats allowed) in that order, each row's entries as stored."""
    which = np.asarray(which, dtype=np.int64)
    lengths = np.diff(rows.indptr)[which]
    indptr = np.zeros(len(which) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    # Entry positions: each taken row's start, then 0, 1, ... within the row.
    at = np.repeat(rows.indptr[which] - indptr[:-1], lengths) + np.arange(int(indptr[-1]), dtype=np.int64)
    return Rows(indptr, rows.indices[at], rows.data[at], (len(which), rows.shape[1]))


def without_zeros(rows: Rows) -> Rows:
    """``eliminate_zeros()``: stored zeros removed, the other entries in their order."""
    keep = rows.data != 0
    if np.all(keep):
        return rows
    indptr = np.zeros(rows.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows.row_of_entry[keep], minlength=rows.shape[0]), out=indptr[1:])
    return Rows(indptr, rows.indices[keep], rows.data[keep], rows.shape)


def is_sorted_unique(columns: IntArray) -> bool:
    """Whether ``columns`` increase strictly (what :func:`select_columns` requires)."""
    return bool(np.all(columns[1:] > columns[:-1]))


def select_columns(rows: Rows, columns: IntArray) -> Rows:
    """``csr[:, columns]`` for strictly increasing ``columns``: kept entries, renumbered, same order."""
    position = np.searchsorted(columns, rows.indices)
    inside = position < len(columns)
    keep = inside.copy()
    keep[inside] = columns[position[inside]] == rows.indices[inside]
    indptr = np.zeros(len(keep) + 1, dtype=np.int64)
    np.cumsum(keep, out=indptr[1:])
    indptr = indptr[rows.indptr]  # kept entries before each row's start
    return Rows(indptr, position[keep].astype(np.int64), rows.data[keep], (rows.shape[0], len(columns)))


def normalise_rows(rows: Rows) -> Rows:
    """Rows divided by their L2 norm (an empty or zero row by 1), as
    ``x.multiply((1.0 / norms).reshape(-1, 1))`` with ``norms = sqrt(x.multiply(x).sum(axis=1))``."""
    norms = np.zeros(rows.shape[0], dtype=np.float64)
    squares = rows.data * rows.data
    # x.multiply(x) stores no zero products; a square is 0 only for a stored 0 (or |x| < 1e-162).
    stored = squares != 0
    if not np.all(stored):
        rows_of = rows.row_of_entry[stored]
        kept = squares[stored]
        indptr = np.zeros(rows.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows_of, minlength=rows.shape[0]), out=indptr[1:])
    else:
        kept, indptr = squares, rows.indptr
    nonempty = np.flatnonzero(np.diff(indptr))
    if len(nonempty):
        norms[nonempty] = np.add.reduceat(kept, indptr[nonempty])
    norms = np.sqrt(norms)
    norms[norms == 0] = 1.0
    return rows.with_data(rows.data * (1.0 / norms)[rows.row_of_entry])


def weighted_l2_csr(matrix: Any, weights: FloatArray) -> Any | None:
    """``x.multiply(weights.reshape(1, -1))`` with its rows then L2-normalised, computed on a
    scipy CSR matrix's arrays: what the hashed models' TF-IDF step does with scipy.sparse
    (``sp.csr_matrix(x.multiply(w))``, ``sqrt(y.multiply(y).sum(axis=1))``, ``y.multiply(1 / norms)``).

    scipy makes each of the two broadcast products through a COO copy of the matrix and the
    squares through a sparse element-wise product; here they are three products on the data
    array and :func:`normalise_rows`, the same numbers (its docstring).  Only for a matrix in
    canonical form (sorted, no duplicate entries) with no stored zeros and float64 data; None
    otherwise (the caller keeps scipy's expression).
    """
    import scipy.sparse as sp

    if matrix.dtype != np.float64 or not matrix.has_canonical_format or not np.all(matrix.data != 0):
        return None
    rows = Rows(matrix.indptr, matrix.indices, matrix.data, matrix.shape)
    out = normalise_rows(rows.with_data(rows.data * weights[rows.indices]))
    return sp.csr_matrix((out.data, out.indices, out.indptr), shape=out.shape)


def hstack(blocks: list[Rows]) -> Rows:
    """Blocks side by side (``scipy.sparse.hstack``): each row is block 1's entries, then block 2's ..."""
    n_rows = blocks[0].shape[0]
    offsets = np.cumsum([0] + [b.shape[1] for b in blocks])
    counts = sum(np.diff(b.indptr) for b in blocks)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    indices = np.empty(int(indptr[-1]), dtype=np.int64)
    data = np.empty(int(indptr[-1]), dtype=np.float64)
    filled = indptr[:-1].copy()
    for block, offset in zip(blocks, offsets[:-1], strict=True):
        lengths = np.diff(block.indptr)
        target = np.repeat(filled - block.indptr[:-1], lengths) + np.arange(len(block.indices), dtype=np.int64)
        indices[target] = block.indices + offset
        data[target] = block.data
        filled += lengths
    return Rows(indptr, indices, data, (n_rows, int(offsets[-1])))


def matmul(rows: Rows, dense: FloatArray) -> FloatArray:
    """``csr @ dense`` (dense: n_cols x k): per row and output column, ``y += a * x`` over the stored
    entries in order, starting from 0.0 (``np.bincount`` with weights adds sequentially)."""
    dense = np.asarray(dense, dtype=np.float64)
    rows_of = rows.row_of_entry
    out = np.empty((rows.shape[0], dense.shape[1]), dtype=np.float64)
    for k in range(dense.shape[1]):
        out[:, k] = np.bincount(rows_of, weights=rows.data * dense[rows.indices, k], minlength=rows.shape[0])
    return out
