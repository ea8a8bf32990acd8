"""Killing `analyse` or `report` at any moment leaves the previous run and report intact (issue #8).

Two kinds of test:

- Every window of the folder swap, hit deterministically: a child process replaces a run
  folder and dies (``os._exit``, as abrupt as SIGKILL) exactly between two steps.
- The real commands killed with SIGKILL at seeded random moments spread over their whole
  duration (measured once per test), over an existing previous run or report.

After each kill the folder must be a complete, readable run (report) equal to EITHER the
previous one or the new one, file by file; and the next successful write must leave no
hidden debris beside it.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from analyzer.core import atomic
from analyzer.core.errors import RunFolderError
from analyzer.core.hashing import file_sha256
from analyzer.core.run import MANIFEST, read_run
from analyzer.pipeline import analyse
from tests.conftest import HANG_LIMIT_S, ROOT

PAGE = ROOT / "fixtures" / "de_sample_page" / "input.txt"
OTHER_PAGE = ROOT / "fixtures" / "de_deep_chain" / "input.txt"
CLI = [sys.executable, "-c", "import sys; from analyzer.cli import main; sys.exit(main())"]
# Fields that differ between two writes of the same content.
VOLATILE = frozenset({"created_at", "timings_s", "generated_at"})

Fingerprint = dict[str, str]


def fingerprint(folder: Path) -> Fingerprint:
    """sha256 of every file under ``folder``; the manifest without its volatile fields."""
    found: Fingerprint = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name == MANIFEST:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            found[name] = json.dumps({k: v for k, v in manifest.items() if k not in VOLATILE}, sort_keys=True)
        else:
            found[name] = file_sha256(path)
    return found


def check_run(run_dir: Path, old: Fingerprint, new: Fingerprint) -> str:
    """Assert ``run_dir`` is a complete readable run equal to ``old`` or ``new``; say which."""
    run = read_run(run_dir)
    for name, entry in run.manifest["files"].items():
        assert file_sha256(run.path / name) == entry["sha256"], f"{name} is not the file the manifest lists"
        assert run.frame(name).height == entry["rows"]
    return which(fingerprint(run.path), old, new)


def check_report(report_dir: Path, old: Fingerprint, new: Fingerprint) -> str:
    """Assert ``report_dir`` is a complete report equal to ``old`` or ``new``; say which."""
    manifest = json.loads((report_dir / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["complete"] is True and manifest["kind"] == "analyzer-report"
    for name, entry in manifest["files"].items():
        assert file_sha256(report_dir / name) == entry["sha256"], f"{name} is not the file the manifest lists"
        if name.endswith(".parquet"):
            pl.read_parquet(report_dir / name)
    assert (report_dir / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    return which(fingerprint(report_dir), old, new)


def which(found: Fingerprint, old: Fingerprint, new: Fingerprint) -> str:
    assert old != new, "the test needs distinguishable old and new contents"
    if found == old:
        return "old"
    assert found == new, f"neither the previous nor the new folder: {diff(found, old, new)}"
    return "new"


def diff(found: Fingerprint, old: Fingerprint, new: Fingerprint) -> str:
    def names(ref: Fingerprint) -> list[str]:
        return sorted(k for k in found.keys() | ref.keys() if found.get(k) != ref.get(k))

    return f"differs from the previous in {names(old)}, from the new in {names(new)}"


def hidden_debris(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def restore(folder: Path, pristine: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(pristine, folder)


# --- every window of the swap, deterministically -------------------------------------------

# The child replaces DEST by TMP with the real code and dies at WINDOW: the step's own
# function is wrapped so the kill lands right after (or inside) it.
CHILD = r"""
import os, shutil, sys
from pathlib import Path
from analyzer.core import atomic

dest, tmp, window, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]

def die(*_args, **_kwargs):
    os._exit(137)

def delete_one_file_then_die(path, *_args, **_kwargs):
    files = sorted(p for p in Path(path).rglob("*") if p.is_file())
    if files:
        files[0].unlink()
    die()

real_exchange, real_rename, real_remove_stale = atomic.exchange, os.rename, atomic.remove_stale
if mode == "two-renames":
    atomic.exchange = lambda _a, _b: False
if window == "before-move":
    atomic._move_into_place = die
elif window == "after-exchange":
    atomic.exchange = lambda a, b: real_exchange(a, b) and die()
elif window in ("after-first-rename", "after-rename-into-place"):
    def rename(src, dst):
        real_rename(src, dst)
        if (".old-" in Path(dst).name) == (window == "after-first-rename") and Path(dst).parent == dest.parent:
            die()
    os.rename = rename
elif window == "mid-remove-old":
    atomic._remove = delete_one_file_then_die
elif window == "mid-remove-stale":
    def remove_stale(d):
        atomic.shutil.rmtree = delete_one_file_then_die
        return real_remove_stale(d)
    atomic.remove_stale = remove_stale
else:
    raise SystemExit(f"unknown window {window}")
