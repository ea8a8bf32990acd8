"""One page through every stage imports nothing it does not use (issue 17: one page in <= 2 s).

scikit-learn's first import alone was 1.4 CPU seconds of a 3.7 s run; the models predict from
their stored coefficients with our own MurmurHash3 (analyzer/stages/hashed_ngrams.py).  This
guards the whole ``analyse`` process of the sample page against heavy imports coming back:
scikit-learn, the other commands' modules (report, dashboards), plotting and neural libraries.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[1]
# Top-level packages a one-page `analyse` must not import (each costs 0.06-1.5 s CPU to import).
NOT_NEEDED = ("sklearn", "scipy", "pandas", "plotly", "dash", "dashboards", "stanza", "torch", "scipy.stats")
NOT_NEEDED_MODULES = ("analyzer.outputs.report", "analyzer.jobs.cli", "analyzer.domains.cli")

_PROBE = """
import json, sys
from analyzer.cli import main
code = main(["analyse", sys.argv[1], "--out", sys.argv[2], "-q"])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_one_page_analyse_imports_no_heavy_unused_package(tmp_path: Path) -> None:
    page = ROOT / "fixtures" / "de_sample_page" / "input.txt"
    done = subprocess.run([sys.executable, "-c", _PROBE, str(page), str(tmp_path / "run")], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, 1)
    assert (tmp_path / "run" / "stance.parquet").is_file() and (tmp_path / "run" / "comment_labels.parquet").is_file()
    modules = set(result["modules"])
    loaded = sorted(m for m in modules if m in NOT_NEEDED or m.split(".")[0] in NOT_NEEDED)
    assert loaded == []
    assert sorted(modules & set(NOT_NEEDED_MODULES)) == []


def test_one_page_with_packaged_models_imports_no_scipy(tmp_path: Path) -> None:
    """The same with the packaged label and stance models on, as users run it.

    tests/conftest.py turns both off for every test (hermetic tests), so the test above never
    reaches the models' thread block: this one found the labels' thread offsets importing
    scipy.sparse (~0.13 s) on one page.  The child gets the environment without those switches.
    """
    from analyzer.stages.labels import model as label_model
    from analyzer.stages.stance import german

    if not (label_model.PACKAGED_MODEL.is_file() and german.PACKAGED_MODEL.is_file()):
        pytest.skip("a packaged model (labels or stance) is absent")
    env = {k: v for k, v in os.environ.items() if k not in ("ANALYZER_LABELS_PACKAGED", "ANALYZER_STANCE_PACKAGED")}
    page = ROOT / "fixtures" / "de_sample_page" / "input.txt"
    done = subprocess.run([sys.executable, "-c", _PROBE, str(page), str(tmp_path / "run")], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] in (0, 1)
    # The models did run (otherwise the guard proves nothing).
    labels = pl.read_parquet(tmp_path / "run" / "comment_labels.parquet")
    stance = pl.read_parquet(tmp_path / "run" / "stance.parquet")
    assert labels.get_column("model").drop_nulls().str.starts_with("omp-").any()
    assert stance.get_column("model").drop_nulls().str.starts_with("stance-").any()
    loaded = sorted(m for m in result["modules"] if m.split(".")[0] in NOT_NEEDED)
    assert loaded == []
