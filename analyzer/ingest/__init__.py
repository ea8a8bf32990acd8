"""Reading inputs: expand paths, pick a reader per file, merge everything into raw frames.

:func:`read` is the single entry point.  Each file goes to the reader of its format
(:mod:`analyzer.ingest.sniff`, or ``format=`` to override).  Files named explicitly must be
readable (an :class:`~analyzer.core.errors.InputError` otherwise); files found by expanding a
directory or glob that cannot be read become ``unreadable-input`` issues, so one bad page
does not stop a corpus run, and none is skipped silently.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from analyzer.core import schemas
from analyzer.core.errors import InputError, UnreadableInputError
from analyzer.core.records import ParseIssue
from analyzer.ingest import sniff
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source, threads_to_frames
from analyzer.ingest.convokit import is_corpus_dir

__all__ = ["Ingested", "InputRecord", "ReadOptions", "read", "expand_inputs", "issues_frame"]

# Formats whose article ids come from the data (post ids, submission ids): the same id in
# two files is the same article (a post object and its comments, or comment pages).
# Formats whose ids come from file names get distinct ids instead.
_INTRINSIC_IDS = frozenset({"table", "wp_json", "reddit", "hn", "threads"})

# Files that live beside inputs in folders but are not inputs.
_SIDE_FILES = frozenset({"expected.json", "options.json"})
_SIDE_SUFFIXES = frozenset({".md", ".py", ".pyc", ".toml", ".yaml", ".yml", ".lock"})
# Documentation files that sit beside data in folders (README.txt, LICENSE, NOTES, ...): read
# as page text they became empty articles (issue 12).  A folder run skips them with a note;
# named explicitly they are read like any other file.
_DOC_STEMS = frozenset(
    {
        "readme", "license", "licence", "copying", "notice", "notes", "changelog", "changes",
        "history", "authors", "contributors", "contributing", "todo", "install", "provenance",
        "citation", "manifest", "news",
    }
)


# Prefixes that are documentation whatever follows ("LICENSE-MIT", "README_de", "NOTES-2024").
_DOC_PREFIXES = frozenset({"readme", "license", "licence", "changelog", "notes", "copying", "contributing"})


def is_side_document(path: Path) -> bool:
    """Whether a file found in a folder is documentation ("README.txt", "LICENSE-MIT", "NOTES")."""
    stem = path.name.split(".")[0].lower()
    return stem in _DOC_STEMS or re.split(r"[-_ ]", stem, maxsplit=1)[0] in _DOC_PREFIXES


@dataclass(slots=True)
class InputRecord:
    """One input file as recorded in the manifest."""

    path: str
    format: str
    sha256: str
    n_bytes: int
    encoding: str | None
    n_comments_in: int
    n_chars_after_header: int = 0  # ReaderOutput.n_chars_after_header


@dataclass(slots=True)
class Ingested:
    """Everything the readers produced, merged: the input of the tree builder."""

    comments: pl.DataFrame  # schemas.RAW_COMMENTS
    articles: pl.DataFrame  # schemas.RAW_ARTICLES
    blocks: pl.DataFrame  # schemas.ARTICLE_BLOCKS
    issues: list[ParseIssue] = field(default_factory=list)
    inputs: list[InputRecord] = field(default_factory=list)
    # schemas.SOURCE_META rows (ConvoKit metadata ...); written as source_meta.parquet when not empty.
    meta: pl.DataFrame = field(default_factory=lambda: schemas.empty(schemas.SOURCE_META))

    @property
    def n_comments_in(self) -> int:
        return sum(i.n_comments_in for i in self.inputs)


def expand_inputs(inputs: list[str | Path] | str | Path) -> list[tuple[Path, bool]]:
    """Expand directories and globs into files, in a stable order.

    Returns ``(path, explicit)`` pairs: ``explicit`` is True for files named directly.  One path
    given alone (``read("page.html")`` in a notebook) is one input: a string is itself iterable,
    and its characters were taken for inputs, the first ("/") walking the whole file system.
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    out: list[tuple[Path, bool]] = []
    for item in inputs:
        path = Path(item)
        if is_corpus_dir(path):
            out.append((path, True))  # a ConvoKit corpus folder is one input, read as a whole
        elif path.is_dir():
            corpora = sorted(p for p in path.rglob("*") if is_corpus_dir(p))
            out.extend((p, False) for p in corpora)
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = found.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if any(found.is_relative_to(corpus) for corpus in corpora):
                    continue
                if found.name in _SIDE_FILES or found.suffix.lower() in _SIDE_SUFFIXES:
                    continue
                out.append((found, False))
        elif not path.exists() and glob.has_magic(str(item)):
            matches = sorted(Path(m) for m in glob.glob(str(item), recursive=True))
            if not matches:
                raise UnreadableInputError(item, "files matching the pattern", found="no match")
            out.extend((m, False) for m in matches if m.is_file())
        else:
            out.append((path, True))
    return out


