"""Link sharing: extract, refang and normalise links; link metrics (methods.md section 5).

Pipeline of one text (a visible comment's ``text`` or an article's ``body``):

1. **Find candidates** with one bounded regular expression built from the packaged rules
   (:mod:`analyzer.domains.rules`): a scheme form (``https://``, ``hxxp://``, ``h**ps://``,
   ``_____://``, with ``://``, ``[:]//`` ...) or the start of a scheme-less ``host.tld``
   (dots written plainly or as ``[.]``, ``(.)``, ``(dot)`` ...).
2. **Parse the host** (labels of at most 63 characters, at most 30 of them), an optional port
   and the path up to white space or a quotation mark; trailing punctuation and unbalanced
   closing brackets are cut (balanced parentheses, as in Wikipedia URLs, stay).
3. **Accept or reject**: links with a scheme are kept when their host has a dot; scheme-less
   ones need a real public suffix (tldextract's bundled snapshot) and, without a path, must
   pass the false-positive rules ("z.B.", "bild.jpg", "readme.md", "Dr.med", e-mail addresses,
   version numbers, sentences glued together as in "Ende.Jetzt").
4. **Normalise**: refang, add the scheme (``https`` when it cannot be read), lowercase the host,
   strip ``www.``, registered domain and suffix from the Public Suffix List (ICANN section of
   tldextract's bundled snapshot; a host that is itself a public suffix, such as ``gov.kz``,
   is its own registered domain), drop tracking parameters (``utm_*``, ``fbclid`` ...), map
   aliases to one source (``youtu.be`` = ``youtube.com``, ``twitter.com`` = ``x.com``), and
   the platform path that names a source (``t.me/<channel>``, ``youtube.com/@name`` ...).
5. **Unwrap redirect wrappers** (``l.facebook.com/l.php?u=``, ``google.<cc>/url?q=`` ...):
   the target in the query becomes the link (normalised, rated), the wrapper stays in
   ``redirect``.  Shorteners (``t.co``, ``bit.ly``) cannot be unwrapped offline.

Spaced forms ("h t t p s : / / www . site . de", "site . de", "site dot de") are read when the
host's first dot is spaced; scheme-less ones need a suffix from ``spaced_suffixes``.  E-mail
addresses ("name@site.org", "name(at)site.org") are not links.  All tables are data in
``analyzer/domains/link_rules.toml``; docs/links.md has the forms and the false-positive
measurement.

Every obfuscated link records the rule(s) that recovered it (``obfuscation``, e.g.
``"underscore-scheme"`` or ``"hxxp+dot-bracket"``).  Links inside quoted material (lines
starting with ">", or the lines after "Zitat:" / "Quote:" up to a blank line) are marked
``in_quote``; offsets index the original text.  :mod:`analyzer.stages.framing.quotes` did not exist
when this was written, so the quote-block rule is the small local one in :func:`quote_spans`.

Scopes of the metrics this module adds to the long METRICS frame:

* ``thread`` (subject_id = article id): shares, counts and concentration over the links of
  the visible comments of one thread (the article's own links are counted apart);
* ``comment`` (subject_id = comment id): links per visible comment;
* ``domain`` (subject_id = registered domain, else the host): per-domain counts;
* ``cctld`` (subject_id = country code such as "ru", or "generic"): the country-code mix;
* ``list`` (subject_id = credibility list name): rating coverage and mean rating.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl

from analyzer.core import schemas
from analyzer.core.records import ParseIssue
from analyzer.domains.rules import LinkRules, load_rules
from analyzer.stages.declarations.links import LinksSettings
from analyzer.stages.metric_registry import MetricInfo, lookup

if TYPE_CHECKING:
    from analyzer.stages.context import StageContext, StageResult

# Longest URL kept.  Browsers and servers commonly cap URLs at 2-8 k characters; anything longer
# in a comment is pasted garbage or an attack on the analyser, so it is skipped with an issue.
MAX_URL_CHARS = 8192
# Longest text scanned (characters).  A 1 MB comment is scanned whole; beyond this the rest is
# skipped with an issue, which keeps one pathological input from dominating a run.
MAX_TEXT_CHARS = 4_000_000
_MAX_LABELS = 30  # host labels; real hosts rarely have more than 6

# Characters that end a URL in running text: white space, control characters, quotation marks,
# angle brackets, and emoji / pictographs (IRIs may hold letters of any script, never emoji).
_STOP = "\\s\\x00-\\x1f\\x7f\"<>„“”«»‹›`\\u2600-\\u27bf\\U0001f000-\\U0001faff"
# Characters cut from the end of a URL: sentence punctuation and Markdown emphasis.
_TRAILING = frozenset(".,;:!?…'’‘*_")
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_WORD = re.compile(r"[\w-]")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_QUOTE_INTRO = re.compile(r"[ \t]{0,40}(?:zitat|quote|zitat von [^:\n]{1,80}|quote from [^:\n]{1,80})[ \t]{0,5}:[ \t]{0,40}", re.I)


# --- Patterns, assembled once from the rules ------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Patterns:
    start: re.Pattern[str]  # scheme+separator, or the start of a bare host
    host: re.Pattern[str]  # labels joined by unspaced dot forms
    host_spaced: re.Pattern[str]  # first dot spaced ("site . de"), then any dot form
    dot: re.Pattern[str]  # one dot form, spaced ones included (for refanging)
    plain_dot: re.Pattern[str]  # one unspaced dot form (does the host go on?)
    email_before: re.Pattern[str]  # an "@" or "(at)" right before a bare host: an e-mail address
    path: re.Pattern[str]
    port: re.Pattern[str]
    scheme_forms: tuple[tuple[re.Pattern[str], str], ...]
    separator_forms: tuple[tuple[re.Pattern[str], str], ...]
    dot_forms: tuple[tuple[re.Pattern[str], str], ...]


@functools.cache
def _patterns() -> _Patterns:
    rules = load_rules()
    schemes = "|".join(f"(?:{f.pattern})" for f in rules.schemes)
    separators = "|".join(f"(?:{f.pattern})" for f in rules.separators)
    dots = "|".join(f"(?:{f.pattern})" for f in rules.dots)
    plain = "|".join(f"(?:{f.pattern})" for f in rules.dots if not f.spaced)
    spaced = "|".join(f"(?:{f.pattern})" for f in rules.dots if f.spaced) or "(?!)"
    # Possessive (Python 3.11+): every dot form starts with a non-word character, so giving
    # back label characters can never let a dot match; without backtracking, each failed
    # attempt costs one label scan instead of one dot-form test per character of the word.
    label = r"[\w-]{1,63}+"
    # The bare-host start is a zero-width lookahead at a word start (not after a letter, dot,
    # slash, "@" or hyphen), so it costs one bounded label scan per word.
    start = re.compile(
        rf"(?P<scheme>(?<![\w*])(?:{schemes})(?:{separators}))"
        rf"|(?<![\w.@/\\-])(?={label}(?:{dots})[\w-])",
        re.IGNORECASE,
    )
    return _Patterns(
        start=start,
        host=re.compile(rf"{label}(?:(?:{plain}){label}){{0,{_MAX_LABELS - 1}}}", re.IGNORECASE),
        host_spaced=re.compile(
            rf"{label}(?:{spaced}){label}(?:(?:{dots}){label}){{0,{_MAX_LABELS - 2}}}", re.IGNORECASE
        ),
        dot=re.compile(dots, re.IGNORECASE),
        plain_dot=re.compile(plain, re.IGNORECASE),
        email_before=re.compile(r"(?:@|[(\[{]\s{0,2}(?:at|ät)\s{0,2}[)\]}])\s{0,2}\Z", re.IGNORECASE),
        path=re.compile(rf"[^{_STOP}]{{0,{MAX_URL_CHARS + 1}}}"),
        port=re.compile(r":\d{1,5}(?![\w])"),
        scheme_forms=tuple((re.compile(f.pattern, re.I), f.rule) for f in rules.schemes),
        separator_forms=tuple((re.compile(f.pattern, re.I), f.rule) for f in rules.separators),
        dot_forms=tuple((re.compile(f.pattern, re.I), f.rule) for f in rules.dots),
    )


@functools.cache
def _extractor() -> Any:
    """tldextract with its bundled Public Suffix List snapshot: never fetches, never writes.

    ``suffix_list_urls=()`` disables fetching and ``cache_dir=None`` disables the on-disk cache
    (tests/test_links.py checks both with the network and the home folder guarded).
    """
    import tldextract  # lazy: keeps `import analyzer.stages.links` cheap

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)


# --- Data records ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    """One link found in a text; fields as in :data:`analyzer.core.schemas.LINKS`."""

    url: str
    url_normalised: str
    host: str
    registered_domain: str | None
    suffix: str | None
    platform_path: str | None
    obfuscation: str | None
    in_quote: bool
    start_char: int
    end_char: int
    redirect: str | None = None  # the redirect wrapper unwrapped ("l.facebook.com/l.php"), else None


@dataclass(slots=True)
class Extraction:
    """Links of one text and the candidates that could not become links.

    A *candidate* is a scheme form (``https://``, ``hxxp://``, ``_____://`` ...) anywhere it
    is not part of an earlier link, or a scheme-less ``host.tld`` that the host rules accept
    as a link.  ``n_found`` counts candidates as the scanner classifies them; every one ends
    up either in ``links`` or in ``rejected`` (the accounting checks
    ``n_found == len(links) + len(rejected)``).  Words that merely look like hosts ("z.B.",
    "bild.jpg") are not candidates.

    Attributes:
        links: the links, in order.
        rejected: ``(start_char, reason)`` of candidates that could not be made into a link.
        notes: ``(start_char, reason)`` about the text itself (the part left unscanned).
        n_found: candidates found.
    """

    links: list[Link]
    rejected: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)
    n_found: int = 0

    @property
    def skipped(self) -> list[tuple[int, str]]:
        """Everything not turned into a link: notes on the text, then rejected candidates."""
        return [*self.notes, *self.rejected]


@dataclass(frozen=True, slots=True)
class HostInfo:
    """Public-suffix split of a normalised host."""

    registered_domain: str | None
    suffix: str | None
    domain_label: str | None


# --- Quote blocks ---------------------------------------------------------------------------


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


# --- Extraction -----------------------------------------------------------------------------


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


# --- Frames ---------------------------------------------------------------------------------


@dataclass(slots=True)
class LinkTally:
    """Link accounting of a set of texts: candidates found, rows made, candidates rejected."""

    found: int = 0
    rows: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"found": self.found, "rows": self.rows, "rejected": self.rejected}


def links_frame(
    texts: Iterable[tuple[str, str | None, str | None]],
    tally: LinkTally | None = None,
) -> tuple[pl.DataFrame, list[ParseIssue]]:
    """LINKS rows for ``(article_id, comment_id or None, text)`` triples, with skip issues.

    Rejected candidates become ``link-skipped`` issues: one per text and reason, whose detail
    gives the number and the first position (a text of 10,000 bare "http://" is one issue, not
    10,000).

    Args:
        texts: the texts to scan.
        tally: filled with the accounting: ``found`` from the scanner, ``rows`` counted as
            rows are appended, ``rejected`` from the rejections.
    """
    rows: dict[str, list[Any]] = {name: [] for name in schemas.LINKS}
    issues: list[ParseIssue] = []
    tally = tally if tally is not None else LinkTally()
    for article_id, comment_id, text in texts:
        if not text:
            continue
        found = extract_links(text)
        tally.found += found.n_found
        tally.rejected += len(found.rejected)
        for link in found.links:
            rows["article_id"].append(article_id)
            rows["comment_id"].append(comment_id)
            for name in schemas.LINKS:
                if name not in ("article_id", "comment_id"):
                    rows[name].append(getattr(link, name))
            tally.rows += 1
        for detail in _skip_details(found):
            issues.append(
                ParseIssue(
                    code="link-skipped",
                    detail=detail,
                    severity="warning",
                    article_id=article_id,
                    comment_id=comment_id,
                )
            )
    frame = pl.DataFrame(rows, schema=schemas.LINKS)
    return schemas.check(frame, schemas.LINKS, "links.parquet"), issues


def _skip_details(found: Extraction) -> list[str]:
    """Issue details for one text: each note, and each rejection reason with its count."""
    details = [f"{reason} at character {position}" for position, reason in found.notes]
    by_reason: dict[str, list[int]] = {}
    for position, reason in found.rejected:
        by_reason.setdefault(reason, []).append(position)
    for reason, positions in by_reason.items():
        if len(positions) == 1:
            details.append(f"link candidate skipped: {reason} at character {positions[0]}")
        else:
            details.append(
                f"{len(positions)} link candidates skipped: {reason} (first at character {positions[0]})"
            )
    return details


@functools.cache
def _prefilter() -> str | None:
    """A Rust-regex (polars) pattern that matches every text in which :func:`extract_links` finds anything.

    The scanner's start pattern needs either a scheme separator ("://", "[:]//" ...) or a dot
    form with a host character on each side; this pattern asks for just that, without the
    look-arounds polars cannot run.  ``[\\p{L}\\p{N}\\p{M}_-]`` contains every character of
    Python's ``\\w`` (tests/test_links.py checks all code points), so the filter can only let
    too much through, never too little.  None when the rules' patterns are not valid there.
    """
    rules = load_rules()
    word = r"[\p{L}\p{N}\p{M}_-]"
    separators = "|".join(f"(?:{f.pattern})" for f in rules.separators)
    dots = "|".join(f"(?:{f.pattern})" for f in rules.dots)
    pattern = f"(?i)(?:{separators})|{word}(?:{dots}){word}"
    try:
        pl.Series(["x"]).str.contains(pattern)
    except pl.exceptions.PolarsError:
        return None
    return pattern


def link_candidates(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """The rows of ``frame`` whose ``column`` text may hold a link candidate, in order.

    Most comments hold no link; testing them all in one vectorised pass and scanning only the
    rest keeps the per-text Python work to the texts that have something to find.  Texts over
    :data:`MAX_TEXT_CHARS` always stay (their scan reports the unscanned part).  Dropped rows
    are exactly those for which :func:`extract_links` would return nothing.
    """
    pattern = _prefilter()
    if pattern is None:
        return frame.filter(pl.col(column).is_not_null())
    text = pl.col(column)
    return frame.filter(text.str.contains(pattern) | (text.str.len_chars() > MAX_TEXT_CHARS))


def visible_comments(comments: pl.DataFrame) -> pl.DataFrame:
    """Comments whose text is analysed (:func:`analyzer.core.textkinds.analysed`: removed ones with text too)."""
    from analyzer.core.textkinds import analysed

    return comments.filter(analysed() & ~pl.col("is_ghost"))


# --- Metrics --------------------------------------------------------------------------------


_T = ("thread",)
_REGISTRY: tuple[MetricInfo, ...] = (
    MetricInfo("n_links", ("thread", "comment", "domain", "cctld"), "links in visible comments (per scope subject)"),
    MetricInfo("n_article_links", _T, "links in the article body"),
    MetricInfo("n_text_comments", _T, "visible comments with text (the denominator N of the shares)"),
    MetricInfo("link_comment_share", _T, "comments with at least one link / N", "higher = more link sharing"),
    MetricInfo("links_per_comment", _T, "links / N"),
    MetricInfo("n_domains", _T, "distinct registered domains (host when there is none) among the links"),
    MetricInfo("n_sources", _T, "distinct sources: platform path (t.me/<channel> ...) else registered domain"),
    MetricInfo(
        "domain_hhi", _T, "Herfindahl-Hirschman index Σ s_d² of domain shares s_d (link counts); 1/n_domains .. 1",
        "higher = links concentrated on few domains", "Herfindahl 1950; Hirschman 1945",
    ),
    MetricInfo(
        "domain_entropy", _T, "Shannon entropy -Σ s_d log2 s_d of domain shares, in bits",
        "higher = more diverse sources", "Shannon 1948",
    ),
    MetricInfo("domain_entropy_norm", _T, "domain_entropy / log2(n_domains); null for fewer than 2 domains"),
    MetricInfo("cctld_link_share", _T, "share of links whose public suffix ends in a country code"),
    MetricInfo(
        "link_share", ("domain", "cctld"), "links of the subject (domain, or country code / 'generic') / all links",
    ),
    MetricInfo("n_linking_comments", ("domain",), "visible comments linking the domain at least once"),
    MetricInfo(
        "self_citation_share", _T, "links to the article's own site (registered domain of articles.url, else "
        "articles.site when it is a host) / links; null when the site is unknown",
    ),
    MetricInfo("mean_link_depth", _T, "mean depth (ghosts counted, top level = 1) of comments with a link"),
    MetricInfo("first_link_seq", _T, "seq (pre-order position, ghosts counted) of the first comment with a link"),
    MetricInfo(
        "first_link_position", _T, "k / N: k = 0-based rank, among visible comments in pre-order, of the first "
        "comment with a link; 0 = the first comment links",
    ),
    MetricInfo("obfuscated_share", _T, "share of links written obfuscated or defanged (hxxp, _____://, [.] ...)"),
    MetricInfo("in_quote_share", _T, "share of links inside quoted material (> lines, Zitat: blocks)"),
    MetricInfo(
        "rating_coverage", ("list",), "share of the thread's comment links whose domain has a rating in the list "
        "(subject_id = list name); always read ratings beside it",
    ),
    MetricInfo("n_rated", ("list",), "comment links with a rating in the list"),
    MetricInfo("mean_rating", ("list",), "mean numeric rating over rated links (lists with numeric ratings)"),
    MetricInfo("stale_list", ("list",), "1 when the list is older than the stale limit (stale_years), else 0"),
    MetricInfo("imputed_share", ("list",), "share of rated links whose rating the list marks as imputed"),
)
METRICS: dict[str, MetricInfo] = {m.name: m for m in _REGISTRY}


def describe(name: str) -> MetricInfo:
    """Look a link metric up by name, with a suggestion for near misses."""
    return lookup(METRICS, name, kind="link")


def hhi(counts: Sequence[int]) -> float | None:
    """Herfindahl-Hirschman index of counts: Σ s_i², s_i = c_i / Σ c; None when empty.

    References:
        Hirschman (1945), National Power and the Structure of Foreign Trade; Herfindahl (1950).
    """
    total = sum(counts)
    if total <= 0:
        return None
    return sum((c / total) ** 2 for c in counts)


def entropy_bits(counts: Sequence[int]) -> float | None:
    """Shannon entropy of the distribution given by counts, in bits; None when empty.

    References:
        Shannon (1948), A Mathematical Theory of Communication.
    """
    total = sum(counts)
    if total <= 0:
        return None
    return -sum((c / total) * math.log2(c / total) for c in counts if c > 0)


def site_domain(url: str | None, site: str | None) -> str | None:
    """Registered domain of the article's own site: from ``url``, else ``site`` if it is a host."""
    for candidate in (url, site):
        if not candidate:
            continue
        found = extract_links(candidate.strip()).links
        if found and found[0].registered_domain:
            return found[0].registered_domain
    return None


# Thread-scope metrics in the order they are written (one block of rows per thread).
_THREAD_METRICS = (
    "n_links", "n_article_links", "n_text_comments", "link_comment_share", "links_per_comment", "n_domains",
    "n_sources", "domain_hhi", "domain_entropy", "domain_entropy_norm", "cctld_link_share",
    "self_citation_share", "mean_link_depth", "first_link_seq", "first_link_position", "obfuscated_share",
    "in_quote_share",
)
_DOMAIN_METRICS = ("n_links", "link_share", "n_linking_comments")
_CCTLD_METRICS = ("n_links", "link_share")
_LIST_METRICS = ("rating_coverage", "n_rated", "mean_rating", "stale_list", "imputed_share")
# Row order of the thread-level scopes: per article, its thread block, then domains, country
# codes and lists (domains and codes sorted by subject, lists in the order given).
_ORDER = ("_a", "_b", "_i", "_s", "_m")
_F = pl.Float64


def _python_floats(values: pl.Series, fn: Any) -> pl.Series:
    """``fn`` applied by Python to each distinct value, so results match the scalar formulas bit for bit.

    Polars computes ``x ** 2`` and ``log2`` with other routines than Python's ``math``, which
    differ in the last bit now and then; the distinct shares and counts are few, so this is cheap.
    """
    distinct = values.drop_nulls().unique().to_list()
    return values.replace_strict(distinct, [fn(v) for v in distinct], default=None, return_dtype=_F)


_SCOPES = ("thread", "domain", "cctld", "list")  # by block number


def _long(frame: pl.DataFrame, block: int, subject: str, metrics: Sequence[str], index: int = 0) -> pl.DataFrame:
    """Wide per-subject values as long rows with the sort keys of :data:`_ORDER`."""
    wide = frame.select(
        "_a", "article_id", pl.col(subject).alias("subject_id"), *(pl.col(m).cast(_F) for m in metrics)
    )
    return wide.unpivot(index=["_a", "article_id", "subject_id"], on=list(metrics), variable_name="metric").select(
        "_a",
        pl.lit(block, dtype=pl.Int32).alias("_b"),
        pl.lit(index, dtype=pl.Int32).alias("_i"),
        pl.col("subject_id").alias("_s") if block in (1, 2) else pl.lit("").alias("_s"),
        pl.col("metric").replace_strict(list(metrics), list(range(len(metrics))), return_dtype=pl.Int32).alias("_m"),
        "article_id",
        pl.lit(_SCOPES[block]).alias("scope"),
        "subject_id",
        "metric",
        "value",
    )


def _per_link(comment_links: pl.DataFrame) -> pl.DataFrame:
    """One row per comment link with its domain key, source key and country code."""
    suffixes = comment_links.get_column("suffix").drop_nulls().unique().to_list()
    return comment_links.select(
        "article_id",
        "comment_id",
        "registered_domain",
        pl.coalesce("registered_domain", "host").alias("key"),
        pl.coalesce("platform_path", "registered_domain", "host").alias("source"),
        pl.col("suffix").replace_strict(suffixes, [cctld(s) for s in suffixes], default=None, return_dtype=pl.String)
        .alias("code"),
        pl.col("obfuscation").is_not_null().cast(_F).alias("obfuscated"),
        pl.col("in_quote").cast(_F),
    )


def _domain_counts(lk: pl.DataFrame) -> pl.DataFrame:
    """Per (article, domain key): links, linking comments, share, and the HHI / entropy terms.

    Domains keep the order of their first link, and the per-thread sums below run in that
    order (``cum_sum`` is a sequential scan), as the scalar :func:`hhi` and :func:`entropy_bits` sum.
    """
    dom = (
        lk.group_by("article_id", "key", maintain_order=True)
        .agg(n_links=pl.len(), n_linking_comments=pl.col("comment_id").n_unique())
        .with_columns(link_share=pl.col("n_links") / pl.col("n_links").sum().over("article_id"))
    )
    return dom.with_columns(
        _sq=_python_floats(dom.get_column("link_share"), lambda s: s**2),
        _term=_python_floats(dom.get_column("link_share"), lambda s: s * math.log2(s)),
    )


def _thread_frame(
    arts: pl.DataFrame, visible: pl.DataFrame, lk: pl.DataFrame, dom: pl.DataFrame, links: pl.DataFrame
) -> pl.DataFrame:
    """One row per article with every thread-scope metric (columns :data:`_THREAD_METRICS`)."""
    n_text = visible.group_by("article_id").agg(n_text_comments=pl.len())
    n_article = links.filter(pl.col("comment_id").is_null()).group_by("article_id").agg(n_article_links=pl.len())
    linked = lk.select("article_id", "comment_id").unique()
    linking = visible.join(linked, on=["article_id", "comment_id"], how="semi")
    first = linking.group_by("article_id").agg(
        n_linking=pl.len(), mean_link_depth=pl.col("depth").cast(_F).mean(), first_link_seq=pl.col("seq").min()
    )
    # 0-based rank of the first linking comment among the thread's visible comments by seq.
    rank = (
        visible.join(first.select("article_id", "first_link_seq"), on="article_id")
        .filter(pl.col("seq") < pl.col("first_link_seq"))
        .group_by("article_id")
        .agg(rank=pl.len())
    )
    per_links = lk.group_by("article_id").agg(
        n_links=pl.len(),
        n_sources=pl.col("source").n_unique(),
        n_known=pl.col("code").is_not_null().sum(),
        n_country=(pl.col("code") != "generic").sum(),
        obfuscated_share=pl.col("obfuscated").mean(),
        in_quote_share=pl.col("in_quote").mean(),
    )
    concentration = dom.group_by("article_id", maintain_order=True).agg(
        n_domains=pl.len(),
        domain_hhi=pl.col("_sq").cum_sum().last(),
        domain_entropy=-pl.col("_term").cum_sum().last(),
    )
    # The site's own domain matters only where there are links; it costs a URL parse per thread.
    with_links = arts.join(per_links.select("article_id"), on="article_id", how="semi")
    own = pl.DataFrame(
        {
            "article_id": with_links.get_column("article_id"),
            "own": [site_domain(u, s) for u, s in with_links.select("url", "site").iter_rows()],
        },
        schema={"article_id": pl.String, "own": pl.String},
    )
    self_share = (
        lk.join(own, on="article_id")
        .group_by("article_id")
        .agg(self_citation_share=(pl.col("registered_domain") == pl.col("own")).cast(_F).mean())
    )
    wide = arts.select("_a", "article_id")
    for part in (n_text, n_article, first, rank, per_links, concentration, self_share):
        wide = wide.join(part, on="article_id", how="left")
    wide = wide.with_columns(
        pl.col("n_links", "n_article_links", "n_text_comments", "n_domains", "n_sources", "n_linking", "rank")
        .fill_null(0)
    )
    has_text = pl.col("n_text_comments") > 0
    wide = wide.with_columns(
        _log2_domains=_python_floats(wide.get_column("n_domains"), lambda n: math.log2(n) if n >= 2 else None)
    )
    return wide.with_columns(
        link_comment_share=pl.when(has_text).then(pl.col("n_linking") / pl.col("n_text_comments")),
        links_per_comment=pl.when(has_text).then(pl.col("n_links") / pl.col("n_text_comments")),
        domain_entropy_norm=pl.when(pl.col("n_domains") >= 2).then(pl.col("domain_entropy") / pl.col("_log2_domains")),
        cctld_link_share=pl.when(pl.col("n_known") > 0).then(pl.col("n_country") / pl.col("n_known")),
        first_link_position=pl.when(pl.col("first_link_seq").is_not_null()).then(
            pl.col("rank") / pl.col("n_text_comments")
        ),
    )


def _list_frames(
    arts: pl.DataFrame, thread: pl.DataFrame, ratings: pl.DataFrame | None, list_info: Sequence[dict[str, Any]]
) -> list[pl.DataFrame]:
    """Long rows of the ``list`` scope: every article once per list, coverage 0 included."""
    if not list_info:
        return []
    if ratings is None:
        ratings = pl.DataFrame(schema=schemas.LINK_RATINGS)
    rated = (
        ratings.filter(pl.col("comment_id").is_not_null())
        .group_by("article_id", "list_name")
        .agg(
            n_rated=pl.len(),
            mean_rating=pl.col("rating").cast(_F).mean(),
            imputed_share=pl.col("imputed").cast(_F).mean(),
        )
    )
    base = arts.select("_a", "article_id").join(thread.select("article_id", "n_links"), on="article_id", how="left")
    out = []
    for index, info in enumerate(list_info):
        mine = rated.filter(pl.col("list_name") == info["name"]).drop("list_name")
        stale = None if info.get("stale") is None else float(bool(info["stale"]))
        wide = (
            base.join(mine, on="article_id", how="left")
            .with_columns(pl.col("n_rated").fill_null(0), subject=pl.lit(info["name"], dtype=pl.String))
            .with_columns(
                rating_coverage=pl.when(pl.col("n_links") > 0).then(pl.col("n_rated") / pl.col("n_links")),
                stale_list=pl.lit(stale, dtype=_F),
            )
        )
        out.append(_long(wide, 3, "subject", _LIST_METRICS, index))
    return out


def compute_link_metrics(
    links: pl.DataFrame,
    comments: pl.DataFrame,
    articles: pl.DataFrame,
    ratings: pl.DataFrame | None = None,
    list_info: Sequence[dict[str, Any]] = (),
) -> pl.DataFrame:
    """Link metrics of every thread as a long METRICS frame (scopes in the module docstring).

    Only links of visible comments count (the article's own links are ``n_article_links``).
    Every scope is computed with whole-frame group-bys (no per-thread frame filtering), so the
    cost grows with the number of links and comments, not with threads times anything.

    Args:
        links: LINKS rows (comment and article links).
        comments: the forest's COMMENTS frame.
        articles: the forest's ARTICLES frame.
        ratings: LINK_RATINGS rows (:mod:`analyzer.domains.ratings`), if any lists are used.
        list_info: one dict per list used (``name``, ``stale``), so a coverage of 0 is reported too.
    """
    visible = visible_comments(comments).select("article_id", "comment_id", "seq", "depth")
    comment_links = links.filter(pl.col("comment_id").is_not_null())
    arts = articles.select("article_id", "url", "site").with_row_index("_a")
    lk = _per_link(comment_links)
    dom = _domain_counts(lk)
    thread = _thread_frame(arts, visible, lk, dom, links)
    known = lk.filter(pl.col("code").is_not_null())
    codes = (
        known.group_by("article_id", "code")
        .agg(n_links=pl.len())
        .with_columns(link_share=pl.col("n_links") / pl.col("n_links").sum().over("article_id"))
    )
    on_articles = arts.select("_a", "article_id")
    parts = [
        _long(thread.with_columns(pl.col("article_id").alias("subject")), 0, "subject", _THREAD_METRICS),
        _long(on_articles.join(dom, on="article_id"), 1, "key", _DOMAIN_METRICS),
        _long(on_articles.join(codes, on="article_id"), 2, "code", _CCTLD_METRICS),
        *_list_frames(arts, thread, ratings, list_info),
    ]
    thread_rows = pl.concat(parts, how="vertical").sort(_ORDER).select(schemas.METRICS.names())
    # Comment scope: one row per visible comment (0 when it has no link).
    per_comment = (
        visible.select("article_id", "comment_id")
        .join(comment_links.group_by("article_id", "comment_id").agg(n=pl.len()), on=["article_id", "comment_id"], how="left")
        .select(
            "article_id",
            pl.lit("comment").alias("scope"),
            pl.col("comment_id").alias("subject_id"),
            pl.lit("n_links").alias("metric"),
            pl.col("n").fill_null(0).cast(pl.Float64).alias("value"),
        )
    )
    return pl.concat([schemas.conform(thread_rows, schemas.METRICS), schemas.conform(per_comment, schemas.METRICS)], how="vertical")


# --- Stage ----------------------------------------------------------------------------------


def run_stage(ctx: StageContext) -> StageResult:
    """The ``links`` stage: links.parquet, link metrics, ratings from the installed lists.

    Settings: :class:`analyzer.stages.declarations.links.LinksSettings` (which lists, their
    folder, when a list is stale).
    """
    from analyzer.domains import ratings as ratings_mod
    from analyzer.stages.context import StageResult

    comments = ctx.forest.comments
    articles = ctx.forest.articles
    visible = visible_comments(comments)
    # Only texts that may hold a candidate are scanned (see link_candidates): the rest yield
    # no link, no rejection and no issue, so skipping them changes nothing but the time.
    bodies = link_candidates(articles.select("article_id", pl.lit(None, dtype=pl.String), "body"), "body")
    texts: list[tuple[str, str | None, str | None]] = list(bodies.iter_rows())
    texts += list(link_candidates(visible.select("article_id", "comment_id", "text"), "text").iter_rows())
    tally = LinkTally()
    links, issues = links_frame(texts, tally)
    settings = ctx.settings_of(LinksSettings)
    lists, list_issues = ratings_mod.load_lists(
        names=settings.domain_lists,
        folder=settings.domains_dir,
        stale_years=settings.stale_years,
        reference_date=settings.ratings_reference_date,
    )
    issues += list_issues
    rated = ratings_mod.rate_links(links, lists)
    metrics = compute_link_metrics(
        links, comments, articles, rated, [{"name": x.name, "stale": x.stale} for x in lists]
    )
    frames = {"links.parquet": links}
    frames["link_ratings.parquet"] = rated
    # The link accounting (analyzer.accounting.link_counts): n_found = n_link_rows + n_rejected,
    # and n_link_rows (counted as rows were made) = n_links (the frame's height).  The "n_"
    # prefix marks them as data, not run context (analyzer.jobs.scheduled compares the rest).
    manifest = {
        "n_found": tally.found,
        "n_link_rows": tally.rows,
        "n_rejected": tally.rejected,
        "n_links": links.height,
        "n_obfuscated": int(links.get_column("obfuscation").is_not_null().sum()),
        # Redirect wrappers unwrapped (the target is rated; the wrapper is in links.redirect),
        # and links through shorteners whose target cannot be known offline (t.co, bit.ly ...).
        "n_unwrapped": int(links.get_column("redirect").is_not_null().sum()),
        "n_shortened": int(links.get_column("registered_domain").is_in(sorted(load_rules().shorteners)).sum()),
        "domain_lists": [x.provenance_summary() for x in lists],
    }
    return StageResult(frames=frames, metrics=metrics, issues=issues, manifest=manifest)
