from analyzer.stages.labels import schemas as label_schemas
from analyzer.stages.spec import StageSpec

STAGE = StageSpec(
    "labels", "analyzer.stages.labels.stage:run_stage", (),
    "comment sentiment and moderation labels (trained model, not shipped); removal rates",
    outputs={"comment_labels.parquet": label_schemas.COMMENT_LABELS, "moderation.parquet": label_schemas.MODERATION},
    metrics="analyzer.stages.labels.stage:METRICS", order=65,
)
