"""The "nothing lost" accounting: comments, links and the written files (analyzer.accounting)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import analyzer.tree.limits as limits
from analyzer import accounting, cli, pipeline
from analyzer.accounting import AccountingError, verify_run_folder
from analyzer.core.run import read_run
from analyzer.pipeline import analyse
from analyzer.stages import links
from analyzer.stages.links import stage as link_stage

# --- Link candidates ------------------------------------------------------------------------

PIECES = ["http://", "https://", "hxxp://", "_____://", "www.", "example", ".de", "[.]", "/pfad", "@", " ", "\n",
          "z.B.", "localhost", ":8080", ")", "(", "a" * 70, ".", "Ende.Jetzt", ">", "Zitat:", "ä"]


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_every_candidate_is_a_link_or_a_rejection(text: str) -> None:
    found = links.extract_links(text)
    assert found.n_found == len(found.links) + len(found.rejected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("siehe http:// und so", "no host after the scheme"),
        ("lokal: http://localhost/seite", "has no dot"),
        ("https://nutzer@example.com/x", "'@' next to the host"),
        ("https://" + "a" * 70 + ".de/x", "label over 63 characters"),
        ("Seht: https://example.com/" + "x" * 10_000, "longer than 8192"),
    ],
)
def test_scheme_candidates_that_are_not_links_are_rejected_with_a_reason(text: str, reason: str) -> None:
    found = links.extract_links(text)
    assert found.links == [] and found.n_found == 1
    ((_, why),) = found.rejected
    assert reason in why


def test_words_that_look_like_hosts_are_not_candidates() -> None:
    found = links.extract_links("z.B. bild.jpg, Dr.med und Ende.Jetzt, mail an a@b.de")
    assert (found.n_found, found.links, found.rejected) == (0, [], [])


def test_repeated_rejections_become_one_issue_per_text_and_reason() -> None:
    tally = links.LinkTally()
    frame, issues = links.links_frame([("a", "1", "http:// " * 1000 + "https://ok.example.de/x")], tally)
    assert frame.height == 1
    assert tally.as_dict() == {"found": 1001, "rows": 1, "rejected": 1000}
    (issue,) = issues
    assert issue.code == "link-skipped" and issue.detail.startswith("1000 link candidates skipped: no host")


def test_a_link_written_twice_is_two_rows() -> None:
    tally = links.LinkTally()
    frame, _ = links.links_frame([("a", "1", "https://x.example.de/a und https://x.example.de/a")], tally)
    assert frame.height == 2 and tally.as_dict() == {"found": 2, "rows": 2, "rejected": 0}


def test_counts_helpers_raise_on_a_mismatch() -> None:
    with pytest.raises(AccountingError, match="3 link candidates found, 1 rows and 1 rejected"):
        accounting.check_links({"found": 3, "rows": 1, "rejected": 1})
    with pytest.raises(AccountingError, match="readers saw 5 comments"):
        accounting.check_comments({"comments_in": 5, "comments_out": 3, "comments_rejected": 1})
    total: dict[str, Any] = {}
    accounting.add_counts(total, {"links": {"found": 2, "rows": 2}, "flag": True})
    accounting.add_counts(total, {"links": {"found": 1, "rows": 0}})
    assert total == {"links": {"found": 3, "rows": 2}}


# --- Through the pipeline -------------------------------------------------------------------


def _input(tmp_path: Path) -> Path:
    rows = [
        {"id": "1", "parent": None, "post": "p", "body": "Quelle: https://example.de/a und hxxps://beispiel[.]org/b"},
        {"id": "2", "parent": "1", "post": "p", "body": "Falsch, siehe www.example.com/c und http:// nichts"},
        {"id": "3", "parent": None, "post": "p", "body": "ohne Link"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


STAGES = "structure,links"


def test_a_run_records_its_link_accounting(tmp_path: Path) -> None:
    out = tmp_path / "run"
    analysis = analyse([_input(tmp_path)], out=out, stages=STAGES)
    assert analysis.manifest["accounting"]["links"] == {"found": 4, "rows": 3, "rejected": 1}
    assert analysis.manifest["stage_info"]["links"]["n_found"] == 4
    assert read_run(out).frame("links").height == 3
    comments = analysis.manifest["accounting"]["comments"]
    assert (comments["in"], comments["out"], comments["rejected"]) == (3, 3, 0)
    verify_run_folder(out)


def test_no_links_stage_means_no_link_accounting(tmp_path: Path) -> None:
    analysis = analyse([_input(tmp_path)], out=tmp_path / "run", stages="structure")
    assert "links" not in analysis.manifest["accounting"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir())


def test_a_dropped_link_row_fails_before_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _input(tmp_path)
    out = tmp_path / "run"
    analyse([source], out=out, stages=STAGES)
    before, siblings = _snapshot(out), _siblings(out)
    real = links.links_frame

    def lossy(texts: Any, tally: Any = None) -> tuple[pl.DataFrame, list[Any]]:
        frame, issues = real(texts, tally)
        return frame.head(frame.height - 1), issues

    monkeypatch.setattr(link_stage, "links_frame", lossy)
    with pytest.raises(AccountingError, match="would hold 2"):
        analyse([source], out=out, stages=STAGES)
    assert _snapshot(out) == before and _siblings(out) == siblings


def test_a_file_written_short_fails_and_keeps_the_previous_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = _input(tmp_path)
    out = tmp_path / "run"
    analyse([source], out=out, stages=STAGES)
    before, siblings = _snapshot(out), _siblings(out)
    real = pl.DataFrame.write_parquet

    def short_links(self: pl.DataFrame, file: Any, *args: Any, **kwargs: Any) -> None:
        frame = self.head(self.height - 1) if str(file).endswith("links.parquet") else self
        real(frame, file, *args, **kwargs)

    monkeypatch.setattr(pl.DataFrame, "write_parquet", short_links)
    with pytest.raises(AccountingError, match="links.parquet holds 2 rows, the manifest says 3"):
        analyse([source], out=out, stages=STAGES)
    assert _snapshot(out) == before and _siblings(out) == siblings


def test_a_lost_comment_fails_the_run_with_exit_code_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _input(tmp_path)
    out = tmp_path / "run"
    assert cli.main(["analyse", str(source), "--out", str(out), "--stages", STAGES, "-q"]) == 0
    before = _snapshot(out)
    real = limits.build_limited_forest

    def lossy(*args: Any, **kwargs: Any) -> Any:
        forest, outcome = real(*args, **kwargs)
        forest.comments = forest.comments.head(forest.comments.height - 1)
        return forest, outcome

    monkeypatch.setattr(pipeline, "build_limited_forest", lossy)
    # links only: the structure stage would trip over the shortened frame first
    assert cli.main(["analyse", str(source), "--out", str(out), "--stages", "links", "-q"]) == 3
    assert "readers saw 3 comments, the run holds 2" in capsys.readouterr().err
    assert _snapshot(out) == before


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m["files"]["comments.parquet"].update(rows=9), "comments.parquet holds 3 rows, the manifest says 9"),
        (lambda m: m["counts"].update(comments_out=2, comments_in=2), "holds 3 comments and 0 ghosts"),
        (lambda m: m["counts"].update(comments_rejected=1, comments_in=4), "lists 0 rejected comments"),
        (lambda m: m["accounting"]["links"].update(rows=4), "the link accounting says 4"),
    ],
)
def test_verify_compares_the_files_with_the_manifest(tmp_path: Path, edit: Any, message: str) -> None:
    out = tmp_path / "run"
    analyse([_input(tmp_path)], out=out, stages=STAGES)
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    edit(manifest)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(AccountingError, match=message):
        verify_run_folder(out)


def test_rejection_codes_stay_importable_from_the_pipeline() -> None:
    # jobs.py and older callers import these names from analyzer.pipeline.
    assert pipeline.REJECTION_CODES >= {"rejected-comment", "invalid-json-line", "limit-depth"}
    assert pipeline.AccountingError is AccountingError


# --- Chunked runs ---------------------------------------------------------------------------


def _parquet(tmp_path: Path) -> Path:
    rows = []
    for post in ("p1", "p2", "p3"):
        for i in range(4):
            rows.append({"id": f"{post}-{i}", "parent": f"{post}-{i - 1}" if i else None, "post": post,
                         "body": f"siehe https://{post}.example.de/{i} und http:// leer"})
    path = tmp_path / "in.parquet"
    pl.DataFrame(rows).write_parquet(path)
    return path


def test_chunked_runs_sum_and_check_the_link_accounting(tmp_path: Path) -> None:
    from analyzer.chunked import analyse_chunked

    out = analyse_chunked([_parquet(tmp_path)], out=tmp_path / "run", chunk_comments=4, stages=STAGES)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["chunked"]["n_chunks"] == 3
    assert manifest["accounting"]["links"] == {"found": 24, "rows": 12, "rejected": 12}
    assert read_run(out).frame("links").height == 12


def test_chunked_articles_table_links_are_counted_once(tmp_path: Path) -> None:
    from analyzer.chunked import analyse_chunked

    articles = tmp_path / "articles.csv"
    pl.DataFrame(
        {"post": ["p1", "lonely"], "title": ["Eins", "Allein"], "body": ["https://a.example.de/1", "https://b.example.de/2"]}
    ).write_csv(articles)
    out = analyse_chunked([_parquet(tmp_path)], out=tmp_path / "run", chunk_comments=4, stages=STAGES,
                          articles_table=articles, mapping={"article_id": "post"})
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    links_rows = read_run(out).frame("links").height
    assert manifest["accounting"]["links"]["rows"] == links_rows
    verify_run_folder(out)


def test_a_chunked_run_with_a_lost_link_keeps_the_previous_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analyzer.chunked import analyse_chunked

    source = _parquet(tmp_path)
    out = analyse_chunked([source], out=tmp_path / "run", chunk_comments=4, stages=STAGES)
    before, siblings = _snapshot(out), _siblings(out)
    real = links.links_frame

    def lossy(texts: Any, tally: Any = None) -> tuple[pl.DataFrame, list[Any]]:
        frame, issues = real(texts, tally)
        return frame.head(max(frame.height - 1, 0)), issues

    monkeypatch.setattr(link_stage, "links_frame", lossy)
    with pytest.raises(AccountingError):
        analyse_chunked([source], out=out, chunk_comments=4, stages=STAGES)
    assert _snapshot(out) == before and _siblings(out) == siblings


# --- Article text after a comment header ----------------------------------------------------

_UNREAD_PAGE = """Gartenverein

