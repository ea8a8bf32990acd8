"""Reader quality of the HTML reader on the shared real captures (source.html against truth.json).

Run as ``python -m tests.bench.html_captures [CAPTURES_DIR] [--markdown] [--disguised]``.  For every page:
comments in truth, comments found, found comments whose id is in truth, parent links right
(a found comment whose parent id equals truth's), invented (found ids not in truth), dates
parsed (found comments with created_at), and the warnings about unrecognised comments.
Truth ids are the sites' own ids; the reader's ids are compared after the same normalisation
(see :func:`normalise_id`).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from analyzer.ingest import read
from analyzer.ingest.dates import parse_date

DEFAULT_DIR = Path(__file__).resolve().parents[3] / "shared" / "data" / "captures"


def normalise_id(value: str | None) -> str | None:
    """Ids as truth.json writes them: the site's id without "comment-"/"c" prefixes."""
    if value is None:
        return None
    return re.sub(r"^(?:comment-|wc-comm-|forum-texte-|c(?=\d))", "", str(value))


@dataclass(slots=True)
class PageScore:
    page: str
    n_truth: int
    n_found: int
    n_matched: int
    n_parent_right: int
    n_invented: int
    n_dated: int
    n_date_right: int
    n_text_right: int
    n_author_right: int
    n_date_issues: int
    warnings: list[str]


def score_page(page_dir: Path, disguised: bool = False) -> PageScore:
    truth = json.loads((page_dir / "truth.json").read_text(encoding="utf-8"))
    source = page_dir / "source.html"
    if disguised:
        # The page with every comment-system class/id renamed (see the test that defines it):
        # what the generic fallback makes of a comment system it has never seen.
        from tests.ingest.test_html_captures import _disguise

        folder = Path(tempfile.mkdtemp()) / page_dir.name
        folder.mkdir()
        source = folder / "source.html"
        source.write_text(_disguise((page_dir / "source.html").read_text(encoding="utf-8")), encoding="utf-8")
    ingested = read([source])
    comments = ingested.comments.filter(ingested.comments["kind"] == "comment")
    truth_parent = {str(c["id"]): (str(c["parent"]) if c["parent"] is not None else None) for c in truth["comments"]}
    found = {
        normalise_id(row["comment_id"]): (normalise_id(row["parent_id"]), row["created_at"])
        for row in comments.iter_rows(named=True)
    }
    rows = {normalise_id(row["comment_id"]): row for row in comments.iter_rows(named=True)}
    truth_by_id = {str(c["id"]): c for c in truth["comments"]}
    matched = [cid for cid in found if cid in truth_parent]
    # A date is right when it equals truth's visible date text parsed in the page's language,
    # to the minute and up to the page's zone offset (see _same_minute_within_a_zone).
    truth_date = {
        str(c["id"]): parse_date(c["date"], languages=[truth.get("lang") or "en"]) for c in truth["comments"]
    }
    date_right = sum(
        1 for cid in matched
        if found[cid][1] is not None and truth_date[cid] is not None
        and _same_minute_within_a_zone(found[cid][1], truth_date[cid])
    )
    parent_right = sum(1 for cid in matched if found[cid][0] == truth_parent[cid])
    codes = [i.code for i in ingested.issues]
    return PageScore(
        page=page_dir.name,
        n_truth=len(truth_parent),
        n_found=comments.height,
        n_matched=len(matched),
        n_parent_right=parent_right,
        n_invented=sum(1 for cid in found if cid not in truth_parent),
        n_dated=sum(1 for cid in found if found[cid][1] is not None),
        n_date_right=date_right,
        n_text_right=sum(1 for cid in matched if text_key(rows[cid]["text"] or "") == truth_by_id[cid]["key"]),
        n_author_right=sum(
            1 for cid in matched if (rows[cid]["author"] or "").strip() == (truth_by_id[cid]["author"] or "").strip()
        ),
        n_date_issues=codes.count("unparsed-date"),
        warnings=sorted({i.code for i in ingested.issues if i.severity != "info"}),
    )


def text_key(body: str) -> str:
    """truth.json's key: the first 50 lower-cased alphanumeric characters (NFC) of the text."""
    return "".join(c.lower() for c in unicodedata.normalize("NFC", body) if c.isalnum())[:50]


def _same_minute_within_a_zone(found: datetime, truth: datetime) -> bool:
    """Equal to the minute, up to a whole-quarter-hour zone offset of at most 14 hours.

    Truth is the visible local time read as UTC; a reader that took a zoned attribute
    (``2023-10-18T13:11:26+02:00``) gives the true UTC instant, 2 hours apart.
    """
    delta = abs((found.replace(second=0, microsecond=0, tzinfo=None) - truth.replace(tzinfo=None)).total_seconds())
    return delta <= 14 * 3600 and delta % 900 == 0


def main(argv: list[str]) -> int:
    markdown = "--markdown" in argv
    disguised = "--disguised" in argv
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]) if args else DEFAULT_DIR
    pages = sorted(p for p in root.iterdir() if (p / "truth.json").is_file())
    if not pages:
        print(f"no pages with truth.json under {root}", file=sys.stderr)
        return 2
    header = ("page", "truth", "found", "ids right", "parents right", "invented", "dated", "date right", "unparsed-date", "text right", "author right", "warnings")
    rows = []
    totals = [0] * 10
    for page in pages:
        s = score_page(page, disguised)
        values = [s.n_truth, s.n_found, s.n_matched, s.n_parent_right, s.n_invented, s.n_dated, s.n_date_right, s.n_date_issues, s.n_text_right, s.n_author_right]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        rows.append([s.page, *map(str, values), ", ".join(s.warnings) or "-"])
    rows.append(["**all**", *map(str, totals), ""])
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        for row in [list(header), *rows]:
            print("  ".join(f"{cell:<34}" if i == 0 else f"{cell:>8}" for i, cell in enumerate(row)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
