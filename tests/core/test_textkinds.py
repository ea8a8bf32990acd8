"""Which comments the text stages read: the scalar rule and the polars filter agree."""

from __future__ import annotations

import itertools

import polars as pl

from analyzer.core.textkinds import analysed, has_text, is_analysed

KINDS = ("comment", "deleted", "removed", "ghost", "more", None)
TEXTS = ("Ein Satz.", "  ", "", None, "[deleted]", " [removed] ", "[deleted] but it said more")


def test_written_and_removed_comments_with_text_are_read() -> None:
    assert is_analysed("comment", "Ein Satz.")
    assert is_analysed("deleted", "Der Moderator entfernte das.")  # removed, text kept: studied
    assert not is_analysed("deleted", "[deleted]")  # Reddit's placeholder is no text
    assert not is_analysed("ghost", "anything")  # ghosts never have text of their own
    assert not is_analysed("comment", "   ") and not has_text(None)


def test_a_written_comment_may_say_the_placeholder_words() -> None:
    # Only a removed comment's body can be a placeholder; someone may write "[deleted]".
    assert is_analysed("comment", "[deleted]")


def test_filter_equals_the_scalar_rule_on_every_combination() -> None:
    rows = list(itertools.product(KINDS, TEXTS))
    frame = pl.DataFrame({"kind": [k for k, _ in rows], "text": [t for _, t in rows]},
                         schema={"kind": pl.String, "text": pl.String})
    by_filter = frame.with_columns(read=analysed().fill_null(False)).get_column("read").to_list()
    assert by_filter == [is_analysed(k, t) for k, t in rows]
