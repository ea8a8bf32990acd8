"""Evidence of a comment list in page text that needs no comment heading (issue 12, "never silent").

Comment systems without a "12 Comments" heading (Disqus lists saved without dates, Discourse's
crawler view, Lemmy, Invision, themes that print no count) gave 0 comments and no word: the
older evidence in :mod:`analyzer.ingest.pagetext` starts from a heading or an author verb, and
:mod:`analyzer.ingest.forumsigns` from member-profile lines.  What every comment list shows
instead is a *repeated block shape*: a short meta line (a name, a date, a post number, a reply
button) that comes back again and again, each time with somebody's prose in between.

This module only finds that shape and describes it; it reads nothing.  The page-text reader
turns it into a ``comments-not-recognised`` warning when no comment was read, or into a
shortfall warning when far fewer comments were read than blocks were seen.

A kind of meta line counts when it forms a *run*: at least :data:`MIN_RUN` lines of that kind,
each next one within :data:`MAX_GAP` lines, and a prose line (somebody's sentence) between each
two.  Menus repeat their entries without prose between; a single byline or share bar does not
repeat; news teaser lists repeat dates over headlines, so dates alone need a longer run and a
person's sentences between (see :func:`collect`).

The vocabulary (buttons, counts, relative dates) is data in :data:`VOCABULARY`, one entry per
language, so a new language is one entry, not a scattered edit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from analyzer.core.records import ParsedThread, ParseIssue
from analyzer.ingest import capturelist, cjkdates, patterns
from analyzer.ingest.base import COMMENTS_NOT_RECOGNISED

# Words of comment furniture, per language: buttons under or beside a comment, nouns counted
# beside it ("12 points", "3 replies"; not likes or messages, which teasers and profile boxes
# count too: the "52 Likes" under each teaser of a Drupal page), the word after a relative age
# ("2 dni temu") where capturelist does not know it, and labels before an article's date
# ("Posted", "Veröffentlicht") or a citation's date ("Retrieved", "Abgerufen") that are no
# commenter's name; and the reply form's lines ("Required fields are marked", WordPress core's
# strings) that close a comment list; and the lead of a signature line under a comment
# ("Posted by: Anna | date", "Geschrieben von Anna am …"; signedbelow.py).
# Only whole lines made of these words (and counts, bullets, separators) count as buttons.
VOCABULARY: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "form": ("add your comment", "required fields are marked", "your email address will not be published",
                 "leave a reply", "leave a comment", "post a comment"),
        "buttons": ("reply", "replies", "quote", "report", "permalink", "link to comment", "link to post",
                    "like", "upvote", "downvote", "vote up", "vote down", "flag",
                    "share on other sites", "more sharing options", "load more replies", "show replies",
                    "view replies", "hide replies", "collapse", "expand", "report abuse", "reply to this"),
        "counts": ("points", "point", "replies", "reply", "votes", "vote", "upvotes"),
        "date_labels": ("posted", "published", "updated", "released", "edited", "last updated", "modified",
                        "retrieved", "archived", "accessed"),
        "signed_by": ("posted by", "comment by", "comment from", "written by", "submitted by", "reply by"),
    },
    "de": {
        "form": ("deine e-mail-adresse wird nicht veröffentlicht", "ihre e-mail-adresse wird nicht veröffentlicht",
                 "erforderliche felder sind mit", "schreibe einen kommentar", "kommentar verfassen"),
        "buttons": ("antworten", "antwort", "zitieren", "melden", "permalink", "gefällt mir", "daumen hoch",
                    "daumen runter", "direktlink", "link zum beitrag", "antworten anzeigen", "mehr antworten"),
        "counts": ("punkte", "punkt", "antworten", "antwort", "stimmen"),
        "date_labels": ("veröffentlicht", "aktualisiert", "erstellt", "geschrieben", "bearbeitet", "stand",
                        "zuletzt bearbeitet", "pressemitteilung", "abgerufen", "archiviert"),
        "signed_by": ("geschrieben von", "verfasst von", "kommentar von", "eingetragen von", "gepostet von"),
    },
    "fr": {
        "form": ("votre adresse e-mail ne sera pas publiée", "laisser un commentaire", "les champs obligatoires sont",
                 "publier un commentaire", "ajouter un commentaire", "écrire un commentaire"),
        "buttons": ("répondre", "citer", "signaler", "lien permanent", "j'aime", "j’aime", "voir les réponses"),
        "counts": ("points", "réponses", "réponse", "votes"),
        "date_labels": ("publié", "mis à jour", "modifié", "posté", "consulté", "archivé"),
        "signed_by": ("écrit par", "posté par", "publié par", "commentaire de", "commentaire par", "envoyé par"),
    },
    "es": {
        "form": ("tu dirección de correo electrónico no será publicada", "deja un comentario",
                 "los campos obligatorios están", "publicar un comentario", "escribe un comentario"),
        "buttons": ("responder", "citar", "reportar", "denunciar", "enlace permanente", "me gusta",
                    "ver respuestas"),
        "counts": ("puntos", "respuestas", "respuesta", "votos"),
        "date_labels": ("publicado", "actualizado", "modificado", "consultado", "archivado"),
        "signed_by": ("publicado por", "escrito por", "comentario de", "comentado por", "enviado por"),
    },
    "it": {
        "form": ("il tuo indirizzo email non sarà pubblicato", "lascia un commento", "i campi obbligatori sono",
                 "scrivi un commento", "pubblica un commento"),
        "buttons": ("rispondi", "cita", "segnala", "link permanente", "mi piace", "mostra risposte"),
        "counts": ("punti", "risposte", "risposta", "voti"),
        "date_labels": ("pubblicato", "aggiornato", "modificato", "consultato", "archiviato"),
        "signed_by": ("scritto da", "pubblicato da", "commento di", "inviato da", "postato da"),
    },
    "nl": {
        "form": ("je e-mailadres wordt niet gepubliceerd", "laat een reactie achter", "vereiste velden zijn"),
        "buttons": ("reageren", "beantwoorden", "citeren", "melden", "permalink", "vind ik leuk"),
        "counts": ("punten", "reacties", "reactie", "stemmen"),
        "date_labels": ("geplaatst", "gepubliceerd", "bijgewerkt", "geraadpleegd", "gearchiveerd"),
        "signed_by": ("geplaatst door", "geschreven door", "reactie van", "gepost door"),
    },
    "pl": {
        "form": ("twój adres e-mail nie zostanie opublikowany", "dodaj komentarz", "wymagane pola są"),
        "buttons": ("odpowiedz", "cytuj", "zgłoś", "link", "lubię to"),
        "counts": ("punkty", "punktów", "odpowiedzi", "odpowiedź", "głosy", "głosów"),
        "ago_after": ("temu",),
        "date_labels": ("opublikowano", "zaktualizowano", "dostęp", "zarchiwizowano"),
        "signed_by": ("napisał(a)", "napisała", "napisał", "dodał(a)", "dodane przez", "komentarz od"),
    },
    "ru": {
        "form": ("ваш адрес email не будет опубликован", "добавить комментарий", "обязательные поля помечены"),
        "buttons": ("ответить", "цитировать", "пожаловаться", "ссылка", "нравится"),
        "counts": ("очков", "очка", "ответов", "ответа", "ответ", "голосов"),
        "ago_after": ("назад",),
        "date_labels": ("опубликовано", "обновлено", "проверено", "архивировано"),
        "signed_by": ("написал(а)", "написала", "написал", "добавил(а)", "комментарий от"),
    },
    # Chinese, Japanese, Korean: buttons of a page saved with such a browser locale (Discourse
    # prints "回复" and "赞"; session 10).  Their dates and ages are in cjkdates.py.
    "zh": {
        "buttons": ("回复", "回覆", "引用", "举报", "檢舉", "分享", "赞", "讚", "点赞", "收藏", "书签", "链接"),
        "counts": ("回复", "赞", "票"),
    },
    "ja": {
        "buttons": ("返信", "引用", "報告", "通報", "共有", "いいね", "ブックマーク"),
        "counts": ("返信", "いいね"),
    },
    "ko": {
        "buttons": ("답글", "답장", "인용", "신고", "공유", "좋아요"),
        "counts": ("답글", "좋아요"),
    },
}


def _alternation(key: str) -> str:
    words = {w for entry in VOCABULARY.values() for w in entry.get(key, ())}
    # Longest first: "reply to this" before "reply".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# A whole line of buttons and counts: "Reply", "Like · Reply · 3", "12 points", "Link to comment",
# "□ Antworten", "[Zitieren] [Melden]", "3 replies".  Word boundaries by look-around, so "link"
# does not match inside "linking".
_BUTTON_WORD = r"(?<![\w])(?:" + _alternation("buttons") + r")(?![\w])"
# A count ("12", "3.5k", "1,204") and a counted noun after it ("12 points"): the noun only right
# after a number, so "points" alone is no button.  Tokens share no character with the
# separators (no "," or "." there), so a line splits into tokens one way only: linear time.
_NUMBER = r"\d+(?:[.,]\d+)*[kKmM]?(?![\w])"
_COUNT_NOUN = r"(?<=[\d\s])(?<![^\d\s]\s)(?:" + _alternation("counts") + r")(?![\w])"
_SEPARATOR = r"[\s\[\](){}|·•□◦*+\-–—/:↑↓▲▼^#]"
BUTTON_LINE = re.compile(r"^" + _SEPARATOR + r"*(?:(?:" + _BUTTON_WORD + r"|" + _NUMBER + r"|" + _COUNT_NOUN + r")"
                         + _SEPARATOR + r"*){1,8}$", re.IGNORECASE)
# A button line must hold at least one button word or counted noun, not only numbers.
_HAS_WORD = re.compile(r"[^\W\d_]{2}", re.UNICODE)  # "3.5k" is a number, not a word

# Relative ages in languages capturelist.date_in_line does not cover ("2 dni temu", "3 часа назад").
_AGO_AFTER = re.compile(r"^[\s•·|*-]*(?:\d{1,3}|[^\W\d_]{1,12})\s+[^\W\d_]{2,12}\s+(?:"
                        + _alternation("ago_after") + r")[\s•·|*-]*$", re.IGNORECASE)

# A post's number on its own line or at the end of a meta line: "#12", "Post #3".
_POST_NUMBER = re.compile(r"^[\s•*·+-]*(?:[^\W\d_]{1,10}\s*)?#\d{1,5}\s*$")

_PROFILE_LABEL = patterns.PROFILE_LABEL
# A forum post's profile column, one line of it: the author's post count ("262 Posts", "Offline2
# posts" where a tool glued the online state to it, "Posts: 486", "Beiträge: 35"), a profile
# label with its value ("Joined: Aug 2018", "Registriert: 3. Mai 2019"; patterns.PROFILE_LABEL),
# the author's handle in brackets ("(@rodrigo-detector)", wpForo), or the post's number with its
# date ("#2 · May 21, 2024, 12:33 pm").  Every post repeats it, an article's author box does not.
# (A count of replies, "3 replies", is a button under a comment, not a profile line.)
_POST_NOUNS = (r"posts?|beiträge|beitrag|messages?|nachrichten|mensagens|mensajes|messaggi|berichten|"
               r"сообщени[йяе]|postagens|publicaciones")
_POST_COUNT = re.compile(r"^[^\W\d_]{0,12}\s?\d[\d.,]{0,8}\s(?:" + _POST_NOUNS + r")$"
                         r"|^(?:" + _POST_NOUNS + r"|threads|themen|topics)\s?:\s?\d[\d.,]{0,8}$", re.IGNORECASE)
_HANDLE_LINE = re.compile(r"^\(@[\w.-]{2,40}\)$")
_NUMBERED_DATE = re.compile(r"^#\d{1,5}\s?[·•|–—-]\s?\S")
# The profile column printed on one line (a markdown table row holding the whole post header:
# "Posts: 486  Threads: 53  Joined: Aug 2018"): a post count and a join label within a few words.
_PROFILE_ROW = re.compile(r"(?<![\w:])(?:posts|beiträge|messages|mensajes|messaggi|berichten)\s?:\s?[\d.,]{1,9}"
                          r"(?:\s{1,6}[^\s]{1,30}){0,6}?\s{1,6}(?:joined|join date|registriert|mitglied seit|"
                          r"member since|inscrit|registrado|iscritto|lid sinds)\s?:", re.IGNORECASE)
MIN_PROFILE_ROWS = 2
MIN_PROFILE_RUN = 2
# A forum post is often long (pandoc prints a blank line between its paragraphs and a quote of
# the post above it): the next post's profile column may come this many lines later.
PROFILE_MAX_GAP = 300


def profile_line(content: str) -> bool:
    """One line of a forum post's profile column (see :data:`_POST_COUNT`)."""
    content = content.strip(" _*")  # "262 Posts ______": html2text's empty emphasis after it
    if len(content) > 60:
        return False
    if _POST_COUNT.match(content) or _HANDLE_LINE.match(content):
        return True
    if _NUMBERED_DATE.match(content):
        return capturelist.date_in_line(content) is not None
    match = _PROFILE_LABEL.match(content)
    return match is not None and bool(match.group("value"))


