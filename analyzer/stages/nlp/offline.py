"""Offline components and their stanza processors (no downloaded models needed).

A real stanza ``Pipeline`` runs in offline mode; only its processors are ours, registered
through stanza's documented extension API:

=============  ===================================  ==========================================
stanza name    registered as                        backed by
=============  ===================================  ==========================================
``tokenize``   variant ``somajo``                   SoMaJo (Proisl & Uhrig 2016), ``de_CMC`` /
                                                    ``en_PTB``, with character offsets
``pos``        variant ``hanta`` (OVERRIDE)         HanTa (Wartena 2019), STTS / CLAWS5 tags
                                                    mapped to UPOS (``data/tagsets.toml``);
                                                    also fills lemmas and xpos
``lemma``      variant ``hanta`` (OVERRIDE)         keeps HanTa's lemma; simplemma (Barbaresi)
                                                    where HanTa gave none
``polarity``   new processor (``register_processor``) lexicon + negation (:mod:`.lexicon`),
                                                    writes ``sentence.sentiment`` 0/1/2
=============  ===================================  ==========================================

Why a separate ``polarity`` processor and not a ``sentiment`` variant: in stanza 1.15 a
custom sentiment variant crashes (``'SentimentProcessor' object has no attribute
'_model'``); a processor of its own that fills ``sentence.sentiment`` works and leaves the
frame code identical for both modes.

Stanza is imported only inside :func:`register_processors`; the pure-Python wrappers
(:class:`SomajoTokenizer`, :class:`HantaTagger`) are usable and testable without it.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

OFFLINE_LANGUAGES: tuple[str, ...] = ("de", "en")
OFFLINE_PROCESSORS: dict[str, str] = {"tokenize": "somajo", "pos": "hanta", "lemma": "hanta", "polarity": "lexicon"}
_SOMAJO_MODEL = {"de": "de_CMC", "en": "en_PTB"}
_HANTA_MODEL = {"de": "morphmodel_ger.pgz", "en": "morphmodel_en.pgz"}
# Tokens longer than this are not shown to HanTa: its suffix analysis grows with the token
# length, and such tokens are URLs or keyboard mashing, never words.  (A 10,000-character
# URL took HanTa seconds; 64 characters covers "Donaudampfschifffahrtsgesellschaftskapitän".)
MAX_TAGGED_TOKEN = 64
# SoMaJo token classes that decide the UPOS by themselves.
_CLASS_UPOS = {
    "URL": "X",
    "email_address": "X",
    "XML_tag": "X",
    "XML_entity": "X",
    "emoticon": "SYM",
    "hashtag": "X",
    "mention": "PROPN",
    "number": "NUM",
    "amount": "NUM",
}
# Generic fallback for lines in languages without a pipeline: words or single symbols.
_FALLBACK_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_SENTENCE_END = frozenset(".!?…։。؟")
# A letter or digit: ``[^\W_]`` is exactly ``str.isalnum`` per character (re's \w is
# isalnum() or "_"), one C search instead of a generator over the characters.
_ALNUM = re.compile(r"[^\W_]")
# :meth:`HantaTagger.tag_columns_many`'s mark of a (form, class) that HanTa tags (compared by identity).
_TO_TAG: tuple[str, str] = tuple(["", ""])  # type: ignore[assignment]


class Tok(NamedTuple):
    """A token: ``text[start:end]`` and SoMaJo's token class (a named tuple: the regex
    tokenizer makes one per token, and a tuple is three times cheaper to build than a
    frozen dataclass)."""

    start: int
    end: int
    token_class: str


class SomajoTokenizer:
    """SoMaJo sentences and tokens with character offsets into the input text."""

    def __init__(self, lang: str) -> None:
        from somajo import SoMaJo

        self.lang = lang
        self._somajo = SoMaJo(_SOMAJO_MODEL[lang], split_camel_case=False, character_offsets=True)
        _speed_up_emoji_split(self._somajo._tokenizer)

    def sentences(self, text: str) -> list[list[Tok]]:
        """Sentences of ``text`` (one paragraph), each a list of tokens; empty spans dropped."""
        if not text.strip():
            return []
        out: list[list[Tok]] = []
        limit = len(text)
        for sentence in self._somajo.tokenize_text([text]):
            toks: list[Tok] = []
            for token in sentence:
                offsets = token.character_offset
                if offsets is None:
                    continue
                start, end = max(0, int(offsets[0])), min(limit, int(offsets[1]))
                if end > start and not text[start:end].isspace():
                    toks.append(Tok(start, end, token.token_class or "regular"))
            if toks:
                out.append(toks)
        return out


# Any character SoMaJo's emoji pass could split off (its own two character classes, joined).
_EMOJI_CANDIDATE = r"[\p{Extended_Pictographic}\p{Emoji_Presentation}\uFE0F]"


def _speed_up_emoji_split(tokenizer: Any) -> None:
    """Skip SoMaJo's per-grapheme emoji pass on token texts that hold no emoji character.

    SoMaJo 2.5's ``Tokenizer._split_emojis`` walks every grapheme cluster of every token
    and calls ``regex.search`` (a module-level call that looks the pattern up in regex's
    cache each time) on each one: 40 % of SoMaJo's time on the One Million Posts dev
    comments (docs/performance-language.md).  A cluster is split off only when it contains
    one of the characters of ``_EMOJI_CANDIDATE``, so a text with none of them gets no
    boundaries; one precompiled search decides that, and texts that do contain one go
    through SoMaJo's own code.  The output is therefore identical (and tested so).  The
    wrapper is set on this tokenizer instance only; SoMaJo's class is untouched.
    """
    import regex

    original = tokenizer._split_emojis
    candidate = regex.compile(_EMOJI_CANDIDATE)
    split_on_boundaries = tokenizer._split_on_boundaries

    def split_emojis(node: Any, token_class: str = "emoticon") -> None:
        if candidate.search(node.value.text) is None:
            split_on_boundaries(node, [], token_class)
        else:
            original(node, token_class)

    tokenizer._split_emojis = split_emojis


@cache
def somajo_tokenizer(lang: str) -> SomajoTokenizer:
    return SomajoTokenizer(lang)


@cache
def tag_mapping(lang: str) -> dict[str, str]:
    """HanTa tag -> UPOS for ``lang`` (``data/tagsets.toml``)."""
    text = resources.files("analyzer.stages.nlp").joinpath("data", "tagsets.toml").read_text(encoding="utf-8")
    return dict(tomllib.loads(text)[lang])


def _symbol_upos(token: str) -> str:
    """PUNCT for punctuation-only tokens, SYM for other non-word tokens (emoji, €, +)."""
    if all(unicodedata.category(ch).startswith("P") for ch in token):
        return "PUNCT"
    return "SYM"


class HantaTagger:
    """HanTa POS tags and lemmas for a tokenized sentence, with UPOS.

    HanTa is a hidden-Markov tagger with a morphological analyser; its models ship in the
    wheel.  Tokens SoMaJo already classified (URLs, emoticons, numbers) and over-long tokens
    skip HanTa's analysis.
    """

    def __init__(self, lang: str, *, persist: bool = True) -> None:
        from HanTa import HanoverTagger

        self.lang = lang
        from analyzer.stages.nlp import hanta_morph
        from analyzer.stages.nlp.hanta_fast import FastSentenceTagger, FormTable

        self._tagger = HanoverTagger.HanoverTagger(_HANTA_MODEL[lang])
        # A form no run on this machine has analysed costs HanTa a search over its segments;
        # the same search without the pairs that cannot score (:mod:`.hanta_morph`).
        hanta_morph.install(self._tagger)
        _memoise_word_analyses(self._tagger)
        # HanTa's per-form analyses kept per machine, and its Viterbi without the walk over
        # tags a word cannot have: the same tags and lemmas (:mod:`.hanta_fast`).
        self.forms = FormTable(self._tagger, _HANTA_MODEL[lang], persist=persist)
        self._fast = FastSentenceTagger(self._tagger, self.forms)
        self._upos = tag_mapping(lang)
        # Whole sentences recur in comment sections (greetings, "Danke!", quoted lines):
        # their tags are looked up, not recomputed.  Bounded so a corpus cannot grow it
        # without limit; 200,000 entries of short tuples are a few tens of MB.
        self._sentences: dict[tuple[str, ...], list[tuple[str, str, str]]] = {}
        # :meth:`tag_columns_many`'s per-(form, class) decisions (``_TO_TAG``: HanTa tags it)
        # and its per-tag UPOS.
        self._fixed: dict[tuple[str, str], tuple[str, str]] = {}
        self._upos_of_tag: dict[str, str] = {}
        self._upos_of_int: dict[int, str] = {}  # the same per HanTa's tag int

    def prefetch(self, forms: Iterable[str]) -> None:
        """Read this machine's stored analyses of ``forms`` (one query per batch, not per form)."""
        self.forms.prefetch(forms)

    def flush(self) -> None:
        """Store the per-form analyses computed since the last call for the next runs."""
        self.forms.flush()

    def tag_columns(self, words: list[str], classes: list[str]) -> tuple[list[str], list[str]]:
        """Lemmas and UPOS of one sentence's words: :meth:`tag`'s first two columns."""
        return self.tag_columns_many([(words, classes)])[0]

    def tag_columns_many(self, sentences: Sequence[tuple[list[str], list[str]]]) -> list[tuple[list[str], list[str]]]:
        """Lemmas and UPOS of each sentence's words (``(words, classes)`` pairs).

        The same decisions as :meth:`tag`, taken column-wise over all words of the call: a
        word's treatment by its token class and form is decided once per distinct
        (form, class); the words HanTa must tag, each sentence's in order, go to its Viterbi
        together (:meth:`.hanta_fast.FastSentenceTagger.tags_flat`: arrays over many
        sentences, the same tags); lemmas are looked up once per distinct (form, tag) and
        UPOS once per tag, then gathered back to the words.
        """
        if not sentences:
            return []
        lengths = [len(words) for words, _ in sentences]
        lemma_list, upos_list = self.tag_flat(
            [w for words, _ in sentences for w in words], [c for _, classes in sentences for c in classes], lengths
        )
        out: list[tuple[list[str], list[str]]] = []
        at = 0
        for size in lengths:
            out.append((lemma_list[at : at + size], upos_list[at : at + size]))
            at += size
        return out

    def tag_flat(self, forms: list[str], classes: list[str], lengths: Sequence[int]) -> tuple[list[str], list[str]]:
        """:meth:`tag_columns_many` over flat columns: the words and token classes of
        consecutive sentences of ``lengths`` words; the lemmas and UPOS, flat."""
        import numpy as np  # loaded with HanTa's arrays already (:mod:`.hanta_fast`)

        if len(forms) != len(classes) or len(forms) != sum(lengths):
            raise ValueError(f"{len(forms)} words, {len(classes)} classes and sentences of {sum(lengths)} words")
        if len(forms) > MAX_FLAT_WORDS and len(lengths) > 1:
            # A large call in slices of whole sentences: the columns held at once stay bounded.
            lemma_out: list[str] = []
            upos_out: list[str] = []
            at = words = first = 0
            for i, size in enumerate(lengths):
                if words + size > MAX_FLAT_WORDS and i > first:
                    part = self.tag_flat(forms[at : at + words], classes[at : at + words], lengths[first:i])
                    lemma_out += part[0]
                    upos_out += part[1]
                    at, words, first = at + words, 0, i
                words += size
            part = self.tag_flat(forms[at:], classes[at:], lengths[first:])
            return lemma_out + part[0], upos_out + part[1]
        fixed = self._fixed
        answers = list(map(fixed.get, zip(forms, classes, strict=True)))
        if None in answers:
            unseen = [i for i, found in enumerate(answers) if found is None]
            local = {key: self._fixed_answer(*key) or _TO_TAG for key in {(forms[i], classes[i]) for i in unseen}}
            if len(fixed) + len(local) <= _MAX_CACHED_FORMS:
                fixed.update(local)
            for i in unseen:
                answers[i] = local[(forms[i], classes[i])]
        to_tag = np.array([found is _TO_TAG for found in answers], dtype=bool)
        lemmas = np.empty(len(forms), dtype=object)
        upos = np.empty(len(forms), dtype=object)
        if not to_tag.all():
            kept = [found for found in answers if found is not _TO_TAG and found is not None]  # (none is None by now)
            lemmas[~to_tag] = [found[0] for found in kept]
            upos[~to_tag] = [found[1] for found in kept]
        if to_tag.any():
            # The words HanTa tags, each sentence's in order: sentences of their own.
            where = np.flatnonzero(to_tag)
            sentence_of = np.repeat(np.arange(len(lengths)), lengths)
            sizes = np.bincount(sentence_of[where], minlength=len(lengths))
            tag_forms = [forms[i] for i in where.tolist()]
            tags, ids = self._fast.tags_flat(tag_forms, sizes[sizes > 0].tolist())
            lemmas[where] = self._fast.lemmas_flat(tag_forms, tags, ids)
            distinct, inverse = np.unique(tags, return_inverse=True)
            names = np.empty(len(distinct), dtype=object)
            names[:] = [self._upos_of(t) for t in distinct.tolist()]
            upos[where] = names[inverse]
        return lemmas.tolist(), upos.tolist()

    def _upos_of(self, tag: int) -> str:
        """The UPOS of HanTa's tag int (``data/tagsets.toml``)."""
        found = self._upos_of_int.get(tag)
        if found is None:
            found = self._upos_of_int[tag] = self._tag_upos(self._fast.tag_name(tag))
        return found

    def _fixed_answer(self, word: str, token_class: str) -> tuple[str, str] | None:
        """``(lemma, upos)`` when the token class or the form decides them (as in :meth:`tag`), else None."""
        if token_class in _CLASS_UPOS:
            return word, _CLASS_UPOS[token_class]
        if _ALNUM.search(word) is None:
            return word, _symbol_upos(word)
        if len(word) > MAX_TAGGED_TOKEN:
            return word, "X"
        return None

    def _tag_upos(self, tag: str) -> str:
        found = self._upos_of_tag.get(tag)
        if found is None:
            found = self._upos.get(tag.replace("(", "").replace(")", ""), "X")
            self._upos_of_tag[tag] = found
        return found

    def tag(self, words: list[str], classes: list[str] | None = None) -> list[tuple[str, str, str]]:
        """``(lemma, upos, xpos)`` for each word of one sentence."""
        classes = classes or ["regular"] * len(words)
        out: list[tuple[str, str, str] | None] = [None] * len(words)
        to_tag: list[int] = []
        for i, (word, token_class) in enumerate(zip(words, classes, strict=True)):
            if token_class in _CLASS_UPOS:
                out[i] = (word, _CLASS_UPOS[token_class], token_class)
            elif not any(ch.isalnum() for ch in word):
                out[i] = (word, _symbol_upos(word), "SYM")
            elif len(word) > MAX_TAGGED_TOKEN:
                out[i] = (word, "X", "XY")
            else:
                to_tag.append(i)
        if to_tag:
            key = tuple(words[i] for i in to_tag)
            tagged = self._sentences.get(key)
            if tagged is None:
                tagged = self._fast.tag(list(key))
                if len(self._sentences) < _MAX_CACHED_SENTENCES:
                    self._sentences[key] = tagged
            for i, (_, lemma, tag) in zip(to_tag, tagged, strict=True):
                xpos = tag.replace("(", "").replace(")", "")
                out[i] = (lemma or words[i], self._upos.get(xpos, "X"), xpos)
        return [item if item is not None else (w, "X", "XY") for item, w in zip(out, words, strict=True)]


