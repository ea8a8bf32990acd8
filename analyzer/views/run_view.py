"""A run folder with memoised, per-article views: what every page, report and summary reads.

The first request for a frame splits it by article once (a dict of per-article frames), so
later requests for one article cost a dict lookup, not a scan of the whole run: that is what
keeps dashboard callbacks fast on runs of 100,000 comments.

A view reads only the run folder it was opened on: the folder is fixed at construction and
no path from a request ever reaches the file system.  Results of stages that did not run
come back as ``None`` so that a page can say "stage not run" instead of drawing an empty chart
that looks like a finding; framing numbers of an article without body text are ``None`` with
the reason :data:`NO_ARTICLE_TEXT`, never a comparison against an empty profile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from analyzer.core import schemas
from analyzer.core.run import Run, read_run
from analyzer.views import thread as tv
from analyzer.views.numbers import HEADLINE, finite

T = TypeVar("T")

ARTICLE = schemas.ARTICLE_DOC_ID
VISIBLE = tv.VISIBLE
# Numbers that compare the readers with the article: meaningless without article text.
ARTICLE_COMPARISONS = frozenset({
    "frame_jsd_bits", "frame_retention", "frame_reframing", "label_adoption_share", "n_adopted_labels",
    "tone_gap", "quoted_sentence_share",
})
NO_ARTICLE_TEXT = "no article text in the input: the readers' framing cannot be compared with the article's"


@dataclass(frozen=True, slots=True)
class StageNote:
    """Why a view is empty: the stage did not run, or ran and found nothing."""

    stage: str
    file: str

    @property
    def message(self) -> str:
        return (f"The {self.stage} stage has not run for this run folder (no {self.file}). "
                f"Run `analyzer analyse … --stages {self.stage}` to add it.")


class RunView:
    """A run folder with memoised, per-article views of its frames.

    Args:
        run_dir: a finished run folder (see :func:`analyzer.core.run.read_run`), or a run read already.

    Example:
        >>> view = RunView("/tmp/dash_run")  # doctest: +SKIP
        >>> view.article_ids()[:1]  # doctest: +SKIP
        ['de_sample_page']
    """

    def __init__(self, run_dir: str | Path | Run) -> None:
        if isinstance(run_dir, Run):
            self.path = run_dir.path
            self._run: Run = run_dir
        else:
            self.path = Path(run_dir).resolve()
            self._run = read_run(self.path)
        self._memo: dict[Hashable, Any] = {}
        self._lock = threading.RLock()
        # Per-key build locks, so that one slow build (the first request for a 5,000-comment
        # thread) holds up only the requests that need that same value, not every request:
        # under 50 concurrent clients a build holding one run-wide lock made every other
        # request queue behind it (python -m tests.bench.dashboard_load).
        self._building: dict[Hashable, threading.RLock] = {}
        self._generation = 0  # bumped when a newer run replaces the memo

    @property
    def run(self) -> Run:
        """The run; a newer run written to the same folder (``analyse`` again) is picked up
        here, and every view built from the older one is dropped with it, so a page never
        mixes two runs."""
        with self._lock:
            if not self._run.is_current():
                self._run = read_run(self.path)
                self._memo.clear()
                self._generation += 1
            return self._run

    # --- caching -------------------------------------------------------------------------
    def _cached(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()`` once per run for ``key``; concurrent requests for the same key wait for
        the one build, requests for other keys do not (the run-wide lock guards only the dicts)."""
        with self._lock:
            self.run  # noqa: B018 - a replaced run clears the memo before it is consulted
            if key in self._memo:
                return self._memo[key]  # type: ignore[no-any-return]
            key_lock = self._building.setdefault(key, threading.RLock())
            generation = self._generation
        with key_lock:
            with self._lock:
                if key in self._memo and self._generation == generation:
                    return self._memo[key]  # type: ignore[no-any-return]
            value = build()
            with self._lock:
                if self._generation == generation:
                    self._memo[key] = value
                self._building.pop(key, None)
            return value

    def warm(self) -> None:
        """Build the per-article splits and the corpus table now, before the first request."""
        for name in ("comments", "stance", "frames", "keyness", "quotes", "own_texts"):
            if self.has(name):
                self._split(name)
        self.corpus_table()
        self.links(None)

    def has(self, name: str) -> bool:
        return self.run.has(name)

    def _frame(self, name: str) -> pl.DataFrame | None:
        return self.run.frame(name) if self.run.has(name) else None

    def _split(self, name: str, frame: pl.DataFrame | None = None) -> dict[str, pl.DataFrame]:
        """``name``'s frame split by article id (built once)."""

        def build() -> dict[str, pl.DataFrame]:
            source = frame if frame is not None else self._frame(name)
            if source is None or source.is_empty():
                return {}
            return {key[0]: part for key, part in source.partition_by("article_id", as_dict=True).items()}

        return self._cached(("split", name), build)

    def _part(self, name: str, article_id: str, schema: pl.Schema) -> pl.DataFrame:
        part = self._split(name).get(article_id)  # the empty default only when needed: it costs 2 ms
        return part if part is not None else schemas.empty(schema)

    # --- run level -----------------------------------------------------------------------
    @property
    def manifest(self) -> dict[str, Any]:
        return self.run.manifest

    def nlp_banner(self) -> str:
        """Which language layer produced the text numbers (shown on every text view)."""
        info = self.manifest.get("stage_info", {}).get("nlp")
        if not isinstance(info, dict):
            return "Language layer not run: no sentences, sentiment or tone numbers in this run."
        mode = str(self.manifest.get("nlp_mode") or info.get("mode") or "unknown")
        if mode == "offline":
            return ("NLP mode: offline (SoMaJo tokens, HanTa POS, simplemma lemmas, textblob lexicon polarity); "
                    "no stanza models: sentiment and tone are lexicon estimates.")
        if mode == "stanza":
            return "NLP mode: stanza neural models (tokens, POS, lemmas, sentence sentiment)."
        return f"NLP mode: {mode}."

    def article_ids(self) -> list[str]:
        return self._cached("article_ids", lambda: self.run.articles["article_id"].to_list())

    def _article_index(self) -> dict[str, int]:
        return self._cached("article_index", lambda: {a: i for i, a in enumerate(self.article_ids())})

    def has_article(self, article_id: str | None) -> bool:
        return isinstance(article_id, str) and article_id in self._article_index()

    def default_article(self) -> str | None:
        """The article a page opens with when none is named: the most commented one."""

        def build() -> str | None:
            articles = self.run.articles
            if articles.is_empty():
                return None
            return str(articles.sort(["n_visible", "article_id"], descending=[True, False], nulls_last=True)
                       ["article_id"][0])

        return self._cached("default_article", build)

    def has_article_text(self, article_id: str) -> bool:
        """True when the input carried the article's body text (framing can be compared)."""

        def build() -> frozenset[str]:
            articles = self.run.articles
            with_body = articles.filter(pl.col("body").is_not_null() & (pl.col("body").str.strip_chars() != ""))
            return frozenset(with_body["article_id"].to_list())

        return article_id in self._cached("articles_with_text", build)

    def thread_metrics_wide(self) -> pl.DataFrame:
        """Scope-"thread" metrics, one row per article, one column per metric name."""

        def build() -> pl.DataFrame:
            ids = pl.DataFrame({"article_id": self.article_ids()}, schema={"article_id": pl.String})
            thread = self.run.metrics.filter(pl.col("scope") == "thread")
            if thread.is_empty():
                return ids
            wide = thread.pivot(on="metric", index="article_id", values="value", aggregate_function="first")
            return ids.join(wide, on="article_id", how="left")

        return self._cached("thread_wide", build)

    def thread_numbers(self, article_id: str) -> dict[str, float | None]:
        """All scope-"thread" metrics of one article by their metric names.

        Comparisons with the article are None when the article has no text (see
        :data:`ARTICLE_COMPARISONS`).
        """

        def build() -> dict[str, dict[str, float | None]]:
            wide = self.thread_metrics_wide()
            return {row["article_id"]: {k: finite(v) for k, v in row.items() if k != "article_id"}
                    for row in wide.iter_rows(named=True)}

        numbers = dict(self._cached("thread_dicts", build).get(article_id, {}))
        if not self.has_article_text(article_id):
            numbers.update({name: None for name in ARTICLE_COMPARISONS})
        return numbers

    def corpus_table(self) -> pl.DataFrame:
        """One row per article: its facts, the :data:`~analyzer.views.HEADLINE` numbers by
        metric name, ``has_article_text`` and the parse-issue count."""

        def build() -> pl.DataFrame:
            return headline_table(self.run, wide=self.thread_metrics_wide())

        return self._cached("corpus_table", build)

    def parse_issues(self) -> pl.DataFrame:
        return self.run.parse_issues

    # --- one article ---------------------------------------------------------------------
    def article(self, article_id: str) -> dict[str, Any] | None:
        index = self._article_index().get(article_id)
        return None if index is None else self.run.articles.row(index, named=True)

    def comments(self, article_id: str) -> pl.DataFrame:
        """All nodes of the thread (ghosts, placeholders) in pre-order."""
        return self._part("comments", article_id, schemas.COMMENTS)

    def visible_comments(self, article_id: str) -> pl.DataFrame:
        return self._cached(("visible", article_id), lambda: self.comments(article_id).filter(VISIBLE))

    def comment(self, article_id: str, comment_id: str) -> dict[str, Any] | None:
        index = self._cached(("comment_index", article_id), lambda: {
            c: i for i, c in enumerate(self.comments(article_id)["comment_id"].to_list())})
        position = index.get(comment_id)
        return None if position is None else self.comments(article_id).row(position, named=True)

    def levels(self, article_id: str) -> pl.DataFrame:
        """``depth``, ``n_all`` (ghosts counted), ``n_visible`` of one thread (L_k)."""
        return self._cached(("levels", article_id), lambda: tv.levels(self.comments(article_id)))

    def latencies(self, article_id: str) -> list[float]:
        return self._cached(("latencies", article_id), lambda: tv.latencies(self.comments(article_id)))

    def sentences(self, article_id: str) -> pl.DataFrame | None:
        return None if not self.has("sentences") else self._part("sentences", article_id, schemas.SENTENCES)

    def article_sentences(self, article_id: str) -> pl.DataFrame | None:
        sentences = self.sentences(article_id)
        return None if sentences is None else self._cached(
            ("article_sentences", article_id), lambda: sentences.filter(pl.col("doc_id") == ARTICLE).sort("sent_idx"))

    def article_tokens(self, article_id: str) -> pl.DataFrame | None:
        if not self.has("tokens"):
            return None
        return self._cached(("article_tokens", article_id), lambda: self._part(
            "tokens", article_id, schemas.TOKENS).filter(pl.col("doc_id") == ARTICLE))

    def quotes(self, article_id: str) -> pl.DataFrame | None:
        return None if not self.has("quotes") else self._part("quotes", article_id, schemas.QUOTES)

    def quote_counts(self, article_id: str) -> dict[int, int]:
        """Article sentence index -> number of distinct comments quoting it."""
        quotes = self.quotes(article_id)
        if quotes is None or quotes.is_empty():
            return {}
        counts = (quotes.filter(pl.col("article_sent_idx").is_not_null())
                  .group_by("article_sent_idx").agg(pl.col("comment_id").n_unique().alias("n")))
        return dict(zip(counts["article_sent_idx"].to_list(), counts["n"].to_list(), strict=True))

    def own_text(self, article_id: str, comment_id: str) -> dict[str, Any] | None:
        if not self.has("own_texts"):
            return None
        own = self._part("own_texts", article_id, schemas.OWN_TEXTS).filter(pl.col("comment_id") == comment_id)
        return None if own.is_empty() else own.row(0, named=True)

    # --- stance --------------------------------------------------------------------------
    def stance(self, article_id: str) -> pl.DataFrame | None:
        """stance.parquet rows of one article, with the comment's depth; None when the stage did not run."""
        if not self.has("stance"):
            return None

        def build() -> pl.DataFrame:
            rows = self._part("stance", article_id, schemas.STANCE)
            depth = self.comments(article_id).select("comment_id", "depth")
            return rows.join(depth, on="comment_id", how="left")

        return self._cached(("stance", article_id), build)

    def stance_counts(self, article_id: str, column: str = "stance_article") -> pl.DataFrame | None:
        """``label``, ``n``, ``n_total``, ``share`` with its Wilson interval and ``too_few``."""
        rows = self.stance(article_id)
        return None if rows is None else tv.stance_counts(rows, column)

    def stance_depth_counts(self, article_id: str, column: str = "stance_article") -> pl.DataFrame | None:
        rows = self.stance(article_id)
        return None if rows is None else tv.stance_depth_counts(rows, column)

    def stance_of(self, article_id: str, comment_id: str) -> dict[str, Any] | None:
        rows = self.stance(article_id)
        if rows is None:
            return None
        hit = rows.filter(pl.col("comment_id") == comment_id)
        return None if hit.is_empty() else hit.row(0, named=True)

    # --- framing -------------------------------------------------------------------------
    def frames(self, article_id: str) -> pl.DataFrame | None:
        return None if not self.has("frames") else self._part("frames", article_id, schemas.FRAMES)

    def frame_inventory(self) -> list[str]:
        """Frames seen anywhere in the run, sorted (a stable colour per frame on every page)."""

        def build() -> list[str]:
            frames = self._frame("frames")
            return [] if frames is None else sorted(frames["frame"].unique().drop_nulls().to_list())

        return self._cached("frame_inventory", build)

    def frame_profile(self, article_id: str) -> pl.DataFrame | None:
        """``frame``, ``p_article``, ``p_comments``, ``dominant_article``, ``dominant_comments``
        as the framing stage reported them; None without the stage or without article text."""
        if not self.has("frames") or not self.has_article_text(article_id):
            return None

        def build() -> pl.DataFrame | None:
            per_frame = self._cached("frame_metrics", lambda: self.run.metrics.filter(pl.col("scope") == "frame"))
            return tv.frame_profile(per_frame.filter(pl.col("article_id") == article_id))

        return self._cached(("frame_profile", article_id), build)

    def keyness(self, article_id: str) -> pl.DataFrame | None:
        return None if not self.has("keyness") else self._part("keyness", article_id, schemas.KEYNESS)

    def label_adoption(self, article_id: str) -> pl.DataFrame | None:
        """Per-label adoption metrics of the framing stage (scope ``label``), one row per label;
        None without article text."""
        if not self.has_article_text(article_id):
            return None
        metrics = self._cached("label_metrics", lambda: self.run.metrics.filter(pl.col("scope") == "label"))
        part = metrics.filter(pl.col("article_id") == article_id)
        if part.is_empty():
            return None
        return part.pivot(on="metric", index="subject_id", values="value", aggregate_function="first").rename(
            {"subject_id": "label"})

    def article_term_spans(self, article_id: str) -> list[tuple[int, int, str]]:
        """(start, end, frame) of article tokens whose lemma fired a frame in their sentence."""
        frames = self.frames(article_id)
        tokens = self.article_tokens(article_id)
        if frames is None or tokens is None or frames.is_empty() or tokens.is_empty():
            return []

        def build() -> list[tuple[int, int, str]]:
            hits = (frames.filter(pl.col("doc_id") == ARTICLE).explode("matched_lemmas")
                    .select("sent_idx", "frame", pl.col("matched_lemmas").alias("lemma")).drop_nulls())
            if hits.is_empty():
                return []
            toks = tokens.select("sent_idx", "start_char", "end_char", pl.col("lemma").fill_null(pl.col("text")))
            # A pattern may be a multi-word lemma ("von langer Hand"): match each of its words.
            hits = hits.with_columns(pl.col("lemma").str.split(" ")).explode("lemma")
            joined = toks.join(hits, on=["sent_idx", "lemma"], how="inner").unique(["start_char"], keep="first")
            return sorted(joined.select("start_char", "end_char", "frame").iter_rows())

        return self._cached(("term_spans", article_id), build)

    def comment_frames(self, article_id: str, comment_id: str) -> pl.DataFrame | None:
        frames = self.frames(article_id)
        return None if frames is None else frames.filter(pl.col("doc_id") == comment_id)

    # --- links ---------------------------------------------------------------------------
    def links(self, article_id: str | None) -> pl.DataFrame | None:
        """Comment links (article-body links excluded) with the comment's depth and ``domain``;
        all articles for None."""
        if not self.has("links"):
            return None

        def build_all() -> pl.DataFrame:
            links = self.run.frame("links").filter(pl.col("comment_id").is_not_null())
            depth = self.run.comments.select("article_id", "comment_id", "depth", "seq")
            return links.join(depth, on=["article_id", "comment_id"], how="left").with_columns(
                pl.coalesce("registered_domain", "host").alias("domain"))

        every = self._cached("links_all", build_all)
        if article_id is None:
            return every
        return self._split("links_all", every).get(article_id, every.head(0))

    def ratings(self) -> pl.DataFrame | None:
        return self._frame("link_ratings")

    def domain_table(self, article_id: str | None) -> pl.DataFrame:
        """One row per domain: links, comments, articles, obfuscated links, ratings as text."""

        def build() -> pl.DataFrame:
            links = self.links(article_id)
            empty = self._cached("no_links", lambda: pl.DataFrame(schema={
                "article_id": pl.String, "comment_id": pl.String, "domain": pl.String, "obfuscation": pl.String,
                "redirect": pl.String}))
            ratings = self.ratings()
            if ratings is not None and article_id is not None:
                ratings = ratings.filter(pl.col("article_id") == article_id)
            return tv.rated_domain_table(links if links is not None else empty, ratings)

        return self._cached(("domains", article_id), build)

    def rating_coverage(self, article_id: str | None) -> pl.DataFrame:
        """Per credibility list: links it rates and the share of all comment links that is."""
        links = self.links(article_id)
        ratings = self.ratings()
        if links is None or links.is_empty() or ratings is None or ratings.is_empty():
            return pl.DataFrame(schema={"list_name": pl.String, "n_rated": pl.UInt32, "coverage": pl.Float64})
        if article_id is not None:
            ratings = ratings.filter(pl.col("article_id") == article_id)
        rated = ratings.filter(pl.col("comment_id").is_not_null()).group_by("list_name").agg(
            pl.struct("article_id", "comment_id", "start_char").n_unique().cast(pl.UInt32).alias("n_rated"))
        return rated.with_columns((pl.col("n_rated") / links.height).alias("coverage")).sort("list_name")

    def link_depth_counts(self, article_id: str | None) -> pl.DataFrame:
        links = self.links(article_id)
        if links is None:
            return pl.DataFrame(schema=tv.LINK_DEPTHS)
        return tv.link_depth_counts(links)

    def domain_comments(self, article_id: str | None, domain: str, limit: int = 50) -> pl.DataFrame:
        """Comments that linked ``domain`` (first ``limit`` in run order) with their text."""
        links = self.links(article_id)
        if links is None:
            return pl.DataFrame()
        hits = links.filter(pl.col("domain") == domain).unique(["article_id", "comment_id"], keep="first",
                                                               maintain_order=True)
        # One article's comments when scoped: joining the run's 105,000 comments cost about 8 ms
        # a call on the benchmark run, the article's part well under 1 (same rows).
        scope = self.run.comments if article_id is None else self.comments(article_id)
        texts = scope.select("article_id", "comment_id", "text", "depth")
        redirect = pl.col("redirect") if "redirect" in hits.columns else pl.lit(None, dtype=pl.String).alias("redirect")
        return hits.head(limit).select("article_id", "comment_id", "url", "obfuscation", redirect).join(
            texts, on=["article_id", "comment_id"], how="left", maintain_order="left")

    def n_domain_comments(self, article_id: str | None, domain: str) -> int:
        links = self.links(article_id)
        if links is None:
            return 0
        return int(links.filter(pl.col("domain") == domain).select(pl.struct("article_id", "comment_id").n_unique()).item())


