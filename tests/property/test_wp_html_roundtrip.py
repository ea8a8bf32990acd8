"""Round trip: random comment trees rendered as WordPress HTML read back unchanged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.core.records import Article, RawComment
from analyzer.ingest import wp_html
from analyzer.ingest.base import ReadOptions, Source
from tests.bench.synth.wp_html import render_wp_html

# Visible characters only (letters, marks, numbers, punctuation, symbols): whitespace is
# normalised by design, and control characters are not text.  Markup-significant characters
# are mixed in on purpose.
_CHARS = st.characters(categories=("L", "M", "N", "P", "S"), exclude_characters="\x7f")
_WORD = st.one_of(
    st.text(_CHARS, min_size=1, max_size=8),
    st.sampled_from(["<b>", "&amp;", "&", "<", ">", '"', "'", "</p>", "<!--", "Grüße", "日本", "🙂", "—"]),
)
_LINE = st.lists(_WORD, min_size=1, max_size=6).map(" ".join)
_PARAGRAPH = st.lists(_LINE, min_size=1, max_size=3).map("\n".join)
_TEXT = st.one_of(st.just(""), st.lists(_PARAGRAPH, min_size=1, max_size=3).map("\n\n".join))
_AUTHOR = st.one_of(st.none(), st.lists(st.text(_CHARS, min_size=1, max_size=6), min_size=1, max_size=3).map(" ".join))
_WHEN = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=10**9).map(lambda s: datetime(2000, 1, 1, tzinfo=UTC) + timedelta(seconds=s)),
)


@st.composite
def trees(draw: st.DrawFn) -> list[RawComment]:
    """Comments in pre-order: each new comment replies to a node on the current path, or is top level."""
    n = draw(st.integers(min_value=0, max_value=25))
    comments: list[RawComment] = []
    path: list[RawComment] = []
    for index in range(n):
        keep = draw(st.integers(min_value=0, max_value=len(path)))
        path = path[:keep]
        parent = path[-1] if path else None
        author = draw(_AUTHOR)
        text = draw(_TEXT)
        if author is None and not text:
            # An item with neither text nor author is a placeholder for a comment the page does
            # not show (wp_html, "comment-placeholder"): not a comment, so not one to read back.
            text = draw(_PARAGRAPH)
        comment = RawComment(
            comment_id=str(1000 + index),
            parent_id=parent.comment_id if parent else None,
            declared_depth=len(path) + 1,
            author=author,
            created_at=draw(_WHEN),
            text=text,
        )
        comments.append(comment)
        path.append(comment)
    return comments


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(comments=trees(), title=_LINE)
def test_rendered_page_reads_back_identically(tmp_path: Path, comments: list[RawComment], title: str) -> None:
    article = Article("77", title=title, body="Ein Absatz & noch einer.", language="de")
    path = tmp_path / "page.html"
    path.write_text(render_wp_html(article, comments), encoding="utf-8")
    out = wp_html.read(Source(path), ReadOptions())
    (thread,) = out.threads

    def key(c: RawComment) -> tuple[object, ...]:
        return (c.comment_id, c.parent_id, c.declared_depth, c.author, c.created_at, c.text)

    assert [key(c) for c in thread.comments] == [key(c) for c in comments]
    assert out.n_comments_in == len(comments)
    assert thread.article.title == title
    assert thread.article.article_id == "77"
    assert thread.article.n_announced == len(comments)
    assert not [i for i in out.issues if i.severity != "info"]
