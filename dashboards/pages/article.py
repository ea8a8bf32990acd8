"""Article vs readers (the core page): the article on the left, the reader response on the right."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from dash import dcc, html

from analyzer.outputs import figures
from analyzer.views import examples
from analyzer.views.frames import frame_definition, frame_label
from analyzer.views.numbers import format_share
from analyzer.views.run_view import NO_ARTICLE_TEXT
from analyzer.views.shares import MIN_N
from dashboards import ids
from dashboards.components import (
    article_picker,
    card,
    fmt_number,
    fmt_share,
    fmt_signed,
    graph,
    not_found,
    notice,
    placeholder,
    section,
    url_text,
    user_text,
)
from dashboards.conversation import VOTES_TITLE, stance_chip, votes_text
from dashboards.data import RunData, StageNote
from dashboards.state import current_data, page_state
from dashboards.textmarks import body_segments, heat_ranges

PATH = "/article"
NAME = "Article vs readers"
TITLE = "Article vs readers · analyzer"
ORDER = 1

# Underline colours of frame terms (Okabe–Ito palette, colour-blind safe), by frame order.
FRAME_PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442", "#000000")
STANCE_NOTE = StageNote("stance", "stance.parquet")
FRAMES_NOTE = StageNote("framing", "frames.parquet")
KEYNESS_NOTE = StageNote("framing", "keyness.parquet")


def frame_colours(data: RunData) -> dict[str, str]:
    return {f: FRAME_PALETTE[i % len(FRAME_PALETTE)] for i, f in enumerate(data.frame_inventory())}


def head(data: RunData, article_id: str) -> list[Any]:
    art = data.article(article_id) or {}
    when = art.get("published_at")
    meta: list[Any] = [
        part for part in (
            art.get("author") and html.Span(["by ", user_text(art["author"], class_name="author")]),
            when and when.strftime("%d %b %Y %H:%M UTC"),
            art.get("site") and user_text(art["site"]),
            art.get("language") and f"language {art['language']}",
        ) if part
    ]
    line: list[Any] = []
    for part in meta:
        line += [part, " · "]
    if art.get("url"):
        line.append(url_text(art["url"], limit=70))
    elif line:
        line.pop()
    announced = art.get("n_announced")
    count = f"{art.get('n_visible') or 0} comments visible" + (f" of {announced} announced" if announced else "")
    return [html.H2(data.display_title(article_id), className="article-title", dir="auto"),
            html.Div(line, className="meta"), html.Div(count, className="meta")]


def body(data: RunData, article_id: str) -> list[Any]:
    art = data.article(article_id) or {}
    text = art.get("body") or ""
    if not text.strip():
        return [notice("The input carried no article body.")]
    sentences = data.article_sentences(article_id)
    spans = [] if sentences is None else list(sentences.select("sent_idx", "start_char", "end_char").iter_rows())
    counts = data.quote_counts(article_id)
    colours = frame_colours(data)
    children: list[Any] = []
    for seg in body_segments(text, spans, counts, data.article_term_spans(article_id)):
        cls = f"heat-{seg.heat}" if seg.heat else None
        title = f"quoted by {seg.n_quoting} comment{'s' if seg.n_quoting != 1 else ''}" if seg.n_quoting else None
        if seg.frame is not None:
            inner = html.Span(seg.text, className="frame-term", title=f"frame: {seg.frame}",
                              style={"borderBottomColor": colours.get(seg.frame, "#000")})
            children.append(html.Span(inner, className=cls, title=title) if cls else inner)
        elif cls:
            children.append(html.Span(seg.text, className=cls, title=title))
        else:
            children.append(seg.text)
    legend: list[Any] = [html.Span("Highlighted: sentences readers quote; comments quoting ", className="legend-text")]
    legend += [html.Span(r, className=f"heat-{k} legend-heat")
               for k, r in enumerate(heat_ranges(max(counts.values(), default=0)), start=1)]
    if not counts:
        legend.append(html.Span(" — no comment quotes the article" if data.has("quotes")
                                else " — quotes stage not run", className="legend-text"))
    used = sorted({f for _, _, f in data.article_term_spans(article_id)})
    if used:
        legend.append(html.Br())
        legend.append(html.Span("Underlined: frame terms ", className="legend-text"))
        legend += [html.Span(f, className="frame-term legend-frame", style={"borderBottomColor": colours.get(f, "#000")})
                   for f in used]
    elif not data.has("frames"):
        legend += [html.Br(), html.Span("Frame terms: framing stage not run.", className="legend-text")]
    return [html.Div(legend, className="legend body-legend"), html.Div(children, className="article-body", dir="auto")]


def verdict(data: RunData, article_id: str) -> str:
    """One plain sentence on how readers took the article (:func:`analyzer.views.examples.verdict`,
    the sentence the report prints too)."""
    return examples.verdict(data, article_id)


def support_base(data: RunData, article_id: str) -> str | None:
    """ "157 of 173" under the support ratio: the supporting and the supporting + denying comments."""
    counts = data.stance_counts(article_id)
    if counts is None or counts.is_empty():
        return None
    n = dict(zip(counts["label"].to_list(), counts["n"].to_list(), strict=True))
    support, deny = int(n.get("support", 0)), int(n.get("deny", 0))
    if support + deny < MIN_N:
        return f"{support} of {support + deny}: too few"
    return f"{support} of {support + deny}"


def headline(data: RunData, article_id: str) -> list[Any]:
    m = data.thread_numbers(article_id)
    art = data.article(article_id) or {}
    sentence = verdict(data, article_id)
    return ([html.P(sentence, className="verdict")] if sentence else []) + [
        card("comments", fmt_number(art.get("n_visible")), "visible comments (placeholders included)"),
        card("support ratio", fmt_share(m.get("article_support_ratio")),
             "S / (S + D): supporting among supporting and denying comments, toward the article",
             detail=support_base(data, article_id)),
        card("frame divergence", fmt_number(m.get("frame_jsd_bits")),
             "Jensen–Shannon divergence between article and reader frame profiles, in bits (0 = same, 1 = disjoint)"),
        card("frames retained", fmt_share(m.get("frame_retention")),
             "share of the article's dominant frames that are also dominant among readers"),
        card("reframing", fmt_share(m.get("frame_reframing")),
             "1 − overlap of dominant frames (Jaccard): 0 = readers keep the article's frames"),
        card("tone gap", fmt_signed(m.get("tone_gap")),
             "mean comment polarity − article polarity (lexicon or stanza sentiment; see the banner)"),
        card("article quoted", fmt_share(m.get("quoted_sentence_share")),
             "share of the article's sentences that at least one comment quotes"),
    ]


def _stance_section(data: RunData, article_id: str) -> Any:
    counts = data.stance_counts(article_id)
    if counts is None:
        return section("Stance toward the article", placeholder(STANCE_NOTE))
    by_depth = data.stance_depth_counts(article_id)
    return section(
        "Stance toward the article",
        graph({"type": "article-fig", "name": "stance"}, figures.stance_shares(counts)),
        share_lines(counts, article_id),
        graph({"type": "article-fig", "name": "stance-depth"},
              figures.stance_by_depth(by_depth if by_depth is not None else counts.head(0))),
        help_text="Each visible comment's stance toward the article (replies inherit by sign); below, by reply depth. "
                  "Click a segment or a label to read those comments.",
    )


def share_lines(counts: Any, article_id: str) -> html.Ul:
    """Each label's share with its count and 95 % interval, or "too few", each opening its comments."""
    items = []
    for row in counts.iter_rows(named=True):
        href = "/comments?" + urlencode({"a": article_id, "stance": row["label"]})
        if row["too_few"]:
            text: Any = html.Span(f"{row['n']} of {row['n_total']}: too few comments for a share", className="too-few")
        else:
            text = format_share(int(row["n"]), int(row["n_total"]), low=row["ci_low"], high=row["ci_high"])
        items.append(html.Li([dcc.Link(row["label"], href=href, className="share-link"), " ", text]))
    return html.Ul(items, className="share-lines")


