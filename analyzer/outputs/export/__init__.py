"""``analyzer export RUN --to csv|xlsx|graphml|gexf|convokit --out PATH``: a run for other tools.

* ``csv``: a folder with one CSV per frame of the run (:mod:`.tables`);
* ``xlsx``: one workbook, a sheet per frame (:mod:`.tables`, xlsxwriter);
* ``graphml`` / ``gexf``: the author network for Gephi (:mod:`.network`, networkx writers);
* ``convokit``: a ConvoKit corpus folder (:mod:`.convokit`).

Exports read the run folder only; nothing is recomputed except the author network of a run
made without the coordination stage (replies counted from the comments).
"""

from __future__ import annotations

from pathlib import Path

from analyzer.core.errors import UsageError

FORMATS = ("csv", "xlsx", "graphml", "gexf", "convokit")


def export_run(run_dir: str | Path, to: str, out: str | Path) -> list[Path]:
    """Export the run folder ``run_dir`` as ``to`` into ``out``; returns the files written.

    Raises:
        UsageError: unknown format, or ``out`` is an existing file where a folder is written.
        RunFolderError: ``run_dir`` is not a finished run folder.
    """
    from analyzer.core.run import read_run

    if to not in FORMATS:
        raise UsageError(f"unknown export format {to!r}; known: {', '.join(FORMATS)}")
    run = read_run(run_dir)
    out = Path(out)
    if to in ("csv", "convokit") and out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder (--to {to} writes a folder)")
    if to in ("xlsx", "graphml", "gexf") and out.is_dir():
        raise UsageError(f"{out}: is a folder (--to {to} writes one file)")
    if to in ("csv", "xlsx"):
        from analyzer.outputs.export import tables

        names = [name for name in run.manifest.get("files", {}) if name.endswith(".parquet")]
        frames = {name.removesuffix(".parquet"): run.frame(name) for name in names}
        return tables.write_csv(frames, out) if to == "csv" else tables.write_xlsx(frames, out)
    if to in ("graphml", "gexf"):
        from analyzer.outputs.export import network

        return network.write_graph(run, out, to)
    from analyzer.outputs.export import convokit

    return convokit.write_corpus(run, out)
