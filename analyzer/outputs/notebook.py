"""One reply thread as an object for notebooks: navigate, drill down, render as a compact tree.

A :class:`Thread` wraps one article's rows of a finished run folder (``comments.parquet`` and,
when their stages ran, ``stance.parquet`` and ``links.parquet``).  Every method returns a
polars frame, a plain value, a new :class:`Thread` (a subthread) or a plotly figure; nothing
prints.  In Jupyter a thread renders itself as an indented tree (:meth:`Thread._repr_html_`)
in which untrusted comment text is escaped, ghosts (comments the page lost) are dashed boxes
and deleted placeholders are struck through.

Tree walks are iterative (threads can be thousands deep) and run over the pre-order that
``comments.parquet`` is stored in: a parent always comes before its children.

Example:
    >>> import analyzer
    >>> run = analyzer.read_run("runs/page")  # doctest: +SKIP
    >>> thread = Thread.from_run(run)  # doctest: +SKIP
    >>> chain = thread.disagreement_chain()  # doctest: +SKIP
    >>> thread.subthread(chain["comment_id"][0])  # doctest: +SKIP
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl

from analyzer.core import schemas
from analyzer.core.errors import UsageError

if TYPE_CHECKING:  # plotly is imported only when a figure is asked for
    import plotly.graph_objects as go

    from analyzer.core.run import Run

__all__ = ["Thread", "threads", "VISIBLE"]

# A comment whose text is analysed: kind "comment" with non-empty text (architecture rule).
VISIBLE = pl.col("kind").eq("comment") & pl.col("text").is_not_null() & pl.col("text").str.len_chars().gt(0)

# Control characters and bidi overrides that could garble or reorder the rendered tree.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_HTML_ROWS = 300  # rows shown by _repr_html_ before "… n more" (a notebook cell, not a dump)
_EXCERPT = 240  # characters of comment text shown per row

# Colours of the stance badges (the same ColorBrewer RdBu ends as analyzer.outputs.figures).
_STANCE_BADGE = {"support": "#2166ac", "deny": "#b2182b", "query": "#e08214", "comment": "#8a8a8a"}


def excerpt(text: str | None, limit: int = _EXCERPT) -> str:
    """``text`` shortened, whitespace folded, control characters removed (not escaped)."""
    if not text:
        return ""
    short = _CONTROL.sub("", text[: limit * 4])  # bound the work on 1 MB comments
    short = " ".join(short.split())
    return short if len(short) <= limit else short[: limit - 1].rstrip() + "…"


@dataclass
class Thread:
    """The reply tree of one article with the per-comment results of its run.

    Args:
        article: the article's row of ``articles.parquet`` as a dict.
        nodes: its rows of ``comments.parquet`` (ghosts and placeholders included), pre-order.
        stance: its rows of ``stance.parquet``, or None when the stance stage did not run.
        links: its comment rows of ``links.parquet``, or None when the links stage did not run.
    """

    article: dict[str, Any]
    nodes: pl.DataFrame
    stance: pl.DataFrame | None = None
    links: pl.DataFrame | None = None
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.nodes = self.nodes.sort("seq")
        self._index = {c: i for i, c in enumerate(self.nodes["comment_id"].to_list())}

    # --- construction ------------------------------------------------------------------
    @classmethod
    def from_run(cls, run: Run, article_id: str | None = None) -> Thread:
        """The thread of ``article_id`` (default: the article with the most comments).

        Raises:
            UsageError: the run has no such article (the message lists a few it has).
        """
        articles = run.articles
        if articles.is_empty():
            raise UsageError(f"{run.path}: the run holds no article")
        if article_id is None:
            article_id = str(articles.sort(["n_visible", "article_id"], descending=[True, False],
                                           nulls_last=True)["article_id"][0])
        match = articles.filter(pl.col("article_id") == article_id)
        if match.is_empty():
            known = ", ".join(articles["article_id"].head(5).to_list())
            raise UsageError(f"no article {article_id!r} in {run.path}; it has e.g. {known}")
        nodes = run.comments.filter(pl.col("article_id") == article_id)
        stance = run.frame("stance").filter(pl.col("article_id") == article_id) if run.has("stance") else None
        links = None
        if run.has("links"):
            links = run.frame("links").filter(
                (pl.col("article_id") == article_id) & pl.col("comment_id").is_not_null())
        return cls(match.row(0, named=True), nodes, stance, links)

    # --- plain facts ---------------------------------------------------------------------
    @property
    def article_id(self) -> str:
        return str(self.article["article_id"])

    @property
    def title(self) -> str:
        return str(self.article.get("title") or self.article_id)

    @property
    def comments(self) -> pl.DataFrame:
        """Visible comments (kind "comment" with text), pre-order."""
        return self.nodes.filter(VISIBLE)

    def __len__(self) -> int:
        return self.nodes.height

    def __contains__(self, comment_id: object) -> bool:
        return comment_id in self._index

    def comment(self, comment_id: str) -> dict[str, Any]:
        """The row of one node as a dict; UsageError for unknown ids."""
        return self.nodes.row(self._position(comment_id), named=True)

    def _position(self, comment_id: str) -> int:
        try:
            return self._index[comment_id]
        except KeyError:
            raise UsageError(f"no comment {comment_id!r} in thread {self.article_id!r}") from None

    def _parents(self) -> list[str | None]:
        return self.nodes["parent_id"].to_list()

    def children(self, comment_id: str | None) -> pl.DataFrame:
        """Direct replies to ``comment_id`` (None: the top-level comments), in page order."""
        if comment_id is not None:
            self._position(comment_id)
            return self.nodes.filter(pl.col("parent_id") == comment_id)
        return self.nodes.filter(pl.col("parent_id").is_null())

    def ancestors(self, comment_id: str) -> list[str]:
        """Ids from the top-level comment down to ``comment_id``'s parent."""
        parents = self._parents()
        ids = self.nodes["comment_id"].to_list()
        out: list[str] = []
        parent = parents[self._position(comment_id)]
        # Bounded by the thread size: a cycle (not possible after build_forest) cannot loop forever.
        for _ in range(len(ids)):
            if parent is None or parent not in self._index:
                break
            out.append(parent)
            parent = parents[self._index[parent]]
        return out[::-1]

    def path(self, comment_id: str) -> pl.DataFrame:
        """Rows from the top-level comment down to ``comment_id`` (the reading path)."""
        ids = [*self.ancestors(comment_id), comment_id]
        return self.nodes.filter(pl.col("comment_id").is_in(ids)).sort("seq")

    def subtree_ids(self, comment_id: str) -> list[str]:
        """``comment_id`` and every reply below it, pre-order."""
        start = self._position(comment_id)
        depths = self.nodes["depth"].to_list()
        ids = self.nodes["comment_id"].to_list()
        end = start + 1
        # In pre-order a subtree is the run of following rows deeper than its root.
        while end < len(ids) and depths[end] > depths[start]:
            end += 1
        return ids[start:end]

    def subthread(self, comment_id: str) -> Thread:
        """The subtree under ``comment_id`` as a thread of its own (depths kept as in the page)."""
        keep = self.subtree_ids(comment_id)
        nodes = self.nodes.filter(pl.col("comment_id").is_in(keep))
        nodes = nodes.with_columns(
            pl.when(pl.col("comment_id") == comment_id).then(pl.lit(None, dtype=pl.String))
            .otherwise(pl.col("parent_id")).alias("parent_id"))
        stance = None if self.stance is None else self.stance.filter(pl.col("comment_id").is_in(keep))
        links = None if self.links is None else self.links.filter(pl.col("comment_id").is_in(keep))
        return Thread(self.article, nodes, stance, links)

    def subtree_sizes(self) -> pl.DataFrame:
        """``comment_id``, ``size``: nodes in each subtree, the node itself included."""
        ids = self.nodes["comment_id"].to_list()
        parents = self._parents()
        sizes = [1] * len(ids)
        for i in range(len(ids) - 1, -1, -1):  # children come after parents in pre-order
            parent = parents[i]
            if parent is not None and parent in self._index:
                sizes[self._index[parent]] += sizes[i]
        return pl.DataFrame({"comment_id": ids, "size": sizes}, schema={"comment_id": pl.String, "size": pl.Int64})

    # --- drill-down helpers --------------------------------------------------------------
    def with_stance(self) -> pl.DataFrame:
        """Nodes with ``stance_parent`` and ``stance_article`` (null columns when stance did not run)."""
        if self.stance is None or self.stance.is_empty():
            return self.nodes.with_columns(
                pl.lit(None, dtype=pl.String).alias("stance_parent"),
                pl.lit(None, dtype=pl.String).alias("stance_article"))
        return self.nodes.join(self.stance.select("comment_id", "stance_parent", "stance_article"),
                               on="comment_id", how="left", maintain_order="left")

    def deepest_chain(self) -> pl.DataFrame:
        """The reading path to the deepest visible comment (first in page order on ties)."""
        visible = self.comments
        if visible.is_empty():
            return self.nodes.head(0)
        deepest = visible.sort(["depth", "seq"], descending=[True, False])["comment_id"][0]
        return self.path(deepest)

    def disagreement_chain(self) -> pl.DataFrame:
        """The longest run of replies that each deny their parent, with the comment that started it.

        Each row's ``stance_parent`` is "deny" except the first (the comment disagreed with).
        Empty when the stance stage did not run or no reply denies its parent.  Ties go to
        the chain that comes first in the page.
        """
        rows = self.with_stance()
        if rows.is_empty() or rows["stance_parent"].null_count() == rows.height:
            return rows.head(0)
        ids = rows["comment_id"].to_list()
        parents = rows["parent_id"].to_list()
        stance = rows["stance_parent"].to_list()
        run_length = [0] * len(ids)
        for i, parent in enumerate(parents):  # pre-order: the parent's run is already known
            if parent is not None and parent in self._index and stance[i] == "deny":
                run_length[i] = run_length[self._index[parent]] + 1
        best = max(range(len(ids)), key=lambda i: (run_length[i], -i))
        if run_length[best] == 0:
            return rows.head(0)
        chain = [ids[best]]
        node = best
        for _ in range(run_length[best]):
            parent = parents[node]
            assert parent is not None  # run_length > 0 implies a parent
            chain.append(parent)
            node = self._index[parent]
        return rows.filter(pl.col("comment_id").is_in(chain)).sort("seq")

    def obfuscated_links(self) -> pl.DataFrame:
        """Links written in a disguised form (hxxp, [.], …), with the comment that wrote them."""
        if self.links is None or self.links.is_empty():
            return pl.DataFrame(schema={"comment_id": pl.String, "url": pl.String, "url_normalised": pl.String,
                                        "obfuscation": pl.String, "depth": pl.Int32, "text": pl.String})
        hits = self.links.filter(pl.col("obfuscation").is_not_null())
        return hits.select("comment_id", "url", "url_normalised", "obfuscation").join(
            self.nodes.select("comment_id", "depth", "text", "seq"), on="comment_id", how="left",
            maintain_order="left").sort("seq").drop("seq")

    # --- figures -------------------------------------------------------------------------
    def icicle_nodes(self, *, max_nodes: int = 3000) -> pl.DataFrame:
        """The input of :func:`analyzer.outputs.figures.thread_icicle`: the first ``max_nodes`` nodes in page order.

        Pre-order keeps every drawn node's parent drawn; values stay whole-subtree sizes, so
        the nodes left out still take their share of space.
        """
        from analyzer.outputs.figures import GHOST_COLOUR, STANCE_COLOURS, UNKNOWN_COLOUR, plot_text

        rows = self.with_stance().head(max_nodes).join(self.subtree_sizes(), on="comment_id", how="left",
                                                       maintain_order="left")
        colours = []
        hovers = []
        for row in rows.iter_rows(named=True):
            if row["is_ghost"]:
                colours.append(GHOST_COLOUR)
                hovers.append("missing comment (ghost)")
                continue
            label = row["stance_article"]
            colours.append(STANCE_COLOURS.get(label, UNKNOWN_COLOUR) if label else UNKNOWN_COLOUR)
            who = plot_text(row["author"] or "anonymous", 40)
            tag = f" · {label}" if label else ""
            hovers.append(f"{who}{tag} · depth {row['depth']}<br>{plot_text(row['text'], 160)}")
        return pl.DataFrame({
            "comment_id": rows["comment_id"], "parent_id": rows["parent_id"], "value": rows["size"],
            "colour": pl.Series(colours, dtype=pl.String), "is_ghost": rows["is_ghost"],
            "hover": pl.Series(hovers, dtype=pl.String),
        })

    def figure(self, *, max_nodes: int = 3000) -> go.Figure:
        """The thread as an icicle (article left, replies right), coloured by stance when known."""
        from analyzer.outputs.figures import thread_icicle

        return thread_icicle(self.icicle_nodes(max_nodes=max_nodes), root_label=self.title)

    # --- rendering -----------------------------------------------------------------------
    def to_html(self, *, max_rows: int = _HTML_ROWS) -> str:
        """The tree as an HTML fragment: one indented row per node, untrusted text escaped."""
        rows = self.with_stance()
        n_links: dict[str, int] = {}
        obfuscated: set[str] = set()
        if self.links is not None and not self.links.is_empty():
            counts = self.links.group_by("comment_id").agg(
                pl.len().alias("n"), pl.col("obfuscation").is_not_null().any().alias("obf"))
            n_links = dict(zip(counts["comment_id"].to_list(), counts["n"].to_list(), strict=True))
            obfuscated = set(counts.filter(pl.col("obf"))["comment_id"].to_list())
        counts_text = (f"{self.comments.height} visible · {int(self.nodes['is_ghost'].sum())} ghosts · "
                       f"max depth {max(self.nodes['depth'].drop_nulls().to_list(), default=0)}")
        parts = [
            '<div class="analyzer-thread" style="font:13px/1.4 system-ui,sans-serif;max-width:60em">',
            f"<div style=\"font-weight:600;margin-bottom:.3em\">{html.escape(excerpt(self.title, 160))}</div>",
            f'<div style="color:#666;margin-bottom:.5em">{html.escape(self.article_id)} · {counts_text}</div>',
        ]
        for row in rows.head(max_rows).iter_rows(named=True):
            parts.append(_row_html(row, n_links.get(row["comment_id"], 0), row["comment_id"] in obfuscated))
        if rows.height > max_rows:
            parts.append(f'<div style="color:#666">… {rows.height - max_rows} more nodes '
                         f"(use .subthread(id) or .nodes)</div>")
        parts.append("</div>")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return f"Thread({self.article_id!r}, {self.nodes.height} nodes, {self.comments.height} visible)"


