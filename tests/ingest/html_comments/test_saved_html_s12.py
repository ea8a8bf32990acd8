"""Saved HTML of forum and board systems met in held-out batch 9b (issue 12, session 12).

Markup written for these tests, reproducing what real pages showed (no page copied); names and
texts invented.  Each test fails on main at 67d65cd.
"""

from __future__ import annotations

from pathlib import Path

from tests.ingest.saved_html import read_html

_STORY = (
    "<html><head><title>A 1999 Debate on Tabs Versus Spaces - Newsboard</title></head><body>"
    '<div class="story"><h1>A 1999 Debate on Tabs Versus Spaces</h1>'
    "<p>An old mailing list thread about indentation was dug up this week and argued over again.</p></div>"
)


def _threaded(cid: int, name: str, when: str, body: str, replies: str = "", mode: str = "full") -> str:
    """A news board's threaded comment: ids carry the number in every part, the name is a link
    after "by", a journal link sits beside it, the text is a bare div, replies in a list."""
    details = f'on {when} (<a href="/talk?cid={cid}">#{cid}</a>)' if when else ""
    return (
        f'<li id="thread_{cid}" class="comment {mode}">'
        f'<div id="cbox_{cid}" class="cbox"><div id="ctop_{cid}" class="ctop">'
        f'<h4><a id="clink_{cid}" href="/talk?cid={cid}">Re: tabs</a></h4>'
        f'<div class="details"><span class="by"><span class="byword">by </span>'
        f'<a href="//board.example/~{name}">{name}</a> <span class="uid"><a href="//board.example/~{name}">( 4711 )</a></span></span>'
        f'<span class="otherdetails" id="cdetails_{cid}">{details}'
        f'<small><a href="//board.example/~{name}/journal/" class="user_journal_display" title="Monday March 01, 1999 @01:00AM">Journal</a></small>'
        f"</span></div></div>"
        f'<div class="commentBody"><div id="cbody_{cid}">{body}</div></div></div>'
        f'<ul id="cgroup_{cid}"><li id="chidden_{cid}" class="hide"></li></ul>'
        + (f'<ul id="ctree_{cid}">{replies}</ul>' if replies else "")
        + "</li>"
    )


def _hidden(cid: int, replies: str) -> str:
    """A comment below the reader's threshold: an empty item that still holds its replies."""
    return (
        f'<li id="thread_{cid}" class="comment hidden"><div id="cbox_{cid}" class="cbox"></div>'
        f'<ul id="cgroup_{cid}"><li id="chidden_{cid}" class="hide"></li></ul>'
        f'<ul id="ctree_{cid}">{replies}</ul></li>'
    )


def _board_page() -> str:
    deep = _threaded(305, "quill", "", "Spaces survive every editor; tabs survive every opinion.", mode="oneline")
    inner = _threaded(
        303, "nibbler", "Friday March 05, 1999 @10:05AM",
        "Tabs let every reader choose a width, which is the whole point of them.",
        _hidden(304, deep),
    )
    top = _threaded(
        301, "marlow", "Friday March 05, 1999 @09:51AM",
        "<p>Nobody reads the old thread before answering it, so it never ends.</p>",
        _threaded(302, "ostrander", "", "Bare text straight in the body box, no paragraph at all.", mode="oneline") + inner,
    )
    return (
        _STORY
        + '<h2 class="commentsheading"><a href="/story/1999-debate">A 1999 Debate on Tabs Versus Spaces</a></h2>'
        + f'<ul id="commentlisting">{top}</ul></body></html>'
    )


def test_threaded_board_ids_names_texts_and_hidden_placeholders(tmp_path: Path) -> None:
    out = read_html(tmp_path, _board_page())
    comments = out.threads[0].comments
    assert [(c.comment_id, c.parent_id) for c in comments] == [
        ("301", None),
        ("302", "301"),
        ("303", "301"),
        ("305", "303"),  # below the hidden 304: its depth says a ghost stands between
    ]
    assert [c.author for c in comments] == ["marlow", "ostrander", "nibbler", "quill"]
    assert comments[1].text == "Bare text straight in the body box, no paragraph at all."
    assert comments[0].created_at is not None and comments[0].created_at.hour == 9
    codes = [i.code for i in out.issues]
    assert "missing-comment-id" not in codes  # neither for the comments nor for the placeholder
    assert codes.count("comment-placeholder") == 1
    # The story's title repeated as a heading above the comments announces no count ("1999").
    assert "count-mismatch" not in codes
    assert out.threads[0].article.n_announced is None
    # A user number beside the name is no date: nothing to report as unparsed.
    assert "unparsed-date" not in codes


