"""Comments found by structure alone: repeated sibling blocks that carry comment evidence.

Why: the other readers need either a known comment system's markup, a comment class inside a
named comment list, or an author *and* a date cue inside a comment area.  Real pages that fail
all three still show their comments unmistakably by *what repeats*: a list of blocks of the
same markup, each with a reply button, a permalink to itself, a comment or post id, an avatar,
an author line ("Anna says:"), a time.  Disqus's noscript list (a ``cite`` and a message per
``li``, no dates), forum and board post lists (``div#p123`` with a permalink ``#p123``, an
author and a time, in a page area named "topic" or nothing at all), wpDiscuz variants whose
ids the wpDiscuz reader does not know, Drupal threads printed above their heading: this is the
last fallback for them.

Evidence kinds, counted once per block and only where the block owns them (not inside a
nested block of the same group: a reply's button is not its parent's):

* specific to comments: ``reply`` (a reply button or ``?replytocom=`` link), ``permalink`` (a
  link to a fragment of this page naming a comment or post number), ``id`` (an own id or
  ``data-*`` attribute naming a comment, message or post with a number), ``class`` (a class
  naming one comment), ``says`` (an author line "Name says:", "Name sagt:");
* shared with other repeated content: ``author`` (``cite``, ``rel=author``, an author/user
  class), ``date`` (``time``, a date class, a short text that parses as a date), ``avatar``.

A group (same tag and stable classes, as :func:`generic._signature`) is read when at least two
blocks that are siblings under one parent each own two kinds, one of them specific, and two of
them hold 15 or more characters of own text.  Teasers are refused: a group where a third of the
blocks hold a heading linking elsewhere, a "read more" link or a comment count ("3 Kommentare")
is a list of posts, not of comments; so is anything in a navigation, header, footer, sidebar,
widget, related-posts or recent-comments container.

Nesting, in order of authority: depth classes or attributes (``depth-3``, ``level-2``,
``data-depth``), then enclosure (a block inside another is its reply) or a following replies
container, then indentation markup (inline ``margin-left``/``padding-left``, a spacer image's
width, an ``indent`` attribute).  With none of these the comments are read as top level with
``edge_confidence`` 0.5 and a note that the nesting is not known.
"""

from __future__ import annotations

import re
from collections import defaultdict

from analyzer.ingest.dates import parse_date
from analyzer.ingest.html_comments import forum_thread, generic, indentation, signs
from analyzer.ingest.html_comments.common import (
    SAYS,
    Element,
    Extraction,
    Found,
    block_text,
    classes,
    counter_link,
    declared_depth,
    id_from_name,
    line_of,
    mark_quotes,
    name_text,
    navigation_link,
    own_descendants,
    quoted_posts,
    stack_parents,
    text_of,
)
from analyzer.ingest.htmltext import input_form

# Confidence of edges inferred here.  Chosen, not fitted (no held-out page needed this
# reader): depth classes state the level the site meant, as in generic.CONF_NESTED; indentation
# is one rendering of it; top level without any nesting markup is a guess about the thread.
CONF_DEPTH = 0.7
CONF_INDENT = 0.6
CONF_UNKNOWN = 0.5
MIN_GROUP = 2
MIN_OWN_TEXT = 15
# A group is a list of posts (teasers), not of comments, when this share of its blocks looks
# like a teaser.  Chosen: one stray heading in a comment must not refuse the list.
TEASER_SHARE = 1 / 3

SPECIFIC = frozenset({"reply", "permalink", "id", "class", "says", "indent"})
_BLOCK_TAGS = ("li", "div", "article", "section", "dd", "blockquote", "tbody", "tr", "td", "table")

# Ids of one comment, message or post: "comment-12", "dsq-comment-12", "msg_12", "post-12",
# "p12" (phpBB), "reply-12", "note-12", "entry-12", "c12".  Post ids are also article teasers'
# ids (WordPress "post-12"): the teaser test below keeps those lists out.
# Also with "id" between word and number ("postid-119120", "pid2800": a WordPress forum plugin
# and a Flask forum), and a bare number of two digits or more (the Flask forum's post rows,
# id="2800"; HTML ids are rarely bare numbers otherwise).
_ID_NAME = re.compile(
    r"(?:^|[-_])(?:comment|kommentar|commentaire|comentario|commento|reply|msg|message|post|entry|note|"
    r"p|c|dsq-comment|reactie|komentarz)(?:[-_]?id)?[-_]?\d{1,20}$|^\d{2,20}$",
    re.IGNORECASE,
)
_ID_ATTRS = (
    "data-comment-id",
    "data-commentid",
    "data-post-id",
    "data-postid",
    "data-message-id",
    "data-reply-id",
)
_PERMALINK_FRAGMENT = re.compile(
    r"^#(?:[a-z-]*?(?:comment|kommentar|post|msg|message|reply|entry|note|p|c))(?:[-_]?id)?[-_]?\d{1,20}$",
    re.IGNORECASE,
)
_AVATAR = re.compile(
    r"avatar|gravatar|userpic|user-pic|profile[-_]?pic|identicon|photo[-_]?user", re.IGNORECASE
)
_AUTHOR_ITEMPROP = re.compile(r"^(?:author|creator)$", re.IGNORECASE)
# Containers whose repeated blocks are never this page's comments, by a part of a class token
# or id ("yarpp-related", "widget_recent_comments", "share-bar", "main-navigation").  Parts,
# not substrings: layout wrappers such as "content-sidebar-wrap" (Genesis) hold the comments.
_OFF_TOPIC_PARTS = frozenset(
    {
        "related",
        "teaser",
        "teasers",
        "popular",
        "recommended",
        "recommendations",
        "recommend",
        "yarpp",
        "trending",
        "promo",
        "newsletter",
        "breadcrumb",
        "breadcrumbs",
        "menu",
        "navbar",
        "navigation",
        "nav",
        "share",
        "sharing",
        "social",
        "sponsored",
        "advert",
        "advertisement",
        "recent",
        "latest",
        "tagcloud",
        "neueste",
        "aktuelle",
        "derniers",
        "masthead",
        # Dialogs and templates of comment plugins (an error dialog "Dein Kommentar wurde nicht
        # gespeichert" with comment classes on a real page; session 6).
        "modal",
        "dialog",
        "popup",
        "lightbox",
        "tooltip",
        "tmpl",
    }
)
# Whole tokens.  Not a bare "widget": Blogger's "widget Blog" holds the post and its comments.
_OFF_TOPIC_TOKENS = frozenset(
    {"sidebar", "secondary", "site-header", "site-footer", "page-header", "page-footer"}
)
# WordPress taxonomy and state classes on the article ("category-newsletter", "tag-social-media")
# name the post's subject, not a part of the page.
_TAXONOMY = (
    "category-",
    "tag-",
    "post-",
    "postid-",
    "format-",
    "type-",
    "status-",
    "author-",
    "topic-",
)
_PARTS = re.compile(r"[-_\s]+")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


