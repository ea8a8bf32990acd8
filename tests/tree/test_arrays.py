from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import analyzer.tree.arrays as treearrays


def _naive_depths(parent: list[int]) -> list[int]:
    out = []
    for v in range(len(parent)):
        d, u = 0, v
        while u >= 0:
            d, u = d + 1, parent[u]
        out.append(d)
    return out


def _naive_sizes(parent: list[int]) -> list[int]:
    size = [1] * len(parent)
    for v in range(len(parent)):
        u = parent[v]
        while u >= 0:
            size[u] += 1
            u = parent[u]
    return size


forests = st.integers(min_value=1, max_value=60).flatmap(
    lambda n: st.lists(st.integers(min_value=-1, max_value=n - 1), min_size=n, max_size=n).map(
        # parent index must be smaller than the child's: a valid forest in topological order
        lambda ps: [p if p < i else -1 for i, p in enumerate(ps)]
    )
)


@settings(max_examples=200, deadline=None)
@given(forests)
def test_depths_and_sizes_match_naive_walks(parent: list[int]) -> None:
    array = np.array(parent, dtype=np.int64)
    depth, resolved = treearrays.depths(array)
    assert resolved.all()
    assert depth.tolist() == _naive_depths(parent)
    assert treearrays.subtree_sizes(array, depth).tolist() == _naive_sizes(parent)
    assert treearrays.child_counts(array).tolist() == [parent.count(v) for v in range(len(parent))]


def test_deep_chain_of_100000_is_resolved_without_recursion() -> None:
    n = 100_000
    parent = np.arange(-1, n - 1, dtype=np.int64)
    depth, resolved = treearrays.depths(parent)
    assert resolved.all()
    assert depth[-1] == n
    assert treearrays.subtree_sizes(parent, depth)[0] == n


def test_cycle_members_are_unresolved() -> None:
    parent = np.array([-1, 2, 1, 2], dtype=np.int64)  # 1 <-> 2, 3 hangs below the cycle
    _, resolved = treearrays.depths(parent)
    assert resolved.tolist() == [True, False, False, False]


def test_nearest_kept_ancestor_skips_dropped_runs() -> None:
    parent = np.array([-1, 0, 1, 2, -1], dtype=np.int64)
    keep = np.array([True, False, False, True, False])
    assert treearrays.nearest_kept_ancestor(parent, keep).tolist() == [-1, 0, 0, 0, -1]
