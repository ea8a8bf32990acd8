"""Threads printed flat with their levels as indentation only (issue 12, session 9): a news
site's own forum with no reply button, comment id or permalink; a paging line giving the
thread's total; the story in markup no reader knows.  Every page here is written for the test."""

from __future__ import annotations

from pathlib import Path

from analyzer.ingest.base import ReaderOutput
from analyzer.ingest.html_comments import signs
from tests.ingest.saved_html import read_html

ROOT = Path(__file__).resolve().parents[3]


def _post(name: str, date: str, text: str, pad: int) -> str:
    return (
        f'<div class="box" style="padding-left: {pad}px"><div class="head"><div class="nick">{name}</div>'
        f'<a class="fans" onclick="fan()">7</a><div class="when">{date}</div></div>'
        f'<div class="body"><p>{text}</p></div></div>\n'
    )


def _read(tmp_path: Path, posts: str) -> ReaderOutput:
    return read_html(
        tmp_path,
        '<html lang="de"><body><div class="story"><h1>Neue Brücke</h1>'
        + "".join(f"<p>Absatz {i} über den Bau der neuen Brücke am Fluss und ihre Kosten für die Stadt.</p>\n" for i in range(4))
        + '</div>\n<div id="leserforum"><div class="info">Postings 1 bis 4 von 9</div>\n' + posts + "</div></body></html>",
    )


def test_levels_from_indentation(tmp_path: Path) -> None:
    out = _read(
        tmp_path,
        _post("Anna K.", "03.02.2023 10:00", "Die Brücke ist längst überfällig, der Umweg kostet jeden Tag Zeit.", 6)
        + _post("Bodo", "03.02.2023 10:20", "Überfällig ja, aber die Kosten sind doppelt so hoch wie geplant.", 12)
        + _post("Anna K.", "03.02.2023 10:41", "Das liegt an den Stahlpreisen, nicht an der Stadt.", 18)
        + _post("Cem", "03.02.2023 11:05", "Hoffentlich wird wenigstens ein Radweg mitgebaut.", 6),
    )
    comments = out.threads[0].comments
    ids = [c.comment_id for c in comments]
    assert [c.parent_id for c in comments] == [None, ids[0], ids[1], None]
    assert all(c.edge_confidence == 0.6 for c in comments)
    assert not any(c.text.startswith("7") for c in comments), "the counter link is no text"
    article = out.threads[0].article
    assert article.n_announced == 9
    assert article.body is not None and "Absatz 0" in article.body and "Radweg" not in article.body
    assert any(i.code == "article-text-guessed" for i in out.issues)


def test_one_indentation_is_no_thread(tmp_path: Path) -> None:
    """The same padding on every block is layout, not levels: all top level."""
    out = _read(
        tmp_path,
        "".join(
            _post(n, f"03.02.2023 1{i}:00", f"Beitrag Nummer {i} mit genug eigenem Text für einen Kommentar.", 6)
            for i, n in enumerate(["Anna K.", "Bodo", "Cem"])
        ),
    )
    assert [c.parent_id for c in out.threads[0].comments] == [None, None, None]


def test_paged_total() -> None:
    assert signs.paged_total("Posting 1 bis 25 von 779") == 779
    assert signs.paged_total("Showing 21–40 of 1,095 comments") == 1095
    assert signs.paged_total("Seite 1 bis 5 von 12") is None  # pages, not comments
    assert signs.paged_total("Kommentare 30 bis 10 von 40") is None  # not a range


def test_bare_number_ids_mark_post_rows(tmp_path: Path) -> None:
    """Post rows whose id is a bare number (id="501"), with author, time and a number, no other
    comment markup: a forum's post list, read with those ids (it read 0 without a warning)."""
    rows = "".join(
        f'<div id="{pid}" class="row post-row"><div class="author col"><div class="author-name"><h4><a href="/user/{n}">{n}</a></h4></div></div>'
        f'<div class="post-box col"><div class="post-meta"><a href="/post/{pid}"><time datetime="2021-03-0{i}T10:00:00+01:00">'
        f"0{i}.03.2021 10:00</time></a> <strong>#{i}</strong></div><div class=\"post-content\"><p>{t}</p></div></div></div>\n"
        for i, (pid, n, t) in enumerate(
            [("501", "ilka", "How do I move the database to another disk without losing posts?"),
             ("503", "ramon", "Stop the service, copy the folder, then point the config at the new path."),
             ("508", "ilka", "That worked on the first try, thanks a lot for the quick answer.")],
            start=1,
        )
    )
    out = read_html(tmp_path, f'<html><body><div class="card topic"><div class="card-body">\n{rows}</div></div></body></html>')
    assert [(c.comment_id, c.author) for c in out.threads[0].comments] == [("501", "ilka"), ("503", "ramon"), ("508", "ilka")]


def test_bbpress_threaded_replies(tmp_path: Path) -> None:
    """bbPress with threaded replies on: a reply inside ``ul.bbp-threaded-replies`` answers the
    post of the ``li`` holding that list; the rest stay top level."""

    def post(pid: str, kind: str, name: str, text: str, inner: str = "") -> str:
        return (
            f'<li><div id="post-{pid}" class="bbp-reply-header"><span class="bbp-reply-post-date">June 1, 2023 at 9:0{pid[-1]} am</span></div>'
            f'<div class="post-{pid} {kind} type-{kind}"><div class="bbp-reply-author"><span class="bbp-author-name">{name}</span></div>'
            f'<div class="bbp-reply-content"><p>{text}</p></div></div>{inner}</li>\n'
        )

    nested = '<ul class="bbp-threaded-replies">' + post("12", "reply", "Bea", "Answering Al directly here.") + "</ul>"
    out = read_html(
        tmp_path,
        '<html><body><div id="bbpress-forums"><ul class="bbp-replies">\n'
        + post("10", "topic", "Cy", "Which glue holds on wet wood?")
        + post("11", "reply", "Al", "Polyurethane glue, it foams into the gaps.", nested)
        + post("13", "reply", "Di", "Epoxy works too, but cure it warm.")
        + "</ul></div></body></html>",
    )
    comments = out.threads[0].comments
    assert [(c.comment_id, c.parent_id) for c in comments] == [("11", None), ("12", "11"), ("13", None)]
    assert out.threads[0].article.author == "Cy"
