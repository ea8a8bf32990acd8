"""Thread: the reply tree (icicle), a clicked comment with its evidence, L_k and reply latency."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import polars as pl
from dash import dcc, html

from analyzer.outputs import figures
from analyzer.views.comments import page_of
from analyzer.views.frames import frame_definition, frame_label
from dashboards import conversation, ids
from dashboards.components import (
    article_picker,
    graph,
    not_found,
    notice,
    placeholder,
    section,
    stance_legend,
    user_text,
)
from dashboards.data import RunData, StageNote
from dashboards.state import current_data, page_state
from dashboards.treeview import MAX_TREE_NODES, ColourBy, tree_nodes

PATH = "/thread"
NAME = "Thread"
TITLE = "Thread · analyzer"
ORDER = 2

COLOUR_CHOICES = {"article": "stance toward the article", "parent": "stance toward the parent"}
MAX_DETAIL_CHARS = 20_000  # a 1 MB comment is shown cut, with a note


def colour_choice(value: Any) -> ColourBy:
    return "parent" if value == "parent" else "article"


def tree(data: RunData, article_id: str, colour_by: ColourBy, selected: str | None = None) -> tuple[Any, list[Any]]:
    """The icicle figure (``selected`` outlined) and the notes shown above it."""
    # The drawable nodes are the slow part (subtree sizes, hover texts): kept per colouring.
    nodes, n_folded = data.rendered(("tree_nodes", article_id, colour_by), lambda: tree_nodes(
        data.comments(article_id), data.stance(article_id), colour_by=colour_by))
    # The figure without an outline, as plain JSON-ready data, is kept too: building and
    # validating a plotly figure of 1,500 boxes cost 60-130 ms of CPU per request (cProfile,
    # 5,000-comment thread of the 100k benchmark run); moving the outline is a copy of two lists.
    base = data.rendered(("tree_figure", article_id, colour_by), lambda: figures.thread_icicle_data(
        nodes, root_label=data.display_title(article_id)))
    figure = outline_box(base, selected)
    notes: list[Any] = []
    if n_folded:
        notes.append(notice(f"Large thread: showing the {MAX_TREE_NODES:,} largest branches; {n_folded:,} smaller "
                            f"replies are folded into their parents' boxes (box size still counts them)."))
    if data.stance(article_id) is None:
        notes.append(placeholder(StageNote("stance", "stance.parquet")))
    return figure, notes


def detail(data: RunData, article_id: str, comment_id: str | None) -> list[Any]:
    """The comment panel: parent, the comment with its marked text and stance, its frames, its replies."""
    known = comment_id is not None and data.comment(article_id, comment_id) is not None
    frames = _frames_part(data, article_id, comment_id) if known and comment_id else []
    return conversation.detail(data, article_id, comment_id, extra=frames)


def conversation_view(data: RunData, article_id: str, view: dict[str, Any], selected: str | None) -> tuple[Any, Any]:
    """The conversation list and its "comments 1–100 of 621" line for a view state."""
    collapsed = {c for c in view.get("collapsed") or [] if isinstance(c, str)}
    search = view.get("q") if isinstance(view.get("q"), str) else None
    page = view.get("page")
    page = page if isinstance(page, int) else 0
    # Building a page of 100 rows (about 1,000 components with marked text) is most of a
    # thread page's CPU once the figures are kept: the rows of a view are kept too, without
    # the selection, which is marked on a copy of its one row (every comment opened on the
    # same page reuses the same rows).
    # The rows are plain JSON-ready data (what Dash would send): encoding 100 rows of components
    # called ``to_plotly_json`` on about a thousand of them at every request.
    key = ("conversation", article_id, page, frozenset(collapsed), search)
    rows, info = data.rendered(key, lambda: conversation.listing(data, article_id, page, selected=None,
                                                                 collapsed=collapsed, search=search)[:2])
    return conversation.mark_selected(rows, selected), info


def _frames_part(data: RunData, article_id: str, comment_id: str) -> list[Any]:
    frames = data.comment_frames(article_id, comment_id)
    if frames is None:
        return []
    if frames.is_empty():
        return [html.H5("Frames"), html.P("no frame terms in this comment", className="help")]
    grouped = (frames.explode("matched_lemmas").group_by("frame")
               .agg(pl.col("matched_lemmas").drop_nulls().unique().sort()).sort("frame"))
    return [html.H5("Frames"), html.Ul([html.Li([html.B(frame_label(f), title=frame_definition(f) or None), ": ",
                                                 user_text(", ".join(lemmas))])
                                        for f, lemmas in grouped.iter_rows()])]


def profile(data: RunData, article_id: str) -> tuple[Any, Any]:
    """Depth profile and latency histogram of a thread (built once per article, as plain data)."""
    return data.rendered(("profile", article_id), lambda: (
        figures.depth_profile_data(data.levels(article_id)),
        figures.latency_histogram_data(data.latencies(article_id))))


def outline_box(figure: dict[str, Any], selected: str | None) -> dict[str, Any]:
    """A copy of an icicle figure (:func:`analyzer.outputs.figures.thread_icicle` as plain data)
    with the box of ``selected`` outlined, as the figure builder and the clientside
    ``highlight`` callback do it (the trace's ``meta.selected`` remembers the box's own line)."""
    if selected is None or not figure.get("data"):
        return figure
    trace = figure["data"][0]
    ids_ = list(trace.get("ids") or [])
    marker = trace.get("marker") or {}
    line = marker.get("line") or {}
    if selected not in ids_[1:] or not isinstance(line.get("color"), list | tuple):
        return figure
    i = ids_.index(selected)
    colours, widths = list(line["color"]), list(line["width"])
    meta = dict(trace.get("meta") or {})
    style = meta.get("highlight") or {"color": figures.SELECTED_COLOUR, "width": figures.SELECTED_WIDTH}
    meta["selected"] = {"index": i, "color": colours[i], "width": widths[i]}
    colours[i], widths[i] = style["color"], style["width"]
    new_trace = {**trace, "marker": {**marker, "line": {**line, "color": colours, "width": widths}}, "meta": meta}
    return {**figure, "data": [new_trace, *figure["data"][1:]]}


def layout(a: str | None = None, c: str | None = None, color: str | None = None, q: str | None = None,
           **_query: Any) -> html.Div:
    data = current_data()
    if a is not None and not data.has_article(a):
        return html.Div([dcc.Store(id=page_state("thread"), data={}), not_found(a)])
    article_id = data.resolve_article(a)
    if article_id is None:
        return html.Div([dcc.Store(id=page_state("thread"), data={}), notice("This run has no articles.")])
    colour_by = colour_choice(color)
    comment_id = c if isinstance(c, str) and data.comment(article_id, c) is not None else None
    search = q[:200] if isinstance(q, str) and q.strip() else None
    figure, notes = tree(data, article_id, colour_by, comment_id)
    depth_fig, latency_fig = profile(data, article_id)
    view: dict[str, Any] = {"a": article_id, "page": 0, "collapsed": [], "q": search}
    if comment_id is not None and not search:
        view["page"] = page_of(data.comment_table(article_id), comment_id, conversation.PAGE_SIZE) or 0
    rows, info = conversation_view(data, article_id, view, comment_id)
    return html.Div([
        dcc.Store(id=page_state("thread"), data={"a": article_id, "c": comment_id, "color": colour_by}),
        dcc.Store(id=ids.CONV_VIEW, data=view),
        article_picker(ids.THREAD_PICK, data.picker_options(article_id), article_id),
        html.Div([
            html.Div([
                section("Overview: the reply tree",
                    html.Div([
                        html.Span("Colour by ", className="picker-label"),
                        dcc.RadioItems(id=ids.THREAD_COLOR, value=colour_by, inline=True, className="radio",
                                       options=[{"label": v, "value": k} for k, v in COLOUR_CHOICES.items()]),
                    ], className="picker-row"),
                    html.Div([stance_legend(), html.Button("whole tree", id=ids.THREAD_RESET, n_clicks=0,
                                                           className="btn", title="leave a zoomed branch")],
                             className="legend-row"),
                    html.Div(notes, id=ids.THREAD_NOTE),
                    graph(ids.THREAD_TREE, figure),
                    help_text="The article on the left, replies to the right; a box's height is its subtree. "
                              "Click a box to open the comment here and in the conversation (a click also zooms "
                              "into its branch; “whole tree” goes back)."),
                section("Conversation",
                    html.Div([
                        dcc.Input(id=ids.CONV_SEARCH, type="search", placeholder="search in this thread…",
                                  value=search or "", debounce=True, className="conv-search", maxLength=200),
                        html.Button("◀ previous", id=ids.CONV_PREV, n_clicks=0, className="btn"),
                        html.Span(info, id=ids.CONV_INFO, className="conv-info"),
                        html.Button("next ▶", id=ids.CONV_NEXT, n_clicks=0, className="btn"),
                        dcc.Link("open as a table", href="/comments?" + urlencode({"a": article_id}),
                                 id=ids.THREAD_TO_TABLE, className="btn-link"),
                    ], className="conv-bar"),
                    html.Div(rows, id=ids.CONV_LIST, className="conv-list"),
                    help_text="As the forum shows it: replies indented below their parent; ▾ hides a branch. "
                              "Chips are the stance toward the article; ↩ names the author replied to."),
            ], className="col col-tree"),
            html.Div(section("Comment", html.Div(detail(data, article_id, comment_id), id=ids.THREAD_DETAIL)),
                     className="col col-detail sticky"),
        ], className="side-by-side"),
        html.Div([
            section("Depth profile L_k", graph(ids.THREAD_DEPTH, depth_fig),
                    help_text="Comments per reply depth; white bars are ghosts (missing comments). "
                              "Click a bar to list that depth's comments."),
            section("Reply latency", graph(ids.THREAD_LATENCY, latency_fig),
                    help_text="Time between a comment and its parent, when the input has timestamps."),
        ], className="two-col"),
    ])
