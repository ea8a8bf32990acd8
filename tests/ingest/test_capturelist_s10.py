"""Invented comments in page text (session 10, issue #12): thread-navigation links, vote counts
between a comment's buttons and its text, and pages without comments whose menus, form boxes or
statistics tables were read as comment lists.  Every fixture is invented text
(fixtures/capture_s10/NOTES.md names the phenomenon each one reproduces)."""

from __future__ import annotations

from pathlib import Path

from analyzer.ingest import listevidence, read

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "capture_s10"


def _read(name: str):
    out = read([FIXTURES / name])
    rows = list(out.comments.filter(out.comments["kind"] == "comment").iter_rows(named=True))
    return rows, {i.code for i in out.issues}


def test_thread_navigation_links_are_buttons_not_comment_heads() -> None:
    # elinks prints "• Reply" / "• Parent" / "• Thread" / "•" / "• Link" under each comment of a
    # threaded blog; the empty item and "Link" opened a comment named "Link" whose text was the
    # next commenter's name.
    rows, codes = _read("thread_links_elinks_en.txt")
    assert [r["author"] for r in rows] == ["mossy_fernhill", "quill_and_radish", "mossy_fernhill",
                                           "tansy_larkspur", "oldgrowth_otto"]
    assert rows[0]["text"].startswith("Finally! I have been keeping my bean seeds")
    assert rows[3]["text"].startswith("Will they take seeds from hybrids?")
    assert not any(r["text"].startswith("[IMG]") or r["author"] == "Link" for r in rows)
    assert "nesting-lost" in codes


def test_vote_counts_between_buttons_and_text_are_not_the_text() -> None:
    # avatar / name / date / "Report to moderator" / up votes / down votes / "Reply" / text.
    rows, _ = _read("vote_counts_between_buttons_en.txt")
    assert len(rows) == 5
    assert [r["text"].split()[0] for r in rows] == ["Nobody", "@gullwatcher:", "The", "@Brine.:", "Goalless,"]
    assert rows[2]["author"] == "Brine."  # a one-word nickname with a full stop, under the avatar line
    assert not any(r["text"].strip().isdigit() for r in rows)
    assert not any("avatar" in r["text"] for r in rows)  # the next comment's avatar line


def test_footer_widgets_under_an_empty_comment_section_are_no_comments() -> None:
    rows, codes = _read("footer_menus_none_en.txt")
    assert rows == []
    assert "comments-not-recognised" not in codes


def test_the_comment_forms_preview_box_is_no_comment_list() -> None:
    rows, _ = _read("form_preview_none_en.txt")
    assert rows == []


def test_the_forms_field_label_opens_no_list_of_sidebar_titles() -> None:
    rows, _ = _read("form_label_sidebar_none_en.txt")
    assert rows == []


def test_a_statistics_table_saying_replies_0_opens_no_list() -> None:
    # A forum topic without replies: "Replies" / "0" is no header over comments, and the topic's
    # own post under it is no comment; nor is the page a comment section not recognised.
    rows, codes = _read("stats_zero_none_en.txt")
    assert rows == []
    assert "comments-not-recognised" not in codes


def test_menu_text_tells_link_lists_from_comments() -> None:
    assert listevidence.menu_text("+ In der Mobil-Version anzeigen\n+ Die Tablet-App\n+ Über die Apps")
    assert listevidence.menu_text("Latest News Eastwick Westport Politics Working in Northland Learning All topics")
    assert not listevidence.menu_text("Super Artikel vielen Dank")  # short: not judged
    assert not listevidence.menu_text("Die Politik der Regierung ist eine Katastrophe für die Bauern im Norden")
    assert not listevidence.menu_text("I agree.\n* first point\n* second point")  # too short to be a menu
    assert not listevidence.menu_text("Thanks for the list, I would add:\n* Rye\n* Oats\nBoth grow well here.")
    assert listevidence.form_heading("Previewing your Comment")
    assert not listevidence.form_heading("Commentator Jones") and not listevidence.form_heading("Anna Berg")


def test_parent_links_give_the_tree_back_in_a_flat_markdown_capture() -> None:
    # "[Parent](…#t9101)" / "[Link](…#t9102)" under each comment: markdown keeps the targets, so
    # the reply tree is read from them though the converter printed the list flat.
    rows, codes = _read("thread_links_markdown_en.txt")
    assert [r["author"] for r in rows] == ["mossy_fernhill", "quill_and_radish", "mossy_fernhill",
                                           "tansy_larkspur", "oldgrowth_otto", "quill_and_radish"]
    assert [r["parent_id"] for r in rows] == [None, "c1", "c2", "c1", None, "c5"]
    assert "nesting-from-links" in codes and "nesting-lost" not in codes


def test_parent_links_that_do_not_line_up_keep_the_flat_reading() -> None:
    from analyzer.core.records import RawComment
    from analyzer.ingest import threadlinks

    flat = [RawComment(comment_id=f"c{n}", parent_id=None, declared_depth=1, author="a", created_at=None,
                       text="t", source_line=n, edge_confidence=0.2) for n in (1, 2, 3)]
    raw = ("[Link](https://x.example/1.html#t1)\n[Parent](https://x.example/1.html#t9)\n"
           "[Link](https://x.example/1.html#t2)\n[Link](https://x.example/1.html#t3)\n")
    issues: list = []
    assert not threadlinks.apply(flat, raw, issues, "p", "a")  # parent t9 is no comment read
    assert all(c.parent_id is None for c in flat) and issues == []
