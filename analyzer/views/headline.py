"""The framing headline of a run: one row per article, for ``analyzer summary`` and reports.

Everything here is read from the run folder; nothing is recomputed.  Columns:

* ``article_id``, ``title``
* ``has_article_text``: False when the input had no article body; every comparison with the
  article (frames, JSD, retention, reframing, label adoption, tone gap) is then null
* ``n_stanced``, ``n_support`` / ``n_deny`` / ``n_query`` / ``n_comment`` and ``share_support`` …:
  counts and shares of ``stance_article`` labels (null when the run has no ``stance.parquet``);
  :func:`render` prints every share with the count behind it
* ``dominant_article``, ``dominant_comments``: Dom(A) and Dom(C) (lists of frame ids, by p)
* ``frame_jsd_bits``, ``frame_retention``, ``frame_reframing``, ``label_adoption_share``
  (framing stage)
* ``top_reader_terms``: up to :data:`TOP_TERMS` terms with the largest positive keyness z
* ``tone_gap``, ``article_polarity``, ``comment_polarity_mean`` (nlp stage, reused)
* ``mean_quote_share``, ``article_quoting_share`` (quotes stage, reused)
"""

from __future__ import annotations

import polars as pl

from analyzer.core import schemas
from analyzer.core.run import Run
from analyzer.views.numbers import format_share
from analyzer.views.run_view import ARTICLE_COMPARISONS, NO_ARTICLE_TEXT
from analyzer.views.shares import MIN_N

TOP_TERMS = 5
THREAD_METRICS: tuple[str, ...] = (
    "frame_jsd_bits", "frame_retention", "frame_reframing", "label_adoption_share",
    "tone_gap", "article_polarity", "comment_polarity_mean", "mean_quote_share", "article_quoting_share",
)


def headline(run: Run) -> pl.DataFrame:
    """Per-article framing headline of a run (see the module docstring for the columns).

    Example:
        >>> from analyzer.core.run import read_run
        >>> headline(read_run(".cache/demo-run")).columns[:3]  # doctest: +SKIP
        ['article_id', 'title', 'n_stanced']
    """
    articles = run.articles.select("article_id", "title", (
        pl.col("body").is_not_null() & (pl.col("body").str.strip_chars() != "")).alias("has_article_text"))
    out = articles.join(_stance_shares(run), on="article_id", how="left")
    out = out.join(_dominant(run), on="article_id", how="left")
    thread = run.metrics.filter(
        (pl.col("scope") == "thread") & pl.col("metric").is_in(THREAD_METRICS)
    ).select("article_id", "metric", "value")
    wide = articles.select("article_id")
    if not thread.is_empty():
        wide = wide.join(
            thread.pivot(on="metric", index="article_id", values="value", aggregate_function="first"),
            on="article_id", how="left",
        )
    for name in THREAD_METRICS:
        if name not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(name))
    out = out.join(wide.select("article_id", *THREAD_METRICS), on="article_id", how="left")
    out = out.join(_top_terms(run), on="article_id", how="left")
    without_text = ~pl.col("has_article_text")
    out = out.with_columns(
        *[pl.when(without_text).then(None).otherwise(pl.col(name)).alias(name)
          for name in (*THREAD_METRICS, "dominant_article") if name in ARTICLE_COMPARISONS or name == "dominant_article"],
    )
    return out.select(
        "article_id", "title", "has_article_text", "n_stanced",
        *[f"n_{label}" for label in schemas.STANCE_LABELS],
        "share_support", "share_deny", "share_query", "share_comment",
        "dominant_article", "dominant_comments", "frame_jsd_bits", "frame_retention", "frame_reframing",
        "label_adoption_share", "top_reader_terms", "tone_gap", "article_polarity", "comment_polarity_mean",
        "mean_quote_share", "article_quoting_share",
    )


