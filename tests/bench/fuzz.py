"""Coverage-guided fuzzing of the readers and of link extraction (atheris / libFuzzer).

``python -m tests.bench.fuzz TARGET --seconds N`` (or ``analyzer fuzz TARGET``) feeds mutated
inputs to one target, seeded with the fixtures of its format (``fixtures/*/input.*``) and
with the regression inputs kept in ``tests/fuzz/regressions/TARGET/``.

The contract under test: a reader returns a :class:`~analyzer.ingest.base.ReaderOutput` or
raises an :class:`~analyzer.core.errors.InputError` subclass (a clean user error); link
extraction always returns.  Anything else (IndexError, RecursionError, lxml or polars
exceptions escaping, a hang) is a *finding*.  Findings are written to ``--findings`` as
``crash-<sha1>.<ext>`` with a ``.trace.txt`` traceback beside them and fuzzing goes on, so
one session can report several distinct bugs; libFuzzer itself writes ``timeout-*`` files
for inputs slower than ``--timeout`` seconds (hangs) and ``crash-*`` files for native
aborts, and stops there (libFuzzer's fork mode, which would go on, re-executes
``argv[0]`` and does not work under ``python -m``).

atheris is optional (``pip install atheris``): only this module imports it, lazily.
Readers take paths, so each input is written to one scratch file with the suffix of the
target's format; the file is reused, which costs a few microseconds per execution.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
REGRESSIONS = ROOT / "tests" / "fuzz" / "regressions"


@dataclass(frozen=True, slots=True)
class Target:
    """One fuzz target.

    Attributes:
        name: name on the command line and of the regression folder.
        module: reader module (``analyzer.ingest.X``), or ``analyzer.stages.links`` for links.
        suffix: suffix of the scratch file the input is written to (readers dispatch on it).
        seed_globs: fixture files (relative to ``fixtures/``) that seed the corpus.
    """

    name: str
    module: str
    suffix: str
    seed_globs: tuple[str, ...]


# Seeds: every fixture of the target's format.  The JSON fixtures are named one by one
# because .json is shared by three formats.
TARGETS: dict[str, Target] = {t.name: t for t in (
    Target("pagetext", "analyzer.ingest.pagetext", ".txt", ("*/input.txt",)),
    Target("wp_html", "analyzer.ingest.wp_html", ".html", ("*/input.html",)),
    Target("wp_json", "analyzer.ingest.wp_json", ".json", ("*wp_json*/input.json",)),
    Target("reddit", "analyzer.ingest.reddit", ".json", ("*reddit*/input.json",)),
    Target("hn", "analyzer.ingest.hn", ".json", ("*_hn/input.json",)),
    Target("threads", "analyzer.ingest.threads_jsonl", ".jsonl", ("*threads_jsonl*/input.jsonl",)),
    Target("tables_csv", "analyzer.ingest.tables", ".csv", ("*/input.csv",)),
    Target("tables_jsonl", "analyzer.ingest.tables", ".jsonl", ("*/input.jsonl",)),
    # Binary: mutations reach polars' native Parquet decoder.  The reader has each file decoded
    # by a helper process first (analyzer.ingest.parquet_guard), so a native abort becomes a
    # clean FormatError instead of ending the campaign; it costs ~30 ms per input (33 exec/s
    # over 300 s, against 1-2 exec/s with a fresh child per input).
    Target("tables_parquet", "analyzer.ingest.tables", ".parquet", ("*/input.parquet",)),
    Target("links", "analyzer.stages.links", ".txt", ("*/input.txt", "*/input.html")),
    # A ConvoKit corpus is a folder: the input becomes its utterances.jsonl, beside fixed
    # speakers.json / conversations.json files (analyzer.ingest.convokit reads the folder).
    Target("convokit", "analyzer.ingest.convokit", ".jsonl", ("*convokit*/corpus/utterances.jsonl",)),
)}


def seed_files(target: Target) -> list[Path]:
    """Fixture inputs and kept regression inputs that seed ``target``, sorted."""
    found: set[Path] = set()
    for pattern in target.seed_globs:
        found.update(FIXTURES.glob(pattern))
    regressions = REGRESSIONS / target.name
    if regressions.is_dir():
        found.update(p for p in regressions.iterdir() if p.is_file() and p.suffix == target.suffix
                     and not p.name.endswith(".trace.txt"))
    return sorted(found)


class Checker:
    """Runs one input through a target; tells allowed outcomes from findings.

    Args:
        target: what to run.
        scratch: folder for the scratch input file.
    """

    def __init__(self, target: Target, scratch: Path) -> None:
        self.target = target
        self.path = scratch / f"input{target.suffix}"
        self.source = self.path
        if target.name == "convokit":
            corpus = scratch / "corpus"
            corpus.mkdir(exist_ok=True)
            (corpus / "speakers.json").write_text('{"a": {"meta": {}, "vectors": []}}', encoding="utf-8")
            (corpus / "conversations.json").write_text('{"c": {"meta": {"title": "t"}, "vectors": []}}', encoding="utf-8")
            self.path, self.source = corpus / "utterances.jsonl", corpus
        self.module = importlib.import_module(target.module)
        self._run: Callable[[bytes], object] = (
            self._run_links if target.name == "links" else self._run_reader)

    def _run_reader(self, data: bytes) -> object:
        from analyzer.ingest.base import ReaderOutput, ReadOptions, Source

        self.path.write_bytes(data)
        out = self.module.read(Source(self.source), ReadOptions())
        if not isinstance(out, ReaderOutput):
            raise TypeError(f"reader returned {type(out).__name__}, not ReaderOutput")
        return out

    def _run_links(self, data: bytes) -> object:
        text = data.decode("utf-8", errors="replace")
        extraction = self.module.extract_links(text)
        for link in extraction.links:
            # Offsets must point into the text: consumers slice with them.
            if not 0 <= link.start_char <= link.end_char <= len(text):
                raise AssertionError(f"link offsets {link.start_char}..{link.end_char} outside text of {len(text)}")
        return extraction

    def check(self, data: bytes) -> BaseException | None:
        """Run ``data``; return the unexpected exception, or None when the outcome is allowed."""
        from analyzer.core.errors import InputError

        try:
            self._run(data)
        except InputError:
            return None
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - any other exception is what we hunt
            return exc
        return None


def finding_key(exc: BaseException) -> str:
    """Deduplication key of a finding: exception type and the innermost frame in our code."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/analyzer/" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(exc).__name__}@{where}"


