"""Finding links in a text: candidates, hosts, refanging, accept/reject rules, redirect unwrapping."""

from __future__ import annotations

import bisect
import re
import urllib.parse
from collections.abc import Sequence

from analyzer.domains.rules import LinkRules, load_rules
from analyzer.stages.links.hosts import platform_path, split_host, strip_tracking
from analyzer.stages.links.patterns import (
    _CLOSERS,
    _MAX_LABELS,
    _TRAILING,
    _WORD,
    MAX_TEXT_CHARS,
    MAX_URL_CHARS,
    _Patterns,
    _patterns,
)
from analyzer.stages.links.records import Extraction, HostInfo, Link


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted material, as :mod:`analyzer.stages.framing.quotes` defines blocks.

    One definition for both stages, so a link counts as quoted exactly when its words are
    removed from the comment's own text.

    Example:
        >>> quote_spans("Zitat:\\nder Satz\\n\\nmeine Antwort")
        [(7, 15)]
    """
    from analyzer.stages.framing.quote_markup import quote_block_spans

    return quote_block_spans(text)


def _inside(spans: Sequence[tuple[int, int]], starts: Sequence[int], position: int) -> bool:
    i = bisect.bisect_right(starts, position) - 1
    return i >= 0 and spans[i][0] <= position < spans[i][1]




def _rule_of(forms: Sequence[tuple[re.Pattern[str], str]], written: str) -> str:
    for pattern, rule in forms:
        if pattern.fullmatch(written):
            return rule
    return ""


def _trim(url: str) -> str:
    """Cut trailing punctuation and closing brackets that have no partner inside the URL."""
    while url:
        last = url[-1]
        if last in _TRAILING:
            url = url[:-1]
        elif last in _CLOSERS and url.count(_CLOSERS[last]) < url.count(last):
            url = url[:-1]
        else:
            break
    return url


def refang_scheme(written: str, rule: str) -> str:
    """The scheme a written (possibly masked) scheme stands for.

    Five masking characters ("_____") stand for "https", four for "http"; other masks and
    scheme-less links get "https", the scheme nearly every site serves today.
    """
    lowered = written.lower()
    if not rule:
        return lowered
    if rule == "hxxp" or lowered.startswith("h"):
        return "https" if lowered.endswith("s") else "http"
    return "http" if len(written) == 4 else "https"


def _bare_ok(host_written: str, info: HostInfo, rules: LinkRules) -> bool:
    """False-positive rules for a scheme-less ``host.tld`` written without a path."""
    suffix = info.suffix or ""
    label = (info.domain_label or "").lower()
    last_written = re.split(r"\W", host_written)[-1]
    top = suffix.rsplit(".", 1)[-1]
    country = (len(top) == 2 and top.isascii() and top.isalpha()) or top in rules.idn_cctld
    if not country and top not in rules.generic_suffixes:
        return False  # a new gTLD word: "subjects.open", "golf.wow"
    if suffix in rules.file_suffixes or suffix in rules.word_suffixes:
        return False
    if label in rules.abbreviations or len(label) < 2 or label.isdigit():
        return False
    # "Ende.Jetzt": a capitalised word after the dot is a sentence glued to the previous one;
    # "attacks.US": a capitalised TLD after a lowercase name is a word, not a host.
    if last_written[:1].isupper() and not last_written.isupper():
        return False
    return not (last_written.isupper() and any(c.islower() for c in host_written))


def _host_overruns(text: str, host_end: int, pats: _Patterns) -> bool:
    """True when the host goes on after the match: a label over 63 characters or too many labels."""
    if host_end >= len(text):
        return False
    if _WORD.match(text, host_end):
        return True
    dot = pats.plain_dot.match(text, host_end)
    return dot is not None and _WORD.match(text, dot.end()) is not None


def extract_links(text: str, *, rules: LinkRules | None = None, _depth: int = 0) -> Extraction:
    """All links in ``text``, in order, with offsets into ``text``.

    Args:
        text: a comment's text or an article body (any length; see MAX_TEXT_CHARS).
        rules: link rules (default: the packaged ``link_rules.toml``).

    Returns:
        An :class:`Extraction`: the links and the skipped candidates with a reason.

    Example:
        >>> [l.registered_domain for l in extract_links("Quelle: hxxps://example[.]com/a.").links]
        ['example.com']
    """
    rules = rules or load_rules()
    pats = _patterns()
    out = Extraction(links=[])
    if len(text) > MAX_TEXT_CHARS:
        out.notes.append((MAX_TEXT_CHARS, f"text longer than {MAX_TEXT_CHARS} characters: the rest was not scanned"))
        text = text[:MAX_TEXT_CHARS]
    spans = quote_spans(text) if ("\n" in text or ">" in text or ":" in text) else []
    span_starts = [s for s, _ in spans]
    done = 0  # end of the last accepted link: candidates before it are part of that link
    for match in pats.start.finditer(text):
        start = match.start()
        if start < done:
            continue
        scheme_written = match.group("scheme")
        if scheme_written:
            out.n_found += 1  # a scheme form is always a candidate: it ends as a link or a rejection
        reason = _scan(text, start, scheme_written, rules, pats, spans, span_starts, out, _depth)
        if isinstance(reason, int):
            done = reason
        elif reason is not None and scheme_written:
            out.rejected.append((start, reason))
    return out


def _scan(
    text: str,
    start: int,
    scheme_written: str | None,
    rules: LinkRules,
    pats: _Patterns,
    spans: Sequence[tuple[int, int]],
    span_starts: Sequence[int],
    out: Extraction,
    depth: int = 0,
) -> int | str | None:
    """Follow one match: the end of the link taken (an int), or why it is not one (a str).

    Scheme-less matches that are not links return their reason too; only the caller's
    scheme test decides whether that makes a rejected candidate or a word.
    """
    host_at = start + len(scheme_written) if scheme_written else start
    if scheme_written:
        # "https:// www.site.de": up to two spaces between separator and host belong to the link,
        # when a host with a dot follows them ("siehe http:// und so" stays a scheme with no host).
        skip = host_at
        while skip < len(text) and skip - host_at < 2 and text[skip] == " ":
            skip += 1
        if skip > host_at:
            after = pats.host_spaced.match(text, skip) or pats.host.match(text, skip)
            if after is not None and pats.dot.search(after.group()) is not None:
                host_at = skip
                scheme_written = text[start:host_at]
    elif pats.email_before.search(text, max(0, start - 8), start):
        return "an e-mail address (name@host, name(at)host)"
    host_match = pats.host.match(text, host_at)
    spaced_host = False
    if host_match is not None and pats.plain_dot.search(host_match.group()) is None:
        # One label so far: the host may be written with spaced dots ("www . site . de").
        spaced = pats.host_spaced.match(text, host_at)
        host_match, spaced_host = (spaced, True) if spaced is not None else (host_match, False)
    if host_match is None:
        return "no host after the scheme"
    host_end = host_match.end()
    if _host_overruns(text, host_end, pats):
        return f"host with a label over 63 characters or more than {_MAX_LABELS} labels"
    host_written = host_match.group()
    if text[host_end : host_end + 1] == "@" or text[start - 1 : start] == "@":
        return "an '@' next to the host (an e-mail address or user@host form)"
    end = host_end
    port = pats.port.match(text, end)
    if port is not None:
        end = port.end()
    has_path = end < len(text) and text[end] in "/?#"
    if has_path:
        path_match = pats.path.match(text, end)
        end = path_match.end() if path_match else end
    url = _trim(text[start:end])
    end = start + len(url)
    if len(url) > MAX_URL_CHARS:
        if not scheme_written:
            out.n_found += 1
        out.rejected.append((start, f"link longer than {MAX_URL_CHARS} characters (host {host_written[:80]!r})"))
        return end
    link = _build(url, start, scheme_written, host_written, rules, pats, spans, span_starts, has_path, depth)
    if link is None and spaced_host and not has_path and port is None:
        # "auf site . de . Dort": a spaced host may have swallowed the next sentence; drop up to
        # two trailing labels and try again.
        for _ in range(2):
            dots = list(pats.dot.finditer(host_written))
            if len(dots) < 2:
                break
            host_written = host_written[: dots[-1].start()]
            url = text[start : host_at + len(host_written)]
            link = _build(url, start, scheme_written, host_written, rules, pats, spans, span_starts, False, depth)
            if link is not None:
                end = start + len(url)
                break
    if link is None:
        return f"host {host_written[:80]!r} has no dot"
    if not scheme_written:
        out.n_found += 1  # a scheme-less host the rules accept is a candidate (and a link)
    out.links.append(link)
    return end


def _build(
    url: str,
    start: int,
    scheme_written: str | None,
    host_written: str,
    rules: LinkRules,
    pats: _Patterns,
    spans: Sequence[tuple[int, int]],
    span_starts: Sequence[int],
    has_path: bool,
    depth: int = 0,
) -> Link | None:
    applied: list[str] = []
    if scheme_written:
        sep_match = re.search(r"[:\[(]", scheme_written)
        cut = sep_match.start() if sep_match else len(scheme_written)
        scheme_part, sep_part = scheme_written[:cut], scheme_written[cut:]
        if " " in scheme_written:
            applied.append("spaced")
            scheme_part, sep_part = scheme_part.replace(" ", ""), sep_part.replace(" ", "")
        scheme_rule = _rule_of(pats.scheme_forms, scheme_part)
        sep_rule = _rule_of(pats.separator_forms, sep_part)
        applied += [r for r in (scheme_rule, sep_rule) if r]
        scheme = refang_scheme(scheme_part, scheme_rule)
    else:
        scheme = "https"
    dot_written = [m.group() for m in pats.dot.finditer(host_written)]
    dot_rules = {_rule_of(pats.dot_forms, d) for d in dot_written}
    applied += sorted(r for r in dot_rules if r)
    spaced = any(r.startswith("spaced-") for r in dot_rules)
    host = pats.dot.sub(".", host_written).lower().strip(".")
    if "." not in host:
        return None
    if host.startswith("www."):
        host = host[4:]
    info = split_host(host)
    if not scheme_written:
        # Scheme-less: only a real public suffix makes it a host; without a path (and written
        # plainly) the false-positive rules must pass too.
        if info.registered_domain is None or info.suffix is None:
            return None
        www = host_written.lower().startswith("www")
        if spaced and not www and not _spaced_ok(host_written, info, rules, has_path):
            return None
        if not has_path and (not applied or spaced) and not www and not _bare_ok(host_written, info, rules):
            return None
    rest = url[len(scheme_written or "") + len(host_written):]
    path = rest[rest.find("/"):] if "/" in rest else ""
    domain = info.registered_domain
    source = platform_path(host, domain, path, rules)
    if domain is not None and domain in rules.aliases:
        # youtu.be and youtube.com, twitter.com and x.com: one source (link_rules.toml [alias]).
        canonical = rules.aliases[domain]
        source = None if source is None else canonical + source[len(domain):]
        domain = canonical
    link = Link(
        url=url,
        url_normalised=strip_tracking(f"{scheme}://{host}{rest}", domain, rules),
        host=host,
        registered_domain=domain,
        suffix=info.suffix,
        platform_path=source,
        obfuscation="+".join(dict.fromkeys(applied)) or None,
        in_quote=_inside(spans, span_starts, start),
        start_char=start,
        end_char=start + len(url),
    )
    return unwrap_redirect(link, info, rules, depth)


def _spaced_ok(host_written: str, info: HostInfo, rules: LinkRules, has_path: bool) -> bool:
    """A scheme-less host written with spaced dots ("site . de", "site dot com"): stricter rules.

    " . " also ends sloppy sentences and "dot"/"punkt" are words, so the suffix must be one
    people type this way (``spaced_suffixes``) and be written in lowercase (or all capitals);
    without a path the bare-host rules apply as well (see :func:`_bare_ok`).
    """
    if (info.suffix or "") not in rules.spaced_suffixes:
        return False
    last_written = re.split(r"\W", host_written)[-1]
    if not (last_written.islower() or last_written.isupper()):
        return False
    label = (info.domain_label or "").lower()
    return not (label in rules.abbreviations or len(label) < 2 or label.isdigit())


_MAX_REDIRECT_DEPTH = 3  # a wrapper inside a wrapper inside a wrapper is unwrapped; deeper ones are kept


def unwrap_redirect(link: Link, info: HostInfo, rules: LinkRules, depth: int = 0) -> Link:
    """The link a redirect wrapper points to, with the wrapper in ``redirect``; else ``link``.

    Args:
        link: a link as written (its url_normalised already refanged).
        info: the public-suffix split of the link's host (before aliasing).
        rules: link rules; ``[[redirect]]`` lists the wrappers.
        depth: wrappers already unwrapped around this one.

    The target must be a URL itself (``http(s)://`` or ``www.``); a google.com/url?q=search
    words link stays what it is.  Offsets and ``url`` keep the text as written.
    """
    if depth >= _MAX_REDIRECT_DEPTH or not rules.redirects:
        return link
    hosts, domains, labels = _redirect_keys(rules)
    if link.host not in hosts and (info.registered_domain or "") not in domains and (info.domain_label or "") not in labels:
        return link  # nearly every link: one set lookup each instead of a loop over the table
    for redirect in rules.redirects:
        if not (link.host in redirect.hosts or (info.registered_domain or "") in redirect.domains
                or (info.domain_label or "") in redirect.labels):
            continue
        try:
            parts = urllib.parse.urlsplit(link.url_normalised)
        except ValueError:
            return link
        if not any(parts.path.startswith(p) for p in redirect.paths):
            continue
        target = _redirect_target(parts.query, redirect.params)
        if target is None:
            continue
        inner = extract_links(target, rules=rules, _depth=depth + 1).links
        if not inner or inner[0].start_char != 0:
            continue
        found = inner[0]
        applied = [r for r in (link.obfuscation, found.obfuscation) if r]
        return Link(
            url=link.url,
            url_normalised=found.url_normalised,
            host=found.host,
            registered_domain=found.registered_domain,
            suffix=found.suffix,
            platform_path=found.platform_path,
            obfuscation="+".join(dict.fromkeys("+".join(applied).split("+"))) if applied else None,
            in_quote=link.in_quote,
            start_char=link.start_char,
            end_char=link.end_char,
            redirect=f"{link.host}{parts.path}" if found.redirect is None else f"{link.host}{parts.path} > {found.redirect}",
        )
    return link


_Keys = tuple[frozenset[str], frozenset[str], frozenset[str]]
_REDIRECT_KEYS: dict[int, tuple[LinkRules, _Keys]] = {}


def _redirect_keys(rules: LinkRules) -> _Keys:
    """Hosts, registered domains and labels of every redirect wrapper (per rules object).

    Keyed by ``id(rules)`` with the object kept beside its keys, so an id can never be reused
    by another rules object while the entry exists.
    """
    entry = _REDIRECT_KEYS.get(id(rules))
    if entry is None or entry[0] is not rules:
        keys = (
            frozenset().union(*(r.hosts for r in rules.redirects)),
            frozenset().union(*(r.domains for r in rules.redirects)),
            frozenset().union(*(r.labels for r in rules.redirects)),
        )
        entry = (rules, keys)
        _REDIRECT_KEYS[id(rules)] = entry
    return entry[1]


def _redirect_target(query: str, params: Sequence[str]) -> str | None:
    """The decoded target URL in ``query`` under the first of ``params`` ("" = the whole query)."""
    values: list[str] = []
    if "" in params:
        values.append(urllib.parse.unquote(query))
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=False)
    for name in params:
        values += [v for k, v in pairs if name and k.lower() == name.lower()]
    for value in values:
        value = value.strip()
        if value.lower().startswith(("http%3a", "https%3a", "www%2e")):
            value = urllib.parse.unquote(value)  # encoded twice
        if value.lower().startswith(("http://", "https://", "www.")):
            return value
    return None
