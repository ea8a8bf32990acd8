"""Small UI builders shared by the pages: cards, placeholders, safe links, formatted numbers.

Untrusted text (titles, bodies, comments, URLs) only ever becomes a string child of an html
component, which React renders as text.  Links are made clickable only for http(s) URLs.
Untrusted text that shares a line with our own words goes into :func:`user_text` (a ``<bdi>``
element): bidi controls in it, such as an unclosed U+202E RIGHT-TO-LEFT OVERRIDE in an author
name, then cannot reorder the labels around it (Unicode UAX #9, rule X5a-X6a isolates).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from dash import dcc, html
from dash.development.base_component import Component

from analyzer.outputs.figures import STANCE_COLOURS
from dashboards.data import StageNote

GRAPH_CONFIG = dcc.Graph.Config(displaylogo=False, modeBarButtonsToRemove=["lasso2d", "select2d"])
SAFE_SCHEMES = frozenset({"http", "https"})
MAX_URL_CHARS = 2_000  # longer URLs are shown shortened and never linked


def safe_href(url: str | None) -> str | None:
    """``url`` if it is an http(s) URL with a host and of sane length, else None.

    Example:
        >>> safe_href("javascript:alert(1)") is None, safe_href("https://example.org/a")
        (True, 'https://example.org/a')
    """
    if not url or len(url) > MAX_URL_CHARS or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return url


def user_text(text: str | None, *, class_name: str | None = None) -> html.Bdi:
    """Untrusted inline text, bidi-isolated from its surroundings, its direction from its content.

    Example:
        >>> user_text("Mallory\u202eexe").children
        'Mallory\u202eexe'
    """
    props: dict[str, Any] = {"className": class_name} if class_name else {}
    return html.Bdi(text or "", **props)


def el(tag: str, children: Any = None, **props: Any) -> dict[str, Any]:
    """An ``html`` element as the plain data Dash sends for it: ``el("Span", "x", className="c")``
    is ``html.Span("x", className="c")`` encoded (tested), built without the component.

    For the conversation list, a hundred rows of about twenty elements per page: building the
    components and then encoding them cost twice what building the data does.
    """
    return {"props": {"children": children, **props}, "type": tag, "namespace": "dash_html_components"}


def plain(value: Any) -> Any:
    """A component tree as the plain JSON data Dash sends for it (dicts, lists, strings).

    For parts kept across requests: Dash encodes a component by calling its
    ``to_plotly_json`` and then each child's, in Python; plain data goes through the C
    encoder.  The browser receives the same JSON either way (tested).
    """
    if isinstance(value, Component):
        data: dict[str, Any] = value.to_plotly_json()  # type: ignore[no-untyped-call]
        data["props"] = {key: plain(item) for key, item in data["props"].items()}
        return data
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


def shorten(text: str | None, limit: int) -> str:
    if not text:
        return ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def url_text(url: str | None, *, label: str | None = None, limit: int = 90) -> html.Span | html.A:
    """A URL as a link when it is safe, else as plain (shortened) text."""
    href = safe_href(url)
    shown = shorten(label or url or "", limit)
    if href is None:
        return html.Span(shown, className="url-text", title="not linked (not an http(s) URL)", dir="auto")
    return html.A(shown, href=href, target="_blank", rel="noopener noreferrer nofollow", className="url-link", dir="auto")


def fmt_share(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f} %"


def fmt_number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "–"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}".replace(",", " ")
    return f"{value:.{digits}f}"


def fmt_signed(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:+.{digits}f}"


def card(label: str, value: str, help_text: str, *, card_id: str | None = None, detail: str | None = None) -> html.Div:
    """A headline number with its meaning on hover and in small print (``detail``: the counts behind it)."""
    props: dict[str, Any] = {"className": "card", "title": help_text}
    if card_id:
        props["id"] = card_id
    parts = [html.Div(value, className="card-value"), html.Div(label, className="card-label")]
    if detail:
        parts.append(html.Div(detail, className="card-detail"))
    return html.Div(parts, **props)


def placeholder(note: StageNote) -> html.Div:
    return html.Div(note.message, className="placeholder")


def notice(text: str) -> html.Div:
    return html.Div(text, className="notice")


def graph(graph_id: str | dict[str, str], figure: Any, **kwargs: Any) -> dcc.Graph:
    return dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG, **kwargs)


def article_picker(picker_id: str, options: Sequence[dict[str, str]], value: str | None,
                   *, extra: Sequence[dict[str, str]] = ()) -> html.Div:
    return html.Div(
        [html.Label("Article", htmlFor=picker_id, className="picker-label"),
         dcc.Dropdown(id=picker_id, options=[*extra, *options], value=value, clearable=False,
                      className="picker", optionHeight=40)],
        className="picker-row",
    )


def stance_legend() -> html.Div:
    return html.Div(
        [html.Span([html.Span(className="swatch", style={"background": colour}), label], className="legend-item")
         for label, colour in STANCE_COLOURS.items()]
        + [html.Span([html.Span(className="swatch swatch-ghost"), "ghost (missing comment)"], className="legend-item"),
           html.Span([html.Span(className="swatch", style={"background": "#d9d9d9"}), "no label"],
                     className="legend-item")],
        className="legend",
    )


def section(title: str, *children: Any, help_text: str | None = None, section_id: str | None = None) -> html.Section:
    head: list[Any] = [html.H3(title)]
    if help_text:
        head.append(html.P(help_text, className="help"))
    props: dict[str, Any] = {"className": "panel"}
    if section_id:
        props["id"] = section_id
    return html.Section([*head, *children], **props)


def not_found(article_id: str) -> html.Div:
    """What a shared link with an article id this run does not have shows (never another article)."""
    return html.Div([
        html.H2("Article not found"),
        html.P(["This run has no article with the id ", user_text(shorten(article_id, 120), class_name="code"),
                ". The link may come from another run, or the id was cut when it was copied."]),
        dcc.Link("Go to the list of articles", href="/", className="btn-link"),
    ], className="not-found", role="alert")
