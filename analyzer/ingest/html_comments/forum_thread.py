"""Whether a forum thread's first post on the page is the thread's opening post.

One rule for every reader (page text has it in :mod:`analyzer.ingest.forumposts`): when the
page starts the thread, the first post is the thread's article (its text the article body, its
poster the article's author) and only the replies are comments; a later page of the thread has
no opening post, and every post on it is a comment.  The HTML readers of board markup
(XenForo, NodeBB and vBulletin's microdata, numbered post blocks) list every post; this module
tells the HTML reader whether the first of them opens the thread, and why (the
``forum-opening-post`` info issue).

A post, not a blog comment: only elements that name themselves a forum post (``id="post-N"``,
``post_N``, NodeBB's ``component="post"``, classes ``message--post``, ``postbit``,
``postcontainer``) are asked about; a blog's numbered comments are never an opening post.
"""

from __future__ import annotations

import re

from analyzer.ingest.html_comments.common import Element, classes, text_of

# "post-12", "post_12", "js-post-12"; with a word between ("postRow12": WoltLab Burning Board).
_POST_ID = re.compile(
    r"^(?:js-)?post(?:[_-]?(?:row|bit|container|item|entry|content|body))?[_-]?\d{1,20}$", re.IGNORECASE
)
_POST_TOKENS = frozenset(
    {"message--post", "js-post", "postbit", "postcontainer", "forum-post", "tpost"}
)
# A class marking the thread's own first post ("threadStarterPost", "first-post", "topic-starter",
# "opening-post"): the board says the post opens the thread.
_STARTER_TOKEN = re.compile(
    r"^(?:thread|topic)[-_]?starter(?:[-_]?post)?$|^(?:first|opening|original)[-_]?post$",
    re.IGNORECASE,
)
# "#1", "# 1", "Post #1", "Beitrag #1": the post's ordinal in the thread.
_ORDINAL = re.compile(r"^\s*(?:[A-Za-zÀ-ÿ]{1,12}\s*)?#\s?(\d{1,7})\s*$")
# "Page 2 of 9", "Seite 3 von 5", "Page 2": a later page of the thread.
_PAGE_OF = re.compile(
    r"\b(?:page|seite|página|pagina|pagina|strona)\s+(\d{1,5})\s+(?:of|von|de|di|van|z)\s+\d{1,5}\b",
    re.IGNORECASE,
)
# Attributes numbering a post in its thread from 1.
_NUMBER_ATTRS = ("data-idx", "data-post-number", "data-post-nr", "data-number", "data-post-index")
# A link to the previous page of the thread, by its title or label ("Previous page", "Vorherige
# Seite", "Page précédente", "Página anterior", "Pagina precedente", "Vorige pagina", "Poprzednia
# strona", "Предыдущая страница").
_PREVIOUS_PAGE = re.compile(
    r"^\s*(?:(?:go\s+to\s+)?previous(?:\s+page)?|prev(?:\.|ious)?\s+page|vorherige(?:\s+seite)?|zurück|"
    r"page\s+précédente|précédente|página\s+anterior|pagina\s+precedente|vorige(?:\s+pagina)?|"
    r"poprzednia(?:\s+strona)?|предыдущая(?:\s+страница)?)\s*$",
    re.IGNORECASE,
)
_PAGINATION = re.compile(r"pag(?:e|es|ing|ination|inator|enav|e-?nav)\b|seiten", re.IGNORECASE)
_CURRENT_PAGE = (
    ".//*[contains(concat(' ', normalize-space(@class), ' '), ' pageNav-page--current ')"
    " or @aria-current='page' or contains(concat(' ', normalize-space(@class), ' '), ' current ')]"
)


def is_post(element: Element) -> bool:
    """Whether an element names itself a forum post."""
    if element.get("component") == "post":
        return True
    values = [element.get("id") or "", element.get("data-content") or ""]
    tokens = classes(element)
    return (
        any(_POST_ID.match(v) for v in values if v)
        or bool(tokens & _POST_TOKENS)
        or _starter(tokens) is not None
    )


def _starter(tokens: set[str]) -> str | None:
    return next((t for t in sorted(tokens) if _STARTER_TOKEN.match(t)), None)


