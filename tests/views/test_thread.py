"""analyzer.outputs.report.views: the small frames the figure builders take."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.views import format_value
from analyzer.views import thread as views
from tests.outputs.report.pages import comment_rows


def test_format_value() -> None:
    assert format_value("visibility", 0.756) == "76 %"
    assert format_value("max_depth", 7.0) == "7"
    assert format_value("structural_virality", 5.104) == "5.10"
    assert format_value("n", None) == "–"
    assert format_value("n", math.nan) == "–"
    assert format_value("n", 12345.0) == "12 345"


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


def _frame_metrics(rows: list[tuple[str, str, float]]) -> pl.DataFrame:
    return pl.DataFrame([{"article_id": "a", "scope": "frame", "subject_id": f, "metric": m, "value": v}
                         for f, m, v in rows], schema=schemas.METRICS)


def test_frame_profile_is_the_stages_own() -> None:
    profile = views.frame_profile(_frame_metrics([
        ("A", "p_article", 2.5 / 4.5), ("A", "p_comments", 0.5 / 2.5), ("A", "dominant_article", 1.0),
        ("A", "dominant_comments", 0.0), ("B", "p_article", 2 / 4.5), ("B", "p_comments", 2 / 2.5),
        ("B", "dominant_article", 0.0), ("B", "dominant_comments", 1.0)]))
    assert profile is not None
    row = {r["frame"]: r for r in profile.iter_rows(named=True)}
    assert row["A"]["p_article"] == pytest.approx(2.5 / 4.5)
    assert row["A"]["dominant_article"] and not row["B"]["dominant_article"]
    assert row["B"]["dominant_comments"] and not row["A"]["dominant_comments"]


def test_frame_profile_absent_without_reported_shares() -> None:
    assert views.frame_profile(_frame_metrics([])) is None
    assert views.frame_profile(_frame_metrics([("A", "lift", 0.3)])) is None


def test_domain_table_without_ratings() -> None:
    links = schemas.conform(pl.DataFrame({"article_id": ["a", "a", "a"], "comment_id": ["x", "y", None],
                                          "registered_domain": ["ex.org", "ex.org", "body.org"],
                                          "obfuscation": ["hxxp", None, None]}), schemas.LINKS)
    table = views.rated_domain_table(links.with_columns(pl.col("registered_domain").alias("domain")), None)
    assert table["domain"].to_list() == ["ex.org"]  # article-body links are not the readers'
    assert table["n_links"].to_list() == [2] and table["n_obfuscated"].to_list() == [1]
    assert table["rated"].to_list() == [False]


def test_domain_table_names_redirect_wrappers() -> None:
    # A link written as a redirect wrapper counts for its target's domain; the wrapper is named.
    links = schemas.conform(pl.DataFrame({
        "article_id": ["a", "a", "a"], "comment_id": ["x", "y", "z"],
        "registered_domain": ["ex.org", "ex.org", "other.org"],
        "redirect": ["l.facebook.com/l.php", "google.com/url", None]}), schemas.LINKS)
    table = views.rated_domain_table(links.with_columns(pl.col("registered_domain").alias("domain")), None)
    rows = {r["domain"]: r for r in table.iter_rows(named=True)}
    assert rows["ex.org"]["n_redirected"] == 2
    assert rows["ex.org"]["redirects"] == "google.com/url, l.facebook.com/l.php"
    assert rows["other.org"]["n_redirected"] == 0 and rows["other.org"]["redirects"] is None
