from analyzer import schemas
from analyzer.stages.spec import StageSpec

STAGE = StageSpec(
    "quotes", "analyzer.framing.quotes:run_stage", ("nlp",),
    "quotations of the article and the parent; own texts for stance and framing",
    outputs={"quotes.parquet": schemas.QUOTES, "own_texts.parquet": schemas.OWN_TEXTS},
    metrics="analyzer.framing.quotes:METRICS", order=40,
)
