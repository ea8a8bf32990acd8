"""Find stance cues in one comment's own text: which cues fired, where, and what they vote.

The text given here is the comment's OWN text with quotations blanked out (same length as
the comment's ``text``, so every span indexes the original comment).  Everything is linear in
the text length: every cue family's matches over at most :data:`MAX_CHARS` characters (found
together from the text's words, :mod:`.patternset`; the same matches as one ``finditer`` each),
token look-ups by bisection, no nested loops over tokens.  Each cue's pattern is first
rewritten into an equivalent, faster form (:func:`fast_pattern`).

Questions (methods.md section 3): a sentence ending in "?" is a *genuine* question (a vote
for query) unless a rhetorical marker of the inventory occurs in it ("doch", "etwa",
"denn … nicht", "Wem nutzt es", "oder etwa nicht?", "Wie war das: …?"); rhetorical questions
argue rather than ask, so they never vote query.  A question of one or two words without an
interrogative ("Zufall?", "Komplizierter?") is an echo of the parent: a weak query vote.

References:
    Derczynski et al. (2017), SemEval-2017 Task 8: RumourEval, Proc. SemEval (SDQC features).
    Kochkina, Liakata, Augenstein (2017), Turing at SemEval-2017 Task 8: sequential approach
    to rumour stance classification with branch-LSTM (negation, question and cue features).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from analyzer.stages.stance.inventory import Inventory
from analyzer.stages.stance.patternset import pattern_set

# Characters of own text examined per comment (1 MB comments are cut, with a parse issue).
MAX_CHARS = 20_000
# Weights of question votes (tuned by hand on fixtures/de_sample_page and the reference page:
# a wh-question asks, a yes/no question usually asks, an echo question mostly objects).
WH_QUESTION_WEIGHT = 1.0
YES_NO_QUESTION_WEIGHT = 0.7
ECHO_QUESTION_WEIGHT = 0.3
# A rhetorical question argues: with the article when it opens the discussion (the reference
# page, comment F), against the parent in a reply (de_sample_page c24 "Reicht Ihnen das nicht?").
RHETORICAL_WEIGHT = 0.6
# Characters after a quotation block in which a contrast or denial makes "quote-then-contrast".
CONTRAST_WINDOW_CHARS = 300
QUOTE_CONTRAST_WEIGHT = 1.0

_TOKEN = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?…\n]+")
# Links in own text when links.parquet is not at hand (defanged forms included, bounded).
LINK_HINT = re.compile(r"(?:https?|hxxps?|_{2,10}|ftp)\s{0,2}(?:\[:\]|:)//|(?<![\w@.])www\.\w", re.IGNORECASE)
# A URL in own text (blanked before cue matching: its "?", "." and words are not the reader's
# sentences; "…/watch?v=…" read as a question in issue 13).  A literal start, then \S:
# backtracking is bounded by one URL's length.
# Punctuation that closes the URL's sentence stays text ("… www.x.de/?q=1." ends a sentence).
URL_IN_TEXT = re.compile(r"(?:(?:https?|hxxps?|ftp)://|(?<![\w@.])www\.)\S*[^\s.,;:!?)\]\"'»«“”]", re.IGNORECASE)
_CLAUSE_MARKS = frozenset(",;:–—")
# A question that opens with a bracket or a quotation mark is an aside or reported speech
# (a translated headline "(Wie kann …?)" on the reference page, comment E), not the reader's.
_NOT_OWN_QUESTION = "(„“”\"»«‚"
_OPENERS = " \t\"'„“”»«‚‘’-–—(*•>"


_GUARD = "(?<!\\w)"


def _top_level_alternatives(pattern: str) -> list[str] | None:
    """``pattern`` split at its top-level ``|``; None when its brackets do not balance.

    Knows escapes, character classes (a ``]`` right after ``[`` or ``[^`` is literal) and
    groups, which is all it takes to find the alternation the inventory joined its fragments with.
    """
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i += 1
            if i < n and pattern[i] == "^":
                i += 1
            if i < n and pattern[i] == "]":
                i += 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            if i >= n:
                return None
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    if depth != 0 or i > n:
        return None
    parts.append(pattern[start:])
    return parts


@functools.lru_cache(maxsize=4096)
def _fast_source(source: str, flags: int) -> str | None:
    """The hoisted form of ``source`` (see :func:`fast_pattern`), or None when it does not apply."""
    if flags & re.VERBOSE or "(?#" in source:
        return None  # comments may hold brackets and bars the splitter cannot see through
    parts = _top_level_alternatives(source)
    if parts is None or len(parts) < 2 or not all(p.startswith(_GUARD) for p in parts):
        return None
    return _GUARD + "(?:" + "|".join(p[len(_GUARD) :] for p in parts) + ")"


@functools.lru_cache(maxsize=4096)
def _compile_fast(source: str, flags: int) -> re.Pattern[str] | None:
    try:
        return re.compile(source, flags)
    except re.error:
        return None


def fast_pattern(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same matches as ``pattern``, found faster when it is an inventory alternation.

    The inventory joins fragments as ``(?<!\\w)(?:f1)(?!\\w)|(?<!\\w)(?:f2)(?!\\w)|...``, so
    the regex engine re-checks the look-behind once per fragment at every position.  A
    look-behind depends on the position only, so ``(?<!\\w)(?:A|B)`` matches exactly what
    ``(?<!\\w)A|(?<!\\w)B`` matches, alternatives tried in the same order, and fails at once
    inside words (about 4x faster on the packaged inventories).  Patterns in which some
    alternative does not start with that look-behind are returned unchanged.

    Example:
        >>> p = re.compile(r"(?<!\\w)(?:ja)(?!\\w)|(?<!\\w)(?:genau)(?!\\w)", re.I)
        >>> print(fast_pattern(p).pattern)
        (?<!\\w)(?:(?:ja)(?!\\w)|(?:genau)(?!\\w))
    """
    source = _fast_source(pattern.pattern, pattern.flags)
    if source is None:
        return pattern
    fast = _compile_fast(source, pattern.flags)
    return fast if fast is not None else pattern


@dataclass(frozen=True, slots=True)
class CueHit:
    """One cue that fired: its vote, its target and where it is (characters of the comment)."""

    cue_id: str
    family: str
    label: str | None  # support | deny | query | None (marks, does not vote)
    target: str | None  # parent | article | None
    weight: float
    start: int
    end: int
    text: str
    negated: bool = False

    def as_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "cue": self.cue_id, "family": self.family, "label": self.label, "target": self.target,
            "weight": round(self.weight, 3), "start": self.start, "end": self.end, "text": self.text[:120],
        }
        if self.negated:
            out["negated"] = True
        return out