# Words per :meth:`HantaTagger.tag_flat` pass (larger calls go in slices of whole sentences):
# its columns cost ~100 bytes per word while a pass runs, so a chunk of a million-comment run
# holds tens of MB for them, not GBs; a slice is still ~20,000 sentences, the array Viterbi's.
MAX_FLAT_WORDS = 500_000
# Bound of the per-tagger sentence cache (see HantaTagger.__init__).
_MAX_CACHED_SENTENCES = 200_000
# Bound of the per-form caches of HanTa's word analyses: distinct (form, flag) pairs of the
# One Million Posts dev comments are about 60,000; a million comments stay near 10^6.
_MAX_CACHED_FORMS = 2_000_000


def _memoise_word_analyses(tagger: Any) -> None:
    """Cache HanTa's two per-word computations on this tagger instance.

    HanTa's sentence tagger spends 85 % of its time in two pure functions of a word form:
    ``_tag_word(word, cutoff, casesensitive, conditional)`` (the candidate tags of a form,
    from its suffix analysis) and ``_analyze(word, tag)`` (the lemma of a form under a tag);
    the Viterbi pass over a sentence between them is cheap.  Both depend only on their
    arguments and the loaded model (HanTa 1.2's code reads ``self`` but never writes it),
    so memoising them per form gives the very same tags and lemmas (tested against an
    unwrapped tagger) at a fraction of the cost: a form seen before costs a dict lookup.
    The callers only read the returned lists and tuples.
    """
    tag_word = tagger._tag_word
    analyze = tagger._analyze
    tag_cache: dict[tuple[str, int, bool, bool], Any] = {}
    lemma_cache: dict[tuple[str, int, int], Any] = {}

    def cached_tag_word(word: str, cutoff: int = 5, casesensitive: bool = True, conditional: bool = False) -> Any:
        key = (word, cutoff, casesensitive, conditional)
        found = tag_cache.get(key)
        if found is None:
            found = tag_word(word, cutoff, casesensitive, conditional)
            if len(tag_cache) < _MAX_CACHED_FORMS:
                tag_cache[key] = found
        return found

    def cached_analyze(word: str, pos: int, taglevel: int = 1) -> Any:
        key = (word, pos, taglevel)
        found = lemma_cache.get(key)
        if found is None:
            found = analyze(word, pos, taglevel)
            if len(lemma_cache) < _MAX_CACHED_FORMS:
                lemma_cache[key] = found
        return found

    tagger._tag_word = cached_tag_word
    tagger._analyze = cached_analyze


