"""Signs that a page has a comment section, and the count a heading announces.

Why: a reader that finds no comment must be able to tell "this page has none" from "this
page has comments we did not understand".  The second case gets the warning
``comments-not-recognised`` with the evidence collected here (issue 12: a wpDiscuz page,
a German news site and a Chinese blog platform gave 0 comments and exit 0, silently).

Evidence, each with where it was seen:

* an announced count above zero in a comment heading ("91 Ergänzungen", "There are 13
  comments", "12 thoughts on “…”", "20 комментариев");
* reply buttons or links ("Reply", "Antworten", "Répondre", ``comment-reply-link``,
  ``?replytocom=``);
* comment-like markup: two or more elements whose class or id names a comment and that hold
  text (a comment form alone is no evidence: every blog page has one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analyzer.ingest import patterns
from analyzer.ingest.base import COMMENTS_NOT_RECOGNISED
from analyzer.ingest.html_comments import listing
from analyzer.ingest.html_comments.common import (
    Element,
    classes,
    in_ui_layer,
    line_of,
    own_descendants,
    text_of,
)
from analyzer.ingest.htmltext import input_form

CODE = COMMENTS_NOT_RECOGNISED

# Nouns of comment headings in de/en/fr/es/it/nl/pl/ru, singular and plural forms.
_NOUNS = (
    r"Kommentare?n?|Ergänzung(?:en)?|Reaktion(?:en)?|Antwort(?:en)?|Gedanken?|Leserbriefe?|Meinung(?:en)?|"
    r"Comments?|Responses?|Repl(?:y|ies)|thoughts?|Discussions?|Reactions?|"
    r"commentaires?|réactions?|réponses?|"
    r"comentarios?|respuestas?|"
    r"commenti|commento|risposte?|"
    r"reacties?|opmerkingen|"
    r"komentarz(?:y|e|a)?|odpowied(?:ź|zi)|"
    r"комментари(?:й|я|ев|и)|отзыв(?:ов|а|ы)?|ответ(?:ов|а|ы)?|"
    r"评论|評論|留言|コメント"
)
_COUNT = r"(\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+|\d{1,7})"
# "<count> <noun>" anywhere in a heading, or "There are <count> <noun>", "Comments (<count>)".
_COUNT_NOUN = re.compile(_COUNT + r"\s+(?:\w+[\s-])?(?:" + _NOUNS + r")(?!\w)", re.IGNORECASE)
# A theme that prints the count and the noun in two elements with no space between them:
# "52Comments" (a held-out page).  Up to four digits, the noun capitalised or not, nothing else.
_COUNT_GLUED = re.compile(r"(?<![\w.,])(\d{1,4})(?:" + _NOUNS + r")(?!\w)", re.IGNORECASE)
_NOUN_COUNT = re.compile(
    r"(?<!\w)(?:" + _NOUNS + r")\s*[:(\[]\s*" + _COUNT + r"\s*[)\]]?", re.IGNORECASE
)
# Chinese and Japanese blog platforms write counts without spaces ("13条评论", "评论(13)").
_CJK_COUNT = re.compile(r"(\d{1,7})\s*(?:条|則|则|个|件)?\s*(?:评论|評論|留言|回复|回覆|コメント)")
_CJK_NOUN_COUNT = re.compile(r"(?:评论|評論|留言|コメント)\s*[（(:：]\s*(\d{1,7})\s*[)）]?")
_NOUN_ONLY = re.compile(r"^\W*(?:[\w'’]+\s+){0,3}(?:" + _NOUNS + r")\W*$", re.IGNORECASE)
# The reply-button vocabulary is shared with the page-text readers (patterns.REPLY_WORDS).
_REPLY_WORDS = re.compile(
    r"^\s*(?:" + patterns.REPLY_WORDS_ALTERNATION + r")\s*(?:↓|»|›)?\s*$", re.IGNORECASE
)
# A class token or id that names one comment ("comment", "comment-body", "kommentar-eintrag",
# "user-comment", "comment-123"); containers and the form are told apart by _FORM_TOKEN and
# by counting innermost elements only.
_COMMENT_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_])?(?:comment|kommentar|reply|commentaire|comentario|commento|reactie|komentarz)s?"
    r"(?:[-_][a-z0-9]+)*$",
    re.IGNORECASE,
)
_FORM_TOKEN = re.compile(
    r"form|respond|reply-title|comment-notes|logged-in|policy|count|widget|recent|area|list|section|wrap|"
    r"closed|nav|pagination|title|link|button|icon|popup|modal|toggle|subscribe",
    re.IGNORECASE,
)
# Headings of the comment FORM, not of comments: "Schreibe einen Kommentar", "Leave a Reply".
_INVITATION = re.compile(
    r"\b(?:schreib|hinterl|verfass|leave|write|add|post|submit|laisser|écrire|deja|escrib|lascia|scrivi|"
    r"geef|laat|schrijf|dodaj|napisz|zostaw|оставить|написать|добавить|"
    # Session 6 (real pages without comments): "Publier un nouveau commentaire", "Responder
    # comentario", "Loading comments..." head a form or a script's placeholder, not comments.
    r"publi|respond|load|chargement|cargando|caricamento|lade)",
    re.IGNORECASE,
)
# Class parts of a comment section's controls and placeholders, not of one comment:
# "comment-privacy", "ts-comments-btn-write", "comments-loader", "activate-comments",
# "share-comment", "facebook_comments", "hljs-comment" (a code highlighter's comment span).
# Only for the evidence of unread comments; the readers' own class rules are unchanged.
_UI_PART = frozenset(
    {
        "privacy",
        "write",
        "login",
        "editor",
        "btn",
        "expand",
        "loader",
        "load",
        "open",
        "opener",
        "activate",
        "share",
        "leave",
        "actions",
        "action",
        "delete",
        "report",
        "header",
        "menu",
        "facebook",
        "fb",
        "gplus",
        "google",
        "twitter",
        "rules",
        "notice",
        "hljs",
        "token",
        "syntax",
        "add",
        "citation",
        "compose",
        "composebox",
        "preview",
        "vars",
        "flag",
        "failed",
        "refresh",
        # The comment form's status boxes (Typepad: "comment-error", "comment-captcha",
        # "comment-complete" beside "comment-preview"; a held-out control page, aside6).
        "error",
        "captcha",
        "complete",
        "success",
        "confirmation",
    }
)
_UI_SPLIT = re.compile(r"[-_]+")
# Counters and headline spans by class, BEM forms too: "comment-count", "comments-total"
# (a forum widget), "comments__headline" (a news theme's heading that is a span).
_COUNTER_CLASS = re.compile(
    r"^(?:[a-z0-9]+[-_])?(?:comments?[-_]{1,2}(?:count|number|total|headline|heading)|count[-_]comments?)$",
    re.IGNORECASE,
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


# A page's own statement that it has no comment (yet), in the eight languages: a heading or
# counter saying so is a valid zero, not a sign of unread comments (issue 12, round 4: a
# Blogger "no comments" heading, a counter beside "comments are closed").
_ZERO_STATEMENT = re.compile(
    r"^\W*(?:(?:noch\s+)?keine\s+(?:kommentare|ergänzungen|reaktionen|antworten)|no\s+(?:comments|responses|replies)"
    r"(?:\s+yet)?|aucun\s+commentaire|pas\s+de\s+commentaires?|sin\s+comentarios|ningún\s+comentario|"
    r"nessun\s+commento|geen\s+reacties|brak\s+komentarzy|нет\s+комментариев|"
    r"be\s+the\s+first\s+to\s+comment|sei\s+der\s+erste|soyez\s+le\s+premier|"
    r"(?:comments|kommentare|commentaires)\s+(?:are\s+closed|sind\s+geschlossen|fermés)|"
    r"0\s+(?:comments?|kommentare?|commentaires?|comentarios|commenti|reacties|komentarzy|комментариев))\b",
    re.IGNORECASE,
)
# Class tokens of a state on another element ("has-comments" on an article teaser), not a comment.
_STATE_PREFIX = re.compile(r"^(?:has|no|is|with|without)[-_]", re.IGNORECASE)


def states_zero(text: str) -> bool:
    """Whether a short text says there is no comment ("Aucun commentaire:", "Keine Kommentare",
    "0 Comments", "Be the first to comment", "Kommentare sind geschlossen", "Derzeit sind keine
    Kommentare vorhanden")."""
    return len(text) <= 120 and bool(
        _ZERO_STATEMENT.match(text)
        or patterns.COMMENTS_CLOSED.match(text)
        or _ZERO_INSIDE.search(text)
    )


# The same statements after a few words ("Derzeit sind keine Kommentare vorhanden", "There are
# no comments yet", "Il n'y a aucun commentaire"): a real forum page without comments.
_ZERO_INSIDE = re.compile(
    r"\b(?:keine\s+(?:kommentare|ergänzungen|reaktionen)|no\s+comments|aucun\s+commentaire|"
    r"ningún\s+comentario|nessun\s+commento|geen\s+reacties|brak\s+komentarzy|нет\s+комментариев)\b",
    re.IGNORECASE,
)


def _followed_by_zero_or_form(heading: Element) -> bool:
    """Whether what follows a comment heading says there is none, or is only the form: the
    next two element siblings' text (up to 200 characters), or a form among them."""
    following = [
        e
        for e in heading.itersiblings()
        if isinstance(e.tag, str) and e.tag not in ("script", "style", "noscript")
    ]
    if (
        following
        and not any((text_of(e) or "").strip() for e in following[:4])
        and not any(
            next(e.iter("li", "article", "img", "iframe"), None) is not None for e in following[:4]
        )
    ):
        # Only empty containers after the heading: a widget that loads its comments by script
        # (Livefyre, Gigya, Coral on real news pages; session 6), nothing to read in the page.
        return True
    seen = 0
    for sibling in heading.itersiblings():
        if not isinstance(sibling.tag, str) or sibling.tag in ("script", "style"):
            continue
        text = text_of(sibling) or ""
        if sibling.tag == "a" and not text:
            continue  # an anchor target
        holds_form = next(sibling.iterdescendants("form", "textarea"), None) is not None
        if (
            sibling.tag in ("form", "textarea")
            or sibling.get("id") in ("respond", "commentform")
            or (holds_form and len(text) < 400)
        ):
            return True
        if text and (states_zero(text[:120]) or _INVITATION.match(text)):
            return True
        seen += 1
        if seen >= 2:
            break
    return False


def empty_comment_list(root: Element) -> Element | None:
    """A comment list printed empty (``dl#comments-block``, ``ul#dsq-comments``,
    ``div.comments-list`` with no text): the page shows its comment list, and it holds none."""
    for element in root.iter("ul", "ol", "dl", "div", "section"):
        tokens = [*classes(element), element.get("id") or ""]
        if not any(_LIST_TOKEN.search(t) for t in tokens if t) or _in_form(element):
            continue
        if not (text_of(element) or "").strip() and not len(element.xpath(".//img|.//iframe")):
            return element
    return None


_LIST_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_])?(?:comments?|kommentare|commentaires?|comentarios|commenti|reacties|komentarze)"
    r"(?:[-_](?:list|block|items|thread|container|holder|body))?$|^(?:comment-?list|commentlist)$",
    re.IGNORECASE,
)


