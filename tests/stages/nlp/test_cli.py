"""``analyzer models status|download`` through a parser built the way analyzer.cli builds its own."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from analyzer.core.errors import UsageError
from analyzer.stages.nlp import cli, models


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="analyzer")
    sub = parser.add_subparsers(dest="command", required=True)
    cli.add_parser(sub)
    return parser.parse_args(argv)


def test_status_empty(empty_models_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _parse(["models", "status", "--dir", str(empty_models_dir)])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert str(empty_models_dir) in out
    assert "resources.json: missing" in out
    assert "de: not installed -> offline mode; run `analyzer models download de`" in out


def test_status_with_models(empty_models_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.stages.nlp.test_models import _fake_install

    _fake_install(empty_models_dir, "de", {"tokenize": "gsd", "pos": "gsd", "lemma": "gsd"})
    args = _parse(["models", "status", "--dir", str(empty_models_dir)])
    args.handler(args)
    out = capsys.readouterr().out
    assert "de: complete -> stanza mode" in out
    assert "tokenize" in out and "total" in out


def test_download_calls_models_download(empty_models_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    seen: dict[str, Any] = {}

    def fake(langs: list[str], folder: Path, *, ner: bool = False) -> dict[str, list[str]]:
        seen.update(langs=list(langs), folder=folder, ner=ner)
        return {lang: list(models.CORE_PROCESSORS) for lang in langs}

    monkeypatch.setattr(models, "download", fake)
    args = _parse(["models", "download", "de", "en", "--dir", str(empty_models_dir)])
    assert args.handler(args) == 0
    assert seen == {"langs": ["de", "en"], "folder": empty_models_dir, "ner": False}
    assert "de: tokenize, mwt, pos, lemma, sentiment" in capsys.readouterr().out


def test_download_failure_is_a_usage_error(empty_models_dir: Path) -> None:
    # No monkeypatch: the network guard refuses the connection; the user sees one clear line.
    args = _parse(["models", "download", "de", "--dir", str(empty_models_dir)])
    with pytest.raises(UsageError, match="download failed"):
        args.handler(args)


def test_bad_language_code(empty_models_dir: Path) -> None:
    args = _parse(["models", "download", "../etc", "--dir", str(empty_models_dir)])
    with pytest.raises(UsageError, match="language codes"):
        args.handler(args)
