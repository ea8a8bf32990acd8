"""Contested label uses (analyzer/stages/framing/contest.py): negation, distancing, scare quotes."""

from __future__ import annotations

import polars as pl
import pytest

from analyzer.stages.framing.contest import mark_contested
from analyzer.stages.framing.frames import match_patterns, token_keys
from analyzer.stages.framing.inventory import label_table, load_packaged


def _tokens(sentences: list[list[str]], lemmas: dict[str, str] | None = None,
            pos: dict[str, str] | None = None) -> pl.DataFrame:
    """One comment per sentence; lemma = the given lemma, else the lowercased word; POS if given."""
    lemmas, pos = lemmas or {}, pos or {}
    rows = []
    for d, words in enumerate(sentences):
        for k, word in enumerate(words):
            rows.append(("t", f"c{d}", 0, k, word, lemmas.get(word, word.lower()), pos.get(word)))
    frame = pl.DataFrame(rows, schema={"article_id": pl.String, "doc_id": pl.String, "sent_idx": pl.Int32,
                                       "tok_idx": pl.Int32, "text": pl.String, "lemma": pl.String, "upos": pl.String},
                         orient="row")
    return token_keys(frame).with_columns(quoted=pl.lit(False))


GERMAN = {
    "Separatisten": "separatist", "Terroristen": "terrorist", "sogenannten": "sogenannt", "sogenannte": "sogenannt",
    "keine": "kein", "angeblichen": "angeblich", "vermeintlichen": "vermeintlich", "genannten": "genannt",
    "echten": "echt", "selbsternannten": "selbsternannt", "Kampfbegriffe": "kampfbegriff", "Junta": "junta",
}

CASES: list[tuple[list[str], str | None]] = [
    # contested
    (["Das", "sind", "Aktivisten", ",", "nicht", "Separatisten", "."], "negation"),
    (["Die", "sogenannten", "Separatisten", "kamen"], "distancing"),
    (["Die", "„", "Separatisten", "“", "kamen"], "scare-quotes"),
    (["Das", "sind", "keine", "Terroristen"], "negation"),
    (["Die", "sog.", "Terroristen"], "distancing"),
    (["Die", "so", "genannten", "Separatisten"], "distancing"),
    (["die", "angeblichen", "Terroristen"], "distancing"),
    (["keine", "echten", "Terroristen"], "negation"),
    (["die", "selbsternannten", "Separatisten"], "distancing"),
    (["Er", "nannte", "sie", "«", "Terroristen", "»"], "scare-quotes"),
    (["They", "are", "not", "terrorists"], "negation"),
    (["the", "so", "-", "called", "separatists"], "distancing"),
    (["the", "alleged", "terrorists"], "distancing"),
    (["the", '"', "separatists", '"', "said"], "scare-quotes"),
    (["die", "Kampfbegriffe", '"', "Junta", "in", "Kiew", '"'], "scare-quotes"),  # a short quoted phrase
    (["kein", '"', "regime", "change", '"'], "scare-quotes"),
    (["das", "Wort", "Terrorist", "darf", "man"], "mention"),
    (["der", "Begriff", "„", "Separatisten", "“"], "scare-quotes"),
    (["the", "term", "terrorist", "is", "loaded"], "mention"),
    # uses (adoption)
    (["Die", "Separatisten", "griffen", "an"], None),
    (["nicht", "nur", "Terroristen", "sondern", "auch"], None),
    (["not", "only", "terrorists"], None),
    (["Nicht", ",", "dass", "Terroristen", "kamen"], None),  # the negator is two tokens away, across a comma
    (["Die", "Terroristen", "nicht", "."], None),  # negation after the label: a known miss, stays a use
    (["„", "Die", "Terroristen", "kamen", "“"], None),  # a quoted sentence, not scare quotes around the label
    (["Separatisten", "sind", "das"], None),
    (["Islam", "does", "never", "support", "terrorists"], None),  # the negator belongs to the verb
    (["Wir", "nie", "unterstützen", "Terroristen"], None),
    (['"', "Terroristen", "greifen", "an", "und", "töten", "viele", '"'], None),  # a long quotation: reported speech, kept
    (["ein", "Wortspiel", "mit", "Terroristen"], None),
]


# Parts of speech where the rule needs them (the word between a negator and the label).
POS = {"echten": "ADJ", "support": "VERB", "unterstützen": "VERB", "die": "DET", "the": "DET"}


def _cues(language: str) -> list[str | None]:
    inventory = load_packaged(language)
    tokens = _tokens([words for words, _ in CASES], GERMAN | {"terrorists": "terrorist", "separatists": "separatist"}, POS)
    occ = match_patterns(tokens, label_table(inventory))
    marked = mark_contested(occ, tokens)
    cue = dict(zip(marked["doc_id"].to_list(), marked["contest_cue"].to_list(), strict=True))
    assert marked["contested"].to_list() == [c is not None for c in marked["contest_cue"].to_list()]
    return [cue.get(f"c{i}", "NO MATCH") for i in range(len(CASES))]


@pytest.mark.parametrize("language", ["de", "en"])
def test_contest_cues_on_written_cases(language: str) -> None:
    got = _cues(language)
    expected = [cue for _, cue in CASES]
    # Both packaged inventories carry "terrorist*" and "separatist*"; every case matches once.
    assert "NO MATCH" not in got
    wrong = [(" ".join(CASES[i][0]), e, g) for i, (e, g) in enumerate(zip(expected, got, strict=True)) if e != g]
    assert not wrong, wrong


def test_no_occurrences_gives_empty_columns() -> None:
    tokens = _tokens([["nichts", "hier"]])
    occ = match_patterns(tokens, label_table(load_packaged("de")))
    marked = mark_contested(occ, tokens)
    assert marked.is_empty() and {"contested", "contest_cue"} <= set(marked.columns)


def test_only_the_sentences_with_an_occurrence_are_read() -> None:
    """Tokens of other sentences (the rest of a corpus) change nothing: the lookup keeps the
    occurrences' sentences only, and a label in two sentences of one comment is read in each."""
    inventory = load_packaged("de")
    cases = [words for words, _ in CASES]
    filler = [["Ganz", "andere", "Wörter", "ohne", "Etikett", str(i)] for i in range(300)]
    tokens = _tokens(cases, GERMAN, POS)
    crowd = _tokens(filler + cases + filler, GERMAN, POS)
    # two sentences in one comment, both with a label: the second "nicht" must not reach the first
    two = pl.concat([tokens.filter(pl.col("doc_id") == "c0"),
                     tokens.filter(pl.col("doc_id") == "c19").with_columns(doc_id=pl.lit("c0"), sent_idx=pl.lit(1, pl.Int32))])
    for frame in (tokens, crowd, two):
        occ = match_patterns(frame, label_table(inventory))
        marked = mark_contested(occ, frame)
        by_sentence = dict(zip(zip(marked["doc_id"], marked["sent_idx"], strict=True), marked["contest_cue"], strict=True))
        if frame is two:
            assert by_sentence == {("c0", 0): "negation", ("c0", 1): None}
        else:
            offset = 300 if frame is crowd else 0
            expected = {(f"c{i + offset}", 0): cue for i, (_, cue) in enumerate(CASES)}
            assert by_sentence == expected
