"""Forum threads in text captures are split into posts by their recurring post headers.

Issue 12, round 6 (``analyzer/ingest/forumposts.py``).  The golden part reads
``fixtures/forum_threads/<layout>_<lang>/captures/<tool>.txt``: original threads (written for the
project, ``tests/bench/forum_fixtures.py``) rendered in five board layouts and captured with the
nine tools; the unit tests use small original texts, one phenomenon each.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from analyzer.ingest import forumposts, pagetext
from analyzer.ingest.base import COMMENTS_NOT_RECOGNISED, ReaderOutput, ReadOptions, Source

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "forum_threads"
TOOLS = ("w3m", "lynx", "elinks", "links2", "html2text", "html2text_deb", "markdownify", "pandoc", "chromium")
CASES = [(d.name, tool) for d in sorted(FIXTURES.iterdir()) if d.is_dir() for tool in TOOLS]


def fold(text: str) -> str:
    return "".join(c.lower() for c in unicodedata.normalize("NFC", text) if c.isalnum())


def read_path(path: Path) -> ReaderOutput:
    return pagetext.read(Source(path), ReadOptions())


def read_text(tmp_path: Path, text: str) -> ReaderOutput:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return read_path(path)


@pytest.mark.parametrize(("layout", "tool"), CASES)
def test_rendered_thread_posts_are_found_flat_with_the_opening_post_as_article(layout: str, tool: str) -> None:
    truth = json.loads((FIXTURES / layout / "truth.json").read_text(encoding="utf-8"))
    out = read_path(FIXTURES / layout / "captures" / f"{tool}.txt")
    thread = out.threads[0]
    opening, *replies = truth["comments"]
    # The opening post is the article's body, not a comment.
    assert fold(thread.article.body or "").startswith(opening["key"][:30])
    assert len(thread.comments) == len(replies)
    for comment, want in zip(thread.comments, replies, strict=True):
        assert want["key"] in fold(comment.text), (comment.text[:80], want["key"])
        assert comment.parent_id is None and comment.declared_depth == 1
        assert comment.edge_confidence <= forumposts.POST_EDGE_CONFIDENCE
        assert comment.created_at is not None
    codes = {i.code for i in out.issues}
    assert "nesting-lost" in codes and "forum-opening-post" in codes
    # The quoted earlier post is not in the quoting post's text (post 4 quotes post 2).
    quoting = thread.comments[2]
    quoted = fold(replies[0]["key"])[:30]
    assert quoted not in fold(quoting.text)


def post(name: str, rank: str, date: str, ordinal: int | None, text: str, *, joined: str = "3. März 2015") -> str:
    """A post header as w3m prints a board's post (name, rank, profile fields, date, #N), its text and buttons."""
    ordinal_line = f"  • #{ordinal}\n\n" if ordinal is not None else ""
    return (f"{name}\n\n{rank}\n\nMitglied seit\n    {joined}\n\nBeiträge\n    412\n\n  • {date}\n\n{ordinal_line}"
            f"{text}\n\n  • Zitieren\n  • Melden\n\n")


TITLE = "Forum für Balkongärtner\n\nBasilikum wird schwarz\n\n"
FOOTER = "".join(f"Rubrik {n}\n\n" for n in range(8)) + "Impressum\n"


def test_later_page_of_a_thread_has_no_opening_post(tmp_path: Path) -> None:
    page = TITLE + post("Minzfan", "Stammgast", "4. Mai 2022", 661, "Bei mir hilft nur ein hellerer Standort am Fenster.") \
        + post("Dillbert", "Neuling", "4. Mai 2022", 662, "Gieß mal morgens statt abends, das hat bei mir geholfen.") \
        + FOOTER
    out = read_text(tmp_path, page)
    assert [c.text.split()[0] for c in out.threads[0].comments] == ["Bei", "Gieß"]
    assert [c.author for c in out.threads[0].comments] == ["Minzfan", "Dillbert"]
    detail = next(i.detail for i in out.issues if i.code == "forum-opening-post")
    assert "#661" in detail


def test_first_post_opens_the_thread_and_is_the_article(tmp_path: Path) -> None:
    page = TITLE + post("Minzfan", "Stammgast", "3. Mai 2022", 1, "Mein Basilikum bekommt schwarze Flecken, was tun?") \
        + post("Dillbert", "Neuling", "4. Mai 2022", 2, "Das ist meist Kälte, stell ihn nachts nach drinnen.") \
        + post("Kressekind", "Stammgast", "4. Mai 2022", 3, "Oder zu viel Wasser auf den Blättern beim Gießen.") + FOOTER
    out = read_text(tmp_path, page)
    thread = out.threads[0]
    assert (thread.article.body or "").startswith("Mein Basilikum")
    assert thread.article.author == "Minzfan"
    assert [c.text.split()[0] for c in thread.comments] == ["Das", "Oder"]
    assert not any("Rubrik" in c.text or "Impressum" in c.text for c in thread.comments)


