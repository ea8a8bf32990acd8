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

_LAZY = {
    "analyse": ("analyzer.pipeline", "analyse"),
    "read_run": ("analyzer.run", "read_run"),
    "read": ("analyzer.ingest", "read"),
    "build_forest": ("analyzer.tree", "build_forest"),
    "compute_structure": ("analyzer.structure", "compute_structure"),
    "ReadOptions": ("analyzer.ingest.base", "ReadOptions"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    try:
        module_name, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'analyzer' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module_name), attribute)
    globals()[name] = value
    return value
