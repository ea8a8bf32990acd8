"""Generate the column reference of docs/run-folder.md from the declared schemas.

``python -m tests.docs.run_folder --write`` rewrites the generated part of the document;
``tests/docs/test_run_folder_doc.py`` fails when the document and the schemas disagree.
"""

from __future__ import annotations

from pathlib import Path

from analyzer.core import run
from analyzer.stages import STAGES
from tests.docs import generated_part

DOC = Path(__file__).resolve().parents[2] / "docs" / "run-folder.md"
BEGIN = "<!-- generated: columns (python -m tests.docs.run_folder --write) -->"
END = "<!-- end generated -->"


def generated() -> str:
    """The column reference: every file a run folder may hold, its writer, columns and types."""
    owner = {file: spec.name for spec in STAGES for file in spec.outputs}
    lines = [BEGIN, "", "## Files and columns", "",
             "| file | written by | columns (type) |", "|---|---|---|"]
    for file, schema in run.known_files().items():
        columns = ", ".join(f"`{name}` ({dtype})" for name, dtype in schema.items())
        lines.append(f"| `{file}` | {owner.get(file, 'every run')} | {columns} |")
    lines += ["", END]
    return "\n".join(lines) + "\n"


def render(document: str) -> str:
    """``document`` with its generated part replaced (appended when it has none)."""
    return generated_part.render(document, BEGIN, END, generated())


if __name__ == "__main__":
    generated_part.main(DOC, render, generated)
