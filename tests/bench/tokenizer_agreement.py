"""Agreement of the regex tokenizer with SoMaJo, and the CPU cost of both.

``python -m tests.bench.tokenizer_agreement [--set heldout|tune] [--limit N] [--show K]``

Sets (lines of text, split on line breaks as the nlp stage splits documents):

* ``tune``: the shared captures' page text (``captures/*/captures/chromium.txt``; German
  pages with SoMaJo's ``de_CMC``, English pages with ``en_PTB``).  The rules of
  :mod:`analyzer.stages.nlp.regex_tokenizer` were developed against these only.
* ``heldout``: the One Million Posts dev comments (German, what the stage sees: headline and
  body of visible comments) and the RumourEval 2017 tweets (English).  Never looked at
  while writing the rules; their figures are the ones to report.

Per language: token F1 on exact character spans, the share of matched tokens with the same
token class, exact sentence F1 (a sentence counts when both its start and end offsets
agree), the share of lines whose sentences agree exactly, and CPU µs per token of each
tokenizer (``time.process_time``).  ``--show K`` prints K disagreeing lines.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def tune_lines() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"de": [], "en": []}
    for folder in sorted((DATA / "captures").glob("*/captures")):
        lang = "en" if folder.parent.name.endswith("_en") else "de" if folder.parent.name.endswith("_de") else None
        page = folder / "chromium.txt"
        if lang and page.is_file():
            out[lang].extend(line for line in page.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def heldout_lines(limit: int | None) -> dict[str, list[str]]:
    from tests.bench.nlp_profile import OMP_CSV, omp_texts

    de = [line for text in omp_texts(OMP_CSV, limit) for line in text.splitlines() if line.strip()]
    en: list[str] = []
    with (DATA / "rumoureval2017" / "rumoureval2017_traindev.jsonl").open(encoding="utf-8") as fh:
        for row in fh:
            for node in json.loads(row)["nodes"]:
                en.extend(line for line in str(node.get("text") or "").splitlines() if line.strip())
    return {"de": de, "en": en[:limit] if limit else en}


def compare(lang: str, lines: Sequence[str], show: int) -> dict[str, float]:
    from analyzer.stages.nlp.offline import somajo_tokenizer
    from analyzer.stages.nlp.regex_tokenizer import RegexTokenizer

    somajo, fast = somajo_tokenizer(lang), RegexTokenizer(lang)
    somajo.sentences("Warm up."), fast.sentences("Warm up.")
    start = time.process_time()
    ref = [somajo.sentences(line) for line in lines]
    t_ref = time.process_time() - start
    start = time.process_time()
    got = fast.sentences_many(list(lines))  # the whole column at once, as the stage calls it
    t_got = time.process_time() - start
    tp = n_ref = n_got = same_class = 0
    s_tp = s_ref = s_got = lines_same = 0
    shown = 0
    for line, a, b in zip(lines, ref, got, strict=True):
        ra = {(t.start, t.end): t.token_class for s in a for t in s}
        rb = {(t.start, t.end): t.token_class for s in b for t in s}
        common = ra.keys() & rb.keys()
        tp += len(common)
        n_ref += len(ra)
        n_got += len(rb)
        same_class += sum(1 for k in common if ra[k] == rb[k])
        sa = {(s[0].start, s[-1].end) for s in a}
        sb = {(s[0].start, s[-1].end) for s in b}
        s_tp += len(sa & sb)
        s_ref += len(sa)
        s_got += len(sb)
        lines_same += sa == sb
        if show and shown < show and (ra.keys() != rb.keys() or sa != sb):
            shown += 1
            print("LINE  ", line[:300])
            print("  somajo", [line[s:e] for s, e in sorted(ra.keys() - rb.keys())], "| regex", [line[s:e] for s, e in sorted(rb.keys() - ra.keys())],
                  "| sentences equal" if sa == sb else f"| sentence ends somajo {sorted(e for _, e in sa - sb)} regex {sorted(e for _, e in sb - sa)}")
    f1 = 2 * tp / (n_ref + n_got) if n_ref + n_got else 1.0
    s_f1 = 2 * s_tp / (s_ref + s_got) if s_ref + s_got else 1.0
    return {
        "lines": len(lines), "tokens_somajo": n_ref, "token_f1": round(f1, 4),
        "class_agreement": round(same_class / tp, 4) if tp else 1.0,
        "sentences_somajo": s_ref, "sentence_f1": round(s_f1, 4), "lines_same_sentences": round(lines_same / len(lines), 4) if lines else 1.0,
        "somajo_us_per_token": round(1e6 * t_ref / max(n_ref, 1), 1), "regex_us_per_token": round(1e6 * t_got / max(n_ref, 1), 1),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.tokenizer_agreement", description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=("heldout", "tune"), default="heldout")
    parser.add_argument("--limit", type=int, default=None, help="comments (OMP) and tweets (RumourEval) at most")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--lang", choices=("de", "en"), default=None)
    args = parser.parse_args(argv)
    sets = tune_lines() if args.set == "tune" else heldout_lines(args.limit)
    for lang, lines in sets.items():
        if args.lang and lang != args.lang:
            continue
        print(lang, args.set, json.dumps(compare(lang, lines, args.show)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
