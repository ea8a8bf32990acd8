"""analyzer.ingest.sniff: naming the format of an input from its suffix and first bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.core.errors import FormatError
from analyzer.ingest.sniff import READER_MODULES, reader, sniff


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("page.txt", "Titel\n\n3 Kommentare\n\n1. anna sagt:\n   Gut.\n", "pagetext"),
    ("page.html", "<!doctype html><html><body><ol class='comment-list'></ol></body></html>", "wp_html"),
    ("page.htm", "<html></html>", "wp_html"),
    ("noext", "<html><body>x</body></html>", "wp_html"),
    ("rows.csv", "comment_id,parent_id,text\n1,,a\n", "table"),
    ("rows.tsv", "comment_id\tparent_id\ttext\n1\t\ta\n", "table"),
])
def test_formats_by_suffix_and_head(tmp_path: Path, name: str, content: str, expected: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert sniff(path) == expected


def test_json_of_an_unknown_shape_is_refused_with_what_was_expected(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"hello": "world"}), encoding="utf-8")
    with pytest.raises(FormatError, match="JSON from Reddit"):
        sniff(path)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(FormatError, match="empty file"):
        sniff(path)


def test_a_plain_folder_is_not_an_input(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="ConvoKit corpus folder"):
        sniff(tmp_path)


def test_every_named_reader_module_loads_and_can_read() -> None:
    for name in READER_MODULES:
        module = reader(name)
        assert callable(getattr(module, "read", None)), name


def test_markdown_with_raw_html_in_a_text_file_is_page_text(tmp_path: Path) -> None:
    """pandoc -t gfm keeps <div>/<span> as raw HTML: a .txt or .md capture starting with a tag
    is still page text unless it is an HTML document."""
    capture = tmp_path / "page.md"
    capture.write_text('<div id="page">\n\n1.  <div id="comment-1">\n\n    Anna sagt:\n', encoding="utf-8")
    assert sniff(capture) == "pagetext"
    document = tmp_path / "saved.txt"
    document.write_text("<!DOCTYPE html>\n<html><body><p>Hallo</p></body></html>\n", encoding="utf-8")
    assert sniff(document) == "wp_html"
