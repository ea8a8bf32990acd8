"""The garbage-collection policy of an analysis: thresholds restored, nothing left set aside."""

from __future__ import annotations

import gc

from analyzer.core.collections_policy import (
    OLD_THRESHOLD,
    YOUNG_THRESHOLD,
    fewer_collections,
    settle,
)


def test_thresholds_and_frozen_objects_restored() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (max(YOUNG_THRESHOLD, before[0]), before[1], max(OLD_THRESHOLD, before[2]))
        kept = [[i] for i in range(1000)]
        settle()
        assert gc.get_freeze_count() > 0
        with fewer_collections():  # nested: harmless
            pass
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert len(kept) == 1000


def test_cycles_made_inside_are_collected_after() -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self

    with fewer_collections():
        node = Node()
        settle()  # the cycle is set aside while alive
        del node
    # After the block the set-aside cycle is the collector's again.
    gc.collect()
    assert not any(type(o).__name__ == "Node" and o.__class__.__module__ == __name__ for o in gc.get_objects())
