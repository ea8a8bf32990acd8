"""The terminal summary: one row per article, totals from the manifest, issues, cut lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.core.run import read_run
from analyzer.outputs.summary import article_table, render
from analyzer.pipeline import analyse


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("summary")
    table = folder / "c.csv"
    rows = ["article_id,comment_id,parent_id,text"]
    rows += [f"a{a},{a}-{i},{'' if i == 0 else f'{a}-{i - 1}'},Kommentar {i}\twith a tab" for a in range(3) for i in range(4)]
    rows.append("a0,orphan,missing,Antwort auf nichts")
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    analyse([table], out=folder / "run", stages="structure")
    return folder / "run"


def test_one_row_per_article_with_totals_and_issues(run_dir: Path) -> None:
    run = read_run(run_dir)
    text = render(run)
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["article", "title", "announced"]
    assert sum(1 for line in lines if line.startswith(("a0 ", "a1 ", "a2 "))) == 3
    assert article_table(run).height == 3
    assert "3 articles, 13 comments" in text
    assert "stages: structure; NLP mode: not run" in text
    assert "parse issues:" in text and "unknown-parent" in text  # the orphan is shown, not hidden


def test_long_lists_are_cut_and_say_how_many_more(run_dir: Path) -> None:
    text = render(read_run(run_dir), max_articles=1, max_issues=0)
    assert "… and 2 more articles" in text
    assert "more (parse_issues.parquet)" in text
