"""CPU per component of the default offline path (regex tokenizer, HanTa over the form table).

``python -m tests.bench.nlp_profile_fast [--limit N] [--cold]``

The German lines of the One Million Posts dev comments (as the nlp stage cuts them), each
component run over all of them in one process, in the order the direct runner calls them:
language id per comment and per line (as the stage asks), the regex tokenizer over the whole column, the machine's stored
HanTa analyses of the distinct forms (one query per 500 forms), HanTa's Viterbi and
lemmas (all sentences in one call, as the runner makes it), simplemma for lemma gaps, the polarity lexicon; then the whole direct runner and
the stage's frame building (:func:`analyzer.stages.nlp.annotate.annotate`) for comparison.
``--cold`` points the per-machine form table at an empty folder (a machine's first run:
every distinct form is analysed by HanTa).  CPU seconds (``time.process_time``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.nlp_profile_fast", description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--cold", action="store_true", help="an empty per-machine HanTa form table")
    args = parser.parse_args(argv)
    if args.cold:
        # A cache folder whose HanTa table is empty; the unpacked langid model and the
        # simplemma index are linked in from the usual folder, so only HanTa starts cold.
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "analyzer"
        cold = Path(tempfile.mkdtemp(prefix="hanta-cold-"))
        (cold / "analyzer").mkdir()
        for name in ("py3langid", "simplemma"):
            if (base / name).exists():
                (cold / "analyzer" / name).symlink_to(base / name)
        os.environ["XDG_CACHE_HOME"] = str(cold)
    from analyzer.stages.nlp.annotate import DocInput, annotate
    from analyzer.stages.nlp.fast import offline_runner
    from analyzer.stages.nlp.langid import document_languages, tag_lines_many
    from analyzer.stages.nlp.lexicon import load_lexicon
    from analyzer.stages.nlp.offline import HantaTagger, fallback_lemma
    from analyzer.stages.nlp.regex_tokenizer import RegexTokenizer
    from tests.bench.nlp_profile import OMP_CSV, omp_texts

    texts = omp_texts(OMP_CSV, args.limit)
    clock = time.process_time
    rows: list[tuple[str, float]] = []
    t = clock()
    tokenizer, tagger, lexicon = RegexTokenizer("de"), HantaTagger("de"), load_lexicon("de")
    rows.append(("load (tokenizer, HanTa model, lexicon)", clock() - t))
    t = clock()
    # As the stage asks: each comment's language first (the article's default), then its
    # lines, where a one-line comment reuses its comment's answer (``own``).
    languages = document_languages(texts, ["de"] * len(texts))
    tagged_lines = tag_lines_many(texts, languages, own=[True] * len(texts))
    lines = [text[x.start : x.end] for text, own in zip(texts, tagged_lines, strict=True) for x in own if x.lang == "de"]
    rows.append(("language id (document_languages, then tag_lines_many(own): all at once)", clock() - t))
    t = clock()
    split = tokenizer.sentence_columns_many(lines)
    rows.append(("regex tokenizer + sentences (column, sentence_columns_many)", clock() - t))
    words_of = [s[3] for sents in split for s in sents]
    classes_of = [s[2] for sents in split for s in sents]
    n_tokens = sum(len(w) for w in words_of)
    t = clock()
    tagger.prefetch({w for words in words_of for w in words})
    rows.append(("HanTa form table: read the distinct forms", clock() - t))
    t = clock()
    tagged = tagger.tag_columns_many(list(zip(words_of, classes_of, strict=True)))
    rows.append(("HanTa tags + lemmas (array Viterbi, tag_columns_many: all sentences at once)", clock() - t))
    t = clock()
    tagger.flush()
    rows.append(("HanTa form table: store new forms", clock() - t))
    t = clock()
    for words, (lemmas, _) in zip(words_of, tagged, strict=True):
        for w, lemma in zip(words, lemmas, strict=True):
            if not lemma:
                fallback_lemma(w, "de")
    rows.append(("lemma gaps (simplemma)", clock() - t))
    t = clock()
    for words, (lemmas, _) in zip(words_of, tagged, strict=True):
        lexicon.label(list(zip(words, lemmas, strict=True)))
    rows.append(("polarity", clock() - t))
    t = clock()
    # The stage's documents: each comment with its own language (found above, as the stage
    # finds it before annotating; not counted in this row).
    annotation = annotate([DocInput("a", str(i), text, lang, lang_is_own=True) for i, (text, lang) in enumerate(zip(texts, languages, strict=True))],
                          {"de": offline_runner("de", tokenizer="regex"), "en": offline_runner("en", tokenizer="regex")})
    rows.append(("whole: annotate() with the direct runner (line language ids, all of the above, frames)", clock() - t))
    print(f"comments {len(texts)}, German lines {len(lines)}, tokens {n_tokens}, distinct forms "
          f"{len({w for words in words_of for w in words})}, frame tokens {annotation.tokens.height}; "
          f"form table {'cold' if args.cold else 'as on this machine'}")
    print("| component | CPU s | µs per token |")
    print("|---|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {1e6 * seconds / max(n_tokens, 1):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
