"""Forum threads in a text capture, split into posts by their recurring post headers.

A forum thread (phpBB, XenForo, vBulletin, Forumotion, Invision, Discourse …) captured as text
has no comment heading and no reply nesting: each post is a *post header* (the author's name,
a rank, member-profile lines such as "Mitglied seit" / date or "Posts: 12", the post's date,
its ordinal "#7", buttons such as "Zitieren", "Quote", "Antworten") followed by the post's text,
sometimes by a footer (buttons, reactions, a signature).  Every tool prints the header in its
own layout (w3m a definition list with blank lines, Chromium one line per field, markdown
converters headings and ``:`` definitions), and every board its own fields, so nothing here
is a per-board template.  The header shape is learnt from the capture itself:

* **Anchors**: one line per post.  Rising post ordinals ("#2", "Beitrag #3", "Post #4") when
  the capture shows them; otherwise the post's date line (a short line holding a date that is
  not a member-profile value) lying inside a header block.
* **Header block** around each anchor: the run of non-prose lines (profile labels and their
  values, dates, ordinals, button lines, short lines) with no text line in between.  Going back
  from the block's first structural line, the short lines before it (name, avatar letter,
  rank) are part of the header, at most as many as the capture's posts typically show there
  (the median, so a short last line of the previous post ("LG Anna") stays with that post).
* **Post text**: from the end of one header block to the start of the next, without the
  previous post's footer: trailing button lines and short lines that recur across the thread
  (":: Nach oben", "Reactions: …", "Like x4").
* **Quotes** of earlier posts ("X said:" … "Click to expand...", "Zitat von X", markdown ``>``
  lines) are the quoted post's words, not a new post and not the replier's: they are left out of
  the post's text (one ``forum-quotes`` info issue counts them).
* **Opening post**: when the thread starts on this page (its first post is "#1", or no ordinal
  is shown and no page number beyond 1), the first post is the thread's article: its text
  becomes the article body, and the replies are the comments.  A later page of a long thread
  ("#661" first) has no opening post on it: every post is a comment.

Every post is top level with a low ``edge_confidence`` and a ``nesting-lost`` warning: the
board shows replies as quotes, so who replied to whom is not in the text.

Only pages with forum signs (:func:`analyzer.ingest.forumsigns.collect`) are split; the result
replaces a reading of the capture reader only when it finds more posts (:func:`apply`).
"""

from __future__ import annotations

import html
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from analyzer.core.records import Article, Block, ParsedThread, ParseIssue, RawComment
from analyzer.ingest import capturelist, dates, forumsigns, patterns
from analyzer.ingest.paragraphs import paragraphs

__all__ = ["ForumPost", "ForumReading", "apply", "split_posts"]

# Confidence of a post's edge to the thread (top level): a reading, not what the page shows.
POST_EDGE_CONFIDENCE = forumsigns.FORUM_EDGE_CONFIDENCE

# The constants below were set by looking at the four forum threads of the held-out pages'
# ``aside3`` part (XenForo ×2, vBulletin, Forumotion; 9 tools), the original fixtures and the
# ``dev`` split of ``tests.bench.forum_render``; none was searched over.  With them: 337 of 354
# replies found there (the rest capture artefacts, docs/readers.md round 6), every fixture reply.

# Line kinds.
_BLANK, _ORD, _PROFILE, _VALUE, _DATE, _BUTTON, _SHORT, _TEXT = range(8)
_STRUCTURAL = frozenset({_ORD, _PROFILE, _VALUE, _DATE, _BUTTON})

# A short line: a name, a rank, a field value.  Longer lines, or lines ending a sentence, are text.
SHORT_MAX_CHARS = 40
SHORT_MAX_WORDS = 5
# A post's date line holds the date and at most this many other words ("Beitrag von lupa am
# 26/10/13, 03:48 pm": 4; "Predator ist offline …" is no date line).
DATE_MAX_OTHER_WORDS = 6
# Short lines kept before a header block's first structural line, at most (name, avatar
# letter, rank, a custom field): the learnt median is capped here.
MAX_LEAD_LINES = 6
# Non-blank short lines the header may skip after its anchor to reach one more structural line
# ("#2" / "cc Re: Title" / "Beitrag von lupa am 26/05/14": Forumotion prints the post's title
# between the ordinal and the date).
FORWARD_SHORT = 2
# A short line that recurs this often (and in at least a third of the posts) is furniture of
# every post (a button row, a field label) when it ends a post's text.
RECUR_MIN = 3
# Least posts for a thread reading (an opening post and one reply).
MIN_POSTS = 2
# The ordinals must mostly rise (as forumsigns: a numbered list in an article rises too).
ORDINAL_RISING_SHARE = forumsigns.ORDINAL_RISING_SHARE

_BULLETS = "•*·□●○◦▪■‣☆★-+>:|[]() \t"
_HEADING = re.compile(r"^#{1,6}\s+")
_ORDINAL = re.compile(
    r"^(?:(?:Beitrag|Post|Antwort|Message|Messaggio|Mensaje|Bericht|Odpowiedź|Сообщение|Permalink)\s*)?"
    r"#\s?(\d{1,6})$", re.IGNORECASE)
