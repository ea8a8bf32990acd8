"""Benchmark: how fast and how lean the pipeline is on a large synthetic corpus.

Run ``python -m tests.bench.throughput`` (defaults: 1,000,000 comments in 10,000 articles).  It
generates a synthetic corpus (:mod:`tests.bench.synth.corpus`) or reuses a cached Parquet copy,
then measures, printing a table with the targets beside the figures:

* ``generate``          corpus generation and Parquet writing (reported, not counted)
* ``read``              reading the Parquet with the table reader (``analyzer.ingest.read``)
* ``trees``             building the reply forest (``analyzer.tree.forest.build_forest``)
* ``metrics``           structure metrics (``analyzer.stages.structure.compute_structure``)
* ``in_process_total``  read + trees + metrics, with the peak RSS of that process
* ``cli``               ``analyzer analyse FILE --out DIR --stages structure`` as a
                        subprocess: wall time (interpreter start and imports included) and
                        peak RSS
* ``pagetext``          page-text reader throughput on a ~20 MB rendered page whose comments
                        have the lengths of real German news comments (needs
                        ``tests.bench.synth.pagetext.render_pagetext``)
* ``pagetext_short``    the same with one-sentence comments: the worst case per byte

Why subprocesses: peak memory of polars and numpy lives outside the Python allocator, so
``tracemalloc`` misses it.  The in-process stages therefore run in a fresh child
(``--measure-in-process FILE``) that reports its own high-water mark (``VmHWM`` in
``/proc/self/status``); the CLI child's peak comes from ``os.wait4``'s resource usage for
that child alone (``RUSAGE_CHILDREN`` would mix in every earlier child).

Example:
    >>> result = run_bench(n_comments=2_000, n_articles=20, stages=("inprocess",),
    ...                    cache_dir=None)  # doctest: +SKIP
    >>> sorted(result["stages"])  # doctest: +SKIP
    ['generate', 'in_process_total', 'metrics', 'read', 'trees']
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from analyzer.core.errors import AnalyzerError, UsageError
from tests.bench.synth import corpus as synth_corpus

__all__ = ["STAGE_GROUPS", "TARGETS", "main", "measure_in_process", "run_bench"]

# Stage groups selectable with --stages; generation always runs (the others need its file).
STAGE_GROUPS = ("inprocess", "cli", "pagetext", "pagetext_short")

# Targets shown beside the figures: (label, result key, limit, "max" or "min", unit).
TARGETS: tuple[tuple[str, str, float, str, str], ...] = (
    ("in-process read+trees+metrics", "in_process_total.seconds", 2.0, "max", "s"),
    ("CLI analyse --stages structure", "cli.seconds", 5.0, "max", "s"),
    ("peak RSS in-process", "in_process_total.peak_rss_bytes", 1.5e9, "max", "B"),
    ("peak RSS CLI", "cli.peak_rss_bytes", 1.5e9, "max", "B"),
    ("page-text reader, realistic comments", "pagetext.mb_per_s", 10.0, "min", "MB/s"),
    ("page-text reader, short comments", "pagetext_short.mb_per_s", 10.0, "min", "MB/s"),
)

# Comment lengths of the realistic page: log-normal with the median and mean of the German
# news comments in the One Million Posts sample (Der Standard; 8,954 posts of
# ../shared/data/omp_derstandard/omp_posts_dev.csv: median 132, mean 216 characters).
REALISTIC_MEDIAN_CHARS = 132
REALISTIC_MEAN_CHARS = 216

# Size of the page rendered for the page-text throughput stage.
PAGETEXT_TARGET_BYTES = 20 * 1024 * 1024


# --- Machine facts ---------------------------------------------------------------------


def _first_match(path: str, prefix: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def machine_facts() -> dict[str, Any]:
    """CPU, memory and library versions: the context every figure needs."""
    mem_kib = _first_match("/proc/meminfo", "MemTotal")
    try:
        usable: int | None = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count()
    return {
        "nproc": usable,
        "cpu_count": os.cpu_count(),
        "cpu_model": _first_match("/proc/cpuinfo", "model name") or platform.processor() or None,
        "ram_bytes": int(mem_kib.split()[0]) * 1024 if mem_kib else None,
        "python": platform.python_version(),
        "polars": pl.__version__,
        "numpy": np.__version__,
        "platform": platform.platform(),
        "polars_threads": pl.thread_pool_size(),
        # Other work on the machine inflates timings: record how busy it was.
        "load_avg_1m": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def _peak_rss_self() -> int | None:
    """This process's high-water resident set size in bytes (Linux ``VmHWM``)."""
    value = _first_match("/proc/self/status", "VmHWM")
    if value is None:
        try:
            import resource

            return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024
        except (ImportError, OSError):
            return None
    return int(value.split()[0]) * 1024


