"""The typed manifest: what the pipeline writes reads back equal, and a bad field is one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.core.errors import RunFolderError
from analyzer.core.manifest import InputRecord, Manifest
from analyzer.core.run import MANIFEST, read_run
from analyzer.pipeline import analyse


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("manifest")
    table = folder / "c.csv"
    table.write_text("article_id,comment_id,parent_id,text\nx,1,,a\nx,2,1,b\n", encoding="utf-8")
    analyse([table], out=folder / "run", stages="structure")
    return folder / "run"


def test_the_written_manifest_reads_back_typed_and_round_trips(run_dir: Path) -> None:
    run = read_run(run_dir)
    meta = run.meta
    assert meta.complete is True and meta.stages == ("structure",)
    assert meta.inputs[0].path.endswith("c.csv") and meta.inputs[0].comments_in == 2
    assert isinstance(meta.inputs[0], InputRecord) and meta.counts["comments_out"] == 2
    assert meta.to_dict() == run.manifest  # nothing lost, nothing added, same order of keys
    assert list(meta.to_dict()) == list(run.manifest)


def test_unknown_keys_are_kept_and_an_unwritten_manifest_leaves_out_what_write_run_adds() -> None:
    meta = Manifest.from_dict({"stages": ["links"], "chunked": {"n_chunks": 2}})
    assert meta.extra == {"chunked": {"n_chunks": 2}}
    assert meta.to_dict() == {**Manifest().to_dict(), "stages": ["links"], "chunked": {"n_chunks": 2}}
    assert "files" not in Manifest().to_dict() and "complete" not in Manifest().to_dict()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("stages", "structure", "manifest field 'stages' must be a list, got str"),
        ("run_schema_version", True, "'run_schema_version' must be a whole number"),
        ("inputs", [{"format": "table"}], "'inputs' must list tables with a 'path'"),
        ("files", ["a.parquet"], "'files' must be a table, got list"),
    ],
)
def test_a_field_of_the_wrong_type_is_a_one_line_error(run_dir: Path, tmp_path: Path, field: str, value: object,
                                                        message: str) -> None:
    manifest = json.loads((run_dir / MANIFEST).read_text(encoding="utf-8"))
    manifest[field] = value
    with pytest.raises(RunFolderError, match=message):
        Manifest.from_dict(manifest, tmp_path / MANIFEST)
