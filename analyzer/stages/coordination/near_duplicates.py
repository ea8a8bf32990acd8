"""Near-identical comments across the whole run: word-shingle MinHash with LSH banding.

Why this shape: copy-paste campaigns post the same text under many articles, lightly edited
(a word swapped, a prefix such as "Genau!" added, punctuation and emoji changed) so that exact
matching misses them.  Jaccard similarity of word-bigram sets is robust to such edits, and
MinHash (Broder 1997) with locality-sensitive hashing by bands (Indyk & Motwani 1998; Leskovec,
Rajaraman & Ullman, *Mining of Massive Datasets*, ch. 3) finds the similar pairs without
comparing all pairs.

The implementation is vectorised instead of calling a per-document library (datasketch
hashes one document per Python call, about 50 µs each: a million comments would take
minutes):

1. **Normalise**: lower case, URLs dropped, everything that is not a letter or digit
   (punctuation, emoji, symbols) becomes a space.  Texts with fewer than ``min_tokens`` words are not candidates
   ("Danke!" is no campaign).
2. **Exact copies are merged first**: identical normalised texts are hashed once.
3. **Shingles**: word bigrams, each hashed to 64 bits (polars' hash of the token, combined
   with the previous token's hash by multiply-xor).
4. **MinHash signature**: ``num_perm`` hash functions ``a·x + b mod 2^32`` (a odd, so each
   is a permutation of the 32-bit shingle hashes), minimum per text, each computed by one
   numpy multiply-add and ``minimum.reduceat`` over all shingles sorted by text.
5. **LSH**: ``bands`` bands of ``num_perm / bands`` rows; texts that agree on a whole band are
   candidates.  Every text of a bucket is compared with the bucket's first text (a star, not
   all pairs, so a bucket of 10,000 copies costs 10,000 comparisons).
6. **Verify**: a candidate pair is kept when the share of equal signature positions (an
   unbiased estimate of Jaccard) is at least ``threshold``.
7. **Clusters** are the connected components of kept pairs (scipy); a cluster needs at least
   ``min_cluster_size`` comments.  Each comment's ``similarity`` is the exact Jaccard of its
   bigram set with the cluster's medoid (the text with the highest summed estimated
   similarity to the others, copies weighted).

Defaults and why (tuned on the planted-campaign corpus of ``tests.bench.coordination_eval``,
tuning articles only; figures in docs/coordination.md):

* ``min_tokens = 8``: below eight words organic comments repeat by chance ("Sehe ich
  genauso, danke für den Artikel").
* ``num_perm = 64``, ``bands = 16`` (4 rows): the probability that a pair becomes a candidate
  is 1 - (1 - s^4)^16: 0.64 at s = 0.5, 0.89 at 0.6, 0.99 at 0.7; a campaign member only needs
  one link to any other member to join the cluster.
* ``threshold = 0.5``: two light edits in a 20-word text leave a bigram Jaccard of about 0.6.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from analyzer.core import defaults, schemas
from analyzer.core.errors import UsageError
from analyzer.core.settings import build
from analyzer.stages.declarations.coordination import CoordinationSettings

_U64 = pl.UInt64
# Multiplier that mixes the previous token's hash into a bigram hash (the 64-bit golden ratio).
_MIX = 0x9E3779B97F4A7C15
# Medoids are searched among at most this many distinct texts of a cluster (a sample beyond).
_MEDOID_CANDIDATES = 300


@dataclass(frozen=True, slots=True)
class NearDuplicateSettings:
    """Parameters of the near-duplicate detector (see the module docstring for the defaults)."""

    min_tokens: int = defaults.NEAR_DUP_MIN_TOKENS
    num_perm: int = defaults.NEAR_DUP_NUM_PERM
    bands: int = defaults.NEAR_DUP_BANDS
    threshold: float = defaults.NEAR_DUP_THRESHOLD
    min_cluster_size: int = defaults.NEAR_DUP_MIN_CLUSTER_SIZE
    seed: int = defaults.NEAR_DUP_SEED

    def __post_init__(self) -> None:
        if self.min_tokens < 2:
            raise ValueError(f"min_tokens must be at least 2 (texts are compared by word bigrams), got {self.min_tokens}")
        if self.num_perm % self.bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of bands ({self.bands})")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> NearDuplicateSettings:
        """Stage settings ``near_dup_*`` (flat, as on the command line or in a job) over the defaults."""
        return cls.from_typed(build(CoordinationSettings, settings))

    @classmethod
    def from_typed(cls, settings: CoordinationSettings) -> NearDuplicateSettings:
        """The detector's parameters from the stage's declared settings."""
        try:
            return cls(min_tokens=settings.near_dup_min_tokens, num_perm=settings.near_dup_num_perm,
                       bands=settings.near_dup_bands, threshold=settings.near_dup_threshold,
                       min_cluster_size=settings.near_dup_min_cluster_size, seed=settings.near_dup_seed)
        except ValueError as exc:  # settings that pass one by one but not together
            raise UsageError(f"near-duplicate settings: {exc}") from None


@dataclass(slots=True)
class NearDuplicates:
    """Result: one row per clustered comment, one row per cluster, and counts for the manifest."""

    members: pl.DataFrame  # schemas.NEAR_DUPLICATES
    clusters: pl.DataFrame  # schemas.NEAR_DUPLICATE_CLUSTERS
    info: dict[str, Any]


def normalise(text: pl.Expr) -> pl.Expr:
    """Lower case; URLs and every run of non-letters and non-digits (punctuation, emoji) to one space.

    URLs are dropped because a link is not prose: "Lest das: <url1>" and "Lest das: <url2>" are
    not copies of one text, and link sharing has its own detector (:mod:`.colinks`).
    """
    return (
        text.str.to_lowercase()
        .str.replace_all(r"(?:https?://|hxxps?://|www\.)\S*|[^\p{L}\p{N}]+", " ")
        .str.strip_chars()
    )


def bigram_hashes(norm: pl.DataFrame, seed: int) -> pl.DataFrame:
    """Hashed word bigrams of texts: columns ``d`` (text index, UInt32) and ``x`` (UInt64).

    ``norm`` has columns ``d`` and ``norm`` (normalised text).  A text of n words gives n - 1
    bigrams; one-word texts give none.
    """
    tokens = (
        norm.select("d", tok=pl.col("norm").str.split(" "))
        .explode("tok")
        .with_columns(h=pl.col("tok").hash(seed))
    )
    return tokens.select(
        "d",
        x=(pl.col("h").shift(1) * pl.lit(_MIX, dtype=_U64)) ^ pl.col("h"),
        same=pl.col("d") == pl.col("d").shift(1),
    ).filter(pl.col("same")).drop("same")


def _coefficients(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 2**31, size=num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = rng.integers(0, 2**32, size=num_perm, dtype=np.uint64).astype(np.uint32)
    return a, b


def signatures(shingles: pl.DataFrame, n_texts: int, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signatures, an ``(n_texts, num_perm)`` uint32 matrix (row = text index ``d``).

    ``shingles`` must be ordered by ``d`` with every text present (each has at least one
    bigram).  Each hash function is ``a·x + b mod 2^32`` (a odd: a permutation of the 32-bit
    values) on the 64-bit shingle hash folded to 32 bits; the minimum per text is one
    ``np.minimum.reduceat`` over the sorted rows.  Two threads share the hash functions
    (numpy releases the GIL in these loops).
    """
    from concurrent.futures import ThreadPoolExecutor

    x64 = shingles.get_column("x").to_numpy()
    x = (x64 ^ (x64 >> np.uint64(32))).astype(np.uint32)
    d = shingles.get_column("d").to_numpy()
    starts = np.flatnonzero(np.r_[True, d[1:] != d[:-1]])
    if len(starts) != n_texts:
        raise ValueError(f"signatures: {len(starts)} texts with shingles, expected {n_texts}")
    a, b = _coefficients(num_perm, seed)
    out = np.empty((n_texts, num_perm), dtype=np.uint32)

    def one(i: int) -> None:
        values = x * a[i]
        values += b[i]
        out[:, i] = np.minimum.reduceat(values, starts)

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(one, range(num_perm)))
    return out


