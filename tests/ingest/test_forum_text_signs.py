"""Forums and news systems in page text: never silent (issue 12, session 10).

Evidence of a comment list that the older kinds of :mod:`analyzer.ingest.textsigns` missed:
ages and dates in Chinese, Japanese and Korean (:mod:`analyzer.ingest.cjkdates`), forum profile
columns (post counts, handles, numbered dates), author lines ("NAME said,"), signatures with a
date printed mid-line by table layouts, and the tool marks around them (lynx's "(BUTTON)",
Debian html2text's underscored links and image addresses, rank stars after names).  All texts
are invented.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from analyzer.cli import main
from analyzer.ingest import cjkdates, textsigns
from analyzer.ingest.dates import parse_date

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2024, 5, 27, 12, 0, tzinfo=UTC)


def _lines(text: str) -> list[str]:
    return text.strip("\n").split("\n")


# --- CJK ages and dates ------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["21 天", "2 天前", "3 小时", "3 小时前", "5時間前", "10 分钟前", "3일 전", "2 个月",
                                  "1 年", "5 月 6 日", "2021 年 4 月", "2024年5月6日 12:30", "• 21 天"])
def test_cjk_ages_and_dates_are_date_lines(line: str) -> None:
    assert cjkdates.date_line(line)
    assert textsigns.date_line(line)


@pytest.mark.parametrize("line", ["15 天后", "4 月", "21 天的旅行计划很长", "天气很好", "2021", "第 3 天", "3 天 4 夜的行程"])
def test_what_is_no_cjk_date_line(line: str) -> None:
    """A gap marker ("15 days later"), a month alone, prose with a unit in it."""
    assert not cjkdates.date_line(line)


def test_cjk_ages_parse_against_the_capture_time_only() -> None:
    assert parse_date("21 天", now=NOW) == datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
    assert parse_date("3 小时前", now=NOW) == datetime(2024, 5, 27, 9, 0, tzinfo=UTC)
    assert parse_date("3일 전", now=NOW) == datetime(2024, 5, 24, 12, 0, tzinfo=UTC)
    assert parse_date("21 天") is None  # no capture time: stays unparsed (an unparsed-date issue)
    assert parse_date("15 天后", now=NOW) is None


def test_cjk_dates_parse_with_and_without_a_year() -> None:
    assert parse_date("2024年5月6日 12:30") == datetime(2024, 5, 6, 12, 30, tzinfo=UTC)
    assert parse_date("5 月 6 日", now=NOW) == datetime(2024, 5, 6, tzinfo=UTC)
    assert parse_date("12 月 30 日", now=NOW) == datetime(2023, 12, 30, tzinfo=UTC)  # not ahead of the capture
    assert parse_date("5 月 6 日") is None


# --- names and prose ----------------------------------------------------------------------------

@pytest.mark.parametrize(("meta", "name"), [
    ("mirekpMirek PolanskiLeader 2023", "mirekp"),  # a user name glued to the display name
    ("Odile Fenwick ✭✭", "Odile Fenwick"),  # rank stars after the name
    ("Tamsin_Rowe ★", "Tamsin_Rowe"),
])
def test_names_in_forum_headers(meta: str, name: str) -> None:
    assert textsigns.name_in(meta) == name


def test_a_glued_user_name_line_is_no_headline() -> None:
    assert not textsigns.headline("mirekpMirek Polanski Leader 2023")
    assert textsigns.headline("Council Votes On The New Bridge Plan")


@pytest.mark.parametrize("line", ["I would be interested too.", "Count me in as well, please!", "That fixed it for me."])
def test_short_replies_are_prose(line: str) -> None:
    assert textsigns.prose_line(line)


@pytest.mark.parametrize("line", ["Contact Us.", "Read More About It", "Home Page Links Here"])
def test_short_titles_are_no_prose(line: str) -> None:
    assert not textsigns.prose_line(line)


def test_chinese_sentences_are_prose() -> None:
    assert textsigns.prose_line("我们也在考虑这个问题，希望下个版本可以支持。")
    assert not textsigns.prose_line("相关话题")


@pytest.mark.parametrize(("raw", "seen"), [
    ("(BUTTON) Ответить", "Ответить"),
    (" Report  [/assets/img/flag_red.png]", "Report"),
    ("21_天", "21 天"),
    ("3_replies", "3 replies"),
])
def test_tool_marks_are_not_seen(raw: str, seen: str) -> None:
    assert textsigns.visible(raw) == seen


# --- forum profile columns ----------------------------------------------------------------------

@pytest.mark.parametrize("line", ["262 Posts", "Offline12 posts", "Posts: 486", "Beiträge: 35", "(@ferro-marta)",
                                  "#2 · May 21, 2024, 12:33 pm", "Joined: Aug 2018", "Registriert: 3. Mai 2019",
                                  "41 Posts ______"])
def test_profile_lines(line: str) -> None:
    assert textsigns.profile_line(line)


@pytest.mark.parametrize("line", ["Posts", "Recent Posts", "#2", "Joined", "12 posts about gardening and the weather"])
def test_what_is_no_profile_line(line: str) -> None:
    assert not textsigns.profile_line(line)


def _thread(headers: list[list[str]], bodies: list[str]) -> str:
    out = ["Forum › Boards › Garden", "", "Why do my tomato leaves curl?", ""]
    for header, body in zip(headers, bodies, strict=True):
        out += header + ["", body, "", "Quote", ""]
    return "\n".join(out)


BODIES = [
    "the leaves on my tomato plants started to curl last week and I cannot tell why that happens.",
    "that is usually the heat, they curl up to lose less water and recover in the evening.",
    "thanks, it has been very hot here and they looked fine again this morning after the rain.",
]


def test_two_posts_with_profile_columns_are_evidence() -> None:
    """A question and its answer: two posts, each with a post count and a numbered date."""
    headers = [["Marta Ferro", "41 Posts", "#1 · May 16, 2024, 8:16 pm"],
               ["Olek Brandt", "1,204 Posts", "#2 · May 17, 2024, 9:02 am"]]
    signs = textsigns.collect(_lines(_thread(headers, BODIES[:2])))
    assert "post-profile" in signs.describe()


def test_three_posts_with_post_counts_and_no_readable_date_are_evidence() -> None:
    headers = [[n, f"Offline{k} posts", "7 days ago7 days ago"] for n, k in (("marta", 12), ("olek", 880), ("marta", 12))]
    assert "post-profile" in textsigns.collect(_lines(_thread(headers, BODIES))).describe()


def test_a_member_list_is_no_forum_thread() -> None:
    """Post counts without anybody's words between them: a member list."""
    text = "\n".join(["Members", ""] + [f"{n}\n{k} posts\nJoined: Mar 2020\n" for n, k in
                                          (("marta", 12), ("olek", 880), ("ines", 7), ("bo", 3))])
    assert not textsigns.collect(_lines(text)).is_comment_list()


