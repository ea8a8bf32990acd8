"""Alternating posts whose parity is glued to a class word in lower case ("rowodd"/"roweven",
issue 12, session 11): one list, not two groups of which only one is read.  Markup written for
the test in the shape of a small bulletin board; names and texts invented."""

from __future__ import annotations

from pathlib import Path

from analyzer.ingest.html_comments.generic import _signature
from tests.ingest.saved_html import read_html

_POSTS = [
    (101, "tarnhelm", "2024-08-03 16:13:39", "The update broke my boot loader; the old kernel still starts fine."),
    (102, "corvid", "2024-08-03 17:02:11", "Check whether the initramfs was rebuilt after the update finished."),
    (103, "tarnhelm", "2024-08-03 18:45:00", "It was not rebuilt. Running the hook by hand fixed it, thank you."),
    (104, "quillon", "2024-08-04 09:12:30", "Same here on two machines; the package hook seems to fail silently."),
]


def _page() -> str:
    posts = "".join(
        f'<div id="p{pid}" class="blockpost {"rowodd" if n % 2 else "roweven"}">'
        f'<h2><span><a href="viewtopic.php?pid={pid}#p{pid}">{when}</a></span></h2>'
        f'<div class="box"><div class="inbox"><div class="postbody"><div class="postleft"><dl>'
        f'<dt><strong><a href="profile.php?id={pid % 7}">{name}</a></strong></dt><dd class="usertitle">Member</dd></dl></div>'
        f'<div class="postright"><div class="postmsg"><p>{text}</p></div></div></div></div></div></div>'
        for n, (pid, name, when, text) in enumerate(_POSTS, start=1)
    )
    return f'<html><body><div id="brdmain"><h1>Boot loader broken after update</h1><div id="punviewtopic">{posts}</div></div></body></html>'


def test_parity_glued_to_a_class_word_is_left_out_of_the_shape() -> None:
    import lxml.html

    root = lxml.html.fromstring(_page())
    odd, even = root.xpath("//div[@id='p101']")[0], root.xpath("//div[@id='p102']")[0]
    assert _signature(odd) == _signature(even)
    seven = lxml.html.fromstring('<div class="seven"></div>')
    assert _signature(seven)[1] == frozenset({"seven"})


def test_every_post_of_an_alternating_board_is_read(tmp_path: Path) -> None:
    out = read_html(tmp_path, _page())
    texts = [c.text for c in out.threads[0].comments] + [out.threads[0].article.body or ""]
    for _, _, _, text in _POSTS:
        assert any(text in t for t in texts), text