atomic.replace_folder(tmp, dest)
os._exit(3)  # the kill was expected before this point
"""

# window -> what must be at dest after the kill ("old", "new", or "none" on a first write).
WINDOWS = {
    "exchange": {"before-move": "old", "after-exchange": "new", "mid-remove-old": "new",
                 "mid-remove-stale": "new"},
    "two-renames": {"before-move": "old", "after-first-rename": "old", "after-rename-into-place": "new",
                    "mid-remove-old": "new", "mid-remove-stale": "new"},
    "first-write": {"before-move": "none", "after-rename-into-place": "new", "mid-remove-stale": "new"},
}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two small run folders of different content: the previous and the new."""
    base = tmp_path_factory.mktemp("runs")
    old_table = base / "old.csv"
    old_table.write_text("article_id,comment_id,parent_id,text\nx,1,,alt\nx,2,1,antwort\n", encoding="utf-8")
    new_table = base / "new.csv"
    new_table.write_text("article_id,comment_id,parent_id,text\ny,1,,neu\ny,2,1,ja\ny,3,,nein\n", encoding="utf-8")
    analyse([old_table], out=base / "old", stages="structure")
    analyse([new_table], out=base / "new", stages="structure")
    return base / "old", base / "new"


def copy_as_temp_folder(source: Path, dest: Path) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    tmp.rmdir()
    shutil.copytree(source, tmp)
    return tmp


def exchange_supported(tmp_path: Path) -> bool:
    a, b = tmp_path / "probe-a", tmp_path / "probe-b"
    a.mkdir()
    b.mkdir()
    ok = atomic.exchange(a, b)
    a.rmdir()
    b.rmdir()
    return ok


@pytest.mark.parametrize(("mode", "window"), [(m, w) for m, ws in WINDOWS.items() for w in ws])
def test_a_kill_in_every_window_of_the_swap_leaves_the_old_or_the_new_run(
    two_runs: tuple[Path, Path], tmp_path: Path, mode: str, window: str
) -> None:
    if mode == "exchange" and not exchange_supported(tmp_path):
        pytest.skip("this system or file system cannot exchange folders atomically")
    old, new = two_runs
    old_print, new_print = fingerprint(old), fingerprint(new)
    dest = tmp_path / "run"
    if mode != "first-write":
        restore(dest, old)
    # Debris of an earlier killed writer: an unfinished new folder the clean-up must remove.
    earlier = copy_as_temp_folder(new, dest)
    (earlier / MANIFEST).unlink()
    tmp = copy_as_temp_folder(new, dest)

    child = subprocess.run([*CLI[:1], "-c", CHILD, str(dest), str(tmp), window,
                            "two-renames" if mode == "two-renames" else "exchange"],
                           capture_output=True, text=True, timeout=HANG_LIMIT_S, check=False)

    assert child.returncode == 137, child.stderr
    expected = WINDOWS[mode][window]
    if expected == "none":
        with pytest.raises(RunFolderError, match="no such run folder"):
            read_run(dest)
    else:
        assert check_run(dest, old_print, new_print) == expected
    if window == "after-first-rename":
        assert not dest.exists()  # the one window without dest: read_run found the survivor
        assert ".old-" in read_run(dest).path.name

    # The next successful write puts the new run in place and clears what the kill left.
    atomic.replace_folder(copy_as_temp_folder(new, dest), dest)
    assert check_run(dest, old_print, new_print) == "new"
    assert hidden_debris(dest) == []


# --- the real commands, killed at random moments -------------------------------------------


@dataclass
class Outcome:
    """How one run of a command ended (times in seconds from its start)."""

    exit_code: int | None  # None: killed
    elapsed: float
    temp_seen_at: float | None  # when its hidden temporary folder first appeared


def temp_folders(folder: Path) -> set[str]:
    return {p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}.tmp-")}


def run_and_kill(cmd: list[str], folder: Path, *, kill_at: float | None = None,
                 after_temp: bool = False) -> Outcome:
    """Run ``cmd``; SIGKILL it ``kill_at`` seconds after its start (or after its temporary folder
    appears, with ``after_temp``), unless it finished first.  Watches for the temporary folder
    every millisecond, which is how kills are aimed at the write phase."""
    earlier = temp_folders(folder)  # debris of previous kills is not this run's folder
    start = time.perf_counter()
    seen: float | None = None
    with subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as child:
        while True:
            now = time.perf_counter() - start
            code = child.poll()
            if code is not None:
                assert code == 0, child.stderr.read().decode() if child.stderr else code
                return Outcome(code, now, seen)
            if seen is None and temp_folders(folder) - earlier:
                seen = now
            origin = seen if after_temp else 0.0
            if kill_at is not None and origin is not None and now >= origin + kill_at:
                child.send_signal(signal.SIGKILL)
                child.wait()
                return Outcome(None, now, seen)
            assert now < HANG_LIMIT_S * 3, f"{cmd} hangs"
            time.sleep(0.001)


