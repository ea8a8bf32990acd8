"""The Poisson upper tail ``P(X > k)`` without importing ``scipy.stats``.

Why: ``scipy.stats`` costs ~0.5 CPU s more to import than ``scipy.special`` (it loads every
distribution, the optimisers and their tables), and the co-link chance test needs one
survival function; that import was the largest single item of the process that prepares
coordination beside the nlp stage (docs/performance-language.md, "Session 10: whole-process
CPU").  :func:`poisson_sf` is ``scipy.stats.poisson.sf(k, mu)`` as scipy computes it
(``rv_discrete.sf`` around ``poisson._sf``): the same special function on the same values,
so the same floats (``tests/stages/coordination/test_poisson.py`` compares them).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import pdtrc


def poisson_sf(k: ArrayLike, mu: ArrayLike) -> np.ndarray:
    """``P(X > k)`` for ``X ~ Poisson(mu)``, element-wise: 1 below the support (``k < 0``),
    NaN where ``mu < 0`` or ``k`` or ``mu`` is NaN, else ``pdtrc(floor(k), mu)`` clipped to [0, 1]."""
    k_arr, mu_arr = np.broadcast_arrays(np.asarray(k), np.asarray(mu))
    valid = mu_arr >= 0
    inside = valid & (k_arr >= 0) & np.isfinite(k_arr)
    out = np.zeros(k_arr.shape, dtype=np.float64)
    out[~valid | np.isnan(k_arr)] = np.nan
    out[((k_arr < 0) | np.isneginf(k_arr)) & valid] = 1.0
    if inside.any():
        out[inside] = np.clip(pdtrc(np.floor(k_arr[inside]), mu_arr[inside]), 0, 1)
    return out
