"""Language id per text (py3langid's byte loop) against all texts at once, on the OMP dev CSV.

``python -m tests.bench.langid_columns [--limit N]``

The nlp stage asks for the language of every comment (``document_languages``) and of every
line (``tag_lines_many``).  This times both ways over the same texts in one process, CPU
seconds (``time.process_time``), and checks that every answer is the same.  The per-text
way's recent-answers cache is emptied before each timing.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.langid_columns", description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    from analyzer.stages.nlp import langid
    from tests.bench.nlp_profile import OMP_CSV, omp_texts

    texts = omp_texts(OMP_CSV, args.limit)
    defaults = ["de"] * len(texts)
    langid._scorer()  # models loaded before timing
    clock = time.process_time
    rows = []
    for name, one, many in (
        ("documents", lambda: [langid.detect(t, default="de") for t in texts], lambda: langid.detect_many(texts, defaults)),
        ("lines", lambda: [langid.tag_lines(t, default="de") for t in texts], lambda: langid.tag_lines_many(texts, defaults)),
    ):
        langid._best_of.cache_clear()
        t = clock()
        expected = one()
        per_text = clock() - t
        t = clock()
        got = many()
        at_once = clock() - t
        rows.append((name, per_text, at_once, got == expected))
    n_lines = sum(len(x) for x in langid.tag_lines_many(texts, defaults))
    print(f"{len(texts)} comments, {n_lines} lines")
    print("| texts | per text (py3langid) CPU s | all at once CPU s | same answers |\n|---|---|---|---|")
    for name, a, b, same in rows:
        print(f"| {name} | {a:.2f} | {b:.2f} | {'yes' if same else 'NO'} |")
    return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
