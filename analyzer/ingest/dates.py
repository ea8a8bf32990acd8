"""Comment dates as pages and exports print them, in eight languages, parsed to UTC.

Why a library: comment sections print dates in as many forms as there are themes and
locales ("19. Juni 2019 / 6:16", "8. April 2019 @ 11:38", "March 11th, 2015 at 02:57",
"Jun 20th at 2:41 am", "26 abril 2022 a las 14:02", "vor 3 Stunden"); hand-written patterns
lost the date on 5 of 9 real WordPress pages (issue 12).  ``dateparser`` (BSD-3-Clause,
scrapinghub; multilingual month names, ordinals, relative dates) does the general case.  It
is imported lazily (about 60 ms plus 0.2 s for the first multilingual call) so readers that
only meet ISO stamps never pay for it, and it is configured so it never looks anything up:
no language detection model, no local time zone (``TIMEZONE`` is fixed), no network (it has
no network code; this module passes only strings and settings).

Fast paths run first and cover what big exports carry: ISO 8601 (``datetime.fromisoformat``),
Unix epoch numbers, the Twitter API form ``Wed Jan 07 11:14:38 +0000 2015`` (which
dateparser does not read) and numeric ``DD.MM.YYYY[ HH:MM]``.

Contract (:func:`parse_date`): an aware UTC datetime, or ``None``; ``None`` means "not
understood" and the caller reports an ``unparsed-date`` issue (see :func:`unparsed_issue`).
Dates without a zone are read in the zone given (UTC by default).  Dates that need an anchor
are resolved against what the caller knows and refused otherwise, never against the wall
clock of the machine running the analysis:

* relative dates ("vor 3 Stunden", "2 days ago") need ``now`` (the capture time);
* dates without a year ("Jun 20th at 2:41 am") take the year that puts them at or after
  ``after`` (the article's publication: comments follow it) or, failing that, the latest
  year not after ``now``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from typing import Any, Literal

from analyzer.core.records import ParseIssue, Severity

# The characters of CJK dates and ages (天 day, 小时 hour, 分 minute, 周 week, 月 month, 年 year,
# 日 day of month, 前 ago; Japanese 時間, Korean 일/시간/분/전).
_CJK_DATE_CHARS = re.compile(r"[天时時分秒周週月年日前후전일간초]")

__all__ = ["LANGUAGES", "DateOrder", "joined_date_time", "parse_date", "parse_date_fast", "unparsed_issue"]

# The languages of issue 12's comment sections (de/en/fr/es/it/nl/pl/ru).  dateparser tries
# them in this order; German first because most of our pages are German.
LANGUAGES: tuple[str, ...] = ("de", "en", "fr", "es", "it", "nl", "pl", "ru")
DateOrder = Literal["DMY", "MDY", "YMD"]

# Longest text worth trying: a date line with weekday, time and zone is under 80 characters;
# longer strings are sentences that happen to contain a number (and dateparser's cost grows
# with length).
MAX_DATE_CHARS = 120

_TWITTER = re.compile(
    r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4}$"
)
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d{1,6})?$")
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?")
_NUMERIC_DMY = re.compile(
    r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?:(?:\s*,|\s+um|\s*-|\s*//?|\s*@|\s*\||\s)\s*"
    r"(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2}))?(?:\s*Uhr)?)?$",
    re.IGNORECASE,
)
# Separators themes put between date and time that dateparser stumbles over ("/" reads as a
# date separator, "@" and "|" are unknown tokens) and French "14 h 05".
# A match starts only where a run of blanks starts, and the run is taken whole (possessive):
# linear on long runs of blanks, where "\s+(?:…)" retried every position of the run (quadratic).
_SEPARATOR = re.compile(r"(?<!\s)\s++(?:(?://?|[@|•·–—-])\s+|@)|@\s+")
_FRENCH_HOUR = re.compile(r"\b(\d{1,2})\s*h\s*(\d{2})\b")
# Ordinal suffixes dateparser does not strip in every language ("March 11th", "1er mars").
_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th|er|ème|º|ª)\b", re.IGNORECASE)
_RELATIVE_HINT = re.compile(
    r"\b(?:ago|vor|il y a|hace|fa|geleden|temu|назад|yesterday|gestern|today|heute|hier|ayer|ieri|"
    r"gisteren|wczoraj|вчера|сегодня|hoy|oggi|vandaag|dzisiaj|aujourd)", re.IGNORECASE
)
# A year: four digits, "'16", "12.11.16", or a two-digit year after a month word between dashes
# or slashes ("12-Ноя-16 10:38", "12-Nov-16": boards print dates so; without it the date went
# the year-less way and stayed unparsed).
_HAS_YEAR = re.compile(
    r"(?<!\d)(?:1[89]|2[01])\d{2}(?!\d)|'\d{2}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2}\b"
    r"|(?<!\d)\d{1,2}[-/][^\W\d_]{3,12}\.?[-/]\d{2}(?!\d)"
)
_ZONE_SLACK = timedelta(hours=14)
# Month names (genitive forms where the language declines them) of the eight languages and
# Portuguese, for the textual fast path.  Anything this path does not match goes to dateparser.
_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january januar jänner janvier enero gennaio januari stycznia styczeń января январь janeiro",
        "february februar février febrero febbraio februari lutego luty февраля февраль fevereiro",
        "march märz maerz mars marzo maart marca marzec марта март março",
        "april avril abril aprile kwietnia kwiecień апреля апрель",
        "may mai mayo maggio mei maja maj мая май maio",
        "june juni juin junio giugno czerwca czerwiec июня июнь junho",
        "july juli juillet julio luglio lipca lipiec июля июль julho",
        "august août agosto augustus sierpnia sierpień августа август",
        "september septembre septiembre setiembre settembre września wrzesień сентября сентябрь setembro",
        "october oktober octobre octubre ottobre października październik октября октябрь outubro",
        "november novembre noviembre listopada listopad ноября ноябрь",
        "december dezember décembre diciembre dicembre grudnia grudzień декабря декабрь dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
# Abbreviations: a prefix of 3+ letters that belongs to one month only ("Okt", "déc.", "sept").
_MONTH_PREFIXES: dict[str, int] = {}
for _name, _number in list(_MONTHS.items()):
    for _end in range(3, len(_name)):
        _MONTH_PREFIXES.setdefault(_name[:_end], _number)
        if _MONTH_PREFIXES[_name[:_end]] != _number:
            _MONTH_PREFIXES[_name[:_end]] = 0  # ambiguous ("jui" = juin or juillet)
_MONTH = r"(?P<month>[^\W\d_]{3,12})\.?"
_TIME = (
    r"(?:\s*,?\s*(?:um|at|às|à|a\s+las|a\s+la|alle|om|o|в|@|//?|[-–|,]|kl\.?)?\s*"
    r"(?P<hour>\d{1,2})\s*[:h.]\s*(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?|uhr|h)?)?"
)
_LEAD = r"^(?:[^\W\d_]{2,12}\.?,?\s+)?(?:le|am|el|il|den|op|dnia)?\s*"
# "19. Juni 2019 / 6:16", "Le 11 septembre 2018 à 12:57", "26 abril 2022 a las 14:02",
# "21 февраля 2017 в 12:51", "13 Dezember, 2015 um 01:10", "Wed, 3 Mar 2021 10:00".
_DAY_MONTH_YEAR = re.compile(
    _LEAD + r"(?P<day>\d{1,2})(?:\.|º|er|st|nd|rd|th)?\s*(?:de\s+)?" + _MONTH + r"(?:\s+de)?,?\s+(?P<year>\d{4})"
    + _TIME + r"\s*$",
    re.IGNORECASE,
)
# "March 11th, 2015 at 02:57", "Juli 30, 2013 um 5:53 pm", "März 7, 2018".
_MONTH_DAY_YEAR = re.compile(
    _LEAD + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME + r"\s*$",
    re.IGNORECASE,
)
_HAS_DIGIT_OR_WORD = re.compile(r"\d|[^\W\d_]{3,}")


def parse_date(
    text: str | None,
    *,
    now: datetime | None = None,
    after: datetime | None = None,
    languages: Sequence[str] | None = None,
    date_order: DateOrder | None = None,
    tz: tzinfo = UTC,
) -> datetime | None:
    """Parse one comment date to an aware UTC datetime, or ``None`` when not understood.

    Args:
        text: the date as printed ("19. Juni 2019 / 6:16", "2015-03-11T02:57:00Z", ...).
        now: the capture time, when known; anchors relative dates and year-less dates.
        after: a time the date cannot precede (the article's publication), for year-less dates.
        languages: ISO 639-1 codes to try, page language first; default :data:`LANGUAGES`.
        date_order: order of numeric day/month/year ("03/04/2019"); default from the language.
        tz: the zone of dates printed without one (pages print local time; UTC unless known).

    >>> parse_date("19. Juni 2019 / 6:16").isoformat()
    '2019-06-19T06:16:00+00:00'
    >>> parse_date("Wed Jan 07 11:14:38 +0000 2015").isoformat()
    '2015-01-07T11:14:38+00:00'
    >>> parse_date("vor 3 Stunden") is None  # relative, and no capture time given
    True
    """
    if text is None:
        return None
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > MAX_DATE_CHARS or not _HAS_DIGIT_OR_WORD.search(cleaned):
        return None
    if "," in cleaned:
        cleaned = _DAY_MONTH_COMMA_YEAR.sub(r"\1.\2.\3", cleaned)
    fast = _fast_path(cleaned, tz)
    if fast is not None:
        return fast
    if _CJK_DATE_CHARS.search(cleaned):
        # "21 天", "3 小时前", "5 月 6 日", "2021 年 4 月": a CJK locale's ages and dates (cjkdates.py),
        # which dateparser reads only in part; ages only against the capture time.
        from analyzer.ingest.cjkdates import date_line as cjk_date_line
        from analyzer.ingest.cjkdates import parse_cjk

        got = parse_cjk(cleaned, now.astimezone(UTC) if now is not None else None)
        if got is not None:
            return got.astimezone(UTC) if got.tzinfo is not None else _to_utc(got, tz)
        if cjk_date_line(cleaned):
            return None  # understood as a CJK age or date, but not placeable without the capture time
    span = _elapsed(cleaned)
    if span is not None:
        # "12 Stunden 33 Minuten her", "1 Monat her", "3 hours 5 minutes ago": only against
        # the capture time (never the wall clock).
        return None if now is None else _minus(now.astimezone(UTC), span)
    langs = tuple(languages) if languages else LANGUAGES
    relative = bool(_RELATIVE_HINT.search(cleaned))
    if relative and now is None:
        return None  # "vor 3 Stunden" means nothing without the time of capture
    if not relative and not _date_shaped(cleaned):
        return None  # no month name, numeric date or time: spares dateparser's ~15 ms
    prepared = _prepare(cleaned)
    if not relative and not _HAS_YEAR.search(prepared):
        return _yearless(prepared, langs, date_order, tz, now, after)
    base = now.astimezone(UTC).replace(tzinfo=None) if now is not None else None
    if date_order is None and langs[0] != "en":
        date_order = "DMY"  # every language here but English writes the day first
    parsed = _dateparser(prepared, langs, date_order, _zone_name(tz), base)
    return _to_utc(parsed, tz) if parsed is not None else None


def parse_date_fast(text: str | None, *, tz: tzinfo = UTC) -> datetime | None:
    """Only the fast paths of :func:`parse_date` (ISO, epoch, Twitter, numeric and textual
    day-month-year): for bulk columns, where dateparser's ~15 ms per string would not do."""
    if text is None:
        return None
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > MAX_DATE_CHARS:
        return None
    return _fast_path(cleaned, tz)


def unparsed_issue(
    text: str,
    *,
    path: str | None,
    line: int | None = None,
    article_id: str | None = None,
    comment_id: str | None = None,
    severity: Severity = "info",
) -> ParseIssue:
    """The ``unparsed-date`` issue for a date that :func:`parse_date` did not understand.

    One shape for every reader, so a user can grep a run's issues for the forms still missed.
    Info by default, as the readers have always reported it: the comment is kept, only its
    time is missing (reply latency skips it).
    """
    who = f"comment {comment_id}: " if comment_id else ""
    return ParseIssue(
        "unparsed-date",
        f"{who}date {text[:80]!r} not understood; created_at left empty",
        severity,
        path,
        line,
        article_id,
        comment_id,
    )


# --- Fast paths ----------------------------------------------------------------------------


# A zone name after an ISO date and time ("2009-12-07 07:24 UTC", a board archive's every post):
# UTC itself.  Without this the text went to dateparser, ~2-170 ms each, and a long thread of
# such dates read at 0.17 MB/s (session 12).
_ISO_UTC_NAME = re.compile(r"\s?(?:UTC|GMT)$", re.IGNORECASE)


def _fast_path(text: str, tz: tzinfo) -> datetime | None:
    if _ISO_START.match(text) and _ISO_UTC_NAME.search(text):
        text, tz = _ISO_UTC_NAME.sub("", text), UTC
    if _ISO_START.match(text):
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            return _to_utc(parsed, tz)
    if _EPOCH.match(text):
        value = float(text)
        if value > 1e11:  # milliseconds (a seconds value this large is past the year 5000)
            value /= 1000
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if _TWITTER.match(text):
        try:
            return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)
        except ValueError:
            return None
    textual = _textual(text, tz)
    if textual is not None:
        return textual
    match = _NUMERIC_DMY.match(text)
    if match:
        try:
            local = datetime(
                int(match["y"]), int(match["m"]), int(match["d"]),
                int(match["H"] or 0), int(match["M"] or 0), int(match["S"] or 0),
            )
        except ValueError:
            return None
        return _to_utc(local, tz)
    return None


