from analyzer.stages.spec import StageSpec

STAGE = StageSpec(
    "structure", "analyzer.stages.structure:run_stage", (), "tree shape, coverage, latency, participation",
    metrics="analyzer.stages.structure:METRICS", order=10,
)
