"""Labelled comments of the One Million Posts corpus, and fitting the label model on them.

Two readers, both yielding :class:`LabelledComment` rows:

* the CSV layout of our development copy (one row per post; ``ID_Post, ID_Parent_Post,
  ID_Article, Status, Headline, Body`` and one column per category holding 1, 0 or empty =
  not annotated);
* the corpus's public SQLite download (``corpus.sqlite3`` from
  https://ofai.github.io/million-post-corpus: tables ``Posts`` and ``Annotations_consolidated``),
  so that ``analyzer labels train --omp corpus.sqlite3`` rebuilds the model from the public file.

A comment's text is its headline and body joined by a blank line, exactly as
``analyse --map text=Headline+Body`` builds it, so the model sees at run time what it saw in
training.
"""

from __future__ import annotations

import csv
import hashlib
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from analyzer import __version__
from analyzer.core.errors import FormatError, MappingError, UnreadableInputError, UsageError
from analyzer.stages.labels import model as label_model
from analyzer.stages.labels.features import (
    FEATURE_NAMES,
    THREAD_LABELS,
    THREAD_MIN_DF,
    THREAD_WEIGHT,
    ThreadBlock,
    thread_counts,
)
from analyzer.stages.labels.schemas import CATEGORIES

LICENCE_NOTE = (
    "Labels: the One Million Posts Corpus's moderator annotations (Schabus, Skowron & Trapp, SIGIR 2017); "
    "texts of that corpus (CC BY-NC-SA 4.0) were read at training time and are not in the file: n-grams are "
    "stored only as signed hash buckets (MurmurHash3, seed 0) with IDF and weights; named features are the "
    "project's own. Distributed with the GPL package on the text-and-data-mining reasoning of docs/licences.md; "
    "`--labels-model FILE` replaces it."
)
DATA_NOTE = ("One Million Posts Corpus (Der Standard reader comments 2015-16, Schabus et al. 2017, CC BY-NC-SA 4.0): "
             "annotated posts and their consolidated category labels")
_REQUIRED = ("ID_Post", "ID_Article", "Headline", "Body")


@dataclass(slots=True)
class LabelledComment:
    """One comment with the categories annotated for it (None = not annotated)."""

    post_id: str
    article_id: str
    text: str
    is_reply: bool
    deleted: bool
    labels: dict[str, int | None] = field(default_factory=dict)  # column stem -> 1 / 0 / None


def compose_text(headline: str | None, body: str | None) -> str:
    """Headline and body as the table reader joins them (blank line, empty parts dropped)."""
    parts = [p.replace("\r\n", "\n") for p in (headline, body) if p is not None and p.strip()]
    return "\n\n".join(parts)


def _flag(value: Any, path: Path, line: int, column: str) -> int | None:
    text = "" if value is None else str(value).strip()
    if text == "":
        return None
    if text in ("1", "1.0", "true", "True"):
        return 1
    if text in ("0", "0.0", "false", "False"):
        return 0
    raise FormatError(path, f"1, 0 or empty in column {column}", line=line, found=repr(text[:20]))


def read_csv(path: Path) -> list[LabelledComment]:
    """Rows of the development CSV (see the module docstring)."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise UnreadableInputError(path, "a readable CSV file", found=exc.strerror) from None
    out: list[LabelledComment] = []
    with handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        missing = [c for c in _REQUIRED if c not in columns]
        if missing:
            raise MappingError(path, f"One Million Posts columns {', '.join(_REQUIRED)}", line=1,
                               found=f"no column {', '.join(missing)}")
        categories = [c for c in CATEGORIES if c in columns]
        if not categories:
            raise MappingError(path, f"at least one category column ({', '.join(CATEGORIES)})", line=1)
        try:
            for row in reader:
                line = reader.line_num
                out.append(LabelledComment(
                    post_id=row["ID_Post"], article_id=row["ID_Article"],
                    text=compose_text(row.get("Headline"), row.get("Body")),
                    is_reply=bool((row.get("ID_Parent_Post") or "").strip()),
                    deleted=(row.get("Status") or "").strip().lower() == "deleted",
                    labels={CATEGORIES[c]: _flag(row.get(c), path, line, c) for c in categories},
                ))
        except UnicodeDecodeError:
            raise UnreadableInputError(path, "UTF-8 text", line=reader.line_num) from None
    return out


def read_sqlite(path: Path) -> list[LabelledComment]:
    """Annotated posts of the public ``corpus.sqlite3`` (consolidated annotations)."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise UnreadableInputError(path, "an SQLite database", found=str(exc)) from None
    try:
        posts = connection.execute(
            "SELECT p.ID_Post, p.ID_Article, p.ID_Parent_Post, p.Status, p.Headline, p.Body, a.Category, a.Value "
            "FROM Annotations_consolidated a JOIN Posts p ON p.ID_Post = a.ID_Post ORDER BY p.ID_Post"
        ).fetchall()
    except sqlite3.Error as exc:
        raise FormatError(path, "the One Million Posts tables Posts and Annotations_consolidated",
                          found=str(exc)) from None
    finally:
        connection.close()
    by_post: dict[str, LabelledComment] = {}
    for post_id, article_id, parent, status, headline, body, category, value in posts:
        if category not in CATEGORIES:
            continue
        key = str(post_id)
        item = by_post.get(key)
        if item is None:
            item = by_post[key] = LabelledComment(
                str(post_id), str(article_id), compose_text(headline, body), parent is not None,
                str(status or "").lower() == "deleted",
            )
        item.labels[CATEGORIES[category]] = int(value)
    return list(by_post.values())


