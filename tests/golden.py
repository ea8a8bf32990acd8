"""Golden fixture harness: run the pipeline on ``fixtures/<case>/`` and describe the result.

A case folder holds ``input.<ext>`` (or the files named in ``options.json``), optionally
``options.json`` (``{"map": {...}, "articles": "file", "format": "name", "inputs": [...]}``)
and ``expected.json``.  ``python -m tests.golden update CASE...`` writes expected.json from
the current output; CHECK IT BY HAND against the input before committing: the golden test
compares exactly, so a wrong expected file enshrines a bug.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from analyzer.ingest.base import ReadOptions
from analyzer.pipeline import analyse

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
ARTICLE_FIELDS = (
    "article_id", "title", "author", "category", "url", "site", "language", "comments_closed",
    "n_announced", "n_visible", "n_ghost", "n_deleted", "n_more_stubs", "n_hidden",
)
COMMENT_FIELDS = ("comment_id", "parent_id", "seq", "depth", "position", "kind", "author", "source_line", "text")
GOLDEN_STAGES = "structure,links"
THREAD_METRICS = ("max_depth", "h_index", "wiener_index", "structural_virality", "n_ghost", "n_visible")


def cases() -> list[Path]:
    """Case folders that have an expected.json."""
    return sorted(p.parent for p in FIXTURES.glob("*/expected.json"))


def case_inputs(case: Path) -> tuple[list[Path], dict[str, Any]]:
    options_path = case / "options.json"
    options = json.loads(options_path.read_text(encoding="utf-8")) if options_path.exists() else {}
    if "inputs" in options:
        inputs = [case / name for name in options["inputs"]]
    else:
        inputs = sorted(p for p in case.glob("input.*") if p.suffix != ".py")
    return inputs, options


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def describe(case: Path) -> dict[str, Any]:
    """The comparable description of the pipeline's result on a case."""
    inputs, options = case_inputs(case)
    read_options = ReadOptions(mapping=options.get("map", {}))
    if options.get("articles"):
        read_options.articles_table = case / options["articles"]
    # Goldens pin reading, trees, structure and links; the language stages have their own tests.
    analysis = analyse(inputs, format=options.get("format"), options=read_options, stages=GOLDEN_STAGES)
    forest = analysis.forest
    articles = []
    for row in forest.articles.iter_rows(named=True):
        entry = {name: _iso(row[name]) for name in ARTICLE_FIELDS}
        entry["published_at"] = _iso(row["published_at"])
        entry["lead"] = row["lead"]
        entry["body_chars"] = len(row["body"]) if row["body"] is not None else None
        entry["body_head"] = row["body"][:80] if row["body"] is not None else None
        articles.append(entry)
    comments = [
        {**{name: row[name] for name in COMMENT_FIELDS}, "created_at": _iso(row["created_at"])}
        for row in forest.comments.iter_rows(named=True)
    ]
    blocks = [[r["article_id"], r["kind"], r["source_line"]] for r in analysis.ingested.blocks.iter_rows(named=True)]
    issues = sorted(
        ([i.code, i.severity, i.article_id, i.comment_id, i.line] for i in analysis.issues),
        key=lambda x: [str(v) for v in x],
    )
    thread = analysis.metrics.filter(scope="thread").filter(
        analysis.metrics.filter(scope="thread")["metric"].is_in(list(THREAD_METRICS))
    )
    metrics: dict[str, dict[str, Any]] = {}
    for row in thread.iter_rows(named=True):
        value = row["value"]
        metrics.setdefault(row["article_id"], {})[row["metric"]] = None if value is None else round(value, 4)
    links = [
        [r["article_id"], r["comment_id"], r["url"], r["registered_domain"], r["obfuscation"], r["in_quote"]]
        for r in analysis.stage_frames["links.parquet"].iter_rows(named=True)
    ]
    return {
        "formats": [r.format for r in analysis.ingested.inputs],
        "links": links,
        "counts": analysis.manifest["counts"],
        "articles": articles,
        "blocks": blocks,
        "comments": comments,
        "issues": issues,
        "thread_metrics": metrics,
    }


def load_expected(case: Path) -> dict[str, Any]:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    expected.pop("description", None)
    return expected


def update(case: Path) -> None:
    path = case / "expected.json"
    description = ""
    if path.exists():
        description = json.loads(path.read_text(encoding="utf-8")).get("description", "")
    notes = case / "NOTES.md"
    if not description and notes.exists():
        description = notes.read_text(encoding="utf-8").strip().splitlines()[0].lstrip("# ")
    result = {"description": description, **describe(case)}
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}: {len(result['comments'])} comment rows, {len(result['issues'])} issues")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "update":
        sys.exit("usage: python -m tests.golden update CASE [CASE...]  (case = folder name under fixtures/)")
    for name in sys.argv[2:]:
        update(FIXTURES / Path(name).name)