@dataclass(slots=True)
class TextCues:
    """All cues of one text, with question counts."""

    hits: list[CueHit] = field(default_factory=list)
    n_tokens: int = 0
    n_genuine_questions: int = 0
    n_rhetorical_questions: int = 0
    n_echo_questions: int = 0
    addresses_article: bool = False
    truncated: bool = False
    # The companion patterns' matches (:class:`Companion`), found in the same walk as the cues'
    # (by pattern index, only patterns that matched: a comment keeps no empty lists), and the
    # text they were found in; None when no companion was asked for or the text was longer than
    # the companion reads.  Read in this process only (re.Match objects).
    companion_matches: dict[int, list[re.Match[str]]] | None = field(default=None, compare=False, repr=False)
    companion_text: str | None = field(default=None, compare=False, repr=False)

    def votes(self, target: str) -> dict[str, float]:
        """Summed weights per label of the hits aimed at ``target``."""
        out = {"support": 0.0, "deny": 0.0, "query": 0.0}
        for hit in self.hits:
            if hit.label is not None and hit.target == target:
                out[hit.label] += hit.weight
        return out


@dataclass(frozen=True, slots=True, eq=False)
class Companion:
    """Other patterns matched over the same text in the cues' walk over its words (one walk, not two).

    The stance stage reads each comment twice with word lists: the cues here, the disagreement
    lists of :mod:`.disagreement` later.  Both find their candidates from the same words of the
    same blanked text (:mod:`.patternset`), so the stage asks for the lists' matches here too.

    Args:
        owner: a long-lived object the patterns belong to (the combined pattern set is kept per
            owner and cue tuple).
        patterns: the companion's compiled patterns, in its order.
        max_chars: the companion reads ``text[:max_chars]``; a longer text gets no companion
            matches (its prefix would be another text).
    """

    owner: object
    patterns: tuple[re.Pattern[str] | None, ...]
    max_chars: int


