"""Caps on thread size, depth, comment length and file size (analyzer.tree.limits)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import analyzer.tree.limits as limits_mod
from analyzer.accounting import REJECTION_CODES, verify_run_folder
from analyzer.core import schemas
from analyzer.core.errors import InputError, UsageError
from analyzer.core.run import read_run
from analyzer.ingest.base import ReadOptions
from analyzer.pipeline import analyse
from analyzer.tree.forest import Forest, build_forest
from analyzer.tree.limits import Limits, build_limited_forest, summary_line
from tests.conftest import raw_comments

NO_ARTICLES = schemas.empty(schemas.RAW_ARTICLES)


def _ids(forest: Forest) -> list[str]:
    return forest.comments.get_column("comment_id").to_list()


def _check_forest(forest: Forest) -> None:
    """The arrays and frame of a forest agree (what a rebuilt forest must keep)."""
    comments = forest.comments
    ids = comments.get_column("comment_id").to_list()
    parents = comments.get_column("parent_id").to_list()
    for row, parent in enumerate(forest.parent_index.tolist()):
        assert (parents[row] is None) == (parent < 0)
        if parent >= 0:
            assert ids[parent] == parents[row]
    for _, part in comments.group_by("article_id"):
        assert sorted(part.get_column("seq").to_list()) == list(range(part.height))
    children = np.bincount(forest.parent_index[forest.parent_index >= 0], minlength=comments.height)
    assert forest.n_children.tolist() == children.tolist()


# --- The settings ---------------------------------------------------------------------------


@pytest.mark.parametrize("field", list(limits_mod.OPTIONS))
@pytest.mark.parametrize("value", [0, -3, True, 2.5, "10"])
def test_nonsense_values_are_usage_errors_naming_the_option(field: str, value: Any) -> None:
    with pytest.raises(UsageError, match=limits_mod.OPTIONS[field]):
        Limits(**{field: value})


def test_defaults_are_above_what_we_run_today() -> None:
    from analyzer.stages.links import MAX_TEXT_CHARS

    default = Limits()
    assert default.max_comments_per_thread >= 1_000_000
    assert default.max_depth >= 100_000
    assert default.max_comment_chars == MAX_TEXT_CHARS
    assert default.changed() == {}
    assert Limits(max_depth=7).changed() == {"max_depth": 7}


def test_summary_line_names_counts_options_and_codes() -> None:
    counts = {"rejected_comments_per_thread": 5, "rejected_depth": 0, "truncated_comment_chars": 2}
    line = summary_line(counts, {"max_comments_per_thread": 3, "max_comment_chars": 10})
    assert line == (
        "limits: 5 comments beyond --max-comments-per-thread 3 rejected (issue code limit-comments-per-thread); "
        "2 comment texts cut to --max-comment-chars 10 (issue code limit-comment-length)"
    )
    assert summary_line({"rejected_comments_per_thread": 0, "rejected_depth": 0, "truncated_comment_chars": 0}) is None


# --- Defaults change nothing ----------------------------------------------------------------


def test_defaults_build_the_same_forest() -> None:
    raw = raw_comments(
        [
            {"comment_id": "1"},
            {"comment_id": "2", "parent_id": "1"},
            {"comment_id": "3", "parent_id": "9"},
            {"comment_id": "2", "parent_id": "1"},
        ]
    )
    plain = build_forest(raw, NO_ARTICLES)
    limited, outcome = build_limited_forest(raw, NO_ARTICLES)
    assert_frame_equal(limited.comments, plain.comments)
    assert [i.code for i in limited.issues] == [i.code for i in plain.issues]
    assert outcome.rows.height == 0 and outcome.issues == []
    assert outcome.counts() == {"rejected_comments_per_thread": 0, "rejected_depth": 0, "truncated_comment_chars": 0}


# --- Comments per thread --------------------------------------------------------------------


def test_comments_beyond_the_cap_are_rejected_in_input_order_per_thread() -> None:
    raw = pl.concat(
        [
            raw_comments([{"comment_id": f"a{i}", "source_line": 10 + i} for i in range(5)], article_id="A"),
            raw_comments([{"comment_id": f"b{i}"} for i in range(2)], article_id="B").with_columns(
                pl.col("src_order") + 5
            ),
        ]
    ).with_columns(source_path=pl.lit("in.jsonl"))
    forest, outcome = build_limited_forest(raw, NO_ARTICLES, limits=Limits(max_comments_per_thread=3))
    assert _ids(forest) == ["a0", "a1", "a2", "b0", "b1"]
    rows = outcome.rows
    assert rows.select("code", "comment_id", "line", "path", "article_id").rows() == [
        ("limit-comments-per-thread", "a3", 13, "in.jsonl", "A"),
        ("limit-comments-per-thread", "a4", 14, "in.jsonl", "A"),
    ]
    assert "comment 4 of its thread" in rows.get_column("detail")[0]
    assert "--max-comments-per-thread 3" in rows.get_column("detail")[0]
    assert outcome.n_rejected_thread == 2
    (summary,) = outcome.issues
    assert (summary.code, summary.article_id, summary.path) == ("limits-applied", "A", "in.jsonl")
    assert "2 comments beyond --max-comments-per-thread 3" in summary.detail
    _check_forest(forest)


def test_replies_to_a_rejected_comment_go_with_it() -> None:
    # Input order puts a reply before its parent (newest first): the reply is within the cap,
    # its parent is not; keeping the reply would misstate it as a top-level comment.
    raw = raw_comments(
        [
            {"comment_id": "top"},
            {"comment_id": "reply", "parent_id": "late"},
            {"comment_id": "late"},
            {"comment_id": "reply2", "parent_id": "reply"},
        ]
    )
    forest, outcome = build_limited_forest(raw, NO_ARTICLES, limits=Limits(max_comments_per_thread=2))
    assert _ids(forest) == ["top"]
    details = dict(outcome.rows.select("comment_id", "detail").iter_rows())
    assert set(details) == {"reply", "late", "reply2"}
    assert details["reply"].startswith("reply to a comment beyond")
    assert details["late"].startswith("comment 3 of its thread")
    assert not [i for i in forest.issues if i.code == "unknown-parent"]


def test_a_thread_cut_to_nothing_keeps_its_article() -> None:
    # The only comment within the cap replies to one beyond it: both go, the article stays.
    raw = raw_comments([{"comment_id": "r", "parent_id": "p"}, {"comment_id": "p"}], article_id="only")
    forest, outcome = build_limited_forest(raw, NO_ARTICLES, limits=Limits(max_comments_per_thread=1))
    assert forest.comments.height == 0
    assert forest.articles.get_column("article_id").to_list() == ["only"]
    assert outcome.n_rejected_thread == 2


def test_cycles_and_self_replies_do_not_confuse_the_cut() -> None:
    raw = raw_comments(
        [
            {"comment_id": "x", "parent_id": "y"},
            {"comment_id": "y", "parent_id": "x"},
            {"comment_id": "s", "parent_id": "s"},
            {"comment_id": "z"},
        ]
    )
    forest, outcome = build_limited_forest(raw, NO_ARTICLES, limits=Limits(max_comments_per_thread=3))
    assert sorted(_ids(forest)) == ["s", "x", "y"]
    assert outcome.rows.get_column("comment_id").to_list() == ["z"]


def test_a_large_thread_is_cut_with_one_row_per_rejected_comment() -> None:
    n = 20_000
    raw = raw_comments([{"comment_id": str(i)} for i in range(n)])
    forest, outcome = build_limited_forest(raw, NO_ARTICLES, limits=Limits(max_comments_per_thread=100))
    assert forest.comments.height == 100
    assert outcome.rows.height == n - 100
    assert outcome.rows.get_column("comment_id").n_unique() == n - 100
    assert len(outcome.issues) == 1  # one summary for the thread


# --- Depth ----------------------------------------------------------------------------------


def _chain(n: int) -> pl.DataFrame:
    return raw_comments([{"comment_id": f"c{i}", "parent_id": f"c{i - 1}" if i else None} for i in range(n)])


def test_comments_deeper_than_the_cap_are_rejected_with_their_subtrees() -> None:
    raw = pl.concat(
        [
            _chain(6),
            raw_comments([{"comment_id": "side", "parent_id": "c1"}, {"comment_id": "top2"}]).with_columns(
                pl.col("src_order") + 6
            ),
        ]
    )
    forest, outcome = build_limited_forest(raw, NO_ARTICLES, limits=Limits(max_depth=3))
    assert _ids(forest) == ["c0", "c1", "c2", "side", "top2"]
    assert forest.comments.get_column("depth").to_list() == [1, 2, 3, 3, 1]
    assert outcome.rows.select("code", "comment_id").rows() == [
        ("limit-depth", "c3"),
        ("limit-depth", "c4"),
        ("limit-depth", "c5"),
    ]
    assert "at depth 4, deeper than --max-depth 3" in outcome.rows.get_column("detail")[0]
    assert forest.subtree_size.tolist() == [4, 3, 1, 1, 1]
    assert forest.articles.get_column("n_visible").to_list() == [5]
    _check_forest(forest)


def test_ghosts_above_a_rejected_comment_go_too() -> None:
    raw = raw_comments(
        [
            {"comment_id": "1", "declared_depth": 1},
            {"comment_id": "2", "parent_id": "1", "declared_depth": 5},
            {"comment_id": "3", "parent_id": "1", "declared_depth": 2},
        ]
    )
    full = build_forest(raw, NO_ARTICLES)
    assert int(full.comments.get_column("is_ghost").sum()) == 3
    forest, outcome = build_limited_forest(raw, NO_ARTICLES, limits=Limits(max_depth=3))
    assert _ids(forest) == ["1", "3"]
    assert outcome.rows.get_column("comment_id").to_list() == ["2"]
    _check_forest(forest)


def test_a_deep_chain_is_cut_at_the_cap() -> None:
    forest, outcome = build_limited_forest(_chain(20_000), NO_ARTICLES, limits=Limits(max_depth=5_000))
    assert forest.comments.height == 5_000
    assert int(forest.comments.get_column("depth").max()) == 5_000  # type: ignore[arg-type]
    assert outcome.n_rejected_depth == 15_000


# --- Comment length -------------------------------------------------------------------------


def test_long_texts_are_kept_cut_to_the_cap_with_an_issue() -> None:
    raw = raw_comments(
        [{"comment_id": "long", "text": "ä" * 25, "source_line": 7}, {"comment_id": "short", "text": "ok"}]
    ).with_columns(source_path=pl.lit("page.txt"))
    forest, outcome = build_limited_forest(raw, NO_ARTICLES, limits=Limits(max_comment_chars=10))
    assert forest.comments.get_column("text").to_list() == ["ä" * 10, "ok"]
    (row,) = outcome.rows.iter_rows(named=True)
    assert (row["code"], row["severity"], row["comment_id"], row["path"], row["line"]) == (
        "limit-comment-length", "warning", "long", "page.txt", 7,
    )
    assert "25 characters" in row["detail"] and "--max-comment-chars 10" in row["detail"]
    assert outcome.n_truncated == 1


# --- Through the pipeline -------------------------------------------------------------------


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _thread(n: int, post: str = "p1") -> list[dict[str, Any]]:
    return [
        {"id": f"{post}-{i}", "parent": f"{post}-{i - 1}" if i % 4 else None, "post": post, "body": f"Kommentar {i}"}
        for i in range(n)
    ]


def test_analyse_with_limits_keeps_the_accounting(tmp_path: Path) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", _thread(12) + _thread(3, "p2"))
    out = tmp_path / "run"
    analysis = analyse(
        [source], out=out, stages="structure,links",
        limits=Limits(max_comments_per_thread=10, max_depth=3, max_comment_chars=10),
    )
    counts = analysis.manifest["counts"]
    assert counts["comments_in"] == 15
    assert counts["comments_out"] + counts["comments_rejected"] == 15
    # p1: comments 10, 11 beyond the cap; every 4th chain reaches depth 4 (3, 7).
    accounting = analysis.manifest["accounting"]
    assert accounting["limits"] == {"rejected_comments_per_thread": 2, "rejected_depth": 2, "truncated_comment_chars": 11}
    assert accounting["comments"]["rejected_by_limits"] == 4
    assert analysis.manifest["settings"]["limits"]["max_depth"] == 3
    run = read_run(out)
    issues = run.parse_issues
    assert issues.filter(pl.col("code").is_in(sorted(REJECTION_CODES))).height == counts["comments_rejected"]
    assert issues.filter(pl.col("code") == "limits-applied").get_column("article_id").sort().to_list() == ["p1", "p2"]
    verify_run_folder(out)
    assert summary_line(accounting["limits"], analysis.manifest["settings"]["limits"]) is not None


def test_max_bytes_from_limits_or_options(tmp_path: Path) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", _thread(4))
    with pytest.raises(InputError, match="at most 10 bytes"):
        analyse([source], stages="structure", limits=Limits(max_bytes=10))
    with pytest.raises(InputError, match="at most 20 bytes"):
        analyse([source], stages="structure", options=ReadOptions(max_bytes=20))
    with pytest.raises(UsageError, match="two file-size caps"):
        analyse([source], stages="structure", options=ReadOptions(max_bytes=20), limits=Limits(max_bytes=10))
    analysis = analyse([source], stages="structure", options=ReadOptions(max_bytes=10_000))
    assert analysis.manifest["settings"]["limits"]["max_bytes"] == 10_000


def test_chunked_runs_apply_the_same_limits(tmp_path: Path) -> None:
    from analyzer.chunked import analyse_chunked

    rows = _thread(12) + _thread(9, "p2") + _thread(5, "p3")
    table = pl.DataFrame(rows)
    source = tmp_path / "in.parquet"
    table.write_parquet(source)
    caps = Limits(max_comments_per_thread=8, max_depth=3)
    one_shot = analyse([source], out=tmp_path / "one", stages="structure,links", limits=caps)
    out = analyse_chunked([source], out=tmp_path / "chunked", chunk_comments=10, stages="structure,links", limits=caps)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["chunked"]["n_chunks"] > 1
    assert manifest["counts"]["comments_rejected"] == one_shot.manifest["counts"]["comments_rejected"] > 0
    assert manifest["accounting"]["limits"] == one_shot.manifest["accounting"]["limits"]
    assert manifest["settings"]["limits"] == caps.as_dict()
    assert_frame_equal(
        read_run(out).comments.sort("article_id", "seq"),
        read_run(tmp_path / "one").comments.sort("article_id", "seq"),
    )
    verify_run_folder(out)
