"""The thread as a forum shows it: indented, collapsible, paged; and one comment with its
parent, its replies and the words behind its stance.

Rows come from :mod:`analyzer.views.comments`; this module only turns them into components.
Text stays text: marks (stance cues, quotations, links, search hits) are ``<mark>``/``<span>``
elements around plain strings, and a link is never an ``<a>`` here: it is shown as written
with its domain beside it, so a disguised link (``hxxp``, ``[.]``) cannot be clicked.

Paging instead of a virtual list: a page of :data:`PAGE_SIZE` rows is a few hundred DOM
nodes, so 5,000 comments cost the same as 100 in the browser; the page that holds a chosen
comment is found on the server (:func:`analyzer.views.comments.page_of`).
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import polars as pl
from dash import html

from analyzer.outputs.figures import STANCE_COLOURS, UNKNOWN_COLOUR
from analyzer.views import comments as cv
from analyzer.views import labels as lv
from dashboards import ids
from dashboards.components import el, notice, plain, user_text
from dashboards.data import RunData

PAGE_SIZE = 100
ROW_TEXT_CHARS = 700  # longer comments are cut in the list (the panel shows them whole)
DETAIL_TEXT_CHARS = 20_000
MAX_INDENT = 12  # deeper replies are indented like depth 12 and carry their depth number
INDENT_PX = 18
MARK_CLASSES = {"cue": "mk-cue", "quote": "mk-quote", "link": "mk-link", "hit": "mk-hit"}
REASONS = {
    "only-quotation": "the comment only quotes others, so there are no own words to judge",
    "only-links": "the comment is only links",
    "no-words": "the comment has no words",
}


def stance_chip(label: str | None, *, toward: str = "article") -> html.Span:
    colour = STANCE_COLOURS.get(label or "", UNKNOWN_COLOUR)
    return html.Span(label or "no label", className="chip", title=f"stance toward the {toward}",
                     style={"borderColor": colour, "background": colour + "33" if label else "#f3f3f3"})


def votes_text(up: int | None, down: int | None) -> str:
    """Reader votes as shown beside a comment: "▲ 12 ▼ 3", "▲ 12" (no down-votes in the
    source), "" when the source has no votes.

    Example:
        >>> votes_text(12, 3), votes_text(-2, None), votes_text(None, None)
        ('▲ 12 ▼ 3', '▲ -2', '')
    """
    if up is None and down is None:
        return ""
    return " ".join(p for p in (f"▲ {up}" if up is not None else "", f"▼ {down}" if down is not None else "") if p)


VOTES_TITLE = "reader votes as the source gives them (▲ up-votes or score, ▼ down-votes)"


def when(value: Any) -> str:
    return value.strftime("%d %b %Y %H:%M") if value is not None else ""


def marked(text: str, spans: list[cv.Span], *, limit: int | None = None, say_cut: bool = True) -> list[Any]:
    """``text`` with its marks as components; a link mark is followed by its domain.

    Text beyond ``limit`` is left out, with a short note at the end unless ``say_cut`` is False
    (the caller says it elsewhere)."""
    out: list[Any] = []
    segments = cv.text_segments(text, spans, limit=limit)
    for i, seg in enumerate(segments):
        if not seg.marks:
            out.append(seg.text)
            continue
        classes = " ".join(MARK_CLASSES[m] for m in seg.marks)
        out.append(html.Mark(seg.text, className=classes, title="; ".join(seg.notes) or None))
        after = segments[i + 1] if i + 1 < len(segments) else None
        if "link" in seg.marks and (after is None or "link" not in after.marks):
            domains = [n.removeprefix("link to ") for n in seg.notes if n.startswith("link to ")]
            if domains:
                out.append(html.Span(f" ⟨{domains[0]}⟩", className="link-domain"))
    if say_cut and limit is not None and len(text) > limit:
        out.append(html.Span(f" … ({len(text) - limit:,} more characters)", className="help"))
    return out


def comment_spans(data: RunData, article_id: str, comment_id: str, text: str, *,
                  search: str | None = None, cues: bool = True) -> list[cv.Span]:
    spans = cv.quote_spans(data.quotes(article_id), comment_id, text)
    links = data.links(article_id)
    if links is not None:
        # One split of the thread's links by comment, instead of a filter per row.
        by_comment = data.rendered(("links_by_comment", article_id), lambda: {
            key[0]: part for key, part in links.partition_by("comment_id", as_dict=True).items()})
        spans += cv.link_spans(by_comment.get(comment_id), comment_id, text)
    if cues:
        row = data.stance_of(article_id, comment_id)
        spans += cv.cue_spans(row.get("evidence") if row else None, text)
    spans += cv.search_spans(text, search)
    return spans


def row(data: RunData, article_id: str, item: dict[str, Any], *, selected: str | None, collapsed: set[str],
        search: str | None) -> dict[str, Any]:
    """One comment of the conversation list, as plain data (:func:`~dashboards.components.el`)."""
    cid = item["comment_id"]
    depth = int(item["depth"] or 1)
    text = item["text"] or ""
    n_replies = int(item["n_replies"] or 0)
    head: list[Any] = []
    if n_replies:
        folded = cid in collapsed
        head.append(el("Button", ("▸ " if folded else "▾ ") + f"{n_replies}", id={"type": ids.CONV_TOGGLE, "id": cid},
                       className="conv-toggle", title=("show" if folded else "hide") +
                       f" the {n_replies} direct repl{'y' if n_replies == 1 else 'ies'} and their branches",
                       n_clicks=0))
    else:
        head.append(el("Span", className="conv-toggle-space"))
    # Untrusted names bidi-isolated, as components.user_text does.
    who = el("Bdi", item["author"] or "", className="author") if item["author"] else el("I", "anonymous")
    head += [who, el("Span", when(item["created_at"]), className="conv-time")]
    if item["kind"] == "comment":
        head.append(_chip_data(item["stance_article"]))
    else:
        head.append(el("Span", item["kind"], className="chip chip-placeholder"))
    votes = votes_text(item.get("votes_up"), item.get("votes_down"))
    if votes:
        head.append(el("Span", votes, className="conv-votes", title=VOTES_TITLE))
    if depth > MAX_INDENT:
        head.append(el("Span", f"depth {depth}", className="conv-depth"))
    if item.get("parent_author"):
        head.append(el("Span", ["↩ ", el("Bdi", item["parent_author"])], className="conv-reply-to"))
    body = plain(marked(text, comment_spans(data, article_id, cid, text, search=search, cues=False) if text else [],
                        limit=ROW_TEXT_CHARS)) if text else [el("I", f"({item['kind']})")]
    classes = "conv-row" + (" conv-selected" if cid == selected else "")
    return el("Div", [
        el("Div", head, className="conv-head"),
        el("Div", body, id={"type": ids.CONV_OPEN, "id": cid}, className="conv-text", dir="auto", n_clicks=0,
           title="open this comment with its parent and replies"),
    ], className=classes, style={"marginLeft": f"{INDENT_PX * (min(depth, MAX_INDENT) - 1)}px"})


@functools.lru_cache(maxsize=64)
def _chip_data(label: str | None) -> dict[str, Any]:
    """:func:`stance_chip` as plain data; one shared (never changed) value per label."""
    return plain(stance_chip(label))  # type: ignore[no-any-return]


def mark_selected(rows: list[Any], selected: str | None) -> list[Any]:
    """``rows`` (of :func:`listing`, as components or as :func:`~dashboards.components.plain`
    data) with the row of comment ``selected`` marked, on a copy of that one row; the list and
    the other rows are shared with the caller's (kept) rows."""
    if selected is None:
        return rows
    out = list(rows)
    for i, item in enumerate(rows):
        if isinstance(item, dict):  # plain data: {"type", "namespace", "props": {...}}
            props = item.get("props") or {}
            children = props.get("children")
            text = children[1] if isinstance(children, list) and len(children) > 1 else None
            ident = (text.get("props") or {}).get("id") if isinstance(text, dict) else None
            if isinstance(ident, dict) and ident.get("id") == selected:
                out[i] = {**item, "props": {**props, "className": f"{props.get('className')} conv-selected"}}
                break
            continue
        children = getattr(item, "children", None)
        text = children[1] if isinstance(children, list) and len(children) > 1 else None
        ident = getattr(text, "id", None)
        if isinstance(ident, dict) and ident.get("id") == selected:
            marked = copy.copy(item)
            marked.className = f"{item.className} conv-selected"
            out[i] = marked
            break
    return out


