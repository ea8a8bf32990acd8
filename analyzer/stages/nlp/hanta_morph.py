"""HanTa's morphological analysis of a new word form, without the calls that cannot score.

HanTa (Wartena 2019) analyses a word form it has not seen by a search over its segmentations:
for every start position, every state kept there and every end position, it scores each tag
that may follow the state with ``lp_m_t(segment, tag)``, the log-probability of the segment
as a morpheme of that tag.  A segment scores only when it is a known morpheme of the tag, or,
outside strict mode, when the tag is one of the few open classes HanTa guesses unknown
morphemes for (about a dozen of the German model's 171 tags) and the segment is long enough.
Every other call returns minus infinity and changes nothing, and those are nearly all of the
~2,000 calls per form: on a corpus whose forms this machine has not analysed before (the
first run on it; :class:`.hanta_fast.FormTable` keeps the results afterwards), the analyses
were ~70 % of all stages' CPU (docs/performance-language.md, "Session 11: new word forms").

:func:`install` gives one tagger instance two methods that visit the same states, segments
and tags in the same order as HanTa 1.2's ``analyze_forward`` and ``analyze_viterbi`` but
skip the pairs that cannot score: a segment is looked up once in an index of all known
morphemes (morpheme → tag → log-probability), and a guess is computed only for the open
classes.  The arithmetic of every score that counts is HanTa's, in HanTa's order (the same
sums, the same first-wins ties, the same insertion order of the table rows, hence the same
``logaddexp`` order), so tags and lemmas are unchanged; ``tests/stages/nlp/test_hanta_morph.py``
compares both on real comments.  A model whose shape differs (a follow-up tag without a
morpheme table) keeps HanTa's own methods.
"""

from __future__ import annotations

import math
from operator import itemgetter
from typing import Any

from numpy import logaddexp

# HanTa's markers (HanTa/HanoverTagger.py: EMPTY = 0, START = 1, UNKNOWN = 3, END_UNKNOWN = -3).
_EMPTY, _START, _UNKNOWN, _END_UNKNOWN = 0, 1, 3, -3
_LOWERBOUND = -1e6
_FLOOR = -math.inf
# HanTa keeps at most this many best states per position (plus those within 1 of the 4th).
_KEPT = 3
# HanTa's penalty for reading a whole word as one unknown morpheme, and its longest length class.
_WHOLE_WORD_PENALTY = 4.6
_MAX_LENGTH_CLASS = 24
_SUFFIX_LENGTHS = (4, 3, 2, 1)
# Bound of the suffix scores kept (entries are a few hundred bytes).
_MAX_GUESSES = 500_000

Follow = list[tuple[int, float]]


