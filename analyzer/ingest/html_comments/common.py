"""What every markup family returns, and the small DOM helpers they share."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, TypeAlias

import lxml.etree

from analyzer.ingest import patterns
from analyzer.ingest.htmltext import QUOTE_MARK, element_blocks, join_blocks, visible_text

Element: TypeAlias = lxml.etree._Element
Kind = Literal["comment", "ping"]


@dataclass(slots=True)
class Found:
    """One comment as a markup family found it; the HTML reader turns it into a RawComment.

    ``parent_id`` None means top level.  ``date_text`` is kept beside ``created_at`` so the
    reader can parse it (multilingual, see :mod:`analyzer.ingest.dates`) and report it when
    it stays unparsed; ``created_at`` is set only from machine-readable attributes.
    """

    comment_id: str
    parent_id: str | None
    depth: int | None
    author: str | None
    text: str
    line: int | None
    created_at: datetime | None = None
    date_text: str | None = None
    kind: Kind = "comment"
    url: str | None = None
    edge_confidence: float = 1.0
    id_generated: bool = False


@dataclass(slots=True)
class Extraction:
    """The comments of one page from one family, with notes for the issue list."""

    family: str
    comments: list[Found] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # info issues (what was inferred, skipped)
    warnings: list[str] = field(default_factory=list)
    # A count the comment system itself prints (wpDiscuz's counter), and why it may differ.
    announced: int | None = None
    announced_line: int | None = None
    count_note: str | None = None
    # For forum posts: whether the first post opens the thread (then it is the article, not a
    # comment) and why; None when the comments are no forum posts (see forum_thread).
    opening_post: tuple[bool, str] | None = None


def classes(element: Element) -> set[str]:
    """The class tokens of an element."""
    value = element.get("class")
    return set(value.split()) if isinstance(value, str) else set()


def class_xpath(token: str) -> str:
    """XPath condition: the element has class token ``token``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {token} ')"


def line_of(element: Element) -> int | None:
    """Source line, or None where libxml2's 16-bit line counter saturated."""
    line = element.sourceline
    return int(line) if line is not None and line < 65535 else None


def first(scope: Element, xpath: str) -> Element | None:
    """The first match of an XPath below ``scope``."""
    found = scope.xpath(xpath)
    return found[0] if found and isinstance(found[0], lxml.etree._Element) else None


def text_of(element: Element | None) -> str | None:
    """Visible text of an element, None when empty or absent."""
    if element is None:
        return None
    value = visible_text(element)
    return value or None


def block_text(element: Element, exclude: Callable[[Element], bool] | None = None) -> str:
    """Paragraph-structured text of an element (blank lines between blocks)."""
    return join_blocks(element_blocks(element, exclude=exclude))


def enclosing(element: Element, members: set[Element]) -> Element | None:
    """The nearest ancestor of ``element`` that is in ``members``."""
    node = element.getparent()
    while node is not None:
        if node in members:
            return node
        node = node.getparent()
    return None


def descendants_in(element: Element, members: Iterable[Element]) -> bool:
    """Whether any of ``members`` lies inside ``element``."""
    return any(m is not element and element in m.iterancestors() for m in members)


# Verbs of saying after the name in theme author lines ("Ramón dijo:", "Anne a dit :");
# core's "sagt:"/"says:" are in patterns.AUTHOR_LINE.
# Starts only where a run of blanks starts, taking it whole: linear on long blank runs.
SAYS = re.compile(
    r"(?<!\s)\s++(?:sagt|says|schreibt|schrieb|writes|wrote|dijo|escribió|a\s+dit|écrit|ha\s+detto|scrive|zegt|schreef|"
    r"napisał|napisała|pisze|пишет|написал|написала)\s*+:?\s*+$",
    re.IGNORECASE,
)
# Descendants of an author element that hold its date, not its name.
DATEISH = re.compile(r"date|time|meta", re.IGNORECASE)
# Reply links inside an author line ("<a class="comment-reply-link">- Antworten</a>").
_REPLYISH = re.compile(r"reply", re.IGNORECASE)
_NAME_TAGS = frozenset({"strong", "b", "cite", "a", "span"})


_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.IGNORECASE)


