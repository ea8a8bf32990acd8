"""The ``labels`` stage: sentiment and the One Million Posts categories for every comment with text.

Writes ``comment_labels.parquet`` (:data:`analyzer.stages.labels.schemas.COMMENT_LABELS`: per comment
the decision and probability of each label, the three-way sentiment, ``is_deleted`` and the
model name), ``moderation.parquet`` (:mod:`analyzer.stages.labels.moderation`), and thread metrics:
for each label and sentiment class the count, the share among the comments scored and its 95 %
Wilson interval, plus the removal rate.

Settings: ``labels_model`` (a model file; default :func:`analyzer.stages.labels.model.default_model_path`).

**Default model.**  A model the user built (``analyzer labels train``) at
:func:`analyzer.stages.labels.model.default_model_path`, else the packaged one
(``analyzer/stages/labels/data/omp-labels.npz``: hashed features, no corpus text; licence
reasoning in ``docs/licences.md``).

**Model absent** (the packaged file removed, or ``ANALYZER_LABELS_PACKAGED=0``).  The stage still runs: every comment gets a row with
null labels and ``model`` null, no share metric is written, the manifest says
``"state": "model-absent"`` with the command that builds it, and a ``labels-model-absent``
issue is recorded, so a run never shows a number the model did not produce.  A model file
named explicitly that does not exist is a usage error.

**Reliability.**  The model card carries the held-out figures of each label (article-grouped
cross-validation, :mod:`analyzer.stages.labels.evaluate`); the manifest repeats them with
``reliable`` per label.  Shares of a label that is not reliable are still written (with their
counts) but the manifest, the metric definitions and the docs say they are not findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from analyzer.core import schemas
from analyzer.core.hashing import file_sha256
from analyzer.core.records import ParseIssue
from analyzer.core.textkinds import REMOVED_KINDS, analysed
from analyzer.stages.context import StageContext, StageResult
from analyzer.stages.declarations.labels import LabelsSettings
from analyzer.stages.labels import model as label_model
from analyzer.stages.labels import moderation
from analyzer.stages.labels.schemas import COMMENT_LABELS, LABEL_COLUMNS
from analyzer.stages.labels.stats import wilson
from analyzer.stages.metric_registry import MetricInfo

BATCH = 2_000  # comments per prediction batch: bounds the sparse matrix in memory
MODEL_LANGUAGE = "de"  # the One Million Posts model is German
TRAIN_COMMAND = "analyzer labels train --omp FILE"

_T = ("thread",)
_REF = ("Schabus, Skowron & Trapp (2017), One Million Posts, SIGIR (labels); Wilson (1927) interval; "
        "docs/sentiment-and-labels.md (held-out figures, reliability)")
_SHARE_NOTE = ("; a finding only where the manifest marks the label reliable (stage_info.labels.reliability.<label>.reliable)")
METRICS: tuple[MetricInfo, ...] = (
    MetricInfo("labels_n_scored", _T, "comments with text that the label model scored (removed ones with text included)"),
    *(
        m
        for stem in (*LABEL_COLUMNS, "sentiment_neutral")
        for m in (
            MetricInfo(f"label_n_{stem}", _T, f"comments the model labels {stem}"),
            MetricInfo(f"label_share_{stem}", _T, f"label_n_{stem} / labels_n_scored" + _SHARE_NOTE, "0 .. 1", _REF),
            MetricInfo(f"label_share_{stem}_ci_low", _T, f"lower end of the 95 % Wilson interval of label_share_{stem}"),
            MetricInfo(f"label_share_{stem}_ci_high", _T, f"upper end of the 95 % Wilson interval of label_share_{stem}"),
            MetricInfo(
                f"label_share_{stem}_adjusted", _T,
                f"label_share_{stem} corrected for the model's held-out error rates, (share - fpr) / (tpr - fpr) "
                "clipped to [0, 1]; null when the model was not evaluated or tpr - fpr < 0.2" + _SHARE_NOTE,
                "0 .. 1", "Forman (2008), Quantifying counts and costs via classification (adjusted classify and count)",
            ),
        )
    ),
    MetricInfo("n_written", _T, "comments readers wrote: visible or removed by moderators (ghosts and stubs excluded)"),
    MetricInfo("n_removed", _T, "written comments removed by moderators (kind deleted or removed)"),
    MetricInfo("removal_rate", _T, "n_removed / n_written", "0 .. 1", "docs/sentiment-and-labels.md (moderation)"),
    MetricInfo("removal_rate_ci_low", _T, "lower end of the 95 % Wilson interval of removal_rate"),
    MetricInfo("removal_rate_ci_high", _T, "upper end of the 95 % Wilson interval of removal_rate"),
)


def resolve_model(settings: LabelsSettings) -> tuple[label_model.LabelModel | None, Path]:
    """The model named in the settings (must exist) or at the default place (may be absent)."""
    if settings.labels_model is not None:
        path = settings.labels_model
        return label_model.load(path), path  # raises a UsageError when absent or not a model
    found = label_model.default_model_file()
    if found is None:
        return None, label_model.default_model_path()
    return label_model.load(found), found


def _languages(rows: pl.DataFrame, article_lang: dict[str, str]) -> list[str]:
    """The language of every row's text, identified once per distinct (text, default language).

    Language identification was the larger part of this stage's CPU: repeated comments
    ("Danke!", reposts, copies of one text) are answered from the first, the distinct texts
    go through the column-wise identifier together (same answers as one at a time), and a
    (text, default) the nlp stage identified in this process is answered from its remembered
    answer (``document_languages`` keeps them; identical by construction).
    """
    from analyzer.stages.nlp.langid import document_languages

    keys = [(text, article_lang.get(article, MODEL_LANGUAGE)) for article, text in rows.select("article_id", "text").iter_rows()]
    distinct = list(dict.fromkeys(keys))
    answers = document_languages([text for text, _ in distinct], [default for _, default in distinct])
    known = dict(zip(distinct, answers, strict=True))
    return [known[key] for key in keys]


def _rows_path_max() -> int:
    from analyzer.stages import sparse_rows as sr

    return sr.ROWS_PATH_MAX


def _word_counts(model: label_model.LabelModel, distinct: list[str], which: np.ndarray) -> Any:
    """Hashed word counts of the rows (``distinct[which]``): numpy ``Rows`` for small inputs, so a
    page does not import scipy.sparse (~0.13 s), scipy CSR above ``sparse_rows.ROWS_PATH_MAX``
    (the same numbers either way: ThreadBlock.logits takes both)."""
    from analyzer.stages import sparse_rows as sr

    if len(which) <= sr.ROWS_PATH_MAX and all(sr.is_sorted_unique(group.thread.buckets)
                                              for group in model.groups if group.thread is not None):
        from analyzer.stages.hashed_ngrams import hashed_rows

        rows = hashed_rows(distinct, analyzer="word", ngram_range=label_model.WORD_NGRAMS,
                           n_features=label_model.N_BUCKETS)
        return sr.take_rows(rows, which)
    return label_model.count_matrix("word", distinct)[which]


def thread_offsets(model: label_model.LabelModel, texts: list[str], articles: list[str],
                   distinct_counts: tuple[list[str], Any] | None = None) -> np.ndarray | None:
    """The thread blocks' logits per row and label (None when the model has no thread block).

    Computed over all rows at once, not per prediction batch: a row's discussion is every other
    row of its article in the input, wherever the batches split.  Word n-grams are counted once
    per distinct text.  A row alone in its article gets NaN (scored on its own text).
    ``distinct_counts``: the distinct texts in order of first appearance and their hashed word
    counts (scipy CSR, :func:`label_model.count_matrix`), when the caller has them already.
    """
    if all(group.thread is None for group in model.groups):
        return None
    index: dict[str, int] = {}
    which = np.asarray([index.setdefault(text, len(index)) for text in texts], dtype=np.int64)
    if distinct_counts is not None and distinct_counts[0] == list(index) and len(which) > _rows_path_max():
        counts = distinct_counts[1][which]
    else:
        counts = _word_counts(model, list(index), which)
    parts = [group.thread.logits(counts, articles) if group.thread is not None else np.zeros((len(texts), len(group.labels)))
             for group in model.groups]
    offsets = np.hstack(parts)
    # A row with no other row of its article has no discussion: NaN tells the model to score it
    # with its own-text coefficients (LabelGroup.probabilities).
    _, where, sizes = np.unique(np.asarray(articles, dtype=object).astype(str), return_inverse=True, return_counts=True)
    offsets[sizes[where.ravel()] == 1] = np.nan
    return offsets


def _rows(comments: pl.DataFrame) -> pl.DataFrame:
    """The comments the stage labels (those with text), in run order."""
    return comments.filter(analysed()).select(
        "article_id", "comment_id", "text", "parent_id",
        is_deleted=pl.col("kind").is_in(REMOVED_KINDS),
    )


def label_probabilities(comments: pl.DataFrame, model: label_model.LabelModel | None) -> np.ndarray | None:
    """The model's probabilities for every row of :func:`_rows`, whatever its language (None: no model or rows).

    The model's work, apart from languages: :func:`label_comments` blanks the rows not in
    :data:`MODEL_LANGUAGE` afterwards.  A row's numbers never depend on another row's language.
    """
    rows = _rows(comments)
    n = rows.height
    if model is None or n == 0:
        return None
    # Each distinct input is scored once.  Without a thread block a row's numbers depend on its
    # own text and whether it is a reply; with one also on the other comments of its article
    # (their words, summed): two rows with the same text in the same article have the same
    # discussion, so (article, text, is reply) is then the input.
    texts_all = rows.get_column("text").to_list()
    replies_all = rows.get_column("parent_id").is_not_null().to_list()
    articles_all = rows.get_column("article_id").to_list()
    # The hashed word counts of each distinct text, made once for the thread block and for the
    # prediction batches (each counted them itself before: the same rows, a text's row does not
    # depend on the others).  Only where both take the scipy path (more than a page of rows).
    index: dict[str, int] = {}
    text_of = [index.setdefault(text, len(index)) for text in texts_all]
    shared: tuple[list[str], Any] | None = None
    if n > _rows_path_max():
        distinct = list(index)
        shared = (distinct, label_model.count_matrix("word", distinct))
    offsets = thread_offsets(model, texts_all, articles_all, shared)
    scope = articles_all if offsets is not None else [None] * n
    first: dict[tuple[str | None, str, bool], int] = {}
    which = np.asarray([first.setdefault(key, len(first)) for key in zip(scope, texts_all, replies_all, strict=True)],
                       dtype=np.int64)
    texts = [text for _, text, _ in first]
    replies = [reply for _, _, reply in first]
    firsts = np.unique(which, return_index=True)[1]
    if offsets is not None:
        offsets = offsets[firsts]
    distinct_of_text = np.asarray(text_of, dtype=np.int64)[firsts]
    return np.vstack([
        model.predict_proba(texts[i:i + BATCH], replies[i:i + BATCH],
                            None if offsets is None else offsets[i:i + BATCH],
                            word_counts=None if shared is None else shared[1][distinct_of_text[i:i + BATCH]])
        for i in range(0, len(texts), BATCH)
    ])[which]


def label_comments(
    comments: pl.DataFrame, model: label_model.LabelModel | None, *, article_lang: dict[str, str] | None = None,
    probabilities: np.ndarray | None = None,
) -> pl.DataFrame:
    """``comment_labels.parquet`` rows for the comments with text.

    Labels are null without a model, and for comments not in :data:`MODEL_LANGUAGE` (the
    model learnt German moderators' labels on German text; on English text its numbers would
    be noise that looks like a finding).  ``probabilities``: :func:`label_probabilities` of
    these comments and this model, computed already (elsewhere); None = computed here.
    """
    rows = _rows(comments)
    langs = _languages(rows, article_lang or {})
    out: dict[str, Any] = {
        "article_id": rows.get_column("article_id"),
        "comment_id": rows.get_column("comment_id"),
        "is_deleted": rows.get_column("is_deleted"),
        "lang": pl.Series(langs, dtype=pl.String),
    }
    n = rows.height
    if model is None or n == 0:
        frame = pl.DataFrame(out).with_columns(
            *[pl.lit(None, dtype=dtype).alias(name) for name, dtype in COMMENT_LABELS.items() if name not in out]
        )
        return schemas.check(frame.select(COMMENT_LABELS.names()), COMMENT_LABELS, "comment_labels")
    probs = probabilities if probabilities is not None else label_probabilities(comments, model)
    assert probs is not None and probs.shape[0] == n, "label probabilities of other rows"
    probs = probs.copy()  # the caller's array stays as it was
    probs[np.asarray([lang != MODEL_LANGUAGE for lang in langs], dtype=bool), :] = np.nan
    index = {stem: j for j, stem in enumerate(model.labels)}
    for stem in LABEL_COLUMNS:
        if stem in index:
            p = pl.Series(probs[:, index[stem]], dtype=pl.Float64, nan_to_null=True)
            out[f"p_{stem}"] = p
            out[stem] = p >= label_model.THRESHOLD
        else:  # a label the model was not trained for
            out[f"p_{stem}"] = pl.Series([None] * n, dtype=pl.Float64)
            out[stem] = pl.Series([None] * n, dtype=pl.Boolean)
    neg = out["p_sentiment_negative"].to_list()
    pos = out["p_sentiment_positive"].to_list()
    out["sentiment"] = pl.Series(
        [None if a is None else label_model.sentiment_label(a, b if b is not None else 0.0) for a, b in zip(neg, pos, strict=True)],
        dtype=pl.String,
    )
    out["model"] = pl.Series([model.name if lang == MODEL_LANGUAGE else None for lang in langs], dtype=pl.String)
    return schemas.check(pl.DataFrame(out).select(COMMENT_LABELS.names()), COMMENT_LABELS, "comment_labels")


MIN_TPR_MINUS_FPR = 0.2  # below this the adjustment divides by almost nothing: no adjusted share


def error_rates(card: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Held-out (tpr, fpr) per label from a model card's evaluation (empty when not evaluated).

    The card keeps precision, recall, n and the number of positives; the false-positive rate
    follows: TP = recall * positives, FP = TP / precision - TP, fpr = FP / negatives.
    """
    out: dict[str, tuple[float, float]] = {}
    for stem, entry in ((card.get("evaluation") or {}).get("labels") or {}).items():
        n, positives = int(entry.get("n") or 0), int(entry.get("n_positive") or 0)
        precision, recall = float(entry.get("precision") or 0.0), float(entry.get("recall") or 0.0)
        if n <= positives or positives == 0 or precision <= 0:
            continue
        tp = recall * positives
        out[stem] = (recall, (tp / precision - tp) / (n - positives))
    return out


