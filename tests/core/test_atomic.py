"""The folder swap primitive: exchange, fallback, clean-up of debris, recovery."""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer.core import atomic

HAS_EXCHANGE = atomic._renameat2() is not None and sys.platform.startswith("linux")


def make_folder(path: Path, **files: str) -> Path:
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


def contents(path: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(path.iterdir())}


def exchange_works(tmp_path: Path) -> bool:
    a = make_folder(tmp_path / "probe-a")
    b = make_folder(tmp_path / "probe-b")
    ok = atomic.exchange(a, b)
    a.rmdir()
    b.rmdir()
    return ok


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    if not HAS_EXCHANGE or not exchange_works(tmp_path):
        pytest.skip("no renameat2(RENAME_EXCHANGE) on this system or file system")
    a = make_folder(tmp_path / "a", x="from a")
    b = make_folder(tmp_path / "b", y="from b")
    assert atomic.exchange(a, b) is True
    assert contents(a) == {"y": "from b"}
    assert contents(b) == {"x": "from a"}


def test_exchange_reports_a_missing_path_as_an_os_error(tmp_path: Path) -> None:
    if not HAS_EXCHANGE:
        pytest.skip("no renameat2 on this system")
    a = make_folder(tmp_path / "a")
    with pytest.raises(FileNotFoundError):
        atomic.exchange(a, tmp_path / "absent")
    assert a.is_dir()


@pytest.mark.skipif(platform.machine().lower() not in atomic._SYS_RENAMEAT2 or not sys.platform.startswith("linux"),
                    reason="raw renameat2 syscall number known for x86_64 / aarch64 / riscv64 Linux only")
def test_raw_syscall_fallback_exchanges_like_the_libc_wrapper(tmp_path: Path) -> None:
    if not exchange_works(tmp_path):
        pytest.skip("the file system cannot exchange")
    call = atomic._syscall_renameat2(ctypes.CDLL(None, use_errno=True),
                                     atomic._SYS_RENAMEAT2[platform.machine().lower()])
    a = make_folder(tmp_path / "a", x="1")
    b = make_folder(tmp_path / "b", y="2")
    assert call(os.fsencode(a), os.fsencode(b), atomic.RENAME_EXCHANGE) == 0
    assert contents(a) == {"y": "2"}


@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP])
def test_exchange_answers_false_when_the_file_system_cannot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            code: int) -> None:
    def refuse(_old: bytes, _new: bytes, _flags: int) -> int:
        ctypes.set_errno(code)
        return -1

    monkeypatch.setattr(atomic, "_renameat2", lambda: refuse)
    assert atomic.exchange(make_folder(tmp_path / "a"), make_folder(tmp_path / "b")) is False


def test_exchange_answers_false_without_renameat2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "_renameat2", lambda: None)
    assert atomic.exchange(make_folder(tmp_path / "a"), make_folder(tmp_path / "b")) is False


def hidden(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))


def test_first_write_is_a_plain_rename(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    tmp = atomic.make_temp_folder(dest)
    (tmp / "f").write_text("new", encoding="utf-8")
    atomic.replace_folder(tmp, dest)
    assert contents(dest) == {"f": "new"}
    assert hidden(tmp_path) == []


@pytest.mark.parametrize("mode", ["exchange", "two-renames"])
def test_replace_puts_the_new_folder_in_place_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    if mode == "two-renames":
        monkeypatch.setattr(atomic, "exchange", lambda _a, _b: False)
    dest = make_folder(tmp_path / "out", f="old", only_old="x")
    tmp = atomic.make_temp_folder(dest)
    (tmp / "f").write_text("new", encoding="utf-8")
    atomic.replace_folder(tmp, dest)
    assert contents(dest) == {"f": "new"}
    assert hidden(tmp_path) == []
    assert str(tmp) not in atomic._LOCKS


def test_interrupted_second_rename_puts_the_old_folder_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "exchange", lambda _a, _b: False)
    dest = make_folder(tmp_path / "out", f="old")
    tmp = atomic.make_temp_folder(dest)
    real_rename = os.rename

    def interrupted(src: str | Path, dst: str | Path) -> None:
        if Path(src) == tmp:
            raise KeyboardInterrupt
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.replace_folder(tmp, dest)
    assert contents(dest) == {"f": "old"}
    assert not any(".old-" in name for name in hidden(tmp_path))


