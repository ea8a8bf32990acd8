"""Comment sections in page text read by the page's own recurring comment shape.

News sites, forums and blog systems other than WordPress print each comment with their own
furniture: an author line, a date or relative date ("vor 8 Stunden", "3 months ago"), vote
counters, buttons ("Antworten", "Melden", "Reply", "Click to rate"), avatar stand-ins.  Each
tool prints that in its own layout.  Nothing here is a per-site template; the shape is learnt
from the capture, the way :mod:`analyzer.ingest.forumposts` learns a forum's post headers:

* **Anchors**, one per comment: date lines (a date or relative date with at most a few other
  words: the author, a location, "#3 —", "Soumis par … le") of one recurring *shape*.  The shape
  of a date line is its date replaced by a mark, the words shared by half of the date lines
  kept, everything else one wildcard ("report this comment on § * wrote"; "* §").  The largest
  group of one shape is the comment list.
* **Furniture**, learnt: short lines that recur (digits aside) in a third of the comments
  ("Click to rate", "History | Permalink | Share it", "Valoración:3menosmas") plus the button
  vocabulary (reply, report, like, recommend in eight languages) and bare vote counts.
* **Header** of each comment: the anchor and, above it, the short lines after the previous
  comment's furniture (name, avatar, rank, title); where the previous comment has no furniture
  line, at most as many short lines as the comments typically show there (the median).  Below
  the anchor: blank lines, vote counts and furniture.
* **Text**: from the header's end to the next header, without trailing furniture.  The last
  comment ends at its furniture, the reply form, or a run of navigation lines.
* **Nesting** where the capture shows it: the anchors' indentation (text browsers indent nested
  lists), dotted ordinals ("#1.1"), "Antwort auf #1 von NAME" / "In reply to NAME" lines, and an
  "@NAME" opening a text (the latest earlier comment by NAME, lower confidence).  Without any of
  these every comment is top level with a low ``edge_confidence`` and one ``nesting-lost``
  warning.
* **Not a comment list**: the anchors need comment evidence (button or vote lines between them,
  or a comment-section heading above the first); a teaser list (headline, date, teaser) has
  neither, a byline date is never an anchor.

:func:`apply` runs after the other page-text readings, and replaces a reading only when it had
none, or when most of its comments start inside the text of one comment of this reading (a
comment cut into its paragraphs) or this reading finds clearly more comments.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from analyzer.core.records import Article, Block, ParsedThread, ParseIssue, RawComment
from analyzer.ingest import (
    capturelist,
    cjkdates,
    datelesslists,
    dates,
    forumposts,
    patterns,
    signedbelow,
    signedlists,
)
from analyzer.ingest.paragraphs import paragraphs

__all__ = ["ShapeComment", "ShapeReading", "apply", "read_shapes"]

# The constants below were set by looking at the non-WordPress pages of the held-out parts
# tuning … aside4 (seen) and at the original fixtures (fixtures/text_shapes); none was searched over.

# Edge confidences: indentation a text browser printed, a reply reference naming the parent
# ("Antwort auf #1", a dotted ordinal), an "@name" opening (the latest comment by that name: a
# guess), and top level because the capture shows no nesting.
INDENT_EDGE_CONFIDENCE = 0.9
REFERENCE_EDGE_CONFIDENCE = 0.8
MENTION_EDGE_CONFIDENCE = 0.5
FLAT_EDGE_CONFIDENCE = 0.2
DATELESS_EDGE_CONFIDENCE = 0.5
# Least comments for a reading; with so few, a comment heading and buttons must both be there.
MIN_COMMENTS = 2
FEW_COMMENTS = 3
# A date line: the date and at most this many other words (name, location, "Report this Comment
# On … wrote:"), and at most this many characters.
DATE_LINE_MAX_WORDS = 9
DATE_LINE_MAX_CHARS = 140
# A word recurring on this share of the date lines is part of the shape ("Soumis par … le");
# a place name on two of three lines ("…, United Kingdom, 2 days ago") is not.
SHAPE_WORD_SHARE = 0.8
# A short line recurring (digits aside) in this share of the comments is furniture.
FURNITURE_SHARE = 1 / 3
FURNITURE_MAX_CHARS = 80
# Short lines: a name, a rank, a title.
SHORT_MAX_CHARS = 60
SHORT_MAX_WORDS = 6
# Lines above an anchor searched for the previous comment's furniture (avatar, rank, name,
# tagline, fan count between it and the date).
MAX_LEAD_LINES = 6
# Words of prose between a counted heading and the first date line that show a layout signed
# below the text (the date line ends each comment, not opens it); a sort notice is shorter.
SIGNED_BELOW_WORDS = 20
# Date lines of one shape more than this many lines apart (and this many times the median gap)
# belong to different lists.
CLUSTER_MIN_GAP = 60
CLUSTER_GAP_FACTOR = 4
# Share of the gaps between anchors that must hold a button or vote line (else a heading).
EVIDENCE_SHARE = 0.5
# Non-blank lines above the first anchor searched for a comment-section heading (sort
# buttons, a moderation notice, the first comment's own header lines may stand between).
HEADING_LOOKBACK = 8
# The thread ends at a run of this many short non-prose lines (navigation, teasers).
END_RUN = 6
# Share of the prior reading's comments that start inside one comment's text for it to be a
# cut-up reading.
INSIDE_SHARE = 0.3
# More anchors than this many times the heading's announced count are no comment list.
ANNOUNCED_SLACK = 1.2
# This reading replaces one that found fewer comments when it finds this many times as many.
MORE_FACTOR = 1.5
MORE_MIN = 3  # and at least this many more (3 against 2 is one stray date line)
# Share of the consecutive anchors whose post numbers count up by one for the list to show post
# numbers (a deleted post leaves a gap).
RISING_SHARE = 0.7
# Share of the posts that must show one learnt chrome line with words for it to be evidence.
CHROME_SHARE = 0.8
# Non-blank lines above and below an anchor searched for its header's chrome.
HEADER_ZONE_LINES = 8
# Date-line shapes tried, the largest first.
MAX_SHAPES = 3
# Letters of a text's opening that say two readings hold the same comment.
SAME_OPENING_LETTERS = 30

_BULLETS = " \t•*·□●○◦▪■‣☆★+>|-–"
_HEADING_MARK = re.compile(r"^#{1,6}\s+")
_PLACEHOLDER = re.compile(r"^(?:\[(?:IMG|image|img|Bild|photo|Foto|avatar[^\]]{0,40}|[^\]\s]{1,40}\.(?:jpe?g|png|gif|"
                          r"webp|svg)[^\]]{0,40}|picture[^\]]{0,40}|[0-9a-f]{3,16})\]|\(BUTTON\)|\[[-+]\]"
                          # An icon's alt text glued to the name after it ("[userinfo_v]lozga", w3m).
                          r"|\[[^\]\s]{1,24}\](?=\w))\s*",
                          re.IGNORECASE)
# Relative dates anywhere in a short line ("Isaac 16 minutes ago", "#1 — vor 8 Stunden"); the
# whole-line form is patterns.RELATIVE_DATE_LINE.
_REL_UNITS = (
    r"Sekunden?|Minuten?|Stunden?|Tagen?|Tage|Tag|Wochen?|Monate?n?|Jahren?|Jahre|Jahr|"
    r"seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|"
    r"secondes?|heures?|jours?|semaines?|mois|ans|années?|segundos?|minutos?|horas?|días?|dias?|semanas?|"
    r"meses|mes|años?|secondi|minuti|ore|ora|giorni|giorno|settimane?|mesi|mese|anni|anno|"
    r"seconden|minuten|uur|dagen|dag|weken|week|maanden|maand|jaren|jaar|"
    r"sekund[ay]?|minut[ay]?|godzin[ya]?|dni|dzień|tygodni[ea]?|miesięcy|miesiąc[ea]?|lat[a]?|"
    r"секунд[уы]?|минут[уы]?|час[аов]{0,2}|дн[еяй]{1,2}|день|недел[юиь]|месяц[аев]{0,2}|лет|год[а]?"
)
_REL_AMOUNT = r"(?:\d{1,3}|an?|one|eine[mnr]?|ein|un[ae]?|uno)"
_REL_ANYWHERE = re.compile(
    r"(?<!\w)(?:(?:vor|il y a|hace|há)\s+" + _REL_AMOUNT + r"\s+(?:" + _REL_UNITS + r")"
    r"|" + _REL_AMOUNT + r"\s+(?:" + _REL_UNITS + r")\s+(?:ago|her|fa|geleden|temu|назад|atrás))(?!\w)",
    re.IGNORECASE)
# "14. 01. 2020, 13:47" (day. month. year with spaces), "06-23-2015, 07:05 PM".
_SPACED_DATE = re.compile(r"(?<![\d.])\d{1,2}\.\s\d{1,2}\.\s(?:19|20)\d{2}(?:,?\s+\d{1,2}:\d{2})?(?![\d.])"
                          # "Anna vom 04.06.2022." (the sentence's full stop after the date)
                          r"|(?<![\d.])\d{1,2}\.\d{1,2}\.(?:19|20)\d{2}(?=\.$)"
                          r"|(?<![\d-])\d{1,2}-\d{1,2}-(?:19|20)\d{2},?\s+\d{1,2}:\d{2}(?:\s?[AaPp][Mm])?")
# A compact age glued to a name, at the end of the line or before vote counters ("[-]Anna
# Berg3mo 47 33", "Anna Berg3mo4733": a karma-voting site's comment header); a date line only
# where such lines recur (the shape) with buttons or a heading.
_COMPACT_AGE = re.compile(r"(?<=[^\W\d_])(\d{1,2})(mo|y|d|h|w|m)(?=(?:[\s_]*-?\d{1,5}){0,3}[\s_]*$)")
# A year glued to a compact age by a tool that dropped the space between two spans ("June 14,
# 20241 yr", an absolute date and its "1 yr" tooltip): the year is read alone.
_GLUED_AGE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?=\d{1,2}\s?(?:yrs?|years?|mos?|months?|wks?|weeks?|days?|hrs?|hours?|mins?|"
                        r"[ymwdh])\b)")
_SHAPE_SEPARATORS = frozenset("·|•")
# A day named relative to today with a clock time ("today at 11:49", "Gestern, 18:03", "сегодня в
# 11:49", "hier à 9h12"); the day word may be glued to a name before it by a tool that dropped
# the space between two spans ("gena_pсегодня в 11:49", session 11).
_DAY_TIME = re.compile(
    r"(?:today|yesterday|heute|gestern|vorgestern|aujourd['’]hui|hier|avant-hier|hoy|ayer|anteayer|oggi|ieri|"
    r"vandaag|gisteren|eergisteren|dzisiaj|dziś|wczoraj|сегодня|вчера|позавчера)"
    r",?\s{0,2}(?:(?:at|um|à|a las|a la|alle|om|o|в)\s{1,2})?(?:[01]?\d|2[0-3])[:h][0-5]\d(?:\s?[AaPp]\.?[Mm]\.?)?(?!\d)",
    re.IGNORECASE)
_MARGIN_IMAGE = re.compile(r"^\[[^\]\s]{1,60}\.(?:jpe?g|png|gif|webp|svg)\](?=\s{2,}\S)", re.IGNORECASE)
# A field of a profile card: a label of one to three words, a colon, a short value.
_FIELD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:\s[^\W\d_][^\W\d_'’.-]*){0,2}\s?:\s*\S.{0,60}$")
# What a timestamp carries after the date the patterns end at: seconds, a time zone, and the age
# a tool glued on from the next span ("April 12 2018, 04:34:23 UTC1 week ago"): part of the
# date, not the author's name (session 11).
_AGE_AFTER = r"\s*" + _REL_AMOUNT + r"\s+(?:" + _REL_UNITS + r")\s+(?:ago|her|fa|geleden|temu|назад|atrás)(?!\w)"
_DATE_TAIL = re.compile(r"(?::[0-5]\d)?(?:\s?(?:UTC|GMT|MSK|CES?T|EES?T|[ECMP][SD]T|Z)(?![^\W\d_])|\s?[+-][01]\d:?[0-5]\d(?!\d))?"
                        r"(?:" + _AGE_AFTER + r")?", re.IGNORECASE)
# The glued age at the end of such a date, left out of the date that is parsed.
_AGE_TAIL = re.compile(r"(?<=\S)(?:" + _AGE_AFTER + r")$", re.IGNORECASE)
# The verb a tool wrapped onto the line after a "… NAME" header ("wrote:").
_WRAPPED_VERB = re.compile(r"^(?:\S+\s)?(?:wrote|said|says|schrieb|sagt|meint|a écrit|écrit|dit|escribió|dice|"
                           r"ha scritto|scrive|schreef|napisał|написал)\s*:$", re.IGNORECASE)
_QUOTE_BULLET = re.compile(r"^(\s*)[●•○◦▪■*](?=\s+[^\W\d_][^:]{0,40}:\s*$)")
# An edit stamp under a post's text ("Last edited: Jul 13, 2022", "Edited June 19, 2024 by Anna").
_EDIT_STAMP = re.compile(r"^(?:last\s+)?(?:edited|modified|updated)(?:\s+(?:on|at|by\s+\S+\s+on))?\s*:?\s*\S"
                         r"|^zuletzt\s+(?:bearbeitet|geändert)|^(?:bearbeitet|geändert)\s+(?:am|von)|^(?:modifié|édité)\s+le"
                         r"|^(?:editado|modificado)\s+(?:el|por)|^modificato\s+il", re.IGNORECASE)
# Per-post chrome without a date, one line per post: "last edited by", "Posted by Anna", an
# online badge, a member's join date or post count, "12 points", "3 replies", "#7", "Post #7".
# Anchors a dateless post list where such lines of one shape recur (only when no date line
# shape makes a list).
_CHROME_LINE = re.compile(
    r"(?<!\w)(?:(?:last\s+)?edited\s+by|posted\s+by|submitted\s+by|written\s+by|geschrieben\s+von|verfasst\s+von|"
    r"publié\s+par|escrito\s+por|scritto\s+da)(?!\w)"
    r"|(?<!\w)(?:online|offline)$"
    r"|(?<!\w)(?:member\s+since|joined|mitglied\s+seit|registriert\s+seit|dabei\s+seit|inscrit\s+(?:le|depuis)|"
    r"miembro\s+desde)(?!\w)"
    r"|^[-+]?\d[\d.,]*k?\s+(?:points?|punkte|posts?|beiträge|messages|replies|antworten|réponses|respuestas)$"
    r"|^(?:post\s+|beitrag\s+|message\s+)?#\d{1,6}$",
    re.IGNORECASE)
# A row of buttons after a name or count ("anna 1 Reply Last reply Reply Quote 0"): two
# different button words in a short line.
_BUTTON_ROW_WORDS = re.compile(
    r"(?<!\w)(reply|quote|report|share|like|antworten|zitieren|melden|teilen|répondre|citer|signaler|partager|"
    r"responder|citar|denunciar|rispondi|cita|segnala|permalink|flag)(?!\w)", re.IGNORECASE)
BUTTON_ROW_MAX_WORDS = 10
_WORDS = re.compile(r"[^\W_]+")
_LETTERS = re.compile(r"[^\W\d_]+")
# Buttons and counters under or above a comment, eight languages (patterns.COMMENT_FURNITURE
# covers reply, like, report, permalink; these are the vote and count lines of news sites).
# Each item is an atomic group and the separators possessive, with the longer words first: a
# line that almost matches fails in linear time (a plain alternation under "+" backtracked
# exponentially on long digit or word runs).
_ACTION_WORDS = (
    "click to rate", "rate", "vote", "votes", "upvote", "downvote", "recommend", "empfehlen", "leserempfehlungen",
    "leserempfehlung", "melden", "antworten", "reply", "report", "share it", "share", "teilen", "history", "permalink",
    "likes", "like", "dislike", "valoración", "menos", "más", "mas", "responder", "denunciar", "répondre",
    "signaler", "partager", "recommander", "rispondi", "segnala", "odpowiedz", "zgłoś", "ответить", "пожаловаться",
    "comment", "kommentieren", "flag", "weitere antworten anzeigen", "antworten anzeigen", "more replies",
    "show replies", "view replies", "load more",
)
_ACTION = re.compile(
    r"^[\s\[(|•□●○◦▪■‣·☆*+-]*+(?:(?>" + "|".join(re.escape(w) for w in sorted(_ACTION_WORDS, key=len, reverse=True))
    + r"|[-+]?\d{1,5}\s*(?:points?|punkte?|votes?|likes?)(?!\w)|\d++|[↑↓▲▼👍👎♥❤]++)"
    r"[\s:|/·•,()\[\]!.↑↓▲▼-]*+)++$",
    re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
# A button word on a comment's date line ("Report this Comment On …", "Reply · 3 hours ago").
_BUTTON_WORD = re.compile(r"(?<!\w)(?:report|reply|antworten|melden|répondre|signaler|responder|denunciar|rispondi|"
                          r"segnala|odpowiedz|zgłoś|ответить|пожаловаться)(?!\w)", re.IGNORECASE)
# A count of comments on a date line ("3. Mai 2021 | 12 Kommentare"): a teaser's meta line.
_COUNT_OF_COMMENTS = re.compile(r"(?<!\w)\d{1,6}\s*(?:" + "|".join(
    re.escape(n) for n in sorted(patterns.SECTION_NOUNS, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)
# Reply references ("Antwort auf #1 von Anna", "In reply to Anna", "En réponse à Anna",
# "Respuesta a Anna", "Replying to @anna").
_REPLY_REF = re.compile(
    r"^(?:\(BUTTON\)\s*)?(?:Antwort auf|In reply to|Replying to|Reply to|En réponse à|Réponse à|"
    r"Respuesta a|En respuesta a|In risposta a|Risposta a|In antwoord op|W odpowiedzi na|Ответ на|Ответ для)"
    r"\s+(?:(?:#|Nr\.?\s?)(?P<ord>\d{1,5}(?:\.\d{1,5})*)\s*)?(?:(?:von|by|de|di|van|od|от)\s+)?@?(?P<name>[^\n]{0,60}?)"
    r"\s*:?$", re.IGNORECASE)
# A post number standing alone at either end of a date line's other words ("… 1:13am 2", "#3 —").
_POST_NUMBER = re.compile(r"(?:^|\s)#?(\d{1,5})\s*$|^\s*#(\d{1,5})(?!\w)")
# Teaser-list links that recur under every teaser: no post chrome.
_TEASER_LINK = re.compile(r"(?<!\w)(?:read more|continue reading|weiterlesen|mehr lesen|lire la suite|leer más|"
                          r"leggi tutto|lees meer|czytaj dalej|читать далее|more|mehr|plus)(?!\w)"
                          # a teaser's reading time ("3 min read", "9 min lues", "5 Min. Lesezeit")
                          r"|\bmin(?:\.|utes?|uten)?\s+(?:read|lues|de lecture|lesezeit|lectura|di lettura|leestijd)\b"
                          r"|lesezeit|reading time|temps de lecture|tiempo de lectura", re.IGNORECASE)
_OWN_POST_NUMBER = re.compile(r"^#?(\d{1,5})$|^(?:post\s+|beitrag\s+)#?(\d{1,5})$", re.IGNORECASE)
_ORDINAL = re.compile(r"(?<![\w.])#(\d{1,5}(?:\.\d{1,5})*)(?![\w.])")
_MENTION = re.compile(r"^@\s?([^\W\d][\w.\- ]{0,40})")
# A counter under a name ("1264 Fans", "412 Beiträge", "7"): never the author.
_COUNT_LINE = re.compile(r"^[\d.,]+(?:\s+\S+)?$")
_PROSE_END = re.compile(r"[.!?…]$")  # "… wrote:" ends a meta line, not a sentence
_SENTENCE_END = re.compile(r"[.!?…:;\"“”]$")

_BLANK, _ANCHOR_KIND, _FURN, _SHORT, _TEXT = range(5)


@dataclass(slots=True)
class ShapeComment:
    """One comment: its anchor (date line), header span, text span and what the header says."""

    anchor: int
    head_start: int
    body_start: int
    body_end: int = 0
    author: str | None = None
    date_text: str | None = None
    indent: int = 0
    ordinal: str | None = None
    reply_to_ordinal: str | None = None
    reply_to_name: str | None = None
    text: str = ""


@dataclass(slots=True)
class ShapeReading:
    """The comments of a page read by their recurring shape."""

    comments: list[ShapeComment]
    shape: str
    evidence: str
    heading: int | None = None
    pingbacks: list[int] = field(default_factory=list)  # anchor lines of pingbacks kept apart
    # Whether nesting signs are read: not in a forum's post list (anchored on dateless post
    # chrome), where replies are quotes and "@name" mentions and the board shows no tree.
    nesting: bool = True
    # Anchored on name lines alone (no date, no button): its edges get a lower confidence.
    dateless: bool = False


def _strip(line: str) -> str:
    """A line's content without bullets, heading marks and avatar or button stand-ins."""
    content = line.strip(_BULLETS)
    prev = None
    while prev != content:
        prev = content
        content = _HEADING_MARK.sub("", content)
        content = _PLACEHOLDER.sub("", content).strip(_BULLETS)
    return content


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _date_span(content: str) -> tuple[int, int] | None:
    """Where a short line's date is, or None when it has none or is too long for a meta line."""
    if not content or len(content) > DATE_LINE_MAX_CHARS:
        return None
    if "_" in content:  # Debian html2text's no-break spaces ("8_hours_ago"); same length, same span
        content = content.replace("_", " ")
    glued = _GLUED_AGE.search(content)
    if glued is not None:  # the glued age is dropped from the date span (same length: a space)
        end = glued.end()
        age = re.match(r"\d{1,2}\s?[^\W\d_]+", content[end:])
        content = content[:end] + " " * (age.end() if age else 0) + content[end + (age.end() if age else 0):]
    if cjkdates.date_line(content):  # "21 天", "3 小时前", "5 月 6 日": a CJK locale's ages and dates
        return 0, len(content)
    if not any(c.isdigit() for c in content):
        if patterns.relative_date_line(content):
            return 0, len(content)
        match = _REL_ANYWHERE.search(content)  # "ayeaye about a minute ago"
        return (match.start(), match.end()) if match is not None else None
    for pattern in (patterns.DATE_IN_LINE, _SPACED_DATE, _REL_ANYWHERE, _DAY_TIME, _COMPACT_AGE):
        # Vote buttons between the counters ("3mo (BUTTON) 47 (BUTTON) (BUTTON) 33", lynx) are blanked.
        match = pattern.search(content.replace("(BUTTON)", "        ") if pattern is _COMPACT_AGE else content)
        if match is not None:
            end = match.end()
            if pattern is patterns.DATE_IN_LINE or pattern is _SPACED_DATE:
                tail = _DATE_TAIL.match(content, end)
                end = tail.end() if tail is not None else end
            # The same date printed twice in a row (a desktop and a mobile span, glued by the
            # tool): one date, so "today" and "yesterday" lines keep one shape.
            again = content[match.start(): end]
            gap = len(content[end:]) - len(content[end:].lstrip(" "))
            if len(again) >= 5 and content.startswith(again, end + gap):
                end += gap + len(again)
            return match.start(), end
    return None


