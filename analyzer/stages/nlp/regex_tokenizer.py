"""A regular-expression tokenizer and sentence splitter that follows SoMaJo's conventions.

SoMaJo (Proisl & Uhrig 2016) tokenizes by a cascade of about 60 regular-expression passes,
each over every token node of a doubly linked list in Python: about 50–60 µs per token on
the One Million Posts comments, most of the offline language layer once HanTa's per-form
analyses are cached (docs/performance-language.md).  This module produces SoMaJo's tokens,
token classes and sentences for the text that comments are made of with two compiled
regular expressions per language, each run once over a text (``finditer``, in C):

1. *protected spans*, found first everywhere as SoMaJo finds them first: URLs, e-mail
   addresses, emoji and emoticons, mentions and hashtags, times and dates, measurements,
   multi-letter abbreviations (``z.B.`` gives ``z.`` ``B.``), gender forms (``Lehrer*innen``);
2. *the rest*, cut as SoMaJo's last passes cut it: numbers (grouped, decimal, ordinals,
   ranges), words (for German, everything but spaces and SoMaJo's split characters stays
   together, so ``E-Mail-Adresse`` and ``geht's`` are one token), runs of ``!?``, ellipses,
   single punctuation; a word followed by a dot keeps it when SoMaJo's abbreviation list
   (read from the installed SoMaJo package) has it.  For English, clitics (``do`` ``n't``)
   and hyphens between words are split as in SoMaJo's ``en_PTB``.

Sentences: SoMaJo's own rule (``SentenceSplitter._split_token_objects``), re-implemented on
these tokens: a sentence ends after ``.``/``!``/``?``/``…`` runs (or an end-of-sentence
abbreviation) and any closing quotes, brackets or emoticons, when the next token starts
upper-case, is a number, a mention or a hashtag.

It is an approximation of SoMaJo, not a copy: agreement (token F1, exact sentence
boundaries) is measured on held-out comments by ``python -m tests.bench.tokenizer_agreement``
and documented in docs/performance-language.md.  The stage uses it unless the
``nlp_tokenizer = "somajo"`` setting asks for SoMaJo itself.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import TypeAlias

import regex

from analyzer.stages.nlp.column_rest import MIN_CHARS as COLUMN_MIN_CHARS
from analyzer.stages.nlp.column_rest import ColumnRest
from analyzer.stages.nlp.offline import Tok

# The rest expression as either engine compiled it (the same matches: :mod:`.column_rest`).
_Rest: TypeAlias = "regex.Pattern[str] | re.Pattern[str]"

# SoMaJo's split characters for German (``other_punctuation``) and English
# (``en_other_punctuation`` and quotation marks); everything else glues into words.
_PUNCT_DE = "#<>%‰€$£₤¥°@~*„“”‚‘\"»«›‹,;:+×÷±≤≥=&–—"
_PUNCT_EN = _PUNCT_DE + "/"
_EMOTICON_LIST = (
    ":-)", ":)", ":-(", ":(", ";-)", ";)", ":-D", ":D", ";D", ":-P", ":P", ":p", ":-p", ";P", ";-P",
    ":/", ":-/", ":\\", ":-\\", ":|", ":-|", ":O", ":-O", ":o", ":-o", ":*", ":-*", ":'(", ":')",
    "=)", "=(", "=D", "=P", "^^", "^.^", "^_^", "o.O", "O.o", "-.-", "-_-", "\\o/", "\\O/", ">_<",
    ">:(", ">:-(", ":-$", ":-!", ":-x", ":-[", ":[", "*_*", "._.", "x(", ":>", ":->", ":<", ";-))", ":-))",
    "¯\\_(ツ)_/¯", "(-.-)", "(T_T)", ":^)", "B-)", "O:-)", "xD", "XD",
)


def split_characters(lang: str) -> str:
    """SoMaJo's split characters of ``lang`` (never inside a word token)."""
    return _PUNCT_EN if lang == "en" else _PUNCT_DE


