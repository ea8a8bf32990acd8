"""One page through every stage imports nothing it does not use (issue 17: one page in <= 2 s).

scikit-learn's first import alone was 1.4 CPU seconds of a 3.7 s run; the models predict from
their stored coefficients with our own MurmurHash3 (analyzer/stages/hashed_ngrams.py).  This
guards the whole ``analyse`` process of the sample page against heavy imports coming back:
scikit-learn, the other commands' modules (report, dashboards), plotting and neural libraries.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
