"""Table reader: one comment per row, with id and parent-id columns (CSV, JSONL, Parquet).

This is the fast path of ingestion.  Everything after loading is a polars expression over
whole columns; no Python loop runs per row, so a million Parquet rows load in a fraction of
a second.  The reader returns frames (``ReaderOutput.comments`` / ``.articles``), never
:class:`~analyzer.core.records.ParsedThread` objects.

Columns are found by a mapping (``--map comment_id=ID_Post,...``) or, for keys the mapping
does not name, by auto-detection of common spellings (``COMMENT_CANDIDATES`` below).  Canonical
keys:

========== =====================================================================
article_id which article the comment belongs to (absent: the file is one article)
comment_id required
parent_id  required; empty/null = top level
author     display name or user id
created_at timestamp; parsed to UTC (formats in ``_NAIVE_FORMATS``/``_ZONED_FORMATS``)
text       ``text=A+B`` joins the non-empty values of several columns with a blank line
title      a per-comment headline; it is put in front of the text (RAW_COMMENTS has no title)
kind       comment / deleted / removed / more
deleted    a status column: deleted/removed/true/1/yes mark placeholders (OMP ``Status``)
url        permalink of the comment
========== =====================================================================

Keys prefixed ``article.`` map the optional articles table (``options.articles_table``):
``article_id, title, url, site, author, published_at, body, n_announced``.

Example:
    >>> from analyzer.ingest.base import ReadOptions, Source
    >>> out = read(Source(Path("posts.csv")), ReadOptions(mapping={"text": "Headline+Body"}))
    ... # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from analyzer.core import schemas
from analyzer.core.errors import FormatError, MappingError, UnreadableInputError
from analyzer.core.records import ParseIssue
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source
from analyzer.ingest.parquet_guard import check_parquet
from analyzer.ingest.reddit import json_text

FORMAT = "table"

# ---------------------------------------------------------------------------------------
# Data section: spellings, formats, value lists.
# ---------------------------------------------------------------------------------------

CSV_SUFFIXES = frozenset({".csv", ".tsv", ".tab", ".txt"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})

# Candidate column spellings per canonical key, compared after lower-casing and removing
# everything but letters and digits ("commentId", "comment_id" and "Comment ID" are the
# same key).  Earlier entries win.  Motivation per group:
#   generic exports (fixtures/en_jsonl: id, parent, post, user, timestamp, body);
#   One Million Posts / Der Standard (fixtures/de_csv_omp_like, shared OMP CSV: ID_Post,
#   ID_Parent_Post, ID_Article, ID_User, CreatedAt, Headline, Body, Status);
#   WordPress wp_comments table dumps (comment_ID, comment_parent, comment_post_ID,
#   comment_author, comment_date_gmt, comment_content);
#   Reddit Pushshift dumps (id, parent_id, link_id, author, created_utc, body).
COMMENT_CANDIDATES: dict[str, tuple[str, ...]] = {
    "comment_id": ("commentid", "id", "idpost", "replyid"),
    "parent_id": (
        "parentid", "parent", "replyto", "inreplyto", "idparentpost", "commentparent",
        "parentcommentid",
    ),
    "article_id": (
        "articleid", "article", "idarticle", "commentpostid", "post", "postid", "threadid",
        "linkid", "storyid", "submissionid",
    ),
    "author": ("author", "user", "userid", "username", "iduser", "commentauthor", "authorname"),
    "created_at": (
        "createdat", "created", "createdutc", "timestamp", "date", "commentdategmt",
        "commentdate", "datetime", "time",
    ),
    "text": ("text", "body", "content", "message", "commentcontent", "comment"),
    "title": ("title", "headline", "subject"),
    "kind": ("kind",),
    "deleted": ("deleted", "isdeleted", "status"),
    "url": ("url", "permalink", "link"),
    # Reader votes: One Million Posts (PositiveVotes, NegativeVotes), Reddit dumps (ups, score),
    # exports with likes; whole numbers, anything else counts as unknown (reported).
    "votes_up": ("votesup", "positivevotes", "upvotes", "ups", "likes", "likecount", "score"),
    "votes_down": ("votesdown", "negativevotes", "downvotes", "downs", "dislikes"),
}

ARTICLE_CANDIDATES: dict[str, tuple[str, ...]] = {
    "article_id": ("articleid", "id", "article", "idarticle", "postid", "post", "threadid", "storyid"),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "permalink"),
    "site": ("site", "domain", "source", "publisher"),
    "author": ("author", "byline", "authorname"),
    "published_at": ("publishedat", "published", "publicationdate", "date", "createdat", "created"),
    "body": ("body", "text", "content", "articletext"),
    "n_announced": ("nannounced", "numcomments", "commentcount", "ncomments", "comments"),
}

# How the required columns are usually spelled, for error messages.
_SPELLING_HINTS = {"comment_id": "id, comment_id, commentId", "parent_id": "parent, parent_id, reply_to"}

COMMENT_KEYS = tuple(COMMENT_CANDIDATES)
ARTICLE_KEYS = tuple(ARTICLE_CANDIDATES)
_ARTICLE_PREFIX = "article."

# Values of a ``deleted`` / status column that mark a placeholder.  OMP: Status "deleted"
# (fixtures/de_csv_omp_like); boolean columns exported as true/1/yes.
_DELETED_VALUES = ("deleted", "true", "1", "yes", "y", "t")
_REMOVED_VALUES = ("removed", "moderated", "rejected")
# Reddit-style placeholder bodies in dumps (Pushshift): "[deleted]" / "[removed]".
_PLACEHOLDER_TEXT = {"[deleted]": "deleted", "[removed]": "removed"}
_KINDS = ("comment", "deleted", "removed", "more")

# Timestamp formats: the one that parses most of a sample is used for the column; values it
# misses are normalised ("T" -> " ", trailing "Z"/" UTC" -> "+00:00") and tried with all.
# OMP: "2015-06-01 08:58:32.363" (fixtures/de_csv_omp_like); ISO 8601 with or without zone
# (fixtures/en_jsonl); German exports "01.06.2015 08:58".
_ZONED_FORMATS = ("%Y-%m-%d %H:%M:%S%.f%z", "%Y-%m-%d %H:%M%z", "%Y-%m-%dT%H:%M:%S%.f%z")
_NAIVE_FORMATS = (
    "%Y-%m-%d %H:%M:%S%.f",
    # ISO forms as written, so a column of them needs no normalising pass ("Z" = UTC).
    "%Y-%m-%dT%H:%M:%S%.fZ",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
)
# Unix epoch numbers: seconds, or milliseconds when larger than this (year 5138 in seconds).
_EPOCH_MS_THRESHOLD = 1e11
_ALL_FORMATS = (*_NAIVE_FORMATS, *_ZONED_FORMATS, "epoch")
_NUMERIC = r"^\s*-?\d+(?:\.\d+)?\s*$"

# Leading bytes that make polars read CSV bytes as compressed (gzip, zstd, the zlib headers).
_COMPRESSION_MAGIC = (b"\x1f\x8b", b"\x28\xb5\x2f\xfd", b"x\x01", b"x^", b"x\x9c", b"x\xda")
_UTF8_BOM = b"\xef\xbb\xbf"

# Internal helper columns; the double underscore keeps them clear of user columns.
_LINE = "__analyzer_line"
_ROW = "__analyzer_row"

RAW_COMMENTS_OUT = pl.Schema({k: v for k, v in schemas.RAW_COMMENTS.items() if k != "src_order"})


# ---------------------------------------------------------------------------------------
# Sniffing
# ---------------------------------------------------------------------------------------


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _header_fields(head: str) -> list[str]:
    first = head.split("\n", 1)[0]
    delimiter = _sniff_delimiter(first)
    return [f.strip().strip('"') for f in first.split(delimiter)]


def looks_like(path: Path, head: str) -> bool:
    """True for Parquet files and for CSV/JSONL whose header/first object has id and parent keys.

    ``.csv``/``.tsv``/``.jsonl``/``.ndjson`` are claimed by extension alone (a table without
    the needed columns then gets a MappingError that explains what is missing); ``.txt``
    needs a delimited header with an id and a parent column, because page captures are
    ``.txt`` too.
    """
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES or suffix in JSONL_SUFFIXES or suffix in {".csv", ".tsv", ".tab"}:
        return True
    if suffix == ".txt":
        keys = {_norm(f) for f in _header_fields(head)}
        return bool(keys & set(COMMENT_CANDIDATES["comment_id"])) and bool(
            keys & set(COMMENT_CANDIDATES["parent_id"])
        )
    return False


def _sniff_delimiter(header_line: str) -> str:
    """The most frequent of comma, semicolon and tab in the header line (comma on a tie)."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


