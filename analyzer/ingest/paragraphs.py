"""Runs of non-blank lines of a page text: the one paragraph splitter of the text readers.

Why one module: the page-text reader, the learnt comment shapes and the forum reader each cut
what is left after the comments (or the page's furniture) into navigation blocks the same way;
three copies had grown apart only in what they strip and how they join lines, which stay
parameters here so every reader keeps its output.
"""

from __future__ import annotations


def paragraphs(lines: list[str], start: int, end: int | None = None, *, strip_chars: str | None = None,
               joiner: str = "\n") -> list[tuple[int, str]]:
    """(1-based first line, text) of each run of non-blank lines in ``lines[start:end]``.

    Each line is stripped of ``strip_chars`` (all whitespace when None) and a line left empty
    ends a paragraph; a paragraph's lines are joined with ``joiner``.
    """
    stop = len(lines) if end is None else end
    out: list[tuple[int, str]] = []
    current: list[str] = []
    first = 0
    for idx in range(start, stop):
        stripped = lines[idx].strip(strip_chars)
        if stripped:
            if not current:
                first = idx + 1
            current.append(stripped)
        elif current:
            out.append((first, joiner.join(current)))
            current = []
    if current:
        out.append((first, joiner.join(current)))
    return out
