"""Saved HTML of systems met in session 11 (issue 12): a board printing each post as a table, a
schema.org question-and-answer page, reader letters with a "NAME / DATE" line, an aggregator's
table thread, and boards nested hundreds deep by a missing end tag.  Markup written for the
tests in the shape of those layouts; names and texts invented."""

from __future__ import annotations

import time
from pathlib import Path

from tests.ingest.saved_html import read_html

# --- A board that prints each post as a table ------------------------------------------------


def _board_post(pid: int, index: int, name: str, when: str, body: str, title: str = "") -> str:
    return (
        f'<table class="post" id="post{pid}" data-idx="{index}"><tr class="seen{index % 2 + 1}">'
        f'<td class="userinfo userid-{pid % 1000}"><dl class="userinfo"><dt class="author">{name}</dt>'
        f'<dd class="registered">Mar 3, 2009</dd><dd class="title">{title}</dd></dl></td>'
        f'<td class="postbody">{body}<p class="editedby"></p></td></tr>'
        f'<tr><td class="postdate"><a href="#post{pid}" title="Link to this post">#</a> '
        f'<a class="user_jump" href="showthread.php?threadid=77&amp;userid={pid % 1000}">?</a> {when}</td>'
        '<td class="postlinks"><ul class="postbuttons"><li><a href="newreply.php?action=newreply&amp;postid='
        f'{pid}">Quote</a></li></ul></td></tr></table>'
    )


def _quote(name: str, pid: int, words: str) -> str:
    return (
        f'<div class="bbc-block"><h4><a class="quote_link" href="/showthread.php?goto=post&amp;postid={pid}#post{pid}">'
        f"{name} posted:</a></h4><blockquote>{words}</blockquote></div><br>"
    )


def _board_page(first_index: int, pager: str) -> str:
    posts = [
        (
            9001,
            "Ferryman",
            "Sep 2, 2013 10:04",
            "The ferry timetable changes again next month, bring patience.",
        ),
        (
            9002,
            "gullwing",
            "Sep 2, 2013 10:40",
            _quote("Ferryman", 9001, "bring patience") + "Patience is all we have left.",
        ),
        (
            9003,
            "Pilot Fish",
            "Sep 2, 2013 11:02",
            _quote("gullwing", 9002, "all we have left") + "And the vending machine.",
        ),
        (9004, "Ferryman", "Sep 2, 2013 12:30", "The vending machine has been empty since spring."),
    ]
    body = "".join(
        _board_post(
            pid, first_index + n, name, when, text, title="Harbour regular" if n % 2 else ""
        )
        for n, (pid, name, when, text) in enumerate(posts)
    )
    return (
        '<html><head><title>Ferry talk - The Board</title></head><body><div id="thread">'
        f"{pager}{body}</div></body></html>"
    )


_LATER_PAGER = (
    '<div class="pages top"><a href="showthread.php?threadid=77&amp;pagenumber=1" title="First page">«</a>'
    '<a href="showthread.php?threadid=77&amp;pagenumber=4" title="Previous page">‹</a>'
    '<select><option value="4">4</option><option value="5" selected="selected">5</option></select></div>'
)


def test_table_posts_with_quote_headings_are_read(tmp_path: Path) -> None:
    out = read_html(tmp_path, _board_page(161, _LATER_PAGER))
    comments = out.threads[0].comments
    # Before: the quote headings ("NAME posted:" linking to the quoted post) made the posts look
    # like teasers and the page was refused.
    assert [c.comment_id for c in comments] == ["9001", "9002", "9003", "9004"]
    assert [c.author for c in comments] == ["Ferryman", "gullwing", "Pilot Fish", "Ferryman"]
    assert all(c.parent_id is None for c in comments)
    assert comments[1].created_at is not None and comments[1].created_at.hour == 10
    for comment in comments:
        assert "Mar 3, 2009" not in comment.text and "Harbour regular" not in comment.text
    assert comments[1].text.endswith("Patience is all we have left.")


def test_post_number_and_page_menu_tell_a_later_page(tmp_path: Path) -> None:
    out = read_html(tmp_path, _board_page(161, _LATER_PAGER))
    notes = [i.detail for i in out.issues if i.code == "forum-opening-post"]
    assert notes and "post 161" in notes[0]
    assert len(out.threads[0].comments) == 4


