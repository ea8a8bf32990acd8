"""The structure reader alone on saved pages with a truth.json: how far comment evidence carries.

Run as ``python -m tests.bench.structure_alone FOLDER [--pages a,b,...]``.  FOLDER holds
``<page>/page.html`` (or ``source.html``) and ``<page>/truth.json`` as for
:mod:`tests.bench.heldout_html`.  Every page is parsed and handed to
:func:`analyzer.ingest.html_comments.structure.extract` directly, with every other reader
skipped: what the last fallback would give on a site whose comment system nobody knows.
Scoring as heldout_html: a found comment matches a truth comment by normalised id, else by
text key; parents compared the same way; pingbacks the reader keeps apart are not counted.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from analyzer.ingest import wp_html
from analyzer.ingest.html_comments import structure
from tests.bench.heldout_html import _page_file, text_key
from tests.bench.html_captures import normalise_id


def score(page_dir: Path) -> tuple[int, int, int, int, float]:
    """Truth comments, found, matched, parents right, CPU seconds of the extraction."""
    truth = json.loads((page_dir / "truth.json").read_text(encoding="utf-8"))
    root = wp_html._parse(_page_file(page_dir).read_text(encoding="utf-8", errors="replace"), str(page_dir))
    started = time.process_time()
    found = structure.extract(root)
    cpu = time.process_time() - started
    comments = [c for c in found.comments if c.kind == "comment"] if found is not None else []
    by_id = {normalise_id(c["id"]): c for c in truth["comments"]}
    by_key = {c["key"]: c for c in truth["comments"] if c["key"]}
    matched: dict[str, dict[str, object]] = {}
    for c in comments:
        hit = by_id.get(normalise_id(c.comment_id)) or by_key.get(text_key(c.text))
        if hit is not None:
            matched[c.comment_id] = hit
    right = 0
    for c in comments:
        hit = matched.get(c.comment_id)
        if hit is None:
            continue
        parent = matched.get(c.parent_id) if c.parent_id else None
        if (normalise_id(str(parent["id"])) if parent else None) == normalise_id(hit["parent"]):  # type: ignore[arg-type]
            right += 1
    return len(truth["comments"]), len(comments), len(matched), right, cpu


def main(argv: list[str]) -> int:
    folder = Path(argv[0])
    pages = sorted(p.name for p in folder.iterdir() if (p / "truth.json").is_file())
    for arg in argv[1:]:
        if arg.startswith("--pages="):
            wanted = arg.split("=", 1)[1].split(",")
            pages = [p for p in wanted if p]
    totals = [0, 0, 0, 0]
    print("| page | truth | found | matched | parents right | invented | CPU s |")
    print("|---|---|---|---|---|---|---|")
    for page in pages:
        n_truth, n_found, n_matched, n_right, cpu = score(folder / page)
        totals = [a + b for a, b in zip(totals, (n_truth, n_found, n_matched, n_right), strict=True)]
        print(f"| {page} | {n_truth} | {n_found} | {n_matched} | {n_right} | {n_found - n_matched} | {cpu:.2f} |")
    t, f, m, r = totals
    print(f"| **all** ({len(pages)} pages) | {t} | {f} | {m} | {r} | {f - m} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
