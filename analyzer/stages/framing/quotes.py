"""Quotations in comments: which article passages readers quote, and each comment's own text.

Readers quote the article to attack or endorse it ("Zitat: ... aber ..."), and they copy the
comment they answer.  Stance and frame analysis must read a comment's OWN words, so this stage
finds quoted material, aligns it to the article's sentences (for the heat map on the article)
and removes it (methods.md sections 3-4).

Quoted material, in order of precedence (a token claimed by one method is not claimed again):

1. ``block``: explicit quotation markup.  An intro line ("Zitat:", "Quote:", "Jane schrieb:")
   followed by lines that start with a marker ("-", "–", ">", "•"; blank lines between them
   allowed), or, without markers, by the rest of its paragraph; and lines starting with ">"
   anywhere (mail and Markdown convention).  Quoted whatever the source: the article, the
   parent or a third text.
2. ``inline``: text in „…“, “…”, "…", »…« or «…» of at least ``MIN_INLINE_TOKENS`` tokens
   whose tokens occur contiguously in the article body.  (The same in the parent comment is
   ``parent``.)  Shorter or unmatched quotes are scare quotes or titles and stay own text.
3. ``shingle``: runs of tokens covered by 8-token shingles shared with the article body.
4. ``parent``: runs of tokens covered by 8-token shingles shared with the parent comment (a
   direct parent with text; a ghost parent's text is unknown).

Tokens are maximal runs of letters and digits (regex ``[^\\W_]+``, so "6.", "wert-los-westen"
and "NGO's" give "6", "wert"/"los"/"westen", "ngo"/"s"), lowercased with :meth:`str.lower`;
the same tokenisation for article and comments.  Punctuation, quote marks, emoji and markup
are not tokens, so a quotation with different punctuation still matches.  A shingle is a
window of ``SHINGLE_SIZE`` = 8 consecutive tokens; the shingle set of a text is the set of its
distinct windows (compared by a 64-bit hash of the token tuple, verified where positions
matter).  quote_share(c) = |S8(c) ∩ S8(A)| / |S8(c)|, with A the article body; 0 for comments
with fewer than 8 tokens.

Alignment: every quoted token that a shared shingle (or, for spans under 8 tokens, an exact
contiguous match) maps to an article token gets that token's sentence; a span is cut where
the sentence changes, giving one ``quotes.parquet`` row per (span, article sentence).
Article sentences come from the ``nlp`` stage (``sentences.parquet``, doc_id
:data:`analyzer.core.schemas.ARTICLE_DOC_ID`) when present, else from :func:`split_sentences`.

Everything is linear in the text length: shingle sets and dictionaries, never nested loops
over tokens, and regular expressions without nested quantifiers.

References:
    Broder (1997), On the resemblance and containment of documents (w-shingling).
    Toepfl & Piwoni (2015), Public spheres in interaction: comment sections of news websites as
    counterpublic spaces, Journal of Communication (readers echo and contest the outlet).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import partial
from typing import Any

import polars as pl

from analyzer.core import schemas
from analyzer.core.records import ParseIssue
from analyzer.core.textkinds import is_analysed
from analyzer.stages.context import StageContext, StageResult
from analyzer.stages.framing.quote_markup import (
    LINE_MARKERS,
    QUOTE_PAIRS,
    _find_blocks,
    _has_markup,
    _inline_quotes,
)
from analyzer.stages.framing.sentences import SENTENCE_CLOSERS, split_sentences
from analyzer.stages.metric_registry import MetricInfo, lookup
from analyzer.tree.forest import Forest

# --- Data: tuned constants ---------------------------------------------------------------

# Window of the shingles (methods.md section 4).  Eight tokens rarely recur by chance in
# German or English prose, yet a quoted sentence of ordinary length yields several windows.
SHINGLE_SIZE = 8
# Shortest inline „…“ quotation checked against the article and the parent.  Two tokens keep
# "„externer Kräfte“" (the reference page, comment C quoting B) and drop one-word scare
# quotes ("„Erfolg“"), which framing counts as label adoption instead.
MIN_INLINE_TOKENS = 2
# Unaligned runs shorter than this inside an aligned span join their neighbour's sentence
# (an elided or retyped word inside a quotation should not cut it in pieces).
MERGE_GAP_TOKENS = 3
# Tokens per text that are shingled and aligned; the rest is reported as skipped.  1 MB of
# German text is about 150,000 tokens.
MAX_TOKENS = 250_000

_TOKEN = re.compile(r"[^\W_]+")
_WHITESPACE = re.compile(r"\s+")
_EXCESS_BLANK_LINES = re.compile(r"\n{3,}")
# --- Metric registry ----------------------------------------------------------------------

_REF_SHINGLE = "Broder 1997 (w-shingling); methods.md section 4"
_REGISTRY: tuple[MetricInfo, ...] = (
    MetricInfo(
        "quote_share", ("comment",),
        "|S8(c) ∩ S8(A)| / |S8(c)|: share of the comment's distinct 8-token shingles found in the "
        "article body; 0 with fewer than 8 tokens", "higher = more of the comment is article text",
        _REF_SHINGLE,
    ),
    MetricInfo(
        "article_quoting_share", ("thread",),
        "share of visible comments with text that quote the article: at least one quoted span "
        "aligned to an article sentence (any method)", "", _REF_SHINGLE,
    ),
    MetricInfo("mean_quote_share", ("thread",), "mean of quote_share over visible comments with text", "", _REF_SHINGLE),
    MetricInfo(
        "parent_quoting_share", ("thread",),
        "share of visible replies whose parent has text that copy the parent (method 'parent')",
    ),
    MetricInfo("n_article_sentences", ("thread",), "sentences of the article body (nlp stage, else fallback splitter)"),
    MetricInfo("n_quoted_sentences", ("thread",), "distinct article sentences quoted by at least one comment"),
    MetricInfo("quoted_sentence_share", ("thread",), "n_quoted_sentences / n_article_sentences"),
    MetricInfo(
        "n_quoting_comments", ("article_sentence",),
        "comments quoting the article sentence (subject_id = sent_idx); every sentence gets a row, "
        "zeros included, so the counts draw as a heat map on the article",
        "higher = passage readers engage with", "methods.md section 4 (quote engagement)",
    ),
)
METRICS: dict[str, MetricInfo] = {m.name: m for m in _REGISTRY}


def describe(name: str) -> MetricInfo:
    """Look a quotation metric up by name."""
    return lookup(METRICS, name, kind="quotation")


# --- Tokens and shingles ------------------------------------------------------------------


def word_tokens(text: str) -> list[str]:
    """The lowercased word tokens of ``text`` (see the module docstring).

    Example:
        >>> word_tokens("Am 6. Januar: NGO’s!")
        ['am', '6', 'januar', 'ngo', 's']
    """
    found = _TOKEN.findall(text)
    # Lowering the joined tokens is one C call; tokens contain no spaces, so splitting back
    # gives the per-token lowercase.
    return " ".join(found).lower().split(" ") if found else []


def shingle_hashes(tokens: Sequence[str], size: int = SHINGLE_SIZE) -> list[int]:
    """Hashes of every window of ``size`` consecutive tokens, in order (empty if too short)."""
    if len(tokens) < size:
        return []
    return list(map(hash, zip(*(tokens[k:] for k in range(size)), strict=False)))


def quote_share(comment: str, article: str) -> float:
    """quote_share(c) = |S8(c) ∩ S8(A)| / |S8(c)| on distinct shingles; 0 below 8 tokens.

    Example:
        >>> a = "one two three four five six seven eight nine ten"
        >>> quote_share("one two three four five six seven eight and more", a)
        0.3333333333333333

    References:
        Broder (1997), On the resemblance and containment of documents.
    """
    own = set(shingle_hashes(word_tokens(comment)))
    if not own:
        return 0.0
    return len(own & set(shingle_hashes(word_tokens(article)))) / len(own)


@dataclass(slots=True)
class _Tokens:
    """Tokens of a text with character offsets."""

    words: list[str]
    starts: list[int]
    ends: list[int]
    truncated: bool = False

    @classmethod
    def of(cls, text: str, limit: int | None = None) -> _Tokens:
        limit = MAX_TOKENS if limit is None else limit
        words: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        truncated = False
        for match in _TOKEN.finditer(text):
            if len(words) >= limit:
                truncated = True
                break
            words.append(match.group())
            starts.append(match.start())
            ends.append(match.end())
        lowered = " ".join(words).lower().split(" ") if words else []
        return cls(lowered, starts, ends, truncated)


class TextIndex:
    """A text's tokens with lookups for shingles and short contiguous runs.

    Used for the article body and for parent comments: ``first_shingle[h]`` is the first
    position of a shingle, :meth:`find_run` the first position of a run of tokens.
    """

    def __init__(self, words: list[str]) -> None:
        self.words = words
        hashes = shingle_hashes(words)
        # Iterating backwards leaves the FIRST occurrence of each shingle in the dict.
        self.first_shingle: dict[int, int] = dict(zip(reversed(hashes), range(len(hashes) - 1, -1, -1), strict=True))
        self.shingles = frozenset(self.first_shingle)
        self._ngrams: dict[int, dict[int, int]] = {}

    @classmethod
    def of_text(cls, text: str) -> TextIndex:
        return cls(word_tokens(text)[:MAX_TOKENS])

    def find_run(self, run: Sequence[str]) -> int | None:
        """First position where ``run`` occurs contiguously, or None."""
        k = len(run)
        if k == 0 or k > len(self.words):
            return None
        if k >= SHINGLE_SIZE:
            j = self.first_shingle.get(hash(tuple(run[:SHINGLE_SIZE])))
        else:
            table = self._ngrams.get(k)
            if table is None:  # built on demand: most articles are asked about few lengths
                hashes = shingle_hashes(self.words, k)
                table = dict(zip(reversed(hashes), range(len(hashes) - 1, -1, -1), strict=True))
                self._ngrams[k] = table
            j = table.get(hash(tuple(run)))
        # Verify (hash collisions; and for long runs, the tokens past the first shingle).
        if j is None or self.words[j : j + k] != list(run):
            return None
        return j


# --- Article sentences --------------------------------------------------------------------


@dataclass(slots=True)
class ArticleIndex:
    """The article body prepared for alignment: tokens, shingles and each token's sentence."""

    text: TextIndex
    token_sentence: list[int]
    sentence_ids: list[int]
    truncated: bool = False

    @classmethod
    def build(cls, body: str | None, sentences: Sequence[tuple[int, int, int]] | None = None) -> ArticleIndex:
        """Index ``body``; ``sentences`` are ``(sent_idx, start_char, end_char)`` into it.

        Without ``sentences`` the body is split with :func:`split_sentences`.
        """
        body = body or ""
        toks = _Tokens.of(body)
        if sentences is None:
            sentences = [(i, s, e) for i, (s, e) in enumerate(split_sentences(body))]
        ordered = sorted(sentences, key=lambda t: (t[1], t[0]))
        starts = [s for _, s, _ in ordered]
        ids = [i for i, _, _ in ordered]
        token_sentence: list[int] = []
        for pos in toks.starts:
            # The last sentence starting at or before the token; a token before the first
            # sentence (leading text the splitter dropped) belongs to the first.
            k = bisect.bisect_right(starts, pos) - 1
            token_sentence.append(ids[max(k, 0)] if ids else -1)
        return cls(TextIndex(toks.words), token_sentence, sorted(ids), toks.truncated)


