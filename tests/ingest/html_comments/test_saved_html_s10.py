"""Saved HTML of comment systems no reader knows by name (issue 12, session 10): a minimal
forum whose bylines print the date as the name link's tail and whose replies link their
parent; a Q&A site's click-to-expand placeholders and reply marks; a forum plugin alternating
camelCase parity classes; a threaded forum with "In reply to" lines, letter avatars and the
opening post printed apart; a forum page whose wrapper borrows the first post's date.  Every
page here is written for the test (names and texts invented)."""

from __future__ import annotations

from pathlib import Path

from analyzer.ingest.base import ReaderOutput
from tests.ingest.saved_html import read_html


def _read(tmp_path: Path, body: str) -> ReaderOutput:
    return read_html(tmp_path, f'<html lang="en"><head><title>t</title></head><body>{body}</body></html>')


# --- a minimal forum: nested div.comment, "NAME - 2 years ago", "thread" / "parent" links ---


def _mini(number: int, user: int, name: str, text: str, parent: int | None, replies: str = "") -> str:
    parent_link = f'<a href="/comment/{parent}/#"> parent</a>' if parent else ""
    return (
        f'<div class="comment"><span class="small"><i><a href="/user/{user}/">{name}</a> - 2 years ago</i> |\n'
        f'<a href="/thread/4/#"> thread</a>{parent_link}</span><input type="checkbox" class="collapse small">'
        f'<div><p>{text}</p><sup><a href="/comment/{number}/">reply</a></sup>{replies}</div></div>'
    )


def test_minimal_forum_bylines_and_path_ids(tmp_path: Path) -> None:
    thread = (
        _mini(31, 5, "quillfeather", "Does the board run on a single small server?", None,
              _mini(35, 8, "moss_and_fern", "Mine runs on a tiny board under the stairs.", 31,
                    _mini(40, 5, "quillfeather", "ok", 35)))
        + _mini(29, 11, "tarnwick", "Lovely to see a forum without any scripts at all.", None)
    )
    out = _read(
        tmp_path,
        '<main><h1>Plainboard: a small forum</h1><span class="small"><i><a href="/user/1/">ovenbird</a>'
        " - 2 years ago</i></span><p>Plainboard is a forum you can run anywhere, built to be quick to"
        " set up and easy to keep.</p>" + thread + "</main>",
    )
    comments = out.threads[0].comments
    assert [c.comment_id for c in comments] == ["31", "35", "40", "29"]
    assert [c.parent_id for c in comments] == [None, "31", "35", None]
    assert [c.author for c in comments] == ["quillfeather", "moss_and_fern", "quillfeather", "tarnwick"]
    assert comments[2].text == "ok", "a two-letter reply is read whole, without header or links"
    assert all("thread" not in c.text and "parent" not in c.text and "|" not in c.text for c in comments)


# --- a Q&A site: thread wrapper, click-to-expand placeholders, "childComment" replies ---


def _qa(number: int, name: str, when: str, text: str, child: bool = False) -> str:
    kind = "childComment" if child else "comment"
    return (
        f'<div class="collapsedComment" id="collapsed{number}" onclick="uncollapse({number});">'
        "Comment hidden because of low score. Click to expand.</div>"
        f'<div class="uncollapsedComment" id="uncollapsedComment{number}"><a name="comment{number}"></a>'
        f'<div class="{kind}"><div class="votesWrapper"><div class="votesNet">0</div></div>'
        f'<div class="commentMain"><div class="commentBody"><p>{text}</p><span class="author">- {name} '
        f'<abbr class="timeago" title="{when}">{when[:10]}</abbr> | <a href="/flag?id={number}">Flag</a>'
        "</span></div></div></div></div>"
    )


