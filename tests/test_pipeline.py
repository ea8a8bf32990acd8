"""analyzer.pipeline: the write path in one call (read, trees, stages, accounting, write)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from analyzer.core.errors import UsageError
from analyzer.core.records import ParseIssue
from analyzer.core.run import read_run
from analyzer.pipeline import analyse, count_by_severity

TABLE = "article_id,comment_id,parent_id,author,text\na,1,,anna,Erster Kommentar.\na,2,1,ben,Eine Antwort darauf.\na,3,9,cem,Antwort auf einen fehlenden Kommentar.\n"


def _table(tmp_path: Path) -> Path:
    path = tmp_path / "comments.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


def test_stages_run_in_declared_order_with_prerequisites_and_timings(tmp_path: Path) -> None:
    analysis = analyse([_table(tmp_path)], out=tmp_path / "run", stages="structure")
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["stages"] == ["structure"]
    assert {"read", "trees", "structure"} <= set(manifest["timings_s"])
    assert analysis.forest.comments.height == 3


def test_broken_references_become_issues_not_losses(tmp_path: Path) -> None:
    analyse([_table(tmp_path)], out=tmp_path / "run", stages="structure")
    run = read_run(tmp_path / "run")
    assert run.comments.filter(pl.col("kind") == "comment").height == 3  # nothing dropped
    assert run.parse_issues.height >= 1  # the unknown parent 9 is reported
    accounting = run.manifest["accounting"]["comments"]
    assert accounting["in"] == accounting["out"] + accounting["rejected"]


def test_without_out_nothing_is_written(tmp_path: Path) -> None:
    analysis = analyse([_table(tmp_path)], stages="structure")
    assert analysis.forest.comments.height == 3
    assert not (tmp_path / "run").exists()


def test_unknown_stage_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown stage"):
        analyse([_table(tmp_path)], stages="structur")


def test_count_by_severity() -> None:
    issues = [ParseIssue(code="x", detail="", severity="warning"), ParseIssue(code="y", detail="", severity="warning"),
              ParseIssue(code="z", detail="", severity="error")]
    counts = count_by_severity(issues)
    assert counts["warning"] == 2 and counts["error"] == 1 and counts["info"] == 0
