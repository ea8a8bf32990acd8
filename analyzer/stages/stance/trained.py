"""The trainable stance model: logistic regression over cue, structure and n-gram features.

Transparent on purpose: scikit-learn's ``LogisticRegression`` (``class_weight="balanced"``,
because "comment" dominates every stance corpus) over the union of

* word 1-2-grams (TF-IDF, sublinear), character 2-4-grams within word bounds (TF-IDF), and
* the named features of :mod:`analyzer.stages.stance.features` and :mod:`analyzer.stages.stance.disagreement`
  (``DictVectorizer`` + max-abs scaling, weighted by ``cue_weight`` in the union).

After fitting, a pipeline is exported to a :class:`LinearStance`: vocabularies, IDF weights,
feature scales, coefficients and a softmax temperature, which is all prediction needs.  The
model file is JSON (``{"format": 2, "card": ..., "pipelines": {target: ...}}``): loading it runs
no code (unlike a pickle or joblib file), it can be read and diffed, and it does not depend on
the scikit-learn version it was trained with.  The card is also written beside it
(``MODEL.card.json``): features, classes, training data hashes, thread hashes (so evaluation
can refuse to score training threads), cross-validation scores and the reliability table.

Confidence: ``predict`` returns softmax probabilities with the logits divided by a temperature
fitted on out-of-fold predictions (Guo et al. 2017, temperature scaling), so that a 0.7 means
about 70 % right on unseen articles; balanced class weights alone leave them miscalibrated.

References:
    Pedregosa et al. (2011), Scikit-learn: machine learning in Python, JMLR 12.
    Derczynski et al. (2017), SemEval-2017 Task 8 (feature-based baselines).
    Guo, Pleiss, Sun, Weinberger (2017), On calibration of modern neural networks, ICML.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from analyzer.core.errors import UsageError
from analyzer.stages.stance.calibration import softmax

# Format 3 adds hashed pipelines (analyzer.stages.stance.hashed: bucket numbers, no vocabulary);
# format-2 files (TF-IDF vocabularies only) are still read.
MODEL_FORMAT = 3
READABLE_FORMATS = (2, 3)
# Calibration (leave-one-group-out macro-F1, article target unless said): C=0.1 / 0.3 / 1.0 gave
# RumourEval 2017 train+dev by event 0.455 / 0.453 / 0.447, DAST by topic 0.391 / 0.405 / 0.418
# and DAST parent 0.483 / 0.491 / 0.490.  0.3 keeps both corpora above their floors.
DEFAULT_C = 0.3


def _texts(samples: Sequence[dict[str, Any]]) -> list[str]:
    return [s["text"] for s in samples]


def _features(samples: Sequence[dict[str, Any]]) -> list[dict[str, float]]:
    return [s["features"] for s in samples]


# Weight of the named-feature block against the two TF-IDF blocks.  1.0 for RumourEval and DAST
# (calibrated above).  German OMP replies (1,270 labels, 10 article-grouped folds): 2.0 / 1.0 /
# 0.5 / 0.3 gave macro-F1 0.462 / 0.479 / 0.494 / 0.498: the many sparse cue features overfit
# the articles at full weight.  The German preset (analyzer.stages.stance.german) uses 0.3.
DEFAULT_CUE_WEIGHT = 1.0
_WORDS: dict[str, Any] = {"ngram_range": (1, 2), "min_df": 2, "max_features": 20_000, "sublinear_tf": True,
                          "lowercase": True}
_CHARS: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (2, 4), "min_df": 3, "max_features": 30_000,
                          "sublinear_tf": True, "lowercase": True}


def build_pipeline(c: float = DEFAULT_C, cue_weight: float = DEFAULT_CUE_WEIGHT) -> Any:
    """An unfitted scikit-learn pipeline (imported lazily: scikit-learn is slow to import)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer, MaxAbsScaler

    union = FeatureUnion(
        [
            ("words", Pipeline([
                ("select", FunctionTransformer(_texts)),
                ("tfidf", TfidfVectorizer(**_WORDS)),
            ])),
            ("chars", Pipeline([
                ("select", FunctionTransformer(_texts)),
                ("tfidf", TfidfVectorizer(**_CHARS)),
            ])),
            ("cues", Pipeline([
                ("select", FunctionTransformer(_features)),
                ("vector", DictVectorizer()),
                ("scale", MaxAbsScaler()),
            ])),
        ],
        transformer_weights={"words": 1.0, "chars": 1.0, "cues": cue_weight},
    )
    # newton-cg: 9 iterations and ~2.5 s on RumourEval where lbfgs needed ~90 and 8 s.
    classifier = LogisticRegression(class_weight="balanced", C=c, max_iter=1000, random_state=0, solver="newton-cg")
    return Pipeline([("features", union), ("classifier", classifier)])


