"""Side by side with ConvoKit: reply trees, per-thread max depth and root-to-leaf paths.

ConvoKit (Chang et al. 2020, "ConvoKit: A Toolkit for the Analysis of Conversations",
SIGDIAL) is what researchers use today for conversation trees.  This benchmark builds the
same trees from the same synthetic comment table (:mod:`tests.bench.synth.corpus`) with both
tools, computes the same two things per thread, and reports time and peak memory of each,
each in its own fresh process.

ConvoKit is not a dependency of ``analyzer``: it runs in a separate environment::

    python3.11 -m venv /tmp/convokit-venv
    /tmp/convokit-venv/bin/pip install -c constraints.txt convokit    # from the repository root
    python -m tests.bench.convokit_compare --convokit-python /tmp/convokit-venv/bin/python

(``constraints.txt`` pins torch, a ConvoKit dependency, to the CPU wheel; without it pip
pulls several GB of CUDA wheels.  ConvoKit 5.0.0 brings pandas and pyarrow, which its side
uses to read the Parquet table.)

What each side does, timed from after its imports:

* **load**: read the Parquet table.  ConvoKit side: ``pandas.read_parquet``.  analyzer
  side: the table reader :func:`analyzer.ingest.read` (it also validates and conforms the
  columns).
* **build**: the reply trees.  ConvoKit side: one ``Speaker`` per author, one ``Utterance``
  per comment (id, speaker, conversation_id, reply_to, timestamp, text) plus one root
  utterance per article (ConvoKit needs a single root per conversation; top-level comments
  reply to it, as in ConvoKit's Reddit corpora, where the post is the root), then
  ``Corpus(utterances=...)``.  analyzer side: :func:`analyzer.tree.forest.build_forest` (ids,
  parents, depth, pre-order, subtree sizes, integrity checks).
* **compute**: per thread, the max depth and *all* root-to-leaf paths, kept in memory until
  the end.  ConvoKit side: ``Conversation.get_root_to_leaf_paths()`` for every
  conversation (its public API; it returns one list of ``Utterance`` references per leaf,
  root first), max depth = longest path - 1 (what ``get_longest_paths`` does).  analyzer
  side: max depth per thread is a group-by on the forest's ``depth`` column; the paths are
  materialised by :func:`root_to_leaf_paths` as one flat ``int64`` array of comment row
  indices, leaf by leaf, root first, with offsets (the Arrow list layout): one 8-byte entry
  per path node, as ConvoKit keeps one 8-byte reference per path node.  The article root
  is implicit on the analyzer side, so its paths hold one node fewer per leaf; the check
  counts it back in.

Both sides report checks that must agree: number of threads, leaves and path nodes (root
included) and a digest of the per-thread max depths.  Peak memory is each child's
``VmHWM`` (whole process, imports included; ``rss_after_imports_bytes`` says how much of it
the imports are).  Run with ``--repeat 3``: fastest time and highest peak are reported.

This file is also run as a script by the ConvoKit environment's interpreter, which does not
have ``analyzer`` installed: at module level it imports only the standard library;
``analyzer``, numpy and polars (analyzer side) and ``convokit``/pandas (ConvoKit side) are
imported inside the functions that need them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_SIZES",
    "analyzer_side",
    "convokit_side",
    "depth_digest",
    "format_report",
    "main",
    "root_to_leaf_paths",
    "run_side_by_side",
]

DEFAULT_SIZES = (100_000, 1_000_000)
COMMENTS_PER_ARTICLE = 100  # 10,000 threads at 1M comments; proportionally fewer below
DEEP_CHAINS = 3
DEFAULT_CONVOKIT_PYTHON = "/tmp/convokit-venv/bin/python"
# The issue's target: analyzer at least this many times faster, and leaner.
TARGET_SPEEDUP = 20.0
ROOT_SPEAKER = "__article__"  # speaker of the synthetic root utterance of each conversation
ANONYMOUS_SPEAKER = "__anonymous__"  # ConvoKit needs a speaker; the table has null authors


# --- Shared helpers (standard library only) ---------------------------------------------


def _status_bytes(field_name: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def depth_digest(max_depths: dict[str, int]) -> str:
    """A short digest of ``{thread id: max depth}``, equal on both sides when they agree.

    Example:
        >>> depth_digest({"b": 2, "a": 1}) == depth_digest({"a": 1, "b": 2})
        True
    """
    text = "\n".join(f"{k}\t{v}" for k, v in sorted(max_depths.items()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def run(self, name: str, step: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        value = step()
        self.seconds[name] = time.perf_counter() - start
        return value


# --- analyzer side -----------------------------------------------------------------------


def root_to_leaf_paths(parent: Any, depth: Any, n_children: Any) -> tuple[Any, Any]:
    """Every root-to-leaf path of a forest, as flat row indices with offsets.

    Args:
        parent: ``int64`` parent row per node, -1 under the (implicit) article root.
        depth: depth per node (children of the root have depth 1).
        n_children: number of children per node (leaves have 0).

    Returns:
        ``(offsets, nodes)``: the path of leaf ``i`` (leaves in row order) is
        ``nodes[offsets[i]:offsets[i + 1]]``, from the top-level comment down to the leaf;
        the article root is implicit.  One vectorised step per depth level, each over the
        leaves whose paths are still being filled: O(path nodes + max depth), no per-node
        Python loop.

    Example:
        >>> import numpy as np
        >>> parent = np.array([-1, 0, 1, 0, -1])
        >>> depth = np.array([1, 2, 3, 2, 1])
        >>> offsets, nodes = root_to_leaf_paths(parent, depth, np.array([2, 1, 0, 0, 0]))
        >>> [nodes[a:b].tolist() for a, b in zip(offsets[:-1], offsets[1:])]
        [[0, 1, 2], [0, 3], [4]]
    """
    import numpy as np

    parent = np.asarray(parent, dtype=np.int64)
    leaves = np.flatnonzero(np.asarray(n_children) == 0)
    lengths = np.asarray(depth, dtype=np.int64)[leaves]
    offsets = np.zeros(leaves.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    nodes = np.empty(int(offsets[-1]), dtype=np.int64)
    cur = leaves
    pos = offsets[1:] - 1  # fill each path from its leaf (last slot) up to the top level
    while cur.size:
        nodes[pos] = cur
        cur = parent[cur]
        pos = pos - 1
        keep = cur >= 0
        if not keep.all():
            cur, pos = cur[keep], pos[keep]
    return offsets, nodes


def analyzer_side(path: Path) -> dict[str, Any]:
    """Read the table, build the forest, compute max depths and root-to-leaf paths.

    Returns:
        Seconds per step (``load``, ``build``, ``compute``, ``total``) and the checks
        (``n_threads``, ``n_leaves``, ``n_path_nodes`` with the root counted, ``depth_digest``,
        ``max_depth``); memory figures are added by the child entry point.
    """
    import numpy as np
    import polars as pl

    from analyzer.ingest import read
    from analyzer.tree.forest import build_forest

    clock = _Clock()
    ingested = clock.run("load", lambda: read([Path(path)]))
    forest = clock.run(
        "build", lambda: build_forest(ingested.comments, ingested.articles, reader_issues=ingested.issues)
    )

    def compute() -> tuple[pl.DataFrame, Any, Any]:
        max_depths = forest.comments.group_by("article_id").agg(max_depth=pl.col("depth").max())
        offsets, nodes = root_to_leaf_paths(forest.parent_index, forest.comments["depth"].to_numpy(), forest.n_children)
        return max_depths, offsets, nodes

    max_depths, offsets, nodes = clock.run("compute", compute)
    n_leaves = int(offsets.size - 1)
    return {
        "side": "analyzer",
        "seconds": {**clock.seconds, "total": sum(clock.seconds.values())},
        "n_comments": int(forest.comments.height),
        "n_threads": int(max_depths.height),
        "n_leaves": n_leaves,
        "n_path_nodes": int(nodes.size) + n_leaves,  # + the implicit article root per path
        "max_depth": int(max_depths["max_depth"].max() or 0),
        "depth_digest": depth_digest(dict(max_depths.iter_rows())),
        "paths_bytes": int(nodes.nbytes + offsets.nbytes),
        "versions": {"polars": pl.__version__, "numpy": np.__version__},
    }


# --- ConvoKit side (runs in the ConvoKit environment) -----------------------------------


def convokit_side(path: Path) -> dict[str, Any]:
    """Build a ConvoKit Corpus from the table; per conversation max depth and root-to-leaf paths.

    Returns the same keys as :func:`analyzer_side`.
    """
    from importlib import metadata

    import pandas as pd
    from convokit import Corpus, Speaker, Utterance

    clock = _Clock()
    table = clock.run("load", lambda: pd.read_parquet(path))

    def build() -> Any:
        # Timestamps as integer seconds (ConvoKit sorts children by them).
        stamps = (table["created_at"].dt.tz_convert(None).astype("datetime64[us]").astype("int64") // 1_000_000).tolist()
        authors = table["author"].tolist()
        speakers: dict[str, Any] = {}
        for name in {ROOT_SPEAKER, ANONYMOUS_SPEAKER, *(a for a in authors if isinstance(a, str))}:
            speakers[name] = Speaker(id=name)
        utterances = []
        first_stamp: dict[str, int] = {}
        for article, stamp in zip(table["article_id"].tolist(), stamps, strict=True):
            if article not in first_stamp or stamp < first_stamp[article]:
                first_stamp[article] = stamp
        for article, stamp in first_stamp.items():
            utterances.append(Utterance(id=article, speaker=speakers[ROOT_SPEAKER], conversation_id=article,
                                        reply_to=None, timestamp=stamp - 1, text=""))
        columns = zip(table["comment_id"].tolist(), table["article_id"].tolist(), table["parent_id"].tolist(),
                      authors, stamps, table["text"].tolist(), strict=True)
        for cid, article, parent, author, stamp, text in columns:
            utterances.append(Utterance(
                id=cid,
                speaker=speakers[author if isinstance(author, str) else ANONYMOUS_SPEAKER],
                conversation_id=article,
                reply_to=parent if isinstance(parent, str) else article,
                timestamp=stamp,
                text=text if isinstance(text, str) else "",
            ))
        return Corpus(utterances=utterances)

    corpus = clock.run("build", build)

    def compute() -> tuple[dict[str, int], list[Any]]:
        max_depths: dict[str, int] = {}
        kept: list[Any] = []  # every conversation's paths stay materialised, as on the analyzer side
        for conversation in corpus.iter_conversations():
            paths = conversation.get_root_to_leaf_paths()
            max_depths[conversation.id] = max(len(p) for p in paths) - 1
            kept.append(paths)
        return max_depths, kept

    max_depths, kept = clock.run("compute", compute)
    return {
        "side": "convokit",
        "seconds": {**clock.seconds, "total": sum(clock.seconds.values())},
        "n_comments": int(len(table)),
        "n_threads": len(max_depths),
        "n_leaves": sum(len(paths) for paths in kept),
        "n_path_nodes": sum(len(p) for paths in kept for p in paths),
        "max_depth": max(max_depths.values(), default=0),
        "depth_digest": depth_digest(max_depths),
        # Not convokit.__version__: a missing attribute makes ConvoKit's lazy loader import
        # every optional module (torch, transformers: +500 MB of RSS) to look for it.
        "versions": {"convokit": metadata.version("convokit"), "pandas": pd.__version__},
    }


def _child(side: str, path: Path) -> dict[str, Any]:
    rss_imports_start = _status_bytes("VmRSS")
    start = time.perf_counter()
    if side == "analyzer":
        # Imports are timed apart from the work on both sides; these are the modules the
        # reader and the tree builder import lazily on first use (checked with sys.modules).
        import numpy.ma  # noqa: F401

        import analyzer.ingest  # noqa: F401
        import analyzer.ingest.reddit  # noqa: F401
        import analyzer.ingest.tables  # noqa: F401
        import analyzer.tree.forest  # noqa: F401

        work: Callable[[Path], dict[str, Any]] = analyzer_side
    else:
        import convokit  # noqa: F401
        import pandas  # noqa: F401
        from convokit import Corpus, Speaker, Utterance  # noqa: F401

        work = convokit_side
    import_seconds = time.perf_counter() - start
    rss_after_imports = _status_bytes("VmRSS")
    figures = work(path)
    figures.update(
        import_seconds=import_seconds,
        rss_start_bytes=rss_imports_start,
        rss_after_imports_bytes=rss_after_imports,
        peak_rss_bytes=_status_bytes("VmHWM"),
        python=sys.version.split()[0],
    )
    return figures


# --- The parent: corpora, children, ratios -------------------------------------------------


def _run(argv: list[str]) -> tuple[dict[str, Any] | None, str]:
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return None, f"exit {proc.returncode}: {' | '.join(proc.stderr.strip().splitlines()[-5:])}"
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1]), ""
    except (ValueError, IndexError):
        return None, f"no JSON from {argv[0]}: {proc.stdout[-300:]!r}"


def _merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    best = dict(min(runs, key=lambda r: r["seconds"]["total"]))
    best["all_total_seconds"] = [r["seconds"]["total"] for r in runs]
    best["peak_rss_bytes"] = max(r["peak_rss_bytes"] or 0 for r in runs)
    return best


def run_side_by_side(
    *,
    sizes: Sequence[int] = DEFAULT_SIZES,
    convokit_python: str = DEFAULT_CONVOKIT_PYTHON,
    repeat: int = 3,
    seed: int = 0,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run both sides at each size (alternating, ``repeat`` times) and compute the ratios.

    Returns:
        ``{"machine", "params", "sizes": {str(n): {"analyzer", "convokit", "ratios", "agree"}}}``
        with ``ratios`` = ConvoKit / analyzer for time (total and compute only) and peak memory.
    """
    from tests.bench.throughput import _corpus_path, _stage_generate, machine_facts

    say = progress or (lambda _msg: None)
    # The ConvoKit interpreter runs this file as a script; -P keeps the script's folder (the
    # analyzer package, whose module names could shadow others) off sys.path.
    sides = (
        ("analyzer", [sys.executable, "-m", "tests.bench.convokit_compare"]),
        ("convokit", [convokit_python, "-P", str(Path(__file__).resolve())]),
    )
    result: dict[str, Any] = {
        "machine": machine_facts(),
        "params": {"sizes": list(sizes), "repeat": repeat, "seed": seed, "comments_per_article": COMMENTS_PER_ARTICLE,
                   "deep_chains": DEEP_CHAINS, "convokit_python": convokit_python},
        "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="analyzer-bench-convokit-") as tmp:
        folder = cache_dir if cache_dir is not None else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            n_articles = max(1, n // COMMENTS_PER_ARTICLE)
            chain_length = max(1, min(2000, n // (10 * DEEP_CHAINS)))
            path = _corpus_path(folder, n, n_articles, seed, DEEP_CHAINS, chain_length)
            _stage_generate(path, n, n_articles, seed, DEEP_CHAINS, chain_length, reuse=cache_dir is not None)
            runs: dict[str, list[dict[str, Any]]] = {"analyzer": [], "convokit": []}
            errors: dict[str, str] = {}
            loads: list[float] = []
            for i in range(repeat):
                for side, argv in sides:
                    if side in errors:
                        continue
                    say(f"{n:,} comments: {side} run {i + 1}/{repeat}")
                    loads.append(os.getloadavg()[0])
                    figures, error = _run([*argv, "--side", side, str(path)])
                    if figures is None:
                        errors[side] = error
                    else:
                        runs[side].append(figures)
            entry: dict[str, Any] = {"n_articles": n_articles, "chain_length": chain_length, "load_avg_1m": loads}
            for side, side_runs in runs.items():
                entry[side] = _merge(side_runs) if side_runs else {"status": "failed", "note": errors.get(side)}
            a, c = entry["analyzer"], entry["convokit"]
            if "seconds" in a and "seconds" in c:
                entry["ratios"] = {
                    "time_total": c["seconds"]["total"] / a["seconds"]["total"],
                    "time_build_compute": (c["seconds"]["build"] + c["seconds"]["compute"])
                    / (a["seconds"]["build"] + a["seconds"]["compute"]),
                    "peak_rss": c["peak_rss_bytes"] / a["peak_rss_bytes"] if a["peak_rss_bytes"] else None,
                    "peak_rss_above_imports": (c["peak_rss_bytes"] - c["rss_after_imports_bytes"])
                    / max(1, a["peak_rss_bytes"] - a["rss_after_imports_bytes"]),
                }
                entry["agree"] = all(a[k] == c[k] for k in ("n_threads", "n_leaves", "n_path_nodes", "depth_digest"))
            result["sizes"][str(n)] = entry
    return result


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value / 1e6:,.0f} MB"


def format_report(result: dict[str, Any], *, markdown: bool = False) -> str:
    """One row per size and side, with the ratios."""
    header = ["comments", "side", "load s", "build s", "compute s", "total s", "peak RSS", "RSS after imports"]
    rows: list[list[str]] = []
    notes: list[str] = []
    for n, entry in result["sizes"].items():
        for side in ("analyzer", "convokit"):
            f = entry[side]
            if "seconds" not in f:
                rows.append([f"{int(n):,}", side, "failed", "", "", "", "", ""])
                notes.append(f"{n} {side}: {f.get('note')}")
                continue
            s = f["seconds"]
            rows.append([f"{int(n):,}", side, f"{s['load']:.2f}", f"{s['build']:.2f}", f"{s['compute']:.2f}",
                         f"{s['total']:.2f}", _mb(f["peak_rss_bytes"]), _mb(f["rss_after_imports_bytes"])])
        r = entry.get("ratios")
        if r:
            met = r["time_total"] >= TARGET_SPEEDUP and r["peak_rss"] is not None and r["peak_rss"] > 1
            rows.append([f"{int(n):,}", "ConvoKit / analyzer", "", "", "", f"{r['time_total']:.1f}x",
                         f"{r['peak_rss']:.1f}x", f"(build+compute {r['time_build_compute']:.1f}x; "
                         f"{'target met' if met else 'TARGET MISSED'}; checks {'agree' if entry.get('agree') else 'DISAGREE'})"])
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    else:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]]
    m = result["machine"]
    loads = [x for e in result["sizes"].values() for x in e.get("load_avg_1m", [])]
    lines.append("")
    lines.append(f"machine: {m.get('cpu_model')}, {m.get('nproc')} cores; fastest of {result['params']['repeat']} runs, "
                 f"highest peak; load average (1 min) during the runs {min(loads, default=0):.2f}-{max(loads, default=0):.2f}")
    lines.extend(notes)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tests.bench.convokit_compare``: the side-by-side (see the module doc)."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench.convokit_compare", description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(n) for n in DEFAULT_SIZES), help="comma-separated corpus sizes")
    parser.add_argument("--convokit-python", default=DEFAULT_CONVOKIT_PYTHON, help="interpreter of the ConvoKit venv")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    parser.add_argument("--report", type=Path, default=None,
                        help="print the table of a JSON file written by --json, and run nothing")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--cache-dir", type=Path, default=None, help="corpus cache (default: tests.bench.throughput's)")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--side", choices=("analyzer", "convokit"), default=None, help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.report is not None:
        print(format_report(json.loads(args.report.read_text(encoding="utf-8")), markdown=args.markdown))
        return 0
    if args.side is not None:  # child mode: one JSON line for the parent
        if args.path is None:
            parser.error("--side needs the corpus path")
        print(json.dumps(_child(args.side, args.path)))
        return 0
    if not Path(args.convokit_python).exists():
        print(f"error: {args.convokit_python} not found; create the ConvoKit environment first (see "
              "python -m tests.bench.convokit_compare --help and the module docstring)", file=sys.stderr)
        return 2
    try:
        sizes = [int(float(s)) for s in args.sizes.replace("_", "").split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be numbers, got {args.sizes!r}")
    if args.repeat < 1 or not sizes or min(sizes) < 1:
        parser.error("--repeat and --sizes must be positive")
    from tests.bench.throughput import default_cache_dir

    result = run_side_by_side(
        sizes=sizes, convokit_python=args.convokit_python, repeat=args.repeat, seed=args.seed,
        cache_dir=None if args.no_cache else (args.cache_dir or default_cache_dir()),
        progress=lambda msg: print(msg, file=sys.stderr, flush=True),
    )
    print(format_report(result, markdown=args.markdown))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    failed = any("seconds" not in e[side] for e in result["sizes"].values() for side in ("analyzer", "convokit"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
