"""What a stage may read (:class:`StageContext`) and what it adds to the run (:class:`StageResult`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import polars as pl

from analyzer.core import settings as settings_mod
from analyzer.core.records import ParseIssue
from analyzer.ingest import Ingested
from analyzer.tree.forest import Forest

T = TypeVar("T")


@dataclass(slots=True)
class StageContext:
    """What a stage may read."""

    forest: Forest
    ingested: Ingested
    # The flat settings as given (command line, job ``[settings]``, API); stages read them typed,
    # through :meth:`settings_of`, never by key.
    settings: Mapping[str, Any]
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)  # earlier stages' outputs by file name
    _typed: dict[type, Any] = field(default_factory=dict, repr=False)
    # Values of stages' ``prepare`` functions computed elsewhere (a second process), by stage name.
    prepared: dict[str, Any] = field(default_factory=dict, repr=False)

    def prepared_or(self, stage: str, prepare: Callable[[StageContext], T]) -> T:
        """The value ``prepare(self)`` gives, computed elsewhere already if it was (see StageSpec.prepare)."""
        if stage in self.prepared:
            return self.prepared.pop(stage)  # type: ignore[no-any-return]
        return prepare(self)

    def settings_of(self, cls: type[T]) -> T:
        """The settings declared by ``cls`` (a stage's settings dataclass), built once and checked.

        Raises:
            UsageError: a value of the wrong type or out of range (one line naming the setting).
        """
        if cls not in self._typed:
            self._typed[cls] = settings_mod.build(cls, self.settings)
        return self._typed[cls]  # type: ignore[no-any-return]


@dataclass(slots=True)
class StageResult:
    """What a stage adds to the run."""

    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    metrics: pl.DataFrame | None = None
    issues: list[ParseIssue] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
