"""The ``coordination`` stage: questions asked across threads rather than inside one.

Writes ``near_duplicates.parquet`` and ``near_duplicate_clusters.parquet`` (copy-paste
campaigns), ``colinks.parquet`` and ``colink_components.parquet`` (coordinated link sharing),
``authors.parquet`` and ``author_edges.parquet`` (who answers whom) and ``timeseries.parquet``
(activity over time), plus metrics in scopes ``corpus`` (subject ``all``), ``cluster`` and
``colink_component`` (``article_id`` null: they span threads).

It runs by default when the run can answer such questions: when some comment has an author
or the run has more than one thread.  Otherwise (one anonymous thread) it writes empty frames
and says why in the manifest, so a run folder always has the same files for the same stages.

Settings (:class:`analyzer.stages.declarations.coordination.CoordinationSettings`): ``near_dup_*`` (:class:`NearDuplicateSettings`), ``colink_*``
(:class:`ColinkSettings`).  It reads ``links.parquet`` (a prerequisite) and, when the stance
stage ran before it, ``stance.parquet``.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from analyzer.core import schemas
from analyzer.stages.context import StageContext, StageResult
from analyzer.stages.coordination import authors as authors_mod
from analyzer.stages.coordination import colinks as colinks_mod
from analyzer.stages.coordination import near_duplicates as nd_mod
from analyzer.stages.coordination import timeseries as ts_mod
from analyzer.stages.declarations.coordination import CoordinationSettings
from analyzer.stages.metric_registry import MetricInfo

_C = ("corpus",)
_REGISTRY: tuple[MetricInfo, ...] = (
    MetricInfo("n_authors", _C, "distinct authors of visible comments across the run"),
    MetricInfo(
        "author_gini", _C, "Gini coefficient of comments per author over the run; 0 = equal participation",
        "higher = a few accounts dominate",
    ),
    MetricInfo("top1pct_author_share", _C, "share of comments written by the most active 1 % of authors (at least one)",
               "higher = more concentrated"),
    MetricInfo("anonymous_share", _C, "share of visible comments without an author"),
    MetricInfo("reciprocal_edge_share", _C, "share of author-to-author reply edges answered back at least once",
               "", "Aragón et al., ICWSM 2017"),
    MetricInfo("n_near_duplicate_clusters", _C, "clusters of near-identical comments (word-bigram MinHash/LSH)",
               "", "Broder 1997; Leskovec, Rajaraman, Ullman, Mining of Massive Datasets ch. 3"),
    MetricInfo("near_duplicate_share", _C, "share of long-enough visible comments that are in a cluster"),
    MetricInfo("coordination_interval_s", _C,
               "co-share window in seconds: the burst gap estimated from the data (natural break of the quickest "
               "URLs' share gaps), or the option",
               "", "after Giglietto, Righetti, Rossi, Marino, Information, Communication & Society 2020; Otsu 1979"),
    MetricInfo("n_colink_pairs", _C, "pairs of accounts that shared a URL within the coordination interval"),
    MetricInfo("n_colink_components", _C,
               "connected components of coordinated pairs (repeated co-shares beyond chance, Benjamini-Hochberg)",
               "", "Benjamini & Hochberg 1995"),
    MetricInfo("size", ("cluster",), "comments in the cluster"),
    MetricInfo("n_accounts", ("cluster", "colink_component"), "distinct authors"),
    MetricInfo("n_threads", ("cluster",), "distinct articles the cluster's comments are under"),
    MetricInfo("n_sites", ("cluster",), "distinct sites of those articles (null sites not counted)"),
    MetricInfo("span_s", ("cluster",), "seconds from the first to the last comment of the cluster"),
    MetricInfo("mean_similarity", ("cluster",), "mean exact word-bigram Jaccard of members with the medoid"),
    MetricInfo("n_pairs", ("colink_component",), "account pairs in the component"),
    MetricInfo("n_urls", ("colink_component",), "distinct URLs the component's pairs co-shared"),
)
METRICS: dict[str, MetricInfo] = {m.name: m for m in _REGISTRY}

# Metric scopes of this stage (all span threads: article_id is null).
SCOPES = ("corpus", "cluster", "colink_component")
FRAME_NAMES = (
    "near_duplicates.parquet",
    "near_duplicate_clusters.parquet",
    "colinks.parquet",
    "colink_components.parquet",
    "authors.parquet",
    "author_edges.parquet",
    "timeseries.parquet",
)


def applies(comments: pl.DataFrame, articles: pl.DataFrame) -> bool:
    """True when cross-thread questions make sense: any author, or several threads."""
    return articles.height > 1 or bool(comments.get_column("author").is_not_null().any())


def _metric_rows(scope: str, subject: str, values: dict[str, float | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "article_id": [None] * len(values),
            "scope": [scope] * len(values),
            "subject_id": [subject] * len(values),
            "metric": list(values),
            "value": [None if v is None else float(v) for v in values.values()],
        },
        schema=schemas.METRICS,
    )


def _long(frame: pl.DataFrame, scope: str, id_column: str, names: list[str]) -> pl.DataFrame:
    if frame.height == 0:
        return schemas.empty(schemas.METRICS)
    return frame.select(
        article_id=pl.lit(None, dtype=pl.String),
        scope=pl.lit(scope),
        subject_id=pl.col(id_column).cast(pl.String),
        **{name: pl.col(name).cast(pl.Float64) for name in names},
    ).unpivot(index=["article_id", "scope", "subject_id"], variable_name="metric", value_name="value").select(
        schemas.METRICS.names()
    )


def run_stage(ctx: StageContext) -> StageResult:
    """Near-duplicates, co-links, authors and time series of the whole run."""
    found = ctx.prepared_or("coordination", prepare)
    return compute(ctx.forest.comments, ctx.forest.articles, ctx.frames.get("links.parquet"),
                   ctx.frames.get("stance.parquet"), ctx.settings_of(CoordinationSettings), found=found)


def prepare(ctx: StageContext) -> tuple[nd_mod.NearDuplicates, colinks_mod.Colinks] | None:
    """Near-duplicates and co-links: the part that reads only ``links.parquet`` (a prerequisite).

    The stage's ``prepare`` (its declaration): the pipeline may run it in a second process
    while the nlp stage runs.  None when the stage does not apply to the run.
    """
    comments, articles = ctx.forest.comments, ctx.forest.articles
    if not applies(comments, articles):
        return None
    return _detect(comments, articles, ctx.frames.get("links.parquet"), ctx.settings_of(CoordinationSettings))


def _detect(
    comments: pl.DataFrame, articles: pl.DataFrame, links: pl.DataFrame | None, settings: CoordinationSettings
) -> tuple[nd_mod.NearDuplicates, colinks_mod.Colinks]:
    nd = nd_mod.detect(comments, articles, nd_mod.NearDuplicateSettings.from_typed(settings))
    if links is not None:
        cl = colinks_mod.detect(links, comments, colinks_mod.ColinkSettings.from_typed(settings))
    else:
        cl = colinks_mod.Colinks(schemas.empty(schemas.COLINKS), schemas.empty(schemas.COLINK_COMPONENTS),
                                 {"skipped": "links stage did not run"})
    return nd, cl


def compute(
    comments: pl.DataFrame,
    articles: pl.DataFrame,
    links: pl.DataFrame | None,
    stance: pl.DataFrame | None,
    settings: CoordinationSettings,
    *,
    found: tuple[nd_mod.NearDuplicates, colinks_mod.Colinks] | None = None,
) -> StageResult:
    """The stage on frames: also used to recompute it over a merged (incremental) run.

    ``found``: near-duplicates and co-links computed already (:func:`prepare`) for these frames.
    """
    nd_settings = nd_mod.NearDuplicateSettings.from_typed(settings)
    cl_settings = colinks_mod.ColinkSettings.from_typed(settings)
    context = {"near_duplicate_settings": {k: getattr(nd_settings, k) for k in nd_settings.__slots__},
               "colink_settings": {k: getattr(cl_settings, k) for k in cl_settings.__slots__}}
    if not applies(comments, articles):
        frames = {name: schemas.empty(_schema(name)) for name in FRAME_NAMES}
        return StageResult(frames=frames, manifest={**context, "skipped": "one thread without authors"})
    nd, cl = found if found is not None else _detect(comments, articles, links, settings)
    authors, edges = authors_mod.author_tables(comments, articles, stance, links)
    series, ts_info = ts_mod.compute_timeseries(comments, stance)
    corpus: dict[str, float | None] = authors_mod.participation(authors, edges, comments)
    long_enough = nd.info.get("n_texts_long_enough", 0)
    corpus.update(
        n_near_duplicate_clusters=float(nd.clusters.height),
        near_duplicate_share=nd.members.height / long_enough if long_enough else None,
        coordination_interval_s=cl.info.get("interval_s"),
        n_colink_pairs=float(cl.pairs.height),
        n_colink_components=float(cl.components.height),
    )
    metrics = pl.concat(
        [
            _metric_rows("corpus", "all", corpus),
            _long(nd.clusters, "cluster", "cluster_id",
                  ["size", "n_accounts", "n_threads", "n_sites", "span_s", "mean_similarity"]),
            _long(cl.components, "colink_component", "component_id", ["n_accounts", "n_pairs", "n_urls"]),
        ],
        how="vertical",
    )
    frames = {
        "near_duplicates.parquet": nd.members,
        "near_duplicate_clusters.parquet": nd.clusters,
        "colinks.parquet": cl.pairs,
        "colink_components.parquet": cl.components,
        "authors.parquet": authors,
        "author_edges.parquet": edges,
        "timeseries.parquet": series,
    }
    # Settings are run context (compared before reusing results); the three dicts describe the data.
    manifest: dict[str, Any] = {**context, "near_duplicates": nd.info, "colinks": cl.info, "timeseries": ts_info}
    return StageResult(frames=frames, metrics=metrics, manifest=manifest)


def _schema(name: str) -> pl.Schema:
    from analyzer.stages.declarations.coordination import STAGE

    return STAGE.outputs[name]
