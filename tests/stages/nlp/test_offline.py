"""Offline components and the real stanza Pipeline built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.stages.nlp import models
from analyzer.stages.nlp.lexicon import NEGATIVE, POSITIVE
from analyzer.stages.nlp.offline import (
    OFFLINE_PROCESSORS,
    fallback_lemma,
    fallback_sentences,
    hanta_tagger,
    register_processors,
    somajo_tokenizer,
    tag_mapping,
)


def test_somajo_offsets_point_into_the_text() -> None:
    text = "Am 6. Januar wurde er verhaftet!!! Siehe www.example.org/x 😀 und z.T. mehr."
    sentences = somajo_tokenizer("de").sentences(text)
    assert len(sentences) == 2
    tokens = [text[t.start : t.end] for s in sentences for t in s]
    assert "6." in tokens and "www.example.org/x" in tokens and "😀" in tokens
    assert all(not tok.isspace() and tok for tok in tokens)
    classes = {text[t.start : t.end]: t.token_class for s in sentences for t in s}
    assert classes["www.example.org/x"] == "URL"


def test_hanta_upos_and_lemmas() -> None:
    tagged = hanta_tagger("de").tag(["Die", "Ermittler", "gehen", "davon", "aus", "."])
    assert [u for _, u, _ in tagged] == ["DET", "NOUN", "VERB", "ADV", "ADP", "PUNCT"]
    assert tagged[2][0] == "gehen" and tagged[0][0] == "der"
    english = hanta_tagger("en").tag(["The", "children", "were", "running", "."])
    assert [lemma for lemma, _, _ in english][:3] == ["the", "child", "be"]
    assert english[2][1] == "AUX"


def test_hanta_skips_urls_symbols_and_huge_tokens() -> None:
    huge = "x" * 10_000
    tagged = hanta_tagger("de").tag(["www.a.de", "😀", huge, "„"], ["URL", "emoticon", "regular", "symbol"])
    assert [u for _, u, _ in tagged] == ["X", "SYM", "X", "PUNCT"]


def test_every_mapped_tag_is_a_upos() -> None:
    upos = {"ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
            "PUNCT", "SCONJ", "SYM", "VERB", "X"}
    for lang in ("de", "en"):
        assert set(tag_mapping(lang).values()) <= upos


def test_fallback_sentences_and_lemmas() -> None:
    text = "Как дела? Хорошо, спасибо."
    sentences = fallback_sentences(text)
    assert [[text[s:e] for s, e in sent] for sent in sentences] == [["Как", "дела", "?"], ["Хорошо", ",", "спасибо", "."]]
    assert fallback_lemma("Казахстану", "ru") == "Казахстан"
    assert fallback_lemma("?", "ru") is None
    assert fallback_lemma("word", "xx") is None


def test_register_is_idempotent() -> None:
    from stanza.pipeline.registry import PIPELINE_NAMES, PROCESSOR_VARIANTS

    register_processors()
    register_processors()
    assert PIPELINE_NAMES.count("polarity") == 1
    assert "somajo" in PROCESSOR_VARIANTS["tokenize"] and "hanta" in PROCESSOR_VARIANTS["pos"]


def test_offline_stanza_pipeline_end_to_end(empty_models_dir: Path) -> None:
    import stanza

    pipeline = models.load_pipeline("de", mode="offline", models_dir=empty_models_dir)
    assert isinstance(pipeline, stanza.Pipeline)
    assert set(OFFLINE_PROCESSORS) <= set(pipeline.processors)
    texts = ["Das ist nicht gut. Ich finde es super!", "", "Zum Glück blieb es ruhig."]
    docs = pipeline([stanza.Document([], text=t) for t in texts])
    first = docs[0]
    assert [s.sentiment for s in first.sentences] == [NEGATIVE, POSITIVE]
    words = first.sentences[0].words
    assert [(w.text, w.lemma, w.upos) for w in words][:2] == [("Das", "der", "PRON"), ("ist", "sein", "AUX")]
    assert all(texts[0][w.start_char : w.end_char] == w.text for s in first.sentences for w in s.words)
    assert docs[1].sentences == []
    assert models.load_pipeline("de", mode="offline", models_dir=empty_models_dir) is pipeline  # cached


def test_offline_english_pipeline(empty_models_dir: Path) -> None:
    import stanza

    pipeline = models.load_pipeline("en", mode="offline", models_dir=empty_models_dir)
    (doc,) = pipeline([stanza.Document([], text="This isn't a good idea at all.")])
    assert doc.sentences[0].sentiment == NEGATIVE
    assert "n't" in [w.text for w in doc.sentences[0].words]


def test_unknown_mode(empty_models_dir: Path) -> None:
    with pytest.raises(Exception, match="unknown pipeline mode"):
        models.load_pipeline("de", mode="magic", models_dir=empty_models_dir)
