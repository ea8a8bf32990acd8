"""HanTa through :mod:`analyzer.stages.nlp.hanta_fast`: the same tags and lemmas as HanTa's own
``tag_sent``, and a per-machine form table that only changes where the analyses come from."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.stages.nlp import hanta_fast
from analyzer.stages.nlp.offline import HantaTagger, somajo_tokenizer
from tests.conftest import SHARED

TEXTS = [
    "Die Regierung lügt nicht, sagt der Bundeskanzler am Montag in Wien.",
    "Das Donaudampfschifffahrtsgesellschaftskapitänspatent ist abgelaufen, meinte Frau Müller-Lüdenscheidt.",
    "Ich glaub's nicht: die Grünen und die FPÖ-Wähler wählen gemeinsam?!",
    "Gestern gingen wir laufen und sahen einen wunderschönen Sonnenuntergang.",
    "XyzzyQuark flimmert grotzig über den Blubberwald.",  # unknown forms: HanTa's "anything goes"
]


def _sentences(texts: list[str]) -> list[list[str]]:
    tok = somajo_tokenizer("de")
    out = []
    for text in texts:
        for s in tok.sentences(text):
            words = [text[t.start : t.end] for t in s]
            words = [w for w in words if any(c.isalnum() for c in w)]
            if words:
                out.append(words)
    return out


def test_fast_viterbi_equals_hanta(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tagger = HantaTagger("de", persist=False)
    for words in _sentences(TEXTS):
        assert tagger._fast.tag(words) == tagger._tagger.tag_sent(words), words


def test_form_table_serves_a_new_process_without_analysing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    sentences = _sentences(TEXTS)
    first = HantaTagger("de")
    expected = [first._fast.tag(words) for words in sentences]
    first.flush()
    assert list(tmp_path.glob("analyzer/hanta/*/morphmodel_ger.sqlite"))

    second = HantaTagger("de")  # a later run: every form is on the machine's table

    def no_analysis(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"analysed again: {args}")

    monkeypatch.setattr(second._tagger, "_tag_word", no_analysis)
    monkeypatch.setattr(second._tagger, "_analyze", no_analysis)
    second.prefetch({w for words in sentences for w in words})
    assert [second._fast.tag(words) for words in sentences] == expected


def test_prefetch_by_one_pass_reads_what_lookups_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many forms: one pass over the table; few: lookups 500 at a time. The same entries."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    sentences = _sentences(TEXTS)
    first = HantaTagger("de")
    for words in sentences:
        first._fast.tag(words)
    first.flush()
    forms = sorted({w for words in sentences for w in words})
    asked = set(forms[::2]) | {"nie-gesehen"}
    read = []
    for share in (10**9, 0):  # always one pass; never
        monkeypatch.setattr(hanta_fast, "SCAN_SHARE", share)
        table = HantaTagger("de").forms
        table.prefetch(asked)
        table.prefetch(asked)  # asked before: nothing read again
        read.append((dict(table._stored_words), dict(table._stored_lemmas)))
    assert read[0] == read[1]
    assert read[0][0] and read[0][1]
    assert {form for form, _ in read[0][0]} <= asked


def test_unwritable_cache_folder_still_tags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    tagger = HantaTagger("de")
    assert tagger.forms._db is None
    words = ["Die", "Regierung", "lügt"]
    tagger.prefetch(words)
    assert tagger.tag(words) == HantaTagger("de", persist=False).tag(words)
    tagger.flush()


@pytest.mark.slow
@pytest.mark.shared_data
def test_fast_viterbi_equals_hanta_on_real_comments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """300 One Million Posts comments: every sentence tagged alike."""
    from tests.bench.nlp_profile import OMP_CSV, omp_texts

    if not OMP_CSV.is_file():
        pytest.skip(f"{OMP_CSV} is absent (shared data folder {SHARED})")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tagger = HantaTagger("de", persist=False)
    for words in _sentences(omp_texts(OMP_CSV, 300)):
        words = [w for w in words if len(w) <= 64]
        if words:
            assert tagger._fast.tag(words) == tagger._tagger.tag_sent(words), words


def test_common_order_ranks_every_states_followers_as_listed() -> None:
    from analyzer.stages.nlp.hanta_fast import _common_order

    trans = {(0, 1): {5: 0.0, 7: 0.0, 9: 0.0}, (1, 5): {7: 0.0, 8: 0.0}, (1, 7): {4: 0.0, 5: 0.0}}
    rank = _common_order(trans)
    assert rank is not None
    for followers in trans.values():
        listed = list(followers)
        assert sorted(listed, key=rank.__getitem__) == listed
    # Two states listing two tags in opposite orders: no common order.
    assert _common_order({(0, 1): {5: 0.0, 7: 0.0}, (1, 5): {7: 0.0, 5: 0.0}}) is None


def test_shipped_models_have_a_common_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path (one sort per form) is the one the shipped models take."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for lang in ("de", "en"):
        assert HantaTagger(lang, persist=False)._fast._rank is not None, lang


def test_per_state_order_fallback_equals_hanta(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A model without a common order is walked in each state's own order: HanTa's tags still."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    tagger = HantaTagger("de", persist=False)
    tagger._fast._rank = None
    for words in _sentences(TEXTS):
        assert tagger._fast.tag(words) == tagger._tagger.tag_sent(words), words


def test_lemmas_and_tags_are_tag_as_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fast = HantaTagger("de", persist=False)._fast
    assert fast.lemmas_and_tags([]) == ([], [])
    for words in _sentences(TEXTS):
        lemmas, tags = fast.lemmas_and_tags(words)
        assert [(w, lemma or w, fast.tag_name(t)) for w, lemma, t in zip(words, lemmas, tags, strict=True)] == [
            (w, lemma or w, tag) for w, lemma, tag in fast.tag(words)
        ]
