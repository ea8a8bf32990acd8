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
# Bound of the suffix rows kept (entries are ~200 bytes: a list of the dozen open classes).
_MAX_GUESSES = 500_000
_NO_ROW: list[float] = []
_NO_ROWS: list[list[float]] = [_NO_ROW] * 6
# Segment tables made before the beginnings of the known morphemes are collected (a page's
# new forms are few; a corpus's are thousands).
_PREFIXES_AFTER = 200
# A follow-up list longer than this is walked by a known segment's scoring tags (the German
# model's start state has 74 follow-ups; most states have one or two).
_LONG_FOLLOW = 16
# Bound of the finished searches kept per process (a few hundred bytes each).
_MAX_FORMS = 200_000

Follow = list[tuple[int, float]]
# A state's follow-ups as the searches walk them: (tag, log-probability, the new state) and,
# for the open classes, (tag, index in the guess rows, log-probability, the new state).
Moves = list[tuple[int, float, tuple[int, int]]]
GuessedFollow = list[tuple[int, int, float, tuple[int, int]]]
# One segment of a word: its end, then either the scores of the tags it can score under (a
# known morpheme, or the whole word) or None and the two halves of its open-class guesses.
Segment = tuple[int, "dict[int, float] | None", list[float], list[float]]


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
        # Every beginning of a known morpheme (a segment that is none is the beginning of no
        # longer known morpheme either), built once enough forms were searched to pay for it
        # (~0.12 CPU s; a page's few new forms look every segment up instead).
        self._known_prefixes: set[str] | None = None
        self._n_segmented = 0
        # The open classes HanTa guesses unknown morphemes for (``lp_m_t``'s non-strict branch).
        self._guessed = frozenset(t for t in tagger.LP_hapax_t if t in tagger.LP_s_t)
        # The first three terms of HanTa's guess per open class and length class, and the
        # open classes' guesses per (last four characters, length class, whole word) looked
        # up so far (:meth:`_guesses`).
        self._bases = {
            tag: [tagger.Int_t + tagger.LP_hapax_t[tag] + length for length in tagger.LP_len_t[tag]]
            for tag in self._guessed
        }
        self._guessed_order = sorted(self._guessed)
        self._guessed_index = {tag: k for k, tag in enumerate(self._guessed_order)}
        # The first three terms per length class, as lists in that order (index ``k``).
        self._bases_by_length = [[self._bases[tag][length] for tag in self._guessed_order] for length in range(_MAX_LENGTH_CLASS + 1)]
        # The suffix scores per (last four characters, length up to 5), same order.
        self._suffix_rows: dict[tuple[str, int], list[float]] = {}
        # Finished searches per form (and part of speech), and the follow-ups per state and
        # part of speech of the second search.
        self._forward_done: dict[str, list[tuple[int, float]]] = {}
        self._viterbi_done: dict[tuple[str, int], list[tuple[int, int]]] = {}
        self._follow_reaching: dict[tuple[tuple[int, int], int], tuple[Moves, GuessedFollow]] = {}
        # Per state with a long follow-up list, each tag's (position, log-probability) in it.
        self._ranked: dict[tuple[int, int], dict[int, tuple[int, float, tuple[int, int]]]] = {
            state: {t: (n, lp, (state[1], t)) for n, (t, lp) in enumerate(follow)}
            for state, follow in self._nonfinal.items()
            if len(follow) > _LONG_FOLLOW
        }
        # Per state, the follow-up tags that can be guessed, in HanTa's order, with their index
        # in the guess rows (a segment that is no known morpheme can only score under these).
        self._guessed_follow: dict[tuple[int, int], GuessedFollow] = {
            state: self._indexed(follow, state[1]) for state, follow in self._nonfinal.items()
        }
        self._moves: dict[tuple[int, int], Moves] = {
            state: [(t, lp, (state[1], t)) for t, lp in follow] for state, follow in self._nonfinal.items()
        }

    # -- scores -----------------------------------------------------------------------------

    def _indexed(self, follow: Follow, second: int) -> GuessedFollow:
        """The open classes of ``follow`` (of a state whose tag is ``second``), in its order,
        with their index in the guess rows and the state each leads to."""
        return [(t, self._guessed_index[t], lp, (second, t)) for t, lp in follow if t in self._guessed]

    def _suffixes(self, segment: str) -> list[float]:
        """The suffix score of ``segment`` per open class (in :attr:`_guessed_order`): that of
        the longest of its last 4, 3, 2, 1 characters (each shorter than the segment) the class
        has one for, else the empty suffix's.  It depends on the last four characters and the
        length up to 5 only, and is kept per those (segments of many forms share it)."""
        mlen = len(segment)
        key = (segment[-4:], min(mlen, 5))
        found = self._suffix_rows.get(key)
        if found is None:
            found = []
            endings = [segment[-n:] for n in _SUFFIX_LENGTHS if mlen > n]  # longest first
            for tag in self._guessed_order:
                scores = self._tagger.LP_s_t[tag]
                suffix = scores[""]
                for ending in endings:
                    if ending in scores:
                        suffix = scores[ending]
                        break
                found.append(suffix)
            if len(self._suffix_rows) >= _MAX_GUESSES:
                self._suffix_rows.clear()
            self._suffix_rows[key] = found
        return found

    def _guesses(self, segment: str, wlen: int) -> dict[int, float]:
        """``lp_m_t`` of ``segment`` under every open class, as if it were no known morpheme:
        HanTa's sum ``Int_t + LP_hapax_t[tag] + LP_len_t[tag][length class] + suffix score``
        (then ``- 4.6`` for the whole word), left to right as HanTa adds it (the first three
        terms per length class are added once, :attr:`_bases_by_length`)."""
        mlen = len(segment)
        bases, suffixes = self._bases_by_length[min(mlen, _MAX_LENGTH_CLASS)], self._suffixes(segment)
        if wlen == mlen:
            return {tag: bases[k] + suffixes[k] - _WHOLE_WORD_PENALTY for k, tag in enumerate(self._guessed_order)}
        return {tag: bases[k] + suffixes[k] for k, tag in enumerate(self._guessed_order)}

    def _guess(self, segment: str, tag: int, wlen: int) -> float:
        """``lp_m_t`` of a segment that is no known morpheme of an open-class ``tag``."""
        return self._guesses(segment, wlen)[tag]

    def _segments(self, word: str, strict: bool) -> list[list[Segment]]:
        """Per start ``i``, per end ``j > i`` in order, the segments ``word[i:j]`` that can score:
        ``(j, scores, bases, suffixes)``.  ``scores`` maps every tag a known morpheme (or the
        whole word) can score under to HanTa's ``lp_m_t`` (its known morpheme tags, and outside
        strict mode the open classes' guesses; a known score first, as ``lp_m_t`` decides);
        for any other segment it is None and the open class ``k``'s guess is
        ``bases[k] + suffixes[k]``, summed by the search where it needs it (most guesses are
        never asked for).  Ends where nothing can score are left out.

        The known morphemes starting at ``i`` are found by extending the segment while it is
        the beginning of some known morpheme (:attr:`_known_prefixes`, once
        :data:`_PREFIXES_AFTER` tables were made; before, every segment is looked up); a segment's suffix scores depend on its last four characters (taken per end)
        and its length up to 5 (:meth:`_suffixes`)."""
        wlen = len(word)
        known_of = self._known
        prefixes = self._known_prefixes
        if prefixes is None:
            self._n_segmented += 1
            if self._n_segmented >= _PREFIXES_AFTER:
                prefixes = self._known_prefixes = {m[:n] for m in known_of for n in range(1, len(m) + 1)}
        known_at: list[dict[int, dict[int, float]]] = []
        for i in range(wlen + 1):
            found: dict[int, dict[int, float]] = {}
            for j in range(i + 1, wlen + 1):
                segment = word[i:j]
                if prefixes is not None and segment not in prefixes:
                    break
                known = known_of.get(segment)
                if known is not None:
                    found[j] = known
            known_at.append(found)
        if strict:
            return [[(j, known, _NO_ROW, _NO_ROW) for j, known in found.items()] for found in known_at]
        # HanTa guesses only outside strict mode, and a short segment only in a short word.
        shortest = 1 if wlen < 4 else 3
        suffix_rows = self._suffix_rows
        suffixes_of = self._suffixes
        bases_by_length = self._bases_by_length
        top = _MAX_LENGTH_CLASS
        # Per end j, the suffix scores of a segment of length m (m < 5) and of 5 or more (m = 5).
        ends: list[list[list[float]]] = [_NO_ROWS] * (wlen + 1)
        for j in range(shortest, wlen + 1):
            at = list(_NO_ROWS)
            for m in range(shortest, min(j, 5) + 1):
                segment = word[j - m : j]
                at[m] = suffix_rows.get((segment[-4:], m)) or suffixes_of(segment)
            ends[j] = at
        rows: list[list[Segment]] = []
        for i, found in enumerate(known_at):
            lo = i + shortest
            row: list[Segment] = [(j, known, _NO_ROW, _NO_ROW) for j, known in found.items() if j < lo]
            guessed: list[Segment] = [
                (j, None, bases_by_length[j - i if j - i < top else top], ends[j][j - i if j - i < 5 else 5]) for j in range(lo, wlen + 1)
            ]
            for j, known in found.items():
                if j >= lo:
                    guessed[j - lo] = (j, {**self._guesses(word[i:j], wlen), **known}, _NO_ROW, _NO_ROW)
            if i == 0 and lo <= wlen and wlen not in found:
                # The whole word as one unknown morpheme: HanTa's penalty on its guesses.
                guessed[wlen - lo] = (wlen, self._guesses(word, wlen), _NO_ROW, _NO_ROW)
            row += guessed
            rows.append(row)
        return rows

    # -- HanTa's two searches ---------------------------------------------------------------

    def forward(self, word: str) -> list[tuple[int, float]]:
        """``analyze_forward(word)``: the candidate parts of speech of a form, best first
        (kept per form: ``_tag_word`` asks for a form's lower case under both case settings)."""
        found = self._forward_done.get(word)
        if found is None:
            found = self._forward(word)
            if len(self._forward_done) >= _MAX_FORMS:
                self._forward_done.clear()
            self._forward_done[word] = found
        return list(found)

    def _forward(self, word: str) -> list[tuple[int, float]]:
        wlen = len(word)
        segments = self._segments(word, self._tagger.strict)
        table: list[dict[tuple[int, int], float]] = [_start_row()] + [{} for _ in range(wlen + 1)]
        for i in range(wlen + 1):
            row = table[i]
            bound = _row_bound(row)
            for state, lp in row.items():
                if lp < bound:
                    continue
                follow = self._moves.get(state)
                if not follow:
                    continue
                follow_guessed = self._guessed_follow[state]
                ranked = self._ranked.get(state)
                for j, scores, bases, suffixes in segments[i]:
                    target = table[j]
                    if scores is not None:
                        if ranked is not None and len(scores) * 3 < len(follow):
                            # A long follow-up list (the start state's): the segment's few
                            # scoring tags, put in the list's order, instead of the whole list.
                            hits = sorted([(ranked[tag], value) for tag, value in scores.items() if tag in ranked])
                            for (_, lpt, new), value in hits:
                                lp1 = lp + lpt + value
                                if lp1 > _LOWERBOUND:
                                    old = target.get(new)
                                    if old is None or lp1 > old:
                                        target[new] = lp1
                            continue
                        for tag, lpt, new in follow:
                            score = scores.get(tag)
                            if score is None:
                                continue
                            lp1 = lp + lpt + score
                            if lp1 > _LOWERBOUND:
                                old = target.get(new)
                                if old is None or lp1 > old:
                                    target[new] = lp1
                    else:
                        for _, k, lpt, new in follow_guessed:
                            # HanTa's lp + lpt + lp_m_t, lp_m_t's own sum first.
                            lp1 = lp + lpt + (bases[k] + suffixes[k])
                            if lp1 > _LOWERBOUND:
                                old = target.get(new)
                                if old is None or lp1 > old:
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
        best_first = sorted(results.items(), key=itemgetter(1), reverse=True)
        return best_first or [(_UNKNOWN, 0)]

    def _follow_to(self, state: tuple[int, int], targetpos: int) -> tuple[Moves, GuessedFollow]:
        """The follow-ups of ``state`` that can still reach ``targetpos``, and those of them
        that can be guessed, in HanTa's order (kept per state and target)."""
        key = (state, targetpos)
        found = self._follow_reaching.get(key)
        if found is None:
            reachable = self._tagger.reachability.get(targetpos, frozenset())
            follow = [(t, p) for t, p in self._nonfinal.get(state, []) if t in reachable]
            found = ([(t, p, (state[1], t)) for t, p in follow], self._indexed(follow, state[1]))
            self._follow_reaching[key] = found
        return found

    def viterbi(self, word: str, targetpos: int) -> list[tuple[int, int]]:
        """``analyze_viterbi(word, targetpos)``: the best morpheme segmentation under a part of
        speech (kept per form and part of speech: ``_analyze`` asks in lower case)."""
        key = (word, targetpos)
        found = self._viterbi_done.get(key)
        if found is None:
            found = self._viterbi(word, targetpos)
            if len(self._viterbi_done) >= _MAX_FORMS:
                self._viterbi_done.clear()
            self._viterbi_done[key] = found
        return list(found)

    def _viterbi(self, word: str, targetpos: int) -> list[tuple[int, int]]:
        wlen = len(word)
        table: list[dict[tuple[int, int], float]] = []
        back: list[dict[tuple[int, int], tuple[tuple[int, int], int]]] = []
        for strict in (True, False):
            segments = self._segments(word, strict)
            table = [_start_row()] + [{} for _ in range(wlen + 1)]
            back = [{} for _ in range(wlen + 2)]
            for i in range(wlen + 1):
                row = table[i]
                bound = _row_bound(row)
                for state, lp in row.items():
                    if lp < bound:
                        continue
                    follow, follow_guessed = self._follow_to(state, targetpos)
                    if not follow:
                        continue
                    here = (state, i)
                    for j, scores, bases, suffixes in segments[i]:
                        target, pointers = table[j], back[j]
                        if scores is not None:
                            for tag, lpt, new in follow:
                                score = scores.get(tag)
                                if score is None:
                                    continue
                                lp1 = lp + lpt + score
                                if lp1 > _LOWERBOUND:
                                    old = target.get(new)
                                    if old is None or lp1 > old:
                                        target[new] = lp1
                                        pointers[new] = here
                        else:
                            for _, k, lpt, new in follow_guessed:
                                lp1 = lp + lpt + (bases[k] + suffixes[k])
                                if lp1 > _LOWERBOUND:
                                    old = target.get(new)
                                    if old is None or lp1 > old:
                                        target[new] = lp1
                                        pointers[new] = here
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
    """Whether ``tagger``'s model has the shape the restricted search assumes: every follow-up
    tag has a morpheme table (HanTa's ``lp_m_t`` would raise on one without), and every open
    class a length score for each length class (the guesses are made per length class)."""
    tables = tagger.LP_m_t
    if not all(t in tables for follow in tagger.LP_trans_nonfinal.values() for t, _ in follow):
        return False
    return all(len(tagger.LP_len_t[t]) > _MAX_LENGTH_CLASS for t in tagger.LP_hapax_t if t in tagger.LP_s_t)


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
