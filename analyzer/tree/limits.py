"""Configurable caps on input size, thread size, reply depth and comment length.

One :class:`Limits` value holds every cap; :func:`build_limited_forest` applies them while the
reply forest is built.  The rule is that a cap never loses data silently and never stops a
run because of one bad thread:

* ``max_bytes``: an input file larger than this is refused by its reader (an
  :class:`~analyzer.core.errors.InputError` naming the file; files found by expanding a folder
  become ``unreadable-input`` issues instead).  In chunked runs it applies to each chunk.
* ``max_comments_per_thread``: in each thread, comments beyond the first N in input order are
  rejected, and so are replies to a rejected comment (otherwise they would surface as top-level
  comments with an ``unknown-parent`` issue, misstating the thread).  Code
  ``limit-comments-per-thread``.
* ``max_depth``: comments deeper than this (top level = 1, ghosts counted) are rejected with
  their whole subtree (every reply of a too-deep comment is deeper still).  Code
  ``limit-depth``.  Ghosts inserted above a rejected comment go with it.
* ``max_comment_chars``: a longer comment is kept with its text cut to the cap.  Code
  ``limit-comment-length`` (the issue gives the original length).

Every rejected or truncated comment gets its own issue row, and each affected thread one
``limits-applied`` summary naming the options to raise.  Rejected comments count as rejected
in the run's accounting, so "comments in = comments out + rejected" holds with limits too, and
the count can be recomputed from ``parse_issues.parquet`` alone.  The per-comment rows are
built as one polars frame (no Python object per comment): 900,000 rejected comments cost a
frame of 900,000 rows, not 900,000 objects (figures: ``python -m tests.bench.limits``).

The defaults are far above any real corpus (a million-comment thread and a 100,000-deep
reply chain run with them), so they only act when a user lowers them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

import analyzer.tree.arrays as treearrays
from analyzer.core import schemas
from analyzer.core.errors import UsageError
from analyzer.core.records import ParseIssue
from analyzer.ingest.source import DEFAULT_MAX_BYTES
from analyzer.tree.forest import GHOST_SUFFIX, Forest, build_forest

__all__ = [
    "DEFAULT_MAX_COMMENTS_PER_THREAD",
    "DEFAULT_MAX_COMMENT_CHARS",
    "DEFAULT_MAX_DEPTH",
    "LIMIT_CODES",
    "LimitOutcome",
    "Limits",
    "OPTIONS",
    "build_limited_forest",
    "summary_line",
]

# Ten times the largest thread we test (1M comments, tests.bench.scale).
DEFAULT_MAX_COMMENTS_PER_THREAD = 10_000_000
# Ten times the deepest chain we test (100,000 levels).
DEFAULT_MAX_DEPTH = 1_000_000
# The link scanner reads at most this much of one text (analyzer.stages.links.MAX_TEXT_CHARS), so with
# the default no comment is ever scanned in part.
DEFAULT_MAX_COMMENT_CHARS = 4_000_000

CODE_THREAD = "limit-comments-per-thread"
CODE_DEPTH = "limit-depth"
CODE_LENGTH = "limit-comment-length"
CODE_SUMMARY = "limits-applied"
# Codes whose rows each stand for one rejected comment (the accounting counts them).
LIMIT_REJECTION_CODES = frozenset({CODE_THREAD, CODE_DEPTH})
LIMIT_CODES = frozenset({CODE_THREAD, CODE_DEPTH, CODE_LENGTH, CODE_SUMMARY})

# Field -> command-line option, for messages that tell the user what to raise.
OPTIONS = {
    "max_bytes": "--max-bytes",
    "max_comments_per_thread": "--max-comments-per-thread",
    "max_depth": "--max-depth",
    "max_comment_chars": "--max-comment-chars",
}


@dataclass(frozen=True, slots=True)
class Limits:
    """Caps applied to a run; every field must be a whole number of at least 1.

    Attributes:
        max_bytes: input files larger than this (bytes) are refused.
        max_comments_per_thread: comments kept per thread, in input order.
        max_depth: deepest reply level kept (top level = 1).
        max_comment_chars: longest comment text kept (characters); longer texts are cut.

    Example:
        >>> Limits(max_depth=50).max_depth
        50
        >>> Limits(max_depth=0)
        Traceback (most recent call last):
        ...
        analyzer.core.errors.UsageError: --max-depth must be a whole number of at least 1, got 0
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_comments_per_thread: int = DEFAULT_MAX_COMMENTS_PER_THREAD
    max_depth: int = DEFAULT_MAX_DEPTH
    max_comment_chars: int = DEFAULT_MAX_COMMENT_CHARS

    def __post_init__(self) -> None:
        for name, option in OPTIONS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise UsageError(f"{option} must be a whole number of at least 1, got {value!r}")

    def as_dict(self) -> dict[str, int]:
        """The caps by field name, for the manifest."""
        return dataclasses.asdict(self)

    def changed(self) -> dict[str, int]:
        """The caps that differ from the defaults."""
        default = Limits()
        return {k: v for k, v in self.as_dict().items() if getattr(default, k) != v}