# Class tokens that mark a comment's place or state in the thread ("wc-reply", "child-comment"):
# a list's top-level comments and its replies are one group.
_PLACE_TOKEN = re.compile(
    r"reply|child|sub[-_]?comment|nested|response|read-more|expanded|collapsed", re.IGNORECASE
)


def _signature(element: Element) -> tuple[str, frozenset[str]]:
    """Tag and stable class tokens (as the generic reader), without tokens of place or state;
    where a token names one comment, only those tokens: items of one comment list differ in
    the rest ("xenforo-comment" and "xenforo-comment xenforo-read-more-target" on a held-out
    page; "wc-comment" and "wc-blog-subscriber wc-comment wc-reply" on another)."""
    tag, tokens = generic._signature(element)
    stable = frozenset(t for t in tokens if not _PLACE_TOKEN.search(t))
    naming = frozenset(t for t in stable if signs.names_comment_token(t))
    return tag, naming or stable


def _tokens(element: Element) -> list[str]:
    return [t for t in [*classes(element), element.get("id") or ""] if t]


class _OffTopic:
    """Whether a block is inside navigation, the page's header or footer, sidebars, widgets,
    related or recent lists; memoised per element (every candidate block asks for all its
    ancestors).

    A container that names comments itself (``<aside id="comments">``) is not off topic; a
    ``header``/``footer`` is the page's only outside any ``article``/``main`` (a held-out theme
    prints its comments inside the article's ``footer.entry-meta``).
    """

    def __init__(self) -> None:
        self._off: dict[Element, bool] = {}
        self._content: dict[Element, bool] = {}

    def in_content(self, node: Element | None) -> bool:
        if node is None:
            return False
        if node not in self._content:
            self._content[node] = node.tag in ("article", "main") or self.in_content(
                node.getparent()
            )
        return self._content[node]

    def __call__(self, node: Element | None) -> bool:
        if node is None or node.tag in ("body", "html"):
            return False
        if node not in self._off:
            # The page's comment area (div#comments, ol.commentlist) ends the climb: markup left
            # unclosed in a sidebar widget above it must not make its comments a widget's.
            self._off[node] = self._own(node) or (
                not _comment_area(node) and self(node.getparent())
            )
        return self._off[node]

    def _own(self, node: Element) -> bool:
        tokens = _tokens(node)
        if any(generic._AREA.search(t) for t in tokens):
            return False
        # Not every <aside>: three held-out themes wrap their comment list in one.
        if (
            node.tag in ("nav", "template")
            or input_form(node)
            or (node.tag in ("header", "footer") and not self.in_content(node))
        ):
            return True
        for token in tokens:
            low = token.lower()
            if low.startswith(_TAXONOMY):
                continue
            if (
                low in _OFF_TOPIC_TOKENS
                or low.startswith(("widget_", "sidebar-"))
                or any(part in _OFF_TOPIC_PARTS for part in _PARTS.split(low))
            ):
                return True
        # A recent-comments list named so by its class or by the heading that opens it.
        if any(signs.RECENT.search(t) for t in tokens):
            return True
        heading = next((c for c in node if isinstance(c.tag, str) and c.tag in _HEADINGS), None)
        return heading is not None and bool(signs.RECENT.search(text_of(heading) or ""))


def _comment_area(node: Element) -> bool:
    """Whether an element names itself the comment area of the page ("comments", "commentlist",
    "comments-area"): a comment word, and no part saying widget, sidebar, recent or related."""
    if node.tag in ("nav", "template", "aside") or input_form(node):
        return False
    tokens = _tokens(node)
    return any(
        generic._AREA.search(t)
        and not signs.RECENT.search(t)
        and not t.lower().startswith(("widget", "sidebar"))
        and not any(
            part in _OFF_TOPIC_PARTS or part in ("widget", "sidebar")
            for part in _PARTS.split(t.lower())
        )
        for t in tokens
    )


def _page_urls(root: Element) -> set[str]:
    """This page's own addresses (canonical, og:url), without fragment and query."""
    urls: set[str] = set()
    for value in root.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content"):
        if isinstance(value, str) and value.strip():
            urls.add(value.strip().split("#")[0].split("?")[0].rstrip("/"))
    return urls


def _foreign(href: str, page_urls: set[str]) -> bool:
    """A link to another page: absolute or root-relative, and not one of this page's addresses."""
    if not href.startswith(("http://", "https://", "//", "/")):
        return False
    return href.split("#")[0].split("?")[0].rstrip("/") not in page_urls


def _is_permalink(href: str, page_urls: set[str]) -> bool:
    if "#" not in href:
        return False
    base, fragment = href.split("#", 1)
    if base and base.split("?")[0].rstrip("/") not in page_urls:
        return False  # another page's comment: a recent-comments link
    return bool(_PERMALINK_FRAGMENT.match("#" + fragment))


