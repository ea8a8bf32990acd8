"""What changed between two runs of the same inputs: comments, stance, frames, linked domains.

Scheduled runs (:mod:`analyzer.jobs.scheduled`) compare each run with the one before.  Moderation and
deletion show up here: a comment of the older run that the newer run no longer has is listed
with its id and where it was (article, parent, depth, position, source line).

Comments are matched by content, not by id alone, because some readers number comments by
position (the page-text reader calls them c1, c2 …): removing one comment renumbers every
later one, and an id-only diff would report them all as changed.  Matching, in order:

1. same article, same author and same text (whitespace folded); repeated identical comments
   pair up in page order;
2. what is left, within an article, by text similarity and position (:func:`match_similar`):
   pairs whose texts are at least :data:`SIMILARITY_MIN` alike (difflib ratio), best first,
   a shared author and a close relative position in the thread breaking near-ties: the
   comment was edited.  Ids are not trusted here: when the page-text reader renumbers
   comments after one vanished, ``c3`` of the old run is ``c2`` of the new one;
3. what is left with the same article, id and (known) author, at the same depth and still
   :data:`REWRITE_SIMILARITY_MIN` alike: a rewrite, also counted as edited;
4. what is left of the old run has disappeared; what is left of the new run is new.

A disappeared comment whose text the new run still holds as a removed comment (``kind``
deleted/removed with text, One Million Posts' moderated posts) gets ``now-deleted-with-text``;
one whose id now holds a text-less placeholder gets ``now-deleted-placeholder``; one whose
article is missing from the new run gets ``article-absent``.

Example:
    >>> from analyzer.core.run import read_run
    >>> comparison = compare_runs(read_run("runs/monday"), read_run("runs/tuesday"))  # doctest: +SKIP
    >>> comparison.disappeared.select("article_id", "comment_id", "parent_id", "reason")  # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from analyzer.core import schemas
from analyzer.core.run import Run
from analyzer.outputs.notebook import VISIBLE, excerpt

COMPARISON_VERSION = 2  # 2: edits matched by text similarity and position, not by id
EXCERPT_CHARS = 200
# Step 2: texts at least this alike (difflib ratio on whitespace-folded text) are one comment,
# edited.  Chosen on hand-made edits (typo fixes and an added sentence score 0.80-0.97; two
# different replies of one thread 0.2-0.45); not tuned on a corpus.
SIMILARITY_MIN = 0.6
REWRITE_SIMILARITY_MIN = 0.2  # step 3 keeps an id+author pair only if it is not wholly different
POSITION_WEIGHT = 0.05  # at most this much of the score comes from a close relative position
AUTHOR_WEIGHT = 0.05  # and this much from a shared known author
MAX_PAIRS_PER_ARTICLE = 250_000  # beyond this, only comments within POSITION_WINDOW are compared
POSITION_WINDOW = 0.1  # relative thread positions (0..1) apart
SIMILARITY_CHARS = 5_000  # texts are compared on their first characters (difflib is quadratic)

# Frames of the comparison and their schemas (written as comparison_<name>.parquet).
DISAPPEARED = schemas.schema({
    "article_id": pl.String, "comment_id": pl.String, "parent_id": pl.String, "ancestors": pl.String,
    "depth": pl.Int32, "position": pl.Int32, "seq": pl.Int64, "author": pl.String,
    "created_at": schemas.UTC_TIME, "source_path": pl.String, "source_line": pl.Int64,
    "excerpt": pl.String, "parent_excerpt": pl.String, "reason": pl.String,
})
NEW = schemas.schema({
    "article_id": pl.String, "comment_id": pl.String, "parent_id": pl.String, "depth": pl.Int32,
    "author": pl.String, "created_at": schemas.UTC_TIME, "source_line": pl.Int64, "excerpt": pl.String,
})
EDITED = schemas.schema({
    "article_id": pl.String, "comment_id": pl.String, "new_comment_id": pl.String, "author": pl.String,
    "old_excerpt": pl.String, "new_excerpt": pl.String,
})
SHARE_SHIFT = schemas.schema({
    "article_id": pl.String, "label": pl.String, "n_old": pl.Int64, "n_new": pl.Int64,
    "share_old": pl.Float64, "share_new": pl.Float64, "delta": pl.Float64,
})
DOMAIN_SHIFT = schemas.schema({
    "domain": pl.String, "n_old": pl.Int64, "n_new": pl.Int64, "delta": pl.Int64, "is_new": pl.Boolean,
})


@dataclass
class Comparison:
    """The differences between an older and a newer run (frames, plus a JSON summary)."""

    old_run: str
    new_run: str
    disappeared: pl.DataFrame
    new_comments: pl.DataFrame
    edited: pl.DataFrame
    articles_added: list[str]
    articles_removed: list[str]
    stance_shift: pl.DataFrame | None  # None: stance.parquet absent in either run
    frame_shift: pl.DataFrame | None  # None: frames.parquet absent in either run
    domain_shift: pl.DataFrame | None  # None: links.parquet absent in either run
    n_old: int = 0
    n_new: int = 0
    notes: list[str] = field(default_factory=list)

    def max_shift(self, which: str) -> float:
        """Largest absolute change of a share in ``stance_shift`` or ``frame_shift`` (0 when absent)."""
        frame = self.stance_shift if which == "stance" else self.frame_shift
        if frame is None or frame.is_empty():
            return 0.0
        return float(frame["delta"].abs().max())  # type: ignore[arg-type]

    def new_domains(self) -> list[str]:
        if self.domain_shift is None:
            return []
        return self.domain_shift.filter(pl.col("is_new"))["domain"].to_list()

    def summary(self) -> dict[str, Any]:
        """Counts and largest shifts, JSON-ready and deterministic."""
        return {
            "comparison_version": COMPARISON_VERSION,
            "old_run": self.old_run,
            "new_run": self.new_run,
            "n_comments_old": self.n_old,
            "n_comments_new": self.n_new,
            "n_new_comments": self.new_comments.height,
            "n_disappeared": self.disappeared.height,
            "n_edited": self.edited.height,
            "articles_added": self.articles_added,
            "articles_removed": self.articles_removed,
            "max_stance_shift": None if self.stance_shift is None else round(self.max_shift("stance"), 6),
            "max_frame_shift": None if self.frame_shift is None else round(self.max_shift("frame"), 6),
            "new_domains": self.new_domains(),
            "notes": self.notes,
        }

    def to_json(self) -> str:
        """Summary plus the disappeared comments (the list an alert needs), as stable JSON."""
        disappeared = [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
            for row in self.disappeared.iter_rows(named=True)
        ]
        return json.dumps({**self.summary(), "disappeared": disappeared}, indent=2, ensure_ascii=False,
                          sort_keys=True) + "\n"

    def frames(self) -> dict[str, pl.DataFrame]:
        """The comparison's frames by file name (absent parts left out)."""
        out = {
            "comparison_disappeared.parquet": self.disappeared,
            "comparison_new.parquet": self.new_comments,
            "comparison_edited.parquet": self.edited,
        }
        for name, frame in (("stance", self.stance_shift), ("frames", self.frame_shift),
                            ("domains", self.domain_shift)):
            if frame is not None:
                out[f"comparison_{name}.parquet"] = frame
        return out

    def write(self, folder: str | Path) -> list[Path]:
        """Write ``comparison.json`` and the frames as Parquet into ``folder``; returns the paths."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = [folder / "comparison.json"]
        paths[0].write_text(self.to_json(), encoding="utf-8")
        for name, frame in self.frames().items():
            frame.write_parquet(folder / name, statistics=True)
            paths.append(folder / name)
        return paths

    def fingerprint(self) -> str:
        """sha256 of the JSON form: identifies the comparison in a report's manifest."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()


