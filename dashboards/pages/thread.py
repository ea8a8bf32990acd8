"""Thread: the reply tree (icicle), a clicked comment with its evidence, L_k and reply latency."""

from __future__ import annotations

from typing import Any

import polars as pl
from dash import dcc, html

from analyzer.outputs import figures
from dashboards import ids
from dashboards.app import current_data, page_state
from dashboards.components import (
    article_picker,
    fmt_share,
    graph,
    notice,
    placeholder,
    section,
    stance_legend,
    url_text,
    user_text,
)
from dashboards.data import RunData, StageNote, evidence_items
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
    nodes, n_folded = tree_nodes(data.comments(article_id), data.stance(article_id), colour_by=colour_by)
    art = data.article(article_id) or {}
    figure = figures.thread_icicle(nodes, root_label=art.get("title") or article_id, selected=selected)
    notes: list[Any] = []
    if n_folded:
        notes.append(notice(f"Large thread: showing the {MAX_TREE_NODES:,} largest branches; {n_folded:,} smaller "
                            f"replies are folded into their parents' boxes (box size still counts them)."))
    if data.stance(article_id) is None:
        notes.append(placeholder(StageNote("stance", "stance.parquet")))
    return figure, notes


def detail(data: RunData, article_id: str, comment_id: str | None) -> list[Any]:
    """Everything known about one comment: text, stance with its cues, frames, quotes, links."""
    if not comment_id:
        return [html.P("Click a box in the tree to read the comment and see why it got its stance.", className="help")]
    row = data.comment(article_id, comment_id)
    if row is None:
        return [notice(f"Comment {comment_id!r} is not in this thread.")]
    if row["is_ghost"]:
        return [html.H4("Ghost"), html.P(f"A comment at depth {row['depth']} is missing from the capture: "
                                         "its replies were visible, so its place in the tree is known.")]
    when = row["created_at"].strftime("%d %b %Y %H:%M UTC") if row["created_at"] else None
    facts = " · ".join(p for p in (f"depth {row['depth']}", row["kind"], when) if p)
    meta = [user_text(row["author"], class_name="author") if row["author"] else "anonymous", f" · {facts}"]
    text = row["text"] or ""
    parts: list[Any] = [html.H4(["Comment ", user_text(comment_id)]), html.Div(meta, className="meta")]
    parts.append(html.Div(text[:MAX_DETAIL_CHARS] or "(no text)", className="comment-text", dir="auto"))
    if len(text) > MAX_DETAIL_CHARS:
        parts.append(notice(f"Comment cut at {MAX_DETAIL_CHARS:,} of {len(text):,} characters."))
    parts += _stance_part(data, article_id, comment_id)
    parts += _frames_part(data, article_id, comment_id)
    parts += _quotes_part(data, article_id, comment_id, text)
    parts += _links_part(data, article_id, comment_id)
    return parts


def _stance_part(data: RunData, article_id: str, comment_id: str) -> list[Any]:
    if not data.has("stance"):
        return [html.H5("Stance"), html.P("stance stage not run", className="help")]
    row = data.stance_of(article_id, comment_id)
    if row is None:
        return [html.H5("Stance"), html.P("no stance label for this comment", className="help")]

    def label(name: str) -> str:
        conf = row.get(f"{name}_conf")
        return f"{row.get(name) or '–'}" + (f" ({conf:.0%})" if conf is not None else "")

    items = evidence_items(row.get("evidence"))
    return [
        html.H5("Stance"),
        html.Div([html.Span("toward the parent: "), html.B(label("stance_parent")),
                  html.Span(" · toward the article: "), html.B(label("stance_article")),
                  html.Span(f" · model {row.get('model') or '?'}", className="help")]),
        html.Ul([html.Li(i) for i in items], className="evidence") if items else html.P("no cues recorded", className="help"),
    ]


def _frames_part(data: RunData, article_id: str, comment_id: str) -> list[Any]:
    frames = data.comment_frames(article_id, comment_id)
    if frames is None:
        return []
    if frames.is_empty():
        return [html.H5("Frames"), html.P("no frame terms in this comment", className="help")]
    grouped = (frames.explode("matched_lemmas").group_by("frame")
               .agg(pl.col("matched_lemmas").drop_nulls().unique().sort()).sort("frame"))
    return [html.H5("Frames"), html.Ul([html.Li([html.B(f), ": ", user_text(", ".join(lemmas))])
                                        for f, lemmas in grouped.iter_rows()])]


