"""Dates and ages written in Chinese, Japanese and Korean, as comment systems print them.

A page saved with a Chinese, Japanese or Korean browser locale prints every comment's age in
that script: Discourse shows "21 天" (21 days) or "3 小时" beside each post, others "2 天前"
(2 days ago), "5時間前", "3일 전", and full dates as "5 月 6 日" or "2021 年 4 月".  The page-text
evidence (:mod:`analyzer.ingest.textsigns`) and the readers matched none of it, so a saved
thread read 0 comments with no word (issue 12, session 10: a Discourse topic in all 9 tools).

Only whole short lines count (an age is a meta line, never a word inside a sentence), and a
bare number with a unit is an age only in the units a comment header uses.  Parsing needs the
capture time for ages, as every relative date does (:mod:`analyzer.ingest.dates`).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

__all__ = ["age_line", "date_line", "parse_cjk"]

# Units of an age, with the span each stands for: (timedelta keyword, factor) or months.
_UNITS: dict[str, tuple[str, int]] = {
    **dict.fromkeys(("秒", "秒钟", "秒鐘", "초"), ("seconds", 1)),
    **dict.fromkeys(("分", "分钟", "分鐘", "分鐘前", "분"), ("minutes", 1)),
    **dict.fromkeys(("小时", "小時", "時間", "个小时", "個小時", "시간"), ("hours", 1)),
    **dict.fromkeys(("天", "日", "일"), ("days", 1)),
    **dict.fromkeys(("周", "週", "星期", "个星期", "週間", "주"), ("weeks", 1)),
    **dict.fromkeys(("个月", "個月", "ヶ月", "か月", "カ月", "개월", "달"), ("months", 1)),
    **dict.fromkeys(("年", "년"), ("months", 12)),
}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
# "21 天", "2 天前", "3 小时前", "5時間前", "3일 전", "15 天后" (Discourse's gap marker "15 days
# later" between posts is an age too, but of no post: :func:`age_line` tells it apart).  Bullets
# and separators around it are the tool's; nothing else may stand on the line.
_AGE = re.compile(r"^[\s•·●|*_-]{0,6}(?P<n>\d{1,3})\s?(?P<unit>" + _UNIT_RE + r")\s?(?P<dir>前|以前|전|后|後|후)?[\s•·|*_-]{0,6}$")
# "5 月 6 日", "2021 年 4 月", "2024年5月6日 12:30": a full date in the CJK order.
_DATE = re.compile(
    r"^[\s•·●|*_-]{0,6}(?:(?P<y>(?:19|20)\d{2})\s?年\s?)?(?P<m>1[0-2]|0?[1-9])\s?月(?:\s?(?P<d>3[01]|[12]\d|0?[1-9])\s?日)?"
    r"(?:\s{1,3}(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d))?[\s•·|*_-]{0,6}$"
)
_LATER = ("后", "後", "후")


def age_line(content: str) -> bool:
    """Whether a whole line is the age of a post ("21 天", "2 天前", "5時間前", "3일 전"); the
    gap marker between posts ("15 天后", fifteen days later) is not."""
    match = _AGE.match(content) if len(content) <= 24 else None
    return match is not None and match.group("dir") not in _LATER


def date_line(content: str) -> bool:
    """Whether a whole line is a post's age or a CJK date ("5 月 6 日", "2021 年 4 月")."""
    if len(content) > 32 or not any(c.isdigit() for c in content):
        return False
    if age_line(content):
        return True
    match = _DATE.match(content)
    # "4 月" alone is a month, not a date: a day or a year must come with it.
    return match is not None and bool(match.group("y") or match.group("d"))


def parse_cjk(text: str, now: datetime | None) -> datetime | None:
    """A CJK age or date as a datetime: ages against ``now`` (the capture time; None without
    it), dates without a year in ``now``'s year, or the year before when that would lie ahead."""
    content = text.strip()
    age = _AGE.match(content) if len(content) <= 24 else None
    if age is not None:
        if now is None or age.group("dir") in _LATER:
            return None
        name, factor = _UNITS[age.group("unit")]
        amount = int(age.group("n")) * factor
        if name != "months":
            return now - timedelta(**{name: amount})
        total = now.year * 12 + now.month - 1 - amount
        year, month = divmod(total, 12)
        return now.replace(year=year, month=month + 1, day=min(now.day, 28))
    match = _DATE.match(content)
    if match is None or not (match.group("y") or match.group("d")):
        return None
    month, day = int(match.group("m")), int(match.group("d") or 1)
    hour, minute = int(match.group("hh") or 0), int(match.group("mm") or 0)
    if match.group("y"):
        year = int(match.group("y"))
    elif now is not None:
        year = now.year if (month, day) <= (now.month, now.day) else now.year - 1
    else:
        return None  # "5 月 6 日" without a year and without a capture time: unknown year
    tz = now.tzinfo if now is not None else None
    try:
        return datetime(year, month, day, hour, minute, tzinfo=tz)
    except ValueError:
        return None
