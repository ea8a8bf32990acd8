"""Server CPU per request, by endpoint kind, for the load test's visit mix: ``python -m tests.bench.dashboard_cpu``.

Builds the app in this process (as ``analyzer serve`` does) and replays the visits of
:mod:`tests.bench.dashboard_load` one after the other through Flask's test client, timing each
request with ``time.process_time``: the server's own work, which a loaded shared machine does
not inflate (the load test's latencies are queueing on 2 shared cores; this is what to compare
before and after a change).  ``--profile FILE`` writes a cProfile of the replay.

Example:
    python -m tests.bench.dashboard_cpu --visits 300
    python -m tests.bench.dashboard_cpu --visits 300 --profile /tmp/dash.prof
"""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import time
from pathlib import Path

from tests.bench.dashboard_load import RunChoices, Visits, quantile, static_paths


def replay(run_dir: Path, n_visits: int, seed: int = 0, profile: Path | None = None,
           cache_answers: bool = True) -> tuple[dict[str, list[float]], float]:
    """CPU seconds per request by kind over ``n_visits`` visits; and the app's start-up CPU."""
    from dashboards.app import create_app

    start = time.process_time()
    app = create_app(run_dir, **({} if cache_answers else {"cache_answers": False}))
    startup = time.process_time() - start
    client = app.server.test_client()
    visits = Visits(RunChoices.read(run_dir), json.loads(client.get("/_dash-dependencies").get_data()),
                    static_paths(client.get("/").get_data(as_text=True)))
    rng = random.Random(seed)
    cpu: dict[str, list[float]] = {}
    profiler = cProfile.Profile() if profile else None
    headers = {"Content-Type": "application/json"}
    for n, visit in enumerate(visits.endless(rng)):
        if n >= n_visits:
            break
        for request in visit:
            if profiler:
                profiler.enable()
            begin = time.process_time()
            if request.method == "GET":
                response = client.get(request.path)
            else:
                response = client.post(request.path, data=request.body, headers=headers)
            response.get_data()
            elapsed = time.process_time() - begin
            if profiler:
                profiler.disable()
            if response.status_code >= 300:
                raise RuntimeError(f"{response.status_code} {request.method} {request.path}")
            kind = request.kind
            if kind == "cb:page-content" and request.body:  # which page: routing costs differ by page
                inputs = json.loads(request.body)["inputs"]
                kind += " " + next(str(i["value"]) for i in inputs if i["property"] == "pathname")
            cpu.setdefault(kind, []).append(elapsed)
    if profiler and profile:
        profiler.dump_stats(str(profile))
    return cpu, startup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.dashboard_cpu", description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=300, help="visits to replay (default 300)")
    parser.add_argument("--run", type=Path, help="run folder (default: the benchmark's synthetic run)")
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "analyzer" / "dash-bench")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the replay here")
    parser.add_argument("--no-answer-cache", action="store_true",
                        help="answer every request anew (the work of a request without dashboards.respcache)")
    args = parser.parse_args(argv)
    if args.run is None:
        from tests.bench.dashboard_first_page import build_run

        run_dir = build_run(100_000, 1_000, 5_000, "structure,links", args.cache_dir)
    else:
        run_dir = args.run
    cpu, startup = replay(run_dir, args.visits, args.seed, args.profile, not args.no_answer_cache)
    every = [v for values in cpu.values() for v in values]
    print(f"{run_dir}: start-up {1000 * startup:.0f} ms CPU; {len(every)} requests, "
          f"{1000 * sum(every) / len(every):.2f} ms CPU a request")
    print(f"{'endpoint kind':<28} {'n':>6} {'mean ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind in sorted(cpu):
        ms = [1000 * v for v in cpu[kind]]
        print(f"{kind:<28} {len(ms):>6} {sum(ms) / len(ms):>8.2f} {quantile(ms, 0.5):>8.2f} "
              f"{quantile(ms, 0.95):>8.2f} {max(ms):>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
