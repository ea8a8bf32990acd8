"""py3langid's scores for many texts at once: the byte-wise automaton walk done with numpy.

py3langid (Lui & Baldwin 2012's model) counts its byte n-gram features by walking an
Aho–Corasick automaton over a text's UTF-8 bytes in a Python loop, one dictionary-free
step per byte (``py3langid.langid.visit_counts``): 8 µs per token of the One Million Posts
comments, the largest single cost of the nlp stage after the tokenizer rewrite
(docs/performance-language.md).  This module computes the very same feature counts
column-wise and then scores each text with py3langid's own arithmetic, so the scores are
bit-for-bit py3langid's (``tests/stages/nlp/test_langid_vector.py`` compares them on real
and adversarial texts).

Why a window suffices.  The automaton's state after byte *i* is the trie node of the
longest suffix of the bytes read so far that is a prefix of some feature; trie nodes are at
most ``D`` bytes deep (``D`` = the deepest node, 6 for py3langid 0.4's model, computed from
the model by a breadth-first search, which finds each node at its trie depth).  So the
state after byte *i* is the state reached from the root over bytes ``i-D+1 .. i`` alone
(fewer at the start of a text).  Running the ``D`` steps for every byte position of every
text at once is ``D`` array gathers over the whole column instead of one Python step per
byte.  The features seen (the automaton's output per state) are then counted per text in
their order of first occurrence, the order of py3langid's ``Counter``, and each text's
scores are computed by the same numpy expression py3langid uses
(``log1p(counts) @ ptc[features] + pc``, one BLAS product per text: its summation order
depends on the text's feature count), and the normalisation after it (scaling, softmax,
alias fold) is done for all texts at once: element-wise operations and per-row reductions
give the same float32 values as py3langid's per-text ones (tested bit for bit).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

# Bytes of text walked per numpy pass (bounds the temporary arrays: ~10 arrays of 8 bytes
# per byte of text, so 4 MB of text is ~300 MB at most; comments are far shorter).
_BLOCK_BYTES = 1 << 22
_INT_TYPES = {2: np.uint16, 4: np.uint32, 8: np.uint64}


def _as_numpy(values: Any) -> npt.NDArray[Any]:
    """An ``array.array`` of unsigned integers (py3langid's tables) as a numpy view."""
    return np.frombuffer(values, dtype=_INT_TYPES[values.itemsize])


def trie_depth(nextmove: npt.NDArray[Any], rowbase: npt.NDArray[np.int64]) -> int:
    """The deepest state of the automaton, in bytes from the root.

    Breadth-first search over all 256 transitions of every state: the first time a state is
    reached is its trie depth (a string shorter than a node's own string cannot end in it).
    """
    n_states = len(rowbase)
    seen = np.zeros(n_states, dtype=bool)
    seen[0] = True
    front = np.zeros(1, dtype=np.int64)
    depth = 0
    every_byte = np.arange(256, dtype=np.int64)
    while True:
        reached = nextmove[(rowbase[front][:, None] + every_byte[None, :]).ravel()].astype(np.int64)
        new = np.unique(reached[~seen[reached]])
        if not len(new):
            return depth
        depth += 1
        seen[new] = True
        front = new


class VectorScorer:
    """py3langid's ``_decide`` for many texts: identical scores, the byte walk in numpy.

    Args:
        identifier: a ``py3langid.langid.LanguageIdentifier`` built with ``norm_probs=True``
            (its candidate restriction, if any, applies as in py3langid).
        depth_file: where to keep the automaton's depth once computed (a text file with one
            integer beside the unpacked model); ``None`` computes it in this process.
    """

    def __init__(self, identifier: Any, depth_file: Path | None = None) -> None:
        self._id = identifier
        self._nextmove = _as_numpy(identifier.tk_nextmove)
        self._rowbase = _as_numpy(identifier.tk_row).astype(np.int64) << 8
        self._out = np.asarray(identifier.tk_output, dtype=np.int64)
        self._n_features = int(self._out.max()) + 1
        self._table: npt.NDArray[np.float32] | None = None
        self.depth = _read_depth(depth_file) if depth_file is not None else None
        if self.depth is None:
            self.depth = trie_depth(self._nextmove, self._rowbase)
            if depth_file is not None:
                _write_depth(depth_file, self.depth)

    # -- the walk -------------------------------------------------------------------------

    def _features(self, encoded: Sequence[bytes]) -> list[tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]]:
        """Per text: py3langid's feature indexes and counts, in order of first occurrence."""
        out: list[tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]] = []
        block: list[bytes] = []
        size = 0
        for data in encoded:
            if block and size + len(data) > _BLOCK_BYTES:
                out.extend(self._features_of_block(block))
                block, size = [], 0
            block.append(data)
            size += len(data)
        if block:
            out.extend(self._features_of_block(block))
        return out

    def _features_of_block(self, block: list[bytes]) -> list[tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]]:
        depth = int(self.depth or 0)
        lengths = np.fromiter((len(b) for b in block), dtype=np.int64, count=len(block))
        total = int(lengths.sum())
        empty = (np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float32))
        if not total:
            return [empty for _ in block]
        # Bytes of all texts, after ``depth`` zero bytes (never read: masked as before a start).
        data = np.frombuffer(b"\0" * depth + b"".join(block), dtype=np.uint8).astype(np.int64)
        starts = np.zeros(len(block), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        text_of = np.repeat(np.arange(len(block), dtype=np.int64), lengths)
        position = np.arange(total, dtype=np.int64) - starts[text_of]  # byte's index in its text
        state = np.zeros(total, dtype=np.int64)
        nextmove, rowbase = self._nextmove, self._rowbase
        for back in range(depth - 1, -1, -1):  # bytes i-back, oldest first
            step = nextmove[rowbase[state] + data[depth - back : depth - back + total]]
            state = np.where(position >= back, step, state) if back else step.astype(np.int64)
        feature = self._out[state]
        hit = feature >= 0
        texts_hit, features_hit = text_of[hit], feature[hit]
        if not len(texts_hit):
            return [empty for _ in block]
        keys = texts_hit * self._n_features + features_hit
        # Distinct (text, feature) pairs in order of first occurrence, with their counts: a
        # stable sort groups equal keys with their earliest position first; marking those
        # positions and reading them in position order gives the order without a second sort.
        perm = np.argsort(keys, kind="stable")
        ordered = keys[perm]
        run_start = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        run_length = np.diff(np.append(run_start, len(keys)))
        first_at = perm[run_start]
        count_at = np.zeros(len(keys), dtype=np.int64)
        count_at[first_at] = run_length
        is_first = np.zeros(len(keys), dtype=bool)
        is_first[first_at] = True
        texts = texts_hit[is_first]
        features = features_hit[is_first].astype(np.intp)
        counts = count_at[is_first].astype(np.float32)  # py3langid's counts are float32
        bounds = np.searchsorted(texts, np.arange(len(block) + 1)).tolist()
        # Views into the block's two arrays (read at once by decide_matrix, then dropped).
        return [(features[a:z], counts[a:z]) for a, z in zip(bounds[:-1], bounds[1:], strict=True)]

    # -- scores ---------------------------------------------------------------------------

    def _weights(self) -> npt.NDArray[np.float32]:
        """py3langid's feature weights (float16, a column view) as one float32 array.

        ``float32 @ float16`` makes numpy cast the gathered rows to float32 before the BLAS
        product; the cast is exact, so casting the table once gives the very same operands
        and the same product, without a cast per text (half the cost of the product loop).
        Made on first use: 7 MB, 4 ms.
        """
        if self._table is None:
            self._table = np.ascontiguousarray(self._id.nb_ptc, dtype=np.float32)
        return self._table

    def decide_matrix(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """``identifier._decide(text)`` for each text, one row per text (same floats).

        Only the sparse product ``log1p(counts) @ ptc[features]`` stays per text: it is a BLAS
        dot product whose summation order depends on its length, so batching it would change
        the last bits.  Everything after it is element-wise or a per-row reduction, done for
        all rows at once: the scaling by ``1/sqrt(bytes)`` (the factor rounded to float32, as
        numpy rounds a Python float multiplying a float32 array), the softmax and the alias
        fold.  ``tests/stages/nlp/test_langid_vector.py`` checks the rows bit for bit.
        """
        encoded = [self._id._encode(text) for text in texts]
        ident = self._id
        scores = np.zeros((len(texts), len(ident.nb_classes)), dtype=np.float32)  # no feature: 0.0
        table, prior = self._weights(), ident.nb_pc
        for row, (features, counts) in enumerate(self._features(encoded)):
            if len(features):
                # py3langid's _sparse_score, step for step.
                scores[row] = np.log1p(counts) @ table[features] + prior
        if not len(texts):
            return scores
        # py3langid's _decide with norm_probs=True, row-wise.
        factors = np.array([1.0 / math.sqrt(len(data) or 1) for data in encoded], dtype=np.float64)
        scores *= factors.astype(np.float32)[:, None]
        np.exp(scores - scores.max(axis=1, keepdims=True), out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        for i, j in ident._alias_pairs:
            scores[:, i] += scores[:, j]
            scores[:, j] = 0.0
        return scores

    def decide_many(self, texts: Sequence[str]) -> list[npt.NDArray[np.float32]]:
        """``identifier._decide(text)`` for each text (same floats)."""
        return list(self.decide_matrix(texts))

    def rank_many(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """``identifier.rank(text)`` for each text: languages by probability, best first."""
        classes = self._id.nb_classes
        ranked: list[list[tuple[str, float]]] = []
        for scores in self.decide_matrix(texts).tolist():
            merged: dict[str, float] = {}
            for lang, score in zip(classes, scores, strict=True):
                merged.setdefault(lang, score)
            ranked.append(sorted(merged.items(), key=lambda item: item[1], reverse=True))
        return ranked


def _read_depth(path: Path) -> int | None:
    try:
        value = int(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    return value if value > 0 else None


def _write_depth(path: Path, depth: int) -> None:
    try:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(f"{depth}\n", encoding="ascii")
        os.replace(tmp, path)
    except OSError:  # a read-only cache folder: computed again next time
        pass
