"""Comment sections read by the page's own recurring shape (analyzer/ingest/textshapes.py).

The fixtures are invented pages in the layouts of news sites and other comment systems
(fixtures/text_shapes/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.ingest import read, textshapes

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "text_shapes"


def _read(name: str):
    out = read([FIXTURES / name])
    rows = list(out.comments.filter(out.comments["kind"] == "comment").iter_rows(named=True))
    return rows, {i.code for i in out.issues}, out.issues


def test_bulleted_tree_keeps_the_nesting_the_indentation_shows() -> None:
    rows, codes, _ = _read("bulleted_tree_de.txt")
    assert [r["author"] for r in rows] == [
        "Hannelore Kwast", "Bruno Fechter", "Hannelore Kwast", "Olrik Pannenberg", "Greta Sommerfeld"]
    by_author_text = {r["text"][:12]: r for r in rows}
    ids = {r["comment_id"]: r for r in rows}
    reply = by_author_text["@Hannelore K"]
    assert ids[reply["parent_id"]]["author"] == "Hannelore Kwast"
    deeper = by_author_text["@Bruno Fecht"]
    assert ids[deeper["parent_id"]]["author"] == "Bruno Fechter"
    assert by_author_text["Wer soll das"]["parent_id"] is None
    assert all("antworten" not in r["text"] and "melden" not in r["text"] for r in rows)
    assert "nesting-lost" not in codes
    assert all(r["edge_confidence"] >= 0.8 for r in rows)


def test_browser_copy_is_flat_with_low_confidence_and_nesting_lost() -> None:
    rows, codes, _ = _read("mentions_flat_de.txt")
    assert [r["text"].split()[0] for r in rows] == ["Endlich", "@Hannelore", "Wer", "Ein"]
    assert "nesting-lost" in codes
    assert all(r["edge_confidence"] <= 0.5 for r in rows)
    assert not any("Mehr zum Thema" in r["text"] for r in rows)


def test_an_at_name_opening_links_to_that_name_with_low_confidence() -> None:
    lines = (FIXTURES / "mentions_flat_de.txt").read_text(encoding="utf-8").split("\n")
    reading = textshapes.read_shapes(lines)
    assert reading is not None and len(reading.comments) == 4
    parents, confidence, how = textshapes._parents(reading.comments)
    assert parents == [None, "c1", None, None]
    assert confidence[1] == textshapes.MENTION_EDGE_CONFIDENCE and confidence[0] == textshapes.FLAT_EDGE_CONFIDENCE
    assert how == textshapes.MENTIONS


def test_name_place_date_lines_with_vote_rows() -> None:
    rows, codes, _ = _read("name_place_date_en.txt")
    assert [r["text"].split()[0] for r in rows] == ["Best", "Our", "Is"]
    assert [r["author"] for r in rows] == ["Petronella", "Dunstan K", "marigold77"]
    assert not any("Click to rate" in r["text"] or "Most read" in r["text"] for r in rows)
    assert "nesting-lost" in codes


def test_reply_references_and_dotted_ordinals_give_the_parent() -> None:
    rows, codes, _ = _read("ordinal_refs_de.txt")
    assert [r["author"] for r in rows] == ["Wendelin_K", "Rosalind Trapp", "Kaspar Ohm"]
    assert rows[1]["parent_id"] == rows[0]["comment_id"]
    assert rows[2]["parent_id"] is None
    assert "Antwort auf" not in rows[1]["text"] and "Empfehlen" not in rows[1]["text"]
    assert "comment-shape" in codes


def test_relative_dates_and_rating_rows() -> None:
    rows, codes, _ = _read("relative_flat_es.txt")
    assert [r["author"] for r in rows] == ["Anselmo_R", "Lucía Ferrán", "vecino_del_4"]
    assert not any("Valoración" in r["text"] for r in rows)
    assert "nesting-lost" in codes


def test_signed_by_lines_under_a_counted_heading() -> None:
    lines = (FIXTURES / "signed_by_fr.txt").read_text(encoding="utf-8").split("\n")
    reading = textshapes.read_shapes(lines)
    assert reading is not None
    assert [c.author for c in reading.comments] == ["Apolline-R", "gaspard_t", "Mireille Onfray"]
    # The avatar and the title above each date line are the next comment's header, not text.
    assert reading.comments[0].text.endswith("surtout les jours de pluie.")
    assert reading.comments[1].text == "On verra si les loyers des emplacements n'ont pas doublé, comme d'habitude."
    assert reading.comments[2].text.startswith("J'y allais")


def test_teaser_list_is_no_comment_list() -> None:
    lines = (FIXTURES / "teasers_no_comments_de.txt").read_text(encoding="utf-8").split("\n")
    assert textshapes.read_shapes(lines) is None


@pytest.mark.parametrize("text", [
    "Anna\n3 months ago\nA first comment.\nAnna\n4 months ago\nA second one.\n",  # no buttons, no heading
    "Home\nNews\nSport\n",
])
def test_no_shape_without_comment_evidence(text: str) -> None:
    assert textshapes.read_shapes(text.split("\n")) is None


def test_a_date_line_with_a_comment_count_is_a_teaser() -> None:
    assert textshapes._is_date_line("3. Mai 2021 | 12 Kommentare") is None
    assert textshapes._is_date_line("Isaac 16 minutes ago") is not None


@pytest.mark.parametrize("line", [
    "Like Like Like Like Like Like Like Like Like Like Like Like Like Like Like Like x",
    "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 x",
    "Antworten Melden Antworten Melden Antworten Melden Antworten Melden Antworten Melden ?",
    "12345678901234567890123456x",  # a digit run: the first pattern never returned
])
def test_a_near_button_line_fails_fast(line: str) -> None:
    # The first button pattern backtracked exponentially on such lines (a capture never finished).
    import time
    start = time.process_time()
    assert not textshapes._is_action(line)
    assert time.process_time() - start < 1.0


# --- session 8: shapes of other comment systems (fixtures/text_shapes/README.md) -------------


def test_post_numbers_counting_up_are_evidence_without_buttons_or_heading() -> None:
    rows, codes, _ = _read("post_numbers_en.txt")
    assert [r["author"] for r in rows] == [
        "Marguerite Oakes", "Ferdinand.Lisle", "Tamsin W", "Marguerite Oakes", "Ottilie Brandt"]
    assert rows[1]["text"].startswith("The small cherry types")
    assert all(r["parent_id"] is None and r["edge_confidence"] <= 0.2 for r in rows)
    assert "nesting-lost" in codes


def test_anchors_at_several_depths_make_a_reply_tree_without_buttons() -> None:
    rows, codes, _ = _read("indented_tree_en.txt")
    assert [r["text"].split()[0] for r in rows] == ["Will", "Yes,", "Thank", "Three", "Could"]
    ids = {r["comment_id"]: r for r in rows}
    parent_text = {r["text"].split()[0]: (ids[r["parent_id"]]["text"].split()[0] if r["parent_id"] else None)
                   for r in rows}
    assert parent_text == {"Will": None, "Yes,": "Will", "Thank": "Yes,", "Three": "Will", "Could": None}
    assert "nesting-lost" not in codes
    # The next comment's name and chrome lines are its header, not the end of the text above.
    assert all("□" not in r["text"] and "English" not in r["text"] for r in rows)


def test_recurring_header_chrome_is_evidence_and_the_name_above_it_is_the_header() -> None:
    rows, codes, _ = _read("header_chrome_flat_en.txt")
    assert [r["author"] for r in rows] == [
        None, "HollisQ OP", "wren@lakeside.example", "Ingeborg@pier.example", "Basil_Moreno@lakeside.example"]
    assert rows[2]["text"] == "Thank you, that is a relief."
    assert "nesting-lost" in codes and all(r["parent_id"] is None for r in rows)


def test_a_date_shown_twice_in_a_post_header_is_one_post_and_quotes_are_left_out() -> None:
    rows, codes, _ = _read("twice_dated_header_en.txt")
    assert [r["text"].split()[0] for r in rows] == ["I", "Cotton", "A", "Thank"]
    assert not any("said:" in r["text"] or "slackening after a few days\n" in r["text"][:60] for r in rows[1:])
    assert not any(r["author"] == "1 yr" for r in rows)
    # The sidebar's "Name · 1 hour ago" list after the thread is a larger-looking shape of its own.
    assert not any("Painting brass" in r["text"] for r in rows[:-1])


def test_glued_year_and_age_is_read_as_the_date() -> None:
    span = textshapes._is_date_line("April 2, 20241 yr")
    assert span is not None and "April 2, 20241 yr"[span[0]: span[1]] == "April 2, 2024"


def test_dateless_posts_anchored_on_recurring_post_chrome_are_flat() -> None:
    rows, codes, _ = _read("dateless_chrome_en.txt")
    assert [r["text"].split()[0] for r in rows] == ["Since", "@corvina", "@halvard", "@corvina"]
    # A forum's "@name" mention is no tree the page shows: every post top level.
    assert all(r["parent_id"] is None and r["edge_confidence"] <= 0.2 for r in rows)
    assert "nesting-lost" in codes
    assert not any("Reply Quote" in r["text"] for r in rows)


def test_a_book_list_with_dates_and_a_recurring_link_is_no_comment_list() -> None:
    lines = (FIXTURES / "book_list_no_comments_en.txt").read_text(encoding="utf-8").split("\n")
    assert textshapes.read_shapes(lines) is None


def test_a_list_printed_twice_is_read_once_with_an_issue() -> None:
    text = (FIXTURES / "indented_tree_en.txt").read_text(encoding="utf-8")
    head, _, thread = text.partition("You must log in to comment.")
    lines = (head + "You must log in to comment." + thread + "\n" + thread).split("\n")
    reading = textshapes.read_shapes(lines)
    assert reading is not None
    dropped = textshapes._drop_repeated(reading)
    assert len(reading.comments) == 5 and len(dropped) == 5


# --- session 11: lists whose comments show two kinds of date line --------------------------------


def test_interleaved_date_shapes_are_one_list() -> None:
    """A comment whose score is hidden prints another header shape ("NAME [score hidden] 2 hours
    ago" among "NAME 41 points 5 hours ago"): both shapes, alternating under the same footer, are
    one list, so the hidden-score comments are read, not folded into the comment above them."""
    rows, codes, _ = _read("interleaved_scores_en.txt")
    assert len(rows) == 10
    by_start = {r["text"][:20]: r for r in rows}
    ids = {r["comment_id"]: r for r in rows}
    hidden = by_start["How much are the bun"]
    assert ids[hidden["parent_id"]]["text"].startswith("Booked already")
    answer = by_start["About the same for t"]
    assert answer["parent_id"] == hidden["comment_id"]
    assert ids[by_start["They said they will "]["parent_id"]]["text"].startswith("Eight bicycles")
    assert not any("How much" in r["text"] for r in rows if r is not hidden)
    assert "nesting-lost" not in codes


def test_interleaving_needs_a_footer_on_both_sides() -> None:
    """A second date shape inside the comments' texts (a quoted "On DATE, NAME wrote" line, a
    date in a sentence) splits a comment without a footer before it: never joined."""
    lines = [
        "Comments", "",
        "anna_k 12 points 3 hours ago", "", "Seen at the pier", "March 3, 2024 at noon", "and more text follows.", "",
        "permalink save reply", "",
        "bert_o 8 points 2 hours ago", "", "Good point, and again", "March 9, 2024 at ten", "it was the same.", "",
        "permalink save reply", "",
        "cleo_v 5 points 1 hour ago", "", "Thanks for the notes.", "", "permalink save reply", "",
    ]
    contents = [textshapes._strip(line) for line in lines]
    _, groups = textshapes._shape_groups(contents)
    assert [len(members) for _, members in groups] == [3, 2]  # two shapes, alternating
    assert textshapes._interleaved(contents, groups) == []


def test_folded_comments_age_only_are_not_comments_of_buttons() -> None:
    """A journal's comment view: full comments carry "March 3 2024, 09:14:07 UTC2 days ago" (the
    age glued on), folded ones only "2 days ago" and their buttons.  The full comments are read
    with their dates, the folded ones are no "Collapse / Expand" comments, and the author is the
    name without the icon's alt text glued before it."""
    rows, codes, issues = _read("folded_ages_en.txt")
    assert [r["author"] for r in rows] == ["quillmere", "brenna_loft", "edgar_wren", "tolvar_k"]
    assert [r["text"].split()[0] for r in rows] == ["Finally.", "Does", "The", "Fully"]
    assert all("Expand" not in r["text"] and "Collapse" not in r["text"] for r in rows)
    assert [str(r["created_at"])[:16] for r in rows] == [
        "2024-03-03 09:14", "2024-03-03 10:02", "2024-03-04 18:40", "2024-03-05 07:03"]
    assert "nesting-lost" in codes
    assert not any(i.code == "unparsed-date" for i in issues)


