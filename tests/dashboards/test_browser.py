"""The dashboard in headless Chromium (Debian's package) driven by Playwright.

Every page must load without console errors; the core interactions must work; hostile text must
stay text.  Screenshots land in $ANALYZER_SCREENSHOTS or <tmp>/analyzer-dashboard-screenshots.
Skipped when Playwright or /usr/bin/chromium is absent (`apt-get install chromium`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from dashboards import ids
from tests.dashboards.conftest import ARTICLE, COPY, XSS_LINK, Served

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("ANALYZER_SCREENSHOTS") or Path(tempfile.gettempdir()) / "analyzer-dashboard-screenshots")

# Predicates are arrow functions, not expressions: Playwright evaluates a bare expression with
# eval() in the page while polling, which the dashboard's CSP (no 'unsafe-eval') forbids.


def _open(page: Any, url: str, ready: str) -> None:
    page.goto(url)
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(("name", "path", "ready"), [
    ("corpus", "/", f"#{ids.CORPUS_GRID} .ag-row"),
    ("article", f"/article?a={ARTICLE}", f"#{ids.ARTICLE_BODY} .article-body"),
    ("thread", f"/thread?a={ARTICLE}&c=c3", f"#{ids.THREAD_TREE} g.slice"),
    ("links", f"/links?a={ARTICLE}&d=example.org", f"#{ids.LINKS_GRID} .ag-row"),
])
def test_every_page_loads_without_console_errors(page: Any, full_server: Served, name: str, path: str,
                                                 ready: str) -> None:
    _open(page, full_server.url + path, ready)
    _shot(page, name)
    assert page.problems == []


def test_corpus_row_click_opens_the_article(page: Any, full_server: Served) -> None:
    _open(page, full_server.url + "/", f"#{ids.CORPUS_GRID} .ag-row")
    page.locator(f"#{ids.CORPUS_GRID} .ag-row[row-id='{COPY}'] .ag-cell").first.click()
    page.wait_for_url("**/article?a=copy_page")
    page.wait_for_selector("text=Zweiter Artikel: Kopie")
    assert page.problems == []


def test_choosing_an_article_updates_the_view_and_the_url(page: Any, full_server: Served) -> None:
    _open(page, full_server.url + "/article", f"#{ids.ARTICLE_BODY} .article-body")
    assert "Blackout" in page.inner_text(f"#{ids.ARTICLE_HEAD}")
    page.click(f"#{ids.ARTICLE_PICK}")
    page.get_by_role("option", name="Zweiter Artikel").click()
    page.wait_for_selector(f"#{ids.ARTICLE_HEAD} >> text=Zweiter Artikel: Kopie")
    page.wait_for_function("() => window.location.search === '?a=copy_page'")
    assert page.get_attribute(f"#{ids.NAV_THREAD}", "href") == "/thread?a=copy_page"
    assert page.problems == []


def test_clicking_a_comment_and_toggling_the_colouring(page: Any, full_server: Served) -> None:
    _open(page, full_server.url + f"/thread?a={ARTICLE}", f"#{ids.THREAD_TREE} g.slice")
    slices = page.locator(f"#{ids.THREAD_TREE} g.slice")
    assert slices.count() == 30  # 26 visible + 3 ghosts + the article
    slices.nth(1).click()  # the first top-level comment (c1)
    page.wait_for_selector(f"#{ids.THREAD_DETAIL} >> text=Comment c1")
    assert "agreement marker" in page.inner_text(f"#{ids.THREAD_DETAIL}")
    page.wait_for_function("() => new URLSearchParams(window.location.search).get('c') === 'c1'")
    fill = f"document.querySelectorAll('#{ids.THREAD_TREE} g.slice path.surface')[1].style.fill"
    before = page.evaluate(fill)
    page.get_by_label("stance toward the parent").check()
    page.wait_for_function("() => new URLSearchParams(window.location.search).get('color') === 'parent'")
    page.wait_for_function(f"() => {fill} !== {before!r}")
    assert "Comment c1" in page.inner_text(f"#{ids.THREAD_DETAIL}")  # the selection survives
    _shot(page, "thread-selected")
    assert page.problems == []


def test_shared_url_restores_the_thread_view(page: Any, full_server: Served) -> None:
    _open(page, full_server.url + f"/thread?a={ARTICLE}&c=c7&color=parent", f"#{ids.THREAD_TREE} g.slice")
    assert "Comment c7" in page.inner_text(f"#{ids.THREAD_DETAIL}")
    assert page.is_checked("input[value='parent']")


def test_opening_a_domain_lists_its_comments(page: Any, full_server: Served) -> None:
    _open(page, full_server.url + f"/links?a={ARTICLE}", f"#{ids.LINKS_GRID} .ag-row")
    page.locator(f"#{ids.LINKS_GRID} .ag-row[row-id='example.net'] .ag-cell").first.click()
    page.wait_for_selector(f"#{ids.LINKS_COMMENTS} >> text=1 comment shared example.net")
    page.wait_for_function("() => new URLSearchParams(window.location.search).get('d') === 'example.net'")
    page.locator(f"#{ids.LINKS_COMMENTS} a.comment-link").first.click()
    page.wait_for_selector(f"#{ids.THREAD_DETAIL} >> text=Comment c20")
    assert page.problems == []


@pytest.mark.parametrize("path", ["/", f"/article?a={ARTICLE}", f"/thread?a={ARTICLE}&c=c1",
                                  f"/links?a={ARTICLE}&d=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(4)%3E"])
def test_hostile_text_stays_text(page: Any, xss_server: Served, path: str) -> None:
    _open(page, xss_server.url + path, ".main h2, .main h3")
    page.wait_for_timeout(300)  # give any injected handler a chance to run
    assert page.evaluate("window.__xss") is None
    assert [p for p in page.problems if p.startswith(("dialog", "pageerror"))] == []
    # No element carries an injected handler, and nothing links to javascript:.
    assert page.evaluate("document.querySelectorAll('[onerror], [onclick], img[src=x]').length") == 0
    assert page.evaluate("[...document.querySelectorAll('a[href]')].filter(a => "
                         "a.getAttribute('href').trim().toLowerCase().startsWith('javascript')).length") == 0
    scripts = page.evaluate("[...document.scripts].map(s => s.textContent).join(' ')")
    assert "__xss" not in scripts
    if "thread" in path:
        detail = page.inner_text(f"#{ids.THREAD_DETAIL}")
        assert "<script>window.__xss = 1" in detail and XSS_LINK in detail  # shown literally
        _shot(page, "xss-thread")


_STROKES = (f"() => [...document.querySelectorAll('#{ids.THREAD_TREE} g.slice path.surface')]"
            ".map(p => p.style.stroke + ' ' + p.style.strokeWidth)")
_OUTLINE = "rgb(17, 17, 17) 3"  # analyzer.outputs.figures.SELECTED_LINE as the browser reports it


def test_the_selected_comment_is_outlined(page: Any, full_server: Served) -> None:
    _open(page, full_server.url + f"/thread?a={ARTICLE}&c=c7", f"#{ids.THREAD_TREE} g.slice")
    strokes = page.evaluate(_STROKES)
    assert strokes.count(_OUTLINE) == 1  # the shared URL's comment, drawn by the server
    page.locator(f"#{ids.THREAD_TREE} g.slice").nth(1).click()  # c1: the outline moves, in the browser
    page.wait_for_selector(f"#{ids.THREAD_DETAIL} >> text=Comment c1")
    # The plot's own trace says which box is outlined (the click also zooms, reordering the DOM).
    trace = f"document.querySelector('#{ids.THREAD_TREE} .js-plotly-plot').data[0]"
    page.wait_for_function(f"() => {{ const t = {trace}; return t.meta.selected && "
                           f"t.meta.selected.index === t.ids.indexOf('c1'); }}")
    assert page.evaluate(_STROKES).count(_OUTLINE) == 1
    assert page.problems == []


def test_the_corpus_scatter_follows_the_grid(page: Any, full_server: Served) -> None:
    _open(page, full_server.url + "/", f"#{ids.CORPUS_GRID} .ag-row")
    page.wait_for_selector(f"#{ids.CORPUS_SCATTER} .scatterlayer .point")
    assert page.locator(f"#{ids.CORPUS_SCATTER} .scatterlayer .point").count() == 2  # two articles
    page.locator(f"#{ids.CORPUS_SCATTER} .scatterlayer .point").first.click(force=True)
    page.wait_for_url("**/article?a=*")
    assert page.problems == []
