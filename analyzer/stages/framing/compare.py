"""Article framing vs reader framing: profiles, JSD, retention, reframing, lift, label adoption.

Definitions (methods.md section 4).  For a thread with article body A, pooled own text C of its
visible comments and frame inventory K:

* c_f(X): sentences of X with at least one hit of frame f (a sentence counts once per frame).
* p_f(X) = (c_f(X) + α) / Σ_g (c_g(X) + α), α = 0.5, over every frame g of K.
* Dom(X): the dominant frames, from the raw counts c_f(X) (never from the smoothed profile,
  whose α would let one framed sentence make every frame "dominant"): the smallest top-k
  (k ≤ :data:`DOMINANT_MAX_FRAMES`, frames ranked by count) whose weakest member has at least
  :data:`DOMINANT_MIN_COUNT` sentences and beats the strongest frame left out by a real
  margin (at least :data:`DOMINANT_MIN_GAP` sentences more and :data:`DOMINANT_MIN_RATIO`
  times as many); methods.md's "≥ 50 % of the mass" is :data:`DOMINANT_MASS`, 0 by default
  (a frame with 38 % of the hits and 2.3 times the runner-up dominates).  No such k: Dom(X) is empty,
  "no dominant frame".  A tie at the cut can never pass the margin, so Dom never depends on
  tie order.  See :func:`dominant_frames` and docs/methods-framing.md for the calibration.
* JSD(p(A), p(C)) in bits (log base 2, so 0 ≤ JSD ≤ 1).
* retention = |Dom(A) ∩ Dom(C)| / |Dom(A)|; reframing = 1 − |Dom(A) ∩ Dom(C)| / |Dom(A) ∪ Dom(C)|.
* lift_f = ln(p_f(C) / p_f(A)) (natural log; > 0: readers use the frame more than the article).

JSD, retention and reframing are null when the article or the comments have no frame hit;
retention is null when Dom(A) is empty and reframing when Dom(A) ∪ Dom(C) is empty.  Without an
article text (or with an article without any frame hit) nothing article-side is compared: the
stage writes p_f(A), lift and Dom(A) as null (see :mod:`analyzer.stages.framing.frames`).

Two layers, as in :mod:`analyzer.stages.structure`: scalar reference functions (readable; what
notebooks call) and :func:`compare_profiles`, the same for every thread at once with polars;
the tests check one against the other.

References:
    Semetko & Valkenburg (2000), Framing European politics, Journal of Communication 50(2).
    Lin (1991), Divergence measures based on the Shannon entropy, IEEE Trans. Inf. Theory 37(1).
    Toepfl & Piwoni (2015), Public spheres in interaction, Journal of Communication 65(3).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

import polars as pl

from analyzer.core import defaults, schemas
from analyzer.stages.metric_registry import MetricInfo, lookup

ALPHA = defaults.FRAMES_ALPHA  # additive smoothing of frame profiles (methods.md section 4)
# Dom(X): the smallest top-k frames (k <= DOMINANT_MAX_FRAMES) that stand out from the rest by a
# real margin.  Set on face validity, then checked with tests/bench/dominant_calibration.py
# (bootstrap resamples of the comments of One Million Posts dev threads with >= 5 comments and
# a framed sentence, ../shared/data/omp_derstandard/omp_posts_dev.csv, offline nlp; two folds
# by article-id hash).  The data are too thin to tune on: no setting of a 160-point grid
# reached a mean stability of 0.8 on both folds.  Figures for these constants and for the old
# tie rule (which claimed a dominant set in every thread, often all eleven frames):
# docs/methods-framing.md, "Dominant frames".
DOMINANT_MASS = 0.0  # no share of all hits is required: a frame at 38 % of the hits and 2.3x the next dominates
DOMINANT_MIN_COUNT = 3  # sentences of the weakest dominant frame
DOMINANT_MIN_GAP = 2  # ... more sentences than the strongest frame left out (>= 1: ties never pass)
DOMINANT_MIN_RATIO = 2.0  # ... and at least twice as many
DOMINANT_MAX_FRAMES = 3  # more than three "dominant" frames is no dominance
_EPS = 1e-12  # float slack for the share threshold

# --- Metric registry ----------------------------------------------------------------------

_SV = "Semetko & Valkenburg 2000; methods.md section 4"
_T, _F, _L, _C = ("thread",), ("frame",), ("label",), ("comment",)
_REGISTRY: tuple[MetricInfo, ...] = (
    MetricInfo("frame_jsd_bits", _T, "Jensen-Shannon divergence between p(A) and p(C), log base 2; null if A or C has no frame hit",
               "0 = same emphasis, 1 = disjoint", "Lin 1991; " + _SV),
    MetricInfo("frame_retention", _T, "|Dom(A) ∩ Dom(C)| / |Dom(A)|: share of the article's dominant frames readers keep dominant",
               "1 = readers keep the article's emphasis", "Toepfl & Piwoni 2015; " + _SV),
    MetricInfo("frame_reframing", _T, "1 - |Dom(A) ∩ Dom(C)| / |Dom(A) ∪ Dom(C)| (Jaccard distance of dominant sets)",
               "0 = same dominant frames, 1 = none shared", _SV),
    MetricInfo("n_dominant_article", _T, "|Dom(A)|"),
    MetricInfo("n_dominant_comments", _T, "|Dom(C)|"),
    MetricInfo("n_frames_article", _T, "frames with at least one hit in the article body"),
    MetricInfo("n_frames_comments", _T, "frames with at least one hit in the comments' own text"),
    MetricInfo("framed_sentence_share_article", _T, "share of article body sentences with at least one frame hit"),
    MetricInfo("framed_sentence_share_comments", _T, "share of own-text comment sentences with at least one frame hit"),
    MetricInfo("framed_comment_share", _T, "share of visible comments whose own text has at least one frame hit"),
    MetricInfo("frame_sentences_article", _F, "c_f(A): article body sentences with a hit of the frame (subject_id = frame)"),
    MetricInfo("frame_sentences_comments", _F, "c_f(C): own-text comment sentences with a hit of the frame"),
    MetricInfo("p_article", _F, "p_f(A) = (c_f(A) + α) / Σ_g (c_g(A) + α), α = 0.5; null when A has no frame hit", "", _SV),
    MetricInfo("p_comments", _F, "p_f(C), the same over the pooled own text of visible comments; null when C has no frame hit",
               "", _SV),
    MetricInfo("lift", _F, "ln(p_f(C) / p_f(A)); null unless both A and C have frame hits",
               "> 0: readers use the frame more than the article", _SV),
    MetricInfo("dominant_article", _F, f"1 if f ∈ Dom(A) else 0; Dom: the smallest top-k (k ≤ {DOMINANT_MAX_FRAMES}) frames "
               f"by c_f, each with c_f ≥ {DOMINANT_MIN_COUNT} and a margin over the next frame "
               f"(≥ {DOMINANT_MIN_GAP} more, ≥ {DOMINANT_MIN_RATIO:g}×); else none; null without article text"),
    MetricInfo("dominant_comments", _F, "1 if f ∈ Dom(C) else 0 (the rule of dominant_article, over c_f(C))"),
    MetricInfo("comment_share", _F, "share of visible comments whose own text has the frame (|{c : f ∈ F_c}| / N)"),
    MetricInfo("n_frames", _C, "|F_c|: frames present in the comment's own text"),
    MetricInfo("n_article_labels", _T, "loaded actor labels of the inventory used in the article body"),
    MetricInfo("n_adopted_labels", _T, "article labels that at least one comment's own text reuses"),
    MetricInfo("label_adoption_share", _T, "n_adopted_labels / n_article_labels; null without article labels",
               "1 = readers reuse every label of the article", "methods.md section 4 (label adoption)"),
    MetricInfo("label_comment_share", _T, "share of visible comments whose own text uses at least one of the article's labels"),
    MetricInfo("n_reader_only_labels", _T, "labels readers use that the article does not"),
    MetricInfo("label_uses_article", _L, "tokens with an uncontested match of the label in the article body (subject_id = label)"),
    MetricInfo("label_uses_comments", _L, "tokens with an uncontested match of the label in the comments' own text"),
    MetricInfo("label_comments", _L, "comments whose own text uses the label (uncontested)"),
    MetricInfo("label_comment_share", _L, "label_comments / visible comments"),
    MetricInfo("label_adopted", _L, "1 if the article uses the label and at least one comment reuses it, else 0; "
               "contested uses (negated, distanced, in scare quotes) count for neither"),
    MetricInfo("label_contested_article", _L, "contested matches of the label in the article body: negated "
               "(\"keine Terroristen\"), distanced (\"sogenannte\"), or in scare quotes; not uses",
               "", "methods-framing.md (contested labels)"),
    MetricInfo("label_contested_comments", _L, "contested matches of the label in the comments' own text; not uses",
               "", "methods-framing.md (contested labels)"),
    MetricInfo("n_contested_label_uses", _T, "contested label matches in the comments' own text (any label)",
               "readers rejecting or distancing a label", "methods-framing.md (contested labels)"),
)
# Keyed by name; "label_comment_share" has one entry for both its scopes (thread and label).
METRICS: dict[str, MetricInfo] = {}
for _m in _REGISTRY:
    if _m.name in METRICS:
        _m = MetricInfo(_m.name, (*METRICS[_m.name].scopes, *_m.scopes), METRICS[_m.name].definition
                        + "; scope " + _m.scopes[0] + ": " + _m.definition, _m.direction, _m.reference)
    METRICS[_m.name] = _m
del _m


def describe(name: str) -> MetricInfo:
    """Look a framing metric up by name, with suggestions for near misses."""
    return lookup(METRICS, name, kind="framing")


# --- Scalar reference definitions ---------------------------------------------------------


def smoothed_profile(counts: Mapping[str, int], frames: Sequence[str], alpha: float = ALPHA) -> dict[str, float]:
    """p_f = (c_f + α) / Σ_g (c_g + α) over every frame of the inventory.

    Example:
        >>> smoothed_profile({"a": 3}, ["a", "b"])
        {'a': 0.875, 'b': 0.125}
    """
    total = sum(counts.get(f, 0) + alpha for f in frames)
    return {f: (counts.get(f, 0) + alpha) / total for f in frames}


def dominant_frames(
    counts: Mapping[str, int],
    *,
    min_count: int = DOMINANT_MIN_COUNT,
    min_gap: int = DOMINANT_MIN_GAP,
    min_ratio: float = DOMINANT_MIN_RATIO,
    max_frames: int = DOMINANT_MAX_FRAMES,
    mass: float = DOMINANT_MASS,
) -> frozenset[str]:
    """Dom: the smallest top-k frames with enough count and a real margin over the rest.

    Args:
        counts: c_f, sentences with a hit of each frame (frames without a hit may be absent).
        min_count, min_gap, min_ratio, max_frames, mass: the thresholds (module constants by default).

    Returns:
        The dominant frames; empty for "no dominant frame" (no hit, too few, or no margin).

    Example:
        >>> sorted(dominant_frames({"a": 6, "b": 2, "c": 1}))
        ['a']
        >>> sorted(dominant_frames({"a": 4, "b": 4, "c": 0}))  # both, with a margin over c
        ['a', 'b']
        >>> sorted(dominant_frames({"a": 1, "b": 0}))  # one sentence is no dominance
        []
    """
    if min_gap < 1:
        raise ValueError("min_gap must be at least 1, or a tie at the cut could pass")
    ranked = sorted((c for c in counts.values() if c > 0), reverse=True)
    total = sum(ranked)
    names = sorted((f for f, c in counts.items() if c > 0), key=lambda f: -counts[f])
    cum = 0
    for k, c in enumerate(ranked[:max_frames], start=1):
        cum += c
        nxt = ranked[k] if k < len(ranked) else 0
        if cum >= mass * total - _EPS and c >= min_count and c - nxt >= min_gap and c >= min_ratio * nxt:
            return frozenset(names[:k])
    return frozenset()


def jsd_bits(p: Mapping[str, float], q: Mapping[str, float]) -> float:
    """Jensen-Shannon divergence in bits: ½ KL(p‖m) + ½ KL(q‖m), m = (p + q) / 2.

    Example:
        >>> round(jsd_bits({"a": 1.0, "b": 0.0}, {"a": 0.0, "b": 1.0}), 6)
        1.0

    References:
        Lin (1991), Divergence measures based on the Shannon entropy.
    """
    total = 0.0
    for f in set(p) | set(q):
        pf, qf = p.get(f, 0.0), q.get(f, 0.0)
        m = (pf + qf) / 2
        if pf > 0:
            total += 0.5 * pf * math.log2(pf / m)
        if qf > 0:
            total += 0.5 * qf * math.log2(qf / m)
    return max(total, 0.0)


def retention(dom_article: Collection[str], dom_comments: Collection[str]) -> float | None:
    """|Dom(A) ∩ Dom(C)| / |Dom(A)|; None when Dom(A) is empty."""
    if not dom_article:
        return None
    return len(set(dom_article) & set(dom_comments)) / len(set(dom_article))


def reframing(dom_article: Collection[str], dom_comments: Collection[str]) -> float | None:
    """1 − |Dom(A) ∩ Dom(C)| / |Dom(A) ∪ Dom(C)|; None when both are empty."""
    union = set(dom_article) | set(dom_comments)
    if not union:
        return None
    return 1.0 - len(set(dom_article) & set(dom_comments)) / len(union)


def lift(p_comments: Mapping[str, float], p_article: Mapping[str, float]) -> dict[str, float]:
    """ln(p_f(C) / p_f(A)) per frame (both smoothed, so never infinite)."""
    return {f: math.log(p_comments[f] / p_article[f]) for f in p_article}


# --- Vectorised: every thread at once -------------------------------------------------------


def compare_profiles(counts: pl.DataFrame, *, alpha: float = ALPHA) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Frame-level and thread-level comparison metrics of every thread.

    Args:
        counts: one row per (article, frame of its inventory): ``article_id, frame,
            c_article, c_comments`` (zeros included) - the frame list defines K.
        alpha: smoothing α.

    Returns:
        ``(per_frame, per_thread)``: per_frame has ``article_id, frame, c_article, c_comments,
        p_article, p_comments, lift, dominant_article, dominant_comments`` (p of a side
        without any hit is null, lift null unless both sides have hits); per_thread has
        ``article_id, frame_jsd_bits, frame_retention, frame_reframing, n_dominant_article,
        n_dominant_comments, n_frames_article, n_frames_comments``.
    """
    by_article = pl.col("article_id")
    frame = counts.with_columns(
        p_article=(pl.col("c_article") + alpha) / (pl.col("c_article") + alpha).sum().over(by_article),
        p_comments=(pl.col("c_comments") + alpha) / (pl.col("c_comments") + alpha).sum().over(by_article),
        hits_article=pl.col("c_article").sum().over(by_article) > 0,
        hits_comments=pl.col("c_comments").sum().over(by_article) > 0,
    )
    frame = frame.with_columns(lift=(pl.col("p_comments") / pl.col("p_article")).log())
    frame = _with_dominant(frame, "c_article", "dominant_article")
    frame = _with_dominant(frame, "c_comments", "dominant_comments")
    m = (pl.col("p_article") + pl.col("p_comments")) / 2
    both = pl.col("hits_article").first() & pl.col("hits_comments").first()
    inter = (pl.col("dominant_article") & pl.col("dominant_comments")).sum()
    union = (pl.col("dominant_article") | pl.col("dominant_comments")).sum()
    n_dom_a = pl.col("dominant_article").sum()
    thread = frame.group_by("article_id", maintain_order=True).agg(
        frame_jsd_bits=pl.when(both).then(
            (0.5 * pl.col("p_article") * (pl.col("p_article") / m).log(2)
             + 0.5 * pl.col("p_comments") * (pl.col("p_comments") / m).log(2)).sum().clip(lower_bound=0.0)
        ),
        frame_retention=pl.when(both & (n_dom_a > 0)).then(inter / n_dom_a),
        frame_reframing=pl.when(both & (union > 0)).then(1.0 - inter / union),
        n_dominant_article=n_dom_a.cast(pl.Float64),
        n_dominant_comments=pl.col("dominant_comments").sum().cast(pl.Float64),
        n_frames_article=(pl.col("c_article") > 0).sum().cast(pl.Float64),
        n_frames_comments=(pl.col("c_comments") > 0).sum().cast(pl.Float64),
    )
    # A side without any frame hit has no profile: its smoothed "profile" would be uniform by
    # construction, and a lift against it compares with nothing.
    per_frame = frame.select(
        "article_id", "frame", "c_article", "c_comments",
        p_article=pl.when(pl.col("hits_article")).then(pl.col("p_article")),
        p_comments=pl.when(pl.col("hits_comments")).then(pl.col("p_comments")),
        lift=pl.when(pl.col("hits_article") & pl.col("hits_comments")).then(pl.col("lift")),
        dominant_article="dominant_article", dominant_comments="dominant_comments",
    )
    return per_frame, thread


