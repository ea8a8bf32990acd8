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