# --- One comment --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quoted span of a comment: characters ``[start, end)`` and the article sentence."""

    start: int
    end: int
    method: str  # block | inline | shingle | parent
    article_sent_idx: int | None


@dataclass(slots=True)
class CommentQuotes:
    """What :func:`find_quotes` found in one comment."""

    spans: list[QuoteSpan]
    own_text: str
    quote_share: float
    n_quoted_chars: int
    truncated: bool = False
    quotes_parent: bool = False

    @property
    def quoted_sentences(self) -> set[int]:
        return {s.article_sent_idx for s in self.spans if s.article_sent_idx is not None}


def _token_range(toks: _Tokens, start: int, end: int) -> tuple[int, int]:
    """Indexes ``[lo, hi)`` of the tokens lying inside characters ``[start, end)``."""
    lo = bisect.bisect_left(toks.starts, start)
    hi = bisect.bisect_right(toks.ends, end)
    return lo, max(lo, hi)


def find_quotes(
    text: str,
    article: ArticleIndex,
    parent: TextIndex | None = None,
) -> CommentQuotes:
    """Find the quotations in one comment and its own text.

    Args:
        text: the comment's text.
        article: the indexed article body (:meth:`ArticleIndex.build`).
        parent: the indexed text of the comment it replies to, if known.

    Example:
        >>> art = ArticleIndex.build("Die Regierung hat heute die neuen Regeln für alle Schulen beschlossen. Mehr folgt.")
        >>> q = find_quotes("„Die Regierung hat heute die neuen Regeln für alle Schulen beschlossen“ - Unsinn!", art)
        >>> q.own_text, q.spans[0].method, q.spans[0].article_sent_idx
        ('- Unsinn!', 'inline', 0)
    """
    found, _ = _analyse(
        text, article, parent.shingles if parent is not None else None, (lambda: parent) if parent else None
    )
    return found


