"""analyzer.views.participants and analyzer.views.timeline: who argued with whom, and when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl

from analyzer.core import schemas
from analyzer.views import participants as pv
from analyzer.views import timeline as tl
from tests.outputs.report.pages import comment_rows

T0 = datetime(2026, 3, 1, 20, 10, tzinfo=UTC)
# Anna and Ben argue (a-b-c-f), Cleo asks, Anna replies to herself (not a pair).
NODES = [
    {"comment_id": "a", "depth": 1, "author": "Anna", "created_at": T0},
    {"comment_id": "b", "parent_id": "a", "depth": 2, "author": "Ben", "created_at": T0 + timedelta(minutes=5)},
    {"comment_id": "c", "parent_id": "b", "depth": 3, "author": "Anna", "created_at": T0 + timedelta(minutes=50)},
    {"comment_id": "f", "parent_id": "c", "depth": 4, "author": "Ben", "created_at": T0 + timedelta(hours=3)},
    {"comment_id": "d", "parent_id": "a", "depth": 2, "author": "Cleo", "created_at": T0 + timedelta(hours=3)},
    {"comment_id": "s", "parent_id": "a", "depth": 2, "author": "Anna", "created_at": None},
    {"comment_id": "x", "depth": 1, "author": None, "kind": "deleted", "text": None, "is_deleted": True,
     "created_at": T0 + timedelta(hours=1)},
]
PARENT = {"b": "deny", "c": "deny", "f": "deny", "d": "query", "s": "support", "a": "comment"}
ARTICLE = {"a": "support", "b": "deny", "c": "support", "f": "deny", "d": "query", "s": "support"}


def _frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    stance = schemas.conform(pl.DataFrame([{"article_id": "a", "comment_id": c, "stance_parent": PARENT[c],
                                            "stance_article": ARTICLE[c]} for c in PARENT]), schemas.STANCE)
    return comment_rows(NODES), stance


def test_reply_pairs_count_denials_and_reciprocity() -> None:
    comments, stance = _frames()
    pairs = pv.reply_pairs(comments, stance)
    by = {(r["author"], r["replied_to"]): r for r in pairs.iter_rows(named=True)}
    assert set(by) == {("Ben", "Anna"), ("Anna", "Ben"), ("Cleo", "Anna")}  # no self-reply, no anonymous
    assert (by[("Ben", "Anna")]["n"], by[("Ben", "Anna")]["n_deny"], by[("Ben", "Anna")]["n_back"]) == (2, 2, 1)
    assert by[("Ben", "Anna")]["reciprocal"] and not by[("Cleo", "Anna")]["reciprocal"]
    assert by[("Ben", "Anna")]["too_few"]  # 2 labelled replies: no share printed as a finding
    swap = pv.exchanges(pairs).row(0, named=True)
    assert (swap["a"], swap["b"], swap["n"], swap["n_deny"]) == ("Anna", "Ben", 3, 3)


def test_chains_are_distinct_and_longest_first() -> None:
    comments, stance = _frames()
    chains = pv.disagreement_chains(comments, stance)
    assert [c["comment_id"].to_list() for c in chains] == [["a", "b", "c", "f"]]
    assert pv.disagreement_chains(comments, None) == []


def test_top_authors_and_concentration() -> None:
    comments, _ = _frames()
    top = pv.top_authors(comments, 2)
    assert top["author"].to_list() == ["Anna", "Ben"] and top["n"].to_list() == [3, 2]
    assert top["n_total"].to_list() == [6, 6]
    summary = pv.concentration(comments, 2)
    assert summary["n_authors"] == 3 and summary["top_comments"] == 5


def test_network_layout_is_deterministic() -> None:
    comments, stance = _frames()
    nodes, edges = pv.network_layout(pv.reply_pairs(comments, stance))
    assert nodes["author"].to_list() == ["Anna", "Ben", "Cleo"]
    assert abs(nodes["y"][0] - 1.0) < 1e-9 and edges.height == 3


def test_time_bins_hourly_with_empty_hours_and_undated() -> None:
    comments, stance = _frames()
    bins, width, undated = tl.time_bins(comments, stance)
    assert width == "1h" and undated == 1
    assert bins["n_comments"].to_list() == [2, 1, 0, 2]  # 20:00, 21:00, 22:00 (empty), 23:00
    assert bins["n_deleted"].to_list() == [0, 1, 0, 0]
    assert bins["n_deny"].to_list() == [1, 0, 0, 1]
    daily, width, _ = tl.time_bins(comments, stance, every="1d")
    assert width == "1d" and daily["n_comments"].to_list() == [5]
    empty, _, _ = tl.time_bins(comments.head(0))
    assert empty.is_empty()
