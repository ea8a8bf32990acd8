"""``analyzer report`` handler (registered by the main CLI through add_parser)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from analyzer.core.errors import UsageError
from analyzer.outputs.report.cli import add_parser
from tests.outputs.report.pages import comment_rows, make_run


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["report", *argv])


def test_report_then_up_to_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = make_run(tmp_path / "run", comment_rows([{"comment_id": "x", "depth": 1}]))
    args = _args(str(run), "--out", str(tmp_path / "rep"), "--format", "html")
    assert args.handler(args) == 0
    assert "written" in capsys.readouterr().out
    assert args.handler(args) == 0
    assert "up to date" in capsys.readouterr().out


def test_report_with_comparison(tmp_path: Path) -> None:
    old = make_run(tmp_path / "old", comment_rows([{"comment_id": "x", "depth": 1},
                                                   {"comment_id": "y", "depth": 1, "text": "<b>weg</b>"}]))
    new = make_run(tmp_path / "new", comment_rows([{"comment_id": "x", "depth": 1}]))
    args = _args(str(new), "--out", str(tmp_path / "rep"), "--format", "html,parquet", "--compare", str(old))
    assert args.handler(args) == 0
    page = (tmp_path / "rep" / "index.html").read_text()
    assert "1 comment(s) disappeared" in page and "&lt;b&gt;weg&lt;/b&gt;" in page
    assert (tmp_path / "rep" / "comparison.json").is_file()


def test_bad_limits(tmp_path: Path) -> None:
    args = _args(str(tmp_path), "--out", str(tmp_path / "rep"), "--max-nodes", "0")
    with pytest.raises(UsageError):
        args.handler(args)
