"""A synthetic comment corpus with realistic shapes, for benchmarks and scale tests.

The table has the columns a platform export would give (``article_id``, ``comment_id``,
``parent_id``, ``author``, ``created_at``, ``text``), one row per comment, ordered by
article and then creation time, so a parent always comes before its replies.

Shapes, and why:

* **Thread sizes** are heavy-tailed: a discrete log-normal split of ``n_comments`` over
  ``n_articles`` (every article gets at least one comment, sizes sum exactly).  Comment
  sections are dominated by a few huge threads and a long tail of small ones.
* **Reply structure** follows preferential attachment: a new comment replies to the article
  with probability ``P_TOP_LEVEL``, else to an earlier comment chosen with probability
  roughly proportional to (replies + 1).
* **Deep chains**: ``deep_chains`` threads contain a back-and-forth chain ``chain_length``
  comments deep (two people answering each other for hours), the case that breaks
  recursive tree code.
* **Authors** come from a Zipf-like pool (a few regulars write most comments); a small
  share is anonymous (null).
* **Times** increase within a thread with log-normal gaps.
* **Texts** are one to three short sentences from a small German and English vocabulary
  written for this module; some carry a link, a few of them defanged.

Everything is vectorised with numpy and polars: there is no per-comment Python loop, so a
million comments take a few seconds.

The preferential-attachment approximation (the "copying model", Kleinberg et al. 1999;
Krapivsky & Redner 2001): comment ``j`` of a thread that is not top level picks an earlier
comment ``v`` uniformly; with probability one half it replies to ``v``, otherwise it
replies to ``v``'s parent.  Replying to the parent of a uniformly chosen comment picks each
comment with probability proportional to its number of replies, so the mixture picks
comment ``k`` with probability ``(replies_k + 1) / (2 j)``, exactly the rule above, except
that when ``v`` is itself a top-level comment (its parent is the article) the reply goes to
``v``: this slightly favours top-level comments over the exact rule.  "Parent of ``v``" is
only known once ``v`` is resolved, so parents are resolved in rounds (each round a numpy
operation over the still-unresolved comments); copy-of-copy chains are short (about
log(n) / log(3) rounds for n comments), so this costs a dozen vector passes.

Example:
    >>> frame = generate_corpus(500, 20, seed=1, deep_chains=1, chain_length=50)
    >>> frame.height, frame["article_id"].n_unique()
    (500, 20)
"""

from __future__ import annotations

import argparse
import itertools
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

from analyzer.core import schemas
from analyzer.core.errors import UsageError

__all__ = ["CORPUS_SCHEMA", "GENERATOR_VERSION", "generate_corpus", "write_corpus", "main"]

# Bump when the output for a given (n_comments, n_articles, seed) changes, so cached
# benchmark corpora are regenerated.
GENERATOR_VERSION = 1

CORPUS_SCHEMA = schemas.schema(
    {
        "article_id": pl.String,
        "comment_id": pl.String,
        "parent_id": pl.String,
        "author": pl.String,
        "created_at": pl.Datetime("us", "UTC"),
        "text": pl.String,
    }
)

# --- Shape parameters ------------------------------------------------------------------
# Log-normal sigma of thread sizes.  1.3 gives, for 1M comments in 10k articles, a median
# thread of ~45 comments and a largest of several thousand: the ratio seen on large news
# sites, where a handful of articles draw a large share of all comments.
THREAD_SIZE_SIGMA = 1.3
# Share of comments that answer the article rather than another comment.  Reader comment
# sections (news sites, WordPress blogs) typically have 30-50 % top-level comments.
P_TOP_LEVEL = 0.35
# In the copying model: probability of replying to the parent of the sampled comment.
P_COPY = 0.5
# Reply gaps: log-normal with a median of 90 s and sigma 1.6 (busy threads answer within
# minutes, stragglers come days later); gaps are at least one second so times strictly rise.
GAP_MEDIAN_SECONDS = 90.0
GAP_SIGMA = 1.6
# The article appears this long (median) before its first comment.
FIRST_COMMENT_MEDIAN_SECONDS = 600.0
# Articles are published over one year.
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
PUBLICATION_SPAN_DAYS = 365
# Author pool: one author per this many comments, Zipf exponent of their activity.
COMMENTS_PER_AUTHOR = 25
AUTHOR_ZIPF_EXPONENT = 1.1
P_ANONYMOUS = 0.005
# Share of articles whose comments are in German (the rest English).
P_GERMAN = 0.7
# Sentences per comment: 1, 2 or 3 with these probabilities.
SENTENCE_COUNT_P = (0.5, 0.35, 0.15)
P_LINK = 0.07

