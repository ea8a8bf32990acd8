"""Forum threads in page text (session 12): post signatures with coarse dates, thread lists."""

from __future__ import annotations

from pathlib import Path

from analyzer.ingest import capturelist, forumposts, listevidence, read, textshapes

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "forum_text12"


def _read(name: str):
    out = read([FIXTURES / name])
    rows = list(out.comments.filter(out.comments["kind"] == "comment").iter_rows(named=True))
    return rows, {i.code for i in out.issues}


def _dated_by_month(lines: list[str], line: str) -> bool:
    token = capturelist.dating_by_month(lines)
    try:
        return capturelist.date_in_line(line) is not None
    finally:
        capturelist.reset_dating(token)


_BOARD = (FIXTURES / "coarse_dates_board_en.txt").read_text(encoding="utf-8").split("\n")


def test_month_and_year_at_a_line_start_is_a_coarse_post_date_on_a_board_dated_so() -> None:
    assert capturelist.month_year_posts(_BOARD)
    assert _dated_by_month(_BOARD, "    April 2019")
    assert _dated_by_month(_BOARD, "April 2019 edited April 2019")
    assert _dated_by_month(_BOARD, "March_2018   edited March 2018")  # Debian html2text
    assert _dated_by_month(_BOARD, "Mai 2019")
    assert capturelist.date_in_line("April 2019") is None  # outside a page dated so


def test_month_and_year_inside_prose_or_a_profile_field_is_no_post_date() -> None:
    assert not _dated_by_month(_BOARD, "In April 2019 we moved the beds to the south fence.")
    assert not _dated_by_month(_BOARD, "Joined: April 2019")
    assert not _dated_by_month(_BOARD, "April 2019 (3)")  # an archive entry with its count


def test_an_archive_run_or_a_calendar_caption_dates_no_post() -> None:
    archive = (FIXTURES / "archive_sidebar_blog_en.txt").read_text(encoding="utf-8").split("\n")
    assert not capturelist.month_year_posts(archive)
    calendar = ["Some prose of the article that ends here.", "", "    February 2020", "M  T  W  T  F  S  S",
                "               1  2", "3  4  5  6  7  8  9", "", "Categories"]
    assert not capturelist.month_year_posts(calendar)


def test_a_board_with_coarse_dates_is_read_post_by_post() -> None:
    rows, codes = _read("coarse_dates_board_en.txt")
    texts = [r["text"] for r in rows]
    assert len(rows) == 3
    assert texts[0].startswith("I have had good luck")
    assert "Seconding the fleece" in texts[1]
    assert texts[2].startswith("Thank you both")
    assert all(r["parent_id"] is None for r in rows)
    assert "unparsed-date" in codes  # month and year only: no day to give the post


def test_a_monthly_archive_list_is_no_comment_list() -> None:
    rows, codes = _read("archive_sidebar_blog_en.txt")
    assert rows == []
    assert "comments-not-recognised" not in codes


