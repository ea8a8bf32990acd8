"""Score a reader's comments against a truth tree, by the text key the shared captures use.

A truth comment carries ``key``: the first 50 lower-cased alphanumeric characters of its NFC body
text (``../shared/data/captures/README.md``).  A found comment *is* the truth comment whose key
occurs earliest in the found comment's own alphanumeric stream; further keys inside the same found
comment are comments merged into it (missing).  Keys are folded (NFKD, combining marks dropped) on
both sides, because some capture tools fold "ü" to "u" or print U+FFFD for decomposed umlauts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

MIN_KEY = 8  # keys shorter than this ("ok", "danke") are matched only at the very start


# Apostrophe-shaped modifier letters (U+02B9, U+02BB-U+02BF): lynx and elinks print the page's
# "’" as "ʼ" (U+02BC), which str.isalnum counts as a letter, so "donʼt" never matched the truth's
# "dont" (xenforo_androidcentral_en: 10 correct comments per tool counted as invented).
_APOSTROPHE_LETTERS = frozenset("\u02b9\u02bb\u02bc\u02bd\u02be\u02bf")


# The HTML readers write a link as "text (href)" (analyzer/ingest/htmltext.py) so that links
# can be counted; the truth key is the visible text only.  A key that runs across a link
# ("Ich mach mit :D" + link + "…", "What @rimelek (/u/rimelek) says") never matched the
# reader's text, so a correct comment counted as one missing and one invented (session 8:
# 17 of aside5's 23 saved-HTML inventions).  The target is recognised by its shape: a scheme,
# a root-relative path or "www.", with no space inside the parentheses.
_HREF_SUFFIX = re.compile(r" \((?:[A-Za-z][A-Za-z0-9+.-]{0,20}:|/|www\.)[^\s()]{0,2000}\)")


def without_href_suffixes(text: str) -> str:
    """``text`` without the " (href)" the HTML readers append to a link's visible text."""
    return _HREF_SUFFIX.sub("", text) if " (" in text else text


# An ordered list item's number the HTML readers print ("1. Furiosa"); the truth key, taken from
# the page's text nodes, has no number (discourse_straightdope_en, aside5).
_LIST_NUMBER = re.compile(r"^(\s*)\d{1,3}\. ", re.MULTILINE)


def own_words(text: str) -> str:
    """``text`` without its quoted lines (the readers print a quotation as "> " lines) and
    without the numbers of ordered list items."""
    if ">" in text:
        text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
    return _LIST_NUMBER.sub(r"\1", text)


