"""The ``nlp_tokenizer`` setting: regex (default) or SoMaJo, and what differs between them."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from analyzer.core.errors import UsageError
from analyzer.pipeline import analyse
from analyzer.stages.context import StageContext
from analyzer.stages.nlp.stage import NlpSettings, run_stage
from tests.conftest import ROOT


def test_setting_values() -> None:
    assert NlpSettings.from_settings({}).tokenizer == "regex"
    assert NlpSettings.from_settings({"nlp_tokenizer": "SoMaJo"}).tokenizer == "somajo"
    with pytest.raises(UsageError, match=r"--nlp-tokenizer must be one of regex, somajo.*\(setting nlp_tokenizer\)"):
        NlpSettings.from_settings({"nlp_tokenizer": "whitespace"})


def test_regex_and_somajo_agree_on_the_sample_page(empty_models_dir: Path) -> None:
    """The bundled German sample page through the stage with either tokenizer: the same
    sentences, and tokens that differ in at most 1 % of spans (the held-out figure is 0.1 %)."""
    page = ROOT / "fixtures" / "de_sample_page" / "input.txt"
    if not page.is_file():
        pytest.skip("fixture de_sample_page is absent")
    analysis = analyse([page], stages="structure")
    frames = {}
    for name in ("regex", "somajo"):
        settings = {"nlp": "offline", "nlp_tokenizer": name, "nlp_workers": 1}
        frames[name] = run_stage(StageContext(forest=analysis.forest, ingested=analysis.ingested, settings=settings)).frames
    keys = ["doc_id", "start_char", "end_char"]
    regex_tok, somajo_tok = (frames[n]["tokens.parquet"].select(keys) for n in ("regex", "somajo"))
    common = regex_tok.join(somajo_tok, on=keys, how="inner").height
    assert somajo_tok.height > 100
    assert 2 * common / (regex_tok.height + somajo_tok.height) >= 0.99
    sent = [frames[n]["sentences.parquet"].select(["doc_id", "start_char", "end_char"]).sort(pl.all()) for n in ("regex", "somajo")]
    assert sent[0].equals(sent[1])
