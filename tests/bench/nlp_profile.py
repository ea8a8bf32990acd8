"""Profile of the offline language layer per component and per comment length.

``python -m tests.bench.nlp_profile [--csv PATH] [--limit N]``

Reads the comments of a table (default: the One Million Posts dev CSV in ../shared/data),
runs every offline component on its own over the same lines (language tags, SoMaJo,
HanTa, lemma gap filling, polarity) and then the whole stanza ``Pipeline`` the stage uses,
and prints CPU seconds (``time.process_time``: the machine is shared, wall time measures
the neighbours) per component, tokens/s, and the same split by comment length.  The
difference between the whole pipeline and the sum of the components is stanza's own
per-document object overhead.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

OMP_CSV = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "omp_derstandard" / "omp_posts_dev.csv"
OMP_MAP = "comment_id=ID_Post,parent_id=ID_Parent_Post,article_id=ID_Article,author=ID_User,created_at=CreatedAt,text=Headline+Body,deleted=Status"
BUCKETS = ((0, 100), (100, 300), (300, 700), (700, 10**9))


def omp_texts(path: Path, limit: int | None = None) -> list[str]:
    """Visible comment texts of the table, as the nlp stage sees them."""
    from analyzer.ingest import ReadOptions
    from analyzer.pipeline import analyse

    mapping = dict(item.split("=", 1) for item in OMP_MAP.split(","))
    analysis = analyse([str(path)], stages="structure", options=ReadOptions(mapping=mapping))
    texts = [t for t in analysis.forest.comments.filter(kind="comment")["text"].to_list() if t and t.strip()]
    return texts[:limit] if limit else texts


def bucket_of(n: int) -> str:
    for lo, hi in BUCKETS:
        if lo <= n < hi:
            return f"{lo}-{hi if hi < 10**9 else ''} chars"
    return "?"


def profile(texts: Sequence[str]) -> dict[str, dict[str, float]]:
    """CPU seconds per component (and per length bucket) over ``texts``."""
    import stanza

    from analyzer.stages.nlp.langid import tag_lines
    from analyzer.stages.nlp.lexicon import load_lexicon
    from analyzer.stages.nlp.models import load_pipeline, resolve_models_dir
    from analyzer.stages.nlp.offline import fallback_lemma, hanta_tagger, somajo_tokenizer

    cpu: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    clock = time.process_time
    t = clock()
    tok, tagger, lexicon = somajo_tokenizer("de"), hanta_tagger("de"), load_lexicon("de")
    pipeline = load_pipeline("de", mode="offline", models_dir=resolve_models_dir())
    cpu["load"]["all"] = clock() - t
    lines_of: list[list[str]] = []
    t = clock()
    for text in texts:
        lines_of.append([text[x.start : x.end] for x in tag_lines(text, default="de") if x.lang == "de"])
    cpu["langid"]["all"] = clock() - t
    n_tokens: dict[str, int] = defaultdict(int)
    for text, lines in zip(texts, lines_of, strict=True):
        b = bucket_of(len(text))
        t0 = clock()
        sents = [s for line in lines for s in tok.sentences(line)]
        t1 = clock()
        words_of = [[line[x.start : x.end] for x in s] for line in lines for s in tok.sentences(line)]
        classes_of = [[x.token_class for x in s] for line in lines for s in tok.sentences(line)]
        t2 = clock()
        tagged = [tagger.tag(w, c) for w, c in zip(words_of, classes_of, strict=True)]
        t3 = clock()
        for sent in tagged:
            for lemma, _, _ in sent:
                if not lemma:
                    fallback_lemma(lemma, "de")
        t4 = clock()
        for words, sent in zip(words_of, tagged, strict=True):
            lexicon.label([(w, lem) for w, (lem, _, _) in zip(words, sent, strict=True)])
        t5 = clock()
        n = sum(len(s) for s in sents)
        for key, value in (("somajo", t1 - t0), ("hanta", t3 - t2), ("lemma gaps", t4 - t3), ("polarity", t5 - t4)):
            cpu[key][b] += value
            cpu[key]["all"] += value
        n_tokens[b] += n
        n_tokens["all"] += n
    all_lines = [line for lines in lines_of for line in lines]
    t = clock()
    pipeline([stanza.Document([], text=x) for x in all_lines])
    cpu["stanza pipeline (all processors)"]["all"] = clock() - t
    cpu["tokens"] = {k: float(v) for k, v in n_tokens.items()}
    return cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.nlp_profile", description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=OMP_CSV)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    texts = omp_texts(args.csv, args.limit)
    cpu = profile(texts)
    tokens = cpu["tokens"]
    print(f"comments: {len(texts)}, tokens: {int(tokens['all'])}  (CPU seconds, time.process_time)")
    n_per_bucket: dict[str, int] = defaultdict(int)
    for text in texts:
        n_per_bucket[bucket_of(len(text))] += 1
    buckets = [bucket_of(lo) for lo, _ in BUCKETS]
    print("| component | CPU s | tokens/CPU s | " + " | ".join(f"{b} ({n_per_bucket[b]} comments, {int(tokens.get(b, 0))} tokens): µs/token" for b in buckets) + " |")
    print("|---" * (3 + len(buckets)) + "|")
    for key, row in cpu.items():
        if key == "tokens":
            continue
        secs = row["all"]
        rate = f"{tokens['all'] / secs:,.0f}" if secs and key != "load" else ""
        cells = [f"{1e6 * row[b] / tokens[b]:.1f}" if b in row and tokens.get(b) else "" for b in buckets]
        print(f"| {key} | {secs:.2f} | {rate} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
