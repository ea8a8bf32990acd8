"""The Ray engine in local mode: same frames as the local engine, actors reused, clean errors.

One local Ray per module (starting it takes seconds); actors get half a CPU each, as two
whole-CPU actors on two cores can starve Ray Data of the CPU it needs itself.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analyzer.core.errors import UsageError
from analyzer.engines import EngineSettings
from analyzer.engines.local import LocalEngine
from analyzer.engines.ray_engine import RayEngine
from analyzer.pipeline import analyse
from analyzer.stages.context import StageContext
from analyzer.stages.nlp.stage import NlpSettings, _documents, annotate_with
from analyzer.stages.stance.inputs import build_inputs
from analyzer.stages.stance.stage import engine_decisions
from tests.engines.helpers import SAMPLE_PAGE, small_corpus

# Ray starts a local cluster and actor pools: 10-35 s per test.
pytestmark = pytest.mark.slow

ray = pytest.importorskip("ray", reason='Ray is not installed (pip install -e ".[ray]"); the ray engine is optional')
# Ray's workers cannot import this test module: ship its classes by value.
ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    ray.init(include_dashboard=False, num_cpus=2, log_to_driver=False, logging_level=logging.WARNING)
    try:
        yield
    finally:
        ray.shutdown()


def _engine(**settings: Any) -> RayEngine:
    return RayEngine(EngineSettings.from_settings({"engine": "ray", **settings}))


class CountingWorker:
    """Writes one line per construction; tags every batch with the worker that mapped it."""

    def __init__(self, log: Path) -> None:
        self.tag = f"{os.getpid()}-{id(self)}"
        with log.open("a", encoding="utf-8") as out:
            out.write(self.tag + "\n")

    def __call__(self, batch: pl.DataFrame) -> pl.DataFrame:
        return batch.with_columns(worker=pl.lit(self.tag), batch_rows=pl.lit(batch.height))


class CountingFactory:
    def __init__(self, log: Path) -> None:
        self.log = log

    def __call__(self) -> CountingWorker:
        return CountingWorker(self.log)


class FailingWorker:
    def __call__(self, batch: pl.DataFrame) -> pl.DataFrame:
        raise UsageError("models for 'xx' are missing: run `analyzer models download xx`")


def test_each_actor_builds_once_and_maps_many_batches(tmp_path: Path) -> None:
    log = tmp_path / "constructions.txt"
    engine = _engine(ray_actors=2, engine_batch_rows=3)
    out = engine.map_batches(CountingFactory(log), pl.DataFrame({"x": range(30)}))
    built = log.read_text(encoding="utf-8").split()
    assert out["x"].to_list() == list(range(30))  # input order, whatever actor mapped what
    assert out["batch_rows"].to_list() == [3] * 30  # our batch boundaries, not Ray's
    assert 1 <= len(built) <= 2 and len(set(built)) == len(built)
    assert set(out["worker"].to_list()) <= set(built)
    assert engine.describe()["n_batches"] == 10 and engine.describe()["n_workers"] == len(set(out["worker"]))


def test_error_raised_on_purpose_in_an_actor_reaches_the_driver_unwrapped() -> None:
    with pytest.raises(UsageError) as caught:
        _engine(ray_actors=1).map_batches(FailingWorker, pl.DataFrame({"x": [1, 2]}))
    assert type(caught.value) is UsageError
    assert str(caught.value) == "models for 'xx' are missing: run `analyzer models download xx`"


def test_empty_table_runs_without_actors() -> None:
    engine = _engine()
    out = engine.map_batches(lambda: (lambda b: b.with_columns(y=pl.col("x") + 1)), pl.DataFrame({"x": []}, schema={"x": pl.Int64}))
    assert out.columns == ["x", "y"] and out.height == 0 and engine.describe()["n_batches"] == 0


@pytest.fixture(scope="module")
def sample_context() -> StageContext:
    analysis = analyse([SAMPLE_PAGE], stages=["quotes"], stage_settings={"nlp": "offline"})
    return StageContext(forest=analysis.forest, ingested=analysis.ingested, settings={}, frames=analysis.stage_frames)


def test_nlp_on_ray_equals_local(sample_context: StageContext) -> None:
    settings = NlpSettings(mode="offline")
    docs, _, _ = _documents(sample_context)
    local = annotate_with(LocalEngine(), docs, settings)
    engine = _engine(engine_batch_rows=6)
    remote = annotate_with(engine, docs, settings)
    assert_frame_equal(remote.annotation.sentences, local.annotation.sentences)
    assert_frame_equal(remote.annotation.tokens, local.annotation.tokens)
    assert remote.annotation.lines_by_lang == local.annotation.lines_by_lang
    assert (remote.used, remote.devices) == (local.used, local.devices)
    facts = engine.describe()
    assert facts["n_batches"] == -(-len(docs) // 6) and facts["n_batches"] > facts["actors"] == 2


def test_stance_on_ray_equals_local(sample_context: StageContext) -> None:
    inputs = build_inputs(sample_context.forest, sample_context.frames)
    assert engine_decisions(_engine(engine_batch_rows=5), None, inputs) == engine_decisions(LocalEngine(), None, inputs)


def test_whole_run_on_ray_equals_the_local_run(tmp_path: Path) -> None:
    inputs = [SAMPLE_PAGE, small_corpus(tmp_path)]
    local = analyse(inputs, stage_settings={"nlp": "offline"}, out=tmp_path / "local")
    remote = analyse(
        inputs,
        stage_settings={"nlp": "offline", "engine": "ray", "ray_actors": 2, "ray_num_cpus": 0.5, "engine_batch_rows": 40},
        out=tmp_path / "ray",
    )
    frames_local, frames_ray = local.frames(), remote.frames()
    assert frames_local.keys() == frames_ray.keys()
    assert {"sentences.parquet", "tokens.parquet", "stance.parquet"} <= frames_local.keys()
    for name, frame in frames_local.items():
        assert frames_ray[name].height == frame.height, name
        assert_frame_equal(frames_ray[name], frame)
    assert_frame_equal(remote.metrics, local.metrics)
    for stage in ("nlp", "stance"):
        info = remote.manifest["stage_info"][stage]
        assert info["engine"]["name"] == "ray" and info["engine"]["n_batches"] >= 2
        assert info["engine"]["cpus_per_actor"] == 0.5
        without_engine = {k: v for k, v in info.items() if k != "engine"}
        assert without_engine == {k: v for k, v in local.manifest["stage_info"][stage].items() if k != "engine"}


class FailingFactory:
    def __call__(self) -> Any:
        raise UsageError("cue inventory /nowhere/cues.toml is missing on this node")


def test_error_raised_while_building_the_worker_reaches_the_driver() -> None:
    with pytest.raises(UsageError, match=r"^cue inventory /nowhere/cues.toml is missing on this node$"):
        _engine(ray_actors=1).map_batches(FailingFactory(), pl.DataFrame({"x": [1, 2]}))


def test_benchmark_command_prints_all_engines_and_equality(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.bench.engines import main

    assert main(["--comments", "60", "--articles", "3", "--batch-rows", "20"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith(("local", "ray, "))]
    assert [line.split()[0] for line in lines] == ["local", "ray,", "ray,"]
    assert all(line.rstrip().endswith("yes") for line in lines)