# ---------------------------------------------------------------------------------------
# Loading: every loader returns a frame plus a source-line (or row) column.
# ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Loaded:
    frame: pl.DataFrame  # user columns + _LINE (1-based line, or null) + _ROW (0-based)
    n_rows_in: int
    issues: list[ParseIssue]


def _table_kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in CSV_SUFFIXES:
        return "csv"
    raise FormatError(
        path,
        "a table file ending in .csv, .tsv, .txt, .jsonl, .ndjson or .parquet",
        found=f"suffix {suffix or '(none)'}",
    )


def _load(source: Source) -> _Loaded:
    kind = _table_kind(source.path)
    if kind == "parquet":
        return _load_parquet(source)
    if kind == "jsonl":
        return _load_jsonl(source)
    return _load_csv(source)


def _load_parquet(source: Source) -> _Loaded:
    path = source.path
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableInputError(path, "a readable file", found=exc.strerror) from None
    if size > source.max_bytes:
        raise UnreadableInputError(
            path, f"a file of at most {source.max_bytes} bytes", found=f"{size} bytes"
        )
    # polars can abort the whole process on a corrupt page (no exception to catch): a child
    # process decodes the file first (fuzz finding, regressions/tables_parquet/huge_alloc_abort).
    check_parquet(path)
    try:
        frame = pl.read_parquet(path)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise FormatError(path, "a Parquet file", found=_first_line(exc)) from None
    except pl.exceptions.PanicException as exc:
        # Corrupt page offsets make polars panic instead of raising (fuzz finding,
        # tests/fuzz/regressions/tables_parquet/page_offset_panic.parquet).
        raise FormatError(path, "a valid Parquet file", found=f"corrupt data ({_first_line(exc)})") from None
    frame, issues = _binary_as_text(frame, path)
    # Parquet has no lines: source_line stays null; the row number names a row in issues.
    frame = frame.with_columns(
        pl.lit(None, dtype=pl.Int64).alias(_LINE),
        pl.int_range(pl.len(), dtype=pl.Int64).alias(_ROW),
    )
    return _Loaded(frame, frame.height, issues)


def _binary_as_text(frame: pl.DataFrame, path: Path) -> tuple[pl.DataFrame, list[ParseIssue]]:
    """Binary columns (text written as bytes) decoded as UTF-8, bad bytes as U+FFFD, reported.

    polars refuses to cast invalid UTF-8 to text (fuzz finding,
    regressions/tables_parquet/binary_invalid_utf8.parquet), and a non-strict cast would
    silently make such cells null.
    """
    issues: list[ParseIssue] = []
    for name, dtype in frame.schema.items():
        if dtype != pl.Binary:
            continue
        decoded: list[str | None] = []
        bad: list[int] = []
        for i, cell in enumerate(frame.get_column(name).to_list()):
            if cell is None:
                decoded.append(None)
                continue
            try:
                decoded.append(cell.decode("utf-8"))
            except UnicodeDecodeError:
                decoded.append(cell.decode("utf-8", errors="replace"))
                bad.append(i)
        if bad:
            issues.append(ParseIssue(
                "invalid-utf8",
                f"column {name!r}: {len(bad)} cells are not valid UTF-8; bad bytes were replaced by U+FFFD "
                f"(first at row {bad[0] + 1})",
                "warning", str(path), None,
            ))
        frame = frame.with_columns(pl.Series(name, decoded, dtype=pl.String))
    return frame, issues