def profile_rows(text: str) -> int:
    """How many profile columns printed on one line (post count and join label) a text holds."""
    if ":" not in text:
        return 0
    return sum(1 for _ in _PROFILE_ROW.finditer(text))


# Raw markup a converter left in the text (pandoc keeps the divs it cannot map): an id naming a
# numbered comment ("dsq-comment-1193515", "comment-42").  Each comment has its own, so distinct
# ids count, wherever they are.
_MARKUP_COMMENT_ID = re.compile(r"""\bid\s*=\s*["'][\w-]{0,40}?(?:comment|reply)[-_]?(\d{1,12})["']""",
                                re.IGNORECASE)
MIN_MARKUP_IDS = 3


# A bullet list item whose first line is a name (optionally after the linked profile's URL:
# "• http://example.org Anna Lind"), the way Disqus lists print without dates; w3m marks nested
# levels with "□" and "☆".
_LIST_MARK = re.compile(r"^\s*(?:[-*+•◦▪·□☆○●■]|\d{1,4}\.)\s+")
_URL_LEAD = re.compile(r"^(?:https?://|www\.)\S{1,300}\s+")
_NAME = re.compile(r"^[^\W\d_][\w.'’@-]{0,30}(?:\s[^\W\d_][\w.'’@-]{0,30}){0,3}$", re.UNICODE)