def share_metrics(frame: pl.DataFrame, article_ids: list[str],
                  rates: dict[str, tuple[float, float]] | None = None) -> pl.DataFrame:
    """Counts, shares and Wilson intervals per thread (nothing when the model was absent).

    With the model's held-out error ``rates``, also the adjusted share (Forman 2008): a
    balanced classifier flags more comments with a rare label than carry it, and the raw share
    overstates the label's prevalence.
    """
    rates = rates or {}
    scored = frame.filter(pl.col("model").is_not_null())
    if scored.is_empty():
        return schemas.empty(schemas.METRICS)
    flags = [pl.col(stem).fill_null(False).sum().alias(stem) for stem in LABEL_COLUMNS]
    counts = scored.group_by("article_id").agg(
        pl.len().alias("_n"), *flags,
        (pl.col("sentiment") == "neutral").sum().alias("sentiment_neutral"),
    )
    by_article = {row["article_id"]: row for row in counts.iter_rows(named=True)}
    rows: list[tuple[str, str, str, str, float | None]] = []
    for article in article_ids:
        row = by_article.get(article)
        n = int(row["_n"]) if row else 0
        rows.append((article, "thread", article, "labels_n_scored", float(n)))
        for stem in (*LABEL_COLUMNS, "sentiment_neutral"):
            k = int(row[stem]) if row else 0
            low, high = wilson(k, n)
            rows += [
                (article, "thread", article, f"label_n_{stem}", float(k)),
                (article, "thread", article, f"label_share_{stem}", k / n if n else None),
                (article, "thread", article, f"label_share_{stem}_ci_low", low),
                (article, "thread", article, f"label_share_{stem}_ci_high", high),
            ]
            if stem in rates:
                tpr, fpr = rates[stem]
                adjusted = None
                if n and tpr - fpr >= MIN_TPR_MINUS_FPR:
                    adjusted = min(1.0, max(0.0, (k / n - fpr) / (tpr - fpr)))
                rows.append((article, "thread", article, f"label_share_{stem}_adjusted", adjusted))
    return pl.DataFrame(rows, schema=list(schemas.METRICS.names()), orient="row")


