from analyzer.core import schemas
from analyzer.stages.spec import StageSpec

STAGE = StageSpec(
    "quotes", "analyzer.stages.framing.quotes:run_stage", ("nlp",),
    "quotations of the article and the parent; own texts for stance and framing",
    outputs={"quotes.parquet": schemas.QUOTES, "own_texts.parquet": schemas.OWN_TEXTS},
    metrics="analyzer.stages.framing.quotes:METRICS", order=40,
)
