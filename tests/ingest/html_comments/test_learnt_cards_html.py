"""A board's member card inside each post's box, under class names no chrome rule knows (issue 12,
session 11): the lines that recur at the edges of the posts' texts ("From:", "Registered:",
"Posts:") are cut, as in page text (learntchrome).  Markup written for the test; names and
texts invented."""

from __future__ import annotations

from pathlib import Path

from tests.ingest.saved_html import read_html

_POSTS = [
    (201, "tarnhelm", "Lisbon", "2012-09-03", "7,316", "The update broke my boot loader; the old kernel still starts fine."),
    (202, "corvid", "nowhere in particular", "2019-01-11", "88", "Check whether the initramfs was rebuilt after the update finished."),
    (203, "tarnhelm", "Lisbon", "2012-09-03", "7,317", "It was not rebuilt. Running the hook by hand fixed it, thank you."),
    (204, "quillon", "Graz", "2021-05-30", "412", "Same here on two machines; the package hook seems to fail silently."),
]


def _page() -> str:
    posts = "".join(
        f'<div id="p{pid}" class="blockpost"><h2><span><a href="viewtopic.php?pid={pid}#p{pid}">2024-08-0{n} 1{n}:13:39</a></span></h2>'
        f'<div class="box"><div class="inbox"><div class="postbody"><div class="postleft"><dl>'
        f'<dt><strong><a href="profile.php?id={pid % 7}">{name}</a></strong></dt><dd class="usertitle">Member</dd>'
        f"<dd><span>From: {place}</span></dd><dd><span>Registered: {since}</span></dd><dd><span>Posts: {count}</span></dd></dl></div>"
        f'<div class="postright"><div class="postmsg"><p>{text}</p></div></div></div></div></div></div>'
        for n, (pid, name, place, since, count, text) in enumerate(_POSTS, start=1)
    )
    return f'<html><body><div id="brdmain"><h1>Boot loader broken after update</h1><div id="punviewtopic">{posts}</div></div></body></html>'


def test_member_card_lines_leave_the_post_texts(tmp_path: Path) -> None:
    thread = read_html(tmp_path, _page()).threads[0]
    texts = [c.text for c in thread.comments]
    assert texts, "the posts are read"
    for text in texts:
        assert "Registered:" not in text and "Posts:" not in text and "From:" not in text, text
    assert any(t.startswith("Check whether the initramfs") for t in texts)