def test_a_number_only_in_the_item_id_stays_generated(tmp_path: Path) -> None:
    """An id whose number no part of the item repeats may be a position or a widget's: the
    reader keeps its generated id and says so."""
    page = _board_page()
    for part in ("cbox_", "ctop_", "clink_", "cdetails_", "cbody_", "cgroup_", "chidden_", "ctree_"):
        page = page.replace(f'id="{part}', 'data-x="')
    out = read_html(tmp_path, page)
    assert all(c.comment_id.startswith("wp-html-") for c in out.threads[0].comments)
    assert any(i.code == "missing-comment-id" for i in out.issues)


def _post(pid: int, name: str, when: str, body: str, edited: str = "") -> str:
    """A board post as a table-less div template: date row, profile column, message, edit note."""
    note = (
        f'<div class="smallfont"><hr><em>Last edited by {name}; {edited}</em></div>' if edited else ""
    )
    return (
        f'<div id="post{pid}" class="postbit"><div class="head"><a name="post{pid}"></a>{when}'
        f' <a href="#post{pid}" id="postcount{pid}">#{pid % 100}</a></div>'
        f'<div class="side"><a class="bigusername" href="/members/{name}.html">{name}</a>'
        f"<div>Join Date: Jan 2011</div><div>Posts: 812</div></div>"
        f'<div class="message" id="post_message_{pid}">{body}</div>{note}'
        f'<a class="button" href="/newreply.php?p={pid}">Reply</a></div>'
    )


def _edited_page(note_time: str) -> str:
    posts = "".join(
        [
            _post(9101, "tarnwell", "Mar 02, 2026 | 8:15 pm", "The ferry timetable changed again for the spring season."),
            _post(
                9102, "oakhurst", "Mar 02, 2026 | 9:40 pm",
                "Worth checking the harbour office board before booking anything.",
                edited=f'Mar 04, 2026 at <span class="time">{note_time}</span>',
            ),
            _post(9103, "tarnwell", "Mar 03, 2026 | 7:05 am", "Done; the first crossing now leaves an hour later."),
        ]
    )
    return (
        "<html><head><title>Spring ferries - Travel board</title></head><body>"
        f'<div id="posts">{posts}</div></body></html>'
    )


def test_an_edit_note_gives_neither_the_date_nor_text(tmp_path: Path) -> None:
    out = read_html(tmp_path, _edited_page("11:02 am"))
    comments = {c.comment_id: c for c in out.threads[0].comments}
    edited = comments["9102"]
    assert edited.created_at is not None
    assert (edited.created_at.day, edited.created_at.hour, edited.created_at.minute) == (2, 21, 40)
    assert "Last edited" not in (edited.text or "")
    assert "Mar 02, 2026" not in (edited.text or "")


def _boxed_post(pid: int, name: str, when: str, body: str) -> str:
    """A board post whose quote box has no quote class: a label, "Originally Posted by NAME"
    with a link to the quoted post, the quoted words in a panel."""
    return (
        f'<div id="post{pid}"><div class="row head"><a name="post{pid}"></a>{when}</div>'
        f'<div class="row"><div class="cell side"><a class="bigusername" href="/members/{name}.html">{name}</a></div>'
        f'<div class="cell main" id="td_post_{pid}"><div id="post_message_{pid}">{body}</div></div></div>'
        f'<a class="button" href="/newreply.php?p={pid}">Reply</a></div>'
    )


def _box(name: str, pid: int, words: str) -> str:
    return (
        '<div style="margin:1rem"><div><label>Quote:</label></div><div class="panel">'
        f'<div>Originally Posted by <strong>{name}</strong> <a href="https://coast.example/forum/thread-7.html#post{pid}" title="View Post">&#8594;</a></div>'
        f"<div><i>{words}</i></div></div></div>"
    )


