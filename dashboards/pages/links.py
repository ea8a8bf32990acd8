"""Links: shared domains with their ratings and coverage, obfuscation, position in the thread."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash_ag_grid as dag
from dash import dcc, html

from analyzer.outputs import figures
from dashboards import ids
from dashboards.components import (
    card,
    fmt_number,
    fmt_share,
    graph,
    not_found,
    notice,
    placeholder,
    plain,
    section,
    shorten,
    url_text,
    user_text,
)
from dashboards.data import RunData, StageNote
from dashboards.state import current_data, page_state

PATH = "/links"
NAME = "Links"
TITLE = "Links · analyzer"
ORDER = 3

MAX_DOMAIN_COMMENTS = 50
DOMAIN_COLUMNS = [
    {"field": "domain", "headerName": "Domain", "flex": 2, "minWidth": 180},
    {"field": "n_links", "headerName": "Links", "width": 112, "filter": "agNumberColumnFilter", "sort": "desc"},
    {"field": "n_comments", "headerName": "Comments", "width": 135, "filter": "agNumberColumnFilter"},
    {"field": "n_articles", "headerName": "Articles", "width": 120, "filter": "agNumberColumnFilter"},
    {"field": "n_obfuscated", "headerName": "Obfuscated", "width": 138, "filter": "agNumberColumnFilter"},
    {"field": "n_redirected", "headerName": "Via redirect", "width": 120, "filter": "agNumberColumnFilter",
     "headerTooltip": "links written as a redirect wrapper (l.facebook.com/l.php?u=…, google.com/url?q=…) and "
                      "counted for the domain they lead to"},
    {"field": "redirects", "headerName": "Wrappers", "flex": 1, "minWidth": 140, "tooltipField": "redirects"},
    {"field": "rating_text", "headerName": "Ratings (list: value)", "flex": 2, "minWidth": 200,
     "tooltipField": "rating_text"},
]


def scope_of(value: Any, data: RunData) -> str | None:
    """None (every article) for the "all" choice or an unknown id, else the article id."""
    return value if isinstance(value, str) and value != ids.ALL_ARTICLES and data.article(value) else None


def summary(data: RunData, article_id: str | None) -> list[Any]:
    links = data.links(article_id)
    if links is None:
        return [placeholder(StageNote("links", "links.parquet"))]
    if article_id is not None:
        m = data.thread_numbers(article_id)
        share, obfuscated = m.get("link_comment_share"), m.get("obfuscated_share")
        n_comments = data.article(article_id)["n_visible"]  # type: ignore[index]
    else:
        n_comments = int(data.corpus_table()["n_visible"].fill_null(0).sum())
        linking = links.select(["article_id", "comment_id"]).unique().height
        share = linking / n_comments if n_comments else None
        obfuscated = int(links["obfuscation"].is_not_null().sum()) / links.height if links.height else None
    coverage = data.rating_coverage(article_id)
    cards = [
        card("links", fmt_number(links.height), "links in visible comments (article-body links not counted)"),
        card("domains", fmt_number(links["domain"].n_unique() if links.height else 0), "distinct registered domains"),
        card("comments with a link", fmt_share(share), f"share of the {n_comments} visible comments"),
        card("obfuscated", fmt_share(obfuscated), "written defanged or obfuscated (hxxp, _____://, [.] …)"),
    ]
    if coverage.is_empty():
        cards.append(card("rated", "–", "no credibility list rates these links (or none is installed)"))
        if not installed_lists(data):
            cards.append(html.Div(NO_LIST_NOTE, className="notice no-list"))
    for name, n_rated, share_rated in coverage.iter_rows():
        cards.append(card(f"rated by {shorten(name, 24)}", fmt_share(share_rated),
                          f"{n_rated} of {links.height} links carry a rating from the list {name}"))
    return cards


NO_LIST_NOTE: list[Any] = [
    "No credibility list was used for this run, so domains carry no rating (“–”). To add one, import a "
    "list you are allowed to use, then analyse again: ",
    html.Code("analyzer domains import FILE.csv --name NAME --domain-column domain --rating-column rating"),
    " (", html.Code("analyzer domains list"), " shows what is installed).",
]


def installed_lists(data: RunData) -> list[str]:
    """Names of the credibility lists the links stage used for this run (from the manifest)."""
    info = data.manifest.get("stage_info", {}).get("links")
    lists = info.get("domain_lists") if isinstance(info, dict) else None
    return [str(x) for x in lists] if isinstance(lists, list) else []


def domain_comments(data: RunData, article_id: str | None, domain: str | None) -> list[Any]:
    """The comments sharing ``domain`` in a scope, as plain data kept per (scope, domain)."""
    return data.rendered(("domain_comments", article_id, domain),
                         lambda: plain(_domain_comments(data, article_id, domain)))


def _domain_comments(data: RunData, article_id: str | None, domain: str | None) -> list[Any]:
    if not domain:
        return [html.P("Click a domain (bar or table row) to see the comments that shared it.", className="help")]
    rows = data.domain_comments(article_id, domain, limit=MAX_DOMAIN_COMMENTS)
    if rows.is_empty():
        return [notice(f"No comment links {domain!r} here.")]
    total = data.n_domain_comments(article_id, domain)
    items = []
    for art, comment, url, obf, redirect, text, depth in rows.select(
            "article_id", "comment_id", "url", "obfuscation", "redirect", "text", "depth").iter_rows():
        href = "/thread?" + urlencode({"a": art, "c": comment})
        items.append(html.Li([
            dcc.Link([user_text(comment), f" (depth {depth})"], href=href, className="comment-link"),
            html.Span([" in ", user_text(art)] if article_id is None else "", className="help"), html.Br(),
            # A disguised link stays text: whoever wrote hxxp or [.] did not want it clicked.
            html.Span(shorten(url, 90), className="url-text", title="written disguised: not linked") if obf
            else url_text(url), html.Span(f" (obfuscated: {obf})" if obf else "", className="help"),
            html.Span([" (unwrapped from the redirect ", user_text(redirect), ")"] if redirect else "",
                      className="help"),
            html.Div(shorten(text, 400), className="comment-snippet", dir="auto"),
        ]))
    head: list[Any] = [f"{total} comment{'s' if total != 1 else ''} shared ", user_text(domain)]
    if total > len(items):
        head.append(f" (first {len(items)} shown)")
    table = dcc.Link("open these comments as a table", className="btn-link", href="/comments?" + urlencode(
        {"domain": domain, **({"a": article_id} if article_id else {})}))
    return [html.H4(head), table, html.Ul(items, className="domain-comments")]


def charts(data: RunData, article_id: str | None) -> tuple[Any, list[dict[str, Any]], Any]:
    """Domain bars, grid rows and the depth figure of a scope (built once per scope, as plain
    data: building the two plotly figures was most of the page's 20 ms of CPU)."""
    def build() -> tuple[Any, list[dict[str, Any]], Any]:
        table = data.domain_table(article_id)
        return (figures.domain_bars_data(table), table.to_dicts(),
                figures.link_depths_data(data.link_depth_counts(article_id)))

    return data.rendered(("link_charts", article_id), build, pin=article_id is None)


def layout(a: str | None = None, d: str | None = None, **_query: Any) -> html.Div:
    data = current_data()
    if a is not None and a != ids.ALL_ARTICLES and not data.has_article(a):
        return html.Div([dcc.Store(id=page_state("links"), data={}), not_found(a)])
    article_id = scope_of(a, data)
    bars, rows, depths = charts(data, article_id)
    domain = d if isinstance(d, str) and len(d) < 300 else None
    scope_value = article_id or ids.ALL_ARTICLES
    return html.Div([
        dcc.Store(id=page_state("links"), data={"a": article_id, "d": domain}),
        html.Div([html.Label("Scope", htmlFor=ids.LINKS_PICK, className="picker-label"),
                  dcc.Dropdown(id=ids.LINKS_PICK, value=scope_value, clearable=False, className="picker",
                               options=[{"label": "All articles", "value": ids.ALL_ARTICLES},
                                        *data.picker_options(article_id)])], className="picker-row"),
        html.Div(summary(data, article_id), id=ids.LINKS_SUMMARY, className="cards"),
        html.Div([
            html.Div([
                section("Domains by links", graph(ids.LINKS_DOMAINS, bars),
                        help_text="Purple: rated by at least one installed credibility list; grey: not rated."),
                section("Where links appear", graph(ids.LINKS_DEPTH, depths),
                        help_text="Depth of the comment that posted the link (1 = reply to the article)."),
            ], className="col"),
            html.Div([
                section("Comments sharing the domain",
                        html.Div(domain_comments(data, article_id, domain), id=ids.LINKS_COMMENTS)),
            ], className="col"),
        ], className="side-by-side"),
        section("All domains", dag.AgGrid(
            id=ids.LINKS_GRID, rowData=rows, columnDefs=DOMAIN_COLUMNS,
            # Headers wrap instead of being cut ("L…" for Links once the redirect columns came in).
            defaultColDef={"sortable": True, "filter": True, "resizable": True, "wrapHeaderText": True,
                           "autoHeaderHeight": True},
            dashGridOptions={"pagination": True, "paginationPageSize": 15, "paginationPageSizeSelector": False, "domLayout": "autoHeight", "tooltipShowDelay": 300},
            getRowId="params.data.domain", className="ag-theme-alpine grid")),
    ])
