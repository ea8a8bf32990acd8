"""One walk over a comment's words finds its cues and its disagreement-list matches together.

The cue model (``find_cues``) and the reply features (``reply_features``) both match word lists
over the same blanked own text.  With ``companion`` the lists' patterns are matched in the cue
model's walk; the reply features then take those matches instead of walking again.  Everything
must be exactly what the two walks gave apart.
"""

from __future__ import annotations

import random

from analyzer.stages.stance import stage
from analyzer.stages.stance.cues import blank_urls, find_cues
from analyzer.stages.stance.disagreement import (
    MAX_CHARS,
    companion,
    packaged_lists,
    reply_features,
    reply_hits,
)
from analyzer.stages.stance.inputs import CommentInput
from analyzer.stages.stance.inventory import load_inventories

DE = packaged_lists("de")
INVENTORIES = load_inventories()


def _texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = ["aber", "doch", "nein", "Ja", "Sie", "du", "Warum", "wieso", "nicht", "genau", "stimmt", "eben", "Unsinn",
             "trotzdem", "zwar", "?", "!", ".", "…", "\n", "„", "“", "-", "https://x.at/a?b=1.", "www.y.de", "klar",
             "Herr", "Autor", "Artikel", "Quatsch", "richtig", "falsch", "😀", "ſie", "SIE"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randrange(0, 60))) for _ in range(n)]
    texts += ["", "   ", "nur Wörter ohne alles", "aber " * 1200, "Nein. " + "x" * (MAX_CHARS - 6),
              "Nein. " + "x" * MAX_CHARS]  # at the lists' bound, and one past it
    return texts


def test_companion_matches_are_the_lists_own_finditer() -> None:
    assert DE is not None
    lists_companion = companion(DE)
    assert companion(DE) is lists_companion
    inventory = INVENTORIES["de"]
    for text in _texts(300, seed=1):
        plain = find_cues(text, inventory)
        shared = find_cues(text, inventory, companion=lists_companion)
        assert shared.hits == plain.hits and shared.n_tokens == plain.n_tokens
        assert plain.companion_matches is None
        blanked = blank_urls(text[:20_000])
        if shared.companion_matches is None:
            assert len(blanked) > MAX_CHARS or not plain.n_tokens
            continue
        assert shared.companion_text == blanked and len(text) <= MAX_CHARS
        expected = [[(m.start(), m.end(), m.group()) for m in f.pattern.finditer(blanked)] for f in DE.families]
        got = [[(m.start(), m.end(), m.group()) for m in shared.companion_matches.get(k, [])]
               for k in range(len(DE.families))]
        assert got == expected


def test_reply_features_from_the_cue_walk_equal_their_own_walk() -> None:
    assert DE is not None
    inventory = INVENTORIES["de"]
    for i, text in enumerate(_texts(300, seed=2)):
        cues = find_cues(text, inventory, companion=companion(DE))
        found = None if cues.companion_matches is None else (cues.companion_text or "", cues.companion_matches)
        parent = None if i % 3 == 0 else "Warum zahlen alle so wenig? Das stimmt doch nicht."
        own = reply_features(text, parent, DE)
        shared = reply_features(text, parent, DE, found=found)
        assert shared.features == own.features and shared.hits == own.hits
        assert reply_hits(text, DE, found=found).hits == own.hits


def test_matches_of_another_text_are_not_used() -> None:
    assert DE is not None
    other = find_cues("Nein, aber das stimmt nicht. Warum?", INVENTORIES["de"], companion=companion(DE))
    assert other.companion_matches and other.companion_text is not None
    text = "Genau so ist es."
    found = (other.companion_text, other.companion_matches)
    own = reply_features(text, None, DE).hits
    assert reply_features(text, None, DE, found=found).hits == own
    assert own != reply_features(other.companion_text, None, DE).hits


def _item(row: int, own: str, lang: str) -> CommentInput:
    return CommentInput(row=row, article_id="a", comment_id=f"c{row}", parent_row=-1 if row % 4 == 0 else row - 1,
                        parent_visible=row % 4 != 0, depth=1, text=own, own=own, span_base="text", lang=lang,
                        author="Anna Muster")


def test_cue_decisions_sharing_the_walk_give_the_same_samples() -> None:
    texts = _texts(120, seed=3)
    inputs = [_item(i, t, "en" if i % 9 == 8 else "de") for i, t in enumerate(texts)]
    apart = stage.cue_decisions(inputs, INVENTORIES)
    shared = stage.cue_decisions(inputs, INVENTORIES, share_walk=True)
    assert [d.cues.hits for d in apart] == [d.cues.hits for d in shared]
    assert [(d.stance_parent, d.conf_parent, d.evidence()) for d in apart] == \
        [(d.stance_parent, d.conf_parent, d.evidence()) for d in shared]
    assert any(d.cues.companion_matches for d in shared)
    wanted = set(range(0, len(inputs), 2))
    assert stage.samples_for(inputs, shared, wanted) == stage.samples_for(inputs, apart, wanted)
    # read once, then released: the stage does not keep every comment's matches
    assert all(d.cues.companion_matches is None and d.cues.companion_text is None for d in shared)
