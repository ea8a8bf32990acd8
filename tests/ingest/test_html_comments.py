"""HTML beyond li.comment (issue 12): depth classes over malformed nesting, comment systems
with markup of their own, schema.org data, generic blocks, and never a silent zero."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.cli import main
from analyzer.ingest import wp_html
from analyzer.ingest.base import COMMENTS_NOT_RECOGNISED, ReaderOutput, ReadOptions, Source
from analyzer.ingest.html_comments.signs import announced_count
from tests.ingest.saved_html import read_html

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"


def tree(out: ReaderOutput) -> list[tuple[str, str | None]]:
    return [(c.comment_id, c.parent_id) for c in out.threads[0].comments]


def codes(out: ReaderOutput) -> list[str]:
    return [i.code for i in out.issues]


def page(body: str, *, lang: str = "de") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>T</title></head><body>'
        f'<article id="post-5"><h1 class="entry-title">T</h1><div class="entry-content"><p>Text.</p></div></article>'
        f"{body}</body></html>"
    )


# --- depth classes over malformed nesting ------------------------------------------------------


def wpcom_li(cid: str, depth: int, text: str) -> str:
    return (
        f'<li class="comment depth-{depth}" id="li-comment-{cid}"><article id="comment-{cid}" class="comment">'
        f'<div class="comment-author"><cite class="fn">A{cid}</cite></div>'
        f'<div class="comment-content"><p>{text}</p></div></article></li>'
    )


def test_depth_classes_win_when_li_closes_before_children(tmp_path: Path) -> None:
    # </li> before <ul class="children">: in the DOM every reply is a sibling of its parent.
    html = page(
        '<ol class="commentlist">' + wpcom_li("1", 1, "a")
        + '<ul class="children">' + wpcom_li("2", 2, "b")
        + '<ul class="children">' + wpcom_li("3", 3, "c") + "</ul>"
        + wpcom_li("4", 2, "d") + "</ul>" + wpcom_li("5", 1, "e") + "</ol>"
    )
    out = read_html(tmp_path, html)
    assert tree(out) == [("1", None), ("2", "1"), ("3", "2"), ("4", "1"), ("5", None)]
    assert [c.declared_depth for c in out.threads[0].comments] == [1, 2, 3, 2, 1]
    assert codes(out).count("depth-class-mismatch") == 3


def test_malformed_fixture_is_exact() -> None:
    out = wp_html.read(Source(FIXTURES / "de_wpcom_malformed_nesting" / "input.html"), ReadOptions())
    assert tree(out) == [("901", None), ("902", "901"), ("905", "902"), ("903", "901"), ("906", None), ("907", "906")]
    assert "truncated-html" not in codes(out)  # IE conditional comments open a second <html>
    assert out.threads[0].article.n_announced == 7


# --- announced counts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "count"),
    [
        ("There are 13 comments", 13),
        ("91 Ergänzungen", 91),
        ("12 thoughts on “Ein Titel”", 12),
        ("20 комментариев", 20),
        ("Se han publicado 11 comentarios", 11),
        ("Comments (4)", 4),
        ("7 réactions", 7),
        ("13条评论", 13),
        ("评论 (5)", 5),
        ("Schreibe einen Kommentar", None),
    ],
)
def test_announced_count_forms(heading: str, count: int | None) -> None:
    assert announced_count(heading) == count


def test_heading_that_is_itself_the_comments_anchor(tmp_path: Path) -> None:
    html = page(
        '<h2 id="comments">There are 2 comments</h2><ol class="commentlist">'
        + wpcom_li("1", 1, "a") + wpcom_li("2", 1, "b") + "</ol>"
    )
    out = read_html(tmp_path, html)
    assert out.threads[0].article.n_announced == 2
    assert "count-mismatch" not in codes(out)


# --- never silent ------------------------------------------------------------------------------


def test_unrecognised_comment_section_is_a_warning_with_evidence() -> None:
    out = wp_html.read(Source(FIXTURES / "de_comments_unrecognised" / "input.html"), ReadOptions())
    (issue,) = [i for i in out.issues if i.code == COMMENTS_NOT_RECOGNISED]
    assert issue.severity == "warning"
    assert "announces 3 comments" in issue.detail and "reply button" in issue.detail


@pytest.mark.parametrize(
    "body",
    [
        # a comment form and nothing else (every blog page has one)
        '<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Schreibe einen Kommentar</h3>'
        '<form id="commentform"><textarea name="comment"></textarea></form></div>',
        # comments closed, none there
        '<div id="comments"><p class="no-comments">Kommentare sind geschlossen.</p></div>',
        # an announced zero
        '<div id="comments"><h2 class="comments-title">Keine Kommentare</h2></div>',
        # an empty comments area and a sidebar widget listing other posts' comments
        '<div id="comments" class="comments-area"><div id="respond" class="comment-respond">'
        '<form id="commentform"><p class="comment-form-comment"><textarea></textarea></p></form></div></div>'
        '<aside class="widget widget_recent_comments"><ul id="recentcomments">'
        '<li class="recentcomments"><span class="comment-author-link">Max</span> bei <a href="/p/">Ein Artikel</a></li>'
        '<li class="recentcomments"><span class="comment-author-link">Eva</span> bei <a href="/q/">Noch einer</a></li>'
        "</ul></aside>",
    ],
)
def test_pages_without_comments_stay_quiet(tmp_path: Path, body: str) -> None:
    out = read_html(tmp_path, page(body))
    assert COMMENTS_NOT_RECOGNISED not in codes(out)
    assert out.threads[0].comments == []


def test_comment_markup_alone_is_evidence(tmp_path: Path) -> None:
    items = "".join(
        f'<div class="user-comment"><div class="user-comment-text">Meinung Nummer {i}, ausführlich begründet.</div></div>'
        for i in range(3)
    )
    out = read_html(tmp_path, page(f'<div class="discussion-list">{items}</div>'))
    (issue,) = [i for i in out.issues if i.code == COMMENTS_NOT_RECOGNISED]
    assert "3 comment-like elements" in issue.detail


@pytest.mark.slow  # two full `analyse` runs (about 12 s on the shared 2-core machine)
def test_analyse_exits_1_and_summarises_unrecognised_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = FIXTURES / "de_comments_unrecognised" / "input.html"
    assert main(["analyse", str(source), "--out", str(tmp_path / "r"), "--stages", "structure"]) == 1
    printed = capsys.readouterr().out
    assert "comments not recognised: 1 input(s)" in printed
    assert main(["analyse", str(source), "--out", str(tmp_path / "r2"), "-q", "--fail-on", "never"]) == 0


# --- comment systems ---------------------------------------------------------------------------


def test_drupal_replies_in_following_indented_div(tmp_path: Path) -> None:
    def comment(cid: str, text: str) -> str:
        return (
            f'<a id="comment-{cid}"></a><article class="comment clearfix" typeof="sioc:Post sioct:Comment">'
            f'<span class="username">U{cid}</span> <time datetime="2023-10-18T13:11:26+02:00">18. Oktober 2023 - 13:11</time>'
            f'<div class="field field-name-comment-body"><p>{text}</p></div>'
            f'<ul class="links"><li class="comment-reply"><a href="/comment/reply/1/{cid}">Antworten</a></li></ul></article>'
        )

    html = page(
        '<section id="comments">' + comment("10", "eins") + '<div class="indented">' + comment("11", "zwei")
        + '<div class="indented">' + comment("12", "drei") + "</div>" + comment("13", "vier") + "</div>"
        + comment("14", "fünf") + "</section>"
    )
    out = read_html(tmp_path, html)
    assert tree(out) == [("10", None), ("11", "10"), ("12", "11"), ("13", "10"), ("14", None)]
    assert [c.text for c in out.threads[0].comments] == ["eins", "zwei", "drei", "vier", "fünf"]
    assert out.threads[0].comments[0].created_at is not None


def test_disqus_as_saved(tmp_path: Path) -> None:
    def post(pid: str, text: str, children: str = "") -> str:
        return (
            f'<li class="post" id="post-{pid}"><div class="post-content"><span class="author"><a>N{pid}</a></span>'
            f'<a class="time-ago" title="Monday, March 4, 2019 9:15 AM">5 years ago</a>'
            f'<div class="post-message"><p>{text}</p></div></div>'
            + (f'<ul class="children">{children}</ul>' if children else "") + "</li>"
        )

    html = page(
        '<div id="disqus_thread"><ul id="post-list">'
        + post("501", "first", post("502", "reply")) + post("503", "second") + "</ul></div>",
        lang="en",
    )
    out = read_html(tmp_path, html)
    assert tree(out) == [("501", None), ("502", "501"), ("503", None)]
    assert all(c.created_at is not None for c in out.threads[0].comments)


def test_generic_blocks_have_lower_edge_confidence() -> None:
    out = wp_html.read(Source(FIXTURES / "en_generic_blocks" / "input.html"), ReadOptions())
    comments = out.threads[0].comments
    assert tree(out) == [("html-1", None), ("html-2", "html-1"), ("html-3", None)]
    assert all(c.edge_confidence < 1.0 for c in comments)
    assert "Reply" not in comments[0].text


def test_json_ld_parent_item_and_nesting() -> None:
    out = wp_html.read(Source(FIXTURES / "en_jsonld_comments" / "input.html"), ReadOptions())
    assert tree(out) == [("post-2", None), ("post-4", "post-2"), ("post-3", None), ("post-5", "post-3")]
    assert [c.declared_depth for c in out.threads[0].comments] == [1, 2, 1, 2]
