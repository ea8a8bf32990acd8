"""Parquet inputs larger than memory, analysed in chunks of whole threads (issue 7 D).

:func:`analyse_chunked` scans a comment table lazily (``pl.scan_parquet``), counts the
comments of every article with a lazy ``group_by``, and packs whole articles into chunks of
about ``chunk_comments`` comments: an article starts in chunk ``k`` when the number of
comments before it lies in ``[k * C, (k + 1) * C)``, so a thread is never split and a chunk
holds at most ``C + largest thread - 1`` comments.  Each chunk is written to a temporary
Parquet file and run through the ordinary pipeline (:func:`analyzer.pipeline.analyse`), so
every reader rule, tree rule and stage is the same code as in a one-shot run.  Each chunk's
frames are written as Parquet parts and combined at the end with
``pl.scan_parquet(parts).sink_parquet(final)`` (streamed, never all in memory).  The run
folder is built beside its destination and renamed into place, like
:func:`analyzer.core.run.write_run`, and its manifest sums the chunks' counts and timings and
checks the accounting (comments in = comments out + rejected) over the whole input.

Memory bound.  Peak memory is that of the largest chunk's one-shot analysis plus the lazy
scan's working set: one article-id column with its per-article counts (``O(articles)``),
and the streaming engine's buffers when slicing and combining.  It does not grow with the
number of chunks: see ``python -m tests.bench.chunked_memory`` for measured peaks.

What differs from a one-shot run (all other frames and metrics are identical, because every
metric of the ``structure`` and ``links`` stages is computed per article):

* ``keyness`` (framing stage): the Dirichlet prior's shape π is the pooled term share of the
  *run* (:mod:`analyzer.stages.framing.keyness`); in chunked mode it is the share of the *chunk*, so
  z-scores differ slightly.  α_0 is fixed, so the difference is only in π.
* Reader rules that look at a whole column are applied per chunk: the timestamp format chosen
  from a sample, and the Reddit ``t3_`` prefix rule (stripped only when *every* article id
  carries it).  A file that mixes formats or prefixes can read differently per chunk.
* Row numbers in parse issues (``first is row N``) and synthetic ids for rows without a
  comment id (``_row<N>``) count rows within the chunk, not the file.
* File-level reader issues (no text column ...) would repeat once per chunk; exact
  duplicates without an article id are kept once.
* With an articles table, articles that have no comment are kept from the first chunk only.
* ``manifest.inputs`` lists the original file (its sha256 streamed), and the manifest has a
  ``chunked`` section: chunk sizes, the largest thread and the chunk setting.

A cleaner hook than the temporary file would be a reader entry point taking a frame
(``tables.read_frame(frame, options, source_path)``) and a pipeline function taking an
:class:`~analyzer.ingest.Ingested` (``pipeline.analyse_ingested``); neither exists yet, so
chunks go through a temporary Parquet file on the destination's file system.
"""

from __future__ import annotations

import gc
import platform
import shutil
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from analyzer import __version__
from analyzer.core import atomic, schemas
from analyzer.core.errors import UsageError
from analyzer.core.hashing import file_sha256
from analyzer.core.records import SEVERITIES
from analyzer.core.run import (
    RUN_SCHEMA_VERSION,
    is_run,
    known_files,
    replace_folder,
    write_manifest,
)
from analyzer.ingest import tables
from analyzer.ingest.base import ReadOptions
from analyzer.ingest.parquet_guard import check_parquet, mark_checked
from analyzer.tree.limits import Limits

__all__ = ["ChunkPlan", "DEFAULT_CHUNK_COMMENTS", "analyse_chunked", "plan_chunks"]

# 200k comments: a one-shot structure+links run of that size peaks well under 1 GB
# (see the --bench figures in the module report), small enough for a laptop next to a browser.
DEFAULT_CHUNK_COMMENTS = 200_000

_CHUNK_COL = "__analyzer_chunk"
# Columns that name the input file; the temporary chunk file's name is replaced by the original.
_PATH_COLUMNS = ("source_path", "path")


# ---------------------------------------------------------------------------------------
# Planning: whole articles into chunks
# ---------------------------------------------------------------------------------------


