"""WordPress comment sections in page text: mechanisms added in session 7 (analyzer/ingest/capturelist.py).

Every page here is original text written for the test; each reproduces one way real WordPress
captures were misread on the held-out pages (name-and-age lines, pingback lists, teaser count
lines, reply-form labels, pinned notices, unbuttoned deepest replies, Portuguese themes, deep
bullets of text browsers, signatures under the text).
"""

from __future__ import annotations

from pathlib import Path

from analyzer.ingest import capturelist
from analyzer.ingest.base import ReaderOutput
from tests.ingest.pagetext_helpers import comments, read_text

ARTICLE = (
    "Warum Stadtgärten im Winter nicht ruhen\n\n"
    + "\n\n".join([
        "Auch wenn draußen Frost herrscht, planen die Gärtnerinnen des Viertels schon die Beete für das "
        "nächste Jahr und tauschen Saatgut untereinander.",
        "Im Gemeinschaftsraum trifft man sich jeden zweiten Dienstag, um Werkzeug zu reparieren und über "
        "neue Pflanzen zu sprechen, die das Klima besser vertragen.",
    ] * 2)
    + "\n\n"
)


def codes(out: ReaderOutput) -> set[str]:
    return {i.code for i in out.issues}


# -- dates ------------------------------------------------------------------------------------


def test_name_and_age_on_one_line_is_a_date_line() -> None:
    assert capturelist.date_in_line("    Jo Brenner • 2 weeks ago") is not None
    assert capturelist.date_in_line(" 3. Jo Brenner • 3 weeks ago") is not None  # lynx: marker on the line
    assert capturelist.date_in_line("T.K. · vor 3 Stunden") is not None  # initials end with a dot
    match = capturelist.date_in_line("Jo Brenner | 5 days ago")
    assert match is not None and match.group(0) == "5 days ago"
    # Prose with an age in it is not meta: too many words, or a sentence before the separator.
    assert capturelist.date_in_line("Wir haben den Garten damals angelegt - vor 3 Jahren") is None
    assert capturelist.date_in_line("Danke für alles. - vor 2 Tagen") is None


def test_relative_date_followed_by_buttons() -> None:
    assert capturelist.date_in_line("    1 ano atrás Link permanente") is not None
    assert capturelist.date_in_line("2 days ago | Reply") is not None
    assert capturelist.date_in_line("2 days ago we planted the tulips") is None


def test_numeric_date_with_spaces_after_the_dots() -> None:
    match = capturelist.date_in_line("    18. 05. 2014 22:38")
    assert match is not None
    from analyzer.ingest import dates
    assert dates.parse_date(match.group(0)).isoformat() == "2014-05-18T22:38:00+00:00"


def test_marker_and_avatar_are_no_words_of_a_date_line() -> None:
    # A nickname in quotes makes the line long; the list marker and the avatar do not count.
    line = '12. [5be81f0] March 3, 2019 at 9:12 pm Karla Weiss " rose queen of Linz "'
    assert capturelist.date_in_line(line) is not None


def test_teaser_comment_count_line_is_no_meta() -> None:
    assert capturelist._count_dated("  • Kommentare — 3. August 2018")
    assert capturelist._count_dated("12 Comments | March 3, 2019")
    assert not capturelist._count_dated("Anna Beispiel — 3. August 2018")


# -- whole pages ----------------------------------------------------------------------------------