# Labels before a date that are no names ("Posted May 22", "Veröffentlicht: 3. Mai").
_DATE_LABEL = re.compile(r"^(?:" + _alternation("date_labels") + r")(?![\w])", re.IGNORECASE)
_AVATAR_TAG = re.compile(r"\[[^\]\n]{0,40}\]")
_PARENTHESISED = re.compile(r"\([^)\n]{0,60}\)")
_NAME_SPLIT = re.compile(r"\s[·•|/–—-]\s|[·•|]")
# Name tokens: a handle ("db0@lemmy.example", "raj") alone, or up to three words that each
# start with a capital ("Anna Lind", "Ed E.").
_HANDLE = re.compile(r"^[^\W\d_][\w.'’@-]{0,40}$", re.UNICODE)
_NAME_MAX_CHARS = 40


# A user name glued to the display name after it, as text tools join two adjacent links
# ("carlosevpCarlos Eduardo VeigaMVP 2024": Discourse's username, full name and group flair).
_GLUED_HANDLE = re.compile(r"^([a-z][a-z0-9._-]{2,30}[a-z0-9])(?=[A-Z][a-z])")


def _symbols_out(text: str) -> str:
    """The text without symbol characters: rank stars and badges after a name ("Pat Jacobsen ✭")."""
    if text.isascii():
        return text
    return "".join(" " if unicodedata.category(c) == "So" else c for c in text)


