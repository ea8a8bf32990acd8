"""Page-text reader CPU throughput, for before/after comparisons on a shared (loaded) machine.

    python -m tests.bench.pagetext_cpu [--mb 4] [--repeat 5] [--short|--realistic|--both]
                                       [--digest] [--profile N]

Renders the page of ``python -m tests.bench.throughput --stages pagetext,pagetext_short`` (same
renderer, same seed) at ``--mb`` megabytes, then reads it ``--repeat`` times with
:func:`analyzer.ingest.pagetext.read` and prints the best **process CPU time** (``time.process_time``:
what other processes on the machine do does not count) as MB per CPU-second.  ``--digest`` prints a
SHA-256 of every comment field and issue of the reading, so two versions of the reader can be
checked for identical output on the same page.  ``--profile N`` prints the N most expensive
functions (cProfile, cumulative) of one more reading.

The wall-clock figure of record stays ``python -m tests.bench.throughput --stages
pagetext,pagetext_short --repeat 3`` on an idle machine (docs/readers.md).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import sys
import tempfile
import time
from pathlib import Path

from analyzer.ingest import pagetext
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source
from tests.bench.throughput import _render_page


def digest(out: ReaderOutput) -> str:
    """SHA-256 over every comment field, article field and issue of a reading."""
    h = hashlib.sha256()
    for thread in out.threads:
        art = thread.article
        h.update(repr((art.title, art.author, art.category, art.lead, art.body, art.n_announced,
                       art.comments_closed, art.language, [(b.kind, b.text, b.source_line) for b in art.blocks]
                       )).encode())
        for c in thread.comments:
            h.update(repr((c.comment_id, c.parent_id, c.declared_depth, c.author, c.created_at, c.text,
                           c.source_line, c.edge_confidence)).encode())
    for i in out.issues:
        h.update(repr((i.code, i.detail, i.severity, i.line, i.comment_id)).encode())
    h.update(str(out.n_comments_in).encode())
    return h.hexdigest()


def measure(page: Path, repeat: int) -> tuple[float, ReaderOutput]:
    """Best CPU seconds of ``repeat`` readings of ``page``, and the last reading."""
    best = float("inf")
    out: ReaderOutput | None = None
    for _ in range(repeat):
        source = Source(page)
        start = time.process_time()
        out = pagetext.read(source, ReadOptions())
        best = min(best, time.process_time() - start)
    assert out is not None
    return best, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=4.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--short", action="store_const", dest="kind", const="short")
    kind.add_argument("--realistic", action="store_const", dest="kind", const="realistic")
    kind.add_argument("--both", action="store_const", dest="kind", const="both")
    parser.add_argument("--digest", action="store_true")
    parser.add_argument("--profile", type=int, default=0)
    args = parser.parse_args(argv)
    kinds = {"short": [False], "realistic": [True], "both": [False, True]}[args.kind or "short"]
    with tempfile.TemporaryDirectory(prefix="pagetext_cpu_") as tmp:
        for realistic in kinds:
            page = Path(tmp) / ("page.txt" if realistic else "page_short.txt")
            n = _render_page(page, args.seed, int(args.mb * 2**20), realistic=realistic)
            size = page.stat().st_size
            seconds, out = measure(page, args.repeat)
            name = "realistic" if realistic else "short"
            print(f"{name:9s} {size / 1e6:6.2f} MB {n:7d} comments  best CPU {seconds:6.3f} s  "
                  f"{size / 1e6 / seconds:6.2f} MB/CPU-s")
            if args.digest:
                print(f"{name:9s} digest {digest(out)}")
            if args.profile:
                prof = cProfile.Profile()
                prof.enable()
                pagetext.read(Source(page), ReadOptions())
                prof.disable()
                pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
