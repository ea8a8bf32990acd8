"""ConvoKit for the two interoperability tests: installed by ``[dev]``, required in CI.

ConvoKit is a dev dependency (``pip install -e ".[dev]"``, as ``.ci/run`` does), so CI always
runs the tests that need it: there a missing ConvoKit is a failure, not a skip.  A developer
who installed the package without ``[dev]`` gets a skip with the reason.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def import_convokit(monkeypatch: pytest.MonkeyPatch, home: str) -> ModuleType:
    """``convokit``, imported with ``HOME`` pointed at ``home`` (it writes ~/.convokit/config.yml)."""
    monkeypatch.setenv("HOME", home)
    if os.environ.get("CI"):
        return importlib.import_module("convokit")  # CI installs [dev]: a missing ConvoKit fails here
    return pytest.importorskip("convokit", reason='convokit is not installed (it comes with ".[dev]")')