def author_line(content: str) -> str | None:
    """The name of an author line ("infamousdx said,", "Anna says:", "Max schreibt:"), else None."""
    if len(content) > 60:
        return None
    verb = patterns.AUTHOR_VERB.search(content.rstrip(",").rstrip())
    if verb is None:
        return None
    return name_in(content[: verb.start()])


def glued_handle(text: str) -> str | None:
    """The user name a line starts with when a tool glued the display name to it, else None."""
    match = _GLUED_HANDLE.match(text.strip(" \t*•·|-–—#>_"))
    return match.group(1) if match is not None else None


def name_in(text: str) -> str | None:
    """The commenter's name a meta text starts with, or None ("amondale (Amondale)" -> "amondale";
    "[avatar]db0@lemmy.example" -> the handle; "Released: June 17" -> None)."""
    text = _symbols_out(_PARENTHESISED.sub(" ", _AVATAR_TAG.sub(" ", text)))
    glued = glued_handle(text)
    if glued is not None:
        return glued
    text = _URL_LEAD.sub("", text.strip(" \t*•·|-–—#>_"))
    text = _NAME_SPLIT.split(text, maxsplit=1)[0].strip(" ,:;*_").strip()  # "\xa0" alone is no name
    if not text or len(text) > _NAME_MAX_CHARS or _DATE_LABEL.match(text) or text.endswith(":"):
        return None
    words = text.split()
    if any(w.endswith(".") and len(w.rstrip(".")) > 1 for w in words):
        return None  # "New Zealand. Retrieved": the end of a sentence; "Ed E." keeps its initial
    if len(words) == 1:  # "POLITICS" is a section, "raj" or "RobHz" a handle
        return text if len(text) >= 3 and _HANDLE.match(text) and not (len(text) > 3 and text.isupper()) else None
    if len(words) <= 3 and all(w[:1].isupper() and _HANDLE.match(w) for w in words):
        return text
    return None


# The names of a run must vary like a conversation's: at least this many different ones, no one
# name on more than this share of the named blocks (a category or "Published" label repeats on
# every teaser; a thread's starter who answers everyone is on about half), and a name on at least this share of the blocks.
MIN_DISTINCT_NAMES = 3
MAX_SAME_NAME_SHARE = 0.6
MIN_NAMED_SHARE = 0.6
_ATTRIBUTION_DASHES = "—–"
# How far above a date line its name may stand, in non-blank lines (the lines of one comment's
# header: avatar and name, language, score, age on Lemmy).
NAME_REACH = 4
# A comment's header holds short lines (name, rank, language, score); a line of this many words
# above a date is a teaser's headline (German, Spanish and French news lists whose category words
# look like names: "Sociedad", "Holzenergie"; 9 of 460 comment-free pages warned without this).
HEADLINE_MIN_WORDS = 4
# A post number closes a forum post's header, which is longer (name, rank, reaction and post
# counts, date): its name is looked for this many non-blank lines up.  Numbers alone never count:
# an article's numbered steps ("#1" … "#4") rise the same way.
POST_HEADER_REACH = 8


# A line of somebody's prose: this many words, most of them lower-case (a headline is Title
# Case, a menu one or two words).
PROSE_MIN_WORDS = 6
PROSE_LOWER_SHARE = 0.5
# Lines longer than this, or with more words, are never meta lines (and the date matcher, the
# costliest test here, is spared on them).
META_MAX_CHARS = 120
META_MAX_WORDS = 14

# A run of one kind of meta line: at least MIN_RUN lines, each within MAX_GAP lines of the one
# before, with a prose line between each two.  Dates alone (news lists carry them too) need
# DATE_MIN_RUN.  Names without a date are weakest (article lists of terms look alike) and need
# NAME_MIN_RUN items, each a list item.
MIN_RUN = 3
DATE_MIN_RUN = 4
NAME_MIN_RUN = 4
MAX_GAP = 80
# Bulleted names without dates need at least this many full names or linked profiles.
MIN_FULL_NAMES = 2


@dataclass(slots=True)
class Run:
    """The longest run of one kind: its lines (0-based) and an example line."""

    kind: str
    lines: list[int] = field(default_factory=list)
    example: str = ""

    def describe(self) -> str:
        first, last = self.lines[0] + 1, self.lines[-1] + 1
        return f"{len(self.lines)} {self.kind} line(s) repeated with prose between (lines {first}-{last}, e.g. {self.example!r})"


@dataclass(slots=True)
class TextSigns:
    """The runs of comment-block meta lines a page text shows."""

    runs: list[Run] = field(default_factory=list)

    def is_comment_list(self) -> bool:
        """Whether the runs make a comment list likely (see the module docstring)."""
        return bool(self.runs)

    def blocks(self, kinds: tuple[str, ...] | None = None) -> int:
        """How many comment-shaped blocks the longest run (of the given kinds) shows."""
        return max((len(r.lines) for r in self.runs if kinds is None or r.kind in kinds), default=0)

    def first_line(self) -> int | None:
        return min((r.lines[0] for r in self.runs), default=None)

    def describe(self) -> str:
        return "; ".join(r.describe() for r in self.runs)


