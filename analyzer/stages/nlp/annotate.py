"""Texts in, SENTENCES and TOKENS frames out: the code both modes share.

Steps, for all documents of a run at once:

1. Each document is cut into non-blank lines, each tagged with its language
   (:func:`analyzer.stages.nlp.langid.tag_lines_many`, all documents at once).  A line is one stanza ``Document``: a sentence
   never crosses a line break, and a Russian line inside a German comment never reaches the
   German pipeline.
2. Per language with a pipeline, ALL its lines go through stanza in one call
   (``pipeline([stanza.Document([], text=t) for t in lines])``): stanza batches across
   documents, and one call per text would be many times slower.
3. Lines in languages without a pipeline get sentences and tokens from a generic rule
   (:func:`analyzer.stages.nlp.offline.fallback_sentences`), lemmas from simplemma where it knows
   the language, no POS and no sentiment.
4. One converter (:func:`_rows_from_document`) turns stanza Documents into rows, whichever
   processors filled them.  Offsets are shifted from the line back into the document.

Tokens: one row per syntactic word.  Where stanza's mwt splits a token ("zum" -> "zu" +
"dem"), both words carry the span of the written token.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from analyzer.core import defaults, schemas
from analyzer.stages.nlp.langid import UNKNOWN, tag_lines_many
from analyzer.stages.nlp.offline import fallback_lemma, fallback_sentences

# Characters of one document given to the pipelines; the rest is not analysed (and flagged).
# 100,000 characters is about 15,000 words, 30 times the longest comment on the reference
# page's site; SoMaJo takes about 0.5 s for that much adversarial text.
DEFAULT_MAX_CHARS = defaults.NLP_MAX_CHARS


@dataclass(frozen=True, slots=True)
class DocInput:
    """One text to analyse: a comment's ``text`` or an article's ``body``."""

    article_id: str
    doc_id: str
    text: str
    default_lang: str
    # True when default_lang is the text's own language (document_language of this text):
    # a one-line text's line then needs no second identification (langid.tag_lines_many).
    lang_is_own: bool = False


@dataclass(slots=True)
class Annotation:
    """The frames of :func:`annotate` and what was not analysed."""

    sentences: pl.DataFrame
    tokens: pl.DataFrame
    truncated: list[int] = field(default_factory=list)  # indexes of docs cut at max_chars
    lines_by_lang: dict[str, int] = field(default_factory=dict)
    # Per document (by index): lines per language (the annotation cache keeps them per text).
    lines_per_doc: list[dict[str, int]] = field(default_factory=list)


# A function that runs a list of texts through a language's pipeline and returns stanza
# Documents (or objects with the same .sentences/.words/.start_char API).
Runner = Callable[[Sequence[str]], Sequence[Any]]


@dataclass(slots=True)
class _Rows:
    # Sentence columns
    s_doc: list[int] = field(default_factory=list)
    s_start: list[int] = field(default_factory=list)
    s_end: list[int] = field(default_factory=list)
    s_lang: list[str] = field(default_factory=list)
    s_sentiment: list[int | None] = field(default_factory=list)
    s_text: list[str] = field(default_factory=list)
    # Token columns (t_sent = position of the token's sentence in the s_* lists)
    t_sent: list[int] = field(default_factory=list)
    t_start: list[int] = field(default_factory=list)
    t_end: list[int] = field(default_factory=list)
    t_lemma: list[str | None] = field(default_factory=list)
    t_upos: list[str | None] = field(default_factory=list)
    t_text: list[str] = field(default_factory=list)


def _rows_from_columns(rows: _Rows, columns: Any, chunk: str, doc_index: int, offset: int, lang: str) -> None:
    """The direct offline runner's column-wise sentences (:class:`analyzer.stages.nlp.fast.FastDocument`):
    the same rows as :func:`_rows_from_document`, extended list by list."""
    for starts, ends, forms, lemmas, upos, sentiment in columns:
        if not starts:
            continue
        sent_pos = len(rows.s_doc)
        rows.s_doc.append(doc_index)
        rows.s_start.append(offset + starts[0])
        rows.s_end.append(offset + ends[-1])
        rows.s_text.append(chunk[starts[0] : ends[-1]])
        rows.s_lang.append(lang)
        rows.s_sentiment.append(int(sentiment) if sentiment is not None else None)
        rows.t_sent.extend([sent_pos] * len(starts))
        rows.t_start.extend([offset + s for s in starts] if offset else starts)
        rows.t_end.extend([offset + e for e in ends] if offset else ends)
        rows.t_text.extend(forms)  # chunk[start:end], as the runner cut them
        rows.t_lemma.extend(lemmas)
        rows.t_upos.extend(upos)


def _rows_from_document(rows: _Rows, document: Any, chunk: str, doc_index: int, offset: int, lang: str) -> None:
    columns = getattr(document, "columns", None)
    if columns is not None:
        _rows_from_columns(rows, columns, chunk, doc_index, offset, lang)
        return
    for sentence in document.sentences:
        words = sentence.words
        if not words:
            continue
        sent_pos = len(rows.s_doc)
        first, last = sentence.tokens[0], sentence.tokens[-1]
        rows.s_doc.append(doc_index)
        rows.s_start.append(offset + first.start_char)
        rows.s_end.append(offset + last.end_char)
        rows.s_text.append(chunk[first.start_char : last.end_char])
        rows.s_lang.append(lang)
        sentiment = getattr(sentence, "sentiment", None)
        rows.s_sentiment.append(int(sentiment) if sentiment is not None else None)
        for word in words:
            # Words of a multi-word token have no offsets of their own: use the token's.
            start = word.start_char if word.start_char is not None else word.parent.start_char
            end = word.end_char if word.end_char is not None else word.parent.end_char
            rows.t_sent.append(sent_pos)
            rows.t_start.append(offset + start)
            rows.t_end.append(offset + end)
            # The written form (not word.text): offsets and text must agree, and for mwt
            # words the written token is what the offsets point at.
            rows.t_text.append(chunk[start:end])
            rows.t_lemma.append(word.lemma)
            rows.t_upos.append(word.upos)


def _rows_from_fallback(rows: _Rows, text: str, doc_index: int, offset: int, lang: str) -> None:
    for sentence in fallback_sentences(text):
        sent_pos = len(rows.s_doc)
        rows.s_doc.append(doc_index)
        rows.s_start.append(offset + sentence[0][0])
        rows.s_end.append(offset + sentence[-1][1])
        rows.s_text.append(text[sentence[0][0] : sentence[-1][1]])
        rows.s_lang.append(lang)
        rows.s_sentiment.append(None)
        for start, end in sentence:
            rows.t_sent.append(sent_pos)
            rows.t_start.append(offset + start)
            rows.t_end.append(offset + end)
            rows.t_text.append(text[start:end])
            rows.t_lemma.append(fallback_lemma(text[start:end], lang))
            rows.t_upos.append(None)


def annotate(
    docs: Sequence[DocInput],
    runners: Mapping[str, Runner],
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Annotation:
    """Sentences and tokens of ``docs``.

    Args:
        docs: the texts, each with the language its short lines inherit.
        runners: per language, a function running a list of texts through its pipeline.
            Lines in other languages use the generic fallback.
        max_chars: characters per document analysed; longer documents are cut (their
            indexes are returned in ``truncated``).

    Returns:
        An :class:`Annotation` with frames that follow ``schemas.SENTENCES`` and
        ``schemas.TOKENS``, sorted by document (input order), sentence and token.
    """
    rows = _Rows()
    truncated: list[int] = []
    per_lang: dict[str, list[tuple[int, int, str]]] = {}
    fallback: list[tuple[int, int, str, str]] = []
    lines_by_lang: dict[str, int] = {}
    lines_per_doc: list[dict[str, int]] = []
    texts: list[str] = []
    for index, doc in enumerate(docs):
        if len(doc.text) > max_chars:
            truncated.append(index)
        texts.append(doc.text[:max_chars])
    # Every line of every document tagged in one call (the same tags as tag_lines per text).
    tagged = tag_lines_many(
        texts, [doc.default_lang or UNKNOWN for doc in docs],
        own=[doc.lang_is_own and bool(doc.default_lang) and len(doc.text) <= max_chars for doc in docs],
    )
    for index, (text, doc_lines) in enumerate(zip(texts, tagged, strict=True)):
        own: dict[str, int] = {}
        lines_per_doc.append(own)
        for line in doc_lines:
            chunk = text[line.start : line.end]
            lines_by_lang[line.lang] = lines_by_lang.get(line.lang, 0) + 1
            own[line.lang] = own.get(line.lang, 0) + 1
            if line.lang in runners:
                per_lang.setdefault(line.lang, []).append((index, line.start, chunk))
            else:
                fallback.append((index, line.start, chunk, line.lang))
    for lang, items in per_lang.items():
        documents = runners[lang]([chunk for _, _, chunk in items])
        for (index, offset, chunk), document in zip(items, documents, strict=True):
            _rows_from_document(rows, document, chunk, index, offset, lang)
    for index, offset, chunk, lang in fallback:
        _rows_from_fallback(rows, chunk, index, offset, lang)
    sentences, tokens = _frames(rows, docs)
    return Annotation(sentences, tokens, truncated, lines_by_lang, lines_per_doc)


def _frames(rows: _Rows, docs: Sequence[DocInput]) -> tuple[pl.DataFrame, pl.DataFrame]:
    article_ids = pl.Series("article_id", [d.article_id for d in docs], dtype=pl.String)
    doc_ids = pl.Series("doc_id", [d.doc_id for d in docs], dtype=pl.String)
    sent = pl.DataFrame(
        {
            "_doc": pl.Series(rows.s_doc, dtype=pl.Int64),
            "start_char": pl.Series(rows.s_start, dtype=pl.Int64),
            "end_char": pl.Series(rows.s_end, dtype=pl.Int64),
            "lang": pl.Series(rows.s_lang, dtype=pl.String),
            "sentiment": pl.Series(rows.s_sentiment, dtype=pl.Int8),
            "text": pl.Series(rows.s_text, dtype=pl.String),
        }
    ).with_row_index("_sent")
    # Sentences were produced language by language: order them by position in the document.
    sent = sent.sort("_doc", "start_char", "_sent").with_columns(
        sent_idx=pl.int_range(pl.len(), dtype=pl.Int32).over("_doc")
    )
    sent = sent.with_columns(article_id=article_ids.gather(sent["_doc"]), doc_id=doc_ids.gather(sent["_doc"]))
    tok = pl.DataFrame(
        {
            "_sent": pl.Series(rows.t_sent, dtype=pl.UInt32),
            "start_char": pl.Series(rows.t_start, dtype=pl.Int64),
            "end_char": pl.Series(rows.t_end, dtype=pl.Int64),
            "lemma": pl.Series(rows.t_lemma, dtype=pl.String),
            "upos": pl.Series(rows.t_upos, dtype=pl.String),
            "text": pl.Series(rows.t_text, dtype=pl.String),
        }
    ).with_row_index("_tok")
    tok = (
        tok.join(sent.select("_sent", "_doc", "sent_idx", "article_id", "doc_id"), on="_sent", how="left")
        .sort("_doc", "sent_idx", "_tok")
        .with_columns(tok_idx=pl.int_range(pl.len(), dtype=pl.Int32).over("_doc", "sent_idx"))
    )
    sentences = schemas.check(schemas.conform(sent, schemas.SENTENCES), schemas.SENTENCES, "sentences")
    tokens = schemas.check(schemas.conform(tok, schemas.TOKENS), schemas.TOKENS, "tokens")
    return sentences, tokens


# Documents per stanza call.  Stanza batches across the documents of one call (by length,
# up to each processor's batch size), so a call needs many documents to fill its batches
# (a GPU especially); but a call's Document objects all live until it returns, and at a
# million comments one call would hold them all.  5,000 lines fill stanza's default batches
# many times over and keep a call's objects in the tens of MB.
STANZA_CALL_DOCS = 5_000


def stanza_runner(pipeline: Any, *, call_docs: int = STANZA_CALL_DOCS) -> Runner:
    """A :data:`Runner` that feeds texts to ``pipeline`` as lists of Documents, many per call."""

    def run(texts: Sequence[str]) -> Sequence[Any]:
        import stanza

        out: list[Any] = []
        for start in range(0, len(texts), call_docs):
            out.extend(pipeline([stanza.Document([], text=t) for t in texts[start : start + call_docs]]))
        return out

    return run