def _boxed_page() -> str:
    posts = [
        _boxed_post(5001, "harlan", "Apr 01, 2026 | 8:00 am", "The lighthouse tour runs only on weekends until May."),
        _boxed_post(5002, "pemberton", "Apr 01, 2026 | 9:30 am", "The museum next to it keeps shorter hours in winter too."),
        _boxed_post(
            5003, "quayle", "Apr 01, 2026 | 11:45 am",
            _box("harlan", 5001, "The lighthouse tour runs only on weekends until May.")
            + "Good to know, we were planning a Tuesday visit.",
        ),
        _boxed_post(
            5004, "harlan", "Apr 02, 2026 | 7:10 am",
            _box("quayle", 5003, "Good to know, we were planning a Tuesday visit.")
            + "Then try the harbour walk instead; it is open daily.",
        ),
    ]
    return (
        "<html><head><title>Lighthouse tours - Coast board</title>"
        '<link rel="canonical" href="https://coast.example/forum/thread-7.html"></head><body>'
        f'<div id="posts">{"".join(posts)}</div></body></html>'
    )


def test_a_quote_box_linking_to_the_quoted_post_is_no_reply(tmp_path: Path) -> None:
    out = read_html(tmp_path, _boxed_page())
    comments = out.threads[0].comments
    assert [(c.comment_id, c.parent_id) for c in comments] == [
        ("5001", None), ("5002", None), ("5003", None), ("5004", None),
    ][-len(comments):]  # the first post may be the thread's opening post (the article)
    assert "missing-comment-id" not in [i.code for i in out.issues]
    by_id = {c.comment_id: c for c in comments}
    quoting = by_id["5003"].text or ""
    own = [line for line in quoting.splitlines() if line.strip() and not line.startswith(">")]
    assert own == ["Good to know, we were planning a Tuesday visit."]
    assert "> Originally Posted by harlan" in quoting


def _phpbb_post(pid: int, name: str, when: str, body: str) -> str:
    return (
        f'<div id="p{pid}" class="post has-profile bg{pid % 2 + 1}"><div class="inner">'
        f'<dl class="postprofile"><dt><a href="./memberlist.php?u={pid}" class="username">{name}</a></dt>'
        f"<dd><strong>Joined:</strong> Mon Jan 04, 2021 6:00 pm</dd></dl>"
        f'<div class="postbody"><div id="post_content{pid}"><h3><a href="#p{pid}">Re: allotment water</a></h3>'
        f'<p class="author"><a href="./viewtopic.php?p={pid}#p{pid}">{when}</a></p>'
        f'<div class="content">{body}</div></div></div></div></div>'
    )


def _wrote(name: str, pid: int, when: str, words: str) -> str:
    return (
        f'<blockquote><div><cite><a href="./memberlist.php?u=9">{name}</a> wrote: '
        f'<a href="./viewtopic.php?p={pid}#p{pid}" data-post-id="{pid}">&#8593;</a>'
        f'<div class="responsive-hide">{when}</div></cite>{words}</div></blockquote>'
    )


def test_a_blockquote_naming_its_author_and_post_is_no_reply(tmp_path: Path) -> None:
    posts = [
        _phpbb_post(71, "fenwick", "Sat May 02, 2026 9:00 am", "The tap by the east gate has been dry since Thursday."),
        _phpbb_post(72, "gorse", "Sat May 02, 2026 9:40 am", "Same at the north plots, the council was told twice."),
        _phpbb_post(
            73, "hollins", "Sat May 02, 2026 10:15 am",
            _wrote("gorse", 72, "Sat May 02, 2026 9:40 am", "Same at the north plots, the council was told twice.")
            + " A third call from me this morning; they promised a plumber on Monday.",
        ),
        _phpbb_post(74, "fenwick", "Sat May 02, 2026 11:00 am", "Thanks, I will bring two cans until then."),
    ]
    page = (
        '<html><head><title>Allotment water - Garden forum</title></head><body class="section-viewtopic section-forums">'
        f'<div id="page-body">{"".join(posts)}</div></body></html>'
    )
    out = read_html(tmp_path, page)
    comments = out.threads[0].comments
    texts = [c.text or "" for c in comments]
    # No comment is only the quotation (post 72 is the one text of those words without the
    # reply); the quoting post holds it as "> " lines.
    assert [c.comment_id for c in comments][-3:] == ["72", "73", "74"]
    assert len([t for t in texts if "council was told twice" in t and "plumber" not in t]) == 1
    quoting = next(t for t in texts if "plumber" in t)
    assert any(line.startswith(">") and "council was told twice" in line for line in quoting.splitlines())


