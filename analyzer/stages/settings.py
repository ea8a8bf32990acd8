"""The settings of every declared stage: checking a run's flat settings and the ``analyse`` options.

Each stage declares its settings dataclass in its declaration (``StageSpec.settings``); this
module only gathers them, so adding a setting is one field in one declaration.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from analyzer.core import settings as settings_mod
from analyzer.stages.registry import declared_stages


def settings_classes() -> tuple[type, ...]:
    """Every settings class of the declared stages, in run order, each once."""
    out: list[type] = []
    for spec in declared_stages():
        out += [cls for cls in spec.settings_classes() if cls not in out]
    return tuple(out)


def check_settings(raw: Mapping[str, Any]) -> None:
    """Refuse unknown keys and bad values before anything is read (one-line usage errors)."""
    classes = settings_classes()
    settings_mod.check_known(raw, classes)
    for cls in classes:
        settings_mod.build(cls, raw)


def add_setting_options(parser: argparse.ArgumentParser, *, only: tuple[type, ...] | None = None) -> None:
    """The options of the settings that declare a flag, one group per settings class."""
    for cls in settings_classes():
        if only is not None and cls not in only:
            continue
        title = (cls.__doc__ or cls.__name__).strip().splitlines()[0]
        settings_mod.add_options(parser.add_argument_group(title), cls)


def settings_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The flat settings given on the command line (options not given are left out)."""
    out: dict[str, Any] = {}
    for cls in settings_classes():
        out.update(settings_mod.values_from_args(args, cls))
    return out