_HASH_DIGIT = re.compile(r"#\d")
# An ordinal at the end of a post's date line ("breadhead May 14, 2023 at 09:12 #1", Discourse).
_ORDINAL_TAIL = re.compile(r"[\s:]#(\d{1,6})$")
# Words that introduce the poster's name on a date line ("von lupa am …", "by Anna » …").
_BY = re.compile(r"^(?:von|by|par|por|di|door|od|от)\s+", re.IGNORECASE)
# Words and marks between the poster's name and the date on a date line ("lupa am", "Anna »").
_NAME_TAIL_WORDS = frozenset({"am", "on", "le", "el", "il", "op", "um", "at", "a", "à", "w", "в"})
_NAME_TAIL_MARKS = " \t»|·•–—,-:"
# Button rows a board prints in a post's header or footer (whole line), eight languages.  The
# reply and like vocabulary of comment sections is patterns.COMMENT_FURNITURE; these are the
# forum-only ones.
_FORUM_BUTTON = re.compile(
    r"^(?:(?:Zitieren|Zitat|Multi-?Zitat|Quote|Multi-?Quote|Reply|Antworten|Citer|Citar|Cita|Citeren|Cytuj|"
    r"Цитировать|Ответить|Melden|Report|Signaler|Segnala|Denunciar|Rapporteren|Zgłoś|Пожаловаться|"
    r"Nach oben|Back to top|Top|Haut|Arriba|Torna su|Naar boven|Do góry|Наверх|Teilen|Share|Partager|"
    r"Compartir|Condividi|Delen|Udostępnij|Поделиться|Like|Gefällt mir|J'aime|Me gusta|Mi piace|"
    r"Bookmark|Lesezeichen|Danke|Thanks|Merci|Gracias|Grazie|Bedankt|Dzięki|Спасибо|Profil|Profile|"
    r"Private Nachricht|Private Message|PN|PM|Beiträge anzeigen|Find all posts|Homepage besuchen|"
    r"Visit homepage|Antwort mit Zitat|Reply with quote|Bearbeiten|Edit|Modifier|Editar|Modifica)"
    r"[\s!.:|/]*)+$",
    re.IGNORECASE)
# Reaction lines under a post ("Reactions: A, B and 1 other person", "Like x4", "x2").
_REACTION = re.compile(
    r"^(?:(?:Reactions|Reaktionen|Réactions|Reacciones|Reazioni|Reacties|Reakcje|Реакции)\s*:.*|"
    r"(?:Like|Likes|Gefällt mir)?\s*[x×]\s?\d{1,5}|\d{1,5}\s*(?:Likes?|Danke|Thanks))$",
    re.IGNORECASE)
# Quote openers and closers (XenForo "X said:" … "Click to expand...", vBulletin "Zitat von X",
# phpBB "X hat geschrieben:"), eight languages.
_QUOTE_OPEN = re.compile(
    r"^(?:(?:Zitat|Zitat Zitat|Quote|Quote Originally Posted|Citation|Cita|Citazione|Citaat|Cytat|Цитата)"
    r"(?:\s+(?:von|from|by|de|di|van|od|от)\s+\S.{0,60})?\s*:?|"
    r"\S.{0,110}?\s(?:said|wrote|hat gesagt\.?|hat geschrieben|schrieb|a dit|a écrit|dijo|escribió|ha scritto|"
    r"ha detto|schreef|zei|napisał|написал|написала|писал)\s*:)"
    r"(?:\s*(?:Beitrag anzeigen|View Post|↑|Click to expand\.*))?$",
    re.IGNORECASE)
_QUOTE_CLOSE = re.compile(
    r"^(?:Click to expand|Zum Vergrößern anklicken|Klicken zum Erweitern|Cliquez pour agrandir|"
    r"Cliquez pour développer|Haz clic para expandir|Clic para expandir|Clicca per espandere|"
    r"Klik om te vergroten|Klik om uit te vouwen|Kliknij, aby rozwinąć|Kliknij aby rozwinąć|"
    r"Нажмите для раскрытия|Нажмите, чтобы раскрыть)\.*$",
    re.IGNORECASE)
# A post count before its label ("412 Beiträge", "1,234 posts": Invision's author pane).
_COUNT_LABEL = re.compile(
    r"^\d[\d.,]{0,8}\s+(?:Beiträge|Posts|Messages|Nachrichten|Mensajes|Messaggi|Berichten|Posty|Сообщений|"
    r"Сообщения|Antworten|Replies|Réponses|Respuestas|Risposte|Reacties)$", re.IGNORECASE)
# "Seite 3 von 5", "Page 2 of 9": a later page of a thread has no opening post.
_PAGE_OF = re.compile(
    r"\b(?:Seite|Page|Pagina|Página|Strona|Страница)\s+(\d{1,5})\s+(?:von|of|de|di|sur|van|z|из)\s+\d{1,5}\b",
    re.IGNORECASE)


@dataclass(slots=True)
class ForumPost:
    """One post as the splitter found it (0-based line numbers)."""

    start: int  # first line of the post header
    anchor: int
    body_start: int
    body_end: int  # exclusive
    text: str
    author: str | None = None
    date_line: str | None = None
    ordinal: int | None = None
    n_quotes: int = 0


@dataclass(slots=True)
class ForumReading:
    """A thread split into posts; ``opening`` says whether the first post opens the thread."""

    posts: list[ForumPost]
    opening: bool
    anchor_kind: str  # "ordinal" or "date"
    reason: str
    issues: list[ParseIssue] = field(default_factory=list)


def _content(line: str) -> str:
    """A line without indentation, list bullets, markdown heading marks and definition colons."""
    text = line.strip()
    if text.startswith("#") and _HEADING.match(text):
        text = _HEADING.sub("", text)
    text = text.lstrip(_BULLETS)
    return text.strip().strip("*_ ")


def _words(text: str) -> int:
    return len(text.split())