# --- Running children ------------------------------------------------------------------


def _run_child(argv: Sequence[str], *, workdir: Path) -> tuple[int, float, int | None, str, str]:
    """Run ``argv``; return (exit code, wall seconds, peak RSS bytes, stdout, stderr).

    Output goes to files rather than pipes so a chatty child cannot block, and ``os.wait4``
    gives the resource usage of this child alone.
    """
    out_path, err_path = workdir / "child.stdout", workdir / "child.stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err)
        peak: int | None
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            code = os.waitstatus_to_exitcode(status)
            proc.returncode = code  # already reaped: keep Popen from waiting again
            peak = int(usage.ru_maxrss) * 1024  # kilobytes on Linux
        else:
            code = proc.wait()
            seconds = time.perf_counter() - start
            peak = None
    stdout = out_path.read_text(encoding="utf-8", errors="replace")
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    return code, seconds, peak, stdout, stderr


def _analyzer_command() -> list[str]:
    """How to call the ``analyzer`` command of this interpreter's installation."""
    script = Path(sys.executable).with_name("analyzer")
    if script.exists():
        return [str(script)]
    found = shutil.which("analyzer")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from analyzer.cli import main; sys.exit(main())"]


def _tail(text: str, n_lines: int = 5) -> str:
    return " | ".join(text.strip().splitlines()[-n_lines:])


# --- The in-process measurement (runs in a child) --------------------------------------


def _read_table(path: Path) -> Any:
    from analyzer.ingest import read

    return read([path])


def _build(ingested: Any) -> Any:
    from analyzer.tree.forest import build_forest

    return build_forest(ingested.comments, ingested.articles, reader_issues=ingested.issues)


def _structure(forest: Any) -> pl.DataFrame:
    from analyzer.stages.structure import compute_structure

    result: pl.DataFrame = compute_structure(forest)
    return result