def _analyse(
    text: str,
    article: ArticleIndex,
    parent_shingles: AbstractSet[int] | None,
    parent_index: Callable[[], TextIndex | None] | None,
) -> tuple[CommentQuotes, set[int]]:
    """:func:`find_quotes` with the parent given lazily; also returns the comment's shingle set.

    Most comments quote nothing: they are settled on their shingle set and a few substring
    tests, and only the rest are tokenised again with offsets (:func:`_find_quotes_slow`).
    """
    found = _TOKEN.findall(text)
    lowered = " ".join(found).lower()
    words = lowered.split(" ") if found else []
    truncated = len(words) > MAX_TOKENS
    words = words[:MAX_TOKENS]
    distinct = set(shingle_hashes(words))
    share = len(distinct & article.text.shingles) / len(distinct) if distinct else 0.0
    parent_hit = parent_shingles is not None and not distinct.isdisjoint(parent_shingles)
    markup = _has_markup(text, lowered)
    quote_marks = any(o in text for o in QUOTE_PAIRS)
    if share == 0.0 and not parent_hit and not markup:
        if not quote_marks or not _inline_candidate(text, article, parent_index):
            return CommentQuotes([], tidy(text), 0.0, 0, truncated), distinct
    parent = parent_index() if parent_index is not None else None
    return _find_quotes_slow(text, article, parent, share, truncated, markup, quote_marks), distinct