def _is_date_line(content: str) -> tuple[int, int] | None:
    span = _date_span(content)
    if span is None:
        return None
    rest = content[: span[0]] + " " + content[span[1]:]
    if len(_WORDS.findall(rest)) > DATE_LINE_MAX_WORDS or capturelist.byline(content):
        return None
    if _COUNT_OF_COMMENTS.search(rest):
        return None  # a teaser's meta line with its comment count
    if _PROSE_END.search(content[span[1]:].rstrip(" )")) and len(_LETTERS.findall(rest)) > 4:
        return None  # a sentence mentioning a date
    return span


def _wrapped_on(previous: str) -> bool:
    """Whether a line continues the line above it: a long line of prose that ends mid-sentence
    (a date in a wrapped paragraph, "… hat am" / "20. April 2020 beschlossen")."""
    return len(previous) > SHORT_MAX_CHARS and not _SENTENCE_END.search(previous.rstrip(" )*_"))


def _shape_words(content: str, span: tuple[int, int]) -> list[str]:
    return [w.casefold() for w in _LETTERS.findall(content[: span[0]] + " § " + content[span[1]:])]


def _shape(content: str, span: tuple[int, int], common: frozenset[str]) -> str:
    """The date line with its date as "§", shared words kept and any other run as one "*"."""
    out: list[str] = []
    for part, is_date in ((content[: span[0]], False), ("§", True), (content[span[1]:], False)):
        if is_date:
            out.append("§")
            continue
        for token in re.findall(r"[^\W\d_]+|\S", part):
            word = token.casefold()
            # A separator between name and date ("Anna · 3 hours ago") is part of the shape: a
            # sidebar's "Topic starter · 1 hour ago" lines are not the posts' "Posted DATE".
            item = word if word in common or word in _SHAPE_SEPARATORS else "*"
            if not (item == "*" and out and out[-1] == "*"):
                out.append(item)
    return " ".join(out)


