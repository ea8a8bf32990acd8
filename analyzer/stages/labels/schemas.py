"""Declared schemas of the labels stage's files (``comment_labels.parquet``, ``moderation.parquet``).

Kept apart from the model code so that the stage declaration (``stages/declarations/labels.py``)
imports polars only.
"""

from __future__ import annotations

import polars as pl

# One Million Posts category -> our column stem (snake case, as in every other run file).
CATEGORIES: dict[str, str] = {
    "SentimentNegative": "sentiment_negative",
    "SentimentPositive": "sentiment_positive",
    "ArgumentsUsed": "arguments_used",
    "Inappropriate": "inappropriate",
    "Discriminating": "discriminating",
    "OffTopic": "off_topic",
    "PersonalStories": "personal_stories",
    "PossiblyFeedback": "possibly_feedback",
}
LABEL_COLUMNS: tuple[str, ...] = tuple(CATEGORIES.values())
SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")

_columns: dict[str, pl.DataType | type[pl.DataType]] = {
    "article_id": pl.String,
    "comment_id": pl.String,
    "is_deleted": pl.Boolean,  # removed by moderators (kind deleted/removed) but with its text
    "lang": pl.String,  # the comment's language (script + py3langid); only "de" is labelled
    # negative | neutral | positive; null when the model is absent or the comment has no text
    "sentiment": pl.String,
}
for _stem in LABEL_COLUMNS:
    _columns[_stem] = pl.Boolean  # the model's decision (probability >= 0.5)
    _columns[f"p_{_stem}"] = pl.Float64
_columns["model"] = pl.String  # model name and version; null = model absent or comment not German
COMMENT_LABELS = pl.Schema(_columns)

# moderation.parquet: removal rates per article by one grouping at a time (per article so that
# incremental runs can merge it like every other file; analyzer.stages.labels.moderation.pooled sums
# the articles up).
MODERATION = pl.Schema(
    {
        "article_id": pl.String,
        "by": pl.String,  # all | depth | stance_parent | label | domain | hours_since_first
        "group": pl.String,  # the group's value (depth "3", label "inappropriate", domain ...)
        "n_comments": pl.Int64,  # comments in the group (ghosts and stubs never counted)
        "n_removed": pl.Int64,  # of those, removed by moderators (kind deleted or removed)
        "removal_rate": pl.Float64,
        "ci_low": pl.Float64,  # 95 % Wilson interval of the rate
        "ci_high": pl.Float64,
    }
)
