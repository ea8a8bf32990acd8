"""Preparation beside the busy stage: which stages (from their declarations), and the same run."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from polars.testing import assert_frame_equal

from analyzer.engines import side as side_mod
from analyzer.engines.schedule import SidePlan, side_plan
from analyzer.engines.side import SideRun, side_plan_for
from analyzer.stages import select
from analyzer.stages.context import StageContext
from analyzer.stages.spec import StageSpec
from tests.engines.helpers import small_corpus


def _spec(name: str, requires: tuple[str, ...] = (), prepare: str = "") -> StageSpec:
    return StageSpec(name, "tests.engines.test_side:unused", requires, prepare=prepare)


def test_the_declared_stages_prepare_labels_and_coordination_beside_nlp() -> None:
    selected, _ = select(None)
    assert side_plan(selected) == SidePlan("nlp", ("labels", "coordination"))
    assert side_plan(select("labels")[0]) is None  # no nlp stage: nothing to hide behind
    assert side_plan(select("nlp,coordination")[0]) == SidePlan("nlp", ("coordination",))


def test_the_plan_follows_requirements_not_names() -> None:
    stages = [
        _spec("first"),
        _spec("nlp"),
        _spec("needs_nlp", ("nlp",), prepare="m:f"),  # requires the busy stage
        _spec("late"),  # after nlp, independent of it, no prepare
        _spec("needs_late", ("late",), prepare="m:f"),  # its requirement does not exist yet
        _spec("needs_needs_nlp", ("needs_nlp",), prepare="m:f"),  # indirectly requires nlp
        _spec("free", ("first",), prepare="m:f"),
        _spec("nothing_to_prepare", ("first",)),
    ]
    assert side_plan(stages) == SidePlan("nlp", ("free",))
    assert side_plan(stages, busy="absent") is None


def test_no_second_process_for_a_page_or_when_workers_or_another_engine_were_asked_for() -> None:
    selected, _ = select(None)
    big = side_mod.MIN_POOL_CHARS
    assert side_plan_for(selected, {}, big - 1) is None
    assert side_plan_for(selected, {"nlp_workers": 2}, big) is None
    assert side_plan_for(selected, {"engine_batch_rows": 100}, big) is None
    if side_mod.default_workers() > 1:
        assert side_plan_for(selected, {}, big) == SidePlan("nlp", ("labels", "coordination"))


def test_a_prepared_value_is_used_once_else_computed() -> None:
    context = StageContext(forest=None, ingested=None, settings={})  # type: ignore[arg-type]
    context.prepared["x"] = "from elsewhere"
    assert context.prepared_or("x", lambda _ctx: "here") == "from elsewhere"
    assert context.prepared_or("x", lambda _ctx: "here") == "here"


# Prepare functions the side process imports from this module.
def prepare_value(ctx: StageContext) -> dict[str, Any]:
    return {"settings": dict(ctx.settings), "frames": sorted(ctx.frames)}


def prepare_raises(ctx: StageContext) -> None:
    raise ValueError("broken on purpose")


def prepare_dies(ctx: StageContext) -> None:
    os._exit(3)  # the process killed mid-way, as on out-of-memory


def _context() -> StageContext:
    return StageContext(forest=None, ingested=None, settings={"a": 1})  # type: ignore[arg-type]


@pytest.mark.slow  # spawns an interpreter per case
@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("prepare_value", {"s": ({"settings": {"a": 1}, "frames": []}, None)}),
        ("prepare_raises", {}),  # the stage raises it itself at its turn
        ("prepare_dies", {}),
    ],
)
def test_side_run_hands_back_values_or_nothing(target: str, expected: dict[str, Any]) -> None:
    spec = _spec("s", prepare=f"tests.engines.test_side:{target}")
    with SideRun([spec], _context()) as run:
        values = run.values()
        assert run.values() == values  # waited for once
    assert {name: (value, None) for name, (value, _seconds) in values.items()} == expected


@pytest.mark.slow  # spawns an interpreter and runs every stage twice
def test_a_run_with_a_side_process_equals_one_without(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.pipeline import analyse

    corpus = small_corpus(tmp_path, n_comments=400)
    alone = analyse([corpus])
    monkeypatch.setattr(side_mod, "MIN_POOL_CHARS", 0)  # this small corpus gets a side process
    if side_plan_for(select(None)[0], {}, 1) is None:
        pytest.skip("one core or an unguarded main module: no side process here")
    received: list[str] = []
    original = SideRun.values

    def values(self: SideRun) -> dict[str, tuple[Any, float]]:
        got = original(self)
        received.extend(got)
        return got

    monkeypatch.setattr(SideRun, "values", values)
    beside = analyse([corpus])
    assert set(received) == {"labels", "coordination"}  # prepared there, and used here
    assert alone.frames().keys() == beside.frames().keys()
    for name, frame in alone.frames().items():
        assert_frame_equal(frame, beside.frames()[name], check_exact=True)
    assert alone.manifest["stage_info"].keys() == beside.manifest["stage_info"].keys()
