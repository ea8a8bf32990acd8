"""Stages' ``prepare`` work in one spawned process while this process runs the busy stage.

:func:`side_plan_for` decides whether it is worth it for a run (which stages: their
declarations, :mod:`analyzer.engines.schedule`; whether: the worker pool's text-size
threshold, a local engine, more than one core, a main module that is safe to spawn from).
:class:`SideRun` starts the process with what the preparations read (forest, input, settings,
the frames made so far) and hands their values back; the stages themselves still run here in
run order, so the run folder is the one a single process writes.

The process is spawned (a fresh interpreter), like the pool's workers: polars keeps thread
pools that a ``fork`` of a busy parent can deadlock.  Whatever goes wrong there (an error, the
process killed or out of memory) only means nothing was prepared: each stage then does all
its work here, at its turn, and raises its own errors as it always did.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import time
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from analyzer.core.collections_policy import fewer_collections, settle
from analyzer.core.settings import build
from analyzer.engines.base import EngineSettings
from analyzer.engines.options import ExecutionSettings
from analyzer.engines.pool import MIN_POOL_CHARS, default_workers, spawn_is_safe
from analyzer.engines.schedule import SidePlan, side_plan
from analyzer.stages.context import StageContext
from analyzer.stages.declarations.nlp import NlpStageSettings
from analyzer.stages.spec import StageSpec

_log = logging.getLogger(__name__)

# The setting (``NlpStageSettings.nlp_workers``) that keeps the busy stage in one process while
# the side process uses the second core (its own pool would warm everything up twice and
# compete for the cores).  Given by the user, it is kept and no side process starts.
ONE_PROCESS = {"nlp_workers": 1}


def side_plan_for(selected: Sequence[StageSpec], settings: Mapping[str, Any], n_chars: int) -> SidePlan | None:
    """The side plan for a run of ``selected`` over ``n_chars`` characters of text, or None.

    None when nothing may run beside the busy stage, the text is below the pool's threshold
    (spawning and importing cost ~1 s of CPU), another engine, batch size or worker count was
    asked for (the busy stage keeps what was asked for), one core, or an unguarded main
    script (:func:`~analyzer.engines.pool.spawn_is_safe`).
    """
    plan = side_plan(selected)
    if plan is None or n_chars < MIN_POOL_CHARS:
        return None
    if build(NlpStageSettings, settings).nlp_workers is not None:
        return None
    engine = EngineSettings.from_options(build(ExecutionSettings, settings))
    if engine.name != "local" or engine.batch_rows is not None:
        return None
    if default_workers() < 2 or not spawn_is_safe():
        return None
    return plan


def text_chars(comments: pl.DataFrame) -> int:
    """Characters of comment text in a run (what the pool's threshold is measured in)."""
    if "text" not in comments.columns or comments.height == 0:
        return 0
    return int(comments["text"].str.len_chars().sum() or 0)


def prepare_all(stages: Sequence[StageSpec], context: StageContext) -> dict[str, tuple[Any, float]]:
    """Each stage's ``prepare`` value and its seconds, in order."""
    values: dict[str, tuple[Any, float]] = {}
    for stage in stages:
        fn = stage.load_prepare()
        start = time.perf_counter()
        values[stage.name] = (fn(context), round(time.perf_counter() - start, 4))
        settle()
    return values


def _side_main(conn: Any, stages: Sequence[StageSpec], context: StageContext) -> None:
    """The side process: send back the prepared values, or None if anything failed."""
    try:
        with fewer_collections():
            values: dict[str, tuple[Any, float]] | None = prepare_all(stages, context)
    except Exception:  # the stage raises it again here at its turn, as a single process would
        _log.debug("preparing %s beside the busy stage failed", [s.name for s in stages], exc_info=True)
        values = None
    conn.send(values)
    conn.close()
    gc.freeze()  # the process ends now: its exit need not walk the stages' caches (see no_collections_at_exit)


class SideRun:
    """The ``prepare`` functions of ``stages`` running in a spawned process on a copy of ``context``.

    Use as a context manager: leaving the block early (an error here) stops the process.
    """

    def __init__(self, stages: Sequence[StageSpec], context: StageContext) -> None:
        self.stages = tuple(stages)
        copy = StageContext(forest=context.forest, ingested=context.ingested, settings=dict(context.settings),
                            frames=dict(context.frames))
        spawn = multiprocessing.get_context("spawn")
        self._conn, child_conn = spawn.Pipe(duplex=False)
        self._process = spawn.Process(target=_side_main, args=(child_conn, self.stages, copy), daemon=True,
                                      name="analyzer-side-stages")
        self._process.start()
        child_conn.close()  # only the child holds its end now: EOF here if it dies
        self._values: dict[str, tuple[Any, float]] | None = None
        self._done = False

    def __enter__(self) -> SideRun:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._conn.close()

    def values(self) -> dict[str, tuple[Any, float]]:
        """The prepared values and their seconds there, waited for once; {} if none came back."""
        if not self._done:
            self._done = True
            try:
                self._values = self._conn.recv()
            except (EOFError, OSError):
                _log.warning("side process ended without results; %s do all their work here",
                             ", ".join(s.name for s in self.stages))
            self._process.join()
        return dict(self._values or {})
