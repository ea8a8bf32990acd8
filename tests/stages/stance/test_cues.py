"""Each cue family in German and English, with spans into the text; adversarial texts finish fast."""

from __future__ import annotations

import time

import pytest

from analyzer.stages.stance.cuemodel import analyse_comment
from analyzer.stages.stance.cues import LINK_HINT, QuoteBlock, find_cues
from analyzer.stages.stance.inputs import CommentInput
from analyzer.stages.stance.inventory import load_inventories, packaged

INVENTORIES = load_inventories()


def label(text: str, lang: str = "de", *, top_level: bool = False, author: str | None = None) -> str:
    item = CommentInput(1, "a", "c", -1 if top_level else 0, not top_level, 1 if top_level else 2, text, text, "text",
                        lang, author, has_link=LINK_HINT.search(text) is not None)
    return analyse_comment(item, INVENTORIES).stance_parent


def families(text: str, lang: str = "de", **kwargs: object) -> set[str]:
    inv = packaged(lang)
    assert inv is not None
    return {h.family for h in find_cues(text, inv, **kwargs).hits}  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Genau! So sieht es aus.", "de", "support"),
    ("Da gebe ich Ihnen recht.", "de", "support"),
    ("Besser kann man es nicht zusammenfassen.", "de", "support"),
    ("Exactly. Well said.", "en", "support"),
    ("I agree with you on this one.", "en", "support"),
    ("Unsinn, das ist falsch.", "de", "deny"),
    ("Das stimmt so nicht.", "de", "deny"),
    ("Nonsense, that is simply wrong.", "en", "deny"),
    ("That's a hoax, not true at all.", "en", "deny"),
    ("Wer lesen kann, ist klar im Vorteil.", "de", "deny"),
    ("Yeah right, good luck with that.", "en", "deny"),
    ("Lesen Sie mal das: https://example.org/bericht", "de", "support"),
    ("See https://example.com/report for the numbers.", "en", "support"),
    ("Woher haben Sie diese Zahlen?", "de", "query"),
    ("Where did you find that figure?", "en", "query"),
    ("Is this true? Can anyone confirm?", "en", "query"),
    ("Heute scheint die Sonne über dem Hafen.", "de", "comment"),
    ("The harbour looked lovely this morning.", "en", "comment"),
])
def test_cue_families_vote_toward_the_parent(text: str, lang: str, expected: str) -> None:
    assert label(text, lang) == expected


@pytest.mark.parametrize(("text", "lang"), [
    ("Ich bin nicht einverstanden.", "de"),
    ("Das ist nicht richtig.", "de"),
    ("I don't agree with that.", "en"),
    ("I do not agree at all.", "en"),
])
def test_negation_flips_agreement(text: str, lang: str) -> None:
    inv = packaged(lang)
    assert inv is not None
    hits = [h for h in find_cues(text, inv).hits if h.label]
    assert hits and all(h.label == "deny" for h in hits)
    assert label(text, lang) == "deny"


def test_negation_stops_at_a_clause_boundary() -> None:
    assert label("Schweigen ist keine Antwort, da gebe ich Ihnen recht.") == "support"


@pytest.mark.parametrize(("text", "lang"), [
    ("Wem nutzt es, ein Land kaputt zu machen?", "de"),
    ("Das war doch klar, oder etwa nicht?", "de"),
    ("Wie war das: Jeder Staat darf doch der Nato beitreten?", "de"),
    ("Ist das etwa Zufall?", "de"),
    ("Warum hat denn keiner nicht nachgefragt?", "de"),
    ("Who cares what they say, don't you think?", "en"),
    ("What did you expect from them?", "en"),
])
def test_rhetorical_questions_are_not_queries(text: str, lang: str) -> None:
    found = families(text, lang)
    assert "rhetorical_question" in found
    assert not found & {"wh_question", "yes_no_question", "echo_question"}
    assert label(text, lang) != "query"
    assert label(text, lang, top_level=True) == "support"  # reference page, comment F


@pytest.mark.parametrize(("text", "lang"), [
    ("Wann wurde das beschlossen?", "de"),
    ("Haben Sie die Daten selbst gesehen?", "de"),
    ("When was the law passed?", "en"),
])
def test_genuine_questions_are_queries(text: str, lang: str) -> None:
    assert families(text, lang) & {"wh_question", "yes_no_question"}
    assert label(text, lang) == "query"


