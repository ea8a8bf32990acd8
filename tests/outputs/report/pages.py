"""Small page-text inputs and hand-made run folders for report, job, compare and thread tests.

All text here was written for these tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core import schemas
from analyzer.core.run import write_run

# (indent level 1 = top level, text); written in the numbered-list layout of WordPress pages.
BASE_COMMENTS: list[tuple[int, str]] = [
    (1, "Endlich passiert etwas für Radfahrer in dieser Stadt."),
    (2, "Und wo sollen die Anwohner dann parken? Das hat niemand bedacht."),
    (3, "Es gibt genug Parkhäuser in der Nähe, man muss sie nur nutzen."),
    (1, "Zwei Millionen für ein paar Striche auf der Straße, das ist zu viel."),
    (1, "Mehr Infos unter hxxps://radwege.example.net/lindenau"),
]


def page_text(comments: list[tuple[int, str]], *, title: str = "Neue Radwege in Lindenau sorgen für Streit") -> str:
    """A German article page with ``comments`` as a numbered, indented reply list."""
    lines = [
        "Verkehr", "", title, "",
        "Die Stadt Lindenau will bis zum Sommer vier neue Radwege bauen. Anwohner kritisieren den Wegfall von Parkplätzen.",
        "", "Der Stadtrat hat die Pläne mit knapper Mehrheit beschlossen. Die Kosten liegen bei zwei Millionen Euro.",
        "", f"{len(comments)} Antworten", "",
    ]
    counters: dict[int, int] = {}
    for level, text in comments:
        counters[level] = counters.get(level, 0) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        lines += [f"{'  ' * level}{counters[level]}. {text}", ""]
    lines.append("Schreibe einen Kommentar")
    return "\n".join(lines) + "\n"


def write_page(path: Path, comments: list[tuple[int, str]] | None = None, **kwargs: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page_text(BASE_COMMENTS if comments is None else comments, **kwargs), encoding="utf-8")
    return path


def comment_rows(rows: list[dict[str, Any]], article_id: str = "a") -> pl.DataFrame:
    """COMMENTS rows from short dicts (comment_id, parent_id, depth; text and kind optional)."""
    filled = []
    for seq, row in enumerate(rows):
        filled.append({"article_id": article_id, "seq": seq, "position": 0, "kind": "comment", "is_ghost": False,
                       "is_deleted": False, "text": f"Kommentar Nummer {seq}", "author": f"user{seq}", **row})
    return schemas.conform(pl.DataFrame(filled, infer_schema_length=None), schemas.COMMENTS)


def make_run(path: Path, comments: pl.DataFrame, *, extra: dict[str, pl.DataFrame] | None = None,
             body: str | None = None, metrics: pl.DataFrame | None = None) -> Path:
    """A run folder holding ``comments`` (and stage frames by file name, article body, metrics)."""
    article_ids = sorted(set(comments["article_id"].to_list()))
    articles = schemas.conform(pl.DataFrame({
        "article_id": article_ids, "title": [f"Artikel {a}" for a in article_ids],
        "n_visible": [comments.filter(pl.col("article_id") == a).height for a in article_ids],
        "body": [body] * len(article_ids),
    }, schema_overrides={"body": pl.String}), schemas.ARTICLES)
    frames = {
        "articles.parquet": articles,
        "comments.parquet": comments,
        "article_blocks.parquet": schemas.empty(schemas.ARTICLE_BLOCKS),
        "parse_issues.parquet": schemas.empty(schemas.PARSE_ISSUES),
        "metrics.parquet": metrics if metrics is not None else schemas.empty(schemas.METRICS),
        **(extra or {}),
    }
    return write_run(path, frames, {"created_at": "2026-01-01T00:00:00+00:00", "stages": []})


def stance_rows(labels: dict[str, tuple[str | None, str | None]], article_id: str = "a") -> pl.DataFrame:
    """STANCE rows: comment id -> (stance toward the parent, stance toward the article)."""
    return schemas.conform(pl.DataFrame({
        "article_id": [article_id] * len(labels), "comment_id": list(labels),
        "stance_parent": [v[0] for v in labels.values()], "stance_article": [v[1] for v in labels.values()],
    }, schema_overrides={"stance_parent": pl.String, "stance_article": pl.String}), schemas.STANCE)
