"""HanTa's analysis of new word forms through :mod:`analyzer.stages.nlp.hanta_morph`: the same
candidate tags, lemmas and morpheme segmentations as HanTa's own search, on both models."""

from __future__ import annotations

import re

import pytest

from analyzer.stages.nlp import hanta_morph
from tests.conftest import SHARED

_MODELS = {"de": "morphmodel_ger.pgz", "en": "morphmodel_en.pgz"}

# Compounds, inflections, unknown and odd forms, short forms (HanTa guesses short segments
# only in short words), digits and hyphens, in both cases.
WORDS = {
    "de": [
        "Bundesverkehrswegeplanung", "Wurstbrotverkäuferin", "umgefahren", "Grünen", "grünen",
        "Häuslebauer", "unüberlegterweise", "Xyzzyquark", "grotzig", "Blubberwäldern", "ab", "Ei",
        "zu", "Öl", "2019er", "E-Mail-Adresse", "FPÖ-Wähler", "Ausländerinnen", "verschlimmbessert",
        "Wahlkampfgetöse", "aufgeregtesten", "nix", "gehts", "Schmarrn", "Pensionsantrittsalter",
    ],
    "en": [
        "unbelievably", "overthinking", "misinformation", "rewrites", "geese", "quark", "zorbly",
        "it's", "a", "ox", "3rd", "well-known", "antidisestablishmentarianism", "retweeted",
        "Londoners", "covfefe", "gaslighting", "doomscrolling", "unfollowed", "tl;dr",
    ],
}


def _pair(lang: str) -> tuple[object, object]:
    from HanTa import HanoverTagger

    plain = HanoverTagger.HanoverTagger(_MODELS[lang])
    restricted = HanoverTagger.HanoverTagger(_MODELS[lang])
    assert hanta_morph.install(restricted)
    return plain, restricted


def _assert_same(plain: object, restricted: object, words: list[str]) -> None:
    for word in words:
        for casesensitive in (True, False):
            tags = plain._tag_word(word, 5, casesensitive, True)  # type: ignore[attr-defined]
            assert restricted._tag_word(word, 5, casesensitive, True) == tags, word  # type: ignore[attr-defined]
            for tag, _ in tags[:3]:
                if tag == 3:  # HanTa's "unknown": nothing to analyse
                    continue
                for level in (1, 3):
                    expected = plain._analyze(word, tag, level)  # type: ignore[attr-defined]
                    assert restricted._analyze(word, tag, level) == expected, (word, tag, level)  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_restricted_search_equals_hantas(lang: str) -> None:
    plain, restricted = _pair(lang)
    _assert_same(plain, restricted, WORDS[lang])


def test_search_methods_are_replaced_only_on_the_given_instance() -> None:
    from HanTa import HanoverTagger

    plain, restricted = _pair("de")
    assert "analyze_forward" in vars(restricted) and "analyze_forward" not in vars(plain)
    assert HanoverTagger.HanoverTagger.analyze_forward is not restricted.analyze_forward  # type: ignore[attr-defined]


def test_a_model_of_another_shape_keeps_hantas_methods() -> None:
    _, restricted = _pair("de")
    from HanTa import HanoverTagger

    odd = HanoverTagger.HanoverTagger(_MODELS["de"])
    # A follow-up tag without a morpheme table: HanTa's lp_m_t would fail on it, so the
    # restricted search must not assume anything about it.
    odd.LP_trans_nonfinal = {**odd.LP_trans_nonfinal, (0, 1): [*odd.LP_trans_nonfinal[(0, 1)], (10_000, -1.0)]}
    assert not hanta_morph.install(odd)
    assert "analyze_forward" not in vars(odd)


@pytest.mark.slow
def test_restricted_search_equals_hantas_on_real_comments() -> None:
    """Every distinct word of 2,000 One Million Posts comments that HanTa's own word cache does
    not hold (those never reach the search)."""
    csv = SHARED / "data" / "omp_derstandard" / "omp_posts_dev.csv"
    if not csv.is_file():
        pytest.skip(f"{csv} is absent")
    import polars as pl

    bodies = pl.read_csv(csv)["Body"].drop_nulls().to_list()[:2000]
    plain, restricted = _pair("de")
    words = sorted({w for text in bodies for w in re.findall(r"\w+", text) if w.lower() not in plain.cache})  # type: ignore[attr-defined]
    assert len(words) > 3000
    _assert_same(plain, restricted, words)


@pytest.mark.parametrize("prefixes", [False, True], ids=["lookups", "prefix-walk"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_segment_table_scores_what_hantas_lp_m_t_scores(lang: str, prefixes: bool) -> None:
    """Every segment of a word, in both modes: the scores the search reads (known, merged or
    the two guess halves) equal HanTa's ``lp_m_t`` for every tag it scores, and a segment left
    out scores nothing under any tag."""
    import math

    plain, _ = _pair(lang)
    search = hanta_morph.MorphSearch(plain)
    if prefixes:  # as after a corpus's first new forms: known morphemes by their beginnings
        search._n_segmented = hanta_morph._PREFIXES_AFTER
        search._segments("x", True)
        assert search._known_prefixes is not None
    tags = list(plain.LP_m_t)  # type: ignore[attr-defined]
    order = search._guessed_order
    for word in [w.lower() for w in WORDS[lang]] + ["abc", "xy", "q"]:
        wlen = len(word)
        for strict in (True, False):
            rows = search._segments(word, strict)
            assert len(rows) == wlen + 1
            for i in range(wlen + 1):
                got = {}
                for j, scores, bases, suffixes in rows[i]:
                    row = scores if scores is not None else {t: bases[k] + suffixes[k] for k, t in enumerate(order)}
                    # An open class whose length or suffix score is minus infinity scores nothing
                    # either way (the search's sum stays below HanTa's bound).
                    got[j] = {t: lp for t, lp in row.items() if lp != -math.inf}
                assert list(got) == sorted(got), (word, i)
                for j in range(i + 1, wlen + 1):
                    expected = {t: lp for t in tags if (lp := plain.lp_m_t(word[i:j], t, wlen, strict)) != -math.inf}  # type: ignore[attr-defined]
                    assert got.get(j, {}) == expected, (word, i, j, strict)


def test_finished_searches_are_kept_and_handed_out_as_copies() -> None:
    plain, restricted = _pair("de")
    search = hanta_morph.MorphSearch(plain)
    first = search.forward("wurstbrotverkäuferin")
    first.append((0, 0.0))
    assert search.forward("wurstbrotverkäuferin") == plain.analyze_forward("wurstbrotverkäuferin")  # type: ignore[attr-defined]
    tag = -plain.analyze_forward("wurstbrotverkäuferin")[0][0]  # type: ignore[attr-defined]
    path = search.viterbi("wurstbrotverkäuferin", tag)
    path.clear()
    assert search.viterbi("wurstbrotverkäuferin", tag) == plain.analyze_viterbi("wurstbrotverkäuferin", tag)  # type: ignore[attr-defined]


def test_a_model_with_fewer_length_classes_keeps_hantas_methods() -> None:
    from HanTa import HanoverTagger

    odd = HanoverTagger.HanoverTagger(_MODELS["de"])
    open_class = next(t for t in odd.LP_hapax_t if t in odd.LP_s_t)
    odd.LP_len_t = {**odd.LP_len_t, open_class: odd.LP_len_t[open_class][:10]}
    assert not hanta_morph.install(odd)
    assert "analyze_forward" not in vars(odd)
