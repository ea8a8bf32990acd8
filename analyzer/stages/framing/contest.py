"""Contested label uses: "Aktivisten, nicht Separatisten" does not adopt "Separatisten".

Label adoption (:func:`analyzer.stages.framing.compare.label_adoption`) asks whether readers reuse a
loaded actor label of the article.  A reader who writes the label only to reject or distance
it ("keine Terroristen", "sogenannte Separatisten", „Separatisten“ in scare quotes) does the
opposite.  Such a use is *contested*: it is counted apart (``label_contested_*`` metrics) and
never as a use or an adoption.  The same test applies to the article body: an article that
writes "die sogenannten Separatisten" does not use the label either.

A label occurrence is contested when the tokens of its own sentence around it show one of:

* ``negation``: a negator right before the label ("nicht Separatisten", "keine Terroristen",
  "not terrorists"), or two tokens before with one determiner, adjective, numeral, pronoun or preposition
  between ("keine echten Terroristen", "nicht die Separatisten"), unless that word limits the
  negation ("nicht nur Terroristen", "not only terrorists" still calls them terrorists); a
  verb between negates the verb ("never support terrorists" is a use).
* ``distancing``: a distancing word right before the label, or two before with one word between
  ("sogenannte", "sog.", "angebliche", "vermeintliche", "selbsternannte", "so genannte",
  "so-called", "alleged", "self-proclaimed").
* ``scare-quotes``: the label stands between quotation marks („Separatisten“,
  "Separatisten", «Separatisten», 'separatists'), alone or opening a short quoted phrase of
  at most four tokens („Junta in Kiew“, "regime change").
* ``mention``: the label is named as a word, not used ("das Wort Terrorist", "der Begriff
  Lügenpresse", "the term terrorist").

Known misses (docs/methods-framing.md): negation after the label ("Terroristen sind das
nicht") or far before it ("weder der Palästinenser als Terrorist"), rejection in other words
("fälschlicherweise als Lügenpresse bezeichnen"), irony without markers, and quotation marks
the tokenizer glued to the word.

The cue lists are German and English together: their words do not collide ("nicht" is not
English, "not" not German), so one table serves both packaged inventories.
"""

from __future__ import annotations

import polars as pl

# Lowercased lemmas (or token texts) that negate the next noun phrase.
NEGATORS: frozenset[str] = frozenset({
    "nicht", "kein", "keine", "keiner", "keinen", "keinem", "keines", "nie", "niemals", "weder", "nirgends",
    "not", "no", "never", "neither", "nor", "non", "n't",
})
# Words after a negator that turn "not X" into "not only X" (the label is then used, not denied).
NEGATION_LIMITERS: frozenset[str] = frozenset({
    "nur", "bloß", "bloss", "allein", "lediglich", "einmal", "mal", "ausschließlich", "immer",
    "only", "just", "merely", "even", "always", "all",
})
# Prefixes of lowercased lemmas / texts that distance the next noun ("sogenannten" -> "sogenannt").
DISTANCING_PREFIXES: tuple[str, ...] = (
    "sogenannt", "sog.", "angeblich", "vermeintlich", "selbsternannt", "selbsterklärt", "selbstbezeichnet",
    "pseudo", "möchtegern", "so-called", "socalled", "alleged", "supposed", "self-proclaimed", "self-styled",
    "self-declared", "purported", "would-be",
)
DISTANCING_EXACT: frozenset[str] = frozenset({"sog"})
# "so genannte" / "so called" / "so - called" written apart: the second word, after "so".
_SO_SECOND: frozenset[str] = frozenset({"genannt", "genannte", "genannten", "call", "called"})
# Nouns that name the next word as a word ("das Wort Terrorist"): a mention, not a use.
MENTION_NOUNS: frozenset[str] = frozenset({
    "wort", "begriff", "bezeichnung", "ausdruck", "etikett", "label", "schlagwort", "kampfbegriff", "unwort",
    "word", "term", "expression",
})
OPENING_QUOTES: frozenset[str] = frozenset({"„", "“", '"', "‚", "‘", "'", "«", "»", "‹", "›", "``", "”"})
CLOSING_QUOTES: frozenset[str] = frozenset({"“", "”", '"', "‘", "’", "'", "»", "«", "›", "‹", "''"})
_PUNCT = r"^[\p{P}\p{S}]+$"
# Parts of speech of a word that may stand between a negator and the label it negates.
NOUN_PHRASE_UPOS: frozenset[str] = frozenset({"DET", "ADJ", "NUM", "PRON", "ADP"})  # ADP: "nicht als Terroristen", "nicht für faschistisch"

_KEYS = ["article_id", "doc_id", "sent_idx"]


