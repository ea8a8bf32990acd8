from dataclasses import dataclass
from pathlib import Path

from analyzer.core import defaults, schemas
from analyzer.core.settings import setting
from analyzer.stages.spec import StageSpec


@dataclass(frozen=True, slots=True)
class FramingSettings:
    """framing"""

    frames_file: tuple[Path, ...] = setting(
        (), "frame inventory TOML (replaces the packaged one for its language; repeatable)",
        flag="--frames", metavar="FILE", cli="append")
    frames_alpha: float = setting(defaults.FRAMES_ALPHA, "additive smoothing of frame profiles", positive=True)
    keyness_prior_size: float = setting(defaults.KEYNESS_PRIOR_SIZE, "pseudo-counts of the keyness prior",
                                        positive=True)


STAGE = StageSpec(
    "framing", "analyzer.stages.framing.frames:run_stage", ("nlp", "quotes"),
    "frame hits, article vs reader framing, keyness, label adoption",
    outputs={"frames.parquet": schemas.FRAMES, "keyness.parquet": schemas.KEYNESS},
    metrics="analyzer.stages.framing.compare:METRICS", order=60, settings=FramingSettings,
)
