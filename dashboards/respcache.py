"""A bounded LRU of whole HTTP answers for the dashboard's pure endpoints.

Every answer of a served run is a function of the request alone: the run folder is read once
and never changes while it is served, and no page or callback reads cookies, headers or the
clock (``dashboards/`` reads ``flask.request`` only for the path, in :mod:`dashboards.guard`).
So the answer to the same request is the same bytes, and it can be kept:

* ``GET`` of a page (path and query), ``/_dash-layout`` and ``/_dash-dependencies``: the same for
  every visitor (about 1.2-2.5 ms of CPU each, three per page visit);
* ``POST /_dash-update-component``, keyed by the request body (the callback's outputs, inputs,
  state and changed properties): the page-routing callback of an article many readers open,
  a picker choice, a colouring, a grid page.

Why here and not per view: the costliest part of a served page after its figures are kept is
turning the component tree into JSON (Dash calls ``to_plotly_json`` on every component:
about a thousand per thread page).  A kept answer skips Dash, the layout and the encoding.

The run folder can be replaced while served (``analyze`` again into the same folder):
:class:`~analyzer.views.RunView` then drops every view built from the older run, and this
cache drops every answer too (``version``: the served run's generation, checked per request).

Not kept: other paths (static files have their own conditional-GET handling), answers that are
not 200, that set a cookie, that are larger than :data:`MAX_ENTRY_BYTES` (a CSV export), or
requests with a body larger than :data:`MAX_KEY_BODY_BYTES`.  The cache is per process
(a worker of ``analyzer serve --workers N`` keeps its own) and bounded in bytes.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

# Sizes chosen for the 100k-comment benchmark run (tests/bench/dashboard_cpu.py): a thread page
# of the 5,000-comment thread is about 600 KiB, a 100-comment one about 60 KiB; 64 MiB holds
# several hundred pages per worker, well under a worker's memory for that run (about 400 MiB).
MAX_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 4 * 1024 * 1024
MAX_KEY_BODY_BYTES = 256 * 1024
CACHED_GET = frozenset({"/_dash-layout", "/_dash-dependencies"})
UPDATE = "/_dash-update-component"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class Answer:
    """A kept answer: status line, headers and body."""

    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


class ResponseCache:
    """WSGI middleware: answers repeated pure requests from a byte-bounded LRU.

    Args:
        app: the wrapped WSGI application (the Flask app's ``wsgi_app``).
        pages: the page paths whose ``GET`` answers may be kept.
        max_bytes: the cache's size in body bytes.
        version: called per request; when its value changes, every kept answer is dropped
            (the served run's generation).

    Example:
        >>> server.wsgi_app = ResponseCache(server.wsgi_app, ["/", "/thread"])  # doctest: +SKIP
    """

    def __init__(self, app: WsgiApp, pages: Iterable[str], max_bytes: int = MAX_BYTES,
                 version: Callable[[], Hashable] | None = None) -> None:
        self.app = app
        self.version = version
        self._version: Hashable = None
        self.pages = frozenset(pages) | CACHED_GET
        self.max_bytes = max_bytes
        self._store: OrderedDict[tuple[str, str, str, bytes], Answer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _key(self, environ: dict[str, Any]) -> tuple[tuple[str, str, str, bytes], bytes | None] | None:
        """The request's key and body (read here, handed on to the app), or None: not kept."""
        method = environ.get("REQUEST_METHOD", "")
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        if method == "GET" and path in self.pages:
            # Dash's index page names the request's URL, host included, in its meta tags.
            return (method, path, query, str(environ.get("HTTP_HOST", "")).encode()), None
        if method != "POST" or path != UPDATE:
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if length <= 0 or length > MAX_KEY_BODY_BYTES:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        return (method, path, query, hashlib.blake2b(body, digest_size=20).digest()), body

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        found = self._key(environ)
        if found is None:
            return self.app(environ, start_response)
        key, _ = found
        current = self.version() if self.version is not None else None
        with self._lock:
            if current != self._version:  # a newer run is served: no older answer is valid
                self._store.clear()
                self._size = 0
                self._version = current
            answer = self._store.get(key)
            if answer is not None:
                self._store.move_to_end(key)
                self.hits += 1
        if answer is not None:
            start_response(answer.status, list(answer.headers))
            return [answer.body]
        with self._lock:
            self.misses += 1
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        chunks = self.app(environ, capture)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        if current == self._version:  # not when the run changed while this answer was built
            self._keep(key, captured.get("status", ""), captured.get("headers", []), body)
        return [body]

    def _keep(self, key: tuple[str, str, str, bytes], status: str, headers: list[tuple[str, str]],
              body: bytes) -> None:
        if not status.startswith("200") or len(body) > MAX_ENTRY_BYTES:
            return
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return
        with self._lock:
            if key in self._store:
                return
            self._store[key] = Answer(status, tuple(headers), body)
            self._size += len(body)
            while self._size > self.max_bytes and self._store:
                _, old = self._store.popitem(last=False)
                self._size -= len(old.body)

    def stats(self) -> dict[str, int]:
        """Entries, bytes, hits and misses (for the benchmarks)."""
        with self._lock:
            return {"entries": len(self._store), "bytes": self._size, "hits": self.hits, "misses": self.misses}
