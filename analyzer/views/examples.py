"""How readers took an article, in one sentence, and comments that show it.

Shared by the dashboard's article page and the offline report, so both say the same thing
from the same numbers: :func:`verdict` puts the stance shares (with their counts), the frame
retention and the tone gap into one plain sentence; :func:`example_comments` picks, for each
stance toward the article, the comments the stance model was surest of (most replied to
first among equals), so a reader sees what "deny 12 %" looks like before quoting it.
"""

from __future__ import annotations

import polars as pl

from analyzer.views.comments import comment_table
from analyzer.views.numbers import format_share
from analyzer.views.run_view import RunView

EXAMPLE_LABELS = ("support", "deny", "query")
EXAMPLE_CHARS = 320


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f} %"


def verdict(view: RunView, article_id: str) -> str:
    """One plain sentence on how readers took the article, from the numbers that exist
    ("" when none does).  Shares carry their counts; below the "too few" threshold none is given."""
    m = view.thread_numbers(article_id)
    parts = []
    counts = view.stance_counts(article_id)
    if counts is not None and not counts.is_empty():
        n = {label: int(k) for label, k in zip(counts["label"].to_list(), counts["n"].to_list(), strict=True)}
        total = int(counts["n_total"][0])
        if bool(counts["too_few"][0]):
            parts.append(f"only {total} comments carry a stance toward the article: too few for shares")
        else:
            parts.append(f"{format_share(n.get('support', 0), total)} of the comments support the article and "
                         f"{format_share(n.get('deny', 0), total)} contradict it")
    retention, tone_gap = m.get("frame_retention"), m.get("tone_gap")
    if retention is not None:
        kept = "keep" if retention >= 0.5 else "drop"
        jsd = m.get("frame_jsd_bits")
        parts.append(f"readers {kept} the article's main frames (retained {_pct(retention)}, "
                     f"divergence {'–' if jsd is None else f'{jsd:.2f}'} bits)")
    if tone_gap is not None:
        tone = "more positive" if tone_gap > 0.05 else "more negative" if tone_gap < -0.05 else "about as positive"
        parts.append(f"their tone is {tone} than the article's")
    if not parts:
        return ""
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def example_comments(view: RunView, article_id: str, *, per_label: int = 2) -> pl.DataFrame:
    """Up to ``per_label`` comments per stance toward the article (support, deny, query): the
    most confident labels first, then the most replied to.  Without the stance stage, the most
    replied-to comments (``label`` null).  Columns: ``label``, ``comment_id``, ``author``,
    ``created_at``, ``depth``, ``n_replies``, ``text`` (cut to :data:`EXAMPLE_CHARS`)."""

    def build() -> pl.DataFrame:
        stance = view.stance(article_id)
        table = comment_table(view.comments(article_id), stance, None, None).filter(
            (pl.col("kind") == "comment") & pl.col("text").is_not_null())
        if stance is not None and "stance_article_conf" in stance.columns:
            table = table.join(stance.select("comment_id", "stance_article_conf"), on="comment_id", how="left")
        else:
            table = table.with_columns(pl.lit(None, pl.Float64).alias("stance_article_conf"))
        order = ["stance_article_conf", "n_replies", "seq"]
        descending = [True, True, False]
        if stance is None:
            picked = table.sort(["n_replies", "seq"], descending=[True, False], nulls_last=True).head(
                per_label * len(EXAMPLE_LABELS)).with_columns(pl.lit(None, pl.String).alias("label"))
        else:
            parts = [table.filter(pl.col("stance_article") == label).sort(order, descending=descending,
                                                                          nulls_last=True).head(per_label)
                     .with_columns(pl.lit(label).alias("label")) for label in EXAMPLE_LABELS]
            picked = pl.concat(parts, how="vertical_relaxed") if parts else table.head(0)
        cut = pl.col("text").str.slice(0, EXAMPLE_CHARS) + pl.when(pl.col("text").str.len_chars() > EXAMPLE_CHARS
                                                                   ).then(pl.lit("…")).otherwise(pl.lit(""))
        return picked.select("label", "comment_id", "author", "created_at", "depth",
                             pl.col("n_replies").fill_null(0), cut.alias("text"))

    return view._cached(("examples", article_id, per_label), build)


def voted_comments(view: RunView, article_id: str, *, disagreeing: bool = False, n: int = 5) -> pl.DataFrame:
    """The ``n`` comments of an article with the most up-votes (most replied first among
    equals); with ``disagreeing``, only replies to a comment labelled as denying it: the
    "most-endorsed disagreement", the counter-arguments readers backed most.  Empty when the
    source has no votes (``votes_up`` all null) or, for ``disagreeing``, without the stance
    stage.  Columns: ``comment_id``, ``author``, ``parent_author``, ``depth``, ``n_replies``,
    ``votes_up``, ``votes_down``, ``stance_parent``, ``text`` (cut to :data:`EXAMPLE_CHARS`)."""

    def build() -> pl.DataFrame:
        table = comment_table(view.comments(article_id), view.stance(article_id), None, None).filter(
            (pl.col("kind") == "comment") & pl.col("votes_up").is_not_null())
        if disagreeing:  # replies to a comment; a top-level comment's parent is the article
            table = table.filter((pl.col("stance_parent") == "deny") & pl.col("parent_id").is_not_null())
        cut = pl.col("text").str.slice(0, EXAMPLE_CHARS) + pl.when(pl.col("text").str.len_chars() > EXAMPLE_CHARS
                                                                   ).then(pl.lit("…")).otherwise(pl.lit(""))
        return table.sort(["votes_up", "n_replies", "seq"], descending=[True, True, False]).head(n).select(
            "comment_id", "author", "parent_author", "depth", "n_replies", "votes_up", "votes_down",
            "stance_parent", cut.fill_null("").alias("text"))

    return view._cached(("voted", article_id, disagreeing, n), build)