class ChunkPlan:
    """Which articles go into which chunk, for one input file.

    Attributes:
        path: the input Parquet file.
        article_column: the column holding article ids (None: the file is one article).
        sizes: one row per article in order of first appearance: ``key`` (raw value of the
            article column), ``n`` (comments) and the chunk number.
        contiguous: True when every article's rows are adjacent in the file, so a chunk is a
            row slice (cheap) instead of a filter over the whole file.
    """

    def __init__(self, path: Path, article_column: str | None, sizes: pl.DataFrame,
                 contiguous: bool) -> None:
        self.path = path
        self.article_column = article_column
        self.sizes = sizes
        self.contiguous = contiguous

    @property
    def n_chunks(self) -> int:
        return self.sizes[_CHUNK_COL].n_unique() if self.sizes.height else 0

    def chunk_sizes(self) -> list[int]:
        """Comments per chunk, in chunk order."""
        per = self.sizes.group_by(_CHUNK_COL).agg(pl.col("n").sum()).sort(_CHUNK_COL)
        return per["n"].to_list()

    def chunk_frame(self, chunk: int) -> pl.LazyFrame:
        """The rows of one chunk, lazily, in file order."""
        scan = pl.scan_parquet(self.path)
        if self.article_column is None:
            return scan
        mine = self.sizes.filter(pl.col(_CHUNK_COL) == chunk)
        if self.contiguous:
            before = int(self.sizes.filter(pl.col(_CHUNK_COL) < chunk)["n"].sum())
            return scan.slice(before, int(mine["n"].sum()))
        keys = mine["key"]
        wanted = pl.col(self.article_column).is_in(keys.drop_nulls().implode())
        if keys.null_count():
            wanted = wanted | pl.col(self.article_column).is_null()
        return scan.filter(wanted)


def _article_column(path: Path, mapping: dict[str, str]) -> str | None:
    """The article id column, found exactly as the table reader finds it (same mapping rules)."""
    names = list(pl.scan_parquet(path).collect_schema().names())
    comment_map, _ = tables.split_mapping(mapping)
    cols = tables.resolve_columns(names, comment_map, tables.COMMENT_CANDIDATES, path, what="comments")
    found = cols.get("article_id")
    return found[0] if found else None


def plan_chunks(path: str | Path, chunk_comments: int, mapping: dict[str, str] | None = None) -> ChunkPlan:
    """Assign whole articles to chunks of about ``chunk_comments`` comments.

    Only the article id column is read (lazily); memory is ``O(rows of that column)`` for the
    contiguity check and ``O(articles)`` for the sizes.

    Args:
        path: a Parquet comment table.
        chunk_comments: target comments per chunk (an article larger than this is a chunk of
            its own, or shares one with the articles before it).
        mapping: the ``--map`` column mapping, as for the table reader.
    """
    if chunk_comments < 1:
        raise UsageError(f"chunk size must be at least 1 comment, got {chunk_comments}")
    path = Path(path)
    # A corrupt page can abort polars (the whole process): decode the file in a child first.
    check_parquet(path)
    column = _article_column(path, dict(mapping or {}))
    if column is None:
        n = int(pl.scan_parquet(path).select(pl.len()).collect().item())
        sizes = pl.DataFrame({"key": [None], "n": [n], _CHUNK_COL: [0]},
                             schema={"key": pl.String, "n": pl.Int64, _CHUNK_COL: pl.Int64})
        return ChunkPlan(path, None, sizes if n else sizes.clear(), True)
    ids = pl.scan_parquet(path).select(pl.col(column).alias("key"))
    sizes = ids.group_by("key", maintain_order=True).agg(pl.len().cast(pl.Int64).alias("n")).collect()
    n_runs = int(ids.select(pl.col("key").rle_id().max()).collect().item() or 0) + 1
    contiguous = n_runs == sizes.height
    before = sizes["n"].cum_sum() - sizes["n"]
    raw_chunk = before // chunk_comments
    # Dense chunk numbers: a huge article can make the raw numbers skip.
    sizes = sizes.with_columns((raw_chunk.rank("dense").cast(pl.Int64) - 1).alias(_CHUNK_COL))
    return ChunkPlan(path, column, sizes, contiguous)


# ---------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------


# Stages whose frames span threads: per-chunk results would be partial, so chunked runs leave
# them out (default stages) or refuse them (asked for by name).
_CROSS_THREAD = {"coordination": "its frames span threads (authors, clusters, co-links); run it without --chunk-comments"}


