"""Golden fixtures: every case in fixtures/ gives exactly its expected.json."""

from __future__ import annotations

import pytest

from tests import golden

CASES = golden.cases()


def test_there_are_enough_golden_cases() -> None:
    assert len(CASES) >= 10, [c.name for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case(case) -> None:  # type: ignore[no-untyped-def]
    expected = golden.load_expected(case)
    actual = golden.describe(case)
    # Compare section by section so a failure names the part that changed.
    for section in expected:
        assert actual[section] == expected[section], f"{case.name}: {section} differs"
    assert set(actual) == set(expected)
