"""Smoke test of the benchmark command at a tiny size: structure of its figures, not speed."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from analyzer.core.errors import UsageError
from tests.bench import throughput as bench

N_COMMENTS = 2_000
N_ARTICLES = 20


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("bench")
    out = folder / "bench.json"
    code = bench.main(["--comments", str(N_COMMENTS), "--articles", str(N_ARTICLES),
                       "--cache-dir", str(folder / "cache"), "--pagetext-mb", "0.2",
                       "--repeat", "2", "--json", str(out)])
    figures = json.loads(out.read_text(encoding="utf-8"))
    figures["exit_code"] = code
    return figures


@pytest.mark.slow  # the module\'s benchmark run takes 5-13 s
def test_every_stage_ran_with_positive_time(result: dict) -> None:
    stages = result["stages"]
    expected = {"generate", "read", "trees", "metrics", "in_process_total", "cli", "pagetext", "pagetext_short"}
    assert set(stages) == expected
    has_pagetext = importlib.util.find_spec("tests.bench.synth.pagetext") is not None
    for name, figures in stages.items():
        if name.startswith("pagetext") and not has_pagetext:
            assert figures["status"] == "skipped"
            continue
        assert figures["status"] == "ok", (name, figures.get("note"))
        assert figures["seconds"] > 0, name
    assert result["exit_code"] == 0


@pytest.mark.slow  # the module\'s benchmark run takes 5-13 s
def test_counts_match_the_corpus(result: dict) -> None:
    stages = result["stages"]
    assert stages["generate"]["n_comments"] == N_COMMENTS
    assert stages["generate"]["cached"] is False
    assert stages["read"]["n_comments"] == N_COMMENTS
    assert stages["trees"]["n_comments"] == N_COMMENTS
    assert stages["trees"]["n_articles"] == N_ARTICLES
    assert stages["trees"]["n_ghost"] == 0  # id-based input: no depth gaps
    assert stages["trees"]["max_depth"] >= result["params"]["chain_length"]
    assert stages["metrics"]["n_rows"] > N_ARTICLES
    assert stages["in_process_total"]["n_comments"] == N_COMMENTS
    assert stages["cli"]["n_comments"] == N_COMMENTS
    for name in ("pagetext", "pagetext_short"):
        if stages[name]["status"] == "ok":
            assert stages[name]["n_read"] == stages[name]["n_comments"] > 0
            assert stages[name]["mb_per_s"] > 0
    if stages["pagetext"]["status"] == "ok":
        # Realistic comments are longer than the one-sentence worst case.
        assert stages["pagetext"]["mean_comment_chars"] > stages["pagetext_short"]["mean_comment_chars"]


@pytest.mark.slow  # the module\'s benchmark run takes 5-13 s
def test_totals_and_memory_are_consistent(result: dict) -> None:
    stages = result["stages"]
    parts = sum(stages[name]["seconds"] for name in ("read", "trees", "metrics"))
    assert stages["in_process_total"]["seconds"] == pytest.approx(parts)
    for name in ("in_process_total", "cli"):
        peak = stages[name]["peak_rss_bytes"]
        assert 10e6 < peak < 64e9, name  # a Python process with polars loaded, in bytes


@pytest.mark.slow  # the module\'s benchmark run takes 5-13 s
def test_repeated_runs_report_the_fastest(result: dict) -> None:
    assert result["params"]["repeat"] == 2
    stages = result["stages"]
    for name in ("in_process_total", "cli"):
        runs = stages[name]["all_seconds"]
        assert len(runs) == 2
        assert stages[name]["seconds"] == min(runs)


@pytest.mark.slow  # the module\'s benchmark run takes 5-13 s
def test_machine_facts_and_targets(result: dict) -> None:
    machine = result["machine"]
    assert machine["nproc"] >= 1
    assert machine["python"].count(".") == 2
    assert machine["polars"]
    keys = {t["key"] for t in result["targets"]}
    assert keys == {key for _, key, _, _, _ in bench.TARGETS}
    for target in result["targets"]:
        if target["value"] is not None:
            assert target["met"] in (True, False)


@pytest.mark.slow  # the module\'s benchmark run takes 5-13 s
def test_report_table_names_every_stage_and_target(result: dict) -> None:
    text = bench.format_report(result)
    for name in result["stages"]:
        assert f"  {name} " in text
    for label, *_ in bench.TARGETS:
        assert label in text


def test_cached_corpus_is_reused(tmp_path: Path) -> None:
    first = bench.run_bench(n_comments=300, n_articles=5, stages=(), cache_dir=tmp_path)
    again = bench.run_bench(n_comments=300, n_articles=5, stages=(), cache_dir=tmp_path)
    assert first["stages"]["generate"]["cached"] is False
    assert again["stages"]["generate"]["cached"] is True
    assert again["stages"]["generate"]["seconds"] is None
    assert len(list(tmp_path.glob("*.parquet"))) == 1


def test_unknown_stage_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown stage"):
        bench.run_bench(n_comments=300, n_articles=5, stages=("inprocess", "gpu"), cache_dir=tmp_path)
    with pytest.raises(UsageError, match="repeat"):
        bench.run_bench(n_comments=300, n_articles=5, stages=(), cache_dir=tmp_path, repeat=0)
    assert bench.main(["--comments", "3", "--articles", "5", "--no-cache"]) == 2
