"""Plotly figure builders: a polars frame in, a ``go.Figure`` out.

Shared by the dashboard, reports and notebooks, so nothing here knows about Dash.  Every
builder accepts an empty frame and then returns a figure that says there is nothing to show
(never an exception), because run folders legitimately lack stages or rows.

Text from articles and comments is untrusted.  Plotly renders a subset of HTML in labels and
hover text (``<b>``, ``<br>``, ``<a href>``), so every untrusted string passes through
:func:`plot_text`, which escapes it, strips control characters and shortens it.

Example:
    >>> import polars as pl
    >>> fig = stance_shares(pl.DataFrame({"label": ["support", "deny"], "n": [3, 1]}))
    >>> [trace.name for trace in fig.data]
    ['support', 'deny']
"""

from __future__ import annotations

import functools
import html
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl

__all__ = [
    "STANCE_COLOURS",
    "GHOST_COLOUR",
    "plot_text",
    "empty_figure",
    "stance_shares",
    "stance_by_depth",
    "frame_profile",
    "keyness_bars",
    "thread_icicle",
    "thread_icicle_data",
    "depth_profile",
    "depth_profile_data",
    "latency_histogram",
    "latency_histogram_data",
    "domain_bars_data",
    "link_depths_data",
    "article_scatter_data",
    "domain_bars",
    "link_depths",
    "article_scatter",
]

# Colour-blind-safe pairs (ColorBrewer RdBu ends for the two stances that oppose each other,
# orange for questions, neutral grey for plain comments).
STANCE_COLOURS: dict[str, str] = {
    "support": "#2166ac",
    "deny": "#b2182b",
    "query": "#e08214",
    "comment": "#b0b0b0",
}
UNKNOWN_COLOUR = "#d9d9d9"  # a visible comment without a stance label
GHOST_COLOUR = "#ffffff"  # ghosts: white with a dashed-looking grey border, plainly "not there"
# Outline of the selected comment's box in the thread icicle: near-black and thick enough to
# stand out against every stance colour and the white ghosts.
SELECTED_COLOUR = "#111111"
SELECTED_WIDTH = 3.0
SELECTED_LINE: dict[str, str | float] = {"color": SELECTED_COLOUR, "width": SELECTED_WIDTH}
ARTICLE_COLOUR = "#7a7a7a"
COMMENTS_COLOUR = "#1b7837"
STANCE_ORDER = ("support", "deny", "query", "comment")
_FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}
# Control characters (C0 except tab/newline, DEL, C1) and bidi overrides that could reorder text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _max_float(values: pl.Series) -> float:
    """Largest value of a numeric series as a float (0 for an empty or all-null one)."""
    largest = values.cast(pl.Float64).max()
    return float(largest) if isinstance(largest, int | float) else 0.0


def plot_text(text: str | None, limit: int = 160) -> str:
    """Make untrusted text safe for plotly labels and hover boxes.

    Escapes HTML (plotly interprets a few tags), removes control and bidi-override
    characters, folds whitespace and shortens to ``limit`` characters with an ellipsis.
    """
    if not text:
        return ""
    short = text[: limit * 4]  # bound the work on 1 MB comments before any regex runs
    short = _CONTROL.sub("", short)
    short = " ".join(short.split())
    if len(short) > limit:
        short = short[: limit - 1].rstrip() + "…"
    # Quotes stay quotes: plotly shows "&quot;" literally in labels (a title with quotation
    # marks read `&quot;` in the tree's root box), and outside attributes they are harmless.
    return html.escape(short, quote=False)


def _base(fig: go.Figure, *, height: int, title: str | None = None) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        font=_FONT,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        title={"text": html.escape(title), "x": 0, "font": {"size": 14}} if title else None,
    )
    return fig


def _figure(traces: list[dict[str, Any]], layout: dict[str, Any], *, height: int,
            title: str | None = None) -> go.Figure:
    """A figure built from its whole spec at once, with :func:`_base`'s layout.

    The same figure as ``go.Figure()`` followed by ``add_*``/``update_*`` calls and
    :func:`_base`, at a fraction of the cost: plotly validates and copies the figure on every
    update, so a small bar chart took about 11 ms to build step by step and under 3 ms from one
    spec (measured with ``time.process_time``; the thread page builds three of them per thread).
    """
    return go.Figure(_spec(traces, layout, height=height, title=title))


@functools.cache
def _template() -> dict[str, Any]:
    """Plotly's default template as plain data (what ``go.Figure`` puts into every figure)."""
    template = go.Figure().to_plotly_json()["layout"].get("template")
    return template if isinstance(template, dict) else {}


