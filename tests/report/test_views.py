"""analyzer.report.views: the small frames the figure builders take."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import polars as pl
import pytest

from analyzer import schemas
from analyzer.report import views
from tests.report.pages import comment_rows


def test_format_value() -> None:
    assert views.format_value("visibility", 0.756) == "76 %"
    assert views.format_value("max_depth", 7.0) == "7"
    assert views.format_value("structural_virality", 5.104) == "5.10"
    assert views.format_value("n", None) == "–"
    assert views.format_value("n", math.nan) == "–"
    assert views.format_value("n", 12345.0) == "12 345"


def test_levels_count_ghosts_apart() -> None:
    nodes = comment_rows([{"comment_id": "a", "depth": 1}, {"comment_id": "g", "parent_id": "a", "depth": 2,
                                                            "is_ghost": True, "kind": "ghost"},
                          {"comment_id": "b", "parent_id": "g", "depth": 3}])
    out = views.levels(nodes)
    assert out["n_all"].to_list() == [1, 1, 1]
    assert out["n_visible"].to_list() == [1, 0, 1]


def test_latencies_need_both_timestamps() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    nodes = comment_rows([{"comment_id": "a", "depth": 1, "created_at": t0},
                          {"comment_id": "b", "parent_id": "a", "depth": 2, "created_at": t0.replace(hour=1)},
                          {"comment_id": "c", "parent_id": "a", "depth": 2}])
    assert views.latencies(nodes) == [3600.0]
    assert views.latencies(schemas.empty(schemas.COMMENTS)) == []


def test_frame_profile_smoothing_and_dominance() -> None:
    frames = pl.DataFrame({"doc_id": ["~article", "~article", "~article", "c1", "c1"],
                           "sent_idx": [0, 1, 1, 0, 0], "frame": ["A", "A", "B", "B", "B"]})
    profile = views.frame_profile(frames, ["c1"], ["A", "B", "C"])
    row = {r["frame"]: r for r in profile.iter_rows(named=True)}
    # article: A in 2 sentences, B in 1 -> (2.5, 1.5, 0.5) / 4.5
    assert row["A"]["p_article"] == pytest.approx(2.5 / 4.5)
    assert row["B"]["p_comments"] == pytest.approx(1.5 / 2.5)  # c1 sentence 0 counts once
    assert row["A"]["dominant_article"] and not row["B"]["dominant_article"]
    assert row["B"]["dominant_comments"]
    assert sum(profile["p_comments"]) == pytest.approx(1.0)


def test_frame_profile_ignores_invisible_comments() -> None:
    frames = pl.DataFrame({"doc_id": ["gone"], "sent_idx": [0], "frame": ["A"]})
    profile = views.frame_profile(frames, ["c1"], ["A", "B"])
    assert profile["p_comments"].to_list() == [0.5, 0.5]
    assert not any(profile["dominant_comments"])


def test_domain_table_without_ratings() -> None:
    links = schemas.conform(pl.DataFrame({"article_id": ["a", "a", "a"], "comment_id": ["x", "y", None],
                                          "registered_domain": ["ex.org", "ex.org", "body.org"],
                                          "obfuscation": ["hxxp", None, None]}), schemas.LINKS)
    table = views.domain_table(links, None)
    assert table["domain"].to_list() == ["ex.org"]  # article-body links are not the readers'
    assert table["n_links"].to_list() == [2] and table["n_obfuscated"].to_list() == [1]
    assert table["rated"].to_list() == [False]
