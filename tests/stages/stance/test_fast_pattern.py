"""The hoisted cue patterns (analyzer.stages.stance.cues.fast_pattern) match exactly what the originals match."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from analyzer.stages.stance.cues import _top_level_alternatives, fast_pattern
from analyzer.stages.stance.inventory import load_inventories

INVENTORIES = load_inventories()
FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
AUTHORS = (None, "Thomas Röper", "Jane Doe")


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]


def _texts() -> list[str]:
    """Fixture pages, plus texts stitched from the inventories' own words (so cues fire often)."""
    texts = [p.read_text(encoding="utf-8", errors="replace")[:20_000] for p in sorted(FIXTURES.glob("*/*.txt"))]
    rng = random.Random(7)
    words = sorted({w for inv in INVENTORIES.values() for cue in inv.cues_for(None) if cue.pattern
                    for w in re.findall(r"[^\W\d_]{2,}", cue.pattern.pattern)})
    glue = [" ", ", ", "! ", "? ", "\n", "x", "-", "»", " +1 ", "👍", "."]
    for _ in range(300):
        texts.append("".join(rng.choice(words) + rng.choice(glue) for _ in range(rng.randrange(1, 30))))
    return texts


TEXTS = _texts()


@pytest.mark.parametrize("lang", sorted(INVENTORIES))
@pytest.mark.parametrize("author", AUTHORS)
def test_packaged_cues_match_the_same_spans(lang: str, author: str | None) -> None:
    hoisted = 0
    for cue in INVENTORIES[lang].cues_for(author):
        assert cue.pattern is not None
        fast = fast_pattern(cue.pattern)
        hoisted += fast is not cue.pattern
        for text in TEXTS:
            assert _spans(fast, text) == _spans(cue.pattern, text), (cue.id, text[:80])
    assert hoisted >= len(INVENTORIES[lang].cues) // 2  # the rewrite applies to most packaged cues


def test_rewrite_shape() -> None:
    p = re.compile(r"(?<!\w)(?:ja)(?!\w)|(?<!\w)(?:genau|so)(?!\w)", re.I)
    fast = fast_pattern(p)
    assert fast.pattern == r"(?<!\w)(?:(?:ja)(?!\w)|(?:genau|so)(?!\w))"
    assert fast.flags == p.flags
    assert fast_pattern(p) is fast  # compiled once


@pytest.mark.parametrize("source", [
    r"(?<!\w)(?:a)(?!\w)|(?:b)(?!\w)",  # one alternative without the look-behind
    r"(?<![\w-])(?:a)|(?<!\w)(?:b)",  # a custom look-behind
    r"(?<!\w)(?:ja)(?!\w)",  # a single alternative: nothing to hoist
    r"(?<!\w)(?:a|b",  # unbalanced (cannot compile anyway, but must not be split)
])
def test_other_shapes_are_left_alone(source: str) -> None:
    try:
        p = re.compile(source, re.I)
    except re.error:
        assert _top_level_alternatives(source) is None
        return
    assert fast_pattern(p) is p


def test_verbose_patterns_are_left_alone() -> None:
    p = re.compile(r"(?<!\w)(?:a)  # a | comment" "\n" r"|(?<!\w)(?:b)", re.I | re.X)
    assert fast_pattern(p) is p


@pytest.mark.parametrize(("source", "parts"), [
    (r"a|b", ["a", "b"]),
    (r"(a|b)|c", ["(a|b)", "c"]),
    (r"a\|b|c", [r"a\|b", "c"]),
    (r"[|]|c", ["[|]", "c"]),
    (r"[]|]|c", ["[]|]", "c"]),
    (r"[^]|)]|c", ["[^]|)]", "c"]),
    (r"[\]|]|c", [r"[\]|]", "c"]),
    (r"\(|c", [r"\(", "c"]),
])
def test_top_level_split(source: str, parts: list[str]) -> None:
    assert _top_level_alternatives(source) == parts
    re.compile(source)  # each case is a valid pattern


def test_hoisted_bracket_cases_keep_their_matches() -> None:
    p = re.compile(r"(?<!\w)(?:a[)|]b)(?!\w)|(?<!\w)(?:[]|]x)(?!\w)|(?<!\w)(?:c\|d)(?!\w)", re.I)
    fast = fast_pattern(p)
    assert fast is not p
    for text in ("a)b a|b ]x |x c|d xa|b", "A)B, C|D! |X"):
        assert _spans(fast, text) == _spans(p, text)
