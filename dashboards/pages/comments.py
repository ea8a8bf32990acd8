"""Comments: the comments behind a number, as a filterable, sortable, searchable table.

Every clickable number of the other pages (a stance segment, a depth bar, a domain, a keyness
term, a frame, a time bin) opens this page with the matching filter in the URL; the filters
can then be changed here, the table exported as CSV (formula-safe), and a row opened with its
stance cue words marked.  Filtering and sorting run on the server
(:func:`analyzer.views.comments.filter_comments`), and so does paging: the grid receives one
page of :data:`PAGE_ROWS` rows at a time, whatever the number of comments behind the filter.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import dash_ag_grid as dag
import polars as pl
from dash import dcc, html

from analyzer.core import schemas
from analyzer.views import comments as cv
from analyzer.views import coordination as coord
from analyzer.views import labels as lv
from analyzer.views.frames import frame_label
from dashboards import conversation, ids
from dashboards.components import not_found, section
from dashboards.data import RunData
from dashboards.state import current_data, page_state

PATH = "/comments"
NAME = "Comments"
TITLE = "Comments · analyzer"
ORDER = 4

# Rows sent to the grid per page.  Paging runs on the server: the grid used to receive up to
# 1,000 rows (about 0.3 MB of JSON, 93-123 ms per filter change across 105k comments); one
# page of 50 is about 15 KiB.  The CSV export has all rows.
PAGE_ROWS = 50
MAX_PAGE = 100_000
ANY = ""
STANCE_TARGETS = {"stance_article": "toward the article", "stance_parent": "toward the parent"}
SORT_CHOICES = {"seq": "thread order", "created_at": "time", "depth": "depth", "n_replies": "replies",
                "n_links": "links", "author": "author", "votes_up": "up-votes (most first)"}
COLUMNS: list[dict[str, Any]] = [
    {"field": "text", "headerName": "Comment", "flex": 1, "minWidth": 300, "tooltipField": "text",
     "wrapText": True, "autoHeight": True, "cellStyle": {"lineHeight": "1.35", "padding": "4px 8px"}},
    {"field": "author", "headerName": "Author", "width": 120, "tooltipField": "author"},
    {"field": "stance_article", "headerName": "Stance → article", "width": 105, "wrapHeaderText": True},
    {"field": "stance_parent", "headerName": "Stance → parent", "width": 105, "wrapHeaderText": True},
    {"field": "depth", "headerName": "Depth", "width": 92, "filter": "agNumberColumnFilter"},
    {"field": "created_at", "headerName": "Time (UTC)", "width": 135},
    {"field": "parent_author", "headerName": "Replies to", "width": 115, "tooltipField": "parent_author"},
    {"field": "n_replies", "headerName": "Replies", "width": 90, "filter": "agNumberColumnFilter"},
    {"field": "votes_up", "headerName": "▲ votes", "width": 85, "filter": "agNumberColumnFilter",
     "headerTooltip": "up-votes or score as the source gives them (empty: the source has no votes)"},
    {"field": "votes_down", "headerName": "▼ votes", "width": 85, "filter": "agNumberColumnFilter",
     "headerTooltip": "down-votes, where the source gives them apart"},
    {"field": "domains", "headerName": "Links to", "width": 130, "tooltipField": "domains"},
]


def _int(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < 1_000_000 else None


def _text(value: Any, limit: int = 300) -> str | None:
    return value[:limit] if isinstance(value, str) and value.strip() else None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value[:40])
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def query_state(query: dict[str, Any]) -> dict[str, Any]:
    """The page's filters from a URL query or the page state (untrusted: every value checked)."""
    state: dict[str, Any] = {}
    for key in ("a", "author", "domain", "term", "frame", "q", "since", "until"):
        value = _text(query.get(key))
        if value is not None:
            state[key] = value
    stance = query.get("stance")
    if stance in schemas.STANCE_LABELS:
        state["stance"] = stance
    if query.get("target") in ("parent", "stance_parent"):
        state["target"] = "parent"
    depth = _int(query.get("depth"))
    if depth is not None:
        state["depth"] = depth
    quoted = _int(query.get("quoted"))
    if quoted is not None and "a" in state:
        state["quoted"] = quoted
    for key in ("cluster", "component"):
        number = _int(query.get(key))
        if number is not None:
            state[key] = number
    pair = _text(query.get("colink"), limit=700)
    if pair is not None and PAIR_SEP in pair:
        state["colink"] = pair
    label = query.get("label")
    if label in lv.LABEL_COLUMNS:
        state["label"] = label
    if query.get("sentiment") in lv.SENTIMENTS:
        state["sentiment"] = query["sentiment"]
    for key in ("link", "deleted"):
        if query.get(key) in ("yes", "no"):
            state[key] = query[key]
    if query.get("sort") in SORT_CHOICES:
        state["sort"] = query["sort"]
    if query.get("desc") in ("1", 1, True):
        state["desc"] = 1
    page = _int(query.get("page"))
    if page:
        state["page"] = min(page, MAX_PAGE)
    return state


