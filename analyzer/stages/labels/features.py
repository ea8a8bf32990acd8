"""Named, readable features of a comment for the label models (beside word and character n-grams).

The n-grams carry most of the signal; these features add what n-grams see badly: the polarity
lexicon of the offline language layer with its negation rules (Klenner et al. 2010 for German,
De Smedt & Daelemans 2012 for English, see :mod:`analyzer.stages.nlp.lexicon`), shouting (capitals,
repeated ``!``/``?``), irony quotes, addressing another reader, length and whether the comment
is a reply.  Tokenisation is a plain regular expression: the labels stage must not depend on
the nlp stage having run, and the lexicon is looked up by form (no lemmas), which is what the
lexicon's inflected German entries allow.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import compress
from typing import Any

import numpy as np
import numpy.typing as npt

from analyzer.stages.nlp.lexicon import PolarityLexicon, load_lexicon

# Words, numbers, and single punctuation marks (for the negation windows).
_TOKEN = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]", re.UNICODE)
_CAPS_WORD = re.compile(r"\b[A-ZÄÖÜ]{3,}\b")
_REPEAT_MARKS = re.compile(r"[!?]{2,}")
_SCARE_QUOTE = re.compile(r"[\"„“»«‚‘'][^\"„“»«‚‘'\n]{1,30}[\"“”»«‘’']")
_ADDRESS = re.compile(r"(?:^|\s)@\w+|\b(?:sie|du|ihr|dein\w*|ihr\w*|euch|euer\w*)\b", re.IGNORECASE)
_EMOTICON_POS = re.compile(r"[:;]-?[)D]|\^\^|😀|😂|😊|👍")
_EMOTICON_NEG = re.compile(r":-?\(|😠|😡|👎")
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)

FEATURE_NAMES: tuple[str, ...] = (
    "lex_score", "lex_neg_share", "lex_pos_share", "lex_n_polar_log", "lex_negated_share",
    "caps_words", "repeated_marks", "exclamations", "questions", "scare_quotes", "addresses",
    "emoticon_pos", "emoticon_neg", "has_url", "chars_log", "is_reply",
)


@cache
def _lexicon(lang: str) -> PolarityLexicon:
    return load_lexicon(lang)


class _Polarity(dict[str, float | None]):
    """``lexicon.lookup(form, None)`` per form, filled on first use."""

    def __init__(self, lexicon: PolarityLexicon) -> None:
        super().__init__()
        self.lexicon = lexicon

    def __missing__(self, form: str) -> float | None:
        value = self.lexicon.lookup(form, None)
        if len(self) < 1_000_000:
            self[form] = value
        return value


@cache
def _polarity_of(lang: str) -> _Polarity:
    return _Polarity(_lexicon(lang))


def tokens(text: str) -> list[str]:
    """Word and punctuation tokens of ``text`` (regular expression, no model)."""
    return _TOKEN.findall(text)


def _polarity_features(lexicon: PolarityLexicon, words: list[str],
                       values: list[float | None]) -> tuple[list[float], int, float]:
    """The polar values (negated ones turned), the number negated, and ``lexicon.score`` of the words.

    One pass for both: the score was ``lexicon.score([(w, None) for w in words])``, which looked
    every word up again, lower-cased them again and tested the same negation window of each
    polar word a second time.  Here each is done once and the score is that method's
    arithmetic on the same values in the same order: skip a polar word that is itself a
    negator, times the intensifier and the diminisher of the word before (form, else lemma:
    both are the lower-cased form here), times the negation factor when negated, clipped to
    [-1, 1], the mean of those; 0.0 where the method gives None or 0 (tested equal to the
    method on real comments: tests/stages/labels/test_polarity_features.py).
    """
    rules = lexicon.rules
    negators, factor = rules.negators, rules.negation_factor
    intensifiers, diminishers = rules.intensifiers, rules.diminishers
    lowered = [(low, low) for low in map(str.lower, words)]
    polar: list[float] = []
    contributions: list[float] = []
    negated = 0
    for i in compress(range(len(words)), values):
        value = values[i]
        assert value is not None
        is_negated = lexicon._negated(lowered, i)  # noqa: SLF001 - the lexicon's own negation window
        if is_negated:
            negated += 1
        polar.append(value * factor if is_negated else value)
        low = lowered[i][0]
        if low in negators:  # form and lemma are the same word here
            continue
        if i > 0:
            before = lowered[i - 1][0]
            value *= intensifiers.get(before, 1.0)
            value *= diminishers.get(before, 1.0)
        if is_negated:
            value *= factor
        contributions.append(max(-1.0, min(1.0, value)))
    score = (sum(contributions) / len(contributions) if contributions else None) or 0.0
    return polar, negated, score


# The counts whose patterns mean the same in Python's ``re`` and in the regular expressions of
# polars (Rust's ``regex`` crate): literal characters, explicit classes of literal characters and
# bounded repeats, no ``\w``/``\b``/``\s`` (whose Unicode tables differ between the two) and case
# folding only of the ASCII letters h, p, s, t, w (their case classes are the same in both: s also
# takes U+017F in both).  Both engines take the leftmost match and among alternatives the first,
# and count non-overlapping matches, so the counts are equal
# (tests/stages/labels/test_named_columns.py: OMP comments, random strings, every code point
# against the case-folded letters).
_COLUMN_COUNTS: tuple[re.Pattern[str], ...] = (_REPEAT_MARKS, _SCARE_QUOTE, _EMOTICON_POS, _EMOTICON_NEG)
_COLUMN_PRESENT: re.Pattern[str] = _URL


def _column_source(pattern: re.Pattern[str]) -> str:
    """``pattern`` for polars: its text, with ``(?i)`` when it ignores case."""
    return ("(?i)" if pattern.flags & re.IGNORECASE else "") + pattern.pattern


def _counts_of(text: str) -> tuple[int, int, int, int, bool]:
    """The counts of :data:`_COLUMN_COUNTS` and whether :data:`_COLUMN_PRESENT` occurs, for one text."""
    return (len(_REPEAT_MARKS.findall(text)), len(_SCARE_QUOTE.findall(text)), len(_EMOTICON_POS.findall(text)),
            len(_EMOTICON_NEG.findall(text)), _URL.search(text) is not None)


def column_counts(texts: Sequence[str]) -> list[tuple[int, int, int, int, bool]]:
    """:func:`_counts_of` of every text, by polars over the whole column (one pass per pattern in
    compiled code instead of five regular-expression calls per comment in Python)."""
    import polars as pl

    column = pl.Series("text", list(texts), dtype=pl.String)
    frame = pl.DataFrame({"text": column}).select(
        *(pl.col("text").str.count_matches(_column_source(p)).alias(f"c{k}") for k, p in enumerate(_COLUMN_COUNTS)),
        pl.col("text").str.contains(_column_source(_COLUMN_PRESENT)).alias("present"),
    )
    return list(frame.iter_rows())


def named_features(text: str, *, is_reply: bool, lang: str = "de",
                   counts: tuple[int, int, int, int, bool] | None = None) -> list[float]:
    """The values of :data:`FEATURE_NAMES` for one comment, in that order.

    Counts are log-scaled (``log1p``) so that one very long comment does not dominate a
    linear model; shares are in [0, 1].  ``counts``: the text's :func:`column_counts` row, when
    made for a whole column (:func:`named_features_many`).
    """
    words = tokens(text)
    key = lang if lang in ("de", "en") else "de"
    lexicon = _lexicon(key)
    # The polarity of each distinct form, looked up once (lexicon.lookup(form, None) depends on
    # the form alone); a comment without a polar word has no polar list and no score, so the
    # lexicon's per-word loops run only for comments that have one (same values).
    values = list(map(_polarity_of(key).__getitem__, words))
    polar: list[float] = []
    negated = 0
    score = 0.0
    if any(values):
        polar, negated, score = _polarity_features(lexicon, words, values)
    n_polar = len(polar)
    n_repeated, n_scare, n_pos, n_neg, has_url = counts if counts is not None else _counts_of(text)
    return [
        score,
        sum(1 for v in polar if v < 0) / n_polar if n_polar else 0.0,
        sum(1 for v in polar if v > 0) / n_polar if n_polar else 0.0,
        math.log1p(n_polar),
        negated / n_polar if n_polar else 0.0,
        math.log1p(len(_CAPS_WORD.findall(text))),
        math.log1p(n_repeated),
        math.log1p(text.count("!")),
        math.log1p(text.count("?")),
        math.log1p(n_scare),
        math.log1p(len(_ADDRESS.findall(text))),
        math.log1p(n_pos),
        math.log1p(n_neg),
        1.0 if has_url else 0.0,
        math.log1p(len(text)),
        1.0 if is_reply else 0.0,
    ]


def named_features_many(texts: Sequence[str], is_reply: Sequence[bool], *, lang: str = "de") -> list[list[float]]:
    """``[named_features(t, is_reply=r, lang=lang) for ...]``, with the language-neutral pattern
    counts made over the whole column (:func:`column_counts`): the same values."""
    counts = column_counts(texts) if texts else []
    return [named_features(t, is_reply=r, lang=lang, counts=c) for t, r, c in zip(texts, is_reply, counts, strict=True)]


# --- Thread words: the word n-grams of the other comments of the same article -----------------
#
# Why: in One Million Posts a comment's negative label goes with its discussion (correlation
# 0.43 with the negative share of the other labelled comments of its article, dev CSV), and what
# a discussion is about is in the words of all its comments, labelled or not.  The block gives
# the linear model, per comment, the hashed word 1-2-grams present in the *other* comments of its
# article that are in the input (each comment adds an n-gram once); a comment alone gets an empty
# block (all zeros), so its score is that of its own words.  TF-IDF like the other blocks
# (signed sublinear TF, IDF from the training comments' blocks, L2 norm), times THREAD_WEIGHT.
#
# Settings, fixed before the shipped evaluation (tests/bench/labels_thread_words.py, session 5,
# the 10 article folds of `analyzer labels eval`, SentimentNegative negative-vs-rest macro-F1):
# weight 0.5 and 1.0 both gave 0.607 against 0.596 without the block; 0.5 was the first tried and
# is kept.  Buckets kept where at least 5 training comments have them (fewer, rarer n-grams of
# one discussion would name the discussion rather than its tone).  docs/sentiment-and-labels.md
# has the held-out figures of the shipped model, nested checks and the one-comment case.
THREAD_MIN_DF = 5
THREAD_WEIGHT = 0.5
# The labels that get the block: the two sentiment labels, for which it was found and measured.
# The other labels keep exactly their own-text features (their thread coefficients are zero), so
# their figures cannot move; decided before the evaluation, not per label on it.
THREAD_LABELS: frozenset[str] = frozenset({"sentiment_negative", "sentiment_positive"})


def presence(counts: Any) -> Any:
    """Signed presence (+1 / -1) of each hashed bucket in each row of a count matrix (CSR)."""
    import scipy.sparse as sp

    out = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    out.eliminate_zeros()
    out.data = np.sign(out.data)
    return out


def _article_index(articles: Sequence[str] | npt.NDArray[Any]) -> tuple[npt.NDArray[np.int64], int]:
    """Article index of each row (articles numbered in sorted order) and the number of articles."""
    _, inverse = np.unique(np.asarray(articles, dtype=object).astype(str), return_inverse=True)
    inverse = inverse.astype(np.int64).ravel()
    return inverse, int(inverse.max()) + 1 if inverse.size else 0


def _members(articles: Sequence[str] | npt.NDArray[Any]) -> tuple[npt.NDArray[np.int64], Any]:
    """Article index of each row and the (articles x rows) membership matrix."""
    import scipy.sparse as sp

    inverse, n_articles = _article_index(articles)
    member = sp.csr_matrix((np.ones(inverse.size), (inverse, np.arange(inverse.size))),
                           shape=(n_articles, inverse.size))
    return inverse, member


def thread_counts(counts: Any, articles: Sequence[str] | npt.NDArray[Any],
                  rows: npt.NDArray[np.int64] | None = None) -> Any:
    """Per row: the summed signed presence of each bucket over the *other* rows of its article.

    The explicit matrix, for training and the checks: its size grows with the square of an
    article's comment count (each row holds its whole discussion), which is fine for the
    annotated training posts; prediction uses :meth:`ThreadBlock.logits`, linear in the input.
    ``rows``: only these rows' discussions (all rows still count as discussion).
    """
    import scipy.sparse as sp

    own = presence(counts)
    inverse, member = _members(articles)
    if rows is not None:
        inverse, own = inverse[rows], own[rows]
    pooled = sp.csr_matrix(sp.csr_matrix(member @ presence(counts))[inverse] - own)
    pooled.eliminate_zeros()
    pooled.sort_indices()
    return pooled


def _sublinear_idf(values: npt.NDArray[np.float64], idf: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """sign(x) * (1 + ln|x|) * idf, and 0 where x is 0 (a bucket absent from the row)."""
    out = np.zeros_like(values)
    nonzero = values != 0
    out[nonzero] = np.sign(values[nonzero]) * (1.0 + np.log(np.abs(values[nonzero]))) * idf[nonzero]
    return out


@dataclass(slots=True)
class ThreadBlock:
    """The thread-words block of one label group: kept buckets, their IDF, its weight, coefficients.

    ``coef`` has one row per label of the group (zeros for labels outside :data:`THREAD_LABELS`).
    """

    buckets: npt.NDArray[np.int64]
    idf: npt.NDArray[np.float64]
    weight: float
    coef: npt.NDArray[np.float64]

    @classmethod
    def fit(cls, pooled: Any, n_labels: int, weight: float = THREAD_WEIGHT) -> ThreadBlock:
        """Buckets in at least :data:`THREAD_MIN_DF` rows of ``pooled`` (training rows) and their IDF."""
        n = pooled.shape[0]
        df = np.bincount(pooled.indices, minlength=pooled.shape[1])
        keep = np.flatnonzero(df >= THREAD_MIN_DF).astype(np.int64)
        idf = (np.log((1.0 + n) / (1.0 + df[keep])) + 1.0).astype(np.float64)
        return cls(keep, idf, weight, np.zeros((n_labels, keep.size)))

    def logits(self, counts: Any, articles: Sequence[str] | npt.NDArray[Any]) -> npt.NDArray[np.float64]:
        """The block's share of each row's logit per label, ``(rows, labels)``, linear in the input.

        Equal to ``weight * tfidf(thread_counts(counts, articles)[:, buckets], idf) @ coef.T``
        (tested) without building that matrix: a row's discussion differs from its article's
        total only where the row itself has a bucket, so the sums over the article total (the
        weighted sum, the squared norm and the number of buckets present) are computed once per
        article and corrected at the row's own buckets.  ``counts``: hashed word counts of
        every comment in the input; ``articles``: their article ids.
        """
        n, k = counts.shape[0], self.buckets.size
        out = np.zeros((n, self.coef.shape[0]))
        if n == 0 or k == 0:
            return out
        from analyzer.stages import sparse_rows as sr

        if isinstance(counts, sr.Rows):
            return self._logits_rows(counts, articles, out)
        import scipy.sparse as sp

        own = presence(counts)[:, self.buckets].tocsr()
        own.sort_indices()
        inverse, member = _members(articles)
        total = sp.csr_matrix(member @ own)
        total.eliminate_zeros()
        total.sort_indices()
        g_total = sp.csr_matrix((_sublinear_idf(total.data, self.idf[total.indices]), total.indices, total.indptr),
                                shape=total.shape)
        s_article = np.asarray(g_total @ self.coef.T)
        q_article = np.bincount(np.repeat(np.arange(total.shape[0]), np.diff(total.indptr)),
                                g_total.data ** 2, minlength=total.shape[0])
        present_article = np.diff(total.indptr).astype(np.float64)
        rows = np.repeat(np.arange(n), np.diff(own.indptr))
        cols = own.indices.astype(np.int64)
        keys = np.repeat(np.arange(total.shape[0], dtype=np.int64), np.diff(total.indptr)) * k + total.indices
        wanted = inverse[rows] * k + cols
        at = np.minimum(np.searchsorted(keys, wanted), max(keys.size - 1, 0))
        found = keys.size > 0
        t = np.where(keys[at] == wanted, total.data[at], 0.0) if found else np.zeros(wanted.size)
        p = t - own.data
        idf = self.idf[cols]
        g_t, g_p = _sublinear_idf(t, idf), _sublinear_idf(p, idf)
        delta = sp.csr_matrix((g_p - g_t, (rows, cols)), shape=(n, k))
        s = s_article[inverse] + np.asarray(delta @ self.coef.T)
        q = q_article[inverse] + np.bincount(rows, g_p ** 2 - g_t ** 2, minlength=n)
        present = present_article[inverse] + np.bincount(rows, (p != 0).astype(np.float64) - (t != 0), minlength=n)
        has = present > 0.5
        out[has] = self.weight * s[has] / np.sqrt(np.maximum(q[has], np.finfo(np.float64).tiny)).reshape(-1, 1)
        return out

    def _logits_rows(self, counts: Any, articles: Sequence[str] | npt.NDArray[Any],
                     out: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """:meth:`logits` for :class:`analyzer.stages.sparse_rows.Rows` counts, without scipy.sparse.

        Step for step the scipy expression above, on the same entries in the same order, so the
        numbers are bit-identical (tests/stages/test_thread_offsets_rows.py): presence is the sign
        of the stored counts; the article totals are sums of +-1.0 (exact in any order) per
        (article, bucket), zeros dropped, buckets sorted, as ``member @ own`` then
        ``eliminate_zeros`` and ``sort_indices`` leave them; both products are ``sparse_rows.matmul``
        (scipy's sequential ``csr_matvecs``).  Needs ``buckets`` strictly increasing (the caller checks).
        """
        from analyzer.stages import sparse_rows as sr

        n, k = counts.shape[0], self.buckets.size
        present = sr.without_zeros(counts)
        own = sr.select_columns(present.with_data(np.sign(present.data)), self.buckets)
        inverse, n_articles = _article_index(articles)
        rows = own.row_of_entry
        total = sr.from_entries(inverse[rows], own.indices, own.data, (n_articles, k), drop_zeros=True)
        g_total = total.with_data(_sublinear_idf(total.data, self.idf[total.indices]))
        s_article = sr.matmul(g_total, self.coef.T)
        q_article = np.bincount(total.row_of_entry, g_total.data ** 2, minlength=n_articles)
        present_article = np.diff(total.indptr).astype(np.float64)
        cols = own.indices
        keys = total.row_of_entry * k + total.indices
        wanted = inverse[rows] * k + cols
        at = np.minimum(np.searchsorted(keys, wanted), max(keys.size - 1, 0))
        t = np.where(keys[at] == wanted, total.data[at], 0.0) if keys.size > 0 else np.zeros(wanted.size)
        p = t - own.data
        idf = self.idf[cols]
        g_t, g_p = _sublinear_idf(t, idf), _sublinear_idf(p, idf)
        # scipy's delta keeps explicit zeros (COO to CSR); matmul adds them too, in the same order.
        s = s_article[inverse] + sr.matmul(own.with_data(g_p - g_t), self.coef.T)
        q = q_article[inverse] + np.bincount(rows, g_p ** 2 - g_t ** 2, minlength=n)
        present_rows = present_article[inverse] + np.bincount(rows, (p != 0).astype(np.float64) - (t != 0), minlength=n)
        has = present_rows > 0.5
        out[has] = self.weight * s[has] / np.sqrt(np.maximum(q[has], np.finfo(np.float64).tiny)).reshape(-1, 1)
        return out