@dataclass(slots=True)
class LimitOutcome:
    """What the caps did: summary issues, one issue row per affected comment, and tallies."""

    issues: list[ParseIssue] = dataclasses.field(default_factory=list)
    rows: pl.DataFrame = dataclasses.field(default_factory=lambda: schemas.empty(schemas.PARSE_ISSUES))
    n_rejected_thread: int = 0
    n_rejected_depth: int = 0
    n_truncated: int = 0

    def counts(self) -> dict[str, int]:
        """Tallies for the manifest's ``counts.limits``."""
        return {
            "rejected_comments_per_thread": self.n_rejected_thread,
            "rejected_depth": self.n_rejected_depth,
            "truncated_comment_chars": self.n_truncated,
        }


def summary_line(counts: dict[str, Any], limits: dict[str, Any] | None = None) -> str | None:
    """One line for the terminal when limits acted, else None.

    Args:
        counts: the manifest's ``counts.limits`` (see :meth:`LimitOutcome.counts`).
        limits: the manifest's ``settings.limits`` (caps by field name), to name the values.

    Example:
        >>> summary_line({"rejected_comments_per_thread": 0, "rejected_depth": 3, "truncated_comment_chars": 0},
        ...              {"max_depth": 50})
        'limits: 3 comments deeper than --max-depth 50 rejected with their replies (issue code limit-depth)'
    """
    limits = limits or {}
    parts: list[str] = []

    def cap(field: str) -> str:
        value = limits.get(field)
        return f"{OPTIONS[field]} {value}" if value is not None else OPTIONS[field]

    if counts.get("rejected_comments_per_thread"):
        parts.append(
            f"{counts['rejected_comments_per_thread']} comments beyond {cap('max_comments_per_thread')} "
            f"rejected (issue code {CODE_THREAD})"
        )
    if counts.get("rejected_depth"):
        parts.append(
            f"{counts['rejected_depth']} comments deeper than {cap('max_depth')} rejected with their replies "
            f"(issue code {CODE_DEPTH})"
        )
    if counts.get("truncated_comment_chars"):
        parts.append(
            f"{counts['truncated_comment_chars']} comment texts cut to {cap('max_comment_chars')} "
            f"(issue code {CODE_LENGTH})"
        )
    return "limits: " + "; ".join(parts) if parts else None


# --- Applying the caps ----------------------------------------------------------------------


def build_limited_forest(
    raw_comments: pl.DataFrame,
    raw_articles: pl.DataFrame,
    *,
    reader_issues: Sequence[ParseIssue] = (),
    limits: Limits | None = None,
) -> tuple[Forest, LimitOutcome]:
    """Build the reply forest with the caps applied.

    With nothing over a cap this is :func:`analyzer.tree.forest.build_forest` plus two cheap checks
    (largest thread, deepest comment, longest text).

    Args:
        raw_comments: rows with :data:`analyzer.core.schemas.RAW_COMMENTS`.
        raw_articles: rows with :data:`analyzer.core.schemas.RAW_ARTICLES`.
        reader_issues: issues the readers reported (passed on to the tree builder).
        limits: the caps (default: :class:`Limits` defaults).

    Returns:
        The forest and what the caps did.
    """
    limits = limits or Limits()
    outcome = LimitOutcome()
    parts: list[pl.DataFrame] = []
    kept, rejected = _cut_thread_size(raw_comments, limits.max_comments_per_thread)
    if rejected.height:
        parts.append(rejected)
        outcome.n_rejected_thread = rejected.height
        raw_articles = _with_all_articles(raw_articles, raw_comments)
    forest = build_forest(kept, raw_articles, reader_issues=reader_issues)
    forest, too_deep = _cut_depth(forest, limits.max_depth, [*reader_issues, *forest.issues])
    if too_deep.height:
        parts.append(too_deep)
        outcome.n_rejected_depth = too_deep.height
    forest, truncated = _truncate(forest, limits.max_comment_chars)
    if truncated.height:
        parts.append(truncated)
        outcome.n_truncated = truncated.height
    if parts:
        outcome.rows = pl.concat(parts, how="vertical")
        outcome.issues = _summaries(outcome.rows, forest.articles, limits)
    return forest, outcome


