"""What the stance models read about each visible comment, gathered from the run's frames.

One :class:`CommentInput` per visible comment (kind "comment" with non-blank text), in the
forest's row order (articles in input order, comments in pre-order, so a parent always
comes before its replies).  Own text: the comment's ``text`` with the quoted spans of
``quotes.parquet`` blanked out (same length, so cue spans index the comment's text); when
only ``own_texts.parquet`` is there, its ``own_text`` (spans then index the own text, and
the evidence says so); with neither, the text itself.

Similarity to the parent and to the article: cosine of content-lemma counts (lemmas of
``tokens.parquet``, NOUN/PROPN/VERB/ADJ, quoted tokens left out), else of lowercased word
tokens of four or more letters.  Language: the comment's sentences (``sentences.parquet``,
weighted by length), else the article's language, else py3langid on the text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from analyzer.core import schemas
from analyzer.core.textkinds import is_analysed
from analyzer.stages.stance.cues import LINK_HINT, QuoteBlock
from analyzer.tree.forest import Forest

CONTENT_UPOS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
# Characters of a text (article or comment) turned into a similarity vector.
MAX_SIMILARITY_CHARS = 50_000
_WORD = re.compile(r"[^\W\d_]{4,40}")


@dataclass(slots=True)
class CommentInput:
    """One visible comment, ready for the cue model and the feature extractor."""

    row: int  # row in forest.comments
    article_id: str
    comment_id: str
    parent_row: int  # -1 = the article
    parent_visible: bool  # the parent is a visible comment with text (not a ghost or placeholder)
    depth: int
    text: str
    own: str  # own text (quotations blanked where spans are known)
    span_base: str  # "text" | "own_text": what evidence spans index
    lang: str
    author: str | None  # the article's author
    quote_blocks: list[QuoteBlock] = field(default_factory=list)
    quote_share: float = 0.0
    has_link: bool = False
    sim_parent: float | None = None
    sim_article: float | None = None

    @property
    def top_level(self) -> bool:
        return self.parent_row < 0


_NO_LEMMAS: tuple[list[int], list[str]] = ([], [])


def _vector(words: list[str]) -> Counter[str]:
    return Counter(words)


def cosine(a: Counter[str], b: Counter[str]) -> float | None:
    """Cosine of two count vectors; None when either is empty."""
    if not a or not b:
        return None
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else None


def fallback_words(text: str) -> list[str]:
    """Lowercased words of four or more letters (similarity without lemmas)."""
    return [w.lower() for w in _WORD.findall(text[:MAX_SIMILARITY_CHARS])]


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` replaced by spaces (newlines kept, so sentences stay apart)."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(max(0, start), min(len(chars), end)):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _doc_lemmas(tokens: pl.DataFrame | None) -> dict[tuple[str, str], tuple[list[int], list[str]]]:
    """Start offsets and lower-cased lemmas of each document's content words, in token order.

    Built as two lists per document by polars (group in order of first appearance), not as a
    tuple per token in Python: the same values, a few hundred thousand fewer objects.
    """
    if tokens is None or tokens.is_empty():
        return {}
    grouped = (
        tokens.filter(pl.col("upos").is_in(list(CONTENT_UPOS)) & pl.col("lemma").is_not_null())
        .select("article_id", "doc_id", pl.col("start_char").fill_null(0).cast(pl.Int64), pl.col("lemma").str.to_lowercase())
        .group_by("article_id", "doc_id", maintain_order=True)
        .agg("start_char", "lemma")
    )
    return {(a, d): (starts, lemmas) for a, d, starts, lemmas in grouped.iter_rows()}


def _doc_languages(sentences: pl.DataFrame | None) -> dict[tuple[str, str], str]:
    if sentences is None or sentences.is_empty():
        return {}
    weighted = (
        sentences.filter(pl.col("lang").is_not_null() & (pl.col("lang") != "und"))
        .with_columns((pl.col("end_char") - pl.col("start_char")).clip(lower_bound=1).alias("n"))
        .group_by("article_id", "doc_id", "lang")
        .agg(pl.col("n").sum())
        .sort("article_id", "doc_id", "n", "lang", descending=[False, False, True, False])
        .unique(subset=["article_id", "doc_id"], keep="first", maintain_order=True)
    )
    return {(a, d): lang for a, d, lang, _ in weighted.iter_rows()}


def build_inputs(forest: Forest, frames: Mapping[str, pl.DataFrame]) -> list[CommentInput]:
    """One :class:`CommentInput` per visible comment of the forest.

    Args:
        forest: the reply forest.
        frames: earlier stages' frames by file name (``own_texts``, ``quotes``, ``links``,
            ``tokens``, ``sentences`` are used when present).
    """
    comments = forest.comments
    if comments.is_empty():
        return []
    ids = comments.get_column("comment_id").to_list()
    article_ids = comments.get_column("article_id").to_list()
    texts = comments.get_column("text").to_list()
    kinds = comments.get_column("kind").to_list()
    depths = comments.get_column("depth").to_list()
    parents = forest.parent_index.tolist() if len(forest.parent_index) == len(ids) else _parents_by_id(comments)
    # Removed comments that kept their text are read too (analyzer.core.textkinds).
    visible = [is_analysed(k, t) for k, t in zip(kinds, texts, strict=True)]
    articles = forest.articles
    author_of = dict(zip(articles.get_column("article_id").to_list(), articles.get_column("author").to_list(), strict=True))
    lang_of_article = dict(
        zip(articles.get_column("article_id").to_list(), articles.get_column("language").to_list(), strict=True)
    )
    body_of = dict(zip(articles.get_column("article_id").to_list(), articles.get_column("body").to_list(), strict=True))

    quotes = frames.get("quotes.parquet")
    own_texts = frames.get("own_texts.parquet")
    spans: dict[tuple[str, str], list[tuple[int, int, str, bool]]] = {}
    if quotes is not None and not quotes.is_empty():
        for a, c, sent, s, e, method in quotes.select(
            "article_id", "comment_id", "article_sent_idx", "start_char", "end_char", "method"
        ).iter_rows():
            if s is not None and e is not None:
                spans.setdefault((a, c), []).append((int(s), int(e), str(method), sent is not None))
    own_of: dict[tuple[str, str], str] = {}
    share_of: dict[tuple[str, str], float] = {}
    if own_texts is not None and not own_texts.is_empty():
        for a, c, own, share in own_texts.select("article_id", "comment_id", "own_text", "quote_share").iter_rows():
            own_of[(a, c)] = own or ""
            share_of[(a, c)] = float(share or 0.0)
    links = frames.get("links.parquet")
    linked: set[tuple[str, str]] | None = None
    if links is not None:
        linked = {
            (a, c) for a, c in links.filter(~pl.col("in_quote").fill_null(False)).select("article_id", "comment_id").iter_rows()
            if c is not None
        }
    lemmas = _doc_lemmas(frames.get("tokens.parquet"))
    languages = _doc_languages(frames.get("sentences.parquet"))

    article_vectors: dict[str, Counter[str]] = {}
    vectors: dict[int, Counter[str]] = {}
    out: list[CommentInput] = []
    for row, cid in enumerate(ids):
        if not visible[row]:
            continue
        aid = article_ids[row]
        key = (aid, cid)
        text = texts[row]
        comment_spans = spans.get(key, [])
        if comment_spans:
            own, base = mask(text, [(s, e) for s, e, _, _ in comment_spans]), "text"
        elif quotes is None and key in own_of:
            own, base = own_of[key], "own_text"
        else:
            own, base = text, "text"
        blocks = [QuoteBlock(s, e, "article" if aligned else "parent") for s, e, m, aligned in comment_spans if m == "block"]
        has_link = (key in linked) if linked is not None else LINK_HINT.search(own[:20_000]) is not None
        if lemmas:
            starts, doc_lemmas = lemmas.get(key, _NO_LEMMAS)
            if comment_spans:  # lemmas inside a quotation are the quoted author's
                masked_ranges = [(s, e) for s, e, _, _ in comment_spans]
                words = [w for start, w in zip(starts, doc_lemmas, strict=True)
                         if not any(s <= start < e for s, e in masked_ranges)]
            else:
                words = doc_lemmas
        else:
            words = fallback_words(own)
        vectors[row] = _vector(words)
        if aid not in article_vectors:
            if lemmas:
                article_vectors[aid] = _vector(lemmas.get((aid, schemas.ARTICLE_DOC_ID), _NO_LEMMAS)[1])
            else:
                article_vectors[aid] = _vector(fallback_words(body_of.get(aid) or ""))
        parent = parents[row]
        parent_visible = parent >= 0 and visible[parent]
        lang = languages.get(key) or _language(own, lang_of_article.get(aid))
        out.append(
            CommentInput(
                row=row, article_id=aid, comment_id=cid, parent_row=parent, parent_visible=parent_visible,
                depth=int(depths[row] or 1), text=text, own=own, span_base=base, lang=lang, author=author_of.get(aid),
                quote_blocks=blocks, quote_share=share_of.get(key, 0.0), has_link=has_link,
                sim_parent=cosine(vectors[row], vectors[parent]) if parent_visible and parent in vectors else None,
                sim_article=cosine(vectors[row], article_vectors[aid]),
            )
        )
        # Vectors are kept for replies still to come; memory is one Counter per comment.
    return out


def _parents_by_id(comments: pl.DataFrame) -> list[int]:
    index = {(a, c): i for i, (a, c) in enumerate(comments.select("article_id", "comment_id").iter_rows())}
    return [
        index.get((a, p), -1) if p is not None else -1
        for a, p in comments.select("article_id", "parent_id").iter_rows()
    ]


def _language(text: str, article_language: str | None) -> str:
    """The article's language when known, else py3langid on the text (``und`` when unsure)."""
    if article_language:
        return str(article_language)
    from analyzer.stages.nlp.langid import document_language  # light: py3langid loads on first use

    return document_language(text[:5_000], default="und")
