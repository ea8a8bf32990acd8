"""analyzer.outputs.report.build: offline HTML, Parquet, manifest, atomic and idempotent writes."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.core.errors import RunFolderError, UsageError
from analyzer.core.run import read_run
from analyzer.outputs.report import build_report, parse_formats
from analyzer.outputs.report.build import collect_sections
from analyzer.outputs.report.sections import MAX_TABLE_ROWS
from analyzer.pipeline import analyse
from tests.conftest import HANG_LIMIT_S
from tests.outputs.report.pages import BASE_COMMENTS, comment_rows, make_run, write_page

HOSTILE_TITLE = '<script>alert("title")</script> Radwege'
HOSTILE_COMMENT = '<img src=x onerror=alert(1)> Das ist \x07 ein Test 🚲 mit <b>fett</b> und \u202eumgedreht'


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("report")
    comments = [*BASE_COMMENTS, (2, HOSTILE_COMMENT), (1, "Quelle: http://" + "a" * 10_000 + ".example.org/x")]
    page = write_page(base / "page.txt", comments, title=HOSTILE_TITLE)
    analyse([page], out=base / "run", stages="structure,links")
    return base / "run"


def _build(run_dir: Path, out: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    return build_report(run_dir, out, formats=kwargs.pop("formats", "html,parquet"), **kwargs)  # type: ignore[arg-type]


def test_report_folder_has_page_parquet_and_manifest(run_dir: Path, tmp_path: Path) -> None:
    result = _build(run_dir, tmp_path / "rep")
    assert result.status == "written"
    names = {p.name for p in (tmp_path / "rep").iterdir()}
    assert {"index.html", "metrics.parquet", "headline.parquet", "manifest.json"} <= names
    manifest = json.loads((tmp_path / "rep" / "manifest.json").read_text())
    assert manifest["complete"] is True and manifest["kind"] == "analyzer-report"
    assert set(manifest["files"]) == {"index.html", "metrics.parquet", "headline.parquet"}
    metrics = pl.read_parquet(tmp_path / "rep" / "metrics.parquet")
    assert metrics.equals(read_run(run_dir).metrics)
    assert oct((tmp_path / "rep").stat().st_mode & 0o777) == oct(0o755)


def test_page_is_self_contained_and_has_figures(run_dir: Path, tmp_path: Path) -> None:
    _build(run_dir, tmp_path / "rep")
    page = (tmp_path / "rep" / "index.html").read_text()
    # plotly.js once, inline; no script or stylesheet from elsewhere.
    assert page.count("<script type=\"text/javascript\">") == 1
    assert "src=\"https://cdn.plot.ly" not in page
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=\"https?:", page)
    assert page.count("Plotly.newPlot(") >= 4  # thread, depth, latency, domains, link depth
    assert 'id="fig-01-' in page


def test_untrusted_text_is_escaped(run_dir: Path, tmp_path: Path) -> None:
    _build(run_dir, tmp_path / "rep")
    page = (tmp_path / "rep" / "index.html").read_text()
    assert '<script>alert("title")</script>' not in page
    assert "&lt;script&gt;alert(" in page  # the title is shown, escaped
    assert "<img src=x" not in page
    assert "\x07" not in page


def test_rerun_is_a_no_op_and_force_is_byte_identical(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "rep"
    _build(run_dir, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    mtime = (out / "index.html").stat().st_mtime_ns
    again = _build(run_dir, out)
    assert again.status == "up-to-date"
    assert (out / "index.html").stat().st_mtime_ns == mtime
    time.sleep(1.1)  # so that a timestamp in the page would differ
    forced = _build(run_dir, out, force=True)
    assert forced.status == "written"
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(after) == set(before)
    for name in before:
        if name == "manifest.json":
            old, new = json.loads(before[name]), json.loads(after[name])
            old.pop("generated_at"), new.pop("generated_at")
            assert old == new
        else:
            assert after[name] == before[name], name


def test_other_options_need_force(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "rep"
    _build(run_dir, out)
    with pytest.raises(UsageError, match="--force"):
        _build(run_dir, out, formats="html")
    assert _build(run_dir, out, formats="html", force=True).status == "written"
    assert not (out / "metrics.parquet").exists()


def test_refuses_a_folder_that_is_not_a_report(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(UsageError, match="not an analyzer report"):
        _build(run_dir, out, force=True)
    assert (out / "notes.txt").read_text() == "keep me"


def test_failed_build_leaves_no_folder(run_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import analyzer.outputs.report.build as build

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(build, "replace_folder", boom)
    with pytest.raises(RuntimeError):
        _build(run_dir, tmp_path / "rep")
    assert os.listdir(tmp_path) == []


def test_not_a_run_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RunFolderError):
        build_report(tmp_path, tmp_path / "rep")


@pytest.mark.parametrize("spec", ["pdf", "", "html,svg"])
def test_unknown_formats(spec: str) -> None:
    with pytest.raises(UsageError):
        parse_formats(spec)


def test_formats_are_canonical() -> None:
    assert parse_formats("png, HTML") == ("html", "png")


def test_missing_stages_are_notes_not_figures(tmp_path: Path) -> None:
    run = make_run(tmp_path / "run", comment_rows([{"comment_id": "x", "depth": 1}]))
    sections = collect_sections(read_run(run))
    notes = " ".join(sections[0].notes)
    assert "stance" in notes and "links" in notes and "framing" in notes
    keys = [p.key for s in sections for p in s.panels]
    assert not any(k.endswith(("-stance", "-domains", "-frames")) for k in keys)
    assert any(k.endswith("-thread") for k in keys)


def test_stage_frames_add_figures(tmp_path: Path) -> None:
    from tests.outputs.report.pages import stance_rows

    comments = comment_rows([{"comment_id": "x", "depth": 1}, {"comment_id": "y", "parent_id": "x", "depth": 2}])
    stance = stance_rows({"x": ("support", "support"), "y": ("deny", "deny")})
    frames = pl.DataFrame({"article_id": ["a", "a"], "doc_id": ["~article", "y"], "sent_idx": [0, 0],
                           "frame": ["Konflikt", "Konflikt"], "matched_lemmas": [["Streit"], ["Streit"]]},
                          schema={"article_id": pl.String, "doc_id": pl.String, "sent_idx": pl.Int32,
                                  "frame": pl.String, "matched_lemmas": pl.List(pl.String)})
    # The profile is the framing stage's own (scope "frame" metrics); the report draws, never recomputes.
    metrics = pl.DataFrame([{"article_id": "a", "scope": "frame", "subject_id": "Konflikt", "metric": m, "value": v}
                            for m, v in (("p_article", 1.0), ("p_comments", 1.0), ("dominant_article", 1.0),
                                         ("dominant_comments", 1.0))], schema=schemas.METRICS)
    extra = {"stance.parquet": stance, "frames.parquet": frames}
    run = make_run(tmp_path / "run", comments, extra=extra, body="Ein Streit.", metrics=metrics)
    keys = [p.key for s in collect_sections(read_run(run)) for p in s.panels]
    assert any(k.endswith("-stance") for k in keys) and any(k.endswith("-frames") for k in keys)
    result = build_report(run, tmp_path / "rep", formats="html")
    assert result.status == "written"

    # Without article text there is nothing to compare the readers' frames with: a note, no figure.
    bare = make_run(tmp_path / "bare", comments, extra=extra, metrics=metrics)
    sections = collect_sections(read_run(bare))
    assert not any(p.key.endswith("-frames") for s in sections for p in s.panels)
    assert any("no article text" in note for s in sections for note in s.notes)


def test_large_thread_is_capped_and_fast(tmp_path: Path) -> None:
    rows = [{"comment_id": f"c{i}", "parent_id": f"c{i - 1}" if i else None, "depth": i + 1,
             "text": "x" * (1 << 20) if i == 0 else "kurz"} for i in range(3000)]
    run = make_run(tmp_path / "run", comment_rows(rows))
    start = time.perf_counter()
    build_report(run, tmp_path / "rep", formats="html", max_nodes=500)
    assert time.perf_counter() - start < HANG_LIMIT_S
    page = (tmp_path / "rep" / "index.html").read_text()
    assert "first 500 of 3000 nodes" in page
    assert len(page) < 8_000_000  # a 1 MB comment is shortened, not embedded


def test_issue_table_is_capped(tmp_path: Path) -> None:
    assert MAX_TABLE_ROWS >= 50
