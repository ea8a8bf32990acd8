"""The ``framing`` stage: frame hits, article vs reader profiles, keyness and label adoption.

Input: ``tokens.parquet`` (nlp stage) and ``quotes.parquet`` / ``own_texts.parquet`` (quotes
stage).  Output: ``frames.parquet`` (one row per sentence and frame, with the lemmas that
fired: every number can be traced to words), ``keyness.parquet`` and metrics (scopes
``thread``, ``frame``, ``label`` and ``comment``; see :mod:`analyzer.stages.framing.compare`).

Matching.  A token's key is ``lower(NFC(lemma))``, or its text when it has no lemma.  Every
pattern element of the inventory (see :mod:`analyzer.stages.framing.inventory`) is expanded once
against the run's distinct keys (exact stems by a join, wildcard stems by one vectorised string
test each), giving a key → (pattern, element position) table.  Joining the tokens with it and
grouping by (sentence, pattern, start = tok_idx − position) finds single lemmas and sequences
alike: a sequence matches where all its positions are present.  A sentence counts at most once
per frame (``frames.parquet`` lists all distinct lemmas that fired in it).  No Python loop runs
per token.

Own text.  The nlp stage annotates a comment's FULL text, so quotations are removed here by
offsets: a comment token whose character span overlaps a span of ``quotes.parquet`` is quoted,
and a pattern match that involves a quoted token is dropped (so a sequence never bridges a cut).
This is the same material ``own_texts.parquet`` removes, without annotating the comments twice.
Only visible comments with text (the rows of ``own_texts.parquet``) are read; the article
profile reads the article body (doc_id :data:`analyzer.core.schemas.ARTICLE_DOC_ID`), which excludes
navigation, advertising and the author box already.

No article text.  A thread whose article body is missing or blank (or gave no token) has no
article profile: every article-side metric (:data:`ARTICLE_SIDE`: JSD, retention, reframing,
p_f(A), lift, Dom(A), label adoption) is written as null, one ``no-article-text`` issue
(severity info) names the thread, and the manifest counts them (``n_no_article_text``, with
``no_article_text_reason`` and the list ``no_article_text_nulled``).  The
readers' own numbers (p_f(C), Dom(C), label uses in comments) stay.  Labels that are negated,
distanced or in scare quotes are contested, not used (:mod:`analyzer.stages.framing.contest`).

Inventory per thread: the article's ``language`` (else the majority language of its body
sentences, else German) selects the packaged inventory, or the user's ``--frames`` file.

Settings: :class:`analyzer.stages.declarations.framing.FramingSettings` (``frames_file``,
``frames_alpha``, ``keyness_prior_size``; defaults in :mod:`analyzer.core.defaults`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from analyzer.core import schemas
from analyzer.core.errors import UsageError
from analyzer.core.records import ParseIssue
from analyzer.core.textkinds import analysed
from analyzer.stages.context import StageContext, StageResult
from analyzer.stages.declarations.framing import FramingSettings
from analyzer.stages.framing import compare, contest, keyness
from analyzer.stages.framing.inventory import (
    DEFAULT_LANGUAGE,
    Inventory,
    inventories_from_settings,
    inventory_for,
    label_table,
    pattern_table,
)

_SENT_KEYS = ["article_id", "doc_id", "sent_idx"]
_TOKEN_KEYS = [*_SENT_KEYS, "tok_idx"]
_ADDRESS = r"[/@]"  # a character class: no quantifier at all

NO_ARTICLE_TEXT = "no-article-text"
NO_ARTICLE_TEXT_DETAIL = ("no article text in the input: frame comparison (JSD, retention, reframing, lift, "
                          "the article's dominant frames) and label adoption are null, not compared with an "
                          "empty profile")
# Metrics that describe the article or compare with it, by scope: null for a thread without
# article text.  "label_comment_share" at thread scope counts users of the ARTICLE's labels;
# at label scope it is the readers' own share and stays.
ARTICLE_SIDE: dict[str, frozenset[str]] = {
    "thread": frozenset({
        "frame_jsd_bits", "frame_retention", "frame_reframing", "n_dominant_article", "n_frames_article",
        "framed_sentence_share_article", "n_article_labels", "n_adopted_labels", "label_adoption_share",
        "label_comment_share", "n_reader_only_labels",
    }),
    "frame": frozenset({"frame_sentences_article", "p_article", "lift", "dominant_article"}),
    "label": frozenset({"label_uses_article", "label_contested_article", "label_adopted"}),
}


# --- Matching -------------------------------------------------------------------------------


def token_keys(tokens: pl.DataFrame) -> pl.DataFrame:
    """Tokens with their match key: ``lower(NFC(lemma))``, else the lowercased token text.

    Tokens that are links or addresses (a "/" or "@" inside) are dropped: a URL such as
    ``www.example.org/wissen/netzreserve`` must not fire a "*reserve" pattern.
    """
    return tokens.with_columns(
        key=pl.coalesce(pl.col("lemma"), pl.col("text")).str.normalize("NFC").str.to_lowercase()
    ).filter(~pl.col("key").str.contains(_ADDRESS, literal=False).fill_null(True))


def expand_patterns(vocabulary: pl.Series, table: pl.DataFrame) -> pl.DataFrame:
    """Map the distinct keys of a run to pattern elements.

    Args:
        vocabulary: distinct token keys.
        table: :func:`analyzer.stages.framing.inventory.pattern_table` rows.

    Returns:
        ``key, frame, pattern, n_elems, elem_pos`` for every key an element matches.
    """
    vocab = pl.DataFrame({"key": vocabulary}).unique()
    exact = table.filter(pl.col("kind") == "exact").join(vocab, left_on="stem", right_on="key", how="inner")
    exact = exact.with_columns(key=pl.col("stem"))
    parts = [exact]
    wild = table.filter(pl.col("kind") != "exact")
    # One vectorised string test per distinct wildcard stem (an inventory has tens of them).
    for stem, kind in wild.select("stem", "kind").unique(maintain_order=True).iter_rows():
        test = {
            "prefix": pl.col("key").str.starts_with(stem),
            "suffix": pl.col("key").str.ends_with(stem),
            "infix": pl.col("key").str.contains(stem, literal=True),
        }[kind]
        keys = vocab.filter(test)
        if keys.height:
            parts.append(wild.filter((pl.col("stem") == stem) & (pl.col("kind") == kind)).join(keys, how="cross"))
    columns = ["key", "frame", "pattern", "n_elems", "elem_pos"]
    return pl.concat([p.select(columns) for p in parts], how="vertical").unique()


def match_patterns(tokens: pl.DataFrame, table: pl.DataFrame) -> pl.DataFrame:
    """Every pattern occurrence in ``tokens``.

    Args:
        tokens: ``article_id, doc_id, sent_idx, tok_idx, key`` and ``quoted`` (bool) columns;
            ``tok_idx`` numbers the tokens of a sentence consecutively.
        table: :func:`analyzer.stages.framing.inventory.pattern_table` rows.

    Returns:
        ``article_id, doc_id, sent_idx, frame, pattern, start, matched`` (``matched``: the
        keys of the matched tokens, space-separated), occurrences with a quoted token dropped.
    """
    if tokens.is_empty() or table.is_empty():
        return pl.DataFrame(schema={"article_id": pl.String, "doc_id": pl.String, "sent_idx": pl.Int32,
                                    "frame": pl.String, "pattern": pl.String, "start": pl.Int32,
                                    "matched": pl.String})
    elements = expand_patterns(tokens.get_column("key").unique(), table)
    hits = tokens.select(*_TOKEN_KEYS, "key", "quoted").join(elements, on="key", how="inner")
    columns = [*_SENT_KEYS, "frame", "pattern", "start", "matched"]
    # Single lemmas (most patterns) need no grouping: every unquoted hit is an occurrence.
    single = hits.filter((pl.col("n_elems") == 1) & ~pl.col("quoted")).select(
        *_SENT_KEYS, "frame", "pattern", start=pl.col("tok_idx").cast(pl.Int32), matched=pl.col("key")
    )
    # Sequences: a (sentence, pattern, start) group is an occurrence when all positions are
    # present.  Within a group each position comes from a different token (tok_idx = start +
    # position), so counting rows counts positions.
    multi = hits.filter(pl.col("n_elems") > 1).with_columns(
        start=(pl.col("tok_idx") - pl.col("elem_pos")).cast(pl.Int32)
    )
    group = [*_SENT_KEYS, "frame", "pattern", "start"]
    complete = (
        multi.group_by(group)
        .agg(n=pl.len(), n_elems=pl.col("n_elems").first(), quoted=pl.col("quoted").any())
        .filter((pl.col("n") == pl.col("n_elems")) & ~pl.col("quoted"))
        .select(group)
    )
    # Only the (few) complete sequences get their lemmas joined into one string.
    sequences = (
        multi.join(complete, on=group, how="semi")
        .sort([*group, "elem_pos"])
        .group_by(group, maintain_order=True)
        .agg(matched=pl.col("key").str.join(" "))
    )
    return pl.concat([single.select(columns), sequences.select(columns)], how="vertical")


def frame_rows(occurrences: pl.DataFrame) -> pl.DataFrame:
    """frames.parquet: one row per (sentence, frame), the distinct matched lemmas sorted."""
    # unique + sort first, then a plain list aggregation: much faster than sorting inside groups.
    rows = (
        occurrences.select(*_SENT_KEYS, "frame", "matched")
        .unique()
        .sort([*_SENT_KEYS, "frame", "matched"])
        .group_by([*_SENT_KEYS, "frame"], maintain_order=True)
        .agg(matched_lemmas=pl.col("matched"))
    )
    return schemas.check(schemas.conform(rows, schemas.FRAMES), schemas.FRAMES, "frames")


def mark_quoted(tokens: pl.DataFrame, quotes: pl.DataFrame | None) -> pl.DataFrame:
    """Add ``quoted``: the token's character span overlaps a quoted span of its comment."""
    if quotes is None or quotes.is_empty():
        return tokens.with_columns(quoted=pl.lit(False))
    spans = quotes.select("article_id", doc_id=pl.col("comment_id"), _qs=pl.col("start_char"), _qe=pl.col("end_char"))
    inside = (
        tokens.select(*_TOKEN_KEYS, "start_char", "end_char")
        .join(spans, on=["article_id", "doc_id"], how="inner")
        .filter((pl.col("start_char") < pl.col("_qe")) & (pl.col("end_char") > pl.col("_qs")))
        .select(_TOKEN_KEYS)
        .unique()
        .with_columns(quoted=pl.lit(True))
    )
    return tokens.join(inside, on=_TOKEN_KEYS, how="left", maintain_order="left").with_columns(
        pl.col("quoted").fill_null(False)
    )


