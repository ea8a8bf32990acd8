"""The analysis stages after tree building: what a stage reads and returns, and the registry.

A stage declares itself once, in a module of :mod:`analyzer.stages.declarations` (a
:class:`~analyzer.stages.spec.StageSpec`: name, requirements, output files with their schemas,
metric definitions, run target, the frozen dataclass of its settings); the run order, the
run-folder file list (:func:`analyzer.core.run.known_files`), the metric registry (``analyzer
metrics``), the ``--stages`` choices and the stage's options and setting checks
(:mod:`analyzer.stages.settings`) are all derived from those declarations.  Adding a stage is its code
package plus one declaration module; nothing else is edited.

A stage is a function ``run_stage(ctx: StageContext) -> StageResult`` (:mod:`analyzer.stages.context`), named by dotted path so
that the registry loads nothing heavy (stanza is imported only when ``nlp`` actually runs).
It reads the forest, the article blocks and the frames of the stages before it, and returns
new frames (only the files it declared), long-format metrics, parse issues and a few facts for
the manifest.  Data flows one way: a stage never changes an earlier stage's frames.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analyzer.core.errors import UsageError
from analyzer.stages.registry import declared_stages
from analyzer.stages.spec import StageSpec

Stage = StageSpec  # the registry's entries are the declarations themselves


def _registry() -> tuple[StageSpec, ...]:
    return declared_stages()


def __getattr__(name: str) -> Any:
    # STAGES and BY_NAME are derived from the declarations on first use, so that importing
    # StageContext from here (as every stage module does) never imports the declarations.
    if name == "STAGES":
        return _registry()
    if name == "BY_NAME":
        return {s.name: s for s in _registry()}
    raise AttributeError(name)


def select(spec: str | Sequence[str] | None) -> tuple[tuple[StageSpec, ...], tuple[str, ...]]:
    """Stages to run for a selection (None = all), prerequisites added.

    Returns ``(stages in run order, names added as prerequisites)``.
    """
    stages = _registry()
    by_name = {s.name: s for s in stages}
    if spec is None:
        return tuple(s for s in stages if s.default), ()
    names = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec) if s.strip()]
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise UsageError(
            f"unknown stage(s) {', '.join(unknown)}; available: {', '.join(by_name)}"
        )
    wanted = set(names)
    pending = list(names)
    while pending:
        for required in by_name[pending.pop()].requires:
            if required not in wanted:
                wanted.add(required)
                pending.append(required)
    added = tuple(s.name for s in stages if s.name in wanted and s.name not in names)
    return tuple(s for s in stages if s.name in wanted), added