# Short forum replies ("I would be interested too.") are sentences too: this many words, most
# lower-case, and a sentence's end.  Chinese and Japanese write without spaces: a line with this
# many of their characters is prose (session 10: replies of a Discourse topic saved in Chinese).
SENTENCE_MIN_WORDS = 4
CJK_PROSE_MIN_CHARS = 12
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def prose_line(content: str) -> bool:
    """Whether a line reads like somebody's sentence rather than a menu entry or headline."""
    words = content.split()
    if len(words) < PROSE_MIN_WORDS:
        if len(words) >= SENTENCE_MIN_WORDS and content.endswith((".", "!", "?", "…")):
            alpha = [w for w in words if w[:1].isalpha()]
            return len(alpha) >= SENTENCE_MIN_WORDS - 1 and sum(w[:1].islower() for w in alpha) * 2 >= len(alpha)
        return len(content) >= CJK_PROSE_MIN_CHARS and len(_CJK_CHAR.findall(content)) >= CJK_PROSE_MIN_CHARS
    alpha = [w for w in words if w[:1].isalpha()]
    return len(alpha) >= PROSE_MIN_WORDS - 1 and sum(w[:1].islower() for w in alpha) >= PROSE_LOWER_SHARE * len(alpha)


def button_line(content: str) -> bool:
    """A whole line of comment buttons or counts ("Reply", "12 points", "Link to comment")."""
    return len(content) <= META_MAX_CHARS and bool(_HAS_WORD.search(content)) and bool(BUTTON_LINE.match(content))


def date_line(content: str) -> bool:
    """A short meta line with a date or an age ("Anna · 3 years ago", "November 8, 2024, 8:42pm 2")."""
    if len(content) > META_MAX_CHARS or capturelist.byline(content):
        return False
    return (capturelist.date_in_line(content) is not None or bool(_AGO_AFTER.match(content))
            or cjkdates.date_line(content))


def _name_item(lines: list[str], idx: int) -> str | None:
    """The name of a bullet list item whose first line is a name (or of a line that is a linked
    name, its profile URL printed before it, as Chromium saves Disqus lists), with prose in the
    next two non-blank lines; None for anything else (numbered steps, menus, headings)."""
    mark = _LIST_MARK.match(lines[idx])
    if mark is not None and mark.group(0).strip()[:1].isdigit():
        return None
    rest = lines[idx][mark.end():].strip() if mark is not None else lines[idx].strip()
    if mark is None and _URL_LEAD.match(rest) is None:
        return None  # without a bullet only a linked name ("http://example.org Anna Lind"): headings look alike
    if _URL_LEAD.sub("", rest) == rest and len(rest.split()) > 1 and not _NAME.match(rest):
        return None
    name = name_in(rest)
    if name is None:
        return None
    seen = 0
    for nxt in lines[idx + 1: idx + 6]:
        content = nxt.strip()
        if not content:
            continue
        seen += 1
        if seen > 2 or _LIST_MARK.match(nxt):
            return None
        if prose_line(content):
            return name
    return None


def headline(content: str) -> bool:
    """A teaser's headline: several words, no date, not ended like a sentence (the last short
    line of the comment above, "Thanks, any help appreciated!", is); a cut one ends in "..."."""
    if len(content.split()) < HEADLINE_MIN_WORDS or capturelist.date_in_line(content) is not None:
        return False
    if glued_handle(content) is not None:
        return False  # "carlosevpCarlos Eduardo VeigaMVP 2024": a user name glued to the display name
    return content.endswith(("...", "…")) or not content.endswith((".", "!", "?", ":", ")", ";", ","))


def _date_names(contents: list[str], idx: int, prose_before: int, reach: int = NAME_REACH) -> list[str]:
    """The name candidates of the comment header a date line belongs to, top first: the short
    lines above it since the last prose line (within :data:`NAME_REACH`), then the text before
    the date on its line.  :func:`_conversational` picks one per block."""
    line = contents[idx]
    if line[:1] in _ATTRIBUTION_DASHES:
        return []  # "— Ann (@ann) May 5, 2023": an embedded post's attribution, quoted by the article
    above = [c for c in contents[max(prose_before + 1, idx - 3 * reach): idx] if c][-reach:]
    if any(capturelist.byline(c) for c in above + [line]):
        return []  # "By Lee Doe" over a teaser's date: an article's author, not a commenter
    if any(headline(c) for c in above):
        return []  # a headline over the date ("Los 83 años del Aero Club"): a teaser, not a comment
    names = [n for n in (name_in(c) for c in above) if n is not None]
    match = capturelist.date_in_line(line)
    if match is not None and match.start() > 0 and not line[match.start() - 1].isalnum():
        # Text glued to the date ("Pressemitteilung16.02.2022") is a teaser's category label.
        own = name_in(line[: match.start()])
        if own is not None:
            names.append(own)
    return names


def _conversational(candidates: list[list[str]]) -> bool:
    """Whether the names of a run's blocks vary like a conversation's (see MIN_DISTINCT_NAMES).

    Each block's name is its first candidate that is not on most blocks beside another one: icon
    labels ("minus-square", "arrow-up") and a language ("English") stand in every header of a
    thread; the thread's starter, answering everyone, stands alone in her headers.
    """
    seen: dict[str, int] = {}
    alone: set[str] = set()  # a name that is a block's only candidate is a person, not a label
    for names in candidates:
        lowered = {n.lower() for n in names}
        for name in lowered:
            seen[name] = seen.get(name, 0) + 1
        if len(lowered) == 1:
            alone |= lowered
    common = {n for n, k in seen.items() if k > MAX_SAME_NAME_SHARE * len(candidates) and n not in alone}
    named = [next((n.lower() for n in names if n.lower() not in common), None) for names in candidates]
    picked = [n for n in named if n]
    if len(picked) < MIN_NAMED_SHARE * len(candidates) or len(set(picked)) < MIN_DISTINCT_NAMES:
        return False
    # The first word too: "Gesundheit Angst", "Gesundheit Schlaf" are one teaser category's tags.
    firsts = [n.split()[0] for n in picked]
    top = max(max(picked.count(n) for n in set(picked)), max(firsts.count(f) for f in set(firsts)))
    return top <= MAX_SAME_NAME_SHARE * len(picked)


