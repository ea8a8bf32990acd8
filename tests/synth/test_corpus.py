"""Tests of the synthetic corpus generator: exact sizes, valid trees, realistic shapes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analyzer.core.errors import UsageError
from tests.bench.synth.corpus import CORPUS_SCHEMA, generate_corpus, main, write_corpus


def _depths(frame: pl.DataFrame) -> np.ndarray:
    """Depth per row (top level = 1), relying on parents preceding children."""
    index = {cid: i for i, cid in enumerate(frame["comment_id"].to_list())}
    depth = np.zeros(frame.height, dtype=np.int64)
    for i, parent in enumerate(frame["parent_id"].to_list()):
        depth[i] = 1 if parent is None else depth[index[parent]] + 1
    return depth


@pytest.fixture(scope="module")
def corpus() -> pl.DataFrame:
    return generate_corpus(20_000, 200, seed=7, deep_chains=2, chain_length=600)


def test_schema_and_exact_sizes(corpus: pl.DataFrame) -> None:
    assert corpus.schema == CORPUS_SCHEMA
    assert corpus.height == 20_000
    sizes = corpus.group_by("article_id").len()["len"]
    assert sizes.len() == 200  # every article has at least one comment
    assert sizes.min() >= 1
    assert sizes.sum() == 20_000


def test_ids_unique_and_rows_grouped_by_article(corpus: pl.DataFrame) -> None:
    assert corpus["comment_id"].n_unique() == corpus.height
    # Each article's rows are contiguous and articles appear in id order.
    runs = corpus["article_id"].rle()
    assert runs.struct.field("value").n_unique() == runs.len() == 200
    assert corpus["article_id"].is_sorted()


def test_parents_precede_children_in_same_article(corpus: pl.DataFrame) -> None:
    indexed = corpus.with_row_index("row")
    joined = indexed.join(
        indexed.select(
            pl.col("comment_id").alias("parent_id"),
            pl.col("row").alias("parent_row"),
            pl.col("article_id").alias("parent_article"),
        ),
        on="parent_id",
        how="left",
    )
    replies = joined.filter(pl.col("parent_id").is_not_null())
    assert replies.height > 0
    assert replies["parent_row"].null_count() == 0, "every parent id exists"
    assert (replies["parent_row"] < replies["row"]).all()
    assert (replies["parent_article"] == replies["article_id"]).all()


def test_times_strictly_increase_within_thread(corpus: pl.DataFrame) -> None:
    gaps = corpus.select(
        pl.col("article_id"),
        pl.col("created_at").diff().over("article_id").alias("gap"),
    ).drop_nulls("gap")
    # Gaps are at least one second, so times strictly rise and creation order is total.
    assert gaps["gap"].dt.total_microseconds().min() >= 1_000_000
    assert corpus["created_at"].dtype == pl.Datetime("us", "UTC")


def test_heavy_tail_of_thread_sizes() -> None:
    frame = generate_corpus(100_000, 1_000, seed=3, deep_chains=0)
    sizes = frame.group_by("article_id").len()["len"]
    assert sizes.max() >= 10 * sizes.median()


def test_reply_structure_is_realistic(corpus: pl.DataFrame) -> None:
    top_share = corpus["parent_id"].null_count() / corpus.height
    assert 0.25 < top_share < 0.5
    # Preferential attachment: some comments collect many replies, most collect none.
    replies = corpus["parent_id"].drop_nulls().value_counts()["count"]
    assert replies.max() >= 20
    assert replies.len() < 0.5 * corpus.height


def test_deep_chains_reach_requested_depth(corpus: pl.DataFrame) -> None:
    depth = _depths(corpus)
    per_article = (
        corpus.with_columns(depth=pl.Series(depth)).group_by("article_id").agg(pl.col("depth").max())
    )
    assert (per_article["depth"] >= 600).sum() == 2


def test_authors_are_zipf_like(corpus: pl.DataFrame) -> None:
    counts = corpus["author"].drop_nulls().value_counts(sort=True)["count"]
    top_share = counts.head(max(1, counts.len() // 100)).sum() / counts.sum()
    assert top_share > 0.1  # the top 1 % of authors write over 10 % of the comments
    assert corpus["author"].null_count() < 0.02 * corpus.height


def test_texts_mix_languages_and_links(corpus: pl.DataFrame) -> None:
    text = corpus["text"]
    assert text.null_count() == 0
    assert (text.str.len_chars() > 0).all()
    assert text.str.contains("://").mean() > 0.02
    assert text.str.contains("hxxps://|_____://").any()
    assert text.str.contains(r"\b(?:die|der|das)\b").any()
    assert text.str.contains(r"\bthe\b").any()


def test_deterministic_with_seed() -> None:
    first = generate_corpus(3_000, 30, seed=11, deep_chains=1, chain_length=100)
    again = generate_corpus(3_000, 30, seed=11, deep_chains=1, chain_length=100)
    other = generate_corpus(3_000, 30, seed=12, deep_chains=1, chain_length=100)
    assert_frame_equal(first, again)
    assert not first.equals(other)


@pytest.mark.parametrize(
    ("n_comments", "n_articles", "deep_chains", "chain_length"),
    [(10, 20, 0, 1), (100, 10, 1, 95), (100, 10, 11, 1), (10, 0, 0, 1)],
)
def test_infeasible_sizes_raise_usage_error(
    n_comments: int, n_articles: int, deep_chains: int, chain_length: int
) -> None:
    with pytest.raises(UsageError):
        generate_corpus(n_comments, n_articles, deep_chains=deep_chains, chain_length=chain_length)


def test_smallest_corpus_is_one_comment_per_article() -> None:
    frame = generate_corpus(5, 5, deep_chains=0)
    assert frame["parent_id"].null_count() == 5


def test_write_corpus_and_command_line(tmp_path: Path) -> None:
    out = write_corpus(tmp_path / "c.parquet", 500, 10, seed=2, deep_chains=1, chain_length=50)
    assert_frame_equal(
        pl.read_parquet(out), generate_corpus(500, 10, seed=2, deep_chains=1, chain_length=50)
    )
    target = tmp_path / "cli" / "corpus.parquet"
    code = main(["--comments", "400", "--articles", "8", "--seed", "2", "--chain-length", "20",
                 "--out", str(target)])
    assert code == 0
    assert pl.read_parquet(target).height == 400
    assert main(["--comments", "4", "--articles", "8", "--out", str(target)]) == 2