@pytest.mark.parametrize(("line", "date"), [
    ("April 12 2018, 04:34:23 UTC1 week ago", "April 12 2018, 04:34:23 UTC"),
    ("Anna 12.03.2019 14:22:10 MSK", "12.03.2019 14:22:10 MSK"),
    ("March 3, 2024 at 9:14 am", "March 3, 2024 at 9:14 am"),
])
def test_a_timestamp_keeps_its_seconds_and_zone_not_the_name(line: str, date: str) -> None:
    span = textshapes._date_span(line)
    assert span is not None
    assert textshapes._AGE_TAIL.sub("", line[span[0]: span[1]]) == date


def test_underscored_ages_margin_images_and_a_first_comment_deeper_than_later_ones() -> None:
    """Debian html2text's table layout: "5_hours_ago" (no-break spaces as underscores) is a date,
    the spacer image's name in the left margin ("[board_files/s.gif]") is no text, and indentation
    that puts the first comment deeper than a later one is no reply tree (all top level, flat)."""
    rows, codes, _ = _read("spacer_margin_flat_en.txt")
    assert [r["author"] for r in rows] == ["saltwick", "pell_orr", "denny_w", "ysolde", "marram_j"]
    assert not any("s.gif" in r["text"] or "board_files" in r["text"] for r in rows)
    assert rows[0]["text"].split("\n")[1] == "The app was twenty minutes off twice last month."
    assert all(r["parent_id"] is None for r in rows)
    assert "nesting-lost" in codes
    # The page's own title and byline above the list are no part of the first comment's header.
    assert "88 points" not in (rows[0]["author"] or "")


