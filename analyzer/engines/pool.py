"""A local engine over a process pool: the same batch function on every core of this machine.

The nlp stage's annotation is pure Python (SoMaJo, HanTa) and holds the GIL, so threads do
not help; processes do.  :class:`PoolEngine` splits the table into consecutive batches,
each worker process calls the stage's factory once (pipelines and lexicons load once per
process, then serve many batches) and maps its batches; the outputs come back in input
order, as from every engine.

Workers are started with ``spawn`` (a fresh interpreter): polars and torch keep thread
pools that a ``fork`` of a busy parent can deadlock.  Spawning costs an interpreter start and
the imports (about a second per worker, in parallel), so small tables stay in this process
(:func:`worth_a_pool`).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.engines.base import BatchFn, BatchFnFactory, split_rows

# Below this much work (characters of text) a pool costs more than it saves: spawning two
# workers and loading the offline components in them takes ~1.5 s of wall time on the
# 2-core development machine, which annotates ~150,000 characters in that time on one core.
MIN_POOL_CHARS = 300_000
# Batches per worker: more than one evens out uneven batches (a few very long comments);
# few enough that each worker's per-form caches see much of the vocabulary.
BATCHES_PER_WORKER = 4

_worker_fn: BatchFn | None = None
_MAIN_GUARD = re.compile(r"""if\s+__name__\s*==\s*['"]__main__['"]""")
_log = logging.getLogger(__name__)


def default_workers() -> int:
    """Worker processes for this machine: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def worth_a_pool(n_chars: int, workers: int) -> bool:
    """Whether ``n_chars`` characters of text are worth spreading over ``workers`` processes."""
    return workers > 1 and n_chars >= MIN_POOL_CHARS


def spawn_is_safe() -> bool:
    """Whether ``spawn`` workers can start from this program.

    A spawned worker imports the parent's main module again; a script that calls
    :func:`analyzer.analyse` at its top level, without the ``if __name__ == "__main__":``
    guard, would then analyse again in every worker (Python stops that with a RuntimeError).
    Safe: an interactive session or notebook (no main file), and a main module that has the
    guard (``python -m analyzer``, the ``analyzer`` command, pytest, the benchmarks).
    """
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or not path:
        return True
    try:
        source = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return _MAIN_GUARD.search(source) is not None


def _init_worker(factory: BatchFnFactory) -> None:
    global _worker_fn
    _worker_fn = factory()


def _run_batch(batch: pl.DataFrame) -> pl.DataFrame:
    assert _worker_fn is not None, "pool worker without a batch function"
    return _worker_fn(batch)


class PoolEngine:
    """Runs the batch function in ``workers`` local processes.

    Args:
        workers: processes (default: one per usable core).
        batch_rows: rows per batch; None = the table cut into ``BATCHES_PER_WORKER`` batches
            per worker.
    """

    name = "local-pool"

    def __init__(self, workers: int | None = None, *, batch_rows: int | None = None) -> None:
        self.workers = workers or default_workers()
        self.batch_rows = batch_rows
        self.n_batches = 0

    def map_batches(self, factory: BatchFnFactory, table: pl.DataFrame, *, use_gpu: bool = False) -> pl.DataFrame:
        """See :meth:`analyzer.engines.Engine.map_batches` (``use_gpu`` is the stage's business)."""
        rows = self.batch_rows or max(1, -(-table.height // (self.workers * BATCHES_PER_WORKER)))
        spans = split_rows(table.height, rows)
        self.n_batches = len(spans)
        if self.workers == 1 or len(spans) == 1:
            fn = factory()
            parts = [fn(table.slice(offset, length)) for offset, length in spans]
        else:
            context = multiprocessing.get_context("spawn")
            try:
                with ProcessPoolExecutor(
                    max_workers=min(self.workers, len(spans)), mp_context=context, initializer=_init_worker, initargs=(factory,)
                ) as pool:
                    parts = list(pool.map(_run_batch, [table.slice(offset, length) for offset, length in spans]))
            except BrokenProcessPool:
                # A worker died (out of memory, killed, or a main module that could not be
                # imported again): the same batches, here, give the same result.
                _log.warning("worker pool broke; annotating in this process instead")
                self.workers = 1
                fn = factory()
                parts = [fn(table.slice(offset, length)) for offset, length in spans]
        return parts[0] if len(parts) == 1 else pl.concat(parts, how="vertical")

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "workers": self.workers, "batch_rows": self.batch_rows, "n_batches": self.n_batches}