def test_qa_placeholders_wrapper_and_child_marks(tmp_path: Path) -> None:
    out = _read(
        tmp_path,
        '<div id="question"><h1>Find two friends at distance two</h1><p>Given a friendship graph, tell'
        ' whether two people are friends of a friend.</p></div><div id="commentThread900"><div></div>'
        f'<div id="commentThread101">{_qa(101, "hollis", "2009-03-01T10:00:00Z", "Sort both friend lists and merge them once.")}'
        f'{_qa(102, "ember_q", "2009-03-02T10:00:00Z", "Merging works, a hash set is simpler.", child=True)}</div>'
        f'<div id="commentThread103">{_qa(103, "nadir", "2009-03-03T10:00:00Z", "Breadth first search to depth two is enough.")}</div>'
        f'<div id="commentThread104">{_qa(104, "pell", "2009-03-04T10:00:00Z", "Use a bitset when ids are small.")}</div>'
        "</div>",
    )
    comments = out.threads[0].comments
    assert len(comments) == 4, "the thread wrapper is no comment"
    assert not any(c.text.startswith("Comment hidden") for c in comments)
    assert comments[1].parent_id == comments[0].comment_id, "a childComment answers the comment before it"
    assert [c.parent_id for c in (comments[0], comments[2], comments[3])] == [None, None, None]


# --- a forum plugin's alternating "spOdd" / "spEven" posts, rank tokens ---


def test_camel_parity_and_rank_keep_one_list(tmp_path: Path) -> None:
    posts = "".join(
        f'<div class="postSection {parity} spRank-{rank}" id="post{7000 + i}"><a id="p{7000 + i}"></a>'
        f'<div class="postUser"><div class="postUserName">{name}</div><div class="postUserDate">March {i + 3}, 2012 9:1{i} am</div></div>'
        f'<div class="postContent"><p>{text}</p></div>'
        f'<a class="permalink" href="#p{7000 + i}">link</a></div>'
        for i, (parity, rank, name, text) in enumerate([
            ("spOdd", "member", "larkspur", "Which access point name works for data on this carrier?"),
            ("spEven", "member", "tobin", "Use the short name from the carrier's help page, it worked here."),
            ("spOdd", "newbie", "wrenna", "Same phone, same problem: the browser works, the apps do not."),
            ("spEven", "member", "tobin", "Check that the proxy field is empty, the apps ignore it otherwise."),
        ])
    )
    out = _read(tmp_path, f'<div id="forum"><h1>Data settings</h1>{posts}</div>')
    names = [c.author for c in out.threads[0].comments]
    assert out.threads[0].article.author == "larkspur" or "larkspur" in names
    assert names[-3:] == ["tobin", "wrenna", "tobin"], "odd, even and the newbie's post are one list"


# --- a threaded forum: "In reply to" lines, letter avatars, the opening post apart ---


def _ty(number: int, name: str, text: str, reply_to: tuple[int, str] | None, replies: str = "", letter: bool = True) -> str:
    rr = f'<div class="t-rr">In reply to<a href="#post-{reply_to[0]}">{reply_to[1]}<span>⬆</span></a>:</div>' if reply_to else ""
    avatar = f'<a class="avtr" href="/-/users/{name}">{name[0].upper()}</a>' if letter else ""
    return (
        f'<li><div class="t-p" id="post-{number}">{rr}<div class="t-hd">{avatar}'
        f'<a class="t-by" href="https://example.org/users/{number}"><span>{name}</span></a>'
        f'<span class="t-ago">Sep 18, 2017</span></div><div class="t-bd"><p>{text}</p></div></div>'
        f'<div class="t-as"><a class="t-reply">Reply</a></div><div class="t-replies"><ol>{replies}</ol></div></li>'
    )


def test_in_reply_to_lines_and_opening_post_apart(tmp_path: Path) -> None:
    replies = (
        _ty(2, "orla", "Estimate twice and keep the first guess for the record.", None, letter=False).replace(
            'class="t-p"', 'class="t-p t-solution"')
        + _ty(3, "benedikt", "Ask someone who did a similar task last year.", (1, "askerperson"),
              _ty(4, "corvina", "And write the number down before you start.", None)
              + _ty(5, "dalia", "Plus one, a second opinion halves the error.", (3, "benedikt")))
    )
    out = _read(
        tmp_path,
        '<div class="t-page discussion"><div class="t-p t-ar-p" id="post-1"><h1>How to estimate unknown tasks?</h1>'
        "<p>We keep missing our estimates for tasks nobody has done before. What works?</p></div>"
        f'<ol class="t-res">{replies}</ol></div>',
    )
    comments = out.threads[0].comments
    by_id = {c.comment_id: c for c in comments}
    assert set(by_id) == {"2", "3", "4", "5"}, "the first reply stays a comment; the opening post is apart"
    assert by_id["5"].parent_id == "3" and by_id["5"].edge_confidence == 1.0
    assert by_id["4"].parent_id == "3" and by_id["3"].parent_id is None
    assert not any(c.text.startswith("In reply to") for c in comments)
    assert [by_id[k].author for k in "2345"] == ["orla", "benedikt", "corvina", "dalia"], "letters are avatars"


