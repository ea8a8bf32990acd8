"""The reply tree as drawable nodes: colours, sizes, hover text, and a cap for huge threads.

Huge threads are aggregated, not dropped: the drawn nodes are the ``limit`` largest subtrees
(ties in document order).  A child's subtree is always smaller than its parent's, so this set
contains every drawn node's ancestors, and with ``branchvalues="total"`` each parent box keeps
the space of the replies that are not drawn.  The page says how many were folded.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from analyzer.outputs.figures import GHOST_COLOUR, STANCE_COLOURS, UNKNOWN_COLOUR, plot_text

# Nodes drawn at most.  Plotly's icicle stays interactive (hover, click, < 150 ms redraw in
# headless Chromium on 2 cores) up to about this size; beyond it the JSON alone passes 1 MB.
MAX_TREE_NODES = 1_500
PLACEHOLDER_COLOUR = "#eeeeee"  # deleted / removed comments and "load more" stubs
ColourBy = Literal["parent", "article"]


def subtree_sizes(comment_ids: list[str], parent_ids: list[str | None]) -> list[int]:
    """Nodes in each node's subtree, itself included, for nodes given in pre-order.

    Iterative (threads can be thousands deep): children come after parents in pre-order, so
    one backward pass adds every node's size to its parent.
    """
    position = {c: i for i, c in enumerate(comment_ids)}
    sizes = [1] * len(comment_ids)
    for i in range(len(comment_ids) - 1, -1, -1):
        parent = parent_ids[i]
        j = position.get(parent) if parent is not None else None
        if j is not None and j < i:
            sizes[j] += sizes[i]
    return sizes


def tree_nodes(
    comments: pl.DataFrame,
    stance: pl.DataFrame | None,
    *,
    colour_by: ColourBy = "article",
    limit: int = MAX_TREE_NODES,
) -> tuple[pl.DataFrame, int]:
    """Nodes for :func:`analyzer.outputs.figures.thread_icicle` and the number folded into parents.

    Args:
        comments: the thread's COMMENTS rows in pre-order.
        stance: its STANCE rows, or None when the stage did not run.
        colour_by: colour by stance toward the parent or toward the article.
        limit: most nodes drawn.
    """
    if comments.is_empty():
        return pl.DataFrame(schema={"comment_id": pl.String, "parent_id": pl.String, "value": pl.Int64,
                                    "colour": pl.String, "is_ghost": pl.Boolean, "hover": pl.String}), 0
    ids = comments["comment_id"].to_list()
    parents = comments["parent_id"].to_list()
    nodes = comments.select("comment_id", "parent_id", "seq", "depth", "kind", "is_ghost", "author", "text").with_columns(
        pl.Series("value", subtree_sizes(ids, parents), dtype=pl.Int64))
    column = "stance_parent" if colour_by == "parent" else "stance_article"
    if stance is not None:
        nodes = nodes.join(stance.select("comment_id", pl.col(column).alias("label")), on="comment_id", how="left")
    else:
        nodes = nodes.with_columns(pl.lit(None, dtype=pl.String).alias("label"))
    n_folded = 0
    if nodes.height > limit:
        kept = nodes.sort(["value", "seq"], descending=[True, False]).head(limit)["comment_id"]
        n_folded = nodes.height - limit
        nodes = nodes.filter(pl.col("comment_id").is_in(kept.implode()))
    colours = []
    hovers = []
    for kind, ghost, label, depth, author, text, value in nodes.select(
            "kind", "is_ghost", "label", "depth", "author", "text", "value").iter_rows():
        if ghost:
            colours.append(GHOST_COLOUR)
            hovers.append(f"ghost at depth {depth}: a comment missing from the capture<br>{value - 1} replies below")
            continue
        if kind != "comment":
            colours.append(PLACEHOLDER_COLOUR)
        else:
            colours.append(STANCE_COLOURS.get(label or "", UNKNOWN_COLOUR))
        who = plot_text(author, 40) or "anonymous"
        stance_text = f"<br>stance toward {colour_by}: {label}" if label else ""
        hovers.append(f"{who} · depth {depth} · {value - 1} replies below{stance_text}<br>"
                      f"{plot_text(text, 140) or '(' + kind + ')'}")
    nodes = nodes.with_columns(pl.Series("colour", colours, dtype=pl.String), pl.Series("hover", hovers, dtype=pl.String))
    return nodes.select("comment_id", "parent_id", "value", "colour", "is_ghost", "hover"), n_folded
