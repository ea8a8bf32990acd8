"""Comments found by structure alone (issue 12, round 3): repeated sibling blocks carrying
reply buttons, permalinks, comment ids, avatars, "says" lines; nesting from depth classes,
enclosure or indentation, and said to be unknown when the markup shows none.  Every page here
is written for the test."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from analyzer.ingest import wp_html
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source
from analyzer.ingest.html_comments import structure
from tests.ingest.saved_html import read_fixture

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures"


def tree(out: ReaderOutput) -> list[tuple[str, str | None]]:
    return [(c.comment_id, c.parent_id) for c in out.threads[0].comments]


def notes(out: ReaderOutput) -> str:
    return " | ".join(i.detail for i in out.issues if i.code == "comment-system")


def extract(html: str) -> structure.Extraction | None:
    return structure.extract(lxml.html.document_fromstring(html))


def page(body: str) -> str:
    return f'<html lang="en"><head><title>T</title></head><body><div class="page">{body}</div></body></html>'


def entry(cid: int, text: str, *, cls: str = "entry", style: str = "") -> str:
    styled = f' style="{style}"' if style else ""
    return (
        f'<div class="{cls}" id="entry-{cid}"{styled}><img class="avatar" src="/a.png" alt="">'
        f'<b class="nick">user{cid}</b><a href="#entry-{cid}">link</a><p>{text}</p>'
        f'<button>Reply</button></div>'
    )


# --- found ------------------------------------------------------------------------------------


def test_disqus_noscript_list_without_dates_or_heading() -> None:
    out = read_fixture("en_disqus_noscript_list")
    assert tree(out) == [("40117", None), ("40121", "40117"), ("40133", None)]
    comments = out.threads[0].comments
    assert [c.author for c in comments] == ["Maren", "Tobias K", "bakes_on_sundays"]
    assert [c.edge_confidence for c in comments] == [structure.generic.CONF_TOP, structure.generic.CONF_NESTED,
                                                     structure.generic.CONF_TOP]
    assert comments[0].text.startswith("A cold kitchen is the usual culprit")
    assert "structure: no known comment system: 3 repeated blocks" in notes(out)


def test_board_posts_flat_with_bare_dates_and_unknown_nesting() -> None:
    out = read_fixture("en_board_posts")
    assert tree(out) == [("5501", None), ("5504", None), ("5519", None)]
    comments = out.threads[0].comments
    assert [c.author for c in comments] == ["hollow_creek", "Dale in Ohio", "hollow_creek"]
    assert all(c.edge_confidence == structure.CONF_UNKNOWN for c in comments)
    # The date is bare text after "by NAME »"; subject heading and profile column are not text.
    assert [c.created_at.isoformat() if c.created_at else None for c in comments][0] == "2024-03-05T19:42:00+00:00"
    assert comments[1].text == "Sounds like a waterlogged tank. Check the air charge with the pump off and the tank drained."
    assert "nesting unknown" in notes(out)


def test_indentation_gives_the_tree() -> None:
    out = read_fixture("de_indented_board")
    assert tree(out) == [("301", None), ("305", "301"), ("309", "305"), ("312", None), ("318", "312")]
    comments = out.threads[0].comments
    assert all(c.edge_confidence == structure.CONF_INDENT for c in comments)
    assert [c.author for c in comments] == ["Irmgard", "Jens", "Irmgard", "Familie Roth", "Jens"]
    assert "sagt" not in comments[0].text and "Antworten" not in comments[0].text
    assert "reply links from indentation" in notes(out)


def test_level_classes_on_a_flat_run_give_the_tree() -> None:
    out = read_fixture("en_level_classes_flat")
    assert tree(out) == [("71", None), ("74", "71"), ("80", "74"), ("83", "71"), ("90", None)]
    comments = out.threads[0].comments
    assert all(c.edge_confidence == structure.CONF_DEPTH for c in comments)
    assert all(c.created_at is not None for c in comments)
    assert not comments[0].text.startswith("2 March")  # the permalink date is not text


def test_depth_classes_win_over_contradicting_nesting() -> None:
    # Entry 3 says level-1 but sits inside entry 2: the class is the authority, with a warning.
    html = page(
        '<div class="entry level-1" id="entry-1"><b class="nick">a</b><a href="#entry-1">#</a>'
        "<p>The first comment has enough text.</p><button>Reply</button>"
        '<div class="entry level-2" id="entry-2"><b class="nick">b</b><a href="#entry-2">#</a>'
        "<p>The second comment has enough text.</p><button>Reply</button>"
        '<div class="entry level-1" id="entry-3"><b class="nick">c</b><a href="#entry-3">#</a>'
        "<p>The third comment has enough text.</p><button>Reply</button></div></div></div>"
        + entry(4, "A fourth comment, a sibling of the first.", cls="entry level-1")
    )
    found = extract(html)
    assert found is not None
    assert [(c.comment_id, c.parent_id) for c in found.comments] == [
        ("1", None), ("2", "1"), ("3", None), ("4", None)
    ]
    assert found.warnings and "depth classes" in found.warnings[0]


def test_a_reply_count_toggle_inside_comments_is_not_a_teaser() -> None:
    blocks = "".join(
        entry(i, f"Comment number {i} with some words of text.").replace(
            "<button>Reply</button>", '<button>Reply</button><a href="#" class="toggle">2 replies</a>'
        )
        for i in range(1, 4)
    )
    found = extract(page(blocks))
    assert found is not None and len(found.comments) == 3


# --- not comments ------------------------------------------------------------------------------


def test_teaser_cards_with_bylines_avatars_and_counts_are_not_comments() -> None:
    card = (
        '<div class="card" id="post-{n}"><img class="avatar" src="/a.png" alt=""><span class="author">Ann</span>'
        '<time datetime="2024-05-0{n}">May {n}</time><h3><a href="/story-{n}/">Story {n} title</a></h3>'
        "<p>A summary sentence of the story that is long enough.</p>"
        '<a href="/story-{n}/#comments">{n} comments</a><a href="/story-{n}/#comment-9{n}">permalink</a></div>'
    )
    assert extract(page("".join(card.format(n=n) for n in range(1, 5)))) is None


def test_recent_comments_widget_is_not_comments() -> None:
    item = (
        '<li id="comment-7{n}"><img class="avatar" src="/a.png" alt=""><span class="comment-author-link">Piet{n}</span>'
        ' on <a href="https://blog.example/other-{n}/#comment-7{n}">Another post about things {n}</a>'
        ' <a href="https://blog.example/other-{n}/?replytocom=7{n}#respond">Reply</a></li>'
    )
    items = "".join(item.format(n=n) for n in range(1, 5))
    # Named as recent comments by a heading only, by a class only, and by neither (the text
    # floor: "NAME on <a>other post</a>" has no text of its own).
    assert extract(page(f"<div><h2>Recent Comments</h2><ul>{items}</ul></div>")) is None
    assert extract(page(f'<div class="widget_recent_comments"><ul>{items}</ul></div>')) is None
    assert extract(page(f"<ul>{items}</ul>")) is None


def test_related_posts_and_navigation_are_not_comments() -> None:
    blocks = "".join(entry(i, f"Related text number {i} is long enough.") for i in range(1, 4))
    assert extract(page(f'<div class="yarpp-related">{blocks}</div>')) is None
    assert extract(page(f"<nav>{blocks}</nav>")) is None
    assert extract(page(f'<footer class="site-footer">{blocks}</footer>')) is None


def test_one_block_is_not_a_list_and_bare_divs_need_ids() -> None:
    assert extract(page(entry(1, "A lonely block with a reply button."))) is None
    bare = "".join(
        f'<div><img class="avatar" src="/a.png" alt=""><b class="nick">u{i}</b><p>Bare block {i} with text here.</p>'
        "<button>Reply</button></div>"
        for i in range(3)
    )
    assert extract(page(bare)) is None


def test_the_main_readers_pages_are_not_claimed_when_they_read(tmp_path: Path) -> None:
    # WordPress core markup is read by core (exact ids, confidence 1.0), not by this fallback.
    html = (
        '<html><body><article id="post-1"><div class="entry-content"><p>x</p></div></article>'
        '<ol class="comment-list"><li class="comment depth-1" id="comment-5"><div class="comment-author">'
        '<cite class="fn">Ann</cite></div><div class="comment-content"><p>Core comment text.</p></div>'
        '<a class="comment-reply-link" href="?replytocom=5#respond">Reply</a></li></ol></body></html>'
    )
    path = tmp_path / "p.html"
    path.write_text(html, encoding="utf-8")
    out = wp_html.read(Source(path), ReadOptions())
    assert tree(out) == [("5", None)]
    assert out.threads[0].comments[0].edge_confidence == 1.0


def test_wpdiscuz_variant_flat_with_level_classes() -> None:
    # Read by the generic reader (author and date cues in a "thread" area); the level classes
    # give the tree there too (generic._depth_class_parents).
    out = read_fixture("de_wpdiscuz_level_variant")
    assert tree(out) == [("5101", None), ("5107", "5101"), ("5110", "5107"), ("5118", "5101"), ("5125", None)]
    assert all(c.created_at is not None for c in out.threads[0].comments)
    assert not any("Antworten" in c.text for c in out.threads[0].comments)
    assert "depth classes" in notes(out)
    assert "comment-markup" not in [i.code for i in out.issues]  # a flat run contradicts nothing


def test_generic_reader_follows_depth_classes_over_contradicting_nesting(tmp_path: Path) -> None:
    def item(cid: int, level: int, inner: str = "") -> str:
        return (
            f'<div class="talk level-{level}" id="t-{cid}"><span class="author">u{cid}</span>'
            f'<span class="date">3 May 2024 10:0{cid}</span><p>Text of comment {cid} goes here.</p>{inner}</div>'
        )

    # Item 3 says level-1 but the DOM puts it inside item 2.
    html = (
        '<html><body><div id="comments">'
        + item(1, 1, item(2, 2, item(3, 1))) + item(4, 1) + "</div></body></html>"
    )
    path = tmp_path / "p.html"
    path.write_text(html, encoding="utf-8")
    out = wp_html.read(Source(path), ReadOptions())
    assert tree(out) == [("1", None), ("2", "1"), ("3", None), ("4", None)]
    assert any(i.code == "comment-markup" and "depth classes" in i.detail for i in out.issues)
