"""Language of a text and of each of its lines: script first, then py3langid.

Why lines: in comments a line break is deliberate (a quoted headline, a pasted link, a
Russian title under a German sentence), so a line is the smallest unit we tag and a sentence
never spans two lines.  Why script first: a line written mostly in Cyrillic is certainly not
German, whatever a character n-gram model says about six words; the script decides, and
py3langid (Lui & Baldwin 2012, BSD-licensed model inside the wheel) only chooses among the
languages of that script.  Short Latin lines (a greeting, a URL, "Over and out…") carry too
little evidence, so they inherit the language of their document.

Adversarial input: everything here is linear in the text length (no regex with nested
quantifiers; URLs are dropped with ``str.split``, not with a regex).

Example:
    >>> [s.lang for s in tag_lines("Guten Tag.\\nКак дела у вас сегодня?", default="de")]
    ['de', 'ru']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# --- Data: candidate languages and scripts (tuned on the reference page and hand-written
# lines in tests/stages/nlp/test_langid.py) ------------------------------------------------------

# Latin-script languages we tell apart; a small set keeps py3langid from calling a short
# German line Luxembourgish or Afrikaans.
LATIN_CANDIDATES: tuple[str, ...] = ("de", "en", "fr", "es", "it", "nl", "pl", "pt", "tr", "cs")
# Cyrillic-script languages; Russian is the default when the evidence is thin.
CYRILLIC_CANDIDATES: tuple[str, ...] = ("ru", "uk", "bg", "sr", "mk", "be", "kk")
CYRILLIC_DEFAULT = "ru"
# Other scripts are tagged by script alone (no pipeline exists for them here anyway).
SCRIPT_LANG: dict[str, str] = {
    "greek": "el",
    "arabic": "ar",
    "hebrew": "he",
    "han": "zh",
    "kana": "ja",
    "hangul": "ko",
}
# Lines with fewer letters than this (URLs removed) inherit the document language.
# "Lesen Sie mal das:" has 14 letters: py3langid gets it right, but "Over and out" (10) and
# "Na ja, egal" (8) flip between languages; 20 letters kept every hand-written test line right.
MIN_LETTERS = 20
# py3langid probability (renormalised over the candidates) needed to override the default.
MIN_CONFIDENCE = 0.85
UNKNOWN = "und"
# Language identification looks at most this many characters of a text: a few thousand
# characters decide the language as well as a megabyte does, at a fraction of the cost.
SAMPLE_CHARS = 5_000

# Letter ranges by script (Unicode blocks).  Character classes with a single "+" are linear.
_SCRIPT_RE: dict[str, re.Pattern[str]] = {
    "latin": re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]"),
    "cyrillic": re.compile(r"[\u0400-\u052F\u1C80-\u1C8F\u2DE0-\u2DFF\uA640-\uA69F]"),
    "greek": re.compile(r"[\u0370-\u03FF\u1F00-\u1FFF]"),
    "arabic": re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]"),
    "hebrew": re.compile(r"[\u0590-\u05FF]"),
    "han": re.compile(r"[\u4E00-\u9FFF\u3400-\u4DBF]"),
    "kana": re.compile(r"[\u3040-\u30FF]"),
    "hangul": re.compile(r"[\uAC00-\uD7AF\u1100-\u11FF]"),
}
# Non-blank runs between line breaks (every break Python's str.splitlines knows).
_LINE_RE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")


@dataclass(frozen=True, slots=True)
class Line:
    """A non-blank line of a text: ``text[start:end]`` without surrounding whitespace."""

    start: int
    end: int
    lang: str
    method: str  # "script", "langid", "inherited", "document" (the text's own answer, tag_lines_many)


def script_counts(text: str) -> dict[str, int]:
    """Letters per script in ``text`` (scripts without letters are left out)."""
    # len(text) - len(sub) counts matches in C without building a list of one-letter strings.
    counts = {name: len(text) - len(pattern.sub("", text)) for name, pattern in _SCRIPT_RE.items()}
    return {name: n for name, n in counts.items() if n}


def _without_urls(text: str) -> str:
    # Whitespace split is linear; a URL regex over untrusted text is where backtracking hides.
    if "://" not in text and "www." not in text.lower():  # no word to drop: skip the per-word test
        return " ".join(text.split())
    return " ".join(w for w in text.split() if "://" not in w and not w.lower().startswith("www."))


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier restricted to our candidates (loaded once per process)."""
    import py3langid.langid as langid_module

    try:
        identifier = _identifier_from_unpacked_model(langid_module)
    except Exception:  # noqa: BLE001 - any trouble with the unpacked copy: py3langid's own loader
        identifier = langid_module.LanguageIdentifier.from_model_file(langid_module.MODEL_FILE, norm_probs=True)
    identifier.set_languages([*LATIN_CANDIDATES, *CYRILLIC_CANDIDATES])
    return identifier


