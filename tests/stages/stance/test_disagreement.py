"""Disagreement features of German replies (analyzer/stages/stance/disagreement.py, data/disagreement_de.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.core.errors import FormatError
from analyzer.stages.stance.disagreement import load_lists, packaged_lists, reply_features

DE = packaged_lists("de")


def feats(text: str, parent: str | None = "Die Steuern sind in Österreich viel zu hoch.", **kw: bool) -> dict[str, float]:
    assert DE is not None
    return reply_features(text, parent, DE, **kw).features


def test_packaged_german_lists_load_and_other_languages_have_none() -> None:
    assert DE is not None and DE.language == "de"
    names = {f.name for f in DE.families}
    assert {"contrast", "concession", "negated_agreement", "rhetorical_marker", "genuine_question", "sarcasm",
            "address_formal", "address_informal"} <= names
    assert packaged_lists("xx") is None


def test_concession_then_contrast_and_negated_agreement() -> None:
    f = feats("Ja, aber das stimmt so nicht.")
    assert f["de:concession_but"] == 1.0
    assert f["de:negated_agreement"] >= 1 and f["de:negated_agreement@first"] == 1.0
    assert "de:concession_but" not in feats("Ja, das sehe ich genauso.")
    # "zwar … doch" is a concession too, the contrast within the window.
    assert feats("Das ist zwar teuer, doch es lohnt sich.")["de:concession_but"] == 1.0


def test_rhetorical_and_genuine_questions_are_told_apart() -> None:
    rhetorical = feats("Glauben Sie das wirklich?")
    assert rhetorical["de:q_rhetorical"] == 1.0 and rhetorical["de:q_genuine"] == 0.0
    assert rhetorical["de:q_addressed"] == 1.0  # the question is aimed at the parent's author
    genuine = feats("Woher stammen die Zahlen?")
    assert genuine["de:q_genuine"] == 1.0 and genuine["de:q_rhetorical"] == 0.0
    negated = feats("Ist das nicht ein bisschen einfach?")
    assert negated["de:q_rhetorical"] == 1.0
    assert "de:questions" not in feats("Das ist ein Satz ohne Frage.")


def test_sarcasm_emoticons_and_scare_quotes() -> None:
    f = feats("Na klar, und morgen kommt der Osterhase ;)")
    assert f["de:sarcasm"] == 1.0 and f["de:emoticon"] == 1.0
    assert feats('Die "Experten" wissen es wieder besser.')["de:scare_quotes"] == 1.0


def test_formal_address_is_not_a_sentence_opening_sie() -> None:
    assert feats("Da irren Sie sich gewaltig.")["de:address_formal"] == 1.0
    # "Sie" opening a sentence is usually "they", not the parent's author.
    assert "de:address_formal" not in feats("Sie haben das Gesetz gestern beschlossen.")
    assert feats("Du hast das nicht verstanden.")["de:address_informal"] >= 1


def test_opening_only_families_fire_at_sentence_starts_only() -> None:
    assert feats("Nein. Das ist anders.")["de:rejection_opening"] == 1.0
    assert "de:rejection_opening" not in feats("Ich sage nicht nein dazu.")
    assert feats("Gut. Aber das reicht nicht.")["de:contrast_opening"] == 1.0


def test_quotation_of_the_parent_followed_by_a_reply() -> None:
    parent = "Alle Pensionisten bekommen heuer viel zu wenig Geld vom Staat."
    f = feats("alle Pensionisten bekommen heuer viel zu wenig Geld. Aber das stimmt nicht, die Erhöhung war hoch.", parent)
    assert f["de:quotes_parent"] == 1.0 and f["de:quote_then_reply"] == 1.0 and f["de:quote_then_contrast"] == 1.0
    # A quote block found by the quotes stage counts as well, even without a verbatim run here.
    g = feats("Das sehe ich anders, die Erhöhung war hoch.", parent, quotes_parent=True)
    assert g["de:quotes_parent"] == 1.0 and g["de:quote_then_contrast"] == 1.0
    assert "de:quotes_parent" not in feats("Die Erhöhung war hoch.", parent)
    # Top-level comments (no parent) get no parent features.
    assert "de:parent_question" not in feats("Die Erhöhung war hoch.", None)


def test_hits_carry_spans_into_the_text() -> None:
    assert DE is not None
    text = "Mag sein, aber Sie vergessen die Inflation."
    hits = reply_features(text, "x", DE).evidence()
    assert hits, "expected readable evidence"
    for h in hits:
        assert text[h["start"]:h["end"]] == h["text"]
    assert {"concession", "contrast", "address_formal"} <= {h["family"] for h in hits}


def test_feature_list_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "lists.toml"
    bad.write_text('[features]\nlanguage = "de"\nversion = "1"\n\n[[family]]\nname = "x"\npatterns = ["(unclosed"]\n',
                   encoding="utf-8")
    with pytest.raises(FormatError, match="valid regular expressions") as info:
        load_lists(bad)
    assert info.value.line == 6
    bad.write_text('[features]\nlanguage = "de"\n', encoding="utf-8")
    with pytest.raises(FormatError, match="version"):
        load_lists(bad)
    bad.write_text("not toml = = 1", encoding="utf-8")
    with pytest.raises(FormatError, match="TOML"):
        load_lists(bad)


def test_long_text_is_bounded() -> None:
    f = feats("aber " * 50_000)
    assert f["de:contrast"] == 5.0  # counts are capped; only MAX_CHARS are read
