"""``analyzer stance train | eval``: fit and measure stance models on gold labels.

The main CLI registers this with :func:`add_parser` and dispatches ``args.command ==
"stance"`` to :func:`handle`.

Examples::

    analyzer stance eval ../shared/data/rumoureval2017/rumoureval2017_traindev.jsonl --folds event
    analyzer stance train gold.csv --out models/stance.joblib --target both
    analyzer stance eval more_gold.csv --model models/stance.json --target parent --json scores.json
    analyzer stance train --omp corpus.sqlite3          # rebuild the packaged German model, in one command
    analyzer stance eval --omp omp_posts_dev.csv --json de.json   # its leave-one-article-out figures
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from analyzer.core.errors import UsageError

EXIT_OK = 0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``stance`` command (with ``train`` and ``eval``) to the main parser's subparsers."""
    stance = subparsers.add_parser("stance", help="train and evaluate stance models on gold labels")
    sub = stance.add_subparsers(dest="stance_command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("gold", nargs="*", metavar="GOLD",
                       help="inputs with stance_article/stance_parent labels, or RumourEval / DAST JSONL files")
        p.add_argument("--omp", type=Path, metavar="CORPUS",
                       help="German preset: One Million Posts (corpus.sqlite3 of the public download, or a CSV "
                            "export) + the project's OMP labels; parent target, folds by article")
        p.add_argument("--labels", type=Path, metavar="FILE",
                       help="CSV with article_id, comment_id, stance_parent, stance_article (labels kept apart from texts)")
        p.add_argument("--map", action="append", metavar="NAME=COLUMN",
                       help="column mapping for table inputs; stance_article=COL / stance_parent=COL name label columns")
        p.add_argument("--folds", choices=("event", "topic", "article"), default="article",
                       help="groups of the leave-one-group-out cross-validation (default: article)")
        p.add_argument("--C", dest="c", type=float, default=None, help="inverse regularisation strength (default 1.0)")

    train = sub.add_parser("train", help="fit a logistic-regression stance model; writes MODEL and MODEL.card.json")
    common(train)
    train.add_argument("--out", "-o", type=Path, metavar="MODEL",
                       help="model file (JSON); with --omp default ~/.local/share/analyzer/stance/stance-de-omp.json")
    train.add_argument("--target", choices=("article", "parent", "both"), default="both")
    train.add_argument("--no-cv", action="store_true", help="skip the cross-validation scores in the card")

    ev = sub.add_parser("eval", help="per-class P/R/F1, macro-F1, accuracy and the majority baseline")
    common(ev)
    ev.add_argument("--model", type=Path, metavar="MODEL", help="score this model (on threads it was not trained on)")
    ev.add_argument("--target", choices=("article", "parent"), default="article")
    ev.add_argument("--json", type=Path, metavar="OUT", help="also write the results as JSON")
    stance.set_defaults(handler=handle)
    return stance  # type: ignore[no-any-return]


