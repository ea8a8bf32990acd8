"""The comment polarity the nlp stage gave before the labels stage, against One Million Posts labels.

Runs ``analyse --stages nlp --nlp offline`` on the labelled comments of the dev CSV and
compares the sign of each comment's ``polarity`` metric (mean sentence sentiment - 1) with the
human sentiment labels: the "before" line of docs/sentiment-and-labels.md.  The lexicon is not
trained, so every comment is held out.

    python -m tests.bench.labels_lexicon_before [CSV]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import polars as pl

from analyzer.ingest import ReadOptions
from analyzer.pipeline import analyse

DEFAULT = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "omp_derstandard" / "omp_posts_dev.csv"
MAP = {
    "comment_id": "ID_Post", "parent_id": "ID_Parent_Post", "article_id": "ID_Article", "author": "ID_User",
    "created_at": "CreatedAt", "text": "Headline+Body", "deleted": "Status",
}


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT
    table = pl.read_csv(source, infer_schema_length=0).filter(pl.col("SentimentNegative").is_not_null())
    gold = table.select(
        pl.col("ID_Article").alias("article_id"), pl.col("ID_Post").alias("comment_id"),
        pl.when(pl.col("SentimentNegative") == "1").then(pl.lit("negative"))
        .when(pl.col("SentimentPositive") == "1").then(pl.lit("positive")).otherwise(pl.lit("neutral")).alias("gold"),
    )
    with tempfile.TemporaryDirectory() as tmp:
        subset = Path(tmp) / "labelled.csv"
        table.write_csv(subset)
        analysis = analyse([subset], options=ReadOptions(mapping=MAP), stages="nlp", stage_settings={"nlp": "offline"})
    metrics = analysis.metrics.filter((pl.col("scope") == "comment") & (pl.col("metric") == "polarity"))
    polarity = metrics.select("article_id", pl.col("subject_id").alias("comment_id"), pl.col("value").alias("polarity"))
    joined = gold.join(polarity, on=["article_id", "comment_id"], how="left").with_columns(
        predicted=pl.when(pl.col("polarity").is_null()).then(pl.lit(None))
        .when(pl.col("polarity") < 0).then(pl.lit("negative"))
        .when(pl.col("polarity") > 0).then(pl.lit("positive")).otherwise(pl.lit("neutral"))
    )
    n = joined.height
    scored = joined.drop_nulls("predicted")
    majority = gold.group_by("gold").len().sort("len", descending=True).row(0)
    accuracy_all = (joined.get_column("predicted") == joined.get_column("gold")).fill_null(False).mean()
    print(f"{n} labelled comments; {scored.height} got a polarity ({n - scored.height} none)")
    print(f"accuracy over all labelled (no polarity = wrong): {accuracy_all:.3f}")
    print(f"accuracy over those with a polarity: {(scored['predicted'] == scored['gold']).mean():.3f}")
    print(f"majority baseline ({majority[0]}): {majority[1] / n:.3f}")
    tp = scored.filter((pl.col("predicted") == "negative") & (pl.col("gold") == "negative")).height
    fp = scored.filter((pl.col("predicted") == "negative") & (pl.col("gold") != "negative")).height
    fn = joined.filter((pl.col("gold") == "negative") & (pl.col("predicted").fill_null("") != "negative")).height
    tn = n - tp - fp - fn
    f1_neg = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    f1_rest = 2 * tn / (2 * tn + fp + fn) if tn else 0.0
    print(f"negative vs rest: F1(negative) {f1_neg:.3f}, macro-F1 {(f1_neg + f1_rest) / 2:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
