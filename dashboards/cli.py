"""``analyzer serve [RUN_DIR | INPUT...]``: serve a run folder (or analyse inputs first) in Dash.

With no argument the bundled German sample page is analysed into a cache folder and served.
A run folder is served as it is; other arguments are analysed into a cache folder named after
a hash of their paths and sizes, reused while the inputs are unchanged.

The main CLI registers this with :func:`add_parser` and dispatches ``args.command == "serve"``
to :func:`handle`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "de_sample_page" / "input.txt"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def cache_root() -> Path:
    """Where analysed inputs are kept: $ANALYZER_CACHE_DIR or ~/.cache/analyzer/serve."""
    base = os.environ.get("ANALYZER_CACHE_DIR")
    return Path(base) / "serve" if base else Path.home() / ".cache" / "analyzer" / "serve"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``serve`` command to the main parser's subparsers."""
    serve = subparsers.add_parser(
        "serve", help="open the dashboard on a run folder (or analyse inputs first; none = the bundled sample)")
    serve.add_argument("paths", nargs="*", metavar="RUN_DIR | INPUT",
                       help="one run folder, or input files to analyse first (default: the bundled sample page)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    serve.add_argument("--cache-dir", type=Path, metavar="DIR",
                       help="folder for runs made from inputs (default $ANALYZER_CACHE_DIR/serve or ~/.cache/analyzer/serve)")
    serve.add_argument("--workers", type=int, default=0, metavar="N",
                       help="serve with N worker processes under gunicorn, each loading the run once "
                            "(default 0: one process, Flask's threaded server; use N = cores for many readers)")
    serve.add_argument("--threads", type=int, default=None, metavar="T",
                       help="threads per worker with --workers (default 4)")
    serve.add_argument("--debug", action="store_true", help="Dash debug mode (reloader and dev tools; never on a shared host)")
    serve.set_defaults(handler=handle)
    return serve  # type: ignore[no-any-return]


def _input_key(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        stat = path.stat() if path.exists() else None
        digest.update(f"{path.resolve()}|{stat.st_size if stat else -1}|{stat.st_mtime_ns if stat else -1}\n".encode())
    return digest.hexdigest()[:16]


def resolve_run(paths: list[Path], cache_dir: Path | None = None) -> Path:
    """The run folder to serve: ``paths[0]`` if it is one, else a cached analysis of ``paths``."""
    from analyzer.core.errors import UsageError
    from analyzer.core.run import is_run

    if len(paths) == 1 and paths[0].is_dir() and is_run(paths[0]):
        return paths[0].resolve()
    inputs = paths or [SAMPLE]
    for path in inputs:
        if not path.exists() and not any(ch in str(path) for ch in "*?["):
            raise UsageError(f"{path}: no such file, folder or run folder")
    target = (cache_dir or cache_root()) / _input_key(inputs)
    if is_run(target):
        return target
    from analyzer.pipeline import analyse

    sys.stderr.write(f"analysing {len(inputs)} input(s) into {target} …\n")
    analyse([str(p) for p in inputs], out=target)
    return target


def handle(args: argparse.Namespace) -> int:
    """Run ``analyzer serve``: blocks until interrupted; returns the exit code."""
    from analyzer.core.errors import UsageError
    from dashboards.app import create_app

    workers = int(getattr(args, "workers", 0) or 0)
    threads = getattr(args, "threads", None)
    if workers < 0 or (threads is not None and threads < 1):
        raise UsageError("--workers must be 0 or more and --threads at least 1")
    if workers and args.debug:
        raise UsageError("--debug runs Flask's development server: leave out --workers")
    if threads is not None and not workers:
        raise UsageError("--threads applies to --workers N: give both")
    run_dir = resolve_run([Path(p) for p in args.paths], args.cache_dir)
    if args.host not in LOOPBACK:
        sys.stderr.write(f"warning: serving on {args.host}: anyone who can reach this address can read the run\n")
    if workers:
        from dashboards.serve import DEFAULT_THREADS, serve

        return serve(run_dir, host=args.host, port=args.port, workers=workers, threads=threads or DEFAULT_THREADS)
    app = create_app(run_dir)
    sys.stderr.write(f"serving {run_dir} on http://{args.host}:{args.port}/ (Ctrl-C to stop)\n")
    app.run(host=args.host, port=args.port, debug=bool(args.debug))
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add ``analyzer serve`` (entry point ``analyzer.commands``: the library never imports us)."""
    add_parser(subparsers)
