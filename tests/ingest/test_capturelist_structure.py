"""Comments found by structure where dates or known buttons are missing (analyzer/ingest/capturelist.py).

Every page here is original text written for the test; each one shows one phenomenon of real
captures (Disqus's noscript list, a share line repeated under every name, a vote count above a
relative date, SPIP meta lines, a browser copy with position numbers, Debian html2text's links).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.ingest import capturelist
from analyzer.ingest.base import ReaderOutput
from tests.ingest.pagetext_helpers import comments, read_text

ARTICLE_PARAGRAPHS = [
    "Der Gemeinderat hat am Dienstag über den neuen Radweg entlang der Uferstraße beraten und ihn mit knapper "
    "Mehrheit beschlossen.",
    "Die Bauarbeiten sollen im Frühjahr beginnen und etwa ein halbes Jahr dauern; die Straße bleibt in dieser "
    "Zeit einspurig befahrbar.",
    "Anwohner hatten zuvor Unterschriften gesammelt, weil sie um die Parkplätze vor ihren Geschäften fürchteten.",
    "Die Verwaltung verspricht Ersatzflächen in der Seitenstraße und eine Ladezone für Lieferanten.",
]
ARTICLE = "Radweg am Ufer kommt\n\n" + "\n\n".join(ARTICLE_PARAGRAPHS * 2) + "\n\n"


def codes(out: ReaderOutput) -> set[str]:
    return {i.code for i in out.issues}


NAMED_LIST = ARTICLE + """Comments

Bernd K
Thanks for the clear write-up, the part about the parking spaces answered my question.
lisa_m
I ride along the river every day and the narrow lane there is a real danger for cyclists.
Guest
Will the delivery zone be open at night as well?
Bernd K
Good question, the council papers do not say anything about the hours.
Please enable JavaScript to view the comments powered by Disqus.

Newsletter
"""


def test_a_list_of_names_and_texts_without_dates_is_read_flat(tmp_path: Path) -> None:
    out = read_text(tmp_path, NAMED_LIST)
    found = comments(out)
    assert [c.author for c in found] == ["Bernd K", "lisa_m", "Guest", "Bernd K"]
    assert found[1].text.startswith("I ride along the river")
    assert all(c.parent_id is None and c.edge_confidence == capturelist.FLAT_EDGE_CONFIDENCE for c in found)
    assert {"nesting-lost", "undated-comments"} <= codes(out)
    # The comment system's notice ends the list: nothing after it is comment text.
    assert "Newsletter" not in found[-1].text and "JavaScript" not in found[-1].text


WRAPPED_NAMED_LIST = ARTICLE + """Comments

   Marta
   The new lane is a good idea, but the crossing at the bridge stays dangerous for children who
   walk to school there every morning.
   Jo
   Agreed.
   Peter Lang
   The petition had more than four hundred signatures and the council ignored most of the
   arguments.
   Cheers,
   Peter
   Marta
   Four hundred is not much for a town of this size.
"""


def test_wrapped_names_list_tells_names_from_wrapped_and_signed_lines(tmp_path: Path) -> None:
    found = comments(read_text(tmp_path, WRAPPED_NAMED_LIST))
    assert [c.author for c in found] == ["Marta", "Jo", "Peter Lang", "Marta"]
    # "walk to school…" continues a wrapped line; "Cheers," / "Peter" is a sign-off, not a comment.
    assert "walk to school" in found[0].text
    assert found[2].text.endswith("Peter")


RELATED_UNDER_HEADING = ARTICLE + """Kommentare

Senden

Das könnte Sie auch interessieren

Natur

Warum Vögel im Winter singen

Forscher haben die Gesänge von Amseln über drei Winter hinweg aufgezeichnet.

Natur

Der Biber kehrt zurück

Zum ersten Mal seit hundert Jahren lebt wieder eine Familie am Mühlbach.

Natur

Neue Wege im Stadtwald

Die Försterei hat drei Rundwege ausgeschildert und Bänke aufgestellt.
"""


def test_titles_and_teasers_under_a_heading_are_not_a_named_list(tmp_path: Path) -> None:
    assert comments(read_text(tmp_path, RELATED_UNDER_HEADING)) == []


REPEATED_SHARE_LINE = ARTICLE + """Sortieren nach: neueste | älteste

Karla
Diesen Kommentar bei Mastodon teilen?
Die Ladezone ist eine gute Lösung, wenn sie auch kontrolliert wird.
3
2 Stunden her
Udo
Diesen Kommentar bei Mastodon teilen?
Einspurig für ein halbes Jahr wird die Innenstadt lahmlegen.

Vor allem morgens.
0
5 Stunden her
Sabine
Diesen Kommentar bei Mastodon teilen?
Endlich passiert etwas für Radfahrer.
7
1 Tag her
"""


def test_a_share_line_repeated_by_every_comment_is_a_button(tmp_path: Path) -> None:
    out = read_text(tmp_path, REPEATED_SHARE_LINE)
    found = comments(out)
    assert [c.author for c in found] == ["Karla", "Udo", "Sabine"]
    assert found[0].text == "Die Ladezone ist eine gute Lösung, wenn sie auch kontrolliert wird."
    assert found[1].text.endswith("Vor allem morgens.")  # the vote count "0" is not text
    assert "nesting-lost" in codes(out)


def test_repeated_furniture_needs_most_dates_and_as_many_copies() -> None:
    lines = ["Karla", "Teilen?", "Text eins hier.", "1 Tag her", "Udo", "Teilen bei Mastodon?", "Text zwei.",
             "2 Tage her", "Eva", "Teilen bei Mastodon?", "Text drei.", "3 Tage her", "Ina", "Teilen bei Mastodon?",
             "Text vier.", "4 Tage her"]
    dates = [i for i, line in enumerate(lines) if capturelist.date_in_line(line) is not None]
    assert capturelist.repeated_furniture(lines, dates) == frozenset({"Teilen bei Mastodon?"})
    assert capturelist.repeated_furniture(lines[:8], dates[:2]) == frozenset()  # too few dates


SPIP_PAGE = ARTICLE + """Tous vos commentaires (3)

  •
    # Le 4 mars à 10:15, par Camille En réponse à : Radweg am Ufer kommt

    Enfin une piste cyclable digne de ce nom !

    Répondre à ce message
  •
    # Le 5 mars à 18:40, par Hugo En réponse à : Radweg am Ufer kommt

    Et les commerçants, qui leur demande leur avis ?

    Répondre à ce message
  •
    # Le 6 mars à 07:05, par Léa En réponse à : Radweg am Ufer kommt

    Je passerai par là tous les matins.

    Répondre à ce message
