from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.core.errors import RunFolderError, UsageError
from analyzer.core.run import MANIFEST, read_run, write_run
from analyzer.pipeline import analyse


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "comments.csv"
    path.write_text("article_id,comment_id,parent_id,text\nx,1,,hallo\nx,2,1,antwort\n", encoding="utf-8")
    return path


def test_run_folder_round_trip_and_manifest(table: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    analysis = analyse([table], out=out)
    run = read_run(out)
    assert run.comments.height == 2
    assert run.articles["n_visible"].to_list() == [2]
    manifest = run.manifest
    assert manifest["counts"]["comments_in"] == manifest["counts"]["comments_out"] == 2
    assert manifest["inputs"][0]["sha256"] == analysis.ingested.inputs[0].sha256
    assert manifest["stages"] == ["structure", "links", "nlp", "quotes", "stance", "framing", "labels", "coordination"]
    assert manifest["nlp_mode"] in ("offline", "stanza", "mixed")
    assert set(manifest["timings_s"]) >= {"read", "trees", "structure"}
    assert manifest["files"]["comments.parquet"]["rows"] == 2


def test_rewrite_replaces_previous_run_and_leaves_no_temporary_folders(table: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    analyse([table], out=out)
    analyse([table], out=out)
    assert read_run(out).comments.height == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["comments.csv", "run"]


def test_a_run_replaced_while_open_is_never_mixed_with_the_new_one(table: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    analyse([table], out=out, stages="structure")
    run = read_run(out)
    assert run.comments.height == 2  # loaded before the replacement: stays as it was
    table.write_text("article_id,comment_id,parent_id,text\ny,9,,neu\n", encoding="utf-8")
    analyse([table], out=out, stages="structure")
    assert run.comments["comment_id"].to_list() == ["1", "2"]
    with pytest.raises(RunFolderError, match="replaced by another run while it was being read; open it again"):
        run.metrics  # noqa: B018 - a lazy load of the newer run's file
    assert read_run(out).comments["comment_id"].to_list() == ["9"]


def test_interrupted_write_is_not_accepted(tmp_path: Path) -> None:
    half = tmp_path / "half"
    half.mkdir()
    (half / "comments.parquet").write_bytes(b"PAR1")
    with pytest.raises(RunFolderError, match="not an analyzer run"):
        read_run(half)
    (half / MANIFEST).write_text(json.dumps({"complete": False}), encoding="utf-8")
    with pytest.raises(RunFolderError, match="incomplete"):
        read_run(half)


def test_refuses_to_overwrite_a_folder_that_is_not_a_run(table: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("do not delete", encoding="utf-8")
    with pytest.raises(UsageError, match="not an analyzer run"):
        analyse([table], out=precious)
    assert (precious / "thesis.tex").exists()


def test_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_run(tmp_path / "run", {}, {})
    assert list(tmp_path.iterdir()) == []