def test_relative_dates_signed_with_a_name(tmp_path: Path) -> None:
    page = ARTICLE + (
        "3 Comments\n\n"
        " 1. [a1b2]\n\n"
        "    Jo Brenner • 2 weeks ago\n\n"
        "    We started a seed library at our school last spring and the children love it.\n\n"
        "    Reply\n"
        "     1. ●\n\n"
        "        R.K. • 2 weeks ago\n\n"
        "        What a lovely idea, how do you keep the seeds dry?\n\n"
        "        Reply\n"
        " 2. [c3d4]\n\n"
        "    Mara Lind • 3 weeks ago\n\n"
        "    Frost cloth saved our kale last year, highly recommended for small beds.\n\n"
        "    Reply\n\n"
        "Leave a Reply\n"
    )
    out = read_text(tmp_path, page)
    got = comments(out)
    assert [(c.author, c.parent_id) for c in got] == [("Jo Brenner", None), ("R.K.", "c1"), ("Mara Lind", None)]
    assert got[0].text.startswith("We started a seed library")
    assert "unparsed-date" in codes(out)  # no capture time: the age stays a raw date


def test_numbered_pingbacks_do_not_outvote_the_comment(tmp_path: Path) -> None:
    pings = "".join(
        f"{n:2d}. Pingback: Gartentagebuch Folge {n} – {n}.3.21 | Beispielblog\n\n" for n in range(2, 9)
    )
    page = ARTICLE + (
        "8 Antworten zu Warum Stadtgärten im Winter nicht ruhen\n\n"
        " 1. [4e33] Hanna schreibt:\n"
        "    März 9, 2021 um 1:11 pm\n\n"
        "    Hat dies auf hannasgarten.example rebloggt.\n\n"
        "    Antworten\n"
        + pings +
        "Kommentar verfassen\n"
    )
    out = read_text(tmp_path, page)
    got = comments(out)
    assert [c.text for c in got] == ["Hat dies auf hannasgarten.example rebloggt."]
    assert sum(1 for i in out.issues if i.code == "pingback-skipped") == 7


def test_teaser_count_lines_under_the_comments(tmp_path: Path) -> None:
    teasers = "".join(
        f"Beet {n}: was im Februar zu tun ist\n\n  • Redaktion\n  •     [Sprechblase] {n}\n"
        f"  • Kommentare — {n}. Februar 2021\n\n" for n in range(3, 9)
    )
    page = ARTICLE + (
        "Kommentare\n\n"
        " 1. Lena Korn sagt:\n"
        "    19. Oktober 2021 um 14:37 Uhr\n\n"
        "    Wir haben im Hinterhof ein Hochbeet gebaut, das hält auch im Winter die Wärme.\n\n"
        "Weitere Artikel\n\n" + teasers
    )
    out = read_text(tmp_path, page)
    assert [c.author for c in comments(out)] == ["Lena Korn"]


def test_reply_form_label_opens_no_named_list(tmp_path: Path) -> None:
    # The reply form's text box is labelled "Kommentar"; the form fields and the footer under
    # it look like names with texts, but they are no second comment list.
    box = "   _____________________________________________\n" * 8
    page = ARTICLE + (
        "Ein Gedanke zu „Warum Stadtgärten im Winter nicht ruhen“\n\n"
        "     *\n"
        "   Ole Brandt\n"
        "       3. Februar 2020 um 9:46\n"
        "       Permalink\n"
        "       Schöner Text, bei uns im Viertel klappt das mit dem Saatguttausch auch gut.\n"
        "       Antwort\n\n"
        "Schreibe einen Kommentar Antworten abbrechen\n\n"
        "   Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert.\n\n"
        "   Kommentar\n" + box + "\n"
        "   Name * ______________________________\n\n"
        "   E-Mail * ______________________________\n\n"
        "   Website ______________________________\n\n"
        "   [ ]  Ja, den kostenlosen Newsletter vom Gartenblog bestellen!\n\n"
        "   Kommentar abschicken\n\n"
        "   Diese Website speichert Kommentare, um Spam zu verhindern. Mehr dazu im Impressum.\n\n"
        "Partner\n\n"
        "   Alle Partner des Gartenblogs auf einen Blick, mit Adressen und Öffnungszeiten.\n\n"
        "   Afrika Amerika Asien Europa Garten Geschichte Gesundheit Kultur Medien Technik Termine\n\n"
        "Archiv\n\n"
        "   Unser Archiv [Monat auswählen]\n\n"
        "Impressum\n\n"
        "   Verein Gartenblog, Lindenweg 17, 1180 Wien, eingetragen im Vereinsregister.\n\n"
        "   Copyright © 2020 Gartenblog. Alle Rechte vorbehalten.\n"
    )
    out = read_text(tmp_path, page)
    assert [c.author for c in comments(out)] == ["Ole Brandt"]


