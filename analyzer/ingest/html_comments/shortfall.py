"""Pages that show far more comments than were read.

Why (issue 12): a reader that finds *some* comments is not silent, but it can still miss most
of them (a second list in other markup, a thread a reader cut short).  When the page announces
a count, ``count-mismatch`` says so; when it does not, nothing did.  Here the structure reader
(:mod:`analyzer.ingest.html_comments.structure`: repeated blocks with reply buttons,
permalinks, comment ids, avatars) counts the comment blocks the page shows, independently of
the reader that read it; far more blocks than comments read is a warning naming them.
"""

from __future__ import annotations

from analyzer.ingest.html_comments import structure
from analyzer.ingest.html_comments.common import Element

# Warning: some comments were read, far more are shown.
CODE = "comments-partly-recognised"

# "Far more": at least this factor times the comments read, plus this margin.  Chosen on the
# 40 held-out pages with comments (all read in full): the structure reader counts at most one
# block more than truth there (ratio ≤ 1.13), so a factor of 2 plus 3 never fires on them
# and fires when a reader has missed more than half of a list of five or more.
FACTOR = 2
MARGIN = 3


def shortfall(root: Element, n_read: int) -> str | None:
    """Evidence that the page shows far more comments than the ``n_read`` read, or None."""
    if n_read <= 0:
        return None
    found = structure.extract(root)
    shown = [c for c in found.comments if c.kind == "comment"] if found is not None else []
    if found is None or len(shown) < FACTOR * n_read + MARGIN:
        return None
    first = shown[0].line
    where = f", the first at line {first}" if first else ""
    return (
        f"only {n_read} comment(s) were read, but the page shows {len(shown)} blocks with comment"
        f" evidence{where} ({_what(found.notes)}); the rest are not in the result"
    )


def _what(notes: list[str]) -> str:
    """The structure reader's note up to where it starts on nesting: which blocks, what evidence."""
    if not notes:
        return "repeated blocks"
    return notes[0].split("; ")[0].removeprefix("no known comment system: ")
