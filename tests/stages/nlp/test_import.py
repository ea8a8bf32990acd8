"""``import analyzer`` and the stage registry stay light: no stanza, no torch."""

from __future__ import annotations

import subprocess
import sys


def test_import_does_not_load_stanza_or_torch() -> None:
    code = (
        "import sys, analyzer, analyzer.stages.nlp, analyzer.stages.nlp.stage, analyzer.stages.nlp.cli, analyzer.stages.nlp.metrics;"
        "print(any(m == 'stanza' or m.startswith('stanza.') for m in sys.modules), 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
