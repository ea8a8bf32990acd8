"""Lexicon polarity: lexicon reading, overrides, negation, intensifiers."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.stages.nlp.lexicon import (
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    load_lexicon,
    read_base_lexicon,
    read_overrides,
)


def words(text: str) -> list[tuple[str, str | None]]:
    return [(w, None) for w in text.split()]


def test_german_basic_and_negation_before() -> None:
    de = load_lexicon("de")
    assert de.label(words("Das ist gut")) == POSITIVE
    assert de.label(words("Das ist nicht gut")) == NEGATIVE
    assert de.label(words("Das ist schlecht")) == NEGATIVE


def test_german_negation_after_verb() -> None:
    de = load_lexicon("de")
    assert de.label([("Das", "der"), ("gefällt", "gefallen"), ("mir", "ich")]) == POSITIVE
    assert de.label([("Das", "der"), ("gefällt", "gefallen"), ("mir", "ich"), ("nicht", "nicht")]) == NEGATIVE


def test_punctuation_ends_the_negation_window() -> None:
    de = load_lexicon("de")
    assert de.label(words("Nicht schlimm , gut")) == POSITIVE or de.score(words("Nicht , gut")) == pytest.approx(1.0)
    assert de.score(words("nicht , gut")) == pytest.approx(1.0)


def test_no_polar_word_is_neutral() -> None:
    assert load_lexicon("de").label(words("Der Zug fährt nach Köln")) == NEUTRAL
    assert load_lexicon("de").score(words("")) is None


def test_propaganda_override() -> None:
    de = load_lexicon("de")
    assert de.lookup("Propaganda", None) == -1.0
    assert "Propaganda" in de.overridden
    base = read_base_lexicon(Path(__import__("textblob_de").__file__).parent / "data" / "de-sentiment.xml")
    assert base["Propaganda"] == 1.0  # the upstream value we correct


def test_every_override_has_a_reason() -> None:
    for lang in ("de", "en"):
        overrides = read_overrides(lang)
        assert overrides
        assert all(reason.strip() for _, reason in overrides.values())


def test_lemma_lookup_and_capitalised_adjective() -> None:
    de = load_lexicon("de")
    assert de.lookup("Gut", None) == de.lookup("gut", None)
    assert de.lookup("Lügen", "Lüge") == -1.0


def test_intensifier_scales() -> None:
    de = load_lexicon("de")
    plain = de.score(words("ziemlich schwierig"))
    assert plain is not None
    assert abs(de.score(words("sehr schwierig")) or 0) >= abs(plain)


def test_english() -> None:
    en = load_lexicon("en")
    assert en.label(words("a good idea")) == POSITIVE
    assert en.label(words("not a good idea")) == NEGATIVE
    assert en.label([("this", "this"), ("is", "be"), ("propaganda", "propaganda")]) == NEGATIVE


def test_unknown_language() -> None:
    with pytest.raises(KeyError):
        load_lexicon("xx")


def _score_without_memory(lex, pairs):  # the rule as written before the per-pair memory
    rules = lex.rules
    lowered = [(form.lower(), (lemma or form).lower()) for form, lemma in pairs]
    contributions = []
    for i, (form, lemma) in enumerate(pairs):
        value = lex.lookup(form, lemma)
        if not value:
            continue
        low_form, low_lemma = lowered[i]
        if low_form in rules.negators or low_lemma in rules.negators:
            continue
        if i > 0:
            prev_form, prev_lemma = lowered[i - 1]
            value *= rules.intensifiers.get(prev_form, rules.intensifiers.get(prev_lemma, 1.0))
            value *= rules.diminishers.get(prev_form, rules.diminishers.get(prev_lemma, 1.0))
        if lex._negated(lowered, i):  # noqa: SLF001
            value *= rules.negation_factor
        contributions.append(max(-1.0, min(1.0, value)))
    return sum(contributions) / len(contributions) if contributions else None


def test_remembered_polarity_gives_the_same_scores() -> None:
    """score() remembers lookup per (form, lemma): twice over, the same numbers as without."""
    import random

    de = load_lexicon("de")
    polar = sorted(de.polarity)[:: max(1, len(de.polarity) // 300)]
    plain = ["Das", "ist", "nicht", "sehr", "kaum", "kein", ",", ".", "und", "Haus", "GUT", "gut"]
    rng = random.Random(7)
    for _ in range(2):
        for _ in range(400):
            pairs = [(rng.choice(polar + plain), rng.choice([None, "", "gut", "nicht"])) for _ in range(rng.randint(0, 12))]
            assert de.score(pairs) == _score_without_memory(de, pairs)
    assert de.score([["gut", None]]) == _score_without_memory(de, [("gut", None)])  # list pairs too


@pytest.mark.parametrize("lang", ["de", "en"])
def test_label_many_equals_label_per_sentence(lang: str) -> None:
    """label_many over flat columns gives label() of each sentence: polar and plain words,
    negators, intensifiers, empty sentences, lemmas or none; a fresh lexicon and a warm one."""
    import random

    lex = load_lexicon(lang)
    polar = sorted(lex.polarity)[:: max(1, len(lex.polarity) // 300)]
    plain = ["Das", "ist", "nicht", "sehr", "kaum", "kein", ",", ".", "und", "Haus", "not", "very", "GUT", "good"]
    rng = random.Random(11)
    for _ in range(2):
        sentences = [
            [(rng.choice(polar + plain * 3), rng.choice([None, "", "gut", "nicht", "good"])) for _ in range(rng.randint(0, 12))]
            for _ in range(500)
        ]
        forms = [form for sentence in sentences for form, _ in sentence]
        lemmas = [lemma for sentence in sentences for _, lemma in sentence]
        got = lex.label_many(forms, lemmas, [len(s) for s in sentences])
        assert got == [lex.label(s) for s in sentences]
        assert {NEUTRAL, POSITIVE, NEGATIVE} <= set(got)
    with pytest.raises(ValueError, match="sentences of 3 words"):
        lex.label_many(["a"], ["a"], [3])
