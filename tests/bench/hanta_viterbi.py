"""HanTa's Viterbi alone: the Python one per sentence against the array one over all sentences.

``python -m tests.bench.hanta_viterbi [--repeat N] [--lang de|en]``

The distinct sentences that reach HanTa's Viterbi as the direct runner makes them (regex
tokenizer; German: the One Million Posts dev lines identified as German; English: the
RumourEval 2017 tweets), each form's analyses read first (as a run's prefetch does).  Then,
alternating ``--repeat`` times in this process: :meth:`FastSentenceTagger._viterbi` per
sentence and :meth:`FastSentenceTagger.tags_many` over all, CPU seconds of each; the first
array round includes building the dense table and the form rows.  Fails unless both give
the same tags for every sentence.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tests.bench.nlp_profile import OMP_CSV, omp_texts
from tests.conftest import SHARED

if TYPE_CHECKING:
    from analyzer.stages.nlp.offline import HantaTagger

TWEETS = SHARED / "data" / "rumoureval2017" / "rumoureval2017_traindev.jsonl"


def hanta_sentences(lang: str, tagger: HantaTagger) -> list[list[str]]:
    """The word lists the runner hands HanTa's Viterbi, distinct, in first-seen order."""
    from analyzer.stages.nlp.langid import tag_lines_many
    from analyzer.stages.nlp.regex_tokenizer import RegexTokenizer

    if lang == "de":
        texts = omp_texts(OMP_CSV)
        tagged = tag_lines_many(texts, ["de"] * len(texts))
        lines = [t[x.start : x.end] for t, own in zip(texts, tagged, strict=True) for x in own if x.lang == "de"]
    else:
        lines = [node["text"] for row in TWEETS.open() for node in json.loads(row)["nodes"] if node.get("text")]
    seen: dict[tuple[str, ...], None] = {}
    for sentences in RegexTokenizer(lang).sentence_columns_many(lines):
        for _, _, classes, words in sentences:
            keep = tuple(w for w, c in zip(words, classes, strict=True) if tagger._fixed_answer(w, c) is None)
            if keep:
                seen[keep] = None
    return [list(s) for s in seen]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.hanta_viterbi", description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", choices=["de", "en"], action="append")
    args = parser.parse_args(argv)
    from analyzer.stages.nlp.offline import HantaTagger

    failed = False
    for lang in args.lang or ["de", "en"]:
        tagger = HantaTagger(lang)
        sents = hanta_sentences(lang, tagger)
        fast = tagger._fast
        tagger.prefetch({w for s in sents for w in s})
        for s in sents:  # decode the stored analyses: both Viterbis then start alike
            for i, w in enumerate(s):
                tagger.forms.word(w, i != 0)
        clock = time.process_time
        for i in range(args.repeat):
            t = clock()
            python = [fast._viterbi(s) for s in sents]
            t_python = clock() - t
            t = clock()
            array = fast.tags_many(sents)
            t_array = clock() - t
            differ = sum(a != b for a, b in zip(python, array, strict=True))
            failed |= differ > 0
            print(f"{lang} round {i + 1}: {len(sents)} sentences, {sum(map(len, sents))} tokens; "
                  f"Python Viterbi {t_python:.2f} CPU s, array Viterbi {t_array:.2f} CPU s; {differ} differ", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
