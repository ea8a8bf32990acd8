"""A stance model whose parameters hold no text of its training corpus: hashed n-gram features.

Why: the German model is trained on One Million Posts replies (CC BY-NC-SA 4.0).  A TF-IDF
vocabulary stores word pairs and character n-grams of those texts verbatim; this model stores
none.  Every word 1-2-gram and character 2-4-gram (within word bounds) is mapped by a fixed
hash function (MurmurHash3, 32 bit, seed 0, as scikit-learn's ``HashingVectorizer`` computes
it) to one of ``2**18`` buckets with a sign (Weinberger et al. 2009, signed feature hashing),
so the file holds bucket numbers and weights only.  The named features (the cue model's and
the disagreement lists' findings) are ours and keep their names, except keys built from a
comment's own words (``de:first=<word>``), which are hashed into a small block of their own.

Per block: signed counts, sublinear TF (``sign * (1 + log |x|)``), IDF of the buckets that
occur in at least :data:`MIN_DF` training texts (the others are dropped, so a string seen in
one reply leaves no trace), L2 normalisation; named features are max-abs scaled; the blocks
are weighted and joined, and one multinomial logistic regression (``class_weight="balanced"``)
is fitted on them.  Prediction needs only the kept bucket numbers, their IDF, the scales and
the coefficients: :class:`HashedStance`, stored as JSON (nothing executed when loaded).

What hashing does not do: it is not encryption.  Anyone can hash a string they already have
and see whether its bucket carries weight, so membership of a *guessed* n-gram can be tested
(with collisions blurring it); the text itself cannot be read back from the file.

References:
    Weinberger, Dasgupta, Langford, Smola, Attenberg (2009), Feature hashing for large scale
    multitask learning, ICML.
    Pedregosa et al. (2011), Scikit-learn: machine learning in Python, JMLR 12.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analyzer.core.errors import UsageError

KIND = "hashed"
N_FEATURES = 2**18
KEY_FEATURES = 2**12
# Buckets must occur in this many training texts to be kept (what TF-IDF's min_df did before).
MIN_DF = 2
# Named-feature keys made of a comment's own words: hashed, never stored by name.
HASHED_KEY_PREFIXES = ("de:first=",)
WORD_PARAMS: dict[str, Any] = {"analyzer": "word", "ngram_range": [1, 2], "lowercase": True}
CHAR_PARAMS: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": [2, 4], "lowercase": True}
# Significant decimals kept in the file (the probabilities change by < 1e-4; tested).
_DECIMALS = 5


def _hasher(params: dict[str, Any], n_features: int) -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(analyzer=params["analyzer"], ngram_range=tuple(params["ngram_range"]),
                             lowercase=bool(params["lowercase"]), n_features=n_features, alternate_sign=True,
                             norm=None, dtype=float)


def _counts(params: dict[str, Any], texts: Sequence[str]) -> Any:
    """Signed hashed counts of ``texts``: ``_hasher(params, N_FEATURES).transform(texts)``, computed by
    :func:`analyzer.stages.hashed_ngrams.hashed_counts` (the same matrix, stored zeros removed, which
    :func:`_sublinear` removes anyway; each distinct word's character n-grams hashed once)."""
    from analyzer.stages.hashed_ngrams import hashed_counts

    return hashed_counts(texts, analyzer=params["analyzer"], ngram_range=tuple(params["ngram_range"]),
                         n_features=N_FEATURES, lowercase=bool(params["lowercase"]))


def _key_hasher() -> Any:
    """scikit-learn's hasher of the word-valued keys (the reference :func:`_key_counts` equals; tests only)."""
    from sklearn.feature_extraction import FeatureHasher

    return FeatureHasher(n_features=KEY_FEATURES, input_type="dict", alternate_sign=True, dtype=float)


def _key_counts(keys: Sequence[dict[str, float]]) -> Any:
    """``_key_hasher().transform(keys).tocsr()``, computed without importing scikit-learn (the same
    MurmurHash3 buckets, signs and summed values; :func:`analyzer.stages.hashed_ngrams.hash_dicts`)."""
    from analyzer.stages.hashed_ngrams import hash_dicts

    return hash_dicts(keys, KEY_FEATURES)


def split_features(features: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """Named features by name, and the keys of :data:`HASHED_KEY_PREFIXES` (to be hashed)."""
    named: dict[str, float] = {}
    hashed: dict[str, float] = {}
    for key, value in features.items():
        if key.startswith(HASHED_KEY_PREFIXES):
            hashed[key] = value
        elif value:
            named[key] = value
    return named, hashed


def _sublinear(matrix: Any) -> Any:
    import numpy as np

    out = matrix.tocsr(copy=True)
    out.eliminate_zeros()
    out.data = np.sign(out.data) * (1.0 + np.log(np.abs(out.data)))
    return out


def _weighted_l2(matrix: Any, idf: Any) -> Any:
    """Rows of ``matrix`` (kept columns) times IDF, L2-normalised."""
    import numpy as np
    import scipy.sparse as sp

    from analyzer.stages.sparse_rows import weighted_l2_csr

    fast = weighted_l2_csr(matrix, idf)  # the same numbers without scipy's COO copies
    if fast is not None:
        return fast
    weighted = sp.csr_matrix(matrix.multiply(idf.reshape(1, -1)))
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(weighted.multiply((1.0 / norms).reshape(-1, 1)))


def raw_blocks(samples: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Hashed, sublinear counts of every block (``words``, ``chars``, ``keys``) before selection."""
    texts = [s["text"] for s in samples]
    keys = [split_features(s["features"])[1] for s in samples]
    return {
        "words": _sublinear(_counts(WORD_PARAMS, texts)),
        "chars": _sublinear(_counts(CHAR_PARAMS, texts)),
        "keys": _key_counts(keys),
    }


class HashedStance:
    """A fitted hashed model: kept buckets with their IDF, named-feature scales, coefficients.

    ``payload`` is the JSON object of the model file (see :meth:`to_json`).
    """

    def __init__(self, payload: dict[str, Any]) -> None:
        import numpy as np

        self.payload = payload
        try:
            if payload.get("kind") != KIND:
                raise ValueError("kind is not 'hashed'")
            self.classes_ = [str(c) for c in payload["classes"]]
            self.coef = np.asarray(payload["coef"], dtype=float)
            self.intercept = np.asarray(payload["intercept"], dtype=float)
            self.temperature = float(payload.get("temperature", 1.0))
            self.cue_weight = float(payload["cue_weight"])
            blocks = payload["blocks"]
            self.columns = {name: np.asarray(blocks[name]["buckets"], dtype=np.int64) for name in ("words", "chars", "keys")}
            self.idf = {name: np.asarray(blocks[name]["idf"], dtype=float) for name in ("words", "chars")}
            self.block_weight = {name: float(blocks[name]["weight"]) for name in ("words", "chars", "keys")}
            self.named = [str(n) for n in blocks["named"]["names"]]
            self.named_index = {n: i for i, n in enumerate(self.named)}
            self.scale = np.asarray(blocks["named"]["scale"], dtype=float)
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"not a hashed stance model ({type(exc).__name__}: {exc})") from None
        width = sum(len(c) for c in self.columns.values()) + len(self.named)
        if self.coef.ndim != 2 or self.coef.shape[1] != width or self.coef.shape[0] not in (1, len(self.classes_)):
            raise UsageError("not a hashed stance model (coefficients do not match the features)")

    def _named_entries(self, samples: Sequence[dict[str, Any]]) -> tuple[list[int], list[int], list[float]]:
        """Rows, columns and scaled values of the named features the model knows."""
        rows: list[int] = []
        cols: list[int] = []
        data: list[float] = []
        for r, s in enumerate(samples):
            for key, value in split_features(s["features"])[0].items():
                j = self.named_index.get(key)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
                    data.append(float(value) / (self.scale[j] or 1.0) * self.cue_weight)
        return rows, cols, data

    def matrix(self, samples: Sequence[dict[str, Any]], raw: dict[str, Any] | None = None) -> Any:
        """The feature matrix of ``samples`` (``raw``: their :func:`raw_blocks`, if computed)."""
        import numpy as np
        import scipy.sparse as sp

        raw = raw if raw is not None else raw_blocks(samples)
        parts = []
        for name in ("words", "chars"):
            parts.append(_weighted_l2(raw[name][:, self.columns[name]], self.idf[name]) * self.block_weight[name])
        parts.append(raw["keys"][:, self.columns["keys"]] * self.block_weight["keys"])
        rows, cols, data = self._named_entries(samples)
        parts.append(sp.csr_matrix((np.asarray(data, dtype=float), (rows, cols)), shape=(len(samples), len(self.named))))
        return sp.hstack(parts).tocsr()

    def rows_matrix(self, samples: Sequence[dict[str, Any]]) -> Any:
        """:meth:`matrix` as :class:`analyzer.stages.sparse_rows.Rows`, without scipy.sparse: the
        same entries in the same order and the same arithmetic (tests/stages/test_sparse_rows.py)."""
        import numpy as np

        from analyzer.stages import sparse_rows as sr
        from analyzer.stages.hashed_ngrams import hash_dict_rows, hashed_rows

        texts = [s["text"] for s in samples]
        parts = []
        for name, params in (("words", WORD_PARAMS), ("chars", CHAR_PARAMS)):
            counts = hashed_rows(texts, analyzer=params["analyzer"], ngram_range=tuple(params["ngram_range"]),
                                 n_features=N_FEATURES, lowercase=bool(params["lowercase"]))
            counts = counts.with_data(np.sign(counts.data) * (1.0 + np.log(np.abs(counts.data))))  # _sublinear
            kept = sr.select_columns(counts, self.columns[name])
            weighted = sr.normalise_rows(kept.with_data(kept.data * self.idf[name][kept.indices]))
            parts.append(weighted.with_data(weighted.data * self.block_weight[name]))
        keys = sr.select_columns(hash_dict_rows([split_features(s["features"])[1] for s in samples], KEY_FEATURES),
                                 self.columns["keys"])
        parts.append(keys.with_data(keys.data * self.block_weight["keys"]))
        rows, cols, data = self._named_entries(samples)
        parts.append(sr.from_entries(np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64),
                                     np.asarray(data, dtype=np.float64), (len(samples), len(self.named)), drop_zeros=False))
        return sr.hstack(parts)

    def _rows_path(self, n_samples: int) -> bool:
        """Whether to predict without scipy.sparse: small inputs (one page), sorted bucket lists."""
        from analyzer.stages import sparse_rows as sr

        return n_samples <= sr.ROWS_PATH_MAX and all(sr.is_sorted_unique(c) for c in self.columns.values())

    def logits(self, samples: Sequence[dict[str, Any]], raw: dict[str, Any] | None = None) -> Any:
        """Decision values (n samples x n classes) before the temperature.

        Small inputs are computed by :meth:`rows_matrix` (numpy only; scipy.sparse's import costs
        more than one page's prediction), larger ones by :meth:`matrix`: the same numbers.
        """
        import numpy as np

        if raw is None and self._rows_path(len(samples)):
            from analyzer.stages.sparse_rows import matmul

            scores = matmul(self.rows_matrix(samples), self.coef.T) + self.intercept
        else:
            scores = np.asarray(self.matrix(samples, raw) @ self.coef.T) + self.intercept
        if scores.shape[1] == 1:  # binary: one column for the second class
            scores = np.hstack([-scores / 2, scores / 2])
        return scores

    def predict_proba(self, samples: Sequence[dict[str, Any]], temperature: float | None = None) -> Any:
        """Calibrated class probabilities (softmax of the logits over ``temperature``)."""
        from analyzer.stages.stance.calibration import softmax

        return softmax(self.logits(samples), self.temperature if temperature is None else temperature)

    def with_temperature(self, temperature: float) -> HashedStance:
        return HashedStance({**self.payload, "temperature": temperature})

    def to_json(self) -> dict[str, Any]:
        return self.payload

    def weights_of_named(self) -> dict[str, dict[str, float]]:
        """Coefficient x block weight of every named feature per class (for the card)."""
        start = sum(len(c) for c in self.columns.values())
        out: dict[str, dict[str, float]] = {}
        for i, cls in enumerate(self.classes_ if self.coef.shape[0] > 1 else self.classes_[1:]):
            row = self.coef[i, start:]
            out[cls] = {n: round(float(row[j] / (self.scale[j] or 1.0) * self.cue_weight), 4)
                        for j, n in enumerate(self.named)}
        return out


def _round(values: Any) -> list[float]:
    return [float(f"{float(v):.{_DECIMALS}g}") for v in values]


def fit(samples: Sequence[dict[str, Any]], labels: Sequence[str], *, c: float, cue_weight: float,
        raw: dict[str, Any] | None = None) -> HashedStance:
    """Fit the hashed model on ``samples`` (``raw``: their :func:`raw_blocks`, to reuse across folds)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        raise UsageError(f"training needs at least two stance classes, found {sorted(set(labels))}")
    raw = raw if raw is not None else raw_blocks(samples)
    n = len(samples)
    blocks: dict[str, Any] = {}
    for name in ("words", "chars", "keys"):
        df = np.bincount(raw[name].indices, minlength=raw[name].shape[1])
        keep = np.flatnonzero(df >= (MIN_DF if name != "keys" else 1))
        block: dict[str, Any] = {"buckets": [int(k) for k in keep], "weight": 1.0 if name != "keys" else cue_weight}
        if name != "keys":
            block["idf"] = _round(np.log((1.0 + n) / (1.0 + df[keep])) + 1.0)
        blocks[name] = block
    names = sorted({k for s in samples for k, v in split_features(s["features"])[0].items()})
    index = {k: i for i, k in enumerate(names)}
    scale = np.zeros(len(names))
    for s in samples:
        for k, v in split_features(s["features"])[0].items():
            scale[index[k]] = max(scale[index[k]], abs(float(v)))
    scale[scale == 0] = 1.0
    blocks["named"] = {"names": names, "scale": [float(x) for x in scale]}
    zero_coef = [[0.0] * (sum(len(blocks[b]["buckets"]) for b in ("words", "chars", "keys")) + len(names))]
    probe = HashedStance({"kind": KIND, "classes": sorted(set(labels)), "coef": zero_coef, "intercept": [0.0],
                          "cue_weight": cue_weight, "blocks": blocks, "n_features": N_FEATURES,
                          "key_features": KEY_FEATURES, "params": {"words": WORD_PARAMS, "chars": CHAR_PARAMS}})
    x = probe.matrix(samples, raw)
    # newton-cg as the TF-IDF model (trained.build_pipeline): deterministic, few iterations.
    classifier = LogisticRegression(class_weight="balanced", C=c, max_iter=1000, random_state=0, solver="newton-cg")
    classifier.fit(x, list(labels))
    payload = dict(probe.payload)
    payload["classes"] = [str(k) for k in classifier.classes_]
    payload["coef"] = [_round(row) for row in classifier.coef_]
    payload["intercept"] = _round(classifier.intercept_)
    return HashedStance(payload)


def describe(model: HashedStance) -> dict[str, Any]:
    """Sizes of the blocks (for the card)."""
    return {"buckets_words": len(model.columns["words"]), "buckets_chars": len(model.columns["chars"]),
            "buckets_keys": len(model.columns["keys"]), "named_features": len(model.named),
            "hash": f"signed MurmurHash3 (32 bit, seed 0) into {N_FEATURES} buckets per n-gram block, "
                    f"{KEY_FEATURES} for word-valued keys; buckets in fewer than {MIN_DF} training texts dropped",
            "significant_digits": _DECIMALS}
