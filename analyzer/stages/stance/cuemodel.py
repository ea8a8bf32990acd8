"""The cue model: stance toward the parent (and the article's own cues) from the cues that fired.

Decision rule, per target: sum the weights of the votes per label (support, deny, query); the
label with the largest sum wins when it reaches :data:`MIN_SCORE`, else "comment".  Ties go
deny > support > query (an explicit denial is the rarer, more informative signal).
Confidence is heuristic, not a calibrated probability: ``top / (top + runner_up + 0.5)``,
clipped to [0.34, 0.95]; "comment" gets :data:`COMMENT_CONF` when nothing fired and
:data:`LOW_CONF` when the text gives nothing to judge (no words, only links, only quotation,
an unsupported language).  For a top-level comment the parent IS the article, so its votes
toward the article and toward the parent are pooled.

References:
    Derczynski et al. (2017), SemEval-2017 Task 8 RumourEval (the SDQC scheme).
    Scarton, Silva, Bontcheva (2020), Measuring what counts: the case of rumour stance
    classification, AACL (report per-class F1 and macro-F1, not accuracy).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analyzer.stages.stance.cues import Companion, CueHit, TextCues, find_cues
from analyzer.stages.stance.inputs import CommentInput
from analyzer.stages.stance.inventory import Inventory

MIN_SCORE = 0.6
COMMENT_CONF = 0.5
LOW_CONF = 0.2
_PRIORITY = ("deny", "support", "query")


@dataclass(slots=True)
class CueDecision:
    """The cue model's reading of one comment."""

    stance_parent: str
    conf_parent: float
    article_label: str | None  # from cues aimed at the article (None: none fired enough)
    conf_article: float
    cues: TextCues
    reason: str | None = None  # why the text could not be judged
    model: str = ""
    scores_parent: dict[str, float] = field(default_factory=dict)
    scores_article: dict[str, float] = field(default_factory=dict)

    def evidence(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "cues": [h.as_json() for h in self.cues.hits[:50]],
            "scores_parent": {k: round(v, 3) for k, v in self.scores_parent.items() if v},
            "scores_article": {k: round(v, 3) for k, v in self.scores_article.items() if v},
        }
        if len(self.cues.hits) > 50:
            out["cues_omitted"] = len(self.cues.hits) - 50
        if self.reason:
            out["reason"] = self.reason
        if self.cues.truncated:
            out["truncated"] = True
        return out


def decide(scores: dict[str, float]) -> tuple[str, float]:
    """Label and confidence from summed votes (see the module docstring)."""
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], _PRIORITY.index(kv[0])))
    (top_label, top), (_, second) = ranked[0], ranked[1]
    if top < MIN_SCORE:
        return "comment", COMMENT_CONF if top == 0 else max(0.34, COMMENT_CONF - top / 2)
    return top_label, min(0.95, max(0.34, top / (top + second + 0.5)))


def _reason(item: CommentInput, cues: TextCues, inventory: Inventory | None) -> str | None:
    if inventory is None:
        return f"unsupported-language:{item.lang}"
    if cues.n_tokens == 0:
        if item.own != item.text and any(ch.isalnum() for ch in item.text[:20_000]):
            return "only-quotation"
        if item.has_link or "://" in item.own or "www." in item.own:
            return "only-links"
        return "no-words"
    return None


def analyse_comment(item: CommentInput, inventories: dict[str, Inventory], *,
                    companion: Companion | None = None) -> CueDecision:
    """Run the cue model on one comment (``companion``: other patterns matched in the same walk,
    :func:`analyzer.stages.stance.cues.find_cues`).

    Example:
        >>> from analyzer.stages.stance.inventory import load_inventories
        >>> item = CommentInput(0, "a", "c1", -1, False, 1, "Genau so ist es!", "Genau so ist es!", "text", "de", None)
        >>> analyse_comment(item, load_inventories()).stance_parent
        'support'
    """
    inventory = inventories.get(item.lang)
    if inventory is None:
        empty = TextCues()
        return CueDecision("comment", LOW_CONF, None, LOW_CONF, empty, reason=f"unsupported-language:{item.lang}",
                           model=_model_name(inventories))
    cues = find_cues(
        item.own, inventory, author=item.author, top_level=item.top_level, has_link=item.has_link,
        quote_blocks=item.quote_blocks, companion=companion,
    )
    reason = _reason(item, cues, inventory)
    if reason is None and _only_link_words(item.own, cues):
        reason = "only-links"
    if reason is not None:
        return CueDecision("comment", LOW_CONF, None, LOW_CONF, cues, reason=reason, model=inventory.model_name)
    parent_scores = cues.votes("parent")
    article_scores = cues.votes("article")
    if item.top_level:
        # The parent is the article: pool both.
        pooled = {k: parent_scores[k] + article_scores[k] for k in parent_scores}
        parent_scores = article_scores = pooled
    label, conf = decide(parent_scores)
    a_label, a_conf = decide(article_scores)
    return CueDecision(
        label, conf, a_label if a_label != "comment" else None, a_conf, cues, model=inventory.model_name,
        scores_parent=parent_scores, scores_article=article_scores,
    )


def _only_link_words(own: str, cues: TextCues) -> bool:
    """Every word of the text belongs to a link (a pasted URL and nothing else)."""
    from analyzer.stages.stance.cues import LINK_HINT

    head = own[:2000]
    # Every LINK_HINT match holds "//" or "www." (its letters fold only to w/W): most comments
    # are rejected without running the expression, which has no literal to start from.
    if ("//" not in head and "www." not in head.lower()) or not LINK_HINT.search(head):
        return False
    rest = " ".join(w for w in own[:20_000].split() if "://" not in w and not w.lower().startswith("www."))
    return not any(ch.isalpha() for ch in rest)


def _model_name(inventories: dict[str, Inventory]) -> str:
    return "cues-" + "+".join(f"{inv.language}-{inv.version}" for inv in inventories.values())


def hits_of(decision: CueDecision, family: str) -> list[CueHit]:
    """The hits of one family (tests and the dashboard's explanations)."""
    return [h for h in decision.cues.hits if h.family == family]
