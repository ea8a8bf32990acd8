"""The report page: Jinja2 with autoescape, plotly.js inlined once, each figure a div.

plotly's CDN option renders a blank page offline, and ``include_plotlyjs=True`` on every
figure would repeat 4.8 MB of JavaScript per figure; so the page carries plotly.js once in a
``<script>`` and every figure is ``fig.to_html(include_plotlyjs=False, full_html=False)``
with a fixed div id (plotly's default is a random UUID, which would break byte-identical
reruns).  Figure JSON escapes ``<`` and ``/``, so untrusted labels cannot close the script.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from analyzer import __version__
from analyzer.core.run import Run
from analyzer.outputs.figures import STANCE_COLOURS, UNKNOWN_COLOUR
from analyzer.outputs.report.sections import MAX_TABLE_ROWS, TABLE_PAGE_ROWS, Section
from analyzer.views import HEADLINE, format_value, headline_table, run_totals

if TYPE_CHECKING:
    import jinja2

    from analyzer.outputs.compare import Comparison

TEMPLATES = Path(__file__).resolve().parent / "templates"
_PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every {{ value }} is HTML-escaped; figures are marked safe explicitly
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.js as bundled with the installed plotly (no network)."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def _rows(frame: pl.DataFrame | None, limit: int) -> list[dict[str, Any]]:
    if frame is None:
        return []
    return [{k: ("–" if v is None else v) for k, v in row.items()} for row in frame.head(limit).iter_rows(named=True)]


def render_page(run: Run, sections: list[Section], comparison: Comparison | None, warnings: list[str]) -> str:
    """The whole report page as a string (deterministic for the same inputs)."""
    from markupsafe import Markup

    figures: dict[str, Markup] = {}
    for section in sections:
        for panel in section.panels:
            figures[panel.key] = Markup(panel.figure.to_html(  # noqa: S704 - plotly output, JSON-escaped
                include_plotlyjs=False, full_html=False, div_id=f"fig-{panel.key}", config=_PLOTLY_CONFIG))
    table = headline_table(run)
    headline = []
    for row in table.iter_rows(named=True):
        headline.append({
            "article_id": row["article_id"], "title": views_title(row["title"], row["article_id"]),
            "cells": [format_value("n", row["n_visible"]), format_value("n", row["n_ghost"])]
            + [format_value(number.metric, row[number.metric]) for number in HEADLINE]
            + [format_value("n", row["n_issues"])],
        })
    columns = ["visible", "ghosts", *[number.label for number in HEADLINE], "issues"]
    manifest = run.manifest
    context = {
        "plotly_js": Markup(plotly_js()),  # noqa: S704 - the bundled library, not user text
        "run_name": run.path.name,
        "run_created": str(manifest.get("created_at") or "–"),
        "analyzer_version": __version__,
        "nlp_mode": str(manifest.get("nlp_mode") or "not run"),
        "stages": ", ".join(str(s) for s in manifest.get("stages", [])) or "–",
        "n_inputs": len(manifest.get("inputs", [])),
        "totals": run_totals(run),
        "columns": columns,
        "headline": headline,
        "sections": sections,
        "figures": figures,
        "comparison": comparison.summary() if comparison is not None else None,
        "disappeared": _rows(comparison.disappeared if comparison else None, MAX_TABLE_ROWS),
        "new_comments": _rows(comparison.new_comments if comparison else None, MAX_TABLE_ROWS),
        "edited": _rows(comparison.edited if comparison else None, MAX_TABLE_ROWS),
        "stance_shift": _rows(_biggest(comparison.stance_shift) if comparison else None, MAX_TABLE_ROWS),
        "frame_shift": _rows(_biggest(comparison.frame_shift) if comparison else None, MAX_TABLE_ROWS),
        "domain_shift": _rows(comparison.domain_shift if comparison else None, MAX_TABLE_ROWS),
        "issues": _rows(run.parse_issues.sort("severity", "path", "line", nulls_last=True), MAX_TABLE_ROWS),
        "n_issues": run.parse_issues.height,
        "max_rows": MAX_TABLE_ROWS,
        "page_rows": TABLE_PAGE_ROWS,
        "stance_colours": STANCE_COLOURS,
        "unknown_colour": UNKNOWN_COLOUR,
        "warnings": warnings,
    }
    return _environment().get_template("report.html.j2").render(**context)


def views_title(title: str | None, article_id: str) -> str:
    from analyzer.outputs.notebook import excerpt

    return excerpt(title or article_id, 120)


def _biggest(frame: pl.DataFrame | None) -> pl.DataFrame | None:
    """Share changes, largest first (the table shows the top rows)."""
    if frame is None:
        return None
    return frame.with_columns(pl.col("share_old").round(3), pl.col("share_new").round(3),
                              pl.col("delta").round(3)).sort(
        [pl.col("delta").abs(), pl.col("article_id"), pl.col("label")], descending=[True, False, False])
