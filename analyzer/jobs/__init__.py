"""Scheduled runs (``analyzer run JOB.toml``) and the comparison of two runs."""