def _keyed(comments: pl.DataFrame) -> pl.DataFrame:
    """Visible comments with a content fingerprint and its occurrence number."""
    visible = comments.filter(VISIBLE)
    return visible.with_columns(
        pl.concat_str(
            pl.col("author").fill_null(""), pl.lit("\x1f"),
            pl.col("text").str.slice(0, 100_000).str.replace_all(r"\s+", " ").str.strip_chars(),
        ).hash(seed=0).alias("fp"),
    ).with_columns(pl.col("seq").rank("ordinal").over("article_id", "fp").alias("occ"))


def _ancestors(comments: pl.DataFrame) -> dict[tuple[str, str], str]:
    """(article, comment) -> "top/…/parent" ids, walking parent pointers (bounded, iterative)."""
    parent_of = {(a, c): p for a, c, p in comments.select("article_id", "comment_id", "parent_id").iter_rows()}
    out: dict[tuple[str, str], str] = {}
    for (article, comment), parent in parent_of.items():
        chain: list[str] = []
        for _ in range(len(parent_of)):
            if parent is None:
                break
            chain.append(parent)
            parent = parent_of.get((article, parent))
        out[(article, comment)] = "/".join(reversed(chain))
    return out


def _fold(text: str | None) -> str:
    return " ".join((text or "")[:SIMILARITY_CHARS].split())