def kill_points(seed: int, span: float, n: int) -> list[float]:
    """``n`` moments spread over ``[0, span]``: one at random in each of ``n`` equal slices."""
    rng = random.Random(seed)
    return [(i + rng.random()) / n * span for i in range(n)]


def kill_repeatedly(cmd: list[str], folder: Path, pristine: Path, check: Callable[[Path, Fingerprint], str],
                    *, seed: int, n_spread: int, n_write: int, cheap: bool = True) -> Counter[str]:
    """Run ``cmd`` over copies of ``pristine`` and SIGKILL it at many moments; check after each.

    The first, unkilled run measures the command and gives the new folder to compare with.
    ``n_spread`` kills are spread over its whole duration, ``n_write`` over its write phase
    (from the appearance of its temporary folder to its exit), where the swap happens.  When
    runs are ``cheap``, a first run warms the caches (a cold run is slower, which would put
    kill points after the end of the warm ones), and a last one must leave no debris of the
    killed ones.
    """
    restore(folder, pristine)
    if cheap:
        run_and_kill(cmd, folder)
    reference = run_and_kill(cmd, folder)
    new_print = fingerprint(folder)
    write_phase = reference.elapsed - (reference.temp_seen_at or reference.elapsed - 0.05)
    plan = [(t, False) for t in kill_points(seed, reference.elapsed, n_spread)]
    plan += [(t, True) for t in kill_points(seed + 1, write_phase, n_write)]
    outcomes: Counter[str] = Counter()
    for delay, after_temp in plan:
        restore(folder, pristine)
        outcome = run_and_kill(cmd, folder, kill_at=delay, after_temp=after_temp)
        outcomes[check(folder, new_print)] += 1
        if outcome.exit_code is not None:
            outcomes["finished"] += 1
        elif outcome.temp_seen_at is not None:
            outcomes["killed writing"] += 1
        else:
            outcomes["killed before writing"] += 1
    if cheap:
        # Debris of the killed writers (their locks died with them) goes with the next success.
        run_and_kill(cmd, folder)
        assert check(folder, new_print) == "new"
        assert hidden_debris(folder) == []
    print(f"\n{cmd[3]} {' '.join(cmd[5:-3])}: {len(plan)} kill points over {reference.elapsed:.2f} s "
          f"(write phase {write_phase:.2f} s): {dict(sorted(outcomes.items()))}")
    return outcomes


@pytest.fixture(scope="module")
def previous_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished run of another page: the run the killed commands must not damage."""
    out = tmp_path_factory.mktemp("previous") / "run"
    run_and_kill([*CLI, "analyse", str(OTHER_PAGE), "--stages", "structure,links", "--out", str(out), "-q"], out)
    return out


@pytest.mark.parametrize(("stages", "n_spread", "n_write"), [
    # 20-25 s even for the cheap stages (each kill starts a process): the full suite runs it.
    pytest.param("structure,links", 10, 8, marks=pytest.mark.slow),
    # The full pipeline takes about 4 s a run on a quiet machine: few points, no clean-up run.
    pytest.param("all", 1, 2, marks=pytest.mark.slow),
])
def test_killing_analyse_leaves_the_previous_or_the_new_run(
    previous_run: Path, tmp_path: Path, stages: str, n_spread: int, n_write: int
) -> None:
    run = tmp_path / "run"
    stage_args = [] if stages == "all" else ["--stages", stages]
    cmd = [*CLI, "analyse", str(PAGE), *stage_args, "--out", str(run), "-q"]
    old_print = fingerprint(previous_run)
    outcomes = kill_repeatedly(cmd, run, previous_run, lambda f, new: check_run(f, old_print, new),
                               seed=8, n_spread=n_spread, n_write=n_write, cheap=stages != "all")
    assert outcomes["old"] + outcomes["new"] == n_spread + n_write


@pytest.mark.slow  # about 24 s: many killed report processes
def test_killing_report_leaves_the_previous_or_the_new_report(previous_run: Path, tmp_path: Path) -> None:
    new_run = tmp_path / "new-run"
    run_and_kill([*CLI, "analyse", str(PAGE), "--stages", "structure,links", "--out", str(new_run), "-q"], new_run)
    formats = ["--format", "html,parquet"]  # PNGs need a browser; the swap is the same
    previous_report = tmp_path / "previous-report"
    run_and_kill([*CLI, "report", str(previous_run), "--out", str(previous_report), *formats, "-q"],
                 previous_report)
    old_print = fingerprint(previous_report)
    report = tmp_path / "report"
    cmd = [*CLI, "report", str(new_run), *formats, "--force", "--out", str(report), "-q"]
    outcomes = kill_repeatedly(cmd, report, previous_report, lambda f, new: check_report(f, old_print, new),
                               seed=88, n_spread=8, n_write=8)
    assert outcomes["old"] + outcomes["new"] == 16
