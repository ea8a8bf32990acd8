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
    spaced: bool = False  # a dot written with spaces around it ("site . de", "site dot de")


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
class Redirect:
    """A redirect wrapper whose query names the real target (``l.facebook.com/l.php?u=...``).

    A link matches when its normalised host is in ``hosts``, or its registered domain in
    ``domains``, or the label left of its public suffix in ``labels`` (``google`` for every
    google.<cc>); and its path starts with one of ``paths`` ("" = any path).  The target is
    the first of ``params`` present in the query; ``params = [""]`` takes the whole query.
    """

    name: str
    hosts: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    labels: frozenset[str] = frozenset()
    paths: tuple[str, ...] = ("",)
    params: tuple[str, ...] = ()


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
    spaced_suffixes: frozenset[str] = frozenset()  # suffixes taken after a spaced dot without scheme or www
    tracking_names: frozenset[str] = frozenset()  # query parameters removed from url_normalised
    tracking_prefixes: tuple[str, ...] = ()
    tracking_by_domain: dict[str, frozenset[str]] = field(default_factory=dict)
    redirects: tuple[Redirect, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)  # registered domain -> the one source it counts as
    shorteners: frozenset[str] = frozenset()  # redirect services whose target is not in the URL


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
        forms.append(Form(pattern, str(entry.get("rule", "")), bool(entry.get("spaced", False))))
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
    tracking = data.get("tracking", {})
    redirects = tuple(
        Redirect(
            name=str(entry["name"]),
            hosts=frozenset(h.lower() for h in entry.get("hosts", ())),
            domains=frozenset(d.lower() for d in entry.get("domains", ())),
            labels=frozenset(x.lower() for x in entry.get("labels", ())),
            paths=tuple(entry.get("paths", ("",))),
            params=tuple(entry["params"]),
        )
        for entry in data.get("redirect", [])
    )
    aliases = {str(k).lower(): str(v).lower() for k, v in data.get("alias", {}).items()}
    for source, target in aliases.items():
        if target in aliases:
            raise ValueError(f"{RULES_FILE} [alias]: {source!r} -> {target!r}, which is itself an alias (one step only)")
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
        spaced_suffixes=frozenset(bare.get("spaced_suffixes", ())),
        tracking_names=frozenset(n.lower() for n in tracking.get("names", ())),
        tracking_prefixes=tuple(p.lower() for p in tracking.get("prefixes", ())),
        tracking_by_domain={str(k).lower(): frozenset(n.lower() for n in v)
                            for k, v in tracking.get("by_domain", {}).items()},
        redirects=redirects,
        aliases=aliases,
        shorteners=frozenset(d.lower() for d in data.get("shorteners", {}).get("domains", ())),
    )


@functools.cache
def load_rules() -> LinkRules:
    """The packaged rules (read once per process)."""
    text = resources.files("analyzer.domains").joinpath(RULES_FILE).read_text(encoding="utf-8")
    return parse_rules(tomllib.loads(text))
