"""The Coordination and Labels pages without a browser, on a run with planted coordination.

Counts are checked against what was planted (tests/dashboards/coordination_run.py), not
against the views' own output: the campaign's copies, the co-sharing group's accounts and
comments (one link written through a redirect wrapper), removals at depth 2, hand labels.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import polars as pl
import pytest

from analyzer.views import coordination as coord
from analyzer.views import labels as lv
from dashboards import callbacks, ids
from dashboards.data import RunData
from dashboards.pages import comments as comments_page
from dashboards.pages import coordination as page
from dashboards.pages import labels as labels_page
from dashboards.pages import links as links_page
from tests.dashboards.coordination_run import (
    CAMPAIGN_ACCOUNTS,
    N_COPIES,
    RELIABLE,
    SHARERS,
    build,
    hand_labels,
)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("coordination"))


@pytest.fixture(scope="module")
def data(run_dir: Path) -> RunData:
    return RunData(run_dir)


def _text(component: Any) -> str:
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(" ".join(_text(c) for c in component).split())
    return _text(getattr(component, "children", None))


def _campaign(data: RunData) -> int:
    table = coord.clusters(data)
    assert table is not None
    hit = table.filter(pl.col("medoid_text").str.contains("verschweigt seit Monaten"))
    assert hit.height == 1
    return int(hit["cluster_id"][0])


def test_the_campaign_is_one_cluster_and_opens_its_copies(data: RunData) -> None:
    k = _campaign(data)
    ids_ = coord.cluster_comment_ids(data, k)
    assert {c for _, c in ids_} == {f"camp{i}" for i in range(N_COPIES)}
    shown, _ = comments_page.rows(data, comments_page.query_state({"cluster": str(k)}))
    assert sorted(shown["comment_id"].to_list()) == sorted(f"camp{i}" for i in range(N_COPIES))
    assert set(shown["author"].to_list()) == set(CAMPAIGN_ACCOUNTS)
    heading = _text(comments_page.heading(data, {"cluster": k}, shown, 0))
    assert f"in campaign {k}" in heading and "remove the cluster filter" in heading


def test_co_sharing_pairs_lead_to_their_comments_redirect_included(data: RunData) -> None:
    pairs = coord.colink_pairs(data)
    assert pairs is not None
    planted = {(a, b) for a in SHARERS for b in SHARERS if a < b}
    assert planted <= set(pairs.select("author_a", "author_b").iter_rows())
    # Verteiler_C shared the second URL through l.facebook.com: still one of the pair's comments.
    state = comments_page.query_state({"colink": f"Verteiler_A{comments_page.PAIR_SEP}Verteiler_C"})
    shown, _ = comments_page.rows(data, state)
    assert sorted(shown["comment_id"].to_list()) == ["share00", "share02", "share10", "share12"]
    components = coord.colink_components(data)
    assert components is not None and components.height >= 1
    group = components.filter(pl.col("accounts").list.contains("Verteiler_A"))
    shown, _ = comments_page.rows(data, comments_page.query_state({"component": str(group["component_id"][0])}))
    assert shown.height == 6
    assert "within 4 s" in coord.interval_text(coord.interval_info(data)) or "estimated" in coord.interval_text(
        coord.interval_info(data))


def test_the_page_shows_every_part_with_links_to_comments(data: RunData, run_dir: Path) -> None:
    from dashboards.app import create_app

    app = create_app(run_dir, data=data, warm=False)
    with app.server.test_request_context():
        layout = page.layout()
    text = _text(layout)
    for words in ("Campaigns: the same text", "Coordinated link sharing", "Coordinated groups", "Co-sharing pairs",
                  "Who replies to whom, across the run", "Most active authors", "Activity over time",
                  "Verteiler_A", "estimated from the data as CooRnet does"):
        assert words in text, words
    k = _campaign(data)
    with app.server.test_request_context():
        chosen = _text(page.layout(k=str(k)))
    assert f"Campaign #{k}: {N_COPIES} copies by {len(CAMPAIGN_ACCOUNTS)} accounts in 4 threads" in chosen
    with app.server.test_request_context():
        first = int(coord.clusters(data)["cluster_id"][0])  # type: ignore[index]
        assert f"Campaign #{first}:" in _text(page.layout(k="<script>"))  # not an id: the largest campaign
        assert "no campaign #999" in _text(page.layout(k="999"))


def test_figure_clicks_open_comment_tables(data: RunData) -> None:
    assert page.click_target(data, "campaigns", {"points": [{"customdata": 3}]}, {}) == "/comments?cluster=3"
    assert page.click_target(data, "network", {"points": [{"customdata": "Anna B"}]}, {}) == \
        "/comments?author=Anna+B"
    found = coord.activity(data)
    assert found is not None
    series, width = found
    start = series["bin_start"][0]
    target = page.click_target(data, "activity", {"points": [{"customdata": start.isoformat()}]}, {})
    end = (start + timedelta(seconds=width)).isoformat()
    assert target == "/comments?" + urlencode({"since": start.isoformat(), "until": end})
    assert page.click_target(data, "activity", {"points": [{"customdata": "nonsense"}]}, {}) is None
    assert page.click_target(data, "campaigns", None, {}) is None


def test_label_shares_and_reliability_follow_the_hand_labels(data: RunData) -> None:
    expected = hand_labels(data.run.comments)
    shares = lv.label_shares(data)
    assert shares is not None
    rows = {r["label"]: r for r in shares.iter_rows(named=True)}
    for stem in ("arguments_used", "inappropriate", "personal_stories"):
        assert rows[stem]["n"] == int(expected[stem].sum())
        assert rows[stem]["n_total"] == expected.height
        assert rows[stem]["reliable"] is RELIABLE[stem]
    assert rows["discriminating"]["reliable"] is None  # not on the card: not evaluated
    shown, _ = comments_page.rows(data, comments_page.query_state({"label": "inappropriate"}))
    assert shown.height == int(expected["inappropriate"].sum())
    text = _text(labels_page.body(data, None))
    assert "not a finding" in text and "uses arguments" in text


def test_removal_rates_count_the_planted_removals(data: RunData) -> None:
    rates = lv.removal_rates(data)
    assert rates is not None
    comments = data.run.comments
    removed = comments.filter(pl.col("kind").is_in(["deleted", "removed"]))
    assert int(rates.filter(pl.col("by") == "all")["n_removed"].sum()) == removed.height > 0
    by_depth = {g: k for g, k in rates.filter(pl.col("by") == "depth").select("group", "n_removed").iter_rows()}
    assert by_depth["2"] == removed.height and sum(by_depth.values()) == removed.height
    assert labels_page.click_target(data, "removed-depth", {"points": [{"customdata": "2"}]}, {}) == \
        "/comments?deleted=yes&depth=2"
    assert labels_page.click_target(data, "removed-stance_parent", {"points": [{"customdata": "deny"}]},
                                    {"a": "b0"}) == "/comments?a=b0&deleted=yes&stance=deny&target=parent"
    shown, _ = comments_page.rows(data, comments_page.query_state({"deleted": "yes", "depth": "2"}))
    assert shown.height == removed.height


def test_links_grid_names_the_redirect_wrapper(data: RunData) -> None:
    rows = {r["domain"]: r for r in links_page.charts(data, None)[1]}
    assert rows["example-news.test"]["n_redirected"] == 1
    assert rows["example-news.test"]["redirects"] == "l.facebook.com/l.php"


def test_pickers_list_few_articles_and_search_on_the_server(data: RunData) -> None:
    options = callbacks.picker_search(data, ids.LABELS_PICK, "b2", None)
    assert options[0]["value"] == ids.ALL_ARTICLES
    assert [o["value"] for o in options[1:]] == ["b2"]
    kept = data.picker_options("b3", search="b1", limit=1)
    assert [o["value"] for o in kept] == ["b1", "b3"]  # the chosen article stays listed


def test_the_comment_panel_shows_its_labels_with_their_reliability(data: RunData, run_dir: Path) -> None:
    from dashboards import conversation

    labels = hand_labels(data.run.comments)
    row = labels.filter(pl.col("inappropriate") & pl.col("arguments_used")).row(0, named=True)
    found = lv.labels_of(data, row["article_id"], row["comment_id"])
    assert found is not None
    sentiment, given = found
    assert sentiment == row["sentiment"]
    assert ("arguments_used", True) in given and ("inappropriate", False) in given
    text = _text(conversation.labels_part(data, row["article_id"], row["comment_id"]))
    assert "uses arguments" in text and "inappropriate (not a finding)" in text
