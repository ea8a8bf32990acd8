"""Stages declare themselves once; run order, run-folder files and metrics derive from that."""

from __future__ import annotations

import pytest

from analyzer import stages
from analyzer.core import run
from analyzer.core.errors import UsageError
from analyzer.stages import registry
from analyzer.stages.metric_registry import all_metrics
from analyzer.stages.spec import StageSpec


def test_run_order_respects_requirements() -> None:
    order = [s.name for s in stages.STAGES]
    for spec in stages.STAGES:
        for required in spec.requires:
            assert order.index(required) < order.index(spec.name), (spec.name, required)
    assert order[0] == "structure"


def test_files_and_metrics_come_from_the_declarations() -> None:
    declared = {file for spec in stages.STAGES for file in spec.outputs}
    assert declared <= set(run.known_files())
    assert set(run.known_files()) - declared == set(run.CORE_FILES) | set(run.INPUT_FILES)
    names = {m.name for m in all_metrics()}
    for spec in stages.STAGES:
        assert spec.metric_definitions() or not spec.metrics, spec.name
    assert {"max_depth", "article_support_ratio", "frame_jsd_bits"} <= names


def test_selection_adds_prerequisites_and_names_unknown_stages() -> None:
    chosen, added = stages.select("stance")
    assert [s.name for s in chosen][-1] == "stance" and set(added) >= {"nlp", "quotes"}
    with pytest.raises(UsageError, match="unknown stage"):
        stages.select("stnace")


def test_declaration_errors_fail_loudly() -> None:
    schema = run.CORE_FILES["metrics.parquet"]
    a = StageSpec("a", "x:y", ("b",), order=1)
    b = StageSpec("b", "x:y", order=2)
    assert [s.name for s in registry.order_stages([a, b])] == ["b", "a"]  # requirement beats order
    with pytest.raises(ValueError, match="circular"):
        registry.order_stages([a, StageSpec("b", "x:y", ("a",))])
    with pytest.raises(ValueError, match="undeclared"):
        registry.order_stages([a])
    with pytest.raises(ValueError, match="declared twice"):
        registry.order_stages([b, b])
    with pytest.raises(ValueError, match="is declared by both"):
        registry.order_stages([StageSpec("c", "x:y", outputs={"f.parquet": schema}),
                                StageSpec("d", "x:y", outputs={"f.parquet": schema})])
