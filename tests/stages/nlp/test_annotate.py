"""Texts to SENTENCES/TOKENS frames: offsets, order, language routing, bad input."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.core import schemas
from analyzer.stages.nlp import models
from analyzer.stages.nlp.annotate import DocInput, annotate, stanza_runner
from tests.conftest import HANG_LIMIT_S


@pytest.fixture
def de_runner(empty_models_dir: Path) -> Any:
    return stanza_runner(models.load_pipeline("de", mode="offline", models_dir=empty_models_dir))


def _check_offsets(docs: Sequence[DocInput], sentences: pl.DataFrame, tokens: pl.DataFrame) -> None:
    text_of = {(d.article_id, d.doc_id): d.text for d in docs}
    for frame in (sentences, tokens):
        for row in frame.iter_rows(named=True):
            text = text_of[(row["article_id"], row["doc_id"])]
            assert 0 <= row["start_char"] < row["end_char"] <= len(text)
            assert text[row["start_char"] : row["end_char"]] == row["text"]


def test_frames_follow_the_schemas_and_offsets(de_runner: Any) -> None:
    docs = [
        DocInput("a", schemas.ARTICLE_DOC_ID, "Die Regierung lobt das Gesetz.\n\nDas ist gut.", "de"),
        DocInput("a", "c1", "Zitat:\n-Die Zahlen sind falsch. Wirklich!\n„Это неправда.“", "de"),
    ]
    result = annotate(docs, {"de": de_runner})
    assert result.sentences.schema == schemas.SENTENCES
    assert result.tokens.schema == schemas.TOKENS
    _check_offsets(docs, result.sentences, result.tokens)
    c1 = result.sentences.filter(pl.col("doc_id") == "c1")
    assert c1["sent_idx"].to_list() == list(range(c1.height))
    assert c1["start_char"].is_sorted()
    assert c1["lang"].to_list() == ["de", "de", "de", "ru"]
    ru = result.tokens.filter(pl.col("doc_id") == "c1", pl.col("sent_idx") == 3)
    assert ru["upos"].null_count() == ru.height  # not tagged as German
    assert c1["sentiment"].to_list()[-1] is None
    de_tokens = result.tokens.filter(pl.col("doc_id") == "c1", pl.col("sent_idx") == 1)
    assert de_tokens["upos"].null_count() == 0 and de_tokens["lemma"].null_count() == 0
    # tok_idx restarts in every sentence
    assert result.tokens.group_by("doc_id", "sent_idx").agg(ok=(pl.col("tok_idx") == pl.int_range(pl.len())).all())["ok"].all()


def test_one_pipeline_call_per_language() -> None:
    calls: list[int] = []

    def fake(texts: Sequence[str]) -> list[Any]:
        calls.append(len(texts))
        return [_FakeDoc(t) for t in texts]

    docs = [DocInput("a", f"c{i}", f"Zeile eins {i}\nZeile zwei {i}", "de") for i in range(5)]
    result = annotate(docs, {"de": fake})
    assert calls == [10]  # all lines of all documents in one call
    assert result.sentences.height == 10
    _check_offsets(docs, result.sentences, result.tokens)


def test_truncation_is_reported(de_runner: Any) -> None:
    docs = [DocInput("a", "c1", "Wort " * 100, "de")]
    result = annotate(docs, {"de": de_runner}, max_chars=50)
    assert result.truncated == [0]
    assert result.tokens["end_char"].max() <= 50


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        "\x00\x01\x02 Steuerzeichen \x7f im Text.",
        "😀😀😀 Emoji überall 🇩🇪!",
        "http://example.org/" + "a" * 10_000 + " ist ein langer Link.",
        "Mischung: Deutsch, English words, русские слова, ελληνικά.",
        "." * 100_000,
        "a" * 100_000,
        "http://" * 15_000,
    ],
)
def test_bad_input_does_not_crash_or_hang(de_runner: Any, text: str) -> None:
    docs = [DocInput("a", "c1", text, "de")]
    start = time.process_time()
    result = annotate(docs, {"de": de_runner})
    assert time.process_time() - start < HANG_LIMIT_S
    _check_offsets(docs, result.sentences, result.tokens)


def test_one_megabyte_comment_is_cut_not_dropped(de_runner: Any) -> None:
    text = "Das ist ein Satz. " * 60_000  # about 1 MB
    start = time.process_time()
    result = annotate([DocInput("a", "c1", text, "de")], {"de": de_runner}, max_chars=20_000)
    assert time.process_time() - start < HANG_LIMIT_S
    assert result.truncated == [0]
    assert result.sentences.height > 1000


class _FakeWord:
    def __init__(self, text: str, start: int) -> None:
        self.text, self.start_char, self.end_char = text, start, start + len(text)
        self.lemma, self.upos, self.parent = text.lower(), "X", None


class _FakeSentence:
    def __init__(self, words: list[_FakeWord]) -> None:
        self.words = self.tokens = words
        self.sentiment = 1


class _FakeDoc:
    """The slice of stanza's Document API the converter reads (one sentence per text)."""

    def __init__(self, text: str) -> None:
        words, pos = [], 0
        for part in text.split(" "):
            words.append(_FakeWord(part, pos))
            pos += len(part) + 1
        self.sentences = [_FakeSentence(words)]


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_offsets_hold_for_any_text(de_runner: Any, text: str) -> None:
    docs = [DocInput("a", "c1", text, "de")]
    result = annotate(docs, {"de": de_runner})
    _check_offsets(docs, result.sentences, result.tokens)
    assert result.sentences["sent_idx"].to_list() == list(range(result.sentences.height))