def _with_dominant(frame: pl.DataFrame, count: str, out: str) -> pl.DataFrame:
    """Add Dom membership from the counts ``count``: the rule of :func:`dominant_frames`.

    Frames are ranked by count within the article; row k passes when the top k hold the
    required share of the hits (DOMINANT_MASS), c_k has the minimum count and the margin over
    c_(k+1) holds.  Dom = the rows up to
    the first passing k.  Ties inside Dom or below the cut may be ranked in any order: a tie
    at the cut fails the margin (DOMINANT_MIN_GAP ≥ 1), so the set is the same either way.
    """
    by = "article_id"
    c = pl.col(count)
    ranked = frame.select(by, "frame", count).sort([by, count, "frame"], descending=[False, True, False])
    ranked = ranked.with_columns(
        _rank=pl.int_range(1, pl.len() + 1).over(by),
        _cum=c.cum_sum().over(by),
        _total=c.sum().over(by),
        _next=c.shift(-1).over(by).fill_null(0),
    )
    passing = (
        (pl.col("_total") > 0)
        & (pl.col("_cum") >= DOMINANT_MASS * pl.col("_total") - _EPS)
        & (c >= DOMINANT_MIN_COUNT)
        & (c - pl.col("_next") >= DOMINANT_MIN_GAP)
        & (c >= DOMINANT_MIN_RATIO * pl.col("_next"))
        & (pl.col("_rank") <= DOMINANT_MAX_FRAMES)
    )
    ranked = ranked.with_columns(_k=pl.col("_rank").filter(passing).min().over(by))
    member = ranked.select(by, "frame", (pl.col("_k").is_not_null() & (pl.col("_rank") <= pl.col("_k"))).alias(out))
    return frame.join(member, on=[by, "frame"], how="left", maintain_order="left").with_columns(pl.col(out).fill_null(False))


