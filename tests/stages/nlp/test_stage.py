"""The nlp stage on forests built in code, on a fixture page and on the reference page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.core.errors import UsageError
from analyzer.ingest import Ingested
from analyzer.pipeline import analyse
from analyzer.stages.context import StageContext
from analyzer.stages.nlp.metrics import METRICS, describe
from analyzer.stages.nlp.stage import NlpSettings, run_stage
from analyzer.tree.forest import build_forest
from tests.conftest import ROOT, raw_articles, raw_comments


def _context(comments: list[dict[str, Any]], body: str | None, settings: dict[str, Any]) -> StageContext:
    raw = raw_comments(comments)
    articles = raw_articles([{"article_id": "a", "body": body, "language": "de"}])
    forest = build_forest(raw, articles)
    ingested = Ingested(comments=raw, articles=articles, blocks=schemas.empty(schemas.ARTICLE_BLOCKS))
    return StageContext(forest=forest, ingested=ingested, settings=settings)


def _thread(result: Any) -> dict[str, float | None]:
    rows = result.metrics.filter(pl.col("scope") == "thread")
    return dict(zip(rows["metric"].to_list(), rows["value"].to_list(), strict=True))


def test_stage_offline_end_to_end(empty_models_dir: Path) -> None:
    ctx = _context(
        [
            {"comment_id": "c1", "text": "Das ist eine gute und schöne Idee."},
            {"comment_id": "c2", "parent_id": "c1", "text": "Nein, das ist schlecht und falsch."},
            {"comment_id": "c3", "text": "   "},
            {"comment_id": "c4", "kind": "deleted", "text": "[deleted]"},
        ],
        "Die Lage ist schlimm. Der Krieg zerstört alles.",
        {"nlp": "auto", "models_dir": str(empty_models_dir)},
    )
    result = run_stage(ctx)
    sentences, tokens = result.frames["sentences.parquet"], result.frames["tokens.parquet"]
    assert sentences.schema == schemas.SENTENCES and tokens.schema == schemas.TOKENS
    assert set(sentences["doc_id"]) == {"c1", "c2", schemas.ARTICLE_DOC_ID}
    assert result.manifest["mode"] == "offline"
    assert result.manifest["languages"]["de"]["pipeline"] == "offline"
    assert result.manifest["models_dir"] == str(empty_models_dir)
    assert {"stanza", "SoMaJo", "HanTa", "py3langid"} <= set(result.manifest["components"])
    assert [(i.code, i.comment_id) for i in result.issues] == [("nlp-empty-text", "c3")]
    thread = _thread(result)
    assert thread["comment_polarity_mean"] == pytest.approx(0.0)  # +1 and -1
    assert thread["article_polarity"] == pytest.approx(-1.0)
    assert thread["tone_gap"] == pytest.approx(1.0)
    assert thread["n_sentences"] == 2 and thread["article_n_sentences"] == 2
    assert thread["lang_share_de"] == pytest.approx(1.0)
    comment = result.metrics.filter(pl.col("scope") == "comment")
    assert set(comment["subject_id"]) == {"c1", "c2"}
    assert result.metrics.schema == schemas.METRICS


def test_every_metric_is_registered(empty_models_dir: Path) -> None:
    ctx = _context([{"comment_id": "c1", "text": "Gut so."}], "Text.", {"nlp": "offline", "models_dir": str(empty_models_dir)})
    result = run_stage(ctx)
    for row in result.metrics.select("metric", "scope").unique().iter_rows():
        assert (row[0], row[1]) in METRICS, row
    assert describe("tone_gap").reference
    with pytest.raises(UsageError, match="did you mean"):
        describe("tone_gapp")


def test_no_text_at_all(empty_models_dir: Path) -> None:
    ctx = _context([{"comment_id": "c1", "text": ""}], None, {"nlp": "offline", "models_dir": str(empty_models_dir)})
    result = run_stage(ctx)
    assert result.frames["sentences.parquet"].height == 0
    assert result.frames["tokens.parquet"].schema == schemas.TOKENS
    assert result.manifest["mode"] == "offline"
    assert _thread(result)["tone_gap"] is None


def test_truncated_comment_gets_an_issue(empty_models_dir: Path) -> None:
    ctx = _context(
        [{"comment_id": "c1", "text": "Ein Satz. " * 50}], None,
        {"nlp": "offline", "models_dir": str(empty_models_dir), "nlp_max_chars": 40},
    )
    result = run_stage(ctx)
    assert [i.code for i in result.issues] == ["nlp-text-truncated"]
    assert result.issues[0].comment_id == "c1"


def test_settings_validation(empty_models_dir: Path) -> None:
    with pytest.raises(UsageError, match="--nlp"):
        NlpSettings.from_settings({"nlp": "gpu-magic"})
    assert NlpSettings.from_settings({"models_dir": str(empty_models_dir)}).models_dir == empty_models_dir


def test_stanza_mode_without_models_names_the_download_command(empty_models_dir: Path) -> None:
    ctx = _context([{"comment_id": "c1", "text": "Ein Satz."}], None, {"nlp": "stanza", "models_dir": str(empty_models_dir)})
    with pytest.raises(UsageError, match="analyzer models download de"):
        run_stage(ctx)


def test_fixture_page_with_cyrillic(empty_models_dir: Path) -> None:
    page = ROOT / "fixtures" / "de_cyrillic" / "input.txt"
    if not page.is_file():
        pytest.skip("fixture de_cyrillic is absent")
    analysis = analyse([page], stages="structure")
    result = run_stage(StageContext(forest=analysis.forest, ingested=analysis.ingested, settings={"nlp": "offline"}))
    sentences = result.frames["sentences.parquet"]
    assert "ru" in set(sentences["lang"])
    assert sentences.filter(pl.col("lang") == "ru")["sentiment"].null_count() == sentences.filter(pl.col("lang") == "ru").height
    assert result.manifest["languages"]["ru"]["pipeline"] == "fallback"


def test_reference_page(reference_page: Path, empty_models_dir: Path) -> None:
    analysis = analyse([reference_page], stages="structure")
    result = run_stage(StageContext(forest=analysis.forest, ingested=analysis.ingested, settings={"nlp": "auto"}))
    sentences, tokens = result.frames["sentences.parquet"], result.frames["tokens.parquet"]
    comments = analysis.forest.comments.filter(pl.col("kind") == "comment")
    # Comment E is the fifth visible comment: a German comment with a Cyrillic title line.
    e_id = comments["comment_id"][4]
    e_text = comments["text"][4]
    e_sentences = sentences.filter(pl.col("doc_id") == e_id)
    cyrillic = e_sentences.filter(pl.col("text").str.contains("Казахстану"))
    assert cyrillic.height == 1 and cyrillic["lang"].item() == "ru"
    assert cyrillic["sentiment"].item() is None
    ru_tokens = tokens.filter(pl.col("doc_id") == e_id, pl.col("sent_idx") == cyrillic["sent_idx"].item())
    assert ru_tokens["upos"].null_count() == ru_tokens.height  # never tagged as German
    assert "Казахстан" not in ru_tokens.filter(pl.col("upos").is_not_null())["lemma"].to_list()
    for row in e_sentences.iter_rows(named=True):
        assert e_text[row["start_char"] : row["end_char"]] == row["text"]
    # German sentences: lemmas and UPOS everywhere, sentiment 0/1/2 filled.
    german = sentences.filter(pl.col("lang") == "de")
    assert german.height > 80
    assert set(german["sentiment"].unique().to_list()) <= {0, 1, 2}
    assert german["sentiment"].null_count() == 0
    de_tokens = tokens.join(german.select("doc_id", "sent_idx"), on=["doc_id", "sent_idx"])
    assert de_tokens["lemma"].null_count() == 0 and de_tokens["upos"].null_count() == 0
    verbs = de_tokens.filter(pl.col("text") == "gehen")
    assert verbs.height == 0 or verbs["upos"].to_list()[0] == "VERB"
    assert _thread(result)["lang_share_ru"] > 0
    assert result.manifest["mode"] in {"offline", "stanza", "mixed"}


def test_english_article_language_tag(empty_models_dir: Path) -> None:
    from analyzer.stages.nlp.stage import _normalise_lang

    assert _normalise_lang("de-DE") == "de" and _normalise_lang("EN_us") == "en" and _normalise_lang("??") is None
    raw = raw_comments([{"comment_id": "c1", "text": "I do not think this is a good article at all, honestly."}])
    articles = raw_articles([{"article_id": "a", "body": "A short English article. It is fine.", "language": "en-US"}])
    ctx = StageContext(
        forest=build_forest(raw, articles),
        ingested=Ingested(comments=raw, articles=articles, blocks=schemas.empty(schemas.ARTICLE_BLOCKS)),
        settings={"nlp": "offline"},
    )
    result = run_stage(ctx)
    assert set(result.frames["sentences.parquet"]["lang"]) == {"en"}
    assert result.manifest["languages"]["en"]["pipeline"] == "offline"
    assert _thread(result)["lang_share_en"] == pytest.approx(1.0)


def test_removed_comments_with_text_are_analysed(empty_models_dir: Path) -> None:
    ctx = _context(
        [
            {"comment_id": "c1", "text": "Das ist eine gute Idee."},
            {"comment_id": "c2", "parent_id": "c1", "text": "Das ist schlecht und falsch.", "kind": "deleted"},
            {"comment_id": "c3", "parent_id": "c1", "text": "[deleted]", "kind": "deleted"},
            {"comment_id": "c4", "parent_id": "c1", "text": None, "kind": "removed"},
        ],
        None,
        {"nlp": "offline", "models_dir": str(empty_models_dir)},
    )
    result = run_stage(ctx)
    docs = set(result.frames["sentences.parquet"].get_column("doc_id").to_list())
    assert docs == {"c1", "c2"}
    assert not [i for i in result.issues if i.code == "nlp-empty-text"]  # placeholders are not anomalies
