"""Coordination: campaigns, coordinated link sharing, the author network and activity, across threads.

Everything comes from :mod:`analyzer.views.coordination` (the ``coordination`` stage's frames
read by their schema columns).  Every number opens its comments: a campaign's copies, the
comments in which a pair or a group of accounts shared their URLs, an author's comments, a
time bin's comments.  The chosen campaign is in the URL (``?k=3``), so a view can be shared.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import polars as pl
from dash import dcc, html

from analyzer.outputs import figures
from analyzer.views import coordination as coord
from analyzer.views.numbers import format_share
from dashboards import ids
from dashboards.components import (
    card,
    fmt_number,
    fmt_share,
    graph,
    notice,
    section,
    shorten,
    user_text,
)
from dashboards.conversation import when
from dashboards.data import RunData, StageNote
from dashboards.pages.comments import PAIR_SEP
from dashboards.state import current_data, page_state

PATH = "/coordination"
NAME = "Coordination"
TITLE = "Coordination · analyzer"
ORDER = 7

TOP_CLUSTERS = 25
TOP_TIMELINE = 15
TOP_PAIRS = 25
TOP_AUTHORS = 25
NETWORK_AUTHORS = 40


def _comments_link(text: str, query: dict[str, Any], title: str = "open these comments") -> dcc.Link:
    return dcc.Link(text, href="/comments?" + urlencode(query), className="num-link", title=title)


def _author(author: str | None) -> Any:
    if not author:
        return html.I("anonymous")
    return dcc.Link(user_text(shorten(author, 60), class_name="author"), href="/comments?" + urlencode(
        {"author": author}), title="open this author's comments")


def _span(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7_200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172_800:
        return f"{seconds / 3_600:.1f} h"
    return f"{seconds / 86_400:.1f} d"


def summary(data: RunData) -> list[Any]:
    m = coord.corpus_numbers(data)
    info = coord.interval_info(data)

    def share(name: str) -> str:
        return fmt_share(m.get(name))

    return [
        card("campaigns", fmt_number(m.get("n_near_duplicate_clusters")),
             "clusters of near-identical comments (word-bigram MinHash/LSH; lightly edited copies included)",
             detail=f"{share('near_duplicate_share')} of long-enough comments are in one"),
        card("co-sharing pairs", fmt_number(m.get("n_colink_pairs")),
             "pairs of accounts that shared the same URL within the coordination interval",
             detail=f"{fmt_number(m.get('n_colink_components'))} coordinated group(s)"),
        card("interval", shorten(coord.interval_text(info).split(",")[0].split(" (")[0], 30),
             coord.interval_text(info)),
        card("authors", fmt_number(m.get("n_authors")), "distinct named authors of visible comments across the run",
             detail=f"Gini {fmt_number(m.get('author_gini'))}; top 1 % wrote {share('top1pct_author_share')}"),
        card("anonymous", share("anonymous_share"), "share of visible comments without an author"),
        card("answered back", share("reciprocal_edge_share"),
             "share of author-to-author reply edges answered back at least once (Aragón et al. 2017)"),
    ]


def clusters_table(data: RunData, table: pl.DataFrame, chosen: int | None) -> Any:
    if table.is_empty():
        return html.P("No near-identical comments across the run (comments shorter than the minimum length are "
                      "never a campaign).", className="help")
    head = html.Tr([html.Th(h) for h in ("Campaign", "copies", "accounts", "threads", "sites", "first", "span",
                                         "similarity", "text (medoid)")])
    body = []
    for r in table.head(TOP_CLUSTERS).iter_rows(named=True):
        k = int(r["cluster_id"])
        body.append(html.Tr([
            html.Td(dcc.Link(f"#{k}", href=PATH + "?" + urlencode({"k": k}), title="show its copies below",
                             className="btn-link" + (" chosen" if k == chosen else ""))),
            html.Td(_comments_link(str(r["size"]), {"cluster": k}, "open the copies as a table")),
            html.Td(_comments_link(str(r["n_accounts"]), {"cluster": k, "sort": "author"},
                                   "the copies, sorted by account")),
            html.Td(str(r["n_threads"])), html.Td(str(r["n_sites"])),
            html.Td(when(r["first_at"])), html.Td(_span(r["span_s"])),
            html.Td(f"{r['mean_similarity']:.2f}" if r["mean_similarity"] is not None else "–"),
            html.Td(html.Div(shorten(r["medoid_text"], 220), className="comment-snippet", dir="auto")),
        ]))
    more = [html.P(f"The {TOP_CLUSTERS} largest of {table.height:,} campaigns.", className="help")] \
        if table.height > TOP_CLUSTERS else []
    return html.Div([html.Div(html.Table([html.Thead(head), html.Tbody(body)], className="table"),
                              className="table-scroll"), *more])


def members_part(data: RunData, cluster_id: int | None) -> list[Any]:
    if cluster_id is None:
        return []
    members = coord.cluster_members(data, cluster_id)
    if members is None or members.is_empty():
        return [notice(f"This run has no campaign #{cluster_id}.")]
    items = []
    for r in members.iter_rows(named=True):
        title = r["title"] or r["article_id"]
        items.append(html.Li([
            _author(r["author"]), " ", html.Span(when(r["created_at"]), className="conv-time"), " · ",
            dcc.Link(user_text(shorten(title, 60)), href="/thread?" + urlencode({"a": r["article_id"],
                                                                                 "c": r["comment_id"]}),
                     title="open in the thread"),
            html.Span(f" · similarity {r['similarity']:.2f}" if r["similarity"] is not None else "",
                      className="help"),
            html.Div(shorten(r["text"], 400) or "(no text)", className="comment-snippet", dir="auto"),
        ]))
    return [html.H4([f"Campaign #{cluster_id}: {members.height} copies by "
                     f"{members['author'].drop_nulls().n_unique()} accounts in "
                     f"{members['article_id'].n_unique()} threads"]),
            _comments_link("open these comments as a table", {"cluster": cluster_id}),
            html.Ol(items, className="domain-comments", id=ids.COORD_MEMBERS)]


def _url_list(urls: list[str] | None, limit: int = 5) -> Any:
    urls = list(urls or [])
    # Shown as text, never as links: these are what a coordinated group pushed.
    shown = [html.Li(shorten(u, 90), className="url-text", title=u) for u in urls[:limit]]
    if len(urls) > limit:
        shown.append(html.Li(f"… and {len(urls) - limit} more", className="help"))
    return html.Ul(shown, className="url-list")


def colinks_part(data: RunData) -> list[Any]:
    pairs = coord.colink_pairs(data)
    components = coord.colink_components(data)
    info = coord.interval_info(data)
    if pairs is None or components is None:
        return []
    parts: list[Any] = [html.P(["Accounts count as co-sharing when they posted the same URL (normalised, "
                                "redirect wrappers unwrapped) ", html.B(coord.interval_text(info)), "."],
                               className="summary-line")]
    if info.get("skipped"):
        parts.append(notice(f"Link sharing was not examined: {info['skipped']}."))
    if not components.is_empty():
        head = html.Tr([html.Th(h) for h in ("Group", "accounts", "pairs", "URLs", "first", "last", "comments")])
        rows = [html.Tr([
            html.Td(f"#{r['component_id']}"),
            html.Td(html.Div([html.Span([_author(a), " "]) for a in (r["accounts"] or [])[:12]])),
            html.Td(str(r["n_pairs"])), html.Td(_url_list(r["urls"])), html.Td(when(r["first_at"])),
            html.Td(when(r["last_at"])),
            html.Td(_comments_link("open", {"component": r["component_id"]},
                                   "the comments in which the group's accounts shared its URLs")),
        ]) for r in components.head(15).iter_rows(named=True)]
        parts += [html.H4(f"Coordinated groups ({components.height})"),
                  html.P(f"Pairs that co-shared at least {info.get('min_repeat', '?')} URLs, joined into groups.",
                         className="help"),
                  html.Div(html.Table([html.Thead(head), html.Tbody(rows)], className="table"),
                           className="table-scroll")]
    if pairs.is_empty():
        parts.append(html.P("No two accounts shared the same URL within the interval.", className="help"))
        return parts
    head = html.Tr([html.Th(h) for h in ("Account", "and account", "URLs shared", "first", "last", "URLs")])
    rows = [html.Tr([
        html.Td(_author(r["author_a"])), html.Td(_author(r["author_b"])),
        html.Td(_comments_link(str(r["n_shared"]), {"colink": f"{r['author_a']}{PAIR_SEP}{r['author_b']}"},
                               "the comments in which the two shared these URLs")),
        html.Td(when(r["first_at"])), html.Td(when(r["last_at"])), html.Td(_url_list(r["urls"], 3)),
    ]) for r in pairs.head(TOP_PAIRS).iter_rows(named=True)]
    parts += [html.H4(f"Co-sharing pairs ({pairs.height:,}; most shared URLs first)"),
              html.Div(html.Table([html.Thead(head), html.Tbody(rows)], className="table"),
                       className="table-scroll")]
    return parts


def authors_part(data: RunData) -> list[Any]:
    table = coord.authors(data)
    network = coord.author_network(data, NETWORK_AUTHORS)
    if table is None or network is None:
        return []
    nodes, edges, n_connected = network
    head = html.Tr([html.Th(h) for h in ("Author", "comments", "threads", "sites", "replies given", "received",
                                         "denials given", "received", "links", "first seen", "last seen")])

    def n(value: Any) -> str:
        return "–" if value is None else f"{int(value):,}"

    rows = [html.Tr([
        html.Td(_author(r["author"])),
        html.Td(_comments_link(n(r["n_comments"]), {"author": r["author"]}, "open this author's comments")),
        html.Td(n(r["n_threads"])),
        html.Td(n(r["n_sites"])), html.Td(n(r["n_replies_given"])), html.Td(n(r["n_replies_received"])),
        html.Td(n(r["n_deny_given"])), html.Td(n(r["n_deny_received"])), html.Td(n(r["n_links"])),
        html.Td(when(r["first_seen"])), html.Td(when(r["last_seen"])),
    ]) for r in table.head(TOP_AUTHORS).iter_rows(named=True)]
    drawn = nodes.height
    cap = (f"The {drawn} most connected of {n_connected:,} authors with a reply edge"
           if n_connected > drawn else f"All {drawn} authors with a reply edge")
    return [
        html.Div([
            html.Div(section("Who replies to whom, across the run",
                             graph({"type": "coord-fig", "name": "network"}, figures.author_network(nodes, edges)),
                             help_text=f"{cap}, on a circle by replies; a line per pair, wider with more replies, "
                                       "redder with more denials. Click an author for their comments."),
                     className="col"),
            html.Div(section(f"Most active authors ({table.height:,} in all)",
                             html.Div(html.Table([html.Thead(head), html.Tbody(rows)],
                                                 className="table table-small"), className="table-scroll"),
                             help_text="An author name is taken as one person across threads; that holds within "
                                       "one site's export."), className="col"),
        ], className="side-by-side"),
    ]


def activity_part(data: RunData) -> list[Any]:
    found = coord.activity(data)
    if found is None:
        return []
    series, width = found
    if series.is_empty():
        return [html.P("No dated comments: no activity over time.", className="help")]
    shown = "1h" if width <= 3_600 else "1d"
    unit = {3_600: "hour", 86_400: "day"}.get(width, _span(float(width)))
    total, deleted = int(series["n_comments"].sum()), int(series["n_deleted"].sum())
    line = (f"{total:,} dated comments, {deleted:,} of them deleted or removed "
            f"({format_share(deleted, total)}), in {series.height:,} bins of one {unit}.")
    return [html.P(line, className="summary-line"),
            graph({"type": "coord-fig", "name": "activity"}, figures.time_series(series, width=shown, show="volume"))]


def body(data: RunData, chosen: int | None) -> list[Any]:
    if not coord.has_stage(data):
        return [html.Div(StageNote("coordination", "near_duplicates.parquet").message, className="placeholder")]
    reason = coord.skipped_reason(data)
    if reason:
        return [notice(f"The coordination stage found nothing to compare: {reason}. It needs several threads "
                       "or named authors.")]
    table = coord.clusters(data)
    assert table is not None  # has_stage
    if chosen is None and not table.is_empty():
        chosen = int(table["cluster_id"][0])
    timeline = coord.campaign_timeline(data, TOP_TIMELINE)
    return [
        html.Div(summary(data), className="cards"),
        section("Campaigns: the same text under many articles", clusters_table(data, table, chosen),
                *([graph({"type": "coord-fig", "name": "campaigns"},
                         figures.campaign_timeline(timeline, table.head(TOP_TIMELINE)))]
                  if timeline is not None and not timeline.is_empty() else []),
                *members_part(data, chosen),
                help_text="Near-identical comments (lightly edited copies included) posted across the run. "
                          "“copies” opens them as a table, “#” shows them below; in the chart each dot is a copy "
                          "at its time (click for the campaign's comments)."),
        section("Coordinated link sharing", *colinks_part(data),
                help_text="As CooRnet measures it for Facebook (Giglietto et al. 2020): accounts that repeatedly "
                          "share the same links within seconds of each other. URLs are shown as text, never as "
                          "links."),
        *authors_part(data),
        section("Activity over time", *activity_part(data),
                help_text="Comments per time bin over the whole run (bin width chosen from the data by the stage); "
                          "red-outlined bars are deleted or removed comments. Click a bar for its comments."),
    ]


def layout(k: str | None = None, **_query: Any) -> html.Div:
    data = current_data()
    try:
        chosen = int(k) if k is not None and len(k) < 12 else None
    except ValueError:
        chosen = None
    return html.Div([
        dcc.Store(id=page_state("coordination"), data={"k": chosen}),
        html.H2("Across threads: coordination, authors, activity"),
        html.Div(data.rendered(("coordination", chosen), lambda: body(data, chosen), pin=chosen is None), id=ids.COORD_BODY),
    ])


def click_target(data: RunData, name: Any, click: Any, state: Any) -> str | None:
    """Where a click on one of the page's figures leads (a comment table), or None."""
    try:
        point = click["points"][0]
    except (KeyError, IndexError, TypeError):
        return None
    if name == "campaigns" and isinstance(point.get("customdata"), int):
        return "/comments?" + urlencode({"cluster": point["customdata"]})
    if name == "network" and isinstance(point.get("customdata"), str) and len(point["customdata"]) <= 500:
        return "/comments?" + urlencode({"author": point["customdata"]})
    if name == "activity" and isinstance(point.get("customdata"), str):
        found = coord.activity(data)
        width = found[1] if found else None
        try:
            since = datetime.fromisoformat(point["customdata"][:40])
        except ValueError:
            return None
        if not isinstance(width, int) or width <= 0:
            return None
        from datetime import timedelta

        return "/comments?" + urlencode({"since": since.isoformat(),
                                         "until": (since + timedelta(seconds=width)).isoformat()})
    return None
