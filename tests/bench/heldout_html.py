"""`analyzer analyse` on saved HTML pages with a truth.json each: the held-out HTML evaluation.

Run as ``python -m tests.bench.heldout_html FOLDER [--pages a,b,...] [--json OUT] [--markdown]``.
FOLDER holds ``<page>/page.html`` (or ``source.html``) and ``<page>/truth.json`` in the shape of
``../shared/data/captures`` (``comments``: ``id``, ``parent``, ``author``, ``date``, ``key``;
``announced``; ``lang``).  The pages live outside the project (third-party content, never
committed); see docs/readers-html.md for the corpus used.

Each page goes through the real command, ``python -m analyzer analyse PAGE --out RUN
--stages structure`` (default ``--fail-on``), and the run folder is scored against truth:

- matched: a found comment whose normalised id is a truth id; truth ids that the site does not
  give (``pos-N``, id-less comment lists) are matched by text key instead (first 50 lower-cased
  alphanumerics of the text, as truth's ``key``), each truth comment at most once;
- parents right: matched, and its parent is the truth parent (both normalised; for id-less
  pages the parent's key is compared);
- invented: found comments not matched; missed: truth comments not matched;
- announced: the run's ``n_announced`` against truth's ``announced``;
- dated / date right: matched comments with ``created_at``; right = equal to truth's visible
  date parsed in the page language to the minute, up to a zone offset (relative dates in truth
  cannot be parsed without the capture time and count as unknown, not wrong);
- exit code of ``analyse`` and the warning codes; for a page where nothing is found, whether a
  ``comments-not-recognised`` warning was given (a silent zero is the worst outcome).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl

from analyzer.ingest.dates import parse_date
from tests.bench.html_captures import _same_minute_within_a_zone, normalise_id


def text_key(body: str) -> str:
    """truth.json's key: the first 50 lower-cased alphanumeric characters (NFC) of the text."""
    return "".join(c.lower() for c in unicodedata.normalize("NFC", body) if c.isalnum())[:50]


def _day_only(text: str) -> bool:
    """Whether a truth date text shows no time of day ("Sep 18, 2020", "27. September 2018"):
    then a reader's exact instant (from a datetime attribute) is right when the day is."""
    return not re.search(r"\d{1,2}[:h.]\d{2}(?!\d)|\b(?:am|pm)\b", text, re.IGNORECASE) or bool(
        re.fullmatch(r"\s*\d{1,2}\.\d{1,2}\.\d{2,4}\s*", text)
    )


def _same_day_within_a_zone(found: datetime, truth: datetime) -> bool:
    """The found instant falls on truth's calendar day in some zone within 14 hours of UTC."""
    lo = truth.replace(tzinfo=None) - timedelta(hours=14)
    hi = truth.replace(tzinfo=None) + timedelta(hours=24 + 14)
    return lo <= found.replace(tzinfo=None) < hi


@dataclass(slots=True)
class HeldoutScore:
    page: str
    n_truth: int
    n_found: int = 0
    n_matched: int = 0
    n_parent_right: int = 0
    n_invented: int = 0
    n_missed: int = 0
    announced_truth: int | None = None
    announced_found: int | None = None
    n_dated: int = 0
    n_date_right: int = 0
    n_date_known: int = 0
    n_author_right: int = 0
    exit_code: int = 0
    warnings: list[str] = field(default_factory=list)
    silent_zero: bool = False


def _page_file(page_dir: Path) -> Path:
    for name in ("page.html", "source.html"):
        if (page_dir / name).is_file():
            return page_dir / name
    raise FileNotFoundError(f"{page_dir}: no page.html or source.html")


def run_analyse(page: Path, out: Path) -> int:
    """The user's command on one page (structure stage only: the readers are what is measured)."""
    proc = subprocess.run(
        [sys.executable, "-m", "analyzer", "analyse", str(page), "--out", str(out), "--stages", "structure", "-q"],
        capture_output=True, text=True, check=False,
    )
    return proc.returncode


