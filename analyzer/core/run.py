"""Run folders: the unit of caching, scheduling, comparison and serving.

A run folder holds one Parquet file per frame and ``manifest.json``.  Writing is atomic: the
folder is built under a hidden temporary name beside its destination and swapped into place
(:mod:`analyzer.core.atomic`), and the manifest (written last, with ``"complete": true``) is what
:func:`read_run` checks, so an interrupted write never leaves a folder that ``read_run``
accepts, and a writer killed at any moment leaves the previous run readable: at its path, or,
where folders cannot be exchanged atomically and the kill fell between the two renames, under
the hidden name ``.NAME.old-*`` that :func:`read_run` falls back to.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core import atomic, schemas
from analyzer.core.errors import RunFolderError, UsageError
from analyzer.core.hashing import file_sha256
from analyzer.core.manifest import Manifest
from analyzer.stages.registry import stage_files

MANIFEST = "manifest.json"
# 2: links.redirect, labels and coordination files, source_meta; run the analysis again for older folders.
# 3: comments.votes_up / votes_down (reader votes where the source has them).
RUN_SCHEMA_VERSION = 3

# file name -> schema; every run folder has all of them (possibly empty).
CORE_FILES: dict[str, pl.Schema] = {
    "articles.parquet": schemas.ARTICLES,
    "comments.parquet": schemas.COMMENTS,
    "article_blocks.parquet": schemas.ARTICLE_BLOCKS,
    "parse_issues.parquet": schemas.PARSE_ISSUES,
    "metrics.parquet": schemas.METRICS,
}
# Written only when an input carries metadata beyond our columns (ConvoKit corpora): the
# readers' output, not a stage's; ``analyzer export --to convokit`` writes it back.
INPUT_FILES: dict[str, pl.Schema] = {"source_meta.parquet": schemas.SOURCE_META}
RUN_FILES = CORE_FILES  # backwards-compatible name for the always-present files


def known_files() -> dict[str, pl.Schema]:
    """Every file a run folder may hold: the core files, input metadata and the stages' files."""
    return {**CORE_FILES, **INPUT_FILES, **stage_files()}


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Write ``manifest.json`` into a folder being built and flush it to disk."""
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def replace_folder(tmp: Path, dest: Path) -> None:
    """Move a finished folder built beside ``dest`` into its place, replacing an earlier one.

    The two are exchanged in one step where the system can (Linux), so a reader never sees
    a mix of both nor a missing folder; the earlier folder is deleted afterwards, and so are
    folders that earlier, killed writes left beside ``dest``.  See
    :func:`analyzer.core.atomic.replace_folder`.
    """
    atomic.replace_folder(tmp, dest)


def is_run(path: Path) -> bool:
    """True if ``path`` looks like a finished analyzer run folder."""
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("complete") is True


def write_run(
    run_dir: str | Path,
    frames: dict[str, pl.DataFrame],
    manifest: dict[str, Any],
    *,
    verify: Callable[[Path], None] | None = None,
) -> Path:
    """Write ``frames`` and ``manifest`` as a run folder, atomically.

    An existing run folder at ``run_dir`` is replaced; any other non-empty folder is refused.
    ``verify`` is called on the finished folder under its temporary name, before the swap: if
    it raises, the earlier run stays in place untouched.
    """
    run_dir = Path(run_dir).absolute()
    if run_dir.exists() and not run_dir.is_dir():
        raise UsageError(f"{run_dir}: exists and is not a folder")
    if run_dir.is_dir() and any(run_dir.iterdir()) and not is_run(run_dir):
        raise UsageError(f"{run_dir}: folder exists and is not an analyzer run; refusing to overwrite it")
    missing = set(CORE_FILES) - set(frames)
    if missing:
        raise ValueError(f"write_run: frames missing {sorted(missing)}")
    unknown = set(frames) - set(known_files())
    if unknown:
        raise ValueError(f"write_run: undeclared frames {sorted(unknown)} (declare them in the stage's StageSpec outputs)")
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = atomic.make_temp_folder(run_dir)
    try:
        files: dict[str, Any] = {}
        declared = known_files()
        for name, frame in frames.items():
            frame = schemas.check(frame, declared[name], name)
            frame.write_parquet(tmp / name, statistics=True)
            files[name] = {"rows": frame.height, "sha256": file_sha256(tmp / name)}
        complete = {**manifest, "files": files, "run_schema_version": RUN_SCHEMA_VERSION, "complete": True}
        write_manifest(tmp, complete)
        if verify is not None:
            verify(tmp)
        tmp.chmod(0o755)  # mkdtemp makes it owner-only; a run folder is shared like any output
        replace_folder(tmp, run_dir)
    except BaseException:
        atomic.discard_temp_folder(tmp)
        raise
    return run_dir


@dataclass
class Run:
    """A finished run folder; frames load on first access and are checked against their schemas."""

    path: Path
    manifest: dict[str, Any]
    _cache: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False)
    # (inode, mtime) of the manifest that was read: a replaced run folder has another one.
    identity: tuple[int, int] | None = field(default=None, repr=False)

    @property
    def meta(self) -> Manifest:
        """The manifest, typed and checked (``manifest`` is the same data as parsed JSON)."""
        return Manifest.from_dict(self.manifest, self.path / MANIFEST)

    def has(self, name: str) -> bool:
        """True if the run holds this frame (stage files exist only when the stage ran)."""
        file_name = name if name.endswith(".parquet") else f"{name}.parquet"
        return file_name in self.manifest.get("files", {})

    def frame(self, name: str) -> pl.DataFrame:
        file_name = name if name.endswith(".parquet") else f"{name}.parquet"
        declared = known_files()
        if file_name not in declared:
            known = ", ".join(f.removesuffix(".parquet") for f in declared)
            raise UsageError(f"unknown run frame {name!r}; known: {known}")
        if not self.has(file_name):
            raise RunFolderError(f"{self.path}: this run has no {file_name} (its stage did not run)")
        if file_name not in self._cache:
            try:
                frame = pl.read_parquet(self.path / file_name)
            except (OSError, pl.exceptions.PolarsError) as exc:
                self._check_not_replaced()
                raise RunFolderError(f"{self.path / file_name}: cannot be read ({exc})") from None
            # Frames load lazily: checked after the read, so a frame of a newer run written over
            # this one in the meantime is never mixed with the frames already loaded.
            self._check_not_replaced()
            try:
                self._cache[file_name] = schemas.check(frame, declared[file_name], file_name)
            except schemas.SchemaMismatchError as exc:
                raise RunFolderError(f"{self.path / file_name}: {exc}") from None
        return self._cache[file_name]

    def is_current(self) -> bool:
        """False once the folder holds another run than the one opened (a newer ``analyse``)."""
        if self.identity is None:
            return True
        try:
            return _identity(os.stat(self.path / MANIFEST)) == self.identity
        except OSError:
            return False

    def _check_not_replaced(self) -> None:
        if not self.is_current():
            raise RunFolderError(
                f"{self.path}: the run folder was replaced by another run while it was being read; open it again"
            )

    @property
    def articles(self) -> pl.DataFrame:
        return self.frame("articles")

    @property
    def comments(self) -> pl.DataFrame:
        return self.frame("comments")

    @property
    def article_blocks(self) -> pl.DataFrame:
        return self.frame("article_blocks")

    @property
    def parse_issues(self) -> pl.DataFrame:
        return self.frame("parse_issues")

    @property
    def metrics(self) -> pl.DataFrame:
        return self.frame("metrics")


def read_run(run_dir: str | Path) -> Run:
    """Open a finished run folder, or raise :class:`RunFolderError` saying what is wrong.

    If ``run_dir`` is missing because a writer was killed between the two renames of a
    non-atomic replacement (systems without an atomic exchange), the previous run is read
    where it survives, under the hidden name ``.NAME.old-*`` beside ``run_dir`` (``Run.path``
    says so).  It is not moved back: readers may lack write permission and must not race
    with a writer; the next successful write of ``run_dir`` cleans it up.
    """
    path = Path(run_dir)
    if not path.is_dir():
        survivor = atomic.recover(path, is_run)
        if survivor is None:
            raise RunFolderError(f"{path}: no such run folder")
        path = survivor
    manifest_path = path / MANIFEST
    try:
        with manifest_path.open("rb") as handle:
            identity = _identity(os.fstat(handle.fileno()))
            manifest = json.loads(handle.read().decode("utf-8"))
    except FileNotFoundError:
        raise RunFolderError(f"{path}: not an analyzer run (no {MANIFEST}); was the run interrupted?") from None
    except (OSError, ValueError) as exc:
        raise RunFolderError(f"{manifest_path}: unreadable manifest ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("complete") is not True:
        raise RunFolderError(f"{path}: run is incomplete")
    version = manifest.get("run_schema_version")
    if version != RUN_SCHEMA_VERSION:
        raise RunFolderError(f"{path}: run folder version {version}, this analyzer reads {RUN_SCHEMA_VERSION}: analyse the inputs again")
    listed = Manifest.from_dict(manifest, manifest_path).files  # a field of the wrong type fails here
    absent = [name for name in [*CORE_FILES, *listed] if not (path / name).is_file()]
    if absent:
        raise RunFolderError(f"{path}: run folder lacks {', '.join(absent)}")
    return Run(path=path, manifest=manifest, identity=identity)


def _identity(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_ino, stat.st_mtime_ns
