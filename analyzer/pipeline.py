"""The analysis pipeline: read -> trees (with limits) -> stages -> run folder.

Stages are named so ``--stages`` can pick them.  Every run checks its accounting
(:mod:`analyzer.accounting`): comments the readers saw = comments in the run + comments
rejected with a reason, link candidates found = link rows + candidates rejected with a reason,
and, once the run folder is written and before it replaces an earlier run, the Parquet files
hold what the manifest says.  Caps (:class:`analyzer.tree.limits.Limits`) apply while the trees are
built.
"""

from __future__ import annotations

import contextlib
import dataclasses
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from analyzer import __version__
from analyzer.accounting import (
    REJECTION_CODES,
    AccountingError,
    accounting_section,
    comment_counts,
    link_counts,
    verify_run_folder,
)
from analyzer.core import schemas
from analyzer.core.collections_policy import fewer_collections, settle
from analyzer.core.errors import UsageError
from analyzer.core.manifest import InputRecord, Manifest
from analyzer.core.records import SEVERITIES, ParseIssue
from analyzer.core.run import write_run
from analyzer.engines.side import ONE_PROCESS, SideRun, side_plan_for, text_chars
from analyzer.ingest import Ingested, ReadOptions, issues_frame, read
from analyzer.ingest.source import DEFAULT_MAX_BYTES
from analyzer.stages import select
from analyzer.stages.context import StageContext, StageResult
from analyzer.stages.settings import check_settings
from analyzer.stages.spec import StageSpec
from analyzer.tree.forest import Forest
from analyzer.tree.limits import LimitOutcome, Limits, build_limited_forest

__all__ = ["AccountingError", "Analysis", "REJECTION_CODES", "analyse", "count_by_severity", "write_verified"]


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
    # Issues held as a PARSE_ISSUES frame rather than objects: one row per comment a limit
    # rejected or cut (there can be hundreds of thousands); ``issues`` has their summaries.
    issue_rows: pl.DataFrame | None = None

    @property
    def issues_frame(self) -> pl.DataFrame:
        frame = issues_frame(self.issues)
        if self.issue_rows is not None and self.issue_rows.height:
            frame = pl.concat([frame, self.issue_rows], how="vertical")
        return frame

    def frames(self) -> dict[str, pl.DataFrame]:
        return {
            "articles.parquet": self.forest.articles,
            "comments.parquet": self.forest.comments,
            "article_blocks.parquet": self.ingested.blocks,
            "parse_issues.parquet": self.issues_frame,
            "metrics.parquet": self.metrics,
            **({"source_meta.parquet": self.ingested.meta} if self.ingested.meta.height else {}),
            **self.stage_frames,
        }


@dataclass(frozen=True, slots=True)
class StageRun:
    """One stage's result and its wall seconds."""

    result: StageResult
    seconds: float


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
    limits: Limits | None = None,
) -> Analysis:
    """Analyse inputs and, with ``out``, write the run folder.

    Args:
        inputs: files, folders or globs.
        out: run folder to write (replaced atomically if it is an earlier run).
        format: force a reader instead of sniffing.
        options: reader options (``--map``, articles table).
        stages: stage names to run (default: all); prerequisites are added.
        stage_settings: flat settings of the stages (``{"nlp": "offline"}``), checked against their
            declarations before anything is read (docs/usage.md, Settings).
        progress: called with a short message as each step starts.
        limits: caps on file size, thread size, depth and comment length (default: generous
            caps no real corpus reaches).  Its ``max_bytes`` and ``options.max_bytes`` are one
            setting: whichever differs from the default applies.

    Raises:
        AccountingError: comments or links went missing (a bug); an earlier run folder at
            ``out`` is left as it was.

    Example:
        >>> analysis = analyse(["fixtures/de_sample_page/input.txt"])  # doctest: +SKIP
        >>> analysis.forest.articles["n_visible"].item()  # doctest: +SKIP
    """
    selected, prerequisites = select(stages)
    settings = dict(stage_settings or {})
    check_settings(settings)  # a typo or bad value fails before anything is read
    options, limits = _reconcile(options or ReadOptions(), limits or Limits())
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
    built: tuple[Forest, LimitOutcome] = timed(
        "trees",
        lambda: build_limited_forest(
            ingested.comments, ingested.articles, reader_issues=ingested.issues, limits=limits
        ),
    )
    forest, limited = built
    context = StageContext(forest=forest, ingested=ingested, settings=settings)
    issues = [*ingested.issues, *forest.issues, *limited.issues]
    runs = _run_stages(selected, context, say, text_chars(forest.comments))
    metric_parts: list[pl.DataFrame] = []
    stage_info: dict[str, Any] = {}
    for stage in selected:
        result = runs[stage.name].result
        timings[stage.name] = runs[stage.name].seconds
        if result.metrics is not None:
            metric_parts.append(result.metrics)
        issues.extend(result.issues)
        if result.manifest:
            stage_info[stage.name] = result.manifest
    metrics = (
        pl.concat(metric_parts, how="vertical", rechunk=False) if metric_parts else schemas.empty(schemas.METRICS)
    )
    counts = comment_counts(ingested.n_comments_in, forest, issues, limited.rows)
    accounting = accounting_section(
        counts, limited, link_counts(stage_info, context.frames),
        {r.path: r.n_chars_after_header for r in ingested.inputs},
    )
    manifest = Manifest(
        analyzer_version=__version__,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        python=platform.python_version(),
        polars=pl.__version__,
        inputs=tuple(
            InputRecord(path=r.path, format=r.format, sha256=r.sha256, bytes=r.n_bytes, encoding=r.encoding,
                        comments_in=r.n_comments_in)
            for r in ingested.inputs
        ),
        settings={
            "format": format,
            "map": dict(options.mapping),
            "articles_table": str(options.articles_table) if options.articles_table else None,
            "max_bytes": options.max_bytes,
            "limits": limits.as_dict(),
        },
        stages=tuple(s.name for s in selected),
        stages_added_as_prerequisites=tuple(prerequisites),
        stage_info=stage_info,
        nlp_mode=stage_info.get("nlp", {}).get("mode"),
        timings_s=timings,
        counts=counts,
        accounting=accounting,
    ).to_dict()
    analysis = Analysis(
        forest,
        ingested,
        metrics,
        issues,
        manifest,
        stage_frames=context.frames,
        timings=timings,
        issue_rows=limited.rows if limited.rows.height else None,
    )
    if out is not None:
        say("write")
        start = time.perf_counter()
        analysis.run_dir = write_verified(out, analysis.frames(), manifest)
        timings["write"] = round(time.perf_counter() - start, 4)
    return analysis