@cache
def hanta_tagger(lang: str) -> HantaTagger:
    return HantaTagger(lang)


def fallback_sentences(text: str) -> list[list[tuple[int, int]]]:
    """Sentences of ``text`` by a language-neutral rule (for lines in languages without a
    pipeline): tokens are ``\\w+`` runs and single symbols; a sentence ends after ``. ! ? …``
    and any closing quotes or brackets that follow it."""
    sentences: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    ended = False
    for match in _FALLBACK_TOKEN_RE.finditer(text):
        token = match.group()
        if ended and not _is_closer(token):
            sentences.append(current)
            current = []
        current.append(match.span())
        ended = token in _SENTENCE_END or (ended and _is_closer(token))
    if current:
        sentences.append(current)
    return sentences


def _is_closer(token: str) -> bool:
    return len(token) == 1 and (unicodedata.category(token) in ("Pe", "Pf") or token in "\"'“")


@cache
def _simplemma_languages() -> frozenset[str]:
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    return frozenset(SUPPORTED_LANGUAGES)


def fallback_lemma(token: str, lang: str) -> str | None:
    """simplemma's lemma of ``token`` in ``lang`` (MIT, dictionaries in the wheel), else None."""
    try:
        supported = lang in _simplemma_languages()
    except ImportError:  # simplemma moved its table: lemmas are a bonus, not a requirement
        supported = lang in {"de", "en", "ru", "uk", "fr", "es", "it", "nl", "pl", "pt", "tr", "cs", "bg"}
    if not supported or len(token) > MAX_TAGGED_TOKEN or not any(ch.isalpha() for ch in token):
        return None
    from analyzer.stages.nlp.lemma_index import lemmatizer

    # simplemma's own lemmatiser over its dictionaries indexed on disk (same lemmas as
    # ``simplemma.lemmatize``; a language costs milliseconds instead of a full decode).
    return str(lemmatizer().lemmatize(token, lang))