class MorphSearch:
    """The segment search of one HanTa model, restricted to the pairs that can score."""

    def __init__(self, tagger: Any) -> None:
        self._tagger = tagger
        self._nonfinal: dict[tuple[int, int], Follow] = tagger.LP_trans_nonfinal
        self._final: dict[tuple[int, int], Follow] = tagger.LP_trans_final
        # Every known morpheme, with the tags it is known under and their log-probabilities.
        self._known: dict[str, dict[int, float]] = {}
        for tag, morphemes in tagger.LP_m_t.items():
            for morpheme, lp in morphemes.items():
                self._known.setdefault(morpheme, {})[tag] = lp
        # The open classes HanTa guesses unknown morphemes for (``lp_m_t``'s non-strict branch).
        self._guessed = frozenset(t for t in tagger.LP_hapax_t if t in tagger.LP_s_t)
        # The first three terms of HanTa's guess per open class and length class, and the
        # suffix scores looked up so far (:meth:`_guess`).
        self._bases = {
            tag: [tagger.Int_t + tagger.LP_hapax_t[tag] + length for length in tagger.LP_len_t[tag]]
            for tag in self._guessed
        }
        self._suffix_scores: dict[tuple[int, str, int], float] = {}
        # Per state, the follow-up tags that can be guessed, in HanTa's order (a segment that
        # is no known morpheme can only score under these).
        self._guessed_follow: dict[tuple[int, int], Follow] = {
            state: [(t, lp) for t, lp in follow if t in self._guessed] for state, follow in self._nonfinal.items()
        }

    # -- scores -----------------------------------------------------------------------------

    def _guess(self, segment: str, tag: int, wlen: int) -> float:
        """``lp_m_t`` of a segment that is no known morpheme of an open-class ``tag``.

        HanTa's sum ``Int_t + LP_hapax_t[tag] + LP_len_t[tag][length class] + suffix score``, left
        to right as HanTa adds it: the first three terms per (tag, length class) are added once
        (:attr:`_bases`), the suffix score (that of the longest of the segment's last 4, 3, 2, 1
        characters the tag has one for, else the empty suffix's) is kept per tag, last four
        characters and length up to 5, which is all it depends on.
        """
        mlen = len(segment)
        key = (tag, segment[-4:], min(mlen, 5))
        suffix = self._suffix_scores.get(key)
        if suffix is None:
            scores = self._tagger.LP_s_t[tag]
            suffix = scores[""]
            for n in _SUFFIX_LENGTHS:
                if mlen > n and segment[-n:] in scores:
                    suffix = scores[segment[-n:]]
                    break
            if len(self._suffix_scores) >= _MAX_GUESSES:
                self._suffix_scores.clear()
            self._suffix_scores[key] = suffix
        lp: float = self._bases[tag][min(mlen, _MAX_LENGTH_CLASS)] + suffix
        if wlen == mlen:
            lp -= _WHOLE_WORD_PENALTY
        return lp

    def _segments(self, word: str, strict: bool) -> list[list[tuple[int, dict[int, float] | None, dict[int, float] | None]]]:
        """Per start ``i``, per end ``j > i`` in order: ``(j, known, guesses)``, where ``known`` maps
        the tags ``word[i:j]`` is a known morpheme of to its log-probabilities and ``guesses`` the
        open classes to HanTa's guess (None where HanTa does not guess); ends where neither can
        score are left out (every score there is minus infinity)."""
        wlen = len(word)
        known_of = self._known
        rows: list[list[tuple[int, dict[int, float] | None, dict[int, float] | None]]] = []
        for i in range(wlen + 1):
            row = []
            for j in range(i + 1, wlen + 1):
                segment = word[i:j]
                known = known_of.get(segment)
                # HanTa guesses only outside strict mode, and a short segment only in a short word;
                # the guesses are filled in as the search asks for them (:meth:`_guess_at`).
                guesses: dict[int, float] | None = {} if not strict and (wlen < 4 or j - i > 2) else None
                if known is not None or guesses is not None:
                    row.append((j, known, guesses))
            rows.append(row)
        return rows

    # -- HanTa's two searches ---------------------------------------------------------------

    def forward(self, word: str) -> list[tuple[int, float]]:
        """``analyze_forward(word)``: the candidate parts of speech of a form, best first."""
        wlen = len(word)
        segments = self._segments(word, self._tagger.strict)
        guessed = self._guessed
        table: list[dict[tuple[int, int], float]] = [_start_row()] + [{} for _ in range(wlen + 1)]
        for i in range(wlen + 1):
            row = table[i]
            bound = _row_bound(row)
            for state, lp in row.items():
                if lp < bound:
                    continue
                follow = self._nonfinal.get(state, [])
                if not follow:
                    continue
                follow_guessed = self._guessed_follow[state]
                for j, known, guesses in segments[i]:
                    target = table[j]
                    for tag, lpt in (follow if known is not None else follow_guessed):
                        if known is not None and tag in known:
                            score = known[tag]
                        elif guesses is not None and tag in guessed:
                            cached = guesses.get(tag)
                            if cached is None:
                                cached = guesses[tag] = self._guess(word[i:j], tag, wlen)
                            score = cached
                        else:
                            continue
                        lp1 = lp + lpt + score
                        if lp1 > _LOWERBOUND:
                            new = (state[1], tag)
                            if new not in target or lp1 > target[new]:
                                target[new] = lp1
        last = table[-1]
        for state, lp in table[-2].items():
            for tag, lpt in self._final.get(state, []):
                lp1 = lp + lpt
                if lp1 > _LOWERBOUND:
                    new = (state[1], tag)
                    if new not in last or lp1 > last[new]:
                        last[new] = lp1
        results: dict[int, float] = {}
        for state, lp in last.items():
            if lp == _FLOOR:
                continue
            pos = -state[1]
            results[pos] = logaddexp(results[pos], lp) if pos in results else lp
        ranked = sorted(results.items(), key=itemgetter(1), reverse=True)
        return ranked or [(_UNKNOWN, 0)]

    def viterbi(self, word: str, targetpos: int) -> list[tuple[int, int]]:
        """``analyze_viterbi(word, targetpos)``: the best morpheme segmentation under a part of speech."""
        wlen = len(word)
        reachable = self._tagger.reachability.get(targetpos, frozenset())
        table: list[dict[tuple[int, int], float]] = []
        back: list[dict[tuple[int, int], tuple[tuple[int, int], int]]] = []
        for strict in (True, False):
            segments = self._segments(word, strict)
            guessed = self._guessed
            table = [_start_row()] + [{} for _ in range(wlen + 1)]
            back = [{} for _ in range(wlen + 2)]
            for i in range(wlen + 1):
                row = table[i]
                bound = _row_bound(row)
                for state, lp in row.items():
                    if lp < bound:
                        continue
                    follow = [(t, p) for t, p in self._nonfinal.get(state, []) if t in reachable]
                    if not follow:
                        continue
                    follow_guessed = [(t, p) for t, p in follow if t in self._guessed]
                    for j, known, guesses in segments[i]:
                        target, pointers = table[j], back[j]
                        for tag, lpt in (follow if known is not None else follow_guessed):
                            if known is not None and tag in known:
                                score = known[tag]
                            elif guesses is not None and tag in guessed:
                                cached = guesses.get(tag)
                                if cached is None:
                                    cached = guesses[tag] = self._guess(word[i:j], tag, wlen)
                                score = cached
                            else:
                                continue
                            lp1 = lp + lpt + score
                            if lp1 > _LOWERBOUND:
                                new = (state[1], tag)
                                if new not in target or lp1 > target[new]:
                                    target[new] = lp1
                                    pointers[new] = (state, i)
            last, pointers = table[-1], back[-1]
            for state, lp in table[-2].items():
                for tag, lpt in self._final.get(state, []):
                    if tag == targetpos:
                        lp1 = lp + lpt
                        if lp1 > _LOWERBOUND:
                            new = (state[1], tag)
                            if new not in last or lp1 > last[new]:
                                last[new] = lp1
                                pointers[new] = (state, wlen)
                        break
            if last:
                break
        best, best_lp = (_EMPTY, _EMPTY), _FLOOR
        for state, lp in table[-1].items():
            if lp > best_lp:
                best, best_lp = state, lp
        i = len(back) - 1
        if best == (_EMPTY, _EMPTY):
            path = [((_UNKNOWN, _END_UNKNOWN), i), ((_START, _UNKNOWN), i - 1)]
        else:
            path = [(best, i)]
            state = best
            while i > 0:
                state, i = back[i][state]
                path.append((state, i))
            path = path[:-1]
        return [(state[1], end) for state, end in reversed(path)]


