"""Property tests of every reader: any input gives a ReaderOutput or a clean InputError.

Short by design (CI runs them on every push); ``python -m tests.bench.fuzz`` is the long,
coverage-guided version of the same contract.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.bench.fuzz import TARGETS, Checker, seed_files
from tests.conftest import HANG_LIMIT_S
from tests.fuzz.conftest import assert_allowed
from tests.fuzz.strategies import csv_tables, html_pages, json_mutated, jsonl_tables, spliced

# Module-scoped checkers are shared across examples on purpose; the fixtures are hefty, and
# the "too slow"/"large base example" checks would flag the fixture sizes, not a bug.
# ANALYZER_FUZZ_EXAMPLES raises the example count for a longer local run.
FUZZ = settings(
    max_examples=int(os.environ.get("ANALYZER_FUZZ_EXAMPLES", "40")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.large_base_example, HealthCheck.data_too_large],
)

# Not "tables_parquet": a corrupt Parquet file can make polars abort the process (see
# regressions/README.md), which would kill the test session; `python -m tests.bench.fuzz
# tables_parquet` fuzzes it in its own process instead.
READER_TARGETS = ["pagetext", "wp_html", "wp_json", "reddit", "hn", "tables_csv", "tables_jsonl", "convokit"]


@pytest.mark.parametrize("target", READER_TARGETS)
@FUZZ
@given(data=st.data())
def test_spliced_fixtures(checkers: dict[str, Checker], target: str, data: st.DataObject) -> None:
    assert_allowed(checkers[target], data.draw(spliced(target)))


@pytest.mark.parametrize("target", READER_TARGETS)
@FUZZ
@given(raw=st.binary(max_size=2000))
def test_random_bytes(checkers: dict[str, Checker], target: str, raw: bytes) -> None:
    assert_allowed(checkers[target], raw)


@pytest.mark.parametrize("target", ["wp_json", "reddit", "hn"])
@FUZZ
@given(data=st.data())
def test_json_values_of_wrong_type(checkers: dict[str, Checker], target: str, data: st.DataObject) -> None:
    assert_allowed(checkers[target], data.draw(json_mutated(target)))


@FUZZ
@given(page=html_pages())
def test_generated_comment_lists(checkers: dict[str, Checker], page: bytes) -> None:
    assert_allowed(checkers["wp_html"], page)


@FUZZ
@given(table=csv_tables())
def test_generated_csv(checkers: dict[str, Checker], table: bytes) -> None:
    assert_allowed(checkers["tables_csv"], table)


@FUZZ
@given(table=jsonl_tables())
def test_generated_jsonl(checkers: dict[str, Checker], table: bytes) -> None:
    assert_allowed(checkers["tables_jsonl"], table)


def test_checker_reports_what_it_should(checkers: dict[str, Checker]) -> None:
    """The harness itself: an empty file is a clean InputError, never a finding."""
    assert checkers["pagetext"].check(b"") is None
    assert checkers["wp_json"].check(b"{") is None


@pytest.mark.parametrize("target", READER_TARGETS)
@pytest.mark.parametrize("piece", ["a", ".", "http://", pytest.param("<p>", marks=pytest.mark.slow),  # 13 s in wp_html
                                   "> ", "\x00", "😀", "[{"])
def test_megabyte_runs_finish(checkers: dict[str, Checker], target: str, piece: str) -> None:
    """A 1 MB run of one piece inside a fixture: allowed outcome, and no hang."""
    seed = seed_files(TARGETS[target])[0].read_bytes()
    run = (piece * (1_000_000 // len(piece))).encode("utf-8")
    began = time.process_time()
    assert_allowed(checkers[target], seed[: len(seed) // 2] + run + seed[len(seed) // 2:])
    assert time.process_time() - began < HANG_LIMIT_S


def _swap_long_strings(value: Any, run: str) -> Any:
    """``value`` with every string of over 20 characters replaced by ``run`` (comment texts)."""
    if isinstance(value, dict):
        return {k: _swap_long_strings(v, run) for k, v in value.items()}
    if isinstance(value, list):
        return [_swap_long_strings(v, run) for v in value]
    return run if isinstance(value, str) and len(value) > 20 else value


@pytest.mark.slow  # megabyte inputs through three readers: 2-30 s each
@pytest.mark.parametrize("target", ["wp_json", "reddit", "hn"])
@pytest.mark.parametrize("piece", ["a", "http://", "<p>", "&amp;", "> ", "\x07"])
def test_megabyte_texts_in_valid_json(checkers: dict[str, Checker], target: str, piece: str) -> None:
    """Valid JSON whose long strings (texts, HTML bodies, URLs) are 1 MB runs: parsed, no hang."""
    seed = json.loads(seed_files(TARGETS[target])[0].read_text(encoding="utf-8"))
    data = json.dumps(_swap_long_strings(seed, piece * (1_000_000 // len(piece)))).encode("utf-8")
    began = time.process_time()
    assert_allowed(checkers[target], data)
    assert time.process_time() - began < HANG_LIMIT_S
