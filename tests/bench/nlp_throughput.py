"""Tokens per CPU second of the offline annotation: ``python -m tests.bench.nlp_throughput``.

``--runner direct`` (the stage's default) or ``--runner stanza`` (the same components through
stanza's ``Pipeline``), on the One Million Posts dev comments (``--limit N``: the first N),
in this fresh process (components and caches start cold, as in a run), one process.
Reported: tokens, CPU seconds (``time.process_time``, the machine is shared), tokens per CPU
second; a pool of W workers divides the wall time by about W on an idle W-core machine.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.nlp_throughput", description=__doc__.split("\n")[0])
    parser.add_argument("--runner", choices=("direct", "stanza"), default="direct")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    from analyzer.stages.nlp.annotate import DocInput, annotate, stanza_runner
    from analyzer.stages.nlp.fast import offline_runner
    from analyzer.stages.nlp.langid import document_language
    from analyzer.stages.nlp.models import load_pipeline, resolve_models_dir
    from tests.bench.nlp_profile import OMP_CSV, omp_texts

    texts = omp_texts(OMP_CSV, args.limit)
    start = time.process_time()
    if args.runner == "direct":
        runners = {lang: offline_runner(lang) for lang in ("de", "en")}
    else:
        runners = {lang: stanza_runner(load_pipeline(lang, mode="offline", models_dir=resolve_models_dir())) for lang in ("de", "en")}
    docs = [DocInput("a", f"c{i}", t, document_language(t, default="de")) for i, t in enumerate(texts)]
    result = annotate(docs, runners)
    cpu = time.process_time() - start
    n = result.tokens.height
    print(f"runner {args.runner}: {len(texts)} comments, {n} tokens, {cpu:.1f} CPU s, {n / cpu:,.0f} tokens per CPU second")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
