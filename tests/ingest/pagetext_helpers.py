"""Shared helpers of the page-text reader tests: read a text as a captured page, its comments."""

from __future__ import annotations

from pathlib import Path

from analyzer.core.records import RawComment
from analyzer.ingest import pagetext
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source


def read_text(tmp_path: Path, text: str) -> ReaderOutput:
    """``text`` saved as ``page.txt`` in ``tmp_path`` and read by the page-text reader."""
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return pagetext.read(Source(path), ReadOptions())


def comments(out: ReaderOutput) -> list[RawComment]:
    """The comments of the reading's first thread (none when no thread was read)."""
    return out.threads[0].comments if out.threads else []
