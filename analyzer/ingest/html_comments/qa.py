"""Question-and-answer pages: schema.org ``Question`` with ``Answer`` items and comments on both.

Why a reader of its own: a Q&A page (schema.org's ``QAPage`` microdata, which Stack Exchange
sites, forum Q&A plugins and answer sites print) is two discussions in one.  The question is the
article; each answer replies to it; short comments sit under the question (replies to the
article) and under each answer (replies to that answer).  The comment lists look like WordPress
core's (``li.comment``), so core read them alone, flat, and lost every answer (a real Q&A page:
14 of 20 found, 2 reply links right; session 11).

Read here, by the standard's own items: answers are the ``Answer`` items (id from
``data-answerid`` or the element id, author, text and date from their ``itemprop``s, as the
schema.org reader reads them), top level, edge confidence 1.  Comments are the outermost
elements inside the question or an answer whose class or id names one comment
(:func:`signs.names_one_comment`) and that hold text and an author or date cue; their parent is
the answer around them (the question's comments are top level), edge confidence 1 (the markup
states it).  Their author, date and text are read as the generic reader reads a block.
"""

from __future__ import annotations

import re

from analyzer.ingest.dates import parse_date
from analyzer.ingest.html_comments import generic, schema_org, signs
from analyzer.ingest.html_comments.common import Element, Extraction, Found, id_from_name, line_of

_QUESTION = re.compile(r"(?:^|[/#])Question$")
_ANSWER = re.compile(r"(?:^|[/#])Answer$")
# A dash closing a name (the blank before it goes with the strip after; a leading "\s*" made
# blank runs quadratic under the regex audit).
_TRAILING_SEPARATOR = re.compile(r"[-–—]\s*$")
_TAGS = frozenset({"li", "div", "article", "section", "tr", "dd"})


def _typed(element: Element, pattern: re.Pattern[str]) -> bool:
    return element.get("itemscope") is not None and any(
        pattern.search(t) for t in (element.get("itemtype") or "").split()
    )


def extract(root: Element) -> Extraction | None:
    """Answers and comments of a schema.org Q&A page, or None when the page is none."""
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    questions = [e for e in elements if _typed(e, _QUESTION)]
    if len(questions) != 1:
        return None
    question = questions[0]
    answers = [e for e in elements if _typed(e, _ANSWER)]
    posts = {question, *answers}
    comments = _comment_elements(elements, posts)
    if not answers and not comments:
        return None
    micro = schema_org.microdata(root)
    read: dict[Element, Found] = {}
    if micro is not None:
        read = {element: found for element, found in micro if element in posts}
    out = Extraction("qa")
    ids: dict[Element, str] = {}
    position = {e: i for i, e in enumerate(elements)}
    comment_set = set(comments)
    for element in sorted([*answers, *comments], key=position.__getitem__):
        owner = next((a for a in element.iterancestors() if a in posts or a in comment_set), None)
        parent_id = ids.get(owner) if owner is not None and owner is not question else None
        if element in comment_set:
            found = _comment(element, comment_set | posts, len(ids))
        else:
            found = read.get(element) or _comment(element, comment_set | posts, len(ids))
            key = element.get("data-answerid") or id_from_name(element.get("id"))
            if key:
                found.comment_id, found.id_generated = key, False
        found.parent_id = parent_id
        found.edge_confidence = 1.0
        found.depth = (
            1
            if parent_id is None
            else 2 + sum(1 for a in element.iterancestors() if a in comment_set)
        )
        ids[element] = found.comment_id
        out.comments.append(found)
    out.notes.append(
        f"schema.org Q&A page: {len(answers)} answers to the question (the article) and {len(comments)} comments"
        " on the question and the answers, nested as the markup places them"
    )
    return out


def _comment_elements(elements: list[Element], posts: set[Element]) -> list[Element]:
    """The comment blocks inside the question or an answer: of the elements whose class or id
    names one comment and that hold an author or date cue, the largest group of one markup (a
    container of comments, "div.comments#comments-12", is one per post; its items are more),
    outermost."""
    groups: dict[tuple[str, frozenset[str]], list[Element]] = {}
    for element in elements:
        if element.tag not in _TAGS or element in posts or not signs.names_one_comment(element):
            continue
        if not any(a in posts for a in element.iterancestors()) or any(
            d in posts for d in element.iterdescendants()
        ):
            continue
        if generic._author_el(element) is None and generic._date_el(element) is None:
            continue
        groups.setdefault(generic._signature(element), []).append(element)
    if not groups:
        return []
    best = max(groups.values(), key=len)
    chosen = set(best)
    return [e for e in best if not any(a in chosen for a in e.iterancestors())]


def _comment(element: Element, members: set[Element], index: int) -> Found:
    author = generic._author_el(element)
    date = generic._date_el(element)
    text = generic._own_text(element, members, author, date)
    date_value = generic.date_attribute(date) if date is not None else None
    created = parse_date(date_value) if date_value else None
    key = element.get("data-comment-id") or id_from_name(element.get("id"))
    return Found(
        comment_id=key or f"qa-{index + 1}",
        parent_id=None,
        depth=1,
        author=generic._author_name(author) if author is not None else None,
        # The list bullet before the text and a separator left at its end ("text –" before the name).
        text=_TRAILING_SEPARATOR.sub("", text.lstrip("-– ")).strip(),
        line=line_of(element),
        created_at=created,
        date_text=generic.generic_date_text(date)
        if date is not None and created is None
        else date_value,
        id_generated=key is None,
    )
