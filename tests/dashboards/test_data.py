"""The data-access module: per-article views, stage placeholders, framing comparison."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from dashboards.data import RunData, evidence_items
from tests.dashboards.conftest import ARTICLE, COPY


@pytest.fixture(scope="module")
def sample(sample_run: Path) -> RunData:
    return RunData(sample_run)


@pytest.fixture(scope="module")
def full(full_run: Path) -> RunData:
    return RunData(full_run)


def test_missing_stages_come_back_as_none(sample: RunData) -> None:
    assert sample.stance(ARTICLE) is None
    assert sample.stance_counts(ARTICLE) is None
    assert sample.frames(ARTICLE) is None
    assert sample.frame_profile(ARTICLE) is None
    assert sample.keyness(ARTICLE) is None
    assert sample.label_adoption(ARTICLE) is None
    assert sample.thread_numbers(ARTICLE).get("article_support_ratio") is None


def test_corpus_table_has_the_grid_columns(sample: RunData) -> None:
    table = sample.corpus_table()
    row = table.row(0, named=True)
    assert row["article_id"] == ARTICLE
    assert row["n_visible"] == 26 and row["max_depth"] == 7
    assert row["visibility"] == pytest.approx(26 / 34)
    assert row["link_comment_share"] == pytest.approx(4 / 26)
    assert row["n_issues"] == 1
    assert row["article_support_ratio"] is None and row["frame_jsd_bits"] is None


def test_resolve_article_falls_back_for_unknown_ids(full: RunData) -> None:
    assert full.resolve_article(COPY) == COPY
    assert full.resolve_article("../../etc/passwd") == ARTICLE  # most commented
    assert full.resolve_article(None) == ARTICLE
    assert [o["value"] for o in full.article_options()] == [ARTICLE, COPY]


def test_levels_count_ghosts_separately(sample: RunData) -> None:
    levels = sample.levels(ARTICLE)
    assert levels["n_all"].sum() == 29 and levels["n_visible"].sum() == 26
    assert levels["depth"].to_list() == list(range(1, 8))


def test_stance_views(full: RunData) -> None:
    counts = full.stance_counts(ARTICLE)
    assert counts is not None and counts["n"].sum() == 26
    s = counts.filter(pl.col("label") == "support")["n"].item()
    d = counts.filter(pl.col("label") == "deny")["n"].item()
    # Shares come with the count behind them and a Wilson interval, never alone.
    support = counts.filter(pl.col("label") == "support").row(0, named=True)
    assert support["n_total"] == 26 and support["share"] == pytest.approx(s / 26)
    assert support["ci_low"] < support["share"] < support["ci_high"] and not support["too_few"]
    assert d >= 0
    # The support ratio is the stance stage's metric; hand-made frames without it show none.
    assert full.thread_numbers(ARTICLE).get("article_support_ratio") is None
    by_depth = full.stance_depth_counts(ARTICLE)
    assert by_depth is not None and by_depth["n"].sum() == 26
    row = full.stance_of(ARTICLE, "c1")
    assert row is not None and row["stance_parent"] == "support"


def test_frame_profile_is_never_recomputed_from_hits(full: RunData) -> None:
    """frames.parquet without the framing stage's own profile metrics gives no profile: the
    views draw what the stage computed (tests/stages/framing/test_compare.py checks its numbers by
    hand), they never smooth hits with constants of their own."""
    assert full.frames(ARTICLE) is not None
    assert full.frame_profile(ARTICLE) is None
    assert full.thread_numbers(ARTICLE).get("frame_jsd_bits") is None


def test_article_term_spans_point_at_matched_lemmas(full: RunData) -> None:
    spans = full.article_term_spans(ARTICLE)
    body = full.article(ARTICLE)["body"]  # type: ignore[index]
    assert spans, "the test frames match lemmas of the sample body"
    for start, end, frame in spans:
        assert frame in {"conflict", "economy"}
        assert body[start:end] in {"Netz", "Mast", "Reserve", "Netzes", "Masten"}


def test_keyness_and_quotes(full: RunData) -> None:
    keyness = full.keyness(ARTICLE)
    assert keyness is not None and keyness.height == 4
    assert full.keyness("no-such-article").is_empty()  # type: ignore[union-attr]
    assert sum(full.quote_counts(ARTICLE).values()) == 2


def test_link_views(sample: RunData) -> None:
    table = sample.domain_table(ARTICLE)
    assert table["n_links"].sum() == 7
    assert table.row(0, named=True)["domain"] == "example.org"
    assert table.filter(pl.col("domain") == "example.com")["n_obfuscated"].item() == 1
    assert sample.domain_table(None)["n_links"].sum() == 7
    comments = sample.domain_comments(ARTICLE, "example.org")
    assert comments["comment_id"].to_list() == ["c3", "c7", "c26"]
    assert sample.n_domain_comments(None, "example.org") == 3
    assert sample.link_depth_counts(ARTICLE)["n_links"].sum() == 7
    assert sample.rating_coverage(ARTICLE).is_empty()


def test_latencies_without_timestamps_are_empty(sample: RunData) -> None:
    assert sample.latencies(ARTICLE) == []


def test_nlp_banner_names_the_mode(sample: RunData) -> None:
    assert "offline" in sample.nlp_banner()


@pytest.mark.parametrize(("evidence", "expected"), [
    (None, []),
    ("not json {", ["not json {"]),
    ('{"cues": [{"cue": "aber", "span": [3, 7]}], "reason": "contrast"}',
     ['cues: {"cue": "aber", "span": [3, 7]}', "reason: contrast"]),
    ('["x", 1]', ['["x", 1]']),
])
def test_evidence_items(evidence: str | None, expected: list[str]) -> None:
    assert evidence_items(evidence) == expected


def test_reported_frame_metrics_take_precedence(full_run: Path, tmp_path: Path) -> None:
    """When the framing stage wrote scope-"frame" metrics, the profile is theirs, not recomputed."""
    from analyzer.core.run import read_run, write_run

    run = read_run(full_run)
    frames = {name: run.frame(name) for name in run.manifest["files"]}
    extra = pl.DataFrame({
        "article_id": [ARTICLE] * 6, "scope": ["frame"] * 6, "subject_id": ["a", "a", "a", "b", "b", "b"],
        "metric": ["p_article", "p_comments", "dominant_article"] * 2, "value": [0.9, 0.2, 1.0, 0.1, 0.8, 0.0]})
    thread = pl.DataFrame({"article_id": [ARTICLE], "scope": ["thread"], "subject_id": [ARTICLE],
                           "metric": ["frame_jsd_bits"], "value": [0.42]})
    frames["metrics.parquet"] = pl.concat([frames["metrics.parquet"], extra, thread])
    data = RunData(write_run(tmp_path / "run", frames, {}))
    profile = data.frame_profile(ARTICLE)
    assert profile is not None and profile["frame"].to_list() == ["a", "b"]
    assert profile["dominant_article"].to_list() == [True, False]
    assert profile["dominant_comments"].to_list() == [False, False]
    assert data.thread_numbers(ARTICLE)["frame_jsd_bits"] == 0.42
    assert data.corpus_table().filter(pl.col("article_id") == ARTICLE)["frame_jsd_bits"].item() == 0.42

    # The same run without the article's text: no comparison anywhere, whatever the metrics say.
    frames["articles.parquet"] = frames["articles.parquet"].with_columns(pl.lit(None, dtype=pl.String).alias("body"))
    bare = RunData(write_run(tmp_path / "bare", frames, {}))
    assert bare.frame_profile(ARTICLE) is None and bare.label_adoption(ARTICLE) is None
    assert bare.thread_numbers(ARTICLE)["frame_jsd_bits"] is None
    assert bare.corpus_table().filter(pl.col("article_id") == ARTICLE)["frame_jsd_bits"].item() is None


def test_real_stance_and_framing_stages_feed_the_views(full_sample_run: Path) -> None:
    """The views over a run with the real stance and framing stages, not hand-made frames."""
    data = RunData(full_sample_run)
    stance = data.stance(ARTICLE)
    assert stance is not None and stance.height == 26
    counts = data.stance_counts(ARTICLE)
    assert counts is not None
    profile = data.frame_profile(ARTICLE)
    assert profile is not None and profile.height > 0
    keyness = data.keyness(ARTICLE)
    assert keyness is not None and keyness.height > 0
    metrics = data.thread_numbers(ARTICLE)
    assert metrics["article_support_ratio"] is not None and 0.0 <= metrics["article_support_ratio"] <= 1.0


def test_a_run_written_again_is_served_whole_never_mixed(tmp_path: Path) -> None:
    from analyzer.pipeline import analyse

    table = tmp_path / "comments.csv"
    table.write_text("article_id,comment_id,parent_id,text\nalt,1,,eins\nalt,2,1,zwei\n", encoding="utf-8")
    out = tmp_path / "run"
    analyse([table], out=out, stages="structure")
    data = RunData(out)
    assert data.article_ids() == ["alt"]
    table.write_text("article_id,comment_id,parent_id,text\nneu,9,,neun\n", encoding="utf-8")
    analyse([table], out=out, stages="structure")
    assert data.article_ids() == ["neu"]  # the memoised view of the old run was dropped
    assert data.corpus_table()["article_id"].to_list() == ["neu"]
    assert data.run.comments["comment_id"].to_list() == ["9"]


def test_an_articles_comment_table_is_its_part_of_the_runs(full: RunData) -> None:
    # The per-article table comes from splitting the run's table: the same rows, in the same
    # order, as the table built from the article's own frames.
    from analyzer.views import comments as cv

    for article_id in full.article_ids():
        alone = cv.comment_table(full.comments(article_id), full.stance(article_id), full.links(article_id),
                                 full.quotes(article_id))
        assert full.comment_table(article_id).equals(alone)
    assert full.comment_table("no-such-article").is_empty()
