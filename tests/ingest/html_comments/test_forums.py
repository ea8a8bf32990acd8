"""XenForo forum threads: flat posts whatever the parsed markup nests (issue 12, session 6).

Pages written for the test; the phenomenon (a theme leaving a ``div`` open in every post, so
the parser nests each post in the previous one) was met on a real XenForo thread.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import lxml.html

from analyzer.ingest import wp_html
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source
from analyzer.ingest.html_comments import forums

FIXTURE = Path(__file__).resolve().parents[3] / "fixtures" / "de_xenforo_unclosed_chain" / "input.html"


def read(tmp_path: Path, html: str) -> ReaderOutput:
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    return wp_html.read(Source(path), ReadOptions())


def test_fixture_really_nests_each_post_in_the_previous_one() -> None:
    root = lxml.html.fromstring(FIXTURE.read_bytes())
    posts = root.xpath("//article[@data-content]")
    assert len(posts) == 4
    # The parser's tree: post 2 inside post 1, post 3 inside post 2, ...
    for outer, inner in zip(posts, posts[1:], strict=False):
        assert outer in list(inner.iterancestors())


def test_chained_posts_come_out_flat_with_their_own_author_date_and_text(tmp_path: Path) -> None:
    out = read(tmp_path, FIXTURE.read_text(encoding="utf-8"))
    comments = out.threads[0].comments
    article = out.threads[0].article
    # The opening post (7101) is the thread's article, only the replies are comments (session 9).
    assert [(c.comment_id, c.parent_id) for c in comments] == [("7104", None), ("7109", None), ("7122", None)]
    assert [c.author for c in comments] == ["Gärtner_Uwe", "Kräuterhexe", "Balkonia"]
    assert comments[0].created_at == datetime(2021, 4, 3, 9, 40, 2, tzinfo=UTC)
    assert article.author == "Kräuterhexe"
    # A post's text is its own, never the next post's (which sits inside it in the DOM).
    assert (article.body or "").startswith("Hallo zusammen") and "Untersetzer" not in (article.body or "")
    assert all(c.edge_confidence == 1.0 for c in comments)
    notes = " | ".join(i.detail for i in out.issues if i.code == "comment-system")
    assert "3 post(s) sat inside the previous post" in notes
    assert [i.code for i in out.issues if i.code == "forum-opening-post"] == ["forum-opening-post"]
    assert not [i for i in out.issues if i.severity != "info"]


XF1 = """<html lang="en"><head><title>Valve ticking noise | Old Bikes Forum</title></head><body>
<ol class="messageList" id="messageList">
<li id="post-501" class="message" data-author="rusty_spoke">
 <div class="messageUserInfo"><a class="username" href="members/rusty.3/">rusty_spoke</a></div>
 <div class="messageInfo"><div class="messageContent"><article>
  <blockquote class="messageText SelectQuoteContainer ugc baseHtml">My 1982 tourer ticks at idle, louder when warm. Valves or cam chain?</blockquote>
 </article></div>
 <div class="messageMeta"><a href="threads/ticking.9/#post-501" class="datePermalink"><abbr class="DateTime" data-time="1400054400">May 14, 2014 at 8:00 AM</abbr></a></div>
 </div>
<li id="post-507" class="message" data-author="wrench_wendy">
 <div class="messageInfo"><div class="messageContent"><article>
  <blockquote class="messageText SelectQuoteContainer ugc baseHtml">Check the valve clearances first, it is the cheaper job and often the cause.</blockquote>
 </article></div>
 <div class="messageMeta"><a href="threads/ticking.9/#post-507" class="datePermalink"><span class="DateTime" title="May 15, 2014 at 6:30 PM">Thursday at 6:30 PM</span></a></div>
 </div></li>
</ol>
<div class="message" id="post-999">Your message has been saved.</div>
</body></html>"""


def test_xenforo_1_posts_with_unix_and_title_dates() -> None:
    found = forums.extract(lxml.html.fromstring(XF1))
    assert found is not None
    assert [(c.comment_id, c.parent_id, c.author) for c in found.comments] == [
        ("501", None, "rusty_spoke"), ("507", None, "wrench_wendy")
    ]
    assert found.comments[0].created_at == datetime(2014, 5, 14, 8, 0, tzinfo=UTC)
    # A title date is left to the reader's multilingual parser (and reported if unparsed).
    assert found.comments[1].created_at is None and found.comments[1].date_text == "May 15, 2014 at 6:30 PM"
    assert found.comments[0].text.startswith("My 1982 tourer")
    # The status box with a post-like id is no post: no data-author, no XenForo class.
    assert "999" not in [c.comment_id for c in found.comments]


def test_pages_without_xenforo_posts_are_left_to_other_readers() -> None:
    page = '<html><body><div class="message" id="post-3">Saved.</div><article class="post" id="post-12">Blog</article></body></html>'
    assert forums.extract(lxml.html.fromstring(page)) is None


def test_a_post_printed_twice_is_read_once() -> None:
    post = (
        '<article class="message message--post js-post" data-author="a" data-content="post-8">'
        '<div class="bbWrapper">Same post, shown again in a preview panel further down.</div></article>'
    )
    found = forums.extract(lxml.html.fromstring(f"<html><body>{post}<div>{post}</div></body></html>"))
    assert found is not None and [c.comment_id for c in found.comments] == ["8"]
