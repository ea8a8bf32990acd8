"""Which ``<form>`` elements hold text (issue 12, session 10).  A form a reader fills in (reply,
login, search) holds labels and is left out; a form without fields is a display wrapper (an
edit-in-place form around a comment's text); a form around the whole page (ASP.NET WebForms)
holds the article and the comments.  Markup written for the tests; texts invented."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from analyzer.ingest import htmltext
from analyzer.ingest.base import COMMENTS_NOT_RECOGNISED
from tests.ingest.saved_html import read_html


def test_a_form_without_fields_is_text_and_a_form_with_fields_is_not() -> None:
    shown = lxml.html.fromstring('<div><form><input type="hidden" name="id" value="1"><p>Kept words.</p></form></div>')
    filled = lxml.html.fromstring('<div><form><label>Name</label><input type="text" name="n"><p>Form label text.</p></form></div>')
    assert "Kept words." in htmltext.element_to_text(shown)
    assert "Form label text." not in htmltext.element_to_text(filled)


def _comment(cid: int, name: str, text: str) -> str:
    return (
        f'<li class="comment even depth-1" id="comment-{cid}"><article class="comment-body">'
        f'<footer class="comment-meta"><b class="fn">{name}</b> <span class="says">says:</span>'
        f'<div class="comment-metadata"><time datetime="2011-03-03T10:{cid % 60:02d}:00">March 3, 2011</time></div></footer>'
        f'<div class="comment-content"><p>{text}</p></div>'
        f'<div class="reply"><a class="comment-reply-link" href="#reply{cid}">Reply</a></div></article></li>'
    )


def test_comments_inside_a_page_wide_form_are_read(tmp_path: Path) -> None:
    story = "".join(
        f"<div class='story-text'>Paragraph {n} of the council story: the vote on the new bridge was "
        "postponed again after a long and heated debate about its cost and its route.</div>"
        for n in range(20)
    )
    comments = "".join([
        _comment(301, "Riverside Ray", "Postponed again, what a surprise. The old bridge will not last another winter."),
        _comment(302, "Marta", "The route through the park was the problem, not the cost, if you read the minutes."),
        _comment(303, "J. Okafor", "Both were the problem. Still, a decision next month would be welcome."),
    ])
    page = (
        '<html><body><form name="aspnetForm" method="post" action="story.aspx" id="aspnetForm">'
        '<input type="hidden" name="__VIEWSTATE" value="abc"><input type="text" name="search"><input type="submit" value="Go">'
        f'<h1>Bridge vote postponed</h1>{story}<div id="comments"><ol class="comment-list">{comments}</ol></div>'
        '<textarea name="newcomment"></textarea><input type="submit" value="Post comment"></form></body></html>'
    )
    out = read_html(tmp_path, page)
    assert [c.author for c in out.threads[0].comments] == ["Riverside Ray", "Marta", "J. Okafor"]
    assert out.threads[0].comments[1].text.startswith("The route through the park")


def test_unread_comments_inside_a_page_wide_form_are_not_silent(tmp_path: Path) -> None:
    """Comment markup no reader understands, inside the page's one form: the page shows signs of
    a comment section (its comment blocks, their reply links), so the reader warns instead of
    saying the page has a comment form and no comment."""
    story = "".join(f"<p>Paragraph {n}: the vote on the new bridge was postponed again after a long debate.</p>" for n in range(30))
    rows = "".join(
        f'<table class="commentBackground"><tr><td><span class="comment">{name}</span></td>'
        f'<td><div class="comment">{text}</div><a class="reply" href="#r{n}">Reply</a></td></tr></table>'
        for n, (name, text) in enumerate([("Ray", "Postponed again, what a surprise for everyone here."),
                                          ("Marta", "The route through the park was the real problem."),
                                          ("Okafor", "A decision next month would be welcome, finally.")])
    )
    page = (
        '<html><body><form id="aspnetForm" action="story.aspx"><input type="text" name="search">'
        f'<h1>Bridge vote postponed</h1>{story}{rows}<textarea name="newcomment"></textarea></form></body></html>'
    )
    out = read_html(tmp_path, page)
    codes = {i.code for i in out.issues}
    assert COMMENTS_NOT_RECOGNISED in codes and "no-comments" not in codes