def _run_stages(
    selected: Sequence[StageSpec], context: StageContext, say: Callable[[str], None], n_chars: int
) -> dict[str, StageRun]:
    """Every selected stage's result, run here in run order.

    When worth it (:func:`~analyzer.engines.side.side_plan_for`: a corpus, two cores), the
    declared ``prepare`` work of later stages starts in a spawned process right before the
    busy stage, which then runs in this process alone (its own worker pool would warm up
    twice); each of those stages takes its prepared value at its turn.
    """
    plan = side_plan_for(selected, context.settings, n_chars)
    side_names = set(plan.side) if plan else set()
    runs: dict[str, StageRun] = {}
    with fewer_collections(), contextlib.ExitStack() as stack:  # the stages' caches are never garbage (see the module)
        side: SideRun | None = None
        if plan:
            context.settings = {**context.settings, **ONE_PROCESS}
        for stage in selected:
            if plan and stage.name == plan.busy:
                say(f"{', '.join(plan.side)}: preparing in a second process")
                side = stack.enter_context(SideRun([s for s in selected if s.name in side_names], context))
            if side is not None and stage.name in side_names and stage.name not in context.prepared:
                context.prepared.update((name, value) for name, (value, _) in side.values().items())
            say(stage.name)
            fn = stage.load()  # its imports are not the stage's seconds
            start = time.perf_counter()
            result: StageResult = fn(context)
            runs[stage.name] = StageRun(result, round(time.perf_counter() - start, 4))
            context.frames.update(result.frames)
            settle()  # what the stage loaded or kept is set aside from later collections
    return runs


def _reconcile(options: ReadOptions, limits: Limits) -> tuple[ReadOptions, Limits]:
    """One file-size cap from ``ReadOptions.max_bytes`` and ``Limits.max_bytes``."""
    from_options, from_limits = options.max_bytes, limits.max_bytes
    if from_options == from_limits:
        return options, limits
    if from_options != DEFAULT_MAX_BYTES and from_limits != DEFAULT_MAX_BYTES:
        raise UsageError(
            f"two file-size caps given: {from_options} bytes (read options) and {from_limits} (limits)"
        )
    cap = from_limits if from_limits != DEFAULT_MAX_BYTES else from_options
    return dataclasses.replace(options, max_bytes=cap), dataclasses.replace(limits, max_bytes=cap)


def write_verified(out: str | Path, frames: dict[str, pl.DataFrame], manifest: dict[str, Any]) -> Path:
    """Write a run folder, check it against its manifest, then put it in place of ``out``.

    The folder is written by :func:`analyzer.core.run.write_run` under a hidden temporary name and
    checked there with :func:`analyzer.accounting.verify_run_folder`; only a folder that
    passes replaces an earlier run, so a failed check leaves that run untouched.

    Raises:
        UsageError: ``out`` exists and is not an analyzer run folder.
        AccountingError: the written files disagree with the manifest.
    """
    return write_run(out, frames, manifest, verify=verify_run_folder)

