"""Corpus: every article of the run in a sortable, filterable grid, a scatter, parse issues.

The grid uses AG Grid's infinite row model: the browser asks for one page of rows at a time
and the server filters, sorts and slices (:func:`analyzer.views.corpus.page_rows`), so a run
of 10,000 articles costs the first page what a run of 20 does.  The grid's filter also
filters the scatter (the same :func:`analyzer.views.corpus.filter_table`).
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import polars as pl
from dash import dcc, html

from analyzer.outputs import figures
from analyzer.views.corpus import ColumnFilter, filter_table, page_rows, site_comparison
from analyzer.views.numbers import format_share
from dashboards import ids
from dashboards.components import graph, section, user_text
from dashboards.data import RunData
from dashboards.state import current_data, page_state

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
    {"field": "display_title", "headerName": "Article", "flex": 3, "minWidth": 260, "tooltipField": "display_title",
     "filter": "agTextColumnFilter"},
    {"field": "published", "headerName": "Published", "width": 130, "filter": False},
    {"field": "n_visible", "headerName": "Comments", "width": 130, "filter": "agNumberColumnFilter", "sort": "desc"},
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
    {"field": "article_id", "headerName": "Id", "width": 150, "hide": False, "filter": "agTextColumnFilter"},
]
TEXT_FILTER = {"filterOptions": ["contains", "notContains", "equals", "startsWith"], "maxNumConditions": 1}
NUMBER_FILTER = {"filterOptions": ["greaterThan", "greaterThanOrEqual", "lessThan", "lessThanOrEqual", "equals",
                                   "inRange", "blank", "notBlank"], "maxNumConditions": 1}
for _column in COLUMNS:
    if _column.get("filter") == "agNumberColumnFilter":
        _column["filterParams"] = NUMBER_FILTER
    elif _column.get("filter") == "agTextColumnFilter":
        _column["filterParams"] = TEXT_FILTER
    _column["wrapHeaderText"] = True
    _column["autoHeaderHeight"] = True
PAGE_SIZE = 20
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


SHARE_AXES = frozenset({"article_support_ratio", "link_comment_share", "visibility"})
COUNT_AXES = frozenset({"max_depth", "n_visible"})


def grid_table(data: RunData) -> pl.DataFrame:
    """The corpus table with faces for untitled articles and dates as text (built once)."""
    return data.grid_table()


def grid_filters(model: Any) -> list[ColumnFilter]:
    """AG Grid's filter model as :class:`ColumnFilter` (untrusted: unknown shapes are dropped)."""
    if not isinstance(model, dict):
        return []
    known = {c["field"] for c in COLUMNS}
    out = []
    for column, spec in list(model.items())[:20]:
        if column not in known or not isinstance(spec, dict) or not isinstance(spec.get("type"), str):
            continue
        out.append(ColumnFilter(column, spec["type"], spec.get("filter"), spec.get("filterTo")))
    return out


def grid_sort(model: Any) -> list[tuple[str, bool]]:
    known = {c["field"] for c in COLUMNS}
    if not isinstance(model, list):
        return []
    return [(m["colId"], m.get("sort") == "desc") for m in model[:5]
            if isinstance(m, dict) and m.get("colId") in known]


def rows_page(data: RunData, request: Any) -> dict[str, Any]:
    """One page of grid rows for AG Grid's ``getRowsRequest`` (filtered and sorted here)."""
    request = request if isinstance(request, dict) else {}
    start = request.get("startRow") if isinstance(request.get("startRow"), int) else 0
    end = request.get("endRow") if isinstance(request.get("endRow"), int) else start + PAGE_SIZE
    sort = grid_sort(request.get("sortModel")) or [("n_visible", True)]
    part, total = page_rows(grid_table(data), start=start, end=end, sort=sort,
                            filters=grid_filters(request.get("filterModel")))
    return {"rowData": part.to_dicts(), "rowCount": total}


