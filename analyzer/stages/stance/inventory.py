"""Stance cue inventories: packaged, editable TOML files, validated on load.

One file per language (``analyzer/stages/stance/data/cues_<lang>.toml``).  Each ``[[cue]]`` has an
``id``, a ``family`` (what the cue means, see :data:`FAMILIES`) and ``patterns``: regular
expression fragments matched case-insensitively inside word boundaries.  A malformed file
raises :class:`analyzer.core.errors.FormatError` naming the file, the line and the problem, so an
analyst who edits a list sees at once what to fix.

Patterns run over untrusted text, so the loader refuses nested quantifiers (``(a+)+``) and
patterns longer than :data:`MAX_PATTERN_CHARS`; texts are bounded by the caller.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from analyzer.core.errors import FormatError

# family -> (label it votes for, target, default weight).  Target "parent" = toward the
# comment replied to (the article for top-level comments); "article" = toward the article;
# None = not a vote by itself (modifies questions or quotations, or marks the addressee).
FAMILIES: dict[str, tuple[str | None, str | None, float]] = {
    "agreement": ("support", "parent", 1.0),
    "disagreement": ("deny", "parent", 1.0),
    "sarcasm": ("deny", "parent", 1.2),
    "evidence": ("support", "parent", 0.8),
    "query_request": ("query", "parent", 1.2),
    "rhetorical": (None, None, 0.0),
    "contrast": (None, None, 0.0),
    "article_address": (None, "article", 0.0),
    "article_support": ("support", "article", 1.0),
    "article_deny": ("deny", "article", 1.0),
}
CUE_KEYS = frozenset({"id", "family", "patterns", "weight", "negatable", "at_sentence_start", "requires_link", "note"})
TOP_KEYS = frozenset({"inventory", "negation", "questions", "cue"})
MAX_PATTERN_CHARS = 300
AUTHOR_PLACEHOLDER = "{author}"
# A group or class closed by ")" and quantified, whose body itself holds a quantifier:
# the shape of catastrophic backtracking, e.g. "(a+)+" or "(\w+\s?)*".
_NESTED_QUANTIFIER = re.compile(r"\([^()]*[+*}][^()]*\)[+*{]")
_TOML_LINE = re.compile(r"at line (\d{1,9})")
PACKAGED_LANGUAGES = ("de", "en")


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue: a family and its compiled patterns (one alternation)."""

    id: str
    family: str
    label: str | None
    target: str | None
    weight: float
    pattern: re.Pattern[str] | None  # None when every pattern needs the author and none is known
    author_patterns: tuple[str, ...] = ()  # fragments with {author}, compiled per article
    negatable: bool = False
    at_sentence_start: bool = False
    requires_link: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class Inventory:
    """A validated cue inventory of one language."""

    language: str
    version: str
    path: str
    cues: tuple[Cue, ...]
    negators: frozenset[str]
    window_before: int
    window_after: int
    wh_words: frozenset[str]
    _author_cache: dict[str, tuple[Cue, ...]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def model_name(self) -> str:
        """The name written into ``stance.parquet``'s ``model`` column."""
        return f"cues-{self.language}-{self.version}"

    def cues_for(self, author: str | None) -> tuple[Cue, ...]:
        """The cues with ``{author}`` filled in with the article author's surname (cached)."""
        surname = _surname(author)
        cached = self._author_cache.get(surname)
        if cached is not None:
            return cached
        out: list[Cue] = []
        for cue in self.cues:
            if not cue.author_patterns or not surname:
                if cue.pattern is not None:
                    out.append(cue)
                continue
            fragments = [p.replace(AUTHOR_PLACEHOLDER, re.escape(surname)) for p in cue.author_patterns]
            combined = _combine(fragments + ([cue.pattern.pattern] if cue.pattern is not None else []), wrapped=False)
            out.append(_replace_pattern(cue, combined))
        result = tuple(out)
        if len(self._author_cache) < 1024:  # bounded: one entry per distinct author
            self._author_cache[surname] = result
        return result


def _replace_pattern(cue: Cue, pattern: re.Pattern[str]) -> Cue:
    return Cue(
        cue.id, cue.family, cue.label, cue.target, cue.weight, pattern, (), cue.negatable,
        cue.at_sentence_start, cue.requires_link, cue.note,
    )


def _surname(author: str | None) -> str:
    """Last word of the author's name ("Thomas Röper" -> "Röper"); "" when unknown."""
    if not author:
        return ""
    words = [w for w in re.split(r"[\s,;/]+", author.strip()[:200]) if w]
    return words[-1] if words else ""


def _wrap(fragment: str) -> str:
    # Word boundaries that also work next to symbols ("+1", "👍"): no word character around.
    return r"(?<!\w)(?:" + fragment + r")(?!\w)"


def _combine(fragments: list[str], *, wrapped: bool) -> re.Pattern[str]:
    parts = fragments if wrapped else [_wrap(f) if not f.startswith("(?<!") else f for f in fragments]
    return re.compile("|".join(parts), re.IGNORECASE)


def _line_of(raw: str, needle: str) -> int | None:
    """1-based line of the first occurrence of ``needle`` in the raw file text."""
    if not needle:
        return None
    at = raw.find(needle)
    return raw.count("\n", 0, at) + 1 if at >= 0 else None


def _fail(path: str, raw: str, needle: str, expected: str, found: str | None = None) -> FormatError:
    return FormatError(path, expected, line=_line_of(raw, needle), found=found)


def load_inventory(path: str | Path) -> Inventory:
    """Read and validate a cue inventory file.

    Raises:
        FormatError: the file is not valid TOML or breaks the inventory format; the message
            names the file, the line and the problem.

    Example:
        >>> inv = load_inventory(packaged_path("de"))
        >>> inv.language, inv.model_name.startswith("cues-de-")
        ('de', True)
    """
    path = Path(path)
    where = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(where, "a readable UTF-8 cue inventory", found=type(exc).__name__) from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        raise FormatError(where, "valid TOML", line=line, found=str(exc)) from None
    return parse_inventory(data, path=where, raw=raw)


def parse_inventory(data: dict[str, Any], *, path: str, raw: str = "") -> Inventory:
    """Validate parsed TOML ``data`` (see :func:`load_inventory`)."""
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise _fail(path, raw, unknown[0], f"only the tables {sorted(TOP_KEYS)}", f"unknown key {unknown[0]!r}")
    head = data.get("inventory")
    if not isinstance(head, dict) or not isinstance(head.get("language"), str) or not isinstance(head.get("version"), str):
        raise _fail(path, raw, "[inventory]", "an [inventory] table with string keys language and version")
    negation = data.get("negation", {})
    questions = data.get("questions", {})
    if not isinstance(negation, dict) or not isinstance(questions, dict):
        raise _fail(path, raw, "[negation]", "[negation] and [questions] to be tables")
    negators = _word_list(negation.get("negators", []), "negation.negators", path, raw)
    wh_words = _word_list(questions.get("wh_words", []), "questions.wh_words", path, raw)
    windows = []
    for key in ("window_before", "window_after"):
        value = negation.get(key, 0)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
            raise _fail(path, raw, key, f"negation.{key} to be an integer from 0 to 10", repr(value))
        windows.append(value)
    entries = data.get("cue", [])
    if not isinstance(entries, list):
        raise _fail(path, raw, "cue", "[[cue]] entries (an array of tables)")
    cues: list[Cue] = []
    seen: set[str] = set()
    for entry in entries:
        cues.append(_parse_cue(entry, path, raw, seen))
    return Inventory(
        language=head["language"],
        version=head["version"],
        path=path,
        cues=tuple(cues),
        negators=frozenset(negators),
        window_before=windows[0],
        window_after=windows[1],
        wh_words=frozenset(wh_words),
    )


def _word_list(value: Any, name: str, path: str, raw: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, raw, name.rpartition(".")[2], f"{name} to be a list of non-empty strings")
    return [v.strip().lower() for v in value]


def _parse_cue(entry: Any, path: str, raw: str, seen: set[str]) -> Cue:
    if not isinstance(entry, dict):
        raise _fail(path, raw, "[[cue]]", "each [[cue]] to be a table")
    cue_id = entry.get("id")
    if not isinstance(cue_id, str) or not cue_id:
        raise _fail(path, raw, "[[cue]]", "every [[cue]] to have a string id")
    anchor = f'"{cue_id}"'
    if cue_id in seen:
        raise FormatError(path, "unique cue ids", line=_nth_line(raw, anchor, 2), found=f"duplicate id {cue_id!r}")
    seen.add(cue_id)
    unknown = sorted(set(entry) - CUE_KEYS)
    if unknown:
        raise _fail(path, raw, unknown[0], f"cue keys among {sorted(CUE_KEYS)}", f"unknown key {unknown[0]!r} in cue {cue_id!r}")
    family = entry.get("family")
    if family not in FAMILIES:
        raise _fail(path, raw, anchor, f"family to be one of {sorted(FAMILIES)}", f"{family!r} in cue {cue_id!r}")
    label, target, default_weight = FAMILIES[family]
    weight = entry.get("weight", default_weight)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= float(weight) <= 5:
        raise _fail(path, raw, anchor, "weight to be a number from 0 to 5", f"{weight!r} in cue {cue_id!r}")
    for flag in ("negatable", "at_sentence_start", "requires_link"):
        if not isinstance(entry.get(flag, False), bool):
            raise _fail(path, raw, anchor, f"{flag} to be true or false", f"{entry.get(flag)!r} in cue {cue_id!r}")
    patterns = entry.get("patterns")
    if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) and p for p in patterns):
        raise _fail(path, raw, anchor, "patterns to be a non-empty list of strings", f"cue {cue_id!r}")
    plain: list[str] = []
    with_author: list[str] = []
    for fragment in patterns:
        needle = fragment.replace("\\", "\\\\")[:40]
        problem = _pattern_problem(fragment)
        if problem:
            raise FormatError(path, "a safe regular expression", line=_line_of(raw, needle) or _line_of(raw, anchor),
                              found=f"{problem} in pattern {fragment!r} of cue {cue_id!r}")
        (with_author if AUTHOR_PLACEHOLDER in fragment else plain).append(fragment)
    return Cue(
        id=cue_id,
        family=family,
        label=label,
        target=target,
        weight=float(weight),
        pattern=_combine(plain, wrapped=False) if plain else None,
        author_patterns=tuple(with_author),
        negatable=bool(entry.get("negatable", False)),
        at_sentence_start=bool(entry.get("at_sentence_start", False)),
        requires_link=bool(entry.get("requires_link", False)),
        note=str(entry.get("note", "")),
    )


