"""Import, store and load domain credibility lists (data with provenance).

A list is imported once from a CSV/TSV file (or a text file with one domain or URL per line)
into the user's data folder as ``<name>.parquet`` (columns :data:`LIST_SCHEMA`) beside
``<name>.json``, the provenance record: where the list came from, its date and licence, which
columns were read, how many rows were kept or skipped.  Nothing is fetched from the network.

Keys are normalised like link hosts (:mod:`analyzer.stages.links`): lowercase, no scheme, no ``www.``;
a platform URL (``https://t.me/somechannel``) becomes its platform path (``t.me/somechannel``)
so lists can rate single channels as well as whole domains.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core.errors import UsageError

LIST_SCHEMA = pl.Schema(
    {
        "domain": pl.String,  # normalised key: host (no www.), or a platform path
        "rating": pl.Float64,  # numeric rating as the list gives it (null for label-only lists)
        "label": pl.String,  # label as the list gives it ("low", "conspiracy", "listed" ...)
        "imputed": pl.Boolean,  # the list marks this value as imputed
    }
)
_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_TRUE = frozenset({"1", "true", "yes", "y", "t", "x", "imputed"})
_DOMAIN_COLUMNS = ("domain", "url", "source_url_normalized", "site", "source_url", "host")


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How to read a list file (see ``analyzer domains import --help``)."""

    name: str
    domain_column: str | None = None
    rating_column: str | None = None
    label_column: str | None = None
    imputed_column: str | None = None
    all_imputed: bool = False
    list_date: str | None = None
    licence: str | None = None
    source_url: str | None = None
    description: str | None = None
    default_label: str = "listed"
    overwrite: bool = False


def data_dir(folder: str | Path | None = None) -> Path:
    """Folder of imported lists: ``folder``, else ``$ANALYZER_DATA_DIR/domains``, else
    ``$XDG_DATA_HOME/analyzer/domains``, else ``~/.local/share/analyzer/domains``."""
    if folder is not None:
        return Path(folder)
    if os.environ.get("ANALYZER_DATA_DIR"):
        return Path(os.environ["ANALYZER_DATA_DIR"]) / "domains"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "analyzer" / "domains"


def check_name(name: str) -> str:
    """A list name is a file name stem: lowercase letters, digits, ``_ . -`` (no paths)."""
    if not _NAME.fullmatch(name) or name.endswith((".json", ".parquet")):
        raise UsageError(
            f"list name {name!r}: use 1-64 lowercase letters, digits, '_', '.', '-', starting with a letter or digit"
        )
    return name