def _atoms(root: Element) -> list[tuple[Element, str]]:
    """Every element that is evidence of one comment, with its kind (one pass)."""
    page_urls = _page_urls(root)
    anchors = _numbered_anchors(root)
    anchor_set = set(anchors.values())
    atoms: list[tuple[Element, str]] = []
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str) or tag in ("script", "style", "head", "title", "meta", "link"):
            continue
        cls = element.get("class") or ""
        if tag in ("a", "button", "span"):
            href = element.get("href") or ""
            label = _raw(element) if len(element) <= 3 else ""
            if not label and len(element) == 1 and element[0].tag == "img":
                label = (
                    element[0].get("alt") or element[0].get("title") or ""
                ).strip()  # an icon button
            if (
                tag == "a"
                and "#" in href
                and _own_anchor_link(element, anchors.get(href.rsplit("#", 1)[1]), anchor_set)
            ):
                # A link to the numbered anchor of its own block ("#t880101" beside <a
                # name="t880101"> in one post's table): the post's permalink, whatever the page's
                # address looks like.
                atoms.append((element, "permalink"))
                continue
            if ("replytocom=" in href or "#" in href) and _foreign(href, page_urls):
                pass  # another page's comment (a recent-comments line): no evidence of this page's
            elif (
                "replytocom=" in href
                or "comment-reply" in cls
                or (label and signs.is_reply_button(label))
            ):
                atoms.append((element, "reply"))
                continue
            if tag == "a" and href and _is_permalink(href, page_urls):
                atoms.append((element, "permalink"))
                continue
        if tag == "img":
            if _AVATAR.search(f"{cls} {element.get('src') or ''} {element.get('alt') or ''}"):
                atoms.append((element, "avatar"))
            continue
        if _AVATAR.search(cls) and tag in ("div", "span", "a", "figure"):
            atoms.append((element, "avatar"))
            continue
        if tag == "time":
            atoms.append((element, "date"))
            continue
        if (
            tag == "cite"
            or "author" in (element.get("rel") or "")
            or _AUTHOR_ITEMPROP.match(element.get("itemprop") or "")
            or (
                tag not in ("img", "a", "html", "body")
                and len(element) <= 4
                and generic._AUTHOR_CLASS.search(cls) is not None
                and _author_class(element)
            )
        ):
            name = _raw(element)
            if 0 < len(name) <= 80:
                atoms.append((element, "author"))
                continue
        if len(element) <= 2 and tag in (
            "span",
            "div",
            "p",
            "strong",
            "b",
            "em",
            "small",
            "header",
        ):
            line = _raw(element)
            if 3 < len(line) <= 100 and SAYS.search(" " + line):
                atoms.append((element, "says"))
                continue
        if len(element) and tag in ("div", "span", "td", "p", "small"):
            # A date printed as the text before an element's first child ("Posté le DATE" before
            # icon links).
            lead = generic.joined_date_time(
                generic.lead_stripped(
                    " ".join((element.text or "").split()).strip(_TAIL_PUNCTUATION)
                )
            )
            if 6 <= len(lead) <= 40 and generic.date_like(lead):
                atoms.append((element, "date"))
    return atoms


def _numbered_anchors(root: Element) -> dict[str, Element]:
    """The page's empty anchors that carry a number (``<a name="t880101"></a>``), by name."""
    return {
        name: a
        for a in root.iter("a")
        if not len(a) and not (a.text or "").strip() and not a.get("href")
        for name in (a.get("name"), a.get("id"))
        if name and _NUMBERED_ANCHOR.fullmatch(name)
    }


def _own_anchor_link(link: Element, target: Element | None, anchors: set[Element]) -> bool:
    """Whether a link points to the numbered anchor of its own block: the smallest element
    holding both holds no other numbered anchor.  A link to another section's anchor (a company
    page's sections cross-linked by number: four sections read as comments) is no permalink."""
    if target is None:
        return False
    around = set(target.iterancestors())
    common = next((a for a in link.iterancestors() if a in around), None)
    if common is None or common.tag in ("body", "html"):
        return False
    seen = 0
    for anchor in common.iter("a"):
        if anchor in anchors:
            seen += 1
            if seen > 1:
                return False
    return True


_NUMBERED_ANCHOR = re.compile(r"[A-Za-z_-]{0,12}\d{3,20}")


def _raw(element: Element) -> str:
    """An element's text, whitespace collapsed, without the visible-text rendering (this runs
    on every link and span of a page; the rendering is for what is kept)."""
    return " ".join("".join(element.itertext()).split())


def _field_free(element: Element, pattern: re.Pattern[str]) -> bool:
    """Whether a class token matches, BEM field modifiers left out: Drupal's
    "field--name-comment-body" names a field, not a person."""
    return any(pattern.search(t) for t in classes(element) if "--" not in t)


def _author_class(element: Element) -> bool:
    return _field_free(element, generic._AUTHOR_CLASS)


def _own_kinds(element: Element) -> set[str]:
    """Kinds a block carries on itself: an id naming one comment, a class naming one."""
    kinds: set[str] = set()
    if any(element.get(a) for a in _ID_ATTRS) or _ID_NAME.search(element.get("id") or ""):
        kinds.add("id")
    else:
        # An empty anchor first in the block: <li><a name="comment-605015"></a>… (a real
        # styled-components theme whose class names are hashes; session 6).
        lead = next((c for c in element if isinstance(c.tag, str)), None)
        if element.tag == "tr" and lead is not None and lead.tag in ("td", "th"):
            # A post printed as a table row: the anchor opens its first cell (a board's
            # <tr><td><a name="3857499"></a>NAME…</td><td>…post…</td></tr>; held-out batch 10).
            lead = next((c for c in lead if isinstance(c.tag, str)), None)
        if (
            lead is not None
            and lead.tag == "a"
            and not len(lead)
            and not (lead.text or "").strip()
            and _ID_NAME.search(lead.get("id") or lead.get("name") or "")
        ):
            kinds.add("id")
    if signs.names_one_comment(element):
        kinds.add("class")
    return kinds


def _nearest(atom: Element, members: set[Element]) -> Element | None:
    for node in atom.iterancestors():
        if node in members:
            return node
    return None


