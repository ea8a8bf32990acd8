"""dashboards.respcache: which answers are kept, for how long, and when they are dropped."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from dashboards.respcache import MAX_ENTRY_BYTES, ResponseCache


class Counting:
    """A WSGI app that answers with its call count, or as told by the request."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        self.calls += 1
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers = [("Content-Type", "application/json")]
        if body == b"cookie":
            headers.append(("Set-Cookie", "a=1"))
        status = "500 INTERNAL SERVER ERROR" if body == b"fail" else "200 OK"
        size = MAX_ENTRY_BYTES + 1 if body == b"huge" else 0
        start_response(status, headers)
        return [f"{self.calls}:".encode() + body + b"x" * size]


def _call(cache: ResponseCache, method: str, path: str, body: bytes = b"", query: str = "") -> bytes:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "h",
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    seen: list[str] = []
    chunks = cache(environ, lambda status, headers, exc_info=None: seen.append(status))
    assert seen
    return b"".join(chunks)


def test_repeated_requests_are_answered_from_the_cache() -> None:
    app = Counting()
    cache = ResponseCache(app, ["/thread"])
    first = _call(cache, "POST", "/_dash-update-component", b'{"a": 1}')
    assert _call(cache, "POST", "/_dash-update-component", b'{"a": 1}') == first  # the app saw the body
    assert first == b'1:{"a": 1}' and app.calls == 1
    assert _call(cache, "POST", "/_dash-update-component", b'{"a": 2}') == b'2:{"a": 2}'
    assert _call(cache, "GET", "/thread", query="a=1") == _call(cache, "GET", "/thread", query="a=1")
    assert _call(cache, "GET", "/thread", query="a=2") != _call(cache, "GET", "/thread", query="a=1")
    assert cache.stats()["hits"] == 3


def test_what_is_never_kept() -> None:
    app = Counting()
    cache = ResponseCache(app, ["/thread"])
    for body in (b"fail", b"cookie", b"huge"):
        _call(cache, "POST", "/_dash-update-component", body)
        _call(cache, "POST", "/_dash-update-component", body)
    _call(cache, "GET", "/assets/style.css")
    _call(cache, "GET", "/assets/style.css")
    _call(cache, "GET", "/other")
    _call(cache, "GET", "/other")
    assert app.calls == 10 and cache.stats()["entries"] == 0


def test_the_cache_is_bounded_in_bytes() -> None:
    cache = ResponseCache(Counting(), [], max_bytes=40)
    for i in range(10):
        _call(cache, "POST", "/_dash-update-component", f"request {i}".encode())
    stats = cache.stats()
    assert stats["bytes"] <= 40 and 0 < stats["entries"] < 10


def test_a_newer_run_drops_every_answer() -> None:
    app = Counting()
    generation = [0]
    cache = ResponseCache(app, [], version=lambda: generation[0])
    _call(cache, "GET", "/_dash-layout")
    _call(cache, "GET", "/_dash-layout")
    assert app.calls == 1
    generation[0] = 1  # analyse wrote a newer run into the served folder
    assert _call(cache, "GET", "/_dash-layout") == b"2:"
    assert app.calls == 2 and cache.stats()["entries"] == 1
