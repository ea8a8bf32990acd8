from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.cli import main
from analyzer.core.errors import UsageError
from analyzer.ingest.mapping import parse_mapping


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "c.csv"
    path.write_text("article_id,comment_id,parent_id,text\nx,1,,a\nx,2,1,b\nx,3,99,c\n", encoding="utf-8")
    return path


def test_analyse_then_summary(table: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", str(table), "--out", str(tmp_path / "run"), "-q"]) == 0
    assert main(["summary", str(tmp_path / "run")]) == 0
    out = capsys.readouterr().out
    assert "unknown-parent" in out  # the orphan is shown, not hidden
    assert "3 comments" in out


def test_fail_on_warning_gives_exit_1(table: Path, tmp_path: Path) -> None:
    assert main(["analyse", str(table), "--out", str(tmp_path / "r"), "-q", "--fail-on", "warning"]) == 1


def test_user_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = subprocess.run(
        [sys.executable, "-m", "analyzer.cli", "analyse", str(missing), "--out", str(tmp_path / "r")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"analyzer: error: {missing}: expected an existing file, found no such file"
    assert "Traceback" not in result.stderr


def test_binary_garbage_is_refused_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    garbage = tmp_path / "blob.txt"
    garbage.write_bytes(bytes(range(256)) * 10)
    assert main(["analyse", str(garbage), "--out", str(tmp_path / "r"), "-q"]) == 2
    assert "expected a text file, found binary data" in capsys.readouterr().err


def test_unknown_stage_and_bad_mapping_are_usage_errors(table: Path, tmp_path: Path) -> None:
    assert main(["analyse", str(table), "--out", str(tmp_path / "r"), "--stages", "magic", "-q"]) == 2
    with pytest.raises(UsageError):
        parse_mapping(["comment_id"])
    assert parse_mapping(["comment_id=ID_Post,parent_id=ID_Parent_Post", "text=Body"]) == {
        "comment_id": "ID_Post", "parent_id": "ID_Parent_Post", "text": "Body"
    }


def test_unreadable_run_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(tmp_path)]) == 2
    assert "not an analyzer run" in capsys.readouterr().err


def test_metrics_lists_definitions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metrics"]) == 0
    assert "structural_virality" in capsys.readouterr().out


def test_chunked_analysis_from_the_command_line(tmp_path: Path) -> None:
    from analyzer.core.run import read_run
    from tests.bench.synth.corpus import write_corpus

    corpus = tmp_path / "corpus.parquet"
    write_corpus(corpus, 4_000, 40, 1, deep_chains=0)
    out = tmp_path / "run"
    assert main(["analyse", str(corpus), "--out", str(out), "--chunk-comments", "700", "--stages", "structure", "-q"]) == 0
    run = read_run(out)
    assert run.manifest["counts"]["comments_out"] == 4_000
    assert run.articles.height == 40


def test_chunking_needs_parquet(tmp_path: Path, table: Path) -> None:
    assert main(["analyse", str(table), "--out", str(tmp_path / "r"), "--chunk-comments", "10", "-q"]) == 2


def test_every_command_dispatches_through_one_handler() -> None:
    """One dispatch style: each command's parser sets ``handler(args) -> exit code``."""
    import argparse

    from analyzer.cli import _build_parser

    parser = _build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    missing = [name for name, sub in commands.choices.items() if not callable(sub.get_default("handler"))]
    assert missing == []
    assert {"analyse", "summary", "demo", "metrics", "domains", "models", "stance", "report", "run", "export",
            "labels"} <= set(commands.choices)
