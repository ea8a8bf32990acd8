from dataclasses import dataclass
from datetime import date
from pathlib import Path

from analyzer.core import defaults, schemas
from analyzer.core.settings import setting
from analyzer.stages.spec import StageSpec


@dataclass(frozen=True, slots=True)
class LinksSettings:
    """link ratings"""

    domain_lists: tuple[str, ...] | None = setting(
        None, "credibility lists to rate links with (default: all installed; 'none' for none)",
        flag="--domain-lists", metavar="NAME,...", cli="names")
    domains_dir: Path | None = setting(None, "folder of imported lists (default: see analyzer.domains.store.data_dir)")
    stale_years: float = setting(defaults.STALE_YEARS, "a list older than this many years is flagged stale",
                                 positive=True)
    ratings_reference_date: date | None = setting(None, "ISO date the age of lists is measured against "
                                                  "(default: today)")


STAGE = StageSpec(
    "links", "analyzer.stages.links.stage:run_stage", (), "links: extract, refang, normalise, rate; link metrics",
    outputs={"links.parquet": schemas.LINKS, "link_ratings.parquet": schemas.LINK_RATINGS},
    metrics="analyzer.stages.links.metrics:METRICS", order=20, settings=LinksSettings,
)
