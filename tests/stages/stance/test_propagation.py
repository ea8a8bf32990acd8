"""Sign propagation toward the article on small trees built in code."""

from __future__ import annotations

import time

import pytest

from analyzer.stages.stance.propagation import MAX_PATH, Node, compose, propagate


@pytest.mark.parametrize(("parent", "own", "expected"), [
    ("support", "support", "support"), ("support", "deny", "deny"), ("deny", "support", "deny"),
    ("deny", "deny", "support"), ("query", "deny", None), ("support", "comment", None), ("comment", "support", None),
])
def test_compose(parent: str, own: str, expected: str | None) -> None:
    assert compose(parent, own) == expected


def node(cid: str, parent: int, stance: str, *, article: str | None = None) -> Node:
    return Node(cid, parent, parent < 0, stance, 0.8, article, 0.7 if article else 0.0)


def test_chain_alternates_by_sign() -> None:
    # A supports the article; B denies A; C denies B; D supports C.
    out = propagate([node("A", -1, "support"), node("B", 0, "deny"), node("C", 1, "deny"), node("D", 2, "support")])
    assert [o.label for o in out] == ["support", "deny", "support", "support"]
    assert out[2].source == "propagated" and [s["comment_id"] for s in out[2].path] == ["A", "B", "C"]
    assert out[3].conf == pytest.approx(0.8**4)


def test_top_level_deny_then_deny_supports() -> None:
    out = propagate([node("A", -1, "deny"), node("B", 0, "deny")])
    assert [o.label for o in out] == ["deny", "support"]


def test_query_and_comment_fall_back_to_article_cues_else_comment() -> None:
    out = propagate([
        node("A", -1, "support"),
        node("B", 0, "query"),
        node("C", 0, "comment", article="deny"),
        node("D", 1, "support"),  # parent B is a query toward the article: chain broken
    ])
    assert [o.label for o in out] == ["support", "comment", "deny", "comment"]
    assert out[2].source == "article-cues" and out[1].source == "default"


def test_unknown_parent_ghost_falls_back() -> None:
    out = propagate([Node("X", -1, False, "deny", 0.8, None, 0.0), Node("Y", -1, False, "support", 0.8, "support", 0.6)])
    assert [o.label for o in out] == ["comment", "support"]


def test_explicit_article_cues_override_a_contradicting_chain() -> None:
    out = propagate([node("A", -1, "support"), node("B", 0, "support", article="deny")])
    assert out[1].label == "deny" and out[1].source == "article-cues-override"


def test_deep_chain_is_iterative_and_linear() -> None:
    n = 50_000
    nodes = [node("c0", -1, "support")] + [node(f"c{i}", i - 1, "deny") for i in range(1, n)]
    start = time.process_time()
    out = propagate(nodes)
    assert time.process_time() - start < 5
    assert out[-1].label == ("support" if (n - 1) % 2 == 0 else "deny")
    assert len(out[-1].path) == MAX_PATH and out[-1].path_length == n
