"""Things on a captured page that look like comments but are not (analyzer/ingest/capturelist.py).

Every page here is original text written for the test; each one shows one source of invented
comments seen in real captures (issue 12, round 5b): a pingback whose linking post's title sits
where a comment's text would be and whose excerpt follows the date line.
"""

from __future__ import annotations

from pathlib import Path

from tests.ingest.pagetext_helpers import comments, read_text

ARTICLE = (
    "Neue Regeln für Werbung in Netzwerken\n\n"
    + "\n\n".join([
        "Ein Gericht hat entschieden, dass auch unbezahlte Empfehlungen als Werbung gelten können, wenn "
        "die Reichweite groß ist.",
        "Viele Menschen sind seitdem unsicher, was sie kennzeichnen müssen und was nicht; Verbände fordern "
        "klare Regeln.",
    ] * 2)
    + "\n\n"
)


def test_pingback_with_title_above_its_date_and_excerpt_below(tmp_path: Path) -> None:
    # Some comments print their text above the name/date line (meta after the text); a pingback
    # in the same list prints the linking post's title there, wrapped into the date line, and
    # its excerpt under it.
    page = ARTICLE + (
        "4 Kommentare\n\n"
        " 1.\n"
        "    Das finde ich eine sehr hilfreiche Übersicht, danke fürs Aufschreiben.\n"
        "    Anna Beispiel 3. Mai 2021 um 10:12 Uhr - Antworten\n\n"
        " 2.\n"
        "    Ich sehe das anders, die Regeln waren schon vorher ziemlich klar formuliert.\n"
        "    Bernd Muster 3. Mai 2021 um 11:40 Uhr - Antworten\n\n"
        " 3.\n"
        "    Was Blogger jetzt über die Kennzeichnung von Werbung wissen müssen: ein kurzer\n"
        "    Leitfaden - Beispielblog 4. Mai 2021 um 08:05 Uhr - Antworten\n\n"
        "    […] hat das Gericht die hohe Reichweite als Grund genannt, und deshalb gilt auch\n"
        "    eine Empfehlung ohne Bezahlung als Werbung […]\n\n"
        " 4.\n"
        "    Gut erklärt, jetzt weiß ich endlich, was ich bei meinen Beiträgen beachten muss.\n"
        "    Clara Probe 5. Mai 2021 um 19:30 Uhr - Antworten\n\n"
        "Schreibe einen Kommentar\n"
    )
    out = read_text(tmp_path, page)
    texts = [c.text for c in comments(out)]
    assert len(texts) == 3, texts
    assert not any("Leitfaden" in t or "Kennzeichnung" in t for t in texts)
    assert "pingback-skipped" in {i.code for i in out.issues}


def test_reader_text_tells_prose_from_widget_items() -> None:
    from analyzer.ingest.capturelist import reader_text

    assert reader_text("Das sehe ich genauso, der Radweg ist längst überfällig.")
    assert reader_text("@Anna\nIch glaube, das wird teurer als geplant")
    assert reader_text("Toller Beitrag, Danke!")  # few lower-case words, but a sentence end
    assert not reader_text("[Packshot]\n\nSommerfest 2024\n\nTermin: 12.07.2024 Ort: Stadtpark")
    assert not reader_text("## Stadtfest\n\nBeginn: TBA Eintritt: Frei\nDer Neue Marktplatz Bilder")
    # Only the start counts: a last widget item's "text" runs on into the footer's sentences.
    assert not reader_text("Lauf Der Stadt\nStart: 2024\nZiel: Rathaus Marktplatz\nDer Neue Lauf\n"
                           "Impressum: hier finden Sie alle Angaben zum Anbieter dieser Seite.")