def similarity(a: str | None, b: str | None) -> float:
    """difflib ratio of two whitespace-folded texts (first :data:`SIMILARITY_CHARS` characters)."""
    return difflib.SequenceMatcher(None, _fold(a), _fold(b), autojunk=False).ratio()


def match_similar(gone: pl.DataFrame, added: pl.DataFrame) -> list[tuple[int, int, float]]:
    """Step 2: one-to-one pairs ``(row in gone, row in added, similarity)`` within articles.

    Candidates are pairs of one article at least :data:`SIMILARITY_MIN` alike; the score adds
    up to :data:`AUTHOR_WEIGHT` for a shared known author and up to :data:`POSITION_WEIGHT`
    for the same relative position in the thread (seq / thread size, which survives
    renumbering); pairs are taken best score first (greedy), each comment once.
    """
    if gone.is_empty() or added.is_empty():
        return []
    cols = ("article_id", "text", "author", "rel")
    old_rows = list(gone.select(*cols).iter_rows())
    new_rows = list(added.select(*cols).iter_rows())
    by_article: dict[str, list[int]] = {}
    for j, row in enumerate(new_rows):
        by_article.setdefault(row[0], []).append(j)
    old_by_article: dict[str, list[int]] = {}
    for i, row in enumerate(old_rows):
        old_by_article.setdefault(row[0], []).append(i)
    scored: list[tuple[float, int, int, float]] = []
    for article, olds in old_by_article.items():
        news = by_article.get(article, [])
        windowed = len(olds) * len(news) > MAX_PAIRS_PER_ARTICLE
        for i in olds:
            _, o_text, o_author, o_rel = old_rows[i]
            o_fold = _fold(o_text)
            for j in news:
                _, n_text, n_author, n_rel = new_rows[j]
                distance = abs(float(o_rel) - float(n_rel))
                if windowed and distance > POSITION_WINDOW:
                    continue
                matcher = difflib.SequenceMatcher(None, o_fold, _fold(n_text), autojunk=False)
                if matcher.real_quick_ratio() < SIMILARITY_MIN or matcher.quick_ratio() < SIMILARITY_MIN:
                    continue
                ratio = matcher.ratio()
                if ratio < SIMILARITY_MIN:
                    continue
                bonus = AUTHOR_WEIGHT * (o_author is not None and o_author == n_author)
                bonus += POSITION_WEIGHT * max(0.0, 1.0 - distance / POSITION_WINDOW)
                scored.append((ratio + bonus, i, j, ratio))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for _, i, j, ratio in scored:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((i, j, ratio))
    return pairs


def _with_relative_position(frame: pl.DataFrame, comments: pl.DataFrame) -> pl.DataFrame:
    sizes = comments.group_by("article_id").agg(pl.len().alias("_size"))
    return frame.join(sizes, on="article_id", how="left").with_columns(
        rel=(pl.col("seq").cast(pl.Float64) / pl.col("_size").clip(lower_bound=1).cast(pl.Float64))
    ).drop("_size")


