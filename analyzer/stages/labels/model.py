"""The comment label model: one logistic regression per label over shared features.

Features (one sparse row per comment):

* word 1-2-grams and character 2-5-grams inside word bounds, **hashed**: each n-gram goes to
  one of :data:`N_BUCKETS` buckets with a sign (MurmurHash3, 32 bit, seed 0, as scikit-learn's
  ``HashingVectorizer`` computes it; Weinberger et al. 2009), then sublinear TF (``sign * (1 +
  log |x|)``) times IDF and L2-normalised per block (TF-IDF as Salton & Buckley 1988).  The
  model keeps the buckets that occur in at least :data:`MIN_DF` training comments (for
  characters at most :data:`MAX_CHAR_FEATURES`, the most frequent) and stores their numbers
  and IDF: **no n-gram of the training text is in the file**;
* the named features of :mod:`analyzer.stages.labels.features`, max-abs scaled and multiplied by
  :data:`FEATURE_WEIGHT`;
* for the sentiment labels, the **thread words** (:class:`analyzer.stages.labels.features.ThreadBlock`):
  the hashed word 1-2-grams of the *other* comments of the same article in the input, TF-IDF
  times a weight.  Its logits are computed over the whole input by the stage and passed to
  :meth:`LabelModel.predict_proba` as ``offsets``;
* for those labels also **own-text coefficients** (format 4, ``LabelGroup.alone_coef``): a
  classifier fitted on the comment's own features only, used for a comment that has no other
  comment of its article in the input (offset NaN, or no offsets at all).  Trained beside the
  thread words, the joint model's own-word weights are weaker (it leans on the discussion), so a
  comment without one scored better with a model that never had it: negative-vs-rest macro-F1
  0.583 -> 0.596 for comments scored alone, held out (docs/sentiment-and-labels.md, session 7).

**One featurizer per annotation set.**  One Million Posts annotated its categories on different
sets of posts (sentiment and the four "problem" labels together on 2,684 dev posts, personal
stories on 6,517, feedback on 5,123).  The labels annotated on the same posts share a
featurizer fitted on exactly those posts (:class:`LabelGroup`), so the IDF and bucket selection
of the sentiment model reflect the comments it learns from, not the larger feedback sample
(negative-vs-rest macro-F1 0.591 with one shared featurizer, 0.596 per set, held out;
docs/sentiment-and-labels.md).

File format (:func:`save` / :func:`load`): one ``.npz`` of plain arrays read with
``allow_pickle=False`` (per group: bucket numbers, IDF, scales, coefficients; format 3 adds
``g<k>_thread_buckets``, ``_thread_idf``, ``_thread_weight``, ``_thread_coef``; format 4 adds
``g<k>_alone_labels``, ``_alone_coef``, ``_alone_intercept``) and a JSON card
beside it (``MODEL.card.json``: labels, training data, cross-validation figures, licence note).
Loading runs no code from the file, unlike a pickle or joblib model.

References:
    Pedregosa et al. (2011), Scikit-learn: machine learning in Python, JMLR 12 (the solver).
    Schabus, Skowron & Trapp (2017), One Million Posts: a data set of German online
    discussions, SIGIR (the labels).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from analyzer.core.errors import UsageError
from analyzer.stages.labels.features import (
    FEATURE_NAMES,
    ThreadBlock,
    named_features,
    named_features_many,
)

# Format 3 = format 2 plus, per group that has one, the thread-words block (``g<k>_thread_*``);
# format 4 = format 3 plus own-text coefficients for the labels with a thread block
# (``g<k>_alone_*``).  Format 2 and 3 files still load and predict as before (a comment without
# a discussion then gets the joint model's own-word coefficients).
MODEL_FORMAT = 4
READABLE_FORMATS = (2, 3, 4)
MODEL_NAME = "omp-hashed-v4"
MODEL_FILE = "omp-labels.npz"
# Calibration (article-grouped 10-fold CV on omp_posts_dev.csv, SentimentNegative, macro-F1 of
# negative vs rest): C = 0.3 / 1 / 3 gave 0.591 / 0.599 / 0.602 with the named features at
# weight 1; weight 3 gave 0.602 at C = 1 and 3 (without named features: 0.588).  C = 1 and
# weight 3 are used for every label.
DEFAULT_C = 1.0
FEATURE_WEIGHT = 3.0
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
MIN_DF = 2
MAX_CHAR_FEATURES = 100_000
# 2^20 buckets per block: character 2-5-grams of the dev comments number a few hundred thousand,
# so fewer collide than with 2^18; only the kept buckets are stored, so the file does not grow.
N_BUCKETS = 2**20
PACKAGED_MODEL = Path(__file__).resolve().parent / "data" / MODEL_FILE
# "0" leaves the packaged model out (the test suite does, so that "model absent" stays testable).
ENV_PACKAGED = "ANALYZER_LABELS_PACKAGED"

FloatArray = npt.NDArray[np.float64]


def default_model_path() -> Path:
    """``$ANALYZER_DATA_DIR/labels/omp-labels.npz``, else ``~/.local/share/analyzer/labels/…``."""
    base = os.environ.get("ANALYZER_DATA_DIR")
    root = Path(base) if base else Path.home() / ".local" / "share" / "analyzer"
    return root / "labels" / MODEL_FILE


def default_model_file() -> Path | None:
    """The model the stage uses without a setting: one the user built, else the packaged one."""
    candidates = [default_model_path()]
    if os.environ.get(ENV_PACKAGED, "1") != "0":
        candidates.append(PACKAGED_MODEL)
    return next((p for p in candidates if p.is_file()), None)


def card_path(model_path: str | Path) -> Path:
    path = Path(model_path)
    return path.with_name(path.name + ".card.json")


def _hasher(kind: str) -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    if kind == "word":
        return HashingVectorizer(lowercase=True, ngram_range=WORD_NGRAMS, n_features=N_BUCKETS, alternate_sign=True,
                                 norm=None, dtype=np.float64)
    return HashingVectorizer(lowercase=True, analyzer="char_wb", ngram_range=CHAR_NGRAMS, n_features=N_BUCKETS,
                             alternate_sign=True, norm=None, dtype=np.float64)


def count_matrix(kind: str, texts: Sequence[str]) -> Any:
    """Signed hashed n-gram counts of ``texts`` (CSR, :data:`N_BUCKETS` columns; stateless).

    What ``_hasher(kind).transform(texts)`` gives with stored zeros removed (a bucket whose signed
    counts cancel is absent), computed by :func:`analyzer.stages.hashed_ngrams.hashed_counts`:
    each distinct word's character n-grams are hashed once (equal matrices, tested).
    """
    from analyzer.stages.hashed_ngrams import hashed_counts

    if kind == "word":
        return hashed_counts(texts, analyzer="word", ngram_range=WORD_NGRAMS, n_features=N_BUCKETS)
    return hashed_counts(texts, analyzer="char_wb", ngram_range=CHAR_NGRAMS, n_features=N_BUCKETS)


def select_columns(kind: str, counts: Any) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Buckets kept for a block fitted on the rows of ``counts``, and their IDF.

    The rule of scikit-learn's ``TfidfVectorizer(min_df=MIN_DF, max_features=…,
    smooth_idf=True)`` applied to buckets: document frequency at least :data:`MIN_DF`; for
    characters the :data:`MAX_CHAR_FEATURES` most frequent; IDF = ln((1 + n) / (1 + df)) + 1.
    """
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = np.flatnonzero(df >= MIN_DF)
    if kind == "char" and keep.size > MAX_CHAR_FEATURES:
        tf = np.asarray(abs(counts).sum(axis=0)).ravel()[keep]
        top = np.argsort(-tf, kind="stable")[:MAX_CHAR_FEATURES]
        keep = np.sort(keep[top])
    idf = np.log((1.0 + n) / (1.0 + df[keep])) + 1.0
    return keep.astype(np.int64), idf.astype(np.float64)