def _inline_candidate(
    text: str, article: ArticleIndex, parent_index: Callable[[], TextIndex | None] | None
) -> bool:
    """Whether some inline quotation could match the article or the parent."""
    parent: TextIndex | None = None
    for _, _, i_start, i_end in _inline_quotes(text):
        run = word_tokens(text[i_start:i_end])
        if len(run) < MIN_INLINE_TOKENS:
            continue
        if article.text.find_run(run) is not None:
            return True
        if parent is None and parent_index is not None:
            parent = parent_index()
        if parent is not None and parent.find_run(run) is not None:
            return True
    return False


def _find_quotes_slow(
    text: str,
    article: ArticleIndex,
    parent: TextIndex | None,
    share: float,
    truncated: bool,
    markup: bool,
    quote_marks: bool,
) -> CommentQuotes:
    toks = _Tokens.of(text)
    words = toks.words
    n = len(words)
    hashes = shingle_hashes(words)
    # Comment token -> article token, from shared shingles (first article occurrence).
    to_article: dict[int, int] = {}
    first = article.text.first_shingle
    for i, h in enumerate(hashes):
        j = first.get(h)
        if j is not None and article.text.words[j : j + SHINGLE_SIZE] == words[i : i + SHINGLE_SIZE]:
            for k in range(SHINGLE_SIZE):
                to_article.setdefault(i + k, j + k)
    claimed = [False] * n
    removed: list[tuple[int, int]] = []  # character ranges cut from the own text
    spans: list[QuoteSpan] = []
    quotes_parent = False

    def claim(lo: int, hi: int) -> None:
        for t in range(lo, hi):
            claimed[t] = True

    # 1. Blocks.
    blocks = _find_blocks(text) if markup else []
    for block in blocks:
        removed.append((block.region_start, block.region_end))
        if not block.content:  # a bare intro line: removed, nothing quoted
            continue
        c_start = block.content[0][0]
        c_end = max(e for _, e in block.content)
        lo, hi = _token_range(toks, c_start, c_end)
        claim(lo, hi)
        if c_end > c_start:
            spans.extend(_aligned(text, toks, lo, hi, c_start, c_end, "block", article, to_article))
    # 2. Inline quotations that match the article or the parent (not inside a block).
    if quote_marks:
        region_starts = [s for s, _ in removed]  # blocks come in text order, disjoint
        for o_start, o_end, i_start, i_end in _inline_quotes(text):
            k = bisect.bisect_left(region_starts, o_end) - 1  # last block starting before o_end
            if k >= 0 and removed[k][1] > o_start:
                continue
            lo, hi = _token_range(toks, i_start, i_end)
            if hi - lo < MIN_INLINE_TOKENS:
                continue
            run = words[lo:hi]
            in_article = all(t in to_article for t in range(lo, hi)) or article.text.find_run(run) is not None
            if in_article:
                spans.extend(_aligned(text, toks, lo, hi, i_start, i_end, "inline", article, to_article))
            elif parent is not None and parent.find_run(run) is not None:
                spans.append(QuoteSpan(i_start, i_end, "parent", None))
                quotes_parent = True
            else:
                continue
            removed.append((o_start, o_end))
            claim(lo, hi)
    # 3. Runs copied from the article; 4. runs copied from the parent.
    for lo, hi in _runs([t in to_article and not claimed[t] for t in range(n)]):
        start, end = _widen(text, toks.starts[lo], toks.ends[hi - 1])
        spans.extend(_aligned(text, toks, lo, hi, start, end, "shingle", article, to_article))
        removed.append((start, end))
        claim(lo, hi)
    if parent is not None and hashes:
        covered = [False] * n
        for i, h in enumerate(hashes):
            if h in parent.shingles:
                for k in range(SHINGLE_SIZE):
                    covered[i + k] = True
        for lo, hi in _runs([covered[t] and not claimed[t] for t in range(n)]):
            if hi - lo < 2:  # a lone token left over between claimed runs is not a quotation
                continue
            start, end = _widen(text, toks.starts[lo], toks.ends[hi - 1])
            spans.append(QuoteSpan(start, end, "parent", None))
            removed.append((start, end))
            quotes_parent = True
    spans.sort(key=lambda s: (s.start, s.end))
    quoted = _union([(s.start, s.end) for s in spans])
    return CommentQuotes(
        spans,
        tidy(_cut(text, removed)),
        share,
        sum(e - s for s, e in quoted),
        truncated or toks.truncated,
        quotes_parent,
    )


