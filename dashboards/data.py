"""Data access for the dashboard: one run folder, read once, sliced per article from a cache.

Pages and callbacks ask :class:`RunData` for small, ready-to-draw frames; they never touch
Parquet files themselves.  The first request for a frame splits it by article once (a dict of
per-article frames), so later requests for one article cost a dict lookup, not a scan of the
whole run: that is what keeps callbacks fast on runs of 100,000 comments.

The dashboard reads only the run folder it serves: the folder is fixed at construction and no
path from a request ever reaches the file system.

Stage results that may be missing (stance, frames, keyness) come back as ``None`` so pages can
say "stage not run" instead of showing an empty chart that looks like a finding.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import polars as pl

from analyzer import schemas
from analyzer.domains.ratings import with_rating_text
from analyzer.run import Run, read_run

T = TypeVar("T")

ARTICLE = schemas.ARTICLE_DOC_ID
VISIBLE = pl.col("kind").eq("comment") & pl.col("text").is_not_null() & pl.col("text").str.len_chars().gt(0)

# Thread-level numbers the pages show, by the metric names that may carry them.  The stance and
# framing stages were written in parallel with the dashboard, so a few spellings are accepted;
# the first one present wins.
METRIC_ALIASES: dict[str, tuple[str, ...]] = {
    "coverage": ("visibility",),
    "virality": ("structural_virality",),
    "link_share": ("link_comment_share",),
    "support_ratio": ("article_support_ratio", "support_ratio", "stance_support_ratio"),
    "net_stance": ("article_net_stance", "net_stance"),
    "jsd": ("frame_jsd", "jsd", "frame_jsd_bits", "jsd_bits"),
    "retention": ("dominant_frame_retention", "frame_retention", "retention"),
    "reframing": ("reframing", "frame_reframing"),
    "tone_gap": ("tone_gap",),
    "quoted_sentence_share": ("quoted_sentence_share",),
    "obfuscated_share": ("obfuscated_share",),
    "label_adoption": ("label_adoption_share", "label_adoption", "adopted_label_share"),
}
# Smoothing of frame profiles when the dashboard has to build them from frames.parquet itself
# (methods.md section 4: p_f = (c_f + α) / Σ_g (c_g + α), α = 0.5).
FRAME_ALPHA = 0.5
# Scopes under which a framing stage may report per-label adoption (subject_id = label).
LABEL_SCOPES = ("label", "actor_label")


@dataclass(frozen=True, slots=True)
class StageNote:
    """Why a view is empty: the stage did not run, or ran and found nothing."""

    stage: str
    file: str

    @property
    def message(self) -> str:
        return (f"The {self.stage} stage has not run for this run folder (no {self.file}). "
                f"Run `analyzer analyse … --stages {self.stage}` to add it.")


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


class RunData:
    """A served run folder with memoised, per-article views of its frames.

    Args:
        run_dir: a finished run folder (see :func:`analyzer.run.read_run`).

    Example:
        >>> data = RunData("/tmp/dash_run")  # doctest: +SKIP
        >>> data.article_ids()[:1]  # doctest: +SKIP
        ['de_sample_page']
    """

    def __init__(self, run_dir: str | Path) -> None:
        self.path = Path(run_dir).resolve()
        self._run: Run = read_run(self.path)
        self._memo: dict[Hashable, Any] = {}
        self._lock = threading.RLock()

    @property
    def run(self) -> Run:
        """The served run; a newer run written to the same folder (``analyse`` again) is picked
        up here, and every view built from the older one is dropped with it, so a page never
        mixes two runs."""
        with self._lock:
            if not self._run.is_current():
                self._run = read_run(self.path)
                self._memo.clear()
            return self._run

    # --- caching -------------------------------------------------------------------------
    def _cached(self, key: Hashable, build: Callable[[], T]) -> T:
        # One lock for all keys: the server has few threads and builds are short; a per-key
        # lock would only matter for the first request of a huge run.
        with self._lock:
            self.run  # noqa: B018 - a replaced run clears the memo before it is consulted
            if key not in self._memo:
                self._memo[key] = build()
            return self._memo[key]  # type: ignore[no-any-return]

    def warm(self) -> None:
        """Build the per-article splits and the corpus table now, before the first request.

        On a run of 100,000 comments this moves a few hundred milliseconds from the first
        click on a thread to server start-up.
        """
        for name in ("comments", "stance", "frames", "keyness", "quotes", "own_texts"):
            if self.has(name):
                self._split(name)
        self.corpus_table()
        self.article_options()
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
        return self._split(name).get(article_id, schemas.empty(schema))

    # --- run level -----------------------------------------------------------------------
    @property
    def manifest(self) -> dict[str, Any]:
        return self.run.manifest

    def label(self) -> str:
        """Short text naming the run (folder name, creation time)."""
        created = str(self.manifest.get("created_at", ""))[:16].replace("T", " ")
        return f"{self.path.name} · {created}" if created else self.path.name

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

    def default_article(self) -> str | None:
        """The article a page opens with when the URL names none: the most commented one."""

        def build() -> str | None:
            articles = self.run.articles
            if articles.is_empty():
                return None
            return str(articles.sort(["n_visible", "article_id"], descending=[True, False], nulls_last=True)
                       ["article_id"][0])

        return self._cached("default_article", build)

    def resolve_article(self, article_id: str | None) -> str | None:
        """``article_id`` if the run has it, else the default article (URLs are user input)."""
        if isinstance(article_id, str) and article_id in self._article_index():
            return article_id
        return self.default_article()

    def _article_index(self) -> dict[str, int]:
        return self._cached("article_index", lambda: {a: i for i, a in enumerate(self.article_ids())})

    def article_options(self) -> list[dict[str, str]]:
        """Dropdown options: title (comments), most commented first."""

        def build() -> list[dict[str, str]]:
            articles = self.run.articles.sort(["n_visible", "article_id"], descending=[True, False], nulls_last=True)
            return [
                {"label": f"{(t or a)[:90]} ({n or 0} comments)", "value": a}
                for a, t, n in articles.select("article_id", "title", "n_visible").iter_rows()
            ]

        return self._cached("article_options", build)

    def thread_metrics_wide(self) -> pl.DataFrame:
        """Scope-"thread" metrics, one row per article, one column per metric."""

        def build() -> pl.DataFrame:
            thread = self.run.metrics.filter(pl.col("scope") == "thread")
            if thread.is_empty():
                return pl.DataFrame({"article_id": self.article_ids()}, schema={"article_id": pl.String})
            wide = thread.pivot(on="metric", index="article_id", values="value", aggregate_function="first")
            return pl.DataFrame({"article_id": self.article_ids()}, schema={"article_id": pl.String}).join(
                wide, on="article_id", how="left")

        return self._cached("thread_wide", build)

    def thread_metrics(self, article_id: str) -> dict[str, float | None]:
        """All scope-"thread" metrics of one article, with the aliases of :data:`METRIC_ALIASES` resolved."""

        def build() -> dict[str, dict[str, float | None]]:
            wide = self.thread_metrics_wide()
            return {row["article_id"]: {k: _finite(v) for k, v in row.items() if k != "article_id"}
                    for row in wide.iter_rows(named=True)}

        raw = dict(self._cached("thread_dicts", build).get(article_id, {}))
        for name, aliases in METRIC_ALIASES.items():
            raw.setdefault(name, next((raw[a] for a in aliases if raw.get(a) is not None), None))
        if raw.get("support_ratio") is None:
            raw["support_ratio"] = self.stance_support_ratios().get(article_id)
        if raw.get("jsd") is None or raw.get("retention") is None or raw.get("reframing") is None:
            comparison = self.frame_comparison(article_id)
            if comparison is not None:
                for key in ("jsd", "retention", "reframing"):
                    if raw.get(key) is None:
                        raw[key] = comparison[key]
        return raw

    def corpus_table(self) -> pl.DataFrame:
        """One row per article with the columns of the corpus grid."""

        def build() -> pl.DataFrame:
            articles = self.run.articles.select(
                "article_id", "title", "site", "published_at", "n_announced", "n_visible", "n_ghost")
            wide = self.thread_metrics_wide()

            def pick(*names: str) -> pl.Expr:
                present = [pl.col(n) for n in names if n in wide.columns]
                return pl.coalesce(present) if present else pl.lit(None, dtype=pl.Float64)

            metrics = wide.select(
                "article_id",
                pick(*METRIC_ALIASES["coverage"]).alias("coverage"),
                pick("max_depth").alias("max_depth"),
                pick(*METRIC_ALIASES["virality"]).alias("virality"),
                pick(*METRIC_ALIASES["support_ratio"]).alias("support_ratio"),
                pick(*METRIC_ALIASES["jsd"]).alias("jsd"),
                pick(*METRIC_ALIASES["link_share"]).alias("link_share"),
                pick(*METRIC_ALIASES["tone_gap"]).alias("tone_gap"),
            )
            table = articles.join(metrics, on="article_id", how="left")
            fallback_support = self.stance_support_ratios()
            if fallback_support:
                table = table.with_columns(pl.coalesce(
                    pl.col("support_ratio"),
                    pl.col("article_id").replace_strict(fallback_support, default=None, return_dtype=pl.Float64),
                ).alias("support_ratio"))
            if self.has("frames") and table["jsd"].null_count() == table.height:
                jsds = {a: c["jsd"] for a in self.article_ids() if (c := self.frame_comparison(a)) is not None}
                table = table.with_columns(
                    pl.col("article_id").replace_strict(jsds, default=None, return_dtype=pl.Float64).alias("jsd"))
            issues = self.run.parse_issues.group_by("article_id").len("n_issues")
            table = table.join(issues, on="article_id", how="left").with_columns(pl.col("n_issues").fill_null(0))
            return table.with_columns(pl.col("published_at").dt.strftime("%Y-%m-%d %H:%M").alias("published_at"))

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

        def build() -> pl.DataFrame:
            nodes = self.comments(article_id)
            if nodes.is_empty():
                return pl.DataFrame(schema={"depth": pl.Int32, "n_all": pl.UInt32, "n_visible": pl.UInt32})
            return (nodes.group_by("depth")
                    .agg(pl.len().alias("n_all"), (~pl.col("is_ghost")).sum().cast(pl.UInt32).alias("n_visible"))
                    .sort("depth"))

        return self._cached(("levels", article_id), build)

    def latencies(self, article_id: str) -> list[float]:
        """Reply latency τ = t(v) − t(parent) in seconds, replies with both timestamps only."""
        nodes = self.comments(article_id).select("comment_id", "parent_id", "created_at")
        if nodes["created_at"].null_count() == nodes.height:
            return []
        joined = nodes.join(nodes.select(pl.col("comment_id").alias("parent_id"), pl.col("created_at").alias("t_parent")),
                            on="parent_id", how="inner")
        seconds = (joined["created_at"] - joined["t_parent"]).dt.total_milliseconds() / 1000
        return [s for s in seconds.to_list() if s is not None and s >= 0]

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
        """``label``, ``n`` over the article's visible comments."""
        rows = self.stance(article_id)
        if rows is None:
            return None
        return rows.group_by(pl.col(column).alias("label")).len("n").drop_nulls("label").sort("label")

    def stance_depth_counts(self, article_id: str, column: str = "stance_article") -> pl.DataFrame | None:
        rows = self.stance(article_id)
        if rows is None:
            return None
        return (rows.drop_nulls([column, "depth"]).group_by("depth", pl.col(column).alias("label")).len("n")
                .sort("depth", "label"))

    def stance_support_ratios(self) -> dict[str, float]:
        """S / (S + D) toward the article per article, from stance.parquet (when no metric carries it)."""

        def build() -> dict[str, float]:
            stance = self._frame("stance")
            if stance is None or stance.is_empty():
                return {}
            counts = stance.group_by("article_id").agg(
                (pl.col("stance_article") == "support").sum().alias("s"),
                (pl.col("stance_article") == "deny").sum().alias("d"))
            counts = counts.filter((pl.col("s") + pl.col("d")) > 0)
            return dict(zip(counts["article_id"].to_list(),
                            (counts["s"] / (counts["s"] + counts["d"])).to_list(), strict=True))

        return self._cached("support_ratios", build)

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
        """Frames seen anywhere in the run: the K of the smoothing when no profile metric exists."""

        def build() -> list[str]:
            frames = self._frame("frames")
            return [] if frames is None else sorted(frames["frame"].unique().drop_nulls().to_list())

        return self._cached("frame_inventory", build)

    def frame_profile(self, article_id: str) -> pl.DataFrame | None:
        """``frame``, ``p_article``, ``p_comments``, ``dominant_article``, ``dominant_comments``.

        Sentence-level hits (a sentence counts once per frame) with α = 0.5 smoothing over the
        frames of the run (methods.md section 4).  Comment hits count visible comments only.
        """
        frames = self.frames(article_id)
        if frames is None:
            return None
        reported = self._reported_profile(article_id)
        if reported is not None:
            return reported
        return self._cached(("frame_profile", article_id), lambda: build_frame_profile(
            frames, self.visible_comments(article_id)["comment_id"], self.frame_inventory()))

    def _reported_profile(self, article_id: str) -> pl.DataFrame | None:
        """The framing stage's own per-frame metrics (scope "frame"), when it wrote them."""
        per_frame = self._cached("frame_metrics", lambda: self.run.metrics.filter(pl.col("scope") == "frame"))
        part = per_frame.filter(pl.col("article_id") == article_id)
        if part.is_empty():
            return None
        wide = part.pivot(on="metric", index="subject_id", values="value", aggregate_function="first")
        if not {"p_article", "p_comments"} <= set(wide.columns):
            return None
        flags = [pl.col(c).fill_null(0).gt(0).alias(c) if c in wide.columns else pl.lit(False).alias(c)
                 for c in ("dominant_article", "dominant_comments")]
        return wide.select(pl.col("subject_id").alias("frame"), "p_article", "p_comments", *flags).sort("frame")

    def frame_comparison(self, article_id: str) -> dict[str, float | None] | None:
        profile = self.frame_profile(article_id)
        if profile is None or profile.is_empty():
            return None
        return compare_profiles(profile)

    def keyness(self, article_id: str) -> pl.DataFrame | None:
        return None if not self.has("keyness") else self._part("keyness", article_id, schemas.KEYNESS)

    def label_adoption(self, article_id: str) -> pl.DataFrame | None:
        """Per-label adoption metrics of a framing stage (scope ``label``), one row per label."""
        metrics = self._cached("label_metrics", lambda: self.run.metrics.filter(pl.col("scope").is_in(LABEL_SCOPES)))
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
            toks = tokens.select("sent_idx", "start_char", "end_char",
                                 pl.col("lemma").fill_null(pl.col("text")))
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
        """Comment links (article-body links excluded) with the comment's depth; all articles for None."""
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
            if links is None or links.is_empty():
                return pl.DataFrame(schema={"domain": pl.String, "n_links": pl.UInt32, "n_comments": pl.UInt32,
                                            "n_articles": pl.UInt32, "n_obfuscated": pl.UInt32,
                                            "rated": pl.Boolean, "rating_text": pl.String})
            table = links.group_by("domain").agg(
                pl.len().alias("n_links"),
                pl.struct("article_id", "comment_id").n_unique().cast(pl.UInt32).alias("n_comments"),
                pl.col("article_id").n_unique().cast(pl.UInt32).alias("n_articles"),
                pl.col("obfuscation").is_not_null().sum().cast(pl.UInt32).alias("n_obfuscated"),
            )
            return with_rating_text(table, self.ratings(), mark_stale=True)

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
        if links is None or links.is_empty():
            return pl.DataFrame(schema={"depth": pl.Int32, "n_links": pl.UInt32})
        return links.drop_nulls("depth").group_by("depth").len("n_links").sort("depth")

    def domain_comments(self, article_id: str | None, domain: str, limit: int = 50) -> pl.DataFrame:
        """Comments that linked ``domain`` (first ``limit`` in run order) with their text."""
        links = self.links(article_id)
        if links is None:
            return pl.DataFrame()
        hits = links.filter(pl.col("domain") == domain).unique(["article_id", "comment_id"], keep="first",
                                                               maintain_order=True)
        texts = self.run.comments.select("article_id", "comment_id", "text", "depth")
        return hits.head(limit).select("article_id", "comment_id", "url", "obfuscation").join(
            texts, on=["article_id", "comment_id"], how="left", maintain_order="left")

    def n_domain_comments(self, article_id: str | None, domain: str) -> int:
        links = self.links(article_id)
        if links is None:
            return 0
        return int(links.filter(pl.col("domain") == domain).select(pl.struct("article_id", "comment_id").n_unique()).item())