class LinearStance:
    """A fitted pipeline reduced to arrays: TF-IDF vocabularies, feature scales, coefficients.

    ``predict_proba`` reproduces the scikit-learn pipeline (same analysers, sublinear TF,
    IDF, L2 normalisation, max-abs scaling, union weights, multinomial softmax), then divides
    the logits by ``temperature``.
    """

    def __init__(self, payload: dict[str, Any]) -> None:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.payload = payload
        try:
            self.classes_ = [str(c) for c in payload["classes"]]
            self.coef = np.asarray(payload["coef"], dtype=float)
            self.intercept = np.asarray(payload["intercept"], dtype=float)
            self.temperature = float(payload.get("temperature", 1.0))
            self.blocks: list[tuple[str, Any, dict[str, int], Any, float]] = []
            for block in payload["blocks"]:
                kind = block["kind"]
                vocabulary = {str(k): int(v) for k, v in block["vocabulary"].items()}
                if kind == "tfidf":
                    params = dict(block["params"])
                    params["ngram_range"] = tuple(params["ngram_range"])
                    analyser = TfidfVectorizer(**params).build_analyzer()
                    self.blocks.append((kind, analyser, vocabulary, np.asarray(block["idf"], dtype=float),
                                        float(block["weight"])))
                else:
                    self.blocks.append((kind, None, vocabulary, np.asarray(block["scale"], dtype=float),
                                        float(block["weight"])))
        except (KeyError, TypeError, ValueError) as exc:
            raise UsageError(f"not a stance model of format {MODEL_FORMAT} ({type(exc).__name__}: {exc})") from None
        width = sum(len(b[2]) for b in self.blocks)
        if self.coef.ndim != 2 or self.coef.shape[1] != width or self.coef.shape[0] not in (1, len(self.classes_)):
            raise UsageError(f"not a stance model of format {MODEL_FORMAT} (coefficients do not match the features)")

    @classmethod
    def from_pipeline(cls, pipeline: Any, temperature: float = 1.0) -> LinearStance:
        """Export a fitted :func:`build_pipeline` pipeline."""
        union = pipeline.named_steps["features"]
        weights = union.transformer_weights or {}
        blocks: list[dict[str, Any]] = []
        for name, part in union.transformer_list:
            last = part.steps[1][1]
            weight = float(weights.get(name, 1.0))
            if name in ("words", "chars"):
                params = _WORDS if name == "words" else _CHARS
                blocks.append({"kind": "tfidf", "name": name, "weight": weight,
                               "params": {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()
                                          if k not in ("min_df", "max_features")},
                               "vocabulary": {k: int(v) for k, v in last.vocabulary_.items()},
                               "idf": [round(float(x), 6) for x in last.idf_]})
            else:
                scaler = part.steps[2][1]
                blocks.append({"kind": "dict", "name": name, "weight": weight,
                               "vocabulary": {str(k): int(v) for k, v in last.vocabulary_.items()},
                               "scale": [float(x) for x in scaler.scale_]})
        classifier = pipeline.named_steps["classifier"]
        return cls({"classes": [str(c) for c in classifier.classes_],
                    "coef": [[round(float(x), 6) for x in row] for row in classifier.coef_],
                    "intercept": [round(float(x), 6) for x in classifier.intercept_],
                    "temperature": temperature, "blocks": blocks})

    def to_json(self) -> dict[str, Any]:
        """The payload :meth:`__init__` read (what :func:`save` writes)."""
        return self.payload

    def logits(self, samples: Sequence[dict[str, Any]]) -> Any:
        """Decision values (n samples x n classes) before the temperature."""
        import numpy as np
        from scipy.sparse import csr_matrix, hstack

        parts = []
        for kind, analyser, vocabulary, values, weight in self.blocks:
            rows: list[int] = []
            cols: list[int] = []
            data: list[float] = []
            for r, s in enumerate(samples):
                if kind == "tfidf":
                    counts: dict[int, int] = {}
                    for term in analyser(s["text"]):
                        j = vocabulary.get(term)
                        if j is not None:
                            counts[j] = counts.get(j, 0) + 1
                    vec = {j: (1.0 + math.log(n)) * values[j] for j, n in counts.items()}
                    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
                    items = [(j, v / norm) for j, v in vec.items()]
                else:
                    items = [(vocabulary[k], float(v) / (values[vocabulary[k]] or 1.0))
                             for k, v in s["features"].items() if k in vocabulary and v]
                for j, v in items:
                    rows.append(r)
                    cols.append(j)
                    data.append(v * weight)
            parts.append(csr_matrix((data, (rows, cols)), shape=(len(samples), len(vocabulary))))
        matrix = hstack(parts).tocsr()
        scores = np.asarray(matrix @ self.coef.T) + self.intercept
        if scores.shape[1] == 1:  # binary: one column for the second class
            scores = np.hstack([-scores / 2, scores / 2])
        return scores

    def predict_proba(self, samples: Sequence[dict[str, Any]], temperature: float | None = None) -> Any:
        """Calibrated class probabilities (softmax of the logits over ``temperature``)."""
        return softmax(self.logits(samples), self.temperature if temperature is None else temperature)


