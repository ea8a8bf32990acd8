"""The ``labels`` stage in a real run: rows, shares with counts, model absent, removed comments."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from analyzer.pipeline import analyse
from analyzer.stages.labels import model as label_model
from analyzer.stages.labels.moderation import pooled
from analyzer.stages.labels.schemas import COMMENT_LABELS, MODERATION
from analyzer.stages.labels.train import fit_model, read_labelled
from tests.stages.labels.conftest import labelled_rows, write_csv

MAP = {
    "comment_id": "ID_Post", "parent_id": "ID_Parent_Post", "article_id": "ID_Article", "author": "ID_User",
    "created_at": "CreatedAt", "text": "Headline+Body", "deleted": "Status",
}


def _analyse(small_omp: Path, out: Path, stages: str = "labels", **settings: str):  # type: ignore[no-untyped-def]
    from analyzer.ingest import ReadOptions

    return analyse([small_omp], out=out, options=ReadOptions(mapping=MAP), stages=stages, stage_settings=settings)


def test_model_absent_gives_null_labels_an_issue_and_a_manifest_state(small_omp: Path, data_dir: Path, tmp_path: Path) -> None:
    _analyse(small_omp, tmp_path / "run")
    labels = pl.read_parquet(tmp_path / "run" / "comment_labels.parquet")
    assert labels.schema == COMMENT_LABELS
    assert labels.height == 40 and labels.get_column("model").null_count() == 40
    assert labels.get_column("sentiment").null_count() == 40
    assert labels.get_column("is_deleted").sum() == 8  # removed by moderators, text kept: still a row
    metrics = pl.read_parquet(tmp_path / "run" / "metrics.parquet")
    assert metrics.filter(pl.col("metric").str.starts_with("label_share_")).is_empty()  # no number without a model
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    info = manifest["stage_info"]["labels"]
    assert info["state"] == "model-absent" and info["model"] is None and "labels train" in info["how_to_build"]
    issues = pl.read_parquet(tmp_path / "run" / "parse_issues.parquet")
    assert issues.filter(pl.col("code") == "labels-model-absent").height == 1


def test_named_model_that_does_not_exist_is_a_usage_error(small_omp: Path, tmp_path: Path) -> None:
    from analyzer.core.errors import UsageError

    with pytest.raises(UsageError, match="not found"):
        _analyse(small_omp, tmp_path / "run", labels_model=str(tmp_path / "nope.npz"))


@pytest.mark.slow
def test_with_a_model_every_comment_is_labelled_and_shares_carry_counts(
    small_omp: Path, data_dir: Path, tmp_path: Path
) -> None:
    label_model.save(fit_model(read_labelled(small_omp)), label_model.default_model_path())
    english = {**labelled_rows()[0], "ID_Post": "999", "ID_Article": "0", "Status": "online",
               "Body": "This is complete nonsense and an utter disgrace, frankly.", "SentimentNegative": ""}
    source = write_csv(tmp_path / "with_english.csv", [*labelled_rows(), english])
    _analyse(source, tmp_path / "run")
    everything = pl.read_parquet(tmp_path / "run" / "comment_labels.parquet")
    # A German model says nothing about an English comment: a row, its language, null labels.
    other = everything.filter(pl.col("comment_id") == "999").row(0, named=True)
    assert other["lang"] == "en" and other["model"] is None and other["sentiment"] is None
    assert other["p_sentiment_negative"] is None
    labels = everything.filter(pl.col("comment_id") != "999")
    assert labels.get_column("lang").unique().to_list() == ["de"]
    assert labels.get_column("model").unique().to_list() == [label_model.MODEL_NAME]
    assert labels.get_column("sentiment").null_count() == 0
    assert labels.get_column("arguments_used").null_count() == 40  # not trained: null, never False
    gold = {r["ID_Post"]: r["SentimentNegative"] == "1" for r in labelled_rows()}
    predicted = dict(labels.select("comment_id", pl.col("sentiment") == "negative").iter_rows())
    # The model saw these texts in training, but not always the same reply flag (parents in
    # other articles are attached to the article by the tree builder): nearly all agree.
    assert sum(predicted[c] == g for c, g in gold.items()) >= 38
    metrics = pl.read_parquet(tmp_path / "run" / "metrics.parquet").filter(pl.col("scope") == "thread")
    wide = {(a, m): v for a, m, v in metrics.select("article_id", "metric", "value").iter_rows()}
    for article in labels.get_column("article_id").unique().to_list():
        n = wide[(article, "labels_n_scored")]
        k = wide[(article, "label_n_sentiment_negative")]
        assert n == labels.filter(pl.col("article_id") == article).height
        assert wide[(article, "label_share_sentiment_negative")] == pytest.approx(k / n)
        assert wide[(article, "label_share_sentiment_negative_ci_low")] <= k / n <= wide[(article, "label_share_sentiment_negative_ci_high")]
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    info = manifest["stage_info"]["labels"]
    assert info["state"] == "ok" and info["model"] == label_model.MODEL_NAME
    # Trained without evaluation: no label may pass as a finding.
    assert info["reliability"]["sentiment_negative"]["reliable"] is None
    rates = pl.read_parquet(tmp_path / "run" / "moderation.parquet")
    assert rates.schema == MODERATION
    assert set(rates.get_column("by").to_list()) >= {"all", "depth", "sentiment", "label", "hours_since_first"}
    assert rates.filter(pl.col("by") == "all").height == 10  # one row per article
    overall = pooled(rates).filter(pl.col("by") == "all").row(0, named=True)
    assert (overall["n_comments"], overall["n_removed"]) == (41, 8)  # the English comment counts too


def test_adjusted_share_undoes_the_known_error_rates() -> None:
    from analyzer.stages.labels.stage import error_rates, share_metrics

    card = {"evaluation": {"labels": {"inappropriate": {"n": 1000, "n_positive": 100, "precision": 0.25, "recall": 0.5}}}}
    (tpr, fpr), = error_rates(card).values()
    assert tpr == 0.5 and fpr == pytest.approx(150 / 900)  # TP 50, FP 150 of 900 negatives
    # A thread of 60 comments in which 10 truly carry the label: expected flags 0.5 * 10 + fpr * 50.
    flagged = round(0.5 * 10 + fpr * 50)
    frame = pl.DataFrame({
        "article_id": ["a"] * 60, "inappropriate": [True] * flagged + [False] * (60 - flagged), "model": ["m"] * 60,
        **{s: [False] * 60 for s in ("sentiment_negative", "sentiment_positive", "arguments_used", "discriminating",
                                     "off_topic", "personal_stories", "possibly_feedback")},
        "sentiment": ["neutral"] * 60,
    })
    metrics = dict(share_metrics(frame, ["a"], error_rates(card)).select("metric", "value").iter_rows())
    assert metrics["label_share_inappropriate"] == pytest.approx(flagged / 60)
    assert metrics["label_share_inappropriate_adjusted"] == pytest.approx(10 / 60, abs=0.02)
    assert "label_share_off_topic_adjusted" not in metrics  # not evaluated: no adjustment
