"""Participants: who replied to whom, how often they disagreed, and who carries the thread.

Everything comes from :mod:`analyzer.views.participants`: reply pairs between named authors
with the deny share and its interval, reciprocal exchanges, the longest chains of replies that
each deny their parent, the most active authors' share, and the author reply network, for one
thread or the whole run.  An author's name opens their comments in the comment table.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import polars as pl
from dash import dcc, html

from analyzer.outputs import figures
from analyzer.views import participants as pv
from analyzer.views.numbers import format_share
from dashboards import ids
from dashboards.components import article_picker, graph, not_found, notice, section, user_text
from dashboards.conversation import stance_chip, votes_text, when
from dashboards.data import RunData, StageNote
from dashboards.state import current_data, page_state

PATH = "/participants"
NAME = "Participants"
TITLE = "Participants · analyzer"
ORDER = 5

TOP_PAIRS = 25
TOP_AUTHORS = 10


def _author_link(author: str, article_id: str | None) -> dcc.Link:
    query = {"author": author, **({"a": article_id} if article_id else {})}
    return dcc.Link(user_text(author, class_name="author"), href="/comments?" + urlencode(query),
                    title="open this author's comments")


def _share_text(k: int, n: int, low: float | None, high: float | None, too_few: bool) -> Any:
    if n <= 0:
        return html.Span("no labelled replies", className="too-few")
    if too_few:
        return html.Span(f"{k} of {n}: too few for a share", className="too-few")
    return format_share(k, n, low=low, high=high)


def pairs_table(pairs: pl.DataFrame, article_id: str | None) -> Any:
    if pairs.is_empty():
        return html.P("No replies between two named authors.", className="help")
    head = html.Tr([html.Th("Author"), html.Th("replied to"), html.Th("replies"), html.Th("of them deny (share of labelled)"),
                    html.Th("replied back")])
    body = [html.Tr([
        html.Td(_author_link(r["author"], article_id)), html.Td(_author_link(r["replied_to"], article_id)),
        html.Td(str(r["n"])),
        html.Td(_share_text(int(r["n_deny"]), int(r["n_total"]), r["ci_low"], r["ci_high"], bool(r["too_few"]))),
        html.Td(str(r["n_back"]) if r["reciprocal"] else "–"),
    ]) for r in pairs.head(TOP_PAIRS).iter_rows(named=True)]
    return html.Table([html.Thead(head), html.Tbody(body)], className="table")


def exchanges_table(pairs: pl.DataFrame, article_id: str | None) -> Any:
    swaps = pv.exchanges(pairs)
    if swaps.is_empty():
        return html.P("No two authors replied to each other.", className="help")
    rows = [html.Tr([html.Th("between"), html.Th("and"), html.Th("replies (each way)"), html.Th("denials")])]
    rows += [html.Tr([html.Td(_author_link(r["a"], article_id)), html.Td(_author_link(r["b"], article_id)),
                      html.Td(f"{r['n']} ({r['n_a_to_b']} / {r['n_b_to_a']})"), html.Td(str(r["n_deny"]))])
             for r in swaps.head(15).iter_rows(named=True)]
    return html.Table(rows, className="table")


def chains_part(data: RunData, article_id: str) -> list[Any]:
    if not data.has("stance"):
        return [html.Div(StageNote("stance", "stance.parquet").message, className="placeholder")]
    chains = pv.disagreement_chains(data.comments(article_id), data.stance(article_id))
    if not chains:
        return [html.P("No reply denies its parent: no disagreement chain.", className="help")]
    out: list[Any] = []
    for number, chain in enumerate(chains, start=1):
        first = chain["comment_id"][0]
        head = html.Div([html.B(f"Chain {number}: {chain.height - 1} denial{'s' if chain.height > 2 else ''} in a row"),
                         " · ", dcc.Link("open in the thread", className="btn-link",
                                         href="/thread?" + urlencode({"a": article_id, "c": first}))],
                        className="chain-head")
        steps = [html.Li([
            user_text(r["author"], class_name="author") if r["author"] else html.I("anonymous"), " ",
            html.Span(when(r["created_at"]), className="conv-time"), " ",
            stance_chip(r["stance_parent"] if i else None, toward="parent") if i else html.Span("starts", className="chip"),
            html.Div((r["text"] or f"({r['kind']})")[:280], className="comment-snippet", dir="auto"),
        ]) for i, r in enumerate(chain.iter_rows(named=True))]
        out += [head, html.Ol(steps, className="chain")]
    return out


def concentration_part(data: RunData, article_id: str | None) -> list[Any]:
    comments = data.scope_comments(article_id)
    summary = pv.concentration(comments, TOP_AUTHORS)
    top = pv.top_authors(comments, TOP_AUTHORS)
    n = int(summary["n_comments"] or 0)
    if n == 0:
        return [html.P("No visible comments.", className="help")]
    k = int(summary["top_comments"] or 0)
    line = (f"{summary['n_authors']} named authors wrote {n - int(summary['n_anonymous'] or 0):,} of {n:,} comments "
            f"({summary['n_anonymous']} anonymous). The {min(TOP_AUTHORS, int(summary['n_authors'] or 0))} most active "
            f"wrote {format_share(k, n)}.")
    return [html.P(line, className="summary-line"),
            graph({"type": "people-fig", "name": "top"}, figures.share_bars(top, label="author")),
            html.P("Share of all visible comments, with its 95 % interval; click a bar for the author's comments.",
                   className="help")]


def votes_part(data: RunData, article_id: str | None) -> Any | None:
    """Authors by the up-votes their comments received (None: the source counts no votes)."""
    received = pv.votes_received(data.scope_comments(article_id), TOP_AUTHORS)
    if received.is_empty():
        return None
    rows = [html.Tr([html.Th("author"), html.Th("comments (with votes)"), html.Th("votes received"),
                     html.Th("up-votes per comment")])]
    rows += [html.Tr([html.Td(_author_link(r["author"], article_id)), html.Td(f"{r['n']:,} ({r['n_voted']:,})"),
                      html.Td(votes_text(r["votes_up"], r["votes_down"])), html.Td(f"{r['up_per_comment']:.1f}")])
             for r in received.iter_rows(named=True)]
    return section("Votes received", html.Table(rows, className="table"),
                   help_text="Named authors by the up-votes their comments received (net score where the source "
                             "gives no separate down-votes); per comment, so a prolific author is not taken for a "
                             "well-received one.")


def body(data: RunData, article_id: str | None) -> list[Any]:
    pairs = data.reply_pairs(article_id)
    nodes, edges = pv.network_layout(pairs)
    scope = "this thread" if article_id else "the whole run (an author name is taken as one person across articles)"
    parts: list[Any] = [html.P(f"Replies between named authors in {scope}; anonymous comments and replies to oneself "
                               "are left out.", className="help")]
    if article_id and not data.has("stance"):
        parts.append(notice(StageNote("stance", "stance.parquet").message + " Without it, denials are unknown."))
    parts.append(html.Div([
        html.Div([section("Who replied to whom", pairs_table(pairs, article_id),
                          help_text="Most replies first. The deny share is of the replies with a stance label; below "
                                    "5 labelled replies no share is given."),
                  section("Reciprocal exchanges", exchanges_table(pairs, article_id),
                          help_text="Pairs who replied to each other, most replies first.")], className="col"),
        html.Div([section("Reply network", graph({"type": "people-fig", "name": "network"},
                                                 figures.author_network(nodes, edges)),
                          help_text=f"The {nodes.height} most connected authors on a circle; a line per pair, wider "
                                    "with more replies, redder with more denials. Click an author for their comments."),
                  section("Who carries the talk", *concentration_part(data, article_id))], className="col"),
    ], className="side-by-side"))
    votes = votes_part(data, article_id)
    if votes is not None:
        parts.append(votes)
    if article_id:
        parts.append(section("Longest disagreement chains", *chains_part(data, article_id),
                             help_text="Replies that each deny their parent, one after another; the first comment is "
                                       "the one disagreed with."))
    return parts


def layout(a: str | None = None, **_query: Any) -> html.Div:
    data = current_data()
    if a is not None and a != ids.ALL_ARTICLES and not data.has_article(a):
        return html.Div([dcc.Store(id=page_state("participants"), data={}), not_found(a)])
    article_id = None if a == ids.ALL_ARTICLES else data.resolve_article(a)
    options = [{"label": "all articles (corpus)", "value": ids.ALL_ARTICLES}]
    return html.Div([
        dcc.Store(id=page_state("participants"), data={"a": article_id} if article_id else {"a": None}),
        article_picker(ids.PEOPLE_PICK, data.picker_options(article_id), article_id or ids.ALL_ARTICLES, extra=options),
        html.Div(data.rendered(("participants", article_id), lambda: body(data, article_id),
                      pin=article_id is None), id=ids.PEOPLE_BODY),
    ])


def update(data: RunData, picked: Any) -> tuple[Any, dict[str, Any]]:
    article_id = picked if isinstance(picked, str) and data.has_article(picked) else None
    return data.rendered(("participants", article_id), lambda: body(data, article_id),
                      pin=article_id is None), {"a": article_id}