def fit_temperature(logits: Any, labels: Sequence[str], classes: Sequence[str]) -> float:
    """The temperature minimising the log loss of out-of-fold ``logits`` (grid 0.25-5, step 0.05)."""
    import numpy as np

    index = {c: i for i, c in enumerate(classes)}
    keep = [i for i, label in enumerate(labels) if label in index]
    if not keep:
        return 1.0
    z = np.asarray(logits, dtype=float)[keep]
    y = np.asarray([index[labels[i]] for i in keep])
    best, best_loss = 1.0, float("inf")
    for t in np.arange(0.25, 5.0001, 0.05):
        p = softmax(z, float(t))
        loss = float(-np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None)).mean())
        if loss < best_loss - 1e-12:
            best, best_loss = round(float(t), 2), loss
    return best


def reliability(confidences: Sequence[float], correct: Sequence[bool],
                bins: Sequence[float] = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)) -> list[dict[str, Any]]:
    """Predicted-confidence bins with the observed accuracy (a reliability table)."""
    out = []
    for lo, hi in zip(bins[:-1], bins[1:], strict=True):
        members = [ok for c, ok in zip(confidences, correct, strict=True) if lo <= c < hi]
        confs = [c for c in confidences if lo <= c < hi]
        out.append({"bin": f"{lo:.1f}-{min(hi, 1.0):.1f}", "n": len(members),
                    "mean_confidence": round(sum(confs) / len(confs), 3) if confs else None,
                    "accuracy": round(sum(members) / len(members), 3) if members else None})
    return out


def expected_calibration_error(table: Sequence[dict[str, Any]]) -> float:
    """Weighted mean |accuracy - confidence| over the bins of :func:`reliability`."""
    n = sum(int(row["n"]) for row in table)
    if not n:
        return 0.0
    return float(sum(row["n"] * abs(row["accuracy"] - row["mean_confidence"]) for row in table if row["n"]) / n)