def extract(root: Element) -> Extraction | None:
    """Comments found by repeated evidence-carrying blocks, or None."""
    atoms = _atoms(root)
    if not atoms:
        return None
    subtree: dict[Element, set[str]] = defaultdict(set)
    for atom, kind in atoms:
        for node in atom.iterancestors():
            if node.tag in ("body", "html"):
                break
            subtree[node].add(kind)
    groups: dict[tuple[str, frozenset[str]], list[Element]] = defaultdict(list)
    loose: dict[tuple[str, frozenset[str]], list[Element]] = defaultdict(list)
    for element, kinds in subtree.items():
        if not _block_tag(element):
            continue
        kinds = kinds | _own_kinds(element)
        if len(kinds) < 2:
            continue
        loose[_signature(element)].append(element)
        if kinds & SPECIFIC:
            groups[_signature(element)].append(element)
    indented: set[Element] = set()
    for signature, members in _authored(subtree).items():
        threaded = indentation.threaded(members, generic._date_el)
        if threaded:
            indented |= threaded
            known = set(groups.get(signature, []))
            groups[signature] = [m for m in members if m in known or m in threaded]
    best: tuple[list[Element], dict[Element, set[str]]] | None = None
    best_key: tuple[int, int] = (0, 0)
    off_topic = _OffTopic()
    for signature, members in groups.items():
        if len(members) < MIN_GROUP or any(_LIST_CLASS.match(t) for t in signature[1]):
            continue
        chosen = _settle(members, atoms, indented)
        if chosen is None:
            continue
        kept, owned = _readmit(*chosen, loose[signature], atoms)
        if not _signature(kept[0])[1]:
            # Class-less blocks (<div>, <li>) are everywhere: only those that carry a comment
            # id of their own are read (a held-out Epoch page's bare wrappers were 27 ghosts).
            kept = [m for m in kept if "id" in owned[m]]
            if len(kept) < MIN_GROUP:
                continue
        off = [m for m in kept if off_topic(m)]
        if len(off) * 2 > len(kept):
            continue
        kept = [m for m in kept if m not in set(off)]
        if len(kept) < MIN_GROUP:
            continue
        member_set = set(kept)
        if sum(signs.is_teaser(m, member_set) for m in kept) > TEASER_SHARE * len(kept):
            continue
        if sum(len(_floor_text(m, member_set)) >= MIN_OWN_TEXT for m in kept) < MIN_GROUP:
            continue
        if not _has_siblings(kept):
            continue
        depth = min(sum(1 for _ in m.iterancestors()) for m in kept)
        # A block whose own class or id names a comment counts twice: a layout class ("row")
        # that also wraps the page's post must not beat the comment list it holds (a held-out
        # deals page: 27 "row" blocks, the post among them, against 26 "comment" blocks).
        key = (sum(1 + bool(owned[m] & {"class", "id"}) for m in kept), -depth)
        if key > best_key:
            best, best_key = (kept, owned), key
    if best is None:
        return _lone(root, subtree, atoms, off_topic)
    kept, owned = best
    # A block numbered 0 among numbered ones is a placeholder, not a comment: a forum's ad slot
    # printed as a post ("p0", "post--0" after "p7", "p655"; a real page, round 4 left it as
    # the one invented comment there).  Comment and post numbers start at 1.
    numbers = {m: _comment_number(m) or generic._element_id(m) for m in kept}
    if any(n not in (None, "0") for n in numbers.values()):
        placeholders = [m for m in kept if (numbers[m] or "x").lstrip("0") == ""]
        if placeholders and len(kept) - len(placeholders) >= 1:
            kept = [m for m in kept if m not in set(placeholders)]
    quoting = quoted_posts(kept)
    if quoting and len(kept) - len(quoting) >= MIN_GROUP:
        kept = [m for m in kept if m not in quoting]
        mark_quotes(quoting)
    position = {e: i for i, e in enumerate(root.iter())}
    kept = sorted(kept, key=position.__getitem__)  # document order: the pre-order rule needs it
    member_set = set(kept)
    return _build(kept, owned)


# A block whose class names a comment LIST is the list (or a tab of it), not one comment: a real
# news page printed two empty comment-list tabs that were read as two comments (session 6).
_LIST_CLASS = re.compile(r"^(?:[a-z0-9]+[-_])?(?:comments?[-_]list|commentlist)$", re.IGNORECASE)


def _lone(
    root: Element,
    subtree: dict[Element, set[str]],
    atoms: list[tuple[Element, str]],
    off_topic: _OffTopic,
) -> Extraction | None:
    """The one comment of a page that has exactly one (issue 12, session 6: real pages with a
    single comment gave 0 and a warning, because a list needs two blocks).

    Stricter than a group, since nothing repeats to confirm it: the block names itself a
    comment (its own class or comment id), owns two specific kinds of evidence and an author,
    date or avatar, sits inside an element naming itself the comment area (``#comments``,
    ``.comment-list``), is no form, teaser or widget, and holds 15+ characters of its own text.
    Nested candidates give the innermost; two unrelated ones give nothing (a list the group
    rules refused is not read one block at a time).
    """
    cheap: list[tuple[int, Element]] = []
    for element, kinds in subtree.items():
        if not _block_tag(element) or not _own_kinds(element) or not _names_one(element):
            continue
        kinds = kinds | _own_kinds(element)
        if len(kinds & SPECIFIC) < 2 or not kinds & {"author", "date", "avatar"}:
            continue
        ancestors = list(element.iterancestors())
        if not any(_comment_area(a) for a in ancestors) or off_topic(element):
            continue
        cheap.append((len(ancestors), element))
    # Exactly one candidate may pass (nested or unrelated, a second one refuses the page).  The
    # text checks walk a block's whole subtree: asked innermost first and stopped at the second
    # that passes, they no longer walk every level of a deep chain (a malformed board nests each
    # post in the one before; session 11).
    candidates: list[Element] = []
    for _, element in sorted(cheap, key=lambda pair: -pair[0]):
        if _form_block(element, {element}) or signs.is_teaser(element, {element}):
            continue
        if len(_floor_text(element, {element})) < MIN_OWN_TEXT:
            continue
        candidates.append(element)
        if len(candidates) > 1:
            return None
    if len(candidates) != 1:
        return None
    block = candidates[0]
    owned = {block: set(_own_kinds(block))}
    for atom, kind in atoms:
        if block in set(atom.iterancestors()):
            owned[block].add(kind)
    found = _build([block], owned)
    found.notes.append("a single comment block: read as the page's only comment, top level")
    return found


