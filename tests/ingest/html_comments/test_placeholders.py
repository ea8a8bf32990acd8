"""Empty comment items that stand for comments the page does not show (issue 12, session 11):
a board hides comments below a score threshold and prints them as empty list items that still
hold their replies.  Markup written for the test; names and texts invented."""

from __future__ import annotations

from pathlib import Path

from analyzer.pipeline import analyse
from tests.ingest.saved_html import read_html


def _item(cid: int, name: str, text: str, inner: str = "") -> str:
    return (
        f'<li id="comment-{cid}" class="comment"><div class="comment-author"><cite class="fn">{name}</cite></div>'
        f'<div class="comment-meta"><a href="#comment-{cid}">May {cid}, 2025 at 10:00 am</a></div>'
        f"<p>{text}</p>{inner}</li>"
    )


def _page() -> str:
    hidden_reply = _item(4, "lowtide", "Replying to the hidden one: the benchmark numbers are from an older kernel.")
    placeholder = f'<li id="comment-3" class="comment hidden"><ul class="children">{hidden_reply}</ul></li>'
    first = _item(
        1, "quarkly", "The rewrite would take a decade and gain little, as the old thread already showed.",
        f'<ul class="children">{_item(2, "mbyte", "A decade is optimistic; the drivers alone are most of the code.")}{placeholder}</ul>',
    )
    return (
        '<html><body><article id="post-9" class="post"><div class="entry-content"><p>Should the kernel move to another language?</p></div></article>'
        f'<div id="comments"><h2>4 comments</h2><ol class="commentlist">{first}</ol></div></body></html>'
    )


def test_an_empty_item_is_a_placeholder_and_its_reply_keeps_its_depth(tmp_path: Path) -> None:
    out = read_html(tmp_path, _page())
    comments = out.threads[0].comments
    assert [(c.comment_id, c.parent_id, c.declared_depth) for c in comments] == [
        ("1", None, 1),
        ("2", "1", 2),
        ("4", "1", 3),  # depth 3 under a depth-1 parent: the tree builder puts a ghost between
    ]
    assert any(i.code == "comment-placeholder" and "3" in (i.comment_id or "") for i in out.issues)


def test_a_comment_without_text_but_with_an_author_stays(tmp_path: Path) -> None:
    """An image-only or emptied comment still names its author: it is a comment, not a placeholder."""
    page = _page().replace('<p>A decade is optimistic; the drivers alone are most of the code.</p>', "")
    ids = [c.comment_id for c in read_html(tmp_path, page).threads[0].comments]
    assert "2" in ids


def test_the_tree_puts_a_ghost_where_the_hidden_comment_was(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(_page(), encoding="utf-8")
    comments = analyse([page], stages="structure").forest.comments
    ghosts = comments.filter(comments["is_ghost"])
    assert ghosts.height == 1
    reply = comments.filter(comments["comment_id"] == "4").row(0, named=True)
    assert reply["parent_id"] == ghosts["comment_id"][0] and reply["depth"] == 3
