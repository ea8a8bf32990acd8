"""Widgets, menus and reply forms that the page-text reader read as comments (session 8, issue 12).

The pages are original text in ``fixtures/capture_no_comment_list`` (NOTES.md there says which real
phenomenon each reproduces).  Five have no comment at all: every comment read from them is invented.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.ingest import capturelist, pagetext, patterns
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source
from tests.conftest import ROOT
from tests.ingest.pagetext_helpers import comments

PAGES = ROOT / "fixtures" / "capture_no_comment_list"


def read_page(name: str) -> ReaderOutput:
    return pagetext.read(Source(PAGES / name), ReadOptions())


@pytest.mark.parametrize("name", [
    "form_only_es.txt",            # the reply form's heading and field labels
    "recent_posts_after_form.txt",  # an empty section's form, then a dated "Recent posts" box
    "menu_entry_header.txt",       # "Diskussion" in the site menu taken for the header
    "wrapped_header_word.txt",     # "réponses", a wrapped paragraph's last word, taken for the header
    "opinion_box.txt",             # a news site's "OPINIONES" box of dated titles
])
def test_page_without_comments_yields_none(name: str) -> None:
    out = read_page(name)
    assert [c.text[:40] for c in comments(out)] == []
    assert out.threads[0].article.body  # the article is still read


def test_related_bylines_above_the_list_are_no_comments() -> None:
    out = read_page("related_bylines_above_list.txt")
    got = [(c.author, c.parent_id, c.text.split()[0]) for c in comments(out)]
    assert got == [("Greta", None, "Ich"), ("Jonas", "c1", "Danke,"), ("Malte", None, "Für")]


@pytest.mark.parametrize("line", [
    "DEJA UNA RESPUESTA", "### Deja una respuesta", "Leave a Response", "Lascia una risposta",
    "Laisser une réponse",
])
def test_reply_form_headings_are_trailers_not_headers(line: str) -> None:
    assert capturelist.is_trailer(line)
    assert capturelist.section_header(line) == (False, None)


@pytest.mark.parametrize("line", [
    "Recent posts", "#### Últimas Noticias", "####  __Das könnte dich auch interessieren  …",
    "  Sur le même thème", "Related Posts:", "*** Ähnliche Beiträge ***",
])
def test_widget_headings(line: str) -> None:
    assert patterns.WIDGET_HEADING.match(line)


@pytest.mark.parametrize("line", [
    "Recent posts about my garden were popular", "Archives of the old forum are gone, sadly.",
    "Kommentare", "3 Kommentare",
])
def test_text_that_only_mentions_a_widget_is_not_its_heading(line: str) -> None:
    assert not patterns.WIDGET_HEADING.match(line)


def test_menu_entry_and_wrapped_word_are_no_headers_but_a_heading_is() -> None:
    menu = ["  * Sport", "  * Stadtrat", "  * Diskussion", "  * Kontakt", "  * Impressum"]
    assert capturelist.menu_entry(menu, 2, None)
    wrapped = ["   Voir le questionnaire ou la synthèse des résultats de nos", "   réponses", ""]
    assert capturelist.wrapped_tail(wrapped, 1, None)
    section = ["Das war der Artikel.", "", "Kommentare", "", "Anna", "3. Mai 2021 um 10:15", "Schöner Text."]
    assert not capturelist.menu_entry(section, 2, None)
    assert not capturelist.wrapped_tail(section, 2, None)
    assert not capturelist.menu_entry(["Sport", "Politik", "3 Kommentare", "Kultur", "Wetter"], 2, 3)


def test_a_list_of_comments_above_a_recent_posts_box_keeps_only_the_comments(tmp_path: Path) -> None:
    # A browser copy: comments with reply buttons, no reply form (comments closed without a
    # notice), then the sidebar's dated "Recent posts" box.
    page = (
        "Ein Regal für den Keller\n\nIch habe am Wochenende ein Regal aus alten Dielen gebaut, "
        "und es hält erstaunlich viel aus.\nDie Dielen lagen seit Jahren im Keller herum.\n"
        "Kommentare\n"
        "Paula\n12. März 2024 um 09:30\nSieht toll aus, welches Holz ist das genau?\nAntworten\n"
        "Ole\n12. März 2024 um 11:02\nIch hätte die Dielen vorher noch abgeschliffen.\nAntworten\n"
        "Neueste Beiträge\n"
        "Der Garten im April\n2. April 2024\n"
        "Ein neuer Stuhl aus Resten\n20. März 2024\n"
    )
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    out = pagetext.read(Source(path), ReadOptions())
    assert [c.author for c in comments(out)] == ["Paula", "Ole"]


def test_form_field_label_and_share_button_open_no_list(tmp_path: Path) -> None:
    # A browser copy: the reply form ("Einen Kommentar abschicken" / notice / "Kommentar" over the
    # text box), then a dated "more about" box; and a share bar's "COMMENT" over a dated video box.
    page = (
        "Der Hafen wird größer\n\nDie Stadt will den Hafen bis zum Jahr 2030 um zwei Becken erweitern, "
        "und die Anwohner sollen im Herbst dazu gehört werden.\nDer Rat stimmt im Mai darüber ab.\n"
        "Einen Kommentar abschicken\n\nDeine E-Mail-Adresse wird nicht veröffentlicht.\n\nKommentar\n\n"
        "Name *\n\nE-Mail *\n\nKommentar abschicken\n\n"
        "Mehr über Stadt und Verkehr:\nWarum die Brücke gesperrt bleibt\n\nMai 3 2021, 14:34 | Stadt\n\n"
        "Die Sanierung dauert länger als geplant, weil Stahlteile fehlen und die Firma gewechselt hat.\n\n"
        "Ein neuer Radweg am Fluss\n\nApr 9 2021, 10:02 | Verkehr\n\n"
        "Der Weg soll im Sommer fertig sein und die beiden Brücken verbinden, sagt das Bauamt.\n\n"
        "TEILEN\nCOMMENT\nFEHLER MELDEN\nTop Videos\nAbendschau: 4. Mai 2021\nDer Hafen bei Nacht\n"
    )
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    out = pagetext.read(Source(path), ReadOptions())
    assert [c.text[:30] for c in comments(out)] == []
