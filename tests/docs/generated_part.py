"""The generated part of a document, between a BEGIN and an END marker (shared by the doc generators)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path


def render(document: str, begin: str, end: str, generated: str) -> str:
    """``document`` with the part from ``begin`` to ``end`` replaced by ``generated`` (appended when absent).

    ``generated`` starts with ``begin`` and ends with ``end`` and a newline.
    """
    if begin in document and end in document:
        head, _, rest = document.partition(begin)
        _, _, tail = rest.partition(end)
        return head + generated.rstrip("\n") + tail
    return document.rstrip("\n") + "\n\n" + generated


def main(doc: Path, rendered: Callable[[str], str], generated: Callable[[], str]) -> None:
    """``--write`` rewrites ``doc``; without it the generated part goes to standard output."""
    if "--write" in sys.argv[1:]:
        doc.write_text(rendered(doc.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        sys.stdout.write(generated())
