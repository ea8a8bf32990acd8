"""Frame inventories: versioned, editable TOML files of frames and their lemma patterns.

An inventory is one TOML file per language (packaged: ``analyzer/stages/framing/data/frames_de.toml``
and ``frames_en.toml``; users pass their own with ``--frames FILE``).  Its format::

    name = "my-frames"            # required: identifies the inventory in the run manifest
    version = "2024.1"            # required: bump whenever a pattern changes
    language = "de"               # optional: ISO 639-1; absent or "*" = every language
    description = "..."           # optional

    [frames.energy_supply]        # frame id: letters, digits, "_" and "-"
    label = "Energieversorgung"   # optional, for people
    description = "..."           # optional
    reference = "..."             # optional: where the frame comes from
    generic = false               # optional: one of the five generic frames
    patterns = ["strom*", "*netz", "blackout", "von lang hand"]

    [labels]                      # optional: loaded actor labels (label adoption)
    terrorist = ["terrorist*"]

    [keyness]                     # optional: lemmas left out of keyness
    stopwords = ["sein", "haben"]

Pattern syntax (lowercase lemmas; matched against ``lower(lemma)``, or the token text when a
token has no lemma): ``word`` exact; ``word*`` prefix; ``*word`` suffix; ``*word*`` infix; a
space separates the lemmas of a multi-lemma sequence on consecutive tokens ("von lang hand").
Wildcards need a stem of at least :data:`MIN_WILDCARD_STEM` characters so that a pattern can
never match nearly every word.  A user inventory without ``[labels]`` or ``[keyness]`` borrows
them from the packaged inventory of its language.

Errors name the file, the line and the problem: TOML syntax errors carry tomllib's line;
structural problems name the frame and the line of its ``[frames.<id>]`` header (or of the
offending pattern when it can be found in the text).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core.errors import FormatError, UnreadableInputError
from analyzer.core.settings import build
from analyzer.stages.declarations.framing import FramingSettings

# Languages with a packaged inventory; other languages fall back to DEFAULT_LANGUAGE's.
PACKAGED_LANGUAGES: tuple[str, ...] = ("de", "en")
DEFAULT_LANGUAGE = "de"
ANY_LANGUAGE = "*"
# A wildcard stem shorter than this would match a large part of the vocabulary ("*e").
MIN_WILDCARD_STEM = 3
# Longest multi-lemma sequence: longer ones are phrases, not frame indicators, and would make
# the sequence join needlessly wide.
MAX_SEQUENCE = 6
MAX_INVENTORY_BYTES = 5_000_000

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TOP_KEYS = frozenset({"name", "version", "language", "description", "frames", "labels", "keyness"})
_FRAME_KEYS = frozenset({"label", "description", "reference", "generic", "patterns"})
_KEYNESS_KEYS = frozenset({"stopwords"})


class InventoryError(FormatError):
    """A frame inventory file cannot be used; the message names the file, line and problem."""


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame: an id, its patterns and what it means."""

    name: str
    patterns: tuple[str, ...]
    label: str = ""
    description: str = ""
    reference: str = ""
    generic: bool = False


@dataclass(frozen=True, slots=True)
class Inventory:
    """A loaded, validated frame inventory."""

    name: str
    version: str
    language: str  # ISO 639-1 or ANY_LANGUAGE
    frames: tuple[Frame, ...]
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    description: str = ""
    source: str = ""  # file path, or "package:<file>"
    sha256: str = ""

    @property
    def frame_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.frames)

    def manifest(self) -> dict[str, Any]:
        """What the run manifest records about the inventory."""
        return {
            "name": self.name,
            "version": self.version,
            "language": self.language,
            "source": self.source,
            "sha256": self.sha256,
            "n_frames": len(self.frames),
            "n_patterns": sum(len(f.patterns) for f in self.frames),
            "n_labels": len(self.labels),
        }