# --- Vocabulary (written for this module) ----------------------------------------------
_DE_OPENERS = ("", "Ehrlich gesagt,", "Mal ehrlich:", "Naja,", "Genau.", "Also", "Tja,",
               "Sorry, aber", "Richtig:", "Hm,")
_DE_SUBJECTS = ("die Regierung", "der Autor", "der Artikel", "die Presse", "niemand",
                "jeder hier", "die Kommission", "der Stadtrat", "die Opposition",
                "mein Nachbar", "die Statistik", "das Ministerium")
_DE_VERBS = ("verschweigt", "erklärt", "übersieht", "bestätigt", "verdreht", "ignoriert",
             "beschreibt", "unterschätzt", "kennt", "vergisst")
_DE_OBJECTS = ("die eigentlichen Kosten", "den Hintergrund", "die Zahlen vom letzten Jahr",
               "das Wesentliche", "die Folgen für die Mieter", "den Zusammenhang",
               "die Stimmung im Land", "die Rolle der Banken", "die Vorgeschichte",
               "was hier wirklich passiert")
_DE_ENDINGS = (".", ".", ".", "!", "?", " – oder etwa nicht?", ", wie immer.", "...")
_EN_OPENERS = ("", "Honestly,", "Well,", "Exactly.", "Sorry, but", "To be fair,", "Look,",
               "Right:", "Hmm,", "So")
_EN_SUBJECTS = ("the government", "the author", "this article", "the press", "nobody",
                "everyone here", "the council", "the opposition", "my neighbour",
                "the report", "the ministry", "the committee")
_EN_VERBS = ("ignores", "explains", "overlooks", "confirms", "twists", "forgets",
             "describes", "underestimates", "knows", "misses")
_EN_OBJECTS = ("the real costs", "the background", "last year's numbers", "the main point",
               "what it means for tenants", "the bigger picture", "the mood in the country",
               "the role of the banks", "the history", "what is really going on")
_EN_ENDINGS = (".", ".", ".", "!", "?", ", don't you think?", ", as usual.", "...")
_DE_LINK_LEADS = ("Quelle:", "Siehe", "Lesen Sie mal", "Hier nachzulesen:", "Dazu:")
_EN_LINK_LEADS = ("Source:", "See", "Read this:", "More here:", "Cf.")
# Hosts under reserved example domains plus a few platform shapes the link module must
# keep (channel, handle, video); a share is defanged the way comment sections do it.
_LINK_TARGETS = ("example.org/bericht/2024/zahlen", "news.example.com/politik/artikel-123",
                 "blog.example.net/2024/05/kommentar", "example.de/studie.pdf",
                 "t.me/examplechannel", "youtube.com/@examplechannel",
                 "x.com/example_user/status/123", "www.example.org/faq",
                 "archive.example.com/web/2024/seite")
_LINK_SCHEMES = ("https://", "https://", "https://", "http://", "", "hxxps://", "_____://")
_HANDLES = ("Leser", "Wanderer", "Max", "Anna", "Bürger", "Fritz", "Skeptiker", "Observer",
            "Jane", "Tom", "Realist", "Nachdenker", "Gast", "Kai", "Lena", "Paul",
            "Mia", "Jonas", "Sophie", "Pete", "Zaungast", "Querleser", "Anwohnerin",
            "Steuerzahler", "OldTimer", "Mara", "Ben", "Kritiker", "Ole", "Rita")


