"""The comment label model: one logistic regression per label over shared features.

Features (one sparse row per comment):

* word 1-2-grams and character 2-5-grams inside word bounds, each with sublinear TF
  (``1 + log tf``) times IDF and L2-normalised per block (the usual TF-IDF of Salton &
  Buckley 1988, as scikit-learn computes it), over a vocabulary fixed at training time;
* the named features of :mod:`analyzer.stages.labels.features`, max-abs scaled and multiplied by
  :data:`FEATURE_WEIGHT`.

File format (:func:`save` / :func:`load`): one ``.npz`` of plain arrays read with
``allow_pickle=False`` (vocabularies as Unicode arrays, IDF, scales, coefficients) and a JSON
card beside it (``MODEL.card.json``: labels, training data, cross-validation figures, licence
note).  Loading runs no code from the file, unlike a pickle or joblib model.

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
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from analyzer.core.errors import UsageError
from analyzer.stages.labels.features import FEATURE_NAMES, named_features

MODEL_FORMAT = 1
MODEL_NAME = "omp-linear-v1"
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

FloatArray = npt.NDArray[np.float64]


def default_model_path() -> Path:
    """``$ANALYZER_DATA_DIR/labels/omp-labels.npz``, else ``~/.local/share/analyzer/labels/…``."""
    base = os.environ.get("ANALYZER_DATA_DIR")
    root = Path(base) if base else Path.home() / ".local" / "share" / "analyzer"
    return root / "labels" / MODEL_FILE


def card_path(model_path: str | Path) -> Path:
    path = Path(model_path)
    return path.with_name(path.name + ".card.json")


def _word_counter(vocabulary: Sequence[str] | None = None) -> Any:
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(lowercase=True, ngram_range=WORD_NGRAMS, vocabulary=vocabulary)


def _char_counter(vocabulary: Sequence[str] | None = None) -> Any:
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(lowercase=True, analyzer="char_wb", ngram_range=CHAR_NGRAMS, vocabulary=vocabulary)


def count_matrix(kind: str, texts: Sequence[str], terms: Sequence[str] | None = None) -> tuple[Any, list[str]]:
    """Raw n-gram counts of ``texts`` (CSR) and the column terms; ``terms`` fixes the columns."""
    import scipy.sparse as sp

    counter = (_word_counter if kind == "word" else _char_counter)(terms)
    counts = counter.transform(texts) if terms is not None else counter.fit_transform(texts)
    names = list(terms) if terms is not None else [str(t) for t in counter.get_feature_names_out()]
    return sp.csr_matrix(counts, dtype=np.float64), names


def select_columns(kind: str, counts: Any) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Columns kept for a block fitted on the rows of ``counts``, and their IDF.

    The same rule as scikit-learn's ``TfidfVectorizer(min_df=MIN_DF, max_features=…,
    smooth_idf=True)``: document frequency at least :data:`MIN_DF`; for characters the
    :data:`MAX_CHAR_FEATURES` most frequent; IDF = ln((1 + n) / (1 + df)) + 1.
    """
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = np.flatnonzero(df >= MIN_DF)
    if kind == "char" and keep.size > MAX_CHAR_FEATURES:
        tf = np.asarray(counts.sum(axis=0)).ravel()[keep]
        top = np.argsort(-tf, kind="stable")[:MAX_CHAR_FEATURES]
        keep = np.sort(keep[top])
    idf = np.log((1.0 + n) / (1.0 + df[keep])) + 1.0
    return keep.astype(np.int64), idf.astype(np.float64)


def tfidf(counts: Any, idf: FloatArray) -> Any:
    """Sublinear TF (1 + log tf) times IDF, rows L2-normalised."""
    import scipy.sparse as sp

    weighted = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    weighted.data = 1.0 + np.log(weighted.data)
    weighted = sp.csr_matrix(weighted.multiply(idf.reshape(1, -1)))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(weighted.multiply((1.0 / norms).reshape(-1, 1)))


@dataclass(slots=True)
class Block:
    """One TF-IDF block: its terms (column order) and their IDF."""

    kind: str  # "word" | "char"
    terms: list[str]
    idf: FloatArray

    def transform(self, texts: Sequence[str]) -> Any:
        counts, _ = count_matrix(self.kind, texts, self.terms)
        return tfidf(counts, self.idf)

    @classmethod
    def fit(cls, kind: str, texts: Sequence[str]) -> Block:
        counts, names = count_matrix(kind, texts)
        keep, idf = select_columns(kind, counts)
        return cls(kind, [names[i] for i in keep], idf)


