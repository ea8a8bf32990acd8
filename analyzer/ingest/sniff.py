"""Which reader fits a file: by extension first, then by content.

Each reader module exposes ``looks_like(path, head)``; this module only decides the order in
which they are asked.  Order matters: the specific JSON shapes (Reddit, Hacker News,
WordPress REST) are tried before anything generic, and page text is the last resort.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from analyzer.core.errors import FormatError, InputError, UsageError
from analyzer.ingest.source import decode

# format name -> module implementing the reader contract (analyzer/ingest/base.py)
READER_MODULES: dict[str, str] = {
    "pagetext": "analyzer.ingest.pagetext",
    "wp_html": "analyzer.ingest.wp_html",
    "wp_json": "analyzer.ingest.wp_json",
    "table": "analyzer.ingest.tables",
    "reddit": "analyzer.ingest.reddit",
    "hn": "analyzer.ingest.hn",
    "threads": "analyzer.ingest.threads_jsonl",
    "convokit": "analyzer.ingest.convokit",
}
FORMATS = tuple(READER_MODULES)

TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".parquet", ".pq", ".jsonl", ".ndjson"})
LINE_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".php"})
JSON_ORDER = ("reddit", "hn", "wp_json")
HEAD_BYTES = 64 * 1024


# Suffixes of text captures (a tag at the start does not make them HTML documents).
MARKDOWN_TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})


def reader(format_name: str) -> ModuleType:
    """The reader module for a format name, or a UsageError listing the known formats."""
    try:
        module_name = READER_MODULES[format_name]
    except KeyError:
        raise UsageError(
            f"unknown format {format_name!r}; known formats: {', '.join(FORMATS)}"
        ) from None
    return importlib.import_module(module_name)


def _head(path: Path) -> str:
    with path.open("rb") as handle:
        data = handle.read(HEAD_BYTES)
    try:
        text, _, _ = decode(data, str(path))
    except InputError:
        return ""  # binary: the page-text reader refuses it with a clear message
    return text


def sniff(path: Path) -> str:
    """Name the format of ``path``; raise FormatError if nothing fits."""
    if path.is_dir():
        if reader("convokit").looks_like(path, ""):
            return "convokit"
        raise FormatError(path, "a file, or a ConvoKit corpus folder (utterances.jsonl with speakers.json "
                          "or conversations.json)", found="a folder of another kind")
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        # One thread per line (nodes with parents, or nested children) before rows.
        if suffix in LINE_SUFFIXES and reader("threads").looks_like(path, _head(path)):
            return "threads"
        return "table"
    head = _head(path)
    stripped = head.lstrip("\ufeff \t\r\n")
    with path.open("rb") as handle:
        blank = not handle.read(HEAD_BYTES).strip(b"\xef\xbb\xbf \t\r\n")
    if blank and path.stat().st_size < HEAD_BYTES:
        raise FormatError(path, "an input with comments or an article", found="an empty file")
    if suffix == ".json" or stripped[:1] in ("[", "{"):
        for name in JSON_ORDER:
            if reader(name).looks_like(path, head):
                return name
        if suffix == ".json":
            raise FormatError(
                path,
                "JSON from Reddit (thread listing), Hacker News (Algolia item) or the WordPress REST API "
                "(comments list or post)",
                found="JSON of another shape",
            )
    if suffix in HTML_SUFFIXES:
        return "wp_html"
    if stripped[:1] == "<":
        # A text or Markdown file that starts with a tag but is no HTML document is a markdown
        # converter's output with raw HTML passed through (pandoc -t gfm): page text.
        lowered = head.lower()
        if suffix in MARKDOWN_TEXT_SUFFIXES and not any(t in lowered for t in ("<html", "<!doctype", "<body", "<head")):
            return "pagetext"
        return "wp_html"
    return "pagetext"
