"""All stages on a corpus this machine has not seen: whole process, per-machine caches emptied.

``python -m tests.bench.cold_e2e [--caches hanta|all|none] [--checkout DIR ...] [--repeat N] [--input PATH] [--map SPEC] [--compare]``

Runs ``python -m analyzer analyse INPUT --map ... --out TMP -q`` from each ``--checkout``
(default: this tree), alternating, ``--repeat`` rounds, each run its own process with
``XDG_CACHE_HOME`` pointed at a fresh temporary folder, so the machine's shared caches
(``~/.cache/analyzer``, which other runs measure with) are never emptied or written:

* ``hanta``: HanTa's per-machine form table starts empty (every distinct form is analysed by
  HanTa's search); the unpacked language-id model and the simplemma indexes are linked in
  from the usual folder (session 11's "table empty" figure);
* ``all``: every per-machine cache starts empty, as on a fresh machine or CI runner (the
  language-id model is unpacked, simplemma's languages decoded, HanTa's forms analysed);
* ``none``: the usual folder, as it is (the back-to-back figure of ``tests.bench.nlp_e2e``).

Prints per run the CPU seconds of the process and its children (user + system,
``resource.getrusage(RUSAGE_CHILDREN)``), the wall seconds and the 1-minute load before the
run, then the best CPU per checkout.  ``--compare``: the Parquet files of every run equal the
first checkout's first run (``polars.testing.assert_frame_equal``, exact).
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
from collections.abc import Sequence
from pathlib import Path

from tests.bench.nlp_profile import OMP_CSV, OMP_MAP

ROOT = Path(__file__).resolve().parents[2]
# The caches a ``hanta`` run keeps (linked in): everything but HanTa's form table.
KEPT_FOR_HANTA = ("py3langid", "simplemma")


def usual_cache() -> Path:
    """The per-machine cache folder runs use (``$XDG_CACHE_HOME/analyzer``, else ``~/.cache/analyzer``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "analyzer"


def prepare_cache(kind: str, folder: Path, usual: Path) -> dict[str, str]:
    """The environment changes for a run with caches of ``kind`` under ``folder`` (empty, new)."""
    if kind == "none":
        return {}
    if kind not in ("hanta", "all"):
        raise ValueError(f"--caches: expected hanta, all or none, got {kind!r}")
    (folder / "analyzer").mkdir(parents=True)
    if kind == "hanta":
        for name in KEPT_FOR_HANTA:
            if (usual / name).exists():
                (folder / "analyzer" / name).symlink_to(usual / name)
    return {"XDG_CACHE_HOME": str(folder)}


def run_once(checkout: Path, args: Sequence[str], out: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """CPU seconds (user + system, children included), wall seconds, load before the run."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "analyzer", "analyse", *args, "--out", str(out), "-q"],
                          cwd=checkout, env=env, check=False, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"analyse from {checkout} exited with {done.returncode}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall, load


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.cold_e2e", description=__doc__.split("\n")[0])
    parser.add_argument("--caches", default="hanta", choices=("hanta", "all", "none"))
    parser.add_argument("--checkout", type=Path, action="append", default=None, help="a source tree to run (repeatable)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--input", default=str(OMP_CSV))
    parser.add_argument("--map", default=OMP_MAP)
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args(argv)
    checkouts = [c.resolve() for c in args.checkout or [ROOT]]
    analyse = [args.input, *(["--map", args.map] if args.map else [])]
    usual = usual_cache()
    best: dict[Path, float] = {}
    with tempfile.TemporaryDirectory(prefix="cold-e2e-") as tmp:
        first: Path | None = None
        for round_ in range(args.repeat):
            for n, checkout in enumerate(checkouts):
                caches = Path(tmp) / f"cache-{round_}-{n}"
                env = {**os.environ, "PYTHONPATH": str(checkout), **prepare_cache(args.caches, caches, usual)}
                out = Path(tmp) / f"run-{round_}-{n}"
                cpu, wall, load = run_once(checkout, analyse, out, env)
                shutil.rmtree(caches, ignore_errors=True)
                best[checkout] = min(cpu, best.get(checkout, cpu))
                print(f"{checkout}  caches {args.caches}  CPU {cpu:7.2f} s  wall {wall:7.2f} s  load {load:.1f}", flush=True)
                if args.compare:
                    if first is None:
                        first = out
                    else:
                        from tests.bench.onepage import compare

                        compare(out, first)
    for checkout, cpu in best.items():
        print(f"best CPU {cpu:.2f} s: {checkout}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