@lru_cache(maxsize=1)
def _scorer() -> Any:
    """The column-wise scorer over :func:`_identifier` (:mod:`.langid_vector`; same scores).

    The automaton's depth is kept beside the unpacked model (computing it takes ~0.4 s).
    """
    from analyzer.stages.nlp.langid_vector import VectorScorer

    identifier = _identifier()
    return VectorScorer(identifier, depth_file=_model_path().with_name("depth.txt") if _model_path().is_file() else None)


def _model_path() -> Any:
    """Where the unpacked py3langid model lives on this machine."""
    import os
    from importlib import metadata
    from pathlib import Path

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "analyzer" / "py3langid" / metadata.version("py3langid") / "model.npz"


def _identifier_from_unpacked_model(langid_module: Any) -> Any:
    """py3langid's identifier from its model unpacked once into the user's cache folder.

    py3langid ships its model LZMA-compressed and decompresses it on every start: 0.41 s
    CPU of the 0.47 s the identifier took to load, a fifth of a one-page run.  The unpacked
    ``.npz`` (68 MB, ``$XDG_CACHE_HOME/analyzer/py3langid/<version>/model.npz``) loads in
    0.10 s; the identifier is built exactly as ``LanguageIdentifier.from_model_file`` builds
    it, from the same arrays (``tests/stages/nlp/test_langid.py`` compares the two).
    """
    import lzma
    import os
    import shutil
    import uuid
    from pathlib import Path

    import numpy as np
    from py3langid import modelio

    unpacked = _model_path()
    if not unpacked.is_file():
        unpacked.parent.mkdir(parents=True, exist_ok=True)
        tmp = unpacked.with_name(f".model.{uuid.uuid4().hex}.tmp")
        source = Path(langid_module.MODEL_DIR) / langid_module.MODEL_FILE
        with lzma.open(source) as src, tmp.open("wb") as dst:
            shutil.copyfileobj(src, dst, length=1 << 20)
        os.replace(tmp, unpacked)
    with np.load(unpacked, allow_pickle=False) as data:
        return langid_module.LanguageIdentifier(
            np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
            modelio._to_array(data["nextmove"]), data["out_feat"].tolist(),
            norm_probs=True, tk_row=modelio._to_array(data["nextmove_row"]),
        )


# The nlp stage asks for a comment's language (whole text) and then for each of its lines:
# for the many one-line comments that is the same cleaned text twice.  A small cache of
# recent answers makes the second question free (py3langid is deterministic).
_RECENT_TEXTS = 4096


@lru_cache(maxsize=_RECENT_TEXTS)
def _best_of(text: str, candidates: tuple[str, ...]) -> tuple[str, float]:
    """The most probable language among ``candidates`` and its renormalised probability."""
    return _best_among(_identifier().rank(text), candidates)


def _best_among(ranking: list[tuple[str, float]], candidates: tuple[str, ...]) -> tuple[str, float]:
    ranked = [(lang, float(p)) for lang, p in ranking if lang in candidates]
    if not ranked:
        return candidates[0], 0.0
    total = sum(p for _, p in ranked) or 1.0
    lang, p = max(ranked, key=lambda item: item[1])
    return lang, p / total