def test_dated_widget_items_past_the_announced_count_are_cut(tmp_path: Path) -> None:
    # A comment list announcing one comment, then a calendar widget whose items carry dates.
    page = ARTICLE + (
        "1 Kommentar\n\n"
        "Anna Beispiel\n"
        "3. Mai 2021 um 10:12\n\n"
        "Das finde ich eine sehr hilfreiche Übersicht, danke fürs Aufschreiben.\n\n"
        "Kommende Termine\n\n"
        "[Sommerfest-Bild]\n\n"
        "Sommerfest 2024\n\n"
        "Termin: 12.07.2024 Ort: Stadtpark\n"
        "[Flohmarkt-Bild]\n\n"
        "Flohmarkt am Ufer\n\n"
        "Termin: 20.07.2024 Ort: Uferstraße\n"
        "Stadtlauf Bild\n\n"
        "Stadtlauf\n\n"
        "Start: TBA Ziel: Rathaus\n"
    )
    out = read_text(tmp_path, page)
    texts = [c.text for c in comments(out)]
    assert len(texts) == 1, texts
    assert texts[0].startswith("Das finde ich")
    assert "count-mismatch" not in {i.code for i in out.issues}


def test_short_comments_within_the_announced_count_stay(tmp_path: Path) -> None:
    # The same cut never removes comments the header's count accounts for, however short.
    page = ARTICLE + (
        "2 Kommentare\n\n"
        "Anna Beispiel\n"
        "3. Mai 2021 um 10:12\n\n"
        "Das finde ich eine sehr hilfreiche Übersicht, danke fürs Aufschreiben.\n\n"
        "Bernd Muster\n"
        "3. Mai 2021 um 11:40\n\n"
        "+1\n\n"
        "Schreibe einen Kommentar\n"
    )
    texts = [c.text for c in comments(read_text(tmp_path, page))]
    assert texts[-1] == "+1", texts


CODE_NAMED_LIST = ARTICLE + """Comments

Marta Lopez

The example with the default list surprised me, I had exactly this bug in production last year.

kai_dev

My version of the counter:
import os
total = 0
def count(path):
for name in os.listdir(path):
total += 1
return total
Sorry, the indentation got lost.

Jonas

Why not use a generator here? It reads much better to me.

Please enable JavaScript to view the comments.
"""


def test_code_lines_in_a_names_list_are_text_not_names(tmp_path: Path) -> None:
    # Comment systems that keep a comment's code as plain paragraphs: "import os" / "total = 0"
    # look like a name over a text, but a line of code is never a name.
    from analyzer.ingest import capturelist

    assert not capturelist._name_like("import os")
    assert not capturelist._name_like("total = 0")
    assert not capturelist._name_like("bad()")
    assert capturelist._name_like("kai_dev") and capturelist._name_like("Marta Lopez")
    found = comments(read_text(tmp_path, CODE_NAMED_LIST))
    assert [c.author for c in found] == ["Marta Lopez", "kai_dev", "Jonas"], [c.text[:30] for c in found]
    assert "def count(path):" in found[1].text


BROWSER_COPY_WITH_CITATION = ARTICLE + """6 Kommentare

Anna Beispiel 20. Juni 2018 um 10:29 Uhr - Antworten

Das Urteil überrascht mich nicht, die Gerichte sind bei Werbung seit Jahren streng.

Bernd Muster 20. Juni 2018 um 13:54 Uhr - Antworten

Zwei ältere Entscheidungen dazu:

LG Hamburg, Beschluss vom 11.10.2017, 3 W 12/17

Wer Produkte zeigt und dafür Geld bekommt, muss das kennzeichnen.

Clara Probe 20. Juni 2018 um 15:16 Uhr - Antworten

Danke für die Hinweise, das wusste ich nicht.

Dora Test 21. Juni 2018 um 9:02 Uhr - Antworten

Ich kennzeichne jetzt einfach alles, dann bin ich auf der sicheren Seite.

Ein langer Titel eines anderen Blogs über Werbung, Kennzeichnung und die Folgen für kleine Blogs 22. Juni 2018 um 8:00 Uhr - Antworten

[…] wie der Kollege schon schrieb, ist die Lage unübersichtlich […]

Emil Beispiel 23. Juni 2018 um 18:40 Uhr - Antworten

Abwarten, das nächste Gericht sieht es vielleicht anders.

Schreibe einen Kommentar
"""


