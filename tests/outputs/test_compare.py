"""analyzer.outputs.compare: content-matched comment diffs, share and domain shifts."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.core.run import read_run
from analyzer.outputs.compare import compare_runs
from tests.outputs.report.pages import comment_rows, make_run, stance_rows

OLD = [
    {"comment_id": "c1", "depth": 1, "text": "Erster Beitrag zur Sache."},
    {"comment_id": "c2", "parent_id": "c1", "depth": 2, "text": "Widerspruch mit Beleidigung.", "author": "troll"},
    {"comment_id": "c3", "parent_id": "c1", "depth": 2, "text": "Sachliche Antwort."},
    {"comment_id": "c4", "depth": 1, "text": "Noch ein Thema."},
]


def _run(tmp: Path, name: str, rows: list[dict], **extra: pl.DataFrame):  # type: ignore[no-untyped-def]
    return read_run(make_run(tmp / name, comment_rows(rows), extra=extra or None))


def test_same_run_has_no_changes(tmp_path: Path) -> None:
    old = _run(tmp_path, "old", OLD)
    comparison = compare_runs(old, old)
    assert comparison.disappeared.is_empty() and comparison.new_comments.is_empty() and comparison.edited.is_empty()
    assert comparison.summary()["n_disappeared"] == 0


def test_positional_ids_are_matched_by_content(tmp_path: Path) -> None:
    # c2 removed: the page-text reader renumbers the rest (c3 -> c2, c4 -> c3).
    new_rows = [dict(OLD[0]), {**OLD[2], "comment_id": "c2", "author": "user1"}, {**OLD[3], "comment_id": "c3", "author": "user2"}]
    old_rows = [dict(r) for r in OLD]
    for i, r in enumerate(old_rows):
        r.setdefault("author", f"user{i}")
    old_rows[2]["author"], old_rows[3]["author"] = "user1", "user2"
    old, new = _run(tmp_path, "old", old_rows), _run(tmp_path, "new", new_rows)
    comparison = compare_runs(old, new)
    gone = comparison.disappeared.row(0, named=True)
    assert comparison.disappeared.height == 1
    assert (gone["comment_id"], gone["parent_id"], gone["depth"], gone["reason"]) == ("c2", "c1", 2, "absent")
    assert gone["ancestors"] == "c1" and gone["author"] == "troll"
    assert gone["parent_excerpt"] == "Erster Beitrag zur Sache."
    assert comparison.new_comments.is_empty() and comparison.edited.is_empty()


def test_deleted_placeholder_and_edit_and_new(tmp_path: Path) -> None:
    new_rows = [dict(r) for r in OLD]
    new_rows[1] = {**OLD[1], "kind": "deleted", "text": None, "is_deleted": True}
    new_rows[3] = {**OLD[3], "text": "Noch ein Thema, ergänzt."}
    new_rows.append({"comment_id": "c5", "parent_id": "c4", "depth": 2, "text": "Neue Antwort."})
    for rows in (OLD, new_rows):
        for i, r in enumerate(rows):
            r.setdefault("author", f"user{i}")
    comparison = compare_runs(_run(tmp_path, "old", OLD), _run(tmp_path, "new", new_rows))
    assert comparison.disappeared["reason"].to_list() == ["now-deleted-placeholder"]
    assert comparison.edited["comment_id"].to_list() == ["c4"]
    assert comparison.edited["new_excerpt"].to_list() == ["Noch ein Thema, ergänzt."]
    assert comparison.new_comments["comment_id"].to_list() == ["c5"]


def test_repeated_identical_comments_pair_in_order(tmp_path: Path) -> None:
    rows = [{"comment_id": f"c{i}", "depth": 1, "text": "+1", "author": "same"} for i in range(3)]
    comparison = compare_runs(_run(tmp_path, "old", rows), _run(tmp_path, "new", rows[:2]))
    assert comparison.disappeared["comment_id"].to_list() == ["c2"]


def test_article_absent(tmp_path: Path) -> None:
    old = read_run(make_run(tmp_path / "old", pl.concat([comment_rows(OLD[:1], "a"), comment_rows(OLD[:1], "b")])))
    new = read_run(make_run(tmp_path / "new", comment_rows(OLD[:1], "a")))
    comparison = compare_runs(old, new)
    assert comparison.articles_removed == ["b"]
    assert comparison.disappeared.select("article_id", "reason").rows() == [("b", "article-absent")]


def test_stance_shift_and_missing_stage_note(tmp_path: Path) -> None:
    old = _run(tmp_path, "old", OLD, **{"stance.parquet": stance_rows(
        {"c1": (None, "support"), "c2": ("deny", "deny"), "c3": ("support", "support"), "c4": (None, "support")})})
    new = _run(tmp_path, "new", OLD, **{"stance.parquet": stance_rows(
        {"c1": (None, "deny"), "c2": ("deny", "deny"), "c3": ("support", "deny"), "c4": (None, "support")})})
    comparison = compare_runs(old, new)
    shift = {r["label"]: r for r in comparison.stance_shift.iter_rows(named=True)}
    assert shift["support"]["share_old"] == pytest.approx(0.75) and shift["support"]["share_new"] == pytest.approx(0.25)
    assert shift["deny"]["delta"] == pytest.approx(0.5)
    assert comparison.max_shift("stance") == pytest.approx(0.5)
    assert comparison.frame_shift is None and any("frames.parquet" in n for n in comparison.notes)


def test_frame_and_domain_shift(tmp_path: Path) -> None:
    def frames(hits: list[tuple[str, str]]) -> pl.DataFrame:
        return schemas.conform(pl.DataFrame({"article_id": ["a"] * len(hits), "doc_id": [h[0] for h in hits],
                                             "sent_idx": [0] * len(hits), "frame": [h[1] for h in hits]}),
                               schemas.FRAMES)

    def links(domains: list[tuple[str, str]]) -> pl.DataFrame:
        return schemas.conform(pl.DataFrame({"article_id": ["a"] * len(domains), "comment_id": [d[0] for d in domains],
                                             "registered_domain": [d[1] for d in domains]}), schemas.LINKS)

    old = _run(tmp_path, "old", OLD, **{"frames.parquet": frames([("c1", "Konflikt"), ("~article", "Wirtschaft")]),
                                         "links.parquet": links([("c1", "alt.example")])})
    new = _run(tmp_path, "new", OLD, **{"frames.parquet": frames([("c1", "Konflikt"), ("c2", "Konflikt"), ("c3", "Konflikt")]),
                                         "links.parquet": links([("c1", "alt.example"), ("c2", "neu.example")])})
    comparison = compare_runs(old, new)
    konflikt = comparison.frame_shift.filter(pl.col("label") == "Konflikt").row(0, named=True)
    assert (konflikt["share_old"], konflikt["share_new"]) == (0.25, 0.75)
    assert comparison.new_domains() == ["neu.example"]
    assert comparison.domain_shift["domain"].to_list() == ["neu.example"]


def test_write_json_and_parquet(tmp_path: Path) -> None:
    comparison = compare_runs(_run(tmp_path, "old", OLD), _run(tmp_path, "new", OLD[:3]))
    paths = comparison.write(tmp_path / "cmp")
    data = json.loads((tmp_path / "cmp" / "comparison.json").read_text())
    assert data["n_disappeared"] == 1 and data["disappeared"][0]["comment_id"] == "c4"
    assert {p.name for p in paths} >= {"comparison.json", "comparison_disappeared.parquet"}
    assert comparison.to_json() == comparison.to_json()  # deterministic


def test_shifted_ids_name_the_comment_that_really_vanished(tmp_path: Path) -> None:
    # Page text without authors: c2 is removed, c3 is edited (typo fixed) and renumbered c2,
    # c4 becomes c3.  An id-based pairing would call c3 removed and c2 "edited" into c3's text.
    old_rows = [
        {"comment_id": "c1", "depth": 1, "text": "Der Artikel verschweigt die Kosten der Sanierung."},
        {"comment_id": "c2", "parent_id": "c1", "depth": 2, "text": "Sie sind ein Idiot und sollten schweigen."},
        {"comment_id": "c3", "parent_id": "c1", "depth": 2, "text": "Die Kosten stehen im zweiten Absatz, aber nur grob."},
        {"comment_id": "c4", "depth": 1, "text": "Wann beginnt der Umbau eigentlich?"},
    ]
    new_rows = [
        dict(old_rows[0]),
        {"comment_id": "c2", "parent_id": "c1", "depth": 2, "text": "Die Kosten stehen im zweiten Absatz, aber nur sehr grob."},
        {"comment_id": "c3", "depth": 1, "text": "Wann beginnt der Umbau eigentlich?"},
    ]
    for row in (*old_rows, *new_rows):
        row["author"] = None
    comparison = compare_runs(_run(tmp_path, "old", old_rows), _run(tmp_path, "new", new_rows))
    assert comparison.disappeared.get_column("comment_id").to_list() == ["c2"]
    assert comparison.disappeared.row(0, named=True)["excerpt"].startswith("Sie sind ein Idiot")
    edited = comparison.edited.row(0, named=True)
    assert comparison.edited.height == 1
    assert (edited["comment_id"], edited["new_comment_id"]) == ("c3", "c2")
    assert comparison.new_comments.is_empty()


def test_same_id_with_unrelated_text_is_not_an_edit(tmp_path: Path) -> None:
    # Same author posted twice; the first was removed and ids shifted: the second comment now
    # holds the first one's id.  Its text is unrelated, so it is not an "edit" of the first.
    old_rows = [
        {"comment_id": "c1", "depth": 1, "text": "Völliger Unsinn, was hier steht.", "author": "anna"},
        {"comment_id": "c2", "depth": 1, "text": "Nachtrag: die Zahlen vom Ministerium fehlen.", "author": "anna"},
    ]
    new_rows = [{"comment_id": "c1", "depth": 1, "text": "Nachtrag: die Zahlen vom Ministerium fehlen.", "author": "anna"}]
    comparison = compare_runs(_run(tmp_path, "old", old_rows), _run(tmp_path, "new", new_rows))
    assert comparison.disappeared.get_column("excerpt").to_list() == ["Völliger Unsinn, was hier steht."]
    assert comparison.edited.is_empty() and comparison.new_comments.is_empty()


def test_removed_with_text_is_named_by_its_text(tmp_path: Path) -> None:
    old_rows = [{"comment_id": "p1", "depth": 1, "text": "Eine harte, aber sachliche Kritik.", "author": "u1"},
                {"comment_id": "p2", "depth": 1, "text": "Beleidigung ohne Inhalt.", "author": "u2"}]
    new_rows = [dict(old_rows[0]), {**old_rows[1], "kind": "deleted", "is_deleted": True}]
    comparison = compare_runs(_run(tmp_path, "old", old_rows), _run(tmp_path, "new", new_rows))
    assert comparison.disappeared.select("comment_id", "reason").rows() == [("p2", "now-deleted-with-text")]


def test_similarity_is_symmetric_and_bounded() -> None:
    from analyzer.outputs.compare import similarity

    a, b = "Die Kosten stehen im zweiten Absatz.", "Die Kosten stehen im  zweiten Absatz!"
    assert similarity(a, a) == 1.0
    assert 0.9 < similarity(a, b) == similarity(b, a) < 1.0
    assert similarity(a, "Wann beginnt der Umbau?") < 0.6
