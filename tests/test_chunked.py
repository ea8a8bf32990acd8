"""Chunked analysis of Parquet inputs: same frames as a one-shot run, threads never split."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analyzer import read_run
from analyzer.chunked import _CHUNK_COL, analyse_chunked, plan_chunks
from analyzer.core.errors import UsageError
from analyzer.pipeline import analyse
from tests.bench.chunked_memory import format_row, main
from tests.bench.synth.corpus import write_corpus

STAGES = "structure,links"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing here may touch the network."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # 20k comments in 150 articles: heavy-tailed thread sizes, one deep chain.
    path = tmp_path_factory.mktemp("corpus") / "corpus.parquet"
    return write_corpus(path, 20_000, 150, seed=11, deep_chains=1, chain_length=400)


@pytest.fixture(scope="module")
def runs(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("runs")
    chunked = analyse_chunked([corpus], out=base / "chunked", chunk_comments=3_000, stages=STAGES)
    one = analyse([corpus], out=base / "one", stages=STAGES)
    assert one.run_dir is not None
    return chunked, one.run_dir


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def test_plan_never_splits_a_thread(corpus: Path) -> None:
    plan = plan_chunks(corpus, 3_000)
    assert plan.contiguous
    assert plan.n_chunks > 3
    # every article is in exactly one chunk
    assert plan.sizes["key"].n_unique() == plan.sizes.height == 150
    sizes = plan.chunk_sizes()
    assert sum(sizes) == 20_000
    largest = int(plan.sizes["n"].max())
    assert max(sizes) <= 3_000 + largest - 1
    # the rows each chunk yields carry only its own articles, and all of their comments
    seen: set[str] = set()
    total = 0
    for k in range(plan.n_chunks):
        rows = plan.chunk_frame(k).collect()
        ids = set(rows["article_id"].unique().to_list())
        assert ids == set(plan.sizes.filter(pl.col(_CHUNK_COL) == k)["key"].to_list())
        assert not ids & seen
        seen |= ids
        total += rows.height
    assert total == 20_000


def test_plan_non_contiguous_input(tmp_path: Path) -> None:
    # Articles interleaved (as in a dump sorted by time): chunks are filters, not slices.
    frame = pl.DataFrame({
        "article_id": ["a", "b", "a", "c", "b", "a"],
        "comment_id": ["1", "2", "3", "4", "5", "6"],
        "parent_id": [None, None, "1", None, "2", "3"],
        "text": ["x"] * 6,
    })
    path = tmp_path / "mixed.parquet"
    frame.write_parquet(path)
    plan = plan_chunks(path, 2)
    assert not plan.contiguous
    got = sorted(
        tuple(sorted(plan.chunk_frame(k).collect()["comment_id"].to_list())) for k in range(plan.n_chunks)
    )
    assert got == [("1", "3", "6"), ("2", "5"), ("4",)]
    run = read_run(analyse_chunked([path], out=tmp_path / "run", chunk_comments=2, stages="structure"))
    comments = run.comments
    assert comments.height == 6
    # parents found across the interleaving: thread a is a chain of depth 3
    assert comments.filter(pl.col("comment_id") == "6")["depth"].item() == 3


def test_mapping_finds_the_article_column(tmp_path: Path) -> None:
    frame = pl.DataFrame({
        "Story": [1, 1, 2], "ID": [10, 11, 12], "ReplyTo": [None, 10, None], "Body": ["x", "y", "z"],
    })
    path = tmp_path / "t.parquet"
    frame.write_parquet(path)
    plan = plan_chunks(path, 1, {"article_id": "Story"})
    assert plan.article_column == "Story"
    assert plan.chunk_sizes() == [2, 1]
    run = read_run(analyse_chunked([path], out=tmp_path / "run", chunk_comments=1,
                                   stages="structure", mapping={"article_id": "Story"}))
    assert sorted(run.articles["article_id"].to_list()) == ["1", "2"]


@pytest.mark.parametrize("name", ["comments", "articles", "links", "parse_issues"])
def test_frames_equal_one_shot(runs: tuple[Path, Path], name: str) -> None:
    chunked, one = (read_run(p) for p in runs)
    assert_frame_equal(_sorted(chunked.frame(name)), _sorted(one.frame(name)))


@pytest.mark.parametrize("scope", ["thread", "comment", "level"])
def test_metrics_equal_one_shot(runs: tuple[Path, Path], scope: str) -> None:
    chunked, one = (read_run(p).metrics.filter(pl.col("scope") == scope) for p in runs)
    assert chunked.height > 0
    assert_frame_equal(_sorted(chunked), _sorted(one))


def test_all_metrics_equal_one_shot(runs: tuple[Path, Path]) -> None:
    # structure and links compute every metric per article: no scope differs.
    chunked, one = (read_run(p).metrics for p in runs)
    assert_frame_equal(_sorted(chunked), _sorted(one))


def test_manifest_accounting_and_files(runs: tuple[Path, Path], corpus: Path) -> None:
    chunked, one = (read_run(p) for p in runs)
    m = chunked.manifest
    assert m["complete"] is True
    assert m["chunked"]["n_chunks"] > 3
    counts = m["counts"]
    assert counts["comments_in"] == 20_000
    assert counts["comments_in"] == counts["comments_out"] + counts["comments_rejected"]
    for key in ("articles", "comments_in", "comments_out", "ghosts", "parse_issues"):
        assert counts[key] == one.manifest["counts"][key], key
    assert m["inputs"][0]["path"] == str(corpus)
    assert m["inputs"][0]["sha256"] == one.manifest["inputs"][0]["sha256"]
    assert set(m["files"]) == set(one.manifest["files"])
    for name, info in m["files"].items():
        assert info["rows"] == pl.read_parquet(chunked.path / name).height
    assert m["stage_info"]["links"]["n_links"] == one.manifest["stage_info"]["links"]["n_links"]
    # the source path is the input, not a temporary chunk file
    assert set(chunked.comments["source_path"].unique()) == {str(corpus)}
    assert not list(chunked.path.glob(".*"))


def test_no_thread_split_in_run(runs: tuple[Path, Path]) -> None:
    chunked = read_run(runs[0])
    per_article = chunked.comments.group_by("article_id").agg(pl.col("seq").max() + 1, pl.len())
    # pre-order numbers 0..n-1 in every article: each thread was built in one piece
    assert (per_article["seq"] == per_article["len"]).all()


def test_rejected_rows_are_counted(tmp_path: Path) -> None:
    frame = pl.DataFrame({
        "article_id": ["a", "a", "b", "b", "c"],
        "comment_id": ["1", "2", "3", None, "5"],
        "parent_id": [None, "1", None, "3", "404"],  # a missing id, and a parent not in the input
        "text": ["ok", "", "\x00\u202e🙂", "x" * 100_000, "http://" * 2_000],
    })
    path = tmp_path / "odd.parquet"
    frame.write_parquet(path)
    run = read_run(analyse_chunked([path], out=tmp_path / "run", chunk_comments=1, stages=STAGES))
    counts = run.manifest["counts"]
    assert counts["comments_in"] == 5
    assert counts["comments_in"] == counts["comments_out"] + counts["comments_rejected"]
    one = analyse([path], stages=STAGES)
    assert counts["comments_out"] == one.manifest["counts"]["comments_out"]


def test_replaces_earlier_run_and_refuses_other_folders(corpus: Path, tmp_path: Path) -> None:
    small = tmp_path / "s.parquet"
    pl.read_parquet(corpus).head(500).write_parquet(small)
    out = tmp_path / "run"
    analyse_chunked([small], out=out, chunk_comments=200, stages="structure")
    first = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    analyse_chunked([small], out=out, chunk_comments=100, stages="structure")
    second = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert second["settings"]["chunk_comments"] == 100 != first["settings"]["chunk_comments"]
    other = tmp_path / "not_a_run"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError):
        analyse_chunked([small], out=other, stages="structure")
    assert (other / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not_a_run", "run", "s.parquet"]


def test_bad_arguments(tmp_path: Path) -> None:
    csv = tmp_path / "x.csv"
    csv.write_text("id,parent\n1,\n", encoding="utf-8")
    with pytest.raises(UsageError, match="Parquet"):
        analyse_chunked([csv], out=tmp_path / "r")
    with pytest.raises(UsageError, match="no input"):
        analyse_chunked([], out=tmp_path / "r")
    with pytest.raises(UsageError, match="at least 1"):
        plan_chunks(csv, 0)
    with pytest.raises(UsageError, match="no such file"):
        analyse_chunked([tmp_path / "missing.parquet"], out=tmp_path / "r")


def test_empty_input(tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    pl.DataFrame(schema={"article_id": pl.String, "comment_id": pl.String, "parent_id": pl.String,
                         "text": pl.String}).write_parquet(path)
    run = read_run(analyse_chunked([path], out=tmp_path / "run", stages="structure"))
    assert run.comments.height == 0
    assert run.manifest["counts"]["comments_in"] == 0


def test_child_and_report_format(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The benchmark's child mode, in-process on the small corpus: the JSON line it prints.
    assert main(["--child", "chunked", "--input", str(corpus), "--out", str(tmp_path / "r"),
                 "--chunk-comments", "5000", "--stages", "structure"]) == 0
    row = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert row["mode"] == "chunked" and row["n_chunks"] >= 3
    assert row["peak_rss"] is None or row["peak_rss"] > 0
    line = format_row({"comments": 20_000, **row})
    assert "chunked" in line and "MiB" in line
