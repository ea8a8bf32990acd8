"""Whether a list of names over texts is a comment list: the evidence both name-anchored readers
weigh (``capturelist._named_list``, flat; ``datelesslists``, marked or indented names).

A page's footer and sidebar are names over texts too: a widget's title over its links ("Popular
Topics" / "Latest News Malmö Gothenburg Politics"), a menu's entry over its sub-entries ("* Mobil"
/ "+ In der Mobil-Version anzeigen"), the reply form's preview box ("Previewing your Comment" /
"This is only a preview.").  What sets a comment apart is its text: words in sentences, not a
run of link titles or a bulleted list of them, and a name that is not the form's own heading.
Nothing here knows a site; the rules are read off the text alone (session 10).
"""

from __future__ import annotations

import re

__all__ = ["form_heading", "listing_reading", "menu_text", "mostly_menus"]

# A text shorter than this (in words) is too short to judge: "Thanks!" stays a comment.
MENU_MIN_WORDS = 4
# Share of a text's non-blank lines that are list items for it to be a link list.
MENU_ITEM_SHARE = 0.5
# Words of a list item of a menu at most ("+ In der Mobil-Version anzeigen").
MENU_ITEM_WORDS = 6
# Share of a text's words that start with a capital for it to be a run of link titles ("Login
# Become a member Newsletters Help Centre"): German prose, whose nouns are capitalised, stays
# near 0.3-0.5.  Judged on texts of TITLE_CASE_MIN_WORDS words or more: a short comment without
# a full stop ("Super Artikel vielen Dank") may be mostly capitals.
TITLE_CASE_SHARE = 0.65
TITLE_CASE_MIN_WORDS = 8
# Share of a reading's items whose texts are menus for the reading to be no comment list.
MENU_ITEMS_SHARE = 0.5

_WORD = re.compile(r"[^\W\d_][^\W_]*(?:[-'’][^\W\d_]+)*")
# A sentence end: the mark followed by a space or the end (not "express.derStandard.at").
_SENTENCE_END = re.compile(r"[.!?…](?=[\s\"'”»)]|$)")
_ITEM = re.compile(r"^\s*(?:[*+•□◦▪■‣·●○–-]|o(?=\s)|#(?=\s)|\d{1,3}[.)])\s+\S")
# The comment noun: the reply form's and its preview's headings speak of the comment, a
# commenter's name does not.  (Not the reply words: "40 weitere Antworten anzeigen" is a thread's
# button whose line shape the readers rely on.)
_COMMENT_NOUN = re.compile(
    r"(?<![^\W\d_])(?:comments?|kommentare?|commentaires?|comentarios?|commenti|commento|reactie|reacties)"
    r"(?![^\W\d_])", re.IGNORECASE)


def form_heading(name: str) -> bool:
    """A name-like line that is the comment form's heading ("Verify your Comment", "Post a
    comment", "another comment")."""
    return bool(_COMMENT_NOUN.search(name))


def menu_text(text: str) -> bool:
    """Whether a text under a name is a menu or a widget's links rather than a comment: no
    sentence in it, and either mostly short list items or a run of capitalised link titles."""
    words = _WORD.findall(text)
    if len(words) < MENU_MIN_WORDS:
        return False
    rows = [row for row in text.split("\n") if row.strip()]
    # Mostly short list items: a link list, full stops in the items or not ("+ Digitalcourage
    # e.V."); a sentence outside the items ("I agree." over two points) is a comment's own list.
    item_rows = [row for row in rows if _ITEM.match(row) and len(row.split()) <= MENU_ITEM_WORDS + 1]
    others = [row for row in rows if row not in item_rows]
    if (len(rows) >= 2 and len(item_rows) >= MENU_ITEM_SHARE * len(rows)
            and not any(_SENTENCE_END.search(row) for row in others)):
        return True
    if len(words) < TITLE_CASE_MIN_WORDS or _SENTENCE_END.search(text):
        return False
    capitals = sum(1 for w in words if w[0].isupper())
    return capitals >= TITLE_CASE_SHARE * len(words)


def mostly_menus(texts: list[str]) -> bool:
    """Whether half or more of a reading's texts are menus (:func:`menu_text`): the list is a
    footer or sidebar, not comments."""
    return bool(texts) and sum(1 for t in texts if menu_text(t)) >= MENU_ITEMS_SHARE * len(texts)


# --- a reading that is a listing (a board's thread list), not a thread (session 12) ---------
# A forum's thread list or a board index read as comments: every "comment" is a thread's title
# with its starter, last poster, dates and counts.  A title is no prose: no paragraph of
# LISTING_PROSE_WORDS words and no sentence closed by a full stop or "!" after a lower-case word
# ("?" does not count: titles are often questions).  Calibrated on the 314 seen readings of eight
# or more comments (seen9 without its measure-only sites, the development pages, the shared
# captures; `tests.bench`-style reading of every capture, session 12): in every real comment list
# at least 44 % of the texts were prose, in the thread lists read at most 8.6 %; the bound lies
# between.  A short list (under LISTING_MIN_ITEMS) is not judged: a blog's five one-line comments
# look the same.
LISTING_MIN_ITEMS = 8
LISTING_PROSE_WORDS = 15
LISTING_PROSE_SHARE = 0.2
_LOWER_SENTENCE_END = re.compile(r"[^\W\d_A-ZÀ-ÖØ-Þ]{2}[.!](?=[\s\"'”»)]|$)")
_SENTENCE_MIN_WORDS = 4
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _prose(text: str) -> bool:
    """Whether a text has a paragraph of prose or a line that is a sentence."""
    if any(len(_WORD.findall(part)) >= LISTING_PROSE_WORDS for part in _PARAGRAPH_BREAK.split(text)):
        return True
    return any(_LOWER_SENTENCE_END.search(row) and len(_WORD.findall(row)) >= _SENTENCE_MIN_WORDS
               for row in text.split("\n"))


def listing_reading(texts: list[str]) -> bool:
    """Whether a reading's comment texts are a listing's items (a thread list's titles, names
    and counts) rather than comments: many items, and almost none of them prose.

    >>> listing_reading(["Brewing with rye\\nAnna\\n12 replies"] * 9)
    True
    >>> listing_reading(["Thanks, that fixed it for me."] * 9)
    False
    """
    if len(texts) < LISTING_MIN_ITEMS:
        return False
    return sum(1 for text in texts if _prose(text)) < LISTING_PROSE_SHARE * len(texts)
