"""Pages without comments are no pages with unread comments (issue 12, session 9: commentheader.py).

The fixtures under ``fixtures/capture_controls`` are invented pages reproducing what made the
page-text reader warn ``comments-not-recognised`` (or read comments) on real pages without any:
menu entries, the reply form's heading, sidebar widgets and teaser lists.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.ingest import commentheader
from analyzer.ingest.base import COMMENTS_NOT_RECOGNISED
from tests.ingest.pagetext_helpers import comments, read_text

CONTROLS = Path(__file__).resolve().parents[2] / "fixtures" / "capture_controls"


@pytest.mark.parametrize("name", ["recent_widget_none_en", "recent_widget_none_de", "teaser_counts_none_de",
                                  "blogger_form_none_fr"])
def test_control_page_reads_no_comment_and_no_warning(tmp_path: Path, name: str) -> None:
    out = read_text(tmp_path, (CONTROLS / f"{name}.txt").read_text(encoding="utf-8"))
    assert comments(out) == []
    assert [i.detail for i in out.issues if i.code == COMMENTS_NOT_RECOGNISED] == []


def _page(section: str) -> str:
    article = ("Die Stadt hat am Montag die neue Fähre vorgestellt, die ab Juni zwischen dem Markt und der "
               "Insel fahren und bis zu achtzig Fahrgäste tragen soll.\n\n") * 3
    return "Der Elbkiesel\n\nNeue Fähre für Sandwerder\n\n" + article + section


def test_bracketed_count_after_the_noun_is_a_header(tmp_path: Path) -> None:
    # "Kommentare ( 4 )": the count in brackets after the noun announces comments not read.
    out = read_text(tmp_path, _page("# Kommentare ( 4 )\n\nDie Kommentare werden geladen.\n"))
    warned = [i.detail for i in out.issues if i.code == COMMENTS_NOT_RECOGNISED]
    assert warned and "announces 4" in warned[0]


def test_form_heading_and_field_label_open_no_section() -> None:
    lines = ["Leave a Reply", "", "[   ] Name (required)", "[   ] E-mail (required)", "Your Comment", "[    ]"]
    assert not commentheader.opens_section(lines, 4, None)
    assert not commentheader.opens_section(["Publier un commentaire"], 0, 1)


def test_bare_header_above_the_article_is_the_menu() -> None:
    lines = ["Portada", "Opiniones", "viernes, abril 22, 2022", "",
             "El puerto recibe hoy el primer crucero de la temporada y la ciudad espera a miles de visitantes."]
    prose_from = commentheader.first_prose(lines)
    assert prose_from == 4
    assert not commentheader.opens_section(lines, 1, None, prose_from)


def test_teaser_dates_and_widget_dates_are_no_comment_dates() -> None:
    lines = ["Recent Posts", "", "  • Library Extends Weekend Hours", "", "    March 3, 2014",
             "  • Crossing Guard Honoured by School Board", "", "    March 2, 2014"]
    assert commentheader.teaser_date(lines, 4)
    assert not commentheader.text_below(lines, 4)
    assert commentheader.section_end(["Comments", "", "Recent Posts", "x"], 0) == 2


def test_teaser_counts_are_no_reading() -> None:
    from analyzer.core.records import RawComment

    teasers = [RawComment(comment_id=str(n), parent_id=None, author="Headline", text=f"{n} Kommentare")
               for n in (3, 0, 12)]
    assert commentheader.teaser_counts(teasers)
    real = [RawComment(comment_id="1", parent_id=None, author="Anna", text="Ich finde die Fähre gut.")]
    assert not commentheader.teaser_counts(real)
