"""PatternSet finds exactly what one finditer per pattern finds (the stance stage's old code path)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.stages.stance.cues import blank_urls, fast_pattern
from analyzer.stages.stance.disagreement import packaged_lists
from analyzer.stages.stance.inventory import load_inventories
from analyzer.stages.stance.patternset import (
    PatternSet,
    compute_hazards,
    hazard_characters,
    prefixes,
)

TRICKY = [
    r"(?<!\w)(?:(?:aber)(?!\w)|(?:nur dass)(?!\w)|(?:\+1)(?!\w)|(?:/s)(?!\w))",
    r"(?<!\w)(?:(so )?nicht ganz|(sie haben|du hast) recht|quellen?\s?:)",
    r"\b(lieber|liebe) (poster|user)\b|@\w{2,40}",
    r"(?i:\bstimmt\b)|(?<!\w)falsch",
    r"(?<!\w)(?:x{1,3}d|ha(ha)+|i)(?!\w)",
    r"(?<=[a-zäöüß,;:] )(Sie|Ihnen)\b",  # no word-start guarantee: run with finditer
    r"[„\"»“][^„\"»«“”\n]{1,30}[“”\"«]",
    r"aber",  # may start inside a word: finditer
    r"(?<!\w)ſo|(?<!\w)ıch|(?<!\w)k(?!\w)",
]
TEXTS = [
    "", "Ja, aber das stimmt so nicht. Zaber aberwitzig ABER Aber",
    "Nur dass… +1 /s 👍 @poster Lieber Poster, Sie haben recht! so nicht ganz. Quellen: keine. Quelle ?",
    "İch finde, ıch meine: SO NICHT GANZ. ſo ist es. K Kelvin \u212a. x\u0345y aber \u0345aber",
    "hahaha xD XXXD i I İ ı, falsch! stimmt? „Zitat“ und \"noch eins\" und sie, Sie und Ihnen",
    "wer lesen kann ... ist klar im vorteil; denn das ist doch nicht so?! oder etwa nicht? Wieso?",
    "aber" * 50 + " aber",
]


def plain(patterns: list[re.Pattern[str]], text: str) -> list[list[tuple[int, int, str]]]:
    return [[(m.start(), m.end(), m.group()) for m in p.finditer(text)] for p in patterns]


def fast(patterns: PatternSet, text: str) -> list[list[tuple[int, int, str]]]:
    return [[(m.start(), m.end(), m.group()) for m in ms] for ms in patterns.finditer_all(text)]


def packaged_patterns() -> list[re.Pattern[str]]:
    out = [f.pattern for lang in ("de",) for f in packaged_lists(lang).families]  # type: ignore[union-attr]
    for inventory in load_inventories().values():
        for author in (None, "Thomas Röper", "Anna Iſak"):
            out += [fast_pattern(c.pattern) for c in inventory.cues_for(author) if c.pattern is not None]
    return out


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_tricky_patterns_match_as_finditer(flags: int) -> None:
    patterns = [re.compile(p, flags) for p in TRICKY]
    found = PatternSet(patterns)
    for text in TEXTS:
        assert fast(found, text) == plain(patterns, text), text


def test_packaged_patterns_match_as_finditer() -> None:
    patterns = packaged_patterns()
    found = PatternSet(patterns)
    assert sum(p is not None for p in found.plans) >= len(patterns) - 8  # nearly all read from their words
    for text in TEXTS:
        assert fast(found, text) == plain(patterns, text), text


def test_skipped_patterns_give_nothing() -> None:
    patterns = [re.compile(r"(?<!\w)aber", re.I), re.compile(r"(?<!\w)nur", re.I)]
    assert fast_skip(PatternSet(patterns), "aber nur") == [[], [(5, 8, "nur")]]


def fast_skip(found: PatternSet, text: str) -> list[list[tuple[int, int, str]]]:
    return [[(m.start(), m.end(), m.group()) for m in ms] for ms in found.finditer_all(text, [True, False])]


def test_prefixes_read_from_the_parse_tree() -> None:
    plan = prefixes(re.compile(r"(?<!\w)(?:(so )?nicht|\+1|Stimmt nicht)", re.I))
    assert plan is not None
    assert plan.words == {("so", True), ("nicht", False), ("stimmt", True)} and plan.chars == {ord("+")}
    assert prefixes(re.compile(r"[ab]c")) is None  # a class first
    assert prefixes(re.compile(r"aber")) is None  # may start inside a word
    assert prefixes(re.compile(r"(?<!\w)aber", re.ASCII)) is None  # \w means something else
    assert prefixes(re.compile(r"(?<!\w)(?:a|b*)")) is None  # a path without a first character


@pytest.mark.slow
def test_hazard_table_is_this_interpreters() -> None:
    assert hazard_characters() == compute_hazards() == "\u0345"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["aber", "Aber", "ABER", "nur", "dass", "so", "nicht", "ganz", "sie", "haben", "recht",
                                 "+1", "/s", "@", "x", "d", "ha", "ſo", "ıch", "İ", "k", "\u212a", "\u0345", "falsch",
                                 "stimmt", "lieber", "poster", "quelle", "n", " ", "  ", ",", ".", "?", "\n", "„", "“"]),
                max_size=30))
def test_random_texts_match_as_finditer(parts: list[str]) -> None:
    text = "".join(parts)
    patterns, found = _random_set()
    assert fast(found, text) == plain(patterns, text)


@functools.cache
def _random_set() -> tuple[list[re.Pattern[str]], PatternSet]:
    patterns = [re.compile(p, re.I) for p in TRICKY] + packaged_patterns()[:12]
    return patterns, PatternSet(patterns)


@pytest.mark.shared_data
@pytest.mark.slow
def test_real_comments_match_as_finditer(shared_dir: Path) -> None:
    csv = shared_dir / "data" / "omp_derstandard" / "omp_posts_dev.csv"
    frame = pl.read_csv(csv, infer_schema_length=0)
    texts = [blank_urls(f"{h or ''}\n{b or ''}") for h, b in zip(frame["Headline"], frame["Body"], strict=True)][:3000]
    patterns = packaged_patterns()
    found = PatternSet(patterns)
    for text in texts:
        assert fast(found, text) == plain(patterns, text)
