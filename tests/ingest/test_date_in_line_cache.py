"""``capturelist.date_in_line`` keeps its answers per line and per page setting.

The readers ask about the same lines many times, so the answers are kept; an answer that
depends on the page (its learnt furniture lines beside relative dates, its month-year dates)
must never be handed to another page.
"""

from __future__ import annotations

from analyzer.ingest import capturelist


def test_an_answer_that_depends_on_the_page_furniture_is_kept_per_page() -> None:
    line = "2 hours ago Flag as rude"
    assert capturelist.date_in_line(line) is None
    token = capturelist._PAGE_FURNITURE.set(frozenset({"Flag as rude"}))
    try:
        found = capturelist.date_in_line(line)
        assert found is not None and found.group(0) == "2 hours ago"
    finally:
        capturelist._PAGE_FURNITURE.reset(token)
    assert capturelist.date_in_line(line) is None


def test_an_answer_that_depends_on_month_year_dates_is_kept_per_setting() -> None:
    line = "March 2018 edited March 2018"
    assert capturelist.date_in_line(line) is None
    token = capturelist._MONTH_YEAR_POSTS.set(True)
    try:
        assert capturelist.date_in_line(line) is not None
    finally:
        capturelist._MONTH_YEAR_POSTS.reset(token)
    assert capturelist.date_in_line(line) is None
