"""The scaling benchmark and the ConvoKit side-by-side: structure of their figures, never speed."""

from __future__ import annotations

import ast
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from analyzer.core.errors import UsageError
from analyzer.stages import STAGES
from analyzer.tree.forest import build_forest
from tests.bench import convokit_compare as bench_convokit
from tests.bench import scale as bench_scale
from tests.bench.synth.corpus import write_corpus
from tests.conftest import HANG_LIMIT_S, raw_articles, raw_comments

SIZES = (1_000, 2_000)
SAMPLE = 300


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("scale")
    out = folder / "scale.json"
    code = bench_scale.main(["--sizes", ",".join(map(str, SIZES)), "--sample", str(SAMPLE), "--repeat", "1",
                             "--cache-dir", str(folder / "cache"), "--json", str(out)])
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    figures["exit_code"] = code
    return figures


# --- The scaling benchmark ---------------------------------------------------------------


@pytest.mark.slow  # the module\'s benchmark run takes 5-13 s
def test_every_size_ran_every_step(result: dict[str, Any]) -> None:
    assert result["exit_code"] == 0
    assert set(result["sizes"]) == {str(n) for n in SIZES}
    expected = {"read", "trees", "write"} | {s.name for s in STAGES}
    for n in SIZES:
        figures = result["sizes"][str(n)]
        assert figures["status"] == "ok"
        assert figures["n_comments"] == n
        assert figures["steps"]["read"]["issue_codes"] == {}  # e.g. no "no-text-column"
        assert expected <= set(figures["steps"]), set(figures["steps"]) ^ expected
        for name, step in figures["steps"].items():
            assert step["seconds"] > 0, name
            assert step["n_comments"] > 0, name
            assert step["comments_per_s"] > 0, name
            assert step["gc_seconds"] >= 0 and len(step["all_gc_seconds"]) == len(step["all_seconds"]), name
            if sys.platform == "linux":
                assert step["peak_rss_bytes"] > 10_000_000, name  # a Python process with polars


@pytest.mark.slow  # the module\'s benchmark run takes 5-13 s
def test_nlp_and_its_dependents_run_on_the_sample(result: dict[str, Any]) -> None:
    plan = {row["stage"]: row["scope"] for row in result["plan"]}
    assert plan["nlp"] == "sample"
    assert plan["structure"] == "corpus"
    assert all(plan[s.name] == "sample" for s in STAGES if "nlp" in s.requires)
    for n in SIZES:
        steps = result["sizes"][str(n)]["steps"]
        assert steps["nlp"]["scope"] == "sample"
        assert 0 < steps["nlp"]["n_comments"] <= SAMPLE
        assert steps["nlp"]["n_tokens"] > steps["nlp"]["n_comments"]
        assert steps["structure"]["n_comments"] == n  # synthetic comments are all visible
        assert steps["sample"]["pipeline_step"] is False


@pytest.mark.slow  # the module\'s benchmark run takes 5-13 s
def test_exponents_cover_corpus_steps_only(result: dict[str, Any]) -> None:
    exponents = result["exponents"]
    assert {"read", "trees", "structure", "write"} <= set(exponents)
    assert "nlp" not in exponents
    pair = exponents["trees"][0]
    assert (pair["from"], pair["to"]) == SIZES
    assert isinstance(pair["exponent"], float) and isinstance(pair["flag"], bool)


@pytest.mark.slow  # the module\'s benchmark run takes 5-13 s
def test_report_names_every_step(result: dict[str, Any]) -> None:
    text = bench_scale.format_report(result)
    markdown = bench_scale.format_report(result, markdown=True)
    for name in result["sizes"]["1000"]["steps"]:
        assert name in text and f"| {name} |" in markdown
    assert f"sample {SAMPLE:,}" in text


def test_scaling_exponents_flag_quadratic_but_not_noise() -> None:
    def sizes(t1: float, t2: float, scope: str = "corpus") -> dict[str, Any]:
        return {"1000": {"steps": {"x": {"seconds": t1, "scope": scope}}},
                "10000": {"steps": {"x": {"seconds": t2, "scope": scope}}}}

    linear = bench_scale.scaling_exponents(sizes(1.0, 10.0))["x"][0]
    assert linear["exponent"] == pytest.approx(1.0) and not linear["flag"]
    quadratic = bench_scale.scaling_exponents(sizes(1.0, 100.0))["x"][0]
    assert quadratic["exponent"] == pytest.approx(2.0) and quadratic["flag"]
    assert not bench_scale.scaling_exponents(sizes(0.001, 0.1))["x"][0]["flag"]  # too small to matter
    assert bench_scale.scaling_exponents(sizes(1.0, 100.0, "sample")) == {}


def test_stage_plan_follows_requirements() -> None:
    assert bench_scale.stage_plan(["quotes"]) == [("nlp", True), ("quotes", True)]
    assert bench_scale.stage_plan(["quotes"], full=["quotes"]) == [("nlp", True), ("quotes", False)]
    assert bench_scale.stage_plan(["structure", "links"], sampled=[]) == [("structure", False), ("links", False)]
    with pytest.raises(UsageError, match="unknown stage"):
        bench_scale.stage_plan(None, sampled=["nope"])


def test_sample_takes_whole_threads_within_budget() -> None:
    sizes = pl.DataFrame({"article_id": [f"a{i}" for i in range(50)], "n": [1 + (i * 7) % 40 for i in range(50)]})
    chosen = bench_scale.sample_articles(sizes, 200, seed=3)
    total = sizes.filter(pl.col("article_id").is_in(chosen))["n"].sum()
    assert 150 <= total <= 200
    assert chosen == bench_scale.sample_articles(sizes, 200, seed=3)
    assert bench_scale.sample_articles(sizes, 0) == []


