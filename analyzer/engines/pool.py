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

This process is one of the workers: with ``workers`` = W it starts W - 1 processes and
annotates batches itself while they run (each batch goes to whoever is free next).  The
driver would otherwise sit idle on a core, and it has paid its imports already; on the One
Million Posts dev CSV that saves one worker's interpreter, imports and model loading, and in
a chunked run this process keeps its warm per-form caches from chunk to chunk
(docs/performance-language.md, "Session 6: OMP ratio").
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core.collections_policy import quieten_worker, settle
from analyzer.engines.base import BatchFn, BatchFnFactory, split_rows

# Below this much work (characters of text) a pool costs more than it saves: spawning a
# worker and loading the offline components in it takes ~1.5 s of wall time on the 2-core
# development machine, which annotates ~150,000 characters in that time on one core.
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
    quieten_worker()  # fewer collections; the batches' caches are set aside after each batch
    _worker_fn = factory()


def _run_batch(batch: pl.DataFrame) -> pl.DataFrame:
    assert _worker_fn is not None, "pool worker without a batch function"
    result = _worker_fn(batch)
    settle()
    return result


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
        batches = [table.slice(offset, length) for offset, length in spans]
        if self.workers == 1 or len(spans) == 1:
            fn = factory()
            parts = [fn(batch) for batch in batches]
        else:
            parts = self._shared(factory, batches)
        return parts[0] if len(parts) == 1 else pl.concat(parts, how="vertical")

    def _shared(self, factory: BatchFnFactory, batches: list[pl.DataFrame]) -> list[pl.DataFrame]:
        """The batches over ``workers - 1`` spawned processes and this one, in input order.

        Each batch goes to whoever is free next: this process takes the next batch when it
        finishes one, a worker's finished batch submits the next (a done-callback), so at
        most one batch per spawned worker waits in the pool.  Whatever the pool could not
        do (a worker died: out of memory, killed, a main module that could not be imported
        again) is done here afterwards; the same batches give the same result.
        """
        parts: list[pl.DataFrame | None] = [None] * len(batches)
        lock = threading.Lock()
        state = {"next": 0, "stop": False}
        futures: dict[int, Future[pl.DataFrame]] = {}
        left_over: list[int] = []

        def take() -> int | None:  # called with the lock held
            i = state["next"]
            if state["stop"] or i >= len(batches):
                return None
            state["next"] = i + 1
            return i

        def submit_next(_done: object = None) -> None:
            with lock:
                i = take()
                if i is None:
                    return
                try:
                    future = pool.submit(_run_batch, batches[i])
                except (BrokenProcessPool, RuntimeError):  # broken or shut down: done here later
                    left_over.append(i)
                    return
                futures[i] = future
            future.add_done_callback(submit_next)  # outside the lock: a done future calls back at once

        context = multiprocessing.get_context("spawn")
        fn: BatchFn | None = None
        helpers = min(self.workers, len(batches)) - 1
        with ProcessPoolExecutor(max_workers=helpers, mp_context=context, initializer=_init_worker, initargs=(factory,)) as pool:
            try:
                for _ in range(helpers):  # one batch per worker to start with
                    submit_next()
                fn = factory()
                while True:
                    with lock:
                        i = take()
                    if i is None:
                        break
                    parts[i] = fn(batches[i])
                # Every batch is taken; the pool's are all submitted (take and submit share the lock).
                for i, future in sorted(futures.items()):
                    try:
                        parts[i] = future.result()
                    except BrokenProcessPool:
                        left_over.append(i)
            except BaseException:
                with lock:
                    state["stop"] = True  # no more submissions; the pool waits for its running batches
                pool.shutdown(wait=False, cancel_futures=True)
                raise
        missing = sorted(set(left_over) | {i for i, part in enumerate(parts) if part is None})
        if missing:
            _log.warning("worker pool broke; annotating %d batches in this process instead", len(missing))
            fn = fn if fn is not None else factory()
            for i in missing:
                parts[i] = fn(batches[i])
        return [part for part in parts if part is not None]

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "workers": self.workers, "batch_rows": self.batch_rows, "n_batches": self.n_batches}
