"""HTML fragment → clean plain text, shared by the WordPress HTML and REST JSON readers.

The text keeps what later stages need and nothing else:

* paragraph-level elements become paragraphs separated by a blank line; ``<br>`` a line break;
* ``<blockquote>`` lines are prefixed ``"> "`` (stance cues are computed on a comment's *own*
  text, so quoted material must stay recognisable);
* list items become ``"- item"`` / ``"1. item"`` lines;
* an anchor whose visible text does not already show its target is written ``"text (href)"``
  so shared links survive into the text (link extraction works on text only);
* scripts, styles, forms and other non-content elements are dropped; entities are decoded by
  the parser; whitespace is collapsed.  Nothing is executed and no markup is kept.

The walk over the element tree is iterative (an explicit stack), so pathological nesting
cannot exhaust Python's recursion limit.

Example:
    >>> html_to_text("<p>Siehe <a href='https://example.org/a'>hier</a>.</p><blockquote>Zitat</blockquote>")
    'Siehe hier (https://example.org/a).\\n\\n> Zitat'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import lxml.etree
import lxml.html

__all__ = ["TextBlock", "element_blocks", "element_to_text", "html_to_text", "sanitize_markup", "visible_text"]

Element: TypeAlias = lxml.etree._Element
ExcludeFn = Callable[[Element], bool]

# Actions of the element walk's explicit stack.
_OPEN, _CLOSE, _TEXT = 0, 1, 2

# --- Data: element roles ---------------------------------------------------------------
# Elements whose content is never reader-visible text.  "iframe"/"video"/"object" hold only
# fallback text for old browsers; form controls hold labels of the comment form.  A <form>
# is dropped when a reader can fill it in (input_form): its text is the form's labels.
_DROPPED_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "math", "iframe", "object",
        "embed", "canvas", "audio", "video", "head", "title", "meta", "link", "button",
        "input", "select", "option", "textarea",
    }
)
# Elements that start a new paragraph.
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "aside", "nav", "main",
        "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt",
        "dd", "li", "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr", "hr",
        "address", "details", "summary", "center", "fieldset", "caption", "body", "html",
    }
)
_CELL_TAGS = frozenset({"td", "th"})
# Forum and comment systems print a quoted post as a box of plain elements, with the "X said:"
# or "Originally Posted by X" line outside any <blockquote> (Discourse's aside.quote, vBulletin's
# div.bbcode_quote, boards' div.TexticonQuote): the box is read as a quotation, so the quoted
# words do not pass for the replier's own.  A class token that is "quote" or ends in "quote"
# marks it; script hooks ("js-selectToQuote" on a whole post) do not, nor do inline elements
# (a "Quote" button in li.quote / a.quote stays the button it is).
_QUOTE_BOX_TAGS = frozenset({"div", "aside", "section", "figure"})


# Set by a reader on a box it found to quote another post by structure (a board's quote box
# without a quote class: a link to the quoted post inside a post; html_comments.structure).
QUOTE_MARK = "data-analyzer-quote-of"


def _is_quote_box(node: Element) -> bool:
    if node.get(QUOTE_MARK) is not None:
        return True
    value = node.get("class")
    if not value or "uote" not in value:
        return False
    return any(token.endswith("quote") and not token.startswith("js-") for token in value.lower().split())


# WordPress replaces emoji by <img class="emoji" alt="🙂">; the alt text is the emoji itself.
_EMOJI_IMG_CLASSES = frozenset({"emoji", "wp-smiley"})

# Characters libxml2 refuses ("All strings must be XML compatible") or silently drops:
# C0 controls other than tab/newline/CR, lone surrogates (possible after json.loads of
# "\\ud800"), and the noncharacters U+FFFE/U+FFFF.  Replaced one-for-one so offsets and
# line numbers do not move.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WHITESPACE_RUN = re.compile(r"[^\S\n]+")  # any whitespace except our explicit newlines
_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]{0,30}:(?://)?", re.IGNORECASE)
_ELLIPSIS = ("…", "...")


# An XHTML page's XML declaration ('<?xml version="1.0" encoding="UTF-8"?>'): lxml refuses a
# decoded string that still declares an encoding, so it is blanked (the text is decoded already).
_XML_DECLARATION = re.compile(r"\A(\ufeff?\s{0,100})<\?xml\b[^>]{0,300}\?>")


def sanitize_markup(markup: str) -> str:
    """Replace characters the HTML parser cannot take by U+FFFD and blank a leading XML
    declaration (both length-preserving, so line numbers stay right)."""
    markup = _XML_DECLARATION.sub(lambda m: m.group(1) + " " * (m.end() - m.end(1)), markup)
    return _XML_INCOMPATIBLE.sub("\ufffd", markup)


@dataclass(slots=True)
class TextBlock:
    """One paragraph-level piece of rendered text.

    Attributes:
        text: the paragraph, quote prefixes and list markers included.
        source_line: line of the element that opened the paragraph (None if unknown).
        quote_depth: how many blockquotes enclose it.
        is_item: True for list items (joined to neighbouring items by one newline).
    """

    text: str
    source_line: int | None = None
    quote_depth: int = 0
    is_item: bool = False


@dataclass(slots=True)
class _OpenBlock:
    parts: list[str] = field(default_factory=list)
    marker: str = ""
    quote_depth: int = 0
    is_item: bool = False
    source_line: int | None = None
    preformatted: bool = False

    def has_text(self) -> bool:
        # A plain loop: called twice per element, and a generator costs more than the usual
        # zero or one part it looks at.
        for part in self.parts:
            if part.strip():
                return True
        return False


@dataclass(slots=True)
class _ListState:
    ordered: bool
    counter: int = 0


def _normalise_for_compare(value: str) -> str:
    value = value.strip().lower()
    for ellipsis in _ELLIPSIS:
        if value.endswith(ellipsis):
            value = value[: -len(ellipsis)]
    value = _SCHEME.sub("", value)
    if value.startswith("www."):
        value = value[4:]
    return value.rstrip("/")


def _text_shows_href(text: str, href: str) -> bool:
    """True when the anchor's visible text already shows its target (possibly shortened)."""
    shown = _normalise_for_compare(text)
    target = _normalise_for_compare(href)
    if not shown or not target:
        return False
    if shown == target:
        return True
    # WordPress and many themes shorten long auto-links: "example.org/a/very/lo…".
    stripped = text.strip()
    return stripped.endswith(_ELLIPSIS) and len(shown) >= 8 and target.startswith(shown)


