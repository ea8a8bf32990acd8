"""Inputs shared by the engine tests: the sample page and a small synthetic corpus."""

from __future__ import annotations

from pathlib import Path

from tests.bench.synth.corpus import write_corpus
from tests.conftest import ROOT

SAMPLE_PAGE = ROOT / "fixtures" / "de_sample_page" / "input.txt"


def small_corpus(folder: Path, n_comments: int = 90) -> Path:
    """A synthetic comment table (three articles, one reply chain) written as Parquet."""
    return write_corpus(folder / "corpus.parquet", n_comments, 3, 5, deep_chains=1, chain_length=20)