def check_date(value: str | None) -> str | None:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (the list's own date), validated."""
    if value is None:
        return None
    if not _DATE.fullmatch(value):
        raise UsageError(f"--date {value!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError as exc:
        raise UsageError(f"--date {value!r}: {exc}") from None
    return value


def normalise_key(value: str | None) -> str | None:
    """The lookup key of a list entry: platform path, else host without ``www.``; None if unusable.

    Example:
        >>> normalise_key("https://www.Example.com/*"), normalise_key("https://t.me/s/SomeChannel")
        ('example.com', 't.me/somechannel')
    """
    from analyzer.stages.links.extraction import extract_links

    if value is None:
        return None
    text = value.strip()
    if not text or len(text) > 2000 or any(c.isspace() for c in text):
        return None
    if "://" not in text:
        text = "https://" + text.lstrip("/")
    found = extract_links(text).links
    if not found or found[0].start_char != 0:
        return None
    return found[0].platform_path or found[0].host


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() in _TRUE


def _read_table(path: Path) -> pl.DataFrame:
    if path.suffix.lower() == ".txt":
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        entries = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
        return pl.DataFrame({"domain": entries}, schema={"domain": pl.String})
    with path.open("r", encoding="utf-8", errors="replace") as handle:
        header = handle.readline()
    separator = "\t" if path.suffix.lower() == ".tsv" or header.count("\t") > header.count(",") else ","
    try:
        return pl.read_csv(path, separator=separator, infer_schema=False, encoding="utf8-lossy")
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise UsageError(f"{path}: cannot read as a {'TSV' if separator == chr(9) else 'CSV'} table: {exc}") from None


def _column(frame: pl.DataFrame, wanted: str | None, what: str, path: Path) -> str | None:
    if wanted is None:
        return None
    if wanted not in frame.columns:
        raise UsageError(f"{path}: no column {wanted!r} for {what}; columns: {', '.join(frame.columns)}")
    return wanted


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_list(path: str | Path, options: ImportOptions, *, folder: str | Path | None = None) -> dict[str, Any]:
    """Import a list file into the data folder; returns its provenance record.

    Args:
        path: CSV, TSV, or TXT (one domain or URL per line, "#" comments).
        options: list name, columns and provenance (date, licence, source URL).
        folder: data folder (default :func:`data_dir`).

    Raises:
        UsageError: unreadable file, unknown column, bad name or date, or an existing list
            without ``overwrite``.

    Example:
        >>> import_list("ratings.csv", ImportOptions(name="mylist", rating_column="score"))  # doctest: +SKIP
    """
    path = Path(path)
    name = check_name(options.name)
    list_date = check_date(options.list_date)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    target = data_dir(folder)
    if (target / f"{name}.parquet").exists() and not options.overwrite:
        raise UsageError(f"a list named {name!r} exists in {target}; pass --overwrite to replace it")
    table = _read_table(path)
    domain_col = options.domain_column or next((c for c in _DOMAIN_COLUMNS if c in table.columns), None)
    domain_col = _column(table, domain_col, "domains", path)
    if domain_col is None:
        raise UsageError(f"{path}: no domain column found; name it with --domain-column (columns: {', '.join(table.columns)})")
    rating_col = _column(table, options.rating_column, "ratings", path)
    label_col = _column(table, options.label_column, "labels", path)
    imputed_col = _column(table, options.imputed_column, "imputed flags", path)

    # A rating column whose every value is a number is numeric; otherwise it holds labels.
    rating_kind = "listed"
    numbers: list[float | None] = [None] * table.height
    labels: list[str | None] = [options.default_label] * table.height
    if rating_col is not None:
        raw = table.get_column(rating_col)
        parsed = raw.str.strip_chars().cast(pl.Float64, strict=False)
        if parsed.null_count() == raw.str.strip_chars().replace("", None).null_count():
            rating_kind = "numeric"
            numbers = parsed.to_list()
            labels = [None] * table.height
        else:
            rating_kind = "label"
            labels = raw.to_list()
    if label_col is not None:
        labels = table.get_column(label_col).to_list()
    imputed = (
        [True] * table.height if options.all_imputed
        else [_truthy(v) for v in table.get_column(imputed_col).to_list()] if imputed_col
        else [False] * table.height
    )
    keys: dict[str, int] = {}
    n_skipped = n_duplicates = 0
    rows: list[tuple[str, float | None, str | None, bool]] = []
    for raw_domain, number, label, flag in zip(table.get_column(domain_col).to_list(), numbers, labels, imputed, strict=True):
        key = normalise_key(raw_domain)
        if key is None:
            n_skipped += 1
            continue
        if key in keys:
            n_duplicates += 1  # first occurrence wins, as lists are usually sorted by priority
            continue
        keys[key] = len(rows)
        rows.append((key, number, label, flag))
    frame = pl.DataFrame(rows, schema=LIST_SCHEMA, orient="row")
    record: dict[str, Any] = {
        "name": name,
        "description": options.description,
        "source_file": path.name,
        "source_sha256": _sha256(path),
        "source_url": options.source_url,
        "list_date": list_date,
        "licence": options.licence,
        "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "domain_column": domain_col,
        "rating_column": rating_col,
        "label_column": label_col,
        "rating_kind": rating_kind,
        "imputed": "all" if options.all_imputed else (f"column:{imputed_col}" if imputed_col else "none"),
        "n_rows_in": table.height,
        "n_entries": frame.height,
        "n_skipped": n_skipped,
        "n_duplicates": n_duplicates,
    }
    _write(target, name, frame, record)
    return record


def _write(target: Path, name: str, frame: pl.DataFrame, record: dict[str, Any]) -> None:
    """Write Parquet then JSON, each through a temporary file renamed into place."""
    target.mkdir(parents=True, exist_ok=True)
    for suffix, write in (
        (".parquet", lambda p: frame.write_parquet(p)),
        (".json", lambda p: Path(p).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")),
    ):
        handle, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=suffix, dir=target)
        os.close(handle)
        try:
            write(tmp)
            os.replace(tmp, target / f"{name}{suffix}")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def installed(folder: str | Path | None = None) -> list[dict[str, Any]]:
    """Provenance records of the installed lists, by name (lists without a record are skipped)."""
    target = data_dir(folder)
    if not target.is_dir():
        return []
    return [rec for rec in _records(target)]


def _records(target: Path) -> Iterator[dict[str, Any]]:
    for json_path in sorted(target.glob("*.json")):
        if not (target / f"{json_path.stem}.parquet").is_file():
            continue
        try:
            record = json.loads(json_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict) and record.get("name") == json_path.stem:
            yield record


def load_list(name: str, folder: str | Path | None = None) -> tuple[pl.DataFrame, dict[str, Any]]:
    """An installed list and its provenance record.

    Raises:
        UsageError: no list of that name (the message lists the installed ones).
    """
    target = data_dir(folder)
    check_name(name)
    parquet, record_path = target / f"{name}.parquet", target / f"{name}.json"
    if not parquet.is_file() or not record_path.is_file():
        names = ", ".join(r["name"] for r in installed(folder)) or "none"
        raise UsageError(f"no domain list {name!r} in {target} (installed: {names}); import it with `analyzer domains import`")
    frame = pl.read_parquet(parquet)
    if frame.schema != LIST_SCHEMA:
        raise UsageError(f"{parquet}: not a domain list written by this version (re-import it)")
    return frame, json.loads(record_path.read_text(encoding="utf-8"))