def announced_count(text: str) -> int | None:
    """The count a comment heading announces, in any of the eight languages, or None.

    >>> announced_count("There are 13 comments"), announced_count("91 Ergänzungen")
    (13, 91)
    >>> announced_count("12 thoughts on “Ein Titel”"), announced_count("20 комментариев")
    (12, 20)
    """
    known = patterns.parse_comment_header(text)
    if known is not None:
        return known
    if len(text) > 300:
        return None
    match = (
        _COUNT_NOUN.search(text)
        or _NOUN_COUNT.search(text)
        or _CJK_COUNT.search(text)
        or _CJK_NOUN_COUNT.search(text)
        or _COUNT_GLUED.search(text)
    )
    if match is None:
        return None
    return int(re.sub(r"\D", "", match.group(1)))


# The thread's total from a paging line ("Posting 1 bis 25 von 779"): shared with page text.
paged_total = patterns.paged_total


# The note a board prints under a post that was changed ("Last edited by NAME; DATE", "Last
# edited by NAME (DATE)", "Last edited by NAME on DATE, edited 2 times in total", "« Last Edit:
# DATE by NAME »", "Zuletzt bearbeitet von NAME am DATE", "Modifié par NAME le DATE"): its date
# is the edit's, not the post's, and its line is no part of the post's words.  In the eight
# languages, as the reply buttons and count words are.
_EDIT_NOTE = re.compile(
    r"^[\s«(\[]{0,4}(?:last\s+edit(?:ed)?\b|edited\s+(?:by|on|at|\d{1,4}\s+times?)\b|"
    r"(?:this\s+post\s+was\s+)?last\s+modified\b|"
    r"zuletzt\s+(?:bearbeitet|ge(?:ä|ae)ndert|editiert)\b|bearbeitet\s+von\b|"
    r"(?:dernière\s+)?modifi(?:é|ée|cation)\s+(?:par|le)\b|édité\s+par\b|"
    r"(?:última\s+)?edi(?:tado|ción)\s+(?:por|el)\b|modificato\s+da\b|ultima\s+modifica\b|"
    r"(?:laatst\s+)?bewerkt\s+door\b|(?:ostatnio\s+)?edytowan[ey]\s+przez\b|"
    r"(?:последн\w{0,3}\s+)?(?:редактирова|отредактирова|изменен)\w{0,6})",
    re.IGNORECASE,
)
_EDIT_NOTE_MAX = 200  # a note is one line; a paragraph that starts so is a post's words
_EDIT_NOTE_DEPTH = 6  # wrappers between a date and its note ("<div><em>Last edited … <span>DATE")


