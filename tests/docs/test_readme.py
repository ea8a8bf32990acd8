"""The README stays short, true and in step with CI and the stage declarations."""

from __future__ import annotations

import re
from pathlib import Path

from analyzer.stages import STAGES

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_is_short() -> None:
    assert len(README.splitlines()) <= 150


def test_ci_runs_the_readme_test_command() -> None:
    command = 'pip install -q -c constraints.txt -e ".[dev,ray]" && python -m pytest'
    assert command in README
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_declared_stage_is_in_the_stage_table() -> None:
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", README, flags=re.MULTILINE))
    assert {spec.name for spec in STAGES} <= rows


def test_linked_documents_exist() -> None:
    for target in re.findall(r"\]\((docs/[^)]+)\)", README):
        assert (ROOT / target).is_file(), target
