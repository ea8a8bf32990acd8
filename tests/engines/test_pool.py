"""The process-pool engine: same output as one process, batches in input order."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analyzer.engines.local import LocalEngine
from analyzer.engines.pool import PoolEngine, spawn_is_safe


class Doubler:
    """A picklable batch function factory (workers import it from this module)."""

    def __call__(self) -> object:
        return lambda batch: batch.with_columns(y=pl.col("x") * 2, n=pl.lit(batch.height))


@pytest.mark.slow  # spawns two interpreters
def test_pool_output_equals_local() -> None:
    table = pl.DataFrame({"x": list(range(1001))})
    pooled = PoolEngine(2).map_batches(Doubler(), table)
    assert pooled.get_column("y").to_list() == [2 * x for x in range(1001)]
    assert PoolEngine(2).describe()["workers"] == 2
    local = LocalEngine(batch_rows=126).map_batches(Doubler(), table)  # the pool's 8 batches
    assert_frame_equal(pooled, local)


class DiesInWorkers:
    """A batch function that kills any spawned worker running it (this process survives)."""

    def __call__(self) -> object:
        import multiprocessing
        import os

        def run(batch: pl.DataFrame) -> pl.DataFrame:
            if multiprocessing.parent_process() is not None:
                os._exit(3)  # a worker dying mid-batch, as on out-of-memory
            return batch.with_columns(y=pl.col("x") * 2)

        return run


@pytest.mark.slow  # spawns two interpreters
def test_this_process_works_and_covers_for_a_dead_pool() -> None:
    """The driver annotates batches itself; what a dead worker left is done here, in order."""
    table = pl.DataFrame({"x": list(range(1001))})
    out = PoolEngine(3).map_batches(DiesInWorkers(), table)
    assert out.get_column("y").to_list() == [2 * x for x in range(1001)]


@pytest.mark.slow  # spawns two interpreters and loads the offline components in each
def test_nlp_through_the_pool_equals_one_process() -> None:
    from analyzer.stages.nlp.annotate import DocInput
    from analyzer.stages.nlp.stage import NlpSettings, annotate_with

    root = Path(__file__).resolve().parents[2]
    text = (root / "fixtures" / "de_sample_page" / "input.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    docs = [DocInput("a", f"c{i}", p, "de") for i, p in enumerate(paragraphs)]
    settings = NlpSettings(mode="offline")
    one = annotate_with(LocalEngine(), docs, settings).annotation
    pooled = annotate_with(PoolEngine(2), docs, settings).annotation
    assert_frame_equal(one.sentences, pooled.sentences)
    assert_frame_equal(one.tokens, pooled.tokens)
    assert one.lines_per_doc == pooled.lines_per_doc and one.lines_by_lang == pooled.lines_by_lang


def test_spawn_safety_reads_the_main_guard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    unguarded = tmp_path / "script.py"
    unguarded.write_text("import analyzer\nanalyzer.analyse(['x'])\n", encoding="utf-8")
    guarded = tmp_path / "tool.py"
    guarded.write_text("def main():\n    pass\n\nif __name__ == '__main__':\n    main()\n", encoding="utf-8")
    for path, safe in ((unguarded, False), (guarded, True)):
        module = types.ModuleType("__main__")
        module.__file__ = str(path)
        monkeypatch.setitem(sys.modules, "__main__", module)
        assert spawn_is_safe() is safe
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))  # interactive
    assert spawn_is_safe() is True


class FailsOnLastBatch:
    """A batch function that raises on the table's last rows, wherever it runs."""

    def __call__(self) -> object:
        def run(batch: pl.DataFrame) -> pl.DataFrame:
            if batch.get_column("x").max() == 1000:
                raise ValueError("bad batch")
            return batch

        return run


@pytest.mark.slow  # spawns an interpreter
def test_an_error_in_a_batch_reaches_the_caller() -> None:
    with pytest.raises(ValueError, match="bad batch"):
        PoolEngine(2).map_batches(FailsOnLastBatch(), pl.DataFrame({"x": list(range(1001))}))
