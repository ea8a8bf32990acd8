"""Named, readable features of a comment for the label models (beside word and character n-grams).

The n-grams carry most of the signal; these features add what n-grams see badly: the polarity
lexicon of the offline language layer with its negation rules (Klenner et al. 2010 for German,
De Smedt & Daelemans 2012 for English, see :mod:`analyzer.stages.nlp.lexicon`), shouting (capitals,
repeated ``!``/``?``), irony quotes, addressing another reader, length and whether the comment
is a reply.  Tokenisation is a plain regular expression: the labels stage must not depend on
the nlp stage having run, and the lexicon is looked up by form (no lemmas), which is what the
lexicon's inflected German entries allow.
"""

from __future__ import annotations

import math
import re
from functools import cache
from itertools import compress

from analyzer.stages.nlp.lexicon import PolarityLexicon, load_lexicon

# Words, numbers, and single punctuation marks (for the negation windows).
_TOKEN = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]", re.UNICODE)
_CAPS_WORD = re.compile(r"\b[A-ZÄÖÜ]{3,}\b")
_REPEAT_MARKS = re.compile(r"[!?]{2,}")
_SCARE_QUOTE = re.compile(r"[\"„“»«‚‘'][^\"„“»«‚‘'\n]{1,30}[\"“”»«‘’']")
_ADDRESS = re.compile(r"(?:^|\s)@\w+|\b(?:sie|du|ihr|dein\w*|ihr\w*|euch|euer\w*)\b", re.IGNORECASE)
_EMOTICON_POS = re.compile(r"[:;]-?[)D]|\^\^|😀|😂|😊|👍")
_EMOTICON_NEG = re.compile(r":-?\(|😠|😡|👎")
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)

FEATURE_NAMES: tuple[str, ...] = (
    "lex_score", "lex_neg_share", "lex_pos_share", "lex_n_polar_log", "lex_negated_share",
    "caps_words", "repeated_marks", "exclamations", "questions", "scare_quotes", "addresses",
    "emoticon_pos", "emoticon_neg", "has_url", "chars_log", "is_reply",
)


@cache
def _lexicon(lang: str) -> PolarityLexicon:
    return load_lexicon(lang)


class _Polarity(dict[str, float | None]):
    """``lexicon.lookup(form, None)`` per form, filled on first use."""

    def __init__(self, lexicon: PolarityLexicon) -> None:
        super().__init__()
        self.lexicon = lexicon

    def __missing__(self, form: str) -> float | None:
        value = self.lexicon.lookup(form, None)
        if len(self) < 1_000_000:
            self[form] = value
        return value


@cache
def _polarity_of(lang: str) -> _Polarity:
    return _Polarity(_lexicon(lang))


def tokens(text: str) -> list[str]:
    """Word and punctuation tokens of ``text`` (regular expression, no model)."""
    return _TOKEN.findall(text)


def named_features(text: str, *, is_reply: bool, lang: str = "de") -> list[float]:
    """The values of :data:`FEATURE_NAMES` for one comment, in that order.

    Counts are log-scaled (``log1p``) so that one very long comment does not dominate a
    linear model; shares are in [0, 1].
    """
    words = tokens(text)
    key = lang if lang in ("de", "en") else "de"
    lexicon = _lexicon(key)
    # The polarity of each distinct form, looked up once (lexicon.lookup(form, None) depends on
    # the form alone); a comment without a polar word has no polar list and no score, so the
    # lexicon's per-word loops run only for comments that have one (same values).
    values = list(map(_polarity_of(key).__getitem__, words))
    polar: list[float] = []
    negated = 0
    score = 0.0
    if any(values):
        pairs = [(w, None) for w in words]
        lowered = [(w.lower(), w.lower()) for w in words]
        for i in compress(range(len(words)), values):
            value = values[i]
            assert value is not None
            if lexicon._negated(lowered, i):  # noqa: SLF001 - the lexicon's own negation window
                negated += 1
                value *= lexicon.rules.negation_factor
            polar.append(value)
        score = lexicon.score(pairs) or 0.0
    n_polar = len(polar)
    return [
        score,
        sum(1 for v in polar if v < 0) / n_polar if n_polar else 0.0,
        sum(1 for v in polar if v > 0) / n_polar if n_polar else 0.0,
        math.log1p(n_polar),
        negated / n_polar if n_polar else 0.0,
        math.log1p(len(_CAPS_WORD.findall(text))),
        math.log1p(len(_REPEAT_MARKS.findall(text))),
        math.log1p(text.count("!")),
        math.log1p(text.count("?")),
        math.log1p(len(_SCARE_QUOTE.findall(text))),
        math.log1p(len(_ADDRESS.findall(text))),
        math.log1p(len(_EMOTICON_POS.findall(text))),
        math.log1p(len(_EMOTICON_NEG.findall(text))),
        1.0 if _URL.search(text) else 0.0,
        math.log1p(len(text)),
        1.0 if is_reply else 0.0,
    ]