# --- Languages and inventories --------------------------------------------------------------


def article_languages(articles: pl.DataFrame, sentences: pl.DataFrame | None) -> dict[str, str]:
    """Language of each thread: the article's ``language``, else its body's majority, else German."""
    declared = dict(
        articles.select(
            "article_id", pl.col("language").str.to_lowercase().str.slice(0, 2)
        ).iter_rows()
    )
    majority: dict[str, str] = {}
    if sentences is not None and not sentences.is_empty():
        body = sentences.filter((pl.col("doc_id") == schemas.ARTICLE_DOC_ID) & (pl.col("lang") != "und"))
        counts = body.group_by("article_id", "lang").len().sort(["article_id", "len", "lang"], descending=[False, True, False])
        majority = dict(counts.group_by("article_id", maintain_order=True).first().select("article_id", "lang").iter_rows())
    return {a: declared.get(a) or majority.get(a) or DEFAULT_LANGUAGE for a in articles.get_column("article_id").to_list()}


# --- The stage ------------------------------------------------------------------------------


def run_stage(ctx: StageContext) -> StageResult:
    """The ``framing`` stage: frames.parquet, keyness.parquet and framing metrics."""
    tokens = ctx.frames.get("tokens.parquet")
    if tokens is None:
        raise UsageError("the framing stage needs the nlp stage's tokens.parquet (run stages nlp,quotes,framing)")
    settings = ctx.settings_of(FramingSettings)
    inventories = inventories_from_settings(settings)
    frames, keyness_frame, metrics, issues, info = compute_framing(
        ctx.forest.articles,
        ctx.forest.comments,
        tokens,
        ctx.frames.get("sentences.parquet"),
        ctx.frames.get("quotes.parquet"),
        ctx.frames.get("own_texts.parquet"),
        inventories,
        alpha=settings.frames_alpha,
        prior_size=settings.keyness_prior_size,
    )
    return StageResult(
        frames={"frames.parquet": frames, "keyness.parquet": keyness_frame},
        metrics=metrics,
        issues=issues,
        manifest=info,
    )


