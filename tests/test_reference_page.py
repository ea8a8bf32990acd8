"""The reference page (../shared/seeds) end to end: the tree and values of methods.md section 1."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from analyzer.pipeline import analyse
from tests.conftest import SHARED

SEED = SHARED / "seeds" / "000_4a71c00d018d265b.txt"

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def analysis():  # type: ignore[no-untyped-def]
    if not SEED.is_file():
        pytest.skip(f"reference page {SEED} is absent")
    return analyse([SEED])


def test_tree_matches_methods_section_1(analysis) -> None:  # type: ignore[no-untyped-def]
    comments = analysis.forest.comments
    visible = comments.filter(~pl.col("is_ghost"))
    # A..F in document order; depths with ghosts filling the gaps.
    assert visible["depth"].to_list() == [1, 4, 5, 7, 2, 1]
    assert comments["depth"].to_list() == [1, 2, 3, 4, 5, 6, 7, 2, 1]
    assert comments["is_ghost"].to_list() == [False, True, True, False, False, True, False, False, False]
    a, b, c, d, e, f = visible["comment_id"].to_list()
    parents = dict(visible.select("comment_id", "parent_id").rows())
    assert parents[e] == a and parents[a] is None and parents[f] is None
    assert parents[c] == b
    article = analysis.forest.articles.row(0, named=True)
    assert (article["n_announced"], article["n_visible"], article["n_ghost"]) == (12, 6, 3)


def test_structure_values(analysis) -> None:  # type: ignore[no-untyped-def]
    m = analysis.metrics
    thread = dict(m.filter(scope="thread").select("metric", "value").rows())
    assert thread["max_depth"] == 7
    assert thread["h_index"] == 2
    assert thread["wiener_index"] == 153
    assert thread["structural_virality"] == pytest.approx(3.40)
    assert thread["n_nodes"] == 10
    levels = m.filter(scope="level").sort(pl.col("subject_id").cast(pl.Int64))["value"].to_list()
    assert levels == [2, 2, 1, 1, 1, 1, 1]


def test_count_mismatch_is_reported_once(analysis) -> None:  # type: ignore[no-untyped-def]
    codes = [i.code for i in analysis.issues]
    assert codes.count("count-mismatch") == 1


def test_accounting(analysis) -> None:  # type: ignore[no-untyped-def]
    counts = analysis.manifest["counts"]
    assert counts["comments_in"] == counts["comments_out"] == 6
    assert counts["ghosts"] == 3


def test_path_is_outside_the_project() -> None:
    # The reference page must stay in ../shared, never in the project.
    root = Path(__file__).resolve().parents[1]
    assert not list(root.rglob("000_4a71c00d018d265b*"))
