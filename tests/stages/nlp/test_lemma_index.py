"""simplemma over the on-disk indexes gives simplemma's own lemmas."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.slow  # decodes a language twice and builds its index once (a few seconds)
def test_indexed_lemmas_equal_simplemma(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import simplemma

    from analyzer.stages.nlp import lemma_index

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lemma_index.lemmatizer.cache_clear()
    words = ["дела", "вас", "сегодня", "друзья", "мои", "Как", "книги", "говорил", "Путина", "x", "123", "Häuser"]
    try:
        got = [lemma_index.lemmatizer().lemmatize(w, "uk") for w in words]
        assert got == [simplemma.lemmatize(w, "uk") for w in words]
        # The first need decodes in memory and leaves a mark, no index.
        assert list(tmp_path.glob("analyzer/simplemma/*/uk.wanted"))
        assert not list(tmp_path.glob("analyzer/simplemma/*/uk.sqlite"))
        # The second builds the index, and a third reads it.
        lemma_index.lemmatizer.cache_clear()
        assert [lemma_index.lemmatizer().lemmatize(w, "uk") for w in words] == got
        assert list(tmp_path.glob("analyzer/simplemma/*/uk.sqlite")), "the index was not written"
        lemma_index.lemmatizer.cache_clear()
        assert isinstance(lemma_index.IndexedDictionaryFactory().get_dictionary("uk"), lemma_index.IndexedDictionary)
        assert [lemma_index.lemmatizer().lemmatize(w, "uk") for w in words] == got
    finally:
        lemma_index.lemmatizer.cache_clear()


def test_unwritable_cache_falls_back_to_simplemma(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import simplemma

    from analyzer.stages.nlp import lemma_index

    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    factory = lemma_index.IndexedDictionaryFactory()
    dictionary = factory.get_dictionary("da")
    assert not isinstance(dictionary, lemma_index.IndexedDictionary)
    assert dictionary.get("huse") == simplemma.lemmatize("huse", "da") or dictionary.get("huse") is None
