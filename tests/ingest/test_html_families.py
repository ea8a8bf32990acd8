"""Comment markup met on held-out real pages (issue 12, round 2): Epoch, definition-list
themes, comment items without author or date cues, Drupal themes that wrap comments in cards,
headline counters, author lines that hold the date.  Every page here is written for the test,
imitating the structure only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from analyzer.ingest import dates
from analyzer.ingest.base import COMMENTS_NOT_RECOGNISED, ReaderOutput
from analyzer.ingest.dates import parse_date
from tests.ingest.saved_html import read_html


def page(body: str, *, lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>T</title></head><body>'
        f'<article id="post-9"><h1 class="entry-title">T</h1><div class="entry-content"><p>Story.</p></div></article>'
        f"{body}</body></html>"
    )


def tree(out: ReaderOutput) -> list[tuple[str, str | None]]:
    return [(c.comment_id, c.parent_id) for c in out.threads[0].comments]


def codes(out: ReaderOutput) -> list[str]:
    return [i.code for i in out.issues]


# --- Epoch --------------------------------------------------------------------------------------


def epoch_comment(cid: str, name: str, linked: bool, when: str, text: str, children: str = "") -> str:
    author = (
        f'<a href="https://example.org" class="epoch-author-link">{name}</a>' if linked else name
    )
    return (
        f'<div id="comment-{cid}" data-comment-id="{cid}">'
        f'<article id="div-comment-{cid}" class="epoch-comment-body epoch-single-comment">'
        f'<footer class="epoch-comment-meta"><div class="epoch-comment-author">'
        f'<div class="epoch-comment-author-avatar"><img alt="" src="a.png"></div>{author}'
        f'<span class="epoch-divide">·</span>'
        f'<a href="#comment-{cid}" class="epoch-comment-link"><time datetime="comment_date">{when}</time></a>'
        f"</div></footer>"
        f'<div class="epoch-comment-content"><p>{text}<span class="flag-link" id="comment-{cid}">'
        f'<a href="#">Report</a></span></p></div>'
        f'<ul class="epoch-comment-actions"><li class="epoch-reply" data-comment-id="{cid}">'
        f'<a class="comment-reply-link" href="?replytocom={cid}#respond">Reply</a></li></ul></article>'
        + (f'<div class="epoch-child child-of-{cid} level-1">{children}</div>' if children else "")
        + "</div>"
    )


def test_epoch_tree_author_and_date(tmp_path: Path) -> None:
    body = (
        '<div id="comments"><h3 class="epoch-count">There are 4 comments</h3><div class="epoch-wrap">'
        + epoch_comment("31", "Ann Example", True, "May 2, 2021 at 9:05 AM", "First thought here.",
                        epoch_comment("32", "Bo", False, "May 2, 2021 at 10:40 AM", "A reply to Ann.",
                                      epoch_comment("34", "Ann Example", True, "May 3, 2021 at 1:00 PM", "Back to Bo.")))
        + epoch_comment("33", "Cy", False, "May 4, 2021 at 8:00 PM", "Another thread.")
        + "</div></div>"
    )
    out = read_html(tmp_path, page(body))
    comments = out.threads[0].comments
    assert tree(out) == [("31", None), ("32", "31"), ("34", "32"), ("33", None)]
    assert [c.author for c in comments] == ["Ann Example", "Bo", "Ann Example", "Cy"]
    assert comments[1].created_at is not None and (comments[1].created_at.hour, comments[1].created_at.minute) == (10, 40)
    assert comments[0].text == "First thought here."  # no "Report", no "Reply"
    assert out.threads[0].article.n_announced == 4
    assert "count-mismatch" not in codes(out)


def test_epoch_child_of_class_wins_over_nesting(tmp_path: Path) -> None:
    # A reply container that names another parent than the one it sits in.
    inner = epoch_comment("42", "Di", False, "May 2, 2021 at 10:40 AM", "Answering forty.")
    body = (
        '<div id="comments">'
        + epoch_comment("40", "Al", False, "May 2, 2021 at 9:00 AM", "Forty.")
        + epoch_comment("41", "Bea", False, "May 2, 2021 at 9:30 AM", "Forty-one.").replace(
            "</article></div>", f'</article><div class="epoch-child child-of-40 level-1">{inner}</div></div>'
        )
        + "</div>"
    )
    out = read_html(tmp_path, page(body))
    assert tree(out) == [("40", None), ("41", None), ("42", "40")]
    assert any(i.code == "comment-markup" and "child-of-40" in (i.detail or "") for i in out.issues)


# --- definition lists -------------------------------------------------------------------------


def dl_pair(cid: str, depth: int, name: str, when: str, text: str) -> str:
    return (
        f'<dt class="comment depth-{depth}" id="comment-{cid}"><span class="comment_author">{name}</span> '
        f'<span class="comment_time"><a href="#comment-{cid}">{when}</a></span></dt>'
        f'<dd class="comment depth-{depth}"><div class="format_text"><p>{text}</p></div>'
        f'<p class="reply"><a href="?replytocom={cid}">Reply</a></p></dd>'
    )


def test_definition_list_comments(tmp_path: Path) -> None:
    body = (
        '<div id="comments"><h3>3 Responses</h3><dl id="comment_list">'
        + dl_pair("7", 1, "Quinn", "March 3, 2016 at 4:10 pm", "The list misses a few names.")
        + dl_pair("8", 2, "Rae", "March 3, 2016 at 5:00 pm", "Which ones, though?")
        + dl_pair("9", 1, "Sol", "March 4, 2016 at 9:15 am", "Great read.")
        + "</dl></div>"
    )
    out = read_html(tmp_path, page(body))
    comments = out.threads[0].comments
    assert tree(out) == [("7", None), ("8", "7"), ("9", None)]
    assert [c.author for c in comments] == ["Quinn", "Rae", "Sol"]
    assert [c.text for c in comments] == ["The list misses a few names.", "Which ones, though?", "Great read."]
    assert all(c.created_at is not None for c in comments)
    assert COMMENTS_NOT_RECOGNISED not in codes(out)


# --- items without author or date cues ----------------------------------------------------------


def test_widget_items_without_author_or_date(tmp_path: Path) -> None:
    items = "".join(
        f'<li class="forum-comment{" read-more-target" if i % 2 else ""}" id="forum-comment-">'
        f'<div class="avatar"></div><div class="forum-comment-content"><header></header>'
        f'<div class="js-more">{text}</div></div></li>'
        for i, text in enumerate(["The phone looks sturdy enough.", "Battery life is what counts.", "Ok."])
    )
    body = (
        '<div class="forum-comment-widget"><div class="forum-comments-header"><span class="comments-total">3 Comments</span>'
        f'</div><ul class="forum-comments-list">{items}</ul></div>'
    )
    out = read_html(tmp_path, page(body))
    comments = out.threads[0].comments
    assert [c.text for c in comments] == ["The phone looks sturdy enough.", "Battery life is what counts.", "Ok."]
    assert [c.comment_id for c in comments] == ["html-1", "html-2", "html-3"]  # the shared empty id is no id
    assert all(c.parent_id is None and c.edge_confidence < 1.0 for c in comments)
    assert out.threads[0].article.n_announced == 3
    assert any(i.code == "comment-system" and "no author and date cues" in (i.detail or "") for i in out.issues)


def test_server_rendered_list_with_names_but_no_dates(tmp_path: Path) -> None:
    entries = "".join(
        f'<div class="comment"><div class="comment-author">{name}</div><div class="comment-body">{text}</div></div>'
        for name, text in [("kim", "Clear explanation of default arguments."), ("lee", "Could you add an example?")]
    )
    body = f'<div id="disqus_thread"><div class="d-noscript"><h2>Comments</h2>{entries}</div></div>'
    out = read_html(tmp_path, page(body))
    comments = out.threads[0].comments
    assert [(c.author, c.text) for c in comments] == [
        ("kim", "Clear explanation of default arguments."), ("lee", "Could you add an example?"),
    ]


def test_ticker_entries_are_not_reader_comments(tmp_path: Path) -> None:
    # Live-ticker entries carry "comment" in their class but the page has no comment heading
    # and they sit in no comment list: nothing is read, and no warning is raised either.
    entries = "".join(
        f'<div class="live-match-comment"><div class="live-match-comment-body">{t}</div></div>'
        for t in ["Yellow card after a long delay.", "Corner kick, cleared by the defence."]
    )
    out = read_html(tmp_path, page(f'<div class="live-feed">{entries}</div>'))
    assert out.threads[0].comments == []
    assert COMMENTS_NOT_RECOGNISED not in codes(out)


# --- Drupal themes that wrap comments in cards ----------------------------------------------------


def card(cid: str, name: str, shown: str, iso: str, subject: str, text: str) -> str:
    return (
        f'<div class="card"><div class="card__body">'
        f'<article id="comment-{cid}" about="/comment/{cid}" typeof="schema:Comment" class="js-comment comment">'
        f'<footer><h6>{name} | {shown} <span property="schema:dateCreated" content="{iso}" class="hidden"></span></h6></footer>'
        f'<div class="field--name-comment-body"><p property="schema:name"><a href="/comment/{cid}#comment-{cid}"'
        f' class="permalink">{subject}</a></p></div>'
        f'<div property="schema:text" class="field field--name-comment-body"><p>{text}</p></div>'
        f'<ul class="links"><li class="comment-reply"><a href="/comment/reply/{cid}">Antworten</a></li></ul>'
        f"</article></div></div>"
    )


def test_drupal_cards_subject_field_rdfa_date_and_name_line(tmp_path: Path) -> None:
    body = (
        '<section id="comments"><h2>Kommentare</h2>'
        + card("501", "Erika Muster", "Mo, 4. Mai 2020 - 10:15", "2020-05-04T08:15:00+00:00", "Gute Frage", "Der eigentliche Text.")
        + '<div class="indented">'
        + card("502", "Max Probe", "Mo, 4. Mai 2020 - 11:00", "2020-05-04T09:00:00+00:00", "Antwort", "Eine Antwort darauf.")
        + "</div>"
        + card("503", "Ida Beispiel", "Di, 5. Mai 2020 - 07:30", "2020-05-05T05:30:00+00:00", "Nachtrag", "Noch etwas.")
        + "</section>"
    )
    out = read_html(tmp_path, page(body, lang="de"))
    comments = out.threads[0].comments
    assert tree(out) == [("501", None), ("502", "501"), ("503", None)]
    assert [c.text for c in comments] == ["Der eigentliche Text.", "Eine Antwort darauf.", "Noch etwas."]
    assert [c.author for c in comments] == ["Erika Muster", "Max Probe", "Ida Beispiel"]
    assert comments[0].created_at is not None and comments[0].created_at.isoformat() == "2020-05-04T08:15:00+00:00"


# --- counters and author lines -----------------------------------------------------------------


def wp_li(cid: str, author_line: str, text: str) -> str:
    return (
        f'<li class="comment depth-1" id="comment-{cid}"><div class="the-comment"><div class="comment-box">'
        f'<div class="comment-author meta">{author_line}</div>'
        f'<div class="comment-text"><p>{text}</p></div></div></div></li>'
    )


def test_headline_span_announces_and_author_line_holds_the_date(tmp_path: Path) -> None:
    body = (
        '<div id="comments" class="comments-area"><span class="comments__headline"> 5 Ergänzungen </span>'
        '<ol class="comment-list">'
        + wp_li("61", '<strong>Ben</strong> 19. Juni 2018 um 15:28 Uhr <a class="comment-reply-link" href="?replytocom=61"> - Antworten</a>', "Erster.")
        + wp_li("62", "<strong>Nora</strong>", "Zweite.")
        + "</ol></div>"
    )
    out = read_html(tmp_path, page(body, lang="de"))
    comments = out.threads[0].comments
    assert [c.author for c in comments] == ["Ben", "Nora"]
    assert comments[0].created_at is not None and comments[0].created_at.day == 19
    assert out.threads[0].article.n_announced == 5
    assert any(i.code == "count-mismatch" for i in out.issues)


# --- elapsed-time dates and the time a saved page was made -----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Stunden 33 Minuten her", datetime(2022, 3, 31, 0, 0, tzinfo=UTC)),
        ("50 Minuten 46 Sekunden her", datetime(2022, 3, 31, 11, 42, 14, tzinfo=UTC)),
        ("1 Monat her", datetime(2022, 2, 28, 12, 33, tzinfo=UTC)),  # clipped to February's end
        ("2 Jahre her", datetime(2020, 3, 31, 12, 33, tzinfo=UTC)),
        ("vor 3 Tagen", datetime(2022, 3, 28, 12, 33, tzinfo=UTC)),
        ("3 hours, 5 minutes ago", datetime(2022, 3, 31, 9, 28, tzinfo=UTC)),
    ],
)
def test_elapsed_time_forms_against_the_capture_time(text: str, expected: datetime) -> None:
    now = datetime(2022, 3, 31, 12, 33, tzinfo=UTC)
    assert parse_date(text, now=now) == expected
    assert parse_date(text) is None  # never against the wall clock


@pytest.mark.parametrize("text", ["3 Tage", "2 Stunden Fahrt", "vor 12 Uhr", "12 Stunden 33 Äpfel her"])
def test_durations_and_other_texts_are_not_elapsed_dates(text: str) -> None:
    assert parse_date(text, now=datetime(2022, 3, 31, 12, 33, tzinfo=UTC)) != datetime(2022, 3, 28, 12, 33, tzinfo=UTC)
    assert dates._elapsed(text) is None


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<a href="/web/20130307194448/http://example.org/a">x</a><a href="/web/20130307194448/http://example.org/b">y</a>'
         '<img src="/web/20120101000000im_/http://example.org/i.png">', datetime(2013, 3, 7, 19, 44, 48, tzinfo=UTC)),
        ("<!--\n Page saved with SingleFile \n url: https://example.org/ \n saved date: Thu Oct 12 2023 10:22:33 GMT+0200"
         " (Mitteleuropäische Sommerzeit)\n--><html></html>", datetime(2023, 10, 12, 8, 22, 33, tzinfo=UTC)),
        ("<html><body></body></html><!-- Cached page generated by SomeCache on 2022-02-02 12:33:21 -->",
         datetime(2022, 2, 2, 12, 33, 21, tzinfo=UTC)),
        ("<html><body><p>Generated on 2022-02-02 12:33:21 in the text</p></body></html>", None),
    ],
)
def test_capture_time_from_what_the_page_states(html: str, expected: datetime | None) -> None:
    found = dates.capture_time(html)
    assert (found[0] if found else None) == expected


def test_reader_anchors_relative_comment_dates_on_the_page_cache_time(tmp_path: Path) -> None:
    body = (
        '<div id="comments"><h2 class="comments-title">2 Kommentare</h2><ol class="comment-list">'
        '<li class="comment depth-1" id="comment-71"><div class="comment-author"><cite class="fn">Ute</cite></div>'
        '<div class="comment-metadata"><a href="#comment-71">2 Stunden 10 Minuten her</a></div>'
        '<div class="comment-content"><p>Gut geschrieben.</p></div></li>'
        '<li class="comment depth-1" id="comment-72"><div class="comment-author"><cite class="fn">Vic</cite></div>'
        '<div class="comment-metadata"><a href="#comment-72">vor 5 Minuten</a></div>'
        '<div class="comment-content"><p>Stimmt.</p></div></li></ol></div>'
    )
    html = page(body, lang="de") + "<!-- Page generated by ExampleCache 1.0 on 2021-11-05 20:00:00 -->"
    out = read_html(tmp_path, html)
    comments = out.threads[0].comments
    assert [c.created_at for c in comments] == [
        datetime(2021, 11, 5, 17, 50, tzinfo=UTC), datetime(2021, 11, 5, 19, 55, tzinfo=UTC),
    ]
    assert "capture-time" in codes(out) and "unparsed-date" not in codes(out)
    # Without the cache comment the same dates stay unparsed, each with an issue.
    plain = read_html(tmp_path, page(body, lang="de"))
    assert [c.created_at for c in plain.threads[0].comments] == [None, None]
    assert codes(plain).count("unparsed-date") == 2


# --- recent-comments widgets, ids on wrappers -------------------------------------------------------


@pytest.mark.parametrize(
    "widget",
    [
        # a sidebar list whose items name comments
        '<aside><ul class="recent-list">' + "".join(
            f'<li class="recent-comment"><span class="comment-post">Anna zu <a href="/p{i}/">Ein anderer Beitrag Nummer {i}</a></span></li>'
            for i in range(3)
        ) + "</ul></aside>",
        # a footer box titled "Aktuelle Kommentare" with comment-named entries
        '<section class="box"><h3>Aktuelle Kommentare</h3><ul>' + "".join(
            f'<li class="comment-footer-item"><div class="comment-footer-item-meta">06.11.23 - 14:0{i} von Leser{i} zu</div>'
            f'<a href="/x{i}#comment-{i}">Ein ganz anderer Artikel</a></li>' for i in range(3)
        ) + "</ul></section>",
    ],
)
def test_recent_comments_lists_are_no_sign_of_this_pages_comments(tmp_path: Path, widget: str) -> None:
    out = read_html(tmp_path, page(widget, lang="de"))
    assert out.threads[0].comments == []
    assert COMMENTS_NOT_RECOGNISED not in codes(out)


def test_generic_block_takes_the_id_of_its_wrapper(tmp_path: Path) -> None:
    items = "".join(
        f'<li class="board-comment" id="board-comment-{n}"><div class="pic"></div><div class="board-comment-content">'
        f'<header><span class="author-name">{who}</span> <span class="post-date">17 September 2020 1{n % 10}:05</span></header>'
        f'<div class="body">{text}</div></div></li>'
        for n, who, text in [(801, "zed", "Sold out within minutes again."), (802, "yan", "Same here, not a single card left.")]
    )
    out = read_html(tmp_path, page(f'<div class="board-comments"><h3>2 Comments</h3><ul class="board-list">{items}</ul></div>'))
    assert [c.comment_id for c in out.threads[0].comments] == ["801", "802"]
    assert [c.author for c in out.threads[0].comments] == ["zed", "yan"]


def test_a_plugins_notification_bubble_is_no_sign_of_comments(tmp_path: Path) -> None:
    bubble = (
        '<div id="plugin-bubble-wrapper"><div id="plugin-bubble-notification"><div id="plugin-bubble-comment">'
        '<span id="plugin-bubble-comment-reply-link"><a href="#">Reply</a></span></div></div></div>'
    )
    quiet = read_html(tmp_path, page(bubble))
    assert COMMENTS_NOT_RECOGNISED not in codes(quiet)
    # The same button outside a bubble still counts as evidence.
    loud = read_html(tmp_path, page('<div id="comments"><h2>Comments</h2><a href="#">Reply</a> <a href="#">Reply</a></div>'))
    assert COMMENTS_NOT_RECOGNISED in codes(loud)


def test_a_share_bars_comment_button_is_not_a_comment(tmp_path: Path) -> None:
    bar = (
        '<nav class="share-bar"><ul><li class="share-item facebook">Share</li>'
        '<li class="share-item comment"><a href="#comments">- Comments</a></li></ul></nav>'
    )
    out = read_html(tmp_path, page(bar))
    assert out.threads[0].comments == []
    assert "missing-comment-id" not in codes(out)


def test_drupal7_date_in_the_links_list_and_a_glued_count(tmp_path: Path) -> None:
    def d7(cid: str, name: str, day: str, text: str) -> str:
        return (
            f'<a id="comment-{cid}"></a><div class="comment clearfix"><div class="content">'
            f'<h3 class="name"><span class="username">{name}</span></h3>'
            f'<div class="field-name-comment-body"><p>{text}</p></div></div>'
            f'<div class="meta"><ul class="links inline"><li class="comment-reply first"><a href="/comment/reply/9/{cid}">reply</a></li>'
            f'<li class="date">{day}</li></ul></div></div>'
        )

    body = (
        '<div id="comments"><h2 class="title"><span class="count">2</span>Comments</h2>'
        + d7("91", "Ari", "April 5, 2018", "One thought.") + d7("92", "Bo", "April 6, 2018", "Another one.") + "</div>"
    )
    out = read_html(tmp_path, page(body))
    comments = out.threads[0].comments
    assert [(c.comment_id, c.author) for c in comments] == [("91", "Ari"), ("92", "Bo")]
    assert [c.created_at.date().isoformat() if c.created_at else None for c in comments] == ["2018-04-05", "2018-04-06"]
    assert out.threads[0].article.n_announced == 2