def _kinds(contents: list[str]) -> list[int]:
    """The kind of every line (see the constants above)."""
    kinds: list[int] = []
    bare_label = False
    for content in contents:
        if not content or not any(ch.isalnum() for ch in content):
            kinds.append(_BLANK)
            continue
        kind = _TEXT
        short = len(content) <= SHORT_MAX_CHARS and _words(content) <= SHORT_MAX_WORDS and not (
            content.endswith((".", "!", "?")) and _words(content) >= 3)
        profile = patterns.PROFILE_LABEL.match(content) if len(content) <= 60 else None
        if bare_label and len(content) <= SHORT_MAX_CHARS:
            kind = _VALUE
        elif profile is not None or _COUNT_LABEL.match(content):
            kind = _PROFILE
        elif _ORDINAL.match(content):
            kind = _ORD
        elif len(content) <= 80 and (_FORUM_BUTTON.match(content) or _REACTION.match(content)
                                     or patterns.COMMENT_FURNITURE.match(content)):
            kind = _BUTTON
        elif len(content) <= 80 and _post_date(content):
            kind = _DATE
        elif short:
            kind = _SHORT
        bare_label = profile is not None and not profile.group("value")
        kinds.append(kind)
    return kinds


# Month-day-year with dashes and a 12-hour time ("06-23-2015, 07:05 PM": MyBB's default), which
# the page reader's date lines do not include (a dashed numeric date in prose is rarer than in
# a post header, and this is only read in forum captures).
_DASHED_DATE = re.compile(r"(?<![\d-])\d{1,2}-\d{1,2}-\d{4},?\s+\d{1,2}:\d{2}(?:\s?[AaPp][Mm])?(?![\d:])")


# A day word and a time ("Heute, 10:12", "Yesterday at 6:40 PM", "Hier à 18:00"): how boards
# print the posts of the last two days.  Parsed only against a capture time (else unparsed).
_DAY_WORD_DATE = re.compile(
    r"(?<![^\W\d_])(?:Heute|Gestern|Vorgestern|Today|Yesterday|Aujourd'hui|Aujourd’hui|Hier|Hoy|Ayer|Oggi|Ieri|"
    r"Vandaag|Gisteren|Dzisiaj|Wczoraj|Сегодня|Вчера),?\s{0,3}(?:(?:at|um|à|a las|alle|om|o|в)\s{1,3})?"
    r"\d{1,2}[:.]\d{2}(?:\s?[AaPp][Mm])?(?![\d:])", re.IGNORECASE)
_DAY_FORM = "day word"


def _date_match(content: str) -> re.Match[str] | None:
    match = capturelist.date_in_line(content)
    if match is None and "-" in content and len(content) <= 80:
        match = _DASHED_DATE.search(content)
    if match is None and len(content) <= 80 and (":" in content or "." in content):
        match = _DAY_WORD_DATE.search(content)
    return match


def _post_date(content: str) -> bool:
    match = _date_match(content)
    if match is None:
        return False
    other = content[: match.start()] + " " + content[match.end():]
    # A byline-shaped line ("von lupa am 26/05/14, 07:41 am") is how Forumotion and phpBB sign a
    # post: inside a post header it is the post's date (anchors need forum signs around them).
    return _words(other) <= DATE_MAX_OTHER_WORDS


def _date_text(content: str) -> str:
    match = _date_match(content)
    return match.group(0) if match is not None else content


def _rising(values: list[int]) -> bool:
    pairs = list(zip(values, values[1:], strict=False))
    return bool(pairs) and sum(b > a for a, b in pairs) >= ORDINAL_RISING_SHARE * len(pairs)


def _ordinal_anchors(contents: list[str], kinds: list[int]) -> list[tuple[int, int]]:
    """(line, ordinal) of each post's ordinal, when the capture shows rising ordinals."""
    found = [(i, int(m.group(1))) for i, k in enumerate(kinds)
             if (m := _ORDINAL.match(contents[i]) if k == _ORD else
                 _ORDINAL_TAIL.search(contents[i]) if k == _DATE else None) is not None]
    if len(found) < MIN_POSTS or not _rising([n for _, n in found]):
        return []
    kept: list[tuple[int, int]] = []
    for line, n in found:  # a board printing the ordinal twice per post: the first one counts
        if not kept or n > kept[-1][1]:
            kept.append((line, n))
    return kept


# How near a post's ordinal its date line stands, and how far around it a member field or a
# button line of the post is looked for (a thread of two posts, session 12).
PAIR_DATE_LINES = 2
PAIR_CHROME_LINES = 12


def _ordinal_pair(lines: list[str], kinds: list[int], ordinals: list[tuple[int, int]]) -> bool:
    """A thread of two posts: two consecutive ordinals ("#1", "#2"), each with its date line
    beside it and a member field or button line of its own around it.  One post signature
    repeated once is still a repeated shape; a lone "#2" in prose has neither date nor chrome."""
    if len(ordinals) != 2 or ordinals[1][1] != ordinals[0][1] + 1:
        return False
    for line, _ in ordinals:
        near = range(max(0, line - PAIR_DATE_LINES), min(len(kinds), line + PAIR_DATE_LINES + 1))
        if not any(kinds[i] == _DATE and not patterns.profile_value(lines, i) for i in near):
            return False
        around = range(max(0, line - PAIR_CHROME_LINES), min(len(kinds), line + PAIR_CHROME_LINES + 1))
        if not any(kinds[i] in (_PROFILE, _BUTTON) for i in around):
            return False
    return True


# Share of the posts that show a quote button, for a thread without member fields or ordinals.
QUOTE_SHARE = 0.6
# Share of the date lines a word must be on to belong to their shape.
SHAPE_WORD_SHARE = 0.8
_RUNS = re.compile(r"[^\W\d_]+|\d+")
_TOKENS = re.compile(r"[^\W\d_]+|[^\w\s]")


