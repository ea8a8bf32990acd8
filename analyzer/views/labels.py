"""Comment labels and moderation: shares of each label with counts, and removal rates.

Reads the ``labels`` stage's frames by the column names of their declared schemas
(:mod:`analyzer.stages.labels.schemas`): ``comment_labels.parquet`` (sentiment and the One
Million Posts categories per comment, with the model's probabilities) and
``moderation.parquet`` (removal rates per article by depth, stance, label, domain and hours
since the thread's first comment), and the stage's manifest entry, which says whether a model
was used and which labels are **reliable** (held-out figures of the model card).  A label that
is not reliable is still shown, marked "not a finding", never as a plain share.

Functions take a :class:`~analyzer.views.RunView` and memoise on it.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from analyzer.stages.labels.schemas import LABEL_COLUMNS, SENTIMENTS
from analyzer.views.run_view import RunView
from analyzer.views.shares import with_shares

__all__ = ["LABEL_COLUMNS", "SENTIMENTS", "label_name", "label_shares", "removal_rates", "stage_state"]

STAGE = "labels"
# Label names in words (the One Million Posts categories; Schabus, Skowron & Trapp, SIGIR 2017).
NAMES: dict[str, str] = {
    # The two yes/no sentiment labels and the three-way sentiment come from the same
    # probabilities with different cut-offs: the names keep them apart on one page.
    "sentiment_negative": "negative tone (yes/no label)", "sentiment_positive": "positive tone (yes/no label)",
    "arguments_used": "uses arguments", "inappropriate": "inappropriate", "discriminating": "discriminating",
    "off_topic": "off-topic", "personal_stories": "personal story", "possibly_feedback": "feedback to the newsroom",
}
GROUPINGS: dict[str, str] = {
    "all": "all comments", "depth": "reply depth", "stance_parent": "stance toward the parent",
    "label": "comment label", "domain": "linked domain", "hours_since_first": "hours after the thread's first comment",
}
_HOURS_ORDER = ("0-1h", "1-3h", "3-6h", "6-24h", "24h+", "unknown")


def label_name(stem: str) -> str:
    """A label column in words ("arguments_used" -> "uses arguments")."""
    return NAMES.get(stem, stem.replace("_", " "))


def stage_state(view: RunView) -> dict[str, Any]:
    """The labels stage's manifest entry: ``state`` ("ok" or "model-absent"), ``model``,
    ``how_to_build``, ``reliability`` per label; empty when the stage did not run."""
    info = view.manifest.get("stage_info", {}).get(STAGE)
    return dict(info) if isinstance(info, dict) else {}


def reliable(view: RunView, stem: str) -> bool | None:
    """Whether a label is a finding (True), not one (False), or was not evaluated (None)."""
    entry = (stage_state(view).get("reliability") or {}).get(stem)
    value = entry.get("reliable") if isinstance(entry, dict) else None
    return value if isinstance(value, bool) else None


def _labels(view: RunView, article_id: str | None) -> pl.DataFrame | None:
    if not view.has("comment_labels"):
        return None
    every = view._cached(("labels", "all"), lambda: view.run.frame("comment_labels"))
    if article_id is None:
        return every
    return view._cached(("labels", article_id), lambda: every.filter(pl.col("article_id") == article_id))


def label_shares(view: RunView, article_id: str | None = None) -> pl.DataFrame | None:
    """One row per label and per sentiment value: ``label``, ``name``, ``kind`` (label |
    sentiment), ``n`` (comments with it), the share of the comments the model scored
    (``n_total``) with its Wilson interval and ``too_few``, and ``reliable``.  None without the
    stage; an empty frame when no comment was scored (model absent, no German comment)."""
    labels = _labels(view, article_id)
    if labels is None:
        return None

    def build() -> pl.DataFrame:
        scored = labels.filter(pl.col("model").is_not_null())
        rows: list[dict[str, Any]] = []
        if not scored.is_empty():
            for stem in LABEL_COLUMNS:
                rows.append({"label": stem, "name": label_name(stem), "kind": "label",
                             "n": int(scored[stem].fill_null(False).sum()), "reliable": reliable(view, stem)})
            sentiment = reliable(view, "sentiment (3 classes)")
            for value in SENTIMENTS:
                rows.append({"label": value, "name": f"sentiment, three-way: {value}", "kind": "sentiment",
                             "n": int((scored["sentiment"] == value).sum()), "reliable": sentiment})
        frame = pl.DataFrame(rows, schema={"label": pl.String, "name": pl.String, "kind": pl.String, "n": pl.Int64,
                                           "reliable": pl.Boolean})
        return with_shares(frame, total=pl.lit(scored.height))

    return view._cached(("labels", "shares", article_id), build)


def n_scored(view: RunView, article_id: str | None = None) -> tuple[int, int]:
    """(comments the model scored, comments in the labels frame) of an article or the run."""
    labels = _labels(view, article_id)
    if labels is None:
        return 0, 0
    return int(labels["model"].is_not_null().sum()), labels.height


def label_comment_ids(view: RunView, stem: str) -> frozenset[tuple[str, str]]:
    """(article, comment) pairs the model gave label ``stem``."""
    labels = _labels(view, None)
    if labels is None or stem not in LABEL_COLUMNS:
        return frozenset()
    return view._cached(("labels", "ids", stem), lambda: frozenset(
        labels.filter(pl.col(stem).fill_null(False)).select("article_id", "comment_id").iter_rows()))


def sentiment_comment_ids(view: RunView, value: str) -> frozenset[tuple[str, str]]:
    """(article, comment) pairs of sentiment ``value`` (negative, neutral, positive)."""
    labels = _labels(view, None)
    if labels is None:
        return frozenset()
    return view._cached(("labels", "sentiment", value), lambda: frozenset(
        labels.filter(pl.col("sentiment") == value).select("article_id", "comment_id").iter_rows()))


def removal_rates(view: RunView, article_id: str | None = None) -> pl.DataFrame | None:
    """Removal rates of an article, or summed over the run: ``by``, ``group``, ``n_comments``,
    ``n_removed``, ``removal_rate`` with its Wilson interval, ``too_few``; groupings in the
    order of :data:`GROUPINGS`, depths and hours in their natural order, other groups by size.
    None without the stage."""
    if not view.has("moderation"):
        return None

    def build() -> pl.DataFrame:
        rates = view.run.frame("moderation")
        if article_id is not None:
            rates = rates.filter(pl.col("article_id") == article_id)
        summed = rates.group_by("by", "group").agg(pl.col("n_comments").sum(), pl.col("n_removed").sum())
        rank = {name: i for i, name in enumerate(GROUPINGS)}
        keys: list[float] = []
        for by, group, n in summed.select("by", "group", "n_comments").iter_rows():
            if by == "depth":
                try:
                    key = float(str(group).rstrip("+"))
                except ValueError:
                    key = 1e6
            elif by == "hours_since_first":
                key = float(_HOURS_ORDER.index(group)) if group in _HOURS_ORDER else 99.0
            else:
                key = -float(n)
            keys.append(rank.get(str(by), len(rank)) * 1e9 + key)
        ordered = summed.with_columns(pl.Series("_key", keys, dtype=pl.Float64)).sort("_key", "group").drop("_key")
        shared = with_shares(ordered, count="n_removed", total=pl.col("n_comments"))
        return shared.rename({"share": "removal_rate"})

    return view._cached(("moderation", article_id), build)


def labels_of(view: RunView, article_id: str, comment_id: str) -> tuple[str | None, list[tuple[str, bool | None]]] | None:
    """One comment's sentiment and the labels the model gave it, each with its reliability
    (:func:`reliable`); None when the comment was not scored (no model, not German, no text)."""
    labels = _labels(view, article_id)
    if labels is None:
        return None
    by_comment = view._cached(("labels", "by_comment", article_id), lambda: {
        row["comment_id"]: row for row in labels.iter_rows(named=True)})
    row = by_comment.get(comment_id)
    if row is None or row.get("model") is None:
        return None
    given = [(stem, reliable(view, stem)) for stem in LABEL_COLUMNS if row.get(stem)]
    return row.get("sentiment"), given
