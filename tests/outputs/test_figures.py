"""Figure builders: empty input gives a message, small frames give the expected traces."""

from __future__ import annotations

import time

import plotly.graph_objects as go
import polars as pl
import pytest

from analyzer.outputs import figures


def _annotation_text(fig: go.Figure) -> str:
    return " ".join(a.text for a in fig.layout.annotations)


def test_plot_text_escapes_markup_and_controls() -> None:
    text = figures.plot_text('<b onclick="x">bold</b>\x00\u202e &amp;', limit=200)
    assert "<" not in text and ">" not in text and "\x00" not in text and "\u202e" not in text
    assert text.startswith('&lt;b onclick="x"&gt;bold')  # no tag survives; quotes shown as quotes


def test_plot_text_shortens_and_handles_none() -> None:
    assert figures.plot_text(None) == ""
    assert figures.plot_text("a" * 500, limit=10) == "a" * 9 + "…"


@pytest.mark.parametrize("hostile", ["." * 100_000, "a" * 100_000, "http://" * 15_000, "<" * 100_000, "\x01" * 100_000])
def test_plot_text_is_fast_on_adversarial_input(hostile: str) -> None:
    start = time.process_time()
    figures.plot_text(hostile * 10)  # 1 MB
    assert time.process_time() - start < 0.5


@pytest.mark.parametrize("builder", [
    lambda: figures.stance_shares(pl.DataFrame(schema={"label": pl.String, "n": pl.Int64})),
    lambda: figures.stance_by_depth(pl.DataFrame(schema={"depth": pl.Int32, "label": pl.String, "n": pl.Int64})),
    lambda: figures.frame_profile(pl.DataFrame(schema={"frame": pl.String, "p_article": pl.Float64, "p_comments": pl.Float64})),
    lambda: figures.keyness_bars(pl.DataFrame(schema={"term": pl.String, "z": pl.Float64, "n_comments": pl.Int64,
                                                      "n_article": pl.Int64})),
    lambda: figures.thread_icicle(pl.DataFrame(schema={"comment_id": pl.String, "parent_id": pl.String})),
    lambda: figures.depth_profile(pl.DataFrame(schema={"depth": pl.Int32, "n_all": pl.Int64, "n_visible": pl.Int64})),
    lambda: figures.latency_histogram([]),
    lambda: figures.domain_bars(pl.DataFrame(schema={"domain": pl.String, "n_links": pl.Int64, "rated": pl.Boolean})),
    lambda: figures.link_depths(pl.DataFrame(schema={"depth": pl.Int32, "n_links": pl.Int64})),
    lambda: figures.article_scatter(pl.DataFrame(), x="a", y="b"),
])
def test_empty_input_gives_a_message_not_an_error(builder) -> None:  # type: ignore[no-untyped-def]
    fig = builder()
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == 0
    assert _annotation_text(fig)


def test_stance_shares_orders_labels_and_sums_to_one() -> None:
    fig = figures.stance_shares(pl.DataFrame({"label": ["comment", "deny", "support"], "n": [2, 1, 1]}))
    assert [t.name for t in fig.data] == ["support", "deny", "comment"]
    assert sum(t.x[0] for t in fig.data) == pytest.approx(1.0)
    assert fig.data[0].marker.color == figures.STANCE_COLOURS["support"]


def test_stance_by_depth_shares_per_depth() -> None:
    frame = pl.DataFrame({"depth": [1, 1, 2], "label": ["support", "deny", "deny"], "n": [3, 1, 2]})
    fig = figures.stance_by_depth(frame)
    support = next(t for t in fig.data if t.name == "support")
    deny = next(t for t in fig.data if t.name == "deny")
    assert list(support.x) == [0.75]
    assert sorted(deny.x) == [0.25, 1.0]


def test_frame_profile_mirrors_article_to_the_left() -> None:
    profile = pl.DataFrame({"frame": ["a", "b"], "p_article": [0.8, 0.2], "p_comments": [0.3, 0.7],
                            "dominant_article": [True, False], "dominant_comments": [False, True]})
    fig = figures.frame_profile(profile)
    article, readers = fig.data
    assert all(x <= 0 for x in article.x) and all(x >= 0 for x in readers.x)
    assert any("●○" in y for y in article.y)


def test_keyness_bars_split_by_sign_and_escape_terms() -> None:
    keyness = pl.DataFrame({"term": ["<b>x</b>", "Wetter", "Lüge"], "z": [0.0, -2.0, 3.0],
                            "n_comments": [1, 1, 5], "n_article": [1, 3, 0]})
    fig = figures.keyness_bars(keyness)
    bar = fig.data[0]
    assert list(bar.y) == ["Wetter", "Lüge"]  # z = 0 is neither more nor less
    assert bar.marker.color[0] == figures.ARTICLE_COLOUR and bar.marker.color[1] == figures.COMMENTS_COLOUR


