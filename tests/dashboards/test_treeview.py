"""Drawable tree nodes: subtree sizes, colours, and folding of huge threads."""

from __future__ import annotations

import polars as pl

from analyzer.core import schemas
from analyzer.outputs.figures import GHOST_COLOUR, STANCE_COLOURS, UNKNOWN_COLOUR
from dashboards.treeview import subtree_sizes, tree_nodes


def _comments(rows: list[tuple[str, str | None, int, str]]) -> pl.DataFrame:
    frame = pl.DataFrame([
        {"article_id": "a", "comment_id": c, "parent_id": p, "seq": i, "depth": d, "kind": k,
         "is_ghost": k == "ghost", "text": None if k == "ghost" else f"text <b>{c}</b>"}
        for i, (c, p, d, k) in enumerate([(c, p, d, k) for c, p, d, k in rows])
    ])
    return schemas.conform(frame, schemas.COMMENTS)


def test_subtree_sizes_in_pre_order() -> None:
    assert subtree_sizes(["a", "b", "c", "d"], [None, "a", "b", None]) == [3, 2, 1, 1]
    assert subtree_sizes([], []) == []


def test_a_deep_chain_does_not_recurse() -> None:
    n = 50_000
    ids = [f"c{i}" for i in range(n)]
    sizes = subtree_sizes(ids, [None, *ids[:-1]])
    assert sizes[0] == n and sizes[-1] == 1


def test_colours_follow_the_chosen_stance() -> None:
    comments = _comments([("c1", None, 1, "comment"), ("g", "c1", 2, "ghost"), ("c2", "g", 3, "comment"),
                          ("c3", None, 1, "deleted")])
    stance = pl.DataFrame({"comment_id": ["c1", "c2"], "stance_parent": ["deny", "query"],
                           "stance_article": ["support", "support"]})
    nodes, folded = tree_nodes(comments, stance, colour_by="parent")
    assert folded == 0
    colours = dict(zip(nodes["comment_id"], nodes["colour"], strict=True))
    assert colours["c1"] == STANCE_COLOURS["deny"] and colours["c2"] == STANCE_COLOURS["query"]
    assert colours["g"] == GHOST_COLOUR
    assert nodes.filter(pl.col("comment_id") == "c1")["value"].item() == 3
    assert "&lt;b&gt;c1" in nodes.filter(pl.col("comment_id") == "c1")["hover"].item()
    by_article, _ = tree_nodes(comments, stance, colour_by="article")
    assert by_article.filter(pl.col("comment_id") == "c2")["colour"].item() == STANCE_COLOURS["support"]
    unlabelled, _ = tree_nodes(comments, None)
    assert unlabelled.filter(pl.col("comment_id") == "c1")["colour"].item() == UNKNOWN_COLOUR


def test_huge_threads_keep_the_largest_branches_with_their_ancestors() -> None:
    rows: list[tuple[str, str | None, int, str]] = []
    for t in range(100):  # 100 top-level comments, each with a chain of t replies
        parent = None
        for depth in range(1, t + 2):
            cid = f"t{t}-{depth}"
            rows.append((cid, parent, depth, "comment"))
            parent = cid
    comments = _comments(rows)
    nodes, folded = tree_nodes(comments, None, limit=300)
    assert nodes.height == 300 and folded == comments.height - 300
    kept = set(nodes["comment_id"])
    for parent in nodes["parent_id"].drop_nulls():
        assert parent in kept  # every drawn node's parent is drawn
    assert "t99-1" in kept  # the biggest branch is there
