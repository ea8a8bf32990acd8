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

Building the classes costs ~0.05–0.1 CPU s, so the tokenizer takes this path only for
columns of at least :data:`MIN_CHARS` characters (a page never does).
"""

from __future__ import annotations

import re
from functools import cache

import regex

# Columns shorter than this keep the ``regex`` engine: the classes cost ~0.05–0.1 CPU s to
# build once per process, and ``re`` saves ~0.16 µs per character (break-even ~0.5 M chars).
MIN_CHARS = 500_000

# The classes the rest expression uses, as the regex module names them.
CLASSES = (r"\w", r"\d", r"\s", r"\p{L}")
_LAST_BMP = 0xFFFF
_ABOVE_BMP = re.compile("[\U00010000-\U0010ffff]")


@cache
def _bmp() -> str:
    """One string of every BMP code point, surrogates included (a ``str`` may hold them)."""
    import numpy as np

    return np.arange(_LAST_BMP + 1, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")


def _escaped(code: int) -> str:
    return f"\\u{code:04x}"


@cache
def class_body(name: str) -> str:
    """What goes between brackets in ``re`` for the BMP part of the ``regex`` class ``name``.

    The maximal runs of BMP code points ``regex`` matches with ``name``, as ``\\uxxxx``
    ranges (escapes only: no character of a range can be read as set syntax).
    """
    runs = regex.finditer(f"(?:{name})+", _bmp())
    return "".join(
        _escaped(a) if b - a == 1 else f"{_escaped(a)}-{_escaped(b - 1)}" for a, b in (m.span() for m in runs)
    )


def _profile(ch: str) -> tuple[bool, ...]:
    return tuple(regex.match(name, ch) is not None for name in CLASSES)


@cache
def _stand_in_for(profile: tuple[bool, ...], literal: frozenset[str]) -> str | None:
    """The first BMP character with classes ``profile`` that is not in ``literal`` (None: none)."""
    for code in range(0x80, _LAST_BMP + 1):
        ch = chr(code)
        if ch not in literal and not 0xD800 <= code <= 0xDFFF and _profile(ch) == profile:
            return ch
    return None


class ColumnRest:
    """The rest expression of one language compiled by ``re`` (see the module docstring)."""

    def __init__(self, lang: str) -> None:
        from analyzer.stages.nlp.regex_tokenizer import _rest_source, split_characters

        source = _rest_source(lang, re.escape(split_characters(lang)), *(class_body(name) for name in CLASSES))
        self.pattern = re.compile(source, re.VERBOSE)
        # Characters the expression names (a stand-in must not be one of them).
        self._literal = frozenset(source)
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


@cache
def column_rest(lang: str) -> ColumnRest:
    """The process's :class:`ColumnRest` of ``lang``."""
    return ColumnRest(lang)