@dataclass(slots=True)
class StanceModel:
    """Fitted predictors by target ("article", "parent") and the model card."""

    pipelines: dict[str, Any]
    card: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.card.get("name") or "trained")

    def predict(self, target: str, samples: Sequence[dict[str, Any]]) -> tuple[list[str], list[dict[str, float]]]:
        """Labels and (calibrated) class probabilities for ``samples``."""
        predictor = self.pipelines[target]
        if not samples:
            return [], []
        probabilities = predictor.predict_proba(list(samples))
        classes = [str(c) for c in predictor.classes_]
        labels = [classes[int(row.argmax())] for row in probabilities]
        return labels, [{c: round(float(p), 4) for c, p in zip(classes, row, strict=True)} for row in probabilities]


def fit(samples: Sequence[dict[str, Any]], labels: Sequence[str], *, c: float = DEFAULT_C,
        cue_weight: float = DEFAULT_CUE_WEIGHT) -> Any:
    """Fit one pipeline; needs at least two classes."""
    if len(set(labels)) < 2:
        raise UsageError(f"training needs at least two stance classes, found {sorted(set(labels))}")
    pipeline = build_pipeline(c, cue_weight)
    pipeline.fit(list(samples), list(labels))
    return pipeline


def card_path(model_path: str | Path) -> Path:
    path = Path(model_path)
    return path.with_name(path.name + ".card.json")


def save(model: StanceModel, path: str | Path) -> Path:
    """Write the JSON model file and its JSON card; returns the model path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    from analyzer.stages.stance.hashed import HashedStance

    pipelines = {t: (p if isinstance(p, LinearStance | HashedStance) else LinearStance.from_pipeline(p)).to_json()
                 for t, p in model.pipelines.items()}
    payload = {"format": MODEL_FORMAT, "card": model.card, "pipelines": pipelines}
    tmp = path.with_name(path.name + ".tmp")
    # Same inputs, same bytes: no timestamp, fixed key order (`analyzer stance train --omp` twice
    # gives one sha256; tested).
    tmp.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    tmp.replace(path)
    card_path(path).write_text(json.dumps(model.card, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return path


@lru_cache(maxsize=4)
def _parsed(path: str, mtime_ns: int, size: int) -> Any:
    """The parsed JSON of a model file, once per process and file version (a chunked run's
    every chunk and every later run in a notebook use the same model: ~30 ms of parsing each)."""
    del mtime_ns, size  # part of the cache key: a rewritten file is read again
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load(path: str | Path) -> StanceModel:
    """Load a model written by :func:`save` (plain JSON: nothing in it is executed)."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"stance model {path} not found (train one with `analyzer stance train`)")
    try:
        stat = path.stat()
        payload = _parsed(str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"{path}: not a stance model file ({type(exc).__name__}: {str(exc)[:120]})") from None
    if (not isinstance(payload, dict) or payload.get("format") not in READABLE_FORMATS
            or not isinstance(payload.get("pipelines"), dict)):
        raise UsageError(f"{path}: not a stance model of format {' or '.join(map(str, READABLE_FORMATS))}")
    # A fresh card per load: the parsed payload is shared by every load of this file version.
    return from_payload({**payload, "card": copy.deepcopy(payload.get("card"))}, str(path))


def from_payload(payload: dict[str, Any], where: str) -> StanceModel:
    """A model from the parsed JSON of a model file (``where`` names it in errors)."""
    from analyzer.stages.stance.hashed import KIND, HashedStance

    try:
        pipelines: dict[str, Any] = {
            str(t): HashedStance(p) if isinstance(p, dict) and p.get("kind") == KIND else LinearStance(p)
            for t, p in payload["pipelines"].items()
        }
    except UsageError as exc:
        raise UsageError(f"{where}: {exc}") from None
    return StanceModel(pipelines, dict(payload.get("card") or {}))
