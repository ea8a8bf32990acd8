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


# --- session 9: name lines without a mark of their own (issue #12) -------------------------------
SPLICE_AUTHORS = ["Perpetua Vallance", "Osric Delamere", "Perpetua Vallance", "Hedda Strom", "Osric Delamere"]


def test_names_set_off_by_a_leading_space_are_read_flat() -> None:
    # A browser's copied text: the avatar is gone, the space after it is left before the name.
    rows, codes = _rows("dateless_spaced_names_en.txt")
    assert [r["author"] for r in rows] == SPLICE_AUTHORS
    assert all(r["parent_id"] is None and r["edge_confidence"] <= 0.2 for r in rows)
    assert "nesting-lost" in codes
    assert rows[2]["text"].endswith("- is whipping needed after a splice?")  # "Also:" is text, not the end
    assert not any("Email Updates" in r["text"] or "Knots" in r["text"] for r in rows)


def test_names_set_off_by_extra_blank_lines_are_read_flat() -> None:
    # A converter that drops images: more blank lines around the name than between paragraphs.
    rows, codes = _rows("dateless_blank_set_names_en.txt")
    assert [r["author"] for r in rows] == SPLICE_AUTHORS
    assert "nesting-lost" in codes
    assert rows[0]["text"].startswith("Which splice would you use for:")


def test_a_bare_name_between_avatar_heads_is_a_comment() -> None:
    # elinks prints "[IMG]" only for linked avatars: one commenter's name stands bare.
    rows, _ = _rows("dateless_mixed_avatars_en.txt")
    assert [r["author"] for r in rows] == SPLICE_AUTHORS
    assert rows[3]["text"].startswith("Whipping the tails")
    assert rows[2]["text"].endswith("- is whipping needed after a splice?")


def test_a_shape_without_names_over_prose_or_a_count_is_not_a_list() -> None:
    text = (FIXTURES / "dateless_spaced_names_en.txt").read_text(encoding="utf-8")
    # Four heads known by a learnt shape alone: read under a header that counts them, not under
    # a bare "Comments" (a related-posts box has titles over teasers too).
    four = text.replace("\n Osric Delamere\n\nAgreed, taper them", "\nAgreed, taper them")
    assert len(datelesslists.read_dateless_list(four.replace("{ 5 comments }", "{ 4 comments }").split("\n")).items) == 4
    assert datelesslists.read_dateless_list(four.replace("{ 5 comments }", "Comments").split("\n")) is None
    # And without the leading spaces the names are paragraphs like any other.
    flat = "\n".join(line.lstrip() for line in text.split("\n"))
    assert datelesslists.read_dateless_list(flat.split("\n")) is None
