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

Settings (declared in :class:`analyzer.engines.options.ExecutionSettings`, defaults in
:mod:`analyzer.core.defaults`; the CLI's ``--engine``, ``--address`` ...):

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

from collections.abc import Mapping
from typing import Any

from analyzer.core.settings import build
from analyzer.engines.base import (
    DEFAULT_RAY_ACTORS,
    DEFAULT_RAY_BATCH_ROWS,
    DEFAULT_RAY_CPUS,
    ENGINES,
    BatchFn,
    BatchFnFactory,
    Engine,
    EngineSettings,
    split_rows,
)
from analyzer.engines.options import ExecutionSettings

__all__ = [
    "DEFAULT_RAY_ACTORS", "DEFAULT_RAY_BATCH_ROWS", "DEFAULT_RAY_CPUS", "ENGINES", "BatchFn", "BatchFnFactory",
    "Engine", "EngineSettings", "ExecutionSettings", "make_engine", "split_rows",
]


def make_engine(settings: Mapping[str, Any] | ExecutionSettings) -> Engine:
    """The engine named by the ``engine`` setting (typed :class:`ExecutionSettings`, or flat settings).

    Raises:
        UsageError: an unknown engine or bad option; ``ray`` without Ray installed.
    """
    typed = settings if isinstance(settings, ExecutionSettings) else build(ExecutionSettings, settings)
    options = EngineSettings.from_options(typed)
    if options.name == "ray":
        from analyzer.engines.ray_engine import RayEngine

        return RayEngine(options)
    from analyzer.engines.local import LocalEngine

    return LocalEngine(batch_rows=options.batch_rows)