def is_edit_note(element: Element) -> bool:
    """Whether an element is a post's edit note (see _EDIT_NOTE): short, and its text starts so."""
    if not isinstance(element.tag, str) or element.tag in ("blockquote", "body", "html"):
        return False
    text = text_of(element) or ""
    return 0 < len(text) <= _EDIT_NOTE_MAX and _EDIT_NOTE.match(text) is not None


# An edit note run into the post's date line ("2024-01-05, 03:34 AM (This post was last
# modified: 2024-01-05, 03:34 AM by NAME)"): from the bracket or word that opens it.
_EDIT_NOTE_TAIL = re.compile(
    r"(?<!\s)\s*+[(\[«]?\s*+(?:this\s+post\s+was\s+)?last\s+(?:modified|edited|edit)\b.{0,200}$",
    re.IGNORECASE | re.DOTALL,
)


def without_edit_note(text: str) -> str:
    """A date text without an edit note that follows it in the same element (a board; batch 9b)."""
    cut = _EDIT_NOTE_TAIL.sub("", text)
    return cut if cut.strip() else text


def in_edit_note(element: Element, block: Element | None = None) -> bool:
    """Whether an element is, or sits in, an edit note (a few wrappers up, not above ``block``).
    A board's "Last edited by NAME; Feb 17, 2026 at <span class="time">9:17 am</span>" gave the
    edit's time as the post's date and left the post's own date in its text (batch 9b)."""
    node: Element | None = element
    for _ in range(_EDIT_NOTE_DEPTH):
        if node is None or node is block:
            return False
        if is_edit_note(node):
            return True
        node = node.getparent()
    return False


