"""The example notebook runs top to bottom (so it never rots) and shows what it promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT

NOTEBOOK = ROOT / "dashboards" / "notebooks" / "drilldown.ipynb"


@pytest.mark.slow
def test_drilldown_notebook_executes(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat", reason="nbformat is a dev dependency")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is a dev dependency")
    pytest.importorskip("ipykernel", reason="ipykernel is a dev dependency")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stdout"], "the notebook printed"
    html = "\n".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "analyzer-thread" in html and "dashed" in html  # the tree, with a ghost
    assert "obfuscated" in html  # the comment that disguised its links
    assert any("application/vnd.plotly.v1+json" in o.get("data", {}) for o in outputs)
    assert "'written'" in notebook.cells[-1].outputs[-1]["data"]["text/plain"]


def test_notebook_is_stored_without_outputs() -> None:
    nbformat = pytest.importorskip("nbformat", reason="nbformat is a dev dependency")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")