def _runs(kind: str, hits: list[int], prose: list[int], contents: list[str], min_run: int,
          max_gap: int = MAX_GAP) -> Run | None:
    """The longest run of ``hits`` (sorted line numbers), one per block: hits with no prose
    between them belong to the same block (a "Like" and a "Reply" line under one comment; the
    entries of a menu), hits further apart than :data:`MAX_GAP` end the run."""
    best: list[int] = []
    current: list[int] = []
    p = 0
    for line in hits:
        if current:
            while p < len(prose) and prose[p] <= current[-1]:
                p += 1
            between = p < len(prose) and prose[p] < line
            if line - current[-1] > max_gap:
                if len(current) > len(best):
                    best = current
                current = []
            elif not between:
                continue
        current.append(line)
    if len(current) > len(best):
        best = current
    if len(best) < min_run:
        return None
    return Run(kind, best, contents[best[0]][:60])


_FORM_LINE = re.compile(r"^[\s#*>\[]*(?:" + _alternation("form") + r")(?![\w])", re.IGNORECASE)
# A single comment: an author line ("Anna says:") with its date on it or within this many
# non-blank lines, and the reply form within FORM_REACH lines after it.  One comment shows no
# repetition, but "NAME says:" over a date right above the form is a comment's shape, not an
# article's (round 8: WordPress pages with one comment and no heading gave 0 and no word).
SIGNED_DATE_REACH = 2
FORM_REACH = 40


def form_line(content: str) -> bool:
    """A line of the reply form in any known language ("Leave a reply", "Publier un commentaire")."""
    return bool(_FORM_LINE.match(content))


def _signed_above_form(contents: list[str]) -> int | None:
    """The line of a lone author line ("Anna says:" + date) right above a reply form, or None."""
    for idx, content in enumerate(contents):
        if not content or len(content) > META_MAX_CHARS or not patterns.AUTHOR_VERB.search(content):
            continue
        following = [c for c in contents[idx + 1: idx + 1 + 3 * SIGNED_DATE_REACH] if c][:SIGNED_DATE_REACH]
        if not (capturelist.date_in_line(content) or any(capturelist.date_in_line(c) for c in following)):
            continue
        after = contents[idx + 1: idx + 1 + FORM_REACH]
        if any(prose_line(c) for c in after) and any(c and _FORM_LINE.match(c) for c in after):
            return idx
    return None


# A date that links to a comment's own anchor, as converters print it: "[March 2, 2022](/discussion/
# comment/432571/#Comment_432571)" (markdown), the permalink date of a comment template.  A
# "recent comments" widget links its post titles there, not dates.
_DATED_PERMALINK = re.compile(r"\[([^\[\]\n]{4,48})\]\([^()\s]{0,300}#(?:comment|reply|post)[-_]?(\d{1,12})\)", re.IGNORECASE)


def dated_permalinks(text: str) -> int:
    """How many distinct comments a text's dates link to (the permalink dates of a comment list
    kept by a markdown converter)."""
    if "#" not in text:
        return 0
    return len({m.group(2) for m in _DATED_PERMALINK.finditer(text) if date_line(m.group(1).strip())})


# A signature before a comment's date, anywhere in the text ("Posted by: Jeff at November 9, 2012
# 8:01 AM"): found in the raw text, because tools that lay a page out as a table (markdownify) or
# in columns (Debian html2text beside a sidebar) print it mid-line.
_SIGNED_LEAD = re.compile(r"(?<![\w])(?:" + _alternation("signed_by") + r")[ \t]?:?[ \t]", re.IGNORECASE)
_SIGNED_REACH = 90
_SIGNED_NAME_END = re.compile(r"\s(?:at|on|am|le|el|il|op|\||•|·|—|–|-)\s|[|,(]")
MIN_SIGNED = 3


def signed_dates(text: str) -> tuple[int, int]:
    """How many signatures with a date a text holds, and the line of the first (see
    :data:`_SIGNED_LEAD`).  Their names must vary: an article's own "Posted by" repeats one."""
    names: list[str] = []
    first = -1
    for match in _SIGNED_LEAD.finditer(text):
        window = text[match.end(): match.end() + _SIGNED_REACH].split("\n", 1)[0].replace("_", " ")
        end = _SIGNED_NAME_END.search(window)
        date = patterns.DATE_IN_LINE.search(window)
        if date is None or end is None or end.start() > date.start():
            continue
        name = name_in(window[: end.start()])
        if name is None:
            continue
        names.append(name.lower())
        if first < 0:
            first = text.count("\n", 0, match.start())
    if len(names) < MIN_SIGNED or len(set(names)) < MIN_DISTINCT_NAMES:
        return 0, -1
    return len(names), first


def markup_ids(text: str) -> int:
    """How many distinct numbered comment ids raw markup left in a text shows."""
    if "id" not in text:
        return 0
    return len({m.group(1) for m in _MARKUP_COMMENT_ID.finditer(text)})