_NUMERIC_SHAPE = re.compile(r"\d{1,4}\s*[./-]\s*\d{1,2}|\d{1,2}\s*[:h]\s*\d{2}")
_WORD = re.compile(r"[^\W\d_]{3,}")


def _date_shaped(text: str) -> bool:
    """A day number plus a month name, a numeric date, or a time: what an absolute date needs
    before dateparser is worth asking ("happyface313", an author name, is not one)."""
    if not any(ch.isdigit() for ch in text):
        return False
    if _NUMERIC_SHAPE.search(text):
        return True
    return any(_month_number(word) for word in _WORD.findall(text))


def _month_number(token: str) -> int | None:
    token = token.lower().rstrip(".")
    number = _MONTHS.get(token) or _MONTH_PREFIXES.get(token)
    return number or None


def _textual(text: str, tz: tzinfo) -> datetime | None:
    """Day, month name, year and optional time, the forms comment sections print most.

    A fast path (dateparser takes about 15 ms per distinct string with eight languages,
    this about 5 µs); what it does not match exactly goes to dateparser.
    """
    if not any(ch.isalpha() for ch in text):
        return None
    match = _DAY_MONTH_YEAR.match(text) or _MONTH_DAY_YEAR.match(text)
    if match is None:
        return None
    month = _month_number(match["month"])
    if month is None:
        return None
    hour = int(match["hour"]) if match["hour"] else 0
    ampm = (match["ampm"] or "").replace(".", "").replace(" ", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        local = datetime(
            int(match["year"]), month, int(match["day"]), hour,
            int(match["minute"]) if match["minute"] else 0, int(match["second"]) if match["second"] else 0,
        )
    except ValueError:
        return None
    return _to_utc(local, tz)


# --- dateparser ----------------------------------------------------------------------------


# The word a locale prints between a numeric date and its time ("12-03-2015 à 10:11:12",
# "03/12/2015 at 10:11", "12-03-2015 a las 10:11"): with several languages tried, dateparser
# read the French form as the year 11 (a French board, session 11); without the word every
# language reads it.  Only after a numeric date (the text starts with one) and before a time.
_NUMERIC_DATE_START = re.compile(r"\s{0,8}\d{1,4}[-./]\d{1,2}[-./]\d{1,4}(?!\d)")
_DATE_TIME_WORD = re.compile(
    r"\s{1,8}(?:à|a|at|um|o|om|alle|a\s{1,8}las|a\s{1,8}la|às|в|kl\.?)\s{1,8}(?=\d{1,2}\s*[:h.]\s*\d{2})",
    re.IGNORECASE,
)


def joined_date_time(text: str) -> str:
    """A date text with the word between its numeric date and its time dropped
    ("12-03-2015 à 10:11:12" -> "12-03-2015 10:11:12"); other texts unchanged."""
    match = _NUMERIC_DATE_START.match(text)
    if match is None:
        return text
    word = _DATE_TIME_WORD.match(text, match.end())
    return text if word is None else text[: match.end()] + " " + text[word.end():]


def _prepare(text: str) -> str:
    text = joined_date_time(text)
    text = _FRENCH_HOUR.sub(r"\1:\2", text)
    text = _SEPARATOR.sub(" ", text)
    return _ORDINAL.sub(r"\1", text).strip(" ,;:-")


def _yearless(
    text: str,
    langs: tuple[str, ...],
    date_order: DateOrder | None,
    tz: tzinfo,
    now: datetime | None,
    after: datetime | None,
) -> datetime | None:
    """A date printed without its year: the year comes from the article or the capture time."""
    if now is None and after is None:
        return None
    # Parse against a leap-year base so "Feb 29" survives; then move to the right year.
    parsed = _dateparser(text, langs, date_order, _zone_name(tz), datetime(2000, 1, 1))
    if parsed is None:
        return None
    local = parsed.replace(tzinfo=None)
    years: list[int] = []
    if after is not None:
        years = [after.year, after.year + 1]
    elif now is not None:
        years = [now.year, now.year - 1]
    for year in years:
        try:
            candidate = _to_utc(local.replace(year=year), tz)
        except ValueError:  # Feb 29 in a common year
            continue
        # Slack of 14 hours: the page prints local time, the anchors are UTC (UTC+14 at most).
        if after is not None and candidate >= after - _ZONE_SLACK:
            return candidate
        if after is None and now is not None and candidate <= now + _ZONE_SLACK:
            return candidate
    return None


def _zone_name(tz: tzinfo) -> str:
    if tz is UTC:
        return "UTC"
    key = getattr(tz, "key", None)  # zoneinfo.ZoneInfo
    if isinstance(key, str):
        return key
    offset = tz.utcoffset(None)
    if offset is None:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@lru_cache(maxsize=8192)
def _dateparser(
    text: str,
    langs: tuple[str, ...],
    date_order: DateOrder | None,
    zone: str,
    base: datetime | None,
) -> datetime | None:
    """One dateparser call with settings that never consult the machine or the network.

    Cached: a page repeats few distinct strings per minute, and big tables repeat forms.
    """
    # Lazy (about 60 ms to import), only when a date needs it; through importlib because the
    # package ships no type information (its results are checked below).
    dateparser = importlib.import_module("dateparser")

    settings: dict[str, Any] = {
        "TIMEZONE": zone,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_DATES_FROM": "past",
        "STRICT_PARSING": False,
        # A comment date names at least its day and month; "2019" alone is not one.
        "REQUIRE_PARTS": ["day", "month"],
    }
    if base is not None:
        settings["RELATIVE_BASE"] = base
    if date_order is not None:
        settings["DATE_ORDER"] = date_order
    try:
        parsed = dateparser.parse(text, languages=list(langs), settings=settings)
    except (ValueError, OverflowError, TypeError, AttributeError):
        # dateparser raises on some degenerate inputs ("31.02.", huge numbers); not a date.
        return None
    return parsed if isinstance(parsed, datetime) else None


def _to_utc(value: datetime, tz: tzinfo) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(UTC)


# "18.07, 2011 @ 10:44": a theme's day.month, year (round 6, a WordPress theme's "Comment by … —"
# signature line): read as 18.07.2011.
_DAY_MONTH_COMMA_YEAR = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2}), ?((?:19|20)\d{2})(?!\d)")


