"""A forum's thread list or a blog's article list is no comment section (issue 12, session 11):
each item has an author and a date like a comment, but its main text is the title of a link to
another page.  Markup written for the test in the shape of a board's thread list; names and
titles invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.core.errors import AnalyzerError
from tests.ingest.saved_html import read_html

_THREADS = [
    ("Which yeast for a cold cellar in winter?", "hopfield", "Feb 10, 2026", 12, 340),
    ("My first all-grain batch smells of sulphur", "barleycorn", "Feb 8, 2026", 4, 98),
    ("Cleaning a plate chiller without taking it apart", "ondine", "Jan 30, 2026", 27, 1204),
    ("Is a refractometer worth it for a beginner?", "mashtun", "Jan 29, 2026", 9, 230),
    ("Water profile calculators compared side by side", "hopfield", "Jan 21, 2026", 3, 77),
]


def _thread_list() -> str:
    items = "".join(
        f'<div class="listItem listItem--thread" id="thread-{n}">'
        f'<div class="listItem-main"><div class="listItem-title">'
        f'<a href="/threads/t.{n}/">{title}</a></div>'
        f'<div class="listItem-minor"><a href="/members/{author}.{n}/" class="username">{author}</a>'
        f' · <time class="date" datetime="2026-02-{10 - n:02d}T10:00:00+0000">{when}</time></div></div>'
        f'<div class="listItem-meta"><dl><dt>Replies</dt><dd>{replies}</dd></dl><dl><dt>Views</dt><dd>{views}</dd></dl></div>'
        f'<div class="listItem-latest"><a href="/threads/t.{n}/latest"><time class="date">Yesterday</time></a>'
        f'<a href="/members/x.{n}/" class="username">lastposter</a></div></div>'
        for n, (title, author, when, replies, views) in enumerate(_THREADS, start=1)
    )
    return (
        "<html><head><title>Brewing discussion</title></head><body>"
        '<div class="forum-threads"><h1>Brewing discussion</h1>'
        f'<div class="threadList">{items}</div></div></body></html>'
    )


def _comments_with_links() -> str:
    """Comments whose texts mention other pages by their titles, beside their own prose."""
    texts = [
        ('I tried what <a href="/threads/t.3/">Cleaning a plate chiller without taking it apart</a> '
         "suggests and it worked fine for my setup, although it took an hour."),
        "Thanks for the write-up, the photos of the mash tun helped me a lot with my own build.",
        ('There is an older thread, <a href="/threads/t.9/">Water profile calculators compared side by side</a>, '
         "where most of this was already discussed at length by the regulars."),
        "Agreed with the previous comment, the sulphur smell goes away after a few weeks in the bottle.",
    ]
    items = "".join(
        f'<li class="comment" id="comment-{n}"><div class="comment-author"><span class="fn">reader{n}</span></div>'
        f'<div class="comment-meta"><a href="#comment-{n}">March {n}, 2026 at 10:0{n} am</a></div>'
        f'<div class="comment-text"><p>{text}</p></div></li>'
        for n, text in enumerate(texts, start=1)
    )
    return (
        '<html><body><article id="post-7" class="post"><h1>Notes on brewing</h1>'
        '<div class="entry-content"><p>Some notes on my brewing year, with photos of the equipment.</p></div></article>'
        f'<div id="comments"><h2>4 comments</h2><ol class="commentlist">{items}</ol></div></body></html>'
    )


def test_thread_list_items_are_not_comments(tmp_path: Path) -> None:
    # No comment is read: the page is refused as having neither article nor comment section
    # (a user error with one line), not read as five comments.
    try:
        out = read_html(tmp_path, _thread_list())
    except AnalyzerError as error:
        assert "page.html" in str(error)
        return
    assert all(not thread.comments for thread in out.threads)


@pytest.mark.parametrize("generic", [False, True])
def test_comments_naming_other_pages_stay_comments(tmp_path: Path, generic: bool) -> None:
    html = _comments_with_links()
    if generic:  # the same comments without WordPress's list markup: the generic reader's case
        html = html.replace('class="comment"', 'class="reaction"').replace('class="commentlist"', 'class="reactions"')
    comments = read_html(tmp_path, html).threads[0].comments
    assert [c.author for c in comments] == ["reader1", "reader2", "reader3", "reader4"]
    assert "it worked fine" in comments[0].text
