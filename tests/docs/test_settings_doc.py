"""The settings table in docs/usage.md says what the stages' settings declarations say."""

from __future__ import annotations

from tests.docs import settings_doc


def test_settings_table_matches_the_declarations() -> None:
    document = settings_doc.DOC.read_text(encoding="utf-8")
    assert settings_doc.render(document) == document, (
        "docs/usage.md's settings table is out of date: run `python -m tests.docs.settings_doc --write`")


def test_table_names_the_option_type_and_readers() -> None:
    text = settings_doc.generated()
    assert "| `near_dup_threshold` | `--near-dup-threshold` | float | `0.5` | coordination |" in text
    assert "| `engine` | `--engine` | str or None | — | nlp, stance |" in text