# One comment named by a class token in the singular ("comment", "c-comment", "comment-item"),
# not a plural container ("tab-comments": a real sidebar tab of recent comments was read as a
# comment before this rule; session 6).
_ONE_COMMENT_CLASS = re.compile(
    r"^(?:[a-z0-9]+[-_]{1,2})?(?:comment|kommentar|commentaire|comentario|commento|reactie|komentarz)"
    r"(?:[-_]{1,2}(?:item|entry|body|wrap|wrapper|container|content|card|block|single))?$",
    re.IGNORECASE,
)


def _names_one(element: Element) -> bool:
    """Whether a block names ONE comment: a numbered comment id (its own, a data attribute or
    an empty leading anchor's) or a singular comment class token."""
    if "id" in _own_kinds(element):
        return True
    return any(_ONE_COMMENT_CLASS.match(t) for t in classes(element))


def _block_tag(element: Element) -> bool:
    """Whether an element's tag may hold one comment.  A table cell only when it is its row's
    one cell with words: a board printing each post as one cell per row is read by its cells,
    but where a row holds a profile cell beside the message cell (name, rank, "Posts: 949"),
    the row is the post; the profile cell alone, holding the name anchor, was read as the post
    with the member card for its text (held-out batch 10: two table-layout boards, 47 cards
    read as posts)."""
    if element.tag not in _BLOCK_TAGS:
        return False
    if element.tag != "td":
        return True
    row = element.getparent()
    return row is None or not any(
        cell is not element
        and cell.tag in ("td", "th")
        and len((text_of(cell) or "").strip()) >= MIN_OWN_TEXT
        for cell in row
    )


def _authored(subtree: dict[Element, set[str]]) -> dict[tuple[str, frozenset[str]], list[Element]]:
    """Blocks holding an author cue, by markup signature (candidates for an indented thread)."""
    groups: dict[tuple[str, frozenset[str]], list[Element]] = defaultdict(list)
    for element, kinds in subtree.items():
        if _block_tag(element) and "author" in kinds:
            groups[_signature(element)].append(element)
    return groups


def _settle(
    members: list[Element], atoms: list[tuple[Element, str]], indented: set[Element]
) -> tuple[list[Element], dict[Element, set[str]]] | None:
    """Members that own two kinds of evidence, one specific (atoms go to the nearest member);
    twice, since dropping a wrapper hands its atoms to the next member up."""
    kept = list(members)
    owned: dict[Element, set[str]] = {}
    for _ in range(2):
        member_set = set(kept)
        owned = {m: _own_kinds(m) | ({"indent"} if m in indented else set()) for m in kept}
        for atom, kind in atoms:
            holder = _nearest(atom, member_set)
            if holder is not None:
                owned[holder].add(kind)
        for m in kept:
            # A date cue found by parsing leaf texts is costly: looked for only where it
            # decides (one specific kind and nothing else yet).
            if "date" not in owned[m] and len(owned[m]) == 1 and owned[m] & SPECIFIC:
                date = generic._date_el(m)
                if date is not None and _nearest(date, member_set) is m:
                    owned[m].add("date")
        # A block holding a form is the comment form ("Ihr Name", a text area), not a comment,
        # unless it has words of its own outside the form (a comment with a hidden reply form).
        still = [
            m
            for m in kept
            if len(owned[m]) >= 2 and owned[m] & SPECIFIC and not _form_block(m, member_set)
        ]
        if len(still) == len(kept):
            break
        kept = still
        if len(kept) < MIN_GROUP:
            return None
    if len(kept) < MIN_GROUP:
        return None
    return kept, {m: owned[m] for m in kept}


def _form_block(block: Element, members: set[Element]) -> bool:
    """A block that is a comment form: it holds a form or text area and has fewer than
    MIN_OWN_TEXT characters of its own outside forms, links and nested blocks."""
    if next(block.iterdescendants("form", "textarea"), None) is None:
        return False
    return len(_floor_text(block, members)) < MIN_OWN_TEXT


def _readmit(
    kept: list[Element],
    owned: dict[Element, set[str]],
    candidates: list[Element],
    atoms: list[tuple[Element, str]],
) -> tuple[list[Element], dict[Element, set[str]]]:
    """Blocks of the chosen markup that own two kinds of evidence but none specific: a reply at
    the thread's deepest level has no Reply button (WordPress prints none there), yet it is one
    of the list's comments (four in a disguised shared capture)."""
    extra = [c for c in candidates if c not in owned and not _form_block(c, set(kept) | {c})]
    if not extra:
        return kept, owned
    member_set = set(kept) | set(extra)
    mine: dict[Element, set[str]] = {e: _own_kinds(e) for e in extra}
    for atom, kind in atoms:
        holder = _nearest(atom, member_set)
        if holder is not None and holder in mine:
            mine[holder].add(kind)
    admitted = {e for e in extra if len(mine[e]) >= 2}
    if not admitted:
        return kept, owned
    return [*kept, *admitted], {**owned, **{e: mine[e] for e in admitted}}


WRAPPER_LEVELS = 4


def _has_siblings(members: list[Element]) -> bool:
    """At least two blocks under one parent, directly or each in wrappers of its own (up to
    four levels: a held-out Drupal theme puts every comment in a card of three ``div``s): a
    repeated list, not scattered look-alikes."""
    below: dict[Element, int] = defaultdict(int)  # members inside each element
    for m in members:
        for a in m.iterancestors():
            below[a] += 1
    parents: dict[Element | None, int] = defaultdict(int)
    for m in members:
        node, held = m, 1 + below.get(m, 0)
        for _ in range(WRAPPER_LEVELS):
            parent = node.getparent()
            if parent is None or below[parent] != held:
                break  # the parent holds other blocks too: it is the list
            node = parent
        parents[node.getparent()] += 1
    return max(parents.values()) >= MIN_GROUP


