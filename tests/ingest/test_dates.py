"""Comment dates in the forms real pages print (issue 12), parsed by analyzer.ingest.dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from analyzer.ingest.dates import parse_date, unparsed_issue

NOW = datetime(2019, 6, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # WordPress themes (forms from issue 12's real pages; the sentences are ours)
        ("19. Juni 2019 / 6:16", datetime(2019, 6, 19, 6, 16, tzinfo=UTC)),
        ("8. April 2019 @ 11:38", datetime(2019, 4, 8, 11, 38, tzinfo=UTC)),
        ("March 11th, 2015 at 02:57", datetime(2015, 3, 11, 2, 57, tzinfo=UTC)),
        ("17. Januar 2022 um 10:15 Uhr", datetime(2022, 1, 17, 10, 15, tzinfo=UTC)),
        ("19.06.2019 um 6:16", datetime(2019, 6, 19, 6, 16, tzinfo=UTC)),
        # other languages
        ("26 abril 2022 a las 14:02", datetime(2022, 4, 26, 14, 2, tzinfo=UTC)),
        ("12 juin 2018 à 14 h 05", datetime(2018, 6, 12, 14, 5, tzinfo=UTC)),
        ("1er mars 2018 à 10h05", datetime(2018, 3, 1, 10, 5, tzinfo=UTC)),
        ("3 marzo 2017 alle 10:12", datetime(2017, 3, 3, 10, 12, tzinfo=UTC)),
        ("5 maart 2019 om 12:00", datetime(2019, 3, 5, 12, 0, tzinfo=UTC)),
        ("5 marca 2019 o 12:00", datetime(2019, 3, 5, 12, 0, tzinfo=UTC)),
        ("21 февраля 2017 в 12:51", datetime(2017, 2, 21, 12, 51, tzinfo=UTC)),
        # machine forms (fast paths)
        ("Wed Jan 07 11:14:38 +0000 2015", datetime(2015, 1, 7, 11, 14, 38, tzinfo=UTC)),
        ("2019-06-19T06:16:00+02:00", datetime(2019, 6, 19, 4, 16, tzinfo=UTC)),
        ("2019-06-19 06:16:00Z", datetime(2019, 6, 19, 6, 16, tzinfo=UTC)),
        ("1434456789", datetime(2015, 6, 16, 12, 13, 9, tzinfo=UTC)),
        ("1434456789000", datetime(2015, 6, 16, 12, 13, 9, tzinfo=UTC)),
    ],
)
def test_absolute_forms(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["Antworten", "Reply", "12 thoughts on", "Juni 2019", "", "   ", "x" * 500])
def test_non_dates_are_none(text: str) -> None:
    assert parse_date(text) is None


def test_relative_dates_need_the_capture_time() -> None:
    assert parse_date("vor 3 Stunden") is None
    assert parse_date("vor 3 Stunden", now=NOW) == NOW - timedelta(hours=3)
    assert parse_date("2 days ago", now=NOW) == NOW - timedelta(days=2)
    assert parse_date("gestern um 10:00", now=NOW) == datetime(2019, 6, 19, 10, 0, tzinfo=UTC)


def test_yearless_dates_take_the_year_from_the_article_or_the_capture() -> None:
    assert parse_date("Jun 20th at 2:41 am") is None  # no year, nothing to anchor it
    after = datetime(2014, 11, 3, tzinfo=UTC)
    assert parse_date("Jun 20th at 2:41 am", after=after) == datetime(2015, 6, 20, 2, 41, tzinfo=UTC)
    assert parse_date("Dec 1st at 9:00 pm", after=after) == datetime(2014, 12, 1, 21, 0, tzinfo=UTC)
    assert parse_date("Jun 22nd at 2:41 am", now=NOW) == datetime(2018, 6, 22, 2, 41, tzinfo=UTC)


def test_day_month_order_and_zone_settings() -> None:
    assert parse_date("06/07/2019 10:00", date_order="DMY") == datetime(2019, 7, 6, 10, 0, tzinfo=UTC)
    assert parse_date("06/07/2019 10:00", date_order="MDY") == datetime(2019, 6, 7, 10, 0, tzinfo=UTC)
    cet = timezone(timedelta(hours=1))
    assert parse_date("17. Januar 2022 um 10:15 Uhr", tz=cet) == datetime(2022, 1, 17, 9, 15, tzinfo=UTC)
    assert parse_date("2022-01-17 10:15", tz=cet) == datetime(2022, 1, 17, 9, 15, tzinfo=UTC)


def test_unparsed_issue_names_the_text() -> None:
    issue = unparsed_issue("am Tag danach", path="p.html", line=3, comment_id="7")
    assert (issue.code, issue.line, issue.comment_id) == ("unparsed-date", 3, "7")
    assert "am Tag danach" in issue.detail


@pytest.mark.parametrize(
    ("text", "days"),
    [("vor einem Tag", 1), ("ein Tag her", 1), ("1 Tag her", 1), ("a day ago", 1), ("vor einem Jahr", 365)],
)
def test_singular_elapsed_forms_with_a_word_for_one(text: str, days: int) -> None:
    """The word for one counts as 1, and the singular unit as its plural: both forms give the same date."""
    now = datetime(2023, 5, 3, 12, 0, tzinfo=UTC)
    assert parse_date(text, now=now) == now - timedelta(days=days)


def test_day_month_comma_year() -> None:
    """A theme's "d.m, Y" ("Comment by Anna — 18.07, 2011 @ 10:44"); a price before a year is no date."""
    assert parse_date("18.07, 2011 @ 10:44") == datetime(2011, 7, 18, 10, 44, tzinfo=UTC)
    assert parse_date("Preis 3.50, 2011") is None


