"""Page patterns as data: comment headers, trailers, author and date lines.

Each pattern names the site, theme or platform that motivated it, and the fixture that
proves it.  Order matters where noted: earlier entries win.  Keep regexes anchored and
free of nested quantifiers (they run on untrusted text).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timezone

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
# Counts with thousands separators ("1.234") first, then plain digits ("71955", synthetic pages).
_COUNT = r"(?P<count>\d{1,3}(?:[.,]\d{3})+|\d{1,7}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_HEADER_NOUNS = (
    r"Antworten|Antwort|Kommentare|Kommentar|Comments|Comment|Responses|Response|Replies|Reply|"
    # "Ein Gedanke zu „…“" / "2 Gedanken zu „…“": Twenty Seventeen and later themes, de_DE.
    r"Gedanken|Gedanke|thoughts|thought|Reaktionen|Reaktion|Leserbriefe|Leserkommentare"
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
    "Schreib einen Kommentar",  # themes that drop the imperative's "e"
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
# German month names as the first word after "17.": lets the page-text reader tell a date line
# from a list item "17. Januar …" without running the full date pattern on every item.
DE_MONTH_NAMES = frozenset(_DE_MONTHS)
EN_MONTH_NAMES = frozenset(_EN_MONTHS)  # likewise for "January 17, 2022 at …"
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


# The canonical de_DE form with single spaces, in one C-level match: the common case of
# :func:`_fast_de_date`, which the split below handles in general.  Only strings the split
# accepts match here, with the same fields (ASCII digits; the month is looked up the same way).
_CANONICAL_DE_DATE = re.compile(r"([0-9]{1,2})\. (\S+) ([0-9]{4})(?: um ([0-9]{1,2}):([0-9]{2})(?: Uhr)?)?")


def _fast_de_date(line: str, tz: timezone) -> datetime | None:
    """The exact WordPress de_DE form "17. Januar 2022 um 10:15 Uhr" with string operations.

    Most comment date lines of German pages have this form; splitting is several times faster
    than the general pattern (page-text throughput, docs/readers.md).  Anything else returns
    None and goes through :data:`DE_DATE_LINE` / :data:`EN_DATE_LINE`.  The canonical
    single-spaced form goes through one fullmatch and a positional ``datetime`` (the keyword
    ``tzinfo=`` alone costs about as much as the rest): about 3x faster, same result.
    """
    canon = _CANONICAL_DE_DATE.fullmatch(line)
    if canon is not None:
        day_text, month_name, year_text, hour_text, minute_text = canon.groups()
        month = _DE_MONTHS.get(month_name.lower())
        if month is None:
            return None
        try:
            if hour_text is None:
                return datetime(int(year_text), month, int(day_text), 0, 0, 0, 0, tz)
            return datetime(int(year_text), month, int(day_text), int(hour_text), int(minute_text), 0, 0, tz)
        except ValueError:  # 31. Februar, 25:00
            return None
    return _split_de_date(line, tz)


def _split_de_date(line: str, tz: timezone) -> datetime | None:
    """:func:`_fast_de_date` for any spacing: the split into words decides."""
    parts = line.split()
    n = len(parts)
    if n not in (3, 5, 6):
        return None
    day = parts[0]
    if not (2 <= len(day) <= 3 and day[-1] == "." and day[:-1].isdigit()):
        return None
    month = _DE_MONTHS.get(parts[1].lower())
    year = parts[2]
    if month is None or len(year) != 4 or not year.isdigit():
        return None
    hour = minute = 0
    if n > 3:
        if parts[3] != "um" or (n == 6 and parts[5] != "Uhr"):
            return None
        hh, sep, mm = parts[4].partition(":")
        if not sep or not (1 <= len(hh) <= 2 and hh.isdigit() and len(mm) == 2 and mm.isdigit()):
            return None
        hour, minute = int(hh), int(mm)
    try:
        return datetime(int(year), month, int(day[:-1]), hour, minute, tzinfo=tz)
    except ValueError:  # 31. Februar, 25:00, non-ASCII digits
        return None


def parse_date_line(line: str, *, tz: timezone = UTC) -> datetime | None:
    """Parse a WordPress comment date line (German or English) into an aware datetime.

    Times on pages carry no zone; they are read in ``tz`` (UTC unless the caller knows better).

    >>> parse_date_line("17. Januar 2022 um 10:15 Uhr").isoformat()
    '2022-01-17T10:15:00+00:00'
    >>> parse_date_line("January 17, 2022 at 10:15 pm").isoformat()
    '2022-01-17T22:15:00+00:00'
    """
    fast = _fast_de_date(line, tz)
    if fast is not None:
        return fast
    # German dates start with the day, English ones with the month: one regex per line.
    if line.lstrip()[:1].isdigit():
        match = DE_DATE_LINE.match(line)
        months = _DE_MONTHS
        ampm = None
    else:
        match = EN_DATE_LINE.match(line)
        months = _EN_MONTHS
        ampm = match.group("ampm") if match is not None else None
    if match is None:
        return None
    year, month_name, day, hour_text, minute_text = match.group("year", "month", "day", "hour", "minute")
    month = months.get(month_name.lower())
    if month is None:
        return None
    hour = int(hour_text) if hour_text else 0
    minute = int(minute_text) if minute_text else 0
    if ampm:
        meridiem = ampm.replace(".", "").lower()
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
    try:
        return datetime(int(year), month, int(day), hour, minute, tzinfo=tz)
    except ValueError:  # 31. Februar, 25:00 ...
        return None


# --- Page text: comment list items -----------------------------------------------------
# Captured WordPress pages render the nested <ol class="commentlist"> as indented "N." items
# with ordinals restarting in every nested list (reference page ../shared/seeds/000_*.txt,
# fixtures/de_sample_page); some capture tools print "N)" instead (fixtures/de_list_in_body).
# Applied to the line with its indentation already removed.  The marker must be followed by
# whitespace or the end of the line, so "1.Zitat" or "3.5 Prozent" are not items.
# A German comment date line "17. Januar 2022 um 10:15 Uhr" looks like item 17: excluded by a
# lookahead (same shape as DE_DATE_LINE, with real month names) so no second pattern runs.
# Browsers keep the theme's no-break space before "Uhr"; English themes on German sites
# write "3. Dezember 2015 at 11:21 · Antwort" (held-out captures): the time may follow "at",
# "@" or a dash, and a short button tail may follow the date.
_NOT_A_DATE = (
    r"(?!(?i:\d{1,2}\.[ \t\u00a0]*(?:" + "|".join(_DE_MONTHS) + r")[ \t\u00a0]+\d{4}"
    r"(?:[ \t\u00a0]*(?:um|,|at|@|-|–)?[ \t\u00a0]*\d{1,2}:\d{2}(?:[ \t\u00a0]*Uhr)?)?[ \t\u00a0]*"
    r"(?:[·|/–-][^\n]{0,40})?$))"
)
_LIST_ITEM_TAIL = _NOT_A_DATE + r"(?P<ordinal>\d{1,6})[.)](?:[ \t]+(?P<text>\S.*)|[ \t]*)$"
LIST_ITEM = re.compile(_LIST_ITEM_TAIL)
# The same, for a whole list text whose indentation is already spaces only (the reader
# normalises tabs first): one C-level scan finds every item-looking line with its indent.
LIST_ITEM_LINES = re.compile(r"^(?P<indent> *)" + _LIST_ITEM_TAIL, re.MULTILINE)
# The same lines found by their newline (every line but a text's first): a pattern that starts
# with a literal lets the regex engine skip to the next newline instead of trying every
# position, about 30 % less time on a long list (page-text throughput).  Same groups; the line
# starts at ``match.start(1)``.
LIST_ITEM_AFTER_NEWLINE = re.compile(r"\n(?P<indent> *)" + _LIST_ITEM_TAIL, re.MULTILINE)

# The one reply-button vocabulary of every reader: the label of the link or button under each
# comment that opens the reply form.  WordPress core translations ("Antworten" de_DE, "Reply"
# en_US, "Répondre", "Responder", "Rispondi", "Beantwoorden"/"Reageer" nl_NL, "Odpowiedz",
# "Ответить"), German and English long forms of themes, "Log in to Reply" (logged-out
# visitors), and the CJK blog platforms' labels (回复 zh_CN, 回覆/回應 zh_TW, 返信 ja).  The page-text
# patterns below and the HTML readers' evidence (html_comments/signs) are built from it.
REPLY_WORDS: tuple[str, ...] = (
    "Antworten", "Antwort", "Auf diesen Kommentar antworten", "Reply", "Reply to this comment", "Log in to Reply",
    "Répondre", "Responder", "Rispondi", "Beantwoorden", "Reageren", "Reageer", "Odpowiedz", "Ответить",
    "回复", "回覆", "回應", "返信",
)
# The words as a regex alternation, longest first ("Antworten" before "Antwort").
REPLY_WORDS_ALTERNATION = "|".join(re.escape(w) for w in sorted(REPLY_WORDS, key=len, reverse=True))
# Arrows themes print after the label.
REPLY_ARROWS = "↓→»›"

# Reply links printed under every comment, with the arrow some themes add: page furniture,
# dropped from the end of a comment's text (fixtures/en_page_meta, fixtures/de_sample_page).
REPLY_LINK = re.compile(
    r"^\s*(?:" + REPLY_WORDS_ALTERNATION + r")(?:\s*[" + REPLY_ARROWS + r"])?\s*$",
    re.IGNORECASE,
)
# The words as printed, without arrow or other case: a set lookup answers the usual line
# before the pattern runs (page-text throughput).
REPLY_LINK_FORMS = frozenset(REPLY_WORDS)
# The first letters of the words, lower-cased: a line whose first non-blank character is none
# of them cannot match REPLY_LINK (none of these letters has a special case folding).
REPLY_LINK_FIRST = frozenset(w[0].lower() for w in REPLY_WORDS)

# --- Page text: article blocks ---------------------------------------------------------
# Blogs that translate foreign media frame the translation with marker lines ("Beginn der
# Übersetzung:" ... "Ende der Übersetzung" on the reference page; fixtures/de_sample_page).
EMBED_START = re.compile(
    r"^\s*(?:Beginn|Anfang) (?:der Übersetzung|des Zitats|des Interviews|des Dokuments)\s*:?\s*$"
    r"|^\s*(?:Begin(?:ning)?|Start) of (?:the )?(?:translation|quote|quotation|interview|document)"
    r"\s*:?\s*$",
    re.IGNORECASE,
)
EMBED_END = re.compile(
    r"^\s*Ende (?:der Übersetzung|des Zitats|des Interviews|des Dokuments)\s*[.:]?\s*$"
    r"|^\s*End of (?:the )?(?:translation|quote|quotation|interview|document)\s*[.:]?\s*$",
    re.IGNORECASE,
)

# Book and donation promotion by the site owner under the article (reference page: "In meinem
# neuen Buch …", "Hier geht es zum neuen Buch"; fixtures/de_sample_page, fixtures/en_page_meta).
PROMOTION_START = re.compile(
    r"^\s*(?:In meinem (?:neuen |aktuellen )?Buch|Mein (?:neues |aktuelles )?Buch\b"
    r"|Hier geht es zu[mr] (?:neuen )?(?:Buch|Shop|Spende)|Das Buch ist\b|Jetzt (?:bestellen|vorbestellen)"
    r"|Unterstützen Sie\b|In my (?:new |latest )?book|My (?:new |latest )?book\b"
    r"|(?:Order|Get) (?:the|my) (?:new )?book|Support (?:this site|our work|us)\b)",
    re.IGNORECASE,
)
# A paragraph right after a promotion stays promotion when it talks about the book or the order.
PROMOTION_WORDS = re.compile(
    r"\b(?:Buch|Buches|bestell\w*|Verlag\w*|Spende\w*|book|order\w*|publisher|donat\w*)\b",
    re.IGNORECASE,
)

# Advertising slots leave a lone label in the capture (reference page: "Werbung").
ADVERTISING = re.compile(
    r"^\s*(?:Werbung|Anzeige|Advertisement|Advertising|Sponsored(?: content)?|Gesponsert)\s*:?\s*$",
    re.IGNORECASE,
)

# Author box under the article (reference page: "Autor: Anti-Spiegel"; fixtures/de_sample_page).
AUTHOR_BOX = re.compile(
    r"^\s*(?:Autor(?:in)?|Author|Verfasser(?:in)?|Written by)\s*:\s*(?P<author>\S.{0,80}?)\s*$",
    re.IGNORECASE,
)
ABOUT_AUTHOR = re.compile(r"^\s*(?:Über (?:den|die) Autor(?:in)?|About the author)\s*:?\s*$", re.IGNORECASE)

# Byline under the title: "Von Anna Beispiel" / "By Jane Doe" with an optional ", date" tail
# (fixtures/en_page_meta).  Names start with a capital; digits end the name.
BYLINE = re.compile(
    r"^\s*(?:Von|By)\s+(?P<author>[A-ZÄÖÜ][\w.'’-]*(?:\s+(?:von |van |de )?[A-ZÄÖÜ][\w.'’-]*){0,3})"
    r"\s*(?:[,|·•]\s*.{0,60}|\s+[–-]\s+.{0,60})?$"
)

# Page furniture between or around the article: share buttons, related posts, skip links,
# tag lists (seen on WordPress themes; fixtures/de_sample_page).  Only applied to short paragraphs.
NAVIGATION = re.compile(
    r"^\s*(?:Teilen|Share(?: this)?|Drucken|Print|Tweet|Facebook|Twitter|Telegram|WhatsApp|E-Mail"
    r"|Gefällt mir|Like this|Ähnliche Beiträge|Ähnliche Artikel|Related(?: posts| articles)?"
    r"|Weiterlesen|Read more|Zum Inhalt springen|Skip to content|Startseite|Menü|Menu|Suche|Search"
    r"|Tags|Schlagwörter|Kategorien|Categories|Veröffentlicht (?:am|in)|Posted (?:on|in)"
    r"|Vorheriger Beitrag|Nächster Beitrag|Previous post|Next post|Impressum|Datenschutz|Privacy)\b",
    re.IGNORECASE,
)
NAVIGATION_MAX_CHARS = 120  # a share bar or tag list is short; longer paragraphs are prose

# Function words for a cheap language guess (most frequent closed-class words of each language).
FUNCTION_WORDS = {
    "de": frozenset(
        "der die das und ist nicht ein eine einen zu den dem von mit auf für sich auch es dass wie "
        "im ich sie er wir aber oder wenn noch nur schon bei aus nach wird sind hat haben war".split()
    ),
    "en": frozenset(
        "the and is of to in that it for was on are with as this not be have has by from at "
        "they you we but or if what which their there would been will".split()
    ),
}


# === Real captures (issue 12): text-browser dumps, markdown converters, browser copies =====
# Vocabulary below was collected from the WordPress core/theme translations of eight languages
# (de, en, fr, es, it, nl, pl, ru) and checked against the shared development captures
# (../shared/data/captures, 13 pages x 6 tools); fixtures/capture_* reproduce each form.

# Comment-section nouns, singular and plural, per language.  "Ergänzungen" (de themes that
# call comments additions), "Gedanken zu" (Twenty Seventeen de_DE), "thoughts on" (en),
# "réactions" (fr SPIP forums), "comentarios" (es), "commenti"/"risposte" (it), "reacties" (nl),
# "komentarzy"/"komentarze"/"odpowiedzi" (pl, plural forms by count), "комментари(й|я|ев)" (ru).
SECTION_NOUNS: tuple[str, ...] = (
    # de
    "Antworten", "Antwort", "Kommentare", "Kommentar", "Kommentaren", "Leserkommentare",
    "Leser-Kommentare", "Leserkommentar", "Ergänzungen", "Ergänzung", "Gedanken", "Gedanke",
    "Reaktionen", "Reaktion", "Leserbriefe", "Leserbrief", "Meinungen", "Diskussion", "Postings",
    # en
    "Comments", "Comment", "Responses", "Response", "Replies", "Reply", "thoughts", "thought",
    "Discussion", "Discussions", "Reactions", "Reaction",
    # fr
    "commentaires", "commentaire", "réactions", "réaction", "réponses", "réponse", "messages",
    # es
    "comentarios", "comentario", "respuestas", "respuesta", "opiniones",
    # it
    "commenti", "commento", "risposte", "risposta", "pensieri", "pensiero",
    # nl
    "reacties", "reactie", "opmerkingen", "gedachten",
    # pl
    "komentarzy", "komentarze", "komentarz", "odpowiedzi", "odpowiedź", "myśli",
    # pt (session 7: held-out Portuguese WordPress pages)
    "comentários", "comentário", "respostas", "resposta", "opiniões",
    # ru
    "комментариев", "комментария", "комментарий", "комментарии", "ответов", "ответа", "ответ",
    "отзывов", "отзыва", "отзыв",
)
_NOUNS_RE = "|".join(re.escape(n) for n in sorted(SECTION_NOUNS, key=len, reverse=True))
# Nouns that also name a site's sections ("Opiniones" / "Meinungen": the opinion column; "Diskussion"
# in a menu; "Messages", "Gedanken"): with a count they head a comment list ("1 Meinungen:"); alone
# they open a list in the capture reader only when its comments show reply buttons (session 8: a
# news page without comments read its "OPINIONES" box of dated titles as comments in every tool).
# The singular noun alone ("COMMENT" in a share bar, "Kommentar" over a text box) opens no dated list
# whose items show no reply button (session 8: a news site's dated video box read as comments under
# the share bar's "COMMENT" in a browser copy).  A list of names without dates may stand under it
# (Disqus's noscript list in a browser copy).
BARE_SINGULAR_HEADER = re.compile(
    r"^[\s#*•>_\-]*(?:Comment|Kommentar|Commentaire|Comentario|Commento|Reactie|Komentarz|Reply|Antwort|"
    r"Response|Réponse|Respuesta|Risposta|Комментарий|Comentário)\s*:?[\s#*_]*$",
    re.IGNORECASE,
)
WEAK_BARE_HEADER = re.compile(
    r"^[\s#*•>_\-]*(?:Vos |Your |Die |Les |Los |I |Le |Unsere |Ihre |Leser |Reader |Latest |Alle |All )?"
    r"(?:opiniones|opiniões|Meinungen|Diskussion|Discussion|Discussions|messages|Gedanken|thoughts|pensieri|"
    r"gedachten|myśli)\s*:?[\s#*_]*$",
    re.IGNORECASE,
)
_MORE_NUMBER_WORDS = {
    "un": 1, "une": 1, "uno": 1, "una": 1, "één": 1, "een": 1, "jeden": 1, "jedna": 1, "один": 1,
    "deux": 2, "dos": 2, "due": 2, "twee": 2, "dwa": 2, "два": 2, "trois": 3, "tres": 3, "tre": 3,
    "drie": 3, "trzy": 3, "три": 3, "uma": 1, "dois": 2, "duas": 2, "três": 3,
}
_ALL_NUMBER_WORDS = {**_NUMBER_WORDS, **_MORE_NUMBER_WORDS}
_ANY_COUNT = (
    r"(?P<count>\d{1,3}(?:[.,\u00a0 ]\d{3})+|\d{1,7}|"
    + "|".join(re.escape(w) for w in sorted(_ALL_NUMBER_WORDS, key=len, reverse=True)) + r")"
)
# "91 Ergänzungen", "This Post Has 80 Comments", "There are 13 comments", "Se han publicado 11
# comentarios", "33 LESER-KOMMENTARE", "12 thoughts on “…”", "20 комментариев", "Kommentare (12)",
# "Comments: 5", "Все комментарии (18)": a count next to a section noun, in a short line.  Markdown heading marks, list
# bullets and icon-font placeholders before it are allowed (html2text "## 6 Kommentare zu ...",
# w3m "• 80 Comments", wpDiscuz in html2text "__63 Kommentar Themen").
SECTION_HEADER = re.compile(
    r"^[\s#*•>_\-{(\[]*(?:[^\W\d_][\w’'\-]*\s+){0,4}?" + _ANY_COUNT + r"\s+(?:[^\W\d_]+\s+){0,1}?"
    r"(?P<noun>" + _NOUNS_RE + r")\b(?P<tail>.{0,300})$"
    r"|^[\s#*•>\-]*(?:(?:All|Alle|Tous\s+les|Todos\s+los|Tutti\s+i|Alle\s+de|Все|Wszystkie)\s+)?"
    r"(?P<noun2>" + _NOUNS_RE + r")\s*(?:\((?P<count2>\d{1,7})\)|:\s*(?P<count3>\d{1,7}))\s*$",
    re.IGNORECASE,
)
# Headers without a count: the noun alone (optionally "Vos réactions", "Your comments", "Die
# Kommentare", a colon, a markdown heading mark).  Taken as a header only when comments follow.
SECTION_HEADER_BARE = re.compile(
    r"^[\s#*>]*(?:(?:Vos|Your|Die|Les|Los|I|Le|Unsere|Ihre|Leser|Reader|Latest|Alle|All)\s+)?"
    r"(?:" + _NOUNS_RE + r")\s*(?::\s*)?(?P<invite>\S.{0,80})?$",
    re.IGNORECASE,
)


def parse_section_header(line: str) -> tuple[bool, int | None]:
    """(is a comment-section header, announced count or None) for one short line.

    >>> parse_section_header("This Post Has 80 Comments")
    (True, 80)
    >>> parse_section_header("Kommentare:")
    (True, None)
    >>> parse_section_header("20 комментариев")
    (True, 20)
    """
    if len(line) > 300 or REPLY_BUTTON.match(line) or CAPTURE_TRAILER.match(line):
        return False, None  # "Antworten" buttons and "Hinterlasse einen Kommentar" forms
    bare = SECTION_HEADER_BARE.match(line)
    # The noun alone, or followed on the same line by the reply form's invitation (a text
    # browser joins the heading and the form link: "Kommentare Schreibe einen Kommentar",
    # whose "einen Kommentar" is no count).
    if bare is not None and (bare.group("invite") is None or CAPTURE_TRAILER.match(bare.group("invite"))):
        return True, None
    match = SECTION_HEADER.match(line)
    if match is not None:
        raw = match.group("count") or match.group("count2") or match.group("count3")
        tail = match.group("tail") or ""
        # A count at the very start ("33 LESER-KOMMENTARE Geben Sie jetzt Ihre Meinung ab") may be
        # followed by anything; after words ("This Post Has 80 Comments") only by "on/zu „Title“".
        at_start = match.start("count") == len(line) - len(line.lstrip(" \t#*•>_-{([]"))
        if match.group("noun") is not None and tail.strip() and not at_start and not _HEADER_TAIL.match(tail.strip()):
            return False, None
        return True, _count_value(raw)
    return False, None


# After the noun: nothing, a colon, or "zu/to/on/sur/a/su/op/do/к „Title“".
_HEADER_TAIL = re.compile(
    r"^(?::.*|(?:zu|to|on|auf|für|for|sur|à|a|en|su|per|op|bij|do|na|к|на|about)\s.*|[„“\"«(].*)?$",
    re.IGNORECASE,
)


def _count_value(raw: str) -> int | None:
    low = raw.lower()
    if low in _ALL_NUMBER_WORDS:
        return _ALL_NUMBER_WORDS[low]
    digits = re.sub(r"[.,\u00a0 ]", "", raw)
    return int(digits) if digits.isdigit() else None


# The reply form, per language (after the list, or above it on some themes).
CAPTURE_TRAILER = re.compile(
    # The imperative with and without its "e" ("Schreib einen Kommentar": without it, "einen" read
    # as a count made the form's heading announce one comment).
    r"^[\s#*>\[]*(?:Schreibe? einen Kommentar|Hinterlasse? einen Kommentar|Verfasse einen Kommentar|"
    r"Kommentar verfassen|"
    r"Hinterlassen Sie einen Kommentar|Schreiben Sie einen Kommentar|"  # WordPress de_DE_formal
    r"Kommentar hinterlassen|Antwort hinterlassen|Kommentar schreiben|Schreibe? eine Antwort|Hinterlasse? eine Antwort|"
    r"Leave a Reply|Leave a Comment|Post a Comment|Add a comment|Write a comment|Submit a Comment|"
    r"Leave a Response|Einen Kommentar abschicken|Kommentar abschicken|Soumettre un commentaire|"
    r"Enviar un comentario|Envía un comentario|Invia un commento|"
    r"Laisser un commentaire|Laisser une réponse|Répondre à cet article|Ajouter un commentaire|"
    # "Deja una respuesta" (WordPress es_ES): without it, "una" read as a count made the form's
    # heading announce one comment and its field labels a list of names (session 8).
    r"Deja un comentario|Dejar un comentario|Escribe un comentario|Deja una respuesta|Dejar una respuesta|"
    r"Lascia un commento|Lascia una risposta|Laat een reactie achter|Laat een antwoord achter|Reageer|"
    r"Dodaj komentarz|Napisz komentarz|Zostaw komentarz|Zostaw odpowiedź|"
    r"Добавить комментарий|Оставить комментарий|Оставьте комментарий|Оставить ответ|"
    r"Deixe uma resposta|Deixe um comentário|Deixar um comentário|Escreva um comentário|Adicionar comentário)\b.{0,80}$",
    re.IGNORECASE,
)
# A sidebar or footer widget's heading on its own line ("Recent posts", "Ähnliche Beiträge",
# "Últimas noticias"): a comment list never runs on past it.  Without it, the dated titles of a
# "Recent posts" box under an empty comment section were read as comments (session 8: negative
# controls with a reply form and no comment).  Matched against the whole line, so a comment that
# mentions "related posts" is not cut.
WIDGET_HEADING = re.compile(
    r"^[\s#*=_>|•·-]*(?:"
    r"Recent (?:Posts|Articles|Comments|Entries|Stories)|Related (?:Posts|Articles|Stories|Content|News)|"
    r"Latest (?:Posts|Articles|News|Stories|Comments)|Popular (?:Posts|Articles|Stories)|Most (?:Read|Popular)|"
    r"More (?:Posts|Articles|Stories) from.{0,60}|You (?:may|might) also like|Similar (?:Posts|Articles)|"
    r"Further reading|Read (?:next|also)|Trending(?: now)?|Blogroll|Archives|Categories|Newsletter|"
    r"Neueste Beiträge|Neuste Beiträge|Letzte Beiträge|Aktuelle Beiträge|Neueste Kommentare|Letzte Kommentare|"
    r"Ähnliche Beiträge|Ähnliche Artikel|Verwandte Beiträge|Verwandte Artikel|Das könnte (?:dich|Sie) auch interessieren|"
    r"Weitere Artikel|Weitere Beiträge|Meistgelesen|Meist gelesen|Beliebte Beiträge|Auch interessant|Mehr zum Thema|"
    r"Kategorien|Archiv|Archive|"
    r"Articles récents|Articles similaires|Articles liés|Commentaires récents|Derniers articles|À lire aussi|"
    r"Vous aimerez aussi|Les plus lus|Catégories|Sur le même thème|Dans la même rubrique|À lire également|Lire aussi|"
    r"Entradas recientes|Artículos relacionados|Noticias relacionadas|Comentarios recientes|Últimas noticias|"
    r"Últimas entradas|Más relacionadas|Más leídas|Más leídos|Te puede interesar|También te puede interesar|Categorías|"
    r"Archivos|"
    r"Articoli recenti|Articoli correlati|Commenti recenti|Ultime notizie|Potrebbe interessarti|Categorie|Archivi|"
    r"Recente berichten|Gerelateerde berichten|Recente reacties|Lees ook|Categorieën|Archieven|"
    r"Ostatnie wpisy|Podobne wpisy|Najnowsze komentarze|Czytaj także|Zobacz też|Kategorie|Archiwa|"
    r"Свежие записи|Похожие записи|Свежие комментарии|Читайте также|Рубрики|Архивы|"
    r"Posts recentes|Posts relacionados|Artigos relacionados|Comentários recentes|Categorias|Arquivos"
    r")\s*:?[\s#*=_]*(?:…|\.\.\.)?[\s#*=_]*$",
    re.IGNORECASE,
)
# The heading of a theme's separate pingback list ("Trackbacks/Pingbacks", "Pingbacks & Trackbacks").
PINGBACK_HEADING = re.compile(
    r"^[\s#*=_>|•·-]*(?:\d{1,4}\s+)?(?:Trackbacks?\s*(?:/|&|and|und|\+)\s*Pingbacks?|Pingbacks?\s*(?:/|&|and|und|\+)\s*"
    r"Trackbacks?|Pingbacks?|Trackbacks?)\s*:?[\s#*=_]*$",
    re.IGNORECASE,
)
CAPTURE_CLOSED = re.compile(
    r"^[\s#*>]*(?:Kommentare sind geschlossen|Die Kommentarfunktion ist geschlossen|"
    r"Comments are closed|Commenting is closed|Kommentarfunktion deaktiviert|Les commentaires sont fermés|"
    r"Los comentarios están cerrados|I commenti sono chiusi|Reacties zijn gesloten|"
    r"Komentarze są wyłączone|Комментарии закрыты|Comentários encerrados|Comentários fechados|"
    r"Os comentários estão encerrados|Os comentários estão fechados)\b.{0,80}$",
    re.IGNORECASE,
)

# --- dates inside a line ----------------------------------------------------------------
# Month names and abbreviations of the eight languages (genitive forms for pl/ru).
MONTH_WORDS: tuple[str, ...] = (
    "januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
    "oktober", "november", "dezember",
    "january", "february", "march", "may", "june", "july", "october", "december",
    "janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "setiembre", "octubre", "noviembre", "diciembre", "gennaio", "febbraio", "aprile", "maggio",
    "giugno", "luglio", "settembre", "ottobre", "dicembre", "januari", "februari", "maart", "mei",
    "augustus", "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
    "września", "października", "listopada", "grudnia", "января", "февраля", "марта", "апреля", "мая",
    "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "okt", "nov", "dec", "dez",
    "mär", "févr", "janv", "déc", "ene", "dic", "mrt",
    "janeiro", "fevereiro", "março", "maio", "junho", "julho", "setembro", "outubro", "dezembro", "fev",
)
_MONTHS_RE = "|".join(re.escape(m) for m in sorted(MONTH_WORDS, key=len, reverse=True))
_YEAR = r"(?:1[89]|2[01])\d{2}"
# A date expression: "19. Juni 2019", "26 abril 2022", "Le 13 septembre 2019", "26 de abril de
# 2022" (day month year); "October 22, 2020", "März 7, 2018", "March 11th, 2015" (month day
# year); "23.07.2020", "06/12/2015", "2015-12-13" (numeric); "Jun 20th at 2:41 am", "Le 9 janvier
# à 13:06" (no year, time required).
DATE_IN_LINE = re.compile(
    r"(?<![\d.])(?:"
    r"\d{1,2}(?:\.|er|º|st|nd|rd|th)?\s*(?:de\s+)?(?:" + _MONTHS_RE + r")\.?,?\s*(?:de\s+)?" + _YEAR +
    r"|(?:" + _MONTHS_RE + r")\.?\s+\d{1,2}(?:st|nd|rd|th|\.)?,?\s+" + _YEAR +
    r"|\d{1,2}[./]\d{1,2}[./](?:" + _YEAR + r"|\d{2})(?![\d.])"
    # "18.07, 2011" (day.month, year: a theme's "Comment by Anna — 18.07, 2011 @ 10:44"; round 6).
    r"|\d{1,2}\.\d{1,2}, ?" + _YEAR + r"(?![\d.])"
    # "18. 05. 2014" (numeric with spaces after the dots, the typographic German form; session 7).
    r"|\d{1,2}\. \d{1,2}\. " + _YEAR + r"(?![\d.])"
    r"|" + _YEAR + r"-\d{2}-\d{2}"
    r"|(?:" + _MONTHS_RE + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?\s+(?:at|um|à|a las)\s+\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?"
    # "Le 9 janvier à 13:06", "9. Januar um 13:06" (SPIP and others omit the current year).
    r"|\d{1,2}(?:\.|er)?\s+(?:" + _MONTHS_RE + r")\.?\s+(?:à|um|at|a las|alle|om|o|в)\s+\d{1,2}[:h]\d{2}"
    # A year glued to its time ("August 06, 20194:14 pm": a theme printing date and time in two
    # elements without a space, seen in all text tools on a held-out aside3 page) still ends the date.
    r")(?:(?![\w])|(?=\d{1,2}:\d{2}(?!\d)))(?P<time>[^\n]{0,16}?\d{1,2}[:.h]\s?\d{2}(?:\s*[ap]\.?m\.?|\s*Uhr)?)?",
    re.IGNORECASE,
)
# A coarse post date at the start of its line, month and year only ("March 2018", "May 2025
# edited May 2025", "March_2025 in Releases"): boards print it for posts older than a year in
# the post's signature, right under the name (a Vanilla board; session 12).  Only at the line's
# start and only as the line's date (``capturelist.date_in_line`` applies the same limits to the
# rest of the line as to any date): "in March 2018 we moved" is prose, "Joined: March 2018" a
# profile field.  Monthly archive lists of a blog's sidebar hold such lines too; they carry no
# prose between them, which every list reader requires of a comment.
MONTH_YEAR_START = re.compile(
    r"(?:" + _MONTHS_RE + r")\.?[ _\t\u00a0]" + _YEAR + r"(?![\w.:/-]|[ \t]*\(\d)",
    re.IGNORECASE,
)
# Relative dates, the whole line ("1 Monat her", "vor 3 Stunden", "50 Minuten 46 Sekunden her",
# "2 days ago", "il y a 3 jours", "hace 2 días", "3 giorni fa", "2 dagen geleden"): wpDiscuz,
# Disqus and other script-rendered comment systems print them instead of a date.  Only a line
# that is nothing else counts ("Vor 3 Jahren war ich dort" is prose); the date itself stays
# unparsed unless the capture time is known (analyzer/ingest/dates.py).
_REL_UNITS = (
    r"Sekunden?|Minuten?|Stunden?|Tagen?|Tage|Tag|Wochen?|Monate?n?|Jahren?|Jahre|Jahr|"
    r"seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|"
    r"secondes?|heures?|jours?|semaines?|mois|ans|années?|segundos?|minutos?|horas?|días?|dias?|semanas?|"
    r"meses|mes|mês|años?|anos?|secondi|minuti|ore|ora|giorni|giorno|settimane?|mesi|mese|anni|anno|"
    r"seconden|minuten|uur|dagen|dag|weken|week|maanden|maand|jaren|jaar"
)
_REL_AMOUNT = r"(?:\d{1,3}|an?|one|eine[mnr]?|ein|un[ae]?|uno)"
_REL_SPAN = _REL_AMOUNT + r"\s+(?:" + _REL_UNITS + r")(?:,?\s+(?:und\s+|and\s+)?\d{1,3}\s+(?:" + _REL_UNITS + r"))?"
RELATIVE_DATE_LINE = re.compile(
    # "_" and "*": html2text prints an icon element before the date as empty emphasis ("__1 Monat
    # her", wpDiscuz; round 6).
    r"^[\s·•|/_*-]*(?:(?:vor|il y a|hace|há|about|etwa|circa|ca\.)\s+)?" + _REL_SPAN +
    r"(?:\s+(?:her|ago|fa|geleden|zuvor|atrás))?\s*(?:[·•|/_*-]\s*)?$",
    re.IGNORECASE,
)


# A relative date signed with the commenter's name before it ("MA Sullivan • 2 weeks ago", "Anna ·
# vor 3 Stunden"): Disqus-like themes print name and age on one line.  The match is the date part
# only (the separator and a space before it are required, so "Vor 3 Jahren war ich dort" stays prose);
# capturelist.date_in_line checks that what precedes it is a short name.
SIGNED_RELATIVE_DATE = re.compile(
    r"(?<=[·•|–—-] )(?:(?:vor|il y a|hace|há|about|etwa|circa|ca\.)\s+)?" + _REL_SPAN +
    r"(?:\s+(?:her|ago|fa|geleden|zuvor|atrás))?(?=\s*$)",
    re.IGNORECASE,
)


# A relative date at the start of a line with the comment's buttons after it ("1 ano atrás Link
# permanente", "2 days ago Reply"): capturelist.date_in_line checks that the rest is buttons.
RELATIVE_DATE_START = re.compile(
    r"^[\s·•|/_*-]*(?:(?:vor|il y a|hace|há|about|etwa|circa|ca\.)\s+)?" + _REL_SPAN +
    r"(?:\s+(?:her|ago|fa|geleden|zuvor|atrás))?(?=\s)",
    re.IGNORECASE,
)


def relative_date_line(line: str) -> bool:
    """Whether a whole line is a relative date ("1 Monat her", "vor 3 Stunden", "2 days ago").

    A direction word is required (before: vor / il y a / hace; after: her / ago / fa / geleden),
    so a bare "3 Tage" is not one.
    """
    match = RELATIVE_DATE_LINE.match(line)
    if match is None:
        return False
    low = line.lower()
    return any(w in low for w in ("vor ", "il y a", "hace ", "há ", " her", " ago", " fa", " geleden", " zuvor", " atrás"))


# A line that is (mostly) comment meta: a date, with at most a name, "says", "Reply" around it.
DATE_LINE_MAX_CHARS = 140
DATE_LINE_MAX_OTHER_WORDS = 9

# "Max sagt:", "Max says:", "Max dit :", "Max dice:", "Max scrive:", "Max zegt:", "Max pisze:",
# "Max пишет:", "Max am 3. Mai" (Drupal), "Max on May 3" : the author part of a meta line.
# A lookbehind, not "\s+", before the verb: a scan over a long run of blanks stays linear.
AUTHOR_VERB = re.compile(
    r"(?<=\s)(?:sagt|says|schreibt|writes|said|dit|a dit|dice|dijo|escribió|scrive|ha scritto|zegt|"
    r"schreef|pisze|napisał|пишет|написал|kommentierte|commented)\s*(?::\s*)?$",
    re.IGNORECASE,
)
AUTHOR_JOINER = re.compile(r"(?<=\s)(?:am|on|le|el|il|op|dnia|—|–|-|\||//|um|at|à)\s*$", re.IGNORECASE)

# Lines that are buttons or widgets of a comment, never its text (text browsers print them on
# their own line): reply/like/report/permalink in the eight languages, WordPress.com likes
# ("LikenLiken", "Gefällt mirGefällt mir"), wpDiscuz votes, loading notices.
# Text browsers print the buttons of a comment as a list ("  • Reply", "□ Antworten"): bullets
# before the label are part of the button line.
# Bullets a button may be printed with; lynx's third-level bullet is the letter "o" ("   o Reply").
_BUTTON_LEAD = r"^[\s\[(|•□●○◦▪■‣·☆*+-]*(?:o[ \t]+)?"
COMMENT_FURNITURE = re.compile(
    _BUTTON_LEAD + r"(?:" + REPLY_WORDS_ALTERNATION + r"|Liken|Like|Gefällt mir|J’aime|J'aime|"
    r"Me gusta|Mi piace|Vind ik leuk|Lubię to|Нравится|Melden|Report|Signaler|Denunciar|Segnala|"
    r"Permalink|Permanenter Link|Lien permanent|Enlace permanente|Link permanente|Zitieren|Quote|Citer|Citar|Cita|"
    # "Recommend" (Disqus and custom systems' up-vote), "Recommended" (their sort option).
    r"Recommended|Recommend|Empfehlen|Recommander|Recomendar|"
    r"Daumen hoch|Daumen runter|Thumbs up|Thumbs down|Wird geladen|Loading|Chargement|Cargando|"
    r"Caricamento|Bearbeiten|Edit|Modifier|Editar|Modifica|Löschen|Delete|Cancel reply|"
    r"Antworten abbrechen|Zum Antworten anmelden|Anmelden zum Antworten|"
    # wpDiscuz's translation buttons under a comment.
    r"Translate|Show all|Original|Übersetzen)"
    r"(?:[\s\])|↓→»…•·0-9-]|\.\.\.|Liken|Liked by|Like|Gefällt mir|Gefällt|Daumen hoch|Daumen runter|Antworten|Reply|"
    # WordPress.com's like button with its count ("LikeLiked by 21 people", "Gefällt mirGefällt 3
    # Personen"; round 6: read as text, the dates above them were not comment-like).
    r"people|person|Personen|Person|"
    r"Permanenter Link|Permalink|Wird geladen|Loading|Melden|Report|Zitieren|Quote)*$",
    re.IGNORECASE,
)
# User labels comment plugins print beside the name (wpDiscuz "Gast"/"Guest", "Autor"/"Author"
# for the post's author, moderators, members), one word on its own line in a text capture.
ROLE_LABELS = frozenset({
    "gast", "guest", "autor", "autorin", "author", "admin", "administrator", "moderator", "moderatorin",
    "mitglied", "member", "abonnent", "subscriber", "redaktion", "editor", "invité", "invitado", "ospite",
})
# A reply button line in the strict sense: it closes the text of the comment above it.
REPLY_BUTTON = re.compile(
    _BUTTON_LEAD + r"(?:" + REPLY_WORDS_ALTERNATION + r")\b[\s\])" + REPLY_ARROWS + r"]*$",
    re.IGNORECASE,
)
# Avatar placeholders and image stand-ins text browsers print: "[4bde]" (w3m/lynx: the alt text
# or a hash of the image name), "[IMG]", "[Bild]", "[image]", "[avatar of Anna]", "Avatar", "●"
# (WordPress.com), a markdown image, possibly linked to the author's site ("[![](a.png)](url)",
# markdown converters).  Anchored at the content's start: callers strip the indentation first.
AVATAR = re.compile(
    r"^(?:\[(?:[0-9a-f]{3,16}|IMG|Bild|image|img|gif|avatar[^\]\n]{0,40}|Foto|photo)\]|Avatar(?:\s+(?:von|of|de))?|"
    r"\[?!\[[^\]]{0,80}\]\([^)\s]{0,600}\)(?:\]\([^)\s]{0,600}\))?|●|\[\])\s*",
    re.IGNORECASE,
)
# Markdown links and images (html2text): "[text](url)" -> "text", images dropped.
MD_IMAGE = re.compile(r"!\[[^\]\n]{0,200}\]\([^)\n]{0,600}\)")
MD_LINK = re.compile(r"\[([^\]\n]{0,300})\]\((?:[^)\s\n]{0,600})(?:\s+\"[^\"\n]{0,200}\")?\)")

# Pingbacks and trackbacks: WordPress prints them in the comment list with the linking post's
# title; the wording is "Pingback: …", "Trackback: …", or an excerpt with "[…]".
PINGBACK = re.compile(r"^[\s*•□◦]*(?:Pingback|Trackback|Rückverweis)\s*:", re.IGNORECASE)
# A pingback shown as the linking post's title, a date and an excerpt cut at both ends:
# "[…] the quoted sentence […]" (WordPress core's pingback excerpt).
PINGBACK_EXCERPT = re.compile(r"^\[(?:…|\.\.\.)\][^\n]{0,2000}(?:\n[^\n]{0,2000}){0,30}\[(?:…|\.\.\.)\]\s*$")
PINGBACK_HEADER = re.compile(
    r"^[\s#*]*(?:Pingbacks?|Trackbacks?|Pingbacks? (?:&|and|und) Trackbacks?|Trackbacks? (?:&|and|und) Pingbacks?|"
    r"Rückverweise|Erwähnungen)\s*(?:\(\d+\))?\s*:?\s*$",
    re.IGNORECASE,
)

# List markers of real captures, at the start of a line (after indentation): ordinals "1." / "1)"
# (right-aligned by w3m and elinks: " 1." ... "10."), letters "a." / "a)", bullets of nested
# lists (w3m "□" and "•", lynx "+", "*" and "o", html2text "*", "-"), possibly more than one
# ("□ ● Name" on WordPress.com); w3m draws the third level as "☆".  A marker alone on its line
# is lynx's form.
CAPTURE_MARKER = re.compile(
    r"(?P<marker>(?:\d{1,4}[.)]|[a-zA-Z][.)]|[□•*+o◦▪■‣·●○–☆★◇◆∙⁃-])(?=[ \t]|$))[ \t]*"
)

# Notices a comment system prints where its list ends or would load: Disqus's noscript line
# ("Please enable JavaScript to view the comments powered by Disqus."), "comments powered by
# …", load-more buttons.  A list read without dates ends there (capturelist._named_list).
COMMENT_SYSTEM_NOTICE = re.compile(
    r"^[\s#*>\[(]*(?:Please enable JavaScript to view the comments|comments powered by|"
    r"Bitte aktiviere JavaScript|Load more comments|Show more comments|View more comments|"
    r"Weitere Kommentare laden|Mehr Kommentare (?:laden|anzeigen)|Alle Kommentare anzeigen|"
    r"Charger plus de commentaires|Cargar más comentarios|Carica altri commenti)",
    re.IGNORECASE,
)
# Decorations around a heading that converters print ("***** Comments *****" from Debian's
# html2text, "=== Comments ===", "-- Kommentare --"): removed before the header is parsed.
# The run of marks is bounded: an unbounded run backtracks quadratically on a line of marks.
HEADING_DECORATION = re.compile(r"^\s*([*=#~-]{2,40})\s*(\S.{0,200}?)\s*\1\s*$")
# More reply-form links than CAPTURE_TRAILER names: Blogger's "Kommentar hinzufügen" / "Add
# comment" / "Ajouter un commentaire" under its list, "Neuen Kommentar schreiben", "Join the
# discussion".  capturelist.is_trailer tries both.
CAPTURE_TRAILER_MORE = re.compile(
    r"^[\s#*>\[]*(?:Kommentar hinzufügen|Neuen Kommentar (?:schreiben|verfassen)|Add comment|Add a Comment|"
    r"Join the discussion|Post a Reply|Aggiungi un commento|Añadir un comentario|Reactie toevoegen|"
    # WordPress's classic theme closes the list with the comment feed link (session 7).
    # (Debian html2text joins a link's words with "_").
    r"RSS[ _]feed[ _]for[ _]comments[ _]on[ _]this[ _]post|RSS-Feed[ _]für[ _]Kommentare[ _]zu[ _]diesem[ _]"
    r"(?:Artikel|Beitrag))\b.{0,80}$",
    re.IGNORECASE,
)
# "… par Horus En réponse à : Title of the post" (SPIP), "In reply to Anna": the rest of a meta
# line names what the comment answers; its words do not count against the date line.
REPLY_TO_TAIL = re.compile(
    r"\s(?:En réponse à|In reply to|In Antwort auf|Als Antwort auf|En respuesta a|In risposta a|"
    r"Als reactie op|W odpowiedzi na|В ответ на)\b.{0,200}$",
    re.IGNORECASE,
)
# Reply buttons worded as a phrase ("Répondre à ce message", SPIP; "Auf diesen Beitrag antworten";
# "Reply to this message"): like REPLY_BUTTON, they close the comment's text.
REPLY_PHRASE = re.compile(
    r"^[\s\[(|•□●○◦▪■‣·☆*+-]*(?:Répondre à ce (?:message|commentaire)|Reply to this (?:message|post)|"
    r"Auf diesen (?:Beitrag|Kommentar) antworten|Responder a este (?:mensaje|comentario)|"
    r"Rispondi a questo (?:messaggio|commento))\s*[\])]?\s*$",
    re.IGNORECASE,
)
# The name after the date on a meta line: "Le 3 juillet à 16:55, par voltaire En réponse à : …"
# (SPIP), "March 3, 2020 by Anna", "3. März 2020 von Anna".
AUTHOR_AFTER_DATE = re.compile(
    r"^[\s,;|·–-]*(?:par|by|von|de|di|door|przez|от)\s+(?P<name>[^\s,|·][^,|·]{0,59}?)\s*(?:[,|·]|$)",
    re.IGNORECASE,
)
# Quantifiers before a section noun ("Tous vos commentaires (11)", "Alle Kommentare (3)").
HEADER_QUANTIFIER = re.compile(
    r"^[\s#*>]*(?:Tous|Toutes|Tutti|Todos|Todas|Alle|All)\s+(?:(?:vos|les|nos|i|los|las|die|ihre|unsere|your|the)\s+)?(?=\S)",
    re.IGNORECASE,
)
# A member-profile line of a post header: the label alone ("Beiträge" with the count on the
# next line, w3m's definition lists) or with its value ("Beiträge 1070", "Posts: 1,234",
# "Mitglied seit 12. Juni 2017"): a count, or a date.  Forum threads on the held-out aside3
# pages (XenForo, vBulletin, Forumotion; analyzer/ingest/forumsigns.py).
PROFILE_LABEL = re.compile(
    r"^[\s•*·-]*(?P<label>Beiträge|Posts|Messages|Nachrichten|Reaktionspunkte|Punkte|Mensajes|Messaggi|Berichten|"
    r"Mitglied seit|Registriert seit|Registriert|Anmeldedatum|Dabei seit|Joined|Join Date|Member since|"
    r"Registered|Inscrit le|Inscrit|Registrado|Iscritto|Lid sinds)"
    r"\s*:?\s*(?P<value>[\d.,]{1,12}|\d[^\n]{0,30}|[A-Za-zÄÖÜäöüéû]{3,10}\.? \d[^\n]{0,20})?\s*$",
    re.IGNORECASE,
)


def profile_value(lines: list[str], idx: int) -> bool:
    """Whether line ``idx`` (a date) is a member-profile value, not a post's date: "Mitglied seit
    12. Juni 2017" on one line, or the bare label on the nearest non-blank line above."""
    if PROFILE_LABEL.match(lines[idx].strip()):
        return True
    for back in range(idx - 1, max(-1, idx - 3), -1):
        above = lines[back].strip()
        if above:
            match = PROFILE_LABEL.match(above)
            return match is not None and not match.group("value")
    return False


