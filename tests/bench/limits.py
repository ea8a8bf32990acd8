"""The cost of the caps on one large thread (development tool): ``python -m tests.bench.limits --bench``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import polars as pl

from analyzer.core import schemas
from analyzer.tree.forest import build_forest
from analyzer.tree.limits import Limits, build_limited_forest

# --- Benchmark --------------------------------------------------------------------------------


def bench(n_comments: int = 1_000_000, cap: int = 100_000) -> dict[str, float]:
    """Seconds and issue-frame size for one thread of ``n_comments`` under a thread cap.

    Builds a flat thread (every comment a top-level reply), then times the plain tree build,
    the build with defaults (checks only) and with ``max_comments_per_thread=cap``.
    """
    raw = schemas.conform(
        pl.DataFrame(
            {
                "article_id": ["a"] * n_comments,
                "comment_id": pl.int_range(n_comments, eager=True).cast(pl.String),
                "kind": ["comment"] * n_comments,
                "text": ["x"] * n_comments,
                "src_order": pl.int_range(n_comments, eager=True),
            }
        ),
        schemas.RAW_COMMENTS,
    )
    articles = schemas.empty(schemas.RAW_ARTICLES)
    figures: dict[str, float] = {}
    start = time.perf_counter()
    build_forest(raw, articles)
    figures["build_forest_s"] = time.perf_counter() - start
    start = time.perf_counter()
    build_limited_forest(raw, articles)
    figures["defaults_s"] = time.perf_counter() - start
    start = time.perf_counter()
    _, outcome = build_limited_forest(raw, articles, limits=Limits(max_comments_per_thread=cap))
    figures["capped_s"] = time.perf_counter() - start
    figures["rejected"] = outcome.n_rejected_thread
    figures["issue_rows_mib"] = outcome.rows.estimated_size() / 2**20
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tests.bench.limits``: the cost of the caps on one large thread."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.limits", description=main.__doc__)
    parser.add_argument("--bench", action="store_true")
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--cap", type=int, default=100_000)
    args = parser.parse_args(argv)
    if not args.bench:
        parser.print_help()
        return 2
    figures = bench(args.comments, args.cap)
    print(
        f"{args.comments} comments, cap {args.cap}: build_forest {figures['build_forest_s']:.3f} s, "
        f"with default limits {figures['defaults_s']:.3f} s, capped {figures['capped_s']:.3f} s "
        f"({int(figures['rejected'])} rejected, issue rows {figures['issue_rows_mib']:.1f} MiB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