def test_replacing_a_symlink_replaces_the_link_not_its_target(tmp_path: Path) -> None:
    target = make_folder(tmp_path / "elsewhere", keep="me")
    dest = tmp_path / "out"
    dest.symlink_to(target, target_is_directory=True)
    tmp = atomic.make_temp_folder(dest)
    (tmp / "f").write_text("new", encoding="utf-8")
    atomic.replace_folder(tmp, dest)
    assert not dest.is_symlink()
    assert contents(dest) == {"f": "new"}
    assert contents(target) == {"keep": "me"}


def test_remove_stale_deletes_only_unlocked_folders_of_our_shape(tmp_path: Path) -> None:
    dest = make_folder(tmp_path / "out", f="current")
    debris = [make_folder(tmp_path / ".out.tmp-abcd_123", half="x"), make_folder(tmp_path / ".out.old-zz99zz99")]
    live = atomic.make_temp_folder(dest)  # locked by this process: a writer at work
    precious = make_folder(tmp_path / "precious", keep="me")
    not_ours = [
        make_folder(tmp_path / ".out.tmp-mine"),  # not mkdtemp's 8 characters
        make_folder(tmp_path / ".out.tmp-abcdefgh.bak"),
        make_folder(tmp_path / ".other.tmp-abcdefgh"),  # another destination's
        make_folder(tmp_path / "out.tmp-abcdefgh"),  # not hidden
        tmp_path / ".out.old-linklink",
    ]
    not_ours[-1].symlink_to(precious, target_is_directory=True)
    (tmp_path / ".out.old-filefile").write_text("a file, not a folder", encoding="utf-8")

    removed = atomic.remove_stale(dest)

    assert sorted(removed) == sorted(debris)
    assert not any(p.exists() for p in debris)
    assert live.is_dir() and all(os.path.lexists(p) for p in not_ours)
    assert contents(precious) == {"keep": "me"}
    assert (tmp_path / ".out.old-filefile").is_file()
    assert contents(dest) == {"f": "current"}
    atomic.discard_temp_folder(live)
    assert not live.exists() and str(live) not in atomic._LOCKS


@pytest.mark.skipif(sys.platform == "win32", reason="no flock on this system")
def test_a_writer_killed_by_sigkill_releases_its_temporary_folder(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    code = (
        "import sys, time; from pathlib import Path; from analyzer.core import atomic\n"
        "print(atomic.make_temp_folder(Path(sys.argv[1])), flush=True); time.sleep(600)\n"
    )
    with subprocess.Popen([sys.executable, "-c", code, str(dest)], stdout=subprocess.PIPE, text=True) as child:
        try:
            assert child.stdout is not None
            folder = Path(child.stdout.readline().strip())
            assert atomic.remove_stale(dest) == []  # alive: its folder is a work in progress
            assert folder.is_dir()
        finally:
            child.kill()  # SIGKILL: no clean-up code of the child runs
    assert atomic.remove_stale(dest) == [folder]
    assert not folder.exists()


def test_recover_finds_the_old_folder_only_when_dest_is_missing(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    make_folder(tmp_path / ".out.tmp-aaaaaaaa", complete="yes")  # a new folder never moved: not a survivor
    old = make_folder(tmp_path / ".out.old-bbbbbbbb", complete="yes")
    make_folder(tmp_path / ".out.old-cccccccc")  # debris that `accept` refuses

    def is_complete(path: Path) -> bool:
        return (path / "complete").is_file()

    assert atomic.recover(dest, is_complete) == old
    assert atomic.recover(dest, lambda _p: False) is None
    dest.mkdir()
    assert atomic.recover(dest, is_complete) is None