def is_reply_button(text: str) -> bool:
    """Whether a short text is a reply button's label ("Reply", "Antworten", "Répondre", ...)."""
    return len(text) < 20 and bool(_REPLY_WORDS.match(text))


def is_comment_heading(text: str) -> bool:
    """Whether a heading's text names a comment section ("Kommentare", "Readers' responses",
    "12 thoughts on …")."""
    if not text or len(text) > 200:
        return False
    return announced_count(text) is not None or bool(_NOUN_ONLY.match(text))


def heading_count(root: Element, extra: list[Element]) -> tuple[int | None, int | None]:
    """The first announced count among comment headings: those in ``extra``, then any heading
    whose own id or class names comments (``h2#comments``), then headings in the comment area."""
    seen: set[Element] = set()
    candidates: list[Element] = []
    for element in extra:
        candidates.append(element)
    for element in root.iter(*_HEADINGS):
        marker = f"{element.get('id') or ''} {element.get('class') or ''}".lower()
        if "comment" in marker or "kommentar" in marker:
            candidates.append(element)
    # Counters that are not headings: <p class="comment-count">10 Kommentare</p> (Drupal).
    for element in root.iter("p", "span", "div"):
        if any(_COUNTER_CLASS.match(c) for c in classes(element)) and not _in_form(element):
            candidates.append(element)
    titles = page_titles(root)
    for element in candidates:
        if element in seen:
            continue
        seen.add(element)
        text = text_of(element) or ""
        count = announced_count(text)
        if count is not None and not repeats_page_title(text, titles):
            return count, line_of(element)
    return None, None


