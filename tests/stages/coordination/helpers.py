"""Small multi-thread forests built in code for the coordination tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl

from analyzer.core import schemas
from analyzer.tree.forest import Forest, build_forest

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def forest(rows: list[dict[str, Any]], sites: dict[str, str] | None = None) -> Forest:
    """A forest from dicts with article_id, comment_id and optional parent_id, author, text, t (seconds)."""
    filled = []
    for order, row in enumerate(rows):
        row = dict(row)
        seconds = row.pop("t", None)
        filled.append({
            "kind": "comment", "src_order": order, "text": f"text {order}",
            "created_at": None if seconds is None else T0 + timedelta(seconds=seconds), **row,
        })
    raw = schemas.conform(pl.DataFrame(filled, infer_schema_length=None), schemas.RAW_COMMENTS)
    article_ids = list(dict.fromkeys(r["article_id"] for r in rows))
    articles = schemas.conform(
        pl.DataFrame({"article_id": article_ids, "site": [(sites or {}).get(a) for a in article_ids]},
                     schema={"article_id": pl.String, "site": pl.String}),
        schemas.RAW_ARTICLES,
    )
    return build_forest(raw, articles)