def test_one_author_box_is_no_forum_thread() -> None:
    text = _thread([["Marta Ferro", "41 Posts", "May 16, 2024"]], BODIES[:1])
    assert "post-profile" not in textsigns.collect(_lines(text)).describe()


def test_profile_rows_of_a_table_layout() -> None:
    """markdownify prints a thread laid out as a table on one line per row."""
    row = "| **[{n}](u.html)** Offline Posts: {k} Threads: 3 Joined: Aug 2018 Location: Lisbon | {body} |"
    text = "\n".join(row.format(n=n, k=k, body=b) for n, k, b in (("marta", 41, BODIES[0]), ("olek", 9, BODIES[1])))
    assert "profile-column" in textsigns.collect(_lines(text), text).describe()
    assert textsigns.profile_rows(text) == 2


# --- author lines and signatures -----------------------------------------------------------------

def test_author_lines_said_with_a_comma() -> None:
    assert textsigns.author_line("wrenfield said,") == "wrenfield"
    assert textsigns.author_line("Odile Fenwick says:") == "Odile Fenwick"
    assert textsigns.author_line("The minister said") is None  # no name: "The minister"


def test_author_line_runs_are_evidence() -> None:
    names = ["wrenfield", "Odile Fenwick", "tomtom", "Rui Alves"]
    out = ["A week in Lisbon", "", "Posted on August 9th, 2012 by tomtom", ""]
    for k, (name, body) in enumerate(zip(names, BODIES + BODIES[:1], strict=True), 1):
        out += [f" {k}. August 9th, 2012 at 8:{30 + k} am", "", f"    {name} said,", "", f"    {body}", ""]
    assert "author-line" in textsigns.collect(out).describe()


def test_signatures_with_a_date_mid_line() -> None:
    text = ("| Blog | Posted by: Marta Ferro at November 9, 2012 7:49 AM | Archives |\n"
            "| Books | Posted by: olek at November_9,_2012_8:01_AM | 2011 |\n"
            "| Essays | Posted by: Rui Alves at November 9, 2012 8:28 AM | 2010 |\n")
    assert textsigns.signed_dates(text)[0] == 3
    assert "signature" in textsigns.collect(_lines(text), text).describe()


def test_one_signature_repeated_is_the_article_s_own() -> None:
    text = "\n".join(["Posted by: Marta Ferro at November 9, 2012 7:49 AM"] * 4)
    assert textsigns.signed_dates(text) == (0, -1)


# --- the reader ---------------------------------------------------------------------------------

def test_forum_thread_with_profile_columns_is_never_silent(tmp_path: Path) -> None:
    page = ROOT / "fixtures" / "en_forum_profile_columns" / "input.txt"
    assert main(["analyse", str(page), "--out", str(tmp_path / "run"), "-q", "--stages", "structure"]) == 1


def test_forum_topic_in_a_chinese_locale_is_read() -> None:
    """The posts of a topic whose ages are "21 天" are read by their shape; the topic's
    statistics box ("最后回复 ● 2 天", then counts) is no post."""
    from analyzer.ingest import read

    ingested = read([ROOT / "fixtures" / "zh_forum_locale_ages" / "input.txt"])
    texts = ingested.comments["text"].to_list()
    assert len(texts) == 6
    assert texts[1].startswith("I use a cheap timer")
    assert not any("用户" in t for t in texts)  # the statistics box ("用户" = users) is in no text
    assert sum(i.code == "unparsed-date" for i in ingested.issues) == 6


def test_a_stats_box_is_no_post() -> None:
    from analyzer.ingest.textshapes import _stats_box

    assert _stats_box("浏览量\n7\n用户\n14\n赞")
    assert _stats_box("    views\n\n  • 581\n\n    users\n\n  • 7\n\n  • [30091]\n    [20496]\n\n●")
    assert not _stats_box("Thanks!\n1")
    assert not _stats_box("I tried it twice.\n2\nthen it worked on the third attempt, with the old cable.\n3")