def _chunkable(stages: str | Sequence[str] | None) -> tuple[list[str], dict[str, str]]:
    from analyzer.stages import select

    if stages is not None:
        names = [s.strip() for s in (stages.split(",") if isinstance(stages, str) else stages) if s.strip()]
        asked = [n for n in names if n in _CROSS_THREAD]
        if asked:
            raise UsageError(f"stage {asked[0]} cannot run chunk by chunk: {_CROSS_THREAD[asked[0]]}")
    selected, _ = select(stages)
    names = [s.name for s in selected if s.name not in _CROSS_THREAD]
    return names, {s.name: _CROSS_THREAD[s.name] for s in selected if s.name in _CROSS_THREAD}


def _restore_paths(frame: pl.DataFrame, temp_path: str, original: str) -> pl.DataFrame:
    fixes = [
        pl.col(c).replace(temp_path, original)
        for c in _PATH_COLUMNS
        if c in frame.columns and frame.schema[c] == pl.String
    ]
    return frame.with_columns(fixes) if fixes else frame


def _merge_info(total: dict[str, Any], info: dict[str, Any]) -> None:
    """Stage manifest facts over chunks: numbers add up, anything else is kept from the first."""
    for stage, facts in info.items():
        into = total.setdefault(stage, {})
        for key, value in facts.items():
            if key not in into:
                into[key] = value
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                into[key] = into[key] + value


