from __future__ import annotations

import polars as pl
import pytest

from analyzer.views import shares
from analyzer.views.numbers import format_share


def test_wilson_matches_hand_computation() -> None:
    # Wilson (1927) for 8 of 14 at z = 1.96: centre 0.5556, half-width 0.2302 (computed by hand).
    low, high = shares.wilson_interval(8, 14)  # type: ignore[misc]
    assert low == pytest.approx(0.3259, abs=1e-3) and high == pytest.approx(0.7863, abs=1e-3)
    assert shares.wilson_interval(0, 0) is None
    low0, high0 = shares.wilson_interval(0, 20)  # type: ignore[misc]
    assert low0 == 0.0 and 0.15 < high0 < 0.17  # never a zero-width interval at 0 %


def test_with_shares_per_group_and_too_few() -> None:
    counts = pl.DataFrame({"depth": [1, 1, 2], "label": ["deny", "support", "deny"], "n": [30, 10, 2]})
    out = shares.with_shares(counts, by=["depth"]).sort("depth", "label")
    assert out["n_total"].to_list() == [40, 40, 2]
    assert out["share"].to_list() == pytest.approx([0.75, 0.25, 1.0])
    assert out["too_few"].to_list() == [False, False, True]
    expected = shares.wilson_interval(30, 40)
    assert expected is not None
    assert (out["ci_low"][0], out["ci_high"][0]) == pytest.approx(expected)


def test_format_share_always_names_the_counts() -> None:
    assert format_share(8, 14) == "57 % (8 of 14)"
    assert format_share(0, 0) == "– (0 of 0)"
