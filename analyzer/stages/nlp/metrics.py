"""Language-layer metrics: sizes, language mix and tone (methods.md section 4, tone gap).

Polarity of a sentence is ``sentiment - 1`` in {-1, 0, +1} (stanza's labels 0/1/2), so the
definitions hold for both modes: stanza's neural sentiment classifier and the offline
lexicon scorer fill the same labels.  A comment's polarity is the mean over its scored
sentences; the thread's comment polarity is the mean over scored comments (each comment
weighs the same, however long); the article's polarity is the mean over its body's scored
sentences.  Only sentences in a language with a pipeline are scored.

All metrics are computed for every article of a run at once with polars group-bys.
"""

from __future__ import annotations

import polars as pl

from analyzer.core import schemas
from analyzer.core.errors import UsageError
from analyzer.stages.metric_registry import MetricInfo, lookup

# Languages with their own share metric; everything else (including "und") is "other".
SHARE_LANGUAGES: tuple[str, ...] = ("de", "en", "ru")


_T = ("thread",)
_C = ("comment",)
_TONE_REF = (
    "Toepfl & Piwoni 2015 (comment sections as counter-publics); polarity labels: stanza sentiment "
    "(Qi et al. 2020) or Klenner et al. 2010 / De Smedt & Daelemans 2012 lexicons with negation "
    "(Taboada et al. 2011)"
)
REGISTRY: tuple[MetricInfo, ...] = (
    MetricInfo("n_sentences", _T, "sentences in the visible comments of the thread"),
    MetricInfo("n_tokens", _T, "tokens (syntactic words) in the visible comments"),
    MetricInfo("article_n_sentences", _T, "sentences in the article body"),
    MetricInfo("article_n_tokens", _T, "tokens in the article body"),
    *(
        MetricInfo(
            f"lang_share_{lang}", _T, f"share of comment tokens in sentences tagged {lang!r} (script + py3langid per line)"
        )
        for lang in SHARE_LANGUAGES
    ),
    MetricInfo("lang_share_other", _T, "share of comment tokens in any other language, or undetermined ('und')"),
    MetricInfo("n_comments_multilingual", _T, "visible comments with sentences in two or more languages"),
    MetricInfo("n_comments_scored", _T, "visible comments with at least one sentence that has a sentiment label"),
    MetricInfo(
        "comment_polarity_mean", _T, "mean over scored comments of the comment's polarity (see scope comment)",
        "-1 all negative .. +1 all positive", _TONE_REF,
    ),
    MetricInfo(
        "article_polarity", _T, "mean of (sentiment - 1) over the scored sentences of the article body",
        "-1 .. +1", _TONE_REF,
    ),
    MetricInfo(
        "tone_gap", _T, "comment_polarity_mean - article_polarity",
        "< 0: readers more negative than the article", "methods.md section 4; " + _TONE_REF,
    ),
    MetricInfo("share_negative_sentences", _T, "share of scored comment sentences labelled negative (0)"),
    MetricInfo("share_positive_sentences", _T, "share of scored comment sentences labelled positive (2)"),
    MetricInfo("n_sentences", _C, "sentences of the comment"),
    MetricInfo("n_tokens", _C, "tokens (syntactic words) of the comment"),
    MetricInfo(
        "polarity", _C, "mean of (sentiment - 1) over the comment's scored sentences; null if none is scored",
        "-1 .. +1", _TONE_REF,
    ),
    MetricInfo("n_languages", _C, "distinct languages among the comment's sentences"),
)
METRICS: dict[tuple[str, str], MetricInfo] = {(m.name, s): m for m in REGISTRY for s in m.scopes}


def describe(name: str, scope: str = "thread") -> MetricInfo:
    """Look a metric up by name and scope, with a suggestion for near misses."""
    info = lookup({n: m for (n, _), m in METRICS.items()}, name, kind="nlp")
    if scope not in info.scopes:
        raise UsageError(f"nlp metric {name!r} has no scope {scope!r}; its scopes: {', '.join(info.scopes)}")
    return info


def _long(wide: pl.DataFrame, scope: str, subject: str) -> pl.DataFrame:
    value_columns = [c for c in wide.columns if c not in ("article_id", subject)]
    if wide.height == 0 or not value_columns:
        return schemas.empty(schemas.METRICS)
    return (
        wide.with_columns(pl.col(value_columns).cast(pl.Float64))
        .unpivot(index=["article_id", subject], variable_name="metric", value_name="value")
        .rename({subject: "subject_id"})
        .with_columns(scope=pl.lit(scope))
        .select(schemas.METRICS.names())
    )


