"""Fitting the default German stance model (``analyzer stance train --omp``): see :mod:`.german`.

Apart from :mod:`analyzer.stages.stance.german` (where the model is and whether the stage may use
it) because training reads a gold set, and building a gold set runs the cue model of the stage:
the stage loading the model must not import the code that trains it (an import cycle).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analyzer.core.hashing import file_sha256 as sha256_file
from analyzer.stages.stance import german, trained
from analyzer.stages.stance.evaluate import scores
from analyzer.stages.stance.omp import load_omp_gold
from analyzer.stages.stance.training import cue_predictions, train_model


def train(omp_path: Path, *, out: Path | None = None, label_files: tuple[Path, ...] | None = None,
          cross_validate: bool = True) -> tuple[trained.StanceModel, Path, dict[str, Any]]:
    """Fit the German parent-stance model on our labels + the user's corpus copy and save it.

    Returns the model, its path and the cue model's scores on the same gold (the comparison
    the stage's default rests on).
    """
    files = label_files or german.default_label_files()
    gold, _ = load_omp_gold(omp_path, files)
    model = train_model(gold, targets=("parent",), folds="article", c=german.C, name=german.MODEL_NAME,
                        cross_validate=cross_validate, cue_weight=german.CUE_WEIGHT, hashed=True)
    cues = cue_predictions(gold, "parent")
    labels = [str(v) for v in gold.labels["parent"]]
    cue_scores = scores(labels, cues)
    model.card["cue_model_cv"] = {"macro_f1": cue_scores["macro_f1"], "accuracy": cue_scores["accuracy"],
                                  "per_class": cue_scores["per_class"],
                                  "note": "the cue model is not trained: its scores on the gold are held-out by construction"}
    model.card["language"] = german.LANGUAGE
    model.card["licence"] = german.LICENCE_NOTE
    model.card["data"] = german.DATA_NOTE
    # File names and hashes only: the same inputs give the same model file wherever they lie.
    model.card["label_files"] = [Path(p).name for p in files]
    model.card["training_data"] = [{"file": Path(omp_path).name, "sha256": sha256_file(Path(omp_path))}] + [
        {"file": Path(p).name, "sha256": sha256_file(Path(p))} for p in files]
    path = trained.save(model, out or german.default_model_path())
    return model, path, cue_scores
