"""Development tooling: benchmarks, evaluation scripts, label tools (run as python -m tests.bench.NAME)."""