def tfidf(counts: Any, idf: FloatArray) -> Any:
    """Signed sublinear TF (sign * (1 + log |tf|)) times IDF, rows L2-normalised."""
    import scipy.sparse as sp

    from analyzer.stages.sparse_rows import weighted_l2_csr

    if counts.dtype == np.float64 and counts.nnz and np.all(counts.data != 0):
        # The same numbers from the CSR arrays (no COO copies): sparse_rows.weighted_l2_csr.
        sublinear = counts.copy()
        sublinear.data = np.sign(counts.data) * (1.0 + np.log(np.abs(counts.data)))
        fast = weighted_l2_csr(sublinear, idf)
        if fast is not None:
            return fast
    weighted = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    weighted.eliminate_zeros()
    weighted.data = np.sign(weighted.data) * (1.0 + np.log(np.abs(weighted.data)))
    weighted = sp.csr_matrix(weighted.multiply(idf.reshape(1, -1)))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(weighted.multiply((1.0 / norms).reshape(-1, 1)))


@dataclass(slots=True)
class Block:
    """One hashed TF-IDF block: its kept buckets (column order) and their IDF."""

    kind: str  # "word" | "char"
    buckets: npt.NDArray[np.int64]
    idf: FloatArray

    def transform(self, texts: Sequence[str], counts: Any = None) -> Any:
        """TF-IDF rows of ``texts`` (``counts``: their :func:`count_matrix`, if at hand)."""
        counts = count_matrix(self.kind, texts) if counts is None else counts
        return tfidf(counts[:, self.buckets], self.idf)

    @classmethod
    def fit(cls, kind: str, texts: Sequence[str]) -> Block:
        return cls(kind, *select_columns(kind, count_matrix(kind, texts)))