# --- elapsed-time forms and the capture time ------------------------------------------------------

# Units of elapsed-time phrases in German and English, singular and plural, with the unit a
# timedelta or a month count takes.  Comment plugins print these (wpDiscuz: "12 Stunden
# 33 Minuten her", "1 Monat her"), which dateparser does not read ("her" is the German "ago" here).
_UNITS: dict[str, tuple[str, int]] = {
    **dict.fromkeys(("sekunde", "sekunden", "second", "seconds", "sec", "secs", "sek"), ("seconds", 1)),
    **dict.fromkeys(("minute", "minuten", "minutes", "min", "mins"), ("minutes", 1)),
    **dict.fromkeys(("stunde", "stunden", "hour", "hours", "std", "hr", "hrs"), ("hours", 1)),
    **dict.fromkeys(("tag", "tage", "tagen", "day", "days"), ("days", 1)),
    **dict.fromkeys(("woche", "wochen", "week", "weeks"), ("weeks", 1)),
    **dict.fromkeys(("monat", "monate", "monaten", "month", "months"), ("months", 1)),
    **dict.fromkeys(("jahr", "jahre", "jahren", "year", "years"), ("months", 12)),
}
# An amount is a number or the word for one ("vor einem Tag", "ein Jahr her", "a day ago"; the
# page-text reader anchors such lines since round 6, patterns.RELATIVE_DATE_LINE).
_ONE_WORDS = frozenset({"einem", "einer", "eine", "ein", "an", "a", "one"})
_AMOUNT = r"(?:\d{1,4}|einem|einer|eine|ein|an|a|one)"
_ELAPSED_PART = re.compile(r"(\d{1,4}|einem|einer|eine|ein|an|a|one)\s+([A-Za-z]{1,9})\.?|(\d{1,4})([A-Za-z]{1,9})\.?",
                           re.IGNORECASE)
