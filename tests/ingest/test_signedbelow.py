"""Comment lists signed below their text (analyzer/ingest/signedbelow.py, read through the
page-text reader; session 9, issue #12): "Posted by: NAME | DATE" and its kin close each
comment, so the text above a signature is that comment's."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from analyzer.ingest import read, signedbelow

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "text_shapes"


def _rows(name: str):
    out = read([FIXTURES / name])
    rows = list(out.comments.filter(out.comments["kind"] == "comment").iter_rows(named=True))
    return rows, {i.code for i in out.issues}


def _lines(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").split("\n")


def test_pipe_signatures_close_each_text() -> None:
    rows, codes = _rows("signed_below_pipe_en.txt")
    assert [r["author"] for r in rows] == ["Orla Finnegan", "benj", "Tamsin Okoro, Westbay", "Orla Finnegan"]
    assert rows[0]["text"].startswith("Twenty-two minutes is slower")  # not the article, not "Advertisement"
    assert "Advertisement" not in rows[0]["text"] and "share this" not in rows[0]["text"]
    assert rows[1]["text"] == "Lovely quiet boat. My dog finally stopped barking on the crossing."
    assert rows[2]["text"].split("\n")[0] == "- Who pays for the charging pier?"
    assert rows[3]["text"].startswith("@benj.") and "Post a comment" not in rows[3]["text"]
    assert not any("Posted by" in r["text"] for r in rows)
    assert rows[0]["created_at"].replace(tzinfo=None) == datetime(2009, 3, 4, 7, 12, 40)
    # No indentation: flat, but "@benj." opening the last text links it to benj's comment (low confidence).
    assert [r["parent_id"] for r in rows] == [None, None, None, "c2"]
    assert rows[3]["edge_confidence"] < 0.9
    assert "nesting-lost" in codes


def test_at_signatures_under_a_header_with_rules_between() -> None:
    rows, _ = _rows("signed_below_at_rules_en.txt")
    assert [r["author"] for r in rows] == ["Hallvard Brekke", "Lucia Marchetti", "P. Adeyemi", "Hallvard Brekke"]
    assert rows[0]["text"].startswith("I found my great-grandfather's name")
    assert rows[2]["text"] == "Wonderful work"  # a short text without a full stop is still a comment
    assert rows[3]["text"].endswith("Nobody ever writes that down anywhere else.")
    assert not any("━" in r["text"] or "Subscribe" in r["text"] for r in rows)
    assert rows[1]["created_at"].replace(tzinfo=None) == datetime(2011, 6, 2, 11, 40)


def test_a_wide_gap_ends_the_article_above_the_first_comment() -> None:
    rows, _ = _rows("signed_below_wide_gap_en.txt")
    assert [r["author"] for r in rows] == ["Ines Valdemar", "Gunnar Sølvberg", "Ines Valdemar", "Dorota Wilk"]
    assert rows[0]["text"] == "Which rootstock did you use? Quince makes the trees small but they fruit early."
    assert rows[2]["text"].startswith("Quince, yes.\n\nWe wanted")


def test_a_byline_signed_like_the_comments_stays_with_the_article() -> None:
    rows, _ = _rows("signed_below_byline_en.txt")
    assert [r["author"] for r in rows] == ["Greta Amundsen", "Rafe Cullinane", "Greta Amundsen"]
    assert rows[0]["text"].startswith("Wonderful news.")


@pytest.mark.parametrize(("name", "authors", "first_date"), [
    ("signed_below_said_en.txt", ["Marit Holmlund", "Edgar Pell", "Marit Holmlund"], datetime(2013, 5, 9, 7, 42)),
    ("signed_below_geschrieben_de.txt", ["Hiltrud Weyand", "Konrad Sieber", "Hiltrud Weyand"],
     datetime(2015, 9, 14, 18, 22)),
    ("signed_below_ecrit_fr.txt", ["Solène Marivaux", "Anatole Brisset", "Solène Marivaux"],
     datetime(2016, 6, 3, 10, 12)),
])
def test_signatures_in_other_words_and_languages(name: str, authors: list[str], first_date: datetime) -> None:
    rows, _ = _rows(name)
    assert [r["author"] for r in rows] == authors
    assert rows[0]["created_at"].replace(tzinfo=None) == first_date
    assert not any(r["text"].startswith(("Geschrieben", "Écrit")) or " said on " in r["text"] for r in rows)


@pytest.mark.parametrize("name", [
    "signed_below_post_index_none_en.txt",   # post titles, teasers, "Continue reading", then the signature
    "signed_below_post_titles_none_en.txt",  # post titles over teasers, no "Continue reading"
    "signed_below_footers_none_en.txt",      # "Posted by X at DATE | Permalink | Comments (2) | TrackBack (0)"
])
def test_a_blog_index_of_signed_posts_is_no_comment_list(name: str) -> None:
    assert signedbelow.read_signed_below(_lines(name)) is None
    rows, _ = _rows(name)
    assert rows == []


@pytest.mark.parametrize(("line", "author", "date"), [
    ("Posted by: Sean Park | Jan 10, 2008 4:49:12 PM", "Sean Park", "Jan 10, 2008 4:49:12 PM"),
    ("Posted by: Ana, Lisbon, PT | Jan 10, 2008 8:36 PM", "Ana, Lisbon, PT", "Jan 10, 2008 8:36 PM"),
    ("Posted by Ana at May 3, 2012 7:49 AM", "Ana", "May 3, 2012 7:49 AM"),
    ("Posted by: Ana \\| Jan 10, 2008 4:49 PM", "Ana", "Jan 10, 2008 4:49 PM"),  # pandoc's escaped bar
    ("Posted by: Ana | Jan_10,_2008_4:49_PM", "Ana", "Jan 10, 2008 4:49 PM"),  # Debian html2text's link
    ("Comment by Ana — 18.07.2011", "Ana", "18.07.2011"),
    ("Ana said on May 3, 2012 at 7:49 am", "Ana", "May 3, 2012 at 7:49 am"),
    ("Verfasst von Jörg am 3. Mai 2012 um 7:49", "Jörg", "3. Mai 2012 um 7:49"),
    ("Publicado por Lucía el 3 de mayo de 2012", "Lucía", "3 de mayo de 2012"),
    ("Scritto da Gianni il 3 maggio 2012", "Gianni", "3 maggio 2012"),
    ("Geplaatst door Sanne op 3 mei 2012", "Sanne", "3 mei 2012"),
])
def test_signature_lines(line: str, author: str, date: str) -> None:
    found = signedbelow.signature(line)
    assert found is not None
    assert found[0] == author
    assert found[1].startswith(date.split(" at ")[0].split(" um ")[0])


@pytest.mark.parametrize("line", [
    "Posted by Ana",  # no date
    "This was posted by Ana on May 3, 2012 and nobody read it.",  # prose
    "Posted by: the committee of the village hall and friends | May 3, 2012",  # no name: too many words
    "Posted on May 3, 2012",  # the article's date
])
def test_no_signature(line: str) -> None:
    assert signedbelow.signature(line) is None


def test_signatures_over_their_texts_are_left_to_the_other_readers() -> None:
    # "NAME said on DATE" heading each text (meta above): the text under the last one says so.
    assert signedbelow.read_signed_below(_lines("signed_below_meta_above_none_en.txt")) is None
    rows, _ = _rows("signed_below_meta_above_none_en.txt")
    assert [r["text"].split()[0] for r in rows] == ["Mine", "A", "Thank"]


def test_titled_comments_with_their_meta_above_are_not_signed_below() -> None:
    # "* Title" / "geschrieben von NAME am DATE [ antworten ]" / text: the line opens its comment.
    assert signedbelow.read_signed_below(_lines("signed_below_titled_meta_none_de.txt")) is None