def test_names_below_the_reply_form_do_not_replace_the_list(tmp_path: Path) -> None:
    # A browser copy: two signed comments, the form, then a sidebar of categories and recent
    # comments whose lines look like names with texts.
    sidebar = "\n".join([
        "Kategorien", "Allgemein", "Bücher", "Kommentare", "Lifestyle", "Partnerschaft", "Produkttests", "TV",
        "Aktuelle Themen", "AKKU-HECKENSCHERE IM PRAXISTEST ⌈WERBUNG⌉", "Hochbeet aus Paletten im Test ⌈WERBUNG⌉",
        "Eure Kommentare", "Lena bei Kompost richtig ansetzen", "Ole bei Hochbeet aus Paletten bauen",
        "Top-Beiträge & -Seiten", "Nachbarn und wie man mit ihnen umgeht", "TOP TEN: Pimp your Beet",
        "Abbrechen", " Datenschutz & Cookies: Diese Website verwendet Cookies. Wenn du die Website weiterhin "
        "nutzt, stimmst du der Verwendung von Cookies zu.",
    ])
    page = ARTICLE + (
        "2 Kommentare zu „Warum Stadtgärten im Winter nicht ruhen“\n\n"
        "Kommentar hinzufügen\n\n"
        "gartenfee sagt:\n13. April 2021 um 13:55\n\n"
        "Toller Text, kommt mir sehr bekannt vor, bei uns ist es genauso.\n\n"
        "LikenGefällt 1 Person\n\n"
        "beetnachbar sagt:\n13. April 2021 um 13:45\n\n"
        "Sehr schön beschrieben, danke!\n\n"
        "LikenLiken\n\n"
        "Kommentar verfassen\n"
        "Gib hier deinen Kommentar ein ...\n\n"
        + sidebar + "\n"
    )
    out = read_text(tmp_path, page)
    assert [c.author for c in comments(out)] == ["gartenfee", "beetnachbar"]


def test_unbuttoned_deepest_reply_and_byline_count(tmp_path: Path) -> None:
    # The byline's "2 Kommentare" sits above the article: read from there, the article would be
    # the first comment.  The deepest reply has no reply button (the theme's maximum depth).
    page = (
        "  • 2 Kommentare\n\n"
        "Kompost richtig ansetzen\n\n"
        "29. Juni 2020, 23:39 · von Tobi\n\n"
        + ARTICLE.split("\n\n", 1)[1] +
        "Kategorien: Garten Tipps\n\nPermalink\n\n"
        "2 Antworten\n\n"
        " 1. [ab12] Lea sagt:\n"
        "    29. März 2021 um 16:45 Uhr\n\n"
        "    Hallo Tobi, wie oft muss man den Kompost im Winter umsetzen?\n\n"
        "    Antworten\n"
        "      □ [cd34] Tobi sagt:\n"
        "        29. März 2021 um 22:02 Uhr\n\n"
        "        Im Winter gar nicht, erst im Frühjahr wieder, dann aber gründlich.\n\n"
        "Schreibe einen Kommentar Antworten abbrechen\n"
    )
    out = read_text(tmp_path, page)
    got = comments(out)
    assert [(c.author, c.parent_id) for c in got] == [("Lea", None), ("Tobi", "c1")]


