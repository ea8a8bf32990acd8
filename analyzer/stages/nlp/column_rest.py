"""The regex tokenizer's "rest" expression for Python's ``re``, for whole columns of text.

Why: on a column of many comments the tokenizer's cost is per match, and the third-party
``regex`` engine spends about twice as long per match as the standard library's ``re`` on
the very same expression (docs/performance-language.md, "Session 10").  The two engines do
not agree on what ``\\w``, ``\\d``, ``\\s`` and ``\\p{L}`` mean (``regex`` follows Unicode's
properties, ``re`` Python's ``str`` predicates: they differ on hundreds of code points), so
``re`` gets no class name at all: each class is spelled out as the code point ranges
``regex`` itself puts in it, read once per process by running ``regex`` over a string of
every code point.  Everything else in the expression is read alike by both engines
(leftmost alternative first, fixed-width look-behinds, greedy repeats).

Only the Basic Multilingual Plane is spelled out: ``re`` tests a set's characters above
U+FFFF as a list of ranges, one by one, for every character the set does not hold (hundreds
of ranges: slower than ``regex``).  A character above U+FFFF is instead replaced, in the
copy of the column the expression scans, by a stand-in: a BMP character in exactly the same
classes that the expression never names literally.  The expression reads nothing else of a
character, and the stand-in is one code point as the original is, so every match has the
same span and kind; the tokens' text is read from the column itself.
``tests/stages/nlp/test_column_rest.py`` compares both engines on real comments and random
text (characters above U+FFFF included).

Building the expression costs ~0.04 CPU s, so the tokenizer takes this path only for
columns of at least :data:`MIN_CHARS` characters (a page's comments stay below).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import regex

# Columns shorter than this keep the ``regex`` engine: the expression costs ~0.04 CPU s to
# build once per process (the classes, then re's compiler), and ``re`` saves ~0.16 µs per
# character of a column (One Million Posts dev lines): break-even near 0.25 M characters.
MIN_CHARS = 300_000

# The classes the rest expression uses: its short names and the regex module's.
CLASSES = {"w": r"\w", "d": r"\d", "s": r"\s", "L": r"\p{L}"}
_BMP_END = 0x10000
_ABOVE_BMP = re.compile("[\U00010000-\U0010ffff]")

Ranges = list[tuple[int, int]]  # sorted, disjoint, half-open code point ranges


@cache
def _bmp() -> str:
    """One string of every BMP code point, surrogates included (a ``str`` may hold them)."""
    return "".join(map(chr, range(_BMP_END)))


@cache
def class_ranges(name: str) -> tuple[tuple[int, int], ...]:
    """The BMP code points the ``regex`` module puts in class ``name`` (e.g. ``\\w``), as runs."""
    return tuple(m.span() for m in regex.finditer(f"(?:{name})+", _bmp()))


def _merged(ranges: Ranges) -> Ranges:
    out: Ranges = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _complement(ranges: Ranges) -> Ranges:
    out: Ranges = []
    at = 0
    for a, b in ranges:
        if a > at:
            out.append((at, a))
        at = b
    if at < _BMP_END:
        out.append((at, _BMP_END))
    return out


def _in_set(code: int) -> str:
    # The character itself (re parses an escape ~3x slower); set syntax escaped.  Inside a
    # set, VERBOSE keeps blanks and "#" as characters.
    ch = chr(code)
    return "\\" + ch if ch in "\\]^-[" else ch


def _spelled(ranges: Ranges) -> str:
    return "".join(_in_set(a) if b - a == 1 else f"{_in_set(a)}-{_in_set(b - 1)}" for a, b in ranges)


def re_set(classes: str, chars: str, negated: bool = False) -> str:
    """A character set of the rest expression for ``re`` (:data:`.regex_tokenizer.SetMaker`).

    The BMP characters of the set written out, as the code points it holds or as ``[^…]`` of
    those it does not, whichever is fewer: ``re`` compiles a set with a Python loop over each
    code point a range covers (\\w holds ~50,000), so the shorter spelling compiles ~3×
    faster.  The two spellings differ only above the BMP, which the scanned text never holds.
    """
    held = _merged([r for k in classes for r in class_ranges(CLASSES[k])] + [(ord(c), ord(c) + 1) for c in chars])
    if negated:
        held = _complement(held)
    missing = _complement(held)
    if sum(b - a for a, b in held) <= sum(b - a for a, b in missing):
        return f"[{_spelled(held)}]" if held else "(?!)"
    return f"[^{_spelled(missing)}]"


def _profile(ch: str) -> tuple[bool, ...]:
    return tuple(regex.match(name, ch) is not None for name in CLASSES.values())


@cache
def _stand_in_for(profile: tuple[bool, ...], literal: frozenset[str]) -> str | None:
    """The first BMP character with classes ``profile`` that is not in ``literal`` (None: none)."""
    for code in range(0x80, _BMP_END):
        ch = chr(code)
        if ch not in literal and not 0xD800 <= code <= 0xDFFF and _profile(ch) == profile:
            return ch
    return None


class ColumnRest:
    """The rest expression of one language compiled by ``re`` (see the module docstring).

    Args:
        source: the expression's source from a maker of its character sets
            (``regex_tokenizer._rest_source`` for one language).
    """

    def __init__(self, source: Callable[[Callable[[str, str, bool], str]], str]) -> None:
        named: set[str] = set()

        def sets(classes: str, chars: str, negated: bool = False) -> str:
            named.update(chars)
            return re_set(classes, chars, negated)

        text = source(sets)
        self.pattern = re.compile(text, re.VERBOSE)
        # Characters the expression names, in its sets or outside (no stand-in is one of them).
        self._literal = frozenset(text) | frozenset(named)
        self._stand_ins: dict[str, str | None] = {}

    def scan_text(self, column: str) -> str | None:
        """The copy of ``column`` the expression scans; None when a character above the BMP
        has no stand-in (the caller then keeps the regex engine)."""
        if _ABOVE_BMP.search(column) is None:
            return column
        stand_ins = self._stand_ins
        for ch in set(_ABOVE_BMP.findall(column)):
            if ch not in stand_ins:
                stand_ins[ch] = _stand_in_for(_profile(ch), self._literal)
            if stand_ins[ch] is None:
                return None
        return _ABOVE_BMP.sub(lambda m: stand_ins[m.group()] or "", column)
