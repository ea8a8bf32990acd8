"""The German stance gold file (fixtures/de_stance_gold/labels.csv): shape, keys, and no copied text.

The texts behind the keys are read at run time: the sample page always (it is ours), the reference
page and One Million Posts only when ../shared is present (skipped with a reason otherwise).
"""

from __future__ import annotations

import csv
import re
import socket
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from analyzer.ingest.base import ReadOptions
from analyzer.pipeline import analyse
from tests.conftest import ROOT, SHARED

GOLD_DIR = ROOT / "fixtures" / "de_stance_gold"
LABELS = GOLD_DIR / "labels.csv"
SAMPLE = ROOT / "fixtures" / "de_sample_page" / "input.txt"
REFERENCE = SHARED / "seeds" / "000_4a71c00d018d265b.txt"
OMP_CSV = SHARED / "data" / "omp_derstandard" / "omp_posts_dev.csv"
OMP_MAPPING = {
    "comment_id": "ID_Post",
    "parent_id": "ID_Parent_Post",
    "article_id": "ID_Article",
    "author": "ID_User",
    "created_at": "CreatedAt",
    "text": "Headline+Body",
    "deleted": "Status",
}

COLUMNS = [
    "source",
    "article_id",
    "comment_id",
    "stance_parent",
    "stance_article",
    "confidence",
    "note",
]
STANCES = {"support", "deny", "query", "comment"}
SOURCES = {"reference", "sample", "omp"}
FIXED_ARTICLE = {"reference": "000_4a71c00d018d265b", "sample": "de_sample_page"}
MAX_NOTE = 120
SHINGLE = 6  # a run of this many words shared with the comment counts as copied text


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test here that tries to open a connection."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def read_rows() -> list[dict[str, str]]:
    with LABELS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows()


def comments_of(path: Path, options: ReadOptions | None = None) -> pl.DataFrame:
    """The analyzer's comment frame for one source, as the stance stage will see it."""
    kwargs: dict[str, Any] = {"stages": "structure"}
    if options is not None:
        kwargs["options"] = options
    return analyse([path], **kwargs).forest.comments


@pytest.fixture(scope="module")
def sample_comments() -> pl.DataFrame:
    return comments_of(SAMPLE)


@pytest.fixture(scope="module")
def reference_comments() -> pl.DataFrame:
    if not REFERENCE.is_file():
        pytest.skip(f"reference page {REFERENCE} is absent (outside the project's workspace)")
    return comments_of(REFERENCE)


@pytest.fixture(scope="module")
def omp_comments() -> pl.DataFrame:
    if not OMP_CSV.is_file():
        pytest.skip(f"One Million Posts file {OMP_CSV} is absent (outside the project's workspace)")
    return comments_of(OMP_CSV, ReadOptions(mapping=OMP_MAPPING))


