"""Reading a saved page with the HTML reader, for the reader tests (one definition, shared).

``read_html`` writes markup a test composed into a temporary page; ``read_fixture`` reads a
fixture's ``input.html``.  Both go through :func:`analyzer.ingest.wp_html.read` with default
options, as a folder run would for an ``.html`` file.
"""

from __future__ import annotations

from pathlib import Path

from analyzer.ingest import wp_html
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def read_html(tmp_path: Path, html: str, name: str = "page.html") -> ReaderOutput:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return wp_html.read(Source(path), ReadOptions())


def read_fixture(name: str) -> ReaderOutput:
    return wp_html.read(Source(FIXTURES / name / "input.html"), ReadOptions())
