"""Removal rates of a run, pooled over its articles: the moderation table of docs/sentiment-and-labels.md.

    python -m tests.bench.labels_moderation RUN_DIR [MODEL]

``RUN_DIR`` is a run folder; when it lacks ``comment_labels.parquet`` (or has only null labels)
and ``MODEL`` is given, the comments are labelled with that model first (the labels stage's
own functions), so a run made before the model existed can be studied without re-running nlp.
Groups with fewer than ``MIN_N`` comments are left out of the printout (their intervals are
too wide to read), not out of the file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

from analyzer.core.run import read_run
from analyzer.stages.labels import model as label_model
from analyzer.stages.labels.moderation import pooled, removal_rates
from analyzer.stages.labels.stage import label_comments

MIN_N = 30


def main(argv: list[str]) -> int:
    run = read_run(Path(argv[0]))
    labels = run.frame("comment_labels") if run.has("comment_labels") else None
    if (labels is None or labels.get_column("model").is_null().all()) and len(argv) > 1:
        labels = label_comments(run.comments, label_model.load(Path(argv[1])))
    stance = run.frame("stance") if run.has("stance") else None
    links = run.frame("links") if run.has("links") else None
    rates = pooled(removal_rates(run.comments, stance=stance, labels=labels, links=links))
    with pl.Config(tbl_rows=200, tbl_cols=10, tbl_width_chars=140, float_precision=3):
        for by in rates.get_column("by").unique(maintain_order=True).to_list():
            part = rates.filter((pl.col("by") == by) & (pl.col("n_comments") >= MIN_N))
            if by == "domain":
                part = part.sort("n_comments", descending=True).head(15)
            print(part.select("by", "group", "n_comments", "n_removed", "removal_rate", "ci_low", "ci_high"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
