"""Frame ids in plain language: the label and definition each frame has in the inventories.

``frames.parquet`` and the metrics name a frame by its id (``economic_consequences``); people
read its label ("Economic consequences") and definition.  Both come from the packaged frame
inventories (``analyzer/stages/framing/data/frames_*.toml``), where every language uses the same ids;
the first inventory that defines an id gives its words.  An id no inventory knows (a custom
inventory) is shown as itself with underscores as spaces.
"""

from __future__ import annotations

import functools

from analyzer.core.errors import FormatError

LANGUAGES = ("en", "de")


@functools.lru_cache(maxsize=1)
def frame_glossary() -> dict[str, tuple[str, str]]:
    """Frame id -> (label, definition) from the packaged inventories (read once)."""
    from analyzer.stages.framing.inventory import load_packaged

    glossary: dict[str, tuple[str, str]] = {}
    for language in LANGUAGES:
        try:
            inventory = load_packaged(language)
        except (FormatError, OSError):  # a missing inventory only costs the plain words
            continue
        for frame in inventory.frames:
            if frame.name not in glossary:
                glossary[frame.name] = (frame.label or frame.name.replace("_", " "), frame.description)
    return glossary


def frame_label(frame: str) -> str:
    """The frame's label for people ("economic_consequences" -> "Economic consequences")."""
    known = frame_glossary().get(frame)
    return known[0] if known else frame.replace("_", " ")


def frame_definition(frame: str) -> str:
    """The frame's definition, or "" when no inventory defines the id."""
    known = frame_glossary().get(frame)
    return known[1] if known else ""
