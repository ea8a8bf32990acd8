"""Scheduled runs: ``analyzer run JOB.toml`` analyses what changed, reports it, compares it.

A job file names the inputs, the stages and an output root::

    name = "nordhavn"
    inputs = ["pages/*.txt"]          # files, folders or globs, relative to the job file
    output = "out"                    # ROOT, relative to the job file
    stages = ["structure", "links"]   # optional; default: all stages

    [settings]                        # optional: stage settings (as on the command line)
    nlp = "offline"

    [read]                            # optional: reader options
    format = "pagetext"
    max_bytes = 50_000_000

    [report]                          # optional
    formats = ["html", "parquet"]     # default: html, parquet, png
    max_articles = 12

    [alert]                           # optional: what makes the exit code 4
    min_disappeared = 1               # comments gone since the last run (0 = never alert on it)
    stance_shift = 0.25               # largest change of a stance share, absolute (omit = off)
    frame_shift = 0.25                # the same for frame shares
    new_domains = false               # alert when comments link a domain not linked before
    fail_on = "error"                 # input problems at or above this severity give exit 1

Each run goes to ``ROOT/runs/<UTC time, e.g. 2026-11-24T0130Z>/`` holding ``run/`` (the run
folder), ``report/`` (the report, with the comparison) and ``job.json`` (input hashes, the
comparison summary, the exit code).  ``ROOT/latest.json`` and the ``ROOT/latest`` symlink
point at the newest run.  The dated folder is built under a hidden name and renamed into
place, so a crash never leaves a half run that the next run would compare with.

Change detection is by content: the sha256 of every input file (and the job's stages and
settings) form the run's fingerprint.  When it equals the previous run's, nothing is
analysed and the outcome says so.

Incremental runs.  When the fingerprint differs, only new or changed inputs are analysed:
an input whose sha256 equals the one the previous run's manifest records for the same path,
under the same *analysis key* (analyzer version, stages, stage settings, reader options), is
*reused*: its articles, comments, blocks, parse issues, stage frames and metrics are taken from
the previous run folder (rows selected by ``article_id``; an input's articles are found through
``articles.source_path`` and ``comments.source_path``) and merged with the analysis of the
other inputs into the new run folder.  Each input of the new manifest (and of ``job.json``)
records ``"origin": "analysed"`` or ``"reused from <previous run>"``; the counts are rebuilt
from the merged frames and must add up (comments in = out + rejected) as in a full run.

Corpus-wide quantities.  Almost every frame and metric is computed per thread, so reuse does
not change it.  The exceptions and what is done about them:

* keyness (``keyness.parquet``): its informative prior π is pooled over every thread of the
  run (:mod:`analyzer.stages.framing.keyness`), so a reused thread's z-scores change when another
  thread changes.  The cheap corpus step is re-run: keyness is recomputed over the merged
  tokens, quotes and own texts (no NLP), giving the numbers of a from-scratch run.
* credibility ratings (``link_ratings.parquet``, rating coverage metrics): per thread, but they
  depend on the installed lists and on today's date (``stale``).  The same holds for the NLP
  pipeline actually used (models installed later), the stance model and the frame inventories.
  These *run contexts* (the stage manifest entries that are not counts) are compared with the
  previous run's; when one differs, nothing is reused and every input is analysed.
* article ids of file-named formats get ``~2`` suffixes when they collide with an earlier
  input's, which depends on the other inputs; when the previous run renamed an article id,
  or an article draws on a reused and a non-reused input, every input is analysed.

``stage_info`` in the manifest describes the analysed inputs only (its ``n_*`` counts do not
cover the reused ones); ``manifest["incremental"]`` says which inputs those were.  ``--force``
analyses every input.

Exit codes (for cron and alerting):
    0  ran, nothing notable; or nothing changed since the last run (skipped)
    1  ran, but inputs had problems at or above ``alert.fail_on`` (unreadable files in a
       glob, parse errors)
    2  usage error: unreadable or invalid job file, inputs that match nothing
    3  internal error (a bug; the main CLI's code)
    4  alert: comments disappeared or a threshold was crossed (wins over 1)
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from analyzer import __version__
from analyzer.core import atomic, defaults
from analyzer.core.errors import AnalyzerError, UsageError

EXIT_OK, EXIT_ISSUES, EXIT_USAGE, EXIT_ALERT = 0, 1, 2, 4
JOB_RECORD = "job.json"
LATEST = "latest.json"
_SEVERITIES = ("info", "warning", "error", "never")
_TOP_KEYS = {"name", "inputs", "output", "stages", "settings", "read", "report", "alert"}


@dataclass(frozen=True)
class AlertRules:
    """Thresholds that turn a run into an alert (exit code 4)."""

    min_disappeared: int = 1
    stance_shift: float | None = None
    frame_shift: float | None = None
    new_domains: bool = False
    fail_on: str = "error"


@dataclass(frozen=True)
class Job:
    """A parsed job file; paths are absolute."""

    name: str
    path: Path
    inputs: tuple[str, ...]
    root: Path
    stages: tuple[str, ...] | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    read: dict[str, Any] = field(default_factory=dict)
    report_formats: tuple[str, ...] = ("html", "parquet", "png")
    max_articles: int = 12
    alert: AlertRules = AlertRules()


@dataclass
class JobOutcome:
    """What one ``analyzer run`` did."""

    status: str  # "ran" | "unchanged"
    exit_code: int
    messages: list[str]
    run_dir: Path | None = None  # ROOT/runs/<stamp>
    previous: Path | None = None
    summary: dict[str, Any] | None = None  # the comparison summary, when there was a previous run


def _expect(value: Any, kind: type | tuple[type, ...], where: str, path: Path) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool) and kind in (int, float, (int, float)):
        raise UsageError(f"{path}: {where} has the wrong type ({type(value).__name__})")
    return value


def load_job(path: str | Path) -> Job:
    """Read and check a job file.

    Raises:
        UsageError: the file cannot be read, is not TOML, or has unknown or ill-typed keys
            (the message names the file and the key).
    """
    path = Path(path).absolute()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: job file cannot be read ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: not a valid TOML job file ({exc})") from None
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise UsageError(f"{path}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_TOP_KEYS))}")
    base = path.parent
    inputs = data.get("inputs")
    if isinstance(inputs, str):
        inputs = [inputs]
    if not inputs or not isinstance(inputs, list) or not all(isinstance(i, str) and i for i in inputs):
        raise UsageError(f"{path}: 'inputs' must be a non-empty list of paths or globs")
    output = _expect(data.get("output", "out"), str, "'output'", path)
    stages = data.get("stages")
    if stages is not None:
        if isinstance(stages, str):
            stages = [s.strip() for s in stages.split(",") if s.strip()]
        if not isinstance(stages, list) or not all(isinstance(s, str) for s in stages):
            raise UsageError(f"{path}: 'stages' must be a list of stage names")
        from analyzer.stages import select

        select(stages)  # unknown names fail here, naming the available stages
    settings = dict(_expect(data.get("settings", {}), dict, "[settings]", path))
    from analyzer.stages.settings import check_settings

    try:
        check_settings(settings)  # the stages' declared settings: names, types, ranges
    except UsageError as exc:
        raise UsageError(f"{path}: [settings] {exc}") from None
    read = dict(_expect(data.get("read", {}), dict, "[read]", path))
    unknown_read = sorted(set(read) - {"format", "max_bytes", "map", "articles_table"})
    if unknown_read:
        raise UsageError(f"{path}: unknown [read] key(s) {', '.join(unknown_read)}")
    report = dict(_expect(data.get("report", {}), dict, "[report]", path))
    from analyzer.outputs.report.build import MAX_ARTICLES, parse_formats

    formats = parse_formats(report.get("formats", ["html", "parquet", "png"]))
    max_articles = _expect(report.get("max_articles", MAX_ARTICLES), int, "[report] max_articles", path)
    alert_data = dict(_expect(data.get("alert", {}), dict, "[alert]", path))
    unknown_alert = sorted(set(alert_data) - {"min_disappeared", "stance_shift", "frame_shift", "new_domains", "fail_on"})
    if unknown_alert:
        raise UsageError(f"{path}: unknown [alert] key(s) {', '.join(unknown_alert)}")
    fail_on = alert_data.get("fail_on", "error")
    if fail_on not in _SEVERITIES:
        raise UsageError(f"{path}: [alert] fail_on must be one of {', '.join(_SEVERITIES)}")
    rules = AlertRules(
        min_disappeared=_expect(alert_data.get("min_disappeared", 1), int, "[alert] min_disappeared", path),
        stance_shift=_optional_float(alert_data.get("stance_shift"), "[alert] stance_shift", path),
        frame_shift=_optional_float(alert_data.get("frame_shift"), "[alert] frame_shift", path),
        new_domains=bool(_expect(alert_data.get("new_domains", False), bool, "[alert] new_domains", path)),
        fail_on=fail_on,
    )
    name = _expect(data.get("name", path.stem), str, "'name'", path)
    return Job(name=name, path=path, inputs=tuple(_resolve(base, i) for i in inputs), root=(base / output).absolute(),
               stages=tuple(stages) if stages is not None else None, settings=settings, read=read,
               report_formats=formats, max_articles=max_articles, alert=rules)


def _optional_float(value: Any, where: str, path: Path) -> float | None:
    if value is None:
        return None
    return float(_expect(value, (int, float), where, path))


def _resolve(base: Path, pattern: str) -> str:
    expanded = os.path.expanduser(pattern)
    return expanded if os.path.isabs(expanded) else str(base / expanded)


def input_hashes(job: Job) -> list[dict[str, str]]:
    """``[{path, sha256}]`` of every file the job's inputs name, in a stable order.

    Raises:
        UnreadableInputError: a glob matches nothing or a named file is missing.
    """
    from analyzer.core.errors import UnreadableInputError
    from analyzer.core.hashing import file_sha256
    from analyzer.ingest import expand_inputs

    out = []
    for path, explicit in expand_inputs(list(job.inputs)):
        try:
            digest = file_sha256(path)
        except OSError as exc:
            if explicit:
                raise UnreadableInputError(path, "a readable file", found=exc.strerror or str(exc)) from None
            digest = f"unreadable: {exc.strerror or exc}"
        out.append({"path": str(path), "sha256": digest})
    return out


def fingerprint(job: Job, hashes: list[dict[str, str]]) -> str:
    """What decides whether a run would differ from the last one: inputs' contents and the options."""
    parts = {
        "analyzer_version": __version__,
        "inputs": hashes,
        "stages": job.stages,
        "settings": job.settings,
        "read": job.read,
        "report": {"formats": list(job.report_formats), "max_articles": job.max_articles},
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def analysis_key(job: Job) -> str:
    """What decides whether an unchanged input's results can be reused: everything that shapes the
    analysis of one input (not the report options, not the other inputs)."""
    parts = {"analyzer_version": __version__, "stages": job.stages, "settings": job.settings, "read": job.read}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def latest_run(root: Path) -> Path | None:
    """The newest complete run under ``root`` (from ``latest.json``), or None."""
    try:
        record = json.loads((root / LATEST).read_text(encoding="utf-8"))
        run_dir = root / "runs" / str(record["run"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return run_dir if (run_dir / JOB_RECORD).is_file() else None


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H%MZ")


def _free_name(runs: Path, now: datetime) -> str:
    """The run folder name: minute resolution, seconds and a counter added on collisions."""
    for name in (_stamp(now), now.astimezone(UTC).strftime("%Y-%m-%dT%H%M%SZ")):
        if not (runs / name).exists():
            return name
    for n in range(2, 10_000):
        name = f"{now.astimezone(UTC).strftime('%Y-%m-%dT%H%M%SZ')}-{n}"
        if not (runs / name).exists():
            return name
    raise UsageError(f"{runs}: cannot find a free run folder name")


def _read_options(job: Job) -> Any:
    from analyzer.ingest.base import ReadOptions

    options = ReadOptions()
    if "max_bytes" in job.read:
        options.max_bytes = int(job.read["max_bytes"])
    if "map" in job.read:
        options.mapping = {str(k): str(v) for k, v in dict(job.read["map"]).items()}
    if "articles_table" in job.read:
        options.articles_table = Path(_resolve(job.path.parent, str(job.read["articles_table"])))
    return options


def run_job(job: Job | str | Path, *, now: datetime | None = None, force: bool = False) -> JobOutcome:
    """Run a job once: skip if nothing changed, else analyse, compare, report, and move ``latest``.

    Args:
        job: a :class:`Job` or the path of a job file.
        now: the run's time (default: the current UTC time); names the run folder.
        force: analyse even when no input changed.

    Example:
        >>> outcome = run_job("jobs/nordhavn.toml")  # doctest: +SKIP
        >>> outcome.exit_code, outcome.messages[-1]  # doctest: +SKIP
        (0, 'nothing notable')
    """
    if not isinstance(job, Job):
        job = load_job(job)
    now = now or datetime.now(UTC)
    hashes = input_hashes(job)
    key = fingerprint(job, hashes)
    runs = job.root / "runs"
    previous = latest_run(job.root)
    previous_record: dict[str, Any] = {}
    if previous is not None:
        try:
            previous_record = json.loads((previous / JOB_RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous, previous_record = None, {}
    if previous is not None and previous_record.get("fingerprint") == key and not force:
        return JobOutcome("unchanged", EXIT_OK,
                          [f"nothing changed since {previous.name} (same input hashes and options): skipped"],
                          run_dir=previous, previous=previous)

    runs.mkdir(parents=True, exist_ok=True)
    atomic.remove_stale_in(runs)  # folders of earlier runs that were killed while writing
    name = _free_name(runs, now)
    tmp = atomic.make_temp_folder(runs / name)
    try:
        outcome = _run_into(job, tmp, runs / name, hashes, key, previous, previous_record, now, force)
        tmp.chmod(0o755)  # mkdtemp makes it owner-only
        atomic.replace_folder(tmp, runs / name)
    except BaseException:
        atomic.discard_temp_folder(tmp)
        raise
    _point_latest(job.root, name)
    outcome.run_dir = runs / name
    return outcome


def _run_into(job: Job, tmp: Path, final: Path, hashes: list[dict[str, str]], key: str,
              previous: Path | None, previous_record: dict[str, Any], now: datetime,
              force: bool) -> JobOutcome:
    from analyzer.core.records import SEVERITIES
    from analyzer.core.run import read_run
    from analyzer.outputs.compare import compare_runs
    from analyzer.outputs.report.build import build_report

    messages: list[str] = []
    origins = _analyse_into(job, tmp / "run", hashes, previous, previous_record, force, messages)
    new_run = read_run(tmp / "run")
    exit_code = EXIT_OK
    rules = job.alert
    if rules.fail_on != "never":
        threshold = SEVERITIES.index(rules.fail_on)
        issues = new_run.parse_issues
        flagged = issues.filter(pl.col("severity").is_in(list(SEVERITIES[threshold:])))
        if flagged.height:
            exit_code = EXIT_ISSUES
            codes = sorted(set(flagged.get_column("code").to_list()))
            messages.append(f"{flagged.height} input problem(s) at or above {rules.fail_on}: {', '.join(codes)}")
    comparison = None
    summary: dict[str, Any] | None = None
    if previous is not None:
        try:
            old_run = read_run(previous / "run")
        except AnalyzerError as exc:
            messages.append(f"previous run {previous.name} unreadable, no comparison: {exc}")
        else:
            comparison = compare_runs(old_run, new_run)
            comparison.old_run = str(previous / "run")
            comparison.new_run = str(final / "run")  # where it will live after the rename
            summary = comparison.summary()
            alerts = _alerts(comparison, rules)
            if alerts:
                exit_code = EXIT_ALERT
                messages.extend(alerts)
            comparison.write(tmp / "comparison")
    build_report(tmp / "run", tmp / "report", formats=job.report_formats, comparison=comparison,
                 max_articles=job.max_articles)
    if previous is None:
        messages.append("first run of this job: nothing to compare with")
    if exit_code == EXIT_OK:
        messages.append("nothing notable")
    record = {
        "job": job.name,
        "job_file": str(job.path),
        "run": final.name,
        "started_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "analyzer_version": __version__,
        "fingerprint": key,
        "analysis_key": analysis_key(job),
        "inputs": [{**h, "origin": origins.get(h["path"], "analysed")} for h in hashes],
        "previous": previous.name if previous is not None else None,
        "comparison": summary,
        "exit_code": exit_code,
        "messages": messages,
    }
    (tmp / JOB_RECORD).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return JobOutcome("ran", exit_code, messages, previous=previous, summary=summary)


def _alerts(comparison: Any, rules: AlertRules) -> list[str]:
    out = []
    n_gone = comparison.disappeared.height
    if rules.min_disappeared > 0 and n_gone >= rules.min_disappeared:
        ids = ", ".join(f"{a}/{c}" for a, c in comparison.disappeared.select("article_id", "comment_id").head(10).iter_rows())
        more = f" and {n_gone - 10} more" if n_gone > 10 else ""
        out.append(f"ALERT: {n_gone} comment(s) disappeared since the previous run: {ids}{more}")
    for which, limit in (("stance", rules.stance_shift), ("frame", rules.frame_shift)):
        shift = comparison.max_shift(which)
        if limit is not None and shift >= limit:
            out.append(f"ALERT: a {which} share moved by {shift:.0%} (threshold {limit:.0%})")
    if rules.new_domains and comparison.new_domains():
        out.append(f"ALERT: newly linked domain(s): {', '.join(comparison.new_domains()[:10])}")
    return out


def _remove_dead_pointers(root: Path) -> None:
    """Delete the temporary pointer files of jobs that were killed before renaming them."""
    for leftover in [*root.glob(f".{LATEST}.tmp-*"), *root.glob(".latest.tmp-*")]:
        pid = leftover.name.rpartition("-")[2]
        if pid.isdigit() and int(pid) != os.getpid() and not _process_alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _point_latest(root: Path, name: str) -> None:
    """Atomically point ``latest.json`` and the ``latest`` symlink at ``runs/<name>``."""
    _remove_dead_pointers(root)
    tmp = root / f".{LATEST}.tmp-{os.getpid()}"
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"run": name, "path": f"runs/{name}"}, indent=2) + "\n")
        handle.flush()
        os.fsync(handle.fileno())  # the pointer must not outlive its contents after a power cut
    os.replace(tmp, root / LATEST)
    link_tmp = root / f".latest.tmp-{os.getpid()}"
    try:
        link_tmp.unlink(missing_ok=True)
        link_tmp.symlink_to(Path("runs") / name, target_is_directory=True)
        os.replace(link_tmp, root / "latest")
    except OSError:
        # Symlinks may be refused (some file systems); latest.json is the record that counts.
        link_tmp.unlink(missing_ok=True)


# --- Incremental runs: reuse the results of unchanged inputs --------------------------------

# Stage manifest entries that describe the data rather than the run context (counts are
# recognised by their "n_" prefix): they differ between a subset and the whole and are not
# compared when deciding whether reuse is safe.
# "engine": where the work ran (local or Ray, batches, actors) never changes the results.
_DATA_DEPENDENT_INFO = frozenset({"languages", "labels", "sentence_source", "inventory_by_language", "engine",
                                  # coordination: what was found (its settings are compared)
                                  "near_duplicates", "colinks", "timeseries", "skipped",
                                  # stance: comments per model (the model itself is "model")
                                  "models_used"})


class _NoReuse(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Reuse is not safe here; the message says why and every input is analysed."""


@dataclass
class _Plan:
    """Which inputs to reuse from which previous run, and which to analyse."""

    previous: Path
    run: Any  # analyzer.core.run.Run of the previous run folder
    reused: list[str]
    analysed: list[str]


def _analyse_into(job: Job, out: Path, hashes: list[dict[str, str]], previous: Path | None,
                  previous_record: dict[str, Any], force: bool, messages: list[str]) -> dict[str, str]:
    """Write the run folder at ``out``, reusing unchanged inputs where safe.

    Returns:
        input path -> origin (``"analysed"`` or ``"reused from <run>"``).
    """
    from analyzer.core.errors import InputError
    from analyzer.pipeline import analyse

    plan = None
    try:
        plan = _plan(job, hashes, previous, previous_record, force)
        if plan is not None:
            origins = _merge_into(job, out, hashes, plan)
            messages.append(f"reused {len(plan.reused)} unchanged input(s) from {plan.previous.name}, "
                            f"analysed {len(plan.analysed)}")
            return origins
    except _NoReuse as exc:
        messages.append(f"analysed all {len(hashes)} input(s): {exc}")
    except InputError:
        # A changed input the reader refuses: named alone it would raise, in the job's glob it is
        # a parse issue; the full analysis below decides which, exactly as without reuse.
        messages.append(f"analysed all {len(hashes)} input(s): a changed input could not be read alone")
    from analyzer.core.run import write_run

    analysis = analyse(list(job.inputs), format=job.read.get("format"), options=_read_options(job),
                       stages=list(job.stages) if job.stages else None, stage_settings=_stage_settings(job))
    manifest = {**analysis.manifest,
                "inputs": [{**i, "origin": "analysed"} for i in analysis.manifest.get("inputs", [])]}
    write_run(out, analysis.frames(), manifest)
    return {h["path"]: "analysed" for h in hashes}


def _stage_settings(job: Job) -> dict[str, Any]:
    """The job's stage settings, plus the NLP annotation cache under the job's root.

    Scheduled runs see mostly texts they annotated before; the cache
    (:mod:`analyzer.stages.nlp.cache`, keyed by pipeline configuration and text hash) lets them
    annotate only new or edited comments, with frames equal to a fresh run.  A job may set
    its own ``nlp_cache`` folder (or ``""`` to switch the cache off).
    """
    settings = dict(job.settings)
    settings.setdefault("nlp_cache", str(job.root.joinpath(*defaults.JOB_NLP_CACHE)))
    return settings


def _plan(job: Job, hashes: list[dict[str, str]], previous: Path | None, previous_record: dict[str, Any],
          force: bool) -> _Plan | None:
    """The reuse plan, or None when there is nothing to reuse (first run, --force, all changed)."""
    from analyzer.core.run import read_run

    if previous is None or force:
        return None
    if previous_record.get("analysis_key") != analysis_key(job):
        if "analysis_key" in previous_record:
            raise _NoReuse("stages, settings, reader options or the analyzer version changed")
        return None  # a run recorded before incremental runs existed
    if "articles_table" in job.read:
        # Article rows may come from a table beside the inputs, whose content no hash covers.
        raise _NoReuse("the job reads an articles table")
    try:
        run = read_run(previous / "run")
    except AnalyzerError as exc:
        raise _NoReuse(f"previous run unreadable ({exc})") from None
    before = {str(i.get("path")): i.get("sha256") for i in run.manifest.get("inputs", []) if isinstance(i, dict)}
    reused = [h["path"] for h in hashes if not h["sha256"].startswith("unreadable") and before.get(h["path"]) == h["sha256"]]
    if not reused:
        return None
    if run.parse_issues.filter(pl.col("code") == "duplicate-article-id").height:
        raise _NoReuse("the previous run renamed colliding article ids (ids depend on the other inputs)")
    analysed = [h["path"] for h in hashes if h["path"] not in set(reused)]
    return _Plan(previous, run, reused, analysed)


def _isin(column: str, values: list[str]) -> pl.Expr:
    return pl.col(column).is_in(pl.lit(pl.Series(values, dtype=pl.String)).implode())


def _merge_into(job: Job, out: Path, hashes: list[dict[str, str]], plan: _Plan) -> dict[str, str]:
    """Analyse ``plan.analysed``, merge it with the reused rows of the previous run, write ``out``."""
    from analyzer.core.run import write_run
    from analyzer.pipeline import REJECTION_CODES, AccountingError, analyse

    old = plan.run
    old_articles, old_comments = old.articles, old.comments
    reused_ids = set(old_articles.filter(_isin("source_path", plan.reused)).get_column("article_id").to_list())
    reused_ids |= set(old_comments.filter(_isin("source_path", plan.reused)).get_column("article_id").to_list())
    # An article also fed by an input that is not reused (changed or gone) cannot be split.
    elsewhere = set(old_articles.filter(~_isin("source_path", plan.reused)).get_column("article_id").to_list())
    elsewhere |= set(old_comments.filter(~_isin("source_path", plan.reused)).get_column("article_id").to_list())
    if reused_ids & elsewhere:
        raise _NoReuse(f"article(s) {', '.join(sorted(reused_ids & elsewhere)[:5])} draw on several inputs")

    new = None
    if plan.analysed:
        new = analyse(plan.analysed, format=job.read.get("format"), options=_read_options(job),
                      stages=list(job.stages) if job.stages else None, stage_settings=_stage_settings(job))
        clash = reused_ids & set(new.forest.articles.get_column("article_id").to_list())
        if clash:
            raise _NoReuse(f"article id(s) {', '.join(sorted(clash)[:5])} occur in a reused and an analysed input")
        changed = _context_changes(old.manifest.get("stage_info", {}), new.manifest.get("stage_info", {}))
        if changed:
            raise _NoReuse(f"the run context changed since {plan.previous.name} ({', '.join(changed)})")
    ids = sorted(reused_ids)
    new_frames = new.frames() if new is not None else {}
    frames: dict[str, pl.DataFrame] = {}
    from analyzer.stages.coordination.stage import FRAME_NAMES as cross_thread_frames

    for name in dict.fromkeys([*old.manifest.get("files", {}), *new_frames]):
        if name in cross_thread_frames:
            continue  # recomputed over the merged run below
        parts = []
        if old.has(name):
            frame = old.frame(name)
            if name == "parse_issues.parquet":
                # Reader issues carry the path; tree and stage issues the article id.  Issues with
                # neither are about the run as a whole: the new analysis states them afresh.
                keep = _isin("path", plan.reused) | (pl.col("path").is_null() & _isin("article_id", ids))
                if new is None:
                    keep = keep | (pl.col("path").is_null() & pl.col("article_id").is_null())
                frame = frame.filter(keep)
            elif name == "source_meta.parquet":
                frame = _reused_source_meta(frame, ids, old_articles, old_comments, old.manifest, plan.reused)
            else:
                frame = frame.filter(_isin("article_id", ids))
            parts.append(frame)
        if name in new_frames:
            parts.append(new_frames[name])
        merged = pl.concat(parts, how="vertical")
        if name == "source_meta.parquet":  # a key restated by the new analysis replaces the old value
            merged = merged.unique(["kind", "article_id", "id", "key"], keep="last", maintain_order=True)
        frames[name] = _in_input_order(merged, hashes, old_articles, new)
    stage_info = dict((new.manifest if new is not None else old.manifest).get("stage_info", {}))
    if "keyness.parquet" in frames:
        frames["keyness.parquet"] = _pooled_keyness(frames, job.settings)
        if "framing" in stage_info:
            stage_info["framing"] = {**stage_info["framing"], "n_keyness_rows": frames["keyness.parquet"].height}

    if old.has("authors.parquet") or "authors.parquet" in new_frames:
        _pooled_coordination(frames, job.settings, stage_info)
    origin = f"reused from {plan.previous.name}"
    by_path_old = {str(i.get("path")): i for i in old.manifest.get("inputs", []) if isinstance(i, dict)}
    by_path_new = {r["path"]: r for r in (new.manifest["inputs"] if new is not None else [])}
    inputs = []
    for h in hashes:
        if h["path"] in by_path_new:
            inputs.append({**by_path_new[h["path"]], "origin": "analysed"})
        elif h["path"] in plan.reused:
            inputs.append({**by_path_old[h["path"]], "origin": origin})
    counts = _merged_counts(frames, inputs, REJECTION_CODES)
    if counts["comments_in"] != counts["comments_out"] + counts["comments_rejected"]:
        raise AccountingError(
            f"accounting mismatch after merging reused inputs: readers saw {counts['comments_in']} comments, "
            f"the run holds {counts['comments_out']} and {counts['comments_rejected']} were rejected; "
            "this is a bug, please report it")
    base = new.manifest if new is not None else old.manifest
    manifest = {
        **{k: v for k, v in base.items() if k not in {"files", "run_schema_version", "complete"}},
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": inputs,
        "stage_info": stage_info,
        "counts": counts,
        "incremental": {
            "previous_run": str(plan.previous / "run"),
            "reused": plan.reused,
            "analysed": plan.analysed,
            "stage_info": "describes the analysed inputs only" if new is not None else "copied from the previous run",
            "keyness": "recomputed over the merged run (its prior is pooled over every thread)",
            "coordination": "recomputed over the merged run (its frames span threads)",
        },
    }
    if new is None:
        manifest["timings_s"] = {}
    write_run(out, frames, manifest)
    return {i["path"]: i["origin"] for i in inputs}


def _reused_source_meta(frame: pl.DataFrame, ids: list[str], old_articles: pl.DataFrame, old_comments: pl.DataFrame,
                        manifest: dict[str, Any], reused: list[str]) -> pl.DataFrame:
    """The previous run's ``source_meta`` rows that belong to the reused inputs.

    Rows of a conversation or utterance carry the article id.  Speaker and corpus rows have
    none (a speaker may write in several conversations), so filtering by article id alone
    dropped them: a speaker's rows are kept when the speaker wrote a reused article or a comment
    under one, corpus rows when a reused input is a ConvoKit corpus.
    """
    with_article = frame.filter(_isin("article_id", ids))
    authors = pl.concat([old_articles.filter(_isin("article_id", ids)).get_column("author"),
                         old_comments.filter(_isin("article_id", ids)).get_column("author")]).drop_nulls().unique().to_list()
    speakers = frame.filter(pl.col("article_id").is_null() & (pl.col("kind") == "speaker") & _isin("id", authors))
    formats = {str(i.get("format")) for i in manifest.get("inputs", [])
               if isinstance(i, dict) and str(i.get("path")) in set(reused)}
    corpus = frame.filter(pl.col("article_id").is_null() & (pl.col("kind") != "speaker"))
    if "convokit" not in formats:
        corpus = corpus.clear()
    return pl.concat([with_article, speakers, corpus], how="vertical")


def _context_changes(old_info: dict[str, Any], new_info: dict[str, Any]) -> list[str]:
    """``stage.key`` of every run-context entry of the stage manifests that differs."""
    changed = []
    for stage in sorted(set(old_info) | set(new_info)):
        a, b = old_info.get(stage, {}), new_info.get(stage, {})
        if not isinstance(a, dict) or not isinstance(b, dict):
            if a != b:
                changed.append(stage)
            continue
        for key in sorted(set(a) | set(b)):
            if key.startswith("n_") or key in _DATA_DEPENDENT_INFO:
                continue
            if a.get(key) != b.get(key):
                changed.append(f"{stage}.{key}")
    return changed


def _in_input_order(frame: pl.DataFrame, hashes: list[dict[str, str]], old_articles: pl.DataFrame,
                    new: Any) -> pl.DataFrame:
    """Rows grouped by the input their article came from, in the job's input order (stable)."""
    if "article_id" not in frame.columns or frame.is_empty():
        return frame
    rank = {h["path"]: n for n, h in enumerate(hashes)}
    sources = [old_articles.select("article_id", "source_path")]
    if new is not None:
        sources.insert(0, new.forest.articles.select("article_id", "source_path"))
    table = pl.concat(sources).unique("article_id", keep="first", maintain_order=True)
    ranks = table.select(
        "article_id", _rank=pl.col("source_path").replace_strict(rank, default=len(rank), return_dtype=pl.Int64))
    return (
        frame.with_row_index("_row")
        .join(ranks, on="article_id", how="left")
        .sort(["_rank", "_row"], nulls_last=True)
        .drop("_row", "_rank")
    )


def _pooled_keyness(frames: dict[str, pl.DataFrame], settings: dict[str, Any]) -> pl.DataFrame:
    """Keyness over the merged run: the framing step again on the merged frames (no NLP)."""
    from analyzer.core.settings import build
    from analyzer.stages.declarations.framing import FramingSettings
    from analyzer.stages.framing.frames import compute_framing
    from analyzer.stages.framing.inventory import inventories_from_settings

    typed = build(FramingSettings, settings)
    _, keyness_frame, _, _, _ = compute_framing(
        frames["articles.parquet"], frames["comments.parquet"], frames["tokens.parquet"],
        frames.get("sentences.parquet"), frames.get("quotes.parquet"), frames.get("own_texts.parquet"),
        inventories_from_settings(typed),
        alpha=typed.frames_alpha,
        prior_size=typed.keyness_prior_size,
    )
    return keyness_frame


def _pooled_coordination(frames: dict[str, pl.DataFrame], settings: dict[str, Any], stage_info: dict[str, Any]) -> None:
    """The coordination stage again over the merged run (its frames span threads), in place."""
    from analyzer.core.settings import build
    from analyzer.stages.coordination.stage import SCOPES, compute
    from analyzer.stages.declarations.coordination import CoordinationSettings

    result = compute(frames["comments.parquet"], frames["articles.parquet"], frames.get("links.parquet"),
                     frames.get("stance.parquet"), build(CoordinationSettings, settings))
    frames.update(result.frames)
    kept = frames["metrics.parquet"].filter(~pl.col("scope").is_in(list(SCOPES)))
    if result.metrics is not None:
        kept = pl.concat([kept, result.metrics], how="vertical")
    frames["metrics.parquet"] = kept
    stage_info["coordination"] = result.manifest


def _merged_counts(frames: dict[str, pl.DataFrame], inputs: list[dict[str, Any]],
                   rejection_codes: frozenset[str]) -> dict[str, Any]:
    """The manifest counts of the merged run, built from its frames (as pipeline._accounting does)."""
    from analyzer.core.records import SEVERITIES

    comments, issues = frames["comments.parquet"], frames["parse_issues.parquet"]
    severity = issues.get_column("severity").to_list()
    return {
        "articles": frames["articles.parquet"].height,
        "comments_in": sum(int(i.get("comments_in") or 0) for i in inputs),
        "comments_out": int((~comments.get_column("is_ghost")).sum()),
        "comments_rejected": int(issues.filter(pl.col("code").is_in(sorted(rejection_codes))).height),
        "ghosts": int(comments.get_column("is_ghost").sum()),
        "more_stubs": int((comments.get_column("kind") == "more").sum()),
        "parse_issues": {sev: severity.count(sev) for sev in SEVERITIES},
    }
