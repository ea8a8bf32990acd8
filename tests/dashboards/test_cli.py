"""``analyzer serve``: argument parsing and choosing the run folder to serve."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from analyzer.core.errors import UsageError
from dashboards import cli


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="analyzer")
    cli.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_defaults_bind_loopback() -> None:
    args = _parse(["serve"])
    assert args.command == "serve" and args.paths == [] and args.host == "127.0.0.1" and args.port == 8050


def test_options() -> None:
    args = _parse(["serve", "runs/x", "--port", "9000", "--host", "0.0.0.0"])
    assert args.paths == ["runs/x"] and args.port == 9000 and args.host == "0.0.0.0"


def test_a_run_folder_is_served_as_it_is(sample_run: Path, tmp_path: Path) -> None:
    assert cli.resolve_run([sample_run], tmp_path) == sample_run.resolve()
    assert not any(tmp_path.iterdir())  # nothing analysed


def test_missing_inputs_are_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        cli.resolve_run([tmp_path / "absent.txt"], tmp_path)


def test_inputs_are_analysed_once_into_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    from analyzer import pipeline
    from analyzer.core import schemas
    from analyzer.core.run import CORE_FILES, write_run

    def fake_analyse(inputs: list[str], *, out: Path, **_: object) -> None:
        calls.append(inputs)
        write_run(out, {name: schemas.empty(schema) for name, schema in CORE_FILES.items()}, {})

    monkeypatch.setattr(pipeline, "analyse", fake_analyse)
    first = cli.resolve_run([], tmp_path)  # the bundled sample
    second = cli.resolve_run([], tmp_path)
    assert first == second and first.parent == tmp_path
    assert calls == [[str(cli.SAMPLE)]]


def test_workers_options_are_checked_before_anything_runs(tmp_path: Path) -> None:
    from dashboards.cli import add_parser, handle
    from dashboards.serve import gunicorn_options

    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    for argv in (["serve", str(tmp_path), "--threads", "2"], ["serve", str(tmp_path), "--workers", "2", "--debug"],
                 ["serve", str(tmp_path), "--workers", "-1"]):
        with pytest.raises(UsageError):
            handle(parser.parse_args(argv))
    options = gunicorn_options("::1", 8050, 3, 4)
    assert options["bind"] == ["[::1]:8050"] and options["workers"] == 3 and options["threads"] == 4
    assert options["preload_app"] is False  # polars' thread pool does not survive fork
