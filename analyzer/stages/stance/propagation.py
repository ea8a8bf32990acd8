"""Stance toward the article by sign propagation down the reply tree (methods.md section 3).

A reply's stance toward the article is its stance toward the parent composed with the
parent's stance toward the article: support∘x = x, deny∘support = deny, deny∘deny = support.
When the chain breaks (the reply or the parent is query/comment, the parent is a ghost or a
placeholder whose stance is unknown) the reply falls back to the cues it aims at the article
itself ("der Artikel", "Herr …", "danke für die Übersetzung", "the article"), else comment.
Cues aimed at the article also override a propagated label they contradict: a reader who
says "der Artikel ist einseitig" denies the article whatever the chain says.

Iterative over rows in pre-order (a parent's row comes before its replies), never
recursive: threads can be thousands of comments deep.  A path keeps at most
:data:`MAX_PATH` steps (the nearest ones) so deep chains stay linear.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

STANCED = ("support", "deny")
MAX_PATH = 25


def compose(parent_article: str | None, own_parent: str) -> str | None:
    """The sign rule; None when either side is not support or deny.

    Example:
        >>> compose("deny", "deny"), compose("support", "deny"), compose("deny", "support"), compose("query", "deny")
        ('support', 'deny', 'deny', None)
    """
    if parent_article not in STANCED or own_parent not in STANCED:
        return None
    return "support" if parent_article == own_parent else "deny"


@dataclass(frozen=True, slots=True)
class Node:
    """What propagation needs of one comment."""

    comment_id: str
    parent: int  # index into the same sequence; -1 = the article or an unknown parent
    top_level: bool
    stance_parent: str
    conf_parent: float
    article_label: str | None = None  # from the comment's own article-directed cues
    conf_article: float = 0.0


@dataclass(slots=True)
class ArticleStance:
    label: str
    conf: float
    source: str  # top-level | propagated | article-cues | article-cues-override | default
    path: list[dict[str, Any]] = field(default_factory=list)
    path_length: int = 0


def propagate(nodes: Sequence[Node]) -> list[ArticleStance]:
    """Stance toward the article of every node (parents must come before their replies)."""
    out: list[ArticleStance] = []
    for i, node in enumerate(nodes):
        step = {"comment_id": node.comment_id, "stance_parent": node.stance_parent}
        if node.top_level:
            out.append(ArticleStance(node.stance_parent, node.conf_parent, "top-level", [step], 1))
            continue
        composed: str | None = None
        if 0 <= node.parent < i:
            up = out[node.parent]
            composed = compose(up.label, node.stance_parent)
            if composed is not None:
                path = [*up.path[-(MAX_PATH - 1):], step]
                result = ArticleStance(composed, round(up.conf * node.conf_parent, 6), "propagated", path, up.path_length + 1)
                if node.article_label in STANCED and node.article_label != composed:
                    result = ArticleStance(node.article_label, node.conf_article, "article-cues-override", path, result.path_length)
                out.append(result)
                continue
        if node.article_label is not None:
            out.append(ArticleStance(node.article_label, node.conf_article, "article-cues", [step], 1))
        else:
            out.append(ArticleStance("comment", min(node.conf_parent, 0.5), "default", [step], 1))
    return out
