"""Comments as people read them: a filterable table, the forum-style conversation, marked text.

Every number on a page stands for some comments; these functions find them.  They take one
thread's frames (or a whole run's) and return frames or small value objects, never read files
and never cache, so the dashboard, the report and a notebook get the same rows for the same
filter.

* :func:`comment_table`: one row per comment node (ghosts left out) with its stance labels,
  link count and domains, whether it quotes something, and the parent's author;
* :class:`CommentFilter` and :func:`filter_comments`: the filters behind "deny 12 %" or "depth 3"
  (stance, depth, author, domain, has-link, deleted, frame, term, free text) and a sort;
* :func:`conversation_rows`: the thread in forum order with collapsed branches left out, and
  :func:`page_of` to find the page that shows a given comment;
* :func:`cue_spans` and :func:`text_segments`: the stance cues (from the evidence JSON), quoted
  passages and links of one comment as marks on its text, for highlighting instead of JSON;
* :func:`csv_safe`: a table as CSV that a spreadsheet will not execute.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import polars as pl

TABLE = pl.Schema({  # type: ignore[arg-type]  # a dict literal of dtypes
    "article_id": pl.String, "comment_id": pl.String, "parent_id": pl.String, "seq": pl.Int64, "depth": pl.Int32,
    "kind": pl.String, "is_deleted": pl.Boolean, "author": pl.String, "parent_author": pl.String,
    "created_at": pl.Datetime("us", "UTC"), "text": pl.String, "stance_article": pl.String,
    "stance_parent": pl.String, "n_links": pl.UInt32, "domains": pl.List(pl.String), "has_quote": pl.Boolean,
    "n_replies": pl.UInt32, "votes_up": pl.Int64, "votes_down": pl.Int64,
})
SORTS = ("seq", "created_at", "depth", "n_replies", "n_links", "author", "votes_up")
# Placeholder kinds a table shows when asked for deleted comments.
DELETED_KINDS = ("deleted", "removed")
Mark = Literal["cue", "quote", "link", "hit"]


def comment_table(comments: pl.DataFrame, stance: pl.DataFrame | None = None, links: pl.DataFrame | None = None,
                  quotes: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per comment node of ``comments`` (ghosts left out) with the facts filters need.

    Args:
        comments: COMMENTS rows (one thread or many) in pre-order.
        stance: STANCE rows of the same comments, or None (stance columns stay null).
        links: LINKS rows with a ``domain`` column (as :meth:`RunView.links` gives), or None.
        quotes: QUOTES rows, or None.
    """
    keys = ["article_id", "comment_id"]
    nodes = comments.filter(~pl.col("is_ghost"))
    for name in ("votes_up", "votes_down"):  # frames built by hand before run version 3 lack them
        if name not in nodes.columns:
            nodes = nodes.with_columns(pl.lit(None, pl.Int64).alias(name))
    parents = comments.select("article_id", pl.col("comment_id").alias("parent_id"),
                              pl.col("author").alias("parent_author"))
    replies = (comments.drop_nulls("parent_id").group_by("article_id", "parent_id").len("n_replies")
               .rename({"parent_id": "comment_id"}))
    table = (nodes.select("article_id", "comment_id", "parent_id", "seq", "depth", "kind", "is_deleted", "author",
                          "created_at", "text", "votes_up", "votes_down")
             .join(parents, on=["article_id", "parent_id"], how="left", maintain_order="left")
             .join(replies, on=keys, how="left", maintain_order="left"))
    if stance is not None and not stance.is_empty():
        table = table.join(stance.select(*keys, "stance_article", "stance_parent"), on=keys, how="left",
                           maintain_order="left")
    else:
        table = table.with_columns(pl.lit(None, pl.String).alias("stance_article"),
                                   pl.lit(None, pl.String).alias("stance_parent"))
    if links is not None and not links.is_empty():
        per = (links.filter(pl.col("comment_id").is_not_null()).group_by(keys)
               .agg(pl.len().alias("n_links"), pl.col("domain").drop_nulls().unique().sort().alias("domains")))
        table = table.join(per, on=keys, how="left", maintain_order="left")
    else:
        table = table.with_columns(pl.lit(None, pl.UInt32).alias("n_links"),
                                   pl.lit(None, pl.List(pl.String)).alias("domains"))
    if quotes is not None and not quotes.is_empty():
        quoting = quotes.select(keys).unique().with_columns(pl.lit(True).alias("has_quote"))
        table = table.join(quoting, on=keys, how="left", maintain_order="left")
    else:
        table = table.with_columns(pl.lit(None, pl.Boolean).alias("has_quote"))
    return table.with_columns(
        pl.col("n_links").fill_null(0).cast(pl.UInt32), pl.col("n_replies").fill_null(0).cast(pl.UInt32),
        pl.col("has_quote").fill_null(False), pl.col("domains").fill_null([]),
    ).select(list(TABLE)).cast(dict(TABLE))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class CommentFilter:
    """What a click on a number asks for; None or empty = no restriction.

    ``stance`` is a label of ``stance_column`` ("stance_article" or "stance_parent");
    ``frame`` needs the comment ids the framing stage saw the frame in (``frame_ids``), and
    ``term`` is matched as a case-insensitive word in the text.
    """

    stance: str | None = None
    stance_column: str = "stance_article"
    depth: int | None = None
    author: str | None = None
    domain: str | None = None
    has_link: bool | None = None
    deleted: bool | None = None
    term: str | None = None
    search: str | None = None
    sort: str = "seq"
    descending: bool = False
    frame_ids: frozenset[tuple[str, str]] | None = field(default=None)
    term_ids: frozenset[tuple[str, str]] | None = None  # comments whose lemmas hold ``term`` (else text match)
    quote_ids: frozenset[tuple[str, str]] | None = None  # comments quoting a chosen article sentence
    since: datetime | None = None  # created at or after (a time bin's start)
    until: datetime | None = None  # created before (the next bin's start)
    # Comments chosen elsewhere (a campaign, a co-sharing pair, a comment label), and what they are in words.
    ids: frozenset[tuple[str, str]] | None = None
    ids_note: str | None = None

    def describe(self) -> str:
        """The filter in words ("stance toward the article = deny, depth 3"), for page headings."""
        parts = []
        if self.stance:
            target = "the parent" if self.stance_column == "stance_parent" else "the article"
            parts.append(f"stance toward {target} = {self.stance}")
        if self.depth is not None:
            parts.append(f"depth {self.depth}")
        if self.author:
            parts.append(f"author {self.author}")
        if self.domain:
            parts.append(f"links to {self.domain}")
        if self.has_link is not None:
            parts.append("with a link" if self.has_link else "without links")
        if self.deleted is not None:
            parts.append("deleted or removed" if self.deleted else "not deleted")
        if self.term:
            parts.append(f"using “{self.term}”" + (" (any form)" if self.term_ids is not None else ""))
        if self.frame_ids is not None:
            parts.append("in the chosen frame")
        if self.quote_ids is not None:
            parts.append("quoting the chosen article sentence")
        if self.since is not None or self.until is not None:
            start = self.since.strftime("%d %b %Y %H:%M") if self.since else "the start"
            end = self.until.strftime("%d %b %Y %H:%M") if self.until else "the end"
            parts.append(f"written from {start} to {end} UTC")
        if self.ids is not None:
            parts.append(self.ids_note or "among the chosen comments")
        if self.search:
            parts.append(f"containing “{self.search}”")
        return ", ".join(parts) or "all comments"