# A comment list's paging line: "Posting 1 bis 25 von 779", "Comments 1-20 of 95", "Showing 1 to
# 20 of 95 comments".  The total is the thread's count; the page shows the range.  Post nouns
# join the heading nouns: news forums call comments postings or contributions.
_PAGED_NOUN = re.compile(
    r"(?<!\w)(?:" + _NOUNS_RE + r"|Postings?|Beitr(?:ag|äge)|Einträge|Posts?|Messages?|сообщени[йея])(?!\w)", re.IGNORECASE
)
_RANGE_OF = re.compile(
    r"(?<![\d.,])(\d{1,7})\s*(?:-|–|—|bis|to|à|a|al|tot|do|по)\s*(\d{1,7})\s*(?:von|of|de|sur|di|su|van|z|из)\s*"
    + r"(\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+|\d{1,7})(?![\d.,]\d)",
    re.IGNORECASE,
)


def paged_total(text: str) -> int | None:
    """The thread's total from a comment list's paging line, or None.

    >>> paged_total("Posting 1 bis 25 von 779"), paged_total("Showing 21–40 of 95 comments")
    (779, 95)
    >>> paged_total("Seite 1 bis 5 von 12") is None  # pages, not comments
    True
    """
    if len(text) > 120:
        return None
    match = _RANGE_OF.search(text)
    if match is None or not _PAGED_NOUN.search(text):
        return None
    first, last, total = int(match.group(1)), int(match.group(2)), int(re.sub(r"\D", "", match.group(3)))
    return total if 0 < first <= last <= total else None
