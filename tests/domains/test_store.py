"""Importing, storing and loading credibility lists (analyzer/domains/store.py)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from analyzer.core.errors import UsageError
from analyzer.domains import store
from analyzer.domains.store import ImportOptions, import_list, installed, load_list, normalise_key


def _csv(tmp_path: Path, text: str, name: str = "liste.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_numeric_import_with_provenance(tmp_path: Path) -> None:
    source = _csv(tmp_path, "domain,pc1\nExample.com,0.9\nhttps://www.example.ru/,0.1\nexample.com,0.5\n,0.3\n")
    folder = tmp_path / "data"
    record = import_list(
        source,
        ImportOptions(name="nums", rating_column="pc1", list_date="2023-09", licence="CC0", source_url="https://x.example"),
        folder=folder,
    )
    assert record["rating_kind"] == "numeric"
    assert (record["n_rows_in"], record["n_entries"], record["n_duplicates"], record["n_skipped"]) == (4, 2, 1, 1)
    frame, provenance = load_list("nums", folder)
    assert frame.schema == store.LIST_SCHEMA
    assert frame.rows() == [("example.com", 0.9, None, False), ("example.ru", 0.1, None, False)]
    assert provenance["licence"] == "CC0" and provenance["list_date"] == "2023-09"
    assert len(provenance["source_sha256"]) == 64
    assert [r["name"] for r in installed(folder)] == ["nums"]


def test_label_import_tsv_and_imputed_column(tmp_path: Path) -> None:
    source = _csv(tmp_path, "site\tfact\timp\nnews.example.org\tlow\t1\nexample.net\thigh\t0\n", "liste.tsv")
    import_list(
        source, ImportOptions(name="labels", domain_column="site", rating_column="fact", imputed_column="imp"),
        folder=tmp_path,
    )
    frame, record = load_list("labels", tmp_path)
    assert record["rating_kind"] == "label" and record["imputed"] == "column:imp"
    assert frame.rows() == [("news.example.org", None, "low", True), ("example.net", None, "high", False)]


def test_text_list_with_url_patterns(tmp_path: Path) -> None:
    source = _csv(tmp_path, "# Kommentar\nhttps://www.example.com/*\nhttps://t.me/s/EinKanal\n\nexample.de\n", "liste.txt")
    record = import_list(source, ImportOptions(name="iffy-like", all_imputed=True), folder=tmp_path)
    frame, _ = load_list("iffy-like", tmp_path)
    assert frame["domain"].to_list() == ["example.com", "t.me/einkanal", "example.de"]
    assert frame["label"].unique().to_list() == ["listed"]
    assert frame["imputed"].all()
    assert record["rating_kind"] == "listed" and record["imputed"] == "all"


def test_refuses_overwrite_bad_names_dates_and_columns(tmp_path: Path) -> None:
    source = _csv(tmp_path, "domain,r\nexample.com,1\n")
    import_list(source, ImportOptions(name="a"), folder=tmp_path)
    with pytest.raises(UsageError, match="--overwrite"):
        import_list(source, ImportOptions(name="a"), folder=tmp_path)
    import_list(source, ImportOptions(name="a", overwrite=True, rating_column="r"), folder=tmp_path)
    for bad in ("../evil", "A", "", "x/y", "x.json"):
        with pytest.raises(UsageError, match="list name"):
            import_list(source, ImportOptions(name=bad), folder=tmp_path)
    with pytest.raises(UsageError, match="YYYY"):
        import_list(source, ImportOptions(name="b", list_date="2023/01"), folder=tmp_path)
    with pytest.raises(UsageError, match="month must be"):
        import_list(source, ImportOptions(name="b", list_date="2023-13"), folder=tmp_path)
    with pytest.raises(UsageError, match="no column 'nope'"):
        import_list(source, ImportOptions(name="b", rating_column="nope"), folder=tmp_path)
    with pytest.raises(UsageError, match="no domain column"):
        import_list(_csv(tmp_path, "x,y\n1,2\n", "c.csv"), ImportOptions(name="c"), folder=tmp_path)
    with pytest.raises(UsageError, match="no such file"):
        import_list(tmp_path / "missing.csv", ImportOptions(name="d"), folder=tmp_path)
    with pytest.raises(UsageError, match="installed: a"):
        load_list("zzz", tmp_path)


def test_data_dir_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANALYZER_DATA_DIR", str(tmp_path / "env"))
    assert store.data_dir() == tmp_path / "env" / "domains"
    monkeypatch.delenv("ANALYZER_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert store.data_dir() == tmp_path / "xdg" / "analyzer" / "domains"
    assert store.data_dir(tmp_path / "explicit") == tmp_path / "explicit"


def test_stray_files_in_the_data_folder_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "broken.parquet").write_bytes(b"")
    (tmp_path / "orphan.json").write_text(json.dumps({"name": "orphan"}), encoding="utf-8")
    assert installed(tmp_path) == []
    assert installed(tmp_path / "absent") == []


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("example.com", "example.com"),
        ("WWW.Example.COM/", "example.com"),
        ("http://sub.example.co.uk/path", "sub.example.co.uk"),
        ("https://www.youtube.com/@Kanal", "youtube.com/@kanal"),
        ("", None),
        ("   ", None),
        (None, None),
        ("not a domain", None),
        ("x" * 3000, None),
    ],
)
def test_normalise_key(value: str | None, key: str | None) -> None:
    assert normalise_key(value) == key


@pytest.mark.shared_data
def test_import_the_shared_lists(shared_dir: Path, tmp_path: Path) -> None:
    """Real lists import with their own columns (they stay outside the repository)."""
    ratings = shared_dir / "data" / "domain_ratings"
    lin = import_list(
        ratings / "lin2023_domain_pc1.csv",
        ImportOptions(name="lin2023", rating_column="pc1", list_date="2023", all_imputed=True),
        folder=tmp_path,
    )
    assert lin["rating_kind"] == "numeric" and lin["n_entries"] > 11_000
    lasser = import_list(
        ratings / "lasser_domain_list_clean.csv",
        ImportOptions(name="lasser", rating_column="label", label_column="type", list_date="2022", licence="CC BY-SA 4.0"),
        folder=tmp_path,
    )
    assert lasser["rating_kind"] == "label" and lasser["n_entries"] > 4_000
    baly = import_list(
        ratings / "baly_acl2020_corpus.tsv",
        ImportOptions(name="baly", domain_column="source_url_normalized", rating_column="fact"),
        folder=tmp_path,
    )
    assert baly["n_entries"] > 800
    iffy = import_list(ratings / "iffy_list_2024-08-01_low_verylow.txt", ImportOptions(name="iffy"), folder=tmp_path)
    assert iffy["n_entries"] > 650 and iffy["n_skipped"] == 0
    frame, _ = load_list("lin2023", tmp_path)
    assert frame.filter(pl.col("domain") == "reuters.com")["rating"].item() == 1.0