def detect(text: str, *, default: str) -> tuple[str, str]:
    """Language of one text (a line or a whole comment) and how it was decided.

    Args:
        text: the text.
        default: language to fall back on when the evidence is thin.

    Returns:
        ``(lang, method)``; method is ``script``, ``langid`` or ``inherited``.
    """
    cleaned = _without_urls(text[:SAMPLE_CHARS])
    counts = script_counts(cleaned)
    letters = sum(counts.values())
    if not letters:
        return default, "inherited"
    script, n_script = max(counts.items(), key=lambda item: item[1])
    if script == "cyrillic" and n_script * 2 >= letters:
        if n_script < MIN_LETTERS:
            return CYRILLIC_DEFAULT, "script"
        lang, p = _best_of(cleaned, CYRILLIC_CANDIDATES)
        return (lang if p >= MIN_CONFIDENCE else CYRILLIC_DEFAULT), "script"
    if script in SCRIPT_LANG and n_script * 2 >= letters:
        return SCRIPT_LANG[script], "script"
    if script != "latin" or n_script < MIN_LETTERS:
        return default, "inherited"
    lang, p = _best_of(cleaned, LATIN_CANDIDATES)
    if p >= MIN_CONFIDENCE:
        return lang, "langid"
    return default, "inherited"


def document_language(text: str, *, default: str) -> str:
    """Language of a whole document: its Latin or Cyrillic majority, else ``default``."""
    return detect(text, default=default)[0]