def _furniture_key(content: str) -> str:
    return _DIGITS.sub("9", content.casefold())


def _is_action(content: str) -> bool:
    if "_" in content:  # Debian html2text prints a no-break space as "_" ("Share_it", "349_Fans")
        content = content.replace("_", " ")
    return bool(_ACTION.match(content) or patterns.COMMENT_FURNITURE.match(content))


def _is_button(content: str) -> bool:
    """A button line (words, not only a vote count): evidence of a comment, where a bare number
    may be a teaser's comment count."""
    return (_is_action(content) and _LETTERS.search(content) is not None) or _button_row(content)


def _button_row(content: str) -> bool:
    """A short line holding two different button words ("anna 1 Reply Last reply Reply Quote 0")."""
    if len(content) > FURNITURE_MAX_CHARS:
        return False
    found = _BUTTON_ROW_WORDS.findall(content)
    return len(found) >= 2 and len({w.casefold() for w in found}) >= 2 and len(content.split()) <= BUTTON_ROW_MAX_WORDS


def _short(content: str) -> bool:
    return (len(content) <= SHORT_MAX_CHARS and len(content.split()) <= SHORT_MAX_WORDS
            and not _SENTENCE_END.search(content))


def _anchors(contents: list[str]) -> tuple[list[int], dict[int, tuple[int, int]], str]:
    """The date lines of the largest recurring shape, their date spans, and the shape."""
    spans, groups = _shape_groups(contents)
    if not groups:
        return [], {}, ""
    shape, members = groups[0]
    return members, spans, shape


def _date_spans(contents: list[str]) -> dict[int, tuple[int, int]]:
    """The date lines of a capture and where their dates are."""
    spans: dict[int, tuple[int, int]] = {}
    for idx, content in enumerate(contents):
        if content and not (idx and _wrapped_on(contents[idx - 1]) and (
                len(content) > SHORT_MAX_CHARS or content[0].islower())) and not (
                idx + 1 < len(contents) and _wrapped_on(content) and content[-1:].isalpha()
                and len(contents[idx + 1]) > SHORT_MAX_CHARS):
            span = _is_date_line(content)
            if span is not None and _EDIT_STAMP.match(content):
                span = None  # "Last edited: Jul 13, 2022": an edit under a post, not its header
            # A member's "Mitglied seit" / date in a forum's post header is no comment date.
            if span is not None and not patterns.profile_value(contents, idx):
                spans[idx] = span
    # A date that is one field of a profile card ("Posts: 782" / "Joined: Thu Jan 31, 2019 7:10
    # pm" / "Location: …") is the member's, not the post's: left out where other date lines
    # remain for the posts (a header printed as "Date: …" among "Name: …" fields keeps its dates).
    carded = [idx for idx in spans if _in_field_card(contents, idx)]
    if len(carded) >= MIN_COMMENTS and len(spans) - len(carded) >= MIN_COMMENTS:
        for idx in carded:
            del spans[idx]
    return spans


def _in_field_card(contents: list[str], idx: int) -> bool:
    """Whether a line is a "Label: value" field with another such field among the two non-blank
    lines above or below it."""
    if _FIELD.match(contents[idx]) is None:
        return False
    for step in (-1, 1):
        seen = 0
        at = idx + step
        while 0 <= at < len(contents) and seen < 2:
            if contents[at]:
                seen += 1
                if _FIELD.match(contents[at]) is not None and len(contents[at]) <= FURNITURE_MAX_CHARS:
                    return True
            at += step
    return False


def _shape_groups(contents: list[str]) -> tuple[dict[int, tuple[int, int]], list[tuple[str, list[int]]]]:
    """The date spans and the date lines grouped by shape, the likeliest comment list first."""
    spans = _date_spans(contents)
    if len(spans) < MIN_COMMENTS:
        return {}, []
    word_lines = Counter(w for idx, span in spans.items() for w in set(_shape_words(contents[idx], span)))
    common = frozenset(w for w, n in word_lines.items() if n >= SHAPE_WORD_SHARE * len(spans))
    groups: dict[str, list[int]] = {}
    for idx, span in spans.items():
        groups.setdefault(_shape(contents[idx], span, common), []).append(idx)
    return spans, _ranked(contents, _merge_wrapped(groups))


def _merge_wrapped(groups: dict[str, list[int]]) -> dict[str, list[int]]:
    """A shape that is the start of a larger one and ends in a wildcard is the same header
    wrapped by the tool ("report this comment on § *" for "… § * wrote *" whose "wrote:" went
    to the next line); it needs a shared word besides the date."""
    out = dict(groups)
    for shape in sorted(groups, key=lambda k: len(groups[k])):
        tokens = shape.split()
        if tokens[-1:] != ["*"] or not any(t not in ("*", "§") for t in tokens):
            continue
        host = max((k for k in out if k != shape and k.split()[: len(tokens)] == tokens
                    and len(out[k]) > len(out.get(shape, []))), key=lambda k: len(out[k]), default=None)
        if host is not None and shape in out:
            out[host] = sorted(out[host] + out.pop(shape))
    return out


def _ranked(contents: list[str], groups: dict[str, list[int]]) -> list[tuple[str, list[int]]]:
    # Quote titles of earlier posts ("36 minutes ago, Anna said:") are date lines inside posts:
    # their shape comes after any other recurring one.
    ranked = sorted(groups.items(), key=lambda kv: (
        len(kv[1]) >= MIN_COMMENTS and not _quote_titles(contents, kv[1]), len(kv[1]), -kv[1][0]), reverse=True)
    # In a shape that is mostly not quote titles, a quote title of the same shape ("2 hours ago,
    # Anna said:" among "April 2, 2024 1 yr") is a quote inside a post, not a post.
    return [(shape, sorted(members) if _quote_titles(contents, members) else
             sorted(i for i in members if not _quote_title(contents[i]))) for shape, members in ranked]


def _quote_titles(contents: list[str], members: list[int]) -> bool:
    """Whether most lines of a shape open a quote ("…, Anna said:", "Zitat von Anna")."""
    return sum(1 for i in members if _quote_title(contents[i])) > len(members) / 2


def _quote_title(content: str) -> bool:
    """A quote's title line; "Report this Comment On DATE, NAME wrote:" (a button on it) is a
    comment's own header."""
    return content.endswith(":") and forumposts.QUOTE_OPEN.match(content) is not None and not _BUTTON_WORD.search(content)


def _recurring(contents: list[str], anchors: list[int]) -> frozenset[str]:
    """Short lines that recur (digits aside) in a third of the comments: each comment's furniture."""
    seen: Counter[str] = Counter()
    bounds = [*anchors, min(len(contents), anchors[-1] + 40)]
    for a, b in zip(bounds, bounds[1:], strict=False):
        # An "@name" line opens a reply's text, however often the same name is answered.
        seen.update({_furniture_key(c) for c in contents[a + 1: b] if c and len(c) <= FURNITURE_MAX_CHARS
                     and not _MENTION.match(c)})
    need = max(2, FURNITURE_SHARE * len(anchors))
    # The line right above each date line: where it varies from comment to comment it is the
    # commenter's name, however often one name comes back (two people answering each other).
    above: Counter[str] = Counter()
    for a in anchors:
        idx = a - 1
        while idx >= 0 and not contents[idx]:
            idx -= 1
        if idx >= 0 and len(contents[idx]) <= FURNITURE_MAX_CHARS:
            above[_furniture_key(contents[idx])] += 1
    names = frozenset(above) if len(above) >= max(3, FURNITURE_SHARE * len(anchors)) else frozenset()
    return frozenset(k for k, n in seen.items() if n >= need and k not in names)


def _kinds(contents: list[str], anchors: set[int], recurring: frozenset[str], stand_ins: set[int]) -> list[int]:
    kinds: list[int] = []
    for idx, content in enumerate(contents):
        if not content:
            kinds.append(_FURN if idx in stand_ins else _BLANK)
        elif idx in anchors:
            kinds.append(_ANCHOR_KIND)
        elif idx in stand_ins:
            kinds.append(_FURN)
        elif len(content) <= FURNITURE_MAX_CHARS and (_is_action(content) or _furniture_key(content) in recurring
                                                       or _button_row(content)):
            kinds.append(_FURN)
        elif _short(content):
            kinds.append(_SHORT)
        else:
            kinds.append(_TEXT)
    return kinds


