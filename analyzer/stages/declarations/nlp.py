from analyzer import schemas
from analyzer.stages.spec import StageSpec

STAGE = StageSpec(
    "nlp", "analyzer.nlp.stage:run_stage", (), "sentences, tokens, lemmas, POS, sentence sentiment, language tags",
    outputs={"sentences.parquet": schemas.SENTENCES, "tokens.parquet": schemas.TOKENS},
    metrics="analyzer.nlp.metrics:REGISTRY", order=30,
)
