"""Profiles and comparison metrics, checked against values computed by hand."""

from __future__ import annotations

import math
import random

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.core.errors import UsageError
from analyzer.stages.framing import compare
from analyzer.stages.framing.compare import (
    compare_profiles,
    dominant_frames,
    jsd_bits,
    label_adoption,
    lift,
    reframing,
    retention,
    smoothed_profile,
)

FRAMES = ["a", "b", "c"]


def test_smoothed_profile_by_hand() -> None:
    # c = (3, 1, 0), α = 0.5: (3.5, 1.5, 0.5) / 5.5
    p = smoothed_profile({"a": 3, "b": 1}, FRAMES)
    assert p == pytest.approx({"a": 3.5 / 5.5, "b": 1.5 / 5.5, "c": 0.5 / 5.5})
    assert sum(p.values()) == pytest.approx(1.0)


def test_dominant_frames_rules() -> None:
    assert dominant_frames({"a": 6, "b": 3, "c": 1}) == {"a"}  # 6 of 10; margin 6 - 3 = 3 sentences, 2×
    assert dominant_frames({"a": 5, "b": 4, "c": 1}) == {"a", "b"}  # a alone: no margin over b
    assert dominant_frames({"a": 5, "b": 5, "c": 0}) == {"a", "b"}  # a tie inside Dom is fine
    assert dominant_frames({"a": 4, "b": 3, "c": 3, "d": 3}) == frozenset()  # a tie at every cut: no dominance
    assert dominant_frames({"a": 4, "b": 3, "c": 3}) == {"a", "b", "c"}  # three frames over the silent rest
    assert dominant_frames({"a": 2, "b": 0}) == frozenset()  # below the minimum count
    assert dominant_frames({"a": 3, "b": 0}) == {"a"}  # three sentences and nothing else: the minimum
    assert dominant_frames({}) == frozenset() and dominant_frames({"a": 0, "b": 0}) == frozenset()
    # Four frames tied: no cut within three frames has a margin.
    assert dominant_frames({"a": 3, "b": 3, "c": 3, "d": 3, "e": 0}) == frozenset()
    # A frame that stands out dominates below half of the hits (6 of 18) ...
    assert dominant_frames({"a": 6, "b": 3, "c": 3, "d": 3, "e": 3}) == {"a"}
    # ... unless a share is asked for (methods.md's 50 % rule, as an option).
    assert dominant_frames({"a": 6, "b": 3, "c": 3, "d": 3, "e": 3}, mass=0.5) == frozenset()
    assert dominant_frames({"a": 6, "b": 2, "c": 2, "d": 2}, mass=0.5) == {"a"}  # exactly half is enough
    # The margin has both parts: 7 vs 5 has gap 2 but ratio 1.4 < 2 (so a and b together);
    # 12 vs 6 passes both.
    assert dominant_frames({"a": 7, "b": 5, "c": 1}) == {"a", "b"}
    assert dominant_frames({"a": 12, "b": 6, "c": 1}) == {"a"}
    assert dominant_frames({"a": 12, "b": 6, "c": 1}, min_ratio=2.5) == {"a", "b"}
    with pytest.raises(ValueError, match="min_gap"):
        dominant_frames({"a": 1}, min_gap=0)


def test_one_framed_sentence_makes_no_frame_dominant() -> None:
    # The old tie rule over the smoothed profile made all eleven frames "dominant" here.
    counts = {f"f{i}": 0 for i in range(11)} | {"f0": 1}
    assert dominant_frames(counts) == frozenset()
    _, thread = compare_profiles(_counts([("t", f, 1, c) for f, c in counts.items()]))
    assert thread["n_dominant_comments"].item() == 0 and thread["frame_retention"].item() is None


