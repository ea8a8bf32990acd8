"""Every match of each of many word-list patterns in a text, found from the text's words.

What :meth:`PatternSet.finditer_all` returns is exactly ``[list(p.finditer(text)) for p in
patterns]``.  Why not just that: the cue inventory and the disagreement lists are about 35
alternations of words per language, matched case-insensitively, and Python's regex engine tries
every alternative at every word start of every pattern; on a million comments that was a
third of the stance stage (docs/performance-language.md).

How: most patterns begin with ``(?<!\\w)`` (or ``\\b``) followed by literal words, so a match can
only start where a word starts, and that word must begin with one of the pattern's literal
prefixes.  From each pattern's parse tree we read the set of those prefixes (case-folded as the
regex engine folds with ``IGNORECASE``); the text's words are looked up once in a table of
prefixes (cached per distinct word), and each pattern is then tried with ``pattern.match`` only
at the word starts that can begin one of its matches, in order, skipping positions inside the
previous match -- which is how ``finditer`` proceeds.  Alternatives that begin with a non-word
character (``+1``, ``/s``, ``@name``) are tried where that character occurs.  A pattern whose
tree we cannot read that way (a class or a repeat first, ``re.ASCII``) is run with ``finditer``.

Exactness: the candidate positions are a superset of the positions where a match can start, and
every match is the regex engine's own.  The one way a superset could be missed is a non-word
character that case-folds to a word character (U+0345 COMBINING GREEK YPOGEGRAMMENI folds to
iota); a text containing such a character is matched with plain ``finditer``.  Equality with
``finditer`` is tested on real comments, on hand-written cases and on random strings
(tests/stages/stance/test_patternset.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

# Case folding of the regex engine (IGNORECASE, Unicode): a character matches a literal when
# their simple lower-case forms are equal or are listed together in re's table of extra cases.
try:
    import _sre
    import re._constants as _C
    import re._parser as _P
    from re._casefix import _EXTRA_CASES

    _AVAILABLE = True
except ImportError:  # another Python: patterns run with finditer
    _AVAILABLE = False

MAX_PREFIX = 12  # characters of a literal prefix used for the lookup (a longer one still filters)
MAX_PREFIXES = 4096  # prefixes per pattern before we give up and use finditer
MAX_CACHE = 500_000  # distinct words remembered per pattern set
_RUN = re.compile(r"\w+")
# Non-word characters that fold to a word character, for the Unicode data and case table this
# was computed for (a test recomputes it); another version recomputes it once (about 1 s).
_KNOWN_HAZARDS = {("14.0.0", 50): "\u0345"}


class _Fold(dict[int, int]):
    """``str.translate`` table: each character to the smallest of its IGNORECASE class."""

    def __missing__(self, code: int) -> int:
        low = int(_sre.unicode_tolower(code))
        rep = int(min((low, *_EXTRA_CASES.get(low, ()))))
        self[code] = rep
        return rep


_FOLD = _Fold()


def fold(text: str) -> str:
    """``text`` with every character replaced by the representative of its IGNORECASE class."""
    return text.translate(_FOLD)


def _is_word(code: int) -> bool:
    ch = chr(code)
    return ch.isalnum() or ch == "_"


@cache
def hazard_characters() -> str:
    """Characters whose case class mixes word and non-word characters (see the module docstring)."""
    key = (unicodedata.unidata_version, len(_EXTRA_CASES))
    if key in _KNOWN_HAZARDS:
        return _KNOWN_HAZARDS[key]
    return compute_hazards()


def compute_hazards() -> str:
    """:func:`hazard_characters` from this interpreter's tables (a scan of every code point)."""
    word_classes: set[int] = set()
    nonword: list[int] = []
    for code in range(0x110000):
        if _is_word(code):
            word_classes.add(_FOLD[code])
        else:
            nonword.append(code)
    return "".join(chr(c) for c in nonword if _FOLD[c] in word_classes)


_STOP = ((None, None),)
_WORD_LOOKBEHIND = [(_C.IN, [(_C.CATEGORY, _C.CATEGORY_WORD)])] if _AVAILABLE else []


