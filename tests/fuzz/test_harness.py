"""The fuzz command itself: targets, seeds, finding records, replay, and a short atheris run."""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench import fuzz
from tests.bench.fuzz import TARGETS, Checker, finding_key, save_finding, seed_files
from tests.conftest import ROOT

# The harness is development tooling under tests/, importable from the repository root only.
_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_target_has_seeds(name: str) -> None:
    seeds = seed_files(TARGETS[name])
    assert seeds, f"no fixture seeds for {name}"
    assert all(p.is_file() for p in seeds)


def test_readers_all_covered() -> None:
    """Each reader module of the sniffer has a fuzz target, so a new reader is not forgotten."""
    from analyzer.ingest.sniff import READER_MODULES

    modules = {t.module for t in TARGETS.values()}
    for name in READER_MODULES.values():
        assert name in modules, f"{name} has no fuzz target"


def test_finding_is_recorded(tmp_path: Path) -> None:
    def boom() -> None:
        [][1]  # noqa: B018 - raise an IndexError from a real frame

    try:
        boom()
    except IndexError as exc:
        path = save_finding(tmp_path, TARGETS["pagetext"], b"bad input", exc)
        key = finding_key(exc)
    assert path.read_bytes() == b"bad input"
    assert key.startswith("IndexError@")
    traces = list(tmp_path.glob("*.trace.txt"))
    assert len(traces) == 1
    assert "IndexError" in traces[0].read_text(encoding="utf-8")


def test_checker_flags_unexpected_exceptions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checker = Checker(TARGETS["pagetext"], tmp_path)

    def broken(*args: object) -> None:
        raise KeyError("x")

    monkeypatch.setattr(checker.module, "read", broken)
    assert isinstance(checker.check(b"text"), KeyError)


def test_replay_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "a.txt"
    good.write_text("", encoding="utf-8")  # empty: a clean InputError, not a finding
    assert fuzz.main(["pagetext", "--replay", str(good)]) == 0
    assert ": ok" in capsys.readouterr().out


def test_cli_registration() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    fuzz.add_parser(sub)
    args = parser.parse_args(["fuzz", "links", "--seconds", "5"])
    assert args.seconds == 5 and args.handler is fuzz.handle


@pytest.mark.slow  # a real libFuzzer run of several seconds
@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
def test_short_atheris_run(tmp_path: Path) -> None:
    """CI's short version of the coverage-guided run: a few seconds, no finding."""
    findings = tmp_path / "findings"
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.fuzz", "links", "--seconds", "4", "--findings", str(findings),
         "--stop-on-finding"],
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT, env=_ENV,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Done" in done.stderr
    assert not list(findings.glob("crash-*")), done.stderr[-2000:]
    assert list((findings / "corpus-links").iterdir()), "the corpus was not seeded"


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
def test_stop_on_finding_fails_the_run(tmp_path: Path) -> None:
    """A target that raises on every input: --stop-on-finding makes libFuzzer exit non-zero."""
    script = tmp_path / "broken.py"
    script.write_text(
        "import sys\n"
        "from tests.bench import fuzz\n"
        "def broken(self, data):\n"
        "    raise IndexError('planted')\n"
        "fuzz.Checker._run_links = broken\n"
        "sys.exit(fuzz.main(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    findings = tmp_path / "findings"
    done = subprocess.run(
        [sys.executable, str(script), "links", "--seconds", "20", "--findings", str(findings),
         "--stop-on-finding"],
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT, env=_ENV,
    )
    assert done.returncode != 0
    assert "FINDING IndexError@" in done.stderr
    assert list(findings.glob("crash-*.trace.txt"))