def test_jsd_retention_reframing_lift_by_hand() -> None:
    p_a = smoothed_profile({"a": 3, "b": 1}, ["a", "b"])  # (0.7, 0.3)
    p_c = smoothed_profile({"b": 1}, ["a", "b"])  # (0.25, 0.75)
    assert p_a == pytest.approx({"a": 0.7, "b": 0.3})
    assert p_c == pytest.approx({"a": 0.25, "b": 0.75})
    m_a, m_b = (0.7 + 0.25) / 2, (0.3 + 0.75) / 2
    expected = 0.5 * (0.7 * math.log2(0.7 / m_a) + 0.3 * math.log2(0.3 / m_b)) + 0.5 * (
        0.25 * math.log2(0.25 / m_a) + 0.75 * math.log2(0.75 / m_b)
    )
    assert jsd_bits(p_a, p_c) == pytest.approx(expected)
    assert expected == pytest.approx(0.1519, abs=1e-4)
    assert jsd_bits(p_a, p_a) == pytest.approx(0.0)
    assert retention({"a"}, {"b"}) == 0.0 and reframing({"a"}, {"b"}) == 1.0
    assert retention({"a", "b"}, {"b"}) == 0.5
    assert reframing({"a", "b"}, {"b", "c"}) == pytest.approx(1 - 1 / 3)
    assert retention(set(), {"a"}) is None and reframing(set(), set()) is None
    assert lift(p_c, p_a) == pytest.approx({"a": math.log(0.25 / 0.7), "b": math.log(0.75 / 0.3)})


