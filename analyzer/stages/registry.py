"""The stage registry, derived from the declaration modules in :mod:`analyzer.stages.declarations`.

Every module there defines ``STAGE``; the run order is a topological order of ``requires``,
ties broken by ``order`` then name.  A declaration error (duplicate name, unknown or circular
requirement, two stages writing one file) is a bug in the program and fails loudly at once.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

import polars as pl

from analyzer.stages import declarations
from analyzer.stages.spec import StageSpec


@functools.cache
def declared_stages() -> tuple[StageSpec, ...]:
    """Every declared stage, in run order."""
    found: dict[str, StageSpec] = {}
    for info in pkgutil.iter_modules(declarations.__path__):
        spec = getattr(importlib.import_module(f"{declarations.__name__}.{info.name}"), "STAGE", None)
        if not isinstance(spec, StageSpec):
            raise TypeError(f"analyzer.stages.declarations.{info.name} defines no STAGE = StageSpec(...)")
        if spec.name in found:
            raise ValueError(f"stage {spec.name!r} is declared twice")
        found[spec.name] = spec
    return order_stages(list(found.values()))


def order_stages(specs: list[StageSpec]) -> tuple[StageSpec, ...]:
    """``specs`` in run order: requirements first, then ``order``, then name; checked."""
    found = {s.name: s for s in specs}
    if len(found) != len(specs):
        raise ValueError("a stage is declared twice")
    for spec in found.values():
        missing = [r for r in spec.requires if r not in found]
        if missing:
            raise ValueError(f"stage {spec.name!r} requires undeclared stage(s) {missing}")
    ordered: list[StageSpec] = []
    done: set[str] = set()
    pending = sorted(found.values(), key=lambda s: (s.order, s.name))
    while pending:
        ready = next((s for s in pending if set(s.requires) <= done), None)
        if ready is None:
            raise ValueError(f"circular stage requirements among {[s.name for s in pending]}")
        ordered.append(ready)
        done.add(ready.name)
        pending.remove(ready)
    _check_outputs(ordered)
    return tuple(ordered)


def _check_outputs(stages: list[StageSpec]) -> None:
    owner: dict[str, str] = {}
    for spec in stages:
        for file in spec.outputs:
            if file in owner:
                raise ValueError(f"{file} is declared by both {owner[file]!r} and {spec.name!r}")
            owner[file] = spec.name


def stage_files() -> dict[str, pl.Schema]:
    """Every file a stage may write into a run folder, with its schema."""
    return {file: schema for spec in declared_stages() for file, schema in spec.outputs.items()}
