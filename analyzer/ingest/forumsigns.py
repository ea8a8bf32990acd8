"""Signs of a forum thread (or a comment list without a heading) in a flat text capture.

A forum thread has no "12 Comments" heading: its posts follow the opening post directly, each
under a post header the board software repeats (the author's name, a rank, "Mitglied seit" /
"Joined" with a date, "Beiträge" / "Posts" with a count, the post's date, its ordinal "#2", and
"Zitieren" / "Quote" / "Antworten" buttons).  The page-text reader, built for article pages,
finds no comment section there and used to report nothing at all (held-out ``aside3`` pages,
round 5c: XenForo, vBulletin and Forumotion threads read 0 comments with no warning).

This module only collects the evidence; :func:`analyzer.ingest.pagetext._not_recognised` turns it
into a ``comments-not-recognised`` warning.  Labels are board-software vocabulary (German,
English, French, Spanish, Italian, Dutch), not page vocabulary.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from analyzer.ingest import capturelist, patterns

_PROFILE_LABEL = patterns.PROFILE_LABEL

# A post's ordinal in the thread: "#2", "• #2", "Beitrag #2", "Post #2", "#2 " (XenForo,
# vBulletin print it in the post header).  "# 2" with a space is a markdown heading, not this.
# The spaces after the word are the word's own: an optional "\s*" right after the leading
# class would let both take the same run of spaces (quadratic on a long blank line).
_POST_ORDINAL = re.compile(r"^[\s•*·-]*(?:(?:Beitrag|Post|Antwort|Message)\s*)?#(\d{1,5})\s*$", re.IGNORECASE)
# A quote button, the forum counterpart of a comment's reply button.
_QUOTE_BUTTON = re.compile(r"^[\s\[(|•□*+-]*(?:Zitieren|Zitat|Quote|Citer|Citar|Cita|Citeren)\b[\s\])]*$",
                           re.IGNORECASE)

# Each kind of evidence counts when it shows at least this often (a thread with an opening post
# and two replies; a single profile box is an author box of an article).
MIN_REPEATS = 3
# Profile lines count only with at least this many different labels ("Beiträge" and "Mitglied
# seit"): a post header shows several, a sidebar list repeats one.
MIN_LABELS = 2
# The post ordinals must mostly rise: at least this share of consecutive pairs increases
# (a numbered list of steps "#1 … #5" in an article rises too, so ordinals alone never warn).
ORDINAL_RISING_SHARE = 0.8


@dataclass(slots=True)
class ForumSigns:
    """What a capture shows of a forum thread: counts per kind and the first line of each."""

    profile: int = 0
    ordinals: list[int] = field(default_factory=list)
    quotes: int = 0
    buttons: int = 0
    dates: int = 0
    repeated_names: int = 0
    first_line: int | None = None
    header_lines: list[int] = field(default_factory=list)  # profile, ordinal and quote lines

    def kinds(self) -> list[str]:
        """The evidence kinds that reach :data:`MIN_REPEATS`, described for a warning."""
        out: list[str] = []
        if self.profile >= MIN_REPEATS:
            out.append(f"{self.profile} member-profile line(s) ('Beiträge', 'Mitglied seit', 'Joined')")
        if len(self.ordinals) >= MIN_REPEATS and _rising(self.ordinals):
            out.append(f"{len(self.ordinals)} post-ordinal line(s) ('#2')")
        if self.quotes >= MIN_REPEATS:
            out.append(f"{self.quotes} quote-button line(s)")
        if self.buttons >= MIN_REPEATS:
            out.append(f"{self.buttons} reply-button line(s)")
        if self.dates >= MIN_REPEATS:
            out.append(f"{self.dates} date line(s)")
        if self.repeated_names >= MIN_REPEATS:
            out.append(f"{self.repeated_names} short line(s) repeated as post headers")
        return out

    def is_thread(self) -> bool:
        """Whether the signs make a comment list without heading likely.

        A forum-specific sign (profile lines or rising post ordinals) and one more kind are
        needed: dates and buttons alone also appear in news lists and share bars.
        """
        kinds = self.kinds()
        specific = self.profile >= MIN_REPEATS or (len(self.ordinals) >= MIN_REPEATS and _rising(self.ordinals))
        return specific and len(kinds) >= 2


def _rising(ordinals: list[int]) -> bool:
    pairs = list(zip(ordinals, ordinals[1:], strict=False))
    return bool(pairs) and sum(b > a for a, b in pairs) >= ORDINAL_RISING_SHARE * len(pairs)


def _has_value(match: re.Match[str], lines: list[str], idx: int) -> bool:
    """Whether a profile label has its value: on its line, or (bare label) on the next non-blank
    line, starting with a digit ("Mitglied seit" / "    12. Juni 2017"; "Beiträge" / "    1.158")."""
    if match.group("value"):
        return True
    for nxt in lines[idx + 1:idx + 3]:
        if nxt.strip():
            return nxt.strip()[:1].isdigit()
    return False


def collect(lines: list[str]) -> ForumSigns:
    """Count the post-header signs in a capture's lines (already markdown-normalised)."""
    signs = ForumSigns()
    short: Counter[str] = Counter()
    labels: set[str] = set()
    for idx, line in enumerate(lines):
        content = line.strip()
        if not content or len(content) > 120:
            continue
        hit = True
        ordinal = _POST_ORDINAL.match(content)
        profile = _PROFILE_LABEL.match(content)
        if profile is not None and _has_value(profile, lines, idx):
            signs.profile += 1
            labels.add(profile.group("label").lower())
        elif profile is not None:
            hit = False  # a bare "Nachrichten" / "Posts" is a menu entry
        elif ordinal is not None:
            signs.ordinals.append(int(ordinal.group(1)))
        elif _QUOTE_BUTTON.match(content):
            signs.quotes += 1
        elif patterns.REPLY_BUTTON.match(content):
            signs.buttons += 1
        elif capturelist.date_in_line(content) is not None and len(content) < 60:
            signs.dates += 1
            hit = False  # dates are everywhere on a page: not where the thread starts
        else:
            hit = False
            if len(content) <= 30 and capturelist.reader_text(content) is False and not content[:1].isdigit():
                short[content] += 1
        if hit and signs.first_line is None:
            signs.first_line = idx
        if hit and not patterns.REPLY_BUTTON.match(content):
            signs.header_lines.append(idx)
    # A name repeated over post headers ("Pepemaus" above each of her posts): short lines seen
    # 3-40 times; menus repeat their entries too, so this never decides alone (see is_thread).
    if len(labels) < MIN_LABELS:
        signs.profile = 0  # one label repeated ("Posts 12" in a sidebar list) is no post header
    signs.repeated_names = sum(1 for n in short.values() if MIN_REPEATS <= n <= 40)
    return signs