# --- Patterns -------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """NFC + lowercase: the form of lemmas and patterns compared (the stage does the same)."""
    return unicodedata.normalize("NFC", text).lower()


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a valid pattern, or None.

    Example:
        >>> pattern_problem("terror*"), pattern_problem("te*ror")
        (None, "'*' only at the start or end of a lemma, found 'te*ror'")
    """
    elements = pattern.split()
    if not elements:
        return "an empty pattern"
    if len(elements) > MAX_SEQUENCE:
        return f"at most {MAX_SEQUENCE} lemmas in a sequence, found {len(elements)}"
    for element in elements:
        stem = element.strip("*")
        if "*" in stem:
            return f"'*' only at the start or end of a lemma, found {element!r}"
        if not stem:
            return f"a lemma, found only wildcards {element!r}"
        if stem != element and len(stem) < MIN_WILDCARD_STEM:
            return f"a wildcard stem of at least {MIN_WILDCARD_STEM} characters, found {element!r}"
    return None


def element_kind(element: str) -> str:
    """``exact`` | ``prefix`` (``x*``) | ``suffix`` (``*x``) | ``infix`` (``*x*``)."""
    starts, ends = element.startswith("*"), element.endswith("*")
    if starts and ends:
        return "infix"
    if ends:
        return "prefix"
    if starts:
        return "suffix"
    return "exact"


def pattern_table(inventory: Inventory) -> pl.DataFrame:
    """One row per pattern element: ``frame, pattern, n_elems, elem_pos, stem, kind``.

    The matcher joins token lemmas with this table (exact stems) or tests the run's distinct
    lemmas against it (wildcard stems), so matching costs one join, not a loop per token.
    """
    rows: dict[str, list[Any]] = {k: [] for k in ("frame", "pattern", "n_elems", "elem_pos", "stem", "kind")}
    for frame in inventory.frames:
        for pattern in frame.patterns:
            elements = pattern.split()
            for pos, element in enumerate(elements):
                rows["frame"].append(frame.name)
                rows["pattern"].append(pattern)
                rows["n_elems"].append(len(elements))
                rows["elem_pos"].append(pos)
                rows["stem"].append(element.strip("*"))
                rows["kind"].append(element_kind(element))
    return pl.DataFrame(
        rows,
        schema={"frame": pl.String, "pattern": pl.String, "n_elems": pl.Int32, "elem_pos": pl.Int32,
                "stem": pl.String, "kind": pl.String},
    )


def label_table(inventory: Inventory) -> pl.DataFrame:
    """The inventory's labels in :func:`pattern_table`'s layout (``frame`` = label id)."""
    frames = tuple(Frame(name, patterns) for name, patterns in inventory.labels.items())
    return pattern_table(Inventory("labels", inventory.version, inventory.language, frames))


# --- Loading --------------------------------------------------------------------------------


def packaged_path(language: str) -> str:
    """File name of the packaged inventory for ``language`` (German when there is none)."""
    lang = language if language in PACKAGED_LANGUAGES else DEFAULT_LANGUAGE
    return f"frames_{lang}.toml"


def load_packaged(language: str) -> Inventory:
    """The packaged inventory of ``language`` (German for languages without one).

    Example:
        >>> inv = load_packaged("de")
        >>> "media_criticism" in inv.frame_names and inv.version != ""
        True
    """
    name = packaged_path(language)
    data = resources.files("analyzer.stages.framing").joinpath("data", name).read_bytes()
    return parse_inventory(data, f"package:{name}")


def load_inventory(path: str | Path) -> Inventory:
    """Load and validate a user's inventory file.

    Raises:
        UnreadableInputError: the file is missing or unreadable.
        InventoryError: not valid TOML, or not a valid inventory (file, line, problem).
    """
    path = Path(path)
    try:
        if path.stat().st_size > MAX_INVENTORY_BYTES:
            raise InventoryError(path, f"a frame inventory of at most {MAX_INVENTORY_BYTES} bytes",
                                 found=f"{path.stat().st_size} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(path, "a readable frame inventory (TOML)", found=exc.strerror or str(exc)) from None
    inventory = parse_inventory(data, str(path))
    if not inventory.labels or not inventory.stopwords:
        # Labels and stopwords are language resources, not frames: borrow the packaged ones.
        base = load_packaged(DEFAULT_LANGUAGE if inventory.language == ANY_LANGUAGE else inventory.language)
        inventory = Inventory(
            inventory.name, inventory.version, inventory.language, inventory.frames,
            inventory.labels or base.labels, inventory.stopwords or base.stopwords,
            inventory.description, inventory.source, inventory.sha256,
        )
    return inventory


def parse_inventory(data: bytes, source: str) -> Inventory:
    """Parse and validate inventory bytes; ``source`` names the file in errors."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InventoryError(source, "UTF-8 text", line=data[: exc.start].count(b"\n") + 1, found=f"undecodable byte at offset {exc.start}") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        if line is None and "end of document" in str(exc):
            line = max(text.count("\n"), 1)  # an unclosed array or string: blame the last line
        msg = getattr(exc, "msg", None) or str(exc).split(" (at line")[0]
        raise InventoryError(source, "valid TOML", line=line, found=msg) from None
    return _validate(doc, text, source, sha)


