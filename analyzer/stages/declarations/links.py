from analyzer.core import schemas
from analyzer.stages.spec import StageSpec

STAGE = StageSpec(
    "links", "analyzer.stages.links:run_stage", (), "links: extract, refang, normalise, rate; link metrics",
    outputs={"links.parquet": schemas.LINKS, "link_ratings.parquet": schemas.LINK_RATINGS},
    metrics="analyzer.stages.links:METRICS", order=20,
)