def _frames_section(data: RunData, article_id: str) -> Any:
    profile = data.frame_profile(article_id)
    if profile is None:
        if data.has("frames") and not data.has_article_text(article_id):
            return section("Frames: article vs readers",
                           html.Div(f"No comparison: {NO_ARTICLE_TEXT}.", className="placeholder"))
        return section("Frames: article vs readers", placeholder(FRAMES_NOTE))
    m = data.thread_numbers(article_id)
    summary = (f"JSD {fmt_number(m.get('frame_jsd_bits'))} bits · dominant frames retained "
               f"{fmt_share(m.get('frame_retention'))} · reframing {fmt_share(m.get('frame_reframing'))}")
    return section(
        "Frames: article vs readers",
        html.P(summary, className="summary-line"),
        graph({"type": "article-fig", "name": "frames"}, figures.frame_profile(profile)),
        html.Dl([part for frame in profile["frame"].to_list() for part in (
            html.Dt(dcc.Link(frame_label(frame), href="/comments?" + urlencode({"a": article_id, "frame": frame}))),
            html.Dd(frame_definition(frame) or "no definition in the installed inventories"))],
            className="frame-glossary"),
        help_text="Share of frame hits per sentence (α = 0.5 smoothing). ● marks a dominant frame "
                  "(top frames covering half the mass): first mark article, second readers.",
    )


