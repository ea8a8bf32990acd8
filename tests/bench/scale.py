"""Scaling benchmark: time, peak memory and throughput of every pipeline step at 10k-1M comments.

Run ``python -m tests.bench.scale`` (defaults: 10,000, 100,000 and 1,000,000 comments,
one article per 100 comments, three runs per size).  For each size it generates (or reuses
from the cache of :mod:`tests.bench.throughput`) a synthetic corpus (:mod:`tests.bench.synth.corpus`)
and measures, in a fresh child process per run:

* ``read``   the table reader (:func:`analyzer.ingest.read`) on the Parquet file
* ``trees``  :func:`analyzer.tree.forest.build_forest`
* one step per stage of :data:`analyzer.stages.STAGES`, whatever stages exist when it runs
  (structure, links, nlp, quotes today; stance and framing when they land), in run order,
  each called as the pipeline calls it (``run_stage(StageContext)``)
* ``write``  :func:`analyzer.core.run.write_run` of the run folder (all frames, schema checks
  included)

Sampled stages.  The offline NLP runs at a few thousand tokens per second, so ``nlp`` and
every stage that needs it (``requires``, transitively) run on a fixed-size *sample* of
whole threads (``--sample``, default 5,000 comments; the whole corpus when it is smaller),
built once per child (``sample`` step: not a pipeline step, reported for completeness).  Their
rows say ``sample`` and give throughput over the sample; their scaling exponent is not
computed (the input size does not change with the corpus).  ``--full NAMES`` runs a stage
that needs ``nlp`` on the whole corpus anyway; it then sees the nlp frames of the sample
only (fine for ``quotes``, which reads just the article sentences, and synthetic articles
have no body).

Memory.  Before each step the child resets its resident-set high-water mark (writing ``5``
to ``/proc/self/clear_refs``, Linux 4.0+) and reads ``VmHWM`` from ``/proc/self/status``
after it: ``peak_rss_bytes`` is the process's peak *during* that step (the frames held from
earlier steps included), ``rss_delta_bytes`` that peak minus the resident size when the step
started.  Where the reset is not possible the peak is cumulative (``hwm_reset`` false).

Scaling.  Between consecutive sizes the exponent ``log(t2 / t1) / log(n2 / n1)`` is computed
per step (1 = linear, 2 = quadratic); exponents above :data:`EXPONENT_FLAG` are flagged, as
long as the larger time is above :data:`MIN_SECONDS_FOR_FLAG` (below that, fixed costs and
noise dominate).

Garbage collection: before each step the child runs a full ``gc.collect()``, timed apart
(``gc_seconds``), so a step is not charged for the garbage of earlier steps; the pipeline
total includes these collections.

Timing: each size runs ``--repeat`` times; the fastest time of each step is reported (noise
only ever adds time) with all times kept in the JSON, and the highest peak memory.  The load
average is recorded before every run: the machine may be shared.

Example:
    >>> result = run_scale(sizes=[2_000], repeat=1, sample=500, cache_dir=None)  # doctest: +SKIP
    >>> sorted(result["sizes"]["2000"]["steps"])[:3]  # doctest: +SKIP
    ['links', 'nlp', 'quotes']
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import gc
import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from analyzer.core.errors import AnalyzerError, UsageError
from tests.bench.throughput import (
    _corpus_path,
    _first_match,
    _run_child,
    _stage_generate,
    _tail,
    default_cache_dir,
    machine_facts,
)

__all__ = [
    "DEFAULT_SIZES",
    "EXPONENT_FLAG",
    "format_report",
    "main",
    "measure_steps",
    "run_scale",
    "scaling_exponents",
    "stage_plan",
]

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
COMMENTS_PER_ARTICLE = 100  # 1M comments in 10,000 articles, as in tests.bench.throughput
DEFAULT_SAMPLE = 5_000
DEEP_CHAINS = 3
# Stages that are too slow per comment to run on a million comments; their dependents follow.
DEFAULT_SAMPLED = ("nlp",)
# Settings every stage sees: the offline language layer (no model files, same on every
# machine) and no credibility lists (ratings depend on what a user imported).
DEFAULT_SETTINGS: dict[str, Any] = {"nlp": "offline", "domain_lists": []}
# An exponent above this between two sizes is flagged as worse than linear.
EXPONENT_FLAG = 1.15
# Below this many seconds (the larger of the two times) an exponent is noise, not a finding.
MIN_SECONDS_FOR_FLAG = 0.2


# --- Memory probes (Linux /proc; None elsewhere) -------------------------------------------


def _status_bytes(field_name: str) -> int | None:
    value = _first_match("/proc/self/status", field_name)
    return int(value.split()[0]) * 1024 if value else None


def reset_peak_rss() -> bool:
    """Reset this process's ``VmHWM`` to its current RSS; False when the kernel refuses."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        return False
    return True


