"""The packaged label model: small, no corpus strings, evaluated, and the stage's default."""

from __future__ import annotations

import numpy as np
import pytest

from analyzer.stages.declarations.labels import LabelsSettings
from analyzer.stages.labels import model as label_model
from analyzer.stages.labels.features import FEATURE_NAMES
from analyzer.stages.labels.schemas import LABEL_COLUMNS
from analyzer.stages.labels.stage import resolve_model

PACKAGED = label_model.PACKAGED_MODEL


def test_packaged_model_holds_numbers_and_our_names_only() -> None:
    assert PACKAGED.is_file(), "the label model is package data"
    assert PACKAGED.stat().st_size < 5_000_000
    with np.load(PACKAGED, allow_pickle=False) as arrays:
        strings = {name: [str(v) for v in arrays[name]] for name in arrays.files if arrays[name].dtype.kind in "USO"}
    groups = {name.split("_")[0] for name in strings if name != "feature_names"}
    assert set(strings) <= {"feature_names"} | {f"{g}_labels" for g in groups} | {f"{g}_alone_labels" for g in groups}
    assert strings["feature_names"] == list(FEATURE_NAMES)
    assert {v for k, vs in strings.items() if k != "feature_names" for v in vs} <= set(LABEL_COLUMNS)


def test_packaged_model_card_has_held_out_figures_and_the_licence() -> None:
    model = label_model.load(PACKAGED)
    card = model.card
    negative = card["evaluation"]["labels"]["sentiment_negative"]
    # Held-out articles (10 article folds); docs/sentiment-and-labels.md has the table.
    assert negative["macro_f1"] > negative["constant_macro_f1"] + 0.10 and negative["reliable"]
    assert negative["accuracy"] > negative["majority_accuracy"]
    assert "CC BY-NC-SA 4.0" in card["licence"] and "One Million Posts" in card["data"]
    assert [g["labels"][0] for g in card["groups"]] == ["sentiment_negative", "personal_stories", "possibly_feedback"]
    probs = model.predict_proba(["Was für ein peinlicher Unsinn, völlig unfähig und verlogen."], [False])
    assert probs.shape == (1, len(model.labels)) and 0.0 <= probs.min() and probs.max() <= 1.0


def test_stage_uses_the_packaged_model_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("ANALYZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv(label_model.ENV_PACKAGED, raising=False)
    model, path = resolve_model(LabelsSettings())
    assert model is not None and path == PACKAGED
    monkeypatch.setenv(label_model.ENV_PACKAGED, "0")
    assert resolve_model(LabelsSettings())[0] is None
