"""Old Reddit comment pages as saved (issue 12, session 10): every entry is a ``div.thing``, the
text sits in an edit-in-place form, replies nest in ``div.child``.  Markup written for the test
in the layout's shape; names and texts invented."""

from __future__ import annotations

from pathlib import Path

from tests.ingest.saved_html import read_html


def _thing(kind: str, tid: str, author: str | None, text: str, children: str = "", extra: str = "") -> str:
    who = f' data-author="{author}"' if author else ""
    name = f'<a href="https://old.example/user/{author}" class="author may-blank">{author}</a>' if author else "<em>[deleted]</em>"
    return (
        f'<div class=" thing id-t1_{tid} noncollapsed {extra} {kind} " id="thing_t1_{tid}" data-fullname="t1_{tid}" '
        f'data-type="{kind}"{who} data-permalink="/r/pets/comments/abc/x/{tid}/">'
        '<p class="parent"><a name="' + tid + '"></a></p>'
        '<div class="entry unvoted"><p class="tagline"><a href="javascript:void(0)" class="expand">[–]</a>'
        f'{name} <span class="score unvoted">12 points</span> '
        '<time title="Sat Apr 21 22:23:05 2018 UTC" datetime="2018-04-21T22:23:05+00:00" class="live-timestamp">3 hours ago</time></p>'
        f'<form action="#" class="usertext warn-on-unload"><input name="thing_id" value="t1_{tid}" type="hidden">'
        f'<div class="usertext-body may-blank-within md-container "><div class="md"><p>{text}</p></div></div></form>'
        '<ul class="flat-list buttons"><li class="first"><a href="#" class="bylink">permalink</a></li>'
        '<li class="reply-button"><a href="javascript:void(0)">reply</a></li></ul></div>'
        f'<div class="child"><div class="sitetable listing">{children}</div></div></div>'
    )


def _page() -> str:
    more = ('<div class=" thing id-t1_zz9 morechildren " id="thing_t1_zz9" data-fullname="t1_zz9" data-type="morechildren">'
            '<div class="entry"><span class="morecomments"><a href="#">load more comments (4 replies)</a></span></div></div>')
    replies = _thing("comment", "b22", "otter_fan", "Mine does the same with cardboard boxes, every single time.",
                     _thing("comment", "c33", "Pia_K", "Boxes are the best toy money cannot buy.") + more)
    return (
        '<html><body><div class="content"><div class="sitetable linklisting">'
        + '<div class=" thing id-t3_abc link " id="thing_t3_abc" data-fullname="t3_abc" data-type="link" data-author="poster1">'
          '<div class="entry"><p class="title"><a class="title" href="https://img.example/cat.jpg">My cat learned to open doors</a></p>'
          '<p class="tagline">submitted by <a class="author">poster1</a> <time datetime="2018-04-21T20:00:00+00:00">5 hours ago</time></p>'
          "</div></div></div>"
        '<div class="commentarea"><div class="sitetable nestedlisting">'
        + _thing("comment", "a11", "poster1", "Here are two more pictures from the weekend.", replies)
        + _thing("comment", "d44", None, "This comment was removed by its author.")
        + _thing("comment", "e55", "quiet_reader", "Short one.", extra="collapsed")
        + "</div></div></div></body></html>"
    )


def test_old_reddit_page_reads_ids_nesting_and_text(tmp_path: Path) -> None:
    out = read_html(tmp_path, _page())
    comments = out.threads[0].comments
    assert [(c.comment_id, c.parent_id) for c in comments] == [
        ("a11", None), ("b22", "a11"), ("c33", "b22"), ("d44", None), ("e55", None)
    ]
    assert [c.author for c in comments] == ["poster1", "otter_fan", "Pia_K", None, "quiet_reader"]
    assert comments[1].text == "Mine does the same with cardboard boxes, every single time."
    assert comments[0].created_at is not None and comments[0].created_at.hour == 22
    notes = " ".join(i.detail for i in out.issues if i.code == "comment-system")
    assert "1 'load more comments' stub" in notes