def _stance_shares(run: Run) -> pl.DataFrame:
    if not run.has("stance"):
        schema = pl.Schema([("article_id", pl.String()), ("n_stanced", pl.Int64())]
                           + [(f"n_{label}", pl.Int64()) for label in schemas.STANCE_LABELS]
                           + [(f"share_{label}", pl.Float64()) for label in schemas.STANCE_LABELS])
        return pl.DataFrame(schema=schema)
    stance = run.frame("stance").filter(pl.col("stance_article").is_not_null())
    return stance.group_by("article_id").agg(
        n_stanced=pl.len().cast(pl.Int64),
        **{f"n_{label}": (pl.col("stance_article") == label).sum().cast(pl.Int64) for label in schemas.STANCE_LABELS},
        **{f"share_{label}": (pl.col("stance_article") == label).mean() for label in schemas.STANCE_LABELS},
    )


def _dominant(run: Run) -> pl.DataFrame:
    schema = pl.Schema([("article_id", pl.String()), ("dominant_article", pl.List(pl.String())),
                        ("dominant_comments", pl.List(pl.String()))])
    frames = run.metrics.filter(pl.col("scope") == "frame")
    if frames.is_empty():
        return pl.DataFrame(schema=schema)
    wide = frames.pivot(on="metric", index=["article_id", "subject_id"], values="value", aggregate_function="first")
    if not {"dominant_article", "dominant_comments", "p_article", "p_comments"} <= set(wide.columns):
        return pl.DataFrame(schema=schema)
    return wide.group_by("article_id").agg(
        dominant_article=pl.col("subject_id").filter(pl.col("dominant_article") > 0).sort_by(
            pl.col("p_article").filter(pl.col("dominant_article") > 0), descending=True),
        dominant_comments=pl.col("subject_id").filter(pl.col("dominant_comments") > 0).sort_by(
            pl.col("p_comments").filter(pl.col("dominant_comments") > 0), descending=True),
    )


def _top_terms(run: Run) -> pl.DataFrame:
    if not run.has("keyness"):
        return pl.DataFrame(schema={"article_id": pl.String, "top_reader_terms": pl.List(pl.String)})
    return (
        run.frame("keyness")
        .filter(pl.col("z") > 0)
        .sort(["article_id", "z", "term"], descending=[False, True, False])
        .group_by("article_id", maintain_order=True)
        .agg(top_reader_terms=pl.col("term").head(TOP_TERMS))
    )


def render(frame: pl.DataFrame, *, max_articles: int = 50) -> list[str]:
    """Text lines of the headline for the terminal summary (one block per article)."""

    def num(value: float | None, digits: int = 2) -> str:
        return "–" if value is None else f"{value:.{digits}f}"

    lines: list[str] = []
    for row in frame.head(max_articles).iter_rows(named=True):
        lines.append(f"{row['article_id']}:")
        if not row["has_article_text"]:
            lines.append(f"  frames: readers {', '.join(row['dominant_comments'] or []) or '–'} | {NO_ARTICLE_TEXT}")
        else:
            lines.append(
            f"  frames: article {', '.join(row['dominant_article'] or []) or '–'} | readers "
            f"{', '.join(row['dominant_comments'] or []) or '–'} | JSD {num(row['frame_jsd_bits'])} bits, "
            f"retention {num(row['frame_retention'])}, reframing {num(row['frame_reframing'])}, "
            f"label adoption {num(row['label_adoption_share'])}"
            )
        stance = "–" if not row["n_stanced"] else ", ".join(
            f"{label} {format_share(row[f'n_{label}'], row['n_stanced'])}" for label in schemas.STANCE_LABELS
        )
        if row["n_stanced"] and row["n_stanced"] < MIN_N:
            stance += f" (too few comments for shares: fewer than {MIN_N})"
        lines.append(
            f"  stance toward the article: {stance} | tone gap {num(row['tone_gap'])} | "
            f"quote share {num(row['mean_quote_share'])}"
        )
        lines.append(f"  reader terms: {', '.join(row['top_reader_terms'] or []) or '–'}")
    return lines