def _items(name: str) -> list[str]:
    """The thread list's items as a reader that took each last-post date for a comment's date
    would read them: the lines from one date line to the next."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    starts = [i for i, line in enumerate(lines) if capturelist.date_in_line(line) and not line.startswith("  ")]
    return ["\n".join(lines[a + 1:b]) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


def test_a_thread_list_read_as_comments_is_a_listing() -> None:
    items = _items("thread_list_en.txt")
    assert len(items) == 10
    assert listevidence.listing_reading(items)
    assert not listevidence.listing_reading(items[:7])  # too short a list to judge


def test_short_comments_with_sentences_are_no_listing() -> None:
    short = ["Thanks, that worked for me.", "Same here!", "Great write-up, bookmarked it.",
             "I tried it and it failed.", "Which version do you run?", "Works on mine.", "Agreed.",
             "Lovely photos of the beds.", "See the second link above."]
    assert not listevidence.listing_reading(short)
    posts, _ = _read("coarse_dates_board_en.txt")
    assert not listevidence.listing_reading([p["text"] for p in posts] * 3)


def test_a_thread_list_page_gives_no_comments() -> None:
    rows, _ = _read("thread_list_en.txt")
    assert rows == []


def test_names_taking_turns_on_dated_signature_lines_are_a_thread() -> None:
    rows, codes = _read("board_archive_signatures_en.txt")
    assert [r["author"] for r in rows] == ["Ines Okafor", "tomas.v", "Ines Okafor", "Marguerite L", "tomas.v",
                                           "Ines Okafor"]
    assert rows[1]["text"].startswith("Check the axles before the wheels.")
    assert rows[-1]["text"].endswith("Thank you all.")
    assert all(r["parent_id"] is None for r in rows)
    assert rows[0]["created_at"] is not None
    assert "nesting-lost" in codes


def test_one_author_dated_teasers_take_no_turns() -> None:
    rows, _ = _read("dated_teasers_one_author_en.txt")
    assert rows == []


def test_a_reply_button_after_the_date_is_no_signature_line_of_a_conversation() -> None:
    assert textshapes._ZONE_TAIL.match(" UTC")
    assert textshapes._ZONE_TAIL.match("")
    assert textshapes._ZONE_TAIL.match(" +0100")
    assert not textshapes._ZONE_TAIL.match("ответить")
    assert not textshapes._ZONE_TAIL.match(" Reply")


def test_a_board_numbering_its_replies_only_keeps_reply_one() -> None:
    rows, codes = _read("replies_numbered_only_en.txt")
    assert [r["text"][:20] for r in rows] == ["Wet bark and leaves ", "Moved the insulator ", "Good result. If the ",
                                              "Same problem here wi"]
    assert not any(r["author"] and r["author"].endswith("]") for r in rows)  # "[ic]" is an icon, no name
    assert "forum-opening-post" in codes


def test_a_topic_summary_line_is_no_opening_post() -> None:
    from analyzer.ingest import forumposts
    assert forumposts._date_shape("Started by Kestrel, March 12, 2023, 08:14:02 PM") != forumposts._date_shape(
        "[ic] March 13, 2023, 07:51:40 AM")
    assert forumposts._date_shape("[ic] March 12, 2023, 08:14:02 PM") == forumposts._date_shape(
        "[ic] March 13, 2023, 07:51:40 AM")


def test_a_thread_of_two_posts_is_read_as_opening_post_and_reply() -> None:
    rows, codes = _read("two_posts_board_en.txt")
    assert len(rows) == 1
    assert rows[0]["author"] == "Sunniva Brandt"
    assert rows[0]["text"].startswith("Two of the bigger touring brands")
    assert "forum-opening-post" in codes


def test_a_lone_pair_of_numbers_in_prose_is_no_thread() -> None:
    from analyzer.ingest import forumposts
    text = ("Notes\n\nThe list below has two points.\n#1\nBring a spare paddle on long trips over open water.\n"
            "#2\nTell someone on shore when you expect to be back.\n")
    assert forumposts.split_posts(text.split("\n")) is None


def test_names_alone_over_posts_that_answer_each_other_are_not_silent() -> None:
    rows, codes = _read("names_over_mentions_en.txt")
    assert rows == []  # not read (no date, no mark), but said
    assert "comments-not-recognised" in codes


def test_headings_over_paragraphs_are_no_mentions() -> None:
    from analyzer.ingest import textsigns
    page = ["Pruning", "", "Cut in late winter, when the wood is bare and the cuts heal fast enough.", "",
            "Feeding", "", "Pruning leaves wounds, so feed lightly in spring and mulch the roots well.", "",
            "Watering", "", "Young trees need water in dry weeks, older ones rarely do in a wet climate.", "",
            "Harvest", "", "Pick when the fruit comes away with a gentle twist of the stalk and not before."]
    assert textsigns._mention_run(page) is None  # one opening with another heading's word, not two


# Quotes opening a post (session 12, s12-text2): a long title, a title wrapped before its verb,
# a quote the capture prints without a mark (it copies a post above).

def _texts(name: str) -> list[str]:
    rows, _ = _read(name)
    return [r["text"] for r in rows]


def test_a_quote_under_a_title_wrapped_before_its_verb_is_left_out_of_the_reply() -> None:
    texts = _texts("quoted_archive_indented_en.txt")
    assert len(texts) == 7
    assert texts[3].startswith("Straw works well.")
    assert not any("author=" in t or "wrote:" in t for t in texts)


def test_a_quote_the_capture_does_not_mark_is_left_out_where_it_copies_a_post_above() -> None:
    texts = _texts("quoted_archive_plain_en.txt")
    assert len(texts) == 6
    assert texts[2].startswith("It does smell sour when I turn it.")
    assert "Grass mats together" not in texts[2]


def test_a_long_quote_title_opens_a_quote_and_a_lone_verb_only_under_a_title() -> None:
    title = "    author=Ruth Abernathy link=topic=88.0.msg915#msg915 date=1434049500 wrote:"
    post = [title, "    It does smell sour when I turn it.", "", "Straw works well. Wet it first."]
    assert forumposts.strip_quotes(post) == ["Straw works well. Wet it first."]
    wrapped = ["    author=Ruth Abernathy link=topic=88.0.msg915#msg915 date=1434049500", "    wrote:",
               "    It does smell sour when I turn it.", "", "Straw works well. Wet it first."]
    assert forumposts.strip_quotes(wrapped) == ["Straw works well. Wet it first."]
    # A sentence that ends before a wrapped verb is no title; neither is a verb with no title.
    prose = ["We planted the beans in May.", "wrote:", "Straw works well. Wet it first."]
    assert forumposts.strip_quotes(prose) == prose
    # An unmarked quote stays where nothing above is copied.
    plain = ["author=dmitri_k link=topic=88.msg912 date=1434019200 wrote:",
             "Too much grass and too little air, I would guess.", "", "It does smell sour."]
    assert forumposts.strip_quotes(plain) == plain
    earlier = forumposts.fold("Too much grass and too little air, I would guess. More words.")
    assert forumposts.strip_quotes(plain, earlier) == ["It does smell sour."]


def test_a_set_in_block_opening_a_post_with_no_title_stays_in_the_post() -> None:
    # No title, no closer: a block set in over the reply may be a quote or the writer's own
    # (a link, a quoted line the writer typed); readers of such pages keep it, so it stays.
    texts = _texts("quoted_archive_indented_en.txt")
    assert len(texts) == 7
    assert texts[5].lstrip().startswith("The heap should also be at least a metre each way")
    assert texts[5].endswith("Seconded, ours is a metre and a half and it never cools down.")


def test_posts_signed_by_name_and_date_keep_their_last_short_lines() -> None:
    texts = _texts("signoff_archive_en.txt")
    assert len(texts) == 6
    assert texts[0].endswith("did I mix it wrong?\nHamid")  # the sign-off is the post's, not the next header's
    assert texts[2] == "Same here"  # a short reply under a quote is the reply
    assert texts[3].startswith("Did you dilute it")



def test_a_typed_quote_line_opening_a_reply_in_a_text_browser_stays_in_the_reply() -> None:
    # "> …" as the commenter typed it, printed as is by a text browser: it copies the post
    # above, and it stays the reply's first line (only a block set in deeper is a quote).
    texts = _texts("typed_quote_archive_en.txt")
    assert len(texts) == 6
    assert texts[2].startswith("> A milky base means the film is not fixed yet.")
    assert texts[5].startswith("Good. Write the date on the bottle")
