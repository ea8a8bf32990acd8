from analyzer.core import schemas
from analyzer.stages.spec import StageSpec

STAGE = StageSpec(
    "stance", "analyzer.stages.stance.stage:run_stage", ("quotes",),
    "stance toward the parent and the article (cues or a trained model); stance aggregates",
    outputs={"stance.parquet": schemas.STANCE},
    metrics="analyzer.stages.stance.aggregates:METRICS", order=50,
)