def build_frame_profile(frames: pl.DataFrame, visible_ids: pl.Series, inventory: list[str]) -> pl.DataFrame:
    """Smoothed frame shares of the article body and of the pooled visible comments.

    Args:
        frames: FRAMES rows of one article.
        visible_ids: ids of the visible comments (hits of other docs are ignored).
        inventory: the frame set K (frames with no hit still get α).

    References:
        Semetko & Valkenburg (2000); smoothing and dominance as in docs methods.md section 4.
    """
    hits = frames.unique(["doc_id", "sent_idx", "frame"])
    article = hits.filter(pl.col("doc_id") == ARTICLE).group_by("frame").len("c")
    readers = hits.filter(pl.col("doc_id").is_in(visible_ids.implode())).group_by("frame").len("c")
    names = sorted(set(inventory) | set(article["frame"].to_list()) | set(readers["frame"].to_list()))
    if not names:
        return pl.DataFrame(schema={"frame": pl.String, "p_article": pl.Float64, "p_comments": pl.Float64,
                                    "dominant_article": pl.Boolean, "dominant_comments": pl.Boolean})

    def shares(counts: pl.DataFrame) -> list[float]:
        by_frame = dict(zip(counts["frame"].to_list(), counts["c"].to_list(), strict=True))
        raw = [by_frame.get(n, 0) + FRAME_ALPHA for n in names]
        total = sum(raw)
        return [r / total for r in raw]

    p_a, p_c = shares(article), shares(readers)
    return pl.DataFrame({
        "frame": names, "p_article": p_a, "p_comments": p_c,
        "dominant_article": _dominant(names, p_a), "dominant_comments": _dominant(names, p_c),
    })


