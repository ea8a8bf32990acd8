from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.core import schemas
from analyzer.tree.forest import build_forest
from tests.conftest import raw_articles, raw_comments

EMPTY = schemas.empty(schemas.RAW_ARTICLES)


def _codes(forest) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(i.code for i in forest.issues)


def test_reference_shape_gets_three_ghosts_in_preorder() -> None:
    raw = raw_comments(
        [
            {"comment_id": "A", "declared_depth": 1},
            {"comment_id": "B", "parent_id": "A", "declared_depth": 4},
            {"comment_id": "C", "parent_id": "B", "declared_depth": 5},
            {"comment_id": "D", "parent_id": "C", "declared_depth": 7},
            {"comment_id": "E", "parent_id": "A", "declared_depth": 2},
            {"comment_id": "F", "declared_depth": 1},
        ]
    )
    forest = build_forest(raw, raw_articles([{"article_id": "a", "n_announced": 12}]))
    rows = forest.comments.select("comment_id", "parent_id", "seq", "depth", "position", "is_ghost").rows()
    assert rows == [
        ("A", None, 0, 1, 0, False),
        ("B~ghost1", "A", 1, 2, 0, True),
        ("B~ghost2", "B~ghost1", 2, 3, 0, True),
        ("B", "B~ghost2", 3, 4, 0, False),
        ("C", "B", 4, 5, 0, False),
        ("D~ghost1", "C", 5, 6, 0, True),
        ("D", "D~ghost1", 6, 7, 0, False),
        ("E", "A", 7, 2, 1, False),
        ("F", None, 8, 1, 1, False),
    ]
    article = forest.articles.row(0, named=True)
    assert (article["n_announced"], article["n_visible"], article["n_ghost"]) == (12, 6, 3)
    assert _codes(forest) == ["count-mismatch"]
    assert forest.comments.filter(pl.col("is_ghost"))["text"].null_count() == 3


def test_children_follow_source_order_not_timestamps_and_seq_is_preorder() -> None:
    # Source lists a reply before its parent's sibling; pre-order must still nest it.
    raw = raw_comments(
        [
            {"comment_id": "2", "parent_id": None},
            {"comment_id": "1", "parent_id": None},
            {"comment_id": "3", "parent_id": "1"},
            {"comment_id": "4", "parent_id": "2"},
        ]
    )
    forest = build_forest(raw, EMPTY)
    assert forest.comments.select("comment_id", "seq", "position").rows() == [
        ("2", 0, 0), ("4", 1, 0), ("1", 2, 1), ("3", 3, 0)
    ]


def test_broken_references_are_flagged_and_nothing_is_lost() -> None:
    raw = raw_comments(
        [
            {"comment_id": "a", "parent_id": "b"},
            {"comment_id": "b", "parent_id": "a"},
            {"comment_id": "c"},
            {"comment_id": "c", "parent_id": "a"},
            {"comment_id": "d", "parent_id": "d"},
            {"comment_id": "e", "parent_id": "nowhere"},
        ]
    )
    forest = build_forest(raw, EMPTY)
    assert forest.comments.height == 6
    assert _codes(forest) == ["cycle", "duplicate-id", "self-reply", "unknown-parent"]
    by_id = dict(forest.comments.select("comment_id", "parent_id").rows())
    assert by_id["a"] is None  # the cycle is broken at its first member in the source
    assert by_id["b"] == "a"
    assert by_id["c~dup1"] == "a"
    assert by_id["d"] is None and by_id["e"] is None


def test_articles_without_comments_and_articles_named_only_by_comments_are_kept() -> None:
    raw = raw_comments([{"comment_id": "1"}], article_id="only-in-comments")
    forest = build_forest(raw, raw_articles([{"article_id": "empty", "title": "No comments"}]))
    assert forest.articles.select("article_id", "n_visible").rows() == [("empty", 0), ("only-in-comments", 1)]


def test_placeholders_keep_their_place_and_stubs_are_counted() -> None:
    raw = raw_comments(
        [
            {"comment_id": "1", "kind": "deleted"},
            {"comment_id": "2", "parent_id": "1"},
            {"comment_id": "m", "parent_id": "1", "kind": "more", "n_hidden": 7},
        ]
    )
    forest = build_forest(raw, EMPTY)
    article = forest.articles.row(0, named=True)
    assert (article["n_visible"], article["n_deleted"], article["n_more_stubs"], article["n_hidden"]) == (2, 1, 1, 7)
    assert forest.comments.filter(pl.col("comment_id") == "2")["depth"].item() == 2


def test_hundred_thousand_deep_chain() -> None:
    n = 100_000
    raw = raw_comments([{"comment_id": str(i), "parent_id": str(i - 1) if i else None} for i in range(n)])
    forest = build_forest(raw, EMPTY)
    assert forest.comments["depth"].max() == n
    assert forest.comments["seq"].to_list()[:3] == [0, 1, 2]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 25), st.one_of(st.none(), st.integers(0, 30))),
        min_size=0,
        max_size=40,
    )
)
def test_random_parent_tables_never_lose_a_comment(pairs: list[tuple[int, int | None]]) -> None:
    """Cycles, orphans, duplicates and self-replies in any mix: every row survives, once."""
    raw = raw_comments(
        [{"comment_id": str(c), "parent_id": None if p is None else str(p)} for c, p in pairs]
    )
    forest = build_forest(raw, EMPTY)
    comments = forest.comments
    assert comments.height == len(pairs)
    assert comments["comment_id"].is_unique().all()
    assert sorted(comments["seq"].to_list()) == list(range(len(pairs)))
    # Every parent exists and is one level up: the result is a proper forest.
    depth = dict(comments.select("comment_id", "depth").rows())
    for cid, pid in comments.select("comment_id", "parent_id").rows():
        assert depth[cid] == (1 if pid is None else depth[pid] + 1)