def test_previous_page_link_alone_tells_a_later_page(tmp_path: Path) -> None:
    page = _board_page(161, _LATER_PAGER).replace(' data-idx="161"', "")
    out = read_html(tmp_path, page)
    assert len(out.threads[0].comments) == 4


def test_first_page_of_the_thread_opens_with_the_article(tmp_path: Path) -> None:
    out = read_html(tmp_path, _board_page(1, ""))
    thread = out.threads[0]
    assert thread.article.author == "Ferryman"
    assert [c.comment_id for c in thread.comments] == ["9002", "9003", "9004"]


# --- A schema.org question-and-answer page ---------------------------------------------------


def _qa_comment(cid: int, text: str, name: str, when: str) -> str:
    return (
        f'<li id="comment-{cid}" class="comment js-comment" data-comment-id="{cid}">'
        '<div class="comment-text"><div class="comment-body">'
        f'<span class="comment-copy">{text}</span> – <a href="/users/{cid % 50}/x" class="comment-user">{name}</a> '
        f'<span class="comment-date"><span title="{when}Z" class="relativetime-clean">{when}</span></span>'
        "</div></div></li>"
    )


def _qa_post(kind: str, pid: int, author: str, when: str, text: str, comments: str) -> str:
    itemtype = "Question" if kind == "question" else "Answer"
    attrs = (
        f'id="question" data-questionid="{pid}"'
        if kind == "question"
        else f'id="answer-{pid}" data-answerid="{pid}"'
    )
    prop = "" if kind == "question" else ' itemprop="suggestedAnswer"'
    return (
        f'<div {attrs} class="{kind}" itemscope itemtype="https://schema.org/{itemtype}"{prop}>'
        f'<div class="s-prose js-post-body" itemprop="text"><p>{text}</p></div>'
        f'<div class="post-signature"><div class="user-info"><span class="relativetime" title="{when}">{when}</span>'
        f'<div itemprop="author" itemscope itemtype="https://schema.org/Person"><a href="/users/1">{author}</a>'
        f'<span itemprop="name" class="d-none">{author}</span></div></div></div>'
        f'<time itemprop="dateCreated" datetime="{when}"></time>'
        f'<div id="comments-{pid}" class="comments js-comments-container"><ul class="comments-list">{comments}</ul></div></div>'
    )


def _qa_page() -> str:
    question = _qa_post(
        "question",
        500,
        "asker",
        "2020-01-02T10:00:00",
        "When does the past tense of this verb take the other auxiliary?",
        _qa_comment(
            900, "Could you add the sentence you saw it in?", "editor", "2020-01-02 10:05:00"
        ),
    )
    first = _qa_post(
        "answer",
        501,
        "grammarian",
        "2020-01-02T11:00:00",
        "It depends on whether the verb describes a change of state or an activity.",
        _qa_comment(
            901, "Is that rule also true for the regional dialects?", "asker", "2020-01-02 11:20:00"
        )
        + _qa_comment(
            902,
            "Mostly, though the south keeps the older form.",
            "grammarian",
            "2020-01-02 11:45:00",
        ),
    )
    second = _qa_post(
        "answer",
        502,
        "linguist",
        "2020-01-03T09:00:00",
        "A grammar book lists the verbs that switch.",
        "",
    )
    return (
        '<html><body><div itemscope itemtype="https://schema.org/QAPage"><h1>Past tense auxiliaries</h1>'
        f'{question}<div id="answers">{first}{second}</div></div></body></html>'
    )


def test_qa_answers_and_their_comments_nest(tmp_path: Path) -> None:
    out = read_html(tmp_path, _qa_page())
    got = [(c.comment_id, c.parent_id, c.author) for c in out.threads[0].comments]
    # Before: WordPress core read the three comments alone, flat, and no answer.
    assert got == [
        ("900", None, "editor"),
        ("501", None, "grammarian"),
        ("901", "501", "asker"),
        ("902", "501", "grammarian"),
        ("502", None, "linguist"),
    ]
    texts = {c.comment_id: c.text for c in out.threads[0].comments}
    assert texts["901"] == "Is that rule also true for the regional dialects?"
    assert texts["501"].startswith("It depends on whether")