def test_a_date_line_unlike_the_lists_meta_lines_is_text(tmp_path: Path) -> None:
    # Every meta line carries "- Antworten"; a cited decision's date inside a comment does not.
    out = read_text(tmp_path, BROWSER_COPY_WITH_CITATION)
    found = comments(out)
    assert [c.author for c in found] == ["Anna Beispiel", "Bernd Muster", "Clara Probe", "Dora Test",
                                         "Emil Beispiel"], [c.text[:30] for c in found]
    assert "LG Hamburg, Beschluss vom 11.10.2017" in found[1].text
    assert "muss das kennzeichnen" in found[1].text
    # The pingback's meta line is long (its post's title) but ends with the date and the button.
    assert "pingback-skipped" in {i.code for i in out.issues}


def test_pingbacks_run_together_are_still_pingbacks() -> None:
    from analyzer.ingest.capturelist import _pingback_excerpt

    run = ("[…] ein Auszug aus dem ersten Beitrag […]\n\n"
           "Ein sehr langer Titel des zweiten Beitrags, der über die Breite einer Zeile hinausgeht und\n"
           "umbricht 27. Juni 2018 um 7:11 Uhr - Antworten\n\n"
           "[…] ein Auszug aus dem zweiten Beitrag […]")
    assert _pingback_excerpt(run)
    assert _pingback_excerpt("Uhr - Antworten\n\n" + run)
    # A comment that quotes with "[…]" and then answers is no pingback.
    assert not _pingback_excerpt("[…] ein Zitat aus dem Artikel […]\n\n" + "Dem stimme ich nicht zu. " * 8
                                 + "\n\n[…] noch eins […]")


LATEST_WIDGET = ARTICLE + """COMMENTS

MOST POPULAR

Five board games for a rainy weekend (March 18, 2024)

By Jane DoeMarch 17, 2024

How a small studio turned a card game into a hit, and what it learned along the way

By John SmithMarch 16, 2024

The best puzzle games of the year so far, picked by our writers

By Anna LeeMarch 15, 2024
"""


def test_a_latest_widget_of_headlines_and_bylines_is_no_comment(tmp_path: Path) -> None:
    # A headline's date anchors an item whose "text" starts with the next teaser's byline.
    from analyzer.ingest import capturelist

    assert capturelist._teaser_byline("By Jane DoeMarch 17, 2024\n\nHow a small studio")
    assert not capturelist._teaser_byline("By the way, I agree with the article.")
    out = read_text(tmp_path, LATEST_WIDGET)
    assert comments(out) == []
    # Bylines are no evidence of a comment section either, nor (session 9, commentheader.py) a
    # teaser's date under the "MOST POPULAR" widget heading: a bare "COMMENTS" with nothing of a
    # comment under it is no page with unread comments.
    assert [i for i in out.issues if i.code == "comments-not-recognised"] == []


QUOTED_META = ARTICLE + """12 Kommentare

Antworten
Anna Beispiel
8. April 2019 @ 11:38

Ein Gentleman ist man von Geburt, das lässt sich nicht lernen.

Antworten
Bernd Muster
9. April 2019 @ 00:14

@ Anna Beispiel
8. April 2019 @ 11:38

Das sehe ich anders, Höflichkeit kann jeder lernen, der es will.

Antworten
Clara Probe
9. April 2019 @ 08:02

Schöne Diskussion hier, danke euch beiden.

Schreibe einen Kommentar
"""


def test_a_quoted_meta_line_right_under_the_meta_opens_the_text(tmp_path: Path) -> None:
    # "@ Anna" / her date, right under Bernd's meta: the comment he answers, part of his text.
    found = comments(read_text(tmp_path, QUOTED_META))
    # (Clara's comment, the last, has no button under it: the list ends before it; a known gap.)
    assert [c.author for c in found][:2] == ["Anna Beispiel", "Bernd Muster"], [c.text for c in found]
    assert found[1].text.startswith("@ Anna Beispiel") and "Höflichkeit" in found[1].text


