"""The analysis pipeline: read -> trees -> stages -> run folder.

Stages are named so ``--stages`` can pick them; later issues add ``nlp``, ``links``,
``quotes``, ``stance`` and ``framing`` here.  Every run checks its accounting: comments the
readers saw = comments in the run + comments rejected with a reason.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from analyzer import __version__, schemas
from analyzer.errors import AnalyzerError
from analyzer.ingest import Ingested, ReadOptions, issues_frame, read
from analyzer.model import SEVERITIES, ParseIssue
from analyzer.run import write_run
from analyzer.stages import StageContext, StageResult, select
from analyzer.tree import Forest, build_forest

# Issue codes that mean "a comment in the input was rejected" (counted in the accounting).
REJECTION_CODES = frozenset({"invalid-json-line", "rejected-comment"})


class AccountingError(AnalyzerError):
    """Comments went missing between the readers and the run: a bug, reported loudly."""


@dataclass(slots=True)
class Analysis:
    """The result of :func:`analyse`: frames, issues and the manifest of the run."""

    forest: Forest
    ingested: Ingested
    metrics: pl.DataFrame
    issues: list[ParseIssue]
    manifest: dict[str, Any]
    stage_frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    run_dir: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def issues_frame(self) -> pl.DataFrame:
        return issues_frame(self.issues)

    def frames(self) -> dict[str, pl.DataFrame]:
        return {
            "articles.parquet": self.forest.articles,
            "comments.parquet": self.forest.comments,
            "article_blocks.parquet": self.ingested.blocks,
            "parse_issues.parquet": self.issues_frame,
            "metrics.parquet": self.metrics,
            **self.stage_frames,
        }


def count_by_severity(issues: Sequence[ParseIssue]) -> dict[str, int]:
    return {sev: sum(1 for i in issues if i.severity == sev) for sev in SEVERITIES}


def analyse(
    inputs: Sequence[str | Path],
    *,
    out: str | Path | None = None,
    format: str | None = None,  # noqa: A002 - mirrors --format
    options: ReadOptions | None = None,
    stages: str | Sequence[str] | None = None,
    stage_settings: dict[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Analysis:
    """Analyse inputs and, with ``out``, write the run folder.

    Args:
        inputs: files, folders or globs.
        out: run folder to write (replaced atomically if it is an earlier run).
        format: force a reader instead of sniffing.
        options: reader options (``--map``, articles table).
        stages: stage names to run (default: all); prerequisites are added.
        stage_settings: options for the stages (NLP mode, models folder ...).
        progress: called with a short message as each step starts.

    Example:
        >>> analysis = analyse(["fixtures/de_sample_page/input.txt"])  # doctest: +SKIP
        >>> analysis.forest.articles["n_visible"].item()  # doctest: +SKIP
    """
    selected, prerequisites = select(stages)
    options = options or ReadOptions()
    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}

    def timed(name: str, fn: Callable[..., Any], *args: Any) -> Any:
        say(name)
        start = time.perf_counter()
        result = fn(*args)
        timings[name] = round(time.perf_counter() - start, 4)
        return result

    def file_progress(done: int, total: int, path: Path) -> None:
        if total > 1:
            say(f"read {done + 1}/{total}: {path.parent.name}/{path.name}")

    ingested: Ingested = timed(
        "read", lambda: read(list(inputs), format=format, options=options, progress=file_progress)
    )
    forest: Forest = timed(
        "trees",
        lambda: build_forest(ingested.comments, ingested.articles, reader_issues=ingested.issues),
    )
    settings = dict(stage_settings or {})
    context = StageContext(forest=forest, ingested=ingested, settings=settings)
    metric_parts: list[pl.DataFrame] = []
    issues = [*ingested.issues, *forest.issues]
    stage_info: dict[str, Any] = {}
    for stage in selected:
        result: StageResult = timed(stage.name, stage.load(), context)
        context.frames.update(result.frames)
        if result.metrics is not None:
            metric_parts.append(result.metrics)
        issues.extend(result.issues)
        if result.manifest:
            stage_info[stage.name] = result.manifest
    metrics = (
        pl.concat(metric_parts, how="vertical", rechunk=False) if metric_parts else schemas.empty(schemas.METRICS)
    )
    counts = _accounting(ingested, forest, issues)
    manifest: dict[str, Any] = {
        "analyzer_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "polars": pl.__version__,
        "inputs": [
            {
                "path": r.path,
                "format": r.format,
                "sha256": r.sha256,
                "bytes": r.n_bytes,
                "encoding": r.encoding,
                "comments_in": r.n_comments_in,
            }
            for r in ingested.inputs
        ],
        "settings": {
            "format": format,
            "map": dict(options.mapping),
            "articles_table": str(options.articles_table) if options.articles_table else None,
            "max_bytes": options.max_bytes,
        },
        "stages": [s.name for s in selected],
        "stages_added_as_prerequisites": list(prerequisites),
        "stage_info": stage_info,
        "nlp_mode": stage_info.get("nlp", {}).get("mode"),
        "timings_s": timings,
        "counts": counts,
    }
    analysis = Analysis(
        forest, ingested, metrics, issues, manifest, stage_frames=context.frames, timings=timings
    )
    if out is not None:
        say("write")
        start = time.perf_counter()
        analysis.run_dir = write_run(out, analysis.frames(), manifest)
        timings["write"] = round(time.perf_counter() - start, 4)
    return analysis


def _accounting(ingested: Ingested, forest: Forest, issues: Sequence[ParseIssue]) -> dict[str, Any]:
    comments = forest.comments
    n_out = int((~comments.get_column("is_ghost")).sum())
    n_rejected = sum(1 for i in issues if i.code in REJECTION_CODES)
    n_in = ingested.n_comments_in
    counts = {
        "articles": forest.articles.height,
        "comments_in": n_in,
        "comments_out": n_out,
        "comments_rejected": n_rejected,
        "ghosts": int(comments.get_column("is_ghost").sum()),
        "more_stubs": int((comments.get_column("kind") == "more").sum()),
        "parse_issues": count_by_severity(issues),
    }
    if n_in != n_out + n_rejected:
        raise AccountingError(
            f"accounting mismatch: readers saw {n_in} comments, the run holds {n_out} "
            f"and {n_rejected} were rejected with a reason; this is a bug, please report it"
        )
    return counts
