"""Lexicon polarity with negation: sentence sentiment 0/1/2 without a trained model.

Lexicons (read directly from the XML files inside the installed wheels; textblob's runtime
is not used because textblob-de may want NLTK downloads):

* German: Klenner, Clematide, Wiegand, Peters (2010), German Polarity Lexicon, Apache-2.0,
  as ``textblob_de/data/de-sentiment.xml`` (7,965 lemmas, polarity in [-1, 1]).
* English: De Smedt & Daelemans (2012), pattern's adjective lexicon, PDDL (public domain),
  as ``textblob/en/en-sentiment.xml``; a word with several senses gets their mean polarity,
  as pattern itself does.

Our domain overrides (``data/polarity_overrides.toml``, each with its reason) replace
entries that are wrong for political comment sections ("Propaganda" is +1.0 in the German
lexicon).  Negation and intensity cues are in ``data/polarity_rules.toml``.

Scoring (Taboada et al. 2011, Computational Linguistics 37(2)): each polar word contributes
its polarity, multiplied by an intensifier directly before it and by ``negation_factor``
(a damped flip) when a negator is within ``window_before`` tokens before it, or, in German,
``window_after`` tokens after it (verb-second order: "das gefällt mir nicht"); punctuation
ends a window.  The sentence score is the mean contribution of its polar words; scores in
``[-neutral_band, +neutral_band]`` (or no polar word) are neutral.  Labels follow stanza's
sentiment convention: 0 negative, 1 neutral, 2 positive.
"""

from __future__ import annotations

import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import cast

NEGATIVE, NEUTRAL, POSITIVE = 0, 1, 2
_PUNCT_STOP = frozenset(".,;:!?()[]{}\"'„“”‚‘’«»–—-…/")


@dataclass(frozen=True, slots=True)
class LexiconSource:
    """Where a base lexicon comes from (for the manifest and the README)."""

    lang: str
    package: str  # the wheel that ships the file
    relative_path: str
    licence: str
    citation: str


SOURCES: dict[str, LexiconSource] = {
    "de": LexiconSource(
        "de", "textblob_de", "data/de-sentiment.xml", "Apache-2.0",
        "Klenner, Clematide, Wiegand, Peters (2010), German Polarity Lexicon v1.1",
    ),
    "en": LexiconSource(
        "en", "textblob", "en/en-sentiment.xml", "PDDL-1.0",
        "De Smedt & Daelemans (2012), Pattern for Python, en-sentiment.xml v1.3",
    ),
}


_MISSING = object()
_MAX_REMEMBERED = 2_000_000  # (form, lemma) pairs remembered by PolarityLexicon.score


@dataclass(frozen=True, slots=True)
class Rules:
    """Negation and intensity cues of one language."""

    negators: frozenset[str]
    intensifiers: dict[str, float]
    diminishers: dict[str, float]
    window_before: int
    window_after: int
    negation_factor: float
    neutral_band: float


@dataclass(slots=True)
class PolarityLexicon:
    """Polarity by word for one language, with the rules to score a sentence."""

    lang: str
    polarity: dict[str, float]
    rules: Rules
    overridden: dict[str, str] = field(default_factory=dict)  # word -> reason
    # lookup(form, lemma) per pair seen by :meth:`score` (a pure function of the pair and the
    # lexicon, which does not change after loading): most words of a corpus recur.
    _values: dict[tuple[str, str | None], float | None] = field(default_factory=dict, repr=False, compare=False)

    def lookup(self, text: str, lemma: str | None) -> float | None:
        """Polarity of a word by lemma, then form, then their lower-case forms."""
        for key in (lemma, text):
            if not key:
                continue
            value = self.polarity.get(key)
            if value is None:
                value = self.polarity.get(key.lower())
            if value is not None:
                return value
        return None

    def score(self, words: Sequence[tuple[str, str | None]]) -> float | None:
        """Mean contribution of the polar words of a sentence; None without polar words.

        Args:
            words: ``(form, lemma)`` pairs of the sentence in order.
        """
        known = self._values
        values: list[float | None] = []
        for pair in words:
            if type(pair) is not tuple:  # e.g. [form, lemma] lists: the key must be hashable
                pair = (pair[0], pair[1])
            found = known.get(pair, _MISSING)
            if found is _MISSING:
                value = self.lookup(*pair)
                if len(known) < _MAX_REMEMBERED:
                    known[pair] = value
            else:
                value = cast("float | None", found)
            values.append(value)
        return self._score_values(words, values)

    def _score_values(self, words: Sequence[tuple[str, str | None]], values: list[float | None]) -> float | None:
        """:meth:`score` from the words' looked-up values."""
        if not any(values):  # no polar word: no contribution (the loop below would add none)
            return None
        rules = self.rules
        lowered = [(form.lower(), (lemma or form).lower()) for form, lemma in words]
        contributions: list[float] = []
        for i, value in enumerate(values):
            if not value:
                continue
            low_form, low_lemma = lowered[i]
            if low_form in rules.negators or low_lemma in rules.negators:
                continue
            if i > 0:
                prev_form, prev_lemma = lowered[i - 1]
                value *= rules.intensifiers.get(prev_form, rules.intensifiers.get(prev_lemma, 1.0))
                value *= rules.diminishers.get(prev_form, rules.diminishers.get(prev_lemma, 1.0))
            if self._negated(lowered, i):
                value *= rules.negation_factor
            contributions.append(max(-1.0, min(1.0, value)))
        if not contributions:
            return None
        return sum(contributions) / len(contributions)

    def label_many(self, forms: Sequence[str], lemmas: Sequence[str | None], lengths: Sequence[int]) -> list[int]:
        """:meth:`label` of consecutive sentences of ``lengths`` words (``forms`` and their
        ``lemmas``, flat): each distinct pair looked up once, the sentence rules run only for
        sentences with a polar word (the others are neutral, as :meth:`score` decides)."""
        if len(forms) != len(lemmas) or len(forms) != sum(lengths):
            raise ValueError(f"{len(forms)} forms, {len(lemmas)} lemmas and sentences of {sum(lengths)} words")
        known = self._values
        values = [known.get(pair, _MISSING) for pair in zip(forms, lemmas, strict=True)]
        if _MISSING in values:
            unseen = [i for i, value in enumerate(values) if value is _MISSING]
            local = {pair: self.lookup(*pair) for pair in {(forms[i], lemmas[i]) for i in unseen}}
            if len(known) + len(local) <= _MAX_REMEMBERED:
                known.update(local)
            for i in unseen:
                values[i] = local[(forms[i], lemmas[i])]
        out = [NEUTRAL] * len(lengths)
        at = 0
        polar = list(map(bool, values))
        for i, size in enumerate(lengths):
            end = at + size
            if True in polar[at:end]:
                pairs = list(zip(forms[at:end], lemmas[at:end], strict=True))
                out[i] = self._label_of(self._score_values(pairs, cast("list[float | None]", values[at:end])))
            at = end
        return out

    def label(self, words: Sequence[tuple[str, str | None]]) -> int:
        """Stanza's sentence sentiment label: 0 negative, 1 neutral, 2 positive."""
        return self._label_of(self.score(words))

    def _label_of(self, value: float | None) -> int:
        if value is None or abs(value) <= self.rules.neutral_band:
            return NEUTRAL
        return POSITIVE if value > 0 else NEGATIVE

    def _negated(self, lowered: Sequence[tuple[str, str]], i: int) -> bool:
        rules = self.rules
        for j in range(i - 1, max(-1, i - 1 - rules.window_before), -1):
            form, lemma = lowered[j]
            if form in _PUNCT_STOP:
                break
            if form in rules.negators or lemma in rules.negators:
                return True
        for j in range(i + 1, min(len(lowered), i + 1 + rules.window_after)):
            form, lemma = lowered[j]
            if form in _PUNCT_STOP:
                break
            if form in rules.negators or lemma in rules.negators:
                return True
        return False