class _Prefixes:
    """What a pattern's matches can begin with: word prefixes (at a word start) and characters."""

    def __init__(self) -> None:
        self.words: set[tuple[str, bool]] = set()  # (folded prefix, the word must end right there)
        self.chars: set[int] = set()  # first characters that are not word characters

    def walk(self, items: tuple[Any, ...], acc: str, at_word_start: bool) -> bool:
        """Add the prefixes of every path through ``items``; False when a path gives none we can use."""
        i = 0
        while i < len(items):
            op, av = items[i]
            if op is None:  # end of what we may follow (inside a repeat)
                break
            if op is _C.LITERAL:
                if _is_word(av):
                    if not acc and not at_word_start:
                        return False  # a word character that may follow another: any position
                    if len(acc) >= MAX_PREFIX:
                        break
                    acc += chr(av)
                    i += 1
                    continue
                if not acc:
                    self.chars.add(av)
                    return True
                # an ASCII blank or mark after the prefix: the word ends there (no other
                # character folds to one, and no word character is one)
                self.words.add((fold(acc), av < 128))
                return len(self.words) <= MAX_PREFIXES
            if op is _C.SUBPATTERN:
                _, add_flags, _, sub = av
                if add_flags & (_C.SRE_FLAG_ASCII | _C.SRE_FLAG_LOCALE):
                    return False
                items = tuple(sub.data) + tuple(items[i + 1:])
                i = 0
                continue
            if op is _C.BRANCH:
                rest = tuple(items[i + 1:])
                return all(self.walk(tuple(alt.data) + rest, acc, at_word_start) for alt in av[1])
            if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
                low, high, sub = av
                rest = tuple(items[i + 1:])
                if low == 0 and not self.walk(rest, acc, at_word_start):
                    return False
                return self.walk(tuple(sub.data) + (rest if low <= 1 and high == 1 else _STOP), acc, at_word_start)
            if op is _C.ASSERT_NOT and av[0] == -1 and list(av[1].data) == _WORD_LOOKBEHIND:
                at_word_start = at_word_start or not acc  # (?<!\w) before the first character
                i += 1
                continue
            if op is _C.AT and av in (_C.AT_BOUNDARY, _C.AT_BEGINNING, _C.AT_BEGINNING_STRING, _C.AT_BEGINNING_LINE):
                at_word_start = at_word_start or not acc  # before a word character: its start
                i += 1
                continue
            if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):  # zero width: what follows still follows
                i += 1
                continue
            break
        if not acc:
            return False
        self.words.add((fold(acc), False))
        return len(self.words) <= MAX_PREFIXES


def prefixes(pattern: re.Pattern[str]) -> _Prefixes | None:
    """How ``pattern``'s matches can begin, or None when its parse tree does not say."""
    if not _AVAILABLE or pattern.flags & (re.ASCII | re.LOCALE):
        return None
    try:
        tree = _P.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):
        return None
    found = _Prefixes()
    try:
        ok = found.walk(tuple(tree.data), "", False)
    except RecursionError:
        return None
    return found if ok and (found.words or found.chars) else None


