"""Reports of a run folder: one self-contained HTML page, Parquet tables, PNG figures.

``analyzer report RUN_DIR --out REPORT_DIR`` and :func:`build_report` write it; scheduled
runs (:mod:`analyzer.jobs.scheduled`) write one per run with the comparison to the run before.
"""

from __future__ import annotations

from analyzer.outputs.report.build import (
    FORMATS,
    ReportResult,
    build_report,
    collect_sections,
    parse_formats,
)

__all__ = ["FORMATS", "ReportResult", "build_report", "collect_sections", "parse_formats"]
