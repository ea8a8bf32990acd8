"""One captured page through every stage, as a whole process: CPU, wall, and equal output.

``python -m tests.bench.onepage [--repeat N] [--checkout DIR] [--bytecode as-is|cached] [--compare RUN_DIR] [--keep RUN_DIR]``

Runs ``python -m analyzer analyse fixtures/de_sample_page/input.txt --out TMP -q`` from
``--checkout`` (default: this one) ``--repeat`` times, each its own process, and prints per run
user + system CPU seconds (``resource.getrusage(RUSAGE_CHILDREN)``), wall seconds and the load
average before the run.  The machine is shared: CPU seconds compare code, wall seconds are the
target's figure only on an idle machine.

``--bytecode``: ``as-is`` runs with the environment unchanged (with ``PYTHONDONTWRITEBYTECODE=1``
and no ``__pycache__`` in a checkout, as in the development worktrees, every run compiles the
analyser's modules from source: ~0.2 s CPU); ``cached`` points ``PYTHONPYCACHEPREFIX`` at a
temporary folder, allows writing it and makes one unmeasured warm-up run, as an installed
package (byte-compiled by pip) runs.

``--compare RUN_DIR``: every Parquet file of the last run must equal the one in ``RUN_DIR``
(``polars.testing.assert_frame_equal``, exact); ``--keep RUN_DIR`` copies the last run there.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = Path("fixtures") / "de_sample_page" / "input.txt"


def run_once(checkout: Path, out: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """CPU seconds (user + system), wall seconds, 1-minute load average before the run."""
    shutil.rmtree(out, ignore_errors=True)
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "analyzer", "analyse", str(PAGE), "--out", str(out), "-q"],
                          cwd=checkout, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"analyse exited with {done.returncode}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall, load


def compare(run: Path, reference: Path) -> int:
    """Number of Parquet files that differ (or are missing on one side); prints each."""
    import polars as pl
    from polars.testing import assert_frame_equal

    names = sorted({p.name for p in run.glob("*.parquet")} | {p.name for p in reference.glob("*.parquet")})
    bad = 0
    for name in names:
        try:
            assert_frame_equal(pl.read_parquet(run / name), pl.read_parquet(reference / name), check_exact=True)
        except (AssertionError, OSError, FileNotFoundError) as exc:
            bad += 1
            print(f"differs: {name}: {str(exc)[:200]}")
    print(f"{len(names)} Parquet files compared with {reference}: {bad} differ")
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the analyser's source tree to run")
    parser.add_argument("--bytecode", choices=("as-is", "cached"), default="as-is")
    parser.add_argument("--compare", type=Path, metavar="RUN_DIR")
    parser.add_argument("--keep", type=Path, metavar="RUN_DIR")
    args = parser.parse_args()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(args.checkout.resolve())  # that checkout's analyzer, not the installed one
    with tempfile.TemporaryDirectory(prefix="onepage-") as tmp:
        out = Path(tmp) / "run"
        if args.bytecode == "cached":
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pyc")
            run_once(args.checkout, out, env)  # writes the bytecode; not measured
        for i in range(args.repeat):
            cpu, wall, load = run_once(args.checkout, out, env)
            print(f"run {i + 1}: {cpu:.2f} CPU s (user + sys), {wall:.2f} s wall, load {load:.1f}", flush=True)
        if args.keep is not None:
            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.copytree(out, args.keep)
        if args.compare is not None and compare(out, args.compare):
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
