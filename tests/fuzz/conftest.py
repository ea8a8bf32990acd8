"""Helpers of the fuzz tests: one Checker per target, a network guard."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bench.fuzz import TARGETS, Checker


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Readers and link extraction must never touch the network: any connect fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access during a fuzz test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def checkers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Checker]]:
    """A Checker per target, each with its own scratch folder (hypothesis reuses them)."""
    made: dict[str, Checker] = {}
    for name, target in TARGETS.items():
        scratch: Path = tmp_path_factory.mktemp(f"fuzz-{name}")
        made[name] = Checker(target, scratch)
    yield made


def assert_allowed(checker: Checker, data: bytes) -> None:
    """Fail with the traceback when ``data`` makes the target raise something unexpected."""
    exc = checker.check(data)
    if exc is not None:
        raise AssertionError(f"{checker.target.name} raised {type(exc).__name__} on {data[:200]!r}") from exc
