from dataclasses import dataclass

from analyzer.core import defaults, schemas
from analyzer.core.settings import setting
from analyzer.stages.spec import StageSpec


@dataclass(frozen=True, slots=True)
class CoordinationSettings:
    """coordination (near-duplicates and co-links across threads)"""

    near_dup_min_tokens: int = setting(defaults.NEAR_DUP_MIN_TOKENS, "words a comment needs to be compared for "
                                       "near-duplicates (at least 2: comments are compared by word pairs)",
                                       flag="--near-dup-min-tokens", metavar="N", minimum=2)
    near_dup_threshold: float = setting(defaults.NEAR_DUP_THRESHOLD, "estimated word-bigram Jaccard that joins two "
                                        "comments, in (0, 1]", flag="--near-dup-threshold", metavar="J",
                                        positive=True, maximum=1)
    near_dup_num_perm: int = setting(defaults.NEAR_DUP_NUM_PERM, "MinHash permutations (a multiple of the bands)",
                                     minimum=1)
    near_dup_bands: int = setting(defaults.NEAR_DUP_BANDS, "LSH bands", minimum=1)
    near_dup_min_cluster_size: int = setting(defaults.NEAR_DUP_MIN_CLUSTER_SIZE, "comments a cluster needs",
                                             minimum=2)
    near_dup_seed: int = setting(defaults.NEAR_DUP_SEED, "seed of the MinHash permutations")
    colink_interval_s: float | None = setting(None, "co-share window in seconds (default: the burst gap estimated "
                                              "from the data)", flag="--colink-interval", metavar="SECONDS",
                                              positive=True)
    colink_min_repeat: int | None = setting(None, "co-shared URLs a pair needs to be coordinated (default "
                                            f"{defaults.COLINK_MIN_REPEAT})", flag="--colink-min-repeat", metavar="N",
                                            minimum=1)
    colink_fdr: float = setting(defaults.COLINK_FDR, "false discovery rate of the chance test of coordinated pairs",
                                flag="--colink-fdr", metavar="Q", positive=True, maximum=1)
    colink_estimator: str = setting(defaults.COLINK_ESTIMATOR, "how the window is estimated when not given: the "
                                    "burst gap of the quickest URLs, or CooRnet's q/p rule",
                                    choices=("burst-gap", "coornet"))
    colink_linkage: str = setting(defaults.COLINK_LINKAGE, "co-shares: within the interval of each other (pairwise) "
                                  "or also in one burst", flag="--colink-linkage", choices=("burst", "pairwise"))
    colink_q: float = setting(defaults.COLINK_Q, "CooRnet's q: quantile of the first shares' spread", positive=True,
                              maximum=1)
    colink_p: float = setting(defaults.COLINK_P, "CooRnet's p: share of URLs whose spread sets the window",
                              positive=True, maximum=1)


STAGE = StageSpec(
    "coordination", "analyzer.stages.coordination.stage:run_stage", ("links",),
    "across threads: near-duplicate campaigns, coordinated link sharing, authors, time series",
    outputs={
        "near_duplicates.parquet": schemas.NEAR_DUPLICATES,
        "near_duplicate_clusters.parquet": schemas.NEAR_DUPLICATE_CLUSTERS,
        "colinks.parquet": schemas.COLINKS,
        "colink_components.parquet": schemas.COLINK_COMPONENTS,
        "authors.parquet": schemas.AUTHORS,
        "author_edges.parquet": schemas.AUTHOR_EDGES,
        "timeseries.parquet": schemas.TIMESERIES,
    },
    metrics="analyzer.stages.coordination.stage:METRICS", order=70, settings=CoordinationSettings,
    prepare="analyzer.stages.coordination.stage:prepare",
)