def rows_for(data: RunData, article_id: str, collapsed: set[str], search: str | None) -> pl.DataFrame:
    """The rows the list shows: the collapsed branches left out, or the search matches."""
    table = data.comment_table(article_id)
    if search:
        return cv.filter_comments(table, cv.CommentFilter(search=search))
    return cv.conversation_rows(table, collapsed)


def listing(data: RunData, article_id: str, page: int, *, selected: str | None, collapsed: set[str],
            search: str | None) -> tuple[list[Any], str, int]:
    """(rows of one page, "comments 1–100 of 621" text, the page actually shown)."""
    rows = rows_for(data, article_id, collapsed, search)
    if rows.is_empty():
        message = f"No comment contains “{search}”." if search else "This thread has no comments."
        return [html.P(message, className="help")], "", 0
    n_pages = (rows.height + PAGE_SIZE - 1) // PAGE_SIZE
    page = max(0, min(page, n_pages - 1))
    part = rows.slice(page * PAGE_SIZE, PAGE_SIZE)
    first, last = page * PAGE_SIZE + 1, page * PAGE_SIZE + part.height
    what = f"matches for “{search}”" if search else "comments"
    hidden = data.comment_table(article_id).height - rows.height if not search else 0
    info = f"{what} {first:,}–{last:,} of {rows.height:,}" + (f" ({hidden:,} in collapsed branches)" if hidden else "")
    return ([row(data, article_id, item, selected=selected, collapsed=collapsed, search=search)
             for item in part.iter_rows(named=True)], info, page)