def _keyness_section(data: RunData, article_id: str) -> Any:
    keyness = data.keyness(article_id)
    if keyness is None:
        return section("What readers say more, or less, than the article", placeholder(KEYNESS_NOTE))
    return section(
        "What readers say more, or less, than the article",
        graph({"type": "article-fig", "name": "keyness"}, figures.keyness_bars(keyness)),
        help_text="Log-odds with an informative Dirichlet prior (Monroe et al. 2008); bars are z-scores.",
    )


def _labels_section(data: RunData, article_id: str) -> Any:
    labels = data.label_adoption(article_id)
    if labels is None:
        text = (FRAMES_NOTE.message if not data.has("frames") else f"No label adoption: {NO_ARTICLE_TEXT}."
                if not data.has_article_text(article_id) else
                "No label adoption figures in this run (the framing stage did not report loaded actor labels).")
        return section("Label adoption", html.Div(text, className="placeholder"))
    columns = labels.columns
    rows = [html.Tr([html.Th(c.replace("_", " ")) for c in columns])]
    for row in labels.sort(columns[1], descending=True, nulls_last=True).head(20).iter_rows():
        rows.append(html.Tr([html.Td(v if isinstance(v, str) else fmt_number(v)) for v in row]))
    return section("Label adoption", html.Table(rows, className="table"),
                   help_text="Loaded actor labels of the article (\u201eTerroristen\u201c, \u201ePutschisten\u201c …) "
                             "and how often readers reuse them.")


def _tone_section(data: RunData, article_id: str) -> Any:
    m = data.thread_numbers(article_id)
    if m.get("article_polarity") is None and m.get("comment_polarity_mean") is None:
        return section("Tone", html.Div("No sentiment in this run (language layer not run).", className="placeholder"))
    return section("Tone", html.Div([
        card("article polarity", fmt_signed(m.get("article_polarity")), "mean sentence polarity of the article body"),
        card("readers' polarity", fmt_signed(m.get("comment_polarity_mean")), "mean polarity over visible comments"),
        card("tone gap", fmt_signed(m.get("tone_gap")), "readers − article"),
        card("negative sentences", fmt_share(m.get("share_negative_sentences")), "share of comment sentences"),
    ], className="cards"), help_text="Polarity from −1 to +1; the banner says which model produced it.")


def _quoted_section(data: RunData, article_id: str) -> Any:
    counts = data.quote_counts(article_id)
    sentences = data.article_sentences(article_id)
    if not counts or sentences is None:
        return None
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    texts = dict(zip(sentences["sent_idx"].to_list(), sentences["text"].to_list(), strict=True))
    items = [html.Li([dcc.Link(f"{n}× ", className="count", title="open the comments quoting this sentence",
                               href="/comments?" + urlencode({"a": article_id, "quoted": i})),
                      texts.get(i, f"sentence {i}")]) for i, n in top]
    return section("Most quoted passages", html.Ol(items, className="quoted-list"))


def _examples_section(data: RunData, article_id: str) -> Any:
    picked = examples.example_comments(data, article_id)
    if picked.is_empty():
        return None
    items = []
    for r in picked.iter_rows(named=True):
        head: list[Any] = [stance_chip(r["label"]) if r["label"] else html.Span("most replied", className="chip"), " ",
                           user_text(r["author"], class_name="author") if r["author"] else html.I("anonymous"),
                           html.Span(f" · depth {r['depth']} · {r['n_replies']} replies", className="help"), " ",
                           dcc.Link("open in the thread", className="btn-link",
                                    href="/thread?" + urlencode({"a": article_id, "c": r["comment_id"]}))]
        items.append(html.Li([html.Div(head), html.Div(r["text"], className="comment-snippet", dir="auto")]))
    return section("Example comments", html.Ul(items, className="examples"),
                   help_text="For each stance toward the article, the comments the stance model was surest of "
                             "(most replied first among equals): read them before quoting a share.")


