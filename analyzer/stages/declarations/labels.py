from dataclasses import dataclass
from pathlib import Path

from analyzer.core.settings import setting
from analyzer.stages.labels import schemas as label_schemas
from analyzer.stages.spec import StageSpec


@dataclass(frozen=True, slots=True)
class LabelsSettings:
    """comment labels"""

    labels_model: Path | None = setting(
        None, "comment label model from `analyzer labels train` (default: the one it wrote, if any)",
        flag="--labels-model", metavar="MODEL")


STAGE = StageSpec(
    "labels", "analyzer.stages.labels.stage:run_stage", (),
    "comment sentiment and moderation labels (trained model, not shipped); removal rates",
    outputs={"comment_labels.parquet": label_schemas.COMMENT_LABELS, "moderation.parquet": label_schemas.MODERATION},
    metrics="analyzer.stages.labels.stage:METRICS", order=65, settings=LabelsSettings,
    prepare="analyzer.stages.labels.stage:predict",
)