def _brief(data: RunData, article_id: str, item: dict[str, Any], role: str) -> html.Div:
    text = item.get("text") or f"({item.get('kind')})"
    stance = data.stance_of(article_id, item["comment_id"])
    label = stance.get("stance_parent") if stance else None
    return html.Div([
        html.Div([html.Span(role, className="conv-role"),
                  user_text(item.get("author"), class_name="author") if item.get("author") else html.I("anonymous"),
                  html.Span(when(item.get("created_at")), className="conv-time"),
                  stance_chip(label, toward="parent") if role != "parent" else None], className="conv-head"),
        html.Div(marked(text, [], limit=300), id={"type": ids.DETAIL_OPEN, "id": item["comment_id"]},
                 className="conv-text", dir="auto", n_clicks=0, title="open this comment"),
    ], className="conv-brief")


def labels_part(data: RunData, article_id: str, comment_id: str) -> list[Any]:
    """The comment's sentiment and labels (labels stage), an unreliable label marked as such."""
    found = lv.labels_of(data, article_id, comment_id)
    if found is None:
        return []
    sentiment, given = found
    chips: list[Any] = []
    for stem, reliable in given:
        note = "" if reliable else (" (not a finding)" if reliable is False else " (not evaluated)")
        chips.append(html.Span(lv.label_name(stem) + note, className="chip" + ("" if reliable else " chip-warn"),
                               title="held-out figures support this label" if reliable else
                               "the model's held-out figures do not support this label: not a finding"))
    return [html.H5("Labels"), html.Div([*(chips or [html.Span("no category", className="help")]),
                                         html.Span(f" sentiment: {sentiment or '–'}", className="help")])]


def why(data: RunData, article_id: str, comment_id: str, text: str) -> list[Any]:
    """The stance labels and, in words, what they rest on (the cue words are marked in the text)."""
    if not data.has("stance"):
        return [html.H5("Stance"), html.P("stance stage not run", className="help")]
    stance = data.stance_of(article_id, comment_id)
    if stance is None:
        return [html.H5("Stance"), html.P("no stance label for this comment", className="help")]

    def conf(name: str) -> str:
        value = stance.get(f"{name}_conf")
        return f" ({value:.0%} confidence)" if isinstance(value, float) else ""

    cues = cv.cue_spans(stance.get("evidence"), text)
    lines: list[Any] = [
        html.H5("Stance"),
        html.Div(["toward the parent: ", stance_chip(stance.get("stance_parent"), toward="parent"),
                  conf("stance_parent"), " · toward the article: ", stance_chip(stance.get("stance_article")),
                  conf("stance_article")]),
    ]
    reason = _evidence_reason(stance.get("evidence"))
    if cues:
        lines.append(html.P(f"Why: {len(cues)} cue word{'s' if len(cues) != 1 else ''} marked yellow in the "
                            "text (hover a mark for the cue).", className="help"))
        lines.append(html.Ul([html.Li([html.Mark(text[s.start:s.end], className="mk-cue"), " ", s.note])
                              for s in cues[:12]], className="cue-list"))
    elif reason:
        lines.append(html.P(f"Why: {reason}.", className="help"))
    else:
        lines.append(html.P("Why: no cue fired; the label is the default or comes from the parent's stance "
                            "(replies inherit toward the article by sign).", className="help"))
    lines.append(html.P(f"model {stance.get('model') or '?'}", className="help"))
    return lines