def read_labelled(path: str | Path) -> list[LabelledComment]:
    """Labelled comments from a CSV or the SQLite download, by the file's first bytes."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableInputError(path, "a One Million Posts CSV or corpus.sqlite3 file", found="no such file")
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(b"SQLite format 3"):
        return read_sqlite(path)
    return read_csv(path)


def targets(items: Sequence[LabelledComment], stem: str) -> np.ndarray:
    """1 / 0 per comment for one label, -1 where it was not annotated."""
    return np.asarray([-1 if (v := c.labels.get(stem)) is None else v for c in items], dtype=np.int64)


def annotation_groups(items: Sequence[LabelledComment], stems: Sequence[str]) -> list[list[str]]:
    """Labels annotated on exactly the same comments, grouped (in ``stems`` order).

    One Million Posts annotated sentiment and the "problem" labels together, personal stories
    and feedback on other (larger) samples; each group gets its own featurizer.
    """
    groups: dict[bytes, list[str]] = {}
    for stem in stems:
        groups.setdefault((targets(items, stem) >= 0).tobytes(), []).append(stem)
    return list(groups.values())


def thread_matrix(block: ThreadBlock, pooled_rows: Any) -> Any:
    """The thread-words block's feature columns for rows of :func:`features.thread_counts` (times its weight)."""
    return label_model.tfidf(pooled_rows[:, block.buckets], block.idf) * block.weight


def fit_label_with_thread(x_own: Any, x_thread: Any | None, stem: str, y: np.ndarray, *,
                          c: float = label_model.DEFAULT_C) -> tuple[np.ndarray, np.ndarray | None, float]:
    """One label's own-feature coefficients, thread-block coefficients (None: no block) and intercept.

    Labels of :data:`features.THREAD_LABELS` learn from both blocks at once (one logistic
    regression over the stacked columns); the others from their own text only.
    """
    import scipy.sparse as sp

    if x_thread is None or stem not in THREAD_LABELS:
        coef, intercept = label_model.fit_label(x_own, y, c=c)
        return coef, None, intercept
    coef, intercept = label_model.fit_label(sp.hstack([x_own, x_thread]).tocsr(), y, c=c)
    return coef[:x_own.shape[1]], coef[x_own.shape[1]:], intercept


def fit_alone(x_own: Any, x_thread: Any | None, stem: str, y: np.ndarray, coef: np.ndarray, intercept: float, *,
              c: float = label_model.DEFAULT_C) -> tuple[np.ndarray, float]:
    """Own-text coefficients for a comment without a discussion (:attr:`LabelGroup.alone_coef`).

    For a label that learnt beside the thread words, a second classifier over the own features
    alone; for the others the joint model's coefficients (they have no thread block).
    """
    if x_thread is None or stem not in THREAD_LABELS:
        return coef, intercept
    return label_model.fit_label(x_own, y, c=c)