def test_pinned_notice_above_an_oldest_first_list(tmp_path: Path) -> None:
    items = [
        ("November 1, 2020 at 6:28 pm", "Ann", "Good article, thanks for the tips on mulch!"),
        ("November 1, 2020 at 7:20 pm", "Ben", "Thanks for the golden nuggets about compost."),
        ("November 2, 2020 at 10:56 am", "Cai", "Very useful, I will try the frost cloth this year."),
        ("November 3, 2020 at 8:01 pm", "Dov", "Does this work for balcony gardens as well?"),
    ]
    body = "".join(
        f"{n:2d}. [a{n}] {date} {name}\n\n    {text}\n\n      □ Reply\n" for n, (date, name, text) in enumerate(items, 2)
    )
    page = ARTICLE + (
        "Comments (5)\n\n"
        " 1. [f00] June 21, 2022 at 7:52 pm Site Owner\n\n"
        "    Hey everyone, my new garden course starts next week, sign up on the course page!\n\n"
        + body + "\nLeave a Reply\n"
    )
    out = read_text(tmp_path, page)
    got = comments(out)
    assert [c.text.split(",")[0] for c in got] == ["Good article", "Thanks for the golden nuggets about compost.",
                                                  "Very useful", "Does this work for balcony gardens as well?"]
    assert "pinned-item-skipped" in codes(out)


def test_first_comment_in_order_is_never_pinned(tmp_path: Path) -> None:
    # The same list with the first item dated before the others: a comment whose button the
    # capture lost, kept.
    page = ARTICLE + (
        "Comments (3)\n\n"
        " 1. [f00] October 30, 2020 at 7:52 pm Eli\n\n    First! Lovely photos of the winter beds.\n\n"
        + "".join(f"{n:2d}. [a{n}] November {n}, 2020 at 6:28 pm Person{n}\n\n    Comment number {n} here.\n\n"
                  "      □ Reply\n" for n in range(2, 6))
        + "\nLeave a Reply\n"
    )
    out = read_text(tmp_path, page)
    assert comments(out)[0].text.startswith("First!")
    assert "pinned-item-skipped" not in codes(out)


def test_portuguese_theme_with_ages_and_permalinks(tmp_path: Path) -> None:
    page = ARTICLE + (
        "2 Comentários\n\n"
        " 1. [0ad4] Carla\n"
        "    1 ano atrás Link permanente\n\n"
        "    Olá, qual o nome dessa horta comunitária? Obrigada!\n\n"
        "    Responder\n"
        "     1. [35c3] Lia\n"
        "        1 ano atrás Link permanente\n\n"
        "        Carla, acredito que seja a horta da praça central, vale a visita.\n\n"
        "        Responder\n\n"
        "Deixe uma resposta Cancelar resposta\n"
    )
    out = read_text(tmp_path, page)
    assert [(c.author, c.parent_id) for c in comments(out)] == [("Carla", None), ("Lia", "c1")]


def test_lynx_o_bullet_before_a_reply_button(tmp_path: Path) -> None:
    page = ARTICLE + (
        "Comments (2)\n\n"
        "    1. November 1, 2020 at 6:28 pm Ann\n"
        "       Good article, thanks for the tips on mulch!\n"
        "          + Reply\n"
        "         1. November 1, 2020 at 6:31 pm Site Owner\n"
        "            🙂\n"
        "               o Reply\n\n"
        "Leave a Reply\n"
    )
    got = comments(read_text(tmp_path, page))
    assert [c.text for c in got] == ["Good article, thanks for the tips on mulch!", "🙂"]


def test_headerless_comments_signed_with_sagt(tmp_path: Path) -> None:
    # No heading over the comments and one reply button: the "sagt:" lines are the evidence.
    page = ARTICLE + (
        "  • Garten\n  • Winter\n\n"
        "Karla sagt:\n"
        "24. November 2019 um 17:53 Uhr\n\n"
        "Wenn ich das Vlies auflege, schimmelt der Salat darunter. Was mache ich falsch?\n\n"
        "Antworten\n\n"
        "Mo Berger sagt:\n"
        "24. November 2019 um 20:10 Uhr\n\n"
        "Hallo Karla, das Vlies tagsüber abnehmen, damit die Feuchtigkeit entweichen kann.\n\n"
        "Anzeige\n\nGartenbücher im Angebot\n"
    )
    out = read_text(tmp_path, page)
    assert [c.author for c in comments(out)] == ["Karla", "Mo Berger"]
    assert "missing-comment-header" in codes(out)