def _sentence_bank(openers: tuple[str, ...], subjects: tuple[str, ...], verbs: tuple[str, ...],
                   objects: tuple[str, ...], endings: tuple[str, ...], size: int,
                   rng: np.random.Generator) -> list[str]:
    """``size`` distinct sentences drawn from the template product (once per corpus)."""
    combos = list(itertools.product(openers, subjects, verbs, objects, endings))
    picks = rng.choice(len(combos), size=min(size, len(combos)), replace=False)
    bank = []
    for idx in picks:
        opener, subject, verb, obj, ending = combos[idx]
        sentence = f"{subject} {verb} {obj}{ending}"
        if not opener or opener.endswith("."):
            sentence = sentence[0].upper() + sentence[1:]
        bank.append(f"{opener} {sentence}" if opener else sentence)
    return bank


def _link_bank(leads: tuple[str, ...]) -> list[str]:
    """Every lead x scheme x target combination: a few hundred link phrases."""
    bank = []
    for lead, scheme, target in itertools.product(leads, _LINK_SCHEMES, _LINK_TARGETS):
        url = scheme + target
        if scheme == "hxxps://":
            url = url.replace(".", "[.]", 1)
        bank.append(f"{lead} {url}")
    return bank


# --- Generation ------------------------------------------------------------------------


def _thread_sizes(n_comments: int, n_articles: int, deep_chains: int, chain_length: int,
                  rng: np.random.Generator) -> np.ndarray:
    """Heavy-tailed sizes summing exactly to ``n_comments``; the first ``deep_chains``
    largest threads are grown by ``chain_length`` to hold a chain."""
    reserved = deep_chains * chain_length
    free = n_comments - n_articles - reserved
    weights = rng.lognormal(mean=0.0, sigma=THREAD_SIZE_SIGMA, size=n_articles)
    quota = weights / weights.sum() * free
    sizes = np.floor(quota).astype(np.int64)
    short = free - int(sizes.sum())
    if short > 0:
        # Largest remainders get the leftover comments, so the sum is exact.
        sizes[np.argpartition(quota - sizes, -short)[-short:]] += 1
    sizes += 1
    if deep_chains:
        sizes[np.argsort(-sizes, kind="stable")[:deep_chains]] += chain_length
    return np.asarray(sizes, dtype=np.int64)


