"""``analyzer export``: every format written, and read back by the tool it is for."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import networkx as nx
import polars as pl
import pytest

import analyzer
from analyzer.cli import main
from analyzer.core.errors import UsageError
from analyzer.core.run import read_run
from analyzer.ingest import read
from analyzer.outputs.export import export_run
from analyzer.outputs.export.network import reply_counts
from tests.optional_convokit import import_convokit

ROWS = [
    # article a: ann, bob answers, a ghost gap (declared depth 4 under depth 2), a deleted one, anonymous
    ("a", "1", "", "ann", "2024-03-01T12:00:00Z", "Die Regierung verschweigt die wahren Kosten der Energiewende seit Jahren"),
    ("a", "2", "1", "bob", "2024-03-01T12:01:00Z", "Das stimmt nicht, https://example.org/quelle"),
    ("a", "3", "2", "ann", "2024-03-01T12:02:00Z", "Doch, lies nach."),
    ("a", "4", "", "", "2024-03-01T12:03:00Z", "Anonym hier."),
    ("b", "1", "", "bob", "2024-03-02T08:00:00Z", "Die Regierung verschweigt die wahren Kosten der Energiewende seit Jahren!!"),
    ("b", "2", "1", "cid", "2024-03-02T08:05:00Z", "Genau so, https://example.org/quelle"),
    ("b", "3", "2", "bob", "2024-03-02T08:06:00Z", "[deleted]"),
]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    lines = ["article_id,comment_id,parent_id,author,created_at,text"]
    lines += [",".join(f'"{v}"' if "," in v else v for v in row) for row in ROWS]
    (folder / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    analyzer.analyse([folder / "t.csv"], out=folder / "run", stages="structure,links,coordination")
    return folder / "run"


def test_csv_has_every_frame_with_its_rows(run_dir: Path, tmp_path: Path) -> None:
    written = export_run(run_dir, "csv", tmp_path / "csv")
    run = read_run(run_dir)
    assert {p.stem for p in written} == {n.removesuffix(".parquet") for n in run.manifest["files"]}
    for path in written:
        back = pl.read_csv(path, infer_schema_length=0)
        assert back.height == run.frame(path.stem).height, path.name
    nd = pl.read_csv(tmp_path / "csv" / "near_duplicates.csv")
    assert nd.get_column("created_at").str.ends_with("Z").all()


def test_xlsx_opens_with_a_sheet_per_frame(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "run.xlsx"
    export_run(run_dir, "xlsx", out)
    assert zipfile.is_zipfile(out)
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl reads the workbook back ([dev] extra)")
    book = openpyxl.load_workbook(out, read_only=True)
    run = read_run(run_dir)
    for name in run.manifest["files"]:
        sheet = book[name.removesuffix(".parquet")[:31]]
        assert sheet.max_row == run.frame(name).height + 1, name
    comments = list(book["comments"].iter_rows(values_only=True))
    assert comments[0][:3] == ("article_id", "comment_id", "parent_id")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_author_network_reads_back(run_dir: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"net.{fmt}"
    export_run(run_dir, fmt, out)
    graph = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    run = read_run(run_dir)
    assert set(graph.nodes) == set(run.frame("authors").get_column("author").to_list())
    replies = {(u, v): d["weight"] for u, v, d in graph.edges(data=True) if d["kind"] == "reply"}
    expected = {(r, t): n for r, t, n in reply_counts(run.comments).iter_rows()}
    assert replies == expected and expected  # bob->ann, ann->bob, cid->bob
    assert graph.nodes["ann"]["n_comments"] == 2


def test_convokit_folder_round_trips_through_our_reader(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "ck"
    export_run(run_dir, "convokit", out)
    assert {p.name for p in out.iterdir()} == {"utterances.jsonl", "speakers.json", "conversations.json", "corpus.json", "index.json"}
    utterances = [json.loads(line) for line in (out / "utterances.jsonl").read_text(encoding="utf-8").splitlines()]
    roots = [u for u in utterances if u["reply-to"] is None]
    assert sorted(u["id"] for u in roots) == ["a", "b"] and all(u["meta"]["is_article"] for u in roots)
    # Comment ids repeat across articles ("1" in a and b), so utterance ids are ARTICLE/COMMENT.
    assert {u["id"] for u in utterances if u["reply-to"] is not None} >= {"a/1", "b/3"}
    deleted = next(u for u in utterances if u["id"] == "b/3")
    assert (deleted["text"], deleted["meta"]["kind"]) == ("[deleted]", "deleted")
    anonymous = next(u for u in utterances if u["id"] == "a/4")
    assert anonymous["speaker"] == "[anonymous]"
    back = read([out])
    run = read_run(run_dir)
    ours = {(r["article_id"], f"{r['article_id']}/{r['comment_id']}",
             None if r["parent_id"] is None else f"{r['article_id']}/{r['parent_id']}")
            for r in run.comments.iter_rows(named=True)}
    theirs = {(r["article_id"], r["comment_id"], r["parent_id"]) for r in back.comments.iter_rows(named=True)}
    assert ours == theirs


@pytest.mark.slow  # importing ConvoKit takes about 15 s
def test_convokit_loads_our_export_with_the_same_tree(run_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    convokit = import_convokit(monkeypatch, str(tmp_path))
    export_run(run_dir, "convokit", tmp_path / "ck")
    corpus = convokit.Corpus(filename=str(tmp_path / "ck"))
    run = read_run(run_dir)
    assert {c.id for c in corpus.iter_conversations()} == {"a", "b"}
    for conversation in corpus.iter_conversations():
        conversation.check_integrity(verbose=False)
    theirs = {(u.conversation_id, u.id, u.reply_to) for u in corpus.iter_utterances() if u.reply_to is not None}
    ours = {(a, f"{a}/{c}", a if p is None else f"{a}/{p}")
            for a, c, p in run.comments.select("article_id", "comment_id", "parent_id").iter_rows()}
    assert theirs == ours
    assert corpus.get_speaker("ann").meta["n_comments"] == 2


def test_ghosts_keep_the_depth_of_their_replies(tmp_path: Path) -> None:
    from analyzer.core import schemas
    from analyzer.core.run import write_run
    from analyzer.tree.forest import build_forest
    from tests.conftest import raw_articles, raw_comments

    # A layout format showed comment 2 at depth 3: ghosts stand for the comments missing above it.
    raw = raw_comments([{"comment_id": "1", "declared_depth": 1, "author": "u"},
                        {"comment_id": "2", "declared_depth": 3, "author": "v"}], article_id="g")
    forest = build_forest(raw, raw_articles([{"article_id": "g"}]))
    n_ghosts = int(forest.comments.get_column("is_ghost").sum())
    assert n_ghosts >= 1
    write_run(tmp_path / "run", {
        "articles.parquet": forest.articles, "comments.parquet": forest.comments,
        "article_blocks.parquet": schemas.empty(schemas.ARTICLE_BLOCKS),
        "parse_issues.parquet": schemas.empty(schemas.PARSE_ISSUES), "metrics.parquet": schemas.empty(schemas.METRICS),
    }, {})
    export_run(tmp_path / "run", "convokit", tmp_path / "ck")
    utterances = {u["id"]: u for u in map(json.loads, (tmp_path / "ck" / "utterances.jsonl").read_text().splitlines())}
    ghosts = [u for u in utterances.values() if u["meta"].get("kind") == "ghost"]
    assert len(ghosts) == n_ghosts and all(g["speaker"] == "[missing]" and g["text"] == "" for g in ghosts)
    assert utterances["2"]["reply-to"] in {g["id"] for g in ghosts}
    assert utterances["2"]["meta"]["depth"] == 3
    # Walking up from "2" through the ghosts reaches the article: the depth is kept.
    steps, node = 0, "2"
    while utterances[node]["reply-to"] is not None:
        node, steps = utterances[node]["reply-to"], steps + 1
    assert (node, steps) == ("g", 3)


def test_cli_and_usage_errors(run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(run_dir), "--to", "gexf", "--out", str(tmp_path / "n.gexf")]) == 0
    assert "exported gexf" in capsys.readouterr().out
    (tmp_path / "file").write_text("x")
    assert main(["export", str(run_dir), "--to", "csv", "--out", str(tmp_path / "file")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "nope"), "--to", "csv", "--out", str(tmp_path / "o")]) == 2
    with pytest.raises(UsageError, match="unknown export format"):
        export_run(run_dir, "pdf", tmp_path / "x")


def test_convokit_input_survives_a_round_trip(tmp_path: Path) -> None:
    """ConvoKit corpus -> run -> ConvoKit corpus: same ids, same reply-to, metadata back."""
    source = Path(__file__).resolve().parents[3] / "fixtures" / "en_convokit" / "corpus"
    analyzer.analyse([source], out=tmp_path / "run", stages="structure,links,coordination")
    export_run(tmp_path / "run", "convokit", tmp_path / "ck")

    def load(folder: Path) -> dict[str, dict[str, object]]:
        return {u["id"]: u for u in map(json.loads, (folder / "utterances.jsonl").read_text(encoding="utf-8").splitlines())}

    before, after = load(source), load(tmp_path / "ck")
    assert set(after) == set(before)
    # v2 answers an utterance missing from the corpus: the tree builder attached it to the
    # article (an unknown-parent issue), so that one edge differs, as documented.
    changed = {uid for uid in before if before[uid]["reply-to"] != after[uid]["reply-to"]}
    assert changed == {"v2"} and after["v2"]["reply-to"] == "post2"
    assert after["u1"]["meta"]["score"] == 5 and after["post1"]["meta"]["title"] == "Tram line approved"
    assert (after["u3"]["text"], after["u3"]["speaker"]) == ("[deleted]", "[deleted]")
    speakers = json.loads((tmp_path / "ck" / "speakers.json").read_text(encoding="utf-8"))
    assert speakers["maria_k"]["meta"]["joined"] == 2019 and speakers["maria_k"]["meta"]["n_comments"] == 3
    conversations = json.loads((tmp_path / "ck" / "conversations.json").read_text(encoding="utf-8"))
    assert conversations["post1"]["meta"]["subreddit"] == "mycity"
    assert json.loads((tmp_path / "ck" / "corpus.json").read_text(encoding="utf-8"))["name"].startswith("analyzer fixture")