def _timed(step: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = step()
    return value, time.perf_counter() - start


def measure_in_process(path: Path) -> dict[str, Any]:
    """Read ``path``, build trees and compute structure metrics, timing each step.

    Returns a dict of stage name -> figures, plus the process's peak RSS.  Run it in a
    fresh process (``python -m tests.bench.throughput --measure-in-process FILE``) for a meaningful
    peak; called directly it reports the caller's high-water mark.
    """
    rss_before = _peak_rss_self()
    ingested, t_read = _timed(lambda: _read_table(path))
    forest, t_trees = _timed(lambda: _build(ingested))
    metrics, t_metrics = _timed(lambda: _structure(forest))
    n_in = ingested.comments.height
    comments = forest.comments
    n_ghost = int(comments.get_column("is_ghost").sum())
    return {
        "read": {"seconds": t_read, "n_comments": n_in, "n_issues": _n_issues(ingested),
                 "n_comments_in": getattr(ingested, "n_comments_in", None)},
        "trees": {
            "seconds": t_trees,
            "n_comments": comments.height - n_ghost,
            "n_ghost": n_ghost,
            "max_depth": int(comments.get_column("depth").max() or 0),
            "n_articles": forest.articles.height,
        },
        "metrics": {"seconds": t_metrics, "n_rows": metrics.height},
        "in_process_total": {
            "seconds": t_read + t_trees + t_metrics,
            "n_comments": n_in,
            "peak_rss_bytes": _peak_rss_self(),
            "rss_after_imports_bytes": rss_before,
        },
    }


def _n_issues(ingested: Any) -> int:
    issues = getattr(ingested, "issues", None)
    if issues is None:
        return 0
    return issues.height if isinstance(issues, pl.DataFrame) else len(issues)


# --- Stages run by the parent ----------------------------------------------------------


def _corpus_path(cache_dir: Path, n_comments: int, n_articles: int, seed: int,
                 deep_chains: int, chain_length: int) -> Path:
    name = (f"corpus-v{synth_corpus.GENERATOR_VERSION}-{n_comments}c-{n_articles}a-s{seed}"
            f"-{deep_chains}x{chain_length}.parquet")
    return cache_dir / name


def default_cache_dir() -> Path:
    """``$ANALYZER_BENCH_CACHE``, else ``$XDG_CACHE_HOME/analyzer/bench``, else ~/.cache/..."""
    env = os.environ.get("ANALYZER_BENCH_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "analyzer" / "bench"


def _stage_generate(path: Path, n_comments: int, n_articles: int, seed: int, deep_chains: int,
                    chain_length: int, *, reuse: bool) -> dict[str, Any]:
    if reuse and path.exists():
        return {"seconds": None, "cached": True, "n_comments": n_comments,
                "file_bytes": path.stat().st_size, "path": str(path)}
    _, seconds = _timed(lambda: synth_corpus.write_corpus(
        path, n_comments, n_articles, seed, deep_chains=deep_chains, chain_length=chain_length))
    return {"seconds": seconds, "cached": False, "n_comments": n_comments,
            "file_bytes": path.stat().st_size, "path": str(path)}


def _stage_inprocess(path: Path, workdir: Path, repeat: int) -> dict[str, dict[str, Any]]:
    """Run the in-process measurement ``repeat`` times in fresh children; keep the fastest
    run's figures (timing noise only ever adds time) and the highest peak RSS of all runs."""
    argv = [sys.executable, "-m", "tests.bench.throughput", "--measure-in-process", str(path)]
    runs: list[dict[str, dict[str, Any]]] = []
    for _ in range(repeat):
        code, _, peak, stdout, stderr = _run_child(argv, workdir=workdir)
        if code != 0:
            failure = {"status": "failed", "note": f"exit {code}: {_tail(stderr)}"}
            return {name: dict(failure) for name in ("read", "trees", "metrics", "in_process_total")}
        measured: dict[str, dict[str, Any]] = json.loads(stdout.strip().splitlines()[-1])
        if measured["in_process_total"].get("peak_rss_bytes") is None:
            measured["in_process_total"]["peak_rss_bytes"] = peak
        runs.append(measured)
    best = min(runs, key=lambda run: float(run["in_process_total"]["seconds"]))
    total = best["in_process_total"]
    total["peak_rss_bytes"] = max(run["in_process_total"]["peak_rss_bytes"] or 0 for run in runs)
    total["all_seconds"] = [run["in_process_total"]["seconds"] for run in runs]
    for figures in best.values():
        figures["status"] = "ok"
    return best


def _stage_cli(path: Path, workdir: Path, repeat: int) -> dict[str, Any]:
    """Time the CLI ``repeat`` times (fastest run reported, highest peak RSS)."""
    out_dir = workdir / "run"
    argv = [*_analyzer_command(), "analyse", str(path), "--out", str(out_dir),
            "--stages", "structure"]
    times: list[float] = []
    peaks: list[int] = []
    for _ in range(repeat):
        code, seconds, peak, _, stderr = _run_child(argv, workdir=workdir)
        if code != 0:
            return {"status": "failed", "seconds": seconds,
                    "note": f"exit {code}: {_tail(stderr)}", "command": " ".join(argv)}
        times.append(seconds)
        if peak is not None:
            peaks.append(peak)
    n_out = None
    comments_file = out_dir / "comments.parquet"
    if comments_file.exists():
        n_out = int(pl.scan_parquet(comments_file)
                    .filter(~pl.col("is_ghost")).select(pl.len()).collect().item())
    return {"status": "ok", "seconds": min(times), "all_seconds": times,
            "peak_rss_bytes": max(peaks) if peaks else None, "n_comments": n_out,
            "command": " ".join(argv)}


def _stage_pagetext(
    workdir: Path, seed: int, target_bytes: int, repeat: int, *, realistic: bool = True
) -> dict[str, Any]:
    try:
        from tests.bench.synth import pagetext
    except ImportError:
        return {"status": "skipped", "note": "tests.bench.synth.pagetext is not available"}
    render = getattr(pagetext, "render_pagetext", None)
    if render is None:
        return {"status": "skipped", "note": "tests.bench.synth.pagetext has no render_pagetext"}
    page = workdir / ("page.txt" if realistic else "page_short.txt")
    n_comments = _render_page(page, seed, target_bytes, realistic=realistic)
    from analyzer.ingest import read

    times = []
    for _ in range(repeat):
        ingested, seconds = _timed(lambda: read([page], format="pagetext"))
        times.append(seconds)
    seconds = min(times)
    size = page.stat().st_size
    return {"status": "ok", "seconds": seconds, "all_seconds": times, "file_bytes": size,
            "mb_per_s": size / 1e6 / seconds, "n_comments": n_comments,
            "n_read": ingested.comments.height,
            "mean_comment_chars": round(float(ingested.comments["text"].str.len_chars().mean() or 0), 1)}


# The rendered thread: one article, with a moderately deep chain (page layouts cap nesting,
# and a 2000-deep chain at two columns per level would be mostly indentation).
_PAGE_CHAIN_LENGTH = 40
_PAGE_BODY = (
    "Der Stadtrat hat am Dienstag über den Haushalt beraten. Die Sitzung dauerte bis in den "
    "späten Abend.\n\nUmstritten war vor allem die Finanzierung der neuen Schwimmhalle, die "
    "nach Angaben der Verwaltung deutlich teurer wird als geplant."
)


def _page_comments(n_comments: int, seed: int, *, realistic: bool = False) -> list[Any]:
    """``n_comments`` synthetic comments of one article in pre-order with declared depths.

    The generator's texts are short (one sentence); ``realistic`` joins consecutive texts up
    to log-normal lengths with the median and mean of real German news comments.
    """
    from analyzer.core import schemas
    from analyzer.core.records import RawComment
    from analyzer.tree.forest import build_forest

    table = synth_corpus.generate_corpus(
        n_comments, 1, seed=seed, deep_chains=1 if n_comments > 2 * _PAGE_CHAIN_LENGTH else 0,
        chain_length=_PAGE_CHAIN_LENGTH,
    )
    raw = schemas.conform(
        table.with_columns(kind=pl.lit("comment"), edge_confidence=pl.lit(1.0),
                           src_order=pl.int_range(pl.len(), dtype=pl.Int64)),
        schemas.RAW_COMMENTS,
    )
    ordered = build_forest(raw, schemas.empty(schemas.RAW_ARTICLES)).comments
    if realistic:
        ordered = ordered.with_columns(text=pl.Series(_realistic_texts(ordered["text"].to_list(), seed)))
    return [
        RawComment(comment_id=cid, declared_depth=depth, author=author, created_at=created,
                   text=text)
        for cid, depth, author, created, text in ordered.select(
            "comment_id", "depth", "author", "created_at", "text").iter_rows()
    ]


def _realistic_texts(texts: list[str], seed: int) -> list[str]:
    """Join consecutive generated sentences (cyclically) up to realistic comment lengths."""
    rng = np.random.default_rng(seed)
    sigma = float(np.sqrt(2 * np.log(REALISTIC_MEAN_CHARS / REALISTIC_MEDIAN_CHARS)))
    targets = rng.lognormal(np.log(REALISTIC_MEDIAN_CHARS), sigma, len(texts)).clip(20, 3000)
    out: list[str] = []
    n = len(texts)
    for i, target in enumerate(targets):
        parts, length, j = [], 0, i
        while length < target and j < i + n:
            parts.append(texts[j % n])
            length += len(texts[j % n]) + 1
            j += 1
        out.append(" ".join(parts))
    return out


def _render_page(page: Path, seed: int, target_bytes: int, *, realistic: bool = True) -> int:
    """Render one synthetic article with about ``target_bytes`` of page text; return its
    number of comments.  A small sample gives the bytes per comment, then the full page is
    rendered once (rendering is not timed)."""
    from analyzer.core.records import Article
    from tests.bench.synth.pagetext import render_pagetext

    article = Article("bench-page", title="Haushalt: Streit um die Schwimmhalle",
                      body=_PAGE_BODY, author="Redaktion", language="de")
    sample = 2_000
    sample_bytes = len(render_pagetext(article, _page_comments(sample, seed, realistic=realistic),
                                       with_meta=True).encode("utf-8"))
    n_comments = max(1, round(target_bytes / (sample_bytes / sample)))
    text = render_pagetext(article, _page_comments(n_comments, seed, realistic=realistic), with_meta=True)
    page.write_text(text, encoding="utf-8")
    return n_comments


# --- Orchestration ---------------------------------------------------------------------


def run_bench(*, n_comments: int = 1_000_000, n_articles: int = 10_000, seed: int = 0,
              deep_chains: int = 3, chain_length: int | None = None,
              stages: Iterable[str] = STAGE_GROUPS, cache_dir: Path | None = None,
              pagetext_bytes: int = PAGETEXT_TARGET_BYTES, repeat: int = 1) -> dict[str, Any]:
    """Run the benchmark and return its figures as a JSON-ready dict.

    Args:
        n_comments: comments in the synthetic corpus.
        n_articles: articles in the synthetic corpus.
        seed: generator seed.
        deep_chains: threads holding a deep reply chain.
        chain_length: depth of those chains; default 2000, less for small corpora.
        stages: stage groups to run, from :data:`STAGE_GROUPS`.
        cache_dir: where corpora are cached; ``None`` generates into a temporary folder
            and removes it afterwards.
        pagetext_bytes: size of the page rendered for the page-text stage.
        repeat: runs per timed stage; the fastest is reported (all are kept under
            ``all_seconds``), memory is the highest of all runs.

    Returns:
        ``{"machine": ..., "params": ..., "stages": {name: figures}, "targets": [...]}``;
        each stage has ``status`` (ok | failed | skipped) and, when it ran, ``seconds``.
    """
    stages = tuple(stages)
    if repeat < 1:
        raise UsageError(f"repeat must be at least 1, got {repeat}")
    unknown = [s for s in stages if s not in STAGE_GROUPS]
    if unknown:
        raise UsageError(f"unknown stage(s) {', '.join(unknown)}; choose from {', '.join(STAGE_GROUPS)}")
    if chain_length is None:
        # 2000 at full size; small corpora keep the chains to a tenth of the comments.
        chain_length = max(1, min(2000, n_comments // (10 * max(deep_chains, 1))))
    params: dict[str, Any] = {"n_comments": n_comments, "n_articles": n_articles, "seed": seed,
                              "deep_chains": deep_chains, "chain_length": chain_length,
                              "stages": list(stages), "repeat": repeat}
    result: dict[str, Any] = {"machine": machine_facts(), "params": params, "stages": {}}
    with tempfile.TemporaryDirectory(prefix="analyzer-bench-") as tmp:
        workdir = Path(tmp)
        folder = cache_dir if cache_dir is not None else workdir
        folder.mkdir(parents=True, exist_ok=True)
        path = _corpus_path(folder, n_comments, n_articles, seed, deep_chains, chain_length)
        gen = _stage_generate(path, n_comments, n_articles, seed, deep_chains, chain_length,
                              reuse=cache_dir is not None)
        gen["status"] = "ok"
        result["stages"]["generate"] = gen
        if "inprocess" in stages:
            result["stages"].update(_stage_inprocess(path, workdir, repeat))
        if "cli" in stages:
            result["stages"]["cli"] = _stage_cli(path, workdir, repeat)
        if "pagetext" in stages:
            result["stages"]["pagetext"] = _stage_pagetext(workdir, seed, pagetext_bytes, repeat)
        if "pagetext_short" in stages:
            result["stages"]["pagetext_short"] = _stage_pagetext(
                workdir, seed, pagetext_bytes, repeat, realistic=False
            )
    result["targets"] = _check_targets(result["stages"])
    return result


def _lookup(stages: dict[str, Any], key: str) -> float | None:
    stage, field = key.split(".")
    value = stages.get(stage, {}).get(field)
    return float(value) if isinstance(value, int | float) else None


def _check_targets(stages: dict[str, Any]) -> list[dict[str, Any]]:
    checked = []
    for label, key, limit, kind, unit in TARGETS:
        value = _lookup(stages, key)
        met = None if value is None else (value <= limit if kind == "max" else value >= limit)
        checked.append({"name": label, "key": key, "limit": limit, "kind": kind, "unit": unit,
                        "value": value, "met": met})
    return checked


# --- Printing --------------------------------------------------------------------------


def _fmt_bytes(value: float | None) -> str:
    if value is None:
        return "-"
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if value >= scale:
            return f"{value / scale:.2f} {unit}"
    return f"{value:.0f} B"


def _fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "B":
        return _fmt_bytes(value)
    if unit == "s":
        return f"{value:.3f} s"
    return f"{value:.1f} {unit}"


def _fmt_load(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def format_report(result: dict[str, Any]) -> str:
    """The human-readable table printed by the command."""
    m, p = result["machine"], result["params"]
    lines = [
        "analyzer benchmark",
        f"  machine : {m['nproc']} usable CPUs ({m['cpu_count']} total), {m['cpu_model']}, "
        f"RAM {_fmt_bytes(m['ram_bytes'])}, load {_fmt_load(m['load_avg_1m'])}",
        f"  software: Python {m['python']}, polars {m['polars']} ({m['polars_threads']} threads), "
        f"numpy {m['numpy']}",
        f"  corpus  : {p['n_comments']:,} comments in {p['n_articles']:,} articles, seed "
        f"{p['seed']}, {p['deep_chains']} chains of {p['chain_length']}; best of {p['repeat']} run(s)",
        "",
        f"  {'stage':<18} {'status':<8} {'time':>10} {'peak RSS':>10}  notes",
    ]
    for name, figures in result["stages"].items():
        seconds = figures.get("seconds")
        time_text = "-" if seconds is None else f"{seconds:.3f} s"
        notes = []
        for key in ("n_comments", "n_ghost", "max_depth", "n_rows", "n_read", "mb_per_s",
                    "file_bytes", "cached"):
            if key in figures and figures[key] is not None:
                value = figures[key]
                if key == "file_bytes":
                    notes.append(f"file {_fmt_bytes(value)}")
                elif key == "mb_per_s":
                    notes.append(f"{value:.1f} MB/s")
                elif key == "cached":
                    notes.append("cached, not timed" if value else "not counted in totals")
                else:
                    notes.append(f"{key}={value:,}")
        if figures.get("note"):
            notes.append(str(figures["note"]))
        lines.append(f"  {name:<18} {figures.get('status', '-'):<8} {time_text:>10} "
                     f"{_fmt_bytes(figures.get('peak_rss_bytes')):>10}  {', '.join(notes)}")
    lines += ["", f"  {'target':<32} {'limit':>12} {'measured':>12}  verdict"]
    for target in result["targets"]:
        sign = "<=" if target["kind"] == "max" else ">="
        limit = f"{sign} {_fmt_value(target['limit'], target['unit'])}"
        verdict = {True: "met", False: "MISSED", None: "not measured"}[target["met"]]
        lines.append(f"  {target['name']:<32} {limit:>12} "
                     f"{_fmt_value(target['value'], target['unit']):>12}  {verdict}")
    return "\n".join(lines)


# --- Command line ----------------------------------------------------------------------


def _parse_stages(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tests.bench.throughput``: run the benchmark and print the table (see module doc)."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.throughput", description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--deep-chains", type=int, default=3)
    parser.add_argument("--chain-length", type=int, default=None,
                        help="depth of the deep chains (default 2000, less for small corpora)")
    parser.add_argument("--stages", type=_parse_stages, default=STAGE_GROUPS,
                        help=f"comma-separated stage groups: {','.join(STAGE_GROUPS)} (default all)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help=f"corpus cache folder (default {default_cache_dir()})")
    parser.add_argument("--no-cache", action="store_true", help="generate into a temporary folder")
    parser.add_argument("--pagetext-mb", type=float, default=PAGETEXT_TARGET_BYTES / 2**20,
                        help="size of the rendered page for the page-text stage, in MiB")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per timed stage; the fastest is reported (default 3)")
    parser.add_argument("--measure-in-process", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.measure_in_process is not None:
        # Child mode: one JSON line on stdout for the parent.
        print(json.dumps(measure_in_process(args.measure_in_process)))
        return 0
    cache_dir = None if args.no_cache else (args.cache_dir or default_cache_dir())
    try:
        result = run_bench(n_comments=args.comments, n_articles=args.articles, seed=args.seed,
                           deep_chains=args.deep_chains, chain_length=args.chain_length,
                           stages=args.stages, cache_dir=cache_dir,
                           pagetext_bytes=int(args.pagetext_mb * 2**20), repeat=args.repeat)
    except AnalyzerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_report(result))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    failed = [name for name, figures in result["stages"].items() if figures.get("status") == "failed"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
