"""Old Reddit comment pages (the classic ``old.reddit.com`` layout) as saved.

Why a reader of its own: every entry of the page (the submission, each comment, each "load more
comments" stub) is a ``div.thing`` with the same inner layout, and the comment's text sits in an
edit-in-place ``form.usertext``, so the generic readers take the submission for a comment, the
collapse toggle ``[–]`` for text, and lose the nesting.  The layout is a published, stable
convention of a major platform; its attributes state everything exactly:

* a comment: ``div.thing`` with ``data-type="comment"``; its id is ``data-fullname`` without the
  ``t1_`` kind prefix (or the element id ``thing_t1_…``);
* its parent: the nearest enclosing comment ``div.thing`` (replies sit in ``div.child``);
* its author ``data-author`` (``a.author`` as a fallback; deleted comments have none), its date
  the ``time`` element of its own tagline (``datetime`` attribute: machine-readable);
* its text: the ``div.md`` in its own ``div.usertext-body``;
* ``data-type="morechildren"`` stubs are replies the page did not load: counted in a note,
  never comments; the ``data-type="link"`` entry is the submission (the article).
"""

from __future__ import annotations

from datetime import datetime

from analyzer.ingest.html_comments.common import (
    Element,
    Extraction,
    Found,
    block_text,
    class_xpath,
    classes,
    line_of,
    set_depths,
    text_of,
)

_KIND_PREFIX = "t1_"
_BODY = f".//div[{class_xpath('usertext-body')}]//div[{class_xpath('md')}]"
_TIME = f".//p[{class_xpath('tagline')}]//time"
_AUTHOR = f".//p[{class_xpath('tagline')}]//a[{class_xpath('author')}]"


def _is_thing(element: Element, kind: str) -> bool:
    return element.get("data-type") == kind and "thing" in classes(element)


def _own(thing: Element, element: Element) -> bool:
    """Whether ``element`` belongs to ``thing`` itself, not to a reply nested in it."""
    for ancestor in element.iterancestors():
        if ancestor is thing:
            return True
        if _is_thing(ancestor, "comment"):
            return False
    return False


def _first_own(thing: Element, xpath: str) -> Element | None:
    return next((e for e in thing.xpath(xpath) if _own(thing, e)), None)


def _comment_id(thing: Element) -> str | None:
    full = (thing.get("data-fullname") or "").strip()
    if not full:
        element_id = (thing.get("id") or "").strip()
        full = element_id.removeprefix("thing_")
    value = full.removeprefix(_KIND_PREFIX)
    return value or None


def _created(time: Element | None) -> datetime | None:
    stamp = (time.get("datetime") or "").strip() if time is not None else ""
    try:
        return datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None  # the shown text is kept as date_text and parsed (or reported) by the reader


def extract(root: Element) -> Extraction | None:
    """The comments of an old Reddit comment page, or None when the page has none."""
    things = [e for e in root.iter("div") if _is_thing(e, "comment")]
    if not things:
        return None
    ids: dict[Element, str] = {}
    for n, thing in enumerate(things, start=1):
        ids[thing] = _comment_id(thing) or f"html-{n}"
    out = Extraction("reddit-old")
    for thing in things:
        parent = next((a for a in thing.iterancestors() if a in ids), None)
        body = _first_own(thing, _BODY)
        time = _first_own(thing, _TIME)
        author = (thing.get("data-author") or "").strip()
        if not author:
            name = _first_own(thing, _AUTHOR)
            author = (text_of(name) or "").strip() if name is not None else ""
        out.comments.append(
            Found(
                comment_id=ids[thing],
                parent_id=ids[parent] if parent is not None else None,
                depth=None,
                author=author or None,
                text=block_text(body) if body is not None else "",
                line=line_of(thing),
                created_at=_created(time),
                date_text=((text_of(time) or "").strip() or None) if time is not None else None,
                url=(thing.get("data-permalink") or "").strip() or None,
            )
        )
    set_depths(out.comments)
    stubs = sum(1 for e in root.iter("div") if _is_thing(e, "morechildren"))
    out.notes.append(
        f"old Reddit: {len(out.comments)} comments, nesting and ids from the page's attributes"
        + (
            f"; {stubs} 'load more comments' stub(s): replies the saved page did not load"
            if stubs
            else ""
        )
    )
    return out
