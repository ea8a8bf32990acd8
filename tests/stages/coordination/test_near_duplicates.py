"""Near-duplicate clusters: lightly edited copies found whole, unrelated and short texts not."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from analyzer.stages.coordination.near_duplicates import NearDuplicateSettings, detect, normalise
from tests.bench.coordination_corpus import CAMPAIGN_TEXTS, edit, zipf_texts
from tests.stages.coordination.helpers import forest

BASE = "Die Regierung verschweigt uns seit Monaten die wahren Kosten und die Medien spielen brav mit, wann wachen die Bürger endlich auf?"
VARIANTS = [
    BASE,
    "Genau! " + BASE,  # prefix
    BASE.replace("Regierung", "Politik"),  # word swap
    BASE.replace(",", "").replace("?", "!!!"),  # punctuation
    BASE + " 😡🔥",  # emoji
    BASE.upper(),  # case
]
OTHER = "Gestern war ich im Theater und die Aufführung von Nestroy hat mir ausgesprochen gut gefallen, sehr empfehlenswert"


def _rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i, text in enumerate(VARIANTS):
        rows.append({"article_id": f"a{i}", "comment_id": "1", "author": f"acct{i % 3}", "text": text, "t": 60 * i})
    rows.append({"article_id": "a0", "comment_id": "2", "author": "x", "text": OTHER, "t": 5})
    rows += [{"article_id": f"a{i}", "comment_id": "3", "author": f"y{i}", "text": "Danke!", "t": i} for i in range(4)]
    return rows


def test_edited_copies_form_one_cluster_and_nothing_else_does() -> None:
    f = forest(_rows(), sites={"a0": "one.example", "a1": "two.example"})
    found = detect(f.comments, f.articles, NearDuplicateSettings())
    members = found.members
    assert sorted(members.get_column("article_id").to_list()) == [f"a{i}" for i in range(len(VARIANTS))]
    assert members.get_column("cluster_id").unique().to_list() == [1]
    assert members.get_column("comment_id").unique().to_list() == ["1"]
    cluster = found.clusters.row(0, named=True)
    assert cluster["size"] == len(VARIANTS)
    assert cluster["n_accounts"] == 3
    assert cluster["n_threads"] == len(VARIANTS)
    assert cluster["n_sites"] == 2
    assert cluster["span_s"] == 60.0 * (len(VARIANTS) - 1)
    # The medoid is a member, and its text is one of the variants.
    assert cluster["medoid_text"] in VARIANTS


def test_similarity_is_exact_bigram_jaccard_with_the_medoid() -> None:
    f = forest(_rows())
    found = detect(f.comments, f.articles, NearDuplicateSettings())
    medoid = found.clusters.get_column("medoid_text").item()

    def bigrams(text: str) -> set[tuple[str, str]]:
        words = pl.select(normalise(pl.lit(text))).item().split(" ")
        return set(zip(words, words[1:], strict=False))

    texts = dict(zip(f.comments.get_column("article_id") + "/" + f.comments.get_column("comment_id"),
                     f.comments.get_column("text"), strict=True))
    for row in found.members.iter_rows(named=True):
        a, b = bigrams(texts[f"{row['article_id']}/{row['comment_id']}"]), bigrams(medoid)
        assert row["similarity"] == pytest.approx(len(a & b) / len(a | b))


def test_short_texts_are_not_candidates() -> None:
    f = forest([{"article_id": f"a{i}", "comment_id": "1", "author": f"u{i}", "text": "Danke für den Artikel!"} for i in range(5)])
    found = detect(f.comments, f.articles, NearDuplicateSettings())
    assert found.members.height == 0
    assert found.info["n_texts_long_enough"] == 0
    # With a lower minimum the same texts do cluster: the minimum is what kept them out.
    assert detect(f.comments, f.articles, NearDuplicateSettings(min_tokens=4)).members.height == 5


def test_deleted_and_ghost_rows_are_ignored() -> None:
    rows = [{"article_id": "a", "comment_id": "1", "author": "u", "text": BASE},
            {"article_id": "b", "comment_id": "1", "author": "v", "text": BASE, "kind": "deleted"}]
    f = forest(rows)
    assert detect(f.comments, f.articles, NearDuplicateSettings()).members.height == 0


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="multiple of bands"):
        NearDuplicateSettings(num_perm=64, bands=10)
    with pytest.raises(ValueError, match="min_tokens"):
        NearDuplicateSettings(min_tokens=1)
    assert NearDuplicateSettings.from_settings({"near_dup_threshold": 0.7}).threshold == 0.7


def test_planted_campaigns_among_organic_texts() -> None:
    """Twenty campaigns of eight edited copies among 3,000 organic texts: found whole, nothing else."""
    rng = np.random.default_rng(3)
    organic = zipf_texts(3000, rng).to_list()
    rows: list[dict[str, object]] = [
        {"article_id": f"o{i % 300}", "comment_id": f"o{i}", "author": f"p{i % 500}", "text": t} for i, t in enumerate(organic)
    ]
    for c, base in enumerate(CAMPAIGN_TEXTS):
        rows += [{"article_id": f"o{(c * 13 + k * 7) % 300}", "comment_id": f"c{c}_{k}", "author": f"s{c}_{k % 3}",
                  "text": edit(base, rng)} for k in range(8)]
    f = forest(rows)
    members = detect(f.comments, f.articles, NearDuplicateSettings()).members
    planted = members.filter(pl.col("comment_id").str.starts_with("c"))
    assert members.height == planted.height, "an organic text was clustered"
    campaign = planted.get_column("comment_id").str.extract(r"^c(\d+)_").cast(pl.Int64)
    per_campaign = planted.with_columns(campaign=campaign).group_by("campaign").agg(pl.col("cluster_id").n_unique(), pl.len())
    assert per_campaign.height == len(CAMPAIGN_TEXTS)
    assert per_campaign.get_column("cluster_id").to_list() == [1] * len(CAMPAIGN_TEXTS)
    assert per_campaign.get_column("len").to_list() == [8] * len(CAMPAIGN_TEXTS)
    assert planted.get_column("cluster_id").n_unique() == len(CAMPAIGN_TEXTS), "two campaigns merged"


def test_components_label_as_scipy_csgraph() -> None:
    """The numpy components equal scipy's connected_components labels on random graphs
    (chains, stars, isolated nodes, repeated and self pairs)."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from analyzer.stages.coordination.near_duplicates import _components

    rng = np.random.default_rng(3)
    cases = [(1, np.empty((0, 2), dtype=np.int64)), (5, np.empty((0, 2), dtype=np.int64)),
             (6, np.array([[5, 4], [4, 3], [3, 2], [2, 1], [1, 0]])), (4, np.array([[2, 2], [3, 1], [3, 1]]))]
    for _ in range(200):
        n = int(rng.integers(1, 300))
        cases.append((n, rng.integers(0, n, size=(int(rng.integers(0, n)), 2))))
    for n, pairs in cases:
        graph = coo_matrix((np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
        expected = connected_components(graph, directed=False)[1]
        assert np.array_equal(_components(n, pairs), expected)
