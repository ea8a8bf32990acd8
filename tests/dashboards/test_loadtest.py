"""tests.bench.dashboard_load: a short run against the real server, and its error accounting.

No latency is asserted (figures depend on the machine; ``python -m tests.bench.dashboard_load``
prints them): only that nothing failed and that every endpoint kind was exercised.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from dashboards.app import create_app
from tests.bench import dashboard_load as loadtest

KINDS = {"page", "layout", "dependencies", "static", "cb:page-content", "cb:corpus-draw", "cb:corpus-axes",
         "cb:corpus-open", "cb:article-pick", "cb:thread-pick", "cb:thread-click", "cb:thread-colour",
         "cb:links-pick", "cb:links-domain"}


@pytest.fixture(scope="module")
def visits(full_run: Path) -> loadtest.Visits:
    client = create_app(full_run).server.test_client()
    deps = json.loads(client.get("/_dash-dependencies").get_data(as_text=True))
    assets = loadtest.static_paths(client.get("/").get_data(as_text=True))
    return loadtest.Visits(loadtest.RunChoices.read(full_run), deps, assets)


def test_every_request_of_a_tour_is_answered(full_run: Path, visits: loadtest.Visits) -> None:
    """The payloads are valid: Dash answers each with 200 and a response body."""
    client = create_app(full_run).server.test_client()
    tour = next(visits.endless(random.Random(1)))
    assert {r.kind for r in tour} == KINDS
    for request in tour:
        if request.method == "GET":
            response = client.get(request.path)
        else:
            response = client.post(request.path, data=request.body, content_type="application/json")
        assert response.status_code == 200, (request.kind, response.data[:300])
        if request.kind.startswith("cb:"):
            assert "response" in json.loads(response.data), request.kind


@pytest.mark.slow
def test_a_short_load_run_has_no_errors_and_hits_every_endpoint(full_run: Path) -> None:
    result = loadtest.run_load(full_run, clients=8, seconds=5)
    assert result.n_errors == 0, loadtest.report(result)
    assert set(result.latencies) == KINDS
    assert {kind for (kind, status) in result.statuses if status == 200} == KINDS
    assert result.n_requests >= 8 * len(KINDS)  # every client finished its tour
    table = loadtest.report(result)
    assert "overall" in table and "p95 ms" in table


def test_errors_are_counted_and_reported(visits: loadtest.Visits) -> None:
    port = loadtest.free_port()  # nothing listens there
    result = loadtest.drive(port, visits, clients=2, seconds=0.1)
    assert result.n_requests > 0 and result.n_errors == result.n_requests
    assert "ConnectionRefusedError" in loadtest.report(result)


def test_main_refuses_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as refused:
        loadtest.main(["--clients", "0", "--run", str(tmp_path)])
    assert refused.value.code == 2
    with pytest.raises(SystemExit) as not_a_run:
        loadtest.main(["--run", str(tmp_path)])
    assert not_a_run.value.code == 2


def test_quantile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert loadtest.quantile(values, 0.5) == 51.0 and loadtest.quantile(values, 0.95) == 95.0
    assert loadtest.quantile([3.0], 0.99) == 3.0


@pytest.mark.slow
def test_workers_serve_the_dashboard_without_errors(full_run: Path) -> None:
    """``analyzer serve --workers 2`` (gunicorn): both workers up, every endpoint answered, and
    readers with think time; the server's CPU is counted over the master and its workers."""
    server = loadtest.Server(full_run, workers=2, threads=2)
    try:
        server.wait_ready()
        server.wait_settled()
        assert len(loadtest.child_pids(server.process.pid)) == 2
        before = loadtest.server_cpu_seconds(server.process.pid)
        deps = json.loads(server.get("/_dash-dependencies"))
        visits = loadtest.Visits(loadtest.RunChoices.read(full_run), deps,
                                 loadtest.static_paths(server.get("/").decode("utf-8")))
        result = loadtest.drive(server.port, visits, clients=6, seconds=2,
                                think=loadtest.Think(click=(0.0, 0.05)))
        after = loadtest.server_cpu_seconds(server.process.pid)
    finally:
        workers = loadtest.child_pids(server.process.pid)
        server.stop()
    assert result.n_errors == 0, loadtest.report(result)
    assert set(result.latencies) == KINDS
    assert before is not None and after is not None and after > before
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)  # none left behind


def test_think_time_pauses_after_clicks_only() -> None:
    rng = random.Random(0)
    think = loadtest.Think(click=(1.0, 3.0))
    assert all(1.0 <= think.pause("cb:thread-click", rng) <= 3.0 for _ in range(50))
    assert think.pause("layout", rng) == 0.0 and think.pause("page", rng) == 0.0
    assert loadtest.Think(page=2.0).pause("cb:thread-click", rng) == 0.0