def _quotes_part(data: RunData, article_id: str, comment_id: str, text: str) -> list[Any]:
    quotes = data.quotes(article_id)
    own = data.own_text(article_id, comment_id)
    items: list[Any] = []
    if quotes is not None:
        sentences = data.article_sentences(article_id)
        texts = {} if sentences is None else dict(zip(sentences["sent_idx"].to_list(), sentences["text"].to_list(),
                                                      strict=True))
        for start, end, method, sent in quotes.filter(pl.col("comment_id") == comment_id).select(
                "start_char", "end_char", "method", "article_sent_idx").iter_rows():
            source = f"article sentence {sent}" if sent is not None else "the parent comment"
            quoted = text[max(0, start or 0):max(0, end or 0)][:400]
            items.append(html.Li([html.Span(f"{method}, from {source}: ", className="help"),
                                  html.Q(quoted or texts.get(sent, ""), dir="auto")]))
    if not items and own is None:
        return []
    head: list[Any] = [html.H5("Quotes")]
    if own is not None:
        head.append(html.P(f"{fmt_share(own['quote_share'])} of the comment's 8-word shingles come from the article "
                           f"({own['n_quoted_chars']} quoted characters removed before stance and framing).",
                           className="help"))
    return head + ([html.Ul(items)] if items else [])


def _links_part(data: RunData, article_id: str, comment_id: str) -> list[Any]:
    links = data.links(article_id)
    if links is None:
        return []
    rows = links.filter(pl.col("comment_id") == comment_id)
    if rows.is_empty():
        return []
    items = [html.Li([url_text(url), html.Span(f" · {domain}" + (f" · written obfuscated ({obf})" if obf else ""),
                                               className="help")])
             for url, domain, obf in rows.select("url_normalised", "domain", "obfuscation").iter_rows()]
    return [html.H5("Links"), html.Ul(items)]


def profile(data: RunData, article_id: str) -> tuple[Any, Any]:
    return (figures.depth_profile(data.levels(article_id)), figures.latency_histogram(data.latencies(article_id)))


def layout(a: str | None = None, c: str | None = None, color: str | None = None, **_query: Any) -> html.Div:
    data = current_data()
    article_id = data.resolve_article(a)
    if article_id is None:
        return html.Div([dcc.Store(id=page_state("thread"), data={}), notice("This run has no articles.")])
    colour_by = colour_choice(color)
    comment_id = c if isinstance(c, str) and data.comment(article_id, c) is not None else None
    figure, notes = tree(data, article_id, colour_by, comment_id)
    depth_fig, latency_fig = profile(data, article_id)
    return html.Div([
        dcc.Store(id=page_state("thread"), data={"a": article_id, "c": comment_id, "color": colour_by}),
        article_picker(ids.THREAD_PICK, data.article_options(), article_id),
        html.Div([
            html.Div([
                html.Div([
                    html.Span("Colour by ", className="picker-label"),
                    dcc.RadioItems(id=ids.THREAD_COLOR, value=colour_by, inline=True, className="radio",
                                   options=[{"label": v, "value": k} for k, v in COLOUR_CHOICES.items()]),
                ], className="picker-row"),
                stance_legend(),
                html.Div(notes, id=ids.THREAD_NOTE),
                graph(ids.THREAD_TREE, figure),
                html.P("The article on the left, replies to the right; a box's height is its subtree. "
                       "Click a box to open the comment (it gets a dark outline); click again to zoom into its branch.", className="help"),
            ], className="col col-tree"),
            html.Div(section("Comment", html.Div(detail(data, article_id, comment_id), id=ids.THREAD_DETAIL)),
                     className="col col-detail"),
        ], className="side-by-side"),
        html.Div([
            section("Depth profile L_k", graph(ids.THREAD_DEPTH, depth_fig),
                    help_text="Comments per reply depth; white bars are ghosts (missing comments)."),
            section("Reply latency", graph(ids.THREAD_LATENCY, latency_fig),
                    help_text="Time between a comment and its parent, when the input has timestamps."),
        ], className="two-col"),
    ])