def _load_jsonl(source: Source) -> _Loaded:
    """One JSON object per line; an unparsable line is reported and skipped, never silent."""
    text = json_text(source)  # keeps U+2028/U+2029 inside JSON strings intact
    issues = list(source.decode_issues)
    lines = pl.Series("l", text.split("\n"), dtype=pl.String)
    numbered = pl.DataFrame({"l": lines}).with_row_index(_LINE, offset=1).filter(
        pl.col("l").str.strip_chars() != ""
    )
    n_rows_in = numbered.height
    if not n_rows_in:
        raise FormatError(source.path, "at least one JSON object line", found="an empty file")
    line_numbers = numbered[_LINE].cast(pl.Int64)
    frame: pl.DataFrame | None = None
    try:
        # polars skips blank lines itself; the height check below guards the alignment.
        frame = pl.read_ndjson(io.BytesIO(text.encode("utf-8")), infer_schema_length=None)
        if frame.height != n_rows_in:
            frame = None
    except pl.exceptions.PolarsError:
        frame = None
    if frame is None:
        # Slow path, only for files with a bad line: find and report each bad line.
        frame, line_numbers, bad, repaired = _jsonl_line_by_line(numbered)
        if repaired:
            issues.append(ParseIssue(
                "lone-surrogate-replaced",
                f"{len(repaired)} line(s) hold \\u escapes of unpaired UTF-16 surrogates (first: line "
                f"{repaired[0]}); each was replaced by U+FFFD",
                "warning", str(source.path), repaired[0], None,
            ))
        # One issue per skipped line: the run's accounting counts them as rejected rows.
        for line_no, reason in bad:
            issues.append(ParseIssue(
                "invalid-json-line", f"line {line_no} is not a JSON object ({reason}); row skipped",
                "error", str(source.path), line_no, None,  # its article is unknown
            ))
    frame = frame.with_columns(
        line_numbers.alias(_LINE), pl.int_range(pl.len(), dtype=pl.Int64).alias(_ROW)
    )
    return _Loaded(frame, n_rows_in, issues)


def _jsonl_line_by_line(
    numbered: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.Series, list[tuple[int, str]], list[int]]:
    """Parse each line on its own; scalar values become strings so mixed types cannot clash.

    Returns the frame, its line numbers, the skipped lines with a reason, and the lines
    where unpaired surrogates were replaced.
    """
    rows: list[dict[str, str | None]] = []
    good_lines: list[int] = []
    bad: list[tuple[int, str]] = []
    repaired: list[int] = []
    for line_no, raw in zip(numbered[_LINE].to_list(), numbered["l"].to_list(), strict=True):
        try:
            obj = json.loads(raw)
        except (json.JSONDecodeError, RecursionError) as exc:
            bad.append((line_no, getattr(exc, "msg", "too deeply nested")))
            continue
        if not isinstance(obj, dict):
            bad.append((line_no, f"a JSON {type(obj).__name__}"))
            continue
        row = {k: _scalar_to_string(v) for k, v in obj.items()}
        # JSON may escape a lone surrogate ("\\ud800"): legal JSON, but no UTF-8 string, and
        # polars refuses it (fuzz finding, tests/fuzz/regressions/tables_jsonl).
        if any(_has_surrogate(k) or (v is not None and _has_surrogate(v)) for k, v in row.items()):
            row = {_no_surrogates(k): None if v is None else _no_surrogates(v) for k, v in row.items()}
            repaired.append(line_no)
        rows.append(row)
        good_lines.append(line_no)
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    frame = pl.DataFrame(
        rows, schema={c: pl.String for c in columns}, orient="row"
    ) if rows else pl.DataFrame()
    return frame, pl.Series(_LINE, good_lines, dtype=pl.Int64), bad, repaired


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def _no_surrogates(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def _scalar_to_string(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, str)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _load_csv(source: Source) -> _Loaded:
    text = source.text
    issues = list(source.decode_issues)
    header_line = text.split("\n", 1)[0]
    delimiter = "\t" if source.path.suffix.lower() in {".tsv", ".tab"} else _sniff_delimiter(header_line)
    record_lines = _csv_record_lines(text, delimiter, source.path)
    data = text.encode("utf-8")
    if data.startswith(_COMPRESSION_MAGIC):
        # polars decompresses bytes that start like gzip/zlib/zstd: a header "x^2,id,parent"
        # came back as garbage columns, "x^\x95" as an OSError (fuzz finding,
        # regressions/tables_csv/zlib_magic_header.csv).  A BOM, which polars strips, hides it.
        data = _UTF8_BOM + data
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            separator=delimiter,
            infer_schema=False,  # every column as text: ids stay exactly as written
            truncate_ragged_lines=False,
            raise_if_empty=True,
        )
    except pl.exceptions.NoDataError:
        raise FormatError(source.path, "a CSV header row", found="an empty file") from None
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise FormatError(source.path, "a well-formed CSV table", found=_first_line(exc)) from None
    # Polars keeps blank lines as all-null rows; csv.reader saw them too (record_lines
    # holds None for them), so both line up row for row before the blanks go.
    if frame.height == len(record_lines):
        frame = frame.with_columns(pl.Series(_LINE, record_lines, dtype=pl.Int64))
        frame = frame.filter(pl.col(_LINE).is_not_null())
    else:
        # The two parsers disagree on the record count (should not happen for valid
        # CSV): fall back to the row number + 1 (the header is line 1) and say so.
        frame = frame.filter(~pl.all_horizontal(pl.all().is_null()))
        frame = frame.with_columns((pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias(_LINE))
        issues.append(ParseIssue(
            "approximate-source-lines",
            "source_line is the row number + 1, not the physical line, for this CSV",
            "info", str(source.path), None, source.article_id,
        ))
    frame = frame.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(_ROW))
    return _Loaded(frame, frame.height, issues)


