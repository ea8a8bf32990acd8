"""The offline HTML report of a hostile run, opened from file:// in headless Chromium.

The run comes from the hostile input of the dashboard tests (script tags, event handlers,
``javascript:`` URLs, bidi controls, a 1 MB comment), compared with an earlier run of part of
it so the comparison tables (new comments with their authors and excerpts) are filled too.
Nothing may run, nothing may link to ``javascript:``, the text must be shown literally, bidi
controls must stay inside their table cells, and the 1 MB comment must not be copied whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from analyzer.cli import main as analyzer_main
from tests.dashboards import conftest as dashboards_conftest
from tests.dashboards.hostile_input import (
    ARTICLE,
    BIDI_AUTHOR,
    BIDI_COMMENT,
    BIG_CHARS,
    IMG,
    SCRIPT,
    SCRIPT_COMMENT,
    build_plain_run,
    build_run,
    comment_rows,
)

browser = dashboards_conftest.browser  # the dashboards' Chromium fixture (Debian chromium, our flags)


@pytest.fixture(scope="module")
def report_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile-report")
    old = build_plain_run(base / "old", comment_rows()[3:])  # the later comments only
    new = build_run(base / "new")
    out = base / "report"
    code = analyzer_main(["report", str(new), "--out", str(out), "--format", "html", "--compare", str(old), "-q"])
    assert code == 0
    return out / "index.html"


def test_the_report_page_escapes_everything(report_page: Path) -> None:
    page = report_page.read_text(encoding="utf-8")
    # Our payloads appear only escaped: no raw tag or handler from the data is in the markup.
    for raw in ("<script>window.__pwned", "<img src=x", "<svg onload", 'href="javascript', "href='javascript"):
        assert raw not in page
    assert "&lt;script&gt;window.__pwned = 1" in page
    # The 1 MB comment is cut to an excerpt wherever it is shown.
    assert page.count("Lorem ipsum") < 50
    assert len(page.encode("utf-8")) < 8_000_000 + BIG_CHARS // 10  # plotly.js (about 4.8 MB) and tables


# Cells of the first row (of those ``rows`` selects) whose column ``col`` reads ``key``, with their horizontal extent.
_ROW = """([rows, key, col]) => {
    const row = [...document.querySelectorAll(rows)].find(r => r.cells.length > col && r.cells[col].textContent === key);
    return [...row.cells].map(c => {
      const b = c.getBoundingClientRect(); return {text: c.textContent, left: b.left, right: b.right};
    });
}"""


def _in_order(cells: list[dict[str, Any]]) -> None:
    """Cells left to right as in the markup: an unclosed bidi override did not leak across cells."""
    for left, right in zip(cells, cells[1:], strict=False):
        assert left["right"] <= right["left"] + 1, cells


@pytest.mark.browser
def test_the_report_is_inert_in_chromium(browser: Any, report_page: Path) -> None:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    tab = context.new_page()
    problems: list[str] = []

    def on_dialog(dialog: Any) -> None:  # any dialog fails the test (recorded), and is closed
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    tab.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    try:
        tab.goto(report_page.as_uri())
        tab.wait_for_selector(".js-plotly-plot")
        tab.wait_for_timeout(300)
        assert tab.evaluate("() => typeof window.__pwned") == "undefined"
        assert problems == []
        assert tab.evaluate("() => document.querySelectorAll('[onerror], [onload], [onclick], img[src=x]').length") == 0
        links = tab.evaluate("() => [...document.querySelectorAll('[href], [src]')].map(e => "
                             "(e.getAttribute('href') || e.getAttribute('src')).trim().toLowerCase())")
        assert not [h for h in links if h.startswith(("javascript", "data:text", "vbscript"))]
        # The articles table shows the title literally, and its cells keep their order: the
        # title's unclosed RIGHT-TO-LEFT OVERRIDE stays inside its cell.
        cells = tab.evaluate(_ROW, ['#articles + table tr', ARTICLE, 0])
        assert SCRIPT in cells[1]["text"]
        _in_order(cells)
        # The comparison's new comments: hostile authors and excerpts as text, in their cells.
        script_row = tab.evaluate(_ROW, ['tr', SCRIPT_COMMENT, 1])
        assert script_row[4]["text"] == IMG and script_row[5]["text"].startswith(SCRIPT)
        bidi_row = tab.evaluate(_ROW, ['tr', BIDI_COMMENT, 1])
        assert bidi_row[4]["text"] == BIDI_AUTHOR
        _in_order(bidi_row)
    finally:
        context.close()