Die Hecken werden geschnitten

Am Samstag schneiden wir die Hecken am Vereinsheim, Werkzeug bringt bitte jeder selbst mit.

Kommentare

Hanna aus dem Nachbarhaus

Ich bringe eine Leiter mit und einen Korb für den Schnitt.

Antworten

Jörg vom Vorstand

Danke, die Leiter brauchen wir wirklich.

Antworten

Schreibe einen Kommentar
"""


def test_article_text_after_a_comment_header_is_its_own_accounting_figure(tmp_path: Path) -> None:
    page = tmp_path / "hecken.txt"
    page.write_text(_UNREAD_PAGE, encoding="utf-8")
    analysis = analyse([page], out=tmp_path / "run", stages="structure")
    (issue,) = [i for i in analysis.issues if i.code == "comments-not-recognised"]
    section = analysis.manifest["accounting"]["article_text_after_comment_header"]
    chars = int(issue.detail.rsplit("; ", 1)[1].split()[0])
    assert chars > 0
    assert section == {"inputs": 1, "chars": chars, "by_input": {str(page): chars}}
    # The figure is the text of the article blocks after the header line: the comments' words.
    blocks = read_run(tmp_path / "run").frame("article_blocks")
    after = blocks.filter(blocks["source_line"] > issue.line)
    assert after.get_column("text").str.len_chars().sum() == chars
    assert "Leiter" in " ".join(after.get_column("text").to_list())


def test_a_read_comment_section_leaves_no_text_after_the_header(tmp_path: Path) -> None:
    analysis = analyse([_input(tmp_path)], out=tmp_path / "run", stages="structure")
    assert analysis.manifest["accounting"]["article_text_after_comment_header"] == {
        "inputs": 0, "chars": 0, "by_input": {}}
