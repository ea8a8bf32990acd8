"""Kinds searched only inside runs of their characters find what a whole-column search finds."""

from __future__ import annotations

import random

import pytest

from analyzer.stages.nlp import regex_tokenizer as rt

CASES = [
    "", "+", "&", "a+", "a+b", "C++ und C# und R&D, AT&T.", "Rock'n'Roll & Co+", "x.y-z&w+v", "-a&b-", ".a+b.",
    "a++b", "a+&b", "Dolce&Gabbana+ foo+bar+ baz", "3+4=7 und 2&3", "ä+ö Ü&ß", "e\u0301+a", "_a+_", "a+\nb&c",
    "H&M-Filiale, M&Ms+Co.", "word+" * 40,
]


def _random(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    alphabet = "ab+&.-_ 1ä\n'é\u0301\u200d@#"
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 50))) for _ in range(n)]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_windowed_search_equals_finditer(lang: str) -> None:
    tok = rt.RegexTokenizer(lang)
    for name, pattern, _ in tok._p.specials:
        if name not in rt._WINDOWED:
            continue
        texts = CASES + _random(2_000, seed=7)
        for text in [*texts, rt._JOIN.join(texts)]:
            assert [m.span() for m in rt._windowed(pattern, text, *rt._WINDOWED[name])] == [
                m.span() for m in pattern.finditer(text)
            ], text


def test_column_tokens_equal_without_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    tok = rt.RegexTokenizer("de")
    texts = CASES + _random(500, seed=8)
    windowed = tok.sentence_columns_many(texts)
    monkeypatch.setattr(rt, "_WINDOWED", {})
    assert tok.sentence_columns_many(texts) == windowed
