"""The link scanner's bounds and regular expressions, assembled once from the packaged rules."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from analyzer.domains.rules import load_rules

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
    (tests/stages/links/test_links.py checks both with the network and the home folder guarded).
    """
    import tldextract  # lazy: keeps `import analyzer.stages.links` cheap

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)
