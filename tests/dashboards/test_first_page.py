"""The fast first page (deferred scatter), the Content-Security-Policy and the selection outline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from dash import no_update

from analyzer.outputs import figures
from dashboards import callbacks, ids
from dashboards.app import content_security_policy, create_app, inline_script_hashes
from dashboards.data import RunData
from dashboards.pages import corpus as corpus_page
from tests.dashboards.conftest import ARTICLE


@pytest.fixture(scope="module")
def full_app(full_run: Path):  # type: ignore[no-untyped-def]
    return create_app(full_run)


def _ids(component: Any) -> list[str]:
    """Every string id in a component tree."""
    found = [component.id] if isinstance(getattr(component, "id", None), str) else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += _ids(child)
    return found


def test_corpus_layout_has_no_graph_until_the_grid_is_ready(full_app) -> None:  # type: ignore[no-untyped-def]
    with full_app.server.test_request_context():
        layout = corpus_page.layout()
        data: RunData = full_app.server.config["ANALYZER_RUN_DATA"]
        assert callbacks.corpus_draw(data, None, "frame_jsd_bits", "article_support_ratio") is no_update
        drawn = callbacks.corpus_draw(data, True, "__class__", "n_visible")
    found = _ids(layout)
    assert ids.CORPUS_GRID in found and ids.CORPUS_SCATTER_BOX in found
    assert ids.CORPUS_SCATTER not in found  # no dcc.Graph: plotly.js is not fetched for first paint
    assert drawn.id == ids.CORPUS_SCATTER
    assert drawn.figure["layout"]["xaxis"]["title"]["text"] == "structural virality"  # unknown axis -> default


def test_every_response_carries_the_policy(full_app) -> None:  # type: ignore[no-untyped-def]
    client = full_app.server.test_client()
    index = client.get("/")
    policy = index.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in policy
    assert "unsafe-eval" not in policy and "script-src 'self' 'unsafe-inline'" not in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy
    for hash_source in inline_script_hashes(index.get_data(as_text=True)):
        assert hash_source in policy  # every inline script of the index is allowed, by hash
    assert client.get("/_dash-layout").headers["Content-Security-Policy"] == policy
    # Clientside callbacks come from the asset file, not from inline scripts.
    assert "/assets/clientside.js" in index.get_data(as_text=True)
    assert "replaceState" not in index.get_data(as_text=True)


def test_inline_script_hashes_skip_sources_and_data_blocks() -> None:
    html = ('<script src="/x.js"></script><script id="c" type="application/json">{"a": 1}</script>'
            "<script>var renderer = new DashRenderer();</script>")
    hashes = inline_script_hashes(html)
    # sha256 of the renderer line, as browsers compute it (CSP3 §6.7.3.2); value from hashlib.
    assert hashes == ["'sha256-jZlsGVOhUAIcH+4PVs7QuGZkthRMgvT2n0ilH6/zTM0='"]
    assert inline_script_hashes("<script>" + "a" * 100_000) == []  # unterminated: nothing, quickly
    assert "script-src 'self' 'sha256-x'" in content_security_policy(["'sha256-x'"])


def _nodes() -> pl.DataFrame:
    return pl.DataFrame({"comment_id": ["c1", "c2", "g1"], "parent_id": [None, "c1", None], "value": [2, 1, 1],
                         "colour": ["#2166ac", "#b2182b", "#ffffff"], "is_ghost": [False, False, True],
                         "hover": ["a", "b", "ghost"]})


def test_icicle_outlines_the_selected_comment() -> None:
    plain = figures.thread_icicle(_nodes()).data[0]
    chosen = figures.thread_icicle(_nodes(), selected="c2").data[0]
    i = list(chosen.ids).index("c2")
    assert chosen.marker.line.color[i] == figures.SELECTED_LINE["color"]
    assert chosen.marker.line.width[i] == figures.SELECTED_LINE["width"]
    assert chosen.meta["selected"] == {"index": i, "color": plain.marker.line.color[i],
                                       "width": plain.marker.line.width[i]}
    assert plain.meta["selected"] is None
    # Everything else is untouched; an unknown or article id outlines nothing.
    others = [k for k in range(len(chosen.ids)) if k != i]
    assert [chosen.marker.line.color[k] for k in others] == [plain.marker.line.color[k] for k in others]
    for missing in ("nope", "~article"):
        assert figures.thread_icicle(_nodes(), selected=missing).data[0].meta["selected"] is None


def test_colour_toggle_keeps_the_outline(full_app) -> None:  # type: ignore[no-untyped-def]
    data: RunData = full_app.server.config["ANALYZER_RUN_DATA"]
    with full_app.server.test_request_context():
        figure, *_ = callbacks.thread_update(data, ids.THREAD_COLOR, ARTICLE, "parent", None,
                                             {"a": ARTICLE, "c": "c3"})
    trace = figure["data"][0]  # plain data: the figure is built once, the outline moved on a copy
    meta = trace["meta"]
    assert meta["selected"]["index"] == list(trace["ids"]).index("c3")
    assert trace["marker"]["line"]["color"][meta["selected"]["index"]] == figures.SELECTED_COLOUR
    assert json.loads(json.dumps(figure, default=list))["data"][0]["meta"]["highlight"] == figures.SELECTED_LINE