@pytest.mark.parametrize(
    ("text", "languages", "expected"),
    [
        # A numeric date, a connector word, a time: with every language tried, the French form
        # was read as the year 11 (a French board; session 11 worked around it in the HTML
        # readers only).  Every caller gets the date now.
        ("12-03-2015 à 10:11:12", None, datetime(2015, 3, 12, 10, 11, 12, tzinfo=UTC)),
        ("12-03-2015 à 10:11:12", ("fr",), datetime(2015, 3, 12, 10, 11, 12, tzinfo=UTC)),
        ("07/11/2021 à 9h40", None, datetime(2021, 11, 7, 9, 40, tzinfo=UTC)),
        ("2015-03-12 à 10:11", None, datetime(2015, 3, 12, 10, 11, tzinfo=UTC)),
        ("04-05-2019 a las 18:30", ("es",), datetime(2019, 5, 4, 18, 30, tzinfo=UTC)),
        ("04-05-2019 at 6:30 pm", ("en",), datetime(2019, 4, 5, 18, 30, tzinfo=UTC)),  # English: month first
    ],
)
def test_numeric_date_with_a_word_before_its_time(
    text: str, languages: tuple[str, ...] | None, expected: datetime
) -> None:
    assert parse_date(text, languages=languages) == expected


def test_the_connector_word_is_dropped_only_between_a_numeric_date_and_a_time() -> None:
    from analyzer.ingest.dates import joined_date_time

    assert joined_date_time("12-03-2015 à 10:11:12") == "12-03-2015 10:11:12"
    assert joined_date_time("  3.4.2020 um 7.05") == "  3.4.2020 7.05"
    assert joined_date_time("12 juin 2018 à 14 h 05") == "12 juin 2018 à 14 h 05"  # no numeric date first
    assert joined_date_time("12-03-2015 at home") == "12-03-2015 at home"  # no time after the word


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12-Ноя-16 10:38", datetime(2016, 11, 12, 10, 38, tzinfo=UTC)),
        ("14-Nov-16 09:28", datetime(2016, 11, 14, 9, 28, tzinfo=UTC)),
        ("3/Mär/09 7:05", datetime(2009, 3, 3, 7, 5, tzinfo=UTC)),
    ],
)
def test_two_digit_year_after_a_month_word_between_dashes(text: str, expected: datetime) -> None:
    # A board's "DD-Mon-YY hh:mm" went the year-less way and stayed unparsed.
    assert parse_date(text) == expected


def test_a_number_after_a_month_word_between_blanks_is_no_year() -> None:
    assert parse_date("12 Juni 16 Uhr") is None


@pytest.mark.parametrize("text", ["2009-12-07 07:24 UTC", "2009-12-07 07:24 GMT", "2009-12-07 07:24utc"])
def test_an_iso_date_with_a_utc_zone_name_is_utc_on_the_fast_path(text: str) -> None:
    # The zone name wins over the page's local zone, and the fast path takes it (dateparser
    # took ~2-170 ms for each such date: a long board archive read at 0.17 MB/s).
    from zoneinfo import ZoneInfo

    from analyzer.ingest.dates import parse_date_fast

    expected = datetime(2009, 12, 7, 7, 24, tzinfo=UTC)
    assert parse_date(text, tz=ZoneInfo("Europe/Berlin")) == expected
    assert parse_date_fast(text, tz=ZoneInfo("Europe/Berlin")) == expected