def name_text(element: Element) -> str:
    """An author element's text without the date some themes put inside it (golfpost-like
    ``<div class="comment-author">Name <a><time>…</time></a></div>``) and without "says:"."""
    clone = copy.deepcopy(element)  # small: a name, maybe a link and a date
    for node in list(clone.iterdescendants()):
        if isinstance(node.tag, str) and (
            node.tag == "time"
            # a hidden pop-up menu under the name ("View Profile", "View Posts"; batch 9b)
            or node.get("hidden") is not None
            or _DISPLAY_NONE.search(node.get("style") or "") is not None
            or DATEISH.search(node.get("class") or "")
            or "says" in (node.get("class") or "")
            or _REPLYISH.search(node.get("class") or "")
        ):
            if node.getparent() is not None:
                node.drop_tree()  # keeps the text after it
    name = visible_text(clone)
    # "<strong>Ben</strong> 19. Juni 2018 um 15:28 Uhr": the date as bare text after a name
    # element (a held-out theme).  The leading name element is the name when what follows it
    # holds a digit (a date or time), never a name.
    lead = next((c for c in clone if isinstance(c.tag, str)), None)
    if lead is not None and lead.tag in _NAME_TAGS and not (clone.text or "").strip():
        lead_text = visible_text(lead)
        rest = name[len(lead_text) :] if lead_text and name.startswith(lead_text) else ""
        if lead_text and any(ch.isdigit() for ch in rest):
            name = lead_text
    match = patterns.AUTHOR_LINE.match(name)
    name = match.group("author") if match else name
    name = SAYS.sub("", " " + name).strip()
    return "" if name.endswith(":") and " " not in name else name  # a lone "says:" is no name


# Levels stated by class tokens or attributes (see declared_depth).
_DEPTH_TOKEN = re.compile(
    r"(?:depth|level|lvl|indent|nest(?:ed|ing)?|ebene|niveau)[-_]?(\d{1,2})$", re.IGNORECASE
)
_DEPTH_ATTRS = ("data-depth", "data-level", "aria-level", "data-indent")


def declared_depth(block: Element) -> int | None:
    """The thread level a block's markup states: ``data-depth``/``data-level``/``aria-level``,
    or a class token ending in a level (``depth-3``, ``level-2``, ``wpd_comment_level-2``)."""
    for attribute in _DEPTH_ATTRS:
        value = (block.get(attribute) or "").strip()
        if value.isdigit():
            return int(value)
    for token in classes(block):
        match = _DEPTH_TOKEN.search(token)
        if match:
            return int(match.group(1))
    return None


def stack_parents(
    order: list[Element], level: dict[Element, float]
) -> dict[Element, Element | None]:
    """Pre-order rule: a block's parent is the latest earlier block at a lower level."""
    parents: dict[Element, Element | None] = {}
    stack: list[Element] = []
    for block in order:
        while stack and level[stack[-1]] >= level[block]:
            stack.pop()
        parents[block] = stack[-1] if stack else None
        stack.append(block)
    return parents


_UI_LAYER = frozenset(
    {"modal", "dialog", "popup", "lightbox", "tooltip", "template", "tmpl", "toast"}
)


def own_descendants(block: Element, members: set[Element]) -> Iterator[Element]:
    """The block's descendants in document order without the subtrees of other members (its
    replies): one walk of the block's own markup.  Asking each descendant for its ancestors
    instead made every block's walk quadratic in the nesting depth, and malformed boards nest
    every post in the one before (a deep chain of 200 posts read in 12 s; session 11)."""
    stack = list(reversed(block))
    while stack:
        node = stack.pop()
        if node in members:
            continue
        yield node
        if len(node):
            stack.extend(reversed(node))


def ui_layers(root: Element) -> set[Element]:
    """Every element :func:`in_ui_layer` would call inside a UI layer, in one pass over the page."""
    inside: set[Element] = set()
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        parent = node.getparent()
        if parent is not None and parent in inside or _ui_layer_itself(node):
            inside.add(node)
    return inside


def _ui_layer_itself(node: Element) -> bool:
    if node.tag in ("body", "html"):
        return False
    if node.tag in ("template", "dialog"):
        return True
    return any(
        part in _UI_LAYER
        for token in [*classes(node), node.get("id") or ""]
        for part in re.split(r"[-_]+", token.lower())
        if part
    )


def in_ui_layer(element: Element) -> bool:
    """Whether an element is (inside) a modal, dialog, pop-up or template: a comment plugin's
    error and report dialogs carry comment classes (``div.modal-content.comment``) and text,
    but are no comments (a real page; session 6)."""
    for node in [element, *element.iterancestors()]:
        if node.tag in ("body", "html"):
            return False
        if node.tag in ("template", "dialog"):
            return True
        for token in [*classes(node), node.get("id") or ""]:
            if any(part in _UI_LAYER for part in re.split(r"[-_]+", token.lower()) if part):
                return True
    return False


