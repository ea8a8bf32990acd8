"""Word keyness between readers and article: "Fightin' Words" (Monroe, Colaresi, Quinn 2008).

For a thread, group i = the pooled own text of its visible comments and group j = the article
body.  Terms are lowercased lemmas of content words (UPOS NOUN, PROPN, ADJ, VERB) that start
with a letter and have at least two characters, minus the inventory's stopwords; quoted
material is not own text and is left out.  With y_w the counts, n the group totals and an
informative Dirichlet prior α_w (α_0 = Σ_w α_w):

    δ_w = ln[(y_w^i + α_w) / (n^i + α_0 − y_w^i − α_w)] − ln[(y_w^j + α_w) / (n^j + α_0 − y_w^j − α_w)]
    σ²(δ_w) ≈ 1 / (y_w^i + α_w) + 1 / (y_w^j + α_w)
    z_w = δ_w / σ(δ_w)

z > 0: readers use the term more than the article; |z| > 1.96 is the usual reading of
"distinctive".  The prior is informative: α_w = α_0 · π_w with π_w the share of w in the pooled
counts of the WHOLE run (every thread, comments and articles).  α_0 is fixed
(:data:`PRIOR_SIZE` pseudo-counts, setting ``keyness_prior_size``) rather than the run's total,
so a thread's z-scores do not shrink towards 0 when other threads are added to the run (only
the shape π changes).  Monroe et al. use the counts of a large reference corpus as prior; a run
is our reference corpus.  Threads where either group has no term get no rows.

References:
    Monroe, Colaresi, Quinn (2008), Fightin' words: lexical feature selection and evaluation for
    identifying the content of political conflict, Political Analysis 16(4), eqs. 16, 18-20.
"""

from __future__ import annotations

import math

import polars as pl

from analyzer.core import defaults, schemas

CONTENT_UPOS: tuple[str, ...] = ("NOUN", "PROPN", "ADJ", "VERB")
# 100 pseudo-counts.  Calibration on the bundled sample (fixtures/de_sample_page: 26 comments,
# about 700 content words): the top reader terms ("lesen" 6:0, "wissen" 7:1, "artikel" 4:0) get
# z of about 1.3-1.6 and the article's "leitstelle" (0:3) about -1.4; with 1000 the same terms
# stayed below |z| = 0.8, with 10 a single 2:0 term already reached 0.8.  No term of so small a
# thread passes |z| > 1.96, which is right: 26 comments are little evidence.
PRIOR_SIZE = defaults.KEYNESS_PRIOR_SIZE
# A term: starts with a letter, then letters, digits, hyphens or apostrophes (one quantifier).
TERM_REGEX = r"^[^\W\d_][\w'’-]+$"


def log_odds_z(y_i: float, y_j: float, n_i: float, n_j: float, a_w: float, a_0: float) -> tuple[float, float]:
    """δ_w and its z-score for one term (the scalar reference of :func:`compute_keyness`).

    Example:
        >>> d, z = log_odds_z(10, 0, 100, 100, 1.0, 10.0)
        >>> round(d, 4), round(z, 4)
        (2.4941, 2.3879)

    References:
        Monroe, Colaresi, Quinn (2008), eqs. 16 and 18-20.
    """
    delta = math.log((y_i + a_w) / (n_i + a_0 - y_i - a_w)) - math.log((y_j + a_w) / (n_j + a_0 - y_j - a_w))
    return delta, delta / math.sqrt(1.0 / (y_i + a_w) + 1.0 / (y_j + a_w))


def term_counts(terms: pl.DataFrame) -> pl.DataFrame:
    """Count terms per thread and side.

    Args:
        terms: one row per kept term token: ``article_id, is_article (bool), term``.

    Returns:
        ``article_id, term, n_comments, n_article`` (Int64).
    """
    return terms.group_by("article_id", "term").agg(
        n_comments=(~pl.col("is_article")).sum().cast(pl.Int64),
        n_article=pl.col("is_article").sum().cast(pl.Int64),
    )


def compute_keyness(counts: pl.DataFrame, *, prior_size: float = PRIOR_SIZE) -> pl.DataFrame:
    """Keyness of every term of every thread, with :data:`schemas.KEYNESS`.

    Args:
        counts: ``article_id, term, n_comments, n_article`` (see :func:`term_counts`).
        prior_size: α_0, the total pseudo-count of the informative prior.

    Example:
        >>> counts = pl.DataFrame({"article_id": ["a", "a"], "term": ["x", "y"],
        ...                        "n_comments": [3, 1], "n_article": [0, 4]})
        >>> compute_keyness(counts, prior_size=4.0)["term"].to_list()
        ['x', 'y']
    """
    if counts.is_empty():
        return schemas.empty(schemas.KEYNESS)
    pooled = counts.group_by("term").agg(_pooled=(pl.col("n_comments") + pl.col("n_article")).sum())
    total = float(pooled.get_column("_pooled").sum())
    pooled = pooled.with_columns(_a=pl.col("_pooled").cast(pl.Float64) * (prior_size / total))
    y_i, y_j = pl.col("n_comments").cast(pl.Float64), pl.col("n_article").cast(pl.Float64)
    n_i, n_j, a = pl.col("_n_i"), pl.col("_n_j"), pl.col("_a")
    out = (
        counts.join(pooled.select("term", "_a"), on="term", how="left")
        .with_columns(
            _n_i=pl.col("n_comments").sum().over("article_id").cast(pl.Float64),
            _n_j=pl.col("n_article").sum().over("article_id").cast(pl.Float64),
        )
        .filter((pl.col("_n_i") > 0) & (pl.col("_n_j") > 0))
        .with_columns(
            log_odds=((y_i + a) / (n_i + prior_size - y_i - a)).log() - ((y_j + a) / (n_j + prior_size - y_j - a)).log()
        )
        .with_columns(z=pl.col("log_odds") / (1.0 / (y_i + a) + 1.0 / (y_j + a)).sqrt())
        .sort(["article_id", "z", "term"], descending=[False, True, False])
        .select(schemas.KEYNESS.names())
    )
    return schemas.check(out, schemas.KEYNESS, "keyness")