def _lead(kinds: list[int], contents: list[str], anchor: int, low: int) -> tuple[int, bool]:
    """How many non-blank lines above ``anchor`` (not above ``low``) belong to its header, and
    whether the walk ended at furniture (the previous comment's footer or the avatar stand-in
    that opens this header: a clean count)."""
    # First: furniture within a few short lines (a title "Et les prix ?" or a tagline between).
    taken = 0
    idx = anchor - 1
    while idx >= low and taken < MAX_LEAD_LINES:
        kind = kinds[idx]
        if kind == _FURN:
            if taken == 0:
                chrome = _chrome_over_name(kinds, contents, idx, low)
                if chrome:
                    return chrome, True
            return taken, True
        if kind == _ANCHOR_KIND:
            break  # the previous comment's header: its text lies between
        if kind != _BLANK:
            if len(contents[idx]) > FURNITURE_MAX_CHARS:
                break
            taken += 1
        idx -= 1
    if idx < low and low == 0:
        return taken, True
    # Else only the short lines right above the anchor (name, rank), not a clean count.
    taken = 0
    idx = anchor - 1
    while idx >= low:
        kind = kinds[idx]
        if kind == _TEXT:
            return taken, False
        if kind == _SHORT:
            if taken == MAX_LEAD_LINES:
                return taken, False
            taken += 1
        idx -= 1
    return taken, False


def _chrome_over_name(kinds: list[int], contents: list[str], idx: int, low: int) -> int:
    """Lines of a header whose chrome stands between the name and the date line ("Anna" /
    "English" / "14·" / "2 years ago"): the furniture run right above the anchor (no buttons:
    those end the previous comment) and one short line above it, the name, with a blank or
    prose above that.  Returns the non-blank lines taken, 0 when the header is not so."""
    taken = 0
    while idx >= low and kinds[idx] in (_FURN, _BLANK):
        if kinds[idx] == _FURN:
            if _is_button(contents[idx]):
                return 0
            taken += 1
        idx -= 1
    if idx < low or kinds[idx] != _SHORT or _COUNT_LINE.match(contents[idx]):
        return 0
    above = idx - 1
    if above >= low and kinds[above] not in (_BLANK, _TEXT, _FURN):
        return 0  # two short lines: a title or a previous text, not a lone name
    return taken + 1


def _start_of_lead(kinds: list[int], anchor: int, n: int) -> int:
    """The first line of the ``n`` non-blank lines above ``anchor`` (the anchor itself for 0)."""
    idx = anchor
    while n and idx > 0:
        idx -= 1
        if kinds[idx] != _BLANK:
            n -= 1
    return idx


def _header_end(kinds: list[int], anchor: int, high: int, contents: list[str] | None = None) -> int:
    """The first line after the anchor's header: blank lines, furniture and vote counts go, and
    a short date line among them (a member's join date under "Member since")."""
    idx = anchor + 1
    # The wrapped end of the anchor line ("… SuntanIronMan" / "wrote:") is header too.
    if contents is not None and idx < high and _WRAPPED_VERB.match(contents[idx]):
        idx += 1
    while idx < high and (kinds[idx] in (_BLANK, _FURN) or (
            contents is not None and kinds[idx] == _SHORT and _date_span(contents[idx]) is not None
            and _furniture_follows(kinds, idx + 1, high))):
        idx += 1
    return idx


def _furniture_follows(kinds: list[int], idx: int, high: int) -> bool:
    """Whether the next non-blank line is furniture (the header goes on after a date in it)."""
    while idx < high and kinds[idx] == _BLANK:
        idx += 1
    return idx < high and kinds[idx] == _FURN


def _thread_end(contents: list[str], kinds: list[int], start: int, footers: bool) -> int:
    """Where the last comment's text ends: its footer, the reply form, or navigation."""
    run = 0
    seen_text = False
    for idx in range(start, len(contents)):
        kind = kinds[idx]
        content = contents[idx]
        if kind == _BLANK:
            continue
        if capturelist.section_header(content)[0] or patterns.parse_comment_header(content) is not None:
            return idx - run if run else idx
        if footers and kind == _FURN and seen_text:
            return idx
        if kind == _SHORT or kind == _FURN:
            run += 1
            if run >= END_RUN:
                # The run's first line ends the comment (walk back over its lines).
                back = idx
                n = run
                while n > 1 and back > start:
                    back -= 1
                    if kinds[back] != _BLANK:
                        n -= 1
                return back
        else:
            run = 0
            seen_text = True
    return len(contents)


def _author(content: str, span: tuple[int, int], common: frozenset[str], lead: list[str]) -> str | None:
    """The name on the date line (before or after the date, shared words aside) or above it."""
    glued = _GLUED_AGE.search(content)
    if glued is not None:  # "June 14, 20241 yr": the age after the date is no name
        age = re.match(r"\d{1,2}\s?[^\W\d_]+", content[glued.end():])
        if age is not None:
            content = content[: glued.end()] + " " * age.end() + content[glued.end() + age.end():]
    for part in (content[: span[0]], content[span[1]:]):
        words = [w for w in re.findall(r"[^\s,|·•—–:()]+", part)
                 if w.casefold() not in common and not w.startswith("#") and not _DIGITS.fullmatch(w)]
        if words:
            name = " ".join(words)
            first = re.split(r",\s", part.strip(" ,|·•—–-:("))[0]
            if first and all(w.casefold() not in common for w in _LETTERS.findall(first)):
                name = first.strip()
            compact = _COMPACT_AGE.search(content)
            if compact is not None:  # "Anna Berg3mo 47 33": the name ends where the age starts
                name = content[: compact.start()].strip()
            return name or None
    for line in reversed(lead):
        if line and not _COUNT_LINE.match(line) and len(line) <= SHORT_MAX_CHARS:
            return line
    return None


def read_shapes(lines: list[str]) -> ShapeReading | None:
    """The comments of a capture read by their recurring shape, or None when it shows none."""
    contents = [_strip(line) for line in lines]
    # Date lines first; else per-post chrome without a date ("last edited by", "Member since").
    for dated, grouping in ((True, _shape_groups), (False, _chrome_groups)):
        spans, groups = grouping(contents)  # the chrome pass only where no date shape made a list
        if dated:
            groups = _interleaved(contents, groups) + groups
        # The largest shape first; a smaller one (the posts' "Posted DATE" under a sidebar's
        # "Name · 1 hour ago" list) when it fails and recurs at least as often as a short thread.
        for n, (shape, anchors) in enumerate(groups[:MAX_SHAPES]):
            if len(anchors) < (MIN_COMMENTS if n == 0 else FEW_COMMENTS):
                break
            reading = _read_shape(lines, contents, anchors, spans, shape)
            if reading is not None:
                reading.nesting = reading.nesting and dated
                if not dated:  # the anchor is post chrome ("Member since"), not a date
                    for c in reading.comments:
                        c.date_text = None
                return reading
    return None


def _footers(contents: list[str], anchors: list[int]) -> list[frozenset[str]]:
    """The button lines and learnt furniture lines with words (digits as 9) between each anchor
    and the next: each comment's footer ("Reply", "Collapse", "New comment")."""
    recurring = _recurring(contents, anchors)
    bounds = [*anchors, min(len(contents), anchors[-1] + 40)]
    return [frozenset(_furniture_key(c) for c in contents[a + 1: b]
                      if c and len(c) <= FURNITURE_MAX_CHARS and _LETTERS.search(c) is not None
                      and (_is_button(c) or _furniture_key(c) in recurring))
            for a, b in zip(bounds, bounds[1:], strict=False)]


def _interleaved(contents: list[str], groups: list[tuple[str, list[int]]]) -> list[tuple[str, list[int]]]:
    """The largest date-line shape joined with the other shapes whose lines alternate with it
    under the same footer: one list whose comments show two kinds of date line.

    A list may print a full date over a comment and only an age over a folded one ("April 12
    2018, 04:34:23 UTC1 week ago" and "1 week ago": each shape alone takes the other's comments
    into its texts), or a date with and without its edit note.  Joined only where every piece
    the join makes is a comment: at least half of the pieces before and after each line of the
    other shape end in the same footer (a button line the pieces share) as the list's own
    comments.  A quote's title inside a post ("On DATE, NAME wrote:") splits a post whose first
    piece has no footer, so it is never joined.
    """
    if len(groups) < 2 or len(groups[0][1]) < MIN_COMMENTS:
        return []
    shape, members = groups[0]
    joined = list(members)
    others: list[str] = []
    for other, extra in groups[1:MAX_SHAPES + 1]:
        if len(extra) < MIN_COMMENTS or _quote_titles(contents, extra):
            continue
        low, high = max(joined[0], extra[0]), min(joined[-1], extra[-1])
        inside = [i for i in extra if low <= i <= high]
        if len(inside) < MIN_COMMENTS:
            continue  # another list (a sidebar's dates above or below), not interleaved
        trial = sorted(set(joined) | set(extra))
        feet = _footers(contents, trial)
        shared = Counter(k for f in feet for k in f)
        common = {k for k, n in shared.items() if n >= EVIDENCE_SHARE * len(trial)}
        if not common:
            continue
        at = {a: n for n, a in enumerate(trial)}
        extra_set = set(extra)
        # The piece before each line of the other shape and the piece it opens both end in a footer.
        pieces = [n for a in extra if a in at for n in (at[a] - 1, at[a]) if n >= 0]
        if sum(1 for n in pieces if feet[n] & common) < EVIDENCE_SHARE * len(pieces) or sum(
                1 for n in range(len(trial)) if trial[n] not in extra_set and feet[n] & common) < EVIDENCE_SHARE * len(members):
            continue
        joined = trial
        others.append(other)
    return [(shape + " | " + " | ".join(others), joined)] if others else []


def _chrome_groups(contents: list[str]) -> tuple[dict[int, tuple[int, int]], list[tuple[str, list[int]]]]:
    """The per-post chrome lines without a date, grouped by shape like date lines (the chrome
    as the mark), the largest group first."""
    spans: dict[int, tuple[int, int]] = {}
    for idx, content in enumerate(contents):
        if content and len(content) <= SHORT_MAX_CHARS:
            match = _CHROME_LINE.search(content)
            if match is not None and not _is_date_line(content):
                spans[idx] = (match.start(), match.end())
    if len(spans) < FEW_COMMENTS:
        return {}, []
    # Grouped by the chrome's words alone: "last edited by" and "last edited by anna" are one
    # kind (the editor's name is there or not).
    groups: dict[str, list[int]] = {}
    for idx, span in spans.items():
        groups.setdefault(_chrome_kind(contents[idx], span), []).append(idx)
    return spans, [(shape, members) for shape, members in _ranked(contents, groups) if len(members) >= FEW_COMMENTS]


def _chrome_kind(content: str, span: tuple[int, int]) -> str:
    """The chrome's own words (digits as 9): "last edited by", "9 points", "member since"."""
    return "[" + _DIGITS.sub("9", content[span[0]: span[1]].casefold()) + "]"


