"""The run-folder reference in docs/ says what the declared schemas say."""

from __future__ import annotations

from tests.docs import run_folder


def test_run_folder_doc_matches_the_schemas() -> None:
    document = run_folder.DOC.read_text(encoding="utf-8")
    assert run_folder.render(document) == document, (
        "docs/run-folder.md is out of date: run `python -m tests.docs.run_folder --write`")


def test_generated_part_names_every_file_with_its_writer() -> None:
    text = run_folder.generated()
    assert "| `stance.parquet` | stance |" in text
    assert "| `comments.parquet` | every run |" in text
    assert "`edge_confidence` (Float64)" in text
