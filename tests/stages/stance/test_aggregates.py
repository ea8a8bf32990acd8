"""Stance aggregates against values computed by hand."""

from __future__ import annotations

import math

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.stages.stance.aggregates import METRICS, aggregate_metrics, stance_summary


def test_summary_by_hand() -> None:
    # S=3, D=1, Q=1, C=3, N=8
    s = stance_summary(["support"] * 3 + ["deny"] + ["query"] + ["comment"] * 3)
    assert s["n_support"] == 3 and s["n_deny"] == 1 and s["n_query"] == 1 and s["n_comment"] == 3
    assert s["support_ratio"] == pytest.approx(3 / 4)
    assert s["net_stance"] == pytest.approx(2 / 8)
    assert s["balance"] == pytest.approx(1 / 3)
    assert s["controversy"] == pytest.approx(4 ** (1 / 3))
    shares = [3 / 8, 1 / 8, 1 / 8, 3 / 8]
    assert s["entropy"] == pytest.approx(-sum(p * math.log(p) for p in shares) / math.log(4))


def test_one_sided_and_empty() -> None:
    s = stance_summary(["support", "support", "comment"])
    assert s["balance"] == 0 and s["controversy"] == 0 and s["support_ratio"] == 1
    assert "support_ratio" not in stance_summary(["comment", "query"])
    assert stance_summary(["comment"] * 4)["entropy"] == 0
    assert stance_summary(["support", "deny", "query", "comment"])["entropy"] == pytest.approx(1)
    assert set(stance_summary([])) == {"n_support", "n_deny", "n_query", "n_comment"}


def test_scopes_thread_subtree_level() -> None:
    frame = aggregate_metrics(
        ["a", "a", "a"], ["c1", "c1", "c3"], [1, 2, 1],
        {"article": ["support", "deny", "deny"], "parent": ["support", "deny", "deny"]},
    )
    schemas.check(frame, schemas.METRICS, "m")
    get = {(r["scope"], r["subject_id"], r["metric"]): r["value"] for r in frame.iter_rows(named=True)}
    assert get[("thread", "a", "article_support_ratio")] == pytest.approx(1 / 3)
    assert get[("subtree", "c1", "article_controversy")] == pytest.approx(2.0)  # (1 + 1) ** 1
    assert get[("subtree", "c3", "article_net_stance")] == -1
    assert get[("stance_level", "1", "n_stance_comments")] == 2
    assert set(frame.get_column("metric").unique()) <= set(METRICS)
    assert frame.filter(pl.col("value").is_null()).is_empty()


def test_registry_documents_every_metric_with_a_reference() -> None:
    assert all(m.definition and m.reference for m in METRICS.values())


def _aggregate_row_by_row(article_ids: list[str], roots: list[str], depths: list[int],
                          labels: dict[str, list[str]]) -> pl.DataFrame:
    """The metrics frame built the plain way: one summary per group and target (the reference)."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, (aid, root, depth) in enumerate(zip(article_ids, roots, depths, strict=True)):
        groups.setdefault((aid, "thread", aid), []).append(i)
        groups.setdefault((aid, "subtree", root), []).append(i)
        groups.setdefault((aid, "stance_level", str(depth)), []).append(i)
    rows = []
    for (aid, scope, subject), members in groups.items():
        rows.append((aid, scope, subject, "n_stance_comments", float(len(members))))
        for target, values in labels.items():
            rows += [(aid, scope, subject, f"{target}_{k}", v)
                     for k, v in stance_summary(values[i] for i in members).items()]
    return pl.DataFrame(rows, schema=schemas.METRICS, orient="row")


def test_summaries_shared_by_equal_counts_give_the_row_by_row_frame() -> None:
    import random

    from polars.testing import assert_frame_equal

    rng = random.Random(11)
    for n in (0, 1, 7, 400):
        article_ids = [f"a{rng.randrange(4)}" for _ in range(n)]
        roots = [f"r{rng.randrange(30)}" for _ in range(n)]
        depths = [rng.randrange(1, 6) for _ in range(n)]
        labels = {t: [rng.choice(["support", "deny", "query", "comment"]) for _ in range(n)] for t in ("article", "parent")}
        assert_frame_equal(aggregate_metrics(article_ids, roots, depths, labels),
                           _aggregate_row_by_row(article_ids, roots, depths, labels))
