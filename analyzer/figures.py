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

import html
import math
import re
from collections.abc import Mapping, Sequence

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
    "depth_profile",
    "latency_histogram",
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
            orientation="h", marker_color=STANCE_COLOURS[label], customdata=part["n"].to_list(),
            hovertemplate=f"{label}: %{{customdata}} comments (%{{x:.0%}})<extra>%{{y}}</extra>",
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
    names = []
    for row in profile.iter_rows(named=True):
        marks = ("●" if row.get("dominant_article") else "○") + ("●" if row.get("dominant_comments") else "○")
        names.append(f"{plot_text(row['frame'], 40)} {marks}" if "dominant_article" in row else plot_text(row["frame"], 40))
    fig = go.Figure()
    fig.add_bar(
        y=names, x=[-v for v in profile["p_article"].to_list()], name="article", orientation="h",
        marker_color=ARTICLE_COLOUR, customdata=profile["p_article"].to_list(),
        hovertemplate="article: %{customdata:.0%}<extra>%{y}</extra>",
    )
    fig.add_bar(
        y=names, x=profile["p_comments"].to_list(), name="readers", orientation="h",
        marker_color=COMMENTS_COLOUR, hovertemplate="readers: %{x:.0%}<extra>%{y}</extra>",
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
        customdata=list(zip(shown["n_comments"].to_list(), shown["n_article"].to_list(), strict=True)),
        hovertemplate="z = %{x:.1f}<br>readers %{customdata[0]}× · article %{customdata[1]}×<extra>%{y}</extra>",
    ))
    fig.update_xaxes(title_text="◀ article says more · z · readers say more ▶", zeroline=True, zerolinecolor="#444")
    fig.update_yaxes(categoryorder="array", categoryarray=[plot_text(t, 40) for t in shown["term"].to_list()])
    return _base(fig, height=80 + 22 * shown.height, title=title)


