"""Precision and recall of the coordination detectors on planted campaigns in real comments.

    python -m tests.bench.coordination_eval [--data ../shared/data] [--seeds 5]

Organic comments: the One Million Posts corpus (Der Standard, 2015-16; Schabus, Skowron &
Trapp, SIGIR 2017), read at run time from the shared data folder and never copied.  Its
articles are split in two folds by a hash of the article id; fold A was used while choosing the
defaults (``tune``), fold B only to report (``held out``).  Into each fold, per seed:

* **copy-paste campaigns**: the fold's ten campaign texts (``CAMPAIGN_TEXTS`` 0-9 for A,
  10-19 for B, written for this evaluation), each posted 5-15 times under different
  articles by 2-6 new accounts within a day, every copy lightly edited
  (:func:`tests.bench.coordination_corpus.edit`: up to three of word swap, prefix,
  punctuation, emoji, case);
* **coordinated link sharing**: eight groups of 3-5 new accounts; each group shares 3 URLs of
  its own, every member within ``max_delay`` seconds of the first share (10 s: "within seconds";
  40 s: a slower group), under different articles, the URLs hours to weeks apart; as decoys,
  organic accounts share the same URLs hours later.  Three settings are run: 10 s and 40 s
  groups with the interval estimated from the data (CooRnet), and 40 s groups with
  ``--colink-interval 60``.

Measured (the defaults of the stage; the coordination interval estimated from the data):

* campaigns: *recall* = mean over campaigns of the share of its copies in the cluster holding
  most of them ("found whole" = 1.0); *pair precision* = share of same-cluster comment pairs
  that are either copies of one campaign, or organic comments whose exact word-bigram Jaccard
  is at least 0.5 (organic reposts are near-identical too, so correctly clustered);
* link sharing: *pair recall* = share of planted within-group account pairs present in
  ``colinks.parquet``; *component precision* = share of account pairs in coordinated components
  that are planted pairs.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from analyzer.core import schemas
from analyzer.ingest import Ingested, ReadOptions, read
from analyzer.stages.context import StageContext
from analyzer.stages.coordination import stage as stage_mod
from analyzer.stages.coordination.near_duplicates import normalise
from analyzer.stages.links import run_stage as links_stage
from analyzer.tree.forest import build_forest
from tests.bench.coordination_corpus import CAMPAIGN_TEXTS, edit

OMP_MAP = {
    "comment_id": "ID_Post", "parent_id": "ID_Parent_Post", "article_id": "ID_Article", "author": "ID_User",
    "created_at": "CreatedAt", "text": "Headline+Body", "deleted": "Status",
}
DEFAULT_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def fold_of(article_id: str) -> str:
    return "A" if hashlib.sha256(article_id.encode()).digest()[0] % 2 == 0 else "B"


def load_organic(data: Path) -> pl.DataFrame:
    """The One Million Posts comments as raw comments (RAW_COMMENTS)."""
    path = data / "omp_derstandard" / "omp_posts_dev.csv"
    if not path.is_file():
        raise SystemExit(f"coordination_eval: {path} not found (pass --data)")
    return read([path], options=ReadOptions(mapping=OMP_MAP)).comments


def plant(organic: pl.DataFrame, fold: str, seed: int, max_delay: float) -> tuple[pl.DataFrame, dict[str, Any]]:
    """The fold's organic comments plus planted campaigns and link groups; the truth."""
    rng = np.random.default_rng(seed)
    comments = organic.filter(pl.col("article_id").map_elements(fold_of, return_dtype=pl.String) == fold)
    articles = comments.get_column("article_id").unique().sort().to_list()
    times = comments.group_by("article_id").agg(t=pl.col("created_at").min())
    start = dict(times.iter_rows())
    rows: list[dict[str, Any]] = []
    campaign_of: dict[tuple[str, str], int] = {}
    texts = CAMPAIGN_TEXTS[:10] if fold == "A" else CAMPAIGN_TEXTS[10:]
    for c, base in enumerate(texts):
        n_copies = int(rng.integers(5, 16))
        accounts = [f"sock_{fold}{seed}_{c}_{j}" for j in range(int(rng.integers(2, 7)))]
        chosen = rng.choice(len(articles), size=n_copies, replace=False)
        t0 = start[articles[int(chosen[0])]]
        for k, index in enumerate(chosen):
            article = articles[int(index)]
            comment_id = f"planted-{c}-{k}"
            rows.append({"article_id": article, "comment_id": comment_id, "author": accounts[k % len(accounts)],
                         "created_at": t0 + timedelta(seconds=float(rng.uniform(0, 86400))), "text": edit(base, rng)})
            campaign_of[(article, comment_id)] = c
    planted_pairs: set[tuple[str, str]] = set()
    for g in range(8):
        members = [f"sharer_{fold}{seed}_{g}_{j}" for j in range(int(rng.integers(3, 6)))]
        planted_pairs |= {tuple(sorted(p)) for p in itertools.combinations(members, 2)}  # type: ignore[misc]
        base_article = articles[int(rng.integers(0, len(articles)))]
        for u in range(3):
            url = f"https://www.fakten-{fold.lower()}{seed}-{g}.example/artikel/{u}?utm_source=share"
            t0 = start[base_article] + timedelta(hours=float(rng.uniform(1, 24 * 21)))
            for m, member in enumerate(members):
                article = articles[int(rng.integers(0, len(articles)))]
                delay = 0.0 if m == 0 else float(rng.uniform(1, max_delay))
                rows.append({"article_id": article, "comment_id": f"share-{g}-{u}-{m}", "author": member,
                             "created_at": t0 + timedelta(seconds=delay), "text": f"Lest das: {url}"})
            decoy = comments.row(int(rng.integers(0, comments.height)), named=True)
            rows.append({"article_id": decoy["article_id"], "comment_id": f"decoy-{g}-{u}", "author": decoy["author"],
                         "created_at": t0 + timedelta(hours=float(rng.uniform(3, 48))), "text": f"Siehe {url}"})
    extra = schemas.conform(
        pl.DataFrame(rows, schema={"article_id": pl.String, "comment_id": pl.String, "author": pl.String,
                                   "created_at": schemas.UTC_TIME, "text": pl.String})
        .with_columns(kind=pl.lit("comment")),
        schemas.RAW_COMMENTS,
    )
    merged = pl.concat([comments, extra], how="vertical").with_columns(src_order=pl.int_range(pl.len(), dtype=pl.Int64))
    return merged, {"campaign_of": campaign_of, "planted_pairs": planted_pairs}


