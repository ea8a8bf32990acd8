"""WordPress REST API JSON reader: comment lists, posts, bundles, field anomalies, bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from analyzer.core.errors import FormatError
from analyzer.ingest import sniff, wp_json
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"


def read_file(path: Path) -> ReaderOutput:
    return wp_json.read(Source(path), ReadOptions())


def read_json(tmp_path: Path, data: Any, name: str = "api.json") -> ReaderOutput:
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return read_file(path)


def comment(cid: Any, parent: Any = 0, *, post: Any = 5, gmt: Any = "2024-05-01T10:00:00", **extra: Any) -> dict[str, Any]:
    return {
        "id": cid, "post": post, "parent": parent, "author_name": f"user{cid}",
        "date": "2024-05-01T12:00:00", "date_gmt": gmt,
        "content": {"rendered": f"<p>text {cid}</p>\n"}, "link": f"https://b.example/p/#comment-{cid}",
        "status": "approved", "type": "comment", **extra,
    }


def codes(output: ReaderOutput) -> list[str]:
    return [issue.code for issue in output.issues]


# --- fixtures ----------------------------------------------------------------------------


def test_bundle_fixture_orders_oldest_first_with_id_tiebreak() -> None:
    out = read_file(FIXTURES / "en_wp_json" / "input.json")
    (thread,) = out.threads
    # The file lists newest first; 5006 and 5007 share a timestamp, the lower id comes first.
    assert [(c.comment_id, c.parent_id) for c in thread.comments] == [
        ("5001", None), ("5004", "5001"), ("5006", "5004"), ("5007", None), ("5009", "5007"), ("5011", None),
    ]
    assert out.n_comments_in == 6 and out.issues == []
    first = thread.comments[0]
    assert first.created_at == datetime(2024, 10, 2, 8, 0, tzinfo=UTC)  # date_gmt, not local date
    assert first.text == "Great news! Sunday is the only day I have time to study.\n\nThank you to everyone who signed the petition."
    assert first.source_line is not None and first.source_line > thread.comments[-1].source_line  # type: ignore[operator]
    by_id = {c.comment_id: c for c in thread.comments}
    assert by_id["5009"].text.startswith("> Who is paying for this?\n\nThe extra hours")
    assert "budget (https://millbrook.example/budget-2024.pdf)" in by_id["5007"].text
    assert "children’s" in by_id["5011"].text


def test_bundle_fixture_article_from_post_object() -> None:
    article = read_file(FIXTURES / "en_wp_json" / "input.json").threads[0].article
    assert article.article_id == "1290"
    assert article.title == "Library to open on Sundays from November"
    assert article.lead == "The central library will open on Sunday afternoons from November."
    assert article.body is not None and article.body.startswith("Millbrook’s central library")
    assert "council website (https://millbrook.example/library)" in article.body
    assert article.author == "7"
    assert article.published_at == datetime(2024, 10, 1, 15, 0, tzinfo=UTC)
    assert article.comments_closed is False
    assert article.url == "https://millbrook-herald.example/2024/10/01/library-sunday-hours/"
    assert [b.kind for b in article.blocks] == ["title", "lead", "body", "body"]


def test_multi_post_fixture_groups_by_post() -> None:
    out = read_file(FIXTURES / "de_wp_json_multi" / "input.json")
    assert [t.article.article_id for t in out.threads] == ["91", "88"]
    market, bridge = out.threads
    assert [c.comment_id for c in market.comments] == ["730", "733"]
    assert [(c.comment_id, c.parent_id) for c in bridge.comments] == [
        ("727", None), ("728", None), ("729", "727"), ("731", "729"),
    ]
    assert bridge.article.url == "https://kiezbote-nord.example/2025/03/sperrung-der-schillerbruecke/"
    assert bridge.comments[1].author is None  # empty author_name
    assert out.n_comments_in == 6  # the pingback is neither emitted nor counted
    assert [(i.code, i.comment_id, i.article_id) for i in out.issues] == [("pingback-skipped", "732", "91")]


# --- shapes ------------------------------------------------------------------------------


def test_single_post_object_is_an_article_without_comments(tmp_path: Path) -> None:
    post = {
        "id": 42, "type": "post", "link": "https://b.example/p/", "date_gmt": "2024-01-02T03:04:05",
        "title": {"rendered": "Caf&eacute; &#8222;Zur Post&#8220;"}, "content": {"rendered": "<p>A</p><p>B</p>"},
        "excerpt": {"rendered": ""}, "author": 3, "comment_status": "closed",
        "_embedded": {
            "author": [{"id": 3, "name": "Lena Roth"}],
            "wp:term": [[{"taxonomy": "category", "name": "Kultur &amp; Freizeit"}], [{"taxonomy": "post_tag", "name": "x"}]],
        },
    }
    out = read_json(tmp_path, post)
    (thread,) = out.threads
    article = thread.article
    assert (article.article_id, article.title, article.body) == ("42", "Café „Zur Post“", "A\n\nB")
    assert (article.author, article.category, article.comments_closed, article.lead) == (
        "Lena Roth", "Kultur & Freizeit", True, None,
    )
    assert thread.comments == [] and out.n_comments_in == 0


def test_list_of_posts_and_single_comment_object(tmp_path: Path) -> None:
    posts = [
        {"id": 1, "type": "post", "title": {"rendered": "Eins"}, "content": {"rendered": "<p>x</p>"}},
        {"id": 2, "type": "post", "title": {"rendered": "Zwei"}, "content": {"rendered": "<p>y</p>"}},
    ]
    out = read_json(tmp_path, posts)
    assert [t.article.title for t in out.threads] == ["Eins", "Zwei"]
    single = read_json(tmp_path, comment(9), "one.json")
    assert [c.comment_id for c in single.threads[0].comments] == ["9"]


def test_bundle_without_post_and_empty_list(tmp_path: Path) -> None:
    out = read_json(tmp_path, {"comments": [comment(1), comment(2, 1)]})
    assert [t.article.article_id for t in out.threads] == ["5"]
    empty = read_json(tmp_path, [], "empty.json")
    assert [t.article.article_id for t in empty.threads] == ["empty"]
    assert codes(empty) == ["empty-response"]


def test_comments_of_other_posts_in_a_bundle_get_their_own_thread(tmp_path: Path) -> None:
    post = {"id": 5, "type": "post", "title": {"rendered": "P"}, "content": {"rendered": ""}}
    out = read_json(tmp_path, {"post": post, "comments": [comment(1), comment(2, post=6)]})
    assert [(t.article.article_id, [c.comment_id for c in t.comments]) for t in out.threads] == [
        ("5", ["1"]), ("6", ["2"]),
    ]


# --- field anomalies ---------------------------------------------------------------------


def test_missing_and_mistyped_fields_become_issues_not_losses(tmp_path: Path) -> None:
    items = [
        comment(None),  # no id
        comment("12", parent="x"),  # digit-string id is fine; parent of the wrong type
        {"id": 13, "post": 5, "content": "<p>nur ein String</p>"},  # no parent, no dates, content a string
        comment(14, author_name=7, status="hold"),
        comment(15, gmt=None),  # falls back to the local date
        comment(16, gmt="gestern"),
        {k: v for k, v in comment(17).items() if k != "post"},
    ]
    items[0].pop("id")
    out = read_json(tmp_path, items)
    (thread,) = out.threads
    assert sorted(c.comment_id for c in thread.comments) == ["12", "13", "14", "15", "16", "17", "wp-json-1"]
    assert out.n_comments_in == 7
    found = {(i.code, i.comment_id) for i in out.issues}
    assert ("missing-comment-id", "wp-json-1") in found
    assert ("invalid-field", "12") in found
    assert {("missing-field", "13"), ("invalid-field", "13")} <= found
    assert {("invalid-field", "14"), ("comment-status", "14")} <= found
    assert ("local-time-assumed-utc", "15") in found
    assert ("invalid-field", "16") in found
    assert ("missing-field", "17") in found
    by_id = {c.comment_id: c for c in thread.comments}
    assert by_id["13"].text == "nur ein String" and by_id["13"].parent_id is None
    assert by_id["15"].created_at == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert by_id["16"].created_at == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert by_id["14"].author is None
    assert all(i.line is not None for i in out.issues)


def test_undated_comments_sort_last_and_non_objects_are_rejected(tmp_path: Path) -> None:
    undated = comment(1)
    undated.pop("date_gmt")
    undated.pop("date")
    out = read_json(tmp_path, [undated, 17, comment(2)])
    assert [c.comment_id for c in out.threads[0].comments] == ["2", "1"]
    rejected = [i for i in out.issues if i.code == "rejected-comment"]
    assert [(i.line, i.severity) for i in rejected] == [(14, "error")]
    assert out.n_comments_in == 3  # two emitted + one rejected with a reason


def test_source_lines_point_at_each_object(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text("[\n" + ",\n".join(json.dumps(comment(i, gmt=f"2024-05-0{i}T00:00:00")) for i in (3, 2, 1)) + "\n]\n")
    out = read_file(path)
    assert [(c.comment_id, c.source_line) for c in out.threads[0].comments] == [("1", 4), ("2", 3), ("3", 2)]


# --- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "found"),
    [
        ('[\n  {"id": 1,\n  "post": 2,,}\n]', 3, "Expecting"),
        ("", 1, "Expecting value"),
        ("[1, 2, 3]", 1, "a list of 3 item(s) (a number) without comment keys"),
        ('{"comments": {"id": 1}}', 1, "'comments' is an object"),
        ('{"posts": [], "total": 0}', 1, "an object with keys posts, total"),
        ('{"code": "rest_post_invalid_id", "message": "Invalid post ID.", "data": {"status": 404}}', 1, "rest_post_invalid_id"),
        ('"just a string"', 1, "a string"),
        ('[{"kind": "t1", "data": {}}]', 1, "without comment keys"),
    ],
)
def test_wrong_json_is_a_format_error_with_line(tmp_path: Path, text: str, line: int, found: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as info:
        read_file(path)
    assert info.value.line == line
    assert found in (info.value.found or "")
    assert str(path) in str(info.value)


def test_absurdly_deep_json_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(FormatError):
        read_file(path)


def test_looks_like_each_shape_and_not_other_json(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    for fixture in ("en_wp_json", "de_wp_json_multi"):
        path = FIXTURES / fixture / "input.json"
        assert wp_json.looks_like(path, path.read_text(encoding="utf-8"))
        assert sniff.sniff(path) == "wp_json"
    post = {"id": 1, "type": "post", "title": {"rendered": "t"}, "content": {"rendered": "c"}}
    assert wp_json.looks_like(p, json.dumps(post))
    assert wp_json.looks_like(p, json.dumps({"comments": [comment(1)]}))
    # A head cut in the middle of the first object still sniffs by its keys.
    assert wp_json.looks_like(p, json.dumps([comment(1)])[:150])
    assert not wp_json.looks_like(p, '[{"kind": "Listing", "data": {"children": []}}]')
    assert not wp_json.looks_like(p, '{"hits": [{"author": "x", "comment_text": "y"}]}')
    assert not wp_json.looks_like(p, "<html></html>")
    assert not wp_json.looks_like(p, "[1, 2]")
