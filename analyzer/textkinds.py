"""Which comments the text stages read: written comments, removed ones included when they kept their text.

Moderation is a subject of study (issue 13, item 6): a comment a moderator removed but whose
text the source still carries (One Million Posts ``Status = deleted``, mapped with
``--map deleted=Status``) goes through every text stage (links, nlp, quotes, stance, framing,
labels) like any other; ``comments.parquet`` flags it (``kind`` deleted/removed,
``is_deleted``) and every per-comment output joins on ``article_id, comment_id``.  A
placeholder without text (Reddit's "[deleted]") has nothing to analyse and stays out.
Ghosts and "more" stubs never have text.
"""

from __future__ import annotations

import polars as pl

# Kinds whose text is analysed when present.
ANALYSED_KINDS: tuple[str, ...] = ("comment", "deleted", "removed")
REMOVED_KINDS: tuple[str, ...] = ("deleted", "removed")


def has_text(text: object) -> bool:
    return isinstance(text, str) and bool(text.strip())


def is_analysed(kind: object, text: object) -> bool:
    """True for a comment the text stages read (see the module docstring)."""
    return kind in ANALYSED_KINDS and has_text(text)


def analysed() -> pl.Expr:
    """Polars filter: comments the text stages read."""
    return (
        pl.col("kind").is_in(ANALYSED_KINDS)
        & pl.col("text").is_not_null()
        & (pl.col("text").str.strip_chars().str.len_chars() > 0)
    )
