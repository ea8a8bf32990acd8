"""Cue inventories: the packaged files load; malformed files fail naming file, line and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.core.errors import FormatError
from analyzer.stages.stance.inventory import FAMILIES, load_inventory, packaged, packaged_path

GOOD_HEAD = '[inventory]\nlanguage = "de"\nversion = "9"\n\n'


@pytest.mark.parametrize("lang", ["de", "en"])
def test_packaged_inventories_load_and_cover_every_voting_family(lang: str) -> None:
    inv = packaged(lang)
    assert inv is not None and inv.language == lang
    assert inv.model_name == f"cues-{lang}-{inv.version}"
    families = {c.family for c in inv.cues}
    assert {"agreement", "disagreement", "sarcasm", "evidence", "query_request", "rhetorical", "contrast",
            "article_address", "article_support", "article_deny"} <= families
    assert families <= set(FAMILIES)
    assert inv.negators and inv.wh_words


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "cues_xx.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + "[[cue]]\nid = \"a\"\nfamily = agreement\n")
    with pytest.raises(FormatError) as info:
        load_inventory(path)
    assert str(path) in str(info.value) and info.value.line == 7


def test_unknown_family_names_the_cue_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + '[[cue]]\nid = "x.one"\nfamily = "agreemnt"\npatterns = ["ja"]\n')
    with pytest.raises(FormatError) as info:
        load_inventory(path)
    assert info.value.line == 6
    assert "agreemnt" in str(info.value) and "family" in str(info.value)


def test_nested_quantifier_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + '[[cue]]\nid = "x.bad"\nfamily = "agreement"\n\npatterns = ["(ja+)+"]\n')
    with pytest.raises(FormatError) as info:
        load_inventory(path)
    assert info.value.line == 9 and "nested quantifier" in str(info.value)


def test_invalid_regex_and_duplicate_id(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + '[[cue]]\nid = "x"\nfamily = "agreement"\npatterns = ["(ja"]\n')
    with pytest.raises(FormatError, match="invalid regular expression"):
        load_inventory(path)
    dup = '[[cue]]\nid = "x"\nfamily = "agreement"\npatterns = ["ja"]\n'
    path = write(tmp_path, GOOD_HEAD + dup + dup)
    with pytest.raises(FormatError, match="duplicate id") as info:
        load_inventory(path)
    assert info.value.line == 10  # the second id line


def test_unknown_key_and_bad_weight(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_HEAD + '[[cue]]\nid = "x"\nfamily = "agreement"\npatterns = ["ja"]\nwieght = 2\n')
    with pytest.raises(FormatError, match="unknown key 'wieght'"):
        load_inventory(path)
    path = write(tmp_path, GOOD_HEAD + '[[cue]]\nid = "x"\nfamily = "agreement"\npatterns = ["ja"]\nweight = 50\n')
    with pytest.raises(FormatError, match="weight"):
        load_inventory(path)


def test_missing_inventory_table(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"\[inventory\]"):
        load_inventory(write(tmp_path, '[[cue]]\nid = "x"\nfamily = "agreement"\npatterns = ["ja"]\n'))


def test_packaged_path_exists() -> None:
    assert packaged_path("de").is_file() and packaged_path("en").is_file()
    assert packaged("xx") is None
