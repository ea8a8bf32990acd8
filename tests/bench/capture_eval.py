"""Reader quality on the shared real captures: every page, every capture tool, and the saved HTML.

    python -m tests.bench.capture_eval [--data DIR] [--pages a,b] [--detail]

Reads ``<DIR>/<page>/captures/<tool>.txt`` and ``<DIR>/<page>/source.html`` through the general
reader (:func:`analyzer.ingest.read`, format sniffed as a user would get it), matches the comments
found to ``truth.json`` by the folded text key (:mod:`tests.bench.readerscore`) and prints one row
per tool/format: comments in truth (visible in that capture), found, matched, missing, invented,
parent links right of those the capture shows, comments whose text keeps meta before the body, and
silent zeros (no comment and no warning).  Data: ``../shared/data/captures`` (README there).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from analyzer.core.errors import AnalyzerError
from analyzer.ingest import read
from tests.bench.readerscore import Found, Score, Truth, fold, score

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "captures"
TOOLS = ("w3m", "lynx", "elinks", "links2", "html2text", "chromium")
# Pages whose replies are nested <div>s: no capture tool shows the nesting (captures README).
FLAT_PAGES = frozenset({"drupal_hpd_de", "wpdiscuz_backenmachtgluecklich_de"})
FLAT_TOOLS = frozenset({"chromium"})  # innerText has no indentation and no markers


def shows_nesting(page: str, tool: str) -> bool:
    """Whether a capture shows the reply nesting at all (else every comment should be top level)."""
    return tool == "html" or (page not in FLAT_PAGES and tool not in FLAT_TOOLS)


def pages(data: Path) -> list[Path]:
    return sorted(p.parent for p in data.glob("*/truth.json"))


def evaluate_file(path: Path, truth: dict[str, Any], nested: bool) -> tuple[Score, list[str]]:
    """Read one capture and score it; returns the score and the issue codes raised."""
    try:
        ingested = read([path])
    except AnalyzerError as exc:
        sc = Score(truth=0, pages=1)
        sc.notes.append(f"{path}: refused: {exc}")
        found: list[Found] = []
        codes = ["refused"]
        issues_warn = True
    else:
        rows = ingested.comments.filter(ingested.comments["kind"] == "comment").iter_rows(named=True)
        found = [Found(r["comment_id"], r["parent_id"], r["text"] or "", r["edge_confidence"]) for r in rows]
        codes = sorted({i.code for i in ingested.issues})
        issues_warn = any(i.severity in ("warning", "error") for i in ingested.issues)
    # A capture may lose a comment (html2text splits some); those are not the reader's to find.
    # Saved HTML holds every comment (entities and markup hide keys from a plain text search).
    stream = fold(path.read_text(encoding="utf-8", errors="replace")) if path.suffix == ".txt" else None
    visible = [
        Truth(c["id"], c["parent"], c["key"])
        for c in truth["comments"]
        if stream is None or fold(c["key"]) in stream
    ]
    pingbacks = [p["key"] for p in truth.get("pingbacks", [])]
    sc, _ = score(visible, found, nested=nested, extra_keys=pingbacks)
    if not found and visible and not issues_warn:
        sc.silent_zero = 1
    return sc, codes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--tools", default="", help="comma-separated tools, 'html' for source.html")
    parser.add_argument("--detail", action="store_true", help="one line per page and tool")
    args = parser.parse_args(argv)
    data: Path = args.data.resolve()
    if not data.is_dir():
        print(f"capture folder {data} is absent", file=sys.stderr)
        return 2
    wanted = set(filter(None, args.pages.split(",")))
    tools = tuple(filter(None, args.tools.split(","))) or (*TOOLS, "html")
    totals: dict[str, Score] = {tool: Score() for tool in tools}
    for page_dir in pages(data):
        page = page_dir.name
        if wanted and page not in wanted:
            continue
        truth = json.loads((page_dir / "truth.json").read_text(encoding="utf-8"))
        for tool in tools:
            path = page_dir / "source.html" if tool == "html" else page_dir / "captures" / f"{tool}.txt"
            if not path.exists():
                continue
            sc, codes = evaluate_file(path, truth, shows_nesting(page, tool))
            totals[tool].add(sc)
            if args.detail:
                print(
                    f"{page:34s} {tool:9s} truth={sc.truth:3d} found={sc.found:3d} matched={sc.matched:3d} "
                    f"invented={sc.invented:3d} links={sc.links_right:3d}/{sc.links:3d} "
                    f"prefix={sc.meta_prefix:3d} {'SILENT-ZERO ' if sc.silent_zero else ''}"
                    f"issues={','.join(codes)}"
                )
                for note in sc.notes:
                    print("    ", note)
    print(table(totals))
    return 0


def table(totals: dict[str, Score]) -> str:
    """Markdown table of the totals per tool/format."""
    head = ("| tool/format | pages | in truth | found | matched | missing | invented | links right "
            "| meta left in text | silent zeros |\n|---|---|---|---|---|---|---|---|---|---|")
    rows = [head]
    overall = Score()
    for tool, sc in totals.items():
        overall.add(sc)
        rows.append(_row(tool, sc))
    rows.append(_row("**all**", overall))
    return "\n".join(rows)


def _row(name: str, sc: Score) -> str:
    links = f"{sc.links_right}/{sc.links} ({100 * sc.link_rate:.1f} %)" if sc.links else "–"
    invented = f"{sc.invented} ({100 * sc.invented_rate:.1f} %)"
    return (f"| {name} | {sc.pages} | {sc.truth} | {sc.found} | {sc.matched} | {sc.missing} | {invented} "
            f"| {links} | {sc.meta_prefix} | {sc.silent_zero} |")


if __name__ == "__main__":
    sys.exit(main())