def _reliability(model: label_model.LabelModel) -> dict[str, Any]:
    """Per label: the held-out figures from the card and ``reliable`` (None = not evaluated)."""
    evaluation = model.card.get("evaluation") or {}
    figures = evaluation.get("labels") or {}
    out: dict[str, Any] = {}
    for stem in model.labels:
        entry = figures.get(stem)
        if entry is None:
            out[stem] = {"reliable": None, "note": "not evaluated: not a finding"}
        else:
            out[stem] = {k: entry.get(k) for k in ("reliable", "f1", "macro_f1", "constant_macro_f1", "accuracy", "n")}
    if "sentiment_3class" in evaluation:
        out["sentiment (3 classes)"] = evaluation["sentiment_3class"].get("model")
    return out


def predict(ctx: StageContext) -> np.ndarray | None:
    """The model's probabilities (:func:`label_probabilities`): the stage's expensive part.

    The stage's ``prepare`` (its declaration): it reads no other stage's frames and no
    languages, so the pipeline may run it in a second process while the nlp stage runs;
    :func:`run_stage` then takes the array from there.  Languages are decided at the stage's
    turn, where the nlp stage's answers for the same comments are reused (``_languages``).
    """
    model, _ = resolve_model(ctx.settings_of(LabelsSettings))
    return label_probabilities(ctx.forest.comments, model)