def thread_icicle(nodes: pl.DataFrame, *, root_label: str = "article", title: str | None = None,
                  selected: str | None = None) -> go.Figure:
    """The reply tree as an icicle: the article on the left, replies to the right.

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
        return empty_figure("no comments in this thread")
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
    fig = go.Figure(go.Icicle(
        ids=ids, parents=parents, values=values, labels=labels, branchvalues="total",
        marker={"colors": colours, "line": {"color": line_colours, "width": line_widths}},
        meta={"highlight": SELECTED_LINE, "selected": chosen},
        hovertext=hover, hoverinfo="text", textinfo="label", sort=False,
        tiling={"orientation": "h", "pad": 1}, maxdepth=-1,
        # The path bar is the way back out of a zoomed branch (a click on a box zooms into it).
        pathbar={"visible": True, "side": "top", "thickness": 20, "edgeshape": ">"},
    ))
    return _base(fig, height=560, title=title)


def depth_profile(levels: pl.DataFrame, *, title: str | None = None) -> go.Figure:
    """L_k: comments per depth, with ghosts and visible only.

    Args:
        levels: columns ``depth``, ``n_all`` (ghosts counted) and ``n_visible``.
        title: optional figure title.
    """
    if levels.is_empty():
        return empty_figure("no levels")
    fig = go.Figure()
    fig.add_bar(x=levels["depth"].to_list(), y=levels["n_visible"].to_list(), name="visible",
                marker_color=COMMENTS_COLOUR, hovertemplate="depth %{x}: %{y} visible<extra></extra>")
    ghosts = [a - v for a, v in zip(levels["n_all"].to_list(), levels["n_visible"].to_list(), strict=True)]
    if any(g > 0 for g in ghosts):
        fig.add_bar(x=levels["depth"].to_list(), y=ghosts, name="ghosts (missing)", marker_color="#ffffff",
                    marker_line={"color": "#888", "width": 1.5},
                    hovertemplate="depth %{x}: %{y} ghosts<extra></extra>")
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.3})
    fig.update_xaxes(title_text="depth k", dtick=1)
    fig.update_yaxes(title_text="L_k")
    return _base(fig, height=240, title=title)


def latency_histogram(seconds: Sequence[float], *, title: str | None = None) -> go.Figure:
    """Reply latency τ = t(v) − t(parent) on a log scale (minutes).

    References:
        Kaltenbrunner et al. (2007), Description and prediction of Slashdot activity.
    """
    values = [s for s in seconds if s is not None and math.isfinite(s) and s > 0]
    if not values:
        return empty_figure("no timestamps: reply latency unknown")
    logs = [math.log10(s / 60) for s in values]
    fig = go.Figure(go.Histogram(x=logs, nbinsx=30, marker_color=COMMENTS_COLOUR,
                                 hovertemplate="%{y} replies<extra></extra>"))
    ticks = [t for t in range(-2, 6) if min(logs) - 1 <= t <= max(logs) + 1]
    labels = {-2: "0.6 s", -1: "6 s", 0: "1 min", 1: "10 min", 2: "1.7 h", 3: "17 h", 4: "7 d", 5: "69 d"}
    fig.update_xaxes(title_text="reply latency (log scale)", tickvals=ticks, ticktext=[labels[t] for t in ticks])
    fig.update_yaxes(title_text="replies")
    return _base(fig, height=240, title=title)


def domain_bars(domains: pl.DataFrame, *, top: int = 25, title: str | None = None) -> go.Figure:
    """Domains by number of links; rated domains in colour, unrated in grey.

    Args:
        domains: columns ``domain``, ``n_links``, ``rated`` (bool) and optionally ``rating_text``.
        top: domains shown.
        title: optional figure title.
    """
    if domains.is_empty():
        return empty_figure("no links")
    shown = domains.sort(["n_links", "domain"], descending=[True, False]).head(top).reverse()
    rated = shown["rated"].fill_null(False).to_list()
    ratings = shown["rating_text"].to_list() if "rating_text" in shown.columns else [None] * shown.height
    fig = go.Figure(go.Bar(
        y=[plot_text(d, 60) for d in shown["domain"].to_list()], x=shown["n_links"].to_list(), orientation="h",
        marker_color=["#5e3c99" if r else "#bababa" for r in rated],
        # customdata[0] is the raw domain, for click handlers (labels are escaped and may be cut).
        customdata=[[d, plot_text(r or "not rated by any installed list", 120)]
                    for d, r in zip(shown["domain"].to_list(), ratings, strict=True)],
        hovertemplate="%{x} links<br>%{customdata[1]}<extra>%{y}</extra>",
    ))
    fig.update_xaxes(title_text="links")
    fig.update_yaxes(type="category")
    return _base(fig, height=80 + 22 * shown.height, title=title)


def link_depths(frame: pl.DataFrame, *, title: str | None = None) -> go.Figure:
    """Where in the thread links appear: links per reply depth.

    Args:
        frame: columns ``depth`` and ``n_links``.
        title: optional figure title.
    """
    if frame.is_empty():
        return empty_figure("no links")
    fig = go.Figure(go.Bar(x=frame["depth"].to_list(), y=frame["n_links"].to_list(), marker_color="#5e3c99",
                           hovertemplate="depth %{x}: %{y} links<extra></extra>"))
    fig.update_xaxes(title_text="depth of the linking comment", dtick=1)
    fig.update_yaxes(title_text="links")
    return _base(fig, height=220, title=title)


def article_scatter(
    table: pl.DataFrame, *, x: str, y: str, labels: Mapping[str, str] | None = None, title: str | None = None
) -> go.Figure:
    """One point per article; the article id travels in ``customdata`` for click handling.

    Args:
        table: one row per article with ``article_id``, ``title``, ``n_visible`` and the columns ``x`` and ``y``.
        x: column on the x axis.
        y: column on the y axis.
        labels: axis titles by column name.
        title: optional figure title.
    """
    labels = dict(labels or {})
    if table.is_empty() or x not in table.columns or y not in table.columns:
        return empty_figure("nothing to plot")
    points = table.filter(pl.col(x).is_not_null() & pl.col(y).is_not_null())
    if points.is_empty():
        return empty_figure(f"no article has both {labels.get(x, x)} and {labels.get(y, y)}")
    sizes = [6 + 3 * math.log1p(max(n or 0, 0)) for n in points["n_visible"].to_list()]
    fig = go.Figure(go.Scatter(
        x=points[x].to_list(), y=points[y].to_list(), mode="markers",
        marker={"size": sizes, "color": COMMENTS_COLOUR, "opacity": 0.6, "line": {"width": 0.5, "color": "#fff"}},
        customdata=points["article_id"].to_list(),
        hovertext=[f"{plot_text(t or a, 80)}<br>{n} comments" for t, a, n in
                   zip(points["title"].to_list(), points["article_id"].to_list(), points["n_visible"].to_list(), strict=True)],
        hoverinfo="text",
    ))
    fig.update_xaxes(title_text=html.escape(labels.get(x, x)))
    fig.update_yaxes(title_text=html.escape(labels.get(y, y)))
    return _base(fig, height=340, title=title)
