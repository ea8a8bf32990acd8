"""The cold bench's cache folders: which caches a run starts without, and the usual one untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.cold_e2e import prepare_cache


def _usual(tmp_path: Path) -> Path:
    usual = tmp_path / "usual" / "analyzer"
    for name in ("hanta", "py3langid", "simplemma"):
        (usual / name).mkdir(parents=True)
        (usual / name / "entry").write_text(name, encoding="utf-8")
    return usual


def test_hanta_starts_without_the_form_table_only(tmp_path: Path) -> None:
    usual = _usual(tmp_path)
    env = prepare_cache("hanta", tmp_path / "cold", usual)
    made = Path(env["XDG_CACHE_HOME"]) / "analyzer"
    assert sorted(p.name for p in made.iterdir()) == ["py3langid", "simplemma"]
    assert (made / "simplemma" / "entry").read_text(encoding="utf-8") == "simplemma"
    assert not (made / "hanta").exists()


def test_all_starts_with_every_cache_empty_and_none_changes_nothing(tmp_path: Path) -> None:
    usual = _usual(tmp_path)
    env = prepare_cache("all", tmp_path / "cold", usual)
    assert list((Path(env["XDG_CACHE_HOME"]) / "analyzer").iterdir()) == []
    assert prepare_cache("none", tmp_path / "other", usual) == {}
    assert sorted(p.name for p in usual.iterdir()) == ["hanta", "py3langid", "simplemma"]


def test_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="expected hanta, all or none"):
        prepare_cache("some", tmp_path / "cold", tmp_path)
