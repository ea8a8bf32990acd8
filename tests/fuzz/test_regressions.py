"""Every input the fuzzers found a bug with stays fixed.

``regressions/TARGET/`` holds one small input per finding (written by hand to reproduce it,
not copied from elsewhere); each README line says what it broke.  These files also seed
``python -m tests.bench.fuzz TARGET``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench.fuzz import REGRESSIONS, TARGETS, Checker
from tests.fuzz.conftest import assert_allowed


def _cases() -> list[tuple[str, Path]]:
    cases = []
    for target in sorted(TARGETS):
        folder = REGRESSIONS / target
        if folder.is_dir():
            cases += [(target, p) for p in sorted(folder.iterdir())
                      if p.is_file() and p.suffix == TARGETS[target].suffix]
    return cases


CASES = _cases()


def test_regressions_exist() -> None:
    assert CASES, f"no regression inputs under {REGRESSIONS}"


@pytest.mark.parametrize(("target", "path"), CASES, ids=[f"{t}/{p.name}" for t, p in CASES])
def test_regression_input(checkers: dict[str, Checker], target: str, path: Path) -> None:
    assert_allowed(checkers[target], path.read_bytes())


def test_lone_surrogates_are_replaced_and_reported() -> None:
    from analyzer.ingest import tables
    from analyzer.ingest.base import ReadOptions, Source

    out = tables.read(Source(REGRESSIONS / "tables_jsonl" / "lone_surrogate.jsonl"), ReadOptions())
    assert out.comments is not None
    assert "\ufffd" in out.comments["text"][0]
    assert "lone-surrogate-replaced" in [i.code for i in out.issues]


def test_ids_beyond_int64_keep_their_rows() -> None:
    from analyzer.ingest import tables
    from analyzer.ingest.base import ReadOptions, Source

    out = tables.read(Source(REGRESSIONS / "tables_jsonl" / "int_overflow_float_id.jsonl"), ReadOptions())
    assert out.comments is not None
    assert out.comments["comment_id"].to_list() == ["x1", "x2"]
    parents = out.comments["parent_id"].to_list()
    assert parents[0] is not None and parents[0].startswith("9.2")
    assert parents[1] is None  # 0.0 is still "0", the root marker


def test_control_character_references_become_replacement_characters() -> None:
    from analyzer.ingest.htmltext import html_to_text

    assert html_to_text("&#x2;Hallo") == "\ufffdHallo"
    assert html_to_text("<p>a&#1;b</p>") == "a\ufffdb"
    assert html_to_text("&#228;&#xE4;") == "ää"  # ordinary references untouched
    assert html_to_text("&#" + "9" * 5000 + ";x") == "\ufffdx"  # beyond int()'s digit limit


def test_parquet_with_huge_page_length_is_a_clean_error(tmp_path: Path) -> None:
    """polars aborts the process on this file; the reader's child-process check reports it instead.

    The replay runs in a child process so that a regression fails this test instead of
    killing the test session (tests/ingest/test_parquet_guard.py also reads it in process).
    """
    source = REGRESSIONS / "tables_parquet" / "huge_alloc_abort.parquet"
    copy = tmp_path / "input.parquet"
    copy.write_bytes(source.read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.fuzz", "tables_parquet", "--replay", str(copy)],
        capture_output=True, text=True, timeout=300, check=False, env={**os.environ, "RUST_BACKTRACE": "0"},
    )
    assert done.returncode == 0, done.stderr[-1000:]
    assert done.stdout.strip() == f"{copy}: ok"


def test_csv_starting_like_a_zlib_stream_is_read_as_csv() -> None:
    from analyzer.ingest import tables
    from analyzer.ingest.base import ReadOptions, Source

    path = REGRESSIONS / "tables_csv" / "zlib_magic_header.csv"
    assert path.read_bytes().startswith(b"x^")  # 0x78 0x5E: a valid zlib header
    out = tables.read(Source(path), ReadOptions(mapping={"text": "x^2"}))
    assert out.comments is not None
    assert out.comments.select("comment_id", "parent_id", "text").rows() == [("a", None, "1"), ("b", "a", "2")]


def test_datetimes_outside_years_1_to_9999_are_reported_not_kept(tmp_path: Path) -> None:
    from datetime import datetime

    import polars as pl

    from analyzer.ingest import tables
    from analyzer.ingest.base import ReadOptions, Source

    out = tables.read(Source(REGRESSIONS / "tables_parquet" / "out_of_range_datetime.parquet"), ReadOptions())
    assert out.comments is not None and out.comments.height == 7
    assert out.comments["created_at"].null_count() == 6
    (issue,) = [i for i in out.issues if i.code == "unparsed-timestamp"]
    assert issue.detail.startswith("6 timestamps could not be parsed")
    # Every unit and Date: in-range values kept, the year 10000 and beyond dropped.
    for dtype in (pl.Datetime("ns"), pl.Datetime("us"), pl.Datetime("ms", "Europe/Berlin"), pl.Date):
        stamps = pl.Series([datetime(2021, 7, 16, 18, 5), None], dtype=pl.Datetime("us")).cast(dtype)
        if dtype != pl.Datetime("ns"):
            physical, huge = (pl.Int32, 2**30) if dtype == pl.Date else (pl.Int64, 2**62)
            stamps = pl.concat([stamps, pl.Series([huge], dtype=physical).cast(dtype)])
        frame = pl.DataFrame(
            {"comment_id": [str(i) for i in range(len(stamps))], "parent_id": None, "text": "x", "created_at": stamps}
        )
        frame.write_parquet(tmp_path / "t.parquet")
        got = tables.read(Source(tmp_path / "t.parquet"), ReadOptions()).comments
        assert got is not None
        assert got["created_at"][0] is not None and got["created_at"][1] is None
        if len(stamps) == 3:
            assert got["created_at"][2] is None


def test_binary_text_columns_are_decoded_and_bad_bytes_reported() -> None:
    from analyzer.ingest import tables
    from analyzer.ingest.base import ReadOptions, Source

    out = tables.read(Source(REGRESSIONS / "tables_parquet" / "binary_invalid_utf8.parquet"), ReadOptions())
    assert out.comments is not None and out.comments.height == 7
    authors = out.comments["author"].to_list()
    assert authors[:2] == ["Hanna", "Jonas"] and authors[4] is not None and authors[4].endswith("\ufffdin")
    (issue,) = [i for i in out.issues if i.code == "invalid-utf8"]
    assert issue.detail.startswith("column 'author': 2 cells are not valid UTF-8")
