"""The declaration of a stage: everything the rest of the program needs to know about it."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from analyzer.stages.context import StageContext, StageResult
    from analyzer.stages.metric_registry import MetricInfo


@dataclass(frozen=True, slots=True)
class StageSpec:
    """One stage, declared once.

    Attributes:
        name: the stage's name (``--stages``, manifest, run-folder provenance).
        target: ``"module:function"`` running the stage (loaded only when it runs).
        requires: stages whose frames it reads; they run first.
        description: one line for ``analyzer metrics`` and the docs.
        outputs: Parquet files it writes into the run folder, with their schemas.
        metrics: ``"module:ATTRIBUTE"`` of its metric definitions (a dict or a sequence of
            :class:`~analyzer.stages.metric_registry.MetricInfo`), kept beside the code computing them.
        order: position in the run order among stages whose requirements allow it.
        default: run when no ``--stages`` are given.
        settings: the frozen dataclass of its settings (fields made by
            :func:`analyzer.core.settings.setting`), declared beside this spec; None = none.
        shared_settings: settings classes it reads that are declared elsewhere (the engine's).
        prepare: ``"module:function"`` of the part of its work that reads only the forest, the
            input, the settings and the frames of ``requires`` (not the frames of stages that
            merely ran before it); its value must be picklable.  The pipeline may compute it in
            a second process while a longer stage runs and hand it to the stage through
            :meth:`~analyzer.stages.context.StageContext.prepared_or`; "" = nothing to prepare.
    """

    name: str
    target: str
    requires: tuple[str, ...] = ()
    description: str = ""
    outputs: Mapping[str, pl.Schema] = field(default_factory=dict)
    metrics: str = ""
    order: int = 100
    default: bool = True
    settings: type | None = None
    shared_settings: tuple[type, ...] = ()
    prepare: str = ""

    def settings_classes(self) -> tuple[type, ...]:
        """Its own settings class, then the shared ones."""
        return ((self.settings,) if self.settings is not None else ()) + self.shared_settings

    def load(self) -> Callable[[StageContext], StageResult]:
        """The stage function (imports its module)."""
        module_name, _, function = self.target.partition(":")
        return getattr(importlib.import_module(module_name), function)  # type: ignore[no-any-return]

    def load_prepare(self) -> Callable[[StageContext], object]:
        """The stage's prepare function (imports its module); see ``prepare``."""
        module_name, _, function = self.prepare.partition(":")
        return getattr(importlib.import_module(module_name), function)  # type: ignore[no-any-return]

    def metric_definitions(self) -> list[MetricInfo]:
        """Its documented metrics (imports the module holding them)."""
        if not self.metrics:
            return []
        module_name, _, attribute = self.metrics.partition(":")
        entries = getattr(importlib.import_module(module_name), attribute)
        return list(entries.values() if isinstance(entries, Mapping) else entries)
