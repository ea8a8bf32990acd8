"""Reddit reader: thread JSON, morechildren responses, placeholders, stubs, deep threads."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from analyzer.core.errors import FormatError
from analyzer.ingest import reddit
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "en_reddit" / "input.json"


def _read(path: Path) -> ReaderOutput:
    return reddit.read(Source(path), ReadOptions())


def _dump(tmp_path: Path, data: Any, name: str = "thread.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _t1(id_: str, parent: str | None, body: str = "text", replies: list[Any] | None = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": id_, "author": "someone", "body": body, "created_utc": 1600000000.0,
                            "replies": {"kind": "Listing", "data": {"children": replies}} if replies else ""}
    if parent is not None:
        data["parent_id"] = parent
    data.update(extra)
    return {"kind": "t1", "data": data}


def _thread(children: list[Any], **submission: Any) -> list[Any]:
    sub = {"id": "s1", "title": "T", "subreddit": "test", "num_comments": 3, **submission}
    return [
        {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": sub}]}},
        {"kind": "Listing", "data": {"children": children}},
    ]


def test_fixture_tree_kinds_and_stubs() -> None:
    out = _read(FIXTURE)
    (thread,) = out.threads
    rows = [(c.comment_id, c.parent_id, c.kind, c.n_hidden, c.author) for c in thread.comments]
    assert rows == [
        ("k1", None, "comment", None, "railfan88"),
        ("k2", "k1", "comment", None, "nightowl"),
        ("k3del", "k2", "deleted", None, None),
        ("k4", "k3del", "comment", None, "railfan88"),
        ("more_k9a", "k3del", "more", 3, None),
        ("k5", None, "removed", None, None),
        ("k6", "k5", "comment", None, "modwatcher"),
        ("k7", None, "comment", None, "deep_thinker"),
        ("more__k7", "k7", "more", None, None),
        ("more_k8x", None, "more", 2, None),
    ]
    assert out.n_comments_in == 10
    assert out.issues == []
    deleted = thread.comments[2]
    assert deleted.text == ""
    assert thread.comments[0].created_at == datetime(2023, 10, 1, 8, 56, 40, tzinfo=UTC)
    assert thread.comments[0].url == (
        "https://www.reddit.com/r/localnews/comments/q1x7rt/new_tram_line_opens/k1/"
    )


def test_fixture_article_fields() -> None:
    article = _read(FIXTURE).threads[0].article
    assert article.article_id == "q1x7rt"
    assert article.title == "New tram line opens on Monday after two years of works"
    assert article.body == "The city says trams will run every 7 minutes at peak times.\n\nDiscuss."
    assert article.site == "reddit.com/r/localnews"
    assert article.n_announced == 14
    assert article.author == "civic_watch"
    assert article.published_at == datetime(2023, 10, 1, 8, 46, 40, tzinfo=UTC)


def test_old_style_stub_without_count_or_parent_uses_nesting(tmp_path: Path) -> None:
    stub = {"kind": "more", "data": {"id": "z1", "name": "t1_z1", "children": ["z1", "z2", "z3", "z4"]}}
    path = _dump(tmp_path, _thread([_t1("a", None, replies=[_t1("b", None), stub])]))
    comments = _read(path).threads[0].comments
    assert [(c.comment_id, c.parent_id, c.n_hidden) for c in comments] == [
        ("a", None, None), ("b", "a", None), ("more_z1", "a", 4),
    ]


def test_empty_selftext_is_no_body_and_deleted_submitter_is_no_author(tmp_path: Path) -> None:
    path = _dump(tmp_path, _thread([], selftext="", author="[deleted]"))
    article = _read(path).threads[0].article
    assert article.body is None and article.author is None


def test_parent_id_disagreeing_with_nesting_is_reported(tmp_path: Path) -> None:
    path = _dump(tmp_path, _thread([_t1("a", "t3_s1", replies=[_t1("b", "t1_zzz")])]))
    out = _read(path)
    assert [(c.comment_id, c.parent_id) for c in out.threads[0].comments] == [("a", None), ("b", "zzz")]
    (issue,) = out.issues
    assert issue.code == "parent-mismatch" and issue.comment_id == "b"


def test_comment_without_id_is_kept_with_its_replies(tmp_path: Path) -> None:
    orphan = _t1("", "t3_s1", replies=[_t1("c", None)])
    path = _dump(tmp_path, _thread([orphan]))
    out = _read(path)
    comments = out.threads[0].comments
    assert len(comments) == 2 and comments[1].parent_id == comments[0].comment_id
    assert [i.code for i in out.issues] == ["missing-comment-id"]
    assert out.n_comments_in == 2


def test_morechildren_response(tmp_path: Path) -> None:
    things = [
        _t1("m1", "t3_abc", link_id="t3_abc", subreddit="news"),
        _t1("m2", "t1_m1", link_id="t3_abc"),
        {"kind": "more", "data": {"id": "m9", "parent_id": "t1_m1", "count": 7, "children": ["m9"]}},
        _t1("m3", "t1_outside", link_id="t3_abc"),
    ]
    path = _dump(tmp_path, {"json": {"errors": [], "data": {"things": things}}})
    out = _read(path)
    (thread,) = out.threads
    assert thread.article.article_id == "abc"
    assert thread.article.site == "reddit.com/r/news"
    assert [(c.comment_id, c.parent_id, c.kind, c.n_hidden) for c in thread.comments] == [
        ("m1", None, "comment", None),
        ("m2", "m1", "comment", None),
        ("more_m9", "m1", "more", 7),
        ("m3", "outside", "comment", None),
    ]
    assert out.n_comments_in == 4


def test_deep_thread_is_read_without_recursion(tmp_path: Path) -> None:
    depth = 3000
    node: dict[str, Any] = _t1(f"d{depth - 1}", f"t1_d{depth - 2}")
    for i in range(depth - 2, -1, -1):
        parent = f"t1_d{i - 1}" if i else "t3_s1"
        node = _t1(f"d{i}", parent, replies=[node])
    # json.dumps itself recurses: write the nested text by hand.
    text = json.dumps(_thread(["__ROOT__"]))
    path = tmp_path / "deep.json"
    path.write_text(text.replace('"__ROOT__"', _dumps_deep(node)), encoding="utf-8")
    out = _read(path)
    comments = out.threads[0].comments
    assert len(comments) == depth == out.n_comments_in
    assert comments[-1].comment_id == f"d{depth - 1}" and comments[-1].parent_id == f"d{depth - 2}"
    assert comments[0].parent_id is None


def _dumps_deep(node: dict[str, Any]) -> str:
    """Serialise a chain of single-reply comments iteratively."""
    chain = []
    while True:
        chain.append(node)
        replies = node["data"]["replies"]
        if not replies:
            break
        node = replies["data"]["children"][0]
    opening: list[str] = []
    closing: list[str] = []
    for i, item in enumerate(chain):
        data = {k: v for k, v in item["data"].items() if k != "replies"}
        opening.append('{"kind": "t1", "data": ' + json.dumps(data)[:-1] + ', "replies": ')
        if i < len(chain) - 1:
            opening.append('{"kind": "Listing", "data": {"children": [')
            closing.append("]}}}}")
        else:
            opening.append('""}}')
    return "".join(opening) + "".join(reversed(closing))


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n{"kind": "Listing",\n "data": {]\n', encoding="utf-8")
    with pytest.raises(FormatError) as info:
        _read(path)
    assert info.value.line == 3


@pytest.mark.parametrize("data", [{"kind": "Listing"}, [1, 2], {"json": {"data": {}}}, []])
def test_wrong_shape_is_a_format_error(tmp_path: Path, data: Any) -> None:
    with pytest.raises(FormatError, match="Reddit thread"):
        _read(_dump(tmp_path, data))


def test_looks_like() -> None:
    head = FIXTURE.read_text(encoding="utf-8")
    assert reddit.looks_like(FIXTURE, head)
    assert reddit.looks_like(FIXTURE, '{"json": {"errors": [], "data": {"things": []}}}')
    assert not reddit.looks_like(FIXTURE, '{"id": 1, "children": [], "story_id": 1}')
    assert not reddit.looks_like(FIXTURE, '[{"id": 1, "post": 2}]')


def test_unicode_line_separator_inside_a_body_survives(tmp_path: Path) -> None:
    path = tmp_path / "thread.json"
    data = _thread([_t1("a", "t3_s1", body="line\u2028separated")])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (comment,) = _read(path).threads[0].comments
    assert comment.text == "line\u2028separated"
