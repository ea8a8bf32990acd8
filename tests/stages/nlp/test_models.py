"""Models folder, install status, download arguments, and clear errors for missing models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analyzer.stages.nlp import models
from analyzer.stages.nlp.stage import NlpSettings, _Planner


def _fake_install(folder: Path, lang: str, processors: dict[str, str]) -> None:
    """A models folder shaped like stanza's (resources.json + <lang>/<processor>/<package>.pt)."""
    resources = {lang: {"lang_name": lang, "packages": {"default": dict(processors)}, "default_processors": dict(processors)}}
    for processor, package in processors.items():
        resources[lang][processor] = {package: {}}
        target = folder / lang / processor / f"{package}.pt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"not a real model")
    (folder / "resources.json").write_text(json.dumps(resources), encoding="utf-8")


def test_models_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(models.MODELS_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert models.resolve_models_dir() == tmp_path / "cache" / "analyzer" / "stanza"
    monkeypatch.setenv(models.MODELS_ENV, str(tmp_path / "env"))
    assert models.resolve_models_dir() == tmp_path / "env"
    assert models.resolve_models_dir(tmp_path / "explicit") == tmp_path / "explicit"


def test_status_of_empty_and_partial_installs(empty_models_dir: Path) -> None:
    status = models.language_status("de", empty_models_dir)
    assert not status.complete and "resources.json" in status.missing
    _fake_install(empty_models_dir, "de", {"tokenize": "gsd", "mwt": "gsd", "pos": "gsd"})
    status = models.language_status("de", empty_models_dir)
    assert status.processors.keys() == {"tokenize", "mwt", "pos"}
    assert status.missing == ["lemma"]  # sentiment is not in this resources.json, so not required
    _fake_install(empty_models_dir, "de", {"tokenize": "gsd", "mwt": "gsd", "pos": "gsd", "lemma": "gsd", "sentiment": "sb10k"})
    assert models.language_status("de", empty_models_dir).complete
    assert models.installed_languages(empty_models_dir) == ["de"]


def test_auto_mode_plans_stanza_only_for_complete_languages(empty_models_dir: Path) -> None:
    _fake_install(empty_models_dir, "de", {"tokenize": "gsd", "pos": "gsd", "lemma": "gsd"})
    planner = _Planner(NlpSettings(mode="auto", models_dir=empty_models_dir))
    assert planner.planned == {"de": "stanza", "en": "offline"}
    assert _Planner(NlpSettings(mode="offline", models_dir=empty_models_dir)).planned == {"de": "offline", "en": "offline"}


def test_broken_install_in_auto_mode_falls_back_with_an_issue(empty_models_dir: Path) -> None:
    # The files exist but are not models: stanza fails to load them; auto mode carries on offline.
    _fake_install(empty_models_dir, "de", {"tokenize": "gsd", "pos": "gsd", "lemma": "gsd"})
    (empty_models_dir / "de" / "pos" / "gsd.pt").unlink()
    (empty_models_dir / "de" / "pos" / "other.pt").write_bytes(b"x")  # status says complete, file name differs
    planner = _Planner(NlpSettings(mode="auto", models_dir=empty_models_dir))
    assert planner.planned["de"] == "stanza"
    docs = planner.runners()["de"](["Ein Satz."])
    assert len(docs) == 1
    assert planner.used["de"] == "offline"
    assert [i.code for i in planner.issues] == ["nlp-models-unusable"]
    assert "analyzer models download de" in planner.issues[0].detail


def test_stanza_mode_missing_file_is_a_usage_error(empty_models_dir: Path) -> None:
    _fake_install(empty_models_dir, "de", {"tokenize": "gsd"})
    (empty_models_dir / "de" / "tokenize" / "gsd.pt").unlink()
    with pytest.raises(models.ModelsMissingError, match=r"run `analyzer models download de`"):
        models.load_pipeline("de", mode="stanza", models_dir=empty_models_dir, use_gpu=False)


def test_download_lists_processors_explicitly(empty_models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import stanza

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(stanza, "download", lambda lang, **kw: calls.append((lang, kw)))
    asked = models.download(["de", "en"], empty_models_dir / "new")
    assert [c[0] for c in calls] == ["de", "en"]
    kwargs = calls[0][1]
    assert kwargs["model_dir"] == str(empty_models_dir / "new")
    assert set(kwargs["processors"]) == {"tokenize", "mwt", "pos", "lemma", "sentiment"}
    assert "ner" not in kwargs["processors"]
    assert asked["de"] == list(models.CORE_PROCESSORS)
    models.download(["de"], empty_models_dir / "new", ner=True)
    assert "ner" in calls[-1][1]["processors"]


def test_network_guard_is_active() -> None:
    import socket

    from tests.stages.nlp.conftest import NetworkAttemptError

    with pytest.raises(NetworkAttemptError):
        socket.create_connection(("example.org", 80), timeout=1)
