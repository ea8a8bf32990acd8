"""The fast offline path gives the very annotations of the stanza-hosted offline pipeline.

Three speed-ups are claimed output-neutral (docs/performance-language.md): SoMaJo's emoji
pass skipped on emoji-free tokens, HanTa's per-form analyses memoised, and the direct runner
that calls the components without stanza's Document objects.  Each is compared here with the
unmodified component on texts chosen to reach the code paths involved (emoji, variation
selectors, flags, URLs, abbreviations, repeated forms, Cyrillic and English lines).
"""

from __future__ import annotations

import pytest
from polars.testing import assert_frame_equal

from analyzer.stages.nlp.annotate import DocInput, annotate, stanza_runner
from analyzer.stages.nlp.fast import offline_runner
from analyzer.stages.nlp.models import load_pipeline
from tests.conftest import SHARED

TEXTS = [
    "Das ist gut 👍🏽 und das 🇦🇹 auch! Aber ❤️ ist nicht ☺︎ genug… 👨‍👩‍👧",
    "Z.B. sagt Dr. Müller am 3.5.2016 um 14:30 Uhr, dass 5,5 % der Leute https://example.org/x?y=1 lesen.",
    "Die Regierung lügt. Die Regierung lügt nicht. Die Regierung lügt?! :-) ;)",
    "Как дела у вас сегодня, друзья мои?\nDas ist eine russische Zeile darüber.",
    "This line is written in English and it is long enough to be detected as English.\nUnd das ist deutsch.",
    "@user #hashtag ... „Zitat“ (Klammer) - Gedankenstrich – Ende.",
    "",
    "   \n  \n",
    "Danke!",
    "Danke!",
]


def _docs(texts: list[str]) -> list[DocInput]:
    return [DocInput("a", f"c{i}", t, "de") for i, t in enumerate(texts) if t.strip()]


def test_direct_runner_equals_stanza_pipeline(empty_models_dir: object) -> None:
    from analyzer.stages.nlp.models import resolve_models_dir

    docs = _docs(TEXTS)
    pipeline = load_pipeline("de", mode="offline", models_dir=resolve_models_dir())
    via_stanza = annotate(docs, {"de": stanza_runner(pipeline), "en": stanza_runner(load_pipeline("en", mode="offline", models_dir=resolve_models_dir()))})
    direct = annotate(docs, {"de": offline_runner("de"), "en": offline_runner("en")})
    assert via_stanza.tokens.height > 100
    assert_frame_equal(via_stanza.sentences, direct.sentences)
    assert_frame_equal(via_stanza.tokens, direct.tokens)
    assert via_stanza.lines_by_lang == direct.lines_by_lang


def test_emoji_shortcut_keeps_somajo_output() -> None:
    from somajo import SoMaJo

    from analyzer.stages.nlp.offline import SomajoTokenizer

    fast = SomajoTokenizer("de")
    plain = SomajoTokenizer("de")
    plain._somajo = SoMaJo("de_CMC", split_camel_case=False, character_offsets=True)  # unpatched
    for text in TEXTS:
        assert fast.sentences(text) == plain.sentences(text), text
    assert any(t.token_class == "emoticon" for s in fast.sentences(TEXTS[0]) for t in s)


def test_memoised_hanta_keeps_tags_and_lemmas() -> None:
    from HanTa import HanoverTagger

    from analyzer.stages.nlp.offline import HantaTagger, somajo_tokenizer

    fast = HantaTagger("de")
    plain = HanoverTagger.HanoverTagger("morphmodel_ger.pgz")
    tok = somajo_tokenizer("de")
    sentences = [[t[x.start : x.end] for x in s] for t in TEXTS for s in tok.sentences(t)]
    for _ in range(2):  # the second pass is served from the caches
        for words in sentences:
            wordlike = [w for w in words if any(c.isalnum() for c in w) and len(w) <= 64]
            if not wordlike:
                continue
            expected = plain.tag_sent(wordlike)
            got = fast._tagger.tag_sent(wordlike)
            assert got == expected
    assert fast.tag(["Die", "Regierung", "lügt"]) == fast.tag(["Die", "Regierung", "lügt"])


@pytest.mark.slow
@pytest.mark.shared_data
def test_direct_runner_equals_stanza_on_real_comments(empty_models_dir: object) -> None:
    """300 One Million Posts comments: the direct runner's frames equal stanza's."""
    from tests.bench.nlp_profile import OMP_CSV, omp_texts

    if not OMP_CSV.is_file():
        pytest.skip(f"{OMP_CSV} is absent (shared data folder {SHARED})")
    from analyzer.stages.nlp.models import resolve_models_dir

    docs = _docs(omp_texts(OMP_CSV, 300))
    pipeline = load_pipeline("de", mode="offline", models_dir=resolve_models_dir())
    via_stanza = annotate(docs, {"de": stanza_runner(pipeline)})
    direct = annotate(docs, {"de": offline_runner("de")})
    assert_frame_equal(via_stanza.sentences, direct.sentences)
    assert_frame_equal(via_stanza.tokens, direct.tokens)
