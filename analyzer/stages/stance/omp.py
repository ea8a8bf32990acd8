"""One Million Posts (Der Standard) as stance gold: our labels joined to the user's copy of the corpus.

The project keeps ids and labels only (``fixtures/de_stance_gold_omp/labels.csv``,
``fixtures/de_stance_gold/labels.csv``): the texts are CC BY-NC-SA 4.0 (Schabus, Skowron,
Trapp, SIGIR 2017) and are read at run time from one of

* the public download's SQLite database (``corpus.sqlite3``, table ``Posts``), or
* a CSV export with the same column names (``ID_Post, ID_Parent_Post, ID_Article, ID_User,
  CreatedAt, Headline, Body``), such as ``omp_posts_dev.csv``.

Only the labelled replies and their ancestors are read (every feature looks at a reply, its
parent and its depth; the 5,868 posts of the 43 labelled dev articles through the quotes
stage took about four minutes on the shared 2-core machine, the 2,218 posts of the chains
well under half of that).
The moderation status is ignored on purpose: a deleted post that still carries its text is a
reply like any other for stance, and its parent must not become a ghost.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from analyzer.core.errors import FormatError, UsageError
from analyzer.stages.stance.gold import GoldSet, load_gold, sha256_file

OMP_COLUMNS = ("ID_Post", "ID_Parent_Post", "ID_Article", "ID_User", "CreatedAt", "Headline", "Body")
OMP_MAPPING = {
    "comment_id": "ID_Post",
    "parent_id": "ID_Parent_Post",
    "article_id": "ID_Article",
    "author": "ID_User",
    "created_at": "CreatedAt",
    "text": "Headline+Body",
}
_SQLITE_SUFFIXES = (".sqlite3", ".sqlite", ".db")


def read_labels(paths: Sequence[str | Path]) -> pl.DataFrame:
    """``article_id, comment_id, stance_parent`` of the OMP rows of one or more label files.

    A file with a ``source`` column contributes its ``omp`` rows only; rows without a final
    ``stance_parent`` (not yet adjudicated) are left out.  A comment labelled in two files keeps
    the label of the later file.
    """
    frames = []
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise UsageError(f"labels file {path} not found")
        try:
            frame = pl.read_csv(path, infer_schema_length=0)
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise FormatError(path, "a CSV labels table", found=f"{type(exc).__name__}: {str(exc)[:200]}") from None
        missing = [c for c in ("article_id", "comment_id", "stance_parent") if c not in frame.columns]
        if missing:
            raise FormatError(path, "columns article_id, comment_id, stance_parent", line=1, found=f"columns {frame.columns}")
        if "source" in frame.columns:
            frame = frame.filter(pl.col("source") == "omp")
        frames.append(frame.select("article_id", "comment_id", "stance_parent")
                      .filter(pl.col("stance_parent").is_not_null() & (pl.col("stance_parent").str.strip_chars() != "")))
    if not frames:
        raise UsageError("no labels files given")
    return pl.concat(frames).unique(subset=["article_id", "comment_id"], keep="last", maintain_order=True)


def read_posts(path: str | Path, articles: Sequence[str] | None = None) -> pl.DataFrame:
    """The posts of ``articles`` (all when None) from the SQLite download or a CSV export, as strings."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"One Million Posts file {path} not found (the corpus database corpus.sqlite3 or a CSV export)")
    wanted = sorted(set(articles)) if articles is not None else None
    if path.suffix.lower() in _SQLITE_SUFFIXES:
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                query = f"SELECT {', '.join(OMP_COLUMNS)} FROM Posts"
                params: list[str] = []
                if wanted is not None:
                    query += f" WHERE ID_Article IN ({', '.join('?' * len(wanted))})"
                    params = wanted
                rows = db.execute(query, params).fetchall()
        except sqlite3.Error as exc:
            raise FormatError(path, "the One Million Posts SQLite database with a Posts table", found=str(exc)) from None
        frame = pl.DataFrame([[None if v is None else str(v) for v in r] for r in rows], schema=list(OMP_COLUMNS),
                             orient="row")
    else:
        try:
            frame = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise FormatError(path, "a One Million Posts CSV export", found=f"{type(exc).__name__}: {str(exc)[:200]}") from None
        missing = [c for c in OMP_COLUMNS if c not in frame.columns]
        if missing:
            raise FormatError(path, f"columns {', '.join(OMP_COLUMNS)}", line=1, found=f"missing {missing}")
        frame = frame.select(OMP_COLUMNS)
        if wanted is not None:
            frame = frame.filter(pl.col("ID_Article").is_in(wanted))
    # Integer ids of the database may come back as "123" or "123.0": keep them as the CSV spells them.
    return frame.with_columns(pl.col(c).str.replace(r"\.0$", "") for c in ("ID_Post", "ID_Parent_Post", "ID_Article", "ID_User"))


def chains(posts: pl.DataFrame, comment_ids: Sequence[str]) -> pl.DataFrame:
    """The posts of ``comment_ids`` and all their ancestors (in the original order)."""
    parent_of = dict(zip(posts.get_column("ID_Post").to_list(), posts.get_column("ID_Parent_Post").to_list(), strict=True))
    keep: set[str] = set()
    for cid in comment_ids:
        current: str | None = cid
        while current and current not in keep and current in parent_of:
            keep.add(current)
            current = parent_of[current]
    return posts.filter(pl.col("ID_Post").is_in(sorted(keep)))


def load_omp_gold(omp_path: str | Path, label_files: Sequence[str | Path]) -> tuple[GoldSet, pl.DataFrame]:
    """Gold set of the labelled OMP replies (texts from ``omp_path``) and the labels used.

    Returns:
        The :class:`GoldSet` (one sample per labelled comment found in the corpus) and the
        labels table; a labelled comment missing from the corpus file raises UsageError,
        because it means the wrong file or version.
    """
    labels = read_labels(label_files)
    posts = chains(read_posts(omp_path, labels.get_column("article_id").unique().to_list()),
                   labels.get_column("comment_id").to_list())
    found = set(posts.get_column("ID_Post").to_list())
    missing = [c for c in labels.get_column("comment_id").to_list() if c not in found]
    if missing:
        raise UsageError(f"{len(missing)} labelled comments (e.g. {missing[:3]}) are not in {omp_path}: "
                         "is it the One Million Posts corpus?")
    with tempfile.TemporaryDirectory(prefix="analyzer-omp-") as tmp:
        posts_csv = Path(tmp) / "omp_posts.csv"
        labels_csv = Path(tmp) / "labels.csv"
        posts.write_csv(posts_csv)
        labels.write_csv(labels_csv)
        gold = load_gold([posts_csv], labels_file=labels_csv, mapping=OMP_MAPPING)
    gold.sources = [{"path": str(omp_path), "sha256": sha256_file(Path(omp_path))}] + [
        {"path": str(p), "sha256": sha256_file(Path(p))} for p in label_files
    ]
    return gold, labels
