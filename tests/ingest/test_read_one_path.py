"""``read`` and ``expand_inputs`` given one path alone, as a notebook user writes it."""

from __future__ import annotations

from pathlib import Path

from analyzer.ingest import expand_inputs, read

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "en_one_comment" / "input.txt"


def test_one_string_path_is_one_input() -> None:
    assert expand_inputs(str(FIXTURE)) == [(FIXTURE, True)]


def test_one_path_object_is_one_input() -> None:
    assert expand_inputs(FIXTURE) == [(FIXTURE, True)]


def test_read_of_one_string_path_equals_read_of_a_list() -> None:
    alone = read(str(FIXTURE))
    listed = read([FIXTURE])
    assert alone.comments.height == listed.comments.height >= 1
    assert alone.comments.equals(listed.comments)
