"""Attaching ratings to links (analyzer/domains/ratings.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.domains import ratings
from analyzer.domains.store import LIST_SCHEMA, ImportOptions, import_list
from analyzer.stages import links


def _links(*texts: str) -> pl.DataFrame:
    frame, _ = links.links_frame([("a", f"c{i}", t) for i, t in enumerate(texts)])
    return frame


def _list(rows: list[tuple[str, float | None, str | None, bool]], **provenance: str) -> ratings.DomainList:
    frame = pl.DataFrame(rows, schema=LIST_SCHEMA, orient="row")
    return ratings.from_frame("l", frame, {"list_date": "2020", "licence": "CC0", **provenance}, stale=False)


def test_most_specific_entry_wins() -> None:
    domain_list = _list(
        [
            ("t.me/gut", 0.9, None, False),
            ("t.me", 0.5, None, False),
            ("news.example.com", 0.7, None, True),
            ("example.com", 0.2, None, False),
        ]
    )
    frame = _links("https://t.me/gut/1 https://t.me/anders https://news.example.com/x https://www.example.com/ https://other.example.com/ https://ungelistet.de/")
    rated = ratings.rate_links(frame, [domain_list])
    assert rated.schema == ratings.LINK_RATINGS
    assert rated.select("matched_key", "match_level", "rating", "imputed").rows() == [
        ("t.me/gut", "platform", 0.9, False),
        ("t.me", "host", 0.5, False),  # host and registered domain coincide
        ("news.example.com", "host", 0.7, True),
        ("example.com", "host", 0.2, False),  # www. stripped
        ("example.com", "registered_domain", 0.2, False),
    ]
    assert rated["licence"].unique().to_list() == ["CC0"]


def test_no_lists_or_no_links_give_empty_frames() -> None:
    assert ratings.rate_links(_links("https://example.com"), []).height == 0
    assert ratings.rate_links(schemas.empty(schemas.LINKS), [_list([("example.com", 1.0, None, False)])]).height == 0


@pytest.mark.parametrize(
    ("list_date", "reference", "years", "stale"),
    [
        ("2020", date(2023, 12, 31), 3, False),  # "2020" is read as 2020-12-31
        ("2020", date(2024, 1, 2), 3, True),
        ("2020-02", date(2023, 2, 28), 3, False),
        ("2020-02-01", date(2023, 2, 28), 3, True),
        (None, date(2024, 1, 1), 3, None),
    ],
)
def test_stale_flag(list_date: str | None, reference: date, years: float, stale: bool | None) -> None:
    assert ratings.is_stale(list_date, stale_years=years, reference=reference) is stale


def test_load_lists_flags_stale_and_reports_missing(tmp_path: Path) -> None:
    source = tmp_path / "l.csv"
    source.write_text("domain\nexample.com\n", encoding="utf-8")
    import_list(source, ImportOptions(name="alt", list_date="2016"), folder=tmp_path)
    import_list(source, ImportOptions(name="neu", list_date="2024-05-01"), folder=tmp_path)
    found, issues = ratings.load_lists(folder=tmp_path, reference_date=date(2025, 1, 1))
    assert {x.name: x.stale for x in found} == {"alt": True, "neu": False}
    assert issues == []
    found, issues = ratings.load_lists(["neu", "fehlt"], folder=tmp_path, reference_date=date(2025, 1, 1))
    assert [x.name for x in found] == ["neu"]
    assert [i.code for i in issues] == ["domain-list-missing"]
    assert found[0].provenance_summary()["stale"] is False