# --- a forum page whose wrapper borrows the first post's date; related threads; fade-in ---


def test_wrapper_with_borrowed_date_and_related_list(tmp_path: Path) -> None:
    def post(number: int, name: str, when: str, text: str, fade: bool) -> str:
        return (
            f'<div class="Stream-item{" fadeIn" if fade else ""}" data-id="{number}"><article class="Post">'
            f'<header><div class="PostUser"><h3 class="PostUser-name"><a href="/u/{name}"><span class="Avatar">{name[0]}</span>'
            f'<span class="username">{name}</span></a></h3></div><time datetime="{when}">3 days ago</time></header>'
            f'<div class="Post-body"><p>{text}</p></div></article></div>'
        )

    out = _read(
        tmp_path,
        '<div class="DiscussionPage"><div class="Hero"><h2>Moving my plan to the new tariff</h2><a class="Tag" href="/t/plans">Plans &amp; Prices</a></div>'
        '<div class="Stream">'
        + post(501, "Ilvy", "2024-05-16T12:00:00+02:00", "My plan was moved and the bill doubled, who can help?", False)
        + post(502, "Staff_Rona", "2024-05-16T15:00:00+02:00", "Please write to us with your customer number, we check it.", True)
        + post(503, "Ilvy", "2024-05-16T18:00:00+02:00", "Thank you, solved within the hour.", True)
        + '</div><div class="RelatedList" id="related-discussion-list"><h3>Related</h3>'
        '<article><a href="/d/77">Roaming prices</a><span class="username">Pim</span><time datetime="2024-04-01T10:00:00+02:00">April</time></article>'
        '<article><a href="/d/78">Bill too high</a><span class="username">Quin</span><time datetime="2024-04-02T10:00:00+02:00">April</time></article>'
        "</div></div>",
    )
    comments = out.threads[0].comments
    assert [c.comment_id for c in comments] == ["501", "502", "503"]
    assert [c.author for c in comments] == ["Ilvy", "Staff_Rona", "Ilvy"], "the avatar letter is no part of the name"
    assert all(c.parent_id is None for c in comments)


# --- profile lines, ordinal and date links in a forum post's header ---


def test_profile_lines_and_header_links_are_no_text(tmp_path: Path) -> None:
    def post(number: int, name: str, text: str) -> str:
        return (
            f'<div class="panel panel-post" id="post-{number}"><div class="post-side">'
            f'<span class="user-status user-offline"><span class="icon">circle_outline</span>Offline</span>'
            f'<a class="item-title" href="/u/{name}/{number}/">{name}</a><div class="user-title">Regular</div>'
            f'<span class="user-postcount">12 posts</span><span class="user-location">Harbour Town</span></div>'
            f'<div class="post-heading"><a href="/t/topic/9/post/{number}/" class="posted-on" title="2024-05-20T19:04:00Z">7 days ago</a>'
            f'<a href="topic-9.html#pid{number}">#{number - 40}</a></div>'
            f'<div class="post-body"><p>{text}</p><a class="attachment-name item-title" href="/a/{number}/">photo.png</a></div></div>'
        )

    out = _read(
        tmp_path,
        '<div class="forum-thread"><h1>Lost connection</h1><link rel="prev" href="?page=1">'
        + post(42, "kestrel", "The app drops the connection after ten minutes, every time.")
        + post(43, "juniper_k", "Check the proxy timeout, it is ten minutes by default.")
        + post(44, "kestrel", "That was it, thank you, it works now.")
        + "</div>",
    )
    comments = out.threads[0].comments
    assert [c.author for c in comments][-2:] == ["juniper_k", "kestrel"]
    for comment in comments:
        assert not comment.text.startswith(("7 days ago", "#", "Offline", "12 posts", "Harbour")), comment.text
        assert "Regular" not in comment.text and "circle_outline" not in comment.text


