"""``analyzer domains import | list`` (analyzer/domains/cli.py), driven through its own parser."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from analyzer.core.errors import UsageError
from analyzer.domains import cli


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="analyzer")
    sub = parser.add_subparsers(dest="command", required=True)
    cli.add_parser(sub)
    args = parser.parse_args(argv)
    assert args.command == "domains"
    return cli.handle(args)


def test_import_then_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "liste.csv"
    source.write_text("url,score,kind\nexample.com,0.4,x\nexample.org,0.8,y\n", encoding="utf-8")
    data = str(tmp_path / "data")
    code = _run(
        [
            "domains", "--data-dir", data, "import", "--name", "meine", str(source),
            "--domain-column", "url", "--rating-column", "score", "--label-column", "kind",
            "--date", "2024-01", "--licence", "CC BY 4.0", "--source-url", "https://example.org/liste",
        ]
    )
    assert code == 0
    assert "imported meine: 2 entries (numeric)" in capsys.readouterr().out
    assert _run(["domains", "--data-dir", data, "list"]) == 0
    listing = capsys.readouterr().out
    assert "meine" in listing and "CC BY 4.0" in listing and "2024-01" in listing


def test_list_when_empty_and_import_without_licence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(["domains", "--data-dir", str(tmp_path), "list"]) == 0
    assert "no domain lists" in capsys.readouterr().out
    source = tmp_path / "l.txt"
    source.write_text("example.com\n", encoding="utf-8")
    assert _run(["domains", "--data-dir", str(tmp_path), "import", "--name", "x", str(source)]) == 0
    assert "no --licence given" in capsys.readouterr().out


def test_errors_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        _run(["domains", "--data-dir", str(tmp_path), "import", "--name", "x", str(tmp_path / "fehlt.csv")])
