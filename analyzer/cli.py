"""Command line: ``analyzer analyse | summary | demo | metrics | export ...``.

Exit codes (fit for cron and scripts):
    0  done, no input problems at or above ``--fail-on``
    1  done, but with input problems at or above ``--fail-on`` (default: error)
    2  usage error or unreadable input (one line on stderr naming file, line and expectation)
    3  internal consistency failure (the accounting of comments did not add up: a bug)
    4  alert (`analyzer run`): comments disappeared or an alert threshold was crossed
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analyzer import __version__
from analyzer.core.errors import AnalyzerError, UsageError
from analyzer.ingest.mapping import parse_mapping

EXIT_OK, EXIT_ISSUES, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
FAIL_ON = ("info", "warning", "error", "never")
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "de_sample_page" / "input.txt"
DEFAULT_DEMO_DIR = Path(".cache") / "demo-run"


class _Parser(argparse.ArgumentParser):
    """argparse that exits with our usage code (2) and a one-line message."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"analyzer: error: {message}\n")
        raise SystemExit(EXIT_USAGE)


# The commands defined in this file.  When the command line names one of them, the parsers of
# the other commands (each module's ``add_parser``, the installed plugins) are not built: they
# import their modules (the report's alone ~65 ms CPU), which a one-page ``analyse`` does not
# need (docs/performance-language.md, "Session 6: one page").
CORE_COMMANDS = frozenset({"analyse", "analyze", "summary", "demo", "metrics"})


def _named_command(argv: Sequence[str] | None) -> str | None:
    """The command the arguments name: the first one that is not an option (no top-level
    option takes a value)."""
    args = sys.argv[1:] if argv is None else argv
    return next((a for a in args if not a.startswith("-")), None)


