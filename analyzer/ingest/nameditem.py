"""The record of one comment read from a list anchored on its author's name line.

Lists that print no date per comment (a comment system's no-script list above its "comments
powered by" line, signedlists.py; a theme's avatar-and-name list under the comment header,
datelesslists.py) are read the same way: a name line, then the comment's text up to the next
name.  One record serves both, so the shape reader turns either into comments alike.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NamedItem"]


@dataclass(slots=True)
class NamedItem:
    """One comment: its name line, text lines ``[body_start, body_end)``, author and text, and
    the name line's indentation (0 where the capture shows none: a flat list)."""

    name_line: int
    body_start: int
    body_end: int
    author: str
    text: str
    indent: int = 0