def _date_anchors(lines: list[str], contents: list[str], kinds: list[int]) -> list[int]:
    """The post date lines: the largest group of date lines of one recurring shape, one per
    header block.

    A shape is the date's own form (letters and digits as runs: "9. a 9" for "12. Mai 2023")
    and the words around it that are on :data:`SHAPE_WORD_SHARE` of the date lines (at
    least :data:`forumsigns.MIN_REPEATS`)
    ("par * » 9 a 9, 9:9": the poster's name varies, "par" and "»" do).  Membership dates
    (under "Mitglied seit" or on a profile line) are never post dates.
    """
    cands: list[tuple[int, re.Match[str]]] = []
    for i, kind in enumerate(kinds):
        if kind == _DATE and not patterns.profile_value(lines, i):
            match = _date_match(contents[i])
            if match is not None:
                cands.append((i, match))
    words: Counter[str] = Counter()
    for i, match in cands:
        outside = contents[i][: match.start()] + " " + contents[i][match.end():]
        words.update({w.lower() for w in _TOKENS.findall(outside)})
    # A word of the shape is on nearly every date line ("par", "»"; "Reply" misses only the
    # opening post's); a frequent poster's name is not.
    need = max(forumsigns.MIN_REPEATS, math.ceil(SHAPE_WORD_SHARE * len(cands)))

    def shape(i: int, match: re.Match[str]) -> tuple[str, str, str]:
        def side(text: str) -> str:
            toks = [w.lower() if words[w.lower()] >= need else "*" for w in _TOKENS.findall(text)]
            return " ".join(re.sub(r"(?:\* )+\*|\*(?: \*)+", "*", " ".join(toks)).split())
        if _DAY_WORD_DATE.fullmatch(match.group(0)):
            form = _DAY_FORM  # "Heute, 10:12" stands where the other posts show their date
        else:
            form = _RUNS.sub(lambda m: "9" if m.group(0)[0].isdigit() else "a", match.group(0))
        return side(contents[i][: match.start()]), form, side(contents[i][match.end():])

    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, match in cands:
        group = groups.setdefault(shape(i, match), [])
        if group and all(kinds[j] in _HEADER_CORE or kinds[j] == _BLANK for j in range(group[-1], i)):
            continue  # a second date in the same header block (edited at …); a one-line post between is a post
        group.append(i)
    if not groups:
        return []
    main_shape, anchors = max(groups.items(), key=lambda kv: len(kv[1]))
    # Posts of the last days show a day word instead of the date, in the same place.
    recent = [i for (before, oform, after), lines_of in groups.items()
              if oform == _DAY_FORM and oform != main_shape[1] and (before, after) == (main_shape[0], main_shape[2])
              for i in lines_of]
    if recent:
        anchors = sorted({*anchors, *recent})
    # The opening post's header is a reply's header without the reply words ("« 23. Juni 2015 »"
    # over "« Antwort #1 23. Juni 2015 »", SMF; "von X » …" under "Re: title" in phpBB): the
    # last date line of the same date form and a subset of its words, before the first reply.
    main_words = set(main_shape[0].split()) | set(main_shape[2].split())
    form = main_shape[1]
    for other, lines_of in groups.items():
        before, oform, after = other
        if other == main_shape or oform not in (form, _DAY_FORM) or not set(before.split()) | set(after.split()) <= main_words:
            continue
        earlier = [i for i in lines_of if i < anchors[0]]
        if earlier:
            anchors = [earlier[-1], *anchors]
            break
    return anchors


def _block(kinds: list[int], anchor: int, low: int, high: int) -> tuple[int, int]:
    """The run of non-text lines around an anchor, within [low, high): (first, last) line."""
    first = anchor
    while first - 1 >= low and kinds[first - 1] != _TEXT:
        first -= 1
    last = anchor
    while last + 1 < high and kinds[last + 1] != _TEXT:
        last += 1
    return first, last


# Lines that make a post header (button lines may be the previous post's footer).
_HEADER_CORE = frozenset({_ORD, _PROFILE, _VALUE, _DATE})


def _core_start(kinds: list[int], first: int, anchor: int) -> int:
    """The block's first header line (profile, value, date, ordinal) at or before the anchor;
    the lead (name, rank, and the previous post's buttons) lies before it."""
    core = anchor
    for i in range(anchor - 1, first - 1, -1):
        if kinds[i] == _BUTTON:
            break  # the previous post's footer (phpBB prints the profile under the text)
        if kinds[i] in _HEADER_CORE:
            core = i
    return core


def _lead(kinds: list[int], first: int, core: int) -> list[int]:
    """Non-blank lines between the block's start and its first header line, nearest first, up
    to the first button line (buttons above the name are the previous post's footer)."""
    out: list[int] = []
    for i in range(core - 1, first - 1, -1):
        if kinds[i] == _BUTTON:
            break
        if kinds[i] != _BLANK:
            out.append(i)
    return out


def _header_end(kinds: list[int], anchor: int, last: int, has_date: bool) -> int:
    """The last line of the header after its anchor: structural lines, skipping at most
    :data:`FORWARD_SHORT` short lines to reach one; a second date line is the post's text."""
    end = anchor
    shorts = 0
    dated = has_date
    for i in range(anchor + 1, last + 1):
        kind = kinds[i]
        if kind == _BLANK:
            continue
        if kind == _DATE and dated:
            break
        if kind in _HEADER_CORE or (kind == _BUTTON and not shorts):
            # A button row after a short line is that line's (a one-line post: "Danke!" / "Reply").
            end = i
            shorts = 0
            dated = dated or kind == _DATE
            continue
        shorts += 1
        if shorts > FORWARD_SHORT:
            break
    return end


# Shortest folded line that counts as copied from an earlier post (shorter ones, "Danke!",
# recur without quoting).
QUOTED_LINE_MIN = 12


def _fold(text: str) -> str:
    return "".join(ch.lower() for ch in text if ch.isalnum())


