"""The annotation cache: a run with it equals a run without it, and only new texts are annotated."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analyzer.pipeline import analyse

ROOT = Path(__file__).resolve().parents[3]
PAGE = ROOT / "fixtures" / "de_sample_page" / "input.txt"
COMPARED = ("sentences.parquet", "tokens.parquet")


def _run(inputs: list[Path], cache: Path | None) -> tuple[dict[str, pl.DataFrame], dict[str, object]]:
    settings: dict[str, object] = {"nlp": "offline"}
    if cache is not None:
        settings["nlp_cache"] = str(cache)
    analysis = analyse([str(p) for p in inputs], stages="nlp", stage_settings=settings)
    frames = {**{k: v for k, v in analysis.frames().items() if k in COMPARED}, "metrics": analysis.metrics}
    return frames, analysis.manifest["stage_info"]["nlp"]


def _edited_copy(tmp_path: Path) -> Path:
    """The sample page with one comment's text changed (same structure)."""
    text = PAGE.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    # The longest line is comment text (not a header or a number): change a word in it.
    i = max(range(len(lines)), key=lambda k: len(lines[k]))
    lines[i] = lines[i].replace(" ", " wirklich ", 1)
    edited = tmp_path / "edited.txt"
    edited.write_text("".join(lines), encoding="utf-8")
    return edited


@pytest.mark.slow
def test_cached_runs_equal_fresh_runs(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh, info = _run([PAGE], None)
    first, info1 = _run([PAGE], cache)
    second, info2 = _run([PAGE], cache)
    for name in fresh:
        assert_frame_equal(fresh[name], first[name])
        assert_frame_equal(fresh[name], second[name])
    n_docs = info["n_documents"]
    assert info1["n_documents_from_cache"] == 0
    assert info2["n_documents_from_cache"] == n_docs
    assert info2["languages"] == info["languages"] and info2["mode"] == info["mode"]

    # An edited comment: only it is annotated again, and the result equals a fresh run.
    edited = _edited_copy(tmp_path)
    fresh_edit, _ = _run([edited], None)
    cached_edit, info3 = _run([edited], cache)
    for name in fresh_edit:
        assert_frame_equal(fresh_edit[name], cached_edit[name])
    assert info3["n_documents_from_cache"] == n_docs - 1


def test_config_key_changes_with_pipeline_and_cap(tmp_path: Path) -> None:
    from analyzer.stages.nlp.cache import config_key, doc_key

    base = config_key({"de": "offline"}, max_chars=100, models_dir=tmp_path)
    assert base == config_key({"de": "offline"}, max_chars=100, models_dir=tmp_path)
    assert base != config_key({"de": "stanza"}, max_chars=100, models_dir=tmp_path)
    assert base != config_key({"de": "offline"}, max_chars=101, models_dir=tmp_path)
    assert doc_key("Text", "de") != doc_key("Text", "en") != doc_key("Text ", "en")
