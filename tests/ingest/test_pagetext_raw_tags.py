"""A markdown converter's output that opens with the page's raw wrapper tags is page text.

pandoc -t markdown passes <div>/<span> wrappers with attributes through as raw HTML, so a capture
can start with "<div id=…>" lines although everything between them is markdown.  Such files were
refused as "HTML or XML markup" (19 of 103 pandoc captures of the held-out batches 3 and 4);
markup saved as a page, with its document head, still is.  Pages here are original text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.core.errors import AnalyzerError
from analyzer.ingest import read
from tests.conftest import ROOT

MARKDOWN = (ROOT / "fixtures" / "capture_markdown" / "input.txt").read_text(encoding="utf-8")
WRAPPERS = "".join(f'<div id="zone-{i}" class="wrapper">\n\n</div>\n\n' for i in range(6)) + '<div id="page" class="news">\n\n'


def _comments(path: Path) -> list[tuple[str, str | None]]:
    ingested = read([path])
    rows = ingested.comments.filter(ingested.comments["kind"] == "comment")
    return list(zip(rows["comment_id"].to_list(), rows["parent_id"].to_list(), strict=True))


def test_markdown_opening_with_raw_wrappers_reads_like_the_same_markdown(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text(MARKDOWN, encoding="utf-8")
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text(WRAPPERS + MARKDOWN + "\n</div>\n", encoding="utf-8")
    expected = _comments(plain)
    assert len(expected) == 3
    assert _comments(wrapped) == expected


def test_a_saved_page_in_a_txt_file_is_still_markup(tmp_path: Path) -> None:
    page = tmp_path / "saved.txt"
    page.write_text("<!DOCTYPE html>\n<html><head><title>x</title></head><body>\n" + WRAPPERS
                    + "<p>Ein Absatz.</p>\n</div></body></html>\n", encoding="utf-8")
    with pytest.raises(AnalyzerError, match="HTML without either"):  # the HTML reader's answer
        read([page])


def test_tags_without_markdown_between_them_are_still_markup(tmp_path: Path) -> None:
    fragment = tmp_path / "fragment.txt"
    fragment.write_text(WRAPPERS + "<p>Ein Absatz.</p>\n<p>Noch einer.</p>\n", encoding="utf-8")
    with pytest.raises(AnalyzerError, match="found HTML or XML markup"):
        read([fragment])
