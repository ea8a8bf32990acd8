"""Which stages' preparation may run in a second process while the longest stage runs here.

Why: on a corpus the ``nlp`` stage is about half of all stages' CPU and runs in one process
at a time unless its own worker pool splits it; the pool pays every per-process warm-up
(imports, models, per-form caches) twice.  Work that needs nothing the ``nlp`` stage makes
can instead run beside it in one spawned process, so the second core does other work and the
language layer warms up once (docs/performance-language.md, "Session 8: scheduling").

What may run beside it is read from the stages' declarations, never from a list of names.
A whole stage cannot be moved: stages read the frames of stages that merely ran before them
(``labels`` and ``coordination`` read ``stance.parquet`` when it exists, without requiring
it), so only a stage's declared ``prepare`` (the part that reads its ``requires`` alone) goes
to the side process, when

* the stage comes after the busy stage in run order (so its result is not needed earlier),
* none of its requirements, direct or not, is the busy stage, and
* all of them come before the busy stage in run order (their frames exist when the side
  process starts, right before the busy stage).

The stages themselves still run here, in run order; each takes its prepared value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analyzer.stages.spec import StageSpec

# The stage long enough to hide others behind it: on the One Million Posts dev CSV it is
# ~10 of ~19 CPU s of all stages; the next (stance, ~3 s) needs its frames.
BUSY_STAGE = "nlp"


@dataclass(frozen=True, slots=True)
class SidePlan:
    """Stages whose ``prepare`` runs in a second process, started right before ``busy`` runs here."""

    busy: str
    side: tuple[str, ...]  # in run order


def side_plan(selected: Sequence[StageSpec], busy: str = BUSY_STAGE) -> SidePlan | None:
    """The stages of ``selected`` (in run order) that may prepare beside ``busy``; None = none."""
    names = [s.name for s in selected]
    if busy not in names:
        return None
    requires = {s.name: set(s.requires) for s in selected}
    before_busy = set(names[: names.index(busy)])
    side = tuple(
        s.name for s in selected[names.index(busy) + 1 :]
        if s.prepare and _closure(s.requires, requires) <= before_busy
    )
    return SidePlan(busy, side) if side else None


def _closure(names: Iterable[str], requires: dict[str, set[str]]) -> set[str]:
    """``names`` and every stage they require, directly or not."""
    seen: set[str] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending.extend(requires.get(name, ()))
    return seen