def test_parenthesised_translation_is_not_the_readers_question() -> None:
    text = "Lesen Sie mal: https://example.org/x\n(Wie kann das Land ohne Hilfe existieren?)"
    assert label(text) == "support"


@pytest.mark.parametrize(("text", "lang", "block_end"), [
    ("Zitat:\n-Die Reserve war voll.\n\nAber in Wirklichkeit war sie leer.", "de", 28),
    ("Quote:\n> The reserve was full.\n\nBut it was empty.", "en", 30),
])
def test_quote_then_contrast_denies_the_quoted_article(text: str, lang: str, block_end: int) -> None:
    inv = packaged(lang)
    assert inv is not None
    masked = text[:7] + " " * (block_end - 7) + text[block_end:]
    hits = find_cues(masked, inv, quote_blocks=[QuoteBlock(7, block_end, "article")]).hits
    contrast = [h for h in hits if h.family == "quote_contrast"]
    assert contrast and contrast[0].label == "deny" and contrast[0].target == "article"


@pytest.mark.parametrize(("text", "lang", "author", "expected_family"), [
    ("Danke für die Übersetzung, Herr Falkner.", "de", "Jan Falkner", "article_support"),
    ("Der Artikel ist einseitig.", "de", None, "article_deny"),
    ("Great article, thanks for the reporting.", "en", None, "article_support"),
    ("This article is misleading clickbait.", "en", None, "article_deny"),
])
def test_article_cues(text: str, lang: str, author: str | None, expected_family: str) -> None:
    found = families(text, lang, author=author)
    assert expected_family in found


def test_author_placeholder_uses_the_surname() -> None:
    assert "article_address" in families("Herr Falkner hat recht.", author="Jan Falkner")
    assert "article_address" not in families("Herr Meier hat recht.", author="Jan Falkner")


def test_agreement_inside_an_article_sentence_counts_toward_the_article() -> None:
    inv = packaged("de")
    assert inv is not None
    hits = find_cues("Der Artikel hat völlig recht: das ist richtig.", inv).hits
    assert any(h.target == "article" and h.label == "support" for h in hits)


def test_spans_index_the_text() -> None:
    inv = packaged("de")
    assert inv is not None
    text = "Also ehrlich.  Das ist Unsinn! Wer lesen kann, ist klar im Vorteil."
    for hit in find_cues(text, inv).hits:
        assert text[hit.start : hit.end] == hit.text or hit.family.endswith("question")


def test_sentence_initial_particles_only_at_sentence_start() -> None:
    assert label("Was genau ist daran kompliziert") == "comment"
    assert label("Genau.") == "support"


@pytest.mark.parametrize("text", [
    "." * 100_000, "a" * 100_000, "http://" * 15_000, "? " * 50_000, "nicht " * 20_000, "Zitat:\n" * 20_000,
    "denn " + "x " * 50_000 + "nicht?", "wer lesen kann" * 5000,
])
def test_adversarial_texts_finish_fast(text: str) -> None:
    for lang in ("de", "en"):
        inv = packaged(lang)
        assert inv is not None
        start = time.process_time()
        find_cues(text, inv)
        assert time.process_time() - start < 2.0


@pytest.mark.parametrize("text", [
    "Hier: https://www.youtube.com/watch?v=abc123&t=10 Das ist alles schon bekannt.",
    "Siehe www.example.org/suche?q=steuer - da steht es genau so drin.",
])
def test_question_mark_inside_a_url_is_not_a_question(text: str) -> None:
    inv = packaged("de")
    assert inv is not None
    found = find_cues(text, inv)
    assert found.n_genuine_questions == found.n_echo_questions == found.n_rhetorical_questions == 0
    assert not any(h.family.endswith("question") for h in found.hits)
    assert label(text) != "query"
    # the same sentence written as a real question still asks
    asked = find_cues("Ist das hier bekannt? https://example.org/a?b=1", inv)
    assert asked.n_genuine_questions == 1


def test_urls_are_blanked_with_offsets_kept() -> None:
    from analyzer.stages.stance.cues import blank_urls

    text = "Stimmt nicht: http://x.org/a?b=1 und www.y.de/?q. Genau."
    blanked = blank_urls(text)
    assert len(blanked) == len(text)
    assert "?" not in blanked and blanked.startswith("Stimmt nicht: ") and blanked.endswith(". Genau.")