def _start_row() -> dict[tuple[int, int], float]:
    """The search's first position: HanTa's start state, at log-probability 0."""
    return {(_EMPTY, _START): 0}


def _row_bound(row: dict[tuple[int, int], float]) -> float:
    """HanTa's pruning: states more than 1 below the 4th best of a position are not extended."""
    if len(row) > _KEPT:
        return sorted(row.values(), reverse=True)[_KEPT] - 1
    return _LOWERBOUND


def usable(tagger: Any) -> bool:
    """Whether every follow-up tag of ``tagger``'s model has a morpheme table (HanTa's
    ``lp_m_t`` would raise on one without; the restricted search assumes it)."""
    tables = tagger.LP_m_t
    return all(t in tables for follow in tagger.LP_trans_nonfinal.values() for t, _ in follow)


def install(tagger: Any) -> bool:
    """Give ``tagger`` (one HanoverTagger instance) the restricted searches; False if its model
    does not have the shape they assume (then HanTa's own methods stay).

    The morpheme index (~60 ms) is built on the first new form, so a run whose forms this
    machine has all analysed before (a page, a scheduled re-run) does not pay for it.
    """
    if not usable(tagger):
        return False
    built: list[MorphSearch] = []

    def search() -> MorphSearch:
        if not built:
            built.append(MorphSearch(tagger))
        return built[0]

    tagger.analyze_forward = lambda word: search().forward(word)
    tagger.analyze_viterbi = lambda word, targetpos: search().viterbi(word, targetpos)
    return True
