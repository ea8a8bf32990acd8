"""Page patterns: each pattern against the lines that motivated it, and against look-alikes."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.ingest import patterns
from tests.conftest import HANG_LIMIT_S


@pytest.mark.parametrize(
    ("line", "count"),
    [
        ("12 Antworten", 12),
        ("Eine Antwort", 1),
        ("12 Kommentare", 12),
        ("12 Comments", 12),
        ("3 Responses to “Ein Titel”", 3),
        ("One Reply", 1),
        ("One Reply to “A Small Comet Passes Close to Earth”", 1),
        ("12 Antworten auf „Neue Details“", 12),
        ("0 Kommentare", 0),
        ("1.234 Kommentare", 1234),
        ("71955 Antworten", 71955),
        ("Ein Gedanke zu „Neue Details“", 1),
        ("2 Gedanken zu „Neue Details“", 2),
        ("  34 Antworten  ", 34),
    ],
)
def test_comment_header(line: str, count: int) -> None:
    assert patterns.parse_comment_header(line) == count


@pytest.mark.parametrize(
    "line",
    ["Antworten", "12 Antworten gab es nicht.", "Die 12 Antworten", "Reply", "Es gibt zwei Antworten darauf, und keine gefällt mir."],
)
def test_not_a_comment_header(line: str) -> None:
    assert patterns.parse_comment_header(line) is None


@pytest.mark.parametrize(
    ("content", "ordinal", "text"),
    [("1. Zitat:", "1", "Zitat:"), ("12.", "12", None), ("3) und dann", "3", "und dann"), ("2.\tTab", "2", "Tab")],
)
def test_list_item(content: str, ordinal: str, text: str | None) -> None:
    match = patterns.LIST_ITEM.match(content)
    assert match is not None
    assert (match.group("ordinal"), match.group("text")) == (ordinal, text)


@pytest.mark.parametrize(
    "content",
    ["1.Zitat", "3.5 Prozent", "17. Januar 2022 um 10:15 Uhr", "3. März 2023", "-1. nein", "1234567. zu lang"],
)
def test_not_a_list_item(content: str) -> None:
    assert patterns.LIST_ITEM.match(content) is None


def test_list_item_lines_find_indent_and_skip_dates() -> None:
    text = "  1. A\n    17. Januar 2022 um 10:15 Uhr\n\n    3. März war ich dort\n"
    found = [(m.group("indent"), m.group("ordinal")) for m in patterns.LIST_ITEM_LINES.finditer(text)]
    assert found == [("  ", "1"), ("    ", "3")]


@pytest.mark.parametrize("line", ["Antworten", "Reply", "Antworten ↓", "  reply  "])
def test_reply_link(line: str) -> None:
    assert patterns.REPLY_LINK.match(line)


@pytest.mark.parametrize("line", ["Antworten gibt es keine.", "Reply to all"])
def test_not_a_reply_link(line: str) -> None:
    assert not patterns.REPLY_LINK.match(line)


def test_embedded_markers() -> None:
    assert patterns.EMBED_START.match("Beginn der Übersetzung:")
    assert patterns.EMBED_START.match("Beginning of the translation")
    assert patterns.EMBED_END.match("Ende der Übersetzung")
    assert patterns.EMBED_END.match("Ende des Zitats.")
    assert not patterns.EMBED_START.match("Beginn der Übersetzung war schwierig, sagt er.")


def test_article_furniture_patterns() -> None:
    assert patterns.PROMOTION_START.match("In meinem neuen Buch „Dunkle Netze“ beschreibe ich …")
    assert patterns.PROMOTION_START.match("Hier geht es zum neuen Buch")
    assert not patterns.PROMOTION_START.match("Das Buchhaltungsprogramm stürzte ab.")
    assert patterns.ADVERTISING.match("Werbung")
    assert not patterns.ADVERTISING.match("Werbung ist überall.")
    box = patterns.AUTHOR_BOX.match("Autor: Anti-Spiegel")
    assert box is not None and box.group("author") == "Anti-Spiegel"
    byline = patterns.BYLINE.match("Von Anna-Lena Beispiel, 17. Januar 2022")
    assert byline is not None and byline.group("author") == "Anna-Lena Beispiel"
    assert patterns.BYLINE.match("By Jane Holloway, March 3, 2023").group("author") == "Jane Holloway"  # type: ignore[union-attr]
    assert patterns.BYLINE.match("Von Anfang an war klar, dass es so kommt") is None
    assert patterns.NAVIGATION.match("Teilen:")


def test_trailer_and_closed() -> None:
    assert patterns.TRAILER.match("Schreibe einen Kommentar")
    assert patterns.TRAILER.match("Leave a Reply")
    assert patterns.TRAILER.match("Leave a Reply to Tom Baker")
    assert patterns.COMMENTS_CLOSED.match("Kommentare sind geschlossen.")
    assert patterns.COMMENTS_CLOSED.match("Comments are closed.")


def test_author_and_date_lines() -> None:
    author = patterns.AUTHOR_LINE.match("Max Muster sagt:")
    assert author is not None and author.group("author") == "Max Muster"
    assert patterns.AUTHOR_LINE.match("Jane Doe says:").group("author") == "Jane Doe"  # type: ignore[union-attr]
    assert patterns.parse_date_line("17. Januar 2022 um 10:15 Uhr") == datetime(2022, 1, 17, 10, 15, tzinfo=UTC)
    assert patterns.parse_date_line("January 17, 2022 at 12:05 am") == datetime(2022, 1, 17, 0, 5, tzinfo=UTC)
    assert patterns.parse_date_line("17. Foo 2022") is None
    assert "märz" in patterns.DE_MONTH_NAMES


def test_function_words_are_disjoint_enough() -> None:
    shared = patterns.FUNCTION_WORDS["de"] & patterns.FUNCTION_WORDS["en"]
    assert len(shared) <= 2, shared


@pytest.mark.parametrize(
    "pattern",
    [
        patterns.LIST_ITEM,
        patterns.REPLY_LINK,
        patterns.EMBED_START,
        patterns.EMBED_END,
        patterns.PROMOTION_START,
        patterns.ADVERTISING,
        patterns.AUTHOR_BOX,
        patterns.BYLINE,
        patterns.NAVIGATION,
        patterns.COMMENT_HEADER,
        patterns.AUTHOR_LINE,
    ],
)
def test_patterns_do_not_backtrack_catastrophically(pattern: object) -> None:
    hostile = [
        "1" * 5000 + ".",
        "Von " + "Aa " * 3000 + "1",
        " " * 5000 + "x",
        "1. " + "a " * 5000 + "\u00a0",
        "Autor: " + "x" * 5000,
        "12 " + "Antworten " * 500 + "!",
    ]
    started = time.process_time()
    for text in hostile:
        pattern.match(text)  # type: ignore[attr-defined]
        pattern.search(text)  # type: ignore[attr-defined]
    assert time.process_time() - started < HANG_LIMIT_S


def test_list_item_lines_group_numbers() -> None:
    """pagetext._candidates reads the groups by number (speed): keep their order."""
    from analyzer.ingest import patterns

    assert patterns.LIST_ITEM_LINES.groupindex == {"indent": 1, "ordinal": 2, "text": 3}


def test_fast_german_date_path_agrees_with_the_pattern() -> None:
    from analyzer.ingest import patterns

    for line in ("17. Januar 2022 um 10:15 Uhr", "1. Mai 2020", "3. März 2021 um 9:05", "31. Februar 2022"):
        fast = patterns._fast_de_date(line, patterns.UTC)
        match = patterns.DE_DATE_LINE.match(line)
        assert (fast is None) == (match is None or line.startswith("31."))
        assert fast == patterns.parse_date_line(line)


_DATE_PIECES = ["1", "09", "17", "31", "123", "٣", "²", ".", " ", "  ", "\t", "Januar", "märz", "Jänner", "MAI",
                "Foo", "2022", "20221", "um", "Um", "10:15", "9:05", "25:00", "1:5", "Uhr", "uhr", "\u00a0"]


@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=10))
@settings(max_examples=600, deadline=None)
def test_canonical_date_path_equals_the_split_path(pieces: list[str]) -> None:
    """The one-match path of _fast_de_date gives exactly what the word split gives (speed only)."""
    from analyzer.ingest import patterns

    for line in ("".join(pieces), " ".join(pieces)):
        assert patterns._fast_de_date(line, patterns.UTC) == patterns._split_de_date(line, patterns.UTC)


def test_canonical_date_path_examples() -> None:
    from analyzer.ingest import patterns

    assert patterns._fast_de_date("3. März 2021 um 9:05 Uhr", patterns.UTC) == datetime(2021, 3, 3, 9, 5, tzinfo=UTC)
    assert patterns._fast_de_date("3. März 2021", patterns.UTC) == datetime(2021, 3, 3, tzinfo=UTC)
    assert patterns._fast_de_date("31. Februar 2022 um 10:15", patterns.UTC) is None
    assert patterns._fast_de_date("3. Foo 2021", patterns.UTC) is None
    # Other spacing takes the split path, same answer.
    assert patterns._fast_de_date(" 3.  März 2021\tum 9:05 Uhr ", patterns.UTC) == datetime(2021, 3, 3, 9, 5, tzinfo=UTC)


def test_one_reply_vocabulary_feeds_every_reply_pattern() -> None:
    """patterns.REPLY_WORDS is the single source: every word is a reply link, a reply button,
    comment furniture, and (when short enough) HTML reply-button evidence."""
    from analyzer.ingest.html_comments import signs

    for word in patterns.REPLY_WORDS:
        for form in (word, word.upper(), f"  {word} »", f"{word} ↓"):
            assert patterns.REPLY_LINK.match(form), form
            assert patterns.REPLY_BUTTON.match(form), form
            assert patterns.COMMENT_FURNITURE.match(form), form
        assert signs.is_reply_button(word) == (len(word) < 20)
    for text in ("Antworten Sie bitte", "Reply all", "Répondre à cet article", "Replying"):
        assert not patterns.REPLY_LINK.match(text)
        assert not patterns.REPLY_BUTTON.match(text)
        assert not signs.is_reply_button(text)


@given(st.lists(st.sampled_from([*"aArRlLоО回返xX ↓»\t", "Antworten", "Reply", "Log in to Reply", "Ответить", "ſ"]),
                max_size=8).map("".join))
@settings(max_examples=400, deadline=None)
def test_reply_link_prefilter_is_exact(line: str) -> None:
    """pagetext._is_reply_link answers like REPLY_LINK itself (its set and first-letter filters are speed only)."""
    from analyzer.ingest import pagetext

    assert pagetext._is_reply_link(line) == (patterns.REPLY_LINK.match(line) is not None)


@pytest.mark.parametrize("line", ["vor einem Tag", "1 Tag her", "ein Jahr her", "vor 1 Jahr", "Vor einem Tag"])
def test_german_singular_units_are_relative_date_lines(line: str) -> None:
    """Tag and Jahr are units like their plurals (one pattern, no special case for the singular)."""
    assert patterns.relative_date_line(line)


@pytest.mark.parametrize("line", ["1 Tag", "ein Jahr", "Vor einem Tag war ich dort"])
def test_singular_units_without_direction_or_with_prose_are_not(line: str) -> None:
    assert not patterns.relative_date_line(line)
