"""analyzer.views.comments: the comment table behind a number, the conversation, marked text."""

from __future__ import annotations

import json

import polars as pl

from analyzer.core import schemas
from analyzer.views import comments as cv
from tests.outputs.report.pages import comment_rows

# a ─ b ─ c
#   └ d
# e (deleted)
NODES = [
    {"comment_id": "a", "depth": 1, "author": "Anna", "text": "Der Artikel stimmt. Siehe hxxp://evil[.]com"},
    {"comment_id": "b", "parent_id": "a", "depth": 2, "author": "Ben", "text": "Nein, das ist falsch."},
    {"comment_id": "c", "parent_id": "b", "depth": 3, "author": "Anna", "text": "=HYPERLINK(\"x\") Doch!"},
    {"comment_id": "d", "parent_id": "a", "depth": 2, "author": "Cleo", "text": "Warum?"},
    {"comment_id": "e", "depth": 1, "author": None, "text": None, "kind": "deleted", "is_deleted": True},
]


def _stance() -> pl.DataFrame:
    labels = {"a": ("support", "support"), "b": ("deny", "deny"), "c": ("deny", "support"), "d": ("query", "query")}
    return schemas.conform(pl.DataFrame([
        {"article_id": "a", "comment_id": c, "stance_parent": p, "stance_article": s} for c, (p, s) in labels.items()]),
        schemas.STANCE)


def _links() -> pl.DataFrame:
    return schemas.conform(pl.DataFrame([{
        "article_id": "a", "comment_id": "a", "url": "hxxp://evil[.]com", "registered_domain": "evil.com",
        "obfuscation": "hxxp", "start_char": 0, "end_char": 17}]), schemas.LINKS).with_columns(  # stale offsets
        pl.col("registered_domain").alias("domain"))


def _table() -> pl.DataFrame:
    return cv.comment_table(comment_rows(NODES), _stance(), _links())


def test_table_has_parent_author_replies_links_and_stance() -> None:
    table = _table()
    assert table["comment_id"].to_list() == ["a", "b", "c", "d", "e"]
    row = table.row(1, named=True)
    assert (row["parent_author"], row["stance_article"], row["n_replies"]) == ("Anna", "deny", 1)
    assert table.row(0, named=True)["domains"] == ["evil.com"]
    assert table.row(0, named=True)["n_replies"] == 2


def test_filters_behind_each_number() -> None:
    table = _table()
    ids = lambda f: cv.filter_comments(table, f)["comment_id"].to_list()  # noqa: E731
    assert ids(cv.CommentFilter(stance="deny")) == ["b"]
    assert ids(cv.CommentFilter(stance="deny", stance_column="stance_parent")) == ["b", "c"]
    assert ids(cv.CommentFilter(depth=2)) == ["b", "d"]
    assert ids(cv.CommentFilter(author="Anna")) == ["a", "c"]
    assert ids(cv.CommentFilter(domain="evil.com")) == ["a"]
    assert ids(cv.CommentFilter(has_link=False, deleted=False)) == ["b", "c", "d"]
    assert ids(cv.CommentFilter(deleted=True)) == ["e"]
    assert ids(cv.CommentFilter(term="falsch")) == ["b"]
    assert ids(cv.CommentFilter(term="fals")) == []  # a term is a whole word
    assert ids(cv.CommentFilter(search="(\"X")) == ["c"]  # regex characters are literal
    assert ids(cv.CommentFilter(frame_ids=frozenset({("a", "d")}))) == ["d"]
    assert ids(cv.CommentFilter(sort="n_replies", descending=True))[:2] == ["a", "b"]
    assert cv.CommentFilter(stance="deny", depth=2).describe() == "stance toward the article = deny, depth 2"


def test_conversation_folds_branches_and_finds_pages() -> None:
    table = _table()
    assert cv.conversation_rows(table, {"a"})["comment_id"].to_list() == ["a", "e"]
    assert cv.conversation_rows(table, {"b"})["comment_id"].to_list() == ["a", "b", "d", "e"]
    assert cv.page_of(table, "d", 2) == 1
    assert cv.page_of(cv.conversation_rows(table, {"a"}), "d", 2) is None
    assert cv.ancestors(comment_rows(NODES), "c") == ["b", "a"]


def test_cue_spans_check_the_words_and_survive_bad_evidence() -> None:
    text = "Also: Nein, das ist falsch."
    good = {"cues": [{"cue": "neg", "label": "deny", "target": "parent", "start": 6, "end": 10, "text": "Nein"}]}
    shifted = {"cues": [{"cue": "neg", "label": "deny", "target": "parent", "start": 0, "end": 4, "text": "Nein"}]}
    assert [(s.start, s.end) for s in cv.cue_spans(json.dumps(good), text)] == [(6, 10)]
    assert [(s.start, s.end) for s in cv.cue_spans(json.dumps(shifted), text)] == [(6, 10)]
    assert cv.cue_spans("{not json", text) == []
    assert cv.cue_spans(json.dumps({"cues": "x"}), text) == []
    assert cv.cue_spans(json.dumps([1, 2]), text) == []


def test_segments_link_spans_and_search_hits() -> None:
    text = NODES[0]["text"]
    spans = cv.link_spans(_links(), "a", text) + cv.search_spans(text, "artikel")
    segments = cv.text_segments(text, spans)
    assert "".join(s.text for s in segments) == text
    link = next(s for s in segments if "link" in s.marks)
    assert link.text == "hxxp://evil[.]com" and "written disguised" in link.notes[0]
    assert any(s.marks == ("hit",) and s.text == "Artikel" for s in segments)


def test_csv_export_defuses_formulas() -> None:
    out = cv.csv_safe(_table())
    assert "'=HYPERLINK" in out and "\n=HYPERLINK" not in out and ",=HYPERLINK" not in out
    assert out.splitlines()[0].startswith("article_id,comment_id")
