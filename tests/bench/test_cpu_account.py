"""The CPU account's rows from py-spy's collapsed stacks (made-up stacks, no py-spy run)."""

from __future__ import annotations

from pathlib import Path

from tests.bench.cpu_account import account

_PARENT = 'process 11:"python -m analyzer analyse in.csv -q"'
_SIDE = 'process 12:"/venv/bin/python -B -c from multiprocessing.spawn import spawn_main; spawn_main(tracker_fd=9) --multiprocessing-fork"'
_RUN = "_run_module_as_main (<frozen runpy>:198);_run_code (<frozen runpy>:88);<module> (/r/analyzer/__main__.py:6)"


def test_rows_and_processes(tmp_path: Path) -> None:
    lines = [
        f"{_PARENT};{_RUN};_run_stages (/r/analyzer/pipeline.py:250);run_stage (/r/analyzer/stages/nlp/stage.py:440) 7",
        f"{_PARENT};{_RUN};_run_stages (/r/analyzer/pipeline.py:250);run_stage (/r/analyzer/stages/stance/stage.py:301);"
        "_find_and_load (<frozen importlib._bootstrap>:1165);<module> (/v/scipy/sparse/__init__.py:1) 3",
        f"{_PARENT};{_RUN};write_run (/r/analyzer/core/run.py:90);verify_run_folder (/r/analyzer/accounting.py:204) 2",
        f"{_PARENT};{_RUN};write_run (/r/analyzer/core/run.py:90) 1",
        f"{_PARENT};{_SIDE};<module> (<string>:1);spawn_main (/py/multiprocessing/spawn.py:122);_main (/py/multiprocessing/spawn.py:135);"
        "BaseProcess._bootstrap (/py/multiprocessing/process.py:314);BaseProcess.run (/py/multiprocessing/process.py:108);"
        "_side_main (/r/analyzer/engines/side.py:85);prepare_all (/r/analyzer/engines/side.py:75);"
        "predict (/r/analyzer/stages/labels/stage.py:324) 5",
        f"{_PARENT};{_SIDE} 4",
    ]
    raw = tmp_path / "raw.txt"
    raw.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = account(raw)
    assert found["analyser (parent)"] == {"stage nlp": 7, "imports": 3, "checking the run folder": 2,
                                          "writing the run folder": 1}
    assert found["spawned process"] == {"stage labels": 5, "interpreter start and exit": 4}