# --- Reader letters with a "NAME / DATE" line -------------------------------------------------


def test_name_element_with_date_after_a_slash_is_a_byline(tmp_path: Path) -> None:
    letters = "".join(
        '<div class="letter"><div class="letter_inner">'
        f'<div class="letter_meta"><span class="autor">{name}</span> / {day}.04.2020</div>'
        f"<p>{text}</p></div></div>"
        for name, day, text in [
            (
                "Greta Hollander",
                21,
                "The numbers in the second paragraph do not add up to the total given.",
            ),
            ("Jonas Feld", 22, "Thank you for the careful summary of a confusing week."),
            ("Ilse Brandt", 22, "I would have liked to read the source of the third claim."),
        ]
    )
    page = (
        '<html lang="de"><body><article><h1>Bericht zur Lage</h1><p>'
        + "Ein langer Bericht. " * 30
        + "</p></article>"
        f'<div class="section_letters"><div id="comment_entries"><div class="headline">Leserpost</div>{letters}</div></div>'
        "</body></html>"
    )
    comments = read_html(tmp_path, page).threads[0].comments
    # Before: no comment and no warning (a silent zero).
    assert [c.author for c in comments] == ["Greta Hollander", "Jonas Feld", "Ilse Brandt"]
    assert comments[0].created_at is not None and comments[0].created_at.day == 21
    assert comments[1].text == "Thank you for the careful summary of a confusing week."


# --- An aggregator's table thread --------------------------------------------------------------


def _aggregator_row(cid: int, level: int, user: str, age: str, iso: str, text: str) -> str:
    return (
        f'<tr class="athing comtr" id="{cid}"><td><table border="0"><tr>'
        f'<td class="ind" indent="{level}"><img src="s.gif" height="1" width="{level * 40}"></td>'
        f'<td valign="top" class="votelinks"><a id="up_{cid}" href="vote?id={cid}&amp;how=up"><div class="votearrow"></div></a></td>'
        f'<td class="default"><div><span class="comhead"><a href="user?id={user}" class="hnuser">{user}</a> '
        f'<span class="age" title="{iso}"><a href="item?id={cid}">{age}</a></span> <span id="unv_{cid}"></span>'
        f'<span class="navs"> | <a href="#{cid + 1}" class="clicky">next</a> '
        f'<a class="togg clicky" id="{cid}" href="javascript:void(0)">[–]</a></span></span></div><br>'
        f'<div class="comment"><div class="commtext c00">{text}</div>'
        f'<div class="reply"><p><a href="reply?id={cid}">reply</a></p></div></div></td></tr></table></td></tr>'
    )


def test_aggregator_rows_drop_age_and_toggle_from_the_text(tmp_path: Path) -> None:
    rows = [
        (
            40100001,
            0,
            "kestrel",
            "3 hours ago",
            "2024-05-01T09:00:00",
            "The second chart mixes two units.",
        ),
        (
            40100022,
            1,
            "mudlark",
            "2 hours ago",
            "2024-05-01T10:00:00",
            "The caption does say which axis is which.",
        ),
        (
            40100035,
            0,
            "wren",
            "1 hour ago",
            "2024-05-01T11:00:00",
            "A link to the raw numbers would help.",
        ),
    ]
    page = (
        '<html op="item"><body><table id="hnmain"><tr><td><table class="fatitem"><tr class="athing" id="40100000">'
        '<td class="title"><a href="https://example.org/">How the chart was made</a></td></tr></table>'
        '<table class="comment-tree">'
        + "".join(_aggregator_row(*r) for r in rows)
        + "</table></td></tr></table></body></html>"
    )
    comments = read_html(tmp_path, page).threads[0].comments
    assert [(c.comment_id, c.parent_id, c.author) for c in comments] == [
        ("40100001", None, "kestrel"),
        ("40100022", "40100001", "mudlark"),
        ("40100035", None, "wren"),
    ]
    # Before: every text began "3 hours ago (item?id=…) | next [–]" and no comment had a date.
    assert [c.text for c in comments] == [r[5] for r in rows]
    assert all(c.created_at is not None for c in comments)