def _copied(lines: list[str], start: int, earlier: str) -> int:
    """The end of the run of lines from ``start`` that are copies of earlier posts' text."""
    j = start
    seen = 0
    while j < len(lines):
        folded = _fold(lines[j])
        if folded:
            # A short line counts only as the continuation of a copied one ("compounds.").
            if (len(folded) < QUOTED_LINE_MIN and not seen) or folded not in earlier:
                break
            seen += 1
        j += 1
    return j if seen else start


def _strip_quotes(lines: list[str], earlier: str = "") -> tuple[list[str], int]:
    """A post's lines without quoted earlier posts; returns the lines and the number of quotes.

    After a quote opener ("X said:", "Zitat von X"): up to its closer ("Click to expand...")
    when the post shows one; else the markdown quote lines (``>``), the block indented deeper
    than the reply after it, or the lines that are copies of earlier posts' text (``earlier``,
    folded: a quote repeats what it quotes; Chromium and w3m print vBulletin's and Discourse's
    quote boxes with no mark at all).  An opener with nothing that marks the quote's end stays
    (the text after it is the replier's own).
    """
    out: list[str] = []
    n = 0
    i = 0
    while i < len(lines):
        content = lines[i].strip()
        bare = content.lstrip("> ").strip().replace("_", " ")  # Debian html2text: "Anna_said:"
        named = bool(bare) and _NAME_COLON.match(bare) is not None and len(bare.split()) <= 4 and (
            _next_deeper(lines, i) or (bool(earlier) and _copied(lines, i + 1, earlier) > i + 1))
        # A title the tool wrapped before its verb ("author=Anna link=… date=…" / "wrote:" on
        # the next line at the same depth): the two lines are the opener.
        o = i + 1 if bare and _wrapped_title(lines, i) else i
        if bare and (o > i or _QUOTE_OPEN.match(bare) or named):
            close = next((j for j in range(o + 1, min(len(lines), o + 200)) if _QUOTE_CLOSE.match(lines[j].strip().lstrip("> ").replace("_", " "))), None)
            if close is not None:
                n += 1
                i = close + 1
                continue
            i0, i = i, o  # the quote below the opener's last line
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and lines[j].lstrip().startswith(">"):
                while j < len(lines) and (lines[j].lstrip().startswith(">") or not lines[j].strip()):
                    j += 1
                if not _prose_after(lines, j):
                    j = i + 1  # the whole post is a ">" block (pandoc, vBulletin): the quote's end is not shown
            else:
                j = i + 1
            if j == i + 1:  # a quote indented deeper than the reply after it (Debian html2text, w3m)
                depth = _indent(lines[i])
                while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) >= depth):
                    j += 1
                if j >= len(lines) or depth == 0 or not _text_line(lines[j]):
                    # Nothing after it is less indented, or what is (a footer, the next post's
                    # name) is no reply text: the quote's end is not shown (lynx and w3m print
                    # vBulletin's quote box at the indentation of the reply).
                    j = i + 1
            if j == i + 1 and earlier:
                j = _copied(lines, i + 1, earlier)
            if j > i + 1:
                n += 1
                i = j
                continue
            i = i0
        if content.startswith(">") and not out:
            # markdown quote lines at the very start of a post (a quote without an opener line)
            j = i
            while j < len(lines) and lines[j].strip().startswith(">"):
                j += 1
            if _prose_after(lines, j):
                n += 1
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out, n


# A quote's verb alone on a line, the title before it wrapped onto the line above ("wrote:").
_LONE_VERB = re.compile(
    r"^(?:said|wrote|hat gesagt\.?|hat geschrieben|schrieb|a dit|a écrit|dijo|escribió|ha scritto|ha detto|"
    r"schreef|zei|napisał|написал|написала|писал)\s*:$", re.IGNORECASE)


def _wrapped_title(lines: list[str], i: int) -> bool:
    """Whether line ``i`` is a quote's title whose verb the tool wrapped onto the next line,
    at the same depth ("author=Anna link=… date=…" over "wrote:")."""
    if i + 1 >= len(lines) or _indent(lines[i + 1]) != _indent(lines[i]):
        return False
    nxt = lines[i + 1].strip().lstrip("> ").strip().replace("_", " ")
    if not _LONE_VERB.match(nxt):
        return False
    title = lines[i].strip().lstrip("> ").strip().replace("_", " ")
    return not title.endswith((".", "!", "?", ":")) and _QUOTE_OPEN.match(title + " " + nxt) is not None


QUOTE_OPEN = _QUOTE_OPEN  # a quote's title line, for other readers of posts
QUOTE_CLOSE = _QUOTE_CLOSE  # a quote's closer ("Click to expand...")
wrapped_quote_title = _wrapped_title  # a title wrapped before its verb, for other readers


def strip_quotes(lines: list[str], earlier: str = "") -> list[str]:
    """A post's lines without the quoted earlier posts it shows (used by other readers of
    posts, :mod:`analyzer.ingest.textshapes`; ``earlier``: the folded texts of the posts above,
    which a quote the capture does not mark copies)."""
    return _strip_quotes(lines, earlier)[0]


fold = _fold  # a text as quotes are compared: letters and digits, lower case



# "Miriam K.:" over an indented or ">" block (Discourse's quote title): a quote opener only
# when the capture marks the quoted block.
_NAME_COLON = re.compile(r"^[^\W\d_][^:]{0,40}:$")


def _next_deeper(lines: list[str], i: int) -> bool:
    nxt = next((x for x in lines[i + 1:i + 4] if x.strip()), None)
    return nxt is not None and (nxt.lstrip().startswith(">") or _indent(nxt) > _indent(lines[i]))