def _issue_rows(rows: pl.DataFrame, code: str, detail: pl.Expr) -> pl.DataFrame:
    """PARSE_ISSUES rows for comments (columns article_id, comment_id, source_path, source_line)."""
    return rows.select(
        pl.lit(code).alias("code"),
        pl.lit("warning").alias("severity"),
        pl.col("source_path").alias("path"),
        pl.col("source_line").alias("line"),
        "article_id",
        "comment_id",
        detail.alias("detail"),
    ).pipe(schemas.conform, schemas.PARSE_ISSUES)


def _cut_thread_size(raw: pl.DataFrame, cap: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split raw comments into kept rows and issue rows for the rejected ones.

    Rank is the position in the input within the article; replies of a rejected comment are
    rejected too.  Parent references resolve as the tree builder resolves them (the first row
    with that id in the article); members of a reply cycle are judged on their own rank.
    """
    if not raw.height:
        return raw, schemas.empty(schemas.PARSE_ISSUES)
    largest = raw.group_by("article_id").len().get_column("len").max()
    if largest is None or int(largest) <= cap:  # type: ignore[arg-type]
        return raw, schemas.empty(schemas.PARSE_ISSUES)
    indexed = raw.with_row_index("_i").with_columns(
        _rank=pl.col("src_order").rank("ordinal").over("article_id") - 1
    )
    first_rows = (
        indexed.filter(pl.col("comment_id").is_not_null())
        .unique(subset=["article_id", "comment_id"], keep="first", maintain_order=True)
        .select("article_id", pl.col("comment_id").alias("parent_id"), pl.col("_i").alias("_p"))
    )
    linked = indexed.join(first_rows, on=["article_id", "parent_id"], how="left", maintain_order="left")
    parent = linked.get_column("_p").fill_null(-1).cast(pl.Int64).to_numpy().copy()
    parent[parent == np.arange(parent.shape[0])] = -1  # a self-reply hangs under the article
    over = (linked.get_column("_rank") >= cap).to_numpy()
    sums, resolved = treearrays.path_sums(parent, over.astype(np.int64))
    cut = over | (resolved & (sums > 0))
    cut_series = pl.Series("_cut", cut)
    flagged = indexed.with_columns(cut_series, _own=pl.Series(over))
    detail = (
        pl.when(pl.col("_own"))
        .then(
            pl.format(
                "comment {} of its thread in input order, beyond --max-comments-per-thread {}; rejected "
                "(raise the option to keep it)",
                pl.col("_rank") + 1,
                pl.lit(cap),
            )
        )
        .otherwise(
            pl.lit(
                f"reply to a comment beyond --max-comments-per-thread {cap}; rejected with it "
                "(raise the option to keep it)"
            )
        )
    )
    rejected = _issue_rows(flagged.filter(pl.col("_cut")), CODE_THREAD, detail)
    kept = raw.filter(~cut_series)
    return kept, rejected


def _with_all_articles(raw_articles: pl.DataFrame, raw_comments: pl.DataFrame) -> pl.DataFrame:
    """Articles plus a bare row for every article only comments name, so a cut never drops one."""
    named = raw_comments.select("article_id", "source_path").unique(
        subset="article_id", keep="first", maintain_order=True
    )
    missing = named.join(raw_articles.select("article_id"), on="article_id", how="anti")
    if not missing.height:
        return raw_articles
    return pl.concat([raw_articles, schemas.conform(missing, schemas.RAW_ARTICLES)], how="vertical")


def _cut_depth(
    forest: Forest, cap: int, known_issues: Iterable[ParseIssue]
) -> tuple[Forest, pl.DataFrame]:
    """Drop every comment deeper than ``cap`` and rebuild the forest from the rows left.

    Removing whole levels below a depth keeps every remaining parent, so the rows left form a
    valid forest; rebuilding it (ids unique, parents resolved, no layout depths) renumbers
    ``seq`` and recounts subtree sizes without new tree issues.  A ghost goes when the comment
    it stood above was rejected.
    """
    comments = forest.comments
    if not comments.height or int(comments.get_column("depth").max()) <= cap:  # type: ignore[arg-type]
        return forest, schemas.empty(schemas.PARSE_ISSUES)
    deep = pl.col("depth") > cap
    rejected_ids = comments.filter(deep & ~pl.col("is_ghost")).select("article_id", "comment_id")
    ghost_child = pl.col("comment_id").str.replace(f"{GHOST_SUFFIX}\\d+$", "")
    orphan_ghosts = (
        comments.filter(pl.col("is_ghost") & ~deep)
        .with_columns(_child=ghost_child)
        .join(rejected_ids.rename({"comment_id": "_child"}), on=["article_id", "_child"], how="semi")
        .select("article_id", "comment_id")
    )
    drop = pl.concat([comments.filter(deep).select("article_id", "comment_id"), orphan_ghosts])
    kept = comments.join(drop, on=["article_id", "comment_id"], how="anti", maintain_order="left")
    raw = schemas.conform(
        kept.with_columns(
            declared_depth=pl.lit(None, dtype=pl.Int32),
            src_order=pl.col("seq"),  # pre-order keeps every sibling order
        ),
        schemas.RAW_COMMENTS,
    )
    articles = schemas.conform(forest.articles, schemas.RAW_ARTICLES)
    rebuilt = build_forest(raw, articles, reader_issues=known_issues)
    rebuilt.issues = [*forest.issues, *rebuilt.issues]
    detail = pl.format(
        "at depth {}, deeper than --max-depth {}; rejected with its replies (raise the option to keep it)",
        pl.col("depth"),
        pl.lit(cap),
    )
    rejected = _issue_rows(comments.filter(deep & ~pl.col("is_ghost")), CODE_DEPTH, detail)
    return rebuilt, rejected


def _truncate(forest: Forest, cap: int) -> tuple[Forest, pl.DataFrame]:
    """Cut comment texts longer than ``cap`` characters; one issue row per cut text."""
    comments = forest.comments
    lengths = comments.get_column("text").str.len_chars()
    over = lengths > cap
    if not over.any():
        return forest, schemas.empty(schemas.PARSE_ISSUES)
    detail = pl.format(
        "text of {} characters cut to --max-comment-chars {} (raise the option to keep it whole)",
        pl.col("_len"),
        pl.lit(cap),
    )
    truncated = _issue_rows(comments.with_columns(_len=lengths).filter(over), CODE_LENGTH, detail)
    cut = comments.with_columns(
        text=pl.when(over).then(pl.col("text").str.slice(0, cap)).otherwise(pl.col("text"))
    )
    return dataclasses.replace(forest, comments=cut), truncated


def _summaries(rows: pl.DataFrame, articles: pl.DataFrame, limits: Limits) -> list[ParseIssue]:
    """One ``limits-applied`` issue per affected thread."""
    per = rows.group_by("article_id", maintain_order=True).agg(
        n_thread=(pl.col("code") == CODE_THREAD).sum(),
        n_depth=(pl.col("code") == CODE_DEPTH).sum(),
        n_length=(pl.col("code") == CODE_LENGTH).sum(),
    )
    paths = dict(articles.select("article_id", "source_path").iter_rows())
    out: list[ParseIssue] = []
    for article_id, n_thread, n_depth, n_length in per.iter_rows():
        line = summary_line(
            {
                "rejected_comments_per_thread": n_thread,
                "rejected_depth": n_depth,
                "truncated_comment_chars": n_length,
            },
            limits.as_dict(),
        )
        out.append(
            ParseIssue(
                code=CODE_SUMMARY,
                detail=f"{(line or '').removeprefix('limits: ')}; raise the option(s) to keep them",
                severity="warning",
                path=paths.get(article_id),
                article_id=article_id,
            )
        )
    return out
