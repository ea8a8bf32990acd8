"""The child-process check that keeps a corrupt Parquet file from aborting the process (issue #8)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from analyzer.core.errors import FormatError, UnreadableInputError
from analyzer.ingest import parquet_guard, tables
from analyzer.ingest.base import ReadOptions, Source
from analyzer.ingest.parquet_guard import CRASHED, check_parquet, mark_checked
from tests.conftest import HANG_LIMIT_S

ROOT = Path(__file__).resolve().parents[2]
REGRESSIONS = ROOT / "tests" / "fuzz" / "regressions" / "tables_parquet"
ABORTS = REGRESSIONS / "huge_alloc_abort.parquet"  # polars 2.1 aborts on it (2**61-byte allocation)
PANICS = REGRESSIONS / "page_offset_panic.parquet"
GOOD = ROOT / "fixtures" / "de_parquet" / "input.parquet"


@pytest.fixture(autouse=True)
def forget_checked_files() -> None:
    parquet_guard._checked.clear()  # noqa: SLF001 - each test starts without the cache


def _copy(src: Path, tmp_path: Path, name: str = "input.parquet") -> Path:
    dest = tmp_path / name
    shutil.copyfile(src, dest)
    return dest


def test_reader_turns_the_abort_into_a_clean_error_and_this_process_survives(tmp_path: Path) -> None:
    path = _copy(ABORTS, tmp_path)
    with pytest.raises(FormatError) as caught:
        tables.read(Source(path), ReadOptions())
    message = str(caught.value)
    assert message.startswith(f"{path}: expected a valid Parquet file, found {CRASHED}: ")
    assert "SIGABRT" in message
    assert "\n" not in message


def test_polars_errors_in_the_child_are_worded_as_an_in_process_read_words_them(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"expected a valid Parquet file, found corrupt data \("):
        check_parquet(_copy(PANICS, tmp_path))
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"PAR1 this is not really parquet")
    with pytest.raises(FormatError, match="expected a Parquet file, found ") as caught:
        check_parquet(junk)
    assert CRASHED not in str(caught.value)


def _refuse(*args: object, **kwargs: object) -> dict[str, Any]:
    raise AssertionError("a file known to be sound was decoded again")


def test_a_valid_file_passes_once_and_is_not_checked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _copy(GOOD, tmp_path)
    check_parquet(path)
    monkeypatch.setattr(parquet_guard, "_decode_in_helper", _refuse)
    monkeypatch.setattr(parquet_guard, "_decode_once", _refuse)
    check_parquet(path)
    out = tables.read(Source(path), ReadOptions())
    assert out.comments is not None and out.comments.height == 7


def test_a_file_changed_after_its_check_is_checked_again(tmp_path: Path) -> None:
    path = _copy(GOOD, tmp_path)
    check_parquet(path)
    shutil.copyfile(ABORTS, path)
    os.utime(path, ns=(1, 1))  # a different mtime even on coarse-clock file systems
    with pytest.raises(FormatError, match="crashed"):
        check_parquet(path)


def test_a_small_file_rewritten_with_the_same_size_and_times_is_checked_again(tmp_path: Path) -> None:
    # The fuzzer rewrites one scratch file with same-sized inputs many times a second, and file
    # times may not move within a tick: the bytes must count too.
    path = _copy(GOOD, tmp_path)
    check_parquet(path)
    stat = path.stat()
    corrupt = ABORTS.read_bytes()
    assert len(corrupt) == stat.st_size  # one byte of the fixture differs
    path.write_bytes(corrupt)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(FormatError, match="crashed on it"):
        check_parquet(path)


def test_marked_files_skip_the_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _copy(GOOD, tmp_path)
    mark_checked(path)
    monkeypatch.setattr(parquet_guard, "_decode_in_helper", _refuse)
    monkeypatch.setattr(parquet_guard, "_decode_once", _refuse)
    check_parquet(path)


@pytest.mark.skipif(not parquet_guard._USE_HELPER, reason="the long-lived helper is POSIX only")  # noqa: SLF001
def test_one_helper_serves_many_files_and_a_crashed_one_is_replaced(tmp_path: Path) -> None:
    check_parquet(_copy(GOOD, tmp_path, "a.parquet"))
    helper = parquet_guard._helper  # noqa: SLF001
    assert helper is not None
    check_parquet(_copy(GOOD, tmp_path, "b.parquet"))
    assert parquet_guard._helper is helper  # noqa: SLF001
    with pytest.raises(FormatError, match="SIGABRT"):
        check_parquet(_copy(ABORTS, tmp_path))
    assert parquet_guard._helper is None  # noqa: SLF001
    assert helper.proc.returncode == -6  # reaped, not left a zombie
    check_parquet(_copy(GOOD, tmp_path, "c.parquet"))
    assert parquet_guard._helper is not None and parquet_guard._helper is not helper  # noqa: SLF001


@pytest.mark.skipif(not parquet_guard._USE_HELPER, reason="the long-lived helper is POSIX only")  # noqa: SLF001
def test_a_helper_that_left_on_idle_as_the_request_came_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    parquet_guard._close_helper()  # noqa: SLF001 - the next helper starts with the short idle time
    monkeypatch.setattr(parquet_guard, "IDLE_EXIT_S", 0.05)
    check_parquet(_copy(GOOD, tmp_path, "a.parquet"))
    helper = parquet_guard._helper  # noqa: SLF001
    assert helper is not None
    helper.proc.wait(timeout=HANG_LIMIT_S)  # it leaves by itself, with status 0
    assert helper.proc.returncode == 0
    # Pretend the exit had not been noticed yet: the request meets a closed pipe.
    monkeypatch.setattr(parquet_guard._Helper, "alive", lambda self: True)  # noqa: SLF001
    check_parquet(_copy(GOOD, tmp_path, "b.parquet"))
    assert parquet_guard._helper is not helper  # noqa: SLF001


@pytest.mark.parametrize("source", [GOOD, ABORTS, PANICS], ids=["good", "aborts", "panics"])
def test_the_one_child_per_file_path_gives_the_same_answers(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _copy(source, tmp_path)

    def outcome() -> str:
        parquet_guard._checked.clear()  # noqa: SLF001
        try:
            check_parquet(path)
        except FormatError as exc:
            return str(exc).split("(", 1)[0]
        return "ok"

    with_helper = outcome()
    monkeypatch.setattr(parquet_guard, "_USE_HELPER", False)
    assert outcome() == with_helper


def test_a_child_that_does_not_finish_in_time_is_an_error(tmp_path: Path) -> None:
    # No Python starts and imports polars within a millisecond: the timeout path, without
    # sleeping.  The helper is closed first: a warm one decodes this small file that fast.
    parquet_guard._close_helper()  # noqa: SLF001
    with pytest.raises(FormatError, match=r"did not finish within 0 s"):
        check_parquet(_copy(GOOD, tmp_path), timeout_s=0.001)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS is POSIX")
def test_a_child_over_its_memory_limit_is_reported_as_a_crash(tmp_path: Path) -> None:
    # 32 MB of address space cannot even hold polars: the child dies, whatever the reason.
    with pytest.raises(FormatError, match="crashed on it"):
        check_parquet(_copy(GOOD, tmp_path), memory_limit=32 << 20)


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError, match="no such file"):
        check_parquet(tmp_path / "absent.parquet")


def test_limits_scale_sensibly() -> None:
    assert parquet_guard.memory_limit_bytes() >= 4 << 30
    assert parquet_guard.timeout_seconds(0) == 60.0
    assert parquet_guard.timeout_seconds(5_000_000_000) == 1060.0


def test_chunked_planning_checks_its_input(tmp_path: Path) -> None:
    from analyzer.chunked import plan_chunks

    with pytest.raises(FormatError, match="crashed on it"):
        plan_chunks(_copy(ABORTS, tmp_path), 100)


def test_cli_analyse_of_a_corrupt_parquet_exits_2_with_one_line(tmp_path: Path) -> None:
    path = _copy(ABORTS, tmp_path, "corrupt.parquet")
    # A child process: if the guard ever regressed, the abort would take this one down, not pytest.
    done = subprocess.run(
        [sys.executable, "-m", "analyzer.cli", "analyse", str(path), "--out", str(tmp_path / "run")],
        capture_output=True, text=True, check=False, timeout=300, env={**os.environ, "RUST_BACKTRACE": "0"},
    )
    assert done.returncode == 2, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"analyzer: error: {path}: expected a valid Parquet file, found {CRASHED}")
    assert not (tmp_path / "run").exists()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_starts_its_own_helper(tmp_path: Path) -> None:
    path = _copy(GOOD, tmp_path)
    check_parquet(path)
    parent_helper = parquet_guard._helper  # noqa: SLF001
    assert parent_helper is not None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report whether it inherited the parent's helper, then leave at once
        os.close(read_end)
        os.write(write_end, b"inherited" if parquet_guard._helper is not None else b"fresh")  # noqa: SLF001
        os._exit(0)
    os.close(write_end)
    answer = os.read(read_end, 100)
    os.close(read_end)
    os.waitpid(pid, 0)
    assert answer == b"fresh"
    assert parquet_guard._helper is parent_helper and parent_helper.alive()  # noqa: SLF001
