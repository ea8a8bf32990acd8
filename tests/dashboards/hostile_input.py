"""A hostile input written by the tests, analysed into a run like any user's input.

A comments table (JSONL) and an articles table (CSV) whose titles, authors, bodies, comments
and URLs carry script tags, event-handler attributes, ``javascript:`` URLs, bidi controls
(U+202E RIGHT-TO-LEFT OVERRIDE and friends, unbalanced) and one comment of 1 MB.  Every
payload sets ``window.__pwned`` and opens a dialog if it ever runs.  Shared by the dashboard
tests and the report tests (tests/outputs/report/test_hostile_report.py).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl

from analyzer.core import schemas
from analyzer.core.run import read_run, write_run
from analyzer.ingest.base import ReadOptions
from analyzer.pipeline import analyse

ARTICLE = "hostile-article"
SCRIPT = "<script>window.__pwned = 1; alert('script')</script>"
IMG = '<img src=x onerror="window.__pwned = 2; alert(2)">'
SVG = '<svg onload="window.__pwned = 5; alert(5)"></svg>'
JS_URL = "javascript:window.__pwned=3;alert(3)"
JS_URL_UPPER = " JaVaScRiPt:window.__pwned=4;alert(4)"
RLO, LRO, RLE, PDF, RLI, PDI = "\u202e", "\u202d", "\u202b", "\u202c", "\u2067", "\u2069"
# An author name whose override is never closed: without isolation it reverses everything after
# it on the same line ("· depth 1 · comment …" would be drawn right to left, before the name).
BIDI_AUTHOR = f"Mallory{RLO}evil.exe"
BIDI_TITLE = f"Titel {SCRIPT} {RLO}txet desrever {RLI}isolate"
ARTICLE_AUTHOR = f"Autor {RLO}{IMG}"
BIG_COMMENT = "c-big"
BIG_CHARS = 1_000_000
BIDI_COMMENT = "c-bidi"
SCRIPT_COMMENT = "c-script"
# Links the extractor finds (so they reach the links page as rows of links.parquet).
IMG_DOMAIN = f'"><img src=x onerror=alert(7)>{RLO}'  # a registered_domain of the links page
HOSTILE_HTTP = 'https://evil.example/path?q="><script>window.__pwned=6</script>'


def _big_text() -> str:
    words = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "
    head = f"{SCRIPT} {IMG} {RLO} Anfang des langen Kommentars. "
    tail = f" Ende {SCRIPT}"
    body = (words * (BIG_CHARS // len(words) + 1))[: BIG_CHARS - len(head) - len(tail)]
    return head + body + tail


def comment_rows() -> list[dict[str, str | None]]:
    """The comments, in document order; ids say what each one carries."""
    return [
        {"id": SCRIPT_COMMENT, "parent": None, "author": IMG, "created": "2024-03-05 10:00:00",
         "text": f"{SCRIPT} {IMG} {SVG} [klick]({JS_URL}) {JS_URL} Quelle: {HOSTILE_HTTP}"},
        {"id": BIDI_COMMENT, "parent": SCRIPT_COMMENT, "author": BIDI_AUTHOR, "created": "2024-03-05 10:05:00",
         "text": f"Antwort {RLE}mit {LRO}Steuerzeichen{PDF} und {RLO}offenem Override; siehe https://example.org/a"},
        {"id": BIG_COMMENT, "parent": None, "author": f"{RLI}Langer Atem", "created": "2024-03-05 11:00:00",
         "text": _big_text()},
        {"id": "c-plain", "parent": BIG_COMMENT, "author": "Anna", "created": "2024-03-05 11:30:00",
         "text": "Eine ganz normale Antwort mit https://example.net/b als Beleg."},
        {"id": "c-tail", "parent": None, "author": f"{PDI}{PDF}Bob{RLO}", "created": "2024-03-05 12:00:00",
         "text": f"<b>fett</b> {JS_URL_UPPER} data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="},
    ]


def write_input(folder: Path, rows: list[dict[str, str | None]] | None = None) -> tuple[Path, Path]:
    """comments.jsonl (``rows``, default all) and articles.csv in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    comments = folder / "comments.jsonl"
    with comments.open("w", encoding="utf-8") as handle:
        for row in comment_rows() if rows is None else rows:
            handle.write(json.dumps({"article_id": ARTICLE, **row}, ensure_ascii=False) + "\n")
    articles = folder / "articles.csv"
    with articles.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["article_id", "title", "url", "site", "author", "published_at", "body"])
        writer.writerow([ARTICLE, BIDI_TITLE, JS_URL, f"<i>site</i>{RLO}", ARTICLE_AUTHOR, "2024-03-05 09:00:00",
                         f"Der Artikel. {SCRIPT} Ein Satz mit {RLO}Override. {IMG} Noch ein Satz mit {JS_URL}."])
    return comments, articles


def build_plain_run(folder: Path, rows: list[dict[str, str | None]] | None = None) -> Path:
    """The hostile input (or ``rows`` of it) analysed with the structure, links, labels and
    coordination stages (the last two put author names and removal groups on their pages)."""
    comments, articles = write_input(folder / "input", rows)
    out = folder / "run"
    analyse([comments], out=out, stages="structure,links,labels,coordination",
            options=ReadOptions(articles_table=articles),
            stage_settings={"domain_lists": []})
    return out


def build_run(folder: Path) -> Path:
    """Analyse the hostile input (structure, links) and add a ``javascript:`` link row.

    The link extractor only finds http(s) and defanged URLs, so the ``javascript:`` row is
    added to links.parquet afterwards, as another producer of run folders could write it: the
    links page must still not make it clickable.
    """
    run = read_run(build_plain_run(folder))
    frames = {name: run.frame(name) for name in run.manifest["files"]}
    bad = schemas.conform(pl.DataFrame({
        "article_id": [ARTICLE, ARTICLE], "comment_id": [SCRIPT_COMMENT, BIDI_COMMENT],
        "url": [JS_URL, JS_URL_UPPER], "url_normalised": [JS_URL, JS_URL_UPPER],
        "host": ["<b>evil</b>", None], "registered_domain": [IMG_DOMAIN, "javascript"],
        "obfuscation": [None, None], "in_quote": [False, False], "start_char": [0, 0], "end_char": [10, 10]}),
        schemas.LINKS)
    frames["links.parquet"] = pl.concat([frames["links.parquet"], bad])
    manifest = {k: v for k, v in run.manifest.items() if k not in {"files", "complete"}}
    return write_run(folder / "run-with-js-links", frames, manifest)