def _votes_section(data: RunData, article_id: str) -> Any:
    """Most up-voted comments and the most-endorsed disagreement (None: the source has no votes)."""
    top = examples.voted_comments(data, article_id)
    if top.is_empty():
        return None
    denying = examples.voted_comments(data, article_id, disagreeing=True)

    def items(rows: Any, *, reply: bool) -> Any:
        out = []
        for r in rows.iter_rows(named=True):
            head: list[Any] = [html.Span(votes_text(r["votes_up"], r["votes_down"]), className="chip conv-votes",
                                         title=VOTES_TITLE), " ",
                               user_text(r["author"], class_name="author") if r["author"] else html.I("anonymous")]
            if reply and r["parent_author"]:
                head += [html.Span(" ↩ denies ", className="help"), user_text(r["parent_author"], class_name="author")]
            head += [html.Span(f" · depth {r['depth']} · {r['n_replies']} replies", className="help"), " ",
                     dcc.Link("open in the thread", className="btn-link",
                              href="/thread?" + urlencode({"a": article_id, "c": r["comment_id"]}))]
            out.append(html.Li([html.Div(head), html.Div(r["text"], className="comment-snippet", dir="auto")]))
        return html.Ul(out, className="examples")

    parts: list[Any] = [html.H5("Most up-voted"), items(top, reply=False), html.H5("Most-endorsed disagreement")]
    if data.stance(article_id) is None:
        parts.append(placeholder(StageNote("stance", "stance.parquet")))
    elif denying.is_empty():
        parts.append(html.P("No reply that denies its parent has votes.", className="help"))
    else:
        parts.append(items(denying, reply=True))
    sort_link = dcc.Link("all comments by up-votes", className="btn-link",
                         href="/comments?" + urlencode({"a": article_id, "sort": "votes_up"}))
    return section("Reader votes", html.Div([*parts, sort_link]),
                   help_text="Votes as the source gives them: ▲ up-votes (for Reddit and Hacker News the score, up "
                             "minus down), ▼ down-votes where the source counts them apart. The most-endorsed "
                             "disagreement: replies to a comment labelled as denying it, most up-voted first.")


def response(data: RunData, article_id: str) -> list[Any]:
    parts = [_stance_section(data, article_id), _examples_section(data, article_id), _votes_section(data, article_id),
             _frames_section(data, article_id),
             _keyness_section(data, article_id), _labels_section(data, article_id), _tone_section(data, article_id),
             _quoted_section(data, article_id)]
    return [p for p in parts if p is not None]


def render(data: RunData, article_id: str | None) -> tuple[Any, Any, Any, Any, dict[str, Any]]:
    """(head, body, headline cards, response panels, page state) of one article."""
    if article_id is None:
        empty = [notice("This run has no articles.")]
        return empty, [], [], [], {}
    return (head(data, article_id), body(data, article_id), headline(data, article_id),
            response(data, article_id), {"a": article_id})


def layout(a: str | None = None, **_query: Any) -> html.Div:
    data = current_data()
    if a is not None and not data.has_article(a):
        return html.Div([dcc.Store(id=page_state("article"), data={}), not_found(a)])
    article_id = data.resolve_article(a)
    head_part, body_part, cards, resp, state = render(data, article_id)
    return html.Div([
        dcc.Store(id=page_state("article"), data=state),
        article_picker(ids.ARTICLE_PICK, data.picker_options(article_id), article_id),
        html.Div(cards, id=ids.ARTICLE_HEADLINE, className="cards headline"),
        html.Div([
            html.Div([html.H3("The article", className="col-title"), html.Div(head_part, id=ids.ARTICLE_HEAD),
                      html.Div(body_part, id=ids.ARTICLE_BODY)], className="col col-article"),
            html.Div([html.H3("The readers", className="col-title"),
                      html.Div(resp, id=ids.ARTICLE_RESPONSE)], className="col col-readers"),
        ], className="side-by-side"),
    ])
