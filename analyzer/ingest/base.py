"""The contract every reader implements, and the conversion of parsed threads to frames.

A reader module (one per format) exposes::

    FORMAT: str                                   # name used by --format
    def looks_like(path: Path, head: str) -> bool  # content sniffing on the first 64 KiB
    def read(source: Source, options: ReadOptions) -> ReaderOutput

Document readers return ``ParsedThread`` objects; table readers return frames directly.
Readers never raise for recoverable anomalies: they append ``ParseIssue``s.  They raise
:class:`analyzer.errors.InputError` subclasses only when the file cannot be read as the
format at all.  ``n_comments_in`` is what the reader saw in the source, counted
independently of the comments it emits, so the run can prove nothing was lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from analyzer import schemas
from analyzer.ingest.source import DEFAULT_MAX_BYTES, DecodedText, file_sha256, load_text
from analyzer.model import ParsedThread, ParseIssue


@dataclass(slots=True)
class ReadOptions:
    """Options that apply to all readers.

    Attributes:
        mapping: canonical column name -> column name in the user's table (``--map``).
        articles_table: optional table of articles for table inputs.
        max_bytes: inputs larger than this are refused.
    """

    mapping: dict[str, str] = field(default_factory=dict)
    articles_table: Path | None = None
    max_bytes: int = DEFAULT_MAX_BYTES


# File stems that say nothing about the article (wget saves "index.html"; our fixtures are
# "input.*"): for these the folder name identifies the article instead.
_GENERIC_STEMS = frozenset({"index", "input", "page", "comments", "article", "default"})


def default_article_id(path: Path) -> str:
    """The article id for inputs that carry none: the file stem, or the folder for generic stems."""
    stem = path.name.split(".")[0]
    if stem.lower() in _GENERIC_STEMS and path.parent.name:
        return path.parent.name
    return stem


class Source:
    """One input file; decodes its text once, on first use.

    ``article_id`` is the id to use for an article whose input carries none.
    """

    def __init__(self, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.article_id = default_article_id(path)
        self._decoded: DecodedText | None = None
        self._sha256: str | None = None

    def decoded(self) -> DecodedText:
        if self._decoded is None:
            self._decoded = load_text(self.path, max_bytes=self.max_bytes)
            self._sha256 = self._decoded.sha256
        return self._decoded

    @property
    def text(self) -> str:
        return self.decoded().text

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            self._sha256 = file_sha256(self.path)
        return self._sha256

    @property
    def decode_issues(self) -> list[ParseIssue]:
        return self.decoded().issues if self._decoded is not None else []


@dataclass(slots=True)
class ReaderOutput:
    """What one reader produced from one file."""

    threads: list[ParsedThread] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)
    n_comments_in: int = 0
    # Table readers fill these instead of ``threads``:
    comments: pl.DataFrame | None = None  # columns of RAW_COMMENTS except src_order
    articles: pl.DataFrame | None = None  # columns of RAW_ARTICLES


def threads_to_frames(
    threads: list[ParsedThread], source_path: str
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Flatten parsed threads into (raw comments, raw articles, article blocks) frames."""
    comment_rows: dict[str, list[object]] = {name: [] for name in schemas.RAW_COMMENTS}
    article_rows: dict[str, list[object]] = {name: [] for name in schemas.RAW_ARTICLES}
    block_rows: dict[str, list[object]] = {name: [] for name in schemas.ARTICLE_BLOCKS}
    for thread in threads:
        art = thread.article
        for name in schemas.RAW_ARTICLES:
            if name == "source_path":
                article_rows[name].append(art.source_path or source_path)
            else:
                article_rows[name].append(getattr(art, name))
        for idx, block in enumerate(art.blocks):
            block_rows["article_id"].append(art.article_id)
            block_rows["block_idx"].append(idx)
            block_rows["kind"].append(block.kind)
            block_rows["text"].append(block.text)
            block_rows["source_line"].append(block.source_line)
        for order, c in enumerate(thread.comments):
            comment_rows["article_id"].append(art.article_id)
            comment_rows["comment_id"].append(c.comment_id)
            comment_rows["parent_id"].append(c.parent_id)
            comment_rows["declared_depth"].append(c.declared_depth)
            comment_rows["author"].append(c.author)
            comment_rows["created_at"].append(c.created_at)
            comment_rows["text"].append(c.text)
            comment_rows["source_path"].append(art.source_path or source_path)
            comment_rows["source_line"].append(c.source_line)
            comment_rows["kind"].append(c.kind)
            comment_rows["n_hidden"].append(c.n_hidden)
            comment_rows["url"].append(c.url)
            comment_rows["edge_confidence"].append(c.edge_confidence)
            comment_rows["src_order"].append(order)
    comments = pl.DataFrame(comment_rows, schema=schemas.RAW_COMMENTS)
    articles = pl.DataFrame(article_rows, schema=schemas.RAW_ARTICLES)
    blocks = pl.DataFrame(block_rows, schema=schemas.ARTICLE_BLOCKS)
    return comments, articles, blocks
