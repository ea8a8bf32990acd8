"""Recall and precision of coordinated link sharing on planted groups in organic link traffic.

    python -m tests.bench.colink_eval [--data ../shared/data] [--seeds 5] [--only NAME] [--set KEY=VALUE]

Works on shares (``key, author, t``), the input of
:func:`analyzer.stages.coordination.colinks.detect_shares`, so that many corpora with different
rates, group sizes and noise can be run in minutes.  (``python -m tests.bench.coordination_eval``
runs the whole path from comments through the links stage on the One Million Posts sample.)

Backgrounds (organic traffic):

* **synthetic**: organic accounts with Zipf activity share organic URLs with Zipf popularity;
  each URL is published at a random time and shared after log-normal delays (a news cycle:
  popular URLs get many shares within minutes of one another, by accounts that never
  coordinate);
* **omp**: the links in the One Million Posts sample (Der Standard 2015-16) through the links
  stage: real accounts, real URLs, real times;
* **rumoureval**: the URLs in the RumourEval 2017 tweets (breaking news: the same news URL
  tweeted by many accounts within minutes).

Planted: groups of new accounts; each group shares URLs of its own (or, with ``popular``, a
popular organic URL that organic accounts share too: coordinated pushing of a real news link),
every member within ``spread_s`` of the group's first share of that URL, either at uniform
times (``uniform``) or one after the other (``relay``: each member after the previous one, the
whole within ``spread_s``); organic accounts re-share the group URLs hours later (decoys);
members also share organic URLs at organic times (``camouflage``).

Scenarios are split into ``tune`` (looked at while choosing the method and its constants),
``held out`` (other seeds, rates, sizes, spreads, patterns and backgrounds; looked at while two
parts of the chance test were chosen, so not strictly held out) and ``fresh`` (written after
the method was final, seeds 200+, run once to report).  Measured per corpus:

* *pair recall*: share of planted within-group account pairs present in ``colinks.parquet``;
* *component recall*: share of planted pairs that are an edge inside a coordinated component
  (the pairs with repeated co-shares that the components are built from);
* *same-component recall*: share of planted pairs whose two accounts are in one coordinated
  component (``colink_components.parquet``: what an analyst reads as one group);
* *component precision*: share of those component edges that are planted pairs;
* ``organic pairs in components``: component edges between accounts not planted together.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from analyzer.stages.coordination.colinks import ColinkSettings, detect_shares, url_keys

DEFAULT_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
_S = 1_000_000  # µs per second


@dataclass(frozen=True)
class Scenario:
    """One kind of corpus: background, organic rates and the planted groups."""

    name: str
    split: str  # "tune" or "held out"
    background: str = "synthetic"  # or "omp", "rumoureval"
    n_accounts: int = 2_000
    n_urls: int = 6_000
    popularity_a: float = 2.2  # power-law exponent of shares per URL
    activity_a: float = 0.8  # Zipf exponent of shares per account
    span_days: float = 30.0
    news_median_s: float = 3 * 3600.0  # median delay of an organic share after publication
    n_groups: int = 8
    group_size: tuple[int, int] = (3, 5)
    urls_per_group: tuple[int, int] = (3, 3)
    spread_s: float = 10.0
    pattern: str = "uniform"  # or "relay"
    popular: float = 0.0  # share of group URLs that are popular organic URLs
    camouflage: int = 0  # organic shares per planted account
    decoys: int = 1  # organic re-shares of each group URL, 3-48 h later


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("synthetic, groups within 10 s", "tune"),
    Scenario("synthetic, groups within 40 s", "tune", spread_s=40.0),
    Scenario("omp, groups within 10 s", "tune", background="omp"),
    # Held out: other rates, sizes, spreads, patterns, noise and backgrounds.
    Scenario("synthetic busy (20k URLs, 30-min news cycle), 2-8 accounts, 2-6 URLs, 30 s, "
             "30 % popular URLs, camouflage 5", "held out", n_accounts=5_000, n_urls=20_000,
             news_median_s=1800.0, group_size=(2, 8), urls_per_group=(2, 6), spread_s=30.0, popular=0.3,
             camouflage=5, decoys=3),
    Scenario("synthetic fast news (10-min cycle), 3-12 accounts relay within 120 s, 50 % popular",
             "held out", n_accounts=3_000, n_urls=5_000,  news_median_s=600.0,
             group_size=(3, 12), urls_per_group=(2, 4), spread_s=120.0, pattern="relay", popular=0.5,
             camouflage=10, decoys=2),
    Scenario("synthetic quiet (2k URLs, 1-day cycle), 2 groups of 2-4 within 5 s", "held out",
             n_accounts=1_000, n_urls=2_000,  news_median_s=86_400.0, n_groups=2,
             group_size=(2, 4), urls_per_group=(2, 3), spread_s=5.0, decoys=2),
    Scenario("synthetic, 20 groups of 3-6 within 60 s, camouflage 20", "held out", n_accounts=4_000,
             n_urls=8_000,  news_median_s=7200.0, n_groups=20, group_size=(3, 6),
             urls_per_group=(2, 5), spread_s=60.0, camouflage=20, popular=0.2),
    Scenario("omp, 6 groups of 2-6 within 45 s, relay", "held out", background="omp", n_groups=6,
             group_size=(2, 6), urls_per_group=(2, 4), spread_s=45.0, pattern="relay", decoys=2),
    Scenario("rumoureval (breaking news), 5 groups of 3-5 within 20 s, 50 % popular", "held out",
             background="rumoureval", n_groups=5, urls_per_group=(2, 3), spread_s=20.0, popular=0.5),
    Scenario("synthetic organic only (no planted group)", "held out", n_accounts=5_000, n_urls=20_000,
             news_median_s=1800.0, n_groups=0),
    # Fresh: written after the method was final and run once for the docs (the held-out set
    # above was looked at while two parts of the chance test were chosen; see docs/coordination.md).
    Scenario("synthetic medium (10k URLs, 2-h cycle, popularity 2.0), 10 groups of 2-6 within 15 s, "
             "2-5 URLs, 20 % popular, camouflage 3", "fresh", n_accounts=3_000, n_urls=10_000,
             popularity_a=2.0, activity_a=0.9, news_median_s=7200.0, n_groups=10, group_size=(2, 6),
             urls_per_group=(2, 5), spread_s=15.0, popular=0.2, camouflage=3, decoys=2),
    Scenario("synthetic 1-h cycle, 6 groups of 4-8 relay within 90 s, 3-5 URLs, 10 % popular", "fresh",
             n_accounts=2_500, n_urls=8_000, news_median_s=3600.0, n_groups=6, group_size=(4, 8),
             urls_per_group=(3, 5), spread_s=90.0, pattern="relay", popular=0.1, camouflage=2),
    Scenario("omp, 10 groups of 3-4 within 25 s, 2-3 URLs, 30 % popular", "fresh", background="omp",
             n_groups=10, group_size=(3, 4), urls_per_group=(2, 3), spread_s=25.0, popular=0.3),
    Scenario("rumoureval, 3 groups of 2-6 relay within 60 s, 2-4 URLs, 20 % popular", "fresh",
             background="rumoureval", n_groups=3, group_size=(2, 6), urls_per_group=(2, 4), spread_s=60.0,
             pattern="relay", popular=0.2),
)


def _zipf(n: int, a: float) -> np.ndarray:
    weights = np.arange(1, n + 1, dtype=np.float64) ** -a
    return weights / weights.sum()


def synthetic_background(sc: Scenario, rng: np.random.Generator) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Organic shares and what planting needs (URL publication times, popular URLs, accounts).

    Shares per URL follow a discrete power law (exponent ``popularity_a``: about two thirds of
    URLs shared once, a few hundreds of times, as URL and meme popularity in social media;
    Weng et al., Scientific Reports 2012, report exponents near 2), capped at 2,000; each share
    comes a log-normal delay after the URL's publication; authors are drawn with Zipf activity.
    """
    t0 = int(datetime(2024, 1, 1).timestamp()) * _S
    counts = np.minimum(rng.zipf(sc.popularity_a, size=sc.n_urls), 2_000)
    published = t0 + (rng.uniform(0, sc.span_days * 86_400, size=sc.n_urls) * _S).astype(np.int64)
    url = np.repeat(np.arange(sc.n_urls), counts)
    author = rng.choice(sc.n_accounts, size=url.size, p=_zipf(sc.n_accounts, sc.activity_a))
    delay = (rng.lognormal(np.log(sc.news_median_s), 1.5, size=url.size) * _S).astype(np.int64)
    names = np.array([f"https://news{u % 40}.example/story/{u}" for u in range(sc.n_urls)], dtype=object)
    shares = pl.DataFrame({"key": names[url].tolist(), "author": [f"user{a}" for a in author.tolist()],
                           "t": published[url] + delay})
    top = np.argsort(-counts, kind="stable")[:50]
    popular = [str(names[u]) for u in top]
    return shares, {"popular": popular, "published": {str(names[u]): int(published[u]) for u in top},
                    "accounts": [f"user{a}" for a in range(sc.n_accounts)], "t_min": t0,
                    "t_max": t0 + int(sc.span_days * 86_400) * _S, "news_median_s": sc.news_median_s}