def score_page(page_dir: Path, work: Path) -> HeldoutScore:
    truth = json.loads((page_dir / "truth.json").read_text(encoding="utf-8"))
    out = work / page_dir.name
    code = run_analyse(_page_file(page_dir), out)
    score = HeldoutScore(page=page_dir.name, n_truth=len(truth["comments"]), exit_code=code,
                         announced_truth=truth.get("announced"))
    if not (out / "comments.parquet").is_file():
        score.n_missed = score.n_truth
        score.warnings = ["no run folder"]
        return score
    comments = pl.read_parquet(out / "comments.parquet").filter(pl.col("kind") == "comment")
    issues = pl.read_parquet(out / "parse_issues.parquet")
    articles = pl.read_parquet(out / "articles.parquet")
    announced = [a for a in articles["n_announced"].to_list() if a is not None]
    # Year-less truth dates ("Jun 20th at 2:41 am") are read after the article's publication,
    # as the reader does: the comments follow the article.
    published = [p for p in articles["published_at"].to_list() if p is not None]
    after = published[0] if published else None
    score.announced_found = announced[0] if announced else None
    score.warnings = sorted(set(issues.filter(pl.col("severity") != "info")["code"].to_list()))
    score.n_found = comments.height
    if score.n_found == 0 and score.n_truth > 0:
        score.silent_zero = "comments-not-recognised" not in score.warnings

    lang = truth.get("lang") or "en"
    truth_by_id = {str(c["id"]): c for c in truth["comments"]}
    keyed = any(str(c["id"]).startswith("pos-") for c in truth["comments"])
    by_key: dict[str, list[str]] = {}
    for c in truth["comments"]:
        by_key.setdefault(c["key"], []).append(str(c["id"]))
    rows = list(comments.iter_rows(named=True))
    # found id → truth id
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for row in rows:
        fid = str(row["comment_id"])
        nid = normalise_id(fid)
        if not keyed and nid in truth_by_id and nid not in taken:
            mapping[fid] = nid
            taken.add(nid)
        elif keyed:
            for tid in by_key.get(text_key(row["text"] or ""), []):
                if tid not in taken:
                    mapping[fid] = tid
                    taken.add(tid)
                    break
    score.n_matched = len(mapping)
    score.n_invented = score.n_found - score.n_matched
    score.n_missed = score.n_truth - score.n_matched
    for row in rows:
        tid = mapping.get(str(row["comment_id"]))
        if tid is None:
            continue
        t = truth_by_id[tid]
        parent = row["parent_id"]
        found_parent = mapping.get(str(parent)) if parent is not None else None
        if parent is not None and found_parent is None and not keyed:
            found_parent = normalise_id(str(parent))
        if found_parent == (str(t["parent"]) if t["parent"] is not None else None):
            score.n_parent_right += 1
        if (row["author"] or "").strip() == (t.get("author") or "").strip():
            score.n_author_right += 1
        if row["created_at"] is not None:
            score.n_dated += 1
        truth_date = parse_date(t["date"], languages=[lang], after=after) if t.get("date") else None
        if truth_date is not None:
            score.n_date_known += 1
            if row["created_at"] is not None and (
                _same_minute_within_a_zone(row["created_at"], truth_date)
                or (_day_only(t["date"]) and _same_day_within_a_zone(row["created_at"], truth_date))
            ):
                score.n_date_right += 1
    return score


HEADER = ("page", "truth", "found", "matched", "parents right", "invented", "missed", "announced t/f",
          "dated", "date right/known", "author right", "exit", "warnings")


def _cells(s: HeldoutScore) -> list[str]:
    ann = f"{s.announced_truth if s.announced_truth is not None else '-'}/{s.announced_found if s.announced_found is not None else '-'}"
    warn = ", ".join(s.warnings) or "-"
    if s.silent_zero:
        warn = "SILENT ZERO " + warn
    return [s.page, str(s.n_truth), str(s.n_found), str(s.n_matched), str(s.n_parent_right), str(s.n_invented),
            str(s.n_missed), ann, str(s.n_dated), f"{s.n_date_right}/{s.n_date_known}", str(s.n_author_right),
            str(s.exit_code), warn]


def totals(scores: list[HeldoutScore], label: str) -> list[str]:
    """One summary row: sums, announced counts right, silent zeros."""
    def tot(attr: str) -> int:
        return sum(getattr(s, attr) for s in scores)
    ann_pages = [s for s in scores if s.announced_truth is not None]
    ann_right = sum(1 for s in ann_pages if s.announced_found == s.announced_truth)
    zeros = sum(1 for s in scores if s.silent_zero)
    return [f"**{label}** ({len(scores)} pages)", str(tot("n_truth")), str(tot("n_found")), str(tot("n_matched")),
            str(tot("n_parent_right")), str(tot("n_invented")), str(tot("n_missed")), f"{ann_right} of {len(ann_pages)} right",
            str(tot("n_dated")), f"{tot('n_date_right')}/{tot('n_date_known')}", str(tot("n_author_right")),
            f"{sum(1 for s in scores if s.exit_code)} non-zero", f"{zeros} silent zeros"]


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    opts = {a.split("=", 1)[0]: (a.split("=", 1)[1] if "=" in a else "") for a in argv if a.startswith("--")}
    if not args:
        print("usage: python -m tests.bench.heldout_html FOLDER [--pages=a,b] [--json=OUT] [--markdown]", file=sys.stderr)
        return 2
    root = Path(args[0])
    pages = sorted(p for p in root.iterdir() if (p / "truth.json").is_file())
    if "--pages" in opts:
        wanted = set(opts["--pages"].split(","))
        pages = [p for p in pages if p.name in wanted]
    if not pages:
        print(f"no pages with truth.json under {root}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        scores = [score_page(p, Path(tmp)) for p in pages]
    if "--json" in opts:
        Path(opts["--json"]).write_text(json.dumps([asdict(s) for s in scores], indent=1), encoding="utf-8")
    rows = [_cells(s) for s in scores] + [totals(scores, "all")]
    if "--markdown" in opts:
        print("| " + " | ".join(HEADER) + " |")
        print("|" + "---|" * len(HEADER))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        for row in [list(HEADER), *rows]:
            print("  ".join(f"{c:<30}" if i == 0 else f"{c:>9}" for i, c in enumerate(row)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
