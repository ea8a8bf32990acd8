"""Texts to the ``links.parquet`` frame, with the counts the accounting checks."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from analyzer.core import schemas
from analyzer.core.records import ParseIssue
from analyzer.domains.rules import load_rules
from analyzer.stages.links.extraction import extract_links
from analyzer.stages.links.patterns import MAX_TEXT_CHARS
from analyzer.stages.links.records import Extraction


@dataclass(slots=True)
class LinkTally:
    """Link accounting of a set of texts: candidates found, rows made, candidates rejected."""

    found: int = 0
    rows: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"found": self.found, "rows": self.rows, "rejected": self.rejected}


def links_frame(
    texts: Iterable[tuple[str, str | None, str | None]],
    tally: LinkTally | None = None,
) -> tuple[pl.DataFrame, list[ParseIssue]]:
    """LINKS rows for ``(article_id, comment_id or None, text)`` triples, with skip issues.

    Rejected candidates become ``link-skipped`` issues: one per text and reason, whose detail
    gives the number and the first position (a text of 10,000 bare "http://" is one issue, not
    10,000).

    Args:
        texts: the texts to scan.
        tally: filled with the accounting: ``found`` from the scanner, ``rows`` counted as
            rows are appended, ``rejected`` from the rejections.
    """
    rows: dict[str, list[Any]] = {name: [] for name in schemas.LINKS}
    issues: list[ParseIssue] = []
    tally = tally if tally is not None else LinkTally()
    for article_id, comment_id, text in texts:
        if not text:
            continue
        found = extract_links(text)
        tally.found += found.n_found
        tally.rejected += len(found.rejected)
        for link in found.links:
            rows["article_id"].append(article_id)
            rows["comment_id"].append(comment_id)
            for name in schemas.LINKS:
                if name not in ("article_id", "comment_id"):
                    rows[name].append(getattr(link, name))
            tally.rows += 1
        for detail in _skip_details(found):
            issues.append(
                ParseIssue(
                    code="link-skipped",
                    detail=detail,
                    severity="warning",
                    article_id=article_id,
                    comment_id=comment_id,
                )
            )
    frame = pl.DataFrame(rows, schema=schemas.LINKS)
    return schemas.check(frame, schemas.LINKS, "links.parquet"), issues


def _skip_details(found: Extraction) -> list[str]:
    """Issue details for one text: each note, and each rejection reason with its count."""
    details = [f"{reason} at character {position}" for position, reason in found.notes]
    by_reason: dict[str, list[int]] = {}
    for position, reason in found.rejected:
        by_reason.setdefault(reason, []).append(position)
    for reason, positions in by_reason.items():
        if len(positions) == 1:
            details.append(f"link candidate skipped: {reason} at character {positions[0]}")
        else:
            details.append(
                f"{len(positions)} link candidates skipped: {reason} (first at character {positions[0]})"
            )
    return details


@functools.cache
def _prefilter() -> str | None:
    """A Rust-regex (polars) pattern that matches every text in which :func:`extract_links` finds anything.

    The scanner's start pattern needs either a scheme separator ("://", "[:]//" ...) or a dot
    form with a host character on each side; this pattern asks for just that, without the
    look-arounds polars cannot run.  ``[\\p{L}\\p{N}\\p{M}_-]`` contains every character of
    Python's ``\\w`` (tests/stages/links/test_links.py checks all code points), so the filter can only let
    too much through, never too little.  None when the rules' patterns are not valid there.
    """
    rules = load_rules()
    word = r"[\p{L}\p{N}\p{M}_-]"
    separators = "|".join(f"(?:{f.pattern})" for f in rules.separators)
    dots = "|".join(f"(?:{f.pattern})" for f in rules.dots)
    pattern = f"(?i)(?:{separators})|{word}(?:{dots}){word}"
    try:
        pl.Series(["x"]).str.contains(pattern)
    except pl.exceptions.PolarsError:
        return None
    return pattern


def link_candidates(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """The rows of ``frame`` whose ``column`` text may hold a link candidate, in order.

    Most comments hold no link; testing them all in one vectorised pass and scanning only the
    rest keeps the per-text Python work to the texts that have something to find.  Texts over
    :data:`MAX_TEXT_CHARS` always stay (their scan reports the unscanned part).  Dropped rows
    are exactly those for which :func:`extract_links` would return nothing.
    """
    pattern = _prefilter()
    if pattern is None:
        return frame.filter(pl.col(column).is_not_null())
    text = pl.col(column)
    return frame.filter(text.str.contains(pattern) | (text.str.len_chars() > MAX_TEXT_CHARS))


def visible_comments(comments: pl.DataFrame) -> pl.DataFrame:
    """Comments whose text is analysed (:func:`analyzer.core.textkinds.analysed`: removed ones with text too)."""
    from analyzer.core.textkinds import analysed

    return comments.filter(analysed() & ~pl.col("is_ghost"))
