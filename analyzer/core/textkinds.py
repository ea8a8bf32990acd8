"""Which comments the text stages read: written comments, removed ones included when they kept their text.

Moderation is a subject of study (issue 13, item 6): a comment a moderator removed but whose
text the source still carries (One Million Posts ``Status = deleted``, mapped with
``--map deleted=Status``) goes through every text stage (links, nlp, quotes, stance, framing,
labels) like any other; ``comments.parquet`` flags it (``kind`` deleted/removed,
``is_deleted``) and every per-comment output joins on ``article_id, comment_id``.  A
placeholder (no text, or only Reddit's "[deleted]" / "[removed]") has nothing to analyse and
stays out.
Ghosts and "more" stubs never have text.
"""

from __future__ import annotations

import polars as pl

# Kinds whose text is analysed when present.
ANALYSED_KINDS: tuple[str, ...] = ("comment", "deleted", "removed")
REMOVED_KINDS: tuple[str, ...] = ("deleted", "removed")
# Bodies that stand for a removed comment instead of its text (Reddit, Pushshift dumps).
PLACEHOLDER_TEXTS: tuple[str, ...] = ("[deleted]", "[removed]")


def has_text(text: object) -> bool:
    return isinstance(text, str) and bool(text.strip())


def is_analysed(kind: object, text: object) -> bool:
    """True for a comment the text stages read (see the module docstring)."""
    if kind == "comment":
        return has_text(text)
    return kind in REMOVED_KINDS and has_text(text) and str(text).strip() not in PLACEHOLDER_TEXTS


def analysed() -> pl.Expr:
    """Polars filter: comments the text stages read."""
    stripped = pl.col("text").str.strip_chars()
    return (
        pl.col("kind").is_in(ANALYSED_KINDS)
        & pl.col("text").is_not_null()
        & (stripped.str.len_chars() > 0)
        & ((pl.col("kind") == "comment") | ~stripped.is_in(PLACEHOLDER_TEXTS))
    )
