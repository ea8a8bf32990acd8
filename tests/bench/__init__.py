"""Development benchmarks (``python -m tests.bench.NAME``); not part of the package."""