# --- Boards nested hundreds deep ---------------------------------------------------------------


def _deep_board(n: int) -> str:
    posts = "".join(
        f'<article class="message" id="postRow{i + 1}"><div class="messageSidebar"><a class="username" href="/user/{i}-x/">User{i}</a>'
        f'</div><div class="messageContent"><header><a href="#post{i + 1}"><time datetime="2020-01-01T10:{i % 60:02d}:00+01:00">'
        f'1. Januar 2020</time></a></header><div class="messageText"><p>Text number {i} of this post, long enough to count.</p></div>'
        for i in range(n)
    )  # no end tags: each post nests in the one before, as a board's missing end tag does
    return f'<html><body><h1>Thema</h1><div id="comments" class="messageList">{posts}</div></body></html>'


def test_a_deep_chain_of_posts_reads_in_linear_time(tmp_path: Path) -> None:
    started = time.process_time()
    out = read_html(tmp_path, _deep_board(300))
    elapsed = time.process_time() - started
    assert len(out.threads[0].comments) >= 299
    # Main before this session: 20 s and more for 300 posts (quadratic and cubic walks per post);
    # now about half a second on the project's machine.  A loose bound for busy machines.
    assert elapsed < 6.0, elapsed


# --- Replies in a list right after the comment's own box ------------------------------------


def _item(cid: int, name: str, when: str, text: str, replies: str = "") -> str:
    sub = f'<ul class="comment-list level-2">{replies}</ul>' if replies else ""
    return (
        f'<li class="comment-list__item"><div class="comment-item" id="comment_{cid}">'
        f'<div class="comment-item__head"><strong>{name}</strong> <span class="comment-item__when">{when}</span></div>'
        f'<div class="comment-item__text">{text}</div></div>{sub}</li>'
    )


def test_list_right_after_a_comment_holds_its_replies(tmp_path: Path) -> None:
    replies = _item(
        5512, "Ольга", "12 марта 2021, 10:15", "Согласна, особенно про расписание автобусов."
    ) + _item(5513, "Пётр", "12 марта 2021, 10:40", "А мне кажется, что проблема совсем в другом.")
    top = _item(
        5510,
        "Иван",
        "12 марта 2021, 09:30",
        "Хорошая статья, но не хватает цифр по району.",
        replies,
    )
    other = _item(
        5520, "Марина", "12 марта 2021, 11:05", "Спасибо автору за подробный разбор ситуации."
    )
    page = (
        '<html lang="ru"><body><article><h1>Новости района</h1><p>'
        + "Длинный текст статьи о районе. " * 20
        + "</p></article>"
        f'<section class="comments"><h2>Комментарии (4)</h2><ul class="comment-list level-1">{top}{other}</ul></section>'
        "</body></html>"
    )
    comments = read_html(tmp_path, page).threads[0].comments
    # Before: the replies in the list after "div.comment-item" were all read as top level.
    assert [(c.comment_id, c.parent_id) for c in comments] == [
        ("5510", None),
        ("5512", "5510"),
        ("5513", "5510"),
        ("5520", None),
    ]
    # The name in the header line before the date is the author, not the text's first line.
    assert [c.author for c in comments] == ["Иван", "Ольга", "Пётр", "Марина"]
    assert comments[0].text == "Хорошая статья, но не хватает цифр по району."


# --- A board's table rows with the date as plain text ----------------------------------------


def _table_row(pid: int, name: str, when: str, text: str) -> str:
    return (
        f'<table class="messagetable"><tr class="message cBackCouleurTab{pid % 2 + 1}">'
        f'<td class="messCase1" valign="top"><div><a name="t{pid}"></a></div><div><b class="s2">{name}</b></div>'
        f'<div class="avatar_center"><img src="/avatars/{pid}.gif" alt=""></div><span class="MoodStatus">Profil : Membre</span></td>'
        f'<td class="messCase2" valign="top"><div class="toolbar"><div class="left">Posté le {when}&nbsp;&nbsp;'
        f'<a href="/forum2.php?config=x.inc&amp;post={pid}#t{pid}"><img src="/icones/message.gif" alt="n°{pid}"></a>'
        f'&nbsp;<a href="/message.php?numrep={pid}"><img src="/icones/ifr.gif" alt="Répondre"></a></div></div>'
        f'<div id="para{pid}"><p>{text}</p></div></td></tr></table>'
    )