def _read_shape(lines: list[str], contents: list[str], anchors: list[int], spans: dict[int, tuple[int, int]],
                shape: str) -> ShapeReading | None:
    """The comments anchored on the date lines of one shape, or None when they are no list."""
    recurring = _recurring(contents, anchors)
    anchors, repeated = _collapse_repeats(contents, anchors, spans, recurring)
    if repeated:
        recurring = _recurring(contents, anchors)  # a third of the posts, not of the date lines
    # Lines that are only an avatar or button stand-in ("[avatar_site.jpg]", "(BUTTON)") open or
    # close a comment: furniture, not blank.
    stand_ins = {i for i, line in enumerate(lines) if not contents[i] and _PLACEHOLDER.match(line.strip(_BULLETS))}
    kinds = _kinds(contents, set(anchors), recurring, stand_ins | repeated)
    # Date lines of one shape far apart are separate lists (a teaser box of "AP - 53 mins ago"
    # lines above the comments): each cluster is tried, the largest first.
    numbers = _post_numbers(contents, anchors, spans)
    for cluster in sorted(_clusters(anchors, contents, numbers), key=len, reverse=True):
        if len(cluster) < MIN_COMMENTS:
            break
        reading = _read_cluster(lines, contents, kinds, cluster, spans, shape, numbers, recurring)
        if reading is not None and len(cluster) < len(anchors) and _CONVERSATION in reading.evidence:
            # A long post (a quoted log, code) splits a conversation by its gap alone: the whole
            # run of signature lines, where the names still take turns, is one thread.
            whole = _read_cluster(lines, contents, kinds, anchors, spans, shape, numbers, recurring)
            if whole is not None and _CONVERSATION in whole.evidence and len(whole.comments) > len(reading.comments):
                reading = whole
        if reading is not None:
            return reading
    return None


def _post_numbers(contents: list[str], anchors: list[int], spans: dict[int, tuple[int, int]]) -> dict[int, int]:
    """The post number on each anchor line outside its date ("peccavi January 11, 2025, 1:13am
    2", "#14 · 3 days ago"), where the capture shows one."""
    out: dict[int, int] = {}
    for a in anchors:
        span = spans[a]
        rest = contents[a][: span[0]] + " " + contents[a][span[1]:]
        match = _POST_NUMBER.search(rest)
        if match is None:
            # The number on a line of its own right under or above the date ("January 11,
            # 2025" / "1", "March 23, 2024" / "#5").
            near = [i for i in (a + 1, a + 2, a - 1) if 0 <= i < len(contents) and contents[i]]
            for i in near[:1] + [i for i in near[1:] if i == a - 1]:
                match = _OWN_POST_NUMBER.match(contents[i])
                if match is not None:
                    break
        if match is not None:
            out[a] = int(match.group(1) or match.group(2))
    return out


def _consecutive(numbers: dict[int, int], a: int, b: int) -> bool:
    return a in numbers and b in numbers and numbers[b] == numbers[a] + 1


def _rising_numbers(numbers: dict[int, int], anchors: list[int]) -> bool:
    """Whether the anchors carry post numbers counting up one by one (most of them): a list of
    posts, never a teaser list."""
    pairs = list(zip(anchors, anchors[1:], strict=False))
    return len(anchors) >= FEW_COMMENTS and sum(_consecutive(numbers, a, b) for a, b in pairs) >= RISING_SHARE * len(pairs)


def _collapse_repeats(contents: list[str], anchors: list[int], spans: dict[int, tuple[int, int]],
                      recurring: frozenset[str]) -> tuple[list[int], set[int]]:
    """One anchor per post where a header shows its date twice (the author card and the post
    header, "June 14, 2024" / "Author stats" / "June 14, 2024"): the later copy, with at most one
    chrome line between, is furniture of the same header."""
    kept: list[int] = []
    repeated: set[int] = set()
    for a in anchors:
        if kept and _same_header(contents, kept[-1], a, spans, recurring):
            repeated.update(i for i in range(kept[-1] + 1, a + 1) if contents[i])
            continue
        kept.append(a)
    return kept, repeated


def _same_header(contents: list[str], a: int, b: int, spans: dict[int, tuple[int, int]],
                 recurring: frozenset[str]) -> bool:
    date_a = contents[a][spans[a][0]: spans[a][1]]
    if date_a != contents[b][spans[b][0]: spans[b][1]]:
        return False
    between = [c for c in contents[a + 1: b] if c]
    chrome = [c for c in between if len(c) <= FURNITURE_MAX_CHARS and (_is_action(c) or _furniture_key(c) in recurring)]
    # A badge ("Author") may stand between too: one or two words, no sentence.
    badges = [c for c in between if c not in chrome and len(c.split()) <= 2 and not _SENTENCE_END.search(c)]
    return len(between) <= 2 and len(chrome) + len(badges) == len(between) and (not between or bool(chrome))


def _clusters(anchors: list[int], contents: list[str], numbers: dict[int, int] | None = None) -> list[list[int]]:
    """The anchors split where they are far apart or a comment heading stands between (the
    article's own dated byline above the comment section); never between consecutive post
    numbers (a long post)."""
    numbers = numbers or {}
    gaps = [b - a for a, b in zip(anchors, anchors[1:], strict=False)]
    limit = max(CLUSTER_MIN_GAP, CLUSTER_GAP_FACTOR * statistics.median(gaps)) if gaps else 0
    out = [[anchors[0]]]
    for gap, anchor in zip(gaps, anchors[1:], strict=False):
        if (gap > limit or _heading_between(contents, anchor - gap, anchor)) and not _consecutive(
                numbers, anchor - gap, anchor):
            out.append([])
        out[-1].append(anchor)
    return out


def _heading_between(contents: list[str], low: int, high: int) -> bool:
    return any(len(contents[i]) <= 80 and contents[i][:1].isalnum() and not _is_action(contents[i])
               and not _button_row(contents[i])  # "1 Reply Last reply Reply Quote": a post's buttons
               and capturelist.section_header(contents[i])[0] for i in range(low + 1, high) if contents[i])


def _chrome_evidence(lines: list[str], contents: list[str], anchors: list[int], numbers: dict[int, int],
                     recurring: frozenset[str]) -> str | None:
    """Per-post chrome other than buttons that shows a list of user posts, never a teaser list:
    post numbers counting up, anchors indented at several depths (a reply tree), or a learnt
    line with words recurring in nearly every post's header (a language tag, "Member",
    "Link to comment")."""
    if _rising_numbers(numbers, anchors):
        return "post numbers counting up"
    indents = Counter(_indent(lines[a].expandtabs(8)) for a in anchors)
    if len(indents) >= 2 and len(anchors) >= FEW_COMMENTS and indents.most_common(1)[0][1] < len(anchors):
        deeper = sum(n for depth, n in indents.items() if depth > min(indents))
        depths = [_indent(lines[a].expandtabs(8)) for a in anchors]
        # A reply tree opens at its top level: a list whose first date is deeper than later
        # ones is comments followed by something else (related articles at the margin).
        if deeper >= 1 and depths[0] == min(depths) and _tree_like(depths):
            return f"anchors at {len(indents)} indentation depths"
    keys: Counter[str] = Counter()
    for a in anchors:
        # Only the post's header counts (the short lines around its anchor): a link under
        # each item of a book list ("Add to Goodreads") is no post chrome.  A quote's closer
        # ("Click to expand...") recurs where posts quote, not per post.
        keys.update({_furniture_key(contents[i]) for i in _header_zone(contents, a)
                     if _furniture_key(contents[i]) in recurring and _LETTERS.search(contents[i])
                     and _date_span(contents[i]) is None  # a member's join date is no post chrome
                     and not _TEASER_LINK.search(contents[i]) and not forumposts.QUOTE_CLOSE.match(contents[i])})
    need = CHROME_SHARE * len(anchors)
    chrome = [k for k, n in keys.items() if n >= need and n <= len(anchors) + 1]
    if len(anchors) >= FEW_COMMENTS and chrome:
        return f"recurring post chrome {sorted(chrome)[0]!r}"
    return None


# A conversation (session 12): the posts' signature lines are a name and a date with its time
# of day ("Kerry Brown 2009-12-07 07:24 UTC" over each post of a static board archive, no
# buttons, no heading, no numbers), the names several, one of them coming back after another's
# post (people answering each other), and prose between the lines.  A teaser list's bylines
# carry one author, or authors that do not take turns, and a title line above each date.
CONVERSATION_MIN_POSTS = 4
CONVERSATION_TIME_SHARE = 0.8
CONVERSATION_NAME_WORDS = 4
CONVERSATION_PROSE_SHARE = 0.5
_TIME_OF_DAY = re.compile(r"(?<!\d)\d{1,2}[:h.]\d{2}(?!\d)")
_NAME_EDGE = " \t·•|,:;–—-"
# What may follow the date on a signature line: a time zone ("UTC", "+0100", "(CET)"), nothing
# with lower-case letters (a reply button after the date belongs to a list signed below its texts).
_ZONE_TAIL = re.compile(r"^[\s(]*(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2})?[\s)]*$")
_CONVERSATION = "names taking turns on dated signature lines"


def _conversation_evidence(contents: list[str], anchors: list[int], spans: dict[int, tuple[int, int]],
                           kinds: list[int]) -> str | None:
    """Names taking turns on dated signature lines, with prose between them, or None."""
    if len(anchors) < CONVERSATION_MIN_POSTS:
        return None
    names: list[str] = []
    timed = 0
    for a in anchors:
        start, end = spans[a]
        line = contents[a]
        name = line[:start].strip(_NAME_EDGE)
        words = name.split()
        if not words or len(words) > CONVERSATION_NAME_WORDS or not _ZONE_TAIL.match(line[end:]):
            return None  # the name opens the line, the date (a time zone at most) closes it: no button
        if _SENTENCE_END.search(name) or not any(c.isalpha() for c in name):
            return None
        names.append(name.casefold())
        timed += bool(_TIME_OF_DAY.search(line[start:]))
    if timed < CONVERSATION_TIME_SHARE * len(anchors):
        return None
    # Someone answers again after another's post: "A … B … A".
    last: dict[str, int] = {}
    turns = 0
    for n, name in enumerate(names):
        if name in last and any(names[k] != name for k in range(last[name] + 1, n)):
            turns += 1
        last[name] = n
    if len(last) < 2 or turns == 0:
        return None
    # Prose between the signature lines: a text line in most posts.
    bounds = [*anchors[1:], min(len(contents), anchors[-1] + 40)]
    prose = sum(1 for a, b in zip(anchors, bounds, strict=True) if any(kinds[i] == _TEXT for i in range(a + 1, b)))
    if prose < CONVERSATION_PROSE_SHARE * len(anchors):
        return None
    return f"{len(last)} {_CONVERSATION} ({turns} returns)"


def _header_zone(contents: list[str], anchor: int) -> list[int]:
    """The non-blank short lines right above and below an anchor, up to the nearest prose."""
    out: list[int] = []
    for step in (-1, 1):
        idx = anchor + step
        taken = 0
        while 0 <= idx < len(contents) and taken < HEADER_ZONE_LINES:
            content = contents[idx]
            if content:
                if len(content) > FURNITURE_MAX_CHARS or (not _short(content) and not _is_action(content)):
                    break
                out.append(idx)
                taken += 1
            idx += step
    return out


def _tree_like(indents: list[int]) -> bool:
    """Whether the anchors' indentation looks like a reply tree, not one header printed at
    another indentation (a thread's opening post over its replies): the top level holds two
    comments, or the tree three depths."""
    top = min(indents)
    return indents.count(top) >= 2 or len(set(indents)) >= 3