def run_stage(ctx: StageContext) -> StageResult:
    """The ``labels`` stage (reads the stance and links frames when those stages ran)."""
    model, path = resolve_model(ctx.settings_of(LabelsSettings))
    comments = ctx.forest.comments
    article_lang = {
        a: str(lang).split("-")[0].lower()
        for a, lang in ctx.forest.articles.select("article_id", "language").iter_rows() if lang
    }
    probabilities = ctx.prepared_or("labels", predict) if model is not None else None
    frame = label_comments(comments, model, article_lang=article_lang, probabilities=probabilities)
    article_ids = ctx.forest.articles.get_column("article_id").to_list()
    metrics = pl.concat(
        [share_metrics(frame, article_ids, error_rates(model.card) if model else None), moderation.thread_metrics(comments, article_ids).select(schemas.METRICS.names())],
        how="vertical",
    )
    rates = moderation.removal_rates(
        comments, stance=ctx.frames.get("stance.parquet"), labels=frame, links=ctx.frames.get("links.parquet"),
    )
    issues: list[ParseIssue] = []
    manifest: dict[str, Any] = {
        "n_comments": frame.height,
        "n_not_german": int((frame.get_column("lang") != MODEL_LANGUAGE).sum()),
        "n_removed_with_text": int(frame.get_column("is_deleted").sum()),
    }
    if model is None:
        manifest.update(state="model-absent", model=None, model_path=str(path),
                        how_to_build=f"{TRAIN_COMMAND} (the One Million Posts CSV or corpus.sqlite3)")
        issues.append(ParseIssue(
            code="labels-model-absent", severity="info",
            detail=f"no label model at {path}: sentiment and comment labels are null; build it with {TRAIN_COMMAND}",
        ))
    else:
        manifest.update(state="ok", model=model.name, model_path=str(path), model_sha256=file_sha256(path),
                        trained_on=model.card.get("data_sha256"), licence=model.card.get("licence"),
                        reliability=_reliability(model))
        thread_labels = [s for g in model.groups if g.thread is not None for s in g.labels if g.thread.coef.size
                         and bool(np.any(g.thread.coef[g.labels.index(s)]))]
        if thread_labels:
            # A comment alone in its article (in this input) gets an empty thread block: its
            # sentiment then rests on its own words, with the lower held-out figures of the card's
            # "alone" evaluation.
            scored = frame.filter(pl.col("model").is_not_null())
            sizes = frame.group_by("article_id").len()
            alone = scored.join(sizes, on="article_id").filter(pl.col("len") == 1).height
            manifest["thread_words"] = {
                "labels": thread_labels,
                "n_scored_without_other_comments": alone,
                "alone": ((model.card.get("evaluation") or {}).get("alone") or {}).get("labels"),
            }
    return StageResult(
        frames={"comment_labels.parquet": frame, "moderation.parquet": rates},
        metrics=metrics, issues=issues, manifest=manifest,
    )
