"""Temperature-scaled softmax, shared by the stance models (:mod:`.trained`, :mod:`.hashed`).

Its own module so that the two model formats depend on it and not on each other (the hashed
format is loaded by :mod:`.trained`; an import back would be a cycle).
"""

from __future__ import annotations

from typing import Any


def softmax(logits: Any, temperature: float = 1.0) -> Any:
    """Class probabilities of rows of ``logits`` divided by ``temperature`` (Guo et al. 2017)."""
    import numpy as np

    z = np.asarray(logits, dtype=float) / max(temperature, 1e-3)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
