"""Dump what the text readers make of every seen text capture, to check a speed-up changes nothing.

    python -m tests.bench.pagetext_equal --out /tmp/before.txt
    ... change the reader ...
    python -m tests.bench.pagetext_equal --out /tmp/after.txt
    diff /tmp/before.txt /tmp/after.txt        # must be empty

Inputs: every ``*.txt`` capture under the shared captures (``<page>/captures/*.txt``), the
captures of the seen held-out parts (``--parts``, default tuning, aside, aside2, aside3, aside4;
never a part not named), every ``*.txt`` of the repository's ``fixtures/``, and the synthetic
pages of the throughput bench (short and realistic comments, ``--synth-mb`` each).  Each file is
read twice: with the sniffed format (what ``analyse`` does) and forced as ``pagetext`` (the
reader under test, also on inputs the sniffer sends elsewhere).  For each reading the dump holds
every row of the comments, articles and blocks tables and every issue, or the refusal message.

Missing data folders are skipped with a note on stderr (the dump then covers less, and says so
in its header line).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from analyzer.core.errors import AnalyzerError
from analyzer.ingest import read

SHARED = Path("/work/shared/data/captures")
HELDOUT = Path("/work/heldout")
DEFAULT_PARTS = ("tuning", "aside", "aside2", "aside3", "aside4")
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def capture_files(parts: tuple[str, ...]) -> Iterator[tuple[str, Path]]:
    """(label, path) of every text capture to read, in a fixed order."""
    if SHARED.is_dir():
        for path in sorted(SHARED.glob("*/captures/*.txt")):
            yield f"shared/{path.relative_to(SHARED)}", path
    else:
        print(f"note: {SHARED} is absent", file=sys.stderr)
    split_file = HELDOUT / "split.json"
    if split_file.is_file():
        split = json.loads(split_file.read_text(encoding="utf-8"))
        for part in parts:
            for page in sorted(split.get(part, [])):
                for path in sorted((HELDOUT / "pages" / page / "captures").glob("*.txt")):
                    yield f"heldout/{part}/{page}/{path.name}", path
    else:
        print(f"note: {split_file} is absent", file=sys.stderr)
    for path in sorted(FIXTURES.rglob("*.txt")):
        yield f"fixtures/{path.relative_to(FIXTURES)}", path


def dump_reading(path: Path, fmt: str | None) -> list[str]:
    """Every table row and issue of one reading, one line each."""
    try:
        ingested = read([path], format=fmt)
    except AnalyzerError as exc:
        return [f"refused {type(exc).__name__}: {exc}"]
    lines: list[str] = []
    for name in ("articles", "comments", "blocks", "meta"):
        frame = getattr(ingested, name, None)
        if frame is None:
            continue
        lines.append(f"{name} {frame.columns}")
        lines.extend(repr(row) for row in frame.iter_rows())
    lines.extend(f"issue {issue!r}" for issue in ingested.issues)
    lines.extend(f"input {record!r}" for record in ingested.inputs)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--parts", default=",".join(DEFAULT_PARTS),
                        help="comma-separated held-out parts (seen parts only)")
    parser.add_argument("--synth-mb", type=float, default=1.0,
                        help="size of each synthetic bench page (0: none)")
    args = parser.parse_args(argv)
    parts = tuple(filter(None, args.parts.split(",")))
    n_files = 0
    with args.out.open("w", encoding="utf-8") as out, tempfile.TemporaryDirectory(prefix="pt_equal_") as tmp:
        files = list(capture_files(parts))
        if args.synth_mb > 0:
            from tests.bench.throughput import _render_page

            for realistic in (False, True):
                page = Path(tmp) / ("synth_realistic.txt" if realistic else "synth_short.txt")
                _render_page(page, 0, int(args.synth_mb * 2**20), realistic=realistic)
                files.append((f"synth/{page.name}", page))
        out.write(f"# {len(files)} files, parts {','.join(parts)}\n")
        for label, path in files:
            for fmt in (None, "pagetext"):
                out.write(f"== {label} format={fmt}\n")
                for line in dump_reading(path, fmt):
                    # Paths of temporary files and of the checkout differ between runs.
                    out.write(line.replace(tmp, "<tmp>").replace(str(FIXTURES), "<fixtures>") + "\n")
            n_files += 1
    print(f"{n_files} files dumped to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
