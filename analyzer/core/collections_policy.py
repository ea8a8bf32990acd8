"""Fewer garbage collections while an analysis runs: long-lived objects are set aside.

Why: the language layer and the models keep large caches of small containers (per-form
analyses, per-sentence answers, remembered language answers: millions of tuples and dicts on a
corpus), and the stages allocate many short-lived ones.  CPython's cyclic collector runs after
every 700 net container allocations and, now and then, walks every tracked object, caches
included, although none of them is garbage.  On the One Million Posts dev CSV that walking was
about a fifth of the CPU of all stages (docs/performance-language.md, "Session 7: OMP ratio").

What this does, and why it loses nothing: reference counting still frees every object that is
not part of a cycle at once; the collector still runs, only less often (after
``YOUNG_THRESHOLD`` allocations, a full collection after ``OLD_THRESHOLD`` middle ones) and without walking the objects that were alive at the last
:func:`settle` (``gc.freeze``: they stay alive anyway while a stage may use them).  Cycles
among the set-aside objects that become garbage are collected when :func:`fewer_collections`
ends (``gc.unfreeze`` returns them to the collector).  No output depends on when the collector
runs.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Container allocations between two young collections (CPython's default is 700).  Young
# collections stay cheap (they walk at most this many objects); 50,000 small objects are a
# few megabytes of garbage at most between two of them.
YOUNG_THRESHOLD = 50_000
# Middle-generation collections between two full ones (CPython's default is 10).  A full
# collection walks every object not set aside, and CPython's own brake on them (the survivors
# since the last one must be a quarter of the old generation) does not hold once the old
# generation was set aside: it is then nearly empty, so every tenth middle collection would
# walk the caches a running stage has built so far (about 2 of 12 CPU s of the nlp stage in
# one process on the One Million Posts dev CSV).  With 100, a full collection comes after
# 50 million allocations at the earliest.
OLD_THRESHOLD = 100


def _thresholds(before: tuple[int, int, int]) -> tuple[int, int, int]:
    return max(YOUNG_THRESHOLD, before[0]), before[1], max(OLD_THRESHOLD, before[2])


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Within the block, collect rarely and never walk the objects set aside by :func:`settle`.

    Nested use is harmless: the inner block leaves the thresholds as it found them, and
    unfreezing early only means more walking.
    """
    before = gc.get_threshold()
    gc.set_threshold(*_thresholds(before))
    settle()
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def settle() -> None:
    """Set aside every object alive now (models, caches, frames): collections skip them."""
    gc.freeze()


def quieten_worker() -> None:
    """A pool worker's policy for its whole life (it exits when its pool closes)."""
    gc.set_threshold(*_thresholds(gc.get_threshold()))
    no_collections_at_exit()


def no_collections_at_exit() -> None:
    """Let this process's end skip the collector's final walks (call it in a process's entry).

    Why: when a process ends, CPython runs the cyclic collector over everything still alive
    while it tears the modules down; after a corpus run that is the language layer's caches
    and the models (millions of containers, none of them needed any more), about 0.7–0.9 CPU s
    of the One Million Posts dev CSV's ~18 (docs/performance-language.md, "Session 10:
    whole-process CPU").  ``gc.freeze`` at exit takes them out of those walks; reference
    counting still frees them and every ``atexit`` handler still runs.  Only for a process
    that ends after its command: a test or a notebook calling the analyser goes on living
    and keeps its collector as it was.
    """
    atexit.register(gc.freeze)