def _parents(sizes: np.ndarray, deep_chains: int, chain_length: int,
             rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Global parent index per comment (-1 = the article), and the chain thread indices."""
    n = int(sizes.sum())
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    thread = np.repeat(np.arange(sizes.size), sizes)
    local = np.arange(n) - starts[thread]

    top = (local == 0) | (rng.random(n) < P_TOP_LEVEL)
    sampled = starts[thread] + np.floor(rng.random(n) * local).astype(np.int64)
    copy = ~top & (rng.random(n) < P_COPY)
    unresolved = -2
    parent = np.where(top, -1, np.where(copy, unresolved, sampled))

    # Chains go into the largest threads (the ones grown for them); their links are fixed
    # before the copy rounds so later comments can also answer inside a chain.
    chain_threads = np.argsort(-sizes, kind="stable")[:deep_chains]
    for t in chain_threads:  # one iteration per chain, not per comment
        first = starts[t] + rng.integers(0, sizes[t] - chain_length + 1)
        members = np.arange(first, first + chain_length)
        parent[members[0]] = -1
        parent[members[1:]] = members[:-1]

    pending = np.flatnonzero(parent == unresolved)
    while pending.size:
        via = sampled[pending]
        via_parent = parent[via]
        ready = via_parent != unresolved
        done = pending[ready]
        # A copy that would land on the article replies to the sampled comment instead.
        parent[done] = np.where(via_parent[ready] >= 0, via_parent[ready], via[ready])
        pending = pending[~ready]
    return parent, chain_threads


def _times(sizes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Creation times in microseconds since the Unix epoch, strictly rising per thread."""
    n = int(sizes.sum())
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    thread = np.repeat(np.arange(sizes.size), sizes)
    gaps = rng.lognormal(np.log(GAP_MEDIAN_SECONDS), GAP_SIGMA, size=n)
    first = rng.lognormal(np.log(FIRST_COMMENT_MEDIAN_SECONDS), GAP_SIGMA, size=sizes.size)
    gaps[starts] = first
    # Cap at 30 days so the tail cannot push times into the far future.
    gaps_us = (np.clip(gaps, 1.0, 30 * 86400.0) * 1e6).astype(np.int64)
    elapsed = np.cumsum(gaps_us)
    before_thread = elapsed[starts] - gaps_us[starts]
    epoch_us = int(EPOCH.timestamp() * 1_000_000)
    published = epoch_us + rng.integers(0, PUBLICATION_SPAN_DAYS * 86400, size=sizes.size) * 1_000_000
    return published[thread] + elapsed - before_thread[thread]


def _authors(n: int, rng: np.random.Generator) -> pl.Series:
    pool = max(50, n // COMMENTS_PER_AUTHOR)
    weights = 1.0 / np.arange(1, pool + 1) ** AUTHOR_ZIPF_EXPONENT
    rank = rng.choice(pool, size=n, p=weights / weights.sum())
    handles = pl.Series(_HANDLES).gather(rank % len(_HANDLES))
    number = rank // len(_HANDLES)
    frame = pl.DataFrame({"handle": handles, "number": number, "anon": rng.random(n) < P_ANONYMOUS})
    names = frame.select(
        pl.when(pl.col("anon"))
        .then(pl.lit(None, dtype=pl.String))
        .when(pl.col("number") == 0)
        .then(pl.col("handle"))
        .otherwise(pl.concat_str(pl.col("handle"), pl.lit("_"), pl.col("number").cast(pl.String)))
    )
    return names.to_series()


def _texts(sizes: np.ndarray, rng: np.random.Generator) -> pl.Series:
    n = int(sizes.sum())
    bank_size = 1500
    german = _sentence_bank(_DE_OPENERS, _DE_SUBJECTS, _DE_VERBS, _DE_OBJECTS, _DE_ENDINGS,
                            bank_size, rng)
    english = _sentence_bank(_EN_OPENERS, _EN_SUBJECTS, _EN_VERBS, _EN_OBJECTS, _EN_ENDINGS,
                             bank_size, rng)
    sentences = pl.Series(german + english, dtype=pl.String)
    de_links, en_links = _link_bank(_DE_LINK_LEADS), _link_bank(_EN_LINK_LEADS)
    links = pl.Series(de_links + en_links, dtype=pl.String)

    is_english = np.repeat(rng.random(sizes.size) >= P_GERMAN, sizes)
    offset = np.where(is_english, len(german), 0)
    link_idx = np.where(is_english, len(de_links) + rng.integers(0, len(en_links), size=n),
                        rng.integers(0, len(de_links), size=n))
    frame = pl.DataFrame(
        {
            "s1": sentences.gather(offset + rng.integers(0, len(german), size=n)),
            "s2": sentences.gather(offset + rng.integers(0, len(german), size=n)),
            "s3": sentences.gather(offset + rng.integers(0, len(german), size=n)),
            "link": links.gather(link_idx),
            "n_sentences": rng.choice(3, size=n, p=SENTENCE_COUNT_P) + 1,
            "has_link": rng.random(n) < P_LINK,
        }
    )
    # Null parts are skipped by concat_str, so unused sentence slots simply vanish.
    return frame.select(
        pl.concat_str(
            pl.col("s1"),
            pl.when(pl.col("n_sentences") >= 2).then(pl.col("s2")),
            pl.when(pl.col("n_sentences") >= 3).then(pl.col("s3")),
            pl.when(pl.col("has_link")).then(pl.col("link")),
            separator=" ",
            ignore_nulls=True,
        ).alias("text")
    ).to_series()


def generate_corpus(n_comments: int, n_articles: int, *, seed: int = 0, deep_chains: int = 3,
                    chain_length: int = 2000) -> pl.DataFrame:
    """Generate a synthetic comment table with realistic thread shapes.

    Args:
        n_comments: total number of comments (rows).
        n_articles: number of articles; each gets at least one comment.
        seed: seed of the random generator; equal arguments give equal frames.
        deep_chains: number of threads holding a reply chain ``chain_length`` deep.
        chain_length: comments in each deep chain; the chain starts at top level, so the
            thread reaches at least this depth.

    Returns:
        A frame with :data:`CORPUS_SCHEMA`, ordered by article and creation time.

    Raises:
        UsageError: when the sizes cannot be met (fewer comments than articles plus chains).

    Example:
        >>> generate_corpus(10, 2, deep_chains=0)["parent_id"].null_count() >= 2
        True
    """
    if n_articles < 1 or n_comments < 0 or deep_chains < 0 or chain_length < 1:
        raise UsageError(
            f"need n_articles >= 1, n_comments >= 0, deep_chains >= 0 and chain_length >= 1, "
            f"got {n_articles}, {n_comments}, {deep_chains}, {chain_length}"
        )
    if deep_chains > n_articles or n_comments < n_articles + deep_chains * chain_length:
        raise UsageError(
            f"{n_comments} comments cannot fill {n_articles} articles (one comment each) plus "
            f"{deep_chains} chains of {chain_length}: lower deep_chains or chain_length"
        )
    rng = np.random.default_rng(seed)
    sizes = _thread_sizes(n_comments, n_articles, deep_chains, chain_length, rng)
    parent, _ = _parents(sizes, deep_chains, chain_length, rng)
    times = _times(sizes, rng)
    authors = _authors(n_comments, rng)
    texts = _texts(sizes, rng)

    width_a = len(str(n_articles - 1))
    width_c = len(str(max(n_comments - 1, 0)))
    thread = np.repeat(np.arange(n_articles), sizes)
    frame = pl.DataFrame(
        {
            "article": thread,
            "row": np.arange(n_comments, dtype=np.int64),
            "parent": parent,
            "author": authors,
            "created_us": times,
            "text": texts,
        }
    )
    # Zero-padded ids sort lexically in creation order, which keeps diffs readable.
    return frame.select(
        pl.concat_str(pl.lit("a"), pl.col("article").cast(pl.String).str.zfill(width_a))
        .alias("article_id"),
        pl.concat_str(pl.lit("c"), pl.col("row").cast(pl.String).str.zfill(width_c))
        .alias("comment_id"),
        pl.when(pl.col("parent") >= 0)
        .then(pl.concat_str(pl.lit("c"), pl.col("parent").cast(pl.String).str.zfill(width_c)))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("parent_id"),
        pl.col("author"),
        pl.col("created_us").cast(pl.Datetime("us")).dt.replace_time_zone("UTC").alias("created_at"),
        pl.col("text"),
    )


def write_corpus(path: Path | str, n_comments: int, n_articles: int, seed: int = 0, *,
                 deep_chains: int = 3, chain_length: int = 2000) -> Path:
    """Generate a corpus and write it to ``path`` as Parquet; return the path.

    The file is written next to its final name and renamed, so an interrupted run never
    leaves a truncated Parquet behind (the benchmark caches these files).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = generate_corpus(n_comments, n_articles, seed=seed, deep_chains=deep_chains,
                            chain_length=chain_length)
    partial = path.with_name(path.name + ".partial")
    frame.write_parquet(partial)
    partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m tests.bench.synth.corpus --comments N --articles M --out FILE``."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.synth.corpus",
        description="Write a synthetic comment corpus (Parquet) with realistic thread shapes.",
    )
    parser.add_argument("--comments", type=int, default=1_000_000, help="number of comments")
    parser.add_argument("--articles", type=int, default=10_000, help="number of articles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--deep-chains", type=int, default=3, help="threads with a deep reply chain")
    parser.add_argument("--chain-length", type=int, default=2000, help="depth of each deep chain")
    parser.add_argument("--out", type=Path, required=True, help="Parquet file to write")
    args = parser.parse_args(argv)
    try:
        path = write_corpus(args.out, args.comments, args.articles, args.seed,
                            deep_chains=args.deep_chains, chain_length=args.chain_length)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.comments} comments in {args.articles} articles to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