def _line_from_message(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else None


def _validate(doc: dict[str, Any], text: str, source: str, sha: str) -> Inventory:
    lines = text.splitlines()

    def fail(expected: str, found: str | None = None, line: int | None = None) -> InventoryError:
        return InventoryError(source, expected, line=line, found=found)

    unknown = sorted(set(doc) - _TOP_KEYS)
    if unknown:
        raise fail(f"only the keys {', '.join(sorted(_TOP_KEYS))} at the top level",
                   f"unknown key {unknown[0]!r}", _find_line(lines, rf"^\s*{re.escape(unknown[0])}\s*="))
    for key in ("name", "version"):
        value = doc.get(key)
        if not isinstance(value, str) or not value.strip():
            raise fail(f"a non-empty string {key!r} at the top level",
                       "nothing" if value is None else repr(value),
                       _find_line(lines, rf"^\s*{key}\s*="))
    language = doc.get("language", ANY_LANGUAGE)
    if not isinstance(language, str) or not (language == ANY_LANGUAGE or re.fullmatch(r"[a-z]{2,3}", language)):
        raise fail("'language' as an ISO 639-1 code such as \"de\", or \"*\"", repr(language),
                   _find_line(lines, r"^\s*language\s*="))
    frames_doc = doc.get("frames")
    if not isinstance(frames_doc, dict) or not frames_doc:
        raise fail("at least one [frames.<id>] table", "none" if frames_doc is None else repr(type(frames_doc).__name__))
    frames: list[Frame] = []
    for frame_id, body in frames_doc.items():
        header = _find_line(lines, rf"^\s*\[\s*frames\s*\.\s*\"?{re.escape(frame_id)}\"?\s*\]")
        where = f"frame {frame_id!r}: "
        if not _ID.fullmatch(frame_id):
            raise fail(where + "an id of letters, digits, '_' or '-' (at most 64)", repr(frame_id), header)
        if not isinstance(body, dict):
            raise fail(where + "a table with 'patterns'", type(body).__name__, header)
        extra = sorted(set(body) - _FRAME_KEYS)
        if extra:
            raise fail(where + f"only the keys {', '.join(sorted(_FRAME_KEYS))}", f"unknown key {extra[0]!r}", header)
        for key in ("label", "description", "reference"):
            if key in body and not isinstance(body[key], str):
                raise fail(where + f"{key!r} as a string", repr(body[key]), header)
        if "generic" in body and not isinstance(body["generic"], bool):
            raise fail(where + "'generic' as true or false", repr(body["generic"]), header)
        patterns = _patterns(body.get("patterns"), where, lines, header, fail)
        frames.append(Frame(
            frame_id, patterns, body.get("label", ""), body.get("description", ""),
            body.get("reference", ""), body.get("generic", False),
        ))
    labels: dict[str, tuple[str, ...]] = {}
    labels_doc = doc.get("labels", {})
    if not isinstance(labels_doc, dict):
        raise fail("[labels] as a table of label = [patterns]", type(labels_doc).__name__, _find_line(lines, r"^\s*labels\s*="))
    for label_id, patterns in labels_doc.items():
        line = _find_line(lines, rf"^\s*\"?{re.escape(label_id)}\"?\s*=")
        where = f"label {label_id!r}: "
        if not _ID.fullmatch(label_id):
            raise fail(where + "an id of letters, digits, '_' or '-' (at most 64)", repr(label_id), line)
        labels[label_id] = _patterns(patterns, where, lines, line, fail)
    keyness = doc.get("keyness", {})
    if not isinstance(keyness, dict) or set(keyness) - _KEYNESS_KEYS:
        raise fail("[keyness] with only 'stopwords'", repr(sorted(set(keyness) - _KEYNESS_KEYS)) if isinstance(keyness, dict)
                   else type(keyness).__name__, _find_line(lines, r"^\s*\[\s*keyness\s*\]"))
    stop = keyness.get("stopwords", [])
    if not isinstance(stop, list) or not all(isinstance(w, str) and w.strip() for w in stop):
        raise fail("[keyness] stopwords as a list of non-empty strings", repr(stop)[:80],
                   _find_line(lines, r"^\s*stopwords\s*="))
    return Inventory(
        name=doc["name"].strip(),
        version=doc["version"].strip(),
        language=language,
        frames=tuple(frames),
        labels=labels,
        stopwords=frozenset(normalise(w.strip()) for w in stop),
        description=str(doc.get("description", "")),
        source=source,
        sha256=sha,
    )


def _patterns(value: Any, where: str, lines: Sequence[str], line: int | None, fail: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise fail(where + "'patterns' as a non-empty list of strings",
                   "nothing" if value is None else repr(value)[:80], line)
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise fail(where + "patterns as strings", repr(item)[:80], line)
        pattern = " ".join(normalise(item).split())
        problem = pattern_problem(pattern)
        if problem is not None:
            found_at = _find_line(lines, re.escape(f'"{item}"')) or _find_line(lines, re.escape(f"'{item}'")) or line
            raise fail(where + problem.split(", found")[0] + f" in pattern {item!r}",
                       problem.split(", found ")[1] if ", found " in problem else problem, found_at)
        if pattern not in out:
            out.append(pattern)
    return tuple(out)


def _find_line(lines: Sequence[str], regex: str) -> int | None:
    """1-based number of the first line matching ``regex`` (linear; the regexes are anchored or literal)."""
    compiled = re.compile(regex)
    for number, text in enumerate(lines, start=1):
        if compiled.search(text):
            return number
    return None


# --- Selecting inventories for a run --------------------------------------------------------


def inventories_from_settings(settings: FramingSettings | Mapping[str, Any]) -> dict[str, Inventory]:
    """Inventories by language: packaged ones, replaced by the ``frames_file`` setting.

    ``frames_file`` is a path or a list of paths (flat settings are checked into
    :class:`~analyzer.stages.declarations.framing.FramingSettings` first).  A user file with
    ``language = "xx"`` replaces the packaged inventory of that language; one without a
    language (or ``"*"``) replaces every packaged inventory.
    """
    typed = settings if isinstance(settings, FramingSettings) else build(FramingSettings, settings)
    out: dict[str, Inventory] = {lang: load_packaged(lang) for lang in PACKAGED_LANGUAGES}
    for path in typed.frames_file:
        inventory = load_inventory(path)
        if inventory.language == ANY_LANGUAGE:
            out = {lang: inventory for lang in out}
            out[ANY_LANGUAGE] = inventory
        else:
            out[inventory.language] = inventory
    return out


def inventory_for(inventories: Mapping[str, Inventory], language: str | None) -> Inventory:
    """The inventory to use for an article in ``language``."""
    if language and language in inventories:
        return inventories[language]
    if ANY_LANGUAGE in inventories:
        return inventories[ANY_LANGUAGE]
    return inventories.get(DEFAULT_LANGUAGE) or next(iter(inventories.values()))