def test_table_rows_with_a_plain_text_date_are_read(tmp_path: Path) -> None:
    rows = [
        (
            880101,
            "bricoleur77",
            "12-03-2015&nbsp;à&nbsp;10:11:12",
            "Ma box redémarre toutes les nuits vers trois heures.",
        ),
        (
            880117,
            "Pixelmaniac",
            "12-03-2015&nbsp;à&nbsp;10:25:40",
            "Regarde si une mise à jour est programmée à cette heure-là.",
        ),
        (
            880123,
            "Gaston_L",
            "12-03-2015&nbsp;à&nbsp;13:47:59",
            "Même souci ici, merci pour l’astuce.",
        ),
    ]
    page = (
        '<html lang="fr"><head><title>Box qui redémarre</title></head><body><div id="mesdiscussions">'
        + "".join(_table_row(*r) for r in rows)
        + "</div></body></html>"
    )
    out = read_html(tmp_path, page)
    comments = out.threads[0].comments
    # Before: the page was refused (no article, no comment section understood).
    assert [(c.comment_id, c.author) for c in comments] == [(str(r[0]), r[1]) for r in rows]
    assert [c.text for c in comments] == [r[3] for r in rows]
    assert comments[0].created_at is not None and (
        comments[0].created_at.month,
        comments[0].created_at.hour,
    ) == (3, 10)


def test_author_cue_that_is_a_byline_gives_name_and_date(tmp_path: Path) -> None:
    items = "".join(
        f'<li id="comment-{cid}"><p>{text}</p><p><cite>Comment by <a href="http://example.org/{cid}" class="url">{name}</a>'
        f' — {when} @ <a href="#comment-{cid}">{time_}</a></cite></p></li>'
        for cid, name, when, time_, text in [
            (
                9257,
                "Mara Lind",
                "17.07, 2011",
                "13:04",
                "So the rule applies only when the profile is public, right?",
            ),
            (
                9258,
                "Daniel",
                "17.07, 2011",
                "13:10",
                "The terms say so already, everyone accepted them when signing up.",
            ),
        ]
    )
    page = (
        '<html lang="de"><body><div class="post"><h2>Pseudonyme</h2><p>'
        + "Ein Beitrag über Namen im Netz. " * 20
        + "</p></div>"
        f'<h2 id="comments">2 Comments</h2><ol id="commentlist">{items}</ol></body></html>'
    )
    comments = read_html(tmp_path, page).threads[0].comments
    # Before: the whole line "Comment by NAME — DATE @ TIME" was the author, and no date.
    assert [c.author for c in comments] == ["Mara Lind", "Daniel"]
    assert comments[0].created_at is not None and (
        comments[0].created_at.day,
        comments[0].created_at.hour,
    ) == (17, 13)


def test_sections_cross_linked_by_number_are_no_comments(tmp_path: Path) -> None:
    sections = "".join(
        f'<section id="{sid}" class="PageRoot__Section"><a id="{sid}" class="PageRoot__anchor"></a>'
        f'<div class="PageContent"><h2>Part {n}</h2><p>Our packaging uses less paper every year, part {n} of the plan.</p>'
        f'<p>Read on in <a href="https://shop.example.org/c/plan/s100#{other}">the next part</a>.</p></div></section>'
        for n, (sid, other) in enumerate(
            [(10034035, 10034036), (10034036, 10034037), (10034037, 10034035)], start=1
        )
    )
    page = (
        '<html lang="en"><body><article class="post"><h1>Our plan</h1><div class="entry-content">'
        f'<div class="PageRoot__Sections">{sections}</div></div></article></body></html>'
    )
    out = read_html(tmp_path, page)
    # A link to another section's numbered anchor is no permalink of a comment.
    assert sum(len(t.comments) for t in out.threads) == 0
