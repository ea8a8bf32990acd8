"""The report's reading aids (issue 14 item 8) and its labels, moderation and coordination parts.

A planted run (tests/dashboards/coordination_run.py) gives campaigns, a co-sharing group,
removals and hand-written labels; a 60-article run gives a table long enough to be paged.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import polars as pl
import pytest

from analyzer.outputs.notebook import excerpt
from analyzer.outputs.report.build import build_report
from analyzer.outputs.report.sections import TABLE_PAGE_ROWS
from analyzer.pipeline import analyse
from analyzer.views import RunView
from analyzer.views.examples import example_comments, verdict
from tests.bench.synth.corpus import generate_corpus
from tests.dashboards.coordination_run import build


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    run = build(tmp_path_factory.mktemp("planted"))
    out = tmp_path_factory.mktemp("report") / "r"
    build_report(run, out, formats="html")
    return run, (out / "index.html").read_text(encoding="utf-8")


def test_each_article_has_its_sentence_examples_and_tree_legend(planted: tuple[Path, str]) -> None:
    run, page = planted
    view = RunView(run)
    article = str(view.default_article())
    assert html.escape(verdict(view, article), quote=False) in page
    examples = example_comments(view, article)
    assert not examples.is_empty()
    for text in examples["text"].to_list():
        assert html.escape(excerpt(text, 340), quote=False) in page  # as the report shows it
    assert page.count("a box's height is its whole subtree") >= 1
    assert "ghost (a comment missing from the capture)" in page


def test_labels_moderation_and_coordination_are_in_the_report(planted: tuple[Path, str]) -> None:
    _, page = planted
    assert "Labels and moderation (all articles)" in page
    assert "not a finding" in page and "uses arguments" in page
    assert "Removal rate by reply depth" in page
    assert "Across threads: campaigns, co-sharing, authors" in page
    assert "Die Regierung verschweigt seit Monaten" in page  # the planted campaign's text
    assert "Verteiler_A" in page and "estimated from the data as CooRnet does" in page


def test_long_tables_are_paged(tmp_path: Path) -> None:
    corpus = generate_corpus(180, 60, seed=5, deep_chains=0)
    table = tmp_path / "many.parquet"
    corpus.write_parquet(table)
    analyse([table], out=tmp_path / "run", stages="structure", stage_settings={"domain_lists": []})
    build_report(tmp_path / "run", tmp_path / "report", formats="html")
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    n_articles = pl.read_parquet(tmp_path / "run" / "articles.parquet").height
    assert n_articles > TABLE_PAGE_ROWS
    articles = page[page.index('<table id="articles-table">'):]
    articles = articles[:articles.index("</table>")]
    assert articles.count("<tbody hidden>") == (n_articles - 1) // TABLE_PAGE_ROWS
    assert re.search(r'<div class="pager" data-table="articles-table">', page)


def test_sites_are_compared_when_there_are_several(tmp_path: Path) -> None:
    corpus = generate_corpus(60, 4, seed=9, deep_chains=0)
    comments = tmp_path / "comments.parquet"
    corpus.write_parquet(comments)
    articles = tmp_path / "articles.csv"
    ids = sorted(corpus["article_id"].unique().to_list())
    pl.DataFrame({"article_id": ids, "site": ["one.example" if i % 2 else "two.example" for i in range(len(ids))],
                  "title": [f"Title {a}" for a in ids]}).write_csv(articles)
    from analyzer.ingest.base import ReadOptions

    analyse([comments], out=tmp_path / "run", stages="structure,links", options=ReadOptions(articles_table=articles),
            stage_settings={"domain_lists": []})
    build_report(tmp_path / "run", tmp_path / "report", formats="html")
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "Sites compared" in page and "one.example" in page and "two.example" in page


def test_who_replied_to_whom_and_reader_votes_are_in_each_article(tmp_path: Path) -> None:
    """The OMP-shaped fixture has named authors replying to each other and PositiveVotes /
    NegativeVotes: each article's section lists its reply pairs and its most up-voted comments,
    and the pairs are exactly the view's (not a re-count of our own)."""
    from analyzer.views.participants import reply_pairs

    source = Path(__file__).resolve().parents[3] / "fixtures" / "de_csv_omp_like" / "input.csv"
    run = tmp_path / "run"
    analyse([source], out=run, stages="structure,stance")
    out = tmp_path / "r"
    build_report(run, out, formats="html")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count("<h3>Who replied to whom</h3>") == 2  # both articles have replies between named authors
    assert page.count("<h3>Most up-voted comments</h3>") == 2
    view = RunView(run)
    pairs = reply_pairs(view.comments("501"), view.stance("501"))
    first = pairs.row(0, named=True)
    row = f"<td class=\"excerpt\">{first['author']}</td><td class=\"excerpt\">{first['replied_to']}</td>"
    assert row in page
    assert "▲ 12 ▼ 1" in page  # comment 3001's PositiveVotes / NegativeVotes
    section = page[page.index("Most up-voted comments"):]
    assert section.index("▲ 12 ▼ 1") < section.index("▲ 4 ▼ 6")  # most up-votes first


def test_a_source_without_votes_or_named_replies_gets_no_empty_tables(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[3] / "fixtures" / "de_sample_page" / "input.txt"
    run = tmp_path / "run"
    analyse([source], out=run, stages="structure")
    out = tmp_path / "r"
    build_report(run, out, formats="html")
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Most up-voted comments" not in page and "Most-endorsed disagreement" not in page
