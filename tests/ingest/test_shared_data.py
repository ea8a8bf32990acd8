"""Readers against real, externally authored exports in ../shared/data (skipped when absent).

Every expectation is computed from the raw file by a separate, simple method (csv module,
a plain JSON walk), never by the reader under test; literal counts were checked by hand
when the tests were written.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from analyzer.ingest import hn, read, reddit, tables
from analyzer.ingest.base import ReadOptions, Source
from analyzer.tree.forest import build_forest
from tests.conftest import HANG_LIMIT_S

pytestmark = pytest.mark.shared_data

OMP_MAP = {
    "comment_id": "ID_Post", "parent_id": "ID_Parent_Post", "article_id": "ID_Article",
    "author": "ID_User", "created_at": "CreatedAt", "text": "Headline+Body", "deleted": "Status",
}


def _file(shared_dir: Path, *parts: str) -> Path:
    path = shared_dir.joinpath("data", *parts)
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    return path


# --- One Million Posts (Der Standard) CSV --------------------------------------------------


def test_omp_csv_reproduces_every_parent_and_article(shared_dir: Path) -> None:
    path = _file(shared_dir, "omp_derstandard", "omp_posts_dev.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = tables.read(Source(path), ReadOptions(mapping=OMP_MAP))
    assert out.comments is not None
    assert out.n_comments_in == len(rows) == out.comments.height
    assert out.issues == []
    expected = {r["ID_Post"]: (r["ID_Parent_Post"] or None, r["ID_Article"]) for r in rows}
    got = {cid: (parent, art) for cid, parent, art in
           out.comments.select("comment_id", "parent_id", "article_id").iter_rows()}
    assert got == expected
    n_deleted = sum(1 for r in rows if r["Status"] == "deleted")
    assert (out.comments["kind"] == "deleted").sum() == n_deleted
    # Every row's source_line is the physical line where its record starts.
    lines = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    for cid, line in out.comments.select("comment_id", "source_line").iter_rows():
        assert lines[line - 1].startswith(f"{cid},")


def test_omp_depths_match_the_recorded_threads(shared_dir: Path) -> None:
    posts = _file(shared_dir, "omp_derstandard", "omp_posts_dev.csv")
    threads = _file(shared_dir, "omp_derstandard", "omp_threads_dev.jsonl")
    ingested = read([posts], options=ReadOptions(mapping=OMP_MAP))
    forest = build_forest(ingested.comments, ingested.articles, reader_issues=ingested.issues)
    depth_of = dict(forest.comments.select("comment_id", "depth").iter_rows())
    assert int(forest.comments["is_ghost"].sum()) == 0
    n_checked = 0
    with threads.open(encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            stack: list[tuple[dict[str, Any], int]] = [(p, 1) for p in article["roots"]]
            deepest = 0
            while stack:
                post, depth = stack.pop()
                assert depth_of[str(post["id"])] == depth, (article["article_id"], post["id"])
                deepest = max(deepest, depth)
                n_checked += 1
                stack.extend((child, depth + 1) for child in post["children"])
            assert deepest == article["max_depth"]
    assert n_checked == 7057  # posts in the 959 recorded articles


# --- Reddit ---------------------------------------------------------------------------------


def _independent_reddit_walk(roots: list[Any]) -> tuple[dict[str, str | None], Counter[str], int]:
    """(id -> parent, kinds, hidden) by a plain walk; stubs take the enclosing comment as parent."""
    parents: dict[str, str | None] = {}
    kinds: Counter[str] = Counter()
    hidden = 0
    stack: list[tuple[Any, str | None]] = [(t, None) for t in roots]
    while stack:
        thing, enclosing = stack.pop()
        data = thing["data"]
        if thing["kind"] == "more":
            kinds["more"] += 1
            hidden += data.get("count", len(data["children"]))
            declared = data.get("parent_id")
            parent = enclosing if declared is None else (None if declared.startswith("t3_") else declared[3:])
            parents["more_" + data["id"]] = parent
            continue
        body = data["body"]
        kinds["deleted" if body == "[deleted]" else "removed" if body == "[removed]" else "comment"] += 1
        declared = data["parent_id"]
        parents[data["id"]] = None if declared.startswith("t3_") else declared[3:]
        if data["replies"]:
            stack.extend((r, data["id"]) for r in data["replies"]["data"]["children"])
    return parents, kinds, hidden


def test_reddit_thread_sample(shared_dir: Path) -> None:
    path = _file(shared_dir, "thread_formats", "reddit_api_thread_r-pics_vtvuk.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    parents, kinds, hidden = _independent_reddit_walk(raw[1]["data"]["children"])
    # Counted by hand when written: 200 comments, no placeholders, 77 old-style stubs
    # (no count field) listing 298 hidden ids.
    assert kinds == Counter({"comment": 200, "more": 77})
    assert hidden == 298
    out = reddit.read(Source(path), ReadOptions())
    (thread,) = out.threads
    assert out.n_comments_in == 277 and out.issues == []
    assert {c.comment_id: c.parent_id for c in thread.comments} == parents
    assert thread.article.article_id == "vtvuk" and thread.article.n_announced == 570
    assert thread.article.site == "reddit.com/r/pics"
    ingested = read([path])
    forest = build_forest(ingested.comments, ingested.articles, reader_issues=ingested.issues)
    counts = forest.articles.select("n_visible", "n_deleted", "n_more_stubs", "n_hidden").row(0)
    assert counts == (200, 0, 77, 298)


def test_reddit_morechildren_sample(shared_dir: Path) -> None:
    path = _file(shared_dir, "thread_formats", "reddit_api_morechildren_sample.json")
    things = json.loads(path.read_text(encoding="utf-8"))["json"]["data"]["things"]
    parents, kinds, hidden = _independent_reddit_walk(things)
    assert kinds == Counter({"comment": 50, "more": 11})
    assert hidden == 1021
    assert {t["data"].get("link_id") for t in things if t["kind"] == "t1"} == {"t3_hbo4a7"}
    out = reddit.read(Source(path), ReadOptions())
    (thread,) = out.threads
    assert thread.article.article_id == "hbo4a7"
    assert out.n_comments_in == 61 and out.issues == []
    assert {c.comment_id: c.parent_id for c in thread.comments} == parents
    assert sum(c.n_hidden or 0 for c in thread.comments if c.kind == "more") == 1021
    # The response is a fragment: 22 things reply to comments inside it, the rest to
    # comments elsewhere in the thread or to the submission (39 top level).
    assert sum(1 for p in parents.values() if p is None) == 39


# --- Hacker News -------------------------------------------------------------------------------


def test_hn_recorded_api_calls(shared_dir: Path) -> None:
    path = _file(shared_dir, "thread_formats", "hn_algolia_api_fixtures.json")
    calls = json.loads(path.read_text(encoding="utf-8"))
    item_calls = [c for c in calls if "/items/" in c["url"]]
    assert len(calls) == 26 and len(item_calls) == 1
    root = item_calls[0]["reply"]
    expected: dict[str, str | None] = {}
    n_deleted = 0
    stack: list[tuple[dict[str, Any], str | None]] = [(root, None)]
    while stack:
        node, parent = stack.pop()
        expected[str(node["id"])] = parent
        n_deleted += node["author"] is None and node["text"] is None
        stack.extend((child, str(node["id"])) for child in node["children"])
    assert len(expected) == 3 and n_deleted == 0
    out = hn.read(Source(path), ReadOptions())
    (thread,) = out.threads
    assert thread.article.article_id == str(root["story_id"]) == "1"
    assert {c.comment_id: c.parent_id for c in thread.comments} == expected
    assert out.n_comments_in == 3
    assert sorted(i.code for i in out.issues) == ["partial-thread", "skipped-entries"]
    ingested = read([path])
    forest = build_forest(ingested.comments, ingested.articles, reader_issues=ingested.issues)
    assert forest.comments.select("comment_id", "depth").rows() == [("17", 1), ("1079", 2), ("454426", 2)]


def test_shared_samples_are_sniffed_to_the_right_reader(shared_dir: Path) -> None:
    from analyzer.ingest.sniff import sniff

    cases = {
        ("thread_formats", "reddit_api_thread_r-pics_vtvuk.json"): "reddit",
        ("thread_formats", "reddit_api_morechildren_sample.json"): "reddit",
        ("thread_formats", "hn_algolia_api_fixtures.json"): "hn",
        ("omp_derstandard", "omp_posts_dev.csv"): "table",
    }
    for parts, expected in cases.items():
        assert sniff(_file(shared_dir, *parts)) == expected


def test_omp_loads_without_hanging(shared_dir: Path) -> None:
    """A hang guard, not a benchmark: 9k rows with multi-line fields."""
    import time

    path = _file(shared_dir, "omp_derstandard", "omp_posts_dev.csv")
    start = time.process_time()
    out = tables.read(Source(path), ReadOptions(mapping=OMP_MAP))
    assert time.process_time() - start < HANG_LIMIT_S
    assert isinstance(out.comments, pl.DataFrame)
