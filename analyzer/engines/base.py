"""What every engine shares: the :class:`Engine` protocol, batch splitting, the resolved options.

Kept apart from the package's ``__init__`` (which chooses an engine) so that the engines
(:mod:`~analyzer.engines.local`, :mod:`~analyzer.engines.pool`, :mod:`~analyzer.engines.ray_engine`)
import this module and not the package that imports them: no import cycle.
"""


from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import polars as pl

from analyzer.core import defaults
from analyzer.core.errors import UsageError
from analyzer.core.settings import build
from analyzer.engines.options import ExecutionSettings

ENGINES = ("local", "ray")
DEFAULT_RAY_ACTORS = defaults.RAY_ACTORS
DEFAULT_RAY_CPUS = defaults.RAY_NUM_CPUS
DEFAULT_RAY_BATCH_ROWS = defaults.RAY_BATCH_ROWS

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
        """From flat settings (checked by :class:`~analyzer.engines.options.ExecutionSettings`)."""
        return cls.from_options(build(ExecutionSettings, settings))

    @classmethod
    def from_options(cls, options: ExecutionSettings) -> EngineSettings:
        """The resolved engine options: an address chooses Ray unless an engine was named."""
        name = options.engine or ("ray" if options.ray_address else defaults.ENGINE)
        set_options = {key: getattr(options, key) for key in _RAY_ONLY}
        ray_only = [key for key, value in set_options.items() if value is not None]
        if name == "local" and ray_only:
            named = ", ".join(_RAY_ONLY[key] for key in ray_only)
            raise UsageError(f"{named} only apply to --engine ray (the local engine was chosen)")
        return cls(
            name=name,
            address=options.ray_address or None,
            actors=options.ray_actors if options.ray_actors is not None else DEFAULT_RAY_ACTORS,
            cpus_per_actor=options.ray_num_cpus if options.ray_num_cpus is not None else DEFAULT_RAY_CPUS,
            gpus_per_actor=options.ray_num_gpus,
            batch_rows=options.engine_batch_rows,
            allow_gpu=options.nlp_gpu is not False,
        )


# Settings that mean nothing to the local engine, with the option a user typed.
_RAY_ONLY = {
    "ray_address": "--address",
    "ray_actors": "--ray-actors",
    "ray_num_cpus": "--ray-cpus-per-actor",
    "ray_num_gpus": "--ray-gpus-per-actor",
}


def split_rows(n_rows: int, batch_rows: int | None) -> list[tuple[int, int]]:
    """``(offset, length)`` of consecutive batches covering ``n_rows`` rows (at least one batch)."""
    if batch_rows is None or n_rows <= batch_rows:
        return [(0, n_rows)]
    return [(start, min(batch_rows, n_rows - start)) for start in range(0, n_rows, batch_rows)]


