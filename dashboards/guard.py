"""Refuse requests for paths the dashboard does not serve, before Dash or Flask look at them.

The server answers a fixed set of paths: the pages, Dash's own endpoints, our ``assets/``
folder and the component bundles Dash registered.  Dash's catch-all route would answer any
other path with the index page (status 200), and a traversal attempt on
``/_dash-component-suites/`` raises ``DependencyException`` (status 500, a traceback in the
log).  Neither leaks a file (Flask's ``safe_join`` and Dash's registry of bundle paths see to
that), but a scanner cannot tell, and a 500 looks like a bug.  So:

* a path with a ``..`` or ``.`` segment, a backslash, a NUL, an empty segment (``//``) or a
  percent-escape left after decoding (``%2e%2e%2f`` sent twice-encoded) is refused with 400;
* any other path that is not a page, one of Dash's endpoints or under ``/assets/`` or
  ``/_dash-component-suites/`` gets 404;
* a bundle path Dash does not know (``DependencyException``) gets 404 instead of 500.

URL *query* values (``?a=…&c=…``) are not paths: page layouts and callbacks look article,
comment and domain ids up in the run and fall back to a default for unknown ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

import flask
from dash.exceptions import DependencyException

DASH_ENDPOINTS = frozenset({"/_dash-layout", "/_dash-dependencies", "/_dash-update-component", "/_favicon.ico",
                            "/_reload-hash"})
FILE_PREFIXES = ("/assets/", "/_dash-component-suites/")
NOT_FOUND = "Not found: this dashboard serves /, /article, /thread and /links.\n"
BAD_PATH = "Bad request: the path is not a plain path.\n"


def is_plain_path(path: str) -> bool:
    """True for a path without traversal tricks (``path`` as the server decoded it once).

    Example:
        >>> is_plain_path("/assets/style.css"), is_plain_path("/assets/../app.py"), is_plain_path("/a/%2e%2e/b")
        (True, False, False)
    """
    if any(ch in path for ch in ("\\", "\x00", "%")) or not path.startswith("/"):
        return False
    decoded = unquote(path)
    segments = decoded.split("/")[1:]
    if any(s in ("", ".", "..") for s in segments[:-1]) or segments[-1] in (".", ".."):
        return False
    return "//" not in decoded


def is_served(path: str, pages: Iterable[str]) -> bool:
    """True if ``path`` is a page, one of Dash's endpoints or under a file prefix we serve."""
    page_paths = set(pages)
    return (path in page_paths or path.rstrip("/") in page_paths or path in DASH_ENDPOINTS
            or path.startswith(FILE_PREFIXES))


def install(server: flask.Flask, pages: Iterable[str]) -> None:
    """Attach the path checks to ``server`` (``pages``: the registered page paths)."""
    page_paths = frozenset(pages)

    @server.before_request
    def _refuse() -> Any:
        path = flask.request.path
        if not is_plain_path(path):
            return flask.Response(BAD_PATH, status=400, mimetype="text/plain")
        if not is_served(path, page_paths):
            return flask.Response(NOT_FOUND, status=404, mimetype="text/plain")
        return None

    @server.errorhandler(DependencyException)
    def _unknown_bundle(_error: DependencyException) -> Any:
        return flask.Response(NOT_FOUND, status=404, mimetype="text/plain")