def test_short_last_line_of_a_post_stays_with_it(tmp_path: Path) -> None:
    # The header's lead (name, rank) is learnt from all posts: a greeting line at the end of a
    # post is not taken for the next poster's name.
    page = TITLE + post("Minzfan", "Stammgast", "3. Mai 2022", 1, "Mein Basilikum bekommt schwarze Flecken.\n\nLG\nMinze") \
        + post("Dillbert", "Neuling", "4. Mai 2022", 2, "Das ist meist Kälte am Fenster.\n\nGruß Dill") \
        + post("Kressekind", "Stammgast", "4. Mai 2022", 3, "Oder zu viel Wasser auf den Blättern.") + FOOTER
    thread = read_text(tmp_path, page).threads[0]
    assert thread.comments[0].text.endswith("Gruß Dill")
    assert (thread.article.body or "").endswith("LG\nMinze")
    assert [c.author for c in thread.comments] == ["Dillbert", "Kressekind"]


def test_quotes_of_earlier_posts_are_no_posts_and_not_the_replier_s_text(tmp_path: Path) -> None:
    quote = "    Minzfan hat gesagt.:\n    Mein Basilikum bekommt schwarze Flecken.\n    Zum Vergrößern anklicken....\n\n"
    page = TITLE + post("Minzfan", "Stammgast", "3. Mai 2022", 1, "Mein Basilikum bekommt schwarze Flecken.") \
        + post("Dillbert", "Neuling", "4. Mai 2022", 2, quote + "Das ist meist Kälte am Fenster.") \
        + post("Kressekind", "Stammgast", "4. Mai 2022", 3, "> Minzfan said:\n> schwarze Flecken\n\nZu viel Wasser.") \
        + FOOTER
    out = read_text(tmp_path, page)
    assert [c.text for c in out.threads[0].comments] == ["Das ist meist Kälte am Fenster.", "Zu viel Wasser."]
    assert any(i.code == "forum-quotes" and i.detail.startswith("2 ") for i in out.issues)


def test_posts_signed_by_a_date_line_without_ordinals(tmp_path: Path) -> None:
    # phpBB-like: "Re: title" / "von NAME » date" / text / profile under it; no "#N".  The post
    # date lines share a shape learnt from the capture ("von * » 9. a 9, 9:9"); the dates in
    # the texts and the join dates do not.
    def signed(name: str, date: str, text: str) -> str:
        return (f"Re: Basilikum wird schwarz\n\nvon {name} » {date}\n\n{text}\n\n{name}\nBeiträge: 12\n"
                f"Registriert: 3. März 2015\n\n  • Zitieren\n\nNach oben\n\n")

    page = TITLE + signed("Minzfan", "3. Mai 2022, 10:12", "Seit dem 1. Mai 2022 hat mein Basilikum schwarze Flecken.") \
        + signed("Dillbert", "4. Mai 2022, 08:40", "Das ist meist Kälte, stell ihn nachts nach drinnen.") \
        + signed("Kressekind", "4. Mai 2022, 09:05", "Oder zu viel Wasser auf den Blättern beim Gießen.") + FOOTER
    thread = read_text(tmp_path, page).threads[0]
    assert (thread.article.body or "").startswith("Seit dem 1. Mai 2022")
    assert [c.text.split()[0] for c in thread.comments] == ["Das", "Oder"]
    assert [c.author for c in thread.comments] == ["Dillbert", "Kressekind"]
    assert all(c.created_at is not None and c.created_at.day == 4 for c in thread.comments)


def test_ad_between_posts_with_an_ordinal_but_no_date_is_no_post(tmp_path: Path) -> None:
    page = TITLE + post("Minzfan", "Stammgast", "3. Mai 2022", 1, "Mein Basilikum bekommt schwarze Flecken.") \
        + post("Dillbert", "Neuling", "4. Mai 2022", 2, "Das ist meist Kälte am Fenster.") \
        + "Gesponserte Inhalte\n\n  • #3\n\nJetzt Erde im Angebot kaufen und sparen bei jedem Einkauf.\n\n" + FOOTER
    thread = read_text(tmp_path, page).threads[0]
    assert [c.text.split()[0] for c in thread.comments] == ["Das"]


def test_nested_comment_list_with_quote_buttons_stays_nested(tmp_path: Path) -> None:
    # A blog's comment list whose system offers "Zitieren" under each comment: no member fields,
    # no ordinals, replies indented.  The forum reading must not flatten it.
    def comment(indent: str, name: str, date: str, text: str) -> str:
        return f"{indent}  • {name}\n{indent}    {date}\n\n{indent}    {text}\n\n{indent}    Antworten  Zitieren\n\n"

    page = ("Ein Artikel über Basilikum auf dem Balkon, mit vielen Tipps zur Pflege im Sommer.\n\n3 Kommentare\n\n"
            + comment("", "Anna", "3. Mai 2022 um 10:12", "Danke für die Tipps, sehr hilfreich.")
            + comment("    ", "Ben", "3. Mai 2022 um 11:40", "Dem schließe ich mich an, toller Artikel.")
            + comment("", "Cem", "4. Mai 2022 um 09:05", "Bei mir wächst er am besten im Halbschatten.")
            + "Schreibe einen Kommentar\n")
    thread = read_text(tmp_path, page).threads[0]
    assert [c.parent_id is None for c in thread.comments] == [True, False, True]


