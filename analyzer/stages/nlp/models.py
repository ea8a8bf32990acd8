"""Stanza models: where they live, what is installed, downloading, and building pipelines.

Heavy resources load once, explicitly, and never from the network by surprise: pipelines
are built with ``download_method=None`` (stanza otherwise fetches ``resources.json`` on every
construction), from a pinned folder, in this order of precedence:

1. ``settings["models_dir"]`` (the CLI's ``--models``),
2. the ``STANZA_RESOURCES_DIR`` environment variable,
3. ``$XDG_CACHE_HOME/analyzer/stanza`` (``~/.cache/analyzer/stanza``).

We never use stanza's own default folder: it changes with every stanza version.  The only
code that touches the network is :func:`download`, behind ``analyzer models download``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from analyzer.core.errors import UsageError

MODELS_ENV = "STANZA_RESOURCES_DIR"
# Processors we run per language in stanza mode (sentiment where stanza has a model;
# depparse and constituency are not needed by any metric and are slow and large).
CORE_PROCESSORS: tuple[str, ...] = ("tokenize", "mwt", "pos", "lemma", "sentiment")
NER_PROCESSOR = "ner"


class ModelsMissingError(UsageError):
    """Stanza models for a language are not (completely) installed in the models folder."""


def default_models_dir() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "analyzer" / "stanza"


def resolve_models_dir(value: str | os.PathLike[str] | None = None) -> Path:
    """The models folder: explicit value, else ``STANZA_RESOURCES_DIR``, else our cache folder."""
    if value:
        return Path(value).expanduser()
    env = os.environ.get(MODELS_ENV)
    return Path(env).expanduser() if env else default_models_dir()


def read_resources(models_dir: Path) -> dict[str, Any] | None:
    """stanza's ``resources.json`` in ``models_dir``, or None when absent or unreadable."""
    path = models_dir / "resources.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def processors_for(lang: str, resources_json: Mapping[str, Any] | None, *, ner: bool = False) -> list[str]:
    """Processors to load for ``lang``: ours, minus those stanza has no model for."""
    wanted = [*CORE_PROCESSORS, *((NER_PROCESSOR,) if ner else ())]
    lang_res = (resources_json or {}).get(lang)
    if not isinstance(lang_res, Mapping):
        return [p for p in wanted if p != "mwt"]
    # mwt and sentiment exist only for some languages; the others are always needed.
    return [p for p in wanted if p not in ("mwt", "sentiment", NER_PROCESSOR) or p in lang_res]


@dataclass(slots=True)
class LanguageStatus:
    """What is installed for one language."""

    lang: str
    processors: dict[str, int] = field(default_factory=dict)  # processor -> bytes of its .pt files
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.processors) and not self.missing

    @property
    def n_bytes(self) -> int:
        return sum(self.processors.values())


def language_status(lang: str, models_dir: Path, *, ner: bool = False) -> LanguageStatus:
    """Installed processors of ``lang`` in ``models_dir`` and the ones still missing."""
    status = LanguageStatus(lang)
    resources_json = read_resources(models_dir)
    lang_dir = models_dir / lang
    if lang_dir.is_dir():
        for sub in sorted(p for p in lang_dir.iterdir() if p.is_dir()):
            sizes = [f.stat().st_size for f in sub.glob("*.pt")]
            if sizes:
                status.processors[sub.name] = sum(sizes)
    if resources_json is None:
        status.missing = ["resources.json", *processors_for(lang, None, ner=ner)]
        return status
    status.missing = [p for p in processors_for(lang, resources_json, ner=ner) if p not in status.processors]
    return status


def installed_languages(models_dir: Path) -> list[str]:
    """Languages with at least one model folder in ``models_dir``."""
    if not models_dir.is_dir():
        return []
    return sorted(p.name for p in models_dir.iterdir() if p.is_dir() and any(p.glob("*/*.pt")))


