"""Reply features that see disagreement with the parent, from packaged word lists (TOML data).

The cue model (:mod:`.cues`) votes; this module only *describes* a reply for the trainable
model: which families of :file:`data/disagreement_{lang}.toml` fire (contrastive connectives,
concessions, negated agreement, rhetorical vs genuine questions, sarcasm and irony, address of
the parent's author, personal attacks, corrections), where (first sentence or later), in which
combination ("ja, aber": an agreement or concession followed by a contrast; a question that
addresses the parent's author), and how the reply relates to its parent (repeats a run of the
parent's words and then goes on, answers a question, length ratio).

Why separate features and not more votes: on One Million Posts replies, deny is about half of
all replies, and it is mostly argued, not announced ("Nur dass …", "Wieso sollte …?", "Sie
vergessen …"); no single cue decides, but their combination with the words does.  Every hit
keeps its character span, so the stance frame's evidence shows what the model saw.

Everything is linear in the text length: every family's matches over at most :data:`MAX_CHARS`
characters, found together from the text's words (:mod:`.patternset`: the same matches as one
``finditer`` per family).

References:
    Walker, Anand, Abbott, Grant (2012), Stance classification using dialogic properties of
    persuasion, NAACL (contrast, concession and question features of replies).
    Kochkina, Liakata, Augenstein (2017), Turing at SemEval-2017 Task 8 (negation, question,
    sarcasm-related cue features).
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from analyzer.core.errors import FormatError
from analyzer.stages.stance.cues import Companion, blank_urls
from analyzer.stages.stance.patternset import pattern_set

MAX_CHARS = 5_000
_SENTENCE_END = re.compile(r"[.!?…\n]+")
_TOKEN = re.compile(r"[^\W_]+")
_OPENERS = " \t\"'„“”»«‚‘’-–—(*•>"
_NEGATORS = re.compile(r"(?<!\w)(?:nicht|kein|keine|keinen|keinem|keiner|keines|nie|niemals)(?!\w)", re.IGNORECASE)
_WH = frozenset(
    "wer wen wem wessen was wann wo woher wohin warum weshalb wieso wie wieviel welche welcher welches "
    "welchen welchem wozu womit wofür worauf woran inwiefern".split()
)
_FAMILY_KEYS = frozenset({"name", "patterns", "symbols", "regex", "opening_only", "case_sensitive"})


@dataclass(frozen=True, slots=True)
class Family:
    """One word list: a compiled pattern and where it may fire."""

    name: str
    pattern: re.Pattern[str]
    opening_only: bool


@dataclass(frozen=True, slots=True)
class FeatureLists:
    """The packaged (or a user's) feature lists of one language."""

    language: str
    version: str
    families: tuple[Family, ...]
    concession_window: int
    quote_min_words: int


@dataclass(slots=True)
class ReplyFeatures:
    """Named features and the spans behind them."""

    features: dict[str, float] = field(default_factory=dict)
    hits: list[tuple[str, int, int, str]] = field(default_factory=list)  # family, start, end, matched text

    def evidence(self, limit: int = 30) -> list[dict[str, Any]]:
        """The hits as readable JSON rows (family, span, text)."""
        return [{"family": f, "start": s, "end": e, "text": t} for f, s, e, t in self.hits[:limit]]


def packaged_path(language: str) -> Path:
    return Path(str(resources.files("analyzer.stages.stance") / "data" / f"disagreement_{language}.toml"))


def _fail(path: str, raw: str, needle: str, expected: str) -> FormatError:
    at = raw.find(needle) if needle else -1
    return FormatError(path, expected, line=raw.count("\n", 0, at) + 1 if at >= 0 else None)


def _strings(value: Any, key: str, path: str, raw: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, raw, key, f"{key} to be a list of non-empty strings")
    return list(value)


def parse_lists(data: dict[str, Any], *, path: str, raw: str = "") -> FeatureLists:
    """Validate parsed TOML (see :func:`load_lists`)."""
    head = data.get("features")
    if not isinstance(head, dict) or not isinstance(head.get("language"), str) or not isinstance(head.get("version"), str):
        raise _fail(path, raw, "[features]", "a [features] table with string keys language and version")
    window = head.get("concession_window_chars", 120)
    min_words = head.get("quote_min_words", 4)
    if not isinstance(window, int) or not 10 <= window <= 1000 or not isinstance(min_words, int) or not 2 <= min_words <= 20:
        raise _fail(path, raw, "concession_window_chars",
                    "concession_window_chars 10-1000 and quote_min_words 2-20 (integers)")
    entries = data.get("family", [])
    if not isinstance(entries, list) or not entries:
        raise _fail(path, raw, "[[family]]", "at least one [[family]] table")
    families: list[Family] = []
    names: set[str] = set()
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
            raise _fail(path, raw, "[[family]]", "every [[family]] to have a name")
        name = entry["name"]
        unknown = sorted(set(entry) - _FAMILY_KEYS)
        if unknown or name in names:
            raise _fail(path, raw, f'"{name}"', f"family {name!r}: unique name and only keys {sorted(_FAMILY_KEYS)}")
        names.add(name)
        # One look-behind for all word patterns: (?<!\w)(?:(?:a)(?!\w)|(?:b)(?!\w)) matches what
        # (?<!\w)(?:a)(?!\w)|(?<!\w)(?:b)(?!\w) matches and fails at once inside words (cues.fast_pattern).
        words = _strings(entry.get("patterns", []), "patterns", path, raw)
        parts = [r"(?<!\w)(?:" + "|".join(r"(?:" + p + r")(?!\w)" for p in words) + ")"] if words else []
        parts += [re.escape(s) for s in _strings(entry.get("symbols", []), "symbols", path, raw)]
        parts += _strings(entry.get("regex", []), "regex", path, raw)
        if not parts:
            raise _fail(path, raw, f'"{name}"', f"family {name!r} to have patterns, symbols or regex")
        flags = 0 if entry.get("case_sensitive") else re.IGNORECASE
        try:
            pattern = re.compile("|".join(parts), flags)
        except re.error as exc:
            raise _fail(path, raw, f'"{name}"', f"valid regular expressions in family {name!r} ({exc})") from None
        families.append(Family(name, pattern, bool(entry.get("opening_only"))))
    return FeatureLists(head["language"], head["version"], tuple(families), window, min_words)


def load_lists(path: str | Path) -> FeatureLists:
    """Read and validate a feature-list file.

    Raises:
        FormatError: not valid TOML or not the format above (file and line named).
    """
    where = str(path)
    try:
        raw = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(raw)
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(where, "a readable UTF-8 feature-list file", found=type(exc).__name__) from None
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(where, "valid TOML", found=str(exc)) from None
    return parse_lists(data, path=where, raw=raw)


@functools.cache
def packaged_lists(language: str) -> FeatureLists | None:
    """The packaged lists of ``language``, or None when there are none."""
    path = packaged_path(language)
    return load_lists(path) if path.is_file() else None


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if text[start:m.end()].strip():
            spans.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _at_opening(text: str, start: int) -> bool:
    """Nothing but blanks, quotation marks or dashes since the last sentence end."""
    before = text[max(0, start - 200):start]
    cut = max(before.rfind(c) for c in ".!?…\n")
    head = before[cut + 1:] if cut >= 0 else (before if start <= 200 else "x")
    return all(c in _OPENERS for c in head)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _TOKEN.findall(text)]