def test_separator_line_between_date_and_reply_link(tmp_path: Path) -> None:
    # markdownify: "[date](permalink)" / "|" / "[Reply](…)" under a heading with the name.
    page = ARTICLE + (
        "### 2 Responses\n\n"
        "1. ![](https://example.org/avatar/a.png)\n\n"
        "   ##### Dana Roth\n\n"
        "   [2 décembre 2017](https://example.org/post/#comment-11)\n"
        "   |\n"
        "   [Reply](https://example.org/post/?replytocom=11#respond)\n\n"
        "   Ce qui serait bien, ce sont des jardins partagés dans chaque quartier.\n\n"
        "   * ![](https://example.org/avatar/b.png)\n\n"
        "     ##### Léo\n\n"
        "     [3 décembre 2017](https://example.org/post/#comment-12)\n"
        "     |\n"
        "     [Reply](https://example.org/post/?replytocom=12#respond)\n\n"
        "     Il y en a déjà deux près de chez moi.\n\n"
        "### Laissez un commentaire\n"
    )
    got = comments(read_text(tmp_path, page))
    assert [(c.text, c.parent_id) for c in got] == [
        ("Ce qui serait bien, ce sont des jardins partagés dans chaque quartier.", None),
        ("Il y en a déjà deux près de chez moi.", "c1"),
    ]


def test_hash_bullet_alone_on_its_line_is_a_deep_marker(tmp_path: Path) -> None:
    # Debian html2text: "1." / "o" / "#" for the first three levels, the comment's blocks under them.
    page = ARTICLE + (
        "**** 3 Responses ****\n"
        "   1.\n"
        "      ** Dana Roth **\n"
        "      2_décembre_2017  | Reply\n"
        "      Ce qui serait bien, ce sont des jardins partagés dans chaque quartier.\n"
        "          o\n"
        "            ** Léo **\n"
        "            3_décembre_2017  | Reply\n"
        "            Il y en a déjà deux près de chez moi.\n"
        "                #\n"
        "                  ** Dana Roth **\n"
        "                  3_décembre_2017  | Reply\n"
        "                  Lesquels ? Je cherche encore une parcelle.\n"
        "**** Laissez un commentaire ****\n"
    )
    got = comments(read_text(tmp_path, page))
    assert [c.parent_id for c in got] == [None, "c1", "c2"]


def test_name_heading_a_comment_signed_below(tmp_path: Path) -> None:
    page = ARTICLE + (
        "One Comment\n\n"
        "  • [02fc26]\n\n"
        "    Marek\n\n"
        "    Ich bin gespannt, was hier als Nächstes über die Wintergärten erscheint. Viel Erfolg!\n\n"
        "    18. 05. 2014 22:38\n\n"
        "Letzte Kommentare\n\n"
        "  • Lena bei Kompost richtig ansetzen\n"
    )
    got = comments(read_text(tmp_path, page))
    assert [(c.author, c.text) for c in got] == [
        ("Marek", "Ich bin gespannt, was hier als Nächstes über die Wintergärten erscheint. Viel Erfolg!")]
    assert got[0].created_at is not None and got[0].created_at.year == 2014


