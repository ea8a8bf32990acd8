"""``analyzer labels train | eval | status``: build, measure and inspect the comment label model.

Examples::

    analyzer labels train --omp ../shared/data/omp_derstandard/omp_posts_dev.csv   # or corpus.sqlite3
    analyzer labels eval --omp ../shared/data/omp_derstandard/omp_posts_dev.csv --json scores.json
    analyzer labels status

``train`` writes the model to the default place (``$ANALYZER_DATA_DIR/labels/omp-labels.npz``,
else ``~/.local/share/analyzer/labels/``) where ``analyse`` finds it, with the held-out
figures of an article-grouped cross-validation in its card (``--no-eval`` skips them; the
labels are then all marked "not evaluated", so not findings).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``labels`` command to the main parser's subparsers."""
    labels = subparsers.add_parser("labels", help="train, evaluate and inspect the comment sentiment/label model")
    sub = labels.add_subparsers(dest="labels_command", required=True)

    def data(p: argparse.ArgumentParser) -> None:
        p.add_argument("--omp", type=Path, required=True, metavar="FILE",
                       help="One Million Posts labelled posts: our CSV layout or the public corpus.sqlite3")
        p.add_argument("--folds", type=int, default=10, metavar="N", help="article-grouped folds (default 10)")
        p.add_argument("--C", dest="c", type=float, default=None, help="inverse regularisation strength (default 1.0)")

    train = sub.add_parser("train", help="fit the model; writes MODEL.npz and MODEL.npz.card.json")
    data(train)
    train.add_argument("--out", "-o", type=Path, metavar="MODEL", help="model file (default: where analyse looks)")
    train.add_argument("--no-eval", action="store_true", help="skip the cross-validation (labels then count as unreliable)")
    ev = sub.add_parser("eval", help="per-label P/R/F1, macro-F1 and accuracy by article folds, with baselines")
    data(ev)
    ev.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")
    status = sub.add_parser("status", help="is there a model, what was it trained on, which labels are reliable")
    status.add_argument("--model", type=Path, metavar="MODEL", help="model file (default: where analyse looks)")
    labels.set_defaults(handler=handle)
    return labels  # type: ignore[no-any-return]


def handle(args: argparse.Namespace) -> int:
    """Run ``analyzer labels …``; returns the exit code (errors raise AnalyzerError)."""
    from analyzer.stages.labels import model as label_model

    if args.labels_command == "status":
        path = args.model or label_model.default_model_file() or label_model.default_model_path()
        if not path.is_file():
            print(f"model absent: {path}\nbuild it with: analyzer labels train --omp FILE "
                  "(One Million Posts CSV or corpus.sqlite3; see docs/sentiment-and-labels.md)")
            return EXIT_OK
        model = label_model.load(path)
        card = model.card
        print(f"model {model.name} at {path}\ntrained on {card.get('n_comments')} comments "
              f"of {card.get('n_articles')} articles (data sha256 {str(card.get('data_sha256'))[:12]})")
        figures = (card.get("evaluation") or {}).get("labels") or {}
        for stem in model.labels:
            entry = figures.get(stem)
            verdict = "not evaluated" if entry is None else (
                f"F1 {entry['f1']:.3f}, macro-F1 {entry['macro_f1']:.3f} vs {entry['constant_macro_f1']:.3f} "
                f"constant: {'reliable' if entry['reliable'] else 'NOT a finding'}")
            print(f"  {stem:<20} {verdict}")
        print(card.get("licence", ""))
        return EXIT_OK

    from analyzer.stages.labels import evaluate
    from analyzer.stages.labels.train import fit_model, read_labelled

    c = args.c if args.c is not None else label_model.DEFAULT_C
    items = read_labelled(args.omp)
    evaluation = None
    if args.labels_command == "eval" or not args.no_eval:
        evaluation = evaluate.cross_validate(
            items, n_folds=args.folds, c=c, progress=lambda msg: print(msg, file=sys.stderr, flush=True))
        print(evaluate.format_table(evaluation))
    if args.labels_command == "eval":
        if args.json and evaluation is not None:
            args.json.write_text(json.dumps(evaluation.as_dict(), indent=2) + "\n", encoding="utf-8")
        return EXIT_OK
    model = fit_model(items, c=c)
    if evaluation is not None:
        model.card["evaluation"] = evaluation.as_dict()
    out = label_model.save(model, args.out or label_model.default_model_path())
    print(f"wrote {out} ({len(model.labels)} labels) and {label_model.card_path(out).name}")
    return EXIT_OK