def _shared_run(reply: list[str], parent: list[str], n: int) -> int:
    """Index in ``reply`` just after its first run of ``n`` words also found in ``parent``; -1 if none."""
    if len(reply) < n or len(parent) < n:
        return -1
    grams = {tuple(parent[i:i + n]) for i in range(len(parent) - n + 1)}
    for i in range(len(reply) - n + 1):
        if tuple(reply[i:i + n]) in grams:
            j = i + n
            while j < len(reply) and tuple(reply[j - n + 1:j + 1]) in grams:
                j += 1
            return j
    return -1


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start <= a < end for a, _ in spans)


# Matches of the families found elsewhere (the cue model's walk, cues.Companion): the text they
# were found in, and by family index the list of its ``finditer`` matches (absent: none).
Found = tuple[str, dict[int, list[re.Match[str]]]]


def companion(lists: FeatureLists) -> Companion:
    """The lists as a :class:`~analyzer.stages.stance.cues.Companion` of the cue model's walk."""
    entry = _COMPANIONS.get(id(lists))
    if entry is None or entry[0] is not lists:
        if len(_COMPANIONS) > 64:
            _COMPANIONS.clear()
        entry = _COMPANIONS[id(lists)] = (lists, Companion(lists, tuple(f.pattern for f in lists.families), MAX_CHARS))
    return entry[1]


_COMPANIONS: dict[int, tuple[FeatureLists, Companion]] = {}


def _family_hits(text: str, lists: FeatureLists, hits: list[tuple[str, int, int, str]],
                 found: Found | None = None) -> dict[str, list[tuple[int, int]]]:
    """Every family's matches in ``text`` (blanked already): spans by family, and ``hits`` filled.

    ``found``: the families' matches made in another walk, used when they were made in this very
    text (else they are found here).
    """
    by_family: dict[str, list[tuple[int, int]]] = {}
    if found is not None and found[0] == text:
        none: list[re.Match[str]] = []
        found_all = [found[1].get(k, none) for k in range(len(lists.families))]
    else:
        found_all = pattern_set(lists, lambda: [f.pattern for f in lists.families]).finditer_all(text)
    for family, matches in zip(lists.families, found_all, strict=True):
        for m in matches:
            if m.end() == m.start():
                continue
            if family.opening_only and not _at_opening(text, m.start()):
                continue
            by_family.setdefault(family.name, []).append((m.start(), m.end()))
            hits.append((family.name, m.start(), m.end(), m.group(0)[:80]))
    return by_family