def test_thread_icicle_root_and_ghosts() -> None:
    nodes = pl.DataFrame({"comment_id": ["c1", "g", "c2"], "parent_id": [None, "c1", "g"], "value": [3, 2, 1],
                          "colour": ["#000", figures.GHOST_COLOUR, "#111"], "is_ghost": [False, True, False],
                          "hover": ["a", "b", "c"]})
    trace = figures.thread_icicle(nodes, root_label="<i>T</i>").data[0]
    assert list(trace.ids) == ["~article", "c1", "g", "c2"]
    assert list(trace.parents) == ["", "~article", "c1", "g"]
    assert trace.values[0] == 3
    assert trace.labels[0] == "&lt;i&gt;T&lt;/i&gt;" and trace.labels[2] == "ghost"


def test_depth_profile_adds_ghost_bars_only_when_present() -> None:
    with_ghosts = figures.depth_profile(pl.DataFrame({"depth": [1, 2], "n_all": [2, 2], "n_visible": [2, 1]}))
    assert [t.name for t in with_ghosts.data] == ["visible", "ghosts (missing)"]
    without = figures.depth_profile(pl.DataFrame({"depth": [1], "n_all": [2], "n_visible": [2]}))
    assert len(without.data) == 1


def test_latency_histogram_uses_log_minutes() -> None:
    fig = figures.latency_histogram([60.0, 600.0, -5.0, float("nan")])
    assert list(fig.data[0].x) == pytest.approx([0.0, 1.0])


def test_domain_bars_carry_raw_domain_and_top_n() -> None:
    domains = pl.DataFrame({"domain": [f"d{i}.org" for i in range(30)], "n_links": list(range(30)),
                            "rated": [i % 2 == 0 for i in range(30)], "rating_text": [None] * 30})
    fig = figures.domain_bars(domains, top=5)
    assert len(fig.data[0].y) == 5
    assert fig.data[0].customdata[-1][0] == "d29.org"


def test_article_scatter_skips_missing_values() -> None:
    table = pl.DataFrame({"article_id": ["a", "b"], "title": ["A", None], "n_visible": [3, 10],
                          "x": [0.1, None], "y": [0.5, 0.2]})
    trace = figures.article_scatter(table, x="x", y="y").data[0]
    assert list(trace.customdata) == ["a"]


def test_plain_data_builders_agree_with_the_figures() -> None:
    """The ``*_data`` builders (served by the dashboard without building a go.Figure) give what
    the validated figure gives, empty inputs included."""
    import json

    nodes = pl.DataFrame({"comment_id": ["a", "b"], "parent_id": [None, "a"], "value": [2, 1],
                          "colour": ["#fff", "#000"], "is_ghost": [False, True], "hover": ["x", "y"]})
    levels = pl.DataFrame({"depth": [1, 2], "n_all": [2, 3], "n_visible": [2, 1]})
    domains = pl.DataFrame({"domain": ["a.com", "<b>.org"], "n_links": [3, 1], "rated": [True, None]})
    depths = pl.DataFrame({"depth": [1, 2], "n_links": [3, 1]})
    table = pl.DataFrame({"article_id": ["a", "b", "c"], "title": ["<T>", None, "x"], "n_visible": [3, 10, None],
                          "s": [0.1, 0.5, None], "m": [1, 4, 2]})
    pairs = [
        (figures.thread_icicle(nodes, title="T", selected="b"), figures.thread_icicle_data(nodes, title="T", selected="b")),
        (figures.thread_icicle(nodes.head(0)), figures.thread_icicle_data(nodes.head(0))),
        (figures.depth_profile(levels), figures.depth_profile_data(levels)),
        (figures.latency_histogram([60.0, 600.0]), figures.latency_histogram_data([60.0, 600.0])),
        (figures.latency_histogram([]), figures.latency_histogram_data([])),
        (figures.domain_bars(domains), figures.domain_bars_data(domains)),
        (figures.link_depths(depths), figures.link_depths_data(depths)),
        (figures.article_scatter(table, x="s", y="m", shares=frozenset({"s"}), counts=frozenset({"m"})),
         figures.article_scatter_data(table, x="s", y="m", shares=frozenset({"s"}), counts=frozenset({"m"}))),
    ]
    def same(figure: dict) -> dict:  # type: ignore[type-arg]
        # An empty title is written as {} by one path and left out by the other: both draw none.
        figure = json.loads(json.dumps(figure))
        if figure["layout"].get("title") in ({}, None):
            figure["layout"].pop("title", None)
        return figure

    for figure, data in pairs:
        assert same(figure.to_plotly_json()) == same(data)
