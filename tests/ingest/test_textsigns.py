"""Headerless evidence of a comment list in page text (textsigns.py; issue 12, session 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.cli import main
from analyzer.ingest import textsigns

ROOT = Path(__file__).resolve().parents[2]


def _lines(text: str) -> list[str]:
    return text.strip("\n").split("\n")


def _blocks(meta: list[list[str]], bodies: list[str]) -> str:
    """A comment list: each block's meta lines, then its body, blank lines between."""
    out: list[str] = ["Article title", "", "The article's own first paragraph says what happened and why it matters here.", ""]
    for lines, body in zip(meta, bodies, strict=True):
        out += lines + ["", body, ""]
    return "\n".join(out)


BODIES = [
    "I think the council should have asked the neighbours before they started the work.",
    "That is exactly what happened last year as well, and nobody learnt anything from it.",
    "my grandmother still talks about the old bridge and how the river looked back then.",
    "we went there on sunday and it was far too crowded to enjoy the view at all.",
    "the photos in the article do not show how narrow the path has become since spring.",
]


@pytest.mark.parametrize("age", ["3 years ago", "vor 2 Tagen", "il y a 3 jours", "hace 2 horas", "2 giorni fa",
                                 "3 dagen geleden", "2 dni temu", "3 часа назад"])
def test_name_and_relative_age_blocks_are_evidence_in_eight_languages(age: str) -> None:
    names = ["Anna Berg", "tomtom", "Lea Kovač", "Rui", "Ola Nordmann"]
    signs = textsigns.collect(_lines(_blocks([[n, age] for n in names], BODIES)))
    assert signs.is_comment_list()
    assert "name-and-date" in signs.describe()
    assert signs.blocks() == 5


@pytest.mark.parametrize("button", ["Reply", "Antworten", "Répondre", "Responder", "Rispondi", "Reageren",
                                    "Odpowiedz", "Ответить", "Like · Reply", "12 points", "3 replies", "Permalink",
                                    "Link to comment", "[Zitieren] [Melden]"])
def test_reply_and_vote_button_lines(button: str) -> None:
    assert textsigns.button_line(button)
    signs = textsigns.collect(_lines(_blocks([[button]] * 4, BODIES[:4])))
    assert signs.is_comment_list() and "reply/vote-button" in signs.describe()


@pytest.mark.parametrize("line", ["Share", "52 Likes", "3.5k", "3457 messages", "Read more about the bridge", "Home"])
def test_furniture_that_is_no_comment_button(line: str) -> None:
    assert not textsigns.button_line(line)


def test_post_numbers_under_posters_names_repeat_as_evidence() -> None:
    names = ["Anna Berg", "tomtom", "Lea Kovač", "Rui"]
    meta = [[name, "Member", "Posts", f": {n * 37}", f"#{n}"] for n, name in enumerate(names, 1)]
    signs = textsigns.collect(_lines(_blocks(meta, BODIES[:4])))
    assert "post-number" in signs.describe()


def test_numbered_steps_of_an_article_are_no_thread() -> None:
    signs = textsigns.collect(_lines(_blocks([[f"#{n}"] for n in range(1, 5)], BODIES[:4])))
    assert not signs.is_comment_list()


def test_comment_ids_left_in_raw_markup() -> None:
    raw = "\n".join(f'<div id="dsq-comment-{n}">\n{BODIES[n]}\n</div>' for n in range(3))
    assert textsigns.markup_ids(raw) == 3
    assert not textsigns.markup_ids('<div id="post-6897"></div><div id="post-6885"></div><div id="post-1"></div>')


def test_bulleted_names_with_prose() -> None:
    meta = [["  • Anna Berg"], ["  • http://example.org/tom Tom Weller"], ["  • rui_p"], ["  • Ola Nordmann"]]
    signs = textsigns.collect(_lines(_blocks(meta, BODIES[:4])))
    assert "name-item" in signs.describe()


# --- negative controls: pages without comments that repeat dates, names or entries -------------

def test_teaser_list_with_bylines_is_no_comment_list() -> None:
    meta = [[f"Headline number {n} about the town budget", "By Jo Teller", f"March {n + 1}, 2024"] for n in range(5)]
    assert not textsigns.collect(_lines(_blocks(meta, BODIES))).is_comment_list()


def test_teasers_with_one_repeated_category_are_no_comment_list() -> None:
    meta = [["Politik", f"{n + 1}. Mai 2024"] for n in range(5)]
    assert not textsigns.collect(_lines(_blocks(meta, BODIES))).is_comment_list()


def test_embedded_post_attributions_are_no_comment_list() -> None:
    meta = [[f"— Name{n} (@handle{n}) November {n + 1}, 2023"] for n in range(5)]
    assert not textsigns.collect(_lines(_blocks(meta, BODIES))).is_comment_list()


def test_menu_of_single_words_with_prose_is_no_comment_list() -> None:
    meta = [["  • Markets"], ["  • Tech"], ["  • Travel"], ["  • Sport"], ["  • POLITICS"]]
    assert not textsigns.collect(_lines(_blocks(meta, BODIES))).is_comment_list()


def test_dates_without_prose_between_are_no_comment_list() -> None:
    text = "\n".join(f"Anna{n}\n{n + 1} days ago" for n in range(8))
    assert not textsigns.collect(_lines(text)).is_comment_list()


def test_three_blocks_are_not_enough_for_dates() -> None:
    names = ["Anna Berg", "tomtom", "Rui"]
    assert not textsigns.collect(_lines(_blocks([[n, "2 days ago"] for n in names], BODIES[:3]))).is_comment_list()


