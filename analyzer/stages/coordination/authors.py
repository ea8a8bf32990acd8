"""Who writes, who answers whom, and who is answered with disagreement, across the whole run.

Per-thread participation is in the structure stage; analysts of comment sections ask the same
questions across threads and sites (who dominates the corpus, who is denied most often), so
this module aggregates over every thread at once with polars group-bys.

Definitions (visible comments, ``kind = "comment"``, with a known author):

* a **reply** is a comment whose parent is another comment; its *replied-to* author is the
  parent's author (a ghost or anonymous parent gives none);
* **replies received** counts replies by others (self-replies are left out; anonymous
  repliers count as others);
* **deny given / received** uses ``stance_parent = deny`` of replies (toward a comment, not the
  article); null when the stance stage did not run;
* ``author_edges`` leave self-replies out; ``n_reverse`` is the count of the opposite edge, and
  an edge is **reciprocal** when the other author answered back at least once (Aragón et al.,
  ICWSM 2017, measure reciprocity the same way inside threads).

Corpus metrics: the Gini coefficient of comments per author (0 = everyone writes as much) and
the share of comments written by the most active 1 % of authors (at least one author).
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from analyzer.core import schemas

_U32 = pl.UInt32
_STANCES = ("support", "deny", "query", "comment")


def _replies(comments: pl.DataFrame, stance: pl.DataFrame | None) -> pl.DataFrame:
    """Visible comments with the parent's author and (if any) stance toward the parent."""
    visible = comments.filter(pl.col("kind") == "comment").select(
        "article_id", "comment_id", "parent_id", "author", "created_at"
    )
    parents = comments.select("article_id", parent_id="comment_id", parent_author="author")
    out = visible.join(parents, on=["article_id", "parent_id"], how="left")
    if stance is not None:
        out = out.join(stance.select("article_id", "comment_id", "stance_parent"), on=["article_id", "comment_id"], how="left")
    else:
        out = out.with_columns(stance_parent=pl.lit(None, dtype=pl.String))
    return out


def author_tables(
    comments: pl.DataFrame,
    articles: pl.DataFrame,
    stance: pl.DataFrame | None,
    links: pl.DataFrame | None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``authors.parquet`` and ``author_edges.parquet`` frames (see the module docstring)."""
    rows = _replies(comments, stance).join(articles.select("article_id", "site"), on="article_id", how="left")
    has_stance = stance is not None
    is_reply = pl.col("parent_id").is_not_null()
    is_deny = pl.col("stance_parent") == "deny"
    by_author = rows.filter(pl.col("author").is_not_null())
    own = by_author.group_by("author").agg(
        n_comments=pl.len(),
        n_threads=pl.col("article_id").n_unique(),
        n_sites=pl.col("site").drop_nulls().n_unique(),
        n_replies_given=is_reply.sum(),
        n_deny_given=(is_reply & is_deny).sum(),
        first_seen=pl.col("created_at").min(),
        last_seen=pl.col("created_at").max(),
    )
    received = (
        rows.filter(pl.col("parent_author").is_not_null() & (pl.col("author").is_null() | (pl.col("author") != pl.col("parent_author"))))
        .group_by(author="parent_author")
        .agg(n_replies_received=pl.len(), n_deny_received=is_deny.sum())
    )
    authors = own.join(received, on="author", how="left").with_columns(
        pl.col("n_replies_received").fill_null(0),
        pl.col("n_deny_received").fill_null(0),
    )
    if links is not None:
        per_comment = links.filter(pl.col("comment_id").is_not_null()).group_by("article_id", "comment_id").agg(n=pl.len())
        n_links = by_author.join(per_comment, on=["article_id", "comment_id"], how="inner").group_by("author").agg(
            n_links=pl.col("n").sum()
        )
        authors = authors.join(n_links, on="author", how="left").with_columns(pl.col("n_links").fill_null(0))
    else:
        authors = authors.with_columns(n_links=pl.lit(None, dtype=_U32))
    if not has_stance:
        authors = authors.with_columns(n_deny_given=pl.lit(None, dtype=_U32), n_deny_received=pl.lit(None, dtype=_U32))
    authors = authors.sort(["n_comments", "author"], descending=[True, False])
    authors = schemas.conform(authors, schemas.AUTHORS)

    edges = (
        rows.filter(
            pl.col("author").is_not_null() & pl.col("parent_author").is_not_null() & (pl.col("author") != pl.col("parent_author"))
        )
        .group_by(replier="author", replied_to="parent_author")
        .agg(n_replies=pl.len(), **{f"n_{s}": (pl.col("stance_parent") == s).sum() for s in _STANCES})
    )
    reverse = edges.select(replier="replied_to", replied_to="replier", n_reverse="n_replies")
    edges = (
        edges.join(reverse, on=["replier", "replied_to"], how="left")
        .with_columns(pl.col("n_reverse").fill_null(0))
        .with_columns(reciprocal=pl.col("n_reverse") > 0)
        .sort(["n_replies", "replier", "replied_to"], descending=[True, False, False])
    )
    if not has_stance:
        edges = edges.with_columns(*(pl.lit(None, dtype=_U32).alias(f"n_{s}") for s in _STANCES))
    return authors, schemas.conform(edges, schemas.AUTHOR_EDGES)


def gini(counts: np.ndarray) -> float | None:
    """Gini coefficient of non-negative counts (vectorised; same formula as structure.gini)."""
    values = np.sort(counts.astype(np.float64))
    n = len(values)
    total = float(values.sum())
    if n == 0 or total == 0:
        return None
    weighted = float((np.arange(1, n + 1) * values).sum())
    return 2.0 * weighted / (n * total) - (n + 1) / n


def top_share(counts: np.ndarray, fraction: float = 0.01) -> float | None:
    """Share of all comments written by the top ``fraction`` of authors (at least one author)."""
    if len(counts) == 0 or counts.sum() == 0:
        return None
    k = max(1, math.ceil(fraction * len(counts)))
    top = np.sort(counts)[::-1][:k]
    return float(top.sum() / counts.sum())


def participation(authors: pl.DataFrame, edges: pl.DataFrame, comments: pl.DataFrame) -> dict[str, float | None]:
    """Corpus-wide participation figures (metric name -> value)."""
    counts = authors.get_column("n_comments").to_numpy()
    visible = comments.filter(pl.col("kind") == "comment")
    n_visible = visible.height
    n_anonymous = int(visible.get_column("author").is_null().sum())
    reciprocal = int(edges.get_column("reciprocal").sum()) / edges.height if edges.height else None
    return {
        "n_authors": float(len(counts)),
        "author_gini": gini(counts),
        "top1pct_author_share": top_share(counts, 0.01),
        "anonymous_share": n_anonymous / n_visible if n_visible else None,
        "reciprocal_edge_share": reciprocal,
    }
