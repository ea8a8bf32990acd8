"""HanTa's sentence Viterbi over many sentences at once, as numpy array steps.

:meth:`.hanta_fast.FastSentenceTagger._viterbi` walks one sentence in Python (about 6 µs per
token on the One Million Posts dev comments).  Here all sentences of a batch move in
lockstep, one word position per step: sentences sorted by length, so the sentences still
running at position ``t`` are a prefix of the batch.  A sentence's row at ``t`` is a grid
over (candidate of word ``t-1``, candidate of word ``t``) — HanTa's state — padded to
:data:`MAX_CANDIDATES` squared; the moves are ragged (each sentence makes only its own
ka * kb * kc), ordered so that one segment reduction gives each new state's best.  A move
from state (a, b) to (b, c) scores ``(lp0 + trans[a, b, c]) + word[c]``, the additions in
HanTa's order in float64, so every score is bit-equal to the Python code's.

**Exactness.**  The per-row pruning (states below the sixth best score minus one are not
expanded) and the ``lp > -1e6`` test are the same comparisons on the same values.  HanTa
resolves equal scores by the rows' insertion order; this module does not track that order
and instead *detects* every tie that could decide something: two moves reaching the best
score of a new state, or two end scores equal to the best.  Without such a tie every
maximum is unique, so the chosen states and backpointers are the only possible ones and
equal HanTa's.  A sentence with a tie, or anything else this path does not model (a word
with no usable candidate, more than :data:`MAX_CANDIDATES` candidates, an expanded state
missing from the transition table, an empty row, no path to the end), is returned as
``None`` and tagged by the Python Viterbi, which reproduces HanTa there.
"""

from __future__ import annotations

import numpy as np

# HanTa's markers (HanTa/HanoverTagger.py) and bound, as in :mod:`.hanta_fast`.
_EMPTY, _START, _END = 0, 1, 2
_LOWERBOUND = -1e6
# Words with more candidate tags than this go to the Python path (272 of 259,261 German OMP
# tokens): the rows are k x k grids for every sentence, so a rare 10 would nearly triple
# the grid work of all of them.
MAX_CANDIDATES = 6


class TransitionArrays:
    """HanTa's trigram transition log-probabilities as one dense array over compact tag indices.

    ``trans[(a, b)][c]`` becomes ``table[(ia * n + ib) * n + ic]``; a missing transition is
    ``-inf`` (HanTa skips it; ``-inf`` never passes the ``> -1e6`` test and never wins a
    maximum).  Index ``n - 1`` stands for tags that occur in no transition (every move to or
    from it is missing).  ``exists[ia, ib]``: the state has a row in HanTa's table (HanTa
    raises ``KeyError`` on expanding one that has none).  ``end[ia, ib]``: the move to the
    end marker, ``-inf`` where missing (HanTa's ``get(END, -inf)``).
    """

    def __init__(self, trans: dict[tuple[int, int], dict[int, float]]) -> None:
        tags: set[int] = set()
        for (a, b), followers in trans.items():
            tags.add(a)
            tags.add(b)
            tags.update(followers)
        self.tags = np.array(sorted(tags) + [-1], dtype=np.int64)  # compact index -> HanTa's tag int
        self.index: dict[int, int] = {int(t): i for i, t in enumerate(self.tags[:-1])}
        n = self.n = len(self.tags)
        self.none = n - 1
        ix = self.index
        flat: list[int] = []
        values: list[float] = []
        exists = np.zeros((n, n), dtype=bool)
        end = np.full((n, n), -np.inf)
        for (a, b), followers in trans.items():
            ia, ib = ix[a], ix[b]
            exists[ia, ib] = True
            base = (ia * n + ib) * n
            flat.extend([base + ix[c] for c in followers])
            values.extend(followers.values())
            if _END in followers:
                end[ia, ib] = followers[_END]
        table = np.full(n * n * n, -np.inf)
        table[np.array(flat, dtype=np.intp)] = np.array(values, dtype=np.float64)
        self.table = table
        self.exists = exists
        self.end = end
        # Closed: every state a move can reach, (b, c) of a listed (a, b) -> c with c not the
        # end marker, has a row of its own (both shipped models), so expanding a reached
        # state never meets a missing row and the per-step check is not needed.
        self.closed = all((b, c) in trans for (_, b), followers in trans.items() for c in followers if c != _END)


def viterbi_many(
    arrays: TransitionArrays,
    form_tags: np.ndarray,
    form_lps: np.ndarray,
    form_counts: np.ndarray,
    flat_ids: np.ndarray,
    lengths: np.ndarray,
) -> list[list[int] | None]:
    """HanTa's tags (its ints) per sentence, or ``None`` where the Python Viterbi must decide.

    The sentences are ``lengths`` (each at least 1) consecutive runs of form ids in
    ``flat_ids``; form id ``f`` has ``form_counts[f]`` candidates, their compact tag indices
    ``form_tags[f, :k]`` and log-probabilities ``form_lps[f, :k]`` (padding: the ``none``
    index and 0.0).  Form ids 0 and 1 are HanTa's two virtual positions before a sentence
    (one candidate each: the empty and the start marker, 0.0).
    """
    n_all = len(lengths)
    out: list[list[int] | None] = [None] * n_all
    if n_all == 0:
        return out
    tags_flat, bad = viterbi_flat(arrays, form_tags, form_lps, form_counts, flat_ids, lengths)
    tags_list = tags_flat.tolist()
    begin = 0
    for r, (end, leave) in enumerate(zip(np.cumsum(lengths).tolist(), bad.tolist(), strict=True)):
        if not leave:
            out[r] = tags_list[begin:end]
        begin = end
    return out


