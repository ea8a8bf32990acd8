"""analyzer.outputs.notebook: navigation, drill-down helpers and the escaped HTML tree."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.core.errors import UsageError
from analyzer.core.run import read_run
from analyzer.outputs.notebook import Thread, empty_thread, threads
from tests.conftest import HANG_LIMIT_S
from tests.outputs.report.pages import comment_rows, make_run, stance_rows

ROWS = [
    {"comment_id": "a", "depth": 1, "text": "Start der Diskussion."},
    {"comment_id": "b", "parent_id": "a", "depth": 2, "text": "Nein, das stimmt nicht."},
    {"comment_id": "g", "parent_id": "b", "depth": 3, "kind": "ghost", "is_ghost": True, "text": None},
    {"comment_id": "c", "parent_id": "g", "depth": 4, "text": "<script>alert(1)</script> Doch!"},
    {"comment_id": "d", "parent_id": "a", "depth": 2, "kind": "deleted", "is_deleted": True, "text": None},
    {"comment_id": "e", "depth": 1, "text": "Anderes Thema, siehe hxxp://alt[.]example/x"},
]


@pytest.fixture
def thread(tmp_path: Path) -> Thread:
    stance = stance_rows({"a": ("comment", "support"), "b": ("deny", "deny"), "c": ("deny", "support"),
                          "e": ("comment", "comment")})
    links = schemas.conform(pl.DataFrame({"article_id": ["a"], "comment_id": ["e"], "url": ["hxxp://alt[.]example/x"],
                                          "url_normalised": ["http://alt.example/x"], "obfuscation": ["hxxp"]}),
                            schemas.LINKS)
    run = make_run(tmp_path / "run", comment_rows(ROWS), extra={"stance.parquet": stance, "links.parquet": links})
    return Thread.from_run(read_run(run))


def test_navigation(thread: Thread) -> None:
    assert len(thread) == 6 and thread.comments.height == 4
    assert thread.ancestors("c") == ["a", "b", "g"]
    assert thread.path("c")["comment_id"].to_list() == ["a", "b", "g", "c"]
    assert thread.subtree_ids("b") == ["b", "g", "c"]
    assert thread.children(None)["comment_id"].to_list() == ["a", "e"]
    sizes = dict(thread.subtree_sizes().iter_rows())
    assert sizes["a"] == 5 and sizes["e"] == 1
    sub = thread.subthread("b")
    assert sub.nodes["comment_id"].to_list() == ["b", "g", "c"] and sub.comment("b")["parent_id"] is None
    with pytest.raises(UsageError, match="no comment"):
        thread.comment("zzz")


def test_disagreement_and_deepest_chain(thread: Thread) -> None:
    # b denies a, c denies its parent (a ghost): runs are broken by the ghost's missing stance.
    chain = thread.disagreement_chain()
    assert chain["comment_id"].to_list() == ["a", "b"]
    assert thread.deepest_chain()["comment_id"].to_list() == ["a", "b", "g", "c"]


def test_obfuscated_links(thread: Thread) -> None:
    out = thread.obfuscated_links()
    assert out.select("comment_id", "obfuscation", "depth").rows() == [("e", "hxxp", 1)]


def test_html_escapes_and_marks_ghosts(thread: Thread) -> None:
    page = thread._repr_html_()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "dashed" in page and "ghost" in page
    assert "line-through" in page  # the deleted placeholder
    assert "obfuscated" in page and ">deny<" in page


def test_figure_and_icicle_nodes(thread: Thread) -> None:
    nodes = thread.icicle_nodes(max_nodes=3)
    assert nodes["comment_id"].to_list() == ["a", "b", "g"]
    assert nodes["value"].to_list() == [5, 3, 2]  # whole subtrees, cut nodes included
    assert thread.figure().data[0].type == "icicle"


def test_without_stance_or_links(tmp_path: Path) -> None:
    t = Thread.from_run(read_run(make_run(tmp_path / "run", comment_rows(ROWS))))
    assert t.disagreement_chain().is_empty()
    assert t.obfuscated_links().is_empty()
    assert "ghost" in t.to_html()


def test_unknown_article_and_threads(tmp_path: Path) -> None:
    run = read_run(make_run(tmp_path / "run", comment_rows(ROWS)))
    with pytest.raises(UsageError, match="no article"):
        Thread.from_run(run, "nope")
    assert [t.article_id for t in threads(run)] == ["a"]
    assert empty_thread().to_html().count("<div") >= 2


def test_deep_thread_is_iterative_and_fast() -> None:
    n = 20_000
    rows = comment_rows([{"comment_id": f"n{i}", "parent_id": f"n{i - 1}" if i else None, "depth": i + 1}
                         for i in range(n)])
    t = Thread({"article_id": "a", "title": "tief"}, rows)
    start = time.perf_counter()
    assert len(t.ancestors(f"n{n - 1}")) == n - 1
    assert t.subtree_sizes()["size"][0] == n
    html = t.to_html(max_rows=100)
    assert f"{n - 100} more nodes" in html
    assert time.perf_counter() - start < HANG_LIMIT_S
