"""Link rules loaded from the packaged ``link_rules.toml`` (patterns are data).

The file lists the scheme, separator and dot forms that :mod:`analyzer.stages.links` recognises
(each with the obfuscation rule it records), the false-positive lists for scheme-less
``host.tld`` and the platform paths that identify a source.  This module only loads and
validates it; the regular expressions are assembled in :mod:`analyzer.stages.links`.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

RULES_FILE = "link_rules.toml"
PLATFORM_KINDS = ("segment", "prefixed", "subdomain")


@dataclass(frozen=True, slots=True)
class Form:
    """One written form (of a scheme, separator or dot) and the rule that recovers it."""

    pattern: str
    rule: str  # "" = written plainly


@dataclass(frozen=True, slots=True)
class Platform:
    """A platform whose path (or subdomain) names the source of a link."""

    domains: tuple[str, ...]
    kind: str
    prefixes: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    reserved: frozenset[str] = frozenset()
    reserved_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkRules:
    """Everything ``link_rules.toml`` declares."""

    schemes: tuple[Form, ...]
    separators: tuple[Form, ...]
    dots: tuple[Form, ...]
    file_suffixes: frozenset[str]
    word_suffixes: frozenset[str]
    generic_suffixes: frozenset[str]
    abbreviations: frozenset[str]
    idn_cctld: dict[str, str]
    platforms: dict[str, tuple[Platform, ...]] = field(default_factory=dict)  # registered domain -> rules


# Nested or unbounded quantifiers in a data pattern could make matching super-linear on
# untrusted text; the loader refuses them so an edit of the TOML cannot introduce one.
_UNBOUNDED = re.compile(r"(?<!\\)[+*](?![^\[]*\])|\{\d+,\}")


def _forms(entries: list[dict[str, Any]], section: str) -> tuple[Form, ...]:
    forms = []
    for entry in entries:
        pattern = str(entry["pattern"])
        if _UNBOUNDED.search(pattern):
            raise ValueError(f"{RULES_FILE} [{section}] pattern {pattern!r} has an unbounded quantifier")
        re.compile(pattern)
        forms.append(Form(pattern, str(entry.get("rule", ""))))
    if not forms or forms[0].rule:
        raise ValueError(f"{RULES_FILE} [{section}]: the first form must be the plain one (rule = \"\")")
    return tuple(forms)


def parse_rules(data: dict[str, Any]) -> LinkRules:
    """Validate the TOML document ``data`` and turn it into :class:`LinkRules`."""
    platforms: dict[str, list[Platform]] = {}
    for entry in data.get("platform", []):
        kind = entry["kind"]
        if kind not in PLATFORM_KINDS:
            raise ValueError(f"{RULES_FILE}: platform kind {kind!r} is not one of {PLATFORM_KINDS}")
        rule = Platform(
            domains=tuple(d.lower() for d in entry["domains"]),
            kind=kind,
            prefixes=tuple(entry.get("prefixes", ())),
            skip=tuple(entry.get("skip", ())),
            reserved=frozenset(s.lower() for s in entry.get("reserved", ())),
            reserved_prefixes=tuple(entry.get("reserved_prefixes", ())),
        )
        for domain in rule.domains:
            platforms.setdefault(domain, []).append(rule)
    bare = data.get("bare", {})
    return LinkRules(
        schemes=_forms(data["scheme"], "scheme"),
        separators=_forms(data["separator"], "separator"),
        dots=_forms(data["dot"], "dot"),
        file_suffixes=frozenset(bare.get("file_suffixes", ())),
        word_suffixes=frozenset(bare.get("word_suffixes", ())),
        generic_suffixes=frozenset(bare.get("generic_suffixes", ())),
        abbreviations=frozenset(bare.get("abbreviations", ())),
        idn_cctld={str(k): str(v) for k, v in data.get("idn_cctld", {}).items()},
        platforms={k: tuple(v) for k, v in platforms.items()},
    )


@functools.cache
def load_rules() -> LinkRules:
    """The packaged rules (read once per process)."""
    text = resources.files("analyzer.domains").joinpath(RULES_FILE).read_text(encoding="utf-8")
    return parse_rules(tomllib.loads(text))
