from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from analyzer.core import schemas
from analyzer.core.settings import setting
from analyzer.engines.options import ExecutionSettings
from analyzer.stages.spec import StageSpec


@dataclass(frozen=True, slots=True)
class StanceSettings:
    """stance"""

    stance_model: str | None = setting(
        None, "trained stance model from `analyzer stance train`, or 'cues' (default: for German replies the "
        "German model, rebuilt by `analyzer stance train --omp` or the packaged one; the cue model otherwise)",
        flag="--stance-model", metavar="MODEL")
    stance_model_de: Path | None = setting(None, "the German model to use by default (default: the one "
                                           "`analyzer stance train --omp` wrote, else the packaged one)")
    stance_cues: Mapping[str, str] | None = setting(None, "cue inventories replacing the packaged ones "
                                                    "(language = TOML file)")


STAGE = StageSpec(
    "stance", "analyzer.stages.stance.stage:run_stage", ("quotes",),
    "stance toward the parent and the article (cues or a trained model); stance aggregates",
    outputs={"stance.parquet": schemas.STANCE},
    metrics="analyzer.stages.stance.aggregates:METRICS", order=50,
    settings=StanceSettings, shared_settings=(ExecutionSettings,),
)