def _counts(rows: list[tuple[str, str, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["article_id", "frame", "c_article", "c_comments"], orient="row").with_columns(
        pl.col("c_article", "c_comments").cast(pl.Int64)
    )


def test_compare_profiles_by_hand() -> None:
    per_frame, thread = compare_profiles(_counts([("t", "a", 6, 0), ("t", "b", 2, 4), ("t", "c", 0, 1)]))
    row = thread.row(0, named=True)
    # Dom(A) = {a} (6 of 8, margin 4 over b); Dom(C) = {b} (4 of 5, margin 3 over c).
    assert row["frame_retention"] == 0.0 and row["frame_reframing"] == 1.0
    assert row["n_dominant_article"] == 1 and row["n_dominant_comments"] == 1
    assert row["n_frames_article"] == 2 and row["n_frames_comments"] == 2
    p_a = smoothed_profile({"a": 6, "b": 2}, FRAMES)
    p_c = smoothed_profile({"b": 4, "c": 1}, FRAMES)
    assert row["frame_jsd_bits"] == pytest.approx(jsd_bits(p_a, p_c))
    b = per_frame.filter(frame="b").row(0, named=True)
    assert b["p_article"] == pytest.approx(2.5 / 9.5) and b["p_comments"] == pytest.approx(4.5 / 6.5)
    assert b["lift"] == pytest.approx(math.log((4.5 / 6.5) / (2.5 / 9.5)))
    assert (b["dominant_article"], b["dominant_comments"]) == (False, True)


def test_compare_profiles_without_hits_gives_nulls() -> None:
    per_frame, thread = compare_profiles(_counts([("t", "a", 3, 0), ("t", "b", 0, 0), ("u", "a", 0, 0), ("u", "b", 0, 0)]))
    t = thread.filter(article_id="t").row(0, named=True)
    assert t["frame_jsd_bits"] is None and t["frame_retention"] is None and t["frame_reframing"] is None
    assert t["n_dominant_article"] == 1 and t["n_dominant_comments"] == 0
    assert not per_frame.filter(article_id="u")["dominant_article"].any()
    # No hit on a side: no profile on that side, and no lift (never a comparison with a
    # smoothed empty profile).
    assert per_frame.filter(article_id="u")["lift"].to_list() == [None, None]
    assert per_frame.filter(article_id="u")["p_article"].to_list() == [None, None]
    assert per_frame.filter(article_id="t")["p_comments"].to_list() == [None, None]
    assert per_frame.filter(article_id="t")["p_article"].to_list() == pytest.approx([3.5 / 4, 0.5 / 4])


def test_vectorised_equals_scalar_on_random_threads() -> None:
    rng = random.Random(7)
    rows = []
    for t in range(40):
        n_frames = rng.randint(1, 6)
        for f in range(n_frames):
            # Small counts make ties frequent, which is what the dominance rule must get right.
            rows.append((f"t{t}", f"f{f}", rng.choice([0, 0, 1, 3, 4, 6]), rng.choice([0, 1, 3, 3, 5, 9])))
    counts = _counts(rows)
    per_frame, thread = compare_profiles(counts)
    n_dominated = 0
    for article_id, group in counts.group_by("article_id"):
        names = group["frame"].to_list()
        ca = dict(zip(names, group["c_article"].to_list(), strict=True))
        cc = dict(zip(names, group["c_comments"].to_list(), strict=True))
        p_a, p_c = smoothed_profile(ca, names), smoothed_profile(cc, names)
        has_a, has_c = sum(ca.values()) > 0, sum(cc.values()) > 0
        dom_a, dom_c = dominant_frames(ca), dominant_frames(cc)
        got = per_frame.filter(article_id=article_id[0])
        assert set(got.filter("dominant_article")["frame"]) == dom_a
        assert set(got.filter("dominant_comments")["frame"]) == dom_c
        row = thread.filter(article_id=article_id[0]).row(0, named=True)
        if has_a and has_c:
            assert row["frame_jsd_bits"] == pytest.approx(jsd_bits(p_a, p_c), abs=1e-12)
            assert row["frame_retention"] == retention(dom_a, dom_c)
            assert row["frame_reframing"] == pytest.approx(reframing(dom_a, dom_c))
        else:
            assert row["frame_jsd_bits"] is None
        n_dominated += bool(dom_a) + bool(dom_c)
    assert n_dominated >= 10  # the random threads exercise the rule, not only its empty case


def test_label_adoption_by_hand() -> None:
    art = schemas.ARTICLE_DOC_ID
    hits = pl.DataFrame(
        {
            "article_id": ["t"] * 7,
            "doc_id": [art, art, art, "c1", "c1", "c2", "c3"],
            "label": ["terrorist", "terrorist", "regime", "terrorist", "terrorist", "junta", "terrorist"],
        }
    )
    n_comments = pl.DataFrame({"article_id": ["t"], "n_comments": [4]})
    per_label, thread = label_adoption(hits, n_comments)
    terrorist = per_label.filter(label="terrorist").row(0, named=True)
    assert terrorist["label_uses_article"] == 2 and terrorist["label_uses_comments"] == 3
    assert terrorist["label_comments"] == 2 and terrorist["label_comment_share"] == 0.5
    assert terrorist["label_adopted"] == 1.0
    assert per_label.filter(label="regime")["label_adopted"].item() == 0.0
    row = thread.row(0, named=True)
    # Article labels: terrorist, regime; adopted: terrorist -> 1/2.  Users of article labels: c1, c3.
    assert row["n_article_labels"] == 2 and row["n_adopted_labels"] == 1
    assert row["label_adoption_share"] == 0.5 and row["label_comment_share"] == 0.5
    assert row["n_reader_only_labels"] == 1  # junta


def test_label_adoption_without_labels() -> None:
    empty = pl.DataFrame(schema={"article_id": pl.String, "doc_id": pl.String, "label": pl.String})
    _, thread = label_adoption(empty, pl.DataFrame({"article_id": ["t"], "n_comments": [0]}))
    row = thread.row(0, named=True)
    assert row["n_article_labels"] == 0 and row["label_adoption_share"] is None and row["label_comment_share"] is None


def test_registry() -> None:
    assert compare.describe("frame_jsd_bits").reference
    assert compare.describe("lift").definition.startswith("ln(")
    assert set(compare.describe("label_comment_share").scopes) == {"thread", "label"}
    with pytest.raises(UsageError, match="did you mean"):
        compare.describe("frame_jsd")
