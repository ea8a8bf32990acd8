"""Reply levels shown by indentation alone: inline left margins or paddings, ``indent``
attributes, spacer images.

Shared by the generic and the structure readers: a thread printed flat, every post a sibling,
its level only in how far it is indented (a home-made board, a news site's own forum), is read
by its indentation whichever reader finds its blocks.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from analyzer.ingest.html_comments.common import Element, stack_parents, text_of

_INDENT_STYLE = re.compile(
    r"(?:margin|padding)-left\s*:\s*(\d{1,4}(?:\.\d+)?)\s*(px|em|rem|%)?", re.IGNORECASE
)


_SPACER_HEIGHTS = frozenset({"0", "1"})

# Confidence of a reply link read from indentation (as the structure reader's CONF_INDENT).
CONF_INDENT = 0.6

# A list threaded by indentation alone: this many of its blocks indented, at this many levels.
# Chosen: a layout that pads two boxes differently is no thread, so three blocks and two levels
# (the smallest level need not repeat: a thread's last page may open with one reply).
MIN_INDENTED = 3


def threaded(members: list[Element], dated: Callable[[Element], object | None]) -> set[Element]:
    """Blocks of one markup, each with author and date cues, whose inline indentation
    (``padding-left: 7px``, ``14px``, …) takes two or more values: a thread printed flat with
    its levels as indentation (a real news site's forum; no reply button, id or permalink in
    the saved page).  The varying indentation is the specific evidence such a list carries.
    Empty when the group is not so indented.  ``dated`` finds a block's date cue (costly: asked
    only of indented blocks)."""
    if len(members) < MIN_INDENTED:
        return set()
    member_set = set(members)
    held = holders(member_set)
    indents = {m: indent(m, member_set, held) for m in members}
    if sum(v is not None for v in indents.values()) < MIN_INDENTED:
        return set()
    indents = {m: v for m, v in indents.items() if v is not None and dated(m) is not None}
    values = [v for v in indents.values() if v is not None]
    if len(values) < MIN_INDENTED or len(set(values)) < 2:
        return set()
    return {m for m, v in indents.items() if v is not None}


def holders(members: set[Element]) -> dict[Element, int]:
    """How many members each element holds (itself included), from one walk up per member."""
    held: dict[Element, int] = {}
    for member in members:
        for node in (member, *member.iterancestors()):
            held[node] = held.get(node, 0) + 1
    return held


def indent(
    block: Element, members: set[Element], held: dict[Element, int] | None = None
) -> float | None:
    """Indentation the markup gives a block: an inline left margin or padding on it or on a
    wrapper holding no other block, an ``indent`` attribute, or a leading spacer image.
    ``held`` (:func:`holders` of ``members``) saves asking every member for its ancestors per
    wrapper: that was cubic in the nesting depth of malformed boards (session 11)."""
    if held is None:
        held = holders(members)
    own = 1 if block in members else 0
    node: Element | None = block
    for _ in range(3):
        if node is None or node.tag in ("body", "html"):
            break
        if node is not block and held.get(node, 0) - own > 0:
            break
        match = _INDENT_STYLE.search(node.get("style") or "")
        if match:
            value = float(match.group(1))
            return value * 16 if match.group(2) in ("em", "rem") else value
        attribute = (node.get("indent") or "").strip()
        if attribute.isdigit():
            return float(attribute)
        node = node.getparent()
    # A spacer: a transparent image one pixel high (or none) whose width is the indentation
    # (table layouts of the 2000s; Hacker News still prints ``s.gif`` 40 pixels wide per level).
    spacer = next(block.iterdescendants("img"), None)
    if (
        spacer is not None
        and not (text_of(spacer) or "")
        and (spacer.get("width") or "").isdigit()
        and (spacer.get("height") or "1").strip() in _SPACER_HEIGHTS
    ):
        return float(spacer.get("width") or 0)
    return None


def levels(
    blocks: list[Element], dated: Callable[[Element], object | None]
) -> dict[Element, tuple[Element | None, float, int]]:
    """Parent, edge confidence and depth per block of a flat list threaded by indentation (every
    block indented, two levels or more, none inside another); empty otherwise."""
    block_set = set(blocks)
    if any(a in block_set for b in blocks for a in b.iterancestors()):
        return {}
    held = holders(block_set)
    indents = {b: indent(b, block_set, held) for b in blocks}
    if any(v is None for v in indents.values()) or not threaded(blocks, dated):
        return {}
    parents = stack_parents(blocks, {b: float(v or 0) for b, v in indents.items()})
    depth: dict[Element, int] = {}
    out: dict[Element, tuple[Element | None, float, int]] = {}
    for block in blocks:
        parent = parents[block]
        depth[block] = depth[parent] + 1 if parent is not None else 1
        out[block] = (parent, CONF_INDENT, depth[block])
    return out
