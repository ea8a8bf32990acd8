"""The thread-words block: a comment's discussion is the other comments of its article in the input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from analyzer.stages.labels import model as label_model
from analyzer.stages.labels import stage
from analyzer.stages.labels.features import THREAD_LABELS, ThreadBlock, thread_counts
from analyzer.stages.labels.train import fit_model, read_labelled, thread_matrix

from .conftest import FEEDBACK, NEGATIVE, NEUTRAL

TEXTS = [*NEGATIVE, *NEUTRAL, *FEEDBACK, "Danke!", "Danke!", "Nein.", "Das ist völliger Unsinn und eine Frechheit."]


def _articles(n: int) -> np.ndarray:
    # articles of 1 to 7 comments, and one comment alone
    return np.asarray([f"a{min(i // 7, 3)}" if i < len(TEXTS) - 1 else "alone" for i in range(n)])


def test_thread_counts_are_the_other_comments_of_the_same_article() -> None:
    texts = ["rot blau", "rot", "grün", "rot gelb"]
    counts = label_model.count_matrix("word", texts)
    pooled = thread_counts(counts, ["x", "x", "y", "x"]).toarray()
    presence = np.sign(counts.toarray())
    np.testing.assert_array_equal(pooled[0], presence[1] + presence[3])
    np.testing.assert_array_equal(pooled[2], np.zeros(counts.shape[1]))  # alone in its article
    # a word repeated inside one comment counts once; "rot" is in the two other comments of x
    rot = np.flatnonzero(label_model.count_matrix("word", ["rot rot rot"]).toarray()[0])[0]
    assert abs(pooled[0, rot]) == 2 and abs(pooled[1, rot]) == 2 and abs(pooled[3, rot]) == 2


def test_block_logits_equal_the_explicit_tfidf_matrix() -> None:
    counts = label_model.count_matrix("word", TEXTS)
    articles = _articles(len(TEXTS))
    pooled = thread_counts(counts, articles)
    block = ThreadBlock.fit(pooled, 2, weight=0.5)
    block = ThreadBlock(block.buckets, block.idf, 0.5, np.random.default_rng(1).normal(size=(2, block.buckets.size)))
    assert block.buckets.size > 10
    explicit = np.asarray(thread_matrix(block, pooled) @ block.coef.T)
    fast = block.logits(counts, articles)
    np.testing.assert_allclose(fast, explicit, rtol=1e-10, atol=1e-12)
    assert np.all(fast[articles == "alone"] == 0) and np.all(np.abs(fast[articles == "a0"]).sum(axis=1) > 0)
    # the order of the input does not matter
    order = np.random.default_rng(2).permutation(len(TEXTS))
    np.testing.assert_allclose(block.logits(counts[order], articles[order]), fast[order], rtol=1e-10, atol=1e-12)


@pytest.fixture(scope="module")
def thread_model(tmp_path_factory: pytest.TempPathFactory) -> label_model.LabelModel:
    from .conftest import labelled_rows, write_csv

    path = write_csv(tmp_path_factory.mktemp("omp") / "small.csv", labelled_rows())
    model = fit_model(read_labelled(path))
    saved = label_model.save(model, tmp_path_factory.mktemp("model") / "m.npz")
    return label_model.load(saved)


def _comments(texts: list[str], articles: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"article_id": articles, "comment_id": [f"c{i}" for i in range(len(texts))], "text": texts,
                         "parent_id": [None] * len(texts), "kind": ["comment"] * len(texts)})


def test_model_file_carries_the_block_for_the_sentiment_labels_only(thread_model: label_model.LabelModel,
                                                                    tmp_path: Path) -> None:
    group = thread_model.groups[0]
    assert group.thread is not None and group.thread.buckets.size > 0
    for k, stem in enumerate(group.labels):
        assert bool(np.any(group.thread.coef[k])) == (stem in THREAD_LABELS)
    path = label_model.save(thread_model, tmp_path / "again.npz")
    with np.load(path, allow_pickle=False) as arrays:
        assert int(arrays["format"][0]) == label_model.MODEL_FORMAT == 4
        assert {"g0_thread_buckets", "g0_thread_idf", "g0_thread_weight", "g0_thread_coef"} <= set(arrays.files)
        # own-text coefficients are stored for the thread labels only
        assert sorted(str(s) for s in arrays["g0_alone_labels"]) == sorted(THREAD_LABELS & set(group.labels))
        # format 3 = the same file without the own-text fields; format 2 also without the thread fields
        v3 = {k: arrays[k] for k in arrays.files if "_alone_" not in k}
        v2 = {k: v for k, v in v3.items() if "_thread_" not in k}
    v3["format"], v2["format"] = np.asarray([3]), np.asarray([2])
    np.savez(tmp_path / "v3.npz", **v3)
    np.savez(tmp_path / "v2.npz", **v2)
    old3, old2 = label_model.load(tmp_path / "v3.npz"), label_model.load(tmp_path / "v2.npz")
    assert all(g.thread is None and g.alone_coef is None for g in old2.groups)
    assert old3.groups[0].thread is not None and old3.groups[0].alone_coef is None
    probe = ["Was für ein peinlicher Unsinn."]
    # Older files score a comment alone with the joint model's own-word coefficients (zero
    # offsets); the new file with its own-text classifier, which differs for the thread labels only.
    joint = thread_model.predict_proba(probe, [False], np.zeros((1, len(thread_model.labels))))
    np.testing.assert_array_equal(old2.predict_proba(probe, [False]), joint)
    np.testing.assert_array_equal(old3.predict_proba(probe, [False]), joint)
    alone = thread_model.predict_proba(probe, [False])
    for j, stem in enumerate(thread_model.labels):
        assert (alone[0, j] != joint[0, j]) == (stem in THREAD_LABELS)
    # a NaN offset row is "no discussion": the same as no offsets
    np.testing.assert_array_equal(thread_model.predict_proba(probe, [False], np.full((1, len(thread_model.labels)), np.nan)),
                                  alone)


def test_stage_uses_only_other_comments_of_the_same_article(thread_model: label_model.LabelModel,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [*NEGATIVE[:4], *NEUTRAL[:3], "Das ist völliger Unsinn und eine Frechheit."]
    articles = ["a"] * 4 + ["b"] * 3 + ["solo"]
    lang = dict.fromkeys(("a", "b", "solo", "c"), "de")
    base = stage.label_comments(_comments(texts, articles), thread_model, article_lang=lang)
    p = np.asarray(base.get_column("p_sentiment_negative").to_list())
    # A comment alone in its article is scored on its own words: what predict_proba gives it alone.
    alone = thread_model.predict_proba([texts[-1]], [False])[0, thread_model.labels.index("sentiment_negative")]
    assert p[-1] == alone
    # Within an article the discussion moves the score; the same text in two articles differs.
    own = thread_model.predict_proba(texts[:4], [False] * 4)[:, 0]
    assert np.all(p[:4] != own)
    zeros = np.zeros((4, len(thread_model.labels)))
    assert np.all(p[:4] != thread_model.predict_proba(texts[:4], [False] * 4, zeros)[:, 0])
    # Comments of another article do not change a row; one more comment of the same article does.
    more = stage.label_comments(_comments([*texts, NEUTRAL[5]], [*articles, "c"]), thread_model, article_lang=lang)
    np.testing.assert_array_equal(np.asarray(more.get_column("p_sentiment_negative").to_list())[:8], p)
    joined = stage.label_comments(_comments([*texts, NEUTRAL[5]], [*articles, "a"]), thread_model, article_lang=lang)
    changed = np.asarray(joined.get_column("p_sentiment_negative").to_list())
    assert np.all(changed[:4] != p[:4]) and np.array_equal(changed[4:8], p[4:])
    # Prediction batches do not cut discussions: batches of 2 give the same numbers.
    monkeypatch.setattr(stage, "BATCH", 2)
    again = stage.label_comments(_comments(texts, articles), thread_model, article_lang=lang)
    np.testing.assert_allclose(np.asarray(again.get_column("p_sentiment_negative").to_list()), p, rtol=1e-12)
    # Labels outside THREAD_LABELS keep their own-text numbers.
    if "possibly_feedback" in thread_model.labels:
        j = thread_model.labels.index("possibly_feedback")
        np.testing.assert_allclose(np.asarray(base.get_column("p_possibly_feedback").to_list()),
                                   thread_model.predict_proba(texts, [False] * len(texts))[:, j], rtol=1e-12)


@pytest.mark.shared_data
@pytest.mark.slow
def test_packaged_block_on_whole_real_discussions_equals_the_explicit_matrix(shared_dir: Path) -> None:
    """Real One Million Posts articles of up to 521 comments (skipped without ../shared/data)."""
    model = label_model.load(label_model.PACKAGED_MODEL)
    block = model.groups[0].thread
    assert block is not None and model.groups[0].labels[0] == "sentiment_negative"
    items = read_labelled(shared_dir / "data" / "omp_derstandard" / "omp_posts_dev.csv")
    part = [c for c in items if c.article_id in {"5", "1860", "1172"} or int(c.article_id) % 50 == 0]
    assert len(part) > 1000
    counts = label_model.count_matrix("word", [c.text for c in part])
    articles = np.asarray([c.article_id for c in part])
    explicit = np.asarray(thread_matrix(block, thread_counts(counts, articles)) @ block.coef.T)
    np.testing.assert_allclose(block.logits(counts, articles), explicit, rtol=1e-9, atol=1e-12)
