"""The engine layer without Ray: settings, batching, and batch-boundary independence."""

from __future__ import annotations

import builtins
import socket
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analyzer.core.errors import UsageError
from analyzer.engines import EngineSettings, make_engine, split_rows
from analyzer.engines.local import LocalEngine
from analyzer.engines.ray_engine import _probe, import_ray
from analyzer.pipeline import analyse
from analyzer.stages.context import StageContext
from analyzer.stages.nlp.annotate import annotate
from analyzer.stages.nlp.stage import NlpSettings, _documents, _Planner, annotate_with
from analyzer.stages.stance.inputs import build_inputs
from analyzer.stages.stance.inventory import load_inventories
from analyzer.stages.stance.stage import cue_decisions, engine_decisions
from tests.engines.helpers import SAMPLE_PAGE


def test_split_rows_covers_every_row_once() -> None:
    assert split_rows(0, None) == [(0, 0)]
    assert split_rows(5, None) == [(0, 5)]
    assert split_rows(5, 5) == [(0, 5)]
    assert split_rows(7, 3) == [(0, 3), (3, 3), (6, 1)]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"engine": "spark"}, "--engine must be one of local, ray"),
        ({"ray_actors": 0}, "ray_actors must be at least 1"),
        ({"ray_num_cpus": "half"}, "ray_num_cpus must be a number"),
        ({"ray_num_cpus": 0}, "ray_num_cpus must be positive"),
        ({"ray_num_gpus": -1}, "ray_num_gpus must not be negative"),
        ({"engine_batch_rows": 0}, "engine_batch_rows must be at least 1"),
    ],
)
def test_bad_engine_settings_are_usage_errors(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        EngineSettings.from_settings(settings)


def test_engine_settings_defaults_and_values() -> None:
    assert EngineSettings.from_settings({}) == EngineSettings()
    options = EngineSettings.from_settings(
        {"engine": "RAY", "ray_address": "head:6379", "ray_actors": "3", "ray_num_cpus": 0.25, "nlp_gpu": False}
    )
    assert (options.name, options.address, options.actors, options.cpus_per_actor) == ("ray", "head:6379", 3, 0.25)
    assert options.allow_gpu is False and options.batch_rows is None


def test_an_address_chooses_ray_unless_local_was_named() -> None:
    assert EngineSettings.from_settings({"ray_address": "head:6379"}).name == "ray"
    with pytest.raises(UsageError, match="--address, --ray-actors only apply to --engine ray"):
        EngineSettings.from_settings({"engine": "local", "ray_address": "head:6379", "ray_actors": 2})


def test_ray_options_with_the_local_engine_fail_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from analyzer.cli import main

    code = main(["analyse", str(SAMPLE_PAGE), "--out", str(tmp_path / "run"), "--ray-cpus-per-actor", "1", "-q"])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["analyzer: error: --ray-cpus-per-actor only apply to --engine ray (the local engine was chosen)"]
    assert not (tmp_path / "run").exists()


def test_local_engine_builds_once_and_keeps_order() -> None:
    built: list[int] = []

    def factory() -> Any:
        built.append(1)
        return lambda batch: batch.with_columns(n=pl.lit(batch.height))

    engine = LocalEngine(batch_rows=4)
    out = engine.map_batches(factory, pl.DataFrame({"x": range(10)}))
    assert built == [1]
    assert out["x"].to_list() == list(range(10))
    assert out["n"].to_list() == [4] * 8 + [2] * 2
    assert engine.describe() == {"name": "local", "batch_rows": 4, "n_batches": 3}


@pytest.fixture(scope="module")
def sample_context() -> StageContext:
    analysis = analyse([SAMPLE_PAGE], stages=["quotes"], stage_settings={"nlp": "offline"})
    return StageContext(forest=analysis.forest, ingested=analysis.ingested, settings={}, frames=analysis.stage_frames)


def test_nlp_batches_equal_one_direct_call(sample_context: StageContext) -> None:
    settings = NlpSettings(mode="offline")
    docs, _, _ = _documents(sample_context)
    direct = annotate(docs, _Planner(settings).runners(), max_chars=settings.max_chars)
    # Batches of 5 documents cut the article body from its comments and threads apart.
    merged = annotate_with(LocalEngine(batch_rows=5), docs, settings)
    assert len(docs) > 10 and direct.sentences.height > 50
    assert_frame_equal(merged.annotation.sentences, direct.sentences)
    assert_frame_equal(merged.annotation.tokens, direct.tokens)
    assert merged.annotation.lines_by_lang == direct.lines_by_lang
    assert merged.used == {"de": "offline"}


def test_nlp_truncation_indexes_are_run_wide(sample_context: StageContext) -> None:
    settings = NlpSettings(mode="offline", max_chars=80)
    docs, _, _ = _documents(sample_context)
    direct = annotate(docs, _Planner(settings).runners(), max_chars=80)
    merged = annotate_with(LocalEngine(batch_rows=4), docs, settings)
    assert direct.truncated and merged.annotation.truncated == direct.truncated
    assert_frame_equal(merged.annotation.tokens, direct.tokens)


def test_stance_batches_equal_one_direct_call(sample_context: StageContext) -> None:
    inputs = build_inputs(sample_context.forest, sample_context.frames)
    direct = cue_decisions(inputs, load_inventories())
    batched = engine_decisions(LocalEngine(batch_rows=4), None, inputs)
    assert len(inputs) > 8 and batched == direct
    assert {d.stance_parent for d in batched} != {"comment"}  # some cue fired: the comparison has teeth


def test_missing_ray_is_one_line_naming_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_ray(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "ray" or name.startswith("ray."):
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    with pytest.raises(UsageError) as caught:
        import_ray()
    message = str(caught.value)
    assert "\n" not in message and 'pip install -e ".[ray]"' in message
    with pytest.raises(UsageError, match=r"pip install -e \"\.\[ray\]\""):
        make_engine({"engine": "ray"})


def test_malformed_address_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--address must be HOST:PORT"):
        _probe("head-node")
    with pytest.raises(UsageError, match="--address must be HOST:PORT"):
        _probe("head-node:port")


def test_unreachable_address_fails_fast_in_one_line() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(UsageError) as caught:
        _probe(f"127.0.0.1:{port}")
    message = str(caught.value)
    assert "\n" not in message and f"cannot reach the Ray cluster at 127.0.0.1:{port}" in message
    assert "ray start --head" in message


def test_local_run_manifest_names_the_engine(tmp_path: Path) -> None:
    analysis = analyse([SAMPLE_PAGE], stages=["stance"], stage_settings={"nlp": "offline"}, out=tmp_path / "run")
    info = analysis.manifest["stage_info"]
    assert info["nlp"]["engine"] == {"name": "local", "batch_rows": None, "n_batches": 1}
    assert info["stance"]["engine"]["name"] == "local"


def test_unreachable_address_through_make_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    ray = pytest.importorskip("ray", reason='Ray is not installed (pip install -e ".[ray]")')
    if ray.is_initialized():
        pytest.skip("a Ray from another test is still up; the engine would reuse it")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(UsageError, match=f"cannot reach the Ray cluster at 127.0.0.1:{port}"):
        make_engine({"engine": "ray", "ray_address": f"127.0.0.1:{port}"})
    assert not ray.is_initialized()
