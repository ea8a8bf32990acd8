"""What the regex tokenizer changes in a run's results: tokens, lemmas, POS, sentences, metrics.

``python -m tests.bench.tokenizer_diff [--input PATH] [--map SPEC] [--stages LIST]``

Runs :func:`analyzer.analyse` twice on the same input in this process, once with
``nlp_tokenizer = "somajo"`` (the earlier output) and once with the default ``regex``, and
prints: token span F1; on tokens with the same span, the share with the same lemma and the
same UPOS; exact sentence F1 and the share of sentences with the same polarity; then for
every metric (``metrics``: thread and comment scope) how many values differ, by how much
(largest absolute difference, and the mean over the differing ones), and for the stance,
frames and labels frames how many rows differ.  Default input: the One Million Posts dev
CSV (held out from the tokenizer's rules).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import polars as pl


def _run(path: str, mapping: dict[str, str], stages: str | None, tokenizer: str) -> Any:
    from analyzer.ingest import ReadOptions
    from analyzer.pipeline import analyse

    settings = {"nlp_tokenizer": tokenizer, "nlp_workers": 1}
    return analyse([path], stages=stages, options=ReadOptions(mapping=mapping), stage_settings=settings)


def main(argv: Sequence[str] | None = None) -> int:
    from tests.bench.nlp_profile import OMP_CSV, OMP_MAP

    parser = argparse.ArgumentParser(prog="python -m tests.bench.tokenizer_diff", description=__doc__.split("\n")[0])
    parser.add_argument("--input", default=str(OMP_CSV))
    parser.add_argument("--map", default=OMP_MAP)
    parser.add_argument("--stages", default=None, help="stage names (default: all)")
    args = parser.parse_args(argv)
    mapping = dict(item.split("=", 1) for item in args.map.split(",")) if args.map else {}
    old = _run(args.input, mapping, args.stages, "somajo")
    new = _run(args.input, mapping, args.stages, "regex")
    keys = ["doc_id", "start_char", "end_char"]
    t_old, t_new = old.stage_frames["tokens.parquet"], new.stage_frames["tokens.parquet"]
    both = t_old.join(t_new, on=keys, how="inner", suffix="_new")
    f1 = 2 * both.height / (t_old.height + t_new.height)
    lemma = both.filter(pl.col("lemma").eq_missing(pl.col("lemma_new"))).height / both.height
    upos = both.filter(pl.col("upos").eq_missing(pl.col("upos_new"))).height / both.height
    s_old, s_new = old.stage_frames["sentences.parquet"], new.stage_frames["sentences.parquet"]
    s_both = s_old.join(s_new, on=keys, how="inner", suffix="_new")
    s_f1 = 2 * s_both.height / (s_old.height + s_new.height)
    polarity = s_both.filter(pl.col("sentiment").eq_missing(pl.col("sentiment_new"))).height / max(s_both.height, 1)
    print(f"tokens: somajo {t_old.height}, regex {t_new.height}, span F1 {f1:.4f}; same span: lemma {lemma:.4f}, UPOS {upos:.4f}")
    print(f"sentences: somajo {s_old.height}, regex {s_new.height}, exact F1 {s_f1:.4f}; same span: polarity {polarity:.4f}")
    m_keys = [c for c in old.metrics.columns if c not in ("value",)]
    metrics = old.metrics.join(new.metrics, on=m_keys, how="full", suffix="_new", nulls_equal=True)
    diff = metrics.with_columns(
        d=(pl.col("value") - pl.col("value_new")).abs(),
        differs=~pl.col("value").eq_missing(pl.col("value_new")),
    )
    table = (
        diff.group_by("metric")
        .agg(n=pl.len(), differing=pl.col("differs").sum(), max_abs=pl.col("d").max(),
             mean_abs_differing=pl.col("d").filter(pl.col("differs")).mean())
        .filter(pl.col("differing") > 0)
        .sort("differing", descending=True)
    )
    print(f"metric values: {diff.height}, differing {int(diff['differs'].sum())}")
    with pl.Config(tbl_rows=60, tbl_cols=10, tbl_width_chars=160):
        print(table)
    for name in ("stance.parquet", "frames.parquet", "comment_labels.parquet", "quotes.parquet", "keyness.parquet"):
        if name in old.stage_frames and name in new.stage_frames:
            a, b = old.stage_frames[name], new.stage_frames[name]
            same = a.join(b, on=a.columns, how="semi", nulls_equal=True).height if a.height == b.height else None
            print(f"{name}: rows {a.height} / {b.height}, identical rows {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
