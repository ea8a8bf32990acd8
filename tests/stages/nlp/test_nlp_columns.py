"""The column-wise paths of the direct offline runner give what the object-wise ones gave.

The runner now hands its sentences to :func:`analyzer.stages.nlp.annotate.annotate` as lists
per sentence (starts, ends, forms, lemmas, UPOS), the regex tokenizer returns sentences
column-wise, and HanTa's tagger answers lemmas and UPOS per sentence from per-form caches
(docs/performance-language.md, section 9).  Each is compared with its object-wise
counterpart; the stage's frames on the One Million Posts dev CSV were compared in full
(identical) when the change was made.
"""

from __future__ import annotations

import random

import pytest

from analyzer.stages.nlp.fast import offline_runner
from analyzer.stages.nlp.offline import HantaTagger
from analyzer.stages.nlp.regex_tokenizer import regex_tokenizer
from tests.stages.nlp.test_fast import TEXTS
from tests.stages.nlp.test_regex_tokenizer import ENGLISH, GERMAN


def _random_lines(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    pieces = ["Das", "ist", "gut", ".", "!", "?", " ", " ", "„", "“", "Dr.", "z.B.", "3.5.2016", ":-)", "😀", "usw.", "Er", "sagt", "(", ")",
              "https://x.org/a", "@user", "#tag", "5 km", "don't", "I", "e.g.", "'so'", "--", "«", "»", "…", "1.000,5", "A"]
    return ["".join(rnd.choice(pieces) + rnd.choice(["", " "]) for _ in range(rnd.randrange(0, 25))) for _ in range(n)]


@pytest.mark.parametrize("lang, texts", [("de", GERMAN + TEXTS), ("en", ENGLISH + TEXTS)])
def test_sentence_columns_equal_sentences(lang: str, texts: list[str]) -> None:
    tokenizer = regex_tokenizer(lang)
    texts = [*texts, *_random_lines(300, seed=7)]
    columns = tokenizer.sentence_columns_many(texts)
    for text, sentences, cols in zip(texts, tokenizer.sentences_many(texts), columns, strict=True):
        expected = [([t.start for t in s], [t.end for t in s], [t.token_class for t in s], [text[t.start : t.end] for t in s]) for s in sentences]
        assert cols == expected, text


def test_tag_columns_equal_tag() -> None:
    tagger = HantaTagger("de", persist=False)
    tokenizer = regex_tokenizer("de")
    for text in [*GERMAN, *TEXTS, *_random_lines(200, seed=8)]:
        for sentence in tokenizer.sentences(text):
            forms = [text[t.start : t.end] for t in sentence]
            classes = [t.token_class for t in sentence]
            tagged = tagger.tag(forms, classes)
            for _ in range(2):  # the second answer comes from the caches
                assert tagger.tag_columns(forms, classes) == ([x[0] for x in tagged], [x[1] for x in tagged])


@pytest.mark.parametrize("tokenizer", ["regex", "somajo"])
def test_documents_read_like_stanza_documents(tokenizer: str) -> None:
    """The stanza-like view of a runner's document agrees with its columns."""
    docs = offline_runner("de", tokenizer=tokenizer)([t for t in TEXTS if t.strip()])
    assert any(doc.columns for doc in docs)
    for doc in docs:
        for sentence, (starts, ends, forms, lemmas, upos, sentiment) in zip(doc.sentences, doc.columns, strict=True):
            assert [w.text for w in sentence.words] == forms
            assert [(w.start_char, w.end_char) for w in sentence.words] == list(zip(starts, ends, strict=True))
            assert [w.lemma for w in sentence.words] == lemmas and [w.upos for w in sentence.words] == upos
            assert sentence.sentiment == sentiment