def page_titles(root: Element) -> list[str]:
    """The page's own titles (``<title>``, ``og:title``), folded for comparison."""
    out = [root.findtext(".//title") or ""]
    out += [m.get("content") or "" for m in root.iter("meta") if m.get("property") == "og:title"]
    return [t for t in (" ".join(x.split()).casefold() for x in out) if t]


def repeats_page_title(text: str, titles: list[str]) -> bool:
    """A heading that repeats the page's title names the story, not the comments, even where
    its class does (a board's "Back to the article" heading above the comments): a number in
    it is the title's ("A 2024 Discussion of …" was read as 2,024 announced comments; batch
    9b).  Only headings of three words or more: a bare "12 Comments" is never taken for one."""
    folded = " ".join(text.split()).casefold()
    return len(folded.split()) >= 3 and any(folded in title for title in titles)


@dataclass(slots=True)
class Signs:
    """What points to a comment section, as short human-readable items with lines."""

    items: list[str] = field(default_factory=list)
    announced: int | None = None

    def __bool__(self) -> bool:
        return bool(self.items)

    def describe(self) -> str:
        return "; ".join(self.items[:6]) + (
            f"; and {len(self.items) - 6} more" if len(self.items) > 6 else ""
        )


def collect(root: Element, announced: int | None, announced_line: int | None) -> Signs:
    """Evidence of comments on a page where no reader found any."""
    signs = Signs(announced=announced)
    if announced:
        where = f" (line {announced_line})" if announced_line else ""
        signs.items.append(f"a heading announces {announced} comments{where}")
    elif announced is None:
        for element in root.iter(*_HEADINGS):
            text = text_of(element) or ""
            if (
                len(text) < 60
                and _NOUN_ONLY.match(text)
                and not patterns.COMMENTS_CLOSED.match(text)
                and not _INVITATION.search(text)
                and not _in_form(element)
                and not _RECENT.search(text)
                and not in_side_list(element)
                and "reply-title" not in (element.get("class") or "") + (element.get("id") or "")
            ):
                count = announced_count(text)
                if count == 0 or states_zero(text):
                    continue
                if empty_comment_list(root) is not None:
                    continue  # a heading over an empty list: a valid zero (round 4)
                if _followed_by_zero_or_form(element):
                    continue  # "Kommentare" over "Noch keine Kommentare" or over the form (session 6)
                signs.items.append(f"a comment heading {text!r} (line {line_of(element)})")
                break
    replies = _reply_buttons(root)
    if replies:
        signs.items.append(
            f"{len(replies)} reply button(s) or link(s), first at line {line_of(replies[0])}"
        )
    outer = _comment_elements(root)
    if len(outer) >= 2:
        tokens = sorted(
            {c for e in outer for c in classes(e) if _COMMENT_TOKEN.search(c)}
            | {e.get("id") or "" for e in outer if _COMMENT_TOKEN.search(e.get("id") or "")} - {""}
        )
        signs.items.append(
            f"{len(outer)} comment-like elements ({', '.join(tokens[:3])}), first at line {line_of(outer[0])}"
        )
    return signs


def _reply_buttons(root: Element) -> list[Element]:
    """Reply buttons and links of this page's comments (not the form's, not a template's)."""
    return [
        e
        for e in root.iter("a", "button", "span")
        if (
            "comment-reply" in (e.get("class") or "")
            or "replytocom=" in (e.get("href") or "")
            or (
                len(text_of(e) or "") < 20
                and _REPLY_WORDS.match(text_of(e) or "")
                and not _in_form(e)
            )
        )
        and not _in_ui_template(e)
        and not in_side_list(e)
    ]