def split_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines of ``text``, surrounding whitespace excluded."""
    spans: list[tuple[int, int]] = []
    for match in _LINE_RE.finditer(text):
        chunk = match.group()
        stripped = chunk.strip()
        if not stripped:
            continue
        start = match.start() + (len(chunk) - len(chunk.lstrip()))
        spans.append((start, start + len(stripped)))
    return spans


def tag_lines(text: str, *, default: str) -> list[Line]:
    """Every non-blank line of ``text`` with its language.

    Args:
        text: a comment's text or the article body.
        default: the document's language, inherited by lines with too little evidence.
    """
    return [Line(start, end, *detect(text[start:end], default=default)) for start, end in split_lines(text)]


# --- Many texts at once (the nlp stage) ------------------------------------------------------
# The same decisions as :func:`detect` (tested equal), with the per-text steps that cost
# most done column-wise: letters per script counted over all texts in one numpy pass, and
# py3langid's byte walk for all texts that need it at once (:mod:`.langid_vector`).

_SCRIPT_NAMES: tuple[str, ...] = tuple(_SCRIPT_RE)
# The code-point ranges of ``_SCRIPT_RE`` (disjoint), as (first, last, script index).
_SCRIPT_RANGES: tuple[tuple[int, int, int], ...] = tuple(
    sorted(
        (ord(a), ord(b), k)
        for k, pattern in enumerate(_SCRIPT_RE.values())
        # The patterns are raw strings of ASCII and \u escapes: decoded, "a-b" pairs remain.
        for a, b in re.findall(r"(.)-(.)", pattern.pattern[1:-1].encode("ascii").decode("unicode_escape"), re.S)
    )
)


def _script_counts_many(texts: list[str]) -> Any:
    """Letters per script of each text: an array (texts × scripts), as :func:`script_counts`."""
    import numpy as np

    n_scripts = len(_SCRIPT_NAMES)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    points = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    firsts = np.array([r[0] for r in _SCRIPT_RANGES], dtype=np.uint32)
    lasts = np.array([r[1] for r in _SCRIPT_RANGES], dtype=np.uint32)
    scripts = np.array([r[2] for r in _SCRIPT_RANGES], dtype=np.int64)
    slot = np.searchsorted(firsts, points, side="right") - 1  # the range starting at or before
    inside = (slot >= 0) & (points <= lasts[np.maximum(slot, 0)])
    text_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    keys = text_of[inside] * n_scripts + scripts[slot[inside]]
    return np.bincount(keys, minlength=len(texts) * n_scripts).reshape(len(texts), n_scripts)


def _best_among_rows(scores: Any, candidates_of: list[tuple[str, ...]]) -> list[tuple[str, float]]:
    """:func:`_best_among` of each row of ``scores`` (py3langid's ``_decide`` rows), computed together.

    The language is the first highest-scoring candidate in ranking order, which is the first
    highest candidate column (py3langid ranks with a stable sort over the columns in order,
    the first column of an aliased label carrying its merged score): ``argmax``.  Its share is
    its score over the candidates' total, summed in ranking order as ``_best_among`` sums
    (a sequential ``cumsum`` over the scores sorted the same way).  Where a share lies within
    ``1e-9`` of :data:`MIN_CONFIDENCE` (a differently rounded sum could cross it) or a row is
    not finite, the row is decided by :func:`_best_among` itself, so every decision is the
    per-text one whatever the summation.
    """
    import numpy as np

    classes = list(_identifier().nb_classes)
    first = [classes.index(lang) == k for k, lang in enumerate(classes)]  # rank keeps a label's first column
    out: list[tuple[str, float]] = [("", 0.0)] * len(candidates_of)
    for candidates in dict.fromkeys(candidates_of):
        rows = np.array([r for r, c in enumerate(candidates_of) if c == candidates], dtype=np.intp)
        mask = np.array([f and lang in candidates for f, lang in zip(first, classes, strict=True)])
        part = scores[rows].astype(np.float64)
        values = np.where(mask, part, 0.0)
        best = np.argmax(np.where(mask, values, -1.0), axis=1)
        ordered = np.take_along_axis(values, np.argsort(-values, axis=1, kind="stable"), axis=1)
        total = np.cumsum(ordered, axis=1)[:, -1]
        total[total == 0.0] = 1.0
        share = values[np.arange(len(rows)), best] / total
        unsure = ~np.isfinite(part).all(axis=1) | (np.abs(share - MIN_CONFIDENCE) <= 1e-9)
        for r, k, p, doubt in zip(rows.tolist(), best.tolist(), share.tolist(), unsure.tolist(), strict=True):
            out[r] = _best_among(_ranking(classes, scores[r].tolist()), candidates) if doubt else (classes[k], p)
    return out


def _ranking(classes: list[str], scores: list[float]) -> list[tuple[str, float]]:
    """py3langid's ``rank`` of one row of ``_decide`` scores."""
    merged: dict[str, float] = {}
    for lang, score in zip(classes, scores, strict=True):
        merged.setdefault(lang, score)
    return sorted(merged.items(), key=lambda item: item[1], reverse=True)


def detect_many(texts: list[str], defaults: list[str]) -> list[tuple[str, str]]:
    """:func:`detect` of each text with its default: the same answers, computed together."""
    cleaned = [_without_urls(text[:SAMPLE_CHARS]) for text in texts]
    counts = _script_counts_many(cleaned).tolist() if texts else []
    out: list[tuple[str, str] | None] = [None] * len(texts)
    # (cleaned text, candidates) -> the texts waiting for py3langid's answer
    asked: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    latin, cyrillic = _SCRIPT_NAMES.index("latin"), _SCRIPT_NAMES.index("cyrillic")
    for i, row in enumerate(counts):
        letters = sum(row)
        if not letters:
            out[i] = (defaults[i], "inherited")
            continue
        # max() over the scripts present, in _SCRIPT_RE's order: the first of equal counts wins.
        best = max((k for k, n in enumerate(row) if n), key=row.__getitem__)
        n_script = row[best]
        if best == cyrillic and n_script * 2 >= letters:
            if n_script < MIN_LETTERS:
                out[i] = (CYRILLIC_DEFAULT, "script")
            else:
                asked.setdefault((cleaned[i], CYRILLIC_CANDIDATES), []).append(i)
        elif _SCRIPT_NAMES[best] in SCRIPT_LANG and n_script * 2 >= letters:
            out[i] = (SCRIPT_LANG[_SCRIPT_NAMES[best]], "script")
        elif best != latin or n_script < MIN_LETTERS:
            out[i] = (defaults[i], "inherited")
        else:
            asked.setdefault((cleaned[i], LATIN_CANDIDATES), []).append(i)
    if asked:
        keys = list(asked)
        chosen = _best_among_rows(_scorer().decide_matrix([text for text, _ in keys]), [c for _, c in keys])
        for key, (lang, p) in zip(keys, chosen, strict=True):
            candidates = key[1]
            for i in asked[key]:
                if candidates == CYRILLIC_CANDIDATES:
                    out[i] = (lang if p >= MIN_CONFIDENCE else CYRILLIC_DEFAULT), "script"
                else:
                    out[i] = (lang, "langid") if p >= MIN_CONFIDENCE else (defaults[i], "inherited")
    return [item if item is not None else (defaults[i], "inherited") for i, item in enumerate(out)]


# The answers of the last ``document_languages(..., remember=True)`` call, by (text, default).
# The nlp stage asks for every comment's language; the labels stage asks again for the same
# comments, mostly with the same default.  An answer depends on (text, default) alone
# (py3langid is deterministic), so a remembered answer is exactly the one a new call would
# give.  One call's answers are kept (the next remembering call replaces them): at most the
# comments of one run or chunk, whose texts the run holds anyway.
_remembered: dict[tuple[str, str], str] = {}


def document_languages(texts: list[str], defaults: list[str], *, remember: bool = False) -> list[str]:
    """:func:`document_language` of each text with its default, computed together.

    Answers remembered by the last call with ``remember=True`` are reused (identical: an
    answer depends on the text and the default only); ``remember=True`` keeps this call's
    answers for the next caller in this process (the labels stage after the nlp stage).
    """
    global _remembered
    known = _remembered
    out: list[str | None] = [known.get(key) for key in zip(texts, defaults, strict=True)] if known else [None] * len(texts)
    todo = [i for i, lang in enumerate(out) if lang is None]
    if todo:
        found = detect_many([texts[i] for i in todo], [defaults[i] for i in todo])
        for i, (lang, _) in zip(todo, found, strict=True):
            out[i] = lang
    answers = [lang if lang is not None else defaults[i] for i, lang in enumerate(out)]
    if remember:
        _remembered = dict(zip(zip(texts, defaults, strict=True), answers, strict=True))
    return answers


def tag_lines_many(texts: list[str], defaults: list[str], *, own: list[bool] | None = None) -> list[list[Line]]:
    """:func:`tag_lines` of each text with its default, computed together.

    ``own[i]`` says that ``defaults[i]`` is the text's own language, ``document_language(
    texts[i], default=X)`` for some X (the nlp stage identifies every comment before it
    annotates it).  A text of one non-blank line and at most :data:`SAMPLE_CHARS` characters
    then needs no second identification: its line, cleaned, is the text cleaned (the other
    lines are blank and :func:`_without_urls` joins the words), so every branch of
    :func:`detect` decides as it did for the text, and where the text inherited X the line
    inherits the text's answer, which is X.  Such a line's ``method`` is ``"document"``.
    On the One Million Posts dev comments this is 47 % of the comments and a quarter of the
    characters language identification reads.
    """
    spans = [split_lines(text) for text in texts]
    reuse = [
        bool(own and own[i]) and len(spans[i]) == 1 and len(texts[i]) <= SAMPLE_CHARS for i in range(len(texts))
    ]
    lines = [text[s:e] for text, spans_of, done in zip(texts, spans, reuse, strict=True) if not done for s, e in spans_of]
    line_defaults = [d for d, spans_of, done in zip(defaults, spans, reuse, strict=True) if not done for _ in spans_of]
    decided = iter(detect_many(lines, line_defaults))
    return [
        [Line(s, e, default, "document") for s, e in spans_of] if done else [Line(s, e, *next(decided)) for s, e in spans_of]
        for spans_of, default, done in zip(spans, defaults, reuse, strict=True)
    ]