def _comment_diff(old: pl.DataFrame, new: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    key = ["article_id", "fp", "occ"]
    old_k, new_k = _keyed(old), _keyed(new)
    gone = _with_relative_position(old_k.join(new_k.select(key), on=key, how="anti"), old).with_row_index("_i")
    added = _with_relative_position(new_k.join(old_k.select(key), on=key, how="anti"), new).with_row_index("_j")
    # Step 2: the same comment edited, found by its text and place, whatever its id now is.
    pairs = match_similar(gone, added)
    matched = pl.DataFrame({"_i": [p[0] for p in pairs], "_j": [p[1] for p in pairs]},
                           schema={"_i": pl.UInt32, "_j": pl.UInt32})
    similar = (gone.join(matched, on="_i", how="inner")
               .join(added.select("_j", pl.col("text").alias("new_text"), pl.col("comment_id").alias("new_id")),
                     on="_j", how="inner"))
    gone = gone.join(matched, on="_i", how="anti")
    added = added.join(matched, on="_j", how="anti")
    # Step 3: same id, known author and depth, not wholly different: rewritten in place.
    pair = ["article_id", "comment_id", "author", "depth"]
    candidates = gone.filter(pl.col("author").is_not_null()).join(
        added.select(*pair, "_j", pl.col("text").alias("new_text"), pl.col("comment_id").alias("new_id")),
        on=pair, how="inner")
    rewrites = candidates.filter(pl.Series(
        [similarity(a, b) >= REWRITE_SIMILARITY_MIN for a, b in candidates.select("text", "new_text").iter_rows()],
        dtype=pl.Boolean)) if candidates.height else candidates
    gone = gone.join(rewrites.select("_i"), on="_i", how="anti")
    added = added.join(rewrites.select("_j"), on="_j", how="anti")
    edits = pl.concat([similar.select(rewrites.columns), rewrites], how="vertical") if rewrites.height else similar
    gone, added = gone.drop("_i", "rel"), added.drop("_j", "rel")

    # Removed by moderators with the text kept: recognised by the text, not by the (shifting) id.
    moderated = new.filter(pl.col("kind").is_in(["deleted", "removed"]))
    kept_kind = _keyed(moderated.with_columns(pl.col("kind").alias("_orig"), pl.lit("comment").alias("kind"))).select(
        "article_id", "fp", "occ", pl.col("_orig").alias("now_text_kind"))
    gone = gone.join(kept_kind, on=key, how="left")
    placeholders = new.filter(pl.col("kind").is_in(["deleted", "removed"]) & ~(
        pl.col("text").is_not_null() & (pl.col("text").str.len_chars() > 0))).select(
        "article_id", "comment_id", pl.col("kind").alias("now_kind"))
    new_articles = set(new["article_id"].unique().to_list())
    texts = {(a, c): t for a, c, t in old.select("article_id", "comment_id", "text").iter_rows()}
    lineage = _ancestors(old)
    gone = gone.join(placeholders, on=["article_id", "comment_id"], how="left").sort("article_id", "seq")
    rows = []
    for row in gone.iter_rows(named=True):
        key_ac = (row["article_id"], row["comment_id"])
        if row["article_id"] not in new_articles:
            reason = "article-absent"
        elif row["now_text_kind"] is not None:
            reason = f"now-{row['now_text_kind']}-with-text"
        elif row["now_kind"] is not None:
            reason = f"now-{row['now_kind']}-placeholder"
        else:
            reason = "absent"
        parent = row["parent_id"]
        rows.append({
            "article_id": row["article_id"], "comment_id": row["comment_id"], "parent_id": parent,
            "ancestors": lineage.get(key_ac, ""), "depth": row["depth"], "position": row["position"],
            "seq": row["seq"], "author": row["author"], "created_at": row["created_at"],
            "source_path": row["source_path"], "source_line": row["source_line"],
            "excerpt": excerpt(row["text"], EXCERPT_CHARS),
            "parent_excerpt": excerpt(texts.get((row["article_id"], parent)), EXCERPT_CHARS) if parent else None,
            "reason": reason,
        })
    disappeared = pl.DataFrame(rows, schema=DISAPPEARED) if rows else schemas.empty(DISAPPEARED)
    added = added.sort("article_id", "seq")
    new_frame = pl.DataFrame({
        "article_id": added["article_id"], "comment_id": added["comment_id"], "parent_id": added["parent_id"],
        "depth": added["depth"], "author": added["author"], "created_at": added["created_at"],
        "source_line": added["source_line"],
        "excerpt": pl.Series([excerpt(t, EXCERPT_CHARS) for t in added["text"].to_list()], dtype=pl.String),
    }, schema=NEW)
    edits = edits.sort("article_id", "seq")
    edited = pl.DataFrame({
        "article_id": edits["article_id"], "comment_id": edits["comment_id"], "new_comment_id": edits["new_id"],
        "author": edits["author"],
        "old_excerpt": pl.Series([excerpt(t, EXCERPT_CHARS) for t in edits["text"].to_list()], dtype=pl.String),
        "new_excerpt": pl.Series([excerpt(t, EXCERPT_CHARS) for t in edits["new_text"].to_list()], dtype=pl.String),
    }, schema=EDITED)
    return disappeared, new_frame, edited


def _share_shift(old: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    """Join two ``article_id, label, n, total`` frames into share changes (articles in both runs)."""
    both = set(old["article_id"].to_list()) & set(new["article_id"].to_list())
    joined = old.join(new, on=["article_id", "label"], how="full", coalesce=True, suffix="_new").filter(
        pl.col("article_id").is_in(list(both)))
    totals_old = old.group_by("article_id").agg(pl.col("total").first().alias("t_old"))
    totals_new = new.group_by("article_id").agg(pl.col("total").first().alias("t_new"))
    joined = joined.join(totals_old, on="article_id", how="left").join(totals_new, on="article_id", how="left")
    out = joined.select(
        "article_id", "label",
        pl.col("n").fill_null(0).cast(pl.Int64).alias("n_old"),
        pl.col("n_new").fill_null(0).cast(pl.Int64).alias("n_new"),
        (pl.col("n").fill_null(0) / pl.col("t_old")).fill_nan(None).cast(pl.Float64).alias("share_old"),
        (pl.col("n_new").fill_null(0) / pl.col("t_new")).fill_nan(None).cast(pl.Float64).alias("share_new"),
    ).with_columns((pl.col("share_new").fill_null(0) - pl.col("share_old").fill_null(0)).alias("delta"))
    return out.sort("article_id", "label").select(list(SHARE_SHIFT))


def _stance_counts(run: Run) -> pl.DataFrame:
    """``article_id, label, n, total``: stance toward the article over labelled visible comments."""
    stance = run.frame("stance").drop_nulls("stance_article")
    counts = stance.group_by("article_id", pl.col("stance_article").alias("label")).len("n")
    return counts.with_columns(pl.col("n").sum().over("article_id").alias("total"))


def _frame_counts(run: Run) -> pl.DataFrame:
    """``article_id, label, n, total``: visible comments using each frame / visible comments."""
    visible = run.comments.filter(VISIBLE).select("article_id", "comment_id")
    totals = visible.group_by("article_id").len("total")
    hits = run.frame("frames").filter(pl.col("doc_id") != schemas.ARTICLE_DOC_ID).join(
        visible, left_on=["article_id", "doc_id"], right_on=["article_id", "comment_id"], how="semi")
    counts = hits.group_by("article_id", pl.col("frame").alias("label")).agg(pl.col("doc_id").n_unique().alias("n"))
    return counts.join(totals, on="article_id", how="left")


def _domain_counts(run: Run) -> pl.DataFrame:
    links = run.frame("links").filter(pl.col("comment_id").is_not_null())
    return links.group_by(pl.coalesce("registered_domain", "host").alias("domain")).len("n").drop_nulls("domain")


def _domain_shift(old: Run, new: Run) -> pl.DataFrame:
    a, b = _domain_counts(old), _domain_counts(new)
    joined = a.join(b, on="domain", how="full", coalesce=True, suffix="_new")
    out = joined.select(
        "domain",
        pl.col("n").fill_null(0).cast(pl.Int64).alias("n_old"),
        pl.col("n_new").fill_null(0).cast(pl.Int64).alias("n_new"),
    ).with_columns((pl.col("n_new") - pl.col("n_old")).alias("delta"),
                   ((pl.col("n_old") == 0) & (pl.col("n_new") > 0)).alias("is_new"))
    return out.filter(pl.col("delta") != 0).sort(["delta", "domain"], descending=[True, False]).select(list(DOMAIN_SHIFT))


def compare_runs(old: Run, new: Run) -> Comparison:
    """Compare an older run with a newer one (see the module docstring for the matching rules).

    Stance, frame and domain shifts are computed when both runs hold the stage's file, else
    left as None with a note saying which run lacks it.
    """
    old_comments, new_comments = old.comments, new.comments
    disappeared, added, edited = _comment_diff(old_comments, new_comments)
    old_articles = set(old.articles["article_id"].to_list())
    new_articles = set(new.articles["article_id"].to_list())
    notes: list[str] = []

    def both(name: str) -> bool:
        missing = [label for label, run in (("older", old), ("newer", new)) if not run.has(name)]
        if missing:
            notes.append(f"{name}.parquet absent in the {' and '.join(missing)} run: no {name} comparison")
        return not missing

    stance = _share_shift(_stance_counts(old), _stance_counts(new)) if both("stance") else None
    frames = _share_shift(_frame_counts(old), _frame_counts(new)) if both("frames") else None
    domains = _domain_shift(old, new) if both("links") else None
    return Comparison(
        old_run=str(old.path), new_run=str(new.path),
        disappeared=disappeared, new_comments=added, edited=edited,
        articles_added=sorted(new_articles - old_articles), articles_removed=sorted(old_articles - new_articles),
        stance_shift=stance, frame_shift=frames, domain_shift=domains,
        n_old=old_comments.filter(VISIBLE).height, n_new=new_comments.filter(VISIBLE).height, notes=notes,
    )