def fold(text: str) -> str:
    """Lower-cased alphanumeric stream with diacritics and apostrophe-like letters dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c.lower() for c in decomposed
                   if c.isalnum() and not unicodedata.combining(c) and c not in _APOSTROPHE_LETTERS)


@dataclass(slots=True)
class Found:
    """One comment as a reader returned it."""

    comment_id: str
    parent_id: str | None
    text: str
    edge_confidence: float | None = None


@dataclass(slots=True)
class Truth:
    """One comment of the truth tree."""

    comment_id: str
    parent_id: str | None
    key: str
    # Keys matched only by a found comment's whole text: the key without a widget's words that
    # the truth took in with a short comment's text ("…soon" + "Loading…", "…so" + "Like").
    whole: tuple[str, ...] = ()


@dataclass(slots=True)
class Score:
    """Counts of one evaluation; add them up across pages."""

    truth: int = 0
    found: int = 0
    matched: int = 0
    missing: int = 0
    invented: int = 0
    links: int = 0  # links the capture shows (all matched comments, or flat: each must be top level)
    links_right: int = 0
    meta_prefix: int = 0  # matched comments whose text starts with something before the body
    silent_zero: int = 0
    pages: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("truth", "found", "matched", "missing", "invented", "links", "links_right",
                     "meta_prefix", "silent_zero", "pages"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.notes.extend(other.notes)

    @property
    def link_rate(self) -> float:
        return self.links_right / self.links if self.links else float("nan")

    @property
    def invented_rate(self) -> float:
        return self.invented / self.found if self.found else 0.0


def score(truth: Sequence[Truth], found: Sequence[Found], *, nested: bool,
          extra_keys: Sequence[str] = (), unshown: frozenset[str] = frozenset()) -> tuple[Score, dict[str, str]]:
    """Match ``found`` to ``truth`` and count.

    Args:
        nested: the capture shows the nesting (indentation, markers); when False, the right
            answer for every comment is "top level" (the reader cannot know more).
        extra_keys: keys of things that are not comments but are known to be on the page
            (pingbacks): a found comment matching one is still invented, but noted.
        unshown: truth ids whose parent link the page does not show (a removed comment's
            replies rendered right under a visible comment of the removed one's depth):
            not counted in the links.

    Returns:
        the score, and the mapping found comment id -> truth id.
    """
    keys = [(t.comment_id, fold(t.key)) for t in truth]
    whole = {t.comment_id: {fold(k) for k in t.whole if fold(k)} for t in truth if t.whole}
    # Each found comment is searched in three views of its text: its own words (quoted lines
    # and link targets left out), then the whole text, then the whole text without link
    # targets.  A hit in its own words ranks first: forum replies quote earlier posts ("> X
    # said: …"), and the truth keys are taken with the quotes dropped, so the earliest hit of a
    # post's key was often inside a later reply's quote, which took the post's match and left
    # the post itself "invented" (aside5 XenForo and Discourse, session 8).
    views = {f.comment_id: (fold(without_href_suffixes(own_words(f.text))), fold(f.text),
                            fold(without_href_suffixes(f.text))) for f in found}
    # Greedy in truth (document) order: each truth comment takes the found comment where its
    # key starts earliest and that no earlier truth comment took (identical texts, "haha",
    # pair up in order); a found comment holding a second key has merged that comment in.
    order = {f.comment_id: n for n, f in enumerate(found)}
    chosen: dict[str, tuple[int, str]] = {}  # found id -> (position, truth id)
    for tid, key in keys:
        if not key:
            continue
        hits: list[tuple[int, int, int, str]] = []
        for f in found:
            for rank, stream in enumerate(views[f.comment_id]):
                pos = stream.find(key) if len(key) >= MIN_KEY else (0 if stream.startswith(key) else -1)
                if pos >= 0:
                    # a short key ("spoiler") is matched only at a text's start: there the own
                    # words would outrank a whole text that is nothing but a quotation
                    own_first = min(rank, 1) if len(key) >= MIN_KEY else 0
                    hits.append((own_first, pos, order[f.comment_id], f.comment_id))
                    break
        if not hits and whole.get(tid):
            hits = [(0, 0, order[f.comment_id], f.comment_id) for f in found
                    if views[f.comment_id][0] in whole[tid] or views[f.comment_id][1] in whole[tid]]
        for _, pos, _, fid in sorted(hits):
            if fid not in chosen:
                chosen[fid] = (pos, tid)
                break
    f2t = {fid: tid for fid, (_, tid) in chosen.items()}
    t2f = {tid: fid for fid, tid in f2t.items()}
    out = Score(truth=len(truth), found=len(found), matched=len(f2t), pages=1)
    out.missing = out.truth - out.matched
    folded_extra = [fold(k) for k in extra_keys if k]
    for f in found:
        if f.comment_id not in f2t:
            out.invented += 1
            if any(k and k in views[f.comment_id][1] for k in folded_extra):
                out.notes.append(f"pingback read as comment: {f.comment_id}")
            else:
                out.notes.append(f"invented {f.comment_id}: {f.text[:70]!r}")
    out.meta_prefix = sum(1 for fid, (pos, _) in chosen.items() if pos > 0)
    prefixed = [fid for fid, (pos, _) in chosen.items() if pos > 0]
    if prefixed:
        text = next(f.text for f in found if f.comment_id == prefixed[0])
        out.notes.append(f"text before the body, e.g. {prefixed[0]}: {text[:80]!r}")
    truth_parent = {t.comment_id: t.parent_id for t in truth}
    by_id = {f.comment_id: f for f in found}
    for fid, tid in f2t.items():
        f = by_id[fid]
        if tid in unshown:
            continue
        out.links += 1
        if not nested:
            if f.parent_id is None:
                out.links_right += 1
            continue
        want = truth_parent[tid]
        got = f2t.get(f.parent_id) if f.parent_id is not None else None
        if f.parent_id is not None and got is None:
            continue  # parent is an invented or unmatched comment: wrong
        if (want is None and got is None) or (want is not None and got == want):
            out.links_right += 1
    del t2f
    return out, f2t