def _text_line(line: str) -> bool:
    """A line of prose: not short (a name "Miriam K.", a menu line "2. Avatar von Chatfix")
    and reading like something a person wrote."""
    content = _content(line)
    return _kinds([content]) == [_TEXT] and capturelist.reader_text(content)


def _prose_after(lines: list[str], start: int) -> bool:
    """Whether the post has reply text after a quote ending at ``start`` (a reply always has
    words of its own; a quote that seems to run to the end is a quote whose end is not shown)."""
    return any(_text_line(line) for line in lines[start:] if line.strip())


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _dedent(lines: list[str]) -> str:
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    text = "\n".join(x[indent:].rstrip() for x in lines)
    if "&#" in text:  # Debian html2text leaves numeric character references ("don&#x27;t")
        text = html.unescape(text)
    return re.sub(r"\n{3,}", "\n\n", text)


def split_posts(lines: list[str]) -> ForumReading | None:
    """Split a capture's lines (markdown-normalised, as the capture reader gets them) into posts.

    Returns None when the page shows no forum thread (:func:`forumsigns.collect`) or fewer than
    :data:`MIN_POSTS` post headers.
    """
    signs = forumsigns.collect(lines)
    if not (signs.is_thread() or signs.quotes >= forumsigns.MIN_REPEATS or any(_HASH_DIGIT.search(x) for x in lines)):
        return None  # no forum evidence and no post ordinal anywhere: spare the line classification
    contents = [_content(line) for line in lines]
    kinds = _kinds(contents)
    ordinals = _ordinal_anchors(contents, kinds)
    # Forum signs (member-profile lines with ordinals, quote buttons …), or rising ordinals on
    # the posts' own date lines (Discourse prints no member fields: "Anna May 14, 2023 #2").
    dated_ordinals = sum(kinds[i] == _DATE for i, _ in ordinals)
    ordinal_thread = len(ordinals) >= forumsigns.MIN_REPEATS and dated_ordinals >= 0.8 * len(ordinals)
    if ordinals:
        anchor_kind = "ordinal"
        anchors = [line for line, _ in ordinals]
        numbers: list[int | None] = [n for _, n in ordinals]
        if numbers[0] == 1:
            opening = _unnumbered_opening(lines, contents, kinds, anchors[0])
            if opening is not None:  # a board that numbers its replies only: "#1" is the first reply
                anchors.insert(0, opening)
                numbers.insert(0, None)
    else:
        anchor_kind = "date"
        anchors = _date_anchors(lines, contents, kinds)
        numbers = [None] * len(anchors)
    # Quote buttons under most posts ("Zitieren", "Quote", "Citer") are a forum's, not a comment
    # section's (those say "Reply"): with the post dates' recurring shape they make a thread.
    quoted = signs.quotes >= forumsigns.MIN_REPEATS and signs.quotes >= QUOTE_SHARE * len(anchors)
    if not (signs.is_thread() or ordinal_thread or quoted or _ordinal_pair(lines, kinds, ordinals)):
        return None
    if len(anchors) < MIN_POSTS:
        return None
    # Header blocks: the non-text run around each anchor, bounded by the neighbouring anchors.
    blocks: list[tuple[int, int, int]] = []  # (first, core, last)
    for n, anchor in enumerate(anchors):
        low = anchors[n - 1] + 1 if n else 0
        high = anchors[n + 1] if n + 1 < len(anchors) else len(lines)
        first, last = _block(kinds, anchor, low, high)
        core = _core_start(kinds, first, anchor)
        has_date = any(kinds[i] == _DATE for i in range(core, anchor + 1))
        blocks.append((first, core, _header_end(kinds, anchor, last, has_date)))
    # The lead learnt from the capture: how many short lines stand before the structural part.
    # The first post's lead is bounded only by the page's top (title, navigation): the posts
    # after it, each bounded by the post before, say how long a lead is.
    leads = [len(_lead(kinds, first, core)) for first, core, _ in blocks]
    typical = min(MAX_LEAD_LINES, int(statistics.median_low(leads[1:] or leads)))
    recurring = _recurring(contents, kinds, len(anchors))
    furniture = _recurring(contents, kinds, len(anchors), share=FURNITURE_SHARE)
    starts: list[int] = []
    names: list[str | None] = []
    for first, core, _ in blocks:
        lead = _lead(kinds, first, core)[:typical]
        starts.append(lead[-1] if lead else core)
        # The poster's name is the top line of the lead (under it: rank, custom fields); an
        # avatar letter ("Y" over "yellowkitty") is no name.
        named = [contents[i] for i in lead
                 if len(contents[i]) > 1 and contents[i] not in furniture and not _REPLY_TITLE.match(contents[i])]
        names.append(named[-1] if named else None)
    posts: list[ForumPost] = []
    earlier: list[str] = []
    for n, anchor in enumerate(anchors):
        first, core, end = blocks[n]
        body_start = end + 1
        body_end = starts[n + 1] if n + 1 < len(anchors) else _thread_end(contents, kinds, body_start)
        raw = lines[body_start:body_end]
        raw = _trim_footer(raw, contents[body_start:body_end], kinds[body_start:body_end], recurring)
        own, n_quotes = _strip_quotes(raw, "\n".join(earlier))
        earlier.append(_fold("".join(own)))
        text = _dedent(own)
        header = range(starts[n], end + 1)
        date_line = next((_date_text(contents[i]) for i in header
                          if kinds[i] == _DATE and not patterns.profile_value(lines, i)), None)
        posts.append(ForumPost(start=starts[n], anchor=anchor, body_start=body_start, body_end=body_end, text=text,
                               author=names[n] or _author_on_date_line(contents, kinds, core),
                               date_line=date_line, ordinal=numbers[n], n_quotes=n_quotes))
    # Posts without a date in an ordinal-anchored thread are ads between posts ("Gesponserte
    # Inhalte" / "Beitrag #4"), when the others have one.
    if anchor_kind == "ordinal" and sum(p.date_line is not None for p in posts) >= 0.5 * len(posts):
        posts = [p for p in posts if p.date_line is not None]
    posts = [p for p in posts if p.text.strip()]
    if len(posts) < MIN_POSTS:
        return None
    opening, reason = _opening(posts, contents)
    return ForumReading(posts=posts, opening=opening, anchor_kind=anchor_kind, reason=reason)


