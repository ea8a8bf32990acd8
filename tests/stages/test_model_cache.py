"""Model files are read once per process and file version; every load still gets its own objects."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np

from analyzer.stages.labels import model as label_model
from analyzer.stages.stance import german, trained


def test_label_model_read_once_per_file_version(tmp_path: Path) -> None:
    path = tmp_path / label_model.MODEL_FILE
    shutil.copy(label_model.PACKAGED_MODEL, path)
    before = label_model._arrays.cache_info()
    first = label_model.load(path)
    second = label_model.load(path)
    assert label_model._arrays.cache_info().hits == before.hits + 1
    first.groups[0].featurizer.scale[:] = 0.0  # a caller changing its copy ...
    first.card["changed"] = True
    assert np.all(second.groups[0].featurizer.scale > 0) and "changed" not in second.card  # ... changes no other
    assert np.all(label_model.load(path).groups[0].featurizer.scale > 0)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a new version of the file is read again
    misses = label_model._arrays.cache_info().misses
    label_model.load(path)
    assert label_model._arrays.cache_info().misses == misses + 1


def test_stance_model_read_once_per_file_version(tmp_path: Path) -> None:
    path = tmp_path / german.PACKAGED_MODEL.name
    shutil.copy(german.PACKAGED_MODEL, path)
    before = trained._parsed.cache_info()
    first = trained.load(path)
    second = trained.load(path)
    assert trained._parsed.cache_info().hits == before.hits + 1
    first.card["changed"] = True
    assert "changed" not in second.card and "changed" not in trained.load(path).card
    samples = [{"text": "Nein, das stimmt so nicht.", "features": {}}]
    assert np.array_equal(first.pipelines["parent"].predict_proba(samples), second.pipelines["parent"].predict_proba(samples))
