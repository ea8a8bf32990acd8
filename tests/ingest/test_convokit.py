"""ConvoKit corpus folders as input: our own fixtures, and a corpus ConvoKit itself wrote."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import analyzer
from analyzer.core.errors import FormatError
from analyzer.ingest import expand_inputs, read
from analyzer.ingest.sniff import sniff
from tests.optional_convokit import import_convokit


def _write(folder: Path, utterances: list[dict[str, object] | str], **files: object) -> Path:
    folder.mkdir(parents=True)
    lines = [u if isinstance(u, str) else json.dumps(u) for u in utterances]
    (folder / "utterances.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, content in files.items():
        (folder / f"{name}.json").write_text(json.dumps(content), encoding="utf-8")
    return folder


def _utt(uid: str, conv: str, reply: str | None, speaker: str, text: str, ts: object = 1_700_000_000, **meta: object) -> dict[str, object]:
    return {"id": uid, "conversation_id": conv, "reply-to": reply, "speaker": speaker, "text": text,
            "timestamp": ts, "meta": meta, "vectors": []}


def corpus_new_layout(folder: Path) -> Path:
    return _write(
        folder,
        [_utt("p1", "p1", None, "op", "The post body", title="A title", url="https://news.example/1"),
         _utt("c1", "p1", "p1", "ann", "First!", 1_700_000_060, score=3),
         _utt("c2", "p1", "c1", "bob", "Second", "1700000120.5"),
         _utt("c3", "p1", "c2", "[deleted]", "[deleted]", None),
         _utt("c4", "p1", "c3", "ann", "Reply to a deleted one", 1_700_000_300),
         _utt("p2", "p2", None, "op", "Another post"),
         _utt("d1", "p2", "p2", "cid", "Hi")],
        speakers={"op": {"meta": {"karma": 10}, "vectors": []}, "ann": {"meta": {}, "vectors": []}},
        conversations={"p1": {"meta": {"subreddit": "news"}, "vectors": []}, "p2": {"meta": {}, "vectors": []}},
        corpus={"name": "fixture"},
        index={"version": 1},
    )


def test_folder_is_one_corpus_and_root_becomes_the_article(tmp_path: Path) -> None:
    folder = corpus_new_layout(tmp_path / "corpus")
    assert sniff(folder) == "convokit"
    assert expand_inputs([folder]) == [(folder, True)]
    ingested = read([folder])
    articles = ingested.articles.sort("article_id")
    assert articles.get_column("article_id").to_list() == ["p1", "p2"]
    p1 = articles.row(0, named=True)
    assert (p1["body"], p1["title"], p1["url"], p1["site"], p1["author"]) == (
        "The post body", "A title", "https://news.example/1", "news", "op")
    comments = ingested.comments
    edges = dict(zip(comments.get_column("comment_id"), comments.get_column("parent_id"), strict=True))
    assert edges == {"c1": None, "c2": "c1", "c3": "c2", "c4": "c3", "d1": None}
    c3 = comments.filter(pl.col("comment_id") == "c3").row(0, named=True)
    assert (c3["kind"], c3["author"], c3["text"]) == ("deleted", None, None)
    c2 = comments.filter(pl.col("comment_id") == "c2").row(0, named=True)
    assert c2["created_at"].timestamp() == 1_700_000_120.5
    assert ingested.inputs[0].format == "convokit" and ingested.inputs[0].n_comments_in == 5
    meta = {(r["kind"], r["id"], r["key"]): json.loads(r["value"]) for r in ingested.meta.iter_rows(named=True)}
    assert meta[("speaker", "op", "karma")] == 10
    assert meta[("conversation", "p1", "subreddit")] == "news"
    assert meta[("corpus", "corpus", "name")] == "fixture"
    assert meta[("utterance", "c1", "score")] == 3


def test_corpus_inside_a_folder_is_not_read_file_by_file(tmp_path: Path) -> None:
    corpus_new_layout(tmp_path / "data" / "corpus")
    (tmp_path / "data" / "other.csv").write_text("article_id,comment_id,parent_id,text\nx,1,,hello\n", encoding="utf-8")
    found = expand_inputs([tmp_path / "data"])
    assert [p.name for p, _ in found] == ["corpus", "other.csv"]
    ingested = read([tmp_path / "data"])
    assert sorted(i.format for i in ingested.inputs) == ["convokit", "table"]
    assert not any(i.code == "unreadable-input" for i in ingested.issues)


def test_old_layout_and_anomalies(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "old",
        [{"id": "r", "root": "r", "reply-to": None, "user": "u1", "text": "root", "timestamp": 5, "meta": {}},
         {"id": "a", "root": "r", "reply-to": "r", "user": "u2", "text": "reply", "timestamp": 6},
         "{not json",
         {"root": "r", "text": "no id"},
         {"id": "b", "root": "r", "reply-to": None, "user": "u3", "text": "second root"},
         {"id": "x", "root": "lost", "reply-to": "gone", "user": "u4", "text": "orphan"}],
        users={"u1": {"age": 3}},
    )
    ingested = read([folder])
    codes = sorted(i.code for i in ingested.issues)
    assert codes == ["convokit-bad-line", "convokit-no-id", "convokit-no-root", "convokit-several-roots"]
    bad = next(i for i in ingested.issues if i.code == "convokit-bad-line")
    assert bad.line == 3 and bad.path and bad.path.endswith("utterances.jsonl")
    edges = dict(zip(ingested.comments.get_column("comment_id"), ingested.comments.get_column("parent_id"), strict=True))
    assert edges == {"a": None, "b": None, "x": "gone"}
    meta = ingested.meta.filter(pl.col("kind") == "speaker")
    assert meta.get_column("id").to_list() == ["u1"]
    # The orphan's missing parent is an unknown-parent issue of the tree builder, nothing lost.
    analysis = analyzer.analyse([folder], stages="structure")
    assert analysis.manifest["counts"]["comments_in"] == analysis.manifest["counts"]["comments_out"] == 3


def test_a_folder_that_is_no_corpus_is_refused_by_sniff(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    with pytest.raises(FormatError, match="ConvoKit corpus folder"):
        sniff(tmp_path / "x")


@pytest.mark.slow  # importing ConvoKit takes about 15 s
def test_reads_a_corpus_that_convokit_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    convokit = import_convokit(monkeypatch, str(tmp_path))
    speakers = {name: convokit.Speaker(id=name, meta={"since": 2010 + i}) for i, name in enumerate(["op", "ann", "bob"])}
    utterances = [
        convokit.Utterance(id="s1", speaker=speakers["op"], conversation_id="s1", reply_to=None, timestamp=100,
                           text="Submission", meta={"title": "Post"}),
        convokit.Utterance(id="s1c1", speaker=speakers["ann"], conversation_id="s1", reply_to="s1", timestamp=160, text="a"),
        convokit.Utterance(id="s1c2", speaker=speakers["bob"], conversation_id="s1", reply_to="s1c1", timestamp=220, text="b"),
        convokit.Utterance(id="s1c3", speaker=speakers["op"], conversation_id="s1", reply_to="s1c1", timestamp=230, text="c"),
        convokit.Utterance(id="s2", speaker=speakers["bob"], conversation_id="s2", reply_to=None, timestamp=300, text="Other"),
        convokit.Utterance(id="s2c1", speaker=speakers["ann"], conversation_id="s2", reply_to="s2", timestamp=360, text="d"),
    ]
    corpus = convokit.Corpus(utterances=utterances)
    corpus.get_conversation("s1").meta["subreddit"] = "de"
    corpus.dump("dumped", base_path=str(tmp_path))
    ingested = read([tmp_path / "dumped"])
    ours = {(r["article_id"], r["comment_id"], r["parent_id"] or r["article_id"])
            for r in ingested.comments.iter_rows(named=True)}
    theirs = {(u.conversation_id, u.id, u.reply_to) for u in corpus.iter_utterances() if u.reply_to is not None}
    assert ours == theirs  # edge for edge
    assert set(ingested.articles.get_column("article_id").to_list()) == {"s1", "s2"}
    assert ingested.articles.filter(pl.col("article_id") == "s1").get_column("site").item() == "de"
    speaker_meta = ingested.meta.filter((pl.col("kind") == "speaker") & (pl.col("key") == "since"))
    assert dict(speaker_meta.select("id", "value").iter_rows()) == {"op": "2010", "ann": "2011", "bob": "2012"}


def test_folder_digest_follows_its_files(tmp_path: Path) -> None:
    from analyzer.core.hashing import file_sha256

    folder = corpus_new_layout(tmp_path / "corpus")
    first = file_sha256(folder)
    assert file_sha256(folder) == first
    (folder / "corpus.json").write_text('{"name": "changed"}', encoding="utf-8")
    assert file_sha256(folder) != first