# "vor 3 Stunden 5 Minuten", "3 Stunden 5 Minuten her", "3 hours, 5 minutes ago".
_ELAPSED = re.compile(
    r"^(?:vor\s+)?(?P<parts>" + _AMOUNT + r"\s*[A-Za-z]{1,9}\.?(?:(?:\s*,\s*|\s+und\s+|\s+and\s+|\s+)\d{1,4}\s*[A-Za-z]{1,9}\.?){0,3})"
    r"(?P<tail>\s+(?:her|ago|zuvor))?$",
    re.IGNORECASE,
)


def _elapsed(text: str) -> tuple[timedelta, int] | None:
    """An elapsed-time phrase as (time span, months), or None when the text is not one.

    Needs "vor" before or "her"/"ago"/"zuvor" after: "3 Tage" alone is a duration, not a date.
    """
    match = _ELAPSED.match(text)
    if match is None or not (text.lower().startswith("vor") or match.group("tail")):
        return None
    span = timedelta()
    months = 0
    for word, word_unit, digits, glued_unit in _ELAPSED_PART.findall(match.group("parts")):
        number = "1" if word.lower() in _ONE_WORDS else (word or digits)
        unit = word_unit or glued_unit
        known = _UNITS.get(unit.lower())
        if known is None:
            return None
        name, factor = known
        if name == "months":
            months += int(number) * factor
        else:
            span += timedelta(**{name: int(number) * factor})
    return span, months