def test_run_scale_rejects_bad_arguments() -> None:
    with pytest.raises(UsageError):
        bench_scale.run_scale(sizes=[1000], repeat=0)
    with pytest.raises(UsageError):
        bench_scale.run_scale(sizes=[], repeat=1)


# --- The ConvoKit side-by-side: the analyzer side ------------------------------------------


def _naive_paths(parent: list[int], n_children: list[int]) -> list[list[int]]:
    out = []
    for leaf, kids in enumerate(n_children):
        if kids == 0:
            path = [leaf]
            while parent[path[-1]] >= 0:
                path.append(parent[path[-1]])
            out.append(path[::-1])
    return out


def test_root_to_leaf_paths_match_a_naive_walk() -> None:
    # Two articles: a (1 -> 2 -> 3, 1 -> 4, 5) and b (6 -> 7).
    raw = pl.concat([
        raw_comments([{"comment_id": "1"}, {"comment_id": "2", "parent_id": "1"}, {"comment_id": "3", "parent_id": "2"},
                      {"comment_id": "4", "parent_id": "1"}, {"comment_id": "5"}], "a"),
        raw_comments([{"comment_id": "6"}, {"comment_id": "7", "parent_id": "6"}], "b"),
    ])
    forest = build_forest(raw, raw_articles([]))
    depth = forest.comments["depth"].to_numpy()
    offsets, nodes = bench_convokit.root_to_leaf_paths(forest.parent_index, depth, forest.n_children)
    got = [nodes[a:b].tolist() for a, b in zip(offsets[:-1], offsets[1:], strict=True)]
    assert got == _naive_paths(forest.parent_index.tolist(), forest.n_children.tolist())
    ids = forest.comments["comment_id"].to_list()
    assert [[ids[i] for i in path] for path in got] == [["1", "2", "3"], ["1", "4"], ["5"], ["6", "7"]]


def test_root_to_leaf_paths_of_an_empty_forest() -> None:
    empty = np.empty(0, dtype=np.int64)
    offsets, nodes = bench_convokit.root_to_leaf_paths(empty, empty, empty)
    assert offsets.tolist() == [0] and nodes.size == 0


def test_root_to_leaf_paths_of_a_deep_chain_finish() -> None:
    n = 20_000
    parent = np.arange(-1, n - 1, dtype=np.int64)
    children = np.ones(n, dtype=np.int64)
    children[-1] = 0
    start = time.perf_counter()
    offsets, nodes = bench_convokit.root_to_leaf_paths(parent, np.arange(1, n + 1), children)
    assert time.perf_counter() - start < HANG_LIMIT_S
    assert offsets.tolist() == [0, n] and nodes.tolist() == list(range(n))


def test_analyzer_side_on_a_synthetic_table(tmp_path: Path) -> None:
    path = write_corpus(tmp_path / "c.parquet", 1_500, 15, 2, deep_chains=1, chain_length=100)
    figures = bench_convokit.analyzer_side(path)
    assert set(figures["seconds"]) == {"load", "build", "compute", "total"}
    assert figures["n_threads"] == 15 and figures["n_comments"] == 1_500
    assert figures["max_depth"] >= 100

    table = pl.read_parquet(path)
    ids = {c: i for i, c in enumerate(table["comment_id"].to_list())}
    parent = [ids[p] if p is not None else -1 for p in table["parent_id"].to_list()]
    kids = np.bincount([p for p in parent if p >= 0], minlength=len(parent)).tolist()
    paths = _naive_paths(parent, kids)
    assert figures["n_leaves"] == len(paths)
    assert figures["n_path_nodes"] == sum(len(p) + 1 for p in paths)  # + the article root, as ConvoKit counts
    depth = [len(p) for p in _naive_paths(parent, [0] * len(parent))]  # every node's depth
    by_article: dict[str, int] = {}
    for article, d in zip(table["article_id"].to_list(), depth, strict=True):
        by_article[article] = max(by_article.get(article, 0), d)
    assert figures["depth_digest"] == bench_convokit.depth_digest(by_article)


def test_convokit_script_imports_only_the_standard_library_at_module_level() -> None:
    tree = ast.parse(Path(bench_convokit.__file__).read_text(encoding="utf-8"))
    top: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            top |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            top.add(node.module.split(".")[0])
    assert top <= set(sys.stdlib_module_names) | {"__future__"}, top - set(sys.stdlib_module_names)


def test_convokit_report_shows_ratios() -> None:
    side = {"seconds": {"load": 0.1, "build": 0.2, "compute": 0.1, "total": 0.4}, "peak_rss_bytes": 2e8,
            "rss_after_imports_bytes": 6e7}
    slow = {**side, "seconds": {"load": 1.0, "build": 6.0, "compute": 3.0, "total": 10.0}, "peak_rss_bytes": 1e9}
    result = {"machine": {"cpu_model": "x", "nproc": 2}, "params": {"repeat": 1},
              "sizes": {"1000": {"analyzer": side, "convokit": slow, "load_avg_1m": [0.5], "agree": True,
                                 "ratios": {"time_total": 25.0, "time_build_compute": 30.0, "peak_rss": 5.0}}}}
    text = bench_convokit.format_report(result)
    assert "25.0x" in text and "5.0x" in text and "target met" in text and "checks agree" in text
