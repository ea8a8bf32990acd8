"""analyzer.jobs and ``analyzer run``: change detection, dated runs, comparison, exit codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from analyzer.errors import UnreadableInputError, UsageError
from analyzer.jobs import EXIT_ALERT, EXIT_ISSUES, EXIT_OK, load_job, run_job
from tests.report.pages import BASE_COMMENTS, write_page

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

    from analyzer.jobs_cli import add_parser

    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["run", str(job_dir / "job.toml")])
    assert args.handler(args) == EXIT_OK
    assert "first run" in capsys.readouterr().out
    assert args.handler(args) == EXIT_OK
    assert "nothing changed" in capsys.readouterr().out
