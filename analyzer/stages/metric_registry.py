"""What every metric means: one record type and one look-up for all stages.

Each stage module keeps its own entries (``structure.METRICS``, ``links.METRICS`` ...), next
to the code that computes them, and names them in its declaration (``StageSpec.metrics``);
this module gives them a common type, a look-up with suggestions for near misses, and the list
of all of them for ``analyzer metrics``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from analyzer.core.errors import UsageError


@dataclass(frozen=True, slots=True)
class MetricInfo:
    """Registry entry: what a metric means, which way is "more", and where it comes from."""

    name: str
    scopes: tuple[str, ...]
    definition: str
    direction: str = ""
    reference: str = ""


def lookup(entries: Mapping[str, MetricInfo], name: str, *, kind: str = "") -> MetricInfo:
    """``entries[name]``, or a UsageError suggesting the closest names."""
    try:
        return entries[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(entries), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        label = f"{kind} metric" if kind else "metric"
        raise UsageError(f"unknown {label} {name!r}{hint}") from None


def all_metrics() -> list[MetricInfo]:
    """Every documented metric of every declared stage, in stage order."""
    from analyzer.stages.registry import declared_stages

    return [info for spec in declared_stages() for info in spec.metric_definitions()]