def compute_framing(
    articles: pl.DataFrame,
    comments: pl.DataFrame,
    tokens: pl.DataFrame,
    sentences: pl.DataFrame | None,
    quotes: pl.DataFrame | None,
    own_texts: pl.DataFrame | None,
    inventories: Mapping[str, Inventory],
    *,
    alpha: float = compare.ALPHA,
    prior_size: float = keyness.PRIOR_SIZE,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[ParseIssue], dict[str, Any]]:
    """Frames, keyness, metrics, issues and manifest facts of every thread.

    Args:
        articles: ARTICLES frame; comments: COMMENTS frame.
        tokens, sentences: the nlp stage's frames.
        quotes, own_texts: the quotes stage's frames (None: comments are read whole).
        inventories: inventory per language (see :func:`inventories_from_settings`).
        alpha: smoothing of profiles; prior_size: α_0 of the keyness prior.
    """
    issues: list[ParseIssue] = []
    if alpha <= 0:
        raise UsageError(f"frames_alpha must be positive, got {alpha}")
    if prior_size <= 0:
        raise UsageError(f"keyness_prior_size must be positive, got {prior_size}")
    if own_texts is None:
        visible = comments.filter(analysed()).select("article_id", doc_id=pl.col("comment_id"))
        issues.append(ParseIssue("framing-no-own-texts", "the quotes stage did not run: comments are read "
                                 "whole, quotations included", "warning"))
    else:
        visible = own_texts.select("article_id", doc_id=pl.col("comment_id"))
    languages = article_languages(articles, sentences)
    chosen = {a: inventory_for(inventories, lang) for a, lang in languages.items()}
    inv_ids = {id(inv): inv for inv in chosen.values()}
    article_inv = pl.DataFrame(
        {"article_id": list(chosen), "_inv": [id(inv) for inv in chosen.values()]},
        schema={"article_id": pl.String, "_inv": pl.Int64},
    )

    docs = pl.concat([
        articles.select("article_id", doc_id=pl.lit(schemas.ARTICLE_DOC_ID)),
        visible,
    ])
    tok = token_keys(tokens.join(docs, on=["article_id", "doc_id"], how="semi"))
    tok = mark_quoted(tok, quotes).join(article_inv, on="article_id", how="left")

    occ_parts, label_parts, term_parts = [], [], []
    for inv_id, inventory in inv_ids.items():
        part = tok.filter(pl.col("_inv") == inv_id)
        occ_parts.append(match_patterns(part, pattern_table(inventory)))
        if inventory.labels:
            # One use per token and label: "terrorist*" and "*terrorist" both match "Terrorist".
            found = match_patterns(part, label_table(inventory)).unique(
                subset=[*_SENT_KEYS, "frame", "start"], keep="first", maintain_order=True)
            label_parts.append(contest.mark_contested(found, part))
        term_parts.append(_terms(part, inventory))
    occurrences = pl.concat(occ_parts) if occ_parts else match_patterns(tok.clear(), pattern_table(next(iter(inventories.values()))))
    frames = frame_rows(occurrences)
    label_hits = (
        pl.concat(label_parts).select("article_id", "doc_id", "contested", label=pl.col("frame"))
        if label_parts else pl.DataFrame(schema={"article_id": pl.String, "doc_id": pl.String, "contested": pl.Boolean,
                                                 "label": pl.String})
    )
    terms = pl.concat(term_parts) if term_parts else pl.DataFrame(
        schema={"article_id": pl.String, "is_article": pl.Boolean, "term": pl.String})
    keyness_frame = keyness.compute_keyness(keyness.term_counts(terms), prior_size=prior_size)

    # Profiles: every frame of the thread's inventory, zeros included.
    frame_lists = pl.DataFrame(
        {"_inv": list(inv_ids), "frame": [list(inv.frame_names) for inv in inv_ids.values()]},
        schema={"_inv": pl.Int64, "frame": pl.List(pl.String)},
    ).explode("frame")
    is_article = pl.col("doc_id") == schemas.ARTICLE_DOC_ID
    counts = (
        article_inv.join(frame_lists, on="_inv", how="left")
        .join(
            frames.group_by("article_id", "frame").agg(
                c_article=is_article.sum().cast(pl.Int64),
                c_comments=(~is_article).sum().cast(pl.Int64),
            ),
            on=["article_id", "frame"], how="left",
        )
        .with_columns(pl.col("c_article", "c_comments").fill_null(0))
        .select("article_id", "frame", "c_article", "c_comments")
    )
    per_frame, thread = compare.compare_profiles(counts, alpha=alpha)
    n_comments = articles.select("article_id").join(
        visible.group_by("article_id").agg(n_comments=pl.len()), on="article_id", how="left"
    ).with_columns(pl.col("n_comments").fill_null(0))
    per_label, label_thread = compare.label_adoption(label_hits, n_comments)
    metrics = _metrics(per_frame, thread, per_label, label_thread, frames, tok, visible, n_comments)

    # No article text: nothing article-side is compared (the readers' own numbers stay).
    no_text = _articles_without_text(articles, tok)
    metrics = null_article_side(metrics, no_text)
    for article_id in no_text:
        issues.append(ParseIssue(NO_ARTICLE_TEXT, NO_ARTICLE_TEXT_DETAIL, "info", article_id=article_id))
    info = {
        "inventories": {lang: inv.manifest() for lang, inv in inventories.items()},
        "inventory_by_language": {lang: inventory_for(inventories, lang).name for lang in sorted(set(languages.values()))},
        "alpha": alpha,
        "keyness_prior_size": prior_size,
        "n_frame_rows": frames.height,
        "n_keyness_rows": keyness_frame.height,
        "own_text": "tokens overlapping quotes.parquet spans removed" if own_texts is not None else "full comment text",
        # Flat keys: chunked runs add up numbers and keep the rest from the first chunk, and
        # incremental runs compare everything without the "n_" prefix (analyzer.jobs.scheduled); the
        # thread ids are in the no-article-text issues.
        "n_no_article_text": len(no_text),
        "no_article_text_reason": NO_ARTICLE_TEXT_DETAIL,
        "no_article_text_nulled": sorted(f"{scope}:{m}" for scope, names in ARTICLE_SIDE.items() for m in names),
        "dominant_rule": {
            "mass": compare.DOMINANT_MASS, "min_count": compare.DOMINANT_MIN_COUNT,
            "min_gap": compare.DOMINANT_MIN_GAP, "min_ratio": compare.DOMINANT_MIN_RATIO,
            "max_frames": compare.DOMINANT_MAX_FRAMES,
        },
        "n_contested_label_uses": int(label_hits.get_column("contested").sum()) if label_hits.height else 0,
    }
    return frames, keyness_frame, metrics, issues, info