def _app_shell(view: str, outside: str = "") -> str:
    """A JavaScript forum saved as HTML: an empty application shell, the thread in noscript."""
    return (
        "<html><head><title>Slow extension page - Example Community</title></head><body>"
        '<div id="app" class="App"><header class="App-header"><h1><a href="https://community.example">Example Community</a></h1></header>'
        f'<main class="App-content"><div id="content"></div>{outside}'
        f'<noscript id="app-content"><div class="container"><h2>Slow extension page</h2><div>{view}</div>'
        '<a href="https://community.example/d/812-slow-extension-page?page=2">Next Page &raquo;</a></div></noscript>'
        '<div id="composer"></div></main></div>'
        '<noscript><div class="Alert">This site is best viewed with JavaScript enabled.</div></noscript>'
        "</body></html>"
    )


_NOSCRIPT_POSTS = [
    ("mossgrove", "The extension list page loads slowly when more than forty extensions are enabled on my install."),
    ("tidewell", "Same here; disabling the statistics widget brought it back to normal for me."),
    ("mossgrove", "That did it. The widget queries every discussion on each load, it seems."),
    ("brackley", "It caches the counts since the last release, so updating should help as well."),
]


def test_a_javascript_forum_is_read_from_its_noscript_view(tmp_path: Path) -> None:
    view = "".join(f'<div><h3>{n}</h3><div class="Post-body"><p>{t}</p></div></div><hr>' for n, t in _NOSCRIPT_POSTS)
    out = read_html(tmp_path, _app_shell(view))
    comments = out.threads[0].comments
    expected = [(n, t) for n, t in _NOSCRIPT_POSTS]
    got = [(c.author, c.text) for c in comments]
    assert got == expected[-len(got):] and len(got) >= 3  # the first may open the thread
    assert all(c.parent_id is None and c.edge_confidence == 0.5 for c in comments)
    codes = [i.code for i in out.issues]
    assert "noscript-view" in codes and "missing-comment-id" in codes


def test_a_noscript_notice_beside_the_content_is_not_read(tmp_path: Path) -> None:
    """A page that shows its content needs no fallback view: the noscript stays unread, even
    when it repeats name-headed blocks (the page's own text is longer)."""
    view = "".join(f'<div><h3>{n}</h3><div class="Post-body"><p>{t}</p></div></div>' for n, t in _NOSCRIPT_POSTS)
    article = (
        '<article id="post-5" class="post"><div class="entry-content">'
        + "<p>" + "A long article paragraph about extension loading and caching in forums. " * 12 + "</p>"
        + "</div></article>"
    )
    out = read_html(tmp_path, _app_shell(view, outside=article))
    assert out.threads[0].comments == []
    assert "noscript-view" not in [i.code for i in out.issues]


def test_board_post_ids_name_a_forum_post() -> None:
    """A board post's content block ``div#post_content123`` names a forum post (the first of
    them then may open the thread); a blog comment does not.  (A box ``div#p123.post`` alone is
    not taken: a news story's board prints its posts so, under the story.)"""
    import lxml.html

    from analyzer.ingest.html_comments import forum_thread

    def element(markup: str) -> object:
        return lxml.html.fragment_fromstring(markup)

    assert forum_thread.is_post(element('<div id="post_content2044">x</div>'))
    assert not forum_thread.is_post(element('<div id="p2044" class="comment">x</div>'))
    assert not forum_thread.is_post(element('<li id="comment-2044" class="comment">x</li>'))
    assert not forum_thread.is_post(element('<div id="post_contents">x</div>'))


def _cell_post(mid: int, n: int, name: str, iso: str, words: str) -> str:
    """A message board's post as one table cell per row: name, time, ordinal, then the text."""
    return (
        f'<tr><td class="msg" id="message_{mid}"><div class="msg_infobox"><a name="{n}"></a>'
        f'<span class="user"><a class="name" data-username="{name}"><b>{name}</b></a></span>'
        f'<span class="post_time" title="{iso}">2 years ago</span><span class="message_num">#{n}</span></div>'
        f'<div class="msg_body_box" id="msg_{n}"><div class="msg_text">{words}</div></div></td></tr>'
    )


