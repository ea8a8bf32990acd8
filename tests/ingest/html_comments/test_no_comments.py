"""Pages without comments (issue 12, round 3): an article whose markup the article reader does
not know is read with zero comments and an info line, not refused; a page with nothing
recognisable is still refused; every zero says what it means.  Pages written for the test."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from analyzer.cli import main
from analyzer.core.errors import FormatError
from analyzer.ingest import wp_html
from analyzer.ingest.base import COMMENTS_NOT_RECOGNISED, ReaderOutput, ReadOptions, Source
from analyzer.ingest.html_comments import no_comments
from tests.ingest.saved_html import read_html

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures"
STORY = "".join(f"<p>Paragraph {i} of a story about the harbour, long enough to count as text here.</p>" for i in range(8))


def info(out: ReaderOutput) -> str:
    (issue,) = [i for i in out.issues if i.code == no_comments.CODE]
    assert issue.severity == "info"
    return issue.detail


def test_news_article_in_unknown_markup_is_read_not_refused() -> None:
    out = wp_html.read(Source(FIXTURES / "en_news_article_no_comments" / "input.html"), ReadOptions())
    assert out.threads[0].comments == []
    detail = info(out)
    assert 'og:type "article"' in detail and "JSON-LD NewsArticle" in detail and "no comment section" in detail
    body = out.threads[0].article.body or ""
    assert body.startswith("The large gantry crane") and "spare gearbox" in body


@pytest.mark.parametrize(
    ("head", "body", "evidence"),
    [
        ("", f"<article>{STORY}</article>", "<article> with 8 paragraphs"),
        ("", f'<div itemscope itemtype="https://schema.org/BlogPosting">{STORY}</div>', "schema.org blogposting"),
        ('<meta property="article:published_time" content="2024-01-02">', f"<div>{STORY}</div>", "published_time"),
    ],
)
def test_each_kind_of_article_evidence(tmp_path: Path, head: str, body: str, evidence: str) -> None:
    out = read_html(tmp_path, f"<html><head><title>T</title>{head}</head><body>{body}</body></html>")
    assert evidence in info(out)
    assert out.threads[0].article.body  # the story's paragraphs


def test_a_page_with_nothing_recognisable_is_still_refused(tmp_path: Path) -> None:
    with pytest.raises(FormatError):
        read_html(tmp_path, "<html><head><title>T</title></head><body><div>Login</div><ul><li>a</li></ul></body></html>")
    # A short teaser card in an <article> is no story.
    with pytest.raises(FormatError):
        read_html(tmp_path, "<html><body><article><h2>Title</h2><p>One line.</p></article></body></html>")


def test_teasers_widgets_and_form_give_zero_with_an_info_line() -> None:
    out = wp_html.read(Source(FIXTURES / "de_teasers_no_comments" / "input.html"), ReadOptions())
    assert out.threads[0].comments == []
    assert COMMENTS_NOT_RECOGNISED not in [i.code for i in out.issues]
    assert "comment form but no comment" in info(out)


def test_closed_comments_say_so(tmp_path: Path) -> None:
    html = (
        '<html><body><article id="post-3"><h1 class="entry-title">T</h1><div class="entry-content">'
        '<p>Text.</p></div></article><div id="comments"><p class="no-comments">Comments are closed.</p></div>'
        "</body></html>"
    )
    assert "comments are closed" in info(read_html(tmp_path, html))


def test_story_container_needs_paragraphs_and_characters() -> None:
    short = lxml.html.document_fromstring("<html><body><main><p>a</p><p>b</p><p>c</p></main></body></html>")
    assert no_comments.story_container(short) is None
    long = lxml.html.document_fromstring(f"<html><body><main>{STORY}</main></body></html>")
    story = no_comments.story_container(long)
    assert story is not None and story.tag == "main"


@pytest.mark.slow  # two full `analyse` runs
def test_analyse_exits_0_on_an_article_without_comments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("en_news_article_no_comments", "de_teasers_no_comments"):
        source = FIXTURES / name / "input.html"
        assert main(["analyse", str(source), "--out", str(tmp_path / name), "--stages", "structure", "-q"]) == 0