@dataclass(frozen=True, slots=True)
class QuoteBlock:
    """A quotation block of the comment (characters) and whom it quotes."""

    start: int
    end: int
    target: str  # "article" when aligned to article sentences, else "parent"


def _sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of sentences; ``end`` includes the closing punctuation."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > start:
            out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def blank_urls(text: str) -> str:
    """``text`` with every URL replaced by as many spaces (offsets of everything else unchanged)."""
    if "://" not in text and "www." not in text.lower():
        return text
    return URL_IN_TEXT.sub(lambda m: " " * len(m.group()), text)


_JOINED: dict[tuple[int, int], tuple[object, Companion, tuple[object, ...]]] = {}


def _joined(cues: object, companion: Companion) -> tuple[object, ...]:
    """One long-lived key object per (cue tuple, companion): pattern_set keeps a set per key object."""
    key = (id(cues), id(companion))
    entry = _JOINED.get(key)
    if entry is None or entry[0] is not cues or entry[1] is not companion:
        if len(_JOINED) > 1024:
            _JOINED.clear()
        entry = _JOINED[key] = (cues, companion, (cues, companion))
    return entry[2]


def find_cues(
    text: str,
    inventory: Inventory,
    *,
    author: str | None = None,
    top_level: bool = False,
    has_link: bool | None = None,
    quote_blocks: Sequence[QuoteBlock] = (),
    companion: Companion | None = None,
) -> TextCues:
    """Cues of one comment.

    Args:
        text: the comment's own text (quotations blanked; offsets are the comment's).
        inventory: the cue inventory of the comment's language.
        author: the article's author ("Herr {author}" cues).
        top_level: the comment replies to the article (rhetorical questions then support it).
        has_link: whether the own text carries a link; None = look for one here.
        quote_blocks: quotation blocks of the comment (quote-then-contrast).
        companion: other patterns to match in the same walk (``TextCues.companion_matches``:
            exactly their ``finditer`` over the blanked text, when it is at most
            ``companion.max_chars`` long).

    Example:
        >>> from analyzer.stages.stance.inventory import packaged
        >>> found = find_cues("Stimmt nicht. Das ist Unsinn.", packaged("de"))
        >>> sorted({h.label for h in found.hits if h.label})
        ['deny']
    """
    result = TextCues()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        result.truncated = True
    if has_link is None:
        has_link = LINK_HINT.search(text) is not None
    text = blank_urls(text)
    # Token spans are needed for negation windows only: built when a negatable cue fires
    # (counting them is one C-level findall; questions read their own sentence's words).
    tokens: list[tuple[int, int, str]] = []
    starts: list[int] = []

    def token_spans() -> tuple[list[tuple[int, int, str]], list[int]]:
        if not tokens:
            tokens.extend((m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text))
            starts.extend(t[0] for t in tokens)
        return tokens, starts

    result.n_tokens = len(_TOKEN.findall(text))
    if not result.n_tokens:
        return result
    sentences = _sentences(text)
    sent_starts = [s for s, _ in sentences]

    def sentence_of(pos: int) -> tuple[int, int]:
        return sentences[max(0, bisect.bisect_right(sent_starts, pos) - 1)]

    raw: list[CueHit] = []
    cues = inventory.cues_for(author)
    unused = [cue.pattern is None or (cue.requires_link and not has_link) for cue in cues]
    # Each cue's finditer, all cues at once from the text's words (the same matches: patternset).
    if companion is not None and len(text) <= companion.max_chars:
        both = pattern_set(_joined(cues, companion), lambda: [
            *(fast_pattern(c.pattern) if c.pattern is not None else None for c in cues), *companion.patterns])
        everything = both.finditer_all(text, [*unused, *([False] * len(companion.patterns))])
        found_all = everything[:len(cues)]
        result.companion_matches = {k: m for k, m in enumerate(everything[len(cues):]) if m}
        result.companion_text = text
    else:
        found = pattern_set(cues, lambda: [fast_pattern(c.pattern) if c.pattern is not None else None for c in cues])
        found_all = found.finditer_all(text, unused)
    for cue, skip, matches in zip(cues, unused, found_all, strict=True):
        if skip:
            continue
        for m in matches:
            if m.end() == m.start():
                continue
            s_start, s_end = sentence_of(m.start())
            if cue.at_sentence_start and text[s_start : m.start()].strip(_OPENERS):
                continue
            negated = cue.negatable and _negated(text, *token_spans(), m.start(), m.end(), s_start, s_end, inventory)
            label = cue.label
            if negated and label is not None:
                label = "deny" if label == "support" else "support" if label == "deny" else label
            raw.append(CueHit(cue.id, cue.family, label, cue.target, cue.weight, m.start(), m.end(), m.group(), negated))
    hits = _resolve_overlaps(raw)
    result.addresses_article = any(h.family == "article_address" for h in hits)
    hits.extend(_addressed_votes(hits, sentence_of))
    hits.extend(_questions(text, sentences, hits, inventory, top_level, result))
    hits.extend(_quote_contrast(hits, quote_blocks, len(text)))
    hits.sort(key=lambda h: (h.start, h.end, h.cue_id))
    result.hits = hits
    return result