def _csv_record_lines(text: str, delimiter: str, path: Path) -> list[int | None]:
    """The 1-based line where each data record starts (None for blank lines).

    Also the ragged-row and quoting check: polars silently pads short rows with nulls, so
    the field count of every record is checked here, with the exact line in the error.
    csv.reader is C code; this is the only per-row pass and it holds one int per row.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    starts: list[int | None] = []
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError(path, "a CSV header row", found="an empty file") from None
    except csv.Error as exc:
        raise FormatError(path, "a well-formed CSV header", line=1, found=str(exc)) from None
    n_fields = len(header)
    previous_end = reader.line_num
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not record or (len(record) == 1 and not record[0].strip()):
                starts.append(None)
                continue
            if len(record) != n_fields:
                raise FormatError(
                    path, f"{n_fields} fields per row like the header", line=start,
                    found=f"{len(record)} fields",
                )
            starts.append(start)
    except csv.Error as exc:
        raise FormatError(
            path, "a well-formed CSV row (balanced quotes)", line=previous_end + 1, found=str(exc)
        ) from None
    # A trailing newline does not make a record in either parser; a final "blank" record
    # from trailing whitespace lines is harmless because both see it.
    return starts


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().split("\n", 1)[0] or type(exc).__name__)[:200]


# ---------------------------------------------------------------------------------------
# Column resolution
# ---------------------------------------------------------------------------------------


def resolve_columns(
    columns: list[str],
    mapping: dict[str, str],
    candidates: dict[str, tuple[str, ...]],
    path: Path,
    *,
    what: str,
) -> dict[str, list[str]]:
    """Canonical key -> the table column(s) that feed it (several only for ``text=A+B``).

    Mapped keys come first (``text=A+B`` joins columns; a column literally named ``A+B``
    wins over the join); every other key takes the first of its candidate spellings found
    among the columns (compared lower-cased, letters and digits only) that no other key
    uses yet.  Shared by the table reader and the chunked runner, so both read the same
    columns.

    Args:
        columns: the table's column names (the reader's helper columns are ignored).
        mapping: canonical key -> column spec, as given to ``--map`` (without ``article.``).
        candidates: :data:`COMMENT_CANDIDATES` or :data:`ARTICLE_CANDIDATES`.
        path: the table file, for error messages.
        what: "comments" or "articles", for error messages.

    Returns:
        Canonical key -> list of column names; keys without a column are absent.

    Raises:
        MappingError: a mapping key is unknown or names a column the table lacks.

    Example:
        >>> resolve_columns(["ID_Post", "ID_Parent_Post", "Body"], {}, COMMENT_CANDIDATES,
        ...                 Path("t.csv"), what="comments")
        {'comment_id': ['ID_Post'], 'parent_id': ['ID_Parent_Post'], 'text': ['Body']}
    """
    available = [c for c in columns if c not in (_LINE, _ROW)]
    resolved: dict[str, list[str]] = {}
    for key, spec in mapping.items():
        if key not in candidates:
            raise MappingError(
                path, f"a {what} mapping key among {', '.join(candidates)}", found=repr(key)
            )
        # A column literally named "A+B" wins over the join of A and B.
        parts = [spec] if spec in available else [p.strip() for p in spec.split("+")]
        for part in parts:
            if part not in available:
                raise MappingError(
                    path,
                    f"column {part!r} (mapped to {key}) in the {what} table; its columns are "
                    + ", ".join(available),
                    found="no such column",
                )
        resolved[key] = parts
    by_norm: dict[str, str] = {}
    for col in available:
        by_norm.setdefault(_norm(col), col)
    used = {c for parts in resolved.values() for c in parts}
    for key, spellings in candidates.items():
        if key in resolved:
            continue
        for spelling in spellings:
            found = by_norm.get(spelling)
            if found is not None and found not in used:
                resolved[key] = [found]
                used.add(found)
                break
    return resolved


def split_mapping(mapping: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Split a ``--map`` mapping into comment keys and ``article.*`` keys (prefix removed).

    Example:
        >>> split_mapping({"text": "Body", "article.title": "Headline"})
        ({'text': 'Body'}, {'title': 'Headline'})
    """
    comments = {k: v for k, v in mapping.items() if not k.startswith(_ARTICLE_PREFIX)}
    articles = {k[len(_ARTICLE_PREFIX):]: v for k, v in mapping.items() if k.startswith(_ARTICLE_PREFIX)}
    return comments, articles


# ---------------------------------------------------------------------------------------
# Column expressions
# ---------------------------------------------------------------------------------------