_REGISTERED = False


def register_processors() -> None:
    """Register the offline processors with stanza (idempotent; imports stanza)."""
    global _REGISTERED
    if _REGISTERED:
        return
    from stanza.models.common import doc as stanza_doc
    from stanza.pipeline.processor import (
        Processor,
        ProcessorVariant,
        register_processor,
        register_processor_variant,
    )
    from stanza.pipeline.registry import NAME_TO_PROCESSOR_CLASS

    from analyzer.stages.nlp.lexicon import load_lexicon

    @register_processor_variant("tokenize", "somajo")
    class SomajoTokenizeVariant(ProcessorVariant):  # type: ignore[misc]
        """Tokens and sentences from SoMaJo, offsets from its ``character_offsets``."""

        def __init__(self, config: dict[str, Any]) -> None:
            self._tokenizer = somajo_tokenizer(config["lang"])

        def process(self, document: Any) -> Any:
            text = document.text if isinstance(document, stanza_doc.Document) else document
            sentences = []
            for sentence in self._tokenizer.sentences(text):
                sentences.append(
                    [
                        {
                            stanza_doc.TEXT: text[t.start : t.end],
                            stanza_doc.MISC: f"start_char={t.start}|end_char={t.end}|TokenClass={t.token_class}",
                        }
                        for t in sentence
                    ]
                )
            return stanza_doc.Document(sentences, text)

    @register_processor_variant("pos", "hanta")
    class HantaPosVariant(ProcessorVariant):  # type: ignore[misc]
        """UPOS, xpos and lemma from HanTa (one pass gives all three)."""

        OVERRIDE = True

        def __init__(self, config: dict[str, Any]) -> None:
            self._tagger = hanta_tagger(config["lang"])

        def process(self, document: Any) -> Any:
            for sentence in document.sentences:
                words = sentence.words
                classes = [_token_class(w.parent.misc if w.parent is not None else None) for w in words]
                for word, (lemma, upos, xpos) in zip(
                    words, self._tagger.tag([w.text for w in words], classes), strict=True
                ):
                    word.upos, word.xpos, word.lemma = upos, xpos, lemma
            return document

        def bulk_process(self, docs: list[Any]) -> list[Any]:
            return [self.process(d) for d in docs]

    @register_processor_variant("lemma", "hanta")
    class HantaLemmaVariant(ProcessorVariant):  # type: ignore[misc]
        """Keeps HanTa's lemmas (set with the tags); simplemma fills any gap."""

        OVERRIDE = True

        def __init__(self, config: dict[str, Any]) -> None:
            self._lang = config["lang"]

        def process(self, document: Any) -> Any:
            for sentence in document.sentences:
                for word in sentence.words:
                    if not word.lemma:
                        word.lemma = fallback_lemma(word.text, self._lang) or word.text
            return document

        def bulk_process(self, docs: list[Any]) -> list[Any]:
            return [self.process(d) for d in docs]

    if "polarity" not in NAME_TO_PROCESSOR_CLASS:

        @register_processor("polarity")
        class PolarityProcessor(Processor):  # type: ignore[misc]
            """Sentence sentiment 0/1/2 from the polarity lexicon (see :mod:`.lexicon`)."""

            PROVIDES_DEFAULT = {"polarity"}
            REQUIRES_DEFAULT = {"tokenize", "lemma"}

            def __init__(self, config: dict[str, Any], pipeline: Any, device: Any) -> None:
                self._lexicon = load_lexicon(config["lang"])
                super().__init__(config, pipeline, device)

            def process(self, document: Any) -> Any:
                for sentence in document.sentences:
                    sentence.sentiment = self._lexicon.label([(w.text, w.lemma) for w in sentence.words])
                return document

            def bulk_process(self, docs: list[Any]) -> list[Any]:
                return [self.process(d) for d in docs]

    _REGISTERED = True


def _token_class(misc: str | None) -> str:
    if not misc:
        return "regular"
    for part in misc.split("|"):
        if part.startswith("TokenClass="):
            return part[len("TokenClass=") :]
    return "regular"
