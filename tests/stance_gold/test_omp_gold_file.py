"""The two-pass OMP stance gold (fixtures/de_stance_gold_omp/labels.csv and labels_round2.csv): shape,
adjudication, no text, no item labelled twice across the rounds.

The texts behind the ids are One Million Posts (CC BY-NC-SA 4.0) and are read at run time only;
the check against the corpus runs when ../shared is present.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import ROOT, SHARED

GOLD = ROOT / "fixtures" / "de_stance_gold_omp"
# (labels file, adjudication record, items, articles) of each labelling round.
ROUNDS = {
    "round1": (GOLD / "labels.csv", GOLD / "adjudication.csv", 1100, 43),
    "round2": (GOLD / "labels_round2.csv", GOLD / "adjudication_round2.csv", 600, 19),
}
COLUMNS = ["source", "article_id", "comment_id", "parent_id", "label_a", "label_b", "confidence_a", "confidence_b",
           "stance_parent", "adjudicated"]
STANCES = {"support", "deny", "query", "comment"}
OMP_CSV = SHARED / "data" / "omp_derstandard" / "omp_posts_dev.csv"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS  # ids and labels only: no text column
        return list(reader)


@pytest.fixture(scope="module", params=sorted(ROUNDS))
def round_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def rows(round_name: str) -> list[dict[str, str]]:
    return _read(ROUNDS[round_name][0])


def test_size_and_spread(rows: list[dict[str, str]], round_name: str) -> None:
    _, _, n_items, n_articles = ROUNDS[round_name]
    assert len(rows) == n_items
    assert len({r["comment_id"] for r in rows}) == n_items
    assert len({r["article_id"] for r in rows}) == n_articles
    assert max(Counter(r["article_id"] for r in rows).values()) <= 100  # no article dominates
    assert all(r["source"] == "omp" for r in rows)


def test_two_passes_and_adjudication_are_consistent(rows: list[dict[str, str]], round_name: str) -> None:
    for r in rows:
        assert {r["label_a"], r["label_b"], r["stance_parent"]} <= STANCES, r["comment_id"]
        assert r["confidence_a"] in ("high", "low") and r["confidence_b"] in ("high", "low")
        if r["label_a"] == r["label_b"]:
            assert r["adjudicated"] == "no" and r["stance_parent"] == r["label_a"]
        else:
            assert r["adjudicated"] == "yes"
    with ROUNDS[round_name][1].open(encoding="utf-8", newline="") as handle:
        decided = {d["comment_id"]: d["stance_parent"] for d in csv.DictReader(handle)}
    adjudicated = {r["comment_id"]: r["stance_parent"] for r in rows if r["adjudicated"] == "yes"}
    assert adjudicated == decided
    # Every class is represented in the final labels (macro-F1 needs all four).
    assert set(Counter(r["stance_parent"] for r in rows)) == STANCES


def test_no_overlap_with_the_earlier_single_annotator_set(rows: list[dict[str, str]]) -> None:
    with (ROOT / "fixtures" / "de_stance_gold" / "labels.csv").open(encoding="utf-8", newline="") as handle:
        earlier = {r["comment_id"] for r in csv.DictReader(handle) if r["source"] == "omp"}
    assert not earlier & {r["comment_id"] for r in rows}


def test_the_rounds_label_different_replies() -> None:
    first, second = (_read(ROUNDS[name][0]) for name in ("round1", "round2"))
    assert not {r["comment_id"] for r in first} & {r["comment_id"] for r in second}


@pytest.mark.shared_data
def test_every_key_is_a_reply_of_the_omp_dev_corpus(rows: list[dict[str, str]]) -> None:
    if not OMP_CSV.is_file():
        pytest.skip(f"{OMP_CSV} is absent (One Million Posts is not part of the project)")
    posts = pl.read_csv(OMP_CSV, infer_schema_length=0).select("ID_Post", "ID_Parent_Post", "ID_Article")
    found = {p: (parent, article) for p, parent, article in posts.iter_rows()}
    for r in rows:
        assert r["comment_id"] in found, r["comment_id"]
        parent, article = found[r["comment_id"]]
        assert parent == r["parent_id"] and article == r["article_id"], r["comment_id"]
