"""Generic fallback: repeated comment-like blocks with author, date and reply nesting.

For comment systems no other module knows.  A block is comment-like when it holds an author
cue (an element whose class names an author/user/name, ``cite``, a ``rel=author`` link), a
date cue (``time``, an element whose class names a date, or a short text that parses as a
date) and some text of its own.  Blocks are grouped by their markup signature (tag and class
tokens without numbers or odd/even/depth tokens); the largest group of at least two blocks
inside a comment area (an element whose id or class names comments, replies, a discussion,
a forum) wins, the outermost on a tie (the outer block holds the replies).

Nesting: a block inside another block of the group is its reply; a block inside a replies
container (class ``children``, ``replies``, ``indented``, ...) that follows a block as a
sibling is that block's reply (Drupal-style).  These edges are inferred, so they carry a
lower ``edge_confidence`` (0.7 nested, 0.6 sibling container, 0.8 for top level), and ids
the markup does not carry are generated and reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime

from analyzer.ingest.dates import joined_date_time as dates_joined_date_time
from analyzer.ingest.dates import parse_date
from analyzer.ingest.html_comments import forum_thread, indentation, signs
from analyzer.ingest.html_comments.common import (
    Element,
    Extraction,
    Found,
    block_text,
    classes,
    counter_link,
    declared_depth,
    id_from_name,
    in_ui_layer,
    line_of,
    mark_quotes,
    name_text,
    navigation_link,
    own_descendants,
    quoted_posts,
    stack_parents,
    text_of,
    ui_layers,
)
from analyzer.ingest.htmltext import input_form

# Confidence of inferred edges (no id states them).  Chosen, not fitted: nesting by
# enclosure is how every list-based system on the shared captures nests (exact there),
# sibling containers are one convention among several, top level is the default.
CONF_NESTED = 0.7
CONF_SIBLING = 0.6
CONF_TOP = 0.8
# Characters of own text beyond author and date for a block to count when choosing the group
# (a header line holding author and date has none); short comments ("Danke!") of the chosen
# group are still read.
MIN_OWN_TEXT = 15
MIN_GROUP = 2

_BLOCK_TAGS = ("li", "div", "article", "section", "dd", "blockquote")
_AUTHOR_CLASS = re.compile(
    r"author|user|name|nick|poster|\bfn\b|vcard|autor|comment[eo]r|byline|\bwho\b", re.IGNORECASE
)
# "age" only as a whole class token: a post's age ("span.age" around "3 hours ago", an
# aggregator's comment header), never "page", "image", "message".
_DATE_CLASS = re.compile(
    r"date|time|datum|zeit|fecha|posted|published|ago|(?:^|[-_\s])age(?:$|[-_\s])", re.IGNORECASE
)
_AREA = re.compile(
    r"comment|kommentar|discussion|diskussion|respons|reaction|reaktion|forum|thread|replies|antwort|commentaire|comentario|commenti|reactie|komentarz|коммент",
    re.IGNORECASE,
)
# A class naming the text box ("reply-text", "comment-body", "post-message"): never chrome, though
# it also names a reply (a news forum's short replies vanished as "reply" chrome).
_TEXT_CLASS = re.compile(
    r"(?:^|[-_\s])(?:text|body|content|message|msg)(?:$|[-_\s])", re.IGNORECASE
)
_REPLIES_CONTAINER = re.compile(
    r"children|replies|indented|sub-?comments|child-comments|nested|antworten", re.IGNORECASE
)
# "comment-tools" / "recommend": a news system's row of recommend, report and share links (aside6).
_CHROME_CLASS = re.compile(
    r"reply|meta|action|footer|avatar|vote|like|share|rating|report|edit|permalink|toolbar|button|tools\b|recommend|"
    # The poster's profile lines and calls to action: "Offline", "2 posts", a location, a
    # "report to moderation" link (four real forums and news systems; session 10).
    r"location|post-?count|user-status|(?:^|[-_\s])cta(?:$|[-_\s])",
    re.IGNORECASE,
)
# Class tokens that vary between comments of one list (parity, depth, who wrote it, state):
# left out of the signature so one list stays one group.
_UNSTABLE_TOKEN = re.compile(
    r"\d|^(?:odd|even|alt|first|last|parent|clearfix|byuser|bypostauthor)$|^by-|"
    r"^(?:first|last|opening|original)[-_](?:post|comment|reply|message|item)$|thread|depth|level|author|user|"
    r"guest|admin|member|moderator|staff|role|rank|solution|accepted|^(?:is|has|no)-|highlight|(?:^|[-_])new(?:$|[-_])|unread|collapsed|expanded|"
    r"faded?(?:in|out)?$|dimmed|muted|pinned|sticky|featured|deleted|removed|selected",
    re.IGNORECASE,
)
_ID_ATTRS = ("data-comment-id", "data-id", "data-commentid", "data-post-id")


# Parity in camelCase ("spOdd", "spEven": a forum plugin's alternating posts fell into two
# groups and half the thread was lost; session 10).  Case-sensitive: "heaven" is no parity.
_CAMEL_PARITY = re.compile(r"[a-z](?:Odd|Even|Alt)$")


# Parity glued to a word in lower case ("blockpost rowodd" / "blockpost roweven": a bulletin
# board's alternating posts fell into two groups and half the thread was lost; held-out batch
# 9b, session 11): the token counts without its parity ("row").  At least two letters before it,
# so "seven" stays itself.
_GLUED_PARITY = re.compile(r"(?<=[a-z]{2})(?:odd|even)$")


def _block_or_list(element: Element) -> bool:
    """Whether an element may be a comment block: a block tag, a list (when it names itself a
    comment), or a custom element (a tag with a hyphen, ``<x-comment>``: a web component a
    site defines for its comments, nesting its replies inside itself; a news site's
    ``<…-reaction>`` items were read by their header lines alone, flat; held-out batch 10)."""
    tag = element.tag
    return isinstance(tag, str) and (tag in _BLOCK_TAGS or tag == "ul" or "-" in tag)


def _signature(element: Element) -> tuple[str, frozenset[str]]:
    return element.tag, frozenset(
        _GLUED_PARITY.sub("", c)
        for c in classes(element)
        if not _UNSTABLE_TOKEN.search(c) and not _CAMEL_PARITY.search(c)
    )


def _matches(element: Element, pattern: re.Pattern[str]) -> bool:
    return bool(
        pattern.search(element.get("class") or "") or pattern.search(element.get("id") or "")
    )


def _author_el(block: Element) -> Element | None:
    """The author cue: the first element that names the author (excluded from the text), else
    the first link to a user profile that shows a short name outside the text (a news site's
    own system names nothing "author" but links each name to ``/discussion/user/id/N``; aside6)."""
    for element in block.iterdescendants():
        if not isinstance(element.tag, str):
            continue
        if is_author_cue(element) and not (element.tag != "cite" and holds_text_element(element)):
            # A box classed "comment-author" that also holds the text element ("comment-body")
            # is the comment, not its name: taken as the cue, it took the text out with it (the
            # same news site).  Paragraphs alone do not count: a poster box's "dabei seit 12/2006"
            # is a paragraph too (aside3).
            return element
    # A letter avatar ("<a href=/-/users/x>C</a>" before the name link) is no name: a profile
    # link with one character is taken only when no longer one follows (a threaded forum).
    named = [
        a for a in block.iterdescendants("a") if profile_link(a) and 0 < len(text_of(a) or "") <= 60
    ]
    return next(
        (a for a in named if len((text_of(a) or "").strip()) > 1), named[0] if named else None
    )


def is_author_cue(element: Element) -> bool:
    """An element that names the comment's author: ``cite``, ``rel=author``, a class naming an
    author/user/name with text, or a user link with a short name."""
    return (
        element.tag == "cite"
        or "author" in (element.get("rel") or "")
        or (
            element.tag not in ("img", "a")
            and _matches(element, _AUTHOR_CLASS)
            and bool(text_of(element))
            and not _matches(element, _PROFILE_LINE)
        )
        or _author_link(element)
    )


# A line of the poster's profile whose class names the user ("user-status", "user-postcount",
# "user-location"): the user's state, not the name (a forum's status icon "panorama_fish_eye"
# was read as every author; session 10).
# An attachment's file name ("attachment-name") and the poster's title ("user-title": "Project
# Lead") are no names either (the same forum).
_PROFILE_LINE = re.compile(
    r"status|online|offline|post-?count|location|attachment|(?:user|member|poster)[-_]?title",
    re.IGNORECASE,
)


def author_name(cue: Element) -> str | None:
    """The name in an author cue (see _author_name)."""
    return _author_name(cue)


def _author_link(element: Element) -> bool:
    """A link whose own class names its user and that shows a short name, no picture
    (``<a class="x-comment-user">NAME</a>``: a real news site's only author cue; session 7).
    Avatar links (a picture, no text) stay out."""
    if (
        element.tag != "a"
        or not _AUTHOR_CLASS.search(element.get("class") or "")
        or _matches(element, _PROFILE_LINE)
    ):
        return False
    name = text_of(element) or ""
    return 0 < len(name) <= 60 and "avatar" not in (element.get("class") or "").lower()


def _author_name(cue: Element) -> str | None:
    """The name in an author cue: a name element inside it when there is one
    (``.x-author > cite.fn``), else the cue's own text, without date and "says:"."""
    signed = byline_parts(cue)
    if signed is not None:
        return signed[0]  # "Posted by: NAME at DATE"
    for inner in cue.iterdescendants():
        if (
            isinstance(inner.tag, str)
            and (inner.tag == "cite" or _NAME_CLASS.search(inner.get("class") or ""))
            and text_of(inner)
        ):
            cue = inner
            break
    name = name_text(cue) or None
    for avatar in cue.iterdescendants():
        # A letter avatar inside the name's link ("<span class=Avatar>E</span><span>Ester</span>"
        # read "EEster" on a forum; session 10): its letter is no part of the name.
        letter = (text_of(avatar) or "").strip() if isinstance(avatar.tag, str) else ""
        if (
            name
            and 0 < len(letter) <= 2
            and "avatar" in (avatar.get("class") or "").lower()
            and name.startswith(letter)
        ):
            name = name[len(letter) :].strip() or name
            break
    links = [a for a in cue.iterdescendants("a") if text_of(a)]
    if name and len(links) == 1:
        # "NAME Party: Conservative", "NAME Member since …", "NAME@handle": the one linked
        # name leads the cue and the rest is a profile line or the handle (a real news site,
        # session 7; a forum plugin, session 9).
        linked = name_text(links[0])
        if linked and name and linked.endswith(name) and len(linked) > len(name):
            return name  # the link holds the letter avatar too
        if (
            linked
            and name.startswith(linked)
            and len(name) > len(linked)
            and not name[len(linked)].isalnum()
        ):
            return linked
    return name


_NAME_CLASS = re.compile(r"\bfn\b|name|nick", re.IGNORECASE)


# A poster's profile line in a forum-style comment: when they registered, not when they wrote.
_MEMBERSHIP = re.compile(
    r"regist|joined|join-?date|member-?since|signup|sign-up|mitglied", re.IGNORECASE
)
_MEMBERSHIP_TEXT = re.compile(
    r"^\s*(?:dabei\s+seit|mitglied\s+seit|registriert(?:\s+seit)?|joined|member\s+since|inscrit|"
    r"membre\s+depuis|miembro\s+desde|iscritto)\b",
    re.IGNORECASE,
)


def date_attribute(date: Element) -> str | None:
    """The machine-readable value of a date cue: its ``datetime``/``title``/``content``, or
    that of a ``time`` inside it (a date span around "on <time datetime=…>August 2, 2019</time>":
    the attribute carries the hour the visible text leaves out; a real page, session 6)."""
    value = date.get("datetime") or date.get("title") or date.get("content")
    if isinstance(value, str) and value:
        return value
    inner = next((t for t in date.iterdescendants("time") if t.get("datetime")), None)
    if inner is not None:
        return str(inner.get("datetime"))
    # Microformat dates: "<abbr title="2011-08-25T02:30:00+0000">16 minutes ago</abbr>" (a real
    # news site's comments; the relative text alone cannot be dated without the capture time).
    abbr = next(
        (a for a in date.iterdescendants("abbr") if _ISO_START.match(a.get("title") or "")), None
    )
    return str(abbr.get("title")) if abbr is not None else None


_ISO_START = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")


# Words that lead a date inside a byline or after the name: "vom 04.06.2022", "a répondu le
# mardi 30 octobre 2012 à 11h45", "said on March 3".  Stripped before the date is parsed.
_DATE_LEAD = re.compile(
    # A post number first ("#1 · May 16, 2024", a forum plugin's date line), then connectors.
    r"^(?:\s*#\d{1,6}\s*[·•|–—-])?[\s,;:|·•–—-]*(?:(?:a\s+répondu|a\s+écrit|répond|replied|said|wrote|schrieb|antwortete|"
    r"respondió|rispose|antwoordde|odpowiedział|"
    # "Posté le DATE", "Posted on DATE" (a French board's table layout printed the date so; session 11)
    r"posté|posted|publié|gepostet|geschrieben|verfasst|publicado|pubblicato|geplaatst|dodano|opublikowano|опубликовано)[\s,]+)?(?:vom|von|am|um|on|at|le|du|el|il|op|dnia|den)?\s*",
    re.IGNORECASE,
)


# A word joining a numeric date to its time ("12-03-2015 à 10:11:12", "12.03.2015 um 10:11"):
# dropped, so the date reads as one numeric date and time (the date parser took the French "à"
# after a dashed date for garbage: year 11; session 11).
def joined_date_time(text: str) -> str:
    """A date text with the word between its numeric date and its time dropped (now done for
    every caller by :func:`analyzer.ingest.dates.joined_date_time`; kept for the readers that
    clean a date text before they test its shape)."""
    return dates_joined_date_time(text) if text else text


def lead_stripped(text: str) -> str:
    """A date text without the connector words some themes print before it ("vom 04.06.2022.")."""
    return _DATE_LEAD.sub("", text, count=1).strip().rstrip(".") if text else text


def date_in_byline(text: str, name: str | None) -> str | None:
    """The date a byline states after the name ("Soumis par NAME, le lundi 29 octobre 2012 à
    15h46", "NAME a répondu le …", "NAME vom 04.06.2022."): the part after the name, without
    connector words, when it parses as a date (two real comment themes; session 7)."""
    if not text or len(text) > 160:
        return None
    match = _BYLINE.match(text)
    if match and _DATE_SHAPE.search(match.group("date")):
        candidate = lead_stripped(match.group("date"))
        return candidate if date_like(candidate) else None
    if name and name in text:
        rest = _POST_NUMBER_TAIL.sub("", lead_stripped(text.split(name, 1)[1]))
        if 6 <= len(rest) <= 60 and (date_like(rest) or relative_date(rest)):
            return rest
        # "2 years ago (last modified 2 years ago)": the note in brackets is no part of the date.
        bare = _NOTE_TAIL.sub("", rest)
        if bare != rest and 6 <= len(bare) <= 60 and (date_like(bare) or relative_date(bare)):
            return bare
    return None


_NOTE_TAIL = re.compile(r"(?<!\s)\s*\([^()\n]{1,40}\)$")
_SOME_DAY = datetime(2000, 1, 1, tzinfo=UTC)


def relative_date(text: str) -> bool:
    """Whether a short text is an elapsed time ("2 years ago", "vor 3 Tagen"): a date once the
    capture time is known, which parse_date alone cannot tell without one."""
    return (
        len(text) <= 60
        and bool(_DATE_SHAPE.search(text))
        and parse_date(text, now=_SOME_DAY) is not None
    )


def _date_el(block: Element) -> Element | None:
    """A date cue: ``time``, an element whose class names a date, else a leaf whose short
    text parses as a date (themes that name their date span "when" or nothing at all)."""
    leaves: list[Element] = []
    for element in block.iterdescendants():
        if not isinstance(element.tag, str):
            continue
        if _MEMBERSHIP.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
            continue  # the poster's registration date ("dabei seit 12/2006"), not the comment's
        if element.tag == "time" or (_matches(element, _DATE_CLASS) and text_of(element)):
            shown = text_of(element) or ""
            if _MEMBERSHIP_TEXT.match(shown):
                continue
            if (
                element.tag != "time"
                and not date_attribute(element)
                and not _DATE_SHAPE.search(shown)
            ):
                # A class that only sounds like a date ("bbcode_postedby" around "Zitat von
                # NAME" in a quote, a real vBulletin page): no date in it, keep looking.
                continue
            if hidden(element, block) or signs.in_edit_note(element, block):
                continue
            return element
        if len(element) == 0 and element.tag in (
            "span",
            "a",
            "div",
            "small",
            "em",
            "abbr",
            "p",
            "dd",
            "td",
        ):
            leaves.append(element)
    for element in leaves:
        text = text_of(element) or ""
        if (
            (date_like(text) or (text != lead_stripped(text) and date_like(lead_stripped(text))))
            and not _MEMBERSHIP_TEXT.match(text)
            and not hidden(element, block)
            and not signs.in_edit_note(element, block)
        ):
            return element
    return None


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def hidden(element: Element, block: Element) -> bool:
    """Whether an element is hidden inside the block (``style="display: none"`` on it or on a
    wrapper): a forum's folded poster profile holds the registration date, not the post's
    (a real forum page; session 6)."""
    node: Element | None = element
    while node is not None and node is not block:
        if node.get("hidden") is not None or _HIDDEN_STYLE.search(node.get("style") or ""):
            return True
        node = node.getparent()
    return False


_QUOTE_NAME = re.compile(r"quote|zitat|citation|cita", re.IGNORECASE)


def hidden_menu(node: Element) -> bool:
    """A hidden pop-up menu: an element hidden by its own markup whose text is all in links
    ("View Profile", "View Posts" under a poster's name; a game platform's discussions put it
    before every post's text, batch 9b).  Other hidden text (a folded remainder) stays."""
    if not isinstance(node.tag, str) or not (
        node.get("hidden") is not None or _HIDDEN_STYLE.search(node.get("style") or "")
    ):
        return False
    links = list(node.iter("a"))
    if not links:
        return False
    shown = "".join("".join(node.itertext()).split())
    linked = "".join("".join("".join(a.itertext()).split()) for a in links)
    return bool(shown) and shown == linked


def hidden_quote(node: Element) -> bool:
    """A hidden copy of the post kept for the quote button (``display: none``, named a quote or
    holding a blockquote; a real forum plugin printed every post twice that way).  Other hidden
    text (a folded "read more" remainder) is the comment's and stays."""
    if not (node.get("hidden") is not None or _HIDDEN_STYLE.search(node.get("style") or "")):
        return False
    return (
        _matches(node, _QUOTE_NAME)
        or node.tag == "blockquote"
        or next(node.iter("blockquote"), None) is not None
    )


def _area_roots(root: Element) -> set[Element]:
    """Elements that hold a comment section: named so, or holding a comment heading."""
    areas = {e for e in root.iter() if isinstance(e.tag, str) and _matches(e, _AREA)}
    for heading in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        if heading.getparent() is not None and signs.is_comment_heading(text_of(heading) or ""):
            areas.add(heading.getparent())
    return areas


# Sidebars and widgets ("recent comments") list other posts' comments: never this page's.
# Matched per class token / id: "widget_recent_comments", "recentcomments", "sidebar",
# "widget-area", "secondary"; not layout wrappers ("content-sidebar-wrap", Genesis) nor
# Blogger's "widget Blog" that holds the post itself (both on the shared captures).
# "related-discussion-list", "jp-relatedposts": other threads and posts, with their own authors
# and dates (a forum's related discussions joined its posts as one more comment; session 10).
_WIDGET = re.compile(
    r"^(?:.*recent.*|.*related.*|sidebar(?:-\w+)?|widget[_-]area|widget_.*|secondary|aside)$",
    re.IGNORECASE,
)


def is_widget(element: Element) -> bool:
    """A sidebar or widget (recent comments and the like), by class token or id."""
    tokens = [*classes(element), element.get("id") or ""]
    return any(_WIDGET.match(t) for t in tokens if t)


def _in_area(element: Element, areas: set[Element]) -> bool:
    ancestors = list(element.iterancestors())
    # <body class="one-sidebar"> says the layout has a sidebar, not that this is one.
    if any(is_widget(a) for a in [element, *ancestors] if a.tag not in ("body", "html")):
        return False
    return element in areas or any(a in areas for a in ancestors)


def _in_area_all(root: Element, areas: set[Element]) -> set[Element]:
    """Every element :func:`_in_area` accepts, in one pass over the page (asked per block, the
    walk up to the root was quadratic in the nesting depth of malformed boards)."""
    widget: set[Element] = set()
    inside: set[Element] = set()
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        parent = node.getparent()
        if (parent is not None and parent in widget) or (
            node.tag not in ("body", "html") and is_widget(node)
        ):
            widget.add(node)
            continue
        if node in areas or (parent is not None and parent in inside):
            inside.add(node)
    return inside


def extract(root: Element) -> Extraction | None:
    """Comment-like blocks, or None when no group of them is found inside a comment area."""
    candidates: list[tuple[Element, Element, Element]] = []
    in_area = _in_area_all(root, _area_roots(root))
    ui = ui_layers(root)
    for element in root.iter():
        if not _block_or_list(element):
            continue
        if element.tag == "ul" and not signs.names_one_comment(element):
            continue  # a list is a comment only when it names itself one (``ul.comment#comment-N``)
        if element not in in_area or element in ui:
            continue
        author = _author_el(element)
        date = _date_el(element) if author is not None else None
        if author is not None and date is None and _byline_date(author):
            date = author  # "Soumis par NAME, le lundi …": one line holds both
        if author is not None and date is None:
            line = name_date_line(author, element)
            if line is not None:
                author = date = line  # "<i><a href=/user/5>NAME</a> - 2 years ago</i>"
        if author is None or date is None:
            # A signature row with no author markup: "Posted by: NAME at DATE" under the text
            # (Movable Type templates; a held-out security blog, aside6), or an author link with
            # the date beside it in one line ("Posted by: <a>NAME</a> DATE", a news forum).  One
            # line, both cues.
            line = byline(element, set())[0]
            if line is not None:
                author = date = line
        if author is None or date is None:
            continue
        candidates.append((element, author, date))
    groups: dict[tuple[str, frozenset[str]], list[tuple[Element, Element, Element]]] = defaultdict(
        list
    )
    for item in candidates:
        groups[_signature(item[0])].append(item)
    best: list[tuple[Element, Element, Element]] | None = None
    best_texts: dict[Element, str] = {}
    best_key: tuple[int, int] = (0, 0)
    for signature in list(groups):
        groups[signature] = _own_dates(groups[signature])
    # Post teasers and listing items (a heading or a title linking elsewhere, "read more", a
    # comment count): a news site's list of opinion pieces classed "comment" (session 6), a
    # forum's thread list (session 11).  Share as the structure reader's TEASER_SHARE.  The
    # author-and-date lines inside such items repeat too; they are parts of teasers, not comments.
    teasers: set[Element] = set()
    for members in groups.values():
        member_set = {m[0] for m in members}
        if len(members) >= MIN_GROUP and sum(signs.is_teaser(m[0], member_set) for m in members) * 3 > len(members):
            teasers |= member_set
    for members in groups.values():
        if len(members) < MIN_GROUP or members[0][0] in teasers:
            continue
        if sum(any(a in teasers for a in m[0].iterancestors()) for m in members) * 3 > len(members):
            continue
        member_set = {m[0] for m in members}
        # Blocks nested in a block of the same group are replies; the group's blocks must
        # not merely repeat one wrapper (a group where every block holds all the others).
        texts = {m[0]: _own_text(m[0], member_set, m[1], m[2]) for m in members}
        usable = [m for m in members if _worded(texts[m[0]])]
        if len(usable) < MIN_GROUP:
            # Header lines of comments whose text sits beside them (see _lift_headers).
            lifted = _lift_headers(members, texts)
            if lifted is None:
                continue
            usable = [m for m in lifted[0] if _worded(lifted[1][m[0]])]
            if len(usable) < MIN_GROUP:
                continue
        depth = min(sum(1 for _ in m[0].iterancestors()) for m in usable)
        key = (len(usable), -depth)
        if key > best_key:
            # All blocks of the group are comments (each has author and date); the text
            # floor only decides which group is the comment list.
            best, best_key, best_texts = members, key, texts
    if best is None:
        return None
    merged = _one_per_cue(_with_replies(_with_enclosing(best, groups), groups))
    if len(merged) < MIN_GROUP and not any(
        _matches(a, _AREA) and not is_widget(a)
        for a in merged[0][0].iterancestors()
        if a.tag not in ("body", "html")
    ):
        # The "group" was wrappers around one author-and-date pair: the article's own byline
        # and its layout boxes on two real pages without comments (session 6).  One comment
        # is read so only inside an element naming itself the comment area (#comments).
        return None
    if len(merged) != len(best) or merged is not best:
        member_set = {m[0] for m in merged}
        best_texts = {m[0]: _own_text(m[0], member_set, m[1], m[2]) for m in merged}
    quoting = quoted_posts([m[0] for m in merged])
    if quoting and len(merged) - len(quoting) >= MIN_GROUP:
        # Quote boxes with an author and a link to the quoted post are quotes, not replies:
        # out of the group, and their words back in the quoting post's text as a quotation.
        merged = [m for m in merged if m[0] not in quoting]
        mark_quotes(quoting)
        member_set = {m[0] for m in merged}
        best_texts = {m[0]: _own_text(m[0], member_set, m[1], m[2]) for m in merged}
    lifted = _lift_headers(merged, best_texts)
    if lifted is not None:
        merged, best_texts = lifted
    return _build(merged, best_texts)


def _own_dates(
    members: list[tuple[Element, Element, Element]],
) -> list[tuple[Element, Element, Element]]:
    """The group without blocks whose date is that of another block of the group nested in
    them, under another author: a page wrapper that holds every post lends itself the first post's date (and any
    link for a name) and was read as one more comment holding the thread (a forum; session 10).
    A comment's own date is printed in its own header, never inside its replies."""
    author_of = {m[0]: m[1] for m in members}
    kept = []
    for m in members:
        lender = _inside_other(m[2], m[0], author_of)
        # Wrappers around one comment (same author and date) are left to _one_per_cue.
        if lender is None or author_of[lender] is m[1]:
            kept.append(m)
    return kept


def _inside_other(node: Element, block: Element, blocks: dict[Element, Element]) -> Element | None:
    """The other block of the group, nested in ``block``, that holds a node of it (the walk up
    stops at the block: the blocks around it are its parents, not its parts)."""
    for element in [node, *node.iterancestors()]:
        if element is block:
            return None
        if element in blocks:
            return element
    return None


def _text_beside(parent: Element, header: Element, author: Element, date: Element) -> str:
    """A container's text without its header line (floor number, homepage link) and chrome."""
    rules = _exclude_factory({parent}, parent, author, date)

    def exclude(node: Element) -> bool:
        return node is header or bool(rules(node))  # type: ignore[operator]

    text = block_text(parent, exclude)
    if parent.tag in ("ul", "ol") and text.startswith("- ") and "\n- " not in text:
        text = text[2:]  # the one item left of the comment's own list, not a list in its text
    return text


def _lift_headers(
    members: list[tuple[Element, Element, Element]], texts: dict[Element, str]
) -> tuple[list[tuple[Element, Element, Element]], dict[Element, str]] | None:
    """The comments' containers when the blocks found are only their header lines: each block
    holding author and date is the first item of a wrapper of its own whose other items hold
    the text (``ul.single-post > li.post-info, li.post-text``: a real blog platform gave "#1"
    and a homepage link as every text; session 6).  Taken when, for at least half of the
    blocks, the parent holds no other block and at least MIN_OWN_TEXT more characters of text;
    then every block whose parent qualifies is lifted."""
    member_set = {m[0] for m in members}
    beside: dict[Element, str] = {}
    for block, author, date in members:
        parent = block.getparent()
        if (
            # Only the list form met so far (each comment a list of its own items); a div
            # header inside a comment card is already read through the card's own group.
            block.tag == "li"
            and parent is not None
            and parent.tag in ("ul", "ol")
            and not any(m is not block and parent in m.iterancestors() for m in member_set)
            and not any(parent is m for m in member_set)
        ):
            beside[block] = _text_beside(parent, block, author, date)
    if sum(len(t) >= MIN_OWN_TEXT for t in beside.values()) * 2 < len(members):
        return None
    lifted: list[tuple[Element, Element, Element]] = []
    new_texts: dict[Element, str] = {}
    for block, author, date in members:
        text = beside.get(block, "")
        parent = block.getparent()
        if text and parent is not None:
            # Any text beside the header: short comments ("您的文筆真是讚", 7 characters) too.
            lifted.append((parent, author, date))
            new_texts[parent] = text
        else:
            lifted.append((block, author, date))
            new_texts[block] = texts[block]
    return lifted, new_texts


def _byline_date(cue: Element) -> str | None:
    """The date stated in an author cue's own line after the name, if any."""
    text = text_of(cue) or ""
    if not _DATE_SHAPE.search(text):
        return None
    return date_in_byline(text, _author_name(cue))


def name_date_line(author: Element, block: Element) -> Element | None:
    """The short line around an author name (a link or a name element) whose plain text after the name is the date:
    ``<i><a href="/user/53/">NAME</a> - 2 years ago</i>`` (a minimal forum prints the date as
    the link's tail, no element of its own: every comment was left without author and date and
    the generic reader saw none).  Up to two wrappers above the link, below the block; the line
    holds this one named link only, so the name stays the link's text."""
    name = text_of(author) or ""
    if not name or len(name) > 60:
        return None
    # The name element alone, or a link: ``<span class="autor">NAME</span> / 22.04.2020`` (a
    # German news site's reader letters; session 11) is the same line without a link.
    inside = set(author.iter("a"))
    node = author.getparent()
    for _ in range(2):
        if node is None or node is block:
            return None
        text = text_of(node) or ""
        if len(text) > 120 or any(text_of(a) for a in node.iter("a") if a not in inside):
            return None
        if text.startswith(name) and _DATE_SHAPE.search(text) and date_in_byline(text, name):
            return node
        node = node.getparent()
    return None


def _one_per_cue(
    candidates: list[tuple[Element, Element, Element]],
) -> list[tuple[Element, Element, Element]]:
    """One block per author-and-date pair: wrappers around one comment (a row, a card, a
    highlight box, each holding the same author and date) are one comment, not a thread of
    replies to itself (a held-out news site: three nested wrappers, one comment).  Kept: the
    outermost block that yields a comment id (its own, its first inner wrapper's), else the
    outermost (an outer row may also hold the section's heading, so an id decides first)."""
    by_cue: dict[tuple[Element, Element], list[tuple[Element, Element, Element]]] = defaultdict(
        list
    )
    for item in candidates:
        by_cue[(item[1], item[2])].append(item)
    cue_of = {item[0]: (item[1], item[2]) for item in candidates}
    holders: set[Element] = set()  # blocks holding a block of another cue (one walk up per block)
    for block, cue in cue_of.items():
        for above in block.iterancestors():
            if above in cue_of and cue_of[above] != cue:
                holders.add(above)
    keep: set[Element] = set()
    for items in by_cue.values():
        if len(items) == 1:
            keep.add(items[0][0])
            continue
        blocks = {i[0] for i in items}
        # A wrapper that also holds blocks of other cues is the list around them (a thread
        # container whose first comment lends it author and date), never the comment.
        own = [i for i in items if i[0] not in holders] or items
        with_id = [i for i in own if _element_id(i[0]) or _wrapper_id(i[0], blocks)] or own
        chosen = min(with_id, key=lambda i: sum(1 for _ in i[0].iterancestors()))
        keep.add(chosen[0])
    return [i for i in candidates if i[0] in keep]


def _with_enclosing(
    best: list[tuple[Element, Element, Element]],
    groups: dict[tuple[str, frozenset[str]], list[tuple[Element, Element, Element]]],
) -> list[tuple[Element, Element, Element]]:
    """The chosen group together with a group of other markup that holds its blocks: a thread
    printed as top comments of one markup with their replies, of another, inside them
    (``div.comment`` holding ``div.comment-reply`` blocks).  The replies can outnumber the
    top comments and win the choice; the top comments are the same list's comments.

    Taken when at least half of the chosen blocks lie inside a block of the other group, none
    of the other group's blocks lies inside a chosen one (that would be an inner part), and no
    block of the other group takes its author or date from a chosen one (a post's wrapper around
    its header, as in a forum thread, is the same post), the other group's blocks are not nested
    in each other and none holds every chosen block (layout wrappers around the whole list
    carry the article's author and date: a disguised shared capture).
    """
    chosen = {m[0] for m in best}
    cues = {m[1] for m in best} | {m[2] for m in best}
    for members in groups.values():
        if members is best or len(members) < MIN_GROUP:
            continue
        outer = {m[0] for m in members}
        if any(a in chosen for o in outer for a in o.iterancestors()):
            continue
        if any(m[1] in cues or m[2] in cues for m in members):
            continue  # the same author or date: a wrapper of the chosen comments, not their parents
        if any(a in outer for o in outer for a in o.iterancestors()):
            continue  # nested in each other: layout wrappers, not a list of top comments
        if any(all(o in set(c.iterancestors()) for c in chosen) for o in outer):
            continue  # one block holding every chosen comment is their list or the page
        inside = sum(1 for c in chosen if any(a in outer for a in c.iterancestors()))
        holders = sum(1 for o in outer if any(d in chosen for d in o.iterdescendants()))
        if inside * 2 >= len(chosen) and holders >= MIN_GROUP:
            position = {m[0]: m for m in [*best, *members]}
            order = [e for e in best[0][0].getroottree().getroot().iter() if e in position]
            return [position[e] for e in order]
    return best


def _with_replies(
    best: list[tuple[Element, Element, Element]],
    groups: dict[tuple[str, frozenset[str]], list[tuple[Element, Element, Element]]],
) -> list[tuple[Element, Element, Element]]:
    """The chosen comments together with replies printed in markup of their own inside replies
    containers (``div.indented``, ``ul.children``) that follow a chosen comment or lie inside
    one: ``div.comment_item`` top comments, ``div.comment_answer`` replies (a real Drupal
    theme; session 7: the replies were a group of two and were lost).  A group joins when each
    of its blocks sits in such a container, has author and date of its own (not a chosen
    block's) and neither holds nor lies inside a chosen block except through the container."""
    chosen = {m[0] for m in best}
    cues = {m[1] for m in best} | {m[2] for m in best}
    joined: list[tuple[Element, Element, Element]] = []
    holders = {a for c in chosen for a in c.iterancestors()}
    for members in groups.values():
        if members is best or any(m[0] in chosen for m in members):
            continue
        if any(m[1] in cues or m[2] in cues for m in members):
            continue
        if any(m[0] in holders for m in members):
            continue  # holds a chosen comment: a wrapper, not a reply
        if not all(_in_replies_container(m[0], chosen, holders) for m in members):
            continue
        joined.extend(members)
    if not joined:
        return best
    position = {m[0]: m for m in [*best, *joined]}
    order = [e for e in best[0][0].getroottree().getroot().iter() if e in position]
    return [position[e] for e in order]


def _in_replies_container(block: Element, chosen: set[Element], holders: set[Element]) -> bool:
    """Whether a block lies in a replies container that belongs to a chosen block: inside it, or
    a later sibling of it (past spacers), within five levels."""
    node = block
    for _ in range(5):
        container = node.getparent()
        if container is None or container.tag in ("body", "html") or container in chosen:
            return False
        if _matches(container, _REPLIES_CONTAINER):
            if any(a in chosen for a in container.iterancestors()):
                return True
            sibling = container.getprevious()
            while sibling is not None:
                if sibling in chosen or sibling in holders:
                    return True
                sibling = sibling.getprevious()
            return False
        node = container
    return False


def _exclude_factory(
    members: set[Element], block: Element, author: Element, date: Element
) -> object:
    def exclude(node: Element) -> bool:
        return (
            (node in members and node is not block)
            or node is author
            or node is date
            or node.tag in ("button", "img", "textarea")
            or input_form(node)
            or hidden_quote(node)
            or (node.tag in ("a", "span") and signs.is_reply_button(text_of(node) or ""))
            or (
                _matches(node, _CHROME_CLASS)
                and not _matches(node, _TEXT_CLASS)
                and not holds_prose(node, members)
            )
            or _matches(node, _REPLIES_CONTAINER)
            or profile_link(node)
            or counter_link(node)
            or navigation_link(node)
            or collapse_placeholder(node)
            or reply_reference_line(node)
            or date_link(node)
            or user_profile_line(node)
            or _token_matches(node, _ASSISTIVE)
            or (_token_matches(node, _PROFILE_COLUMN) and not _long_prose(node))
            or picture_link(node)
            or signs.is_edit_note(node)
            or hidden_menu(node)
        )

    return exclude


# "In reply to NAME:" above a reply, the name linking to the comment answered.
_IN_REPLY_TO = re.compile(
    r"^(?:in\s+reply\s+to|replying\s+to|reply\s+to|response\s+to|antwort\s+auf|als\s+antwort\s+auf|"
    r"en\s+réponse\s+à|in\s+risposta\s+a|en\s+respuesta\s+a|em\s+resposta\s+a|als\s+reactie\s+op|"
    # No word boundary at the end: the linked name follows with no space ("In reply toKajM…").
    r"w\s+odpowiedzi\s+(?:na|dla)|в\s+ответ\s+на|ответ\s+на)",
    re.IGNORECASE,
)


def reply_reference_line(node: Element) -> bool:
    """A short line "In reply to <a href="#post-3">NAME</a>:" that states which comment a reply
    answers: the thread's structure, not the reply's words (a threaded forum printed it above
    every reply; session 10)."""
    if not isinstance(node.tag, str) or node.tag in ("p", "blockquote") or len(node) > 4:
        return False
    if not _IN_REPLY_TO.match((node.text or "").strip()):
        return False  # the words lead the line: no need to gather the text of every element
    text = text_of(node) or ""
    return (
        len(text) <= 120
        and bool(_IN_REPLY_TO.match(text))
        and any("#" in (a.get("href") or "") for a in node.iter("a"))
    )


def reply_references(blocks: list[Element], members: set[Element]) -> dict[Element, Element]:
    """The block each block's "In reply to" line links to (by the fragment naming the block or
    an element inside it), for lines that resolve to another block of the list.  One pass over
    the page: each element's innermost block is its parent's (linear on deep threads)."""
    if not blocks:
        return {}
    owner: dict[Element, Element | None] = {}
    target_of: dict[str, Element] = {}
    lines: list[tuple[Element, Element]] = []
    for node in blocks[0].getroottree().getroot().iter():
        parent = node.getparent()
        owner[node] = None if parent is None else parent if parent in members else owner.get(parent)
        if not isinstance(node.tag, str):
            continue
        block = node if node in members else owner[node]
        if block is None:
            continue
        name = node.get("id") or (node.get("name") if node.tag == "a" else None)
        if name:
            target_of.setdefault(name.strip(), block)
        if node is not block and reply_reference_line(node):
            lines.append((block, node))
    out: dict[Element, Element] = {}
    for block, line in lines:
        if block in out:
            continue
        for anchor in line.iter("a"):
            href = anchor.get("href") or ""
            target = target_of.get(href.split("#", 1)[1].strip()) if "#" in href else None
            if target is not None and target is not block:
                out[block] = target
                break
    return out


_USER_STATE = re.compile(
    r"status|online|offline|post-?count|location|(?:user|member|poster)[-_]?title", re.IGNORECASE
)


def user_profile_line(node: Element) -> bool:
    """A short line of the poster's profile named so ("user-title": "Regular", "user-status":
    "Offline", "user-postcount": "12 posts"): about the user, not what they wrote."""
    return (
        _matches(node, _AUTHOR_CLASS)
        and _matches(node, _USER_STATE)
        and len(text_of(node) or "") <= 60
        and not holds_text_element(node)
    )


def date_link(node: Element) -> bool:
    """A link showing only a date ("7 days ago" linking to the post): the post's permalink, a
    second print of its date for small screens beside the one taken as the date cue (a forum;
    session 10), never the commenter's words."""
    if node.tag != "a" or len(node) > 1:
        return False
    text = (text_of(node) or "").strip()
    return (
        0 < len(text) <= 40
        and bool(_DATE_SHAPE.search(text))
        and (date_like(text) or relative_date(text))
    )


_COLLAPSE_CLASS = re.compile(r"collaps|expand|toggle", re.IGNORECASE)


def collapse_placeholder(node: Element) -> bool:
    """A clickable stand-in printed beside a comment's full view ("Comment hidden because of
    low score. Click to expand."): a script handler, a class naming the collapse, no markup of
    its own.  It led every text of a real Q&A site's comments (session 10)."""
    return (
        bool(node.get("onclick"))
        and len(node) == 0
        and bool(_COLLAPSE_CLASS.search(node.get("class") or ""))
    )


# Text for screen readers only: skip links ("Benutzerinformationen überspringen", "Skip to
# post") and visually hidden labels, printed in every post of a board (a real WoltLab forum).
_ASSISTIVE = re.compile(
    r"^(?:skip(?:[-_]?\w+)?|sr-only|screen-reader-text|visually-?hidden|a11y-hidden|assistive-text)$",
    re.IGNORECASE,
)
# A post's profile column: the poster's title, rank, post count, messenger links, beside the
# text ("messageSidebar", "userCredits", "postprofile", "author-info").  Never the text itself:
# a column holding a long paragraph stays (below).
_PROFILE_COLUMN = re.compile(
    r"^(?:(?:message|post|comment)[-_]?sidebar|user[-_]?(?:info|credits|stats|details|messenger|title|rank)"
    r"|author[-_]?(?:info|details|stats)|poster[-_]?(?:info|details|stats)|post[-_]?profile)$",
    re.IGNORECASE,
)
_LONG_PROSE = 80


def picture_link(node: Element) -> bool:
    """A link showing only a picture (the poster's userpic or avatar) outside the comment's
    paragraphs: the text renderer prints a link without words as its address, which made the
    journal address of every collapsed reply its "text" (a real blog host's comment view).  A
    picture linked inside a paragraph is the comment's and stays."""
    if node.tag != "a" or (text_of(node) or "").strip():
        return False
    if next(node.iterdescendants("img", "svg", "picture"), None) is None:
        return False
    return not any(a.tag in ("p", "blockquote") for a in node.iterancestors())


def _token_matches(node: Element, pattern: re.Pattern[str]) -> bool:
    return any(pattern.match(token) for token in classes(node))


def _long_prose(node: Element) -> bool:
    return any(
        len(text_of(inner) or "") >= _LONG_PROSE
        for inner in node.iterdescendants("p", "blockquote")
    )


_PROFILE_HREF = re.compile(
    r"/(?:profile|profil|user|users|benutzer|member|members|people|author|autor|u|snetwork)(?:/|\?|$)|[?&]member_id=",
    re.IGNORECASE,
)


def profile_link(node: Element) -> bool:
    """A link to the commenter's profile page outside the comment's paragraphs: the name or the
    avatar in the comment's header, never its words.  Left in, it printed "NAME (https://…/user/…)"
    or a bare profile URL before every text on five real sites (session 7).  A link inside a
    paragraph or quote (a mention in a sentence) stays."""
    if (
        node.tag == "a"
        and len(node) == 0
        and not (node.text or "").strip()
        and (node.get("name") or node.get("id"))
    ):
        return True  # an empty named anchor (a comment's jump target) printed its address as text
    if node.tag != "a" or not _PROFILE_HREF.search(node.get("href") or ""):
        return False
    return not any(a.tag in ("p", "blockquote") for a in node.iterancestors())


def holds_prose(node: Element, members: set[Element]) -> bool:
    """Whether a node holds a paragraph or quote block of 15+ characters of its own: then a
    chrome-sounding class ("ugccmt-render-reply": the box can render a Reply button) names a
    capability of the box that holds the comment's text, not a button bar (a real news site's
    comments all read as empty; session 7)."""
    for inner in node.iterdescendants("p", "blockquote"):
        if any(
            a in members
            for a in inner.iterancestors()
            if a is not node and node in a.iterancestors()
        ):
            continue
        if len(text_of(inner) or "") >= MIN_OWN_TEXT:
            return True
    return holds_text_element(node)


# The class of a comment's text element ("ugccmt-commenttext", "comment-body", "message").
_TEXT_CLASS = re.compile(r"text|body|content|message", re.IGNORECASE)
_TEXT_TAGS = frozenset(
    {"p", "div", "blockquote", "section", "article"}
)  # not a menu's ul.popupbody


def holds_text_element(node: Element) -> bool:
    """Whether a node wraps an element named as a text ("blockquote.commenttext"), whatever its
    length: a short comment ("we love you", 11 characters) in a box whose class names a reply
    button was left out as chrome and read as empty (a real news site, aside4; session 8)."""
    return any(
        d.tag in _TEXT_TAGS
        and _TEXT_CLASS.search(d.get("class") or "") is not None
        and (text_of(d) or "")
        for d in node.iterdescendants()
    )


# A text that is one web address and nothing else: what a link without words prints (a
# rating button inside a link to the log-in page).
_ADDRESS_ONLY = re.compile(r"(?:https?://|www\.)\S{1,2000}")


def _worded(text: str) -> bool:
    """Whether a block's own text can be a comment's: MIN_OWN_TEXT characters or more, and
    not one web address alone.  A comment card's header line (name, date, a rating button in
    a link to the log-in page) printed the link's address as its only text and won over the
    cards themselves: 87 comments of a news site read as addresses (held-out batch 10)."""
    text = text.strip()
    return len(text) >= MIN_OWN_TEXT and _ADDRESS_ONLY.fullmatch(text) is None


def _own_text(block: Element, members: set[Element], author: Element, date: Element) -> str:
    exclude = _exclude_factory(members, block, author, date)
    return unquoted(_separators_dropped(block_text(block, exclude)))  # type: ignore[arg-type]


_SEPARATOR_LINE = re.compile(r"[|·•/–—-]{1,3}")


def _separators_dropped(text: str) -> str:
    """The text without leading lines that are only a separator ("|" left of a header row
    "NAME - DATE | thread | parent" once its links are out)."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and (
        not lines[start].strip() or _SEPARATOR_LINE.fullmatch(lines[start].strip())
    ):
        start += 1
    return "\n".join(lines[start:]) if start else text


def unquoted(text: str) -> str:
    """A comment whose whole text is one quote block is printed in a ``blockquote`` as its body
    (a real news site's comments: every text began with "> "): the markers go.  A comment that
    quotes and then answers keeps them."""
    lines = [line for line in text.split("\n") if line.strip()]
    if lines and all(line.startswith(">") for line in lines):
        return "\n".join(
            line[1:].lstrip() if line.startswith(">") else line for line in text.split("\n")
        ).strip()
    return text


def _build(
    members: list[tuple[Element, Element, Element]], texts: dict[Element, str]
) -> Extraction:
    member_set = {m[0] for m in members}
    out = Extraction("generic")
    ids: dict[Element, str] = {}
    n_generated = 0
    by_class = _depth_class_parents([m[0] for m in members], member_set, out)
    by_indent = {} if by_class else indentation.levels([m[0] for m in members], _date_el)
    own_ids = block_ids([m[0] for m in members], member_set)
    by_reference = reply_references([m[0] for m in members], member_set)
    depth_of: dict[Element, int] = {}
    for index, (element, author, date) in enumerate(members):
        comment_id = own_ids[index]
        generated = comment_id is None
        if comment_id is None:
            n_generated += 1
            comment_id = f"html-{index + 1}"
        ids[element] = comment_id
        parent, confidence, depth = (
            by_class.get(element) or by_indent.get(element) or _parent(element, member_set)
        )
        referred = by_reference.get(element)
        if referred is not None and referred is not parent and referred in ids:
            # The comment names the one it answers ("In reply to <a href=#post-3>"): the site's
            # own statement, over the nesting (a threaded forum printed some replies flat).
            parent, confidence = referred, 1.0
            depth = depth_of.get(referred, 1) + 1
        elif referred is not None and referred is parent:
            confidence = 1.0
        depth_of[element] = depth
        date_value = date_attribute(date) if date is not author else None
        created = parse_date(date_value) if date_value else None
        if created is not None and len(date_value or "") <= 10:
            # A date-only attribute: the visible text may add the time ("23.07.2020 // 12:59").
            visible = parse_date(text_of(date))
            if visible is not None and visible.date() == created.date():
                created = visible
        out.comments.append(
            Found(
                comment_id=comment_id,
                parent_id=ids.get(parent) if parent is not None else None,
                depth=depth,
                author=_author_name(author),
                text=texts[element],
                line=line_of(element),
                created_at=created,
                date_text=(_byline_date(author) if date is author else _date_text(date))
                if created is None
                else date_value,
                edge_confidence=confidence,
                id_generated=generated,
            )
        )
    tag, tokens = _signature(members[0][0])
    out.notes.append(
        f'no known comment system: {len(members)} {"repeated blocks" if len(members) > 1 else "block"} <{tag} class="{" ".join(sorted(tokens))}">'
        f" with author and date read as comments; reply links inferred from"
        f" {'depth classes' if by_class else 'indentation' if by_indent else 'nesting'} (lower edge_confidence)"
        + (f"; {n_generated} ids generated" if n_generated else "")
    )
    out.opening_post = forum_thread.opening(members[0][0].getroottree().getroot(), members[0][0])
    return out


def generic_date_class(element: Element) -> bool:
    """Whether an element's class or id names a date or time (not a registration date)."""
    return _matches(element, _DATE_CLASS) and not _MEMBERSHIP.search(
        f"{element.get('class') or ''} {element.get('id') or ''}"
    )


def generic_date_text(element: Element) -> str | None:
    """The date text of a date cue as this reader reads it (see _date_text)."""
    return _date_text(element)


def _date_text(date: Element) -> str | None:
    """The date cue's text with its time (see _with_time), without leading connector words;
    date and time printed as two child elements with nothing between them ("<span>14.02.21</span>
    <span>09:10</span>" glued to "14.02.2109:10"; a real forum) are joined by a space."""
    parts = [c for c in date if isinstance(c.tag, str)]
    if (
        2 <= len(parts) <= 3
        and not (date.text or "").strip()
        and all(len(c) == 0 and text_of(c) for c in parts)
    ):
        joined = " ".join(text_of(c) or "" for c in parts)
        if date_like(joined):
            return joined
    text = _with_time(date)
    if text and not date_like(text):
        stripped = lead_stripped(text)
        if stripped != text and date_like(stripped):
            return stripped
    return text


_TIME_ONLY = re.compile(
    r"^\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s?m\.?|uhr|h)?\s*$", re.IGNORECASE
)


def _with_time(date: Element) -> str | None:
    """The date cue's text with the time a theme prints in the next element of the same kind
    ("August 06, 2019" then "4:14 pm"), so the comment keeps its time of day."""
    text = text_of(date)
    following = date.getnext()
    if (
        text
        and following is not None
        and isinstance(following.tag, str)
        and following.tag == date.tag
    ):
        time_text = text_of(following) or ""
        if _TIME_ONLY.match(time_text) and not _TIME_ONLY.match(text):
            return f"{text} {time_text.strip()}"
    return text


def _depth_class_parents(
    order: list[Element], members: set[Element], out: Extraction
) -> dict[Element, tuple[Element | None, float, int]]:
    """Parents from depth classes or attributes (``level-2``, ``data-depth``) when every block
    states one and they differ: the site's own statement of the tree, over the DOM nesting
    (issue 12: themes that close a comment before its replies, flat runs of ``level-N``
    blocks).  Pre-order rule; each disagreement with the nesting is counted in a warning."""
    declared = {e: declared_depth(e) for e in order}
    confidence = CONF_NESTED
    if any(v is None for v in declared.values()) or len(set(declared.values())) < 2:
        marked = _reply_marks(order, members)
        if not marked:
            return {}
        declared = {e: 2 if marked[e] else 1 for e in order}
        confidence = CONF_MARKED
    parents = stack_parents(order, {e: float(declared[e] or 0) for e in order})
    result: dict[Element, tuple[Element | None, float, int]] = {}
    disagree = 0
    depth_of: dict[Element, int] = {}
    for element in order:
        parent = parents[element]
        nested, _, _ = _parent(element, members)
        disagree += nested is not None and nested is not parent  # a flat run contradicts nothing
        depth_of[element] = depth_of[parent] + 1 if parent is not None else 1
        result[element] = (
            parent,
            confidence if parent is not None else CONF_TOP,
            depth_of[element],
        )
    if disagree:
        out.warnings.append(
            f"{disagree} block(s) nested differently from their depth classes; the classes were followed"
        )
    return result


# A reply marked only by a class word without a level, on sibling blocks: "comment--indented"
# (a German news site), "comment-sub" (a recipe site); both printed replies flat after their
# parent (session 6).  Read as level 2 under the latest unmarked block; chosen, not fitted.
CONF_MARKED = 0.6
_REPLY_MARK = re.compile(
    r"(?:^|[-_])(?:indented|sub|reply|child|answer|antwort|response|nested)$"
    # camelCase, the mark first: "childComment", "subReply" (a Q&A site's replies; session 10).
    r"|^(?:child|sub|nested)[-_]?(?:comment|reply|post)$",
    re.IGNORECASE,
)


def _reply_marks(order: list[Element], members: set[Element]) -> dict[Element, bool]:
    """Which blocks a reply class marks (on the block or on a wrapper of its own), when the
    list is flat (no block inside another), some blocks carry the mark and the first does not;
    else {}."""
    if any(_parent(e, members)[0] is not None for e in order):
        return {}
    marks: dict[Element, bool] = {}
    for element in order:
        node: Element | None = element
        found = False
        for _ in range(3):
            if node is None or node.tag in ("body", "html"):
                break
            if node is not element and any(
                m is not element and node in m.iterancestors() for m in members
            ):
                break
            if any(_REPLY_MARK.search(t) for t in classes(node)):
                found = True
                break
            node = node.getparent()
        marks[element] = found or _frame_marked(element)
    if not any(marks.values()) or all(marks.values()) or marks[order[0]]:
        return {}
    return marks


def _frame_marked(block: Element) -> bool:
    """Whether the block's frame, the first element inside it (past empty anchors), up to
    two levels down, carries the reply mark: ``<div id="c7"><a name="c7"></a><div
    class="childComment">…`` (the block found is the frame's wrapper; a real Q&A site)."""
    node = block
    for _ in range(2):
        node = next(
            (
                c
                for c in node
                if isinstance(c.tag, str)
                and not (c.tag == "a" and len(c) == 0 and not (c.text or "").strip())
            ),
            None,
        )
        if node is None:
            return False
        if any(_REPLY_MARK.search(t) for t in classes(node)):
            return True
    return False


def block_ids(
    blocks: list[Element], members: set[Element], *, wrappers: bool = True
) -> list[str | None]:
    """Each block's comment id, None where the markup gives none: an id attribute
    (``data-comment-id``), the fragment of its own permalink, its element id, an inner wrapper's
    or a preceding anchor's, a wrapper's of its own, inner buttons' ids.  An id two blocks
    share identifies neither (a template's "xenforo-comment-" with the number left out)."""
    ids: list[str | None] = []
    for block in blocks:
        explicit = next(
            ((block.get(a) or "").strip() for a in _ID_ATTRS if (block.get(a) or "").strip()), None
        )
        value = explicit or permalink_id(block, members) or _element_id(block)
        if value is None and wrappers:
            value = _wrapper_id(block, members) or inner_id(block, members)
        if value is None:
            value = path_link_id(block, members)
        ids.append(value.strip() if value and value.strip() else None)
    repeated = {i for i in ids if i is not None and ids.count(i) > 1}
    return [None if i in repeated else i for i in ids]


def _wrapper_id(element: Element, members: set[Element]) -> str | None:
    """The numeric id of a wrapper that holds this block and no other block of the group
    (``<li id="x-comment-7"><div class="avatar"/><div class="x-comment-content">``: a held-out
    forum widget whose author and date cues are all in the inner block).  Up to three levels."""
    node = element.getparent()
    for _ in range(3):
        if (
            node is None
            or node.tag in ("body", "html")
            or any(m is not element and node in m.iterancestors() for m in members)
        ):
            return None
        key = id_from_name(node.get("id") or "")
        if key:
            return key
        node = node.getparent()
    return None


def inner_id(block: Element, members: set[Element]) -> str | None:
    """A comment id carried only by the block's own inner elements: its buttons ("Report" and
    "Recommend" links with ``data-comment-id``) or an inner wrapper deeper than the first
    (``div#comment-17`` after the poster's profile column); not those of a nested block.
    Taken when all of them name the same one."""
    values: set[str] = set()
    for node in own_descendants(block, members):
        if not isinstance(node.tag, str):
            continue
        values.update((node.get(a) or "").strip() for a in _ID_ATTRS if node.get(a))
        named = _COMMENT_ID_NAME.search(node.get("id") or "")
        if named:
            values.add(named.group(1))
    values.discard("")
    return values.pop() if len(values) == 1 else None


# An inner element's id naming one comment or post: "comment-17", "post_17", "msg17".
_COMMENT_ID_NAME = re.compile(
    r"(?:^|[-_])(?:comment|kommentar|post|msg|message|reply|entry|note)[-_]?(\d{1,20})$",
    re.IGNORECASE,
)


def permalink_id(block: Element, members: set[Element]) -> str | None:
    """The comment's key as its own permalink states it: a link in the block (any element with
    ``href``, some themes put it on a span) whose fragment is the id or anchor name of the block
    itself or of one of its own inner elements (``<span href="…#Comment6702386">`` beside
    ``<div id="Comment6702386">``).  That is how the site addresses the comment, so it wins over
    an element id that is only a template counter ("…_SynMtnForumComment_0", a real forum's
    repeater ids; session 7).  None when no link targets the block."""
    targets: dict[str, Element] = {}
    links: list[str] = []
    for node in [block, *own_descendants(block, members)]:
        if not isinstance(node.tag, str):
            continue
        for name in (node.get("id"), node.get("name") if node.tag == "a" else None):
            if name:
                targets.setdefault(name.strip(), node)
        href = node.get("href")
        if href and "#" in href:
            links.append(href.split("#", 1)[1].strip())
    for fragment in links:
        if fragment and fragment in targets:
            return id_from_name(fragment) or fragment
    return None


# A link's path naming one comment by number: "/comment/172/", "/comments/9", "/post/55#".
_COMMENT_PATH = re.compile(
    r"/(?:comments?|c|posts?|reply|replies|msg|kommentar)/(\d{1,20})/?(?:#.*)?$", re.IGNORECASE
)


def path_link_id(block: Element, members: set[Element]) -> str | None:
    """The comment's number in the address of its own links ("reply" to ``/comment/172/``, a
    minimal forum whose comments carry no id attribute), leaving out links to other comments
    ("parent" to ``/comment/117/#``, see navigation_link) and those of nested comments.  Taken
    when the block's other such links all name the same number."""
    numbers: set[str] = set()
    for node in own_descendants(block, members):
        if node.tag != "a" or navigation_link(node):
            continue
        match = _COMMENT_PATH.search((node.get("href") or "").strip())
        if match:
            numbers.add(match.group(1))
    return numbers.pop() if len(numbers) == 1 else None


_CLASS_KEY = re.compile(
    r"^(?:\d{4,25}|(?:[a-z]+[-_])*(?:comment|kommentar|cid|post|msg|reply)[-_]?\d{1,25})$",
    re.IGNORECASE,
)


def class_key(element: Element) -> str | None:
    """A comment id carried as a class token: a bare number ("fig-comment 16060957") or a
    comment word with a number ("kommentar_2770530", "cid-88"); only when exactly one token
    has that shape (two real news sites; session 7).  Block ids that two blocks share are
    dropped by the caller, so a token every comment carries identifies none."""
    keys = [t for t in classes(element) if _CLASS_KEY.match(t)]
    return id_from_name(keys[0]) if len(keys) == 1 else None


def _element_id(element: Element) -> str | None:
    for attribute in _ID_ATTRS:
        value = element.get(attribute)
        if isinstance(value, str) and value.strip():
            return value.strip()
    value = element.get("id")
    if value:
        return id_from_name(value) or value
    keyed = class_key(element)
    if keyed:
        return keyed
    # The id on the block's first inner wrapper (<li><div id="comment-7">) or on an empty
    # anchor right before it (<a id="comment-7"></a><article>).
    for inner in element.iterdescendants():
        if not isinstance(inner.tag, str):
            continue
        # An empty anchor first in the block names it too (<li><a name="comment-7"></a>…).
        anchor = inner.get("name") if inner.tag == "a" and not (inner.text or "").strip() else None
        key = id_from_name(inner.get("id") or anchor or "")
        if key:
            return key
        if len(inner) and inner.tag not in ("div", "article", "section", "li", "header"):
            break
    previous = preceding_anchor(element)
    if previous is not None:
        key = id_from_name(previous.get("id") or previous.get("name") or "")
        if key:
            return key
    return None


def preceding_anchor(element: Element) -> Element | None:
    """The empty anchor that names a block from before it (Drupal's ``<a id="comment-7"></a>``),
    past HTML comments ("<!-- start comment -->") and empty spacer elements (``div.margin``), and
    from before the block's wrapper when the block is the wrapper's first element
    (``<a id="comment-7"></a><div class="arrow"><div class="comment">``); up to two wrappers.
    Two real Drupal themes, session 7."""
    node = element
    for _ in range(3):
        previous = node.getprevious()
        while previous is not None and (
            not isinstance(previous.tag, str)
            or (previous.tag != "a" and len(previous) == 0 and not (previous.text or "").strip())
        ):
            previous = previous.getprevious()
        if previous is not None:
            if previous.tag == "a" and not (previous.text or "").strip() and len(previous) == 0:
                return previous
            return None
        node = node.getparent()
        if node is None or node.tag in ("body", "html") or (node.text or "").strip():
            return None
    return None


def _parent(element: Element, members: set[Element]) -> tuple[Element | None, float, int]:
    """Parent block, edge confidence and depth, from enclosure or a following replies container."""
    depth = 1
    parent: Element | None = None
    confidence = CONF_TOP
    node = element
    while (container := node.getparent()) is not None:
        if container in members:
            depth += 1
            if parent is None:
                parent, confidence = container, CONF_NESTED
        elif _matches(container, _REPLIES_CONTAINER):
            sibling = container.getprevious()
            while sibling is not None and sibling not in members:
                sibling = sibling.getprevious()
            if sibling is not None:
                depth += 1
                if parent is None:
                    parent, confidence = sibling, CONF_SIBLING
        elif (lead := _list_after_member(container, members)) is not None:
            # A list right after a comment holds its replies, whatever its class says
            # ("ul.comment-list.level-2" after "div.comment-item" inside one list item: a Russian
            # news site's replies were all read as top level; session 11).
            depth += 1
            if parent is None:
                parent, confidence = lead, CONF_SIBLING
        node = container
    return parent, confidence, depth


def _list_after_member(container: Element, members: set[Element]) -> Element | None:
    """The member right before a list (``ul``/``ol``), when the list follows it directly."""
    if container.tag not in ("ul", "ol"):
        return None
    previous = container.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()
    return previous if previous is not None and previous in members else None


# A cheap shape test before the parser: a time, a year, or a relative phrase.  Without it
# every short text with a digit ("3 Antworten") would cost a dateparser call (~15 ms).
_DATE_SHAPE = re.compile(
    r"\d{1,2}[:.h]\d{2}|(?<!\d)(?:19|20)\d{2}(?!\d)|\b(?:ago|vor|il y a|hace|fa|geleden|temu|назад)\b",
    re.IGNORECASE,
)


def date_shaped(text: str) -> bool:
    """Whether a short text is shaped like a date (a time of day, a year, "ago"), parsed or
    not: "On Friday, November 2 at 12:31 pm" has no year to parse without an anchor."""
    return len(text) <= 60 and bool(_DATE_SHAPE.search(text))


def date_like(text: str) -> bool:
    """Whether a short text parses as a date."""
    return len(text) <= 60 and bool(_DATE_SHAPE.search(text)) and parse_date(text) is not None


# --- comment items without author or date cues -------------------------------------------------

# Confidence of a top-level edge when nothing but the item's class says it is a comment (no
# author, no date, no id): lower than a block with author and date cues.  Chosen, not fitted.
CONF_ITEM_TOP = 0.6
# A list that names itself a comment list ("comments-list", "xenforo-comments-list",
# "comment_list"), or Disqus's thread container: items in it are comments of this page.
_LIST_NAME = re.compile(
    r"^(?:[a-z0-9]+[-_])*(?:comments?|kommentare?|commentaires?|comentarios?|commenti|reacties|komentarze)"
    r"[-_]?(?:list|items|thread|container|holder|section|area)?$|^disqus_thread$",
    re.IGNORECASE,
)


# Other posts' comments: "recent comments" widgets and sidebars.  Narrower than is_widget():
# a layout column called "widget-area" holds the article and its comments on some news sites
# (a held-out page), and the named-list rule already keeps widgets' own lists out.
_SIDE_LIST = re.compile(r"recent|^widget_|^(?:sidebar|secondary)$", re.IGNORECASE)


def _is_side_list(element: Element) -> bool:
    tokens = [*classes(element), element.get("id") or ""]
    return any(_SIDE_LIST.search(t) for t in tokens if t)


def _names_comment_list(element: Element) -> bool:
    tokens = [*classes(element), element.get("id") or ""]
    return any(_LIST_NAME.match(t) for t in tokens if t)


def extract_items(root: Element) -> Extraction | None:
    """Items whose own class names one comment, repeated inside a named comment list.

    For comment lists that print neither an author cue nor a date (an id-less forum widget
    showing only texts; a server-rendered Disqus list with names and texts but no dates).
    Stricter on the place than :func:`extract` is on the block, because nothing in the item
    but its class says "comment": the group must lie inside an element whose class or id
    names a comment LIST (``comments-list``, ``#disqus_thread``) and the page must show a
    comment heading or count (so a live ticker's ``live-match-comment`` entries are not
    reader comments).  Groups are formed by markup signature; the largest wins, the
    outermost on a tie (``div.comment`` over its ``div.comment-body``); at least two of its
    items must hold 15 or more characters of text.
    """
    if not any(
        signs.is_comment_heading(text_of(h) or "")
        for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "span", "div")
        if len(h) <= 3 and len(text_of(h) or "") < 80
    ):
        return None
    groups: dict[tuple[str, frozenset[str]], list[Element]] = defaultdict(list)
    for element in root.iter(*_BLOCK_TAGS):
        if not signs.names_one_comment(element):
            continue
        ancestors = list(element.iterancestors())
        if any(_is_side_list(a) for a in [element, *ancestors] if a.tag not in ("body", "html")):
            continue
        if not any(_names_comment_list(a) for a in ancestors) or in_ui_layer(element):
            continue
        groups[_item_signature(element)].append(element)
    best: list[Element] | None = None
    best_key: tuple[int, int] = (0, 0)
    page_urls = {
        str(v).strip().split("#")[0].split("?")[0].rstrip("/")
        for v in root.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
    }
    # A group whose items all sit inside items of another group is their parts (the text or
    # header of each comment), not the comments.
    item_of = {e: key for key, members in groups.items() for e in members}
    for signature, members in groups.items():
        if len(members) < MIN_GROUP or all(
            any(item_of.get(a, signature) != signature for a in m.iterancestors()) for m in members
        ):
            continue
        if sum(_links_to_other_page_comment(m, page_urls) for m in members) * 2 >= len(members):
            continue  # a list of other posts' comments ("Leserkritik … #comment-10543"): a widget
        member_set = set(members)
        usable = [
            m
            for m in members
            if len(block_text(m, _item_exclude(member_set, m, None, None))) >= MIN_OWN_TEXT
        ]
        if len(usable) < MIN_GROUP:
            continue
        depth = min(sum(1 for _ in m.iterancestors()) for m in usable)
        key = (len(members), -depth)
        if key > best_key:
            best, best_key = members, key
    if best is None:
        return None
    member_set = set(best)
    out = Extraction("generic")
    ids: dict[Element, str] = {}
    n_generated = 0
    own_ids = block_ids(best, member_set, wrappers=False)
    by_class = _depth_class_parents(best, member_set, out)
    for index, element in enumerate(best):
        comment_id = own_ids[index]
        generated = comment_id is None
        if comment_id is None:
            n_generated += 1
            comment_id = f"html-{index + 1}"
        ids[element] = comment_id
        author = _author_el(element)
        date = _date_el(element)
        line_el, by_name, by_date = (
            (None, None, None) if author is not None else byline(element, member_set)
        )
        if author is None and date is not None and line_el is None:
            author = _name_before_date(date, element)
        if author is not None and date is None:
            # The author cue is itself the byline ("<cite>Comment by NAME — 17.07, 2011 @
            # 13:04</cite>", an old theme's flat list; session 11): its name and its date.
            signed = byline_parts(author)
            if signed is not None:
                line_el, by_name, by_date = author, signed[0], signed[1]
        if line_el is not None:
            author, date = line_el, None
        parent, confidence, depth = by_class.get(element) or _parent(element, member_set)
        if parent is None:
            confidence = CONF_ITEM_TOP
        date_value = None if date is None else date_attribute(date)
        created = parse_date(date_value) if date_value else None
        out.comments.append(
            Found(
                comment_id=comment_id,
                parent_id=ids.get(parent) if parent is not None else None,
                depth=depth,
                author=by_name
                if line_el is not None
                else (_author_name(author) if author is not None else None),
                text=block_text(element, _item_exclude(member_set, element, author, date)),
                line=line_of(element),
                created_at=created,
                date_text=by_date
                if line_el is not None
                else (text_of(date) if date is not None and created is None else date_value),
                edge_confidence=confidence,
                id_generated=generated,
            )
        )
    tag, tokens = _item_signature(best[0])
    out.notes.append(
        f'no known comment system: {len(best)} items <{tag} class="{" ".join(sorted(tokens))}"> in a comment list'
        " read as comments although they carry no author and date cues of their own; reply links inferred from"
        f" {'depth classes' if by_class else 'nesting'} (lower edge_confidence)"
        + (f"; {n_generated} ids generated" if n_generated else "")
    )
    return out


def _name_before_date(date: Element, item: Element) -> Element | None:
    """The name in an item's header line "<strong>NAME</strong> <span>DATE</span>": the line's
    first element, emphasised or a link, with a short text that is no date, right before the date
    cue (a Russian news list's items named nothing "author": every name was read as the first
    line of the text; session 11)."""
    head = date.getparent()
    if head is None or head is item:
        return None
    first = next((c for c in head if isinstance(c.tag, str)), None)
    if first is None or first is date or first.tag not in ("b", "strong", "em", "span", "a"):
        return None
    if first.getnext() is not date:
        return None
    name = (text_of(first) or "").strip()
    return first if 1 < len(name) <= 40 and not date_like(name) and not name.isdigit() else None


# A byline that holds both name and date: "geschrieben von NAME am 21. Jan. 2015, 19:04",
# "Posted by NAME on March 3, 2021", "par NAME le 3 mars 2021" (a real Django site's comments
# carry nothing else; session 6).  Lines of at most 120 characters; the name at most 60.
# A reply's number may lead ("Reply 2 - Posted by: NAME …", a news forum), and a post number may
# close the line ("… 4:50:13 AM (No. 1721837)").
_BYLINE_LEAD = (
    r"^(?:(?:reply|comment|post|antwort|kommentar|beitrag|réponse|commentaire|respuesta|comentario|risposta|"
    r"commento|reactie|komentarz)\s*#?\d{1,6}\s*[-–—:.|·]\s*)?"
    r"(?:(?:geschrieben|verfasst|gepostet|kommentiert|eingereicht|posted|written|submitted|soumis|écrit|publié|posté|"
    # "Comment by NAME — DATE", "Kommentar von NAME am DATE", "Reply by …"
    r"comment|kommentar|commentaire|comentario|commento|reply|antwort|réponse|respuesta|risposta|"
    r"escrito|enviado|inviato|ingezonden|"
    r"publicado|scritto|pubblicato|geplaatst|napisany|dodany)\s+)?(?:von|by|par|por|da|door|przez|от):?\s+"
)
_BYLINE_LEAD_RE = re.compile(_BYLINE_LEAD, re.IGNORECASE)
# What follows the name: an optional separator, then the date.  One blank run on each side of the
# separator (two adjacent "\s*" around an optional separator made a long blank run cubic).
# Only ever fullmatched against the rest of one byline.
_BYLINE_AFTER_NAME = re.compile(r"\s*(?:[,|·–—-]\s*)?(?P<date>\S[^\n]{3,60})", re.IGNORECASE)
_BYLINE = re.compile(
    _BYLINE_LEAD
    + r"(?P<name>\S[^\n]{0,59}?)\s+(?:am|on|at|le|el|il|op|dnia|,|-|–|—|\|)\s+(?P<date>\S[^\n]{3,49})$",
    re.IGNORECASE,
)
_POST_NUMBER_TAIL = re.compile(r"(?<!\s)\s*\((?:no\.?|nr\.?|#)\s*\d{1,20}\)\s*$", re.IGNORECASE)


def byline_parts(node: Element) -> tuple[str, str] | None:
    """Name and date of a byline element ("Posted by NAME on DATE"), or None.  A linked name
    may stand right before the date with no word between ("Posted by: <a>NAME</a> 5/21/2024
    4:50 AM"): the link says where the name ends."""
    text = text_of(node) or ""
    match = _BYLINE.match(text)
    if match and _DATE_SHAPE.search(match.group("date")):
        return match.group("name").strip().rstrip(",;:"), _POST_NUMBER_TAIL.sub(
            "", match.group("date").strip()
        )
    links = [a for a in node.iter("a") if text_of(a)]
    if len(links) != 1:
        return None
    name = (text_of(links[0]) or "").strip()
    if not 0 < len(name) <= 60:
        return None
    # The lead, then the name, then the date: matched in two steps with fixed patterns (a pattern
    # built from each name was compiled anew for every poster: a thread of 800 posters spent
    # seconds compiling; session 11).
    lead = _BYLINE_LEAD_RE.match(text)
    if lead is None or text[lead.end() : lead.end() + len(name)].lower() != name.lower():
        return None
    linked = _BYLINE_AFTER_NAME.fullmatch(text[lead.end() + len(name) :])
    if linked is None:
        return None
    date = _POST_NUMBER_TAIL.sub("", linked.group("date").strip())
    return (name, date) if _DATE_SHAPE.search(date) else None


def byline(block: Element, members: set[Element]) -> tuple[Element | None, str | None, str | None]:
    """The block's own byline element with the name and the date text it states, when one of
    its short elements reads "by NAME on DATE" and the date part looks like a date."""
    for node in own_descendants(block, members):
        if not isinstance(node.tag, str) or node.tag in ("a", "script", "style") or len(node) > 3:
            continue
        text = text_of(node) or ""
        if not 8 <= len(text) <= 120:
            continue
        if signs.in_edit_note(node, block):
            continue  # "Last edited by NAME (DATE)" names the editor and the edit's time
        parts = byline_parts(node)
        if parts is not None:
            return node, parts[0], parts[1]
    return None, None, None


_FRAGMENT_COMMENT = re.compile(r"#(?:comment|kommentar|c)[-_]?\d", re.IGNORECASE)


def _links_to_other_page_comment(item: Element, page_urls: set[str]) -> bool:
    """Whether an item links to a comment on another page (``/other-post#comment-12``); a
    link to the item's own number is its permalink, wherever the page's address is unknown."""
    own = _element_id(item) or ""
    for anchor in item.iterdescendants("a"):
        href = anchor.get("href") or ""
        if not _FRAGMENT_COMMENT.search(href):
            continue
        if own and re.sub(r"\D", "", href.split("#", 1)[1]) == re.sub(r"\D", "", own):
            continue
        base = href.split("#", 1)[0].split("?")[0].rstrip("/")
        if base and base not in page_urls:
            return True
    return False


def _item_signature(element: Element) -> tuple[str, frozenset[str]]:
    """Tag and the class tokens that name a comment: items of one list differ in other tokens
    ("xenforo-comment" and "xenforo-comment xenforo-read-more-target" are one list)."""
    # A reply's mark ("comment-sub") is left out too: replies and top comments are one list.
    return element.tag, frozenset(
        c
        for c in classes(element)
        if signs.names_comment_token(c) and not _REPLY_MARK.search(c) and not _place_token(c)
    )


_PLACE_PARTS = frozenset(
    {
        "odd",
        "even",
        "alt",
        "root",
        "first",
        "last",
        "child",
        "children",
        "parent",
        "top",
        "toplevel",
    }
)


def _place_token(token: str) -> bool:
    """A class token that states a comment's place, not its kind: "comments-node-odd",
    "comments-node-root", "CommentFrame-commentsNodeRoot" (parity and root tokens split one
    list into four groups on a real forum platform; session 7)."""
    parts = re.split(r"[-_]+|(?<=[a-z])(?=[A-Z])", token)
    return any(part.lower() in _PLACE_PARTS for part in parts if part)


def _item_exclude(
    members: set[Element], block: Element, author: Element | None, date: Element | None
) -> Callable[[Element], bool]:
    def exclude(node: Element) -> bool:
        return (
            (node in members and node is not block)
            or (author is not None and node is author)
            or (date is not None and node is date)
            or node.tag in ("button", "img")
            or (node.tag in ("a", "span") and signs.is_reply_button(text_of(node) or ""))
            or _matches(node, _CHROME_CLASS)
            or _matches(node, _REPLIES_CONTAINER)
            or profile_link(node)
            or signs.is_edit_note(node)
        )

    return exclude
