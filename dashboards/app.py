"""The Dash app factory: ``create_app(run_dir)`` serves one run folder.

Pages are registered with ``dash.register_page`` (their ``layout(**query)`` loads nothing at
import), callbacks are attached to the app they belong to (so tests can build several apps in
one process), and the served :class:`~dashboards.data.RunData` lives in the Flask config, where
page layouts and callbacks find it through :func:`current_data`.

State in the URL: each page keeps its state (article, selected comment, colouring, domain) in a
``dcc.Store`` with a pattern-matching id; one clientside callback copies that state into the
query string with ``history.replaceState``, which neither reloads nor re-renders the page, and
points the navigation links at the same article.  Opening the URL elsewhere restores the view,
because page layouts read their query arguments.

Example:
    >>> app = create_app("/tmp/dash_run")  # doctest: +SKIP
    >>> app.run(host="127.0.0.1", port=8050)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
import flask
from dash import ALL, Input, Output, dcc, html

from dashboards import ids
from dashboards.data import RunData

ASSETS = Path(__file__).resolve().parent / "assets"
DATA_KEY = "ANALYZER_RUN_DATA"

# Copies the page state into the address bar and the navigation links (no reload, no re-render).
_SYNC_URL_JS = """
function(states) {
    const state = (states || []).find(s => s) || {};
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(state)) {
        if (value !== null && value !== undefined && value !== '') { params.set(key, String(value)); }
    }
    const query = params.toString();
    const wanted = window.location.pathname + (query ? '?' + query : '');
    if (wanted !== window.location.pathname + window.location.search) {
        window.history.replaceState(window.history.state, '', wanted);
    }
    const a = state.a ? '?a=' + encodeURIComponent(state.a) : '';
    return ['/', '/article' + a, '/thread' + a, '/links' + a];
}
"""


def current_data() -> RunData:
    """The run served by the app handling the current request."""
    return flask.current_app.config[DATA_KEY]  # type: ignore[no-any-return]


def page_state(page: str) -> dict[str, str]:
    """The pattern-matching id of a page's state store."""
    return {"type": ids.STATE, "page": page}


def _shell(data: RunData) -> html.Div:
    nav = html.Nav(
        [
            html.Span("analyzer", className="brand"),
            dcc.Link("Corpus", href="/", id=ids.NAV_CORPUS, className="nav-link"),
            dcc.Link("Article vs readers", href="/article", id=ids.NAV_ARTICLE, className="nav-link"),
            dcc.Link("Thread", href="/thread", id=ids.NAV_THREAD, className="nav-link"),
            dcc.Link("Links", href="/links", id=ids.NAV_LINKS, className="nav-link"),
            html.Span(data.label(), id=ids.RUN_LABEL, className="run-label", title=str(data.path)),
        ],
        id=ids.NAV, className="nav",
    )
    return html.Div([
        nav,
        html.Div(data.nlp_banner(), id=ids.NLP_BANNER, className="banner"),
        dcc.Location(id=ids.GO, refresh="callback-nav"),
        html.Main(dash.page_container, className="main"),
    ])


def create_app(run_dir: str | Path, *, data: RunData | None = None, warm: bool = True) -> dash.Dash:
    """Build the dashboard for one run folder.

    Args:
        run_dir: the run folder to serve (read once; nothing else on disk is read).
        data: an already opened :class:`RunData` for ``run_dir`` (tests, benchmarks).
        warm: build the per-article caches before returning (the first clicks stay fast).
    """
    from dashboards import callbacks
    from dashboards.pages import PAGES

    served = data if data is not None else RunData(run_dir)
    if warm:
        served.warm()
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        title="analyzer · comment threads",
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,  # never fetch scripts from a CDN: the dashboard works offline
    )
    app.server.config[DATA_KEY] = served
    for page in PAGES:
        dash.register_page(page.__name__, path=page.PATH, name=page.NAME, title=page.TITLE,
                           order=page.ORDER, layout=page.layout)
    app.layout = _shell(served)
    app.clientside_callback(
        _SYNC_URL_JS,
        Output(ids.NAV_CORPUS, "href"), Output(ids.NAV_ARTICLE, "href"),
        Output(ids.NAV_THREAD, "href"), Output(ids.NAV_LINKS, "href"),
        Input({"type": ids.STATE, "page": ALL}, "data"),
    )
    callbacks.register(app)
    _harden(app.server)
    return app


def _harden(server: flask.Flask) -> None:
    """Headers that keep untrusted content inert even if something slipped through."""

    @server.after_request
    def _headers(response: Any) -> Any:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
