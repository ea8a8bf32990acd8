"""A page that shows far more comments than were read (issue 12, round 3): without an announced
count, the structure reader's count of comment blocks is the evidence.  Pages written for the
test."""

from __future__ import annotations

from pathlib import Path

from analyzer.ingest import wp_html
from analyzer.ingest.base import ReadOptions, Source
from analyzer.ingest.html_comments import shortfall
from tests.ingest.saved_html import read_html

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures"


def core(n: int) -> str:
    return "".join(
        f'<li class="comment depth-1" id="comment-{i}"><div class="comment-author vcard"><cite class="fn">A{i}</cite>'
        f'</div><div class="comment-content"><p>Core comment {i} with its text.</p></div>'
        f'<a class="comment-reply-link" href="?replytocom={i}#respond">Reply</a></li>'
        for i in range(1, n + 1)
    )


def stories(n: int) -> str:
    return "".join(
        f'<div class="story-post" id="story-{i}"><img class="avatar" src="/a.png" alt=""><span class="poster">P{i}</span>'
        f'<a href="#story-{i}">link</a><div class="said">Story number {i} that a reader wrote.</div>'
        f'<a href="#form">Reply</a></div>'
        for i in range(1, n + 1)
    )


def page(comments: str, extra: str, heading: str = "") -> str:
    return (
        '<html><body><article id="post-1"><h1 class="entry-title">T</h1><div class="entry-content"><p>x</p></div>'
        f'</article>{heading}<ol class="comment-list">{comments}</ol><div class="stories">{extra}</div></body></html>'
    )


def test_partly_read_fixture_warns_with_the_blocks() -> None:
    out = wp_html.read(Source(FIXTURES / "en_comments_partly_read" / "input.html"), ReadOptions())
    (issue,) = [i for i in out.issues if i.code == shortfall.CODE]
    assert issue.severity == "warning"
    assert "only 1 comment(s) were read, but the page shows 5 blocks" in issue.detail
    assert 'div class="story-post"' in issue.detail


def test_quiet_when_the_blocks_are_the_comments_read(tmp_path: Path) -> None:
    out = read_html(tmp_path, page(core(6), ""))
    assert len(out.threads[0].comments) == 6
    assert shortfall.CODE not in [i.code for i in out.issues]


def test_quiet_below_the_margin(tmp_path: Path) -> None:
    # 2 read, 6 shown: fewer than 2 × 2 + 3 = 7.
    out = read_html(tmp_path, page(core(2), stories(6)))
    assert shortfall.CODE not in [i.code for i in out.issues]
    out = read_html(tmp_path, page(core(2), stories(7)))
    assert shortfall.CODE in [i.code for i in out.issues]


def test_an_announced_count_speaks_instead(tmp_path: Path) -> None:
    out = read_html(tmp_path, page(core(1), stories(8), heading='<h2 class="comments-title">9 comments</h2>'))
    codes = [i.code for i in out.issues]
    assert "count-mismatch" in codes and shortfall.CODE not in codes
