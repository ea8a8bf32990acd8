"""Page patterns as data: comment headers, trailers, author and date lines.

Each pattern names the site, theme or platform that motivated it, and the fixture that
proves it.  Order matters where noted: earlier entries win.  Keep regexes anchored and
free of nested quantifiers (they run on untrusted text).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

# --- Comment section header ------------------------------------------------------------
# WordPress themes print the comment count above the list.  Twenty Twenty-One/-Two and
# most German themes: "12 Antworten" / "Eine Antwort" (reference page, fixtures/de_sample_page);
# Twenty Twelve-style and Jetpack: "12 Kommentare", "12 Comments"; Twenty Ten/Eleven:
# "12 Responses to “Title”" and "One Reply"/"One Response".
_NUMBER_WORDS = {
    "eine": 1, "ein": 1, "einen": 1, "one": 1, "zwei": 2, "two": 2, "drei": 3, "three": 3,
    "vier": 4, "four": 4, "fünf": 5, "five": 5, "sechs": 6, "six": 6, "sieben": 7,
    "seven": 7, "acht": 8, "eight": 8, "neun": 9, "nine": 9, "zehn": 10, "ten": 10,
    "keine": 0, "kein": 0, "no": 0,
}
_COUNT = r"(?P<count>\d{1,3}(?:[.,]\d{3})*|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_HEADER_NOUNS = (
    r"Antworten|Antwort|Kommentare|Kommentar|Comments|Comment|Responses|Response|Replies|Reply|"
    r"Gedanken|thoughts|thought|Reaktionen|Reaktion|Leserbriefe|Leserkommentare"
)
COMMENT_HEADER = re.compile(
    r"^\s*" + _COUNT + r"\s+(?:" + _HEADER_NOUNS + r")\b"
    r"(?:\s+(?:zu|to|on|auf|für|for)\s+.{0,300})?\s*:?\s*$",
    re.IGNORECASE,
)


def parse_comment_header(line: str) -> int | None:
    """Return the announced comment count if ``line`` is a comment-section header, else None.

    >>> parse_comment_header("12 Antworten"), parse_comment_header("One Reply")
    (12, 1)
    >>> parse_comment_header('3 Responses to “Ein Titel”')
    3
    """
    match = COMMENT_HEADER.match(line)
    if not match:
        return None
    raw = match.group("count").lower()
    if raw in _NUMBER_WORDS:
        return _NUMBER_WORDS[raw]
    return int(raw.replace(".", "").replace(",", ""))


# --- Comment section trailer -----------------------------------------------------------
# The reply form under the list marks the end of the comments.  WordPress core strings
# (de_DE and en_US translations) and common themes.
TRAILER_PHRASES = (
    "Schreibe einen Kommentar",  # WordPress de_DE (reference page)
    "Hinterlasse einen Kommentar",  # older de_DE themes
    "Kommentar verfassen",  # Jetpack comments, de_DE
    "Kommentar hinterlassen",
    "Antwort hinterlassen",
    "Leave a Reply",  # WordPress en_US
    "Leave a Comment",
    "Post a Comment",
    "Add a comment",
)
TRAILER = re.compile(
    r"^\s*(?:" + "|".join(re.escape(p) for p in TRAILER_PHRASES) + r")\b.{0,80}$",
    re.IGNORECASE,
)

# Pages whose discussion is closed say so instead of a form.
COMMENTS_CLOSED = re.compile(
    r"^\s*(?:Kommentare sind geschlossen|Die Kommentarfunktion ist geschlossen|"
    r"Comments are closed|Kommentarfunktion deaktiviert)\b.{0,80}$",
    re.IGNORECASE,
)

# --- Author and date lines -------------------------------------------------------------
# WordPress default comment meta: "Max Muster sagt:" (de_DE) / "Max Muster says:" (en_US).
AUTHOR_LINE = re.compile(r"^\s*(?P<author>\S.{0,80}?)\s+(?:sagt|says|schreibt|writes)\s*:\s*$", re.IGNORECASE)

_DE_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}
_EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
# "17. Januar 2022 um 10:15 Uhr" (de_DE comment date format).
DE_DATE_LINE = re.compile(
    r"^\s*(?P<day>\d{1,2})\.\s*(?P<month>[A-Za-zäÄ]+)\s+(?P<year>\d{4})"
    r"(?:\s*(?:um|,)\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?:\s*Uhr)?)?\s*$",
    re.IGNORECASE,
)
# "January 17, 2022 at 10:15 am" (en_US comment date format).
EN_DATE_LINE = re.compile(
    r"^\s*(?P<month>[A-Za-z]+)\s+(?P<day>\d{1,2}),\s*(?P<year>\d{4})"
    r"(?:\s*(?:at|,)\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?)?\s*$",
    re.IGNORECASE,
)


def parse_date_line(line: str, *, tz: timezone = timezone.utc) -> datetime | None:
    """Parse a WordPress comment date line (German or English) into an aware datetime.

    Times on pages carry no zone; they are read in ``tz`` (UTC unless the caller knows better).

    >>> parse_date_line("17. Januar 2022 um 10:15 Uhr").isoformat()
    '2022-01-17T10:15:00+00:00'
    >>> parse_date_line("January 17, 2022 at 10:15 pm").isoformat()
    '2022-01-17T22:15:00+00:00'
    """
    match = DE_DATE_LINE.match(line)
    months = _DE_MONTHS
    if not match:
        match = EN_DATE_LINE.match(line)
        months = _EN_MONTHS
    if not match:
        return None
    month = months.get(match.group("month").lower())
    if month is None:
        return None
    hour = int(match.group("hour") or 0)
    minute = int(match.group("minute") or 0)
    ampm = (match.groupdict().get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        return datetime(int(match.group("year")), month, int(match.group("day")), tzinfo=tz) + timedelta(
            hours=hour, minutes=minute
        )
    except ValueError:
        return None