def _id_expr(frame: pl.DataFrame, col: str, path: Path) -> pl.Expr:
    """Ids as exact strings: integers in decimal, integral floats (NaN-padded ints) without ".0"."""
    dtype = frame.schema[col]
    expr = pl.col(col)
    if dtype == pl.String:
        out = expr
    elif dtype.is_integer():
        out = expr.cast(pl.String)
    elif dtype.is_float():
        values = frame[col].drop_nulls().drop_nans()
        integral = values.len() == 0 or bool((values == values.floor()).all())
        if integral:
            # Values beyond Int64 do not cast (fuzz finding, tests/fuzz/regressions/tables_jsonl):
            # those keep their float spelling, the others lose the ".0".
            whole = expr.fill_nan(None)
            out = pl.when(whole.abs() < 2.0**63).then(
                whole.cast(pl.Int64, strict=False).cast(pl.String)).otherwise(whole.cast(pl.String))
        else:
            out = expr.cast(pl.String)
    elif dtype.is_nested() or dtype == pl.Object:
        raise MappingError(path, f"scalar ids in column {col!r}", found=f"values of type {dtype}")
    else:
        out = expr.cast(pl.String)
    return pl.when(out.str.strip_chars() != "").then(out)


def _string_expr(frame: pl.DataFrame, col: str) -> pl.Expr:
    dtype = frame.schema[col]
    if dtype == pl.String:
        return pl.col(col)
    if dtype.is_nested():
        return pl.lit(_nested_to_json(frame[col]))
    return pl.col(col).cast(pl.String)


def _nested_to_json(series: pl.Series) -> pl.Series:
    """Nested cells (lists, structs) as JSON strings.

    polars cannot cast lists to strings, not even non-strictly (fuzz finding,
    tests/fuzz/regressions/tables_jsonl/list_cell*.jsonl).
    """
    encoded = [None if v is None else json.dumps(v, ensure_ascii=False, default=str) for v in series.to_list()]
    return pl.Series(series.name, encoded, dtype=pl.String)


def _text_expr(frame: pl.DataFrame, cols: list[str]) -> pl.Expr:
    parts = []
    for col in cols:
        value = _string_expr(frame, col)
        if frame.schema[col] != pl.String or bool(frame[col].str.contains("\r", literal=True).any()):
            # CSV text is already normalised by Source; Parquet/JSONL cells may hold CRLF.
            value = value.str.replace_all("\r\n", "\n", literal=True)
        parts.append(pl.when(value.str.strip_chars() != "").then(value))
    return pl.concat_str(parts, separator="\n\n", ignore_nulls=True)


def _timestamp(frame: pl.DataFrame, col: str) -> pl.Series:
    """Parse a timestamp column to Datetime(us, UTC); unparsable values become null."""
    series = frame[col]
    dtype = series.dtype
    if isinstance(dtype, (pl.Datetime, pl.Date)):
        series = _years_1_to_9999(series)
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is None:
            return series.dt.cast_time_unit("us").dt.replace_time_zone("UTC")
        return series.dt.cast_time_unit("us").dt.convert_time_zone("UTC")
    if dtype == pl.Date:
        return series.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    if dtype.is_numeric():
        return _from_epoch(series.cast(pl.Float64))
    text = (_nested_to_json(series) if dtype.is_nested() else series.cast(pl.String)).str.strip_chars()
    # Fast path: the format that parses most of a sample is tried on the whole column
    # first; the usual column has one format, so this is a single vectorised pass.
    # ISO spellings ("T", "Z") are normalised first only if the sample needs it.
    sample = text.drop_nulls().head(200)
    sample_iso = _normalise_iso(sample)
    candidates = [(False, fmt) for fmt in _ALL_FORMATS] + [(True, fmt) for fmt in _ALL_FORMATS]
    iso, best = max(
        candidates,
        key=lambda c: int(_parse_text(sample_iso if c[0] else sample, c[1]).is_not_null().sum()),
    )
    result = _parse_text(_normalise_iso(text) if iso else text, best)
    pending = text.is_not_null() & result.is_null()
    if bool(pending.any()):
        # Slow path only for the rows the fast path missed: every format on that subset.
        idx = pending.arg_true()
        rest = _normalise_iso(text.gather(idx))
        parsed = pl.Series(col, [None] * len(rest), dtype=schemas.UTC_TIME)
        for fmt in _ALL_FORMATS:
            parsed = parsed.zip_with(parsed.is_not_null(), _parse_text(rest, fmt))
            if not parsed.null_count():
                break
        result = result.scatter(idx, parsed)
        result = _natural_dates(text, result)
    return result.alias(col)


# Leftover strings no strptime format read go through the multilingual date parser (Twitter
# API dates, "19. Juni 2019 / 6:16", "March 11th, 2015 at 02:57"): all distinct values
# through its fast paths (about 20,000/s), then at most this many through dateparser (about
# 15 ms each), so a column of junk costs seconds, not minutes.
_MAX_DATEPARSER = 2_000


def _natural_dates(text: pl.Series, result: pl.Series) -> pl.Series:
    """Rows no strptime format read, through :mod:`analyzer.ingest.dates`."""
    pending = text.is_not_null() & result.is_null()
    if not bool(pending.any()):
        return result
    from analyzer.ingest.dates import parse_date, parse_date_fast

    idx = pending.arg_true()
    rest = text.gather(idx)
    lookup = {value: parse_date_fast(value) for value in rest.unique().to_list() if isinstance(value, str)}
    slow = [value for value, parsed in lookup.items() if parsed is None]
    if len(slow) <= _MAX_DATEPARSER:
        lookup.update({value: parse_date(value) for value in slow})
    parsed = pl.Series(
        result.name, [lookup.get(value) for value in rest.to_list()], dtype=pl.Datetime("us", "UTC")
    ).cast(result.dtype)
    return result.scatter(idx, parsed)


# Bounds of years 1..9999 in each unit.  A typed Parquet column can hold values far outside
# them; polars panics when it converts or prints such a value (fuzz finding,
# regressions/tables_parquet/out_of_range_datetime.parquet), and no comment was written then.
_I64_MAX = 2**63 - 1
_BOUNDS = {
    "ns": (-_I64_MAX, _I64_MAX),  # an i64 of nanoseconds spans only the years 1677..2262
    "us": (-62_135_596_800_000_000, 253_402_300_799_999_999),
    "ms": (-62_135_596_800_000, 253_402_300_799_999),
    "days": (-719_162, 2_932_896),
}


