"""Column mappings of table inputs, as the command line writes them (``--map``)."""

from __future__ import annotations

from collections.abc import Sequence

from analyzer.core.errors import UsageError


def parse_mapping(spec: Sequence[str] | None) -> dict[str, str]:
    """``--map comment_id=ID_Post,parent_id=ID_Parent_Post`` (repeatable) to a dict."""
    mapping: dict[str, str] = {}
    for chunk in spec or ():
        for pair in chunk.split(","):
            if not pair.strip():
                continue
            key, sep, value = pair.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise UsageError(f"--map expects NAME=COLUMN pairs separated by commas, got {pair!r}")
            mapping[key.strip()] = value.strip()
    return mapping