def _evidence_reason(evidence: str | None) -> str | None:
    import json

    try:
        parsed = json.loads(evidence or "")
    except (ValueError, TypeError):
        return None
    if not isinstance(parsed, dict):
        return None
    reason = parsed.get("reason")
    if isinstance(reason, str):
        if reason.startswith("unsupported-language:"):
            return f"the comment's language ({reason.split(':', 1)[1]}) has no cue inventory"
        return REASONS.get(reason, reason)
    article = parsed.get("article")
    if isinstance(article, dict) and article.get("source") == "propagated":
        return "toward the article it follows its parent's stance by sign (a reply denying a supporter denies)"
    return None


def detail(data: RunData, article_id: str, comment_id: str | None, *, search: str | None = None,
           extra: list[Any] | None = None) -> list[Any]:
    """The comment panel: parent above, the comment with its marks and stance (and ``extra``,
    e.g. its frames), replies below."""
    if not comment_id:
        return [html.P("Click a comment in the conversation or a box in the tree to read it here, with its parent "
                       "and its replies.", className="help")]
    item = data.comment(article_id, comment_id)
    if item is None:
        return [notice(f"Comment {comment_id[:80]!r} is not in this thread.")]
    if item["is_ghost"]:
        return [html.H4("Ghost"), html.P(f"A comment at depth {item['depth']} is missing from the capture: "
                                         "its replies were visible, so its place in the tree is known.")]
    parts: list[Any] = []
    parent_id = item.get("parent_id")
    parent = data.comment(article_id, parent_id) if parent_id else None
    if parent is not None:
        parts.append(_brief(data, article_id, parent, "parent"))
    elif parent_id is None:
        parts.append(html.P("A reply to the article (top level).", className="help"))
    text = item["text"] or ""
    facts = " · ".join(p for p in (f"depth {item['depth']}", item["kind"], when(item["created_at"]),
                                   votes_text(item.get("votes_up"), item.get("votes_down"))) if p)
    # Not the list's ellipsis style: an inline-block would isolate the name by itself, hiding
    # whether the <bdi> does; here the full name wraps instead.
    who = user_text(item["author"], class_name="author-full") if item["author"] else html.I("anonymous")
    # The author leads the meta line, bidi-isolated, so a name with a right-to-left override
    # cannot pull "depth 2 · comment" into itself.
    parts += [html.H4(["Comment ", user_text(comment_id, class_name="comment-id")]),
              html.Div([who, f" · {facts}"], className="meta")]
    spans = comment_spans(data, article_id, comment_id, text, search=search)
    parts.append(html.Div(marked(text, spans, limit=DETAIL_TEXT_CHARS, say_cut=False) if text else "(no text)",
                          className="comment-text", dir="auto"))
    if len(text) > DETAIL_TEXT_CHARS:
        parts.append(notice(f"Comment cut at {DETAIL_TEXT_CHARS:,} of {len(text):,} characters."))
    parts.append(html.Div([html.Mark("cue word", className="mk-cue"), html.Mark("quoted", className="mk-quote"),
                           html.Mark("link", className="mk-link"), html.Span(" ⟨domain⟩", className="link-domain")],
                          className="legend"))
    parts += why(data, article_id, comment_id, text)
    parts += labels_part(data, article_id, comment_id)
    parts += extra or []
    table = data.comment_table(article_id)
    replies = table.filter(pl.col("parent_id") == comment_id)
    if not replies.is_empty():
        parts.append(html.H5(f"Replies ({replies.height})"))
        parts += [_brief(data, article_id, r, "reply") for r in replies.head(30).iter_rows(named=True)]
        if replies.height > 30:
            parts.append(html.P(f"… and {replies.height - 30} more in the conversation.", className="help"))
    else:
        parts.append(html.P("No replies.", className="help"))
    return parts