def _articles_without_text(articles: pl.DataFrame, tokens: pl.DataFrame) -> list[str]:
    """Articles whose body is missing, blank, or yielded no token (so no article profile exists)."""
    with_tokens = tokens.filter(pl.col("doc_id") == schemas.ARTICLE_DOC_ID).select("article_id").unique()
    blank = pl.col("body").is_null() | (pl.col("body").str.strip_chars().str.len_chars() == 0)
    return (
        articles.select("article_id", "body")
        .join(with_tokens.with_columns(_tok=pl.lit(True)), on="article_id", how="left")
        .filter(blank | pl.col("_tok").is_null())
        .get_column("article_id")
        .to_list()
    )


def null_article_side(metrics: pl.DataFrame, article_ids: list[str]) -> pl.DataFrame:
    """Set every article-side metric (:data:`ARTICLE_SIDE`) of ``article_ids`` to null.

    The rows stay (a reader sees the metric exists and is null, with the reason in the issues
    and the manifest); the readers' own numbers (p_comments, Dom(C), label uses in comments)
    are kept.
    """
    if not article_ids or metrics.is_empty():
        return metrics
    article_side = pl.lit(False)
    for scope, names in ARTICLE_SIDE.items():
        article_side = article_side | ((pl.col("scope") == scope) & pl.col("metric").is_in(sorted(names)))
    hit = pl.col("article_id").is_in(article_ids) & article_side
    return metrics.with_columns(value=pl.when(hit).then(None).otherwise(pl.col("value")))