def _runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """``[lo, hi)`` of the maximal runs of True."""
    out = []
    lo = -1
    for i, flag in enumerate(flags):
        if flag and lo < 0:
            lo = i
        elif not flag and lo >= 0:
            out.append((lo, i))
            lo = -1
    if lo >= 0:
        out.append((lo, len(flags)))
    return out


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in an opening mark before and closing punctuation after a copied run (<= 3 chars)."""
    if start > 0 and text[start - 1] in QUOTE_PAIRS:
        start -= 1
    k = end
    while k < len(text) and k - end < 3 and text[k] in ".,;:!?…" + SENTENCE_CLOSERS:
        k += 1
    return start, k


def _aligned(
    text: str,
    toks: _Tokens,
    lo: int,
    hi: int,
    start: int,
    end: int,
    method: str,
    article: ArticleIndex,
    to_article: dict[int, int],
) -> list[QuoteSpan]:
    """Cut the quoted span ``[start, end)`` (tokens ``[lo, hi)``) where its article sentence changes."""
    if hi <= lo:
        return [QuoteSpan(start, end, method, None)]
    mapped = {t: to_article[t] for t in range(lo, hi) if t in to_article}
    if not mapped and hi - lo < SHINGLE_SIZE:
        j = article.text.find_run(toks.words[lo:hi])
        if j is not None:
            mapped = {lo + k: j + k for k in range(hi - lo)}
    sentence: list[int | None] = [
        article.token_sentence[mapped[t]] if t in mapped else None for t in range(lo, hi)
    ]
    if all(s is None for s in sentence):
        return [QuoteSpan(start, end, method, None)]
    # Short unaligned gaps join the sentence before them (or after, at the start).
    for a, b in _runs([s is None for s in sentence]):
        if b - a < MERGE_GAP_TOKENS:
            fill = sentence[a - 1] if a > 0 else sentence[b] if b < len(sentence) else None
            for k in range(a, b):
                sentence[k] = fill
    out: list[QuoteSpan] = []
    group_lo = 0
    for k in range(1, len(sentence) + 1):
        if k == len(sentence) or sentence[k] != sentence[group_lo]:
            s = start if group_lo == 0 else toks.starts[lo + group_lo]
            # Cut just before the next group's first token, so punctuation stays quoted.
            e = end if k == len(sentence) else toks.starts[lo + k]
            while e > s and (text[e - 1].isspace() or text[e - 1] in LINE_MARKERS):
                e -= 1
            out.append(QuoteSpan(s, e, method, sentence[group_lo]))
            group_lo = k
    return out


def _union(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        elif e > s:
            out.append((s, e))
    return out


def _cut(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` without the character ranges; a space at each cut so neighbours never fuse."""
    pieces = []
    pos = 0
    for s, e in _union(ranges):
        pieces.append(text[pos:s])
        pos = e
    pieces.append(text[pos:])
    return " ".join(pieces) if len(pieces) > 1 else text


