from analyzer.stages.spec import StageSpec

STAGE = StageSpec(
    "structure", "analyzer.structure:run_stage", (), "tree shape, coverage, latency, participation",
    metrics="analyzer.structure:METRICS", order=10,
)