def _clause_break(text: str, start: int, end: int) -> bool:
    """A comma, semicolon, colon or dash between two positions ends a negation's scope."""
    return any(ch in _CLAUSE_MARKS for ch in text[start:end])


def _negated(
    text: str, tokens: list[tuple[int, int, str]], starts: list[int], start: int, end: int,
    s_start: int, s_end: int, inventory: Inventory,
) -> bool:
    """A negator within the window before or after the match, inside its sentence."""
    first = bisect.bisect_left(starts, start)
    last = bisect.bisect_left(starts, end)  # first token after the match
    for i in range(max(0, first - inventory.window_before), first):
        if tokens[i][0] >= s_start and tokens[i][2] in inventory.negators and not _clause_break(text, tokens[i][1], start):
            return True
    for i in range(last, min(len(tokens), last + inventory.window_after)):
        if tokens[i][0] < s_end and tokens[i][2] in inventory.negators and not _clause_break(text, end, tokens[i][0]):
            return True
    # A negator inside a multi-word cue ("stimmt so nicht") is part of the cue, not a flip.
    return False


def _resolve_overlaps(hits: list[CueHit]) -> list[CueHit]:
    """Drop a voting hit that lies inside a longer (or equal, heavier) voting hit."""
    voting = sorted((h for h in hits if h.label is not None), key=lambda h: (h.start, -(h.end - h.start), -h.weight))
    kept: list[CueHit] = []
    cover_end = -1
    for hit in voting:
        if hit.end <= cover_end and kept and kept[-1].start <= hit.start:
            continue  # inside the span of an earlier, longer hit
        kept.append(hit)
        cover_end = max(cover_end, hit.end)
    return kept + [h for h in hits if h.label is None]


