"""Does a further label file help the German stance model?  Same folds, same scored items.

Run: ``python -m tests.bench.stance_more_labels --omp ../shared/data/omp_derstandard/omp_posts_dev.csv
--extra fixtures/de_stance_gold_omp/labels_single.csv``.

Two leave-one-article-out runs of the shipped recipe (hashed n-grams, C and block weight of
:mod:`analyzer.stages.stance.german`): (A) the project's default label files without ``--extra``;
(B) with it.  Both are scored on the *same* items, the default files' replies, so that the
comparison is not confounded by what is scored; (B) is also scored on every item it has.  An
extra item's article is held out with the rest of its article, so no fold trains on the article
it scores.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from analyzer.stages.stance import german
from analyzer.stages.stance.evaluate import scores
from analyzer.stages.stance.omp import load_omp_gold
from analyzer.stages.stance.training import cross_validated_logits


def out_of_fold(omp: Path, files: tuple[Path, ...]) -> dict[str, tuple[str, str]]:
    """comment id -> (gold label, out-of-fold prediction) under leave-one-article-out."""
    gold, _ = load_omp_gold(omp, files)
    keep = [i for i, v in enumerate(gold.labels["parent"]) if v is not None]
    labels = [str(gold.labels["parent"][i]) for i in keep]
    groups = [gold.groups["article"][i] for i in keep]
    classes, logits, _ = cross_validated_logits([gold.samples[i] for i in keep], labels, groups, c=german.C,
                                                cue_weight=german.CUE_WEIGHT, hashed=True)
    predicted = [classes[int(k)] for k in logits.argmax(axis=1)]
    ids = [gold.inputs[i].comment_id for i in keep]
    return {cid: (g, p) for cid, g, p in zip(ids, labels, predicted, strict=True)}


def line(name: str, pairs: list[tuple[str, str]]) -> str:
    """One Markdown row: macro-F1, per-class F1 and accuracy of (gold, predicted) pairs."""
    r = scores([g for g, _ in pairs], [p for _, p in pairs])
    per = r["per_class"]
    cells = " | ".join(f"{per[c]['f1']:.3f}" for c in ("support", "deny", "query", "comment"))
    return f"| {name} | {len(pairs)} | {r['macro_f1']:.3f} | {cells} | {r['accuracy']:.3f} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--omp", type=Path, required=True, help="the One Million Posts CSV export or corpus.sqlite3")
    parser.add_argument("--extra", type=Path, required=True, help="a further labels CSV (article_id, comment_id, stance_parent)")
    args = parser.parse_args(argv)
    # The extra file may be one of the defaults already (round 2 is): then (A) is without it.
    base_files = tuple(p for p in german.default_label_files() if p.resolve() != args.extra.resolve())
    a = out_of_fold(args.omp, base_files)
    b = out_of_fold(args.omp, (*base_files, args.extra))
    common = [cid for cid in a if cid in b]
    print("| training labels | scored | macro-F1 | support | deny | query | comment | accuracy |")
    print("|---|---|---|---|---|---|---|---|")
    print(line("default files (A)", [a[c] for c in common]))
    print(line("default + extra (B), same items", [b[c] for c in common]))
    print(line("default + extra (B), every item", list(b.values())))
    extra_only = [b[c] for c in b if c not in a]
    if extra_only:
        print(line("default + extra (B), extra items only", extra_only))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