# Markdown images and link targets (markdownify, html2text): only the link text is seen on the
# page.  An avatar image inside the commenter's link made the name line a 300-character "prose"
# line (Lemmy in markdownify).
_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,300}\]\([^)\n]{0,1000}\)")
_MD_LINK = re.compile(r"\[([^\]\n]{0,300})\]\([^)\n]{0,1000}\)")


# An image as Debian html2text and lynx print it: its address in brackets ("Report
# [/assets/img/flag_grey.png]"); nothing of it is seen on the page.
_IMAGE_PLACEHOLDER = re.compile(r"\[[^\[\]\s]{0,300}\.(?:png|gif|jpe?g|svg|webp)\]", re.IGNORECASE)


def visible(line: str) -> str:
    if "(BUTTON)" in line:  # lynx's mark of a button ("(BUTTON) Reply"), not a word of it
        line = line.replace("(BUTTON)", " ")
    if "_" in line and " " not in line.strip():  # a link as Debian html2text prints it: "21_天", "3_replies"
        line = line.replace("_", " ")
    if "](" not in line:
        if "g]" in line.lower() or "f]" in line.lower() or "p]" in line.lower():
            line = _IMAGE_PLACEHOLDER.sub(" ", line)
        return line.strip()
    return _MD_LINK.sub(r"\1", _MD_IMAGE.sub(" ", line)).strip()


def collect(lines: list[str], raw_text: str = "") -> TextSigns:
    """The comment-block runs of a capture's lines (already markdown-normalised).

    Buttons and comment markup count on their own.  Dates, post numbers and bulleted names
    count only when the names of their blocks vary like a conversation's: news teasers, a
    reference list and a menu repeat their dates or entries too, but not a set of people.
    """
    lines = [visible(line) for line in lines]
    contents = [line.strip() for line in lines]
    prose: list[int] = []
    dates: list[int] = []
    buttons: list[int] = []
    numbers: list[int] = []
    profiles: list[int] = []
    authors: list[int] = []
    names: list[int] = []
    name_of: dict[int, list[str]] = {}
    for idx, content in enumerate(contents):
        if not content:
            continue
        if len(content) > META_MAX_CHARS:
            prose.append(idx)
            continue
        if content.count(" ") >= META_MAX_WORDS:  # a long line: somebody's words, never a meta line
            if prose_line(content):
                prose.append(idx)
            continue
        if profile_line(content):
            profiles.append(idx)
            if _NUMBERED_DATE.match(content):
                dates.append(idx)
                name_of[idx] = _date_names(contents, idx, prose[-1] if prose else -1, POST_HEADER_REACH)
        elif button_line(content):
            buttons.append(idx)
        elif _POST_NUMBER.match(content):
            numbers.append(idx)
            name_of[idx] = _date_names(contents, idx, prose[-1] if prose else -1, POST_HEADER_REACH)
        elif date_line(content):
            dates.append(idx)
            name_of[idx] = _date_names(contents, idx, prose[-1] if prose else -1)
        elif prose_line(content):
            prose.append(idx)
        elif (author := author_line(content)) is not None:
            authors.append(idx)
            name_of[idx] = [author]
        else:
            item = _name_item(lines, idx)
            if item is not None:
                names.append(idx)
                name_of[idx] = [item]
    signs = TextSigns()
    n_ids = markup_ids(raw_text)
    if n_ids >= MIN_MARKUP_IDS:
        first = next((i for i, line in enumerate(raw_text.split("\n")) if _MARKUP_COMMENT_ID.search(line)), 0)
        signs.runs.append(Run("comment-markup", [first] * n_ids, f"{n_ids} distinct comment ids"))
    n_dated = dated_permalinks(raw_text)
    if n_dated >= MIN_MARKUP_IDS:
        first = next((i for i, line in enumerate(raw_text.split("\n")) if _DATED_PERMALINK.search(line)), 0)
        signs.runs.append(Run("comment-permalink", [first] * n_dated, f"{n_dated} dates linking to comments"))
    n_signed, first_signed = signed_dates(raw_text) if raw_text else (0, -1)
    if n_signed:
        signs.runs.append(Run("signature", [first_signed] * n_signed, f"{n_signed} signatures with a date"))
    n_rows = profile_rows(raw_text)
    if n_rows >= MIN_PROFILE_ROWS:
        first = raw_text.count("\n", 0, next(_PROFILE_ROW.finditer(raw_text)).start())
        signs.runs.append(Run("profile-column", [first] * n_rows, f"{n_rows} post counts with a join date"))
    run = _runs("post-profile", profiles, prose, contents, MIN_PROFILE_RUN, PROFILE_MAX_GAP)
    # A profile column repeated with somebody's words between: forum posts, also two of them
    # (a question and its answer), when the page shows dates too (a member list has none), or
    # three posts (Misago glues its ages: "7 days ago7 days ago").
    if run is not None and (len(dates) >= MIN_PROFILE_RUN or len(run.lines) >= MIN_RUN):
        signs.runs.append(run)
    lone = _signed_above_form(contents)
    if lone is not None:
        signs.runs.append(Run("author-line-above-reply-form", [lone], contents[lone][:60]))
    for kind, hits, min_run in (("reply/vote-button", buttons, MIN_RUN),):
        run = _runs(kind, hits, prose, contents, min_run)
        if run is not None:
            signs.runs.append(run)
    for kind, hits, min_run in (("name-and-date", dates, DATE_MIN_RUN), ("name-item", names, NAME_MIN_RUN),
                                ("post-number", numbers, MIN_RUN), ("author-line", authors, MIN_RUN)):
        run = _runs(kind, hits, prose, contents, min_run)
        if run is None or not _conversational([name_of.get(i, []) for i in run.lines]):
            continue
        # Bulleted names without a date: a menu of single words ("Markets", "Tech") looks alike;
        # people's full names or linked profiles do not.
        if kind == "name-item" and sum(" " in name_of[i][0] or bool(_URL_LEAD.search(contents[i]))
                                       for i in run.lines) < MIN_FULL_NAMES:
            continue
        signs.runs.append(run)
    mention = _mention_run(contents)
    if mention is not None:
        signs.runs.append(mention)
    return signs


