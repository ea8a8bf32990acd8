"""The JSON linear model, calibration, the OMP gold loader and the default German model in the stage.

Trains on tests/stages/stance/data/omp_tiny (invented German replies in the One Million Posts layout,
three articles), so the trained-model path runs end to end in seconds.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from analyzer.core.errors import UsageError
from analyzer.pipeline import analyse
from analyzer.stages.context import StageContext
from analyzer.stages.stance import german, german_training, trained
from analyzer.stages.stance.gold import load_gold
from analyzer.stages.stance.omp import OMP_COLUMNS, chains, load_omp_gold, read_labels, read_posts
from analyzer.stages.stance.stage import run_stage
from analyzer.stages.stance.training import calibration_report, cross_validated_logits
from tests.stages.stance.conftest import DATA

pytestmark = pytest.mark.slow  # the OMP loader runs the pipeline; one fit per fold

TINY = DATA / "omp_tiny"
POSTS = TINY / "posts.csv"
LABELS = TINY / "labels.csv"


@pytest.fixture(scope="module")
def omp_gold() -> Any:
    gold, _ = load_omp_gold(POSTS, [LABELS])
    return gold


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[trained.StanceModel, Path]:
    out = tmp_path_factory.mktemp("models") / "stance-de-omp.json"
    model, path, _ = german_training.train(POSTS, out=out, label_files=(LABELS,))
    return model, path


def test_labels_reader_keeps_final_omp_labels(tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("source,article_id,comment_id,stance_parent\nomp,a1,2,support\nsample,x,c1,deny\nomp,a1,3,\n",
                     encoding="utf-8")
    labels = read_labels([mixed, LABELS])
    assert labels.height == 27  # the sample row and the undecided row are left out; a1/2 appears once
    assert labels.filter(pl.col("comment_id") == "5").get_column("stance_parent").item() == "comment"
    with pytest.raises(UsageError, match="not found"):
        read_labels([tmp_path / "missing.csv"])


def test_posts_from_csv_and_sqlite_agree_and_chains_keep_ancestors(tmp_path: Path) -> None:
    csv_posts = read_posts(POSTS, ["a1"])
    db = tmp_path / "corpus.sqlite3"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE Posts (ID_Post INTEGER, ID_Parent_Post INTEGER, ID_Article TEXT, ID_User TEXT, "
                    "CreatedAt TEXT, Status TEXT, Headline TEXT, Body TEXT)")
        full = pl.read_csv(POSTS, infer_schema_length=0)
        con.executemany("INSERT INTO Posts VALUES (?,?,?,?,?,?,?,?)",
                        [(int(r["ID_Post"]), int(r["ID_Parent_Post"]) if r["ID_Parent_Post"] else None, r["ID_Article"],
                          r["ID_User"], r["CreatedAt"], r["Status"], r["Headline"], r["Body"])
                         for r in full.iter_rows(named=True)])
    db_posts = read_posts(db, ["a1"])
    assert db_posts.columns == list(OMP_COLUMNS)
    assert db_posts.sort("ID_Post").get_column("ID_Post").to_list() == csv_posts.sort("ID_Post").get_column("ID_Post").to_list()
    assert db_posts.filter(pl.col("ID_Post") == "4").get_column("ID_Parent_Post").item() == "3"
    kept = chains(csv_posts, ["10"]).get_column("ID_Post").to_list()
    assert sorted(kept) == ["1", "10", "9"]


def test_omp_gold_reads_deleted_replies_and_refuses_a_wrong_corpus(omp_gold: Any, tmp_path: Path) -> None:
    assert len(omp_gold) == 27
    ids = [item.comment_id for item in omp_gold.inputs]
    assert "5" in ids  # Status "deleted" with text: still a reply for stance
    assert sorted(set(omp_gold.groups["article"])) == ["a1", "a2", "a3"]
    other = tmp_path / "other.csv"
    pl.read_csv(POSTS, infer_schema_length=0).filter(pl.col("ID_Post") != "14").write_csv(other)
    with pytest.raises(UsageError, match="not in"):
        load_omp_gold(other, [LABELS])


def test_linear_export_reproduces_the_sklearn_pipeline() -> None:
    gold = load_gold([DATA / "gold_small.csv"])
    labels = [str(v) for v in gold.labels["parent"]]
    pipeline = trained.fit(gold.samples, labels, cue_weight=0.5)
    linear = trained.LinearStance.from_pipeline(pipeline)
    expected = pipeline.predict_proba(gold.samples)
    got = linear.predict_proba(gold.samples)
    assert list(linear.classes_) == [str(c) for c in pipeline.classes_]
    assert np.allclose(got, expected, atol=1e-4)
    # Temperature > 1 flattens, < 1 sharpens, the argmax never changes.
    flat, sharp = linear.predict_proba(gold.samples, 3.0), linear.predict_proba(gold.samples, 0.5)
    assert (flat.max(axis=1) <= got.max(axis=1) + 1e-9).all() and (sharp.max(axis=1) >= got.max(axis=1) - 1e-9).all()
    assert (flat.argmax(axis=1) == got.argmax(axis=1)).all()


def test_temperature_and_reliability_by_hand() -> None:
    # Over-confident logits that are right only half the time: the fitted temperature is > 1.
    logits = np.array([[4.0, 0.0]] * 10)
    labels = ["a"] * 5 + ["b"] * 5
    assert trained.fit_temperature(logits, labels, ["a", "b"]) > 3.0
    table = trained.reliability([0.95, 0.95, 0.45, 0.65], [True, False, True, True])
    rows = {r["bin"]: r for r in table}
    assert rows["0.9-1.0"] == {"bin": "0.9-1.0", "n": 2, "mean_confidence": 0.95, "accuracy": 0.5}
    assert rows["0.4-0.5"]["n"] == 1 and rows["0.5-0.6"]["n"] == 0 and rows["0.5-0.6"]["accuracy"] is None
    assert trained.expected_calibration_error(table) == pytest.approx((2 * 0.45 + 0.55 + 0.35) / 4)


def test_cross_validated_logits_never_train_on_the_scored_article(omp_gold: Any) -> None:
    labels = [str(v) for v in omp_gold.labels["parent"]]
    groups = omp_gold.groups["article"]
    classes, logits, folds = cross_validated_logits(omp_gold.samples, labels, groups, cue_weight=german.CUE_WEIGHT)
    assert classes == ["comment", "deny", "query", "support"] and logits.shape == (27, 4)
    assert [f["group"] for f in folds] == ["a1", "a2", "a3"] and sum(f["n"] for f in folds) == 27
    report = calibration_report(classes, logits, labels, groups)
    assert 0.25 <= report["temperature"] <= 5.0
    assert sum(r["n"] for r in report["reliability"]) == 27


def test_german_train_writes_json_with_card_and_comparison(tiny_model: tuple[trained.StanceModel, Path]) -> None:
    model, path = tiny_model
    payload = json.loads(path.read_text(encoding="utf-8"))  # plain JSON: nothing to unpickle
    assert payload["format"] == trained.MODEL_FORMAT and set(payload["pipelines"]) == {"parent"}
    card = json.loads(trained.card_path(path).read_text(encoding="utf-8"))
    assert card["name"] == german.MODEL_NAME and card["language"] == "de" and "NC-SA" in card["licence"]
    info = card["targets"]["parent"]
    assert info["n"] == 27 and "reliability" in info["cv"] and "confusion" in info["cv"]
    assert "macro_f1" in card["cue_model_cv"]
    assert any(name.startswith("de:") for name in info["named_features"])
    again = trained.load(path)
    labels, probs = again.predict("parent", [{"text": "Das stimmt so nicht.", "features": {"de:negated_agreement": 1.0}}])
    assert labels[0] in {"support", "deny", "query", "comment"} and abs(sum(probs[0].values()) - 1) < 1e-3


def _with_card(path: Path, tmp: Path, cv: float, cue: float) -> Path:
    payload = json.loads(path.read_text(encoding="utf-8"))
    payload["card"]["targets"]["parent"]["cv"]["macro_f1"] = cv
    payload["card"]["cue_model_cv"]["macro_f1"] = cue
    out = tmp / f"model_{cv}_{cue}.json"
    out.write_text(json.dumps(payload), encoding="utf-8")
    return out


def _stance(settings: dict[str, Any]) -> Any:
    analysis = analyse([DATA / "texts_only.csv"], stages="quotes", stage_settings={"nlp": "offline"})
    return run_stage(StageContext(forest=analysis.forest, ingested=analysis.ingested, settings=settings,
                                  frames=dict(analysis.stage_frames)))


def test_stage_uses_the_german_model_for_german_only(tiny_model: tuple[trained.StanceModel, Path], tmp_path: Path) -> None:
    better = _with_card(tiny_model[1], tmp_path, 0.6, 0.3)
    result = _stance({"stance_model_de": str(better)})
    frame = result.frames["stance.parquet"]
    evidence = {r["comment_id"]: json.loads(r["evidence"]) for r in frame.iter_rows(named=True)}
    langs = {c: e["lang"] for c, e in evidence.items()}
    top = {c for c, e in evidence.items() if e["article"]["source"] == "top-level"}
    models = dict(zip(frame.get_column("comment_id").to_list(), frame.get_column("model").to_list(), strict=True))
    german_replies = [c for c, lang in langs.items() if lang == "de" and c not in top]
    assert german_replies and {models[c] for c in german_replies} == {german.MODEL_NAME}
    # Top-level comments (stance toward the article) and other languages keep the cue model.
    assert top and all(models[c].startswith("cues-") for c in top)
    assert all(m.startswith("cues-") for c, m in models.items() if langs[c] != "de")
    assert "leave-one-article-out" in result.manifest["model_note"]
    assert not [i for i in result.issues if i.code == "stance-model-absent"]
    evidence = json.loads(frame.filter(pl.col("model") == german.MODEL_NAME).get_column("evidence")[0])
    assert "model_proba" in evidence and "cue_labels" in evidence


def test_stage_says_when_the_german_model_is_absent_or_not_better(tiny_model: tuple[trained.StanceModel, Path],
                                                                  tmp_path: Path) -> None:
    result = _stance({"stance_model_de": str(tmp_path / "missing.json")})
    assert set(result.frames["stance.parquet"].get_column("model").str.slice(0, 5)) == {"cues-"}
    issues = [i for i in result.issues if i.code == "stance-model-absent"]
    assert len(issues) == 1 and "analyzer stance train --omp" in issues[0].detail
    assert "absent" in result.manifest["model_note"]
    worse = _with_card(tiny_model[1], tmp_path, 0.2, 0.3)
    result = _stance({"stance_model_de": str(worse)})
    assert "did not beat" in result.manifest["model_note"]
    assert set(result.frames["stance.parquet"].get_column("model").str.slice(0, 5)) == {"cues-"}
    forced = _stance({"stance_model": "cues"})
    assert forced.manifest["model"] == "cues" and not [i for i in forced.issues if i.code == "stance-model-absent"]


def test_reply_feature_spans_reach_the_evidence() -> None:
    frame = _stance({"stance_model": "cues"}).frames["stance.parquet"]
    rows = [json.loads(e) for e in frame.get_column("evidence").to_list()]
    spans = [h for e in rows for h in e.get("reply_features", [])]
    assert spans and all({"family", "start", "end", "text"} <= set(h) for h in spans)


def test_cli_german_preset_train_and_eval(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from analyzer.stages.stance import cli

    def run(argv: list[str]) -> int:
        parser = argparse.ArgumentParser()
        cli.add_parser(parser.add_subparsers(dest="command"))
        return cli.handle(parser.parse_args(argv))

    out = tmp_path / "de.json"
    assert run(["stance", "train", "--omp", str(POSTS), "--labels", str(LABELS), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "parent: 27 replies" in printed and "leave-one-article-out macro-F1" in printed
    assert "default for German comments:" in printed and out.is_file()
    scores = tmp_path / "scores.json"
    assert run(["stance", "eval", "--omp", str(POSTS), "--labels", str(LABELS), "--json", str(scores)]) == 0
    printed = capsys.readouterr().out
    assert "| confidence | n | mean confidence | accuracy |" in printed and "| gold \\ predicted |" in printed
    result = json.loads(scores.read_text(encoding="utf-8"))
    lr = next(r for name, r in result["results"].items() if name.startswith("logistic regression"))
    assert sum(sum(row.values()) for row in lr["confusion"].values()) == 27
    with pytest.raises(UsageError, match="GOLD inputs"):
        run(["stance", "eval"])
