"""A process that ends after its command skips the collector's final walks; callers do not."""

from __future__ import annotations

import gc
import sys

import pytest

from analyzer import cli
from analyzer.core import collections_policy


def test_only_the_program_entry_freezes_at_exit(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    registered: list[object] = []
    monkeypatch.setattr(collections_policy.atexit, "register", registered.append)  # (others register too)
    missing = str(tmp_path) + "/no-run-here"
    assert cli.main(["summary", missing]) != 0  # a caller (tests, notebooks): nothing registered
    assert gc.freeze not in registered
    monkeypatch.setattr(sys, "argv", ["analyzer", "summary", missing])
    assert cli.main() != 0  # the program itself
    assert registered.count(gc.freeze) == 1
