"""A comment no model reads gets only its disagreement-list hits (its evidence), not its features.

``reply_hits`` must give exactly the hits ``reply_features`` gives, whatever the parent, so the
evidence column is the same whether or not the features were computed; ``samples_for`` uses it
for the comments outside ``wanted``.
"""

from __future__ import annotations

import random

import pytest

from analyzer.stages.stance import stage
from analyzer.stages.stance.disagreement import packaged_lists, reply_features, reply_hits
from analyzer.stages.stance.inputs import CommentInput

DE = packaged_lists("de")
TEXTS = [
    "Ja, aber das stimmt so nicht. Wieso sollte das gehen?",
    "Sie vergessen, dass niemand das bezahlt... Nur dass es keiner merkt!",
    "„Alle zahlen zu wenig“ – na klar. Genau. Sicher nicht.",
    "Nein. Falsch. Das ist Unsinn, lesen Sie https://example.org/a?b=c. Doch!",
    "",
    "   ",
    "Zwar richtig, doch trotzdem: warum eigentlich? Du hast keine Ahnung.",
    "x" * 6000 + " aber nein",
]


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words = ["aber", "doch", "nein", "ja", "Sie", "du", "warum", "wieso", "nicht", "genau", "stimmt", "eben",
             "trotzdem", "zwar", "?", "!", ".", "…", "\n", "„", "“", "-", "www.x.at", "Unsinn", "klar"]
    return [" ".join(rng.choice(words) for _ in range(rng.randrange(0, 40))) for _ in range(n)]


@pytest.mark.parametrize("parent", [None, "Die Steuern sind zu hoch.", "Warum ist das so?"])
def test_reply_hits_equal_the_hits_of_reply_features(parent: str | None) -> None:
    assert DE is not None
    for text in TEXTS + _random_texts(300, seed=len(parent or "")):
        for quotes_parent in (False, True):
            full = reply_features(text, parent, DE, quotes_parent=quotes_parent)
            only = reply_hits(text, DE)
            assert only.hits == full.hits
            assert only.features == {}
            assert only.evidence() == full.evidence()


def _item(row: int, parent_row: int, own: str, lang: str = "de") -> CommentInput:
    return CommentInput(row=row, article_id="a", comment_id=f"c{row}", parent_row=parent_row,
                        parent_visible=parent_row >= 0, depth=1 if parent_row < 0 else 2, text=own, own=own,
                        span_base="text", lang=lang, author=None)


def test_samples_for_gives_every_comment_the_same_evidence_with_or_without_features() -> None:
    from analyzer.stages.stance.inventory import load_inventories

    texts = TEXTS + _random_texts(40, seed=3)
    inputs = [_item(i, -1 if i % 3 == 0 else i - 1, t, "en" if i % 7 == 6 else "de") for i, t in enumerate(texts)]
    decisions = stage.cue_decisions(inputs, load_inventories())
    every = stage.samples_for(inputs, decisions)
    some = stage.samples_for(inputs, decisions, {1, 2, 4})
    assert [s["reply_hits"] for s in every] == [s["reply_hits"] for s in some]
    assert all(set(s) == {"reply_hits"} for i, s in enumerate(some) if i not in {1, 2, 4})
    assert [some[i] for i in (1, 2, 4)] == [every[i] for i in (1, 2, 4)]
    assert any(s["reply_hits"] for s in every)