def _comment_elements(root: Element) -> list[Element]:
    """Innermost elements whose class or id names one comment and that hold text: one per
    comment however many wrappers name it; a list's container (holding others) does not count."""
    markup = [
        e
        for e in root.iter()
        if isinstance(e.tag, str)
        and e.tag not in ("form", "input", "textarea", "label", "script", "style")
        and _is_comment_markup(e)
        and not _in_form(e)
        and len(text_of(e) or "") >= 15
        and not in_side_list(e)
        and not any(_COUNTER_CLASS.match(c) for c in classes(e))
        and not states_zero(text_of(e) or "")
        and not _is_control(e)
        and not in_ui_layer(e)
        and not is_teaser(e, set())
    ]
    markup_set = set(markup)
    holders = {a for e in markup for a in e.iterancestors() if a in markup_set}
    return [e for e in markup if e not in holders]


# Lists of other posts' comments: "Recent comments", "Aktuelle Kommentare", "Neueste
# Kommentare", "Derniers commentaires" widgets (titles and class tokens).  Two held-out pages
# without comments of their own showed such lists and were reported as unrecognised comments.
_RECENT = re.compile(
    r"recent|latest|neueste|aktuelle|letzte|derniers|dernières|últimos|recientes|ultimi|recenti|laatste|najnowsze|последние",
    re.IGNORECASE,
)


# Public name for the structure reader's memoised walk.
RECENT = _RECENT


def in_side_list(element: Element) -> bool:
    """Whether an element is (inside) a recent-comments list or widget: by the class/id tokens
    of it and its ancestors, or by a recent-words heading that opens its container."""
    for node in [element, *element.iterancestors()]:
        if node.tag in ("body", "html"):
            return False
        tokens = [*classes(node), node.get("id") or ""]
        if any(_RECENT.search(t) for t in tokens if t):
            return True
        heading = next((c for c in node if isinstance(c.tag, str) and c.tag in _HEADINGS), None)
        if (
            heading is not None
            and heading is not element
            and _RECENT.search(text_of(heading) or "")
        ):
            return True
    return False


# Notification bubbles, templates and pop-ups of comment plugins hold an empty "Reply" button
# whether or not the page has comments (wpDiscuz's new-comment bubble on a held-out page
# without comments was taken as evidence).
_UI_TEMPLATE = re.compile(r"notification|bubble|template|tmpl|popup|modal|toast", re.IGNORECASE)


def _in_ui_template(element: Element) -> bool:
    for node in element.iterancestors():
        if node.tag in ("body", "html"):
            return False
        if node.tag == "template" or _UI_TEMPLATE.search(
            f"{node.get('id') or ''} {node.get('class') or ''}"
        ):
            return True
    return False


def _is_control(element: Element) -> bool:
    """A comment section's control or placeholder (by class parts, see _UI_PART), or code."""
    if any(a.tag in ("pre", "code") for a in element.iterancestors()):
        return True
    values = [
        v for v in [*classes(element), element.get("id") or ""] if v and _COMMENT_TOKEN.search(v)
    ]
    return bool(values) and all(
        any(p.lower() in _UI_PART for p in _UI_SPLIT.split(v)) for v in values
    )


def _is_comment_markup(element: Element) -> bool:
    values = list(classes(element)) + [element.get("id") or ""]
    return any(
        _COMMENT_TOKEN.search(v) and not _FORM_TOKEN.search(v) and not _STATE_PREFIX.match(v)
        for v in values
        if v
    )


def _in_form(element: Element) -> bool:
    return any(
        (a.tag == "form" and input_form(a))
        or a.get("id") in ("respond", "commentform")
        or "comment-respond" in classes(a)
        for a in element.iterancestors()
    )


def names_one_comment(element: Element) -> bool:
    """Whether an element's class or id names one comment ("comment", "xenforo-comment",
    "user-comment"), not a form, list, counter or widget around comments, nor a control or a
    status box of the form ("comment-preview", "comments-open-login", "comment-error": nine
    such boxes read as nine comments on a control page)."""
    return _is_comment_markup(element) and not _is_control(element)