def label_adoption(label_hits: pl.DataFrame, n_comments: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per-label and per-thread label adoption; contested uses are counted apart.

    Args:
        label_hits: one row per pattern match: ``article_id, doc_id, label`` (doc_id =
            ARTICLE_DOC_ID for the body, else a comment id; own text only) and optionally
            ``contested`` (bool, :func:`analyzer.stages.framing.contest.mark_contested`): a
            contested match ("keine Terroristen", „Separatisten“) is neither a use nor an
            adoption, only ``label_contested_*``.
        n_comments: ``article_id, n_comments``: visible comments with own text per thread.

    Returns:
        ``(per_label, per_thread)`` wide frames.
    """
    if "contested" not in label_hits.columns:
        label_hits = label_hits.with_columns(contested=pl.lit(False))
    is_article = pl.col("doc_id") == schemas.ARTICLE_DOC_ID
    used = ~pl.col("contested")
    per_label = (
        label_hits.group_by("article_id", "label")
        .agg(
            label_uses_article=(is_article & used).sum().cast(pl.Float64),
            label_uses_comments=(~is_article & used).sum().cast(pl.Float64),
            label_comments=pl.col("doc_id").filter(~is_article & used).n_unique().cast(pl.Float64),
            label_contested_article=(is_article & ~used).sum().cast(pl.Float64),
            label_contested_comments=(~is_article & ~used).sum().cast(pl.Float64),
        )
        .join(n_comments, on="article_id", how="left")
        .with_columns(
            label_comment_share=pl.when(pl.col("n_comments") > 0).then(pl.col("label_comments") / pl.col("n_comments")),
            label_adopted=((pl.col("label_uses_article") > 0) & (pl.col("label_comments") > 0)).cast(pl.Float64),
        )
        .drop("n_comments")
        .sort("article_id", "label")
    )
    contested = label_hits.filter(~is_article & ~used).group_by("article_id").agg(
        n_contested_label_uses=pl.len().cast(pl.Float64)
    )
    label_hits = label_hits.filter(used)
    article_labels = per_label.filter(pl.col("label_uses_article") > 0).select("article_id", "label")
    users = (
        label_hits.filter(~is_article)
        .join(article_labels, on=["article_id", "label"], how="semi")
        .group_by("article_id")
        .agg(n_users=pl.col("doc_id").n_unique())
    )
    thread = (
        n_comments.join(
            per_label.group_by("article_id").agg(
                n_article_labels=(pl.col("label_uses_article") > 0).sum(),
                n_adopted_labels=pl.col("label_adopted").sum(),
                n_reader_only_labels=((pl.col("label_uses_article") == 0) & (pl.col("label_comments") > 0)).sum(),
            ),
            on="article_id", how="left",
        )
        .join(users, on="article_id", how="left")
        .join(contested, on="article_id", how="left")
        .with_columns(pl.col("n_article_labels", "n_adopted_labels", "n_reader_only_labels", "n_users",
                             "n_contested_label_uses").fill_null(0))
        .select(
            "article_id",
            n_article_labels=pl.col("n_article_labels").cast(pl.Float64),
            n_adopted_labels=pl.col("n_adopted_labels").cast(pl.Float64),
            label_adoption_share=pl.when(pl.col("n_article_labels") > 0).then(
                pl.col("n_adopted_labels") / pl.col("n_article_labels")
            ),
            label_comment_share=pl.when(pl.col("n_comments") > 0).then(pl.col("n_users") / pl.col("n_comments")),
            n_reader_only_labels=pl.col("n_reader_only_labels").cast(pl.Float64),
            n_contested_label_uses=pl.col("n_contested_label_uses").cast(pl.Float64),
        )
    )
    return per_label, thread