# An element id that names one comment followed by its key: "comment-17", "msg_17", and keys
# that are not plain numbers: a timestamp and a UUID ("…-comment_1314239400067-e19cdf02-…"),
# hexadecimal hashes.  The key must hold a digit; the LAST comment word starts it.
_NAMED_KEY = re.compile(
    r"(?:comment|kommentar|post|msg|message|reply|entry|note|cmt)[-_]?"
    r"(?P<key>[0-9a-f]*\d[0-9a-f]*(?:-[0-9a-f]+)*)$",
    re.IGNORECASE,
)
_TRAILING_DIGITS = re.compile(r"(\d{1,25})$")


def id_from_name(value: str | None) -> str | None:
    """The comment key in an element id or anchor name: what follows the last word naming a
    comment when that is an id-like key (digits, hex, dashed UUID parts), else the trailing
    digits ("p123" → "123"), else None.

    Why not always the trailing digits: a key such as "1314239400067-e19cdf02-…-74b63ffea212"
    ends in digits that identify nothing ("212"; a real news site's comment list, session 7).
    """
    if not value:
        return None
    value = value.strip()
    named = _NAMED_KEY.search(value)
    key = named.group("key") if named else ""
    # Dashed small numbers ("comment-12-3") keep the old reading (trailing digits); a key with
    # a hex letter or a long part is one key.
    if (
        key
        and not key.isdigit()
        and (re.search(r"[a-f]", key, re.IGNORECASE) or max(map(len, key.split("-"))) >= 8)
    ):
        return key
    if _TOKEN_KEY.fullmatch(value) and not _WORD_NUMBER.fullmatch(value):
        # A generated key with letters and digits mixed ("kyDRpsdzdfspzJ4Rn", a real forum
        # platform's comment ids): the whole key, not its last digit.
        return value
    match = _TRAILING_DIGITS.search(value)
    return match.group(1) if match else None


_TOKEN_KEY = re.compile(r"(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{10,40}")
_WORD_NUMBER = re.compile(
    r"[A-Z]?[a-z]{0,12}\d+"
)  # "p123", "Comment6702386": a word and its number


def unwrap_whole_quote(text: str) -> str | None:
    """The text one quotation level out, when every line of it is quoted; else None.

    Some boards print a post's own text inside a ``<blockquote>`` (vBulletin 4's
    ``blockquote.postcontent``, XenForo 1's ``blockquote.messageText``): rendered, the whole post
    read as a quotation ("> …"), and a quote box inside it as a quote in a quote.  A reply keeps
    words of its own, so a text quoted through and through is a post in a quoting container.
    """
    lines = text.split("\n")
    if not text.strip() or any(line.strip() and not line.startswith(">") for line in lines):
        return None
    out = []
    for line in lines:
        rest = line[1:]
        out.append(rest[1:] if rest.startswith(" ") else rest)
    return "\n".join(out).strip("\n")


_COUNTER_TEXT = re.compile(r"[+\-\u2212]?\d{1,7}")


def counter_link(node: Element) -> bool:
    """A script link showing only a number: a like, follower or reply counter beside the
    author ("3" before every text on a real news forum), or a post's number linking to its own
    anchor ("2" → ``…?postID=495173#post495173``, a board's permalink), not words of the
    comment.  A number linking to a page without an anchor (a reference) stays."""
    if node.tag != "a" or not _COUNTER_TEXT.fullmatch((text_of(node) or "").strip()):
        return False
    href = (node.get("href") or "").strip()
    return not href or href.startswith("javascript:") or "#" in href


# The words of a comment's own navigation links: to its parent, its thread, itself.
_NAV_WORDS = frozenset(
    {
        "parent",
        "thread",
        "context",
        "permalink",
        "link",
        "top",
        "up",
        "↑",
        "⬆",
        "^",
        "#",
        "übergeordnet",
        "parent comment",
        "show parent",
        "go to parent",
        "in context",
    }
)


# Links to neighbouring comments, taken as navigation only when they point into this page.
_SIBLING_NAV = frozenset({"next", "prev", "previous", "root"})
_TOGGLE = re.compile(r"\[\s*[-–−+x×]\s*\]", re.IGNORECASE)


