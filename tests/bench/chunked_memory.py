"""Peak memory of chunked and one-shot runs over synthetic corpora (development tool).

``python -m tests.bench.chunked_memory [--sizes 1000000,2000000] [--chunks 100000,250000]``;
each run is a fresh child process (``--child``), since peak RSS (``VmHWM``) is per process.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from analyzer.chunked import DEFAULT_CHUNK_COMMENTS, analyse_chunked
from analyzer.core.run import MANIFEST

# ---------------------------------------------------------------------------------------
# Benchmark: peak memory of chunked vs one-shot runs
# ---------------------------------------------------------------------------------------


def _peak_rss_bytes() -> int | None:
    """This process's peak resident set size (``VmHWM``), Linux only."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _child(mode: str, path: Path, out: Path, chunk: int, stages: str) -> dict[str, Any]:
    """One measured run in this (fresh) process: returns wall time and peak RSS."""
    from analyzer.pipeline import analyse

    start = time.perf_counter()
    if mode == "oneshot":
        analysis = analyse([path], out=out, stages=stages, format="table")
        n_chunks = 1
        del analysis
    else:
        analyse_chunked([path], out=out, chunk_comments=chunk, stages=stages)
        n_chunks = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["chunked"]["n_chunks"]
    return {"mode": mode, "chunk": chunk if mode == "chunked" else None, "n_chunks": n_chunks,
            "seconds": round(time.perf_counter() - start, 2), "peak_rss": _peak_rss_bytes()}


def bench(
    workdir: str | Path,
    sizes: Sequence[int] = (1_000_000, 2_000_000),
    chunk_sizes: Sequence[int] = (100_000, 250_000),
    *,
    stages: str = "structure,links",
    one_shot: bool = True,
    comments_per_article: int = 100,
    say: Callable[[str], None] = print,
) -> list[dict[str, Any]]:
    """Measure peak RSS of chunked and one-shot runs over synthetic corpora.

    Each run is a fresh subprocess (``VmHWM`` is per process); corpora are generated once
    with :func:`tests.bench.synth.corpus.write_corpus` (``n / comments_per_article`` articles,
    so thread shapes stay alike as the corpus grows) and cached in ``workdir``.
    """
    from tests.bench.synth.corpus import GENERATOR_VERSION, write_corpus

    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    for n in sizes:
        corpus = workdir / f"corpus-{n}-v{GENERATOR_VERSION}.parquet"
        if not corpus.is_file():
            say(f"generating {n} comments -> {corpus}")
            write_corpus(corpus, n, max(1, n // comments_per_article), seed=7)
        modes: list[tuple[str, int]] = [("chunked", c) for c in chunk_sizes]
        if one_shot:
            modes.append(("oneshot", 0))
        for mode, chunk in modes:
            out = workdir / f"run-{n}-{mode}-{chunk}"
            argv = [sys.executable, "-m", "tests.bench.chunked_memory", "--child", mode, "--input", str(corpus),
                    "--out", str(out), "--chunk-comments", str(chunk), "--stages", stages]
            done = subprocess.run(argv, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"benchmark child failed: {done.stderr.strip()[-2000:]}")
            row = {"comments": n, "input_bytes": corpus.stat().st_size,
                   **json.loads(done.stdout.strip().splitlines()[-1])}
            say(format_row(row))
            results.append(row)
            shutil.rmtree(out, ignore_errors=True)
    return results


def format_row(row: dict[str, Any]) -> str:
    peak = row["peak_rss"]
    label = f"chunked {row['chunk']:>7}" if row["mode"] == "chunked" else "one-shot       "
    return (f"{row['comments']:>9} comments  {label}  chunks {row['n_chunks']:>3}  "
            f"peak {peak / 2**20 if peak else float('nan'):8.0f} MiB  {row['seconds']:7.1f} s")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tests.bench.chunked_memory --bench`` (or ``--child``, used by the benchmark)."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.chunked_memory",
                                     description="Chunked analysis of large Parquet inputs; --bench measures memory.")
    parser.add_argument("--bench", action="store_true", help="measure peak RSS, chunked vs one-shot")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "analyzer-chunked-bench")
    parser.add_argument("--sizes", default="1000000,2000000", help="corpus sizes (comments), comma-separated")
    parser.add_argument("--chunks", default="100000,250000", help="chunk sizes, comma-separated")
    parser.add_argument("--no-one-shot", action="store_true", help="skip the one-shot comparison runs")
    parser.add_argument("--child", choices=("chunked", "oneshot"), help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--chunk-comments", type=int, default=DEFAULT_CHUNK_COMMENTS, help=argparse.SUPPRESS)
    parser.add_argument("--stages", default="structure,links")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child, args.input, args.out, args.chunk_comments, args.stages)))
        return 0
    if not args.bench:
        parser.print_help()
        return 2
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    chunks = [int(x) for x in args.chunks.split(",") if x.strip()]
    results = bench(args.workdir, sizes, chunks, stages=args.stages, one_shot=not args.no_one_shot)
    (args.workdir / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
