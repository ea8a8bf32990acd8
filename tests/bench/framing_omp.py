"""The framing stage on a run folder's nlp frames: what it reports, for before/after comparisons.

Run ``python -m tests.bench.framing_omp RUN_FOLDER`` on a run made with
``analyzer analyse omp_posts_dev.csv --stages framing --map ...`` (README "Using it").  It
calls :func:`analyzer.stages.framing.frames.compute_framing` of the code on ``sys.path`` on the run's
tokens, sentences, quotes and own texts, so two versions of the framing code can be compared
on the same nlp output (run it again with ``PYTHONPATH`` on the other tree), and prints:

* threads, threads with article text, issues by code;
* how many threads have 0, 1, 2 ... dominant reader frames, and how many have EVERY frame of
  the inventory dominant (the tie artefact of issue 13);
* how many thread / frame / label comparison numbers are non-null (without article text
  there must be none);
* label uses in comments, contested uses, adopted labels.

Used for the figures in docs/methods-framing.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.stages.framing import frames as framing
from analyzer.stages.framing.inventory import inventories_from_settings


def summarise(folder: Path) -> dict[str, Any]:
    """Run the framing computation on ``folder``'s frames and summarise its output."""
    read = {name: pl.read_parquet(folder / f"{name}.parquet") for name in
            ("articles", "comments", "tokens", "sentences", "quotes", "own_texts")}
    inventories = inventories_from_settings({})
    _, _, metrics, issues, info = framing.compute_framing(
        read["articles"], read["comments"], read["tokens"], read["sentences"], read["quotes"], read["own_texts"],
        inventories,
    )
    n_frames = len(inventories["de"].frames)
    thread = metrics.filter(pl.col("scope") == "thread")

    def non_null(scope: str, metric: str) -> int:
        return int(metrics.filter((pl.col("scope") == scope) & (pl.col("metric") == metric))["value"].is_not_null().sum())

    def total(scope: str, metric: str) -> float:
        value = metrics.filter((pl.col("scope") == scope) & (pl.col("metric") == metric))["value"].sum()
        return float(value or 0)

    dominant = thread.filter(pl.col("metric") == "n_dominant_comments")["value"].fill_null(-1).to_list()
    body = read["articles"]["body"].fill_null("").str.strip_chars()
    out = {
        "threads": read["articles"].height,
        "threads_with_article_text": int((body != "").sum()),
        "issues": dict(collections.Counter(i.code for i in issues)),
        "n_dominant_comments": dict(sorted(collections.Counter(int(v) for v in dominant).items())),
        "threads_every_frame_dominant": sum(1 for v in dominant if v == n_frames),
        "n_frames_in_inventory": n_frames,
        "non_null": {f"{s}:{m}": non_null(s, m) for s, m in (
            ("thread", "frame_jsd_bits"), ("thread", "frame_reframing"), ("thread", "frame_retention"),
            ("thread", "label_adoption_share"), ("frame", "p_article"), ("frame", "lift"), ("frame", "p_comments"),
            ("label", "label_adopted"))},
        "label_uses_comments": total("label", "label_uses_comments"),
        "label_contested_comments": total("label", "label_contested_comments") if non_null("label", "label_contested_comments") else None,
        "label_rows": int(metrics.filter(pl.col("scope") == "label")["subject_id"].n_unique()),
        "manifest_no_article_text": info.get("n_no_article_text"),
    }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run", type=Path)
    args = parser.parse_args(argv)
    if not (args.run / "tokens.parquet").is_file():
        print(f"{args.run}: not a run folder with tokens.parquet (run analyse --stages framing first)", file=sys.stderr)
        return 2
    print(json.dumps(summarise(args.run), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