def _minus(now: datetime, elapsed: tuple[timedelta, int]) -> datetime:
    """``now`` minus a span and a number of calendar months (the day clipped to the month's end)."""
    span, months = elapsed
    moment = now - span
    if months:
        total = moment.year * 12 + moment.month - 1 - months
        year, month = divmod(total, 12)
        month += 1
        last = (datetime(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
        moment = moment.replace(year=year, month=month, day=min(moment.day, last))
    return moment


# Where a saved page says when it was made, most specific first.  The relative dates a page
# prints ("vor 2 Stunden") were computed at that moment, so it anchors them.
#  - a web.archive.org snapshot: every rewritten link carries the capture stamp /web/YYYYMMDDhhmmss/;
#  - SingleFile's header comment "saved date: Thu Oct 12 2023 10:22:33 GMT+0200 (…)";
#  - page-cache plugins' footer comments "Cached page generated by WP-Super-Cache on
#    2022-02-02 12:33:21", "Page generated by LiteSpeed Cache 4.4.1 on 2022-04-21 19:54:00",
#    "Served from: host @ 2020-01-01 10:00:00 by W3 Total Cache" (server time, read as UTC).
_ARCHIVE_STAMP = re.compile(r"/web/((?:19|20)\d{12})(?:[a-z]{2}_)?/https?:")
_SINGLEFILE = re.compile(r"saved date:\s*([A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2} \d{4} \d{2}:\d{2}:\d{2}) GMT([+-]\d{4})")
_CACHE_STAMP = re.compile(
    r"<!--[^<>]{0,160}?(?:generated|cached|optimized|served from)[^<>]{0,160}?(?:\bon\b|@)\s*"
    r"((?:19|20)\d{2}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2})[^<>]{0,120}?-->",
    re.IGNORECASE,
)


def capture_time(html: str) -> tuple[datetime, str] | None:
    """When a saved page was made, and where that was read, or None when the page does not say.

    Reads only what the page states (an archive snapshot stamp, a saving tool's header, a
    page cache's footer comment); never the file's modification time, which copying changes.
    """
    stamps = _ARCHIVE_STAMP.findall(html)
    if stamps:
        stamp = max(set(stamps), key=stamps.count)  # the page's own stamp outnumbers embedded ones
        return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC), f"web.archive.org snapshot {stamp}"
    single = _SINGLEFILE.search(html)
    if single:
        local = datetime.strptime(single.group(1), "%a %b %d %Y %H:%M:%S")
        offset = single.group(2)
        delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
        moment = (local - delta if offset[0] == "+" else local + delta).replace(tzinfo=UTC)
        return moment, "SingleFile's saved date"
    cached = _CACHE_STAMP.findall(html[-20000:])  # footer comments
    if cached:
        moment = datetime.fromisoformat(cached[-1].replace("T", " ")).replace(tzinfo=UTC)
        return moment, f"page cache comment ({cached[-1]}, server time read as UTC)"
    return None
