"""Property tests of link extraction: always returns, offsets point into the text."""

from __future__ import annotations

import os
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.stages.links import extract_links
from tests.bench.fuzz import Checker
from tests.conftest import HANG_LIMIT_S
from tests.fuzz.conftest import assert_allowed
from tests.fuzz.strategies import NASTY, spliced

# ANALYZER_FUZZ_EXAMPLES raises the example count for a longer local run.
FUZZ = settings(
    max_examples=int(os.environ.get("ANALYZER_FUZZ_EXAMPLES", "80")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# URL pieces: schemes (defanged too), hosts, punctuation that ends or continues a link.
URL_PIECES = st.sampled_from([
    "http://", "https://", "hxxp://", "hxxps[:]//", "www.", "example", ".com", "[.]", "(.)", "/",
    "?", "=", "&", "#", "%", "%2F", ":", "8080", "@", "(", ")", "[", "]", "<", ">", '"', "'", ".",
    ",", " ", "\n", "> ", "xn--", "ä", "‮", "\u200b", "t.co", "bit.ly", "[dot]", "(dot)", " punkt ",
    "localhost", "127.0.0.1", "[::1]", "ftp://", "mailto:", "file:///", "javascript:",
])


@FUZZ
@given(pieces=st.lists(st.one_of(URL_PIECES, st.sampled_from(NASTY), st.text(max_size=10)), max_size=40))
def test_url_like_text(checkers: dict[str, Checker], pieces: list[str]) -> None:
    assert_allowed(checkers["links"], "".join(pieces).encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.data())
def test_spliced_fixture_texts(checkers: dict[str, Checker], data: st.DataObject) -> None:
    assert_allowed(checkers["links"], data.draw(spliced("links")))


@FUZZ
@given(text=st.text())
def test_links_are_substrings_of_their_span(text: str) -> None:
    for link in extract_links(text).links:
        assert 0 <= link.start_char <= link.end_char <= len(text)


def test_long_repeats_finish() -> None:
    for piece in ("http://", "www.", "hxxp[:]//a[.]", "a.", "(", "[.]", "https://a.de/" + "(" * 3):
        text = piece * (100_000 // len(piece) + 1)
        began = time.process_time()
        extract_links(text)
        assert time.process_time() - began < HANG_LIMIT_S, piece