def _data_text(name: str) -> str:
    return resources.files("analyzer.stages.nlp").joinpath("data", name).read_text(encoding="utf-8")


def source_path(lang: str) -> Path:
    """The base lexicon file of ``lang`` inside its installed wheel."""
    source = SOURCES[lang]
    spec = find_spec(source.package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the package {source.package} (polarity lexicon for {lang!r}) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / source.relative_path


def read_base_lexicon(path: Path) -> dict[str, float]:
    """Polarity per word form of a pattern-style sentiment XML (mean over senses).

    The file comes from an installed wheel, not from user input; ElementTree does not fetch
    external entities, so even a tampered file cannot reach the network.
    """
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    for element in ET.parse(path).getroot().iter("word"):
        form = element.get("form")
        raw = element.get("polarity")
        if not form or raw is None:
            continue
        try:
            value = float(raw)
        except ValueError:
            continue
        sums[form] = sums.get(form, 0.0) + value
        counts[form] = counts.get(form, 0) + 1
    return {form: sums[form] / counts[form] for form in sums}


def read_rules(lang: str) -> Rules:
    data = tomllib.loads(_data_text("polarity_rules.toml"))
    base = data["settings"]
    own = data.get(lang, {})
    return Rules(
        negators=frozenset(w.lower() for w in own.get("negators", ())),
        intensifiers={k.lower(): float(v) for k, v in own.get("intensifiers", {}).items()},
        diminishers={k.lower(): float(v) for k, v in own.get("diminishers", {}).items()},
        window_before=int(own.get("window_before", base["window_before"])),
        window_after=int(own.get("window_after", base["window_after"])),
        negation_factor=float(own.get("negation_factor", base["negation_factor"])),
        neutral_band=float(own.get("neutral_band", base["neutral_band"])),
    )


def read_overrides(lang: str) -> dict[str, tuple[float, str]]:
    """Our domain overrides for ``lang``: word -> (polarity, reason)."""
    data = tomllib.loads(_data_text("polarity_overrides.toml")).get(lang, {})
    return {word: (float(entry["polarity"]), str(entry["reason"])) for word, entry in data.items()}


@cache
def load_lexicon(lang: str) -> PolarityLexicon:
    """The polarity lexicon of ``lang`` (``de`` or ``en``), overrides applied; cached.

    Example:
        >>> load_lexicon("de").label([("Das", "der"), ("ist", "sein"), ("nicht", "nicht"), ("gut", "gut")])
        0
    """
    if lang not in SOURCES:
        raise KeyError(f"no polarity lexicon for {lang!r}; available: {', '.join(SOURCES)}")
    polarity = read_base_lexicon(source_path(lang))
    overridden: dict[str, str] = {}
    for word, (value, reason) in read_overrides(lang).items():
        polarity[word] = value
        overridden[word] = reason
    # Lower-case aliases let sentence-initial capitals ("Gut") and lower-cased nouns find
    # their entry; an existing exact entry always wins.
    for word, value in list(polarity.items()):
        polarity.setdefault(word.lower(), value)
    return PolarityLexicon(lang, polarity, read_rules(lang), overridden)