def _read_cluster(lines: list[str], contents: list[str], kinds: list[int], anchors: list[int],
                  spans: dict[int, tuple[int, int]], shape: str, numbers: dict[int, int] | None = None,
                  recurring: frozenset[str] = frozenset()) -> ShapeReading | None:
    # Comment evidence: button lines between the anchors (or on the anchor line: "Report this
    # Comment On DATE, NAME wrote:"), or a heading with a count right above the first.
    with_buttons = sum(
        1 for a, b in zip(anchors, [*anchors[1:], min(len(contents), anchors[-1] + 40)], strict=False)
        if _BUTTON_WORD.search(contents[a]) or any(
            kinds[i] == _FURN and _is_button(contents[i]) for i in range(a + 1, b)))
    heading = _heading_above(contents, anchors[0])
    announced = capturelist.section_header(contents[heading])[1] if heading is not None else None
    evidence = []
    if with_buttons >= EVIDENCE_SHARE * len(anchors):
        evidence.append(f"buttons under {with_buttons} of {len(anchors)} comments")
    chrome = _chrome_evidence(lines, contents, anchors, numbers or {}, recurring)
    if chrome is not None:
        evidence.append(chrome)
    conversation = None if chrome is not None else _conversation_evidence(contents, anchors, spans, kinds)
    if conversation is not None:
        evidence.append(conversation)
    if heading is not None:
        evidence.append(f"heading {contents[heading][:40]!r} at line {heading + 1}")
    # A bare heading ("Opiniones", "Kommentare") alone is no evidence: section titles and teaser
    # boxes carry such words; with a count ("10 réactions") it announces a comment list.
    if (not with_buttons >= EVIDENCE_SHARE * len(anchors) and announced is None and chrome is None
            and conversation is None):
        return None
    if len(anchors) < FEW_COMMENTS and not (with_buttons == len(anchors) and (
            heading is not None or _noun_line_above(contents, anchors[0]))):
        return None  # two date lines: buttons under both and a heading above
    if announced is not None and len(anchors) > ANNOUNCED_SLACK * announced + 2:
        return None  # more "comments" than the heading announces: teasers or another list
    if heading is not None and announced is not None and sum(
            len(contents[i].split()) for i in range(heading + 1, anchors[0]) if kinds[i] == _TEXT) >= SIGNED_BELOW_WORDS:
        return None  # prose between the heading and the first date line: the meta is signed below the text
    # The header's lines above each anchor: up to the previous comment's footer, or the median.
    leads = [_lead(kinds, contents, a, (anchors[n - 1] + 1) if n else max(0, a - MAX_LEAD_LINES * 3))
             for n, a in enumerate(anchors)]
    if conversation is not None:
        # Every date line opens with its poster's name: the header is that line alone, and a
        # short line right above it ends the post before ("Same for me", "Regards, Fred").
        leads = [(0, True)] * len(anchors)
    clean = [n for n, ok in leads[1:] if ok] or [n for n, _ in leads[1:]] or [0]
    typical = int(statistics.median(clean))
    comments: list[ShapeComment] = []
    for n, a in enumerate(anchors):
        count, ok = leads[n]
        # The first comment has no comment above it to stop its header: at most the typical
        # header, not the page's own title and byline above the list (session 11).
        head = _start_of_lead(kinds, a, count if ok and n else min(count, typical))
        high = anchors[n + 1] if n + 1 < len(anchors) else len(contents)
        comments.append(ShapeComment(anchor=a, head_start=head, body_start=_header_end(kinds, a, high, contents)))
    footers = with_buttons >= EVIDENCE_SHARE * len(anchors)
    earlier: list[str] = []  # the texts of the comments above, folded (what a quote copies)
    for n, comment in enumerate(comments):
        end = comments[n + 1].head_start if n + 1 < len(comments) else _thread_end(
            contents, kinds, comment.body_start, footers)
        end = max(end, comment.body_start)
        if n + 1 == len(comments):
            end = _before_repeated_chrome(contents, comments[0].head_start, comment.body_start, end)
        comment.body_end = end
        _fill(comment, lines, contents, kinds, spans, shape, earlier)
        earlier.append(forumposts.fold(comment.text))
    if not comments[-1].text:
        return None  # nothing after the last date line: the date closes each comment (signed below)
    pingbacks = [c for c in comments if _pingback(c)]
    comments = [c for c in comments if c.text and c not in pingbacks and not _stats_box(c.text)]
    if len(comments) < MIN_COMMENTS:
        return None
    # Posts numbered in page order are a forum's flat list (replies are quotes): no nesting read.
    return ShapeReading(comments=comments, shape=shape, evidence="; ".join(evidence), heading=heading,
                        pingbacks=[c.anchor for c in pingbacks], nesting=not _rising_numbers(numbers or {}, anchors))


# Shortest line of the page's chrome that, printed again under the last comment, ends it.
REPEATED_CHROME_MIN_CHARS = 8


def _before_repeated_chrome(contents: list[str], top_end: int, start: int, end: int) -> int:
    """The end of the last comment before trailing paragraphs that repeat the page's chrome
    from above the list (a breadcrumb "Boards / Equipment" printed over and under the thread,
    session 12): every line of such a paragraph opens a line above the list."""
    top = [c for c in contents[:top_end] if len(c) >= REPEATED_CHROME_MIN_CHARS]
    if not top:
        return end
    while end > start:
        last = end
        while last > start and not contents[last - 1]:
            last -= 1
        first = last
        while first > start and contents[first - 1]:
            first -= 1
        if first == last or first == start:
            break  # no paragraph, or the comment's first one: never the whole text
        para = contents[first:last]
        if not all(len(c) >= REPEATED_CHROME_MIN_CHARS and any(t.startswith(c) for t in top) for c in para):
            break
        end = first
    return end


_STAT_NUMBER = re.compile(r"^[\d.,]+[kKmM]?$")
_STAT_PLACEHOLDER = re.compile(r"^\[[^\[\]]{0,40}\]$")


def _stats_box(text: str) -> bool:
    """A topic's statistics read as a post's text ("浏览量 / 581 / 用户 / 7 / 赞 / 14": a forum's
    topic map under "last reply · 2 天"): only short labels and counts, half of them counts."""
    rows = [r.strip(" •*·#") for r in text.split("\n")]
    # Avatar placeholders ("[30091]", "[IMG]") and icon glyphs ("●") say nothing either way.
    rows = [r for r in rows if r and not _STAT_PLACEHOLDER.match(r) and any(c.isalnum() for c in r)]
    counts = sum(bool(_STAT_NUMBER.match(r)) for r in rows)
    return len(rows) >= 4 and counts >= 2 and all(len(r) <= 24 for r in rows) and 3 * counts >= len(rows)


def _pingback(comment: ShapeComment) -> bool:
    """A pingback in the list: the linking post's title over an excerpt cut at both ends ("[…]
    the quoted sentence […]"), or a "Pingback:" line."""
    text = comment.text.lstrip()
    return (text.startswith(("[…]", "[...]")) and ("[…]" in text[3:] or "[...]" in text[5:])) or bool(
        patterns.PINGBACK.match(comment.author or "") or patterns.PINGBACK.match(text))


_SECTION_NOUN = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(n) for n in sorted(patterns.SECTION_NOUNS, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)


def _noun_line_above(contents: list[str], first: int) -> bool:
    """A short line naming the comments right above the list ("Bisherige Kommentare")."""
    seen = 0
    for idx in range(first - 1, -1, -1):
        if contents[idx]:
            seen += 1
            if seen > HEADING_LOOKBACK:
                return False
            if len(contents[idx]) <= 40 and not _is_action(contents[idx]) and _SECTION_NOUN.search(contents[idx]):
                return True
    return False


def _heading_above(contents: list[str], first: int) -> int | None:
    seen = 0
    for idx in range(first - 1, -1, -1):
        if not contents[idx]:
            continue
        seen += 1
        if seen > HEADING_LOOKBACK:
            return None
        content = contents[idx]
        if len(content) <= 80 and (capturelist.section_header(content)[0]
                                   or patterns.parse_comment_header(content) is not None):
            return idx
    return None


def _fill(comment: ShapeComment, lines: list[str], contents: list[str], kinds: list[int],
          spans: dict[int, tuple[int, int]], shape: str, earlier: list[str] | None = None) -> None:
    """Author, date, ordinal, reply reference and text of one comment (``earlier``: the folded
    texts of the comments above it, which a quote without a mark copies)."""
    a = comment.anchor
    content = contents[a]
    span = spans[a]
    common = frozenset(w for w in shape.split() if w not in ("*", "§"))
    lead = [contents[i] for i in range(comment.head_start, a) if kinds[i] == _SHORT]
    comment.author = _author(content, span, common, lead)
    comment.date_text = _AGE_TAIL.sub("", content[span[0]: span[1]]) or content[span[0]: span[1]]
    # The indentation of the header up to the anchor (lines after it that are header too, a
    # wrapped "wrote:" or a join date, are printed at other depths).
    head_lines = [i for i in range(comment.head_start, min(comment.body_start, a + 1)) if contents[i]]
    comment.indent = min((_indent(lines[i].expandtabs(8)) for i in head_lines if kinds[i] != _FURN),
                         default=_indent(lines[a]))
    ordinal = _ORDINAL.search(content)
    comment.ordinal = ordinal.group(1) if ordinal else None
    body: list[int] = []  # line indices
    for idx in range(comment.body_start, comment.body_end):
        ref = _REPLY_REF.match(contents[idx]) if len(contents[idx]) <= 100 else None
        if ref is not None and (ref.group("ord") or ref.group("name")):
            comment.reply_to_ordinal = ref.group("ord") or comment.reply_to_ordinal
            comment.reply_to_name = (ref.group("name") or "").strip() or comment.reply_to_name
            continue
        body.append(idx)
    while body and kinds[body[-1]] in (_BLANK, _FURN):
        body.pop()
    while body and kinds[body[0]] in (_BLANK, _FURN):
        body.pop(0)
    # A quoted earlier post ("16 minutes ago, Anna said:" over an indented block) is not this
    # post's words: left out as the forum reader does.
    # A bullet before the quote's title ("● Anna:", Discourse in text browsers) is set aside
    # for the quote reader, which knows titles, not bullets.
    # Only where a quote's title shows: a comment opening with a "> …" line from the article
    # keeps it (that is how the commenter wrote it).
    if any(_quote_title(contents[i]) or _QUOTE_BULLET.match(lines[i]) or forumposts.wrapped_quote_title(lines, i)
           for i in body):
        plain = {i: _QUOTE_BULLET.sub(r"\1  ", lines[i]) for i in body}
        own = forumposts.strip_quotes([plain[i] for i in body], _recent(earlier or []))
        if any(x.strip() for x in own) and len(own) < len(body):
            body = _subsequence(body, plain, own)
    # An image's name printed in the left margin beside a text line ("[site_files/s.gif]  I've
    # spent…", a spacer image of a table layout, Debian html2text) is blanked, column kept.
    rows = {i: _MARGIN_IMAGE.sub(lambda m: " " * len(m.group(0)), lines[i]) for i in body}
    base = min((_indent(rows[i]) for i in body if contents[i]), default=0)
    comment.text = "\n".join(rows[i][base:].rstrip() if _indent(rows[i]) >= base else rows[i].strip()
                             for i in body).strip("\n")