def tidy(text: str) -> str:
    """Whitespace tidied: runs of spaces/tabs to one space, lines stripped, at most one blank line.

    Example:
        >>> tidy("  a \\t b\\r\\n\\n\\n\\n c  ")
        'a b\\n\\nc'
    """
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    joined = "\n".join(lines)
    if "\n\n\n" in joined:
        joined = _EXCESS_BLANK_LINES.sub("\n\n", joined)
    return joined.strip()


# --- The stage ----------------------------------------------------------------------------


def run_stage(ctx: StageContext) -> StageResult:
    """The ``quotes`` stage: quotes.parquet, own_texts.parquet and quotation metrics."""
    quotes, own, metrics, issues, info = compute_quotes(ctx.forest, ctx.frames.get("sentences.parquet"))
    return StageResult(
        frames={"quotes.parquet": quotes, "own_texts.parquet": own},
        metrics=metrics,
        issues=issues,
        manifest=info,
    )


def _article_sentences(sentences: pl.DataFrame | None) -> dict[str, list[tuple[int, int, int]]]:
    if sentences is None or sentences.is_empty():
        return {}
    rows = sentences.filter(pl.col("doc_id") == schemas.ARTICLE_DOC_ID).select(
        "article_id", "sent_idx", "start_char", "end_char"
    )
    out: dict[str, list[tuple[int, int, int]]] = {}
    for article_id, idx, s, e in rows.iter_rows():
        if idx is not None and s is not None and e is not None:
            out.setdefault(article_id, []).append((int(idx), int(s), int(e)))
    return out


