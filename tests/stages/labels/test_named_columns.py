"""The label features' language-neutral pattern counts over a whole column equal Python's, text by text.

``named_features_many`` counts repeated marks, scare quotes and emoticons and looks for a URL
with polars over the column (Rust's regular expressions) instead of five ``re`` calls per
comment.  The patterns were chosen because they mean the same in both engines; these tests hold
that to account: hand-made edge cases, random strings over the patterns' own characters and
their neighbours, every code point against the case-insensitive letters, real comments.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from pathlib import Path

import polars as pl
import pytest

from analyzer.stages.labels import features

OMP_CSV = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "omp_derstandard" / "omp_posts_dev.csv"

EDGES = [
    "", "!", "!!", "?!?", "!!! ??", "„Zitat“", '"x"', "'kurz'", "„" + "a" * 30 + "“", "„" + "a" * 31 + "“",
    "„a\nb“", "«a» »b«", "‚a‘ ‘b’", ":) :-) ;) ;-) :D ;D :-D :)) ^^ ^^^", ":( :-( :-(( 👎👎", "😀😂😊👍😠😡",
    "http://x https://y HTTPS://Z Http://w www.a WWW.B wWw.c", "ſtatt httpſ:// HTTPſ://",
    "hTtPs://a", "www", "www.", "ww.w.", "K\u212a http:// \u0130", "\x1c\x1d \x85 \xa0 !!\u2028??",
    "a„b“c„d“", "'''", '""', "„“", "„ “",
]


def _reference(texts: list[str]) -> list[tuple[int, int, int, int, bool]]:
    return [features._counts_of(t) for t in texts]


def test_edge_cases_count_as_python() -> None:
    assert features.column_counts(EDGES) == _reference(EDGES)


def test_random_strings_count_as_python() -> None:
    rng = random.Random(17)
    alphabet = list("!?:;-()D^ \n\t\"'„“”»«‚‘’aAhHtTpPsSwW./") + ["😀", "😂", "😊", "👍", "😠", "😡", "👎", "ſ", "\u212a",
                                                                    "\u0130", "\u0131", "é", "ß", "\x85", "\u2028"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 80))) for _ in range(3_000)]
    texts += ["".join(rng.choice(["http", "HTTPS", "://", "www.", "WwW.", ":", "/", "s", "ſ", " "]) for _ in range(12))
              for _ in range(1_000)]
    assert features.column_counts(texts) == _reference(texts)


def test_case_insensitive_letters_fold_alike_on_every_code_point() -> None:
    """Each letter of the case-insensitive pattern matches the same characters in both engines."""
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    letters = sorted({c for c in features._COLUMN_PRESENT.pattern if c.isalpha()})
    assert letters == ["h", "p", "s", "t", "w"]
    found = pl.DataFrame({"t": [everything]}).select(
        *(pl.col("t").str.extract_all(f"(?i){letter}").alias(letter) for letter in letters)).row(0)
    for letter, theirs in zip(letters, found, strict=True):
        assert theirs == re.findall(letter, everything, re.IGNORECASE), letter


def test_named_features_many_equals_one_by_one() -> None:
    rng = random.Random(3)
    words = ["Das", "ist", "SUPER", "schlecht", "nicht", "gut", "!!", "„so“", ":)", "www.x.at", "@du", "Sie", "?"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randrange(0, 20))) for _ in range(500)] + EDGES
    replies = [rng.random() < 0.5 for _ in texts]
    for lang in ("de", "en"):
        assert features.named_features_many(texts, replies, lang=lang) == [
            features.named_features(t, is_reply=r, lang=lang) for t, r in zip(texts, replies, strict=True)]
    assert features.named_features_many([], []) == []


def test_real_comments_count_as_python() -> None:
    if not OMP_CSV.is_file():
        pytest.skip("the One Million Posts dev CSV (../shared) is absent")
    with OMP_CSV.open(encoding="utf-8", newline="") as handle:
        texts = [f"{row['Headline'] or ''} {row['Body'] or ''}" for row in csv.DictReader(handle)]
    assert features.column_counts(texts) == _reference(texts)
    head = texts[:1_500]
    assert features.named_features_many(head, [True] * len(head)) == [
        features.named_features(t, is_reply=True) for t in head]
