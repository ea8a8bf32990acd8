"""Hacker News reader: Algolia items, comment roots, lists, recorded API calls, deep threads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from analyzer.core.errors import FormatError
from analyzer.ingest import hn
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "en_hn" / "input.json"


def _read(path: Path) -> ReaderOutput:
    return hn.read(Source(path), ReadOptions())


def _dump(tmp_path: Path, data: Any, name: str = "item.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _item(id_: int, type_: str = "comment", children: list[Any] | None = None, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": id_, "type": type_, "author": f"user{id_}", "text": f"<p>text {id_}</p>",
        "created_at": "2020-01-01T00:00:00.000Z", "story_id": 1, "parent_id": None,
        "points": None, "children": children or [],
    }
    item.update(extra)
    return item


def test_fixture_story_and_comments() -> None:
    out = _read(FIXTURE)
    (thread,) = out.threads
    article = thread.article
    assert (article.article_id, article.title, article.url, article.site, article.author) == (
        "9100", "Show HN: A tiny tool that checks broken links in Markdown",
        "https://example.com/linkcheck", "news.ycombinator.com", "quietcoder",
    )
    assert article.published_at == datetime(2023, 5, 4, 14, 0, tzinfo=UTC)
    assert article.body is None
    rows = [(c.comment_id, c.parent_id, c.kind, c.author) for c in thread.comments]
    assert rows == [
        ("9101", None, "comment", "mkdocs_fan"),
        ("9102", "9101", "comment", "quietcoder"),
        ("9105", "9102", "deleted", None),
        ("9106", "9105", "comment", "mkdocs_fan"),
        ("9103", None, "comment", "ops_jane"),
        ("9107", "9103", "removed", "spam_account"),
    ]
    assert thread.comments[0].text == (
        "Nice. Does it follow redirects?\n\n"
        "We had trouble with a similar tool, see this issue (https://example.net/issue/17)."
    )
    assert thread.comments[4].text == "Would love a --offline mode for CI runners without network."
    assert thread.comments[2].text == "" and thread.comments[5].text == ""
    assert thread.comments[0].url == "https://news.ycombinator.com/item?id=9101"
    assert out.n_comments_in == 6
    assert out.issues == []


def test_story_text_becomes_the_body(tmp_path: Path) -> None:
    path = _dump(tmp_path, _item(5, "story", title="Ask HN: x", text="Line one<p>Line two", story_id=5))
    article = _read(path).threads[0].article
    assert article.body == "Line one\n\nLine two"
    assert article.url == "https://news.ycombinator.com/item?id=5"  # Ask HN has no url


def test_comment_root_hangs_under_its_story_as_top_level(tmp_path: Path) -> None:
    root = _item(17, parent_id=15, story_id=1, children=[_item(18, parent_id=17)])
    out = _read(_dump(tmp_path, root))
    (thread,) = out.threads
    assert thread.article.article_id == "1" and thread.article.title is None
    assert [(c.comment_id, c.parent_id) for c in thread.comments] == [("17", None), ("18", "17")]
    (issue,) = out.issues
    assert (issue.code, issue.severity, issue.comment_id) == ("partial-thread", "info", "17")
    assert out.n_comments_in == 2


def test_comment_root_replying_to_the_story_needs_no_issue(tmp_path: Path) -> None:
    out = _read(_dump(tmp_path, _item(17, parent_id=1, story_id=1)))
    assert out.issues == []


def test_list_of_items_gives_several_threads(tmp_path: Path) -> None:
    items = [_item(1, "story", [_item(2)], story_id=1), _item(10, "story", [_item(11), _item(12)], story_id=10)]
    out = _read(_dump(tmp_path, items))
    assert [t.article.article_id for t in out.threads] == ["1", "10"]
    assert [len(t.comments) for t in out.threads] == [1, 2]
    assert out.n_comments_in == 3


def test_recorded_api_calls_keep_item_replies_only(tmp_path: Path) -> None:
    calls = [
        {"url": "/api/v1/search?tags=story", "reply": {"hits": [], "nbHits": 0}},
        {"url": "/api/v1/items/3", "reply": _item(3, "story", [_item(4)], story_id=3)},
        {"url": "/api/v1/users/pg", "reply": {"username": "pg"}},
    ]
    out = _read(_dump(tmp_path, calls))
    (thread,) = out.threads
    assert thread.article.article_id == "3" and [c.comment_id for c in thread.comments] == ["4"]
    (issue,) = out.issues
    assert issue.code == "skipped-entries" and issue.detail.startswith("2 ")


def test_malformed_child_is_rejected_with_a_reason(tmp_path: Path) -> None:
    story = _item(1, "story", [_item(2), "not an item"], story_id=1)
    out = _read(_dump(tmp_path, story))
    assert [c.comment_id for c in out.threads[0].comments] == ["2"]
    assert [i.code for i in out.issues] == ["rejected-comment"]
    assert out.n_comments_in == 2  # 1 emitted + 1 rejected: accounting balances


def test_deep_thread_is_read_without_recursion(tmp_path: Path) -> None:
    depth = 3000
    head = '{"id": 1, "type": "story", "title": "deep", "story_id": 1, "points": 1, "children": ['
    opening = [head]
    for i in range(depth):
        opening.append(
            f'{{"id": {i + 2}, "type": "comment", "author": "a", "text": "t", "story_id": 1, "children": ['
        )
    text = "".join(opening) + "]}" * depth + "]}"
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    out = _read(path)
    comments = out.threads[0].comments
    assert len(comments) == depth == out.n_comments_in
    assert comments[-1].parent_id == str(depth)


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"id": 1,\n"children": [\n}', encoding="utf-8")
    with pytest.raises(FormatError) as info:
        _read(path)
    assert info.value.line == 3


@pytest.mark.parametrize("data", [{"id": 1, "title": "no children"}, [{"url": "/api/v1/users/x", "reply": {}}], 5])
def test_wrong_shape_is_a_format_error(tmp_path: Path, data: Any) -> None:
    with pytest.raises(FormatError, match="Algolia HN item"):
        _read(_dump(tmp_path, data))


def test_looks_like() -> None:
    assert hn.looks_like(FIXTURE, FIXTURE.read_text(encoding="utf-8"))
    reddit_head = (ROOT / "fixtures" / "en_reddit" / "input.json").read_text(encoding="utf-8")
    assert not hn.looks_like(FIXTURE, reddit_head)
    assert not hn.looks_like(FIXTURE, "id,parent\n1,\n")