def _years_1_to_9999(series: pl.Series) -> pl.Series:
    """Datetime or Date values outside years 1..9999 as null (reported as unparsed)."""
    dtype = series.dtype
    low, high = _BOUNDS[dtype.time_unit if isinstance(dtype, pl.Datetime) else "days"]
    outside = ~series.to_physical().is_between(low, high).fill_null(True)
    if not bool(outside.any()):
        return series
    return series.scatter(outside.arg_true(), None)


def _normalise_iso(text: pl.Series) -> pl.Series:
    return (
        text.str.replace(r"^(\d{4}-\d{2}-\d{2})[Tt]", "${1} ")
        .str.replace(r"[Zz]$", "+00:00")
        .str.replace(r"\s?UTC$", "+00:00")
    )


def _parse_text(text: pl.Series, fmt: str) -> pl.Series:
    """Parse with one format (``"epoch"`` = unix seconds or milliseconds) to Datetime(us, UTC)."""
    if fmt == "epoch":
        numeric = text.str.contains(_NUMERIC)
        epoch = _from_epoch(text.cast(pl.Float64, strict=False))
        return epoch.zip_with(numeric.fill_null(False), pl.Series([None] * len(text), dtype=schemas.UTC_TIME))
    parsed = text.str.to_datetime(fmt, strict=False, time_unit="us")
    if fmt in _ZONED_FORMATS:  # with %z polars returns UTC-aware values
        return parsed.dt.convert_time_zone("UTC")
    return parsed.dt.replace_time_zone("UTC")  # naive values are read as UTC


def _from_epoch(seconds_or_ms: pl.Series) -> pl.Series:
    value = pl.col("v")
    micros = pl.when(value.abs() > _EPOCH_MS_THRESHOLD).then(value * 1_000).otherwise(value * 1_000_000)
    return (
        pl.DataFrame({"v": seconds_or_ms})
        # strict=False: epochs beyond Int64 microseconds (and NaN, inf) become null, reported as
        # unparsed timestamps, instead of raising (fuzz finding, regressions/tables_jsonl).
        .select(micros.round(0).cast(pl.Int64, strict=False).cast(pl.Datetime("us"))
                .dt.replace_time_zone("UTC"))
        .to_series()
    )


# ---------------------------------------------------------------------------------------
# The reader
# ---------------------------------------------------------------------------------------


def read(source: Source, options: ReadOptions) -> ReaderOutput:
    """Read a comment table into a RAW_COMMENTS frame (minus ``src_order``) and a RAW_ARTICLES frame.

    Args:
        source: the table file (.csv/.tsv/.txt, .jsonl/.ndjson or .parquet).
        options: ``mapping`` (canonical key -> column, ``article.*`` keys for the articles
            table) and ``articles_table``.

    Returns:
        ReaderOutput with ``comments``, ``articles``, ``issues`` and ``n_comments_in`` (data
        rows read, invalid JSONL lines included).

    Raises:
        MappingError: a mapped column is missing, or no id / parent column can be found.
        FormatError: the file is not a readable table of its kind.
    """
    comment_map, article_map = split_mapping(options.mapping)
    loaded = _load(source)
    frame = loaded.frame
    issues = loaded.issues
    path = source.path
    cols = resolve_columns(frame.columns, comment_map, COMMENT_CANDIDATES, path, what="comments")
    for key in ("comment_id", "parent_id"):
        if key not in cols:
            found = ", ".join(c for c in frame.columns if c not in (_LINE, _ROW)) or "none"
            raise MappingError(
                path,
                f"a {key} column (e.g. {_SPELLING_HINTS[key]}); "
                f"name it with --map {key}=COLUMN",
                found=f"columns {found}",
            )
    comments = _build_comments(frame, cols, source, issues)
    articles = _build_articles(comments, source, options, article_map, issues)
    return ReaderOutput(
        issues=issues, n_comments_in=loaded.n_rows_in, comments=comments, articles=articles
    )


def _build_comments(
    frame: pl.DataFrame, cols: dict[str, list[str]], source: Source, issues: list[ParseIssue]
) -> pl.DataFrame:
    path = str(source.path)
    one = {k: v[0] for k, v in cols.items()}
    exprs: list[pl.Expr] = [
        _id_expr(frame, one["comment_id"], source.path).alias("comment_id"),
        _id_expr(frame, one["parent_id"], source.path).alias("parent_id"),
        pl.col(_LINE).alias("source_line"),
        pl.col(_ROW),
    ]
    if "article_id" in one:
        exprs.append(_id_expr(frame, one["article_id"], source.path).alias("article_id"))
    else:
        exprs.append(pl.lit(source.article_id, dtype=pl.String).alias("article_id"))
    for key in ("author", "url"):
        if key in one:
            value = _string_expr(frame, one[key])
            exprs.append(pl.when(value.str.strip_chars() != "").then(value).alias(key))
    text_cols = cols.get("title", []) + cols.get("text", [])
    if "text" not in cols:
        issues.append(ParseIssue(
            "no-text-column", "no text column found (name it with --map text=COLUMN); texts are empty",
            "warning", path, None, None,
        ))
    exprs.append(_text_expr(frame, text_cols).fill_null("").alias("text") if text_cols
                 else pl.lit("", dtype=pl.String).alias("text"))
    exprs.append(_kind_expr(frame, cols))
    for key in ("votes_up", "votes_down"):
        if key in one:
            exprs.append(_count_expr(frame, one[key]).alias(key))
    out = frame.select(exprs)
    _report_bad_votes(frame, one, out, source, issues)
    if "created_at" in one:
        created = _timestamp(frame, one["created_at"]).alias("created_at")
        out = out.with_columns(created)
        _report_unparsed(frame[one["created_at"]], created, out, source, issues)
    # A placeholder body ("[deleted]") is not the commenter's text: keep the kind, drop the text.
    if bool(out["kind"].is_in(["deleted", "removed"]).any()):
        out = out.with_columns(
            pl.when(pl.col("kind").is_in(["deleted", "removed"])
                    & pl.col("text").str.strip_chars().is_in(list(_PLACEHOLDER_TEXT)))
            .then(pl.lit("")).otherwise(pl.col("text")).alias("text")
        )
    out = _normalise_ids(out)
    out = _report_missing_ids(out, source, issues)
    _report_unknown_kinds(frame, cols, out, source, issues)
    out = out.with_columns(
        pl.lit(path, dtype=pl.String).alias("source_path"),
        pl.lit(1.0).alias("edge_confidence"),
    )
    return schemas.check(schemas.conform(out, RAW_COMMENTS_OUT), RAW_COMMENTS_OUT, "table comments")