def _row_html(row: dict[str, Any], n_links: int, obfuscated: bool) -> str:
    """One node of the rendered tree; every value from the page is escaped."""
    indent = 1.2 * max(int(row["depth"] or 1) - 1, 0)
    base = f"margin-left:{indent:.1f}em;padding:2px 6px;margin-top:2px;border-left:3px solid #ccc"
    ident = html.escape(str(row["comment_id"]))
    if row["is_ghost"]:
        return (f'<div style="{base};border:1px dashed #999;color:#888;font-style:italic" '
                f'title="{ident}">missing comment (ghost: the page skipped this level)</div>')
    if row["kind"] != "comment":
        label = {"deleted": "deleted", "removed": "removed by moderation", "more": "more replies not loaded"}
        what = label.get(str(row["kind"]), str(row["kind"]))
        hidden = f" ({row['n_hidden']} hidden)" if row.get("n_hidden") else ""
        return (f'<div style="{base};color:#888;text-decoration:line-through" title="{ident}">'
                f"[{html.escape(what)}{html.escape(hidden)}]</div>")
    badges = []
    stance = row.get("stance_parent")
    if stance:
        colour = _STANCE_BADGE.get(stance, "#8a8a8a")
        badges.append(f'<span style="color:#fff;background:{colour};border-radius:3px;padding:0 4px;'
                      f'font-size:11px">{html.escape(str(stance))}</span>')
    if n_links:
        flag = " obfuscated" if obfuscated else ""
        colour = "#b2182b" if obfuscated else "#5e3c99"
        badges.append(f'<span style="color:{colour};font-size:11px">{n_links} link{"s" if n_links > 1 else ""}{flag}</span>')
    author = html.escape(excerpt(row["author"], 40) or "anonymous")
    text = html.escape(excerpt(row["text"]))
    return (f'<div style="{base}" title="{ident}"><b>{author}</b> <span style="color:#999">{ident}</span> '
            f'{" ".join(badges)}<br>{text}</div>')


def threads(run: Run, article_ids: Iterable[str] | None = None) -> list[Thread]:
    """Threads of a run (all articles, or the ones named), most commented first."""
    articles = run.articles.sort(["n_visible", "article_id"], descending=[True, False], nulls_last=True)
    wanted = list(article_ids) if article_ids is not None else articles["article_id"].to_list()
    return [Thread.from_run(run, a) for a in wanted]


def empty_thread(article_id: str = "empty") -> Thread:
    """A thread without comments (useful in tests and as a placeholder)."""
    return Thread({"article_id": article_id, "title": None}, schemas.empty(schemas.COMMENTS))
