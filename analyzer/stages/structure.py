"""Structure metrics of reply trees (methods.md sections 1-2).

Two layers:

* Scalar reference definitions (``wiener_index``, ``structural_virality``, ``h_index``,
  ``gini``, ``burstiness`` ...): small pure functions on one thread, each with its
  definition and reference.  They are the readable source of truth and what notebooks call.
* :func:`compute_structure`: the same metrics for every thread of a run at once, vectorised
  with polars group-bys over the forest's arrays.  Tests check it against the scalar ones.

Scopes in the long metrics frame: ``thread`` (the real topology: ghost nodes included),
``thread_visible`` (ghosts removed, replies attached to their nearest visible ancestor),
``level`` / ``level_visible`` (one row per depth k: ``subject_id`` = k) and ``comment``.
Platform "more" stubs are not nodes of either tree; they are counted separately.
The article is the root (depth 0) and counts as a node in ``n_nodes``, the Wiener index
and structural virality, as in methods.md section 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

import analyzer.tree.arrays as treearrays
from analyzer.core import schemas
from analyzer.stages.context import StageContext, StageResult
from analyzer.stages.metric_registry import MetricInfo, lookup
from analyzer.tree.forest import Forest

_T = ("thread", "thread_visible")
_TT = ("thread",)
_REGISTRY: tuple[MetricInfo, ...] = (
    MetricInfo("n_nodes", _T, "nodes in the tree, the article (root) included"),
    MetricInfo("n_comments", _T, "comment nodes in the tree (ghosts included in scope thread)"),
    MetricInfo("max_depth", _T, "max over nodes of depth d(v); top level = 1", "higher = deeper discussion"),
    MetricInfo("mean_depth", _T, "mean depth over comment nodes"),
    MetricInfo("mean_leaf_depth", _T, "mean depth over leaves (nodes without replies)"),
    MetricInfo("n_leaves", _T, "comment nodes without replies"),
    MetricInfo("max_breadth", _T, "max_k L_k, the largest number of nodes on one level"),
    MetricInfo("top_level_share", _T, "L_1 / N: share of nodes that reply to the article"),
    MetricInfo("reply_share", _T, "share of nodes at depth >= 2"),
    MetricInfo("h_index", _T, "max{k : L_k >= k}", "higher = broad and deep", "Gómez, Kaltenbrunner, López, WWW 2008"),
    MetricInfo("wiener_index", _T, "sum over edges e of s_e (n - s_e); s_e = nodes below e, n = nodes incl. root"),
    MetricInfo(
        "structural_virality", _T, "2W / (n (n - 1)): mean distance between node pairs; star -> 2, chain = (n + 1) / 3",
        "higher = more viral (chain-like) spread", "Goel, Anderson, Hofman, Watts, Management Science 2016",
    ),
    MetricInfo("branching_factor", _T, "mean number of replies over nodes that have replies, the article included"),
    MetricInfo("branching_factor_excl_root", _T, "mean number of replies over comment nodes that have replies"),
    MetricInfo("n_announced", _TT, "comment count the page announces (\"12 Antworten\")"),
    MetricInfo("n_visible", _TT, "comments present in the input, deleted placeholders included"),
    MetricInfo("n_ghost", _TT, "ghost nodes inserted for depth gaps: a lower bound of comments missing in visible branches"),
    MetricInfo("visibility", _TT, "n_visible / n_announced"),
    MetricInfo("n_missing_elsewhere", _TT, "n_announced - n_visible - n_ghost: missing outside visible branches"),
    MetricInfo("n_deleted", _TT, "deleted or removed placeholders"),
    MetricInfo("n_more_stubs", _TT, "platform 'load more' stubs"),
    MetricInfo("n_hidden_in_stubs", _TT, "replies the 'load more' stubs stand for"),
    MetricInfo(
        "reciprocal_replies", _TT, "comments v whose grandparent has v's author and whose parent has another (A -> B -> A)",
        "", "Aragón et al., ICWSM 2017",
    ),
    MetricInfo("reciprocity_share", _TT, "reciprocal_replies / comments at depth >= 3 whose three authors are known"),
    MetricInfo("n_latency", _TT, "replies with a known, non-negative latency τ = t(v) - t(parent)"),
    MetricInfo("reply_latency_median_s", _TT, "median of τ in seconds", "", "Kaltenbrunner et al. 2007"),
    MetricInfo("reply_latency_log_mu", _TT, "mean of ln τ (τ > 0, seconds): log-normal fit, location"),
    MetricInfo("reply_latency_log_sigma", _TT, "standard deviation of ln τ: log-normal fit, scale"),
    MetricInfo("t50_s", _TT, "seconds from the article (else the first comment) until half the comments exist"),
    MetricInfo("burstiness", _TT, "(σ - μ) / (σ + μ) of gaps between consecutive comments; -1 regular, 0 Poisson, 1 bursty"),
    MetricInfo("n_authors", _TT, "distinct authors among visible comments"),
    MetricInfo("comments_per_author", _TT, "visible comments with an author / n_authors"),
    MetricInfo("author_gini", _TT, "Gini coefficient of comments per author; 0 = equal participation"),
    MetricInfo("users_h_index", _TT, "max h such that h authors wrote at least h comments each"),
    MetricInfo("level_size", ("level", "level_visible"), "L_k: nodes at depth k (subject_id = k)"),
    MetricInfo("depth", ("comment",), "depth of the comment, ghosts counted; top level = 1"),
    MetricInfo("depth_visible", ("comment",), "depth counting visible ancestors only"),
    MetricInfo("n_children", ("comment",), "direct replies (ghosts counted)"),
    MetricInfo("subtree_size", ("comment",), "nodes in the comment's subtree, itself and ghosts included"),
    MetricInfo("position", ("comment",), "0-based position among its siblings in source order"),
)
METRICS: dict[str, MetricInfo] = {m.name: m for m in _REGISTRY}


def describe(name: str) -> MetricInfo:
    """Look a structure metric up by name, with a suggestion for near misses."""
    return lookup(METRICS, name)


# --- Scalar reference definitions ---------------------------------------------------------


def wiener_index(subtree_sizes: Sequence[int], n_nodes: int) -> int:
    """Wiener index of a tree: sum over edges of s_e (n - s_e).

    Args:
        subtree_sizes: size of the subtree below every edge (one per non-root node).
        n_nodes: nodes in the tree, root included.

    References:
        Goel, Anderson, Hofman, Watts (2016), The structural virality of online diffusion.
    """
    return sum(s * (n_nodes - s) for s in subtree_sizes)


def structural_virality(wiener: float, n_nodes: int) -> float | None:
    """Mean shortest-path distance over node pairs: 2W / (n (n - 1)); None for n < 2."""
    if n_nodes < 2:
        return None
    return 2.0 * wiener / (n_nodes * (n_nodes - 1))


def h_index(level_sizes: Sequence[int]) -> int:
    """Thread h-index: the largest k with L_k >= k (level_sizes[0] is L_1).

    References:
        Gómez, Kaltenbrunner, López (2008), Statistical analysis of the social network and
        discussion threads in Slashdot, WWW.
    """
    return max((k for k, size in enumerate(level_sizes, start=1) if size >= k), default=0)


def gini(counts: Sequence[int]) -> float | None:
    """Gini coefficient of non-negative counts; None when empty or all zero."""
    values = sorted(counts)
    n = len(values)
    total = sum(values)
    if n == 0 or total == 0:
        return None
    weighted = sum(i * v for i, v in enumerate(values, start=1))
    return 2.0 * weighted / (n * total) - (n + 1) / n


def users_h_index(counts: Sequence[int]) -> int:
    """Largest h such that h authors each wrote at least h comments."""
    ranked = sorted(counts, reverse=True)
    return sum(1 for i, c in enumerate(ranked, start=1) if c >= i)


def burstiness(gaps: Sequence[float]) -> float | None:
    """(σ - μ) / (σ + μ) of inter-event gaps (population σ); None with < 2 gaps or σ + μ = 0.

    References:
        Goh, Barabási (2008), Burstiness and memory in complex systems, EPL.
    """
    if len(gaps) < 2:
        return None
    mu = sum(gaps) / len(gaps)
    sigma = math.sqrt(sum((g - mu) ** 2 for g in gaps) / len(gaps))
    if sigma + mu == 0:
        return None
    return (sigma - mu) / (sigma + mu)


# --- Vectorised computation over a whole run ----------------------------------------------


@dataclass(slots=True)
class _ScopeArrays:
    keep: np.ndarray  # rows of the forest that are nodes of this scope
    article: np.ndarray
    parent: np.ndarray  # in compacted indices
    depth: np.ndarray
    size: np.ndarray
    n_children: np.ndarray


def _scope(forest: Forest, keep: np.ndarray) -> _ScopeArrays:
    rows = np.flatnonzero(keep)
    contracted = treearrays.nearest_kept_ancestor(forest.parent_index, keep)[rows]
    new_index = np.full(keep.shape[0], -1, dtype=np.int64)
    new_index[rows] = np.arange(rows.shape[0], dtype=np.int64)
    parent = np.where(contracted >= 0, new_index[np.maximum(contracted, 0)], -1)
    depth, _ = treearrays.depths(parent)
    size = treearrays.subtree_sizes(parent, depth)
    return _ScopeArrays(
        keep=keep,
        article=forest.article_index[rows],
        parent=parent,
        depth=depth,
        size=size,
        n_children=treearrays.child_counts(parent),
    )


def _long(wide: pl.DataFrame, scope: str, article_ids: pl.Series) -> pl.DataFrame:
    """Turn a wide per-article frame (column ``a`` + metric columns) into long METRICS rows."""
    value_columns = [c for c in wide.columns if c != "a"]
    if not value_columns:
        return schemas.empty(schemas.METRICS)
    ids = article_ids.gather(wide.get_column("a"))
    return (
        wide.with_columns(article_id=ids, subject_id=ids)
        .drop("a")
        .unpivot(index=["article_id", "subject_id"], variable_name="metric", value_name="value")
        .with_columns(scope=pl.lit(scope), value=pl.col("value").cast(pl.Float64))
        .select(schemas.METRICS.names())
    )


def _tree_metrics(arrays: _ScopeArrays, n_articles: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    nodes = pl.DataFrame(
        {"a": arrays.article, "depth": arrays.depth, "size": arrays.size, "nchild": arrays.n_children}
    )
    all_articles = pl.DataFrame({"a": np.arange(n_articles, dtype=np.int64)})
    levels = nodes.group_by("a", "depth").agg(L=pl.len().cast(pl.Int64)).sort("a", "depth")
    per_level = levels.group_by("a").agg(
        max_breadth=pl.col("L").max(),
        L1=pl.col("L").filter(pl.col("depth") == 1).sum(),
        h_index=pl.col("depth").filter(pl.col("L") >= pl.col("depth")).max().fill_null(0),
    )
    per_node = nodes.group_by("a").agg(
        N=pl.len().cast(pl.Int64),
        max_depth=pl.col("depth").max(),
        mean_depth=pl.col("depth").mean(),
        mean_leaf_depth=pl.col("depth").filter(pl.col("nchild") == 0).mean(),
        n_leaves=(pl.col("nchild") == 0).sum(),
        n_parents=(pl.col("nchild") > 0).sum(),
        reply_share=(pl.col("depth") >= 2).mean(),
        sum_s=pl.col("size").sum(),
        sum_s2=(pl.col("size") * pl.col("size")).sum(),
    )
    wide = (
        all_articles.join(per_node, on="a", how="left")
        .join(per_level, on="a", how="left")
        .with_columns(pl.col("N", "L1", "sum_s", "sum_s2", "n_leaves", "n_parents").fill_null(0))
        .with_columns(n_nodes=pl.col("N") + 1)
        .with_columns(
            wiener_index=pl.col("n_nodes") * pl.col("sum_s") - pl.col("sum_s2"),
        )
        .with_columns(
            structural_virality=pl.when(pl.col("n_nodes") >= 2).then(
                2.0 * pl.col("wiener_index") / (pl.col("n_nodes") * (pl.col("n_nodes") - 1))
            ),
            top_level_share=pl.when(pl.col("N") > 0).then(pl.col("L1") / pl.col("N")),
            branching_factor=pl.when(pl.col("N") > 0).then(
                pl.col("N") / (pl.col("n_parents") + (pl.col("L1") > 0).cast(pl.Int64))
            ),
            branching_factor_excl_root=pl.when(pl.col("n_parents") > 0).then(
                (pl.col("N") - pl.col("L1")) / pl.col("n_parents")
            ),
            max_depth=pl.col("max_depth").fill_null(0),
            h_index=pl.col("h_index").fill_null(0),
            max_breadth=pl.col("max_breadth").fill_null(0),
        )
        .select(
            "a",
            "n_nodes",
            pl.col("N").alias("n_comments"),
            "max_depth",
            "mean_depth",
            "mean_leaf_depth",
            "n_leaves",
            "max_breadth",
            "top_level_share",
            "reply_share",
            "h_index",
            "wiener_index",
            "structural_virality",
            "branching_factor",
            "branching_factor_excl_root",
        )
    )
    return wide, levels


def _coverage_metrics(articles: pl.DataFrame) -> pl.DataFrame:
    return articles.with_row_index("a").select(
        pl.col("a").cast(pl.Int64),
        "n_announced",
        "n_visible",
        "n_ghost",
        visibility=pl.when(pl.col("n_announced") > 0).then(pl.col("n_visible") / pl.col("n_announced")),
        n_missing_elsewhere=pl.col("n_announced") - pl.col("n_visible") - pl.col("n_ghost"),
        n_deleted=pl.col("n_deleted"),
        n_more_stubs=pl.col("n_more_stubs"),
        n_hidden_in_stubs=pl.col("n_hidden"),
    )


def _social_metrics(forest: Forest, visible: np.ndarray) -> pl.DataFrame:
    """Reciprocity, reply latency and participation (need authors or timestamps).

    Works on integer author codes and integer microseconds: gathering strings and
    datetimes for a million comments would cost more than all tree metrics together.
    """
    comments = forest.comments
    n_articles = forest.articles.height
    parent = forest.parent_index
    has_parent = parent >= 0
    p = np.maximum(parent, 0)
    grand = np.where(has_parent, parent[p], -1)
    g = np.maximum(grand, 0)
    # Authors are compared by 64-bit hash: equal names hash equal, and a collision between two
    # different names in one thread is vanishingly unlikely (p ~ n^2 / 2^64).
    author_col = comments.get_column("author")
    author_known = author_col.is_not_null().to_numpy()
    author = author_col.hash().to_numpy()
    t_col = comments.get_column("created_at").dt.epoch("us")
    t_known = t_col.is_not_null().to_numpy()
    t = t_col.fill_null(0).to_numpy()
    published = forest.articles.get_column("published_at").dt.epoch("us")
    art = forest.article_index
    pub_known = published.is_not_null().to_numpy()[art] if n_articles else np.zeros(0, dtype=bool)
    pub = published.fill_null(0).to_numpy()[art] if n_articles else np.zeros(0, dtype=np.int64)

    # Reciprocity A -> B -> A: parent and grandparent visible comments, all authors known.
    triad = visible & has_parent & visible[p] & (grand >= 0) & visible[g]
    triad &= author_known & author_known[p] & author_known[g]
    reciprocal = triad & (author == author[g]) & (author != author[p])

    # Reply latency: to the parent comment, or to the article for top-level comments.
    reply_known = np.where(has_parent, visible[p] & t_known[p], pub_known)
    reply_time = np.where(has_parent, t[p], pub)
    latency_ok = visible & t_known & reply_known
    tau = (t - reply_time) / 1e6
    latency_ok &= tau >= 0
    nodes = pl.DataFrame(
        {
            "a": art,
            "triad": triad,
            "reciprocal": reciprocal,
            "tau": np.where(latency_ok, tau, np.nan),
        }
    ).with_columns(pl.col("tau").fill_nan(None))
    positive_log = pl.col("tau").filter(pl.col("tau") > 0).log()
    per_node = nodes.group_by("a").agg(
        reciprocal_replies=pl.col("reciprocal").sum(),
        n_triads=pl.col("triad").sum(),
        n_latency=pl.col("tau").count(),
        reply_latency_median_s=pl.col("tau").median(),
        reply_latency_log_mu=positive_log.mean(),
        reply_latency_log_sigma=positive_log.std(ddof=0),
    ).with_columns(
        reciprocity_share=pl.when(pl.col("n_triads") > 0).then(pl.col("reciprocal_replies") / pl.col("n_triads"))
    ).drop("n_triads")

    # Timeline: comments sorted by time within each article.
    timed = np.flatnonzero(visible & t_known)
    order = (
        pl.DataFrame({"row": timed, "a": art[timed], "t": t[timed]}).sort("a", "t").get_column("row").to_numpy()
    )
    ta, tt = art[order], t[order]
    same = np.zeros(order.shape[0], dtype=bool)
    same[1:] = ta[1:] == ta[:-1]
    gap = np.where(same, np.diff(tt, prepend=0) / 1e6, np.nan)
    timeline = (
        pl.DataFrame({"a": ta, "t": tt, "gap": gap, "t0": np.where(pub_known[order], pub[order], tt)})
        .with_columns(pl.col("gap").fill_nan(None))
        .group_by("a", maintain_order=True)
        .agg(
            t0=pl.col("t0").first(),
            t_half=pl.col("t").get((pl.len() - 1) // 2),
            mu=pl.col("gap").mean(),
            sigma=pl.col("gap").std(ddof=0),
            n_gaps=pl.col("gap").count(),
        )
        .with_columns(
            t50_s=(pl.col("t_half") - pl.col("t0")) / 1e6,
            burstiness=pl.when((pl.col("n_gaps") >= 2) & ((pl.col("sigma") + pl.col("mu")) > 0)).then(
                (pl.col("sigma") - pl.col("mu")) / (pl.col("sigma") + pl.col("mu"))
            ),
        )
        .select("a", "t50_s", "burstiness")
    )

    # Participation: comments per author.
    authored = visible & author_known
    per_author = (
        pl.DataFrame({"a": art[authored], "author": author[authored]}).group_by("a", "author").agg(c=pl.len())
    )
    participation = per_author.group_by("a").agg(
        n_authors=pl.len(),
        comments_per_author=pl.col("c").sum() / pl.len(),
        author_gini=pl.when(pl.col("c").sum() > 0).then(
            2.0 * (pl.int_range(1, pl.len() + 1) * pl.col("c").sort()).sum() / (pl.len() * pl.col("c").sum())
            - (pl.len() + 1) / pl.len()
        ),
        users_h_index=(pl.col("c").sort(descending=True) >= pl.int_range(1, pl.len() + 1)).sum(),
    )
    out = pl.DataFrame({"a": np.arange(n_articles, dtype=np.int64)})
    for part in (per_node, timeline, participation):
        out = out.join(part.with_columns(pl.col("a").cast(pl.Int64)), on="a", how="left")
    return out.with_columns(
        pl.col("n_authors", "n_latency", "reciprocal_replies", "users_h_index").fill_null(0)
    )


def run_stage(ctx: StageContext) -> StageResult:
    """The ``structure`` stage: all structure metrics of every thread."""
    return StageResult(metrics=compute_structure(ctx.forest))


def compute_structure(forest: Forest) -> pl.DataFrame:
    """All structure metrics of every thread, as a long frame with :data:`schemas.METRICS`.

    Example:
        >>> import polars as pl
        >>> from analyzer.core import schemas
        >>> from analyzer.tree.forest import build_forest
        >>> raw = schemas.conform(pl.DataFrame({"article_id": ["a"] * 3, "comment_id": ["1", "2", "3"],
        ...     "parent_id": [None, "1", "2"], "kind": ["comment"] * 3, "src_order": [0, 1, 2]}),
        ...     schemas.RAW_COMMENTS)
        >>> m = compute_structure(build_forest(raw, schemas.empty(schemas.RAW_ARTICLES)))
        >>> m.filter(scope="thread", metric="structural_virality")["value"].item()  # chain: (n+1)/3
        1.6666666666666667
    """
    kind = forest.comments.get_column("kind").to_numpy()
    n_articles = forest.articles.height
    article_ids = forest.articles.get_column("article_id")
    is_node = kind != "more"
    is_visible = is_node & (kind != "ghost")
    full = _scope(forest, is_node)
    vis = _scope(forest, is_visible)
    parts: list[pl.DataFrame] = []
    full_wide, full_levels = _tree_metrics(full, n_articles)
    vis_wide, vis_levels = _tree_metrics(vis, n_articles)
    thread_wide = full_wide.join(_coverage_metrics(forest.articles), on="a", how="left").join(
        _social_metrics(forest, is_visible), on="a", how="left"
    )
    parts.append(_long(thread_wide, "thread", article_ids))
    parts.append(_long(vis_wide, "thread_visible", article_ids))
    for scope, levels in (("level", full_levels), ("level_visible", vis_levels)):
        parts.append(
            levels.select(
                article_id=article_ids.gather(levels.get_column("a")),
                scope=pl.lit(scope),
                subject_id=pl.col("depth").cast(pl.String),
                metric=pl.lit("level_size"),
                value=pl.col("L").cast(pl.Float64),
            )
        )
    parts.append(_comment_metrics(forest, full, vis, is_visible))
    metrics = pl.concat(parts, how="vertical", rechunk=False)
    return schemas.check(metrics, schemas.METRICS, "metrics")


def _comment_metrics(
    forest: Forest, full: _ScopeArrays, vis: _ScopeArrays, is_visible: np.ndarray
) -> pl.DataFrame:
    comments = forest.comments
    rows = np.flatnonzero(is_visible)
    # Row of each visible comment in the full scope (which drops only "more" stubs).
    in_full = (np.cumsum(full.keep) - 1)[rows]
    wide = pl.DataFrame(
        {
            "article_id": comments.get_column("article_id").gather(rows),
            "subject_id": comments.get_column("comment_id").gather(rows),
            "depth": comments.get_column("depth").gather(rows).cast(pl.Float64),
            "depth_visible": vis.depth.astype(np.float64),
            "n_children": full.n_children[in_full].astype(np.float64),
            "subtree_size": full.size[in_full].astype(np.float64),
            "position": comments.get_column("position").gather(rows).cast(pl.Float64),
        }
    )
    return (
        wide.unpivot(index=["article_id", "subject_id"], variable_name="metric", value_name="value")
        .with_columns(scope=pl.lit("comment"))
        .select(schemas.METRICS.names())
    )