@dataclass(slots=True)
class Featurizer:
    """Texts (and whether each is a reply) to the model's feature matrix."""

    word: Block
    char: Block
    scale: FloatArray  # max-abs of each named feature in training (1 where it was 0)

    def matrix(self, texts: Sequence[str], is_reply: Sequence[bool], pre: dict[str, Any] | None = None) -> Any:
        """Feature rows; ``pre``: the texts' hashed counts and named features, if at hand."""
        if pre is None:
            pre = precompute(texts, is_reply)
        return self.rows(pre, slice(None))

    @classmethod
    def fit(cls, texts: Sequence[str], is_reply: Sequence[bool], pre: dict[str, Any] | None = None) -> Featurizer:
        """Buckets, IDF and scales from ``texts`` alone (``pre``: their :func:`precompute`)."""
        pre = precompute(texts, is_reply) if pre is None else pre
        blocks = [Block(kind, *select_columns(kind, pre[kind])) for kind in ("word", "char")]
        return cls(blocks[0], blocks[1], feature_scale(pre["named"]))

    def rows(self, pre: dict[str, Any], rows: Any) -> Any:
        """Feature rows of a subset of precomputed texts (``slice(None)``: all, without copying them first)."""
        every = isinstance(rows, slice) and rows == slice(None)
        word = pre["word"] if every else pre["word"][rows]
        char = pre["char"] if every else pre["char"][rows]
        return stack(tfidf(word[:, self.word.buckets], self.word.idf),
                     tfidf(char[:, self.char.buckets], self.char.idf), pre["named"][rows], self.scale)


def precompute(texts: Sequence[str], is_reply: Sequence[bool], *, word_counts: Any = None) -> dict[str, Any]:
    """What every featurizer needs of ``texts``: hashed counts per block and the named features.

    ``word_counts``: ``count_matrix("word", texts)``, if the caller has it (its shape is checked).
    """
    rows = named_features_many(texts, is_reply)
    if word_counts is None:
        word_counts = count_matrix("word", texts)
    elif word_counts.shape != (len(texts), N_BUCKETS):
        raise ValueError(f"word counts of shape {word_counts.shape} for {len(texts)} texts")
    return {"word": word_counts, "char": count_matrix("char", texts),
            "named": np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES))}


def feature_scale(named: FloatArray) -> FloatArray:
    """Max-abs of each named feature over the training rows (1 where all are 0)."""
    scale = np.abs(named).max(axis=0) if named.shape[0] else np.ones(len(FEATURE_NAMES))
    scale[scale == 0] = 1.0
    return np.asarray(scale, dtype=np.float64)


