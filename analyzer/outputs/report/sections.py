"""The parts of a report page: what :mod:`~analyzer.outputs.report.build` collects and
:mod:`~analyzer.outputs.report.html` renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import plotly.graph_objects as go

MAX_TABLE_ROWS = 200  # rows of issue and comparison tables in the page (Parquet has all)
# Rows per page of the page's long tables (the article table of a 2,000-article run): the rows
# beyond the first page are in the page but hidden, so the browser lays out 50, not 2,000.
TABLE_PAGE_ROWS = 50


@dataclass
class Panel:
    """One figure of the report."""

    key: str  # file-safe, unique: also the div id and the PNG name
    title: str
    figure: go.Figure


@dataclass
class Table:
    """A table of the report: column headings and rows of display text (escaped by the template)."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    note: str | None = None


@dataclass
class Example:
    """A comment shown as an example of a stance (or of what readers answered most)."""

    label: str | None
    author: str
    when: str
    text: str
    replies: int


@dataclass
class Section:
    """The report part of one article (or of the whole run)."""

    article_id: str | None
    title: str
    numbers: list[tuple[str, str]] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headline: str = ""  # one plain sentence (analyzer.views.examples.verdict)
    examples: list[Example] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
