"""Replace a whole folder so that a kill at any moment leaves the old or the new one in place.

Run folders and report folders are built under a hidden temporary name beside their
destination and then moved into place.  Moving over an existing folder is where a writer can
be killed half-way, so this module owns that step:

- On Linux, ``renameat2(..., RENAME_EXCHANGE)`` swaps the two directory entries in one system
  call: at every instant ``dest`` is either the complete old folder or the complete new one.
  The old folder, now under the temporary name, is deleted afterwards.
- Where the exchange is unsupported (other systems, or a file system that answers
  ``EINVAL``/``ENOSYS``/``EOPNOTSUPP``), two renames are used: ``dest`` to a hidden
  ``.NAME.old-XXXXXXXX``, then the new folder to ``dest``.  A kill between them leaves no
  ``dest``; :func:`recover` finds the hidden old folder so readers keep working (they read it
  where it is and never move it: a reader may lack write permission, and moving it would race
  with a writer about to rename its new folder into place).  The next successful write puts a
  folder at ``dest`` again and deletes the hidden one.

Folders that kills leave behind (``.NAME.tmp-XXXXXXXX``: an unfinished new folder or, after
an exchange, the old one awaiting deletion; ``.NAME.old-XXXXXXXX``) are removed by
:func:`remove_stale` after the next successful replacement.  Only names of exactly that shape
(``tempfile.mkdtemp``'s eight characters) are touched, and only when nobody holds their lock:
:func:`make_temp_folder` takes an exclusive ``flock`` on the folder it creates, and the kernel
drops the lock when its writer dies, even by ``SIGKILL``, so a live writer's folder is never
taken for debris.

Example:
    >>> tmp = make_temp_folder(dest)  # doctest: +SKIP
    >>> (tmp / "manifest.json").write_text("{}")  # doctest: +SKIP
    >>> replace_folder(tmp, dest)  # doctest: +SKIP
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

try:  # POSIX only; elsewhere nothing is locked and temporary folders are never cleaned up
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100
# renameat2 syscall numbers, used only when libc lacks the wrapper (glibc < 2.28, some musl).
# aarch64 and riscv64 share the asm-generic table.
_SYS_RENAMEAT2 = {"x86_64": 316, "amd64": 316, "aarch64": 276, "arm64": 276, "riscv64": 276}
# Errors meaning "this kernel or file system cannot exchange": fall back to two renames.
_UNSUPPORTED = frozenset({errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP})

Renameat2 = Callable[[bytes, bytes, int], int]  # (old, new, flags) -> 0 or -1 with errno set

_RENAMEAT2: Renameat2 | None = None
_RENAMEAT2_LOADED = False
_LOCKS: dict[str, int] = {}  # temporary folder -> fd holding its flock, for this process


def _load_renameat2() -> Renameat2 | None:
    """The libc ``renameat2`` wrapper, else the raw system call, else ``None`` (not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    wrapper = getattr(libc, "renameat2", None)
    if wrapper is not None:
        wrapper.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        wrapper.restype = ctypes.c_int

        def call_wrapper(old: bytes, new: bytes, flags: int) -> int:
            return int(wrapper(_AT_FDCWD, old, _AT_FDCWD, new, flags))

        return call_wrapper
    number = _SYS_RENAMEAT2.get(platform.machine().lower())
    if number is None:
        return None
    return _syscall_renameat2(libc, number)


def _syscall_renameat2(libc: ctypes.CDLL, number: int) -> Renameat2:
    syscall = libc.syscall
    syscall.restype = ctypes.c_long

    def call_syscall(old: bytes, new: bytes, flags: int) -> int:
        return int(syscall(ctypes.c_long(number), ctypes.c_int(_AT_FDCWD), ctypes.c_char_p(old),
                           ctypes.c_int(_AT_FDCWD), ctypes.c_char_p(new), ctypes.c_uint(flags)))

    return call_syscall


def _renameat2() -> Renameat2 | None:
    global _RENAMEAT2, _RENAMEAT2_LOADED
    if not _RENAMEAT2_LOADED:
        _RENAMEAT2, _RENAMEAT2_LOADED = _load_renameat2(), True
    return _RENAMEAT2


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step; False if the system cannot.

    Raises:
        OSError: the exchange is supported but failed (a path is missing, permissions ...).
    """
    call = _renameat2()
    if call is None:
        return False
    if call(os.fsencode(a), os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _stale_pattern(dest: Path) -> re.Pattern[str]:
    return re.compile(re.escape(f".{dest.name}.") + r"(?:tmp|old)-[a-z0-9_]{8}")


def _lock(path: Path) -> int | None:
    """An fd holding an exclusive flock on the folder ``path``, or None if someone holds it."""
    if fcntl is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _unlock(path: Path) -> None:
    fd = _LOCKS.pop(str(path), None)
    if fd is not None:
        os.close(fd)


def make_temp_folder(dest: Path) -> Path:
    """Create the hidden folder ``.NAME.tmp-XXXXXXXX`` beside ``dest``, locked by this process.

    The lock tells :func:`remove_stale` in other processes that the folder is being built;
    it is released by :func:`replace_folder` or :func:`discard_temp_folder`, or when the
    process dies.
    """
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    fd = _lock(tmp)
    if fd is not None:
        _LOCKS[str(tmp)] = fd
    return tmp


def discard_temp_folder(tmp: Path) -> None:
    """Delete an abandoned temporary folder and release its lock."""
    _unlock(tmp)
    shutil.rmtree(tmp, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    """Flush every file and folder under ``folder``: a rename must not outlive its contents
    after a power cut (ext4 orders data before renames of files, not of folders)."""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            if os.path.islink(path):
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(root))


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on folders; the data was flushed file by file
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_symlink():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def replace_folder(tmp: Path, dest: Path) -> None:
    """Move the finished folder ``tmp`` (a sibling of ``dest``) to ``dest``, replacing any folder there.

    A reader of ``dest`` finds the complete old folder or the complete new one at every
    moment when the system can exchange atomically (Linux); elsewhere there is one short
    window without ``dest``, which :func:`recover` covers.  Debris of earlier interrupted
    writes is removed afterwards (see :func:`remove_stale`).

    Args:
        tmp: the new folder, complete, in the same folder as ``dest``.
        dest: where it goes; need not exist yet.
    """
    _fsync_tree(tmp)
    try:
        _move_into_place(tmp, dest)
    finally:
        # Held until the new folder is at dest, so no other writer's clean-up takes it for
        # debris; after an exchange the lock is on the folder at dest, not on the old one.
        _unlock(tmp)
    _fsync_dir(dest.parent)
    remove_stale(dest)


def _move_into_place(tmp: Path, dest: Path) -> None:
    for _attempt in range(3):
        if not os.path.lexists(dest):
            try:
                os.rename(tmp, dest)
            except OSError as exc:
                # Another writer put a folder there meanwhile: replace it like any other.
                if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                    continue
                raise
            return
        if exchange(tmp, dest):
            _remove(tmp)  # its name now holds the old folder
            return
        _replace_by_two_renames(tmp, dest)
        return
    raise OSError(errno.EBUSY, "destination keeps changing under concurrent writers", str(dest))


def _replace_by_two_renames(tmp: Path, dest: Path) -> None:
    old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
    old.rmdir()
    # Locked before the move (the lock follows the folder), so remove_stale in another
    # process leaves it alone while this one may still need to move it back.
    fd = _lock(dest) if not dest.is_symlink() else None
    try:
        os.rename(dest, old)
        try:
            os.rename(tmp, dest)
        except BaseException:
            if not os.path.lexists(dest):
                os.rename(old, dest)  # interrupted (Ctrl-C, error): put the old folder back
            raise
    finally:
        if fd is not None:
            os.close(fd)
    _remove(old)


def stale_siblings(dest: Path) -> list[Path]:
    """Hidden ``.NAME.tmp-*`` / ``.NAME.old-*`` folders beside ``dest``, newest first."""
    pattern = _stale_pattern(dest)
    try:
        entries = list(dest.parent.iterdir())
    except OSError:
        return []
    found = [p for p in entries if pattern.fullmatch(p.name) and p.is_dir() and not p.is_symlink()]

    def modified(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    return sorted(found, key=modified, reverse=True)


def remove_stale(dest: Path) -> list[Path]:
    """Delete what killed writers left beside ``dest``; returns the folders deleted.

    A folder is deleted only if its name has the exact shape this module creates and its
    lock can be taken (no living writer holds it).  On systems without ``flock`` nothing is
    deleted: there is no way to tell a dead writer's folder from a live one's.
    """
    removed = []
    for path in stale_siblings(dest):
        fd = _lock(path)
        if fd is None:
            continue
        try:
            shutil.rmtree(path, ignore_errors=True)
        finally:
            os.close(fd)
        removed.append(path)
    return removed


def remove_stale_in(folder: Path) -> list[Path]:
    """:func:`remove_stale` for every destination in ``folder`` that left debris.

    For writers whose destinations have unique names (dated job runs), where the next write
    never goes to the same name and so would never clean up after a killed predecessor.
    """
    debris = re.compile(r"\.(.+)\.(?:tmp|old)-[a-z0-9_]{8}")
    try:
        names = {m.group(1) for p in folder.iterdir() if (m := debris.fullmatch(p.name))}
    except OSError:
        return []
    return [path for name in sorted(names) for path in remove_stale(folder / name)]


def recover(dest: Path, accept: Callable[[Path], bool]) -> Path | None:
    """Where the contents of a missing ``dest`` survive after a kill between two renames.

    Args:
        dest: a folder path that does not exist.
        accept: tells a complete folder (e.g. a finished run) from debris.

    Returns:
        The newest hidden ``.NAME.old-*`` sibling that ``accept`` takes, or None.
    """
    if os.path.lexists(dest):
        return None
    for path in stale_siblings(dest):
        if path.name.startswith(f".{dest.name}.old-") and accept(path):
            return path
    return None
