"""Callbacks: validate the input, fetch from the data module, call a page view, return.

Each function below is plain Python (testable without a browser); :func:`register` attaches
them to an app.  Inputs come from the browser and are treated as untrusted: ids are looked up
in the run, unknown ones fall back to a default instead of raising.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, no_update

from analyzer.views import comments as cv
from dashboards import conversation, ids
from dashboards.data import RunData
from dashboards.pages import article as article_page
from dashboards.pages import comments as comments_page
from dashboards.pages import coordination as coordination_page
from dashboards.pages import corpus as corpus_page
from dashboards.pages import labels as labels_page
from dashboards.pages import links as links_page
from dashboards.pages import participants as participants_page
from dashboards.pages import thread as thread_page
from dashboards.pages import timeline as timeline_page
from dashboards.state import current_data, page_state

_MAX_ID_CHARS = 500  # ids from the browser longer than this are not ids


def _clean_id(value: Any) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= _MAX_ID_CHARS else None


def _one(states: Any) -> Any:
    """The page state among the states of an ALL pattern (one page is shown at a time)."""
    if isinstance(states, list):
        return next((s for s in states if isinstance(s, dict)), None)
    return states


def _point(click: Any, key: str) -> str | None:
    """``key`` of the first clicked point of a plotly clickData payload."""
    try:
        return _clean_id(click["points"][0][key])
    except (KeyError, IndexError, TypeError):
        return None


# --- article pickers: options from the server as the reader types -------------------------
# Each picker and the "every article" choice it offers before the articles.
PICKERS: dict[str, tuple[dict[str, str], ...]] = {
    ids.ARTICLE_PICK: (), ids.THREAD_PICK: (),
    ids.LINKS_PICK: ({"label": "All articles", "value": ids.ALL_ARTICLES},),
    ids.COMMENTS_SCOPE: ({"label": "all articles", "value": ids.ALL_ARTICLES},),
    ids.PEOPLE_PICK: ({"label": "all articles (corpus)", "value": ids.ALL_ARTICLES},),
    ids.TIME_PICK: ({"label": "all articles (corpus)", "value": ids.ALL_ARTICLES},),
    ids.LABELS_PICK: ({"label": "all articles (corpus)", "value": ids.ALL_ARTICLES},),
}


def picker_search(data: RunData, picker: str, search: Any, value: Any) -> list[dict[str, str]]:
    """The options of ``picker`` for what the reader typed (the chosen article always kept)."""
    text = search.strip()[:200] if isinstance(search, str) else ""
    return [*PICKERS.get(picker, ()), *data.picker_options(_clean_id(value), text or None)]


# --- corpus ------------------------------------------------------------------------------
def corpus_scatter(data: RunData, x: Any, y: Any, filter_model: Any = None) -> Any:
    x = x if x in corpus_page.AXES else "structural_virality"
    y = y if y in corpus_page.AXES else "link_comment_share"
    return corpus_page.scatter(data, x, y, filter_model)


def corpus_rows(data: RunData, request: Any, last_filter: Any) -> tuple[Any, Any]:
    """A page of grid rows, and the filter model when it changed (it redraws the scatter)."""
    response = corpus_page.rows_page(data, request)
    model = request.get("filterModel") if isinstance(request, dict) else None
    model = model if isinstance(model, dict) and model else None
    return response, (no_update if model == last_filter else model)


def corpus_draw(data: RunData, ready: Any, x: Any, y: Any, filter_model: Any = None) -> Any:
    """The deferred scatter, once the grid said it is ready (else no_update)."""
    if ready is not True:
        return no_update
    x = x if x in corpus_page.AXES else "structural_virality"
    y = y if y in corpus_page.AXES else "link_comment_share"
    return corpus_page.scatter_graph(data, x, y, filter_model)


def corpus_open(data: RunData, trigger: Any, cell: Any, click: Any) -> Any:
    """Where a click on a grid row or a scatter point leads (or no_update)."""
    article_id = None
    if trigger == ids.CORPUS_GRID and isinstance(cell, dict):
        article_id = _clean_id(cell.get("rowId"))
    elif trigger == ids.CORPUS_SCATTER:
        article_id = _point(click, "customdata")
    if article_id is None or data.article(article_id) is None:
        return no_update
    return "/article?" + urlencode({"a": article_id})


# --- article -----------------------------------------------------------------------------
def article_update(data: RunData, value: Any) -> tuple[Any, ...]:
    article_id = data.resolve_article(_clean_id(value))
    head, body, cards, response, state = article_page.render(data, article_id)
    return head, body, cards, response, state


# --- thread ------------------------------------------------------------------------------
def thread_update(data: RunData, trigger: Any, picked: Any, colour: Any, click: Any, state: Any) -> tuple[Any, ...]:
    """Tree, notes, comment detail, depth and latency figures, page state."""
    article_id = data.resolve_article(_clean_id(picked))
    if article_id is None:
        return (no_update,) * 6
    colour_by = thread_page.colour_choice(colour)
    state = state if isinstance(state, dict) else {}
    if trigger == ids.THREAD_TREE:
        comment_id = _point(click, "id")
        if comment_id is None or comment_id.startswith("~"):  # the article box
            return (no_update,) * 6
        new_state = {"a": article_id, "c": comment_id, "color": colour_by}
        return no_update, no_update, thread_page.detail(data, article_id, comment_id), no_update, no_update, new_state
    if trigger == ids.THREAD_COLOR and state.get("a") == article_id:
        comment_id = _clean_id(state.get("c"))
        figure, notes = thread_page.tree(data, article_id, colour_by, comment_id)
        return figure, notes, no_update, no_update, no_update, {"a": article_id, "c": comment_id, "color": colour_by}
    figure, notes = thread_page.tree(data, article_id, colour_by)
    depth_fig, latency_fig = thread_page.profile(data, article_id)
    return (figure, notes, thread_page.detail(data, article_id, None), depth_fig, latency_fig,
            {"a": article_id, "c": None, "color": colour_by})


def conversation_update(data: RunData, trigger: Any, triggered_value: Any, state: Any, search: Any,
                        view: Any) -> tuple[Any, ...]:
    """Conversation list, its info line and view state after a selection, search, page or fold."""
    state = state if isinstance(state, dict) else {}
    article_id = _clean_id(state.get("a"))
    if article_id is None or not data.has_article(article_id):
        return (no_update,) * 3
    view = dict(view) if isinstance(view, dict) and view.get("a") == article_id else {"a": article_id, "page": 0,
                                                                                      "collapsed": [], "q": None}
    collapsed = [c for c in view.get("collapsed") or [] if isinstance(c, str)][:5_000]
    page = view.get("page") if isinstance(view.get("page"), int) else 0
    selected = _clean_id(state.get("c"))
    if trigger == ids.CONV_SEARCH:
        query = search.strip()[:200] if isinstance(search, str) and search.strip() else None
        view.update(q=query, page=0)
    elif trigger == ids.CONV_PREV:
        view["page"] = max(0, page - 1)
    elif trigger == ids.CONV_NEXT:
        view["page"] = page + 1
    elif isinstance(trigger, dict) and trigger.get("type") == ids.CONV_TOGGLE:
        if not triggered_value:  # a toggle was drawn, not clicked
            return (no_update,) * 3
        cid = _clean_id(trigger.get("id"))
        if cid is None:
            return (no_update,) * 3
        collapsed = [c for c in collapsed if c != cid] if cid in collapsed else [*collapsed, cid]
    elif selected is not None and data.comment(article_id, selected) is not None:
        # A comment was chosen (tree, panel, URL): unfold its branch and show its page.
        table = data.comment_table(article_id)
        up = set(cv.ancestors(data.comments(article_id), selected))
        collapsed = [c for c in collapsed if c not in up]
        rows = conversation.rows_for(data, article_id, set(collapsed), view.get("q"))
        found = cv.page_of(rows, selected, conversation.PAGE_SIZE)
        if found is None and view.get("q"):  # not among the search hits: leave the search
            view["q"] = None
            found = cv.page_of(cv.conversation_rows(table, collapsed), selected, conversation.PAGE_SIZE)
        view["page"] = found if found is not None else page
    view["collapsed"] = collapsed
    rows_out, info = thread_page.conversation_view(data, article_id, view, selected)
    n_rows = conversation.rows_for(data, article_id, set(collapsed), view.get("q")).height
    last_page = max(0, (n_rows - 1) // conversation.PAGE_SIZE)
    view["page"] = min(int(view["page"]), last_page)
    return rows_out, info, view


def tree_reset(data: RunData, n_clicks: Any, state: Any) -> Any:
    """The whole tree again (a click on a box zooms into its branch), the selection kept."""
    state = state if isinstance(state, dict) else {}
    article_id = _clean_id(state.get("a"))
    if not n_clicks or article_id is None or not data.has_article(article_id):
        return no_update
    figure, _ = thread_page.tree(data, article_id, thread_page.colour_choice(state.get("color")),
                                 _clean_id(state.get("c")))
    return figure


def open_comment(data: RunData, trigger: Any, triggered_value: Any, state: Any) -> tuple[Any, ...]:
    """A comment clicked in the conversation or the panel: new page state and panel."""
    if not isinstance(trigger, dict) or not triggered_value:
        return (no_update,) * 2
    state = state if isinstance(state, dict) else {}
    article_id = _clean_id(state.get("a"))
    comment_id = _clean_id(trigger.get("id"))
    if article_id is None or comment_id is None or data.comment(article_id, comment_id) is None:
        return (no_update,) * 2
    return {**state, "c": comment_id}, thread_page.detail(data, article_id, comment_id)


# --- links -------------------------------------------------------------------------------
def links_update(data: RunData, trigger: Any, picked: Any, cell: Any, click: Any) -> tuple[Any, ...]:
    """Summary cards, domain bars, grid rows, depth figure, comment list, page state."""
    article_id = links_page.scope_of(picked, data)
    if trigger in (ids.LINKS_GRID, ids.LINKS_DOMAINS):
        if trigger == ids.LINKS_GRID:
            domain = _clean_id(cell.get("rowId")) if isinstance(cell, dict) else None
        else:
            try:
                domain = _clean_id(click["points"][0]["customdata"][0])
            except (KeyError, IndexError, TypeError):
                domain = None
        if domain is None:
            return (no_update,) * 6
        return (no_update,) * 4 + (links_page.domain_comments(data, article_id, domain), {"a": article_id, "d": domain})
    bars, rows, depths = links_page.charts(data, article_id)
    return (links_page.summary(data, article_id), bars, rows, depths, links_page.domain_comments(data, article_id, None),
            {"a": article_id, "d": None})


# --- from a number to its comments ------------------------------------------------------------
def comments_href(query: dict[str, Any]) -> str:
    return "/comments?" + urlencode({k: v for k, v in query.items() if v is not None and v != ""})


def article_figure_click(data: RunData, trigger: Any, click: Any, state: Any) -> Any:
    """Where a click on an article page figure leads: the comment table behind the bar."""
    state = state if isinstance(state, dict) else {}
    article_id = _clean_id(state.get("a"))
    name = trigger.get("name") if isinstance(trigger, dict) else None
    if article_id is None or not data.has_article(article_id):
        return no_update
    try:
        custom = click["points"][0]["customdata"]
    except (KeyError, IndexError, TypeError):
        return no_update
    if name == "stance" and isinstance(custom, str):
        return comments_href({"a": article_id, "stance": custom})
    if name == "stance-depth" and isinstance(custom, list) and len(custom) >= 3:
        return comments_href({"a": article_id, "stance": custom[1], "depth": custom[2]})
    if name == "keyness" and isinstance(custom, list) and len(custom) >= 3 and isinstance(custom[2], str):
        return comments_href({"a": article_id, "term": custom[2][:200]})
    if name == "frames" and isinstance(custom, list) and len(custom) >= 2 and isinstance(custom[1], str):
        return comments_href({"a": article_id, "frame": custom[1][:200]})
    return no_update


def depth_click(data: RunData, click: Any, state: Any) -> Any:
    state = state if isinstance(state, dict) else {}
    article_id = _clean_id(state.get("a"))
    try:
        depth = int(click["points"][0]["x"])
    except (KeyError, IndexError, TypeError, ValueError):
        return no_update
    if article_id is None or not data.has_article(article_id):
        return no_update
    return comments_href({"a": article_id, "depth": depth})


def people_click(data: RunData, click: Any, state: Any) -> Any:
    state = state if isinstance(state, dict) else {}
    author = _point(click, "customdata")
    if author is None:
        return no_update
    article_id = _clean_id(state.get("a"))
    return comments_href({"a": article_id if article_id and data.has_article(article_id) else None,
                          "author": author})


def time_click(data: RunData, click: Any, state: Any) -> Any:
    from datetime import datetime, timedelta

    state = state if isinstance(state, dict) else {}
    start = _point(click, "customdata")
    if start is None:
        return no_update
    try:
        since = datetime.fromisoformat(start)
    except ValueError:
        return no_update
    article_id = _clean_id(state.get("a"))
    article_id = article_id if article_id and data.has_article(article_id) else None
    every = timeline_page.bin_choice(state.get("every"))
    width = data.time_bins(article_id, every)[1]
    until = since + (timedelta(hours=1) if width == "1h" else timedelta(days=1))
    return comments_href({"a": article_id, "since": since.isoformat(), "until": until.isoformat()})


def register(app: dash.Dash) -> None:
    """Attach every callback to ``app``."""
    for picker in PICKERS:
        _register_picker(app, picker)

    @app.callback(Output(ids.CORPUS_SCATTER, "figure"), Input(ids.CORPUS_X, "value"), Input(ids.CORPUS_Y, "value"),
                  Input(ids.CORPUS_FILTER, "data"), prevent_initial_call=True)
    def _corpus_scatter(x: Any, y: Any, filter_model: Any) -> Any:
        return corpus_scatter(current_data(), x, y, filter_model)

    @app.callback(Output(ids.CORPUS_GRID, "getRowsResponse"), Output(ids.CORPUS_FILTER, "data"),
                  Input(ids.CORPUS_GRID, "getRowsRequest"), State(ids.CORPUS_FILTER, "data"),
                  prevent_initial_call=True)
    def _corpus_rows(request: Any, last_filter: Any) -> tuple[Any, Any]:
        return corpus_rows(current_data(), request, last_filter)

    # The grid's first pagination report (it has rows) raises the ready flag, in the browser.
    clientside: Any = app.clientside_callback  # Dash leaves it unannotated
    clientside(
        ClientsideFunction("analyzer", "gridReady"), Output(ids.CORPUS_READY, "data"),
        Input(ids.CORPUS_GRID, "paginationInfo"), Input(ids.CORPUS_GRID, "virtualRowData"),
        State(ids.CORPUS_READY, "data"), prevent_initial_call=True,
    )

    @app.callback(Output(ids.CORPUS_SCATTER_BOX, "children"), Input(ids.CORPUS_READY, "data"),
                  State(ids.CORPUS_X, "value"), State(ids.CORPUS_Y, "value"), State(ids.CORPUS_FILTER, "data"),
                  prevent_initial_call=True)
    def _corpus_draw(ready: Any, x: Any, y: Any, filter_model: Any) -> Any:
        return corpus_draw(current_data(), ready, x, y, filter_model)

    # Two callbacks, not one with two inputs: the scatter appears after the grid, and Dash
    # reports a callback whose inputs exist only in part as an error.
    @app.callback(Output(ids.GO, "href"), Input(ids.CORPUS_GRID, "cellClicked"), prevent_initial_call=True)
    def _corpus_open_row(cell: Any) -> Any:
        return corpus_open(current_data(), ids.CORPUS_GRID, cell, None)

    @app.callback(Output(ids.GO, "href", allow_duplicate=True), Input(ids.CORPUS_SCATTER, "clickData"),
                  prevent_initial_call=True)
    def _corpus_open_point(click: Any) -> Any:
        return corpus_open(current_data(), ids.CORPUS_SCATTER, None, click)

    @app.callback(
        Output(ids.ARTICLE_HEAD, "children"), Output(ids.ARTICLE_BODY, "children"),
        Output(ids.ARTICLE_HEADLINE, "children"), Output(ids.ARTICLE_RESPONSE, "children"),
        Output(page_state("article"), "data"),
        Input(ids.ARTICLE_PICK, "value"), prevent_initial_call=True,
    )
    def _article(value: Any) -> tuple[Any, ...]:
        return article_update(current_data(), value)

    @app.callback(
        Output(ids.THREAD_TREE, "figure"), Output(ids.THREAD_NOTE, "children"), Output(ids.THREAD_DETAIL, "children"),
        Output(ids.THREAD_DEPTH, "figure"), Output(ids.THREAD_LATENCY, "figure"), Output(page_state("thread"), "data"),
        Input(ids.THREAD_PICK, "value"), Input(ids.THREAD_COLOR, "value"), Input(ids.THREAD_TREE, "clickData"),
        State(page_state("thread"), "data"), prevent_initial_call=True,
    )
    def _thread(picked: Any, colour: Any, click: Any, state: Any) -> tuple[Any, ...]:
        return thread_update(current_data(), dash.ctx.triggered_id, picked, colour, click, state)

    @app.callback(
        Output(ids.CONV_LIST, "children"), Output(ids.CONV_INFO, "children"), Output(ids.CONV_VIEW, "data"),
        Input(page_state("thread"), "data"), Input(ids.CONV_SEARCH, "value"), Input(ids.CONV_PREV, "n_clicks"),
        Input(ids.CONV_NEXT, "n_clicks"), Input({"type": ids.CONV_TOGGLE, "id": ALL}, "n_clicks"),
        State(ids.CONV_VIEW, "data"), prevent_initial_call=True,
    )
    def _conversation(state: Any, search: Any, _prev: Any, _next: Any, _toggles: Any, view: Any) -> tuple[Any, ...]:
        value = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
        return conversation_update(current_data(), dash.ctx.triggered_id, value, state, search, view)

    @app.callback(
        Output(page_state("thread"), "data", allow_duplicate=True),
        Output(ids.THREAD_DETAIL, "children", allow_duplicate=True),
        Input({"type": ids.CONV_OPEN, "id": ALL}, "n_clicks"), Input({"type": ids.DETAIL_OPEN, "id": ALL}, "n_clicks"),
        State(page_state("thread"), "data"), prevent_initial_call=True,
    )
    def _open(_rows: Any, _panel: Any, state: Any) -> tuple[Any, ...]:
        value = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
        return open_comment(current_data(), dash.ctx.triggered_id, value, state)

    @app.callback(
        Output(ids.COMMENTS_TITLE, "children"), Output(ids.COMMENTS_GRID, "rowData"),
        Output(ids.COMMENTS_PAGE_INFO, "children"), Output(page_state("comments"), "data"),
        Input(ids.COMMENTS_SCOPE, "value"), Input(ids.COMMENTS_STANCE, "value"), Input(ids.COMMENTS_TARGET, "value"),
        Input(ids.COMMENTS_DEPTH, "value"), Input(ids.COMMENTS_FLAGS, "value"), Input(ids.COMMENTS_AUTHOR, "value"),
        Input(ids.COMMENTS_SEARCH, "value"), Input(ids.COMMENTS_SORT, "value"),
        Input(ids.COMMENTS_PREV, "n_clicks"), Input(ids.COMMENTS_NEXT, "n_clicks"),
        State(page_state("comments"), "data"), prevent_initial_call=True,
    )
    def _comments(*values: Any) -> tuple[Any, ...]:
        scope, stance, target, depth, flags, author, search, sort, _prev, _next, state = values
        return comments_page.update(current_data(), scope, stance, target, depth, flags, author, search, sort, state,
                                    trigger=dash.ctx.triggered_id)

    @app.callback(Output(ids.COMMENTS_DOWNLOAD, "data"), Input(ids.COMMENTS_EXPORT, "n_clicks"),
                  State(page_state("comments"), "data"), prevent_initial_call=True)
    def _export(n_clicks: Any, state: Any) -> Any:
        return comments_page.export(current_data(), state) if n_clicks else no_update

    @app.callback(Output(ids.COMMENTS_DETAIL, "children"), Input(ids.COMMENTS_GRID, "cellClicked"),
                  State(page_state("comments"), "data"), prevent_initial_call=True)
    def _comment_row(cell: Any, state: Any) -> Any:
        key = cell.get("rowId") if isinstance(cell, dict) else None
        return comments_page.detail(current_data(), key, comments_page.query_state(state if isinstance(state, dict)
                                                                                   else {}))

    @app.callback(Output(ids.GO, "href", allow_duplicate=True), Input({"type": "article-fig", "name": ALL}, "clickData"),
                  State({"type": ids.STATE, "page": ALL}, "data"), prevent_initial_call=True)
    def _article_click(_clicks: Any, state: Any) -> Any:
        value = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
        return article_figure_click(current_data(), dash.ctx.triggered_id, value, _one(state))

    @app.callback(Output(ids.GO, "href", allow_duplicate=True), Input(ids.THREAD_DEPTH, "clickData"),
                  State(page_state("thread"), "data"), prevent_initial_call=True)
    def _depth_click(click: Any, state: Any) -> Any:
        return depth_click(current_data(), click, state)

    @app.callback(Output(ids.PEOPLE_BODY, "children"), Output(page_state("participants"), "data"),
                  Input(ids.PEOPLE_PICK, "value"), prevent_initial_call=True)
    def _people(picked: Any) -> tuple[Any, ...]:
        return participants_page.update(current_data(), picked)

    @app.callback(Output(ids.GO, "href", allow_duplicate=True), Input({"type": "people-fig", "name": ALL}, "clickData"),
                  State({"type": ids.STATE, "page": ALL}, "data"), prevent_initial_call=True)
    def _people_click(_clicks: Any, state: Any) -> Any:
        value = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
        return people_click(current_data(), value, _one(state))

    @app.callback(Output(ids.TIME_BODY, "children"), Output(page_state("time"), "data"),
                  Input(ids.TIME_PICK, "value"), Input(ids.TIME_BIN, "value"), prevent_initial_call=True)
    def _time(picked: Any, every: Any) -> tuple[Any, ...]:
        return timeline_page.update(current_data(), picked, every)

    @app.callback(Output(ids.GO, "href", allow_duplicate=True), Input({"type": "time-fig", "name": ALL}, "clickData"),
                  State({"type": ids.STATE, "page": ALL}, "data"), prevent_initial_call=True)
    def _time_click(_clicks: Any, state: Any) -> Any:
        value = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
        return time_click(current_data(), value, _one(state))

    @app.callback(Output(ids.GO, "href", allow_duplicate=True), Input({"type": "coord-fig", "name": ALL}, "clickData"),
                  State({"type": ids.STATE, "page": ALL}, "data"), prevent_initial_call=True)
    def _coord_click(_clicks: Any, state: Any) -> Any:
        value = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
        trigger = dash.ctx.triggered_id
        name = trigger.get("name") if isinstance(trigger, dict) else None
        return coordination_page.click_target(current_data(), name, value, _one(state)) or no_update

    @app.callback(Output(ids.LABELS_BODY, "children"), Output(page_state("labels"), "data"),
                  Input(ids.LABELS_PICK, "value"), prevent_initial_call=True)
    def _labels(picked: Any) -> tuple[Any, ...]:
        return labels_page.update(current_data(), picked)

    @app.callback(Output(ids.GO, "href", allow_duplicate=True), Input({"type": "labels-fig", "name": ALL}, "clickData"),
                  State({"type": ids.STATE, "page": ALL}, "data"), prevent_initial_call=True)
    def _labels_click(_clicks: Any, state: Any) -> Any:
        value = dash.ctx.triggered[0].get("value") if dash.ctx.triggered else None
        trigger = dash.ctx.triggered_id
        name = trigger.get("name") if isinstance(trigger, dict) else None
        return labels_page.click_target(current_data(), name, value, _one(state)) or no_update

    @app.callback(Output(ids.THREAD_TREE, "figure", allow_duplicate=True), Input(ids.THREAD_RESET, "n_clicks"),
                  State(page_state("thread"), "data"), prevent_initial_call=True)
    def _tree_reset(n_clicks: Any, state: Any) -> Any:
        return tree_reset(current_data(), n_clicks, state)

    # Clicks move the outline in the browser: no server round trip, no new figure.
    clientside(
        ClientsideFunction("analyzer", "highlight"), Output(ids.THREAD_TREE, "figure", allow_duplicate=True),
        Input(page_state("thread"), "data"), State(ids.THREAD_TREE, "figure"), prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.LINKS_SUMMARY, "children"), Output(ids.LINKS_DOMAINS, "figure"), Output(ids.LINKS_GRID, "rowData"),
        Output(ids.LINKS_DEPTH, "figure"), Output(ids.LINKS_COMMENTS, "children"), Output(page_state("links"), "data"),
        Input(ids.LINKS_PICK, "value"), Input(ids.LINKS_GRID, "cellClicked"), Input(ids.LINKS_DOMAINS, "clickData"),
        prevent_initial_call=True,
    )
    def _links(picked: Any, cell: Any, click: Any) -> tuple[Any, ...]:
        return links_update(current_data(), dash.ctx.triggered_id, picked, cell, click)


def _register_picker(app: dash.Dash, picker: str) -> None:
    @app.callback(Output(picker, "options"), Input(picker, "search_value"), State(picker, "value"),
                  prevent_initial_call=True)
    def _search(search: Any, value: Any) -> Any:
        return picker_search(current_data(), picker, search, value)