def _is_shortened_href(text: str, href: str) -> bool:
    """True when the visible text is the target cut short with an ellipsis."""
    stripped = text.strip()
    if not stripped.endswith(_ELLIPSIS):
        return False
    shown = _normalise_for_compare(stripped)
    target = _normalise_for_compare(href)
    return len(shown) >= 8 and target.startswith(shown) and shown != target


def _keep_href(href: str) -> bool:
    """In-page anchors ("#comment-3" reply mentions) and script URLs carry no shared link."""
    href = href.strip()
    return bool(href) and not href.startswith("#") and not href.lower().startswith(("javascript:", "data:"))


def _is_element(node: object) -> bool:
    # Comments and processing instructions have a non-string tag (a factory function).
    return isinstance(node, lxml.etree._Element) and isinstance(node.tag, str)


def _local_tag(element: Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return _tag_name(tag)


# Raw tag -> local lower-case name; documents use few distinct tags, so this stays small.
_TAG_NAMES: dict[str, str] = {}
_MAX_TAG_NAMES = 4096


def _tag_name(tag: str) -> str:
    name = _TAG_NAMES.get(tag)
    if name is None:
        name = tag.rsplit("}", 1)[-1].lower()
        if len(_TAG_NAMES) < _MAX_TAG_NAMES:  # adversarial input may invent tags without end
            _TAG_NAMES[tag] = name
    return name


class _Renderer:
    """Collects paragraph blocks while walking one element tree."""

    def __init__(self) -> None:
        self.blocks: list[_OpenBlock] = []
        self.current = _OpenBlock()
        self.quote_depth = 0
        # Open quotations, innermost last: (element id, is a box, added a level).  A
        # <blockquote> right inside a quote box (Discourse: the title line, then the
        # blockquote) or a box right inside a box is the same quotation, one level.
        self.quotes: list[tuple[int, bool, bool]] = []
        self.pre_depth = 0
        self.lists: list[_ListState] = []
        self.anchor_starts: dict[int, tuple[_OpenBlock, int]] = {}

    # -- paragraph management -------------------------------------------------------------
    def open_block(self, element: Element, *, marker: str = "", is_item: bool = False) -> None:
        if self.current.has_text():
            self.blocks.append(self.current)
            self.current = _OpenBlock()
        block = self.current
        # An empty block is reused (e.g. <li><p>…</p></li>): the list marker must survive.
        if marker:
            block.marker = marker
            block.is_item = is_item
        block.quote_depth = self.quote_depth
        block.preformatted = self.pre_depth > 0
        if block.source_line is None or not block.parts:
            block.source_line = element.sourceline
        block.parts.clear()

    def close_block(self) -> None:
        if self.current.has_text():
            self.blocks.append(self.current)
        self.current = _OpenBlock(quote_depth=self.quote_depth)

    def add_text(self, text: str | None) -> None:
        if not text:
            return
        if self.pre_depth:
            # Preformatted text keeps its line breaks; spaces are still collapsed below.
            self.current.parts.append(text)
        else:
            self.current.parts.append(text.replace("\n", " "))

    def add_break(self) -> None:
        self.current.parts.append("\n")

    # -- output ---------------------------------------------------------------------------
    def finish(self) -> list[TextBlock]:
        self.close_block()
        out: list[TextBlock] = []
        for block in self.blocks:
            raw = "".join(block.parts).replace("\u00a0", " ")
            if "\n" not in raw:
                # The usual one-line paragraph, on a short path (one per block of 1 MB of
                # "<p>x"): str.split() and the regex agree on what whitespace is.
                line = " ".join(raw.split())
                if line:
                    text = ("> " * block.quote_depth + block.marker + line).rstrip()
                    out.append(TextBlock(text, block.source_line, block.quote_depth, block.is_item))
                continue
            lines = [_WHITESPACE_RUN.sub(" ", line).strip() for line in raw.split("\n")]
            # Drop leading/trailing empty lines but keep inner ones of preformatted text.
            while lines and not lines[0]:
                lines.pop(0)
            while lines and not lines[-1]:
                lines.pop()
            if not lines:
                continue
            if not block.preformatted:
                lines = [line for line in lines if line]
            prefix = "> " * block.quote_depth
            first = prefix + block.marker + lines[0]
            indent = prefix + " " * len(block.marker)
            rest = [(indent + line) if line else prefix.rstrip() for line in lines[1:]]
            text = "\n".join([first.rstrip(), *[r.rstrip() for r in rest]])
            out.append(TextBlock(text, block.source_line, block.quote_depth, block.is_item))
        return out


def _anchor_suffix(element: Element) -> str | None:
    href = element.get("href")
    if not isinstance(href, str) or not _keep_href(href):
        return None
    return href.strip()


def _visible_anchor_text(element: Element) -> str:
    return " ".join(element.text_content().split())


def element_blocks(element: Element, *, exclude: ExcludeFn | None = None) -> list[TextBlock]:
    """Render an element (its own tail excluded) as paragraph blocks.

    Args:
        element: the root of the fragment; its tag decides whether it is a block itself.
        exclude: elements for which this returns True are skipped with their content (their
            tail text is kept, as it belongs to the parent).
    """
    renderer = _Renderer()
    # Stack entries: (_OPEN, element), (_CLOSE, (element, tag)) or (_TEXT, str).  This loop
    # runs once per node of adversarial input (1 MB of "<p>" is 333,000 elements), so it
    # keeps per-node work small: tag names are cached, comments are skipped by their
    # non-string tag, and a childless element closes at once without a stack round trip.
    stack: list[tuple[int, Any]] = [(_OPEN, element)]
    pop = stack.pop
    push = stack.append
    while stack:
        action, item = pop()
        if action == _TEXT:
            renderer.add_text(item)
            continue
        if action == _CLOSE:
            _close(renderer, item[0], item[1])
            continue
        node: Element = item
        raw_tag = node.tag
        if not isinstance(raw_tag, str):
            continue  # comment, processing instruction or entity
        tag = _tag_name(raw_tag)
        if (tag in _DROPPED_TAGS or (tag == "form" and input_form(node))
                or (exclude is not None and node is not element and exclude(node))):
            continue
        _open(renderer, node, tag)
        text = node.text
        if not len(node):
            if text:
                renderer.add_text(text)
            _close(renderer, node, tag)
            continue
        # Push in reverse: close marker, then (child, child tail) pairs from last to first.
        push((_CLOSE, (node, tag)))
        for child in reversed(node):
            tail = child.tail
            if tail:
                push((_TEXT, tail))
            push((_OPEN, child))
        if text:
            push((_TEXT, text))
    return renderer.finish()


def _open(renderer: _Renderer, node: Element, tag: str) -> None:
    if tag == "a":
        # Remember where the anchor's text starts, to put the full URL in place of a
        # shortened one ("https://example.org/a/ve…") when the anchor closes.
        renderer.anchor_starts[id(node)] = (renderer.current, len(renderer.current.parts))
    if tag == "br":
        renderer.add_break()
    elif tag == "img":
        classes = set((node.get("class") or "").split())
        if classes & _EMOJI_IMG_CLASSES:
            renderer.add_text(node.get("alt") or "")
    elif tag in _CELL_TAGS:
        renderer.add_text(" ")
    elif tag == "li":
        state = renderer.lists[-1] if renderer.lists else _ListState(ordered=False)
        state.counter += 1
        depth = max(len(renderer.lists) - 1, 0)
        marker = "  " * depth + (f"{state.counter}. " if state.ordered else "- ")
        renderer.open_block(node, marker=marker, is_item=True)
    elif tag in _BLOCK_TAGS:
        is_box = tag in _QUOTE_BOX_TAGS and _is_quote_box(node)
        if tag == "blockquote" or is_box:
            renderer.close_block()
            adds = not (renderer.quotes and renderer.quotes[-1][1])
            renderer.quotes.append((id(node), is_box, adds))
            if adds:
                renderer.quote_depth += 1
        elif tag in ("ul", "ol"):
            renderer.lists.append(_ListState(ordered=tag == "ol"))
        elif tag == "pre":
            renderer.pre_depth += 1
        renderer.open_block(node)


def _close(renderer: _Renderer, node: Element, tag: str) -> None:
    if tag == "a":
        href = _anchor_suffix(node)
        start = renderer.anchor_starts.pop(id(node), None)
        if href is not None:
            shown = _visible_anchor_text(node)
            if not shown:
                renderer.add_text(f" {href} ")
            elif _is_shortened_href(shown, href) and start is not None and start[0] is renderer.current:
                # Hacker News and WordPress shorten long auto-links; the text would keep only
                # the stump, so the full target replaces it.
                del renderer.current.parts[start[1]:]
                renderer.add_text(href)
            elif not _text_shows_href(shown, href):
                renderer.add_text(f" ({href})")
    elif tag in _CELL_TAGS:
        renderer.add_text(" ")
    elif tag == "li" or tag in _BLOCK_TAGS:
        renderer.close_block()
        if renderer.quotes and renderer.quotes[-1][0] == id(node):
            _, _, added = renderer.quotes.pop()
            if added:
                renderer.quote_depth = max(renderer.quote_depth - 1, 0)
            renderer.current.quote_depth = renderer.quote_depth
        elif tag in ("ul", "ol") and renderer.lists:
            renderer.lists.pop()
        elif tag == "pre":
            renderer.pre_depth = max(renderer.pre_depth - 1, 0)


def join_blocks(blocks: list[TextBlock]) -> str:
    """Join paragraph blocks: list items by one newline, paragraphs by a blank line.

    Two quoted paragraphs in a row are separated by a bare ``">"`` line so the quote stays
    one recognisable region.
    """
    pieces: list[str] = []
    previous: TextBlock | None = None
    for block in blocks:
        if previous is not None:
            if previous.is_item and block.is_item and previous.quote_depth == block.quote_depth:
                pieces.append("\n")
            else:
                shared_quote = min(previous.quote_depth, block.quote_depth)
                pieces.append("\n" + ("> " * shared_quote).rstrip() + "\n")
        pieces.append(block.text)
        previous = block
    return "".join(pieces)


def element_to_text(element: Element, *, exclude: ExcludeFn | None = None) -> str:
    """Render an already parsed element as clean text (see the module docstring)."""
    return join_blocks(element_blocks(element, exclude=exclude))


# huge_tree lifts libxml2's nesting limit from 256 to about 2000 elements; deeper content
# is dropped by libxml2 itself.
_PARSER = lxml.html.HTMLParser(huge_tree=True)


# Numeric character references, the ";" optional as browsers allow (one quantifier each:
# linear on any input).
_NUMERIC_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


def _neutralise_ref(match: re.Match[str]) -> str:
    hex_digits, digits = match.group(1), match.group(2)
    # Over 8 hex or 10 decimal digits is beyond Unicode (and int() refuses 4300+ digits).
    if len(hex_digits or digits) > (8 if hex_digits else 10):
        return "\ufffd"
    code = int(hex_digits, 16) if hex_digits else int(digits)
    if code > 0x10FFFF or code == 0 or _XML_INCOMPATIBLE.match(chr(code)):
        return "\ufffd"
    return match.group(0)


def _parse_fragment(markup: str) -> Element:
    # A reference like "&#x2;" decodes to a control character *after* sanitize_markup; lxml
    # then refuses it as leading fragment text with a ValueError (fuzz finding,
    # tests/fuzz/regressions/hn/control_char_reference.json), so such references become U+FFFD.
    if "&#" in markup:
        markup = _NUMERIC_REF.sub(_neutralise_ref, markup)
    return lxml.html.fragment_fromstring(sanitize_markup(markup), create_parent="div", parser=_PARSER)


def html_to_text(markup: str) -> str:
    """Render an HTML fragment (e.g. ``content.rendered`` of the REST API) as clean text.

    Args:
        markup: HTML text; plain text without tags is returned whitespace-normalised.

    Returns:
        The text, "" for an empty fragment.

    Example:
        >>> html_to_text("<ul><li>eins</li><li>zwei &amp; drei</li></ul>")
        '- eins\\n- zwei & drei'
    """
    if not markup or not markup.strip():
        return ""
    return element_to_text(_parse_fragment(markup))


def html_to_blocks(markup: str) -> list[TextBlock]:
    """Like :func:`html_to_text` but keeps the paragraphs apart (source lines are fragment-relative)."""
    if not markup or not markup.strip():
        return []
    return element_blocks(_parse_fragment(markup))


def visible_text(element: Element) -> str:
    """An element's text content on one line (names, titles): no link targets, no markup."""
    return " ".join("".join(element.itertext()).replace("\u00a0", " ").split())


# Input types a reader can type into or press; "hidden" carries state only.
_STATE_ONLY_INPUT = frozenset({"hidden"})


def input_form(node: Element) -> bool:
    """Whether a ``<form>`` is one a reader fills in (reply, login, search): its text is labels.

    A form holding no field to type in and no button is a display wrapper: some systems print
    every comment's text inside an edit-in-place form that carries hidden state only (old
    Reddit's ``form.usertext`` around the rendered text); that text is the comment's."""
    if not isinstance(node.tag, str) or _tag_name(node.tag) != "form":
        return False
    for field_ in node.iter("textarea", "select", "button", "input", "{*}textarea", "{*}input"):
        if _tag_name(field_.tag) != "input" or (field_.get("type") or "text").strip().lower() not in _STATE_ONLY_INPUT:
            return not _wraps_page(node)
    return False


# Visible characters that make a form a page wrapper: a reply or search form holds labels and a
# notice or two, a few hundred characters, never an article's worth.
_WRAPPER_CHARS = 2000


def _wraps_page(form: Element) -> bool:
    """Whether a form wraps the page's content: ASP.NET WebForms print every page inside one
    ``<form id="aspnetForm">`` with its search box and buttons, article and comments included
    (a real news site's comments were read as a form's labels).  The walk stops once the
    threshold is reached, so asking it of a page-wide form costs a few elements, not the page
    (the readers ask it of many elements' ancestors)."""
    total = 0
    for node in form.iter():
        if isinstance(node.tag, str) and _tag_name(node.tag) not in ("script", "style") and node.text:
            total += len(node.text.strip())
        if node is not form and node.tail:
            total += len(node.tail.strip())
        if total >= _WRAPPER_CHARS:
            return True
    return False
