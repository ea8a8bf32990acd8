"""Frame inventories: packaged files, user files, and errors that name file, line and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.core.errors import UnreadableInputError
from analyzer.stages.framing.inventory import (
    ANY_LANGUAGE,
    InventoryError,
    inventories_from_settings,
    inventory_for,
    load_inventory,
    load_packaged,
    pattern_problem,
    pattern_table,
)

GENERIC = {"conflict", "human_interest", "economic_consequences", "morality", "responsibility"}
TOPICS = {"security_terrorism", "media_criticism", "geopolitical_conflict", "hidden_actors",
          "sovereignty_order", "energy_supply"}


def _write(tmp_path: Path, text: str, name: str = "frames.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["de", "en"])
def test_packaged_inventories_have_generic_and_topic_frames(lang: str) -> None:
    inv = load_packaged(lang)
    assert inv.language == lang and inv.version and inv.name.endswith(lang)
    assert set(inv.frame_names) == GENERIC | TOPICS
    assert {f.name for f in inv.frames if f.generic} == GENERIC
    assert all(f.reference and f.description for f in inv.frames)
    assert inv.labels and inv.stopwords
    assert len(inv.sha256) == 64 and inv.source == f"package:frames_{lang}.toml"


def test_unknown_language_falls_back_to_german() -> None:
    assert load_packaged("ru").language == "de"


def test_pattern_syntax() -> None:
    assert pattern_problem("terror*") is None
    assert pattern_problem("*krieg") is None
    assert pattern_problem("*revolution*") is None
    assert pattern_problem("von lang hand") is None
    assert "start or end" in (pattern_problem("te*ror") or "")
    assert "stem of at least" in (pattern_problem("ab*") or "")
    assert "only wildcards" in (pattern_problem("*") or "")
    assert "at most" in (pattern_problem("a b c d e f g") or "")


def test_pattern_table_rows() -> None:
    table = pattern_table(load_packaged("de")).filter(pattern="von lang hand")
    assert table["elem_pos"].to_list() == [0, 1, 2]
    assert table["stem"].to_list() == ["von", "lang", "hand"]
    assert set(table["n_elems"]) == {3}
    kinds = dict(pattern_table(load_packaged("de")).filter(frame="security_terrorism").select("pattern", "kind").iter_rows())
    assert kinds["terror*"] == "prefix" and kinds["*anschlag"] == "suffix" and kinds["polizei"] == "exact"


def test_user_inventory_loads_normalises_and_borrows_labels(tmp_path: Path) -> None:
    path = _write(tmp_path, 'name = "mine"\nversion = "0.1"\nlanguage = "de"\n\n'
                  '[frames.energy]\npatterns = ["Strom*", "  Netz  ", "strom*"]\n')
    inv = load_inventory(path)
    assert inv.frames[0].patterns == ("strom*", "netz")  # lowercased, stripped, deduplicated
    assert inv.labels == load_packaged("de").labels  # borrowed: the file has no [labels]
    assert inv.source == str(path)


def test_settings_replace_packaged_inventories(tmp_path: Path) -> None:
    path = _write(tmp_path, 'name = "any"\nversion = "1"\n[frames.x]\npatterns = ["abc"]\n')
    inventories = inventories_from_settings({"frames_file": str(path)})
    assert inventories["de"].name == "any" and inventories["en"].name == "any"
    assert inventory_for(inventories, "fr").name == "any"
    assert inventories[ANY_LANGUAGE].language == ANY_LANGUAGE
    only_en = _write(tmp_path, 'name = "en-only"\nversion = "1"\nlanguage = "en"\n[frames.x]\npatterns = ["abc"]\n', "en.toml")
    inventories = inventories_from_settings({"frames_file": [str(only_en)]})
    assert inventories["en"].name == "en-only" and inventories["de"].name == "analyzer-frames-de"
    assert inventory_for(inventories, None).name == "analyzer-frames-de"


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path, 'name = "x"\nversion = "1"\n[frames.a]\npatterns = ["abc"\n')
    with pytest.raises(InventoryError) as info:
        load_inventory(path)
    message = str(info.value)
    assert message.startswith(f"{path}:")
    assert info.value.line is not None and info.value.line >= 4
    assert "valid TOML" in message
    path = _write(tmp_path, 'name = "x"\nversion = 1.2.3\n[frames.a]\npatterns = ["abc"]\n', "mid.toml")
    with pytest.raises(InventoryError, match=r"mid\.toml:2: expected valid TOML"):
        load_inventory(path)


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ('name = "x"\n[frames.a]\npatterns = ["abc"]\n', None, "'version'"),
        ('name = "x"\nversion = "1"\n', None, "at least one [frames.<id>]"),
        ('name = "x"\nversion = "1"\n\n[frames.empty]\nlabel = "E"\n', 4, "frame 'empty'"),
        ('name = "x"\nversion = "1"\n\n[frames.bad]\npatterns = [\n  "ok",\n  "te*ror",\n]\n', 7, "frame 'bad'"),
        ('name = "x"\nversion = "1"\n[frames.short]\npatterns = ["ab*"]\n', 4, "stem of at least"),
        ('name = "x"\nversion = "1"\n[frames.typo]\npattern = ["abc"]\n', 3, "unknown key 'pattern'"),
        ('name = "x"\nversion = "1"\n[frames.num]\npatterns = [1, 2]\n', 3, "frame 'num'"),
        ('name = "x"\nversion = "1"\nlanguage = "German"\n[frames.a]\npatterns = ["abc"]\n', 3, "ISO 639-1"),
        ('name = "x"\nversion = "1"\nextra = 1\n[frames.a]\npatterns = ["abc"]\n', 3, "unknown key 'extra'"),
        ('name = "x"\nversion = "1"\n[frames.a]\npatterns = ["abc"]\n[labels]\nbad = []\n', 6, "label 'bad'"),
        ('name = "x"\nversion = "1"\n[frames.a]\npatterns = ["abc"]\n[keyness]\nstopwords = [""]\n', 6, "stopwords"),
    ],
)
def test_structure_errors_name_file_line_and_problem(tmp_path: Path, text: str, line: int | None, needle: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InventoryError) as info:
        load_inventory(path)
    assert info.value.path == str(path)
    assert info.value.line == line
    assert needle in str(info.value)
    assert str(info.value).startswith(str(path) if line is None else f"{path}:{line}:")


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError, match="nope.toml"):
        load_inventory(tmp_path / "nope.toml")
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'name = "x"\nversion = "1"\n# \xe4\n')
    with pytest.raises(InventoryError, match=r"latin1\.toml:3: expected UTF-8"):
        load_inventory(path)
