"""Typed settings: frozen dataclasses whose fields say their type, default, help and flag.

A stage declares its settings once, as a frozen dataclass beside its :class:`StageSpec`
(``analyzer/stages/declarations/<name>.py``), every field made by :func:`setting` with its
default from :mod:`analyzer.core.defaults`.  From that one declaration come:

* the typed value a stage reads (:func:`build`, through ``StageContext.settings_of``), built
  from the flat ``name = value`` settings of the command line, a job's ``[settings]`` table or
  the API's ``stage_settings``, the field name being the key;
* the checks: a value of the wrong type or out of range is a :class:`UsageError` of one line
  naming the setting, its option and what was expected (exit 2);
* the command-line options of ``analyse`` (:func:`add_options`, :func:`values_from_args`).

A value of ``None`` (or an empty string) means "not given": the default applies.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from analyzer.core.errors import UsageError

T = TypeVar("T")

#: How a command-line option turns into the setting's value.
#: ``value``: as typed; ``names``: ``a,b,c`` to a list (``none`` = empty); ``append``: repeatable.
CliStyle = typing.Literal["value", "names", "append"]


@dataclasses.dataclass(frozen=True, slots=True)
class SettingInfo:
    """What the field metadata of one setting holds (see :func:`setting`)."""

    help: str
    flag: str | None = None
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    positive: bool = False
    maximum: float | None = None
    cli: CliStyle = "value"


def setting(
    default: Any,
    help: str,  # noqa: A002 - argparse's word
    *,
    flag: str | None = None,
    metavar: str | None = None,
    choices: tuple[str, ...] = (),
    minimum: float | None = None,
    positive: bool = False,
    maximum: float | None = None,
    cli: CliStyle = "value",
) -> Any:
    """A settings field: its default (from :mod:`analyzer.core.defaults`), help and checks.

    Args:
        default: the value when the setting is not given (immutable: a tuple, not a list).
        help: one line for ``--help`` and the docs.
        flag: the ``analyse`` option (``--engine``); None = settable only in a job or the API.
        metavar: the option's placeholder.
        choices: allowed values (compared in lower case).
        minimum: smallest allowed number; ``positive``: must be above zero; ``maximum``: largest.
        cli: how the option's text becomes the value (see :data:`CliStyle`).
    """
    info = SettingInfo(help, flag, metavar, choices, minimum, positive, maximum, cli)
    return dataclasses.field(default=default, metadata={"setting": info})


@dataclasses.dataclass(frozen=True, slots=True)
class Field:
    """One declared setting: its key (the field name), type, default and metadata."""

    name: str
    kind: Any
    default: Any
    info: SettingInfo

    @property
    def option(self) -> str:
        """The command-line option, for the end of a message: `` (--ray-actors)``."""
        return f" ({self.info.flag})" if self.info.flag else ""


_FIELDS: dict[type, tuple[Field, ...]] = {}


def fields_of(cls: type) -> tuple[Field, ...]:
    """The declared settings of a settings dataclass, in declaration order (read once per class)."""
    if cls in _FIELDS:
        return _FIELDS[cls]
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        info = f.metadata.get("setting")
        if not isinstance(info, SettingInfo):
            raise TypeError(f"{cls.__name__}.{f.name} is not declared with analyzer.core.settings.setting()")
        out.append(Field(f.name, hints[f.name], f.default, info))
    _FIELDS[cls] = tuple(out)
    return _FIELDS[cls]


def build(cls: type[T], raw: Mapping[str, Any]) -> T:
    """``cls`` from flat settings (keys it does not declare are ignored here), checked.

    Raises:
        UsageError: a value of the wrong type or out of range, in one line.
    """
    values: dict[str, Any] = {}
    for f in fields_of(cls):
        value = raw.get(f.name)
        if value is None or (isinstance(value, str) and value == ""):
            continue
        values[f.name] = _check(f, _coerce(f, f.kind, value))
    return cls(**values)


def check_known(raw: Mapping[str, Any], classes: Sequence[type]) -> None:
    """Refuse a key that no settings class declares (a typo would otherwise be ignored)."""
    known = {f.name for cls in classes for f in fields_of(cls)}
    unknown = sorted(k for k in raw if k not in known)
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(known), n=3, cutoff=0.75)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UsageError(f"unknown setting {unknown[0]!r}{hint}; the settings are listed in docs/usage.md")


# --- types ------------------------------------------------------------------------------------

_EXPECTED = {int: "a whole number", float: "a number", bool: "true or false", str: "a text",
             Path: "a path", date: "an ISO date (YYYY-MM-DD)"}


def _fail(f: Field, expected: str, value: Any) -> UsageError:
    return UsageError(f"{f.name} must be {expected}, got {value!r}{f.option}")


def _coerce(f: Field, kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        return _coerce(f, inner[0], value)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        items = [value] if isinstance(value, str | Path) else value
        if not isinstance(items, Sequence):
            raise _fail(f, f"a list of {_EXPECTED.get(item, 'values')}s", value)
        return tuple(_coerce(f, item, v) for v in items)
    if origin in (dict, Mapping, typing.get_origin(Mapping[str, str])):
        if not isinstance(value, Mapping):
            raise _fail(f, "a table of language = file", value)
        return {str(k): str(v) for k, v in value.items()}
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "1", "0"):
            return value.lower() in ("true", "yes", "1")
        raise _fail(f, _EXPECTED[bool], value)
    if kind in (int, float):
        if isinstance(value, bool):
            raise _fail(f, _EXPECTED[kind], value)
        try:
            number = float(value) if kind is float else int(value)
        except (TypeError, ValueError):
            raise _fail(f, _EXPECTED[kind], value) from None
        if kind is int and isinstance(value, float) and value != number:
            raise _fail(f, _EXPECTED[int], value)
        return number
    if kind is str:
        if not isinstance(value, str | Path):
            raise _fail(f, _EXPECTED[str], value)
        return str(value)
    if kind is Path:
        if not isinstance(value, str | Path):
            raise _fail(f, _EXPECTED[Path], value)
        return Path(value).expanduser()
    if kind is date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise _fail(f, _EXPECTED[date], value) from None
    raise TypeError(f"setting {f.name}: unsupported type {kind!r}")


def _check(f: Field, value: Any) -> Any:
    info = f.info
    if info.choices:
        value = str(value).lower()
        if value not in info.choices:
            # Named by the option first: choices are what people pick on the command line.
            name, setting_name = (info.flag, f" (setting {f.name})") if info.flag else (f.name, "")
            raise UsageError(f"{name} must be one of {', '.join(info.choices)}, got {value!r}{setting_name}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if info.minimum is not None and value < info.minimum:
            if info.minimum == 0:
                raise UsageError(f"{f.name} must not be negative, got {value!r}{f.option}")
            raise _fail(f, f"at least {info.minimum:g}", value)
        if info.positive and value <= 0:
            raise _fail(f, "positive", value)
        if info.maximum is not None and value > info.maximum:
            raise _fail(f, f"at most {info.maximum:g}", value)
    return value


# --- command line -----------------------------------------------------------------------------


def add_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup, cls: type) -> None:
    """The options of ``cls``'s settings that have a ``flag`` (their default stays ``None``:
    an option not given leaves the setting to its declared default)."""
    for f in fields_of(cls):
        info = f.info
        if info.flag is None:
            continue
        kwargs: dict[str, Any] = {"dest": f.name, "metavar": info.metavar, "help": _help(f)}
        if info.choices:
            kwargs["choices"] = info.choices
            kwargs.pop("metavar")
        if info.cli == "append":
            kwargs["action"] = "append"
        base = _base_type(f.kind)
        if base in (int, float) and info.cli == "value":
            kwargs["type"] = base
        parser.add_argument(info.flag, **kwargs)


def values_from_args(args: argparse.Namespace, cls: type) -> dict[str, Any]:
    """The settings of ``cls`` given on the command line (options not given are left out)."""
    out: dict[str, Any] = {}
    for f in fields_of(cls):
        value = getattr(args, f.name, None) if f.info.flag else None
        if value is None:
            continue
        if f.info.cli == "names":
            names = [n.strip() for n in str(value).split(",") if n.strip()]
            value = [] if names == ["none"] else names
        out[f.name] = value
    return out


def _base_type(kind: Any) -> Any:
    if typing.get_origin(kind) in (types.UnionType, typing.Union):
        return next(a for a in typing.get_args(kind) if a is not type(None))
    return kind


def _help(f: Field) -> str:
    if f.default is None or f.default == () or "default" in f.info.help:
        return f.info.help
    return f"{f.info.help} (default {f.default})"
