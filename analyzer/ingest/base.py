"""The contract every reader implements, and the conversion of parsed threads to frames.

A reader module (one per format) exposes::

    FORMAT: str                                   # name used by --format
    def looks_like(path: Path, head: str) -> bool  # content sniffing on the first 64 KiB
    def read(source: Source, options: ReadOptions) -> ReaderOutput

Document readers return ``ParsedThread`` objects; table readers return frames directly.
Readers never raise for recoverable anomalies: they append ``ParseIssue``s.  They raise
:class:`analyzer.core.errors.InputError` subclasses only when the file cannot be read as the
format at all.  ``n_comments_in`` is what the reader saw in the source, counted
independently of the comments it emits, so the run can prove nothing was lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from analyzer.core import schemas
from analyzer.core.hashing import file_sha256
from analyzer.core.records import ParsedThread, ParseIssue
from analyzer.ingest.source import DEFAULT_MAX_BYTES, DecodedText, load_text

# A page that shows signs of a comment section but yielded no comment (HTML and page-text
# readers).  A warning, yet `analyse` exits 1 for it under the default --fail-on (only
# `--fail-on never` silences it): a user must not take "not understood" for "no comments".
COMMENTS_NOT_RECOGNISED = "comments-not-recognised"
FAIL_BY_DEFAULT_CODES = frozenset({COMMENTS_NOT_RECOGNISED})


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
    def n_bytes(self) -> int:
        """Size of the input: the file, or every file of a corpus folder."""
        if self.path.is_dir():
            return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())
        return self.path.stat().st_size

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
    # Metadata beyond our columns (schemas.SOURCE_META), e.g. a ConvoKit corpus's.
    meta: pl.DataFrame | None = None
    # Characters after a comment-section header that no comment took and that went to the
    # article blocks (a page whose comments were not recognised): the accounting's figure
    # for text that may be unread comments.
    n_chars_after_header: int = 0


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _epoch_microseconds(values: list[datetime | None]) -> list[int | None]:
    """Aware datetimes as microseconds since the epoch (polars converts ints twice as fast).

    Naive datetimes are taken as UTC, as everywhere in the analyzer.
    """
    return [
        None if v is None else ((v if v.tzinfo else v.replace(tzinfo=UTC)) - _EPOCH) // _MICROSECOND
        for v in values
    ]


def threads_to_frames(
    threads: list[ParsedThread], source_path: str
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Flatten parsed threads into (raw comments, raw articles, article blocks) frames.

    Columns are built with one comprehension each: a page of 100,000 comments would
    otherwise spend more time appending to lists than parsing.
    """
    article_rows: dict[str, list[object]] = {name: [] for name in schemas.RAW_ARTICLES}
    for thread in threads:
        art = thread.article
        for name in schemas.RAW_ARTICLES:
            value = (art.source_path or source_path) if name == "source_path" else getattr(art, name)
            article_rows[name].append(value)
    blocks_flat = [(t.article.article_id, idx, b) for t in threads for idx, b in enumerate(t.article.blocks)]
    block_columns = {
        "article_id": [a for a, _, _ in blocks_flat],
        "block_idx": [i for _, i, _ in blocks_flat],
        "kind": [b.kind for _, _, b in blocks_flat],
        "text": [b.text for _, _, b in blocks_flat],
        "source_line": [b.source_line for _, _, b in blocks_flat],
    }
    comments = [c for t in threads for c in t.comments]
    article_ids = [t.article.article_id for t in threads for _ in t.comments]
    paths = [t.article.source_path or source_path for t in threads for _ in t.comments]
    orders = [order for t in threads for order in range(len(t.comments))]
    comment_columns = {
        "article_id": article_ids,
        "comment_id": [c.comment_id for c in comments],
        "parent_id": [c.parent_id for c in comments],
        "declared_depth": [c.declared_depth for c in comments],
        "author": [c.author for c in comments],
        "created_at": _epoch_microseconds([c.created_at for c in comments]),
        "text": [c.text for c in comments],
        "source_path": paths,
        "source_line": [c.source_line for c in comments],
        "kind": [c.kind for c in comments],
        "n_hidden": [c.n_hidden for c in comments],
        "url": [c.url for c in comments],
        "edge_confidence": [c.edge_confidence for c in comments],
        "votes_up": [c.votes_up for c in comments],
        "votes_down": [c.votes_down for c in comments],
        "src_order": orders,
    }
    return (
        pl.DataFrame(comment_columns, schema={**schemas.RAW_COMMENTS, "created_at": pl.Int64}).with_columns(
            pl.col("created_at").cast(schemas.UTC_TIME)
        ),
        pl.DataFrame(article_rows, schema=schemas.RAW_ARTICLES),
        pl.DataFrame(block_columns, schema=schemas.ARTICLE_BLOCKS),
    )
