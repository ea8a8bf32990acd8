"""Four questions a data journalist asks, answered by clicking, on a 621-comment thread (issue 14).

Each test is one question, played in headless Chromium as a person would: open a page, click
the number, read the comments behind it.  The run is real-shaped (see journalist_run.py) and
carries hostile text and a 300-character author name; every test also checks that nothing
injected ran, that no console error occurred and that the page did not grow wider than the
window.  Each question must be answerable well within a minute; the test bounds its own time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from dashboards import ids
from tests.dashboards.conftest import Served
from tests.dashboards.journalist_run import BIG, LONG_AUTHOR, UNTITLED, build

pytestmark = pytest.mark.slow
QUESTION_BUDGET_S = 60.0


@pytest.fixture(scope="module")
def journalist_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("journalist"))


@pytest.fixture(scope="module")
def server(journalist_run: Path) -> Iterator[Served]:
    served = Served(journalist_run)
    yield served
    served.close()


def _fig(name: str, kind: str = "article-fig") -> str:
    return f"[id='{{\"name\":\"{name}\",\"type\":\"{kind}\"}}']"


def _query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _sane(page: Any) -> None:
    """Nothing injected ran, no console error, and the page is no wider than the window."""
    page.wait_for_timeout(200)
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.problems == []
    assert page.evaluate("() => document.querySelectorAll('[onerror], img[src=x], main script').length") == 0
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1440 + 1, f"page is {width} px wide"


def _click_point(page: Any, locator: Any) -> None:
    """Click a plotly mark as a mouse does: scroll to it, hover (plotly picks the point), press."""
    locator.scroll_into_view_if_needed()
    page.wait_for_timeout(400)  # plotly attaches its hover handlers after the first draw
    box = locator.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(150)
    page.mouse.down()
    page.mouse.up()


def _table(page: Any) -> None:
    page.wait_for_url("**/comments?**")
    page.wait_for_selector(f"#{ids.COMMENTS_GRID} .ag-row")


def test_q1_how_did_readers_respond(page: Any, server: Served) -> None:
    """Headline sentence with counts; "deny" opens the denying comments; a row shows the cue words."""
    start = time.monotonic()
    page.goto(f"{server.url}/article?a={BIG}")
    page.wait_for_selector(f"{_fig('stance')} .point")
    verdict = page.inner_text(".verdict")
    assert " of 621" in verdict and "contradict" in verdict
    lines = page.inner_text(".share-lines")
    assert "95 % CI" in lines and "deny" in lines
    page.click(".share-lines a:has-text('deny')")
    _table(page)
    assert _query(page)["stance"] == ["deny"]
    heading = page.inner_text(f"#{ids.COMMENTS_TITLE}")
    assert "stance toward the article = deny" in heading and "of 621 comments" in heading
    page.locator(f"#{ids.COMMENTS_GRID} .ag-row .ag-cell").first.click()
    page.wait_for_selector(f"#{ids.COMMENTS_DETAIL} .comment-text")
    detail = page.inner_text(f"#{ids.COMMENTS_DETAIL}")
    assert "toward the article" in detail and "Why:" in detail and "{" not in detail  # words, not JSON
    with page.expect_download() as download:
        page.click(f"#{ids.COMMENTS_EXPORT}")
    csv = Path(download.value.path()).read_text(encoding="utf-8")
    assert csv.startswith("article_id,comment_id") and csv.count("\n") > 2
    # The stance bar itself is clickable too.
    page.goto(f"{server.url}/article?a={BIG}")
    page.wait_for_selector(f"{_fig('stance')} .point")
    _click_point(page, page.locator(f"{_fig('stance')} .point").first)
    _table(page)
    assert _query(page)["stance"] == ["support"]
    _sane(page)
    assert time.monotonic() - start < QUESTION_BUDGET_S


def test_q2_did_they_accept_the_framing(page: Any, server: Served) -> None:
    """Frame names in plain words with definitions; a frame opens the comments using it."""
    start = time.monotonic()
    page.goto(f"{server.url}/article?a={BIG}")
    page.wait_for_selector(".frame-glossary dt")
    glossary = page.inner_text(".frame-glossary")
    assert "Economic consequences" in glossary and "economic_consequences" not in glossary
    assert "Costs, prices" in glossary  # the definition from the inventory
    page.click(".frame-glossary dt a:has-text('Media criticism')")
    _table(page)
    assert "in the frame “Media criticism”" in page.inner_text(f"#{ids.COMMENTS_TITLE}")
    # A keyness term opens the comments using it (any form of the word).
    page.goto(f"{server.url}/article?a={BIG}")
    page.wait_for_selector(f"{_fig('keyness')} .point")
    bars = page.locator(f"{_fig('keyness')} .point")  # drawn from the lowest z: readers' terms come last
    _click_point(page, bars.nth(bars.count() - 3))  # not the top bar: the mode bar covers it
    _table(page)
    assert "term" in _query(page)
    # Without article text the page says so instead of comparing with nothing.
    page.goto(f"{server.url}/article?a={UNTITLED}")
    page.wait_for_selector(f"#{ids.ARTICLE_RESPONSE}")
    assert "no article text" in page.inner_text(f"#{ids.ARTICLE_RESPONSE}")
    _sane(page)
    assert time.monotonic() - start < QUESTION_BUDGET_S


def test_q3_which_links_did_they_share(page: Any, server: Served) -> None:
    """Domains, the missing credibility list explained, disguised links never clickable."""
    start = time.monotonic()
    page.goto(f"{server.url}/links?a={BIG}")
    page.wait_for_selector(f"#{ids.LINKS_GRID} .ag-row")
    assert "analyzer domains import" in page.inner_text(f"#{ids.LINKS_SUMMARY}")
    page.locator(f"#{ids.LINKS_GRID} .ag-row .ag-cell").first.click()
    page.wait_for_selector(f"#{ids.LINKS_COMMENTS} li")
    assert page.evaluate("() => [...document.querySelectorAll('a')].filter(a => /hxxp|\\[\\.\\]/i"
                         ".test(a.getAttribute('href') || '')).length") == 0
    page.click(f"#{ids.LINKS_COMMENTS} a:has-text('open these comments as a table')")
    _table(page)
    assert "links to" in page.inner_text(f"#{ids.COMMENTS_TITLE}")
    _sane(page)
    assert time.monotonic() - start < QUESTION_BUDGET_S


def test_q4_who_argued_with_whom(page: Any, server: Served) -> None:
    """Reply pairs with denials, reciprocal exchanges, chains; into the thread and back."""
    start = time.monotonic()
    page.goto(f"{server.url}/participants?a={BIG}")
    page.wait_for_selector(f"#{ids.PEOPLE_BODY} table")
    body = page.inner_text(f"#{ids.PEOPLE_BODY}")
    assert "Who replied to whom" in body and "Reciprocal exchanges" in body and "denial" in body
    assert "95 % CI" in body or "too few" in body
    assert "Chain 1" in body
    page.click("a:has-text('open in the thread') >> nth=0")
    page.wait_for_url("**/thread?**")
    page.wait_for_selector(f"#{ids.CONV_LIST} .conv-selected")
    chosen = _query(page)["c"][0]
    # The panel shows the parent and the replies; the tree outlines the same comment.
    page.wait_for_selector(f"#{ids.THREAD_DETAIL} .conv-brief")
    assert "replies (" in page.inner_text(f"#{ids.THREAD_DETAIL}").lower()
    # A click in the conversation moves the selection (and the URL, so it can be shared).
    page.locator(f"#{ids.CONV_LIST} .conv-text").nth(3).click()
    page.wait_for_function(f"() => !location.search.includes('c={chosen}')")
    # Search within the thread.
    page.fill(f"#{ids.CONV_SEARCH}", "banks")
    page.press(f"#{ids.CONV_SEARCH}", "Enter")
    page.wait_for_function(f"() => document.querySelector('#{ids.CONV_INFO}').innerText.includes('matches')")
    assert page.locator(f"#{ids.CONV_LIST} .mk-hit").count() > 0
    # The corpus network answers the same question across articles.
    page.goto(f"{server.url}/participants?a=*")
    page.wait_for_selector(f"{_fig('network', 'people-fig')} .point")
    _sane(page)
    assert time.monotonic() - start < QUESTION_BUDGET_S


def test_conversation_pages_folds_and_follows_the_tree(page: Any, server: Served) -> None:
    page.goto(f"{server.url}/thread?a={BIG}")
    page.wait_for_selector(f"#{ids.CONV_LIST} .conv-row")
    assert page.locator(f"#{ids.CONV_LIST} .conv-row").count() == 100  # a page, not 621 rows
    assert "of 621" in page.inner_text(f"#{ids.CONV_INFO}")
    page.click(f"#{ids.CONV_NEXT}")
    page.wait_for_function(f"() => document.querySelector('#{ids.CONV_INFO}').innerText.includes('101–200')")
    page.click(f"#{ids.CONV_PREV}")
    page.wait_for_function(f"() => document.querySelector('#{ids.CONV_INFO}').innerText.includes('1–100')")
    page.locator(f"#{ids.CONV_LIST} .conv-toggle").first.click()
    page.wait_for_function(f"() => document.querySelector('#{ids.CONV_INFO}').innerText.includes('collapsed')")
    # A click on a box of the tree selects the comment in the conversation.
    _click_point(page, page.locator("#thread-tree g.slice").nth(5))
    page.wait_for_function("() => new URLSearchParams(location.search).get('c') !== null")
    chosen = _query(page)["c"][0]
    page.wait_for_selector(f"#{ids.CONV_LIST} .conv-selected")
    selected_text = page.inner_text(f"#{ids.CONV_LIST} .conv-selected")
    assert selected_text
    assert chosen
    page.click(f"#{ids.THREAD_RESET}")  # out of the zoomed branch, the selection kept
    page.wait_for_timeout(800)
    assert _query(page)["c"] == [chosen]
    assert LONG_AUTHOR[:20] not in page.inner_text(f"#{ids.NAV}")
    _sane(page)


def test_over_time_opens_the_comments_of_a_bin(page: Any, server: Served) -> None:
    page.goto(f"{server.url}/time?a={BIG}")
    page.wait_for_selector(f"{_fig('stance', 'time-fig')} .point")
    assert "the busiest hour" in page.inner_text(f"#{ids.TIME_BODY}")
    _click_point(page, page.locator(f"{_fig('stance', 'time-fig')} .point").nth(2))
    _table(page)
    assert "written from" in page.inner_text(f"#{ids.COMMENTS_TITLE}")
    _sane(page)


def test_corpus_faces_and_unknown_links(page: Any, server: Served) -> None:
    page.goto(server.url + "/")
    page.wait_for_selector(f"#{ids.CORPUS_GRID} .ag-row")
    grid = page.inner_text(f"#{ids.CORPUS_GRID}")
    assert f"{UNTITLED} · " in grid  # an untitled article shows its id and first words
    assert page.inner_text("h2").startswith("3 articles, 700 comments")
    first = page.locator(f"#{ids.CORPUS_GRID} .ag-row[row-index='0']").inner_text()
    assert "621" in first  # most commented first
    page.goto(f"{server.url}/thread?" + urlencode({"a": "no-such-article", "c": "x"}))
    page.wait_for_selector(".not-found")
    assert "Article not found" in page.inner_text(".not-found")
    _sane(page)
