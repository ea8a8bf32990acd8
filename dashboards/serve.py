"""Serving for many readers: ``analyzer serve RUN_DIR --workers N`` runs the dashboard under
gunicorn with ``N`` worker processes, each with ``--threads`` threads.

Why processes: one Python process answers with at most one core (the GIL), so under 50
clients every request queued behind the others' CPU time (``tests/bench/dashboard_load.py``:
p95 1.66 s, page routing 8.3 s, with one process at 0.9 of a core).  With workers, every core
answers.

Why each worker loads the run itself (no ``preload_app``): polars' thread pool does not survive
``fork``.  A child forked after the parent ran any parallel polars query waits forever on its
first one (tried: a ``group_by`` in the child of a process that had run one never returned),
and building the app runs many.  So the master process only binds the socket and watches;
each worker opens the run and builds its caches once, when it starts (about 0.6 s of CPU for
the 100k-comment benchmark run), and then serves from memory.  The run's Parquet files are
read once per worker; the operating system's page cache holds one copy of the files.

Each worker keeps its own answer cache (:mod:`dashboards.respcache`) and view caches.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

# Threads per worker: a worker answers one request with the GIL at a time, but a thread waiting
# on a slow client or on a build another thread runs (per-key build locks) does not block the
# others.  Not tuned: 4 is a plain choice; the load test (tests/bench/dashboard_load.py
# --threads T) compares others.
DEFAULT_THREADS = 4
# A request that takes longer than this (seconds of no answer from a worker) restarts it.
WORKER_TIMEOUT_S = 120


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """The gunicorn settings of ``analyzer serve --workers``.

    Example:
        >>> gunicorn_options("127.0.0.1", 8050, 2, 4)["bind"]
        ['127.0.0.1:8050']
    """
    address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [address],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "preload_app": False,  # see the module docstring: polars and fork
        "timeout": WORKER_TIMEOUT_S,
        "graceful_timeout": 10,
        "keepalive": 30,  # seconds a reader's idle connection stays open between clicks
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "analyzer-serve",
    }


def serve(run_dir: Path, *, host: str, port: int, workers: int, threads: int = DEFAULT_THREADS) -> int:
    """Serve ``run_dir`` with gunicorn until interrupted; returns the exit code."""
    from gunicorn.app.base import BaseApplication

    options = gunicorn_options(host, port, workers, threads)

    class DashboardApplication(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
        """A gunicorn application whose workers each build the dashboard for ``run_dir``."""

        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from dashboards.app import create_app

            return create_app(run_dir).server

    sys.stderr.write(f"serving {run_dir} on http://{host}:{port}/ with {workers} worker process(es) of "
                     f"{threads} thread(s) (pid {os.getpid()}; Ctrl-C to stop)\n")
    DashboardApplication().run()
    return 0
