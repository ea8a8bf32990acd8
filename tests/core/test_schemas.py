"""analyzer.core.schemas: declared frames, checked at the end of every producer."""

from __future__ import annotations

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.core.run import known_files


def test_conform_orders_adds_and_casts() -> None:
    frame = pl.DataFrame({"value": [1], "metric": ["n"], "article_id": ["a"]})
    out = schemas.conform(frame, schemas.METRICS)
    assert out.schema == schemas.METRICS
    assert out.row(0, named=True) == {"article_id": "a", "scope": None, "subject_id": None, "metric": "n", "value": 1.0}


def test_conform_of_a_frame_without_any_column_keeps_its_height() -> None:
    out = schemas.conform(pl.DataFrame({"other": [1, 2, 3]}), schemas.METRICS)
    assert out.height == 3 and out.schema == schemas.METRICS


def test_check_names_what_is_wrong() -> None:
    frame = pl.DataFrame({"article_id": ["a"], "scope": [1]})
    with pytest.raises(schemas.SchemaMismatchError, match=r"metrics: schema mismatch \(missing=\['subject_id'"):
        schemas.check(frame, schemas.METRICS, "metrics")
    assert schemas.check(schemas.empty(schemas.METRICS), schemas.METRICS, "metrics").is_empty()


def test_every_run_file_has_an_article_id_to_slice_by() -> None:
    # The views split every per-article file by article_id; a file without one cannot be served.
    per_article = {name for name, schema in known_files().items() if "article_id" in schema}
    assert {"comments.parquet", "metrics.parquet", "stance.parquet"} <= per_article