def compute_quotes(
    forest: Forest, sentences: pl.DataFrame | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[ParseIssue], dict[str, Any]]:
    """Quotations of every visible comment with text.

    Args:
        forest: the reply forest.
        sentences: the nlp stage's ``sentences.parquet`` (article rows are used), if any.

    Returns:
        ``(quotes, own_texts, metrics, issues, manifest facts)`` with :data:`schemas.QUOTES`,
        :data:`schemas.OWN_TEXTS` and :data:`schemas.METRICS`.
    """
    comments = forest.comments
    texts_all = comments.get_column("text").to_list()
    kinds = comments.get_column("kind").to_list()
    # Only comments with text are analysed (and can serve as parents), removed ones included.
    texts: list[str | None] = [
        t if is_analysed(k, t) else None for t, k in zip(texts_all, kinds, strict=True)
    ]
    ids = comments.get_column("comment_id").to_list()
    article_ids = comments.get_column("article_id").to_list()
    paths = comments.get_column("source_path").to_list()
    lines = comments.get_column("source_line").to_list()
    parents = forest.parent_index.tolist() if len(forest.parent_index) == len(ids) else [-1] * len(ids)
    bodies = dict(zip(forest.articles.get_column("article_id").to_list(), forest.articles.get_column("body").to_list(), strict=True))
    nlp_sentences = _article_sentences(sentences)

    q_rows: dict[str, list[Any]] = {c: [] for c in schemas.QUOTES.names()}
    o_rows: dict[str, list[Any]] = {c: [] for c in schemas.OWN_TEXTS.names()}
    issues: list[ParseIssue] = []
    indexes: dict[str, ArticleIndex] = {}
    stats: dict[str, dict[str, Any]] = {}
    sentence_source = {"nlp": 0, "fallback": 0}
    # Shingle sets of comments whose replies are still to come (pre-order: a parent comes
    # before its replies); dropped after its last reply, so memory stays small.
    pending_replies = Counter(p for p, t in zip(parents, texts, strict=True) if t is not None and p >= 0)
    own_shingles: dict[int, set[int]] = {}

    def index_for(article_id: str) -> ArticleIndex:
        index = indexes.get(article_id)
        if index is None:
            indexes.clear()  # comments come grouped by article: keep one index alive
            from_nlp = nlp_sentences.get(article_id)
            index = ArticleIndex.build(bodies.get(article_id), from_nlp)
            indexes[article_id] = index
            if article_id in stats:  # rebuilt (input not grouped by article): already reported
                return index
            stats[article_id] = {**_new_stats(), "sentence_ids": index.sentence_ids}
            sentence_source["nlp" if from_nlp else "fallback"] += 1
            if not index.text.words:
                issues.append(ParseIssue(
                    "quotes-no-article-body", "article body is empty: quote_share is 0 and quotations "
                    "cannot be aligned", "info", article_id=article_id))
            if index.truncated:
                issues.append(ParseIssue(
                    "quotes-text-truncated", f"article body has more than {MAX_TOKENS} tokens; "
                    "the rest was not indexed for quotations", "warning", article_id=article_id))
        return index

    for row, text in enumerate(texts):
        if text is None:
            continue
        article_id = article_ids[row]
        article = index_for(article_id)
        parent_row = parents[row]
        parent_text = texts[parent_row] if parent_row >= 0 else None
        parent_shingles: AbstractSet[int] | None = None
        parent_index: Callable[[], TextIndex | None] | None = None
        if parent_text is not None:
            parent_shingles = own_shingles.get(parent_row)
            if parent_shingles is None:  # parent after the reply: not pre-order input
                parent_shingles = TextIndex.of_text(parent_text).shingles
            parent_index = partial(TextIndex.of_text, parent_text)
        found, shingles = _analyse(text, article, parent_shingles, parent_index)
        if pending_replies.get(row):
            own_shingles[row] = shingles
        if parent_text is not None:
            pending_replies[parent_row] -= 1
            if pending_replies[parent_row] <= 0:
                own_shingles.pop(parent_row, None)
        if found.truncated:
            issues.append(ParseIssue(
                "quotes-text-truncated", f"comment has more than {MAX_TOKENS} tokens; the rest was not "
                "searched for quotations", "warning", path=paths[row], line=lines[row],
                article_id=article_id, comment_id=ids[row]))
        for span in found.spans:
            q_rows["article_id"].append(article_id)
            q_rows["comment_id"].append(ids[row])
            q_rows["article_sent_idx"].append(span.article_sent_idx)
            q_rows["start_char"].append(span.start)
            q_rows["end_char"].append(span.end)
            q_rows["method"].append(span.method)
        o_rows["article_id"].append(article_id)
        o_rows["comment_id"].append(ids[row])
        o_rows["own_text"].append(found.own_text)
        o_rows["quote_share"].append(found.quote_share)
        o_rows["n_quoted_chars"].append(found.n_quoted_chars)
        st = stats.setdefault(article_id, _new_stats())
        st["n"] += 1
        st["share_sum"] += found.quote_share
        quoted = found.quoted_sentences
        st["n_quoting"] += bool(quoted)
        for s in quoted:
            st["per_sentence"][s] = st["per_sentence"].get(s, 0) + 1
        if parent_text is not None:
            st["n_replies"] += 1
            st["n_parent_quoting"] += found.quotes_parent

    # Threads without analysable comments still get their sentences (zeros on the heat map).
    for article_id, body in bodies.items():
        if article_id not in stats:
            from_nlp = nlp_sentences.get(article_id)
            sentence_source["nlp" if from_nlp else "fallback"] += 1
            ids_ = sorted(i for i, _, _ in from_nlp) if from_nlp else list(range(len(split_sentences(body or ""))))
            stats[article_id] = {**_new_stats(), "sentence_ids": ids_}
    quotes = schemas.check(pl.DataFrame(q_rows, schema=schemas.QUOTES), schemas.QUOTES, "quotes")
    own = schemas.check(pl.DataFrame(o_rows, schema=schemas.OWN_TEXTS), schemas.OWN_TEXTS, "own_texts")
    metrics = _metrics(own, stats)
    info = {
        "n_comments": own.height,
        "n_quote_spans": quotes.height,
        "sentence_source": sentence_source,
        "shingle_size": SHINGLE_SIZE,
    }
    return quotes, own, metrics, issues, info