def candidate_pairs(sig: np.ndarray, bands: int) -> np.ndarray:
    """Star edges ``(k, 2)`` between texts that share a whole band with a bucket's first text."""
    n, num_perm = sig.shape
    rows = num_perm // bands
    parts: list[np.ndarray] = []
    index = np.arange(n, dtype=np.int64)
    for band in range(bands):
        block = sig[:, band * rows : (band + 1) * rows]
        # One 64-bit key per band: polynomial combination with wrapping arithmetic.
        key = np.zeros(n, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for column in range(rows):
                key = key * np.uint64(_MIX) + block[:, column].astype(np.uint64)
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
        first = order[np.maximum.accumulate(np.where(starts, np.arange(n), 0))]
        keep = first != order
        if keep.any():
            parts.append(np.stack([first[keep], index[order][keep]], axis=1))
    if not parts:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(parts)
    return np.unique(pairs, axis=0)


def _components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Connected components of ``n`` nodes joined by ``pairs``, labelled as
    ``scipy.sparse.csgraph.connected_components(directed=False)`` labels them: 0, 1, ... in
    the order of each component's smallest node.  In numpy, because importing
    ``scipy.sparse.csgraph`` costs ~0.2 CPU s, more than this takes on a corpus.

    Every node takes the smallest label among itself and its neighbours, then its label's
    label (pointer jumping), until nothing changes: labels only fall and stay inside their
    component, whose smallest node keeps its own index, so each ends at that index.
    """
    label = np.arange(n, dtype=np.int64)
    if len(pairs):
        a, b = pairs[:, 0].astype(np.int64), pairs[:, 1].astype(np.int64)
        while True:
            lower = np.minimum(label[a], label[b])
            new = label.copy()
            np.minimum.at(new, a, lower)
            np.minimum.at(new, b, lower)
            new = new[new]
            if np.array_equal(new, label):
                break
            label = new
    return np.unique(label, return_inverse=True)[1].astype(np.int64).reshape(-1)


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 1.0


def detect(comments: pl.DataFrame, articles: pl.DataFrame, settings: NearDuplicateSettings) -> NearDuplicates:
    """Cluster near-identical comments of a run.

    Args:
        comments: the forest's COMMENTS frame (only visible comments with text are used).
        articles: ARTICLES (for the site of each thread).
        settings: detector parameters.

    Example:
        >>> import polars as pl
        >>> from analyzer.core import schemas
        >>> text = "Die Regierung verschweigt die wahren Kosten der Energiewende seit Jahren"
        >>> c = schemas.conform(pl.DataFrame({"article_id": ["a", "b", "c"], "comment_id": ["1", "1", "1"],
        ...     "kind": ["comment"] * 3, "author": ["x", "y", "z"],
        ...     "text": [text, text + "!!", "Ganz anderes Thema, heute regnet es in Wien wieder sehr stark"]}),
        ...     schemas.COMMENTS)
        >>> found = detect(c, schemas.empty(schemas.ARTICLES), NearDuplicateSettings())
        >>> found.members.get_column("article_id").to_list()
        ['a', 'b']
    """
    visible = comments.filter((pl.col("kind") == "comment") & pl.col("text").is_not_null())
    texts = visible.select(
        "article_id", "comment_id", "author", "created_at", norm=normalise(pl.col("text"))
    ).filter(pl.col("norm").str.count_matches(" ") >= settings.min_tokens - 1)
    n_candidates = texts.height
    info: dict[str, Any] = {
        "n_texts_considered": visible.height,
        "n_texts_long_enough": n_candidates,
        "min_tokens": settings.min_tokens,
        "num_perm": settings.num_perm,
        "bands": settings.bands,
        "threshold": settings.threshold,
        "min_cluster_size": settings.min_cluster_size,
    }
    empty = NearDuplicates(
        schemas.empty(schemas.NEAR_DUPLICATES), schemas.empty(schemas.NEAR_DUPLICATE_CLUSTERS), info
    )
    if n_candidates < 2:
        info.update(n_distinct_texts=n_candidates, n_candidate_pairs=0, n_verified_pairs=0, n_clusters=0)
        return empty
    # Exact copies share one text index d.
    distinct = texts.select("norm").unique(maintain_order=True).with_row_index("d")
    texts = texts.join(distinct, on="norm", how="left")
    n_distinct = distinct.height
    shingles = bigram_hashes(distinct.select("d", "norm"), settings.seed)
    sig = signatures(shingles, n_distinct, settings.num_perm, settings.seed)
    pairs = candidate_pairs(sig, settings.bands)
    if len(pairs):
        similarity = (sig[pairs[:, 0]] == sig[pairs[:, 1]]).mean(axis=1)
        verified = pairs[similarity >= settings.threshold]
    else:
        verified = pairs
    labels = _components(n_distinct, verified)
    texts = texts.with_columns(component=pl.Series(labels[texts.get_column("d").to_numpy()]))
    sizes = texts.group_by("component").agg(n=pl.len()).filter(pl.col("n") >= settings.min_cluster_size)
    clustered = texts.join(sizes, on="component", how="inner")
    info.update(
        n_distinct_texts=n_distinct,
        n_candidate_pairs=int(len(pairs)),
        n_verified_pairs=int(len(verified)),
        n_clusters=sizes.height,
    )
    if clustered.height == 0:
        return empty
    members, clusters = _summarise(clustered, sig, articles, visible)
    info["n_clustered_comments"] = members.height
    return NearDuplicates(members, clusters, info)


def _summarise(
    clustered: pl.DataFrame, sig: np.ndarray, articles: pl.DataFrame, visible: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Medoids, exact similarities, cluster ids by size, and the per-cluster summary rows."""
    # Cluster ids: 1 = largest cluster (ties by first appearance), so ids are stable for a run.
    order = (
        clustered.group_by("component", maintain_order=True)
        .agg(n=pl.len())
        .sort("n", descending=True, maintain_order=True)
        .with_row_index("cluster_id", offset=1)
        .select(pl.col("cluster_id").cast(pl.Int64), "component")
    )
    clustered = clustered.join(order, on="component", how="left")
    weights = clustered.group_by("cluster_id", "d", maintain_order=True).agg(n=pl.len(), norm=pl.col("norm").first())
    medoid_of: dict[int, int] = {}
    bigram_sets: dict[int, frozenset[int]] = {}
    rng = np.random.default_rng(0)
    for (cluster_id,), group in weights.group_by(["cluster_id"], maintain_order=True):
        ds = group.get_column("d").to_numpy().astype(np.int64)
        ns = group.get_column("n").to_numpy().astype(np.float64)
        candidates = np.arange(len(ds))
        if len(ds) > _MEDOID_CANDIDATES:
            candidates = np.sort(rng.choice(len(ds), size=_MEDOID_CANDIDATES, replace=False))
        cand_sig = sig[ds[candidates]]
        # Summed estimated similarity of each candidate to every distinct text, copies weighted.
        scores = np.zeros(len(candidates))
        for start in range(0, len(ds), 2000):
            chunk = sig[ds[start : start + 2000]]
            agree = (cand_sig[:, None, :] == chunk[None, :, :]).mean(axis=2)
            scores += agree @ ns[start : start + 2000]
        medoid_of[int(str(cluster_id))] = int(ds[candidates[int(np.argmax(scores))]])
    norms = dict(zip(weights.get_column("d").to_list(), weights.get_column("norm").to_list(), strict=True))
    for d, norm in norms.items():
        words = norm.split(" ")
        bigram_sets[d] = frozenset(hash((words[i], words[i + 1])) for i in range(len(words) - 1))
    sim_by_d: dict[tuple[int, int], float] = {}
    for cluster_id, d in weights.select("cluster_id", "d").iter_rows():
        sim_by_d[(cluster_id, d)] = _jaccard(bigram_sets[d], bigram_sets[medoid_of[cluster_id]])
    similarity = pl.DataFrame(
        {
            "cluster_id": [k[0] for k in sim_by_d],
            "d": [k[1] for k in sim_by_d],
            "similarity": list(sim_by_d.values()),
        },
        schema={"cluster_id": pl.Int64, "d": pl.UInt32, "similarity": pl.Float64},
    )
    clustered = clustered.join(similarity, on=["cluster_id", "d"], how="left")
    members = schemas.conform(
        clustered.sort("cluster_id", "created_at", "article_id", "comment_id", nulls_last=True), schemas.NEAR_DUPLICATES
    )
    medoids = pl.DataFrame(
        {"cluster_id": list(medoid_of), "medoid_d": list(medoid_of.values())},
        schema={"cluster_id": pl.Int64, "medoid_d": pl.UInt32},
    )
    # The medoid comment: the first comment (by time) with the medoid text; its original text.
    medoid_rows = (
        clustered.join(medoids, left_on=["cluster_id", "d"], right_on=["cluster_id", "medoid_d"], how="inner")
        .sort("created_at", nulls_last=True)
        .group_by("cluster_id")
        .agg(medoid_article_id=pl.col("article_id").first(), medoid_comment_id=pl.col("comment_id").first())
        .join(
            visible.select(
                medoid_article_id="article_id", medoid_comment_id="comment_id", medoid_text="text"
            ),
            on=["medoid_article_id", "medoid_comment_id"],
            how="left",
        )
    )
    sites = articles.select("article_id", "site")
    clusters = (
        clustered.join(sites, on="article_id", how="left")
        .group_by("cluster_id")
        .agg(
            size=pl.len(),
            n_accounts=pl.col("author").drop_nulls().n_unique(),
            n_threads=pl.col("article_id").n_unique(),
            n_sites=pl.col("site").drop_nulls().n_unique(),
            n_distinct_texts=pl.col("d").n_unique(),
            first_at=pl.col("created_at").min(),
            last_at=pl.col("created_at").max(),
            mean_similarity=pl.col("similarity").mean(),
        )
        .with_columns(span_s=(pl.col("last_at") - pl.col("first_at")).dt.total_microseconds() / 1e6)
        .join(medoid_rows, on="cluster_id", how="left")
        .sort("cluster_id")
    )
    return members, schemas.conform(clusters, schemas.NEAR_DUPLICATE_CLUSTERS)