def download(langs: Iterable[str], models_dir: Path, *, ner: bool = False) -> dict[str, list[str]]:
    """Download stanza models for ``langs`` into ``models_dir`` (THE network call).

    Processors are listed explicitly (the default package would also fetch the slow, large
    constituency parser).  Returns, per language, the processors asked for.
    """
    import stanza

    models_dir.mkdir(parents=True, exist_ok=True)
    asked: dict[str, list[str]] = {}
    for lang in langs:
        processors = [*CORE_PROCESSORS, *((NER_PROCESSOR,) if ner else ())]
        stanza.download(
            lang,
            model_dir=str(models_dir),
            processors=dict.fromkeys(processors, "default"),
            logging_level="WARN",
        )
        asked[lang] = processors
    return asked


def offline_resources_file() -> str:
    """The minimal ``resources.json`` that lets stanza run our registered processors."""
    return str(resources.files("analyzer.stages.nlp").joinpath("data", "offline_resources.json"))


def device_for(use_gpu: bool | None) -> str:
    """The device a stanza pipeline would run on (imports torch)."""
    return _device(use_gpu)


def _device(use_gpu: bool | None) -> str:
    import torch

    if use_gpu is False:
        return "cpu"
    return "cuda" if torch.cuda.is_available() else "cpu"


@lru_cache(maxsize=8)
def _cached_pipeline(lang: str, mode: str, models_dir: str, ner: bool, device: str) -> Any:
    import stanza

    if mode == "offline":
        from analyzer.stages.nlp.offline import OFFLINE_PROCESSORS, register_processors

        register_processors()
        return stanza.Pipeline(
            lang=lang,
            dir=models_dir,
            processors=dict(OFFLINE_PROCESSORS),
            download_method=None,
            resources_filepath=offline_resources_file(),
            device="cpu",  # nothing in the offline processors runs on a GPU
            logging_level="WARN",
        )
    resources_json = read_resources(Path(models_dir))
    if resources_json is None:
        raise ModelsMissingError(
            f"no stanza models in {models_dir} (resources.json is missing); run `analyzer models download {lang}`"
        )
    processors = processors_for(lang, resources_json, ner=ner)
    try:
        return stanza.Pipeline(
            lang=lang,
            dir=models_dir,
            processors=",".join(processors),
            download_method=None,
            device=device,
            logging_level="WARN",
        )
    except FileNotFoundError as exc:  # stanza names the missing model file
        missing = exc.filename or str(exc)
        raise ModelsMissingError(
            f"stanza model file missing for {lang!r} in {models_dir} ({missing}); "
            f"run `analyzer models download {lang}`"
        ) from exc
    except ValueError as exc:  # e.g. "No processors to load for language xx"
        raise ModelsMissingError(
            f"stanza cannot build a {lang!r} pipeline from {models_dir}: {exc}; run `analyzer models download {lang}`"
        ) from exc
    except Exception as exc:  # noqa: BLE001 - corrupt or incompatible files (torch unpickling errors ...)
        raise ModelsMissingError(
            f"stanza models for {lang!r} in {models_dir} cannot be loaded ({type(exc).__name__}: {str(exc)[:200]}); "
            f"run `analyzer models download {lang}` again"
        ) from exc


def load_pipeline(
    lang: str, *, mode: str, models_dir: Path, ner: bool = False, use_gpu: bool | None = None
) -> Any:
    """A stanza ``Pipeline`` for ``lang``, built once per (lang, mode, folder, ner, device).

    Args:
        lang: ISO 639-1 code.
        mode: ``stanza`` (downloaded models) or ``offline`` (our registered processors).
        models_dir: the pinned models folder.
        ner: add the NER processor (stanza mode only).
        use_gpu: None = a GPU when present; False = CPU.

    Raises:
        ModelsMissingError: stanza mode and the models are not installed.
    """
    if mode not in ("stanza", "offline"):
        raise UsageError(f"unknown pipeline mode {mode!r}; use stanza or offline")
    device = "cpu" if mode == "offline" else _device(use_gpu)
    return _cached_pipeline(lang, mode, str(models_dir), bool(ner and mode == "stanza"), device)


def pipeline_device(pipeline: Any) -> str:
    return str(getattr(pipeline, "device", "cpu"))
