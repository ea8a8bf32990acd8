"""Issue 12, HTML reader session 7: comment systems other than WordPress on real saved pages
(held-out batch ``aside4``, looked at after its measurement), each phenomenon reproduced by a
page written for the test (invented markup, names and texts).

- comment keys that are more than a number (a timestamp and a UUID after "comment_");
- template counters as element ids ("…_Repeater_Post_0") beside the id the permalink targets;
- a box whose class sounds like chrome ("…-render-reply") holding the comment's text;
- class tokens: "news" is no state word, "…Faded" is; ids carried as class tokens;
- author cues: a link classed as the user, "commentor" boxes, a name followed by a profile line;
- Drupal-like themes: anchors before spacers and wrappers, dates inside the byline,
  replies printed in markup of their own inside ``div.indented``;
- generated mixed letter-digit keys; parity and root tokens in comment-list items;
- microdata ids in "#word:N" fragments and on the item's first inner wrapper;
- WordPress: a ``div.comment`` reply nested in its parent's div; ``li#comment-N`` without the
  ``comment`` class;
- negative controls: teaser cards and widgets built from the same parts give no comment.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from analyzer.ingest import wp_html
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source
from analyzer.ingest.html_comments.common import id_from_name


def read(tmp_path: Path, html: str) -> ReaderOutput:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    return wp_html.read(Source(path), ReadOptions())


def codes(out: ReaderOutput) -> set[str]:
    return {i.code for i in out.issues}


def tree(out: ReaderOutput) -> list[tuple[str, str | None]]:
    return [(c.comment_id, c.parent_id) for c in out.threads[0].comments]


def article(lang: str = "en", title: str = "Harbour ferry timetable changes") -> str:
    return (
        f'<html lang="{lang}"><head><title>{title}</title><meta property="og:type" content="article"></head>'
        f"<body><main><article><h1>{title}</h1>"
        + "".join(f"<p>Paragraph {i} of the story on the new ferry timetable and the night crossings.</p>" for i in range(4))
        + "</article>"
    )


# --- ids --------------------------------------------------------------------------------------


def test_id_from_name_keeps_keys_that_are_more_than_a_number() -> None:
    assert id_from_name("comment-17") == "17"
    assert id_from_name("div-comment-17") == "17"
    assert id_from_name("p123") == "123"
    assert id_from_name("Post88001") == "88001"
    assert id_from_name("zzcmt-comment_1600000000123-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d") == (
        "1600000000123-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
    )
    assert id_from_name("comment-12-3") == "3"  # small dashed numbers: as before
    assert id_from_name("pQx7TrWm2LkZa9Hb4") == "pQx7TrWm2LkZa9Hb4"  # a generated key, whole
    assert id_from_name("no-digits-here") is None


def uuid_item(stamp: int, uid: str, name: str, when: str, iso: str, text: str) -> str:
    key = f"{stamp}-{uid}"
    return (
        f'<li id="zzcmt-comment_{key}"><div id="zzcmt-comment_{key}_0_3_1_" class="zzcmt-comment">'
        f'<div class="zzcmt-avatar-box"><a href="/people/{name}"><img src="/a.png" alt="{name}"></a></div>'
        '<div class="zzcmt-info zzcmt-render-rate zzcmt-render-reply">'
        f'<cite><a href="/people/{name}"><strong>{name}</strong></a> '
        f'<span class="zzcmt-timestamp"><abbr title="{iso}">{when}</abbr></span></cite>'
        f'<blockquote class="zzcmt-text">{text}</blockquote></div></div></li>'
    )


def test_timestamp_uuid_keys_and_a_reply_capable_text_box(tmp_path: Path) -> None:
    page = article() + (
        '<div id="zzcmt" class="zz-comments"><h3>37 comments</h3><ul class="zzcmt-list">'
        + uuid_item(1600000000123, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "Marit", "5 minutes ago",
                    "2021-03-02T10:15:00+0000", "The early boat is always late on Mondays, so this change is welcome.")
        + uuid_item(1600000000456, "1b2c3d4e-5f60-4b7c-9d8e-0f1a2b3c4d5e", "Osk", "9 minutes ago",
                    "2021-03-02T10:11:00+0000", "Will the night crossing still stop at the island pier?")
        + "</ul></div></main></body></html>"
    )
    out = read(tmp_path, page)
    comments = out.threads[0].comments
    assert [c.comment_id for c in comments] == [
        "1600000000123-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "1600000000456-1b2c3d4e-5f60-4b7c-9d8e-0f1a2b3c4d5e",
    ]
    # The text box's class says it can render a Reply button; it still holds the text.
    assert comments[0].text.startswith("The early boat")
    assert [c.author for c in comments] == ["Marit", "Osk"]
    assert comments[0].created_at == datetime(2021, 3, 2, 10, 15, tzinfo=UTC)


def board_post(counter: int, number: int, name: str, text: str) -> str:
    return (
        f'<div class="BoardPost" id="Holder1_Repeater_BoardPost_{counter}"><div class="BoardPostProfile" id="Post{number}">'
        f'<img class="BoardPostPicture" src="/p.png" alt="{name}"></div><div class="BoardPostContent">'
        f'<div class="BoardPostInfo"><span class="BoardPostAccountName">{name}</span>'
        f'<span class="BoardPostTime" href="https://board.example/thread-77.html?page=1#Post{number}">'
        f"<span>14.02.21</span><span>09:{10 + counter:02d}</span></span></div>"
        f'<div class="BoardPostText">{text}</div></div></div>'
    )


def test_template_counter_ids_yield_to_the_permalink_target(tmp_path: Path) -> None:
    page = article("de", "Drucker meldet Papierstau") + (
        '<div class="BoardThread"><h2>Antworten</h2>'
        + board_post(0, 88001, "kabelsalat", "Bei mir half es, die hintere Klappe einmal ganz zu öffnen.")
        + board_post(1, 88007, "tintenfass", "Danke, das war es. Ein Papierschnipsel steckte hinten fest.")
        + board_post(2, 88012, "kabelsalat", "Freut mich, dann kann der Drucker wieder arbeiten.")
        + "</div></main></body></html>"
    )
    out = read(tmp_path, page)
    assert [c.comment_id for c in out.threads[0].comments] == ["88001", "88007", "88012"]


def news_block(key: int, name: str, text: str) -> str:
    return (
        f'<div class="news-comment-main" data-key="{key}"><div class="row d-flex">'
        f'<div class="col-8 news-comment-main-author"><strong>{name}</strong></div>'
        f'<div class="col-4 news-comment-main-date"><span>wtorek, 11 maja 2021, 2{key % 10}:13</span></div></div>'
        f'<p>{text}</p><div class="news-comment-action"><button data-id="{key}">Odpowiedz</button></div></div>'
    )


def test_news_in_a_class_is_no_state_word(tmp_path: Path) -> None:
    # "news-comment-main" lost its only stable token to the state word "new"; the comment area
    # itself then joined the group and the first comment took the id "comments".
    page = article("pl", "Nowy rozkład promów") + (
        '<div id="comments" class="news-comments-content mt-30"><div class="news-comment">'
        + news_block(5101, "Zenon", "Nareszcie poranny prom będzie kursował punktualnie.")
        + news_block(5102, "Ala", "Szkoda, że nocny kurs skrócono o pół godziny.")
        + news_block(5103, "Bogna", "Czy bilety miesięczne pozostaną w tej samej cenie?")
        + "</div></div></main></body></html>"
    )
    out = read(tmp_path, page)
    assert tree(out) == [("5101", None), ("5102", None), ("5103", None)]


def faded_item(cid: int, faded: bool, name: str, text: str) -> str:
    state = " brdCommentFaded" if faded else ""
    return (
        f'<li class="brdCommentBox{state}" id="c{cid}"><div class="brdUser">{name}</div>'
        f'<div class="brdDate">03.04.2022, 1{cid % 10}:20</div><div class="brdText">{text}</div></li>'
    )


def test_a_faded_state_token_keeps_the_comment_in_its_list(tmp_path: Path) -> None:
    page = article("de", "Neue Radwege") + (
        '<section id="comments"><h3>3 Kommentare</h3><ul class="brdComments">'
        + faded_item(701, True, "Speiche", "Endlich ein Radweg, der nicht im Nichts endet.")
        + faded_item(702, False, "Klingel", "Die Ampelschaltung an der Brücke ist noch zu kurz.")
        + faded_item(703, False, "Speiche", "Stimmt, besonders morgens im Berufsverkehr.")
        + "</ul></section></main></body></html>"
    )
    assert [c.comment_id for c in read(tmp_path, page).threads[0].comments] == ["701", "702", "703"]


def class_key_item(key: int, name: str, text: str) -> str:
    return (
        f'<li class="pr-note {key}"><article class="pr-note-content"><div class="pr-note-head">'
        f'<a href="/page/{name}" class="pr-note-user">{name}</a></div><div class="pr-note-msg"><p>{text}</p></div>'
        f'<div class="pr-note-foot"><span class="pr-note-stamp">Le 21/04/2013 à 0{key % 7}:20</span>'
        f'<a href="/reply/{key}" class="pr-note-answer">Répondre</a></div></article></li>'
    )


def test_ids_carried_as_class_tokens_and_a_user_link_as_author(tmp_path: Path) -> None:
    page = article("fr", "Le nouveau bac à marée") + (
        '<div id="reactions"><h3>Réactions</h3><ul class="pr-notes">'
        + class_key_item(4401234, "cormoran", "Bonne idée, mais le parking du port reste trop petit.")
        + class_key_item(4401301, "goeland", "Les horaires d'été devraient commencer plus tôt.")
        + "</ul></div></main></body></html>"
    )
    comments = read(tmp_path, page).threads[0].comments
    assert [(c.comment_id, c.author) for c in comments] == [("4401234", "cormoran"), ("4401301", "goeland")]
    assert comments[0].text.startswith("Bonne idée")


def commentor_item(number: int, name: str, party: str, text: str) -> str:
    return (
        f'<li class="clearfix"><div><a name="{number}"></a></div><div class="group">'
        f'<div class="comment-avatar"><img src="/a.png" alt="avatar for {name}"></div>'
        f'<div class="commentor-info"><div><a href="/profile?u={name}">{name}</a> <div>Club: {party}</div></div></div>'
        f'<div class="comment-meta">Reply #{number % 100}<div>Oct. 9, 2010 - 7:{number % 60:02d} AM EST</div></div></div>'
        f'<div class="submitted-comment"><p>{text}</p></div></li>'
    )


def test_commentor_boxes_and_a_profile_line_after_the_name(tmp_path: Path) -> None:
    page = article() + (
        '<div id="comments"><h2>Readers\' Comments (240)</h2><ol id="commentsList">'
        + commentor_item(770001, "harbourwatch", "Rowing", "The timetable ignores the school run entirely.")
        + commentor_item(770002, "pierlight", "Sailing", "Night crossings matter more than the early boat.")
        + "</ol></div></main></body></html>"
    )
    comments = read(tmp_path, page).threads[0].comments
    assert [(c.comment_id, c.author) for c in comments] == [("770001", "harbourwatch"), ("770002", "pierlight")]


# --- Drupal-like themes -----------------------------------------------------------------------


def slate_item(cid: int, name: str, when: str, text: str, answer: bool = False) -> str:
    cls, verb = ("note_answer", f'<span class="note_author_name">{name}</span> a répondu le {when}') if answer else (
        "note_item", f'Soumis par <span class="note_author_name">{name}</span>, le {when}')
    return (
        f'<a id="comment-{cid}"></a>\n<!-- start comment -->\n<div class="note_margin"></div>'
        f'<div class="{cls}"><div class="note_pic"><img src="/a.png"></div>'
        f'<div class="note_infos"><div class="note_author">{verb}</div></div>'
        f'<div class="note_content"><p>{text}</p></div></div><div class="clearer"></div>\n<!-- end comment -->\n'
    )


def test_drupal_like_anchors_byline_dates_and_answers_of_their_own_markup(tmp_path: Path) -> None:
    page = article("fr", "Le port change ses horaires") + (
        '<div id="article_comments"><div class="note_box_title">3 réactions</div>'
        + slate_item(9101, "mouette", "lundi 29 octobre 2012 à 15h46", "Les horaires du soir ne conviennent à personne.")
        + '<div class="indented">'
        + slate_item(9105, "phare", "mardi 30 octobre 2012 à 11h45", "Pour ma part, ils me conviennent très bien.", answer=True)
        + "</div>"
        + slate_item(9102, "vague", "lundi 29 octobre 2012 à 16h01", "Et le dimanche, rien n'a changé du tout.")
        + "</div></main></body></html>"
    )
    out = read(tmp_path, page)
    assert tree(out) == [("9101", None), ("9105", "9101"), ("9102", None)]
    comments = out.threads[0].comments
    assert [c.author for c in comments] == ["mouette", "phare", "vague"]
    assert comments[0].created_at == datetime(2012, 10, 29, 15, 46, tzinfo=UTC)
    assert comments[1].created_at == datetime(2012, 10, 30, 11, 45, tzinfo=UTC)
    assert comments[0].text == "Les horaires du soir ne conviennent à personne."


def test_an_anchor_before_the_wrapper_and_a_date_after_vom(tmp_path: Path) -> None:
    def item(cid: int, name: str, day: str, text: str) -> str:
        return (
            f'<a id="comment-{cid}"></a><div class="arrow"><div class="comment"><div class="comment-right">'
            f'<div class="content"><div class="submitted"><a href="/u/{name}" class="username">{name}</a>'
            f'<span class="gap"> vom {day}. </span></div>{text}</div></div></div></div>'
        )

    page = article("de", "Gemüse im Winter") + (
        '<div class="comments-pane"><h2>Kommentare</h2>'
        + item(5501, "Kohlkopf", "04.06.2022", "Und wie lagert man Pastinaken am besten im Keller?")
        + '<div class="indented">' + item(5502, "Redaktion", "08.06.2022", "In feuchtem Sand, dann halten sie wochenlang.")
        + "</div></div></main></body></html>"
    )
    out = read(tmp_path, page)
    assert tree(out) == [("5501", None), ("5502", "5501")]
    assert out.threads[0].comments[0].created_at == datetime(2022, 6, 4, tzinfo=UTC)


# --- comment-list items and microdata ------------------------------------------------------


def test_generated_keys_and_parity_root_tokens_in_one_comment_list(tmp_path: Path) -> None:
    def node(key: str, parity: str, extra: str, name: str, text: str, inner: str = "") -> str:
        return (
            f'<div class="comments-node comments-node-{parity} {extra}" id="{key}"><div class="Item-root">'
            f'<span class="Item-username">{name}</span><div class="Item-body"><p>{text}</p></div></div>{inner}</div>'
        )

    reply = node("Wq8ZtL2mRx5Kc7Ny", "even", "Frame-child", "Tove", "A reply nested in its parent, as the platform prints it.")
    page = article() + (
        '<div class="comments-list"><h2>14 comments</h2>'
        + node("Ab3De5Gh7Jk9Mn2Pq", "odd", "comments-node-root", "Lauri", "The first root comment of the discussion here.", reply)
        + node("Rs4Tu6Vw8Xy1Za3Bc", "odd", "comments-node-root", "Signe", "A second root comment with a different point.")
        + "</div></main></body></html>"
    )
    out = read(tmp_path, page)
    assert tree(out) == [
        ("Ab3De5Gh7Jk9Mn2Pq", None), ("Wq8ZtL2mRx5Kc7Ny", "Ab3De5Gh7Jk9Mn2Pq"), ("Rs4Tu6Vw8Xy1Za3Bc", None),
    ]


def test_microdata_ids_in_word_fragments_and_inner_wrappers(tmp_path: Path) -> None:
    page = article("pl") + (
        '<section class="opinions"><h3>Komentarze</h3>'
        '<div itemscope itemtype="http://schema.org/Comment" itemid="#opinion:661002">'
        '<span itemprop="author">jeżyna</span> <span itemprop="dateCreated" content="2021-05-11T20:28:00+02:00">'
        '11.05.2021</span><span itemprop="text">Kolejna zmiana rozkładu w tym roku, to już przesada.</span></div>'
        '<div itemscope itemtype="https://schema.org/Comment"><div id="661077" class="item__container">'
        '<span itemprop="author">Gość</span><span itemprop="datePublished" content="2021-05-12T08:00:00+02:00">'
        '08:00 12.05.21</span><div itemprop="text">Mnie pasuje.</div></div></div>'
        "</section></main></body></html>"
    )
    assert [c.comment_id for c in read(tmp_path, page).threads[0].comments] == ["661002", "661077"]


# --- WordPress core markup ---------------------------------------------------------------


def test_div_comment_reply_nested_in_its_parent_div(tmp_path: Path) -> None:
    def item(cid: int, depth: int, name: str, text: str, inner: str = "") -> str:
        return (
            f'<div class="comment depth-{depth}" id="comment-{cid}"><div class="thecomment">'
            f'<span class="author">{name}</span> <span class="date">August 1{depth}, 2019 - 2:19 pm</span>'
            f'<div class="comment-content"><p>{text}</p></div></div>{inner}</div>'
        )

    page = article() + (
        '<div class="post-comments" id="comments"><h4>2 comments</h4><div class="comments">'
        + item(30112, 1, "Runa", "The quince jelly set perfectly on the second try.",
               item(30129, 2, "Editor", "Glad it worked, thanks for telling us!"))
        + "</div></div></main></body></html>"
    )
    assert tree(read(tmp_path, page)) == [("30112", None), ("30129", "30112")]


def test_core_ids_without_the_comment_class(tmp_path: Path) -> None:
    page = article("de") + (
        '<h3 class="comments-count">Ein Kommentar</h3><ul class="comment-items">'
        '<li id="comment-1446" class="row-fluid"><figure class="user-avatar"><img src="/a.png"></figure>'
        '<div class="comment-info"><h3><a href="https://example.org" class="url">Fenja</a></h3>'
        "<p>Ich bin gespannt, was hier als Nächstes erscheint. Viel Glück beim Schreiben!</p>"
        "<div><b>18. 05. 2014</b> <b>22:38</b></div></div></li></ul></main></body></html>"
    )
    out = read(tmp_path, page)
    assert tree(out) == [("1446", None)]
    assert "comments-not-recognised" not in codes(out)


# --- negative controls -----------------------------------------------------------------------


def test_news_teaser_cards_with_author_and_date_are_no_comments(tmp_path: Path) -> None:
    def card(n: int, title: str) -> str:
        return (
            f'<div class="news-card"><h3><a href="/news/{n}-story">{title}</a></h3>'
            f'<span class="news-card-author">Desk {n}</span> <span class="news-card-date">12.03.2021 1{n}:00</span>'
            f'<p>A teaser paragraph that sums up the story in a sentence. <a href="/news/{n}-story">Read more</a></p></div>'
        )

    page = article() + (
        '<aside class="related-news"><h2>More news</h2>' + "".join(card(n, f"Story {n}") for n in range(1, 5))
        + "</aside></main></body></html>"
    )
    out = read(tmp_path, page)
    assert out.threads[0].comments == []
    assert "comments-not-recognised" not in codes(out)


def test_core_ids_in_a_widget_are_no_comments(tmp_path: Path) -> None:
    page = article() + (
        '<aside class="sidebar"><section class="widget_comments"><h2>Latest comments</h2><ul class="comment-items">'
        '<li id="comment-88" class="item">Kari on <a href="/other-post/#comment-88">Winter gardens</a> said something long enough</li>'
        '<li id="comment-89" class="item">Ivo on <a href="/third-post/#comment-89">Roof repairs</a> said something long enough</li>'
        "</ul></section></aside></main></body></html>"
    )
    out = read(tmp_path, page)
    assert out.threads[0].comments == []
    assert "comments-not-recognised" not in codes(out)


def test_profile_links_in_the_header_are_not_part_of_the_text(tmp_path: Path) -> None:
    def item(cid: int, name: str, text: str) -> str:
        return (
            f'<div class="recipe-comment" id="kommentar_{cid}"><a href="/rezept#c{cid}" name="c{cid}"></a>'
            f'<a class="avatar-link" href="/user/profil/{name}">'
            f'<img src="/a.png" alt=""></a><a href="/user/profil/{name}" class="recipe-comment-author">{name}</a>'
            f'<span class="recipe-comment-date">03.02.2021 18:4{cid % 10}</span>'
            f'<p>{text} Siehe auch <a href="/user/profil/kochtopf">kochtopf</a>.</p></div>'
        )

    page = article("de", "Linsensuppe") + (
        '<div class="recipe-comments"><h2>Kommentare</h2>'
        + item(2770531, "zwiebelring", "Mit einem Schuss Essig schmeckt sie noch besser.")
        + item(2770532, "lorbeer", "Ich nehme rote Linsen, dann geht es schneller.")
        + "</div></main></body></html>"
    )
    comments = read(tmp_path, page).threads[0].comments
    assert [c.comment_id for c in comments] == ["2770531", "2770532"]
    assert comments[0].text.startswith("Mit einem Schuss Essig")
    assert "kochtopf" in comments[0].text  # a mention inside the paragraph stays


def test_spip_field_classes_and_a_bracketed_date(tmp_path: Path) -> None:
    def message(n: int, name: str, when: str, text: str) -> str:
        return (
            f'<li class="forum-fil"><div class="forum-top"><a href="#forum{n}" name="forum{n}" id="forum{n}">'
            f'<img src="pin.png" alt="permalien"></a><b class="crayon forum-qui-{n} ">{name}</b>'
            f'<div class="forum-nav">\n ({when})&nbsp;\n</div>:</div><div class="forum-message">'
            f'<div class="forum-chapo"><p><strong class="crayon forum-titre-{n} forum-titre">Titre</strong></p></div>'
            f'<div class="crayon forum-texte-{n} forum-texte"><p>{text}</p></div></div></li>'
        )

    page = article("fr", "Les marées d'équinoxe") + (
        '<ul class="forum">' + message(5511, "Anémone", "22 juin 2018 @11h13", "Les coefficients de mars étaient records.")
        + message(5512, "Bigorneau", "22 juin 2018 @11h29", "Sauf erreur, ceux de septembre furent plus forts.")
        + "</ul></main></body></html>"
    )
    comments = read(tmp_path, page).threads[0].comments
    assert [(c.comment_id, c.author) for c in comments] == [("5511", "Anémone"), ("5512", "Bigorneau")]
    assert comments[0].created_at == datetime(2018, 6, 22, 11, 13, tzinfo=UTC)


def test_core_comment_with_a_theme_named_author_line(tmp_path: Path) -> None:
    def item(cid: int, name: str, text: str) -> str:
        return (
            f'<div id="comment-{cid}" class="comment comment-post no-replies"><div class="avatar">'
            f'<a href="/registration/{cid}/profile.html" class="rc-avatar-link"><img src="/d.jpg"></a></div>'
            f'<div class="container"><p class="user-info"><a href="/registration/{cid}/profile.html" class="js-usr">{name}</a>,'
            f' Tromsø, 3 months ago</p><p class="comment-body">{text}</p></div></div>'
        )

    page = article() + (
        '<div id="comments"><h3>Comments 76</h3><div id="js-comments" class="comments-list">'
        + item(61001, "skerry", "The ferry company should publish the winter plan earlier.")
        + item(61002, "Fjordlys", "Agreed, we book holidays months ahead.")
        + "</div></div></main></body></html>"
    )
    comments = read(tmp_path, page).threads[0].comments
    assert [(c.comment_id, c.author) for c in comments] == [("61001", "skerry"), ("61002", "Fjordlys")]


def test_on_date_name_wrote_header_lines(tmp_path: Path) -> None:
    def item(cid: int, name: str, day: int, text: str) -> str:
        return (
            f'<li id="comment{cid}"><div class="commentHead"><h6>'
            '<a href="#" title="Report this Comment" class="cop"><span>Report this Comment</span></a>\n'
            f"\t\t\tOn December {day}, 2014,\n\t\t\tat 10:0{day % 10} PM, \n"
            f'\t\t\t<a href="https://boards.example/Profile.asp?uid={cid}"><strong>{name}</strong></a> wrote:</h6></div>'
            f'<div class="commentPost"><p>{text}</p></div></li>'
        )

    page = article() + (
        '<ul id="commentsList">'
        + item(4401, "tidewatcher", 23, "The park's attendance numbers were falling before the news broke.")
        + item(4402, "ebbandflow", 24, "Falling attendance is seasonal; compare the same quarter a year earlier.")
        + "</ul></main></body></html>"
    )
    comments = read(tmp_path, page).threads[0].comments
    assert [(c.comment_id, c.author) for c in comments] == [("4401", "tidewatcher"), ("4402", "ebbandflow")]
    assert comments[0].created_at == datetime(2014, 12, 23, 22, 3, tzinfo=UTC)


def test_core_dates_on_a_span_attribute_and_in_the_author_line(tmp_path: Path) -> None:
    page = article() + (
        '<ol class="commentlist">'
        '<li id="comment-2201" class="comment depth-1"><div id="div-comment-2201"><div class="comment_author vcard">'
        '<img class="avatar" src="/a.png"> <strong class="fn"><a class="url" href="https://example.org">Brisk</a></strong>'
        ' said, on August 3, 2019 at <a href="#comment-2201">3:12 pm</a></div>'
        "<p>Thanks for the summary of the timetable, it saved me reading the whole notice.</p></div></li>"
        '<li id="comment-2202" class="comment depth-1"><div class="thecomment"><span class="author">Moll</span>'
        ' <span class="date" datetime="2019-08-17T14:19:00-05:00">August 17, 2019 - 2:19 pm</span>'
        '<div class="comment-content"><p>The pier café closes earlier too, sadly.</p></div></div></li>'
        "</ol></main></body></html>"
    )
    comments = read(tmp_path, page).threads[0].comments
    assert [c.created_at for c in comments] == [
        datetime(2019, 8, 3, 15, 12, tzinfo=UTC), datetime(2019, 8, 17, 19, 19, tzinfo=UTC),
    ]


def test_a_core_header_paragraph_with_author_and_date_is_not_text(tmp_path: Path) -> None:
    page = article() + (
        '<h2>2 Comments</h2><ol class="commentlist">'
        '<li class="comment depth-1" id="comment-3301"><img class="avatar" src="/a.png"><div class="comment longComment">'
        '<p><span class="author">Hallvard</span> &bull; <a href="#comment-3301" class="time" '
        'datetime="2014-12-06T15:38:13+00:00">2 weeks ago</a> </p>'
        "<p>The survey's wording matters more than its sample size here.</p></div></li>"
        "</ol></main></body></html>"
    )
    comment = read(tmp_path, page).threads[0].comments[0]
    assert comment.text == "The survey's wording matters more than its sample size here."
    assert comment.author == "Hallvard"
