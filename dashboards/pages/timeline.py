"""Over time: comments, stance toward the article and deletions per hour or day.

Counts come from :func:`analyzer.views.timeline.time_bins`; a click on a bar opens the
comments of that hour or day in the comment table.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from analyzer.outputs import figures
from analyzer.views import timeline as tl
from dashboards import ids
from dashboards.components import article_picker, graph, not_found, notice, section
from dashboards.data import RunData
from dashboards.state import current_data, page_state

PATH = "/time"
NAME = "Over time"
TITLE = "Over time · analyzer"
ORDER = 6

BIN_CHOICES = {"auto": "automatic", "1h": "per hour", "1d": "per day"}


def bin_choice(value: Any) -> tl.Bin | None:
    return value if value in ("1h", "1d") else None


def body(data: RunData, article_id: str | None, every: tl.Bin | None) -> list[Any]:
    bins, width, undated = data.time_bins(article_id, every)
    parts: list[Any] = []
    if undated:
        parts.append(notice(f"{undated:,} comments have no time and are not counted here."))
    if not bins.is_empty():
        total, deleted = int(bins["n_comments"].sum()), int(bins["n_deleted"].sum())
        peak = bins.sort("n_comments", descending=True).row(0, named=True)
        unit = "hour" if width == "1h" else "day"
        fmt = "%d %b %Y %H:00" if width == "1h" else "%d %b %Y"
        parts.append(html.P(f"{total:,} comments and {deleted:,} deleted or removed over {bins.height:,} {unit}s; "
                            f"the busiest {unit} ({peak['bin_start'].strftime(fmt)} UTC) had {peak['n_comments']:,}.",
                            className="summary-line"))
    stance_note = [] if data.has("stance") else [html.P("Stance stage not run: comments are not split by stance.",
                                                        className="help")]
    parts += [
        section("Comments and stance", *stance_note,
                graph({"type": "time-fig", "name": "stance"},
                      figures.time_series(bins, width=width, show="stance" if data.has("stance") else "volume")),
                help_text="Visible comments per bin, stacked by stance toward the article; red-outlined bars are "
                          "deleted or removed comments. Click a bar to read that bin's comments."),
    ]
    return parts


def layout(a: str | None = None, every: str | None = None, **_query: Any) -> html.Div:
    data = current_data()
    if a is not None and a != ids.ALL_ARTICLES and not data.has_article(a):
        return html.Div([dcc.Store(id=page_state("time"), data={}), not_found(a)])
    article_id = None if a == ids.ALL_ARTICLES else data.resolve_article(a)
    options = [{"label": "all articles (corpus)", "value": ids.ALL_ARTICLES}]
    choice = bin_choice(every)
    return html.Div([
        dcc.Store(id=page_state("time"), data={"a": article_id, "every": choice}),
        article_picker(ids.TIME_PICK, data.picker_options(article_id), article_id or ids.ALL_ARTICLES, extra=options),
        html.Div([html.Span("Bins ", className="picker-label"),
                  dcc.RadioItems(id=ids.TIME_BIN, value=choice or "auto", inline=True, className="radio",
                                 options=[{"label": v, "value": k} for k, v in BIN_CHOICES.items()])],
                 className="picker-row"),
        html.Div(data.rendered(("time", article_id, choice), lambda: body(data, article_id, choice),
                      pin=article_id is None), id=ids.TIME_BODY),
    ])


def update(data: RunData, picked: Any, every: Any) -> tuple[Any, dict[str, Any]]:
    article_id = picked if isinstance(picked, str) and data.has_article(picked) else None
    choice = bin_choice(every)
    return (data.rendered(("time", article_id, choice), lambda: body(data, article_id, choice),
                      pin=article_id is None),
            {"a": article_id, "every": choice})