# --- The plan: which stages run on the whole corpus, which on the sample ----------------


def stage_plan(
    names: Sequence[str] | None, sampled: Sequence[str] = DEFAULT_SAMPLED, full: Sequence[str] = ()
) -> list[tuple[str, bool]]:
    """Stages to run, in run order, each with ``True`` when it runs on the sample.

    Args:
        names: stage names (None = every stage in :data:`analyzer.stages.STAGES`);
            prerequisites are added as the pipeline adds them.
        sampled: stages that run on the sample; stages requiring one of them follow.
        full: stages that run on the whole corpus even though they require a sampled stage.

    Example:
        >>> stage_plan(["quotes"])
        [('nlp', True), ('quotes', True)]
    """
    from analyzer.stages import BY_NAME, select

    unknown = [n for n in (*sampled, *full) if n not in BY_NAME]
    if unknown:
        raise UsageError(f"unknown stage(s) {', '.join(unknown)}; available: {', '.join(BY_NAME)}")
    selected, _ = select(list(names) if names is not None else None)
    on_sample = set(sampled)
    plan: list[tuple[str, bool]] = []
    for stage in selected:  # run order: a stage's requirements come before it
        is_sampled = stage.name in on_sample or (
            stage.name not in full and any(r in on_sample for r in stage.requires)
        )
        if is_sampled:
            on_sample.add(stage.name)
        plan.append((stage.name, is_sampled))
    return plan


# --- The sample: whole threads up to a comment budget --------------------------------------


def sample_articles(sizes: pl.DataFrame, budget: int, seed: int = 0) -> list[str]:
    """Article ids, in a seeded random order, whose threads add up to at most ``budget``.

    Whole threads keep the reply trees intact (quotations of the parent need the parent).
    Threads that would overshoot are skipped, so a few huge threads cannot swallow the budget.

    Args:
        sizes: columns ``article_id`` and ``n`` (comments per article).
        budget: comment budget.
        seed: order of the draw.
    """
    order = np.random.default_rng(seed).permutation(sizes.height)
    ids = sizes.get_column("article_id").to_list()
    counts = sizes.get_column("n").to_list()
    chosen: list[str] = []
    total = 0
    for i in order.tolist():  # one step per article, not per comment
        if total + counts[i] <= budget:
            chosen.append(ids[i])
            total += counts[i]
            if total >= budget:
                break
    return chosen


def _sample_inputs(ingested: Any, budget: int) -> Any:
    """The ingested corpus restricted to a sample of whole threads (the same object when it fits)."""
    comments = ingested.comments
    if comments.height <= budget:
        return ingested
    sizes = comments.group_by("article_id", maintain_order=True).agg(n=pl.len())
    keep = pl.Series(sample_articles(sizes, budget), dtype=pl.String)
    return dataclasses.replace(
        ingested,
        comments=comments.filter(pl.col("article_id").is_in(keep)),
        articles=ingested.articles.filter(pl.col("article_id").is_in(keep)),
        blocks=ingested.blocks.filter(pl.col("article_id").is_in(keep)),
        issues=[],
    )


def _n_visible(forest: Any) -> int:
    from analyzer.stages.links import visible_comments

    return int(visible_comments(forest.comments).height)


# --- The measurement (runs in a child) ------------------------------------------------------


