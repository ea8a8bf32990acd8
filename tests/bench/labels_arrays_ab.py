"""This process, A/B: the labels' probabilities and the stance stage with the session-12 array paths
on and off, interleaved: ``python -m tests.bench.labels_arrays_ab [--rounds N]``.

"Off" puts back main's expressions before session 12 (branch ``s12-stancetok``): scipy's TF-IDF
product and normalisation (``sparse_rows.weighted_l2_csr`` declines), the named features' pattern
counts per comment (``named_features`` one by one) and ``sort_indices`` after the character
n-gram product.  Both modes run in the same process on the same OMP context (the stages before
``stance`` are cached by :mod:`tests.bench.stance_labels_cpu`), alternating, so a loaded
machine's drift falls on both; the outputs of the two modes are compared bit for bit.
"""

from __future__ import annotations

import argparse
import copy
import gc
import statistics
import time
from collections.abc import Sequence
from typing import Any

import numpy as np


def _sorted_char_counts(original: Any) -> Any:
    """``hashed_counts`` with the character n-gram product sorted by ``sort_indices`` (before)."""
    import scipy.sparse as sp

    from analyzer.stages import hashed_ngrams

    def counts(texts: Sequence[str], *, analyzer: str, ngram_range: tuple[int, int], n_features: int,
               lowercase: bool = True) -> Any:
        if analyzer != "char_wb":
            return original(texts, analyzer=analyzer, ngram_range=ngram_range, n_features=n_features,
                            lowercase=lowercase)
        occurrences, words = hashed_ngrams._word_occurrences(texts, lowercase)
        if not words:
            return sp.csr_matrix((len(texts), n_features), dtype=np.float64)
        grams = hashed_ngrams._char_wb_word_rows(words, ngram_range[0], ngram_range[1], n_features)
        out = sp.csr_matrix(occurrences.to_csr() @ grams.to_csr(), dtype=np.float64)
        out.eliminate_zeros()
        out.sort_indices()
        return out

    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.labels_arrays_ab", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args(argv)

    from analyzer.core.collections_policy import fewer_collections
    from analyzer.stages import hashed_ngrams, sparse_rows
    from analyzer.stages.labels import features
    from analyzer.stages.labels import model as label_model
    from analyzer.stages.labels import stage as label_stage
    from analyzer.stages.stance import stage as stance_stage
    from tests.bench.stance_labels_cpu import _context

    context = _context("omp", None)
    model = label_model.load(label_model.default_model_file())  # type: ignore[arg-type]
    arrays = sparse_rows.weighted_l2_csr
    column_named = label_model.named_features_many
    transposed = hashed_ngrams.hashed_counts
    sorted_counts = _sorted_char_counts(transposed)

    def one_by_one(texts: Sequence[str], is_reply: Sequence[bool], *, lang: str = "de") -> list[list[float]]:
        return [features.named_features(t, is_reply=r, lang=lang) for t, r in zip(texts, is_reply, strict=True)]

    def use(new: bool) -> None:
        sparse_rows.weighted_l2_csr = arrays if new else (lambda *_a, **_k: None)  # type: ignore[assignment]
        label_model.named_features_many = column_named if new else one_by_one  # type: ignore[assignment]
        hashed_ngrams.hashed_counts = transposed if new else sorted_counts  # type: ignore[assignment]

    seconds: dict[tuple[str, bool], list[float]] = {(s, m): [] for s in ("labels", "stance") for m in (True, False)}
    outputs: dict[tuple[str, bool], Any] = {}
    with fewer_collections():
        for k in range(args.rounds):
            for new in (True, False) if k % 2 else (False, True):
                use(new)
                gc.collect()
                start = time.process_time()
                outputs[("labels", new)] = label_stage.label_probabilities(context.forest.comments, model)
                seconds[("labels", new)].append(time.process_time() - start)
                ctx = copy.copy(context)
                ctx.frames = dict(context.frames)
                start = time.process_time()
                outputs[("stance", new)] = stance_stage.run_stage(ctx).frames["stance.parquet"]
                seconds[("stance", new)].append(time.process_time() - start)
    use(True)
    for (stage, new), values in seconds.items():
        print(f"{stage:6s} {'on ' if new else 'off'}  median {statistics.median(values):.3f} CPU s  "
              + " ".join(f"{v:.2f}" for v in values))
    on, off = outputs[("labels", True)], outputs[("labels", False)]
    print("label probabilities bit-equal:", bool(np.array_equal(on.view(np.uint64), off.view(np.uint64))))
    print("stance frames equal:", outputs[("stance", True)].equals(outputs[("stance", False)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
