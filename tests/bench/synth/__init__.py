"""Synthetic inputs: renderers of trees to page formats and a corpus generator for benchmarks."""
