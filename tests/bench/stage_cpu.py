"""CPU seconds per pipeline step on the OMP dev CSV: ``python -m tests.bench.stage_cpu [WORKERS]``.

Runs :func:`analyzer.analyse` with all stages in this process and charges each step the CPU
of this process and of its reaped children (the nlp stage's pool workers) between two
progress messages.  CPU, not wall time: the development machine is shared.  ``WORKERS`` sets
``nlp_workers`` (default: one per core when the text is worth a pool).
"""

from __future__ import annotations

import resource
import sys


def cpu_seconds() -> float:
    """User + system CPU of this process and its reaped children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    from analyzer.ingest import ReadOptions
    from analyzer.pipeline import analyse
    from tests.bench.nlp_profile import OMP_CSV, OMP_MAP

    mapping = dict(item.split("=", 1) for item in OMP_MAP.split(","))
    marks: dict[str, float] = {}
    settings = {"nlp_workers": int(sys.argv[1])} if len(sys.argv) > 1 else {}
    start = cpu_seconds()
    analysis = analyse([str(OMP_CSV)], options=ReadOptions(mapping=mapping), stage_settings=settings,
                       progress=lambda step: marks.setdefault(step, cpu_seconds()))
    marks["end"] = cpu_seconds()
    names = list(marks)
    per_step = {name: round(marks[names[i + 1]] - marks[name], 2) for i, name in enumerate(names[:-1])}
    info = analysis.manifest["stage_info"]["nlp"]
    print(per_step, "total", round(marks["end"] - start, 2))
    print("tokens", info["n_tokens"], info["engine"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