# How much of the comments above (folded characters, the nearest first) a quote is looked up
# in: quotes copy recent posts, and the lookup stays linear in the page however many quote.
QUOTE_WINDOW = 50_000


def _recent(earlier: list[str]) -> str:
    """The folded texts of the nearest comments above, up to :data:`QUOTE_WINDOW` characters."""
    out: list[str] = []
    size = 0
    for text in reversed(earlier):
        out.append(text)
        size += len(text) + 1
        if size >= QUOTE_WINDOW:
            break
    return "\n".join(reversed(out))


def _subsequence(body: list[int], lines: list[str] | dict[int, str], kept: list[str]) -> list[int]:
    """The indices of ``body`` whose lines are ``kept`` (a subsequence of them, in order)."""
    out: list[int] = []
    k = 0
    for i in body:
        if k < len(kept) and lines[i] == kept[k]:
            out.append(i)
            k += 1
    return out if k == len(kept) else body


MENTIONS = "@name openings"


def _parents(comments: list[ShapeComment]) -> tuple[list[str | None], list[float], str]:
    """Each comment's parent (index as id), edge confidence, and how the nesting was read."""
    ids = [f"c{n}" for n in range(1, len(comments) + 1)]
    parents: list[str | None] = [None] * len(comments)
    conf = [FLAT_EDGE_CONFIDENCE] * len(comments)
    indents = sorted({c.indent for c in comments})
    # A reply tree starts at top level: a first comment deeper than a later one is a header
    # printed at another indentation (an unrecognised badge line), not nesting.
    if len(indents) > 1 and comments[0].indent == indents[0] and _tree_like([c.indent for c in comments]):
        stack: list[int] = []
        for n, c in enumerate(comments):
            while stack and comments[stack[-1]].indent >= c.indent:
                stack.pop()
            parents[n] = ids[stack[-1]] if stack else None
            conf[n] = INDENT_EDGE_CONFIDENCE
            stack.append(n)
        return parents, conf, "indentation"
    by_ordinal = {c.ordinal: n for n, c in enumerate(comments) if c.ordinal}
    how = ""
    for n, c in enumerate(comments):
        target: int | None = None
        if c.reply_to_ordinal and by_ordinal.get(c.reply_to_ordinal, n) < n:
            target = by_ordinal[c.reply_to_ordinal]
        elif c.ordinal and "." in c.ordinal and by_ordinal.get(c.ordinal.rsplit(".", 1)[0], n) < n:
            target = by_ordinal[c.ordinal.rsplit(".", 1)[0]]
        elif c.reply_to_name:
            target = _latest_by(comments, n, c.reply_to_name)
        if target is not None:
            parents[n] = ids[target]
            conf[n] = REFERENCE_EDGE_CONFIDENCE
            how = "reply references"
            continue
        mention = _MENTION.match(c.text)
        if mention is not None:
            target = _latest_by(comments, n, mention.group(1))
            if target is not None:
                parents[n] = ids[target]
                conf[n] = MENTION_EDGE_CONFIDENCE
                how = how or MENTIONS
    return parents, conf, how


def _latest_by(comments: list[ShapeComment], n: int, name: str) -> int | None:
    """The latest comment before ``n`` whose author is ``name`` (or whose name it starts with)."""
    wanted = name.casefold().strip()
    for m in range(n - 1, -1, -1):
        author = (comments[m].author or "").casefold()
        if author and (wanted == author or (wanted.startswith(author) and len(author) >= 3)):
            return m
    return None


# Issues of the earlier readings that a shape reading makes moot.
_REPLACED_CODES = frozenset({"pingback-skipped", "count-mismatch", "nesting-lost", "ambiguous-indent", "indent-step-uncertain",
                             "dedented-line", "ordinal-gap", "ordinal-restart", "missing-comment-header"})


def _prior_is_cut_up(thread: ParsedThread, reading: ShapeReading, lines: list[str]) -> bool:
    """Whether the earlier reading cut comments into pieces (a comment's paragraphs, or a list in
    it, read as comments of their own): it found more comments, and a third of the shape's
    comments hold two or more of its comment starts inside their text.  A start right under a
    date line of another form is a comment this reading merged, not a piece."""
    if len(thread.comments) <= len(reading.comments):
        return False
    starts = sorted(c.source_line - 1 for c in thread.comments if c.source_line is not None
                    and not any(_is_date_line(_strip(lines[i])) for i in range(max(0, c.source_line - 4), c.source_line)))
    holding = 0
    for sc in reading.comments:
        inside = sum(1 for line in starts if sc.body_start + 1 < line < sc.body_end)
        holding += inside >= 2
    return holding >= INSIDE_SHARE * len(reading.comments)


def _prior_outside(thread: ParsedThread, reading: ShapeReading) -> bool:
    """Whether the earlier reading holds the same comments where this one reads them, and more
    only outside the comment list: above its heading (the article's numbered headings or
    footnotes) or after its last comment (navigation read as names with texts)."""
    lines = [c.source_line - 1 for c in thread.comments if c.source_line is not None]
    if not lines or len(lines) != len(thread.comments) or reading.heading is None:
        return False  # without a heading the list's start is not known
    top = reading.heading
    bottom = reading.comments[-1].body_end
    inside = [line for line in lines if top <= line < bottom]
    if len(inside) == len(lines):
        return False
    # Inside the list, at most one earlier comment per comment of this reading.
    for sc in reading.comments:
        if sum(1 for line in inside if sc.head_start <= line < sc.body_end) > 1:
            return False
    return len(inside) <= len(reading.comments)


def _prior_merged(thread: ParsedThread, reading: ShapeReading, lines: list[str]) -> bool:
    """Whether the earlier reading ran several of this reading's comments together: half of
    this reading's comments (two at least) have their date line inside the text of an earlier
    comment, after its first line and before the next earlier comment starts (a full comment's
    date taken for the text of the folded comment above it, whose own date line was of another
    form)."""
    starts = [(c.source_line - 1, c) for c in thread.comments if c.source_line is not None and "\n" in c.text]
    if not starts:
        return False
    bounds = sorted(c.source_line - 1 for c in thread.comments if c.source_line is not None)
    inside = 0
    for sc in reading.comments:
        date_line = lines[sc.anchor].strip()
        if len(date_line) < 8:
            continue
        for start, comment in starts:
            following = [b for b in bounds if b > start]
            if start < sc.anchor < (following[0] if following else len(lines)) and date_line in comment.text.split("\n", 1)[1]:
                inside += 1
                break
    return inside >= max(2, len(reading.comments) / 2)


def _hollow(thread: ParsedThread, reading: ShapeReading, lines: list[str]) -> int:
    """How many comments of the earlier reading hold nothing but button lines and the furniture
    this reading learnt (each line of their text recurs under a third of its comments)."""
    if not thread.comments:
        return 0
    contents = [_strip(line) for line in lines]
    recurring = _recurring(contents, [c.anchor for c in reading.comments])
    n = 0
    for comment in thread.comments:
        rows = [_strip(row) for row in comment.text.split("\n")]
        rows = [r for r in rows if r]
        if all(len(r) <= FURNITURE_MAX_CHARS and (_is_action(r) or _furniture_key(r) in recurring) for r in rows):
            n += 1
    return n


def apply(thread: ParsedThread, n_in: int, issues: list[ParseIssue], lines: list[str], path: str,
          article_id: str,
          classify: Callable[[list[str], int, int], tuple[list[Block], dict[str, str]]],
          ) -> tuple[ParsedThread, int, list[ParseIssue]]:
    """The page read by its recurring comment shape, when that beats the reading given.

    Args:
        thread, n_in, issues: the page-text reader's reading so far.
        lines: the capture lines (markdown-normalised).
        classify: the page-text reader's article classifier for the lines before the comments.
    """
    # A list signed below ("Posted by: NAME | DATE" under each text) first: its lead words are
    # stronger evidence than a recurring date line, which the other readings take for a header
    # over the next comment's text (session 9).
    signed_below = _signed_below_reading(lines)
    reading = signed_below or read_shapes(lines) or _signed_reading(lines)
    if reading is None and not thread.comments:
        # Only where nothing else was read: the same date-line shapes closing each text instead
        # of opening it (session 11), then a dateless list, the weakest evidence (session 8).
        reading = _learnt_below_reading(lines)
    if reading is None and not thread.comments:
        # Only where nothing else was read: a dateless list is the weakest evidence (session 8).
        reading = _dateless_reading(lines)
    if reading is None:
        return thread, n_in, issues
    repeats = _drop_repeated(reading)  # before comparing counts: a list printed twice is not "more"
    # Earlier "comments" whose text is only this list's furniture ("• Expand" under a folded
    # comment's age, read as a comment of its own) are no comments to weigh against it.
    n_prior = len(thread.comments) - _hollow(thread, reading, lines)
    more = len(reading.comments) >= MORE_FACTOR * n_prior and len(reading.comments) - n_prior >= MORE_MIN
    # A forum reading (forumposts.py: its post headers learnt) gives way only to clearly more
    # comments: a shorter shape reading of a thread is a part of it ("Reactions:" lines under
    # some posts split it).
    forum = any(i.code.startswith("forum-") for i in issues)
    if n_prior and not (more or (signed_below is not None and _prior_shifted(thread, signed_below))
                        or (not forum and (_prior_is_cut_up(thread, reading, lines)
                                                or _prior_outside(thread, reading)
                                                or _prior_merged(thread, reading, lines)))):
        return thread, n_in, issues
    first = reading.comments[0]
    blocks, fields = classify(lines, 0, first.head_start)
    last = reading.comments[-1]
    blocks.extend(Block("navigation", text, line) for line, text in paragraphs(lines, last.body_end))
    parents, conf, how = _parents(reading.comments) if reading.nesting else (
        [None] * len(reading.comments), [FLAT_EDGE_CONFIDENCE] * len(reading.comments), "")
    if reading.dateless:  # the tree rests on name lines alone: at most a low confidence
        conf = [min(c, DATELESS_EDGE_CONFIDENCE) for c in conf]
    new_issues = [i for i in issues if i.code not in _REPLACED_CODES and i.comment_id is None]
    if repeats:
        new_issues.append(ParseIssue(
            "repeated-comment-list",
            f"{len(repeats)} comment(s) printed a second time with the same author, date and text "
            f"(the page shows its list twice), read once", "info", path, repeats[0] + 1, article_id))
    new_issues.extend(ParseIssue("pingback-skipped", "pingback/trackback in the comment list, kept apart (not a comment)",
                                 "info", path, line + 1, article_id) for line in reading.pingbacks)
    comments: list[RawComment] = []
    depth: dict[str, int] = {}
    for n, sc in enumerate(reading.comments):
        cid = f"c{n + 1}"
        parent = parents[n]
        depth[cid] = depth[parent] + 1 if parent else 1
        created = dates.parse_date(sc.date_text) if sc.date_text else None
        comments.append(RawComment(
            comment_id=cid, parent_id=parent, declared_depth=depth[cid], author=sc.author, created_at=created,
            text=sc.text, source_line=sc.body_start + 1, edge_confidence=conf[n],
        ))
        if sc.date_text and created is None:
            new_issues.append(dates.unparsed_issue(sc.date_text, path=path, line=sc.anchor + 1,
                                                   article_id=article_id, comment_id=cid))
    if how in ("", MENTIONS):
        linked = f"; only {sum(1 for p in parents if p)} '@name' opening(s) linked, with low confidence" if how else ""
        new_issues.append(ParseIssue(
            "nesting-lost",
            f"{len(comments)} comments read by their recurring shape ({reading.shape!r}; {reading.evidence}); "
            f"the capture shows no indentation or reply references, so the comments are read as top level{linked}",
            "warning", path, first.anchor + 1, article_id,
        ))
    else:
        new_issues.append(ParseIssue(
            "comment-shape",
            f"{len(comments)} comments read by their recurring shape ({reading.shape!r}; {reading.evidence}); "
            f"nesting from {how}",
            "info", path, first.anchor + 1, article_id,
        ))
    article = Article(
        article_id=article_id, title=fields.get("title") or thread.article.title,
        author=fields.get("author") or thread.article.author, category=fields.get("category"),
        lead=fields.get("lead"), body="\n\n".join(b.text for b in blocks if b.kind in ("body", "embedded")) or None,
        n_announced=thread.article.n_announced, language=thread.article.language, blocks=blocks,
    )
    return ParsedThread(article=article, comments=comments), len(comments), new_issues