def reply_hits(own: str, lists: FeatureLists, *, found: Found | None = None) -> ReplyFeatures:
    """Only the hits of :func:`reply_features` (no features): the evidence of a comment no model reads.

    The same list as ``reply_features(own, …).hits`` whatever the parent: the hits depend on the
    reply's own text alone.  ``found``: as in :func:`reply_features`.
    """
    out = ReplyFeatures()
    _family_hits(blank_urls(own[:MAX_CHARS]), lists, out.hits, found)
    out.hits.sort(key=lambda h: (h[1], h[0]))
    return out


def reply_features(
    own: str, parent: str | None, lists: FeatureLists, *, quotes_parent: bool = False, found: Found | None = None,
) -> ReplyFeatures:
    """Features of one reply's own text (quotations blanked) against its parent's text.

    Args:
        own: the reply's own text (spans index it).
        parent: the parent comment's text, or None for a top-level comment / hidden parent.
        lists: the language's feature lists.
        quotes_parent: the quotes stage found a quotation of the parent in the reply.
        found: the families' matches from the cue model's walk over the same blanked text
            (:func:`companion`), if made; ignored unless made in exactly this text.

    Example:
        >>> f = reply_features("Ja, aber das stimmt so nicht.", "Alle zahlen zu wenig.", packaged_lists("de"))
        >>> f.features["de:concession_but"], f.features["de:negated_agreement"] > 0
        (1.0, True)
    """
    text = blank_urls(own[:MAX_CHARS])  # a URL's "?" and "." are not the reader's sentences
    out = ReplyFeatures()
    feats = out.features
    sentences = _sentence_spans(text)
    first_end = sentences[0][1] if sentences else 0
    by_family = _family_hits(text, lists, out.hits, found)
    for name, spans in by_family.items():
        feats[f"de:{name}"] = float(min(len(spans), 5))
        if any(s < first_end for s, _ in spans):
            feats[f"de:{name}@first"] = 1.0
    # "Ja, aber" / "zwar …, doch": agreement or concession, then a contrast within the window.
    contrasts = sorted(by_family.get("contrast", []) + by_family.get("contrast_opening", []))
    openers = by_family.get("concession", []) + by_family.get("agreement", []) + by_family.get("agreement_opening", [])
    if any(any(0 < c - e <= lists.concession_window for c, _ in contrasts) for _, e in openers):
        feats["de:concession_but"] = 1.0
    # Questions: rhetorical (a marker, a negator or an attack in the sentence) vs genuine.
    rhetorical = by_family.get("rhetorical_marker", []) + by_family.get("personal_attack", []) \
        + by_family.get("sarcasm", [])
    genuine = by_family.get("genuine_question", [])
    address = by_family.get("address_formal", []) + by_family.get("address_informal", [])
    n_q = n_rh = n_gen = n_addr_q = 0
    for s, e in sentences:
        if "?" not in text[s:e]:
            continue
        n_q += 1
        words = _words(text[s:e])
        if _inside(rhetorical, s, e) or _NEGATORS.search(text[s:e]):
            n_rh += 1
        elif _inside(genuine, s, e) or (words and words[0] in _WH):
            n_gen += 1
        if _inside(address, s, e):
            n_addr_q += 1
    if n_q:
        feats["de:questions"] = float(min(n_q, 5))
        feats["de:q_rhetorical"] = float(min(n_rh, 5))
        feats["de:q_genuine"] = float(min(n_gen, 5))
        feats["de:q_addressed"] = float(min(n_addr_q, 5))
        feats["de:q_only"] = float(n_q == len(sentences))
    words = _words(text)
    n_neg = len(_NEGATORS.findall(text))
    feats["de:negators"] = float(min(n_neg, 5))
    if words:
        feats[f"de:first={words[0]}"] = 1.0
        feats["de:negator_share"] = n_neg / len(words)
    feats["de:n_sentences"] = float(min(len(sentences), 10)) / 10.0
    if parent is not None:
        parent_text = blank_urls(parent[:MAX_CHARS])
        parent_words = _words(parent_text)
        feats["de:parent_question"] = float(parent_text.rstrip().endswith("?") or "?" in parent_text[-200:])
        feats["de:length_ratio"] = min(len(words) / max(len(parent_words), 1), 5.0) / 5.0
        after = _shared_run(words, parent_words, lists.quote_min_words)
        if after >= 0 or quotes_parent:
            feats["de:quotes_parent"] = 1.0
            rest = words[after:] if after >= 0 else words
            if len(rest) >= 3:
                feats["de:quote_then_reply"] = 1.0
                rest_text = " " + " ".join(rest) + " "
                if any(f.pattern.search(rest_text) for f in lists.families if f.name in ("contrast", "negated_agreement")):
                    feats["de:quote_then_contrast"] = 1.0
        overlap = Counter([w for w in words if len(w) > 3]) & Counter([w for w in parent_words if len(w) > 3])
        feats["de:parent_word_overlap"] = min(sum(overlap.values()), 10) / 10.0
    out.hits.sort(key=lambda h: (h[1], h[0]))
    return out