def omp_background(data: Path) -> pl.DataFrame:
    """The shares of the One Million Posts sample, through the links stage."""
    from analyzer.core import schemas
    from analyzer.ingest import Ingested
    from analyzer.stages.context import StageContext
    from analyzer.stages.coordination.colinks import shares_frame
    from analyzer.stages.links import run_stage as links_stage
    from analyzer.tree.forest import build_forest
    from tests.bench.coordination_eval import load_organic

    raw = load_organic(data)
    forest = build_forest(raw, schemas.empty(schemas.RAW_ARTICLES))
    empty = Ingested(schemas.empty(schemas.RAW_COMMENTS), schemas.empty(schemas.RAW_ARTICLES),
                     schemas.empty(schemas.ARTICLE_BLOCKS))
    links = links_stage(StageContext(forest=forest, ingested=empty, settings={"domain_lists": []})).frames["links.parquet"]
    return shares_frame(links, forest.comments)


def rumoureval_background(data: Path) -> pl.DataFrame:
    """The URLs of the RumourEval 2017 tweets (resolved where the corpus resolved them)."""
    path = data / "rumoureval2017" / "rumoureval2017_traindev.jsonl"
    if not path.is_file():
        raise SystemExit(f"colink_eval: {path} not found (pass --data)")
    rows: list[tuple[str, str, int]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        for node in json.loads(line)["nodes"]:
            if not node.get("created_at"):
                continue
            when = datetime.strptime(node["created_at"], "%a %b %d %H:%M:%S %z %Y")
            for u in node.get("urls") or []:
                target = u.get("resolved") or u.get("expanded") or u.get("tco") if isinstance(u, dict) else u
                if target:
                    rows.append((str(target), str(node["user"]), int(when.timestamp()) * _S))
    frame = pl.DataFrame(rows, schema={"key": pl.String, "author": pl.String, "t": pl.Int64}, orient="row")
    return frame.with_columns(key=url_keys(frame.get_column("key"))).unique(maintain_order=True)


def real_context(shares: pl.DataFrame) -> dict[str, Any]:
    """What planting needs, from a real background."""
    counts = shares.group_by("key").agg(n=pl.len(), first=pl.col("t").min()).sort("n", descending=True)
    top = counts.head(max(5, counts.height // 50))
    return {"popular": top.get_column("key").to_list(), "published": dict(top.select("key", "first").iter_rows()),
            "accounts": shares.get_column("author").unique().sort().to_list(),
            "t_min": int(shares.get_column("t").min() or 0), "t_max": int(shares.get_column("t").max() or 0),
            "news_median_s": 3 * 3600.0}


def plant(sc: Scenario, background: pl.DataFrame, ctx: dict[str, Any], rng: np.random.Generator,
          seed: int) -> tuple[pl.DataFrame, set[tuple[str, str]], set[str]]:
    """Background plus planted groups; the planted pairs and accounts."""
    rows: list[tuple[str, str, int]] = []
    pairs: set[tuple[str, str]] = set()
    accounts: set[str] = set()
    organic = ctx["accounts"]
    span = max(ctx["t_max"] - ctx["t_min"], 86_400 * _S)
    for g in range(sc.n_groups):
        members = [f"planted{seed}_{g}_{j}" for j in range(int(rng.integers(sc.group_size[0], sc.group_size[1] + 1)))]
        accounts |= set(members)
        pairs |= {(a, b) if a < b else (b, a) for a, b in itertools.combinations(members, 2)}
        for u in range(int(rng.integers(sc.urls_per_group[0], sc.urls_per_group[1] + 1))):
            if ctx["popular"] and rng.random() < sc.popular:
                key = str(rng.choice(ctx["popular"]))
                start = int(ctx["published"][key]) + int(rng.uniform(0, 6 * 3600) * _S)
            else:
                key = f"https://planted{seed}-{g}.example/item/{u}"
                start = ctx["t_min"] + int(rng.uniform(0, 1) * span)
            order = rng.permutation(len(members))
            if sc.pattern == "relay":
                steps = rng.uniform(0, sc.spread_s / max(1, len(members) - 1), size=len(members) - 1)
                delays = np.r_[0.0, np.cumsum(steps)]
            else:
                delays = np.r_[0.0, rng.uniform(0, sc.spread_s, size=len(members) - 1)]
            for m, d in zip(order, delays, strict=True):
                rows.append((key, members[int(m)], start + int(d * _S)))
            for _ in range(sc.decoys):
                rows.append((key, str(rng.choice(organic)), start + int(rng.uniform(3, 48) * 3600 * _S)))
        for member in members:  # camouflage: organic shares of organic URLs at organic times
            for _ in range(sc.camouflage):
                key = str(rng.choice(ctx["popular"]))
                when = int(ctx["published"][key]) + int(rng.lognormal(np.log(ctx["news_median_s"]), 1.5) * _S)
                rows.append((key, member, when))
    extra = pl.DataFrame(rows, schema={"key": pl.String, "author": pl.String, "t": pl.Int64}, orient="row")
    return pl.concat([background, extra]).unique(maintain_order=True), pairs, accounts


def evaluate(shares: pl.DataFrame, planted: set[tuple[str, str]], settings: ColinkSettings) -> dict[str, float]:
    """Recall and precision of one corpus (see the module docstring)."""
    found = detect_shares(shares, settings)
    pairs = {(a, b) for a, b in found.pairs.select("author_a", "author_b").iter_rows()}
    strong = {(a, b) for a, b in found.pairs.filter(pl.col("coordinated")).select("author_a", "author_b").iter_rows()}
    organic_strong = len(strong - planted)
    component_of = {a: i for i, accounts in enumerate(found.components.get_column("accounts").to_list()) for a in accounts}
    together = {(a, b) for a, b in planted if a in component_of and component_of[a] == component_of.get(b)}
    return {
        "pair_recall": len(planted & pairs) / len(planted) if planted else float("nan"),
        "component_recall": len(planted & strong) / len(planted) if planted else float("nan"),
        "same_component_recall": len(together) / len(planted) if planted else float("nan"),
        "component_precision": len(strong & planted) / len(strong) if strong else float("nan"),
        "organic_component_pairs": float(organic_strong),
        "colink_pairs": float(len(pairs)),
        "interval_s": float(found.info.get("interval_s") or 0.0),
        "burst_gap_s": float(found.info.get("burst_gap_s") or 0.0),
    }


def _settings(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in pairs:
        key, _, value = item.partition("=")
        out[key] = value if key in ("colink_linkage", "colink_estimator") else float(value)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--only", default="", help="run scenarios whose name contains this (or tune / held out / fresh)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="stage setting, e.g. colink_interval_s=60 (default: the stage's defaults)")
    args = parser.parse_args(argv)
    settings = ColinkSettings.from_settings(_settings(args.set))
    cache: dict[str, pl.DataFrame] = {}
    keys = ("pair_recall", "component_recall", "same_component_recall", "component_precision", "organic_component_pairs",
            "colink_pairs", "interval_s", "burst_gap_s")
    print("split | scenario | " + " | ".join(keys) + " | worst seed (pair recall, component recall, precision)")
    for sc in SCENARIOS:
        if args.only and args.only not in sc.name and args.only != sc.split:
            continue
        rows = []
        for s in range(args.seeds):
            seed = {"tune": 0, "held out": 100, "fresh": 200}[sc.split] + s
            rng = np.random.default_rng(seed)
            if sc.background == "synthetic":
                background, ctx = synthetic_background(sc, rng)
            else:
                if sc.background not in cache:
                    data = args.data.resolve()
                    cache[sc.background] = omp_background(data) if sc.background == "omp" else rumoureval_background(data)
                background = cache[sc.background]
                ctx = real_context(background)
            shares, planted, _ = plant(sc, background, ctx, rng, seed)
            rows.append(evaluate(shares, planted, settings))
        mean = {k: float(np.nanmean([r[k] for r in rows])) if sc.n_groups or "recall" not in k else float("nan")
                for k in keys}
        worst = [float(np.nanmin([r[k] for r in rows])) if sc.n_groups else float("nan")
                 for k in ("pair_recall", "component_recall", "component_precision")]
        print(f"{sc.split} | {sc.name} | " + " | ".join(f"{mean[k]:.3f}" if k.endswith(("recall", "precision"))
                                                        else f"{mean[k]:.1f}" for k in keys)
              + " | " + ", ".join(f"{w:.3f}" for w in worst), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
