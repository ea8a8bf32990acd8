"""Where the whole process's CPU goes, per process: ``python -m tests.bench.cpu_account``.

``python -m tests.bench.cpu_account [--input PATH] [--map SPEC] [--stages LIST] [--rate HZ] [--raw FILE]``

Runs ``python -m analyzer analyse INPUT --map ... --out TMP -q`` twice, each its own process:

1. plainly, for the CPU of the whole process tree (user + system of the analyser and its
   reaped children: ``resource.getrusage(RUSAGE_CHILDREN)``), as ``tests.bench.nlp_e2e``;
2. under ``py-spy record --subprocesses`` (a sampling profiler outside the process: nothing in
   the analyser changes), whose stacks say which process (the analyser, the side process,
   pool workers) was doing what.

Each sample is put in one row by its stack (the first rule that matches, :data:`ROWS`):
interpreter start and imports, transfer between processes (pickling, pipes, starting a
spawned process), model and table loading, reading the input and building the trees, each
stage's work, writing the run folder and checking it.  The printed CPU seconds are the
samples' shares of the plain run's CPU.  That is an estimate: py-spy samples threads that
are running *or runnable*, so on a loaded machine a process's samples are nearer its wall
time than its CPU; polars' own threads are invisible to it (their CPU is charged to the
Python frame waiting for them, where that frame is sampled as active).  Compare rows, not
single seconds, and run it when the machine is quiet (docs/performance-language.md,
"Session 10: whole-process CPU").
"""

from __future__ import annotations

import argparse
import collections
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from tests.bench.nlp_profile import OMP_CSV, OMP_MAP

# (row, pattern searched in the stack, from the outermost frame in); the first match wins,
# so the order matters: an import inside a stage is an import, a model loaded inside a
# stage is loading, a stage's own frames come last.
ROWS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (row, re.compile(pattern))
    for row, pattern in (
        ("imports", r"_find_and_load \(<frozen importlib"),
        ("transfer (pickle, pipes, process start)",
         r"multiprocessing/(?:connection|reduction|popen_spawn_posix|context)\.py|"
         r"(?:DataFrame|Series)\.(?:__setstate__|__getstate__|deserialize|serialize)|spawn\.py:\d+\)(?!.*BaseProcess)"),
        ("loading models and tables",
         r"\b(?:hanta_tagger|somajo_tokenizer|load_lexicon|load_inventor(?:y|ies)|load_lists|load_default|"
         r"load_packaged|load_rules|_cached_pipeline|TransitionArrays\.__init__|HanoverTagger\.__init__|"
         r"VectorScorer\._weights|_model_for|load_model|packaged_model)\b|"
         r"\bload \((?:[^;]*)/stages/"),
        ("checking the run folder", r"\bverify_run_folder \("),
        ("writing the run folder", r"\bwrite_run \("),
        ("reading the input", r"\bread \([^;]*analyzer/ingest/__init__\.py"),
        ("building the trees", r"\bbuild_limited_forest \("),
    )
)
_STAGE = re.compile(r"analyzer/stages/(\w+)/")
# py-spy's process frames quote the command line, which may hold ";" (spawn's ``-c`` code).
_PROCESS = re.compile(r'process \d+:"([^"]*)";?')


def process_kind(command: str) -> str:
    """The kind of process a py-spy ``process`` frame names."""
    if "resource_tracker" in command:
        return "resource tracker"
    if "multiprocessing.spawn" in command:
        return "spawned process"
    return "analyser (parent)"


def row_of(frames: Sequence[str]) -> str:
    """The account row of one sampled stack (outermost frame first)."""
    stack = ";".join(frames)
    for row, pattern in ROWS:
        if pattern.search(stack):
            return row
    if not any(f.startswith(("<module>", "_run_module_as_main", "spawn_main", "BaseProcess", "Thread")) for f in frames[:3]):
        return "interpreter start and exit"
    for frame in frames:
        found = _STAGE.search(frame)
        if found:
            return f"stage {found.group(1)}"
    if any("_run_stages" in f or "_side_main" in f for f in frames):
        return "stage loop (pipeline)"
    if not frames or all(f.startswith(("<module>", "spawn_main", "_main", "main", "_run_module_as_main", "_run_code")) for f in frames):
        return "interpreter start and exit"
    return "other (pipeline, accounting, CLI)"


def account(raw: Path) -> dict[str, collections.Counter[str]]:
    """Samples per process kind and row from py-spy's raw (collapsed) output."""
    found: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        processes = _PROCESS.findall(stack)
        kind = process_kind(processes[-1]) if processes else "analyser (parent)"
        rest = _PROCESS.sub("", stack)
        found[kind][row_of(rest.split(";") if rest else [])] += int(count)
    return found


def plain_cpu(command: Sequence[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.cpu_account", description=__doc__.split("\n")[0])
    parser.add_argument("--input", default=str(OMP_CSV))
    parser.add_argument("--map", default=OMP_MAP)
    parser.add_argument("--stages", default=None, help="--stages of analyse (default: all)")
    parser.add_argument("--rate", type=int, default=100, help="py-spy samples per second")
    parser.add_argument("--raw", type=Path, default=None, help="keep py-spy's raw output here")
    args = parser.parse_args(argv)
    spy = shutil.which("py-spy")
    if spy is None:
        print("py-spy is not installed (pip install py-spy): it samples the analyser from outside", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="cpu-account-") as tmp:
        analyse = [sys.executable, "-m", "analyzer", "analyse", args.input, *(["--map", args.map] if args.map else []),
                   *(["--stages", args.stages] if args.stages else []), "-q"]
        cpu = plain_cpu([*analyse, "--out", str(Path(tmp) / "plain")])
        raw = args.raw or Path(tmp) / "spy.txt"
        subprocess.run([spy, "record", "--subprocesses", "--nonblocking", "-r", str(args.rate), "-f", "raw", "-o", str(raw),
                        "--", *analyse, "--out", str(Path(tmp) / "sampled")],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        found = account(raw)
    total = sum(sum(c.values()) for c in found.values()) or 1
    print(f"whole process tree: {cpu:.2f} CPU s (plain run); {total} samples at {args.rate} Hz in the sampled run")
    print("| process | row | CPU s (est.) | share |")
    print("|---|---|---|---|")
    for kind, rows in sorted(found.items(), key=lambda kv: -sum(kv[1].values())):
        n = sum(rows.values())
        print(f"| **{kind}** | all | **{cpu * n / total:.2f}** | {100 * n / total:.1f} % |")
        for row, samples in rows.most_common():
            print(f"| | {row} | {cpu * samples / total:.2f} | {100 * samples / total:.1f} % |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
