"""analyzer: how readers respond to an article, from its comment section.

Public API (loaded lazily so ``import analyzer`` stays fast)::

    import analyzer
    analysis = analyzer.analyse(["page.txt"], out="runs/page")   # read, build trees, measure, write
    run = analyzer.read_run("runs/page")                          # frames of a finished run
    run.comments, run.articles, run.metrics, run.parse_issues
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY: dict[str, tuple[str, str | None]] = {
    "analyse": ("analyzer.pipeline", "analyse"),
    "read_run": ("analyzer.core.run", "read_run"),
    "read": ("analyzer.ingest", "read"),
    "build_forest": ("analyzer.tree.forest", "build_forest"),
    "compute_structure": ("analyzer.stages.structure", "compute_structure"),
    "ReadOptions": ("analyzer.ingest.base", "ReadOptions"),
    "Thread": ("analyzer.outputs.notebook", "Thread"),
    "threads": ("analyzer.outputs.notebook", "threads"),
    "compare_runs": ("analyzer.outputs.compare", "compare_runs"),
    "build_report": ("analyzer.outputs.report", "build_report"),
    "run_job": ("analyzer.jobs.scheduled", "run_job"),
    "load_job": ("analyzer.jobs.scheduled", "load_job"),
    "figures": ("analyzer.outputs.figures", None),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'analyzer' has no attribute {name!r}") from None
    import importlib

    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value
