"""Features of the trainable stance model: the cue model's findings, structure and the text.

A sample is a plain dict ``{"text": normalised own text, "features": {name: value}}`` so the
scikit-learn pipeline (:mod:`analyzer.stages.stance.trained`) stays transparent: every cue family
is a named feature whose weight can be read off the fitted model.

Features (after the RumourEval feature systems: Derczynski et al. 2017; Kochkina et al. 2017,
branchLSTM: cue words, punctuation, similarity to the source and the parent, structure):
cue family counts and vote sums toward the parent and the article, question kinds, the cue
model's labels (of the comment and of its parent), punctuation ("?", "!"), share of capitals,
links, length, depth, top level or reply, ghost parent, similarity to the parent and to the
article, share of quoted text, and the language.  Text features (word and character n-grams)
are built by the pipeline from ``text``: URLs become ``URL``, user mentions ``@USER``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from analyzer.stages.stance.cuemodel import CueDecision
from analyzer.stages.stance.inputs import CommentInput

_URL = re.compile(r"(?:https?|hxxps?|_{2,10})://\S{1,2000}|(?<![\w@.])www\.\S{1,2000}", re.IGNORECASE)
_MENTION = re.compile(r"(?<!\w)@\w{1,50}")
MAX_TEXT_CHARS = 5_000


def normalise_text(text: str) -> str:
    """Own text for n-grams: bounded, URLs and mentions replaced, blanks squeezed."""
    text = text[:MAX_TEXT_CHARS]
    # Every URL match holds "://" or "www." (whose letters fold only to w/W), every mention an
    # "@": texts without them skip the expressions, which have no literal to start from.
    if "://" in text or "www." in text.lower():
        text = _URL.sub(" URL ", text)
    if "@" in text:
        text = _MENTION.sub(" @USER ", text)
    return " ".join(text.split())


def sample(item: CommentInput, decision: CueDecision, parent_decision: CueDecision | None) -> dict[str, Any]:
    """The model input of one comment."""
    # Punctuation counts keep URLs as they are (unlike the cue matching, which blanks them): the
    # RumourEval model's 0.451 rests on them (blanked: 0.445, leave-one-event-out).
    own = item.own[:MAX_TEXT_CHARS]
    n_letters = sum(map(str.isalpha, own))
    features: dict[str, float] = {
        "top_level": float(item.top_level),
        "parent_unknown": float(not item.top_level and not item.parent_visible),
        "depth": min(item.depth, 10) / 10.0,
        "has_link": float(item.has_link),
        "log_tokens": math.log1p(decision.cues.n_tokens),
        "n_qmarks": min(own.count("?"), 5) / 5.0,
        "n_excl": min(own.count("!"), 5) / 5.0,
        "caps_share": (sum(map(str.isupper, filter(str.isalpha, own))) / n_letters) if n_letters else 0.0,
        "quote_share": item.quote_share,
        "has_quote_block": float(bool(item.quote_blocks)),
        "sim_parent": item.sim_parent or 0.0,
        "sim_article": item.sim_article or 0.0,
        "q_genuine": float(decision.cues.n_genuine_questions),
        "q_rhetorical": float(decision.cues.n_rhetorical_questions),
        "q_echo": float(decision.cues.n_echo_questions),
        "addresses_article": float(decision.cues.addresses_article),
        "ends_with_q": float(own.rstrip().endswith("?")),
        f"lang={item.lang}": 1.0,
        f"cue_parent={decision.stance_parent}": 1.0,
        f"cue_article={decision.article_label or 'none'}": 1.0,
        f"reason={decision.reason or 'none'}": 1.0,
    }
    if parent_decision is not None:
        features[f"parent_cue={parent_decision.stance_parent}"] = 1.0
    for family, n in Counter(h.family for h in decision.cues.hits).items():
        features[f"family={family}"] = float(n)
    for label, value in decision.scores_parent.items():
        features[f"vote_parent={label}"] = value
    for label, value in decision.scores_article.items():
        features[f"vote_article={label}"] = value
    return {"text": normalise_text(own), "features": features}
