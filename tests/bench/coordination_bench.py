"""Time the ``coordination`` stage on a synthetic corpus of 1M comments (target: at most 60 s).

    python -m tests.bench.coordination_bench [--comments 1000000] [--articles 10000] [--repeat 1]

The corpus: thread shapes, authors and times from :mod:`tests.bench.synth.corpus`; texts from
:func:`tests.bench.coordination_corpus.zipf_texts`; 7 % of comments end with a link drawn
from 50,000 URLs with Zipf popularity; 500 copy-paste campaigns of 20 lightly edited copies and
100 groups of 5 accounts sharing the same 4 URLs within seconds are planted.  The links stage
runs first (untimed here, reported); the coordination stage is timed on its own, after an
untimed garbage collection, and its parts (near-duplicates, co-links, authors, time series)
are timed separately as well.  Wall time and the process's CPU time (all threads) are printed
with the load average: on a machine shared with other work the wall time measures the
queue as much as the code.  Generated corpora are cached in ``/tmp``.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import time
from pathlib import Path

import numpy as np
import polars as pl

from analyzer.core import schemas
from analyzer.ingest import Ingested
from analyzer.stages.context import StageContext
from analyzer.stages.coordination import authors as authors_mod
from analyzer.stages.coordination import colinks as colinks_mod
from analyzer.stages.coordination import near_duplicates as nd_mod
from analyzer.stages.coordination import stage as stage_mod
from analyzer.stages.coordination import timeseries as ts_mod
from analyzer.stages.links import run_stage as links_stage
from analyzer.tree.forest import build_forest
from tests.bench.coordination_corpus import CAMPAIGN_TEXTS, edit, zipf_texts
from tests.bench.synth.corpus import generate_corpus


def bench_corpus(n_comments: int, n_articles: int, seed: int = 7) -> pl.DataFrame:
    """The benchmark table (cached as Parquet under /tmp)."""
    cache = Path(f"/tmp/coordination_bench_{n_comments}_{n_articles}_{seed}_v1.parquet")
    if cache.exists():
        return pl.read_parquet(cache)
    rng = np.random.default_rng(seed)
    frame = generate_corpus(n_comments, n_articles, seed=seed, deep_chains=0)
    texts = zipf_texts(n_comments, rng)
    n_urls = 50_000
    ranks = np.arange(1, n_urls + 1, dtype=np.float64) ** -1.0
    urls = rng.choice(n_urls, size=n_comments, p=ranks / ranks.sum())
    has_link = rng.random(n_comments) < 0.07
    frame = frame.with_columns(
        text=pl.when(pl.Series(has_link))
        .then(pl.concat_str(texts, pl.lit(" https://news.example.org/story/"), pl.Series(urls).cast(pl.String)))
        .otherwise(texts)
    )
    # Campaigns: 500 x 20 edited copies replacing random comments' texts and authors.
    rows = rng.choice(n_comments, size=500 * 20 + 100 * 5 * 4, replace=False)
    text = frame.get_column("text").to_list()
    author = frame.get_column("author").to_list()
    created = frame.get_column("created_at").to_list()
    k = 0
    for campaign in range(500):
        base = CAMPAIGN_TEXTS[campaign % len(CAMPAIGN_TEXTS)] + f" Aktion {campaign} Tag {campaign * 7 % 31}"
        for copy in range(20):
            text[rows[k]] = edit(base, rng)
            author[rows[k]] = f"campaign{campaign}_{copy % 5}"
            k += 1
    for group in range(100):
        t0 = created[rows[k]]
        for url in range(4):
            for member in range(5):
                text[rows[k]] = f"Lest das https://planted.example.net/g{group}/u{url}"
                author[rows[k]] = f"sharer{group}_{member}"
                created[rows[k]] = t0 + (url * 3600 + member * 5) * np.timedelta64(1, "s").item()
                k += 1
    frame = frame.with_columns(
        text=pl.Series(text), author=pl.Series(author),
        created_at=pl.Series(created, dtype=schemas.UTC_TIME),
    )
    frame.write_parquet(cache)
    return frame


def _raw(frame: pl.DataFrame) -> pl.DataFrame:
    return schemas.conform(
        frame.with_columns(kind=pl.lit("comment"), src_order=pl.int_range(pl.len(), dtype=pl.Int64)),
        schemas.RAW_COMMENTS,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    frame = bench_corpus(args.comments, args.articles)
    print(f"corpus: {frame.height:,} comments in {frame['article_id'].n_unique():,} threads "
          f"({time.perf_counter() - start:.1f} s to make or load)")
    forest = build_forest(_raw(frame), schemas.empty(schemas.RAW_ARTICLES))
    ingested = Ingested(_raw(frame.head(0)), schemas.empty(schemas.RAW_ARTICLES), schemas.empty(schemas.ARTICLE_BLOCKS))
    ctx = StageContext(forest=forest, ingested=ingested, settings={"domain_lists": []})
    start = time.perf_counter()
    ctx.frames.update(links_stage(ctx).frames)
    print(f"links stage (prerequisite, not counted): {time.perf_counter() - start:.2f} s, "
          f"{ctx.frames['links.parquet'].height:,} links")
    comments, articles, links = forest.comments, forest.articles, ctx.frames["links.parquet"]
    for attempt in range(args.repeat):
        gc.collect()
        parts: dict[str, float] = {}
        t = time.perf_counter()
        nd = nd_mod.detect(comments, articles, nd_mod.NearDuplicateSettings())
        parts["near_duplicates"] = time.perf_counter() - t
        t = time.perf_counter()
        cl = colinks_mod.detect(links, comments, colinks_mod.ColinkSettings())
        parts["colinks"] = time.perf_counter() - t
        t = time.perf_counter()
        authors_mod.author_tables(comments, articles, None, links)
        parts["authors"] = time.perf_counter() - t
        t = time.perf_counter()
        ts_mod.compute_timeseries(comments, None)
        parts["timeseries"] = time.perf_counter() - t
        gc.collect()
        load_before = os.getloadavg()[0]
        t, cpu = time.perf_counter(), time.process_time()
        result = stage_mod.run_stage(ctx)
        whole, whole_cpu = time.perf_counter() - t, time.process_time() - cpu
        print(f"run {attempt + 1}: coordination stage {whole:.2f} s wall, {whole_cpu:.2f} s CPU (all threads) "
              f"(target <= 60 s; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after); parts (wall): "
              + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items()))
        print(f"  clusters {nd.clusters.height:,} ({nd.members.height:,} comments), colink pairs "
              f"{cl.pairs.height:,}, components {cl.components.height:,}, interval {cl.info['interval_s']} s, "
              f"authors {result.frames['authors.parquet'].height:,}, timeseries rows {result.frames['timeseries.parquet'].height:,}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:,.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