def _addressed_votes(hits: list[CueHit], sentence_of) -> list[CueHit]:  # type: ignore[no-untyped-def]
    """Parent votes in a sentence that names the article also count toward the article."""
    mentioned = {sentence_of(h.start) for h in hits if h.family == "article_address"}
    if not mentioned:
        return []
    return [
        CueHit(h.cue_id, f"addressed_{h.family}", h.label, "article", h.weight, h.start, h.end, h.text, h.negated)
        for h in hits
        if h.target == "parent" and h.label in ("support", "deny") and sentence_of(h.start) in mentioned
    ]


def _questions(
    text: str, sentences: list[tuple[int, int]], hits: list[CueHit], inventory: Inventory, top_level: bool,
    result: TextCues,
) -> list[CueHit]:
    """Question hits.  A sentence's words are the tokens found within its span: sentences end
    after a run of ``.!?…`` or a line break, which no token crosses, so they are the text's
    tokens that start inside the sentence."""
    rhetorical_at = sorted(h.start for h in hits if h.family == "rhetorical")
    requests = any(h.family == "query_request" for h in hits)
    out: list[CueHit] = []
    for s_start, s_end in sentences:
        if "?" not in text[max(s_start, s_end - 12) : s_end]:
            continue
        words = [w.lower() for w in _TOKEN.findall(text, s_start, s_end)]
        if not words:
            continue
        k = bisect.bisect_left(rhetorical_at, s_start)
        span_text = text[s_start:s_end].strip()
        if span_text[:1] in _NOT_OWN_QUESTION:
            continue
        offset = s_start + (len(text[s_start:s_end]) - len(text[s_start:s_end].lstrip()))
        if k < len(rhetorical_at) and rhetorical_at[k] < s_end:
            result.n_rhetorical_questions += 1
            label = "support" if top_level else "deny"
            out.append(CueHit("question.rhetorical", "rhetorical_question", label, "parent", RHETORICAL_WEIGHT,
                              offset, s_end, span_text))
        elif any(w in inventory.wh_words for w in words[:3]):
            result.n_genuine_questions += 1
            out.append(CueHit("question.wh", "wh_question", "query", "parent", WH_QUESTION_WEIGHT, offset, s_end, span_text))
        elif len(words) <= 2 and not requests:
            result.n_echo_questions += 1
            out.append(CueHit("question.echo", "echo_question", "query", "parent", ECHO_QUESTION_WEIGHT, offset, s_end, span_text))
        else:
            result.n_genuine_questions += 1
            out.append(CueHit("question.yes_no", "yes_no_question", "query", "parent", YES_NO_QUESTION_WEIGHT,
                              offset, s_end, span_text))
    return out


def _merge_blocks(blocks: Sequence[QuoteBlock]) -> list[QuoteBlock]:
    """Adjacent quoted spans (one per quoted sentence) as one block; article wins the target."""
    merged: list[QuoteBlock] = []
    for block in sorted(blocks, key=lambda b: b.start):
        if merged and block.start - merged[-1].end <= 10:
            last = merged.pop()
            target = "article" if "article" in (last.target, block.target) else "parent"
            block = QuoteBlock(last.start, max(last.end, block.end), target)
        merged.append(block)
    return merged


def _quote_contrast(hits: list[CueHit], blocks: Sequence[QuoteBlock], n_chars: int) -> list[CueHit]:
    """A quotation followed closely by a contrast or a denial: deny whatever was quoted."""
    out: list[CueHit] = []
    for block in _merge_blocks(blocks):
        window_end = min(n_chars, block.end + CONTRAST_WINDOW_CHARS)
        for h in hits:
            if block.end <= h.start < window_end and (h.family == "contrast" or h.label == "deny"):
                out.append(CueHit("quote_then_contrast", "quote_contrast", "deny", block.target, QUOTE_CONTRAST_WEIGHT,
                                  block.start, h.end, h.text))
                break
    return out
