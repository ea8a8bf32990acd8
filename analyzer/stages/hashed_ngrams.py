"""Signed hashed n-gram counts of many texts, equal to scikit-learn's ``HashingVectorizer``, faster.

The hashed stance model (:mod:`analyzer.stages.stance.hashed`) and the comment label model
(:mod:`analyzer.stages.labels.model`) turn texts into signed hashed counts of word 1-2-grams
and character n-grams within word bounds (``char_wb``).  scikit-learn builds every n-gram of
every text as a Python string and hashes each one, so the cost is that of the n-grams of the
corpus; on a million comments this was most of both stages' time (docs/performance-language.md).

The same counts, computed once per *distinct unit*:

* ``char_wb``: the n-grams of a text are the union of the n-grams of its whitespace-separated
  words (scikit-learn pads each word with a blank and never crosses words), so the text's row
  is the sum of its words' rows.  Each distinct word is cut and hashed once; the rows of all
  texts are one sparse product, (texts x words counts) @ (words x buckets).
* ``word``: scikit-learn's own pass.  Hashing each distinct unigram and bigram once was tried
  and was not faster on real comments (bigrams rarely recur; OMP dev: 208k distinct of 571k).

The hashing itself is scikit-learn's (``FeatureHasher``, MurmurHash3 32 bit, seed 0, signed), so
bucket numbers and signs are the ones the models were trained with.  Counts are integers held
in float64, so the sums are exact whatever their order; the result is returned canonical (sorted
indices, no stored zeros), which is what the callers made of scikit-learn's output, so every
later floating-point step sees the same entries in the same order.  Equality with
``HashingVectorizer`` is tested on real comments and on hand-written edge cases
(tests/stages/test_hashed_ngrams.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np


def _char_wb_ngrams(word: str, low: int, high: int) -> list[str]:
    """The ``char_wb`` n-grams of one (already lower-cased) word, in scikit-learn's order and count."""
    padded = " " + word + " "
    length = len(padded)
    out: list[str] = []
    for n in range(low, high + 1):
        if length <= n:  # a short word counts once, as a whole, then no longer n
            out.append(padded)
            break
        out.extend(padded[i:i + n] for i in range(length - n + 1))
    return out


def _hash_rows(units: Iterable[list[str]], n_features: int) -> Any:
    """One signed hashed count row per unit (its list of n-gram strings), by scikit-learn's hasher."""
    from sklearn.feature_extraction import FeatureHasher

    hasher = FeatureHasher(n_features=n_features, input_type="string", alternate_sign=True, dtype=np.float64)
    return hasher.transform(units).tocsr()


def _sklearn_counts(texts: Sequence[str], analyzer: str, ngram_range: tuple[int, int], n_features: int,
                    lowercase: bool) -> Any:
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import HashingVectorizer

    vectorizer = HashingVectorizer(analyzer=analyzer, ngram_range=ngram_range, n_features=n_features,
                                   lowercase=lowercase, alternate_sign=True, norm=None, dtype=np.float64)
    out = sp.csr_matrix(vectorizer.transform(list(texts)), dtype=np.float64)
    out.eliminate_zeros()
    return out


def hashed_counts(texts: Sequence[str], *, analyzer: str, ngram_range: tuple[int, int], n_features: int,
                  lowercase: bool = True) -> Any:
    """``HashingVectorizer(analyzer=…, ngram_range=…, n_features=…, lowercase=…, alternate_sign=True,
    norm=None, dtype=float64).transform(texts)`` with stored zeros removed (CSR, sorted indices).

    Args:
        texts: the documents.
        analyzer: ``"word"`` (scikit-learn's default token pattern; computed by scikit-learn) or
            ``"char_wb"``.
        ngram_range: smallest and largest n.
        n_features: number of buckets.
        lowercase: lower-case the texts first (both models do).

    Raises:
        ValueError: another analyzer.
    """
    import scipy.sparse as sp

    low, high = ngram_range
    if analyzer == "word":  # bigrams rarely recur: scikit-learn's own pass is as fast (measured)
        return _sklearn_counts(texts, analyzer, ngram_range, n_features, lowercase)
    index: dict[str, int] = {}
    get = index.get
    columns: list[int] = []
    indptr = [0]
    if analyzer == "char_wb":
        for text in texts:
            for word in (text.lower() if lowercase else text).split():
                j = get(word)
                if j is None:
                    j = index[word] = len(index)
                columns.append(j)
            indptr.append(len(columns))
        units: Iterable[list[str]] = (_char_wb_ngrams(word, low, high) for word in index)
    else:
        raise ValueError(f"hashed_counts: unsupported analyzer {analyzer!r}")
    n = len(texts)
    if not index:
        return sp.csr_matrix((n, n_features), dtype=np.float64)
    occurrences = sp.csr_matrix(
        (np.ones(len(columns), dtype=np.float64), np.asarray(columns, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(n, len(index)),
    )
    occurrences.sum_duplicates()
    out = sp.csr_matrix(occurrences @ _hash_rows(units, n_features), dtype=np.float64)
    out.eliminate_zeros()
    out.sort_indices()
    return out
