"""The parts of a report page: what :mod:`~analyzer.outputs.report.build` collects and
:mod:`~analyzer.outputs.report.html` renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import plotly.graph_objects as go

MAX_TABLE_ROWS = 200  # rows of issue and comparison tables in the page (Parquet has all)


@dataclass
class Panel:
    """One figure of the report."""

    key: str  # file-safe, unique: also the div id and the PNG name
    title: str
    figure: go.Figure


@dataclass
class Section:
    """The report part of one article (or of the whole run)."""

    article_id: str | None
    title: str
    numbers: list[tuple[str, str]] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