_META = frozenset("\\.+*?()|[]{}^$#&-~")


def _word(term: str) -> str:
    """A regex matching ``term`` as a whole word, case-insensitively (regex characters escaped)."""
    escaped = "".join("\\" + ch if ch in _META else ch for ch in term)
    return rf"(?i)(^|\W){escaped}($|\W)"


def filter_comments(table: pl.DataFrame, flt: CommentFilter) -> pl.DataFrame:
    """Rows of :func:`comment_table` that pass ``flt``, sorted as it says.

    Example:
        >>> t = pl.DataFrame({"seq": [0, 1], "text": ["Nein, falsch.", "Ja"], "author": ["A", "B"], "depth": [1, 2]})
        >>> filter_comments(t, CommentFilter(search="FALSCH"))["seq"].to_list()
        [0]
    """
    conditions: list[pl.Expr] = []
    if flt.stance and flt.stance_column in table.columns:
        conditions.append(pl.col(flt.stance_column) == flt.stance)
    if flt.depth is not None:
        conditions.append(pl.col("depth") == flt.depth)
    if flt.author:
        conditions.append(pl.col("author") == flt.author)
    if flt.domain:
        conditions.append(pl.col("domains").list.contains(flt.domain))
    if flt.has_link is not None:
        conditions.append((pl.col("n_links") > 0) == flt.has_link)
    if flt.deleted is not None:
        conditions.append(pl.col("kind").is_in(DELETED_KINDS) == flt.deleted)
    if flt.term and flt.term_ids is None:
        conditions.append(pl.col("text").fill_null("").str.contains(_word(flt.term)))
    if flt.search:
        needle = flt.search[:200].lower()
        conditions.append(pl.col("text").fill_null("").str.to_lowercase().str.contains(needle, literal=True)
                          | pl.col("author").fill_null("").str.to_lowercase().str.contains(needle, literal=True))
    if flt.since is not None:
        conditions.append(pl.col("created_at") >= flt.since)
    if flt.until is not None:
        conditions.append(pl.col("created_at") < flt.until)
    for wanted in (flt.frame_ids, flt.term_ids, flt.quote_ids, flt.ids):
        if wanted is not None:
            keys = pl.DataFrame(list(wanted), schema={"article_id": pl.String, "comment_id": pl.String},
                                orient="row")
            table = table.join(keys, on=["article_id", "comment_id"], how="semi", maintain_order="left")
    out = table.filter(*conditions) if conditions else table
    key = flt.sort if flt.sort in SORTS and flt.sort in out.columns else "seq"
    by = [key, "seq"] if key != "seq" and "seq" in out.columns else [key]
    if "article_id" in out.columns and key == "seq":
        by = ["article_id", "seq"]
    return out.sort(by, descending=[flt.descending] + [False] * (len(by) - 1), nulls_last=True,
                    maintain_order=True)