def compute_metrics(
    sentences: pl.DataFrame, tokens: pl.DataFrame, comments: pl.DataFrame, article_ids: pl.Series
) -> pl.DataFrame:
    """Thread and comment metrics in the long METRICS layout.

    Args:
        sentences: SENTENCES frame of the run.
        tokens: TOKENS frame of the run.
        comments: ``article_id``, ``comment_id`` of the visible comments analysed (so that a
            comment without sentences still gets zero counts).
        article_ids: every article of the run, in order.
    """
    article_doc = pl.col("doc_id") == schemas.ARTICLE_DOC_ID
    n_tok = tokens.group_by("article_id", "doc_id", "sent_idx").agg(n_tok=pl.len())
    sent = sentences.join(n_tok, on=["article_id", "doc_id", "sent_idx"], how="left").with_columns(
        pl.col("n_tok").fill_null(0),
        pol=(pl.col("sentiment").cast(pl.Float64) - 1.0),
    )
    c_sent = sent.filter(~article_doc)
    a_sent = sent.filter(article_doc)

    per_comment = (
        comments.select("article_id", pl.col("comment_id").alias("doc_id"))
        .join(
            c_sent.group_by("article_id", "doc_id").agg(
                n_sentences=pl.len(),
                n_tokens=pl.col("n_tok").sum(),
                polarity=pl.col("pol").mean(),
                n_languages=pl.col("lang").n_unique(),
            ),
            on=["article_id", "doc_id"],
            how="left",
        )
        .with_columns(pl.col("n_sentences", "n_tokens", "n_languages").fill_null(0))
    )
    lang_tokens = c_sent.with_columns(
        lang=pl.when(pl.col("lang").is_in(SHARE_LANGUAGES)).then(pl.col("lang")).otherwise(pl.lit("other"))
    )
    shares = lang_tokens.group_by("article_id").agg(
        *[
            (pl.col("n_tok").filter(pl.col("lang") == lang).sum() / pl.col("n_tok").sum()).alias(f"lang_share_{lang}")
            for lang in (*SHARE_LANGUAGES, "other")
        ]
    )
    scored = c_sent.filter(pl.col("sentiment").is_not_null())
    tone = scored.group_by("article_id").agg(
        share_negative_sentences=(pl.col("sentiment") == 0).mean(),
        share_positive_sentences=(pl.col("sentiment") == 2).mean(),
    )
    thread_comments = per_comment.group_by("article_id").agg(
        n_sentences=pl.col("n_sentences").sum(),
        n_tokens=pl.col("n_tokens").sum(),
        n_comments_multilingual=(pl.col("n_languages") >= 2).sum(),
        n_comments_scored=pl.col("polarity").is_not_null().sum(),
        comment_polarity_mean=pl.col("polarity").mean(),
    )
    article = a_sent.group_by("article_id").agg(
        article_n_sentences=pl.len(),
        article_n_tokens=pl.col("n_tok").sum(),
        article_polarity=pl.col("pol").mean(),
    )
    thread = (
        pl.DataFrame({"article_id": article_ids.cast(pl.String)})
        .join(thread_comments, on="article_id", how="left")
        .join(article, on="article_id", how="left")
        .join(shares, on="article_id", how="left")
        .join(tone, on="article_id", how="left")
        .with_columns(
            pl.col("n_sentences", "n_tokens", "n_comments_multilingual", "n_comments_scored").fill_null(0),
            pl.col("article_n_sentences", "article_n_tokens").fill_null(0),
            tone_gap=pl.col("comment_polarity_mean") - pl.col("article_polarity"),
        )
        .with_columns(subject=pl.col("article_id"))
        .select(
            "article_id",
            "subject",
            "n_sentences",
            "n_tokens",
            "article_n_sentences",
            "article_n_tokens",
            *[f"lang_share_{lang}" for lang in (*SHARE_LANGUAGES, "other")],
            "n_comments_multilingual",
            "n_comments_scored",
            "comment_polarity_mean",
            "article_polarity",
            "tone_gap",
            "share_negative_sentences",
            "share_positive_sentences",
        )
    )
    comment_wide = per_comment.select("article_id", "doc_id", "n_sentences", "n_tokens", "polarity", "n_languages")
    return pl.concat(
        [_long(thread, "thread", "subject"), _long(comment_wide, "comment", "doc_id")], how="vertical"
    )