def save_finding(findings: Path, target: Target, data: bytes, exc: BaseException) -> Path:
    """Write the input and its traceback to ``findings``; return the input's path."""
    findings.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - a file name, not security
    path = findings / f"crash-{digest}{target.suffix}"
    path.write_bytes(data)
    trace = "".join(traceback.format_exception(exc))
    (findings / f"crash-{digest}.trace.txt").write_text(f"{finding_key(exc)}\n\n{trace}", encoding="utf-8")
    return path


def _write_corpus(target: Target, corpus: Path) -> int:
    corpus.mkdir(parents=True, exist_ok=True)
    seeds = seed_files(target)
    for seed in seeds:
        shutil.copyfile(seed, corpus / f"{seed.parent.name}_{seed.name}")
    return len(seeds)


def fuzz(target: Target, *, seconds: int, timeout: int, findings: Path, corpus: Path | None,
         max_len: int, rss_limit_mb: int, stop_on_finding: bool = False) -> None:
    """Run atheris on ``target``; does not return (libFuzzer exits the process).

    libFuzzer exits 0 when the time is up even if findings were recorded (they are only
    printed as FINDING lines and saved); ``stop_on_finding`` re-raises the first one instead,
    so libFuzzer stops with a non-zero exit status (for CI).
    """
    try:
        import atheris
    except ImportError:
        sys.stderr.write("analyzer: fuzzing needs atheris: pip install atheris\n")
        raise SystemExit(2) from None

    # libFuzzer ends the process with exit(): no cleanup runs, so the scratch file and the
    # default corpus live in the findings folder (the corpus then grows from run to run).
    scratch = findings / f".scratch-{target.name}"
    scratch.mkdir(parents=True, exist_ok=True)
    corpus = corpus or findings / f"corpus-{target.name}"
    n_seeds = _write_corpus(target, corpus)
    # Instrument our code only: instrumenting polars/lxml Python wrappers slows execution
    # without guiding much (their native parts are invisible to atheris anyway).  Modules
    # imported before this point (by the main CLI) stay uninstrumented; `python -m
    # tests.bench.fuzz` imports nothing of ours before it.
    with atheris.instrument_imports(include=["analyzer"]):
        checker = Checker(target, scratch)
    seen: dict[str, int] = {}

    def one_input(data: bytes) -> None:
        exc = checker.check(data)
        if exc is None:
            return
        key = finding_key(exc)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 1:
            path = save_finding(findings, target, data, exc)
            sys.stderr.write(f"FINDING {key}: {path}\n")
        if stop_on_finding:
            raise exc

    argv = [sys.argv[0], str(corpus), f"-max_total_time={seconds}", f"-timeout={timeout}",
            f"-max_len={max_len}", f"-rss_limit_mb={rss_limit_mb}",
            f"-artifact_prefix={findings}{os.sep}", "-print_final_stats=1"]
    findings.mkdir(parents=True, exist_ok=True)
    sys.stderr.write(f"fuzzing {target.name} for {seconds}s from {n_seeds} seeds; findings in {findings}\n")
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