def _terms(tokens: pl.DataFrame, inventory: Inventory) -> pl.DataFrame:
    """Content-word terms of own text and body for keyness (see :mod:`analyzer.stages.framing.keyness`)."""
    stop = sorted(inventory.stopwords)
    return tokens.filter(
        pl.col("upos").is_in(keyness.CONTENT_UPOS)
        & ~pl.col("quoted")
        & pl.col("key").str.contains(keyness.TERM_REGEX)
        & ~pl.col("key").is_in(stop)
    ).select("article_id", is_article=pl.col("doc_id") == schemas.ARTICLE_DOC_ID, term=pl.col("key"))


def _metrics(
    per_frame: pl.DataFrame,
    thread: pl.DataFrame,
    per_label: pl.DataFrame,
    label_thread: pl.DataFrame,
    frames: pl.DataFrame,
    tokens: pl.DataFrame,
    visible: pl.DataFrame,
    n_comments: pl.DataFrame,
) -> pl.DataFrame:
    is_article = pl.col("doc_id") == schemas.ARTICLE_DOC_ID
    # Sentences that have at least one own (unquoted) token: the denominators of coverage.
    own_sentences = tokens.filter(~pl.col("quoted")).select(_SENT_KEYS).unique()
    framed = frames.select(_SENT_KEYS).unique()
    coverage = (
        own_sentences.join(framed.with_columns(_f=pl.lit(True)), on=_SENT_KEYS, how="left")
        .group_by("article_id")
        .agg(
            framed_sentence_share_article=pl.col("_f").filter(is_article).count() / is_article.sum(),
            framed_sentence_share_comments=pl.col("_f").filter(~is_article).count() / (~is_article).sum(),
        )
        .with_columns(pl.all().exclude("article_id").fill_nan(None))
    )
    per_comment = visible.join(
        frames.filter(~is_article).group_by("article_id", "doc_id").agg(n_frames=pl.col("frame").n_unique()),
        on=["article_id", "doc_id"], how="left",
    ).with_columns(pl.col("n_frames").fill_null(0))
    comment_share = (
        frames.filter(~is_article).select("article_id", "doc_id", "frame").unique()
        .group_by("article_id", "frame").agg(_n=pl.len())
    )
    framed_comments = per_comment.group_by("article_id").agg(_framed=(pl.col("n_frames") > 0).sum())
    thread_wide = (
        n_comments.join(thread, on="article_id", how="left")
        .join(coverage, on="article_id", how="left")
        .join(framed_comments, on="article_id", how="left")
        .with_columns(
            framed_comment_share=pl.when(pl.col("n_comments") > 0).then(pl.col("_framed").fill_null(0) / pl.col("n_comments"))
        )
        .join(label_thread, on="article_id", how="left")
        .drop("n_comments", "_framed")
    )
    frame_wide = (
        per_frame.join(comment_share, on=["article_id", "frame"], how="left")
        .join(n_comments, on="article_id", how="left")
        .select(
            "article_id", "frame",
            frame_sentences_article=pl.col("c_article"),
            frame_sentences_comments=pl.col("c_comments"),
            p_article="p_article", p_comments="p_comments", lift="lift",
            dominant_article=pl.col("dominant_article").cast(pl.Float64),
            dominant_comments=pl.col("dominant_comments").cast(pl.Float64),
            comment_share=pl.when(pl.col("n_comments") > 0).then(pl.col("_n").fill_null(0) / pl.col("n_comments")),
        )
    )
    label_wide = per_label.select(
        "article_id", "label", "label_uses_article", "label_uses_comments", "label_comments",
        "label_comment_share", "label_adopted", "label_contested_article", "label_contested_comments",
    )
    comment_wide = per_comment.select("article_id", "doc_id", "n_frames")
    parts = [
        _long(thread_wide.with_columns(_s=pl.col("article_id")), "thread", "_s"),
        _long(frame_wide, "frame", "frame"),
        _long(label_wide, "label", "label"),
        _long(comment_wide, "comment", "doc_id"),
    ]
    return schemas.check(pl.concat(parts, how="vertical"), schemas.METRICS, "metrics")


def _long(wide: pl.DataFrame, scope: str, subject: str) -> pl.DataFrame:
    values = [c for c in wide.columns if c not in ("article_id", subject)]
    if wide.is_empty() or not values:
        return schemas.empty(schemas.METRICS)
    return (
        wide.with_columns(pl.col(values).cast(pl.Float64))
        .unpivot(index=["article_id", subject], on=values, variable_name="metric", value_name="value")
        .select("article_id", scope=pl.lit(scope), subject_id=pl.col(subject).cast(pl.String), metric="metric", value="value")
    )
