"""The Coordination and Labels pages in headless Chromium: from each number to its comments.

The run has a planted copy-paste campaign, a co-sharing group, removals and hand-written labels
(tests/dashboards/coordination_run.py).  Each test clicks as a reader would and checks the
comment table it lands on, that no console error occurred and that the page is no wider than
the window.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboards import ids
from tests.dashboards.conftest import Served
from tests.dashboards.coordination_run import N_COPIES, build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    run: Path = build(tmp_path_factory.mktemp("coordination_browser"))
    served = Served(run)
    yield served
    served.close()


def _sane(page: Any) -> None:
    page.wait_for_timeout(200)
    assert page.problems == []
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 1440 + 1, f"page is {width} px wide"


def _rows(page: Any, url: str = "**/comments?**") -> int:
    page.wait_for_url(url)
    page.wait_for_selector(f"#{ids.COMMENTS_GRID} .ag-row")
    page.wait_for_timeout(300)
    return int(page.locator(f"#{ids.COMMENTS_GRID} .ag-center-cols-container .ag-row").count())


def test_a_campaign_opens_its_copies(page: Any, server: Served) -> None:
    page.goto(server.url + "/coordination")
    page.wait_for_selector("text=Campaigns: the same text under many articles")
    row = page.locator("tr", has_text="verschweigt seit Monaten").first
    row.locator("a.num-link").first.click()  # "copies" (the next one, accounts, sorts them by account)
    assert _rows(page) == N_COPIES
    assert "cluster" in parse_qs(urlsplit(page.url).query)
    assert page.locator(f"#{ids.COMMENTS_TITLE}").inner_text().startswith(f"{N_COPIES} of")
    _sane(page)


def test_a_campaign_shows_its_copies_on_the_page(page: Any, server: Served) -> None:
    page.goto(server.url + "/coordination")
    row = page.locator("tr", has_text="verschweigt seit Monaten").first
    row.locator("a.btn-link").click()
    page.wait_for_url("**/coordination?k=*")
    members = page.locator(f"#{ids.COORD_MEMBERS} li")
    members.first.wait_for()
    assert members.count() == N_COPIES
    _sane(page)


def test_a_co_sharing_pair_opens_the_comments_with_the_shared_links(page: Any, server: Served) -> None:
    page.goto(server.url + "/coordination")
    page.wait_for_selector("text=Co-sharing pairs")
    pair = page.locator("tr", has_text="Verteiler_A").filter(has_text="Verteiler_C").last
    pair.locator("a.num-link").click()
    assert _rows(page) == 4  # two URLs each, one of them through a redirect wrapper
    assert "co-shared URLs" in page.locator(f"#{ids.COMMENTS_TITLE}").inner_text()
    _sane(page)


def test_labels_and_removals_open_their_comments(page: Any, server: Served) -> None:
    page.goto(server.url + "/labels")
    page.wait_for_selector("text=not a finding")
    page.locator("tr", has_text="uses arguments").locator("a.num-link").click()
    assert _rows(page) > 0
    assert "labelled “uses arguments”" in page.locator(f"#{ids.COMMENTS_TITLE}").inner_text()
    _sane(page)
    page.goto(server.url + "/labels")
    page.get_by_text("open the removed comments").click()
    assert _rows(page) > 0
    assert "deleted or removed" in page.locator(f"#{ids.COMMENTS_TITLE}").inner_text()
    _sane(page)


def test_the_comment_table_turns_pages_on_the_server(page: Any, server: Served) -> None:
    page.goto(server.url + "/comments")
    first = _rows(page, "**/comments")
    assert page.locator(f"#{ids.COMMENTS_PAGE_INFO}").inner_text().startswith(f"rows 1–{first} of")
    before = page.locator(f"#{ids.COMMENTS_GRID} .ag-row").first.inner_text()
    page.locator(f"#{ids.COMMENTS_NEXT}").click()
    page.wait_for_function(f"() => document.querySelector('#{ids.COMMENTS_PAGE_INFO}').innerText.startsWith"
                           f"('rows {first + 1}–')")
    # The address bar follows the page state in a clientside callback that runs after the
    # server's answer has been drawn: wait for it rather than read the URL at once.
    page.wait_for_function("() => new URLSearchParams(window.location.search).has('page')")
    assert "page" in parse_qs(urlsplit(page.url).query)
    assert page.locator(f"#{ids.COMMENTS_GRID} .ag-row").first.inner_text() != before
    _sane(page)
