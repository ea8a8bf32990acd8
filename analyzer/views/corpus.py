"""The article table at scale: faces for untitled articles and one page of rows at a time.

A corpus of thousands of threads is never sent whole to a browser: :func:`page_rows` filters,
sorts and slices the table on the server (the dashboard's grid asks for rows 0-20, 20-40, ...),
and :func:`filter_table` is the same filter the scatter of the corpus page uses, so the points
are the rows the grid lists.  Untitled articles (comment exports without article metadata)
get a face from :func:`with_display_title`: their id and the first words of their first comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import polars as pl

FIRST_WORDS = 8
Op = Literal["contains", "notContains", "equals", "notEqual", "startsWith", "endsWith", "lessThan",
             "lessThanOrEqual", "greaterThan", "greaterThanOrEqual", "inRange", "blank", "notBlank"]


@dataclass(frozen=True, slots=True)
class ColumnFilter:
    """One condition on one column (the vocabulary of AG Grid's text and number filters)."""

    column: str
    op: str
    value: Any = None
    value_to: Any = None


def with_display_title(table: pl.DataFrame, comments: pl.DataFrame, *, words: int = FIRST_WORDS) -> pl.DataFrame:
    """``table`` with ``display_title``: the title, else "id · first words of the first comment…".

    Example:
        >>> t = pl.DataFrame({"article_id": ["5"], "title": [None]}, schema={"article_id": pl.String, "title": pl.String})
        >>> c = pl.DataFrame({"article_id": ["5"], "seq": [0], "kind": ["comment"], "text": ["Das ist  wirklich alles falsch hier"]})
        >>> with_display_title(t, c, words=3)["display_title"].to_list()
        ['5 · Das ist wirklich…']
    """
    first = (comments.filter((pl.col("kind") == "comment") & pl.col("text").is_not_null())
             .sort("article_id", "seq").group_by("article_id", maintain_order=True).first()
             .select("article_id", pl.col("text").str.slice(0, 400).alias("_first")))
    joined = table.join(first, on="article_id", how="left", maintain_order="left")
    snippet = (pl.col("_first").str.replace_all(r"\s+", " ").str.strip_chars().str.split(" ")
               .list.head(words).list.join(" "))
    more = pl.col("_first").str.strip_chars().str.split(" ").list.len() > words
    face = pl.when(pl.col("_first").is_not_null()).then(
        pl.col("article_id") + " · " + snippet + pl.when(more).then(pl.lit("…")).otherwise(pl.lit(""))
    ).otherwise(pl.col("article_id"))
    title = pl.col("title").str.strip_chars()
    return joined.with_columns(
        pl.when(title.is_not_null() & (title != "")).then(pl.col("title")).otherwise(face).alias("display_title"),
    ).drop("_first")


def _condition(flt: ColumnFilter, dtype: pl.DataType) -> pl.Expr | None:
    col = pl.col(flt.column)
    if flt.op == "blank":
        return col.is_null()
    if flt.op == "notBlank":
        return col.is_not_null()
    if dtype == pl.String:
        if not isinstance(flt.value, str):
            return None
        text, needle = col.fill_null("").str.to_lowercase(), flt.value.lower()[:200]
        return {
            "contains": text.str.contains(needle, literal=True),
            "notContains": ~text.str.contains(needle, literal=True),
            "equals": text == needle, "notEqual": text != needle,
            "startsWith": text.str.starts_with(needle), "endsWith": text.str.ends_with(needle),
        }.get(flt.op)
    if not isinstance(flt.value, int | float) or isinstance(flt.value, bool):
        return None
    value = float(flt.value)
    number = col.cast(pl.Float64)
    if flt.op == "inRange":
        if not isinstance(flt.value_to, int | float):
            return None
        return number.is_between(value, float(flt.value_to))
    return {
        "equals": number == value, "notEqual": number != value, "lessThan": number < value,
        "lessThanOrEqual": number <= value, "greaterThan": number > value, "greaterThanOrEqual": number >= value,
    }.get(flt.op)


def filter_table(table: pl.DataFrame, filters: list[ColumnFilter]) -> pl.DataFrame:
    """Rows passing every filter; unknown columns and malformed values are ignored."""
    conditions = [c for f in filters if f.column in table.columns
                  for c in [_condition(f, table.schema[f.column])] if c is not None]
    return table.filter(*conditions) if conditions else table


def page_rows(table: pl.DataFrame, *, start: int, end: int, sort: list[tuple[str, bool]] | None = None,
              filters: list[ColumnFilter] | None = None) -> tuple[pl.DataFrame, int]:
    """Rows ``start``..``end`` of the filtered, sorted table, and the filtered row count.

    ``sort`` is ``[(column, descending), ...]``; without it the table keeps its order (the
    views list the most commented article first).  Ties keep that order too.
    """
    rows = filter_table(table, filters or [])
    keys = [(c, d) for c, d in (sort or []) if c in rows.columns]
    if keys:
        rows = rows.sort([c for c, _ in keys], descending=[d for _, d in keys], nulls_last=True, maintain_order=True)
    start = max(0, start)
    end = max(start, min(end, start + 1_000))  # one request never asks for more than 1,000 rows
    return rows.slice(start, end - start), rows.height


def site_comparison(table: pl.DataFrame, stance: pl.DataFrame | None = None) -> pl.DataFrame | None:
    """One row per site, for a corpus of several sites; None when it has fewer than two.

    ``table`` is the corpus table (:meth:`analyzer.views.RunView.corpus_table`: ``site``,
    ``n_visible``, ``n_deleted``, ``link_comment_share`` …), ``stance`` the run's STANCE rows.
    Columns: ``site`` (null sites as "(no site)"), ``n_articles``, ``n_comments``,
    ``n_deleted``, ``n_linking`` (comments with a link, from each thread's link share), the
    stance counts toward the article (``n_stanced``, ``n_support``, ``n_deny``; null without
    stance); largest site first.  Shares are left to the page, each with its counts.
    """
    sites = table.with_columns(pl.col("site").fill_null("(no site)"))
    if sites["site"].n_unique() < 2:
        return None
    share = pl.col("link_comment_share") if "link_comment_share" in sites.columns else pl.lit(None, pl.Float64)
    out = sites.group_by("site").agg(
        pl.len().cast(pl.Int64).alias("n_articles"),
        pl.col("n_visible").fill_null(0).sum().cast(pl.Int64).alias("n_comments"),
        pl.col("n_deleted").fill_null(0).sum().cast(pl.Int64).alias("n_deleted"),
        (share.fill_null(0.0) * pl.col("n_visible").fill_null(0)).sum().round(0).cast(pl.Int64).alias("n_linking"),
    )
    if stance is not None and not stance.is_empty():
        labelled = stance.drop_nulls("stance_article").join(sites.select("article_id", "site"), on="article_id")
        counts = labelled.group_by("site").agg(
            pl.len().cast(pl.Int64).alias("n_stanced"),
            (pl.col("stance_article") == "support").sum().cast(pl.Int64).alias("n_support"),
            (pl.col("stance_article") == "deny").sum().cast(pl.Int64).alias("n_deny"))
        out = out.join(counts, on="site", how="left")
    else:
        out = out.with_columns(*[pl.lit(None, pl.Int64).alias(c) for c in ("n_stanced", "n_support", "n_deny")])
    return out.sort(["n_comments", "site"], descending=[True, False])