def opening(root: Element, first: Element) -> tuple[bool, str] | None:
    """(whether the first post opens the thread, why), or None when it is no forum post."""
    if not is_post(first):
        return None
    starter = _starter(classes(first))
    if starter is not None:
        return True, f"the first post is marked as the thread's opening post (class {starter})"
    index = first.get("data-index")
    if index is not None and index.strip().isdigit():
        # NodeBB numbers the posts of a topic from 0 in data-index.
        if int(index) == 0:
            return True, "the first post is the topic's post 0 (data-index)"
        return False, f"the first post on this page is post {index} of the topic (data-index)"
    for name in _NUMBER_ATTRS:
        number = (first.get(name) or "").strip()
        if number.isdigit():
            # Counted from 1 (a board's data-idx="161" on page 5 of a thread; Discourse's
            # data-post-number, Flarum's data-number).
            if int(number) == 1:
                return True, f"the first post is post 1 of the thread ({name})"
            return False, f"the first post on this page is post {number} of the thread ({name})"
    ordinal = _ordinal(first)
    if ordinal is not None:
        if ordinal == 1:
            return True, "the first post is #1"
        return False, f"the first post on this page is #{ordinal}"
    apart = _opening_apart(root, first)
    if apart is not None:
        return (
            False,
            f"the thread's opening post is printed apart, before the list of replies ({apart})",
        )
    later = _later_page(root)
    if later is not None:
        return False, later
    return True, "no post ordinal and no later page number: the page starts the thread"


def _ordinal(post: Element) -> int | None:
    """The post's ordinal when a short link or label in it reads "#N"."""
    for node in post.iterdescendants("a", "span", "strong", "b", "li"):
        if len(node) > 1:
            continue
        text = text_of(node) or ""
        if len(text) <= 20:
            match = _ORDINAL.match(text)
            if match:
                return int(match.group(1))
    return None


def _later_page(root: Element) -> str | None:
    """Why the page is a later page of its thread, or None."""
    for link in root.iter("link"):
        if (link.get("rel") or "").strip().lower() == "prev":
            return "a later page of the thread (the page links to a previous page)"
    for anchor in root.iter("a"):
        # Only a link to another page of this thread: a blog's "previous post" link is rel=prev too.
        if not _page_link(anchor):
            continue
        if "prev" in (anchor.get("rel") or "").lower().split():
            return "a later page of the thread (a link to the previous page)"
        label = anchor.get("title") or anchor.get("aria-label") or ""
        if label and _PREVIOUS_PAGE.match(label):
            return f"a later page of the thread (a link titled {label!r})"
    for option in root.iter("option"):
        # A page selector: the page shown is the selected option ("5" in a board's page menu).
        value = (option.get("value") or text_of(option) or "").strip()
        if (
            option.get("selected") is not None
            and value.isdigit()
            and int(value) > 1
            and any(
                _PAGINATION.search(
                    f"{a.get('class') or ''} {a.get('id') or ''} {a.get('name') or ''}"
                )
                for a in list(option.iterancestors())[:4]
            )
        ):
            return f"a later page of the thread (page {value} selected in the page menu)"
    for node in root.xpath(_CURRENT_PAGE):
        text = (text_of(node) or "").strip()
        if (
            text.isdigit()
            and int(text) > 1
            and node.tag in ("a", "li", "span", "strong", "em", "b")
        ):
            return f"a later page of the thread (page {text} marked current)"
    for node in root.iter("span", "div", "li", "td", "a"):
        if len(node) > 2:
            continue
        match = _PAGE_OF.search(text_of(node) or "")
        if match is not None and int(match.group(1)) > 1:
            return f"a later page of the thread ({match.group(0)!r})"
    return None


_PAGE_HREF = re.compile(
    r"[?&;](?:page|pagenumber|pageno|pg|start|p)=\d|/page[-/]?\d|[-_/]seite[-_/]?\d", re.IGNORECASE
)


def _page_link(anchor: Element) -> bool:
    """A link to a page of the thread: its address names a page number, or it sits in a
    pagination container."""
    href = anchor.get("href") or ""
    if not href or href.startswith("#") or href.lower().startswith("javascript:"):
        return False
    if "disabled" in classes(anchor) or (anchor.get("aria-disabled") or "").lower() == "true":
        # A pager's greyed-out "Prev Page" button on the first page links nowhere (a board's
        # first page was taken for a later one; batch 9b).
        return False
    return bool(_PAGE_HREF.search(href)) or any(
        _PAGINATION.search(f"{a.get('class') or ''} {a.get('id') or ''}")
        for a in list(anchor.iterancestors())[:3]
    )


def _opening_apart(root: Element, first: Element) -> str | None:
    """The id of a forum post printed before the first post of the list and outside it, with
    text of its own: the thread's opening post in markup of its own (``div.dw-p.dw-ar-p#post-1``
    above the replies ``div.dw-p#post-2``…, a threaded forum; session 10).  Then the list's
    first post is a reply, not the opening post.  Empty anchors (``<a id="post-7">``) are no post."""
    around = set(first.iterancestors())
    for element in root.iter():
        if element is first:
            return None
        if not isinstance(element.tag, str) or element.tag == "a" or element in around:
            continue
        if is_post(element) and len(text_of(element) or "") >= 15:
            return element.get("id") or element.get("class") or element.tag
    return None