# --- the conversation ------------------------------------------------------------------------
def conversation_rows(table: pl.DataFrame, collapsed: Iterable[str] = ()) -> pl.DataFrame:
    """The thread in forum order, the replies below a collapsed comment left out.

    ``table`` is :func:`comment_table` of one thread (pre-order).  The comments that are
    collapsed stay (with their ``n_replies``), so the reader sees what was folded.
    """
    folded = set(collapsed)
    if not folded or table.is_empty():
        return table
    ids = table["comment_id"].to_list()
    depths = table["depth"].to_list()
    keep = [True] * len(ids)
    hide_below: int | None = None
    for i, (cid, depth) in enumerate(zip(ids, depths, strict=True)):
        if hide_below is not None and depth > hide_below:
            keep[i] = False
            continue
        hide_below = depth if cid in folded else None
    return table.filter(pl.Series(keep))


def page_of(rows: pl.DataFrame, comment_id: str | None, page_size: int) -> int | None:
    """The 0-based page of ``rows`` that shows ``comment_id`` (None when it is not shown)."""
    if comment_id is None or rows.is_empty():
        return None
    hits = rows.with_row_index("_i").filter(pl.col("comment_id") == comment_id)["_i"]
    return None if hits.is_empty() else int(hits[0]) // max(1, page_size)


def ancestors(comments: pl.DataFrame, comment_id: str) -> list[str]:
    """Ids from ``comment_id``'s parent up to the top-level comment (for expanding a branch)."""
    parent_of = dict(zip(comments["comment_id"].to_list(), comments["parent_id"].to_list(), strict=True))
    out: list[str] = []
    node = parent_of.get(comment_id)
    while node is not None and node not in out and len(out) < 100_000:
        out.append(node)
        node = parent_of.get(node)
    return out


