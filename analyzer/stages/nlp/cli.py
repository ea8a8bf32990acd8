"""``analyzer models download de en [--dir DIR]`` and ``analyzer models status [--dir DIR]``.

``download`` is the only command of the analyzer that touches the network: it calls
``stanza.download`` with the models folder and the processors listed explicitly.
Everything else loads models with ``download_method=None``.

Wiring (in :mod:`analyzer.cli`): ``add_parser(sub)`` while building the parser, and
``if args.command == "models": return run(args)`` in the dispatcher.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from analyzer.core.errors import UsageError
from analyzer.stages.nlp import models


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Register ``models`` (with ``download`` and ``status``) on the top-level subparsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "models", help="download stanza models or show what is installed (the only network command)"
    )
    sub = parser.add_subparsers(dest="models_command", required=True)
    download = sub.add_parser("download", help="download stanza models for languages (needs the network)")
    download.add_argument("languages", nargs="+", metavar="LANG", help="ISO 639-1 codes, e.g. de en")
    download.add_argument("--dir", type=Path, dest="models_dir", metavar="DIR", help="models folder (default: $STANZA_RESOURCES_DIR or ~/.cache/analyzer/stanza)")
    download.add_argument("--ner", action="store_true", help="also download the (large) NER models")
    status = sub.add_parser("status", help="show installed stanza models, where and how large")
    status.add_argument("--dir", type=Path, dest="models_dir", metavar="DIR", help="models folder")
    status.add_argument("--ner", action="store_true", help="count NER as required")
    parser.set_defaults(handler=handle)
    return parser


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


def status_lines(models_dir: Path, *, ner: bool = False, languages: Sequence[str] = ("de", "en")) -> list[str]:
    """The report of ``analyzer models status`` as lines."""
    lines = [f"models folder: {models_dir}" + ("" if models_dir.is_dir() else " (does not exist)")]
    resources_json = models.read_resources(models_dir)
    lines.append("resources.json: " + ("present" if resources_json is not None else "missing"))
    shown = sorted({*languages, *models.installed_languages(models_dir)})
    for lang in shown:
        st = models.language_status(lang, models_dir, ner=ner)
        if st.complete:
            state = "complete -> stanza mode"
        elif st.processors:
            state = f"incomplete (missing {', '.join(st.missing)}) -> offline mode; run `analyzer models download {lang}`"
        else:
            state = f"not installed -> offline mode; run `analyzer models download {lang}`"
        lines.append(f"{lang}: {state}")
        for processor, n in st.processors.items():
            lines.append(f"    {processor:<12} {_size(n):>10}")
        if st.processors:
            lines.append(f"    {'total':<12} {_size(st.n_bytes):>10}")
    return lines


def handle(args: argparse.Namespace) -> int:
    """Handle ``analyzer models …``; returns the exit code."""
    models_dir = models.resolve_models_dir(getattr(args, "models_dir", None))
    if args.models_command == "status":
        print("\n".join(status_lines(models_dir, ner=args.ner)))
        return 0
    if args.models_command == "download":
        langs = [lang.strip().lower() for lang in args.languages if lang.strip()]
        bad = [lang for lang in langs if len(lang) not in (2, 3) or not lang.isalpha()]
        if bad:
            raise UsageError(f"language codes look like 'de' or 'en', got {', '.join(bad)}")
        try:
            asked = models.download(langs, models_dir, ner=args.ner)
        except (OSError, ValueError) as exc:
            # requests' ConnectionError is an OSError; stanza raises ValueError for unknown langs.
            raise UsageError(f"download failed ({type(exc).__name__}: {exc}); check the network or the language codes") from exc
        for lang, processors in asked.items():
            print(f"{lang}: {', '.join(processors)} -> {models_dir}")
        print("\n".join(status_lines(models_dir, ner=args.ner, languages=langs)))
        return 0
    raise UsageError(f"unknown models command {args.models_command!r}")
