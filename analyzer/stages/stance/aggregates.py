"""Stance aggregates of a set of comments, for threads, subtrees and depth levels.

With S, D, Q, C the support, deny, query and comment counts over N visible comments
(methods.md section 3):

* support ratio S / (S + D) (undefined without stanced comments: the row is left out);
* net stance (S − D) / N;
* balance min(S, D) / max(S, D);
* controversy (S + D)^balance: Reddit's open-source controversy sort with stance counts for
  up and down votes (0 when S or D is 0);
* entropy of the four shares, normalised by log 4 (0 = one class only, 1 = uniform).

Metric names carry the target: ``article_support_ratio``, ``parent_net_stance`` …; counts
``article_n_support`` … and ``n_stance_comments``.  Scopes in the long metrics frame:
``thread`` (subject = article id), ``subtree`` (subject = the top-level comment heading it)
and ``stance_level`` (subject = depth, ghosts counted as in the structure stage).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import polars as pl

from analyzer.core import schemas
from analyzer.stages.metric_registry import MetricInfo

TARGETS = ("article", "parent")
SCOPES = ("thread", "subtree", "stance_level")
_REF_CONTROVERSY = "Reddit controversy sort (r2/r2/lib/db/_sorts.pyx, 2016), stance counts for votes; methods.md section 3"
_REF_SDQC = "SDQC scheme: Derczynski et al., SemEval-2017 Task 8 (RumourEval); methods.md section 3"


def _entries() -> tuple[MetricInfo, ...]:
    out: list[MetricInfo] = [
        MetricInfo("n_stance_comments", SCOPES, "N: visible comments with a stance label", "", _REF_SDQC),
    ]
    for target in TARGETS:
        toward = "the article" if target == "article" else "the parent (the article for top-level comments)"
        for label in ("support", "deny", "query", "comment"):
            out.append(MetricInfo(f"{target}_n_{label}", SCOPES, f"comments labelled {label} toward {toward}", "", _REF_SDQC))
        out += [
            MetricInfo(f"{target}_support_ratio", SCOPES, f"S / (S + D) toward {toward}; absent when S + D = 0",
                       "1 = all stanced comments support", _REF_SDQC),
            MetricInfo(f"{target}_net_stance", SCOPES, f"(S − D) / N toward {toward}", "-1 all deny … +1 all support", _REF_SDQC),
            MetricInfo(f"{target}_balance", SCOPES, f"min(S, D) / max(S, D) toward {toward}; absent when S = D = 0",
                       "1 = evenly split", _REF_CONTROVERSY),
            MetricInfo(f"{target}_controversy", SCOPES, f"(S + D)^balance toward {toward}; 0 when S or D is 0",
                       "higher = larger and more evenly split", _REF_CONTROVERSY),
            MetricInfo(f"{target}_entropy", SCOPES, f"-Σ p log p / log 4 over the shares of S, D, Q, C toward {toward}",
                       "0 one class … 1 uniform", "Shannon 1948"),
        ]
    return tuple(out)


METRICS: dict[str, MetricInfo] = {m.name: m for m in _entries()}


def stance_summary(labels: Iterable[str]) -> dict[str, float]:
    """Counts and aggregates of one set of labels (see the module docstring).

    Example:
        >>> s = stance_summary(["support", "support", "deny", "comment"])
        >>> s["support_ratio"], s["net_stance"], s["balance"], round(s["controversy"], 4)
        (0.6666666666666666, 0.25, 0.5, 1.7321)
    """
    counts = Counter(labels)
    n = sum(counts.values())
    s, d = counts.get("support", 0), counts.get("deny", 0)
    out: dict[str, float] = {f"n_{k}": float(counts.get(k, 0)) for k in ("support", "deny", "query", "comment")}
    if n == 0:
        return out
    if s + d:
        out["support_ratio"] = s / (s + d)
        out["balance"] = min(s, d) / max(s, d)
    out["net_stance"] = (s - d) / n
    out["controversy"] = float((s + d) ** out["balance"]) if s and d else 0.0
    shares = [counts.get(k, 0) / n for k in ("support", "deny", "query", "comment")]
    out["entropy"] = -sum(p * math.log(p) for p in shares if p > 0) / math.log(4)
    return out


def aggregate_metrics(
    article_ids: Sequence[str],
    subtree_roots: Sequence[str],
    depths: Sequence[int],
    labels: dict[str, Sequence[str]],
) -> pl.DataFrame:
    """The long metrics frame of the stance aggregates.

    Args:
        article_ids: article of each labelled comment.
        subtree_roots: id of the top-level comment heading each comment's subtree.
        depths: depth of each comment.
        labels: target ("article" / "parent") -> label of each comment.
    """
    rows: dict[str, list[object]] = {c: [] for c in schemas.METRICS.names()}
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, (aid, root, depth) in enumerate(zip(article_ids, subtree_roots, depths, strict=True)):
        groups.setdefault((aid, "thread", aid), []).append(i)
        groups.setdefault((aid, "subtree", root), []).append(i)
        groups.setdefault((aid, "stance_level", str(depth)), []).append(i)
    # A summary depends on the label counts alone, and most groups (a subtree of one or two
    # comments, a depth level) share their counts with many others: each distinct count of a
    # target is summarised once, with its metric names made once.
    summaries: dict[tuple[str, tuple[tuple[str, int], ...]], list[tuple[str, float]]] = {}
    for (aid, scope, subject), members in groups.items():
        rows_here = [("n_stance_comments", float(len(members)))]
        for target, values in labels.items():
            counts = Counter([values[i] for i in members])
            key = (target, tuple(sorted(counts.items())))
            named = summaries.get(key)
            if named is None:
                named = summaries[key] = [(f"{target}_{k}", v) for k, v in stance_summary(counts.elements()).items()]
            rows_here += named
        n = len(rows_here)
        rows["article_id"] += [aid] * n
        rows["scope"] += [scope] * n
        rows["subject_id"] += [subject] * n
        rows["metric"] += [metric for metric, _ in rows_here]
        rows["value"] += [value for _, value in rows_here]
    return schemas.check(pl.DataFrame(rows, schema=schemas.METRICS), schemas.METRICS, "stance metrics")
