"""Co-link pairs: CooRnet's interval estimate, pairs within it, redirect unwrapping, components."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.ingest import Ingested
from analyzer.stages.context import StageContext
from analyzer.stages.coordination.colinks import (
    ColinkSettings,
    co_shares,
    detect,
    detect_shares,
    estimate_burst_gap,
    estimate_interval,
    unwrap,
    url_keys,
)
from analyzer.stages.links import run_stage as links_stage
from tests.stages.coordination.helpers import forest


def _shares(rows: list[tuple[str, str, float]]) -> pl.DataFrame:
    return pl.DataFrame({"key": [r[0] for r in rows], "author": [r[1] for r in rows],
                         "t": [int(r[2] * 1_000_000) for r in rows]})


def test_interval_follows_coornet() -> None:
    # Ten URLs shared four times each; second shares after 1..10 s; q = 0.1 keeps the quickest
    # URL (second share after 1 s).  Its shares at 0, 1, 7, 20 s: the first past half of the
    # shares (rank 3 of 4) came at 7 s, so the interval is 7 s.
    rows = []
    for u in range(10):
        gap = u + 1
        rows += [(f"u{u}", "a", 0), (f"u{u}", "b", gap), (f"u{u}", "c", gap + 6), (f"u{u}", "d", gap + 19)]
    assert estimate_interval(_shares(rows), q=0.1, p=0.5) == pytest.approx(7.0)
    # p = 0.25: the first share past a quarter is rank 2 (1 s).
    assert estimate_interval(_shares(rows), q=0.1, p=0.25) == pytest.approx(1.0)


def test_interval_is_none_without_repeated_urls_and_at_least_one_second() -> None:
    assert estimate_interval(_shares([("u", "a", 0), ("v", "b", 1)])) is None
    assert estimate_interval(_shares([("u", "a", 0), ("u", "b", 0), ("u", "c", 0)])) == 1.0


def test_pairs_within_the_interval_only_and_never_the_same_account() -> None:
    shares = _shares([("u", "a", 0), ("u", "b", 5), ("u", "a", 6), ("u", "c", 30), ("v", "a", 0), ("v", "c", 2)])
    pairs = co_shares(shares, 10.0).select("author_a", "author_b", "key").sort(pl.all())
    assert pairs.rows() == [("a", "b", "u"), ("a", "b", "u"), ("a", "c", "v")]


def test_redirect_wrappers_are_unwrapped_and_tracking_dropped() -> None:
    assert unwrap("https://www.google.com/url?q=https://example.org/x&sa=D") == "https://example.org/x"
    assert unwrap("https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.org%2Fx%3Fa%3D1&h=AT0") == "https://example.org/x?a=1"
    assert unwrap("https://example.org/url?q=https://other.example") == "https://example.org/url?q=https://other.example"
    keys = url_keys(pl.Series([
        "http://example.org/x/", "https://example.org/x?utm_source=tw", "https://example.org/x#top",
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.Example.org%2Fx",
    ]))
    assert keys.to_list() == ["https://example.org/x"] * 4


def test_detect_on_a_run_with_links() -> None:
    rows = []
    # Three accounts share the same two URLs within seconds, in different threads, twice.
    for k, url in enumerate(["https://planted.example/a", "https://planted.example/b"]):
        for m, author in enumerate(["s1", "s2", "s3"]):
            rows.append({"article_id": f"t{m}", "comment_id": f"c{k}", "author": author,
                         "text": f"Lest das {url}", "t": 3600 * k + 3 * m})
    # An organic share of the same URL hours later, and unrelated links.
    rows.append({"article_id": "t9", "comment_id": "o1", "author": "late", "text": "https://planted.example/a", "t": 50_000})
    rows += [{"article_id": "t9", "comment_id": f"x{i}", "author": f"o{i}", "text": f"https://other.example/{i}", "t": 100 * i}
             for i in range(5)]
    # Organic background: 60 accounts with links of their own, and 20 URLs shared twice hours
    # apart, so that chance co-sharing can be told from repeated coordination.
    rows += [{"article_id": "t8", "comment_id": f"b{i}", "author": f"b{i % 60}", "text": f"https://bg.example/{i}",
              "t": 997 * i} for i in range(120)]
    rows += [{"article_id": "t7", "comment_id": f"r{i}-{j}", "author": f"b{(i + 7 * j) % 60}",
              "text": f"https://news.example/{i}", "t": 5000 * i + 7200 * j} for i in range(20) for j in range(2)]
    f = forest(rows)
    ctx = StageContext(forest=f, ingested=Ingested(schemas.empty(schemas.RAW_COMMENTS), schemas.empty(schemas.RAW_ARTICLES),
                                                 schemas.empty(schemas.ARTICLE_BLOCKS)), settings={"domain_lists": []})
    links = links_stage(ctx).frames["links.parquet"]
    estimated = detect(links, f.comments, ColinkSettings())
    assert estimated.info["interval_source"].startswith("estimated")
    assert estimated.info["interval_s"] is not None and estimated.info["interval_s"] < 3600
    # The burst gap covers the group's 6 s spread and stays below the hours between bursts.
    assert 6 <= estimated.info["burst_gap_s"] < 3600
    for found in (estimated, detect(links, f.comments, ColinkSettings(interval_s=10))):
        coordinated = {(r["author_a"], r["author_b"]): r["n_shared"]
                       for r in found.pairs.filter(pl.col("coordinated")).iter_rows(named=True)}
        assert coordinated == {("s1", "s2"): 2, ("s1", "s3"): 2, ("s2", "s3"): 2}
        assert found.components.height == 1
    component = found.components.row(0, named=True)
    assert component["accounts"] == ["s1", "s2", "s3"]
    assert component["urls"] == ["https://planted.example/a", "https://planted.example/b"]
    # A fixed interval of a day also links the late share.
    wide = detect(links, f.comments, ColinkSettings(interval_s=86_400))
    assert ("late", "s1") in {(r["author_a"], r["author_b"]) for r in wide.pairs.iter_rows(named=True)}


def test_burst_gap_separates_bursts_from_later_reshares() -> None:
    # Twenty URLs: a group's shares 0-9 s apart, then re-shares hours later.  The gap that
    # ends a burst lies between the two (geometric midpoint of 9 s and 3 h: a few minutes).
    rows = []
    for u in range(20):
        rows += [(f"u{u}", "a", 0), (f"u{u}", "b", 4 + u % 6), (f"u{u}", "c", 9), (f"u{u}", "late", 3 * 3600 + u)]
    gap = estimate_burst_gap(_shares(rows), q=1.0)
    assert gap is not None and 9 < gap < 3 * 3600
    assert estimate_burst_gap(_shares([("u", "a", 0), ("v", "b", 1)])) is None


def test_heavy_accounts_on_a_viral_url_are_not_coordinated_by_chance() -> None:
    # Two heavy accounts share 200 popular URLs each; on two of them they happen to post
    # within seconds of each other.  Three light accounts co-share two rare URLs in seconds.
    rows: list[tuple[str, str, float]] = []
    for u in range(200):
        rows += [(f"pop{u}", "heavy1", 1000.0 * u), (f"pop{u}", "heavy2", 1000.0 * u + (3 if u < 2 else 400))]
        rows += [(f"pop{u}", f"reader{(u + j) % 50}", 1000.0 * u + 90 * j) for j in range(1, 4)]
    for r in range(2):
        rows += [(f"rare{r}", who, 500_000.0 + 10_000 * r + i * 4) for i, who in enumerate(["x", "y", "z"])]
    found = detect_shares(_shares(rows), ColinkSettings(interval_s=10))
    pairs = {(r["author_a"], r["author_b"]): r for r in found.pairs.iter_rows(named=True)}
    assert pairs[("heavy1", "heavy2")]["n_shared"] == 2 and not pairs[("heavy1", "heavy2")]["coordinated"]
    assert pairs[("heavy1", "heavy2")]["n_expected"] > pairs[("x", "y")]["n_expected"]
    assert {p for p, r in pairs.items() if r["coordinated"]} == {("x", "y"), ("x", "z"), ("y", "z")}


def test_benjamini_hochberg_counts_the_whole_family() -> None:
    from analyzer.stages.coordination.colinks import _benjamini_hochberg

    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205])
    # Eight tests at FDR 0.05: the cut is the largest p_(i) <= 0.05 * i / 8, here p_(2) = 0.008.
    assert _benjamini_hochberg(p, 0.05, 8).tolist() == [True, True] + [False] * 6
    # The same p-values in a family of 1,000 (the other tests never co-shared): none passes (0.001 > 0.05 / 1,000)
    assert not _benjamini_hochberg(p, 0.05, 1000).any()
    assert _benjamini_hochberg(np.array([1e-6, 0.5]), 0.05, 1000).tolist() == [True, False]
