"""simplemma's dictionaries as on-disk indexes: a lemma lookup without decoding a whole language.

simplemma (Barbaresi, MIT) ships one compressed, front-coded dictionary per language and
decodes all of it on the first lookup: 1.2 to 1.6 s of CPU for Russian (1.36 million
forms) on the development machine, for the one quoted Russian line of a German page, which
was most of the start-up of a one-page run.  Here each language's dictionary is decoded
once per machine and simplemma version into an SQLite file in the user's cache folder
(``$XDG_CACHE_HOME/analyzer/simplemma/<version>/<lang>.sqlite``), and simplemma's own
lemmatiser reads it through its ``dictionary_factory`` hook: the same strategies, the same
entries, hence the same lemmas (``tests/stages/nlp/test_lemma_index.py``), at about a
millisecond to open the file.  A language is indexed on its second need on a machine, not its
first (:func:`_open`): a machine's first run decodes it in memory as simplemma does.  Where the folder cannot be written, or simplemma's layout
changed, the shipped dictionaries are used as before.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any


def index_dir() -> Path:
    """Where the indexes live (one subfolder per simplemma version)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "analyzer" / "simplemma" / metadata.version("simplemma")


def _build(lang: str, path: Path) -> None:
    from simplemma.strategies.dictionaries.dictionary_factory import _load_dictionary_from_disk

    entries = _load_dictionary_from_disk(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    connection = sqlite3.connect(tmp)
    try:
        connection.execute("CREATE TABLE forms (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID")
        connection.executemany("INSERT INTO forms VALUES (?, ?)", entries.items())
        connection.commit()
    finally:
        connection.close()
    os.replace(tmp, path)  # whole or not at all: a killed build leaves only a .tmp file


def _open(lang: str) -> sqlite3.Connection | None:
    """The language's index, built on its second need on this machine; None on the first.

    Building an index costs a full decode plus writing every entry (Polish, 3.7 million forms:
    ~3.5 CPU s to decode, ~7-11 s more to write 116 MB), which pays only when the language is
    needed again: on a machine's first run (a fresh CI machine, a user's first corpus) a
    language met once (a few misdetected lines) would cost the whole build for nothing.  So
    the first process that needs a language leaves a mark (``<lang>.wanted``) and decodes
    simplemma's own dictionary in memory (None here); a later process that finds the mark
    builds the index, and every process after it opens the index in a millisecond.
    """
    path = index_dir() / f"{lang}.sqlite"
    if not path.is_file():
        wanted = path.with_name(f"{lang}.wanted")
        if not wanted.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            wanted.touch()
            return None
        _build(lang, path)
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


class IndexedDictionary(Mapping[str, str]):
    """One language's simplemma dictionary, read from its SQLite index (lookups only)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def _lookup(self, key: str) -> str | None:
        row = self._connection.execute("SELECT v FROM forms WHERE k = ?", (key.encode(),)).fetchone()
        return bytes(row[0]).decode() if row is not None else None

    def __getitem__(self, key: str) -> str:
        value = self._lookup(key)
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        value = self._lookup(key)
        return default if value is None else value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._lookup(key) is not None

    def __iter__(self) -> Iterator[str]:
        for (key,) in self._connection.execute("SELECT k FROM forms"):
            yield bytes(key).decode()

    def __len__(self) -> int:
        return int(self._connection.execute("SELECT count(*) FROM forms").fetchone()[0])


class IndexedDictionaryFactory:
    """simplemma ``DictionaryFactory``: the indexed dictionary of a language, else simplemma's own."""

    def __init__(self) -> None:
        self._dictionaries: dict[str, Mapping[str, str]] = {}

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        found = self._dictionaries.get(lang)
        if found is None:
            connection: sqlite3.Connection | None = None
            try:
                connection = _open(lang)
            except (OSError, sqlite3.Error, ImportError, AttributeError):
                connection = None
            if connection is not None:
                found = IndexedDictionary(connection)
            else:
                # The language's first need on this machine, or no index possible: simplemma's
                # own dictionary, decoded in memory (the same entries).
                from simplemma.strategies.dictionaries.dictionary_factory import (
                    DEFAULT_DICTIONARY_FACTORY,
                )

                found = DEFAULT_DICTIONARY_FACTORY.get_dictionary(lang)
            self._dictionaries[lang] = found
        return found


@cache
def lemmatizer() -> Any:
    """simplemma's default lemmatiser (same strategies and settings) over the indexes."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=IndexedDictionaryFactory()))