def test_owner_answering_every_comment_is_no_furniture(tmp_path: Path) -> None:
    # The site owner's name stands above the date of every reply: as often as the dates, but an
    # author, not a button line (lynx: lone "+" markers, name, date, text).
    rows = []
    for n, (name, text) in enumerate([("Gaye", "You are awesome, thanks for this long post!"),
                                      ("Jan Smith", "How would your plan help someone with no budget?"),
                                      ("Anita", "Focus is everything, I agree with every word.")], 1):
        rows.append(f"    {n}.\n   {name}\n       August {n}, 2018 at 3:17 pm\n       {text}\n"
                    f"          +\n        Pia Wilson\n            August {n}, 2018 at 7:07 pm\n"
                    f"            Thank you so much for reading, {name}, and for the kind words.\n")
    page = (ARTICLE + "About the author\n\nPia Wilson\n\nPia writes about city gardens.\n\n"
            "3 thoughts on “Why gardens rest”\n\n" + "".join(rows) + "\nLeave a Reply\n")
    got = comments(read_text(tmp_path, page))
    assert [c.author for c in got] == ["Gaye", "Pia Wilson", "Jan Smith", "Pia Wilson", "Anita", "Pia Wilson"]
    assert all(c.text for c in got)
    assert [c.parent_id for c in got] == [None, "c1", None, "c3", None, "c5"]


def test_list_item_above_a_self_signed_date_line(tmp_path: Path) -> None:
    # A browser copy: a bulleted list closes one comment; the next comment's line names its
    # author with the date ("Anna on … said:"): the last bullet is no comment opener.
    page = ARTICLE + (
        "Comments\n"
        "Mila Grün on September 12, 2018 at 4:47 pm said:\n\n"
        "Any update on the follow-up study about winter mulch?\n\n"
        "Kat (Gartenblog) on September 13, 2018 at 5:23 pm said:\n\n"
        "Hi Mila, here are some resources:\n"
        "* The community forum roundup on mulching\n"
        "* 2015 soil project write-up, with flowchart\n\n"
        "Omar on September 29, 2018 at 12:16 am said:\n\n"
        "I recently found an old post about leaf mould and was very interested in it.\n\n"
        "Leave a Reply\n"
    )
    got = comments(read_text(tmp_path, page))
    assert [c.author for c in got] == ["Mila Grün", "Kat (Gartenblog)", "Omar"]
    assert got[1].text.endswith("with flowchart")


def test_article_numbered_list_above_the_comment_header(tmp_path: Path) -> None:
    # The byline's "1 Comment on …" above an article with a numbered list; the real list
    # under "1 reply on …" is closed by "Comments are closed.".
    points = "\n\n".join(f"{n}. Die {n}. Partei im Bezirk ist gegen jede Veränderung am Platz, seit Jahren schon."
                         for n in range(1, 7))
    page = (
        "Warum der Platz nicht autofrei wird\nPost author  By Hanna Berg\nPost date  March 5, 2014\n"
        " 1 Comment on Warum der Platz nicht autofrei wird\n\n"
        "Warum ich glaube, dass es so kommt, hat sechs Gründe.\n\n" + points + "\n\n"
        "Blöd sind also nicht die Leute, sie lassen sich höchstens für blöd verkaufen.\n\n"
        "1 reply on “Warum der Platz nicht autofrei wird”\n"
        "Nora W.says:\n"
        "September 21, 2014 at 2:58 pm\n\n"
        "Es war ein wunderbarer Beschluss für alle Anrainer und die Geschäfte am Platz.\n\n"
        "Comments are closed.\n"
    )
    got = comments(read_text(tmp_path, page))
    assert [c.text for c in got] == ["Es war ein wunderbarer Beschluss für alle Anrainer und die Geschäfte am Platz."]