def navigation_link(node: Element) -> bool:
    """A link whose whole text says where it leads in the thread ("parent", "thread",
    "permalink", "↑"): the comment's header, not its words (a minimal forum printed
    "| thread parent" before every text; session 10).  Only links: a sentence is never one."""
    if node.tag != "a":
        return False
    text = (text_of(node) or "").strip()
    if _TOGGLE.fullmatch(text):
        return True  # a collapse toggle "[-]" / "[+]" (an aggregator's comment header; session 11)
    if text.lower() in _SIBLING_NAV and (node.get("href") or "").startswith("#"):
        return True  # "next", "prev", "root" to another comment of the thread, on this page
    # A post's ordinal linking to the post itself ("#2" to "thread-214-post-1076.html#pid1076").
    return text.lower() in _NAV_WORDS or (
        bool(_ORDINAL_LINK.fullmatch(text)) and "#" in (node.get("href") or "")
    )


_ORDINAL_LINK = re.compile(r"#\s?\d{1,7}")


def set_depths(comments: list[Found]) -> None:
    """Each comment's depth from its parent's, in document order (a parent comes before its
    replies; a parent the list does not hold counts as top level's depth 0)."""
    depth: dict[str, int] = {}
    for comment in comments:
        comment.depth = depth.get(comment.parent_id, 0) + 1 if comment.parent_id else 1
        depth[comment.comment_id] = comment.depth


def quoted_posts(members: list[Element]) -> dict[Element, tuple[Element, str]]:
    """The blocks of a group that quote another post of it (see :func:`_quoted_links`), with
    the quoting link and the quoted post's anchor; :func:`mark_quotes` marks them once the
    caller has left them out of the group."""
    return {block: (link, target) for (block, link), target in _quoted_links(members).items()}


def mark_quotes(quotes: dict[Element, tuple[Element, str]]) -> None:
    """Mark each quote's box as a quotation: read as "> " lines in the quoting post's text, as
    quote boxes with a quote class are (the quoted words are not the replier's own)."""
    for block, (link, target) in quotes.items():
        _quote_box(block, link).set(QUOTE_MARK, target)


def _raw_text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _quoted_links(members: list[Element]) -> dict[tuple[Element, Element], str]:
    """Blocks that are quotes of another post, not replies: inside a post, and linking to a
    different post of the group that does not hold them ("Originally Posted by NAME <a
    href="#post123">" in a board's quote box, "NAME wrote: <a href="…#p123">↑</a>" in a
    blockquote: the box carried an author and a permalink, and every quoting post split into a
    post without its id and a "reply" that was the quote; batch 9b).  The link's target is the
    element of that id or anchor name on this page: a post of the group, inside it or around
    it.  A reply nested in its parent that links to that parent stays a reply."""
    if not members:
        return {}
    member_set = set(members)
    root = members[0].getroottree().getroot()
    named: dict[str, Element] = {}
    for node in root.iter():
        if isinstance(node.tag, str):
            for key in (node.get("id"), node.get("name") if node.tag == "a" else None):
                if key:
                    named.setdefault(key, node)
    quotes: dict[tuple[Element, Element], str] = {}
    for member in members:
        holders = {a for a in member.iterancestors() if a in member_set}
        if not holders:
            continue
        around = set(member.iterancestors())
        for link in member.iter("a"):
            href = link.get("href") or ""
            if "#" not in href or _nearest_or_self(link, member_set) is not member:
                continue
            fragment = href.rsplit("#", 1)[1]
            element = named.get(fragment)
            if element is None or element in around or element is member:
                continue  # no such element here, or the page section holding this block
            target = _nearest_or_self(element, member_set)
            if target is None:
                target = _first_member_in(element, member_set)
            if target is not None and target is not member and target not in holders:
                quotes[(member, link)] = fragment
                break
    return quotes


_TARGET_SCAN = 400  # nodes looked at under a link's target for the post it wraps


def _first_member_in(element: Element, members: set[Element]) -> Element | None:
    """The first block of the group inside ``element`` (a post's wrapper ``div#p123`` around
    its content block), looking at a bounded number of nodes."""
    for index, node in enumerate(element.iterdescendants()):
        if index >= _TARGET_SCAN:
            return None
        if node in members:
            return node
    return None


def _quote_box(block: Element, link: Element) -> Element:
    """The part of a block that is the quotation holding ``link``: the block's child on the
    way to the link, taken one level further down while that child holds all of the text (a
    message wrapper around the quote box and the post's own words)."""
    holder = block
    while True:
        child = next((c for c in holder if c is link or link in set(c.iterdescendants())), None)
        if child is None or child is link:
            return holder
        if _raw_text(child) != _raw_text(holder):
            return child
        holder = child


def _nearest_or_self(node: Element, members: set[Element]) -> Element | None:
    return node if node in members else enclosing(node, members)