def fit_model(items: Sequence[LabelledComment], *, c: float = label_model.DEFAULT_C,
              labels: Sequence[str] | None = None) -> label_model.LabelModel:
    """One featurizer per annotation set, fitted on its annotated texts, and one classifier per label.

    Labels without both classes among the annotated comments are left out (the card says so).
    """
    stems = list(labels or CATEGORIES.values())
    annotated = [c_ for c_ in items if any(c_.labels.get(s) is not None for s in stems)]
    if not annotated:
        raise UsageError("no annotated comments to train on")
    texts = [c_.text for c_ in annotated]
    replies = [c_.is_reply for c_ in annotated]
    pre = label_model.precompute(texts, replies)
    # The discussion of each comment: the other annotated comments of its article (what the
    # evaluation's folds and `analyse` give it: the comments of the article in the input).
    articles = [c_.article_id for c_ in annotated]
    groups: list[label_model.LabelGroup] = []
    skipped: dict[str, str] = {}
    for group_stems in annotation_groups(annotated, stems):
        rows = np.flatnonzero(targets(annotated, group_stems[0]) >= 0)
        featurizer = label_model.Featurizer.fit([texts[i] for i in rows], [replies[i] for i in rows],
                                                {k: v[rows] for k, v in pre.items()})
        x = featurizer.rows(pre, rows)
        thread = x_thread = None
        if set(group_stems) & THREAD_LABELS:
            pooled = thread_counts(pre["word"], articles, rows)
            thread = ThreadBlock.fit(pooled, len(group_stems))
            x_thread = thread_matrix(thread, pooled)
        kept: list[str] = []
        coefs: list[np.ndarray] = []
        thread_coefs: list[np.ndarray] = []
        intercepts: list[float] = []
        alone_coefs: list[np.ndarray] = []
        alone_intercepts: list[float] = []
        for stem in group_stems:
            y = targets(annotated, stem)[rows]
            if len(set(y.tolist())) < 2:
                skipped[stem] = "fewer than two classes annotated"
                continue
            coef, coef_thread, intercept = fit_label_with_thread(x, x_thread, stem, y, c=c)
            alone_coef, alone_intercept = fit_alone(x, x_thread, stem, y, coef, intercept, c=c)
            alone_coefs.append(alone_coef)
            alone_intercepts.append(alone_intercept)
            kept.append(stem)
            coefs.append(coef)
            thread_coefs.append(coef_thread if coef_thread is not None else np.zeros(x_thread.shape[1] if x_thread is not None else 0))
            intercepts.append(intercept)
        if kept:
            if thread is not None:
                thread.coef = np.vstack(thread_coefs)
            group = label_model.LabelGroup(featurizer, kept, np.vstack(coefs), np.asarray(intercepts), thread)
            if thread is not None:
                group.alone_coef, group.alone_intercept = np.vstack(alone_coefs), np.asarray(alone_intercepts)
            groups.append(group)
    if not groups:
        raise UsageError("no label has both classes annotated; nothing to train")
    model = label_model.LabelModel(groups, {})
    # No timestamp: the same data gives the same card (the data hash says what it was trained on).
    model.card = {
        "name": label_model.MODEL_NAME,
        "format": label_model.MODEL_FORMAT,
        "analyzer_version": __version__,
        "c": c,
        "feature_weight": label_model.FEATURE_WEIGHT,
        "features": f"signed hashed word 1-2-grams and char_wb 2-5-grams ({label_model.N_BUCKETS} buckets each, "
                    f"kept where in >= {label_model.MIN_DF} training comments, at most "
                    f"{label_model.MAX_CHAR_FEATURES} character buckets), TF-IDF per block, plus "
                    f"{len(FEATURE_NAMES)} named features; one featurizer per annotation set; for "
                    f"{', '.join(sorted(THREAD_LABELS))} also the thread words: hashed word 1-2-grams present in "
                    f"the other comments of the same article in the input (kept where in >= {THREAD_MIN_DF} "
                    f"training comments), TF-IDF, weight {THREAD_WEIGHT}; a comment with no other comment "
                    "of its article in the input is scored by a second classifier over its own features only",
        "groups": [{"labels": g.labels, "n_comments": int((targets(annotated, g.labels[0]) >= 0).sum()),
                    "buckets_word": int(g.featurizer.word.buckets.size),
                    "buckets_char": int(g.featurizer.char.buckets.size),
                    "buckets_thread": int(g.thread.buckets.size) if g.thread is not None else 0,
                    "thread_labels": [s for s in g.labels if g.thread is not None and s in THREAD_LABELS]}
                   for g in groups],
        "n_comments": len(annotated),
        "n_articles": len({c_.article_id for c_ in annotated}),
        "per_label": {s: {"n": int((targets(annotated, s) >= 0).sum()), "n_positive": int((targets(annotated, s) == 1).sum())}
                      for s in model.labels},
        "skipped": skipped,
        "data": DATA_NOTE,
        "data_sha256": hashlib.sha256("\x1e".join(f"{c_.post_id}\x1f{c_.text}" for c_ in annotated).encode()).hexdigest(),
        "licence": LICENCE_NOTE,
    }
    return model
