"""The comment table page without a browser: URL filters checked, counts agree with the views."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from dashboards.data import RunData
from dashboards.pages import comments as page
from tests.dashboards.conftest import ARTICLE


@pytest.fixture(scope="module")
def data(full_run: Path) -> RunData:
    return RunData(full_run)


def test_url_filters_are_checked() -> None:
    state = page.query_state({"a": ARTICLE, "stance": "<script>", "depth": "-3", "link": "maybe", "sort": "drop",
                              "quoted": "2", "desc": "1", "q": "x" * 1000, "evil": "1"})
    assert state == {"a": ARTICLE, "q": "x" * 300, "quoted": 2, "desc": 1}
    assert "quoted" not in page.query_state({"quoted": "2"})  # a sentence only within an article


def test_stance_rows_match_the_stance_counts(data: RunData) -> None:
    counts = data.stance_counts(ARTICLE)
    assert counts is not None
    for label, n in counts.select("label", "n").iter_rows():
        shown, total = page.rows(data, {"a": ARTICLE, "stance": label})
        assert shown.height == n and total == data.comment_table(ARTICLE).height


def test_quoted_sentence_lists_the_quoting_comments(data: RunData) -> None:
    quotes = data.quotes(ARTICLE)
    assert quotes is not None
    aligned = quotes.drop_nulls("article_sent_idx")
    if aligned.is_empty():
        pytest.skip("the sample's quotes align with no article sentence")
    sentence = int(aligned["article_sent_idx"][0])
    expected = set(aligned.filter(pl.col("article_sent_idx") == sentence)["comment_id"].to_list())
    shown, _ = page.rows(data, {"a": ARTICLE, "quoted": sentence})
    assert set(shown["comment_id"].to_list()) == expected
    assert "quoting the chosen article sentence" in str(page.heading(data, {"a": ARTICLE, "quoted": sentence},
                                                                       shown, 0))


def test_export_is_all_rows_and_formula_safe(data: RunData) -> None:
    out = page.export(data, {"a": ARTICLE})
    lines = out["content"].splitlines()
    assert out["filename"] == f"comments-{ARTICLE}.csv" and lines[0].startswith("article_id,comment_id")
    assert not any(cell.startswith(("=", "+", "@")) for line in lines[1:] for cell in line.split(","))


def test_pages_are_turned_on_the_server(data: RunData) -> None:
    # The grid gets one page of rows; next / previous move through all of them and stop at the ends.
    shown, _ = page.rows(data, {})
    assert shown.height > 0
    _, first_rows, info, state = page.update(data, "*", "", "stance_article", -1, [], "", "", "seq", {})
    assert len(first_rows) == min(page.PAGE_ROWS, shown.height) and "page" not in state
    assert info == f"rows 1–{len(first_rows)} of {shown.height:,}"
    ids_ = [r["comment_id"] for r in first_rows]
    assert ids_ == shown["comment_id"].head(page.PAGE_ROWS).to_list()
    _, rows_next, info_next, state_next = page.update(data, "*", "", "stance_article", -1, [], "", "", "seq", state,
                                                      trigger=page.ids.COMMENTS_NEXT)
    if shown.height > page.PAGE_ROWS:
        assert state_next["page"] == 1 and rows_next[0]["comment_id"] == shown["comment_id"][page.PAGE_ROWS]
        assert info_next.startswith(f"rows {page.PAGE_ROWS + 1}–")
    else:  # one page only: next stays on it
        assert "page" not in state_next and rows_next == first_rows
    _, rows_back, _, state_back = page.update(data, "*", "", "stance_article", -1, [], "", "", "seq", state,
                                              trigger=page.ids.COMMENTS_PREV)
    assert "page" not in state_back and rows_back == first_rows
    assert page.page_span({"page": 10**9}, shown.height)[0] == (shown.height - 1) // page.PAGE_ROWS
