"""Requests for paths outside what the dashboard serves are refused, over a real socket.

Raw request lines (``http.client`` sends the path as given: no browser-style ``..`` collapsing)
against the threaded Werkzeug server ``analyzer serve`` uses.  Every traversal attempt must get
400 or 404 and no byte of the file it aims at; URL state naming files must fall back to the
run's own articles.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dashboards.guard import is_plain_path, is_served
from tests.bench.dashboard_load import callback_body, skeletons
from tests.dashboards.conftest import ARTICLE, Served

APP_SOURCE = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
UP = "../" * 8


@pytest.fixture(scope="module")
def served(full_run: Path) -> Iterator[Served]:
    server = Served(full_run)
    yield server
    server.close()


def _get(served: Served, path: str, method: str = "GET", body: bytes | None = None) -> tuple[int, bytes]:
    where = urlsplit(served.url)
    conn = http.client.HTTPConnection(where.hostname or "127.0.0.1", where.port, timeout=30)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)  # the path goes out byte for byte
        if body is not None:
            conn.putheader("Content-Type", "application/json")
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _secrets(full_run: Path) -> list[bytes]:
    """Bytes that would show a leak: file contents outside what is served."""
    found = [b"def create_app(", b"run_schema_version"]
    passwd = Path("/etc/passwd")
    if passwd.is_file():
        found.append(passwd.read_bytes()[:20])
    return found


TRAVERSALS = [
    "/assets/../../etc/passwd",
    "/assets/" + UP + "etc/passwd",
    "/assets/../app.py",
    "/assets/%2e%2e/app.py",
    "/assets/%2e%2e%2fapp.py",
    "/assets/..%2f..%2fetc%2fpasswd",
    "/assets/%252e%252e%252fapp.py",  # encoded twice
    "/assets/..%5capp.py",
    "/assets/..\\app.py",
    "/assets//etc/passwd",
    "/assets/%2fetc%2fpasswd",
    "/assets/style.css%00.js",
    "/assets/./../app.py",
    "/_dash-component-suites/dash/" + UP + "etc/passwd",
    "/_dash-component-suites/dash/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/_dash-component-suites/dash/deps/" + UP + "etc/passwd",
    "/_dash-component-suites/dash/dash.py",
    "/_dash-component-suites/dash/dcc/__init__.py",
    "/_dash-component-suites/os/path.py",
    "/_dash-component-suites/dashboards/app.py",
    "/static/../app.py",
    "/static/app.py",
    "/etc/passwd",
    "//etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/" + UP + "etc/passwd",
    "/thread/../../app.py",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_is_refused(served: Served, full_run: Path, path: str) -> None:
    status, body = _get(served, path)
    assert status in (400, 404), (status, body[:200])
    for secret in _secrets(full_run):
        assert secret not in body
    assert len(body) < 200  # a one-line answer, not the index page or a traceback


def test_absolute_paths_of_the_run_and_the_code_are_refused(served: Served, full_run: Path) -> None:
    for target in (full_run / "manifest.json", full_run / "comments.parquet", APP_SOURCE):
        for prefix in ("", "/assets", "/_dash-component-suites/dash"):
            status, body = _get(served, prefix + str(target))
            assert status in (400, 404) and b"run_schema_version" not in body and b"PAR1" not in body


def test_what_is_served_still_is(served: Served) -> None:
    status, index = _get(served, "/")
    assert status == 200
    page = index.decode("utf-8")
    for ref in [s.split('"')[0] for s in page.split('src="')[1:]] + ["/assets/style.css", "/_favicon.ico?v=1"]:
        assert _get(served, ref)[0] == 200, ref
    for path in ("/article", "/thread?a=x", "/links", "/_dash-layout", "/_dash-dependencies"):
        assert _get(served, path)[0] == 200, path


def test_url_state_naming_files_says_not_found(served: Served) -> None:
    """An article id the run does not have (here a path) shows "Article not found", never a file
    and never another article (issue 14: a shared link silently opened a different article)."""
    hostile = "?a=" + "../../../etc/passwd" + "&c=" + "%2Fetc%2Fpasswd" + "&d=..%2F..%2Fmanifest.json"
    for page in ("/article", "/thread", "/links", "/comments", "/participants", "/time"):
        status, body = _get(served, page + hostile)
        assert status == 200 and b"root:" not in body
        _, deps = _get(served, "/_dash-dependencies")
        router = skeletons(json.loads(deps))["_pages_content"]
        request = json.loads(callback_body(router, {}, "_pages_location.pathname"))
        for item in request["inputs"]:
            item["value"] = page if item["property"] == "pathname" else hostile
        status, body = _get(served, "/_dash-update-component", "POST", json.dumps(request).encode("utf-8"))
        assert status == 200
        assert b"root:" not in body and b"run_schema_version" not in body
        assert b"Article not found" in body and ARTICLE.encode() not in body


@pytest.mark.parametrize(("path", "plain"), [
    ("/assets/style.css", True), ("/", True), ("/article/", True), ("/assets/a/../b", False),
    ("/assets/%2e%2e", False), ("/a//b", False), ("/a\\b", False), ("/a\x00", False), ("/..", False),
    ("relative", False), ("/assets/.", False),
])
def test_is_plain_path(path: str, plain: bool) -> None:
    assert is_plain_path(path) is plain


def test_is_served() -> None:
    pages = ["/", "/article"]
    assert is_served("/article/", pages) and is_served("/assets/x.css", pages) and is_served("/_dash-layout", pages)
    assert not is_served("/static/x", pages) and not is_served("/etc/passwd", pages)