# --- marks on a comment's text -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Span:
    """A marked stretch of a comment's text: ``mark`` says what, ``note`` says why."""

    start: int
    end: int
    mark: Mark
    note: str = ""


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text with the marks that cover it (none = plain)."""

    text: str
    marks: tuple[Mark, ...] = ()
    notes: tuple[str, ...] = ()


def cue_spans(evidence: str | None, text: str) -> list[Span]:
    """The stance cues recorded in ``evidence`` as spans of ``text``.

    The stance stage records each cue with ``start``/``end`` in the text it judged (the text,
    or the comment's own words with quotations blanked: ``span_base``) and the matched words in
    ``text``.  A span is kept when ``text[start:end]`` still reads as the cue; otherwise the
    cue's words are looked up in ``text`` (first occurrence), so a shifted base never marks
    the wrong words.  Malformed evidence yields no spans (never raises).

    Example:
        >>> ev = '{"cues": [{"cue": "neg", "label": "deny", "target": "parent", "start": 0, "end": 4, "text": "Nein"}]}'
        >>> [(s.start, s.end, s.note) for s in cue_spans(ev, "Nein, das stimmt nicht.")]
        [(0, 4, 'deny cue toward the parent (neg)')]
    """
    if not evidence:
        return []
    try:
        parsed = json.loads(evidence)
    except (ValueError, TypeError):
        return []
    cues = parsed.get("cues") if isinstance(parsed, dict) else None
    if not isinstance(cues, list):
        return []
    spans: list[Span] = []
    lowered = text.lower()
    for cue in cues[:200]:
        if not isinstance(cue, dict):
            continue
        words = cue.get("text") if isinstance(cue.get("text"), str) else ""
        start, end = cue.get("start"), cue.get("end")
        span = cue.get("span")
        if start is None and isinstance(span, list) and len(span) == 2:
            start, end = span
        label = str(cue.get("label") or "")
        target = str(cue.get("target") or "")
        negated = " (negated)" if cue.get("negated") else ""
        note = (f"{label} cue" + (f" toward the {target}" if target else "") + f" ({cue.get('cue') or '?'})"
                + negated).strip()
        ok = (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
              and (not words or text[start:end].lower() == words.lower()))
        if not ok and words:
            found = lowered.find(words.lower())
            start, end = (found, found + len(words)) if found >= 0 else (None, None)
            ok = start is not None
        if ok and isinstance(start, int) and isinstance(end, int):
            spans.append(Span(start, end, "cue", note))
    return spans


def search_spans(text: str, needle: str | None, limit: int = 50) -> list[Span]:
    """Every case-insensitive occurrence of ``needle`` in ``text`` (search hits)."""
    if not needle:
        return []
    spans: list[Span] = []
    low, sought = text.lower(), needle.lower()
    start = low.find(sought)
    while start >= 0 and len(spans) < limit:
        spans.append(Span(start, start + len(sought), "hit", "search hit"))
        start = low.find(sought, start + max(1, len(sought)))
    return spans


def text_segments(text: str, spans: Sequence[Span], *, limit: int | None = None) -> list[Segment]:
    """Cut ``text`` at span borders; each piece carries the marks of every span covering it.

    Example:
        >>> [(s.text, s.marks) for s in text_segments("abcdef", [Span(1, 3, "cue"), Span(2, 5, "quote")])]
        [('a', ()), ('b', ('cue',)), ('c', ('cue', 'quote')), ('de', ('quote',)), ('f', ())]
    """
    n = len(text) if limit is None else min(len(text), limit)
    valid = [s for s in spans if 0 <= s.start < s.end and s.start < n]
    cuts = sorted({0, n, *(s.start for s in valid), *(min(s.end, n) for s in valid)})
    out: list[Segment] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        if right <= left:
            continue
        covering = [s for s in valid if s.start <= left and s.end >= right]
        marks = tuple(dict.fromkeys(s.mark for s in covering))
        notes = tuple(dict.fromkeys(s.note for s in covering if s.note))
        out.append(Segment(text[left:right], marks, notes))
    return out


def link_spans(links: pl.DataFrame | None, comment_id: str, text: str) -> list[Span]:
    """Links written in ``text`` as spans noting their domain (and a disguised spelling).

    A span is trusted only where the text there is the URL as written; otherwise the URL is
    looked up in the text, and a link whose URL the text does not contain is not marked (a
    stale offset must never cut a passage of the comment in two).
    """
    if links is None or links.is_empty():
        return []
    spans: list[Span] = []
    columns = ["start_char", "end_char", "domain", "obfuscation", "url"]
    rows = links.filter(pl.col("comment_id") == comment_id).select([c for c in columns if c in links.columns])
    for row in rows.iter_rows(named=True):
        start, end, url = row.get("start_char"), row.get("end_char"), row.get("url")
        if not isinstance(url, str) or not url:
            continue
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)
                and text[start:end] == url):
            found = text.find(url)
            if found < 0:
                continue
            start, end = found, found + len(url)
        obfuscation = row.get("obfuscation")
        note = f"link to {row.get('domain') or '?'}" + (f", written disguised ({obfuscation})" if obfuscation else "")
        spans.append(Span(start, end, "link", note))
    return spans


def quote_spans(quotes: pl.DataFrame | None, comment_id: str, text: str) -> list[Span]:
    """Quoted passages of one comment (from the article or the parent) as spans."""
    if quotes is None or quotes.is_empty():
        return []
    spans: list[Span] = []
    rows = quotes.filter(pl.col("comment_id") == comment_id).select("start_char", "end_char", "method",
                                                                     "article_sent_idx")
    for start, end, method, sent in rows.iter_rows():
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            source = f"article sentence {sent}" if sent is not None else "the parent comment"
            spans.append(Span(start, end, "quote", f"quoted from {source} ({method})"))
    return spans


# --- export ------------------------------------------------------------------------------------
EXPORT_COLUMNS = ("article_id", "comment_id", "parent_id", "depth", "author", "parent_author", "created_at",
                  "kind", "stance_article", "stance_parent", "n_links", "domains", "n_replies", "votes_up",
                  "votes_down", "text")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(table: pl.DataFrame) -> str:
    """``table`` as CSV in which no cell starts a spreadsheet formula.

    Comment text is untrusted: a cell beginning with ``=``, ``+``, ``-``, ``@`` (or a tab or
    carriage return) is prefixed with an apostrophe, as OWASP's CSV-injection advice says.

    Example:
        >>> csv_safe(pl.DataFrame({"text": ["=HYPERLINK(1)", "ok"]})).splitlines()
        ['text', "'=HYPERLINK(1)", 'ok']
    """
    columns = [c for c in EXPORT_COLUMNS if c in table.columns] or table.columns
    out = table.select(columns)
    if "domains" in out.columns:
        out = out.with_columns(pl.col("domains").list.join(" "))
    strings = [c for c, t in out.schema.items() if t == pl.String]
    out = out.with_columns([
        pl.when(pl.any_horizontal([pl.col(c).str.starts_with(p) for p in _FORMULA_START]))
        .then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c) for c in strings])
    return out.write_csv()


def row_dicts(table: pl.DataFrame, *, text_chars: int = 300) -> list[dict[str, Any]]:
    """Rows for a grid: text cut to ``text_chars``, times as ISO strings, domains joined."""
    if table.is_empty():
        return []
    return table.select(
        "article_id", "comment_id", "depth", "author", "parent_author",
        pl.col("created_at").dt.strftime("%Y-%m-%d %H:%M").alias("created_at"), "kind", "stance_article",
        "stance_parent", "n_links", pl.col("domains").list.join(" ").alias("domains"), "n_replies",
        "votes_up", "votes_down", pl.col("text").fill_null("").str.slice(0, text_chars).alias("text"),
    ).to_dicts()