def _new_stats() -> dict[str, Any]:
    return {"n": 0, "share_sum": 0.0, "n_quoting": 0, "n_replies": 0, "n_parent_quoting": 0,
            "per_sentence": {}, "sentence_ids": []}


def _metrics(own: pl.DataFrame, stats: dict[str, dict[str, Any]]) -> pl.DataFrame:
    per_comment = own.select(
        "article_id",
        scope=pl.lit("comment"),
        subject_id=pl.col("comment_id"),
        metric=pl.lit("quote_share"),
        value=pl.col("quote_share"),
    )
    rows: dict[str, list[Any]] = {c: [] for c in schemas.METRICS.names()}

    def add(article_id: str, scope: str, subject: str, metric: str, value: float | None) -> None:
        rows["article_id"].append(article_id)
        rows["scope"].append(scope)
        rows["subject_id"].append(subject)
        rows["metric"].append(metric)
        rows["value"].append(value)

    for article_id, st in stats.items():
        n, n_sent = st["n"], len(st["sentence_ids"])
        n_quoted = len(st["per_sentence"])
        add(article_id, "thread", article_id, "article_quoting_share", st["n_quoting"] / n if n else None)
        add(article_id, "thread", article_id, "mean_quote_share", st["share_sum"] / n if n else None)
        add(article_id, "thread", article_id, "parent_quoting_share",
            st["n_parent_quoting"] / st["n_replies"] if st["n_replies"] else None)
        add(article_id, "thread", article_id, "n_article_sentences", float(n_sent))
        add(article_id, "thread", article_id, "n_quoted_sentences", float(n_quoted))
        add(article_id, "thread", article_id, "quoted_sentence_share", n_quoted / n_sent if n_sent else None)
        for s in st["sentence_ids"]:
            add(article_id, "article_sentence", str(s), "n_quoting_comments", float(st["per_sentence"].get(s, 0)))
    thread = pl.DataFrame(rows, schema=schemas.METRICS)
    return schemas.check(pl.concat([per_comment, thread], how="vertical"), schemas.METRICS, "metrics")
