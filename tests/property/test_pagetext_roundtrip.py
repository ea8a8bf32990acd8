"""Round trip: random trees rendered as page text and read back give the same comments.

Generated texts contain lines that look like list items ("3. …", "2) …"), dash and quote
lines, URLs and Cyrillic, but never at the start of a paragraph: a numbered paragraph that
follows a blank line at the position of a reply is ambiguous on a real page too (see
``_PageParser._opens_comment``), and author-like ("X sagt:"), date-like or reply-link lines
are never the first or last line of a text (page meta would claim them). Nor is a date-like
line the second line of a text: a short first line over a date line is how an author and date
header reads in a capture without meta, and with no other comments to compare, a reader cannot
tell them apart.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analyzer.core.records import Article, RawComment
from analyzer.ingest import pagetext
from analyzer.ingest.base import ReadOptions, Source
from tests.bench.synth.pagetext import render_pagetext

DATE_LINE = "17. Januar 2022 um 10:15 Uhr"
WORDS = st.sampled_from(
    ["Strom", "Netz", "warum", "die", "Medien", "schweigen", "Krise", "ja", "nein", "Привет", "Nordhavn", "…", "„so“"]
)
PLAIN_LINE = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
TRICKY_LINE = st.one_of(
    PLAIN_LINE,
    st.tuples(st.integers(1, 40), st.sampled_from([".", ")"]), PLAIN_LINE).map(lambda t: f"{t[0]}{t[1]} {t[2]}"),
    PLAIN_LINE.map(lambda s: "-" + s),
    PLAIN_LINE.map(lambda s: "> " + s),
    st.sampled_from(["_____://www.example.org/a/b", "hxxps://example[.]com/x", "www.example.net/seite", "Zitat:"]),
    st.just(DATE_LINE),
)
PARAGRAPH = st.tuples(PLAIN_LINE, st.lists(TRICKY_LINE, max_size=3)).map(lambda t: "\n".join([t[0], *t[1]]))
FIRST_PARAGRAPH = PARAGRAPH.filter(lambda p: len(p.split("\n")) < 2 or p.split("\n")[1] != DATE_LINE)
TEXT = st.one_of(
    st.just(""),
    st.tuples(FIRST_PARAGRAPH, st.lists(PARAGRAPH, max_size=2)).map(lambda t: "\n\n".join([t[0], *t[1]])),
)
AUTHOR = st.lists(st.sampled_from(["Max", "Anna", "Muster", "Leser", "K."]), min_size=1, max_size=3).map(" ".join)
WHEN = st.integers(0, 60 * 24 * 365 * 10).map(lambda m: datetime(2015, 1, 1, tzinfo=UTC) + timedelta(minutes=m))


@st.composite
def trees(draw: st.DrawFn) -> list[int]:
    """Declared depths in pre-order: first 1, then up to one deeper, or deeper with a gap."""
    n = draw(st.integers(1, 25))
    depths = [1]
    for _ in range(n - 1):
        previous = depths[-1]
        if draw(st.booleans()):
            depths.append(draw(st.integers(1, previous + 1)))
        else:
            depths.append(draw(st.integers(1, previous + 3)))
    return depths


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    depths=trees(),
    data=st.data(),
    step=st.sampled_from([2, 3, 4]),
    with_meta=st.booleans(),
    english=st.booleans(),
)
def test_render_then_read_gives_the_same_comments(
    tmp_path: Path, depths: list[int], data: st.DataObject, step: int, with_meta: bool, english: bool
) -> None:
    comments = [
        RawComment(
            f"x{i}",
            declared_depth=depth,
            text=data.draw(TEXT),
            author=data.draw(AUTHOR) if with_meta else None,
            created_at=data.draw(st.one_of(st.none(), WHEN)) if with_meta else None,
        )
        for i, depth in enumerate(depths)
    ]
    # The step must be identifiable from the page: some comment has text or meta lines one
    # step under its marker, or the depth differences are not all multiples of one gap.
    deeper = [d - 1 for d in depths if d > 1]
    has_body_lines = any(c.author or c.created_at or "\n" in c.text for c in comments)
    assume(not deeper or has_body_lines or math.gcd(*deeper) == 1)

    article = Article("a", title="Ein Titel", lead="Der Vorspann.", language="en" if english else "de")
    text = render_pagetext(
        article, comments, indent_step=step, with_meta=with_meta, trailer="Leave a Reply" if english else "Schreibe einen Kommentar"
    )
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    out = pagetext.read(Source(path), ReadOptions())
    got = out.threads[0].comments

    assert out.n_comments_in == len(comments)
    assert [c.declared_depth for c in got] == depths
    expected_parents: list[str | None] = []
    for i, depth in enumerate(depths):
        parent = next((j for j in range(i - 1, -1, -1) if depths[j] < depth), None)
        expected_parents.append(None if parent is None else f"c{parent + 1}")
    assert [c.parent_id for c in got] == expected_parents
    assert [c.text for c in got] == [c.text for c in comments]
    assert [c.author for c in got] == [c.author for c in comments]
    assert [c.created_at for c in got] == [c.created_at for c in comments]
    assert out.threads[0].article.n_announced == len(comments)
    assert not [i for i in out.issues if i.code in ("ambiguous-indent", "ordinal-gap", "count-mismatch")]
