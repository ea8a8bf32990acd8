"""The DAST root-stance bench's own parts: the chain composition and the decision rule's folds."""

from __future__ import annotations

import numpy as np

from analyzer.stages.stance.gold import GoldSet
from analyzer.stages.stance.inputs import CommentInput
from tests.bench import dast_root as bench


def _comment(row: int, parent_row: int, depth: int, text: str) -> CommentInput:
    return CommentInput(row=row, article_id="s1", comment_id=f"c{row}", parent_row=parent_row,
                        parent_visible=parent_row >= 0, depth=depth, text=text, own=text, span_base="text",
                        lang="da", author=None)


def _onehot(*labels: str) -> np.ndarray:
    return np.asarray([[1.0 if c == label else 0.0 for c in bench.CLASSES] for label in labels])


def test_chain_applies_the_sign_rule_down_the_thread() -> None:
    # top-level supports the submission; its reply denies it (the parent); the reply's reply denies that.
    gold = GoldSet(inputs=[_comment(0, -1, 1, "Helt enig, 5G bør stoppes"), _comment(1, 0, 2, "Nej, det er vrøvl"),
                           _comment(2, 1, 3, "Nej, det bør ikke stoppes")])
    parent_stance = _onehot("support", "deny", "deny")
    names, x = bench.features(gold, [0, 1, 2], _onehot("comment", "comment", "comment"), parent_stance,
                              {"s1": "5G bør stoppes"}, pairwise=True)
    chain = x[:, [names.index(f"chain:{c}") for c in bench.CLASSES]]
    assert [bench.CLASSES[i] for i in chain.argmax(1)] == ["support", "deny", "support"]
    top_p = x[:, [names.index(f"top P:{c}") for c in bench.CLASSES]]
    assert top_p[0].sum() == 0 and top_p[2].argmax() == bench.CLASSES.index("support")  # the top-level ancestor
    assert x[1, names.index("neg")] == 1 and x[1, names.index("reject")] == 1
    assert x[2, names.index("claim shared")] == 2  # "bør", "stoppes" ("5G" has one letter, "ikke" is a stop word)
    assert x[2, names.index("neg x claim")] == 2  # "Nej" and "ikke" beside the claim's words
    assert x[1, names.index("neg x claim")] == 0


def test_offsets_raise_a_rare_class_that_argmax_never_picks() -> None:
    rng = np.random.default_rng(0)
    y = np.asarray([0] * 80 + [3] * 20)
    log_p = np.log(np.full((100, 4), 0.1))
    log_p[:, 0] = np.log(0.6)
    log_p[80:, 3] = np.log(0.4) + rng.normal(0, 0.05, 20)  # support: more likely than elsewhere, never the argmax
    assert (log_p.argmax(1) == 3).sum() == 0
    offsets = bench.choose_offsets(log_p, y)
    assert offsets[0] == 0 and offsets[3] > 0
    assert bench._macro(y, (log_p + offsets).argmax(1)) > bench._macro(y, log_p.argmax(1))


def test_nested_offsets_never_read_the_labels_of_the_topic_they_score() -> None:
    rng = np.random.default_rng(1)
    log_p = np.log(rng.dirichlet(np.ones(4), size=120))
    y = rng.integers(0, 4, size=120)
    groups = np.asarray(["a"] * 40 + ["b"] * 40 + ["c"] * 40)
    before = bench.nested_offsets(log_p, y, groups)
    changed = y.copy()
    changed[groups == "a"] = (changed[groups == "a"] + 1) % 4
    after = bench.nested_offsets(log_p, changed, groups)
    assert (before[groups == "a"] == after[groups == "a"]).all()


def test_the_set_aside_topics_are_three_of_the_nine() -> None:
    assert bench.HELD_OUT == {"hpv", "overvaagning", "tog_strejke"}
