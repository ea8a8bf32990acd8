"""Benchmark of the engines: ``python -m tests.bench.engines [--comments N]``.

Analyses one synthetic corpus (:func:`tests.bench.synth.corpus.generate_corpus`, offline NLP)
up to the ``stance`` stage with the local engine, then with Ray at 1 and 2 actors, and prints
the wall time of the ``nlp`` and ``stance`` stages of each run (the stage timings of the
manifest), Ray's start-up once, and whether the frames of every run equal the local ones.

Ray's start-up is paid once per process and is printed apart; each Ray run's stage times
still include starting its actors and loading the pipelines in them.  On a machine with few
cores expect Ray to be slower than the local engine: it adds processes, serialisation and
scheduling and can only win where there are more cores (or nodes, or GPUs) to spread over.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

COMPARED = ("sentences.parquet", "tokens.parquet", "stance.parquet", "metrics.parquet")


def _run(corpus: Path, settings: dict[str, Any]) -> tuple[dict[str, float], dict[str, Any]]:
    from analyzer.pipeline import analyse

    analysis = analyse([corpus], stages=["stance"], stage_settings={"nlp": "offline", **settings})
    frames = {**analysis.frames(), "metrics.parquet": analysis.metrics}
    return analysis.timings, {name: frames[name] for name in COMPARED}


def _equal(a: dict[str, Any], b: dict[str, Any]) -> bool:
    from polars.testing import assert_frame_equal

    try:
        for name in COMPARED:
            assert_frame_equal(a[name], b[name])
    except AssertionError:
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.engines", description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=2_000, help="synthetic comments (default 2,000)")
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--cpus-per-actor", type=float, default=0.5)
    parser.add_argument("--batch-rows", type=int, default=200)
    args = parser.parse_args(argv)

    from analyzer.core.errors import AnalyzerError
    from tests.bench.synth.corpus import write_corpus

    try:
        from analyzer.engines.ray_engine import connect

        with tempfile.TemporaryDirectory() as folder:
            corpus = write_corpus(Path(folder) / "corpus.parquet", args.comments, args.articles, 0, deep_chains=0)
            print(f"corpus: {args.comments} comments, {args.articles} articles (offline NLP, stages up to stance)")
            timings, reference = _run(corpus, {})
            rows = [("local", timings, True)]
            start = time.perf_counter()
            connect(None)
            print(f"ray start-up (once per process): {time.perf_counter() - start:.1f} s")
            for actors in (1, 2):
                settings = {
                    "engine": "ray", "ray_actors": actors, "ray_num_cpus": args.cpus_per_actor,
                    "engine_batch_rows": args.batch_rows,
                }
                timings, frames = _run(corpus, settings)
                rows.append((f"ray, {actors} actor{'s' if actors > 1 else ''}", timings, _equal(frames, reference)))
    except AnalyzerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{'engine':<16}{'nlp s':>8}{'stance s':>10}{'nlp+stance s':>14}  frames equal to local")
    for name, t, same in rows:
        print(f"{name:<16}{t['nlp']:>8.2f}{t['stance']:>10.2f}{t['nlp'] + t['stance']:>14.2f}  {'yes' if same else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
