"""Tests with downloaded stanza models (``analyzer models download de``); skipped without them."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from analyzer.pipeline import analyse
from analyzer.stages.context import StageContext
from analyzer.stages.nlp import models
from analyzer.stages.nlp.stage import run_stage

pytestmark = pytest.mark.stanza


@pytest.fixture
def stanza_models_dir() -> Path:
    folder = models.resolve_models_dir()
    if not models.language_status("de", folder).complete:
        pytest.skip(f"stanza German models are not installed in {folder} (run `analyzer models download de`)")
    return folder


def test_reference_page_with_stanza(reference_page: Path, stanza_models_dir: Path) -> None:
    analysis = analyse([reference_page], stages="structure")
    result = run_stage(
        StageContext(forest=analysis.forest, ingested=analysis.ingested, settings={"nlp": "stanza", "models_dir": str(stanza_models_dir)})
    )
    assert result.manifest["mode"] in {"stanza", "mixed"}
    assert result.manifest["languages"]["de"]["pipeline"] == "stanza"
    sentences = result.frames["sentences.parquet"]
    german = sentences.filter(pl.col("lang") == "de")
    assert german["sentiment"].null_count() == 0
    assert "ru" in set(sentences["lang"])