def _bigrams(text: str) -> set[tuple[str, str]]:
    words = text.split(" ")
    return set(zip(words, words[1:], strict=False))


def evaluate(raw: pl.DataFrame, truth: dict[str, Any], settings: dict[str, Any]) -> dict[str, float]:
    forest = build_forest(raw, schemas.empty(schemas.RAW_ARTICLES))
    empty = Ingested(schemas.empty(schemas.RAW_COMMENTS), schemas.empty(schemas.RAW_ARTICLES), schemas.empty(schemas.ARTICLE_BLOCKS))
    ctx = StageContext(forest=forest, ingested=empty, settings={"domain_lists": []})
    links = links_stage(ctx).frames["links.parquet"]
    result = stage_mod.compute(forest.comments, forest.articles, links, None, settings)
    members = result.frames["near_duplicates.parquet"]
    campaign_of: dict[tuple[str, str], int] = truth["campaign_of"]
    norm = dict(
        forest.comments.select(pl.concat_str("article_id", pl.lit("\x00"), "comment_id"), normalise(pl.col("text")))
        .iter_rows()
    )
    # Campaign recall: share of each campaign's copies in its best cluster.
    clustered = {(a, c): k for k, a, c in members.select("cluster_id", "article_id", "comment_id").iter_rows()}
    recalls = []
    for campaign in set(campaign_of.values()):
        copies = [key for key, value in campaign_of.items() if value == campaign]
        clusters = [clustered.get(key) for key in copies]
        counts = {k: clusters.count(k) for k in set(clusters) if k is not None}
        recalls.append(max(counts.values(), default=0) / len(copies))
    # Pair precision over same-cluster pairs.
    good = bad = 0
    for _, group in members.group_by("cluster_id"):
        keys = list(zip(group.get_column("article_id"), group.get_column("comment_id"), strict=True))
        for x, y in itertools.combinations(keys, 2):
            cx, cy = campaign_of.get(x), campaign_of.get(y)
            if cx is not None or cy is not None:
                ok = cx == cy
            else:
                bx, by = _bigrams(norm[f"{x[0]}\x00{x[1]}"]), _bigrams(norm[f"{y[0]}\x00{y[1]}"])
                ok = len(bx & by) / max(1, len(bx | by)) >= 0.5
            good += ok
            bad += not ok
    pairs = {(a, b) for a, b in result.frames["colinks.parquet"].select("author_a", "author_b").iter_rows()}
    planted_pairs: set[tuple[str, str]] = truth["planted_pairs"]
    components = result.frames["colink_components.parquet"]
    component_pairs = {p for accounts in components.get_column("accounts").to_list() for p in itertools.combinations(sorted(accounts), 2)}
    strong = {p for p in pairs if p in component_pairs}
    info = result.manifest["colinks"]
    return {
        "campaign_recall": float(np.mean(recalls)),
        "campaigns_whole": float(np.mean([r == 1.0 for r in recalls])),
        "pair_precision": good / (good + bad) if good + bad else 1.0,
        "n_clusters": float(result.frames["near_duplicate_clusters.parquet"].height),
        "n_organic_clustered": float(sum(1 for key in clustered if key not in campaign_of)),
        "link_pair_recall": len(planted_pairs & pairs) / len(planted_pairs),
        "component_precision": len(strong & planted_pairs) / len(strong) if strong else 1.0,
        "colink_pairs": float(len(pairs)),
        "interval_s": float(info["interval_s"] or 0.0),
    }