def _count_expr(frame: pl.DataFrame, col: str) -> pl.Expr:
    """A vote column as whole numbers: integers as they are, numeric text parsed, the rest null."""
    dtype = frame.schema[col]
    if dtype.is_integer():
        return pl.col(col).cast(pl.Int64)
    if dtype.is_float():
        return pl.when(pl.col(col) == pl.col(col).round(0)).then(pl.col(col)).cast(pl.Int64, strict=False)
    text = _string_expr(frame, col).str.strip_chars()
    return pl.when(text.str.contains(r"^[+-]?\d{1,18}$")).then(text).cast(pl.Int64, strict=False)


def _report_bad_votes(frame: pl.DataFrame, one: dict[str, str], out: pl.DataFrame, source: Source,
                      issues: list[ParseIssue]) -> None:
    """One issue per vote column whose cells were not whole numbers (kept as unknown)."""
    for key in ("votes_up", "votes_down"):
        if key not in one:
            continue
        given = _string_expr(frame, one[key]).str.strip_chars()
        bad = frame.select((given.is_not_null() & (given != "")).alias("g"))["g"] & out[key].is_null()
        n_bad = int(bad.sum())
        if n_bad:
            first = int(frame.filter(bad)[_LINE][0]) if frame[_LINE].null_count() < frame.height else None
            issues.append(ParseIssue(
                "bad-votes", f"{n_bad} value(s) of column {one[key]!r} are not whole numbers; kept as unknown votes",
                "warning", str(source.path), first, None, None))


def _kind_expr(frame: pl.DataFrame, cols: dict[str, list[str]]) -> pl.Expr:
    kind = pl.lit("comment", dtype=pl.String)
    if "kind" in cols:
        raw = _string_expr(frame, cols["kind"][0]).str.strip_chars().str.to_lowercase()
        kind = pl.when(raw.is_in(_KINDS)).then(raw).otherwise(kind)
    if "text" in cols and len(cols["text"]) == 1:
        body = _string_expr(frame, cols["text"][0]).str.strip_chars()
        for placeholder, placeholder_kind in _PLACEHOLDER_TEXT.items():
            kind = pl.when((kind == "comment") & (body == placeholder)).then(
                pl.lit(placeholder_kind)).otherwise(kind)
    if "deleted" in cols:
        col = cols["deleted"][0]
        if frame.schema[col] == pl.Boolean:
            kind = pl.when(pl.col(col)).then(pl.lit("deleted")).otherwise(kind)
        else:
            flag = _string_expr(frame, col).str.strip_chars().str.to_lowercase()
            kind = (
                pl.when(flag.is_in(_REMOVED_VALUES)).then(pl.lit("removed"))
                .when(flag.is_in(_DELETED_VALUES)).then(pl.lit("deleted"))
                .otherwise(kind)
            )
    return kind.alias("kind")


def _normalise_ids(out: pl.DataFrame) -> pl.DataFrame:
    """Reddit dump prefixes and parents that name the article instead of a comment.

    Pushshift dumps give ``link_id = "t3_x"`` and ``parent_id = "t1_y"`` or ``"t3_x"``; when
    every article id carries the ``t3_`` prefix all three id columns are stripped.  A
    parent that names no comment but equals the row's article id (or is "0", WordPress's
    "no parent") means top level.
    """
    articles = out["article_id"].drop_nulls()
    if articles.len() and bool(articles.str.starts_with("t3_").all()):
        out = out.with_columns(
            pl.col("article_id").str.strip_prefix("t3_"),
            pl.col("parent_id").str.replace(r"^t[13]_", ""),
            pl.col("comment_id").str.replace(r"^t1_", ""),
        )
    names_article = (pl.col("parent_id") == pl.col("article_id")) | (pl.col("parent_id") == "0")
    candidates = out.select(names_article.fill_null(False).alias("m"))["m"]
    if not bool(candidates.any()):
        return out
    # Hash the few candidate parents, not the million comment ids.
    suspects = out.filter(candidates)["parent_id"].unique()
    real = out["comment_id"].filter(out["comment_id"].is_in(suspects.implode())).unique()
    return out.with_columns(
        pl.when(names_article & ~pl.col("parent_id").is_in(real.implode()))
        .then(None).otherwise(pl.col("parent_id")).alias("parent_id")
    )


def _first_where(out: pl.DataFrame, mask: pl.Series) -> tuple[int | None, int]:
    """(source line or row number of the first flagged row, row index)."""
    idx = int(mask.arg_true()[0])
    line = out["source_line"][idx]
    return (int(line) if line is not None else None), idx