def replay(target: Target, files: list[Path]) -> int:
    """Run saved inputs once (no atheris needed); return the number of findings."""
    scratch = Path(tempfile.mkdtemp(prefix=f"analyzer-replay-{target.name}-"))
    try:
        checker = Checker(target, scratch)
        bad = 0
        for path in files:
            exc = checker.check(path.read_bytes())
            status = "ok" if exc is None else f"FINDING {finding_key(exc)}: {exc!r}"[:300]
            bad += exc is not None
            print(f"{path}: {status}")
        return bad
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the fuzz command (shared by ``python -m`` and the main CLI)."""
    parser.add_argument("target", choices=sorted(TARGETS), help="reader (or 'links') to fuzz")
    parser.add_argument("--seconds", type=int, default=60, help="total fuzzing time (default 60)")
    parser.add_argument("--timeout", type=int, default=10,
                        help="seconds one input may take before it counts as a hang (default 10)")
    parser.add_argument("--findings", type=Path, default=Path("fuzz-findings"),
                        help="folder for crash and timeout inputs (default ./fuzz-findings)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="corpus folder to grow and reuse (default: FINDINGS/corpus-TARGET)")
    parser.add_argument("--max-len", type=int, default=64 * 1024, help="largest input in bytes")
    parser.add_argument("--rss-limit-mb", type=int, default=4096, help="memory limit per process")
    parser.add_argument("--stop-on-finding", action="store_true",
                        help="stop at the first finding with a non-zero exit status (for CI)")
    parser.add_argument("--replay", type=Path, nargs="+", metavar="FILE",
                        help="run these saved inputs once instead of fuzzing")


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Register ``analyzer fuzz`` on the main CLI's subparsers."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "fuzz", help="coverage-guided fuzzing of a reader or of link extraction (needs atheris)")
    add_arguments(parser)
    parser.set_defaults(handler=handle)
    return parser


def handle(args: argparse.Namespace) -> int:
    """Run the fuzz command; returns the exit code (fuzzing itself exits through libFuzzer)."""
    target = TARGETS[args.target]
    if args.replay:
        return 1 if replay(target, args.replay) else 0
    fuzz(target, seconds=args.seconds, timeout=args.timeout, findings=args.findings.resolve(),
         corpus=args.corpus, max_len=args.max_len, rss_limit_mb=args.rss_limit_mb,
         stop_on_finding=args.stop_on_finding)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m tests.bench.fuzz TARGET --seconds N``."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.fuzz", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return handle(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
