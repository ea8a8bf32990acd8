"""Table reader: CSV / JSONL / Parquet with column mapping and auto-detection."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from analyzer.core import schemas
from analyzer.core.errors import FormatError, MappingError
from analyzer.ingest import tables
from analyzer.ingest.base import ReaderOutput, ReadOptions, Source

ROOT = Path(__file__).resolve().parents[2]
OMP_MAP = {
    "comment_id": "ID_Post", "parent_id": "ID_Parent_Post", "article_id": "ID_Article",
    "author": "ID_User", "created_at": "CreatedAt", "text": "Headline+Body", "deleted": "Status",
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _read(path: Path, **options: object) -> ReaderOutput:
    return tables.read(Source(path), ReadOptions(**options))  # type: ignore[arg-type]


def _rows(out: ReaderOutput, *cols: str) -> list[tuple[object, ...]]:
    assert out.comments is not None
    return out.comments.select(cols).rows()


# --- frames and schemas ------------------------------------------------------------------


def test_frames_have_the_declared_schemas(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "id,parent,text\n1,,a\n2,1,b\n")
    out = _read(path)
    assert out.comments is not None and out.articles is not None
    assert out.comments.schema == tables.RAW_COMMENTS_OUT
    assert "src_order" not in out.comments.columns
    assert out.articles.schema == schemas.RAW_ARTICLES
    assert out.threads == []
    assert out.n_comments_in == 2


def test_without_article_column_everything_is_one_article_named_after_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "debatte.csv", "id,parent,text\n1,,a\n2,1,b\n")
    out = _read(path)
    assert _rows(out, "article_id") == [("debatte",), ("debatte",)]
    assert out.articles is not None
    assert out.articles.select("article_id", "source_path").rows() == [("debatte", str(path))]
    assert out.articles["n_announced"].to_list() == [None]


# --- the OMP-shaped fixture ------------------------------------------------------------


def test_omp_like_fixture_with_mapping() -> None:
    path = ROOT / "fixtures" / "de_csv_omp_like" / "input.csv"
    out = _read(path, mapping=OMP_MAP)
    assert out.n_comments_in == 9
    assert out.issues == []
    rows = _rows(out, "article_id", "comment_id", "parent_id", "kind", "source_line")
    assert rows == [
        ("501", "3001", None, "comment", 2),
        ("501", "3002", "3001", "comment", 3),
        ("501", "3003", "3002", "deleted", 4),
        ("501", "3004", "3003", "comment", 5),
        ("501", "3005", None, "comment", 9),
        ("502", "3006", None, "comment", 10),
        ("502", "3007", "3006", "comment", 11),
        ("502", "3008", "3007", "deleted", 12),
        ("502", "3009", "3006", "comment", 13),
    ]
    assert out.comments is not None
    texts = out.comments["text"].to_list()
    # Headline + Body joined by a blank line; CRLF inside the quoted field normalised.
    assert texts[3] == (
        'Zur Sache\n\nSie schreiben:\n"nur in einem Satz"\n\n'
        "Das stimmt nicht, im dritten Absatz wird die Opposition ausführlich zitiert."
    )
    assert texts[1] == "Sachlich? Die Position der Opposition kommt nur in einem Satz vor."
    assert texts[7] == ""  # deleted with empty headline and body
    assert out.comments["created_at"][0] == datetime(2016, 3, 2, 9, 14, 5, 120000, tzinfo=UTC)
    assert out.comments["author"][0] == "7001"


def test_omp_like_fixture_autodetects_the_same_columns() -> None:
    path = ROOT / "fixtures" / "de_csv_omp_like" / "input.csv"
    mapped = _read(path, mapping=OMP_MAP).comments
    detected = _read(path).comments
    assert mapped is not None and detected is not None
    assert mapped.equals(detected)


# --- column detection and mapping ---------------------------------------------------------


def test_autodetects_common_spellings(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "t.csv",
        "commentId,reply_to,thread_id,username,created,message,permalink\n"
        "a,,t1,ann,2020-01-02 03:04:05,hello,https://ex.org/a\n"
        "b,a,t1,bob,2020-01-02 03:05:05,hi,\n",
    )
    out = _read(path)
    assert _rows(out, "article_id", "comment_id", "parent_id", "author", "text", "url") == [
        ("t1", "a", None, "ann", "hello", "https://ex.org/a"),
        ("t1", "b", "a", "bob", "hi", None),
    ]


def test_text_joins_several_columns_and_skips_empty_ones(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "id,parent,Head,Body\n1,,Titel,Text\n2,1,,Nur Text\n3,1,Nur Titel,\n4,1,,\n")
    out = _read(path, mapping={"text": "Head+Body"})
    assert _rows(out, "text") == [("Titel\n\nText",), ("Nur Text",), ("Nur Titel",), ("",)]


def test_a_column_literally_named_with_plus_wins_over_the_join(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "id,parent,A+B,A,B\n1,,joined,x,y\n")
    out = _read(path, mapping={"text": "A+B"})
    assert _rows(out, "text") == [("joined",)]


def test_title_column_is_put_in_front_of_the_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "id,parent,title,body\n1,,Kopf,Rumpf\n2,1,,Nur Rumpf\n")
    assert _rows(_read(path), "text") == [("Kopf\n\nRumpf",), ("Nur Rumpf",)]


def test_deleted_column_values(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "t.csv",
        "id,parent,Status,text\n1,,online,a\n2,1,deleted,b\n3,1,removed,c\n4,1,TRUE,d\n5,1,1,e\n6,1,0,f\n7,1,,g\n",
    )
    out = _read(path, mapping={"deleted": "Status"})
    assert _rows(out, "kind") == [
        ("comment",), ("deleted",), ("removed",), ("deleted",), ("deleted",), ("comment",), ("comment",)
    ]


def test_kind_column_and_unknown_kinds(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "id,parent,kind,text\n1,,comment,a\n2,1,Deleted,\n3,1,more,\n4,1,sticky,d\n5,1,banana,e\n")
    out = _read(path)
    assert _rows(out, "kind") == [("comment",), ("deleted",), ("more",), ("comment",), ("comment",)]
    unknown = [i for i in out.issues if i.code == "unknown-kind"]
    assert len(unknown) == 1
    assert unknown[0].line == 5 and unknown[0].comment_id == "4"
    assert unknown[0].detail.startswith("2 rows")


def test_placeholder_bodies_mark_deleted_and_removed(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "id,parent,body\n1,,[deleted]\n2,1,[removed]\n3,1,ok\n")
    assert _rows(_read(path), "kind", "text") == [("deleted", ""), ("removed", ""), ("comment", "ok")]


def test_mapping_to_a_missing_column_names_it_and_lists_the_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "ID_Post,ID_Parent_Post,Body\n1,,a\n")
    with pytest.raises(MappingError) as info:
        _read(path, mapping={"text": "Headline+Body"})
    message = str(info.value)
    assert "'Headline'" in message and "ID_Post, ID_Parent_Post, Body" in message
    assert str(path) in message


def test_unknown_mapping_key_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "id,parent\n1,\n")
    with pytest.raises(MappingError, match="'colour'"):
        _read(path, mapping={"colour": "id"})


def test_table_without_parent_column_explains_how_to_map(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "id,author,text\n1,a,b\n")
    with pytest.raises(MappingError) as info:
        _read(path)
    message = str(info.value)
    assert "parent_id" in message and "--map parent_id=" in message and "reply_to" in message
    assert "id, author, text" in message


def test_table_without_id_column_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "parent,text\n,b\n")
    with pytest.raises(MappingError, match="comment_id"):
        _read(path)


# --- ids ----------------------------------------------------------------------------------


def test_ids_stay_exact_strings(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "id,parent,article\n007,,A-1\n1e3,007,A-1\n 12,1e3,A-1\n")
    assert _rows(_read(path), "comment_id", "parent_id") == [("007", None), ("1e3", "007"), (" 12", "1e3")]


def test_integer_and_float_parent_ids_never_get_a_decimal_point(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pl.DataFrame({
        "comment_id": pl.Series([123, 124, 125], dtype=pl.Int64),
        "parent_id": pl.Series([None, 123.0, float("nan")], dtype=pl.Float64),
        "article_id": pl.Series([9, 9, 9], dtype=pl.Int32),
        "text": ["a", "b", "c"],
    }).write_parquet(path)
    out = _read(path)
    assert _rows(out, "article_id", "comment_id", "parent_id", "source_line") == [
        ("9", "123", None, None), ("9", "124", "123", None), ("9", "125", None, None),
    ]


def test_non_integral_float_ids_keep_their_digits(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    pl.DataFrame({"id": [1.5, 2.0], "parent": [None, 1.5]}).write_parquet(path)
    assert _rows(_read(path), "comment_id", "parent_id") == [("1.5", None), ("2.0", "1.5")]


def test_parent_naming_the_article_or_zero_is_top_level_unless_a_comment_has_that_id(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "t.csv",
        "comment_ID,comment_parent,comment_post_ID,comment_content\n"
        "11,0,5,top (WordPress parent 0)\n12,5,5,names the article\n13,11,5,reply\n"
        "21,,7,top\n7,21,7,id equals the article id\n22,7,7,reply to comment 7\n",
    )
    out = _read(path)
    assert _rows(out, "comment_id", "parent_id") == [
        ("11", None), ("12", None), ("13", "11"), ("21", None), ("7", "21"), ("22", "7"),
    ]


def test_pushshift_prefixes_are_stripped(tmp_path: Path) -> None:
    lines = [
        {"id": "c1", "parent_id": "t3_abc", "link_id": "t3_abc", "author": "x", "body": "top"},
        {"id": "c2", "parent_id": "t1_c1", "link_id": "t3_abc", "author": "[deleted]", "body": "[removed]"},
    ]
    path = _write(tmp_path, "rs.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n")
    out = _read(path)
    assert _rows(out, "article_id", "comment_id", "parent_id", "kind") == [
        ("abc", "c1", None, "comment"), ("abc", "c2", "c1", "removed"),
    ]


def test_rows_without_id_keep_a_synthetic_id_and_are_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "id,parent,text\n1,,a\n,1,no id\n")
    out = _read(path)
    assert _rows(out, "comment_id", "parent_id", "text") == [("1", None, "a"), ("_row2", "1", "no id")]
    (issue,) = [i for i in out.issues if i.code == "missing-comment-id"]
    assert issue.line == 3


# --- timestamps ----------------------------------------------------------------------------


def test_timestamps_in_common_formats_become_utc(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "t.csv",
        "id,parent,created_at\n"
        "1,,2015-06-01 08:58:32.363\n"
        "2,1,2015-06-01T08:58:32Z\n"
        "3,1,2015-06-01T10:58:32+02:00\n"
        "4,1,2015-06-01T08:58:32.5+0000\n"
        "5,1,1433149112\n"
        "6,1,1433149112000\n"
        "7,1,01.06.2015 08:58\n"
        "8,1,2015-06-01\n"
        "9,1,\n",
    )
    out = _read(path)
    assert out.comments is not None
    got = out.comments["created_at"].to_list()
    base = datetime(2015, 6, 1, 8, 58, 32, tzinfo=UTC)
    assert got[0] == base.replace(microsecond=363000)
    assert got[1] == got[2] == got[4] == got[5] == base
    assert got[3] == base.replace(microsecond=500000)
    assert got[6] == datetime(2015, 6, 1, 8, 58, tzinfo=UTC)
    assert got[7] == datetime(2015, 6, 1, tzinfo=UTC)
    assert got[8] is None
    assert out.comments["created_at"].dtype == schemas.UTC_TIME
    assert [i for i in out.issues if i.code == "unparsed-timestamp"] == []


def test_unparsable_timestamps_give_one_summarising_issue(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "id,parent,date\n1,,2020-01-01 10:00\n2,1,gestern\n3,1,vor 2 Stunden\n")
    out = _read(path)
    assert out.comments is not None
    assert out.comments["created_at"].to_list()[1:] == [None, None]
    (issue,) = [i for i in out.issues if i.code == "unparsed-timestamp"]
    assert issue.line == 3 and issue.comment_id == "2"
    assert "2 timestamps" in issue.detail and "gestern" in issue.detail


def test_parquet_datetime_columns_naive_and_zoned(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    naive = datetime(2021, 7, 1, 12, 0)
    pl.DataFrame({
        "id": ["a", "b"], "parent": [None, "a"],
        "created_at": pl.Series([naive, naive]).dt.replace_time_zone("Europe/Vienna"),
        "published": [naive, naive],
    }).write_parquet(path)
    out = _read(path)
    assert out.comments is not None
    assert out.comments["created_at"].to_list() == [datetime(2021, 7, 1, 10, 0, tzinfo=UTC)] * 2
    path2 = tmp_path / "u.parquet"
    pl.DataFrame({"id": ["a"], "parent": [None], "timestamp": [naive]}).write_parquet(path2)
    out2 = _read(path2)
    assert out2.comments is not None
    assert out2.comments["created_at"].to_list() == [datetime(2021, 7, 1, 12, 0, tzinfo=UTC)]


# --- CSV specifics -------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
def test_csv_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    rows = [["id", "parent", "text"], ["1", "", "Hallo, Welt; ja"], ["2", "1", "b"]]
    text = "\n".join(delimiter.join(f'"{c}"' if delimiter in c or "," in c or ";" in c else c for c in r) for r in rows)
    path = _write(tmp_path, "t.csv", text + "\n")
    assert _rows(_read(path), "comment_id", "parent_id", "text") == [
        ("1", None, "Hallo, Welt; ja"), ("2", "1", "b"),
    ]


def test_tsv_suffix_means_tab(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.tsv", "id\tparent\ttext\n1\t\ta;b;c,d\n")
    assert _rows(_read(path), "text") == [("a;b;c,d",)]


def test_source_lines_follow_multiline_fields_and_blank_lines(tmp_path: Path) -> None:
    text = 'id,parent,text\n1,,"eins\nzwei\n\ndrei"\n\n2,1,b\r\n3,1,"x ""y"" z"\n'
    out = _read(_write(tmp_path, "t.csv", text))
    assert _rows(out, "comment_id", "source_line", "text") == [
        ("1", 2, "eins\nzwei\n\ndrei"), ("2", 7, "b"), ("3", 8, 'x "y" z'),
    ]
    assert out.n_comments_in == 3


def test_ragged_row_is_a_format_error_with_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", 'id,parent,text\n1,,"a\nb"\n2,1,b,extra\n')
    with pytest.raises(FormatError) as info:
        _read(path)
    assert info.value.line == 4
    assert "3 fields" in str(info.value) and "4 fields" in str(info.value)


def test_short_row_is_a_format_error_too(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", "id,parent,text\n1,,a\n2,1\n")
    with pytest.raises(FormatError) as info:
        _read(path)
    assert info.value.line == 3


def test_unbalanced_quote_is_a_format_error_naming_where_the_row_starts(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.csv", 'id,parent,text\n1,,ok\n2,1,"never closed\n3,1,c\n')
    with pytest.raises(FormatError) as info:
        _read(path)
    assert info.value.line == 3
    assert str(path) in str(info.value)


def test_empty_csv_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="header"):
        _read(_write(tmp_path, "t.csv", ""))


def test_csv_decode_issues_are_passed_on(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("id,parent,text\n1,,Gr\xfc\xdfe\n".encode("latin-1"))
    out = _read(path)
    assert _rows(out, "text") == [("Grüße",)]
    assert [i.code for i in out.issues] == ["legacy-encoding"]


# --- JSONL ---------------------------------------------------------------------------------


def test_jsonl_fast_path_with_blank_lines_and_mixed_id_types(tmp_path: Path) -> None:
    lines = ['{"id": 1, "parent": null, "body": "a"}', "", '{"id": "x2", "parent": 1, "body": "b"}']
    out = _read(_write(tmp_path, "t.jsonl", "\n".join(lines) + "\n"))
    assert _rows(out, "comment_id", "parent_id", "source_line") == [("1", None, 1), ("x2", "1", 3)]
    assert out.n_comments_in == 2 and out.issues == []


def test_jsonl_invalid_lines_are_reported_counted_and_skipped(tmp_path: Path) -> None:
    lines = [
        '{"id": "a", "parent": null, "body": "ok", "ts": 1.5}',
        '{"id": "b", "parent": "a", "body": "cut',
        "[1, 2]",
        '{"id": "c", "parent": "a", "body": "also ok", "extra": {"nested": true}}',
    ]
    out = _read(_write(tmp_path, "t.jsonl", "\n".join(lines)))
    assert out.n_comments_in == 4
    assert _rows(out, "comment_id", "parent_id", "source_line") == [("a", None, 1), ("c", "a", 4)]
    bad = [i for i in out.issues if i.code == "invalid-json-line"]
    assert [(i.line, i.severity) for i in bad] == [(2, "error"), (3, "error")]
    assert "a JSON list" in bad[1].detail


def test_empty_jsonl_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="empty file"):
        _read(_write(tmp_path, "t.jsonl", "\n\n"))


def test_header_only_csv_gives_empty_frames(tmp_path: Path) -> None:
    out = _read(_write(tmp_path, "t.csv", "id,parent,article\n"))
    assert out.comments is not None and out.comments.height == 0 and out.n_comments_in == 0
    assert out.comments.schema == tables.RAW_COMMENTS_OUT


def test_jsonl_fixture_passes_integrity_problems_through() -> None:
    out = _read(ROOT / "fixtures" / "en_jsonl" / "input.jsonl")
    assert out.n_comments_in == 12
    assert _rows(out, "article_id", "comment_id", "parent_id", "kind") == [
        ("a17", "c1", None, "comment"),
        ("a17", "c2", "c1", "comment"),
        ("a17", "c3", "c99", "comment"),
        ("a17", "c4", "c5", "comment"),
        ("a17", "c5", "c4", "comment"),
        ("a17", "c2", "c1", "comment"),
        ("a17", "c6", "c6", "comment"),
        ("a17", "c8", None, "comment"),
        ("a17", "c9", "c8", "deleted"),
        ("a17", "10", "c9", "comment"),
        ("b3", "d1", None, "comment"),
    ]
    assert sorted(i.code for i in out.issues) == ["invalid-json-line", "unparsed-timestamp"]


# --- Parquet -------------------------------------------------------------------------------


def test_parquet_fixture_matches_its_generator() -> None:
    case = ROOT / "fixtures" / "de_parquet"
    out = _read(case / "input.parquet", articles_table=case / "articles.csv")
    assert _rows(out, "article_id", "comment_id", "parent_id", "kind", "author") == [
        ("wahl-2021", "1", None, "comment", "Hanna"),
        ("wahl-2021", "2", "1", "comment", "Jonas"),
        ("wahl-2021", "3", "2", "deleted", None),
        ("wahl-2021", "4", "3", "comment", "Hanna"),
        ("wahl-2021", "5", None, "comment", "Selin"),
        ("wahl-2021", "6", "5", "comment", "Jonas"),
        ("hochwasser", "7", None, "comment", "Selin"),
    ]
    assert out.articles is not None
    assert out.articles.select("article_id", "title", "n_announced").rows() == [
        ("wahl-2021", "Bundestagswahl: Beteiligung steigt leicht", 9),
        ("hochwasser", "Pegel sinken langsam", None),
    ]
    assert out.articles["published_at"][0] == datetime(2021, 9, 27, 4, 0, tzinfo=UTC)


def test_broken_parquet_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    path.write_bytes(b"PAR1 this is not really parquet")
    with pytest.raises(FormatError, match="Parquet"):
        _read(path)


# --- articles table --------------------------------------------------------------------------


def test_articles_table_with_mapping_duplicates_and_articles_without_comments(tmp_path: Path) -> None:
    comments = _write(tmp_path, "c.csv", "id,parent,article\n1,,A\n2,1,B\n")
    articles = _write(
        tmp_path, "a.jsonl",
        "\n".join(json.dumps(x) for x in [
            {"ArtId": "B", "Headline": "Zweiter", "comments": "4"},
            {"ArtId": "C", "Headline": "Ohne Kommentare"},
            {"ArtId": "B", "Headline": "Doppelt"},
        ]) + "\n",
    )
    out = _read(
        comments, articles_table=articles,
        mapping={"article.article_id": "ArtId", "article.title": "Headline"},
    )
    assert out.articles is not None
    assert out.articles.select("article_id", "title", "n_announced").rows() == [
        ("A", None, None), ("B", "Zweiter", 4), ("C", "Ohne Kommentare", None),
    ]
    (dup,) = [i for i in out.issues if i.code == "duplicate-article"]
    assert dup.line == 1 and dup.article_id == "B"


def test_articles_table_without_id_column(tmp_path: Path) -> None:
    comments = _write(tmp_path, "c.csv", "id,parent\n1,\n")
    articles = _write(tmp_path, "a.csv", "headline,body\nx,y\n")
    with pytest.raises(MappingError, match="article.article_id"):
        _read(comments, articles_table=articles)


def test_article_mapping_without_articles_table(tmp_path: Path) -> None:
    comments = _write(tmp_path, "c.csv", "id,parent\n1,\n")
    with pytest.raises(MappingError, match="articles table"):
        _read(comments, mapping={"article.title": "Headline"})


# --- sniffing -----------------------------------------------------------------------------


def test_looks_like(tmp_path: Path) -> None:
    assert tables.looks_like(tmp_path / "x.parquet", "")
    assert tables.looks_like(tmp_path / "x.jsonl", "")
    assert tables.looks_like(tmp_path / "x.csv", "anything")
    assert tables.looks_like(tmp_path / "x.txt", "ID_Post;ID_Parent_Post;Body\n1;;a\n")
    assert not tables.looks_like(tmp_path / "x.txt", "12 Antworten\n\nMax sagt:\n")
    assert not tables.looks_like(tmp_path / "x.html", "id,parent\n")


def test_unknown_suffix_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="table file"):
        _read(_write(tmp_path, "t.xml", "<a/>"))


def test_read_through_the_ingest_entry_point(tmp_path: Path) -> None:
    from analyzer.ingest import read

    path = _write(tmp_path, "posts.csv", "id,parent,article,text\n1,,A,a\n2,1,A,b\n")
    ingested = read([path])
    assert ingested.comments.select("comment_id", "parent_id", "src_order").rows() == [
        ("1", None, 0), ("2", "1", 1),
    ]
    assert ingested.n_comments_in == 2


def test_jsonl_keeps_unicode_line_separators_inside_strings(tmp_path: Path) -> None:
    record = {"id": "1", "parent": None, "body": "eins\u2028zwei\u2029drei"}
    path = _write(tmp_path, "t.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    out = _read(path)
    assert _rows(out, "comment_id", "text") == [("1", "eins\u2028zwei\u2029drei")]
    assert out.issues == []


# --- public column resolution (shared with analyzer.chunked) ---------------------------------


def test_resolve_columns_maps_joins_and_detects_like_the_reader() -> None:
    comment_map, article_map = tables.split_mapping({"text": "Headline+Body", "article.title": "T"})
    assert comment_map == {"text": "Headline+Body"}
    assert article_map == {"title": "T"}
    cols = tables.resolve_columns(
        ["ID_Post", "ID_Parent_Post", "Headline", "Body", "User"], comment_map, tables.COMMENT_CANDIDATES,
        Path("t.csv"), what="comments",
    )
    assert cols == {
        "comment_id": ["ID_Post"], "parent_id": ["ID_Parent_Post"], "text": ["Headline", "Body"],
        "author": ["User"],
    }


def test_resolve_columns_names_a_missing_mapped_column() -> None:
    with pytest.raises(MappingError, match="column 'Nope' .mapped to text. in the comments table"):
        tables.resolve_columns(["id", "parent"], {"text": "Nope"}, tables.COMMENT_CANDIDATES,
                               Path("t.csv"), what="comments")
