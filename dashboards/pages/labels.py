"""Labels and moderation: comment sentiment and categories, and what moderators removed.

From :mod:`analyzer.views.labels`: the share of each One Million Posts category and each
sentiment among the comments the label model scored, with counts and intervals, marked
"not a finding" where the model's held-out figures do not support the label; and removal
rates by reply depth, stance toward the parent, label, linked domain and time since the
thread's first comment.  Every share and every rate opens its comments.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import polars as pl
from dash import dcc, html

from analyzer.outputs import figures
from analyzer.views import labels as lv
from analyzer.views.numbers import format_share
from dashboards import ids
from dashboards.components import article_picker, graph, not_found, notice, section
from dashboards.data import RunData, StageNote
from dashboards.state import current_data, page_state

PATH = "/labels"
NAME = "Labels"
TITLE = "Labels and moderation · analyzer"
ORDER = 8

TOP_GROUPS = 15
# Where a click on a removal-rate bar leads: the grouping's filter on the comment table.
_GROUP_FILTER = {"depth": "depth", "stance_parent": "stance", "label": "label", "domain": "domain"}


def _href(query: dict[str, Any]) -> str:
    return "/comments?" + urlencode({k: v for k, v in query.items() if v is not None})


def _share(k: int, n: int, low: Any, high: Any, too_few: bool) -> str:
    if n <= 0:
        return "–"
    if too_few:
        return f"{k} of {n}: too few for a share"
    return format_share(k, n, low=low, high=high)


def _finding(flag: bool | None) -> Any:
    if flag is True:
        return html.Span("finding", className="chip chip-ok", title="held-out figures beat the best constant answer")
    if flag is False:
        return html.Span("not a finding", className="chip chip-warn",
                         title="held-out figures do not beat the best constant answer by the required margin")
    return html.Span("not evaluated", className="chip chip-warn", title="the model card has no held-out figure")


def labels_part(data: RunData, article_id: str | None) -> list[Any]:
    info = lv.stage_state(data)
    shares = lv.label_shares(data, article_id)
    if shares is None:
        return [html.Div(StageNote("labels", "comment_labels.parquet").message, className="placeholder")]
    scored, total = lv.n_scored(data, article_id)
    if info.get("state") == "model-absent" or shares.is_empty():
        how = info.get("how_to_build") or "analyzer labels train --omp FILE"
        return [notice(f"No comment was labelled: {'no label model is installed' if info.get('state') == 'model-absent' else 'the model scored none of these comments'}"
                       f" ({scored:,} of {total:,} comments scored). The model is learnt from the One Million Posts "
                       "corpus (CC BY-NC-SA, so not shipped); build it, then analyse again:"),
                html.Pre(how, className="code")]
    head = html.Tr([html.Th(h) for h in ("Label", "share of scored comments (95 % CI)", "held out", "comments")])
    rows = []
    for r in shares.iter_rows(named=True):
        query = {"a": article_id, ("sentiment" if r["kind"] == "sentiment" else "label"): r["label"]}
        rows.append(html.Tr([
            html.Td(r["name"]),
            html.Td(_share(int(r["n"]), int(r["n_total"]), r["ci_low"], r["ci_high"], bool(r["too_few"]))),
            html.Td(_finding(r["reliable"])),
            html.Td(dcc.Link(f"{r['n']:,}", href=_href(query), className="num-link", title="open these comments")),
        ]))
    reliable = shares.filter(pl.col("reliable").fill_null(False) & (pl.col("kind") == "label"))
    chart = [graph({"type": "labels-fig", "name": "labels"}, figures.rate_bars(reliable, label="name", custom="label",
                                                                           colour=figures.COMMENTS_COLOUR))] \
        if not reliable.is_empty() else []
    return [html.P(f"{scored:,} of {total:,} comments were scored by the model {info.get('model') or ''} "
                   "(German comments only).", className="summary-line"),
            html.Table([html.Thead(head), html.Tbody(rows)], className="table"), *chart]


def moderation_part(data: RunData, article_id: str | None) -> list[Any]:
    rates = lv.removal_rates(data, article_id)
    if rates is None:
        return [html.Div(StageNote("labels", "moderation.parquet").message, className="placeholder")]
    if rates.is_empty():
        return [html.P("No comment to count.", className="help")]
    overall = rates.filter(pl.col("by") == "all")
    parts: list[Any] = []
    if not overall.is_empty():
        k, n = int(overall["n_removed"].sum()), int(overall["n_comments"].sum())
        parts.append(html.P([f"Moderators removed {format_share(k, n)} of the comments readers wrote here. ",
                             dcc.Link("open the removed comments", href=_href({"a": article_id, "deleted": "yes"}),
                                      className="btn-link")], className="summary-line"))
        if k == 0:
            parts.append(html.P("Nothing was removed, so every rate below is zero; the intervals say how high a "
                                "rate these counts still allow.", className="help"))
    charts = []
    for by, words in lv.GROUPINGS.items():
        if by == "all":
            continue
        part = rates.filter(pl.col("by") == by).head(TOP_GROUPS)
        if part.is_empty():
            continue
        shown = part.with_columns(pl.col("group").alias("group"))
        charts.append(html.Div([
            html.H4(f"by {words}"),
            graph({"type": "labels-fig", "name": f"removed-{by}"}, figures.rate_bars(shown, label="group")),
        ], className="rate-chart"))
    parts.append(html.Div(charts, className="two-col"))
    return parts


def body(data: RunData, article_id: str | None) -> list[Any]:
    scope = "this thread" if article_id else "the whole run"
    return [
        section(f"Comment labels in {scope}", *labels_part(data, article_id),
                help_text="Sentiment and the One Million Posts categories (Schabus et al., SIGIR 2017), as shares "
                          "of the comments the model scored. Only labels marked “finding” beat the best constant "
                          "answer on held-out articles (docs/sentiment-and-labels.md); the others are shown, not "
                          "charted. Click a count for its comments."),
        section(f"Moderation: what was removed in {scope}", *moderation_part(data, article_id),
                help_text="Removal rate = removed by moderators (deleted or removed placeholders, with or without "
                          "text) among the comments readers wrote, with its 95 % interval; grey bars have too few "
                          "comments for a rate. Click a bar for the removed comments of that group."),
    ]


def layout(a: str | None = None, **_query: Any) -> html.Div:
    data = current_data()
    if a is not None and a != ids.ALL_ARTICLES and not data.has_article(a):
        return html.Div([dcc.Store(id=page_state("labels"), data={}), not_found(a)])
    article_id = data.resolve_article(a) if a is not None and a != ids.ALL_ARTICLES else None
    options = [{"label": "all articles (corpus)", "value": ids.ALL_ARTICLES}]
    return html.Div([
        dcc.Store(id=page_state("labels"), data={"a": article_id}),
        article_picker(ids.LABELS_PICK, data.picker_options(article_id), article_id or ids.ALL_ARTICLES,
                       extra=options),
        html.Div(data.rendered(("labels", article_id), lambda: body(data, article_id), pin=article_id is None), id=ids.LABELS_BODY),
    ])


def update(data: RunData, picked: Any) -> tuple[Any, dict[str, Any]]:
    article_id = picked if isinstance(picked, str) and data.has_article(picked) else None
    return data.rendered(("labels", article_id), lambda: body(data, article_id), pin=article_id is None), {"a": article_id}


def click_target(data: RunData, name: Any, click: Any, state: Any) -> str | None:
    """The comment table behind a clicked bar (a label, or one group's removed comments)."""
    try:
        group = click["points"][0]["customdata"]
    except (KeyError, IndexError, TypeError):
        return None
    if not isinstance(group, str) or len(group) > 500 or not isinstance(name, str):
        return None
    article_id = state.get("a") if isinstance(state, dict) else None
    article_id = article_id if isinstance(article_id, str) and data.has_article(article_id) else None
    if name == "labels":
        return _href({"a": article_id, "label": group})
    by = name.removeprefix("removed-")
    query: dict[str, Any] = {"a": article_id, "deleted": "yes"}
    key = _GROUP_FILTER.get(by)
    if key == "stance":
        query.update(stance=group, target="parent")
    elif key == "depth":
        query["depth"] = group.rstrip("+")
    elif key is not None:
        query[key] = group
    return _href(query)