W3M_META_LISTS = ARTICLE + """12 Kommentare

 1. [ab12cd] [gif]
      □ Antworten
      □ Anna Beispiel
      □ 8. April 2019 @ 11:38
      □
    Ein Gentleman ist man von Geburt, das lässt sich nicht lernen.

 2. [ef34ab] [gif]
      □ Antworten
      □ Bernd Muster
      □ 9. April 2019 @ 00:14
      □
    @ Anna Beispiel
    8. April 2019 @ 11:38

    Das sehe ich anders, Höflichkeit kann jeder lernen, der es will.

 3. [cd56ef] [gif]
      □ Antworten
      □ Clara Probe
      □ 9. April 2019 @ 08:02
      □
    Schöne Diskussion hier, danke euch beiden.

Schreibe einen Kommentar
"""


def test_the_empty_last_item_of_a_meta_list_opens_no_comment(tmp_path: Path) -> None:
    # w3m prints each comment's meta as a list ending in an empty item; under it, a quoted
    # "@ Anna" with her date is text, not the meta of a comment the empty item would open.
    # (Authors and the last comment, whose buttons-first meta has no button under it, are
    # outside this test: known gaps of this layout.)
    found = comments(read_text(tmp_path, W3M_META_LISTS))
    texts = [c.text.strip() for c in found]
    assert len(texts) >= 2 and texts[0].startswith("Ein Gentleman"), texts
    assert texts[1].startswith("@ Anna Beispiel") and "Höflichkeit" in texts[1]


def test_pandoc_escaped_tags_are_text_not_markup() -> None:
    # pandoc -t gfm keeps the page's markup as raw tags but escapes a "<" the page shows as
    # text (HTML typed into a comment): the escaped one stays in the text.
    from analyzer.ingest.capturelist import strip_raw_html

    page = "<div>\n" * 12 + "Nice post \\<a href=\"http://example.org\"\\>spam\\</a\\> thanks\n"
    stripped = strip_raw_html(page)
    assert "<div>" not in stripped
    assert stripped.rstrip().endswith('Nice post \\<a href="http://example.org"\\>spam\\</a\\> thanks')


def test_the_formal_german_reply_form_ends_the_list() -> None:
    # WordPress's formal German ("Sie") reply form; without it the last comment (or pingback)
    # ran on into the form and the page's footer.
    from analyzer.ingest.capturelist import is_trailer

    assert is_trailer("Hinterlassen Sie einen Kommentar")
    assert is_trailer("Schreiben Sie einen Kommentar")
    assert not is_trailer("Sie haben einen Kommentar hinterlassen, danke dafür.")


def test_a_name_ending_with_an_initial_is_an_author_line() -> None:
    # "Astrid S." above the date is the author, not a one-line text signed by the date below.
    from analyzer.ingest.capturelist import _author_like

    assert _author_like("    Astrid S.")
    assert _author_like("Peter Miller Jr.")
    assert not _author_like("Das ist gut so.")
    assert not _author_like("Ich sah ihn im Bus S.")  # more than a name: a sentence


ARTICLE_BYLINE_FLAT = """Neue Regeln für Werbung in Netzwerken

[IMG]
Von Tomas Beispiel
[IMG]
Fr, 18. Oktober 2019

""" + ARTICLE.split("\n\n", 1)[1] + """Kommentare

Anna Beispiel
19. Oktober 2019 um 10:12 - Antworten

Das finde ich eine sehr hilfreiche Übersicht, danke fürs Aufschreiben.

Bernd Muster
19. Oktober 2019 um 11:40 - Antworten

Ich sehe das anders, die Regeln waren schon vorher ziemlich klar formuliert.

Clara Probe
20. Oktober 2019 um 08:05 - Antworten

Gut erklärt, jetzt weiß ich endlich, was ich beachten muss.

Schreibe einen Kommentar
"""


def test_a_date_under_a_byline_is_the_articles_meta(tmp_path: Path) -> None:
    from analyzer.ingest import capturelist

    lines = ARTICLE_BYLINE_FLAT.split("\n")
    reader = capturelist._Reader(lines, "p", "a", 0, len(lines), [])
    assert reader._byline_above(lines.index("Fr, 18. Oktober 2019"))
    assert not reader._byline_above(lines.index("19. Oktober 2019 um 10:12 - Antworten"))
    texts = [c.text for c in comments(read_text(tmp_path, ARTICLE_BYLINE_FLAT))]
    assert not any("Gemeinderat" in t or "Gericht" in t for t in texts), texts
    assert len(texts) == 3
