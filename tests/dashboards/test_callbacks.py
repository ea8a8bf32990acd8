"""Callbacks as plain functions, and their wiring through the Dash HTTP endpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from dash import no_update

from dashboards import callbacks, ids
from dashboards.app import create_app
from dashboards.data import RunData
from tests.dashboards.conftest import ARTICLE, COPY


@pytest.fixture(scope="module")
def full_app(full_run: Path):  # type: ignore[no-untyped-def]
    return create_app(full_run)


@pytest.fixture(scope="module")
def data(full_app) -> RunData:  # type: ignore[no-untyped-def]
    served: RunData = full_app.server.config["ANALYZER_RUN_DATA"]
    return served


def _text(component: Any) -> str:
    """All text in a component tree (what a reader would see)."""
    if component is None or component is no_update:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        # Whitespace folded as a browser does ("Comment " + <bdi>c1</bdi> reads "Comment c1").
        return " ".join(" ".join(_text(c) for c in component).split())
    if isinstance(component, dict):  # a part kept as plain data (dashboards.components.plain)
        return _text((component.get("props") or {}).get("children"))
    return _text(getattr(component, "children", None))


def test_corpus_open_validates_ids(data: RunData) -> None:
    assert callbacks.corpus_open(data, ids.CORPUS_GRID, {"rowId": COPY}, None) == f"/article?a={COPY}"
    assert callbacks.corpus_open(data, ids.CORPUS_GRID, {"rowId": "nope"}, None) is no_update
    assert callbacks.corpus_open(data, ids.CORPUS_SCATTER, None, {"points": [{"customdata": ARTICLE}]}) == \
        f"/article?a={ARTICLE}"
    assert callbacks.corpus_open(data, ids.CORPUS_SCATTER, None, {"points": []}) is no_update
    assert callbacks.corpus_open(data, ids.CORPUS_SCATTER, None, "garbage") is no_update


def test_corpus_scatter_rejects_unknown_axes(full_app, data: RunData) -> None:  # type: ignore[no-untyped-def]
    with full_app.server.test_request_context():
        fig = callbacks.corpus_scatter(data, "__class__", "n_visible")
    assert fig["layout"]["xaxis"]["title"]["text"] == "structural virality"


def test_article_update_switches_article(full_app, data: RunData) -> None:  # type: ignore[no-untyped-def]
    with full_app.server.test_request_context():
        head, body, cards, response, state = callbacks.article_update(data, COPY)
    assert state == {"a": COPY}
    assert "Zweiter Artikel" in _text(head)
    assert "support ratio" in _text(cards)
    assert "Stance toward the article" in _text(response)


def test_thread_click_opens_comment_with_evidence(full_app, data: RunData) -> None:  # type: ignore[no-untyped-def]
    click = {"points": [{"id": "c1"}]}
    with full_app.server.test_request_context():
        out = callbacks.thread_update(data, ids.THREAD_TREE, ARTICLE, "article", click, {"a": ARTICLE})
    figure, notes, detail, depth, latency, state = out
    assert figure is no_update and depth is no_update
    assert state == {"a": ARTICLE, "c": "c1", "color": "article"}
    text = _text(detail)
    assert "Comment c1" in text and "agreement marker" in text and "toward the parent" in text


def test_thread_click_on_the_article_box_does_nothing(data: RunData) -> None:
    out = callbacks.thread_update(data, ids.THREAD_TREE, ARTICLE, "article", {"points": [{"id": "~article"}]}, {})
    assert all(o is no_update for o in out)


def test_thread_colour_toggle_keeps_the_selection(full_app, data: RunData) -> None:  # type: ignore[no-untyped-def]
    with full_app.server.test_request_context():
        by_parent = callbacks.thread_update(data, ids.THREAD_COLOR, ARTICLE, "parent", None,
                                            {"a": ARTICLE, "c": "c3"})
        by_article = callbacks.thread_update(data, ids.THREAD_COLOR, ARTICLE, "article", None,
                                             {"a": ARTICLE, "c": "c3"})
    assert by_parent[5] == {"a": ARTICLE, "c": "c3", "color": "parent"}
    assert by_parent[2] is no_update
    # Figures come as plain data (built once per article and colouring).
    assert list(by_parent[0]["data"][0]["marker"]["colors"]) != list(by_article[0]["data"][0]["marker"]["colors"])


def test_thread_pick_resets_selection(full_app, data: RunData) -> None:  # type: ignore[no-untyped-def]
    with full_app.server.test_request_context():
        out = callbacks.thread_update(data, ids.THREAD_PICK, COPY, "bogus", None, {"a": ARTICLE, "c": "c3"})
    assert out[5] == {"a": COPY, "c": None, "color": "article"}


def test_links_domain_click_lists_comments(full_app, data: RunData) -> None:  # type: ignore[no-untyped-def]
    with full_app.server.test_request_context():
        from_grid = callbacks.links_update(data, ids.LINKS_GRID, ARTICLE, {"rowId": "example.org"}, None)
        from_bar = callbacks.links_update(data, ids.LINKS_DOMAINS, ids.ALL_ARTICLES, None,
                                          {"points": [{"customdata": ["example.org", "x"]}]})
        scope = callbacks.links_update(data, ids.LINKS_PICK, ids.ALL_ARTICLES, None, None)
    assert from_grid[5] == {"a": ARTICLE, "d": "example.org"}
    assert "3 comments shared example.org" in _text(from_grid[4])
    assert from_bar[5] == {"a": None, "d": "example.org"}
    assert "6 comments shared example.org" in _text(from_bar[4])  # two articles in the full run
    assert scope[5] == {"a": None, "d": None} and len(scope[2]) == 4


def _post(client, output: str, outputs: list[dict[str, Any]], inputs: list[dict[str, Any]],  # type: ignore[no-untyped-def]
          changed: list[str], state: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body = {"output": output, "outputs": outputs, "inputs": inputs, "changedPropIds": changed, "state": state or []}
    response = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.data[:500]
    decoded: dict[str, Any] = json.loads(response.data)
    return decoded


def test_thread_callback_through_http(full_app) -> None:  # type: ignore[no-untyped-def]
    client = full_app.server.test_client()
    state_id = {"page": "thread", "type": ids.STATE}
    names = [(ids.THREAD_TREE, "figure"), (ids.THREAD_NOTE, "children"), (ids.THREAD_DETAIL, "children"),
             (ids.THREAD_DEPTH, "figure"), (ids.THREAD_LATENCY, "figure"), (state_id, "data")]
    outputs = [{"id": i, "property": p} for i, p in names]
    output = "..." .join(f"{json.dumps(i, separators=(',', ':'), sort_keys=True) if isinstance(i, dict) else i}.{p}"
                         for i, p in names)
    result = _post(client, f"..{output}..", outputs, [
        {"id": ids.THREAD_PICK, "property": "value", "value": ARTICLE},
        {"id": ids.THREAD_COLOR, "property": "value", "value": "parent"},
        {"id": ids.THREAD_TREE, "property": "clickData", "value": {"points": [{"id": "c2"}]}},
    ], [f"{ids.THREAD_TREE}.clickData"], [{"id": state_id, "property": "data", "value": {"a": ARTICLE}}])
    payload = json.dumps(result["response"])
    assert '["Comment ", {"props": {"children": "c2"' in payload and '"type": "Bdi"' in payload  # id isolated
    assert '"c": "c2"' in payload and '"color": "parent"' in payload


def test_pages_render_through_http(full_app) -> None:  # type: ignore[no-untyped-def]
    client = full_app.server.test_client()
    for path in ("/", "/article?a=copy_page", "/thread?a=de_sample_page&c=c3", "/links?d=example.org", "/thread"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_selected_row_is_marked_on_a_copy(full_app, data: RunData) -> None:  # type: ignore[no-untyped-def]
    from dashboards.pages import thread as thread_page

    view = {"a": ARTICLE, "page": 0, "collapsed": [], "q": None}
    with full_app.server.test_request_context():
        plain, _ = thread_page.conversation_view(data, ARTICLE, view, None)
        chosen, _ = thread_page.conversation_view(data, ARTICLE, view, "c3")
        again, _ = thread_page.conversation_view(data, ARTICLE, view, None)
    # Kept rows are plain JSON data (dashboards.components.plain), as Dash sends them.
    marked = [r for r in chosen if "conv-selected" in r["props"]["className"]]
    assert len(marked) == 1 and marked[0]["props"]["children"][1]["props"]["id"]["id"] == "c3"
    assert not any("conv-selected" in r["props"]["className"] for r in plain + again)  # the kept rows stay unmarked


def test_kept_rows_are_what_dash_would_send(full_app, data: RunData) -> None:  # type: ignore[no-untyped-def]
    """The kept plain rows, marked, encode exactly as the components built for that selection."""
    import plotly.io.json as pjson

    from dashboards import conversation
    from dashboards.pages import thread as thread_page

    view = {"a": ARTICLE, "page": 0, "collapsed": [], "q": None}
    with full_app.server.test_request_context():
        built, _, _ = conversation.listing(data, ARTICLE, 0, selected="c3", collapsed=set(), search=None)
        kept, _ = thread_page.conversation_view(data, ARTICLE, view, "c3")
    assert len(kept) == len(built) > 1
    assert json.loads(pjson.to_json_plotly(built)) == json.loads(pjson.to_json_plotly(kept))


def test_plain_elements_encode_as_dash_components() -> None:
    """dashboards.components.el builds what Dash sends for the html component, byte for byte."""
    import plotly.io.json as pjson
    from dash import html

    from dashboards.components import el, plain

    cases = [
        (el("Span", className="conv-toggle-space"), html.Span(className="conv-toggle-space")),
        (el("Mark", "cue", className="mk-cue", title=None), html.Mark("cue", className="mk-cue", title=None)),
        (el("Button", "▾ 3", id={"type": "t", "id": "c1"}, n_clicks=0, title="<b>"),
         html.Button("▾ 3", id={"type": "t", "id": "c1"}, n_clicks=0, title="<b>")),
        (el("Div", [el("Bdi", "\u202eMallory", className="author"), "text"], style={"marginLeft": "18px"}),
         html.Div([html.Bdi("\u202eMallory", className="author"), "text"], style={"marginLeft": "18px"})),
    ]
    for data, component in cases:
        assert pjson.to_json_plotly(data) == pjson.to_json_plotly(component)
        assert plain(component) == data