# --- the reader -------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["en_headerless_name_items", "de_headerless_relative_dates"])
def test_headerless_comment_shape_makes_analyse_exit_1(case: str, tmp_path: Path) -> None:
    """0 comments read from a page that repeats a comment block's shape: a warning, exit 1."""
    page = ROOT / "fixtures" / case / "input.txt"
    assert main(["analyse", str(page), "--out", str(tmp_path / "run"), "-q", "--stages", "structure"]) == 1


def test_shortfall_when_far_more_blocks_than_comments_read() -> None:
    names = ["Anna Berg", "tomtom", "Lea Kovač", "Rui", "Ola Nordmann"] * 2
    text = _blocks([[n, "2 days ago", "Reply"] for n in names], BODIES * 2)
    issues = textsigns.shortfall(_lines(text), text, "page.txt", "a1", n_read=2)
    assert [i.code for i in issues] == [textsigns.SHORTFALL_CODE]
    assert "10 times" in issues[0].detail
    assert not textsigns.shortfall(_lines(text), text, "page.txt", "a1", n_read=4)


def test_no_shortfall_from_a_dated_teaser_list_beside_one_comment() -> None:
    """Name-and-date runs also fire on archive lists: a shortfall needs buttons or comment ids."""
    names = ["Anna Berg", "tomtom", "Lea Kovač", "Rui", "Ola Nordmann"] * 2
    text = _blocks([[n, "2 days ago"] for n in names], BODIES * 2)
    assert not textsigns.shortfall(_lines(text), text, "page.txt", "a1", n_read=1)


def test_one_signed_comment_above_the_reply_form() -> None:
    """One comment repeats nothing, but "NAME says:" over its date right above the form is one."""
    text = "\n".join([
        "Title", "", "The article's own paragraph tells the story of the flooded cellar in some detail.", "",
        " 1. Wendelin Ost says:", "    May 3, 2024 at 9:14 am", "",
        "    we had the same problem last spring and the pump from the hardware store saved us.", "",
        "Add Your Comment", "", "Required fields are marked *",
    ])
    signs = textsigns.collect(_lines(text))
    assert "author-line-above-reply-form" in signs.describe()


@pytest.mark.parametrize("form", ["Deine E-Mail-Adresse wird nicht veröffentlicht.", "Laisser un commentaire",
                                  "Deja un comentario", "Lascia un commento", "Laat een reactie achter",
                                  "Dodaj komentarz", "Добавить комментарий"])
def test_reply_form_lines_in_several_languages(form: str) -> None:
    text = "\n".join(["Title", "", "Mila Horn sagt:", "3. Mai 2024 um 10:12", "",
                      "das finde ich eine sehr gute idee und hoffe, dass es bald umgesetzt wird.", "", form])
    assert textsigns.collect(_lines(text)).is_comment_list()


def test_a_quoted_says_without_a_date_above_the_form_is_nothing() -> None:
    text = "\n".join(["Title", "", "The mayor says:", "",
                      "we will open the bridge again before the summer holidays begin this year.", "",
                      "Leave a Reply"])
    assert not textsigns.collect(_lines(text)).is_comment_list()


def test_dates_linking_to_comments_are_evidence() -> None:
    """A markdown capture keeps each comment's permalink date as a link to the comment's anchor
    (a forum's answers without any heading the readers know; session 9): evidence on its own.
    Post titles linking to comments (a "recent comments" widget) are not."""
    dated = _blocks(
        [[f"[Member{n}](/profile/m{n})", f"[March {n}, 2022](/discussion/comment/{4400 + n}/#Comment_{4400 + n})"] for n in range(1, 4)],
        BODIES[:3],
    )
    signs = textsigns.collect(_lines(dated), dated)
    assert "comment-permalink" in [r.kind for r in signs.runs]
    widget = "\n".join(
        f"* Member{n} on [A post title number {n}](/2022/03/post-{n}/#comment-{4400 + n})" for n in range(1, 5)
    )
    assert textsigns.dated_permalinks(widget) == 0


def test_a_thread_in_one_markdown_table_row_is_not_silent(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A converter that renders a table layout as one markdown row puts the whole thread on one
    line (name and age, text, "reply" in each cell): no comment is read, but the cells show the
    repeated block, so the page warns instead of reading 0 in silence (session 11)."""
    from analyzer.ingest import read

    names = ["saltwick", "pell_orr", "denny_w", "ysolde", "marram_j", "tolvar", "brenna", "quill"]
    cells = []
    for n in range(24):
        cells.append(f"[{names[n % 8]}](https://board.example/user?id={n}) [{n + 1} hours ago](https://board.example/item?id={n})"
                     f"  [[-]](javascript:void(0))   The tide table for the north slipway was off by {n + 3} minutes again this "
                     f"week, so check the office sheet before you launch.  [reply](https://board.example/reply?id={n})")
    page = tmp_path / "board.md"
    page.write_text("Tide tables for small harbours | Harbour Board\n\n| | | |\n| --- | --- | --- |\n| "
                    + " | ".join(cells) + " |\n\n[Guidelines](https://board.example/g) | [FAQ](https://board.example/f)\n",
                    encoding="utf-8")
    out = read([page], format="pagetext")
    issues = [i for i in out.issues if i.code == "comments-not-recognised"]
    assert out.comments.height == 0 and len(issues) == 1
    assert issues[0].line == 5 and "table row at line 5" in issues[0].detail