# Parts of a post that are not its text: the poster's profile column, signature, post counts.
_PROFILE = re.compile(
    r"profile|signature|user-?info|user-?stats|postcount|poster-?info", re.IGNORECASE
)

# Author, date and button lines are short; a class that merely contains "name" or "meta" on a
# long element is a body ("field--name-comment-body", Drupal 8).
SHORT_LINE = 100


def _named_short(node: Element) -> bool:
    return (
        generic._matches(node, generic._CHROME_CLASS)
        or generic._matches(node, generic._AUTHOR_CLASS)
        or generic._matches(node, generic._DATE_CLASS)
        or generic._matches(node, _PROFILE)
    )


def _exclude(members: set[Element], block: Element, extra: set[Element]) -> object:
    def exclude(node: Element) -> bool:
        return (
            (node in members and node is not block)
            or node in extra
            or node.tag in ("button", "img", "time", "cite", "script", "style", *_HEADINGS)
            or input_form(node)
            or generic.hidden_quote(node)
            or (node.tag in ("a", "span") and signs.is_reply_button(text_of(node) or ""))
            or counter_link(node)
            or navigation_link(node)
            or generic._matches(node, generic._REPLIES_CONTAINER)
            or "author" in (node.get("rel") or "")
            or _AUTHOR_ITEMPROP.match(node.get("itemprop") or "") is not None
            or (
                _named_short(node)
                and len(text_of(node) or "") <= SHORT_LINE
                and not generic.holds_text_element(node)
            )
            # A post's profile column (a board's td.userinfo: name, registration date, title) and
            # screen-reader skip links, as in the generic reader.
            or generic._token_matches(node, generic._ASSISTIVE)
            or (
                generic._token_matches(node, generic._PROFILE_COLUMN)
                and not generic._long_prose(node)
            )
            or signs.is_edit_note(node)
            or generic.hidden_menu(node)
        )

    return exclude


def _floor_text(block: Element, members: set[Element]) -> str:
    """Own text without links: what a recent-comments line ("Anna on <a>Post title</a>") does
    not have.  Only for choosing the list; the comments' texts keep their links."""
    links = {
        a
        for a in own_descendants(block, members)
        if a.tag == "a" and not (a.get("href") or "#").startswith("#")
    }
    return block_text(block, _exclude(members, block, links))  # type: ignore[arg-type]


def _text(
    block: Element, members: set[Element], date: Element | None, author: str | None = None
) -> str:
    """The block's own text without author line, date, buttons, headings and profile.

    A first line "NAME writes:" is the author line, unless it names someone other than the
    block's known author: then the commenter is quoting that person ("Rick Doe writes:" over a
    quoted sentence of the article, a real news site; aside4), and the line is the comment's."""
    extra = {
        e
        for e in block.iterdescendants()
        if isinstance(e.tag, str)
        and len(e) <= 2
        and 3 < len(_raw(e)) <= 100
        and SAYS.search(" " + _raw(e))
        and _names_author(_raw(e), author)
    }
    if date is not None:
        extra.add(_date_line(date, block))
    column = poster_column(block, members)
    if column is not None:
        extra.add(column)
    # Leading separator lines ("|" left of a header whose links were chrome) go, as in the
    # generic reader.
    text = generic._separators_dropped(block_text(block, _exclude(members, block, extra)))  # type: ignore[arg-type]
    first, _, rest = text.partition("\n")
    if rest and _SAYS_LINE.match(first) and _names_author(first, author):
        return rest.lstrip("\n")
    return text


def _names_author(line: str, author: str | None) -> bool:
    """Whether a "NAME writes:" line may be the author line: no author known, or it names him."""
    if not author:
        return True
    folded = "".join(c for c in author.casefold() if c.isalnum())
    return not folded or folded in "".join(c for c in line.casefold() if c.isalnum())


# Words that join a date to its line ("on <time>", "am <time>", "le <time>", "· <time>"): a line
# holding nothing else is the date's line, not text (a real page left "on" before every text).
_DATE_CONNECTOR = re.compile(
    r"^[\W_]*(?:on|at|posted|am|um|vom|le|du|el|il|op|dnia|в|от)?[\W_]*$", re.IGNORECASE
)


def _date_line(date: Element, block: Element) -> Element:
    """The date element, or the wrapper around it whose other text is only a connector word."""
    node = date
    date_text = _raw(date)
    while (parent := node.getparent()) is not None and parent is not block:
        rest = _raw(parent).replace(date_text, "", 1)
        if len(rest) > 20 or not _DATE_CONNECTOR.match(rest):
            break
        node = parent
    return node


def _own(block: Element, members: set[Element], found: Element | None) -> Element | None:
    return found if found is not None and _nearest(found, members) is block else None