PAIR_SEP = "\u241f"  # between the two accounts of a co-sharing pair in the URL ("colink=A␟B")
# Filters that came with a URL from another page and have no control here (kept while the
# controls change, removable with one link).
FIXED = ("domain", "term", "frame", "since", "until", "quoted", "cluster", "colink", "component", "label", "sentiment")


def chosen_ids(data: RunData, state: dict[str, Any]) -> tuple[frozenset[tuple[str, str]], str] | None:
    """The comments a campaign, a co-sharing pair or component, or a comment label names, and
    the words for the heading; None without such a filter."""
    parts: list[tuple[frozenset[tuple[str, str]], str]] = []
    if isinstance(state.get("cluster"), int):
        parts.append((coord.cluster_comment_ids(data, state["cluster"]), f"in campaign {state['cluster']}"))
    if isinstance(state.get("colink"), str):
        a, _, b = state["colink"].partition(PAIR_SEP)
        pairs = coord.colink_pairs(data)
        row = None if pairs is None else pairs.filter((pl.col("author_a") == a) & (pl.col("author_b") == b))
        urls = tuple(row["urls"][0]) if row is not None and row.height else ()
        parts.append((coord.colink_comment_ids(data, (a, b), urls), f"where {a} or {b} shared one of their "
                                                                    f"{len(urls)} co-shared URLs"))
    if isinstance(state.get("component"), int):
        comps = coord.colink_components(data)
        row = None if comps is None else comps.filter(pl.col("component_id") == state["component"])
        accounts = tuple(row["accounts"][0]) if row is not None and row.height else ()
        urls = tuple(row["urls"][0]) if row is not None and row.height else ()
        parts.append((coord.colink_comment_ids(data, accounts, urls),
                      f"where an account of co-sharing group {state['component']} shared one of its URLs"))
    if isinstance(state.get("label"), str):
        parts.append((lv.label_comment_ids(data, state["label"]), f"labelled “{lv.label_name(state['label'])}”"))
    if isinstance(state.get("sentiment"), str):
        parts.append((lv.sentiment_comment_ids(data, state["sentiment"]), f"sentiment {state['sentiment']}"))
    if not parts:
        return None
    ids_ = parts[0][0]
    for more, _ in parts[1:]:
        ids_ = ids_ & more
    return ids_, ", ".join(note for _, note in parts)


def to_filter(data: RunData, state: dict[str, Any]) -> cv.CommentFilter:
    article_id = state.get("a")
    frame = state.get("frame")
    chosen = chosen_ids(data, state)
    return cv.CommentFilter(
        stance=state.get("stance"), stance_column="stance_parent" if state.get("target") == "parent" else "stance_article",
        depth=state.get("depth"), author=state.get("author"), domain=state.get("domain"),
        has_link={"yes": True, "no": False}.get(state.get("link", "")),
        deleted={"yes": True, "no": False}.get(state.get("deleted", "")),
        term=state.get("term"), search=state.get("q"), sort=state.get("sort", "seq"),
        # Up-votes read most first: the question is which comments readers backed.
        descending=bool(state.get("desc")) or state.get("sort") == "votes_up",
        frame_ids=data.frame_comment_ids(article_id, frame) if isinstance(frame, str) else None,
        term_ids=data.term_comment_ids(article_id, state["term"]) if isinstance(state.get("term"), str) else None,
        quote_ids=(data.quoting_comment_ids(article_id, state["quoted"])
                   if isinstance(article_id, str) and isinstance(state.get("quoted"), int) else None),
        since=_time(state.get("since")), until=_time(state.get("until")),
        ids=chosen[0] if chosen else None, ids_note=chosen[1] if chosen else None,
    )


def rows(data: RunData, state: dict[str, Any]) -> tuple[pl.DataFrame, int]:
    """The filtered table and the number of comments in scope (kept per filter: turning a page
    does not filter again)."""
    article_id = state.get("a")
    table = data.comment_table(article_id if isinstance(article_id, str) else None)
    key = ("comment_rows", tuple(sorted((k, v) for k, v in state.items() if k != "page")))
    return data.rendered(key, lambda: cv.filter_comments(table, to_filter(data, state))), table.height