def headline_table(run: Run, *, wide: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per article: facts, the :data:`HEADLINE` numbers by metric name, the metric
    named in each number's ``base`` (the count behind a share), ``has_article_text`` and
    ``n_issues``; most commented first.

    Comparisons with the article are null where the article has no text.
    """
    articles = run.articles.select(
        "article_id", "title", "site", "published_at", "n_announced", "n_visible", "n_ghost", "n_deleted",
        (pl.col("body").is_not_null() & (pl.col("body").str.strip_chars() != "")).alias("has_article_text"))
    if wide is None:
        thread = run.metrics.filter(pl.col("scope") == "thread")
        wide = (articles.select("article_id") if thread.is_empty() else
                thread.pivot(on="metric", index="article_id", values="value", aggregate_function="first"))
    names = [n.metric for n in HEADLINE if n.metric not in articles.columns]
    names += [n.base for n in HEADLINE if n.base and n.base not in articles.columns and n.base not in names]
    columns = [(pl.col(n) if n in wide.columns else pl.lit(None, dtype=pl.Float64)).cast(pl.Float64).alias(n)
               for n in names]
    table = articles.join(wide.select("article_id", *columns), on="article_id", how="left", maintain_order="left")
    table = table.with_columns([
        pl.when(pl.col("has_article_text")).then(pl.col(n)).otherwise(None).alias(n)
        for n in names if n in ARTICLE_COMPARISONS])
    issues = run.parse_issues.group_by("article_id").agg(pl.len().cast(pl.Int64).alias("n_issues"))
    return (table.join(issues, on="article_id", how="left", maintain_order="left")
            .with_columns(pl.col("n_issues").fill_null(0))
            .sort(["n_visible", "article_id"], descending=[True, False], nulls_last=True))


def run_totals(run: Run) -> dict[str, int]:
    """Counts of the whole run (report header, summary)."""
    comments = run.comments
    return {
        "articles": run.articles.height,
        "comments": comments.filter(VISIBLE).height,
        "ghosts": int(comments["is_ghost"].sum()),
        "deleted": int(comments["kind"].is_in(["deleted", "removed"]).sum()),
        "parse_issues": run.parse_issues.height,
        "links": run.frame("links").filter(pl.col("comment_id").is_not_null()).height if run.has("links") else 0,
    }