def viterbi_flat(
    arrays: TransitionArrays,
    form_tags: np.ndarray,
    form_lps: np.ndarray,
    form_counts: np.ndarray,
    flat_ids: np.ndarray,
    lengths: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`viterbi_many` as two arrays: HanTa's tag int of every word in ``flat_ids``'s
    order, and per sentence (input order) whether the Python Viterbi must decide it (its
    words' entries are then meaningless)."""
    n_all = len(lengths)
    if n_all == 0:
        return np.zeros(len(flat_ids), dtype=np.int64), np.zeros(0, dtype=bool)
    k = MAX_CANDIDATES
    kk = k * k
    counts_flat = form_counts[flat_ids]
    starts = np.cumsum(lengths) - lengths
    usable = (counts_flat >= 1) & (counts_flat <= k)
    bad_in_order = np.logical_and.reduceat(usable, starts) == 0  # a word the Python path must walk
    counts_flat = np.clip(counts_flat, 1, k)  # the bad ones' shapes stay in range
    order = np.argsort(-lengths, kind="stable")  # longest first: running sentences are a prefix
    lengths = lengths[order]
    first_word = starts[order]  # where each (sorted) sentence's words start in flat_ids
    bad = bad_in_order[order]
    steps = int(lengths[0])
    # running[t]: sentences with at least t + 1 words (a prefix, lengths being sorted).
    running = np.searchsorted(-lengths, -np.arange(1, steps + 1), side="right")

    n = arrays.n
    table, exists, end_lp = arrays.table, arrays.exists, arrays.end
    # Rows as grids padded to k x k per sentence (-inf: no such state); the moves themselves
    # are ragged: a sentence makes only its own ka * kb * kc moves (12.5 per German OMP token,
    # against 216 in a grid padded to six candidates per word).
    lp_prev = np.full((n_all, kk), -np.inf)
    lp_prev[:, 0] = 0.0  # the row before the first word: {(EMPTY, START): 0.0}
    tags_a = np.repeat(form_tags[0:1], n_all, axis=0)  # [sentence, candidate]: compact tags
    tags_b = np.repeat(form_tags[1:2], n_all, axis=0)
    count_a = np.ones(n_all, dtype=np.intp)
    count_b = np.ones(n_all, dtype=np.intp)
    n_states = np.ones(n_all, dtype=np.intp)  # states per sentence in the row
    backs: list[np.ndarray] = []
    tags_of: list[np.ndarray] = []  # per step: the candidates' compact tags of its word
    final = np.zeros(n_all, dtype=np.intp)  # each sentence's best last state (b * k + c)
    pattern_a, pattern_ab, pattern_c, pattern_at, pattern_size = _patterns()
    for t in range(steps):
        m = int(running[t])
        lp_prev, tags_a, tags_b, count_a, count_b = lp_prev[:m], tags_a[:m], tags_b[:m], count_a[:m], count_b[:m]
        word = first_word[:m] + t
        form_c = flat_ids[word]
        count_c = counts_flat[word]
        tags_c = form_tags[form_c]
        tags_of.append(tags_c)
        shape = ((count_a - 1) * k + count_b - 1) * k + count_c - 1
        size = pattern_size[shape]
        total = int(size.sum())
        begin = np.cumsum(size) - size
        sentence = np.repeat(np.arange(m), size)
        where = np.arange(total) + np.repeat(pattern_at[shape] - begin, size)
        a, ab, c = pattern_a[where], pattern_ab[where], pattern_c[where]
        # HanTa's pruning: in a row of more than five states, the states below the sixth
        # best score - 1 are not expanded (-inf from here on: they make no move).
        n_states = n_states[:m]
        crowded = np.flatnonzero(n_states > 5)
        if len(crowded):
            rows = lp_prev[crowded]
            sixth = np.partition(rows, kk - 6, axis=1)[:, kk - 6]
            rows[rows < (sixth - 1.0)[:, None]] = -np.inf
            lp_prev[crowded] = rows
        if not arrays.closed:  # a reachable state may lack a row: HanTa raises on expanding it
            state_known = exists[tags_a[:, :, None], tags_b[:, None, :]].reshape(m, kk)
            bad[:m] |= ((lp_prev > -np.inf) & ~state_known).any(axis=1)
        state = ((tags_a[:, :, None] * n + tags_b[:, None, :]) * n).reshape(m, kk)
        lp0 = lp_prev
        at_ab = sentence * kk + ab
        at_c = sentence * k + c
        moves = table.take(state.ravel().take(at_ab) + tags_c.ravel().take(at_c))
        moves += lp0.ravel().take(at_ab)  # lp0 + lp_tc (one addition: the order does not matter)
        moves += form_lps[form_c].ravel().take(at_c)  # then + lpwc, as HanTa adds them
        # One segment per new state (sentence, b, c): its moves from every a, a innermost.
        seg = np.flatnonzero(a == 0)
        best = np.maximum.reduceat(moves, seg)
        hits = moves == np.repeat(best, count_a.repeat(size // count_a))
        # The moves reaching the best score as bits (bit a): one reduction gives both the
        # first of them (the lowest bit) and whether there are two (a tie).
        found = np.bitwise_or.reduceat(hits.astype(np.uint8) << a.astype(np.uint8), seg)
        back = _LOWEST_BIT[found]
        reached = best > _LOWERBOUND
        seg_sentence = sentence[seg]
        bad[seg_sentence[reached & ((found & (found - 1)) != 0)]] = True
        n_states = np.bincount(seg_sentence[reached], minlength=m)
        bad[:m] |= n_states == 0
        at_new = seg_sentence * kk + ab[seg] * k + c[seg]  # new state (b, c); ab = b where a = 0
        row = np.full(m * kk, -np.inf)
        row[at_new] = np.where(reached, best, -np.inf)
        lp_prev = row.reshape(m, kk)
        back_grid = np.zeros(m * kk, dtype=np.int8)
        back_grid[at_new] = back
        backs.append(back_grid.reshape(m, kk))
        tags_a, tags_b, count_a, count_b = tags_b, tags_c, count_b, count_c
        # Sentences whose last word this was: HanTa's last row (the move to the end marker).
        done_from = int(running[t + 1]) if t + 1 < steps else 0
        if done_from < m:
            end_a, end_b = tags_a[done_from:], tags_b[done_from:]
            last = lp_prev[done_from:]
            lp_end = last + end_lp[end_a[:, :, None], end_b[:, None, :]].reshape(-1, kk)
            missing = (last > -np.inf) & ~exists[end_a[:, :, None], end_b[:, None, :]].reshape(-1, kk)
            pick = lp_end.argmax(axis=1)
            top = lp_end[np.arange(m - done_from), pick]
            bad[done_from:m] |= missing.any(axis=1) | (top == -np.inf) | ((lp_end == top[:, None]).sum(axis=1) > 1)
            final[done_from:m] = pick
    # Back from each sentence's last state: tag of word t = candidate c of its state (b, c);
    # the state before is (back[b, c], b).  Written straight to the callers' flat order.
    tags_flat = np.zeros(len(flat_ids), dtype=np.intp)
    cur = np.zeros(n_all, dtype=np.intp)  # the current state b * k + c
    for t in range(steps - 1, -1, -1):
        m = int(running[t])
        done_from = int(running[t + 1]) if t + 1 < steps else 0
        cur[done_from:m] = final[done_from:m]
        rows_m = np.arange(m)
        tags_flat[first_word[:m] + t] = tags_of[t][rows_m, cur[:m] % k]
        cur[:m] = backs[t][rows_m, cur[:m]] * k + cur[:m] // k
    bad_in_order[order] = bad
    return arrays.tags[tags_flat], bad_in_order


_PATTERNS: tuple[np.ndarray, ...] | None = None
# The index of the lowest set bit of a byte (0 for 0: no move reached the state, unused).
_LOWEST_BIT = np.array([(v & -v).bit_length() - 1 if v else 0 for v in range(256)], dtype=np.int8)


def _patterns() -> tuple[np.ndarray, ...]:
    """The moves of one sentence's step for each shape (ka, kb, kc), concatenated.

    Shape ``((ka - 1) * k + kb - 1) * k + kc - 1`` starts at ``at[shape]`` and has
    ``size[shape] = ka * kb * kc`` moves, ordered by b, then c, then a (a innermost: one
    contiguous segment per new state (b, c)); per move ``a``, ``a * k + b`` and ``c``.
    """
    global _PATTERNS
    if _PATTERNS is None:
        k = MAX_CANDIDATES
        a_s: list[int] = []
        ab_s: list[int] = []
        c_s: list[int] = []
        at = np.zeros(k**3, dtype=np.intp)
        size = np.zeros(k**3, dtype=np.intp)
        for ka in range(1, k + 1):
            for kb in range(1, k + 1):
                for kc in range(1, k + 1):
                    shape = ((ka - 1) * k + kb - 1) * k + kc - 1
                    at[shape], size[shape] = len(a_s), ka * kb * kc
                    for b in range(kb):
                        for c in range(kc):
                            for a in range(ka):
                                a_s.append(a)
                                ab_s.append(a * k + b)
                                c_s.append(c)
        _PATTERNS = (np.array(a_s, dtype=np.intp), np.array(ab_s, dtype=np.intp), np.array(c_s, dtype=np.intp), at, size)
    return _PATTERNS