def _read_one(path: Path, format_name: str | None, options: ReadOptions) -> tuple[str, Source, ReaderOutput]:
    source = Source(path, max_bytes=options.max_bytes)
    if not path.exists():
        raise UnreadableInputError(path, "an existing file", found="no such file")
    name = format_name or sniff.sniff(path)
    output = sniff.reader(name).read(source, options)
    return name, source, output


def _output_frames(
    output: ReaderOutput, source_path: str
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    if output.comments is not None:
        comments = output.comments.with_columns(src_order=pl.int_range(pl.len(), dtype=pl.Int64))
        comments = schemas.conform(comments, schemas.RAW_COMMENTS)
        articles = (
            schemas.conform(output.articles, schemas.RAW_ARTICLES)
            if output.articles is not None
            else schemas.empty(schemas.RAW_ARTICLES)
        )
        blocks = schemas.empty(schemas.ARTICLE_BLOCKS)
        t_comments, t_articles, t_blocks = threads_to_frames(output.threads, source_path)
        if t_comments.height or t_articles.height:
            comments = pl.concat([comments, t_comments.with_columns(pl.col("src_order") + comments.height)])
            articles = pl.concat([articles, t_articles])
            blocks = t_blocks
        return comments, articles, blocks
    return threads_to_frames(output.threads, source_path)


def read(
    inputs: list[str | Path] | str | Path,
    *,
    format: str | None = None,  # noqa: A002 - mirrors the --format option
    options: ReadOptions | None = None,
    progress: Callable[[int, int, Path], None] | None = None,
) -> Ingested:
    """Read every input into raw frames ready for :func:`analyzer.tree.forest.build_forest`.

    Args:
        inputs: files, directories (read recursively) or glob patterns; or one of them alone.
        format: force one reader for all files instead of sniffing.
        options: reader options (column mapping, articles table, size limit).
        progress: called as ``progress(done, total, path)`` before each file.

    Example:
        >>> ingested = read(["fixtures/de_sample_page/input.txt"])  # doctest: +SKIP
        >>> ingested.comments.height  # doctest: +SKIP
        26
    """
    options = options or ReadOptions()
    if format is not None:
        sniff.reader(format)  # unknown names fail before any file is read
    comment_parts: list[pl.DataFrame] = []
    article_parts: list[pl.DataFrame] = []
    block_parts: list[pl.DataFrame] = []
    issues: list[ParseIssue] = []
    records: list[InputRecord] = []
    meta_parts: list[pl.DataFrame] = []
    seen_articles: dict[str, str] = {}  # article id -> format that produced it
    offset = 0
    files = expand_inputs(inputs)
    for done, (path, explicit) in enumerate(files):
        if progress is not None:
            progress(done, len(files), path)
        if not explicit and is_side_document(path):
            issues.append(
                ParseIssue(
                    "side-file-skipped",
                    f"{path.name} looks like documentation (README, LICENSE, notes), not an input; skipped",
                    "info", str(path),
                )
            )
            continue
        try:
            name, source, output = _read_one(path, format, options)
        except InputError as exc:
            if explicit:
                raise
            issues.append(
                ParseIssue("unreadable-input", f"file skipped: {exc.reason()}", "error", str(path), exc.line)
            )
            continue
        comments, articles, blocks = _output_frames(output, str(path))
        comments, articles, blocks, renamed = _disambiguate(
            comments, articles, blocks, name, seen_articles
        )
        issues.extend(renamed)
        for article_id in articles.get_column("article_id").to_list():
            seen_articles.setdefault(article_id, name)
        comment_parts.append(comments.with_columns(pl.col("src_order") + offset))
        offset += comments.height
        article_parts.append(articles)
        block_parts.append(blocks)
        # Readers are asked to pass decoding issues on; add those a reader did not.
        reported = {id(i) for i in output.issues}
        issues.extend(i for i in source.decode_issues if id(i) not in reported)
        issues.extend(output.issues)
        if output.meta is not None and output.meta.height:
            meta_parts.append(output.meta)
        decoded = source._decoded  # noqa: SLF001 - only set for text formats
        records.append(
            InputRecord(
                path=str(path),
                format=name,
                sha256=source.sha256,
                n_bytes=source.n_bytes,
                encoding=decoded.encoding if decoded is not None else None,
                n_comments_in=output.n_comments_in,
                n_chars_after_header=output.n_chars_after_header,
            )
        )
    comments = (
        pl.concat(comment_parts, how="vertical") if comment_parts else schemas.empty(schemas.RAW_COMMENTS)
    )
    articles = _merge_articles(article_parts)
    blocks = pl.concat(block_parts, how="vertical") if block_parts else schemas.empty(schemas.ARTICLE_BLOCKS)
    return Ingested(
        comments=schemas.check(comments, schemas.RAW_COMMENTS, "raw comments"),
        articles=schemas.check(articles, schemas.RAW_ARTICLES, "raw articles"),
        blocks=schemas.check(blocks, schemas.ARTICLE_BLOCKS, "article blocks"),
        issues=issues,
        inputs=records,
        meta=pl.concat(meta_parts, how="vertical") if meta_parts else schemas.empty(schemas.SOURCE_META),
    )


def _disambiguate(
    comments: pl.DataFrame,
    articles: pl.DataFrame,
    blocks: pl.DataFrame,
    format_name: str,
    seen: dict[str, str],
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[ParseIssue]]:
    """Give file-named articles that collide with earlier ones a distinct id (``<id>~2`` ...)."""
    if format_name in _INTRINSIC_IDS:
        return comments, articles, blocks, []
    mapping: dict[str, str] = {}
    issues: list[ParseIssue] = []
    for row in articles.select("article_id", "source_path").iter_rows():
        article_id, path = row
        if article_id not in seen:
            continue
        k = 2
        while f"{article_id}~{k}" in seen:
            k += 1
        mapping[article_id] = f"{article_id}~{k}"
        issues.append(
            ParseIssue(
                "duplicate-article-id",
                f"article id {article_id} already used by an earlier input; this one is {mapping[article_id]}",
                "info",
                path,
                article_id=mapping[article_id],
            )
        )
    if not mapping:
        return comments, articles, blocks, []
    rename = pl.col("article_id").replace(mapping)
    return (
        comments.with_columns(article_id=rename),
        articles.with_columns(article_id=rename),
        blocks.with_columns(article_id=rename),
        issues,
    )


def _merge_articles(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """One row per article id: the first non-null value of every field across inputs."""
    if not parts:
        return schemas.empty(schemas.RAW_ARTICLES)
    articles = pl.concat(parts, how="vertical")
    if articles.get_column("article_id").is_unique().all():
        return articles
    merged = articles.group_by("article_id", maintain_order=True).agg(
        pl.all().drop_nulls().first()
    )
    return schemas.conform(merged, schemas.RAW_ARTICLES)


def issues_frame(issues: list[ParseIssue]) -> pl.DataFrame:
    """Parse issues as a frame with :data:`analyzer.core.schemas.PARSE_ISSUES`."""
    rows = {name: [getattr(i, name) for i in issues] for name in schemas.PARSE_ISSUES}
    return pl.DataFrame(rows, schema=schemas.PARSE_ISSUES)
