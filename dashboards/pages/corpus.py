"""Corpus: every article of the run in a sortable, filterable grid, a scatter, parse issues."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
from dash import dcc, html

from analyzer.outputs import figures
from dashboards import ids
from dashboards.app import current_data, page_state
from dashboards.components import graph, section
from dashboards.data import RunData

PATH = "/"
NAME = "Corpus"
TITLE = "Corpus · analyzer"
ORDER = 0

# Scatter axes: column -> label.
AXES: dict[str, str] = {
    "frame_jsd_bits": "frame divergence JSD (bits)",
    "article_support_ratio": "support ratio S/(S+D)",
    "structural_virality": "structural virality",
    "link_comment_share": "share of comments with a link",
    "visibility": "coverage (visible / announced)",
    "max_depth": "max depth",
    "n_visible": "comments",
    "tone_gap": "tone gap (readers − article)",
}
_SHARE = {"function": "params.value == null ? '–' : d3.format('.0%')(params.value)"}
_DEC2 = {"function": "params.value == null ? '–' : d3.format('.2f')(params.value)"}
COLUMNS: list[dict[str, Any]] = [
    {"field": "title", "headerName": "Article", "flex": 3, "minWidth": 260, "tooltipField": "title"},
    {"field": "published_at", "headerName": "Published", "width": 140},
    {"field": "n_visible", "headerName": "Comments", "width": 115, "filter": "agNumberColumnFilter"},
    {"field": "visibility", "headerName": "Coverage", "width": 115, "valueFormatter": _SHARE,
     "filter": "agNumberColumnFilter", "headerTooltip": "visible / announced comments"},
    {"field": "max_depth", "headerName": "Max depth", "width": 115, "filter": "agNumberColumnFilter"},
    {"field": "structural_virality", "headerName": "Virality", "width": 105, "valueFormatter": _DEC2,
     "filter": "agNumberColumnFilter", "headerTooltip": "structural virality (Goel et al. 2016)"},
    {"field": "article_support_ratio", "headerName": "Support", "width": 105, "valueFormatter": _SHARE,
     "filter": "agNumberColumnFilter", "headerTooltip": "support ratio S/(S+D) toward the article"},
    {"field": "frame_jsd_bits", "headerName": "Frame JSD", "width": 115, "valueFormatter": _DEC2,
     "filter": "agNumberColumnFilter", "headerTooltip": "Jensen–Shannon divergence of frame profiles, bits"},
    {"field": "link_comment_share", "headerName": "Link share", "width": 115, "valueFormatter": _SHARE,
     "filter": "agNumberColumnFilter", "headerTooltip": "share of comments with a link"},
    {"field": "n_issues", "headerName": "Issues", "width": 95, "filter": "agNumberColumnFilter"},
    {"field": "article_id", "headerName": "Id", "width": 150, "hide": False},
]
ISSUE_COLUMNS = [
    {"field": "severity", "width": 100}, {"field": "code", "width": 170},
    {"field": "article_id", "headerName": "Article", "width": 150},
    {"field": "path", "flex": 1, "minWidth": 160}, {"field": "line", "width": 90},
    {"field": "detail", "flex": 2, "minWidth": 240, "tooltipField": "detail"},
]


def default_axes(data: RunData) -> tuple[str, str]:
    """Frame divergence against support when both exist, else structure against links."""
    table = data.corpus_table()
    if table["frame_jsd_bits"].null_count() < table.height and table["article_support_ratio"].null_count() < table.height:
        return "frame_jsd_bits", "article_support_ratio"
    return "structural_virality", "link_comment_share"


def scatter(data: RunData, x: str, y: str) -> Any:
    return figures.article_scatter(data.corpus_table(), x=x, y=y, labels=AXES)


def scatter_graph(data: RunData, x: str, y: str) -> Any:
    """The scatter as a graph component, sent after the grid shows its rows.

    Deferred because a ``dcc.Graph`` in the first layout makes the browser fetch and run
    plotly.js (4.8 MB, about 0.6 s of main-thread time on 2 cores) before the grid can draw its
    rows; measured with ``python -m tests.bench.dashboard_first_page``.
    """
    return graph(ids.CORPUS_SCATTER, scatter(data, x, y))


def layout(**_query: Any) -> html.Div:
    data = current_data()
    table = data.corpus_table()
    x, y = default_axes(data)
    issues = data.parse_issues()
    axis_options = [{"label": label, "value": key} for key, label in AXES.items()]
    return html.Div([
        dcc.Store(id=page_state("corpus"), data={}),
        dcc.Store(id=ids.CORPUS_READY, data=False),
        html.H2(f"{table.height} articles, {int(table['n_visible'].fill_null(0).sum())} comments"),
        html.P("Click a row or a point to open the article against its readers.", className="help"),
        dag.AgGrid(
            id=ids.CORPUS_GRID, rowData=table.to_dicts(), columnDefs=COLUMNS,
            defaultColDef={"sortable": True, "filter": True, "resizable": True},
            dashGridOptions={"pagination": True, "paginationPageSize": 20, "paginationPageSizeSelector": False, "domLayout": "autoHeight", "tooltipShowDelay": 300,
                             "animateRows": False},
            getRowId="params.data.article_id", className="ag-theme-alpine grid",
        ),
        html.Div([
            section("Articles compared", html.Div([
                dcc.Dropdown(id=ids.CORPUS_X, options=axis_options, value=x, clearable=False, className="axis"),
                html.Span("against", className="axis-word"),
                dcc.Dropdown(id=ids.CORPUS_Y, options=axis_options, value=y, clearable=False, className="axis"),
            ], className="axis-row"),
                # Filled by a callback once the grid has rows (see scatter_graph).
                html.Div(html.P("The scatter is drawn once the table is shown…", className="help"),
                         id=ids.CORPUS_SCATTER_BOX),
                help_text="One point per article; size grows with the number of comments."),
            section(f"Parse issues ({issues.height})", dag.AgGrid(
                id=ids.ISSUES_GRID, rowData=issues.to_dicts(), columnDefs=ISSUE_COLUMNS,
                defaultColDef={"sortable": True, "filter": True, "resizable": True},
                dashGridOptions={"pagination": True, "paginationPageSize": 10, "paginationPageSizeSelector": False, "domLayout": "autoHeight", "tooltipShowDelay": 300},
                className="ag-theme-alpine grid",
            ), help_text="Recoverable anomalies found while reading: counts that do not add up, skipped input."),
        ], className="two-col"),
    ])
