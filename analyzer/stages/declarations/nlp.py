from analyzer.core import schemas
from analyzer.stages.spec import StageSpec

STAGE = StageSpec(
    "nlp", "analyzer.stages.nlp.stage:run_stage", (), "sentences, tokens, lemmas, POS, sentence sentiment, language tags",
    outputs={"sentences.parquet": schemas.SENTENCES, "tokens.parquet": schemas.TOKENS},
    metrics="analyzer.stages.nlp.metrics:REGISTRY", order=30,
)