def _report_unparsed(
    raw: pl.Series, parsed: pl.Series, out: pl.DataFrame, source: Source, issues: list[ParseIssue]
) -> None:
    if raw.dtype.is_nested():
        as_text = _nested_to_json(raw)
    elif raw.dtype.is_temporal():
        # Casting an out-of-range datetime to text panics in polars (fuzz finding,
        # regressions/tables_parquet/out_of_range_datetime): show the stored number instead.
        as_text = raw.to_physical().cast(pl.String)
    else:
        as_text = raw.cast(pl.String, strict=False)
    had_value = as_text.str.strip_chars().fill_null("") != ""
    bad = had_value & parsed.is_null()
    n_bad = int(bad.sum())
    if not n_bad:
        return
    line, idx = _first_where(out, bad)
    example = str(as_text[idx])[:60]
    where = f"line {line}" if line is not None else f"row {idx + 1}"
    issues.append(ParseIssue(
        "unparsed-timestamp",
        f"{n_bad} timestamps could not be parsed and are left empty; first at {where}: {example!r}",
        "warning", str(source.path), line, out["article_id"][idx], out["comment_id"][idx],
    ))


def _report_missing_ids(out: pl.DataFrame, source: Source, issues: list[ParseIssue]) -> pl.DataFrame:
    """Rows without a comment id keep a synthetic id ``_row<N>`` (1-based row) so none is lost."""
    missing = out["comment_id"].is_null()
    n_missing = int(missing.sum())
    if not n_missing:
        return out
    line, idx = _first_where(out, missing)
    issues.append(ParseIssue(
        "missing-comment-id",
        f"{n_missing} rows have no comment id; they get ids '_row<N>' (N = row number); first is row {idx + 1}",
        "warning", str(source.path), line, out["article_id"][idx], None,
    ))
    return out.with_columns(
        pl.when(pl.col("comment_id").is_null())
        .then(pl.format("_row{}", pl.col(_ROW) + 1))
        .otherwise(pl.col("comment_id"))
        .alias("comment_id")
    )


def _report_unknown_kinds(
    frame: pl.DataFrame, cols: dict[str, list[str]], out: pl.DataFrame, source: Source,
    issues: list[ParseIssue],
) -> None:
    if "kind" not in cols:
        return
    raw = _string_expr(frame, cols["kind"][0]).str.strip_chars().str.to_lowercase()
    unknown = frame.select((raw.is_not_null() & ~raw.is_in(_KINDS)).alias("u"))["u"]
    n_unknown = int(unknown.sum())
    if not n_unknown:
        return
    line, idx = _first_where(out, unknown)
    issues.append(ParseIssue(
        "unknown-kind",
        f"{n_unknown} rows have a kind other than {', '.join(_KINDS)}; read as comment",
        "warning", str(source.path), line, out["article_id"][idx], out["comment_id"][idx],
    ))


def _build_articles(
    comments: pl.DataFrame,
    source: Source,
    options: ReadOptions,
    article_map: dict[str, str],
    issues: list[ParseIssue],
) -> pl.DataFrame:
    """One row per article id seen in the comments or in the articles table."""
    path = str(source.path)
    seen = comments.select(pl.col("article_id").drop_nulls().unique(maintain_order=True))
    if options.articles_table is None:
        if article_map:
            raise MappingError(
                source.path, "an articles table (--articles FILE) for the article.* mapping keys",
                found="none given",
            )
        table = seen
    else:
        table = _read_articles_table(options.articles_table, options, article_map, issues)
        extra = table.join(seen, on="article_id", how="anti")
        table = seen.join(table, on="article_id", how="left", maintain_order="left")
        table = pl.concat([table, extra], how="diagonal_relaxed")
    table = table.with_columns(pl.lit(path, dtype=pl.String).alias("source_path"))
    return schemas.check(schemas.conform(table, schemas.RAW_ARTICLES), schemas.RAW_ARTICLES, "table articles")


def _read_articles_table(
    path: Path, options: ReadOptions, article_map: dict[str, str], issues: list[ParseIssue]
) -> pl.DataFrame:
    loaded = _load(Source(path, max_bytes=options.max_bytes))
    issues.extend(loaded.issues)
    frame = loaded.frame
    cols = resolve_columns(frame.columns, article_map, ARTICLE_CANDIDATES, path, what="articles")
    if "article_id" not in cols:
        found = ", ".join(c for c in frame.columns if c not in (_LINE, _ROW)) or "none"
        raise MappingError(
            path, "an article id column (name it with --map article.article_id=COLUMN)",
            found=f"columns {found}",
        )
    one = {k: v[0] for k, v in cols.items()}
    exprs = [_id_expr(frame, one["article_id"], path).alias("article_id"), pl.col(_LINE)]
    for key in ("title", "url", "site", "author"):
        if key in one:
            value = _string_expr(frame, one[key])
            exprs.append(pl.when(value.str.strip_chars() != "").then(value).alias(key))
    if "body" in cols:
        exprs.append(_text_expr(frame, cols["body"]).alias("body"))
    if "n_announced" in one:
        exprs.append(_string_expr(frame, one["n_announced"]).str.strip_chars()
                     .cast(pl.Int64, strict=False).alias("n_announced"))
    table = frame.select(exprs)
    if "published_at" in one:
        table = table.with_columns(_timestamp(frame, one["published_at"]).alias("published_at"))
    dup = table["article_id"].is_duplicated() & table["article_id"].is_not_null()
    if bool(dup.any()):
        first = int(dup.arg_true()[0])
        issues.append(ParseIssue(
            "duplicate-article",
            f"{int(table['article_id'].filter(dup).n_unique())} article ids occur more than once "
            "in the articles table; the first row of each is used",
            "warning", str(path), table[_LINE][first], table["article_id"][first], None,
        ))
        table = table.unique(subset="article_id", keep="first", maintain_order=True)
    return table.filter(pl.col("article_id").is_not_null()).drop(_LINE)
