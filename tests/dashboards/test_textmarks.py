"""Body segments: quote heat per sentence and frame terms, never losing or reordering text."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from dashboards.textmarks import Segment, body_segments, heat_level, heat_ranges


def test_segments_mark_heat_and_terms() -> None:
    body = "Erster Satz. Zweiter Satz mit Netz."
    segments = body_segments(body, [(0, 0, 12), (1, 13, 35)], {1: 3}, [(30, 34, "conflict")])
    assert "".join(s.text for s in segments) == body
    assert segments[0] == Segment("Erster Satz. ", 0, 0, None)
    term = next(s for s in segments if s.frame)
    assert term.text == "Netz" and term.n_quoting == 3 and term.heat == 3


def test_overlapping_and_out_of_range_spans_are_tolerated() -> None:
    body = "abcdef"
    segments = body_segments(body, [(0, -5, 99), (1, 3, 2)], {0: 1}, [(1, 4, "x"), (2, 5, "y"), (50, 60, "z")])
    assert "".join(s.text for s in segments) == body
    assert [s.frame for s in segments if s.frame] == ["x"]


def test_long_bodies_are_marked_up_to_the_limit() -> None:
    body = "x" * 100
    segments = body_segments(body, [(0, 0, 100)], {0: 1}, [], limit=10)
    assert segments[-1] == Segment("x" * 90)
    assert "".join(s.text for s in segments) == body


def test_heat_scale_keeps_single_quotes_pale() -> None:
    assert heat_level(0, 5) == 0
    assert heat_level(1, 1) == 1
    assert heat_level(10, 10) == 4
    assert heat_ranges(1) == ["1", "2", "3", "4"]
    assert heat_ranges(8) == ["1–2", "3–4", "5–6", "7–8"]


def test_a_million_characters_stay_fast() -> None:
    body = "Satz. " * 200_000
    sentences = [(i, 6 * i, 6 * i + 5) for i in range(200_000)]
    start = time.process_time()
    segments = body_segments(body, sentences, {i: 1 for i in range(0, 200_000, 2)}, [])
    assert time.process_time() - start < 2.0
    assert "".join(s.text for s in segments) == body


@given(st.text(max_size=60), st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=6),
       st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=6))
def test_segments_always_reassemble_the_body(body: str, sents: list[tuple[int, int]], terms: list[tuple[int, int]]) -> None:
    sentences = [(i, s, e) for i, (s, e) in enumerate(sents)]
    segments = body_segments(body, sentences, {i: i for i in range(len(sents))}, [(s, e, "f") for s, e in terms])
    assert "".join(s.text for s in segments) == body
