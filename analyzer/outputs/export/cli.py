"""``analyzer export RUN --to csv|xlsx|graphml|gexf|convokit --out PATH`` (see :mod:`analyzer.outputs.export`)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Register ``analyzer export`` on the main CLI's subparsers."""
    from analyzer.outputs.export import FORMATS

    parser: argparse.ArgumentParser = subparsers.add_parser(
        "export", help="write a run as CSV, XLSX, GraphML/GEXF (author network) or a ConvoKit corpus")
    parser.add_argument("run_dir", type=Path, metavar="RUN", help="a finished run folder")
    parser.add_argument("--to", required=True, choices=FORMATS, help="export format")
    parser.add_argument("--out", "-o", type=Path, required=True, metavar="PATH",
                        help="folder (csv, convokit) or file (xlsx, graphml, gexf) to write")
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors")
    parser.set_defaults(handler=handle)
    return parser


def handle(args: argparse.Namespace) -> int:
    """Run ``analyzer export``; returns the exit code."""
    from analyzer.outputs.export import export_run

    written = export_run(args.run_dir, args.to, args.out)
    if not args.quiet:
        print(f"exported {args.to}: {args.out} ({len(written)} file{'s' if len(written) != 1 else ''})")
    return 0