def test_glued_signatures_below_the_texts_are_learnt_from_their_shape() -> None:
    """A news site's list signs each text below it with a line whose spans every tool glues
    ("НаписалNAMEсегодня в 09:40сегодня в 09:40ответитьсохранить"): no vocabulary names the lead
    word; the shape recurs under a heading that announces the count, with prose above the first
    such line, so each line closes the text above it.  The fold button naming the commenter over
    each text and the vote count under it are no text; "вчера" (yesterday) keeps the shape."""
    rows, codes, _ = _read("glued_signed_below_ru.txt")
    assert [r["text"].split()[0] for r in rows] == ["Наконец-то!", "А", "severyanka,", "Новый", "Полная", "Мост"]
    assert [r["author"] for r in rows][:1] + [r["author"] for r in rows][2:] == [
        "lodochnik", "matros_ivan", "chaika77", "bereg", "lodochnik"]
    assert not any("Развернуть" in r["text"] or r["text"].rstrip().endswith(("+41", "-2", "0")) for r in rows)
    assert rows[3]["text"].endswith("Я простоял на палубе всю дорогу.")
    assert all(r["parent_id"] is None for r in rows) and "nesting-lost" in codes


@pytest.mark.parametrize("line", ["Anna today at 11:49", "Gestern, 18:03", "Yesterday, 09:12 PM", "hier à 9h12",
                                  "Написалgena_pсегодня в 11:49"])
def test_a_day_named_with_a_time_is_a_date(line: str) -> None:
    assert textshapes._date_span(line) is not None


def test_a_date_printed_twice_in_a_row_is_one_date() -> None:
    line = "Написалberegвчера в 22:14вчера в 22:14ответить"
    span = textshapes._date_span(line)
    assert span is not None and line[span[1]:] == "ответить"
