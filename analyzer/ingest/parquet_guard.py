"""Decode a Parquet file once in a child process before this process touches it.

A corrupt Parquet page can make polars *abort the process* (a fuzz finding: a def-level run
length asks for 2**61 bytes, Rust's allocator gives up and calls ``abort()``; see
``tests/fuzz/regressions/tables_parquet/huge_alloc_abort.parquet``).  No Python ``except``
runs on an abort, so a reader cannot catch it.  :func:`check_parquet` therefore has every
page of the file decoded by a helper process (streaming, bounded memory, an address-space
limit and a timeout) and turns a helper that dies into a one-line
:class:`~analyzer.core.errors.FormatError`.  Only a file the helper decoded completely is then
read in this process.

Why a full decode and not the footer only: the abort happens while decoding a data page's
validity (definition levels); the footer and the page headers are sound, so only decoding
every page the reader will decode catches it.  The helper decodes all columns because the
table reader loads all columns.

The helper is one long-lived ``python -c`` process per analyzer process (POSIX), started on
first use and fed one path per request, so a check costs one streaming decode and not also a
Python start and a polars import (~0.13 s).  It exits when idle for :data:`IDLE_EXIT_S` or
when this process closes its stdin (exit); a helper that crashed on a file is replaced by a
fresh one on the next request.  Elsewhere a fresh child runs per file.

Verified files are remembered for the life of the process, keyed by path, size, inode, file
times and (for files up to 1 MiB) a hash of the bytes, so reading a file twice checks it once; files this process wrote itself
(the chunked runner's slices) can be registered with :func:`mark_checked`.

Example:
    >>> check_parquet(Path("comments.parquet"))  # doctest: +SKIP
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

from analyzer.core.errors import FormatError, UnreadableInputError

__all__ = ["CRASHED", "IDLE_EXIT_S", "check_parquet", "mark_checked", "memory_limit_bytes", "timeout_seconds"]

# The words of the error issue #8 asks for; tests match on them.
CRASHED = "a corrupt or unreadable Parquet file (the Parquet reader crashed on it"

# Seconds a helper waits for the next path before it exits and frees its memory.
IDLE_EXIT_S = 30.0

# The helper's code.  It limits its address space first (before polars maps anything), then
# streams each file into an IPC sink on the null device, so memory stays bounded by a few
# row groups whatever the file size.  Not ``collect_batches()``: in polars 2.1 a panic in its
# decoder thread just ends the batches early (page_offset_panic.parquet yields 0 of 7 rows,
# no exception), so the check would pass a file whose real read then fails; a sink propagates
# the panic and costs the same (0.15 s for 1M rows, 22 MB).  Python-level failures are
# replies ({"kind", "message"}); an abort or a signal ends the process.  SIGINT is ignored: a
# Ctrl-C reaches the whole process group, and the parent decides what it means.
_HELPER = r"""
import json, os, select, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
limit, idle, once = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
if limit > 0:
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass  # no address-space limit here (Windows); the timeout still holds
import polars as pl
def first_line(exc):
    return (str(exc).strip().split("\n", 1)[0] or type(exc).__name__)[:200]
def decode(path):
    try:
        pl.scan_parquet(path).sink_ipc(os.devnull)
        return {"kind": "ok"}
    except OSError as exc:
        return {"kind": "oserror", "message": exc.strerror or first_line(exc)}
    except pl.exceptions.PolarsError as exc:
        return {"kind": "error", "message": first_line(exc)}
    except BaseException as exc:
        return {"kind": type(exc).__name__, "message": first_line(exc)}
if once:
    sys.stdout.write(json.dumps(decode(once[0])) + "\n")
    sys.exit(0)
stdin = sys.stdin.buffer
while True:
    if not select.select([stdin], [], [], idle)[0]:
        sys.exit(0)
    line = stdin.readline()
    if not line:
        sys.exit(0)
    sys.stdout.write(json.dumps(decode(json.loads(line))) + "\n")
    sys.stdout.flush()
