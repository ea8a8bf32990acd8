"""The packaged link rules (analyzer/domains/link_rules.toml) load and stay safe."""

from __future__ import annotations

import pytest

from analyzer.domains.rules import load_rules, parse_rules


def test_packaged_rules_load() -> None:
    rules = load_rules()
    assert rules.schemes[0].rule == "" and rules.dots[0].rule == ""
    assert {"underscore-scheme", "hxxp", "masked-scheme"} <= {f.rule for f in rules.schemes}
    assert "t.me" in rules.platforms and "youtube.com" in rules.platforms
    assert rules.idn_cctld["рф"] == "ru"


def _doc(pattern: str) -> dict[str, object]:
    plain = [{"pattern": "x", "rule": ""}]
    return {"scheme": [*plain, {"pattern": pattern, "rule": "r"}], "separator": plain, "dot": plain}


@pytest.mark.parametrize("pattern", ["a+", "(ab)*", "x{2,}"])
def test_unbounded_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="unbounded"):
        parse_rules(_doc(pattern))


@pytest.mark.parametrize("pattern", ["[*]{3,8}", "h[t*_x.]{2}ps?", r"\[\.\]"])
def test_bounded_patterns_are_accepted(pattern: str) -> None:
    parse_rules(_doc(pattern))


def test_first_form_must_be_plain_and_kinds_known() -> None:
    with pytest.raises(ValueError, match="first form"):
        parse_rules({"scheme": [{"pattern": "x", "rule": "r"}], "separator": [], "dot": []})
    doc = _doc("y")
    doc["platform"] = [{"domains": ["a.b"], "kind": "nope"}]
    with pytest.raises(ValueError, match="kind"):
        parse_rules(doc)
