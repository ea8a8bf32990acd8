"""The benchmark runs and reports sane figures (the real targets are checked by hand)."""

from __future__ import annotations

import math
from pathlib import Path

from tests.bench.nlp import run_bench


def test_bench_small(empty_models_dir: Path) -> None:
    texts = ["Das ist ein kurzer Kommentar. Er sagt wenig!", "Zweite Zeile\nmit Umbruch."] * 20
    result = run_bench(texts, repeat=1)
    assert result["tokens_direct"] > 0 and result["tokens_wrapped"] > 0
    assert math.isfinite(result["overhead"])
    assert result["tokens_per_s_wrapped"] > 0
