"""Comment lists of names over texts above the page's comment-system line
(analyzer/ingest/signedlists.py, read through the page-text reader)."""

from __future__ import annotations

from pathlib import Path

from analyzer.ingest import read, signedlists

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "text_shapes"


def _rows(name: str):
    out = read([FIXTURES / name])
    rows = list(out.comments.filter(out.comments["kind"] == "comment").iter_rows(named=True))
    return rows, {i.code for i in out.issues}


def test_bulleted_list_of_names_over_texts_above_the_system_line() -> None:
    rows, codes = _rows("signed_list_en.txt")
    assert [r["author"] for r in rows] == ["Philippa Grange", "Jorrit Lenz", "Hedda M.", "Quentin Abara"]
    assert rows[1]["text"].startswith("Small publishers deserve the table.")
    assert rows[2]["text"].endswith("Hedda")  # the signature stays with its comment
    assert all(r["parent_id"] is None and r["edge_confidence"] <= 0.2 for r in rows)
    assert "nesting-lost" in codes
    assert not any("bookshops" in r["text"] or "Print This" in r["text"] for r in rows)


def test_unbulleted_list_reads_the_same_comments() -> None:
    rows, codes = _rows("signed_list_plain_en.txt")
    assert [r["author"] for r in rows] == ["Philippa Grange", "Jorrit Lenz", "Hedda M.", "Quentin Abara"]
    assert "nesting-lost" in codes


def test_no_list_above_the_system_line_is_no_comment() -> None:
    lines = (FIXTURES / "signed_list_none_en.txt").read_text(encoding="utf-8").split("\n")
    assert signedlists.read_signed_list(lines) is None


def test_without_the_system_line_a_list_of_names_is_not_read() -> None:
    text = (FIXTURES / "signed_list_en.txt").read_text(encoding="utf-8").replace("blog comments powered by Disqus", "")
    assert signedlists.read_signed_list(text.split("\n")) is None


def test_a_name_with_an_initial_is_a_name_and_a_sentence_is_not() -> None:
    assert signedlists._name("Travis R.") == "Travis R."
    assert signedlists._name("http://example.org Anna Berg") == "Anna Berg"
    assert signedlists._name("Thank you all.") is None
