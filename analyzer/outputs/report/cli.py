"""``analyzer report RUN_DIR --out REPORT_DIR [--format html,png,parquet] [--compare OLD_RUN] [--force]``.

Exit codes: 0 written or already up to date; 2 usage error or unreadable run folder (raised
as :class:`~analyzer.core.errors.AnalyzerError` and mapped by the main CLI).  Skipped PNGs (no
browser) are a warning on stderr, not a failure: the HTML and Parquet parts are complete.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Register ``analyzer report`` on the main CLI's subparsers."""
    from analyzer.outputs.report.build import MAX_ARTICLES, MAX_ICICLE_NODES

    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report", help="write an HTML / PNG / Parquet report of a run folder (offline, idempotent)")
    parser.add_argument("run_dir", type=Path, metavar="RUN_DIR", help="a finished run folder")
    parser.add_argument("--out", "-o", type=Path, required=True, metavar="REPORT_DIR", help="report folder to write")
    parser.add_argument("--format", dest="formats", default="html,parquet,png", metavar="html,png,parquet",
                        help="parts to write (default: all three)")
    parser.add_argument("--compare", type=Path, metavar="OLD_RUN_DIR",
                        help="an earlier run of the same inputs: add what changed since")
    parser.add_argument("--force", action="store_true", help="rebuild even if the report is up to date")
    parser.add_argument("--articles", type=int, default=MAX_ARTICLES, dest="max_articles",
                        help=f"articles with their own section, most commented first (default {MAX_ARTICLES})")
    parser.add_argument("--max-nodes", type=int, default=MAX_ICICLE_NODES,
                        help=f"nodes drawn per reply tree (default {MAX_ICICLE_NODES})")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors")
    parser.set_defaults(handler=handle)
    return parser


def handle(args: argparse.Namespace) -> int:
    """Run ``analyzer report``; returns the exit code."""
    from analyzer.core.errors import UsageError
    from analyzer.outputs.report.build import build_report, parse_formats

    if args.max_articles < 0 or args.max_nodes < 1:
        raise UsageError("--articles must be >= 0 and --max-nodes >= 1")
    comparison = None
    if args.compare is not None:
        from analyzer.core.run import read_run
        from analyzer.outputs.compare import compare_runs

        comparison = compare_runs(read_run(args.compare), read_run(args.run_dir))
    result = build_report(args.run_dir, args.out, formats=parse_formats(args.formats), force=args.force,
                          comparison=comparison, max_articles=args.max_articles, max_nodes=args.max_nodes)
    for warning in result.warnings:
        sys.stderr.write(f"analyzer: warning: {warning}\n")
    if not args.quiet:
        what = "up to date (use --force to rebuild)" if result.status == "up-to-date" else "written"
        print(f"report {what}: {result.path}")
    return 0
