from analyzer.core import schemas
from analyzer.stages.spec import StageSpec

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
    metrics="analyzer.stages.coordination.stage:METRICS", order=70,
)
