"""The coordination stage in a real run: files, metrics, registry, default selection."""

from __future__ import annotations

from pathlib import Path

import polars as pl

import analyzer
from analyzer import stages
from analyzer.cli import main
from analyzer.core.run import read_run
from analyzer.stages.coordination.stage import FRAME_NAMES, METRICS, SCOPES
from analyzer.stages.metric_registry import all_metrics

TEXT = "Die Regierung verschweigt uns seit Monaten die wahren Kosten und die Medien spielen brav mit"


def _table(path: Path) -> Path:
    rows = ["article_id,comment_id,parent_id,author,created_at,text"]
    for i in range(4):
        rows.append(f"t{i},1,,acct{i % 2},2024-03-01T12:0{i}:00Z,\"{TEXT}{'!' * i} https://planted.example/x\"")
        rows.append(f"t{i},2,1,reader{i},2024-03-01T13:0{i}:00Z,Das stimmt so nicht.")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_stage_is_registered_and_in_the_defaults() -> None:
    selected, added = stages.select(None)
    assert "coordination" in [s.name for s in selected]
    selected, added = stages.select("coordination")
    assert [s.name for s in selected] == ["links", "coordination"] and added == ("links",)
    names = {m.name for m in all_metrics()}
    assert set(METRICS) <= names


def test_run_writes_every_frame_and_cross_thread_metrics(tmp_path: Path) -> None:
    analysis = analyzer.analyse([_table(tmp_path / "t.csv")], out=tmp_path / "run", stages="coordination")
    run = read_run(tmp_path / "run")
    for name in FRAME_NAMES:
        assert run.has(name), name
    clusters = run.frame("near_duplicate_clusters")
    assert clusters.get_column("size").to_list() == [4]
    assert clusters.get_column("n_accounts").to_list() == [2]
    metrics = run.metrics.filter(pl.col("scope").is_in(list(SCOPES)))
    assert metrics.get_column("article_id").null_count() == metrics.height
    assert set(metrics.get_column("metric").unique().to_list()) <= set(METRICS)
    corpus = dict(metrics.filter(pl.col("scope") == "corpus").select("metric", "value").iter_rows())
    assert corpus["n_near_duplicate_clusters"] == 1.0 and corpus["n_authors"] == 6.0
    info = analysis.manifest["stage_info"]["coordination"]
    assert info["near_duplicate_settings"]["min_tokens"] == 8
    assert info["colinks"]["n_shares"] == 4


def test_one_anonymous_thread_writes_empty_frames(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text(f"article_id,comment_id,parent_id,text\nt,1,,{TEXT}\nt,2,1,{TEXT}\n", encoding="utf-8")
    analysis = analyzer.analyse([path], out=tmp_path / "run", stages="coordination")
    assert analysis.manifest["stage_info"]["coordination"]["skipped"] == "one thread without authors"
    run = read_run(tmp_path / "run")
    assert all(run.frame(name).height == 0 for name in FRAME_NAMES)


def test_cli_options_reach_the_stage(tmp_path: Path, capsys: object) -> None:
    code = main(["analyse", str(_table(tmp_path / "t.csv")), "--out", str(tmp_path / "run"), "--stages", "coordination",
                 "--near-dup-min-tokens", "30", "--colink-interval", "5", "-q"])
    assert code == 0
    info = read_run(tmp_path / "run").manifest["stage_info"]["coordination"]
    assert info["near_duplicate_settings"]["min_tokens"] == 30
    assert info["colinks"]["interval_s"] == 5.0 and info["colinks"]["interval_source"] == "option"
    assert read_run(tmp_path / "run").frame("near_duplicates").height == 0


def test_chunked_runs_leave_the_cross_thread_stage_out(tmp_path: Path) -> None:
    import pytest

    from analyzer.chunked import analyse_chunked
    from analyzer.core.errors import UsageError

    table = pl.read_csv(_table(tmp_path / "t.csv"), try_parse_dates=True)
    table.write_parquet(tmp_path / "t.parquet")
    with pytest.raises(UsageError, match="cannot run chunk by chunk"):
        analyse_chunked([tmp_path / "t.parquet"], out=tmp_path / "run", chunk_comments=2, stages="coordination")
    # The default stages run without it, and the manifest says why (checked on the selection:
    # a full default run would spend a minute in the language layer).
    from analyzer.chunked import _chunkable

    names, not_run = _chunkable(None)
    assert "coordination" not in names and "links" in names
    assert "span threads" in not_run["coordination"]
    analyse_chunked([tmp_path / "t.parquet"], out=tmp_path / "run", chunk_comments=2, stages="structure,links")
    assert read_run(tmp_path / "run").manifest["chunked"]["stages_not_run"] == {}
