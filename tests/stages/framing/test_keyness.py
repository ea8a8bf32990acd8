"""Fightin' Words keyness (Monroe, Colaresi, Quinn 2008) against a hand computation."""

from __future__ import annotations

import math

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analyzer.core import schemas
from analyzer.stages.framing.keyness import compute_keyness, log_odds_z, term_counts


def test_log_odds_z_formula() -> None:
    # y_i = 4, y_j = 1, n_i = 20, n_j = 10, α_w = 0.5, α_0 = 2
    delta, z = log_odds_z(4, 1, 20, 10, 0.5, 2.0)
    expected = math.log(4.5 / (20 + 2 - 4 - 0.5)) - math.log(1.5 / (10 + 2 - 1 - 0.5))
    assert delta == pytest.approx(expected)
    assert z == pytest.approx(expected / math.sqrt(1 / 4.5 + 1 / 1.5))
    # Symmetry: swapping the groups flips the sign.
    assert log_odds_z(1, 4, 10, 20, 0.5, 2.0)[1] == pytest.approx(-z)


def test_compute_keyness_by_hand_with_a_run_wide_prior() -> None:
    counts = pl.DataFrame(
        {
            "article_id": ["t", "t", "t", "u", "u"],
            "term": ["x", "y", "z", "x", "w"],
            "n_comments": [3, 1, 0, 2, 0],
            "n_article": [0, 2, 2, 1, 1],
        }
    )
    prior = 10.0
    out = compute_keyness(counts, prior_size=prior)
    # Pooled counts of the whole run: x 6, y 3, z 2, w 1 -> 12; α_w = 10 · pooled / 12.
    alpha = {"x": 10 * 6 / 12, "y": 10 * 3 / 12, "z": 10 * 2 / 12, "w": 10 * 1 / 12}
    n = {"t": (4, 4), "u": (2, 2)}
    for article_id, term, y_i, y_j in counts.iter_rows():
        d, z = log_odds_z(y_i, y_j, *n[article_id], alpha[term], prior)
        row = out.filter(article_id=article_id, term=term).row(0, named=True)
        assert row["log_odds"] == pytest.approx(d)
        assert row["z"] == pytest.approx(z)
    # Sorted by z within each thread, readers' terms first.
    assert out.filter(article_id="t")["term"].to_list() == ["x", "y", "z"]
    assert out.schema == schemas.KEYNESS


def test_threads_with_an_empty_side_get_no_rows() -> None:
    counts = pl.DataFrame({"article_id": ["t", "u"], "term": ["x", "x"], "n_comments": [2, 1], "n_article": [0, 3]})
    assert compute_keyness(counts)["article_id"].to_list() == ["u"]
    assert_frame_equal(compute_keyness(counts.clear()), schemas.empty(schemas.KEYNESS))


def test_term_counts() -> None:
    terms = pl.DataFrame(
        {"article_id": ["t"] * 4, "is_article": [True, False, False, True], "term": ["a", "a", "b", "b"]}
    )
    got = term_counts(terms).sort("term")
    assert got.rows() == [("t", "a", 1, 1), ("t", "b", 1, 1)]
