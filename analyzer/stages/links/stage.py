"""The ``links`` stage: links.parquet, link_ratings.parquet and the link metrics of a run."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from analyzer.domains.rules import load_rules
from analyzer.stages.declarations.links import LinksSettings
from analyzer.stages.links.frames import LinkTally, link_candidates, links_frame, visible_comments
from analyzer.stages.links.metrics import compute_link_metrics

if TYPE_CHECKING:
    from analyzer.stages.context import StageContext, StageResult


def run_stage(ctx: StageContext) -> StageResult:
    """The ``links`` stage: links.parquet, link metrics, ratings from the installed lists.

    Settings: :class:`analyzer.stages.declarations.links.LinksSettings` (which lists, their
    folder, when a list is stale).
    """
    from analyzer.domains import ratings as ratings_mod
    from analyzer.stages.context import StageResult

    comments = ctx.forest.comments
    articles = ctx.forest.articles
    visible = visible_comments(comments)
    # Only texts that may hold a candidate are scanned (see link_candidates): the rest yield
    # no link, no rejection and no issue, so skipping them changes nothing but the time.
    bodies = link_candidates(articles.select("article_id", pl.lit(None, dtype=pl.String), "body"), "body")
    texts: list[tuple[str, str | None, str | None]] = list(bodies.iter_rows())
    texts += list(link_candidates(visible.select("article_id", "comment_id", "text"), "text").iter_rows())
    tally = LinkTally()
    links, issues = links_frame(texts, tally)
    settings = ctx.settings_of(LinksSettings)
    lists, list_issues = ratings_mod.load_lists(
        names=settings.domain_lists,
        folder=settings.domains_dir,
        stale_years=settings.stale_years,
        reference_date=settings.ratings_reference_date,
    )
    issues += list_issues
    rated = ratings_mod.rate_links(links, lists)
    metrics = compute_link_metrics(
        links, comments, articles, rated, [{"name": x.name, "stale": x.stale} for x in lists]
    )
    frames = {"links.parquet": links}
    frames["link_ratings.parquet"] = rated
    # The link accounting (analyzer.accounting.link_counts): n_found = n_link_rows + n_rejected,
    # and n_link_rows (counted as rows were made) = n_links (the frame's height).  The "n_"
    # prefix marks them as data, not run context (analyzer.jobs.scheduled compares the rest).
    manifest = {
        "n_found": tally.found,
        "n_link_rows": tally.rows,
        "n_rejected": tally.rejected,
        "n_links": links.height,
        "n_obfuscated": int(links.get_column("obfuscation").is_not_null().sum()),
        # Redirect wrappers unwrapped (the target is rated; the wrapper is in links.redirect),
        # and links through shorteners whose target cannot be known offline (t.co, bit.ly ...).
        "n_unwrapped": int(links.get_column("redirect").is_not_null().sum()),
        "n_shortened": int(links.get_column("registered_domain").is_in(sorted(load_rules().shorteners)).sum()),
        "domain_lists": [x.provenance_summary() for x in lists],
    }
    return StageResult(frames=frames, metrics=metrics, issues=issues, manifest=manifest)