# Bare name lines whose posts answer each other (session 12): a board's no-script view prints
# each post as the poster's name alone on a line over the text, no date, no mark, and a reply
# opens with the name it answers ("antonjw I love this kind of …").  At least MENTION_MIN_NAMES
# name lines, MENTION_MIN_DISTINCT people, and MENTION_MIN_OPENINGS texts that open with the
# name of an earlier name line other than their own: a heading over a paragraph does not open
# the paragraph with another heading's word.
MENTION_MIN_NAMES = 4
MENTION_MIN_DISTINCT = 3
MENTION_MIN_OPENINGS = 2
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MENTION_LEAD = re.compile(r"^@?([^\W\d_][\w.'’-]{1,30})[\s,:]")


def _mention_run(contents: list[str]) -> Run | None:
    """Name lines alone between blank lines, over texts that open with earlier names, or None."""
    heads: list[tuple[int, str]] = []
    for idx, line in enumerate(contents):
        content = _MD_HEADING.sub("", line)  # a converter's heading: "### Toby"
        if (content and " " not in content and len(content) <= _NAME_MAX_CHARS and _HANDLE.match(content)
                and (idx == 0 or not contents[idx - 1]) and idx + 1 < len(contents) and not contents[idx + 1]):
            heads.append((idx, content))
    if len(heads) < MENTION_MIN_NAMES or len({name.casefold() for _, name in heads}) < MENTION_MIN_DISTINCT:
        return None
    seen: set[str] = set()
    openings: list[int] = []
    for idx, name in heads:
        after = next((c for c in contents[idx + 1: idx + 4] if c), "")
        lead = _MENTION_LEAD.match(after)
        if lead is not None and lead.group(1).casefold() in seen - {name.casefold()} and prose_line(after):
            openings.append(idx)
        seen.add(name.casefold())
    if len(openings) < MENTION_MIN_OPENINGS:
        return None
    return Run("name-over-mention", [idx for idx, _ in heads], contents[openings[0]])


# Shortfall (some comments read, far more blocks shown): the same rule as the HTML readers'
# (html_comments/shortfall.py): at least FACTOR times the comments read plus MARGIN blocks.
SHORTFALL_CODE = "comments-partly-recognised"
SHORTFALL_FACTOR = 2
SHORTFALL_MARGIN = 3
# Only the kinds that belong to comments alone count there: name-and-date and name-item runs
# also fire on teaser and archive lists beside a page's one read comment (7 of 9 shortfall
# warnings on the aside3/aside4 pages were such lists; buttons and comment ids: none).
SHORTFALL_KINDS = ("reply/vote-button", "comment-markup")


def _chars_after(thread: ParsedThread, line: int) -> int:
    return sum(len(b.text) for b in thread.article.blocks if b.source_line is not None and b.source_line > line)


def not_recognised(lines: list[str], raw_text: str, path: str, article_id: str,
                   thread: ParsedThread) -> tuple[list[ParseIssue], int]:
    """The ``comments-not-recognised`` warning for a page whose comments were not read but whose
    text repeats a comment block's shape; and the article characters from its first block on
    (the accounting's ``article_text_after_comment_header``).  Nothing when the shape is absent."""
    signs = collect(lines, raw_text)
    first = signs.first_line()
    if first is None:
        return [], 0
    after = _chars_after(thread, first)
    return [ParseIssue(
        COMMENTS_NOT_RECOGNISED,
        f"no comment was read, but the page repeats the shape of a comment block: {signs.describe()}; "
        f"{after} characters from line {first + 1} on went to the article blocks",
        "warning", path, first + 1, article_id,
    )], after


def shortfall(lines: list[str], raw_text: str, path: str, article_id: str, n_read: int) -> list[ParseIssue]:
    """A ``comments-partly-recognised`` warning when the text shows far more comment-shaped
    blocks than the ``n_read`` comments read (see :data:`SHORTFALL_FACTOR`)."""
    if n_read <= 0:
        return []
    signs = collect(lines, raw_text)
    signs.runs = [r for r in signs.runs if r.kind in SHORTFALL_KINDS]
    shown = signs.blocks()
    if shown < SHORTFALL_FACTOR * n_read + SHORTFALL_MARGIN:
        return []
    first = signs.first_line() or 0
    return [ParseIssue(
        SHORTFALL_CODE,
        f"only {n_read} comment(s) were read, but the page repeats the shape of a comment block "
        f"{shown} times: {signs.describe()}; the rest are not in the result",
        "warning", path, first + 1, article_id,
    )]