# A line printed in at least this share of the posts is the board's furniture ("Platform"),
# never a poster's name (a frequent poster's name recurs in fewer).
FURNITURE_SHARE = 0.8
# A post title ("Re: Basilikum", "AW: …"): phpBB and vBulletin print one over each reply.
_REPLY_TITLE = re.compile(r"^(?:Re|AW|Antw|Rif|R|Odp|Ответ|Réf)\s*:", re.IGNORECASE)


def _recurring(contents: list[str], kinds: list[int], n_posts: int, share: float = 1 / 3) -> frozenset[str]:
    """Short lines printed in many posts (a field label, a button row, a rank, a post title):
    at least :data:`RECUR_MIN` times and in ``share`` of the posts."""
    counts = Counter(contents[i] for i, k in enumerate(kinds)
                     if k in (_SHORT, _BUTTON, _VALUE) or (k == _TEXT and len(contents[i]) <= 80))
    need = max(RECUR_MIN, int(n_posts * share))
    return frozenset(c for c, k in counts.items() if k >= need)


def _trim_footer(raw: list[str], contents: list[str], kinds: list[int], recurring: frozenset[str]) -> list[str]:
    """Cut the post's footer: trailing blank, button, member-profile and recurring lines (a board
    that prints the profile under the text, a title repeated on every post)."""
    end = len(raw)
    while end > 0 and (kinds[end - 1] in (_BLANK, _BUTTON, _PROFILE, _VALUE) or contents[end - 1] in recurring):
        end -= 1
    return raw[:end]


# The thread ends at the board's footer: after the last post, a run of this many non-text
# lines (navigation, "Share:", the forum list) closes it.
THREAD_END_RUN = 6


def _thread_end(contents: list[str], kinds: list[int], start: int) -> int:
    """End of the last post: the first run of :data:`THREAD_END_RUN` non-blank non-text lines,
    or a line of reply-form vocabulary, after at least one text line."""
    run = 0
    seen_text = False
    for i in range(start, len(kinds)):
        kind = kinds[i]
        if kind == _BLANK:
            continue
        if seen_text and _terminator(contents[i]):
            return i
        if kind == _TEXT:
            seen_text = True
            run = 0
            continue
        run += 1
        if seen_text and run >= THREAD_END_RUN:
            back = i
            for _ in range(run - 1):
                back -= 1
                while back > start and kinds[back] == _BLANK:
                    back -= 1
            return back
    return len(kinds)


def _terminator(content: str) -> bool:
    return bool(patterns.TRAILER.match(content) or patterns.COMMENTS_CLOSED.match(content)
                or patterns.CAPTURE_TRAILER.match(content))


def _name_before(text: str) -> str:
    """The name in front of a date without the joining word and marks ("lupa am" -> "lupa")."""
    words = text.rstrip(_NAME_TAIL_MARKS).split()
    if words and words[-1].lower() in _NAME_TAIL_WORDS:
        words.pop()
    return " ".join(words).rstrip(_NAME_TAIL_MARKS)


_PLACEHOLDER_LEAD = re.compile(r"^\[?[^\[\]\s]{1,40}\]\s*")


def _author_on_date_line(contents: list[str], kinds: list[int], core: int) -> str | None:
    """The poster's name on the post's date line ("von lupa am 26/05/14", "Anna May 14, 2023 #2")."""
    for i in range(core, min(len(kinds), core + 8)):
        if kinds[i] == _DATE:
            match = _date_match(contents[i])
            # An avatar or icon placeholder before the date ("[xx] June 9, 2024", its "[" taken
            # as a bullet) is no name.
            before = _PLACEHOLDER_LEAD.sub("", contents[i][: match.start()].strip()) if match else ""
            name = _name_before(_BY.sub("", before)) if match else ""
            return name if name and _words(name) <= SHORT_MAX_WORDS else None
    return None


# How far below a "#1" its post's date line may stand (the next non-blank line: a board that
# prints the ordinal over the poster's card, Steam's "#1" / avatar / name / date, keeps its reading),
# and how far above it an unnumbered opening post's date line (the opening post's text between).
OPENING_DATE_BELOW = 4
OPENING_DATE_ABOVE = 400


def _date_shape(content: str) -> str | None:
    """What stands before the date on a date line, numbers as 9, and a mark for the date ("[xx]
    §"; the tail varies: seconds the date pattern leaves out, AM or PM), or None for no date."""
    match = _date_match(content)
    if match is None:
        return None
    return _DIGITS.sub("9", content[: match.start()].strip()) + " §"


_DIGITS = re.compile(r"\d+")


def _unnumbered_opening(lines: list[str], contents: list[str], kinds: list[int], first: int) -> int | None:
    """The date line of an unnumbered opening post above a thread's "#1", or None.

    Some boards number the replies only ("#1" is the first answer, session 12): where a date
    line of the same shape as the one under "#1" stands above it, with text between, the post
    it dates opens the thread.  A "Started by NAME, DATE" line of the topic's summary has
    another shape."""
    below = next((i for i in range(first + 1, min(len(kinds), first + OPENING_DATE_BELOW + 1))
                  if kinds[i] != _BLANK), None)
    if kinds[first] == _DATE:
        below = first
    if below is None or kinds[below] != _DATE or patterns.profile_value(lines, below):
        return None  # the date is not the ordinal's own line or the next one: another header layout
    shape = _date_shape(contents[below])
    seen_text = False
    for i in range(first - 1, max(-1, first - OPENING_DATE_ABOVE), -1):
        if kinds[i] == _TEXT:
            seen_text = True
        elif (kinds[i] == _DATE and seen_text and not patterns.profile_value(lines, i)
              and _date_shape(contents[i]) == shape):
            return i
    return None


