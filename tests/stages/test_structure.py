from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.core import schemas
from analyzer.core.errors import UsageError
from analyzer.stages import structure
from analyzer.tree.forest import build_forest
from tests.conftest import raw_articles, raw_comments

EMPTY = schemas.empty(schemas.RAW_ARTICLES)


def _thread(metrics: pl.DataFrame, scope: str = "thread", article: str = "a") -> dict[str, float | None]:
    rows = metrics.filter(scope=scope, article_id=article)
    return dict(zip(rows["metric"].to_list(), rows["value"].to_list(), strict=True))


def _reference_forest():  # type: ignore[no-untyped-def]
    t0 = datetime(2022, 1, 17, 10, tzinfo=UTC)
    raw = raw_comments(
        [
            {"comment_id": "A", "declared_depth": 1, "author": "x", "created_at": t0 + timedelta(minutes=1)},
            {"comment_id": "B", "parent_id": "A", "declared_depth": 4, "author": "y", "created_at": t0 + timedelta(minutes=5)},
            {"comment_id": "C", "parent_id": "B", "declared_depth": 5, "author": "x", "created_at": t0 + timedelta(minutes=7)},
            {"comment_id": "D", "parent_id": "C", "declared_depth": 7, "author": "y", "created_at": t0 + timedelta(minutes=30)},
            {"comment_id": "E", "parent_id": "A", "declared_depth": 2, "author": "z", "created_at": t0 + timedelta(minutes=8)},
            {"comment_id": "F", "declared_depth": 1, "author": "x", "created_at": t0 + timedelta(minutes=60)},
        ]
    )
    return build_forest(raw, raw_articles([{"article_id": "a", "n_announced": 12}]))


def test_reference_page_values_from_methods_section_1() -> None:
    metrics = structure.compute_structure(_reference_forest())
    thread = _thread(metrics)
    assert thread["max_depth"] == 7
    assert thread["n_nodes"] == 10
    assert thread["h_index"] == 2
    assert thread["wiener_index"] == 153
    assert thread["structural_virality"] == pytest.approx(3.40)
    assert (thread["n_announced"], thread["n_visible"], thread["n_ghost"]) == (12, 6, 3)
    assert thread["visibility"] == 0.5 and thread["n_missing_elsewhere"] == 3
    levels = metrics.filter(scope="level", article_id="a").sort(pl.col("subject_id").cast(pl.Int64))
    assert levels["value"].to_list() == [2, 2, 1, 1, 1, 1, 1]
    visible = _thread(metrics, "thread_visible")
    assert (visible["max_depth"], visible["n_nodes"]) == (4, 7)


def test_latency_and_participation_on_reference_shape() -> None:
    thread = _thread(structure.compute_structure(_reference_forest()))
    # Replies with a visible parent and both times: C->B 120 s, E->A 420 s.
    assert thread["n_latency"] == 2
    assert thread["reply_latency_median_s"] == 270
    assert thread["n_authors"] == 3
    assert thread["users_h_index"] == 2
    assert thread["author_gini"] == pytest.approx(structure.gini([3, 2, 1]))


def test_reciprocity_counts_a_b_a() -> None:
    raw = raw_comments(
        [
            {"comment_id": "1", "author": "anna"},
            {"comment_id": "2", "parent_id": "1", "author": "ben"},
            {"comment_id": "3", "parent_id": "2", "author": "anna"},
            {"comment_id": "4", "parent_id": "2", "author": "carl"},
        ]
    )
    thread = _thread(structure.compute_structure(build_forest(raw, EMPTY)))
    assert thread["reciprocal_replies"] == 1
    assert thread["reciprocity_share"] == 0.5


def test_star_and_chain_virality_identities() -> None:
    star = raw_comments([{"comment_id": str(i)} for i in range(9)])
    chain = raw_comments([{"comment_id": str(i), "parent_id": str(i - 1) if i else None} for i in range(9)])
    n = 10
    star_v = _thread(structure.compute_structure(build_forest(star, EMPTY)))["structural_virality"]
    chain_v = _thread(structure.compute_structure(build_forest(chain, EMPTY)))["structural_virality"]
    assert star_v == pytest.approx(2 * (n - 1) ** 2 / (n * (n - 1)))  # tends to 2 for large stars
    assert chain_v == pytest.approx((n + 1) / 3)


trees = st.lists(st.integers(min_value=-1, max_value=40), min_size=1, max_size=40).map(
    lambda ps: [p if p < i else -1 for i, p in enumerate(ps)]
)


@settings(max_examples=100, deadline=None)
@given(trees)
def test_vectorised_metrics_match_scalar_definitions(parent: list[int]) -> None:
    raw = raw_comments(
        [{"comment_id": str(i), "parent_id": None if p < 0 else str(p)} for i, p in enumerate(parent)]
    )
    thread = _thread(structure.compute_structure(build_forest(raw, EMPTY)))
    depth = []
    for v in range(len(parent)):
        d, u = 0, v
        while u >= 0:
            d, u = d + 1, parent[u]
        depth.append(d)
    sizes = [1] * len(parent)
    for v in range(len(parent)):
        u = parent[v]
        while u >= 0:
            sizes[u] += 1
            u = parent[u]
    levels = [depth.count(k) for k in range(1, max(depth) + 1)]
    n_nodes = len(parent) + 1
    wiener = structure.wiener_index(sizes, n_nodes)
    assert thread["wiener_index"] == wiener
    assert thread["structural_virality"] == pytest.approx(structure.structural_virality(wiener, n_nodes))
    assert thread["h_index"] == structure.h_index(levels)
    assert thread["max_depth"] == max(depth)
    assert thread["max_breadth"] == max(levels)


def test_scalar_helpers() -> None:
    assert structure.h_index([2, 2, 1, 1, 1, 1, 1]) == 2
    assert structure.gini([1, 1, 1]) == pytest.approx(0.0)
    assert structure.gini([]) is None
    assert structure.users_h_index([5, 3, 3, 1]) == 3
    assert structure.burstiness([10.0, 10.0, 10.0]) == pytest.approx(-1.0)
    assert structure.burstiness([1.0]) is None


def test_registry_documents_every_computed_metric_and_suggests_names() -> None:
    metrics = structure.compute_structure(_reference_forest())
    for scope, name in metrics.select("scope", "metric").unique().rows():
        assert scope in structure.describe(name).scopes
    with pytest.raises(UsageError, match="did you mean wiener_index"):
        structure.describe("wiener_indx")