class _Recorder:
    """Times steps and records each one's peak RSS."""

    def __init__(self) -> None:
        self.steps: dict[str, dict[str, Any]] = {}
        self.hwm_reset = True

    def run(self, name: str, step: Callable[[], Any], **facts: Any) -> Any:
        # Garbage left by earlier steps is collected here, timed apart: otherwise a full
        # collection (about 1 s once the nlp stage has loaded torch's ~700k objects) lands in
        # whichever step happens to cross the collector's threshold.
        gc_start = time.perf_counter()
        gc.collect()
        gc_seconds = time.perf_counter() - gc_start
        self.hwm_reset = reset_peak_rss() and self.hwm_reset
        rss_start = _status_bytes("VmRSS")
        start, cpu_start = time.perf_counter(), _cpu_seconds()
        value = step()
        seconds = time.perf_counter() - start
        cpu = _cpu_seconds() - cpu_start
        peak = _status_bytes("VmHWM")
        self.steps[name] = {
            "seconds": seconds,
            # CPU of this process and of reaped children (the nlp stage's pool workers): on a
            # shared machine the figure that does not grow with the neighbours' load.
            "cpu_seconds": cpu,
            "gc_seconds": gc_seconds,
            "peak_rss_bytes": peak,
            "rss_delta_bytes": (peak - rss_start) if peak is not None and rss_start is not None else None,
            **facts,
        }
        return value


def _cpu_seconds() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure_steps(
    path: Path,
    *,
    stages: Sequence[str] | None = None,
    sample: int = DEFAULT_SAMPLE,
    sampled: Sequence[str] = DEFAULT_SAMPLED,
    full: Sequence[str] = (),
    settings: dict[str, Any] | None = None,
    write_dir: Path | None = None,
) -> dict[str, Any]:
    """Read ``path``, build trees, run the stages and write the run, timing every step.

    Run it in a fresh process (``python -m tests.bench.scale --measure FILE``) for
    meaningful memory figures; called directly it works but earlier allocations of the
    caller blur the peaks.

    Args:
        path: the synthetic corpus (Parquet).
        stages: stage names (None = all).
        sample: comment budget of the sample that sampled stages run on.
        sampled: stages run on the sample (their dependents follow).
        full: dependents of sampled stages to run on the whole corpus anyway.
        settings: stage settings (default :data:`DEFAULT_SETTINGS`).
        write_dir: where the run folder is written (default: a temporary folder, removed).

    Returns:
        ``{"n_comments", "n_articles", "sample_comments", "hwm_reset", "rss_after_imports_bytes",
        "peak_rss_bytes", "steps": {name: figures}}``; every step has ``seconds``,
        ``peak_rss_bytes``, ``rss_delta_bytes``, ``n_comments`` (its input), ``scope``
        (``corpus`` | ``sample``) and ``comments_per_s``.
    """
    from analyzer.core import schemas
    from analyzer.core.run import write_run
    from analyzer.ingest import issues_frame, read
    from analyzer.stages import BY_NAME
    from analyzer.stages.context import StageContext, StageResult
    from analyzer.tree.forest import build_forest

    path = Path(path)
    plan = stage_plan(stages, sampled, full)
    settings = dict(DEFAULT_SETTINGS if settings is None else settings)
    rec = _Recorder()
    rss_imports = _status_bytes("VmRSS")

    ingested = rec.run("read", lambda: read([path]))
    n_in = ingested.comments.height
    codes: dict[str, int] = {}
    for issue in ingested.issues:
        codes[issue.code] = codes.get(issue.code, 0) + 1
    # A reader warning (e.g. no text column found) makes every text stage's figures meaningless.
    rec.steps["read"].update(n_comments=n_in, scope="corpus", file_bytes=path.stat().st_size, issue_codes=codes)
    forest = rec.run(
        "trees", lambda: build_forest(ingested.comments, ingested.articles, reader_issues=ingested.issues)
    )
    n_visible = _n_visible(forest)
    rec.steps["trees"].update(n_comments=n_in, scope="corpus", max_depth=int(forest.comments["depth"].max() or 0))
    full_ctx = StageContext(forest=forest, ingested=ingested, settings=settings)
    sample_ctx = full_ctx
    n_sample = n_visible
    if any(on_sample for _, on_sample in plan) and n_in > sample:

        def build_sample() -> Any:
            small = _sample_inputs(ingested, sample)
            small_forest = build_forest(small.comments, small.articles, reader_issues=small.issues)
            return StageContext(forest=small_forest, ingested=small, settings=settings)

        sample_ctx = rec.run("sample", build_sample, pipeline_step=False)
        n_sample = _n_visible(sample_ctx.forest)
        rec.steps["sample"].update(n_comments=n_sample, scope="sample")

    metric_parts: list[pl.DataFrame] = []
    issues = [*ingested.issues, *forest.issues]
    for name, on_sample in plan:
        ctx = sample_ctx if on_sample else full_ctx
        run_stage = BY_NAME[name].load()
        result: StageResult = rec.run(name, functools.partial(run_stage, ctx))
        # Later stages read earlier frames from their own context; a full-scale dependent of a
        # sampled stage sees the sample's frames (see the module docstring).
        for target in {id(full_ctx): full_ctx, id(sample_ctx): sample_ctx}.values():
            target.frames.update(result.frames)
        if result.metrics is not None:
            metric_parts.append(result.metrics)
        issues.extend(result.issues)
        figures = rec.steps[name]
        figures.update(
            n_comments=n_sample if on_sample else n_visible,
            scope="sample" if on_sample and sample_ctx is not full_ctx else "corpus",
            rows_out={frame: int(df.height) for frame, df in result.frames.items()},
            n_metrics=int(result.metrics.height) if result.metrics is not None else 0,
        )
        if name == "nlp" and "tokens.parquet" in result.frames:
            tokens = result.frames["tokens.parquet"].height
            figures["n_tokens"] = int(tokens)
            figures["tokens_per_s"] = tokens / figures["seconds"] if figures["seconds"] > 0 else None

    def write() -> Path:
        frames = {
            "articles.parquet": forest.articles,
            "comments.parquet": forest.comments,
            "article_blocks.parquet": ingested.blocks,
            "parse_issues.parquet": issues_frame(issues),
            "metrics.parquet": pl.concat(metric_parts, how="vertical", rechunk=False)
            if metric_parts
            else schemas.empty(schemas.METRICS),
            **full_ctx.frames,
        }
        manifest = {"benchmark": "tests.bench.scale", "stages": [n for n, _ in plan]}
        return write_run(out_root / "run", frames, manifest)

    with tempfile.TemporaryDirectory(prefix="bench-scale-write-", dir=write_dir) as tmp:
        out_root = Path(tmp)
        run_dir = rec.run("write", write)
        written = sum(p.stat().st_size for p in run_dir.iterdir())
    rec.steps["write"].update(n_comments=n_in, scope="corpus", bytes_written=written)

    for figures in rec.steps.values():
        seconds, n = figures["seconds"], figures.get("n_comments")
        figures["comments_per_s"] = n / seconds if n and seconds > 0 else None
    peaks = [f["peak_rss_bytes"] for f in rec.steps.values() if f.get("peak_rss_bytes") is not None]
    return {
        "n_comments": n_in,
        "n_visible": n_visible,
        "n_articles": int(forest.articles.height),
        "sample_comments": n_sample,
        "hwm_reset": rec.hwm_reset,
        "rss_after_imports_bytes": rss_imports,
        "peak_rss_bytes": max(peaks) if peaks else None,
        # The collections between steps belong to the run: the total includes them.
        "pipeline_seconds": sum(
            f["seconds"] + f["gc_seconds"] for f in rec.steps.values() if f.get("pipeline_step", True)
        ),
        "steps": rec.steps,
    }


