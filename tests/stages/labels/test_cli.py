"""``analyzer labels train | eval | status`` through the real command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer import cli
from analyzer.stages.labels import model as label_model


def test_status_says_model_absent_with_the_build_command(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["labels", "status"]) == 0
    out = capsys.readouterr().out
    assert "model absent" in out and "analyzer labels train --omp" in out


@pytest.mark.slow
def test_train_eval_and_status(small_omp: Path, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["labels", "train", "--omp", str(small_omp), "--folds", "2"]) == 0
    out = capsys.readouterr().out
    assert "2 folds grouped by article" in out and label_model.default_model_path().is_file()
    card = label_model.load(label_model.default_model_path()).card
    figures = card["evaluation"]["labels"]["sentiment_negative"]
    assert figures["n"] == 40 and 0.0 <= figures["macro_f1"] <= 1.0 and isinstance(figures["reliable"], bool)
    assert cli.main(["labels", "status"]) == 0
    status = capsys.readouterr().out
    assert "sentiment_negative" in status and "trained" in status and "CC BY-NC-SA" in status
    out_json = tmp_path / "scores.json"
    assert cli.main(["labels", "eval", "--omp", str(small_omp), "--folds", "2", "--json", str(out_json)]) == 0
    assert '"sentiment_negative"' in out_json.read_text(encoding="utf-8")


def test_unreadable_training_file_is_one_line_exit_2(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["labels", "train", "--omp", str(tmp_path / "nope.csv"), "--no-eval"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope.csv" in err[0] and "no such file" in err[0]