class PatternSet:
    """Several patterns, matched together over a text's words (see the module docstring).

    Args:
        patterns: compiled patterns (None entries give no matches).
    """

    def __init__(self, patterns: Sequence[re.Pattern[str] | None]) -> None:
        self.patterns = list(patterns)
        self.plans = [prefixes(p) if p is not None else None for p in self.patterns]
        self._exact: dict[str, set[int]] = {}
        self._starts: dict[int, dict[str, set[int]]] = {}
        chars: set[int] = set()
        for k, plan in enumerate(self.plans):
            if plan is None:
                continue
            for prefix, ends in plan.words:
                table = self._exact if ends else self._starts.setdefault(len(prefix), {})
                table.setdefault(prefix, set()).add(k)
            chars |= plan.chars
        self._lengths = sorted(self._starts)
        # Characters that may begin a match without a word: found case-insensitively (a superset
        # for case-sensitive patterns), one scan of the text.
        self._char_scan = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(chars)) + "]", re.IGNORECASE) \
            if chars else None
        self._char_plans = {k: {_FOLD[c] for c in plan.chars} for k, plan in enumerate(self.plans)
                            if plan is not None and plan.chars}
        self._cache: dict[str, tuple[int, ...]] = {}
        self._hazard: re.Pattern[str] | None = None
        self._hazard_known = False

    def _candidates(self, word: str) -> tuple[int, ...]:
        """Patterns that may match at the start of ``word`` (a maximal run of word characters)."""
        folded = fold(word)
        found = set(self._exact.get(folded, ()))
        for length in self._lengths:
            if length > len(folded):
                break
            hit = self._starts[length].get(folded[:length])
            if hit:
                found |= hit
        return tuple(sorted(found))

    def _hazards(self) -> re.Pattern[str] | None:
        if not self._hazard_known:
            chars = hazard_characters() if _AVAILABLE else ""
            self._hazard = re.compile("[" + re.escape(chars) + "]") if chars else None
            self._hazard_known = True
        return self._hazard

    def finditer_all(self, text: str, skip: Sequence[bool] | None = None) -> list[list[re.Match[str]]]:
        """``[list(p.finditer(text)) for p in patterns]`` (empty lists where ``skip`` is true)."""
        patterns = self.patterns
        n = len(patterns)
        out: list[list[re.Match[str]]] = [[] for _ in range(n)]
        hazard = self._hazards()
        plans = self.plans
        starts: list[list[int] | None] = [None] * n
        if not _AVAILABLE or (hazard is not None and hazard.search(text) is not None):
            plans = [None] * n
        else:
            cache = self._cache
            if len(cache) > MAX_CACHE:
                cache.clear()
            for m in _RUN.finditer(text):
                word = m.group()
                found = cache.get(word)
                if found is None:
                    found = cache[word] = self._candidates(word)
                if found:
                    s = m.start()
                    for k in found:
                        at = starts[k]
                        if at is None:
                            starts[k] = [s]
                        else:
                            at.append(s)
            if self._char_scan is not None:
                for m in self._char_scan.finditer(text):
                    c = _FOLD[ord(m.group())]
                    s = m.start()
                    for k, firsts in self._char_plans.items():
                        if c in firsts:
                            at = starts[k]
                            if at is None:
                                starts[k] = [s]
                            else:
                                at.append(s)
        for k, pattern in enumerate(patterns):
            if pattern is None or (skip is not None and skip[k]):
                continue
            if plans[k] is None:
                out[k] = list(pattern.finditer(text))
                continue
            at = starts[k]
            if not at:
                continue
            if k in self._char_plans:
                at = sorted(set(at))
            found_matches = out[k]
            match = pattern.match
            after = 0
            for s in at:
                if s < after:
                    continue
                hit = match(text, s)
                if hit is not None:
                    found_matches.append(hit)
                    after = hit.end()
        return out


_SETS: dict[int, tuple[object, PatternSet]] = {}
_BY_SOURCE: dict[tuple[tuple[str, int] | None, ...], PatternSet] = {}


def pattern_set(owner: object, build: Callable[[], Sequence[re.Pattern[str] | None]]) -> PatternSet:
    """The :class:`PatternSet` of the patterns ``build()`` returns, made once per ``owner`` object
    (a cue tuple, a feature-list object: kept alive here) and once per distinct list of patterns."""
    entry = _SETS.get(id(owner))
    if entry is not None and entry[0] is owner:
        return entry[1]
    patterns = build()
    key = tuple((p.pattern, p.flags) if p is not None else None for p in patterns)
    found = _BY_SOURCE.get(key)
    if found is None:
        if len(_BY_SOURCE) > 1024:
            _BY_SOURCE.clear()
        found = _BY_SOURCE[key] = PatternSet(patterns)
    if len(_SETS) > 4096:
        _SETS.clear()
    _SETS[id(owner)] = (owner, found)
    return found
