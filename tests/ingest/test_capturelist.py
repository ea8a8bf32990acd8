"""The real-capture reader (analyzer/ingest/capturelist.py) on small original pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.core.records import Article, ParsedThread
from analyzer.ingest import capturelist, pagetext, patterns
from tests.ingest.pagetext_helpers import read_text

ARTICLE = "Stadtleben\n\nDer neue Marktplatz\n\nDie Stadt hat den Marktplatz umgebaut und neue Bäume gepflanzt.\n\n"


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
    ["Antworten", "Reply", "Hinterlasse einen Kommentar", "Schreib einen Kommentar", "Hinterlass eine Antwort",
     "Ich habe 3 Kommentare gelesen und fand sie gut"],
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


# --- held-out round: mechanisms seen on real pages, on original text -------------------------


def test_buttons_printed_as_list_items_do_not_open_comments(tmp_path: Path) -> None:
    # A flat theme (nested divs) in a text browser: the only bullets are the reply buttons.
    page = ARTICLE + (
        "There are 2 comments\n\n"
        "[a1b2c]\nTom Baker · March 10, 2017 at 12:20 AM\n\nThe square looks much better now.Report\n\n  • Reply\n\n"
        "[d3e4f]\nSue Miller · March 10, 2017 at 1:26 AM\n\nI miss the old fountain though.Report\n\n  • Reply\n\n"
        "Leave a Reply\n"
    )
    out = read_text(tmp_path, page)
    comments = out.threads[0].comments
    assert [(c.author, c.parent_id) for c in comments] == [("Tom Baker", None), ("Sue Miller", None)]
    assert comments[1].text.startswith("I miss the old fountain")
    assert "Reply" not in comments[0].text and "nesting-lost" in {i.code for i in out.issues}
    assert patterns.REPLY_BUTTON.match("  • Reply") and patterns.COMMENT_FURNITURE.match("□ Antworten")


@pytest.mark.parametrize(
    "line", ["1 Monat her", "vor 3 Stunden", "50 Minuten 46 Sekunden her", "2 days ago", "il y a 3 jours",
             "hace 2 días", "an hour ago"],
)
def test_relative_date_lines(line: str) -> None:
    assert capturelist.date_in_line(line) is not None


@pytest.mark.parametrize("line", ["3 Tage", "Vor 3 Jahren war ich auch dort.", "2 days ago I went there too", "her"])
def test_prose_with_a_duration_is_not_a_relative_date_line(line: str) -> None:
    assert capturelist.date_in_line(line) is None


def test_relative_dates_anchor_comments_and_stay_unparsed(tmp_path: Path) -> None:
    page = ARTICLE + (
        "Kommentare\n\n"
        "AnnaAnna\nGast\nAnna\n\nDie Bäume sind schön geworden, nur der Schatten fehlt noch.\n\n"
        "Daumen hoch2Daumen runter\n1 Monat her\n"
        "BenBen\nGast\nBen\n\nWarten wir den Sommer ab, dann wachsen sie.\n\nDaumen hoch1Daumen runter\n"
        "3 Wochen her\n\nHinterlasse einen Kommentar\n"
    )
    out = read_text(tmp_path, page)
    assert len(out.threads[0].comments) == 2
    assert all(c.created_at is None for c in out.threads[0].comments)
    assert {i.code for i in out.issues} >= {"unparsed-date"}


def test_a_comment_list_without_a_recognised_header_is_read_by_its_buttons(tmp_path: Path) -> None:
    # The header is glued to an icon's alt text ("RSSKommentare (2)") and not recognised.
    page = ARTICLE + (
        "RSSKommentare (2)\n\nKommentar schreiben | zum Seitenanfang\n\n"
        " 1. [0a1b2c3d4e] Anna sagt:\n    19. Juni 2019 um 6:16\n\n    Schön geworden.\n\n    Antworten\n"
        " 2. [5f6a7b8c9d] Ben sagt:\n    20. Juni 2019 um 7:00\n\n    Finde ich auch.\n\n    Antworten\n"
    )
    out = read_text(tmp_path, page)
    assert [(c.author, c.text) for c in out.threads[0].comments] == [("Anna", "Schön geworden."),
                                                                     ("Ben", "Finde ich auch.")]
    assert "missing-comment-header" in {i.code for i in out.issues}


def test_dated_lines_without_buttons_and_without_header_stay_article(tmp_path: Path) -> None:
    page = ARTICLE + (
        "Termine\n\n 1. Markt\n    19. Juni 2019 um 6:16\n\n    Auf dem neuen Platz.\n"
        " 2. Konzert\n    20. Juni 2019 um 7:00\n\n    Im Park.\n"
    )
    assert capturelist.read_capture(pagetext._capture_lines(page), "p", "a") is None


def test_heading_joined_with_the_form_link_is_a_header() -> None:
    assert patterns.parse_section_header("Kommentare Schreibe einen Kommentar") == (True, None)
    assert patterns.parse_section_header("Kommentare zum Wetter") == (False, None)


def test_raw_html_of_a_markdown_converter_is_removed_line_by_line(tmp_path: Path) -> None:
    # pandoc -t gfm passes <div>/<span> through: one tag per line.
    items = []
    for n, (name, date, text) in enumerate([("Anna", "19. Juni 2019 um 6:16", "Schön geworden."),
                                            ("Ben", "20. Juni 2019 um 7:00", "Finde ich auch.")], 1):
        items.append(
            f'{n}.  <div id="comment-{n}">\n\n    <div class="comment-author">\n\n'
            f'    **{name}** <span class="says">sagt:</span>\n\n    </div>\n\n    <div class="comment-meta">\n\n'
            f'    [{date}](https://example.org/#comment-{n})\n\n    </div>\n\n    <div class="comment-content">\n\n'
            f'    {text}\n\n    </div>\n\n    <div class="reply">\n\n'
            f'    <a href="?replytocom={n}#respond" class="comment-reply-link">Antworten</a>\n\n    </div>\n\n    </div>\n'
        )
    page = ARTICLE + '<span class="headline"> 2 Kommentare </span>\n\n' + "".join(items)
    lines = pagetext._capture_lines(page)
    assert len(lines) == len(page.split("\n"))
    assert "Anna sagt:" in [line.strip() for line in lines] and not any("<div" in line for line in lines)
    comments = read_text(tmp_path, page).threads[0].comments
    assert [(c.author, c.text) for c in comments] == [("Anna", "Schön geworden."), ("Ben", "Finde ich auch.")]


def test_a_few_quoted_tags_in_prose_are_kept() -> None:
    text = "Man schreibt <div> und </div> um Blöcke.\n<b>fett</b>\n"
    assert capturelist.strip_raw_html(text) == text


def test_a_count_in_the_byline_loses_to_the_section_heading(tmp_path: Path) -> None:
    # Both headers are followed by the same buttoned comments; the byline's reading also takes a
    # dated sentence of the article.
    page = (
        "Stadtleben\n\nDer neue Marktplatz\n\nKommentare: 2\n\n"
        "Wenige Stunden nachdem am 2. September 2022 die Bäume kamen, regnete es.\n\n"
        "Die Stadt hat den Marktplatz umgebaut.\n\n## Kommentare\n\n"
        "Anna am 18. Oktober 2023 - 13:11 Permanenter Link\n\nSchön geworden.\n\n  * Antworten\n\n"
        "Ben am 18. Oktober 2023 - 17:40 Permanenter Link\n\nFinde ich auch.\n\n  * Antworten\n"
    )
    comments = read_text(tmp_path, page).threads[0].comments
    assert [c.text for c in comments] == ["Schön geworden.", "Finde ich auch."]


def test_an_empty_list_item_is_not_comment_text(tmp_path: Path) -> None:
    page = ARTICLE + (
        "2 Kommentare\n\n"
        " 1. Anna\n    19. Juni 2019 um 6:16\n      □\n    Gefällt mir sehr.\n\n    Antworten\n"
        " 2. Ben\n    20. Juni 2019 um 7:00\n\n    Mir auch.\n\n    Antworten\n\nSchreibe einen Kommentar\n"
    )
    comments = read_text(tmp_path, page).threads[0].comments
    assert [c.text for c in comments] == ["Gefällt mir sehr.", "Mir auch."]


def test_long_avatar_hashes_are_not_author_names() -> None:
    assert patterns.AVATAR.match("[0a1b2c3d4e] Anna sagt:")
    assert capturelist._clean_author("[0a1b2c3d4e] Anna sagt:") == "Anna"


def test_dates_under_the_buttons_close_their_comments(tmp_path: Path) -> None:
    # wpDiscuz in a text browser: name block (doubled alt text, role, name), text, votes,
    # translation buttons, then the (relative) date; the reply form sits above the list.
    block = "{n}{n}\nGast\n{n}\n\n{t}\n\nDaumen hoch{v}Daumen runter\nTranslate\n{d}\n"
    page = ARTICLE + (
        "Hinterlasse einen Kommentar\n\n[ Name ]\n[ E-Mail ]\n\nneuste älteste beste Bewertung\n"
        + block.format(n="Anna", t="Die Bäume sind schön geworden, nur Schatten fehlt noch.", v=2, d="1 Monat her")
        + block.format(n="Ben", t="Warten wir den Sommer ab, dann wachsen sie.", v=1, d="3 Wochen her")
        + block.format(n="Cem", t="Im Herbst pflanzen sie noch mehr.", v=0, d="2 Wochen her")
    )
    out = read_text(tmp_path, page)
    comments = out.threads[0].comments
    assert [(c.author, c.text) for c in comments] == [
        ("Anna", "Die Bäume sind schön geworden, nur Schatten fehlt noch."),
        ("Ben", "Warten wir den Sommer ab, dann wachsen sie."),
        ("Cem", "Im Herbst pflanzen sie noch mehr."),
    ]
    assert {"nesting-lost", "unparsed-date"} <= {i.code for i in out.issues}


def test_a_role_label_above_the_name_is_not_text() -> None:
    assert capturelist._drop_name_lines("Gast\nNossi\n\nWie so oft.") == ("Wie so oft.", "Nossi")
    assert capturelist._drop_name_lines("NossiNossi\nGast\nNossi\n\nWie so oft.") == ("Wie so oft.", "Nossi")
    # A short first line of text is not a role label.
    assert capturelist._drop_name_lines("Ja\ngenau so.") == ("Ja\ngenau so.", None)
    assert capturelist._drop_name_lines("[ ]\n[svg]\n[ ]\n\nText") == ("[ ]\n[svg]\n[ ]\n\nText", None)


@pytest.mark.parametrize(
    ("line", "signed"),
    [("Heidemarie Muster | Di, 21. April 2020 - 16:40", True), ("Tom Baker · March 10, 2017 at 12:20 AM", True),
     ("Anna am 3. Mai 2020", True), ("Am 21. April 2020 regnete es.", False), ("Di, 21. April 2020 - 16:40", False),
     ("Veröffentlicht am 3. Mai 2020", False), ("Posted on March 3, 2020", False)],
)
def test_name_and_date_lines(line: str, signed: bool) -> None:
    assert capturelist.signed_date_line(line) is signed


def test_signed_comments_above_their_heading_are_evidence() -> None:
    # No buttons and no header before them: if they are not read, they are reported.
    page = ARTICLE + "".join(
        f"{name} | Di, {day}. April 2020 - 16:40\n\nEin längerer Gedanke zum Artikel, Nummer {day}.\n\n"
        for name, day in (("Anna Muster", 21), ("Ben Beispiel", 22), ("Cem Probe", 23))
    ) + "Kommentare\n"
    lines = pagetext._capture_lines(page)
    empty = ParsedThread(article=Article(article_id="a"), comments=[])
    (issue,), _ = pagetext._not_recognised(lines, "p.txt", "a", empty)
    assert issue.code == "comments-not-recognised" and "3 name-and-date line(s)" in issue.detail
    # Two such lines (a byline and one more) are not enough.
    fewer = ARTICLE + "Anna Muster | Di, 21. April 2020 - 16:40\n\nBen | 22. April 2020\n\nKommentare\n"
    assert pagetext._not_recognised(pagetext._capture_lines(fewer), "p.txt", "a", empty) == ([], 0)


def test_a_counted_list_without_names_or_dates_is_read(tmp_path: Path) -> None:
    texts = ["Schöner Platz.", "Zu wenig Bänke.", "Die Bäume sind noch klein,\n    sie wachsen ja.", "Gut gemacht."]
    page = ARTICLE + "4 Kommentare\n\n" + "".join(f"  • \n    {t}\n" for t in texts) + "\nMehr laden\n\nImpressum\n"
    out = read_text(tmp_path, page)
    comments = out.threads[0].comments
    assert [c.text for c in comments] == ["Schöner Platz.", "Zu wenig Bänke.", "Die Bäume sind noch klein,\nsie wachsen ja.",
                                          "Gut gemacht."]
    assert all(c.parent_id is None for c in comments) and "undated-comments" in {i.code for i in out.issues}


def test_a_list_that_does_not_match_the_count_is_not_comments(tmp_path: Path) -> None:
    page = ARTICLE + "12 Kommentare\n\n  • Impressum\n  • Datenschutz\n  • Kontakt\n"
    assert capturelist.read_capture(pagetext._capture_lines(page), "p", "a") is None


def test_a_reply_button_before_the_text_does_not_empty_it(tmp_path: Path) -> None:
    page = ARTICLE + (
        "2 Kommentare\n\n"
        "  1. Anna Muster 20. Juni 2018 um 10:50 Uhr -\n     Antworten\n\n     Danke für den Überblick.\n\n"
        "  2. Ben Beispiel 21. Juni 2018 um 11:00 Uhr -\n     Antworten\n\n     Sehr hilfreich.\n\n"
        "Schreibe einen Kommentar\n"
    )
    comments = read_text(tmp_path, page).threads[0].comments
    assert [(c.author, c.text) for c in comments] == [("Anna Muster", "Danke für den Überblick."),
                                                      ("Ben Beispiel", "Sehr hilfreich.")]


def test_pingback_excerpts_are_not_comments(tmp_path: Path) -> None:
    page = ARTICLE + (
        "2 Kommentare\n\n"
        "  1. Anna Muster 20. Juni 2018 um 10:50 Uhr -\n     Antworten\n\n     Danke für den Überblick.\n\n"
        "  2. Ein Blog – Wochenrückblick 21. Juni 2018 um 11:00 Uhr -\n     Antworten\n\n"
        "     […] der Marktplatz wurde umgebaut und hat neue\n     Bäume bekommen […]\n\n"
        "Schreibe einen Kommentar\n"
    )
    out = read_text(tmp_path, page)
    assert [c.author for c in out.threads[0].comments] == ["Anna Muster"]
    assert "pingback-skipped" in {i.code for i in out.issues}


@pytest.mark.parametrize("line", ["3. November 2023 um 20:14\u00a0Uhr", "3. Dezember 2015 at 11:21 · Antwort",
                                  "3. Dezember 2015 @ 11:21"])
def test_date_lines_of_browser_copies_are_not_list_items(line: str) -> None:
    assert patterns.LIST_ITEM.match(line) is None


def test_a_permalink_wrapped_over_several_lines_keeps_the_date(tmp_path: Path) -> None:
    text = "[23. Juni 2016 um 17:21 Uhr](https://example.org/2016/ein-sehr-langer-\ntitel-des-beitrags-ueber-den-\nmarktplatz/#comment-1)\n"
    assert capturelist.normalise_markdown(text).split("\n")[0] == "23. Juni 2016 um 17:21 Uhr"
    assert capturelist.normalise_markdown(text).count("\n") == text.count("\n")


def test_a_stray_numbered_line_does_not_turn_a_signed_copy_into_a_list(tmp_path: Path) -> None:
    # A browser copy: "Name sagt:" / date lines, no buttons; one comment quotes a numbered point.
    page = ARTICLE + "3 Kommentare\n" + "".join(
        f"{name} sagt:\n{day}. November 2023 um 20:14\u00a0Uhr\n\n{text}\n\n"
        for name, day, text in (("Anna", 3, "Erster Gedanke."), ("Ben", 4, "1. Punkt: der Platz ist schön."),
                                ("Cem", 5, "Dritter Gedanke."))
    )
    comments = read_text(tmp_path, page).threads[0].comments
    assert [c.author for c in comments] == ["Anna", "Ben", "Cem"]


def test_underscored_links_of_debian_html2text() -> None:
    assert capturelist.normalise_markdown("  _23._Juni_2016_um_17:21 Uhr_") == "  23. Juni 2016 um 17:21 Uhr"
    assert capturelist.normalise_markdown("Anna_Muster sagt: snake_case und __init__") == (
        "Anna_Muster sagt: snake_case und __init__")


def test_a_pingback_excerpt_under_its_title_is_a_pingback() -> None:
    assert capturelist._pingback_excerpt("Wochenrückblick – Ein Blog\n\n[…] der Platz ist\nschön […]")
    assert capturelist._pingback_excerpt("[...] der Platz ist schön [...]")
    assert not capturelist._pingback_excerpt("Ich zitiere:\n\n[…] der Platz ist schön […]\n\nDem stimme ich zu.")


def test_a_header_announcing_no_comments_opens_no_list(tmp_path: Path) -> None:
    page = ARTICLE + (
        "0 Comments\n\nRelated news\n\nApril 14, 2022 | 2:12 pm\n\nStreets deserted after the holiday.\n\n"
        "April 13, 2022 | 1:48 pm\n\nNo new measures announced.\n\nLeave a Reply\n"
    )
    assert read_text(tmp_path, page).threads[0].comments == []


def test_bylines_of_related_articles_are_not_comments(tmp_path: Path) -> None:
    page = ARTICLE + (
        "COMMENTS\n\nMore from the site\n\nThe square reopens\nBy Jane DoeMarch 17, 2024\n\n"
        "New trees for the park\nBy John RoeMarch 16, 2024\n\nThe fountain runs again\nBy Jane DoeMarch 15, 2024\n"
    )
    assert read_text(tmp_path, page).threads[0].comments == []


def test_a_recent_comments_widget_is_not_this_pages_comments(tmp_path: Path) -> None:
    page = ARTICLE + "Kommentare\n\n" + "".join(
        f"  * 06.11.23 - 14:0{n} von {name} zu\n    {title}\n"
        for n, (name, title) in enumerate([("Anna", "Neue Bäume am Markt"), ("Ben", "Der Brunnen läuft"),
                                           ("Cem", "Sommerfest verschoben")])
    ) + "\nImpressum\n"
    assert read_text(tmp_path, page).threads[0].comments == []


def test_link_numbers_go_with_the_reference_list() -> None:
    """lynx/elinks defaults: "[8]Antworten" and a closing "References" list (line count kept)."""
    text = ("Kommentare\n   [6]Anna\n   [8]Antworten\n\nReferences\n\n   Visible links:\n"
            "   1. https://a.example/x y\n   2. https://a.example/?q=1\nmore of target 2\n\n   Hidden links:\n"
            "   3. https://a.example/feed\n")
    out = capturelist.strip_link_references(text)
    assert out.count("\n") == text.count("\n")
    assert out.startswith("Kommentare\n   Anna\n   Antworten\n")
    assert "References" not in out and "https" not in out


def test_footnote_numbers_stay_without_a_reference_list() -> None:
    text = "Wie in der Studie [1] gezeigt, und [2] auch.\n\nReferences\n\nSmith 2020. A study.\n"
    assert capturelist.strip_link_references(text) == text


def test_inline_link_targets_go_when_the_tool_prints_several() -> None:
    """lynx -list_inline prints each target before its text."""
    text = "".join(f"[https://a.example/{n}]Reply\n" for n in range(3)) + "siehe [https://x.example] oben\n"
    assert capturelist.strip_link_references(text) == "Reply\nReply\nReply\nsiehe  oben\n"
    one = "siehe [https://x.example] oben\n"
    assert capturelist.strip_link_references(one) == one


def test_comments_without_any_heading_are_reported_not_silent() -> None:
    """A theme that prints no "N Kommentare" heading: "NAME sagt:" lines with a date under them
    and a reply button are comments; when none is read, the page says so."""
    page = ARTICLE + (
        "  • Technik\n  • Alltag\n\n"
        "Jana sagt:\n3. Mai 2021 um 09:12 Uhr\n\nDas hat bei mir so nicht geklappt, ich bekomme eine Fehlermeldung.\n\n"
        "Antworten\n\n"
        "  • Tobias Probe sagt:\n    3. Mai 2021 um 11:40 Uhr\n\n    Hallo Jana, starte die Konsole als Administrator.\n\n"
        "Anzeige\n"
    )
    lines = pagetext._capture_lines(page)
    empty = ParsedThread(article=Article(article_id="a"), comments=[])
    (issue,), _ = pagetext._not_recognised(lines, "p.txt", "a", empty)
    assert issue.code == "comments-not-recognised" and issue.severity == "warning"
    assert "2 author line(s) with a date" in issue.detail and "'Jana sagt:'" in issue.detail


def test_a_quote_ending_in_sagt_is_no_comment_evidence() -> None:
    # Article prose that introduces a quotation, with no date under it and no reply button.
    page = ARTICLE + "Die Ministerin sagt:\n\nWir prüfen das im Herbst noch einmal gründlich.\n\nEnde.\n"
    lines = pagetext._capture_lines(page)
    empty = ParsedThread(article=Article(article_id="a"), comments=[])
    assert pagetext._not_recognised(lines, "p.txt", "a", empty) == ([], 0)


def test_wrote_lines_and_signed_lines_with_buttons_are_reported_without_a_heading() -> None:
    empty = ParsedThread(article=Article(article_id="a"), comments=[])
    wrote = ARTICLE + "".join(
        f"  • Report this Comment On May {day}, 2021, at 10:0{day} PM, {name} wrote:\n\n    {text}\n\n"
        for day, name, text in ((3, "kiwi77", "Prices will fall again."), (4, "dune_r", "I doubt that very much.")))
    (issue,), _ = pagetext._not_recognised(pagetext._capture_lines(wrote), "p.txt", "a", empty)
    assert "2 author line(s) with a date" in issue.detail and "kiwi77" in issue.detail
    signed = ARTICLE + "".join(
        f"{name} | {day}. Mai 2021 - 10:00\n\nIch sehe das anders, Nummer {day}.\n\n  • Antworten\n  • Melden\n\n"
        for name, day in (("Anna Muster", 3), ("Ben Beispiel", 4)))
    (issue,), _ = pagetext._not_recognised(pagetext._capture_lines(signed), "p.txt", "a", empty)
    assert "2 reply-button line(s)" in issue.detail
    # The same signed lines without buttons (a "latest comments" widget) are no evidence here.
    widget = signed.replace("  • Antworten\n", "")
    assert pagetext._not_recognised(pagetext._capture_lines(widget), "p.txt", "a", empty) == ([], 0)


def test_all_comments_with_a_count_in_brackets_is_a_header() -> None:
    """A sort tab "all comments (18)" over the list (a Russian blog platform in every text
    browser: the count went unread and the unread list was silent); "all" in five languages."""
    for line, count in (("все комментарии (18)", 18), ("All comments (4)", 4), ("Alle Kommentare: 12", 12),
                        ("Tous les commentaires (7)", 7)):
        assert patterns.parse_section_header(line) == (True, count)
    assert patterns.parse_section_header("Все комментарии автора") == (False, None)
