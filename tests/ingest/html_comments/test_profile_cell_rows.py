"""Boards that print each post as a table row of a profile cell beside a message cell.

The structure reader takes table cells for comment blocks where a board prints each post as
one cell per row.  Where a row holds a profile cell (name anchor, rank, "Joined:", "Posts:")
beside the message cell, the profile cell alone is no post: read so, every "post" had the
member card for its text (held-out batch 10: two table-layout boards, 47 cards read as posts,
where main had warned); the row is the post, named by the anchor opening its first cell.
Original markup.
"""

from __future__ import annotations

from pathlib import Path

from tests.ingest.saved_html import read_html

WORDS = [
    "The council says the bridge will be closed for the whole summer, which is a long time.",
    "Closed all summer? The ferry cannot carry everyone who crosses there every morning.",
    "They did the same on the north side two years ago and it took twice as long as planned.",
    "Does anyone know whether cyclists may still cross on the footpath during the works?",
]


def _row(pid: int, name: str, joined: str, posts: int, when: str, words: str) -> str:
    return (
        f'<tr><td width="150" valign="top" class="row1"><a name="{pid}"></a>'
        f'<span class="name"><b>{name}</b></span><br /><span class="postdetails">Regular<br />'
        f"Joined: {joined}<br />Posts: {posts}</span></td>"
        f'<td class="row1" valign="top"><table width="100%"><tr><td>'
        f'<a href="viewtopic.php?p={pid}#{pid}">#</a><span class="postdetails">Posted: {when}'
        f" &nbsp; Subject: Bridge repairs</span></td>"
        f'<td><a href="posting.php?mode=quote&amp;p={pid}">Quote</a></td></tr>'
        f'<tr><td colspan="2"><span class="postbody">{words}</span></td></tr></table></td></tr>'
    )


def test_profile_cells_are_not_read_as_posts(tmp_path: Path) -> None:
    rows = "".join(
        _row(5000 + n, name, f"0{n + 1}.03.2010", 100 * n + 7, f"1{n}.06.2014 15:2{n}", words)
        for n, (name, words) in enumerate(zip(["Tom", "Ulla", "Vera", "Wim"], WORDS, strict=True))
    )
    html = (
        "<html><head><title>Bridge repairs</title></head><body><table class=\"forumline\">"
        '<tr><th class="thLeft">Author</th><th class="thRight">Bridge repairs</th></tr>'
        f"{rows}</table></body></html>"
    )
    out = read_html(tmp_path, html)
    comments = out.threads[0].comments
    texts = [c.text for c in comments]
    assert not any("Joined:" in t or "Posts:" in t for t in texts), texts
    # The row is the post, named by the anchor that opens its first cell.
    assert [c.comment_id for c in comments] == ["5000", "5001", "5002", "5003"]
    assert [c.author for c in comments] == ["Tom", "Ulla", "Vera", "Wim"]
    assert all(w in t for w, t in zip(WORDS, texts, strict=True))


def test_one_cell_per_row_boards_are_still_read_by_their_cells(tmp_path: Path) -> None:
    # The case the cells were admitted for: each post one cell, its byline in the row above.
    rows = "".join(
        f'<tr><td class="author">{name} posted {n + 1} hours ago</td></tr>'
        f'<tr><td class="msg" id="message_{700 + n}">{words}'
        f' <a href="/reply?m={700 + n}">Reply</a> <a href="#message_{700 + n}">Permalink</a></td></tr>'
        for n, (name, words) in enumerate(zip(["Tom", "Ulla", "Vera", "Wim"], WORDS, strict=True))
    )
    html = (
        "<html><head><title>Bridge repairs</title></head><body><h1>Bridge repairs</h1>"
        f'<table class="board">{rows}</table></body></html>'
    )
    out = read_html(tmp_path, html)
    texts = [c.text for c in out.threads[0].comments]
    assert len(texts) == 4
    assert [w[:30] in t for w, t in zip(WORDS, texts, strict=True)] == [True] * 4


def _tbody_post(pid: int, name: str, when: str, words: str) -> str:
    return (
        f'<tbody id="post_{pid}" class="row1"><tr><td class="poster_info"><a id="{pid}"></a>'
        f'<p class="nick"><a href="#">{name}</a></p><p class="joined"><em>Member for:</em> 12 years</p>'
        f'<p class="posts"><em>Posts:</em> {pid % 97}</p></td>'
        f'<td class="message" rowspan="2"><div class="post_head"><p class="post-time">'
        f'<a class="p-link" href="viewtopic.php?p={pid}#{pid}">{when}</a></p>'
        f'<ul class="post-buttons"><li><a href="posting.php?mode=quote&amp;p={pid}">[Quote]</a></li></ul></div>'
        f'<div class="post_wrap"><div class="post_body" id="p-{pid}">{words}</div></div></td></tr>'
        f'<tr><td class="poster_btn"><a href="profile.php?u={pid}">[Profile]</a></td></tr></tbody>'
    )


def test_posts_printed_as_table_bodies_are_read(tmp_path: Path) -> None:
    # Each post one <tbody id="post_N">: its profile cell and message cell in one row, its
    # buttons in a second.  The table body is the post.
    posts = "".join(
        _tbody_post(900 + n, name, f"1{n}-Nov-16 10:3{n}", words)
        for n, (name, words) in enumerate(zip(["Tom", "Ulla", "Vera", "Wim"], WORDS, strict=True))
    )
    html = (
        "<html><head><title>Bridge repairs</title></head><body><h1>Bridge repairs</h1>"
        f'<table class="topic" id="topic_main">{posts}</table></body></html>'
    )
    out = read_html(tmp_path, html)
    comments = out.threads[0].comments
    texts = [c.text for c in comments]
    assert [c.author for c in comments][-3:] == ["Ulla", "Vera", "Wim"]
    assert all(any(w[:30] in t for t in texts) for w in WORDS[1:])
    assert not any("Member for" in t or "Posts:" in t for t in texts)