SETTINGS: tuple[tuple[str, float, dict[str, Any]], ...] = (
    ("groups within 10 s, interval estimated", 10.0, {}),
    ("groups within 40 s, interval estimated", 40.0, {}),
    ("groups within 40 s, --colink-interval 60", 40.0, {"colink_interval_s": 60.0}),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args(argv)
    organic = load_organic(args.data.resolve())
    print(f"organic: {organic.height:,} One Million Posts comments; folds by article id hash; {args.seeds} seeds each")
    keys = ("campaign_recall", "campaigns_whole", "pair_precision", "n_clusters", "n_organic_clustered",
            "link_pair_recall", "component_precision", "colink_pairs", "interval_s")
    print("fold | setting | " + " | ".join(keys))
    for fold in ("A", "B"):
        for label, max_delay, settings in SETTINGS:
            rows = []
            for seed in range(args.seeds):
                raw, truth = plant(organic, fold, seed, max_delay)
                rows.append(evaluate(raw, truth, settings))
            mean = {k: float(np.mean([r[k] for r in rows])) for k in keys}
            worst = {k: float(np.min([r[k] for r in rows])) for k in ("campaign_recall", "pair_precision", "link_pair_recall")}
            name = f"{fold} ({'tune' if fold == 'A' else 'held out'})"
            print(f"{name} | {label} | " + " | ".join(f"{mean[k]:.3f}" if mean[k] <= 1 else f"{mean[k]:.1f}" for k in keys)
                  + f" | worst seed: recall {worst['campaign_recall']:.3f}, precision {worst['pair_precision']:.3f}, "
                  f"link pair recall {worst['link_pair_recall']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