def page_span(state: dict[str, Any], n_rows: int) -> tuple[int, int, int]:
    """(page shown, first row, end row) of the filtered rows, the page clamped to the last one."""
    last = max(0, (n_rows - 1) // PAGE_ROWS)
    page = max(0, min(int(state.get("page") or 0), last))
    return page, page * PAGE_ROWS, min(n_rows, (page + 1) * PAGE_ROWS)


def page_info(state: dict[str, Any], n_rows: int) -> str:
    """ "rows 51–100 of 4,321" (or nothing to page)."""
    if n_rows == 0:
        return "no rows"
    _, first, end = page_span(state, n_rows)
    return f"rows {first + 1:,}–{end:,} of {n_rows:,}"


def heading(data: RunData, state: dict[str, Any], shown: pl.DataFrame, total: int) -> list[Any]:
    flt = to_filter(data, state)
    words = flt.describe()
    if state.get("frame"):
        words = words.replace("in the chosen frame", f"in the frame “{data_frame_label(data, state['frame'])}”")
    scope = "this article" if state.get("a") else "all articles"
    lines: list[Any] = [html.H2(f"{shown.height:,} of {total:,} comments in {scope}"),
                        html.P(["Filter: ", html.B(words)], className="summary-line")]
    fixed = {k: state[k] for k in FIXED if k in state}
    if fixed:
        rest = {k: v for k, v in state.items() if k not in fixed}
        lines.append(dcc.Link("remove the " + ", ".join(fixed) + " filter" + ("s" if len(fixed) > 1 else ""),
                              href=PATH + "?" + urlencode(rest), className="btn-link"))
    return lines


def data_frame_label(data: RunData, frame: str) -> str:
    return frame_label(frame)


def grid_rows(shown: pl.DataFrame, state: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows of the page ``state`` names (the first page without one)."""
    _, first, end = page_span(state or {}, shown.height)
    out = cv.row_dicts(shown.slice(first, end - first))
    for row in out:
        row["key"] = f"{row['article_id']}\u241f{row['comment_id']}"
    return out


def detail(data: RunData, key: Any, state: dict[str, Any]) -> list[Any]:
    """A clicked row: the comment with parent, replies and marked cue words, and the way to the thread."""
    if not isinstance(key, str) or "\u241f" not in key or len(key) > 1_000:
        return [html.P("Click a row to read the comment with its parent, its replies and why it got its stance.",
                       className="help")]
    article_id, comment_id = key.split("\u241f", 1)
    if not data.has_article(article_id):
        return [html.P("Click a row to read the comment.", className="help")]
    link = dcc.Link("open in the thread", href="/thread?" + urlencode({"a": article_id, "c": comment_id}),
                    className="btn-link")
    return [link, *conversation.detail(data, article_id, comment_id, search=state.get("q"))]


def _options(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"label": label, "value": value} for value, label in values.items()]


def layout(**query: Any) -> html.Div:
    data = current_data()
    state = query_state(query)
    if "a" in state and not data.has_article(state["a"]):
        return html.Div([dcc.Store(id=page_state("comments"), data={}), not_found(state["a"])])
    shown, total = rows(data, state)
    depths = sorted({int(d) for d in data.comment_table(state.get("a"))["depth"].drop_nulls().unique().to_list()})
    scope = [{"label": "all articles", "value": ids.ALL_ARTICLES}, *data.picker_options(state.get("a"))]
    return html.Div([
        dcc.Store(id=page_state("comments"), data=state),
        html.Div(heading(data, state, shown, total), id=ids.COMMENTS_TITLE),
        html.Div([
            dcc.Dropdown(id=ids.COMMENTS_SCOPE, options=scope, value=state.get("a", ids.ALL_ARTICLES),
                         clearable=False, className="filter-drop scope-drop", optionHeight=40),
            dcc.Dropdown(id=ids.COMMENTS_STANCE, options=_options({ANY: "any stance", **{
                s: s for s in schemas.STANCE_LABELS}}), value=state.get("stance", ANY), clearable=False,
                className="filter-drop"),
            dcc.Dropdown(id=ids.COMMENTS_TARGET, options=_options(STANCE_TARGETS),
                         value="stance_parent" if state.get("target") == "parent" else "stance_article",
                         clearable=False, className="filter-drop"),
            dcc.Dropdown(id=ids.COMMENTS_DEPTH, options=[{"label": "any depth", "value": -1}, *[
                {"label": f"depth {d}", "value": d} for d in depths]], value=state.get("depth", -1), clearable=False,
                className="filter-drop"),
            dcc.Dropdown(id=ids.COMMENTS_FLAGS, multi=True, placeholder="links, deleted…", className="filter-drop",
                         options=_options({"link:yes": "with a link", "link:no": "without links",
                                           "deleted:yes": "deleted or removed", "deleted:no": "not deleted"}),
                         value=[f"{k}:{state[k]}" for k in ("link", "deleted") if k in state]),
            dcc.Input(id=ids.COMMENTS_AUTHOR, type="text", placeholder="author (exact)", value=state.get("author", ""),
                      debounce=True, maxLength=300, className="conv-search"),
            dcc.Input(id=ids.COMMENTS_SEARCH, type="search", placeholder="search in the text…",
                      value=state.get("q", ""), debounce=True, maxLength=200, className="conv-search"),
            dcc.Dropdown(id=ids.COMMENTS_SORT, options=_options({k: f"sort by {v}" for k, v in SORT_CHOICES.items()}),
                         value=state.get("sort", "seq"), clearable=False, className="filter-drop"),
            html.Button("Export CSV", id=ids.COMMENTS_EXPORT, n_clicks=0, className="btn"),
            dcc.Download(id=ids.COMMENTS_DOWNLOAD),
        ], className="filters"),
        html.Div([
            html.Div([dag.AgGrid(
                id=ids.COMMENTS_GRID, rowData=grid_rows(shown, state), columnDefs=COLUMNS,
                # Sorting and filtering are the server's (the controls above): the grid holds one page.
                defaultColDef={"sortable": False, "resizable": True, "filter": False},
                dashGridOptions={"tooltipShowDelay": 300, "animateRows": False, "domLayout": "autoHeight"},
                getRowId="params.data.key", className="ag-theme-alpine grid",
            ), html.Div([
                html.Button("◀ previous", id=ids.COMMENTS_PREV, n_clicks=0, className="btn"),
                html.Span(page_info(state, shown.height), id=ids.COMMENTS_PAGE_INFO, className="conv-info"),
                html.Button("next ▶", id=ids.COMMENTS_NEXT, n_clicks=0, className="btn"),
            ], className="conv-bar")], className="col"),
            html.Div(section("Comment", html.Div(detail(data, None, state), id=ids.COMMENTS_DETAIL)),
                     className="col col-detail sticky"),
        ], className="side-by-side wide-left"),
    ])


def update(data: RunData, scope: Any, stance: Any, target: Any, depth: Any, flags: Any, author: Any, search: Any,
           sort: Any, state: Any, trigger: Any = None) -> tuple[Any, Any, Any, dict[str, Any]]:
    """New heading, grid rows, page line and page state after a filter changed (fixed filters
    are kept; a new filter starts at the first page) or a page was turned."""
    old = query_state(state if isinstance(state, dict) else {})
    if trigger in (ids.COMMENTS_PREV, ids.COMMENTS_NEXT):
        shown, total = rows(data, old)
        page = int(old.get("page") or 0) + (1 if trigger == ids.COMMENTS_NEXT else -1)
        new = {k: v for k, v in old.items() if k != "page"}
        clamped = page_span({"page": page}, shown.height)[0]
        if clamped:
            new["page"] = clamped
        return heading(data, new, shown, total), grid_rows(shown, new), page_info(new, shown.height), new
    query: dict[str, Any] = {k: v for k, v in old.items() if k in FIXED or k == "desc"}
    if isinstance(scope, str) and scope != ids.ALL_ARTICLES:
        query["a"] = scope
    query.update(stance=stance, target="parent" if target == "stance_parent" else None, depth=depth if depth != -1 else None,
                 author=author, q=search, sort=sort)
    for flag in flags if isinstance(flags, list) else []:
        if isinstance(flag, str) and ":" in flag:
            key, _, value = flag.partition(":")
            query[key] = value
    new = query_state(query)
    if "a" in new and not data.has_article(new["a"]):
        new.pop("a")
    shown, total = rows(data, new)
    return heading(data, new, shown, total), grid_rows(shown, new), page_info(new, shown.height), new


def export(data: RunData, state: Any) -> dict[str, Any]:
    """The filtered table as a formula-safe CSV download."""
    clean = query_state(state if isinstance(state, dict) else {})
    shown, _ = rows(data, clean)
    name = "comments" + (f"-{clean['a']}" if "a" in clean else "") + ".csv"
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)[:120]
    # What dcc.send_string builds: the browser saves ``content`` as ``filename``.
    return {"content": cv.csv_safe(shown), "filename": safe, "type": "text/csv", "base64": False}
