"""Host and URL normalisation: registered domain and suffix, platform paths, tracking parameters, country codes."""

from __future__ import annotations

import functools
import re
import urllib.parse

from analyzer.domains.rules import LinkRules, load_rules
from analyzer.stages.links.patterns import _IPV4, _extractor
from analyzer.stages.links.records import HostInfo


@functools.lru_cache(maxsize=1 << 16)  # hosts repeat a lot within a run; tldextract costs ~10 µs a call
def split_host(host: str) -> HostInfo:
    """Registered domain, public suffix and the label left of it (tldextract snapshot)."""
    if _IPV4.fullmatch(host):
        return HostInfo(host, None, None)
    parts = _extractor()(host)
    if parts.suffix and not parts.domain and host == parts.suffix:
        # The host is itself a public suffix that serves a site ("www.gov.kz" -> "gov.kz",
        # "gv.at"): the site is the whole host, not "nothing".
        return HostInfo(host, parts.suffix, None)
    if not parts.suffix or not parts.domain:
        return HostInfo(None, parts.suffix or None, None)
    return HostInfo(f"{parts.domain}.{parts.suffix}", parts.suffix, parts.domain)


def platform_path(host: str, registered_domain: str | None, path: str, rules: LinkRules | None = None) -> str | None:
    """The source a platform link names (``t.me/<channel>``, ``youtube.com/@name`` ...), else None.

    Args:
        host: normalised host (lowercase, no ``www.``).
        registered_domain: its registered domain.
        path: the path as written (query and fragment are ignored).
        rules: link rules (default: the packaged ones).

    Example:
        >>> platform_path("t.me", "t.me", "/s/Durov/123")
        't.me/durov'
    """
    if registered_domain is None:
        return None
    rules = rules or load_rules()
    candidates = rules.platforms.get(registered_domain, ())
    if not candidates:
        return None
    segments = [s for s in re.split(r"[?#]", path, maxsplit=1)[0].split("/") if s][:4]
    for rule in candidates:
        if rule.kind == "subdomain":
            sub = host[: -len(registered_domain)].rstrip(".")
            if sub and sub.split(".")[-1] not in rule.reserved:
                return f"{sub.split('.')[-1]}.{registered_domain}"
            continue
        segs = list(segments)
        while segs and segs[0].lower() in rule.skip:
            segs.pop(0)
        if not segs:
            continue
        first = segs[0]
        if rule.kind == "segment":
            low = first.lower()
            if low in rule.reserved or low.startswith(rule.reserved_prefixes) or first.startswith("@"):
                if not first.startswith("@") or "@" not in rule.prefixes:
                    continue
            return f"{registered_domain}/{low}"
        # prefixed
        if "@" in rule.prefixes and first.startswith("@") and len(first) > 1:
            return f"{registered_domain}/{first.split(':')[0].lower()}"
        if first.lower() in rule.prefixes and len(segs) > 1:
            name = segs[1] if first.lower() == "channel" else segs[1].lower()  # channel ids are case-sensitive
            return f"{registered_domain}/{first.lower()}/{name}"
    return None


def strip_tracking(url: str, domain: str | None, rules: LinkRules | None = None) -> str:
    """``url`` without tracking query parameters (link_rules.toml ``[tracking]``).

    The rest of the URL is kept byte for byte (parameter order and encoding included).

    Example:
        >>> strip_tracking("https://example.de/a?id=3&utm_source=fb&fbclid=x#top", "example.de")
        'https://example.de/a?id=3#top'
    """
    query_at = url.find("?")
    if query_at < 0:
        return url
    fragment_at = url.find("#")
    if 0 <= fragment_at < query_at:
        return url  # the "?" is inside the fragment
    rules = rules or load_rules()
    end = fragment_at if fragment_at >= 0 else len(url)
    by_domain = rules.tracking_by_domain.get(domain or "", frozenset())
    kept = []
    for pair in url[query_at + 1 : end].split("&"):
        key = urllib.parse.unquote_plus(pair.split("=", 1)[0]).lower()
        if key in rules.tracking_names or key in by_domain or (key and key.startswith(rules.tracking_prefixes)):
            continue
        kept.append(pair)
    kept = [pair for pair in kept if pair]
    return url[:query_at] + ("?" + "&".join(kept) if kept else "") + url[end:]


def cctld(suffix: str | None, rules: LinkRules | None = None) -> str | None:
    """Country code of a public suffix ("co.uk" -> "uk", "рф" -> "ru"), "generic" for gTLDs, None if unknown."""
    if not suffix:
        return None
    rules = rules or load_rules()
    last = suffix.rsplit(".", 1)[-1]
    if last in rules.idn_cctld:
        return rules.idn_cctld[last]
    if len(last) == 2 and last.isascii() and last.isalpha():
        return last
    return "generic"
