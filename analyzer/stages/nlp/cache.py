"""Annotations cached by text: a document seen before is not annotated again.

A scheduled run (:mod:`analyzer.jobs.scheduled`) sees mostly the comments of its previous runs; with
the cache only new or edited texts go through the pipelines.  The cache is a folder:

    CACHE/<config key>/sentences-<part>.parquet
    CACHE/<config key>/tokens-<part>.parquet
    CACHE/<config key>/docs-<part>.parquet

*Config key*: sha256 over everything that decides the annotation besides the text: the
pipeline chosen for each language (stanza or offline, and for stanza the models folder's
``resources.json`` and model file sizes), the component versions, our data files (tag
mapping, polarity lexicon rules and overrides), the NLP code version
(:data:`ANNOTATION_VERSION`, raised with any change to what the annotation produces) and
``max_chars``.  A change in any of them starts a new folder, so stale annotations are never
read.  *Document key*: sha256 of the document's default language and its text.

Rows are stored without ``article_id``/``doc_id`` (a text may occur under several ids, and in
other runs under other ids) but with the document key; on a hit they are joined back onto
the run's documents and sorted exactly like a fresh annotation, so a run with the cache gives
frames equal to one without it (``tests/stages/nlp/test_cache.py``).  Each run that annotated
something adds one part (written to a temporary name and renamed: a killed run never leaves
a half part); parts are read with one lazy scan filtered on the run's keys.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import polars as pl

# Raise when the annotation's output changes for the same text and components.
ANNOTATION_VERSION = 1
KEY_COL = "_key"


def doc_key(text: str, default_lang: str) -> str:
    """The document key: sha256 of the default language and the text."""
    digest = hashlib.sha256(default_lang.encode("utf-8"))
    digest.update(b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _models_fingerprint(models_dir: Path) -> list[object]:
    """What identifies installed stanza models: resources.json and model file sizes."""
    out: list[object] = []
    resources_json = models_dir / "resources.json"
    if resources_json.is_file():
        out.append(hashlib.sha256(resources_json.read_bytes()).hexdigest())
    if models_dir.is_dir():
        out.extend(sorted((str(p.relative_to(models_dir)), p.stat().st_size) for p in models_dir.glob("*/*/*.pt")))
    return out


def config_key(planned: Mapping[str, str], *, max_chars: int, models_dir: Path, extra: Mapping[str, object] | None = None) -> str:
    """The config key (see the module docstring) for the pipelines ``planned`` per language."""
    data_files = sorted(
        (f.name, hashlib.sha256(f.read_bytes()).hexdigest())
        for f in resources.files("analyzer.stages.nlp").joinpath("data").iterdir()
        if f.is_file()
    )
    parts: dict[str, object] = {
        "version": ANNOTATION_VERSION,
        "planned": dict(sorted(planned.items())),
        "max_chars": max_chars,
        "components": {d: _version(d) for d in ("stanza", "torch", "SoMaJo", "HanTa", "simplemma", "py3langid", "textblob", "textblob-de")},
        "data": data_files,
        "models": _models_fingerprint(models_dir) if "stanza" in planned.values() else [],
        **(extra or {}),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:32]


@dataclass(slots=True)
class CachedDocs:
    """Rows of the documents found in the cache, keyed by document key."""

    sentences: pl.DataFrame  # SENTENCES without article_id/doc_id, plus _key
    tokens: pl.DataFrame  # TOKENS without article_id/doc_id, plus _key
    docs: pl.DataFrame  # _key, lines_by_lang (JSON)


class AnnotationCache:
    """One config key's folder of cached annotations.

    Args:
        root: the cache folder (created on the first write).
        key: the config key (:func:`config_key`).
    """

    def __init__(self, root: Path, key: str) -> None:
        self.folder = Path(root) / key

    def _scan(self, kind: str) -> pl.LazyFrame | None:
        files = sorted(self.folder.glob(f"{kind}-*.parquet"))
        return pl.scan_parquet(files) if files else None

    def lookup(self, keys: Sequence[str]) -> CachedDocs | None:
        """Cached rows of those ``keys`` that are in the cache (None: the cache is empty)."""
        docs = self._scan("docs")
        sentences = self._scan("sentences")
        tokens = self._scan("tokens")
        if docs is None or sentences is None or tokens is None:
            return None
        wanted = pl.lit(pl.Series(sorted(set(keys)), dtype=pl.String)).implode()
        found = docs.filter(pl.col(KEY_COL).is_in(wanted)).unique(KEY_COL, keep="first").collect()
        hits = pl.lit(found.get_column(KEY_COL)).implode()
        return CachedDocs(
            # A key written by two runs at once may occur in two parts: keep one copy of its rows.
            sentences=_one_part_per_key(sentences.filter(pl.col(KEY_COL).is_in(hits)).collect()),
            tokens=_one_part_per_key(tokens.filter(pl.col(KEY_COL).is_in(hits)).collect()),
            docs=found,
        )

    def store(self, sentences: pl.DataFrame, tokens: pl.DataFrame, docs: pl.DataFrame) -> None:
        """Add one part: rows keyed by ``_key`` (docs: ``_key``, ``lines_by_lang``)."""
        if docs.is_empty():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        part = uuid.uuid4().hex
        # docs last: a part counts only once its docs file exists (lookup starts from docs).
        for kind, frame in (("sentences", sentences), ("tokens", tokens), ("docs", docs)):
            frame = frame.with_columns(pl.lit(part).alias("_part"))
            tmp = self.folder / f".{kind}-{part}.parquet.tmp"
            frame.write_parquet(tmp)
            os.replace(tmp, self.folder / f"{kind}-{part}.parquet")


def _one_part_per_key(frame: pl.DataFrame) -> pl.DataFrame:
    if frame.is_empty():
        return frame.drop("_part")
    first = frame.group_by(KEY_COL).agg(pl.col("_part").min().alias("_first"))
    return frame.join(first, on=KEY_COL).filter(pl.col("_part") == pl.col("_first")).drop("_part", "_first")
