"""Merge two annotation passes of OMP replies into the adjudicated gold file; report agreement.

Run: ``python -m tests.bench.omp_stance_labels --passes /work/labels [--adjudication FILE]
[--show-disagreements N] [--write]``.

Inputs: ``sample.jsonl`` (items n, article_id, comment_id, parent_id, ...) and the batch CSVs
of ``passA/`` and ``passB/`` (n, comment_id, stance_parent, confidence); an adjudication CSV
(comment_id, stance_parent) with the decision for each disagreement.  Output
(``--write``): ``fixtures/de_stance_gold_omp/labels.csv`` with ids and labels only:
source, article_id, comment_id, parent_id, label_a, label_b, confidence_a, confidence_b,
stance_parent, adjudicated.  Agreement figures are printed as Markdown.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

from analyzer.core.schemas import STANCE_LABELS

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "fixtures" / "de_stance_gold_omp" / "labels.csv"
COLUMNS = ["source", "article_id", "comment_id", "parent_id", "label_a", "label_b", "confidence_a", "confidence_b",
           "stance_parent", "adjudicated"]


def read_pass(folder: Path) -> dict[str, dict[str, str]]:
    """comment_id -> row of one pass (later batches win if an item repeats)."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("batch_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                out[row["comment_id"]] = row
    return out


def kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa of two label sequences."""
    n = len(a)
    if not n:
        return float("nan")
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def agreement_table(a: list[str], b: list[str]) -> str:
    """Overall and per-class agreement (one-vs-rest kappa, specific agreement) as Markdown."""
    n = len(a)
    lines = [f"items labelled by both passes: {n}",
             f"raw agreement {sum(x == y for x, y in zip(a, b, strict=True)) / n:.3f}, Cohen's kappa {kappa(a, b):.3f}", "",
             "| class | pass A | pass B | both | specific agreement | kappa (class vs rest) |", "|---|---|---|---|---|---|"]
    for label in STANCE_LABELS:
        na = sum(x == label for x in a)
        nb = sum(y == label for y in b)
        both = sum(x == label and y == label for x, y in zip(a, b, strict=True))
        specific = 2 * both / (na + nb) if na + nb else float("nan")
        k = kappa([str(x == label) for x in a], [str(y == label) for y in b])
        lines.append(f"| {label} | {na} | {nb} | {both} | {specific:.3f} | {k:.3f} |")
    lines += ["", "confusion (rows pass A, columns pass B):", "",
              "| A \\ B | " + " | ".join(STANCE_LABELS) + " |", "|---" * (len(STANCE_LABELS) + 1) + "|"]
    for x in STANCE_LABELS:
        lines.append(f"| {x} | " + " | ".join(str(sum(p == x and q == y for p, q in zip(a, b, strict=True)))
                                              for y in STANCE_LABELS) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=Path, default=Path("/work/labels"))
    parser.add_argument("--adjudication", type=Path, help="CSV comment_id, stance_parent for the disagreements")
    parser.add_argument("--show-disagreements", type=int, default=0, metavar="N",
                        help="print N undecided disagreements with parent and reply (for adjudication; never written)")
    parser.add_argument("--write", action="store_true", help="write the labels file (--out)")
    parser.add_argument("--out", type=Path, default=OUT,
                        help=f"the labels file to write (default {OUT.relative_to(ROOT)}; a second round of "
                             "labelling writes its own file beside it)")
    args = parser.parse_args()
    items = [json.loads(line) for line in (args.passes / "sample.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    pass_a, pass_b = read_pass(args.passes / "passA"), read_pass(args.passes / "passB")
    decided: dict[str, str] = {}
    if args.adjudication and args.adjudication.is_file():
        with args.adjudication.open(encoding="utf-8", newline="") as handle:
            decided = {r["comment_id"]: r["stance_parent"].strip() for r in csv.DictReader(handle)}
    rows = []
    shown = 0
    for item in items:
        cid = item["comment_id"]
        a, b = pass_a.get(cid), pass_b.get(cid)
        la, lb = (a or {}).get("stance_parent", ""), (b or {}).get("stance_parent", "")
        final, adjudicated = "", ""
        if la and lb:
            if la == lb:
                final, adjudicated = la, "no"
            elif cid in decided:
                final, adjudicated = decided[cid], "yes"
            elif shown < args.show_disagreements:
                shown += 1
                print(f"\n=== n={item['n']} cid={cid} A={la}/{a['confidence']} B={lb}/{b['confidence']}")  # type: ignore[index]
                print("PARENT:", item["parent_text"][:700].replace("\n", " / "))
                print("REPLY: ", item["reply_text"][:700].replace("\n", " / "))
        rows.append({"source": "omp", "article_id": item["article_id"], "comment_id": cid, "parent_id": item["parent_id"],
                     "label_a": la, "label_b": lb, "confidence_a": (a or {}).get("confidence", ""),
                     "confidence_b": (b or {}).get("confidence", ""), "stance_parent": final, "adjudicated": adjudicated})
    both = [r for r in rows if r["label_a"] and r["label_b"]]
    print(agreement_table([r["label_a"] for r in both], [r["label_b"] for r in both]))
    finals = Counter(r["stance_parent"] for r in rows if r["stance_parent"])
    print(f"\nfinal labels: {dict(finals)}; adjudicated {sum(r['adjudicated'] == 'yes' for r in rows)}; "
          f"undecided disagreements {sum(bool(r['label_a'] and r['label_b'] and not r['stance_parent']) for r in rows)}; "
          f"articles {len({r['article_id'] for r in rows})}")
    if args.write:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
