from analyzer import schemas
from analyzer.stages.spec import StageSpec

STAGE = StageSpec(
    "links", "analyzer.links:run_stage", (), "links: extract, refang, normalise, rate; link metrics",
    outputs={"links.parquet": schemas.LINKS, "link_ratings.parquet": schemas.LINK_RATINGS},
    metrics="analyzer.links:METRICS", order=20,
)
