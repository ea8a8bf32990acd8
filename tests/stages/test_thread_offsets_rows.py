"""The labels' thread block without scipy.sparse gives bit for bit the scipy path's numbers.

``stage.thread_offsets`` counts word n-grams as numpy ``Rows`` for inputs of at most
``sparse_rows.ROWS_PATH_MAX`` texts (one page then never imports scipy.sparse) and as scipy CSR
above; ``ThreadBlock.logits`` takes both.  Compared with ``np.array_equal`` (NaN in the same
places) on hand-made threads and on real One Million Posts comments.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from analyzer.stages import sparse_rows
from analyzer.stages.hashed_ngrams import hashed_counts, hashed_rows
from analyzer.stages.labels import model as label_model
from analyzer.stages.labels.features import ThreadBlock
from analyzer.stages.labels.stage import thread_offsets

# A few buckets, so texts collide in a bucket and signed counts cancel (stored zeros dropped).
SMALL = 64


def block(rng: np.random.Generator, n_labels: int = 3, k: int = 40) -> ThreadBlock:
    buckets = np.sort(rng.choice(SMALL, size=k, replace=False)).astype(np.int64)
    return ThreadBlock(buckets, rng.uniform(1.0, 4.0, size=k), 0.7, rng.normal(size=(n_labels, k)))


def both(thread: ThreadBlock, texts: list[str], articles: list[str]) -> tuple[np.ndarray, np.ndarray]:
    rows = hashed_rows(texts, analyzer="word", ngram_range=(1, 2), n_features=SMALL)
    csr = hashed_counts(texts, analyzer="word", ngram_range=(1, 2), n_features=SMALL)
    return thread.logits(rows, articles), thread.logits(csr, articles)


THREADS: dict[str, tuple[list[str], list[str]]] = {
    "one article": (["Der Zug kam spät.", "Spät? Pünktlich war er!", "kam er überhaupt", "nein"], ["a"] * 4),
    "singletons": (["nur ich hier", "und ich dort", "ganz allein"], ["a", "b", "c"]),
    "duplicates": (["gleich gleich", "gleich gleich", "anders", "gleich gleich"], ["a", "a", "a", "b"]),
    "empty texts": (["", "", "Worte sind da", "", "noch mehr Worte"], ["a", "a", "a", "b", "b"]),
    "all empty": (["", "", ""], ["a", "a", "b"]),
    "one row": (["ein einziger Satz"], ["z"]),
    "many articles": ([f"Leser {i % 7} meint {'ja' if i % 3 else 'nein'} zu Frage {i % 5}" for i in range(90)],
                      [f"art{i % 13}" for i in range(90)]),
}


@pytest.mark.parametrize("name", sorted(THREADS))
def test_rows_logits_equal_scipy_logits_on_hand_made_threads(name: str) -> None:
    texts, articles = THREADS[name]
    rng = np.random.default_rng(len(name))
    for n_labels in (1, 3):
        new, old = both(block(rng, n_labels), texts, articles)
        assert new.shape == old.shape == (len(texts), n_labels)
        assert np.array_equal(new, old)


def test_rows_logits_equal_scipy_logits_on_random_threads() -> None:
    rng = np.random.default_rng(7)
    words = ["gut", "schlecht", "ja", "nein", "vielleicht", "Regierung", "Bahn", "", "!"]
    for _ in range(30):
        n = int(rng.integers(1, 40))
        texts = [" ".join(rng.choice(words, size=int(rng.integers(0, 9)))) for _ in range(n)]
        articles = [f"a{int(x)}" for x in rng.integers(0, 5, size=n)]
        new, old = both(block(rng, k=int(rng.integers(1, SMALL))), texts, articles)
        assert np.array_equal(new, old)


def test_take_rows_equals_csr_row_indexing() -> None:
    rows = hashed_rows(["a b c", "", "b b d e", "c"], analyzer="word", ngram_range=(1, 2), n_features=SMALL)
    which = np.asarray([2, 0, 2, 1, 3, 3], dtype=np.int64)
    taken, reference = sparse_rows.take_rows(rows, which), rows.to_csr()[which]
    assert taken.shape == reference.shape
    assert np.array_equal(taken.indptr, reference.indptr)
    assert np.array_equal(taken.indices, reference.indices)
    assert np.array_equal(taken.data, reference.data)
    assert sparse_rows.take_rows(rows, np.zeros(0, dtype=np.int64)).shape == (0, SMALL)


def _packaged_paths(texts: list[str], articles: list[str],
                    monkeypatch: pytest.MonkeyPatch) -> tuple[np.ndarray | None, np.ndarray | None]:
    model = label_model.load(label_model.PACKAGED_MODEL)
    new = thread_offsets(model, texts, articles)
    with monkeypatch.context() as patch:
        patch.setattr(sparse_rows, "ROWS_PATH_MAX", -1)
        old = thread_offsets(model, texts, articles)
    return new, old


def test_packaged_model_offsets_equal_on_hand_made_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    if not label_model.PACKAGED_MODEL.is_file():
        pytest.skip("the packaged label model is absent")
    texts = [t for name in sorted(THREADS) for t in THREADS[name][0]]
    articles = [f"{name}/{a}" for name in sorted(THREADS) for a in THREADS[name][1]]
    new, old = _packaged_paths(texts, articles, monkeypatch)
    assert new is not None and old is not None
    assert np.array_equal(new, old, equal_nan=True)
    assert np.isnan(new).any() and not np.isnan(new).all()


@pytest.mark.shared_data
def test_packaged_model_offsets_equal_on_omp_comments(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real comments of whole articles, in page-sized inputs (at most ROWS_PATH_MAX rows each)."""
    path = shared_dir / "data" / "omp_derstandard" / "omp_posts_dev.csv"
    if not path.is_file() or not label_model.PACKAGED_MODEL.is_file():
        pytest.skip(f"{path} or the packaged label model is absent")
    frame = pl.read_csv(path, infer_schema_length=0).sort("ID_Article", maintain_order=True)
    texts = frame.get_column("Body").fill_null("").to_list()
    articles = frame.get_column("ID_Article").to_list()
    size = sparse_rows.ROWS_PATH_MAX
    spans = [(i, i + size) for i in range(0, min(len(texts), 6 * size), size)]
    assert len(spans) > 1
    for a, b in spans:
        new, old = _packaged_paths(texts[a:b], articles[a:b], monkeypatch)
        assert new is not None and old is not None
        assert np.array_equal(new, old, equal_nan=True)
