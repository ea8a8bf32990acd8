"""Data access for the dashboard: the run's views (:class:`analyzer.views.RunView`) plus the
few things only a page needs (dropdown options, the run's label, evidence as lines).

Pages and callbacks ask :class:`RunData` for small, ready-to-draw frames; they never touch
Parquet files and never compute a number of their own: the report, the summary and notebooks
read the same views, so a number has one name and one value everywhere.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import polars as pl

from analyzer.core import schemas
from analyzer.views import RunView, StageNote
from analyzer.views import comments as cv
from analyzer.views import participants as pv
from analyzer.views import timeline as tl
from analyzer.views.corpus import with_display_title

__all__ = ["RunData", "StageNote", "evidence_items"]

T = TypeVar("T")


class RunData(RunView):
    """A served run folder: :class:`~analyzer.views.RunView` and the dashboard's own helpers.

    Example:
        >>> data = RunData("/tmp/dash_run")  # doctest: +SKIP
        >>> data.article_ids()[:1]  # doctest: +SKIP
        ['de_sample_page']
    """

    # Rendered page parts kept for reuse (figures are the slow part of a callback); bounded,
    # most recently used kept: a reader goes back and forth between a few articles.  1,024
    # (was 128): about five parts per thread page, and 50 readers of the 1,001-article benchmark
    # run pushed a thread's parts out before anyone came back to it; the parts average well
    # under 100 KiB (the 5,000-comment thread's tree, the largest, about 500 KiB).
    RENDERED_MAX = 1024

    def rendered(self, key: Hashable, build: Callable[[], T], *, pin: bool = False) -> T:
        """``build()`` for ``key``, reused while it stays among the :data:`RENDERED_MAX` latest;
        with ``pin``, kept for the whole run (run-wide parts: a few, and the costliest to build,
        which the per-article parts of busy readers would otherwise push out)."""
        if pin:
            return self._cached(("__pinned__", key), build)
        with self._lock:
            self.run  # noqa: B018 - a replaced run clears the memo (and these parts) first
            store: OrderedDict[Hashable, Any] = self._memo.setdefault("__rendered__", OrderedDict())
            if key in store:
                store.move_to_end(key)
                return store[key]  # type: ignore[no-any-return]
        value = build()
        with self._lock:
            store = self._memo.setdefault("__rendered__", OrderedDict())
            store[key] = value
            while len(store) > self.RENDERED_MAX:
                store.popitem(last=False)
        return value

    def generation(self) -> int:
        """The served run's generation: it grows when a newer run replaces the folder (the
        answer cache, :mod:`dashboards.respcache`, drops its answers then)."""
        self.run  # noqa: B018 - picks up a replaced run
        return self._generation

    def warm(self) -> None:
        """Build the per-article splits, the corpus table and the dropdown before the first request."""
        super().warm()
        self.article_options()  # builds the grid table (faces of untitled articles) too
        self.comment_table(self.default_article())  # the run's comment table, split by article

    def label(self) -> str:
        """Short text naming the run (folder name, creation time)."""
        created = str(self.manifest.get("created_at", ""))[:16].replace("T", " ")
        return f"{self.path.name} · {created}" if created else self.path.name

    def model_banner(self) -> str:
        """Which stance model labelled the comments, in words (shown beside the NLP banner)."""
        info = self.manifest.get("stage_info", {}).get("stance")
        if not isinstance(info, dict):
            return "Stance not run."
        model = str(info.get("model") or "?")
        inventories = info.get("inventories")
        names = ", ".join(str(v) for v in inventories.values()) if isinstance(inventories, dict) else ""
        if model == "cues":
            return (f"Stance: cue rules ({names}); confidences are heuristic, not probabilities — "
                    "check examples before quoting a share.")
        return f"Stance: model {model}" + (f" with cue inventories {names}" if names else "") + "."

    def resolve_article(self, article_id: str | None) -> str | None:
        """``article_id`` if the run has it, else the default article (URLs are user input)."""
        return article_id if self.has_article(article_id) else self.default_article()

    def article_options(self) -> list[dict[str, str]]:
        """Dropdown options: title (comments), most commented first."""

        def build() -> list[dict[str, str]]:
            articles = self.grid_table().sort(["n_visible", "article_id"], descending=[True, False], nulls_last=True)
            return [
                {"label": f"{(t or a)[:90]} ({n or 0} comment{'' if n == 1 else 's'})", "value": a}
                for a, t, n in articles.select("article_id", "display_title", "n_visible").iter_rows()
            ]

        return self._cached("article_options", build)

    # Articles a picker lists before the reader types (most commented first); typing asks the
    # server for matches.  Sending every option put 1,001 options (about 100 KiB of JSON) into
    # every page of a 1,000-article run (measured with tests/bench/dashboard_first_page.py).
    PICKER_LIMIT = 50

    def picker_options(self, value: str | None, search: str | None = None,
                       limit: int | None = None) -> list[dict[str, str]]:
        """Options for an article picker: the ``limit`` most commented articles (or those whose
        label contains ``search``, case-insensitive), plus the chosen article ``value``."""
        limit = self.PICKER_LIMIT if limit is None else limit
        options = self.article_options()
        if search:
            wanted = search.casefold()
            lower = self._cached("article_options_folded", lambda: [o["label"].casefold() + " " + o["value"].casefold()
                                                                     for o in options])
            chosen = [o for o, text in zip(options, lower, strict=True) if wanted in text][:limit]
        else:
            chosen = options[:limit]
        if value is not None and self.has_article(value) and all(o["value"] != value for o in chosen):
            position = self._cached("article_option_index", lambda: {o["value"]: i for i, o in enumerate(options)})
            chosen = [*chosen, options[position[value]]]
        return chosen

    def display_title(self, article_id: str) -> str:
        """The article's title, else its id and the first words of its first comment."""
        titles = self._cached("display_titles", lambda: dict(
            zip(self.grid_table()["article_id"].to_list(), self.grid_table()["display_title"].to_list(), strict=True)))
        return str(titles.get(article_id) or article_id)

    def grid_table(self) -> pl.DataFrame:
        """The corpus table for the grid: faces for untitled articles, dates as text."""

        def build() -> pl.DataFrame:
            table = with_display_title(self.corpus_table(), self.run.comments.select("article_id", "seq", "kind", "text"))
            return table.with_columns(pl.col("published_at").dt.strftime("%Y-%m-%d").alias("published")).drop(
                "published_at")

        return self._cached("grid_table", build)

    # --- comments, participants, time: memoised calls of analyzer.views modules ----------------
    def comment_table(self, article_id: str | None) -> pl.DataFrame:
        """:func:`analyzer.views.comments.comment_table` of one article, or of the run for None.

        One article's table is its part of the run's table, split once per run (the same rows
        and order as the table built from the article's frames alone, tested): building it per
        article cost 4-5 ms of CPU at the first visit of each of 1,001 articles; the whole run's
        table and its split cost about 90 ms once, at start-up (:meth:`warm`).
        """
        if article_id is not None:
            parts = self._cached("comment_table_parts", lambda: {
                key[0]: part for key, part in self.comment_table(None).partition_by(
                    "article_id", as_dict=True, maintain_order=True).items()})
            part = parts.get(article_id)
            return part if part is not None else self.comment_table(None).head(0)

        def build() -> pl.DataFrame:
            run = self.run
            stance = run.frame("stance") if run.has("stance") else None
            quotes = run.frame("quotes") if run.has("quotes") else None
            return cv.comment_table(run.comments, stance, self.links(None), quotes)

        return self._cached(("comment_table", None), build)

    def frame_comment_ids(self, article_id: str | None, frame: str) -> frozenset[tuple[str, str]]:
        """(article, comment) pairs whose text fired ``frame`` (article sentences left out)."""
        if not self.has("frames"):
            return frozenset()

        def build() -> frozenset[tuple[str, str]]:
            frames = self.run.frame("frames") if article_id is None else self.frames(article_id)
            if frames is None:
                return frozenset()
            hits = frames.filter((pl.col("frame") == frame) & (pl.col("doc_id") != schemas.ARTICLE_DOC_ID))
            return frozenset(hits.select("article_id", "doc_id").unique().iter_rows())

        return self._cached(("frame_ids", article_id, frame), build)

    def term_comment_ids(self, article_id: str | None, term: str) -> frozenset[tuple[str, str]] | None:
        """(article, comment) pairs with a token whose lemma is ``term`` (how keyness counts it);
        None when the run has no tokens (the table then matches the word in the text)."""
        if not self.has("tokens"):
            return None

        def build() -> frozenset[tuple[str, str]]:
            tokens = self.run.frame("tokens") if article_id is None else self._part("tokens", article_id, schemas.TOKENS)
            wanted = term.lower()
            hits = tokens.filter((pl.col("doc_id") != schemas.ARTICLE_DOC_ID)
                                 & (pl.col("lemma").fill_null(pl.col("text")).str.to_lowercase() == wanted))
            return frozenset(hits.select("article_id", "doc_id").unique().iter_rows())

        return self._cached(("term_ids", article_id, term), build)

    def quoting_comment_ids(self, article_id: str, sent_idx: int) -> frozenset[tuple[str, str]]:
        """(article, comment) pairs of the comments quoting article sentence ``sent_idx``."""
        quotes = self.quotes(article_id)
        if quotes is None:
            return frozenset()
        hits = quotes.filter(pl.col("article_sent_idx") == sent_idx)
        return frozenset(hits.select("article_id", "comment_id").unique().iter_rows())

    def reply_pairs(self, article_id: str | None) -> pl.DataFrame:
        def build() -> pl.DataFrame:
            if article_id is None:
                run = self.run
                return pv.reply_pairs(run.comments, run.frame("stance") if run.has("stance") else None)
            return pv.reply_pairs(self.comments(article_id), self.stance(article_id))

        return self._cached(("reply_pairs", article_id), build)

    def scope_comments(self, article_id: str | None) -> pl.DataFrame:
        return self.run.comments if article_id is None else self.comments(article_id)

    def scope_stance(self, article_id: str | None) -> pl.DataFrame | None:
        if article_id is None:
            return self.run.frame("stance") if self.has("stance") else None
        return self.stance(article_id)

    def time_bins(self, article_id: str | None, every: tl.Bin | None = None) -> tuple[pl.DataFrame, tl.Bin, int]:
        return self._cached(("time_bins", article_id, every), lambda: tl.time_bins(
            self.scope_comments(article_id), self.scope_stance(article_id), every=every))


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