@dataclass(slots=True)
class Featurizer:
    """Texts (and whether each is a reply) to the model's feature matrix."""

    word: Block
    char: Block
    scale: FloatArray  # max-abs of each named feature in training (1 where it was 0)

    def named(self, texts: Sequence[str], is_reply: Sequence[bool]) -> FloatArray:
        rows = [named_features(t, is_reply=r) for t, r in zip(texts, is_reply, strict=True)]
        return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES))

    def matrix(self, texts: Sequence[str], is_reply: Sequence[bool]) -> Any:
        return stack(self.word.transform(texts), self.char.transform(texts), self.named(texts, is_reply), self.scale)

    @classmethod
    def fit(cls, texts: Sequence[str], is_reply: Sequence[bool]) -> Featurizer:
        word, char = Block.fit("word", texts), Block.fit("char", texts)
        probe = cls(word, char, np.ones(len(FEATURE_NAMES)))
        return cls(word, char, feature_scale(probe.named(texts, is_reply)))


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
class LabelModel:
    """Fitted featurizer and one linear classifier per label (rows of ``coef``)."""

    featurizer: Featurizer
    labels: list[str]  # column stems, e.g. "sentiment_negative"
    coef: FloatArray  # (n_labels, n_features)
    intercept: FloatArray  # (n_labels,)
    card: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.card.get("name") or MODEL_NAME)

    def predict_proba(self, texts: Sequence[str], is_reply: Sequence[bool]) -> FloatArray:
        """P(label applies) for every text and label: shape ``(len(texts), len(labels))``."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        x = self.featurizer.matrix(texts, is_reply)
        scores = np.asarray(x @ self.coef.T) + self.intercept.reshape(1, -1)
        return np.asarray(1.0 / (1.0 + np.exp(-scores)), dtype=np.float64)


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
    """Write the ``.npz`` arrays and the JSON card; returns the model path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    f = model.featurizer
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(
        tmp,
        format=np.asarray([MODEL_FORMAT]),
        labels=np.asarray(model.labels, dtype=np.str_),
        feature_names=np.asarray(FEATURE_NAMES, dtype=np.str_),
        word_terms=np.asarray(f.word.terms, dtype=np.str_),
        word_idf=f.word.idf,
        char_terms=np.asarray(f.char.terms, dtype=np.str_),
        char_idf=f.char.idf,
        scale=f.scale,
        coef=model.coef.astype(np.float32),
        intercept=model.intercept,
    )
    os.replace(tmp, path)
    card_path(path).write_text(json.dumps(model.card, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                               encoding="utf-8")
    return path


def load(path: str | Path) -> LabelModel:
    """Read a model written by :func:`save` (plain arrays; nothing in the file is executed)."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"label model {path} not found (build it with `analyzer labels train --omp FILE`)")
    try:
        with np.load(path, allow_pickle=False) as arrays:
            data = {name: arrays[name] for name in arrays.files}
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: not a label model file ({exc})") from None
    if int(data.get("format", np.asarray([0]))[0]) != MODEL_FORMAT:
        raise UsageError(f"{path}: not a label model of format {MODEL_FORMAT}")
    if [str(n) for n in data["feature_names"]] != list(FEATURE_NAMES):
        raise UsageError(f"{path}: built with other named features; rebuild it with `analyzer labels train`")
    card: dict[str, Any] = {}
    if card_path(path).is_file():
        card = json.loads(card_path(path).read_text(encoding="utf-8"))
    featurizer = Featurizer(
        Block("word", [str(t) for t in data["word_terms"]], np.asarray(data["word_idf"], dtype=np.float64)),
        Block("char", [str(t) for t in data["char_terms"]], np.asarray(data["char_idf"], dtype=np.float64)),
        np.asarray(data["scale"], dtype=np.float64),
    )
    return LabelModel(featurizer, [str(n) for n in data["labels"]], np.asarray(data["coef"], dtype=np.float64),
                      np.asarray(data["intercept"], dtype=np.float64), card)