def test_browser_copy_with_reply_button_under_the_date(tmp_path: Path) -> None:
    # "Name schreibt:" / date / "Antworten" / text: the author line above the date says the
    # meta comes first (a button under the date is not the end of a text signed below).
    page = ARTICLE + (
        "3 Gedanken zu “Need for Speed”\n"
        "kaimo schreibt:\n12. August 2015 um 8:13\nAntworten\n\n"
        "Das ist ein wirklich gut geschriebener Text.\n\nLikenLiken\n\n"
        "Fee schreibt:\n13. August 2015 um 17:46\nAntworten\n\n"
        "Wusste gar nicht, dass du sowas auch fährst.\nWas macht die Torte?\n\nLikenLiken\n\n"
        "kelo schreibt:\n14. August 2015 um 7:20\nAntworten\n\n"
        "Respekt, das hätte ich mich nicht getraut.\n\nLikenLiken\n\n"
        "Kommentar verfassen\n"
    )
    got = comments(read_text(tmp_path, page))
    assert [c.text.split("\n")[0] for c in got] == [
        "Das ist ein wirklich gut geschriebener Text.", "Wusste gar nicht, dass du sowas auch fährst.",
        "Respekt, das hätte ich mich nicht getraut."]


def test_nickname_with_a_question_mark(tmp_path: Path) -> None:
    page = ARTICLE + (
        "2 Ergänzungen\n\n"
        "    1.\n   Karl sagt:\n       28. April 2024 um 12:42 Uhr\n"
        "       Bezieht sich das auf Deutschland oder auf die USA?\n       Antworten\n"
        "    2.\n   Mama, warum bist du nicht so wie die Oma? sagt:\n       28. April 2024 um 12:47 Uhr\n"
        "       Schaffen es solche Geschichten nicht mehr, von Algorithmen nach oben gespült zu werden?\n"
        "       Antworten\n\n"
        "Schreibe einen Kommentar\n"
    )
    got = comments(read_text(tmp_path, page))
    assert [c.text.split(",")[0] for c in got] == ["Bezieht sich das auf Deutschland oder auf die USA?", "Schaffen es solche Geschichten nicht mehr"]


def test_comments_signed_below_and_the_feed_line(tmp_path: Path) -> None:
    # A classic theme: avatar, text, "Kommentar von NAME — date | Antworten"; the comment feed
    # line under the list ends it.
    page = ARTICLE + (
        "2 Kommentare »\n\n"
        " 1. [909]\n\n"
        "    Deinen letzten Absatz kann ich nur unterschreiben. Ich wünsche dir und uns allen ein\n"
        "    gutes, buntes und friedliches neues Jahr, hier aus dem verschneiten Garten in Fürth.\n"
        "    Und danke für die vielen Pflanztipps im letzten Jahr, sie haben fast alle geklappt.\n"
        "    Bis bald!\n\n"
        "    Kommentar von Maren Holm — 2019-01-01 @ 00:39 | Antworten\n\n"
        " 2. [897]\n\n"
        "    Ebenfalls alles Gute, du bist meine erste Kommentatorin im neuen Jahr!\n\n"
        "    Kommentar von jana — 2019-01-01 @ 00:45 | Antworten\n\n\n"
        "RSS feed for comments on this post. TrackBack URI\n\n"
        "Kommentar verfassen\n"
    )
    got = comments(read_text(tmp_path, page))
    assert [c.text.split(" ")[0] for c in got] == ["Deinen", "Ebenfalls"]
    assert not got[1].text.startswith("[")


def test_browser_copy_signed_below_each_text(tmp_path: Path) -> None:
    page = ARTICLE + (
        "2 Kommentare »\n\n"
        "Deinen letzten Absatz kann ich nur unterschreiben, ein gutes neues Jahr aus Fürth.\n\n"
        "Kommentar von Maren Holm — 2019-01-01 @ 00:39 | Antworten\n\n"
        "Ebenfalls alles Gute, du bist meine erste Kommentatorin im neuen Jahr!\n\n"
        "Kommentar von jana — 2019-01-01 @ 00:45 | Antworten\n\n\n"
        "RSS feed for comments on this post. TrackBack URI\n"
    )
    got = comments(read_text(tmp_path, page))
    assert [c.text.split(" ")[0] for c in got] == ["Deinen", "Ebenfalls"]