def test_posts_as_table_cells_are_read(tmp_path: Path) -> None:
    rows = [
        _cell_post(88001, 1, "kestrel_9", "3/14/2024 9:00:00 AM", "The patch notes for the spring update are finally out."),
        _cell_post(88002, 2, "umberlane", "3/14/2024 9:04:10 AM", "Nothing about the map editor again, sadly."),
        _cell_post(88003, 3, "ferrox", "3/14/2024 9:10:45 AM", "They said the editor comes with the summer release."),
        _cell_post(88004, 4, "kestrel_9", "3/14/2024 9:15:02 AM", "Summer then. At least the balance changes look sensible."),
    ]
    page = (
        "<html><head><title>Spring update notes - Message board</title></head><body>"
        f'<div class="board_wrap"><table class="board message msg_list"><tbody>{"".join(rows)}</tbody></table></div>'
        "</body></html>"
    )
    out = read_html(tmp_path, page)
    comments = out.threads[0].comments
    assert [c.text for c in comments][-3:] == [
        "Nothing about the map editor again, sadly.",
        "They said the editor comes with the summer release.",
        "Summer then. At least the balance changes look sensible.",
    ]
    assert [c.author for c in comments][-3:] == ["umberlane", "ferrox", "kestrel_9"]


def _discussion_comment(cid: str, name: str, when: str, words: str) -> str:
    """A game platform's discussion reply: a hidden pop-up menu under the poster's name."""
    return (
        f'<div class="thread_comment body_text" id="comment_{cid}">'
        f'<div class="thread_comment_avatar"><a href="/id/{name}"><img src="/av/{cid}.jpg"></a></div>'
        f'<div class="thread_comment_content"><div class="thread_comment_author">'
        f'<a class="thread_author_link" href="/id/{name}"><bdi>{name}</bdi></a>'
        f'<div id="author_menu_{cid}" class="popup_block forum_author_menu" style="display: none;">'
        f'<div class="popup_menu"><a class="popup_menu_item" href="/id/{name}">View Profile</a>'
        f'<a class="popup_menu_item" href="/id/{name}/posthistory/">View Posts</a></div></div>'
        f'<span class="thread_comment_timestamp" title="{when}">{when}</span></div>'
        f'<div class="thread_comment_text" id="comment_content_{cid}">{words}</div></div></div>'
    )


def test_a_hidden_menu_under_the_name_is_neither_name_nor_text(tmp_path: Path) -> None:
    replies = "".join(
        _discussion_comment(cid, name, when, words)
        for cid, name, when, words in [
            ("4401", "coppervale", "3 Oct, 2025 @ 9:12am", "Check the power supply rating before anything else."),
            ("4402", "Nightjar", "3 Oct, 2025 @ 9:40am", "A budget board is fine if you do not overclock."),
            ("4403", "coppervale", "3 Oct, 2025 @ 10:05am", "And leave room in the case for a second drive later."),
        ]
    )
    page = (
        "<html><head><title>First build advice :: Hardware discussions</title></head><body>"
        f'<div class="thread_comments" id="comments">{replies}</div></body></html>'
    )
    comments = read_html(tmp_path, page).threads[0].comments
    assert [c.author for c in comments] == ["coppervale", "Nightjar", "coppervale"]
    assert [c.text for c in comments][0] == "Check the power supply rating before anything else."


def _block_post(pid: int, n: int, name: str, stamp: str, words: str, note: str = "") -> str:
    """A board post whose edit note is a paragraph classed as a post edit, its date in the
    post heading's permalink."""
    edit = f'<p class="postedit"><em>Last edited by {name} ({note})</em></p>' if note else ""
    return (
        f'<div id="p{pid}" class="blockpost row{"odd" if n % 2 else "even"}">'
        f'<h2><span><span class="conr">#{n}</span> <a href="viewtopic.php?pid={pid}#p{pid}">{stamp}</a></span></h2>'
        f'<div class="box"><div class="postleft"><dl><dt><strong>{name}</strong></dt><dd class="postavatar"><img src="/img/avatars/{pid}.png" alt=""></dd><dd><span>Posts: 12</span></dd></dl></div>'
        f'<div class="postright"><h3>Re: kernel update</h3><div class="postmsg"><p>{words}</p>{edit}</div></div></div></div>'
    )


