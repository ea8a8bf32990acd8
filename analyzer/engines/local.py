"""The in-process engine: the same batch function, called here."""

from __future__ import annotations

from typing import Any

import polars as pl

from analyzer.engines.base import BatchFnFactory, split_rows


class LocalEngine:
    """Runs the batch function in this process.

    Args:
        batch_rows: rows per batch; None (the default) = the whole table in one batch, which
            keeps a local run identical to one made before engines existed (stanza sees all
            lines of a language in one call).
    """

    name = "local"

    def __init__(self, *, batch_rows: int | None = None) -> None:
        self.batch_rows = batch_rows
        self.n_batches = 0

    def map_batches(self, factory: BatchFnFactory, table: pl.DataFrame, *, use_gpu: bool = False) -> pl.DataFrame:
        """See :meth:`analyzer.engines.Engine.map_batches` (``use_gpu`` is the stage's own business here)."""
        fn = factory()
        spans = split_rows(table.height, self.batch_rows)
        self.n_batches = len(spans)
        parts = [fn(table.slice(offset, length)) for offset, length in spans]
        return parts[0] if len(parts) == 1 else pl.concat(parts, how="vertical")

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "batch_rows": self.batch_rows, "n_batches": self.n_batches}
