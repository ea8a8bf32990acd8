"""Screenshots of every dashboard page for docs/dashboard.md: ``python -m tests.bench.dashboard_screenshots``.

Builds the real-shaped journalist run (tests/dashboards/journalist_run.py: a 621-comment
thread with an article, every stage, offline NLP), the planted coordination run, and a run
over real One Million Posts discussions read from ../shared/data (labels by the shipped model,
reader votes; :func:`real_run`), serves each on loopback, opens each page in
headless Chromium (/usr/bin/chromium) as the scenarios do, and writes small PNGs (1280 px
wide, palette-quantised with Pillow) into docs/screenshots/.  Run it again after a visible
change so the documentation shows the dashboard as it is.
"""

from __future__ import annotations

import argparse
import os
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


def shoot(run_dir: Path, out: Path, planted_dir: Path | None = None, real_dir: Path | None = None) -> list[Path]:
    """Photograph every page of ``run_dir`` (the journalist run); when given, the Coordination
    page of ``planted_dir`` (tests/dashboards/coordination_run.py: a planted campaign and
    co-sharing group), and the Labels page and reader votes of ``real_dir`` (:func:`real_run`:
    real comments, the shipped model's labels; without it the planted run's hand-written labels)."""
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
            # The list further down: deeper replies with their indentation and stance chips (the
            # first view already shows the list's top, so the same view again would show nothing new).
            rows = page.locator("#conv-list .conv-row")
            rows.nth(min(40, rows.count() - 1)).scroll_into_view_if_needed()
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
        _shoot_planted(planted_dir, snap, labels=real_dir is None)  # snap adds each file to ``written``
    if real_dir is not None:
        _shoot_real(real_dir, snap)
    return written


# Real comments for the Labels, Moderation and votes screenshots: the largest whole discussions
# of the One Million Posts corpus (Der Standard, CC BY-NC-SA 4.0), read from ../shared/data when
# the screenshots are taken and never copied into the repository; about this many comments.
REAL_COMMENTS = 1_500


def real_run(folder: Path, n_comments: int = REAL_COMMENTS) -> Path | None:
    """A run over real German reader comments, labelled by the shipped labels model (the
    packaged default), with their reader votes and moderators' removals; None without the data.

    The largest threads of ``omp_threads_dev.jsonl`` are taken, most posts first, until
    ``n_comments`` is reached, and analysed with every default stage (offline NLP).
    """
    import json

    from analyzer.pipeline import analyse
    from tests.conftest import SHARED

    source = SHARED / "data" / "omp_derstandard" / "omp_threads_dev.jsonl"
    if not source.is_file():
        return None
    threads = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    threads.sort(key=lambda t: (-int(t.get("n_posts") or 0), str(t.get("article_id"))))
    chosen, total = [], 0
    for thread in threads:
        if total >= n_comments:
            break
        chosen.append(thread)
        total += int(thread.get("n_posts") or 0)
    folder.mkdir(parents=True, exist_ok=True)
    subset = folder / "omp_threads.jsonl"
    subset.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in chosen), encoding="utf-8")
    run = folder / "run"
    # The shipped stance and labels models, as a user gets them: tests/conftest.py (imported
    # here for SHARED) switches both off for the test suite.
    from analyzer.stages.labels.model import ENV_PACKAGED as LABELS_PACKAGED
    from analyzer.stages.stance.german import ENV_PACKAGED as STANCE_PACKAGED

    saved = {name: os.environ.pop(name, None) for name in (LABELS_PACKAGED, STANCE_PACKAGED)}
    try:
        analyse([subset], out=run, stage_settings={"nlp": "offline", "domain_lists": []})
    finally:
        os.environ.update({name: value for name, value in saved.items() if value is not None})
    return run


def _shoot_real(run_dir: Path, snap: Any) -> None:
    """Labels, moderation and reader votes of the real run (:func:`real_run`)."""
    import polars as pl
    from playwright.sync_api import sync_playwright

    from tests.dashboards.conftest import CHROMIUM, FLAGS, Served

    largest = pl.read_parquet(run_dir / "articles.parquet").sort("n_visible", descending=True)["article_id"][0]
    served = Served(run_dir)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.set_default_timeout(60_000)
            base = served.url
            page.goto(base + "/labels")
            page.wait_for_selector("h3:has-text('Comment labels')")
            page.wait_for_selector(".chip-ok, .chip-warn")
            snap(page, "19-labels")
            _top(page, "h3:has-text('Moderation: what was removed')")
            snap(page, "20-moderation")
            page.goto(f"{base}/article?a={largest}")
            page.wait_for_selector("text=Most-endorsed disagreement")
            page.wait_for_selector(".examples .conv-votes")
            _top(page, "h3:has-text('Reader votes')")
            snap(page, "22-article-votes")
            page.goto(f"{base}/thread?a={largest}")
            page.wait_for_selector("#conv-list .conv-votes")
            page.locator("#conv-list").scroll_into_view_if_needed()
            snap(page, "23-thread-votes")
            browser.close()
    finally:
        served.close()


def _top(page: Any, selector: str) -> None:
    """Scroll so that ``selector`` starts near the top of the window (below the navigation)."""
    page.locator(selector).first.evaluate("e => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -70); }")


def _shoot_planted(run_dir: Path, snap: Any, *, labels: bool = True) -> None:
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
            if labels:  # else the real run's labels are photographed (_shoot_real)
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
    real = real_run(Path(tempfile.mkdtemp(prefix="real-omp-")))
    if real is None:
        print("../shared/data/omp_derstandard is absent: the Labels screenshots show the planted run's hand labels")
    for path in shoot(run_dir, args.out, planted, real):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
