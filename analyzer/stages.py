"""The analysis stages after tree building, by name, in run order.

A stage is a function ``run_stage(ctx: StageContext) -> StageResult`` in its own module,
named here by dotted path so that importing the registry loads nothing heavy (stanza is
imported only when the ``nlp`` stage actually runs).  A stage reads the forest, the article
blocks and the frames of the stages before it, and returns new frames (each declared with
:func:`analyzer.run.register_stage_file`), long-format metrics, parse issues and a few facts
for the manifest.  Data flows one way: a stage never changes an earlier stage's frames.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from analyzer.errors import UsageError
from analyzer.ingest import Ingested
from analyzer.model import ParseIssue
from analyzer.tree import Forest


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


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    target: str  # "module:function"
    requires: tuple[str, ...] = ()
    description: str = ""

    def load(self) -> Callable[[StageContext], StageResult]:
        module_name, _, function = self.target.partition(":")
        return getattr(importlib.import_module(module_name), function)  # type: ignore[no-any-return]


# Run order.
STAGES: tuple[Stage, ...] = (
    Stage("structure", "analyzer.structure:run_stage", (), "tree shape, coverage, latency, participation"),
    Stage("links", "analyzer.links:run_stage", (), "links: extract, refang, normalise, rate; link metrics"),
    Stage("nlp", "analyzer.nlp.stage:run_stage", (), "sentences, tokens, lemmas, POS, sentence sentiment, language tags"),
    Stage(
        "quotes",
        "analyzer.framing.quotes:run_stage",
        ("nlp",),
        "quotations of the article and the parent; own texts for stance and framing",
    ),
    Stage(
        "stance",
        "analyzer.stance.stage:run_stage",
        ("quotes",),
        "stance toward the parent and the article (cues or a trained model); stance aggregates",
    ),
    Stage(
        "framing",
        "analyzer.framing.frames:run_stage",
        ("nlp", "quotes"),
        "frame hits, article vs reader framing, keyness, label adoption",
    ),
    Stage(
        "labels",
        "analyzer.labels.stage:run_stage",
        (),
        "comment sentiment and moderation labels (trained model, not shipped); removal rates",
    ),
)
BY_NAME = {s.name: s for s in STAGES}


def select(spec: str | Sequence[str] | None) -> tuple[tuple[Stage, ...], tuple[str, ...]]:
    """Stages to run for a selection (None = all), prerequisites added.

    Returns ``(stages in run order, names added as prerequisites)``.
    """
    if spec is None:
        return STAGES, ()
    names = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec) if s.strip()]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise UsageError(
            f"unknown stage(s) {', '.join(unknown)}; available: {', '.join(BY_NAME)}"
        )
    wanted = set(names)
    pending = list(names)
    while pending:
        for required in BY_NAME[pending.pop()].requires:
            if required not in wanted:
                wanted.add(required)
                pending.append(required)
    added = tuple(s.name for s in STAGES if s.name in wanted and s.name not in names)
    return tuple(s for s in STAGES if s.name in wanted), added
