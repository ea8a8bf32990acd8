"""dashboards.app: the factory, the security headers and the URL state helpers."""

from __future__ import annotations

from pathlib import Path

from dashboards.app import content_security_policy, create_app, inline_script_hashes
from dashboards.state import page_state


def test_csp_has_no_unsafe_eval_and_names_the_inline_scripts() -> None:
    policy = content_security_policy(["'sha256-abc='"])
    scripts = policy.split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in policy and "unsafe-inline" not in scripts
    assert "'sha256-abc='" in scripts and "object-src 'none'" in policy


def test_inline_script_hashes_cover_each_inline_script() -> None:
    page = "<html><script>var a=1;</script><script src='x.js'></script><script>b()</script></html>"
    hashes = inline_script_hashes(page)
    assert len(hashes) == 2 and all(h.startswith("'sha256-") for h in hashes)


def test_page_state_ids_are_per_page() -> None:
    assert page_state("corpus") != page_state("thread")


def test_app_serves_its_run_with_hardened_headers(sample_run: Path) -> None:
    app = create_app(sample_run, warm=False)
    client = app.server.test_client()
    response = client.get("/")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers
    assert client.get("/../etc/passwd").status_code in (400, 404)