def _dominant(names: list[str], shares: list[float], mass: float = 0.5) -> list[bool]:
    """Top frames covering at least ``mass`` of the distribution (ties broken by name)."""
    order = sorted(range(len(names)), key=lambda i: (-shares[i], names[i]))
    chosen: set[int] = set()
    covered = 0.0
    for i in order:
        if covered >= mass:
            break
        chosen.add(i)
        covered += shares[i]
    return [i in chosen for i in range(len(names))]


def compare_profiles(profile: pl.DataFrame) -> dict[str, float | None]:
    """JSD in bits, dominant-frame retention and reframing of an article/readers profile.

    References:
        Lin (1991), Divergence measures based on the Shannon entropy (JSD); methods.md section 4.
    """
    p = profile["p_article"].to_list()
    q = profile["p_comments"].to_list()
    m = [(a + b) / 2 for a, b in zip(p, q, strict=True)]

    def kl(x: list[float]) -> float:
        return sum(a * math.log2(a / b) for a, b in zip(x, m, strict=True) if a > 0)

    jsd = 0.5 * kl(p) + 0.5 * kl(q)
    dom_a = set(profile.filter(pl.col("dominant_article"))["frame"].to_list())
    dom_c = set(profile.filter(pl.col("dominant_comments"))["frame"].to_list())
    retention = len(dom_a & dom_c) / len(dom_a) if dom_a else None
    union = dom_a | dom_c
    reframing = 1 - len(dom_a & dom_c) / len(union) if union else None
    return {"jsd": jsd, "retention": retention, "reframing": reframing}


def evidence_items(evidence: str | None, limit: int = 40) -> list[str]:
    """The stance evidence JSON as short human-readable lines (never raises on bad JSON)."""
    if not evidence:
        return []
    try:
        parsed = json.loads(evidence)
    except (ValueError, TypeError):
        return [evidence[:500]]
    lines: list[str] = []

    def walk(value: Any, prefix: str) -> None:
        if len(lines) >= limit:
            return
        if isinstance(value, dict):
            if set(value) >= {"cue"} or set(value) >= {"name"}:
                lines.append(f"{prefix}{_short_json(value)}")
                return
            for key, item in value.items():
                walk(item, f"{prefix}{key}: ")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                walk(item, prefix)
        else:
            lines.append(f"{prefix}{_short_json(value)}")

    walk(parsed, "")
    return lines[:limit]


def _short_json(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
