"""The tokenizer's rest pass through Python's re (long columns) gives the regex engine's tokens."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest

from analyzer.stages.nlp import column_rest
from analyzer.stages.nlp import regex_tokenizer as rt

# Characters where Python's str predicates and the regex module's Unicode classes disagree
# (marks, letter numbers, titlecase, other digits, superscripts), separators, characters
# above U+FFFF (a math digit, a math letter, an emoji, a private-use one), a lone surrogate.
_ODD = (
    "\u0301\u0345ǅⅫⅻ٣²½\u00a0\u2028\u2029\u200b\u1680\x1c\x85"
    "\U0001d7d8\U0001d400\U0001f600\U000f0000\U00010140\U000e0100\ud800"
)
_PLAIN = "aäbcdeßfgXYZinen0123456789 .,;:!?-–/\\'\"()[]{}@#*+&…«»„“%€\n\t"


def _texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = list(_PLAIN) + list(_ODD) + [chr(rng.randrange(0x110000)) for _ in range(40)]
    words = ["Art. 5", "z.B.", "3.", "5,-", "3-fach", "10/10", "1.000,5", "Lehrer/innen", "e-Mail", "usw.", "don't", "well-known"]
    return [
        " ".join(rng.choice(words) if rng.random() < 0.2 else "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 9)))
                 for _ in range(rng.randrange(1, 12)))
        for _ in range(n)
    ]


def _both(texts: list[str], lang: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    tokenizer = rt.RegexTokenizer(lang)
    monkeypatch.setattr(rt, "COLUMN_MIN_CHARS", 10**12)
    with_regex = tokenizer.sentence_columns_many(texts)
    monkeypatch.setattr(rt, "COLUMN_MIN_CHARS", 0)
    with_re = tokenizer.sentence_columns_many(texts)
    return with_regex, with_re


@pytest.mark.parametrize("lang", ["de", "en"])
def test_re_path_gives_the_regex_tokens_on_random_text(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with_regex, with_re = _both(_texts(17, 3000), lang, monkeypatch)
    assert with_re == with_regex


@pytest.mark.parametrize("negated", [False, True])
@pytest.mark.parametrize(("classes", "chars"), [("w", ""), ("d", ""), ("s", ""), ("L", ""), ("w", ".,"), ("L", "@-"),
                                                ("sd", "#<>%-[]^\\ .!?…/")])
def test_sets_hold_what_the_regex_sets_hold(classes: str, chars: str, negated: bool) -> None:
    """Every BMP code point is in a written-out set exactly when regex puts it in the set."""
    import re

    import regex

    every = column_rest._bmp()
    ours = re.compile(column_rest.re_set(classes, chars, negated), re.VERBOSE)
    theirs = regex.compile(rt.regex_set(classes, chars, negated), regex.VERBOSE)
    assert [m.start() for m in ours.finditer(every)] == [m.start() for m in theirs.finditer(every)]


def test_stand_ins_keep_the_classes_and_avoid_literals() -> None:
    column = rt.column_rest("de")
    text = "a\U0001d7d8b\U0001d400 \U0001f600.\U000e0100"
    scanned = column.scan_text(text)
    assert scanned is not None and len(scanned) == len(text)
    for original, stand_in in zip(text, scanned, strict=True):
        assert column_rest._profile(original) == column_rest._profile(stand_in)
        assert original == stand_in or stand_in not in column._literal
    plain = "nichts über der BMP"
    assert column.scan_text(plain) is plain


@pytest.mark.slow
def test_re_path_gives_the_regex_tokens_on_omp_comments(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = shared_dir / "data" / "omp_derstandard" / "omp_posts_dev.csv"
    if not path.is_file():
        pytest.skip(f"{path} is not on this machine")
    with path.open(encoding="utf-8", newline="") as handle:
        texts = [((row.get("Headline") or "") + "\n" + (row.get("Body") or "")).strip() for row in csv.DictReader(handle)]
    lines = [line for text in texts for line in text.splitlines() if line.strip()]
    for lang in ("de", "en"):
        with_regex, with_re = _both(lines, lang, monkeypatch)
        assert with_re == with_regex