def of_source(rows: list[dict[str, str]], source: str) -> list[dict[str, str]]:
    return [row for row in rows if row["source"] == source]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def shingles(tokens: list[str], n: int = SHINGLE) -> Iterator[tuple[str, ...]]:
    return (tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


# --- the file alone ---------------------------------------------------------------------------


def test_columns_in_order() -> None:
    with LABELS.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == COLUMNS


def test_values_allowed(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert row["source"] in SOURCES, row
        assert row["stance_parent"] in STANCES, row
        assert row["stance_article"] in STANCES | {""}, row
        assert row["confidence"] in {"high", "low"}, row
        assert row["comment_id"] and row["article_id"], row
        if row["source"] in FIXED_ARTICLE:
            assert row["article_id"] == FIXED_ARTICLE[row["source"]], row
        else:
            assert row["article_id"].isdigit() and row["comment_id"].isdigit(), row


def test_keys_unique(rows: list[dict[str, str]]) -> None:
    keys = Counter((row["source"], row["article_id"], row["comment_id"]) for row in rows)
    assert [key for key, count in keys.items() if count > 1] == []


def test_counts(rows: list[dict[str, str]]) -> None:
    per_source = Counter(row["source"] for row in rows)
    assert per_source["reference"] == 6
    assert per_source["sample"] == 26
    assert per_source["omp"] >= 150
    omp_articles = {row["article_id"] for row in of_source(rows, "omp")}
    assert len(omp_articles) >= 5
    # Every class must be present, or per-class F1 is undefined.
    assert {row["stance_parent"] for row in rows} == STANCES


def test_notes_short_and_present_when_unsure(rows: list[dict[str, str]]) -> None:
    for row in rows:
        assert len(row["note"]) <= MAX_NOTE, row
        # A quotation in a note would copy text we may not redistribute.
        assert not re.search(r"[\"„“”»«]", row["note"]), row
        if row["confidence"] == "low":
            assert row["note"].strip(), f"low-confidence row without a reason: {row}"


def test_top_level_fields_agree(rows: list[dict[str, str]]) -> None:
    """A top-level comment's parent is the article, so both fields carry the same label."""
    for row in rows:
        if row["stance_article"]:
            assert row["stance_parent"] == row["stance_article"], row


def test_readme_counts_match_file(rows: list[dict[str, str]]) -> None:
    readme = (GOLD_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("`stance_parent` (all", 1)[1].split("`stance_article`", 1)[0]
    table: dict[str, list[int]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] in STANCES | {"total"}:
            table[cells[0]] = [int(cell) for cell in cells[1:]]
    for label in STANCES:
        expected = [
            sum(1 for row in of_source(rows, source) if row["stance_parent"] == label)
            for source in ("reference", "sample", "omp")
        ]
        assert table[label] == [*expected, sum(expected)], label
    assert table["total"][-1] == len(rows)


def test_guideline_covers_the_hard_cases() -> None:
    text = (GOLD_DIR / "GUIDELINE.md").read_text(encoding="utf-8").lower()
    for topic in (
        "rhetorical",
        "sarcasm",
        "quote-then-contrast",
        "partial agreement",
        "off-topic",
        "jokes",
        "link",
        "third commenter",
        "ghost",
    ):
        assert topic in text, topic


# --- the file against its sources -------------------------------------------------------------


def check_against(rows: list[dict[str, str]], comments: pl.DataFrame, *, complete: bool) -> None:
    """Keys exist and are visible comments; stance_article exactly on top-level; no copied text.

    Args:
        rows: gold rows of one source.
        comments: the analyzer's comment frame of that source.
        complete: the gold must label every visible comment of the source.
    """
    visible = comments.filter(
        (pl.col("kind") == "comment") & (pl.col("text").str.strip_chars().str.len_chars() > 0)
    )
    by_key = {(r["article_id"], r["comment_id"]): r for r in visible.iter_rows(named=True)}
    for row in rows:
        key = (row["article_id"], row["comment_id"])
        assert key in by_key, f"no visible comment {key} in the source"
        comment = by_key[key]
        is_top = comment["depth"] == 1
        assert bool(row["stance_article"]) == is_top, (key, comment["depth"])
        note_shingles = set(shingles(words(row["note"])))
        copied = note_shingles & set(shingles(words(comment["text"])))
        assert not copied, f"note of {key} repeats the comment: {copied}"
    if complete:
        assert {(r["article_id"], r["comment_id"]) for r in rows} == set(by_key)


def test_sample_keys(rows: list[dict[str, str]], sample_comments: pl.DataFrame) -> None:
    check_against(of_source(rows, "sample"), sample_comments, complete=True)


@pytest.mark.shared_data
def test_reference_keys(rows: list[dict[str, str]], reference_comments: pl.DataFrame) -> None:
    check_against(of_source(rows, "reference"), reference_comments, complete=True)


@pytest.mark.shared_data
def test_omp_keys(rows: list[dict[str, str]], omp_comments: pl.DataFrame) -> None:
    check_against(of_source(rows, "omp"), omp_comments, complete=False)


@pytest.mark.shared_data
def test_omp_subtrees_whole(rows: list[dict[str, str]], omp_comments: pl.DataFrame) -> None:
    """Parents are labelled in context: whole subtrees, with real replies below depth 2."""
    gold = of_source(rows, "omp")
    labelled = {(row["article_id"], row["comment_id"]) for row in gold}
    info = {
        (r["article_id"], r["comment_id"]): r
        for r in omp_comments.select("article_id", "comment_id", "parent_id", "depth").iter_rows(
            named=True
        )
    }
    children: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for key, r in info.items():
        if r["parent_id"] is not None:
            children.setdefault((key[0], r["parent_id"]), []).append(key)
    for key in labelled:
        parent = info[key]["parent_id"]
        if parent is not None:
            assert (key[0], parent) in labelled, f"{key}: parent {parent} is not labelled"
        for child in children.get(key, []):
            assert child in labelled, f"{key}: reply {child} is not labelled"
    assert max(info[key]["depth"] for key in labelled) >= 3
    assert sum(1 for key in labelled if info[key]["depth"] >= 2) >= 100


def test_copy_check_catches_copied_text(sample_comments: pl.DataFrame) -> None:
    """The copy check itself must fail on a note that repeats six words of the comment."""
    first = sample_comments.filter(pl.col("comment_id") == "c1").row(0, named=True)
    copied_note = " ".join(words(first["text"])[:SHINGLE])
    row = {
        "source": "sample",
        "article_id": "de_sample_page",
        "comment_id": "c1",
        "stance_parent": "support",
        "stance_article": "support",
        "confidence": "high",
        "note": copied_note,
    }
    with pytest.raises(AssertionError, match="repeats the comment"):
        check_against([row], sample_comments, complete=False)
