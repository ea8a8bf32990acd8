"""analyzer.views.corpus: faces for untitled articles, server-side filter/sort/paging; scatter ranges."""

from __future__ import annotations

import polars as pl

from analyzer.outputs import figures
from analyzer.views.corpus import ColumnFilter, filter_table, page_rows, with_display_title
from analyzer.views.frames import frame_definition, frame_label


def _table() -> pl.DataFrame:
    return pl.DataFrame({
        "article_id": ["a", "b", "c", "d"], "title": ["Energie", None, "  ", "Wahl"],
        "n_visible": [50, 521, 3, None], "visibility": [0.5, 0.9, None, 1.0],
    }, schema_overrides={"title": pl.String})


def test_untitled_articles_get_id_and_first_words() -> None:
    comments = pl.DataFrame({"article_id": ["b", "b", "c"], "seq": [1, 0, 0], "kind": ["comment", "comment", "deleted"],
                             "text": ["zweiter", "Das  ist\nder erste Kommentar mit vielen Wörtern darin", None]})
    faces = with_display_title(_table(), comments, words=4)["display_title"].to_list()
    assert faces == ["Energie", "b · Das ist der erste…", "c", "Wahl"]


def test_page_rows_filters_sorts_and_slices() -> None:
    table = _table()
    rows, total = page_rows(table, start=0, end=2, sort=[("n_visible", True)])
    assert rows["article_id"].to_list() == ["b", "a"] and total == 4
    rows, total = page_rows(table, start=0, end=10, filters=[ColumnFilter("n_visible", "greaterThan", 10)])
    assert rows["article_id"].to_list() == ["a", "b"] and total == 2
    rows, _ = page_rows(table, start=0, end=10, filters=[ColumnFilter("title", "contains", "ENER")])
    assert rows["article_id"].to_list() == ["a"]
    assert filter_table(table, [ColumnFilter("visibility", "blank")])["article_id"].to_list() == ["c"]
    # Unknown columns, operators and malformed values are ignored, never raised.
    assert filter_table(table, [ColumnFilter("nope", "equals", 1), ColumnFilter("n_visible", "greaterThan", "x"),
                                ColumnFilter("n_visible", "drop table", 1)]).height == 4
    assert page_rows(table, start=3, end=10_000)[0].height == 1


def test_scatter_of_one_article_has_possible_ranges() -> None:
    one = pl.DataFrame({"article_id": ["a"], "title": ["A"], "n_visible": [2], "visibility": [0.4], "max_depth": [1]})
    fig = figures.article_scatter(one, x="max_depth", y="visibility", shares=frozenset({"visibility"}),
                                  counts=frozenset({"max_depth", "n_visible"}))
    assert tuple(fig.layout.yaxis.range) == (-0.03, 1.03)
    low, high = fig.layout.xaxis.range
    assert low >= -0.5 and high > 1 and fig.layout.xaxis.tickformat == "d"


def test_frame_names_in_plain_words() -> None:
    assert frame_label("economic_consequences") == "Economic consequences"
    assert frame_definition("economic_consequences")
    assert frame_label("my_custom_frame") == "my custom frame" and frame_definition("my_custom_frame") == ""


def test_sites_are_compared_with_their_counts() -> None:
    from analyzer.views.corpus import site_comparison

    table = pl.DataFrame({"article_id": ["a", "b", "c"], "site": ["one.at", "one.at", None],
                          "n_visible": [10, 30, 5], "n_deleted": [2, 0, 1], "link_comment_share": [0.1, 0.5, None]})
    stance = pl.DataFrame({"article_id": ["a", "a", "b", "c"], "stance_article": ["support", "deny", "deny", None]})
    sites = site_comparison(table, stance)
    assert sites is not None
    rows = {r["site"]: r for r in sites.iter_rows(named=True)}
    assert sites["site"].to_list() == ["one.at", "(no site)"]  # largest first
    assert rows["one.at"]["n_articles"] == 2 and rows["one.at"]["n_comments"] == 40
    assert rows["one.at"]["n_linking"] == 16 and rows["one.at"]["n_deleted"] == 2
    assert (rows["one.at"]["n_stanced"], rows["one.at"]["n_support"], rows["one.at"]["n_deny"]) == (3, 1, 2)
    assert rows["(no site)"]["n_stanced"] is None  # its one stance row has no label
    assert site_comparison(table.filter(pl.col("site") == "one.at")) is None  # one site: nothing to compare