def stack(word: Any, char: Any, named: FloatArray, scale: FloatArray) -> Any:
    """The model's feature matrix from its blocks (one place, for training, CV and prediction)."""
    import scipy.sparse as sp

    return sp.hstack([word, char, sp.csr_matrix(named / scale * FEATURE_WEIGHT)]).tocsr()


@dataclass(slots=True)
class LabelGroup:
    """Labels annotated on the same comments: one featurizer fitted on them, one classifier per label."""

    featurizer: Featurizer
    labels: list[str]  # column stems, e.g. "sentiment_negative"
    coef: FloatArray  # (n_labels, n_features of this featurizer)
    intercept: FloatArray  # (n_labels,)
    # The words of the comment's discussion (features.ThreadBlock); None: own text only.
    thread: ThreadBlock | None = None
    # Own-text coefficients for a comment with no discussion in the input, same shapes as
    # ``coef`` / ``intercept`` (rows of labels without a thread block equal theirs); None: use
    # ``coef`` / ``intercept`` (format 2-3 files).
    alone_coef: FloatArray | None = None
    alone_intercept: FloatArray | None = None

    def probabilities(self, own: Any, offsets: FloatArray | None) -> FloatArray:
        """P(label) per row from ``own(coef)`` (the rows' features times ``coef.T``) and the thread logits.

        ``offsets`` (rows x labels of this group): the thread block's logits; a NaN row (or no
        ``offsets``) means the comment has no other comment of its article in the input, and
        the own-text coefficients score it.
        """
        scores = own(self.coef) + self.intercept.reshape(1, -1)
        alone = np.ones(scores.shape[0], dtype=bool)
        if offsets is not None:
            alone = np.asarray(np.isnan(offsets).any(axis=1), dtype=bool)
            scores = scores + np.where(np.isnan(offsets), 0.0, offsets)
        if self.alone_coef is not None and self.alone_intercept is not None and alone.any():
            alone_scores = own(self.alone_coef) + self.alone_intercept.reshape(1, -1)
            scores[alone] = alone_scores[alone]
        return np.asarray(1.0 / (1.0 + np.exp(-scores)), dtype=np.float64)


