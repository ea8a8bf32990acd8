"""Formats added for issue 12: HN Firebase items, one-thread-per-line JSONL, and folder runs
that skip documentation files instead of reading them as empty articles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analyzer.core.errors import FormatError
from analyzer.ingest import read, sniff

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- Hacker News Firebase items -----------------------------------------------------------------


def story(kids: list[int], descendants: int) -> dict[str, Any]:
    return {"by": "op", "descendants": descendants, "id": 1, "kids": kids, "time": 1_600_000_000,
            "title": "Ask HN: a question", "type": "story"}


def comment(cid: int, parent: int, kids: list[int] | None = None, **extra: Any) -> dict[str, Any]:
    return {"by": f"u{cid}", "id": cid, "kids": kids or [], "parent": parent, "text": f"text {cid}",
            "time": 1_600_000_000 + cid, "type": "comment", **extra}


def test_firebase_list_follows_kids_order(tmp_path: Path) -> None:
    items = [story([3, 2], 3), comment(2, 1), comment(3, 1, [4]), comment(4, 3)]
    path = _write(tmp_path / "thread.json", items)
    assert sniff.sniff(path) == "hn"
    ingested = read([path])
    rows = ingested.comments.select("comment_id", "parent_id").rows()
    assert rows == [("3", None), ("4", "3"), ("2", None)]
    assert ingested.articles.row(0, named=True)["n_announced"] == 3
    assert ingested.n_comments_in == 3


def test_firebase_single_comment_without_its_story(tmp_path: Path) -> None:
    path = _write(tmp_path / "99.json", comment(99, 42))
    ingested = read([path])
    assert ingested.comments.select("article_id", "comment_id", "parent_id").rows() == [("hn-42", "99", None)]
    assert [i.code for i in ingested.issues] == ["partial-thread"]


def test_firebase_folder_is_one_thread() -> None:
    ingested = read([FIXTURES / "en_hn_firebase" / "items"])
    assert set(ingested.comments["article_id"].to_list()) == {"7000"}
    assert dict(ingested.comments.select("comment_id", "kind").rows())["7004"] == "deleted"
    assert any(i.code == "side-file-skipped" and i.path and i.path.endswith("README.txt") for i in ingested.issues)


def test_wordpress_rest_comments_are_not_taken_for_firebase() -> None:
    path = FIXTURES / "en_wp_json" / "input.json"
    assert sniff.sniff(path) == "wp_json"


# --- One thread per line --------------------------------------------------------------------------


def test_threads_jsonl_shapes() -> None:
    path = FIXTURES / "en_threads_jsonl" / "input.jsonl"
    assert sniff.sniff(path) == "threads"
    ingested = read([path])
    assert ingested.articles["article_id"].to_list() == ["880001", "t3x9", "51"]
    parents = dict(ingested.comments.select("comment_id", "parent_id").rows())
    assert parents["880002"] is None  # reply to the source post = top level
    assert parents["880005"] == "880004"  # under a missing placeholder, kept
    assert parents["907"] == "905"
    assert [i.code for i in ingested.issues if i.code == "unparsed-date"] == ["unparsed-date"]


def test_row_jsonl_is_still_a_table(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text('{"id": "1", "parent": null, "post": "a", "body": "x"}\n', encoding="utf-8")
    assert sniff.sniff(path) == "table"


def test_bad_thread_line_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text('{"thread_id": "1", "nodes": []}\n{not json\n', encoding="utf-8")
    with pytest.raises(FormatError) as info:
        read([path])
    assert info.value.line == 2


def _independent_count(path: Path) -> tuple[int, int]:
    """Threads and nodes by a plain walk (the first node of RumourEval lines is the article)."""
    threads = nodes = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            threads += 1
            if "nodes" in record:
                nodes += len(record["nodes"]) - (1 if "thread_id" in record else 0)
            stack = list(record.get("roots", []))
            while stack:
                node = stack.pop()
                nodes += 1
                stack.extend(node.get("children", []))
    return threads, nodes


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "relative",
    [
        "rumoureval2017/rumoureval2017_traindev.jsonl",
        "dast_danish_reddit/dast_threads_dev.jsonl",
        "omp_derstandard/omp_threads_dev.jsonl",
    ],
)
def test_stance_corpora_thread_files_are_read(shared_dir: Path, relative: str) -> None:
    path = shared_dir / "data" / relative
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    ingested = read([path])
    threads, nodes = _independent_count(path)
    assert ingested.inputs[0].format == "threads"
    assert ingested.articles.height == threads
    assert ingested.comments.height == ingested.n_comments_in == nodes
    undated = ingested.comments.filter(
        ingested.comments["created_at"].is_null() & (ingested.comments["kind"] == "comment")
    ).height
    assert undated == sum(1 for i in ingested.issues if i.code == "unparsed-date")


# --- Folder runs ------------------------------------------------------------------------------------


def test_folder_run_skips_documentation_files(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "page.txt").write_text("Titel\n\nText des Artikels.\n", encoding="utf-8")
    for name in ("README.txt", "LICENSE", "NOTES", "CHANGELOG.txt", "LICENSE-MIT.txt"):
        (folder / name).write_text("not an article\n", encoding="utf-8")
    ingested = read([folder])
    assert [Path(i.path).name for i in ingested.inputs] == ["page.txt"]
    skipped = sorted(Path(i.path or "").name for i in ingested.issues if i.code == "side-file-skipped")
    assert skipped == ["CHANGELOG.txt", "LICENSE", "LICENSE-MIT.txt", "NOTES", "README.txt"]
    # Named explicitly, a file is read whatever its name.
    assert len(read([folder / "NOTES"]).inputs) == 1


# --- Tables: dates no strptime format reads -------------------------------------------------------


def test_table_dates_in_twitter_and_textual_forms(tmp_path: Path) -> None:
    path = tmp_path / "tweets.csv"
    path.write_text(
        "id,parent,post,created_at,text\n"
        "1,,a,Wed Jan 07 11:14:38 +0000 2015,x\n"
        '2,1,a,"19. Juni 2019 / 6:16",y\n'
        "3,1,a,kein Datum,z\n",
        encoding="utf-8",
    )
    ingested = read([path])
    stamps = ingested.comments["created_at"].to_list()
    assert [s.isoformat() if s else None for s in stamps] == [
        "2015-01-07T11:14:38+00:00", "2019-06-19T06:16:00+00:00", None,
    ]
    assert [i.code for i in ingested.issues] == ["unparsed-timestamp"]