def _drop_extra_articles(frames: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Drop articles without comments (from an articles table), kept by the first chunk only."""
    comments = frames["comments.parquet"]
    extra = frames["articles.parquet"].join(comments.select("article_id").unique(), on="article_id",
                                            how="anti")["article_id"]
    if not extra.len():
        return frames
    return {
        name: (f.filter(~pl.col("article_id").is_in(extra.implode()) | pl.col("article_id").is_null())
               if "article_id" in f.columns else f)
        for name, f in frames.items()
    }


def analyse_chunked(
    parquet_paths: Sequence[str | Path],
    *,
    out: str | Path,
    chunk_comments: int = DEFAULT_CHUNK_COMMENTS,
    stages: str | Sequence[str] | None = None,
    stage_settings: dict[str, Any] | None = None,
    mapping: dict[str, str] | None = None,
    articles_table: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
    limits: Limits | None = None,
) -> Path:
    """Analyse Parquet comment tables chunk by chunk and write one run folder.

    Args:
        parquet_paths: Parquet comment tables (one comment per row, as for the table reader).
        out: the run folder to write (replaced atomically if it is an earlier run).
        chunk_comments: target comments per chunk; whole articles only.
        stages: stage names, as for :func:`analyzer.pipeline.analyse`.
        stage_settings: stage options, as for :func:`analyzer.pipeline.analyse`.
        mapping: the ``--map`` column mapping.
        articles_table: optional articles table (``--articles``).
        progress: called with a short message as each step starts.
        limits: caps, as for :func:`analyzer.pipeline.analyse`; threads are never split, so
            the per-thread caps act exactly as in a one-shot run; ``max_bytes`` applies to
            each chunk (the input itself may be larger than memory).

    Returns:
        The run folder.

    Raises:
        UsageError: no inputs, a non-Parquet input, a bad chunk size, or ``out`` is a folder
            that is not a run.
        AccountingError: comments or links went missing, or the combined files disagree with
            the summed counts (a bug); an earlier run at ``out`` is left as it was.

    Example:
        >>> analyse_chunked(["big.parquet"], out="runs/big", chunk_comments=100_000)  # doctest: +SKIP
    """
    from analyzer.accounting import check_comments, check_links, verify_run_folder
    from analyzer.pipeline import analyse

    paths = [Path(p) for p in parquet_paths]
    if not paths:
        raise UsageError("analyse_chunked: no input files")
    for p in paths:
        if p.suffix.lower() not in tables.PARQUET_SUFFIXES:
            raise UsageError(f"{p}: chunked analysis reads Parquet tables only (.parquet, .pq)")
        if not p.is_file():
            raise UsageError(f"{p}: no such file")
    if chunk_comments < 1:
        raise UsageError(f"chunk size must be at least 1 comment, got {chunk_comments}")
    say = progress or (lambda _msg: None)
    stages, not_run = _chunkable(stages)
    mapping = dict(mapping or {})
    limits = limits or Limits()
    options = ReadOptions(mapping=mapping, articles_table=Path(articles_table) if articles_table else None,
                          max_bytes=limits.max_bytes)

    run_dir = Path(out).absolute()
    if run_dir.exists() and not run_dir.is_dir():
        raise UsageError(f"{run_dir}: exists and is not a folder")
    if run_dir.is_dir() and any(run_dir.iterdir()) and not is_run(run_dir):
        raise UsageError(f"{run_dir}: folder exists and is not an analyzer run; refusing to overwrite it")
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = atomic.make_temp_folder(run_dir)  # locked, so a concurrent writer's clean-up skips it
    try:
        manifest = _run_chunks(paths, tmp, chunk_comments, stages, stage_settings, options, say,
                               lambda *a, **k: analyse(*a, limits=limits, **k))
        manifest["settings"]["limits"] = limits.as_dict()
        manifest["chunked"]["stages_not_run"] = not_run
        counts = manifest["counts"]
        check_comments(counts, " over chunks")
        if "links" in manifest["accounting"]:
            check_links(manifest["accounting"]["links"], " over chunks")
        write_manifest(tmp, manifest)
        verify_run_folder(tmp)
        tmp.chmod(0o755)
        replace_folder(tmp, run_dir)
    except BaseException:
        atomic.discard_temp_folder(tmp)
        raise
    return run_dir


def _run_chunks(
    paths: list[Path],
    tmp: Path,
    chunk_comments: int,
    stages: str | Sequence[str] | None,
    stage_settings: dict[str, Any] | None,
    options: ReadOptions,
    say: Callable[[str], None],
    analyse: Callable[..., Any],
) -> dict[str, Any]:
    """Analyse every chunk into Parquet parts under ``tmp/.parts``, combine; return the manifest."""
    from analyzer.accounting import add_counts

    parts_dir = tmp / ".parts"
    parts_dir.mkdir()
    parts: dict[str, list[Path]] = {}
    timings: dict[str, float] = {}
    stage_info: dict[str, Any] = {}
    counts = {"articles": 0, "comments_in": 0, "comments_out": 0, "comments_rejected": 0,
              "ghosts": 0, "more_stubs": 0}
    accounting: dict[str, Any] = {}  # the chunks' accounting sections, summed by add_counts
    inputs: list[dict[str, Any]] = []
    chunk_facts: list[dict[str, Any]] = []
    first_manifest: dict[str, Any] | None = None
    seen_file_issues: set[tuple[Any, ...]] = set()
    chunk_no = 0
    for path in paths:
        start = time.perf_counter()
        say(f"plan {path.name}")
        plan = plan_chunks(path, chunk_comments, options.mapping)
        timings["plan"] = timings.get("plan", 0.0) + time.perf_counter() - start
        n_in_file = 0
        sizes = plan.chunk_sizes()
        for k in range(plan.n_chunks):
            say(f"chunk {k + 1}/{plan.n_chunks} of {path.name} ({sizes[k]} comments)")
            chunk_file = parts_dir / f"input-{chunk_no:05d}.parquet"
            start = time.perf_counter()
            plan.chunk_frame(k).sink_parquet(chunk_file)
            mark_checked(chunk_file)  # written by polars from a checked input: no second check
            timings["slice"] = timings.get("slice", 0.0) + time.perf_counter() - start
            analysis = analyse([chunk_file], format="table", options=options, stages=stages,
                               stage_settings=stage_settings)
            if first_manifest is None:
                first_manifest = analysis.manifest
            for step, seconds in analysis.timings.items():
                timings[step] = timings.get(step, 0.0) + seconds
            _merge_info(stage_info, analysis.manifest["stage_info"])
            chunk_counts = analysis.manifest["counts"]
            for key in counts:
                counts[key] += chunk_counts[key]
            n_in_file += chunk_counts["comments_in"]
            frames = {name: _restore_paths(f, str(chunk_file), str(path)) for name, f in analysis.frames().items()}
            extra = dict(analysis.manifest["accounting"])
            if chunk_no > 0:
                every_article = frames["articles.parquet"]
                frames = _drop_extra_articles(frames)
                counts["articles"] -= chunk_counts["articles"] - frames["articles.parquet"].height
                extra = _without_dropped_links(extra, every_article, frames["articles.parquet"])
            add_counts(accounting, extra)
            frames["parse_issues.parquet"] = _dedupe_file_issues(frames["parse_issues.parquet"],
                                                                 seen_file_issues)
            start = time.perf_counter()
            declared = known_files()
            for name, frame in frames.items():
                frame = schemas.check(frame, declared[name], name)
                part = parts_dir / name.removesuffix(".parquet") / f"{chunk_no:05d}.parquet"
                part.parent.mkdir(exist_ok=True)
                frame.write_parquet(part)
                parts.setdefault(name, []).append(part)
            timings["write_parts"] = timings.get("write_parts", 0.0) + time.perf_counter() - start
            chunk_facts.append({"input": str(path), "chunk": k, "comments": chunk_counts["comments_in"],
                                "articles": chunk_counts["articles"]})
            chunk_file.unlink()
            del analysis, frames
            gc.collect()  # release the chunk's frames before the next one is read
            chunk_no += 1
        inputs.append({"path": str(path), "format": "table", "sha256": file_sha256(path),
                       "bytes": path.stat().st_size, "encoding": None, "comments_in": n_in_file})
        largest = int(plan.sizes.select(pl.col("n").max()).item() or 0) if plan.sizes.height else 0
        chunk_facts.append({"input": str(path), "largest_thread": largest, "contiguous": plan.contiguous})

    say("combine")
    start = time.perf_counter()
    files: dict[str, Any] = {}
    severities = dict.fromkeys(SEVERITIES, 0)
    for name, name_parts in parts.items():
        target = tmp / name
        pl.scan_parquet(name_parts).sink_parquet(target, statistics=True)
        files[name] = {"rows": int(pl.scan_parquet(target).select(pl.len()).collect().item()),
                       "sha256": file_sha256(target)}
    if not parts:  # an empty input: still a complete run folder with every core file
        for name, schema in {n: s for n, s in known_files().items() if n in _core_names()}.items():
            schemas.empty(schema).write_parquet(tmp / name)
            files[name] = {"rows": 0, "sha256": file_sha256(tmp / name)}
    issues_path = tmp / "parse_issues.parquet"
    by_severity = pl.scan_parquet(issues_path).group_by("severity").agg(pl.len()).collect()
    for severity, n in by_severity.iter_rows():
        severities[severity] = int(n)
    timings["combine"] = time.perf_counter() - start
    shutil.rmtree(parts_dir)

    base = first_manifest or {}
    stage_names = base.get("stages")
    if stage_names is None:
        from analyzer.stages import select

        selected, added = select(stages)
        stage_names, base = [s.name for s in selected], {"stages_added_as_prerequisites": list(added)}
    return {
        "analyzer_version": __version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "polars": pl.__version__,
        "inputs": inputs,
        "settings": {
            "format": "table",
            "map": dict(options.mapping),
            "articles_table": str(options.articles_table) if options.articles_table else None,
            "max_bytes": options.max_bytes,
            "chunk_comments": chunk_comments,
        },
        "stages": stage_names,
        "stages_added_as_prerequisites": base.get("stages_added_as_prerequisites", []),
        "stage_info": stage_info,
        "nlp_mode": stage_info.get("nlp", {}).get("mode"),
        "timings_s": {k: round(v, 4) for k, v in timings.items()},
        "counts": {**counts, "parse_issues": severities},
        "accounting": accounting,
        "chunked": {"n_chunks": chunk_no, "chunks": chunk_facts},
        "files": files,
        "run_schema_version": RUN_SCHEMA_VERSION,
        "complete": True,
    }


def _without_dropped_links(
    extra: dict[str, Any], every_article: pl.DataFrame, kept: pl.DataFrame
) -> dict[str, Any]:
    """A chunk's link tally less the links of the article bodies :func:`_drop_extra_articles` dropped.

    Those articles (no comments, from an articles table) are kept from the first chunk only,
    so their links, found again in every chunk, must leave the later chunks' tallies too.
    """
    if "links" not in extra:
        return extra
    dropped = every_article.join(kept.select("article_id"), on="article_id", how="anti")
    if not dropped.height:
        return extra
    from analyzer.stages.links import LinkTally, links_frame

    tally = LinkTally()
    links_frame(dropped.select("article_id", pl.lit(None, dtype=pl.String), "body").iter_rows(), tally)
    return {**extra, "links": {k: v - getattr(tally, k) for k, v in extra["links"].items()}}


def _core_names() -> set[str]:
    from analyzer.core.run import CORE_FILES

    return set(CORE_FILES)


def _dedupe_file_issues(issues: pl.DataFrame, seen: set[tuple[Any, ...]]) -> pl.DataFrame:
    """Keep a file-level issue (no article id) once over all chunks; others are per chunk anyway."""
    if not issues.height:
        return issues
    keep: list[bool] = []
    for row in issues.iter_rows():
        record = dict(zip(issues.columns, row, strict=True))
        if record["article_id"] is not None:
            keep.append(True)
            continue
        key = tuple(row)
        keep.append(key not in seen)
        seen.add(key)
    return issues.filter(pl.Series(keep, dtype=pl.Boolean))