def scatter(data: RunData, x: str, y: str, filter_model: Any = None) -> Any:
    """The article scatter for two axes and the grid's filters (kept per choice, as plain data:
    every visitor of the corpus page asks for the same few)."""
    filters = grid_filters(filter_model)

    def build() -> Any:
        table = filter_table(grid_table(data), filters)
        return figures.article_scatter_data(table, x=x, y=y, labels=AXES, shares=SHARE_AXES, counts=COUNT_AXES)

    return data.rendered(("scatter", x, y, repr(filters)), build, pin=not filters)


def plural(n: int, word: str) -> str:
    """ "1 article", "2 articles" (counts in headings read as words)."""
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def scatter_graph(data: RunData, x: str, y: str, filter_model: Any = None) -> Any:
    """The scatter as a graph component, sent after the grid shows its rows.

    Deferred because a ``dcc.Graph`` in the first layout makes the browser fetch and run
    plotly.js (4.8 MB, about 0.6 s of main-thread time on 2 cores) before the grid can draw its
    rows; measured with ``python -m tests.bench.dashboard_first_page``.
    """
    return graph(ids.CORPUS_SCATTER, scatter(data, x, y, filter_model))


def sites_part(data: RunData) -> list[Any]:
    """The per-site comparison, when the corpus has several sites (each share with its counts)."""

    def build() -> list[Any]:
        sites = site_comparison(data.corpus_table(), data.scope_stance(None))
        if sites is None:
            return []
        head = html.Tr([html.Th(h) for h in ("Site", "articles", "comments", "with a link", "support the article",
                                             "contradict it", "deleted or removed")])
        rows = []
        for r in sites.iter_rows(named=True):
            n, stanced = int(r["n_comments"]), r["n_stanced"]
            rows.append(html.Tr([
                html.Td(user_text(r["site"])), html.Td(f"{r['n_articles']:,}"), html.Td(f"{n:,}"),
                html.Td(format_share(int(r["n_linking"]), n)),
                html.Td("–" if not stanced else format_share(int(r["n_support"]), int(stanced))),
                html.Td("–" if not stanced else format_share(int(r["n_deny"]), int(stanced))),
                html.Td(format_share(int(r["n_deleted"]), n + int(r["n_deleted"]))),
            ]))
        return [section("Sites compared", html.Div(html.Table([html.Thead(head), html.Tbody(rows)], className="table"),
                                                   className="table-scroll"),
                        help_text="One row per site of the corpus. Stance shares are of the comments with a stance "
                                  "toward the article; deletions of all comments readers wrote.")]

    return data.rendered("sites", build, pin=True)


def layout(**_query: Any) -> html.Div:
    data = current_data()
    table = data.corpus_table()
    x, y = default_axes(data)
    issues = data.parse_issues()
    axis_options = [{"label": label, "value": key} for key, label in AXES.items()]
    return html.Div([
        dcc.Store(id=page_state("corpus"), data={}),
        dcc.Store(id=ids.CORPUS_READY, data=False),
        dcc.Store(id=ids.CORPUS_FILTER, data=None),
        html.H2(f"{plural(table.height, 'article')}, {plural(int(table['n_visible'].fill_null(0).sum()), 'comment')}"),
        html.P("Most commented first. Click a row or a point to open the article against its readers; filter a "
               "column (its menu) and the scatter shows the same articles. Untitled articles show their id and the "
               "first words of their first comment.", className="help"),
        dag.AgGrid(
            id=ids.CORPUS_GRID, columnDefs=COLUMNS, rowModelType="infinite",
            defaultColDef={"sortable": True, "filter": False, "resizable": True},
            dashGridOptions={"pagination": True, "paginationPageSize": PAGE_SIZE, "cacheBlockSize": PAGE_SIZE,
                             "maxBlocksInCache": 20, "paginationPageSizeSelector": False, "domLayout": "autoHeight",
                             "tooltipShowDelay": 300, "animateRows": False},
            getRowId="params.data.article_id", className="ag-theme-alpine grid",
        ),
        *sites_part(data),
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
