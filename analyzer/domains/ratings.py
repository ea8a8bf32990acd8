"""Attach credibility ratings from imported lists to links.

Each rating carries its list, the list's date and licence, a ``stale`` flag (the list is older
than ``stale_years`` at the reference date) and the list's own ``imputed`` flag.  A link is
looked up by its platform path first (``t.me/channel``), then its host (``news.example.com``),
then its registered domain (``example.com``): the most specific entry wins.  Coverage (share
of links with a rating) is computed per list by :func:`analyzer.stages.links.compute_link_metrics`
and must be shown beside every rating.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core import defaults, schemas
from analyzer.core.errors import UsageError
from analyzer.core.records import ParseIssue
from analyzer.domains.store import installed, load_list

# Lists older than this are flagged: domains change owners and behaviour within a few years,
# and the source lists behind Lin et al. (2023) date from 2016-2022.
DEFAULT_STALE_YEARS = defaults.STALE_YEARS

LINK_RATINGS = schemas.LINK_RATINGS  # declared with the other run frames


@dataclass(slots=True)
class DomainList:
    """An installed list, ready for lookups."""

    name: str
    entries: dict[str, tuple[float | None, str | None, bool]]
    provenance: dict[str, Any]
    stale: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def provenance_summary(self) -> dict[str, Any]:
        """What the run manifest records about the list."""
        keys = ("name", "list_date", "licence", "source_url", "source_sha256", "n_entries", "rating_kind", "imputed")
        return {**{k: self.provenance.get(k) for k in keys}, "stale": self.stale}


def list_end_date(value: str | None) -> date | None:
    """The last day a list date can mean ("2023" -> 2023-12-31): the least stale reading."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return date(year, month, day)


def is_stale(list_date: str | None, *, stale_years: float, reference: date) -> bool | None:
    """True when the list is more than ``stale_years`` older than ``reference``; None if undated."""
    end = list_end_date(list_date)
    if end is None:
        return None
    return (reference - end).days > stale_years * 365.25


def from_frame(name: str, frame: pl.DataFrame, provenance: dict[str, Any], *, stale: bool | None) -> DomainList:
    """A :class:`DomainList` from a LIST_SCHEMA frame (for lists built in code or tests)."""
    entries = {
        key: (rating, label, bool(imputed))
        for key, rating, label, imputed in frame.select("domain", "rating", "label", "imputed").iter_rows()
    }
    return DomainList(name, entries, provenance, stale)


def load_lists(
    names: Sequence[str] | None = None,
    *,
    folder: str | Path | None = None,
    stale_years: float = DEFAULT_STALE_YEARS,
    reference_date: date | None = None,
) -> tuple[list[DomainList], list[ParseIssue]]:
    """Installed lists by name (None = all), with a warning issue for each missing one."""
    reference = reference_date or date.today()
    wanted = [r["name"] for r in installed(folder)] if names is None else list(names)
    lists: list[DomainList] = []
    issues: list[ParseIssue] = []
    for name in wanted:
        try:
            frame, record = load_list(name, folder)
        except UsageError as exc:
            issues.append(ParseIssue(code="domain-list-missing", detail=str(exc), severity="warning"))
            continue
        stale = is_stale(record.get("list_date"), stale_years=stale_years, reference=reference)
        lists.append(from_frame(name, frame, record, stale=stale))
    return lists, issues


def lookup(entries: dict[str, Any], platform: str | None, host: str | None, domain: str | None) -> tuple[str, str] | None:
    """The most specific matching key and its level, or None."""
    for key, level in ((platform, "platform"), (host, "host"), (domain, "registered_domain")):
        if key is not None and key in entries:
            return key, level
    return None


def rate_links(links: pl.DataFrame, lists: Sequence[DomainList]) -> pl.DataFrame:
    """One LINK_RATINGS row per (link, list) pair where the list rates the link's source.

    Example:
        >>> from analyzer.core import schemas
        >>> rate_links(schemas.empty(schemas.LINKS), []).height
        0
    """
    rows: list[tuple[Any, ...]] = []
    if lists and links.height:
        columns = ("article_id", "comment_id", "start_char", "platform_path", "host", "registered_domain")
        for article_id, comment_id, start, platform, host, domain in links.select(columns).iter_rows():
            for domain_list in lists:
                found = lookup(domain_list.entries, platform, host, domain)
                if found is None:
                    continue
                rating, label, imputed = domain_list.entries[found[0]]
                rows.append((
                    article_id, comment_id, start, domain, found[0], found[1], domain_list.name, rating, label,
                    imputed, domain_list.provenance.get("list_date"), domain_list.provenance.get("licence"),
                    domain_list.stale,
                ))
    return pl.DataFrame(rows, schema=LINK_RATINGS, orient="row")


def with_rating_text(table: pl.DataFrame, ratings: pl.DataFrame | None, *, mark_stale: bool) -> pl.DataFrame:
    """``table`` (one row per ``domain``) with ``rating_text`` ("list: label; ...") and ``rated``,
    sorted by links, most first.

    Shared by the dashboard's and the report's domain tables.

    Args:
        table: a frame with ``domain`` and ``n_links`` columns.
        ratings: LINK_RATINGS rows, or None when no list was used.
        mark_stale: append " (stale)" to ratings from lists past their stale limit.
    """
    if ratings is not None and not ratings.is_empty():
        label = pl.coalesce(pl.col("label"), pl.col("rating").cast(pl.String), pl.lit("?"))
        stale = pl.when(pl.col("stale")).then(pl.lit(" (stale)")).otherwise(pl.lit("")) if mark_stale else pl.lit("")
        text = (
            ratings.with_columns(pl.format("{}: {}{}", "list_name", label, stale).alias("t"))
            .group_by(pl.col("registered_domain").alias("domain"))
            .agg(pl.col("t").unique().sort().str.join("; ").alias("rating_text"))
        )
        table = table.join(text, on="domain", how="left")
    else:
        table = table.with_columns(pl.lit(None, dtype=pl.String).alias("rating_text"))
    return table.with_columns(pl.col("rating_text").is_not_null().alias("rated")).sort(
        ["n_links", "domain"], descending=[True, False])