def _spec(traces: list[dict[str, Any]], layout: dict[str, Any], *, height: int,
          title: str | None = None) -> dict[str, Any]:
    """The plain-data form of :func:`_figure`: what ``_figure(...).to_plotly_json()`` gives
    (the default template included), without building and validating a ``go.Figure``.

    For servers that send a figure as JSON and never change it: validating and deep-copying
    the 1,500-box reply tree cost about 60 ms of CPU a thread (``python -m
    tests.bench.dashboard_cpu --profile``); the specs here are the validated builders' own, and
    a test checks that both forms agree.
    """
    spec: dict[str, Any] = {"height": height, "margin": {"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
                            "font": _FONT, "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)"}
    if title:
        spec["title"] = {"text": html.escape(title), "x": 0, "font": {"size": 14}}
    return {"data": traces, "layout": {**layout, **spec, "template": _template()}}


def count_axis(largest: float) -> dict[str, Any]:
    """Axis settings for counts: whole-number ticks only (no "0.5 comments"), from zero.

    Example:
        >>> count_axis(3)["dtick"], count_axis(40).get("dtick")
        (1, None)
    """
    return {"tickformat": "d", "rangemode": "tozero", "dtick": 1 if largest <= 5 else None}


def empty_figure(message: str, *, height: int = 160) -> go.Figure:
    """A blank figure carrying ``message`` in its middle."""
    fig = go.Figure()
    fig.add_annotation(text=html.escape(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font={"size": 14, "color": "#666"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _base(fig, height=height)


def _pct(value: float) -> str:
    return f"{100 * value:.0f} %"


def stance_shares(counts: pl.DataFrame, *, title: str | None = None) -> go.Figure:
    """One 100 % bar of stance shares.

    Args:
        counts: columns ``label`` (support/deny/query/comment) and ``n``.
        title: optional figure title.
    """
    if counts.is_empty() or counts["n"].sum() == 0:
        return empty_figure("no stance labels")
    total = counts["n"].sum()
    by_label = dict(zip(counts["label"].to_list(), counts["n"].to_list(), strict=True))
    fig = go.Figure()
    for label in [*STANCE_ORDER, *sorted(set(by_label) - set(STANCE_ORDER))]:
        n = by_label.get(label, 0)
        if not n:
            continue
        share = n / total
        fig.add_bar(
            y=["toward the article"], x=[share], name=label, orientation="h",
            marker_color=STANCE_COLOURS.get(label, UNKNOWN_COLOUR),
            text=[f"{label} {_pct(share)}" if share >= 0.08 else ""], textposition="inside",
            insidetextanchor="middle", hovertemplate=f"{label}: {n} of {total} ({_pct(share)})<extra></extra>",
            customdata=[label],  # the raw label, for click handlers
        )
    fig.update_layout(barmode="stack", showlegend=True, legend={"orientation": "h", "y": -0.35, "traceorder": "normal"})
    fig.update_xaxes(range=[0, 1], tickformat=".0%", showgrid=False)
    fig.update_yaxes(showticklabels=False)
    return _base(fig, height=140 if not title else 170, title=title)


def stance_by_depth(frame: pl.DataFrame, *, title: str | None = None) -> go.Figure:
    """Stance shares per reply depth (stacked horizontal bars, depth 1 at the top).

    Args:
        frame: columns ``depth``, ``label``, ``n``.
        title: optional figure title.
    """
    if frame.is_empty():
        return empty_figure("no stance labels")
    totals = frame.group_by("depth").agg(pl.col("n").sum().alias("total"))
    frame = frame.join(totals, on="depth").with_columns((pl.col("n") / pl.col("total")).alias("share"))
    depths = sorted(frame["depth"].unique().to_list())
    fig = go.Figure()
    for label in STANCE_ORDER:
        part = frame.filter(pl.col("label") == label)
        if part.is_empty():
            continue
        fig.add_bar(
            y=[f"depth {d}" for d in part["depth"].to_list()], x=part["share"].to_list(), name=label,
            orientation="h", marker_color=STANCE_COLOURS[label],
            # [n, label, depth, n at this depth]: hover text and click handlers
            customdata=[[n, label, d, t] for n, d, t in part.select("n", "depth", "total").iter_rows()],
            hovertemplate=f"{label}: %{{customdata[0]}} of %{{customdata[3]}} comments (%{{x:.0%}})<extra>%{{y}}</extra>",
        )
    fig.update_layout(barmode="stack", showlegend=False)
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    fig.update_yaxes(categoryorder="array", categoryarray=[f"depth {d}" for d in reversed(depths)])
    return _base(fig, height=60 + 26 * len(depths), title=title)


def frame_profile(profile: pl.DataFrame, *, title: str | None = None) -> go.Figure:
    """Mirrored bars: the article's frame shares to the left, the readers' to the right.

    Args:
        profile: columns ``frame``, ``p_article``, ``p_comments`` (shares summing to 1 each),
            optionally ``dominant_article`` / ``dominant_comments`` (booleans, marked with ●).
        title: optional figure title.
    """
    if profile.is_empty():
        return empty_figure("no frame hits")
    profile = profile.sort("p_article", descending=False)
    from analyzer.views.frames import frame_definition, frame_label

    names = []
    for row in profile.iter_rows(named=True):
        marks = ("●" if row.get("dominant_article") else "○") + ("●" if row.get("dominant_comments") else "○")
        label = plot_text(frame_label(row["frame"]), 40)
        names.append(f"{label} {marks}" if "dominant_article" in row else label)
    frames = profile["frame"].to_list()
    definitions = [plot_text(frame_definition(f), 120) for f in frames]
    fig = go.Figure()
    # customdata: [share, frame id, definition]; the frame id is for click handlers.
    fig.add_bar(
        # p is null on a side without any frame hit (no profile there): no bar, not a zero.
        y=names, x=[None if v is None else -v for v in profile["p_article"].to_list()], name="article", orientation="h",
        marker_color=ARTICLE_COLOUR,
        customdata=[[p, f, d] for p, f, d in zip(profile["p_article"].to_list(), frames, definitions, strict=True)],
        hovertemplate="article: %{customdata[0]:.0%}<br>%{customdata[2]}<extra>%{y}</extra>",
    )
    fig.add_bar(
        y=names, x=profile["p_comments"].to_list(), name="readers", orientation="h",
        marker_color=COMMENTS_COLOUR,
        customdata=[[p, f, d] for p, f, d in zip(profile["p_comments"].to_list(), frames, definitions, strict=True)],
        hovertemplate="readers: %{x:.0%}<br>%{customdata[2]}<extra>%{y}</extra>",
    )
    top = max(0.05, _max_float(profile["p_article"]), _max_float(profile["p_comments"]))
    step = 0.1 if top > 0.25 else 0.05
    ticks = [round(step * k, 2) for k in range(-int(top / step) - 1, int(top / step) + 2)]
    fig.update_layout(barmode="overlay", bargap=0.25, legend={"orientation": "h", "y": -0.12})
    fig.update_xaxes(tickvals=ticks, ticktext=[_pct(abs(t)) for t in ticks], zeroline=True,
                     zerolinecolor="#444", range=[-top * 1.1, top * 1.1])
    fig.add_annotation(text="◀ article", x=0, xref="paper", y=1.02, yref="paper", showarrow=False,
                       xanchor="left", font={"color": ARTICLE_COLOUR})
    fig.add_annotation(text="readers ▶", x=1, xref="paper", y=1.02, yref="paper", showarrow=False,
                       xanchor="right", font={"color": COMMENTS_COLOUR})
    fig = _base(fig, height=90 + 28 * profile.height, title=title)
    fig.update_layout(margin={"t": 50 if title else 28})
    return fig


def keyness_bars(keyness: pl.DataFrame, *, top: int = 10, title: str | None = None) -> go.Figure:
    """Terms readers use more (z > 0, right) or less (z < 0, left) than the article.

    Args:
        keyness: the KEYNESS frame of one article (``term``, ``z``, ``n_comments``, ``n_article``).
        top: terms shown on each side.
        title: optional figure title.

    References:
        Monroe, Colaresi, Quinn (2008), Fightin' Words, Political Analysis 16(4).
    """
    if keyness.is_empty():
        return empty_figure("no keyness terms")
    keyness = keyness.filter(pl.col("z").is_not_null() & pl.col("z").is_finite())
    more = keyness.filter(pl.col("z") > 0).sort("z", descending=True).head(top)
    less = keyness.filter(pl.col("z") < 0).sort("z").head(top)
    shown = pl.concat([less.reverse(), more.reverse()]) if not (more.is_empty() and less.is_empty()) else keyness.head(0)
    if shown.is_empty():
        return empty_figure("no term stands out")
    shown = shown.sort("z")
    colours = [COMMENTS_COLOUR if z > 0 else ARTICLE_COLOUR for z in shown["z"].to_list()]
    fig = go.Figure(go.Bar(
        y=[plot_text(t, 40) for t in shown["term"].to_list()], x=shown["z"].to_list(), orientation="h",
        marker_color=colours,
        # [readers' count, article's count, the raw term (for click handlers)]
        customdata=list(zip(shown["n_comments"].to_list(), shown["n_article"].to_list(), shown["term"].to_list(),
                            strict=True)),
        hovertemplate="z = %{x:.1f}<br>readers %{customdata[0]}× · article %{customdata[1]}×<extra>%{y}</extra>",
    ))
    fig.update_xaxes(title_text="◀ article says more · z · readers say more ▶", zeroline=True, zerolinecolor="#444")
    fig.update_yaxes(categoryorder="array", categoryarray=[plot_text(t, 40) for t in shown["term"].to_list()])
    return _base(fig, height=80 + 22 * shown.height, title=title)


def thread_icicle(nodes: pl.DataFrame, *, root_label: str = "article", title: str | None = None,
                  selected: str | None = None) -> go.Figure:
    """The reply tree as an icicle (see :func:`thread_icicle_data`)."""
    return go.Figure(thread_icicle_data(nodes, root_label=root_label, title=title, selected=selected))


def thread_icicle_data(nodes: pl.DataFrame, *, root_label: str = "article", title: str | None = None,
                       selected: str | None = None) -> dict[str, Any]:
    """The reply tree as an icicle, as plain data: the article on the left, replies to the right.

    Args:
        nodes: one row per drawn node with ``comment_id``, ``parent_id`` (null = reply to the
            article), ``value`` (subtree size, the node included), ``colour`` (CSS colour),
            ``is_ghost`` and ``hover`` (already safe text, see :func:`plot_text`).
        root_label: text of the root box.
        title: optional figure title.
        selected: a comment id whose box gets the :data:`SELECTED_LINE` outline (ignored when it
            is not drawn).

    The node ids are the comment ids, so a click returns the comment id in ``point["id"]``.
    The trace's ``meta`` holds ``highlight`` (the outline style) and ``selected`` (index and own
    line of the outlined box, or None), so a client can move the outline without a new figure
    (the dashboard's clientside ``highlight`` callback does).
    Values follow ``branchvalues="total"``: a parent's box is its whole subtree, so nodes left
    out for speed still occupy their share of space in their parent.
    """
    if nodes.is_empty():
        return empty_figure("no comments in this thread").to_plotly_json()  # type: ignore[no-any-return]
    root = "~article"
    ids = [root, *nodes["comment_id"].to_list()]
    parents = ["", *[p if p is not None else root for p in nodes["parent_id"].to_list()]]
    total = int(nodes.filter(pl.col("parent_id").is_null())["value"].sum())
    values = [max(total, 1), *nodes["value"].to_list()]
    ghosts = nodes["is_ghost"].fill_null(False).to_list()
    labels = [plot_text(root_label, 60), *["ghost" if g else "" for g in ghosts]]
    colours = ["#f7f7f7", *nodes["colour"].to_list()]
    line_colours = ["#999", *["#888" if g else "#ffffff" for g in ghosts]]
    line_widths: list[float] = [1, *[2 if g else 0.5 for g in ghosts]]
    hover = ["the article", *nodes["hover"].to_list()]
    chosen = None
    if selected is not None and selected in ids[1:]:
        i = ids.index(selected)
        chosen = {"index": i, "color": line_colours[i], "width": line_widths[i]}
        line_colours[i], line_widths[i] = SELECTED_COLOUR, SELECTED_WIDTH
    icicle = {
        "type": "icicle", "ids": ids, "parents": parents, "values": values, "labels": labels,
        "branchvalues": "total", "marker": {"colors": colours, "line": {"color": line_colours, "width": line_widths}},
        "meta": {"highlight": SELECTED_LINE, "selected": chosen},
        "hovertext": hover, "hoverinfo": "text", "textinfo": "label", "sort": False,
        "tiling": {"orientation": "h", "pad": 1}, "maxdepth": -1,
        # No path bar: drawn while a click zooms it emits NaN paths (console errors in Chromium);
        # the dashboard has a "whole tree" button instead, which sends the figure at this level.
        "pathbar": {"visible": False}, "level": root,
    }
    return _spec([icicle], {}, height=560, title=title)


def depth_profile(levels: pl.DataFrame, *, title: str | None = None) -> go.Figure:
    """L_k: comments per depth (see :func:`depth_profile_data`)."""
    return go.Figure(depth_profile_data(levels, title=title))


def depth_profile_data(levels: pl.DataFrame, *, title: str | None = None) -> dict[str, Any]:
    """L_k: comments per depth, with ghosts and visible only, as plain data.

    Args:
        levels: columns ``depth``, ``n_all`` (ghosts counted) and ``n_visible``.
        title: optional figure title.
    """
    if levels.is_empty():
        return empty_figure("no levels").to_plotly_json()  # type: ignore[no-any-return]
    depths = levels["depth"].to_list()
    traces: list[dict[str, Any]] = [{
        "type": "bar", "x": depths, "y": levels["n_visible"].to_list(), "name": "visible",
        "marker": {"color": COMMENTS_COLOUR}, "hovertemplate": "depth %{x}: %{y} visible<extra></extra>"}]
    ghosts = [a - v for a, v in zip(levels["n_all"].to_list(), levels["n_visible"].to_list(), strict=True)]
    if any(g > 0 for g in ghosts):
        traces.append({"type": "bar", "x": depths, "y": ghosts, "name": "ghosts (missing)",
                       "marker": {"color": "#ffffff", "line": {"color": "#888", "width": 1.5}},
                       "hovertemplate": "depth %{x}: %{y} ghosts<extra></extra>"})
    layout = {"barmode": "stack", "legend": {"orientation": "h", "y": -0.3},
              "xaxis": {"title": {"text": "depth k"}, "dtick": 1},
              "yaxis": {"title": {"text": "L_k"}, **count_axis(_max_float(levels["n_all"]))}}
    return _spec(traces, layout, height=240, title=title)


def latency_histogram(seconds: Sequence[float], *, title: str | None = None) -> go.Figure:
    """Reply latency (see :func:`latency_histogram_data`)."""
    return go.Figure(latency_histogram_data(seconds, title=title))


def latency_histogram_data(seconds: Sequence[float], *, title: str | None = None) -> dict[str, Any]:
    """Reply latency τ = t(v) − t(parent) on a log scale (minutes), as plain data.

    References:
        Kaltenbrunner et al. (2007), Description and prediction of Slashdot activity.
    """
    values = [s for s in seconds if s is not None and math.isfinite(s) and s > 0]
    if not values:
        return empty_figure("no timestamps: reply latency unknown").to_plotly_json()  # type: ignore[no-any-return]
    logs = [math.log10(s / 60) for s in values]
    ticks = [t for t in range(-2, 6) if min(logs) - 1 <= t <= max(logs) + 1]
    labels = {-2: "0.6 s", -1: "6 s", 0: "1 min", 1: "10 min", 2: "1.7 h", 3: "17 h", 4: "7 d", 5: "69 d"}
    histogram = {"type": "histogram", "x": logs, "nbinsx": 30, "marker": {"color": COMMENTS_COLOUR},
                 "hovertemplate": "%{y} replies<extra></extra>"}
    layout = {"xaxis": {"title": {"text": "reply latency (log scale)"}, "tickvals": ticks,
                        "ticktext": [labels[t] for t in ticks]},
              "yaxis": {"title": {"text": "replies"}, "tickformat": "d", "rangemode": "tozero"}}
    return _spec([histogram], layout, height=240, title=title)


def domain_bars(domains: pl.DataFrame, *, top: int = 25, title: str | None = None) -> go.Figure:
    """Domains by number of links (see :func:`domain_bars_data`)."""
    return go.Figure(domain_bars_data(domains, top=top, title=title))


def domain_bars_data(domains: pl.DataFrame, *, top: int = 25, title: str | None = None) -> dict[str, Any]:
    """Domains by number of links; rated domains in colour, unrated in grey; as plain data.

    Args:
        domains: columns ``domain``, ``n_links``, ``rated`` (bool) and optionally ``rating_text``.
        top: domains shown.
        title: optional figure title.
    """
    if domains.is_empty():
        return empty_figure("no links").to_plotly_json()  # type: ignore[no-any-return]
    shown = domains.sort(["n_links", "domain"], descending=[True, False]).head(top).reverse()
    rated = shown["rated"].fill_null(False).to_list()
    ratings = shown["rating_text"].to_list() if "rating_text" in shown.columns else [None] * shown.height
    bars = {
        "type": "bar", "y": [plot_text(d, 60) for d in shown["domain"].to_list()], "x": shown["n_links"].to_list(),
        "orientation": "h", "marker": {"color": ["#5e3c99" if r else "#bababa" for r in rated]},
        # customdata[0] is the raw domain, for click handlers (labels are escaped and may be cut).
        "customdata": [[d, plot_text(r or "not rated by any installed list", 120)]
                       for d, r in zip(shown["domain"].to_list(), ratings, strict=True)],
        "hovertemplate": "%{x} links<br>%{customdata[1]}<extra>%{y}</extra>",
    }
    layout = {"xaxis": {"title": {"text": "links"}, **count_axis(_max_float(shown["n_links"]))},
              "yaxis": {"type": "category"}}
    return _spec([bars], layout, height=80 + 22 * shown.height, title=title)


def link_depths(frame: pl.DataFrame, *, title: str | None = None) -> go.Figure:
    """Links per reply depth (see :func:`link_depths_data`)."""
    return go.Figure(link_depths_data(frame, title=title))


def link_depths_data(frame: pl.DataFrame, *, title: str | None = None) -> dict[str, Any]:
    """Where in the thread links appear: links per reply depth, as plain data.

    Args:
        frame: columns ``depth`` and ``n_links``.
        title: optional figure title.
    """
    if frame.is_empty():
        return empty_figure("no links").to_plotly_json()  # type: ignore[no-any-return]
    bars = {"type": "bar", "x": frame["depth"].to_list(), "y": frame["n_links"].to_list(),
            "marker": {"color": "#5e3c99"}, "hovertemplate": "depth %{x}: %{y} links<extra></extra>"}
    layout = {"xaxis": {"title": {"text": "depth of the linking comment"}, "dtick": 1},
              "yaxis": {"title": {"text": "links"}, **count_axis(_max_float(frame["n_links"]))}}
    return _spec([bars], layout, height=220, title=title)


def article_scatter(
    table: pl.DataFrame, *, x: str, y: str, labels: Mapping[str, str] | None = None, title: str | None = None,
    shares: frozenset[str] = frozenset(), counts: frozenset[str] = frozenset(),
) -> go.Figure:
    """One point per article (see :func:`article_scatter_data`)."""
    return go.Figure(article_scatter_data(table, x=x, y=y, labels=labels, title=title, shares=shares, counts=counts))


def article_scatter_data(
    table: pl.DataFrame, *, x: str, y: str, labels: Mapping[str, str] | None = None, title: str | None = None,
    shares: frozenset[str] = frozenset(), counts: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """One point per article, as plain data; the article id travels in ``customdata`` for click handling.

    Args:
        table: one row per article with ``article_id``, ``title``, ``n_visible`` and the columns ``x`` and ``y``.
        x: column on the x axis.
        y: column on the y axis.
        labels: axis titles by column name.
        title: optional figure title.
        shares: columns holding shares (axis 0-100 %, never beyond).
        counts: columns holding counts (whole-number ticks, never below 0).

    Ranges are set, not left to plotly: with one article plotly would invent a range such as
    -1 to 3 comments or -50 % to 150 %.
    """
    labels = dict(labels or {})
    if table.is_empty() or x not in table.columns or y not in table.columns:
        return empty_figure("nothing to plot").to_plotly_json()  # type: ignore[no-any-return]
    points = table.filter(pl.col(x).is_not_null() & pl.col(y).is_not_null())
    if points.is_empty():
        return empty_figure(  # type: ignore[no-any-return]
            f"no article has both {labels.get(x, x)} and {labels.get(y, y)}").to_plotly_json()
    sizes = [6 + 3 * math.log1p(max(n or 0, 0)) for n in points["n_visible"].to_list()]
    scatter = {
        "type": "scatter", "x": points[x].to_list(), "y": points[y].to_list(), "mode": "markers",
        "marker": {"size": sizes, "color": COMMENTS_COLOUR, "opacity": 0.6, "line": {"width": 0.5, "color": "#fff"}},
        "customdata": points["article_id"].to_list(),
        "hovertext": [f"{plot_text(t or a, 80)}<br>{n} comments" for t, a, n in
                      zip(points["title"].to_list(), points["article_id"].to_list(), points["n_visible"].to_list(),
                          strict=True)],
        "hoverinfo": "text",
    }
    layout = {"xaxis": {"title": {"text": html.escape(labels.get(x, x))}, **_axis(points[x], x in shares, x in counts)},
              "yaxis": {"title": {"text": html.escape(labels.get(y, y))}, **_axis(points[y], y in shares, y in counts)}}
    return _spec([scatter], layout, height=340, title=title)


def _axis(values: pl.Series, share: bool, count: bool) -> dict[str, Any]:
    """A sensible range and tick format for one scatter axis (see :func:`article_scatter`)."""
    low = float(values.cast(pl.Float64).min() or 0.0)  # type: ignore[arg-type]
    high = float(values.cast(pl.Float64).max() or 0.0)  # type: ignore[arg-type]
    if share:
        return {"range": [-0.03, 1.03], "tickformat": ".0%"}
    span = high - low
    pad = span * 0.08 if span > 0 else max(1.0, abs(high) * 0.5)
    low, high = low - pad, high + pad
    if count:
        return {"range": [max(-0.5, low), max(high, 1.5)], "tickformat": "d", "rangemode": "tozero"}
    return {"range": [low, high]}


def author_network(nodes: pl.DataFrame, edges: pl.DataFrame, *, title: str | None = None) -> go.Figure:
    """Who replied to whom: authors on a circle, a line per replying pair, red as it disagrees.

    Args:
        nodes: ``author``, ``x``, ``y``, ``n_replies`` (see
            :func:`analyzer.views.participants.network_layout`).
        edges: reply pairs between drawn authors: ``author``, ``replied_to``, ``n``, ``n_deny``.
        title: optional figure title.

    A line's width grows with the replies of the pair (both directions drawn on top of each
    other); its colour goes from grey (no denial) to red (every labelled reply denies).
    Clicking an author returns the name in ``customdata``.
    """
    if nodes.is_empty():
        return empty_figure("no replies between named authors")
    where = {a: (x, y) for a, x, y in nodes.select("author", "x", "y").iter_rows()}
    traces: list[dict[str, Any]] = []
    top = max(1, int(_max_float(edges["n"]))) if not edges.is_empty() else 1
    # Lines are grouped into a few traces by deny share and width (one trace per line made a
    # 40-author corpus network hundreds of traces: slow to build, send and draw).
    groups: dict[tuple[int, int], tuple[list[float | None], list[float | None]]] = {}
    for author, to, n, deny in edges.select("author", "replied_to", "n", "n_deny").iter_rows():
        (x0, y0), (x1, y1) = where[author], where[to]
        key = (min(4, int(5 * (deny / n if n else 0.0))), min(4, int(5 * n / (top + 1))))
        xs, ys = groups.setdefault(key, ([], []))
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    for (red_step, width_step), (xs, ys) in sorted(groups.items()):
        share = red_step / 4
        traces.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "hoverinfo": "skip", "showlegend": False,
                       "line": {"width": 0.8 + 1.3 * width_step,
                                "color": f"rgba({int(120 + 135 * share)},{int(120 * (1 - share))},"
                                         f"{int(120 * (1 - share))},0.55)"}})
    biggest = max(1.0, _max_float(nodes["n_replies"]))
    sizes = [8 + 22 * math.sqrt(n / biggest) for n in nodes["n_replies"].to_list()]
    traces.append({
        "type": "scatter", "x": nodes["x"].to_list(), "y": nodes["y"].to_list(), "mode": "markers+text",
        "showlegend": False, "text": [plot_text(a, 18) for a in nodes["author"].to_list()],
        "textposition": "top center",
        "marker": {"size": sizes, "color": COMMENTS_COLOUR, "line": {"width": 1, "color": "#fff"}},
        "customdata": nodes["author"].to_list(),
        "hovertext": [f"{plot_text(a, 60)}: {n} replies given or received" for a, n in
                      nodes.select("author", "n_replies").iter_rows()], "hoverinfo": "text",
    })
    layout = {"xaxis": {"visible": False, "range": [-1.35, 1.35]},
              "yaxis": {"visible": False, "range": [-1.25, 1.3], "scaleanchor": "x"}}
    return _figure(traces, layout, height=520, title=title)


def share_bars(frame: pl.DataFrame, *, label: str, title: str | None = None, colour: str = COMMENTS_COLOUR) -> go.Figure:
    """Horizontal bars of shares with their Wilson interval and "k of n" (one bar per row).

    Args:
        frame: ``label`` column named by ``label``, ``n``, ``n_total``, ``share``, ``ci_low``, ``ci_high``.
        label: the column holding the bar names; its raw value travels in ``customdata``.
        title: optional figure title.
    """
    if frame.is_empty():
        return empty_figure("nothing to show")
    shown = frame.reverse()
    names = shown[label].to_list()
    share = shown["share"].to_list()
    # The counts go into the axis labels, not onto the bars, where they would collide with
    # the interval whiskers.
    ticks = [f"{plot_text(n, 24)}  {100 * v:.0f} % ({k} of {t})" for n, v, k, t in
             zip(names, share, shown["n"].to_list(), shown["n_total"].to_list(), strict=True)]
    bars = {
        "type": "bar", "y": ticks, "x": share, "orientation": "h", "marker": {"color": colour},
        "error_x": {"type": "data", "symmetric": False, "color": "#444", "thickness": 1,
                    "array": [h - s for h, s in zip(shown["ci_high"].to_list(), share, strict=True)],
                    "arrayminus": [s - lo for lo, s in zip(shown["ci_low"].to_list(), share, strict=True)]},
        "customdata": names,
        "hovertemplate": "%{y}<br>95 % CI shown as the whisker<extra></extra>",
    }
    high = _max_float(shown["ci_high"])
    layout = {"xaxis": {"range": [0, min(1.0, high * 1.35 + 0.05)], "tickformat": ".0%"},
              "yaxis": {"type": "category", "automargin": True}}
    return _figure([bars], layout, height=70 + 24 * shown.height, title=title)


def time_series(bins: pl.DataFrame, *, width: str, show: str = "stance", title: str | None = None) -> go.Figure:
    """Comments per hour or day: stacked by stance toward the article, deletions on top.

    Args:
        bins: :func:`analyzer.views.timeline.time_bins` output.
        width: "1h" or "1d" (axis title and hover).
        show: "stance" (stacked by label, unlabelled comments grey) or "volume" (one bar).
        title: optional figure title.

    Counts are integers: the y axis never shows half comments.  A bar's ``customdata`` is
    the bin's start as ISO text, for click handlers.
    """
    if bins.is_empty():
        return empty_figure("no timestamps: the input has no comment times")
    starts = bins["bin_start"].to_list()
    iso = [s.isoformat() for s in starts]
    unit = "hour" if width == "1h" else "day"
    traces: list[dict[str, Any]] = []

    def bar(y: list[Any], name: str, marker: dict[str, Any], hover: str) -> None:
        traces.append({"type": "bar", "x": starts, "y": y, "name": name, "marker": marker, "customdata": iso,
                       "hovertemplate": hover})

    if show == "stance":
        labelled = [0] * bins.height
        for label in STANCE_ORDER:
            column = f"n_{label}"
            if column not in bins.columns:
                continue
            values = bins[column].to_list()
            labelled = [a + b for a, b in zip(labelled, values, strict=True)]
            bar(values, label, {"color": STANCE_COLOURS.get(label, UNKNOWN_COLOUR)},
                f"{label}: %{{y}}<extra>%{{x}}</extra>")
        rest = [max(0, n - k) for n, k in zip(bins["n_comments"].to_list(), labelled, strict=True)]
        if any(rest):
            bar(rest, "no label", {"color": UNKNOWN_COLOUR}, "no label: %{y}<extra>%{x}</extra>")
    else:
        bar(bins["n_comments"].to_list(), "comments", {"color": COMMENTS_COLOUR}, "%{y} comments<extra>%{x}</extra>")
    if int(bins["n_deleted"].sum()):
        bar(bins["n_deleted"].to_list(), "deleted / removed", {"color": "#ffffff", "line": {"color": "#b2182b",
                                                                                           "width": 1.2}},
            "deleted or removed: %{y}<extra>%{x}</extra>")
    top = int(_max_float(bins["n_comments"] + bins["n_deleted"]))
    layout = {"barmode": "stack", "bargap": 0.05, "legend": {"orientation": "h", "y": -0.25},
              "xaxis": {"title": {"text": f"per {unit} (UTC)"}},
              "yaxis": {"title": {"text": f"comments per {unit}"}, **count_axis(top)}}
    return _figure(traces, layout, height=300, title=title)


def campaign_timeline(members: pl.DataFrame, clusters: pl.DataFrame, *, title: str | None = None) -> go.Figure:
    """Campaigns over time: one row per near-duplicate cluster, a dot per copy at its time.

    Args:
        members: ``cluster_id``, ``created_at``, ``author``, ``article_id`` (one row per copy;
            :func:`analyzer.views.coordination.campaign_timeline`).
        clusters: ``cluster_id``, ``size``, ``n_accounts``, ``medoid_text`` of the drawn clusters.
        title: optional figure title.

    A campaign posted by many accounts within hours shows as a tight row of dots; organic
    repetition ("Danke!" is excluded by the stage's minimum length) spreads over weeks.  A
    dot's ``customdata`` is its cluster id, for click handlers.
    """
    if members.is_empty():
        return empty_figure("no near-identical comments with a time")
    order = clusters.filter(pl.col("cluster_id").is_in(members["cluster_id"].unique().implode()))
    names = {c: f"campaign {c} ({n} copies, {a} accounts)" for c, n, a in
             order.select("cluster_id", "size", "n_accounts").iter_rows()}
    texts = {c: plot_text(t, 90) for c, t in order.select("cluster_id", "medoid_text").iter_rows()}
    rows = [names.get(c, f"campaign {c}") for c in members["cluster_id"].to_list()]
    hover = [f"{plot_text(a, 40) or 'anonymous'} · {plot_text(art, 40)}<br>{texts.get(c, '')}"
             for c, a, art in members.select("cluster_id", "author", "article_id").iter_rows()]
    fig = go.Figure(go.Scatter(
        x=members["created_at"].to_list(), y=rows, mode="markers", customdata=members["cluster_id"].to_list(),
        marker={"size": 9, "color": COMMENTS_COLOUR, "opacity": 0.75, "line": {"width": 0.5, "color": "#fff"}},
        hovertext=hover, hoverinfo="text+x",
    ))
    categories = [names[c] for c in order["cluster_id"].to_list() if c in names]
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(categories)), automargin=True)
    fig.update_xaxes(title_text="time (UTC)")
    return _base(fig, height=120 + 28 * len(categories), title=title)


def rate_bars(rates: pl.DataFrame, *, label: str = "group", custom: str | None = None, colour: str = "#b2182b",
              title: str | None = None) -> go.Figure:
    """Rates with their 95 % intervals as horizontal bars (removal rate by depth, …).

    Args:
        rates: ``label`` column, ``removal_rate`` (or ``share``), ``ci_low``, ``ci_high``,
            ``n_removed``/``n_comments`` (or ``n``/``n_total``) and ``too_few``.
        label: the column naming each bar.
        custom: the column a click returns in ``customdata`` (default: ``label``).
        colour: the bars' colour (red for removals).
        title: optional figure title.

    Groups with too few comments are drawn grey and say so in their hover text.
    """
    value = "removal_rate" if "removal_rate" in rates.columns else "share"
    k, n = ("n_removed", "n_comments") if "n_removed" in rates.columns else ("n", "n_total")
    shown = rates.filter(pl.col(value).is_not_null())
    if shown.is_empty():
        return empty_figure("nothing to show")
    labels = [plot_text(str(x), 40) for x in shown[label].to_list()]
    values = shown[value].to_list()
    lows = [v - (lo if lo is not None else v) for v, lo in zip(values, shown["ci_low"].to_list(), strict=True)]
    highs = [(hi if hi is not None else v) - v for v, hi in zip(values, shown["ci_high"].to_list(), strict=True)]
    few = shown["too_few"].to_list()
    hover = [f"{_pct(v)} ({a} of {b}){' — too few for a share' if f else ''}"
             for v, a, b, f in zip(values, shown[k].to_list(), shown[n].to_list(), few, strict=True)]
    fig = go.Figure(go.Bar(
        x=values, y=labels, orientation="h", customdata=shown[custom or label].to_list(),
        marker_color=["#bbbbbb" if f else colour for f in few],
        error_x={"type": "data", "symmetric": False, "array": highs, "arrayminus": lows, "color": "#555"},
        hovertext=hover, hoverinfo="text+y",
    ))
    fig.update_xaxes(tickformat=".0%", rangemode="tozero", range=[0, min(1.0, max(0.05, max(
        v + h for v, h in zip(values, highs, strict=True)) * 1.05))])
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(labels)), automargin=True)
    return _base(fig, height=80 + 24 * shown.height, title=title)