@dataclass(slots=True)
class LabelModel:
    """Groups of labels, each with its featurizer and linear classifiers."""

    groups: list[LabelGroup]
    card: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.card.get("name") or MODEL_NAME)

    @property
    def labels(self) -> list[str]:
        """All label stems, in the column order of :meth:`predict_proba`."""
        return [stem for group in self.groups for stem in group.labels]

    def predict_proba(self, texts: Sequence[str], is_reply: Sequence[bool],
                      offsets: FloatArray | None = None, *, word_counts: Any = None) -> FloatArray:
        """P(label applies) for every text and label: shape ``(len(texts), len(labels))``.

        ``offsets``: logits added per text and label before the sigmoid, the thread block's
        share (:meth:`ThreadBlock.logits`, computed over the whole input by the stage); a NaN
        row, or no ``offsets``, scores a text as a comment alone (own-text coefficients).
        ``word_counts``: ``count_matrix("word", texts)`` when the caller made it already (read
        on the scipy path only; the numpy path of a few texts counts them itself).
        """
        if not texts:
            return np.zeros((0, len(self.labels)))
        if self._rows_path(len(texts)):
            return self._predict_rows(texts, is_reply, offsets)
        pre = precompute(texts, is_reply, word_counts=word_counts)
        parts = []
        start = 0
        for group in self.groups:
            x = group.featurizer.matrix(texts, is_reply, pre)
            part = None if offsets is None else offsets[:, start:start + len(group.labels)]
            parts.append(group.probabilities(lambda coef, x=x: np.asarray(x @ coef.T), part))
            start += len(group.labels)
        return np.asarray(np.hstack(parts), dtype=np.float64)


    def _rows_path(self, n_texts: int) -> bool:
        """Whether to predict without scipy.sparse: small inputs (one page), sorted bucket lists."""
        from analyzer.stages import sparse_rows as sr

        return n_texts <= sr.ROWS_PATH_MAX and all(
            sr.is_sorted_unique(block.buckets) for g in self.groups for block in (g.featurizer.word, g.featurizer.char))

    def _predict_rows(self, texts: Sequence[str], is_reply: Sequence[bool],
                      offsets: FloatArray | None = None) -> FloatArray:
        """:meth:`predict_proba` computed with numpy alone (:mod:`analyzer.stages.sparse_rows`): the
        entries and arithmetic of the scipy.sparse path, so the same probabilities."""
        from analyzer.stages import sparse_rows as sr
        from analyzer.stages.hashed_ngrams import hashed_rows

        counts = {"word": hashed_rows(texts, analyzer="word", ngram_range=WORD_NGRAMS, n_features=N_BUCKETS),
                  "char": hashed_rows(texts, analyzer="char_wb", ngram_range=CHAR_NGRAMS, n_features=N_BUCKETS)}
        rows = [named_features(t, is_reply=r) for t, r in zip(texts, is_reply, strict=True)]
        named = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES))
        parts = []
        start = 0
        for group in self.groups:
            f = group.featurizer
            blocks = []
            for block in (f.word, f.char):
                kept = sr.select_columns(counts[block.kind], block.buckets)
                kept = kept.with_data(np.sign(kept.data) * (1.0 + np.log(np.abs(kept.data))))
                blocks.append(sr.normalise_rows(kept.with_data(kept.data * block.idf[kept.indices])))
            x = sr.hstack([*blocks, sr.from_dense(named / f.scale * FEATURE_WEIGHT)])
            part = None if offsets is None else offsets[:, start:start + len(group.labels)]
            parts.append(group.probabilities(lambda coef, x=x: sr.matmul(x, coef.T), part))
            start += len(group.labels)
        return np.asarray(np.hstack(parts), dtype=np.float64)


THRESHOLD = 0.5  # decision threshold on P(label); classes are balanced in training


def sentiment_label(p_negative: float, p_positive: float) -> str:
    """Three-way sentiment from the two label probabilities (negative wins when both apply)."""
    if p_negative >= THRESHOLD:
        return "negative"
    if p_positive >= THRESHOLD:
        return "positive"
    return "neutral"


