"""Authors, reply edges, participation and time series on small forests with known answers."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.stages.coordination.authors import author_tables, gini, participation, top_share
from analyzer.stages.coordination.timeseries import (
    MAX_BINS,
    NICE_WIDTHS_S,
    choose_widths,
    compute_timeseries,
)
from analyzer.stages.structure import gini as scalar_gini
from tests.stages.coordination.helpers import T0, forest

ROWS = [
    # thread a: ann posts, bob denies ann, ann answers bob, cid supports bob, bob replies to himself
    {"article_id": "a", "comment_id": "1", "author": "ann", "t": 0},
    {"article_id": "a", "comment_id": "2", "parent_id": "1", "author": "bob", "t": 60},
    {"article_id": "a", "comment_id": "3", "parent_id": "2", "author": "ann", "t": 120},
    {"article_id": "a", "comment_id": "4", "parent_id": "2", "author": "cid", "t": 180},
    {"article_id": "a", "comment_id": "5", "parent_id": "4", "author": "bob", "t": 240},
    {"article_id": "a", "comment_id": "6", "parent_id": "5", "author": "bob", "t": 300},
    # thread b on another site: an anonymous reply to ann, and a deleted placeholder
    {"article_id": "b", "comment_id": "1", "author": "ann", "t": 7200},
    {"article_id": "b", "comment_id": "2", "parent_id": "1", "author": None, "t": 7260},
    {"article_id": "b", "comment_id": "3", "kind": "deleted", "author": None, "text": None, "t": 7300},
]
STANCE = {("a", "2"): "deny", ("a", "3"): "query", ("a", "4"): "support", ("a", "5"): "deny", ("a", "6"): "comment",
          ("b", "2"): "deny"}


def _stance(comments: pl.DataFrame) -> pl.DataFrame:
    rows = comments.filter(pl.col("kind") == "comment").select("article_id", "comment_id")
    labels = [STANCE.get((a, c), "comment") for a, c in rows.iter_rows()]
    return schemas.conform(rows.with_columns(stance_parent=pl.Series(labels)), schemas.STANCE)


def _links(comments: pl.DataFrame) -> pl.DataFrame:
    return schemas.conform(pl.DataFrame({"article_id": ["a", "a", "b"], "comment_id": ["2", "2", "1"],
                                         "url_normalised": ["https://x.example"] * 3}), schemas.LINKS)


def test_author_table() -> None:
    f = forest(ROWS, sites={"a": "one.example", "b": "two.example"})
    authors, _ = author_tables(f.comments, f.articles, _stance(f.comments), _links(f.comments))
    by = {r["author"]: r for r in authors.iter_rows(named=True)}
    assert set(by) == {"ann", "bob", "cid"}
    assert (by["ann"]["n_comments"], by["ann"]["n_threads"], by["ann"]["n_sites"]) == (3, 2, 2)
    assert by["ann"]["n_replies_given"] == 1 and by["ann"]["n_replies_received"] == 2  # bob, anonymous
    assert by["ann"]["n_deny_received"] == 2 and by["ann"]["n_deny_given"] == 0
    # bob: replies 2, 5, 6 (6 to himself: given, but not received by himself)
    assert by["bob"]["n_replies_given"] == 3 and by["bob"]["n_replies_received"] == 2  # ann, cid
    assert by["bob"]["n_deny_given"] == 2 and by["bob"]["n_deny_received"] == 0
    assert by["cid"]["n_deny_received"] == 1
    assert by["bob"]["n_links"] == 2 and by["ann"]["n_links"] == 1 and by["cid"]["n_links"] == 0
    assert by["ann"]["first_seen"] == T0 and by["ann"]["last_seen"] == T0 + timedelta(seconds=7200)


def test_author_edges_and_reciprocity() -> None:
    f = forest(ROWS)
    _, edges = author_tables(f.comments, f.articles, _stance(f.comments), None)
    got = {(r["replier"], r["replied_to"]): (r["n_replies"], r["n_deny"], r["n_reverse"], r["reciprocal"])
           for r in edges.iter_rows(named=True)}
    assert got == {
        ("bob", "ann"): (1, 1, 1, True),
        ("ann", "bob"): (1, 0, 1, True),
        ("cid", "bob"): (1, 0, 1, True),
        ("bob", "cid"): (1, 1, 1, True),
    }


def test_without_stance_and_links_those_columns_are_null() -> None:
    f = forest(ROWS)
    authors, edges = author_tables(f.comments, f.articles, None, None)
    assert authors.get_column("n_deny_given").null_count() == authors.height
    assert authors.get_column("n_links").null_count() == authors.height
    assert edges.get_column("n_deny").null_count() == edges.height
    assert edges.get_column("n_replies").sum() == 4


def test_participation_figures() -> None:
    counts = np.array([1, 1, 2, 10])
    assert gini(counts) == pytest.approx(scalar_gini([1, 1, 2, 10]))
    assert top_share(counts) == pytest.approx(10 / 14)
    assert top_share(np.arange(1, 201)) == pytest.approx((200 + 199) / sum(range(1, 201)))
    f = forest(ROWS)
    authors, edges = author_tables(f.comments, f.articles, None, None)
    figures = participation(authors, edges, f.comments)
    assert figures["n_authors"] == 3
    assert figures["anonymous_share"] == pytest.approx(1 / 8)
    assert figures["reciprocal_edge_share"] == 1.0


def test_bin_widths_from_the_data() -> None:
    # 1,000 comments with an IQR of 2 h: Freedman-Diaconis 2 * 7200 / 10 = 1440 s; the nearest
    # nice width on a log scale is 1800 s (log distance 0.22, against 0.47 to 900 s).
    assert choose_widths(np.array([1000]), np.array([7200.0]), np.array([86400.0])).tolist() == [1800]
    # a year of comments cannot have 1-minute bins: widened until at most MAX_BINS bins.
    width = choose_widths(np.array([8]), np.array([1.0]), np.array([365 * 86400.0]))[0]
    assert 365 * 86400 / width <= MAX_BINS and width in NICE_WIDTHS_S
    # no spread: the smallest width
    assert choose_widths(np.array([3]), np.array([0.0]), np.array([0.0])).tolist() == [60]


def test_timeseries_counts_add_up() -> None:
    f = forest(ROWS)
    series, info = compute_timeseries(f.comments, _stance(f.comments))
    assert info == {"n_dated": 9, "n_undated": 0}
    corpus = series.filter(pl.col("scope") == "corpus")
    threads = series.filter(pl.col("scope") == "thread")
    assert corpus.get_column("n_comments").sum() == 9 and threads.get_column("n_comments").sum() == 9
    assert corpus.get_column("n_deleted").sum() == 1 and threads.get_column("n_deleted").sum() == 1
    # corpus bins are contiguous
    starts = corpus.get_column("bin_start").to_list()
    width = corpus.get_column("bin_seconds").unique().item()
    assert all((b - a).total_seconds() == width for a, b in zip(starts, starts[1:], strict=False))
    # thread a's stance shares: 2 deny, 1 query, 1 support, 2 comment ("1" is top level: comment)
    a = threads.filter(pl.col("article_id") == "a")
    total = a.get_column("n_comments").sum()
    deny = (a.get_column("share_deny") * a.get_column("n_comments")).sum()
    assert total == 6 and deny == pytest.approx(2)
    no_stance, _ = compute_timeseries(f.comments, None)
    assert no_stance.get_column("share_deny").null_count() == no_stance.height
