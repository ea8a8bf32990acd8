"""Exports open in other tools than the writer's own: igraph for GraphML, the GEXF rules Gephi
applies, Python's csv module and openpyxl's cell values for the tables.

igraph is Debian's ``python3-igraph`` (installed by ``.ci/run``) and runs in the system Python,
so the test calls it in a subprocess; it skips with the reason where it is missing.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from analyzer.core.run import read_run
from analyzer.outputs.export import export_run
from tests.outputs.export.test_export import run_dir  # noqa: F401  (the module-scoped run fixture)

SYSTEM_PYTHON = "/usr/bin/python3"
_IGRAPH = """
import json, sys, igraph
g = igraph.Graph.Read_GraphML(sys.argv[1])
edges = [(g.vs[e.source]["id"], g.vs[e.target]["id"], e["kind"], e["weight"]) for e in g.es]
print(json.dumps({"directed": g.is_directed(), "nodes": sorted(g.vs["id"]), "edges": sorted(edges),
                  "n_comments": dict(zip(g.vs["id"], g.vs["n_comments"]))}))
"""


def _system_igraph() -> bool:
    if not (os.access(SYSTEM_PYTHON, os.X_OK) and shutil.which(SYSTEM_PYTHON)):
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import igraph"], capture_output=True).returncode == 0


def test_graphml_opens_in_igraph_with_the_same_graph(run_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    if not _system_igraph():
        pytest.skip("Debian's python3-igraph is not installed (apt-get install python3-igraph, as .ci/run does)")
    out = tmp_path / "net.graphml"
    export_run(run_dir, "graphml", out)
    done = subprocess.run([SYSTEM_PYTHON, "-c", _IGRAPH, str(out)], capture_output=True, text=True, check=True)
    theirs = json.loads(done.stdout)
    ours = nx.read_graphml(out)
    assert theirs["directed"] is True
    assert theirs["nodes"] == sorted(ours.nodes)
    assert theirs["edges"] == sorted([u, v, d["kind"], d["weight"]] for u, v, d in ours.edges(data=True))
    assert theirs["edges"]  # reply edges at least
    authors = read_run(run_dir).frame("authors")
    assert theirs["n_comments"] == {a: float(n) for a, n in authors.select("author", "n_comments").iter_rows()}


def test_gexf_follows_the_rules_gephi_reads_by(run_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    # GEXF 1.2: every attvalue names an attribute declared for its class (node or edge) with a
    # value of the declared type; every edge joins declared nodes; ids are unique.
    out = tmp_path / "net.gexf"
    export_run(run_dir, "gexf", out)
    root = etree.parse(str(out)).getroot()
    ns = {"g": root.nsmap[None]}
    assert root.tag.endswith("gexf") and root.get("version", "").startswith("1.2")
    graph = root.find("g:graph", ns)
    assert graph is not None and graph.get("defaultedgetype") == "directed"
    declared: dict[str, dict[str, str]] = {}
    for block in graph.findall("g:attributes", ns):
        declared[block.get("class", "")] = {a.get("id", ""): a.get("type", "") for a in block.findall("g:attribute", ns)}
    casts = {"integer": int, "long": int, "double": float, "float": float, "string": str,
             "boolean": lambda v: {"true": True, "false": False}[v]}
    node_ids = [n.get("id") for n in graph.iterfind("g:nodes/g:node", ns)]
    assert len(node_ids) == len(set(node_ids)) > 0
    edges = list(graph.iterfind("g:edges/g:edge", ns))
    assert edges and len({e.get("id") for e in edges}) == len(edges)
    for cls, elements in (("node", graph.iterfind("g:nodes/g:node", ns)), ("edge", edges)):
        for element in elements:
            for value in element.iterfind("g:attvalues/g:attvalue", ns):
                kind = declared[cls][value.get("for", "")]
                casts[kind](value.get("value", ""))  # raises on a value of the wrong type
    assert all(e.get("source") in node_ids and e.get("target") in node_ids for e in edges)


def test_csv_opens_in_the_csv_module_and_xlsx_cells_match(run_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl reads the workbook back ([dev] extra)")
    run = read_run(run_dir)
    export_run(run_dir, "csv", tmp_path / "csv")
    export_run(run_dir, "xlsx", tmp_path / "run.xlsx")
    book = openpyxl.load_workbook(tmp_path / "run.xlsx", read_only=True)
    for name in ("comments", "authors", "author_edges"):
        with (tmp_path / "csv" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == run.frame(name).columns
        assert len(rows) == run.frame(name).height + 1
        cells = [["" if v is None else str(v) for v in row] for row in book[name].iter_rows(values_only=True)]
        assert cells[0] == rows[0]
        # The same values in both (numbers as numbers: Excel stores 2 and 2.0 alike; booleans true/TRUE).
        for csv_row, xlsx_row in zip(rows[1:], cells[1:], strict=True):
            for a, b in zip(csv_row, xlsx_row, strict=True):
                assert a.lower() == b.lower() or float(a) == float(b), (name, a, b)