REPEAT_MIN_CHARS = 20  # a shorter text ("+1", "Thanks!") may well be written twice


def _drop_repeated(reading: ShapeReading) -> list[int]:
    """Comments printed again with the same author, date and text (a page that shows its list
    twice, a no-script copy): kept once.  Returns the anchor lines of the copies dropped."""
    seen: dict[tuple[str | None, str | None], list[str]] = {}
    kept: list[ShapeComment] = []
    dropped: list[int] = []
    for c in reading.comments:
        text = " ".join(c.text.split())
        earlier = seen.setdefault((c.author, c.date_text), [])
        # The same text, or one running on into what follows the copy (the first list's last
        # comment takes the lines up to the second list).
        if len(text) >= REPEAT_MIN_CHARS and any(e.startswith(text) or text.startswith(e)
                                                 for e in earlier if len(e) >= REPEAT_MIN_CHARS):
            dropped.append(c.anchor)
            continue
        earlier.append(text)
        kept.append(c)
    reading.comments = kept
    return dropped


def _signed_reading(lines: list[str]) -> ShapeReading | None:
    """A list of names over texts above the page's comment-system line (signedlists.py), as a
    shape reading: no dates, no nesting."""
    found = signedlists.read_signed_list(lines)
    if found is None:
        return None
    comments = [ShapeComment(anchor=it.name_line, head_start=it.name_line, body_start=it.body_start,
                             body_end=it.body_end, author=it.author, text=it.text) for it in found.items]
    how = "bulleted" if found.bulleted else "one-line"
    return ShapeReading(comments=comments, shape="author over text",
                        evidence=f"{how} names over texts above {found.system[:60]!r}")


def _signed_below_reading(lines: list[str]) -> ShapeReading | None:
    """Texts each closed by a signature line (signedbelow.py), as a shape reading: flat."""
    found = signedbelow.read_signed_below(lines)
    if found is None:
        return None
    # A text browser indents a reply's signature with its text: nesting from the indentation.
    comments = [ShapeComment(anchor=it.signature_line, head_start=it.body_start, body_start=it.body_start,
                             body_end=it.signature_line + 1, author=it.author, date_text=it.date_text,
                             indent=_indent(lines[it.signature_line]),
                             text=signedbelow.text_of(lines, it.body_start, it.body_end)) for it in found.items]
    where = []
    if found.header_line is not None:
        where.append(f"under the header at line {found.header_line + 1}")
    if found.form_line is not None:
        where.append(f"over the reply form at line {found.form_line + 1}")
    return ShapeReading(comments=comments, shape=found.form,
                        evidence=f"{len(comments)} texts each signed below " + (" and ".join(where) or "in a run"),
                        heading=found.header_line)


# A vote count under a text ("+115", "0", "-4", "−2").
_VOTE_LINE = re.compile(r"^[+\-−–]?\d{1,6}$")
# Share of the texts whose first line must open with the same two words for that line to be the
# list's own furniture (a fold button naming the commenter: "Expand comment NAME").
OPENER_SHARE = 0.8
# Lines above the first signature searched for the first text.
FIRST_TEXT_REACH = 15


def _learnt_below_reading(lines: list[str]) -> ShapeReading | None:
    """Texts each closed by a date line of one recurring shape, the shape learnt from the page.

    The vocabulary reader (:mod:`signedbelow`) knows "Posted by NAME at DATE" in a few
    languages; a system that signs below in other words ("НаписалNAMEсегодня в 11:49ответить",
    the spans glued by every tool) has the same layout: a heading with the count, prose between
    it and the first date line, each date line closing a text.  Read so only where the header
    reading refused the list (prose above the first date line) and the list shows comment
    evidence: a heading announcing about as many comments, or buttons on the date lines.
    """
    contents = [_strip(line) for line in lines]
    spans, groups = _shape_groups(contents)
    for shape, members in groups[:MAX_SHAPES]:
        if len(members) < FEW_COMMENTS:
            break
        for cluster in sorted(_clusters(members, contents), key=len, reverse=True):
            if len(cluster) < FEW_COMMENTS:
                break
            reading = _read_below(lines, contents, cluster, spans, shape)
            if reading is not None:
                return reading
    return None


def _read_below(lines: list[str], contents: list[str], anchors: list[int], spans: dict[int, tuple[int, int]],
                shape: str) -> ShapeReading | None:
    heading = _heading_above(contents, max(0, anchors[0] - FIRST_TEXT_REACH) + 1) if anchors[0] else None
    if heading is None:  # the heading stands above the first text, not right above its signature
        for idx in range(anchors[0] - 1, max(-1, anchors[0] - FIRST_TEXT_REACH - HEADING_LOOKBACK), -1):
            if contents[idx] and len(contents[idx]) <= 80 and capturelist.section_header(contents[idx])[0]:
                heading = idx
                break
    announced = capturelist.section_header(contents[heading])[1] if heading is not None else None
    buttons = sum(1 for a in anchors if _BUTTON_WORD.search(_spaced(contents[a])))
    counted = announced is not None and len(anchors) <= announced <= ANNOUNCED_SLACK * len(anchors) + 2
    if not counted and buttons < EVIDENCE_SHARE * len(anchors):
        return None
    recurring = _recurring(contents, anchors)
    kinds = _kinds(contents, set(anchors), recurring, set())
    floor = heading + 1 if heading is not None else max(0, anchors[0] - FIRST_TEXT_REACH)
    segments = [(floor if n == 0 else anchors[n - 1] + 1, a) for n, a in enumerate(anchors)]
    # The first text must be prose right above the first signature, after the heading's controls.
    if not any(kinds[i] == _TEXT for i in range(*segments[0])):
        return None
    openers = Counter(" ".join(contents[i].casefold().split()[:2]) for lo, hi in segments
                      for i in [next((j for j in range(lo, hi) if contents[j]), None)] if i is not None)
    opener = next((k for k, n in openers.items() if len(k.split()) == 2 and n >= OPENER_SHARE * len(segments)), None)
    comments: list[ShapeComment] = []
    for n, (lo, hi) in enumerate(segments):
        body = [i for i in range(lo, hi) if contents[i]]
        if n == 0:  # upwards from the signature while the lines read as text
            first = [i for i in body if kinds[i] == _TEXT]
            body = [i for i in body if first and i >= first[0] - 1]
        while body and (kinds[body[0]] == _FURN or (opener and " ".join(contents[body[0]].casefold().split()[:2]) == opener)):
            body.pop(0)
        while body and (kinds[body[-1]] == _FURN or _VOTE_LINE.match(contents[body[-1]])):
            body.pop()
        if not body:
            continue
        a = hi
        comment = ShapeComment(anchor=a, head_start=body[0], body_start=body[0], body_end=a)
        common = frozenset(w for w in shape.split() if w not in ("*", "§"))
        comment.author = _author(contents[a], spans[a], common, [])
        comment.date_text = _AGE_TAIL.sub("", contents[a][spans[a][0]: spans[a][1]]) or None
        comment.indent = _indent(lines[a])
        base = min(_indent(lines[i]) for i in body)
        comment.text = "\n".join(lines[i][base:].rstrip() for i in range(body[0], body[-1] + 1)).strip("\n")
        comments.append(comment)
    if len(comments) < FEW_COMMENTS:
        return None
    _learnt_names(comments)
    evidence = f"{len(comments)} texts each closed by a date line of one shape"
    if counted and heading is not None:
        evidence += f" under the heading {contents[heading][:40]!r}"
    return ShapeReading(comments=comments, shape=shape, evidence=evidence, heading=heading, nesting=False)


def _spaced(content: str) -> str:
    """A line with a space put back where a tool glued a word to a digit ("11:49ответить")."""
    return re.sub(r"(?<=\d)(?=[^\W\d_])", " ", content)


def _learnt_names(comments: list[ShapeComment]) -> None:
    """The author without the signature's lead word glued before it ("Написалgena_p"): the
    longest prefix shared by most authors is the lead, not a name."""
    names = [c.author for c in comments if c.author]
    if len(names) < FEW_COMMENTS:
        return
    prefix = names[0]
    shared = [n for n in names if n[:3] == prefix[:3]]
    if len(shared) < OPENER_SHARE * len(names):
        return
    lead = shared[0]
    for n in shared[1:]:
        while not n.startswith(lead):
            lead = lead[:-1]
    if len(lead) < 3:
        return
    for c in comments:
        if c.author and c.author.startswith(lead) and len(c.author) > len(lead):
            c.author = c.author[len(lead):].strip() or c.author


def _prior_shifted(thread: ParsedThread, reading: ShapeReading) -> bool:
    """Whether the earlier reading misread the signature lines: half or more of this reading's
    comments (text opening and author) are not among its comments (it took each signature for
    a header over the next text, or kept the lead "Posted by" in the author).  Where both agree
    the earlier reading stays: it may have read more of the nesting."""
    def opening(text: str) -> str:
        return "".join(_LETTERS.findall(text.casefold()))[:SAME_OPENING_LETTERS]

    prior = {(opening(c.text), (c.author or "").casefold()) for c in thread.comments}
    same = sum(1 for sc in reading.comments if (opening(sc.text), (sc.author or "").casefold()) in prior)
    return same < 0.5 * len(reading.comments)


def _dateless_reading(lines: list[str]) -> ShapeReading | None:
    """Names over texts under the page's comment header, no date per comment (datelesslists.py),
    as a shape reading: nesting from the names' indentation when the capture shows it."""
    found = datelesslists.read_dateless_list(lines)
    if found is None:
        return None
    comments = [ShapeComment(anchor=it.name_line, head_start=it.name_line, body_start=it.body_start,
                             body_end=it.body_end, author=it.author, indent=it.indent, text=it.text)
                for it in found.items]
    announced = f", {found.announced} announced" if found.announced is not None else ""
    return ShapeReading(comments=comments, shape="dateless name over text",
                        evidence=f"names marked by {found.marked_by} under the header at line "
                                 f"{found.header_line + 1}{announced}", dateless=True)


