"""The label features' polarity in one pass equals the lexicon's own methods.

``named_features`` used to call ``lexicon.score([(w, None) for w in words])`` beside its own
loop over the polar words; ``_polarity_features`` makes both from one lower-casing and one
negation test per polar word.  Its score must be exactly the method's, and its polar values
and negation count the loop's, on hand-made sentences (negators, intensifiers, diminishers,
negated words, negators that are polar themselves) and on real comments when present.
"""

from __future__ import annotations

import csv
import random
from itertools import compress
from pathlib import Path

import pytest

from analyzer.stages.labels import features
from analyzer.stages.nlp.lexicon import load_lexicon

OMP_CSV = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "omp_derstandard" / "omp_posts_dev.csv"


def _reference(lang: str, text: str) -> tuple[list[float], int, float]:
    """The polar values, negation count and score as named_features made them before."""
    lexicon = load_lexicon(lang)
    words = features.tokens(text)
    values = [lexicon.lookup(w, None) for w in words]
    polar: list[float] = []
    negated = 0
    score = 0.0
    if any(values):
        lowered = [(w.lower(), w.lower()) for w in words]
        for i in compress(range(len(words)), values):
            value = values[i]
            assert value is not None
            if lexicon._negated(lowered, i):
                negated += 1
                value *= lexicon.rules.negation_factor
            polar.append(value)
        score = lexicon.score([(w, None) for w in words]) or 0.0
    return polar, negated, score


def _one_pass(lang: str, text: str) -> tuple[list[float], int, float]:
    lexicon = load_lexicon(lang)
    words = features.tokens(text)
    values = [lexicon.lookup(w, None) for w in words]
    return features._polarity_features(lexicon, words, values) if any(values) else ([], 0, 0.0)


def _sentences(lang: str, n: int, seed: int) -> list[str]:
    lexicon = load_lexicon(lang)
    rules = lexicon.rules
    rng = random.Random(seed)
    polar = sorted(lexicon.polarity)[:: max(1, len(lexicon.polarity) // 400)]
    vocabulary = (polar + sorted(rules.negators) + sorted(rules.intensifiers) + sorted(rules.diminishers)
                  + ["und", "the", "Haus", ",", ".", "!", "?", "-", "NICHT", "Sehr", "GUT"])
    return [" ".join(rng.choice(vocabulary) for _ in range(rng.randrange(0, 25))) for _ in range(n)]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_one_pass_equals_the_lexicon_on_made_sentences(lang: str) -> None:
    texts = _sentences(lang, 2_000, seed=len(lang)) + [
        "Das ist nicht gut.", "Das ist sehr gut, aber kaum schlecht!", "nicht", "kein gutes Ende", "",
        "This is not good at all.", "very bad, hardly great", "never",
    ]
    for text in texts:
        assert _one_pass(lang, text) == _reference(lang, text), text


def test_one_pass_equals_the_lexicon_on_real_comments() -> None:
    if not OMP_CSV.is_file():
        pytest.skip("the One Million Posts dev CSV (../shared) is absent")
    with OMP_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    texts = [" ".join(filter(None, (row.get("Headline"), row.get("Body")))) for row in rows[:3_000]]
    for text in texts:
        assert _one_pass("de", text) == _reference("de", text)