def _author(block: Element, members: set[Element]) -> str | None:
    """A name element of the block's own (``a.username``, ``span.nick``, ``cite.fn``), else the
    generic author cue, else an author line "NAME says:"."""
    for node in block.iterdescendants():
        if (
            isinstance(node.tag, str)
            and _field_free(node, generic._NAME_CLASS)
            and 0 < len(text_of(node) or "") <= 60
            and _nearest(node, members) is block
        ):
            return name_text(node) or None

    def author_cue(n: Element) -> bool:
        return (
            isinstance(n.tag, str)
            and n.tag not in ("img", "a")
            and (n.tag == "cite" or _author_class(n))
            and 0 < len(text_of(n) or "") <= 80
            # A hidden pop-up menu under the name ("div.forum_author_menu" with "View Profile",
            # "View Posts"; a game platform's discussions, batch 9b) names no one.
            and not generic.hidden(n, block)
        )

    cue = next(
        (n for n in block.iterdescendants() if author_cue(n) and _nearest(n, members) is block),
        None,
    )
    while cue is not None:
        # The innermost cue: a poster column classed "userinfo" holds the name ("dt.author")
        # beside the registration date and a user title (a real board: "NAME Dec 29, 2006
        # TITLE" was read as every author; session 11).
        inner = next((n for n in cue.iterdescendants() if author_cue(n)), None)
        if inner is None:
            return generic._author_name(cue)
        cue = inner
    # A link classed as the poster ("a.hnuser", "a.username-link") in the block's header, outside
    # its paragraphs: the name (links were left out above, where a class names a cue box).
    link = next(
        (
            n
            for n in block.iterdescendants("a")
            if _author_class(n)
            and 0 < len(text_of(n) or "") <= 60
            and _nearest(n, members) is block
            and not any(a.tag in ("p", "blockquote") for a in n.iterancestors())
        ),
        None,
    )
    if link is not None:
        return (text_of(link) or "").strip() or None
    # "<strong>NAME</strong> sagt:<br>": the verb is the name element's tail, not inside any
    # element of its own (a real theme; session 6).  Asked before the whole line, which may
    # also hold a date and buttons ("Report this Comment On December 23, 2014, at 10:07 PM,
    # <a>NAME</a> wrote:", a real news site; session 7).
    for node in block.iterdescendants("strong", "b", "cite", "a", "span"):
        tail = (node.tail or "").strip()
        if tail and len(tail) <= 20 and _nearest(node, members) is block:
            name = text_of(node) or ""
            if 0 < len(name) <= 60 and SAYS.search(f" {name} {tail}"):
                return name
    for node in block.iterdescendants():
        if isinstance(node.tag, str) and len(node) <= 2 and _nearest(node, members) is block:
            line = text_of(node) or ""
            if 3 < len(line) <= 100 and SAYS.search(" " + line):
                return name_text(node) or None
    column = poster_column(block, members)
    if column is not None:
        # The poster's column of a table layout: its first emphasised short line is the name.
        for node in column.iter("b", "strong", "a", "span"):
            name = (text_of(node) or "").strip()
            if 1 < len(name) <= 40 and ":" not in name and not name.isdigit():
                return name
    return None


def poster_column(block: Element, members: set[Element]) -> Element | None:
    """A table cell of the block that shows the poster (an avatar) and no text of the post: the
    profile column of a board's table layout ("NAME / avatar / Profil : Membre" beside the post;
    a French board, session 11).  A cell holding a paragraph of prose or a date is no such column."""
    for cell in own_descendants(block, members):
        if cell.tag not in ("td", "th"):
            continue
        if not any(
            _AVATAR.search(f"{i.get('class') or ''} {i.get('src') or ''} {i.get('alt') or ''}")
            or _AVATAR.search(i.getparent().get("class") or "")
            for i in cell.iter("img")
        ):
            continue
        if (
            generic._long_prose(cell)
            or generic._date_el(cell) is not None
            or cell.find(".//p") is not None
        ):
            continue
        return cell
    return None


# A first text line that is only the author line "NAME sagt:" / "NAME says:" (its verb sits
# outside any element, so the element rules cannot leave it out).
_SAYS_LINE = re.compile(
    r"^[-–•*\s]*+(?:[^\n]{1,60}?\s)?(?:sagt|says|schreibt|schrieb|writes|wrote|dijo|escribió|a\s+dit|écrit|ha\s+detto|scrive|"
    r"zegt|schreef|napisał|napisała|pisze|пишет|написал|написала)\s*:?\s*$",
    re.IGNORECASE,
)


# The number after a comment word in an id: "wc-comm-12_0" (wpDiscuz: id, then parent) → 12.
_NUMBER_AFTER_WORD = re.compile(
    r"(?:comment|comm|kommentar|post|msg|message|reply|entry|note)[-_]?(\d{1,20})", re.IGNORECASE
)


def _explicit_id(block: Element) -> str | None:
    """A comment id stated in a data attribute of the block."""
    for attribute in _ID_ATTRS:
        value = (block.get(attribute) or "").strip()
        if value:
            return value
    return None


def _comment_number(block: Element) -> str | None:
    explicit = _explicit_id(block)
    if explicit:
        return explicit
    match = _NUMBER_AFTER_WORD.search(block.get("id") or "")
    if match is None:
        return None
    # A key that is more than a number ("comment_1314239400067-e19cdf02-…") is kept whole.
    key = id_from_name(block.get("id"))
    return (
        key
        if key and len(key) > len(match.group(1)) and key.startswith(match.group(1))
        else match.group(1)
    )


_TAIL_PUNCTUATION = " \t\n\u00a0»«|·•-–—@,:;()"


def _without_line(text: str, line: str) -> str:
    """The text without its first line that is ``line`` (a bare date printed before the words)."""
    lines = text.split("\n")
    for index, candidate in enumerate(lines):
        if candidate.strip(_TAIL_PUNCTUATION) == line:
            del lines[index]
            break
    return "\n".join(lines).strip()


def _bare_date(block: Element, members: set[Element]) -> str | None:
    """A date printed as bare text between elements ("by <strong>NAME</strong> » Tue Mar 05,
    2024 7:42 pm"): the first short text tail of the block's own that parses as a date."""
    for node in block.iterdescendants():
        if not isinstance(node.tag, str) or _nearest(node, members) is not block:
            continue
        # Whitespace folded and a leading "On"/"Am"/"Le" dropped: "On December 23, 2014,
        # <newline, tabs> at 10:07 PM, NAME wrote:" (a real news site; session 7).  Also the
        # text an element holds before its first child: "Posté le 12-03-2015 à 10:11:12"
        # before the post's icon links (a French board; session 11).
        holder = node.getparent()
        for raw, shown_in in ((node.text if len(node) else None, node), (node.tail, holder)):
            text = generic.lead_stripped(" ".join((raw or "").split()).strip(_TAIL_PUNCTUATION))
            text = text.strip(_TAIL_PUNCTUATION)
            text = generic.joined_date_time(text)
            if (
                6 <= len(text) <= 40
                and generic.date_like(text)
                and not generic.hidden(shown_in if shown_in is not None else node, block)
                and not signs.in_edit_note(shown_in if shown_in is not None else node, block)
            ):
                return text
    return None


