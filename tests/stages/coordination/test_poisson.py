"""The co-link test's Poisson tail equals ``scipy.stats.poisson.sf`` bit for bit."""

from __future__ import annotations

import numpy as np

from analyzer.stages.coordination.poisson import poisson_sf


def test_poisson_sf_equals_scipy_stats() -> None:
    from scipy.stats import poisson

    rng = np.random.default_rng(7)
    k = np.r_[rng.integers(-3, 60, 4000).astype(np.float64), rng.uniform(-2, 40, 1000),
              [0.0, -1.0, 2.5, np.inf, -np.inf, np.nan, 3.0, 0.0]]
    mu = np.r_[np.exp(rng.uniform(-700, 5, 5000)),
               [1e-300, 1e-300, 0.0, 2.0, 2.0, 2.0, -1.0, np.nan]]
    ours, theirs = poisson_sf(k, mu), poisson.sf(k, mu)
    assert ours.dtype == theirs.dtype == np.float64
    assert np.array_equal(ours.view(np.uint64), theirs.view(np.uint64))


def test_poisson_sf_broadcasts_like_scipy() -> None:
    from scipy.stats import poisson

    k, mu = np.arange(5.0), np.array([[0.5], [3.0]])
    assert np.array_equal(poisson_sf(k, mu), poisson.sf(k, mu))
