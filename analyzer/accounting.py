"""The "nothing lost" accounting of a run.

Three checks, each an :class:`AccountingError` (exit code 3) when it fails, because a
mismatch means a bug, never bad input:

1. **Comments** (:func:`comment_counts`): comments the readers saw (counted by each reader
   independently of the rows it emits) = comments in the run (ghosts excluded) + comments
   rejected with a reason (one issue row each, codes :data:`REJECTION_CODES`; the limits of
   :mod:`analyzer.tree.limits` reject with such rows too).
2. **Links** (:func:`link_counts`): link candidates the extractor found (counted per text as it
   classifies its matches) = rows in ``links.parquet`` + candidates rejected with a reason
   (``link-skipped`` issues).  Nothing is merged: a link written twice is two rows.
3. **Files** (:func:`verify_run_folder`): after the run folder is written, and before it
   replaces an earlier run, the row counts in the Parquet metadata must match the manifest:
   every file's ``rows``, the visible comments and ghosts of ``comments.parquet``, the link
   rows and the rejection rows of ``parse_issues.parquet``.

The tallies go to the manifest's ``accounting`` section (:func:`accounting_section`);
``counts`` keeps its long-standing keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core.errors import AnalyzerError
from analyzer.core.records import SEVERITIES, ParseIssue
from analyzer.tree.forest import Forest
from analyzer.tree.limits import LIMIT_REJECTION_CODES, LimitOutcome

__all__ = [
    "AccountingError",
    "READER_REJECTION_CODES",
    "REJECTION_CODES",
    "add_counts",
    "check_comments",
    "comment_counts",
    "link_counts",
    "verify_run_folder",
]

# Codes readers use for "a comment in the input could not be kept".
READER_REJECTION_CODES = frozenset({"invalid-json-line", "rejected-comment"})
# Every code whose issue row stands for one rejected comment (counted in the accounting).
REJECTION_CODES = READER_REJECTION_CODES | LIMIT_REJECTION_CODES

_BUG = "this is a bug, please report it"


class AccountingError(AnalyzerError):
    """Comments or links went missing between the input and the run folder: a bug, reported loudly."""


def _severity_counts(issues: Sequence[ParseIssue], rows: pl.DataFrame | None) -> dict[str, int]:
    counts: dict[str, int] = {sev: sum(1 for i in issues if i.severity == sev) for sev in SEVERITIES}
    if rows is not None and rows.height:
        for severity, n in rows.group_by("severity").len().iter_rows():
            counts[severity] = counts.get(severity, 0) + int(n)
    return counts


def comment_counts(
    n_in: int,
    forest: Forest,
    issues: Sequence[ParseIssue],
    issue_rows: pl.DataFrame | None = None,
) -> dict[str, Any]:
    """The manifest's ``counts``, checked: comments in = out + rejected.

    Args:
        n_in: comments the readers saw.
        forest: the final forest.
        issues: every issue of the run as objects.
        issue_rows: issues already held as a PARSE_ISSUES frame (the limits' per-comment rows).

    Raises:
        AccountingError: the counts disagree.
    """
    comments = forest.comments
    ghosts = int(comments.get_column("is_ghost").sum())
    n_out = comments.height - ghosts
    by_reader = sum(1 for i in issues if i.code in READER_REJECTION_CODES)
    by_limits = sum(1 for i in issues if i.code in LIMIT_REJECTION_CODES)
    if issue_rows is not None and issue_rows.height:
        codes = issue_rows.get_column("code")
        by_reader += int(codes.is_in(sorted(READER_REJECTION_CODES)).sum())
        by_limits += int(codes.is_in(sorted(LIMIT_REJECTION_CODES)).sum())
    counts: dict[str, Any] = {
        "articles": forest.articles.height,
        "comments_in": n_in,
        "comments_out": n_out,
        "comments_rejected": by_reader + by_limits,
        "ghosts": ghosts,
        "more_stubs": int((comments.get_column("kind") == "more").sum()),
        "parse_issues": _severity_counts(issues, issue_rows),
    }
    check_comments(counts)
    return counts


def accounting_section(
    counts: Mapping[str, Any], limits: LimitOutcome, links: Mapping[str, int] | None,
    text_after_header: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The manifest's ``accounting``: the comment balance, the limits' tallies, the link balance.

    ``counts`` keeps its long-standing keys; this section adds what the checks use:
    ``comments`` (``in = out + rejected``, rejected split into ``by_readers`` and
    ``by_limits``), ``limits`` (:meth:`LimitOutcome.counts`) and ``links`` (``found = rows +
    rejected``; absent when the links stage did not run).

    ``article_text_after_comment_header`` is the text that may hold comments nobody read: per
    input path, the characters after a comment-section header that went to the article blocks
    because no comment was recognised (the ``comments-not-recognised`` warning says the same in
    words).  ``chars`` is their sum and ``inputs`` how many inputs have any; both are 0 when every
    comment section was read.  Not part of the comment balance: nobody knows how many comments
    that text holds.
    """
    by_limits = limits.n_rejected_thread + limits.n_rejected_depth
    section: dict[str, Any] = {
        "comments": {
            "in": counts["comments_in"],
            "out": counts["comments_out"],
            "rejected": counts["comments_rejected"],
            "rejected_by_readers": counts["comments_rejected"] - by_limits,
            "rejected_by_limits": by_limits,
        },
        "limits": limits.counts(),
    }
    if links is not None:
        section["links"] = dict(links)
    after = {path: int(n) for path, n in (text_after_header or {}).items() if n}
    section["article_text_after_comment_header"] = {
        "inputs": len(after),
        "chars": sum(after.values()),
        "by_input": after,
    }
    return section


def check_comments(counts: Mapping[str, Any], where: str = "") -> None:
    """Raise :class:`AccountingError` unless comments_in = comments_out + comments_rejected."""
    n_in, n_out, n_rejected = counts["comments_in"], counts["comments_out"], counts["comments_rejected"]
    if n_in != n_out + n_rejected:
        raise AccountingError(
            f"accounting mismatch{where}: readers saw {n_in} comments, the run holds {n_out} "
            f"and {n_rejected} were rejected with a reason; {_BUG}"
        )


def link_counts(stage_info: Mapping[str, Any], frames: Mapping[str, pl.DataFrame]) -> dict[str, int] | None:
    """The links stage's ``found / rows / rejected``, checked; None when the stage did not run.

    Read from the stage's manifest facts (``n_found``, ``n_link_rows``, ``n_rejected``).
    ``rows`` must equal the height of the frame about to be written, and ``found`` must equal
    ``rows + rejected``.

    Raises:
        AccountingError: the counts disagree.
    """
    info = stage_info.get("links")
    if info is None:
        return None
    counts = {"found": int(info["n_found"]), "rows": int(info["n_link_rows"]), "rejected": int(info["n_rejected"])}
    check_links(counts)
    frame = frames.get("links.parquet")
    held = frame.height if frame is not None else 0
    if held != counts["rows"] or int(info["n_links"]) != counts["rows"]:
        raise AccountingError(
            f"link accounting mismatch: the links stage made {counts['rows']} rows, "
            f"links.parquet would hold {held}; {_BUG}"
        )
    return counts


def check_links(counts: Mapping[str, int], where: str = "") -> None:
    """Raise :class:`AccountingError` unless found = rows + rejected."""
    if counts["found"] != counts["rows"] + counts["rejected"]:
        raise AccountingError(
            f"link accounting mismatch{where}: {counts['found']} link candidates found, "
            f"{counts['rows']} rows and {counts['rejected']} rejected with a reason; {_BUG}"
        )


def add_counts(total: dict[str, Any], part: Mapping[str, Any]) -> None:
    """Add one chunk's counts into ``total``: numbers add up, nested dicts key by key."""
    for key, value in part.items():
        if isinstance(value, Mapping):
            add_counts(total.setdefault(key, {}), value)
        elif isinstance(value, int) and not isinstance(value, bool):
            total[key] = total.get(key, 0) + value


def _parquet_rows(path: Path) -> int:
    """Rows of a Parquet file; polars answers ``len`` from the footer without reading data pages."""
    return int(pl.scan_parquet(path).select(pl.len()).collect().item())


def verify_run_folder(folder: str | Path) -> None:
    """Check a written run folder's Parquet files against its manifest.

    Meant for the folder as built, before it replaces an earlier run.  Reads Parquet
    metadata for every file, one column of ``comments.parquet`` (``is_ghost``) and one of
    ``parse_issues.parquet`` (``code``).

    Raises:
        AccountingError: a count in the files differs from the manifest.
    """
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest.get("counts", {})
    problems: list[str] = []
    for name, info in sorted(manifest.get("files", {}).items()):
        rows = _parquet_rows(folder / name)
        if rows != info.get("rows"):
            problems.append(f"{name} holds {rows} rows, the manifest says {info.get('rows')}")
    comments = folder / "comments.parquet"
    if comments.is_file() and "comments_out" in counts:
        ghosts, total = pl.scan_parquet(comments).select(pl.col("is_ghost").sum(), pl.len()).collect().row(0)
        ghosts = int(ghosts or 0)
        if total - ghosts != counts["comments_out"] or ghosts != counts.get("ghosts", ghosts):
            problems.append(
                f"comments.parquet holds {total - ghosts} comments and {ghosts} ghosts, the manifest says "
                f"{counts['comments_out']} and {counts.get('ghosts')}"
            )
    issues = folder / "parse_issues.parquet"
    if issues.is_file() and "comments_rejected" in counts:
        rejected = int(
            pl.scan_parquet(issues)
            .filter(pl.col("code").is_in(sorted(REJECTION_CODES)))
            .select(pl.len())
            .collect()
            .item()
        )
        if rejected != counts["comments_rejected"]:
            problems.append(
                f"parse_issues.parquet lists {rejected} rejected comments, the manifest counts "
                f"{counts['comments_rejected']}"
            )
    link_info = manifest.get("accounting", {}).get("links")
    links = folder / "links.parquet"
    if isinstance(link_info, Mapping):
        rows = _parquet_rows(links) if links.is_file() else 0
        if rows != link_info.get("rows"):
            problems.append(f"links.parquet holds {rows} rows, the link accounting says {link_info.get('rows')}")
    if problems:
        raise AccountingError(f"{folder}: run folder does not match its manifest: {'; '.join(problems)}; {_BUG}")
    if "comments_in" in counts:
        check_comments(counts, " in the written run")
