"""Who replied to whom, and how much they disagreed: the participants of a thread or a corpus.

A reply edge goes from a comment's author to its parent's author; its stance toward the
parent says whether it disagreed ("deny").  Pairs are counted per (author, replied-to author)
with the deny share and its Wilson interval (:mod:`analyzer.views.shares`), so "Anna denied
Ben 4 times" is shown with "of 5 replies".  Anonymous comments and replies to oneself are left
out of the pairs (they carry no "who argued with whom").

Across articles, an author name is taken to be one person: true within one site's export
(platform user names or ids), not across sites, which is why the corpus view is by site when
the corpus has several.

Functions take COMMENTS rows (and STANCE rows) of one thread or many; none reads files.
"""

from __future__ import annotations

import math

import polars as pl

from analyzer.views.shares import with_shares

PAIRS = pl.Schema({"author": pl.String, "replied_to": pl.String, "n": pl.UInt32, "n_deny": pl.UInt32,
                   "n_support": pl.UInt32, "n_total": pl.Int64, "share": pl.Float64, "ci_low": pl.Float64,
                   "ci_high": pl.Float64, "too_few": pl.Boolean, "reciprocal": pl.Boolean, "n_back": pl.UInt32})


def reply_edges(comments: pl.DataFrame, stance: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per reply between two named authors: ``article_id``, ``comment_id``, ``author``,
    ``replied_to``, ``stance_parent`` (null without stance), ``created_at``."""
    keys = ["article_id", "comment_id"]
    nodes = comments.filter(~pl.col("is_ghost")).select(*keys, "parent_id", "author", "created_at")
    parents = comments.select("article_id", pl.col("comment_id").alias("parent_id"),
                              pl.col("author").alias("replied_to"))
    edges = nodes.join(parents, on=["article_id", "parent_id"], how="inner")
    edges = edges.filter(pl.col("author").is_not_null() & pl.col("replied_to").is_not_null()
                         & (pl.col("author") != pl.col("replied_to")))
    if stance is not None and not stance.is_empty():
        edges = edges.join(stance.select(*keys, "stance_parent"), on=keys, how="left")
    else:
        edges = edges.with_columns(pl.lit(None, pl.String).alias("stance_parent"))
    return edges.select(*keys, "author", "replied_to", "stance_parent", "created_at")


def reply_pairs(comments: pl.DataFrame, stance: pl.DataFrame | None = None) -> pl.DataFrame:
    """Directed author pairs: replies ``n``, ``n_deny`` with its share of the labelled replies
    (Wilson interval, ``too_few``), and whether the other replied back (``reciprocal``,
    ``n_back``); most replies first."""
    edges = reply_edges(comments, stance)
    if edges.is_empty():
        return pl.DataFrame(schema=PAIRS)
    pairs = edges.group_by("author", "replied_to").agg(
        pl.len().cast(pl.UInt32).alias("n"),
        (pl.col("stance_parent") == "deny").sum().cast(pl.UInt32).alias("n_deny"),
        (pl.col("stance_parent") == "support").sum().cast(pl.UInt32).alias("n_support"),
        pl.col("stance_parent").is_not_null().sum().cast(pl.Int64).alias("n_labelled"),
    )
    back = pairs.select(pl.col("author").alias("replied_to"), pl.col("replied_to").alias("author"),
                        pl.col("n").alias("n_back"))
    pairs = pairs.join(back, on=["author", "replied_to"], how="left").with_columns(
        pl.col("n_back").fill_null(0).cast(pl.UInt32))
    pairs = with_shares(pairs, count="n_deny", total=pl.col("n_labelled"), min_n=5).with_columns(
        (pl.col("n_back") > 0).alias("reciprocal"))
    return pairs.select(list(PAIRS)).sort(["n", "n_deny", "author", "replied_to"],
                                          descending=[True, True, False, False])


def exchanges(pairs: pl.DataFrame) -> pl.DataFrame:
    """Reciprocal pairs once each (``a`` < ``b``): replies both ways and denials both ways."""
    if pairs.is_empty():
        return pl.DataFrame(schema={"a": pl.String, "b": pl.String, "n_a_to_b": pl.UInt32, "n_b_to_a": pl.UInt32,
                                    "n_deny": pl.UInt32, "n": pl.UInt32})
    both = pairs.filter(pl.col("reciprocal"))
    forward = both.filter(pl.col("author") < pl.col("replied_to")).select(
        pl.col("author").alias("a"), pl.col("replied_to").alias("b"), pl.col("n").alias("n_a_to_b"),
        pl.col("n_deny").alias("deny_ab"))
    backward = both.filter(pl.col("author") > pl.col("replied_to")).select(
        pl.col("replied_to").alias("a"), pl.col("author").alias("b"), pl.col("n").alias("n_b_to_a"),
        pl.col("n_deny").alias("deny_ba"))
    return (forward.join(backward, on=["a", "b"], how="inner")
            .with_columns((pl.col("deny_ab") + pl.col("deny_ba")).cast(pl.UInt32).alias("n_deny"),
                          (pl.col("n_a_to_b") + pl.col("n_b_to_a")).cast(pl.UInt32).alias("n"))
            .select("a", "b", "n_a_to_b", "n_b_to_a", "n_deny", "n")
            .sort(["n", "n_deny", "a"], descending=[True, True, False]))


def top_authors(comments: pl.DataFrame, top: int = 10) -> pl.DataFrame:
    """The ``top`` most active named authors: comments ``n`` and their share of all visible
    comments with an interval; anonymous comments count in the total, not as an author."""
    visible = comments.filter(pl.col("kind") == "comment")
    if visible.is_empty():
        return pl.DataFrame(schema={"author": pl.String, "n": pl.UInt32, "n_total": pl.Int64, "share": pl.Float64,
                                    "ci_low": pl.Float64, "ci_high": pl.Float64, "too_few": pl.Boolean})
    counts = (visible.drop_nulls("author").group_by("author").len("n")
              .with_columns(pl.col("n").cast(pl.UInt32)).sort(["n", "author"], descending=[True, False]))
    shares = with_shares(counts, total=pl.lit(visible.height))
    return shares.head(top)


VOTES_RECEIVED = pl.Schema({"author": pl.String, "n": pl.UInt32, "n_voted": pl.UInt32, "votes_up": pl.Int64,
                            "votes_down": pl.Int64, "up_per_comment": pl.Float64})


def votes_received(comments: pl.DataFrame, top: int = 10) -> pl.DataFrame:
    """The ``top`` named authors by the up-votes their comments received: comments ``n``, of
    them with votes ``n_voted``, ``votes_up`` and ``votes_down`` summed (null down-votes when the
    source gives only a net score), and ``up_per_comment`` so that a prolific author is not
    mistaken for a well-received one.  Empty when the source counts no votes."""
    if "votes_up" not in comments.columns:  # frames built before run version 3
        return pl.DataFrame(schema=VOTES_RECEIVED)
    voted = comments.filter((pl.col("kind") == "comment") & pl.col("author").is_not_null())
    if voted.is_empty() or voted["votes_up"].null_count() == voted.height:
        return pl.DataFrame(schema=VOTES_RECEIVED)
    down = pl.col("votes_down")
    table = voted.group_by("author").agg(
        pl.len().cast(pl.UInt32).alias("n"),
        pl.col("votes_up").is_not_null().sum().cast(pl.UInt32).alias("n_voted"),
        pl.col("votes_up").sum().cast(pl.Int64).alias("votes_up"),
        pl.when(down.is_not_null().any()).then(down.sum()).otherwise(None).cast(pl.Int64).alias("votes_down"),
    ).with_columns((pl.col("votes_up") / pl.col("n_voted")).alias("up_per_comment"))
    return table.filter(pl.col("n_voted") > 0).sort(["votes_up", "n", "author"], descending=[True, True, False]).head(
        top).select(list(VOTES_RECEIVED))


def concentration(comments: pl.DataFrame, top: int = 10) -> dict[str, float | int | None]:
    """How concentrated the talk is: named authors, the ``top`` authors' share of comments."""
    visible = comments.filter(pl.col("kind") == "comment")
    named = visible.drop_nulls("author")
    n_authors = named["author"].n_unique() if not named.is_empty() else 0
    top_n = int(top_authors(comments, top)["n"].sum()) if n_authors else 0
    return {"n_comments": visible.height, "n_authors": n_authors, "n_anonymous": visible.height - named.height,
            "top": top, "top_comments": top_n, "top_share": top_n / visible.height if visible.height else None}


def disagreement_chains(comments: pl.DataFrame, stance: pl.DataFrame | None, top: int = 5,
                        min_length: int = 2) -> list[pl.DataFrame]:
    """The ``top`` longest chains of replies that each deny their parent, longest first.

    Like :meth:`analyzer.outputs.notebook.Thread.disagreement_chain` (which gives the longest one), but
    several, and distinct: a chain is reported from its last reply, and only chains that no
    longer chain continues are listed.  Each frame holds the chain's comments in order, the
    comment disagreed with first.  ``comments`` is one thread in pre-order.
    """
    if stance is None or stance.is_empty() or comments.is_empty():
        return []
    rows = comments.select("comment_id", "parent_id", "seq", "depth", "author", "created_at", "text", "kind").join(
        stance.select("comment_id", "stance_parent"), on="comment_id", how="left", maintain_order="left")
    ids = rows["comment_id"].to_list()
    parents = rows["parent_id"].to_list()
    labels = rows["stance_parent"].to_list()
    index = {c: i for i, c in enumerate(ids)}
    run = [0] * len(ids)
    continued = [False] * len(ids)
    for i, parent in enumerate(parents):  # pre-order: a parent's run is known before its replies
        j = index.get(parent) if parent is not None else None
        if j is not None and labels[i] == "deny":
            run[i] = run[j] + 1
            continued[j] = True
    ends = sorted((i for i in range(len(ids)) if run[i] >= min_length - 1 and run[i] > 0 and not continued[i]),
                  key=lambda i: (-run[i], i))[:top]
    chains = []
    for end in ends:
        members = [end]
        node = end
        for _ in range(run[end]):
            node = index[str(parents[node])]  # run > 0 implies a parent
            members.append(node)
        chains.append(rows[sorted(members)])
    return chains


def network_layout(pairs: pl.DataFrame, *, top: int = 40) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Nodes and edges of the author reply network, the ``top`` most connected authors.

    Nodes are placed on a circle by total replies (largest at the top, clockwise): a fixed,
    deterministic layout that needs no graph library and keeps the same author in the same
    place between reloads.  Returns ``(nodes, edges)``: nodes ``author``, ``x``, ``y``,
    ``n_replies``; edges the rows of ``pairs`` between drawn authors.
    """
    if pairs.is_empty():
        return (pl.DataFrame(schema={"author": pl.String, "x": pl.Float64, "y": pl.Float64, "n_replies": pl.UInt32}),
                pairs)
    degree = pl.concat([pairs.select(pl.col("author"), "n"), pairs.select(pl.col("replied_to").alias("author"), "n")])
    ranked = (degree.group_by("author").agg(pl.col("n").sum().cast(pl.UInt32).alias("n_replies"))
              .sort(["n_replies", "author"], descending=[True, False]).head(top))
    k = ranked.height
    angles = [math.pi / 2 - 2 * math.pi * i / max(k, 1) for i in range(k)]
    nodes = ranked.with_columns(pl.Series("x", [math.cos(a) for a in angles]),
                                pl.Series("y", [math.sin(a) for a in angles]))
    drawn = nodes["author"].implode()
    edges = pairs.filter(pl.col("author").is_in(drawn) & pl.col("replied_to").is_in(drawn))
    return nodes.select("author", "x", "y", "n_replies"), edges
