"""Train and evaluate on the small hand-written gold fixture; the CLI; label spellings."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from analyzer.core.errors import FormatError, UsageError
from analyzer.pipeline import analyse
from analyzer.stages.context import StageContext
from analyzer.stages.stance import cli, trained
from analyzer.stages.stance.evaluate import majority_baseline, scores
from analyzer.stages.stance.gold import load_gold, normalise_label
from analyzer.stages.stance.stage import run_stage
from analyzer.stages.stance.training import evaluate_gold, train_model
from tests.stages.stance.conftest import DATA

GOLD = DATA / "gold_small.csv"


@pytest.fixture(scope="module")
def gold() -> Any:
    return load_gold([GOLD])


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    cli.add_parser(sub)
    return parser.parse_args(argv)


def test_label_spellings() -> None:
    assert [normalise_label(v) for v in ("Supporting", "SUPPORT", "Denying", "Querying", "Commenting", None)] == [
        "support", "support", "deny", "query", "comment", None]
    with pytest.raises(ValueError, match="unknown stance label"):
        normalise_label("maybe")


def test_gold_from_table_and_from_separate_labels_agree(gold: Any) -> None:
    apart = load_gold([DATA / "texts_only.csv"], labels_file=DATA / "labels_only.csv")
    assert len(gold) == len(apart) == 32
    assert gold.labels == apart.labels
    assert gold.labels["parent"][0] == "support"  # written "SUPPORT" in the table
    assert sorted(set(gold.groups["article"])) == ["de1", "de2", "en1", "en2"]


def test_labels_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "labels.csv"
    bad.write_text("article_id,comment_id,stance_article\nde1,d1,perhaps\n", encoding="utf-8")
    with pytest.raises(FormatError, match="perhaps") as info:
        load_gold([DATA / "texts_only.csv"], labels_file=bad)
    assert info.value.line == 2
    bad.write_text("id,label\n1,support\n", encoding="utf-8")
    with pytest.raises(FormatError, match="comment_id"):
        load_gold([DATA / "texts_only.csv"], labels_file=bad)
    with pytest.raises(UsageError, match="no labelled comments"):
        load_gold([DATA / "texts_only.csv"])


def test_scores_and_baseline_by_hand() -> None:
    s = scores(["support", "deny", "query", "comment"], ["support", "support", "query", "comment"])
    assert s["per_class"]["support"] == {"precision": 0.5, "recall": 1.0, "f1": pytest.approx(2 / 3), "support": 1.0}
    assert s["per_class"]["deny"]["f1"] == 0 and s["macro_f1"] == pytest.approx((2 / 3 + 0 + 1 + 1) / 4)
    b = majority_baseline(["comment", "comment", "deny"])
    assert b["label"] == "comment" and b["accuracy"] == pytest.approx(2 / 3) and b["macro_f1"] == pytest.approx(0.2)


def test_evaluate_reports_cue_model_cv_and_baseline(gold: Any) -> None:
    result = evaluate_gold(gold, target="parent", folds="article")
    names = list(result["results"])
    assert names[0] == "cue model" and "leave-one-article-out" in names[1] and names[2].startswith("majority baseline")
    for r in result["results"].values():
        assert set(r["per_class"]) == {"support", "deny", "query", "comment"}
    assert result["results"]["cue model"]["macro_f1"] > 0.6  # hand-written, unambiguous comments
    assert len(result["folds_detail"]) == 4


def test_train_is_deterministic_and_the_card_records_the_data(gold: Any) -> None:
    a = train_model(gold, targets=("article", "parent"), cross_validate=False)
    b = train_model(gold, targets=("article", "parent"), cross_validate=False)
    la, _ = a.predict("article", gold.samples)
    lb, _ = b.predict("article", gold.samples)
    assert la == lb
    assert a.card["training_data"][0]["sha256"] and len(a.card["thread_hashes"]) == 4
    assert set(a.card["targets"]["parent"]["classes"]) == {"support", "deny", "query", "comment"}


def test_cli_train_eval_and_stage_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model_path = tmp_path / "m" / "stance.joblib"
    assert cli.handle(parse(["stance", "train", str(GOLD), "--out", str(model_path), "--target", "both"])) == 0
    card = json.loads(trained.card_path(model_path).read_text(encoding="utf-8"))
    assert set(card["targets"]) == {"article", "parent"} and "cv" in card["targets"]["article"]
    out_json = tmp_path / "scores.json"
    assert cli.handle(parse(["stance", "eval", str(GOLD), "--target", "parent", "--json", str(out_json)])) == 0
    printed = capsys.readouterr().out
    assert "macro-F1" in printed and "majority baseline" in printed and "| system |" in printed
    assert json.loads(out_json.read_text(encoding="utf-8"))["target"] == "parent"
    # The model's own training threads are refused at evaluation time.
    assert cli.handle(parse(["stance", "eval", str(GOLD), "--model", str(model_path)])) == 0
    assert "excluded 32 comments" in capsys.readouterr().out
    # analyse --stance-model: the stage labels with the trained model.
    analysis = analyse([DATA / "texts_only.csv"], stages="quotes", stage_settings={"nlp": "offline"})
    result = run_stage(StageContext(forest=analysis.forest, ingested=analysis.ingested,
                                    settings={"stance_model": str(model_path)}, frames=dict(analysis.stage_frames)))
    frame = result.frames["stance.parquet"]
    assert set(frame.get_column("model")) == {"stance"}
    evidence = json.loads(frame.get_column("evidence")[0])
    assert set(evidence["model_proba"]) == {"article", "parent"} and evidence["article"]["source"] == "model"


def test_bad_model_file(tmp_path: Path) -> None:
    path = tmp_path / "x.joblib"
    path.write_bytes(b"not a model")
    with pytest.raises(UsageError, match="not a stance model"):
        trained.load(path)
    with pytest.raises(UsageError, match="not found"):
        trained.load(tmp_path / "missing.joblib")
