"""Development tooling: evaluations and generators run as ``python -m tests.bench.NAME``."""
