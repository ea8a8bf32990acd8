"""Saved HTML, session 8 (issue 12): quote boxes of plain elements, post texts inside a
blockquote container, comment texts inside an author block left open, a short text beside
chrome, and plain pages without comments read as articles.  Fixtures written for the project."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.core.errors import FormatError
from analyzer.ingest.html_comments import no_comments
from analyzer.ingest.html_comments.common import unwrap_whole_quote
from analyzer.ingest.htmltext import html_to_text
from tests.ingest.saved_html import read_fixture, read_html

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


# --- htmltext: quote boxes ------------------------------------------------------------------

def test_a_quote_box_with_its_title_outside_the_blockquote_is_one_quotation() -> None:
    html = ('<div><aside class="quote"><div class="title">Anna:</div><blockquote><p>Old words.</p></blockquote>'
            "</aside><p>My reply.</p></div>")
    assert html_to_text(html) == "> Anna:\n>\n> Old words.\n\nMy reply."


def test_a_quote_box_without_any_blockquote_is_a_quotation() -> None:
    html = ('<div class="bbcode_container"><div class="bbcode_quote"><div class="quote_container">'
            '<div class="bbcode_postedby">Originally Posted by <b>Bo</b></div><div class="message">Quoted.</div>'
            "</div></div></div>Mine.")
    assert html_to_text(html) == "> Originally Posted by Bo\n>\n> Quoted.\n\nMine."


def test_nested_quotations_still_nest() -> None:
    assert html_to_text("<blockquote><p>a</p><blockquote>b</blockquote></blockquote><p>c</p>") == "> a\n>\n> > b\n\nc"
    html = ('<aside class="quote"><blockquote><aside class="quote"><blockquote>inner</blockquote></aside>'
            "outer</blockquote></aside>own")
    assert html_to_text(html) == "> > inner\n>\n> outer\n\nown"


@pytest.mark.parametrize(
    "html",
    [
        '<ul><li class="quote"><a href="javascript:;">Quote</a></li></ul>',  # a button, not a box
        '<div class="js-selectToQuote"><p>A whole post.</p></div>',  # a script hook on a post
        '<div class="quote-controls"><p>Tools</p></div>',  # names a quote, is none
    ],
)
def test_what_is_not_a_quote_box(html: str) -> None:
    assert not html_to_text(html).startswith(">")


def test_unwrap_whole_quote() -> None:
    assert unwrap_whole_quote("> a\n>\n> > b\n>\n> own") == "a\n\n> b\n\nown"
    assert unwrap_whole_quote("> quoted\n\nown words") is None
    assert unwrap_whole_quote("plain") is None
    assert unwrap_whole_quote("") is None


# --- readers ----------------------------------------------------------------------------------

def test_board_posts_in_a_blockquote_container_keep_their_own_words() -> None:
    out = read_fixture("en_board_quote_boxes")
    texts = {c.comment_id: c.text for c in out.threads[0].comments}
    # The thread's opening post is the article (one rule with page text; session 9).
    assert "5101" not in texts
    assert (out.threads[0].article.body or "").startswith("I am setting up my first bench.")
    assert texts["5102"] == (
        "> Should I start with a No. 4 smoothing plane or a jack plane?\n\n"
        "A jack plane, without a doubt. It flattens, it trues edges and it smooths well enough while you learn to"
        " sharpen."
    )
    assert texts["5103"].startswith("> Osric Tallowby:\n>\n> A jack plane, without a doubt.\n\nAgreed.")
    notes = [i.detail for i in out.issues if i.code == "comment-system"]
    assert any("2 comment text(s) were quoted through and through" in n for n in notes)


def test_comment_text_inside_an_author_block_left_open() -> None:
    out = read_fixture("de_wpcom_text_in_author_block")
    comments = out.threads[0].comments
    assert [c.author for c in comments] == ["Hedwig Lanzendorf", "Ilse Brackwede"]
    assert comments[0].text.startswith("Wie schön beschrieben!") and "Kommentar von" not in comments[0].text
    assert comments[1].text == "Danke, liebe Hedwig.\n\nDie Krähen waren hier auch da, sie saßen auf dem Schleusentor."


def test_a_short_text_beside_the_byline_in_a_chrome_named_box(tmp_path: Path) -> None:
    """The text of a short comment sat with the author line in "div.info render-reply": the box
    is short, its class names a reply button, and it was left out as chrome (text '')."""
    people = [("Agnes Morrow", "we love you"), ("Bertil Sand", "Long enough comment text. " * 5),
              ("Cora Lind", "Another long comment. " * 5)]
    items = "".join(
        f'<li id="cmt-comment_{n}1-ab"><div class="cmt-comment"><div class="cmt-info cmt-render-reply">'
        f'<cite><a href="/u/{n}"><strong>{name}</strong></a> <span class="cmt-timestamp">'
        f'<abbr title="2011-08-25T02:4{n}:00+0000">2 minutes ago</abbr></span></cite>'
        f'<blockquote class="cmt-commenttext">{text}</blockquote></div></div></li>'
        for n, (name, text) in enumerate(people)
    )
    html = (f"<html><body><article><h1>News</h1>{'<p>Story text of the news page. </p>' * 4}</article>"
            f'<div id="comments"><ol>{items}</ol></div></body></html>')
    texts = [c.text for c in read_html(tmp_path, html).threads[0].comments]
    assert len(texts) == 3
    assert "we love you" in texts[0]


# --- plain pages without comments --------------------------------------------------------------

def test_a_plain_page_without_comments_is_an_article_not_a_refusal() -> None:
    out = read_fixture("en_plain_page_no_comments")
    thread = out.threads[0]
    assert thread.comments == []
    assert thread.article.title == "Notes on restoring a treadle lathe"
    assert (thread.article.body or "").startswith("The lathe came from a barn sale")
    (issue,) = [i for i in out.issues if i.code == no_comments.CODE]
    assert issue.severity == "info"
    assert "5 paragraphs of text" in issue.detail and "author metadata" not in issue.detail
    assert "author or date metadata (author)" in issue.detail and "no comment section" in issue.detail


def test_a_titled_short_text_with_authorship_metadata_is_an_article(tmp_path: Path) -> None:
    html = ('<html><head><meta name="dc:creator" content="R. Vane"></head><body><h1>On kites</h1>'
            "<p>Kites fly best in steady wind over open fields.</p></body></html>")
    out = read_html(tmp_path, html)
    assert out.threads[0].comments == [] and out.threads[0].article.body


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>Hi</p></body></html>",  # a fragment
        "<html><body><h1>Title</h1><p>One line.</p></body></html>",  # a heading over a line
        '<html><head><meta name="author" content="X"></head><body><div>Login</div></body></html>',  # no text
    ],
)
def test_fragments_are_still_refused(tmp_path: Path, html: str) -> None:
    with pytest.raises(FormatError):
        read_html(tmp_path, html)


# --- a comment list printed twice ---------------------------------------------------------------

def _wp_list(texts: dict[str, str]) -> str:
    return '<ol class="comment-list">' + "".join(
        f'<li id="comment-{n}" class="comment depth-1"><article id="div-comment-{n}" class="comment-body">'
        f'<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Reader {n}</b></div>'
        f'<div class="comment-metadata"><time datetime="2024-03-0{n}T10:00:00+00:00">March {n}, 2024</time></div>'
        f'</footer><div class="comment-content"><p>{text}</p></div></article></li>'
        for n, text in texts.items()
    ) + "</ol>"


def test_a_comment_list_printed_twice_is_read_once(tmp_path: Path) -> None:
    texts = {"1": "The first comment on the bridge story.", "2": "A second opinion about the bridge."}
    page = (
        '<html><body><article id="post-9" class="post"><div class="entry-content"><p>Story.</p></div></article>'
        f'<div id="comments">{_wp_list(texts)}</div><div class="hook">{_wp_list(texts)}</div></body></html>'
    )
    out = read_html(tmp_path, page)
    assert [c.comment_id for c in out.threads[0].comments] == ["1", "2"]
    assert out.n_comments_in == 2
    assert any(i.code == "comment-reprinted" and i.severity == "info" for i in out.issues)


def test_a_reused_id_with_another_text_is_kept(tmp_path: Path) -> None:
    page = (
        '<html><body><article id="post-9" class="post"><div class="entry-content"><p>Story.</p></div></article>'
        f'<div id="comments">{_wp_list({"1": "One text here."})}{_wp_list({"1": "Another text here."})}</div>'
        "</body></html>"
    )
    out = read_html(tmp_path, page)
    assert [c.text for c in out.threads[0].comments] == ["One text here.", "Another text here."]
