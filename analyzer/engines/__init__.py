"""Execution engines: where a stage's per-batch work runs.

A stage that has per-document work (the ``nlp`` stage's annotation, the ``stance`` stage's
cue reading) hands it to an engine as a *batch function factory*: a picklable callable that
builds the heavy state (stanza pipelines, cue inventories) and returns a function mapping one
batch (a polars frame) to one output frame.  The engine decides where that runs:

* ``local`` (default): in this process, the whole table as one batch, so a run is exactly
  what it was before engines existed.
* ``ray``: a Ray Data ``map_batches`` over an actor pool (:mod:`analyzer.engines.ray_engine`);
  each actor calls the factory once and then maps many batches.  Ray is an optional extra
  (``pip install -e ".[ray]"``) and is imported only when this engine is asked for.

Stage code never sees the difference: it gets one frame back, the per-batch outputs
concatenated in input order.  Everything that must not depend on batch boundaries (global
ids, ordering) is the stage's business: the batch function carries explicit keys and the
driver sorts on them.

Settings (``StageContext.settings``; the CLI's ``--engine``, ``--address`` ...):

* ``engine``: ``local`` | ``ray``.
* ``ray_address``: an existing cluster (``HOST:6379``, ``ray://HOST:10001`` or ``auto``);
  unset = start a local Ray in this process.
* ``ray_actors`` (int, default 2): actors per stage.
* ``ray_num_cpus`` (float, default 0.5): CPUs reserved per actor.  Fractions matter on small
  machines: two actors at one CPU each on two cores left Ray Data no CPU for its own tasks and
  hung (platform notes).
* ``ray_num_gpus`` (float | None): GPUs per actor for stages that can use one (nlp); None =
  one GPU per actor when the cluster has GPUs and ``nlp_gpu`` is not False.
* ``engine_batch_rows`` (int): rows per batch (default: all rows locally, 200 with Ray).

Example:
    >>> import polars as pl
    >>> engine = make_engine({})
    >>> engine.map_batches(lambda: (lambda b: b.with_columns(y=pl.col("x") * 2)), pl.DataFrame({"x": [1, 2]}))["y"].to_list()
    [2, 4]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl

from analyzer.core.errors import UsageError

ENGINES = ("local", "ray")
DEFAULT_RAY_ACTORS = 2
DEFAULT_RAY_CPUS = 0.5
# Rows (documents or comments) per Ray batch: big enough that stanza batches well inside a
# batch, small enough that two actors share a 2,000-comment run evenly.
DEFAULT_RAY_BATCH_ROWS = 200

BatchFn = Callable[[pl.DataFrame], pl.DataFrame]
BatchFnFactory = Callable[[], BatchFn]


class Engine(Protocol):
    """Maps a batch function over a table."""

    name: str

    def map_batches(self, factory: BatchFnFactory, table: pl.DataFrame, *, use_gpu: bool = False) -> pl.DataFrame:
        """Per-batch outputs of ``factory()`` over ``table``, concatenated in input order.

        Args:
            factory: builds the batch function; called once per worker, never per batch.
                Must be picklable for engines that run elsewhere (a module-level class or a
                ``functools.partial`` of one).
            table: the rows to process; split into batches of consecutive rows.
            use_gpu: the work can use a GPU (engines that place work give it one if present).
        """
        ...

    def describe(self) -> dict[str, Any]:
        """Facts for the manifest: engine name, workers, batch size, batches of the last call."""
        ...


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """The engine options of a run, validated."""

    name: str = "local"
    address: str | None = None
    actors: int = DEFAULT_RAY_ACTORS
    cpus_per_actor: float = DEFAULT_RAY_CPUS
    gpus_per_actor: float | None = None
    batch_rows: int | None = None
    allow_gpu: bool = True

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> EngineSettings:
        address = settings.get("ray_address")
        # An address only makes sense for Ray: it chooses the engine unless one was named.
        name = str(settings.get("engine") or ("ray" if address else "local")).lower()
        if name not in ENGINES:
            raise UsageError(f"--engine must be one of {', '.join(ENGINES)}, got {name!r}")
        actors = _number(settings, "ray_actors", int, DEFAULT_RAY_ACTORS)
        cpus = _number(settings, "ray_num_cpus", float, DEFAULT_RAY_CPUS)
        gpus_raw = settings.get("ray_num_gpus")
        gpus = None if gpus_raw is None else _number(settings, "ray_num_gpus", float, 0.0)
        batch_raw = settings.get("engine_batch_rows")
        batch_rows = None if batch_raw is None else _number(settings, "engine_batch_rows", int, 1)
        if actors < 1:
            raise UsageError(f"ray_actors must be at least 1, got {actors}")
        if cpus <= 0:
            raise UsageError(f"ray_num_cpus must be positive, got {cpus}")
        if gpus is not None and gpus < 0:
            raise UsageError(f"ray_num_gpus must not be negative, got {gpus}")
        if batch_rows is not None and batch_rows < 1:
            raise UsageError(f"engine_batch_rows must be at least 1, got {batch_rows}")
        ray_only = [key for key in _RAY_ONLY if settings.get(key) is not None]
        if name == "local" and ray_only:
            options = ", ".join(_RAY_ONLY[key] for key in ray_only)
            raise UsageError(f"{options} only apply to --engine ray (the local engine was chosen)")
        return cls(
            name=name,
            address=str(address) if address else None,
            actors=actors,
            cpus_per_actor=cpus,
            gpus_per_actor=gpus,
            batch_rows=batch_rows,
            allow_gpu=settings.get("nlp_gpu") is not False,
        )


# Settings that mean nothing to the local engine, with the option a user typed.
_RAY_ONLY = {
    "ray_address": "--address",
    "ray_actors": "--ray-actors",
    "ray_num_cpus": "--ray-cpus-per-actor",
    "ray_num_gpus": "--ray-gpus-per-actor",
}


def _number(settings: Mapping[str, Any], key: str, kind: type[int] | type[float], default: float) -> Any:
    value = settings.get(key)
    if value is None:
        return kind(default)
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise UsageError(f"{key} must be a number, got {value!r}") from None


def split_rows(n_rows: int, batch_rows: int | None) -> list[tuple[int, int]]:
    """``(offset, length)`` of consecutive batches covering ``n_rows`` rows (at least one batch)."""
    if batch_rows is None or n_rows <= batch_rows:
        return [(0, n_rows)]
    return [(start, min(batch_rows, n_rows - start)) for start in range(0, n_rows, batch_rows)]


def make_engine(settings: Mapping[str, Any]) -> Engine:
    """The engine named by ``settings["engine"]`` (see the module docstring for the keys).

    Raises:
        UsageError: an unknown engine or bad option; ``ray`` without Ray installed.
    """
    options = EngineSettings.from_settings(settings)
    if options.name == "ray":
        from analyzer.engines.ray_engine import RayEngine

        return RayEngine(options)
    from analyzer.engines.local import LocalEngine

    return LocalEngine(batch_rows=options.batch_rows)
