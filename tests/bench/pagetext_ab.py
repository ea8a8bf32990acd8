"""Page-text reader A/B in one process: another checkout's ``pagetext.py`` against this one's.

    python -m tests.bench.pagetext_ab OTHER/analyzer/ingest/pagetext.py [--mb 20] [--repeat 7]

Renders the throughput bench's pages (:func:`tests.bench.throughput._render_page`, same seed:
one-sentence comments, the worst case, and realistic comments), then reads each with the other
module and with this checkout's, alternately, ``--repeat`` times, and prints the best process
CPU time of each and the ratio.  Alternating in one process keeps a loaded machine's drift out
of the ratio; decoding happens before the clock starts.  The other module is loaded under its
own name and imports its helpers (patterns, capturelist …) from this checkout, so compare a
checkout whose reader modules other than ``pagetext.py`` are the same (e.g. main before a
speed change of ``pagetext.py`` only).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from analyzer.ingest import pagetext
from analyzer.ingest.base import ReadOptions, Source
from tests.bench.throughput import _render_page


def load_other(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("pagetext_other", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules["pagetext_other"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("other", type=Path, help="the other checkout's analyzer/ingest/pagetext.py")
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    other = load_other(args.other)
    with tempfile.TemporaryDirectory(prefix="pagetext_ab_") as tmp:
        for realistic in (False, True):
            page = Path(tmp) / ("realistic.txt" if realistic else "short.txt")
            _render_page(page, 0, int(args.mb * 2**20), realistic=realistic)
            size = page.stat().st_size / 1e6
            times: dict[str, list[float]] = {"other": [], "this": []}
            for _ in range(args.repeat):
                for name, module in (("other", other), ("this", pagetext)):
                    source = Source(page)
                    _ = source.text  # decoded before the clock starts
                    gc.collect()
                    start = time.process_time()
                    module.read(source, ReadOptions())
                    times[name].append(time.process_time() - start)
            a, b = min(times["other"]), min(times["this"])
            print(f"{page.stem:9s} {size:6.2f} MB  other best {a:.3f} s ({size / a:.2f} MB/CPU-s, worst "
                  f"{max(times['other']):.3f})  this best {b:.3f} s ({size / b:.2f} MB/CPU-s, worst "
                  f"{max(times['this']):.3f})  this/other {b / a:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
