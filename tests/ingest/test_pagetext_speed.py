"""The page-text reader's speed devices give what the plain forms they replace give.

(The whole-reader check is ``python -m tests.bench.pagetext_equal``, before and after: every seen
capture, fixture and bench page read identically.)
"""

from __future__ import annotations

import gc
import random
import re
from pathlib import Path

import pytest

from analyzer.core.errors import FormatError
from analyzer.ingest import pagetext
from analyzer.ingest.base import ReadOptions, Source

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "de_sample_page" / "input.txt"


def _random_texts(alphabet: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(n)]


def test_collector_state_is_restored_after_reading(tmp_path: Path) -> None:
    assert gc.isenabled()
    pagetext.read(Source(SAMPLE), ReadOptions())
    assert gc.isenabled()
    gc.disable()
    try:
        pagetext.read(Source(SAMPLE), ReadOptions())
        assert not gc.isenabled()  # a caller's own pause is left alone
    finally:
        gc.enable()
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    with pytest.raises(FormatError):
        pagetext.read(Source(empty), ReadOptions())
    assert gc.isenabled()  # restored on a refusal too


def test_blank_before_newline_is_the_three_substring_tests() -> None:
    for text in _random_texts(["\n", " ", "\t", "\u00a0", "a", "\u3000"], 20_000, seed=7):
        plain = " \n" in text or "\t\n" in text or "\u00a0\n" in text
        assert (pagetext._BLANK_BEFORE_NEWLINE.search(text) is not None) == plain, repr(text)


def test_deeper_line_by_newline_is_the_line_start_form() -> None:
    # The form it replaced: a line start, more than ``indent`` spaces, then text.
    for text in _random_texts(["\n", " ", "  ", "    ", "x", "1."], 4_000, seed=11):
        text = "\n" + text  # any start: the reader's are just after a newline
        for indent in (0, 1, 2, 3):
            old = re.compile(rf"^ {{{indent + 1},}}(?=\S)", re.MULTILINE)
            for start in range(1, len(text) + 1, 3):
                end = len(text)
                want = old.search(text, start, end)
                got = pagetext._deeper_line(indent).search(text, start - 1, end)
                assert (want is None) == (got is None), (text, indent, start)
                if want is not None and got is not None:
                    assert want.end() - want.start() == got.end() - got.start() - 1


def test_list_text_is_the_join_of_its_lines() -> None:
    """_PageParser._joined slices the page text instead of joining lines: the same string."""
    for text in _random_texts(["a", " ", "\n", "\n\n", "1. ", "\t"], 60, seed=10):
        lines = text.split("\n")
        parser = pagetext._PageParser(lines, "page.txt", "page", text)
        for start in range(len(lines) + 1):
            for limit in range(start, len(lines) + 2):
                assert parser._joined(start, limit) == "\n".join(lines[start:limit])