def fit_label(x: Any, y: npt.NDArray[np.int64], *, c: float = DEFAULT_C) -> tuple[FloatArray, float]:
    """Coefficients and intercept of one balanced logistic regression (needs both classes)."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:
        raise UsageError("training a label needs examples of both classes (1 and 0)")
    # liblinear: deterministic and fast on ~10^5 sparse columns and a few thousand rows.
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=2000, solver="liblinear")
    classifier.fit(x, y)
    return np.asarray(classifier.coef_[0], dtype=np.float64), float(classifier.intercept_[0])


def save(model: LabelModel, path: str | Path) -> Path:
    """Write the ``.npz`` arrays (``g<k>_*`` per label group) and the JSON card; returns the model path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, Any] = {
        "format": np.asarray([MODEL_FORMAT]),
        "feature_names": np.asarray(FEATURE_NAMES, dtype=np.str_),
        "n_buckets": np.asarray([N_BUCKETS]),
        "n_groups": np.asarray([len(model.groups)]),
    }
    for k, group in enumerate(model.groups):
        f = group.featurizer
        arrays.update({
            f"g{k}_labels": np.asarray(group.labels, dtype=np.str_),
            f"g{k}_word_buckets": f.word.buckets.astype(np.int32),
            f"g{k}_word_idf": f.word.idf.astype(np.float32),
            f"g{k}_char_buckets": f.char.buckets.astype(np.int32),
            f"g{k}_char_idf": f.char.idf.astype(np.float32),
            f"g{k}_scale": f.scale,
            f"g{k}_coef": group.coef.astype(np.float32),
            f"g{k}_intercept": group.intercept,
        })
        if group.thread is not None:
            arrays.update({
                f"g{k}_thread_buckets": group.thread.buckets.astype(np.int32),
                f"g{k}_thread_idf": group.thread.idf.astype(np.float32),
                f"g{k}_thread_weight": np.asarray([group.thread.weight]),
                f"g{k}_thread_coef": group.thread.coef.astype(np.float32),
            })
        if group.alone_coef is not None and group.alone_intercept is not None:
            # Only the rows that differ from the joint model's (the labels with a thread block).
            own = [j for j in range(len(group.labels))
                   if not np.array_equal(group.alone_coef[j], group.coef[j])
                   or group.alone_intercept[j] != group.intercept[j]]
            arrays.update({
                f"g{k}_alone_labels": np.asarray([group.labels[j] for j in own], dtype=np.str_),
                f"g{k}_alone_coef": group.alone_coef[own].astype(np.float32).reshape(len(own), -1),
                f"g{k}_alone_intercept": group.alone_intercept[own].reshape(len(own)),
            })
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    os.replace(tmp, path)
    card_path(path).write_text(json.dumps(model.card, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                               encoding="utf-8")
    return path


@lru_cache(maxsize=4)
def _arrays(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    """The arrays of a model file, read once per process and file version (each chunk of a
    chunked run loads the model; decompressing it is ~30 ms).  Treated as read-only."""
    del mtime_ns, size  # part of the cache key: a rewritten file is read again
    with np.load(path, allow_pickle=False) as arrays:
        return {name: arrays[name] for name in arrays.files}


def load(path: str | Path) -> LabelModel:
    """Read a model written by :func:`save` (plain arrays; nothing in the file is executed)."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"label model {path} not found (build it with `analyzer labels train --omp FILE`)")
    try:
        stat = path.stat()
        data = _arrays(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: not a label model file ({exc})") from None
    if int(data.get("format", np.asarray([0]))[0]) not in READABLE_FORMATS:
        raise UsageError(f"{path}: not a label model of format {READABLE_FORMATS[0]}-{MODEL_FORMAT} (rebuild it with `analyzer labels train`)")
    if [str(n) for n in data["feature_names"]] != list(FEATURE_NAMES) or int(data["n_buckets"][0]) != N_BUCKETS:
        raise UsageError(f"{path}: built with other features; rebuild it with `analyzer labels train`")
    card: dict[str, Any] = {}
    if card_path(path).is_file():
        card = json.loads(card_path(path).read_text(encoding="utf-8"))
    groups = []
    for k in range(int(data["n_groups"][0])):
        featurizer = Featurizer(
            Block("word", np.array(data[f"g{k}_word_buckets"], dtype=np.int64),
                  np.array(data[f"g{k}_word_idf"], dtype=np.float64)),
            Block("char", np.array(data[f"g{k}_char_buckets"], dtype=np.int64),
                  np.array(data[f"g{k}_char_idf"], dtype=np.float64)),
            np.array(data[f"g{k}_scale"], dtype=np.float64),
        )
        thread = None
        if f"g{k}_thread_buckets" in data:
            thread = ThreadBlock(np.array(data[f"g{k}_thread_buckets"], dtype=np.int64),
                                 np.array(data[f"g{k}_thread_idf"], dtype=np.float64),
                                 float(data[f"g{k}_thread_weight"][0]),
                                 np.array(data[f"g{k}_thread_coef"], dtype=np.float64))
        labels = [str(n) for n in data[f"g{k}_labels"]]
        coef = np.array(data[f"g{k}_coef"], dtype=np.float64)
        intercept = np.array(data[f"g{k}_intercept"], dtype=np.float64)
        alone_coef = alone_intercept = None
        if f"g{k}_alone_labels" in data:
            alone_coef, alone_intercept = coef.copy(), intercept.copy()
            for row, stem in enumerate(str(n) for n in data[f"g{k}_alone_labels"]):
                alone_coef[labels.index(stem)] = data[f"g{k}_alone_coef"][row]
                alone_intercept[labels.index(stem)] = data[f"g{k}_alone_intercept"][row]
        groups.append(LabelGroup(featurizer, labels, coef, intercept, thread, alone_coef, alone_intercept))
    return LabelModel(groups, card)
