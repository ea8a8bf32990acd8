"""The trainable stance model: logistic regression over cue, structure and n-gram features.

Transparent on purpose: scikit-learn's ``LogisticRegression`` (``class_weight="balanced"``,
because "comment" dominates every stance corpus) over the union of

* word 1-2-grams (TF-IDF, sublinear), character 2-4-grams within word bounds (TF-IDF), and
* the named features of :mod:`analyzer.stages.stance.features` (``DictVectorizer`` + max-abs scaling).

The model file is a joblib pickle of ``{target: Pipeline}`` plus a JSON card beside it
(``MODEL.card.json``): features, classes, training data hashes, thread hashes (so evaluation
can refuse to score training threads) and cross-validation scores.  A joblib file runs code
when loaded: load only model files you made or trust.

References:
    Pedregosa et al. (2011), Scikit-learn: machine learning in Python, JMLR 12.
    Derczynski et al. (2017), SemEval-2017 Task 8 (feature-based baselines).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.core.errors import UsageError

MODEL_FORMAT = 1
# Calibration (leave-one-group-out macro-F1, article target unless said): C=0.1 / 0.3 / 1.0 gave
# RumourEval 2017 train+dev by event 0.455 / 0.453 / 0.447, DAST by topic 0.391 / 0.405 / 0.418
# and DAST parent 0.483 / 0.491 / 0.490.  0.3 keeps both corpora above their floors.
DEFAULT_C = 0.3


def _texts(samples: Sequence[dict[str, Any]]) -> list[str]:
    return [s["text"] for s in samples]


def _features(samples: Sequence[dict[str, Any]]) -> list[dict[str, float]]:
    return [s["features"] for s in samples]


def build_pipeline(c: float = DEFAULT_C) -> Any:
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
                ("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=20_000, sublinear_tf=True, lowercase=True)),
            ])),
            ("chars", Pipeline([
                ("select", FunctionTransformer(_texts)),
                ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=3, max_features=30_000,
                                          sublinear_tf=True, lowercase=True)),
            ])),
            ("cues", Pipeline([
                ("select", FunctionTransformer(_features)),
                ("vector", DictVectorizer()),
                ("scale", MaxAbsScaler()),
            ])),
        ]
    )
    # newton-cg: 9 iterations and ~2.5 s on RumourEval where lbfgs needed ~90 and 8 s.
    classifier = LogisticRegression(class_weight="balanced", C=c, max_iter=1000, random_state=0, solver="newton-cg")
    return Pipeline([("features", union), ("classifier", classifier)])


@dataclass(slots=True)
class StanceModel:
    """Fitted pipelines by target ("article", "parent") and the model card."""

    pipelines: dict[str, Any]
    card: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.card.get("name") or "trained")

    def predict(self, target: str, samples: Sequence[dict[str, Any]]) -> tuple[list[str], list[dict[str, float]]]:
        """Labels and class probabilities for ``samples``."""
        pipeline = self.pipelines[target]
        if not samples:
            return [], []
        probabilities = pipeline.predict_proba(list(samples))
        classes = [str(c) for c in pipeline.classes_]
        labels = [classes[int(row.argmax())] for row in probabilities]
        return labels, [{c: round(float(p), 4) for c, p in zip(classes, row, strict=True)} for row in probabilities]


def fit(samples: Sequence[dict[str, Any]], labels: Sequence[str], *, c: float = DEFAULT_C) -> Any:
    """Fit one pipeline; needs at least two classes."""
    if len(set(labels)) < 2:
        raise UsageError(f"training needs at least two stance classes, found {sorted(set(labels))}")
    pipeline = build_pipeline(c)
    pipeline.fit(list(samples), list(labels))
    return pipeline


def card_path(model_path: str | Path) -> Path:
    path = Path(model_path)
    return path.with_name(path.name + ".card.json")


def save(model: StanceModel, path: str | Path) -> Path:
    """Write the joblib file and its JSON card; returns the model path."""
    import joblib

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({"format": MODEL_FORMAT, "pipelines": model.pipelines, "card": model.card}, path)
    card_path(path).write_text(json.dumps(model.card, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return path


def load(path: str | Path) -> StanceModel:
    """Load a model written by :func:`save` (trusted files only: joblib unpickles code)."""
    import joblib

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"stance model {path} not found (train one with `analyzer stance train`)")
    try:
        payload = joblib.load(path)
    except Exception as exc:  # noqa: BLE001 - any unpickling failure means "not our model file"
        raise UsageError(f"{path}: not a stance model file ({type(exc).__name__}: {exc})") from None
    if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT or not isinstance(payload.get("pipelines"), dict):
        raise UsageError(f"{path}: not a stance model of format {MODEL_FORMAT}")
    return StanceModel(payload["pipelines"], dict(payload.get("card") or {}))