def test_an_edit_note_paragraph_and_a_note_run_into_the_date(tmp_path: Path) -> None:
    posts = "".join(
        [
            _block_post(7001, 1, "wrenfield", "2024-08-03 14:22:38", "The update broke suspend on my laptop."),
            _block_post(7002, 2, "ashcombe", "2024-08-03 15:48:19", "Try the previous kernel from the cache first.",
                        note="2024-08-03 15:49:34"),
            _block_post(7003, 3, "wrenfield", "2024-08-03 16:12:45", "That worked, suspend is back."),
        ]
    )
    page = (
        "<html><head><title>Kernel update / Forums</title></head><body>"
        f'<div id="brdmain"><div class="topic">{posts}</div></div></body></html>'
    )
    comments = {c.comment_id: c for c in read_html(tmp_path, page).threads[0].comments}
    edited = comments["7002"]
    assert edited.created_at is not None and (edited.created_at.hour, edited.created_at.minute) == (15, 48)
    assert "Last edited" not in (edited.text or "")

    from analyzer.ingest.html_comments.signs import without_edit_note

    assert without_edit_note("2024-01-05, 03:34 AM (This post was last modified: 2024-01-05, 03:34 AM by Wren)") == (
        "2024-01-05, 03:34 AM"
    )
    assert without_edit_note("5 January 2024") == "5 January 2024"


def test_microdata_posts_take_their_id_from_the_url_fragment(tmp_path: Path) -> None:
    def post(pid: int, name: str, iso: str, words: str) -> str:
        return (
            f'<li class="b-post" itemscope itemtype="https://schema.org/Comment"><a id="post{pid}" class="anchor"></a>'
            '<span class="hide" itemprop="about" itemscope itemtype="https://schema.org/Thing">'
            '<meta itemprop="url" content="https://board.example/forum/44-speakers"></span>'
            f'<meta itemprop="url" content="https://board.example/forum/44-speakers?p={pid}#post{pid}">'
            f'<meta itemprop="publishDate" content="{iso}">'
            f'<div itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">{name}</span></div>'
            f'<div itemprop="text">{words}</div></li>'
        )

    page = (
        "<html><head><title>Speakers - Board</title></head><body><ul class=\"conversation-list\">"
        + post(106414, "hollowell", "2024-04-16T19:03:07-07:00", "The towers fill the room better than I expected.")
        + post(106550, "drayton", "2024-05-07T00:05:40-07:00", "Good to hear, the stands matter as much as the drivers.")
        + "</ul></body></html>"
    )
    out = read_html(tmp_path, page)
    assert [c.comment_id for c in out.threads[0].comments][-1:] == ["106550"]
    assert "missing-comment-id" not in [i.code for i in out.issues]


def test_a_disabled_previous_page_button_is_no_later_page(tmp_path: Path) -> None:
    """The first page of a thread greys out its pager's "Prev Page" button (class disabled,
    no address): the page still starts the thread, its first post is the article."""
    pager = (
        '<div class="pagenav"><a id="pageprev" rel="prev" class="button disabled" href="javascript:void(0)"'
        ' title="Prev Page - Results 1 to 3 of 3">&lsaquo;</a></div>'
    )
    page = _edited_page("11:02 am").replace('<div id="posts">', pager + '<div id="posts">')
    for n in (1, 2, 3):
        page = page.replace(f">#{n}</a>", ">&#9875;</a>")  # no ordinal: the pager decides
    out = read_html(tmp_path, page)
    assert [c.comment_id for c in out.threads[0].comments] == ["9102", "9103"]
    assert out.threads[0].article.author == "tarnwell"


def test_a_noscript_view_with_the_name_heading_in_a_wrapper(tmp_path: Path) -> None:
    view = "".join(
        f'<article><div class="PostUser"><h3 class="PostUser-name">{n}</h3></div>'
        f'<div class="Post-body"><p>{t}</p></div></article><hr>'
        for n, t in _NOSCRIPT_POSTS
    )
    comments = read_html(tmp_path, _app_shell(view)).threads[0].comments
    assert [c.author for c in comments][-3:] == ["tidewell", "mossgrove", "brackley"]
