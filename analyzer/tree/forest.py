"""Reply trees: from rows with parent pointers (or layout depths) to an ordered forest.

The builder follows ConvoKit's idea (rows with ``reply_to``, a tree built after an
integrity check) but never refuses a broken tree: it records what is broken as
:class:`~analyzer.core.records.ParseIssue` rows and carries on, and it never loses a comment.

* Duplicate ids inside an article: both rows are kept; the later one is renamed
  ``<id>~dup<k>`` and flagged (``duplicate-id``).  Parent references resolve to the first.
* Self-replies and unknown parents: attached to the article and flagged
  (``self-reply``, ``unknown-parent``).
* Cycles: broken at the member that comes first in the source, which is attached to the
  article; flagged (``cycle``).
* Depth gaps in layout formats (a comment shown at depth 4 under one at depth 1): ghost
  nodes fill the gap (``kind = "ghost"``, no text, no author), one per missing level.
* Order: children keep their source order (never timestamps, which are often missing);
  ``seq`` is the 0-based pre-order position in the thread, ``position`` the rank among
  siblings.

Everything is vectorised (polars joins, numpy pointer jumping) so a million comments take
well under a second; see :mod:`analyzer.tree.arrays`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import polars as pl

import analyzer.tree.arrays as treearrays
from analyzer.core import schemas
from analyzer.core.records import ParseIssue

GHOST_SUFFIX = "~ghost"
DUPLICATE_SUFFIX = "~dup"


@dataclass(slots=True)
class Forest:
    """All reply trees of a run.

    ``comments`` follows :data:`analyzer.core.schemas.COMMENTS`, sorted by article (in input
    order) then ``seq``.  The arrays are aligned with its rows and let the structure stage
    work without rebuilding anything: ``parent_index`` (-1 = the article), ``article_index``
    (row of ``articles``), ``subtree_size`` and ``n_children``.
    """

    comments: pl.DataFrame
    articles: pl.DataFrame
    issues: list[ParseIssue] = field(default_factory=list)
    parent_index: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    article_index: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    subtree_size: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    n_children: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


def _issues_from_rows(rows: pl.DataFrame, code: str, severity: str, detail: str) -> list[ParseIssue]:
    """One issue per row of ``rows`` (columns article_id, comment_id, source_path, source_line, d)."""
    out: list[ParseIssue] = []
    for row in rows.iter_rows(named=True):
        out.append(
            ParseIssue(
                code=code,
                detail=detail.format(**row),
                severity=severity,  # type: ignore[arg-type]
                path=row["source_path"],
                line=row["source_line"],
                article_id=row["article_id"],
                comment_id=row["comment_id"],
            )
        )
    return out


def _complete_articles(raw: pl.DataFrame, articles: pl.DataFrame) -> pl.DataFrame:
    """Articles in input order, with a bare row for every article id that only comments name."""
    articles = articles.unique(subset="article_id", keep="first", maintain_order=True)
    missing = (
        raw.select("article_id", "source_path")
        .unique(subset="article_id", keep="first", maintain_order=True)
        .join(articles.select("article_id"), on="article_id", how="anti")
    )
    if missing.height:
        articles = pl.concat(
            [articles, schemas.conform(missing, schemas.RAW_ARTICLES)], how="vertical"
        )
    return articles


def _rename_duplicates(raw: pl.DataFrame, issues: list[ParseIssue]) -> pl.DataFrame:
    # Fast exact check first: equal keys have equal hashes, so as many distinct hashes as
    # rows proves all keys distinct (a hash collision only sends us down the exact path).
    if raw.select(pl.struct("article_id", "comment_id").hash().n_unique()).item() == raw.height:
        return raw
    occurrence = pl.int_range(pl.len()).over("article_id", "comment_id")
    raw = raw.with_columns(_occ=occurrence)
    dups = raw.filter(pl.col("_occ") > 0)
    if dups.height:
        issues.extend(
            _issues_from_rows(
                dups.with_columns(d=pl.col("_occ")),
                "duplicate-id",
                "warning",
                "id {comment_id} appears again (occurrence {d}); kept as {comment_id}"
                + DUPLICATE_SUFFIX
                + "{d}",
            )
        )
        raw = raw.with_columns(
            comment_id=pl.when(pl.col("_occ") > 0)
            .then(pl.col("comment_id") + pl.lit(DUPLICATE_SUFFIX) + pl.col("_occ").cast(pl.String))
            .otherwise(pl.col("comment_id"))
        )
    return raw.drop("_occ")


def _fill_missing_ids(raw: pl.DataFrame, issues: list[ParseIssue]) -> pl.DataFrame:
    missing = raw.filter(pl.col("comment_id").is_null())
    if not missing.height:
        return raw
    raw = raw.with_columns(
        comment_id=pl.coalesce(pl.col("comment_id"), pl.lit("~row") + pl.col("src_order").cast(pl.String))
    )
    filled = raw.filter(pl.col("comment_id").str.starts_with("~row"))
    issues.extend(
        _issues_from_rows(
            filled.with_columns(d=pl.lit(0)),
            "missing-id",
            "warning",
            "comment without an id; named {comment_id}",
        )
    )
    return raw


def _resolve_parents(raw: pl.DataFrame, issues: list[ParseIssue]) -> pl.DataFrame:
    """Add ``_parent_row`` (row index of the parent, null = article) and fix bad references."""
    raw = raw.with_row_index("_row")
    self_reply = pl.col("parent_id").is_not_null() & (pl.col("parent_id") == pl.col("comment_id"))
    selfies = raw.filter(self_reply)
    if selfies.height:
        issues.extend(
            _issues_from_rows(
                selfies.with_columns(d=pl.lit(0)),
                "self-reply",
                "warning",
                "comment {comment_id} names itself as parent; attached to the article",
            )
        )
        raw = raw.with_columns(parent_id=pl.when(self_reply).then(None).otherwise(pl.col("parent_id")))
    targets = raw.select(
        "article_id",
        pl.col("comment_id").alias("parent_id"),
        pl.col("_row").alias("_parent_row"),
        pl.col("declared_depth").alias("_parent_declared_depth"),
        pl.col("kind").alias("_parent_kind"),
    )
    raw = raw.join(targets, on=["article_id", "parent_id"], how="left", maintain_order="left")
    unknown = raw.filter(pl.col("parent_id").is_not_null() & pl.col("_parent_row").is_null())
    if unknown.height:
        issues.extend(
            _issues_from_rows(
                unknown.with_columns(d=pl.col("parent_id")),
                "unknown-parent",
                "warning",
                "parent {d} of comment {comment_id} is not in the input; attached to the article",
            )
        )
    return raw


def _insert_ghosts(raw: pl.DataFrame, issues: list[ParseIssue]) -> pl.DataFrame:
    """Insert ghost rows where a declared depth skips levels below its parent.

    Works on ``_parent_row`` / ``_parent_declared_depth`` from :func:`_resolve_parents`.  A
    gap is only measured when both depths are known (the article counts as depth 0).
    """
    if raw.get_column("declared_depth").null_count() == raw.height:
        return raw.with_columns(_sub=pl.lit(0, dtype=pl.Int64))
    parent_depth = (
        pl.when(pl.col("_parent_row").is_null())
        .then(pl.lit(0))
        .otherwise(pl.col("_parent_declared_depth"))
    )
    raw = raw.with_columns(_gap=(pl.col("declared_depth") - parent_depth - 1).fill_null(0))
    shallow = raw.filter(pl.col("_gap") < 0)
    if shallow.height:
        issues.extend(
            _issues_from_rows(
                shallow.with_columns(d=pl.col("declared_depth")),
                "depth-inconsistent",
                "info",
                "comment {comment_id} is shown at depth {d}, not below its parent",
            )
        )
    gapped = raw.filter(pl.col("_gap") > 0)
    raw = raw.with_columns(_sub=pl.col("_gap").clip(lower_bound=0).cast(pl.Int64))
    if not gapped.height:
        return raw.drop("_gap")
    # Ghost j (1-based, top-down) of a child: id "<child>~ghost<j>", parent = ghost j-1 or the
    # child's original parent; the child then hangs under the last ghost.
    ghosts = (
        gapped.select(
            "_art",
            "article_id",
            "comment_id",
            "parent_id",
            "_parent_row",
            "source_path",
            "source_line",
            "src_order",
            "declared_depth",
            "_gap",
        )
        .with_columns(_j=pl.int_ranges(1, pl.col("_gap") + 1))
        .explode("_j")
        .with_columns(
            _child=pl.col("comment_id"),
            comment_id=pl.col("comment_id") + pl.lit(GHOST_SUFFIX) + pl.col("_j").cast(pl.String),
            parent_id=pl.when(pl.col("_j") == 1)
            .then(pl.col("parent_id"))
            .otherwise(pl.col("comment_id") + pl.lit(GHOST_SUFFIX) + (pl.col("_j") - 1).cast(pl.String)),
            declared_depth=(pl.col("declared_depth") - pl.col("_gap") - 1 + pl.col("_j")).cast(pl.Int32),
            kind=pl.lit("ghost"),
            text=pl.lit(None, dtype=pl.String),
            _sub=(pl.col("_j") - 1).cast(pl.Int64),
            _parent_row=pl.when(pl.col("_j") == 1).then(pl.col("_parent_row")).otherwise(None),
        )
    )
    ghost_rows = schemas.conform(ghosts, raw.drop("_gap").schema)
    relinked = raw.with_columns(
        parent_id=pl.when(pl.col("_gap") > 0)
        .then(pl.col("comment_id") + pl.lit(GHOST_SUFFIX) + pl.col("_gap").cast(pl.String))
        .otherwise(pl.col("parent_id"))
    ).drop("_gap")
    return pl.concat([relinked, ghost_rows], how="vertical")


def _break_cycles(
    parent: np.ndarray, resolved: np.ndarray, rows: pl.DataFrame, issues: list[ParseIssue]
) -> np.ndarray:
    """Attach one member of every cycle to the article (the one first in the source).

    Only nodes that pointer jumping could not resolve are walked, one by one: in sane
    input there are none.
    """
    parent = parent.copy()
    state = np.where(resolved, 2, 0)  # 0 unseen, 1 on current walk, 2 settled
    comment_ids = rows.get_column("comment_id")
    for start in np.flatnonzero(~resolved):
        if state[start] == 2:
            continue
        path: list[int] = []
        node = int(start)
        while node >= 0 and state[node] == 0:
            state[node] = 1
            path.append(node)
            node = int(parent[node])
        if node >= 0 and state[node] == 1:
            cycle = path[path.index(node):]
            breaker = min(cycle)  # rows are in source order: the earliest member
            parent[breaker] = -1
            row = rows.row(breaker, named=True)
            members = ", ".join(str(comment_ids[i]) for i in sorted(cycle))
            issues.append(
                ParseIssue(
                    code="cycle",
                    detail=f"reply cycle among {members}; {row['comment_id']} attached to the article",
                    severity="warning",
                    path=row["source_path"],
                    line=row["source_line"],
                    article_id=row["article_id"],
                    comment_id=row["comment_id"],
                )
            )
        for visited in path:
            state[visited] = 2
    return parent


def build_forest(
    raw_comments: pl.DataFrame,
    raw_articles: pl.DataFrame,
    *,
    reader_issues: Iterable[ParseIssue] = (),
) -> Forest:
    """Build the ordered reply forest of all articles.

    Args:
        raw_comments: rows with :data:`analyzer.core.schemas.RAW_COMMENTS`.
        raw_articles: rows with :data:`analyzer.core.schemas.RAW_ARTICLES`.
        reader_issues: issues the readers already reported (used to avoid reporting a
            count mismatch twice).

    Returns:
        The forest; its ``issues`` are the integrity problems found here.

    Example:
        >>> import polars as pl
        >>> from analyzer.core import schemas
        >>> raw = schemas.conform(pl.DataFrame({"article_id": ["a", "a"], "comment_id": ["1", "2"],
        ...     "parent_id": [None, "1"], "kind": ["comment", "comment"], "src_order": [0, 1]}),
        ...     schemas.RAW_COMMENTS)
        >>> forest = build_forest(raw, schemas.empty(schemas.RAW_ARTICLES))
        >>> forest.comments.select("comment_id", "depth", "seq").rows()
        [('1', 1, 0), ('2', 2, 1)]
    """
    schemas.check(raw_comments, schemas.RAW_COMMENTS, "raw comments")
    issues: list[ParseIssue] = []
    articles = _complete_articles(raw_comments, raw_articles)
    article_rank = articles.select("article_id", _art=pl.int_range(pl.len(), dtype=pl.Int64))

    raw = raw_comments.join(article_rank, on="article_id", how="left", maintain_order="left")
    raw = raw.sort("_art", "src_order", maintain_order=True)
    raw = _fill_missing_ids(raw, issues)
    raw = _rename_duplicates(raw, issues)
    raw = _resolve_parents(raw, issues)
    has_ghosts = raw.get_column("declared_depth").null_count() < raw.height
    raw = _insert_ghosts(raw, issues)
    if has_ghosts:
        # Ghost rows changed row positions: resolve parent rows again on the final order.
        raw = raw.sort("_art", "src_order", "_sub", maintain_order=True)
        raw = _resolve_parents(
            raw.drop("_row", "_parent_row", "_parent_declared_depth", "_parent_kind"), []
        )
    n = raw.height
    parent = raw.get_column("_parent_row").fill_null(-1).cast(pl.Int64).to_numpy().copy()
    depth, resolved = treearrays.depths(parent)
    if not resolved.all():
        parent = _break_cycles(parent, resolved, raw, issues)
        depth, resolved = treearrays.depths(parent)
    art = raw.get_column("_art").to_numpy()
    size = treearrays.subtree_sizes(parent, depth)
    n_children = treearrays.child_counts(parent)

    # Position among siblings (rows are in source order) and the pre-order offset: the sizes
    # of the earlier siblings' subtrees.  The root's children are grouped per article.
    sibling_group = np.where(parent >= 0, parent, -1 - art)
    position, offset = treearrays.rank_within_groups(sibling_group, size)
    preorder, _ = treearrays.path_sums(parent, 1 + offset)
    seq = preorder - 1

    # Final order: article, then pre-order.  Rows are grouped by article already and seq is a
    # permutation within each article, so each row's final place is known without sorting.
    article_sizes = np.bincount(art, minlength=articles.height) if n else np.zeros(0, dtype=np.int64)
    article_start = np.cumsum(article_sizes) - article_sizes
    inverse = (article_start[art] + seq).astype(np.int64) if n else np.empty(0, dtype=np.int64)
    order = np.empty(n, dtype=np.int64)
    order[inverse] = np.arange(n, dtype=np.int64)
    parent_sorted = parent[order]
    parent_sorted = np.where(parent_sorted >= 0, inverse[np.maximum(parent_sorted, 0)], -1)

    ids = raw.get_column("comment_id")
    parent_ids = (
        pl.DataFrame({"p": ids.gather(np.maximum(parent, 0)), "top": parent < 0})
        .select(pl.when(pl.col("top")).then(None).otherwise(pl.col("p")))
        .to_series()
        .alias("parent_id")
    )
    built = raw.with_columns(
        parent_id=parent_ids,
        seq=pl.Series(seq, dtype=pl.Int64),
        depth=pl.Series(depth, dtype=pl.Int32),
        position=pl.Series(position, dtype=pl.Int32),
    ).with_columns(
        is_ghost=pl.col("kind") == "ghost",
        is_deleted=pl.col("kind").is_in(["deleted", "removed"]),
    )
    comments = schemas.conform(built[order], schemas.COMMENTS)
    articles_out = _article_counts(articles, comments)
    issues.extend(_count_mismatches(articles_out, reader_issues))
    forest = Forest(
        comments=schemas.check(comments, schemas.COMMENTS, "comments"),
        articles=schemas.check(articles_out, schemas.ARTICLES, "articles"),
        issues=issues,
        parent_index=parent_sorted,
        article_index=art[order],
        subtree_size=size[order],
        n_children=n_children[order],
    )
    return forest


def _article_counts(articles: pl.DataFrame, comments: pl.DataFrame) -> pl.DataFrame:
    counts = comments.group_by("article_id").agg(
        n_visible=(~pl.col("kind").is_in(["ghost", "more"])).sum().cast(pl.Int64),
        n_ghost=(pl.col("kind") == "ghost").sum().cast(pl.Int64),
        n_deleted=pl.col("kind").is_in(["deleted", "removed"]).sum().cast(pl.Int64),
        n_more_stubs=(pl.col("kind") == "more").sum().cast(pl.Int64),
        n_hidden=pl.when(pl.col("kind") == "more").then(pl.col("n_hidden")).otherwise(0).sum().cast(pl.Int64),
    )
    joined = articles.join(counts, on="article_id", how="left", maintain_order="left").with_columns(
        pl.col("n_visible", "n_ghost", "n_deleted", "n_more_stubs", "n_hidden").fill_null(0)
    )
    return schemas.conform(joined, schemas.ARTICLES)


def _count_mismatches(articles: pl.DataFrame, reader_issues: Iterable[ParseIssue]) -> list[ParseIssue]:
    """Flag articles whose announced count differs from what is visible (unless a reader did)."""
    already = {i.article_id for i in reader_issues if i.code == "count-mismatch"}
    out: list[ParseIssue] = []
    rows = articles.filter(
        pl.col("n_announced").is_not_null() & (pl.col("n_announced") != pl.col("n_visible"))
    )
    for row in rows.iter_rows(named=True):
        if row["article_id"] in already:
            continue
        missing = row["n_announced"] - row["n_visible"]
        out.append(
            ParseIssue(
                code="count-mismatch",
                detail=(
                    f"{row['n_announced']} comments announced, {row['n_visible']} visible "
                    f"({row['n_ghost']} ghosts, {missing - row['n_ghost']} missing elsewhere)"
                ),
                severity="warning",
                path=row["source_path"],
                article_id=row["article_id"],
            )
        )
    return out
