"""analyzer.stages.labels.moderation and stats: removal rates with counts and Wilson intervals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from analyzer.stages.labels.moderation import pooled, removal_rates, thread_metrics
from analyzer.stages.labels.stats import wilson


def test_wilson_known_values_and_edges() -> None:
    low, high = wilson(8, 14)  # the "57 % support ratio": 8 of 14
    assert (round(low, 3), round(high, 3)) == (0.326, 0.786)
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0
    assert wilson(0, 0) == (None, None)
    low, high = wilson(500, 1000)
    assert high - low == pytest.approx(2 * 1.96 * (0.25 / 1000) ** 0.5, rel=0.01)


def _comments() -> pl.DataFrame:
    t0 = datetime(2016, 1, 1, tzinfo=UTC)
    rows = [
        # id, parent, depth, kind, minutes after the first comment
        ("1", None, 1, "comment", 0), ("2", "1", 2, "deleted", 30), ("3", "1", 2, "comment", 90),
        ("4", "3", 3, "removed", 200), ("5", None, 1, "comment", 2000), ("6", None, 1, "deleted", 10),
        ("g", "5", 2, "ghost", None), ("m", "5", 2, "more", None),
    ]
    return pl.DataFrame({
        "article_id": ["a"] * len(rows), "comment_id": [r[0] for r in rows], "parent_id": [r[1] for r in rows],
        "depth": pl.Series([r[2] for r in rows], dtype=pl.Int32), "kind": [r[3] for r in rows],
        "created_at": pl.Series([None if r[4] is None else t0 + timedelta(minutes=r[4]) for r in rows],
                                dtype=pl.Datetime("us", "UTC")),
    })


def test_removal_rates_by_depth_time_stance_and_domain() -> None:
    stance = pl.DataFrame({"article_id": ["a"] * 4, "comment_id": ["2", "3", "4", "5"],
                           "stance_parent": ["deny", "support", "deny", "comment"]})
    links = pl.DataFrame({"article_id": ["a", "a", "a"], "comment_id": ["2", "2", "3"],
                          "registered_domain": ["x.at", "x.at", "y.de"], "host": ["www.x.at", "x.at", "y.de"]})
    rates = removal_rates(_comments(), stance=stance, links=links)
    got = {(b, g): (n, k) for b, g, n, k in rates.select("by", "group", "n_comments", "n_removed").iter_rows()}
    assert got[("all", "all")] == (6, 3)  # ghosts and stubs are not comments
    assert got[("depth", "1")] == (3, 1) and got[("depth", "2")] == (2, 1) and got[("depth", "3")] == (1, 1)
    assert got[("stance_parent", "deny")] == (2, 2) and got[("stance_parent", "support")] == (1, 0)
    assert got[("domain", "x.at")] == (1, 1) and got[("domain", "y.de")] == (1, 0)  # a comment counts once
    assert got[("hours_since_first", "0-1h")] == (3, 2) and got[("hours_since_first", "3-6h")] == (1, 1)
    assert got[("hours_since_first", "24h+")] == (1, 0)
    hours = rates.filter(pl.col("by") == "hours_since_first").get_column("group").to_list()
    assert hours == ["0-1h", "1-3h", "3-6h", "24h+"]  # in time order, not alphabetical
    row = rates.filter(pl.col("by") == "all").row(0, named=True)
    assert row["ci_low"] < row["removal_rate"] == 0.5 < row["ci_high"]


def test_thread_metrics() -> None:
    frame = thread_metrics(_comments(), ["a", "empty"])
    got = {(a, m): v for a, m, v in frame.select("article_id", "metric", "value").iter_rows()}
    assert got[("a", "n_written")] == 6 and got[("a", "n_removed")] == 3 and got[("a", "removal_rate")] == 0.5
    assert got[("empty", "n_written")] == 0 and got[("empty", "removal_rate")] is None


def test_pooled_adds_articles_up() -> None:
    two = pl.concat([_comments(), _comments().with_columns(pl.lit("b").alias("article_id"))], how="vertical")
    rates = removal_rates(two)
    assert set(rates.get_column("article_id").to_list()) == {"a", "b"}
    total = pooled(rates)
    row = total.filter((pl.col("by") == "depth") & (pl.col("group") == "1")).row(0, named=True)
    assert (row["article_id"], row["n_comments"], row["n_removed"]) == (None, 6, 2)
    assert row["ci_low"] < 2 / 6 < row["ci_high"]
    hours = total.filter(pl.col("by") == "hours_since_first").get_column("group").to_list()
    assert hours == ["0-1h", "1-3h", "3-6h", "24h+"]