def test_article_with_numbered_headings_and_dates_is_no_thread(tmp_path: Path) -> None:
    steps = "".join(f"#{n}\n\nSchritt {n}: am {n}. Mai 2021 die Erde lockern und gießen.\n\n" for n in range(1, 5))
    out = read_text(tmp_path, TITLE + "Eine Anleitung in vier Schritten für den Balkon.\n\n" + steps)
    assert not out.threads[0].comments
    assert not [i for i in out.issues if i.code in ("nesting-lost", COMMENTS_NOT_RECOGNISED)]


def test_split_posts_needs_forum_evidence() -> None:
    lines = ["Anna", "3. Mai 2022", "Ein Text.", "Ben", "4. Mai 2022", "Noch ein Text."]
    assert forumposts.split_posts(lines) is None


def test_comment_section_with_quote_buttons_keeps_its_first_comment(tmp_path: Path) -> None:
    # An article page whose comment system prints "Zitieren" under every comment: a heading
    # announces the comments, so the first one is a comment, not the opening post of a thread.
    def comment(name: str, date: str, text: str) -> str:
        return f"{name}\n\n{date}\n\n{text}\n\n  • Zitieren\n\n"

    page = ("Basilikum auf dem Balkon: ein Artikel mit Tipps zur Pflege im Sommer, vom Gießen bis zum Schnitt.\n\n"
            "3 Kommentare\n\n"
            + comment("Anna", "3. Mai 2022 um 10:12", "Danke für die Tipps, sehr hilfreich für meinen Balkon.")
            + comment("Ben", "3. Mai 2022 um 11:40", "Dem schließe ich mich an, toller Artikel zum Thema.")
            + comment("Cem", "4. Mai 2022 um 09:05", "Bei mir wächst er am besten im Halbschatten am Fenster.")
            + "Schreibe einen Kommentar\n")
    out = read_text(tmp_path, page)
    thread = out.threads[0]
    assert [c.text.split()[0] for c in thread.comments] == ["Danke", "Dem", "Bei"]
    assert not (thread.article.body or "").startswith("Danke")


def test_date_lines_with_bars_and_names_are_post_dates(tmp_path: Path) -> None:
    # "Name | date | Zitieren": a bar is a word of the date line's shape like any other mark.
    def signed(name: str, date: str, text: str) -> str:
        return f"{name} | {date} | Zitieren\n\n{text}\n\nBeiträge: 12 | Registriert: 3. März 2015\n\n"

    page = TITLE + signed("Minzfan", "3. Mai 2022, 10:12", "Mein Basilikum bekommt seit Tagen schwarze Flecken.") \
        + signed("Dillbert", "4. Mai 2022, 08:40", "Das ist meist Kälte, stell ihn nachts nach drinnen.") \
        + signed("Kressekind", "4. Mai 2022, 09:05", "Oder zu viel Wasser auf den Blättern beim Gießen.") + FOOTER
    out = read_text(tmp_path, page)
    assert [c.text.split()[0] for c in out.threads[0].comments][-2:] == ["Das", "Oder"]


def test_recent_posts_dated_by_a_day_word_are_posts(tmp_path: Path) -> None:
    # Boards print "Heute, 10:12" / "Gestern, 18:00" for the last days' posts, where the others
    # show their date; the date stays unparsed without a capture time (an info issue).
    def signed(name: str, date: str, text: str) -> str:
        return f"Re: Basilikum wird schwarz\n\nvon {name} » {date}\n\n{text}\n\n  • Zitieren\n\nNach oben\n\n"

    page = TITLE + signed("Minzfan", "3. Mai 2022, 10:12", "Mein Basilikum bekommt seit Tagen schwarze Flecken.") \
        + signed("Dillbert", "4. Mai 2022, 08:40", "Das ist meist Kälte, stell ihn nachts nach drinnen.") \
        + signed("Kressekind", "Gestern, 18:00", "Oder zu viel Wasser auf den Blättern beim Gießen.") \
        + signed("Minzfan", "Heute, 09:05", "Danke euch beiden, ich probiere beides aus und berichte.") + FOOTER
    out = read_text(tmp_path, page)
    found = out.threads[0].comments
    assert [c.text.split()[0] for c in found] == ["Das", "Oder", "Danke"]
    assert found[0].created_at is not None and found[1].created_at is None
    assert any(i.code == "unparsed-date" and "Gestern" in i.detail for i in out.issues)
