"""What a stage may read (:class:`StageContext`) and what it adds to the run (:class:`StageResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from analyzer.core.records import ParseIssue
from analyzer.ingest import Ingested
from analyzer.tree.forest import Forest


@dataclass(slots=True)
class StageContext:
    """What a stage may read."""

    forest: Forest
    ingested: Ingested
    settings: dict[str, Any]
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)  # earlier stages' outputs by file name


@dataclass(slots=True)
class StageResult:
    """What a stage adds to the run."""

    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    metrics: pl.DataFrame | None = None
    issues: list[ParseIssue] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
