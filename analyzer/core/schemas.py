"""Declared schemas of every frame the analyzer writes or passes between stages.

Every producer ends with :func:`check` so a schema drift fails where it happens, not three
stages later.  Metrics live in a long frame (``METRICS``) so a new metric never changes a
schema.  The README documents these columns; keep both in step.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
from polars._typing import PolarsDataType


def schema(columns: Mapping[str, PolarsDataType]) -> pl.Schema:
    """A schema from a column mapping (typed, so mixed dtype classes and instances check)."""
    return pl.Schema(columns)


UTC_TIME = pl.Datetime("us", "UTC")

# What readers hand to the tree builder (one row per comment found in the source).
RAW_COMMENTS = schema(
    {
        "article_id": pl.String,
        "comment_id": pl.String,
        "parent_id": pl.String,  # null = reply to the article
        "declared_depth": pl.Int32,  # depth shown by the layout (1 = top level), if any
        "author": pl.String,
        "created_at": UTC_TIME,
        "text": pl.String,
        "source_path": pl.String,
        "source_line": pl.Int64,
        "kind": pl.String,  # comment | deleted | removed | more
        "n_hidden": pl.Int64,  # for "more" stubs: replies the stub stands for
        "url": pl.String,
        "edge_confidence": pl.Float64,
        # Reader votes as the source gives them (null: the source has none; see COMMENTS).
        "votes_up": pl.Int64,
        "votes_down": pl.Int64,
        "src_order": pl.Int64,  # position in the input, used to keep document order
    }
)

# comments.parquet: the reply forest, pre-order within each article.
COMMENTS = schema(
    {
        "article_id": pl.String,
        "comment_id": pl.String,
        "parent_id": pl.String,  # null = reply to the article
        "seq": pl.Int64,  # 0-based pre-order position in the thread (children in source order)
        "depth": pl.Int32,  # top level = 1, ghosts counted
        "position": pl.Int32,  # 0-based position among siblings
        "kind": pl.String,  # comment | deleted | removed | more | ghost
        "is_ghost": pl.Boolean,
        "is_deleted": pl.Boolean,
        "author": pl.String,
        "created_at": UTC_TIME,
        "text": pl.String,
        "source_path": pl.String,
        "source_line": pl.Int64,
        "n_hidden": pl.Int64,
        "url": pl.String,
        "edge_confidence": pl.Float64,
        # Up-votes or likes as the source reports them; for Reddit and Hacker News the score
        # (up minus down, may be negative).  Null where the source has no votes.
        "votes_up": pl.Int64,
        # Down-votes where the source reports them apart (One Million Posts); else null.
        "votes_down": pl.Int64,
    }
)

# articles.parquet: one row per thread.
ARTICLES = schema(
    {
        "article_id": pl.String,
        "title": pl.String,
        "url": pl.String,
        "site": pl.String,
        "author": pl.String,
        "published_at": UTC_TIME,
        "category": pl.String,
        "lead": pl.String,
        "body": pl.String,
        "language": pl.String,
        "comments_closed": pl.Boolean,
        "source_path": pl.String,
        "n_announced": pl.Int64,  # count the page announces ("12 Antworten"), if any
        "n_visible": pl.Int64,  # comments present in the input (placeholders included, stubs not)
        "n_ghost": pl.Int64,  # ghosts inserted for depth gaps: a lower bound of missing comments
        "n_deleted": pl.Int64,  # deleted or removed placeholders among the visible
        "n_more_stubs": pl.Int64,  # platform "load more" stubs
        "n_hidden": pl.Int64,  # replies those stubs stand for
    }
)

# Article-level fields as readers produce them (counts are filled in by the tree builder).
RAW_ARTICLES = schema(
    {name: dtype for name, dtype in ARTICLES.items() if name not in {
        "n_visible", "n_ghost", "n_deleted", "n_more_stubs", "n_hidden"}}
)

# article_blocks.parquet: the page split into roles (title, lead, body, author box ...).
ARTICLE_BLOCKS = schema(
    {
        "article_id": pl.String,
        "block_idx": pl.Int32,
        "kind": pl.String,
        "text": pl.String,
        "source_line": pl.Int64,
    }
)

# parse_issues.parquet: recoverable anomalies, as data.
PARSE_ISSUES = schema(
    {
        "code": pl.String,
        "severity": pl.String,  # info | warning | error
        "path": pl.String,
        "line": pl.Int64,
        "article_id": pl.String,
        "comment_id": pl.String,
        "detail": pl.String,
    }
)

# metrics.parquet: long format, one value per row.
METRICS = schema(
    {
        "article_id": pl.String,
        # thread | thread_visible | level | level_visible | comment | article_sentence | domain
        "scope": pl.String,
        "subject_id": pl.String,  # article id, depth k, or comment id, depending on scope
        "metric": pl.String,
        "value": pl.Float64,
    }
)


# --- Stage frames (issue 3: language layer, links, quotes) ----------------------------------

# doc_id of the article in per-document frames (comment ids never start with "~").
ARTICLE_DOC_ID = "~article"

# sentences.parquet: offsets index the comment's ``text`` or the article's ``body``.
SENTENCES = schema(
    {
        "article_id": pl.String,
        "doc_id": pl.String,  # comment id, or ARTICLE_DOC_ID
        "sent_idx": pl.Int32,
        "start_char": pl.Int64,
        "end_char": pl.Int64,
        "text": pl.String,
        "lang": pl.String,  # ISO 639-1, "und" when unknown
        "sentiment": pl.Int8,  # stanza convention: 0 negative, 1 neutral, 2 positive; null = not scored
    }
)

# tokens.parquet
TOKENS = schema(
    {
        "article_id": pl.String,
        "doc_id": pl.String,
        "sent_idx": pl.Int32,
        "tok_idx": pl.Int32,
        "text": pl.String,
        "lemma": pl.String,
        "upos": pl.String,
        "start_char": pl.Int64,
        "end_char": pl.Int64,
    }
)

# links.parquet: one row per link found in a comment or the article body.
LINKS = schema(
    {
        "article_id": pl.String,
        "comment_id": pl.String,  # null = the article
        "url": pl.String,  # as written (defanged forms included)
        "url_normalised": pl.String,  # refanged, scheme added, host lowercased, www. stripped
        "host": pl.String,
        "registered_domain": pl.String,
        "suffix": pl.String,
        "platform_path": pl.String,  # e.g. "t.me/channel", "youtube.com/@name"; null otherwise
        "obfuscation": pl.String,  # null = written plainly; else the rule that recovered it
        "in_quote": pl.Boolean,
        "start_char": pl.Int64,
        "end_char": pl.Int64,
        "redirect": pl.String,  # redirect wrapper unwrapped ("l.facebook.com/l.php"); url_normalised etc. are the target's
    }
)

# link_ratings.parquet: one row per (link, credibility list) pair where the list rates the
# link's source.  Provenance travels with every rating.
LINK_RATINGS = schema(
    {
        "article_id": pl.String,
        "comment_id": pl.String,  # null = a link of the article body
        "start_char": pl.Int64,  # with article_id and comment_id: the key of the link in links.parquet
        "registered_domain": pl.String,
        "matched_key": pl.String,  # the list entry that matched (platform path, host or domain)
        "match_level": pl.String,  # platform | host | registered_domain
        "list_name": pl.String,
        "rating": pl.Float64,  # numeric rating as the list gives it (null for label lists)
        "label": pl.String,
        "imputed": pl.Boolean,  # the list marks this value as imputed
        "list_date": pl.String,  # YYYY[-MM[-DD]] as recorded at import
        "licence": pl.String,
        "stale": pl.Boolean,  # list older than stale_years at the reference date; null = list undated
    }
)

# quotes.parquet: passages of the article that a comment quotes.
QUOTES = schema(
    {
        "article_id": pl.String,
        "comment_id": pl.String,
        "article_sent_idx": pl.Int32,  # sentence of the article body quoted (null if not aligned)
        "start_char": pl.Int64,  # span in the comment's text
        "end_char": pl.Int64,
        # "block" (Zitat:, "> ", "-" lines), "inline" („…“ found in the article), "shingle"
        # (8-token overlap with the article) or "parent" (copied from the parent; no article sentence)
        "method": pl.String,
    }
)

# own_texts.parquet: each comment's own words, quotations removed (stance and framing use it).
OWN_TEXTS = schema(
    {
        "article_id": pl.String,
        "comment_id": pl.String,
        "own_text": pl.String,
        "quote_share": pl.Float64,  # |shingles8(c) ∩ shingles8(A)| / |shingles8(c)|
        "n_quoted_chars": pl.Int64,
    }
)


# --- Stage frames (issue 4: stance and framing) ---------------------------------------------

STANCE_LABELS = ("support", "deny", "query", "comment")

# stance.parquet: one row per visible comment.
STANCE = schema(
    {
        "article_id": pl.String,
        "comment_id": pl.String,
        "stance_parent": pl.String,  # toward the parent (the article for top-level comments)
        "stance_parent_conf": pl.Float64,
        "stance_article": pl.String,  # toward the article (sign propagation + article cues)
        "stance_article_conf": pl.Float64,
        "evidence": pl.String,  # JSON: cues that fired (with spans), propagation path, reason
        "model": pl.String,  # "cues-<version>" or the trained model's name
    }
)

# frames.parquet: one row per (sentence, frame) hit, auditable by its matched lemmas.
FRAMES = schema(
    {
        "article_id": pl.String,
        "doc_id": pl.String,  # comment id, or ARTICLE_DOC_ID
        "sent_idx": pl.Int32,
        "frame": pl.String,
        "matched_lemmas": pl.List(pl.String),
    }
)

# keyness.parquet: terms readers use more (z > 0) or less (z < 0) than the article.
KEYNESS = schema(
    {
        "article_id": pl.String,
        "term": pl.String,  # lemma
        "n_comments": pl.Int64,  # count in the comments' own text
        "n_article": pl.Int64,  # count in the article body
        "log_odds": pl.Float64,  # log-odds ratio with an informative Dirichlet prior
        "z": pl.Float64,  # its z-score (Monroe, Colaresi, Quinn 2008)
    }
)


# source_meta.parquet: metadata an input format carries beyond our columns (ConvoKit corpus,
# conversation, speaker and utterance metadata), one row per key, the value as JSON.  Written
# only when an input had any; ``analyzer export --to convokit`` writes it back.
SOURCE_META = schema(
    {
        "kind": pl.String,  # corpus | conversation | speaker | utterance
        "article_id": pl.String,  # conversation of an utterance or conversation; null otherwise
        "id": pl.String,  # speaker, conversation or utterance id; "corpus" for corpus metadata
        "key": pl.String,
        "value": pl.String,  # JSON
    }
)

# --- Stage frames (issue 16: coordination, authors, time; analyzer/stages/coordination) ------------

# near_duplicates.parquet: one row per comment in a cluster of near-identical comments.
NEAR_DUPLICATES = schema(
    {
        "cluster_id": pl.Int64,  # 1 = the largest cluster
        "article_id": pl.String,
        "comment_id": pl.String,
        "author": pl.String,
        "created_at": UTC_TIME,
        "similarity": pl.Float64,  # exact word-bigram Jaccard with the cluster's medoid text
    }
)

# near_duplicate_clusters.parquet: one row per cluster (the medoid text for reading).
NEAR_DUPLICATE_CLUSTERS = schema(
    {
        "cluster_id": pl.Int64,
        "size": pl.UInt32,  # comments
        "n_accounts": pl.UInt32,  # distinct non-null authors
        "n_threads": pl.UInt32,
        "n_sites": pl.UInt32,  # distinct non-null article sites
        "n_distinct_texts": pl.UInt32,  # distinct normalised texts (1 = exact copies only)
        "first_at": UTC_TIME,
        "last_at": UTC_TIME,
        "span_s": pl.Float64,
        "mean_similarity": pl.Float64,
        "medoid_article_id": pl.String,
        "medoid_comment_id": pl.String,
        "medoid_text": pl.String,
    }
)

# colinks.parquet: pairs of accounts that shared the same URL within the coordination interval
# (author_a < author_b).
COLINKS = schema(
    {
        "author_a": pl.String,
        "author_b": pl.String,
        "n_shared": pl.UInt32,  # distinct URLs the pair shared within the interval
        "first_at": UTC_TIME,  # earliest of the pair's co-shares
        "last_at": UTC_TIME,
        "urls": pl.List(pl.String),  # normalised (redirect wrappers unwrapped), sorted
        "n_expected": pl.Float64,  # co-shared URLs expected by chance for this pair (share null model)
        "p_value": pl.Float64,  # Poisson P(n_shared or more | n_expected)
        "coordinated": pl.Boolean,  # repeated and beyond chance (Benjamini-Hochberg): in a component
    }
)

# colink_components.parquet: connected components of the coordinated pairs.
COLINK_COMPONENTS = schema(
    {
        "component_id": pl.Int64,  # 1 = the largest component
        "n_accounts": pl.UInt32,
        "n_pairs": pl.UInt32,
        "n_urls": pl.UInt32,
        "first_at": UTC_TIME,
        "last_at": UTC_TIME,
        "accounts": pl.List(pl.String),
        "urls": pl.List(pl.String),
    }
)

# authors.parquet: one row per author across the run (visible comments).
AUTHORS = schema(
    {
        "author": pl.String,
        "n_comments": pl.UInt32,
        "n_threads": pl.UInt32,
        "n_sites": pl.UInt32,
        "n_replies_given": pl.UInt32,  # comments that answer another comment
        "n_replies_received": pl.UInt32,  # replies by others to this author's comments
        "n_deny_given": pl.UInt32,  # own replies with stance_parent = deny (null without stance)
        "n_deny_received": pl.UInt32,  # replies by others denying this author (null without stance)
        "n_links": pl.UInt32,  # links in the author's comments (null without the links stage)
        "first_seen": UTC_TIME,
        "last_seen": UTC_TIME,
    }
)

# author_edges.parquet: who replies to whom (self-replies left out), with the stance mix.
AUTHOR_EDGES = schema(
    {
        "replier": pl.String,
        "replied_to": pl.String,
        "n_replies": pl.UInt32,
        "n_support": pl.UInt32,  # stance_parent counts (null without the stance stage)
        "n_deny": pl.UInt32,
        "n_query": pl.UInt32,
        "n_comment": pl.UInt32,
        "n_reverse": pl.UInt32,  # replies from replied_to back to replier
        "reciprocal": pl.Boolean,  # n_reverse > 0
    }
)

# timeseries.parquet: activity per time bin, per thread (scope "thread") and over the run
# (scope "corpus", article_id null).  Bin widths are chosen from the data (analyzer/stages/coordination/timeseries.py).
TIMESERIES = schema(
    {
        "scope": pl.String,
        "article_id": pl.String,
        "bin_start": UTC_TIME,
        "bin_seconds": pl.Int64,
        "n_comments": pl.UInt32,  # dated visible comments and dated deleted placeholders
        "n_deleted": pl.UInt32,
        "share_support": pl.Float64,  # stance_parent shares among the bin's stance-labelled comments
        "share_deny": pl.Float64,
        "share_query": pl.Float64,
        "share_comment": pl.Float64,
    }
)


class SchemaMismatchError(AssertionError):
    """A producer returned a frame that does not match its declared schema (a bug, not user error)."""


def check(frame: pl.DataFrame, schema: pl.Schema, name: str) -> pl.DataFrame:
    """Return ``frame`` unchanged if it has exactly ``schema``'s columns and dtypes, else raise."""
    if frame.schema != schema:
        expected = dict(schema.items())
        found = dict(frame.schema.items())
        missing = [c for c in expected if c not in found]
        extra = [c for c in found if c not in expected]
        wrong = {c: (str(expected[c]), str(found[c])) for c in expected
                 if c in found and expected[c] != found[c]}
        order = list(expected) != list(found)
        raise SchemaMismatchError(
            f"{name}: schema mismatch (missing={missing}, extra={extra}, "
            f"dtype expected/found={wrong}, order differs={order})"
        )
    return frame


def conform(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """Select ``schema``'s columns in order, adding absent ones as nulls and casting dtypes."""
    if not any(name in frame.columns for name in schema):
        # Literals alone would broadcast to one row; build the nulls at the frame's height.
        return pl.DataFrame(
            {name: pl.Series(name, [None] * frame.height, dtype=dtype) for name, dtype in schema.items()}
        )
    exprs = []
    for name, dtype in schema.items():
        if name in frame.columns:
            exprs.append(pl.col(name).cast(dtype))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(exprs)


def empty(schema: pl.Schema) -> pl.DataFrame:
    """An empty frame with ``schema``."""
    return pl.DataFrame(schema=schema)
