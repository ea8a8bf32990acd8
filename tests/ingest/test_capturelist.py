"""The real-capture reader (analyzer/ingest/capturelist.py) on small original pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.ingest import capturelist, pagetext, patterns
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source

ARTICLE = "Stadtleben\n\nDer neue Marktplatz\n\nDie Stadt hat den Marktplatz umgebaut und neue Bäume gepflanzt.\n\n"


def read_text(tmp_path: Path, text: str) -> ReaderOutput:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return pagetext.read(Source(path), ReadOptions())


@pytest.mark.parametrize(
    ("line", "count"),
    [
        ("91 Ergänzungen", 91),
        ("There are 13 comments", 13),
        ("12 thoughts on “Ein Titel”", 12),
        ("20 комментариев", 20),
        ("5 komentarzy", 5),
        ("7 reacties op “Titel”", 7),
        ("3 commenti", 3),
        ("Se han publicado 11 comentarios", 11),
        ("17 Discussion to this post", 17),
        ("Kommentare (4)", 4),
        ("Vos réactions", None),
        ("Comments", None),
    ],
)
def test_section_headers_in_eight_languages(line: str, count: int | None) -> None:
    assert patterns.parse_section_header(line) == (True, count)


@pytest.mark.parametrize(
    "line",
    ["Antworten", "Reply", "Hinterlasse einen Kommentar", "Ich habe 3 Kommentare gelesen und fand sie gut"],
)
def test_buttons_forms_and_prose_are_not_headers(line: str) -> None:
    assert patterns.parse_section_header(line) == (False, None)


@pytest.mark.parametrize(
    "line",
    ["19. Juni 2019 um 6:16", "March 11th, 2015 at 02:57", "26 abril 2022 a las 14:02", "Neuni 23.07.2020 // 12:59",
     "lebrec jacques Le 13 septembre 2019 à 22:30", "Jun 20th at 2:41 am", "Le 9 janvier à 13:06"],
)
def test_date_lines(line: str) -> None:
    assert capturelist.date_in_line(line) is not None


def test_a_sentence_with_a_date_is_not_a_date_line() -> None:
    line = "Am 19. Juni 2019 hat der Gemeinderat nach langer Debatte beschlossen, den Platz umzubauen, was viele freut."
    assert capturelist.date_in_line(line) is None


def test_date_lines_are_never_ordinals(tmp_path: Path) -> None:
    # "19. Juni 2019" under a comment marker is its date, not item 19 of a list.
    page = ARTICLE + (
        "2 Kommentare\n\n"
        " 1. Anna\n    19. Juni 2019 um 6:16\n\n    Gefällt mir sehr.\n\n    Antworten\n"
        " 2. Ben\n    20. Juni 2019 um 7:00\n\n    Mir auch.\n\n    Antworten\n\n"
        "Schreibe einen Kommentar\n"
    )
    comments = read_text(tmp_path, page).threads[0].comments
    assert [(c.author, c.text) for c in comments] == [("Anna", "Gefällt mir sehr."), ("Ben", "Mir auch.")]


def test_no_break_spaces_around_list_numbers(tmp_path: Path) -> None:
    page = ARTICLE + (
        "2 Kommentare\n\n"
        "\u00a01.\u00a0Anna sagt:\n    19. Juni 2019 um 6:16\n\n    Erster.\n\n    Antworten\n"
        "\u00a0\u00a0\u00a0\u00a0\u00a01.\u00a0Ben sagt:\n        20. Juni 2019 um 7:00\n\n        Zweiter.\n\n"
        "        Antworten\n\nSchreibe einen Kommentar\n"
    )
    comments = read_text(tmp_path, page).threads[0].comments
    assert [(c.author, c.parent_id) for c in comments] == [("Anna", None), ("Ben", "c1")]


def test_comments_closed_line_ends_the_list(tmp_path: Path) -> None:
    page = ARTICLE + (
        "1 Kommentar\n\n"
        " 1. Anna\n    19. Juni 2019 um 6:16\n\n    Erster.\n\n    Antworten\n\n"
        "Kommentare sind geschlossen.\n\nImpressum\n"
    )
    out = read_text(tmp_path, page)
    assert [c.text for c in out.threads[0].comments] == ["Erster."]
    assert out.threads[0].article.comments_closed is True


def test_dated_widget_after_the_list_is_not_comments(tmp_path: Path) -> None:
    page = ARTICLE + (
        "2 Kommentare\n\n"
        "  • Anna dijo:\n\n    Muy bien.\n\n    19. Juni 2019 um 6:16\n    / Responder\n"
        "  • Ben dijo:\n\n    Gut.\n\n    20. Juni 2019 um 7:00\n    / Responder\n\n"
        "Más leídas\n\n  • Neue Bäume am Markt\n    21. Juni 2019\n  • Der Brunnen läuft wieder\n    22. Juni 2019\n"
    )
    out = read_text(tmp_path, page)
    assert [c.author for c in out.threads[0].comments] == ["Anna", "Ben"]
