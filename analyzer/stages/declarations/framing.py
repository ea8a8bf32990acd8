from analyzer.core import schemas
from analyzer.stages.spec import StageSpec

STAGE = StageSpec(
    "framing", "analyzer.stages.framing.frames:run_stage", ("nlp", "quotes"),
    "frame hits, article vs reader framing, keyness, label adoption",
    outputs={"frames.parquet": schemas.FRAMES, "keyness.parquet": schemas.KEYNESS},
    metrics="analyzer.stages.framing.compare:METRICS", order=60,
)
