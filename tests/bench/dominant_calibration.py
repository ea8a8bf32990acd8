"""Calibrate the dominant-frame thresholds by bootstrap stability on real reader threads.

Run ``python -m tests.bench.dominant_calibration RUN_FOLDER`` on a run of the One Million
Posts dev posts made with ``--stages framing`` (README "Using it" for the ``--map``).

Question: when may we say "readers' dominant frame is X"?  A claim is worth printing when it
would come out the same for a slightly different set of comments.  For each thread with at
least one framed comment sentence, the thread's visible comments are resampled with
replacement (``--boot`` times); Dom(C) is recomputed on each resample with
:func:`analyzer.stages.framing.compare.dominant_frames` and a setting of (min_count, min_gap,
min_ratio); a thread's *stability* is the share of resamples whose Dom equals the full
sample's.  Threads are split by a hash of the article id into a calibration half and a
held-out half.  On the calibration half the script picks the most permissive setting (most
threads with a dominant set) whose claims have mean stability >= ``--target`` (0.8); it then
reports that setting, and the packaged constants, on the held-out half.  The old rule (mass
of the smoothed profile, ties included) is reported beside it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import sys
import zlib
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core import schemas
from analyzer.stages.framing import compare

GRID_MIN_COUNT = (1, 2, 3, 4, 6)
GRID_MIN_GAP = (1, 2, 3, 4)
GRID_MIN_RATIO = (1.0, 1.5, 2.0, 3.0)
GRID_MASS = (0.0, 0.5)


def thread_comments(folder: Path) -> dict[str, list[dict[str, int]]]:
    """Per thread: one {frame: framed sentences} dict per visible comment (empty dicts included)."""
    frames = pl.read_parquet(folder / "frames.parquet").filter(pl.col("doc_id") != schemas.ARTICLE_DOC_ID)
    own = pl.read_parquet(folder / "own_texts.parquet").select("article_id", doc_id=pl.col("comment_id"))
    per = frames.group_by("article_id", "doc_id", "frame").agg(n=pl.len())
    out: dict[str, list[dict[str, int]]] = {}
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for article_id, doc_id, frame, n in per.iter_rows():
        counts.setdefault((article_id, doc_id), {})[frame] = n
    for article_id, doc_id in own.iter_rows():
        out.setdefault(article_id, []).append(counts.get((article_id, doc_id), {}))
    return out


def old_rule(counts: dict[str, int], frames: list[str]) -> frozenset[str]:
    """The rule before issue 13: top frames of the smoothed profile reaching mass 0.5, ties included."""
    if sum(counts.values()) == 0:
        return frozenset()
    profile = compare.smoothed_profile(counts, frames)
    ranked = sorted(profile.items(), key=lambda kv: -kv[1])
    chosen, mass, floor = [], 0.0, math.inf
    for frame, p in ranked:
        if mass >= 0.5 - 1e-12 and p < floor - 1e-9:
            break
        chosen.append(frame)
        mass += p
        floor = p
    return frozenset(chosen)


def pooled(comments: list[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for c in comments:
        for f, n in c.items():
            total[f] = total.get(f, 0) + n
    return total


def evaluate(threads: dict[str, list[dict[str, int]]], rule: Any, boot: int, seed: int) -> dict[str, float]:
    """Share of threads with a dominant set, and the mean bootstrap stability of those sets."""
    rng = random.Random(seed)
    claims, stabilities = 0, []
    for article_id in sorted(threads):
        comments = threads[article_id]
        full = rule(pooled(comments))
        if not full:
            continue
        claims += 1
        same = 0
        for _ in range(boot):
            sample = [comments[rng.randrange(len(comments))] for _ in comments]
            same += rule(pooled(sample)) == full
        stabilities.append(same / boot)
    n = len(threads)
    return {"threads": n, "with_dominant": claims, "share_with_dominant": claims / n if n else 0.0,
            "mean_stability": sum(stabilities) / len(stabilities) if stabilities else float("nan"),
            "share_stable_0.8": sum(s >= 0.8 for s in stabilities) / len(stabilities) if stabilities else float("nan")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run", type=Path)
    parser.add_argument("--boot", type=int, default=100)
    parser.add_argument("--target", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--swap", action="store_true", help="calibrate on the other half (the second fold)")
    parser.add_argument("--min-comments", type=int, default=5,
                        help="threads with fewer visible comments are left out: resampling 1-3 comments says nothing")
    args = parser.parse_args(argv)
    if not (args.run / "frames.parquet").is_file():
        print(f"{args.run}: no frames.parquet (run analyse --stages framing first)", file=sys.stderr)
        return 2
    all_threads = thread_comments(args.run)
    framed = {a: c for a, c in all_threads.items() if any(c) and len(c) >= args.min_comments}
    halves: dict[str, dict[str, list[dict[str, int]]]] = {"calibration": {}, "held_out": {}}
    for article_id, comments in framed.items():
        odd = bool(zlib.crc32(article_id.encode()) % 2) != args.swap
        halves["held_out" if odd else "calibration"][article_id] = comments
    from analyzer.stages.framing.inventory import load_packaged

    names = list(load_packaged("de").frame_names)
    grid = []
    for mc, gap, ratio, mass in itertools.product(GRID_MIN_COUNT, GRID_MIN_GAP, GRID_MIN_RATIO, GRID_MASS):
        def rule(c: dict[str, int], mc: int = mc, gap: int = gap, ratio: float = ratio, mass: float = mass) -> frozenset[str]:
            return compare.dominant_frames(c, min_count=mc, min_gap=gap, min_ratio=ratio, mass=mass)
        grid.append(((mc, gap, ratio, mass), evaluate(halves["calibration"], rule, args.boot, args.seed)))
    passing = [(s, r) for s, r in grid if r["mean_stability"] >= args.target]
    chosen = max(passing, key=lambda sr: (sr[1]["with_dominant"], -sr[0][0], -sr[0][1], -sr[0][2], sr[0][3]))[0] \
        if passing else None
    packaged = (compare.DOMINANT_MIN_COUNT, compare.DOMINANT_MIN_GAP, compare.DOMINANT_MIN_RATIO, compare.DOMINANT_MASS)

    def held(setting: tuple[int, int, float, float]) -> dict[str, float]:
        mc, gap, ratio, mass = setting
        return evaluate(halves["held_out"], lambda c: compare.dominant_frames(c, min_count=mc, min_gap=gap, min_ratio=ratio,
                                                                               mass=mass), args.boot, args.seed + 1)

    report = {
        "threads": len(all_threads), "threads_with_framed_comments": len(framed),
        "calibration_threads": len(halves["calibration"]), "held_out_threads": len(halves["held_out"]),
        "grid_on_calibration": [{"min_count": s[0], "min_gap": s[1], "min_ratio": s[2], "mass": s[3], **r} for s, r in grid],
        "chosen_on_calibration": chosen,
        "held_out_chosen": held(chosen) if chosen else None,
        "packaged": packaged,
        "held_out_packaged": held(packaged),
        "held_out_old_rule": evaluate(halves["held_out"], lambda c: old_rule(c, names), args.boot, args.seed + 1),
        "held_out_old_rule_every_frame": sum(1 for c in halves["held_out"].values()
                                             if len(old_rule(pooled(c), names)) == len(names)),
    }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