def handle(args: argparse.Namespace) -> int:
    """Run ``analyzer stance …``; returns the exit code (errors raise AnalyzerError)."""
    from analyzer.ingest.mapping import parse_mapping
    from analyzer.stages.stance import trained
    from analyzer.stages.stance.evaluate import markdown_table, per_class_table
    from analyzer.stages.stance.gold import load_gold
    from analyzer.stages.stance.training import evaluate_gold, train_model

    if args.omp is not None:
        return _handle_german(args)
    if not args.gold:
        raise UsageError("give GOLD inputs, or --omp CORPUS for the German preset")
    if args.stance_command == "train" and args.out is None:
        raise UsageError("--out MODEL is required (except with --omp)")
    c = args.c if args.c is not None else trained.DEFAULT_C
    gold = load_gold(args.gold, labels_file=args.labels, mapping=parse_mapping(args.map))
    if args.stance_command == "train":
        wanted: tuple[str, ...] = ("article", "parent") if args.target == "both" else (str(args.target),)
        targets = tuple(t for t in wanted if any(v is not None for v in gold.labels[t])) or wanted
        fitted = train_model(gold, targets=targets, folds=args.folds, c=c, name=args.out.stem, cross_validate=not args.no_cv)
        path = trained.save(fitted, args.out)
        for target, info in fitted.card["targets"].items():
            cv = info.get("cv")
            cv_text = f", leave-one-{args.folds}-out macro-F1 {cv['macro_f1']:.3f}" if cv else ""
            print(f"{target}: {info['n']} comments {info['classes']}{cv_text}")
        print(f"model: {path}\ncard: {trained.card_path(path)}")
        return EXIT_OK
    model = trained.load(args.model) if args.model else None
    result = evaluate_gold(gold, target=args.target, folds=args.folds, model=model, c=c)
    print(f"target: {result['target']}   comments: {result['n']}   classes: {result['classes']}")
    if result.get("excluded_training_comments"):
        print(f"excluded {result['excluded_training_comments']} comments of threads the model was trained on")
    if result.get("note"):
        print(f"note: {result['note']}")
    for name, r in result["results"].items():
        print(f"\n{name}\n{per_class_table(r)}")
    print("\n" + markdown_table(result["results"]))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return EXIT_OK


def _handle_german(args: argparse.Namespace) -> int:
    """``--omp``: train or evaluate the default German model on the project's OMP labels."""
    from analyzer.stages.stance import german, german_training
    from analyzer.stages.stance.evaluate import confusion_table, markdown_table, per_class_table
    from analyzer.stages.stance.omp import load_omp_gold
    from analyzer.stages.stance.training import evaluate_gold

    label_files = (args.labels,) if args.labels else None
    if args.stance_command == "train":
        model, path, cue = german_training.train(args.omp, out=args.out, label_files=label_files, cross_validate=not args.no_cv)
        info = model.card["targets"]["parent"]
        print(f"parent: {info['n']} replies {info['classes']}")
        cv = info.get("cv")
        if cv:
            print(f"leave-one-article-out macro-F1 {cv['macro_f1']:.3f} (cue model {cue['macro_f1']:.3f}, majority "
                  f"baseline {cv['majority_baseline']:.3f}); temperature {info['temperature']}; ECE {cv['ece']:.3f}")
        ok, why = german.usable(model)
        print(f"default for German comments: {'yes' if ok else 'no'} ({why})")
        print(f"model: {path}\ncard: {trained_card(path)}")
        return EXIT_OK
    files = label_files or german.default_label_files()
    gold, _ = load_omp_gold(args.omp, files)
    c = args.c if args.c is not None else german.C
    result = evaluate_gold(gold, target="parent", folds="article", c=c, cue_weight=german.CUE_WEIGHT, hashed=True)
    print(f"target: parent   replies: {result['n']}   articles: {len(set(gold.groups['article']))}   "
          f"classes: {result['classes']}")
    for name, r in result["results"].items():
        print(f"\n{name}\n{per_class_table(r)}\n\n{confusion_table(r['confusion'])}")
        if r.get("reliability"):
            print("\n" + reliability_table(r["reliability"]) + f"\nexpected calibration error {r['ece']:.3f}")
    print("\n" + markdown_table(result["results"]))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return EXIT_OK


def trained_card(path: Path) -> Path:
    from analyzer.stages.stance import trained

    return trained.card_path(path)


def reliability_table(rows: list[dict[str, Any]]) -> str:
    """Markdown reliability table: confidence bin, n, mean confidence, observed accuracy."""
    lines = ["| confidence | n | mean confidence | accuracy |", "|---|---|---|---|"]
    for row in rows:
        mean = "–" if row["mean_confidence"] is None else f"{row['mean_confidence']:.3f}"
        acc = "–" if row["accuracy"] is None else f"{row['accuracy']:.3f}"
        lines.append(f"| {row['bin']} | {row['n']} | {mean} | {acc} |")
    return "\n".join(lines)
