"""A real-shaped run for the journalist scenarios: a 621-comment thread with an article.

The comments come from :func:`tests.bench.synth.corpus.generate_corpus` (heavy-tailed thread
sizes, preferential-attachment replies, Zipf-like authors, timestamps, links some of them
disguised; text written for that module), the article bodies are written here, and the
whole run goes through every stage with the offline language layer, as a user's would.  A
few comments carry hostile text and a 300-character author name, so the scenarios also
check that hostile text stays inert and long names do not widen the page.

Built once per test session (about 30 s on 2 cores); also used by
``python -m tests.bench.dashboard_screenshots``.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from analyzer.ingest.base import ReadOptions
from analyzer.pipeline import analyse
from tests.bench.synth.corpus import generate_corpus

BIG = "a0"  # 621 comments in 3 articles of 700 comments (generator seed 3)
UNTITLED = "a1"
SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned = 2">'
LONG_AUTHOR = "Leserin_" + "mit_einem_sehr_langen_Namen_" * 11  # 300+ characters, no spaces
TITLE = "Government defends the energy reserve sale as costs for tenants rise"
BODY = (
    "The government defended on Tuesday the sale of the national energy reserve. The ministry said the sale "
    "would lower costs for households, while the opposition called it a failure of responsibility. "
    "Prices for electricity rose by a third this year, and tenants pay the highest share of their income. "
    "Banks financed the deal, according to the report, and the committee will examine who is to blame. "
    "Critics say the press ignored the role of the banks and the real costs for the economy. "
    "The minister rejected the criticism: the grid is stable and the supply is secure, she said."
)


def build(folder: Path) -> Path:
    """Write the inputs into ``folder`` and analyse them into ``folder / "run"``."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = generate_corpus(700, 3, seed=3, deep_chains=0)
    hostile_rows = corpus.filter(pl.col("article_id") == BIG).head(40)["comment_id"].to_list()[-3:]
    corpus = corpus.with_columns(
        pl.when(pl.col("comment_id") == hostile_rows[0]).then(pl.lit(f"{SCRIPT} {IMG} Das ist falsch."))
        .otherwise(pl.col("text")).alias("text"),
        pl.when(pl.col("comment_id") == hostile_rows[1]).then(pl.lit(LONG_AUTHOR))
        .when(pl.col("comment_id") == hostile_rows[2]).then(pl.lit(IMG))
        .otherwise(pl.col("author")).alias("author"),
    )
    comments = folder / "comments.parquet"
    corpus.write_parquet(comments)
    articles = folder / "articles.csv"
    pl.DataFrame({
        "article_id": ["a0", "a1", "a2"],
        "title": [TITLE, None, "Ministry confirms the report"],
        "body": [BODY, None, "The ministry confirmed the report on Monday. The committee will meet again."],
        "published": ["2024-05-21T04:00:00Z", None, "2024-05-20T08:00:00Z"],
    }).write_csv(articles)
    run = folder / "run"
    analyse([comments], out=run, options=ReadOptions(articles_table=articles),
            stage_settings={"nlp": "offline", "domain_lists": []})
    return run