def names_comment_token(token: str) -> bool:
    """Whether one class token names one comment (see :func:`names_one_comment`)."""
    return bool(_COMMENT_TOKEN.search(token)) and not _FORM_TOKEN.search(token)


_READ_MORE = re.compile(
    r"^\s*(?:read\s+more|continue\s+reading|weiterlesen|mehr\s+lesen|lire\s+la\s+suite|leer\s+más|"
    r"continua\s+a\s+leggere|lees\s+verder|czytaj\s+dalej|читать\s+далее)\b",
    re.IGNORECASE,
)


# A heading that names the commenter and links to the profile ("<h4 class="comment-meta__name">
# <a href="https://profile.…/3806054">"): no post title (a real news site's comments; session 6).
_PERSON_LINK = re.compile(
    r"author|name|user|profile|member|autor|benutzer|nutzer|/u/|/people/", re.IGNORECASE
)


# A link to one post or comment of a thread: its fragment names the post ("#post407732523",
# "#comment-12", "#p655").
_POST_FRAGMENT = re.compile(
    r"#(?:[a-z-]*?(?:comment|kommentar|post|msg|message|reply|entry|p|c))[-_]?\d{1,20}$",
    re.IGNORECASE,
)
_QUOTE_CLASS = re.compile(r"quote|zitat|citation|cita", re.IGNORECASE)


def quote_heading(heading: Element) -> bool:
    """A quote's attribution printed as a heading ("NAME posted:" over a blockquote, linking to
    the quoted post): a reference inside a post, no teaser of another page.  Known by the quote
    it heads (the next element is a blockquote, or a wrapper classed as a quote holds it) or by
    links that all point to one post of a thread (a real board quoted in 29 of 40 posts so, and
    the whole thread was refused as a list of teasers; session 11)."""
    following = heading.getnext()
    while following is not None and not isinstance(following.tag, str):
        following = following.getnext()
    if following is not None and following.tag == "blockquote":
        return True
    if any(
        _QUOTE_CLASS.search(a.get("class") or "") for a in [heading, *heading.iterancestors()][:4]
    ):
        return True
    links = [a for a in [heading, *heading.iterdescendants("a")] if a.tag == "a"]
    return bool(links) and all(_POST_FRAGMENT.search(a.get("href") or "") for a in links)


def is_teaser(block: Element, members: set[Element]) -> bool:
    """A post teaser, not a comment: a heading that links elsewhere, a "read more" link, a
    comment count ("3 Kommentare") of its own, or a link title as its main text (a listing's
    item, :mod:`.listing`)."""
    # Fragments naming this block or an element inside it: a forum post's title links to the
    # post itself ("/t7-topic#655" beside id="655"), which is a permalink, not a link elsewhere.
    # The block's own markup, its replies (other members) left out: one walk, not one per
    # nesting level (malformed boards nest every post in the one before; session 11).
    own = [e for e in own_descendants(block, members) if isinstance(e.tag, str)]
    own_ids = {block.get("id") or ""} | {e.get("id") or "" for e in own}
    own_ids.discard("")

    def elsewhere_link(anchor: Element) -> bool:
        href = anchor.get("href") or "#"
        return not href.startswith("#") and href.rsplit("#", 1)[-1] not in own_ids

    for node in own:
        if (
            node.tag in _HEADINGS
            and not _PERSON_LINK.search(
                f"{node.get('class') or ''} {' '.join(a.get('href') or '' for a in node.iterdescendants('a'))}"
            )
            and not quote_heading(node)
            and any(elsewhere_link(a) for a in [node, *node.iterdescendants("a")] if a.tag == "a")
        ):
            return True
        if node.tag == "a":
            label = text_of(node) or ""
            href = node.get("href") or "#"
            elsewhere = not href.startswith(("#", "javascript:"))
            if _READ_MORE.match(label) or (
                elsewhere and len(label) < 40 and announced_count(label) is not None
            ):
                return True
    # A thread list's or an article list's item: its main text is the title of a link elsewhere.
    return listing.title_item(block, members, elsewhere_link, _PERSON_LINK)
