"""Hostile input, analysed like a user's file, stays inert in the dashboard (headless Chromium).

The run is built from a table written here (tests/dashboards/hostile_input.py): script tags,
event handlers, ``javascript:`` URLs (also as rows of the links page), bidi controls and a 1 MB
comment.  Every page must load without a dialog, a page error or a console message, no payload
may run (``window.__pwned`` stays undefined), nothing may link to ``javascript:``, bidi
controls must not reorder the labels next to them, and the 1 MB comment must not reach the
browser whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from dashboards import ids
from tests.dashboards.conftest import Served
from tests.dashboards.hostile_input import (
    ARTICLE,
    BIDI_AUTHOR,
    BIDI_COMMENT,
    BIG_CHARS,
    BIG_COMMENT,
    IMG_DOMAIN,
    JS_URL,
    SCRIPT,
    SCRIPT_COMMENT,
    build_run,
)
from tests.dashboards.hostile_input import (
    IMG as HOSTILE_IMG,
)

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_run(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def hostile_server(hostile_run: Path) -> Iterator[Served]:
    served = Served(hostile_run)
    yield served
    served.close()


def _open(page: Any, url: str, ready: str) -> None:
    page.goto(url)
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # give anything injected a chance to run


def _assert_inert(page: Any) -> None:
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.problems == []  # no dialog, page error, console error or CSP report
    assert page.evaluate("() => document.querySelectorAll("
                         "'[onerror], [onload], [onclick], [onmouseover], img[src=x], main script, main svg[onload]'"
                         ").length") == 0
    hrefs = page.evaluate("() => [...document.querySelectorAll('[href], [src], [action], [formaction]')]"
                          ".map(e => (e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')"
                          " || e.getAttribute('formaction') || '').trim().toLowerCase())")
    assert not [h for h in hrefs if h.startswith(("javascript", "data:text", "vbscript"))]
    scripts = page.evaluate("() => [...document.scripts].map(s => s.textContent).join(' ')")
    assert "__pwned" not in scripts


PAGES = [
    ("corpus", "/", f"#{ids.CORPUS_GRID} .ag-row"),
    ("article", "/article?" + urlencode({"a": ARTICLE}), f"#{ids.ARTICLE_BODY} .article-body"),
    ("thread-script", "/thread?" + urlencode({"a": ARTICLE, "c": SCRIPT_COMMENT}), f"#{ids.THREAD_DETAIL} .comment-text"),
    ("thread-bidi", "/thread?" + urlencode({"a": ARTICLE, "c": BIDI_COMMENT}), f"#{ids.THREAD_DETAIL} .comment-text"),
    ("links", "/links?" + urlencode({"a": ARTICLE}), f"#{ids.LINKS_GRID} .ag-row"),
    ("links-js-domain", "/links?" + urlencode({"a": ARTICLE, "d": "javascript"}), f"#{ids.LINKS_COMMENTS} li"),
    ("links-img-domain", "/links?" + urlencode({"a": ARTICLE, "d": IMG_DOMAIN}), f"#{ids.LINKS_COMMENTS} li"),
    ("links-all", "/links?" + urlencode({"a": ids.ALL_ARTICLES, "d": "javascript"}), f"#{ids.LINKS_COMMENTS} li"),
    ("url-state", "/thread?" + urlencode({"a": f"{ARTICLE}\"><script>window.__pwned=9</script>",
                                         "c": "<img src=x onerror=alert(9)>", "color": "<b>"}),
     ".not-found"),
    ("comments", "/comments?" + urlencode({"a": ARTICLE, "q": "<script>x</script>", "sort": "<b>"}),
     f"#{ids.COMMENTS_TITLE} h2"),
    ("comments-all", "/comments?" + urlencode({"sort": "author"}), f"#{ids.COMMENTS_GRID} .ag-row"),
    ("participants", "/participants?" + urlencode({"a": ARTICLE}), f"#{ids.PEOPLE_BODY} table"),
    ("participants-corpus", "/participants?" + urlencode({"a": ids.ALL_ARTICLES}), f"#{ids.PEOPLE_BODY} .main-svg"),
    ("time", "/time?" + urlencode({"a": ARTICLE, "every": "<img src=x onerror=alert(5)>"}),
     f"#{ids.TIME_BODY} .main-svg"),
    ("coordination", "/coordination?" + urlencode({"k": "<img src=x onerror=alert(8)>"}),
     f"#{ids.COORD_BODY} table"),
    ("labels", "/labels?" + urlencode({"a": ARTICLE}), f"#{ids.LABELS_BODY} section"),
    ("comments-colink", "/comments?" + urlencode({"colink": f"{SCRIPT}␟<img src=x onerror=alert(9)>"}),
     f"#{ids.COMMENTS_TITLE} h2"),
]


@pytest.mark.parametrize(("name", "path", "ready"), PAGES, ids=[p[0] for p in PAGES])
def test_hostile_text_is_inert(page: Any, hostile_server: Served, name: str, path: str, ready: str) -> None:
    _open(page, hostile_server.url + path, ready)
    _assert_inert(page)


def test_hostile_text_is_shown_literally(page: Any, hostile_server: Served) -> None:
    _open(page, hostile_server.url + "/thread?" + urlencode({"a": ARTICLE, "c": SCRIPT_COMMENT}),
          f"#{ids.THREAD_DETAIL} .comment-text")
    detail = page.inner_text(f"#{ids.THREAD_DETAIL}")
    assert SCRIPT in detail and HOSTILE_IMG in detail and JS_URL in detail  # text, not markup
    _open(page, hostile_server.url + "/links?" + urlencode({"a": ARTICLE, "d": "javascript"}),
          f"#{ids.LINKS_COMMENTS} li")
    # The javascript: link of the links page is listed, as text that is not a link.
    shown = page.locator(f"#{ids.LINKS_COMMENTS} .url-text")
    assert "javascript:" in shown.first.inner_text().lower()
    assert page.locator(f"#{ids.LINKS_COMMENTS} a.url-link").count() == 0
    _assert_inert(page)


# Geometry of a label that follows untrusted text on the same line: with the text isolated, the
# label starts right of it; an unclosed RIGHT-TO-LEFT OVERRIDE that leaked would draw the
# label reversed and left of the name.
_AFTER = """(sel) => {
  const box = document.querySelector(sel);
  const name = box.querySelector('bdi');
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  let next = null;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!name.contains(node) && (name.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING)
        && node.textContent.trim()) { next = node; break; }
  }
  const range = document.createRange();
  range.selectNodeContents(next);
  const label = range.getBoundingClientRect(), text = name.getBoundingClientRect();
  return {name: name.textContent, label: next.textContent, nameRight: text.right, labelLeft: label.left,
          nameTop: text.top, labelTop: label.top};
}"""
_LEAK = "bdi, [dir] { unicode-bidi: normal !important; direction: ltr !important; }"


def _reads_in_order(page: Any, selector: str) -> dict[str, Any]:
    geometry: dict[str, Any] = page.evaluate(_AFTER, selector)
    assert abs(geometry["nameTop"] - geometry["labelTop"]) < 4, geometry  # same line
    return geometry


def test_bidi_controls_do_not_reorder_the_labels_around_them(page: Any, hostile_server: Served) -> None:
    _open(page, hostile_server.url + "/thread?" + urlencode({"a": ARTICLE, "c": BIDI_COMMENT}),
          f"#{ids.THREAD_DETAIL} .comment-text")
    meta = f"#{ids.THREAD_DETAIL} .meta"
    geometry = _reads_in_order(page, meta)
    assert geometry["name"] == BIDI_AUTHOR and geometry["label"].startswith(" · depth 2")
    assert geometry["labelLeft"] >= geometry["nameRight"] - 1, geometry
    # The same check fails once isolation is switched off: it measures what it claims to.
    page.add_style_tag(content=_LEAK)
    leaked = _reads_in_order(page, meta)
    assert leaked["labelLeft"] < leaked["nameRight"] - 1, leaked
    _assert_inert(page)


def test_bidi_in_the_article_byline_stays_in_its_box(page: Any, hostile_server: Served) -> None:
    _open(page, hostile_server.url + "/article?" + urlencode({"a": ARTICLE}), f"#{ids.ARTICLE_BODY} .article-body")
    geometry = _reads_in_order(page, f"#{ids.ARTICLE_HEAD} .meta")
    assert geometry["name"].startswith("Autor \u202e<img")
    assert geometry["label"] == " · "  # the separator before the date
    assert geometry["labelLeft"] >= geometry["nameRight"] - 1, geometry
    # The title (a heading of its own) keeps its literal script tag as text.
    assert "<script>window.__pwned = 1" in page.inner_text(f"#{ids.ARTICLE_HEAD} h2")
    _assert_inert(page)


def test_a_one_megabyte_comment_is_shown_cut_and_scrollable(page: Any, hostile_server: Served) -> None:
    sizes: list[int] = []
    page.on("response", lambda r: sizes.append(len(r.body())) if "_dash-update-component" in r.url else None)
    _open(page, hostile_server.url + "/thread?" + urlencode({"a": ARTICLE, "c": BIG_COMMENT}),
          f"#{ids.THREAD_DETAIL} .comment-text")
    box = page.locator(f"#{ids.THREAD_DETAIL} .comment-text")
    shown = box.evaluate("e => e.textContent.length")
    assert shown == 20_000  # dashboards.pages.thread.MAX_DETAIL_CHARS
    assert page.get_by_text(f"Comment cut at 20,000 of {BIG_CHARS:,} characters.").count() == 1
    assert box.evaluate("e => e.scrollHeight > e.clientHeight && e.clientHeight <= 330")  # a scroll box
    assert sizes and max(sizes) < 200_000  # the 1 MB text never travels to the browser whole
    # Still responsive: the colour toggle round-trips and the selection survives.
    page.get_by_label("stance toward the parent").check()
    page.wait_for_function("() => new URLSearchParams(window.location.search).get('color') === 'parent'")
    assert f"Comment {BIG_COMMENT}" in page.inner_text(f"#{ids.THREAD_DETAIL}")
    _assert_inert(page)