# Confidence of a forum post's edge to the thread: the board shows replies as quotes, not as
# nesting, so "top level" is a reading, not what the page says (capturelist's flat value).
FORUM_EDGE_CONFIDENCE = 0.2
# Short lines (name, rank) right above a post's first profile line belong to the next post's
# header; at most this many are cut from the end of the text before it.
HEADER_LEAD_LINES = 3


def _header_line(content: str) -> bool:
    return bool(_PROFILE_LABEL.match(content) or _POST_ORDINAL.match(content) or _QUOTE_BUTTON.match(content))


def _short_line(content: str) -> bool:
    return len(content) <= 40 and len(content.split()) <= 4 and not capturelist.reader_text(content)


def clean_post(text: str) -> str:
    """A forum post's text without the post-header lines the capture reader left in it.

    Removes profile lines (and the indented value under a bare label: "Beiträge" / "    87"),
    post ordinals and quote buttons, and cuts the next post's header off the end: the short
    lines (name, rank) right above the first profile line of a header go with it.
    """
    out: list[str] = []
    skip_value = in_header = False
    for line in text.split("\n"):
        content = line.strip()
        if not content:
            out.append(line)
            continue
        if skip_value and line[:1] in " \t":
            skip_value = False
            continue  # the value of a bare label, indented under it (w3m's definition lists)
        skip_value = False
        if _header_line(content):
            if _PROFILE_LABEL.match(content):
                if not in_header:  # a new post header starts: its name and rank lines go too
                    shorts = 0
                    while out and (not out[-1].strip() or (shorts < HEADER_LEAD_LINES and _short_line(out[-1].strip()))):
                        shorts += bool(out[-1].strip())
                        out.pop()
                in_header = True
                skip_value = not any(ch.isdigit() for ch in content)
            continue
        in_header = False
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    while out and not out[0].strip():
        out.pop(0)
    return "\n".join(out)


# A post's date line is part of its post header: within this many lines of a profile line, an
# ordinal or a quote button (XenForo, vBulletin and Forumotion headers on the aside3 pages span
# 6-14 lines).  A dated item further away is a widget beside the thread ("latest news").
POST_HEADER_REACH = 15


def near_post_header(signs: ForumSigns, line: int) -> bool:
    """Whether a 0-based line lies within :data:`POST_HEADER_REACH` lines of a post-header line."""
    pos = bisect.bisect_left(signs.header_lines, line)
    return any(abs(signs.header_lines[i] - line) <= POST_HEADER_REACH
               for i in (pos - 1, pos) if 0 <= i < len(signs.header_lines))


# A post header at the start of a text: its profile line is within this many non-blank lines.
LEAD_HEADER_LINES = 5


def strip_lead_header(text: str) -> str:
    """A text without the post header a capture left at its start ("benutzerbild" / name /
    "dabei seit 12/2006" / "Fotos Videos" / text): up to the last profile line (with its value)
    among the first :data:`LEAD_HEADER_LINES` non-blank lines, and the short lines right after it.

    Only where a profile line with its value is there: a comment that starts with its own words
    is left as it is.
    """
    lines = text.split("\n")
    seen = 0
    last = -1
    for idx, line in enumerate(lines):
        content = line.strip()
        if not content:
            continue
        seen += 1
        if seen > LEAD_HEADER_LINES:
            break
        match = _PROFILE_LABEL.match(content)
        if match is not None and match.group("value"):
            last = idx
    if last < 0:
        return text
    rest = last + 1
    while rest < len(lines) and (not lines[rest].strip() or _short_line(lines[rest].strip())):
        rest += 1
    body = "\n".join(lines[rest:]).strip("\n")
    return body if body.strip() else text
