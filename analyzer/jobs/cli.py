"""``analyzer run JOB.toml [--force]``: one scheduled run (see :mod:`analyzer.jobs.scheduled`).

Prints one line per finding; exit codes as in :mod:`analyzer.jobs.scheduled` (0 ok or unchanged,
1 input problems, 2 usage, 4 alert).  Meant for cron and systemd timers: output is plain
lines, no progress bar, and nothing runs when no input changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Register ``analyzer run`` on the main CLI's subparsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "run", help="scheduled run of a job file: analyse what changed, compare with the last run, report")
    parser.add_argument("job", type=Path, metavar="JOB.toml", help="job file (inputs, stages, output root)")
    parser.add_argument("--force", action="store_true", help="analyse even when no input changed")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only alerts and errors")
    parser.set_defaults(handler=handle)
    return parser


def handle(args: argparse.Namespace) -> int:
    """Run ``analyzer run``; returns the exit code."""
    from analyzer.jobs.scheduled import run_job

    outcome = run_job(args.job, force=args.force)
    for message in outcome.messages:
        alert = message.startswith("ALERT")
        if alert:
            sys.stderr.write(f"analyzer: {message}\n")
        elif not args.quiet:
            print(message)
    if not args.quiet and outcome.status == "ran" and outcome.run_dir is not None:
        print(f"run: {outcome.run_dir}")
        print(f"report: {outcome.run_dir / 'report' / 'index.html'}")
    return outcome.exit_code
