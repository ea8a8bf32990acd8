"""Dateless comment lists under a found comment header (analyzer/ingest/datelesslists.py,
read through the page-text reader; session 8, issue #12)."""

from __future__ import annotations

from pathlib import Path

from analyzer.ingest import datelesslists, read

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "text_shapes"
AUTHORS = ["Tobias Wrenfield", "Marguerite Olsen", "Tobias Wrenfield", "Ilse Brandvold", "Marguerite Olsen"]
PARENTS = [None, "c1", "c2", None, "c4"]


def _rows(name: str):
    out = read([FIXTURES / name])
    rows = list(out.comments.filter(out.comments["kind"] == "comment").iter_rows(named=True))
    return rows, {i.code for i in out.issues}


def test_avatar_marked_names_make_a_tree_from_their_indentation() -> None:
    rows, codes = _rows("dateless_avatar_tree_en.txt")
    assert [r["author"] for r in rows] == AUTHORS
    assert [r["parent_id"] for r in rows] == PARENTS
    assert all(r["edge_confidence"] <= datelesslists_cap() for r in rows)  # names alone: low confidence
    assert rows[0]["text"].startswith("What I would like to read about next:")
    assert "- Thinning the fruit" in rows[0]["text"]
    assert not any("Leave a Comment" in r["text"] or "Subscribe" in r["text"] for r in rows)
    assert "comment-shape" in codes


def test_names_over_deeper_indented_text_without_avatars() -> None:
    rows, _ = _rows("dateless_indented_tree_en.txt")
    assert [r["author"] for r in rows] == AUTHORS
    assert [r["parent_id"] for r in rows] == PARENTS
    assert rows[4]["text"].endswith("paint.") and "Leave a Comment" not in rows[4]["text"]


def test_headings_of_a_sidebar_under_a_comment_header_are_no_comments() -> None:
    lines = (FIXTURES / "dateless_sidebar_none_en.txt").read_text(encoding="utf-8").split("\n")
    assert datelesslists.read_dateless_list(lines) is None
    rows, _ = _rows("dateless_sidebar_none_en.txt")
    assert rows == []


def test_without_a_comment_header_the_names_are_not_read() -> None:
    text = (FIXTURES / "dateless_avatar_tree_en.txt").read_text(encoding="utf-8").replace("{ 5 comments }", "")
    assert datelesslists.read_dateless_list(text.split("\n")) is None


def test_more_names_than_the_header_announces_is_not_the_list() -> None:
    text = (FIXTURES / "dateless_avatar_tree_en.txt").read_text(encoding="utf-8").replace("{ 5 comments }",
                                                                                          "{ 1 comment }")
    assert datelesslists.read_dateless_list(text.split("\n")) is None


def datelesslists_cap() -> float:
    from analyzer.ingest import textshapes
    return textshapes.DATELESS_EDGE_CONFIDENCE
