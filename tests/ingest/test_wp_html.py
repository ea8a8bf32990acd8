"""WordPress HTML reader: structure, article fields, furniture, anomalies and bad input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from analyzer.core.errors import FormatError
from analyzer.ingest import sniff, wp_html
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"


def read_file(path: Path) -> ReaderOutput:
    return wp_html.read(Source(path), ReadOptions())


def read_html(tmp_path: Path, html: str, name: str = "page.html") -> ReaderOutput:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return read_file(path)


def codes(output: ReaderOutput) -> list[str]:
    return [issue.code for issue in output.issues]


def li(cid: str, depth: int, body: str, children: str = "", *, author: str = "X", extra: str = "") -> str:
    """A core html5 comment element; ``children`` is the inner HTML of its replies list."""
    replies = f'<ol class="children">{children}</ol>' if children else ""
    return (
        f'<li id="comment-{cid}" class="comment {extra} depth-{depth}">'
        f'<article id="div-comment-{cid}" class="comment-body"><footer class="comment-meta">'
        f'<div class="comment-author vcard"><b class="fn">{author}</b> <span class="says">says:</span></div>'
        f'<div class="comment-metadata"><a href="https://blog.example/p/#comment-{cid}">'
        f'<time datetime="2024-01-0{min(depth, 9)}T10:00:00+01:00">x</time></a></div></footer>'
        f'<div class="comment-content">{body}</div></article>{replies}</li>'
    )


def page(comments: str, *, header: str = "", after: str = "", article: bool = True) -> str:
    article_html = (
        '<article id="post-9" class="post hentry"><h1 class="entry-title">T</h1>'
        '<div class="entry-content"><p>Body.</p></div></article>'
        if article
        else ""
    )
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><link rel="stylesheet" href="/wp-content/x.css"></head><body>'
        f'{article_html}<div id="comments" class="comments-area">{header}'
        f'<ol class="comment-list">{comments}</ol>{after}</div></body></html>'
    )


# --- the golden inputs, read directly ----------------------------------------------------


def test_de_fixture_tree_follows_dom_nesting() -> None:
    out = read_file(FIXTURES / "de_wp_html" / "input.html")
    (thread,) = out.threads
    assert [(c.comment_id, c.parent_id, c.declared_depth) for c in thread.comments] == [
        ("101", None, 1),
        ("102", "101", 2),
        ("104", "102", 3),
        ("107", "104", 4),
        ("105", "101", 2),
        ("106", None, 1),
        ("108", "106", 2),
        ("109", "108", 3),
    ]
    assert out.n_comments_in == 8
    first = thread.comments[0]
    assert first.author == "Anna Brandt"
    assert first.created_at == datetime(2023, 4, 18, 8, 5, tzinfo=UTC)
    assert first.source_line == 49
    assert first.url == "https://lindenbacher-bote.example/2023/04/radwege-am-flussufer/#comment-101"
    assert first.text.endswith("\n\nZwei Spuren für Autos braucht dort wirklich niemand.")


def test_de_fixture_quote_link_and_list_survive_in_comment_text() -> None:
    comments = {c.comment_id: c for c in read_file(FIXTURES / "de_wp_html" / "input.html").threads[0].comments}
    assert comments["102"].text.startswith("> Zwei Spuren für Autos braucht dort wirklich niemand.\n\nSagen Sie")
    assert "Lieferdiensten & Handwerkern" in comments["102"].text
    assert "(https://www.kleinfeld.example/verkehr/zaehlung-2022)" in comments["107"].text
    assert "\nDer Autoverkehr" in comments["107"].text
    assert comments["109"].text.endswith("1. Wann wird gebaut?\n2. Gibt es eine Bürgerversammlung?")
    assert comments["102"].author == "Bernd"  # the author link's target is not part of the name


def test_de_fixture_pingback_is_reported_not_emitted_nor_counted() -> None:
    out = read_file(FIXTURES / "de_wp_html" / "input.html")
    pings = [i for i in out.issues if i.code == "pingback-skipped"]
    assert [(i.comment_id, i.severity, i.line) for i in pings] == [("103", "info", 115)]
    assert "Radblog Südwest" in pings[0].detail
    assert "103" not in {c.comment_id for c in out.threads[0].comments}
    # "9 Antworten" = 8 comments + 1 pingback: WordPress counts pings too.
    assert out.threads[0].article.n_announced == 9
    mismatch = [i for i in out.issues if i.code == "count-mismatch"]
    assert [(i.severity, i.line) for i in mismatch] == [("info", 47)]
    assert "plus 1 pingback" in mismatch[0].detail


def test_de_fixture_article_fields() -> None:
    article = read_file(FIXTURES / "de_wp_html" / "input.html").threads[0].article
    assert article.article_id == "4711"
    assert article.title == "Radwege am Flussufer: Der Stadtrat entscheidet im Mai"
    assert article.url == "https://lindenbacher-bote.example/2023/04/radwege-am-flussufer/"
    assert article.site == "Lindenbacher Bote"
    assert article.author == "Jonas Keller"
    assert article.published_at == datetime(2023, 4, 18, 7, 30, tzinfo=UTC)
    assert article.category == "Lokales, Verkehr"
    assert article.language == "de"
    assert article.comments_closed is False
    assert article.lead is None


def test_de_fixture_body_excludes_furniture_which_becomes_blocks() -> None:
    article = read_file(FIXTURES / "de_wp_html" / "input.html").threads[0].article
    assert article.body is not None
    for furniture in ("Teilen mit", "Ähnliche Beiträge", "Frühjahrsinspektion", "trackView", "berichtet seit 2015"):
        assert furniture not in article.body
    assert "> Wir wollen niemandem etwas wegnehmen" in article.body
    assert "(https://lindenbach.example/planung/uferstrasse.pdf)" in article.body
    kinds = [block.kind for block in article.blocks]
    assert kinds[:2] == ["category", "title"]
    assert kinds.count("advertising") == 1 and kinds.count("author_box") == 1 and kinds.count("navigation") == 2
    body_lines = [b.source_line for b in article.blocks if b.kind == "body"]
    assert body_lines == sorted(body_lines) and body_lines[0] == 25


def test_paginated_fixture_old_markup_and_warnings() -> None:
    out = read_file(FIXTURES / "en_wp_html_paginated" / "input.html")
    (thread,) = out.threads
    assert [(c.comment_id, c.parent_id, c.declared_depth) for c in thread.comments] == [
        ("2071", None, 1), ("2074", "2071", 2), ("2080", None, 1), ("2082", "2080", 2), ("2085", "2082", 3),
    ]
    assert thread.comments[0].author == "Martin O'Leary"
    # Twenty Ten prints text dates only: "November 8, 2022 at 7:12 am".
    assert thread.comments[0].created_at == datetime(2022, 11, 8, 7, 12, tzinfo=UTC)
    assert thread.comments[2].created_at == datetime(2022, 11, 9, 21, 41, tzinfo=UTC)
    assert thread.comments[0].text.startswith("I drive a cab")
    assert "says" not in thread.comments[0].text
    article = thread.article
    assert (article.article_id, article.n_announced, article.comments_closed) == ("812", 14, True)
    assert article.author == "Priya Natarajan" and article.category == "Transport"
    assert article.published_at == datetime(2022, 11, 7, tzinfo=UTC)
    issues = {i.code: i for i in out.issues}
    assert issues["count-mismatch"].line == 31 and "14" in issues["count-mismatch"].detail
    assert issues["paginated-comments"].severity == "warning"
    assert "1, 2, 3" in issues["paginated-comments"].detail


def test_truncated_fixture_keeps_complete_comments_only() -> None:
    out = read_file(FIXTURES / "de_wp_html_truncated" / "input.html")
    (thread,) = out.threads
    assert [(c.comment_id, c.parent_id) for c in thread.comments] == [
        ("51", None), ("52", None), ("54", "52"), ("57", "54"),
    ]
    assert out.n_comments_in == 5  # the cut comment was seen, and is rejected with a reason
    rejected = [i for i in out.issues if i.code == "rejected-comment"]
    assert [(i.comment_id, i.line) for i in rejected] == [("55", 60)]
    assert [i.line for i in out.issues if i.code == "truncated-html"] == [66]
    assert "count-mismatch" in codes(out)


# --- behaviours on generated pages -------------------------------------------------------


def test_truncated_after_a_complete_comment_keeps_it(tmp_path: Path) -> None:
    html = page(li("1", 1, "<p>eins</p>") + li("2", 1, "<p>zwei</p>"))
    cut = html[: html.index("</ol>")]  # cut after comment 2's closing </li>
    out = read_html(tmp_path, cut)
    assert [c.comment_id for c in out.threads[0].comments] == ["1", "2"]
    assert codes(out) == ["truncated-html"]
    assert out.n_comments_in == 2


def test_truncated_mid_tag_is_counted_and_rejected(tmp_path: Path) -> None:
    html = page(li("1", 1, "<p>eins</p>") + li("2", 1, "<p>zwei</p>"))
    cut = html[: html.index('<li id="comment-2"') + len('<li id="comment-2" class="comment ')]
    out = read_html(tmp_path, cut)
    emitted = [c.comment_id for c in out.threads[0].comments]
    rejected = [i for i in out.issues if i.code == "rejected-comment"]
    assert emitted == ["1"]
    assert out.n_comments_in == len(emitted) + len(rejected) == 2


def test_depth_class_sets_declared_depth_and_mismatch_is_reported(tmp_path: Path) -> None:
    # A reply nested once in the DOM but labelled depth-3: parents from the DOM, depth from
    # the class, so the tree builder can insert the ghost the class announces.
    html = page(li("1", 1, "<p>a</p>", li("2", 3, "<p>b</p>")))
    out = read_html(tmp_path, html)
    assert [(c.comment_id, c.parent_id, c.declared_depth) for c in out.threads[0].comments] == [
        ("1", None, 1), ("2", "1", 3),
    ]
    mismatch = [i for i in out.issues if i.code == "depth-class-mismatch"]
    assert [(i.comment_id, i.severity) for i in mismatch] == [("2", "warning")]


def test_missing_depth_class_falls_back_to_dom_depth(tmp_path: Path) -> None:
    html = page(li("1", 1, "<p>a</p>", li("2", 2, "<p>b</p>")).replace(" depth-1", "").replace(" depth-2", ""))
    out = read_html(tmp_path, html)
    assert [c.declared_depth for c in out.threads[0].comments] == [1, 2]
    assert "depth-class-mismatch" not in codes(out)


def test_reply_under_a_pingback_keeps_the_depth_gap(tmp_path: Path) -> None:
    ping = (
        '<li id="comment-5" class="pingback depth-1"><div class="comment-body">Pingback: '
        '<a href="https://other.example/">Anderer Blog</a></div><ol class="children">'
        + li("6", 2, "<p>Antwort auf den Pingback</p>") + "</ol></li>"
    )
    out = read_html(tmp_path, page(ping))
    assert [(c.comment_id, c.parent_id, c.declared_depth) for c in out.threads[0].comments] == [("6", None, 2)]
    assert out.n_comments_in == 1
    assert "Anderer Blog" in next(i.detail for i in out.issues if i.code == "pingback-skipped")


def test_moderation_note_is_an_issue_and_not_text(tmp_path: Path) -> None:
    body = "<p>Mein Beitrag.</p>"
    html = page(li("1", 1, body)).replace(
        "</footer>", '<em class="comment-awaiting-moderation">Dein Kommentar wartet auf Freischaltung.</em></footer>'
    )
    html2 = page(li("2", 1, "<p>Your comment is awaiting moderation.</p><p>Text.</p>"))
    out = read_html(tmp_path, html)
    assert out.threads[0].comments[0].text == "Mein Beitrag."
    assert [(i.code, i.comment_id, i.severity) for i in out.issues] == [("awaiting-moderation", "1", "info")]
    out2 = read_html(tmp_path, html2, "b.html")
    assert out2.threads[0].comments[0].text == "Text."
    assert "awaiting-moderation" in codes(out2)


def test_count_mismatch_and_header_variants(tmp_path: Path) -> None:
    two = li("1", 1, "<p>a</p>") + li("2", 1, "<p>b</p>")
    for header, announced, mismatch in [
        ('<h2 class="comments-title">Eine Antwort</h2>', 1, True),
        ('<h2 class="comments-title">2 thoughts on “T”</h2>', 2, False),
        ('<h3 class="comments-title">3 Responses to &#8220;T&#8221;</h3>', 3, True),
        ("", None, False),
    ]:
        out = read_html(tmp_path, page(two, header=header))
        assert out.threads[0].article.n_announced == announced, header
        assert ("count-mismatch" in codes(out)) is mismatch, header


def test_comments_closed_and_comment_pages(tmp_path: Path) -> None:
    closed = read_html(tmp_path, page(li("1", 1, "<p>a</p>"), after='<p class="no-comments">Kommentare sind geschlossen.</p>'))
    assert closed.threads[0].article.comments_closed is True
    unknown = read_html(tmp_path, page(li("1", 1, "<p>a</p>")))
    assert unknown.threads[0].article.comments_closed is None
    assert "paginated-comments" not in codes(unknown)
    nav = '<nav class="comments-pagination"><a class="page-numbers" href="/p/?cpage=2#comments">2</a></nav>'
    paged = read_html(tmp_path, page(li("1", 1, "<p>a</p>"), after=nav))
    issue = next(i for i in paged.issues if i.code == "paginated-comments")
    assert "2" in issue.detail and issue.line == 1


def test_div_style_comments_and_inner_article_ids(tmp_path: Path) -> None:
    # wp_list_comments(style => 'div') and Twenty Twelve's <article id="comment-N" class="comment">.
    div_style = (
        '<div class="comment depth-1" id="comment-1"><div class="comment-content"><p>oben</p></div>'
        '<div class="children"><div class="comment depth-2" id="comment-2">'
        '<div class="comment-content"><p>unten</p></div></div></div></div>'
    )
    out = read_html(tmp_path, page(div_style))
    assert [(c.comment_id, c.parent_id, c.text) for c in out.threads[0].comments] == [
        ("1", None, "oben"), ("2", "1", "unten"),
    ]
    twelve = (
        '<li class="comment depth-1" id="li-comment-7"><article id="comment-7" class="comment">'
        '<header class="comment-meta"><cite><b class="fn">Ida</b></cite></header>'
        '<section class="comment-content"><p>Hallo</p></section></article></li>'
    )
    out = read_html(tmp_path, page(twelve), "b.html")
    assert [(c.comment_id, c.author, c.text) for c in out.threads[0].comments] == [("7", "Ida", "Hallo")]
    assert out.n_comments_in == 1


def test_comment_without_id_gets_a_synthetic_one(tmp_path: Path) -> None:
    html = page('<li class="comment depth-1"><div class="comment-content"><p>anonym</p></div></li>')
    out = read_html(tmp_path, html)
    (comment,) = out.threads[0].comments
    assert comment.comment_id == "wp-html-1" and comment.text == "anonym"
    assert codes(out) == ["missing-comment-id"]


def test_unparsed_text_date_is_info(tmp_path: Path) -> None:
    html = page(
        '<li class="comment depth-1" id="li-comment-3"><div class="comment-meta commentmetadata">'
        '<a href="#comment-3">vor drei Tagen</a></div><div class="comment-body"><p>x</p></div></li>'
    )
    out = read_html(tmp_path, html)
    assert out.threads[0].comments[0].created_at is None
    assert [(i.code, i.severity) for i in out.issues] == [("unparsed-date", "info")]


def test_article_only_page_and_comment_list_only_page(tmp_path: Path) -> None:
    article_only = (
        '<html><head><meta property="og:title" content="Nur Artikel"></head><body>'
        '<div class="entry-content"><p>Text</p></div></body></html>'
    )
    out = read_html(tmp_path, article_only)
    assert out.threads[0].article.title == "Nur Artikel"
    assert out.threads[0].comments == [] and out.n_comments_in == 0
    list_only = read_html(tmp_path, page(li("1", 1, "<p>a</p>"), article=False), "b.html")
    assert [c.comment_id for c in list_only.threads[0].comments] == ["1"]
    assert list_only.threads[0].article.article_id == "b"  # from the file name
    assert list_only.threads[0].article.body is None


def test_decode_issues_are_passed_on(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_bytes(page(li("1", 1, "<p>Grüße</p>")).encode("cp1252"))
    out = read_file(path)
    assert "legacy-encoding" in codes(out)
    assert out.threads[0].comments[0].text == "Grüße"


def test_deep_chain_and_far_lines(tmp_path: Path) -> None:
    depth = 120
    inner = ""
    for level in range(depth, 0, -1):
        inner = li(str(level), level, f"<p>c{level}</p>", inner)
    padding = "\n" * 70000  # beyond libxml2's 16-bit line counter
    out = read_html(tmp_path, page(padding + inner))
    comments = out.threads[0].comments
    assert len(comments) == depth
    assert [c.parent_id for c in comments[:3]] == [None, "1", "2"]
    assert comments[-1].declared_depth == depth
    assert comments[0].source_line == 70001
    assert out.n_comments_in == depth


@pytest.mark.parametrize(
    ("content", "found"),
    [
        ("<html><body><p>Nichts hier.</p></body></html>", "HTML without either"),
        ("ganz normaler Text", "text without HTML markup"),
        ("", "an empty document"),
        ("<!-- nur ein Kommentar -->", "an empty document"),
    ],
)
def test_pages_without_article_or_comments_are_refused(tmp_path: Path, content: str, found: str) -> None:
    path = tmp_path / "x.html"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError) as info:
        read_file(path)
    assert info.value.found == found
    assert str(path) in str(info.value) and "expected" in str(info.value)


def test_looks_like_and_sniffing(tmp_path: Path) -> None:
    fixture = FIXTURES / "de_wp_html" / "input.html"
    assert wp_html.looks_like(fixture, fixture.read_text(encoding="utf-8")[:65536])
    assert not wp_html.looks_like(fixture, "<html><body><p>plain page</p></body></html>")
    assert not wp_html.looks_like(fixture, '{"post": 1}')
    assert sniff.sniff(fixture) == "wp_html"


def test_libxml2_limits_become_a_clear_format_error(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Pages beyond libxml2's XPath limits (millions of elements) fail with one clear line."""
    import lxml.etree

    from analyzer.core.errors import FormatError
    from analyzer.ingest import wp_html
    from analyzer.ingest.base import ReadOptions, Source

    def explode(source, options):  # type: ignore[no-untyped-def]
        raise lxml.etree.XPathEvalError("unknown error")

    monkeypatch.setattr(wp_html, "_read", explode)
    page = tmp_path / "huge.html"
    page.write_text("<html><body><b>x</b></body></html>", encoding="utf-8")
    with pytest.raises(FormatError, match="libxml2 can process, found XPathEvalError"):
        wp_html.read(Source(page), ReadOptions())


