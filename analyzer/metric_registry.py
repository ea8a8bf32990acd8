"""What every metric means: one record type and one look-up for all stages.

Each stage module keeps its own entries (``structure.METRICS``, ``links.METRICS`` ...), next
to the code that computes them; this module gives them a common type, a look-up with
suggestions for near misses, and the list of all registries for ``analyzer metrics``.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from analyzer.errors import UsageError


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


# Modules holding a registry, and the attribute with their entries (a dict or a sequence).
_REGISTRIES: tuple[tuple[str, str], ...] = (
    ("analyzer.structure", "METRICS"),
    ("analyzer.links", "METRICS"),
    ("analyzer.nlp.metrics", "REGISTRY"),
    ("analyzer.framing.quotes", "METRICS"),
    ("analyzer.stance.aggregates", "METRICS"),
    ("analyzer.framing.compare", "METRICS"),
    ("analyzer.labels.stage", "METRICS"),
)


def all_metrics() -> list[MetricInfo]:
    """Every documented metric of every stage, in stage order."""
    out: list[MetricInfo] = []
    for module_name, attribute in _REGISTRIES:
        entries = getattr(importlib.import_module(module_name), attribute)
        values: Iterable[MetricInfo] = entries.values() if isinstance(entries, Mapping) else entries
        out.extend(values)
    return out
