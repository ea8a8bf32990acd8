"""The page-text reader: layout, nesting, meta lines, article blocks and refusals."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from analyzer.core.errors import FormatError
from analyzer.core.records import Article, ParsedThread, RawComment
from analyzer.ingest import capturelist, pagetext
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source
from tests.bench.synth.pagetext import render_pagetext
from tests.conftest import HANG_LIMIT_S

REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds" / "000_4a71c00d018d265b.txt"

ARTICLE = "Politik\n\nEin Titel ohne Punkt\n\nDer Vorspann erklärt, worum es geht.\n\nEin Absatz mit Text.\n\n"


def read_text(tmp_path: Path, text: str, name: str = "page.txt") -> ReaderOutput:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return pagetext.read(Source(path), ReadOptions())


def page(comment_lines: str, header: str = "3 Antworten", trailer: str = "Schreibe einen Kommentar") -> str:
    return ARTICLE + header + "\n\n" + comment_lines.strip("\n") + "\n\n" + trailer + "\n"


def codes(out: ReaderOutput) -> list[str]:
    return [issue.code for issue in out.issues]


# --- the reference page --------------------------------------------------------------------


@pytest.mark.shared_data
def test_reference_page() -> None:
    if not REFERENCE.exists():
        pytest.skip(f"reference page {REFERENCE} is absent (shared folder not mounted)")
    out = pagetext.read(Source(REFERENCE), ReadOptions())
    thread = out.threads[0]
    article = thread.article
    comments = thread.comments
    assert [c.declared_depth for c in comments] == [1, 4, 5, 7, 2, 1]
    assert [c.comment_id for c in comments] == ["c1", "c2", "c3", "c4", "c5", "c6"]
    assert [c.parent_id for c in comments] == [None, "c1", "c2", "c3", "c1", None]
    assert out.n_comments_in == 6
    assert article.n_announced == 12
    assert article.category == "Kasachstan"
    assert article.title is not None and article.title.startswith("Neue Details")
    assert article.author == "Anti-Spiegel"
    assert article.language == "de"
    assert article.comments_closed is False
    kinds = [b.kind for b in article.blocks]
    for kind in ("category", "title", "lead", "embedded", "promotion", "advertising", "author_box"):
        assert kind in kinds, kind
    assert article.lead is not None and article.lead not in (article.body or "")
    assert "Ende der Übersetzung" in (article.body or "")
    b_text, e_text = comments[1].text, comments[4].text
    assert b_text.startswith("Zitat:\n-Die Ermittler")
    assert "https://rusvesna.su/news/1641788851" in b_text
    assert "_____://www.fondsk.ru/news/2022/01/17/" in e_text
    assert "Как Казахстану" in e_text
    mismatch = [i for i in out.issues if i.code == "count-mismatch"]
    assert len(mismatch) == 1 and mismatch[0].line == 75 and "12" in mismatch[0].detail and "6" in mismatch[0].detail
    assert [c.source_line for c in comments] == [77, 79, 87, 95, 102, 110]


# --- headers, counts, sections -------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "count"),
    [
        ("12 Antworten", 12),
        ("Eine Antwort", 1),
        ("12 Kommentare", 12),
        ("12 Comments", 12),
        ("3 Responses to “Ein Titel”", 3),
        ("One Reply", 1),
        ("1.234 Kommentare", 1234),
    ],
)
def test_header_forms(tmp_path: Path, header: str, count: int) -> None:
    out = read_text(tmp_path, page("  1. Nur ein Kommentar.", header=header))
    assert out.threads[0].article.n_announced == count
    assert len(out.threads[0].comments) == 1
    assert ("count-mismatch" in codes(out)) == (count != 1)


def test_count_mismatch_names_both_numbers(tmp_path: Path) -> None:
    out = read_text(tmp_path, page("  1. Erster.\n\n  2. Zweiter.", header="5 Antworten"))
    (issue,) = [i for i in out.issues if i.code == "count-mismatch"]
    assert issue.severity == "warning"
    assert "5" in issue.detail and "2" in issue.detail
    assert issue.line == 9  # the header line


def test_zero_comments_header(tmp_path: Path) -> None:
    out = read_text(tmp_path, ARTICLE + "0 Kommentare\n\nSchreibe einen Kommentar\n")
    thread = out.threads[0]
    assert thread.comments == [] and out.n_comments_in == 0
    assert thread.article.n_announced == 0
    assert "count-mismatch" not in codes(out)


def test_article_without_comment_section(tmp_path: Path) -> None:
    text = ARTICLE + "Gründe:\n\n1. erstens\n2. zweitens\n\nNoch ein Absatz.\n"
    out = read_text(tmp_path, text)
    thread = out.threads[0]
    assert thread.comments == []
    assert thread.article.n_announced is None
    assert thread.article.comments_closed is None
    assert "1. erstens\n2. zweitens" in (thread.article.body or "")


def test_comments_closed(tmp_path: Path) -> None:
    out = read_text(tmp_path, page("  1. Erster.", header="Eine Antwort", trailer="Kommentare sind geschlossen."))
    assert out.threads[0].article.comments_closed is True
    assert len(out.threads[0].comments) == 1


def test_text_after_trailer_is_navigation(tmp_path: Path) -> None:
    text = page("  1. Erster.", header="Eine Antwort") + "\nImpressum\n\n  1. Beliebteste Beiträge\n"
    out = read_text(tmp_path, text)
    thread = out.threads[0]
    assert len(thread.comments) == 1
    assert [b.kind for b in thread.article.blocks][-3:] == ["navigation"] * 3


def test_footer_without_trailer_ends_list(tmp_path: Path) -> None:
    text = ARTICLE + "2 Antworten\n\n  1. Erster.\n\n    1. Antwort.\n\nImpressum | Datenschutz\n\n1. Seitenleiste\n"
    out = read_text(tmp_path, text)
    thread = out.threads[0]
    assert [c.text for c in thread.comments] == ["Erster.", "Antwort."]
    assert thread.article.blocks[-1].text == "1. Seitenleiste"


def test_trailer_quoted_inside_comment_does_not_end_list(tmp_path: Path) -> None:
    lines = "  1. Unter dem Artikel steht:\n\n    Schreibe einen Kommentar\n\n    Das mache ich hiermit.\n\n  2. Zweiter."
    out = read_text(tmp_path, page(lines, header="2 Antworten"))
    comments = out.threads[0].comments
    assert len(comments) == 2
    assert "Schreibe einen Kommentar" in comments[0].text


def test_reply_form_above_list_does_not_end_it(tmp_path: Path) -> None:
    text = ARTICLE + "2 Antworten\n\nSchreibe einen Kommentar\n\n  1. Erster.\n\n  2. Zweiter.\n"
    out = read_text(tmp_path, text)
    assert [c.text for c in out.threads[0].comments] == ["Erster.", "Zweiter."]


def test_list_without_header(tmp_path: Path) -> None:
    text = ARTICLE + "  1. Erster.\n\n    1. Antwort.\n\nLeave a Reply\n"
    out = read_text(tmp_path, text)
    thread = out.threads[0]
    assert [c.parent_id for c in thread.comments] == [None, "c1"]
    assert thread.article.n_announced is None
    assert "missing-comment-header" in codes(out)


def test_lines_between_header_and_list_are_navigation(tmp_path: Path) -> None:
    out = read_text(tmp_path, page("Sortieren nach: Neueste\n\n  1. Erster.", header="Eine Antwort"))
    thread = out.threads[0]
    assert [c.text for c in thread.comments] == ["Erster."]
    assert any(b.kind == "navigation" and b.text.startswith("Sortieren") for b in thread.article.blocks)


# --- nesting -------------------------------------------------------------------------------


def test_depths_parents_and_ghost_gaps(tmp_path: Path) -> None:
    lines = "  1. A\n\n        1. B\n\n          1. C\n\n    1. D\n\n  2. E"
    out = read_text(tmp_path, page(lines, header="5 Antworten"))
    comments = out.threads[0].comments
    assert [c.declared_depth for c in comments] == [1, 4, 5, 2, 1]
    assert [c.parent_id for c in comments] == [None, "c1", "c2", "c1", None]
    assert all(c.edge_confidence == 1.0 for c in comments)
    assert codes(out) == []


@pytest.mark.parametrize("step", [3, 4, 6])
def test_indent_step_is_inferred(tmp_path: Path, step: int) -> None:
    pad = " " * step
    lines = f"{pad}1. A\n\n{pad * 2}1. B\n\n{pad * 3}1. C\n\n{pad * 2}2. D\n\n{pad}2. E"
    out = read_text(tmp_path, page(lines, header="5 Antworten"))
    assert [c.declared_depth for c in out.threads[0].comments] == [1, 2, 3, 2, 1]


def test_step_from_body_offset_when_only_gapped_levels_show(tmp_path: Path) -> None:
    # Item indents 2 and 6 alone would suggest a step of 4; the text under each item sits
    # 2 deeper, as on the reference page, so the step is 2 and B is at depth 3.
    lines = "  1. A\n    weiter\n\n      1. B\n        weiter"
    out = read_text(tmp_path, page(lines, header="2 Antworten"))
    assert [c.declared_depth for c in out.threads[0].comments] == [1, 3]


def test_odd_indentation_is_rounded_and_reported(tmp_path: Path) -> None:
    lines = "  1. A\n\n    1. B\n\n      1. C\n\n     1. D\n\n  2. E"
    out = read_text(tmp_path, page(lines, header="5 Antworten"))
    comments = out.threads[0].comments
    d = comments[3]
    assert d.declared_depth in (2, 3)
    assert d.edge_confidence < 1.0
    (issue,) = [i for i in out.issues if i.code == "ambiguous-indent"]
    assert issue.comment_id == "c4" and issue.line == d.source_line


def test_tab_indentation(tmp_path: Path) -> None:
    lines = "\t1. A\n\t\tweiter\n\n\t\t1. B\n\n\t2. C"
    out = read_text(tmp_path, page(lines))
    comments = out.threads[0].comments
    assert [c.declared_depth for c in comments] == [1, 2, 1]
    assert comments[0].text == "A\nweiter"
    (issue,) = [i for i in out.issues if i.code == "tab-indentation"]
    assert issue.severity == "info" and issue.line == 11


def test_nbsp_indentation(tmp_path: Path) -> None:
    lines = "\u00a0\u00a01. A\n\n\u00a0\u00a0\u00a0\u00a01. B"
    out = read_text(tmp_path, page(lines, header="2 Antworten"))
    assert [c.declared_depth for c in out.threads[0].comments] == [1, 2]
    assert "tab-indentation" not in codes(out)


def test_deep_chain(tmp_path: Path) -> None:
    lines = "\n\n".join("  " * d + f"1. Ebene {d}" for d in range(1, 41))
    out = read_text(tmp_path, page(lines, header="40 Antworten"))
    comments = out.threads[0].comments
    assert [c.declared_depth for c in comments] == list(range(1, 41))
    assert all(c.parent_id == f"c{i}" for i, c in enumerate(comments[1:], start=1))


# --- item lines versus text lines ----------------------------------------------------------


def test_numbered_lines_inside_a_paragraph_are_text(tmp_path: Path) -> None:
    lines = "  1. Drei Punkte:\n    1. erstens\n    2. zweitens\n    3. drittens\n\n    1. Eine Antwort."
    out = read_text(tmp_path, page(lines, header="2 Antworten"))
    comments = out.threads[0].comments
    assert [c.text for c in comments] == ["Drei Punkte:\n1. erstens\n2. zweitens\n3. drittens", "Eine Antwort."]
    assert comments[1].parent_id == "c1"
    assert out.n_comments_in == 2


def test_numbered_paragraphs_continuing_a_list_are_text(tmp_path: Path) -> None:
    lines = "  1. Zwei Punkte:\n    1. erstens\n\n    2. zweitens\n\n    1. Antwort."
    out = read_text(tmp_path, page(lines, header="2 Antworten"))
    comments = out.threads[0].comments
    assert comments[0].text == "Zwei Punkte:\n1. erstens\n\n2. zweitens"
    assert comments[1].text == "Antwort." and comments[1].declared_depth == 2


def test_text_aligned_under_marker_text_column(tmp_path: Path) -> None:
    lines = "  1. Punkte:\n\n     1) erstens\n\n     2) zweitens\n\n    1. Antwort\n       weiter"
    out = read_text(tmp_path, page(lines, header="2 Antworten"))
    comments = out.threads[0].comments
    assert [c.text for c in comments] == ["Punkte:\n\n1) erstens\n\n2) zweitens", "Antwort\nweiter"]
    assert [c.declared_depth for c in comments] == [1, 2]


def test_dash_quote_and_url_lines_stay_text(tmp_path: Path) -> None:
    lines = (
        "  1. Zitat:\n    -Ein Satz aus dem Artikel.\n    > noch ein Zitat\n\n"
        "    _____://www.example.org/a\n    hxxps://example[.]com/b\n    Привет, мир"
    )
    out = read_text(tmp_path, page(lines, header="Eine Antwort"))
    (comment,) = out.threads[0].comments
    assert comment.text == (
        "Zitat:\n-Ein Satz aus dem Artikel.\n> noch ein Zitat\n\n"
        "_____://www.example.org/a\nhxxps://example[.]com/b\nПривет, мир"
    )


def test_multi_paragraph_text_keeps_relative_indentation(tmp_path: Path) -> None:
    lines = "  1. Erster Absatz\n    zweite Zeile\n\n\n    zweiter Absatz\n      eingerückt"
    out = read_text(tmp_path, page(lines, header="Eine Antwort"))
    assert out.threads[0].comments[0].text == "Erster Absatz\nzweite Zeile\n\nzweiter Absatz\n  eingerückt"


def test_empty_item_and_one_word_comment(tmp_path: Path) -> None:
    out = read_text(tmp_path, page("  1.\n\n    1. Antwort", header="2 Antworten"))
    comments = out.threads[0].comments
    assert [c.text for c in comments] == ["", "Antwort"]  # a lone "Antwort" is not a reply link
    assert comments[1].parent_id == "c1"


def test_dedented_text_line_is_kept_and_reported(tmp_path: Path) -> None:
    out = read_text(tmp_path, page("  1. A\n  noch A\n\n  2. B", header="2 Antworten"))
    comments = out.threads[0].comments
    assert [c.text for c in comments] == ["A\nnoch A", "B"]
    (issue,) = [i for i in out.issues if i.code == "dedented-line"]
    assert issue.line == 12


# --- ordinals ------------------------------------------------------------------------------


def test_ordinal_jump_reports_missing_siblings(tmp_path: Path) -> None:
    out = read_text(tmp_path, page("  1. A\n\n  4. B", header="4 Antworten"))
    (gap,) = [i for i in out.issues if i.code == "ordinal-gap"]
    assert gap.comment_id == "c2" and "2 sibling" in gap.detail and gap.severity == "warning"


def test_first_reply_above_one_under_visible_parent(tmp_path: Path) -> None:
    out = read_text(tmp_path, page("  1. A\n\n    3. B", header="4 Antworten"))
    (gap,) = [i for i in out.issues if i.code == "ordinal-gap"]
    assert gap.comment_id == "c2" and "2 earlier" in gap.detail


def test_ordinals_under_a_ghost_prove_nothing(tmp_path: Path) -> None:
    lines = "  1. A\n\n        3. B\n\n        5. C\n\n  2. D\n\n    1. E"
    out = read_text(tmp_path, page(lines, header="9 Antworten"))
    assert [c.declared_depth for c in out.threads[0].comments] == [1, 4, 4, 1, 2]
    assert "ordinal-gap" not in codes(out)


def test_ordinal_restart_is_info(tmp_path: Path) -> None:
    out = read_text(tmp_path, page("  1. A\n\n  2. B\n\n  1. C", header="3 Antworten"))
    (restart,) = [i for i in out.issues if i.code == "ordinal-restart"]
    assert restart.severity == "info" and restart.comment_id == "c3"


def test_reference_style_ordinals_raise_nothing(tmp_path: Path) -> None:
    # Siblings 1, 2 and a second list restarting at 1 under another parent.
    lines = "  1. A\n\n    1. B\n\n    2. C\n\n  2. D\n\n    1. E"
    out = read_text(tmp_path, page(lines, header="5 Antworten"))
    assert codes(out) == []


# --- meta lines ----------------------------------------------------------------------------


def test_german_meta_and_reply_links(tmp_path: Path) -> None:
    lines = (
        "  1. Max Muster sagt:\n    17. Januar 2022 um 10:15 Uhr\n\n    Der Text.\n\n    Antworten\n\n"
        "    1. Erika sagt:\n      18. März 2022 um 09:05 Uhr\n\n      Antwort.\n\n      Antworten"
    )
    out = read_text(tmp_path, page(lines, header="2 Antworten"))
    comments = out.threads[0].comments
    assert [c.author for c in comments] == ["Max Muster", "Erika"]
    assert comments[0].created_at == datetime(2022, 1, 17, 10, 15, tzinfo=UTC)
    assert comments[1].created_at == datetime(2022, 3, 18, 9, 5, tzinfo=UTC)
    assert [c.text for c in comments] == ["Der Text.", "Antwort."]
    assert comments[1].parent_id == "c1"


def test_english_meta(tmp_path: Path) -> None:
    lines = "  1. Jane Doe says:\n    January 17, 2022 at 10:15 pm\n\n    Some text.\n\n    Reply"
    out = read_text(tmp_path, page(lines, header="One Reply", trailer="Leave a Reply"))
    (comment,) = out.threads[0].comments
    assert (comment.author, comment.text) == ("Jane Doe", "Some text.")
    assert comment.created_at == datetime(2022, 1, 17, 22, 15, tzinfo=UTC)
    assert out.threads[0].article.comments_closed is False


def test_lone_author_like_line_is_text(tmp_path: Path) -> None:
    lines = "  1. Mein Vater sagt:\n    Früher war mehr Strom.\n\n  2. Anderer Kommentar.\n\n  3. Noch einer."
    out = read_text(tmp_path, page(lines))
    comments = out.threads[0].comments
    assert comments[0].author is None
    assert comments[0].text == "Mein Vater sagt:\nFrüher war mehr Strom."


def test_date_line_is_not_an_item(tmp_path: Path) -> None:
    lines = "  1. Max sagt:\n    17. Januar 2022 um 10:15 Uhr\n\n    1. Antwort ohne Meta."
    out = read_text(tmp_path, page(lines, header="2 Antworten"))
    comments = out.threads[0].comments
    assert len(comments) == 2 and out.n_comments_in == 2
    assert comments[0].created_at is not None and comments[1].parent_id == "c1"


# --- article blocks ------------------------------------------------------------------------


def test_article_blocks_and_fields(tmp_path: Path) -> None:
    text = (
        "Zum Inhalt springen\n\nEnergie\n\nDer Titel\n\nVon Anna Beispiel\n\nDer Vorspann.\n\n"
        "Erster Absatz.\n\nBeginn der Übersetzung:\n\nÜbersetzter Absatz.\n\nEnde der Übersetzung\n\n"
        "Letzter Absatz.\n\nIn meinem neuen Buch erkläre ich alles.\n\nHier geht es zum Buch\n\n"
        "Anzeige\n\nAutor: Anna Beispiel\n\nAnna schreibt seit Jahren.\n\nTeilen:\n\n"
        "Eine Antwort\n\n  1. Gut.\n\nSchreibe einen Kommentar\n"
    )
    out = read_text(tmp_path, text)
    article = out.threads[0].article
    kinds = [(b.kind, b.text.split("\n")[0]) for b in article.blocks]
    assert kinds[:6] == [
        ("navigation", "Zum Inhalt springen"),
        ("category", "Energie"),
        ("title", "Der Titel"),
        ("author_box", "Von Anna Beispiel"),
        ("lead", "Der Vorspann."),
        ("body", "Erster Absatz."),
    ]
    assert ("embedded", "Übersetzter Absatz.") in kinds
    assert ("promotion", "In meinem neuen Buch erkläre ich alles.") in kinds
    assert ("promotion", "Hier geht es zum Buch") in kinds
    assert ("advertising", "Anzeige") in kinds
    assert ("author_box", "Anna schreibt seit Jahren.") in kinds
    assert ("navigation", "Teilen:") in kinds
    assert article.author == "Anna Beispiel"
    assert article.title == "Der Titel" and article.category == "Energie" and article.lead == "Der Vorspann."
    assert article.body == "Erster Absatz.\n\nBeginn der Übersetzung:\n\nÜbersetzter Absatz.\n\nEnde der Übersetzung\n\nLetzter Absatz."
    assert [b.source_line for b in article.blocks][:3] == [1, 3, 5]


def test_language_guess(tmp_path: Path) -> None:
    text = "News\n\nThe Title\n\nThis is the lead and it is in English, as you can see.\n\nOne Reply\n\n  1. Fine.\n\nLeave a Reply\n"
    assert read_text(tmp_path, text).threads[0].article.language == "en"
    assert read_text(tmp_path, page("  1. Gut.")).threads[0].article.language == "de"


# --- refusals and decoding -----------------------------------------------------------------


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="an empty file"):
        read_text(tmp_path, "")
    with pytest.raises(FormatError, match="expected a page with an article or comments"):
        read_text(tmp_path, "  \n\n \t\n")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("id,parent,text\n1,,hallo welt\n2,1,noch etwas\n3,1,und mehr\n", "a delimited table"),
        ('{"comments": [{"id": 1}]}\n', "JSON"),
        ("<html><body><p>Hallo</p></body></html>\n", "markup"),
    ],
)
def test_other_formats_are_refused(tmp_path: Path, text: str, found: str) -> None:
    with pytest.raises(FormatError, match=found) as info:
        read_text(tmp_path, text)
    assert "page.txt:1" in str(info.value)


def test_no_prose_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="no prose"):
        read_text(tmp_path, "1234\n\n5678\n")


def test_crlf_bom_and_invalid_bytes(tmp_path: Path) -> None:
    text = page("  1. Erster\n    zweite Zeile\n\n    1. Antwort", header="2 Antworten")
    path = tmp_path / "page.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    out = pagetext.read(Source(path), ReadOptions())
    thread = out.threads[0]
    assert thread.article.category == "Politik"
    assert [c.text for c in thread.comments] == ["Erster\nzweite Zeile", "Antwort"]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(text.encode("utf-8").replace(b"Erster", b"Erst\xffer"))
    out = pagetext.read(Source(bad), ReadOptions())
    assert "invalid-utf8" in codes(out)
    assert len(out.threads[0].comments) == 2


def test_issues_carry_path_and_article(tmp_path: Path) -> None:
    out = read_text(tmp_path, page("  1. A", header="7 Antworten"))
    assert out.issues
    for issue in out.issues:
        assert issue.path == str(tmp_path / "page.txt")
        assert issue.article_id == Source(tmp_path / "page.txt").article_id == tmp_path.name


def test_looks_like(tmp_path: Path) -> None:
    assert pagetext.looks_like(tmp_path / "x.txt", "Titel\n\nText.\n")
    assert pagetext.looks_like(tmp_path / "x.dat", "Titel\n\n12 Antworten\n\n  1. a\n")
    assert not pagetext.looks_like(tmp_path / "x.dat", "Titel\n\nText ohne alles.\n")
    assert not pagetext.looks_like(tmp_path / "x.txt", "a,b,c\n1,2,3\n4,5,6\n")
    assert not pagetext.looks_like(tmp_path / "x.txt", "<html><body></body></html>")
    assert not pagetext.looks_like(tmp_path / "x.html", "12 Antworten")


def test_infer_step() -> None:
    from collections import Counter

    assert pagetext.infer_step(Counter({2: 3, 4: 2, 8: 1}), 2, Counter(), tabs=False) == (2, True)
    assert pagetext.infer_step(Counter({2: 3}), 2, Counter(), tabs=False) == (2, True)
    assert pagetext.infer_step(Counter({4: 3}), 4, Counter(), tabs=True) == (4, True)
    assert pagetext.infer_step(Counter({2: 1, 6: 1}), 2, Counter({2: 2}), tabs=False) == (2, True)
    assert pagetext.infer_step(Counter({2: 1, 6: 1}), 2, Counter(), tabs=False) == (4, False)
    step, certain = pagetext.infer_step(Counter({0: 2, 2: 5, 4: 3, 5: 1}), 0, Counter(), tabs=False)
    assert (step, certain) == (2, False)


# --- renderer and speed --------------------------------------------------------------------


def test_renderer_output_reads_back(tmp_path: Path) -> None:
    comments = [
        RawComment("a", declared_depth=1, author="Max", created_at=datetime(2022, 1, 17, 10, 15, tzinfo=UTC), text="Eins"),
        RawComment("b", declared_depth=3, author="Eva", text="Zwei\n1. Liste\n\nAbsatz"),
        RawComment("c", declared_depth=1, author="Max", text=""),
    ]
    article = Article("x", title="Titel", lead="Vorspann.", n_announced=7)
    text = render_pagetext(article, comments, with_meta=True)
    assert "7 Antworten" in text and "  1. Max sagt:" in text and "      1. Eva sagt:" in text
    out = read_text(tmp_path, text)
    got = out.threads[0].comments
    assert [(c.declared_depth, c.author, c.text) for c in got] == [
        (1, "Max", "Eins"),
        (3, "Eva", "Zwei\n1. Liste\n\nAbsatz"),
        (1, "Max", ""),
    ]
    assert got[0].created_at == datetime(2022, 1, 17, 10, 15, tzinfo=UTC)


@pytest.mark.slow
def test_reads_a_large_page_quickly(tmp_path: Path) -> None:
    """Rough throughput check: one linear pass over a ~20 MB page."""
    sentence = "Die Netze sind überlastet und niemand sagt warum, sagt der Leser aus Nordhavn."
    comments = []
    depth = 0
    for index in range(70_000):
        depth = 1 if index % 9 == 0 else min(depth + 1, 30) if index % 3 else max(1, depth - 2)
        comments.append(RawComment(f"x{index}", declared_depth=depth, text=f"{sentence}\n{sentence} {index}\n\n{sentence}"))
    text = render_pagetext(Article("big", title="Groß"), comments)
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    started = time.process_time()
    out = pagetext.read(Source(path), ReadOptions())
    seconds = time.process_time() - started
    assert len(out.threads[0].comments) == len(comments)
    assert path.stat().st_size / 1e6 > 15
    # Throughput is measured by `python -m tests.bench.throughput` (README); this only catches hangs.
    assert seconds < HANG_LIMIT_S


def test_numbered_items_below_the_reply_form_do_not_count_against_the_capture_reading() -> None:
    """Round 6: "2. Februar 2022 0" over each headline of a widget under the reply form are numbered
    items for the numbered-list reading, not comments of the list above the form."""
    thread = ParsedThread(article=Article(article_id="a"),
                          comments=[RawComment(comment_id=f"c{n}", source_line=line) for n, line in
                                    enumerate((12, 20, 28, 61, 65, 69), 1)])
    capture = capturelist.CaptureResult([RawComment(comment_id="c1")], 9, 3, 9, 40, 40, False, False, 0)
    assert pagetext._list_comments_in(thread, capture) == 3
    capture.term = None
    assert pagetext._list_comments_in(thread, capture) == 6