def _nth_line(raw: str, needle: str, n: int) -> int | None:
    at = -1
    for _ in range(n):
        at = raw.find(needle, at + 1)
        if at < 0:
            return None
    return raw.count("\n", 0, at) + 1


def _pattern_problem(fragment: str) -> str | None:
    """Why a pattern fragment is refused, or None."""
    if len(fragment) > MAX_PATTERN_CHARS:
        return f"longer than {MAX_PATTERN_CHARS} characters"
    if _NESTED_QUANTIFIER.search(fragment):
        return "a nested quantifier (catastrophic backtracking on long texts)"
    try:
        re.compile(fragment.replace(AUTHOR_PLACEHOLDER, "x"))
    except re.error as exc:
        return f"an invalid regular expression ({exc})"
    return None


def packaged_path(language: str) -> Path:
    """Path of the packaged inventory of ``language``."""
    return Path(str(resources.files("analyzer.stages.stance").joinpath("data", f"cues_{language}.toml")))


@lru_cache(maxsize=8)
def packaged(language: str) -> Inventory | None:
    """The packaged inventory of ``language``, or None when there is none."""
    if language not in PACKAGED_LANGUAGES:
        return None
    return load_inventory(packaged_path(language))


def load_inventories(paths: dict[str, str | Path] | None = None) -> dict[str, Inventory]:
    """Inventories by language: the packaged ones, replaced by ``paths`` (language -> file)."""
    out = {lang: inv for lang in PACKAGED_LANGUAGES if (inv := packaged(lang)) is not None}
    for lang, path in (paths or {}).items():
        out[lang] = load_inventory(path)
    return out
