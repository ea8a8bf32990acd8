"""Generate the settings table of docs/usage.md from the stages' settings declarations.

``python -m tests.docs.settings_doc --write`` rewrites the generated part of the document;
``tests/docs/test_settings_doc.py`` fails when the document and the declarations disagree.
"""

from __future__ import annotations

from pathlib import Path

from analyzer.core.settings import fields_of
from analyzer.stages import STAGES
from analyzer.stages.settings import settings_classes
from tests.docs import generated_part

DOC = Path(__file__).resolve().parents[2] / "docs" / "usage.md"
BEGIN = "<!-- generated: settings (python -m tests.docs.settings_doc --write) -->"
END = "<!-- end generated settings -->"


def _type_name(kind: object) -> str:
    text = str(kind).replace("typing.", "").replace("pathlib.", "").replace("datetime.", "")
    text = text.replace("collections.abc.", "").replace("<class '", "").replace("'>", "")
    return text.replace("|", "or")


def generated() -> str:
    """One row per setting: name (job ``[settings]`` key), option, type, default, read by, meaning."""
    readers: dict[type, list[str]] = {}
    for spec in STAGES:
        for cls in spec.settings_classes():
            readers.setdefault(cls, []).append(spec.name)
    lines = [BEGIN, "", "| setting | option | type | default | read by | what it does |", "|---|---|---|---|---|---|"]
    for cls in settings_classes():
        for f in fields_of(cls):
            default = "—" if f.default is None else f"`{f.default!r}`" if f.default != () else "`[]`"
            option = f"`{f.info.flag}`" if f.info.flag else "—"
            lines.append(f"| `{f.name}` | {option} | {_type_name(f.kind)} | {default} | "
                         f"{', '.join(readers[cls])} | {f.info.help} |")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def render(document: str) -> str:
    """``document`` with its generated part replaced (appended when it has none)."""
    return generated_part.render(document, BEGIN, END, generated())


if __name__ == "__main__":
    generated_part.main(DOC, render, generated)