"""


def test_spip_meta_lines_with_reply_to_tails_and_phrase_buttons(tmp_path: Path) -> None:
    out = read_text(tmp_path, SPIP_PAGE)
    found = comments(out)
    assert [c.author for c in found] == ["Camille", "Hugo", "Léa"]
    assert found[1].text == "Et les commerçants, qui leur demande leur avis ?"
    assert out.threads[0].article.n_announced == 3


@pytest.mark.parametrize(
    ("line", "expected"),
    [("***** Comments *****", (True, None)), ("=== 4 Kommentare ===", (True, 4)),
     ("Tous vos commentaires (11)", (True, 11)), ("Alle Kommentare", (True, None)),
     ("***** Newsletter *****", (False, None))],
)
def test_decorated_and_quantified_headers(line: str, expected: tuple[bool, int | None]) -> None:
    assert capturelist.section_header(line) == expected


def test_debian_html2text_underscored_date_links_are_dates() -> None:
    text = capturelist.normalise_markdown("      16._March,_2023_at_16:59\n      my_file_name\n")
    assert text.split("\n")[0] == "      16. March, 2023 at 16:59"
    assert text.split("\n")[1] == "      my_file_name"  # not a date: left alone


BROWSER_COPY_NUMBERED = ARTICLE + """Hinterlasse einen Kommentar

1
Anna on 11/08/2020 at 9:58
Antworten
Was für eine schöne Nachricht für alle, die hier täglich fahren.

2
Ben on 11/08/2020 at 10:05
Antworten
Ich bin gespannt, ob die Ersatzparkplätze reichen.

3
Anna on 12/08/2020 at 8:12
Antworten
❤️
"""


def test_browser_copy_with_position_numbers_and_buttons_before_the_text(tmp_path: Path) -> None:
    found = comments(read_text(tmp_path, BROWSER_COPY_NUMBERED))
    assert [c.author for c in found] == ["Anna", "Ben", "Anna"]
    assert found[0].text == "Was für eine schöne Nachricht für alle, die hier täglich fahren."
    assert found[1].text == "Ich bin gespannt, ob die Ersatzparkplätze reichen."  # no "3" at its end
    assert found[2].text == "❤️"


HEADERLESS_WITH_BYLINE = """Profilbild Redaktion 17.10.2019, 13:56 Uhr

Der Radweg am Ufer kommt. Die Bauarbeiten beginnen im Frühjahr und dauern etwa ein halbes Jahr.

Die Anwohner hatten Unterschriften gesammelt, weil sie um ihre Parkplätze fürchteten.

Profilbild von Rita

Rita

17.10.2019, 14:14 Zum Antworten anmelden Zitieren #

Endlich, darauf warte ich seit Jahren.

Profilbild von Olaf

Olaf

17.10.2019, 14:25 Zum Antworten anmelden Zitieren #

Hoffentlich wird die Ladezone nicht zugeparkt.

Profilbild von Rita

Rita

17.10.2019, 14:40 Zum Antworten anmelden Zitieren #

Das hoffe ich auch.
"""


def test_headerless_list_with_permalink_anchors_drops_the_byline(tmp_path: Path) -> None:
    out = read_text(tmp_path, HEADERLESS_WITH_BYLINE)
    found = comments(out)
    assert [c.author for c in found] == ["Rita", "Olaf", "Rita"]
    assert found[0].text == "Endlich, darauf warte ich seit Jahren."  # the next name block is cut
    assert "missing-comment-header" in codes(out)


MARKDOWN_NAMED_LIST_WITH_CODE = ARTICLE + """Comments
--------

Mira

The loop in the second example never ends for me.

Jonas

Same here, this is what I ran:

>>> count = 0

x

>>> count += 1

x

>>> count += 1

Mira

Thanks, then it is the version of the interpreter, not the example.

Ole

Works fine on the current release.
"""


def test_code_split_into_paragraphs_stays_in_its_comment(tmp_path: Path) -> None:
    found = comments(read_text(tmp_path, MARKDOWN_NAMED_LIST_WITH_CODE))
    assert [c.author for c in found] == ["Mira", "Jonas", "Mira", "Ole"]
    assert ">>> count += 1" in found[1].text


COUNTED_LIST_LAZY = ARTICLE + """4 Comments

  * The lane will help a lot.

  * I doubt it. The crossing stays narrow
and the buses stop right there.
Nobody thought about that.

  * Good news for the bakery.

  * When does the work start?

Related articles
"""


def test_counted_list_keeps_markdown_lazy_continuation_lines(tmp_path: Path) -> None:
    out = read_text(tmp_path, COUNTED_LIST_LAZY)
    found = comments(out)
    assert len(found) == 4
    assert found[1].text.endswith("Nobody thought about that.")
    assert "undated-comments" in codes(out)
