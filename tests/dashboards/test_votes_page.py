"""Reader votes on the dashboard: conversation rows, the comment panel and the article page."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest

from analyzer.pipeline import analyse
from analyzer.views import examples
from dashboards.data import RunData

ROWS = [
    # id, parent, body, up, down
    ("1", "", "Der Artikel stimmt, die Zahlen sind richtig.", "12", "3"),
    ("2", "1", "Nein, das ist falsch. Die Zahlen stimmen nicht.", "30", "2"),
    ("3", "1", "Genau, da hast du recht.", "5", "0"),
    ("4", "", "Wer hat das bezahlt?", "", ""),
    ("5", "2", "Das ist Unsinn, du liegst falsch.", "7", "9"),
]


@pytest.fixture(scope="module")
def voted(tmp_path_factory: pytest.TempPathFactory) -> RunData:
    folder = tmp_path_factory.mktemp("votes")
    path = folder / "posts.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID_Post", "ID_Parent_Post", "ID_Article", "Body", "PositiveVotes", "NegativeVotes"])
        writer.writerows([(i, p, "a", b, u, d) for i, p, b, u, d in ROWS])
    analyse([path], out=folder / "run", stages="structure,nlp,stance",
            stage_settings={"nlp": "offline", "domain_lists": []})
    return RunData(folder / "run")


def _text(value: object) -> str:
    if isinstance(value, dict):
        return _text((value.get("props") or {}).get("children"))
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value)
    if value is None:
        return ""
    children = getattr(value, "children", None)
    return _text(children) if children is not None or hasattr(value, "children") else str(value)


@pytest.mark.slow  # the module's run goes through nlp and stance: about 15 s on the shared machine
def test_most_up_voted_and_most_endorsed_disagreement(voted: RunData) -> None:
    top = examples.voted_comments(voted, "a")
    assert top["comment_id"].to_list() == ["2", "1", "5", "3"]  # comment 4 has no votes: left out
    assert top.select("votes_up", "votes_down").row(0) == (30, 2)
    denying = examples.voted_comments(voted, "a", disagreeing=True)
    stance = voted.stance("a")
    assert stance is not None
    deny_ids = set(stance.filter(pl.col("stance_parent") == "deny")["comment_id"].to_list())
    assert set(denying["comment_id"].to_list()) == deny_ids & {"2", "3", "5"}  # replies only, with votes
    assert denying["votes_up"].to_list() == sorted(denying["votes_up"].to_list(), reverse=True)


@pytest.mark.slow
def test_rows_panel_and_article_page_show_votes(voted: RunData) -> None:
    from dashboards import conversation
    from dashboards.app import create_app
    from dashboards.pages import article

    app = create_app(voted.path, data=voted, warm=False)
    with app.server.test_request_context():
        rows, _, _ = conversation.listing(voted, "a", 0, selected=None, collapsed=set(), search=None)
        by_text = {_text(r): r for r in rows}
        assert any("▲ 30 ▼ 2" in t for t in by_text)
        assert not any("▲" in t for t in by_text if "Wer hat das bezahlt" in t)  # no votes: nothing shown
        panel = _text(conversation.detail(voted, "a", "5"))
        assert "▲ 7 ▼ 9" in panel
        section = _text(article._votes_section(voted, "a"))
        assert "Most up-voted" in section and "Most-endorsed disagreement" in section and "▲ 30 ▼ 2" in section


def test_no_votes_no_section(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,parent,post,body\n1,,a,Hallo\n2,1,a,Ja\n", encoding="utf-8")
    analyse([path], out=tmp_path / "run", stages="structure")
    data = RunData(tmp_path / "run")
    assert examples.voted_comments(data, "a").is_empty()
    from dashboards.app import create_app
    from dashboards.pages import article

    app = create_app(data.path, data=data, warm=False)
    with app.server.test_request_context():
        assert article._votes_section(data, "a") is None


def test_participants_page_lists_votes_received_per_author(tmp_path: Path) -> None:
    """OMP-shaped rows with ID_User and PositiveVotes/NegativeVotes: the participants page ranks
    authors by the up-votes received, with the per-comment figure; without votes, no section."""
    from analyzer.views.participants import votes_received
    from dashboards.pages import participants

    source = Path(__file__).resolve().parents[2] / "fixtures" / "de_csv_omp_like" / "input.csv"
    analyse([source], out=tmp_path / "run", stages="structure")
    data = RunData(tmp_path / "run")
    received = votes_received(data.comments("501"))
    comments = data.comments("501").filter(pl.col("kind") == "comment")
    expected = (comments.drop_nulls("votes_up").group_by("author").agg(pl.col("votes_up").sum())
                .sort(["votes_up", "author"], descending=[True, False]))
    assert received.select("author", "votes_up").rows() == expected.rows()
    top = received.row(0, named=True)
    shown = _text(participants.votes_part(data, "501"))
    assert "Votes received" in shown and str(top["author"]) in shown
    assert f"▲ {top['votes_up']}" in shown

    table = tmp_path / "plain.csv"
    table.write_text("ID_Post,ID_Parent_Post,ID_Article,ID_User,Body\n1,,a,u1,Erster\n2,1,a,u2,Zweiter\n",
                     encoding="utf-8")
    analyse([table], out=tmp_path / "plain", stages="structure")
    assert participants.votes_part(RunData(tmp_path / "plain"), "a") is None
