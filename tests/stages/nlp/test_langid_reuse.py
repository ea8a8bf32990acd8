"""Answers reused instead of identified again are the answers a new identification gives.

Two reuses (docs/performance-language.md, "Session 6: OMP ratio"): a one-line text whose
default is its own document language keeps that language for its line
(``tag_lines_many(..., own=...)``), and ``document_languages`` answers the labels stage from
the nlp stage's remembered answers.  Both are compared here with the plain computation on
hand-written texts built to reach every branch of :func:`langid.detect` (empty, blank lines
around one line, URLs only, Cyrillic, other scripts, short Latin, over the sample size) and,
on shared data, on One Million Posts comments.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from analyzer.stages.nlp import langid
from tests.stages.nlp.test_langid_vector import TEXTS, _random_texts

EXTRA = [
    "  \n\n  Nur eine Zeile zwischen Leerzeilen, lang genug für eine Entscheidung.  \n \u2028 ",
    "\x1cEine Zeile nach einem Trennzeichen, die Deutsch ist und lang genug.\x1d",
    "https://example.org/nur/ein/link",
    "www.example.at und sonst nichts",
    "Over and out",
    "Вот одна строка по-русски, достаточно длинная для решения",
    "Kurz.\nZwei Zeilen, die zweite ist lang genug für eine eigene Sprache.",
    "a" * (langid.SAMPLE_CHARS - 1) + " Ende",
    " " * 10 + "b" * langid.SAMPLE_CHARS,
    "This line is English and long enough to be identified on its own.",
]


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    langid._remembered = {}
    yield
    langid._remembered = {}


def _cases() -> tuple[list[str], list[str]]:
    texts = TEXTS + EXTRA + _random_texts(300, seed=11)
    defaults = [("de", "en", "und", "fr")[i % 4] for i in range(len(texts))]
    return texts, defaults


def _own_check(texts: list[str], defaults: list[str]) -> None:
    """Lines tagged with ``own`` = lines tagged from scratch, with the document's language as default."""
    own_langs = langid.document_languages(texts, defaults)
    plain = [langid.tag_lines(t, default=d) for t, d in zip(texts, own_langs, strict=True)]
    reused = langid.tag_lines_many(texts, own_langs, own=[True] * len(texts))
    assert [[(x.start, x.end, x.lang) for x in lines] for lines in reused] == [
        [(x.start, x.end, x.lang) for x in lines] for lines in plain
    ]
    assert any(x.method == "document" for lines in reused for x in lines)  # the reuse did happen


def test_one_line_text_keeps_its_document_language() -> None:
    _own_check(*_cases())


def test_own_false_identifies_every_line() -> None:
    texts, defaults = _cases()
    assert langid.tag_lines_many(texts, defaults, own=[False] * len(texts)) == langid.tag_lines_many(texts, defaults)


def test_remembered_answers_equal_fresh_ones() -> None:
    texts, defaults = _cases()
    fresh = [langid.document_language(t, default=d) for t, d in zip(texts, defaults, strict=True)]
    assert langid.document_languages(texts, defaults, remember=True) == fresh
    assert len(langid._remembered) == len(set(zip(texts, defaults, strict=True)))
    # Asked again, partly with other defaults and new texts: remembered where the key matches.
    others = ["en" if i % 2 else d for i, d in enumerate(defaults)]
    more = [*texts, "Ein ganz neuer Text, der vorher nicht gefragt wurde, auf Deutsch."]
    more_defaults = [*others, "en"]
    assert langid.document_languages(more, more_defaults) == [
        langid.document_language(t, default=d) for t, d in zip(more, more_defaults, strict=True)
    ]
    # A later remembering call replaces the answers kept.
    langid.document_languages(texts[:3], defaults[:3], remember=True)
    assert set(langid._remembered) == set(zip(texts[:3], defaults[:3], strict=True))


@pytest.mark.slow
def test_omp_comments_reuse_alike(shared_dir: Path) -> None:
    """All One Million Posts dev comments: reused line languages equal fresh ones."""
    path = shared_dir / "data" / "omp_derstandard" / "omp_posts_dev.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        texts = [f"{row['Headline'] or ''}\n{row['Body'] or ''}".strip() for row in csv.DictReader(handle)]
    _own_check(texts, ["de"] * len(texts))
