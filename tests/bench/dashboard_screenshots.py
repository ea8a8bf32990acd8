"""Screenshots of every dashboard page for docs/dashboard.md: ``python -m tests.bench.dashboard_screenshots``.

Builds the real-shaped journalist run (tests/dashboards/journalist_run.py: a 621-comment
thread with an article, every stage, offline NLP), serves it on loopback, opens each page in
headless Chromium (/usr/bin/chromium) as the scenarios do, and writes small PNGs (1280 px
wide, palette-quantised with Pillow) into docs/screenshots/.  Run it again after a visible
change so the documentation shows the dashboard as it is.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 860


def _small(path: Path) -> None:
    """Quantise to 128 colours: UI screenshots stay readable at a fraction of the bytes."""
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def shoot(run_dir: Path, out: Path, planted_dir: Path | None = None) -> list[Path]:
    """Photograph every page of ``run_dir`` (the journalist run) and, when given, the
    Coordination and Labels pages of ``planted_dir`` (tests/dashboards/coordination_run.py:
    a planted campaign and co-sharing group, removals, hand-written labels)."""
    from playwright.sync_api import sync_playwright

    from tests.dashboards.conftest import CHROMIUM, FLAGS, Served
    from tests.dashboards.journalist_run import BIG

    out.mkdir(parents=True, exist_ok=True)
    served = Served(run_dir)
    written: list[Path] = []
    fig = "[id='{{\"name\":\"{}\",\"type\":\"{}\"}}']"

    def snap(page: Any, name: str, *, full: bool = False) -> None:
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(600)
        path = out / f"{name}.png"
        page.screenshot(path=str(path), full_page=full)
        _small(path)
        written.append(path)

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.set_default_timeout(30_000)
            base = served.url
            page.goto(base + "/")
            page.wait_for_selector("#corpus-scatter .point")
            snap(page, "01-corpus")
            page.goto(f"{base}/article?a={BIG}")
            page.wait_for_selector(fig.format("stance", "article-fig") + " .point")
            snap(page, "02-article")
            page.locator(".frame-glossary").scroll_into_view_if_needed()
            snap(page, "03-article-frames")
            page.goto(f"{base}/thread?a={BIG}")
            page.wait_for_selector("#conv-list .conv-row")
            page.locator("#conv-list .conv-text").nth(4).click()
            page.wait_for_selector("#thread-detail .conv-brief")
            snap(page, "04-thread-conversation")
            page.locator("#conv-list").scroll_into_view_if_needed()
            snap(page, "05-thread-conversation-list")
            page.goto(f"{base}/comments?a={BIG}&stance=deny")
            page.wait_for_selector("#comments-grid .ag-row")
            page.locator("#comments-grid .ag-row .ag-cell").first.click()
            page.wait_for_selector("#comments-detail .comment-text")
            snap(page, "06-comments-deny")
            page.goto(f"{base}/links?a={BIG}")
            page.wait_for_selector("#links-grid .ag-row")
            page.locator("#links-grid .ag-row .ag-cell").first.click()
            page.wait_for_selector("#links-comments li")
            snap(page, "07-links")
            page.goto(f"{base}/participants?a={BIG}")
            page.wait_for_selector(fig.format("network", "people-fig") + " .point")
            snap(page, "08-participants")
            page.locator("text=Longest disagreement chains").scroll_into_view_if_needed()
            snap(page, "09-participants-chains")
            page.goto(f"{base}/participants?a=*")
            page.wait_for_selector(fig.format("network", "people-fig") + " .point")
            snap(page, "10-participants-corpus")
            page.goto(f"{base}/time?a={BIG}")
            page.wait_for_selector(fig.format("stance", "time-fig") + " .point")
            snap(page, "11-over-time")
            page.goto(f"{base}/thread?a=no-such-article")
            page.wait_for_selector(".not-found")
            snap(page, "12-not-found")
            page.goto(f"{base}/article?a={BIG}")
            page.wait_for_selector(".examples li")
            page.locator(".examples").scroll_into_view_if_needed()
            snap(page, "13-article-examples")
            page.goto(f"{base}/comments")
            page.wait_for_selector("#comments-grid .ag-row")
            page.locator("#comments-next").click()
            page.wait_for_function("() => document.querySelector('#comments-page-info').innerText.startsWith('rows 51')")
            page.locator("#comments-page-info").scroll_into_view_if_needed()
            snap(page, "14-comments-paged")
            browser.close()
    finally:
        served.close()
    if planted_dir is not None:
        _shoot_planted(planted_dir, snap)  # snap adds each file to ``written``
    return written


def _top(page: Any, selector: str) -> None:
    """Scroll so that ``selector`` starts near the top of the window (below the navigation)."""
    page.locator(selector).first.evaluate("e => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -70); }")


def _shoot_planted(run_dir: Path, snap: Any) -> None:
    from playwright.sync_api import sync_playwright

    from tests.dashboards.conftest import CHROMIUM, FLAGS, Served

    served = Served(run_dir)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.set_default_timeout(30_000)
            base = served.url
            page.goto(base + "/coordination")
            page.wait_for_selector("text=Campaigns: the same text under many articles")
            snap(page, "15-coordination")
            page.locator("tr", has_text="verschweigt seit Monaten").first.locator("a.btn-link").click()
            page.wait_for_selector("#coord-members li")
            _top(page, "#coord-members")
            snap(page, "16-coordination-campaign")
            _top(page, "h3:has-text('Coordinated link sharing')")
            snap(page, "17-coordination-colinks")
            _top(page, "h3:has-text('Who replies to whom, across the run')")
            snap(page, "18-coordination-authors")
            page.goto(base + "/labels")
            page.wait_for_selector("text=not a finding")
            snap(page, "19-labels")
            _top(page, "h3:has-text('Moderation: what was removed')")
            snap(page, "20-moderation")
            page.goto(base + "/links?a=*")
            page.wait_for_selector("#links-grid .ag-row")
            _top(page, "h3:has-text('All domains')")
            snap(page, "21-links-redirects")
            browser.close()
    finally:
        served.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.dashboard_screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, help="use this journalist run folder instead of building one")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from tests.dashboards import coordination_run
    from tests.dashboards.journalist_run import build

    run_dir = args.run or build(Path(tempfile.mkdtemp(prefix="journalist-")))
    planted = coordination_run.build(Path(tempfile.mkdtemp(prefix="planted-")))
    for path in shoot(run_dir, args.out, planted):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
