from dataclasses import dataclass
from pathlib import Path

from analyzer.core import defaults, schemas
from analyzer.core.settings import setting
from analyzer.engines.options import ExecutionSettings
from analyzer.stages.spec import StageSpec


@dataclass(frozen=True, slots=True)
class NlpStageSettings:
    """language layer"""

    nlp: str = setting(defaults.NLP_MODE, "language layer: stanza models when installed (auto), only them, or the "
                       "offline components", flag="--nlp", choices=("auto", "stanza", "offline"))
    models_dir: Path | None = setting(None, "stanza models folder (default $STANZA_RESOURCES_DIR or "
                                      "~/.cache/analyzer/stanza)", flag="--models", metavar="DIR")
    nlp_max_chars: int = setting(defaults.NLP_MAX_CHARS, "characters of a document analysed (longer ones are cut, "
                                 "with an issue)", positive=True)
    nlp_ner: bool = setting(defaults.NLP_NER, "named entities (stanza only)")
    nlp_offline_runner: str = setting(defaults.NLP_OFFLINE_RUNNER, "offline components called directly or through "
                                      "stanza's Pipeline (same output)", choices=("direct", "stanza"))
    nlp_tokenizer: str = setting(defaults.NLP_TOKENIZER, "the direct offline runner's tokenizer and sentence "
                                 "splitter: column-wise regex (measured against SoMaJo) or SoMaJo itself",
                                 flag="--nlp-tokenizer", choices=("regex", "somajo"))
    nlp_workers: int | None = setting(None, "worker processes of the local engine (default: one per core)", minimum=1)
    nlp_cache: Path | None = setting(None, "folder of the annotation cache (default: none; a job uses its root's "
                                     "cache/nlp)")


STAGE = StageSpec(
    "nlp", "analyzer.stages.nlp.stage:run_stage", (), "sentences, tokens, lemmas, POS, sentence sentiment, language tags",
    outputs={"sentences.parquet": schemas.SENTENCES, "tokens.parquet": schemas.TOKENS},
    metrics="analyzer.stages.nlp.metrics:REGISTRY", order=30,
    settings=NlpStageSettings, shared_settings=(ExecutionSettings,),
)
