"""analyzer.jobs.scheduled and ``analyzer run``: change detection, dated runs, comparison, exit codes."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from analyzer.core.errors import UnreadableInputError, UsageError
from analyzer.jobs.scheduled import EXIT_ALERT, EXIT_ISSUES, EXIT_OK, load_job, run_job
from tests.outputs.report.pages import BASE_COMMENTS, write_page

T1 = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
T2 = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
T3 = datetime(2026, 11, 26, 1, 30, tzinfo=UTC)
JOB = """name = "lindenau"
inputs = ["pages/*.txt"]
output = "out"
stages = ["structure", "links"]
[report]
formats = ["html", "parquet"]
{extra}
"""


@pytest.fixture
def job_dir(tmp_path: Path) -> Path:
    write_page(tmp_path / "pages" / "lindenau.txt")
    (tmp_path / "job.toml").write_text(JOB.format(extra=""), encoding="utf-8")
    return tmp_path


def test_first_run_then_unchanged_then_changed(job_dir: Path) -> None:
    first = run_job(job_dir / "job.toml", now=T1)
    assert first.status == "ran" and first.exit_code == EXIT_OK
    run1 = job_dir / "out" / "runs" / "2026-11-24T0130Z"
    assert first.run_dir == run1
    assert (run1 / "run" / "manifest.json").is_file() and (run1 / "report" / "index.html").is_file()
    assert json.loads((job_dir / "out" / "latest.json").read_text())["run"] == "2026-11-24T0130Z"
    assert (job_dir / "out" / "latest").resolve() == run1.resolve()

    again = run_job(job_dir / "job.toml", now=T2)
    assert again.status == "unchanged" and again.exit_code == EXIT_OK
    assert "nothing changed" in again.messages[0]
    assert sorted(p.name for p in (job_dir / "out" / "runs").iterdir()) == ["2026-11-24T0130Z"]

    # Moderation between runs: the reply "Und wo sollen ..." (c2 under c1) goes, a new comment comes.
    changed = [BASE_COMMENTS[0], BASE_COMMENTS[2][:1] and (2, BASE_COMMENTS[2][1]), *BASE_COMMENTS[3:],
               (1, "Ein neuer Beitrag mit Quelle www.neu.example.org/plan")]
    write_page(job_dir / "pages" / "lindenau.txt", changed)
    third = run_job(job_dir / "job.toml", now=T3)
    assert third.status == "ran" and third.exit_code == EXIT_ALERT
    assert any("1 comment(s) disappeared" in m and "lindenau/c2" in m for m in third.messages)
    run3 = job_dir / "out" / "runs" / "2026-11-26T0130Z"
    data = json.loads((run3 / "comparison" / "comparison.json").read_text())
    assert data["n_disappeared"] == 1 and data["n_new_comments"] == 1
    gone = data["disappeared"][0]
    assert (gone["comment_id"], gone["parent_id"], gone["depth"], gone["reason"]) == ("c2", "c1", 2, "absent")
    assert gone["excerpt"].startswith("Und wo sollen die Anwohner")
    assert data["old_run"] == str(job_dir / "out" / "runs" / "2026-11-24T0130Z" / "run")
    assert data["new_run"] == str(run3 / "run")
    record = json.loads((run3 / "job.json").read_text())
    assert record["exit_code"] == EXIT_ALERT and record["previous"] == "2026-11-24T0130Z"
    page = (run3 / "report" / "index.html").read_text()
    assert "Changes since the previous run" in page and "Und wo sollen die Anwohner" in page
    assert (run3 / "report" / "comparison_disappeared.parquet").is_file()
    assert (job_dir / "out" / "latest").resolve() == run3.resolve()
    assert not [p for p in (job_dir / "out" / "runs").iterdir() if p.name.startswith(".")]


def test_force_runs_again_in_a_new_folder(job_dir: Path) -> None:
    run_job(job_dir / "job.toml", now=T1)
    forced = run_job(job_dir / "job.toml", now=T1, force=True)
    assert forced.status == "ran" and forced.exit_code == EXIT_OK
    assert forced.run_dir is not None and forced.run_dir.name == "2026-11-24T013000Z"


def test_a_killed_run_leaves_no_debris_after_the_next_run(job_dir: Path) -> None:
    from analyzer.core import atomic

    runs = job_dir / "out" / "runs"
    runs.mkdir(parents=True)
    # What a job killed while writing leaves behind, and a temp folder of a job still writing.
    dead = runs / ".2026-11-23T0130Z.tmp-abcd1234"
    (dead / "run").mkdir(parents=True)
    alive = atomic.make_temp_folder(runs / "2026-11-23T0200Z")
    keep = runs / ".notes.tmp-mine"  # not a shape we create (8 characters after "tmp-"): never touched
    keep.mkdir()
    # Pointer files of a killed job (no such process) and of one still running (this process's parent).
    dead_pointer = job_dir / "out" / ".latest.json.tmp-999999999"
    live_pointer = job_dir / "out" / f".latest.json.tmp-{os.getppid()}"
    dead_pointer.write_text("{}", encoding="utf-8")
    live_pointer.write_text("{}", encoding="utf-8")
    try:
        outcome = run_job(job_dir / "job.toml", now=T1)
        assert outcome.status == "ran"
        assert not dead.exists()
        assert alive.is_dir() and keep.is_dir()
        assert not dead_pointer.exists() and live_pointer.exists()
        assert sorted(p.name for p in runs.iterdir() if not p.name.startswith(".")) == ["2026-11-24T0130Z"]
    finally:
        atomic.discard_temp_folder(alive)


def test_alert_thresholds_can_be_switched_off(job_dir: Path) -> None:
    (job_dir / "job.toml").write_text(JOB.format(extra="[alert]\nmin_disappeared = 0\nnew_domains = true\n"))
    run_job(job_dir / "job.toml", now=T1)
    write_page(job_dir / "pages" / "lindenau.txt", [*BASE_COMMENTS[:4], (1, "Siehe www.anders-beispiel.de/x")])
    outcome = run_job(job_dir / "job.toml", now=T2)
    assert outcome.exit_code == EXIT_ALERT
    # The last comment was replaced: no alert for that (min_disappeared = 0), one for the domain.
    assert [m for m in outcome.messages if m.startswith("ALERT")] == ["ALERT: newly linked domain(s): anders-beispiel.de"]


def test_input_problems_give_exit_1(job_dir: Path) -> None:
    (job_dir / "job.toml").write_text(JOB.format(extra="[alert]\nfail_on = \"warning\"\n"))
    # The page announces 5 replies; show 4: a count-mismatch warning.
    text = (job_dir / "pages" / "lindenau.txt").read_text().replace("5 Antworten", "9 Antworten")
    (job_dir / "pages" / "lindenau.txt").write_text(text)
    outcome = run_job(job_dir / "job.toml", now=T1)
    assert outcome.exit_code == EXIT_ISSUES
    assert any("count-mismatch" in m for m in outcome.messages)


@pytest.mark.parametrize(("content", "match"), [
    ("inputs = []", "inputs"),
    ("inputs = ['a']\nbogus = 1", "unknown key"),
    ("inputs = ['a']\nstages = ['nope']", "unknown stage"),
    ("inputs = ['a']\n[alert]\nfail_on = 'loud'", "fail_on"),
    ("inputs = ['a']\n[alert]\nstance_shift = 'x'", "stance_shift"),
    ("inputs = ['a']\n[report]\nformats = ['pdf']", "format"),
    ("not toml [", "TOML"),
])
def test_bad_job_files(tmp_path: Path, content: str, match: str) -> None:
    (tmp_path / "job.toml").write_text(content)
    with pytest.raises(UsageError, match=match):
        load_job(tmp_path / "job.toml")


def test_missing_job_file_and_empty_glob(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot be read"):
        load_job(tmp_path / "absent.toml")
    (tmp_path / "job.toml").write_text("inputs = ['pages/*.txt']\n")
    with pytest.raises(UnreadableInputError):
        run_job(tmp_path / "job.toml")


def test_cli_exit_codes(job_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from analyzer.jobs.cli import add_parser

    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["run", str(job_dir / "job.toml")])
    assert args.handler(args) == EXIT_OK
    assert "first run" in capsys.readouterr().out
    assert args.handler(args) == EXIT_OK
    assert "nothing changed" in capsys.readouterr().out


# --- Incremental runs -----------------------------------------------------------------------

ALL_STAGES_JOB = """name = "drei-seiten"
inputs = ["pages/*.txt"]
output = "out"
stages = ["structure", "links", "nlp", "quotes", "stance", "framing"]
[settings]
nlp = "offline"
[report]
formats = ["parquet"]
max_articles = {max_articles}
"""
# Three threads written for these tests: Lindenau (the shared base page), a bakery and a pool.
BAECKEREI = [
    (1, "Die Bäckerei am Markt war seit Jahrzehnten ein Treffpunkt für das ganze Viertel."),
    (2, "Schade, aber bei diesen Mieten wundert mich die Schließung nicht."),
    (1, "Vielleicht übernimmt ja jemand den Laden, siehe www.markt-viertel.example.de/aushang"),
    (2, "Wer soll das bezahlen? Die Pacht ist doppelt so hoch wie früher."),
]
FREIBAD = [
    (1, "Das Freibad zu sanieren ist richtig, die Kinder brauchen einen Ort im Sommer."),
    (1, "Die Stadt hat kein Geld für Straßen, aber für ein Schwimmbecken schon?"),
    (2, "Ein Freibad ist keine Luxusausgabe, sondern Daseinsvorsorge."),
]


def _three_pages(root: Path, max_articles: int = 12) -> Path:
    write_page(root / "pages" / "a_lindenau.txt")
    write_page(root / "pages" / "b_baeckerei.txt", BAECKEREI, title="Traditionsbäckerei am Markt schließt")
    write_page(root / "pages" / "c_freibad.txt", FREIBAD, title="Stadtrat beschließt Sanierung des Freibads")
    (root / "job.toml").write_text(ALL_STAGES_JOB.replace("{max_articles}", str(max_articles)), encoding="utf-8")
    return root / "job.toml"


def _origins(run_dir: Path) -> dict[str, str]:
    manifest = json.loads((run_dir / "run" / "manifest.json").read_text())
    return {Path(i["path"]).name: i["origin"] for i in manifest["inputs"]}


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def test_incremental_run_analyses_only_the_changed_input(tmp_path: Path) -> None:
    from analyzer.core.run import read_run
    from analyzer.pipeline import analyse

    job = _three_pages(tmp_path)
    first = run_job(job, now=T1)
    assert first.run_dir is not None and set(_origins(first.run_dir).values()) == {"analysed"}

    # Moderation on the bakery page only: the first reply goes, a new top-level comment comes.
    write_page(tmp_path / "pages" / "b_baeckerei.txt",
               [BAECKEREI[0], *BAECKEREI[2:], (1, "Ich kaufe jetzt beim Discounter.")],
               title="Traditionsbäckerei am Markt schließt")
    second = run_job(job, now=T2)
    assert second.status == "ran" and second.run_dir is not None
    reused = "reused from 2026-11-24T0130Z"
    assert _origins(second.run_dir) == {"a_lindenau.txt": reused, "b_baeckerei.txt": "analysed",
                                        "c_freibad.txt": reused}
    record = json.loads((second.run_dir / "job.json").read_text())
    assert [i["origin"] for i in record["inputs"]] == [reused, "analysed", reused]
    assert "reused 2 unchanged input(s) from 2026-11-24T0130Z, analysed 1" in second.messages
    merged = read_run(second.run_dir / "run")
    assert merged.manifest["incremental"]["analysed"] == [str(tmp_path / "pages" / "b_baeckerei.txt")]

    # The same inputs from scratch: every frame equal after sorting, the counts too.
    scratch = analyse(sorted(str(p) for p in (tmp_path / "pages").glob("*.txt")), out=tmp_path / "scratch",
                      stages=["structure", "links", "nlp", "quotes", "stance", "framing"],
                      stage_settings={"nlp": "offline"})
    reference = read_run(tmp_path / "scratch")
    assert set(merged.manifest["files"]) == set(reference.manifest["files"])
    for name in reference.manifest["files"]:
        assert_frame_equal(_sorted(merged.frame(name)), _sorted(reference.frame(name)), check_exact=False)
    assert merged.manifest["counts"] == scratch.manifest["counts"]
    assert merged.manifest["counts"]["articles"] == 3

    # Keyness pools its prior over the run: a reused thread's z-scores moved with the edit,
    # and were recomputed (equal to scratch above), not copied from the first run.
    old_z = read_run(first.run_dir / "run").frame("keyness").filter(pl.col("article_id") == "a_lindenau")
    new_z = merged.frame("keyness").filter(pl.col("article_id") == "a_lindenau")
    assert old_z.height == new_z.height > 0
    assert not old_z.sort("term")["z"].equals(new_z.sort("term")["z"])

    # The comparison with the first run still finds the moderation.
    data = json.loads((second.run_dir / "comparison" / "comparison.json").read_text())
    assert data["n_disappeared"] == 1 and data["n_new_comments"] == 1
    gone = data["disappeared"][0]
    assert (gone["article_id"], gone["comment_id"], gone["parent_id"]) == ("b_baeckerei", "c2", "c1")
    assert gone["excerpt"].startswith("Schade, aber")
    assert second.exit_code == EXIT_ALERT


@pytest.mark.slow  # about 5 s: three chained runs
def test_incremental_run_chains_and_handles_added_and_removed_inputs(tmp_path: Path) -> None:
    from analyzer.core.run import read_run

    job = _three_pages(tmp_path)
    run_job(job, now=T1)
    (tmp_path / "pages" / "c_freibad.txt").unlink()
    write_page(tmp_path / "pages" / "d_neu.txt", FREIBAD[:2], title="Ein neuer Artikel")
    second = run_job(job, now=T2)
    assert second.run_dir is not None
    assert _origins(second.run_dir) == {"a_lindenau.txt": "reused from 2026-11-24T0130Z",
                                        "b_baeckerei.txt": "reused from 2026-11-24T0130Z", "d_neu.txt": "analysed"}
    run = read_run(second.run_dir / "run")
    assert run.articles["article_id"].to_list() == ["a_lindenau", "b_baeckerei", "d_neu"]
    assert "c_freibad" not in set(run.comments["article_id"].to_list())
    assert "c_freibad" not in set(run.metrics["article_id"].to_list())
    summary = second.summary or {}
    assert summary["articles_removed"] == ["c_freibad"] and summary["articles_added"] == ["d_neu"]
    # Report options changed only: every input is reused, nothing is analysed.
    (tmp_path / "job.toml").write_text(ALL_STAGES_JOB.replace("{max_articles}", "5"), encoding="utf-8")
    third = run_job(job, now=T3)
    assert third.run_dir is not None
    assert set(_origins(third.run_dir).values()) == {"reused from 2026-11-25T0130Z"}
    again = read_run(third.run_dir / "run")
    for name in run.manifest["files"]:
        assert_frame_equal(again.frame(name), run.frame(name))
    assert again.manifest["counts"] == run.manifest["counts"]


def test_changed_settings_or_force_analyse_everything(tmp_path: Path) -> None:
    job = _three_pages(tmp_path)
    run_job(job, now=T1)
    text = (tmp_path / "job.toml").read_text().replace('nlp = "offline"', 'nlp = "offline"\nframes_alpha = 0.25')
    (tmp_path / "job.toml").write_text(text, encoding="utf-8")
    changed = run_job(job, now=T2)
    assert changed.run_dir is not None and set(_origins(changed.run_dir).values()) == {"analysed"}
    assert any("settings" in m and m.startswith("analysed all 3") for m in changed.messages)
    forced = run_job(job, now=T3, force=True)
    assert forced.run_dir is not None and set(_origins(forced.run_dir).values()) == {"analysed"}


def test_run_context_change_prevents_reuse(tmp_path: Path) -> None:
    from analyzer.jobs.scheduled import _context_changes

    old = {"nlp": {"mode": "offline", "n_tokens": 10, "languages": {"de": {}}}, "links": {"domain_lists": []}}
    same = {"nlp": {"mode": "offline", "n_tokens": 99, "languages": {"en": {}}}, "links": {"domain_lists": []}}
    assert _context_changes(old, same) == []
    other = {"nlp": {"mode": "stanza", "n_tokens": 10}, "links": {"domain_lists": [{"name": "x", "stale": True}]}}
    assert _context_changes(old, other) == ["links.domain_lists", "nlp.mode"]