_PING = re.compile(r"^(?:pingback|trackback|pings?)$", re.IGNORECASE)


def _is_ping(block: Element) -> bool:
    """A pingback or trackback (by its own or a wrapper's class, up to two levels): kept apart."""
    node: Element | None = block
    for _ in range(3):
        if node is None:
            return False
        if any(_PING.match(t) for t in classes(node)):
            return True
        node = node.getparent()
    return False


def _enclosure(element: Element, members: set[Element]) -> tuple[Element | None, float, int]:
    """Parent by enclosure, or by a replies container (``div.indented``) that follows the
    parent or the parent's own wrapper (Drupal cards) as a sibling; as generic._parent."""
    depth = 1
    parent: Element | None = None
    confidence = generic.CONF_TOP
    node = element
    while (container := node.getparent()) is not None:
        if container in members:
            depth += 1
            if parent is None:
                parent, confidence = container, generic.CONF_NESTED
        elif generic._matches(container, generic._REPLIES_CONTAINER):
            sibling = container.getprevious()
            while sibling is not None and not isinstance(sibling.tag, str):
                sibling = sibling.getprevious()
            found = None
            if sibling is not None:
                inside = [
                    m for m in sibling.iter() if m in members and _nearest(m, members) is None
                ]
                found = (
                    sibling if sibling in members else (inside[-1] if len(inside) == 1 else None)
                )
            if found is not None:
                depth += 1
                if parent is None:
                    parent, confidence = found, generic.CONF_SIBLING
        node = container
    return parent, confidence, depth


def _build(members: list[Element], owned: dict[Element, set[str]]) -> Extraction:
    member_set = set(members)
    out = Extraction("structure")
    declared = {m: declared_depth(m) for m in members}
    held = indentation.holders(member_set)
    indents = {m: indentation.indent(m, member_set, held) for m in members}
    enclosure = {m: _enclosure(m, member_set) for m in members}
    how: str
    if all(v is not None for v in declared.values()):
        levels = {m: float(declared[m] or 0) for m in members}
        parents = stack_parents(members, levels)
        confidence = {m: CONF_DEPTH for m in members}
        how = "depth classes"
        disagree = sum(
            1
            for m in members
            if (enclosure[m][0] is not None) and enclosure[m][0] is not parents[m]
        )
        if disagree:
            out.warnings.append(
                f"{disagree} block(s) nested differently from their depth classes; the classes were followed"
            )
    elif any(p is not None for p, _, _ in enclosure.values()):
        parents = {m: enclosure[m][0] for m in members}
        confidence = {m: enclosure[m][1] for m in members}
        how = "nesting"
    elif all(v is not None for v in indents.values()) and len(set(indents.values())) > 1:
        parents = stack_parents(members, {m: float(indents[m] or 0) for m in members})
        confidence = {m: CONF_INDENT for m in members}
        how = "indentation"
    else:
        parents = {m: None for m in members}
        confidence = {m: CONF_UNKNOWN for m in members}
        how = "unknown"
    depth_of: dict[Element, int] = {}
    ids: dict[Element, str] = {}
    own_ids = [
        _explicit_id(m)
        or generic.permalink_id(m, member_set)
        or _comment_number(m)
        or generic._element_id(m)
        or generic._wrapper_id(m, member_set)
        or generic.inner_id(m, member_set)
        for m in members
    ]
    repeated = {i for i in own_ids if i is not None and own_ids.count(i) > 1}
    n_generated = 0
    evidence: dict[str, int] = defaultdict(int)
    for index, block in enumerate(members):
        for kind in owned[block]:
            evidence[kind] += 1
        comment_id = own_ids[index]
        if comment_id is None or not comment_id.strip() or comment_id in repeated:
            n_generated += 1
            comment_id = f"html-{index + 1}"
            generated = True
        else:
            generated = False
        ids[block] = comment_id
        ping = _is_ping(block)
        if ping:
            evidence["pingback"] += 1
        parent = parents[block]
        depth_of[block] = depth_of.get(parent, 0) + 1 if parent is not None else 1
        line_el, by_name, by_date = generic.byline(block, member_set)
        date = _own(block, member_set, generic._date_el(block))
        if line_el is not None and (date is None or date in set(line_el.iter())):
            date = line_el  # "von NAME am DATE": the byline states both (a real forum; session 6)
        bare = None if date is not None else _bare_date(block, member_set)
        author = by_name if line_el is not None else _author(block, member_set)
        text = _text(block, member_set, date, author)
        date_value = None if date is None or date is line_el else generic.date_attribute(date)
        created = parse_date(date_value) if date_value else None
        if created is not None and date is not None and len(date_value or "") <= 10:
            visible = parse_date(text_of(date) or "")
            if visible is not None and visible.date() == created.date():
                created = visible
        out.comments.append(
            Found(
                comment_id=comment_id,
                parent_id=ids.get(parent) if parent is not None else None,
                depth=depth_of[block],
                author=author,
                text=_without_line(text, bare) if bare else text,
                line=line_of(block),
                created_at=created,
                date_text=(
                    by_date
                    if date is line_el and line_el is not None
                    else (text_of(date) if date is not None and created is None else date_value)
                    or bare
                ),
                edge_confidence=confidence[block],
                id_generated=generated,
                kind="ping" if ping else "comment",
            )
        )
    tag, tokens = _signature(members[0])
    listed = ", ".join(
        f"{k} {v}" for k, v in sorted(evidence.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    out.notes.append(
        f'no known comment system: {len(members)} {"repeated blocks" if len(members) > 1 else "block"} <{tag} class="{" ".join(sorted(tokens))}">'
        f" read as comments by their evidence ({listed})"
        + (
            f"; reply links from {how}"
            if how != "unknown"
            else "; nesting unknown: the markup shows none (no enclosure, depth classes or indentation), so every comment"
            f" is read as top level with edge_confidence {CONF_UNKNOWN}; replies among them cannot be told apart"
        )
        + (f"; {n_generated} ids generated" if n_generated else "")
    )
    out.opening_post = forum_thread.opening(members[0].getroottree().getroot(), members[0])
    return out
