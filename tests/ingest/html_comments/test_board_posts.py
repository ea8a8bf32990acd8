"""A message board's thread as saved (issue 12, session 10): a missing end tag nests every later
post inside the first one, each post carries a profile column with a screen-reader skip link,
and a post number linking to the post's own anchor.  Markup written for the test in the shape
of an old board template; names and texts invented."""

from __future__ import annotations

from pathlib import Path

from tests.ingest.saved_html import read_html


def _post(pid: int, name: str, when: str, text: str, number: int, first: bool = False) -> str:
    # The first post's outer div is never closed: the browser's parser nests the rest in it.
    close = "" if first else "</div>"
    return (
        f'<div id="postRow{pid}" class="message{" threadStarterPost" if first else ""}">'
        '<div class="messageInner">'
        '<div class="messageSidebar"><p class="skipSidebar hidden"><a href="#skip' + str(pid) + '">Skip user information</a></p>'
        f'<div class="messageAuthor"><p class="userName"><a href="index.php?page=User&amp;userID={pid % 97}">{name}</a></p>'
        '<p class="userTitle">~ Board regular since the early days ~</p></div>'
        '<div class="userCredits"><p><a href="#">Posts: 1 234</a></p></div><a id="skip' + str(pid) + '"></a></div>'
        '<div class="messageContent"><div class="messageHeader">'
        f'<p class="messageCount"><a class="messageNumber" href="index.php?page=Thread&amp;postID={pid}#post{pid}">{number}</a></p>'
        f'<p class="smallFont light">{when}</p></div>'
        f'<div class="messageBody"><div id="postText{pid}">{text}</div></div>'
        '<div class="messageFooter"><div class="smallButtons"><ul><li><a href="#">Quote</a></li><li><a href="#">Report</a></li></ul></div></div></div></div>'
        + close
    )


def _page() -> str:
    posts = [
        (7001, "Harbourmaster", "Monday, 3. March 2014, 10:02", "Season list and release notes for everyone who asked.", True),
        (7002, "nightowl", "Monday, 3. March 2014, 11:40", "Thanks, the second episode finally plays with the right audio.", False),
        (7003, "Quill", "Tuesday, 4. March 2014, 08:15", "Could someone check the timing of episode three near the end?", False),
        (7004, "nightowl", "Tuesday, 4. March 2014, 09:30", "Checked it, the last two lines come a second too early.", False),
    ]
    body = "".join(_post(pid, name, when, text, n, first) for n, (pid, name, when, text, first) in enumerate(posts, start=1))
    return f'<html><body><div id="main"><h1>Series XY – Season 2</h1>{body}</div></div></body></html>'


def test_board_posts_nested_by_broken_markup_stay_flat(tmp_path: Path) -> None:
    out = read_html(tmp_path, _page())
    thread = out.threads[0]
    # The first post opens the thread (its class says so): it is the article.
    assert thread.article.author == "Harbourmaster"
    assert "Season list" in (thread.article.body or "")
    assert [(c.author, c.parent_id) for c in thread.comments] == [("nightowl", None), ("Quill", None), ("nightowl", None)]
    assert any(i.code == "forum-opening-post" and "threadStarterPost" in i.detail for i in out.issues)


def test_profile_column_skip_link_and_post_number_leave_the_text(tmp_path: Path) -> None:
    texts = [c.text for c in read_html(tmp_path, _page()).threads[0].comments]
    assert texts[0] == "Thanks, the second episode finally plays with the right audio."
    for text in texts:
        assert "Skip user information" not in text and "Posts:" not in text and "regular" not in text
        assert "postID" not in text


def test_table_rows_indented_by_one_pixel_spacer_images(tmp_path: Path) -> None:
    """A table layout whose rows carry their level as a transparent spacer image 1 pixel high and
    40 pixels wide per level (the convention of old table layouts, still used by a large news
    aggregator): the widths are the thread."""

    def row(cid: int, level: int, name: str, text: str) -> str:
        return (
            f'<tr class="athing comtr" id="{cid}"><td><table><tr>'
            f'<td class="ind"><img src="s.gif" width="{40 * level}" height="1"></td>'
            f'<td class="default"><span class="comhead"><a href="user?id={name}" class="hnuser">{name}</a> '
            f'<span class="age"><a href="item?id={cid}">on Mar 3, 2014</a></span></span>'
            f'<div class="comment"><span class="commtext">{text}</span></div>'
            f'<div class="reply"><a href="reply?id={cid}">reply</a></div></td></tr></table></td></tr>'
        )

    rows = [
        (11, 0, "mora", "The benchmark leaves out the cold start, which is most of the cost here."),
        (12, 1, "tjalf", "Cold start is measured in the second table, a bit further down."),
        (13, 2, "mora", "You are right, I missed that table completely, thanks for pointing it out."),
        (14, 0, "pinewood", "Nice write-up, the charts are very readable even on a phone."),
    ]
    out = read_html(tmp_path, '<html><body><table class="comment-tree">' + "".join(row(*r) for r in rows) + "</table></body></html>")
    assert [(c.comment_id, c.parent_id) for c in out.threads[0].comments] == [("11", None), ("12", "11"), ("13", "12"), ("14", None)]
    # The poster is a link classed as the user, in the row's header.
    assert [c.author for c in out.threads[0].comments] == ["mora", "tjalf", "mora", "pinewood"]


def test_a_link_showing_only_a_userpic_is_no_text(tmp_path: Path) -> None:
    """A collapsed reply shows its poster's userpic (a link around an image) and name only: its
    text is empty, not the journal address the link points to."""

    def comment(cid: int, name: str, text: str) -> str:
        body = f'<div class="comment-body"><p>{text}</p></div>' if text else ""
        return (
            f'<article id="t{cid}" class="entry-comment"><div class="entry-comment__inner"><header>'
            f'<a href="https://{name}.journal.example/" class="entry-comment-userpic"><img src="up.png" alt=""></a>'
            f'<p class="entry-comment-username"><a href="https://{name}.journal.example/"><b>{name}</b></a></p>'
            '<p class="entry-comment-meta"><time datetime="2018-04-12T10:00:00Z">12 April 2018, 10:00</time></p></header>'
            f"{body}</div></article>"
        )

    page = "".join([
        comment(101, "heron", "The launch window moved twice this month, and nobody explained why."),
        comment(102, "stilt", ""),
        comment(103, "plover", "Weather, mostly: the range had storms both times, as far as I know."),
    ])
    out = read_html(tmp_path, f'<html><body><div class="comments">{page}</div></body></html>')
    texts = {c.author: c.text for c in out.threads[0].comments}
    assert texts["stilt"] == ""
    assert "journal.example" not in texts["heron"]