"""

_Key = tuple[str, int, int, int, int, str]
_checked: set[_Key] = set()
# Files up to this size are also keyed by a hash of their bytes: file times tick in jiffies
# on many file systems, and the fuzzer rewrites one small scratch file with same-sized
# inputs many times a second, so (size, mtime) alone could pass a corrupt input as checked.
# Hashing 1 MiB costs about a millisecond; a larger file cannot be rewritten within a tick.
_HASH_MAX_BYTES = 1 << 20
_lock = threading.Lock()

# The helper's address-space limit is never below this: Python + polars reserve about 1.4 GB
# of virtual memory to decode a 1M-row file (VmPeak measured on a 22 MB synth corpus) while
# their resident memory stays near 200 MB.
_MIN_MEMORY_LIMIT = 4 << 30
# Timeout: generous startup allowance plus a decode rate far below a slow disk's (a timeout
# means a hang, not a slow machine).
_BASE_TIMEOUT_S = 60.0
_MIN_BYTES_PER_S = 5_000_000


def memory_limit_bytes() -> int:
    """The helper's address-space limit: the machine's physical memory, at least 4 GiB.

    A file that needs more than the machine has could not be read in this process either;
    an allocation beyond the limit fails in the helper (which then aborts) instead of
    swapping or invoking the OOM killer here.
    """
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        physical = 0
    return max(_MIN_MEMORY_LIMIT, int(physical))


def timeout_seconds(size_bytes: int) -> float:
    """Seconds the helper may take for a file of ``size_bytes`` before it counts as hung."""
    return _BASE_TIMEOUT_S + size_bytes / _MIN_BYTES_PER_S


def _key(path: Path) -> _Key | None:
    try:
        st = path.stat()
        digest = ""
        if st.st_size <= _HASH_MAX_BYTES:
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return None
    return (str(path.resolve()), st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns, digest)


def mark_checked(path: Path) -> None:
    """Record ``path`` (as it is now) as safe to read, e.g. a file polars itself just wrote."""
    key = _key(path)
    if key is not None:
        with _lock:
            _checked.add(key)


def _argv(limit: int, *once: str) -> list[str]:
    # -P: a module in the working folder must not shadow polars in the helper.
    return [sys.executable, "-P", "-c", _HELPER, str(limit), str(IDLE_EXIT_S), *once]


def _env() -> dict[str, str]:
    # RUST_BACKTRACE=0 keeps a crash's stderr to its cause line; the rest is inherited (a
    # polars found through PYTHONPATH stays found).
    return {**os.environ, "RUST_BACKTRACE": "0", "POLARS_VERBOSE": "0"}


class _Died(Exception):
    """The helper ended without replying: exit status and what it wrote to stderr."""

    def __init__(self, returncode: int, stderr: str) -> None:
        super().__init__(returncode, stderr)
        self.returncode = returncode
        self.stderr = stderr


class _Helper:
    """One long-lived helper process and its pipes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        # stderr goes to a file, not a pipe: polars prints panics there, and a full pipe
        # nobody reads would block the helper.
        self.errors: IO[bytes] = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            _argv(limit), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, env=_env(),
        )
        self.pending = b""

    def ask(self, path: Path, timeout_s: float) -> dict[str, Any]:
        """Send one path, wait for the reply.

        Raises:
            _Died: the helper ended before replying.
            TimeoutError: no reply within ``timeout_s``.
        """
        errors_from = os.fstat(self.errors.fileno()).st_size
        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None and stdout is not None  # noqa: S101 - both are pipes
        try:
            stdin.write(json.dumps(str(path)).encode("utf-8") + b"\n")
            stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._died(errors_from) from None
        deadline = time.monotonic() + timeout_s
        fd = stdout.fileno()
        while b"\n" not in self.pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            if not select.select([fd], [], [], remaining)[0]:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise self._died(errors_from)
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b"\n")
        reply: dict[str, Any] = json.loads(line)
        return reply

    def _died(self, errors_from: int) -> _Died:
        returncode = self.close()
        self.errors.seek(errors_from)
        stderr = self.errors.read(64 * 1024).decode("utf-8", "replace")
        return _Died(returncode, stderr)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> int:
        """End the helper (closing its stdin lets it exit by itself) and reap it."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        try:
            returncode = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            returncode = self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        return returncode


_helper: _Helper | None = None
# select() works on pipes on POSIX only; elsewhere each check starts a fresh child.
_USE_HELPER = sys.platform != "win32"


def _close_helper() -> None:
    global _helper
    if _helper is not None:
        _helper.close()
        _helper.errors.close()
        _helper = None


def _forget_helper_after_fork() -> None:
    # A forked child shares the parent's pipes: two processes talking to one helper would
    # mix their replies.  The child starts its own helper when it needs one; the lock may
    # have been held by a parent thread at the fork.
    global _helper, _lock
    _helper = None
    _lock = threading.Lock()


atexit.register(_close_helper)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_helper_after_fork)


def _decode_in_helper(path: Path, limit: int, timeout_s: float) -> dict[str, Any]:
    """Decode ``path`` in the long-lived helper; call with ``_lock`` held."""
    global _helper
    for attempt in (1, 2):
        if _helper is None or _helper.limit != limit or not _helper.alive():
            _close_helper()
            _helper = _Helper(limit)
        try:
            return _helper.ask(path, timeout_s)
        except TimeoutError:
            _helper.proc.kill()
            _close_helper()
            raise
        except _Died as died:
            _close_helper()
            # Status 0 without a reply: the helper's idle exit crossed our request. Retry once.
            if died.returncode == 0 and attempt == 1:
                continue
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def _decode_once(path: Path, limit: int, timeout_s: float) -> dict[str, Any]:
    """Decode ``path`` in a fresh child (platforms without ``select`` on pipes)."""
    try:
        done = subprocess.run(
            _argv(limit, str(path)), capture_output=True, timeout=timeout_s, check=False, env=_env(),
        )
    except subprocess.TimeoutExpired:
        raise TimeoutError from None
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 or not done.stdout.strip():
        raise _Died(done.returncode, stderr)
    reply: dict[str, Any] = json.loads(done.stdout)
    return reply


def _describe_death(died: _Died) -> str:
    if died.returncode < 0:
        try:
            how = signal.Signals(-died.returncode).name
        except ValueError:
            how = f"signal {-died.returncode}"
    else:
        how = f"exit status {died.returncode}"
    # The first stderr line that is not backtrace furniture names the cause, e.g. Rust's
    # "memory allocation of 2305843009213693944 bytes failed".
    lines = [ln.strip() for ln in died.stderr.splitlines() if ln.strip()]
    cause = next((ln for ln in lines if "backtrace" not in ln.lower()), "")
    return f"{how}: {cause[:160]}" if cause else how


def check_parquet(path: Path, *, timeout_s: float | None = None, memory_limit: int | None = None) -> None:
    """Raise a one-line InputError unless a helper process can decode all of ``path``.

    Args:
        path: the Parquet file.
        timeout_s: seconds before the helper counts as hung (default :func:`timeout_seconds`).
        memory_limit: the helper's address-space limit in bytes (default
            :func:`memory_limit_bytes`; 0 = none).

    Raises:
        FormatError: the helper crashed, was killed, ran out of time, or polars raised on the
            file (the message is then worded as an in-process read would word it).
        UnreadableInputError: the file cannot be opened.
    """
    key = _key(path)
    if key is None:
        raise UnreadableInputError(path, "a readable file", found="no such file")
    limit = memory_limit_bytes() if memory_limit is None else memory_limit
    seconds = timeout_seconds(key[1]) if timeout_s is None else timeout_s
    decode = _decode_in_helper if _USE_HELPER else _decode_once
    with _lock:
        if key in _checked:
            return
        try:
            reply = decode(path, limit, seconds)
        except TimeoutError:
            raise FormatError(
                path, "a valid Parquet file",
                found=f"a corrupt or unreadable Parquet file (the Parquet reader did not finish within {seconds:.0f} s)",
            ) from None
        except _Died as died:
            raise FormatError(path, "a valid Parquet file", found=f"{CRASHED}: {_describe_death(died)})") from None
        kind, message = reply.get("kind"), str(reply.get("message") or reply.get("kind"))
        if kind == "ok":
            _checked.add(key)
            return
    if kind == "oserror":
        raise UnreadableInputError(path, "a readable file", found=message)
    if kind == "error":
        raise FormatError(path, "a Parquet file", found=message)
    # PanicException and the like: polars failed on corrupt data but did not crash.
    raise FormatError(path, "a valid Parquet file", found=f"corrupt data ({message})")
