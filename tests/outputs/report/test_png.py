"""PNG export: real PNGs with a browser (marked ``browser``), a warning without one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.outputs.report import build_report
from analyzer.outputs.report.png import find_browser, png_support
from tests.outputs.report.pages import comment_rows, make_run

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def small_run(tmp_path: Path) -> Path:
    rows = [{"comment_id": "x", "depth": 1}, {"comment_id": "y", "parent_id": "x", "depth": 2}]
    return make_run(tmp_path / "run", comment_rows(rows))


def test_no_browser_skips_pngs_with_a_warning(small_run: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-browser"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_browser() is None
    result = build_report(small_run, tmp_path / "rep", formats="html,png")
    assert result.status == "written"
    assert any("PNGs skipped" in w for w in result.warnings)
    assert not (tmp_path / "rep" / "figures").exists()
    manifest = json.loads((tmp_path / "rep" / "manifest.json").read_text())
    assert manifest["warnings"] and all(f["png"] is None for f in manifest["figures"])
    assert "PNGs skipped" in (tmp_path / "rep" / "index.html").read_text()


@pytest.mark.browser
def test_one_png_per_figure(small_run: Path, tmp_path: Path) -> None:
    ok, detail = png_support()
    if not ok:
        pytest.skip(detail)
    result = build_report(small_run, tmp_path / "rep", formats="png")
    assert result.warnings == []
    manifest = json.loads((tmp_path / "rep" / "manifest.json").read_text())
    pngs = sorted((tmp_path / "rep" / "figures").glob("*.png"))
    assert len(pngs) == len(manifest["figures"]) >= 3
    for png in pngs:
        assert png.read_bytes()[:8] == PNG_MAGIC
    assert {f["png"] for f in manifest["figures"]} == {f"figures/{p.name}" for p in pngs}
