"""Reader votes: read where the source has them, carried into comments.parquet, shown.

One Million Posts CSV (PositiveVotes, NegativeVotes), thread JSONL (OMP's pos_votes/neg_votes,
DAST's upvotes), Reddit's score; typed, nullable (null: the source has no votes), and bad
values kept as unknown with a parse issue.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.ingest import read, tables
from analyzer.ingest.base import ReadOptions, Source


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_table_with_positive_and_negative_votes(tmp_path: Path) -> None:
    path = _csv(tmp_path / "posts.csv", [
        {"ID_Post": "1", "ID_Parent_Post": "", "ID_Article": "a", "Body": "first", "PositiveVotes": "12",
         "NegativeVotes": "3"},
        {"ID_Post": "2", "ID_Parent_Post": "1", "ID_Article": "a", "Body": "reply", "PositiveVotes": "0",
         "NegativeVotes": ""},
        {"ID_Post": "3", "ID_Parent_Post": "1", "ID_Article": "a", "Body": "odd", "PositiveVotes": "many",
         "NegativeVotes": "1.5"},
    ])
    out = tables.read(Source(path), ReadOptions())
    assert out.comments is not None
    got = {c: (u, d) for c, u, d in out.comments.select("comment_id", "votes_up", "votes_down").iter_rows()}
    assert got == {"1": (12, 3), "2": (0, None), "3": (None, None)}
    assert out.comments.schema["votes_up"] == pl.Int64 and out.comments.schema["votes_down"] == pl.Int64
    bad = [i for i in out.issues if i.code == "bad-votes"]
    assert len(bad) == 2 and all("kept as unknown" in i.detail for i in bad)
    assert {i.line for i in bad} == {4}  # the physical line of the third row


def test_a_table_without_votes_gives_nulls(tmp_path: Path) -> None:
    path = _csv(tmp_path / "posts.csv", [{"id": "1", "parent": "", "post": "a", "body": "x"}])
    out = tables.read(Source(path), ReadOptions())
    assert out.comments is not None and out.comments["votes_up"].to_list() == [None]
    assert not [i for i in out.issues if i.code == "bad-votes"]


def test_thread_jsonl_votes(tmp_path: Path) -> None:
    omp = {"article_id": "a1", "roots": [{"id": 1, "parent": None, "user": "u", "body": "b", "pos_votes": 4,
                                          "neg_votes": 2, "children": [{"id": 2, "parent": 1, "body": "c",
                                                                        "pos_votes": "5", "neg_votes": None}]}]}
    dast = {"submission_id": "s1", "title": "t", "nodes": [{"id": "x", "parent": None, "text": "y", "upvotes": -3},
                                                          {"id": "z", "parent": "x", "text": "w", "upvotes": True}]}
    path = tmp_path / "threads.jsonl"
    path.write_text(json.dumps(omp) + "\n" + json.dumps(dast) + "\n", encoding="utf-8")
    frames = read([path])
    got = {c: (u, d) for c, u, d in frames.comments.select("comment_id", "votes_up", "votes_down").iter_rows()}
    assert got == {"1": (4, 2), "2": (5, None), "x": (-3, None), "z": (None, None)}  # a boolean is no count


def test_comments_parquet_carries_votes_and_the_table_sorts_by_them(tmp_path: Path) -> None:
    from analyzer.pipeline import analyse
    from analyzer.views import RunView
    from analyzer.views import comments as cv

    path = _csv(tmp_path / "posts.csv", [
        {"ID_Post": "1", "ID_Parent_Post": "", "ID_Article": "a", "Body": "Das stimmt.", "PositiveVotes": "2",
         "NegativeVotes": "0"},
        {"ID_Post": "2", "ID_Parent_Post": "1", "ID_Article": "a", "Body": "Nein.", "PositiveVotes": "30",
         "NegativeVotes": "-1"},
        {"ID_Post": "3", "ID_Parent_Post": "", "ID_Article": "a", "Body": "Hm.", "PositiveVotes": "",
         "NegativeVotes": ""},
    ])
    run = tmp_path / "run"
    analyse([str(path)], out=run, stages="structure")
    comments = pl.read_parquet(run / "comments.parquet")
    assert schemas.check(comments, schemas.COMMENTS, "comments").schema["votes_up"] == pl.Int64
    view = RunView(run)
    table = cv.comment_table(view.comments("a"))
    ordered = cv.filter_comments(table, cv.CommentFilter(sort="votes_up", descending=True))
    assert ordered["comment_id"].to_list() == ["2", "1", "3"]  # unknown votes last
    assert "votes_up" in cv.csv_safe(table).splitlines()[0]
    assert ",-1," in cv.csv_safe(table)  # a number, never prefixed like a formula


@pytest.mark.shared_data
def test_real_omp_votes_reach_the_run(shared_dir: Path, tmp_path: Path) -> None:
    """The real One Million Posts CSV: every post's votes as the file states them (csv module)."""
    path = shared_dir / "data" / "omp_derstandard" / "omp_posts_dev.csv"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = tables.read(Source(path), ReadOptions(mapping={"text": "Headline+Body"}))
    assert out.comments is not None
    expected = {r["ID_Post"]: (int(r["PositiveVotes"]), int(r["NegativeVotes"])) for r in rows}
    got = {c: (u, d) for c, u, d in out.comments.select("comment_id", "votes_up", "votes_down").iter_rows()}
    assert got == expected
    assert sum(u for u, _ in got.values()) > 0 and sum(d for _, d in got.values()) > 0


@pytest.mark.shared_data
def test_real_reddit_scores_reach_the_comments(shared_dir: Path) -> None:
    """A recorded (older) Reddit API thread: each comment's ``ups`` and ``downs``, found by a plain
    JSON walk (this capture predates ``score``)."""
    from analyzer.ingest import reddit

    path = shared_dir / "data" / "thread_formats" / "reddit_api_thread_r-pics_vtvuk.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    raw = json.loads(path.read_text(encoding="utf-8"))
    expected: dict[str, tuple[int, int]] = {}
    stack = list(raw[1]["data"]["children"])
    while stack:
        thing = stack.pop()
        if thing["kind"] != "t1":
            continue
        expected[thing["data"]["id"]] = (thing["data"]["ups"], thing["data"]["downs"])
        if thing["data"]["replies"]:
            stack.extend(thing["data"]["replies"]["data"]["children"])
    (thread,) = reddit.read(Source(path), ReadOptions()).threads
    got = {c.comment_id: (c.votes_up, c.votes_down) for c in thread.comments if c.kind == "comment"}
    assert got == expected and len(got) == 200
    assert any(down for _, down in got.values())


def test_todays_reddit_score_has_no_down_votes() -> None:
    """Today's API: ``score`` counts, ``downs`` is always 0 (hidden), so no down-votes are claimed."""
    from analyzer.ingest.reddit import _votes

    assert _votes({"score": -4, "ups": -4, "downs": 0, "likes": None}) == (-4, None)
    assert _votes({"ups": 7, "downs": 2}) == (7, 2)
    assert _votes({"likes": True}) == (None, None)