# --- The parent: sizes, repeats, exponents ----------------------------------------------


def _merge_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Fastest time per step over the runs (all kept), highest peak memory."""
    merged: dict[str, Any] = json.loads(json.dumps(runs[0]))
    for name, figures in merged["steps"].items():
        times = [run["steps"][name]["seconds"] for run in runs if name in run["steps"]]
        peaks = [run["steps"][name].get("peak_rss_bytes") for run in runs if name in run["steps"]]
        figures["seconds"] = min(times)
        figures["all_seconds"] = times
        figures["all_gc_seconds"] = [run["steps"][name].get("gc_seconds") for run in runs if name in run["steps"]]
        known = [p for p in peaks if p is not None]
        figures["peak_rss_bytes"] = max(known) if known else None
        n = figures.get("n_comments")
        figures["comments_per_s"] = n / figures["seconds"] if n and figures["seconds"] > 0 else None
        if "n_tokens" in figures:
            figures["tokens_per_s"] = figures["n_tokens"] / figures["seconds"] if figures["seconds"] > 0 else None
    merged["pipeline_seconds"] = min(run["pipeline_seconds"] for run in runs)
    peaks = [run["peak_rss_bytes"] for run in runs if run.get("peak_rss_bytes") is not None]
    merged["peak_rss_bytes"] = max(peaks) if peaks else None
    return merged


def scaling_exponents(sizes: dict[str, dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per step, the exponent between each pair of consecutive sizes.

    Args:
        sizes: ``{str(n): merged figures}`` as in :func:`run_scale`'s ``"sizes"``.

    Returns:
        ``{step: [{"from", "to", "exponent", "flag"}, ...]}`` for steps that ran on the whole
        corpus at both sizes; ``flag`` is True when the exponent exceeds
        :data:`EXPONENT_FLAG` and the larger time is at least :data:`MIN_SECONDS_FOR_FLAG`.

    Example:
        >>> figures = {"10": {"steps": {"x": {"seconds": 1.0, "scope": "corpus"}}},
        ...            "100": {"steps": {"x": {"seconds": 100.0, "scope": "corpus"}}}}
        >>> scaling_exponents(figures)["x"][0]["exponent"], scaling_exponents(figures)["x"][0]["flag"]
        (2.0, True)
    """
    ordered = sorted(((int(n), figures) for n, figures in sizes.items() if "steps" in figures))
    out: dict[str, list[dict[str, Any]]] = {}
    for (n1, a), (n2, b) in zip(ordered, ordered[1:], strict=False):
        for name, fa in a["steps"].items():
            fb = b["steps"].get(name)
            if fb is None or fa.get("scope") != "corpus" or fb.get("scope") != "corpus":
                continue
            t1, t2 = fa.get("seconds"), fb.get("seconds")
            if not t1 or not t2 or t1 <= 0 or t2 <= 0 or n2 == n1:
                continue
            exponent = math.log(t2 / t1) / math.log(n2 / n1)
            flag = exponent > EXPONENT_FLAG and t2 >= MIN_SECONDS_FOR_FLAG
            out.setdefault(name, []).append({"from": n1, "to": n2, "exponent": round(exponent, 3), "flag": flag})
    return out