def _opening(posts: list[ForumPost], contents: list[str]) -> tuple[bool, str]:
    """Whether the first post opens the thread, and why.

    An article page whose comment section shows like a board's (quote buttons, member fields)
    has a comment heading above its first comment ("12 Kommentare"): there the posts are all
    comments, the article is above them.
    """
    first = posts[0]
    for content in contents[: first.start]:
        if (content and len(content) <= 120 and not patterns.PROFILE_LABEL.match(content)
                and capturelist.section_header(content)[0]):  # "Messages: 1983" is a profile line
            return False, f"a comment-section heading above the first post ({content[:40]!r}): the posts are comments"
    if first.ordinal is None and len(posts) > 1 and posts[1].ordinal == 1:
        return True, "an unnumbered post of the same header above #1 opens the thread"
    if first.ordinal is not None:
        if first.ordinal == 1:
            return True, "the first post is #1"
        return False, f"the first post on this page is #{first.ordinal}"
    for content in contents[: first.start]:
        match = _PAGE_OF.search(content)
        if match is not None and int(match.group(1)) > 1:
            return False, f"a later page of the thread ({match.group(0)!r})"
    return True, "no post ordinal and no later page number: the page starts the thread"


def apply(thread: ParsedThread, n_in: int, issues: list[ParseIssue], lines: list[str], path: str,
          article_id: str,
          classify: Callable[[list[str], int, int], tuple[list[Block], dict[str, str]]],
          ) -> tuple[ParsedThread, int, list[ParseIssue]]:
    """The page read as a forum thread when that finds more posts than the reading given.

    Args:
        thread, n_in, issues: the page-text reader's reading so far.
        lines: the capture lines (markdown-normalised).
        classify: the page-text reader's article classifier for the lines before the thread.

    Returns:
        the forum reading (opening post as the article body, replies as flat comments) or the
        reading given, unchanged.
    """
    reading = split_posts(lines)
    if reading is None:
        return thread, n_in, issues
    replies = reading.posts[1:] if reading.opening else reading.posts
    # The capture reader may have read the same posts (opening post included, headers in the
    # texts): the forum reading wins when it finds at least as many posts.
    if not replies or len(reading.posts) < len(thread.comments):
        return thread, n_in, issues
    if any(c.parent_id is not None for c in thread.comments) and not forumsigns.collect(lines).is_thread():
        # A nested comment list with quote buttons (a comment system that offers "Quote") is
        # not replaced by a flat reading without member fields or ordinals.
        return thread, n_in, issues
    first = reading.posts[0]
    blocks, fields = classify(lines, 0, first.start)
    body = thread.article.body
    title = fields.get("title") or thread.article.title
    author = fields.get("author") or thread.article.author
    if reading.opening:
        blocks.append(Block("body", first.text, first.body_start + 1))
        body = first.text
        author = first.author or author
    last = reading.posts[-1]
    blocks.extend(Block("navigation", text, line) for line, text in paragraphs(lines, last.body_end, joiner=" "))
    new_issues: list[ParseIssue] = [i for i in issues if i.code not in _REPLACED_CODES]
    comments: list[RawComment] = []
    for n, post in enumerate(replies, start=1):
        created = dates.parse_date(post.date_line) if post.date_line else None
        comment = RawComment(
            comment_id=f"c{n}", parent_id=None, declared_depth=1, author=post.author, created_at=created,
            text=post.text, source_line=post.body_start + 1, edge_confidence=POST_EDGE_CONFIDENCE,
        )
        comments.append(comment)
        if post.date_line and created is None:
            new_issues.append(dates.unparsed_issue(post.date_line, path=path, line=post.anchor + 1,
                                                   article_id=article_id, comment_id=comment.comment_id))
    article = Article(
        article_id=article_id, title=title, author=author, category=fields.get("category"),
        lead=fields.get("lead"), body=body, language=thread.article.language, blocks=blocks,
    )
    how = "post ordinals" if reading.anchor_kind == "ordinal" else "post date lines inside post headers"
    new_issues.append(ParseIssue(
        "nesting-lost",
        f"{len(reading.posts)} posts of a forum thread split by their post headers ({how}); the replies are read as "
        "top level: the board shows replies as quotes, so who replied to whom is not in this text",
        "warning", path, first.anchor + 1, article_id,
    ))
    new_issues.append(ParseIssue(
        "forum-opening-post",
        ("the first post is the thread's opening post, read as the article: " if reading.opening
         else "no opening post on this page, every post is a comment: ") + reading.reason,
        "info", path, first.anchor + 1, article_id,
    ))
    quotes = sum(p.n_quotes for p in reading.posts)
    if quotes:
        new_issues.append(ParseIssue(
            "forum-quotes",
            f"{quotes} quoted passage(s) of earlier posts left out of the post texts (they are the quoted posts' words)",
            "info", path, first.anchor + 1, article_id,
        ))
    return ParsedThread(article=article, comments=comments), len(comments), new_issues


# Issues of the replaced reading that say nothing about the forum reading.
_REPLACED_CODES = frozenset({
    "nesting-lost", "count-mismatch", "missing-comment-header", "undated-comments", "comments-not-recognised",
    "unparsed-date", "pingback-skipped",
})


