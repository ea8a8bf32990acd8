"""Where one page's CPU goes: imports per package, bytecode compilation, model loads, stages.

``python -m tests.bench.onepage_profile [--page PATH]``

Runs ``analyzer analyse PAGE --out TMP -q`` in this process (``analyzer.cli.main``) and splits
its CPU time (``time.process_time``: all threads, user + system) into

* the first import of each third-party package (outermost import only: numpy imported by
  polars counts for polars), and of the analyser's own modules (exclusive of the third-party
  imports they trigger);
* compiling Python source to bytecode (``compile``; with ``PYTHONDONTWRITEBYTECODE=1`` and no
  ``__pycache__`` every analyser module is compiled on every run);
* each stage (between the pipeline's progress calls), less the imports made inside it.

Run it from the checkout to measure (``cd CHECKOUT && python -m tests.bench.onepage_profile``).
Under load the absolute figures grow; the shares are what to compare.
"""

from __future__ import annotations

import argparse
import builtins
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

PAGE = Path("fixtures") / "de_sample_page" / "input.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", type=Path, default=PAGE)
    args = parser.parse_args()

    imports: Counter[str] = Counter()
    compile_cpu = [0.0]
    depth = [0]
    original_import = builtins.__import__
    original_compile = builtins.compile

    def timed_import(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
        root = name.split(".")[0] if level == 0 else "analyzer"
        outer = depth[0] == 0 and root != "analyzer" and name not in sys.modules
        if not outer:
            return original_import(name, globals, locals, fromlist, level)
        depth[0] += 1
        start = time.process_time()
        try:
            return original_import(name, globals, locals, fromlist, level)
        finally:
            depth[0] -= 1
            imports[root] += time.process_time() - start

    def timed_compile(*a: Any, **k: Any) -> Any:
        start = time.process_time()
        try:
            return original_compile(*a, **k)
        finally:
            compile_cpu[0] += time.process_time() - start

    stage_cpu: dict[str, float] = {}
    stage_imports: dict[str, float] = {}
    current: list[Any] = [None, 0.0, 0.0]

    def close_stage() -> None:
        if current[0] is not None:
            stage_cpu[current[0]] = time.process_time() - current[1]
            stage_imports[current[0]] = sum(imports.values()) - current[2]

    def progress(step: str) -> None:
        close_stage()
        current[:] = [step.split(" ")[0].split(":")[0], time.process_time(), sum(imports.values())]

    start = time.process_time()
    builtins.__import__ = timed_import
    builtins.compile = timed_compile
    try:
        import analyzer.cli as cli
        import analyzer.pipeline as pipeline

        real_analyse = pipeline.analyse

        def analyse(*a: Any, **k: Any) -> Any:
            k["progress"] = progress
            return real_analyse(*a, **k)

        pipeline.analyse = analyse  # type: ignore[assignment]
        with tempfile.TemporaryDirectory(prefix="onepage-profile-") as tmp:
            code = cli.main(["analyse", str(args.page), "--out", str(Path(tmp) / "run"), "-q"])
            close_stage()
    finally:
        builtins.__import__ = original_import
        builtins.compile = original_compile
    total = time.process_time() - start
    print(f"exit code {code}; whole run {total:.3f} CPU s in this process (interpreter start not included)")
    print(f"  compiling source to bytecode: {compile_cpu[0]:.3f} s (inside the imports below)")
    print("  first imports (outermost; > 10 ms):")
    for name, cpu in imports.most_common():
        if cpu > 0.01:
            print(f"    {cpu:7.3f} s  {name}")
    print("  stages (CPU, of which imports made in the stage):")
    for name, cpu in stage_cpu.items():
        print(f"    {cpu:7.3f} s  {name:<14} imports {stage_imports[name]:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
