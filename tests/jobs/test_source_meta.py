"""Scheduled incremental runs keep the source metadata of reused inputs (ConvoKit speakers, corpus)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from analyzer.core.run import read_run
from analyzer.jobs.scheduled import run_job
from tests.ingest.test_convokit import corpus_new_layout
from tests.outputs.report.pages import write_page

JOB = """name = "mixed"
inputs = ["corpus", "pages/*.txt"]
output = "out"
stages = ["structure"]
[report]
formats = ["parquet"]
"""


def _meta(run_dir: Path) -> pl.DataFrame:
    return read_run(run_dir / "run").frame("source_meta").sort(pl.all(), nulls_last=True)


def test_reused_convokit_input_keeps_its_speaker_and_corpus_metadata(tmp_path: Path) -> None:
    corpus_new_layout(tmp_path / "corpus")
    write_page(tmp_path / "pages" / "lindenau.txt")
    (tmp_path / "job.toml").write_text(JOB, encoding="utf-8")
    first = run_job(tmp_path / "job.toml", now=datetime(2026, 11, 24, 1, 30, tzinfo=UTC))
    assert first.run_dir is not None
    before = _meta(first.run_dir)
    # Rows without an article id: the speakers' and the corpus's metadata.
    assert set(before.filter(pl.col("article_id").is_null()).get_column("kind").to_list()) >= {"speaker", "corpus"}

    # The page changes, the corpus does not: the corpus is reused from the first run.
    write_page(tmp_path / "pages" / "lindenau.txt", [(0, "Ganz neuer Kommentar zur Linde.")])
    second = run_job(tmp_path / "job.toml", now=datetime(2026, 11, 25, 1, 30, tzinfo=UTC))
    assert second.run_dir is not None
    merged = read_run(second.run_dir / "run")
    assert merged.manifest["incremental"]["reused"] == [str(tmp_path / "corpus")]
    assert _meta(second.run_dir).equals(before)
