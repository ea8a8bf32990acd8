"""The engine's settings, declared once (shared by the stages that hand work to an engine).

The fields are the flat setting names (``engine = "ray"`` in a job's ``[settings]``); the
defaults live in :mod:`analyzer.core.defaults`.  :class:`analyzer.engines.EngineSettings` turns
them into the engine's resolved options (an address chooses Ray; Ray-only options refused for
the local engine).
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.core import defaults
from analyzer.core.settings import setting


@dataclass(frozen=True, slots=True)
class ExecutionSettings:
    """engine (the nlp and stance stages on Ray Data; needs the [ray] extra)"""

    engine: str | None = setting(None, f"where nlp and stance run (default {defaults.ENGINE})", flag="--engine",
                                 choices=("local", "ray"))
    ray_address: str | None = setting(None, "join this Ray cluster (default: start a local Ray)", flag="--address",
                                      metavar="HOST:PORT")
    ray_actors: int | None = setting(None, f"actors in the pool (default {defaults.RAY_ACTORS})", flag="--ray-actors",
                                     metavar="N", minimum=1)
    ray_num_cpus: float | None = setting(None, f"CPUs per actor (default {defaults.RAY_NUM_CPUS})",
                                         flag="--ray-cpus-per-actor", metavar="F", positive=True)
    ray_num_gpus: float | None = setting(None, "GPUs per actor (default 1 when the cluster has GPUs, else 0)",
                                         flag="--ray-gpus-per-actor", metavar="F", minimum=0)
    engine_batch_rows: int | None = setting(
        None, f"documents per batch (default: all at once locally, {defaults.RAY_BATCH_ROWS} on Ray)",
        flag="--batch-rows", metavar="N", minimum=1)
    nlp_gpu: bool | None = setting(None, "let the nlp stage use a GPU (default: when one is present); false = never")
