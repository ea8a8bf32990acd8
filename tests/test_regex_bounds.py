"""Every regular expression the analyzer applies to text runs in linear time on adversarial input.

The patterns are collected from the modules themselves (module-level patterns, also inside
tuples, dicts and dataclasses, plus the few built by factories), so a new pattern is tested
without being listed here.  Each runs over 100,000-character strings built to provoke
backtracking (runs of "a", ".", "http://", "@", "&#", "<p", "-", blanks, newlines and mixes).
There is no timed assertion: a superlinear pattern takes hours on these strings and trips the
suite's hang guard (tests/conftest.py HANG_LIMIT_S); the audit figures (time at n and 4n) are
printed by ``python -m tests.test_regex_bounds``.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

import analyzer

# Not applied to untrusted text: benchmarks, the fuzzing harness, synthetic data generators.
SKIPPED_MODULES = ("tests.bench.throughput", "tests.bench.fuzz", "tests.bench.synth", "analyzer.__main__")

# Patterns used only anchored at one position (``pattern.match(text, pos)`` a bounded number
# of times), never scanned across a text: tested that way.  A scan (finditer) over a run of
# newlines would be quadratic for these, and no caller does that.
ANCHORED_ONLY = {
    "analyzer.ingest.pagetext._NEXT_LINE": "matched at the end of sampled item lines only",
    "analyzer.ingest.signedbelow._TIME_TAIL": "matched right after a date match only (seconds, AM/PM, Uhr)",
    "analyzer.ingest.html_comments.generic._BYLINE_AFTER_NAME": "fullmatched against the rest of one byline only",
    "analyzer.ingest.textshapes._DATE_TAIL": "matched right after a date match in one line only (seconds, zone, glued age)",
}

UNITS = ["a", ".", "http://", "@", "&#", "<p", "-", " ", "\n", "www.", "x" * 63 + ".", "h**ps://", "> ", "\t"]
MIXED = "http://a.@&#<p- .\n" * 3 + "ä👍"
N = 100_000


def adversarial(n: int = N) -> dict[str, str]:
    """Strings of about ``n`` characters, by name."""
    strings = {repr(u): (u * (n // len(u) + 1))[:n] for u in UNITS}
    strings["mixed"] = (MIXED * (n // len(MIXED) + 1))[:n]
    strings["url-then-junk"] = "https://example.com/" + "a" * (n - 40) + "\u00a0!"
    return strings


def _walk(value: Any, name: str, depth: int = 0) -> Iterator[tuple[str, re.Pattern[str]]]:
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            yield name, value
        return
    if depth >= 4 or isinstance(value, (str, bytes, int, float, type)) or callable(value):
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{name}[{key!r}]", depth + 1)
    elif isinstance(value, (tuple, list, frozenset, set)):
        for i, item in enumerate(value):
            yield from _walk(item, f"{name}[{i}]", depth + 1)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from _walk(getattr(value, field.name), f"{name}.{field.name}", depth + 1)


def _factories() -> Iterator[tuple[str, Any]]:
    """Patterns built at run time: the link scanner, indentation patterns, the tokenizer's
    column expression, stance cue lexicons."""
    from analyzer.ingest import pagetext
    from analyzer.stages.links import patterns as link_patterns
    from analyzer.stages.nlp import regex_tokenizer
    from analyzer.stages.stance import inventory

    yield "analyzer.stages.links._patterns()", link_patterns._patterns()
    for indent in (None, 0, 8):
        yield f"analyzer.ingest.pagetext._shallow_lines({indent})", pagetext._shallow_lines(indent)
    yield "analyzer.ingest.pagetext._deeper_line(4)", pagetext._deeper_line(4)
    for language in ("de", "en"):
        # The tokenizer's rest expression as Python's re reads it (long columns only).
        yield f"analyzer.stages.nlp.regex_tokenizer.column_rest({language!r}).pattern", regex_tokenizer.column_rest(language).pattern
    for language in ("de", "en"):
        found = inventory.packaged(language)
        if found is not None:
            yield f"analyzer.stages.stance.inventory.packaged({language!r})", found


def collect() -> dict[str, re.Pattern[str]]:
    """Every distinct compiled pattern of the analyzer package, by a name saying where it lives."""
    found: dict[str, re.Pattern[str]] = {}
    seen: set[tuple[str, int]] = set()

    def add(name: str, pattern: re.Pattern[str]) -> None:
        key = (pattern.pattern, pattern.flags)
        if key not in seen:
            seen.add(key)
            found[name] = pattern

    for info in pkgutil.walk_packages(analyzer.__path__, "analyzer."):
        if info.name.startswith(SKIPPED_MODULES):
            continue
        module = importlib.import_module(info.name)
        for attr, value in vars(module).items():
            for name, pattern in _walk(value, f"{info.name}.{attr}"):
                add(name, pattern)
    for root, value in _factories():
        for name, pattern in _walk(value, root):
            add(name, pattern)
    return found


PATTERNS = collect()


def run(name: str, pattern: re.Pattern[str], text: str) -> int:
    """Apply a pattern the way its callers do; returns the number of matches."""
    if name in ANCHORED_ONLY:
        return sum(pattern.match(text, pos) is not None for pos in (0, 1, len(text) // 2))
    return sum(1 for _ in pattern.finditer(text))


def test_the_audit_sees_the_patterns_that_matter() -> None:
    names = "\n".join(PATTERNS)
    assert len(PATTERNS) > 80
    for expected in ("links._patterns().start", "ingest.patterns", "ingest.pagetext", "framing.quote_markup",
                     "stance.inventory.packaged('de')", "ingest.htmltext"):
        assert expected in names, expected


# Slow: over 300 patterns × adversarial strings take about 25 s idle, an eighth of the fast
# loop; CI runs it with the full suite, and `python -m tests.test_regex_bounds` prints timings.
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_finishes_on_adversarial_strings(name: str) -> None:
    pattern = PATTERNS[name]
    for text in adversarial().values():
        assert run(name, pattern, text) >= 0


def main() -> int:
    """Print seconds at n and 4n for every pattern and string; flag ratios above 6 (linear is 4)."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 25_000
    small, large = adversarial(n), adversarial(4 * n)
    worst: list[tuple[float, str, str, float, float]] = []
    for name, pattern in PATTERNS.items():
        for key in small:
            times = []
            for text in (small[key], large[key]):
                start = time.process_time()
                run(name, pattern, text)
                times.append(time.process_time() - start)
            ratio = times[1] / max(times[0], 1e-6)
            worst.append((times[1], name, key, times[0], ratio))
    worst.sort(reverse=True)
    print(f"{len(PATTERNS)} patterns x {len(small)} strings, n = {n}")
    for t_large, name, key, t_small, ratio in worst[:10]:
        flag = "  SUPERLINEAR?" if ratio > 6 and t_large > 0.05 else ""
        print(f"{t_small:8.4f}s -> {t_large:8.4f}s (x{ratio:4.1f})  {name}  on {key}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
