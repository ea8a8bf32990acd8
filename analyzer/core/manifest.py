"""The manifest of a run folder, typed: what :func:`analyzer.core.run.read_run` checks and reads.

``manifest.json`` stays plain JSON (other tools read it, and every stage adds its own facts
under ``stage_info``); :class:`Manifest` is its checked, frozen view.  The pipeline builds one and
writes :meth:`Manifest.to_dict`; ``read_run`` builds one from the file (``Run.meta``), so a
field of the wrong type is a one-line :class:`RunFolderError` when the folder is opened, not a
``KeyError`` deep inside a page or a report.  Keys this version does not know (a newer writer's,
the chunked runner's ``chunked``) are kept in ``extra`` and written back unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analyzer.core.errors import RunFolderError


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One input file of the run: where it was, how it was read, its digest and comment count."""

    path: str
    format: str | None = None
    sha256: str | None = None
    bytes: int | None = None
    encoding: str | None = None
    comments_in: int | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    """A run's manifest; every field may be absent from an old or hand-made file (its default)."""

    analyzer_version: str | None = None
    created_at: str | None = None
    python: str | None = None
    polars: str | None = None
    inputs: tuple[InputRecord, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)  # reader options and limits
    stages: tuple[str, ...] = ()
    stages_added_as_prerequisites: tuple[str, ...] = ()
    stage_info: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    nlp_mode: str | None = None
    timings_s: Mapping[str, float] = field(default_factory=dict)
    counts: Mapping[str, Any] = field(default_factory=dict)
    accounting: Mapping[str, Any] = field(default_factory=dict)
    files: Mapping[str, Any] = field(default_factory=dict)  # written by write_run
    run_schema_version: int | None = None
    complete: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)  # keys this version does not declare

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str | Path = "manifest.json") -> Manifest:
        """The typed manifest of ``data`` (a parsed ``manifest.json``).

        Raises:
            RunFolderError: a known field of the wrong type, in one line naming it.
        """
        known = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        values: dict[str, Any] = {"extra": {k: v for k, v in data.items() if k not in known}}
        for key in known & set(data):
            value = data[key]
            if value is None:
                continue
            expected = _EXPECTED[key]
            if not isinstance(value, expected[0]) or isinstance(value, bool) and expected[0] is int:
                raise RunFolderError(f"{where}: manifest field {key!r} must be {expected[1]}, "
                                     f"got {type(value).__name__}")
            if key == "inputs" and isinstance(value, list):
                value = tuple(_input(item, where) for item in value)
            elif isinstance(value, list):
                value = tuple(str(v) for v in value)
            values[key] = value
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, in the order written since the first release; ``extra`` keys last.

        Tables are the objects given, not copies (the pipeline adds the write time to its
        timings after the folder is written, and the caller's manifest shows it).  The fields
        that :func:`~analyzer.core.run.write_run` adds are left out until they are set.
        """
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "extra" or (f.name in _ADDED_BY_WRITE and not self.complete):
                continue
            if f.name == "inputs":
                value = [dataclasses.asdict(item) for item in value]
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        out.update(self.extra)
        return out


_ADDED_BY_WRITE = frozenset({"files", "run_schema_version", "complete"})
_TEXT, _LIST, _TABLE = (str, "a text"), (list, "a list"), (dict, "a table")
_EXPECTED: dict[str, tuple[type, str]] = {
    "analyzer_version": _TEXT, "created_at": _TEXT, "python": _TEXT, "polars": _TEXT, "inputs": _LIST,
    "settings": _TABLE, "stages": _LIST, "stages_added_as_prerequisites": _LIST, "stage_info": _TABLE,
    "nlp_mode": _TEXT, "timings_s": _TABLE, "counts": _TABLE, "accounting": _TABLE, "files": _TABLE,
    "run_schema_version": (int, "a whole number"), "complete": (bool, "true or false"),
}


def _input(item: Any, where: str | Path) -> InputRecord:
    if not isinstance(item, Mapping) or not isinstance(item.get("path"), str):
        raise RunFolderError(f"{where}: manifest field 'inputs' must list tables with a 'path', got {item!r}")
    names = {f.name for f in dataclasses.fields(InputRecord)}
    return InputRecord(**{k: v for k, v in item.items() if k in names})
