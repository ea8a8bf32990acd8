"""The stage as the lead will wire it: through analyzer.pipeline.analyse into a run folder."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from analyzer.pipeline import analyse
from tests.conftest import ROOT

SAMPLE = ROOT / "fixtures" / "de_sample_page" / "input.txt"


def test_analyse_writes_nlp_frames(tmp_path: Path, empty_models_dir: Path) -> None:
    if not SAMPLE.is_file():
        pytest.skip("bundled sample page is absent")
    analysis = analyse([SAMPLE], out=tmp_path / "run", stages="structure,nlp", stage_settings={"nlp": "offline"})
    run = tmp_path / "run"
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["nlp_mode"] == "offline"
    assert manifest["stage_info"]["nlp"]["components"]["SoMaJo"]
    sentences = pl.read_parquet(run / "sentences.parquet")
    assert sentences.height == analysis.stage_frames["sentences.parquet"].height > 0
    metrics = pl.read_parquet(run / "metrics.parquet")
    assert "tone_gap" in set(metrics["metric"])