def _build_parser(argv: Sequence[str] | None = None, *, every_command: bool = True) -> argparse.ArgumentParser:
    """The parser of every command; with ``every_command=False`` and a core command named in
    ``argv``, only the core commands (the others' parsers import their modules)."""
    parser = _Parser(prog="analyzer", description="Comment-thread discourse analyser.")
    parser.add_argument("--version", action="version", version=f"analyzer {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def setting_options(p: argparse.ArgumentParser) -> None:
        # Derived from the stages' settings dataclasses (analyzer/stages/declarations): a new
        # setting with a flag is an option here without touching this file.
        from analyzer.stages.settings import add_setting_options

        add_setting_options(p)

    def verbosity(p: argparse.ArgumentParser) -> None:
        group = p.add_mutually_exclusive_group()
        group.add_argument("-v", "--verbose", action="count", default=0, help="more detail (timings; -vv: tracebacks)")
        group.add_argument("-q", "--quiet", action="store_true", help="only errors")

    analyse = sub.add_parser("analyse", aliases=["analyze"], help="read inputs, build reply trees, measure, write a run folder")
    analyse.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or glob patterns")
    analyse.add_argument("--out", "-o", required=True, type=Path, metavar="RUN_DIR", help="run folder to write")
    analyse.add_argument("--format", "-f", help="force a reader: pagetext, wp_html, wp_json, table, reddit, hn, convokit")
    analyse.add_argument("--map", action="append", metavar="NAME=COLUMN,...", help="column mapping for tables")
    analyse.add_argument("--articles", type=Path, metavar="FILE", help="articles table for table inputs")
    analyse.add_argument("--stages", help="comma-separated stages to run (default: all)")
    analyse.add_argument("--fail-on", choices=FAIL_ON, default="error", help="exit 1 if issues at or above this severity")
    analyse.add_argument("--max-bytes", type=int, metavar="N", help="refuse input files larger than N bytes (default 512 MiB)")
    analyse.add_argument(
        "--max-comments-per-thread", type=int, metavar="N",
        help="reject comments beyond the first N of a thread (input order), with their replies; each gets an issue",
    )
    analyse.add_argument(
        "--max-depth", type=int, metavar="N",
        help="reject comments deeper than N (top level = 1), with their replies; each gets an issue",
    )
    analyse.add_argument(
        "--max-comment-chars", type=int, metavar="N",
        help="cut comment texts longer than N characters (the comment is kept, with an issue)",
    )
    analyse.add_argument(
        "--chunk-comments", type=int, metavar="N",
        help="Parquet inputs larger than memory: analyse whole threads in chunks of about N comments",
    )
    setting_options(analyse)
    verbosity(analyse)
    analyse.set_defaults(handler=_cmd_analyse)

    summary = sub.add_parser("summary", help="print a table of a run folder")
    summary.add_argument("run_dir", type=Path, metavar="RUN_DIR")
    summary.add_argument("--articles", type=int, default=50, dest="max_articles", help="rows to show")
    verbosity(summary)
    summary.set_defaults(handler=_cmd_summary)

    demo = sub.add_parser("demo", help="analyse the bundled German sample page and print the summary")
    demo.add_argument("--out", "-o", type=Path, default=DEFAULT_DEMO_DIR, metavar="RUN_DIR")
    setting_options(demo)
    verbosity(demo)
    demo.set_defaults(handler=_cmd_demo)

    metrics = sub.add_parser("metrics", help="list the metrics with their definitions")
    verbosity(metrics)
    metrics.set_defaults(handler=_cmd_metrics)

    if not every_command and _named_command(argv) in CORE_COMMANDS:
        return parser
    # Commands whose parser and handler live with the code they drive: each module's
    # ``add_parser(subparsers)`` builds its parser and sets ``handler`` to its ``handle(args) -> exit
    # code``, as the commands above do with their ``_cmd_*`` functions.
    from analyzer.domains import cli as domains_cli
    from analyzer.jobs import cli as jobs_cli
    from analyzer.outputs.export import cli as export_cli
    from analyzer.outputs.report import cli as report_cli
    from analyzer.stages.labels import cli as labels_cli
    from analyzer.stages.nlp import cli as models_cli
    from analyzer.stages.stance import cli as stance_cli

    for command in (domains_cli, models_cli, stance_cli, report_cli, jobs_cli, export_cli, labels_cli):
        command.add_parser(sub)
    _add_plugin_commands(sub)
    return parser


# Commands that other installed packages add (the dashboard's `serve`): the library never
# imports them; they register themselves through this entry-point group.
PLUGIN_GROUP = "analyzer.commands"


def _add_plugin_commands(sub: Any) -> None:
    from importlib.metadata import entry_points

    for entry in sorted(entry_points(group=PLUGIN_GROUP), key=lambda e: e.name):
        entry.load()(sub)


def _progress(quiet: bool, verbose: int):  # type: ignore[no-untyped-def]
    """A progress line on terminals; in logs (not a terminal) only with -v."""
    interactive = sys.stderr.isatty()
    if quiet or (not interactive and not verbose):
        return None

    def say(step: str) -> None:
        if interactive:
            sys.stderr.write(f"\r\033[K… {step}")
            sys.stderr.flush()
        else:
            sys.stderr.write(f"… {step}\n")

    return say


def _stage_settings(args: argparse.Namespace) -> dict[str, object]:
    """The stage settings given on the command line, checked (bad value: exit 2, one line)."""
    from analyzer.stages.settings import check_settings, settings_from_args

    settings = settings_from_args(args)
    check_settings(settings)
    return settings


def _run_analyse(args: argparse.Namespace, inputs: Sequence[str | Path], out: Path) -> int:
    from analyzer.core.records import SEVERITIES
    from analyzer.ingest.base import ReadOptions
    from analyzer.pipeline import analyse
    from analyzer.tree.limits import Limits

    options = ReadOptions(mapping=parse_mapping(getattr(args, "map", None)))
    if getattr(args, "articles", None) is not None and isinstance(args.articles, Path):
        options.articles_table = args.articles
    limits = Limits(**{
        name: value
        for name in ("max_bytes", "max_comments_per_thread", "max_depth", "max_comment_chars")
        if (value := getattr(args, name, None)) is not None
    })
    say = _progress(args.quiet, args.verbose)
    chunk_comments = getattr(args, "chunk_comments", None)
    if chunk_comments is not None:
        return _run_chunked(args, inputs, out, options, chunk_comments, say, limits)
    analysis = analyse(
        inputs,
        out=out,
        format=getattr(args, "format", None),
        options=options,
        stages=getattr(args, "stages", None),
        stage_settings=_stage_settings(args),
        progress=say,
        limits=limits,
    )
    if say is not None and sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    if not args.quiet:
        from analyzer.core.run import read_run
        from analyzer.outputs.summary import render

        print(render(read_run(out)))
        _print_limits(analysis.manifest)
        print(f"\nrun folder: {out}")
        if args.verbose:
            timings = ", ".join(f"{k} {v:.3f}s" for k, v in analysis.timings.items())
            print(f"timings: {timings}")
    fail_on = getattr(args, "fail_on", "error")
    if fail_on != "never":
        from analyzer.ingest.base import FAIL_BY_DEFAULT_CODES

        threshold = SEVERITIES.index(fail_on)
        if any(
            SEVERITIES.index(i.severity) >= threshold or i.code in FAIL_BY_DEFAULT_CODES for i in analysis.issues
        ):
            return EXIT_ISSUES
    return EXIT_OK


def _print_limits(manifest: dict[str, Any]) -> None:
    """One line when a cap acted (comments rejected or cut), naming the option to raise."""
    from analyzer.tree.limits import summary_line

    line = summary_line(manifest.get("accounting", {}).get("limits", {}), manifest.get("settings", {}).get("limits"))
    if line:
        print(line)


def _run_chunked(
    args: argparse.Namespace,
    inputs: Sequence[str | Path],
    out: Path,
    options: object,
    chunk_comments: int,
    say: object,
    limits: object,
) -> int:
    """Larger-than-memory Parquet inputs: whole threads in chunks (analyzer.chunked)."""
    from analyzer.chunked import analyse_chunked
    from analyzer.core.records import SEVERITIES
    from analyzer.core.run import read_run
    from analyzer.outputs.summary import render

    if chunk_comments < 1:
        raise UsageError("--chunk-comments needs a positive number of comments")
    if not all(str(p).lower().endswith((".parquet", ".pq")) for p in inputs):
        raise UsageError("--chunk-comments needs Parquet inputs (.parquet); convert other tables first")
    analyse_chunked(
        [Path(p) for p in inputs],
        out=out,
        chunk_comments=chunk_comments,
        stages=getattr(args, "stages", None),
        stage_settings=_stage_settings(args),
        mapping=getattr(options, "mapping", {}),
        articles_table=getattr(options, "articles_table", None),
        progress=say,  # type: ignore[arg-type]
        limits=limits,  # type: ignore[arg-type]
    )
    run = read_run(out)
    if not args.quiet:
        print(render(run))
        _print_limits(run.manifest)
        print(f"\nrun folder: {out}")
    fail_on = getattr(args, "fail_on", "error")
    if fail_on != "never":
        threshold = SEVERITIES.index(fail_on)
        severities = run.parse_issues.get_column("severity").to_list()
        if any(SEVERITIES.index(s) >= threshold for s in severities if s in SEVERITIES):
            return EXIT_ISSUES
    return EXIT_OK


def _cmd_analyse(args: argparse.Namespace) -> int:
    return _run_analyse(args, args.inputs, args.out)


def _cmd_demo(args: argparse.Namespace) -> int:
    if not SAMPLE.is_file():
        raise UsageError(f"the bundled sample {SAMPLE} is missing; install analyzer from a source checkout")
    args.fail_on = "never"
    return _run_analyse(args, [SAMPLE], args.out)


def _cmd_summary(args: argparse.Namespace) -> int:
    from analyzer.core.run import read_run
    from analyzer.outputs.summary import render

    print(render(read_run(args.run_dir), max_articles=args.max_articles))
    return EXIT_OK


def _cmd_metrics(args: argparse.Namespace) -> int:
    from analyzer.stages.metric_registry import all_metrics

    for info in all_metrics():
        ref = f" [{info.reference}]" if info.reference else ""
        print(f"{info.name:<28} {'/'.join(info.scopes):<22} {info.definition}{ref}")
    return EXIT_OK


def _dispatch(args: argparse.Namespace) -> int:
    """Every command set a ``handler`` when its parser was built."""
    return int(args.handler(args))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``analyzer`` console script; returns the exit code."""
    if argv is None:  # the program itself (``analyzer``, ``python -m analyzer``), not a caller
        from analyzer.core.collections_policy import no_collections_at_exit

        no_collections_at_exit()
    parser = _build_parser(argv, every_command=False)
    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except AnalyzerError as exc:
        from analyzer.pipeline import AccountingError

        sys.stderr.write(f"analyzer: error: {exc}\n")
        if getattr(args, "verbose", 0) >= 2:
            traceback.print_exc()
        return EXIT_INTERNAL if isinstance(exc, AccountingError) else EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("analyzer: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - a bug: say so in one line, traceback on -vv
        sys.stderr.write(
            f"analyzer: internal error: {type(exc).__name__}: {exc} (a bug; rerun with -vv for the traceback)\n"
        )
        if getattr(args, "verbose", 0) >= 2:
            traceback.print_exc()
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
