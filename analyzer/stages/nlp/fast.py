"""The offline pipeline without stanza's per-document objects: same components, same output.

Stanza's ``Pipeline`` is a good host for the offline processors (it is what users of the
stanza mode get, and its processor API is how ours plug in; :mod:`analyzer.stages.nlp.offline`),
but for the offline mode it adds nothing to the annotation itself: each processor reads and
writes stanza ``Document``/``Sentence``/``Word`` objects, built per line from dicts and
CoNLL-U style ``misc`` strings.  :func:`offline_runner` calls the very same components in
the same order (SoMaJo tokens and sentences, HanTa tags and lemmas, simplemma for lemma
gaps, the polarity lexicon) and returns light objects with the attributes
:func:`analyzer.stages.nlp.annotate._rows_from_document` reads, so the frames are built by the
same converter.  ``tests/stages/nlp/test_fast.py`` checks that both give equal frames on real
comments; the stage uses this runner unless ``nlp_offline_runner = "stanza"`` is set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from analyzer.stages.nlp.annotate import Runner


@dataclass(slots=True)
class FastToken:
    """A written token: its span in the line."""

    start_char: int
    end_char: int


@dataclass(slots=True)
class FastWord:
    """A word with its span, lemma and UPOS (offline: one word per token)."""

    text: str
    start_char: int
    end_char: int
    lemma: str
    upos: str
    parent: FastToken | None = None


@dataclass(slots=True)
class FastSentence:
    """A sentence: its tokens, its words and the polarity label (0/1/2)."""

    tokens: list[FastToken]
    words: list[FastWord]
    sentiment: int | None = None


# One sentence, column-wise: (token starts, token ends, written forms, lemmas, UPOS, polarity label).
SentenceColumns = tuple[list[int], list[int], list[str], list[str], list[str], int]


@dataclass(slots=True)
class FastDocument:
    """One line's sentences, held column-wise (lists per sentence, no object per token).

    :func:`analyzer.stages.nlp.annotate.annotate` reads :attr:`columns` directly; the
    stanza-like :attr:`sentences` (objects per sentence, token and word) are built on
    demand for callers that walk a document the way they walk a stanza ``Document``.
    """

    columns: list[SentenceColumns] = field(default_factory=list)

    @property
    def sentences(self) -> list[FastSentence]:
        out: list[FastSentence] = []
        for starts, ends, forms, lemmas, upos, sentiment in self.columns:
            tokens = [FastToken(s, e) for s, e in zip(starts, ends, strict=True)]
            words = [
                FastWord(form, t.start_char, t.end_char, lemma, tag, t)
                for form, t, lemma, tag in zip(forms, tokens, lemmas, upos, strict=True)
            ]
            out.append(FastSentence(tokens, words, sentiment))
        return out


def offline_runner(lang: str, *, tokenizer: str = "somajo") -> Runner:
    """A :data:`~analyzer.stages.nlp.annotate.Runner` for ``lang`` that calls the offline components
    directly (components load on the first call, once per process).

    ``tokenizer``: ``"somajo"`` (SoMaJo, what the stanza-hosted pipeline uses: equal frames)
    or ``"regex"`` (:mod:`analyzer.stages.nlp.regex_tokenizer`, the stage's default: one pass of
    each expression over all texts of the call, agreement with SoMaJo measured in
    docs/performance-language.md).  HanTa reads the machine's stored per-form analyses of
    the call's forms once (:mod:`analyzer.stages.nlp.hanta_fast`) and stores the new ones.
    """
    from analyzer.stages.nlp.lexicon import load_lexicon
    from analyzer.stages.nlp.offline import fallback_lemma, hanta_tagger, somajo_tokenizer
    from analyzer.stages.nlp.regex_tokenizer import regex_tokenizer

    def run(texts: Sequence[str]) -> list[FastDocument]:
        tagger, lexicon = hanta_tagger(lang), load_lexicon(lang)
        # Per text, per sentence: token starts, ends, classes and written forms.
        split: list[list[tuple[list[int], list[int], list[str], list[str]]]]
        if tokenizer == "regex":
            split = regex_tokenizer(lang).sentence_columns_many(list(texts))
        else:
            somajo = somajo_tokenizer(lang)
            split = [
                [([t.start for t in toks], [t.end for t in toks], [t.token_class for t in toks], [text[t.start : t.end] for t in toks])
                 for toks in somajo.sentences(text)]
                for text in texts
            ]
        # All words of the call as flat columns (sentence after sentence).
        sentences = [sentence for per_text in split for sentence in per_text]
        lengths = [len(sentence[3]) for sentence in sentences]
        forms = [form for sentence in sentences for form in sentence[3]]
        # The machine's HanTa analyses of the call's distinct forms, read at once.
        tagger.prefetch(set(forms))
        # Every sentence of the call tagged at once (HanTa's Viterbi as arrays over many).
        lemmas, upos = tagger.tag_flat(forms, [c for sentence in sentences for c in sentence[2]], lengths)
        if not all(lemmas):  # the stanza lemma processor's rule: simplemma only where HanTa gave none
            lemmas = [lemma or fallback_lemma(form, lang) or form for form, lemma in zip(forms, lemmas, strict=True)]
        labels = lexicon.label_many(forms, lemmas, lengths)
        out: list[FastDocument] = []
        at = 0
        done = iter(zip(lengths, labels, strict=True))
        for per_text in split:
            document = FastDocument()
            for starts, ends, _classes, sentence_forms in per_text:
                size, sentiment = next(done)
                document.columns.append((starts, ends, sentence_forms, lemmas[at : at + size], upos[at : at + size], sentiment))
                at += size
            out.append(document)
        tagger.flush()
        return out

    return run
