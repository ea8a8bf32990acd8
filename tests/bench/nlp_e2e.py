"""All stages vs structure-only on one input, back to back, whole process.

``python -m tests.bench.nlp_e2e [--input PATH] [--map SPEC] [--repeat N] [-- extra analyse args]``

Runs ``python -m analyzer analyse INPUT --stages structure`` and then all stages, each as its
own process, alternating, ``--repeat`` times, and prints per run the wall time and the CPU
time of the process and its children (``resource.getrusage(RUSAGE_CHILDREN)``: the analyser's
pool workers are its children and are reaped before it exits).  The machine is shared, so
CPU seconds are the figure to compare; wall time is printed beside it.  The stage timings
(wall) are read from each run's manifest.  Both ratios are printed: CPU (best of each) and
wall (best of each); neither is the other.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from tests.bench.nlp_profile import OMP_CSV, OMP_MAP


def run_once(args: Sequence[str], out: Path) -> tuple[float, float, dict[str, float]]:
    """Wall seconds, CPU seconds (user + system, children included) and stage timings."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analyzer", "analyse", *args, "--out", str(out), "-q"], check=False, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    timings: dict[str, float] = {}
    manifest = out / "manifest.json"
    if manifest.is_file():
        timings = json.loads(manifest.read_text()).get("timings_s", {})
    return wall, cpu, timings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.nlp_e2e", description=__doc__.split("\n")[0])
    parser.add_argument("--input", default=str(OMP_CSV))
    parser.add_argument("--map", default=OMP_MAP)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("extra", nargs="*", help="more analyse options (after --)")
    args = parser.parse_args(argv)
    base = [args.input, *(["--map", args.map] if args.map else []), *args.extra]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            for label, stages in (("structure only", ["--stages", "structure"]), ("all stages", [])):
                wall, cpu, timings = run_once([*base, *stages], Path(tmp) / f"{i}-{len(stages)}")
                rows.append((label, wall, cpu, timings))
                print(f"{label:15s} wall {wall:7.2f} s  CPU {cpu:7.2f} s  stages {timings}", flush=True)
    best = {label: min(cpu for lab, _, cpu, _ in rows if lab == label) for label in ("structure only", "all stages")}
    print(f"best CPU: structure only {best['structure only']:.2f} s, all stages {best['all stages']:.2f} s, "
          f"ratio {best['all stages'] / best['structure only']:.1f}x")
    # Wall seconds too (issue 17 says "cost"; on an idle machine wall is what a user waits for,
    # and the second process of a run lowers wall more than CPU): best of each, and their ratio.
    wall = {label: min(w for lab, w, _, _ in rows if lab == label) for label in ("structure only", "all stages")}
    print(f"best wall: structure only {wall['structure only']:.2f} s, all stages {wall['all stages']:.2f} s, "
          f"ratio {wall['all stages'] / wall['structure only']:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
