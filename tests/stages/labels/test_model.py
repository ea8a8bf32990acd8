"""analyzer.stages.labels.model / train: the featurizer, fitting, and the code-free model file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from analyzer.core.errors import FormatError, MappingError, UsageError
from analyzer.stages.labels import model as label_model
from analyzer.stages.labels.train import compose_text, fit_model, read_labelled
from tests.stages.labels.conftest import write_csv


def test_reads_the_csv_layout(small_omp: Path) -> None:
    items = read_labelled(small_omp)
    assert len(items) == 40
    first = items[0]
    assert first.labels["sentiment_negative"] == 1 and first.labels["arguments_used"] is None
    assert first.deleted and not first.is_reply  # i = 0: top level, negative and even
    assert sum(1 for c in items if c.labels["possibly_feedback"] == 1) == 8


def test_bad_flag_names_file_line_and_column(small_omp: Path, tmp_path: Path) -> None:
    rows = small_omp.read_text(encoding="utf-8").splitlines()
    rows[3] = rows[3].replace(",1,0,0,1", ",yes,0,0,1")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        read_labelled(bad)
    assert f"{bad}:4" in str(caught.value) and "SentimentNegative" in str(caught.value)


def test_missing_columns_are_a_mapping_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [{"ID_Post": "1", "Body": "x"}])
    with pytest.raises(MappingError, match="no column ID_Article"):
        read_labelled(path)


def test_text_is_composed_like_the_table_reader() -> None:
    assert compose_text("Titel", "Text\r\nzwei") == "Titel\n\nText\nzwei"
    assert compose_text(None, "nur Text") == compose_text("  ", "nur Text") == "nur Text"


def test_featurizer_on_training_rows_equals_the_cv_column_selection(small_omp: Path) -> None:
    items = read_labelled(small_omp)
    texts = [c.text for c in items]
    replies = [c.is_reply for c in items]
    train, test = list(range(0, 40, 2)), list(range(1, 40, 2))
    fitted = label_model.Featurizer.fit([texts[i] for i in train], [replies[i] for i in train])
    direct = fitted.matrix([texts[i] for i in test], [replies[i] for i in test]).toarray()
    # The evaluation's shortcut: hash everything once, keep the training rows' buckets.
    pre = label_model.precompute(texts, replies)
    blocks = []
    for kind in ("word", "char"):
        keep, idf = label_model.select_columns(kind, pre[kind][train])
        blocks.append(label_model.tfidf(pre[kind][test][:, keep], idf))
    shortcut = label_model.stack(blocks[0], blocks[1], pre["named"][test], fitted.scale).toarray()
    assert np.array_equal(fitted.scale, label_model.feature_scale(pre["named"][train]))
    assert direct.shape == shortcut.shape and direct.shape[1] > 50
    np.testing.assert_allclose(direct, shortcut, rtol=1e-12, atol=1e-12)


@pytest.mark.slow
def test_learns_the_labels_and_round_trips_without_pickle(small_omp: Path, tmp_path: Path) -> None:
    model = fit_model(read_labelled(small_omp))
    assert model.labels == ["sentiment_negative", "possibly_feedback"]  # the others lack both classes
    assert set(model.card["skipped"]) >= {"arguments_used", "sentiment_positive"}
    probe = ["Was für ein peinlicher Unsinn, völlig unfähig.", "Die Sitzung im Rathaus beginnt im Herbst.",
             "Liebe Redaktion, der Link funktioniert nicht."]
    probs = model.predict_proba(probe, [False, False, False])
    neg, feedback = model.labels.index("sentiment_negative"), model.labels.index("possibly_feedback")
    assert probs[0, neg] > 0.5 > probs[1, neg]
    assert probs[2, feedback] > 0.5 > probs[0, feedback]
    path = label_model.save(model, tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as arrays:  # plain arrays only
        assert {"g0_coef", "g0_word_buckets", "g0_char_idf"} <= set(arrays.files)
        # Bucket numbers and numbers only: no string array but our label and feature names.
        strings = {name for name in arrays.files if arrays[name].dtype.kind == "U"}
        assert strings == {"feature_names", "g0_labels", "g0_alone_labels"}
        assert [str(v) for v in arrays["g0_alone_labels"]] == ["sentiment_negative"]  # the thread label only
    loaded = label_model.load(path)
    np.testing.assert_allclose(loaded.predict_proba(probe, [False] * 3), probs, rtol=1e-5)
    assert loaded.card["n_comments"] == 40 and "CC BY-NC-SA" in loaded.card["licence"]
    assert [g["labels"] for g in loaded.card["groups"]] == [["sentiment_negative", "possibly_feedback"]]


def test_labels_annotated_on_other_comments_get_their_own_featurizer(small_omp: Path) -> None:
    from analyzer.stages.labels.train import annotation_groups

    items = read_labelled(small_omp)
    for item in items[::2]:  # feedback annotated on half of the comments only
        item.labels["possibly_feedback"] = None
    assert annotation_groups(items, ["sentiment_negative", "possibly_feedback"]) == [
        ["sentiment_negative"], ["possibly_feedback"]]
    model = fit_model(items, labels=["sentiment_negative", "possibly_feedback"])
    assert [g.labels for g in model.groups] == [["sentiment_negative"], ["possibly_feedback"]]
    # Each featurizer keeps the buckets of its own comments: fewer texts, fewer buckets.
    assert model.groups[1].featurizer.word.buckets.size < model.groups[0].featurizer.word.buckets.size
    assert model.predict_proba(["Liebe Redaktion, danke."], [False]).shape == (1, 2)


def test_load_refuses_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="labels train"):
        label_model.load(tmp_path / "absent.npz")
    foreign = tmp_path / "foreign.npz"
    np.savez(foreign, format=np.asarray([99]))
    with pytest.raises(UsageError, match="not a label model of format"):
        label_model.load(foreign)
    pickled = tmp_path / "pickled.npz"
    np.savez(pickled, format=np.asarray([1]), feature_names=np.asarray([object()], dtype=object))
    with pytest.raises(UsageError, match="not a label model file"):
        label_model.load(pickled)


def test_sentiment_label_rule() -> None:
    assert label_model.sentiment_label(0.7, 0.9) == "negative"
    assert label_model.sentiment_label(0.2, 0.6) == "positive"
    assert label_model.sentiment_label(0.49, 0.1) == "neutral"
