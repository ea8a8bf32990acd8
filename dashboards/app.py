"""The Dash app factory: ``create_app(run_dir)`` serves one run folder.

Pages are registered with ``dash.register_page`` (their ``layout(**query)`` loads nothing at
import), callbacks are attached to the app they belong to (so tests can build several apps in
one process), and the served :class:`~dashboards.data.RunData` lives in the Flask config, where
page layouts and callbacks find it through :func:`current_data`.

State in the URL: each page keeps its state (article, selected comment, colouring, domain) in a
``dcc.Store`` with a pattern-matching id; one clientside callback (``assets/clientside.js``, no
inline script, see :func:`content_security_policy`) copies that state into the
query string with ``history.replaceState``, which neither reloads nor re-renders the page, and
points the navigation links at the same article.  Opening the URL elsewhere restores the view,
because page layouts read their query arguments.

Example:
    >>> app = create_app("/tmp/dash_run")  # doctest: +SKIP
    >>> app.run(host="127.0.0.1", port=8050)  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

import dash
import flask
from dash import ALL, ClientsideFunction, Input, Output, dcc, html

from dashboards import guard, ids
from dashboards.data import RunData
from dashboards.respcache import ResponseCache
from dashboards.state import DATA_KEY

ASSETS = Path(__file__).resolve().parent / "assets"


def _shell(data: RunData) -> html.Div:
    nav = html.Nav(
        [
            html.Span("analyzer", className="brand"),
            dcc.Link("Corpus", href="/", id=ids.NAV_CORPUS, className="nav-link"),
            dcc.Link("Article vs readers", href="/article", id=ids.NAV_ARTICLE, className="nav-link"),
            dcc.Link("Thread", href="/thread", id=ids.NAV_THREAD, className="nav-link"),
            dcc.Link("Links", href="/links", id=ids.NAV_LINKS, className="nav-link"),
            dcc.Link("Comments", href="/comments", id=ids.NAV_COMMENTS, className="nav-link"),
            dcc.Link("Participants", href="/participants", id=ids.NAV_PEOPLE, className="nav-link"),
            dcc.Link("Over time", href="/time", id=ids.NAV_TIME, className="nav-link"),
            dcc.Link("Labels", href="/labels", id=ids.NAV_LABELS, className="nav-link"),
            dcc.Link("Coordination", href="/coordination", id=ids.NAV_COORD, className="nav-link"),
            html.Span(data.label(), id=ids.RUN_LABEL, className="run-label", title=str(data.path), dir="auto"),
        ],
        id=ids.NAV, className="nav",
    )
    return html.Div([
        nav,
        html.Div([data.nlp_banner(), " ", data.model_banner()], id=ids.NLP_BANNER, className="banner"),
        dcc.Location(id=ids.GO, refresh="callback-nav"),
        html.Main(dash.page_container, className="main"),
    ])


def create_app(run_dir: str | Path, *, data: RunData | None = None, warm: bool = True,
               cache_answers: bool = True) -> dash.Dash:
    """Build the dashboard for one run folder.

    Args:
        run_dir: the run folder to serve (read once; nothing else on disk is read).
        data: an already opened :class:`RunData` for ``run_dir`` (tests, benchmarks).
        warm: build the per-article caches before returning (the first clicks stay fast).
        cache_answers: keep whole answers of repeated requests (:mod:`dashboards.respcache`);
            off only to measure the work of a request (``tests/bench/dashboard_cpu.py``).
    """
    # Plotly's "json" engine (the standard library's C encoder, components and figures through
    # its default hook) encodes a thread page in about half the CPU time of the "orjson" engine,
    # which first walks every value in Python (python -m tests.bench.dashboard_first_page --cpu:
    # 5,000-comment thread page 27 -> 13 ms, a 100-comment one 10 -> 6 ms).
    import plotly.io

    from dashboards import callbacks
    from dashboards.pages import PAGES

    plotly.io.json.config.default_engine = "json"
    served = data if data is not None else RunData(run_dir)
    if warm:
        served.warm()
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        title="analyzer · comment threads",
        update_title=None,  # type: ignore[arg-type]  # None (no "Updating…" title) is documented
        suppress_callback_exceptions=True,
        serve_locally=True,  # never fetch scripts from a CDN: the dashboard works offline
    )
    app.server.config[DATA_KEY] = served
    # dash.register_page and Dash.clientside_callback carry no annotations: called through Any.
    register_page: Any = dash.register_page
    for page in PAGES:
        register_page(page.__name__, path=page.PATH, name=page.NAME, title=page.TITLE,
                           order=page.ORDER, layout=page.layout)
    app.layout = _shell(served)
    clientside: Any = app.clientside_callback
    clientside(
        ClientsideFunction("analyzer", "syncUrl"),  # assets/clientside.js
        Output(ids.NAV_CORPUS, "href"), Output(ids.NAV_ARTICLE, "href"),
        Output(ids.NAV_THREAD, "href"), Output(ids.NAV_LINKS, "href"), Output(ids.NAV_COMMENTS, "href"),
        Output(ids.NAV_PEOPLE, "href"), Output(ids.NAV_TIME, "href"), Output(ids.NAV_LABELS, "href"),
        Output(ids.NAV_COORD, "href"),
        Input({"type": ids.STATE, "page": ALL}, "data"),
    )
    callbacks.register(app)
    guard.install(app.server, [page.PATH for page in PAGES])
    policy = _harden(app.server)
    # Dash's index page is fixed once the app is built: hash its inline scripts for the CSP.
    client = app.server.test_client()
    policy["csp"] = content_security_policy(inline_script_hashes(client.get("/").get_data(as_text=True)))
    if warm:
        _warm_server(client)
        _warm_pages(served)
    # Installed last: the answers kept must carry the final Content-Security-Policy.
    if cache_answers:
        app.server.wsgi_app = ResponseCache(app.server.wsgi_app, [page.PATH for page in PAGES],
                                            version=served.generation)
    return app


def _warm_pages(data: RunData) -> None:
    """Build the run-wide page bodies once, before the first visitor asks.

    They depend on the run only (no article chosen), and their first build is the slowest
    request of a served run: the participants of 105,000 comments took 186 ms of CPU cold and
    70 ms warm (``python -m tests.bench.dashboard_first_page --cpu``, participants: corpus).
    The keys are the pages' own (:meth:`RunData.rendered`), so the pages find them.
    """
    from dashboards.pages import coordination, labels, participants, timeline

    data.rendered(("participants", None), lambda: participants.body(data, None), pin=True)
    data.rendered(("time", None, None), lambda: timeline.body(data, None, None), pin=True)
    data.rendered(("coordination", None), lambda: coordination.body(data, None), pin=True)
    data.rendered(("labels", None), lambda: labels.body(data, None), pin=True)


# Inline <script> elements of Dash's own index page (trusted, generated at start-up).
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)


def inline_script_hashes(index_html: str) -> list[str]:
    """CSP hash-sources of the executable inline scripts of an index page.

    Only for Dash's own index, read once at start-up: hashing what a page contains would
    whitelist anything injected into it.

    Example:
        >>> inline_script_hashes('<script src="/a.js"></script><script>var a = 1;</script>')
        ["'sha256-+dZ6udsWxNVoGfScAq7t5IIF5UJb4F6RhjbN6oe1p4w='"]
    """
    hashes = []
    for match in _INLINE_SCRIPT.finditer(index_html):
        attrs = match["attrs"].lower()
        if "src=" in attrs or "application/json" in attrs:  # JSON data blocks never execute
            continue
        digest = hashlib.sha256(match["body"].encode("utf-8")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return sorted(set(hashes))


def content_security_policy(script_hashes: list[str]) -> str:
    """The Content-Security-Policy of every response.

    Scripts only from this server, plus Dash's own inline scripts in the index page (the
    renderer start, the page-title callback of ``dash.register_page``) allowed by their SHA-256
    hashes rather than by ``'unsafe-inline'``; our clientside callbacks live in
    ``assets/clientside.js`` for this reason.  No ``'unsafe-eval'``: Dash, dash-ag-grid and
    plotly.js run without it (the browser tests fail on any console error, CSP violations
    included).  Styles allow ``'unsafe-inline'`` because plotly.js and AG Grid inject
    ``<style>`` elements at run time; injected CSS cannot run script.  ``data:`` images and
    fonts: AG Grid's icons and plotly's mode bar.

    References:
        W3C, Content Security Policy Level 3, §2.3.1 (hash-source), §6.7.3 (inline checks).
    """
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src 'self'", *script_hashes]),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])


def _warm_server(client: Any) -> None:
    """Answer the first page's requests once before serving.

    Dash's JSON encoder imports numpy on first use: about 0.1 s that would otherwise land on
    the first visitor's ``/_dash-layout`` (measured with ``python -m tests.bench.dashboard_first_page``).
    """
    for path in ("/_dash-layout", "/_dash-dependencies"):
        client.get(path)


def _harden(server: flask.Flask) -> dict[str, str]:
    """Headers that keep untrusted content inert even if something slipped through.

    Returns the mutable holder of the CSP, filled in by :func:`create_app` once Dash's index
    page exists; until then (the start-up request only) the policy allows no script at all.
    """
    policy = {"csp": content_security_policy([]) .replace("script-src 'self'", "script-src 'none'")}

    @server.after_request
    def _headers(response: Any) -> Any:
        response.headers.setdefault("Content-Security-Policy", policy["csp"])
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response

    return policy
