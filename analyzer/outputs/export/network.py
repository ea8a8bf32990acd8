"""The author network for Gephi and other graph tools: GraphML and GEXF through networkx.

One directed multigraph: a node per author (attributes from ``authors.parquet``), a
``reply`` edge replier -> replied-to per ``author_edges.parquet`` row (weight = replies, with the
stance mix and reciprocity), and a ``colink`` edge author_a -> author_b per ``colinks.parquet``
row (weight = co-shared URLs; a co-link is symmetric, the direction only follows the order of
the names).  Gephi filters on the ``kind`` edge attribute.  Without the coordination stage's
frames the graph is built from the comments (replies counted, no stance, no co-links).
Null attributes are left out (GraphML and GEXF have no null); timestamps are ISO 8601 text.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core.run import Run


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value is None:
            continue
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, list):
            value = " | ".join(str(v) for v in value)
        out[key] = value
    return out


def author_graph(run: Run) -> Any:
    """The author network of a run as a ``networkx.MultiDiGraph``."""
    import networkx as nx  # BSD-3-Clause

    graph = nx.MultiDiGraph(name=f"authors of {run.path.name}")
    if run.has("authors.parquet"):
        authors = run.frame("authors")
        edges = run.frame("author_edges")
    else:
        from analyzer.stages.coordination.authors import author_tables

        authors, edges = author_tables(run.comments, run.articles, None, None)
    for row in authors.iter_rows(named=True):
        graph.add_node(row["author"], **_clean({k: v for k, v in row.items() if k != "author"}), label=row["author"])
    for row in edges.iter_rows(named=True):
        attrs = _clean({k: v for k, v in row.items() if k not in ("replier", "replied_to")})
        graph.add_edge(row["replier"], row["replied_to"], kind="reply", weight=row["n_replies"], **attrs)
    if run.has("colinks.parquet"):
        for row in run.frame("colinks").iter_rows(named=True):
            attrs = _clean({k: v for k, v in row.items() if k not in ("author_a", "author_b")})
            graph.add_edge(row["author_a"], row["author_b"], kind="colink", weight=row["n_shared"], **attrs)
    return graph


def write_graph(run: Run, out: Path, fmt: str) -> list[Path]:
    """Write the author network as GraphML (``fmt = "graphml"``) or GEXF 1.2 (``"gexf"``)."""
    import networkx as nx

    graph = author_graph(run)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(graph, out)
    else:
        nx.write_gexf(graph, out)
    return [out]


def reply_counts(comments: pl.DataFrame) -> pl.DataFrame:
    """Replier -> replied-to counts straight from comments (used by tests as an independent check)."""
    parents = comments.select("article_id", parent_id="comment_id", parent_author="author")
    return (
        comments.filter(pl.col("kind") == "comment")
        .join(parents, on=["article_id", "parent_id"], how="inner")
        .filter(pl.col("author").is_not_null() & pl.col("parent_author").is_not_null()
                & (pl.col("author") != pl.col("parent_author")))
        .group_by(replier="author", replied_to="parent_author")
        .agg(n=pl.len())
    )