def test_json_ld_text_escaped_twice(tmp_path: Path) -> None:
    data = (
        '{"@context": "https://schema.org", "@type": "DiscussionForumPosting", "headline": "Line widths",'
        ' "text": "Why are spectral lines not infinitely thin?", "author": {"@type": "Person", "name": "arlo"},'
        ' "comment": [{"@type": "Comment", "@id": "#comment-11", "text": "Because delta E * delta t &gt; hbar/2.",'
        ' "author": {"@type": "Person", "name": "brin"}, "dateCreated": "2024-05-02T19:30:17+0000"},'
        ' {"@type": "Comment", "@id": "#comment-12", "text": "Doppler broadening adds to it &amp; so does pressure.",'
        ' "author": {"@type": "Person", "name": "cale"}, "dateCreated": "2024-05-02T20:30:17+0000"}]}'
    )
    out = _read(tmp_path, f'<script type="application/ld+json">{data}</script><article><h1>Line widths</h1><p>Why?</p></article>')
    texts = [c.text for c in out.threads[0].comments]
    assert texts == ["Because delta E * delta t > hbar/2.", "Doppler broadening adds to it & so does pressure."]


# --- a JSON island: the comments only as a script's data (a page saved before rendering) ---


def test_json_island_is_read_exactly(tmp_path: Path) -> None:
    state = (
        '{"article": {"id": 5, "title": "Tram line extended"}, "comment": {"error": false, "comments": ['
        '{"com_id": 901, "com_doc_id": "DOC7", "com_date": "2021-05-05T06:31:44Z", "com_final_date": "2021-05-05T09:00:00Z",'
        ' "com_final_text": "Finally the east side gets a tram &amp; a timetable.", "com_final_author": "Ottilie", "com_parent_id": null},'
        '{"com_id": 903, "com_doc_id": "DOC7", "com_date": "2021-05-05T07:10:00Z", "com_final_date": "2021-05-05T09:01:00Z",'
        ' "com_final_text": "<p>It took twelve years.</p><p>Still glad.</p>", "com_final_author": "Bertil", "com_parent_id": 901},'
        '{"com_id": 902, "com_doc_id": "DOC7", "com_date": "2021-05-05T07:00:00Z", "com_final_date": "2021-05-05T09:02:00Z",'
        ' "com_final_text": "Who pays for the night service?", "com_final_author": "Rasa", "com_parent_id": null}]}}'
    )
    out = _read(
        tmp_path,
        '<article><h1>Tram line extended</h1><div class="entry-content"><p>The city opened the new line today.</p></div></article>'
        '<div id="comments-app"></div>'
        f"<script>window.comments.__STATE__ = {state};\nwindow.comments.init();</script>",
    )
    comments = out.threads[0].comments
    assert [c.comment_id for c in comments] == ["901", "903", "902"]
    assert [c.parent_id for c in comments] == [None, "901", None]
    assert all(c.edge_confidence == 1.0 for c in comments)
    assert [c.author for c in comments] == ["Ottilie", "Bertil", "Rasa"]
    assert comments[0].text == "Finally the east side gets a tram & a timetable."
    assert comments[1].text == "It took twelve years.\n\nStill glad."
    assert comments[0].created_at is not None and comments[0].created_at.hour == 6, "the first date, not the edit's"


def test_json_island_ignores_lists_that_are_no_comments(tmp_path: Path) -> None:
    menu = '{"menu": [{"id": 1, "text": "Home"}, {"id": 2, "text": "Sport"}], "posts": [{"id": 1, "title": "A"}, {"id": 2, "title": "B"}]}'
    out = read_html(
        tmp_path,
        '<html><body><article><h1>Quiet page</h1><div class="entry-content"><p>No one has commented yet.</p></div></article>'
        f'<script type="application/json">{menu}</script></body></html>',
    )
    assert out.threads[0].comments == []