def _child_argv(path: Path, args: dict[str, Any]) -> list[str]:
    argv = [sys.executable, "-m", "tests.bench.scale", "--measure", str(path), "--sample", str(args["sample"])]
    if args["stages"] is not None:
        argv += ["--stages", ",".join(args["stages"])]
    argv += ["--sampled", ",".join(args["sampled"])]
    if args["full"]:
        argv += ["--full", ",".join(args["full"])]
    argv += ["--settings", json.dumps(args["settings"])]
    return argv


def run_scale(
    *,
    sizes: Sequence[int] = DEFAULT_SIZES,
    comments_per_article: int = COMMENTS_PER_ARTICLE,
    seed: int = 0,
    stages: Sequence[str] | None = None,
    sample: int = DEFAULT_SAMPLE,
    sampled: Sequence[str] = DEFAULT_SAMPLED,
    full: Sequence[str] = (),
    settings: dict[str, Any] | None = None,
    repeat: int = 3,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the scaling benchmark; return its figures as a JSON-ready dict.

    Args:
        sizes: corpus sizes in comments.
        comments_per_article: articles = size / this (at least 1).
        seed: generator seed.
        stages: stage names (None = every stage that exists).
        sample: comment budget of sampled stages.
        sampled: stages that run on the sample (dependents follow).
        full: dependents of sampled stages to run on the whole corpus anyway.
        settings: stage settings (default :data:`DEFAULT_SETTINGS`).
        repeat: fresh child processes per size; fastest time and highest peak reported.
        cache_dir: corpus cache (None: generate into a temporary folder, removed after).
        progress: called with a short message before each run.

    Returns:
        ``{"machine", "params", "plan", "sizes": {str(n): figures}, "exponents", "flags"}``.
    """
    if repeat < 1:
        raise UsageError(f"repeat must be at least 1, got {repeat}")
    if not sizes or min(sizes) < 1:
        raise UsageError(f"sizes must be positive, got {list(sizes)}")
    if sample < 1:
        raise UsageError(f"sample must be positive, got {sample}")
    say = progress or (lambda _msg: None)
    plan = stage_plan(stages, sampled, full)
    child_args = {
        "sample": sample,
        "stages": list(stages) if stages is not None else None,
        "sampled": list(sampled),
        "full": list(full),
        "settings": dict(DEFAULT_SETTINGS if settings is None else settings),
    }
    result: dict[str, Any] = {
        "machine": machine_facts(),
        "params": {
            "sizes": list(sizes),
            "comments_per_article": comments_per_article,
            "seed": seed,
            "deep_chains": DEEP_CHAINS,
            "sample": sample,
            "repeat": repeat,
            **{k: v for k, v in child_args.items() if k != "sample"},
        },
        "plan": [{"stage": name, "scope": "sample" if on_sample else "corpus"} for name, on_sample in plan],
        "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="analyzer-bench-scale-") as tmp:
        workdir = Path(tmp)
        folder = cache_dir if cache_dir is not None else workdir
        folder.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            n_articles = max(1, n // comments_per_article)
            # tests.bench.throughput's rule: 2000-deep chains at full size, shorter for small corpora.
            chain_length = max(1, min(2000, n // (10 * DEEP_CHAINS)))
            path = _corpus_path(folder, n, n_articles, seed, DEEP_CHAINS, chain_length)
            say(f"{n:,} comments: corpus")
            gen = _stage_generate(path, n, n_articles, seed, DEEP_CHAINS, chain_length, reuse=cache_dir is not None)
            runs: list[dict[str, Any]] = []
            loads: list[float | None] = []
            failure = None
            for i in range(repeat):
                say(f"{n:,} comments: run {i + 1}/{repeat}")
                loads.append(os.getloadavg()[0] if hasattr(os, "getloadavg") else None)
                code, wall, peak, stdout, stderr = _run_child(_child_argv(path, child_args), workdir=workdir)
                if code != 0:
                    failure = f"exit {code}: {_tail(stderr)}"
                    break
                measured = json.loads(stdout.strip().splitlines()[-1])
                measured["child_wall_seconds"] = wall
                measured["child_peak_rss_bytes"] = peak
                runs.append(measured)
            if failure is not None:
                result["sizes"][str(n)] = {"status": "failed", "note": failure, "generate": gen}
                continue
            merged = _merge_runs(runs)
            merged.update(
                status="ok",
                generate=gen,
                chain_length=chain_length,
                load_avg_1m=loads,
                child_wall_seconds=[r["child_wall_seconds"] for r in runs],
                child_peak_rss_bytes=max((r["child_peak_rss_bytes"] or 0) for r in runs),
            )
            result["sizes"][str(n)] = merged
    result["exponents"] = scaling_exponents(result["sizes"])
    result["flags"] = [
        {"step": step, **pair} for step, pairs in result["exponents"].items() for pair in pairs if pair["flag"]
    ]
    result["machine"]["load_avg_1m_end"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return result


# --- Report --------------------------------------------------------------------------------


def _fmt_bytes(value: float | None) -> str:
    if value is None:
        return "-"
    for unit in ("B", "KB", "MB", "GB"):
        if abs(value) < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.2f} {unit}" if value < 10 else f"{value:.0f} {unit}"
        value /= 1000
    return "-"


def _fmt_rate(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 1e6:
        return f"{value / 1e6:.2f} M/s"
    if value >= 1e3:
        return f"{value / 1e3:.1f} k/s"
    return f"{value:.0f} /s"


def _fmt_seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}" if value < 10 else f"{value:.1f}"


def format_report(result: dict[str, Any], *, markdown: bool = False) -> str:
    """The figures as a table (plain text, or Markdown for the README)."""
    sizes = [n for n in result["sizes"] if result["sizes"][n].get("status") == "ok"]
    steps: list[str] = []
    for n in sizes:
        for name in result["sizes"][n]["steps"]:
            if name not in steps:
                steps.append(name)
    header = ["step", "scope"]
    for n in sizes:
        short = f"{int(n) // 1000}k" if int(n) < 1_000_000 else f"{int(n) / 1e6:g}M"
        header += [f"{short} s", f"{short} peak", f"{short} comments/s"]
    header.append("exponent")
    rows: list[list[str]] = []
    for name in steps:
        scope = next((result["sizes"][n]["steps"][name].get("scope", "-") for n in sizes if name in result["sizes"][n]["steps"]), "-")
        if scope == "sample":
            scope = f"sample {result['params']['sample']:,}"
        row = [name, scope]
        for n in sizes:
            f = result["sizes"][n]["steps"].get(name)
            if f is None:
                row += ["-", "-", "-"]
                continue
            rate = _fmt_rate(f.get("comments_per_s"))
            if f.get("tokens_per_s"):
                rate += f" ({f['tokens_per_s']:,.0f} tok/s)"
            peak = _fmt_bytes(f.get("peak_rss_bytes"))
            if f.get("rss_delta_bytes") is not None:
                peak += f" (+{_fmt_bytes(max(0, f['rss_delta_bytes']))})"
            row += [_fmt_seconds(f.get("seconds")), peak, rate]
        pairs = result.get("exponents", {}).get(name, [])
        row.append(" / ".join(f"{p['exponent']:.2f}{' !' if p['flag'] else ''}" for p in pairs) or "n/a")
        rows.append(row)
    total = ["pipeline total", ""]
    for n in sizes:
        figures = result["sizes"][n]
        total += [_fmt_seconds(figures.get("pipeline_seconds")), _fmt_bytes(figures.get("peak_rss_bytes")), ""]
    total.append("")
    rows.append(total)
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    else:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]]
    machine = result["machine"]
    loads = {n: result["sizes"][n].get("load_avg_1m") for n in sizes}
    lines += [
        "",
        f"machine: {machine.get('cpu_model')}, {machine.get('nproc')} cores, "
        f"{_fmt_bytes(machine.get('ram_bytes'))} RAM, Python {machine.get('python')}, polars {machine.get('polars')}; "
        f"fastest of {result['params']['repeat']} runs per size; load average (1 min) before each run: "
        + "; ".join(f"{n}: {', '.join(f'{x:.2f}' for x in v if x is not None)}" for n, v in loads.items() if v),
        f"exponent = log(t2/t1)/log(n2/n1) between consecutive sizes; '!' = above {EXPONENT_FLAG} "
        f"(with t2 >= {MIN_SECONDS_FOR_FLAG} s); peak = process RSS high-water mark during the step "
        "(+ its rise over the RSS at the step's start; the frames of earlier steps, and torch once nlp "
        "has loaded it, stay resident); a full garbage collection runs before each step, timed apart "
        "(in the total, not in the step).",
    ]
    for n in sizes:
        codes = result["sizes"][n]["steps"].get("read", {}).get("issue_codes")
        if codes:
            lines.append(f"WARNING {n}: the reader reported {codes}; text stages may have run on empty texts")
    failed = [f"{n}: {result['sizes'][n].get('note')}" for n in result["sizes"] if result["sizes"][n].get("status") != "ok"]
    if failed:
        lines.append("failed: " + "; ".join(failed))
    if result.get("flags"):
        lines.append("FLAGGED: " + "; ".join(f"{f['step']} {f['from']:,}->{f['to']:,}: {f['exponent']:.2f}" for f in result["flags"]))
    return "\n".join(lines)


# --- Command line ----------------------------------------------------------------------------


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _sizes(text: str) -> list[int]:
    try:
        return [int(float(part)) for part in _names(text.replace("_", ""))]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"sizes must be numbers, got {text!r}") from exc


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tests.bench.scale``: run the scaling benchmark (see the module doc)."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.scale", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=list(DEFAULT_SIZES), help="comma-separated corpus sizes")
    parser.add_argument("--comments-per-article", type=int, default=COMMENTS_PER_ARTICLE)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--stages", type=_names, default=None, help="stage names (default: every stage)")
    parser.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, help="comments in the sample of sampled stages")
    parser.add_argument("--sampled", type=_names, default=list(DEFAULT_SAMPLED), help="stages run on the sample")
    parser.add_argument("--full", type=_names, default=[], help="dependents of sampled stages to run on the corpus")
    parser.add_argument("--settings", type=json.loads, default=None, help="stage settings as JSON")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    parser.add_argument("--report", type=Path, default=None,
                        help="print the table of a JSON file written by --json, and run nothing")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--cache-dir", type=Path, default=None, help=f"corpus cache (default {default_cache_dir()})")
    parser.add_argument("--no-cache", action="store_true", help="generate into a temporary folder")
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.report is not None:
        print(format_report(json.loads(args.report.read_text(encoding="utf-8")), markdown=args.markdown))
        return 0

    try:
        if args.measure is not None:  # child mode: one JSON line for the parent
            print(json.dumps(measure_steps(args.measure, stages=args.stages, sample=args.sample,
                                           sampled=args.sampled, full=args.full, settings=args.settings)))
            return 0
        result = run_scale(
            sizes=args.sizes, comments_per_article=args.comments_per_article, seed=args.seed,
            stages=args.stages, sample=args.sample, sampled=args.sampled, full=args.full,
            settings=args.settings, repeat=args.repeat,
            cache_dir=None if args.no_cache else (args.cache_dir or default_cache_dir()),
            progress=lambda msg: print(msg, file=sys.stderr, flush=True),
        )
    except AnalyzerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_report(result, markdown=args.markdown))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if any(f.get("status") != "ok" for f in result["sizes"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
