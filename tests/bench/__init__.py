"""Development tools: benchmarks, evaluations, the fuzz harness, the load test, synthetic corpora.

Run each as ``python -m tests.bench.NAME`` from the repository root; none is installed with the package."""
