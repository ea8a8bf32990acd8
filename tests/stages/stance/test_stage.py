"""The stance stage on trees built in code, the bundled sample page and the reference page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analyzer.core import schemas
from analyzer.ingest import Ingested
from analyzer.pipeline import analyse
from analyzer.stages.context import StageContext
from analyzer.stages.framing.quotes import compute_quotes
from analyzer.stages.stance.stage import label_comments, run_stage
from analyzer.tree.forest import Forest, build_forest
from tests.conftest import ROOT, SHARED, raw_articles, raw_comments

SAMPLE = ROOT / "fixtures" / "de_sample_page" / "input.txt"
REFERENCE = SHARED / "seeds" / "000_4a71c00d018d265b.txt"


def forest_of(rows: list[dict[str, Any]], *, language: str | None = "de", body: str = "Ein Artikel über den Hafen.") -> Forest:
    return build_forest(raw_comments(rows), raw_articles([{"article_id": "a", "body": body, "language": language,
                                                          "author": "Jan Falkner"}]))


def stance_of(forest: Forest) -> pl.DataFrame:
    quotes, own, *_ = compute_quotes(forest, None)
    frame, _, _ = label_comments(forest, {"quotes.parquet": quotes, "own_texts.parquet": own})
    return frame


def by_id(frame: pl.DataFrame) -> dict[str, dict[str, Any]]:
    return {r["comment_id"]: r for r in frame.iter_rows(named=True)}


def test_small_tree_labels_and_propagation() -> None:
    forest = forest_of([
        {"comment_id": "A", "parent_id": None, "text": "Genau so ist es, danke für den Artikel!"},
        {"comment_id": "B", "parent_id": "A", "text": "Unsinn, das stimmt so nicht."},
        {"comment_id": "C", "parent_id": "B", "text": "Wer lesen kann, ist klar im Vorteil."},
        {"comment_id": "D", "parent_id": "C", "text": "Woher haben Sie das?"},
        {"comment_id": "E", "parent_id": None, "text": "Der Hafen liegt im Norden."},
    ])
    rows = by_id(stance_of(forest))
    assert [rows[c]["stance_parent"] for c in "ABCDE"] == ["support", "deny", "deny", "query", "comment"]
    assert [rows[c]["stance_article"] for c in "ABCDE"] == ["support", "deny", "support", "comment", "comment"]
    evidence = json.loads(rows["C"]["evidence"])
    assert [s["comment_id"] for s in evidence["article"]["path"]] == ["A", "B", "C"]
    cue = next(c for c in evidence["cues"] if c["family"] == "sarcasm")
    text = "Wer lesen kann, ist klar im Vorteil."
    assert text[cue["start"] : cue["end"]] == cue["text"]
    assert rows["A"]["model"].startswith("cues-de-")


def test_hidden_comments_get_no_row_and_ghost_parents_break_the_chain() -> None:
    forest = forest_of([
        {"comment_id": "A", "parent_id": None, "text": "Genau!"},
        {"comment_id": "X", "parent_id": "A", "text": "[deleted]", "kind": "deleted"},
        {"comment_id": "B", "parent_id": "X", "text": "Unsinn."},
        {"comment_id": "G", "parent_id": None, "declared_depth": 1, "text": "Das ist Unsinn."},
    ])
    rows = by_id(stance_of(forest))
    assert set(rows) == {"A", "B", "G"}
    assert rows["B"]["stance_parent"] == "deny" and rows["B"]["stance_article"] == "comment"
    assert json.loads(rows["B"]["evidence"])["parent_unknown"] is True


@pytest.mark.parametrize(("text", "reason"), [
    ("…!? -- :) ", "no-words"),
    ("https://example.org/a/b?c=d", "only-links"),
    ("😀😀🔥👀", "no-words"),
    ("\x00\x01\x02", "no-words"),
])
def test_bad_input_gives_comment_with_low_confidence_and_a_reason(text: str, reason: str) -> None:
    rows = by_id(stance_of(forest_of([{"comment_id": "A", "parent_id": None, "text": text}])))
    row = rows["A"]
    assert row["stance_parent"] == "comment" and row["stance_article"] == "comment"
    assert row["stance_parent_conf"] <= 0.2
    assert json.loads(row["evidence"])["reason"] == reason


def test_only_quotation_and_unsupported_language() -> None:
    body = "Die Regierung hat heute die neuen Regeln für alle Schulen im Land beschlossen."
    forest = forest_of([
        {"comment_id": "Q", "parent_id": None, "text": "„Die Regierung hat heute die neuen Regeln für alle Schulen im Land beschlossen“"},
    ], body=body)
    assert json.loads(by_id(stance_of(forest))["Q"]["evidence"])["reason"] == "only-quotation"
    forest = forest_of([{"comment_id": "R", "parent_id": None, "text": "Это полная чепуха, не верю."}], language="ru")
    row = by_id(stance_of(forest))["R"]
    assert row["stance_parent"] == "comment" and row["stance_parent_conf"] <= 0.2
    assert json.loads(row["evidence"])["reason"] == "unsupported-language:ru"


def test_huge_comment_and_long_url_do_not_hang() -> None:
    big = ("Das ist Unsinn. " * 70_000)[:1_000_000]
    url = "Siehe https://example.org/" + "a" * 10_000
    forest = forest_of([{"comment_id": "A", "parent_id": None, "text": big}, {"comment_id": "B", "parent_id": "A", "text": url}])
    quotes, own, *_ = compute_quotes(forest, None)
    frame, _, issues = label_comments(forest, {"quotes.parquet": quotes, "own_texts.parquet": own})
    rows = by_id(frame)
    assert rows["A"]["stance_parent"] == "deny" and rows["B"]["stance_parent"] == "support"
    assert any(i.code == "stance-text-truncated" and i.comment_id == "A" for i in issues)


@pytest.fixture(scope="module")
def sample_analysis() -> Any:
    return analyse([SAMPLE], stages="quotes", stage_settings={"nlp": "offline"})


def run(analysis: Any, settings: dict[str, Any] | None = None) -> Any:
    return run_stage(StageContext(forest=analysis.forest, ingested=analysis.ingested, settings=settings or {},
                                  frames=dict(analysis.stage_frames)))


def test_sample_page_stage_schema_metrics_and_determinism(sample_analysis: Any) -> None:
    first, second = run(sample_analysis), run(sample_analysis)
    frame = first.frames["stance.parquet"]
    schemas.check(frame, schemas.STANCE, "stance")
    assert_frame_equal(frame, second.frames["stance.parquet"])
    assert_frame_equal(first.metrics, second.metrics)
    n_visible = sample_analysis.forest.comments.filter(pl.col("kind") == "comment").height
    assert frame.height == n_visible
    assert set(frame.get_column("stance_parent")) <= set(schemas.STANCE_LABELS)
    assert set(first.metrics.get_column("scope").unique()) == {"thread", "subtree", "stance_level"}
    thread = first.metrics.filter((pl.col("scope") == "thread") & (pl.col("metric") == "n_stance_comments"))
    assert thread.get_column("value").item() == n_visible
    rows = by_id(frame)
    assert rows["c2"]["stance_parent"] == "query"  # "Woher wissen denn „alle“ …? Ich frage ernsthaft"
    assert rows["c5"]["stance_parent"] == "deny"  # "Wer lesen kann, ist klar im Vorteil…"
    assert rows["c25"]["stance_article"] == "support"  # "Danke für die Übersetzung …, Herr Falkner"
    assert first.manifest["n_comments"] == n_visible


def test_empty_forest() -> None:
    forest = build_forest(schemas.empty(schemas.RAW_COMMENTS), raw_articles([{"article_id": "a"}]))
    ingested = Ingested(schemas.empty(schemas.RAW_COMMENTS), raw_articles([{"article_id": "a"}]),
                        schemas.empty(schemas.ARTICLE_BLOCKS))
    result = run_stage(StageContext(forest=forest, ingested=ingested, settings={}))
    assert result.frames["stance.parquet"].is_empty() and result.metrics is not None and result.metrics.is_empty()


@pytest.mark.shared_data
def test_reference_page_sanity() -> None:
    """methods.md hand reading (orientation, not gold): B denies, C denies B, E and F support."""
    if not REFERENCE.is_file():
        pytest.skip(f"reference page {REFERENCE} is absent")
    result = run(analyse([REFERENCE], stages="quotes", stage_settings={"nlp": "offline"}))
    rows = by_id(result.frames["stance.parquet"])
    assert rows["c2"]["stance_article"] == "deny"  # B: quotes the article, then the minister disagrees
    assert rows["c3"]["stance_parent"] == "deny" and rows["c3"]["stance_article"] == "support"  # C
    assert rows["c5"]["stance_parent"] == "support"  # E recommends a source
    assert rows["c6"]["stance_parent"] == "support"  # F: rhetorical questions, not query
    assert all(c["family"] != "wh_question" for c in json.loads(rows["c6"]["evidence"])["cues"])


def test_stage_file_is_declared() -> None:
    from analyzer.core.run import known_files

    assert known_files()["stance.parquet"] == schemas.STANCE
    assert Path(SAMPLE).is_file()


def test_removed_comment_with_text_gets_a_stance_row() -> None:
    # One Million Posts keeps the text of posts its moderators removed (Status = deleted).
    forest = forest_of([
        {"comment_id": "A", "parent_id": None, "text": "Genau so ist es!"},
        {"comment_id": "R", "parent_id": "A", "text": "Unsinn, das stimmt so nicht.", "kind": "deleted"},
        {"comment_id": "P", "parent_id": "A", "text": "[removed]", "kind": "removed"},
    ])
    rows = by_id(stance_of(forest))
    assert set(rows) == {"A", "R"}
    assert rows["R"]["stance_parent"] == "deny"
