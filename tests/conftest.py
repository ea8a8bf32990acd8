"""Shared test helpers: tiny trees built in code, and the path to ../shared."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import settings

from analyzer.core import schemas

# Hypothesis's per-example deadline is a timing assertion too: off everywhere.
# The default profile is derandomised so that CI and every developer see the same examples (a
# random search once failed CI on an example no local run had drawn). To search for new
# counter-examples, run `python -m pytest tests/property --hypothesis-profile=explore`.
settings.register_profile("analyzer", deadline=None, print_blob=True, derandomize=True)
settings.register_profile("explore", deadline=None, print_blob=True, max_examples=1000)
settings.load_profile("analyzer")

ROOT = Path(__file__).resolve().parents[1]

# Hermetic stance: a German model the developer built (`analyzer stance train --omp`) must not
# change what the tests see; tests that want one pass `stance_model_de` explicitly.
os.environ["ANALYZER_STANCE_MODELS"] = tempfile.mkdtemp(prefix="analyzer-tests-no-stance-models-")
# Likewise the packaged German model (the default for users): tests of the cue model stay about
# the cue model; tests of the default pass `stance_model_de` or clear this variable.
os.environ["ANALYZER_STANCE_PACKAGED"] = "0"
# And the packaged label model (tests of "model absent" and of models they train stay hermetic).
os.environ["ANALYZER_LABELS_PACKAGED"] = "0"

# Tests never assert speed (the benchmarks measure it); some guard against hangs instead.
# Catastrophic regex backtracking or a quadratic loop on adversarial input takes minutes, so a
# generous limit tells a hang from a busy shared CI machine. The guards read CPU time
# (`time.process_time`) for in-process work: a wall-clock guard once failed at 66 s on a machine
# at load 15 for input the idle machine reads in a few seconds.
HANG_LIMIT_S = 60.0
SHARED = (ROOT / ".." / "shared").resolve()


def raw_comments(rows: list[dict[str, Any]], article_id: str = "a") -> pl.DataFrame:
    """RAW_COMMENTS rows from short dicts (comment_id, parent_id, optional others)."""
    filled = []
    for order, row in enumerate(rows):
        filled.append(
            {"article_id": article_id, "kind": "comment", "src_order": order, "text": f"text {order}", **row}
        )
    return schemas.conform(pl.DataFrame(filled, infer_schema_length=None), schemas.RAW_COMMENTS)


def raw_articles(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return schemas.conform(pl.DataFrame(rows, infer_schema_length=None), schemas.RAW_ARTICLES)


@pytest.fixture
def shared_dir() -> Path:
    """The shared data folder beside the repository; skip when absent (outside users)."""
    if not (SHARED / "data").is_dir():
        pytest.skip(f"shared data folder {SHARED} is absent")
    return SHARED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests are slow tests too: each starts Chromium (2-8 s), so the fast loop
    (``pytest -m "not slow"``) leaves them to the full suite."""
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.slow)