def _distancing(key: pl.Expr) -> pl.Expr:
    starts = pl.lit(False)
    for prefix in DISTANCING_PREFIXES:
        starts = starts | key.str.starts_with(prefix)
    return starts | key.is_in(sorted(DISTANCING_EXACT))


def mark_contested(occurrences: pl.DataFrame, tokens: pl.DataFrame) -> pl.DataFrame:
    """Label occurrences with ``contested`` (bool) and ``contest_cue`` (null when not contested).

    Args:
        occurrences: :func:`analyzer.stages.framing.frames.match_patterns` rows of the label table
            (``article_id, doc_id, sent_idx, frame, pattern, start, matched``; ``frame`` is
            the label id, ``matched`` the space-separated keys of the matched tokens).
        tokens: the tokens the occurrences were matched on: ``article_id, doc_id, sent_idx,
            tok_idx, key, text``.

    Returns:
        ``occurrences`` with the two columns added, in the same order.
    """
    if occurrences.is_empty():
        return occurrences.with_columns(contested=pl.lit(False), contest_cue=pl.lit(None, dtype=pl.String))
    upos = pl.col("upos") if "upos" in tokens.columns else pl.lit(None, dtype=pl.String)
    # Only the sentences with an occurrence can be joined below: their tokens alone are
    # lower-cased and joined (a few hundred occurrences against every token of a corpus was
    # seven hash joins and a lower-casing of the whole column; the same rows come out).
    lookup = tokens.join(occurrences.select(_KEYS).unique(), on=_KEYS, how="semi").select(
        *_KEYS, pl.col("tok_idx").cast(pl.Int64), "key", pl.col("text").str.to_lowercase().alias("_t"), upos.alias("_u"))
    occ = occurrences.with_row_index("_row").with_columns(
        _start=pl.col("start").cast(pl.Int64),
        _end=pl.col("start").cast(pl.Int64) + pl.col("matched").str.count_matches(" ").cast(pl.Int64),
    )
    for name, anchor, offset in (("1", "_start", -1), ("2", "_start", -2), ("3", "_start", -3), ("n", "_end", 1),
                                 ("n2", "_end", 2), ("n3", "_end", 3), ("n4", "_end", 4)):
        shifted = lookup.rename({"key": f"_k{name}", "_t": f"_t{name}", "_u": f"_u{name}"})
        occ = occ.with_columns((pl.col(anchor) + offset).alias("tok_idx")).join(
            shifted, on=[*_KEYS, "tok_idx"], how="left", maintain_order="left"
        ).drop("tok_idx")
    k1, k2, k3 = pl.col("_k1").fill_null(""), pl.col("_k2").fill_null(""), pl.col("_k3").fill_null("")
    t1, tn = pl.col("_t1").fill_null(""), pl.col("_tn").fill_null("")
    word_between = ~k1.str.contains(_PUNCT) & (k1 != "")
    # The word between a negator and the label must belong to the label's noun phrase
    # ("keine echten Terroristen", "nicht die Separatisten"); "never support terrorists"
    # negates the verb, not the label.  Tokens without a POS tag are given the benefit.
    in_phrase = pl.col("_u1").is_null() | pl.col("_u1").is_in(sorted(NOUN_PHRASE_UPOS))
    negation = k1.is_in(sorted(NEGATORS)) | (
        k2.is_in(sorted(NEGATORS)) & word_between & in_phrase & ~k1.is_in(sorted(NEGATION_LIMITERS))
    )
    distancing = (
        _distancing(k1) | _distancing(t1)
        | (word_between & (_distancing(k2) | _distancing(pl.col("_t2").fill_null(""))))
        | (k1.is_in(sorted(_SO_SECOND)) & ((k2 == "so") | ((k2 == "-") & (k3 == "so"))))
    )
    closing = sorted(CLOSING_QUOTES)
    scare = t1.is_in(sorted(OPENING_QUOTES)) & (
        tn.is_in(closing) | pl.col("_tn2").is_in(closing) | pl.col("_tn3").is_in(closing) | pl.col("_tn4").is_in(closing)
    ).fill_null(False)
    mention = k1.is_in(sorted(MENTION_NOUNS)) | (k1.is_in(sorted(OPENING_QUOTES)) & k2.is_in(sorted(MENTION_NOUNS)))
    cue = (
        pl.when(negation).then(pl.lit("negation"))
        .when(distancing).then(pl.lit("distancing"))
        .when(scare).then(pl.lit("scare-quotes"))
        .when(mention).then(pl.lit("mention"))
    )
    return (
        occ.sort("_row")
        .with_columns(contest_cue=cue)
        .with_columns(contested=pl.col("contest_cue").is_not_null())
        .select(*occurrences.columns, "contested", "contest_cue")
    )