@cache
def _somajo_list(name: str, *, lower: bool = False) -> tuple[str, ...]:
    """A word list of the installed SoMaJo package (its data folder), longest first.

    Read at run time from SoMaJo's wheel, as SoMaJo itself reads it; nothing is copied into
    this project.  Without SoMaJo the list is empty and those tokens are cut like others.
    """
    try:
        text = resources.files("somajo").joinpath("data", name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ()
    items = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    if lower:
        items = {item.lower() for item in items}
    return tuple(sorted(items, key=len, reverse=True))


_NUMBER = r"""(?:\d{1,2}/(?:[1-9]|10)(?!\d)
    |\d{1,3}(?:[.]\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:[.]\d+)?
    |[−+-]?(?:\d*[.,])?\d+(?:[eE][−+-]?\d+)?)"""


# A character set of the rest expression: (classes, characters, negated), e.g. ("w", ".,",
# False) for "[\\w.,]"; classes are "w", "d", "s" and "L" (\\w, \\d, \\s, \\p{L}).
SetMaker = Callable[[str, str, bool], str]
_CLASS_NAMES = {"w": r"\w", "d": r"\d", "s": r"\s", "L": r"\p{L}"}


def regex_set(classes: str, chars: str, negated: bool = False) -> str:
    """A character set as the ``regex`` module reads it (:data:`SetMaker`)."""
    escaped = "".join(c if c.isalnum() else "\\" + c for c in chars)  # "#" and blanks too (VERBOSE)
    return f"[{'^' if negated else ''}{''.join(_CLASS_NAMES[k] for k in classes)}{escaped}]"


def _rest_source(lang: str, chars: SetMaker) -> str:
    """The rest expression (see :class:`_Patterns`), its character sets made by ``chars``.

    :func:`regex_set` gives the ``regex`` module's class names; :mod:`.column_rest` spells
    the same sets as code point ranges for Python's ``re``, so both engines read one
    expression.  Look-behinds are fixed-width (an alternation of widths is written as one
    look-behind per width, which ``re`` requires: the same assertion).
    """
    w, d = chars("w", "", False), chars("d", "", False)
    number = _NUMBER.replace("\\d", d)
    # German ordinals ("3."); SoMaJo's en_PTB has no such rule (an impossible pattern there).
    ordinal = rf"(?<!{chars('w', '.', False)})(?:{d}{{1,3}}|{d}{{5,}}|[3-9]{d}{{3}})\.(?!{d})" if lang != "en" else r"(?!)"
    run = r"[#<>%‰€$£₤¥°@~*,;:+×÷±≤≥=&/–—]+" if lang == "en" else r"(?!)"
    glue = (rf"(?:{chars('sd', split_characters(lang) + '()[]{}.!?…/', True)}|(?<={chars('w', '-', False)}){d}"
            r"|/+(?=in(?:nen)?|en))")
    letter, letter_dash = chars("L", "@", False), chars("L", "@-", False)
    return rf"""
            (?P<ordinal>{ordinal})
            |(?P<punctrun>{run})
            |(?P<amount>(?<!{chars('w', '.,', False)}){d}+{chars('d', ',.', False)}*[,.]-(?!{w}))
            |(?P<compound>(?<!{w})(?<!{w}-){d}+-?{letter}{letter_dash}*(?!{w}))
            |(?P<number>(?<!{w})(?<!{w}-)(?<!{d})(?<!{d}[.,]){number}(?![.,]?{d}))
            |(?P<word>{glue}{glue}*)
            |(?P<qe>[!?]+)
            |(?P<ellipsis>\.{{2,}}|…+(?:\.{{2,}})?)
            |(?P<slashes>/+)
            |(?P<digit>{d}+)
            |(?P<other>{chars('s', '', True)})
            """


class _Patterns:
    """The compiled expressions of one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        units = "|".join(regex.escape(u) for u in _somajo_list("units.txt", lower=True)) or "km|kg"
        emoticons = "|".join(regex.escape(e) for e in sorted(_EMOTICON_LIST, key=len, reverse=True))
        tlds = "de|com|tv|me|net|us|org|at|cc|ly|be|ch|info|live|eu|edu|gov|jpg|png|gif|log|txt|xlsx?|docx?|pptx?|pdf"
        # SoMaJo's cascade: each kind is found over the whole column by its own expression
        # (one alternation of all of them is five times slower: the engine loses each
        # pattern's own first-character scan), earlier kinds winning overlaps.  A kind runs
        # only when its trigger character occurs in the column at all.
        def kind(name: str, pattern: str, trigger: str | None = None) -> tuple[str, regex.Pattern[str], str | None]:
            return name, regex.compile(pattern, regex.VERBOSE), trigger

        self.specials = [
            kind("email_address", r"@[\w.-]+\.\p{L}{2,}\b", "@"),
            kind("URL", r"(?i:\b(?:(?:https?|ftp|svn)://|(?:https?://)?www\.)[^][<>\s]+[^][<>'.\x20\"!?,;:()\s])", "."),
            kind("domain", rf"(?i:\.(?:{tlds})(?:-\w+)?\b)", "."),
            kind("XML_entity", r"&(?:quot|amp|apos|lt|gt|\#\d+|\#x[0-9a-f]+);", "&"),
            kind("flag", r"\p{Regional_Indicator}{2}\uFE0F?"),
            kind("emoji", r"(?=[\p{Extended_Pictographic}\p{Emoji_Presentation}])\X"),
            kind("heart", r"(?<![\d])[<^]3(?!\d)", "3"),
            kind("emoticon", rf"""(?:[:;]|(?<!\d)8)[-'oO]?(?:\)+|\(+|[*]|(?P<mouth>[DPp])(?P=mouth)*(?!\w))
                |\b[Xx]D+\b|(?<![\w]){emoticons}(?![\w])"""),
            kind("mention", r"@\w+(?!\w)", "@"),
            kind("hashtag", r"(?<!\w)\#\w(?:[\w-]*\w)?(?!\w)", "#"),
            kind("entime", r"(?i:(?<!\w)\d{1,2}(?:[.:]\d{2}){0,2}[ ]?(?P<ampm>[ap]m\b|[ap]\.m\.(?!\w)))" if lang == "en" else r"(?!)", "m"),
            kind("time", r"(?<!\w)\d{1,2}(?::\d{2}){1,2}(?![\d:])", ":"),
            kind("date", r"(?<![\d.])\d{1,2}(?P<dsep>[./-])\d{1,2}(?P=dsep)(?:(?:\d\d){1,2}(?!\d))?(?!\d)"),
            kind("artikel", r"(?i:\bArt\.)(?=\s?\d)", "."),
            kind("quoted", r"(?<!\p{L})'[^'\n]+'(?!\p{L})", "'"),
            kind("measurement", rf"(?<!\w|\d[.,]?){_NUMBER}[ ]?(?P<unit>(?i:{units}))(?!\w)"),
            kind("gender", r"(?<=\p{L})[*:/][Ii]n(?:nen)?\p{Ll}*\b"),
            kind("multiabbr", r"(?<![\p{L}.])(?:\p{L}\.){2,}(?!\p{L}{1,3}\.)", "."),
            kind("roman", r"\b(?=[MDCLXVI])M{0,4}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})\.(?!\w)", "."),
            kind("arrow", r"-+[ ]?>|<[ ]?-+|[\u2190-\u21ff]"),
            kind("plusamp", r"(?<![\w.-])[\w.-]*\w(?:[&+]\w+)+(?!\w)|(?<!\w)\w+\+(?![\w+])"),
            kind("numrange", rf"(?<!\w|\d[.,]?){_NUMBER}[-–]{_NUMBER}(?![.,]?\d)"),
            kind("fraction", r"(?<!\w)\d+/\d+(?![\d/])", "/"),
        ]
        self.rest = regex.compile(_rest_source(lang, regex_set), regex.VERBOSE)
        self.abbreviations = frozenset(_somajo_list(f"abbreviations_{lang}.txt", lower=True)) | frozenset(
            a.lower() for a in _somajo_list(f"single_token_abbreviations_{lang}.txt")
        )
        self.en_clitic = regex.compile(r"(?i)(?<=\w)(?:n['’]t|['’](?:s|m|d|ll|re|ve)|(?<=[sx])['’])$")
        self.plus_ampersand = frozenset(x.lower() for x in _somajo_list("tokens_with_plus_or_ampersand.txt"))
        self.en_hyphen = regex.compile(r"(?<=\w)-+(?=\w)")
        prefixes = "|".join(regex.escape(x) for x in _somajo_list("non-breaking_prefixes_en.txt")) or "e"
        suffixes = "|".join(regex.escape(x) for x in _somajo_list("non-breaking_suffixes_en.txt")) or "esque"
        self.en_keep_hyphen = regex.compile(rf"(?i)^(?:(?:{prefixes})-[\w-]+|[\w-]+-(?:{suffixes}))$")


@cache
def _patterns(lang: str) -> _Patterns:
    return _Patterns(lang)


@cache
def column_rest(lang: str) -> ColumnRest:
    """The process's rest expression of ``lang`` for Python's re (built on a long column's first use)."""
    return ColumnRest(functools.partial(_rest_source, lang))


# Classes of the protected spans (named groups) as SoMaJo calls them.
_CLASS = {
    "URL": "URL", "domain": "URL", "email_address": "email_address", "XML_entity": "XML_entity", "flag": "emoticon",
    "emoji": "emoticon", "heart": "emoticon", "emoticon": "emoticon", "mention": "mention",
    "hashtag": "hashtag", "time": "time", "artikel": "abbreviation", "gender": "regular", "ordinal": "ordinal", "amount": "amount",
    "compound": "regular", "number": "number", "word": "regular", "qe": "symbol", "ellipsis": "symbol",
    "arrow": "symbol", "slashes": "symbol", "roman": "ordinal", "fraction": "number", "plusamp": "regular",
    "punctrun": "symbol", "digit": "number", "other": "symbol",
}
_JOIN = "\u2029"
# Kinds found by their distinctive end (".de", "@host.com", "*innen"): the start is found by
# walking left over the characters SoMaJo's expression allows before it.
_EXPAND_LEFT = {"domain": "./-", "email_address": ".%+-", "gender": ""}
# Kinds whose every match contains one of a few characters and consists of characters of one
# class only: (characters one of which is in every match, the class).  Such a kind is searched
# only inside the maximal runs of its class that hold one of those characters, which gives
# the same matches as a search of the whole column: no match crosses a run's edge, the
# search enters each run afresh (the previous match ended in an earlier run), and the
# assertions at a run's edges read a character outside the class (or the text's edge), for
# which "(?<![\w.-])", "(?<!\w)", "(?!\w)" and "(?![\w+])" hold either way.  ``plusamp`` was
# a third of the protected-span searches on the One Million Posts dev comments (0.30 of
# 0.92 CPU s: its greedy "[\w.-]*" is tried at every word start); "+" and "&" are rare.
_WINDOWED = {"plusamp": ("[&+]", r"[\w.&+-]")}
# Kinds that are the impossible pattern for a language (e.g. English times in German): skipped.
_NEVER = "(?!)"


def _expand_left(text: str, start: int, kind: str, floor: int) -> int:
    """Start of the token whose distinctive end begins at ``start`` (-1: none), not before ``floor``."""
    extra = _EXPAND_LEFT[kind]
    i = start
    if kind == "gender":
        while i > floor and text[i - 1].isalpha():
            i -= 1
        return i if i < start and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")) else -1
    while i > floor and (text[i - 1].isalnum() or text[i - 1] == "_" or text[i - 1] in extra):
        i -= 1
    while i < start and not (text[i].isalnum() or text[i] == "_"):  # SoMaJo's leading \b
        i += 1
    return i if i < start else -1


class RegexTokenizer:
    """Tokens and sentences of one language; the interface of :class:`.offline.SomajoTokenizer`,
    plus :meth:`sentences_many`, which runs each expression once over a whole column of lines."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._p = _patterns(lang)
        self._eos_abbreviations = frozenset(_somajo_list("eos_abbreviations.txt"))

    def tokens(self, text: str) -> list[Tok]:
        """The tokens of ``text`` (one paragraph) with SoMaJo's token classes."""
        return self._tokens_of_column(text)

    def sentences(self, text: str) -> list[list[Tok]]:
        """Sentences of ``text`` (one paragraph), each a list of tokens (SoMaJo's rule)."""
        return self.sentences_many([text])[0]

    def sentences_many(self, texts: list[str]) -> list[list[list[Tok]]]:
        """:meth:`sentences` of every text, the expressions run once over all of them."""
        # Line breaks inside a text are whitespace to SoMaJo; the column joins texts with
        # U+2029 (paragraph separator: whitespace, never inside a token) so no
        # expression matches across two texts.
        column = _JOIN.join(texts)
        toks = self._tokens_of_column(column)
        out: list[list[list[Tok]]] = []
        k = 0
        base = 0
        for text in texts:
            end = base + len(text)
            first = k
            while k < len(toks) and toks[k].start < end:
                k += 1
            own = [Tok(s - base, e - base, c) for s, e, c in toks[first:k]] if base else toks[first:k]
            if own and text.strip():
                out.append([own[x:y] for x, y in _boundaries(text, own, self._eos_abbreviations, german=self.lang != "en")])
            else:
                out.append([])
            base = end + len(_JOIN)
        return out

    def sentence_columns_many(self, texts: list[str]) -> list[list[tuple[list[int], list[int], list[str], list[str]]]]:
        """:meth:`sentences_many` column-wise: per text, per sentence, the token starts and
        ends (in the text), classes and written forms, without a token object per token.

        The sentence rule runs on the column's tokens (offsets into the joined column): it
        reads characters at token starts and the character after a token, which are the
        text's own except after a text's last token, whose "space after" it never reads.
        """
        column = _JOIN.join(texts)
        toks = self._tokens_of_column(column)
        out: list[list[tuple[list[int], list[int], list[str], list[str]]]] = []
        k = 0
        base = 0
        german = self.lang != "en"
        for text in texts:
            end = base + len(text)
            first = k
            while k < len(toks) and toks[k].start < end:
                k += 1
            own = toks[first:k]
            sentences: list[tuple[list[int], list[int], list[str], list[str]]] = []
            if own and text.strip():
                for x, y in _boundaries(column, own, self._eos_abbreviations, german=german):
                    part = own[x:y]
                    if not part:  # (an empty slice gives empty columns, as before)
                        sentences.append(([], [], [], []))
                        continue
                    starts, ends, classes = zip(*part, strict=True)  # the three columns at once
                    sentences.append((
                        [a - base for a in starts],
                        [b - base for b in ends],
                        list(classes),
                        [column[a:b] for a, b in zip(starts, ends, strict=True)],
                    ))
            out.append(sentences)
            base = end + len(_JOIN)
        return out

    def _tokens_of_column(self, text: str) -> list[Tok]:
        claimed = self._specials(text)
        # A long column takes the rest expression through Python's re (same matches, about
        # half the cost per match: :mod:`.column_rest`); a page keeps the regex engine.
        rest: _Rest = self._p.rest
        scan = text  # what the rest expression reads (spans and kinds are those of ``text``)
        if len(text) >= COLUMN_MIN_CHARS:
            column = column_rest(self.lang)
            scanned = column.scan_text(text)
            if scanned is not None:
                rest, scan = column.pattern, scanned
        out: list[Tok] = []
        pos = 0
        for start, end, kind, m in claimed:
            if start > pos:
                self._rest(text, pos, start, out, rest, scan)
            self._special(kind, start, end, m, text, out, rest, scan)
            pos = end
        if pos < len(text):
            self._rest(text, pos, len(text), out, rest, scan)
        return out

    def _specials(self, text: str) -> list[tuple[int, int, str, regex.Match[str]]]:
        """Protected spans, earlier kinds first; a span overlapping a claimed one is dropped."""
        starts: list[int] = []  # sorted starts of claimed spans
        spans: list[tuple[int, int, str, regex.Match[str]]] = []
        for name, pattern, trigger in self._p.specials:
            if trigger is not None and trigger not in text or pattern.pattern == _NEVER:
                continue
            floor = 0  # a token never reaches back over the previous match of its kind (linear time)
            found = _windowed(pattern, text, *_WINDOWED[name]) if name in _WINDOWED else pattern.finditer(text)
            for m in found:
                start, end = m.span()
                if name == "plusamp" and m.group().lower() not in self._p.plus_ampersand:
                    continue
                if name in _EXPAND_LEFT:
                    found = _expand_left(text, start, name, floor)
                    floor = end
                    if found < 0:
                        continue
                    start = found
                i = bisect_right(starts, start)
                if i > 0 and spans[i - 1][1] > start:
                    continue
                if i < len(spans) and spans[i][0] < end:
                    continue
                starts.insert(i, start)
                spans.insert(i, (start, end, name, m))
        return spans

    def _special(self, kind: str, start: int, end: int, m: regex.Match[str], text: str, out: list[Tok], rest: _Rest, scan: str) -> None:
        if kind == "date":  # German: "3.5.2019" -> "3." "5." "2019" (SoMaJo splits dates)
            if self.lang == "en":
                out.append(Tok(start, end, "date"))
                return
            cut = start
            for i, ch in enumerate(m.group()):
                if ch in "./-":
                    out.append(Tok(cut, start + i + 1, "date"))
                    cut = start + i + 1
            if cut < end:
                out.append(Tok(cut, end, "date"))
        elif kind == "measurement":  # "5 km", "5km": number and unit, both "measurement"
            unit_start = m.start("unit")
            split = unit_start - 1 if text[unit_start - 1] == " " else unit_start
            if start < split:
                out.append(Tok(start, split, "measurement"))
            out.append(Tok(unit_start, end, "measurement"))
        elif kind == "entime":  # "3pm", "3 pm": time and am/pm, both "time"
            cut = m.start("ampm")
            split = cut - 1 if text[cut - 1] == " " else cut
            out.append(Tok(start, split, "time"))
            out.append(Tok(cut, end, "time"))
        elif kind == "multiabbr" and self.lang == "en":  # en_PTB keeps "e.g." whole
            out.append(Tok(start, end, "abbreviation"))
        elif kind == "multiabbr":  # "z.B." -> "z." "B."
            cut = start
            for i, ch in enumerate(m.group()):
                if ch == ".":
                    out.append(Tok(cut, start + i + 1, "abbreviation"))
                    cut = start + i + 1
        elif kind == "numrange":  # "5-10" -> "5" "-" "10", all "number"
            found = m.group()
            dash = max(found.rfind("-", 1), found.rfind("–", 1))
            for s, e in ((start, start + dash), (start + dash, start + dash + 1), (start + dash + 1, end)):
                if e > s:
                    out.append(Tok(s, e, "number"))
        elif kind == "quoted":  # 'so' -> "'" "so" "'" (SoMaJo's paired single quotes)
            out.append(Tok(start, start + 1, "symbol"))
            self._rest(text, start + 1, end - 1, out, rest, scan)
            out.append(Tok(end - 1, end, "symbol"))
        else:
            out.append(Tok(start, end, _CLASS.get(kind, "regular")))

    def _rest(self, text: str, start: int, end: int, out: list[Tok], rest: _Rest, scan: str) -> None:
        """Tokens of ``text[start:end]`` (no protected span inside), found by ``rest`` in ``scan``
        (``text`` itself, or its copy for :mod:`.column_rest`)."""
        p = self._p
        english = self.lang == "en"
        first = len(out)
        took_dot = False
        append, new, classes = out.append, _new_tok, _CLASS
        for m in rest.finditer(scan, start, end):
            kind = m.lastgroup or "other"
            s, e = m.span()
            if kind == "word":
                # A word and its dot: an abbreviation SoMaJo lists ("usw.", "Dr.") or a single letter.
                if e < end and text[e] == "." and (
                    text[s : e + 1].lower() in p.abbreviations
                    or (e - s == 2 and text[s:e].lower() == "ps" and not (s >= 2 and text[s - 1] == " " and text[s - 2].isdigit()))
                    or (e - s == 1 and text[s].isalpha() and not _letters_dot_follow(text, e + 1, end))
                ):
                    append(Tok(s, e + 1, "abbreviation"))
                    took_dot = True
                    continue
                if english:
                    self._english_word(text, s, e, out)
                    continue
            append(new(Tok, (s, e, classes.get(kind, "symbol"))))  # Tok(s, e, class) without the call's frame
        # Words that took a following dot leave it out of the next match: drop the duplicate.
        # Only such a word makes two tokens overlap (matches do not, nor a match and the token
        # before this segment, which ends where the segment starts), so without one, nothing to drop.
        if took_dot:
            _dedupe_tail(out, first)

    def _english_word(self, text: str, s: int, e: int, out: list[Tok]) -> None:
        p = self._p
        word = text[s:e]
        cut_at = _EN_TWO_PART.get(word.lower())
        if cut_at is not None:  # SoMaJo's en_PTB contractions without apostrophe: "dont" -> "do" "nt"
            out.append(Tok(s, s + cut_at, "regular"))
            out.append(Tok(s + cut_at, e, "regular"))
            return
        clitic = p.en_clitic.search(word)
        stem_end = e - (len(clitic.group()) if clitic else 0)
        stem = text[s:stem_end]
        if "-" in stem and not p.en_keep_hyphen.match(stem):
            cut = s
            for h in p.en_hyphen.finditer(stem):
                out.append(Tok(cut, s + h.start(), "regular"))
                out.append(Tok(s + h.start(), s + h.end(), "symbol"))
                cut = s + h.end()
            if cut < stem_end:
                out.append(Tok(cut, stem_end, "regular"))
        elif stem_end > s:
            out.append(Tok(s, stem_end, "regular"))
        if clitic:
            out.append(Tok(stem_end, e, "symbol" if e - stem_end == 1 else "regular"))


def _windowed(pattern: regex.Pattern[str], text: str, needles: str, member: str) -> Iterator[regex.Match[str]]:
    """``pattern.finditer(text)`` for a kind of :data:`_WINDOWED`: searched run by run."""
    inside = _char_class(member, pattern.flags)
    end = 0  # end of the last run searched
    for hit in _char_class(needles, pattern.flags).finditer(text):
        at = hit.start()
        if at < end:
            continue
        start = at
        while start > end and inside.match(text, start - 1) is not None:
            start -= 1
        stop = at + 1
        while stop < len(text) and inside.match(text, stop) is not None:
            stop += 1
        end = stop
        yield from pattern.finditer(text, start, stop)


@cache
def _char_class(expression: str, flags: int) -> regex.Pattern[str]:
    return regex.compile(expression, flags)


# SoMaJo's en_PTB two-part contractions written without apostrophe (its
# ``en_twopart_contractions``): the lower-cased word and where it is cut.
_EN_TWO_PART = {
    w.replace("|", ""): w.index("|")
    for w in (
        "a|lot", "gon|na", "got|ta", "lem|me", "out|ta", "wan|na", "there|s", "i|m", "you|re", "he|s", "she|s",
        "ai|nt", "are|nt", "is|nt", "do|nt", "does|nt", "did|nt", "i|ve", "you|ve", "they|ve", "have|nt",
        "has|nt", "can|not", "ca|nt", "could|nt", "wo|nt", "would|nt", "you|ll", "let|s",
    )
}


# ``tuple.__new__(Tok, (start, end, class))`` builds the same named tuple as ``Tok(start, end,
# class)`` without the Python-level ``__new__`` a NamedTuple's call goes through (~1 µs of
# the tokenizer's ~7 µs per token on One Million Posts comments).
_new_tok = tuple.__new__


@cache
def regex_tokenizer(lang: str) -> RegexTokenizer:
    """The process's tokenizer of ``lang`` (expressions compiled once)."""
    return RegexTokenizer(lang)


def _letters_dot_follow(text: str, i: int, end: int) -> bool:
    """SoMaJo's ``(?!\\p{L}{1,3}\\.)`` after a one-letter abbreviation."""
    j = i
    while j < end and j - i < 4 and text[j].isalpha():
        j += 1
    return 1 <= j - i <= 3 and j < end and text[j] == "."


def _dedupe_tail(out: list[Tok], first: int) -> None:
    """Remove a dot token that an abbreviation token already covers (the rest pattern saw it too)."""
    i = max(1, first)
    while i < len(out):
        prev, tok = out[i - 1], out[i]
        if tok.start < prev.end:
            del out[i]
        else:
            i += 1


_SENT_END = regex.compile(r"^(?:\.+|…+\.*|[!?]+)$")
_OPENING = regex.compile(r"^(?:['\"¿¡\p{Pi}\p{Ps}–—]|-{2,})$")
_CLOSING = regex.compile(r"^(?:['\"\p{Pf}\p{Pe}])$")
_MENTION = regex.compile(r"^[@]\w+$")
_HASHTAG = regex.compile(r"^[#]\w(?:[\w-]*\w)?$")
_PROBLEMATIC_DE = frozenset({'"', "»", "«", "›", "‹", "“", "‘"})
_PROBLEMATIC_EN = frozenset({'"'})


def _boundaries(text: str, toks: list[Tok], eos_abbreviations: frozenset[str], *, german: bool) -> list[tuple[int, int]]:
    """SoMaJo's ``SentenceSplitter._split_token_objects`` on offset tokens: (start, end) slices."""
    n = len(toks)
    last = [False] * n
    last[n - 1] = True
    # Candidates first (a sentence-final mark or an end-of-sentence abbreviation): most
    # tokens are neither, and a comment line is often one sentence.
    candidates = [
        i for i in range(n - 1)
        if text[toks[i].start] in ".!?…" or (toks[i].token_class == "abbreviation" and text[toks[i].start : toks[i].end].lower() in eos_abbreviations)
    ]
    if not candidates:
        return [(0, n)]
    words = [text[t.start : t.end] for t in toks]
    size = len(text)
    space_after = [t.end < size and text[t.end].isspace() for t in toks]
    problematic = _PROBLEMATIC_DE if german else _PROBLEMATIC_EN
    for i in candidates:
        if last[i]:
            continue
        word = words[i]
        if not (_SENT_END.search(word) or word.lower() in eos_abbreviations):
            continue
        state = None
        end_at = i
        for j in range(i + 1, n):
            w = words[j]
            opening = closing = False
            if w in problematic:
                if space_after[j - 1] or _OPENING.search(words[j - 1]):
                    opening = True
                elif j == n - 1 or space_after[j] or _CLOSING.search(words[j + 1]):
                    closing = True
            if w[0].isupper() or w.isnumeric() or _MENTION.search(w) or _HASHTAG.search(w):
                last[end_at] = True
                break
            if toks[j].token_class == "emoticon" and state != "opening":
                end_at = j
            elif opening or (_OPENING.search(w) and not closing):
                state = "opening"
            elif (closing or (_CLOSING.search(w) and not opening)) and state != "opening":
                end_at = j
                state = "closing"
            else:
                break
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(n):
        if last[i]:
            out.append((start, i + 1))
            start = i + 1
    return out
