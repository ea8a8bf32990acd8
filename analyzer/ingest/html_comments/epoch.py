"""Epoch (a WordPress comment plugin) as saved after the browser rendered it.

Epoch renders its comments with JavaScript, so a saved page holds what the browser built:
``div#comment-N[data-comment-id=N]`` around ``article.epoch-comment-body``; replies sit in a
``div.epoch-child.child-of-N`` inside their parent's ``div``.  The author is
``.epoch-author-link`` (commenters with a website) or the bare text of
``.epoch-comment-author`` beside the avatar and the "·" divider; the date is the text of the
``time`` in ``.epoch-comment-link`` (its ``datetime`` attribute is the unfilled template
placeholder ``comment_date`` on saved pages, never a date); the text is
``.epoch-comment-content``.  WordPress core's rules would take the template or the list's
wrapper for a comment and the divider for part of the name.

Why a family of its own: nothing of core's ``li.comment`` is there, and the generic fallback
only guesses nesting; here the ``child-of-N`` class states each parent, checked against the
nesting (a disagreement is a warning and the class wins: it is what Epoch wrote).
"""

from __future__ import annotations

import re

from analyzer.ingest.html_comments.common import (
    Element,
    Extraction,
    Found,
    block_text,
    classes,
    enclosing,
    first,
    line_of,
    name_text,
    text_of,
)

_ID = re.compile(r"^comment-(\d{1,20})$")
_CHILD_OF = re.compile(r"^child-of-(\d{1,20})$")
# The "·" (and similar) between name and date; never part of a name.
# Starts only where a run of blanks starts (or at the divider itself): linear on long blank runs.
_DIVIDER = re.compile(r"(?<!\s)\s*+[·•|]\s*+$")


def _is_epoch(element: Element) -> bool:
    """A rendered Epoch comment: its id, its data id, and an Epoch body inside."""
    match = _ID.match(element.get("id") or "")
    return (
        match is not None
        and element.get("data-comment-id") == match.group(1)
        and first(element, "./article[contains(@class, 'epoch-comment-body')]") is not None
    )


def _author(body: Element) -> str | None:
    link = first(body, ".//*[contains(concat(' ', @class, ' '), ' epoch-author-link ')]")
    if link is not None:
        return text_of(link)
    holder = first(body, ".//*[contains(concat(' ', @class, ' '), ' epoch-comment-author ')]")
    if holder is None:
        return None
    # Bare text beside the avatar: the holder's text without the date link and the divider.
    parts = [holder.text or ""]
    for child in holder:
        if (
            isinstance(child.tag, str)
            and not (classes(child) & {"epoch-comment-link", "epoch-divide"})
            and ("avatar" not in (child.get("class") or ""))
        ):
            parts.append(name_text(child))
        parts.append(child.tail or "")
    name = _DIVIDER.sub("", " ".join(p.strip() for p in parts if p.strip()))
    return name or None


def _child_of(element: Element) -> str | None:
    """The parent id Epoch wrote on the replies container around ``element``, if any."""
    container = element.getparent()
    while container is not None:
        for token in classes(container):
            match = _CHILD_OF.match(token)
            if match:
                return match.group(1)
        if _is_epoch(container):
            return None
        container = container.getparent()
    return None


def extract(root: Element) -> Extraction | None:
    """Epoch comments, or None when the page has none."""
    elements = [e for e in root.iter("div") if _is_epoch(e)]
    if not elements:
        return None
    members = set(elements)
    ids = {e: _ID.match(e.get("id") or "").group(1) for e in elements}  # type: ignore[union-attr]
    out = Extraction("epoch")
    for element in elements:
        body = first(element, "./article[contains(@class, 'epoch-comment-body')]")
        assert body is not None  # _is_epoch checked it
        nested = enclosing(element, members)
        parent_id = ids[nested] if nested is not None else None
        stated = _child_of(element)
        if stated is not None and stated != parent_id:
            out.warnings.append(
                f"comment {ids[element]}: Epoch's child-of-{stated} class and the nesting"
                f" (parent {parent_id or 'none'}) disagree; the class was followed"
            )
            parent_id = stated
        time_el = first(body, ".//*[contains(@class, 'epoch-comment-link')]//time | .//time")
        text_el = first(body, ".//*[contains(concat(' ', @class, ' '), ' epoch-comment-content ')]")
        out.comments.append(
            Found(
                comment_id=ids[element],
                parent_id=parent_id,
                depth=1 + sum(1 for a in element.iterancestors() if a in members),
                author=_author(body),
                text=block_text(text_el, _is_report_link) if text_el is not None else "",
                line=line_of(element),
                date_text=text_of(time_el),
            )
        )
    return out


def _is_report_link(element: Element) -> bool:
    """A moderation plugin's "Report" link inside the text (it carries the comment's id too)."""
    return bool(_ID.match(element.get("id") or "")) or "report" in (element.get("class") or "")