def test_an_xhtml_page_with_an_xml_declaration_is_read(tmp_path: Path) -> None:
    """lxml refuses a decoded string that declares its encoding; XHTML themes start with one."""
    html = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>T</title>'
        '<link rel="stylesheet" href="/wp-content/themes/x/style.css"/></head><body>'
        "<article><h1>Titel</h1><p>Text des Artikels.</p></article>\n"
        '<h2 id="comments">2 Kommentare</h2><ol class="commentlist">'
        '<li class="comment depth-1" id="comment-1"><div class="comment-author">Anna</div><p>Erster Kommentar.</p>'
        '<ol class="children"><li class="comment depth-2" id="comment-2"><div class="comment-author">Ben</div>'
        "<p>Antwort darauf.</p></li></ol></li></ol>\n</body></html>\n"
    )
    out = read_html(tmp_path, html)
    comments = out.threads[0].comments
    assert [(c.comment_id, c.parent_id) for c in comments] == [("1", None), ("2", "1")]
    assert comments[1].source_line == 4  # the blanked declaration keeps line numbers


STRAY_COMMENT_CLASS_PAGE = """<!DOCTYPE html>
<html><head><title>T</title><link rel="stylesheet" href="/wp-content/themes/x/style.css"></head><body>
<nav><ul><li class="comment">Kommentare</li></ul></nav>
<article id="post-5"><h1>Titel</h1><div class="entry-content"><p>Text des Artikels, lang genug.</p></div></article>
<section class="talk"><h2>2 Kommentare</h2>
<ul>
<li class=""><div class="who"><span class="name">Anna Berg</span> <time datetime="2021-03-01T10:00:00+01:00">1. März 2021</time></div><p>Erster Kommentar hier.</p><a class="reply" href="?replytocom=11#respond">Antworten</a></li>
<li class=""><div class="who"><span class="name">Ben Cole</span> <time datetime="2021-03-01T11:00:00+01:00">1. März 2021</time></div><p>Zweiter Kommentar dort.</p><a class="reply" href="?replytocom=12#respond">Antworten</a></li>
</ul></section>
</body></html>
"""


def test_a_stray_comment_class_is_not_a_rejection_when_another_reader_reads_the_comments(tmp_path: Path) -> None:
    """A menu item with class "comment" used to count as a rejected WordPress comment while the
    generic reader read the page's two comments: the accounting saw one comment too many."""
    out = read_html(tmp_path, STRAY_COMMENT_CLASS_PAGE)
    assert [c.author for c in out.threads[0].comments] == ["Anna Berg", "Ben Cole"]
    assert out.n_comments_in == 2
    assert "rejected-comment" not in codes(out)
    # Session 6: the menu item is no comment at all (the parser recovered it; it is left out on
    # purpose), so nothing is withdrawn and no comment-markup warning is left either.
    assert "comment-markup" not in codes(out)
