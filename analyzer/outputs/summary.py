"""A readable terminal summary of a run: one line per article, then the parse issues."""

from __future__ import annotations

import polars as pl

from analyzer.core.run import Run
from analyzer.views import headline_table


def _cell(value: object, width: int) -> str:
    text = "–" if value is None else str(value)
    text = " ".join(text.split())  # titles may hold newlines or tabs
    if len(text) > width:
        text = text[: width - 1] + "…"
    return text


def _fmt(value: float | int | None, digits: int = 2) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def article_table(run: Run) -> pl.DataFrame:
    """Per-article summary rows (the numbers the terminal table shows), read through the views."""
    return headline_table(run)


def _unrecognised_line(issues: pl.DataFrame) -> str | None:
    """One line naming the inputs whose comment section was seen but not read.

    Why here and not only in the issue list: the list is cut after a few rows, and "0
    comments" must never read as "no comments" when the page clearly has some.
    """
    from analyzer.ingest.base import COMMENTS_NOT_RECOGNISED

    if not issues.height:
        return None
    hits = issues.filter(pl.col("code") == COMMENTS_NOT_RECOGNISED)
    if not hits.height:
        return None
    where = [row["path"] or row["article_id"] or "?" for row in hits.iter_rows(named=True)]
    shown = ", ".join(where[:3]) + (f" and {len(where) - 3} more" if len(where) > 3 else "")
    return (
        f"comments not recognised: {len(where)} input(s) show a comment section but no comment was read"
        f" ({shown}); see {COMMENTS_NOT_RECOGNISED} below"
    )


def render(run: Run, *, max_articles: int = 50, max_issues: int = 20) -> str:
    """The summary as text: a table of articles, totals, and the first parse issues."""
    table = article_table(run)
    columns = [
        ("article", 22), ("title", 34), ("announced", 9), ("visible", 7), ("ghosts", 6),
        ("deleted", 7), ("depth", 5), ("virality", 8), ("h", 3), ("issues", 6),
    ]
    lines = ["  ".join(name.ljust(width) if i < 2 else name.rjust(width) for i, (name, width) in enumerate(columns))]
    lines.append("  ".join("-" * width for _, width in columns))
    for row in table.head(max_articles).iter_rows(named=True):
        depth = row["max_depth"]
        h = row["h_index"]
        values = [
            row["article_id"], row["title"], row["n_announced"], row["n_visible"], row["n_ghost"],
            row["n_deleted"], None if depth is None else int(depth), _fmt(row["structural_virality"]),
            None if h is None else int(h), row["n_issues"],
        ]
        cells = [
            _cell(v, width).ljust(width) if i < 2 else _cell(v, width).rjust(width)
            for i, (v, (_, width)) in enumerate(zip(values, columns, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    if table.height > max_articles:
        lines.append(f"… and {table.height - max_articles} more articles")
    counts = run.manifest.get("counts", {})
    severities = counts.get("parse_issues", {})
    lines.append("")
    lines.append(
        f"{counts.get('articles', table.height)} articles, {counts.get('comments_out', 0)} comments "
        f"({counts.get('ghosts', 0)} ghosts inserted, {counts.get('comments_rejected', 0)} rejected); "
        f"parse issues: {severities.get('error', 0)} errors, {severities.get('warning', 0)} warnings, "
        f"{severities.get('info', 0)} notes"
    )
    unrecognised = _unrecognised_line(run.parse_issues)
    if unrecognised:
        lines.append(unrecognised)
    nlp_mode = run.manifest.get("nlp_mode")
    lines.append(f"stages: {', '.join(run.manifest.get('stages', []))}; NLP mode: {nlp_mode or 'not run'}")
    if run.has("frames") or run.has("stance") or run.has("quotes"):
        # How readers respond, per article: stance shares, framing distance, top reader terms.
        from analyzer.views.headline import headline
        from analyzer.views.headline import render as render_headline

        lines.append("")
        lines.extend(render_headline(headline(run).head(max_articles)))
    issues = run.parse_issues
    if issues.height:
        lines.append("")
        lines.append("parse issues:")
        order = {"error": 0, "warning": 1, "info": 2}
        shown = issues.with_columns(_o=pl.col("severity").replace_strict(order, default=3)).sort("_o", maintain_order=True)
        for row in shown.head(max_issues).iter_rows(named=True):
            where = row["path"] or row["article_id"] or ""
            if row["line"] is not None:
                where += f":{row['line']}"
            lines.append(f"  {row['severity']:<7} {row['code']:<20} {where}: {row['detail']}")
        if issues.height > max_issues:
            lines.append(f"  … and {issues.height - max_issues} more (parse_issues.parquet)")
    return "\n".join(lines)
