"""Issue 12, HTML reader session 6: phenomena met on real saved pages from public test suites
(kept outside the project), each reproduced by a page written for the test.

- a page with exactly one comment (a list rule needs two blocks: it gave 0 and a warning);
- a date span around a machine-readable ``time`` (the span's text has no hour);
- pages without comments whose markup only looks like a comment section (no warning).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from analyzer.ingest import wp_html
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source


def read(tmp_path: Path, html: str) -> ReaderOutput:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    return wp_html.read(Source(path), ReadOptions())


def codes(out: ReaderOutput) -> dict[str, str]:
    return {i.code: i.severity for i in out.issues}


ARTICLE = (
    '<html lang="en"><head><title>Patch notes for the router firmware</title>'
    '<meta property="og:type" content="article"></head><body><main><article><h1>Patch notes</h1>'
    + "".join(f"<p>Paragraph {i} of the story about firmware updates and what they fix in practice.</p>" for i in range(4))
    + "</article>"
)


def one_comment(
    extra_class: str = "note-comment", area: str = 'id="discussion-comments"', heading: str = "Discussion",
    holder: str = "threads",
) -> str:
    return (
        ARTICLE + f'<section {area}><h3>{heading}</h3><ul class="{holder}">'
        f'<li><div class="{extra_class}" id="comment-4411"><img class="user-avatar" src="/a.png" alt="">'
        '<p><a class="username" href="/u/ola">Ola</a> <span class="stamp">on <time datetime="2022-05-03T08:15:00+02:00">'
        "May 3, 2022</time></span></p><div class=\"body\">Does this patch also fix the Wi-Fi drop after standby?</div>"
        '<a class="answer" href="#" rel="nofollow">Reply</a></div></li></ul>'
        '<form id="reply-box"><textarea></textarea></form></section></main></body></html>'
    )


def test_a_page_with_exactly_one_comment_reads_it(tmp_path: Path) -> None:
    out = read(tmp_path, one_comment())
    comments = out.threads[0].comments
    assert [(c.comment_id, c.parent_id, c.author) for c in comments] == [("4411", None, "Ola")]
    assert comments[0].text.startswith("Does this patch")
    # The hour comes from the time element inside the date span, not from the span's text.
    assert comments[0].created_at == datetime(2022, 5, 3, 6, 15, tzinfo=UTC)
    assert comments[0].edge_confidence < 1.0
    assert "comments-not-recognised" not in codes(out)
    assert any("single comment block" in i.detail for i in out.issues if i.code == "comment-system")


def test_a_lone_block_outside_a_comment_area_is_not_read(tmp_path: Path) -> None:
    # The same block in a plain section under a plain heading: nothing says it is the page's
    # comment area, so one block alone is not enough (an author box or a quote card looks the same).
    out = read(tmp_path, one_comment(area='class="story-extras"', heading="More from Ola", holder="cards"))
    assert out.threads[0].comments == []


def test_two_unrelated_lone_blocks_give_nothing(tmp_path: Path) -> None:
    page = one_comment().replace("</ul>", '</ul><div class="box"><div class="note-comment" id="comment-4412">'
                                 '<a class="username" href="/u/kim">Kim</a> <time datetime="2022-05-04">May 4</time>'
                                 '<p>Another comment of a different markup, far away.</p><a href="#">Reply</a></div></div>')
    out = read(tmp_path, page)
    ids = [c.comment_id for c in out.threads[0].comments]
    assert "4411" not in ids or "4412" in ids  # never one of the two alone


def hashed_theme_item(cid: int, who: str, ms: int, text: str, replies: str = "") -> str:
    # A styled-components theme: every class a hash, the id only on an empty anchor, the
    # verb of saying as bare text after the name, the time in epoch milliseconds.
    return (
        f'<li><a name="comment-{cid}"></a><div class="sc-x1 kQz"><strong class="sc-x2 pLm">{who}</strong> sagt:<br/>'
        f'<time dateTime="{ms}">heute</time><br/><div class="sc-x3 aTr">{text}</div></div>'
        f'<button>antworten ✍️</button><ul class="sc-x4 wWq">{replies}</ul></li>'
    )


def test_hashed_class_theme_with_anchor_ids_and_bare_says_lines(tmp_path: Path) -> None:
    reply = hashed_theme_item(902, "Runa", 1558603540000, "Danke, das freut mich sehr, bis bald!")
    items = (
        hashed_theme_item(901, "Pia", 1558596874000, "Wunderbar geschrieben, ich musste so lachen.", reply)
        + hashed_theme_item(903, "Jo", 1558551956000, "Mehr davon bitte, das war richtig gut.")
    )
    page = ARTICLE.replace("<main>", "<main>") + (
        f'<section class="sc-q9 Zk"><h3 class="sc-y1">Kommentare</h3><ul class="sc-x4 wWq">{items}</ul></section>'
        "</main></body></html>"
    )
    out = read(tmp_path, page)
    comments = out.threads[0].comments
    assert [(c.comment_id, c.parent_id, c.author) for c in comments] == [
        ("901", None, "Pia"), ("902", "901", "Runa"), ("903", None, "Jo")
    ]
    assert comments[0].text == "Wunderbar geschrieben, ich musste so lachen."
    assert comments[1].created_at == datetime(2019, 5, 23, 9, 25, 40, tzinfo=UTC)


NEWS = (
    '<html lang="de"><head><title>Neue Radwege in der Altstadt</title><meta property="og:type" content="article">'
    '</head><body><main><article><h1>Neue Radwege</h1>'
    + "".join(f"<p>Absatz {i}: Die Stadt plant neue Radwege entlang der Hauptstraße und am Fluss.</p>" for i in range(4))
    + "</article>{tail}</main></body></html>"
)


def test_code_highlighting_and_section_controls_are_no_evidence(tmp_path: Path) -> None:
    tail = (
        '<pre><code><span class="hljs-comment">// read the settings file first</span>\nload();\n'
        '<span class="hljs-comment">// then apply every rule in order</span></code></pre>'
        '<div class="comments-loader">Kommentare werden geladen, bitte warten …</div>'
        '<div class="activate-comments">Kommentare aktivieren: hier klicken, um mitzureden</div>'
    )
    out = read(tmp_path, NEWS.replace("{tail}", tail))
    assert out.threads[0].comments == [] and "comments-not-recognised" not in codes(out)


def test_comment_heading_over_a_zero_statement_or_the_form_is_no_evidence(tmp_path: Path) -> None:
    for tail in (
        "<section><h3>Kommentare</h3><p>Derzeit sind keine Kommentare vorhanden.</p></section>",
        "<section><h3>Kommentare</h3><div>Noch keine Kommentare</div><a href='#'>Kommentar schreiben</a></section>",
        '<section><h3>Publier un nouveau commentaire</h3><form><textarea name="c"></textarea></form></section>',
        '<section><h3>Comments</h3><div id="respond"><form><textarea></textarea></form></div></section>',
        "<section><h3>Loading comments...</h3></section>",
    ):
        out = read(tmp_path, NEWS.replace("{tail}", tail))
        assert "comments-not-recognised" not in codes(out), tail


def test_unread_comment_markup_still_warns(tmp_path: Path) -> None:
    # Two innermost elements naming one comment, with text: a section nobody read.
    tail = (
        "<section><h3>Kommentare</h3>"
        '<div class="leser-kommentar">Ich fahre jeden Tag dort und finde das überfällig.</div>'
        '<div class="leser-kommentar">Hoffentlich wird die Kreuzung am Markt auch sicherer.</div></section>'
    )
    out = read(tmp_path, NEWS.replace("{tail}", tail))
    assert out.threads[0].comments == []
    assert codes(out).get("comments-not-recognised") == "warning"


def test_byline_with_name_and_date_in_comment_items(tmp_path: Path) -> None:
    # Items of a list named as comments whose only author and date is a byline
    # "geschrieben von NAME am DATE" (a Django site's comments).
    items = "".join(
        f'<li id="comment-{n}"><h2>Titel {n}</h2><span class="metadata">geschrieben von {who} am {when}</span>'
        f"<p>{text}</p></li>"
        for n, who, when, text in (
            (31, "kiwi88", "21. Jan. 2015, 19:04", "Ich sehe das anders, die Zahlen sind viel zu optimistisch."),
            (32, "Prof_B", "22. Jan. 2015, 08:30", "Die Schätzung beruht auf zwanzig Jahren Daten aus drei Ländern."),
        )
    )
    page = NEWS.replace("{tail}", f'<div id="comments"><h2>Kommentare</h2><ul class="comment-list">{items}</ul></div>')
    comments = read(tmp_path, page).threads[0].comments
    assert [(c.comment_id, c.author) for c in comments] == [("31", "kiwi88"), ("32", "Prof_B")]
    assert comments[0].created_at == datetime(2015, 1, 21, 19, 4, tzinfo=UTC)
    assert "geschrieben von" not in comments[0].text


def test_drupal_plain_content_div_and_par_line(tmp_path: Path) -> None:
    items = "".join(
        f'<div class="ajax-comment-wrapper"><a id="comment-{n}"></a>'
        f'<div class="comment clearfix" about="/comment/{n}#comment-{n}" typeof="sioc:Post sioct:Comment">'
        f'<div class="metas"><b>Par {who},</b> le {when}</div><div class="titre">Titre</div>'
        f'<div class="content">{text}</div></div></div>'
        for n, who, when, text in (
            (71, "Anne Roux", "mercredi 15 mai 2019 à 08h07", "Une remarque sur la méthode employée par l'étude."),
            (72, "Marc Petit", "mercredi 15 mai 2019 à 09h23", "La question des doses reste entière, à mon avis."),
        )
    )
    page = NEWS.replace("{tail}", f'<div id="comments" class="comment-wrapper">{items}</div>').replace('lang="de"', 'lang="fr"')
    comments = read(tmp_path, page).threads[0].comments
    assert [(c.comment_id, c.author) for c in comments] == [("71", "Anne Roux"), ("72", "Marc Petit")]
    assert comments[0].text == "Une remarque sur la méthode employée par l'étude."
    assert comments[1].created_at == datetime(2019, 5, 15, 9, 23, tzinfo=UTC)


def test_date_class_without_a_date_is_skipped_for_a_bare_date_cell(tmp_path: Path) -> None:
    # A board post: the quote header's class says "posted" but holds a name; the post's date is
    # the bare text of a cell in the poster's box.
    def post(n: int, who: str, when: str, text: str) -> str:
        return (
            f'<li class="postbit postcontainer" id="post_{n}"><div class="userinfo"><a class="username" href="/m/{n}">{who}</a>'
            f'<img class="avatar" src="/av/{n}.png" alt=""><dl class="userstats"><dd>{when}</dd></dl></div>'
            f'<div class="postbody"><div class="bbcode_postedby">Zitat von <strong>Someone</strong></div>'
            f'<blockquote class="postcontent">{text}</blockquote></div>'
            f'<a href="#post_{n}" class="postcounter">#{n}</a></li>'
        )

    page = NEWS.replace("{tail}", '<ol id="posts">' + post(11, "Ada", "03.03.2011, 14:17", "Das Update ist da, bei mir lief es ohne Probleme durch.")
                        + post(12, "Ben", "03.03.2011, 14:27", "Bei mir noch nicht, ich warte seit gestern auf die Meldung.") + "</ol>")
    comments = read(tmp_path, page).threads[0].comments
    assert [c.comment_id for c in comments] == ["11", "12"]
    assert [c.created_at for c in comments] == [
        datetime(2011, 3, 3, 14, 17, tzinfo=UTC), datetime(2011, 3, 3, 14, 27, tzinfo=UTC)
    ]


def test_board_posts_byline_hidden_profile_and_a_placeholder_post(tmp_path: Path) -> None:
    # Forum posts: the poster's folded profile (display:none) holds the registration date, the
    # post's own "von NAME am DATE" line holds the real one; an ad slot is printed as post 0.
    def post(n: int, who: str, when: str, text: str) -> str:
        return (
            f'<div id="p{n}" class="post post--{n}"><div class="postprofile" id="profile{n}">'
            f'<div class="postprofile-head"><strong>{who}</strong></div><img class="avatar" src="/a/{n}.png" alt="">'
            f'<span class="poster-profile"><b>Moderatorin</b><div style="display: none;">Beiträge: 1070<br>'
            f'Anmeldedatum: <span>26.10.13</span></div></span></div>'
            f'<div class="postbody"><h3><a href="#p{n}">Regeln</a></h3>'
            f'<p class="author">von <strong>{who}</strong> am {when}</p><div class="content">{text}</div>'
            f'<a href="/post?p={n}&amp;mode=reply">Antworten</a></div></div>'
        )

    posts = (
        post(7, "lupa", "26/10/13, 03:48 pm", "Wir pflegen hier einen freundlichen Umgang miteinander.")
        + post(655, "lupa", "26/05/14, 07:41 am", "Nachtrag: neue Mitglieder bekommen nach drei Beiträgen Zugang.")
        + post(0, "Werbung", "01/01/20, 00:00 am", "Anzeige: hier könnte Ihre Werbung stehen, jetzt buchen!")
    )
    page = NEWS.replace("{tail}", f'<div class="topic">{posts}</div>')
    comments = read(tmp_path, page).threads[0].comments
    assert [(c.comment_id, c.author) for c in comments] == [("7", "lupa"), ("655", "lupa")]
    assert comments[0].created_at == datetime(2013, 10, 26, 15, 48, tzinfo=UTC)
    assert comments[1].created_at == datetime(2014, 5, 26, 7, 41, tzinfo=UTC)


def test_pages_without_comments_give_no_invented_comment(tmp_path: Path) -> None:
    # Four shapes that real pages without comments showed and the generic readers read as
    # comments: the article's byline in two nested layout boxes; a comment plugin's error and
    # report dialogs with comment classes; a list of other pages' comments under a comment
    # heading; two empty comment-list tabs with sort buttons.
    byline = (
        '<div class="c"><div class="c"><span class="author">by Redaktion</span> <time datetime="2021-03-04T10:00:00Z">'
        "4 March</time><p>Long lead paragraph of the story about the polo tournament in Rome.</p></div></div>"
    )
    dialogs = '<div id="comments"><h3>Kommentare</h3>' + "".join(
        f'<div class="modal fade"><div class="modal-content comment"><div class="modal-body comment-body">{t}</div></div></div>'
        for t in ("Fehler: Dein Kommentar wurde nicht gespeichert, bitte versuche es erneut.", "Benutzer melden: bitte gib einen Grund an.")
    ) + "</div>"
    others = '<h3>Kommentare</h3><div class="comments-list">' + "".join(
        f'<div class="comment">Leserkritik zu {t} (<a href="/kritiken/{n}#comment-{n}">{t}</a>) von Gast</div>'
        for n, t in ((10543, "Cement Beograd in Berlin"), (10544, "Jedermann in Salzburg"), (10545, "Faust in Hamburg"))
    ) + "</div>"
    tabs = '<h3>Comments</h3>' + "".join(
        f'<div class="comment-list"><a href="#" class="reply">Reply</a><img class="avatar" src="/a.png"> <button>{b}</button>'
        "<p>There are no comments yet. Be the first to share your thoughts.</p></div>"
        for b in ("Newest first", "Oldest first")
    )
    for tail in (byline, dialogs, others, tabs):
        out = read(tmp_path, NEWS.replace("{tail}", tail))
        assert out.threads[0].comments == [], tail[:60]


def test_opinion_teasers_classed_comment_are_no_comments_and_no_rejections(tmp_path: Path) -> None:
    # "comment" as a section name: a news site's teaser list of opinion pieces, each an id-less
    # li.comment with a date, a heading linking to the piece and a byline.
    teasers = "".join(
        f'<li class="list__item comment premium" data-timestamp="1511300700000"><time datetime="2017-11-21T21:45">'
        f'21 Nov 2017, 9:45pm</time><h3><a href="/news/2017/11/21/{slug}/">Comment: {title}</a></h3>'
        f'<span class="author">{who}</span></li>'
        for slug, title, who in (
            ("budget", "The budget is a chance to show an upbeat vision", "Leader Writers"),
            ("culture", "Why the entitlement culture has won, and who pays", "P. Johnson"),
        )
    )
    page = NEWS.replace("{tail}", f'<section class="more-stories"><h2>More stories</h2><ul class="list">{teasers}</ul></section>')
    out = read(tmp_path, page)
    assert out.threads[0].comments == []
    assert "rejected-comment" not in codes(out) and "comments-not-recognised" not in codes(out)


def test_replies_marked_by_a_class_word_in_a_flat_list(tmp_path: Path) -> None:
    # Replies printed flat after their parent, marked only by "comment--indented"; the author
    # is a heading linking to the profile (no post title, so no teaser).
    def block(n: int, marked: bool, who: str, text: str) -> str:
        kind = "comment comment--indented" if marked else "comment js-toplevel"
        return (
            f'<article class="{kind}" id="cid-{n}"><div class="comment__container"><div class="comment-meta">'
            f'<h4 class="comment-meta__name"><a href="https://profile.example.org/{n}">{who}</a></h4>'
            f'<a class="comment-meta__date" href="#cid-{n}">12.05.2022, 10:{n % 60:02d}</a></div>'
            f'<div class="comment__body"><p>{text}</p></div></div></article>'
        )

    body = (
        block(501, False, "Ulla", "Die Bahn braucht endlich mehr Personal auf den Stellwerken.")
        + block(502, True, "Kai", "Und mehr Geld für die Instandhaltung der Weichen, nicht nur Personal.")
        + block(503, False, "Mo", "Bei uns fiel der Zug dreimal in einer Woche aus, ohne Ersatz.")
    )
    page = NEWS.replace("{tail}", f'<section class="comment-section"><h3>Kommentare</h3><div class="comment-section__body">{body}</div></section>')
    comments = read(tmp_path, page).threads[0].comments
    assert [(c.comment_id, c.parent_id, c.author) for c in comments] == [
        ("501", None, "Ulla"), ("502", "501", "Kai"), ("503", None, "Mo")
    ]
    assert comments[1].edge_confidence < 1.0


def test_reply_items_with_a_sub_class_join_the_list(tmp_path: Path) -> None:
    # Comment items without author or date classes; replies carry an extra "comment-sub".
    def item(n: int, sub: bool, text: str) -> str:
        return f'<div class="comment-item{" comment-sub" if sub else ""}" id="k{n}"><p>{text}</p></div>'

    items = (
        item(1, False, "Der Kuchen wurde bei mir nicht fest, was mache ich falsch?")
        + item(2, True, "Weniger Milch nehmen, dann wird die Creme fester.")
        + item(3, True, "Und lange genug im Kühlschrank lassen, am besten über Nacht.")
        + item(4, False, "Sehr lecker, gibt es bei uns jetzt jeden Sonntag.")
    )
    page = NEWS.replace("{tail}", f'<h3>Kommentare</h3><div class="comments-list">{items}</div>')
    comments = read(tmp_path, page).threads[0].comments
    assert [(c.comment_id, c.parent_id) for c in comments] == [("1", None), ("2", "1"), ("3", "1"), ("4", None)]


def test_header_blocks_are_lifted_to_their_comment_containers(tmp_path: Path) -> None:
    # Each comment is a list of its own: a header item (floor number, author, date), an avatar
    # item, the text item; the author-and-date block is only the header.
    def comment(n: int, who: str, text: str) -> str:
        return (
            f'<ul class="single-post"><li class="post-info"><a name="comment-{n}"> </a><span class="floor">#{n % 10}</span>'
            f'<span class="user-name">{who}</span> <span class="post-time">2013-12-28 10:{n % 60:02d}</span></li>'
            f'<li class="post-photo"><img src="/av.png" alt=""></li><li class="post-text">{text}</li></ul>'
        )

    body = (
        comment(81, "Mei", "露營兼賞楓，好棒的生活，明年我們也要去山上看看。") + comment(82, "Lin", "您的文筆真是讚，下次也想去看看紅葉。")
        + comment(83, "Hao", "好美")  # a short one is lifted too
    )
    page = NEWS.replace("{tail}", f'<div id="comments"><h3>Kommentare</h3>{body}</div>')
    comments = read(tmp_path, page).threads[0].comments
    assert [(c.comment_id, c.author, c.text) for c in comments] == [
        ("81", "Mei", "露營兼賞楓，好棒的生活，明年我們也要去山上看看。"), ("82", "Lin", "您的文筆真是讚，下次也想去看看紅葉。"),
        ("83", "Hao", "好美"),
    ]


def test_blog_page_with_only_a_comment_form_is_read_not_refused(tmp_path: Path) -> None:
    # A theme the article reader does not know, a "Comments" heading over the form and nothing
    # else: a valid zero with a no-comments line, not "neither article nor comment section".
    page = (
        '<html lang="en"><head><title>Ear candy</title></head><body><div class="wrap"><h1>Ear candy</h1>'
        "<p>Short post.</p></div><h3>Comments</h3><div id=\"respond\"><h3>Leave a reply</h3>"
        '<form action="/wp-comments-post.php"><textarea name="comment"></textarea></form></div></body></html>'
    )
    out = read(tmp_path, page)
    assert out.threads[0].comments == []
    assert "no-comments" in codes(out) and "comments-not-recognised" not in codes(out)


def test_schrieb_author_line(tmp_path: Path) -> None:
    item = (
        '<div class="comment_default" id="c{n}"><a name="c{n}"><img class="avatar" src="/a.png" alt=""></a>'
        '<p class="info"><span>{who}</span> schrieb:<br/><time datetime="2014-11-05T14:25:40+00:00" class="date">'
        '05.11.2014 um 14:25 Uhr</time></p><div class="comment">{text}</div></div>'
    )
    body = item.format(n=170, who="Nico", text="Sehr cooles Thema, mehr davon bitte!")
    page = NEWS.replace("{tail}", f'<div class="ce_comments"><h3>Kommentare</h3>{body}</div>')
    comments = read(tmp_path, page).threads[0].comments
    assert [(c.comment_id, c.author, c.text) for c in comments] == [("170", "Nico", "Sehr cooles Thema, mehr davon bitte!")]


def test_heading_over_empty_script_containers_and_citation_comments_are_no_evidence(tmp_path: Path) -> None:
    for tail in (
        '<section><h2>Comments</h2><div id="livefyre-comments" class="fyre"></div><div class="spacer"> </div></section>',
        '<ol class="refs"><li><span class="citation-comment">Archived from the original on 2 May 2019.</span></li>'
        '<li><span class="citation-comment">Retrieved from the publisher on 7 June 2020.</span></li></ol>',
    ):
        out = read(tmp_path, NEWS.replace("{tail}", tail))
        assert "comments-not-recognised" not in codes(out), tail[:50]
    # A heading over a list that holds text still warns.
    out = read(tmp_path, NEWS.replace("{tail}", '<section><h2>Comments</h2><div class="thread"><p>Anna: so true!</p>'
                                      '<p>Ben: I disagree with the second point.</p></div></section>'))
    assert codes(out).get("comments-not-recognised") == "warning" or out.threads[0].comments
