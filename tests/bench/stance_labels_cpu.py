"""CPU of the ``stance`` and ``labels`` stages alone, per 1,000 comments.

``python -m tests.bench.stance_labels_cpu [--input omp|synthetic-10k|synthetic-100k|PATH] [--limit N]
[--repeat N] [--stages stance,labels] [--profile OUT.prof]``

The stages before them (read, trees, links, nlp, quotes) run once per input and their context
(forest and frames) is pickled to ``~/.cache/analyzer/bench/stance-labels-<key>.pickle``, so
that every later call times only the two stages, in this process, with
``time.process_time`` (the machine is shared: wall time measures the neighbours).  Model
loading is included in each stage's figure (the stage loads its model once per run and per
chunk).  ``--profile`` writes a cProfile of the timed runs.

Inputs: ``omp`` is the One Million Posts dev CSV (8,954 real comments, `../shared/data`);
``synthetic-10k`` / ``synthetic-100k`` are the corpora of ``tests.bench.scale`` (the 1M
measurement of docs/performance-language.md runs ten chunks of the 1M corpus of the same
generator); any other value is a path read with default options.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pickle
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

CACHE = Path.home() / ".cache" / "analyzer" / "bench"
SYNTHETIC = {
    "synthetic-10k": CACHE / "corpus-v1-10000c-100a-s0-3x333.parquet",
    "synthetic-100k": CACHE / "corpus-v1-100000c-1000a-s0-3x2000.parquet",
}
PRE_STAGES = "structure,links,nlp,quotes"


def _context(name: str, limit: int | None) -> Any:
    """The StageContext after quotes for input ``name`` (built once, then read from the cache)."""
    from analyzer.ingest import ReadOptions
    from analyzer.pipeline import analyse
    from analyzer.stages.context import StageContext
    from tests.bench.nlp_profile import OMP_CSV, OMP_MAP

    if name == "omp":
        path, options = OMP_CSV, ReadOptions(mapping=dict(item.split("=", 1) for item in OMP_MAP.split(",")))
    else:
        path, options = Path(SYNTHETIC.get(name, name)), ReadOptions()
    key = hashlib.sha256(f"{path}|{limit}|{PRE_STAGES}".encode()).hexdigest()[:16]
    cached = CACHE / f"stance-labels-{key}.pickle"
    if cached.is_file():
        forest, ingested, frames = pickle.loads(cached.read_bytes())
    else:
        inputs = [str(path)]
        if limit is not None:  # the first N comments of the input, written as a Parquet sample
            import polars as pl

            if path.suffix != ".parquet":
                raise SystemExit("--limit works on Parquet inputs only")
            sample = CACHE / f"sample-{key}.parquet"
            pl.read_parquet(path).head(limit).write_parquet(sample)
            inputs = [str(sample)]
        analysis = analyse(inputs, options=options, stages=PRE_STAGES)
        forest, ingested, frames = analysis.forest, analysis.ingested, analysis.stage_frames
        CACHE.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(pickle.dumps((forest, ingested, frames)))
    return StageContext(forest=forest, ingested=ingested, settings={}, frames=dict(frames))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.stance_labels_cpu", description=__doc__.split("\n")[0])
    parser.add_argument("--input", default="omp")
    parser.add_argument("--limit", type=int, default=None, help="first N comments (Parquet inputs)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--stages", default="stance,labels")
    parser.add_argument("--profile", default=None, help="write a cProfile of the timed runs here")
    args = parser.parse_args(argv)
    from analyzer.stages.registry import declared_stages

    by_name = {spec.name: spec for spec in declared_stages()}

    context = _context(args.input, args.limit)
    n = context.forest.comments.height
    profile = cProfile.Profile() if args.profile else None
    for stage in args.stages.split(","):
        fn = by_name[stage].load()
        best = float("inf")
        for _ in range(args.repeat):
            ctx = type(context)(forest=context.forest, ingested=context.ingested, settings={}, frames=dict(context.frames))
            start = time.process_time()
            if profile:
                profile.enable()
            fn(ctx)
            if profile:
                profile.disable()
            best = min(best, time.process_time() - start)
        print(f"{stage:8s} {n:>9,} comments  CPU {best:8.2f} s  = {1000 * best / n:7.3f} s per 1,000 comments", flush=True)
    if profile:
        profile.dump_stats(args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
